//! The drill report as JUnit XML, the format CI systems show as test results: one test
//! case per check (classname `checks`) and per step (classname: its phase).

use std::fmt::Write;

use super::{seconds, steps, title, DrillReport};

/// The report as a JUnit `<testsuites>` document holding one `<testsuite>`.
pub fn to_junit(r: &DrillReport) -> String {
    let failed_checks = r.checks.iter().filter(|c| !c.passed).count();
    let failed_steps = steps(r).filter(|(_, s)| s.status == "failed").count();
    let skipped = steps(r).filter(|(_, s)| s.status == "skipped").count();
    let tests = r.checks.len() + steps(r).count();
    let failures = failed_checks + failed_steps;
    let time = seconds(r.total_ms);
    let name = xml_escape(&title(r));

    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // `write!` to a String cannot fail.
    let _ = writeln!(
        x,
        r#"<testsuites name="{name}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="{time}">"#
    );
    let _ = writeln!(
        x,
        r#"  <testsuite name="{name}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="{time}" timestamp="{}">"#,
        xml_escape(&r.started_at)
    );
    x.push_str("    <properties>\n");
    for (k, v) in [
        ("pattern", r.pattern.clone()),
        ("engine", r.engine.clone()),
        ("lost-dc", r.lost_dc.clone()),
        ("planned", r.planned.to_string()),
        ("rto-ms", r.rto_ms.to_string()),
        ("records-lost", r.records_lost.to_string()),
        ("records-duplicated", r.records_duplicated.to_string()),
    ] {
        let _ = writeln!(
            x,
            r#"      <property name="{k}" value="{}"/>"#,
            xml_escape(&v)
        );
    }
    x.push_str("    </properties>\n");
    for c in &r.checks {
        let _ = write!(
            x,
            r#"    <testcase classname="checks" name="{}" time="0""#,
            xml_escape(&c.name)
        );
        if c.passed {
            x.push_str("/>\n");
        } else {
            let d = xml_escape(&c.detail);
            let _ = writeln!(
                x,
                ">\n      <failure message=\"{d}\">{d}</failure>\n    </testcase>"
            );
        }
    }
    for (phase, s) in steps(r) {
        let _ = write!(
            x,
            r#"    <testcase classname="{}" name="{}" time="{}""#,
            xml_escape(&phase.name),
            xml_escape(&format!("{}: {}", s.id, s.title)),
            seconds(s.ms)
        );
        let d = xml_escape(&s.detail);
        match s.status.as_str() {
            "failed" => {
                let msg = if s.detail.is_empty() {
                    "the step failed".to_string()
                } else {
                    d.clone()
                };
                let _ = writeln!(
                    x,
                    ">\n      <failure message=\"{msg}\">{d}</failure>\n    </testcase>"
                );
            }
            "skipped" => {
                let _ = writeln!(x, ">\n      <skipped message=\"{d}\"/>\n    </testcase>");
            }
            _ => x.push_str("/>\n"),
        }
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

/// `s` safe in XML text and attribute values: markup characters become entities,
/// tab / newline / carriage return character references (so attributes keep them), and
/// characters XML 1.0 cannot carry at all (other control characters, U+FFFE, U+FFFF)
/// become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
