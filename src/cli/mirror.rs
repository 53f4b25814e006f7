//! `mirror status|pause|resume|reverse|rollback`: plans are lists of steps (REST calls,
//! file edits) printed first; `--execute` confirms, journals each step with what
//! undoes it, and runs them; `rollback` runs the undos last first.

use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

mod status;
use status::cycle_risk;

use super::load_topology;
use super::mirror_args::*;
use super::output::{confirm, Printer};
use crate::exit::{ExitCode, Failure};
use crate::mirror::observe::Reach;
use crate::mirror::reverse::ReversePlan;
use crate::mirror::reverse_steps::{change_steps, reverse_steps, ReverseOptions};
use crate::mirror::steps::{run_steps, MirrorJournal, MirrorStep};
use crate::mirror::DriverOptions;
use crate::offsets::executor::now_ms;
use crate::topology::{Mirror, Topology};

pub fn run(c: MirrorCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        MirrorCommand::Status(a) => status::status(&a, p),
        MirrorCommand::Pause(a) => change(&a, p, false),
        MirrorCommand::Resume(a) => change(&a, p, true),
        MirrorCommand::Reverse(a) => reverse(&a, p),
        MirrorCommand::Rollback(a) => rollback(&a, p),
    }
}

pub(super) fn mirror<'t>(t: &'t Topology, name: &str) -> anyhow::Result<&'t Mirror> {
    t.mirrors.get(name).ok_or_else(|| {
        let known: Vec<&str> = t.mirrors.keys().map(String::as_str).collect();
        let hint = crate::topology::load::closest(name, &known)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        Failure::Usage(format!(
            "--mirror {name}: no such mirror in the topology{hint}; mirrors: {}",
            if known.is_empty() {
                "none".into()
            } else {
                known.join(", ")
            }
        ))
        .into()
    })
}

pub(super) fn driver_options(timeout: Duration) -> DriverOptions {
    let mut o = DriverOptions::default();
    o.connect.request_timeout = timeout;
    o
}

/// A plan: steps, and what the reverse planner found.
#[derive(Debug, Serialize)]
struct MirrorPlan {
    command: String,
    steps: Vec<PlannedStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reverse: Option<ReversePlan>,
}

#[derive(Debug, Serialize)]
struct PlannedStep {
    description: String,
    step: MirrorStep,
}

fn show_plan(p: &Printer, plan: &MirrorPlan) -> anyhow::Result<()> {
    if !p.is_table() {
        return p.structured(plan);
    }
    let mut out = format!("{}: {} step(s)\n", plan.command, plan.steps.len());
    for (i, s) in plan.steps.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, s.description));
    }
    if let Some(r) = &plan.reverse {
        let mut tbl = p.table(&["TOPIC", "PARTITION", "STARTS AT", "WHY"]);
        for s in &r.starts {
            tbl.add_row(vec![
                s.topic.clone(),
                s.partition.to_string(),
                s.next_offset.to_string(),
                s.why.clone(),
            ]);
        }
        out.push_str(&format!(
            "where `{}` starts copying:\n{tbl}\n",
            r.reverse_name
        ));
        for (t, why) in &r.skipped_topics {
            out.push_str(&format!("  not copied: {t} ({why})\n"));
        }
        for n in &r.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
    }
    p.data(&out)?;
    Ok(())
}

/// Shows the plan; with `--execute` confirms, journals and runs it, each request to the
/// mirror's driver bounded by `timeout` (the command's `--timeout`).
fn apply(
    p: &Printer,
    plan: MirrorPlan,
    a: &ApplyArgs,
    what: &str,
    timeout: Duration,
) -> anyhow::Result<ExitCode> {
    show_plan(p, &plan)?;
    if !a.execute {
        p.note("plan only: nothing was changed; add --execute to apply it");
        return Ok(ExitCode::Ok);
    }
    confirm(
        p,
        a.yes,
        &format!("Run these {} step(s)?", plan.steps.len()),
    )?;
    let path = a.journal_dir.join(format!(
        "kafka-failover-mirror-{what}-{}.journal.jsonl",
        crate::clock::file_stamp(now_ms())
    ));
    let path = std::path::absolute(&path).unwrap_or(path);
    let mut journal = MirrorJournal::create(&path, &plan.command, now_ms())
        .with_context(|| "cannot write the journal; nothing was changed")?;
    p.note(&format!("journal: {}", path.display()));
    let steps: Vec<MirrorStep> = plan.steps.into_iter().map(|s| s.step).collect();
    let opts = driver_options(timeout);
    let res = run_steps(&steps, &mut journal, &opts, &|i, s| {
        p.note(&format!("step {}/{}: {}", i + 1, steps.len(), s.describe()))
    });
    match res {
        Ok(()) => {
            p.note(&format!("done; undo with `kafka-failover mirror rollback {}`", path.display()));
            Ok(ExitCode::Ok)
        }
        Err((0, e)) => Err(anyhow::Error::new(e).context("the first step failed; nothing was changed")),
        Err((i, e)) => Err(anyhow::Error::new(Failure::Partial(format!(
            "step {} of {} failed ({e}); {i} step(s) done; undo them with `kafka-failover mirror rollback {}`",
            i + 1,
            steps.len(),
            path.display()
        )))),
    }
}

