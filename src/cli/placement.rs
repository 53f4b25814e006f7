//! `placement check` and `placement propose`: snapshot each cluster, run the pure checker
//! or proposer, print. Nothing here changes a cluster.

use anyhow::Context;
use regex::Regex;

use super::args::{ConnectArgs, PlacementCheckArgs, PlacementCommand, PlacementProposeArgs};
use super::output::Printer;
use super::{load_topology, select_clusters};
use crate::exit::{ExitCode, Failure};
use crate::kafka::ClusterSnapshot;
use crate::placement::{check, propose, recheck, PlacementInput, PlacementReport, Proposal};
use crate::topology::{filter, Topology};

pub fn run(c: PlacementCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        PlacementCommand::Check(a) => run_check(&a, p),
        PlacementCommand::Propose(a) => run_propose(&a, p),
    }
}

fn topic_regexes(patterns: &[String]) -> anyhow::Result<Vec<Regex>> {
    patterns
        .iter()
        .map(|pat| {
            filter::compile(pat).map_err(|e| {
                Failure::Usage(format!(
                    "--topic {pat:?} is not a valid regular expression: {e}"
                ))
                .into()
            })
        })
        .collect()
}

/// Snapshot of one cluster, as the checker's input.
fn input_for(
    t: &Topology,
    name: &str,
    topics: &[Regex],
    connect: &ConnectArgs,
    p: &Printer,
) -> anyhow::Result<PlacementInput> {
    let (_, admin) = super::admin_for(t, name, connect)?;
    let snap = ClusterSnapshot::take(&admin, connect.timeout)
        .with_context(|| format!("cannot read cluster `{name}`"))?;
    p.debug(
        1,
        &format!(
            "cluster `{name}`: snapshot of {} topics in {} ms",
            snap.topics.len(),
            snap.took_ms
        ),
    );
    if let Some(e) = &snap.min_isr_error {
        p.note(&format!(
            "cluster `{name}`: topic configs unavailable ({e}); using min.insync.replicas from the topology"
        ));
    }
    Ok(PlacementInput::from_snapshot(t, name, &snap, topics))
}

