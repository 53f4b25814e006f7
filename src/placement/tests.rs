//! Checker and proposer, without a broker: examples, then properties over random clusters.

use proptest::prelude::*;

use super::*;

fn broker(id: i32, dc: &str) -> BrokerInfo {
    BrokerInfo {
        id,
        rack: Some(format!("{dc}-r{id}")),
        datacenter: Some(dc.to_string()),
    }
}

fn part(p: i32, replicas: &[i32]) -> PartitionInfo {
    PartitionInfo {
        partition: p,
        leader: replicas.first().copied(),
        replicas: replicas.to_vec(),
        isr: replicas.to_vec(),
    }
}

/// Three DCs a, b, c with two brokers each: 1,2 in a; 3,4 in b; 5,6 in c.
fn input(parts: Vec<PartitionInfo>) -> PlacementInput {
    PlacementInput {
        cluster: "orders".into(),
        datacenters: vec!["a".into(), "b".into(), "c".into()],
        brokers: vec![
            broker(1, "a"),
            broker(2, "a"),
            broker(3, "b"),
            broker(4, "b"),
            broker(5, "c"),
            broker(6, "c"),
        ],
        topics: vec![TopicPartitions {
            name: "t".into(),
            min_isr: 2,
            partitions: parts,
        }],
        requirements: Requirements {
            replication_factor: 3,
            min_insync_replicas: 2,
            survive_dc_loss: 1,
            max_leader_share: None,
        },
    }
}

#[test]
fn rack_aware_partitions_pass() {
    let r = check(&input(vec![part(0, &[1, 3, 5]), part(1, &[4, 6, 2])]), &[]);
    assert!(r.ok(), "{:?}", r.partitions);
    assert_eq!(r.partitions[0].replicas_per_dc.len(), 3);
    assert_eq!(r.partitions[0].leader_dc.as_deref(), Some("a"));
}

#[test]
fn violations_are_named() {
    let mut i = input(vec![
        part(0, &[1, 2]),
        part(1, &[1, 2, 3]),
        part(2, &[1, 9, 3]),
    ]);
    i.brokers.push(BrokerInfo {
        id: 7,
        rack: None,
        datacenter: None,
    });
    let r = check(&i, &[]);
    assert!(!r.ok());
    assert_eq!(
        r.partitions[0].violations,
        vec![
            Violation::TooFewReplicas { have: 2, need: 3 },
            Violation::SingleDc {
                datacenter: "a".into()
            },
            Violation::MinIsrAfterLoss {
                left: 0,
                min_isr: 2,
                lost: 1
            },
        ]
    );
    // 2 in a, 1 in b: losing a leaves 1 < min ISR 2.
    assert_eq!(
        r.partitions[1].violations,
        vec![Violation::MinIsrAfterLoss {
            left: 1,
            min_isr: 2,
            lost: 1
        }]
    );
    assert!(r.partitions[2]
        .violations
        .contains(&Violation::UnknownBroker { broker: 9 }));
    assert_eq!(
        r.cluster_findings,
        vec![ClusterFinding::BrokerWithoutRack { broker: 7 }]
    );
}

#[test]
fn losing_a_dc_what_if() {
    let mut p = part(0, &[1, 3, 5]);
    p.isr = vec![1, 3];
    let r = check(
        &input(vec![p, part(1, &[3, 4, 5]), part(2, &[1, 2, 3])]),
        &["a".into()],
    );
    let l0 = r.partitions[0].if_lost.as_ref().unwrap();
    assert!(l0.leader_lost && !l0.offline && l0.under_min_isr);
    assert_eq!(l0.leader_candidates, vec![3]);
    let l1 = r.partitions[1].if_lost.as_ref().unwrap();
    assert!(!l1.leader_lost && !l1.under_min_isr);
    assert_eq!(r.totals.leader_lost_if_lost, 2);
    assert_eq!(r.totals.under_min_isr_if_lost, 2);
    let r = check(&input(vec![part(0, &[1, 2])]), &["a".into()]);
    assert!(r.partitions[0].if_lost.as_ref().unwrap().offline);
    assert_eq!(r.totals.offline_if_lost, 1);
}

#[test]
fn proposal_moves_the_minimum_and_passes() {
    let i = input(vec![
        part(0, &[1, 2, 3]),
        part(1, &[1, 3, 5]),
        part(2, &[2]),
    ]);
    let p = propose(&i);
    assert_eq!(p.moves.len(), 2, "{:?}", p.moves);
    // [1,2,3]: one replica moves out of a into c; the leader stays first.
    assert_eq!(p.moves[0].from, vec![1, 2, 3]);
    assert_eq!(p.moves[0].added.len(), 1);
    assert_eq!(p.moves[0].to[0], 1);
    // [2]: two replicas are added in b and c.
    assert_eq!(p.moves[1].added.len(), 2);
    assert_eq!(p.replicas_moved, 3);
    assert!(recheck(&i, &p).ok());
    let json = p.reassignment_json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["partitions"][1]["topic"], "t");
}

