//! The topology file format, version 1: plain serde types.
//!
//! Every struct denies unknown fields so that a typo is an error with a position, never a
//! silently ignored setting. Semantic rules (references, pattern requirements) live in
//! `validate.rs`; operational advice lives in `lint.rs`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::secret::SecretRef;

/// The only format version this build reads.
pub const SUPPORTED_VERSION: u32 = 1;

/// A whole topology file: one deployment pattern, its datacenters, clusters, mirrors and
/// consumer groups.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Topology {
    /// Format version; must be 1.
    pub version: u32,
    /// A short name for the deployment, used in reports and lock holders.
    pub name: String,
    /// Free text shown by `topology show`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Which of the three multi-DC patterns this deployment follows.
    pub pattern: Pattern,
    /// Datacenters (or availability zones) by name.
    pub datacenters: IndexMap<String, Datacenter>,
    /// Kafka clusters by name.
    pub clusters: IndexMap<String, Cluster>,
    /// MirrorMaker 2 flows by name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub mirrors: IndexMap<String, Mirror>,
    /// Consumer groups and how each fails over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumer_groups: Vec<ConsumerGroup>,
    /// Rack-aware replica placement requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// What a drill must achieve to pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Targets>,
    /// Commands the runbooks run at fixed points (stop producers, start consumers...).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[schemars(schema_with = "hooks_schema")]
    pub hooks: IndexMap<HookEvent, Hook>,
}

