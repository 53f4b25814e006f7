//! A run's journal: the plan it ran, each step as it started and ended (with the
//! offsets and mirror journals it wrote), and how the run ended. `--resume` skips the
//! steps it records as done; `rollback` undoes them last first.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::RunPlan;
use crate::fsutil::JsonLines;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entry", rename_all = "kebab-case")]
pub enum RunEntry {
    Header {
        version: u32,
        run_id: String,
        created_at_ms: i64,
        /// The topology file the run was started with.
        topology: PathBuf,
        plan: Box<RunPlan>,
    },
    /// A step began (a run that stops here is resumed from this step).
    Started { id: String, at_ms: i64 },
    /// A step wrote a journal of its own (recorded before it changes anything, so a
    /// resumed step continues that journal).
    Wrote { id: String, artifact: Artifact },
    /// A step ended.
    Ended {
        id: String,
        status: StepStatus,
        ms: u64,
        detail: String,
        /// Offsets and mirror journals the step wrote.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        artifacts: Vec<Artifact>,
        #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
        data: serde_json::Value,
    },
    /// The run ended (done, failed, interrupted).
    Finished { status: String, at_ms: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Done,
    Skipped,
    /// Done, with something the operator must read (e.g. no headroom).
    Warning,
    Failed,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Skipped => "skipped",
            StepStatus::Warning => "warning",
            StepStatus::Failed => "failed",
        }
    }
    /// The step need not run again on resume.
    pub fn settled(self) -> bool {
        !matches!(self, StepStatus::Failed)
    }
}

/// A journal a step wrote, which `rollback` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Artifact {
    Offsets { path: PathBuf, cluster: String },
    Mirror { path: PathBuf, mirror: String },
}

/// The run journal file.
#[derive(Debug)]
pub struct RunJournal {
    file: JsonLines<RunEntry>,
}

impl RunJournal {
    pub fn create(
        path: &Path,
        run_id: &str,
        topology: &Path,
        plan: &RunPlan,
        at_ms: i64,
    ) -> std::io::Result<RunJournal> {
        let first = RunEntry::Header {
            version: 1,
            run_id: run_id.into(),
            created_at_ms: at_ms,
            topology: topology.to_path_buf(),
            plan: Box::new(plan.clone()),
        };
        Ok(RunJournal {
            file: JsonLines::create(path, first)?,
        })
    }

    pub fn load(path: &Path) -> Result<RunJournal, String> {
        let file = JsonLines::load(path, "run journal")?;
        if !matches!(file.entries().first(), Some(RunEntry::Header { .. })) {
            return Err(format!(
                "{}: not a kafka-failover run journal",
                path.display()
            ));
        }
        Ok(RunJournal { file })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn record(&mut self, e: RunEntry) -> std::io::Result<()> {
        self.file.record(e)
    }

    fn header(&self) -> (&str, &Path, &RunPlan) {
        match self.file.entries().first() {
            Some(RunEntry::Header {
                run_id,
                topology,
                plan,
                ..
            }) => (run_id, topology, plan),
            _ => unreachable!("load and create guarantee a header"),
        }
    }

    pub fn run_id(&self) -> &str {
        self.header().0
    }

    pub fn topology(&self) -> &Path {
        self.header().1
    }

    pub fn plan(&self) -> &RunPlan {
        self.header().2
    }

    /// The last end recorded for each step id.
    pub fn ended(&self) -> Vec<(&str, StepStatus, &[Artifact])> {
        let mut out: Vec<(&str, StepStatus, &[Artifact])> = Vec::new();
        for e in self.file.entries() {
            if let RunEntry::Ended {
                id,
                status,
                artifacts,
                ..
            } = e
            {
                out.retain(|(i, _, _)| *i != id.as_str());
                out.push((id, *status, artifacts));
            }
        }
        out
    }

    /// Whether step `id` ended in a settled state.
    pub fn settled(&self, id: &str) -> bool {
        self.ended().iter().any(|(i, s, _)| *i == id && s.settled())
    }

    /// Every journal the steps wrote, in the order written.
    pub fn artifacts(&self) -> Vec<(String, Artifact)> {
        let mut out: Vec<(String, Artifact)> = Vec::new();
        let mut add = |id: &String, a: &Artifact| {
            if !out.iter().any(|(_, x)| x == a) {
                out.push((id.clone(), a.clone()));
            }
        };
        for e in self.file.entries() {
            match e {
                RunEntry::Wrote { id, artifact } => add(id, artifact),
                RunEntry::Ended { id, artifacts, .. } => artifacts.iter().for_each(|a| add(id, a)),
                _ => {}
            }
        }
        out
    }

    /// The journals step `id` wrote.
    pub fn artifacts_of(&self, id: &str) -> Vec<Artifact> {
        self.artifacts()
            .into_iter()
            .filter(|(i, _)| i == id)
            .map(|(_, a)| a)
            .collect()
    }

    pub fn finished(&self) -> Option<&str> {
        self.file.entries().iter().rev().find_map(|e| match e {
            RunEntry::Finished { status, .. } => Some(status.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::plan::{RunRequest, Runbook};
    use crate::topology::Pattern;

    fn plan() -> RunPlan {
        RunPlan {
            request: RunRequest {
                runbook: Runbook::Failover,
                dc: "dc-a".into(),
                planned: false,
                switch: false,
                extra_groups: vec![],
            },
            topology: "t".into(),
            pattern: Pattern::ActivePassive,
            lock_cluster: "b".into(),
            at_ms: 1,
            steps: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn records_steps_and_reloads_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jsonl");
        let mut j = RunJournal::create(&path, "r1", Path::new("t.yaml"), &plan(), 5).unwrap();
        j.record(RunEntry::Started {
            id: "a".into(),
            at_ms: 6,
        })
        .unwrap();
        j.record(RunEntry::Ended {
            id: "a".into(),
            status: StepStatus::Failed,
            ms: 1,
            detail: "x".into(),
            artifacts: vec![],
            data: serde_json::Value::Null,
        })
        .unwrap();
        j.record(RunEntry::Ended {
            id: "a".into(),
            status: StepStatus::Done,
            ms: 1,
            detail: "y".into(),
            artifacts: vec![Artifact::Offsets {
                path: "o.jsonl".into(),
                cluster: "b".into(),
            }],
            data: serde_json::Value::Null,
        })
        .unwrap();
        let back = RunJournal::load(&path).unwrap();
        assert_eq!(back.run_id(), "r1");
        assert_eq!(back.plan(), &plan());
        assert!(back.settled("a"));
        assert!(!back.settled("b"));
        assert_eq!(back.artifacts().len(), 1);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(RunJournal::create(&path, "r2", Path::new("t"), &plan(), 1).is_err());
    }

    #[test]
    fn a_file_without_header_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        std::fs::write(
            &path,
            "{\"entry\":\"finished\",\"status\":\"done\",\"at_ms\":1}\n",
        )
        .unwrap();
        let e = RunJournal::load(&path).unwrap_err();
        assert!(e.contains("not a kafka-failover run journal"), "{e}");
        std::fs::write(&path, "garbage\n").unwrap();
        let e = RunJournal::load(&path).unwrap_err();
        assert!(e.contains(":1: not a run journal line"), "{e}");
    }
}
