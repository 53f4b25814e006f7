//! The drill's timed phases: its own steps and the runbooks' steps, as report data.

use std::time::Instant;

use super::DrillOptions;
use crate::runbook::execute::RunReport;
use crate::runbook::report::{PhaseReport, StepTiming};

/// Drill steps of its own (outside the runbooks), timed.
pub(super) struct Phase {
    name: String,
    t0: Instant,
    pub(super) steps: Vec<StepTiming>,
}

impl Phase {
    pub(super) fn new(name: &str) -> Phase {
        Phase {
            name: name.into(),
            t0: Instant::now(),
            steps: Vec::new(),
        }
    }
    pub(super) fn step<T>(
        &mut self,
        o: &DrillOptions<'_>,
        id: &str,
        title: &str,
        f: impl FnOnce() -> anyhow::Result<(T, String)>,
    ) -> anyhow::Result<T> {
        (o.progress)(&format!("{}: {title}", self.name));
        let t = Instant::now();
        let r = f();
        let ms = t.elapsed().as_millis() as u64;
        let (status, detail) = match &r {
            Ok((_, d)) => ("done", d.clone()),
            Err(e) => ("failed", format!("{e:#}")),
        };
        self.steps.push(StepTiming {
            id: id.into(),
            title: title.into(),
            status: status.into(),
            ms,
            detail,
        });
        r.map(|(v, _)| v)
    }
    pub(super) fn done(self) -> PhaseReport {
        PhaseReport {
            name: self.name,
            ms: self.t0.elapsed().as_millis() as u64,
            steps: self.steps,
        }
    }
}

pub(super) fn phase_of_run(name: &str, r: &RunReport) -> PhaseReport {
    let mut steps = vec![StepTiming {
        id: "run-lock".into(),
        title: "take (and at the end release) the run lock on the surviving cluster".into(),
        status: "done".into(),
        ms: r.lock_ms,
        detail: String::new(),
    }];
    steps.extend(r.steps.iter().map(|s| StepTiming {
        id: s.id.clone(),
        title: s.title.clone(),
        status: s.status.as_str().into(),
        ms: s.ms,
        detail: s.detail.clone(),
    }));
    PhaseReport {
        name: name.into(),
        ms: r.ms,
        steps,
    }
}
