//! From a topology cluster to client settings: bootstrap, `properties`, secrets resolved
//! from env or file at the last moment, and `-X` overrides from the command line.

use std::path::Path;
use std::time::Duration;

use super::settings::{ClientSettings, SecretString};
use crate::topology::secret::SecretRef;
use crate::topology::Cluster;

/// A secret that cannot be read. Messages name the variable or file, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("cluster `{cluster}`: secret `{key}` comes from ${var}, which is not set")]
    EnvMissing {
        cluster: String,
        key: String,
        var: String,
    },
    #[error("cluster `{cluster}`: secret `{key}` comes from ${var}, which is empty")]
    EnvEmpty {
        cluster: String,
        key: String,
        var: String,
    },
    #[error("cluster `{cluster}`: secret `{key}`: cannot read {path}: {reason}")]
    FileUnreadable {
        cluster: String,
        key: String,
        path: String,
        reason: String,
    },
    #[error("cluster `{cluster}`: secret `{key}`: {path} is readable by group or others (mode {mode:o}); run `chmod 600 {path}`")]
    FileTooOpen {
        cluster: String,
        key: String,
        path: String,
        mode: u32,
    },
    #[error("cluster `{cluster}`: secret `{key}` is written inline in the topology")]
    Inline { cluster: String, key: String },
}

impl SecretError {
    /// The secret file is a directory or open to group or others: the operator must fix
    /// the input (exit 2), as when `topology validate` refuses it (rule `secret-file`).
    pub fn is_bad_input(&self) -> bool {
        match self {
            SecretError::FileTooOpen { .. } | SecretError::Inline { .. } => true,
            SecretError::FileUnreadable { reason, .. } => reason == IS_A_DIRECTORY,
            _ => false,
        }
    }
}

const IS_A_DIRECTORY: &str = "it is a directory";

/// A `-X` client property from the command line: for every cluster, or for one
/// (`-X east:sasl.username=ops`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyOverride {
    pub cluster: Option<String>,
    pub key: String,
    pub value: String,
}

impl PropertyOverride {
    /// Parses `KEY=VALUE` or `CLUSTER:KEY=VALUE`.
    pub fn parse(text: &str) -> Result<PropertyOverride, String> {
        let (lhs, value) = text
            .split_once('=')
            .ok_or_else(|| "expected KEY=VALUE or CLUSTER:KEY=VALUE".to_string())?;
        let (cluster, key) = match lhs.split_once(':') {
            Some((c, k)) => (Some(c.to_string()), k),
            None => (None, lhs),
        };
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(format!("`{key}` is not a librdkafka property name"));
        }
        Ok(PropertyOverride {
            cluster,
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

/// Builds the settings for cluster `name`. Secrets are read now, not earlier, and only
/// for this cluster.
pub fn cluster_settings(
    name: &str,
    cluster: &Cluster,
    overrides: &[PropertyOverride],
    timeout: Duration,
) -> Result<ClientSettings, SecretError> {
    let mut s = ClientSettings::new(&cluster.bootstrap).timeout(timeout);
    for (k, v) in &cluster.properties {
        s = s.property(k, v);
    }
    for (key, source) in &cluster.secrets {
        s = s.secret(key, resolve_secret(name, key, source)?);
    }
    for o in overrides {
        if o.cluster.as_deref().is_none_or(|c| c == name) {
            s = s.property(&o.key, &o.value);
        }
    }
    Ok(s)
}

/// Reads one secret from its source.
pub fn resolve_secret(
    cluster: &str,
    key: &str,
    source: &SecretRef,
) -> Result<SecretString, SecretError> {
    match source {
        SecretRef::Env(var) => match std::env::var(var) {
            Ok(v) if v.is_empty() => Err(SecretError::EnvEmpty {
                cluster: cluster.into(),
                key: key.into(),
                var: var.clone(),
            }),
            Ok(v) => Ok(SecretString::new(v)),
            Err(_) => Err(SecretError::EnvMissing {
                cluster: cluster.into(),
                key: key.into(),
                var: var.clone(),
            }),
        },
        SecretRef::File(path) => read_secret_file(cluster, key, Path::new(path)),
        SecretRef::Inline => Err(SecretError::Inline {
            cluster: cluster.into(),
            key: key.into(),
        }),
    }
}

fn read_secret_file(cluster: &str, key: &str, path: &Path) -> Result<SecretString, SecretError> {
    use std::os::unix::fs::PermissionsExt;
    let unreadable = |reason: String| SecretError::FileUnreadable {
        cluster: cluster.into(),
        key: key.into(),
        path: path.display().to_string(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unreadable(IS_A_DIRECTORY.into()));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SecretError::FileTooOpen {
            cluster: cluster.into(),
            key: key.into(),
            path: path.display().to_string(),
            mode,
        });
    }
    if meta.len() > 64 * 1024 {
        return Err(unreadable("it is larger than 64 KiB".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    // A trailing newline from `echo pw > file` is not part of the secret.
    Ok(SecretString::new(text.trim_end_matches(['\n', '\r'])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn cluster(yaml: &str) -> Cluster {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn overrides_parse() {
        assert_eq!(
            PropertyOverride::parse("east:sasl.username=ops").unwrap(),
            PropertyOverride {
                cluster: Some("east".into()),
                key: "sasl.username".into(),
                value: "ops".into()
            }
        );
        assert_eq!(PropertyOverride::parse("acks=all").unwrap().cluster, None);
        assert!(PropertyOverride::parse("novalue").is_err());
    }

    #[test]
    fn secret_file_rules() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pw");
        std::fs::write(&f, "canary-file-secret\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_secret_file("east", "sasl.password", &f).unwrap_err();
        assert!(matches!(e, SecretError::FileTooOpen { mode: 0o644, .. }));
        assert!(e.to_string().contains("chmod 600"));
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            read_secret_file("east", "k", &f).unwrap().expose(),
            "canary-file-secret"
        );
        let e = read_secret_file("east", "k", dir.path()).unwrap_err();
        assert!(e.to_string().contains("is a directory") && e.is_bad_input());
        let e = read_secret_file("east", "k", &dir.path().join("gone")).unwrap_err();
        assert!(
            !e.is_bad_input(),
            "a missing file may be a mount not there yet"
        );
    }

    #[test]
    fn settings_never_show_secrets() {
        std::env::set_var("KF_TEST_CANARY_PW", "canary-env-secret");
        let c = cluster(
            "{datacenter: a, bootstrap: '127.0.0.1:1', properties: {security.protocol: sasl_plaintext}, secrets: {sasl.password: {env: KF_TEST_CANARY_PW}}}",
        );
        let o = vec![
            PropertyOverride::parse("east:sasl.username=ops").unwrap(),
            PropertyOverride::parse("west:sasl.username=nope").unwrap(),
            PropertyOverride::parse("ssl.key.password=canary-x-secret").unwrap(),
        ];
        let s = cluster_settings("east", &c, &o, Duration::from_secs(1)).unwrap();
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("canary"), "{dbg}");
        assert!(dbg.contains("ops") && !dbg.contains("nope"));
        let keys: Vec<&str> = s.secret_keys().collect();
        assert_eq!(keys, vec!["sasl.password", "ssl.key.password"]);
        let missing =
            cluster("{datacenter: a, bootstrap: 'x:1', secrets: {p: {env: KF_TEST_UNSET_VAR}}}");
        let e = cluster_settings("west", &missing, &[], Duration::from_secs(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cluster `west`: secret `p` comes from $KF_TEST_UNSET_VAR, which is not set"
        );
    }
}
