use super::*;

fn step(id: &str, status: &str, ms: u64, detail: &str) -> StepTiming {
    StepTiming {
        id: id.into(),
        title: format!("do {id}"),
        status: status.into(),
        ms,
        detail: detail.into(),
    }
}

fn check(name: &str, passed: bool, detail: &str) -> Check {
    Check {
        name: name.into(),
        passed,
        detail: detail.into(),
    }
}

/// A passing drill: 2 phases, 4 steps (one skipped), 2 groups, 3 checks.
fn report() -> DrillReport {
    DrillReport {
        topology: "clickstream".into(),
        pattern: "active-active".into(),
        engine: "mock".into(),
        lost_dc: "dc-1".into(),
        planned: false,
        started_at: "2026-05-01T10:00:00Z".into(),
        total_ms: 65_432,
        rto_ms: 12_034,
        records_lost: 0,
        records_duplicated: 17,
        phases: vec![
            PhaseReport {
                name: "failover".into(),
                ms: 12_034,
                steps: vec![
                    step("fence", "done", 1_000, ""),
                    step("move-groups", "done", 11_034, "2 groups moved"),
                ],
            },
            PhaseReport {
                name: "failback".into(),
                ms: 3_000,
                steps: vec![
                    step("stop-producers", "skipped", 0, "no hook"),
                    step("move-back", "done", 3_000, ""),
                ],
            },
        ],
        groups: vec![
            GroupResult {
                group: "analytics-sessionizer".into(),
                from_cluster: "aggregate-1".into(),
                to_cluster: "aggregate-2".into(),
                strategy: "timestamp".into(),
                read_after: 600,
                duplicates: 17,
                lost: 0,
                ended_as_expected: true,
                detail: String::new(),
            },
            GroupResult {
                group: "analytics-report-lab-1".into(),
                from_cluster: "aggregate-2".into(),
                to_cluster: "aggregate-2".into(),
                strategy: "kept".into(),
                read_after: 10,
                duplicates: 0,
                lost: 0,
                ended_as_expected: true,
                detail: "a | pipe".into(),
            },
        ],
        checks: vec![
            check("max-rto", true, "12.034 s <= 300 s"),
            check("max-duplicates", true, "17 <= 100000"),
            check("zero-loss", true, "0 lost"),
        ],
        passed: true,
    }
}

/// A testsuite element's counts: tests, failures, skipped.
fn counts(xml: &str) -> (usize, usize, usize) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed JUnit XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    let attr = |k: &str| suite.attribute(k).unwrap().parse::<usize>().unwrap();
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // The attributes agree with the elements.
    assert_eq!(attr("tests"), cases.len());
    let with = |tag: &str| {
        cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name(tag)))
            .count()
    };
    assert_eq!(attr("failures"), with("failure"));
    assert_eq!(attr("skipped"), with("skipped"));
    (attr("tests"), attr("failures"), attr("skipped"))
}

#[test]
fn json_round_trips() {
    let r = report();
    let back: DrillReport = serde_json::from_str(&to_json(&r)).unwrap();
    assert_eq!(back, r);
    assert!(to_json(&r).ends_with("}\n"));
}

#[test]
fn junit_counts_checks_and_steps() {
    let xml = to_junit(&report());
    assert_eq!(counts(&xml), (7, 0, 1));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suite = root.children().find(|n| n.is_element()).unwrap();
    assert_eq!(suite.attribute("name"), Some("drill clickstream lose dc-1"));
    let step = suite
        .children()
        .find(|n| n.attribute("name") == Some("move-groups: do move-groups"))
        .unwrap();
    assert_eq!(step.attribute("classname"), Some("failover"));
    assert_eq!(step.attribute("time"), Some("11.034"));
    let skipped = suite
        .descendants()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert_eq!(skipped.attribute("message"), Some("no hook"));
}

