//! `topology validate` + `lint` on a ~500-line topology (target: well under 10 ms per file).
//! Run: `cargo bench --bench validate`.

use criterion::{criterion_group, criterion_main, Criterion};
use kafka_failover::topology::{lint, load_str};

/// The active/active example with 60 more consumer groups: about 500 lines.
fn big_topology() -> String {
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/topologies/active-active.yaml"
    ))
    .unwrap();
    for i in 0..60 {
        text.push_str(&format!(
            "  - name: analytics-job-{i}\n    topics: [clicks, sessions]\n    active-in: [dc-{}]\n    mode: single-active\n    reads: aggregate\n    failover: {{strategy: timestamp, margin: 10m}}\n",
            1 + i % 2
        ));
    }
    // The groups list is not last in the file: move the appended groups up into it.
    let (head, tail) = text.split_at(text.find("\nplacement:").unwrap());
    let (tail, groups) = tail.split_at(tail.find("  - name: analytics-job-0").unwrap());
    format!("{head}\n{groups}{tail}")
}

fn bench(c: &mut Criterion) {
    let text = big_topology();
    let lines = text.lines().count();
    assert!(lines >= 500, "only {lines} lines");
    load_str("big.yaml", &text).expect("the bench topology is valid");
    c.bench_function(&format!("validate+lint {lines}-line topology"), |b| {
        b.iter(|| {
            let t = load_str("big.yaml", std::hint::black_box(&text)).unwrap();
            lint::lint(&t)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
