//! The run lock: two runbook runs on one topology must not overlap, even when started on
//! two hosts, so the lock lives on the surviving Kafka cluster itself.
//!
//! Topic [`LOCK_TOPIC`] (1 partition, compacted, RF min(3, brokers)) holds
//! [`LockRecord`]s keyed by topology name. The holder is a deterministic fold over the
//! key's records in offset order ([`record::fold`]): the first claim on a free (or
//! expired) lock wins, later claims are ignored by every reader. Acquiring is therefore:
//! read and fold; if someone else holds it, refuse without writing; otherwise append a
//! claim, read again up to and including it, fold, and see whether we won.
//!
//! Compaction keeps only the newest record of a key, and a newest record can be an
//! ignored claim, which on its own would read as "held by the loser". The topic therefore
//! sets `min.compaction.lag.ms` to 7 days: records younger than that are never compacted,
//! so every fold that matters (TTLs are minutes) sees the full history, and the topic
//! still stays small.
//!
//! Expiry compares the writers' clocks (`at_ms` against `expires_at_ms`): hosts must keep
//! their clocks within a small fraction of the TTL of each other (NTP).

mod record;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub use record::{apply, fold, Holder, LockRecord, RecordKind};

use crate::clock::{fmt_ms, now_ms};
use crate::kafka::{
    read_topic_to_end, AdminClient, ByteProducer, ClientSettings, ErrorCode, KafkaError,
    NewTopicSpec, OutRecord, RawRecord,
};

/// The topic the locks live in. Named like MirrorMaker 2's internal topics (`.*[.-]internal` is in MM2's default
/// `topics.exclude`): a mirror with a broad topic filter must not copy one cluster's
/// lock records into another's (under the identity policy that would lock it).
pub const LOCK_TOPIC: &str = "kafka-failover.locks.internal";

/// Records younger than this are never compacted away (see the module docs).
const MIN_COMPACTION_LAG_MS: &str = "604800000";

/// Who wants the lock: one run of one command, on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimant {
    pub run_id: String,
    /// `user@host`.
    pub holder: String,
    pub host: String,
    pub pid: u32,
    /// What the run does, e.g. `failover --lost dc-east`.
    pub command: String,
}

impl Claimant {
    /// This process, as `$USER@hostname`.
    pub fn this_process(run_id: impl Into<String>, command: impl Into<String>) -> Claimant {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .map(|h| h.trim().to_string())
            .ok()
            .filter(|h| !h.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "unknown-host".into());
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Claimant {
            run_id: run_id.into(),
            holder: format!("{user}@{host}"),
            host,
            pid: std::process::id(),
            command: command.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    /// Another live run holds the lock (of the topology asked for). Nothing was written.
    #[error(
        "locked by run {run_id} of {holder} (pid {pid}): `{command}`, \
         since {}, until {} unless renewed; if that run is dead, wait for the expiry or break the lock",
        fmt_ms(*.since_ms), fmt_ms(*.expires_ms)
    )]
    Held {
        holder: String,
        host: String,
        pid: u32,
        command: String,
        since_ms: i64,
        expires_ms: i64,
        run_id: String,
    },
    /// Renewing found that this run no longer holds the lock (it expired and was taken
    /// over, or an operator broke it): the run must stop.
    #[error("run {run_id} lost the lock of topology `{topology}`: {}", match .now {
        Some(h) => format!("run {} of {} holds it now", h.run_id, h.holder),
        None => "it was released or broken".to_string(),
    })]
    Lost {
        topology: String,
        run_id: String,
        now: Option<Box<Holder>>,
    },
    /// The lock topic is missing and could not be created (no CreateTopics permission,
    /// a cluster that does not support it).
    #[error(
        "the lock topic `{topic}` does not exist and could not be created: {reason}; create it \
         (1 partition, cleanup.policy=compact, min.compaction.lag.ms=604800000) or grant CreateTopics"
    )]
    TopicUnavailable { topic: String, reason: String },
    #[error("run lock on `{topic}`: {source}")]
    Kafka {
        topic: &'static str,
        #[source]
        source: KafkaError,
    },
}

fn kafka(source: KafkaError) -> LockError {
    LockError::Kafka {
        topic: LOCK_TOPIC,
        source,
    }
}

