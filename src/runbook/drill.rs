//! `drill --lab`: failover then failback on the embedded lab, measured. The lab's DC is
//! really taken down (mock brokers off the network, or real brokers killed); the
//! runbooks run exactly as `failover --execute` / `failback --execute` would; the
//! groups' consumers then resume on the survivor, and the records they read are
//! compared with what they had processed before the outage.

mod judge;
mod measure;
mod phase;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::execute::{RunEnv, RunReport};
use super::plan::{plan, GroupMove, RunPlan, RunRequest, Runbook, StepKind};
use super::report::{Check, DrillReport, GroupResult, PhaseReport, StepTiming};
use super::session::{create_run, run_locked, topology_state_dir};
use crate::clock::{fmt_ms, now_ms};
use crate::kafka::{GroupOffsetsQuery, PropertyOverride, TopicPartition};
use crate::lab::Lab;
use crate::mirror::observe::{GoneClusters, Reach};
use crate::mirror::DriverOptions;
use crate::offsets::executor::{batch_options, read_committed};
use crate::offsets::Tp;
use crate::topology::{filter, ClusterRole, HookEvent, OffsetStrategy, Pattern, Topology};
use judge::judge;
use measure::{never_mirrored, resume, snapshot_topics, source_view, PartitionLog, SourceView};
use phase::{phase_of_run, Phase};

/// Consumers resuming at once in the drill's check (each a librdkafka client).
const RESUME_PARALLEL: usize = 64;

pub struct DrillOptions<'a> {
    pub lost_dc: Option<String>,
    pub planned: bool,
    pub state_dir: PathBuf,
    pub wait: Duration,
    pub overrides: &'a [PropertyOverride],
    pub timeout: Duration,
    pub interrupted: &'a AtomicBool,
    pub say: &'a (dyn Fn(u8, &str) + Sync),
    /// One line per drill step as it starts (for progress).
    pub progress: &'a (dyn Fn(&str) + Sync),
}

/// The DC a drill loses when none is named: where the pattern fails over from.
pub fn default_lost_dc(t: &Topology) -> Option<String> {
    let dc_of = |role: ClusterRole| {
        t.clusters
            .values()
            .find(|c| c.role == Some(role))
            .and_then(|c| c.dcs().first().map(|d| d.to_string()))
    };
    match t.pattern {
        Pattern::ActivePassive => dc_of(ClusterRole::Primary),
        Pattern::ActiveActive => t
            .consumer_groups
            .iter()
            .find(|g| g.reads == Some(crate::topology::Reads::Aggregate))
            .and_then(|g| g.active_in.first().cloned())
            .or_else(|| dc_of(ClusterRole::Aggregate)),
        Pattern::Stretched => t.datacenters.keys().next().cloned(),
    }
}

/// A lab group the drill follows: where it is, where it goes, what it reads there.
struct Spec {
    group: String,
    from: String,
    to: String,
    topics: Vec<String>,
    strategy: String,
}

/// Every partition's records on each cluster read, by cluster.
type Logs = BTreeMap<String, PartitionLog>;

/// One measured group: where it was, where it goes, and what it had processed.
struct Tracked {
    group: String,
    from: String,
    to: String,
    strategy: String,
    topics_from: Vec<String>,
    before: SourceView,
}

/// The lab's group ids on `cluster` that `moves` cover (by id or pattern).
fn lab_groups(
    lab: &dyn Lab,
    cluster: &str,
    moves: &[GroupMove],
) -> Vec<(String, Vec<String>, String)> {
    let Some(c) = lab.plan().cluster(cluster) else {
        return Vec::new();
    };
    c.groups
        .iter()
        .filter_map(|g| {
            let m = moves.iter().find(|m| {
                if m.pattern {
                    filter::compile(&m.group).is_ok_and(|re| re.is_match(&g.id))
                } else {
                    m.group == g.id
                }
            })?;
            Some((g.id.clone(), g.topics.clone(), m.strategy.clone()))
        })
        .collect()
}

