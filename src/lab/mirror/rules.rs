//! MirrorMaker 2's rules the lab's mirror follows, as pure functions over plain data,
//! each named after the Kafka class it reproduces (Kafka 3.7+/4.x, `connect/mirror`):
//! when an offset sync is due (`OffsetSyncWriter.PartitionState`), how a group's offset
//! is translated (`OffsetSyncStore.translateDownstream`), when a checkpoint is emitted
//! (`MirrorCheckpointTask.checkpointIsMoreRecent`), remote topic names and cycles
//! (`DefaultReplicationPolicy`, `IdentityReplicationPolicy`,
//! `MirrorSourceConnector.isCycle`) and which topics are never mirrored
//! (`ReplicationPolicy.isInternalTopic`).

use crate::offsets::mm2_records::Checkpoint;

/// MM2's `offset.lag.max` default: a sync at least every this many records.
pub const DEFAULT_OFFSET_LAG_MAX: i64 = 100;

/// Syncs kept per partition for translation (MM2 keeps 64, spaced exponentially; the
/// lab keeps the most recent ones, which translates at least as closely).
pub const SYNCS_KEPT: usize = 4096;

/// `OffsetSyncWriter.PartitionState`: per source partition, whether the pair of offsets
/// just copied must be synced at once. Pairs that need not be are "delayed": the latest
/// one is written at the next periodic flush.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    previous_upstream: i64,
    previous_downstream: i64,
    last_sync_downstream: i64,
    max_offset_lag: i64,
    should_sync: bool,
}

impl SyncState {
    pub fn new(max_offset_lag: i64) -> SyncState {
        SyncState {
            previous_upstream: -1,
            previous_downstream: -1,
            last_sync_downstream: -1,
            max_offset_lag,
            should_sync: false,
        }
    }

    /// Records that `upstream` was copied to `downstream`; `true`: sync it now (then
    /// call [`reset`](Self::reset)). Due on the first record of this lifetime, when
    /// translation would be `offset.lag.max` or more behind, when upstream offsets skip
    /// (a gap, a seek), and when the downstream offsets go back (a truncated target).
    pub fn update(&mut self, upstream: i64, downstream: i64) -> bool {
        let no_previous_sync = self.last_sync_downstream == -1;
        let too_stale = downstream - (self.last_sync_downstream + 1) >= self.max_offset_lag;
        let skipped_upstream = upstream - self.previous_upstream != 1;
        let truncated_downstream = downstream < self.previous_downstream;
        if no_previous_sync || too_stale || skipped_upstream || truncated_downstream {
            self.last_sync_downstream = downstream;
            self.should_sync = true;
        }
        self.previous_upstream = upstream;
        self.previous_downstream = downstream;
        self.should_sync
    }

    pub fn reset(&mut self) {
        self.should_sync = false;
    }
}

/// Adds a sync to a partition's store as `OffsetSyncStore` does: an upstream offset that
/// goes back (a rewind) invalidates every earlier sync.
pub fn store_sync(store: &mut Vec<(i64, i64)>, upstream: i64, downstream: i64) {
    if store.last().is_some_and(|&(up, _)| upstream < up) {
        store.clear();
    }
    store.push((upstream, downstream));
    if store.len() > SYNCS_KEPT {
        store.drain(..store.len() - SYNCS_KEPT / 2);
    }
}

/// `OffsetSyncStore.translateDownstream`: the newest sync whose upstream offset is at or
/// before `upstream`; exactly on it, its downstream offset; past it, one more (records
/// after a sync may or may not have been copied: never skip one). No such sync: no
/// translation (MM2 emits no checkpoint).
pub fn translate_downstream(syncs: &[(i64, i64)], upstream: i64) -> Option<i64> {
    let &(up, down) = syncs.iter().rev().find(|(up, _)| *up <= upstream)?;
    Some(if up == upstream { down } else { down + 1 })
}

/// `MirrorCheckpointTask.checkpointIsMoreRecent`: emit the first checkpoint of a
/// partition, one after the group rewound upstream, or one whose downstream offset
/// advanced; never a repeat, never a downstream rewind without an upstream one.
pub fn checkpoint_is_more_recent(last: Option<&Checkpoint>, new: &Checkpoint) -> bool {
    match last {
        None => true,
        Some(l) => {
            new.upstream_offset < l.upstream_offset || new.downstream_offset > l.downstream_offset
        }
    }
}

/// MM2's replication policies, as far as names go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// `DefaultReplicationPolicy`: `<source-alias><separator><topic>` (separator `.`).
    Default { separator: String },
    /// `IdentityReplicationPolicy`: names unchanged (no cycle detection).
    Identity,
}

impl Policy {
    pub fn default_policy() -> Policy {
        Policy::Default {
            separator: ".".into(),
        }
    }

    /// `formatRemoteTopic`.
    pub fn remote_topic(&self, source_alias: &str, topic: &str) -> String {
        match self {
            Policy::Default { separator } => format!("{source_alias}{separator}{topic}"),
            Policy::Identity => topic.to_string(),
        }
    }

    /// `topicSource`: the cluster alias a remote topic came from.
    pub fn topic_source<'a>(&self, topic: &'a str) -> Option<&'a str> {
        match self {
            Policy::Default { separator } => match topic.split_once(separator.as_str()) {
                Some((source, rest)) if !source.is_empty() && !rest.is_empty() => Some(source),
                _ => None,
            },
            Policy::Identity => None,
        }
    }

    /// `upstreamTopic`: the name one hop upstream.
    pub fn upstream_topic<'a>(&self, topic: &'a str) -> Option<&'a str> {
        match self {
            Policy::Default { separator } => {
                let source = self.topic_source(topic)?;
                Some(&topic[source.len() + separator.len()..])
            }
            Policy::Identity => Some(topic),
        }
    }

    pub fn class_name(&self) -> &'static str {
        match self {
            Policy::Default { .. } => "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
            Policy::Identity => "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
        }
    }
}

