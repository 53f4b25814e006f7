//! Property tests of the topology loader, bounded in time (a few seconds in CI): the
//! example files mutated at random (bytes flipped, inserted, deleted; lines cut,
//! duplicated, swapped; truncated) and arbitrary text never make it panic, and every
//! finding it reports points inside the text it was given (line ≥ 1, column ≥ 1, line
//! within the file).

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic_and_findings_point_into_the_file(
        which in 0usize..3,
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let mut text = examples()[which].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        check(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        check(&text)?;
    }

    #[test]
    fn arbitrary_yaml_shaped_text_never_panics(
        text in "((version|name|pattern|clusters|datacenters|mirrors|hooks|consumer-groups|[a-z-]{1,8}): ?([a-z0-9./:-]{0,12}|\\{\\}|\\[\\]|&a|\\*a|\\|)?\n(  [a-z-]{1,8}: [^\n]{0,10}\n){0,3}){0,12}"
    ) {
        check(&text)?;
    }
}
