//! A Java `.properties` file kept as its original text, one logical line at a time, so that
//! editing a key rewrites that line only and every other byte (comments, blank lines,
//! ordering, odd spacing, continuations) stays as it was.
//!
//! Reading follows `java.util.Properties.load(InputStream)`: ISO-8859-1 bytes; `\n`, `\r`
//! or `\r\n` end a line; a line ending in an odd number of backslashes continues on the
//! next (whose leading whitespace is dropped); `#` or `!` as the first non-blank character
//! starts a comment (which never continues); the key ends at the first unescaped `=`, `:`
//! or whitespace; `\t \n \r \f \uXXXX` and `\x` (= `x`) are escapes. Duplicate keys: the
//! last one wins, as in Java.

/// A parsed properties file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertiesDoc {
    lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// The original text, line terminator(s) included; ISO-8859-1 decoded (chars <= U+00FF).
    raw: String,
    entry: Option<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    value: String,
    /// Byte offset in `raw` where the value's text starts, when the entry is one physical
    /// line (then an edit keeps the key and separator exactly as written).
    value_at: Option<usize>,
}

const WS: [char; 3] = [' ', '\t', '\x0c'];

impl PropertiesDoc {
    pub fn parse(bytes: &[u8]) -> PropertiesDoc {
        // ISO-8859-1: every byte is the char with that code point, so this round-trips.
        let text: String = bytes.iter().map(|&b| b as char).collect();
        let mut lines = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let (end, next) = eol(&text, i);
            let first = text[i..end].trim_start_matches(WS);
            if first.is_empty() || first.starts_with('#') || first.starts_with('!') {
                lines.push(Line {
                    raw: text[i..next].to_string(),
                    entry: None,
                });
                i = next;
                continue;
            }
            let mut logical = String::new();
            let mut cur = i;
            let mut physical = 0;
            loop {
                let (end, next) = eol(&text, cur);
                let mut seg = &text[cur..end];
                if physical > 0 {
                    seg = seg.trim_start_matches(WS);
                }
                physical += 1;
                let slashes = seg.chars().rev().take_while(|&c| c == '\\').count();
                cur = next;
                if slashes % 2 == 1 {
                    logical.push_str(&seg[..seg.len() - 1]);
                    if next > end && cur < text.len() {
                        continue;
                    }
                } else {
                    logical.push_str(seg);
                }
                break;
            }
            let raw = text[i..cur].to_string();
            let (key, value, value_start) = split_entry(&logical);
            // One physical line: `logical` is `raw` without its terminator, so the offset
            // holds in `raw` too.
            let value_at = (physical == 1).then_some(value_start);
            lines.push(Line {
                raw,
                entry: Some(Entry {
                    key,
                    value,
                    value_at,
                }),
            });
            i = cur;
        }
        PropertiesDoc { lines }
    }

    /// The file's bytes: the original ones for every line that was not edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.lines
            .iter()
            .flat_map(|l| l.raw.chars())
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect()
    }

    /// The value of `key` (the last occurrence, as Java reads it).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries()
            .filter(|e| e.key == key)
            .last()
            .map(|e| e.value.as_str())
    }

    /// Every key, in file order (duplicates included).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries().map(|e| e.key.as_str())
    }

    /// Sets `key` to `value` and returns the previous value. An existing key's last
    /// occurrence is rewritten in place (same key text and separator when it was one
    /// line); a new key goes after the last key starting with `near_prefix`, else at the
    /// end of the file.
    pub fn set(&mut self, key: &str, value: &str, near_prefix: Option<&str>) -> Option<String> {
        let escaped = escape(value, false);
        if let Some(idx) = self.position_of(key) {
            let line = &mut self.lines[idx];
            let entry = line.entry.as_mut().expect("position_of finds entries");
            let old = std::mem::replace(&mut entry.value, value.to_string());
            let term = terminator_of(&line.raw).to_string();
            let head = match entry.value_at {
                Some(at) => line.raw[..at].to_string(),
                None => format!("{}=", escape(key, true)),
            };
            line.raw = format!("{head}{escaped}{term}");
            entry.value_at = Some(head.len());
            return Some(old);
        }
        let newline = self.newline().to_string();
        let at = near_prefix
            .and_then(|p| {
                self.lines
                    .iter()
                    .rposition(|l| l.entry.as_ref().is_some_and(|e| e.key.starts_with(p)))
            })
            .map(|i| i + 1)
            .unwrap_or(self.lines.len());
        if at > 0 && terminator_of(&self.lines[at - 1].raw).is_empty() {
            self.lines[at - 1].raw.push_str(&newline);
        }
        let head = format!("{}=", escape(key, true));
        self.lines.insert(
            at,
            Line {
                raw: format!("{head}{escaped}{newline}"),
                entry: Some(Entry {
                    key: key.to_string(),
                    value: value.to_string(),
                    value_at: Some(head.len()),
                }),
            },
        );
        None
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.lines.iter().filter_map(|l| l.entry.as_ref())
    }

    fn position_of(&self, key: &str) -> Option<usize> {
        self.lines
            .iter()
            .rposition(|l| l.entry.as_ref().is_some_and(|e| e.key == key))
    }

    /// The file's own line ending (the first one found), `\n` by default.
    fn newline(&self) -> &str {
        self.lines
            .iter()
            .map(|l| terminator_of(&l.raw))
            .find(|t| !t.is_empty())
            .unwrap_or("\n")
    }
}

