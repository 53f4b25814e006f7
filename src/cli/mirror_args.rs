//! Flags of `mirror status|pause|resume|reverse|rollback`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::args::{parse_duration, ConnectArgs};

#[derive(Debug, Subcommand)]
pub enum MirrorCommand {
    /// Per mirror: driver, connectors and tasks, lag per topic, checkpoint and offset-sync age
    Status(MirrorStatusArgs),
    /// Pause a mirror (plan; --execute applies)
    Pause(MirrorChangeArgs),
    /// Resume a paused or stopped mirror (plan; --execute applies)
    Resume(MirrorChangeArgs),
    /// Stop a mirror and start the reverse direction without copying anything twice
    Reverse(MirrorReverseArgs),
    /// Undo what a mirror journal recorded, last step first
    Rollback(MirrorRollbackArgs),
}

#[derive(Debug, Args)]
pub struct MirrorStatusArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// Only this mirror (repeatable; default: all)
    #[arg(long = "mirror", value_name = "NAME")]
    pub mirrors: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Safety flags shared by the commands that change a mirror.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// Apply the plan (after confirmation on a terminal)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Folder for the journal
    #[arg(long, value_name = "DIR", default_value = ".", env = "KAFKA_FAILOVER_JOURNAL_DIR", value_hint = clap::ValueHint::DirPath)]
    pub journal_dir: PathBuf,
    /// Longest wait for a mirror to reach a state
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_duration)]
    pub wait: Duration,
}

#[derive(Debug, Args)]
pub struct MirrorChangeArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The mirror
    #[arg(long, value_name = "NAME")]
    pub mirror: String,
    #[command(flatten)]
    pub apply: ApplyArgs,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct MirrorReverseArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The mirror to reverse
    #[arg(long, value_name = "NAME")]
    pub mirror: String,
    /// Also write the topology with the mirror reversed (and primary/standby swapped) here
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub write_topology: Option<PathBuf>,
    /// Dedicated mode under the identity policy cannot position the reverse flow: copy from the log start anyway
    #[arg(long)]
    pub force: bool,
    /// A config key for every connector of the reverse flow, e.g. `replication.factor=3` (repeatable)
    #[arg(long = "connector-config", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub connector_config: Vec<(String, String)>,
    #[command(flatten)]
    pub apply: ApplyArgs,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct MirrorRollbackArgs {
    /// Journal written by `mirror pause|resume|reverse --execute`
    #[arg(value_name = "JOURNAL", value_hint = clap::ValueHint::FilePath)]
    pub journal: PathBuf,
    /// Apply the rollback (after confirmation on a terminal)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Deadline of each request to the mirror's driver (e.g. `10s`)
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub timeout: Duration,
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err("expected KEY=VALUE".into()),
    }
}
