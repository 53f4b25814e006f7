//! `ready`: the failover pre-flights for each DC, changing nothing; exit 1 with the
//! reasons when a failover away from some DC would not succeed now.

use super::load_topology;
use super::output::Printer;
use super::runbook_args::ReadyArgs;
use crate::exit::{ExitCode, Failure};
use crate::mirror::observe::Reach;
use crate::runbook::ready::ready;

pub fn run(a: &ReadyArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    for dc in &a.dcs {
        if !t.datacenters.contains_key(dc) {
            let known: Vec<&str> = t.datacenters.keys().map(String::as_str).collect();
            return Err(Failure::Usage(format!(
                "--dc {dc}: no such datacenter in the topology; datacenters: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    let reach = Reach {
        overrides: &a.connect.client_properties,
        timeout: a.connect.timeout,
        gone: None,
    };
    let r = ready(t, &a.dcs, &a.groups, &reach);
    if p.is_table() {
        let failed = r.checks.iter().filter(|c| !c.ok).count();
        let mut out = format!(
            "{}: {} ({} check(s), {failed} failed)\n",
            r.topology,
            if r.ready { "READY" } else { "NOT READY" },
            r.checks.len()
        );
        let mut table = p.table(&["lose", "check", "ok", "detail"]);
        for c in &r.checks {
            table.add_row(vec![
                c.dc.clone(),
                c.check.clone(),
                if c.ok { "yes" } else { "NO" }.into(),
                c.detail.clone(),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        p.data(&out)?;
    } else {
        p.structured(&r)?;
    }
    Ok(if r.ready {
        ExitCode::Ok
    } else {
        ExitCode::Problems
    })
}
