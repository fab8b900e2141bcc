//! YAML front matter read straight into JSON values.
//!
//! gray_matter's YAML engine parses with yaml-rust2 into a tree of `Yaml` nodes (each
//! mapping a linked hash map), converts that into its `Pod` tree, which
//! [`super::frontmatter`] then converted into JSON: three trees of the same values. The
//! front matter was a fifth of a `check`'s instructions, and the trees a fifth of
//! that. Here the same parser's events build the JSON values at once. Everything
//! unusual, and rare in front matter (tags, anchored keys, mappings or aliases as keys,
//! two keys that read as the same text), is read the engine's way instead, so the
//! values are exactly the engine's: the tests hold the two paths together on every
//! block they are given, and on every front matter of the example book and the test
//! fixtures.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::{ScanError, Yaml, YamlLoader};

/// The first document of `block` as JSON, with the values gray_matter's YAML engine
/// reads (`Null` for an empty block). The error is the parser's, as that engine
/// reports it.
pub fn read(block: &str) -> Result<Value, String> {
    let mut direct = Direct::default();
    // Event by event, not with `Parser::load`, which recurses once per level of
    // nesting: a deep enough block overflowed the stack before any limit could act.
    let mut parser = Parser::new_from_str(block);
    loop {
        let (event, mark) = parser.next_token().map_err(|e: ScanError| e.to_string())?;
        let end = event == Event::StreamEnd;
        direct.on_event(event, mark);
        if end || direct.exceeded.is_some() {
            break;
        }
    }
    if let Some(exceeded) = direct.exceeded {
        return Err(exceeded);
    }
    if !direct.unusual {
        return Ok(direct.first.unwrap_or(Value::Null));
    }
    let docs = YamlLoader::load_from_str(block).map_err(|e| e.to_string())?;
    Ok(docs.into_iter().next().map_or(Value::Null, json_of_yaml))
}

/// A YAML node as gray_matter's engine converts it (`Pod`), then as JSON: a real number
/// that Rust cannot read is 0, one that JSON cannot hold is null; keys that are not
/// scalars are dropped with their values.
fn json_of_yaml(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Real(val) => real(&val),
        Yaml::Integer(val) => Value::from(val),
        Yaml::String(val) => Value::String(val),
        Yaml::Boolean(val) => Value::Bool(val),
        Yaml::Array(items) => Value::Array(items.into_iter().map(json_of_yaml).collect()),
        Yaml::Hash(entries) => Value::Object(
            entries
                .into_iter()
                .filter_map(|(key, value)| Some((key_text(key)?, json_of_yaml(value))))
                .collect(),
        ),
        Yaml::Null | Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

fn real(text: &str) -> Value {
    Number::from_f64(text.parse().unwrap_or(0.0)).map_or(Value::Null, Value::Number)
}

/// A key's text, as gray_matter writes a scalar key; `None` for any other key.
fn key_text(key: Yaml) -> Option<String> {
    match key {
        Yaml::String(s) | Yaml::Real(s) => Some(s),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Null => Some("null".to_owned()),
        _ => None,
    }
}

/// A plain scalar's node, as yaml-rust2's loader resolves an untagged one.
fn plain(text: String) -> Yaml {
    match Yaml::from_str(&text) {
        // `from_str` copies the text; the one we have is kept instead.
        Yaml::String(_) => Yaml::String(text),
        other => other,
    }
}

/// The deepest nesting of sequences and mappings read. Front matter nests two or three
/// deep; every later stage walks values recursively, so a deep block could overflow
/// the stack.
pub const MAX_DEPTH: usize = 32;
/// The most values a block may hold once its aliases are expanded: an alias copies its
/// anchor's value, so a few hundred bytes of aliases of aliases can stand for billions.
pub const MAX_VALUES: usize = 100_000;

/// A sequence or mapping being read, with its anchor (0: none).
enum Open {
    Sequence(Vec<Value>, usize),
    /// The mapping, and its key waiting for a value.
    Mapping(Map<String, Value>, Option<String>, usize),
}

/// Builds the first document's JSON from the parser's events, or notes that the block
/// is unusual and leaves it to the engine's way.
#[derive(Default)]
struct Direct {
    open: Vec<Open>,
    /// Anchored nodes, for their aliases (front matter seldom has any).
    anchors: Vec<(usize, Value)>,
    /// The current document's node, once complete.
    root: Option<Value>,
    first: Option<Value>,
    unusual: bool,
    /// Per open sequence or mapping, its anchor and its size so far in values (aliases
    /// counted at their expanded size); then each anchor's size.
    sizes: Vec<(usize, usize)>,
    anchor_sizes: Vec<(usize, usize)>,
    /// The limit the block went past, with where: the block is then refused.
    exceeded: Option<String>,
}

impl Direct {
    /// Whether the next node is a mapping's key.
    fn at_key(&self) -> bool {
        matches!(self.open.last(), Some(Open::Mapping(_, None, _)))
    }

    /// A complete value (never a key).
    fn value(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.push((anchor, value.clone()));
        }
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open::Sequence(items, _)) => items.push(value),
            Some(Open::Mapping(map, key, _)) => {
                let key = key.take().expect("a value follows its key");
                // The same text twice is a duplicate key (an error) or two keys that
                // differ in YAML (`1` and `"1"`) and not in JSON: the engine decides.
                if map.insert(key, value).is_some() {
                    self.unusual = true;
                }
            }
        }
    }
}