fn moves_of(p: &RunPlan) -> Vec<GroupMove> {
    p.steps
        .iter()
        .flat_map(|s| match &s.kind {
            StepKind::MoveGroups { moves, .. } => moves.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// Groups a stretched failover keeps in place.
fn kept_groups(p: &RunPlan) -> Option<(String, Vec<String>)> {
    p.steps.iter().find_map(|s| match &s.kind {
        StepKind::KeepGroups { cluster, groups } => Some((cluster.clone(), groups.clone())),
        _ => None,
    })
}

pub fn run_drill(lab: &(dyn Lab + Sync), o: &DrillOptions<'_>) -> anyhow::Result<DrillReport> {
    let started_at = now_ms();
    let t0 = Instant::now();
    let t = lab.topology();
    let lost = match &o.lost_dc {
        Some(d) => d.clone(),
        None => default_lost_dc(t).context("cannot tell which DC to lose: name it with --lost")?,
    };
    let lab_ids: Vec<String> = lab
        .plan()
        .clusters
        .iter()
        .flat_map(|c| c.groups.iter().map(|g| g.id.clone()))
        .collect();
    let reach = Reach {
        overrides: o.overrides,
        timeout: o.timeout,
        gone: None,
    };
    let state = o.state_dir.clone();
    crate::fsutil::create_private_dir(&state).with_context(|| state.display().to_string())?;
    let topology_path = state.join("lab-topology.yaml");
    crate::fsutil::write_private(&topology_path, &lab.topology_yaml()?)?;
    let req = |runbook, switch| RunRequest {
        runbook,
        dc: lost.clone(),
        planned: o.planned && runbook == Runbook::Failover,
        switch,
        extra_groups: lab_ids
            .iter()
            .filter(|id| {
                t.consumer_groups
                    .iter()
                    .all(|g| g.name.as_ref() != Some(*id))
            })
            .cloned()
            .collect(),
    };
    let fo_plan = plan(t, &req(Runbook::Failover, false), now_ms())
        .map_err(|e| anyhow::anyhow!("--lost {lost}: {e}"))?;
    let moves = moves_of(&fo_plan);
    let lost_clusters: Vec<String> = t
        .clusters
        .iter()
        .filter(|(_, c)| c.dcs().contains(&lost.as_str()))
        .map(|(n, _)| n.clone())
        .collect();
    let survivors_dc_only: Vec<String> = lost_clusters
        .iter()
        .filter(|c| t.clusters[*c].dcs().len() == 1)
        .cloned()
        .collect();

    // The groups to measure and the clusters they leave.
    let mut tracked_spec: Vec<Spec> = Vec::new();
    let mut from_to: Vec<(String, String)> = moves
        .iter()
        .map(|m| (m.from.clone(), m.to.clone()))
        .collect();
    from_to.sort();
    from_to.dedup();
    for (from, to) in &from_to {
        let ms: Vec<GroupMove> = moves
            .iter()
            .filter(|m| &m.from == from && &m.to == to)
            .cloned()
            .collect();
        for (id, topics, strategy) in lab_groups(lab, from, &ms) {
            tracked_spec.push(Spec {
                group: id,
                from: from.clone(),
                to: to.clone(),
                topics,
                strategy,
            });
        }
    }
    if let Some((cluster, _)) = kept_groups(&fo_plan) {
        if let Some(c) = lab.plan().cluster(&cluster) {
            for g in &c.groups {
                tracked_spec.push(Spec {
                    group: g.id.clone(),
                    from: cluster.clone(),
                    to: cluster.clone(),
                    topics: g.topics.clone(),
                    strategy: "kept".into(),
                });
            }
        }
    }

    let mut outage = Phase::new("outage");
    // Translated groups need a checkpoint to translate from: let the mirror make one.
    let translated: Vec<&Spec> = tracked_spec
        .iter()
        .filter(|s| s.strategy == OffsetStrategy::Translated.as_str())
        .collect();
    if !translated.is_empty() {
        outage.step(
            o,
            "wait-checkpoints",
            "wait until the mirror has checkpointed the translated groups",
            || {
                let deadline = Instant::now() + o.wait.min(Duration::from_secs(60));
                loop {
                    let mut missing = Vec::new();
                    for s in &translated {
                        let Some(m) = t
                            .mirrors
                            .values()
                            .find(|m| m.source == s.from && m.target == s.to)
                        else {
                            continue;
                        };
                        let (settings, _) = reach.admin(t, &s.to).map_err(anyhow::Error::msg)?;
                        let topic =
                            crate::offsets::mm2_records::checkpoints_topic(m.source_alias());
                        let recs = crate::kafka::read_topic_to_end(&settings, &topic, o.timeout)
                            .unwrap_or_default();
                        let idx = crate::offsets::translate::CheckpointIndex::from_records(&recs);
                        if !idx.latest.contains_key(&s.group) {
                            missing.push(s.group.clone());
                        }
                    }
                    if missing.is_empty() {
                        return Ok(((), format!("{} group(s) checkpointed", translated.len())));
                    }
                    if Instant::now() > deadline {
                        anyhow::bail!("no checkpoint yet for {}", missing.join(", "));
                    }
                    std::thread::sleep(Duration::from_millis(300));
                }
            },
        )?;
    }
    // What the lost side holds, read while it still answers.
    let mirrored_out: Vec<(String, String, Vec<String>)> = t
        .mirrors
        .values()
        .filter(|m| lost_clusters.contains(&m.source) && !lost_clusters.contains(&m.target))
        .filter_map(|m| {
            let lm = lab
                .plan()
                .mirrors
                .iter()
                .find(|x| x.source == m.source && x.target == m.target)?;
            Some((
                m.source.clone(),
                m.target.clone(),
                lm.topics.iter().map(|(s, _)| s.clone()).collect(),
            ))
        })
        .collect();
    let snapshot = |o: &DrillOptions<'_>| -> anyhow::Result<(Vec<Tracked>, Logs)> {
        let mut tracked = Vec::new();
        let mut logs: Logs = BTreeMap::new();
        let mut by_from: BTreeMap<String, Vec<&Spec>> = BTreeMap::new();
        for s in &tracked_spec {
            by_from.entry(s.from.clone()).or_default().push(s);
        }
        for (from, specs) in by_from {
            let (settings, admin) = reach.admin(t, &from).map_err(anyhow::Error::msg)?;
            let mut topics: Vec<String> = specs.iter().flat_map(|s| s.topics.clone()).collect();
            topics.sort();
            topics.dedup();
            let records = snapshot_topics(&settings, &topics, o.timeout)?;
            // Named partitions: some brokers (librdkafka's mock) list nothing for "all".
            let described = admin.describe_topics(&topics, o.timeout)?;
            let queries: Vec<GroupOffsetsQuery> = specs
                .iter()
                .map(|s| {
                    let parts = described
                        .iter()
                        .filter(|d| s.topics.contains(&d.name))
                        .flat_map(|d| {
                            d.partitions
                                .iter()
                                .map(|p| TopicPartition::new(&d.name, p.partition))
                        })
                        .collect();
                    GroupOffsetsQuery::partitions(s.group.clone(), parts)
                })
                .collect();
            let committed = read_committed(&admin, &queries, &batch_options(o.timeout))?;
            for s in specs {
                let c = committed.get(&s.group).cloned().unwrap_or_default();
                tracked.push(Tracked {
                    group: s.group.clone(),
                    from: s.from.clone(),
                    to: s.to.clone(),
                    strategy: s.strategy.clone(),
                    topics_from: s.topics.clone(),
                    before: source_view(&records, &c, &s.topics),
                });
            }
            logs.insert(from, records);
        }
        for (src, _, topics) in &mirrored_out {
            if !logs.contains_key(src) {
                let (settings, _) = reach.admin(t, src).map_err(anyhow::Error::msg)?;
                logs.insert(src.clone(), snapshot_topics(&settings, topics, o.timeout)?);
            }
        }
        Ok((tracked, logs))
    };

    let mut before = None;
    if !o.planned {
        outage.step(
            o,
            "stop-producers",
            &format!("the producers of {lost} die with it"),
            || {
                for c in &lost_clusters {
                    lab.pause_traffic(c)?;
                }
                Ok((
                    (),
                    format!("traffic to {} stopped", lost_clusters.join(", ")),
                ))
            },
        )?;
        before = Some(outage.step(
            o,
            "snapshot",
            "record what the lost side holds and what each group processed",
            || {
                let s = snapshot(o)?;
                let n: usize =
                    s.1.values()
                        .map(|m: &PartitionLog| m.values().map(Vec::len).sum::<usize>())
                        .sum();
                Ok((
                    s,
                    format!(
                        "{n} record(s) on the lost side, {} group(s)",
                        tracked_spec.len()
                    ),
                ))
            },
        )?);
        outage.step(o, "kill-dc", &format!("take {lost} down"), || {
            let n = lab.dc_down(&lost)?;
            Ok(((), format!("{n} broker(s) down ({} engine)", lab.engine())))
        })?;
    }
    let outage = outage.done();

    // The failover, as `failover --execute --yes` runs it.
    // Which side the groups are on: the failover moves them from `from` to `to`.
    let moved = std::sync::atomic::AtomicBool::new(false);
    let planned_before = std::sync::Mutex::new(None);
    let inline = |event: HookEvent| -> anyhow::Result<Option<String>> {
        match event {
            HookEvent::StopProducers => {
                // Planned switchover / switch back: producers stop, and the lab's
                // consumers, still running, read everything before they are stopped.
                let clusters: Vec<String> =
                    lab.plan().clusters.iter().map(|c| c.name.clone()).collect();
                for c in &clusters {
                    lab.pause_traffic(c)?;
                }
                let on_to = moved.load(std::sync::atomic::Ordering::SeqCst);
                let n = drain_groups(lab, &reach, &tracked_spec, on_to, o)?;
                if !on_to {
                    // The switchover's moment: what each group has processed.
                    *planned_before.lock().unwrap_or_else(|e| e.into_inner()) = Some(snapshot(o)?);
                }
                Ok(Some(format!(
                    "lab producers stopped; {n} lab consumer(s) drained"
                )))
            }
            HookEvent::StartProducers => {
                if !moved.load(std::sync::atomic::Ordering::SeqCst) {
                    // The lab's producers write to the home clusters only; after a
                    // failover they stay stopped until the failback.
                    return Ok(Some(
                        "lab producers stay stopped (they only write to the home clusters)".into(),
                    ));
                }
                for c in lab.plan().clusters.iter().map(|c| c.name.clone()) {
                    lab.resume_traffic(&c)?;
                }
                Ok(Some("lab producers started".into()))
            }
            _ => Ok(None),
        }
    };
    let run = |p: &RunPlan| -> anyhow::Result<RunReport> {
        let (run_id, run_dir, mut journal) = create_run(&state, p, &topology_path)?;
        let hook_out = |line: &str| (o.say)(1, line);
        // Per run: the failback must ask again about the DC the failover found gone.
        let gone = GoneClusters::default();
        let env = RunEnv {
            topology: t,
            topology_path: topology_path.clone(),
            reach: Reach {
                overrides: o.overrides,
                timeout: o.timeout,
                gone: Some(&gone),
            },
            driver: DriverOptions::default(),
            run_dir,
            state_dir: topology_state_dir(&state, &t.name),
            wait: o.wait,
            run_id,
            interrupted: o.interrupted,
            say: o.say,
            hook_output: &hook_out,
            inline_hooks: Some(&inline),
        };
        let name = p.request.runbook.as_str();
        run_locked(p, &env, &mut journal, &|_, s| {
            (o.progress)(&format!("{name}: {}", s.title))
        })
    };
    let fo = run(&fo_plan);
    moved.store(true, std::sync::atomic::Ordering::SeqCst);
    let fo = fo?;
    // The report, whichever way the drill ends (the RTO is the failover's time).
    let finish = |phases: Vec<PhaseReport>,
                  groups: Vec<GroupResult>,
                  (records_lost, records_duplicated): (u64, u64),
                  checks: Vec<Check>| DrillReport {
        topology: t.name.clone(),
        pattern: t.pattern.as_str().into(),
        engine: lab.engine().into(),
        lost_dc: lost.clone(),
        planned: o.planned,
        started_at: fmt_ms(started_at),
        total_ms: t0.elapsed().as_millis() as u64,
        rto_ms: fo.ms,
        records_lost,
        records_duplicated,
        phases,
        groups,
        passed: checks.iter().all(|c| c.passed),
        checks,
    };
    if !fo.ok {
        // Nothing to measure or fail back from: report the failover as it ended.
        if !o.planned {
            let _ = lab.dc_up(&lost);
        }
        let checks = judge(t, o.planned, &fo, None, &[], fo.ms, 0, 0, 0);
        return Ok(finish(
            vec![outage, phase_of_run("failover", &fo)],
            Vec::new(),
            (0, 0),
            checks,
        ));
    }
    if o.planned {
        before = planned_before
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }
    let (tracked, logs) = before.context("the switchover never stopped its producers")?;

    // Consumers resume on the survivor.
    let mut consumers = Phase::new("consumers");
    let move_data = fo
        .steps
        .iter()
        .find(|s| s.id == "move-groups")
        .map(|s| s.data.clone())
        .unwrap_or_default();
    // The groups' consumers resume at once (as they would), a bounded number at a time.
    (o.progress)(&format!(
        "consumers: {} group(s) resume on the survivors",
        tracked.len()
    ));
    let resume_one = |tr: &Tracked| -> (u64, anyhow::Result<measure::ResumeOutcome>) {
        let started = Instant::now();
        let r = (|| {
            let (settings, admin) = reach.admin(t, &tr.to).map_err(anyhow::Error::msg)?;
            let (partitions, expected) = partitions_after(&move_data, tr, &admin, o.timeout)?;
            let (out, _) = resume(
                t,
                &settings,
                &admin,
                &tr.group,
                &tr.from,
                &tr.to,
                &partitions,
                &expected,
                &tr.before,
                o.timeout,
            )?;
            Ok(out)
        })();
        (started.elapsed().as_millis() as u64, r)
    };
    let mut results: Vec<(u64, anyhow::Result<measure::ResumeOutcome>)> = Vec::new();
    for chunk in tracked.chunks(RESUME_PARALLEL) {
        let got: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = chunk.iter().map(|tr| s.spawn(|| resume_one(tr))).collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| (0, Err(anyhow::anyhow!("reader panicked"))))
                })
                .collect()
        });
        results.extend(got);
    }
    let mut groups: Vec<GroupResult> = Vec::new();
    for (tr, (ms, r)) in tracked.iter().zip(results) {
        consumers.steps.push(StepTiming {
            id: format!("resume-{}", tr.group),
            title: format!("`{}` resumes on `{}`", tr.group, tr.to),
            status: if r.is_ok() { "done" } else { "failed" }.into(),
            ms,
            detail: match &r {
                Ok(out) => format!(
                    "read {}, {} again, {} lost",
                    out.read, out.duplicates, out.lost
                ),
                Err(e) => format!("{e:#}"),
            },
        });
        groups.push(match r {
            Ok(out) => GroupResult {
                group: tr.group.clone(),
                from_cluster: tr.from.clone(),
                to_cluster: tr.to.clone(),
                strategy: tr.strategy.clone(),
                read_after: out.read,
                duplicates: out.duplicates,
                lost: out.lost,
                ended_as_expected: out.as_expected,
                detail: out.detail,
            },
            Err(e) => GroupResult {
                group: tr.group.clone(),
                from_cluster: tr.from.clone(),
                to_cluster: tr.to.clone(),
                strategy: tr.strategy.clone(),
                read_after: 0,
                duplicates: 0,
                lost: 0,
                ended_as_expected: false,
                detail: format!("{e:#}"),
            },
        });
    }
    // Records the lost side held that never reached the survivor.
    let records_lost = consumers.step(
        o,
        "records-lost",
        "compare what the lost side held with what reached the survivors",
        || {
            let mut records_lost = 0;
            for (src, dst, topics) in &mirrored_out {
                let Some(src_log) = logs.get(src) else {
                    continue;
                };
                let m = t
                    .mirrors
                    .values()
                    .find(|m| &m.source == src && &m.target == dst)
                    .expect("listed above");
                let remote: Vec<String> = topics.iter().map(|x| m.remote_topic(x)).collect();
                let (settings, _) = reach.admin(t, dst).map_err(anyhow::Error::msg)?;
                let target = snapshot_topics(&settings, &remote, o.timeout)?;
                let src_only: PartitionLog = src_log
                    .iter()
                    .filter(|((tp, _), _)| topics.contains(tp))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                records_lost += never_mirrored(t, src, dst, &src_only, &target);
            }
            if t.pattern == Pattern::Stretched {
                // One cluster: the records are lost only if the survivors cannot serve them.
                for (cluster, log) in &logs {
                    let (settings, _) = reach.admin(t, cluster).map_err(anyhow::Error::msg)?;
                    let topics: Vec<String> = log
                        .keys()
                        .map(|(tp, _)| tp.clone())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let now = snapshot_topics(&settings, &topics, o.timeout)?;
                    records_lost += never_mirrored(t, cluster, cluster, log, &now);
                }
            }
            Ok((
                records_lost,
                format!("{records_lost} record(s) never reached a survivor"),
            ))
        },
    )?;
    let consumers = consumers.done();

    // The DC returns; fail back.
    let mut recovery = Phase::new("recovery");
    if !o.planned {
        recovery.step(o, "dc-up", &format!("bring {lost} back"), || {
            let n = lab.dc_up(&lost)?;
            Ok(((), format!("{n} broker(s) up")))
        })?;
    }
    let recovery = recovery.done();
    let fb_plan = plan(t, &req(Runbook::Failback, true), now_ms())
        .map_err(|e| anyhow::anyhow!("failback to {lost}: {e}"))?;
    let fb = run(&fb_plan)?;
    for c in &survivors_dc_only {
        let _ = lab.resume_traffic(c);
    }
    let rto_ms = fo.ms;
    let dup: u64 = groups.iter().map(|g| g.duplicates).sum();
    let group_lost: u64 = groups.iter().map(|g| g.lost).sum();
    let checks = judge(
        t,
        o.planned,
        &fo,
        Some(&fb),
        &groups,
        rto_ms,
        dup,
        records_lost,
        group_lost,
    );
    Ok(finish(
        vec![
            outage,
            phase_of_run("failover", &fo),
            consumers,
            recovery,
            phase_of_run("failback", &fb),
        ],
        groups,
        (records_lost, dup),
        checks,
    ))
}

