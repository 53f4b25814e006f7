//! MirrorMaker 2's connector configs as the lab reads and writes them (pure): what one
//! connector's config says about its direction, the configs the lab gives the
//! topology's mirrors, and connector names.

use std::collections::BTreeMap;
use std::time::Duration;

use super::rules::{is_cycle, is_internal_topic, Policy, DEFAULT_OFFSET_LAG_MAX};
use crate::topology::filter::{compile, Filter};
use crate::topology::{Mirror, MirrorDriverSpec, NameFilter, ReplicationPolicy};

/// A connector's config: Connect's string-to-string map.
pub type ConnectorConfig = BTreeMap<String, String>;

const PACKAGE: &str = "org.apache.kafka.connect.mirror.";
/// MM2's defaults for `topics.exclude` and `groups.exclude` (`DefaultTopicFilter`,
/// `DefaultGroupFilter`).
pub const TOPICS_EXCLUDE_DEFAULT: &str = ".*[\\-\\.]internal, .*\\.replica, __.*";
pub const GROUPS_EXCLUDE_DEFAULT: &str = "console-consumer-.*, connect-.*, __.*";
/// The lab emits checkpoints every second unless a config says otherwise (MM2: 60 s).
pub const LAB_CHECKPOINT_INTERVAL_SECS: u64 = 1;

pub use crate::mirror::ConnectorKind;

/// What a connector's config says about the flow it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorConfig {
    pub source_alias: String,
    pub target_alias: String,
    /// `None` only for a heartbeat connector, which writes to the target alone.
    pub source_bootstrap: Option<String>,
    pub target_bootstrap: String,
    pub policy: Policy,
    pub topics: Vec<String>,
    pub topics_exclude: Vec<String>,
    pub groups: Vec<String>,
    pub groups_exclude: Vec<String>,
    pub offset_lag_max: i64,
    pub checkpoint_interval: Duration,
    pub emit_checkpoints: bool,
    pub emit_offset_syncs: bool,
}

/// Connect's `ConfigDef` list type: comma-separated, trimmed.
fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn invalid(key: &str, value: &str, why: &str) -> String {
    format!("Invalid value {value} for configuration {key}: {why}")
}

fn missing(key: &str) -> String {
    format!("Missing required configuration \"{key}\" which has no default value.")
}