impl Topology {
    /// The DC whose `racks` list `rack`.
    pub fn dc_of_rack(&self, rack: &str) -> Option<&str> {
        self.datacenters
            .iter()
            .find(|(_, d)| d.racks.iter().any(|r| r == rack))
            .map(|(name, _)| name.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// One cluster stretched over three zones, replicas spread by `broker.rack`.
    Stretched,
    /// A primary cluster mirrored to a standby cluster in another DC.
    ActivePassive,
    /// A local and an aggregate cluster per DC, mirrored local -> aggregate.
    ActiveActive,
}

impl Pattern {
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::Stretched => "stretched",
            Pattern::ActivePassive => "active-passive",
            Pattern::ActiveActive => "active-active",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Datacenter {
    /// `broker.rack` values of the brokers in this DC (required for stretched clusters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub racks: Vec<String>,
    /// Traffic this DC normally carries and the most it can carry, in any one unit
    /// (e.g. MB/s); used to check headroom when another DC is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Capacity>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capacity {
    /// Load this DC carries on a normal day.
    pub normal: f64,
    /// The most load this DC can carry.
    pub max: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClusterRole {
    /// Active/passive: where producers write on a normal day.
    Primary,
    /// Active/passive: receives the mirror; takes over on failover.
    Standby,
    /// Active/active: the DC's local cluster; producers write only here.
    Local,
    /// Active/active: the DC's aggregate cluster; the global view, fed by mirrors.
    Aggregate,
}

impl ClusterRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterRole::Primary => "primary",
            ClusterRole::Standby => "standby",
            ClusterRole::Local => "local",
            ClusterRole::Aggregate => "aggregate",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cluster {
    /// The DC this cluster lives in (clusters in one DC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// The DCs a stretched cluster spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datacenters: Vec<String>,
    /// `host:port[,host:port…]`, passed to librdkafka as `bootstrap.servers`.
    pub bootstrap: String,
    /// The cluster's role in its pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<ClusterRole>,
    /// librdkafka properties passed as they are (TLS, SASL mechanism, timeouts).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, String>,
    /// librdkafka properties whose values are secret: only `{env: VAR}` or `{file: PATH}`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub secrets: IndexMap<String, SecretRef>,
}

impl Cluster {
    /// Every DC this cluster has brokers in.
    pub fn dcs(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.datacenter.iter().map(String::as_str).collect();
        out.extend(self.datacenters.iter().map(String::as_str));
        out
    }

    /// True when connections to this cluster are encrypted (`SSL` or `SASL_SSL`).
    pub fn uses_tls(&self) -> bool {
        self.properties
            .get("security.protocol")
            .map(|p| p.eq_ignore_ascii_case("ssl") || p.eq_ignore_ascii_case("sasl_ssl"))
            .unwrap_or(false)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationPolicy {
    /// MM2's DefaultReplicationPolicy: the target topic is `<source-alias>.<topic>`.
    #[default]
    Default,
    /// MM2's IdentityReplicationPolicy: the target topic keeps its name.
    Identity,
}

/// Include/exclude regular expressions (anchored by the tool at both ends, like MM2's
/// filters).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NameFilter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Mirror {
    /// Cluster the records are read from.
    pub source: String,
    /// Cluster the records are written to.
    pub target: String,
    /// The DC whose machines run this mirror (best: the target's DC).
    pub runs_in: String,
    /// MM2's alias for the source cluster (the remote-topic prefix); default: `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_alias: Option<String>,
    /// MM2's alias for the target cluster; default: `target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_alias: Option<String>,
    #[serde(default)]
    pub replication_policy: ReplicationPolicy,
    /// Topics the mirror copies.
    #[serde(default)]
    pub topics: NameFilter,
    /// Consumer groups whose offsets the mirror checkpoints.
    #[serde(default)]
    pub groups: NameFilter,
    /// How the tool controls this mirror: `connect: {…}` or `mm2-properties: {…}`.
    #[serde(with = "serde_yaml::with::singleton_map")]
    #[schemars(with = "MirrorDriverSpec")]
    pub driver: MirrorDriverSpec,
}

impl Mirror {
    pub fn source_alias(&self) -> &str {
        self.source_alias.as_deref().unwrap_or(&self.source)
    }
    pub fn target_alias(&self) -> &str {
        self.target_alias.as_deref().unwrap_or(&self.target)
    }

    /// The name `topic` of the source gets on the target under this mirror's policy.
    pub fn remote_topic(&self, topic: &str) -> String {
        match self.replication_policy {
            ReplicationPolicy::Default => format!("{}.{topic}", self.source_alias()),
            ReplicationPolicy::Identity => topic.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum MirrorDriverSpec {
    /// MM2 as Kafka Connect connectors, driven over Connect's REST API.
    Connect(ConnectDriver),
    /// MM2 in dedicated mode, driven by editing its `mm2.properties` file.
    Mm2Properties(Mm2PropertiesDriver),
}

impl MirrorDriverSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            MirrorDriverSpec::Connect(_) => "connect",
            MirrorDriverSpec::Mm2Properties(_) => "mm2-properties",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectDriver {
    /// Base URL of the Connect REST API, e.g. `https://connect.dc-b:8083`.
    pub url: String,
    /// Connector names; defaults follow `<source>-<target>-<kind>`.
    #[serde(default)]
    pub connectors: ConnectorNames,
    /// HTTP basic auth for the REST API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<BasicAuth>,
    /// A CA bundle to verify the REST endpoint's certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Skip TLS certificate verification (never in production; linted).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_tls_verify: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectorNames {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BasicAuth {
    pub username: String,
    pub password: SecretRef,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Mm2PropertiesDriver {
    /// Path of the dedicated-mode `mm2.properties` file.
    pub file: String,
    /// Shell command that makes MM2 pick up the edited file (e.g. a service restart).
    pub reload: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GroupMode {
    /// Only one DC may run the group at a time (e.g. it writes to a stretched database):
    /// on failover the group moves.
    SingleActive,
    /// The group runs in every DC against its own database: nothing moves on failover.
    EveryDc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reads {
    /// Active/active: the group reads its DC's local cluster.
    Local,
    /// Active/active: the group reads its DC's aggregate cluster.
    Aggregate,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConsumerGroup {
    /// The exact group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A regular expression matching several group ids (anchored at both ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Topics the group consumes (source-side names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// DCs where the group runs on a normal day.
    pub active_in: Vec<String>,
    pub mode: GroupMode,
    /// Active/active only: which of its DC's clusters the group reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads: Option<Reads>,
    /// Where the group resumes after a failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverPolicy>,
}

impl ConsumerGroup {
    /// The name or pattern, for messages.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .or(self.pattern.as_deref())
            .unwrap_or("<unnamed>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetStrategy {
    /// Resume at the log start: no loss, many duplicates.
    Earliest,
    /// Resume at the log end: no duplicates, may skip records.
    Latest,
    /// Resume at the failure time minus `margin`: bounded duplicates.
    Timestamp,
    /// Resume where MirrorMaker 2's checkpoints say; falls back to `timestamp`.
    Translated,
}

impl OffsetStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetStrategy::Earliest => "earliest",
            OffsetStrategy::Latest => "latest",
            OffsetStrategy::Timestamp => "timestamp",
            OffsetStrategy::Translated => "translated",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FailoverPolicy {
    pub strategy: OffsetStrategy,
    /// For `timestamp` (and `translated`'s fallback): how far before the failure to
    /// resume, e.g. `5m`. Default 5m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Placement {
    /// Replicas every partition must have.
    pub replication_factor: u32,
    /// `min.insync.replicas` assumed when a topic does not set its own.
    pub min_insync_replicas: u32,
    /// How many DCs a partition must survive losing (stretched: usually 1).
    #[serde(default = "default_one")]
    pub survive_dc_loss: u32,
    /// The most leaders one DC may hold, as a fraction of all partitions (0..1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_leader_share: Option<f64>,
    /// Topics the requirements apply to (default: all but internal ones).
    #[serde(default)]
    pub topics: NameFilter,
}

fn default_one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Targets {
    /// Longest acceptable time for the tooling's part of a failover, e.g. `5m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rto: Option<String>,
    /// Most records consumers may read twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duplicates: Option<u64>,
    /// Require zero lost records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_loss: Option<bool>,
    /// Most records a mirror may be behind before `ready` fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_mirror_lag: Option<u64>,
    /// Oldest acceptable MM2 checkpoint, e.g. `2m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_checkpoint_age: Option<String>,
}

/// The points of a runbook where a topology's hook may run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum HookEvent {
    /// Failover: first, before anything changes.
    BeforeFailover,
    /// Failover and failback: before offsets move, so no producer writes to the old side.
    StopProducers,
    /// Failover and failback: before offsets move, so no consumer commits over them.
    StopConsumers,
    /// Failover and failback: once offsets are in place on the new side.
    StartConsumers,
    /// Failover and failback: once consumers run on the new side.
    StartProducers,
    /// Failover: last, after every step succeeded.
    AfterFailover,
    /// Failback: first, before anything changes.
    BeforeFailback,
    /// Failback: last, after every step succeeded.
    AfterFailback,
}

impl HookEvent {
    pub const ALL: [HookEvent; 8] = [
        HookEvent::BeforeFailover,
        HookEvent::StopProducers,
        HookEvent::StopConsumers,
        HookEvent::StartConsumers,
        HookEvent::StartProducers,
        HookEvent::AfterFailover,
        HookEvent::BeforeFailback,
        HookEvent::AfterFailback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::BeforeFailover => "before-failover",
            HookEvent::StopProducers => "stop-producers",
            HookEvent::StopConsumers => "stop-consumers",
            HookEvent::StartConsumers => "start-consumers",
            HookEvent::StartProducers => "start-producers",
            HookEvent::AfterFailover => "after-failover",
            HookEvent::BeforeFailback => "before-failback",
            HookEvent::AfterFailback => "after-failback",
        }
    }
}

impl std::fmt::Display for HookEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A command a runbook runs at one [`HookEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Hook {
    /// Run with `sh -c`, no stdin, the run's facts in `KF_*` environment variables.
    /// A non-zero exit stops the run.
    pub command: String,
    /// How long it may take before it (and everything it started) is killed, e.g. `2m`.
    /// Default 5m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// schemars describes a map with enum keys as any object; the keys are a closed set.
fn hooks_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": generator.subschema_for::<HookEvent>(),
        "additionalProperties": generator.subschema_for::<Hook>(),
    })
}

/// How long a hook may run when its `timeout` is not set.
pub const DEFAULT_HOOK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

impl Hook {
    /// The timeout to apply; an unparsable one (refused by `validate`) falls back to the
    /// default.
    pub fn timeout(&self) -> std::time::Duration {
        self.timeout
            .as_deref()
            .and_then(|t| humantime::parse_duration(t).ok())
            .unwrap_or(DEFAULT_HOOK_TIMEOUT)
    }
}
