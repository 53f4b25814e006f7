//! Pure: the Kafka Connect configs of MirrorMaker 2's three connectors for one flow, and
//! the connectors' names. `mirror reverse` builds the reverse flow with the same function.
//!
//! Key names are MirrorMaker 2's own (apache/kafka `connect/mirror`: `MirrorConnectorConfig`,
//! `MirrorSourceConfig`, `MirrorCheckpointConfig`, `DefaultTopicFilter`, `DefaultGroupFilter`,
//! and the converters `MirrorMakerConfig` gives its connectors in dedicated mode).

use indexmap::IndexMap;
use serde::Serialize;

use super::status::ConnectorKind;
use super::MirrorError;
use crate::topology::model::ConnectorNames;
use crate::topology::{Mirror, ReplicationPolicy, Topology};

/// A connector config as Connect's REST API takes it: string keys and values.
pub type ConnectorConfig = IndexMap<String, String>;

/// MM2's `DefaultTopicFilter.TOPICS_EXCLUDE_DEFAULT`, kept when the tool writes
/// `topics.exclude` (writing the key replaces MM2's default).
pub const MM2_DEFAULT_TOPICS_EXCLUDE: [&str; 3] = [".*[\\-\\.]internal", ".*\\.replica", "__.*"];
/// MM2's `DefaultGroupFilter.GROUPS_EXCLUDE_DEFAULT`, kept the same way.
pub const MM2_DEFAULT_GROUPS_EXCLUDE: [&str; 3] = ["console-consumer-.*", "connect-.*", "__.*"];

const BYTE_ARRAY_CONVERTER: &str = "org.apache.kafka.connect.converters.ByteArrayConverter";

/// The names of a mirror's three connectors on its Connect cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorNameSet {
    pub source: String,
    pub checkpoint: String,
    pub heartbeat: String,
}

impl ConnectorNameSet {
    /// `<source>-<target>-source|checkpoint|heartbeat` (cluster names, as
    /// [`ConnectorNames`] documents).
    pub fn defaults(source_cluster: &str, target_cluster: &str) -> ConnectorNameSet {
        let name = |kind: &str| format!("{source_cluster}-{target_cluster}-{kind}");
        ConnectorNameSet {
            source: name("source"),
            checkpoint: name("checkpoint"),
            heartbeat: name("heartbeat"),
        }
    }

    /// The topology's names where it gives them, the defaults elsewhere.
    pub fn resolve(mirror: &Mirror, names: &ConnectorNames) -> ConnectorNameSet {
        let d = ConnectorNameSet::defaults(&mirror.source, &mirror.target);
        ConnectorNameSet {
            source: names.source.clone().unwrap_or(d.source),
            checkpoint: names.checkpoint.clone().unwrap_or(d.checkpoint),
            heartbeat: names.heartbeat.clone().unwrap_or(d.heartbeat),
        }
    }

    pub fn get(&self, kind: ConnectorKind) -> &str {
        match kind {
            ConnectorKind::Source => &self.source,
            ConnectorKind::Checkpoint => &self.checkpoint,
            ConnectorKind::Heartbeat => &self.heartbeat,
        }
    }

    /// Source, checkpoint, heartbeat: the order the tool stops and creates them in.
    pub fn iter(&self) -> impl Iterator<Item = (ConnectorKind, &str)> {
        ConnectorKind::ALL.into_iter().map(|k| (k, self.get(k)))
    }

    pub fn kind_of(&self, name: &str) -> Option<ConnectorKind> {
        self.iter().find(|(_, n)| *n == name).map(|(k, _)| k)
    }
}

/// Tunables of the generated configs. `Default` is what the tool deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mm2ConnectorOptions {
    /// `tasks.max`; Connect's default (1) when None.
    pub tasks_max: Option<u32>,
    /// `emit.checkpoints.interval.seconds`. 10 (MM2: 60): fresher checkpoints mean fewer
    /// records read twice after a translated failover.
    pub emit_checkpoints_interval_seconds: u64,
    /// `refresh.topics.interval.seconds`. 60 (MM2: 600): new topics are mirrored sooner.
    pub refresh_topics_interval_seconds: u64,
    /// `refresh.groups.interval.seconds`. 60 (MM2: 600).
    pub refresh_groups_interval_seconds: u64,
    /// `replication.factor` of remote topics and of MM2's internal topics
    /// (`offset-syncs.topic.`, `checkpoints.topic.`, `heartbeats.topic.replication.factor`);
    /// MM2's defaults (2 and 3) when None.
    pub replication_factor: Option<u16>,
    /// More `topics.exclude` patterns, e.g. the old direction's remote topics when
    /// reversing under the identity policy.
    pub extra_topic_excludes: Vec<String>,
    /// Set last on every connector, overriding anything above (e.g.
    /// `source.cluster.sasl.jaas.config` with a Connect config provider reference).
    pub extra: ConnectorConfig,
}