impl MirrorConfig {
    /// Reads a connector config; `Err`: Connect's messages, one per invalid setting.
    pub fn parse(c: &ConnectorConfig) -> Result<(ConnectorKind, MirrorConfig), Vec<String>> {
        let Some(class) = c.get("connector.class") else {
            return Err(vec![format!(
                "Connector config {} contains no connector type",
                java_string_map(c)
            )]);
        };
        let Some(kind) = ConnectorKind::from_class(class) else {
            return Err(vec![format!(
                "the lab runs only MirrorMaker 2's connectors ({}, {}, {}), not {class}",
                ConnectorKind::Source.class_name(),
                ConnectorKind::Checkpoint.class_name(),
                ConnectorKind::Heartbeat.class_name()
            )]);
        };
        let mut errors = Vec::new();
        let get = |k: &str, default: &str| {
            c.get(k)
                .map_or(default.to_string(), |v| v.trim().to_string())
        };
        let required = |k: &str, errors: &mut Vec<String>| match c.get(k).map(|v| v.trim()) {
            Some(v) if !v.is_empty() => Some(v.to_string()),
            _ => {
                errors.push(missing(k));
                None
            }
        };
        let source_bootstrap = if kind == ConnectorKind::Heartbeat {
            c.get("source.cluster.bootstrap.servers")
                .map(|v| v.trim().to_string())
        } else {
            required("source.cluster.bootstrap.servers", &mut errors)
        };
        let target_bootstrap = required("target.cluster.bootstrap.servers", &mut errors);
        let policy = match get("replication.policy.class", "DefaultReplicationPolicy")
            .trim_start_matches(PACKAGE)
        {
            "DefaultReplicationPolicy" => Policy::Default {
                separator: get("replication.policy.separator", "."),
            },
            "IdentityReplicationPolicy" => Policy::Identity,
            other => {
                errors.push(invalid(
                    "replication.policy.class",
                    other,
                    &format!("Class {other} could not be found."),
                ));
                Policy::default_policy()
            }
        };
        let regexes = |key: &str, default: &str, errors: &mut Vec<String>| {
            let v = get(key, default);
            let l = list(&v);
            for p in &l {
                if let Err(e) = compile(p) {
                    errors.push(invalid(key, &v, &e.to_string()));
                }
            }
            l
        };
        let topics = regexes("topics", ".*", &mut errors);
        let topics_exclude = regexes("topics.exclude", TOPICS_EXCLUDE_DEFAULT, &mut errors);
        let groups = regexes("groups", ".*", &mut errors);
        let groups_exclude = regexes("groups.exclude", GROUPS_EXCLUDE_DEFAULT, &mut errors);
        let long = |key: &str, default: i64, min: i64, errors: &mut Vec<String>| {
            let v = get(key, &default.to_string());
            match v.parse::<i64>() {
                Ok(n) if n >= min => n,
                Ok(_) => {
                    errors.push(invalid(key, &v, &format!("Value must be at least {min}")));
                    default
                }
                Err(_) => {
                    errors.push(invalid(key, &v, "Not a number of type LONG"));
                    default
                }
            }
        };
        let offset_lag_max = long("offset.lag.max", DEFAULT_OFFSET_LAG_MAX, 0, &mut errors);
        let interval = long(
            "emit.checkpoints.interval.seconds",
            LAB_CHECKPOINT_INTERVAL_SECS as i64,
            1,
            &mut errors,
        );
        let boolean = |key: &str, errors: &mut Vec<String>| {
            let v = get(key, "true");
            match v.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    errors.push(invalid(
                        key,
                        &v,
                        "Expected value to be either true or false",
                    ));
                    true
                }
            }
        };
        let emit_checkpoints = boolean("emit.checkpoints.enabled", &mut errors);
        let emit_offset_syncs = boolean("emit.offset-syncs.enabled", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((
            kind,
            MirrorConfig {
                source_alias: get("source.cluster.alias", "source"),
                target_alias: get("target.cluster.alias", "target"),
                source_bootstrap,
                target_bootstrap: target_bootstrap.unwrap_or_default(),
                policy,
                topics,
                topics_exclude,
                groups,
                groups_exclude,
                offset_lag_max,
                checkpoint_interval: Duration::from_secs(interval as u64),
                emit_checkpoints,
                emit_offset_syncs,
            },
        ))
    }

    pub fn topic_filter(&self) -> Filter {
        filter(&self.topics, &self.topics_exclude)
    }

    pub fn group_filter(&self) -> Filter {
        filter(&self.groups, &self.groups_exclude)
    }

    pub fn remote_topic(&self, topic: &str) -> String {
        self.policy.remote_topic(&self.source_alias, topic)
    }

    /// `MirrorSourceConnector.shouldReplicateTopic` (heartbeats aside): admitted by the
    /// topic filter, not internal, not a cycle back to the target.
    pub fn mirrors_topic(&self, filter: &Filter, topic: &str) -> bool {
        filter.admits(topic)
            && !is_internal_topic(topic)
            && !is_cycle(&self.policy, topic, &self.target_alias)
    }
}

fn filter(include: &[String], exclude: &[String]) -> Filter {
    Filter::new(&NameFilter {
        include: include.to_vec(),
        exclude: exclude.to_vec(),
    })
    .unwrap_or_else(|_| Filter::all())
}

