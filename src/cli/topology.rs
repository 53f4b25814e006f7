//! `topology validate|lint|schema|show`: offline, fast, CI-friendly.

use std::path::PathBuf;

use super::args::{DenyLevel, LintArgs, ShowArgs, TopologyCommand};
use super::output::Printer;
use crate::exit::{ExitCode, Failure};
use crate::topology::{self, finding, lint, Finding, LoadedTopology, Severity};

pub fn run(c: TopologyCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        TopologyCommand::Validate(a) => validate(&a.files, p),
        TopologyCommand::Lint(a) => lint_files(&a, p),
        TopologyCommand::Schema => schema(p),
        TopologyCommand::Show(a) => show(&a, p),
    }
}

/// Loads each file; returns the loaded topologies and every finding.
fn load_all(files: &[PathBuf]) -> (Vec<LoadedTopology>, Vec<Finding>) {
    let mut loaded = Vec::new();
    let mut findings = Vec::new();
    for f in files {
        match topology::load_file(f) {
            Ok(t) => loaded.push(t),
            Err(e) => findings.extend(e.findings),
        }
    }
    (loaded, findings)
}

fn print_findings(p: &Printer, findings: &[Finding], ok: &[&LoadedTopology]) -> anyhow::Result<()> {
    if !p.is_table() {
        return p.structured(findings);
    }
    let mut text = String::new();
    for f in findings {
        text.push_str(&p.finding_line(f));
        text.push('\n');
    }
    if !p.quiet {
        for t in ok {
            let tp = &t.topology;
            text.push_str(&format!(
                "{}: ok ({}, {})\n",
                t.file,
                tp.pattern.as_str(),
                [
                    count(tp.datacenters.len(), "datacenter"),
                    count(tp.clusters.len(), "cluster"),
                    count(tp.mirrors.len(), "mirror"),
                    count(tp.consumer_groups.len(), "consumer group"),
                ]
                .join(", ")
            ));
        }
    }
    if !text.is_empty() {
        p.data(&text)?;
    }
    Ok(())
}

