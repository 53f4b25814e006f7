//! How offsets plans, states and results look: tables for people, the same data as
//! JSON/YAML for scripts; confirmation and progress on stderr, only on a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::output::Printer;
use crate::kafka::GroupState;
use crate::offsets::apply::ApplyReport;
use crate::offsets::executor::Gathered;
use crate::offsets::journal::GroupStatus;
use crate::offsets::{Action, ResetPlan};

/// `offsets show`, one group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupOffsetsView {
    pub group: String,
    pub state: Option<GroupState>,
    pub members: Option<usize>,
    pub total_lag: i64,
    pub partitions: Vec<PartitionOffsetsView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartitionOffsetsView {
    pub topic: String,
    pub partition: i32,
    pub committed: Option<i64>,
    pub log_start: Option<i64>,
    pub log_end: Option<i64>,
    /// Records from the committed offset (or the log start when none) to the end.
    pub lag: Option<i64>,
}

pub fn show_rows(g: &Gathered) -> Vec<GroupOffsetsView> {
    g.requests
        .iter()
        .map(|r| {
            let snap = g.snapshot.groups.get(&r.group);
            let partitions: Vec<PartitionOffsetsView> = r
                .partitions
                .iter()
                .map(|tp| {
                    let committed = snap.and_then(|s| s.committed.get(tp).copied().flatten());
                    let b = g.snapshot.bounds.get(tp);
                    PartitionOffsetsView {
                        topic: tp.0.clone(),
                        partition: tp.1,
                        committed,
                        log_start: b.map(|b| b.log_start),
                        log_end: b.map(|b| b.log_end),
                        lag: b
                            .map(|b| b.log_end - committed.unwrap_or(b.log_start).max(b.log_start)),
                    }
                })
                .collect();
            GroupOffsetsView {
                group: r.group.clone(),
                state: snap.and_then(|s| s.state),
                members: snap.and_then(|s| s.members),
                total_lag: partitions.iter().filter_map(|p| p.lag).sum(),
                partitions,
            }
        })
        .collect()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

fn state_text(state: Option<GroupState>, members: Option<usize>) -> String {
    match (state, members) {
        (Some(s), Some(m)) => format!("{}, {m} member(s)", format!("{s:?}").to_lowercase()),
        _ => "state unknown".into(),
    }
}

pub fn render_show(rows: &[GroupOffsetsView], p: &Printer) -> String {
    let mut out = String::new();
    for g in rows {
        out.push_str(&format!(
            "{} ({}): lag {}\n",
            g.group,
            state_text(g.state, g.members),
            g.total_lag
        ));
        let mut t = p.table(&[
            "TOPIC",
            "PARTITION",
            "COMMITTED",
            "LOG-START",
            "LOG-END",
            "LAG",
        ]);
        for r in &g.partitions {
            t.add_row(vec![
                r.topic.clone(),
                r.partition.to_string(),
                opt(r.committed),
                opt(r.log_start),
                opt(r.log_end),
                opt(r.lag),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

fn action_text(a: Action) -> &'static str {
    match a {
        Action::Set => "set",
        Action::AlreadyAtTarget => "at target",
        Action::Skip => "skip",
        Action::Delete => "delete",
    }
}

pub fn render_plan(plan: &ResetPlan, p: &Printer) -> String {
    let t = plan.totals();
    let mut out = format!(
        "{}: {} group(s), {} partition(s): {} to change, {} already at target, {} skipped{}\n",
        plan.cluster,
        t.groups,
        t.partitions,
        t.to_set,
        t.already_at_target,
        t.skipped,
        if t.refused_groups > 0 {
            format!("; {} group(s) REFUSED", t.refused_groups)
        } else {
            String::new()
        }
    );
    for g in &plan.groups {
        out.push_str(&format!(
            "\n{} [{}] ({})\n",
            g.group,
            g.strategy,
            state_text(g.state, g.members)
        ));
        if let Some(why) = &g.refused {
            out.push_str(&format!("  REFUSED: {why}\n"));
        }
        let mut tbl = p.table(&[
            "TOPIC",
            "PARTITION",
            "CURRENT",
            "NEW",
            "DELTA",
            "ACTION",
            "WHY",
        ]);
        for r in &g.partitions {
            let mut why = r.reason.clone();
            if let Some(age) = r.checkpoint_age_ms {
                why.push_str(&format!(
                    " [checkpoint {} old]",
                    humantime::format_duration(std::time::Duration::from_secs((age / 1000) as u64))
                ));
            }
            tbl.add_row(vec![
                r.topic.clone(),
                r.partition.to_string(),
                opt(r.current),
                opt(r.target),
                r.delta.map_or_else(|| "-".into(), |d| format!("{d:+}")),
                action_text(r.action).to_string(),
                why,
            ]);
        }
        out.push_str(&format!("{tbl}\n"));
    }
    out
}

pub fn render_report(r: &ApplyReport, p: &Printer) -> String {
    let mut t = p.table(&["GROUP", "RESULT", "PARTITIONS", "DETAIL"]);
    for g in &r.groups {
        let status = match g.status {
            GroupStatus::Applied => "applied",
            GroupStatus::AlreadyAtTarget => "already at target",
            GroupStatus::Refused => "REFUSED",
            GroupStatus::Failed => "FAILED",
        };
        let detail = match (&g.error, g.confirmed_by_read_back) {
            (Some(e), _) => e.clone(),
            (None, true) => "confirmed by reading the offsets back".into(),
            (None, false) => String::new(),
        };
        t.add_row(vec![
            g.group.clone(),
            status.into(),
            g.partitions.to_string(),
            detail,
        ]);
    }
    format!(
        "{}: {} applied, {} refused, {} failed{}; journal {}\n{t}\n",
        r.cluster,
        r.count(GroupStatus::Applied),
        r.count(GroupStatus::Refused),
        r.count(GroupStatus::Failed),
        if r.interrupted { " (interrupted)" } else { "" },
        r.journal
    )
}

/// The report of an apply that had nothing to write.
pub fn noop_report(plan: &ResetPlan) -> ApplyReport {
    ApplyReport {
        cluster: plan.cluster.clone(),
        journal: String::new(),
        groups: Vec::new(),
        interrupted: false,
    }
}

/// A progress bar on stderr when interactive, else a hidden one.
pub fn progress(p: &Printer, what: &str) -> ProgressBar {
    if !p.interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(&format!("{{bar:30}} {{pos}}/{{len}} {what} {{elapsed}}"))
            .expect("static template"),
    );
    bar
}

pub fn tick(bar: &ProgressBar, done: usize, total: usize) {
    bar.set_length(total as u64);
    bar.set_position(done as u64);
}
