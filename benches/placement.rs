//! `placement check` (and `propose`) on a snapshot of 100,000 partitions, RF 3, 30 brokers
//! in 3 DCs (target: check under 1 s). Run: `cargo bench --bench placement`.

use criterion::{criterion_group, criterion_main, Criterion};
use kafka_failover::placement::{
    check, propose, BrokerInfo, PartitionInfo, PlacementInput, Requirements, TopicPartitions,
};

/// 1,000 topics x 100 partitions over 30 brokers (10 per DC); every 50th partition has
/// all its replicas in one DC, so the proposer has work too.
fn big_input() -> PlacementInput {
    let dcs = ["dc-a", "dc-b", "dc-c"];
    let brokers: Vec<BrokerInfo> = (0..30)
        .map(|i| BrokerInfo {
            id: i + 1,
            rack: Some(format!("{}-{}", dcs[(i % 3) as usize], i / 3)),
            datacenter: Some(dcs[(i % 3) as usize].to_string()),
        })
        .collect();
    let topics = (0..1000)
        .map(|t| TopicPartitions {
            name: format!("topic-{t}"),
            min_isr: 2,
            partitions: (0..100)
                .map(|p| {
                    let n = t * 100 + p;
                    let replicas: Vec<i32> = if n % 50 == 0 {
                        vec![
                            1 + (n % 10) * 3,
                            1 + ((n + 1) % 10) * 3,
                            1 + ((n + 2) % 10) * 3,
                        ]
                    } else {
                        (0..3).map(|k| 1 + (n + k) % 30).collect()
                    };
                    PartitionInfo {
                        partition: p,
                        leader: Some(replicas[0]),
                        isr: replicas.clone(),
                        replicas,
                    }
                })
                .collect(),
        })
        .collect();
    PlacementInput {
        cluster: "big".into(),
        datacenters: dcs.iter().map(|s| s.to_string()).collect(),
        brokers,
        topics,
        requirements: Requirements {
            replication_factor: 3,
            min_insync_replicas: 2,
            survive_dc_loss: 1,
            max_leader_share: Some(0.5),
        },
    }
}

fn bench(c: &mut Criterion) {
    let input = big_input();
    let report = check(&input, &["dc-c".to_string()]);
    assert_eq!(report.totals.partitions, 100_000);
    assert_eq!(report.totals.violating, 2_000);
    let mut g = c.benchmark_group("placement 100k partitions");
    g.sample_size(10);
    g.bench_function("check with --lose dc-c", |b| {
        b.iter(|| check(std::hint::black_box(&input), &["dc-c".to_string()]))
    });
    g.bench_function("propose", |b| {
        b.iter(|| propose(std::hint::black_box(&input)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
