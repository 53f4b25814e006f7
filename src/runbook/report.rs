//! A drill's report: what each step took, what the consumers saw, and whether the
//! topology's targets were met. Rendered as a terminal table, JSON, JUnit XML (for CI)
//! and Markdown.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil::write_private;

mod junit;
mod text;

pub use junit::{to_junit, xml_escape};
pub use text::{render_table, to_markdown};

/// One step of a phase, as run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTiming {
    /// Stable step id, e.g. `move-groups`.
    pub id: String,
    /// What the step did, for people.
    pub title: String,
    /// `done`, `skipped` or `failed`.
    pub status: String,
    pub ms: u64,
    /// Extra facts (e.g. "12 groups moved").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// `failover` or `failback` (or a drill's own `outage` / `recovery`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseReport {
    pub name: String,
    pub ms: u64,
    pub steps: Vec<StepTiming>,
}

/// One consumer group's journey through the drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub group: String,
    /// Cluster the group read before the outage.
    pub from_cluster: String,
    /// Cluster it reads after the failover (the same for a stretched cluster).
    pub to_cluster: String,
    /// `translated`, `timestamp`, `earliest`, `latest`, `kept` (stretched), `drained`.
    pub strategy: String,
    /// Records the group's consumer read on `to_cluster` after the failover.
    pub read_after: u64,
    /// Of those, records it had already processed before the outage.
    pub duplicates: u64,
    /// Records it had not processed before the outage and never read after it.
    pub lost: u64,
    /// Whether its committed offsets ended where the runbook meant them to.
    pub ended_as_expected: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// One pass/fail judgement against the topology's targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Stable id, e.g. `max-rto`, `max-duplicates`, `zero-loss`, `groups-resumed`.
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

/// A whole drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillReport {
    /// Topology `name`.
    pub topology: String,
    /// `stretched`, `active-passive`, `active-active`.
    pub pattern: String,
    /// `mock` (embedded lab), `kafka` (lab on real Kafka) or `live` (the topology's clusters).
    pub engine: String,
    pub lost_dc: String,
    /// A controlled switchover (`--planned`) rather than a disaster.
    pub planned: bool,
    /// RFC 3339.
    pub started_at: String,
    pub total_ms: u64,
    /// The tooling's part of the outage: the failover phase's steps, end to end.
    pub rto_ms: u64,
    /// Records produced on the lost side that never reached the survivor.
    pub records_lost: u64,
    /// Records consumers read twice, over every group.
    pub records_duplicated: u64,
    pub phases: Vec<PhaseReport>,
    pub groups: Vec<GroupResult>,
    pub checks: Vec<Check>,
    /// Every check passed.
    pub passed: bool,
}

/// Where [`write_reports`] puts each format, inside its directory.
pub const JSON_FILE: &str = "drill-report.json";
pub const JUNIT_FILE: &str = "drill-report.xml";
pub const MARKDOWN_FILE: &str = "drill-report.md";

/// The report as pretty JSON (ends with a newline).
pub fn to_json(r: &DrillReport) -> String {
    // Plain structs, strings and numbers: serializing cannot fail.
    serde_json::to_string_pretty(r).expect("a drill report serializes") + "\n"
}

/// Writes the JSON, JUnit XML and Markdown reports into `dir` (created if missing), each
/// atomically and owner-only like every file the tool writes (share them on purpose).
/// Returns their paths.
pub fn write_reports(dir: &Path, r: &DrillReport) -> std::io::Result<Vec<PathBuf>> {
    crate::fsutil::create_private_dir(dir)?;
    let mut out = Vec::new();
    for (name, text) in [
        (JSON_FILE, to_json(r)),
        (JUNIT_FILE, to_junit(r)),
        (MARKDOWN_FILE, to_markdown(r)),
    ] {
        let path = dir.join(name);
        write_private(&path, &text)?;
        out.push(path);
    }
    Ok(out)
}

/// `PASS` or `FAIL`.
fn verdict(r: &DrillReport) -> &'static str {
    if r.passed {
        "PASS"
    } else {
        "FAIL"
    }
}

/// What was drilled: `drill NAME lose DC` or `drill NAME switch over from DC`.
fn title(r: &DrillReport) -> String {
    if r.planned {
        format!("drill {} switch over from {}", r.topology, r.lost_dc)
    } else {
        format!("drill {} lose {}", r.topology, r.lost_dc)
    }
}

/// Milliseconds as seconds with three decimals, e.g. `12.034`.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Steps of every phase, with their phase.
fn steps(r: &DrillReport) -> impl Iterator<Item = (&PhaseReport, &StepTiming)> {
    r.phases
        .iter()
        .flat_map(|p| p.steps.iter().map(move |s| (p, s)))
}

#[cfg(test)]
mod tests;
