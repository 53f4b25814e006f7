//! `offsets reset --to-earliest` of many groups, the way the CLI composes it
//! (`executor::gather` -> `plan` -> `Journal::create` -> `apply::apply`), timed end to end.
//! Not a timed test: a plain `main` that prints every figure and judges the targets of
//! issue 6 ("Benchmark"); it fails only when the offsets read back are not the targets.
//!
//! 1. librdkafka's mock cluster (3 brokers, 4 topics x 16 = 64 partitions with records),
//!    1,000 groups with committed offsets on all 64 partitions: one batched reset with no
//!    latency and one with 50 ms RTT on every broker (targets <= 3 s and <= 5 s), and a
//!    baseline at 50 ms that resets the groups one at a time (gather + plan + journal +
//!    apply per group; N groups measured, extrapolated to all): batched >= 20x faster.
//! 2. Real Apache Kafka (a KRaft cluster from `lab::kafka_engine`, jars from
//!    `scripts/fetch-kafka` or `KAFKA_LIBS`): 200 groups reset by us (batched, and one at
//!    a time) and by Kafka's own `kafka-consumer-groups --reset-offsets --to-earliest
//!    --execute` (one JVM per group, N measured and extrapolated; and one
//!    `--all-groups --all-topics` run). Every run is checked by reading the offsets back.
//!
//! Run: `scripts/bench-offsets` or `cargo bench --bench offsets_reset`. Knobs (env):
//! `OFFSETS_BENCH_GROUPS` (1000), `OFFSETS_BENCH_RUNS` (3 batched runs per case, median
//! shown), `OFFSETS_BENCH_BASELINE_GROUPS` (50), `OFFSETS_BENCH_RTT_MS` (50),
//! `OFFSETS_BENCH_REAL_GROUPS` (200), `OFFSETS_BENCH_TOOL_GROUPS` (20 JVM calls),
//! `OFFSETS_BENCH_REAL_NODES` (1 or 3), `OFFSETS_BENCH_SKIP_REAL=1` (mock only),
//! `OFFSETS_BENCH_SKIP_MOCK=1` (real Kafka only).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use kafka_failover::kafka::{
    AdminClient, BatchOptions, ClientSettings, GroupOffsetsQuery, GroupOffsetsUpdate, MockKafka,
    NewTopicSpec, RecordProducer, TopicPartitionOffset,
};
use kafka_failover::lab::kafka_engine::{
    locate_kafka_libs, ClusterSpec, EngineOptions, KraftCluster, CONSUMER_GROUP_COMMAND,
};
use kafka_failover::offsets::apply::{self, ApplyOptions};
use kafka_failover::offsets::executor::{self, GroupTarget, Scope};
use kafka_failover::offsets::journal::Journal;
use kafka_failover::offsets::{plan, ResetStrategy, Tp};

/// 4 topics x 16 partitions = 64 partitions per group.
const TOPICS: usize = 4;
const PARTITIONS_PER_TOPIC: i32 = 16;
/// Records per partition: log start 0, log end 20.
const RECORDS: i64 = 20;
/// The CLI's default `--timeout`.
const TIMEOUT: Duration = Duration::from_secs(10);
/// JVM marker of the bench's Kafka nodes and tools (`pgrep -f kafka.failover.bench`).
const BENCH_MARKER: &str = "-Dkafka.failover.bench=1";

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn flag(key: &str) -> bool {
    std::env::var_os(key).is_some_and(|v| !v.is_empty())
}

fn topics() -> Vec<String> {
    (0..TOPICS).map(|t| format!("bench-t{t}")).collect()
}

fn partitions() -> Vec<Tp> {
    topics()
        .into_iter()
        .flat_map(|t| (0..PARTITIONS_PER_TOPIC).map(move |p| (t.clone(), p)))
        .collect()
}

