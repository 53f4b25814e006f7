//! The hook step: the topology's command for an event (and, in a drill, the lab's own
//! action for it: stopping its producers, draining its consumers).

use crate::runbook::execute::{Outcome, RunEnv, StepFailure};
use crate::runbook::hooks::{run_hook, secret_env_vars, HookContext};
use crate::runbook::plan::{RunPlan, Runbook, StepKind};
use crate::topology::HookEvent;

/// The clusters a run moves clients from and to, and the group ids it moves.
fn endpoints(plan: &RunPlan) -> (Option<String>, Option<String>, Vec<String>) {
    let mut groups = Vec::new();
    let mut ends = None;
    for s in &plan.steps {
        match &s.kind {
            StepKind::SwitchRoles { from, to } => ends = Some((from.clone(), to.clone())),
            StepKind::MoveGroups { moves, .. } => {
                for m in moves {
                    if ends.is_none() {
                        ends = Some((m.from.clone(), m.to.clone()));
                    }
                    if !m.pattern && !groups.contains(&m.group) {
                        groups.push(m.group.clone());
                    }
                }
            }
            _ => {}
        }
    }
    let (from, to) = ends.unzip();
    (from, to, groups)
}

pub fn run(env: &RunEnv<'_>, plan: &RunPlan, event: HookEvent) -> Result<Outcome, StepFailure> {
    let mut parts = Vec::new();
    if let Some(inline) = env.inline_hooks {
        if let Some(did) = inline(event)? {
            parts.push(did);
        }
    }
    let Some(hook) = env.topology.hooks.get(&event) else {
        return Ok(if parts.is_empty() {
            Outcome::skipped("no hook declared")
        } else {
            Outcome::done(parts.join("; "))
        });
    };
    let (from, to, groups) = endpoints(plan);
    let ctx = HookContext {
        event,
        run_id: env.run_id.clone(),
        runbook: plan.request.runbook.as_str().into(),
        topology_path: env.topology_path.clone(),
        topology_name: env.topology.name.clone(),
        pattern: env.topology.pattern.as_str().into(),
        lost_dc: (plan.request.runbook == Runbook::Failover).then(|| plan.request.dc.clone()),
        returning_dc: (plan.request.runbook == Runbook::Failback).then(|| plan.request.dc.clone()),
        to_bootstrap: to
            .as_ref()
            .and_then(|c| env.topology.clusters.get(c))
            .map(|c| c.bootstrap.clone()),
        from_cluster: from,
        to_cluster: to,
        groups,
        journal: Some(env.run_dir.join("run.jsonl")),
        withheld_env: secret_env_vars(env.topology),
    };
    let prefix = event.as_str();
    let out = run_hook(hook, &ctx, &mut |line| {
        (env.hook_output)(&format!("{prefix}: {line}"))
    })
    .map_err(anyhow::Error::new)?;
    parts.push(format!(
        "`{}` exited 0 in {:.1}s",
        hook.command,
        out.ms as f64 / 1000.0
    ));
    Ok(Outcome::done(parts.join("; ")))
}