impl Default for Mm2ConnectorOptions {
    fn default() -> Self {
        Mm2ConnectorOptions {
            tasks_max: None,
            emit_checkpoints_interval_seconds: 10,
            refresh_topics_interval_seconds: 60,
            refresh_groups_interval_seconds: 60,
            replication_factor: None,
            extra_topic_excludes: Vec::new(),
            extra: ConnectorConfig::new(),
        }
    }
}

/// One connector to create or reconfigure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mm2Connector {
    pub kind: ConnectorKind,
    pub name: String,
    pub config: ConnectorConfig,
}

/// The replication policy's Java class (`replication.policy.class`).
pub fn replication_policy_class(policy: ReplicationPolicy) -> &'static str {
    match policy {
        ReplicationPolicy::Default => "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
        ReplicationPolicy::Identity => "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
    }
}

/// The three connector configs of `mirror`'s flow (source cluster -> target cluster).
///
/// Bootstraps come from the topology's clusters. Of their client properties only
/// `security.protocol` and `sasl.mechanism` are copied (same names and values in Java
/// clients); credentials never are: pass them through `opts.extra`, ideally as Connect
/// config-provider references, so no secret ends up in a plan or a journal.
///
/// `sync.group.offsets.enabled` is always `false`: the tool moves consumer groups itself.
pub fn mm2_connector_configs(
    topology: &Topology,
    mirror: &Mirror,
    names: &ConnectorNameSet,
    opts: &Mm2ConnectorOptions,
) -> Result<Vec<Mm2Connector>, MirrorError> {
    let cluster = |name: &str| {
        topology.clusters.get(name).ok_or_else(|| {
            MirrorError::InvalidSpec(format!("mirror cluster `{name}` is not in the topology"))
        })
    };
    let source = cluster(&mirror.source)?;
    let target = cluster(&mirror.target)?;

    let mut base = ConnectorConfig::new();
    let put = |c: &mut ConnectorConfig, k: &str, v: &str| {
        c.insert(k.to_string(), v.to_string());
    };
    put(&mut base, "source.cluster.alias", mirror.source_alias());
    put(&mut base, "target.cluster.alias", mirror.target_alias());
    put(
        &mut base,
        "source.cluster.bootstrap.servers",
        &source.bootstrap,
    );
    put(
        &mut base,
        "target.cluster.bootstrap.servers",
        &target.bootstrap,
    );
    // On Kafka Connect the connectors' records (copies, checkpoints, heartbeats) are
    // written by the worker's producer, to the worker's own Kafka cluster unless
    // overridden: point it at the target, so a flow also works on a Connect cluster
    // attached to its source (as the reverse flow is, on the old direction's worker).
    // Needs the worker's `connector.client.config.override.policy=All` (Kafka's default).
    put(
        &mut base,
        "producer.override.bootstrap.servers",
        &target.bootstrap,
    );
    for (prefix, c) in [
        ("source.cluster.", source),
        ("target.cluster.", target),
        ("producer.override.", target),
    ] {
        if let Some(p) = c.properties.get("security.protocol") {
            put(
                &mut base,
                &format!("{prefix}security.protocol"),
                &p.to_ascii_uppercase(),
            );
        }
        if let Some(m) = c.properties.get("sasl.mechanism") {
            put(&mut base, &format!("{prefix}sasl.mechanism"), m);
        }
    }
    put(
        &mut base,
        "replication.policy.class",
        replication_policy_class(mirror.replication_policy),
    );
    for k in ["key.converter", "value.converter", "header.converter"] {
        put(&mut base, k, BYTE_ARRAY_CONVERTER);
    }

    let topics = include_list("topics", &mirror.topics.include)?;
    let mut topic_excludes: Vec<String> = mirror.topics.exclude.clone();
    topic_excludes.extend(opts.extra_topic_excludes.iter().cloned());
    let topics_exclude = exclude_list("topics", &topic_excludes, &MM2_DEFAULT_TOPICS_EXCLUDE)?;
    let groups = include_list("groups", &mirror.groups.include)?;
    let groups_exclude = exclude_list(
        "groups",
        &mirror.groups.exclude,
        &MM2_DEFAULT_GROUPS_EXCLUDE,
    )?;

    let mut out = Vec::new();
    for (kind, name) in names.iter() {
        let mut c = ConnectorConfig::new();
        put(&mut c, "name", name);
        put(&mut c, "connector.class", kind.class_name());
        if let Some(n) = opts.tasks_max {
            put(&mut c, "tasks.max", &n.to_string());
        }
        c.extend(base.clone());
        let rf = opts.replication_factor.map(|n| n.to_string());
        match kind {
            ConnectorKind::Source => {
                put(&mut c, "topics", &topics);
                if let Some(x) = &topics_exclude {
                    put(&mut c, "topics.exclude", x);
                }
                put(
                    &mut c,
                    "refresh.topics.interval.seconds",
                    &opts.refresh_topics_interval_seconds.to_string(),
                );
                if let Some(rf) = &rf {
                    put(&mut c, "replication.factor", rf);
                    put(&mut c, "offset-syncs.topic.replication.factor", rf);
                }
            }
            ConnectorKind::Checkpoint => {
                // The checkpoint connector filters topics too: only mirrored topics get
                // checkpoints.
                put(&mut c, "topics", &topics);
                if let Some(x) = &topics_exclude {
                    put(&mut c, "topics.exclude", x);
                }
                put(&mut c, "groups", &groups);
                if let Some(x) = &groups_exclude {
                    put(&mut c, "groups.exclude", x);
                }
                put(
                    &mut c,
                    "emit.checkpoints.interval.seconds",
                    &opts.emit_checkpoints_interval_seconds.to_string(),
                );
                put(&mut c, "sync.group.offsets.enabled", "false");
                put(
                    &mut c,
                    "refresh.groups.interval.seconds",
                    &opts.refresh_groups_interval_seconds.to_string(),
                );
                if let Some(rf) = &rf {
                    put(&mut c, "checkpoints.topic.replication.factor", rf);
                }
            }
            ConnectorKind::Heartbeat => {
                if let Some(rf) = &rf {
                    put(&mut c, "heartbeats.topic.replication.factor", rf);
                }
            }
        }
        c.extend(opts.extra.clone());
        out.push(Mm2Connector {
            kind,
            name: name.to_string(),
            config: c,
        });
    }
    Ok(out)
}