fn groups(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

/// The committed offset a group starts from on a partition: 1..RECORDS-1, never the
/// log start, so that every partition of every group has something to reset.
fn initial_offset(group_idx: usize, partition_idx: usize) -> i64 {
    1 + ((group_idx * 7 + partition_idx) as i64 % (RECORDS - 1))
}

/// One row of the figures table.
struct Figure {
    case: String,
    groups: usize,
    partitions: usize,
    seconds: f64,
    note: String,
}

struct Figures(Vec<Figure>);

impl Figures {
    fn add(&mut self, case: &str, groups: usize, seconds: f64, note: impl Into<String>) {
        let f = Figure {
            case: case.to_string(),
            groups,
            partitions: groups * partitions().len(),
            seconds,
            note: note.into(),
        };
        println!(
            "  {:<58} {:>6} groups {:>7} partitions {:>9.3} s  {}",
            f.case, f.groups, f.partitions, f.seconds, f.note
        );
        self.0.push(f);
    }

    fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| case | groups | partitions | seconds | note |\n| --- | ---: | ---: | ---: | --- |"
        );
        for f in &self.0 {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.3} | {} |",
                f.case, f.groups, f.partitions, f.seconds, f.note
            );
        }
        out
    }
}

/// CPU time of this process so far, all threads (the mock cluster's included: it runs
/// in this process), from `/proc/self/stat` (utime + stime, in 1/100 s).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (in parentheses, may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ')'.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// The 1-minute load average: the machine is shared, wall times depend on it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// Seconds a reset took, split by step.
#[derive(Debug, Clone, Copy, Default)]
struct Steps {
    /// CPU time of the whole process during the reset (client and, on the mock, the
    /// mock brokers).
    cpu: Duration,
    connect: Duration,
    gather: Duration,
    plan: Duration,
    journal: Duration,
    apply: Duration,
}

impl Steps {
    fn total(&self) -> Duration {
        self.connect + self.gather + self.plan + self.journal + self.apply
    }
    fn add(&mut self, o: &Steps) {
        self.connect += o.connect;
        self.gather += o.gather;
        self.plan += o.plan;
        self.journal += o.journal;
        self.apply += o.apply;
        self.cpu += o.cpu;
    }
    /// The steps that took time, and the CPU time.
    fn show(&self) -> String {
        let parts: Vec<String> = [
            ("connect", self.connect),
            ("gather", self.gather),
            ("plan", self.plan),
            ("journal", self.journal),
            ("apply", self.apply),
        ]
        .iter()
        .filter(|(_, d)| !d.is_zero())
        .map(|(name, d)| format!("{name} {:.3}", d.as_secs_f64()))
        .collect();
        format!("{} (CPU {:.2})", parts.join(" + "), self.cpu.as_secs_f64())
    }
}

/// The least any reset must do on the mock, without our steps around it: one
/// ListConsumerGroupOffsets and one AlterConsumerGroupOffsets per group (all 64
/// partitions), every request in flight at once. The mock keeps each partition's
/// committed offsets in a list it scans per lookup (`rd_kafka_mock_committed_offset_find`),
/// so with 1,000 groups this is mostly the mock's own CPU. Shown as gather (read) and
/// apply (write).
fn raw_passes(admin: &AdminClient, groups: &[String]) -> anyhow::Result<Steps> {
    let tps = executor::to_kafka(&partitions());
    let opts = BatchOptions::new(Duration::from_secs(120))
        .attempt_timeout(TIMEOUT)
        .max_in_flight(groups.len());
    let cpu = cpu_time();
    let t = Instant::now();
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| GroupOffsetsQuery::partitions(g.clone(), tps.clone()))
        .collect();
    let read = admin.list_group_offsets_batch(&queries, &opts);
    let gather = t.elapsed();
    let t = Instant::now();
    let updates: Vec<GroupOffsetsUpdate> = groups
        .iter()
        .map(|g| GroupOffsetsUpdate {
            group: g.clone(),
            offsets: tps
                .iter()
                .map(|tp| TopicPartitionOffset::new(&tp.topic, tp.partition, 0))
                .collect(),
        })
        .collect();
    let written = admin.alter_group_offsets_batch(&updates, &opts);
    let apply = t.elapsed();
    ensure!(
        read.values().all(Result::is_ok) && written.values().all(Result::is_ok),
        "raw passes failed"
    );
    Ok(Steps {
        cpu: cpu_time().saturating_sub(cpu),
        gather,
        apply,
        ..Steps::default()
    })
}

