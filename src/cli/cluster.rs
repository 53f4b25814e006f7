//! `cluster status`: every selected cluster is asked at once, each within the timeout.

use super::args::{ClusterCommand, ClusterStatusArgs};
use super::output::Printer;
use super::{load_topology, select_clusters};
use crate::cluster::{assess, ClusterStatus};
use crate::exit::ExitCode;
use crate::kafka::{cluster_settings, AdminClient, ClusterSnapshot};
use crate::topology::Topology;

pub fn run(c: ClusterCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        ClusterCommand::Status(a) => status(&a, p),
    }
}

fn status(a: &ClusterStatusArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    let names = select_clusters(t, &a.clusters)?;
    let statuses: Vec<ClusterStatus> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| s.spawn(move || status_of(t, name, a, p)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("status thread panicked"))
            .collect()
    });
    if p.is_table() {
        p.data(&render(&statuses, p))?;
    } else {
        p.structured(&statuses)?;
    }
    Ok(if statuses.iter().all(|s| s.healthy) {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}

fn status_of(t: &Topology, name: &str, a: &ClusterStatusArgs, p: &Printer) -> ClusterStatus {
    let cluster = &t.clusters[name];
    p.debug(
        1,
        &format!("cluster `{name}`: connecting to {}", cluster.bootstrap),
    );
    let settings = match cluster_settings(
        name,
        cluster,
        &a.connect.client_properties,
        a.connect.timeout,
    ) {
        Ok(s) => s,
        Err(e) => return ClusterStatus::unreachable(name, cluster, e.to_string()),
    };
    let snapshot = AdminClient::new(settings)
        .map_err(|e| format!("cannot configure the client: {e}"))
        .and_then(|admin| {
            ClusterSnapshot::take(&admin, a.connect.timeout).map_err(|e| e.to_string())
        });
    match snapshot {
        Ok(snap) => {
            p.debug(
                1,
                &format!("cluster `{name}`: snapshot in {} ms", snap.took_ms),
            );
            assess(t, name, &snap)
        }
        Err(reason) => ClusterStatus::unreachable(name, cluster, reason),
    }
}

fn render(statuses: &[ClusterStatus], p: &Printer) -> String {
    let mut t = p.table(&[
        "CLUSTER",
        "STATUS",
        "BROKERS PER DC",
        "CONTROLLER (REPORTED)",
        "TOPICS",
        "PARTITIONS",
        "UNDER-REPLICATED",
        "OFFLINE",
        "UNDER MIN ISR",
        "GROUPS",
    ]);
    for s in statuses {
        let status = match (s.reachable, s.healthy) {
            (false, _) => "unreachable",
            (true, true) => "healthy",
            (true, false) => "unhealthy",
        };
        let per_dc = s
            .brokers_per_dc
            .iter()
            .map(|(dc, ids)| format!("{dc}: {}", ids.len()))
            .collect::<Vec<_>>()
            .join(", ");
        let groups = match &s.groups_by_state {
            Some(m) if m.is_empty() => "none".to_string(),
            Some(m) => m
                .iter()
                .map(|(st, n)| format!("{st}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            None => "n/a".to_string(),
        };
        let num = |n: usize| {
            if s.reachable {
                n.to_string()
            } else {
                "-".into()
            }
        };
        t.add_row(vec![
            s.cluster.clone(),
            status.to_string(),
            if per_dc.is_empty() {
                "-".into()
            } else {
                per_dc
            },
            s.controller_id.map_or("-".into(), |c| c.to_string()),
            num(s.topics),
            num(s.partitions),
            num(s.under_replicated.len()),
            num(s.offline.len()),
            num(s.under_min_isr.len()),
            groups,
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    for s in statuses {
        for problem in &s.problems {
            out.push_str(&format!("{}: {problem}\n", s.cluster));
        }
        if let Some(note) = &s.groups_note {
            out.push_str(&format!("{}: note: {note}\n", s.cluster));
        }
    }
    out
}