/// MM2's list syntax: comma-separated regexes, each matched against the whole name (the
/// topology's anchoring). Empty means everything.
fn include_list(what: &str, patterns: &[String]) -> Result<String, MirrorError> {
    if patterns.is_empty() {
        return Ok(".*".to_string());
    }
    check_patterns(what, patterns)?;
    Ok(patterns.join(","))
}

fn exclude_list(
    what: &str,
    patterns: &[String],
    mm2_defaults: &[&str],
) -> Result<Option<String>, MirrorError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    check_patterns(what, patterns)?;
    let mut all: Vec<&str> = mm2_defaults.to_vec();
    for p in patterns {
        if !all.contains(&p.as_str()) {
            all.push(p);
        }
    }
    Ok(Some(all.join(",")))
}

pub(crate) fn check_patterns(what: &str, patterns: &[String]) -> Result<(), MirrorError> {
    for p in patterns {
        if p.contains(',') {
            return Err(MirrorError::InvalidSpec(format!(
                "{what} pattern `{p}` contains a comma, which MirrorMaker 2 reads as a list \
                 separator; write it without one (e.g. `a{{1}}b|a{{2}}b` instead of `a{{1,2}}b`)"
            )));
        }
        if p.trim().is_empty() || p.trim() != p {
            return Err(MirrorError::InvalidSpec(format!(
                "{what} pattern `{p}` is empty or has surrounding whitespace, which MirrorMaker 2 drops"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topology(policy: &str, topics: &str) -> Topology {
        serde_yaml::from_str(&format!(
            r#"
version: 1
name: t
pattern: active-passive
datacenters: {{a: {{}}, b: {{}}}}
clusters:
  east: {{datacenter: a, bootstrap: "e1:9092,e2:9092", role: primary,
          properties: {{security.protocol: sasl_ssl, sasl.mechanism: SCRAM-SHA-512, sasl.username: u}}}}
  west: {{datacenter: b, bootstrap: "w1:9092", role: standby}}
mirrors:
  e2w:
    source: east
    target: west
    runs-in: b
    source-alias: E
    replication-policy: {policy}
    topics: {topics}
    groups: {{include: ["payments-.*"]}}
    driver: {{connect: {{url: "http://127.0.0.1:1"}}}}
"#
        ))
        .unwrap()
    }

    fn build(t: &Topology, opts: &Mm2ConnectorOptions) -> Result<Vec<Mm2Connector>, MirrorError> {
        let m = &t.mirrors["e2w"];
        mm2_connector_configs(t, m, &ConnectorNameSet::defaults("east", "west"), opts)
    }

    #[test]
    fn names_default_to_source_target_kind() {
        let t = topology("default", "{}");
        let m = &t.mirrors["e2w"];
        let names = ConnectorNameSet::resolve(
            m,
            &ConnectorNames {
                source: Some("custom".into()),
                ..Default::default()
            },
        );
        assert_eq!(names.source, "custom");
        assert_eq!(names.checkpoint, "east-west-checkpoint");
        assert_eq!(names.heartbeat, "east-west-heartbeat");
        assert_eq!(
            names.kind_of("east-west-heartbeat"),
            Some(ConnectorKind::Heartbeat)
        );
    }

    #[test]
    fn source_connector_config_has_mm2_keys() {
        let t = topology(
            "default",
            r#"{include: ["payments.*", "refunds"], exclude: ["tmp-.*"]}"#,
        );
        let all = build(&t, &Mm2ConnectorOptions::default()).unwrap();
        assert_eq!(all.len(), 3);
        let src = &all[0];
        assert_eq!(src.kind, ConnectorKind::Source);
        assert_eq!(src.name, "east-west-source");
        let c = &src.config;
        assert_eq!(c["name"], "east-west-source");
        assert_eq!(
            c["connector.class"],
            "org.apache.kafka.connect.mirror.MirrorSourceConnector"
        );
        assert_eq!(c["source.cluster.alias"], "E");
        assert_eq!(c["target.cluster.alias"], "west");
        assert_eq!(c["source.cluster.bootstrap.servers"], "e1:9092,e2:9092");
        assert_eq!(c["target.cluster.bootstrap.servers"], "w1:9092");
        assert_eq!(c["source.cluster.security.protocol"], "SASL_SSL");
        assert_eq!(c["source.cluster.sasl.mechanism"], "SCRAM-SHA-512");
        assert!(!c.keys().any(|k| k.contains("username")));
        assert!(!c.contains_key("target.cluster.security.protocol"));
        assert_eq!(
            c["replication.policy.class"],
            "org.apache.kafka.connect.mirror.DefaultReplicationPolicy"
        );
        assert_eq!(c["key.converter"], BYTE_ARRAY_CONVERTER);
        assert_eq!(c["value.converter"], BYTE_ARRAY_CONVERTER);
        assert_eq!(c["header.converter"], BYTE_ARRAY_CONVERTER);
        assert_eq!(c["topics"], "payments.*,refunds");
        assert_eq!(
            c["topics.exclude"],
            ".*[\\-\\.]internal,.*\\.replica,__.*,tmp-.*"
        );
        assert_eq!(c["refresh.topics.interval.seconds"], "60");
        assert!(!c.contains_key("groups"));
        assert!(!c.contains_key("tasks.max"));
    }

    #[test]
    fn checkpoint_and_heartbeat_configs() {
        let t = topology("identity", "{}");
        let opts = Mm2ConnectorOptions {
            tasks_max: Some(4),
            replication_factor: Some(1),
            extra: [(
                "source.cluster.sasl.jaas.config".to_string(),
                "${file:/s:j}".to_string(),
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        };
        let all = build(&t, &opts).unwrap();
        let cp = &all[1].config;
        assert_eq!(
            cp["connector.class"],
            "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
        );
        assert_eq!(cp["topics"], ".*");
        assert!(!cp.contains_key("topics.exclude"));
        assert_eq!(cp["groups"], "payments-.*");
        assert_eq!(cp["emit.checkpoints.interval.seconds"], "10");
        assert_eq!(cp["sync.group.offsets.enabled"], "false");
        assert_eq!(cp["checkpoints.topic.replication.factor"], "1");
        assert_eq!(cp["tasks.max"], "4");
        assert_eq!(
            cp["replication.policy.class"],
            "org.apache.kafka.connect.mirror.IdentityReplicationPolicy"
        );
        assert_eq!(cp["source.cluster.sasl.jaas.config"], "${file:/s:j}");
        let hb = &all[2].config;
        assert_eq!(
            hb["connector.class"],
            "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector"
        );
        assert_eq!(hb["heartbeats.topic.replication.factor"], "1");
        assert!(!hb.contains_key("topics"));
        assert_eq!(all[0].config["replication.factor"], "1");
        assert_eq!(all[0].config["offset-syncs.topic.replication.factor"], "1");
    }

    #[test]
    fn extra_excludes_and_commas() {
        let t = topology("identity", "{}");
        let opts = Mm2ConnectorOptions {
            extra_topic_excludes: vec!["payments".into()],
            ..Default::default()
        };
        let all = build(&t, &opts).unwrap();
        assert!(all[0].config["topics.exclude"].ends_with(",__.*,payments"));
        let t = topology("default", r#"{include: ["a{1,2}"]}"#);
        let e = build(&t, &Mm2ConnectorOptions::default()).unwrap_err();
        assert!(e.to_string().contains("contains a comma"), "{e}");
    }
}
