//! `mirror status`: every mirror at once, the driver's view and what the clusters say.

use std::time::Duration;

use serde::Serialize;

use super::{driver_options, mirror};
use crate::cli::load_topology;
use crate::cli::mirror_args::MirrorStatusArgs;
use crate::cli::output::Printer;
use crate::exit::ExitCode;
use crate::mirror::driver_for;
use crate::mirror::observe::{observe, MirrorObservation, Reach};
use crate::mirror::MirrorRuntimeStatus;
use crate::topology::{Mirror, ReplicationPolicy, Topology};

/// `mirror status`, one mirror.
#[derive(Debug, Serialize)]
struct MirrorReport {
    mirror: String,
    source: String,
    target: String,
    driver: &'static str,
    running: bool,
    healthy: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<MirrorRuntimeStatus>,
    #[serde(flatten)]
    observed: MirrorObservation,
    #[serde(skip_serializing_if = "Option::is_none")]
    cycle_risk: Option<String>,
    /// Why it is not healthy.
    reasons: Vec<String>,
}

pub(super) fn cycle_risk(t: &Topology, name: &str, m: &Mirror) -> Option<String> {
    let back = t
        .mirrors
        .iter()
        .find(|(_, r)| r.source == m.target && r.target == m.source)?;
    (m.replication_policy == ReplicationPolicy::Identity
        || back.1.replication_policy == ReplicationPolicy::Identity)
        .then(|| {
            format!(
                "`{name}` and `{}` mirror in opposite directions and one uses the identity policy: only one may run, or records loop",
                back.0
            )
        })
}

fn report_for(t: &Topology, name: &str, m: &Mirror, a: &MirrorStatusArgs) -> MirrorReport {
    let reach = Reach {
        overrides: &a.connect.client_properties,
        timeout: a.connect.timeout,
        gone: None,
    };
    let runtime = driver_for(name, m, &driver_options(a.connect.timeout)).and_then(|d| d.status());
    let observed = observe(t, m, &reach);
    let mut reasons: Vec<String> = Vec::new();
    let running = match &runtime {
        Ok(r) => {
            if !r.is_running() {
                reasons.push("not running".into());
            }
            r.is_running()
        }
        Err(e) => {
            reasons.push(format!("driver: {e}"));
            false
        }
    };
    reasons.extend(observed.problems.iter().cloned());
    if let (Some(max), Some(lag)) = (
        t.targets.as_ref().and_then(|x| x.max_mirror_lag),
        observed.total_lag,
    ) {
        if lag as u64 > max {
            reasons.push(format!(
                "lag {lag} records exceeds targets.max-mirror-lag {max}"
            ));
        }
    }
    let max_age = t
        .targets
        .as_ref()
        .and_then(|x| x.max_checkpoint_age.as_deref())
        .and_then(|s| humantime::parse_duration(s).ok());
    if let Some(max) = max_age {
        match observed.newest_checkpoint_age_ms {
            Some(age) if age as u128 > max.as_millis() => reasons.push(format!(
                "newest checkpoint is {} old, over targets.max-checkpoint-age {}",
                humantime::format_duration(Duration::from_secs(age as u64 / 1000)),
                humantime::format_duration(max)
            )),
            None => reasons.push("no checkpoint yet".into()),
            _ => {}
        }
    }
    let cycle = cycle_risk(t, name, m);
    MirrorReport {
        mirror: name.to_string(),
        source: m.source.clone(),
        target: m.target.clone(),
        driver: m.driver.kind(),
        running,
        healthy: reasons.is_empty(),
        runtime: runtime.ok(),
        observed,
        cycle_risk: cycle,
        reasons,
    }
}

fn age(ms: Option<i64>) -> String {
    ms.map_or_else(
        || "-".into(),
        |a| {
            format!(
                "{} ago",
                humantime::format_duration(Duration::from_secs(a as u64 / 1000))
            )
        },
    )
}

pub(super) fn status(a: &MirrorStatusArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    for n in &a.mirrors {
        mirror(t, n)?;
    }
    let names: Vec<&String> = t
        .mirrors
        .keys()
        .filter(|n| a.mirrors.is_empty() || a.mirrors.contains(n))
        .collect();
    let reports: Vec<MirrorReport> = std::thread::scope(|s| {
        let hs: Vec<_> = names
            .iter()
            .map(|n| s.spawn(|| report_for(t, n, &t.mirrors[*n], a)))
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("status thread"))
            .collect()
    });
    if p.is_table() {
        let mut out = String::new();
        for r in &reports {
            out.push_str(&format!(
                "{} ({} -> {}, {}): {}{}\n",
                r.mirror,
                r.source,
                r.target,
                r.driver,
                if r.healthy { "healthy" } else { "NOT HEALTHY" },
                if r.reasons.is_empty() {
                    String::new()
                } else {
                    format!(": {}", r.reasons.join("; "))
                }
            ));
            out.push_str(&format!(
                "  lag {} records; newest checkpoint {}; newest offset sync {}\n",
                r.observed.total_lag.map_or("?".into(), |l| l.to_string()),
                age(r.observed.newest_checkpoint_age_ms),
                age(r.observed.newest_offset_sync_age_ms)
            ));
            if let Some(c) = &r.cycle_risk {
                out.push_str(&format!("  cycle risk: {c}\n"));
            }
            if let Some(rt) = &r.runtime {
                let mut tbl = p.table(&["CONNECTOR / FLOW", "KIND", "STATE", "TASKS"]);
                for c in &rt.connectors {
                    let tasks: Vec<String> = c
                        .tasks
                        .iter()
                        .map(|x| format!("{}:{}", x.id, x.state.as_str()))
                        .collect();
                    tbl.add_row(vec![
                        c.name.clone(),
                        c.kind.map_or("-".into(), |k| k.as_str().to_string()),
                        c.state.as_str().to_string(),
                        tasks.join(" "),
                    ]);
                }
                for f in &rt.flows {
                    tbl.add_row(vec![
                        f.label(),
                        "flow".into(),
                        if f.enabled {
                            "ENABLED".into()
                        } else {
                            "DISABLED".into()
                        },
                        "-".into(),
                    ]);
                }
                out.push_str(&format!("{tbl}\n"));
                for n in &rt.notes {
                    out.push_str(&format!("  note: {n}\n"));
                }
            }
            let mut tbl = p.table(&[
                "SOURCE TOPIC",
                "TARGET TOPIC",
                "PARTITIONS",
                "SOURCE END",
                "TARGET END",
                "LAG",
            ]);
            for x in &r.observed.topics {
                tbl.add_row(vec![
                    x.source_topic.clone(),
                    x.target_topic.clone(),
                    x.partitions.to_string(),
                    x.source_end.to_string(),
                    x.target_end.map_or("missing".into(), |v| v.to_string()),
                    x.lag.map_or("-".into(), |v| v.to_string()),
                ]);
            }
            out.push_str(&format!("{tbl}\n"));
        }
        p.data(&out)?;
    } else {
        p.structured(&reports)?;
    }
    Ok(if reports.iter().all(|r| r.healthy) {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}
