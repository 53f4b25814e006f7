//! Where each node of a YAML document sits (line and column), by path.
//!
//! serde gives positions only for the errors it raises itself. Semantic checks
//! (a dangling reference, an inline secret) run on the typed model afterwards, so this
//! index maps each node's path back to its place in the file. It is built from a second,
//! event-level parse, which also catches duplicate keys in any mapping.

use std::collections::HashMap;
use std::fmt;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}
impl From<String> for Seg {
    fn from(s: String) -> Self {
        Seg::Key(s)
    }
}
impl From<&String> for Seg {
    fn from(s: &String) -> Self {
        Seg::Key(s.clone())
    }
}
impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// A path from the document root, e.g. `clusters.east.bootstrap` or `consumer-groups[2]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NodePath(pub Vec<Seg>);

impl NodePath {
    pub fn root() -> Self {
        NodePath(Vec::new())
    }
    pub fn join(&self, seg: impl Into<Seg>) -> NodePath {
        let mut v = self.0.clone();
        v.push(seg.into());
        NodePath(v)
    }
}

/// Builds a path from segments: `path!["clusters", name, "bootstrap"]`.
#[macro_export]
macro_rules! node_path {
    ($($seg:expr),* $(,)?) => {
        $crate::topology::position::NodePath(vec![$($crate::topology::position::Seg::from($seg)),*])
    };
}

impl fmt::Display for NodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Option<Pos>,
    value: Pos,
}

/// Text the YAML parser cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub at: Pos,
}

/// A mapping key that appears twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub path: NodePath,
    pub at: Pos,
    pub first: Pos,
}

/// Deeper nesting than this is refused: a topology is about six levels deep, and indexing
/// paths costs time proportional to depth for every node.
pub const MAX_DEPTH: usize = 64;

/// More nodes than this once aliases are expanded is an alias bomb ("billion laughs"): a
/// real topology has a few hundred nodes, and serde would expand every alias it meets.
pub const MAX_EXPANDED_NODES: u64 = 100_000;

#[derive(Debug, Default)]
pub struct PositionIndex {
    entries: HashMap<NodePath, Entry>,
    pub duplicates: Vec<DuplicateKey>,
    /// Where nesting first went deeper than `MAX_DEPTH`.
    pub too_deep: Option<Pos>,
    /// Where a second YAML document starts, if the file holds more than one.
    pub second_document: Option<Pos>,
    /// The alias at which the expanded document passes `MAX_EXPANDED_NODES`.
    pub alias_bomb: Option<Pos>,
    /// The first explicit tag other than the core schema's (`!!str`, `!!int`...), as
    /// written, with its position.
    pub tag: Option<(Pos, String)>,
    /// The first alias used as a mapping key.
    pub alias_key: Option<Pos>,
}

impl PositionIndex {
    /// Position of the value at the path that displays as `shown` (e.g.
    /// `clusters.east.datacenter`, as serde names it in its messages).
    pub fn value_by_display(&self, shown: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(p, _)| p.to_string() == shown)
            .map(|(_, e)| e.value)
    }

    /// Indexes `text`, or returns the first syntax error (with its position). Nesting
    /// deeper than `MAX_DEPTH` is reported through `too_deep`.
    pub fn build(text: &str) -> Result<PositionIndex, SyntaxError> {
        let mut b = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let result = parser.load(&mut b, true);
        let index = PositionIndex {
            entries: b.entries,
            duplicates: b.duplicates,
            too_deep: b.too_deep,
            second_document: b.second_document,
            alias_bomb: b.alias_bomb,
            tag: b.tag,
            alias_key: b.alias_key,
        };
        match result {
            Err(_) if index.too_deep.is_some() => Ok(index),
            Err(e) => Err(SyntaxError {
                message: e.info().to_string(),
                at: pos(e.marker()),
            }),
            Ok(()) => Ok(index),
        }
    }

    /// Position of the node's value (or the nearest indexed ancestor, or 1:1).
    pub fn value(&self, path: &NodePath) -> Pos {
        self.lookup(path, |e| e.value)
    }

    /// Position of the node's key in its mapping (its value's position for sequence items).
    pub fn key(&self, path: &NodePath) -> Pos {
        self.lookup(path, |e| e.key.unwrap_or(e.value))
    }

    /// True when the path exists in the document.
    pub fn has(&self, path: &NodePath) -> bool {
        self.entries.contains_key(path)
    }

    fn lookup(&self, path: &NodePath, pick: impl Fn(&Entry) -> Pos) -> Pos {
        let mut p = path.0.clone();
        loop {
            if let Some(e) = self.entries.get(&NodePath(p.clone())) {
                return pick(e);
            }
            if p.pop().is_none() {
                return Pos::START;
            }
        }
    }
}

