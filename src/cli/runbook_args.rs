//! Flags of `failover`, `failback`, `ready`, `drill` and `rollback`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::args::{parse_duration, ConnectArgs, LabEngine};

/// Where runs keep their journals, and how they apply.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Apply the plan (default: only print it)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation (needed without a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Continue the run this journal records (after a crash or Ctrl-C)
    #[arg(long, value_name = "RUN_JOURNAL", value_hint = clap::ValueHint::FilePath)]
    pub resume: Option<PathBuf>,
    /// Directory for run journals and state that outlives a run
    #[arg(long, value_name = "DIR", default_value = "kafka-failover-state", value_hint = clap::ValueHint::DirPath)]
    pub state_dir: PathBuf,
    /// Longest any wait step waits (mirror drained, groups caught up, replicas in sync)
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub wait: Duration,
    /// Group ids matching the topology's group patterns, for clusters that cannot list groups (repeatable)
    #[arg(long = "group", value_name = "ID")]
    pub groups: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FailoverArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The datacenter that is lost
    #[arg(long, value_name = "DC")]
    pub lost: String,
    /// A controlled switchover: the source is healthy; drain it, then move groups exactly
    #[arg(long)]
    pub planned: bool,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct FailbackArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The datacenter that returns
    #[arg(long, value_name = "DC")]
    pub returning: String,
    /// Active/passive: also switch back now (stop producers, drain, move groups, restore the mirror)
    #[arg(long)]
    pub switch: bool,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct ReadyArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Only these datacenters (repeatable; default: every DC a failover can leave)
    #[arg(long = "dc", value_name = "DC")]
    pub dcs: Vec<String>,
    /// Also check these group ids (repeatable)
    #[arg(long = "group", value_name = "ID")]
    pub groups: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Run on the embedded lab (clusters shaped like the topology), not on its clusters
    #[arg(long)]
    pub lab: bool,
    /// What runs the lab's clusters
    #[arg(long, value_enum, default_value_t = LabEngine::Mock, requires = "lab")]
    pub engine: LabEngine,
    /// Folder of Kafka jars for `--engine kafka` (default: scripts/fetch-kafka's cache)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub kafka_libs: Option<PathBuf>,
    /// Brokers per lab cluster (real-Kafka labs: each broker is a JVM)
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=30))]
    pub brokers: Option<u16>,
    /// Extra lab groups copied from the topology's single-active ones (load)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub extra_groups: usize,
    /// The datacenter to lose (default: the one the pattern fails over from)
    #[arg(long, value_name = "DC")]
    pub lost: Option<String>,
    /// A controlled switchover instead of a disaster
    #[arg(long)]
    pub planned: bool,
    /// Write drill-report.json, drill-report.xml (JUnit) and drill-report.md here
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub report_dir: Option<PathBuf>,
    /// Directory for run journals
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub state_dir: Option<PathBuf>,
    /// Longest any wait step waits
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_duration)]
    pub wait: Duration,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// A run journal (`…/runs/<run>/run.jsonl`)
    #[arg(value_name = "RUN_JOURNAL", value_hint = clap::ValueHint::FilePath)]
    pub journal: PathBuf,
    /// Apply the undo (default: only print it)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum LockCommand {
    /// Who holds the run lock of a topology on a cluster, and until when
    Status(LockArgs),
    /// Free the run lock of a run known to be dead (plans; --execute applies)
    Break(LockBreakArgs),
}

#[derive(Debug, Args)]
pub struct LockArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The cluster holding the lock (the surviving cluster the run named)
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct LockBreakArgs {
    #[command(flatten)]
    pub lock: LockArgs,
    /// Break it (default: only show who holds it)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,
}
