//! One run of a runbook from start to end: its directory and journal (new or
//! resumed), the lock on the surviving cluster, and the steps.

use std::path::{Path, PathBuf};

use super::execute::{execute, RunEnv, RunReport};
use super::journal::RunJournal;
use super::plan::{PlannedStep, RunPlan};
use crate::clock::{file_stamp, now_ms};
use crate::fsutil::safe_name;

/// Where runs of a topology keep their journals: `<state>/<topology>/`.
pub fn topology_state_dir(state_dir: &Path, topology: &str) -> PathBuf {
    state_dir.join(safe_name(topology))
}

/// A new run id: topology, runbook, DC, time and a random tag. The tag matters: the
/// lock lets a claim with the holder's own run id through (`--resume`), so two runs
/// started in the same millisecond (two hosts, two shells) must never share an id.
pub fn new_run_id(plan: &RunPlan) -> String {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the OS's randomness, per process and per call.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_i64(now_ms());
    format!(
        "{}-{}-{}-{}-{:08x}",
        safe_name(&plan.topology),
        plan.request.runbook.as_str(),
        safe_name(&plan.request.dc),
        file_stamp(now_ms()),
        h.finish() as u32
    )
}

/// Creates `<state>/<topology>/runs/<run id>/run.jsonl` for `plan`.
pub fn create_run(
    state_dir: &Path,
    plan: &RunPlan,
    topology_path: &Path,
) -> anyhow::Result<(String, PathBuf, RunJournal)> {
    let base = topology_state_dir(state_dir, &plan.topology).join("runs");
    crate::fsutil::create_private_dir(&base)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", base.display()))?;
    let mut run_id = new_run_id(plan);
    let mut n = 2;
    let dir = loop {
        let dir = base.join(&run_id);
        match std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
        {
            Ok(()) => break dir,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                run_id = format!("{}-{n}", new_run_id(plan));
                n += 1;
            }
            Err(e) => anyhow::bail!("cannot create {}: {e}", dir.display()),
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    let topology_path = std::path::absolute(topology_path).unwrap_or(topology_path.into());
    let journal = RunJournal::create(
        &dir.join("run.jsonl"),
        &run_id,
        &topology_path,
        plan,
        now_ms(),
    )
    .map_err(|e| anyhow::anyhow!("cannot write the run journal: {e}"))?;
    Ok((run_id, dir, journal))
}

/// Runs the plan under the lock, then releases it. `lock` is acquired before the first
/// step and released after the last (also when a step fails).
pub fn run_locked(
    plan: &RunPlan,
    env: &RunEnv<'_>,
    journal: &mut RunJournal,
    on_step: &dyn Fn(usize, &PlannedStep),
) -> anyhow::Result<RunReport> {
    let t0 = std::time::Instant::now();
    let guard = super::lock_for_run(plan, env)?;
    let took_lock = t0.elapsed();
    let report = execute(plan, env, journal, on_step, &|| {
        guard.check().map_err(anyhow::Error::new)
    });
    let t1 = std::time::Instant::now();
    if let Err(e) = guard.release() {
        env.note(&format!(
            "could not release the run lock: {e} (it expires by itself)"
        ));
    }
    report.map(|mut r| {
        r.lock_ms = (took_lock + t1.elapsed()).as_millis() as u64;
        r.ms = t0.elapsed().as_millis() as u64;
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::plan::{RunRequest, Runbook};

    #[test]
    fn run_ids_made_in_the_same_millisecond_differ() {
        let plan = RunPlan {
            request: RunRequest {
                runbook: Runbook::Failover,
                dc: "dc-east".into(),
                planned: false,
                switch: false,
                extra_groups: vec![],
            },
            topology: "payments".into(),
            pattern: crate::topology::Pattern::ActivePassive,
            lock_cluster: "west".into(),
            at_ms: 0,
            steps: vec![],
            notes: vec![],
        };
        let ids: std::collections::BTreeSet<String> =
            (0..1000).map(|_| new_run_id(&plan)).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids
            .iter()
            .all(|i| i.starts_with("payments-failover-dc-east-")));
    }
}
