//! Rule files: lines of `list`, `rule`, and the rule's `pattern`, `noun`,
//! `example` and `counter` lines. The syntax is documented, with a worked
//! example per feature, in `rules/README.md`.

use crate::error::{Diagnostic, DiagnosticKind, LineIndex};

/// Patterns nest groups at most this deep.
pub(crate) const MAX_NESTING: usize = 8;
/// A gap spans at most this many tokens.
pub(crate) const MAX_GAP: u32 = 20;
/// A pattern has at most this many elements, counting nested ones.
pub(crate) const MAX_ELEMENTS: usize = 200;
/// A group has at most this many alternatives; a word set at most this many
/// words.
pub(crate) const MAX_ALTERNATIVES: usize = 500;

/// A position in a rule file: 1-based line and the byte offsets of the line
/// start and of the position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) line_start: u32,
    pub(crate) offset: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum WordAlt {
    /// A word, matched on its normalised form.
    Lit(String),
    /// `word~`: all its inflected forms.
    Inflect(String),
    /// `@name`: a named word list.
    List(String, Pos),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotName {
    Subj,
    Obj,
    /// `x:TYPE`: an entity that must be there but is not an argument.
    Other,
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    Words { alts: Vec<WordAlt>, optional: bool, trigger: bool, pos: Pos },
    Slot { slot: SlotName, types: Vec<(String, Pos)>, discover: bool },
    Group { alts: Vec<Vec<Node>>, optional: bool },
    Capture { body: Vec<Node> },
    Gap { min: u32, max: u32, except: Vec<WordAlt> },
}

#[derive(Clone, Debug)]
pub(crate) struct PatternDef {
    pub(crate) nodes: Vec<Node>,
    pub(crate) pos: Pos,
}

/// One expected triple of an example: `Russia -> Afghanistan`,
/// `!Tokyo -> Seoul` (negated), `Lavrov -foreign minister-> Russia`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The subject, compared with a mention's text, name or id.
    pub subject: String,
    /// Text the relation's label must contain, if given.
    pub label: Option<String>,
    /// The object, compared like the subject.
    pub object: String,
    /// Whether the relation must be negated.
    pub negated: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct ExampleDef {
    pub(crate) text: String,
    /// `None` for a counter-example: no positive relation of the rule.
    pub(crate) expect: Option<Vec<Expected>>,
    pub(crate) pos: Pos,
}

#[derive(Clone, Debug)]
pub(crate) struct RuleDef {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) code: Option<String>,
    pub(crate) priority: i32,
    pub(crate) role: bool,
    pub(crate) passive: bool,
    pub(crate) patterns: Vec<PatternDef>,
    /// `pattern` lines, including those with errors.
    pub(crate) pattern_lines: u32,
    pub(crate) nouns: Vec<(Vec<WordAlt>, Pos)>,
    pub(crate) examples: Vec<ExampleDef>,
    pub(crate) pos: Pos,
}

#[derive(Clone, Debug)]
pub(crate) struct ListDef {
    pub(crate) name: String,
    pub(crate) words: Vec<WordAlt>,
    pub(crate) pos: Pos,
}

#[derive(Default, Debug)]
pub(crate) struct Parsed {
    pub(crate) rules: Vec<RuleDef>,
    pub(crate) lists: Vec<ListDef>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

struct Ctx<'a> {
    idx: LineIndex<'a>,
    diags: Vec<Diagnostic>,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
}

impl Ctx<'_> {
    fn err(&mut self, pos: Pos, kind: DiagnosticKind, msg: String) {
        self.diags.push(self.idx.diag(
            kind,
            pos.line as usize,
            pos.line_start as usize,
            pos.offset as usize,
            msg,
        ));
    }
}

