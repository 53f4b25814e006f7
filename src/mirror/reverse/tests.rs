use super::*;

fn topology(policy: &str) -> Topology {
    serde_yaml::from_str(&format!(
        r#"
version: 1
name: t
pattern: active-passive
datacenters: {{dc-a: {{}}, dc-b: {{}}}}
clusters:
  east: {{datacenter: dc-a, bootstrap: "e:9092", role: primary}}
  west: {{datacenter: dc-b, bootstrap: "w:9092", role: standby}}
mirrors:
  e2w:
    source: east
    target: west
    runs-in: dc-b
    replication-policy: {policy}
    topics: {{include: ["orders.*", "east\\.orders.*"]}}
    driver:
      connect: {{url: "http://127.0.0.1:1", connectors: {{source: s, checkpoint: c, heartbeat: h}}}}
"#
    ))
    .unwrap()
}

fn range(partition: i32, log_start: i64, log_end: i64) -> PartitionRange {
    PartitionRange {
        partition,
        log_start,
        log_end,
    }
}

#[test]
fn default_policy_never_copies_back_and_skips_what_is_there() {
    let t = topology("default");
    let m = &t.mirrors["e2w"];
    let r = reversed(&t, m);
    assert_eq!((r.source.as_str(), r.target.as_str()), ("west", "east"));
    assert_eq!((r.source_alias(), r.target_alias()), ("west", "east"));
    assert_eq!(r.runs_in, "dc-a");
    assert!(r.topics.exclude.contains(&"east\\..*".to_string()));
    let mut f = ReverseFacts::default();
    f.new_source_topics
        .insert("east.orders".into(), vec![range(0, 0, 90)]);
    f.new_source_topics
        .insert("orders".into(), vec![range(0, 0, 10), range(1, 5, 8)]);
    f.new_source_topics.insert(
        "mm2-offset-syncs.east.internal".into(),
        vec![range(0, 0, 3)],
    );
    f.new_source_topics
        .insert("other".into(), vec![range(0, 0, 3)]);
    f.new_target_ends
        .insert("west.orders".into(), [(0, 4)].into_iter().collect());
    let p = plan_reverse(&t, "e2w", m, &f);
    assert_eq!(p.reverse_name, "e2w-reversed");
    let starts: Vec<(&str, i32, i64)> = p
        .starts
        .iter()
        .map(|s| (s.topic.as_str(), s.partition, s.next_offset))
        .collect();
    assert_eq!(starts, vec![("orders", 0, 4), ("orders", 1, 5)]);
    assert!(p
        .skipped_topics
        .iter()
        .any(|(t, why)| t == "east.orders" && why.contains("never mirrored back")));
    assert!(p.skipped_topics.iter().any(|(t, _)| t == "other"));
}

#[test]
fn identity_policy_starts_after_what_came_from_the_old_source() {
    let t = topology("identity");
    let m = &t.mirrors["e2w"];
    assert!(reversed(&t, m).topics.exclude.is_empty());
    let mut f = ReverseFacts::default();
    f.new_source_topics.insert(
        "orders".into(),
        vec![range(0, 0, 130), range(1, 0, 50), range(2, 0, 7)],
    );
    f.old_last_copied.insert(("orders".into(), 0), 104);
    f.old_syncs.insert(("orders".into(), 0), (100, 100));
    f.old_syncs.insert(("orders".into(), 1), (40, 40));
    let p = plan_reverse(&t, "e2w", m, &f);
    let starts: Vec<i64> = p.starts.iter().map(|s| s.next_offset).collect();
    assert_eq!(starts, vec![105, 41, 0]);
    assert!(p.notes[0].contains("must stay stopped"));
}

#[test]
fn a_declared_reverse_mirror_is_used() {
    let mut t = topology("default");
    let mut back = reversed(&t, &t.mirrors["e2w"]);
    back.topics.include = vec!["orders".into()];
    t.mirrors.insert("w2e".into(), back);
    let mut f = ReverseFacts::default();
    f.new_source_topics
        .insert("orders2".into(), vec![range(0, 0, 1)]);
    let p = plan_reverse(&t, "e2w", &t.mirrors["e2w"], &f);
    assert_eq!(p.reverse_name, "w2e");
    assert!(p.starts.is_empty(), "orders2 is outside w2e's filter");
}
