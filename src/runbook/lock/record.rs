//! The lock's records and the pure fold that turns a topology's records into its holder.
//!
//! Kafka has no compare-and-set, so writers never decide alone: everybody appends, and
//! everybody folds the same records in the same (offset) order to the same answer. A
//! claim written while someone else holds the lock is simply ignored by every reader.

use serde::{Deserialize, Serialize};

/// What a record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// "I take it": wins when the lock is free, its holder expired, or it is the
    /// holder's own run (a `--resume`).
    Claim,
    /// The holder pushes its expiry out.
    Renew,
    /// The holder lets go.
    Release,
    /// An operator's override (`break_lock`): frees the lock whoever holds it.
    Broken,
}

/// One record of the lock topic, keyed by the topology name, JSON as value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRecord {
    pub kind: RecordKind,
    /// The run this record speaks for (for `broken`: the run it breaks).
    pub run_id: String,
    /// `user@host` of the writer.
    pub holder: String,
    pub host: String,
    pub pid: u32,
    /// What the run is doing, e.g. `failover --lost dc-east`.
    pub command: String,
    pub topology: String,
    pub started_at_ms: i64,
    pub expires_at_ms: i64,
    /// When the writer wrote it, by the writer's clock.
    pub at_ms: i64,
}

/// Who holds a topology's lock, as the fold found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub run_id: String,
    /// `user@host`.
    pub holder: String,
    pub host: String,
    pub pid: u32,
    pub command: String,
    pub started_at_ms: i64,
    pub expires_at_ms: i64,
}

impl Holder {
    /// Past its expiry at `now_ms`: the next claim takes the lock over.
    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms > self.expires_at_ms
    }

    fn from_claim(r: &LockRecord) -> Holder {
        Holder {
            run_id: r.run_id.clone(),
            holder: r.holder.clone(),
            host: r.host.clone(),
            pid: r.pid,
            command: r.command.clone(),
            started_at_ms: r.started_at_ms,
            expires_at_ms: r.expires_at_ms,
        }
    }
}

/// One step of the fold.
pub fn apply(state: Option<Holder>, r: &LockRecord) -> Option<Holder> {
    match (r.kind, state) {
        (RecordKind::Claim, None) => Some(Holder::from_claim(r)),
        (RecordKind::Claim, Some(h)) if h.run_id == r.run_id => {
            // The same run again (resumed, perhaps from another process or host): it keeps
            // the lock and its start, and is now this process.
            Some(Holder {
                started_at_ms: h.started_at_ms,
                ..Holder::from_claim(r)
            })
        }
        (RecordKind::Claim, Some(h)) if r.at_ms > h.expires_at_ms => Some(Holder::from_claim(r)),
        (RecordKind::Renew, Some(h)) if h.run_id == r.run_id => Some(Holder {
            expires_at_ms: r.expires_at_ms,
            ..h
        }),
        (RecordKind::Release, Some(h)) if h.run_id == r.run_id => None,
        (RecordKind::Broken, _) => None,
        // A claim while someone else holds it, or a renew / release by a run that does not
        // hold it: ignored, by every reader alike.
        (_, state) => state,
    }
}

