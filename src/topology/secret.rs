//! Where a secret comes from. A topology names the source (`{env: VAR}` or
//! `{file: PATH}`), never the value: files are committed and shared, secrets are not.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// Read from this environment variable at the moment a client is built.
    Env(String),
    /// Read from this file (which must not be readable by group or others).
    File(String),
    /// The file wrote the value inline. The value itself is dropped while parsing so it can
    /// never be printed; validation rejects the file.
    Inline,
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Env(v) => write!(f, "{{env: {v}}}"),
            SecretRef::File(p) => write!(f, "{{file: {p}}}"),
            SecretRef::Inline => f.write_str("<inline secret, rejected>"),
        }
    }
}

impl Serialize for SecretRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        match self {
            SecretRef::Env(v) => map.serialize_entry("env", v)?,
            SecretRef::File(p) => map.serialize_entry("file", p)?,
            SecretRef::Inline => map.serialize_entry("inline", "<redacted>")?,
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = SecretRef;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`{env: VARIABLE}` or `{file: PATH}`")
    }

    // Any scalar is an inline secret. Its value is deliberately not kept.
    fn visit_str<E: de::Error>(self, _v: &str) -> Result<SecretRef, E> {
        Ok(SecretRef::Inline)
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<SecretRef, E> {
        Ok(SecretRef::Inline)
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<SecretRef, E> {
        Ok(SecretRef::Inline)
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<SecretRef, E> {
        Ok(SecretRef::Inline)
    }
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<SecretRef, E> {
        Ok(SecretRef::Inline)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SecretRef, A::Error> {
        let key: Option<String> = map.next_key()?;
        let out = match key.as_deref() {
            Some("env") => SecretRef::Env(map.next_value::<Text>()?.0),
            Some("file") => SecretRef::File(map.next_value::<Text>()?.0),
            Some(other) => {
                return Err(de::Error::unknown_field(other, &["env", "file"]));
            }
            None => {
                return Err(de::Error::custom(
                    "expected `{env: VARIABLE}` or `{file: PATH}`, found an empty mapping",
                ))
            }
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "a secret takes exactly one of `env` or `file`, found `{extra}` as well"
            )));
        }
        Ok(out)
    }
}

/// A string written as a string: `null`, `~`, numbers and booleans are refused instead of
/// becoming the text "null" (a file of that name) or "1".
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for SecretRef {
    fn schema_name() -> Cow<'static, str> {
        "SecretRef".into()
    }

    fn json_schema(_gen: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Where a secret value comes from; never the value itself.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": { "env": { "type": "string", "description": "environment variable" } },
                    "required": ["env"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": { "file": { "type": "string", "description": "file path (mode 0600)" } },
                    "required": ["file"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// librdkafka property names whose values are secret. A topology that sets one of these
/// under `properties` (in the clear) is rejected; they belong under `secrets`.
pub fn is_secret_property(key: &str) -> bool {
    crate::kafka::is_sensitive_property(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_value_is_dropped_while_parsing() {
        let s: SecretRef = serde_yaml::from_str("hunter2-canary").unwrap();
        assert_eq!(s, SecretRef::Inline);
        assert!(!format!("{s:?}").contains("canary"));
        assert!(!serde_json::to_string(&s).unwrap().contains("canary"));
    }

    #[test]
    fn env_and_file_forms() {
        assert_eq!(
            serde_yaml::from_str::<SecretRef>("{env: PW}").unwrap(),
            SecretRef::Env("PW".into())
        );
        assert_eq!(
            serde_yaml::from_str::<SecretRef>("file: /etc/pw").unwrap(),
            SecretRef::File("/etc/pw".into())
        );
        assert!(serde_yaml::from_str::<SecretRef>("{env: A, file: B}").is_err());
        assert!(serde_yaml::from_str::<SecretRef>("{vault: x}").is_err());
        assert!(serde_yaml::from_str::<SecretRef>("{file: null}").is_err());
        assert!(serde_yaml::from_str::<SecretRef>("{env: ~}").is_err());
    }

    #[test]
    fn secret_property_names() {
        assert!(is_secret_property("sasl.password"));
        assert!(is_secret_property("ssl.key.password"));
        assert!(is_secret_property("sasl.oauthbearer.client.secret"));
        assert!(!is_secret_property("sasl.username"));
        assert!(!is_secret_property("security.protocol"));
    }
}
