//! The drill report for people: a terminal summary with tables, and Markdown (for a
//! CI job summary or a ticket).

use comfy_table::{Attribute, Cell, Color};

use super::{seconds, steps, title, verdict, DrillReport};
use crate::table::styled;

/// The one-line outcome: what was drilled, PASS/FAIL, RTO, loss, duplicates.
fn summary(r: &DrillReport, verdict: &str) -> String {
    format!(
        "{} ({}, {} lab): {verdict}; RTO {} s, {} records lost, {} duplicates",
        title(r),
        r.pattern,
        r.engine,
        seconds(r.rto_ms),
        r.records_lost,
        r.records_duplicated
    )
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The report as terminal text: a summary line, then tables of steps, groups and
/// checks. `color`: a terminal that takes colors and box drawing; otherwise plain ASCII.
pub fn render_table(r: &DrillReport, color: bool) -> String {
    let paint = |text: &str, c: Color| {
        let cell = Cell::new(text);
        if color {
            cell.fg(c).add_attribute(Attribute::Bold)
        } else {
            cell
        }
    };
    let status = |s: &str| match s {
        "failed" => paint(s, Color::Red),
        "skipped" => paint(s, Color::Yellow),
        _ => Cell::new(s),
    };
    let table = |header: &[&str]| {
        let mut t = styled(header, color);
        if color {
            // Colors even when stdout is not what comfy-table checks (the caller decided).
            t.enforce_styling();
        }
        t
    };
    let v = verdict(r);
    let v = if color {
        let code = if r.passed { "32" } else { "31" };
        format!("\x1b[1;{code}m{v}\x1b[0m")
    } else {
        v.to_string()
    };
    let mut out = summary(r, &v);
    out.push_str("\n\n");

    let mut t = table(&["phase", "step", "status", "time (s)", "detail"]);
    for p in &r.phases {
        for s in &p.steps {
            t.add_row(vec![
                Cell::new(&p.name),
                Cell::new(format!("{} ({})", s.title, s.id)),
                status(&s.status),
                Cell::new(seconds(s.ms)),
                Cell::new(&s.detail),
            ]);
        }
        t.add_row(vec![
            Cell::new(&p.name),
            Cell::new("total"),
            Cell::new(""),
            Cell::new(seconds(p.ms)),
            Cell::new(""),
        ]);
    }
    out.push_str(&format!("Steps\n{t}\n"));

    if !r.groups.is_empty() {
        let mut t = table(&[
            "group",
            "from",
            "to",
            "strategy",
            "read after",
            "duplicates",
            "lost",
            "as expected",
            "detail",
        ]);
        for g in &r.groups {
            t.add_row(vec![
                Cell::new(&g.group),
                Cell::new(&g.from_cluster),
                Cell::new(&g.to_cluster),
                Cell::new(&g.strategy),
                Cell::new(g.read_after),
                Cell::new(g.duplicates),
                if g.lost > 0 {
                    paint(&g.lost.to_string(), Color::Red)
                } else {
                    Cell::new(g.lost)
                },
                if g.ended_as_expected {
                    Cell::new("yes")
                } else {
                    paint("no", Color::Red)
                },
                Cell::new(&g.detail),
            ]);
        }
        out.push_str(&format!("\nGroups\n{t}\n"));
    }

    if !r.checks.is_empty() {
        let mut t = table(&["check", "result", "detail"]);
        for c in &r.checks {
            t.add_row(vec![
                Cell::new(&c.name),
                if c.passed {
                    paint("pass", Color::Green)
                } else {
                    paint("FAIL", Color::Red)
                },
                Cell::new(&c.detail),
            ]);
        }
        out.push_str(&format!("\nChecks\n{t}\n"));
    }
    out
}

/// The report as Markdown: title, verdict, summary bullets, tables of steps, groups and
/// checks.
pub fn to_markdown(r: &DrillReport) -> String {
    let mut out = format!("# {}\n\n**{}**\n\n", md_cell(&title(r)), verdict(r));
    for (k, v) in [
        ("Pattern", r.pattern.clone()),
        ("Engine", r.engine.clone()),
        ("Lost DC", r.lost_dc.clone()),
        ("Planned switchover", yes_no(r.planned).to_string()),
        ("Started", r.started_at.clone()),
        ("Total", format!("{} s", seconds(r.total_ms))),
        ("RTO", format!("{} s", seconds(r.rto_ms))),
        ("Records lost", r.records_lost.to_string()),
        ("Records duplicated", r.records_duplicated.to_string()),
    ] {
        out.push_str(&format!("- {k}: {}\n", md_cell(&v)));
    }

    out.push_str("\n## Steps\n\n");
    let rows: Vec<Vec<String>> = steps(r)
        .map(|(p, s)| {
            vec![
                p.name.clone(),
                format!("{} (`{}`)", s.title, s.id),
                s.status.clone(),
                seconds(s.ms),
                s.detail.clone(),
            ]
        })
        .collect();
    out.push_str(&md_table(
        &["Phase", "Step", "Status", "Time (s)", "Detail"],
        &rows,
    ));

    out.push_str("\n## Groups\n\n");
    let rows: Vec<Vec<String>> = r
        .groups
        .iter()
        .map(|g| {
            vec![
                g.group.clone(),
                g.from_cluster.clone(),
                g.to_cluster.clone(),
                g.strategy.clone(),
                g.read_after.to_string(),
                g.duplicates.to_string(),
                g.lost.to_string(),
                yes_no(g.ended_as_expected).to_string(),
                g.detail.clone(),
            ]
        })
        .collect();
    out.push_str(&md_table(
        &[
            "Group",
            "From",
            "To",
            "Strategy",
            "Read after",
            "Duplicates",
            "Lost",
            "As expected",
            "Detail",
        ],
        &rows,
    ));

    out.push_str("\n## Checks\n\n");
    let rows: Vec<Vec<String>> = r
        .checks
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                if c.passed { "pass" } else { "**FAIL**" }.to_string(),
                c.detail.clone(),
            ]
        })
        .collect();
    out.push_str(&md_table(&["Check", "Result", "Detail"], &rows));
    out
}

/// A GitHub-flavoured Markdown table; no rows gives `_none_`.
fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "_none_\n".to_string();
    }
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// A value that stays inside its table cell: pipes escaped, line breaks as `<br>`.
/// (Step titles may carry backticks on purpose; other Markdown is left alone.)
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}
