//! Property test of MirrorMaker 2's record decoders (`offsets::mm2_records`), bounded in
//! time (about a second in CI): random bytes, and real checkpoint and offset-sync records
//! truncated, extended or with bytes changed, never make them panic; every record they
//! encode decodes back to itself.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use kafka_failover::offsets::mm2_records::{Checkpoint, OffsetSync};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestRunner};

const CASES: u32 = 5_000;

fn runner() -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    })
}

fn bytes(max: usize) -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::weighted(0.95, proptest::collection::vec(any::<u8>(), 0..max))
}

#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Extend(Vec<u8>),
    Set(usize, u8),
    /// A string length field set to a value of its own (negative, huge).
    Length(i16),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        proptest::collection::vec(any::<u8>(), 1..8).prop_map(Damage::Extend),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
        any::<i16>().prop_map(Damage::Length),
    ]
}

fn apply(mut b: Vec<u8>, d: &Damage) -> Vec<u8> {
    match d {
        Damage::Truncate(n) => b.truncate(n % (b.len() + 1)),
        Damage::Extend(x) => b.extend_from_slice(x),
        Damage::Set(i, v) if !b.is_empty() => {
            let n = b.len();
            b[i % n] = *v;
        }
        Damage::Length(l) if b.len() >= 2 => b[..2].copy_from_slice(&l.to_be_bytes()),
        _ => {}
    }
    b
}

fn checkpoint() -> impl Strategy<Value = Checkpoint> {
    (
        "[a-z0-9._-]{1,40}",
        "[a-z0-9._-]{1,60}",
        0..=i32::MAX,
        // MM2 writes offsets >= 0; a negative one is refused as not MM2's (its own test).
        0..=i64::MAX,
        0..=i64::MAX,
        ".{0,20}",
    )
        .prop_map(|(group, topic, partition, up, down, metadata)| Checkpoint {
            group,
            topic,
            partition,
            upstream_offset: up,
            downstream_offset: down,
            metadata,
        })
}

#[test]
fn the_mm2_decoders_never_panic() {
    let (garbage, damaged, decoded) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0));
    runner()
        .run(&(bytes(96), bytes(96)), |(k, v)| {
            garbage.fetch_add(1, Ordering::Relaxed);
            let a = Checkpoint::decode(k.as_deref(), v.as_deref()).is_ok();
            let b = OffsetSync::decode(k.as_deref(), v.as_deref()).is_ok();
            decoded.fetch_add(u32::from(a) + u32::from(b), Ordering::Relaxed);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    runner()
        .run(
            &(checkpoint(), damage(), damage(), any::<bool>()),
            |(c, dk, dv, both)| {
                damaged.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(
                    &Checkpoint::decode(Some(&c.encode_key()), Some(&c.encode_value())).unwrap(),
                    &c
                );
                let key = apply(c.encode_key(), &dk);
                let value = if both {
                    apply(c.encode_value(), &dv)
                } else {
                    c.encode_value()
                };
                let _ = Checkpoint::decode(Some(&key), Some(&value));
                let sync = OffsetSync {
                    topic: c.topic.clone(),
                    partition: c.partition,
                    upstream_offset: c.upstream_offset,
                    downstream_offset: c.downstream_offset,
                };
                prop_assert_eq!(
                    &OffsetSync::decode(Some(&sync.encode_key()), Some(&sync.encode_value()))
                        .unwrap(),
                    &sync
                );
                let _ = OffsetSync::decode(
                    Some(&apply(sync.encode_key(), &dk)),
                    Some(&apply(sync.encode_value(), &dv)),
                );
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let (g, d) = (garbage.into_inner(), damaged.into_inner());
    common::figure(
        "fuzzing",
        &format!(
            "MM2 record decoders: {} generated records ({g} random key/value pairs, {d} real checkpoints and offset syncs damaged), 0 panics, {} of the random pairs happened to decode, every undamaged record round-trips",
            g + d,
            decoded.into_inner()
        ),
    );
}
