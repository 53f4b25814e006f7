//! `lock status|break`: the run lock a failover or failback holds on the surviving
//! cluster; breaking it is the operator's override for a run known to be dead.

use super::load_topology;
use super::output::{confirm, Printer};
use super::runbook_args::{LockArgs, LockCommand};
use crate::clock::{fmt_ms, now_ms};
use crate::exit::{ExitCode, Failure};
use crate::runbook::lock::{break_lock, status, Claimant, Holder};

pub fn run(c: LockCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        LockCommand::Status(a) => {
            let h = read(&a)?;
            show(p, &a, h.as_ref())?;
            Ok(ExitCode::Ok)
        }
        LockCommand::Break(b) => {
            let h = read(&b.lock)?;
            show(p, &b.lock, h.as_ref())?;
            let Some(h) = h else {
                return Ok(ExitCode::Ok);
            };
            if !b.execute {
                p.note("plan only: nothing was changed; add --execute to break the lock");
                return Ok(ExitCode::Ok);
            }
            confirm(
                p,
                b.yes,
                &format!(
                    "Break the lock of run {} ({})? Only if that run is dead.",
                    h.run_id, h.holder
                ),
            )?;
            let (settings, t) = settings(&b.lock)?;
            let me = Claimant::this_process(format!("break-{}", now_ms()), "lock break");
            break_lock(&settings, &t, me, b.lock.connect.timeout)?;
            p.note(&format!("lock of run {} broken", h.run_id));
            Ok(ExitCode::Ok)
        }
    }
}

fn settings(a: &LockArgs) -> anyhow::Result<(crate::kafka::ClientSettings, String)> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    if !t.clusters.contains_key(&a.cluster) {
        return Err(Failure::Usage(format!(
            "--cluster {}: no such cluster in the topology",
            a.cluster
        ))
        .into());
    }
    let (s, _) = super::admin_for(t, &a.cluster, &a.connect)?;
    Ok((s, t.name.clone()))
}

fn read(a: &LockArgs) -> anyhow::Result<Option<Holder>> {
    let (s, name) = settings(a)?;
    Ok(status(&s, &name, a.connect.timeout)?)
}

fn show(p: &Printer, a: &LockArgs, h: Option<&Holder>) -> anyhow::Result<()> {
    let now = now_ms();
    let value = match h {
        None => serde_json::json!({ "cluster": a.cluster, "held": false }),
        Some(h) => serde_json::json!({
            "cluster": a.cluster,
            "held": !h.is_expired(now),
            "run_id": h.run_id,
            "holder": h.holder,
            "pid": h.pid,
            "command": h.command,
            "since": fmt_ms(h.started_at_ms),
            "expires": fmt_ms(h.expires_at_ms),
        }),
    };
    if p.is_table() {
        p.data(&match h {
            None => format!("`{}`: the run lock is free\n", a.cluster),
            Some(h) => format!(
                "`{}`: {} by run {} of {} (pid {}): `{}`, since {}, until {}\n",
                a.cluster,
                if h.is_expired(now) {
                    "expired, last held"
                } else {
                    "held"
                },
                h.run_id,
                h.holder,
                h.pid,
                h.command,
                fmt_ms(h.started_at_ms),
                fmt_ms(h.expires_at_ms)
            ),
        })?;
    } else {
        p.structured(&value)?;
    }
    Ok(())
}