fn run_check(a: &PlacementCheckArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    for dc in &a.lose {
        if !t.datacenters.contains_key(dc) {
            let known: Vec<&str> = t.datacenters.keys().map(String::as_str).collect();
            return Err(Failure::Usage(format!(
                "--lose {dc}: no such datacenter in the topology; datacenters: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    let names = select_clusters(t, &a.clusters)?;
    let topics = topic_regexes(&a.topics)?;
    let reports: Vec<PlacementReport> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|n| {
                s.spawn(|| input_for(t, n, &topics, &a.connect, p).map(|i| check(&i, &a.lose)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("placement thread panicked"))
            .collect::<anyhow::Result<_>>()
    })?;
    if p.is_table() {
        let text: Vec<String> = reports.iter().map(|r| render_check(r, p)).collect();
        p.data(&text.join("\n"))?;
    } else {
        p.structured(&reports)?;
    }
    Ok(if reports.iter().all(PlacementReport::ok) {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}

/// One line that says it all, first.
fn summary_line(r: &PlacementReport) -> String {
    let tt = &r.totals;
    let mut s = format!(
        "{}: {} partitions in {} topics; {} violate the placement requirements",
        r.cluster,
        tt.partitions,
        r.topics.len(),
        tt.violating
    );
    if !r.lost.is_empty() {
        s.push_str(&format!(
            "; if {} is lost: {} offline, {} under min ISR, {} lose their leader",
            r.lost.join(" and "),
            tt.offline_if_lost,
            tt.under_min_isr_if_lost,
            tt.leader_lost_if_lost
        ));
    }
    s
}

fn render_check(r: &PlacementReport, p: &Printer) -> String {
    let mut out = summary_line(r) + "\n";
    for f in &r.cluster_findings {
        out.push_str(&format!("{}: {}\n", r.cluster, f.describe()));
    }
    if r.topics.is_empty() {
        return out;
    }
    let lost = !r.lost.is_empty();
    let mut header = vec!["TOPIC", "PARTITIONS", "VIOLATING"];
    if lost {
        header.extend(["OFFLINE IF LOST", "UNDER MIN ISR IF LOST", "LEADER LOST"]);
    }
    let mut t = p.table(&header);
    for s in &r.topics {
        let mut row = vec![
            s.topic.clone(),
            s.partitions.to_string(),
            s.violating.to_string(),
        ];
        if lost {
            row.extend([
                s.offline_if_lost.to_string(),
                s.under_min_isr_if_lost.to_string(),
                s.leader_lost_if_lost.to_string(),
            ]);
        }
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    let bad: Vec<_> = r.violating().collect();
    if !bad.is_empty() {
        let mut d = p.table(&[
            "TOPIC",
            "PARTITION",
            "REPLICAS (broker@dc)",
            "LEADER",
            "PROBLEMS",
        ]);
        for pp in bad {
            let mut problems: Vec<String> = pp.violations.iter().map(|v| v.describe()).collect();
            if let Some(l) = &pp.if_lost {
                if l.offline {
                    problems.push("offline if lost".into());
                } else if l.under_min_isr {
                    problems.push(format!(
                        "under min ISR if lost (leader candidates {:?})",
                        l.leader_candidates
                    ));
                }
            }
            d.add_row(vec![
                pp.topic.clone(),
                pp.partition.to_string(),
                pp.replicas_text(),
                match (&pp.leader, &pp.leader_dc) {
                    (Some(l), Some(dc)) => format!("{l}@{dc}"),
                    (Some(l), None) => l.to_string(),
                    _ => "none".into(),
                },
                problems.join("; "),
            ]);
        }
        out.push_str(&format!("{d}\n"));
    }
    out
}

fn run_propose(a: &PlacementProposeArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    let name = match &a.cluster {
        Some(c) => select_clusters(t, std::slice::from_ref(c))?.remove(0),
        None if t.clusters.len() == 1 => t.clusters.keys().next().unwrap().clone(),
        None => {
            return Err(Failure::Usage(format!(
                "the topology has {} clusters: name one with --cluster",
                t.clusters.len()
            ))
            .into())
        }
    };
    let topics = topic_regexes(&a.topics)?;
    let input = input_for(t, &name, &topics, &a.connect, p)?;
    let proposal = propose(&input);
    let after = recheck(&input, &proposal);
    let json = serde_json::to_string_pretty(&proposal.reassignment_json())? + "\n";
    std::fs::write(&a.out, json).with_context(|| format!("writing {}", a.out.display()))?;
    if p.is_table() {
        p.data(&render_proposal(&proposal, &after, &a.out, p))?;
    } else {
        p.structured(&serde_json::json!({
            "proposal": proposal,
            "out": a.out.display().to_string(),
            "after": { "ok": after.ok(), "totals": after.totals, "cluster_findings": after.cluster_findings },
        }))?;
    }
    Ok(if after.ok() {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}

fn render_proposal(
    pr: &Proposal,
    after: &PlacementReport,
    out: &std::path::Path,
    p: &Printer,
) -> String {
    let mut s = format!(
        "{}: {} replica(s) to copy in {} partition(s), {} preferred leader(s) reordered, {} partition(s) cannot be fixed; written to {}\n",
        pr.cluster,
        pr.replicas_moved,
        pr.moves.iter().filter(|m| !m.added.is_empty() || !m.removed.is_empty()).count(),
        pr.leaders_reordered,
        pr.unfixable.len(),
        out.display()
    );
    if !pr.moves.is_empty() {
        let mut t = p.table(&["TOPIC", "PARTITION", "FROM", "TO", "ADDED", "WHY"]);
        for m in &pr.moves {
            t.add_row(vec![
                m.topic.clone(),
                m.partition.to_string(),
                format!("{:?}", m.from),
                format!("{:?}", m.to),
                format!("{:?}", m.added),
                m.reasons.join("; "),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    for u in &pr.unfixable {
        s.push_str(&format!(
            "cannot fix {}[{}]: {}\n",
            u.topic, u.partition, u.reason
        ));
    }
    s.push_str(&format!(
        "after the reassignment: {}\n",
        summary_line(after)
    ));
    for f in &after.cluster_findings {
        s.push_str(&format!("after the reassignment: {}\n", f.describe()));
    }
    s.push_str(&format!(
        "apply with: kafka-reassign-partitions.sh --bootstrap-server … --reassignment-json-file {0} --execute\n         then, once `--verify` says it is completed: kafka-leader-election.sh --bootstrap-server … --election-type PREFERRED --path-to-json-file {0}\n",
        out.display()
    ));
    s
}
