//! The run lock on librdkafka's mock cluster: refusals that name the holder, release,
//! expiry takeover, a resumed run, the operator's break, and eight racers at once.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use kafka_failover::kafka::{read_topic_to_end, ClientSettings, MockKafka};
use kafka_failover::runbook::lock::{
    acquire, break_lock, status, Claimant, LockError, LockRecord, RecordKind, LOCK_TOPIC,
};

const T: Duration = Duration::from_secs(10);
const TTL: Duration = Duration::from_secs(60);

/// A mock cluster with the lock topic (the mock has no CreateTopics).
fn cluster() -> (MockKafka, ClientSettings) {
    let mock = MockKafka::new(&[None, None, None]).unwrap();
    mock.ensure_topic(LOCK_TOPIC, 1, 3).unwrap();
    let settings = ClientSettings::new(mock.bootstrap()).timeout(T);
    (mock, settings)
}

fn who(run: &str, host: &str) -> Claimant {
    Claimant {
        run_id: run.into(),
        holder: format!("alice@{host}"),
        host: host.into(),
        pid: 4242,
        command: "failover --lost dc-east".into(),
    }
}

fn records(settings: &ClientSettings) -> Vec<LockRecord> {
    read_topic_to_end(settings, LOCK_TOPIC, T)
        .unwrap()
        .into_iter()
        .map(|r| serde_json::from_slice(&r.value.unwrap()).unwrap())
        .collect()
}

#[test]
fn a_second_run_is_refused_by_name_until_the_first_releases() {
    let (_mock, s) = cluster();
    let guard = acquire(&s, "payments", who("run-1", "host-a"), TTL, T).unwrap();
    let written = records(&s).len();

    let e = acquire(&s, "payments", who("run-2", "host-b"), TTL, T)
        .err()
        .unwrap();
    match &e {
        LockError::Held {
            run_id,
            holder,
            host,
            command,
            since_ms,
            expires_ms,
            ..
        } => {
            assert_eq!(
                (run_id.as_str(), holder.as_str()),
                ("run-1", "alice@host-a")
            );
            assert_eq!(
                (host.as_str(), command.as_str()),
                ("host-a", "failover --lost dc-east")
            );
            assert_eq!(*since_ms, guard.started_at_ms());
            assert_eq!(*expires_ms, guard.expires_at_ms());
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("locked by run run-1 of alice@host-a"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "since {}",
            kafka_failover::clock::fmt_ms(guard.started_at_ms())
        )),
        "{text}"
    );
    // A refusal writes nothing.
    assert_eq!(records(&s).len(), written);

    // Another topology is another lock.
    let other = acquire(&s, "inventory", who("run-3", "host-b"), TTL, T).unwrap();
    assert_eq!(status(&s, "payments", T).unwrap().unwrap().run_id, "run-1");

    guard.release().unwrap();
    assert_eq!(status(&s, "payments", T).unwrap(), None);
    let again = acquire(&s, "payments", who("run-2", "host-b"), TTL, T).unwrap();
    assert_eq!(status(&s, "payments", T).unwrap().unwrap().run_id, "run-2");
    drop(again); // Drop releases too.
    assert_eq!(status(&s, "payments", T).unwrap(), None);
    assert_eq!(status(&s, "inventory", T).unwrap().unwrap().run_id, "run-3");
    drop(other);
}

#[test]
fn an_expired_holder_is_taken_over_and_learns_it_at_its_next_renew() {
    let (_mock, s) = cluster();
    // A write takes ~0.6 s on the mock (acks=all, idempotent producer): TTLs are seconds.
    let stale = acquire(
        &s,
        "payments",
        who("run-1", "host-a"),
        Duration::from_secs(2),
        T,
    )
    .unwrap();
    assert!(acquire(&s, "payments", who("run-2", "host-b"), TTL, T).is_err());
    let past_expiry = stale.expires_at_ms() + 100 - kafka_failover::clock::now_ms();
    std::thread::sleep(Duration::from_millis(past_expiry.max(0) as u64));
    let fresh = acquire(&s, "payments", who("run-2", "host-b"), TTL, T).unwrap();
    assert_eq!(status(&s, "payments", T).unwrap().unwrap().run_id, "run-2");
    match stale.renew() {
        Err(LockError::Lost { run_id, now, .. }) => {
            assert_eq!(run_id, "run-1");
            assert_eq!(now.unwrap().run_id, "run-2");
        }
        other => panic!("{other:?}"),
    }
    // The stale run's release (on drop) is ignored: run-2 keeps it.
    drop(stale);
    assert_eq!(status(&s, "payments", T).unwrap().unwrap().run_id, "run-2");
    fresh.renew().unwrap();
}