impl MarkedEventReceiver for Direct {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.exceeded.is_some() {
            return;
        }
        let where_ = || format!("at line {} column {}", mark.line(), mark.col() + 1);
        // Each value's size, aliases expanded, is counted as the loader would copy it,
        // whichever way the block is then read.
        let size = match &event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.sizes.push((*anchor, 1));
                if self.sizes.len() > MAX_DEPTH {
                    self.exceeded = Some(format!(
                        "lists and maps nest more than {MAX_DEPTH} deep {}",
                        where_()
                    ));
                    return;
                }
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, size) = self.sizes.pop().unwrap_or((0, 1));
                if anchor > 0 {
                    self.anchor_sizes.push((anchor, size));
                }
                Some(size)
            }
            Event::Scalar(_, _, anchor, _) => {
                if *anchor > 0 {
                    self.anchor_sizes.push((*anchor, 1));
                }
                Some(1)
            }
            Event::Alias(id) => Some(
                self.anchor_sizes
                    .iter()
                    .rev()
                    .find(|(anchor, _)| anchor == id)
                    .map_or(1, |(_, n)| *n),
            ),
            _ => None,
        };
        if let Some(size) = size {
            let total = match self.sizes.last_mut() {
                Some((_, parent)) => {
                    *parent = parent.saturating_add(size);
                    *parent
                }
                None => size,
            };
            if total > MAX_VALUES {
                self.exceeded = Some(format!(
                    "its aliases expand to more than {MAX_VALUES} values {}",
                    where_()
                ));
                return;
            }
        }
        if self.unusual {
            return;
        }
        match event {
            Event::DocumentEnd => {
                let root = self.root.take().unwrap_or(Value::Null);
                self.first.get_or_insert(root);
            }
            // A sequence or mapping as a key.
            Event::SequenceStart(..) | Event::MappingStart(..) if self.at_key() => {
                self.unusual = true;
            }
            // Tags on collections are ignored, as the loader ignores them.
            Event::SequenceStart(anchor, _) => self.open.push(Open::Sequence(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => {
                self.open.push(Open::Mapping(Map::new(), None, anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => match self.open.pop() {
                Some(Open::Sequence(items, anchor)) => self.value(Value::Array(items), anchor),
                Some(Open::Mapping(map, None, anchor)) => self.value(Value::Object(map), anchor),
                // A key without its value, or an end without a start: the engine's way.
                _ => self.unusual = true,
            },
            Event::Scalar(_, TScalarStyle::Plain, _, Some(_)) => self.unusual = true,
            Event::Scalar(text, style, anchor, _) => {
                let node = if style == TScalarStyle::Plain {
                    plain(text)
                } else {
                    Yaml::String(text)
                };
                if self.at_key() {
                    match (anchor, key_text(node)) {
                        (0, Some(key)) => {
                            if let Some(Open::Mapping(_, waiting, _)) = self.open.last_mut() {
                                *waiting = Some(key);
                            }
                        }
                        _ => self.unusual = true,
                    }
                } else {
                    self.value(json_of_yaml(node), anchor);
                }
            }
            Event::Alias(_) if self.at_key() => self.unusual = true,
            Event::Alias(id) => {
                let value = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(anchor, _)| *anchor == id)
                    .map_or(Value::Null, |(_, v)| v.clone());
                self.value(value, 0);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_bomb_is_refused_not_expanded() {
        let mut block = "a: &a [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for (n, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            block.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = read(&block).unwrap_err();
        assert!(e.contains("aliases expand"), "{e}");
        // The same with a tag, which the engine's way reads.
        let e = read(&format!("t: !!str x\n{block}")).unwrap_err();
        assert!(e.contains("aliases expand"), "{e}");
        // A few aliases are fine.
        assert!(read("a: &a [1, 2]\nb: *a\nc: *a\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let block: String = (0..2000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let e = read(&block).unwrap_err();
        assert!(e.contains("nest more than"), "{e}");
        let flow = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
        // The scanner has a limit of its own on flow nesting: an error either way.
        assert!(read(&flow).is_err());
        assert!(read("a: [[[[1]]]]\n").is_ok());
    }
    use gray_matter::engine::Engine;

    /// The engine's way: gray_matter's YAML engine, its `Pod` converted to JSON.
    fn engine(block: &str) -> Result<Value, String> {
        gray_matter::engine::YAML::parse(block)
            .map(crate::source::frontmatter::pod_to_json)
            .map_err(|e| e.to_string().replacen("Deserialize error: ", "", 1))
    }

    fn direct(block: &str) -> Result<Value, String> {
        read(block).map_err(|e| e.to_string())
    }

    /// Whether `block` is read the direct way, without falling back.
    fn is_direct(block: &str) -> bool {
        let mut d = Direct::default();
        Parser::new_from_str(block).load(&mut d, true).is_ok() && !d.unusual
    }

    #[test]
    fn reads_as_gray_matters_engine() {
        let blocks = [
            "title: A\ndate: 2024-01-01\nsev: 2\nratio: 0.5\nbad: 1e\nok: true\nnone: ~\n",
            "nested:\n  - id: x\n    list: [1, 2.5, \"3\", no, null]\n    deep: {a: {b: [c]}}\n",
            "1: int key\n2.5: real key\ntrue: bool key\n~: null key\n[a]: dropped\n",
            "1: int key\n\"1\": string key\n",
            "anchor: &a [1, 2]\nalias: *a\ndup: 1\ndup: 2\n",
            "anchor: &a {x: [1, {y: 2}]}\nalias: *a\nscalar: &s hello\nagain: *s\nnone: *zz\n",
            "&k key: v\nother: *k\n",
            "*unknown : v\n",
            "{a: 1}: complex\nb: 2\n",
            "tagged: !!str 12\nbinary: 0x1F\noctal: 0o17\nplus: +5\nempty:\n",
            "f: !!float 1.5\ni: !!int 3\nb: !!bool true\nn: !!null ~\nbad: !!int x\n",
            "inf: .inf\nninf: -.inf\nnan: .nan\nbig: 1e400\nexp: 1e3\n",
            "quoted: 'true'\ndq: \"12\"\nlit: |\n  line\n  two\nfold: >\n  a\n  b\n",
            "- a list\n- at the top\n",
            "just text\n",
            "---\nfirst: doc\n---\nsecond: doc\n",
            "---\n---\nsecond: doc\n",
            "# only a comment\n",
            "key: [a, {b: c}, [d, e]]\n? explicit\n: value\n",
            "title: \"É à ü\"\nwide: 漢字\n",
        ];
        for block in blocks {
            assert_eq!(direct(block), engine(block), "{block:?}");
        }
        for bad in [
            "a: [1, 2\nb: 3\n",
            "a: b: c\n",
            "a: 'unclosed\n",
            "dup: 1\ndup: 2\n",
            "first: doc\n---\na: [\n",
        ] {
            let error = direct(bad).unwrap_err();
            assert_eq!(Err(error), engine(bad), "{bad:?}");
        }
        // The common shape is read directly, not by falling back.
        assert!(is_direct(blocks[0]));
        assert!(is_direct(blocks[1]));
        assert!(!is_direct(blocks[3]));
    }

    /// Every front matter of the example book and of the test fixtures (broken ones
    /// included) reads the same both ways.
    #[test]
    fn every_book_here_reads_as_gray_matters_engine() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        let files = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("tests/fixtures")));
        for entry in files {
            let entry = entry.expect("the corpora can be read");
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Ok(split) = crate::source::frontmatter::split(&text, entry.path()) else {
                continue;
            };
            if split.format != Some(crate::source::frontmatter::Format::Yaml) {
                continue;
            }
            let block = &text[split.matter.clone()];
            assert_eq!(direct(block), engine(block), "{}", entry.path().display());
            seen += 1;
        }
        assert!(seen > 50, "only {seen} YAML front matters");
    }
}
