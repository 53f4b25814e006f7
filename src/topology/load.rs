//! Reading a topology file: bytes -> text -> typed model + position index -> validated.
//!
//! Every way a file can be wrong ends as a `Finding` with a line and column; nothing here
//! panics or touches the network.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::finding::{self, Finding, Severity};
use super::model::{Topology, SUPPORTED_VERSION};
use super::position::{Pos, PositionIndex};
use super::validate;

/// Topology files are small; anything larger is a mistake or an attack.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A topology that parsed and passed validation (warnings may remain in `findings`).
#[derive(Debug)]
pub struct LoadedTopology {
    /// The name used in findings: the path as given, or `<stdin>`.
    pub file: String,
    pub topology: Topology,
    pub index: PositionIndex,
}

/// A topology that cannot be used, with every error found.
#[derive(Debug, thiserror::Error)]
#[error("{} is not a valid topology ({} error{})", .file, .findings.len(), if .findings.len() == 1 { "" } else { "s" })]
pub struct TopologyError {
    pub file: String,
    pub findings: Vec<Finding>,
}

/// Reads and validates a file (`-` is stdin).
pub fn load_file(path: &Path) -> Result<LoadedTopology, TopologyError> {
    let (name, bytes) = read_bytes(path).map_err(|f| TopologyError {
        file: f.file.clone(),
        findings: vec![f],
    })?;
    load_bytes(&name, &bytes)
}

/// Validates bytes that claim to be a topology file.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<LoadedTopology, TopologyError> {
    let fail = |findings: Vec<Finding>| TopologyError {
        file: name.to_string(),
        findings,
    };
    let text = decode(name, bytes).map_err(|f| fail(vec![f]))?;
    load_str(name, text)
}

/// Parses and validates YAML text.
pub fn load_str(name: &str, text: &str) -> Result<LoadedTopology, TopologyError> {
    let (topology, index) = parse(name, text).map_err(|findings| TopologyError {
        file: name.to_string(),
        findings,
    })?;
    let mut errors: Vec<Finding> = validate::validate(name, &topology, &index);
    if !errors.is_empty() {
        finding::sort(&mut errors);
        return Err(TopologyError {
            file: name.to_string(),
            findings: errors,
        });
    }
    Ok(LoadedTopology {
        file: name.to_string(),
        topology,
        index,
    })
}

fn read_bytes(path: &Path) -> Result<(String, Vec<u8>), Finding> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        let name = "<stdin>".to_string();
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                Finding::error(&name, Pos::START, "io", format!("cannot read stdin: {e}"))
            })?;
        return Ok((name, buf));
    }
    let name = path.display().to_string();
    let io_err = |e: std::io::Error| {
        Finding::error(
            &name,
            Pos::START,
            "io",
            format!("cannot read the file: {e}"),
        )
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(Finding::error(
            &name,
            Pos::START,
            "io",
            "this is a directory, not a topology file",
        ));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(&name, meta.len()));
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut buf))
        .map_err(io_err)?;
    Ok((name, buf))
}

fn too_large(name: &str, len: u64) -> Finding {
    Finding::error(
        name,
        Pos::START,
        "too-large",
        format!("the file is {len} bytes; a topology file may be at most {MAX_FILE_BYTES} bytes"),
    )
}

/// Checks size and encoding and returns the UTF-8 text (without a byte-order mark).
fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, Finding> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len() as u64));
    }
    if let Some(enc) = wide_encoding(bytes) {
        return Err(Finding::error(
            name,
            Pos::START,
            "encoding",
            format!("the file is {enc}; topology files must be UTF-8"),
        )
        .with_hint(format!("convert it, e.g. `iconv -f {enc} -t UTF-8`")));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(i) = bytes.iter().position(|b| *b == 0) {
        return Err(Finding::error(
            name,
            pos_of_byte(&bytes[..i]),
            "encoding",
            "the file contains a NUL byte; it is binary, not a YAML topology",
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = pos_of_byte(&bytes[..e.valid_up_to()]);
            return Err(Finding::error(
                name,
                at,
                "encoding",
                format!(
                    "invalid UTF-8 (byte 0x{:02X}); topology files must be UTF-8",
                    bytes[e.valid_up_to()]
                ),
            )
            .with_hint(
                "a legacy 8-bit encoding? convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
            ));
        }
    };
    Ok(text)
}

/// UTF-16 or UTF-32, told by a byte-order mark or, without one, by the NUL bytes ASCII
/// text has in those encodings (`v\0e\0` is UTF-16LE, `\0\0\0v` UTF-32BE).
fn wide_encoding(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xFF, 0xFE, 0, 0]) || (b.len() >= 4 && b[0] != 0 && b[1..4] == [0, 0, 0]) {
        return Some("UTF-32LE");
    }
    if b.starts_with(&[0, 0, 0xFE, 0xFF]) || (b.len() >= 4 && b[..3] == [0, 0, 0] && b[3] != 0) {
        return Some("UTF-32BE");
    }
    if b.starts_with(&[0xFF, 0xFE]) || (b.len() >= 2 && b[0] != 0 && b[1] == 0) {
        return Some("UTF-16LE");
    }
    if b.starts_with(&[0xFE, 0xFF]) || (b.len() >= 2 && b[0] == 0 && b[1] != 0) {
        return Some("UTF-16BE");
    }
    None
}

