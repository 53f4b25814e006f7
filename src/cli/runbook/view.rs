//! Tables for runbook plans and run reports.

use crate::cli::output::Printer;
use crate::runbook::execute::RunReport;
use crate::runbook::plan::RunPlan;

fn secs(ms: u64) -> String {
    format!("{:.1}s", ms as f64 / 1000.0)
}

pub fn render_plan(plan: &RunPlan, p: &Printer) -> String {
    let r = &plan.request;
    let mut out = format!(
        "{} of `{}` ({}): {} {}{}{} — {} steps, lock on `{}`\n",
        r.runbook.as_str(),
        plan.topology,
        plan.pattern.as_str(),
        match r.runbook {
            crate::runbook::plan::Runbook::Failover => "lose",
            crate::runbook::plan::Runbook::Failback => "return",
        },
        r.dc,
        if r.planned {
            " (planned switchover)"
        } else {
            ""
        },
        if r.switch { " (switch back)" } else { "" },
        plan.steps.len(),
        plan.lock_cluster
    );
    let mut table = p.table(&["#", "step", "what"]);
    for (i, s) in plan.steps.iter().enumerate() {
        table.add_row(vec![(i + 1).to_string(), s.id.clone(), s.title.clone()]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    for n in &plan.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

pub fn render_report(r: &RunReport, p: &Printer) -> String {
    let mut out = format!(
        "{} {}: {} in {}\n",
        r.runbook,
        r.dc,
        if r.ok {
            "done"
        } else if r.interrupted {
            "INTERRUPTED"
        } else {
            "FAILED"
        },
        secs(r.ms)
    );
    let mut table = p.table(&["step", "status", "time", "detail"]);
    for s in &r.steps {
        table.add_row(vec![
            s.id.clone(),
            format!(
                "{}{}",
                s.status.as_str(),
                if s.earlier { " (earlier)" } else { "" }
            ),
            secs(s.ms),
            s.detail.clone(),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}