#[test]
fn two_dcs_need_four_replicas_to_keep_min_isr_after_a_loss() {
    let mut i = input(vec![part(0, &[1, 3])]);
    i.datacenters.pop();
    i.brokers.truncate(4);
    let p = propose(&i);
    assert_eq!(p.moves[0].to.len(), 4);
    assert!(recheck(&i, &p).ok());
}

#[test]
fn impossible_spread_is_unfixable_not_faked() {
    let mut i = input(vec![part(0, &[1])]);
    i.brokers.retain(|b| b.datacenter.as_deref() == Some("a"));
    let p = propose(&i);
    assert!(p.moves.is_empty());
    assert_eq!(
        p.unfixable[0].reason,
        "only 1 DC(s) have usable brokers; 2 needed"
    );
}

#[test]
fn leaders_are_balanced_by_reordering_only() {
    let mut i = input((0..6).map(|n| part(n, &[1, 3, 5])).collect());
    i.requirements.max_leader_share = Some(0.5);
    let r = check(&i, &[]);
    assert!(matches!(
        r.cluster_findings[0],
        ClusterFinding::LeaderConcentration { .. }
    ));
    let p = propose(&i);
    assert_eq!(p.replicas_moved, 0);
    assert!(p.leaders_reordered >= 3);
    assert!(
        recheck(&i, &p).ok(),
        "{:?}",
        recheck(&i, &p).cluster_findings
    );
}

/// Random clusters: 2-3 DCs, 1-3 brokers each, partitions with random replica sets.
fn arb_case() -> impl Strategy<Value = PlacementInput> {
    (
        2usize..=3,
        prop::collection::vec(1usize..=3, 3),
        prop::collection::vec(prop::collection::vec(0usize..9, 1..=4), 1..8),
    )
        .prop_map(|(dcs, per_dc, parts)| {
            let names = ["a", "b", "c"];
            let mut brokers = Vec::new();
            for (d, name) in names.iter().enumerate().take(dcs) {
                for _ in 0..per_dc[d] {
                    let id = brokers.len() as i32 + 1;
                    brokers.push(broker(id, name));
                }
            }
            let n = brokers.len();
            let partitions = parts
                .into_iter()
                .enumerate()
                .map(|(p, picks)| {
                    let mut reps: Vec<i32> = Vec::new();
                    for x in picks {
                        let b = (x % n) as i32 + 1;
                        if !reps.contains(&b) {
                            reps.push(b);
                        }
                    }
                    part(p as i32, &reps)
                })
                .collect();
            PlacementInput {
                cluster: "c".into(),
                datacenters: names[..dcs].iter().map(|s| s.to_string()).collect(),
                brokers,
                topics: vec![TopicPartitions {
                    name: "t".into(),
                    min_isr: 2,
                    partitions,
                }],
                requirements: Requirements {
                    replication_factor: 3,
                    min_insync_replicas: 2,
                    survive_dc_loss: 1,
                    max_leader_share: None,
                },
            }
        })
}

/// The most replicas of `old` any valid assignment of `size` brokers can keep.
fn best_kept(i: &PlacementInput, old: &[i32], size: usize) -> usize {
    let ids: Vec<i32> = i.brokers.iter().map(|b| b.id).collect();
    let mut best = 0;
    for mask in 0u32..(1 << ids.len()) {
        if mask.count_ones() as usize != size {
            continue;
        }
        let set: Vec<i32> = ids
            .iter()
            .enumerate()
            .filter(|(k, _)| mask & (1 << k) != 0)
            .map(|(_, b)| *b)
            .collect();
        let mut probe = i.clone();
        probe.topics[0].partitions = vec![part(0, &set)];
        if check(&probe, &[]).partitions[0].violations.is_empty() {
            best = best.max(set.iter().filter(|b| old.contains(b)).count());
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_proposal_passes_the_checker(i in arb_case()) {
        let p = propose(&i);
        let after = recheck(&i, &p);
        for pp in &after.partitions {
            let unfixable = p.unfixable.iter().any(|u| u.partition == pp.partition);
            prop_assert!(unfixable || pp.violations.is_empty(), "{:?} after {:?}", pp, p.moves);
        }
    }

    #[test]
    fn no_replica_moves_that_did_not_need_to(i in arb_case()) {
        let p = propose(&i);
        let before = check(&i, &[]);
        for m in &p.moves {
            let was = &before.partitions[m.partition as usize];
            // Partitions that met the requirements are never touched.
            prop_assert!(!was.violations.is_empty());
            let kept = m.to.iter().filter(|b| m.from.contains(b)).count();
            prop_assert_eq!(kept, best_kept(&i, &m.from, m.to.len()), "{:?}", m);
        }
    }
}