/// The 1-based line and column just after `prefix` (which is valid UTF-8).
fn pos_of_byte(prefix: &[u8]) -> Pos {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos { line, column }
}

/// YAML text -> typed model and position index, or the findings that stop it.
fn parse(name: &str, text: &str) -> Result<(Topology, PositionIndex), Vec<Finding>> {
    if text.trim().is_empty() || only_comments(text) {
        return Err(vec![Finding::error(
            name,
            Pos::START,
            "empty",
            "the file holds no YAML document",
        )
        .with_hint(
            "a topology starts with `version: 1`, `name:` and `pattern:`",
        )]);
    }
    // The event parse runs first: it is linear even on hostile nesting, where libyaml's
    // loader behind serde_yaml is not, so serde only ever sees shallow documents.
    let too_deep = |at| {
        vec![Finding::error(
            name,
            at,
            "too-deep",
            format!(
                "the document nests deeper than {} levels; a topology needs far fewer",
                super::position::MAX_DEPTH
            ),
        )]
    };
    let index = PositionIndex::build(text).map_err(|e| {
        if e.message.contains("recursion limit") {
            return too_deep(e.at);
        }
        let mut f = Finding::error(name, e.at, "yaml-syntax", e.message.clone());
        if e.message.contains("tab") {
            f = f.with_hint("YAML indents with spaces; replace the tab");
        }
        vec![f]
    })?;
    if let Some(at) = index.too_deep {
        return Err(too_deep(at));
    }
    if let Some(at) = index.alias_bomb {
        return Err(vec![Finding::error(
            name,
            at,
            "alias-bomb",
            format!(
                "with this alias the document expands to more than {} nodes (an alias bomb); a topology has a few hundred",
                super::position::MAX_EXPANDED_NODES
            ),
        )
        .with_hint("write the values out, or alias small values only")]);
    }
    if let Some((at, tag)) = &index.tag {
        return Err(vec![Finding::error(
            name,
            *at,
            "yaml-tag",
            format!("the YAML tag `{tag}` is not allowed: a topology holds plain strings, numbers, lists and mappings"),
        )
        .with_hint("remove the tag; secrets come from `{env: VAR}` or `{file: PATH}`")]);
    }
    if let Some(at) = index.alias_key {
        return Err(vec![Finding::error(
            name,
            at,
            "yaml-syntax",
            "an alias is used as a mapping key; a topology's keys are plain names",
        )]);
    }
    if let Some(at) = index.second_document {
        return Err(vec![Finding::error(
            name,
            at,
            "multiple-documents",
            "a second YAML document starts here; a topology file holds exactly one",
        )
        .with_hint("split it into one file per topology")]);
    }
    let mut findings: Vec<Finding> = index
        .duplicates
        .iter()
        .map(|d| {
            Finding::error(
                name,
                d.at,
                "duplicate-key",
                format!(
                    "`{}` is given twice (first at line {}, column {})",
                    d.path, d.first.line, d.first.column
                ),
            )
        })
        .collect();
    match serde_yaml::from_str::<Topology>(text) {
        Ok(t) if findings.is_empty() => Ok((t, index)),
        Ok(_) => Err(findings),
        Err(e) => {
            let mut f = version_finding(name, text, &index).unwrap_or_else(|| from_serde(name, &e));
            // Through an alias serde reports where the anchored value is, not where it was
            // used: the path in its message says where.
            if f.rule == "wrong-type" {
                if let Some(at) = f
                    .message
                    .split_once(": ")
                    .and_then(|(path, _)| index.value_by_display(path))
                {
                    (f.line, f.column) = (at.line, at.column);
                }
            }
            // serde's duplicate-field errors point at the mapping, the index at the key.
            let known_duplicate = f.rule == "duplicate-key" && !findings.is_empty();
            if !known_duplicate {
                findings.push(f);
            }
            finding::sort(&mut findings);
            Err(findings)
        }
    }
}

