//! `rollback RUN_JOURNAL`: undo what a run did, last first, from the journals its steps
//! wrote — group offsets back to what they were (offsets journals), mirror changes
//! undone (mirror journals). Hooks cannot be undone by the tool: they are listed.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::journal::{Artifact, RunJournal};
use super::plan::StepKind;
use crate::clock::{file_stamp, now_ms};
use crate::mirror::observe::Reach;
use crate::mirror::steps::MirrorJournal;
use crate::mirror::DriverOptions;
use crate::offsets::apply::{apply, ApplyOptions};
use crate::offsets::executor::plan_from_journal;
use crate::offsets::journal::Journal;
use crate::offsets::ResetPlan;
use crate::topology::Topology;

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum UndoAction {
    /// Restore the offsets an offsets journal recorded before the step.
    Offsets {
        step: String,
        cluster: String,
        journal: PathBuf,
        plan: ResetPlan,
    },
    /// Run a mirror journal's undos.
    Mirror {
        step: String,
        mirror: String,
        journal: PathBuf,
        undo: Vec<String>,
    },
}

#[derive(Debug, Serialize)]
pub struct RollbackPlan {
    pub run_id: String,
    pub actions: Vec<UndoAction>,
    /// What the tool cannot undo (hooks), for the operator.
    pub manual: Vec<String>,
}

impl RollbackPlan {
    pub fn render(&self) -> String {
        let mut out = format!(
            "rollback of run {}: {} action(s)\n",
            self.run_id,
            self.actions.len()
        );
        for (i, a) in self.actions.iter().enumerate() {
            match a {
                UndoAction::Offsets {
                    step,
                    cluster,
                    plan,
                    ..
                } => {
                    let t = plan.totals();
                    out.push_str(&format!(
                        "  {}. {step}: restore the previous offsets of {} group(s) on `{cluster}` ({} partition(s) to set, {} already there)\n",
                        i + 1,
                        plan.groups.len(),
                        t.to_set,
                        t.already_at_target
                    ));
                }
                UndoAction::Mirror { step, undo, .. } => {
                    for u in undo {
                        out.push_str(&format!("  {}. {step}: {u}\n", i + 1));
                    }
                }
            }
        }
        for m in &self.manual {
            out.push_str(&format!("  by hand: {m}\n"));
        }
        out
    }
}

/// Reads what undoing `j` takes, from its step journals and the clusters.
pub fn plan_rollback(
    t: &Topology,
    j: &RunJournal,
    reach: &Reach<'_>,
) -> anyhow::Result<RollbackPlan> {
    let mut actions = Vec::new();
    for (step, a) in j.artifacts().into_iter().rev() {
        match a {
            Artifact::Offsets { path, cluster } => {
                if !path.exists() {
                    // Named, then the run died before creating it: nothing was written.
                    continue;
                }
                let oj = Journal::load(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
                let (_, admin) = reach
                    .admin(t, &cluster)
                    .map_err(|e| anyhow::anyhow!("cluster `{cluster}`: {e}"))?;
                let plan = plan_from_journal(&admin, &oj, "rollback", true, false, reach.timeout)?;
                actions.push(UndoAction::Offsets {
                    step,
                    cluster,
                    journal: path,
                    plan,
                });
            }
            Artifact::Mirror { path, mirror } => {
                if !path.exists() {
                    // A reverse already restored by a later failback.
                    continue;
                }
                let mj = MirrorJournal::load(&path).map_err(|e| anyhow::anyhow!(e))?;
                let undo: Vec<String> = mj.undos().iter().filter_map(|u| u.describe()).collect();
                if !undo.is_empty() {
                    actions.push(UndoAction::Mirror {
                        step,
                        mirror,
                        journal: path,
                        undo,
                    });
                }
            }
        }
    }
    let mut manual = Vec::new();
    for (id, status, _) in j.ended() {
        let Some(s) = j.plan().steps.iter().find(|s| s.id == id) else {
            continue;
        };
        if let (StepKind::Hook { event }, super::journal::StepStatus::Done) = (&s.kind, status) {
            manual.push(format!(
                "hook `{}` ran (`{}`); undo its effect yourself",
                event.as_str(),
                t.hooks
                    .get(event)
                    .map(|h| h.command.as_str())
                    .unwrap_or("?")
            ));
        }
    }
    Ok(RollbackPlan {
        run_id: j.run_id().to_string(),
        actions,
        manual,
    })
}

/// Applies the undo actions in order, each independent of the others (a failed one
/// does not stop the rest); returns how many were done, or how many were done and
/// what failed.
pub fn apply_rollback(
    t: &Topology,
    plan: &RollbackPlan,
    reach: &Reach<'_>,
    driver: &DriverOptions,
    dir: &Path,
    interrupted: &AtomicBool,
    say: &dyn Fn(u8, &str),
) -> Result<usize, (usize, anyhow::Error)> {
    let mut failed: Vec<String> = Vec::new();
    for a in plan.actions.iter() {
        let r: anyhow::Result<()> = (|| match a {
            UndoAction::Offsets {
                cluster,
                journal,
                plan: rp,
                step,
            } => {
                if rp.is_noop() {
                    return Ok(());
                }
                let (_, admin) = reach
                    .admin(t, cluster)
                    .map_err(|e| anyhow::anyhow!("cluster `{cluster}`: {e}"))?;
                let path = dir.join(format!(
                    "rollback-offsets-{}-{}-{}.jsonl",
                    crate::fsutil::safe_name(cluster),
                    crate::fsutil::safe_name(step),
                    file_stamp(now_ms())
                ));
                let mut oj = Journal::create(&path, "rollback", rp, Some(journal), None)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                say(
                    0,
                    &format!(
                        "undo {step}: offsets on `{cluster}` (journal {})",
                        path.display()
                    ),
                );
                let report = apply(
                    &admin,
                    rp,
                    &mut oj,
                    &ApplyOptions {
                        timeout: reach.timeout,
                        progress: &|_, _| {},
                        interrupted,
                    },
                )
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                if !report.all_done() {
                    let why: Vec<String> = report
                        .groups
                        .iter()
                        .filter_map(|g| g.error.as_ref().map(|e| format!("{}: {e}", g.group)))
                        .collect();
                    anyhow::bail!(
                        "offsets on `{cluster}`: not every group was restored ({}; journal {})",
                        why.join("; "),
                        path.display()
                    );
                }
                Ok(())
            }
            UndoAction::Mirror { journal, step, .. } => {
                let mj = MirrorJournal::load(journal).map_err(|e| anyhow::anyhow!(e))?;
                for u in mj.undos() {
                    if let Some(d) = u.describe() {
                        say(0, &format!("undo {step}: {d}"));
                    }
                    u.run(driver).map_err(anyhow::Error::new)?;
                }
                Ok(())
            }
        })();
        if let Err(e) = r {
            say(0, &format!("undo failed: {e:#}"));
            failed.push(format!("{e:#}"));
        }
    }
    let done = plan.actions.len() - failed.len();
    if failed.is_empty() {
        Ok(done)
    } else {
        Err((done, anyhow::anyhow!(failed.join("; "))))
    }
}