fn pos(m: &Marker) -> Pos {
    // yaml-rust2 markers: 1-based lines, 0-based columns.
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

enum Frame {
    Map {
        path: NodePath,
        /// The key just read, waiting for its value.
        pending: Option<(String, Pos)>,
        seen: HashMap<String, Pos>,
    },
    Seq {
        path: NodePath,
        next: usize,
    },
    /// A non-scalar used as a mapping key: skipped, with its nesting depth.
    Skip {
        depth: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    entries: HashMap<NodePath, Entry>,
    duplicates: Vec<DuplicateKey>,
    too_deep: Option<Pos>,
    documents: usize,
    second_document: Option<Pos>,
    /// Node counts of the open containers, each with its anchor id (0: none).
    sizes: Vec<(u64, usize)>,
    /// Expanded node count of each anchored node, by anchor id.
    anchored: HashMap<usize, u64>,
    /// Nodes that aliases add once expanded.
    expanded: u64,
    alias_bomb: Option<Pos>,
    tag: Option<(Pos, String)>,
    alias_key: Option<Pos>,
}

/// Tags of YAML's core schema, which only restate a plain value's type.
fn core_tag(t: &yaml_rust2::parser::Tag) -> bool {
    (t.handle == "!!" || t.handle == "tag:yaml.org,2002:")
        && matches!(
            t.suffix.as_str(),
            "str" | "int" | "float" | "bool" | "null" | "map" | "seq"
        )
}

impl Builder {
    /// Counts an alias that expands to `size` nodes.
    fn alias(&mut self, size: u64, at: Pos) {
        if let Some(parent) = self.sizes.last_mut() {
            parent.0 = parent.0.saturating_add(size);
        }
        self.expanded = self.expanded.saturating_add(size);
        if self.expanded > MAX_EXPANDED_NODES && self.alias_bomb.is_none() {
            self.alias_bomb = Some(at);
        }
    }

    fn note_tag(&mut self, tag: &Option<yaml_rust2::parser::Tag>, at: Pos) {
        if let Some(t) = tag {
            if self.tag.is_none() && !core_tag(t) {
                let handle = if t.handle == "tag:yaml.org,2002:" {
                    "!!"
                } else {
                    &t.handle
                };
                self.tag = Some((at, format!("{handle}{}", t.suffix)));
            }
        }
    }

    /// Where the node that starts now goes: `Some(path, key position)` for a value,
    /// `None` when the node is a mapping key.
    fn place(&mut self) -> Option<(NodePath, Option<Pos>)> {
        match self.stack.last_mut() {
            None => Some((NodePath::root(), None)),
            Some(Frame::Seq { path, next }) => {
                let p = path.join(*next);
                *next += 1;
                Some((p, None))
            }
            Some(Frame::Map { path, pending, .. }) => {
                let (k, kpos) = pending.take()?;
                Some((path.join(k), Some(kpos)))
            }
            Some(Frame::Skip { .. }) => None,
        }
    }

    fn node_start(&mut self, mark: Pos) -> Option<NodePath> {
        let (path, key) = self.place()?;
        self.entries
            .insert(path.clone(), Entry { key, value: mark });
        Some(path)
    }

    fn scalar_key(&mut self, text: String, at: Pos) -> bool {
        if let Some(Frame::Map {
            path,
            pending,
            seen,
        }) = self.stack.last_mut()
        {
            if pending.is_none() {
                // yaml-rust2 marks a block mapping's start after its first key; the mapping
                // really starts at that key.
                if seen.is_empty() {
                    if let Some(e) = self.entries.get_mut(path) {
                        e.value = e.value.min(at);
                    }
                }
                if let Some(first) = seen.get(&text) {
                    self.duplicates.push(DuplicateKey {
                        path: path.join(text.clone()),
                        at,
                        first: *first,
                    });
                } else {
                    seen.insert(text.clone(), at);
                }
                *pending = Some((text, at));
                return true;
            }
        }
        false
    }

    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { pending: None, .. }))
    }

    fn container_end(&mut self) {
        if let Some(Frame::Skip { depth }) = self.stack.last_mut() {
            if *depth > 0 {
                *depth -= 1;
                return;
            }
        }
        self.stack.pop();
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = pos(&mark);
        if self.too_deep.is_some() || self.second_document.is_some() {
            return;
        }
        if matches!(ev, Event::DocumentStart) {
            self.documents += 1;
            if self.documents > 1 {
                self.second_document = Some(at);
            }
            return;
        }
        if self.stack.len() >= MAX_DEPTH
            && matches!(ev, Event::MappingStart(..) | Event::SequenceStart(..))
        {
            self.too_deep = Some(at);
            return;
        }
        match &ev {
            Event::Scalar(_, _, anchor, tag) => {
                self.note_tag(tag, at);
                // A scalar counts once; containers count at their end, with their content.
                let anchor = *anchor;
                if let Some(parent) = self.sizes.last_mut() {
                    parent.0 = parent.0.saturating_add(1);
                }
                if anchor != 0 {
                    self.anchored.insert(anchor, 1);
                }
            }
            Event::Alias(id) => {
                let size = self.anchored.get(id).copied().unwrap_or(1);
                self.alias(size, at);
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                self.note_tag(tag, at);
                self.sizes.push((1, *anchor));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((size, anchor)) = self.sizes.pop() {
                    if anchor != 0 {
                        self.anchored.insert(anchor, size);
                    }
                    if let Some(parent) = self.sizes.last_mut() {
                        parent.0 = parent.0.saturating_add(size);
                    }
                }
            }
            _ => {}
        }
        match ev {
            Event::Scalar(text, ..) => {
                if self.is_key_position() {
                    self.scalar_key(text, at);
                } else {
                    self.node_start(at);
                }
            }
            Event::Alias(_) => {
                if self.is_key_position() {
                    self.alias_key.get_or_insert(at);
                    self.scalar_key("<alias>".into(), at);
                } else {
                    self.node_start(at);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                if self.is_key_position() {
                    // A mapping or sequence used as a key: index nothing inside it and give
                    // its value a placeholder key.
                    self.scalar_key("<complex key>".into(), at);
                    self.stack.push(Frame::Skip { depth: 0 });
                    return;
                }
                if let Some(Frame::Skip { depth }) = self.stack.last_mut() {
                    *depth += 1;
                    return;
                }
                let path = self.node_start(at).unwrap_or_default();
                self.stack.push(if is_map {
                    Frame::Map {
                        path,
                        pending: None,
                        seen: HashMap::new(),
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => self.container_end(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let text = "a: 1\nclusters:\n  east:\n    bootstrap: x:9092\nlist:\n  - one\n  - two\n";
        let idx = PositionIndex::build(text).unwrap();
        let p = node_path!["clusters", "east", "bootstrap"];
        assert_eq!(idx.key(&p), Pos { line: 4, column: 5 });
        assert_eq!(
            idx.value(&p),
            Pos {
                line: 4,
                column: 16
            }
        );
        assert_eq!(
            idx.value(&node_path!["list", 1usize]),
            Pos { line: 7, column: 5 }
        );
        // Unknown paths fall back to the nearest known ancestor.
        assert_eq!(
            idx.value(&node_path!["clusters", "east", "nope"]),
            Pos { line: 4, column: 5 }
        );
    }

    #[test]
    fn duplicate_keys_are_found_in_any_mapping() {
        let text = "clusters:\n  east: {}\n  west: {}\n  east: {}\n";
        let idx = PositionIndex::build(text).unwrap();
        assert_eq!(
            idx.duplicates,
            vec![DuplicateKey {
                path: node_path!["clusters", "east"],
                at: Pos { line: 4, column: 3 },
                first: Pos { line: 2, column: 3 },
            }]
        );
    }

    #[test]
    fn flow_style_and_complex_keys() {
        let text = "m: {a: 1, b: [x, y]}\n? [k1, k2]\n: v\nz: 2\n";
        let idx = PositionIndex::build(text).unwrap();
        assert_eq!(
            idx.value(&node_path!["m", "b", 1usize]),
            Pos {
                line: 1,
                column: 18
            }
        );
        assert_eq!(idx.key(&node_path!["z"]), Pos { line: 4, column: 1 });
    }

    #[test]
    fn alias_bombs_and_tags_are_noticed() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..6 {
            text += &format!(
                "b{i}: &b{i} [{}]\n",
                vec![
                    if i == 1 {
                        "*a".to_string()
                    } else {
                        format!("*b{}", i - 1)
                    };
                    10
                ]
                .join(", ")
            );
        }
        let idx = PositionIndex::build(&text).unwrap();
        assert_eq!(
            idx.alias_bomb.map(|p| p.line),
            Some(5),
            "b4 expands to 111111 nodes"
        );
        let idx = PositionIndex::build("a: &a [x, y]\nb: [*a, *a]\n").unwrap();
        assert_eq!(idx.alias_bomb, None);
        let idx = PositionIndex::build("a: !!str x\nb: !vault y\nc: !!binary eA==\n").unwrap();
        assert_eq!(
            idx.tag,
            Some((
                Pos {
                    line: 2,
                    column: 11
                },
                "!vault".into()
            ))
        );
        let idx = PositionIndex::build("a: !!binary eA==\n").unwrap();
        assert_eq!(idx.tag.unwrap().1, "!!binary");
    }

    #[test]
    fn path_display() {
        assert_eq!(
            node_path!["consumer-groups", 2usize, "active-in", 0usize].to_string(),
            "consumer-groups[2].active-in[0]"
        );
    }
}
