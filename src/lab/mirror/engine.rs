//! One direction of the lab's mirror (a "flow": source alias -> target alias): a thread
//! that copies records, writes offset syncs and checkpoints, driven by the state its
//! connectors put in its [`Control`](super::flow::Control).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::config::MirrorConfig;
use super::flow::{Flow, Tp};
use super::rules::{checkpoint_is_more_recent, store_sync, translate_downstream, SyncState};
use super::{MirrorEnv, RunState};
use crate::kafka::{
    AdminClient, BatchOptions, ByteProducer, ClientSettings, GroupOffsetsQuery, KafkaError,
    OutRecord, RecordReader, RetryPolicy, TopicPartition, TopicRecord,
};
use crate::lab::seed::now_ms;
use crate::offsets::mm2_records::{checkpoints_topic, offset_syncs_topic, Checkpoint, OffsetSync};
use crate::topology::filter::Filter;

/// Records read (and written) per round.
const BATCH: usize = 2000;
/// How often the source's topics are listed again for new ones to mirror.
const TOPIC_REFRESH: Duration = Duration::from_secs(5);
/// Offset syncs that were not due at once are written this often (the latest pair).
const SYNC_FLUSH: Duration = Duration::from_secs(1);

pub fn spawn(
    flow: Arc<Flow>,
    env: Arc<MirrorEnv>,
    name: String,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("lab-mirror-{name}"))
        .spawn(move || Engine::new(flow, env).run())
}

struct Clients {
    generation: u64,
    config: MirrorConfig,
    topic_filter: Filter,
    group_filter: Filter,
    reader: RecordReader,
    to_target: ByteProducer,
    to_source: ByteProducer,
    source_admin: AdminClient,
    /// Whether the source can list its groups (the mock cannot).
    lists_groups: bool,
    /// Topics made on the target (remote and internal ones).
    made: BTreeSet<String>,
}

struct Engine {
    flow: Arc<Flow>,
    env: Arc<MirrorEnv>,
    clients: Option<Clients>,
    /// Source topic -> (target topic, partitions).
    topics: BTreeMap<String, (String, i32)>,
    assigned: bool,
    sync_states: BTreeMap<Tp, SyncState>,
    delayed: BTreeMap<Tp, (i64, i64)>,
    last_refresh: Option<Instant>,
    last_flush: Instant,
    last_checkpoint: Instant,
}

impl Engine {
    fn new(flow: Arc<Flow>, env: Arc<MirrorEnv>) -> Engine {
        Engine {
            flow,
            env,
            clients: None,
            topics: BTreeMap::new(),
            assigned: false,
            sync_states: BTreeMap::new(),
            delayed: BTreeMap::new(),
            last_refresh: None,
            last_flush: Instant::now(),
            last_checkpoint: Instant::now(),
        }
    }

    fn run(mut self) {
        loop {
            let (generation, config, copy, checkpoints) = {
                let c = self.flow.lock();
                if c.shutdown {
                    return;
                }
                (c.generation, c.config.clone(), c.copy, c.checkpoints)
            };
            let down = config
                .source_bootstrap
                .as_deref()
                .is_some_and(|b| self.env.is_down(b))
                || self.env.is_down(&config.target_bootstrap);
            if down {
                // Not copying while an end is down (see `MirrorEnv::down`).
                self.idle(copy, Duration::from_millis(200));
                continue;
            }
            if self.clients.as_ref().map(|c| c.generation) != Some(generation) {
                if let Err(e) = self.rebuild(generation, config) {
                    self.flow.lock().failed = Some(e);
                    let state = if copy == RunState::Running {
                        RunState::Stopped
                    } else {
                        copy
                    };
                    self.idle(state, Duration::from_secs(1));
                    continue;
                }
                self.flow.lock().failed = None;
            }
            if self
                .last_refresh
                .is_none_or(|t| t.elapsed() >= TOPIC_REFRESH)
            {
                self.refresh_topics();
            }
            if copy == RunState::Running {
                self.copy_round();
            } else {
                self.idle(copy, Duration::from_millis(100));
            }
            if copy == RunState::Running && self.last_flush.elapsed() >= SYNC_FLUSH {
                self.flush_delayed_syncs();
                self.last_flush = Instant::now();
            }
            let interval = self
                .clients
                .as_ref()
                .map_or(SYNC_FLUSH, |c| c.config.checkpoint_interval);
            if self.last_checkpoint.elapsed() >= interval {
                if checkpoints == RunState::Running {
                    self.emit_checkpoints();
                }
                self.last_checkpoint = Instant::now();
            }
        }
    }