impl LockError {
    fn held(h: Holder) -> LockError {
        LockError::Held {
            holder: h.holder,
            host: h.host,
            pid: h.pid,
            command: h.command,
            since_ms: h.started_at_ms,
            expires_ms: h.expires_at_ms,
            run_id: h.run_id,
        }
    }
}

/// Takes the lock of `topology` for `me` for `ttl` (renew it before then: [`LockGuard`]).
/// Refuses with [`LockError::Held`], writing nothing, while another live run holds it;
/// the same `run_id` (a resumed run) gets it back. Creates the lock topic when missing.
pub fn acquire(
    settings: &ClientSettings,
    topology: &str,
    me: Claimant,
    ttl: Duration,
    timeout: Duration,
) -> Result<LockGuard, LockError> {
    let deadline = Instant::now() + timeout;
    let records = match read(settings, topology, left(deadline)) {
        Err(LockError::Kafka {
            source: KafkaError::UnknownTopicOrPartition { .. },
            ..
        }) => {
            create_topic(settings, left(deadline))?;
            read_until(settings, topology, None, deadline)?
        }
        r => r?,
    };
    let now = now_ms();
    if let Some(h) = fold(records.iter().map(|(_, r)| r)) {
        if h.run_id != me.run_id && !h.is_expired(now) {
            return Err(LockError::held(h));
        }
    }
    let started_at_ms = now;
    let expires_at_ms = now + ttl.as_millis() as i64;
    let claim = record_of(
        RecordKind::Claim,
        &me,
        topology,
        started_at_ms,
        expires_at_ms,
    );
    let offset = write(settings, &claim)?;
    // Read back up to our own claim: every claim before it is in, so every racer folds
    // the same prefix and agrees on one winner.
    let records = read_until(settings, topology, Some(offset), deadline)?;
    match fold(records.iter().map(|(_, r)| r)) {
        Some(h) if h.run_id == me.run_id => Ok(LockGuard {
            settings: settings.clone(),
            topology: topology.to_string(),
            me,
            ttl,
            started_at_ms: h.started_at_ms,
            expires_at_ms: Arc::new(Mutex::new(h.expires_at_ms)),
            released: false,
            keep_alive: None,
        }),
        Some(h) => Err(LockError::held(h)),
        // Broken between our claim and the read: as good as losing the race.
        None => Err(LockError::Lost {
            topology: topology.to_string(),
            run_id: me.run_id,
            now: None,
        }),
    }
}

