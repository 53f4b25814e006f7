//! Crash and resume, apply twice, rollback and Ctrl-C, on the embedded mock lab (run in
//! this process so the test can take a DC down and read the clusters directly).
//!
//! One active/passive lab, dc-east lost, traffic stopped: every failover of it must end
//! at the same offsets (translated targets come from checkpoints that no longer change,
//! timestamp and latest targets from log ends that no longer move). The test records the
//! offsets before (S0) and after an uninterrupted failover (S1), then SIGKILLs the tool at
//! seeded random points of a failover many times: each time `--resume` must end at S1
//! exactly and `rollback` must bring back S0 exactly, ready for the next round.
//! `KF_CRASH_SEED` and `KF_CRASH_ROUNDS` reproduce or extend a run.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::failover_lab::{fixture, partitions_written, reached, stderr, Rng};
use common::{figure, stdout_json as json};
use kafka_failover::topology::HookEvent;

/// What the rounds on one lab saw.
#[derive(Default)]
struct Rounds {
    rounds: usize,
    killed: usize,
    at_step: BTreeMap<String, usize>,
    full_ms: u128,
    partitions: usize,
}

/// One lab: S0, the uninterrupted run (S1), apply twice, rollback, then `rounds`
/// seeded SIGKILL + resume + rollback rounds.
fn crash_rounds(seed: u64, rounds: usize) -> Rounds {
    let f = fixture(&[]);
    let s0 = f.offsets();
    assert!(s0.values().all(|o| o.is_some()), "{s0:?}");

    // The uninterrupted run: S1.
    let out = f.failover(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(partitions_written(&json(&out)) > 0);
    let s1 = f.offsets();
    assert_ne!(s0, s1, "the failover moved nothing");
    // Apply twice: a second run finds every group at its target and writes nothing. Its
    // length (every step, warm) is the range the kills fall in.
    let started = Instant::now();
    let out = f.failover(&[]);
    let full = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(partitions_written(&json(&out)), 0, "second apply wrote");
    assert_eq!(f.offsets(), s1);
    // Rollback of the first run: exactly S0.
    let first = f.journals()[0].clone();
    let events = journal_lines(first.parent().unwrap());
    f.rollback(&first);
    assert_eq!(
        f.offsets(),
        s0,
        "rollback did not restore the previous offsets"
    );

    let mut rng = Rng(seed);
    let mut r = Rounds {
        rounds,
        full_ms: full.as_millis(),
        partitions: s1.len(),
        ..Rounds::default()
    };
    for round in 0..rounds {
        let before = f.journals().len();
        let mut child = f
            .failover_cmd(&[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Even rounds: a random time into the run. Odd rounds: right after a random one
        // of the journal lines an uninterrupted run writes (run, offsets and mirror
        // journals), so the kills also land among the writes, not only in the waits.
        let started = Instant::now();
        let how = if round % 2 == 0 {
            let delay = Duration::from_millis(rng.below(full.as_millis() as u64));
            std::thread::sleep(delay);
            format!("after {delay:?}")
        } else {
            let after = 1 + rng.below(events as u64) as usize;
            let deadline = started + full * 3;
            loop {
                let run = f.journals().into_iter().skip(before).last();
                let n = run.map_or(0, |j| journal_lines(j.parent().unwrap()));
                if n >= after || Instant::now() >= deadline || child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            format!("after journal line {after} of {events}")
        };
        child.kill().unwrap_or(()); // SIGKILL (a no-op if it just finished)
        let status = child.wait().unwrap();
        let finished = status.code().is_some();
        let journals = f.journals();
        let journal = (journals.len() > before).then(|| journals.last().unwrap().clone());
        let point = match (&journal, finished) {
            (_, true) => "finished".to_string(),
            (None, false) => "before-journal".to_string(),
            (Some(j), false) => reached(j),
        };
        if finished {
            assert!(status.success(), "round {round}: {status}");
        } else {
            r.killed += 1;
        }
        *r.at_step.entry(point.clone()).or_default() += 1;
        let ctx = format!("seed {seed}, round {round}, {how}, killed at {point}");
        // Resume what the killed run journaled (or, killed before it journaled
        // anything, run again): the end state is S1.
        let journal = match journal {
            Some(j) => {
                let out = f.failover(&["--resume", j.to_str().unwrap()]);
                assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
                j
            }
            None => {
                let out = f.failover(&[]);
                assert!(out.status.success(), "{ctx}: {}", stderr(&out));
                f.journals().last().unwrap().clone()
            }
        };
        assert_eq!(f.offsets(), s1, "{ctx}: end state differs");
        f.rollback(&journal);
        assert_eq!(f.offsets(), s0, "{ctx}: rollback did not restore S0");
    }
    r
}

/// Lines in every journal of a run directory.
fn journal_lines(run_dir: &Path) -> usize {
    std::fs::read_dir(run_dir)
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .map(|t| t.lines().count())
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn killed_at_random_points_resume_ends_where_an_uninterrupted_run_ends() {
    let seed: u64 = std::env::var("KF_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261126);
    let rounds: usize = std::env::var("KF_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    // Eight labs side by side (the rounds mostly wait on the lost DC's probes).
    const LABS: usize = 8;
    let results: Vec<Rounds> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..LABS)
            .map(|i| {
                let n = rounds / LABS + usize::from(i < rounds % LABS);
                s.spawn(move || crash_rounds(seed + i as u64, n))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut at_step: BTreeMap<String, usize> = BTreeMap::new();
    for r in &results {
        for (k, v) in &r.at_step {
            *at_step.entry(k.clone()).or_default() += v;
        }
    }
    let total: usize = results.iter().map(|r| r.rounds).sum();
    let killed: usize = results.iter().map(|r| r.killed).sum();
    assert_eq!(total, rounds);
    figure(
        "crash and resume",
        &format!(
            "{total} seeded SIGKILLs (seeds {seed}..{}) across a {}-{} ms failover, {killed} mid-run, \
             at {at_step:?}: every --resume ended at the uninterrupted run's offsets ({} partitions) \
             and every rollback restored the previous ones exactly; apply twice: 0 extra writes",
            seed + LABS as u64 - 1,
            results.iter().map(|r| r.full_ms).min().unwrap_or(0),
            results.iter().map(|r| r.full_ms).max().unwrap_or(0),
            results[0].partitions,
        ),
    );
}

#[test]
fn ctrl_c_during_apply_stops_after_the_step_exit_130_and_resume_continues() {
    // Ctrl-C arrives while the stop-consumers hook runs (after the mirror stopped,
    // before the groups move): the hook finishes, nothing after it starts.
    let f = fixture(&[(
        HookEvent::StopConsumers,
        "kill -INT $PPID; sleep 1; echo consumers stopped".to_string(),
    )]);
    let s0 = f.offsets();
    let out = f.failover(&[]);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let r = json(&out);
    let steps = r["steps"].as_array().unwrap();
    let last = steps.last().unwrap();
    assert_eq!(last["id"], "hook-stop-consumers", "{r:#}");
    assert_eq!(last["status"], "done", "the current step finishes: {r:#}");
    assert!(steps.iter().all(|s| s["id"] != "move-groups"));
    assert_eq!(f.offsets(), s0, "nothing moved after Ctrl-C");
    let journal = f.journals().pop().unwrap();
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains("interrupted"), "{text}");
    assert!(stderr(&out).contains("--resume"), "{}", stderr(&out));

    // --resume continues from the next step (the hook sends Ctrl-C only once: the
    // resumed run skips it as done).
    let out = f.failover(&["--resume", journal.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json(&out);
    let earlier = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["earlier"] == true)
        .count();
    assert!(earlier >= 1, "{r:#}");
    assert!(partitions_written(&r) > 0);
    assert_ne!(f.offsets(), s0);
    figure(
        "signals",
        &format!(
            "Ctrl-C mid-failover: the running step finished, {} steps done, exit 130, \
             0 offsets written after it; --resume skipped {earlier} done steps and finished",
            steps.len()
        ),
    );
}
