//! The offsets journal: before anything is written, the previous committed offset of
//! every partition a reset changes, and the target, per group; then one result line
//! per group as it is applied. JSON lines, mode 0600, rewritten atomically at each
//! step, so a crash leaves a journal that `--resume` and `rollback` can read.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::{GroupPlan, ResetPlan, Tp};

pub const JOURNAL_VERSION: u32 = 1;

/// One partition's offset; `None`: no committed offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: Option<i64>,
}

impl SavedOffset {
    pub fn tp(&self) -> Tp {
        (self.topic.clone(), self.partition)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupStatus {
    /// Every target is committed (read back where the answer was ambiguous).
    Applied,
    /// Nothing needed writing.
    AlreadyAtTarget,
    /// The broker refused (e.g. live members); nothing written.
    Refused,
    /// Failed; some partitions may be written (re-read to know).
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum JournalEntry {
    Header {
        version: u32,
        /// `offsets reset`, `offsets rollback`, ...
        command: String,
        cluster: String,
        created_at_ms: i64,
        /// The journal this run undoes, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        undoes: Option<String>,
        /// The topology file the run used (absolute), so `rollback` can find it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topology: Option<String>,
    },
    Group {
        group: String,
        before: Vec<SavedOffset>,
        target: Vec<SavedOffset>,
    },
    Result {
        group: String,
        status: GroupStatus,
        at_ms: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a journal line: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// A journal on disk and in memory.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    entries: Vec<JournalEntry>,
}

/// One group as the journal recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournaledGroup {
    pub group: String,
    pub before: Vec<SavedOffset>,
    pub target: Vec<SavedOffset>,
    /// The last result line, if the group got that far.
    pub status: Option<GroupStatus>,
}

impl Journal {
    /// Writes a new journal holding the header and every group the plan writes (its
    /// previous and target offsets). Refuses to overwrite an existing file.
    pub fn create(
        path: &Path,
        command: &str,
        plan: &ResetPlan,
        undoes: Option<&Path>,
        topology: Option<&Path>,
    ) -> Result<Journal, JournalError> {
        if path.exists() {
            return Err(JournalError::Invalid {
                path: path.display().to_string(),
                message: "already exists; journals are never overwritten".into(),
            });
        }
        let mut entries = vec![JournalEntry::Header {
            version: JOURNAL_VERSION,
            command: command.to_string(),
            cluster: plan.cluster.clone(),
            created_at_ms: plan.planned_at_ms,
            undoes: undoes.map(|p| p.display().to_string()),
            topology: topology.map(|p| {
                std::path::absolute(p)
                    .unwrap_or_else(|_| p.to_path_buf())
                    .display()
                    .to_string()
            }),
        }];
        entries.extend(plan.groups.iter().filter_map(group_entry));
        let j = Journal {
            path: path.to_path_buf(),
            entries,
        };
        j.save()?;
        Ok(j)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends result lines and rewrites the file atomically.
    pub fn record(
        &mut self,
        results: impl IntoIterator<Item = (String, GroupStatus, Option<String>)>,
        at_ms: i64,
    ) -> Result<(), JournalError> {
        for (group, status, error) in results {
            self.entries.push(JournalEntry::Result {
                group,
                status,
                at_ms,
                error,
            });
        }
        self.save()
    }

    fn save(&self) -> Result<(), JournalError> {
        let mut text = String::new();
        for e in &self.entries {
            text.push_str(&serde_json::to_string(e).expect("journal entries serialize"));
            text.push('\n');
        }
        crate::fsutil::write_private(&self.path, &text).map_err(|source| JournalError::Io {
            path: self.path.display().to_string(),
            source,
        })
    }

    /// Reads a journal; every line must parse and the first must be a header.
    pub fn load(path: &Path) -> Result<Journal, JournalError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| JournalError::Io {
            path: shown.clone(),
            source,
        })?;
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: JournalEntry = serde_json::from_str(line).map_err(|e| JournalError::Parse {
                path: shown.clone(),
                line: i + 1,
                message: e.to_string(),
            })?;
            entries.push(e);
        }
        match entries.first() {
            Some(JournalEntry::Header { version, .. }) if *version == JOURNAL_VERSION => {}
            Some(JournalEntry::Header { version, .. }) => {
                return Err(JournalError::Invalid {
                    path: shown,
                    message: format!(
                        "journal version {version}; this build reads {JOURNAL_VERSION}"
                    ),
                })
            }
            _ => {
                return Err(JournalError::Invalid {
                    path: shown,
                    message: "no header line: not a kafka-failover journal".into(),
                })
            }
        }
        Ok(Journal {
            path: path.to_path_buf(),
            entries,
        })
    }

    pub fn cluster(&self) -> &str {
        match &self.entries[0] {
            JournalEntry::Header { cluster, .. } => cluster,
            _ => unreachable!("load and create put the header first"),
        }
    }

    pub fn command(&self) -> &str {
        match &self.entries[0] {
            JournalEntry::Header { command, .. } => command,
            _ => unreachable!("load and create put the header first"),
        }
    }

    pub fn topology(&self) -> Option<&str> {
        match &self.entries[0] {
            JournalEntry::Header { topology, .. } => topology.as_deref(),
            _ => None,
        }
    }

    /// Groups in journal order, each with its last result.
    pub fn groups(&self) -> Vec<JournaledGroup> {
        let mut out: Vec<JournaledGroup> = Vec::new();
        for e in &self.entries {
            match e {
                JournalEntry::Group {
                    group,
                    before,
                    target,
                } => out.push(JournaledGroup {
                    group: group.clone(),
                    before: before.clone(),
                    target: target.clone(),
                    status: None,
                }),
                JournalEntry::Result { group, status, .. } => {
                    if let Some(g) = out.iter_mut().find(|g| &g.group == group) {
                        g.status = Some(*status);
                    }
                }
                JournalEntry::Header { .. } => {}
            }
        }
        out
    }
}

/// The journal line of a group the plan writes to, or `None` if it writes nothing.
fn group_entry(g: &GroupPlan) -> Option<JournalEntry> {
    let writes = g.writes();
    if writes.is_empty() {
        return None;
    }
    let before = writes
        .iter()
        .map(|((t, p), _)| SavedOffset {
            topic: t.clone(),
            partition: *p,
            offset: g
                .partitions
                .iter()
                .find(|r| &r.topic == t && r.partition == *p)
                .and_then(|r| r.current),
        })
        .collect();
    let target = writes
        .iter()
        .map(|((t, p), o)| SavedOffset {
            topic: t.clone(),
            partition: *p,
            offset: *o,
        })
        .collect();
    Some(JournalEntry::Group {
        group: g.group.clone(),
        before,
        target,
    })
}

/// A default journal path: `kafka-failover-<what>-<cluster>-<UTC time>.journal.jsonl`
/// in `dir`.
pub fn default_path(dir: &Path, what: &str, cluster: &str, at_ms: i64) -> PathBuf {
    let stamp = crate::clock::file_stamp(at_ms);
    let safe = crate::fsutil::safe_name(cluster);
    dir.join(format!(
        "kafka-failover-{what}-{safe}-{stamp}.journal.jsonl"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::model::{Action, PartitionPlan};

    fn plan() -> ResetPlan {
        let row = |p, current, target, action| PartitionPlan {
            topic: "t".into(),
            partition: p,
            current,
            target,
            log_start: Some(0),
            log_end: Some(100),
            delta: None,
            action,
            reason: String::new(),
            confidence: None,
            checkpoint_age_ms: None,
        };
        ResetPlan {
            cluster: "c".into(),
            planned_at_ms: 1_700_000_000_000,
            groups: vec![
                GroupPlan {
                    group: "g".into(),
                    strategy: "to-earliest".into(),
                    state: None,
                    members: None,
                    refused: None,
                    partitions: vec![
                        row(0, Some(5), Some(0), Action::Set),
                        row(1, None, Some(0), Action::Set),
                        row(2, Some(0), Some(0), Action::AlreadyAtTarget),
                    ],
                },
                GroupPlan {
                    group: "noop".into(),
                    strategy: "to-earliest".into(),
                    state: None,
                    members: None,
                    refused: None,
                    partitions: vec![row(0, Some(0), Some(0), Action::AlreadyAtTarget)],
                },
            ],
        }
    }

    #[test]
    fn round_trip_with_results_and_private_mode() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let path = default_path(d.path(), "reset", "east/1", 1_700_000_000_000);
        assert!(path
            .to_string_lossy()
            .contains("reset-east_1-20231114T221320.000Z"));
        let mut j = Journal::create(&path, "offsets reset", &plan(), None, None).unwrap();
        assert!(Journal::create(&path, "offsets reset", &plan(), None, None).is_err());
        j.record([("g".to_string(), GroupStatus::Applied, None)], 1)
            .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = Journal::load(&path).unwrap();
        assert_eq!(back.cluster(), "c");
        assert_eq!(back.command(), "offsets reset");
        let groups = back.groups();
        assert_eq!(
            groups.len(),
            1,
            "a group with nothing to write is not journaled"
        );
        assert_eq!(groups[0].status, Some(GroupStatus::Applied));
        assert_eq!(
            groups[0]
                .before
                .iter()
                .map(|s| s.offset)
                .collect::<Vec<_>>(),
            vec![Some(5), None]
        );
        assert_eq!(
            groups[0]
                .target
                .iter()
                .map(|s| s.offset)
                .collect::<Vec<_>>(),
            vec![Some(0), Some(0)]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("j");
        std::fs::write(&p, "{\"kind\":\"header\",\"version\":1,\"command\":\"x\",\"cluster\":\"c\",\"created_at_ms\":0}\nnope\n").unwrap();
        let e = Journal::load(&p).unwrap_err().to_string();
        assert!(e.contains(":2: not a journal line"), "{e}");
        std::fs::write(
            &p,
            "{\"kind\":\"result\",\"group\":\"g\",\"status\":\"applied\",\"at_ms\":0}\n",
        )
        .unwrap();
        assert!(Journal::load(&p)
            .unwrap_err()
            .to_string()
            .contains("no header"));
    }
}