/// `offsets reset --to-earliest --execute --yes` of `groups` as the CLI runs it: a new
/// admin client (`connect` is `None`) or a connected one, gather, plan, a journal in
/// `dir`, apply. Fails unless every group was applied with every partition set.
fn reset(
    settings: &ClientSettings,
    connected: Option<&AdminClient>,
    groups: &[String],
    scope: &Scope,
    dir: &Path,
) -> anyhow::Result<Steps> {
    let mut steps = Steps::default();
    let cpu = cpu_time();
    let t = Instant::now();
    let fresh;
    let admin = match connected {
        Some(a) => a,
        None => {
            fresh = AdminClient::new(settings.clone())?;
            &fresh
        }
    };
    steps.connect = t.elapsed();
    let targets: Vec<GroupTarget> = groups
        .iter()
        .map(|g| GroupTarget {
            group: g.clone(),
            strategy: ResetStrategy::Earliest,
            scope: scope.clone(),
        })
        .collect();
    let t = Instant::now();
    let g = executor::gather(admin, "bench", &targets, BTreeMap::new(), TIMEOUT)?;
    steps.gather = t.elapsed();
    let t = Instant::now();
    let plan = plan(&g.snapshot, &g.requests);
    steps.plan = t.elapsed();
    let totals = plan.totals();
    ensure!(
        totals.refused_groups == 0 && totals.to_set == groups.len() * partitions().len(),
        "unexpected plan: {totals:?}"
    );
    let t = Instant::now();
    let path = dir.join(format!(
        "reset-{}-{}.journal.jsonl",
        groups[0],
        executor::now_ms()
    ));
    let mut journal = Journal::create(&path, "offsets reset", &plan, None, None)?;
    steps.journal = t.elapsed();
    let stop = AtomicBool::new(false);
    let t = Instant::now();
    let report = apply::apply(
        admin,
        &plan,
        &mut journal,
        &ApplyOptions {
            timeout: TIMEOUT,
            progress: &|_, _| {},
            interrupted: &stop,
        },
    )?;
    steps.apply = t.elapsed();
    steps.cpu = cpu_time().saturating_sub(cpu);
    if !report.all_done() {
        let failed: Vec<String> = report
            .groups
            .iter()
            .filter(|g| g.error.is_some())
            .take(3)
            .map(|g| format!("{}: {}", g.group, g.error.as_deref().unwrap_or_default()))
            .collect();
        bail!("reset not complete: {}", failed.join("; "));
    }
    Ok(steps)
}

/// Commits every group's initial offsets (on all 64 partitions) in one batch.
fn commit_initial(admin: &AdminClient, groups: &[String]) -> anyhow::Result<()> {
    let tps = partitions();
    let updates: Vec<GroupOffsetsUpdate> = groups
        .iter()
        .enumerate()
        .map(|(gi, g)| GroupOffsetsUpdate {
            group: g.clone(),
            offsets: tps
                .iter()
                .enumerate()
                .map(|(pi, (t, p))| TopicPartitionOffset::new(t, *p, initial_offset(gi, pi)))
                .collect(),
        })
        .collect();
    let opts = BatchOptions::new(Duration::from_secs(120)).attempt_timeout(TIMEOUT);
    for (g, r) in admin.alter_group_offsets_batch(&updates, &opts) {
        let offs = r.with_context(|| format!("committing group {g}"))?;
        if let Some(f) = offs.failed().next() {
            bail!("committing group {g}: {:?}", f.error);
        };
    }
    Ok(())
}

/// What a group's committed offsets should be after a step.
#[derive(Clone, Copy)]
enum Expect {
    /// Reset to the log start (0).
    Earliest,
    /// Still (or again) at `initial_offset`.
    Initial,
}

