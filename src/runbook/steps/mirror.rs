//! Mirror steps: record lag (the RPO estimate), stop, wait until drained, reverse and
//! restore. Changes go through `mirror::steps` with a mirror journal each, named in the
//! run journal before the first change.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::clock::{file_stamp, now_ms};
use crate::fsutil::safe_name;
use crate::mirror::observe::{observe, MirrorObservation};
use crate::mirror::reverse::reversed;
use crate::mirror::reverse_steps::{change_steps, reverse_steps, stop_steps, ReverseOptions};
use crate::mirror::steps::{run_steps, MirrorJournal, MirrorStep};
use crate::runbook::execute::{Outcome, RunEnv, StepFailure};
use crate::runbook::journal::{Artifact, RunEntry, RunJournal};
use crate::topology::Mirror;

fn mirror<'t>(env: &RunEnv<'t>, name: &str) -> anyhow::Result<&'t Mirror> {
    env.topology
        .mirrors
        .get(name)
        .ok_or_else(|| anyhow::anyhow!("mirror `{name}` is not in the topology"))
}

fn summary(o: &MirrorObservation) -> String {
    let lag = o
        .total_lag
        .map(|l| format!("lag {l} record(s)"))
        .unwrap_or_else(|| "lag unknown".into());
    let age = |ms: Option<i64>| {
        ms.map(|a| {
            format!(
                "{} ago",
                humantime::format_duration(Duration::from_secs((a / 1000) as u64))
            )
        })
        .unwrap_or_else(|| "never".into())
    };
    format!(
        "{lag}, newest checkpoint {}, newest offset sync {}",
        age(o.newest_checkpoint_age_ms),
        age(o.newest_offset_sync_age_ms)
    )
}

/// How long a mirror's source (or, waiting for a drain, either end) gets to answer
/// whether it is there at all.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// How long a mirror's clusters get to answer for the RPO estimate: the source may be
/// the lost DC, and the estimate must not hold the failover up.
const OBSERVE_TIMEOUT: Duration = Duration::from_millis(1500);

