//! `drill TOPOLOGY --lab`: start the embedded lab shaped like the topology, run a
//! failover and a failback on it, and report (terminal table, and JSON / JUnit XML /
//! Markdown in `--report-dir`). Exit 0 only when the drill met the topology's targets.

use std::time::Instant;

use anyhow::Context;

use super::args::LabEngine;
use super::load_topology;
use super::output::Printer;
use super::runbook_args::DrillArgs;
use crate::exit::{ExitCode, Failure};
use crate::lab::plan::with_extra_groups;
use crate::lab::{KafkaLab, Lab, LabOptions, MockLab};
use crate::runbook::drill::{run_drill, DrillOptions};
use crate::runbook::report::{render_table, to_json, write_reports, DrillReport};

pub fn run(a: &DrillArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    if !a.lab {
        return Err(Failure::Usage(
            "drill runs on the embedded lab: add --lab (a drill against the topology's own clusters is `failover --execute` then `failback --execute`)".into(),
        )
        .into());
    }
    let loaded = load_topology(&a.topology)?;
    let t = with_extra_groups(&loaded.topology, a.extra_groups);
    if let Some(dc) = &a.lost {
        if !t.datacenters.contains_key(dc) {
            let known: Vec<&str> = t.datacenters.keys().map(String::as_str).collect();
            return Err(Failure::Usage(format!(
                "--lost {dc}: no such datacenter in the topology; datacenters: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    let state = match &a.state_dir {
        Some(d) => d.clone(),
        None => tempfile::Builder::new()
            .prefix("kafka-failover-drill-")
            .tempdir()?
            .keep(),
    };
    let mut opts = LabOptions::default();
    if let Some(b) = a.brokers {
        opts.min_brokers = b as usize;
    } else if a.engine == LabEngine::Kafka {
        opts.min_brokers = 1;
    }
    let started = Instant::now();
    p.note(&format!(
        "starting the {} lab for `{}`…",
        match a.engine {
            LabEngine::Mock => "mock",
            LabEngine::Kafka => "real-Kafka",
        },
        t.name
    ));
    let say = p.sayer();
    let progress = |line: &str| p.note(line);
    let drill_opts = DrillOptions {
        lost_dc: a.lost.clone(),
        planned: a.planned,
        state_dir: state.clone(),
        wait: a.wait,
        overrides: &a.connect.client_properties,
        timeout: a.connect.timeout,
        interrupted: super::interrupt_flag(),
        say: &say,
        progress: &progress,
    };
    let report = match a.engine {
        LabEngine::Mock => {
            let lab = MockLab::start(&t, &opts).context("starting the mock lab")?;
            p.debug(
                1,
                &format!("lab up in {} ms", started.elapsed().as_millis()),
            );
            drill(&lab, &drill_opts)?
        }
        LabEngine::Kafka => {
            let libs = super::lab::kafka_libs(a.kafka_libs.as_ref())?;
            let lab = KafkaLab::start(&t, &opts, &libs).context("starting the Kafka lab")?;
            p.note(&format!(
                "lab up in {:.0}s",
                started.elapsed().as_secs_f64()
            ));
            drill(&lab, &drill_opts)?
        }
    };
    p.note(&format!("run journals: {}", state.display()));
    if let Some(dir) = &a.report_dir {
        let files = write_reports(dir, &report)
            .with_context(|| format!("writing reports to {}", dir.display()))?;
        for f in files {
            p.note(&format!("report: {}", f.display()));
        }
    }
    if p.is_table() {
        p.data(&render_table(&report, p.stdout_is_terminal()))?;
    } else if p.format == super::args::OutputFormat::Json {
        p.data(&to_json(&report))?;
    } else {
        p.structured(&report)?;
    }
    Ok(if report.passed {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}

fn drill(lab: &(dyn Lab + Sync), o: &DrillOptions<'_>) -> anyhow::Result<DrillReport> {
    run_drill(lab, o)
}
