//! Runs a plan's steps in order, journaling each; stops at the first failure. The
//! only part of `runbook` that touches clusters (through the step modules).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::journal::{Artifact, RunEntry, RunJournal, StepStatus};
use super::plan::{PlannedStep, RunPlan, StepKind};
use super::steps;
use crate::clock::now_ms;
use crate::mirror::observe::Reach;
use crate::mirror::DriverOptions;
use crate::topology::{HookEvent, Topology};

/// Everything a step needs to reach the clusters and report.
pub struct RunEnv<'a> {
    pub topology: &'a Topology,
    /// The topology file (for hooks and journals).
    pub topology_path: PathBuf,
    pub reach: Reach<'a>,
    pub driver: DriverOptions,
    /// Where this run writes its journals.
    pub run_dir: PathBuf,
    /// Where state that outlives a run lives (the reverse mirror's journal).
    pub state_dir: PathBuf,
    /// The longest any wait step waits.
    pub wait: Duration,
    pub run_id: String,
    pub interrupted: &'a AtomicBool,
    /// Messages for the operator: level 0 a note, 1+ debug.
    pub say: &'a (dyn Fn(u8, &str) + Sync),
    /// Lines a hook prints.
    pub hook_output: &'a (dyn Fn(&str) + Sync),
    /// A drill's own action at each hook event (before the topology's hook), e.g. the
    /// lab stopping its producers; returns what it did.
    pub inline_hooks: Option<&'a (dyn Fn(HookEvent) -> anyhow::Result<Option<String>> + Sync)>,
}

impl RunEnv<'_> {
    pub fn note(&self, msg: &str) {
        (self.say)(0, msg)
    }
    pub fn stopped(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }
}

/// What a step did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub status: StepStatus,
    pub detail: String,
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

impl Outcome {
    pub fn done(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: StepStatus::Done,
            detail: detail.into(),
            data: serde_json::Value::Null,
            artifacts: Vec::new(),
        }
    }
    pub fn skipped(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: StepStatus::Skipped,
            ..Outcome::done(detail)
        }
    }
    pub fn warning(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: StepStatus::Warning,
            ..Outcome::done(detail)
        }
    }
    pub fn with_data(mut self, data: serde_json::Value) -> Outcome {
        self.data = data;
        self
    }
    pub fn with_artifacts(mut self, a: Vec<Artifact>) -> Outcome {
        self.artifacts = a;
        self
    }
}

/// A step's failure: what went wrong, and the journals it wrote before failing.
#[derive(Debug)]
pub struct StepFailure {
    pub error: anyhow::Error,
    pub artifacts: Vec<Artifact>,
    /// Stopped by Ctrl-C, not by a fault.
    pub interrupted: bool,
}

impl From<anyhow::Error> for StepFailure {
    fn from(error: anyhow::Error) -> Self {
        StepFailure {
            error,
            artifacts: Vec::new(),
            interrupted: false,
        }
    }
}

