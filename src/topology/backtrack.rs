//! Regular expressions a backtracking engine would hang on.
//!
//! The tool matches topic and group filters with the `regex` crate, which runs in linear
//! time whatever the pattern. MirrorMaker 2 gets the same patterns and matches them with
//! `java.util.regex`, which backtracks: on `(a+)+$` and a name that almost matches, it
//! tries every way to split the name between the two loops, 2^n of them. A pattern like
//! that stalls MM2's topic and group refresh, so validation refuses it.
//!
//! Two shapes are reported, found on the parsed pattern (`regex-syntax`'s AST, before any
//! simplification, so `(a|a)*` is seen as written):
//!
//! - a repetition without an upper bound inside another one, when what may follow the
//!   inner loop (in the outer body, or the outer body starting again) could also extend
//!   it: `(a+)+`, `(.*)*`, `(\w+\s?)*`, `([a-z]+-[a-z]+)*`. `([a-z]+\.)+` passes: the dot
//!   ends the inner loop, so a name splits one way only;
//! - an unbounded repetition of an alternation whose branches can start with the same
//!   character (`(a|a)*`, `(\w|\d)+`, `(a|ab)*`).

use regex_syntax::ast::{self, Ast, RepetitionKind, RepetitionRange};
use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, HirKind};

/// Why a pattern would backtrack badly: the two parts of it involved, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backtrack {
    /// `inner` is an unbounded repetition inside the unbounded repetition `outer`.
    NestedRepetition { outer: String, inner: String },
    /// The repeated alternation `outer` has two branches that can start alike.
    OverlappingAlternation {
        outer: String,
        first: String,
        second: String,
    },
}

impl Backtrack {
    pub fn describe(&self) -> String {
        match self {
            Backtrack::NestedRepetition { outer, inner } => format!(
                "the repetition `{inner}` sits inside the repetition `{outer}`"
            ),
            Backtrack::OverlappingAlternation {
                outer,
                first,
                second,
            } => format!(
                "`{outer}` repeats an alternation whose branches `{first}` and `{second}` can match the same text"
            ),
        }
    }
}

/// The first backtracking shape found in `pattern`, if any. A pattern that does not parse
/// gives `None` (it is reported as `bad-regex` elsewhere).
pub fn find(pattern: &str) -> Option<Backtrack> {
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    let mut w = Walker { pattern };
    w.walk(&ast, None, &mut Vec::new())
}

/// A quantifier written right after another (`.*+`, `a++`, `x{2}?+`... but not the lazy
/// `*?`): Java reads it as possessive, `regex` as a repetition of a repetition, so MM2 and
/// this tool would match different names. Returns it as written.
pub fn stacked_quantifier(pattern: &str) -> Option<String> {
    fn walk(ast: &Ast) -> Option<&ast::Span> {
        match ast {
            Ast::Repetition(r) => match &*r.ast {
                Ast::Repetition(_) => Some(&r.span),
                inner => walk(inner),
            },
            Ast::Group(g) => walk(&g.ast),
            Ast::Alternation(a) => a.asts.iter().find_map(walk),
            Ast::Concat(c) => c.asts.iter().find_map(walk),
            _ => None,
        }
    }
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    walk(&ast).map(|s| pattern[s.start.offset..s.end.offset].to_string())
}

struct Walker<'a> {
    pattern: &'a str,
}

fn unbounded(op: &ast::RepetitionOp) -> bool {
    matches!(
        op.kind,
        RepetitionKind::ZeroOrMore
            | RepetitionKind::OneOrMore
            | RepetitionKind::Range(RepetitionRange::AtLeast(_))
    )
}

/// Strips groups: the expression a group or chain of groups wraps.
fn ungroup(ast: &Ast) -> &Ast {
    match ast {
        Ast::Group(g) => ungroup(&g.ast),
        other => other,
    }
}

impl<'a> Walker<'a> {
    fn text(&self, span: &ast::Span) -> String {
        self.pattern[span.start.offset..span.end.offset].to_string()
    }