    /// Not copying: drop the assignment, say so, and wait for a change.
    fn idle(&mut self, state: RunState, wait: Duration) {
        if self.assigned {
            // Leaving RUNNING: the latest pairs are synced, as MM2 does when its task
            // commits on the way out.
            self.flush_delayed_syncs();
            if let Some(c) = &self.clients {
                let _ = c.reader.assign(&[]);
            }
            self.assigned = false;
        }
        if state == RunState::Stopped {
            // A stopped task restarts as a new lifetime (first record synced again).
            self.sync_states.clear();
            self.delayed.clear();
        }
        let mut c = self.flow.lock();
        if c.copy_applied != state {
            c.copy_applied = state;
            self.flow.changed.notify_all();
        }
        if c.shutdown {
            return;
        }
        if c.copy == state {
            let _ = self.flow.changed.wait_timeout(c, wait);
        } else {
            drop(c);
            std::thread::sleep(wait);
        }
    }

    fn rebuild(&mut self, generation: u64, config: MirrorConfig) -> Result<(), String> {
        self.clients = None;
        self.assigned = false;
        self.topics.clear();
        self.sync_states.clear();
        self.delayed.clear();
        let Some(source) = config.source_bootstrap.clone() else {
            return Err("no source.cluster.bootstrap.servers: nothing to copy".into());
        };
        let settings = |b: &str| ClientSettings::new(b).timeout(self.env.client_timeout);
        let e = |e: KafkaError| e.to_string();
        let source_admin = AdminClient::new(settings(&source)).map_err(e)?;
        let lists_groups = !matches!(
            source_admin.list_consumer_groups(self.env.client_timeout),
            Err(KafkaError::Unsupported { .. })
        );
        self.clients = Some(Clients {
            generation,
            topic_filter: config.topic_filter(),
            group_filter: config.group_filter(),
            reader: RecordReader::new(&settings(&source)).map_err(e)?,
            to_target: ByteProducer::new(&settings(&config.target_bootstrap)).map_err(e)?,
            to_source: ByteProducer::new(&settings(&source)).map_err(e)?,
            source_admin,
            lists_groups,
            made: BTreeSet::new(),
            config,
        });
        self.last_refresh = None;
        Ok(())
    }

    fn note_error(&self, what: &str, e: impl std::fmt::Display) {
        let msg = format!("{what}: {e}");
        log::debug!("lab mirror: {msg}");
        self.flow.lock().last_error = Some(msg);
    }

    /// Lists the source's topics, picks those the flow mirrors and makes their remote
    /// topics (and MM2's internal topics) where missing.
    fn refresh_topics(&mut self) {
        self.last_refresh = Some(Instant::now());
        let Some(c) = self.clients.as_mut() else {
            return;
        };
        let listed = match c.reader.topics(self.env.client_timeout) {
            Ok(t) => t,
            Err(e) => {
                let msg = format!("listing topics of `{}`: {e}", c.config.source_alias);
                self.flow.lock().last_error = Some(msg);
                return;
            }
        };
        let cfg = &c.config;
        let source = cfg.source_bootstrap.clone().unwrap_or_default();
        // (cluster, topic, partitions) that must exist.
        let mut wanted: Vec<(String, String, i32)> = vec![];
        if cfg.emit_offset_syncs {
            wanted.push((source, offset_syncs_topic(&cfg.target_alias), 1));
        }
        if cfg.emit_checkpoints {
            let t = checkpoints_topic(&cfg.source_alias);
            wanted.push((cfg.target_bootstrap.clone(), t, 1));
        }
        let mut topics = BTreeMap::new();
        for (t, n) in listed {
            if n > 0 && cfg.mirrors_topic(&c.topic_filter, &t) {
                let remote = cfg.remote_topic(&t);
                wanted.push((cfg.target_bootstrap.clone(), remote.clone(), n));
                topics.insert(t, (remote, n));
            }
        }
        let mut errors = Vec::new();
        for (bootstrap, topic, n) in wanted {
            let key = format!("{bootstrap}/{topic}");
            if c.made.contains(&key) {
                continue;
            }
            match (self.env.topic_maker)(&bootstrap, &topic, n) {
                Ok(()) => {
                    c.made.insert(key);
                }
                Err(e) => errors.push(format!("creating `{topic}`: {e}")),
            }
        }
        if topics != self.topics {
            self.topics = topics;
            self.assigned = false;
        }
        let mut ctl = self.flow.lock();
        ctl.topics = self
            .topics
            .iter()
            .map(|(s, (r, n))| (s.clone(), r.clone(), *n))
            .collect();
        if let Some(e) = errors.pop() {
            ctl.last_error = Some(e);
        }
    }