/// Parses one rule file; every problem becomes a diagnostic and parsing goes
/// on with the next line.
pub(crate) fn parse(path: &str, text: &str) -> Parsed {
    let line_starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut cx =
        Ctx { idx: LineIndex { path, text }, diags: vec![], line_starts };
    let mut out = Parsed::default();
    let mut line_start = 0usize;
    // After a rule line with an error, its other lines are skipped rather
    // than reported as lying outside a rule.
    let mut in_bad_rule = false;
    for (n, raw) in text.split('\n').enumerate() {
        let start = line_start;
        line_start += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let at = |off: usize| Pos {
            line: n as u32 + 1,
            line_start: start as u32,
            offset: (start + off) as u32,
        };
        let lead = line.len() - body.len();
        let (word, rest) = match body.find(char::is_whitespace) {
            Some(p) => (&body[..p], &body[p..]),
            None => (body, ""),
        };
        let rest_off =
            lead + word.len() + (rest.len() - rest.trim_start().len());
        let rest = rest.trim();
        match word {
            "list" => {
                if let Some(l) = parse_list(&mut cx, rest, rest_off, &at) {
                    out.lists.push(l);
                }
            }
            "rule" => {
                let head = parse_rule_head(&mut cx, rest, rest_off, &at);
                in_bad_rule = head.is_none();
                out.rules.extend(head);
            }
            "pattern" | "noun" | "example" | "counter" if in_bad_rule => {}
            "pattern" | "noun" | "example" | "counter" => {
                let Some(rule) = out.rules.last_mut() else {
                    cx.err(
                        at(lead),
                        DiagnosticKind::Syntax,
                        format!("'{word}' outside a rule: expected a 'rule' line before it"),
                    );
                    continue;
                };
                match word {
                    "pattern" => {
                        rule.pattern_lines += 1;
                        let mut lx = Lexer::new(rest, start + rest_off);
                        let nodes = parse_seq(&mut cx, &mut lx, 0, &mut 0);
                        match (nodes, lx.peek()) {
                            // an error was reported already
                            (None, _) => {}
                            (Some(_), Some(tok)) => {
                                let msg = match tok.kind {
                                    Tk::RParen(_) => "unmatched ')'".to_string(),
                                    Tk::Bar => "'|' outside a group: write alternatives as (a | b) or a|b".to_string(),
                                    _ => format!("unexpected {:?}", tok.text),
                                };
                                let pos = cx_pos(&cx, tok.off);
                                cx.err(pos, DiagnosticKind::Syntax, msg);
                            }
                            (Some(nodes), None) if nodes.is_empty() => {
                                cx.err(at(lead), DiagnosticKind::Syntax, "empty pattern: expected words and slots".into());
                            }
                            (Some(nodes), None) => {
                                rule.patterns.push(PatternDef { nodes, pos: at(lead) });
                            }
                        }
                    }
                    "noun" => {
                        let alts = parse_word_alts(&mut cx, rest, rest_off, &at);
                        if !alts.is_empty() {
                            rule.nouns.push((alts, at(rest_off)));
                        }
                    }
                    _ => {
                        if let Some(ex) = parse_example(&mut cx, rest, rest_off, word == "counter", &at) {
                            rule.examples.push(ex);
                        }
                    }
                }
            }
            _ => cx.err(
                at(lead),
                DiagnosticKind::Syntax,
                format!(
                    "unknown line starting \"{word}\": expected 'rule', 'list', \
                     'pattern', 'noun', 'example', 'counter' or a '#' comment"
                ),
            ),
        }
    }
    for r in &out.rules {
        if r.pattern_lines == 0 && r.nouns.is_empty() {
            cx.err(
                r.pos,
                DiagnosticKind::Syntax,
                format!("rule \"{}\" has no pattern: expected a 'pattern' line after it", r.id),
            );
        }
    }
    out.diagnostics = cx.diags;
    out
}