/// The lab's consumers read everything on the cluster each group is on (`from`, or
/// `to` once moved) and commit it; returns how many groups read.
fn drain_groups(
    lab: &dyn Lab,
    reach: &Reach<'_>,
    specs: &[Spec],
    on_to: bool,
    o: &DrillOptions<'_>,
) -> anyhow::Result<usize> {
    let t = lab.topology();
    for s in specs {
        let cluster = if on_to { &s.to } else { &s.from };
        let (settings, admin) = reach.admin(t, cluster).map_err(anyhow::Error::msg)?;
        let sel = crate::offsets::topology_groups::selected(
            &admin,
            t,
            cluster,
            vec![s.group.clone()],
            o.timeout,
        )?;
        let topics: Vec<String> = match sel.first().map(|x| &x.default_scope) {
            Some(crate::offsets::executor::Scope::Topics { topics, .. }) => topics.clone(),
            _ if !on_to => s.topics.clone(),
            _ => continue,
        };
        let described = admin.describe_topics(&topics, o.timeout)?;
        let tps: Vec<Tp> = described
            .iter()
            .flat_map(|d| d.partitions.iter().map(|p| (d.name.clone(), p.partition)))
            .collect();
        let ends = crate::offsets::executor::bounds(&admin, &tps, o.timeout)?;
        let until: BTreeMap<Tp, i64> = ends.iter().map(|(tp, b)| (tp.clone(), b.log_end)).collect();
        crate::kafka::read_as_group(&settings, &s.group, &tps, &until, o.timeout)
            .with_context(|| format!("lab consumer of `{}` on `{cluster}`", s.group))?;
    }
    Ok(specs.len())
}