    /// Reads one batch from the source and writes it to the target.
    fn copy_round(&mut self) {
        let Some(c) = self.clients.as_ref() else {
            return;
        };
        if !self.assigned {
            let positions = self.flow.lock().positions.clone();
            let from: Vec<(String, i32, Option<i64>)> = self
                .topics
                .iter()
                .flat_map(|(t, (_, n))| {
                    let positions = &positions;
                    (0..*n).map(move |p| (t.clone(), p, positions.get(&(t.clone(), p)).copied()))
                })
                .collect();
            if let Err(e) = c.reader.assign(&from) {
                self.note_error("assigning source partitions", e);
                std::thread::sleep(Duration::from_millis(500));
                return;
            }
            self.assigned = true;
        }
        {
            let mut ctl = self.flow.lock();
            if ctl.copy_applied != RunState::Running {
                ctl.copy_applied = RunState::Running;
                self.flow.changed.notify_all();
            }
        }
        let batch = match c.reader.poll(BATCH, Duration::from_millis(100)) {
            Ok(b) => b,
            Err(e) => {
                self.note_error("reading the source", e);
                return;
            }
        };
        if batch.is_empty() {
            return;
        }
        self.copy(batch);
    }

    fn copy(&mut self, batch: Vec<TopicRecord>) {
        let Some(c) = self.clients.as_ref() else {
            return;
        };
        // The consumer reads from the positions it was given (or, as MM2's does, from
        // the log start when one is out of range): what it returns is copied.
        let batch: Vec<TopicRecord> = batch
            .into_iter()
            .filter(|r| self.topics.contains_key(&r.topic))
            .collect();
        let out: Vec<OutRecord> = batch
            .iter()
            .map(|r| OutRecord {
                topic: self.topics[&r.topic].0.clone(),
                partition: r.record.partition,
                key: r.record.key.clone(),
                value: r.record.value.clone(),
                timestamp_ms: r.record.timestamp_ms,
            })
            .collect();
        let results = c.to_target.send_all(&out);
        let lag_max = c.config.offset_lag_max;
        let mut failed: BTreeSet<Tp> = BTreeSet::new();
        let mut done: BTreeMap<Tp, i64> = BTreeMap::new();
        let mut due: Vec<OffsetSync> = Vec::new();
        let mut copied = 0;
        let mut error = None;
        for (r, res) in batch.iter().zip(results) {
            let tp = (r.topic.clone(), r.record.partition);
            if failed.contains(&tp) {
                continue;
            }
            match res {
                Ok(down) => {
                    let up = r.record.offset;
                    done.insert(tp.clone(), up + 1);
                    copied += 1;
                    let state = self
                        .sync_states
                        .entry(tp.clone())
                        .or_insert_with(|| SyncState::new(lag_max));
                    if state.update(up, down) {
                        state.reset();
                        self.delayed.remove(&tp);
                        due.push(OffsetSync {
                            topic: tp.0.clone(),
                            partition: tp.1,
                            upstream_offset: up,
                            downstream_offset: down,
                        });
                    } else {
                        self.delayed.insert(tp, (up, down));
                    }
                }
                Err(e) => {
                    error = Some(e.to_string());
                    failed.insert(tp);
                }
            }
        }
        {
            let mut ctl = self.flow.lock();
            ctl.positions.extend(done);
            ctl.copied += copied;
            if let Some(e) = &error {
                ctl.last_error = Some(format!("writing to `{}`: {e}", ctl.config.target_alias));
            }
        }
        self.write_syncs(due);
        if error.is_some() {
            // Read the failed partitions again from their positions.
            self.assigned = false;
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn flush_delayed_syncs(&mut self) {
        let due: Vec<OffsetSync> = std::mem::take(&mut self.delayed)
            .into_iter()
            .map(|((topic, partition), (up, down))| OffsetSync {
                topic,
                partition,
                upstream_offset: up,
                downstream_offset: down,
            })
            .collect();
        self.write_syncs(due);
    }

    /// Writes offset syncs to `mm2-offset-syncs.<target>.internal` on the source and keeps
    /// the delivered ones for translation.
    fn write_syncs(&self, syncs: Vec<OffsetSync>) {
        let Some(c) = self.clients.as_ref() else {
            return;
        };
        if syncs.is_empty() || !c.config.emit_offset_syncs {
            return;
        }
        let topic = offset_syncs_topic(&c.config.target_alias);
        let now = now_ms();
        let out: Vec<OutRecord> = syncs
            .iter()
            .map(|s| OutRecord {
                topic: topic.clone(),
                partition: 0,
                key: Some(s.encode_key()),
                value: Some(s.encode_value()),
                timestamp_ms: Some(now),
            })
            .collect();
        let results = c.to_source.send_all(&out);
        let mut ctl = self.flow.lock();
        for (s, r) in syncs.into_iter().zip(results) {
            match r {
                Ok(_) => {
                    let store = ctl.syncs.entry((s.topic, s.partition)).or_default();
                    store_sync(store, s.upstream_offset, s.downstream_offset);
                    ctl.syncs_written += 1;
                }
                Err(e) => ctl.last_error = Some(format!("writing offset syncs: {e}")),
            }
        }
    }

    /// Translates the committed offsets of the groups the flow checkpoints and writes
    /// the new checkpoints to `<source>.checkpoints.internal` on the target.
    fn emit_checkpoints(&mut self) {
        let Some(c) = self.clients.as_ref() else {
            return;
        };
        if !c.config.emit_checkpoints {
            return;
        }
        let (stores, emitted) = {
            let ctl = self.flow.lock();
            (ctl.syncs.clone(), ctl.emitted.clone())
        };
        let partitions: Vec<TopicPartition> = stores
            .keys()
            .filter(|(t, _)| self.topics.contains_key(t) && c.topic_filter.admits(t))
            .map(|(t, p)| TopicPartition::new(t.clone(), *p))
            .collect();
        if partitions.is_empty() {
            return;
        }
        let mut groups: BTreeSet<String> = self.env.candidate_groups.iter().cloned().collect();
        if c.lists_groups {
            match c.source_admin.list_consumer_groups(self.env.client_timeout) {
                Ok(l) => groups.extend(l.into_iter().map(|g| g.group_id)),
                Err(e) => self.note_error("listing groups", e),
            }
        }
        let queries: Vec<GroupOffsetsQuery> = groups
            .into_iter()
            .filter(|g| c.group_filter.admits(g))
            .map(|g| GroupOffsetsQuery::partitions(g, partitions.clone()))
            .collect();
        if queries.is_empty() {
            return;
        }
        let opts = BatchOptions::new(self.env.client_timeout).retry(RetryPolicy::none());
        let mut new = Vec::new();
        for (group, r) in c.source_admin.list_group_offsets_batch(&queries, &opts) {
            let offsets = match r {
                Ok(o) => o,
                Err(e) => {
                    self.note_error(&format!("offsets of group `{group}`"), e);
                    continue;
                }
            };
            for o in offsets.offsets.iter().filter(|o| o.error.is_none()) {
                let Some(up) = o.offset else { continue };
                let tp = (o.topic.clone(), o.partition);
                let Some(down) = stores.get(&tp).and_then(|s| translate_downstream(s, up)) else {
                    continue;
                };
                let cp = Checkpoint {
                    group: group.clone(),
                    topic: c.config.remote_topic(&o.topic),
                    partition: o.partition,
                    upstream_offset: up,
                    downstream_offset: down,
                    metadata: o.metadata.clone(),
                };
                let key = (cp.group.clone(), cp.topic.clone(), cp.partition);
                if down >= 0 && checkpoint_is_more_recent(emitted.get(&key), &cp) {
                    new.push(cp);
                }
            }
        }
        if new.is_empty() {
            return;
        }
        let topic = checkpoints_topic(&c.config.source_alias);
        let now = now_ms();
        let out: Vec<OutRecord> = new
            .iter()
            .map(|cp| OutRecord {
                topic: topic.clone(),
                partition: 0,
                key: Some(cp.encode_key()),
                value: Some(cp.encode_value()),
                timestamp_ms: Some(now),
            })
            .collect();
        let results = c.to_target.send_all(&out);
        let mut ctl = self.flow.lock();
        for (cp, r) in new.into_iter().zip(results) {
            match r {
                Ok(_) => {
                    let partition = serde_json::json!({
                        "group": cp.group, "topic": cp.topic, "partition": cp.partition
                    });
                    ctl.framework_offsets
                        .entry(super::ConnectorKind::Checkpoint)
                        .or_default()
                        .insert(
                            partition.to_string(),
                            (partition, serde_json::json!({"offset": 0})),
                        );
                    ctl.emitted
                        .insert((cp.group.clone(), cp.topic.clone(), cp.partition), cp);
                    ctl.checkpoints_written += 1;
                }
                Err(e) => ctl.last_error = Some(format!("writing checkpoints: {e}")),
            }
        }
    }
}
