//! The hook step: the topology's command for an event, or nothing.

use crate::runbook::execute::{Outcome, RunEnv, StepFailure};
use crate::runbook::plan::RunPlan;
use crate::topology::HookEvent;

pub fn run(env: &RunEnv<'_>, _plan: &RunPlan, event: HookEvent) -> Result<Outcome, StepFailure> {
    match env.topology.hooks.get(&event) {
        None => Ok(Outcome::skipped("no hook declared")),
        Some(_) => Err(anyhow::anyhow!("running hooks is not wired yet").into()),
    }
}