/// The partitions a moved group reads on `to` and where the runbook set each.
fn partitions_after(
    move_data: &serde_json::Value,
    tr: &Tracked,
    admin: &crate::kafka::AdminClient,
    timeout: Duration,
) -> anyhow::Result<(Vec<Tp>, BTreeMap<Tp, i64>)> {
    let mut parts = Vec::new();
    let mut expected = BTreeMap::new();
    if let Some(g) = move_data.as_array().and_then(|a| {
        a.iter()
            .find(|g| g["group"] == tr.group.as_str() && g["to"] == tr.to.as_str())
    }) {
        for p in g["partitions"].as_array().into_iter().flatten() {
            let tp = (
                p["topic"].as_str().unwrap_or_default().to_string(),
                p["partition"].as_i64().unwrap_or(0) as i32,
            );
            if let Some(after) = p["after"].as_i64() {
                expected.insert(tp.clone(), after);
            }
            parts.push(tp);
        }
        return Ok((parts, expected));
    }
    // Kept in place (stretched): every partition of its topics.
    let described = admin.describe_topics(&tr.topics_from, timeout)?;
    for d in described {
        for p in d.partitions {
            parts.push((d.name.clone(), p.partition));
        }
    }
    for (tp, off) in &tr.before.committed {
        if let Some(o) = off {
            expected.insert(tp.clone(), *o);
        }
    }
    Ok((parts, expected))
}