/// The holder after `records`, in the order given (offset order), starting free.
pub fn fold<'a>(records: impl IntoIterator<Item = &'a LockRecord>) -> Option<Holder> {
    records.into_iter().fold(None, apply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: RecordKind, run: &str, at: i64, expires: i64) -> LockRecord {
        LockRecord {
            kind,
            run_id: run.into(),
            holder: format!("op@{run}-host"),
            host: format!("{run}-host"),
            pid: 100,
            command: format!("failover ({run})"),
            topology: "payments".into(),
            started_at_ms: at,
            expires_at_ms: expires,
            at_ms: at,
        }
    }
    use RecordKind::*;

    fn holder_of(records: &[LockRecord]) -> Option<String> {
        fold(records).map(|h| h.run_id)
    }

    #[test]
    fn free_until_claimed() {
        assert_eq!(fold(&[]), None);
        let h = fold(&[rec(Claim, "a", 1_000, 61_000)]).unwrap();
        assert_eq!(h.run_id, "a");
        assert_eq!(h.holder, "op@a-host");
        assert_eq!((h.started_at_ms, h.expires_at_ms), (1_000, 61_000));
        assert!(!h.is_expired(61_000) && h.is_expired(61_001));
    }

    #[test]
    fn of_two_claims_in_a_row_the_first_wins() {
        let r = [rec(Claim, "a", 1_000, 61_000), rec(Claim, "b", 900, 60_900)];
        assert_eq!(holder_of(&r).as_deref(), Some("a"));
        // Offset order decides, not the writers' clocks.
        let r = [rec(Claim, "b", 900, 60_900), rec(Claim, "a", 1_000, 61_000)];
        assert_eq!(holder_of(&r).as_deref(), Some("b"));
    }

    #[test]
    fn an_expired_holder_is_taken_over_a_live_one_is_not() {
        let live = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Claim, "b", 61_000, 121_000),
        ];
        assert_eq!(holder_of(&live).as_deref(), Some("a"));
        let expired = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Claim, "b", 61_001, 121_001),
        ];
        assert_eq!(holder_of(&expired).as_deref(), Some("b"));
        // The old holder's late renew and release no longer count.
        let late = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Claim, "b", 70_000, 130_000),
            rec(Renew, "a", 70_001, 130_001),
            rec(Release, "a", 70_002, 0),
        ];
        let h = fold(&late).unwrap();
        assert_eq!((h.run_id.as_str(), h.expires_at_ms), ("b", 130_000));
    }

    #[test]
    fn renew_extends_only_for_the_holder() {
        let r = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Renew, "b", 2_000, 999_000),
            rec(Renew, "a", 30_000, 90_000),
        ];
        let h = fold(&r).unwrap();
        assert_eq!((h.run_id.as_str(), h.expires_at_ms), ("a", 90_000));
        assert_eq!(h.started_at_ms, 1_000);
        // Renewed past b's claim time: b's claim is ignored.
        let r2 = [r.to_vec(), vec![rec(Claim, "b", 80_000, 140_000)]].concat();
        assert_eq!(holder_of(&r2).as_deref(), Some("a"));
        // A renew of a free lock does not take it.
        assert_eq!(fold(&[rec(Renew, "a", 1, 2)]), None);
    }

    #[test]
    fn release_by_a_stranger_is_ignored() {
        let r = [rec(Claim, "a", 1_000, 61_000), rec(Release, "b", 2_000, 0)];
        assert_eq!(holder_of(&r).as_deref(), Some("a"));
        let r = [rec(Claim, "a", 1_000, 61_000), rec(Release, "a", 2_000, 0)];
        assert_eq!(holder_of(&r), None);
        let r = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Release, "a", 2_000, 0),
            rec(Claim, "b", 3_000, 63_000),
        ];
        assert_eq!(holder_of(&r).as_deref(), Some("b"));
    }

    #[test]
    fn the_same_run_reclaims_keeping_its_start() {
        let mut resumed = rec(Claim, "a", 5_000, 65_000);
        resumed.pid = 200;
        resumed.command = "failover --resume".into();
        let h = fold(&[rec(Claim, "a", 1_000, 61_000), resumed]).unwrap();
        assert_eq!((h.pid, h.command.as_str()), (200, "failover --resume"));
        assert_eq!((h.started_at_ms, h.expires_at_ms), (1_000, 65_000));
    }

    #[test]
    fn broken_frees_whoever_holds_it() {
        let r = [
            rec(Claim, "a", 1_000, 61_000),
            rec(Broken, "a", 2_000, 0),
            rec(Claim, "b", 3_000, 63_000),
        ];
        assert_eq!(holder_of(&r).as_deref(), Some("b"));
        // Even when it names another run: the operator's word is final.
        let r = [rec(Claim, "a", 1_000, 61_000), rec(Broken, "x", 2_000, 0)];
        assert_eq!(holder_of(&r), None);
    }

    #[test]
    fn records_round_trip_as_json_with_snake_case_kinds() {
        let r = rec(Claim, "a", 1, 2);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""kind":"claim""#), "{json}");
        assert_eq!(serde_json::from_str::<LockRecord>(&json).unwrap(), r);
    }
}
