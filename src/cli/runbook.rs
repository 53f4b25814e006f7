//! `failover`, `failback` and `rollback`: plan (pure), print, and only with
//! `--execute` (and a confirmation) run the steps under the cluster lock, journaled.

use std::path::Path;

use anyhow::Context;

use super::args::ConnectArgs;
use super::load_topology;
use super::output::{confirm, Printer};
use super::runbook_args::*;
use crate::clock::now_ms;
use crate::exit::{ExitCode, Failure};
use crate::mirror::observe::{GoneClusters, Reach};
use crate::runbook::execute::{RunEnv, RunReport};
use crate::runbook::journal::{RunJournal, StepStatus};
use crate::runbook::plan::{plan, RunPlan, RunRequest, Runbook, StepKind};
use crate::runbook::session::{create_run, run_locked, topology_state_dir};
use crate::topology::Topology;

mod view;
pub use view::{render_plan, render_report};

pub fn failover(a: &FailoverArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let req = RunRequest {
        runbook: Runbook::Failover,
        dc: a.lost.clone(),
        planned: a.planned,
        switch: false,
        extra_groups: a.run.groups.clone(),
    };
    run(&a.topology, req, &a.run, &a.connect, p)
}

pub fn failback(a: &FailbackArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let req = RunRequest {
        runbook: Runbook::Failback,
        dc: a.returning.clone(),
        planned: false,
        switch: a.switch,
        extra_groups: a.run.groups.clone(),
    };
    run(&a.topology, req, &a.run, &a.connect, p)
}

/// The plan for `req`, or a usage error naming the flag.
pub fn plan_for(t: &Topology, req: &RunRequest) -> anyhow::Result<RunPlan> {
    plan(t, req, now_ms()).map_err(|e| {
        let flag = match req.runbook {
            Runbook::Failover => "--lost",
            Runbook::Failback => "--returning",
        };
        Failure::Usage(format!("{flag} {}: {e}", req.dc)).into()
    })
}

/// Whether a step kind changes a cluster (a failure after one is partial).
fn changes(kind: &StepKind) -> bool {
    matches!(
        kind,
        StepKind::StopMirror { .. }
            | StepKind::MoveGroups { .. }
            | StepKind::ReverseMirror { .. }
            | StepKind::RestoreMirror { .. }
            | StepKind::Hook { .. }
    )
}

fn run(
    topology: &Path,
    req: RunRequest,
    args: &RunArgs,
    connect: &ConnectArgs,
    p: &Printer,
) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(topology)?;
    let t = &loaded.topology;
    let resumed = match &args.resume {
        Some(path) => {
            let j = RunJournal::load(path).map_err(Failure::Usage)?;
            let jp = j.plan();
            if jp.topology != t.name || jp.request.runbook != req.runbook || jp.request.dc != req.dc
            {
                return Err(Failure::Usage(format!(
                    "--resume {}: that journal is a {} of `{}` for {}, not this run",
                    path.display(),
                    jp.request.runbook.as_str(),
                    jp.topology,
                    jp.request.dc
                ))
                .into());
            }
            if let Some(s) = j.finished().filter(|s| *s == "done") {
                p.note(&format!(
                    "that run already ended ({s}); resuming re-checks its steps"
                ));
            }
            Some(j)
        }
        None => None,
    };
    let plan = match &resumed {
        Some(j) => j.plan().clone(),
        None => plan_for(t, &req)?,
    };
    if p.is_table() {
        p.data(&render_plan(&plan, p))?;
    } else if !args.execute {
        p.structured(&plan)?;
    }
    if !args.execute {
        p.note("plan only: nothing was changed; add --execute to run it");
        return Ok(ExitCode::Ok);
    }
    confirm(
        p,
        args.yes,
        &format!(
            "Run the {} of `{}` ({} steps)?",
            plan.request.runbook.as_str(),
            plan.topology,
            plan.steps.len()
        ),
    )?;
    let (run_id, run_dir, mut journal) = match resumed {
        Some(j) => {
            let dir = j
                .path()
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| ".".into());
            (j.run_id().to_string(), dir, j)
        }
        None => create_run(&args.state_dir, &plan, topology)?,
    };
    p.note(&format!("run journal: {}", journal.path().display()));
    let say = p.sayer();
    let hook_out = |line: &str| p.note(&format!("  | {line}"));
    let gone = GoneClusters::default();
    let env = RunEnv {
        topology: t,
        topology_path: std::path::absolute(topology).unwrap_or(topology.into()),
        reach: Reach {
            overrides: &connect.client_properties,
            timeout: connect.timeout,
            gone: Some(&gone),
        },
        driver: super::mirror::driver_options(connect.timeout),
        run_dir,
        state_dir: topology_state_dir(&args.state_dir, &t.name),
        wait: args.wait,
        run_id,
        interrupted: super::interrupt_flag(),
        say: &say,
        hook_output: &hook_out,
        inline_hooks: None,
    };
    let n = plan.steps.len();
    let report = run_locked(&plan, &env, &mut journal, &|i, s| {
        p.note(&format!("[{}/{n}] {}: {}", i + 1, s.id, s.title))
    })
    .map_err(lock_refusal)?;
    finish(p, &plan, &report, journal.path())
}

