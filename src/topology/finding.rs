//! A finding: one problem in a topology file, at a file, line and column, with a stable
//! rule id. Validation errors, lint warnings and notes all use this one shape, so the text
//! and JSON outputs stay consistent for people and CI alike.

use std::fmt;

use serde::Serialize;

use super::position::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file works, but an operational rule is broken (`--deny warnings` fails on it).
    Warning,
    /// Worth knowing; never fails anything.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub rule: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Finding {
    pub fn new(
        file: &str,
        at: Pos,
        severity: Severity,
        rule: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            severity,
            rule: rule.to_string(),
            message: escape_invisible(message.into()),
            hint: None,
        }
    }

    pub fn error(file: &str, at: Pos, rule: &str, message: impl Into<String>) -> Finding {
        Finding::new(file, at, Severity::Error, rule, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(escape_invisible(hint.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Messages quote names from the file; a control or bidirectional character in one must
/// not reach the terminal (an escape sequence, or text shown reversed). They are written as
/// `\u{202e}` instead, as `{:?}` would.
fn escape_invisible(text: String) -> String {
    if super::validate::invisible(&text, &['\n']).is_none() {
        return text;
    }
    text.chars()
        .map(|c| {
            if c != '\n' && super::validate::invisible(c.encode_utf8(&mut [0; 4]), &[]).is_some() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file,
            self.line,
            self.column,
            self.severity.as_str(),
            self.rule,
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {}", escape_invisible(h.clone()))?;
        }
        Ok(())
    }
}

/// Sorts findings by file, then position, then severity, so output is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}