fn parse_list(
    cx: &mut Ctx<'_>,
    rest: &str,
    off: usize,
    at: &dyn Fn(usize) -> Pos,
) -> Option<ListDef> {
    let Some(eq) = rest.find('=') else {
        cx.err(
            at(off + rest.len()),
            DiagnosticKind::Syntax,
            "expected 'list NAME = word word ...'".into(),
        );
        return None;
    };
    let name = rest[..eq].trim();
    if !is_name(name) {
        cx.err(at(off), DiagnosticKind::Syntax, format!("invalid list name \"{name}\": expected letters, digits and '_'"));
        return None;
    }
    let words_off = off + eq + 1;
    let words = &rest[eq + 1..];
    let lead = words.len() - words.trim_start().len();
    let alts = parse_word_alts(cx, words.trim(), words_off + lead, at);
    if alts.is_empty() {
        cx.err(
            at(words_off),
            DiagnosticKind::Syntax,
            format!("list \"{name}\" is empty: expected words after '='"),
        );
        return None;
    }
    Some(ListDef { name: name.to_string(), words: alts, pos: at(off) })
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Words separated by spaces or `|`: `pledge~ promise~ @aid_words`.
fn parse_word_alts(
    cx: &mut Ctx<'_>,
    s: &str,
    off: usize,
    at: &dyn Fn(usize) -> Pos,
) -> Vec<WordAlt> {
    let mut out = Vec::new();
    let mut pos = 0;
    for piece in s.split(|c: char| c.is_whitespace() || c == '|') {
        let here = off + pos;
        pos += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        if let Some(w) = word_alt(cx, piece, at(here)) {
            out.push(w);
        }
    }
    out
}

fn word_alt(cx: &mut Ctx<'_>, piece: &str, pos: Pos) -> Option<WordAlt> {
    if let Some(name) = piece.strip_prefix('@') {
        if !is_name(name) {
            cx.err(
                pos,
                DiagnosticKind::Syntax,
                format!("invalid list reference \"{piece}\": expected @name"),
            );
            return None;
        }
        return Some(WordAlt::List(name.to_string(), pos));
    }
    let norm = crate::tokenize::normalize(piece.trim_end_matches('~'));
    if norm.is_empty() {
        cx.err(pos, DiagnosticKind::Syntax, "expected a word".into());
        return None;
    }
    if norm.contains(['(', ')', ':', '{', '}', '"', '@']) {
        cx.err(
            pos,
            DiagnosticKind::Syntax,
            format!("unexpected \"{piece}\": expected a word, word~ or @list"),
        );
        return None;
    }
    Some(if piece.ends_with('~') {
        WordAlt::Inflect(norm)
    } else {
        WordAlt::Lit(norm)
    })
}

fn parse_rule_head(
    cx: &mut Ctx<'_>,
    rest: &str,
    off: usize,
    at: &dyn Fn(usize) -> Pos,
) -> Option<RuleDef> {
    let expected = "expected 'rule ID \"label\" [cameo=CODE] [priority=N] [role] [nopassive]'";
    let (id, after) = match rest.find(char::is_whitespace) {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, ""),
    };
    if !is_name(id) {
        cx.err(
            at(off),
            DiagnosticKind::Syntax,
            format!("invalid rule id \"{id}\": {expected}"),
        );
        return None;
    }
    let after_off = off + id.len() + (after.len() - after.trim_start().len());
    let after = after.trim();
    let Some(body) = after.strip_prefix('"') else {
        cx.err(
            at(after_off),
            DiagnosticKind::Syntax,
            format!("missing label in quotes: {expected}"),
        );
        return None;
    };
    let Some(end) = body.find('"') else {
        cx.err(
            at(after_off),
            DiagnosticKind::Syntax,
            "unclosed '\"' in the label".into(),
        );
        return None;
    };
    let label = body[..end].trim().to_string();
    let mut rule = RuleDef {
        id: id.to_string(),
        label,
        code: None,
        priority: 0,
        role: false,
        passive: true,
        patterns: vec![],
        pattern_lines: 0,
        nouns: vec![],
        examples: vec![],
        pos: at(off),
    };
    let opts_off = after_off + 1 + end + 1;
    let opts = &body[end + 1..];
    let mut pos = 0;
    for o in opts.split(' ') {
        let here = opts_off + pos;
        pos += o.len() + 1;
        if o.is_empty() {
            continue;
        }
        if let Some(c) = o.strip_prefix("cameo=") {
            if c.len() < 2
                || c.len() > 4
                || !c.bytes().all(|b| b.is_ascii_digit())
            {
                cx.err(
                    at(here),
                    DiagnosticKind::Syntax,
                    format!(
                        "invalid CAMEO code \"{c}\": expected 2 to 4 digits"
                    ),
                );
            } else if !(1..=20).contains(&c[..2].parse::<u32>().unwrap_or(0)) {
                cx.err(at(here), DiagnosticKind::Syntax, format!("invalid CAMEO code \"{c}\": the root must be 01 to 20"));
            } else {
                rule.code = Some(c.to_string());
            }
        } else if let Some(p) = o.strip_prefix("priority=") {
            match p.parse::<i32>() {
                Ok(v) if (-100..=100).contains(&v) => rule.priority = v,
                _ => cx.err(at(here), DiagnosticKind::Syntax, format!("invalid priority \"{p}\": expected a whole number from -100 to 100")),
            }
        } else if o == "role" {
            rule.role = true;
        } else if o == "nopassive" {
            rule.passive = false;
        } else {
            cx.err(at(here), DiagnosticKind::Syntax, format!("unknown option \"{o}\": expected cameo=CODE, priority=N, role or nopassive"));
        }
    }
    Some(rule)
}