#[test]
fn a_failing_check_and_step_are_junit_failures() {
    let mut r = report();
    r.checks[2] = check("zero-loss", false, "3 records <lost> & \"gone\"");
    r.passed = false;
    let xml = to_junit(&r);
    assert_eq!(counts(&xml), (7, 1, 1));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.text(), Some("3 records <lost> & \"gone\""));
    assert_eq!(
        failure.parent().unwrap().attribute("name"),
        Some("zero-loss")
    );

    r.phases[0].steps[1].status = "failed".into();
    r.phases[0].steps[1].detail = String::new();
    let xml = to_junit(&r);
    assert_eq!(counts(&xml), (7, 2, 1));
    assert!(xml.contains("message=\"the step failed\""));
}

#[test]
fn xml_escape_handles_markup_and_control_characters() {
    assert_eq!(xml_escape(r#"<a>&"'"#), "&lt;a&gt;&amp;&quot;&apos;");
    assert_eq!(
        xml_escape("a\u{1}b\u{1f}c\u{FFFF}"),
        "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
    );
    assert_eq!(xml_escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
    // Whatever goes in, the document parses and the attribute reads back (less the
    // characters XML cannot hold).
    let nasty = "<>&\"' \u{0}\u{7}\u{1b}[31m\t\nend";
    let mut r = report();
    r.topology = nasty.into();
    r.checks[0] = check(nasty, false, nasty);
    let xml = to_junit(&r);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed despite control characters");
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap();
    let want = "<>&\"' \u{FFFD}\u{FFFD}\u{FFFD}[31m\t\nend";
    assert_eq!(case.attribute("name"), Some(want));
    assert_eq!(
        case.children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap()
            .attribute("message"),
        Some(want)
    );
}

#[test]
fn markdown_has_verdict_summary_and_tables() {
    let md = to_markdown(&report());
    assert!(
        md.starts_with("# drill clickstream lose dc-1\n\n**PASS**\n"),
        "{md}"
    );
    assert!(md.contains("- RTO: 12.034 s\n"), "{md}");
    assert!(md.contains("- Records duplicated: 17\n"), "{md}");
    assert!(md.contains(
        "| Phase | Step | Status | Time (s) | Detail |\n| --- | --- | --- | --- | --- |\n"
    ));
    assert!(
        md.contains(
            "| failover | do move-groups (`move-groups`) | done | 11.034 | 2 groups moved |\n"
        ),
        "{md}"
    );
    assert!(md.contains("| analytics-report-lab-1 | aggregate-2 | aggregate-2 | kept | 10 | 0 | 0 | yes | a \\| pipe |\n"), "{md}");
    assert!(md.contains("| zero-loss | pass | 0 lost |\n"), "{md}");
    // Every table row has as many cells as its header.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace("\\|", "").matches('|').count() - 1;
        assert!([5, 9, 3].contains(&cells), "{line}");
    }
    let mut r = report();
    r.groups.clear();
    r.passed = false;
    let md = to_markdown(&r);
    assert!(md.contains("**FAIL**"));
    assert!(md.contains("## Groups\n\n_none_\n"));
}

#[test]
fn table_shows_summary_steps_groups_and_checks() {
    let text = render_table(&report(), false);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "drill clickstream lose dc-1 (active-active, mock lab): PASS; RTO 12.034 s, 0 records lost, 17 duplicates"
    );
    for want in [
        "Steps",
        "do move-groups (move-groups)",
        "11.034",
        "Groups",
        "analytics-sessionizer",
        "Checks",
        "max-duplicates",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert!(!text.contains('\x1b'), "no colors when asked for none");
    let mut r = report();
    r.passed = false;
    r.checks[0].passed = false;
    let colored = render_table(&r, true);
    assert!(colored.contains("\x1b[1;31mFAIL\x1b[0m"), "{colored}");
}

#[test]
fn write_reports_writes_the_three_files() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("reports/drill");
    let r = report();
    let paths = write_reports(&dir, &r).unwrap();
    let names: Vec<_> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, [JSON_FILE, JUNIT_FILE, MARKDOWN_FILE]);
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), to_json(&r));
    assert_eq!(std::fs::read_to_string(&paths[1]).unwrap(), to_junit(&r));
    assert_eq!(std::fs::read_to_string(&paths[2]).unwrap(), to_markdown(&r));
    // Nothing else (no temp files) left behind; owner-only like every file we write.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    use std::os::unix::fs::PermissionsExt;
    for p in &paths {
        let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", p.display());
    }
}
