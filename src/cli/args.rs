//! The command line, as clap types. Nothing outside `cli/` sees these: commands resolve
//! them into plain settings first.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

#[derive(Debug, Parser)]
#[command(
    name = "kafka-failover",
    version,
    about = "Run multi-datacenter Apache Kafka failovers, failbacks and drills",
    long_about = "Run multi-datacenter Apache Kafka failovers, failbacks and drills.\n\n\
        A topology file describes one deployment: a stretched cluster, active/passive \
        clusters with a MirrorMaker 2 flow, or active/active local and aggregate clusters. \
        Commands that change a cluster only plan unless given --execute.",
    after_help = "Exit codes: 0 ok, 1 problems found or action refused, 2 usage error or invalid topology, \
        3 partially applied, 4 not confirmed, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format of the data written to stdout
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Print only data and errors (no progress, no notes)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More diagnostics on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never color output (also: the NO_COLOR environment variable)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, lint and inspect topology files (offline)
    #[command(subcommand)]
    Topology(TopologyCommand),
    /// Cluster health: brokers per DC, partitions, groups
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Rack-aware replica placement checks and fix proposals
    #[command(subcommand)]
    Placement(PlacementCommand),
    /// Consumer-group offsets: show, reset, rollback
    #[command(subcommand)]
    Offsets(super::offsets_args::OffsetsCommand),
    /// MirrorMaker 2 control: status, pause, resume, reverse
    #[command(subcommand)]
    Mirror(super::mirror_args::MirrorCommand),
    /// Fail over away from a lost datacenter (plans; --execute applies)
    Failover(super::runbook_args::FailoverArgs),
    /// Fail back to a returning datacenter (plans; --execute applies)
    Failback(super::runbook_args::FailbackArgs),
    /// Would a failover away from each datacenter succeed now? (changes nothing)
    Ready(super::runbook_args::ReadyArgs),
    /// Run a failover and failback end to end and report on it
    Drill(super::runbook_args::DrillArgs),
    /// Undo what a failover or failback run did, from its run journal
    Rollback(super::runbook_args::RollbackArgs),
    /// The run lock on a cluster: who holds it; break a dead run's lock
    #[command(subcommand)]
    Lock(super::runbook_args::LockCommand),
    /// Embedded clusters shaped like a topology, with traffic (no Kafka install needed)
    #[command(subcommand)]
    Lab(LabCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Subcommand)]
pub enum TopologyCommand {
    /// Check that topology files are valid (syntax, types, references, secrets)
    Validate(FilesArgs),
    /// Check topology files against operational rules (warnings)
    Lint(LintArgs),
    /// Print the JSON Schema of the topology format
    Schema,
    /// Summarise a topology: datacenters, clusters, mirrors, consumer groups
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// Topology files; `-` reads stdin
    #[arg(required = true, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Topology files; `-` reads stdin
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath, required_unless_present = "list_rules")]
    pub files: Vec<PathBuf>,
    /// Exit 1 when any finding of this severity is found
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
    /// List every lint rule with its explanation
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Topology file; `-` reads stdin
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate a completion script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// How to reach clusters: shared by every command that talks to Kafka.
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// A librdkafka property for every cluster, or `CLUSTER:KEY=VALUE` for one (repeatable)
    #[arg(short = 'X', long = "client-property", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub client_properties: Vec<crate::kafka::PropertyOverride>,
    /// Deadline of each request to a cluster (e.g. `10s`, `1m`)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
}

fn parse_override(s: &str) -> Result<crate::kafka::PropertyOverride, String> {
    crate::kafka::PropertyOverride::parse(s)
}

pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (use e.g. `30s`, `5m`)"))
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Reachability, brokers per DC, controller, partitions at risk and groups, per cluster
    Status(ClusterStatusArgs),
}

#[derive(Debug, Args)]
pub struct ClusterStatusArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Only these clusters (repeatable; default: all)
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// Start clusters shaped like TOPOLOGY, seed them and keep records flowing
    Up(LabUpArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabEngine {
    /// librdkafka's in-process mock clusters (nothing to install)
    Mock,
    /// Real Apache Kafka brokers from a folder of Kafka jars (`--kafka-libs`)
    Kafka,
}

#[derive(Debug, Args)]
pub struct LabUpArgs {
    /// Topology file to shape the lab after
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Write a copy of the topology pointed at the lab's clusters here
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub write_topology: Option<PathBuf>,
    /// Stop after this long (default: run until Ctrl-C)
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
    pub run_for: Option<Duration>,
    /// What runs the clusters
    #[arg(long, value_enum, default_value_t = LabEngine::Mock)]
    pub engine: LabEngine,
    /// Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka's cache)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub kafka_libs: Option<PathBuf>,
    /// Partitions per topic
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(i32).range(1..=1000))]
    pub partitions: i32,
    /// Records seeded per partition before groups commit (at half)
    #[arg(long, default_value_t = 100)]
    pub records: u32,
    /// Brokers per cluster (at least one per DC; racks taken in turn). Real-Kafka labs: each broker is a JVM
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=30))]
    pub brokers: u16,
}

#[derive(Debug, Subcommand)]
pub enum PlacementCommand {
    /// Check replica placement against the topology; `--lose DC` shows what losing DCs does
    Check(PlacementCheckArgs),
    /// Write a minimal-move reassignment (kafka-reassign-partitions JSON) that fixes violations
    Propose(PlacementProposeArgs),
}

#[derive(Debug, Args)]
pub struct PlacementCheckArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Only these clusters (repeatable; default: all)
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// Only topics matching this regex (repeatable)
    #[arg(long = "topic", value_name = "REGEX")]
    pub topics: Vec<String>,
    /// What-if: these datacenters are lost (repeatable)
    #[arg(long = "lose", value_name = "DC")]
    pub lose: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct PlacementProposeArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The cluster (required when the topology has several)
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Only topics matching this regex (repeatable)
    #[arg(long = "topic", value_name = "REGEX")]
    pub topics: Vec<String>,
    /// Where to write the reassignment JSON
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub out: PathBuf,
    #[command(flatten)]
    pub connect: ConnectArgs,
}
