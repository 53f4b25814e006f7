//! Runbooks: `failover`, `failback`, `ready` and `drill`, composed from the steps the
//! other modules provide (placement what-if, offsets plans and apply, mirror steps).
//! Planning is pure (`plan`), only `execute` touches a cluster; a run is journaled
//! (`journal`), guarded by a lock on the surviving cluster (`lock`), and may call the
//! topology's hooks (`hooks`). `drill` runs failover then failback on the embedded lab
//! and measures it (`report`).

pub mod drill;
pub mod execute;
pub mod hooks;
pub mod journal;
pub mod lock;
pub mod plan;
pub mod ready;
pub mod report;
pub mod rollback;
pub mod session;
pub mod steps;

use std::time::Duration;

/// How long a run's lock lasts unless renewed; the guard renews it every quarter.
pub const LOCK_TTL: Duration = Duration::from_secs(120);

/// Requests taking the run's lock may make, each bounded by `--timeout`.
const LOCK_REQUESTS: u32 = 4;

/// Takes the run's lock on the plan's surviving cluster and keeps it alive.
pub fn lock_for_run(
    plan: &plan::RunPlan,
    env: &execute::RunEnv<'_>,
) -> anyhow::Result<lock::LockGuard> {
    let (settings, _) = steps::admin(env, &plan.lock_cluster, None)?;
    let me = lock::Claimant::this_process(
        env.run_id.clone(),
        format!("{} {}", plan.request.runbook.as_str(), plan.request.dc),
    );
    // `--timeout` bounds each request; taking the lock is a read, maybe a topic
    // creation, a write and a read back: give it that many requests' time (a WAN
    // round trip of 200 ms makes each a few hundred ms, not one).
    let budget = env.reach.timeout * LOCK_REQUESTS;
    let mut g = lock::acquire(&settings, &plan.topology, me, LOCK_TTL, budget).map_err(|e| {
        anyhow::Error::new(e).context(format!("run lock on `{}`", plan.lock_cluster))
    })?;
    g.keep_alive(LOCK_TTL / 4);
    Ok(g)
}