fn parse_example(
    cx: &mut Ctx<'_>,
    rest: &str,
    off: usize,
    counter: bool,
    at: &dyn Fn(usize) -> Pos,
) -> Option<ExampleDef> {
    let Some(body) = rest.strip_prefix('"') else {
        cx.err(
            at(off),
            DiagnosticKind::Syntax,
            "expected the sentence in double quotes".into(),
        );
        return None;
    };
    // the closing quote: the last '"' before "=>" (or the end)
    let arrow = body.find("=>");
    let search = &body[..arrow.unwrap_or(body.len())];
    let Some(end) = search.rfind('"') else {
        cx.err(
            at(off),
            DiagnosticKind::Syntax,
            "unclosed '\"': expected the sentence in double quotes".into(),
        );
        return None;
    };
    let text = body[..end].replace("\\\"", "\"");
    let tail = body[end + 1..].trim();
    let pos = at(off);
    if tail.is_empty() {
        if counter {
            return Some(ExampleDef { text, expect: None, pos });
        }
        cx.err(at(off + 1 + end + 1), DiagnosticKind::Syntax, "expected '=> Subject -> Object' (or '=> none') after the sentence".into());
        return None;
    }
    let Some(spec) = tail.strip_prefix("=>") else {
        cx.err(
            at(off + rest.len() - tail.len()),
            DiagnosticKind::Syntax,
            "expected '=>' after the sentence".into(),
        );
        return None;
    };
    let spec_off = off + rest.len() - spec.len();
    let spec = spec.trim();
    if spec == "none" {
        return Some(ExampleDef {
            text,
            expect: if counter { None } else { Some(vec![]) },
            pos,
        });
    }
    let mut triples = Vec::new();
    for part in spec.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some(k) = part.rfind("->") else {
            cx.err(
                at(spec_off),
                DiagnosticKind::Syntax,
                format!("expected 'Subject -> Object' in \"{part}\""),
            );
            return None;
        };
        let (left, object) = (part[..k].trim(), part[k + 2..].trim());
        let (negated, left) = match left.strip_prefix('!') {
            Some(l) => (true, l.trim()),
            None => (false, left),
        };
        let (subject, label) = match left.rfind(" -") {
            Some(d) => {
                (left[..d].trim(), Some(left[d + 2..].trim().to_string()))
            }
            None => (left.strip_suffix('-').unwrap_or(left).trim(), None),
        };
        if subject.is_empty() || object.is_empty() {
            cx.err(
                at(spec_off),
                DiagnosticKind::Syntax,
                format!("expected 'Subject -> Object' in \"{part}\""),
            );
            return None;
        }
        triples.push(Expected {
            subject: subject.into(),
            label,
            object: object.into(),
            negated,
        });
    }
    if counter {
        // A counter-example may name the negated relations it expects.
        if triples.iter().any(|t| !t.negated) {
            cx.err(at(spec_off), DiagnosticKind::Syntax, "a counter-example lists only negated relations ('!A -> B') or none".into());
            return None;
        }
    }
    Some(ExampleDef { text, expect: Some(triples), pos })
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tk {
    LParen,
    /// `)`, with `?` when the group is optional.
    RParen(bool),
    Bar,
    /// `role:(`
    Capture,
    Gap,
    Word,
}

#[derive(Clone, Debug)]
struct Tok<'s> {
    kind: Tk,
    text: &'s str,
    off: usize,
}

struct Lexer<'s> {
    toks: Vec<Tok<'s>>,
    i: usize,
}

impl<'s> Lexer<'s> {
    /// Lexes `s`, which starts at byte `base` of the file.
    fn new(s: &'s str, base: usize) -> Lexer<'s> {
        let b = s.as_bytes();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let kind = match c {
                b'(' => {
                    i += 1;
                    Tk::LParen
                }
                b')' => {
                    i += 1;
                    let opt = b.get(i) == Some(&b'?');
                    if opt {
                        i += 1;
                    }
                    Tk::RParen(opt)
                }
                b'|' if b
                    .get(i + 1)
                    .is_none_or(|n| n.is_ascii_whitespace() || *n == b'(') =>
                {
                    i += 1;
                    Tk::Bar
                }
                _ if s[i..].starts_with("...") => {
                    // a gap runs to its closing brace
                    match s[i..].find('}') {
                        Some(p) if s[i + 3..].starts_with('{') => i += p + 1,
                        _ => i += 3,
                    }
                    Tk::Gap
                }
                _ => {
                    while i < b.len()
                        && !b[i].is_ascii_whitespace()
                        && b[i] != b'('
                        && b[i] != b')'
                    {
                        i += 1;
                    }
                    if s[start..i].ends_with(':') && b.get(i) == Some(&b'(') {
                        i += 1;
                        Tk::Capture
                    } else {
                        Tk::Word
                    }
                }
            };
            toks.push(Tok { kind, text: &s[start..i], off: base + start });
        }
        Lexer { toks, i: 0 }
    }

