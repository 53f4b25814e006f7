//! Flags of `offsets show|reset|rollback`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand};

use super::args::{parse_duration, ConnectArgs};

#[derive(Debug, Subcommand)]
pub enum OffsetsCommand {
    /// Committed offset, log start/end and lag per group and partition
    Show(OffsetsShowArgs),
    /// Plan (and with --execute apply) new committed offsets for consumer groups
    Reset(Box<OffsetsResetArgs>),
    /// Restore exactly the offsets a reset's journal recorded before it wrote
    Rollback(OffsetsRollbackArgs),
}

/// Which groups: named, matched, all, or the topology's.
#[derive(Debug, Clone, Args)]
pub struct GroupSelection {
    /// A consumer group (repeatable)
    #[arg(long = "group", short = 'g', value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Groups whose id matches this regex (anchored; lists the cluster's groups)
    #[arg(long, value_name = "REGEX")]
    pub group_regex: Option<String>,
    /// Every group of the cluster
    #[arg(long)]
    pub all_groups: bool,
    /// The topology's consumer groups (each with its own failover strategy for `reset`)
    #[arg(long)]
    pub groups_from_topology: bool,
}

impl GroupSelection {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.group_regex.is_none()
            && !self.all_groups
            && !self.groups_from_topology
    }
}

#[derive(Debug, Args)]
pub struct OffsetsShowArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The cluster
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    #[command(flatten)]
    pub select: GroupSelection,
    /// Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable)
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", value_parser = parse_topic_arg)]
    pub topics: Vec<TopicArg>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("strategy").multiple(false).args([
    "to_earliest", "to_latest", "to_datetime", "by_duration", "shift_by", "to_offset",
    "from_file", "to_group", "translated_from",
])))]
pub struct OffsetsResetArgs {
    /// Topology file
    #[arg(value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: PathBuf,
    /// The cluster whose groups are reset
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    #[command(flatten)]
    pub select: GroupSelection,
    /// Only these topics, `TOPIC` or `TOPIC:P,P,...` (repeatable; default: the group's)
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", value_parser = parse_topic_arg)]
    pub topics: Vec<TopicArg>,

    /// To the log start
    #[arg(long)]
    pub to_earliest: bool,
    /// To the log end
    #[arg(long)]
    pub to_latest: bool,
    /// To the first record at or after this time (RFC 3339 with zone, e.g. 2026-11-24T03:00:00Z)
    #[arg(long, value_name = "DATETIME", value_parser = parse_datetime)]
    pub to_datetime: Option<i64>,
    /// To the first record at or after now minus this (e.g. 15m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub by_duration: Option<Duration>,
    /// Move the committed offset by N (negative: back)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub shift_by: Option<i64>,
    /// To this offset
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub to_offset: Option<i64>,
    /// Offsets from a plan file: this tool's --export (CSV/JSON) or kafka-consumer-groups' CSV
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub from_file: Option<PathBuf>,
    /// Copy another group's committed positions
    #[arg(long, value_name = "GROUP")]
    pub to_group: Option<String>,
    /// Translate with the MirrorMaker 2 checkpoints of the mirror from this cluster
    #[arg(long, value_name = "SOURCE_CLUSTER")]
    pub translated_from: Option<String>,
    /// With --translated-from: partitions without a checkpoint go to now minus this
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub fallback_by_duration: Option<Duration>,

    /// Apply the plan (after confirmation on a terminal)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Write the plan to FILE (`.json`: JSON, else CSV) for a later --from-file
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub export: Option<PathBuf>,
    /// Journal path (default: kafka-failover-reset-<cluster>-<time>.journal.jsonl in --journal-dir)
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub journal: Option<PathBuf>,
    /// Folder for journals
    #[arg(long, value_name = "DIR", default_value = ".", env = "KAFKA_FAILOVER_JOURNAL_DIR", value_hint = clap::ValueHint::DirPath)]
    pub journal_dir: PathBuf,
    /// Wait up to this long for groups with live members to empty
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub wait_empty: Option<Duration>,
    /// Apply a --from-file plan even if the groups' offsets changed since it was made
    #[arg(long)]
    pub force: bool,
    /// Continue an interrupted reset from its journal (its targets; converges)
    #[arg(long, value_name = "JOURNAL", value_hint = clap::ValueHint::FilePath, conflicts_with_all = ["strategy", "groups", "group_regex", "all_groups", "groups_from_topology"])]
    pub resume: Option<PathBuf>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct OffsetsRollbackArgs {
    /// Journal written by `offsets reset --execute`
    #[arg(value_name = "JOURNAL", value_hint = clap::ValueHint::FilePath)]
    pub journal: PathBuf,
    /// Topology file (default: the one the journal names)
    #[arg(long, value_name = "TOPOLOGY", value_hint = clap::ValueHint::FilePath)]
    pub topology: Option<PathBuf>,
    /// Apply the rollback (after confirmation on a terminal)
    #[arg(long)]
    pub execute: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Roll back even where offsets changed since the reset
    #[arg(long)]
    pub force: bool,
    /// Folder for the rollback's own journal
    #[arg(long, value_name = "DIR", default_value = ".", env = "KAFKA_FAILOVER_JOURNAL_DIR", value_hint = clap::ValueHint::DirPath)]
    pub journal_dir: PathBuf,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `--topic orders` or `--topic orders:0,2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicArg {
    pub topic: String,
    /// Empty: every partition.
    pub partitions: Vec<i32>,
}

pub fn parse_topic_arg(s: &str) -> Result<TopicArg, String> {
    let (topic, parts) = match s.rsplit_once(':') {
        Some((t, p)) => (t, Some(p)),
        None => (s, None),
    };
    if topic.is_empty() {
        return Err("empty topic name".into());
    }
    let partitions = match parts {
        None => Vec::new(),
        Some(p) => p
            .split(',')
            .map(|x| {
                x.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| format!("partition `{x}` is not a non-negative number"))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(TopicArg {
        topic: topic.to_string(),
        partitions,
    })
}

/// RFC 3339 with an explicit zone (`Z` or `+02:00`) -> ms since the epoch.
pub fn parse_datetime(s: &str) -> Result<i64, String> {
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| format!("{e} (use RFC 3339 with a zone, e.g. 2026-11-24T03:00:00Z or 2026-11-24T04:00:00+01:00)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_args() {
        assert_eq!(parse_topic_arg("a").unwrap().partitions, Vec::<i32>::new());
        assert_eq!(parse_topic_arg("a:0,2").unwrap().partitions, vec![0, 2]);
        assert!(parse_topic_arg("a:x").is_err());
        assert!(parse_topic_arg(":1").is_err());
    }

    #[test]
    fn datetimes_need_a_zone() {
        assert_eq!(parse_datetime("1970-01-01T00:00:01Z"), Ok(1000));
        assert_eq!(parse_datetime("1970-01-01T01:00:01+01:00"), Ok(1000));
        assert!(parse_datetime("1970-01-01T00:00:01").is_err());
    }
}