fn only_comments(text: &str) -> bool {
    text.split(['\n', '\r']).all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// When a file declares another format version, say so instead of listing the fields this
/// version does not know.
fn version_finding(name: &str, text: &str, index: &PositionIndex) -> Option<Finding> {
    #[derive(serde::Deserialize)]
    struct Probe {
        version: Option<serde_yaml::Value>,
    }
    let probe: Probe = serde_yaml::from_str(text).ok()?;
    let v = probe.version?;
    if v.as_u64() == Some(u64::from(SUPPORTED_VERSION)) {
        return None;
    }
    if let Some(s) = v.as_str() {
        if s.trim().parse::<u64>().ok() == Some(u64::from(SUPPORTED_VERSION)) {
            return Some(Finding::error(
                name,
                index.value(&crate::node_path!["version"]),
                "wrong-type",
                format!("`version` is the string {s:?}; write the number: `version: {SUPPORTED_VERSION}`"),
            ));
        }
    }
    Some(unsupported_version(name, index, &v))
}

pub(crate) fn unsupported_version(
    name: &str,
    index: &PositionIndex,
    v: &serde_yaml::Value,
) -> Finding {
    let shown = serde_yaml::to_string(v).unwrap_or_default();
    Finding::error(
        name,
        index.value(&crate::node_path!["version"]),
        "unsupported-version",
        format!(
            "unsupported format version {}; this kafka-failover reads version {SUPPORTED_VERSION}",
            shown.trim()
        ),
    )
}

fn location_suffix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r" at line \d+ column \d+").unwrap())
}

fn unknown_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"unknown (?:field|variant) `([^`]*)`, expected (.*)$").unwrap())
}

/// Turns a serde_yaml error into a finding: its position, a stable rule id, the message
/// without serde's location suffix, and a "did you mean" where a name is close.
fn from_serde(name: &str, e: &serde_yaml::Error) -> Finding {
    let at = e
        .location()
        .map(|l| Pos {
            line: l.line(),
            column: l.column(),
        })
        .unwrap_or(Pos::START);
    let raw = e.to_string();
    let message = location_suffix().replace(&raw, "").into_owned();
    let rule = classify(&message);
    let mut f = Finding::new(name, at, Severity::Error, rule, message.clone());
    if let Some(c) = unknown_name().captures(&message) {
        let candidates: Vec<&str> = c[2]
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        if &c[1] == "<<" {
            f = f.with_hint("YAML merge keys (`<<`) are not supported: repeat the fields, or alias the whole value with `*anchor`");
        } else if let Some(best) = closest(&c[1], &candidates) {
            f = f.with_hint(format!("did you mean `{best}`?"));
        }
    }
    f
}

fn classify(message: &str) -> &'static str {
    let table: &[(&str, &str)] = &[
        ("unknown field", "unknown-field"),
        ("unknown variant", "unknown-value"),
        ("missing field", "missing-field"),
        ("duplicate field", "duplicate-key"),
        ("invalid type", "wrong-type"),
        ("invalid value", "wrong-type"),
        ("invalid length", "wrong-type"),
        ("recursion limit exceeded", "too-deep"),
        ("repetition limit exceeded", "alias-bomb"),
        ("more than one document", "multiple-documents"),
        ("unknown anchor", "yaml-syntax"),
        ("a secret takes exactly one", "bad-secret-ref"),
        ("found an empty mapping", "bad-secret-ref"),
    ];
    table
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, rule)| *rule)
        .unwrap_or("yaml-syntax")
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        let c = ["bootstrap", "datacenter", "role"];
        assert_eq!(closest("bootstrp", &c), Some("bootstrap"));
        assert_eq!(closest("datacentre", &c), Some("datacenter"));
        assert_eq!(closest("zzz", &c), None);
    }

    #[test]
    fn byte_positions() {
        assert_eq!(pos_of_byte(b"ab\ncd"), Pos { line: 2, column: 3 });
        assert_eq!(pos_of_byte(b""), Pos::START);
    }

    #[test]
    fn utf16_and_nul_are_rejected() {
        let f = decode("t", &[0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert_eq!(f.rule, "encoding");
        for (bytes, enc) in [
            (&b"v\0e\0"[..], "UTF-16LE"),
            (b"\0v\0e", "UTF-16BE"),
            (b"\xFF\xFE\0\0v\0\0\0", "UTF-32LE"),
            (b"\0\0\xFE\xFF\0\0\0v", "UTF-32BE"),
            (b"v\0\0\0e\0\0\0", "UTF-32LE"),
        ] {
            let f = decode("t", bytes).unwrap_err();
            assert!(f.message.contains(enc), "{enc}: {}", f.message);
        }
        let f = decode("t", b"version: 1\nna\0me: x").unwrap_err();
        assert_eq!((f.line, f.column), (2, 3));
    }
}