    fn peek(&self) -> Option<&Tok<'s>> {
        self.toks.get(self.i)
    }

    fn next(&mut self) -> Option<Tok<'s>> {
        let t = self.toks.get(self.i).cloned();
        self.i += 1;
        t
    }
}

/// A sequence of elements, up to `)`, `|` or the end.
fn parse_seq(
    cx: &mut Ctx<'_>,
    lx: &mut Lexer<'_>,
    depth: usize,
    count: &mut usize,
) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    let mut ok = true;
    while let Some(tok) = lx.peek() {
        let tok = tok.clone();
        let at = cx_pos(cx, tok.off);
        *count += 1;
        if *count > MAX_ELEMENTS {
            cx.err(
                at,
                DiagnosticKind::Limit,
                format!("pattern has more than {MAX_ELEMENTS} elements"),
            );
            return None;
        }
        match tok.kind {
            Tk::RParen(_) | Tk::Bar => break,
            Tk::LParen | Tk::Capture => {
                lx.next();
                if depth + 1 > MAX_NESTING {
                    cx.err(
                        at,
                        DiagnosticKind::Limit,
                        format!("groups nest deeper than {MAX_NESTING}"),
                    );
                    return None;
                }
                let mut alts = Vec::new();
                loop {
                    let seq = parse_seq(cx, lx, depth + 1, count)?;
                    alts.push(seq);
                    if alts.len() > MAX_ALTERNATIVES {
                        cx.err(at, DiagnosticKind::Limit, format!("group has more than {MAX_ALTERNATIVES} alternatives"));
                        return None;
                    }
                    match lx.next() {
                        Some(Tok { kind: Tk::Bar, .. }) => continue,
                        Some(Tok { kind: Tk::RParen(opt), off, .. }) => {
                            if tok.kind == Tk::Capture {
                                if opt {
                                    cx.err(cx_pos(cx, off), DiagnosticKind::Syntax, "a capture cannot be optional: put the '?' on a group inside it".into());
                                    ok = false;
                                }
                                let body = if alts.len() == 1 {
                                    alts.pop().unwrap_or_default()
                                } else {
                                    vec![Node::Group { alts, optional: false }]
                                };
                                if tok.text != "role:(" {
                                    cx.err(at, DiagnosticKind::Syntax, format!("unknown capture \"{}\": expected role:( ... )", tok.text.trim_end_matches('(')));
                                    ok = false;
                                }
                                nodes.push(Node::Capture { body });
                            } else {
                                nodes
                                    .push(Node::Group { alts, optional: opt });
                            }
                            break;
                        }
                        _ => {
                            cx.err(at, DiagnosticKind::Syntax, "unclosed group: expected ')' before the end of the line".into());
                            return None;
                        }
                    }
                }
            }
            Tk::Gap => {
                lx.next();
                match parse_gap(cx, tok.text, tok.off) {
                    Some(g) => nodes.push(g),
                    None => ok = false,
                }
            }
            Tk::Word => {
                lx.next();
                match parse_element(cx, tok.text, tok.off) {
                    Some(n) => nodes.push(n),
                    None => ok = false,
                }
            }
        }
    }
    ok.then_some(nodes)
}

/// The position of an absolute byte offset of the file.
fn cx_pos(cx: &Ctx<'_>, off: usize) -> Pos {
    let line = cx.line_starts.partition_point(|&s| s <= off).max(1);
    let line_start = cx.line_starts[line - 1];
    Pos {
        line: line as u32,
        line_start: line_start as u32,
        offset: off as u32,
    }
}

