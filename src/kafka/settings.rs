//! How to reach a cluster: bootstrap servers, librdkafka properties, secrets
//! (never printed) and default timeouts.

use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};

/// Shown instead of a secret value.
pub const REDACTED: &str = "***";

/// A string that never shows itself: `Debug`, `Display` and `Serialize`
/// print `***`. Use [`SecretString::expose`] to hand it to librdkafka.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> SecretString {
        SecretString(value.into())
    }

    /// The secret itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        SecretString(s.to_string())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(REDACTED)
    }
}

/// librdkafka properties whose values are credentials or key material.
/// [`ClientSettings::property`] files these as secrets automatically.
pub fn is_sensitive_property(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k.contains("sasl.jaas.config")
        || k.ends_with(".pem")
        || k == "sasl.oauthbearer.config"
        || k.ends_with(".token")
}

/// Why the librdkafka property `key = value` turns TLS verification of the brokers off,
/// if it does: `enable.ssl.certificate.verification` false (no certificate check), or
/// `ssl.endpoint.identification.algorithm` `none` or empty (no host name check).
pub fn tls_verification_off(key: &str, value: &str) -> Option<&'static str> {
    let (k, v) = (
        key.trim().to_ascii_lowercase(),
        value.trim().to_ascii_lowercase(),
    );
    match k.as_str() {
        "enable.ssl.certificate.verification"
            if matches!(v.as_str(), "false" | "0" | "no" | "off") =>
        {
            Some("the brokers' certificates are not verified")
        }
        "ssl.endpoint.identification.algorithm" if v.is_empty() || v == "none" => {
            Some("the brokers' host names are not checked against their certificates")
        }
        _ => None,
    }
}

/// `metadata.max.age.ms` of the admin handle, which is also the idle time
/// after which librdkafka drops a cached group coordinator.
const DEFAULT_METADATA_MAX_AGE_MS: u64 = 1000;

/// Default overall deadline of one Kafka call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything needed to build a client for one cluster.
///
/// ```
/// use std::time::Duration;
/// use kafka_failover::kafka::ClientSettings;
/// let s = ClientSettings::new("127.0.0.1:9092")
///     .property("security.protocol", "sasl_ssl")
///     .secret("sasl.password", "hunter2")
///     .timeout(Duration::from_secs(5));
/// assert!(!format!("{s:?}").contains("hunter2"));
/// ```
#[derive(Clone)]
pub struct ClientSettings {
    bootstrap_servers: String,
    properties: Vec<(String, String)>,
    secrets: Vec<(String, SecretString)>,
    default_timeout: Duration,
    admin_broker_id: Option<i32>,
}

impl ClientSettings {
    pub fn new(bootstrap_servers: impl Into<String>) -> ClientSettings {
        ClientSettings {
            bootstrap_servers: bootstrap_servers.into(),
            properties: Vec::new(),
            secrets: Vec::new(),
            default_timeout: DEFAULT_TIMEOUT,
            admin_broker_id: None,
        }
    }

