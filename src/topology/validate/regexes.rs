//! Topic and group patterns (rules `bad-regex`, `regex-backtracks`): every regex field
//! of a topology — mirror `topics`/`groups` include and exclude lists, consumer-group
//! `pattern`, placement `topics` — must compile within the tool's size limit, and must
//! not have a shape MirrorMaker 2's backtracking Java engine hangs on
//! (`topology::backtrack`).

use super::Validator;
use crate::topology::{backtrack, filter, position::NodePath};

/// A pattern as quoted in a message: in full when short, else its start and its length.
fn quoted(p: &str) -> String {
    let n = p.chars().count();
    if n <= 80 {
        format!("{p:?}")
    } else {
        let head: String = p.chars().take(40).collect();
        format!("{:?}… ({n} characters)", head)
    }
}

impl Validator<'_> {
    pub(super) fn pattern(&mut self, path: NodePath, p: &str) {
        if self.invisible_in(path.clone(), "the pattern", p, &[], false) {
            return;
        }
        if let Err(e) = filter::compile(p) {
            let why = match &e {
                regex::Error::CompiledTooBig(limit) => {
                    format!(
                        "it is too large (compiled, it would exceed the limit of {limit} bytes)"
                    )
                }
                _ => e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches("error: ")
                    .to_string(),
            };
            self.err_at_value(
                path,
                "bad-regex",
                format!("{} is not a valid regular expression: {why}", quoted(p)),
            );
            return;
        }
        if let Some(q) = backtrack::stacked_quantifier(p) {
            self.err_at_value(
                path,
                "bad-regex",
                format!("{}: `{q}` stacks two quantifiers, which Java (MirrorMaker 2) reads as possessive and this tool as a repetition of a repetition; the two would select different names", quoted(p)),
            )
            .hint = Some("write a single quantifier (e.g. `.*`)".into());
            return;
        }
        if let Some(b) = backtrack::find(p) {
            self.err_at_value(
                path,
                "regex-backtracks",
                format!(
                    "{} would make MirrorMaker 2 backtrack exponentially: {}",
                    quoted(p),
                    b.describe()
                ),
            )
            .hint = Some("MM2 matches filters with Java's backtracking regex engine, where a name that almost matches takes 2^n steps; rewrite it so a name can match one way only (e.g. `(a+)+` -> `a+`, `(a|ab)*` -> `(ab?)*`)".into());
        }
    }
}