/// `...{m,n}` or `...{m,n !word !@list}`; a bare `...` is `...{0,5}`.
fn parse_gap(cx: &mut Ctx<'_>, text: &str, off: usize) -> Option<Node> {
    let expected =
        "expected a gap as ...{MIN,MAX} or ...{MIN,MAX !word !@list}";
    let inner = match text.strip_prefix("...") {
        Some("") => return Some(Node::Gap { min: 0, max: 5, except: vec![] }),
        Some(r) => match r.strip_prefix('{').and_then(|r| r.strip_suffix('}'))
        {
            Some(i) => i,
            None => {
                cx.err(
                    cx_pos(cx, off),
                    DiagnosticKind::Syntax,
                    format!("unclosed gap: {expected}"),
                );
                return None;
            }
        },
        None => return None,
    };
    let mut parts = inner.split_whitespace();
    let range = parts.next().unwrap_or("");
    let nums: Vec<Option<u32>> =
        range.split(',').map(|n| n.trim().parse().ok()).collect();
    let (min, max) = match nums.as_slice() {
        [Some(a), Some(b)] if a <= b => (*a, *b),
        [Some(a)] => (*a, *a),
        _ => {
            cx.err(
                cx_pos(cx, off + 4),
                DiagnosticKind::Syntax,
                format!("invalid gap range \"{range}\": {expected}"),
            );
            return None;
        }
    };
    if max > MAX_GAP {
        cx.err(
            cx_pos(cx, off + 4),
            DiagnosticKind::Limit,
            format!("gap of up to {max} tokens: the limit is {MAX_GAP}"),
        );
        return None;
    }
    let mut except = Vec::new();
    let mut p = 4 + range.len();
    for part in parts {
        let here = off + inner.find(part).map_or(p, |q| q + 4);
        p += part.len() + 1;
        match part.strip_prefix('!') {
            Some(w) if !w.is_empty() => {
                let pos = cx_pos(cx, here + 1);
                if let Some(a) = word_alt(cx, w, pos) {
                    except.push(a);
                }
            }
            _ => {
                cx.err(
                    cx_pos(cx, here),
                    DiagnosticKind::Syntax,
                    format!("unexpected \"{part}\" in a gap: {expected}"),
                );
                return None;
            }
        }
    }
    Some(Node::Gap { min, max, except })
}

/// A word element (`aid`, `pledge~`, `@aid`, `a|b~`, `word?`, `^word`) or a
/// slot (`subj:GPE|ORG`, `subj:PERSON+`, `x:country`).
fn parse_element(cx: &mut Ctx<'_>, text: &str, off: usize) -> Option<Node> {
    let pos = cx_pos(cx, off);
    if let Some(colon) = text.find(':').filter(|&c| {
        c > 0 && text[..c].chars().all(|ch| ch.is_ascii_lowercase())
    }) {
        let slot = match &text[..colon] {
            "subj" => SlotName::Subj,
            "obj" => SlotName::Obj,
            "x" => SlotName::Other,
            other => {
                cx.err(
                    pos,
                    DiagnosticKind::Syntax,
                    format!(
                        "unknown slot \"{other}\": expected subj:, obj: or x:"
                    ),
                );
                return None;
            }
        };
        let mut spec = &text[colon + 1..];
        let discover = spec.ends_with('+');
        spec = spec.trim_end_matches('+');
        if spec.is_empty() {
            cx.err(
                cx_pos(cx, off + colon + 1),
                DiagnosticKind::Syntax,
                "expected a type after ':' (GPE, ORG, country, ACTOR, ...)"
                    .into(),
            );
            return None;
        }
        let mut types = Vec::new();
        let mut p = colon + 1;
        for t in spec.split('|') {
            types.push((t.to_string(), cx_pos(cx, off + p)));
            p += t.len() + 1;
        }
        return Some(Node::Slot { slot, types, discover });
    }
    let (trigger, t) = match text.strip_prefix('^') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (optional, t) = match t.strip_suffix('?').filter(|s| !s.is_empty()) {
        Some(s) => (true, s),
        None => (false, t),
    };
    let mut alts = Vec::new();
    let mut p = off + (text.len() - t.len()) - usize::from(optional);
    let p0 = if trigger { off + 1 } else { off };
    p = p.max(p0);
    for piece in t.split('|') {
        if piece.is_empty() {
            cx.err(
                cx_pos(cx, p),
                DiagnosticKind::Syntax,
                "empty alternative in a word set".into(),
            );
            return None;
        }
        let pos = cx_pos(cx, p);
        alts.push(word_alt(cx, piece, pos)?);
        p += piece.len() + 1;
    }
    if alts.len() > MAX_ALTERNATIVES {
        cx.err(
            pos,
            DiagnosticKind::Limit,
            format!("word set has more than {MAX_ALTERNATIVES} words"),
        );
        return None;
    }
    Some(Node::Words { alts, optional, trigger, pos })
}