/// Who holds the lock of `topology` now, if anyone (a holder past its expiry is returned
/// too: check [`Holder::is_expired`]). A missing lock topic means nobody ever locked.
pub fn status(
    settings: &ClientSettings,
    topology: &str,
    timeout: Duration,
) -> Result<Option<Holder>, LockError> {
    match read(settings, topology, timeout) {
        Ok(records) => Ok(fold(records.iter().map(|(_, r)| r))),
        Err(LockError::Kafka {
            source: KafkaError::UnknownTopicOrPartition { .. },
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The operator's override: frees the lock of `topology` whoever holds it, by writing a
/// `broken` record signed by `by`. Returns the holder it broke (`None`: it was free and
/// nothing was written). The broken run finds out at its next renew ([`LockError::Lost`]).
pub fn break_lock(
    settings: &ClientSettings,
    topology: &str,
    by: Claimant,
    timeout: Duration,
) -> Result<Option<Holder>, LockError> {
    let Some(h) = status(settings, topology, timeout)? else {
        return Ok(None);
    };
    let now = now_ms();
    let mut r = record_of(RecordKind::Broken, &by, topology, now, now);
    // The record names the run it breaks; who broke it is in holder/host/pid/command.
    r.run_id = h.run_id.clone();
    write(settings, &r)?;
    Ok(Some(h))
}

/// The lock, held. Renew it before its TTL runs out ([`LockGuard::renew`] or
/// [`LockGuard::keep_alive`]); dropping it releases it, best effort.
pub struct LockGuard {
    settings: ClientSettings,
    topology: String,
    me: Claimant,
    ttl: Duration,
    started_at_ms: i64,
    expires_at_ms: Arc<Mutex<i64>>,
    released: bool,
    keep_alive: Option<KeepAlive>,
}

struct KeepAlive {
    stop: mpsc::Sender<()>,
    thread: thread::JoinHandle<()>,
    failure: Arc<Mutex<Option<LockError>>>,
}

impl LockGuard {
    pub fn run_id(&self) -> &str {
        &self.me.run_id
    }

    pub fn started_at_ms(&self) -> i64 {
        self.started_at_ms
    }

    /// Until when the lock is ours, as last claimed or renewed.
    pub fn expires_at_ms(&self) -> i64 {
        *self.expires_at_ms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Pushes the expiry to now + TTL, then checks we still hold it: [`LockError::Lost`]
    /// when the lock expired and was taken over, or was broken.
    pub fn renew(&self) -> Result<(), LockError> {
        renew(
            &self.settings,
            &self.topology,
            &self.me,
            self.ttl,
            self.started_at_ms,
            &self.expires_at_ms,
        )
    }

    /// Renews every `interval` on a background thread until the guard is released or
    /// dropped. A failed renew is kept for [`LockGuard::check`]; a lost lock stops it.
    pub fn keep_alive(&mut self, interval: Duration) {
        if self.keep_alive.is_some() {
            return;
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let failure = Arc::new(Mutex::new(None));
        let (settings, topology, me, ttl, started, expires, fail) = (
            self.settings.clone(),
            self.topology.clone(),
            self.me.clone(),
            self.ttl,
            self.started_at_ms,
            self.expires_at_ms.clone(),
            failure.clone(),
        );
        let thread = thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(interval) {
                let r = renew(&settings, &topology, &me, ttl, started, &expires);
                let lost = matches!(r, Err(LockError::Lost { .. }));
                if let Err(e) = r {
                    log::warn!("renewing the run lock: {e}");
                    *fail.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                }
                if lost {
                    return;
                }
            }
        });
        self.keep_alive = Some(KeepAlive {
            stop,
            thread,
            failure,
        });
    }

    /// The last failure of the background renewer, if any (a run should stop on
    /// [`LockError::Lost`]).
    pub fn check(&self) -> Result<(), LockError> {
        match &self.keep_alive {
            Some(k) => match k.failure.lock().unwrap_or_else(|e| e.into_inner()).take() {
                Some(e) => Err(e),
                None => Ok(()),
            },
            None => Ok(()),
        }
    }

    /// Lets go of the lock (a `release` record). Only the holder's release counts, so
    /// releasing a lock that was taken over changes nothing.
    pub fn release(mut self) -> Result<(), LockError> {
        self.release_now()
    }

    fn release_now(&mut self) -> Result<(), LockError> {
        if let Some(k) = self.keep_alive.take() {
            drop(k.stop);
            let _ = k.thread.join();
        }
        if self.released {
            return Ok(());
        }
        self.released = true;
        let now = now_ms();
        let r = record_of(
            RecordKind::Release,
            &self.me,
            &self.topology,
            self.started_at_ms,
            now,
        );
        write(&self.settings, &r).map(|_| ())
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Err(e) = self.release_now() {
            log::warn!("releasing the run lock of `{}`: {e}", self.topology);
        }
    }
}

fn renew(
    settings: &ClientSettings,
    topology: &str,
    me: &Claimant,
    ttl: Duration,
    started_at_ms: i64,
    expires: &Mutex<i64>,
) -> Result<(), LockError> {
    let deadline = Instant::now() + settings.default_timeout();
    let now = now_ms();
    let expires_at_ms = now + ttl.as_millis() as i64;
    let r = record_of(
        RecordKind::Renew,
        me,
        topology,
        started_at_ms,
        expires_at_ms,
    );
    let offset = write(settings, &r)?;
    let records = read_until(settings, topology, Some(offset), deadline)?;
    match fold(records.iter().map(|(_, r)| r)) {
        Some(h) if h.run_id == me.run_id => {
            *expires.lock().unwrap_or_else(|e| e.into_inner()) = h.expires_at_ms;
            Ok(())
        }
        now => Err(LockError::Lost {
            topology: topology.to_string(),
            run_id: me.run_id.clone(),
            now: now.map(Box::new),
        }),
    }
}

fn record_of(
    kind: RecordKind,
    me: &Claimant,
    topology: &str,
    started_at_ms: i64,
    expires_at_ms: i64,
) -> LockRecord {
    LockRecord {
        kind,
        run_id: me.run_id.clone(),
        holder: me.holder.clone(),
        host: me.host.clone(),
        pid: me.pid,
        command: me.command.clone(),
        topology: topology.to_string(),
        started_at_ms,
        expires_at_ms,
        at_ms: now_ms(),
    }
}

fn left(deadline: Instant) -> Duration {
    deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1))
}

/// Appends one record (acks=all, idempotent) and returns its offset.
fn write(settings: &ClientSettings, r: &LockRecord) -> Result<i64, LockError> {
    let value = serde_json::to_vec(r).expect("a lock record serialises");
    let producer = ByteProducer::new(settings).map_err(kafka)?;
    let out = OutRecord {
        topic: LOCK_TOPIC.to_string(),
        partition: 0,
        key: Some(r.topology.as_bytes().to_vec()),
        value: Some(value),
        timestamp_ms: Some(r.at_ms),
    };
    producer
        .send_all(std::slice::from_ref(&out))
        .pop()
        .expect("one result per record")
        .map_err(kafka)
}

/// The topology's records of partition 0 with their offsets, in offset order. Records
/// that are not lock records (another tool's, a newer format's) are skipped.
fn read(
    settings: &ClientSettings,
    topology: &str,
    timeout: Duration,
) -> Result<Vec<(i64, LockRecord)>, LockError> {
    let raw = read_topic_to_end(settings, LOCK_TOPIC, timeout).map_err(kafka)?;
    Ok(decode(topology, raw))
}

fn decode(topology: &str, raw: Vec<RawRecord>) -> Vec<(i64, LockRecord)> {
    raw.into_iter()
        .filter(|r| r.partition == 0 && r.key.as_deref() == Some(topology.as_bytes()))
        .filter_map(|r| {
            let rec: LockRecord = serde_json::from_slice(r.value.as_deref()?).ok()?;
            (rec.topology == topology).then_some((r.offset, rec))
        })
        .collect()
}

/// Reads until the records reach `offset` (a record we just wrote; `None`: the topic
/// merely has to be readable), retrying while a just-created topic is not yet known to
/// every broker.
fn read_until(
    settings: &ClientSettings,
    topology: &str,
    offset: Option<i64>,
    deadline: Instant,
) -> Result<Vec<(i64, LockRecord)>, LockError> {
    loop {
        let last = match read_topic_to_end(settings, LOCK_TOPIC, left(deadline)) {
            Ok(raw) => {
                let seen = raw
                    .iter()
                    .any(|r| r.partition == 0 && Some(r.offset) >= offset);
                if offset.is_none() || seen {
                    return Ok(decode(topology, raw));
                }
                KafkaError::Timeout {
                    call: "reading back the lock record",
                    after_ms: 0,
                }
            }
            Err(e @ KafkaError::UnknownTopicOrPartition { .. }) => e,
            Err(e) if e.is_retriable() => e,
            Err(e) => return Err(kafka(e)),
        };
        if Instant::now() + Duration::from_millis(100) >= deadline {
            return Err(kafka(last));
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// Creates the lock topic: 1 partition, compacted, RF min(3, brokers). Another host
/// creating it at the same moment is fine.
fn create_topic(settings: &ClientSettings, timeout: Duration) -> Result<(), LockError> {
    let unavailable = |e: KafkaError| LockError::TopicUnavailable {
        topic: LOCK_TOPIC.to_string(),
        reason: e.to_string(),
    };
    let admin = AdminClient::new(settings.clone()).map_err(kafka)?;
    let brokers = admin
        .describe_cluster(timeout)
        .map_err(kafka)?
        .brokers
        .len()
        .max(1);
    let spec = NewTopicSpec {
        name: LOCK_TOPIC.to_string(),
        partitions: 1,
        replication_factor: brokers.min(3) as i32,
        configs: vec![
            ("cleanup.policy".into(), "compact".into()),
            ("min.compaction.lag.ms".into(), MIN_COMPACTION_LAG_MS.into()),
        ],
    };
    let answers = admin
        .create_topics(std::slice::from_ref(&spec), timeout)
        .map_err(unavailable)?;
    match answers.into_values().next() {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) if e.code() == Some(ErrorCode::TOPIC_ALREADY_EXISTS) => Ok(()),
        Some(Err(e)) => Err(unavailable(e)),
        None => Ok(()),
    }
}