fn change(a: &MirrorChangeArgs, p: &Printer, resume: bool) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    let m = mirror(t, &a.mirror)?;
    if resume {
        if let Some(c) = cycle_risk(t, &a.mirror, m) {
            p.note(&format!("warning: {c}"));
        }
    }
    let steps = change_steps(&a.mirror, m, resume, a.apply.wait);
    let what = if resume { "resume" } else { "pause" };
    let plan = MirrorPlan {
        command: format!("mirror {what} {}", a.mirror),
        steps: planned(steps),
        reverse: None,
    };
    apply(p, plan, &a.apply, what, a.connect.timeout)
}

fn planned(steps: Vec<MirrorStep>) -> Vec<PlannedStep> {
    steps
        .into_iter()
        .map(|s| PlannedStep {
            description: s.describe(),
            step: s,
        })
        .collect()
}

fn reverse(a: &MirrorReverseArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    let m = mirror(t, &a.mirror)?;
    let o = ReverseOptions {
        reach: Reach {
            overrides: &a.connect.client_properties,
            timeout: a.connect.timeout,
            gone: None,
        },
        driver: driver_options(a.connect.timeout),
        wait: a.apply.wait,
        connector_config: a.connector_config.clone(),
        force: a.force,
    };
    let (plan, steps) = reverse_steps(t, &a.mirror, m, &o)?;
    finish_reverse(a, p, t, plan, steps)
}

fn finish_reverse(
    a: &MirrorReverseArgs,
    p: &Printer,
    t: &Topology,
    plan: ReversePlan,
    steps: Vec<MirrorStep>,
) -> anyhow::Result<ExitCode> {
    if let Some(path) = &a.write_topology {
        write_reversed(t, &plan, path)?;
        p.note(&format!("reversed topology written to {}", path.display()));
    }
    let mp = MirrorPlan {
        command: format!("mirror reverse {}", a.mirror),
        steps: planned(steps),
        reverse: Some(plan),
    };
    apply(p, mp, &a.apply, "reverse", a.connect.timeout)
}

/// The topology with the mirror replaced by its reverse and primary/standby swapped.
fn write_reversed(t: &Topology, plan: &ReversePlan, path: &std::path::Path) -> anyhow::Result<()> {
    let mut out = t.clone();
    out.mirrors.shift_remove(&plan.mirror);
    out.mirrors
        .insert(plan.reverse_name.clone(), plan.reverse.clone());
    use crate::topology::ClusterRole;
    for c in out.clusters.values_mut() {
        c.role = match c.role {
            Some(ClusterRole::Primary) => Some(ClusterRole::Standby),
            Some(ClusterRole::Standby) => Some(ClusterRole::Primary),
            r => r,
        };
    }
    let text = format!(
        "# Written by `kafka-failover mirror reverse --write-topology`: `{}` reversed.\n{}",
        plan.mirror,
        serde_yaml::to_string(&out)?
    );
    crate::topology::load_str(&path.display().to_string(), &text).map_err(|e| {
        let why: Vec<String> = e.findings.iter().map(|f| f.to_string()).collect();
        anyhow::anyhow!(
            "the reversed topology would not be valid, so it was not written: {}",
            why.join("; ")
        )
    })?;
    crate::fsutil::write_private(path, &text).with_context(|| format!("writing {}", path.display()))
}

fn rollback(a: &MirrorRollbackArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let j = MirrorJournal::load(&a.journal).map_err(Failure::Usage)?;
    let undos = j.undos();
    let described: Vec<String> = undos.iter().filter_map(|u| u.describe()).collect();
    if p.is_table() {
        let mut out = format!("mirror rollback: {} step(s)\n", described.len());
        for (i, d) in described.iter().enumerate() {
            out.push_str(&format!("  {}. {d}\n", i + 1));
        }
        p.data(&out)?;
    } else {
        p.structured(&serde_json::json!({ "journal": a.journal, "undo": described }))?;
    }
    if !a.execute {
        p.note("plan only: nothing was changed; add --execute to apply it");
        return Ok(ExitCode::Ok);
    }
    confirm(p, a.yes, &format!("Undo {} step(s)?", described.len()))?;
    let opts = driver_options(a.timeout);
    for (i, u) in undos.iter().enumerate() {
        if let Some(d) = u.describe() {
            p.note(&format!("undo {}/{}: {d}", i + 1, undos.len()));
        }
        u.run(&opts).map_err(|e| {
            Failure::Partial(format!(
                "undo step {} failed ({e}); the steps before it were undone",
                i + 1
            ))
        })?;
    }
    Ok(ExitCode::Ok)
}