/// Reads the committed offsets of `groups[i]` back and checks each against `expect(i)`.
/// `all`: list every committed partition (real Kafka); else ask for the 64 (the mock
/// cannot list all of a group's offsets).
fn verify(
    admin: &AdminClient,
    groups: &[String],
    all: bool,
    expect: impl Fn(usize) -> Expect,
) -> anyhow::Result<()> {
    let tps = partitions();
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| {
            if all {
                GroupOffsetsQuery::all(g.clone())
            } else {
                GroupOffsetsQuery::partitions(g.clone(), executor::to_kafka(&tps))
            }
        })
        .collect();
    let opts = BatchOptions::new(Duration::from_secs(120)).attempt_timeout(TIMEOUT);
    let read = admin.list_group_offsets_batch(&queries, &opts);
    for (gi, g) in groups.iter().enumerate() {
        let offs = read[g]
            .as_ref()
            .map_err(|e| anyhow::anyhow!("reading group {g} back: {e}"))?;
        ensure!(
            offs.offsets.len() == tps.len(),
            "group {g}: {} partitions read back, expected {}",
            offs.offsets.len(),
            tps.len()
        );
        for (pi, (t, p)) in tps.iter().enumerate() {
            let want = match expect(gi) {
                Expect::Earliest => 0,
                Expect::Initial => initial_offset(gi, pi),
            };
            let got = offs.offset_of(t, *p);
            ensure!(
                got == Some(want),
                "group {g} {t}[{p}]: committed {got:?}, expected {want}"
            );
        }
    }
    Ok(())
}