/// A map as Java's `AbstractMap.toString` prints it: `{a=1, b=2}`.
pub fn java_string_map(m: &ConnectorConfig) -> String {
    let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// The three connector names of a topology mirror: the `connect` driver's names, else
/// `<source>-<target>-source|checkpoint|heartbeat`.
pub fn connector_names(m: &Mirror) -> [(ConnectorKind, String); 3] {
    let names = match &m.driver {
        MirrorDriverSpec::Connect(c) => Some(&c.connectors),
        MirrorDriverSpec::Mm2Properties(_) => None,
    };
    ConnectorKind::ALL.map(|k| {
        let named = names.and_then(|n| match k {
            ConnectorKind::Source => n.source.clone(),
            ConnectorKind::Checkpoint => n.checkpoint.clone(),
            ConnectorKind::Heartbeat => n.heartbeat.clone(),
        });
        let name = named.unwrap_or_else(|| format!("{}-{}-{}", m.source, m.target, k.as_str()));
        (k, name)
    })
}

/// The config the lab gives one connector of a topology mirror: MM2's keys, the
/// mirror's aliases, filters and policy, the lab clusters' addresses, checkpoints
/// every second.
pub fn planned_config(
    kind: ConnectorKind,
    name: &str,
    m: &Mirror,
    source_bootstrap: &str,
    target_bootstrap: &str,
) -> ConnectorConfig {
    let join = |l: &[String], default: &str| {
        if l.is_empty() {
            default.to_string()
        } else {
            l.join(",")
        }
    };
    let policy = match m.replication_policy {
        ReplicationPolicy::Default => Policy::default_policy(),
        ReplicationPolicy::Identity => Policy::Identity,
    };
    let converter = "org.apache.kafka.connect.converters.ByteArrayConverter";
    let pairs = [
        ("name", name.to_string()),
        ("connector.class", kind.class_name().to_string()),
        ("tasks.max", "1".into()),
        ("source.cluster.alias", m.source_alias().to_string()),
        ("target.cluster.alias", m.target_alias().to_string()),
        (
            "source.cluster.bootstrap.servers",
            source_bootstrap.to_string(),
        ),
        (
            "target.cluster.bootstrap.servers",
            target_bootstrap.to_string(),
        ),
        ("replication.policy.class", policy.class_name().to_string()),
        ("topics", join(&m.topics.include, ".*")),
        (
            "topics.exclude",
            join(&m.topics.exclude, TOPICS_EXCLUDE_DEFAULT),
        ),
        ("groups", join(&m.groups.include, ".*")),
        (
            "groups.exclude",
            join(&m.groups.exclude, GROUPS_EXCLUDE_DEFAULT),
        ),
        ("offset.lag.max", DEFAULT_OFFSET_LAG_MAX.to_string()),
        (
            "emit.checkpoints.interval.seconds",
            LAB_CHECKPOINT_INTERVAL_SECS.to_string(),
        ),
        ("sync.group.offsets.enabled", "false".into()),
        ("key.converter", converter.into()),
        ("value.converter", converter.into()),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(yaml: &str) -> Mirror {
        serde_yaml::from_str(yaml).unwrap()
    }

    const CONNECT: &str = "source: east\ntarget: west\nruns-in: dc-west\ntopics: {include: [\"payments.*\"], exclude: [\".*\\\\.internal\"]}\ngroups: {include: [\"payments-.*\"]}\ndriver:\n  connect:\n    url: http://x:8083\n    connectors: {source: s1}\n";

    #[test]
    fn classes_by_any_name() {
        for k in ConnectorKind::ALL {
            assert_eq!(ConnectorKind::from_class(k.class_name()), Some(k));
        }
        assert_eq!(
            ConnectorKind::from_class("MirrorCheckpointConnector"),
            Some(ConnectorKind::Checkpoint)
        );
        assert_eq!(
            ConnectorKind::from_class("MirrorHeartbeat"),
            Some(ConnectorKind::Heartbeat)
        );
        assert_eq!(ConnectorKind::from_class("FileStreamSource"), None);
    }

    #[test]
    fn names_from_the_driver_or_defaults() {
        let m = mirror(CONNECT);
        let names: Vec<String> = connector_names(&m).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            names,
            vec!["s1", "east-west-checkpoint", "east-west-heartbeat"]
        );
    }

    #[test]
    fn planned_configs_parse_back() {
        let m = mirror(CONNECT);
        let c = planned_config(
            ConnectorKind::Source,
            "s1",
            &m,
            "127.0.0.1:1",
            "127.0.0.1:2",
        );
        assert_eq!(c["connector.class"], ConnectorKind::Source.class_name());
        assert_eq!(c["topics"], "payments.*");
        assert_eq!(c["groups.exclude"], GROUPS_EXCLUDE_DEFAULT);
        let (kind, p) = MirrorConfig::parse(&c).unwrap();
        assert_eq!(kind, ConnectorKind::Source);
        assert_eq!(
            (p.source_alias.as_str(), p.target_alias.as_str()),
            ("east", "west")
        );
        assert_eq!(p.source_bootstrap.as_deref(), Some("127.0.0.1:1"));
        assert_eq!(p.checkpoint_interval, Duration::from_secs(1));
        assert_eq!(p.offset_lag_max, 100);
        let f = p.topic_filter();
        assert!(p.mirrors_topic(&f, "payments"));
        assert!(!p.mirrors_topic(&f, "refunds"));
        assert!(!p.mirrors_topic(&f, "payments.internal"));
        assert_eq!(p.remote_topic("payments"), "east.payments");
        assert!(p.group_filter().admits("payments-ledger"));
        assert!(!p.group_filter().admits("refund-worker"));
    }

    #[test]
    fn a_reverse_config_skips_topics_that_came_from_its_target() {
        let c: ConnectorConfig = [
            ("connector.class", "MirrorSourceConnector"),
            ("source.cluster.alias", "west"),
            ("target.cluster.alias", "east"),
            ("source.cluster.bootstrap.servers", "a:1"),
            ("target.cluster.bootstrap.servers", "b:1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (_, p) = MirrorConfig::parse(&c).unwrap();
        let f = p.topic_filter();
        assert!(!p.mirrors_topic(&f, "east.payments"));
        assert!(p.mirrors_topic(&f, "payments"));
        assert!(!p.mirrors_topic(&f, "mm2-offset-syncs.east.internal"));
        assert!(!p.mirrors_topic(&f, "__consumer_offsets"));
        assert_eq!(p.remote_topic("payments"), "west.payments");
        assert_eq!(p.checkpoint_interval, Duration::from_secs(1));
    }

    #[test]
    fn invalid_configs_say_why_as_connect_does() {
        let mut c: ConnectorConfig = [("connector.class", ConnectorKind::Source.class_name())]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        c.insert("topics".into(), "(".into());
        c.insert("offset.lag.max".into(), "many".into());
        c.insert("replication.policy.class".into(), "Nope".into());
        let errors = MirrorConfig::parse(&c).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert_eq!(
            errors[0],
            "Missing required configuration \"source.cluster.bootstrap.servers\" which has no default value."
        );
        assert!(errors
            .iter()
            .any(|e| e.starts_with("Invalid value ( for configuration topics")));
        assert!(errors.contains(
            &"Invalid value many for configuration offset.lag.max: Not a number of type LONG"
                .to_string()
        ));
        let none = MirrorConfig::parse(&ConnectorConfig::from([(
            "name".to_string(),
            "x".to_string(),
        )]))
        .unwrap_err();
        assert_eq!(
            none,
            vec!["Connector config {name=x} contains no connector type"]
        );
        let other = MirrorConfig::parse(&ConnectorConfig::from([(
            "connector.class".to_string(),
            "FileStreamSource".to_string(),
        )]))
        .unwrap_err();
        assert!(other[0].contains("not FileStreamSource"));
    }
}