/// End of the physical line starting at `from`: (end of its text, start of the next line).
fn eol(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => return (i, i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => return (i, i + 2),
            b'\r' => return (i, i + 1),
            _ => i += 1,
        }
    }
    (bytes.len(), bytes.len())
}

/// The line terminator at the end of `raw` ("" at the end of a file without one).
fn terminator_of(raw: &str) -> &str {
    if raw.ends_with("\r\n") {
        "\r\n"
    } else if raw.ends_with('\n') {
        "\n"
    } else if raw.ends_with('\r') {
        "\r"
    } else {
        ""
    }
}

/// Splits a logical line into (key, value, byte offset where the value's text starts).
fn split_entry(line: &str) -> (String, String, usize) {
    let start = line.len() - line.trim_start_matches(WS).len();
    let mut key_end = line.len();
    let mut value_start = line.len();
    let mut has_sep = false;
    let mut escaped = false;
    for (i, c) in line[start..].char_indices() {
        let i = start + i;
        if !escaped && (c == '=' || c == ':') {
            key_end = i;
            value_start = i + 1;
            has_sep = true;
            break;
        }
        if !escaped && WS.contains(&c) {
            key_end = i;
            value_start = i + 1;
            break;
        }
        escaped = c == '\\' && !escaped;
    }
    let mut v = value_start;
    let rest = line.as_bytes();
    while v < line.len() {
        let c = rest[v] as char;
        if WS.contains(&c) {
            v += 1;
        } else if !has_sep && (c == '=' || c == ':') {
            has_sep = true;
            v += 1;
        } else {
            break;
        }
    }
    (
        unescape(&line[start..key_end]),
        unescape(&line[v.min(line.len())..]),
        v.min(line.len()),
    )
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(c) = after.chars().next() else {
            rest = after; // a lone trailing backslash is dropped, as in Java
            break;
        };
        rest = &after[c.len_utf8()..];
        match c {
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\x0c'),
            'u' => match hex4(rest) {
                Some(high @ 0xD800..=0xDBFF) => {
                    // A surrogate pair is two escapes: \uD83D\uDE00.
                    let low = rest[4..].strip_prefix("\\u").and_then(hex4);
                    match low {
                        Some(low @ 0xDC00..=0xDFFF) => {
                            let n = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                            rest = &rest[10..];
                        }
                        _ => {
                            out.push('\u{fffd}');
                            rest = &rest[4..];
                        }
                    }
                }
                Some(n) => {
                    out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                    rest = &rest[4..];
                }
                // Java rejects a malformed \u; keep the text rather than fail.
                None => out.push_str("\\u"),
            },
            other => out.push(other),
        }
    }
    out.push_str(rest);
    out
}

fn hex4(s: &str) -> Option<u32> {
    let h = s.get(..4)?;
    if h.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(h, 16).ok()
    } else {
        None
    }
}

