use std::collections::BTreeMap;

use super::*;
use crate::kafka::GroupState;

fn tp(t: &str, p: i32) -> Tp {
    (t.to_string(), p)
}

/// orders[0]: records 10..100, orders[1]: 0..50; group g committed 40 on [0], nothing on [1].
fn snapshot() -> OffsetsSnapshot {
    let mut s = OffsetsSnapshot {
        cluster: "c".into(),
        taken_at_ms: 1_000_000,
        ..Default::default()
    };
    s.bounds.insert(
        tp("orders", 0),
        LogBounds {
            log_start: 10,
            log_end: 100,
        },
    );
    s.bounds.insert(
        tp("orders", 1),
        LogBounds {
            log_start: 0,
            log_end: 50,
        },
    );
    let mut committed = BTreeMap::new();
    committed.insert(tp("orders", 0), Some(40));
    committed.insert(tp("orders", 1), None);
    s.groups.insert(
        "g".into(),
        GroupSnapshot {
            group: "g".into(),
            state: Some(GroupState::Empty),
            members: Some(0),
            committed,
        },
    );
    s
}

fn req(strategy: ResetStrategy) -> GroupRequest {
    GroupRequest {
        group: "g".into(),
        strategy,
        partitions: vec![tp("orders", 1), tp("orders", 0)],
    }
}

fn targets(p: &ResetPlan) -> Vec<(Option<i64>, Action)> {
    p.groups[0]
        .partitions
        .iter()
        .map(|r| (r.target, r.action))
        .collect()
}

#[test]
fn earliest_and_latest_use_log_bounds_and_sort_partitions() {
    let s = snapshot();
    let p = plan(&s, &[req(ResetStrategy::Earliest)]);
    assert_eq!(p.groups[0].partitions[0].partition, 0);
    assert_eq!(
        targets(&p),
        vec![(Some(10), Action::Set), (Some(0), Action::Set)]
    );
    assert_eq!(p.groups[0].partitions[0].delta, Some(-30));
    assert!(p.groups[0].partitions[1]
        .reason
        .contains("no committed offset before"));
    let p = plan(&s, &[req(ResetStrategy::Latest)]);
    assert_eq!(
        targets(&p),
        vec![(Some(100), Action::Set), (Some(50), Action::Set)]
    );
}

#[test]
fn to_offset_is_clamped_both_ways_and_says_so() {
    let s = snapshot();
    let p = plan(&s, &[req(ResetStrategy::ToOffset { offset: 5 })]);
    assert_eq!(
        targets(&p),
        vec![(Some(10), Action::Set), (Some(5), Action::Set)]
    );
    assert!(p.groups[0].partitions[0]
        .reason
        .contains("clamped to log start (was 5)"));
    let p = plan(&s, &[req(ResetStrategy::ToOffset { offset: 1000 })]);
    assert_eq!(
        targets(&p),
        vec![(Some(100), Action::Set), (Some(50), Action::Set)]
    );
    assert!(p.groups[0].partitions[1]
        .reason
        .contains("clamped to log end (was 1000)"));
}

#[test]
fn shift_needs_a_committed_offset_and_is_clamped() {
    let s = snapshot();
    let p = plan(&s, &[req(ResetStrategy::ShiftBy { by: -100 })]);
    assert_eq!(
        targets(&p),
        vec![(Some(10), Action::Set), (None, Action::Skip)]
    );
    assert_eq!(
        p.groups[0].partitions[1].reason,
        "no committed offset to shift from"
    );
    let p = plan(&s, &[req(ResetStrategy::ShiftBy { by: 5 })]);
    assert_eq!(p.groups[0].partitions[0].target, Some(45));
}