/// `ReplicationPolicy.isInternalTopic`: Kafka's, Connect's and MM2's own topics.
pub fn is_internal_topic(topic: &str) -> bool {
    topic.starts_with("__")
        || topic.starts_with('.')
        || topic.ends_with(".internal")
        || topic.ends_with("-internal")
}

/// `MirrorSourceConnector.isCycle`: the topic (or one of its upstream names) came from
/// the target cluster, so mirroring it would send records back where they came from.
pub fn is_cycle(policy: &Policy, topic: &str, target_alias: &str) -> bool {
    let mut topic = topic;
    loop {
        match policy.topic_source(topic) {
            None => return false,
            Some(source) if source == target_alias => return true,
            Some(_) => match policy.upstream_topic(topic) {
                Some(up) if up != topic => topic = up,
                _ => return false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncs_follow_offset_sync_writer() {
        let mut s = SyncState::new(100);
        let mut due = Vec::new();
        for off in 0..250 {
            if s.update(off, off) {
                due.push(off);
                s.reset();
            }
        }
        // First record, then whenever translation would lag by offset.lag.max.
        assert_eq!(due, vec![0, 101, 202]);
        // A gap upstream (a seek) is synced at once.
        assert!(s.update(300, 250));
        s.reset();
        // So is a downstream truncation.
        assert!(s.update(301, 10));
        s.reset();
        assert!(!s.update(302, 11));
        // Until reset, every later pair stays due.
        let mut t = SyncState::new(100);
        assert!(t.update(0, 0));
        assert!(t.update(1, 1));
    }

    #[test]
    fn translation_follows_offset_sync_store() {
        let syncs = [(0, 0), (101, 101), (150, 140)];
        assert_eq!(translate_downstream(&syncs, 0), Some(0));
        assert_eq!(translate_downstream(&syncs, 50), Some(1));
        assert_eq!(translate_downstream(&syncs, 101), Some(101));
        assert_eq!(translate_downstream(&syncs, 120), Some(102));
        assert_eq!(translate_downstream(&syncs, 150), Some(140));
        assert_eq!(translate_downstream(&syncs, 9999), Some(141));
        assert_eq!(translate_downstream(&[(10, 5)], 9), None);
        assert_eq!(translate_downstream(&[], 9), None);
    }

    #[test]
    fn a_rewind_invalidates_earlier_syncs() {
        let mut store = Vec::new();
        store_sync(&mut store, 0, 0);
        store_sync(&mut store, 200, 200);
        store_sync(&mut store, 50, 300);
        assert_eq!(store, vec![(50, 300)]);
        assert_eq!(translate_downstream(&store, 10), None);
        for i in 0..SYNCS_KEPT as i64 + 1 {
            store_sync(&mut store, 100 + i, 400 + i);
        }
        assert!(store.len() <= SYNCS_KEPT);
        assert_eq!(
            store.last(),
            Some(&(100 + SYNCS_KEPT as i64, 400 + SYNCS_KEPT as i64))
        );
    }

    fn cp(up: i64, down: i64) -> Checkpoint {
        Checkpoint {
            group: "g".into(),
            topic: "east.t".into(),
            partition: 0,
            upstream_offset: up,
            downstream_offset: down,
            metadata: String::new(),
        }
    }

    #[test]
    fn checkpoints_only_when_more_recent() {
        assert!(checkpoint_is_more_recent(None, &cp(5, 5)));
        assert!(!checkpoint_is_more_recent(Some(&cp(5, 5)), &cp(5, 5)));
        assert!(checkpoint_is_more_recent(Some(&cp(5, 5)), &cp(6, 6)));
        // Upstream moved but translates to the same downstream offset: nothing new.
        assert!(!checkpoint_is_more_recent(Some(&cp(50, 1)), &cp(60, 1)));
        // The group rewound upstream.
        assert!(checkpoint_is_more_recent(Some(&cp(50, 1)), &cp(40, 1)));
        // Downstream would go back without an upstream rewind: never.
        assert!(!checkpoint_is_more_recent(Some(&cp(50, 9)), &cp(50, 3)));
    }

    #[test]
    fn names_and_cycles() {
        let d = Policy::default_policy();
        assert_eq!(d.remote_topic("east", "payments"), "east.payments");
        assert_eq!(
            Policy::Identity.remote_topic("east", "payments"),
            "payments"
        );
        assert_eq!(d.topic_source("east.payments"), Some("east"));
        assert_eq!(
            d.upstream_topic("west.east.payments"),
            Some("east.payments")
        );
        assert_eq!(d.topic_source("payments"), None);
        // Mirroring west -> east: `east.payments` on west came from east.
        assert!(is_cycle(&d, "east.payments", "east"));
        assert!(is_cycle(&d, "west.east.payments", "east"));
        assert!(!is_cycle(&d, "payments", "east"));
        assert!(!is_cycle(&d, "south.payments", "east"));
        assert!(!is_cycle(&Policy::Identity, "east.payments", "east"));
        let dash = Policy::Default {
            separator: "_".into(),
        };
        assert_eq!(dash.remote_topic("east", "t"), "east_t");
        assert!(is_cycle(&dash, "east_t", "east"));
        for t in [
            "__consumer_offsets",
            "mm2-offset-syncs.west.internal",
            "east.checkpoints.internal",
            "connect-offsets-internal",
            ".hidden",
        ] {
            assert!(is_internal_topic(t), "{t}");
        }
        assert!(!is_internal_topic("payments"));
    }
}
