//! Characters a reader cannot see (rule `invisible-character`): C0/C1 controls, DEL, and
//! Unicode format characters such as U+202E RIGHT-TO-LEFT OVERRIDE or U+200B ZERO WIDTH
//! SPACE. In a name they make two names that look the same differ (a group that silently
//! never matches); in a hook command they hide what runs (Trojan Source). Each is reported
//! at the value, naming the code point.

use super::Validator;
use crate::topology::position::NodePath;

/// The first character of `s` that does not show on screen. `allow` lists controls a
/// field may hold (a multi-line hook command has `\n` and `\t`).
pub(crate) fn invisible(s: &str, allow: &[char]) -> Option<char> {
    s.chars()
        .find(|c| !allow.contains(c) && (c.is_control() || is_format(*c)))
}

/// Unicode general category Cf (format) characters, and the look-alike blanks that
/// render as nothing.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}')
}

/// A short name for the characters people actually meet.
fn char_name(c: char) -> &'static str {
    match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{1B}' => "escape",
        '\u{7F}' => "DEL",
        '\u{85}' => "next line",
        '\u{AD}' => "soft hyphen",
        '\u{200B}' => "zero width space",
        '\u{200C}' => "zero width non-joiner",
        '\u{200D}' => "zero width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{202A}'..='\u{202C}' => "bidirectional embedding",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2066}'..='\u{2069}' => "bidirectional isolate",
        '\u{FEFF}' => "zero width no-break space (BOM)",
        c if c.is_control() => "control character",
        _ => "invisible format character",
    }
}

impl Validator<'_> {
    /// A topic name as Kafka takes it: 1 to 249 of `[A-Za-z0-9._-]`.
    pub(super) fn topic_name(&mut self, path: NodePath, topic: &str) {
        if self.invisible_in(path.clone(), "topic", topic, &[], false) {
            return;
        }
        let why = if topic.is_empty() {
            "it is empty".to_string()
        } else if topic.chars().count() > 249 {
            format!(
                "it is {} characters long; Kafka allows at most 249",
                topic.chars().count()
            )
        } else if topic == "." || topic == ".." {
            "Kafka refuses `.` and `..` as topic names".to_string()
        } else if let Some(c) = topic
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            format!("Kafka topic names use letters, digits, `.`, `_` and `-` only, not {c:?}")
        } else {
            return;
        };
        let shown: String = topic.chars().take(60).collect();
        let ell = if shown.len() < topic.len() { "…" } else { "" };
        self.err_at_value(
            path,
            "bad-name",
            format!("{shown:?}{ell} is not a valid topic name: {why}"),
        );
    }

    /// Reports `value` when it holds a character nobody can see; true when it did.
    pub(super) fn invisible_in(
        &mut self,
        path: NodePath,
        what: &str,
        value: &str,
        allow: &[char],
        at_key: bool,
    ) -> bool {
        let Some(c) = invisible(value, allow) else {
            return false;
        };
        let msg = format!(
            "{what} {value:?} contains U+{:04X} ({}), which does not show on screen",
            c as u32,
            char_name(c)
        );
        let f = if at_key {
            self.err_at_key(path, "invisible-character", msg)
        } else {
            self.err_at_value(path, "invisible-character", msg)
        };
        f.hint = Some("retype it with visible characters only".into());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_found() {
        for s in [
            "a\u{202E}b",
            "a\u{200B}",
            "\0x",
            "sh\u{7}op",
            "x\u{FEFF}",
            "e\u{AD}u",
            "a\u{2066}b",
            "\u{1B}[31m",
        ] {
            assert!(invisible(s, &[]).is_some(), "{s:?}");
        }
        for s in ["orders-eu", "zone-ä", "日本", "a b", "x.y_z"] {
            assert_eq!(invisible(s, &[]), None, "{s:?}");
        }
        assert_eq!(invisible("a\n\tb", &['\n', '\t']), None);
        assert_eq!(invisible("a\n\u{202E}", &['\n']), Some('\u{202E}'));
    }
}