    /// Walks `node`. `outer` is the innermost enclosing unbounded repetition; `rest` what
    /// follows `node` inside that repetition's body (innermost first).
    fn walk<'t>(
        &mut self,
        node: &'t Ast,
        outer: Option<&'t ast::Repetition>,
        rest: &mut Vec<&'t [Ast]>,
    ) -> Option<Backtrack> {
        match node {
            Ast::Repetition(r) => {
                if !unbounded(&r.op) {
                    return self.walk(&r.ast, outer, rest);
                }
                if let Some(o) = outer {
                    // Ambiguous when what may follow this loop (in its body, or the outer
                    // body again) could also extend it: 2^n ways to split a name.
                    let (mine, _) = self.first(&r.ast);
                    let mut next = self.first_of_rest(rest);
                    if next.1 {
                        next.0.union(&self.first(&o.ast).0);
                    }
                    if overlaps(&mine, &next.0) {
                        return Some(Backtrack::NestedRepetition {
                            outer: self.text(&o.span),
                            inner: self.text(&r.span),
                        });
                    }
                }
                if let Ast::Alternation(alt) = ungroup(&r.ast) {
                    if let Some(found) = self.overlap(&r.span, &alt.asts) {
                        return Some(found);
                    }
                }
                self.walk(&r.ast, Some(r), &mut Vec::new())
            }
            Ast::Group(g) => self.walk(&g.ast, outer, rest),
            Ast::Alternation(a) => a.asts.iter().find_map(|x| self.walk(x, outer, rest)),
            Ast::Concat(c) => {
                for (i, x) in c.asts.iter().enumerate() {
                    rest.push(&c.asts[i + 1..]);
                    let found = self.walk(x, outer, rest);
                    rest.pop();
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// What can come next after the current node, and whether nothing may.
    fn first_of_rest(&self, rest: &[&[Ast]]) -> (ClassUnicode, bool) {
        let mut set = ClassUnicode::empty();
        for seq in rest.iter().rev() {
            for x in seq.iter() {
                let (s, n) = self.first(x);
                set.union(&s);
                if !n {
                    return (set, false);
                }
            }
        }
        (set, true)
    }

    fn overlap(&self, outer: &ast::Span, branches: &[Ast]) -> Option<Backtrack> {
        // One pass: each branch against the union of the branches before it.
        let mut seen = ClassUnicode::empty();
        let mut firsts: Vec<(ClassUnicode, &Ast)> = Vec::new();
        for b in branches {
            let (set, _) = self.first(b);
            if overlaps(&set, &seen) {
                let other = firsts.iter().find(|(s, _)| overlaps(s, &set))?;
                return Some(Backtrack::OverlappingAlternation {
                    outer: self.text(outer),
                    first: self.text(other.1.span()),
                    second: self.text(b.span()),
                });
            }
            seen.union(&set);
            firsts.push((set, b));
        }
        None
    }

    /// The characters `ast` can start with, and whether it can match the empty string.
    fn first(&self, ast: &Ast) -> (ClassUnicode, bool) {
        match ast {
            Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => (ClassUnicode::empty(), true),
            Ast::Literal(_)
            | Ast::Dot(_)
            | Ast::ClassUnicode(_)
            | Ast::ClassPerl(_)
            | Ast::ClassBracketed(_) => (self.leaf(ast), false),
            Ast::Repetition(r) => {
                let (set, nullable) = self.first(&r.ast);
                let optional = matches!(
                    r.op.kind,
                    RepetitionKind::ZeroOrMore | RepetitionKind::ZeroOrOne
                ) || matches!(
                    r.op.kind,
                    RepetitionKind::Range(
                        RepetitionRange::Exactly(0)
                            | RepetitionRange::AtLeast(0)
                            | RepetitionRange::Bounded(0, _)
                    )
                );
                (set, nullable || optional)
            }
            Ast::Group(g) => self.first(&g.ast),
            Ast::Alternation(a) => {
                let mut set = ClassUnicode::empty();
                let mut nullable = false;
                for x in &a.asts {
                    let (s, n) = self.first(x);
                    set.union(&s);
                    nullable |= n;
                }
                (set, nullable)
            }
            Ast::Concat(c) => {
                let mut set = ClassUnicode::empty();
                for x in &c.asts {
                    let (s, n) = self.first(x);
                    set.union(&s);
                    if !n {
                        return (set, false);
                    }
                }
                (set, true)
            }
        }
    }

    /// The characters a single-character AST node matches.
    fn leaf(&self, ast: &Ast) -> ClassUnicode {
        let Ok(h) = hir::translate::Translator::new().translate(self.pattern, ast) else {
            return any_char();
        };
        match h.kind() {
            HirKind::Literal(hir::Literal(bytes)) => match std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) => ClassUnicode::new([ClassUnicodeRange::new(c, c)]),
                None => any_char(),
            },
            HirKind::Class(Class::Unicode(c)) => c.clone(),
            HirKind::Class(Class::Bytes(b)) => ClassUnicode::new(
                b.iter()
                    .map(|r| ClassUnicodeRange::new(char::from(r.start()), char::from(r.end()))),
            ),
            _ => any_char(),
        }
    }
}

fn overlaps(a: &ClassUnicode, b: &ClassUnicode) -> bool {
    let mut c = a.clone();
    c.intersect(b);
    c.iter().next().is_some()
}

fn any_char() -> ClassUnicode {
    ClassUnicode::new([ClassUnicodeRange::new('\0', char::MAX)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_exponential_patterns_are_found() {
        for p in [
            "(a+)+$",
            "(a|a)*b",
            "(.*)*x",
            r"(\w+\s?)*$",
            "(a*)*",
            "((ab)+c?)+",
            "(?:x+){2,}",
            r"(\w|\d)+",
            "(a|ab)*c",
            "orders-(.+)+",
            "([a-z]+-[a-z]+)*",
            "(.*-)*x",
        ] {
            assert!(find(p).is_some(), "{p}");
        }
    }

    #[test]
    fn ordinary_filters_pass() {
        for p in [
            "orders.*",
            r".*\.internal",
            "__.*",
            "payments-(eu|us)-.*",
            r"(\d+\.){3}\d+",
            "(a|b)*",
            "[a-z]+(-[0-9]{1,3})?",
            r"(?:orders|refunds)\..*",
            "(a+)?",
            "x{2,5}y*",
            r"([a-z]+\.)+[a-z]+",
            "(a+b)*",
            "((a+b)+c)*",
        ] {
            assert_eq!(find(p), None, "{p}");
        }
    }

    #[test]
    fn the_parts_are_named_as_written() {
        assert_eq!(
            find("(a+)+$").unwrap(),
            Backtrack::NestedRepetition {
                outer: "(a+)+".into(),
                inner: "a+".into()
            }
        );
        assert_eq!(
            find("(a|a)*b").unwrap(),
            Backtrack::OverlappingAlternation {
                outer: "(a|a)*".into(),
                first: "a".into(),
                second: "a".into()
            }
        );
        assert!(find("(.*)*x")
            .unwrap()
            .describe()
            .contains("`.*` sits inside the repetition `(.*)*`"));
    }

    #[test]
    fn stacked_quantifiers_are_found() {
        assert_eq!(stacked_quantifier("orders.*+").as_deref(), Some(".*+"));
        assert_eq!(stacked_quantifier("(a++)b").as_deref(), Some("a++"));
        assert_eq!(stacked_quantifier("a*?b"), None);
        assert_eq!(stacked_quantifier("(a*)+"), None);
    }

    #[test]
    fn unparsable_and_huge_patterns_do_not_panic() {
        assert_eq!(find("(a"), None);
        let deep = format!("{}a{}", "(".repeat(5000), ")*".repeat(5000));
        assert_eq!(find(&deep), None, "over the nest limit: not parsed");
        let wide = format!("({})*", vec!["a"; 20_000].join("|"));
        assert!(find(&wide).is_some());
    }
}
