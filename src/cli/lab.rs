//! `lab up`: clusters shaped like a topology, until Ctrl-C or `--for`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use super::args::{LabCommand, LabEngine, LabUpArgs};
use super::load_topology;
use super::output::Printer;
use crate::exit::{ExitCode, Failure};
use crate::lab::kafka_process::locate_kafka_libs;
use crate::lab::{KafkaLab, LabOptions, LabPlan, MockLab};

pub fn run(c: LabCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        LabCommand::Up(a) => up(&a, p),
    }
}

#[derive(Serialize)]
struct LabCluster<'a> {
    cluster: &'a str,
    bootstrap: &'a str,
    brokers: Vec<LabBrokerView<'a>>,
    topics: Vec<&'a str>,
    groups: Vec<&'a str>,
}

#[derive(Serialize)]
struct LabBrokerView<'a> {
    id: i32,
    datacenter: &'a str,
    rack: Option<&'a str>,
}

#[derive(Serialize)]
struct LabReport<'a> {
    engine: &'static str,
    topology_file: Option<String>,
    /// The lab's Connect REST subset (mock engine, topologies with mirrors).
    connect_url: Option<&'a str>,
    clusters: Vec<LabCluster<'a>>,
    mirrors: &'a [crate::lab::plan::LabMirror],
    notes: &'a [String],
}

/// `--kafka-libs DIR`, or the jars `scripts/fetch-kafka` cached.
pub(super) fn kafka_libs(flag: Option<&std::path::PathBuf>) -> anyhow::Result<std::path::PathBuf> {
    match flag {
        Some(dir) => Ok(dir.clone()),
        None => locate_kafka_libs().map_err(|e| {
            Failure::Usage(format!(
                "{e:#}; pass --kafka-libs DIR or run scripts/fetch-kafka"
            ))
            .into()
        }),
    }
}

fn up(a: &LabUpArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let opts = LabOptions {
        partitions: a.partitions,
        records_per_partition: a.records,
        min_brokers: a.brokers as usize,
    };
    p.note(&format!(
        "starting the lab for `{}` ({} cluster{})…",
        loaded.topology.name,
        loaded.topology.clusters.len(),
        if loaded.topology.clusters.len() == 1 {
            ""
        } else {
            "s"
        }
    ));
    let started = Instant::now();
    // Each engine's lab lives until the end of its arm: dropping it stops everything.
    match a.engine {
        LabEngine::Mock => {
            let lab = MockLab::start(&loaded.topology, &opts).context("starting the mock lab")?;
            serve(
                p,
                a,
                "mock",
                started,
                &lab.plan,
                &lab.bootstrap,
                lab.connect_url.as_deref(),
                &lab.topology_yaml()?,
            )?;
        }
        LabEngine::Kafka => {
            let libs = kafka_libs(a.kafka_libs.as_ref())?;
            let lab = KafkaLab::start(&loaded.topology, &opts, &libs)
                .context("starting the Kafka lab")?;
            serve(
                p,
                a,
                "kafka",
                started,
                &lab.plan,
                &lab.bootstrap,
                // One worker per mirror: the URL when there is one; the notes list all.
                (lab.connect_urls.len() == 1)
                    .then(|| lab.connect_urls.values().next().map(String::as_str))
                    .flatten(),
                &lab.topology_yaml()?,
            )?;
        }
    }
    p.note("stopping the lab");
    Ok(ExitCode::Ok)
}

/// Writes the pointed topology, prints the lab, and waits until it should stop.
#[allow(clippy::too_many_arguments)]
fn serve(
    p: &Printer,
    a: &LabUpArgs,
    engine: &'static str,
    started: Instant,
    plan: &LabPlan,
    bootstrap: &BTreeMap<String, String>,
    connect_url: Option<&str>,
    topology_yaml: &str,
) -> anyhow::Result<()> {
    p.debug(
        1,
        &format!("lab up in {} ms", started.elapsed().as_millis()),
    );
    if let Some(path) = &a.write_topology {
        crate::fsutil::write_private(path, topology_yaml)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    report(p, engine, plan, bootstrap, connect_url, a)?;
    wait(p, a.run_for);
    Ok(())
}

fn report(
    p: &Printer,
    engine: &'static str,
    plan: &LabPlan,
    bootstrap: &BTreeMap<String, String>,
    connect_url: Option<&str>,
    a: &LabUpArgs,
) -> anyhow::Result<()> {
    let clusters: Vec<LabCluster> = plan
        .clusters
        .iter()
        .map(|c| LabCluster {
            cluster: &c.name,
            bootstrap: &bootstrap[&c.name],
            brokers: c
                .brokers
                .iter()
                .map(|b| LabBrokerView {
                    id: b.id,
                    datacenter: &b.datacenter,
                    rack: b.rack.as_deref(),
                })
                .collect(),
            topics: c.topics.iter().map(|t| t.name.as_str()).collect(),
            groups: c.groups.iter().map(|g| g.id.as_str()).collect(),
        })
        .collect();
    let rep = LabReport {
        engine,
        topology_file: a.write_topology.as_ref().map(|p| p.display().to_string()),
        connect_url,
        clusters,
        mirrors: &plan.mirrors,
        notes: &plan.notes,
    };
    if !p.is_table() {
        return p.structured(&rep);
    }
    let mut t = p.table(&[
        "CLUSTER",
        "BOOTSTRAP",
        "BROKERS (id dc/rack)",
        "TOPICS",
        "GROUPS",
    ]);
    for c in &rep.clusters {
        t.add_row(vec![
            c.cluster.to_string(),
            c.bootstrap.to_string(),
            c.brokers
                .iter()
                .map(|b| format!("{} {}/{}", b.id, b.datacenter, b.rack.unwrap_or("-")))
                .collect::<Vec<_>>()
                .join(", "),
            c.topics.join(", "),
            if c.groups.is_empty() {
                "-".into()
            } else {
                c.groups.join(", ")
            },
        ]);
    }
    let mut out = format!("lab `{engine}` engine\n{t}\n");
    if let Some(f) = &rep.topology_file {
        out.push_str(&format!("topology pointed at the lab: {f}\n"));
    }
    for m in rep.mirrors {
        let how = match rep.connect_url {
            Some(url) => format!("run by the lab's mirror, Connect REST at {url}"),
            None => "planned, not run".to_string(),
        };
        out.push_str(&format!(
            "mirror {}: {} -> {} ({} topics; {how})\n",
            m.name,
            m.source,
            m.target,
            m.topics.len()
        ));
    }
    for n in rep.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    p.data(&out)?;
    Ok(())
}

/// Blocks until Ctrl-C / SIGTERM or until `run_for` has passed.
fn wait(p: &Printer, run_for: Option<Duration>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Only one handler per process; a second lab in one process just runs for its time.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    match run_for {
        Some(d) => p.note(&format!(
            "the lab runs for {}",
            humantime::format_duration(d)
        )),
        None => p.note("the lab is running; Ctrl-C stops it"),
    }
    let until = run_for.map(|d| Instant::now() + d);
    while !stop.load(Ordering::SeqCst) && until.is_none_or(|u| Instant::now() < u) {
        std::thread::sleep(Duration::from_millis(100));
    }
}