#[test]
fn timestamp_past_the_end_resolves_to_log_end() {
    let mut s = snapshot();
    s.by_timestamp.insert((tp("orders", 0), 7), Some(60));
    s.by_timestamp.insert((tp("orders", 1), 7), None);
    let p = plan(&s, &[req(ResetStrategy::Timestamp { at_ms: 7 })]);
    assert_eq!(
        targets(&p),
        vec![(Some(60), Action::Set), (Some(50), Action::Set)]
    );
    assert!(p.groups[0].partitions[1].reason.contains("log end"));
}

#[test]
fn missing_timestamp_lookup_skips_rather_than_guessing() {
    let s = snapshot();
    let p = plan(&s, &[req(ResetStrategy::Timestamp { at_ms: 7 })]);
    assert_eq!(
        targets(&p),
        vec![(None, Action::Skip), (None, Action::Skip)]
    );
}

#[test]
fn rerun_at_target_writes_nothing() {
    let s = snapshot();
    let p = plan(
        &s,
        &[GroupRequest {
            group: "g".into(),
            strategy: ResetStrategy::ToOffset { offset: 40 },
            partitions: vec![tp("orders", 0)],
        }],
    );
    assert_eq!(targets(&p), vec![(Some(40), Action::AlreadyAtTarget)]);
    assert!(p.is_noop());
    assert_eq!(p.totals().already_at_target, 1);
}

#[test]
fn live_group_is_refused_whole() {
    let mut s = snapshot();
    let g = s.groups.get_mut("g").unwrap();
    g.members = Some(2);
    g.state = Some(GroupState::Stable);
    let p = plan(&s, &[req(ResetStrategy::Earliest)]);
    let why = p.groups[0].refused.as_deref().unwrap();
    assert!(
        why.contains("2 live member(s)") && why.contains("stable"),
        "{why}"
    );
    assert!(p.groups[0].writes().is_empty());
    assert!(p.is_noop());
    assert_eq!(p.totals().refused_groups, 1);
}

#[test]
fn stale_file_is_refused_unless_forced() {
    let s = snapshot();
    let mut entries = BTreeMap::new();
    entries.insert(
        tp("orders", 0),
        FileEntry {
            target: 70,
            expected: Some(Some(35)),
        },
    );
    entries.insert(
        tp("orders", 1),
        FileEntry {
            target: 20,
            expected: Some(None),
        },
    );
    let mk = |force| GroupRequest {
        group: "g".into(),
        strategy: ResetStrategy::FromFile {
            entries: entries.clone(),
            force,
        },
        partitions: entries.keys().cloned().collect(),
    };
    let p = plan(&s, &[mk(false)]);
    let why = p.groups[0].refused.as_deref().unwrap();
    assert!(
        why.contains("orders[0] planned from 35 but now 40"),
        "{why}"
    );
    assert!(!why.contains("orders[1]"), "{why}");
    let p = plan(&s, &[mk(true)]);
    assert!(p.groups[0].refused.is_none());
    assert_eq!(
        targets(&p),
        vec![(Some(70), Action::Set), (Some(20), Action::Set)]
    );
}

#[test]
fn to_group_copies_and_skips_where_the_other_has_nothing() {
    let mut s = snapshot();
    let mut other = BTreeMap::new();
    other.insert(tp("orders", 0), Some(90));
    s.other_groups.insert("h".into(), other);
    let p = plan(&s, &[req(ResetStrategy::ToGroup { group: "h".into() })]);
    assert_eq!(
        targets(&p),
        vec![(Some(90), Action::Set), (None, Action::Skip)]
    );
    assert_eq!(
        needs(&[req(ResetStrategy::ToGroup { group: "h".into() })])
            .other_groups
            .len(),
        1
    );
}

