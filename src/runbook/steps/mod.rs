//! The steps of a runbook, by what they touch. Each takes the run's environment and
//! returns an [`Outcome`](super::execute::Outcome); every one can run again after an
//! interruption and ends in the same state.

pub mod cluster;
pub mod groups;
pub mod hook;
pub mod mirror;

use std::time::{Duration, Instant};

use super::execute::RunEnv;
use crate::kafka::{AdminClient, ClientSettings};
use crate::mirror::observe::Reach;

/// Settings and an admin client for `cluster`, with the run's timeout or `timeout`.
pub fn admin(
    env: &RunEnv<'_>,
    cluster: &str,
    timeout: Option<Duration>,
) -> anyhow::Result<(ClientSettings, AdminClient)> {
    let reach = Reach {
        overrides: env.reach.overrides,
        timeout: timeout.unwrap_or(env.reach.timeout),
        gone: env.reach.gone,
    };
    reach
        .admin(env.topology, cluster)
        .map_err(|e| anyhow::anyhow!("cluster `{cluster}`: {e}"))
}

/// Whether `cluster` answers a DescribeCluster within `within` (a cluster believed
/// lost, a mirror's source: asked briefly, never waited on; once found gone, not asked
/// again in this run).
pub fn answers(env: &RunEnv<'_>, cluster: &str, within: Duration) -> bool {
    env.reach.answers(env.topology, cluster, within)
}

/// Polls `check` every `every` until it returns `Some`, the run's wait runs out
/// (error naming `what` and the last state) or Ctrl-C.
pub fn wait_for<T>(
    env: &RunEnv<'_>,
    what: &str,
    every: Duration,
    mut check: impl FnMut() -> Result<T, String>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + env.wait;
    loop {
        let last = match check() {
            Ok(v) => return Ok(v),
            Err(state) => state,
        };
        if env.stopped() {
            anyhow::bail!("interrupted while waiting for {what} ({last})");
        }
        if Instant::now() >= deadline {
            anyhow::bail!(
                "gave up waiting for {what} after {} ({last})",
                humantime::format_duration(env.wait)
            );
        }
        std::thread::sleep(every);
    }
}

/// Read-only targets covering each group's topics on a cluster (as the topology names
/// them there): what `gather` needs to report committed offsets and log bounds.
pub fn position_targets(
    sel: &[crate::offsets::topology_groups::Selected],
) -> Vec<crate::offsets::executor::GroupTarget> {
    sel.iter()
        .map(|s| crate::offsets::executor::GroupTarget {
            group: s.group.clone(),
            strategy: crate::offsets::ResetStrategy::Latest,
            scope: s.default_scope.clone(),
        })
        .collect()
}