/// A lock held by another run is a refusal (exit 1) naming the holder.
fn lock_refusal(e: anyhow::Error) -> anyhow::Error {
    match e.downcast_ref::<crate::runbook::lock::LockError>() {
        Some(l @ crate::runbook::lock::LockError::Held { .. }) => {
            Failure::Refused(format!("{l}; nothing was changed")).into()
        }
        _ => e,
    }
}

fn finish(
    p: &Printer,
    plan: &RunPlan,
    report: &RunReport,
    journal: &Path,
) -> anyhow::Result<ExitCode> {
    if p.is_table() {
        p.data(&render_report(report, p))?;
    } else {
        p.structured(report)?;
    }
    let j = journal.display();
    if report.interrupted {
        p.note(&format!(
            "interrupted: continue with --resume {j}, or undo with `kafka-failover rollback {j}`"
        ));
        return Err(Failure::Interrupted.into());
    }
    if let Some(why) = &report.failed {
        // Partial when a step that changes a cluster ran (the failed one may have
        // changed part of what it does).
        let changed = report.steps.iter().any(|s| {
            s.status != StepStatus::Skipped
                && plan
                    .steps
                    .iter()
                    .any(|ps| ps.id == s.id && changes(&ps.kind))
        });
        return Err(if changed {
            Failure::Partial(format!(
                "{why}; fix it and continue with --resume {j}, or undo with `kafka-failover rollback {j}`"
            ))
        } else {
            Failure::Refused(format!("{why}; nothing was changed"))
        }
        .into());
    }
    Ok(ExitCode::Ok)
}

pub fn rollback(a: &RollbackArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let j = RunJournal::load(&a.journal).map_err(Failure::Usage)?;
    let loaded = load_topology(j.topology())
        .with_context(|| format!("the run's topology {}", j.topology().display()))?;
    let t = &loaded.topology;
    let reach = Reach {
        overrides: &a.connect.client_properties,
        timeout: a.connect.timeout,
        gone: None,
    };
    let undo = crate::runbook::rollback::plan_rollback(t, &j, &reach)?;
    if p.is_table() {
        p.data(&undo.render())?;
    } else {
        p.structured(&undo)?;
    }
    if !a.execute {
        p.note("plan only: nothing was changed; add --execute to apply it");
        return Ok(ExitCode::Ok);
    }
    if undo.actions.is_empty() {
        p.note("nothing to undo");
        return Ok(ExitCode::Ok);
    }
    confirm(p, a.yes, &format!("Undo {} action(s)?", undo.actions.len()))?;
    let driver = super::mirror::driver_options(a.connect.timeout);
    let dir = a
        .journal
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| ".".into());
    let done = crate::runbook::rollback::apply_rollback(
        t,
        &undo,
        &reach,
        &driver,
        &dir,
        super::interrupt_flag(),
        &p.sayer(),
    );
    match done {
        Ok(n) => {
            p.note(&format!("{n} action(s) undone"));
            Ok(ExitCode::Ok)
        }
        Err((n, e)) => {
            Err(Failure::Partial(format!("{n} action(s) undone, the others failed: {e:#}")).into())
        }
    }
}