/// Lag and checkpoint age of each mirror, as far as its clusters answer (all mirrors
/// at once).
pub fn state(env: &RunEnv<'_>, mirrors: &[String]) -> Outcome {
    let reach = crate::mirror::observe::Reach {
        overrides: env.reach.overrides,
        timeout: env.reach.timeout.min(OBSERVE_TIMEOUT),
        gone: env.reach.gone,
    };
    let observed: Vec<(String, MirrorObservation)> = std::thread::scope(|s| {
        let handles: Vec<_> = mirrors
            .iter()
            .filter_map(|name| mirror(env, name).ok().map(|m| (name, m)))
            .map(|(name, m)| {
                let reach = &reach;
                s.spawn(move || (name.clone(), observe(env.topology, m, reach)))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    if observed.is_empty() {
        return Outcome::skipped("no mirror to observe");
    }
    let parts: Vec<String> = observed
        .iter()
        .map(|(name, o)| format!("`{name}`: {}", summary(o)))
        .collect();
    let data: serde_json::Map<String, serde_json::Value> = observed
        .iter()
        .map(|(name, o)| (name.clone(), serde_json::to_value(o).unwrap_or_default()))
        .collect();
    Outcome::done(parts.join("; ")).with_data(serde_json::Value::Object(data))
}

/// A fresh journal path in `dir` for `what`.
fn journal_path(dir: &Path, what: &str, mirror: &str) -> PathBuf {
    let base = format!("mirror-{what}-{}", safe_name(mirror));
    let mut path = dir.join(format!("{base}.jsonl"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.jsonl"));
        n += 1;
    }
    path
}

/// Journals `steps` in a new mirror journal (named in the run journal first) and runs
/// them.
fn run_journaled(
    env: &RunEnv<'_>,
    step_id: &str,
    name: &str,
    path: PathBuf,
    command: &str,
    steps: &[MirrorStep],
    journal: &mut RunJournal,
) -> Result<Vec<Artifact>, StepFailure> {
    let artifact = Artifact::Mirror {
        path: path.clone(),
        mirror: name.to_string(),
    };
    journal
        .record(RunEntry::Wrote {
            id: step_id.to_string(),
            artifact: artifact.clone(),
        })
        .map_err(|e| anyhow::anyhow!("cannot write the run journal: {e}"))?;
    let mut mj = MirrorJournal::create(&path, command, now_ms())
        .map_err(|e| anyhow::anyhow!("cannot write the mirror journal: {e}"))?;
    run_steps(steps, &mut mj, &env.driver, &|i, s| {
        (env.say)(
            1,
            &format!("{step_id} {}/{}: {}", i + 1, steps.len(), s.describe()),
        )
    })
    .map_err(|(i, e)| StepFailure {
        error: anyhow::anyhow!("mirror step {} of {} failed: {e}", i + 1, steps.len()),
        artifacts: vec![artifact.clone()],
        interrupted: false,
    })?;
    Ok(vec![artifact])
}

pub fn stop(
    env: &RunEnv<'_>,
    step_id: &str,
    name: &str,
    journal: &mut RunJournal,
) -> Result<Outcome, StepFailure> {
    let m = mirror(env, name)?;
    let d = crate::mirror::driver_for(name, m, &env.driver).map_err(anyhow::Error::new)?;
    match d.status() {
        Ok(s)
            if s.connectors.iter().all(|c| c.state.as_str() == "STOPPED")
                && !s.connectors.is_empty() =>
        {
            return Ok(Outcome::done(format!("`{name}` is already stopped")));
        }
        Ok(_) => {}
        Err(e) => {
            // The mirror's workers may have gone with the lost DC; a mirror whose
            // source is gone copies nothing anyway.
            if super::answers(env, &m.source, ANSWER_WITHIN) {
                return Err(anyhow::anyhow!(
                    "cannot reach mirror `{name}` ({e}) while its source `{}` still answers: it may still be copying",
                    m.source
                )
                .into());
            }
            return Ok(Outcome::warning(format!(
                "mirror `{name}` does not answer ({e}); its source `{}` is gone too, so it copies nothing: stop it when its DC returns",
                m.source
            )));
        }
    }
    // With its source gone the mirror copies nothing; its workers may take a minute
    // to stop tasks stuck on the dead source (MM2 closes its clients with long
    // timeouts): ask, and do not hold the failover up waiting.
    let source_gone = !super::answers(env, &m.source, ANSWER_WITHIN);
    let mut steps = stop_steps(name, m, env.wait);
    if source_gone {
        steps.retain(|s| !matches!(s, MirrorStep::WaitFor { .. }));
    }
    let path = journal_path(&env.run_dir, "stop", name);
    let artifacts = run_journaled(
        env,
        step_id,
        name,
        path,
        &format!("stop {name}"),
        &steps,
        journal,
    )?;
    Ok(Outcome::done(if source_gone {
        format!(
            "`{name}` asked to stop (its source `{}` is gone: not waited for)",
            m.source
        )
    } else {
        format!("`{name}` stopped")
    })
    .with_artifacts(artifacts))
}

/// Waits until the mirror (or its reverse) has copied everything its source holds.
pub fn wait_drained(env: &RunEnv<'_>, name: &str, reversed_dir: bool) -> anyhow::Result<Outcome> {
    let m = mirror(env, name)?;
    let m = if reversed_dir {
        reversed(env.topology, m)
    } else {
        m.clone()
    };
    let o = super::wait_for(
        env,
        &format!("`{} -> {}` to drain", m.source, m.target),
        Duration::from_millis(300),
        || {
            // Both ends must answer: a mirror whose source cannot be listed shows no
            // topics, which is not "drained". (MM2's internal topics may not exist
            // yet on a new flow: that is not lag.)
            for c in [&m.source, &m.target] {
                if !super::answers(env, c, ANSWER_WITHIN) {
                    return Err(format!("`{c}` does not answer"));
                }
            }
            let o = observe(env.topology, &m, &env.reach);
            let behind: Vec<String> = o
                .topics
                .iter()
                .filter(|t| !(t.lag == Some(0) || (t.source_end == 0 && t.lag.is_none())))
                .map(|t| format!("{} lag {:?}", t.source_topic, t.lag))
                .collect();
            if behind.is_empty() {
                Ok(o)
            } else {
                Err(behind.join(", "))
            }
        },
    )?;
    let records: i64 = o.topics.iter().map(|t| t.source_end).sum();
    Ok(Outcome::done(format!(
        "`{} -> {}` drained: lag 0 over {} topic(s) ({records} record(s) on the source)",
        m.source,
        m.target,
        o.topics.len()
    ))
    .with_data(serde_json::to_value(&o).unwrap_or_default()))
}

/// Where the reverse of `mirror` is journaled while it is in place (it outlives the
/// failback run that made it, until `restore-mirror`).
fn reverse_state(env: &RunEnv<'_>, name: &str) -> PathBuf {
    env.state_dir
        .join(format!("reverse-{}.jsonl", safe_name(name)))
}

pub fn reverse(
    env: &RunEnv<'_>,
    step_id: &str,
    name: &str,
    journal: &mut RunJournal,
) -> Result<Outcome, StepFailure> {
    let m = mirror(env, name)?;
    let state = reverse_state(env, name);
    if state.exists() {
        // Made by an earlier (failback) run: the reverse is in place.
        return Ok(Outcome::done(format!(
            "`{name}` is already reversed (journal {})",
            state.display()
        ))
        .with_artifacts(vec![Artifact::Mirror {
            path: state,
            mirror: name.to_string(),
        }]));
    }
    let o = ReverseOptions {
        reach: crate::mirror::observe::Reach {
            overrides: env.reach.overrides,
            timeout: env.reach.timeout,
            gone: env.reach.gone,
        },
        driver: env.driver.clone(),
        wait: env.wait,
        connector_config: Vec::new(),
        force: false,
    };
    let (plan, steps) = reverse_steps(env.topology, name, m, &o)?;
    crate::fsutil::create_private_dir(&env.state_dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", env.state_dir.display()))?;
    let artifacts = run_journaled(
        env,
        step_id,
        name,
        state,
        &format!("reverse {name}"),
        &steps,
        journal,
    )?;
    let starts = plan.starts.iter().filter(|s| s.next_offset > 0).count();
    Ok(Outcome::done(format!(
        "`{}` mirrors `{}` -> `{}`; {starts} partition(s) start after what `{}` already holds",
        plan.reverse_name, plan.reverse.source, plan.reverse.target, plan.reverse.target
    ))
    .with_data(json!({ "reverse": plan.reverse_name, "starts": plan.starts }))
    .with_artifacts(artifacts))
}

pub fn restore(
    env: &RunEnv<'_>,
    step_id: &str,
    name: &str,
    journal: &mut RunJournal,
) -> Result<Outcome, StepFailure> {
    let m = mirror(env, name)?;
    let state = reverse_state(env, name);
    let mut undone = 0;
    if state.exists() {
        let j = MirrorJournal::load(&state).map_err(|e| anyhow::anyhow!(e))?;
        for u in j.undos() {
            u.run(&env.driver)
                .map_err(|e| anyhow::anyhow!("undoing the reverse of `{name}`: {e}"))?;
            undone += 1;
        }
        let done = state.with_extension(format!("restored-{}.jsonl", file_stamp(now_ms())));
        std::fs::rename(&state, &done).map_err(|e| anyhow::anyhow!("{}: {e}", state.display()))?;
    }
    let steps = change_steps(name, m, true, env.wait);
    let path = journal_path(&env.run_dir, "restore", name);
    let artifacts = run_journaled(
        env,
        step_id,
        name,
        path,
        &format!("resume {name}"),
        &steps,
        journal,
    )?;
    Ok(Outcome::done(format!(
        "reverse of `{name}` removed ({undone} step(s) undone); `{name}` runs again"
    ))
    .with_artifacts(artifacts))
}