#[test]
fn translated_reports_confidence_and_falls_back_to_timestamp_never_earliest() {
    let mut s = snapshot();
    let mut t = BTreeMap::new();
    t.insert(
        tp("orders", 0),
        Translation {
            offset: 77,
            upstream_offset: 500,
            age_ms: Some(3000),
            source_committed: Some(512),
            sync_upstream: Some(500),
        },
    );
    s.translations.insert("g".into(), t);
    s.by_timestamp.insert((tp("orders", 1), 9), Some(30));
    let r = req(ResetStrategy::Translated {
        source: "east".into(),
        fallback_ms: Some(9),
    });
    assert_eq!(needs(std::slice::from_ref(&r)).timestamps.len(), 2);
    let p = plan(&s, &[r]);
    let rows = &p.groups[0].partitions;
    assert_eq!(rows[0].target, Some(77));
    assert_eq!(rows[0].confidence, Some(Confidence::Behind { records: 12 }));
    assert_eq!(rows[0].checkpoint_age_ms, Some(3000));
    assert_eq!(rows[1].target, Some(30));
    assert_eq!(rows[1].confidence, Some(Confidence::NoCheckpoint));
    assert!(rows[1]
        .reason
        .starts_with("no checkpoint: fell back to timestamp"));
    let p = plan(
        &s,
        &[req(ResetStrategy::Translated {
            source: "east".into(),
            fallback_ms: None,
        })],
    );
    assert_eq!(p.groups[0].partitions[1].action, Action::Skip);
}

#[test]
fn unknown_partition_is_skipped_with_a_reason() {
    let s = snapshot();
    let p = plan(
        &s,
        &[GroupRequest {
            group: "g".into(),
            strategy: ResetStrategy::Earliest,
            partitions: vec![tp("nope", 0)],
        }],
    );
    assert_eq!(
        p.groups[0].partitions[0].reason,
        "partition not found on the cluster"
    );
}

#[test]
fn restore_is_exact_deletes_and_checks_what_it_expects() {
    let s = snapshot();
    let mut targets = BTreeMap::new();
    targets.insert(tp("orders", 0), Some(3)); // below log start: not clamped
    targets.insert(tp("orders", 1), None);
    let mut allowed = BTreeMap::new();
    allowed.insert(tp("orders", 0), vec![Some(40), Some(3)]);
    allowed.insert(tp("orders", 1), vec![None, Some(9)]);
    let mk = |allowed: BTreeMap<Tp, Vec<Option<i64>>>, force| GroupRequest {
        group: "g".into(),
        strategy: ResetStrategy::Restore {
            label: "rollback".into(),
            targets: targets.clone(),
            allowed,
            force,
        },
        partitions: targets.keys().cloned().collect(),
    };
    let p = plan(&s, &[mk(allowed.clone(), false)]);
    assert!(p.groups[0].refused.is_none());
    assert_eq!(
        targets_of(&p),
        vec![(Some(3), Action::Set), (None, Action::AlreadyAtTarget)]
    );
    assert_eq!(p.groups[0].writes(), vec![(tp("orders", 0), Some(3))]);
    allowed.insert(tp("orders", 0), vec![Some(41)]);
    let p = plan(&s, &[mk(allowed.clone(), false)]);
    let why = p.groups[0].refused.as_deref().unwrap();
    assert!(why.contains("orders[0] is 40, journal expects 41"), "{why}");
    assert!(plan(&s, &[mk(allowed, true)]).groups[0].refused.is_none());
}

#[test]
fn restore_deletes_an_offset_that_did_not_exist_before() {
    let s = snapshot();
    let mut targets = BTreeMap::new();
    targets.insert(tp("orders", 0), None);
    let p = plan(
        &s,
        &[GroupRequest {
            group: "g".into(),
            strategy: ResetStrategy::Restore {
                label: "rollback".into(),
                targets,
                allowed: BTreeMap::new(),
                force: false,
            },
            partitions: vec![tp("orders", 0)],
        }],
    );
    assert_eq!(p.groups[0].partitions[0].action, Action::Delete);
    assert_eq!(p.groups[0].writes(), vec![(tp("orders", 0), None)]);
}

fn targets_of(p: &ResetPlan) -> Vec<(Option<i64>, Action)> {
    targets(p)
}
