//! Include/exclude name filters, compiled. Patterns are anchored at both ends, as
//! MirrorMaker 2 treats its topic and group filters, and compiled by the `regex` crate,
//! whose matching time is linear: a hostile pattern cannot make the tool backtrack.

use regex::{Regex, RegexBuilder};

use super::model::NameFilter;

/// Compiled patterns may use at most this much memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles one pattern, anchored at both ends.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A compiled `NameFilter`. An empty include list admits everything.
#[derive(Debug, Clone)]
pub struct Filter {
    include: Vec<Regex>,
    exclude: Vec<Regex>,
}

impl Filter {
    pub fn new(spec: &NameFilter) -> Result<Filter, regex::Error> {
        Ok(Filter {
            include: spec
                .include
                .iter()
                .map(|p| compile(p))
                .collect::<Result<_, _>>()?,
            exclude: spec
                .exclude
                .iter()
                .map(|p| compile(p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// A filter that admits every name.
    pub fn all() -> Filter {
        Filter {
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }

    pub fn admits(&self, name: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|r| r.is_match(name)))
            && !self.exclude.iter().any(|r| r.is_match(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_include_and_exclude() {
        let f = Filter::new(&NameFilter {
            include: vec!["orders.*".into(), "payments".into()],
            exclude: vec![".*\\.internal".into()],
        })
        .unwrap();
        assert!(f.admits("orders-eu"));
        assert!(f.admits("payments"));
        assert!(!f.admits("xpayments"));
        assert!(!f.admits("orders.internal"));
        assert!(Filter::all().admits("anything"));
    }

    #[test]
    fn huge_patterns_are_refused() {
        assert!(compile("(a{1000}){1000}").is_err());
    }
}