/// Produces `RECORDS` records to every partition.
fn produce(settings: &ClientSettings) -> anyhow::Result<()> {
    let producer = RecordProducer::new(settings)?;
    let now = executor::now_ms();
    for (t, p) in partitions() {
        for i in 0..RECORDS {
            producer.send(
                &t,
                Some(p),
                &format!("k{i}"),
                "v",
                now - (RECORDS - i) * 1000,
            )?;
        }
    }
    producer.flush(Duration::from_secs(60))?;
    Ok(())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

/// Runs `once` (a batched reset, checked and undone) `runs` times and adds the median
/// as a figure.
fn repeated(
    figs: &mut Figures,
    label: &str,
    groups: usize,
    runs: usize,
    target: Option<f64>,
    mut once: impl FnMut() -> anyhow::Result<Steps>,
) -> anyhow::Result<f64> {
    let mut steps = Vec::new();
    for _ in 0..runs.max(1) {
        steps.push(once()?);
    }
    let secs: Vec<f64> = steps.iter().map(|s| s.total().as_secs_f64()).collect();
    let m = median(secs.clone());
    let shown: Vec<String> = secs.iter().map(|s| format!("{s:.3}")).collect();
    let mid = steps
        .iter()
        .find(|s| s.total().as_secs_f64() == m)
        .copied()
        .unwrap_or_default();
    let target = target
        .map(|t| format!("target <= {t} s: {}; ", verdict(m <= t)))
        .unwrap_or_default();
    figs.add(
        label,
        groups,
        m,
        format!(
            "read back after each run: all at log start; median of {} runs [{}], best {:.3}; {target}median run: {}; load {}",
            steps.len(),
            shown.join(", "),
            secs.iter().copied().fold(f64::INFINITY, f64::min),
            mid.show(),
            load_average()
        ),
    );
    Ok(m)
}

struct MockResults {
    no_latency: f64,
    with_rtt: f64,
    baseline_extrapolated: f64,
}

fn bench_mock(figs: &mut Figures, dir: &Path) -> anyhow::Result<MockResults> {
    let n = env_usize("OFFSETS_BENCH_GROUPS", 1000);
    let runs = env_usize("OFFSETS_BENCH_RUNS", 3).max(1);
    let baseline_n = env_usize("OFFSETS_BENCH_BASELINE_GROUPS", 50).clamp(1, n);
    let rtt = Duration::from_millis(env_usize("OFFSETS_BENCH_RTT_MS", 50) as u64);

    let mock = MockKafka::new(&[None, None, None])?;
    for t in topics() {
        mock.create_topic(&t, PARTITIONS_PER_TOPIC, 3)?;
    }
    let settings = ClientSettings::new(mock.bootstrap()).timeout(TIMEOUT);
    let t = Instant::now();
    produce(&settings)?;
    let admin = AdminClient::new(settings.clone())?;
    let log_end = executor::bounds(&admin, &partitions(), TIMEOUT)?;
    ensure!(
        log_end
            .values()
            .all(|b| b.log_start == 0 && b.log_end == RECORDS),
        "unexpected log bounds on the mock: {log_end:?}"
    );
    let gs = groups("mock-group", n);
    commit_initial(&admin, &gs)?;
    verify(&admin, &gs, false, |_| Expect::Initial)?;
    println!(
        "mock: 3 brokers, {TOPICS} topics x {PARTITIONS_PER_TOPIC} partitions, {RECORDS} records each, \
         {n} groups committed on all {} partitions (setup {:.1} s)",
        partitions().len(),
        t.elapsed().as_secs_f64()
    );
    let scope = Scope::Topics {
        topics: topics(),
        partitions: Vec::new(),
    };

    repeated(
        figs,
        "mock, floor: raw read + write pass only, no latency",
        n,
        runs,
        None,
        || {
            let s = raw_passes(&admin, &gs)?;
            verify(&admin, &gs, false, |_| Expect::Earliest)?;
            commit_initial(&admin, &gs)?;
            verify(&admin, &gs, false, |_| Expect::Initial)?;
            Ok(s)
        },
    )?;

    let mut batched = |label: &str, target: f64| -> anyhow::Result<f64> {
        repeated(figs, label, n, runs, Some(target), || {
            let s = reset(&settings, None, &gs, &scope, dir)?;
            verify(&admin, &gs, false, |_| Expect::Earliest)?;
            commit_initial(&admin, &gs)?;
            verify(&admin, &gs, false, |_| Expect::Initial)?;
            Ok(s)
        })
    };

    let no_latency = batched("mock, ours batched, no latency", 3.0)?;
    for id in mock.broker_ids() {
        mock.round_trip_time(id, rtt)?;
    }
    let rtt_ms = rtt.as_millis();
    let with_rtt = batched(&format!("mock, ours batched, {rtt_ms} ms RTT"), 5.0)?;

    // Baseline: one group at a time (one connected client, the CLI's steps per group).
    let base = &gs[..baseline_n];
    let mut total = Steps::default();
    let t = Instant::now();
    for g in base {
        let s = reset(
            &settings,
            Some(&admin),
            std::slice::from_ref(g),
            &scope,
            dir,
        )?;
        total.add(&s);
    }
    let measured = t.elapsed().as_secs_f64();
    verify(&admin, &gs, false, |i| {
        if i < baseline_n {
            Expect::Earliest
        } else {
            Expect::Initial
        }
    })?;
    let per_group = measured / baseline_n as f64;
    let extrapolated = per_group * n as f64;
    figs.add(
        &format!("mock, baseline one group at a time, {rtt_ms} ms RTT (measured)"),
        baseline_n,
        measured,
        format!(
            "{:.1} ms per group (one connected client reused, no connect per group); sum of steps: {}",
            per_group * 1000.0,
            total.show()
        ),
    );
    let speedup = extrapolated / with_rtt;
    figs.add(
        &format!("mock, baseline one group at a time, {rtt_ms} ms RTT (extrapolated)"),
        n,
        extrapolated,
        format!(
            "{baseline_n} groups measured x {n}/{baseline_n}, linear; batched is {speedup:.1}x faster; target >= 20x: {}",
            verdict(speedup >= 20.0)
        ),
    );
    for id in mock.broker_ids() {
        mock.round_trip_time(id, Duration::ZERO)?;
    }
    Ok(MockResults {
        no_latency,
        with_rtt,
        baseline_extrapolated: extrapolated,
    })
}

/// Creates the bench topics on a fresh cluster, retrying what fails transiently right
/// after the start.
fn create_topics(admin: &AdminClient) -> anyhow::Result<()> {
    let specs: Vec<NewTopicSpec> = topics()
        .into_iter()
        .map(|name| NewTopicSpec {
            name,
            partitions: PARTITIONS_PER_TOPIC,
            replication_factor: 1,
            configs: Vec::new(),
        })
        .collect();
    let mut last = None;
    for attempt in 1..=5 {
        match admin.create_topics(&specs, Duration::from_secs(30)) {
            Ok(answers) => {
                let failed: Vec<String> = answers
                    .iter()
                    .filter_map(|(t, r)| r.as_ref().err().map(|e| format!("{t}: {e}")))
                    .collect();
                if failed.is_empty() {
                    return Ok(());
                }
                // A retried CreateTopics may find topics an earlier attempt created.
                if attempt > 1 && failed.iter().all(|f| f.contains("TOPIC_ALREADY_EXISTS")) {
                    return Ok(());
                }
                last = Some(failed.join("; "));
            }
            Err(e) => last = Some(e.to_string()),
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    bail!("creating the bench topics: {}", last.unwrap_or_default())
}

/// Runs `kafka-consumer-groups` with `args` and fails unless it exits 0.
fn consumer_groups_tool(cluster: &KraftCluster, args: &[&str]) -> anyhow::Result<()> {
    cluster
        .run_tool_ok(CONSUMER_GROUP_COMMAND, args)
        .map(|_| ())
}

fn bench_real(figs: &mut Figures, dir: &Path) -> anyhow::Result<()> {
    let n = env_usize("OFFSETS_BENCH_REAL_GROUPS", 200).max(1);
    let tool_n = env_usize("OFFSETS_BENCH_TOOL_GROUPS", 20).clamp(1, n);
    let nodes = env_usize("OFFSETS_BENCH_REAL_NODES", 1);
    let runs = env_usize("OFFSETS_BENCH_RUNS", 3).max(1);
    let libs = locate_kafka_libs()
        .context("real-Kafka part (set OFFSETS_BENCH_SKIP_REAL=1 to run the mock part only)")?;
    let opts = EngineOptions::new(libs, BENCH_MARKER).with_env();
    let spec = match nodes {
        3 => ClusterSpec::new("bench", &[None, None, None]),
        _ => ClusterSpec::single("bench"),
    };
    let t = Instant::now();
    let cluster = KraftCluster::start(spec, &opts)?;
    println!(
        "real Kafka: {} KRaft node(s) at {} up in {:.1} s",
        cluster.broker_ids().len(),
        cluster.bootstrap(),
        t.elapsed().as_secs_f64()
    );
    let bootstrap = cluster.bootstrap();
    let settings = ClientSettings::new(&bootstrap).timeout(TIMEOUT);
    let admin = AdminClient::new(settings.clone())?;
    let t = Instant::now();
    create_topics(&admin)?;
    produce(&settings)?;
    let gs = groups("real-group", n);
    commit_initial(&admin, &gs)?;
    verify(&admin, &gs, true, |_| Expect::Initial)?;
    println!(
        "real Kafka: {TOPICS} topics x {PARTITIONS_PER_TOPIC} partitions, {RECORDS} records each, \
         {n} groups committed on all {} partitions (setup {:.1} s)",
        partitions().len(),
        t.elapsed().as_secs_f64()
    );
    // `--group G` without `--topic`: the partitions the group has committed offsets for.
    let scope = Scope::Committed { extra: Vec::new() };
    let restore = |what: &str| -> anyhow::Result<()> {
        commit_initial(&admin, &gs).with_context(|| format!("restoring after {what}"))?;
        verify(&admin, &gs, true, |_| Expect::Initial)
    };

    // Ours, batched: one CLI-like run for all groups (each run read back and undone).
    let ours = repeated(figs, "real Kafka, ours batched", n, runs, None, || {
        let s = reset(&settings, None, &gs, &scope, dir)?;
        verify(&admin, &gs, true, |_| Expect::Earliest)?;
        restore("ours batched")?;
        Ok(s)
    })?;

    // Ours, one group at a time (one connected client).
    let t = Instant::now();
    for g in &gs {
        reset(
            &settings,
            Some(&admin),
            std::slice::from_ref(g),
            &scope,
            dir,
        )?;
    }
    let ours_one = t.elapsed().as_secs_f64();
    verify(&admin, &gs, true, |_| Expect::Earliest)?;
    figs.add(
        "real Kafka, ours one group at a time",
        n,
        ours_one,
        "read back: all at log start",
    );
    restore("ours one at a time")?;

    // Kafka's tool, one JVM per group: `tool_n` calls measured, extrapolated to n.
    let t = Instant::now();
    for g in &gs[..tool_n] {
        consumer_groups_tool(
            &cluster,
            &[
                "--bootstrap-server",
                &bootstrap,
                "--group",
                g,
                "--reset-offsets",
                "--to-earliest",
                "--all-topics",
                "--execute",
            ],
        )?;
    }
    let measured = t.elapsed().as_secs_f64();
    verify(&admin, &gs, true, |i| {
        if i < tool_n {
            Expect::Earliest
        } else {
            Expect::Initial
        }
    })?;
    let per_call = measured / tool_n as f64;
    let tool_one = per_call * n as f64;
    figs.add(
        "real Kafka, kafka-consumer-groups --group G, 1 JVM per group (measured)",
        tool_n,
        measured,
        format!(
            "{:.2} s per call; read back: those {tool_n} at log start, the others untouched",
            per_call
        ),
    );
    figs.add(
        "real Kafka, kafka-consumer-groups --group G, 1 JVM per group (extrapolated)",
        n,
        tool_one,
        format!(
            "{tool_n} calls measured x {n}/{tool_n}, linear; ours batched is {:.0}x faster",
            tool_one / ours
        ),
    );
    restore("kafka-consumer-groups per group")?;

    // Kafka's tool, one JVM for every group.
    let t = Instant::now();
    consumer_groups_tool(
        &cluster,
        &[
            "--bootstrap-server",
            &bootstrap,
            "--all-groups",
            "--reset-offsets",
            "--to-earliest",
            "--all-topics",
            "--execute",
        ],
    )?;
    let tool_all = t.elapsed().as_secs_f64();
    verify(&admin, &gs, true, |_| Expect::Earliest)?;
    figs.add(
        "real Kafka, kafka-consumer-groups --all-groups, 1 JVM",
        n,
        tool_all,
        format!(
            "read back: all at log start; ours batched is {:.1}x faster",
            tool_all / ours
        ),
    );
    drop(admin);
    drop(cluster); // SIGKILLs the JVM, removes its directory
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench` (and a filter, if any): nothing to parse.
    let dir = tempfile::tempdir().context("journal directory")?;
    let mut figs = Figures(Vec::new());
    println!("offsets reset --to-earliest benchmark (gather + plan + journal + apply)");
    println!(
        "batched runs: a new admin client per run (like one CLI run, connect included); \
         one-at-a-time runs reuse one connected client; the floor is the raw read and \
         write calls alone (gather = read, apply = write)"
    );
    println!(
        "machine: {} CPUs, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    let m = if flag("OFFSETS_BENCH_SKIP_MOCK") {
        println!("mock: skipped (OFFSETS_BENCH_SKIP_MOCK)");
        None
    } else {
        Some(bench_mock(&mut figs, dir.path())?)
    };
    if flag("OFFSETS_BENCH_SKIP_REAL") {
        println!("real Kafka: skipped (OFFSETS_BENCH_SKIP_REAL)");
    } else {
        bench_real(&mut figs, dir.path())?;
    }
    println!("\n{}", figs.table());
    if let Some(m) = m {
        let speedup = m.baseline_extrapolated / m.with_rtt;
        println!(
            "targets (mock, medians): no latency {:.3} s <= 3 s {}; 50 ms RTT {:.3} s <= 5 s {}; \
             speed-up over one group at a time {:.1}x >= 20x {}",
            m.no_latency,
            verdict(m.no_latency <= 3.0),
            m.with_rtt,
            verdict(m.with_rtt <= 5.0),
            speedup,
            verdict(speedup >= 20.0)
        );
    }
    println!("load average at the end: {}", load_average());
    Ok(())
}
