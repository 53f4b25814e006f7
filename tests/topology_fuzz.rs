//! Property tests of the topology loader, bounded in time (a few seconds in CI): the
//! example files mutated at random (bytes flipped, inserted, deleted; lines cut,
//! duplicated, swapped; truncated) and arbitrary text never make it panic, and every
//! finding it reports points inside the text it was given (line ≥ 1, column ≥ 1, line
//! within the file).

mod common;

use proptest::prelude::*;

use kafka_failover::topology::load_str;

fn examples() -> Vec<String> {
    ["active-passive", "active-active", "stretched"]
        .iter()
        .map(|n| {
            std::fs::read_to_string(format!(
                "{}/topologies/{n}.yaml",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        })
        .collect()
}

/// Loads `text`; checks every finding's position against it.
fn check(text: &str) -> Result<(), TestCaseError> {
    // YAML's line breaks: CR LF, CR, LF (a lone CR ends a line too).
    let lines = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count();
    match load_str("fuzz.yaml", text) {
        Ok(_) => Ok(()),
        Err(e) => {
            prop_assert!(!e.findings.is_empty(), "an error without findings");
            for f in &e.findings {
                prop_assert!(f.line >= 1 && f.column >= 1, "{f:?}");
                prop_assert!(f.line <= lines + 1, "line {} of {lines}: {f:?}", f.line);
                prop_assert_eq!(&f.file, "fuzz.yaml");
            }
            Ok(())
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, char),
    Delete(usize, usize),
    CutLine(usize),
    DupLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let junk = prop_oneof![
        Just(':'),
        Just('-'),
        Just(' '),
        Just('\t'),
        Just('"'),
        Just('&'),
        Just('*'),
        Just('{'),
        Just('['),
        Just('#'),
        Just('\n'),
        Just('\u{0}'),
        Just('é'),
        any::<char>()
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), junk).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::CutLine),
        any::<usize>().prop_map(Edit::DupLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, e: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(1);
    let mut lines: Vec<&str> = text.split('\n').collect();
    let l = lines.len();
    match e {
        Edit::Flip(i, b) => {
            let mut c = chars.clone();
            if !c.is_empty() {
                c[i % n] = char::from(*b);
            }
            c.into_iter().collect()
        }
        Edit::Insert(i, ch) => {
            let mut c = chars.clone();
            c.insert(i % (chars.len() + 1), *ch);
            c.into_iter().collect()
        }
        Edit::Delete(i, k) => {
            let start = i % n;
            let end = (start + k).min(chars.len());
            chars[..start.min(chars.len())]
                .iter()
                .chain(chars[end..].iter())
                .collect()
        }
        Edit::CutLine(i) => {
            lines.remove(i % l);
            lines.join("\n")
        }
        Edit::DupLine(i) => {
            let x = lines[i % l];
            lines.insert(i % l, x);
            lines.join("\n")
        }
        Edit::SwapLines(a, b) => {
            lines.swap(a % l, b % l);
            lines.join("\n")
        }
        Edit::Truncate(i) => chars[..i % n].iter().collect(),
    }
}

/// Runs `cases` cases of `strategy` through `test`; returns how many ran. A panic in the
/// loader fails the run (proptest catches it and shrinks the input).
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    let ran = AtomicU32::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        // Replays the seeds in topology_fuzz.proptest-regressions first.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::SourceParallel("proptest-regressions"),
        )),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    });
    let result = runner.run(&strategy, |v| {
        ran.fetch_add(1, Ordering::Relaxed);
        test(v)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    ran.load(Ordering::Relaxed)
}

#[test]
fn the_loader_never_panics_and_findings_point_into_the_file() {
    let examples = examples();
    let mutated = run(
        600,
        (0usize..3, proptest::collection::vec(edit(), 1..6)),
        |(which, edits)| {
            let mut text = examples[which].clone();
            for e in &edits {
                text = apply(&text, e);
            }
            check(&text)
        },
    );
    let arbitrary = run(600, ".{0,400}", |text: String| check(&text));
    let yaml_shaped = run(
        600,
        "((version|name|pattern|clusters|datacenters|mirrors|hooks|consumer-groups|[a-z-]{1,8}): ?([a-z0-9./:-]{0,12}|\\{\\}|\\[\\]|&a|\\*a|\\|)?\n(  [a-z-]{1,8}: [^\n]{0,10}\n){0,3}){0,12}",
        |text: String| check(&text),
    );
    common::figure(
        "fuzzing",
        &format!(
            "topology loader: {} generated inputs ({mutated} mutated example topologies, {arbitrary} arbitrary texts, {yaml_shaped} YAML-shaped texts), 0 panics, every finding inside its file",
            mutated + arbitrary + yaml_shaped
        ),
    );
}