fn summary(p: &Printer, files: usize, findings: &[Finding]) {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    if e + w > 0 {
        p.note(&format!(
            "{files} file{} checked: {e} error{}, {w} warning{}",
            plural(files),
            plural(e),
            plural(w)
        ));
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", plural(n))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn validate(files: &[PathBuf], p: &Printer) -> anyhow::Result<ExitCode> {
    let (loaded, mut findings) = load_all(files);
    finding::sort(&mut findings);
    let refs: Vec<&LoadedTopology> = loaded.iter().collect();
    print_findings(p, &findings, &refs)?;
    summary(p, files.len(), &findings);
    Ok(if findings.is_empty() {
        ExitCode::Ok
    } else {
        ExitCode::Usage
    })
}

fn lint_files(a: &LintArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    if a.list_rules {
        return list_rules(p);
    }
    let (loaded, mut findings) = load_all(&a.files);
    let invalid = !findings.is_empty();
    for t in &loaded {
        findings.extend(lint::lint(t));
    }
    finding::sort(&mut findings);
    let clean: Vec<&LoadedTopology> = loaded
        .iter()
        .filter(|t| {
            !findings
                .iter()
                .any(|f| f.file == t.file && f.severity != Severity::Note)
        })
        .collect();
    print_findings(p, &findings, &clean)?;
    summary(p, a.files.len(), &findings);
    let warned = findings.iter().any(|f| f.severity == Severity::Warning);
    Ok(if invalid {
        ExitCode::Usage
    } else if warned && a.deny == Some(DenyLevel::Warnings) {
        ExitCode::Problems
    } else {
        ExitCode::Ok
    })
}

fn list_rules(p: &Printer) -> anyhow::Result<ExitCode> {
    if !p.is_table() {
        let rules: Vec<serde_json::Value> = lint::RULES
            .iter()
            .map(|(id, why)| serde_json::json!({"rule": id, "explanation": why}))
            .collect();
        p.structured(&rules)?;
        return Ok(ExitCode::Ok);
    }
    let mut t = p.table(&["RULE", "WHY"]);
    for (id, why) in lint::RULES {
        t.add_row(vec![*id, *why]);
    }
    p.data(&t.to_string())?;
    Ok(ExitCode::Ok)
}

fn schema(p: &Printer) -> anyhow::Result<ExitCode> {
    let schema = schemars::schema_for!(topology::Topology);
    match p.format {
        super::args::OutputFormat::Yaml => p.structured(&schema)?,
        _ => p.data(&(serde_json::to_string_pretty(&schema)? + "\n"))?,
    }
    Ok(ExitCode::Ok)
}

fn show(a: &ShowArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = topology::load_file(&a.file).map_err(Failure::InvalidTopology)?;
    let t = &loaded.topology;
    if !p.is_table() {
        p.structured(t)?;
        return Ok(ExitCode::Ok);
    }
    let mut out = format!("{} ({})\n", t.name, t.pattern.as_str());
    if let Some(d) = &t.description {
        out.push_str(d.trim());
        out.push('\n');
    }
    let mut dcs = p.table(&["DATACENTER", "RACKS", "CLUSTERS", "CAPACITY (normal/max)"]);
    for (name, dc) in &t.datacenters {
        let clusters: Vec<&str> = t
            .clusters
            .iter()
            .filter(|(_, c)| c.dcs().contains(&name.as_str()))
            .map(|(n, _)| n.as_str())
            .collect();
        dcs.add_row(vec![
            name.clone(),
            dash(dc.racks.join(", ")),
            dash(clusters.join(", ")),
            dc.capacity
                .as_ref()
                .map_or("-".into(), |c| format!("{}/{}", c.normal, c.max)),
        ]);
    }
    let mut clusters = p.table(&[
        "CLUSTER",
        "DATACENTERS",
        "ROLE",
        "BOOTSTRAP",
        "TLS",
        "SECRETS",
    ]);
    for (name, c) in &t.clusters {
        clusters.add_row(vec![
            name.clone(),
            c.dcs().join(", "),
            c.role.map_or("-".into(), |r| r.as_str().to_string()),
            c.bootstrap.clone(),
            if c.uses_tls() { "yes" } else { "no" }.to_string(),
            // Names of secret properties only, never where or what they are.
            dash(c.secrets.keys().cloned().collect::<Vec<_>>().join(", ")),
        ]);
    }
    out.push_str(&format!("\n{dcs}\n\n{clusters}\n"));
    if !t.mirrors.is_empty() {
        let mut m = p.table(&["MIRROR", "FLOW", "RUNS IN", "POLICY", "DRIVER", "TOPICS"]);
        for (name, mirror) in &t.mirrors {
            m.add_row(vec![
                name.clone(),
                format!("{} -> {}", mirror.source, mirror.target),
                mirror.runs_in.clone(),
                format!("{:?}", mirror.replication_policy).to_lowercase(),
                mirror.driver.kind().to_string(),
                filter_text(&mirror.topics),
            ]);
        }
        out.push_str(&format!("\n{m}\n"));
    }
    if !t.consumer_groups.is_empty() {
        let mut g = p.table(&["GROUP", "MODE", "ACTIVE IN", "READS", "FAILOVER"]);
        for group in &t.consumer_groups {
            g.add_row(vec![
                match (&group.name, &group.pattern) {
                    (Some(n), _) => n.clone(),
                    (None, Some(pat)) => format!("/{pat}/"),
                    _ => "-".into(),
                },
                format!("{:?}", group.mode)
                    .to_lowercase()
                    .replace("singleactive", "single-active")
                    .replace("everydc", "every-dc"),
                group.active_in.join(", "),
                group
                    .reads
                    .map_or("-".into(), |r| format!("{r:?}").to_lowercase()),
                group
                    .failover
                    .as_ref()
                    .map_or("-".into(), |f| match &f.margin {
                        Some(m) => format!("{} (margin {m})", f.strategy.as_str()),
                        None => f.strategy.as_str().to_string(),
                    }),
            ]);
        }
        out.push_str(&format!("\n{g}\n"));
    }
    if let Some(pl) = &t.placement {
        out.push_str(&format!(
            "\nplacement: replication factor {}, min.insync.replicas {}, survive losing {} DC(s)\n",
            pl.replication_factor, pl.min_insync_replicas, pl.survive_dc_loss
        ));
    }
    p.data(&out)?;
    Ok(ExitCode::Ok)
}

fn dash(s: String) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

fn filter_text(f: &crate::topology::NameFilter) -> String {
    let inc = if f.include.is_empty() {
        "all".to_string()
    } else {
        f.include.join(", ")
    };
    if f.exclude.is_empty() {
        inc
    } else {
        format!("{inc} (except {})", f.exclude.join(", "))
    }
}