/// Escapes for writing: always ASCII, so the ISO-8859-1 file stays valid whatever the
/// value holds.
fn escape(s: &str, is_key: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0c' => out.push_str("\\f"),
            ' ' if is_key || i == 0 => out.push_str("\\ "),
            '=' | ':' | '#' | '!' if is_key => {
                out.push('\\');
                out.push(c);
            }
            c if (' '..='~').contains(&c) => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> PropertiesDoc {
        PropertiesDoc::parse(s.as_bytes())
    }

    #[test]
    fn separators_and_whitespace() {
        let d = doc("a=1\nb: 2\nc 3\n  d   =   4  \ne\n\tf\\ g=5\nh=\n");
        assert_eq!(d.get("a"), Some("1"));
        assert_eq!(d.get("b"), Some("2"));
        assert_eq!(d.get("c"), Some("3"));
        assert_eq!(
            d.get("d"),
            Some("4  "),
            "trailing whitespace is kept, as in Java"
        );
        assert_eq!(d.get("e"), Some(""));
        assert_eq!(d.get("f g"), Some("5"));
        assert_eq!(d.get("h"), Some(""));
    }

    #[test]
    fn comments_blank_lines_and_continuations() {
        let text = "# c1 \\\nx=1\n! c2\n   \nlist = a,\\\n       b,\\\n   c\nlast=\\\\\n";
        let d = doc(text);
        assert_eq!(
            d.get("x"),
            Some("1"),
            "a comment ending in \\ does not continue"
        );
        assert_eq!(d.get("list"), Some("a,b,c"));
        assert_eq!(d.get("last"), Some("\\"));
        assert_eq!(d.keys().collect::<Vec<_>>(), vec!["x", "list", "last"]);
        assert_eq!(d.to_bytes(), text.as_bytes());
    }

    #[test]
    fn escapes_and_latin1_round_trip() {
        let bytes = b"k\\:ey=caf\xe9 \\u00e9\\t\r\nA->B.enabled=true\rz=1";
        let d = PropertiesDoc::parse(bytes);
        assert_eq!(d.get("k:ey"), Some("caf\u{e9} \u{e9}\t"));
        assert_eq!(d.get("A->B.enabled"), Some("true"));
        assert_eq!(d.get("z"), Some("1"));
        assert_eq!(d.to_bytes(), bytes.to_vec());
    }

    #[test]
    fn set_rewrites_only_that_line() {
        let text = "# flows\nA->B.enabled = true\r\nA->B.topics=x\nother=1\nA->B.enabled=true\n";
        let mut d = doc(text);
        assert_eq!(d.set("A->B.enabled", "false", None), Some("true".into()));
        let out = String::from_utf8(d.to_bytes()).unwrap();
        assert_eq!(
            out, "# flows\nA->B.enabled = true\r\nA->B.topics=x\nother=1\nA->B.enabled=false\n",
            "the last duplicate is the one Java reads"
        );
        assert_eq!(d.get("A->B.enabled"), Some("false"));
        let mut d = doc("A->B.enabled = true\r\nz=1");
        d.set("A->B.enabled", "false", None);
        assert_eq!(d.to_bytes(), b"A->B.enabled = false\r\nz=1");
    }

    #[test]
    fn set_continued_line_and_new_keys() {
        let mut d = doc("A->B.topics = a,\\\n  b\nA->B.enabled=true\nz=1");
        d.set("A->B.topics", " lead\\ing é😀", None);
        d.set("A->B.groups", "g.*", Some("A->B."));
        d.set("B->A.enabled", "false", Some("B->A."));
        let out = String::from_utf8(d.to_bytes()).unwrap();
        assert_eq!(
            out,
            "A->B.topics=\\ lead\\\\ing \\u00E9\\uD83D\\uDE00\nA->B.enabled=true\nA->B.groups=g.*\nz=1\nB->A.enabled=false\n"
        );
        let back = PropertiesDoc::parse(out.as_bytes());
        assert_eq!(back.get("A->B.topics"), Some(" lead\\ing é😀"));
        assert_eq!(back.get("B->A.enabled"), Some("false"));
    }

    #[test]
    fn empty_and_crlf_files() {
        let mut d = doc("");
        d.set("clusters", "A, B", None);
        assert_eq!(d.to_bytes(), b"clusters=A, B\n");
        let mut d = doc("a=1\r\n");
        d.set("b", "2", None);
        assert_eq!(d.to_bytes(), b"a=1\r\nb=2\r\n");
    }
}