/// One step as run.
#[derive(Debug, Clone, Serialize)]
pub struct StepResult {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
    pub ms: u64,
    pub detail: String,
    /// Settled by an earlier attempt of this run (`--resume`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub earlier: bool,
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub runbook: String,
    pub dc: String,
    pub journal: PathBuf,
    pub steps: Vec<StepResult>,
    /// The whole run, the lock's taking and release included.
    pub ms: u64,
    /// Taking and releasing the run lock on the surviving cluster.
    pub lock_ms: u64,
    pub ok: bool,
    pub interrupted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl RunReport {
    pub fn step(&self, id: &str) -> Option<&StepResult> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// Runs `plan`'s steps that `journal` does not record as settled. `on_step` hears each
/// step as it starts (for progress).
pub fn execute(
    plan: &RunPlan,
    env: &RunEnv<'_>,
    journal: &mut RunJournal,
    on_step: &dyn Fn(usize, &PlannedStep),
    still_locked: &dyn Fn() -> anyhow::Result<()>,
) -> anyhow::Result<RunReport> {
    let t0 = Instant::now();
    let mut report = RunReport {
        run_id: env.run_id.clone(),
        runbook: plan.request.runbook.as_str().into(),
        dc: plan.request.dc.clone(),
        journal: journal.path().to_path_buf(),
        steps: Vec::new(),
        ms: 0,
        lock_ms: 0,
        ok: true,
        interrupted: false,
        failed: None,
        notes: plan.notes.clone(),
    };
    let io = |e: std::io::Error| anyhow::anyhow!("cannot write the run journal: {e}");
    for (i, step) in plan.steps.iter().enumerate() {
        if journal.settled(&step.id) {
            let (status, detail) = journal
                .ended()
                .iter()
                .find(|(id, _, _)| *id == step.id)
                .map(|(_, s, _)| (*s, "settled by an earlier attempt".to_string()))
                .unwrap_or((StepStatus::Done, String::new()));
            report.steps.push(StepResult {
                id: step.id.clone(),
                title: step.title.clone(),
                status,
                ms: 0,
                detail,
                earlier: true,
                data: serde_json::Value::Null,
            });
            continue;
        }
        if env.stopped() {
            report.interrupted = true;
            report.ok = false;
            break;
        }
        // Taken over or broken by an operator: stop before changing anything more.
        if let Err(e) = still_locked() {
            report.ok = false;
            report.failed = Some(format!(
                "the run lost its lock before step `{}`: {e:#}",
                step.id
            ));
            break;
        }
        on_step(i, step);
        journal
            .record(RunEntry::Started {
                id: step.id.clone(),
                at_ms: now_ms(),
            })
            .map_err(io)?;
        let started = Instant::now();
        let result = run_step(plan, step, env, journal);
        let ms = started.elapsed().as_millis() as u64;
        let (status, detail, data, artifacts, interrupted) = match result {
            Ok(o) => (o.status, o.detail, o.data, o.artifacts, false),
            Err(f) => (
                StepStatus::Failed,
                format!("{:#}", f.error),
                serde_json::Value::Null,
                f.artifacts,
                f.interrupted,
            ),
        };
        journal
            .record(RunEntry::Ended {
                id: step.id.clone(),
                status,
                ms,
                detail: detail.clone(),
                artifacts,
                data: data.clone(),
            })
            .map_err(io)?;
        report.steps.push(StepResult {
            id: step.id.clone(),
            title: step.title.clone(),
            status,
            ms,
            detail: detail.clone(),
            earlier: false,
            data,
        });
        if status == StepStatus::Failed {
            report.ok = false;
            report.interrupted = interrupted;
            report.failed = Some(format!("step `{}`: {detail}", step.id));
            break;
        }
    }
    report.ms = t0.elapsed().as_millis() as u64;
    let status = if report.ok {
        "done"
    } else if report.interrupted {
        "interrupted"
    } else {
        "failed"
    };
    journal
        .record(RunEntry::Finished {
            status: status.into(),
            at_ms: now_ms(),
        })
        .map_err(io)?;
    Ok(report)
}

fn run_step(
    plan: &RunPlan,
    step: &PlannedStep,
    env: &RunEnv<'_>,
    journal: &mut RunJournal,
) -> Result<Outcome, StepFailure> {
    match &step.kind {
        StepKind::Preflight { survivors, lost } => {
            Ok(steps::cluster::preflight(env, plan, survivors, lost)?)
        }
        StepKind::PlacementWhatIf { cluster, dc } => {
            Ok(steps::cluster::placement_what_if(env, cluster, dc)?)
        }
        StepKind::KeepGroups { cluster, groups } => {
            Ok(steps::cluster::keep_groups(env, cluster, groups)?)
        }
        StepKind::WaitInSync { cluster, dc } => Ok(steps::cluster::wait_in_sync(env, cluster, dc)?),
        StepKind::Headroom { lost } => Ok(steps::cluster::headroom(env.topology, lost)),
        StepKind::SwitchRoles { from, to } => Ok(Outcome::done(format!(
            "`{to}` is the active cluster; `{from}` is not (the start-* hooks repoint clients)"
        ))
        .with_data(serde_json::json!({ "active": to, "inactive": from }))),
        StepKind::Hook { event } => steps::hook::run(env, plan, *event),
        StepKind::MirrorState { mirrors } => Ok(steps::mirror::state(env, mirrors)),
        StepKind::StopMirror { mirror } => steps::mirror::stop(env, &step.id, mirror, journal),
        StepKind::WaitMirrorDrained { mirror, reversed } => {
            Ok(steps::mirror::wait_drained(env, mirror, *reversed)?)
        }
        StepKind::ReverseMirror { mirror } => {
            steps::mirror::reverse(env, &step.id, mirror, journal)
        }
        StepKind::RestoreMirror { mirror } => {
            steps::mirror::restore(env, &step.id, mirror, journal)
        }
        StepKind::WaitGroupsCaughtUp { cluster, groups } => {
            Ok(steps::groups::wait_caught_up(env, cluster, groups)?)
        }
        StepKind::MoveGroups { moves, how } => {
            steps::groups::move_groups(env, plan, &step.id, moves, how, journal)
        }
    }
}