#[test]
fn a_resumed_run_gets_its_lock_back_and_keep_alive_renews_it() {
    let (_mock, s) = cluster();
    let first = acquire(&s, "payments", who("run-1", "host-a"), TTL, T).unwrap();
    let started = first.started_at_ms();
    // The process died without releasing (no Drop); `--resume` of the same run from
    // another host takes it back at once.
    std::mem::forget(first);
    let mut resumed = Claimant {
        command: "failover --resume run-1".into(),
        ..who("run-1", "host-b")
    };
    resumed.pid = 777;
    let mut guard = acquire(&s, "payments", resumed, Duration::from_secs(2), T).unwrap();
    let h = status(&s, "payments", T).unwrap().unwrap();
    assert_eq!(
        (h.host.as_str(), h.pid, h.started_at_ms),
        ("host-b", 777, started)
    );

    guard.keep_alive(Duration::from_millis(300));
    let first_expiry = guard.expires_at_ms();
    std::thread::sleep(Duration::from_millis(3000));
    guard.check().unwrap();
    assert!(guard.expires_at_ms() > first_expiry);
    // Alive past its first TTL only thanks to the renews.
    assert!(acquire(&s, "payments", who("run-2", "host-c"), TTL, T).is_err());
    let renews = records(&s)
        .iter()
        .filter(|r| r.kind == RecordKind::Renew)
        .count();
    assert!(renews >= 2, "{renews} renews");
    guard.release().unwrap();
    assert_eq!(status(&s, "payments", T).unwrap(), None);
}

#[test]
fn an_operator_breaks_a_lock_and_the_broken_run_finds_out() {
    let (_mock, s) = cluster();
    assert_eq!(
        break_lock(&s, "payments", who("op", "ops-box"), T).unwrap(),
        None
    );
    let victim = acquire(&s, "payments", who("run-1", "host-a"), TTL, T).unwrap();
    let broken = break_lock(&s, "payments", who("op", "ops-box"), T)
        .unwrap()
        .unwrap();
    assert_eq!(broken.run_id, "run-1");
    let last = records(&s).pop().unwrap();
    assert_eq!(last.kind, RecordKind::Broken);
    assert_eq!(
        (last.run_id.as_str(), last.host.as_str()),
        ("run-1", "ops-box")
    );
    assert_eq!(status(&s, "payments", T).unwrap(), None);
    assert!(matches!(
        victim.renew(),
        Err(LockError::Lost { now: None, .. })
    ));
    let next = acquire(&s, "payments", who("run-2", "host-b"), TTL, T).unwrap();
    drop(victim); // its release is a stranger's now: ignored
    assert_eq!(status(&s, "payments", T).unwrap().unwrap().run_id, "run-2");
    drop(next);
}

#[test]
fn without_the_topic_acquire_says_it_cannot_create_it() {
    // The mock cluster has no CreateTopics: the lock cannot be created there.
    let mock = MockKafka::new(&[None]).unwrap();
    let s = ClientSettings::new(mock.bootstrap()).timeout(Duration::from_secs(3));
    let started = Instant::now();
    let e = acquire(
        &s,
        "payments",
        who("run-1", "host-a"),
        TTL,
        Duration::from_secs(5),
    )
    .err()
    .unwrap();
    assert!(matches!(e, LockError::TopicUnavailable { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with(
            "the lock topic `kafka-failover.locks.internal` does not exist and could not be created"
        ),
        "{text}"
    );
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(status(&s, "payments", T).unwrap(), None);
}

#[test]
fn eight_racers_at_once_one_wins_and_the_others_name_it() {
    let (_mock, s) = cluster();
    for round in 0..3 {
        let topology = format!("race-{round}");
        let start = Arc::new(Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (s, start, topology) = (s.clone(), start.clone(), topology.clone());
                std::thread::spawn(move || {
                    let me = who(&format!("run-{i}"), &format!("host-{i}"));
                    start.wait();
                    acquire(&s, &topology, me, TTL, T)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|g| g.run_id().to_string()))
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        for r in &results {
            match r {
                Ok(_) => {}
                Err(LockError::Held { run_id, .. }) => assert_eq!(run_id, &winners[0]),
                Err(e) => panic!("round {round}: {e}"),
            }
        }
        let claims = records(&s)
            .into_iter()
            .filter(|r| r.topology == topology && r.kind == RecordKind::Claim)
            .count();
        eprintln!(
            "round {round}: winner {}, {claims} claims written",
            winners[0]
        );
        assert_eq!(
            status(&s, &topology, T).unwrap().unwrap().run_id,
            winners[0]
        );
    }
}