    /// A librdkafka property (see librdkafka's CONFIGURATION.md). Later
    /// values win; these win over this crate's defaults. Properties that
    /// look like credentials (`*password*`, `*secret*`, `*.pem`,
    /// `sasl.jaas.config`...) are kept as secrets.
    pub fn property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        if is_sensitive_property(&key) {
            self.secrets.push((key, SecretString::new(value)));
        } else {
            self.properties.push((key, value.into()));
        }
        self
    }

    /// A property whose value must never be printed (e.g. `sasl.password`).
    pub fn secret(mut self, key: impl Into<String>, value: impl Into<SecretString>) -> Self {
        self.secrets.push((key.into(), value.into()));
        self
    }

    /// Default deadline of one call, also used for `socket.timeout.ms`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.default_timeout = timeout;
        self
    }

    /// Send the admin calls that librdkafka routes to "the controller"
    /// (DescribeCluster, DescribeTopics, DescribeConfigs) to this broker.
    /// By default they go to a broker that just answered a metadata request,
    /// which works on Apache Kafka and on librdkafka's mock cluster alike.
    pub fn admin_broker_id(mut self, broker_id: i32) -> Self {
        self.admin_broker_id = Some(broker_id);
        self
    }

    pub fn bootstrap_servers(&self) -> &str {
        &self.bootstrap_servers
    }

    pub fn default_timeout(&self) -> Duration {
        self.default_timeout
    }

    pub fn configured_admin_broker_id(&self) -> Option<i32> {
        self.admin_broker_id
    }

    /// How long a retry waits after NOT_COORDINATOR so that librdkafka's
    /// stale coordinator-cache entry has expired: `metadata.max.age.ms`
    /// (1000 ms unless set) plus one 1-second expiry tick plus a margin.
    /// [`super::STALE_COORDINATOR_WAIT`] is the value for the default.
    pub fn stale_coordinator_wait(&self) -> Duration {
        let max_age_ms = self
            .properties
            .iter()
            .rev()
            .find(|(k, _)| k == "metadata.max.age.ms")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .unwrap_or(DEFAULT_METADATA_MAX_AGE_MS);
        Duration::from_millis(max_age_ms + 1_250)
    }

    /// The non-secret properties, as given.
    pub fn properties(&self) -> &[(String, String)] {
        &self.properties
    }

    /// Names of the secret properties (values stay hidden).
    pub fn secret_keys(&self) -> impl Iterator<Item = &str> {
        self.secrets.iter().map(|(k, _)| k.as_str())
    }

    /// The full librdkafka configuration: defaults, then properties, then
    /// secrets (exposed; hand straight to librdkafka). The flag tells which
    /// values are secret.
    pub(crate) fn librdkafka_config(&self) -> Vec<(String, String, bool)> {
        let ms = |d: Duration| d.as_millis().clamp(1, i32::MAX as u128).to_string();
        let mut out: Vec<(String, String, bool)> = vec![
            (
                "bootstrap.servers".into(),
                self.bootstrap_servers.clone(),
                false,
            ),
            ("client.id".into(), "kafka-failover".into(), false),
            ("socket.timeout.ms".into(), ms(self.default_timeout), false),
            (
                "socket.connection.setup.timeout.ms".into(),
                ms(self.default_timeout),
                false,
            ),
            ("log.connection.close".into(), "false".into(), false),
            // After repeated disconnects librdkafka backs off up to 10 s per broker by
            // default: longer than a run's request deadline, so one flapping connection
            // would fail a step whose broker is back. A failover reconnects promptly.
            ("reconnect.backoff.max.ms".into(), "1000".into(), false),
            // The admin handle is a consumer that never subscribes (see
            // ffi docs); it needs a group id of its own.
            ("group.id".into(), "kafka-failover-admin".into(), false),
            ("enable.auto.commit".into(), "false".into(), false),
            // librdkafka caches group coordinators and does not drop an
            // entry when the coordinator answers NOT_COORDINATOR; entries
            // only expire after this much idle time. Keep it short so that
            // retries with backoff reach the new coordinator.
            (
                "metadata.max.age.ms".into(),
                DEFAULT_METADATA_MAX_AGE_MS.to_string(),
                false,
            ),
        ];
        out.extend(
            self.properties
                .iter()
                .map(|(k, v)| (k.clone(), v.clone(), false)),
        );
        out.extend(
            self.secrets
                .iter()
                .map(|(k, v)| (k.clone(), v.expose().to_string(), true)),
        );
        out
    }

    /// The same configuration as a rust-rdkafka `ClientConfig`, to build
    /// consumers / producers elsewhere.
    pub fn to_rdkafka_config(&self) -> rdkafka::ClientConfig {
        let mut cfg = rdkafka::ClientConfig::new();
        for (k, v, _) in self.librdkafka_config() {
            cfg.set(k, v);
        }
        cfg
    }

    /// `text` with every secret value replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut secrets: Vec<&str> = self
            .secrets
            .iter()
            .map(|(_, v)| v.expose())
            .filter(|v| !v.is_empty())
            .collect();
        // Longest first, so a secret containing another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in secrets {
            out = out.replace(s, REDACTED);
        }
        out
    }
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets: Vec<(&str, &SecretString)> =
            self.secrets.iter().map(|(k, v)| (k.as_str(), v)).collect();
        f.debug_struct("ClientSettings")
            .field("bootstrap_servers", &self.bootstrap_servers)
            .field("properties", &self.properties)
            .field("secrets", &secrets)
            .field("default_timeout", &self.default_timeout)
            .field("admin_broker_id", &self.admin_broker_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "canary-5ecret-value";

    #[test]
    fn secret_string_never_prints() {
        let s = SecretString::new(CANARY);
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"***\"");
        assert_eq!(s.expose(), CANARY);
    }

    #[test]
    fn settings_debug_redacts_secrets_and_sensitive_properties() {
        let s = ClientSettings::new("b:1")
            .secret("sasl.password", CANARY)
            .property("ssl.key.password", format!("{CANARY}2"))
            .property("sasl.username", "alice");
        let dbg = format!("{s:?} {s:#?}");
        assert!(!dbg.contains(CANARY), "{dbg}");
        assert!(dbg.contains("alice"));
        assert!(dbg.contains("sasl.password"));
        assert_eq!(
            s.secret_keys().collect::<Vec<_>>(),
            ["sasl.password", "ssl.key.password"]
        );
    }

    #[test]
    fn user_properties_override_defaults() {
        let s = ClientSettings::new("b:1")
            .timeout(Duration::from_secs(3))
            .property("socket.timeout.ms", "1234");
        let cfg = s.librdkafka_config();
        let last = |key: &str| {
            cfg.iter()
                .rev()
                .find(|(k, _, _)| k == key)
                .map(|(_, v, _)| v.clone())
        };
        assert_eq!(last("socket.timeout.ms").as_deref(), Some("1234"));
        assert_eq!(
            last("socket.connection.setup.timeout.ms").as_deref(),
            Some("3000")
        );
        assert_eq!(last("bootstrap.servers").as_deref(), Some("b:1"));
    }

    #[test]
    fn stale_coordinator_wait_follows_metadata_max_age() {
        let s = ClientSettings::new("b:1");
        assert_eq!(
            s.stale_coordinator_wait(),
            super::super::STALE_COORDINATOR_WAIT
        );
        let s = s.property("metadata.max.age.ms", "5000");
        assert_eq!(s.stale_coordinator_wait(), Duration::from_millis(6250));
    }

    #[test]
    fn tls_verification_off_is_recognised() {
        assert!(tls_verification_off("enable.ssl.certificate.verification", "false").is_some());
        assert!(tls_verification_off("enable.ssl.certificate.verification", " FALSE").is_some());
        assert!(tls_verification_off("enable.ssl.certificate.verification", "true").is_none());
        assert!(tls_verification_off("ssl.endpoint.identification.algorithm", "none").is_some());
        assert!(tls_verification_off("ssl.endpoint.identification.algorithm", "").is_some());
        assert!(tls_verification_off("ssl.endpoint.identification.algorithm", "https").is_none());
        assert!(tls_verification_off("security.protocol", "plaintext").is_none());
    }

    #[test]
    fn redact_masks_every_secret() {
        let s = ClientSettings::new("b:1")
            .secret("a.password", "abc")
            .secret("b.password", "abcdef");
        assert_eq!(s.redact("x abcdef y abc z"), "x *** y *** z".to_string());
        assert!(is_sensitive_property("sasl.oauthbearer.client.secret"));
        assert!(is_sensitive_property("ssl.keystore.password"));
        assert!(!is_sensitive_property("sasl.username"));
    }
}
