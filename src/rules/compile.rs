//! Rule patterns compiled into one Thompson NFA over items (a token, or an
//! entity mention counted as one item), run by the Pike VM in `engine.rs`.
//!
//! The compiler also derives the forms that a rule writer should not have
//! to spell out: the passive of a `subj VERB~ obj` pattern
//! (`Afghanistan was invaded by Russia`) and the nominal forms of a rule's
//! `noun` lines (`Russia's invasion of Afghanistan`, `the US-led invasion of
//! Iraq`, `the invasion of Iraq by the US`, `the Soviet invasion of
//! Afghanistan`).

use std::collections::HashMap;

use crate::error::{Diagnostic, DiagnosticKind};
use crate::gazetteer::{Gazetteer, Label};
use crate::hash::FxBuildHasher;
use crate::rules::inflect;
use crate::rules::parse::{
    ListDef, Node, PatternDef, Pos, RuleDef, SlotName, WordAlt,
};

/// Capture slots of a thread.
pub(crate) const SUBJ: usize = 0;
pub(crate) const OBJ: usize = 2;
pub(crate) const ROLE: usize = 4;
pub(crate) const TRIGGER: usize = 6;
pub(crate) const START: usize = 7;
pub(crate) const NCAPS: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Inst {
    /// A token whose symbol is in word set `n`.
    Words(u32),
    /// Any item but a barrier token or a token of word set `n` (`u32::MAX`
    /// for none).
    Gap(u32),
    /// A mention whose entity satisfies type set `n`.
    Mention(u32),
    /// A capitalised word that is no mention: part of a new name.
    NameWord,
    /// A particle inside a name: `al`, `bin`, `da`, `van`, `-`.
    NameJoin,
    Split(u32, u32),
    Jmp(u32),
    Save(u8),
    Match(u32),
}

/// What a slot accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct TypeSet {
    labels: u16,
    kinds: Vec<Box<str>>,
    ids: Vec<Box<str>>,
    any: bool,
}

impl TypeSet {
    pub(crate) fn accepts(&self, label: Label, kind: &str, id: &str) -> bool {
        self.any
            || self.labels & (1 << label as u16) != 0
            || self.kinds.iter().any(|k| &**k == kind)
            || self.ids.iter().any(|i| &**i == id)
    }
}

/// One instruction of an epsilon-closure (`Program::closure`), with all
/// that the VM asks of it, so that walking a closure reads one array in
/// order instead of five at random.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reach {
    pub(crate) inst: Inst,
    pub(crate) pc: u32,
    /// `Program::need`, `Program::to_trigger` and `Program::pattern_of` of
    /// `pc`.
    pub(crate) need: u32,
    pub(crate) to_trigger: u32,
    pub(crate) pattern: u32,
    /// The capture slots that the `Save`s on the way set.
    pub(crate) mask: u8,
}

/// Where a compiled pattern came from.
#[derive(Clone, Debug)]
pub(crate) struct PatternInfo {
    pub(crate) rule: u32,
    pub(crate) line: u32,
    pub(crate) entry: u32,
    /// Symbols of which at least one must be in the sentence, if known.
    pub(crate) needs: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct Program {
    pub(crate) insts: Vec<Inst>,
    pub(crate) word_sets: Vec<Vec<u32>>,
    /// Per word set: bit `s % 64` set for each of its symbols `s`, so
    /// that most words not in a set are turned away without a search.
    pub(crate) word_filters: Vec<u64>,
    pub(crate) type_sets: Vec<TypeSet>,
    pub(crate) patterns: Vec<PatternInfo>,
    pub(crate) symbols: HashMap<Box<str>, u32, FxBuildHasher>,
    /// symbol -> patterns whose trigger has it (the sentence prefilter):
    /// `trigger_pats[trigger_at[s]..trigger_at[s + 1]]`, in one array so
    /// that the per-token lookups stay in cache (see `triggered_by`); one
    /// more offset than symbols and one more again, so that the symbols'
    /// count stands for every other word (`NONE`) and has no patterns.
    pub(crate) trigger_at: Vec<u32>,
    pub(crate) trigger_pats: Vec<u32>,
    /// patterns without a trigger word: always tried
    pub(crate) always: Vec<u32>,
    /// Per pattern: the word sets (other than its trigger's) that every
    /// match takes a word of, `required[required_at[p]..required_at[p +
    /// 1]]`. A sentence without a word of each is not tried for it: `have
    /// ... phone call with` is triggered by `have`, in most sentences, but
    /// needs `phone` and `call`, in few.
    pub(crate) required_at: Vec<u32>,
    pub(crate) required: Vec<u32>,
    /// the pattern each instruction belongs to
    pub(crate) pattern_of: Vec<u32>,
    /// Per pattern: the group of its first elements (the item-consuming
    /// instructions a thread reaches from its entry without consuming), or
    /// `NO_GROUP` when the pattern can match the empty sequence. A thread is
    /// started only at an item one of them takes (the others would die at
    /// once), and patterns that start alike share one test per item.
    pub(crate) first_group: Vec<u32>,
    /// The first elements of each group.
    pub(crate) groups: Vec<Vec<Inst>>,
    /// Per pattern: the fewest mentions (or discourse references) a match
    /// takes. A sentence with fewer is not tried.
    pub(crate) min_ments: Vec<u32>,
    /// Per instruction: the fewest mentions a thread there still has to
    /// take. A thread with fewer mentions left in the sentence is dropped.
    pub(crate) need: Vec<u32>,
    /// Per pattern: the fewest mentions a match takes before its trigger
    /// word and after it (`[0, 0]` when a match need not take a trigger
    /// instruction). A pattern none of whose trigger words in a sentence
    /// has that many on each side is not run there.
    pub(crate) around_trigger: Vec<[u32; 2]>,
    /// The trigger instructions: the `Words` of elements marked `^` (or
    /// taken as the trigger).
    pub(crate) triggers: Vec<u32>,
    /// Per instruction: the most items a thread there can take before it
    /// takes a trigger word, not counting mentions and the words of
    /// coordinated lists (`LIST_WORD`); `FAR` when it can finish without a
    /// trigger word or the distance has no bound. A thread whose pattern's
    /// trigger words do not occur that close ahead is dropped.
    pub(crate) to_trigger: Vec<u32>,
    /// Per instruction where a thread can be added (an entry, or the one
    /// after an item-consuming instruction): the instructions its
    /// epsilon-closure reaches that consume an item or match, in the order
    /// a depth-first walk first reaches them, each with the capture slots
    /// that `Save`s on that walk set (a bit mask). `closure_at[pc]..
    /// closure_at[pc + 1]` indexes `closure`. The VM walks these lists
    /// instead of the `Jmp`, `Split` and `Save` instructions.
    pub(crate) closure: Vec<Reach>,
    pub(crate) closure_at: Vec<u32>,
    /// Per symbol: `NOT_NAME` and `NAME_JOIN` bits, so that the name
    /// instructions test a flag instead of comparing strings.
    pub(crate) sym_flags: Vec<u8>,
}

/// `sym_flags`: a capitalised word that starts or continues no new name.
pub(crate) const NOT_NAME: u8 = 1;
/// `sym_flags`: a particle inside a name (`al`, `bin`, `van`, `-`).
pub(crate) const NAME_JOIN: u8 = 2;
/// `sym_flags`: a word that ends a gap (`BARRIER`).
pub(crate) const GAP_BARRIER: u8 = 4;
/// `sym_flags`: a word that may stand inside a coordinated list of
/// mentions (`COORDINATION`).
pub(crate) const LIST_WORD: u8 = 8;

/// The words a coordinated list of mentions is built with.
const COORDINATION: &[&str] = &[
    "the", ",", "and", "or", "&", "and/or", "as", "well", "along", "together",
    "with",
];

impl Program {
    /// The instructions of pattern `k` (each pattern's follow its entry
    /// up to the next pattern's).
    fn pattern_insts(&self, k: usize) -> std::ops::Range<usize> {
        let end = self
            .patterns
            .get(k + 1)
            .map_or(self.insts.len(), |q| q.entry as usize);
        self.patterns[k].entry as usize..end
    }

    /// Adds a word set (sorted symbols) with its filter; returns its index.
    fn push_word_set(&mut self, words: Vec<u32>) -> u32 {
        let filter = words.iter().fold(0, |f, &s| f | 1 << (s % 64));
        self.word_sets.push(words);
        self.word_filters.push(filter);
        (self.word_sets.len() - 1) as u32
    }

    /// The word sets that every match of pattern `p` takes a word of (see
    /// `required`).
    #[inline]
    pub(crate) fn required_of(&self, p: u32) -> &[u32] {
        let p = p as usize;
        &self.required
            [self.required_at[p] as usize..self.required_at[p + 1] as usize]
    }

    /// The patterns that symbol `sym` is a trigger word of.
    #[inline]
    pub(crate) fn triggered_by(&self, sym: u32) -> &[u32] {
        // `NONE` and any symbol past the last: the empty last range, picked
        // without a branch (most words in news are not rule words, many
        // are: a branch on it mispredicts)
        let Some(last) = self.trigger_at.len().checked_sub(2) else {
            return &[];
        };
        let s = (sym as usize).min(last);
        let (a, b) = (self.trigger_at[s], self.trigger_at[s + 1]);
        &self.trigger_pats[a as usize..b as usize]
    }

    /// The symbol of every token of a document (`NONE` for words no rule
    /// names), looked up once for both passes.
    pub(crate) fn token_syms(
        &self,
        toks: &crate::tokenize::Tokens<'_>,
    ) -> Vec<u32> {
        toks.tokens()
            .iter()
            .map(|t| {
                self.symbols
                    .get(toks.norm(t))
                    .copied()
                    .unwrap_or(crate::rules::engine::NONE)
            })
            .collect()
    }
}

/// `first_group` of a pattern that can match the empty sequence.
pub(crate) const NO_GROUP: u32 = u32::MAX;

/// Words that end a gap: a relation does not reach across reported
/// speech (`Tass reported`, `X said`) or a clause break.
const BARRIER: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "reported",
    "reports",
    "according",
    "claimed",
    "claims",
    "stated",
    "states",
    "added",
    "insisted",
    ";",
    ":",
    "\"",
    "(",
    ")",
    "—",
    "–",
];

const BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
    "will", "would", "'s",
];

const NOMINAL_PREPS: &[&str] =
    &["of", "on", "against", "into", "in", "with", "to", "over", "for"];

pub(crate) struct Compiler<'g> {
    pub(crate) prog: Program,
    /// Identical word and type sets share one index, so that patterns that
    /// start alike (most start with `the? ACTOR`) share their first test.
    word_set_ids: HashMap<Vec<u32>, u32>,
    type_set_ids: HashMap<TypeSet, u32>,
    lists: HashMap<String, &'g ListDef>,
    kinds: Vec<Box<str>>,
    gaz: &'g Gazetteer,
    pub(crate) diags: Vec<Diagnostic>,
    paths: Vec<(String, String)>,
}

impl<'g> Compiler<'g> {
    pub(crate) fn new(
        gaz: &'g Gazetteer,
        lists: &'g [(usize, ListDef)],
        paths: Vec<(String, String)>,
    ) -> Compiler<'g> {
        // a few dozen kinds over up to millions of entries: dedup the
        // borrowed names, then box the survivors
        let mut names: Vec<&str> =
            gaz.entries().iter().map(|e| e.kind()).collect();
        names.sort_unstable();
        names.dedup();
        let kinds: Vec<Box<str>> = names.into_iter().map(Box::from).collect();
        let mut c = Compiler {
            prog: Program::default(),
            word_set_ids: HashMap::new(),
            type_set_ids: HashMap::new(),
            lists: HashMap::new(),
            kinds,
            gaz,
            diags: vec![],
            paths,
        };
        for (file, l) in lists {
            if c.lists.contains_key(&l.name) {
                let d = c.diag(
                    *file,
                    l.pos,
                    DiagnosticKind::Duplicate,
                    format!("list \"{}\" is defined twice", l.name),
                );
                c.diags.push(d);
            } else {
                c.lists.insert(l.name.clone(), l);
            }
        }
        c
    }

    fn diag(
        &self,
        file: usize,
        pos: Pos,
        kind: DiagnosticKind,
        msg: String,
    ) -> Diagnostic {
        let (path, text) = &self.paths[file];
        crate::error::LineIndex { path, text }.diag(
            kind,
            pos.line as usize,
            pos.line_start as usize,
            pos.offset as usize,
            msg,
        )
    }

    pub(crate) fn sym(&mut self, w: &str) -> u32 {
        let n = self.prog.symbols.len() as u32;
        *self.prog.symbols.entry(w.into()).or_insert(n)
    }

    /// The words an alternative stands for (inflected, lists expanded).
    fn expand(
        &mut self,
        file: usize,
        alt: &WordAlt,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        match alt {
            WordAlt::Lit(w) => out.push(w.clone()),
            WordAlt::Inflect(w) => out.extend(inflect::forms(w)),
            WordAlt::List(name, pos) => match self.lists.get(name).copied() {
                Some(l) if depth < 4 => {
                    for a in &l.words {
                        self.expand(file, a, out, depth + 1);
                    }
                }
                Some(_) => {}
                None => {
                    let d = self.diag(file, *pos, DiagnosticKind::UnknownReference, format!(
                        "unknown word list \"@{name}\": expected a list defined with 'list {name} = ...'"
                    ));
                    self.diags.push(d);
                }
            },
        }
    }

    fn word_set(&mut self, file: usize, alts: &[WordAlt]) -> u32 {
        let mut words = Vec::new();
        for a in alts {
            self.expand(file, a, &mut words, 0);
        }
        let mut syms: Vec<u32> = words.iter().map(|w| self.sym(w)).collect();
        syms.sort_unstable();
        syms.dedup();
        if let Some(&id) = self.word_set_ids.get(&syms) {
            return id;
        }
        let id = self.prog.push_word_set(syms.clone());
        self.word_set_ids.insert(syms, id);
        id
    }

    fn literal_set(&mut self, words: &[&str]) -> u32 {
        let alts: Vec<WordAlt> =
            words.iter().map(|w| WordAlt::Lit(w.to_string())).collect();
        self.word_set(0, &alts)
    }

    fn type_set(&mut self, file: usize, types: &[(String, Pos)]) -> u32 {
        let mut ts = TypeSet::default();
        for (t, pos) in types {
            if t == "ACTOR" {
                for l in [Label::Gpe, Label::Org, Label::Person, Label::Norp] {
                    ts.labels |= 1 << l as u16;
                }
            } else if t == "ANY" {
                ts.any = true;
            } else if let Some(l) = Label::from_name(t) {
                ts.labels |= 1 << l as u16;
            } else if let Some(id) = t.strip_prefix('=') {
                if self.gaz.get(id).is_none() {
                    let d = self.diag(file, *pos, DiagnosticKind::UnknownReference, format!(
                        "unknown entity id \"{id}\": expected the id of a loaded gazetteer entry"
                    ));
                    self.diags.push(d);
                }
                ts.ids.push(id.into());
            } else if self
                .kinds
                .binary_search_by(|k| (**k).cmp(t.as_str()))
                .is_ok()
            {
                ts.kinds.push(t.as_str().into());
            } else {
                let d = self.diag(file, *pos, DiagnosticKind::UnknownReference, format!(
                    "unknown slot type \"{t}\": expected ACTOR, ANY, a label (PERSON, NORP, ORG, GPE, LOC, EVENT, ...), \
                     =id, or a kind of the loaded gazetteers (country, capital, city, official, igo, ...)"
                ));
                self.diags.push(d);
            }
        }
        ts.kinds.sort();
        ts.ids.sort();
        if let Some(&id) = self.type_set_ids.get(&ts) {
            return id;
        }
        let id = self.prog.type_sets.len() as u32;
        self.type_set_ids.insert(ts.clone(), id);
        self.prog.type_sets.push(ts);
        id
    }

    /// Finishes the program: the index from trigger words to patterns.
    pub(crate) fn finish(mut self) -> Program {
        for (words, flag) in [
            (crate::rules::engine::NOT_NAMES, NOT_NAME),
            (crate::rules::engine::NAME_JOINS, NAME_JOIN),
            (COORDINATION, LIST_WORD),
            (BARRIER, GAP_BARRIER),
        ] {
            for w in words {
                let s = self.sym(w) as usize;
                let flags = &mut self.prog.sym_flags;
                if flags.len() <= s {
                    flags.resize(s + 1, 0);
                }
                flags[s] |= flag;
            }
        }
        let prog = &mut self.prog;
        prog.sym_flags.resize(prog.symbols.len(), 0);
        prog.need = need_ments(&prog.insts);
        prog.around_trigger = around_trigger(prog);
        prog.to_trigger = to_trigger(prog);
        let (closure, closure_at) = closures(&prog.insts, &prog.patterns);
        prog.closure_at = closure_at;
        prog.min_ments = prog
            .patterns
            .iter()
            .map(|p| prog.need[p.entry as usize])
            .collect();
        let mut by_trigger = vec![Vec::new(); prog.symbols.len()];
        for (i, p) in prog.patterns.iter().enumerate() {
            match p.needs {
                Some(set) => {
                    for &s in &prog.word_sets[set as usize] {
                        by_trigger[s as usize].push(i as u32);
                    }
                }
                None => prog.always.push(i as u32),
            }
        }
        prog.trigger_at = std::iter::once(0)
            .chain(by_trigger.iter().scan(0, |n, ps| {
                *n += ps.len() as u32;
                Some(*n)
            }))
            .collect();
        let total = prog.trigger_at.last().copied().unwrap_or(0);
        prog.trigger_at.push(total);
        prog.trigger_pats = by_trigger.concat();
        let (required, required_at) = required_sets(prog);
        prog.required = required;
        prog.required_at = required_at;
        let mut seen = vec![0u32; prog.insts.len()];
        let firsts: Vec<Option<Vec<Inst>>> = prog
            .patterns
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let gen = k as u32 + 1;
                let mut stack = vec![p.entry];
                let mut out = Vec::new();
                while let Some(pc) = stack.pop() {
                    if std::mem::replace(&mut seen[pc as usize], gen) == gen {
                        continue;
                    }
                    match prog.insts[pc as usize] {
                        Inst::Jmp(t) => stack.push(t),
                        Inst::Split(a, b) => stack.extend([a, b]),
                        Inst::Save(_) => stack.push(pc + 1),
                        Inst::Match(_) => return None,
                        i => out.push(i),
                    }
                }
                out.sort_by_key(|i| format!("{i:?}"));
                out.dedup();
                Some(out)
            })
            .collect();
        let mut group_ids: HashMap<Vec<Inst>, u32> = HashMap::new();
        for f in firsts {
            let g = match f {
                None => NO_GROUP,
                Some(f) => *group_ids.entry(f.clone()).or_insert_with(|| {
                    prog.groups.push(f);
                    (prog.groups.len() - 1) as u32
                }),
            };
            prog.first_group.push(g);
        }
        prog.pattern_of = vec![0; prog.insts.len()];
        for i in 0..prog.patterns.len() {
            let range = prog.pattern_insts(i);
            prog.pattern_of[range].iter_mut().for_each(|x| *x = i as u32);
        }
        prog.closure = closure
            .into_iter()
            .map(|(pc, mask)| {
                let k = pc as usize;
                Reach {
                    inst: prog.insts[k],
                    pc,
                    need: prog.need[k],
                    to_trigger: prog.to_trigger[k],
                    pattern: prog.pattern_of[k],
                    mask,
                }
            })
            .collect();
        self.prog
    }

    fn emit(&mut self, i: Inst) -> u32 {
        self.prog.insts.push(i);
        (self.prog.insts.len() - 1) as u32
    }

    fn pc(&self) -> u32 {
        self.prog.insts.len() as u32
    }

    fn patch(&mut self, at: u32, i: Inst) {
        self.prog.insts[at as usize] = i;
    }

    /// Compiles every pattern of a rule, with its derived forms.
    pub(crate) fn rule(&mut self, file: usize, rule_idx: u32, rule: &RuleDef) {
        let mut patterns: Vec<PatternDef> = rule.patterns.clone();
        if rule.passive && !rule.role {
            for p in &rule.patterns {
                if let Some(pp) = self.passive(p) {
                    patterns.push(pp);
                }
            }
        }
        for (alts, pos) in &rule.nouns {
            patterns.extend(nominals(rule, alts, *pos));
        }
        for p in &patterns {
            self.pattern(file, rule_idx, p);
        }
    }

    fn pattern(&mut self, file: usize, rule: u32, p: &PatternDef) {
        let entry = self.pc();
        // The trigger: the word element marked `^` (anywhere), else the
        // first top-level word element that is not optional.
        let mut nodes = p.nodes.clone();
        // Every `^` counts (one per branch of a group): the prefilter
        // needs any of their words.
        let mut marked: Option<Vec<WordAlt>> = None;
        for n in &nodes {
            visit(n, &mut |n| {
                if let Node::Words { alts, trigger: true, .. } = n {
                    marked
                        .get_or_insert_with(Vec::new)
                        .extend(alts.iter().cloned());
                }
            });
        }
        if marked.is_none() {
            if let Some(Node::Words { alts, trigger, .. }) = nodes
                .iter_mut()
                .find(|n| matches!(n, Node::Words { optional: false, .. }))
            {
                *trigger = true;
                marked = Some(alts.clone());
            }
        }
        let needs = marked.map(|alts| self.word_set(file, &alts));
        self.seq(file, &nodes);
        let idx = self.prog.patterns.len() as u32;
        self.emit(Inst::Match(idx));
        self.prog.patterns.push(PatternInfo {
            rule,
            line: p.pos.line,
            entry,
            needs,
        });
    }

    fn seq(&mut self, file: usize, nodes: &[Node]) {
        for n in nodes {
            self.node(file, n);
        }
    }

    fn node(&mut self, file: usize, n: &Node) {
        match n {
            Node::Words { alts, optional, trigger, .. } => {
                if *trigger {
                    self.emit(Inst::Save(TRIGGER as u8));
                }
                let set = self.word_set(file, alts);
                let split = optional.then(|| self.emit(Inst::Jmp(0)));
                let words = self.emit(Inst::Words(set));
                if *trigger {
                    self.prog.triggers.push(words);
                }
                if let Some(split) = split {
                    let after = self.pc();
                    self.patch(split, Inst::Split(split + 1, after));
                }
            }
            Node::Gap { min, max, except } => {
                let set = if except.is_empty() {
                    u32::MAX
                } else {
                    self.word_set(file, except)
                };
                for _ in 0..*min {
                    self.emit(Inst::Gap(set));
                }
                let mut splits = Vec::new();
                for _ in *min..*max {
                    splits.push(self.emit(Inst::Jmp(0)));
                    self.emit(Inst::Gap(set));
                }
                let after = self.pc();
                for s in splits {
                    self.patch(s, Inst::Split(s + 1, after));
                }
            }
            Node::Group { alts, optional } => {
                // Split chain: alt1 | alt2 | ... ; optional adds an empty one.
                let mut jumps = Vec::new();
                let n = alts.len() + usize::from(*optional);
                for (k, alt) in alts.iter().enumerate() {
                    if k + 1 < n {
                        let split = self.emit(Inst::Jmp(0));
                        self.seq(file, alt);
                        jumps.push(self.emit(Inst::Jmp(0)));
                        let next = self.pc();
                        self.patch(split, Inst::Split(split + 1, next));
                    } else {
                        self.seq(file, alt);
                    }
                }
                let after = self.pc();
                for j in jumps {
                    self.patch(j, Inst::Jmp(after));
                }
            }
            Node::Capture { body } => {
                self.emit(Inst::Save(ROLE as u8));
                self.seq(file, body);
                self.emit(Inst::Save(ROLE as u8 + 1));
            }
            Node::Slot { slot, types, discover, .. } => {
                let ts = self.type_set(file, types);
                let base = match slot {
                    SlotName::Subj => Some(SUBJ),
                    SlotName::Obj => Some(OBJ),
                    SlotName::Other => None,
                };
                if let Some(b) = base {
                    self.emit(Inst::Save(b as u8));
                }
                if *discover {
                    // a known mention, or a new name of one to four words
                    let split = self.emit(Inst::Jmp(0));
                    self.emit(Inst::Mention(ts));
                    let jmp = self.emit(Inst::Jmp(0));
                    let name = self.pc();
                    self.patch(split, Inst::Split(split + 1, name));
                    self.emit(Inst::NameWord);
                    let mut outs = vec![jmp];
                    // up to three more words, each after at most two
                    // particles: "Ahmed al-Sharaa", "Luiz Inacio Lula da Silva"
                    for _ in 0..3 {
                        let s = self.emit(Inst::Jmp(0));
                        for _ in 0..2 {
                            let s2 = self.emit(Inst::Jmp(0));
                            self.emit(Inst::NameJoin);
                            let w = self.pc();
                            self.patch(s2, Inst::Split(s2 + 1, w));
                        }
                        self.emit(Inst::NameWord);
                        outs.push(s);
                    }
                    let after = self.pc();
                    for (k, o) in outs.into_iter().enumerate() {
                        if k == 0 {
                            self.patch(o, Inst::Jmp(after));
                        } else {
                            self.patch(o, Inst::Split(o + 1, after));
                        }
                    }
                } else {
                    self.coordination(ts);
                }
                if let Some(b) = base {
                    self.emit(Inst::Save(b as u8 + 1));
                }
            }
        }
    }

    /// `the? M ((, | and | or | , and | as well as | along with) the? M)*`
    fn coordination(&mut self, ts: u32) {
        let the = self.literal_set(&["the"]);
        let top = self.pc();
        let s = self.emit(Inst::Jmp(0));
        self.emit(Inst::Words(the));
        let m = self.pc();
        self.patch(s, Inst::Split(s + 1, m));
        self.emit(Inst::Mention(ts));
        let more = self.emit(Inst::Jmp(0));
        let sep_start = self.pc();
        // separators
        let comma = self.literal_set(&[","]);
        let conj = self.literal_set(&["and", "or", "&", "and/or"]);
        let as_ = self.literal_set(&["as"]);
        let well = self.literal_set(&["well"]);
        let along = self.literal_set(&["along", "together"]);
        let with = self.literal_set(&["with"]);
        let alts: Vec<Vec<u32>> = vec![
            vec![comma, conj],
            vec![comma],
            vec![conj],
            vec![as_, well, as_],
            vec![along, with],
        ];
        for (k, seq) in alts.iter().enumerate() {
            let last = k + 1 == alts.len();
            let split =
                if last { None } else { Some(self.emit(Inst::Jmp(0))) };
            for &w in seq {
                self.emit(Inst::Words(w));
            }
            self.emit(Inst::Jmp(top));
            if let Some(sp) = split {
                let next = self.pc();
                self.patch(sp, Inst::Split(sp + 1, next));
            }
        }
        let after = self.pc();
        self.patch(more, Inst::Split(sep_start, after));
    }

    /// The passive of `subj ...? VERB~ ...{0,2}? obj`:
    /// `obj (is|was|has ...) ...{0,2} VERBed ...{0,3} by subj`.
    fn passive(&self, p: &PatternDef) -> Option<PatternDef> {
        let nodes = &p.nodes;
        let (first, last) = (nodes.first()?, nodes.last()?);
        let (
            Node::Slot { slot: SlotName::Subj, .. },
            Node::Slot { slot: SlotName::Obj, .. },
        ) = (first, last)
        else {
            return None;
        };
        let middle = &nodes[1..nodes.len() - 1];
        let t = middle.iter().position(|n| matches!(n, Node::Words { .. }))?;
        let Node::Words { alts, pos, .. } = &middle[t] else { return None };
        let rest_ok = middle.iter().enumerate().all(|(k, n)| {
            k == t || matches!(n, Node::Gap { max, .. } if *max <= 2 && k < t)
        });
        if !rest_ok {
            return None;
        }
        let mut parts = Vec::new();
        for a in alts {
            collect_participles(a, &self.lists, &mut parts, 0);
        }
        if parts.is_empty() {
            return None;
        }
        let lit = |ws: &[&str]| {
            ws.iter().map(|w| WordAlt::Lit(w.to_string())).collect::<Vec<_>>()
        };
        let word = |alts: Vec<WordAlt>, trigger: bool| Node::Words {
            alts,
            optional: false,
            trigger,
            pos: *pos,
        };
        Some(PatternDef {
            nodes: vec![
                last.clone(),
                word(lit(BE_FORMS), false),
                Node::Gap { min: 0, max: 2, except: vec![] },
                word(parts.into_iter().map(WordAlt::Lit).collect(), true),
                // "were arrested on Tuesday by the FBI"
                Node::Gap {
                    min: 0,
                    max: 3,
                    except: vec![WordAlt::Lit(",".into())],
                },
                word(lit(&["by"]), false),
                first.clone(),
            ],
            pos: p.pos,
        })
    }
}

fn collect_participles(
    a: &WordAlt,
    lists: &HashMap<String, &ListDef>,
    out: &mut Vec<String>,
    depth: usize,
) {
    match a {
        WordAlt::Inflect(w) => out.push(inflect::participle(w)),
        WordAlt::List(name, _) if depth < 4 => {
            if let Some(l) = lists.get(name) {
                for a in &l.words {
                    collect_participles(a, lists, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The slots of a rule's first pattern with both arguments, for its
/// derived nominal forms.
fn rule_slots(rule: &RuleDef) -> (Node, Node) {
    let actor = |slot| Node::Slot {
        slot,
        types: vec![("ACTOR".to_string(), Pos::default())],
        discover: false,
    };
    let mut subj = None;
    let mut obj = None;
    for p in &rule.patterns {
        for n in &p.nodes {
            visit(n, &mut |n| {
                if let Node::Slot { slot, .. } = n {
                    match slot {
                        SlotName::Subj if subj.is_none() => {
                            subj = Some(n.clone())
                        }
                        SlotName::Obj if obj.is_none() => {
                            obj = Some(n.clone())
                        }
                        _ => {}
                    }
                }
            });
        }
    }
    (
        subj.unwrap_or_else(|| actor(SlotName::Subj)),
        obj.unwrap_or_else(|| actor(SlotName::Obj)),
    )
}

/// Nominal forms of a rule from its `noun` line.
fn nominals(rule: &RuleDef, nouns: &[WordAlt], pos: Pos) -> Vec<PatternDef> {
    let (subj, obj) = rule_slots(rule);
    let lit = |ws: &[&str]| Node::Words {
        alts: ws.iter().map(|w| WordAlt::Lit(w.to_string())).collect(),
        optional: false,
        trigger: false,
        pos,
    };
    let noun = Node::Words {
        alts: nouns.to_vec(),
        optional: false,
        trigger: true,
        pos,
    };
    let preps = lit(NOMINAL_PREPS);
    let gap = |n| Node::Gap { min: 0, max: n, except: vec![] };
    let forms = vec![
        // Russia's (sudden) invasion of Afghanistan
        vec![
            subj.clone(),
            lit(&["'s"]),
            gap(2),
            noun.clone(),
            preps.clone(),
            obj.clone(),
        ],
        // the US-led invasion of Iraq
        vec![
            subj.clone(),
            lit(&["-"]),
            lit(&["led", "backed", "sponsored"]),
            gap(1),
            noun.clone(),
            preps.clone(),
            obj.clone(),
        ],
        // the invasion of Iraq by the US
        vec![
            noun.clone(),
            preps.clone(),
            obj.clone(),
            lit(&["by"]),
            subj.clone(),
        ],
        // the Soviet invasion of Afghanistan: the subject right before the
        // noun ("Hamas condemned occupation of ..." is no occupation by
        // Hamas)
        vec![subj, noun, preps, obj],
    ];
    forms.into_iter().map(|nodes| PatternDef { nodes, pos }).collect()
}

/// Calls `f` on `n` and every node inside it.
fn visit(n: &Node, f: &mut dyn FnMut(&Node)) {
    f(n);
    match n {
        Node::Group { alts, .. } => {
            alts.iter().flatten().for_each(|c| visit(c, f))
        }
        Node::Capture { body } => body.iter().for_each(|c| visit(c, f)),
        _ => {}
    }
}

/// Per instruction, the fewest `Mention` instructions on a path from it to
/// a `Match` (a 0-1 breadth-first search backwards from every `Match`:
/// taking a mention costs one, all else nothing); `u32::MAX` where no
/// `Match` is reachable.
fn need_ments(insts: &[Inst]) -> Vec<u32> {
    use std::collections::VecDeque;
    // predecessors, with the cost of the step
    let mut preds: Vec<Vec<(u32, u32)>> = vec![Vec::new(); insts.len()];
    for (from, to, takes) in edges(insts) {
        if let Some(p) = preds.get_mut(to as usize) {
            p.push((from, u32::from(takes)));
        }
    }
    let mut need = vec![u32::MAX; insts.len()];
    let mut deque = VecDeque::new();
    for (pc, inst) in insts.iter().enumerate() {
        if matches!(inst, Inst::Match(_)) {
            need[pc] = 0;
            deque.push_back(pc as u32);
        }
    }
    while let Some(pc) = deque.pop_front() {
        let d = need[pc as usize];
        for &(from, cost) in &preds[pc as usize] {
            if d + cost < need[from as usize] {
                need[from as usize] = d + cost;
                if cost == 0 {
                    deque.push_front(from);
                } else {
                    deque.push_back(from);
                }
            }
        }
    }
    need
}

/// The edges of the instruction graph: (from, to, whether the step takes
/// a mention).
fn edges(insts: &[Inst]) -> Vec<(u32, u32, bool)> {
    let mut out = Vec::new();
    for (pc, inst) in insts.iter().enumerate() {
        let pc = pc as u32;
        match *inst {
            Inst::Match(_) => {}
            Inst::Jmp(t) => out.push((pc, t, false)),
            Inst::Split(a, b) => out.extend([(pc, a, false), (pc, b, false)]),
            Inst::Mention(_) => out.push((pc, pc + 1, true)),
            _ => out.push((pc, pc + 1, false)),
        }
    }
    out
}

/// `Program::around_trigger`. Before: the fewest `Mention` instructions on
/// a path from the pattern's entry to one of its trigger instructions
/// (found by relaxation: paths only go forward within a pattern, and
/// loops take no fewer mentions the second time round). After:
/// `Program::need` of the trigger instruction, which takes a word. Both
/// are the least over the pattern's trigger instructions; and both are 0
/// when a path reaches `Match` without a trigger instruction, as the
/// bound would then not hold.
fn around_trigger(prog: &Program) -> Vec<[u32; 2]> {
    let n = prog.insts.len();
    let edges = edges(&prog.insts);
    let is_trigger = {
        let mut t = vec![false; n];
        for &pc in &prog.triggers {
            t[pc as usize] = true;
        }
        t
    };
    // fewest mentions from an entry to each instruction, and whether it
    // is reachable without passing a trigger instruction
    let mut to = vec![u32::MAX; n];
    let mut free = vec![false; n];
    for p in &prog.patterns {
        to[p.entry as usize] = 0;
        free[p.entry as usize] = true;
    }
    let mut changed = true;
    while changed {
        changed = false;
        for &(a, b, takes) in &edges {
            let (a, b) = (a as usize, b as usize);
            if to[a] != u32::MAX {
                let d = to[a] + u32::from(takes);
                if d < to[b] {
                    to[b] = d;
                    changed = true;
                }
            }
            if free[a] && !is_trigger[a] && !free[b] {
                free[b] = true;
                changed = true;
            }
        }
    }
    let mut out = vec![[u32::MAX; 2]; prog.patterns.len()];
    for &t in &prog.triggers {
        // patterns are in order of their entries
        let p = prog.patterns.partition_point(|q| q.entry <= t) - 1;
        let o = &mut out[p];
        o[0] = o[0].min(to[t as usize]);
        o[1] = o[1].min(prog.need[t as usize]);
    }
    for (p, o) in out.iter_mut().enumerate() {
        let bypass = prog
            .pattern_insts(p)
            .any(|pc| matches!(prog.insts[pc], Inst::Match(_)) && free[pc]);
        if bypass || o.contains(&u32::MAX) {
            *o = [0, 0];
        }
    }
    out
}

/// `Program::to_trigger`: no bound.
pub(crate) const FAR: u32 = u32::MAX;

/// `Program::to_trigger`: the most items from each instruction to a trigger
/// instruction, not counting mentions and the words of coordinated lists
/// (`LIST_WORD`), so that a list of any length does not make the distance
/// unbounded. Found by relaxation within each pattern (a pattern's
/// instructions only jump inside it): values only grow, and one that passes
/// the number of the pattern's instructions is on a cycle that takes
/// counted items, and is `FAR`, as is everything from which `Match` is
/// reached without a trigger.
fn to_trigger(prog: &Program) -> Vec<u32> {
    let (insts, patterns) = (&prog.insts, &prog.patterns);
    let mut is_trigger = vec![false; insts.len()];
    for &t in &prog.triggers {
        is_trigger[t as usize] = true;
    }
    let list_word = |s: &u32| prog.sym_flags[*s as usize] & LIST_WORD != 0;
    let weight = |i: &Inst| match *i {
        Inst::Mention(_) => 0,
        Inst::Words(set)
            if prog.word_sets[set as usize].iter().all(list_word) =>
        {
            0
        }
        _ => 1,
    };
    let mut dist = vec![0u32; insts.len()];
    for k in 0..patterns.len() {
        let std::ops::Range { start: a, end: b } = prog.pattern_insts(k);
        let cap = (b - a) as u32 + 1;
        let get = |d: &[u32], t: usize| d.get(t).copied().unwrap_or(FAR);
        loop {
            let mut changed = false;
            for pc in (a..b).rev() {
                let v = if is_trigger[pc] {
                    0
                } else {
                    match insts[pc] {
                        Inst::Match(_) => FAR,
                        Inst::Jmp(t) => get(&dist, t as usize),
                        Inst::Split(x, y) => {
                            get(&dist, x as usize).max(get(&dist, y as usize))
                        }
                        Inst::Save(_) => get(&dist, pc + 1),
                        ref i => get(&dist, pc + 1).saturating_add(weight(i)),
                    }
                };
                let v = if v > cap { FAR } else { v };
                if v > dist[pc] {
                    dist[pc] = v;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    dist
}

/// Per pattern, the word sets (other than its trigger's) that every match
/// takes a word of, flattened as `Program::required`. A candidate is the
/// set of item-consuming instructions that some instruction reaches
/// without consuming (a single `Words`, or the first words of each branch
/// of an alternation, `(mediate | broker | act as a mediator)`): if all of
/// them are `Words` and no match is left when they are taken out of the
/// graph, the union of their words is required. Unions that are not word
/// sets of the program already are added to it.
fn required_sets(prog: &mut Program) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<Vec<u32>, u32> = prog
        .word_sets
        .iter()
        .enumerate()
        .map(|(k, w)| (w.clone(), k as u32))
        .collect();
    let mut required = Vec::new();
    let mut at = vec![0u32];
    let mut seen = vec![0u32; prog.insts.len()];
    let mut blocked = vec![0u32; prog.insts.len()];
    let mut gen = 0u32;
    let mut stack = Vec::new();
    for k in 0..prog.patterns.len() {
        let range = prog.pattern_insts(k);
        let entry = prog.patterns[k].entry;
        let mut found: Vec<Vec<u32>> = Vec::new();
        for pc in range.clone() {
            // the consuming instructions pc reaches without consuming
            gen += 1;
            let mut cut = Vec::new();
            let mut all_words = true;
            stack.clear();
            stack.push(pc as u32);
            while let Some(q) = stack.pop() {
                let qi = q as usize;
                if !range.contains(&qi)
                    || std::mem::replace(&mut seen[qi], gen) == gen
                {
                    continue;
                }
                match prog.insts[qi] {
                    Inst::Jmp(t) => stack.push(t),
                    Inst::Split(a, b) => stack.extend([a, b]),
                    Inst::Save(_) => stack.push(q + 1),
                    Inst::Words(_) => cut.push(qi),
                    _ => all_words = false,
                }
            }
            if !all_words || cut.is_empty() {
                continue;
            }
            // can a match be reached without taking any of them?
            for &c in &cut {
                blocked[c] = gen;
            }
            stack.clear();
            stack.push(entry);
            let mut reached = false;
            while let Some(q) = stack.pop() {
                let qi = q as usize;
                if blocked[qi] == gen
                    || !range.contains(&qi)
                    || std::mem::replace(&mut seen[qi], gen + 1) == gen + 1
                {
                    continue;
                }
                match prog.insts[qi] {
                    Inst::Jmp(t) => stack.push(t),
                    Inst::Split(a, b) => stack.extend([a, b]),
                    Inst::Match(_) => {
                        reached = true;
                        break;
                    }
                    _ => stack.push(q + 1),
                }
            }
            gen += 1;
            if reached {
                continue;
            }
            let mut words: Vec<u32> = cut
                .iter()
                .flat_map(|&c| match prog.insts[c] {
                    Inst::Words(set) => prog.word_sets[set as usize].clone(),
                    _ => Vec::new(),
                })
                .collect();
            words.sort_unstable();
            words.dedup();
            found.push(words);
        }
        // a requirement that another one implies (a superset of its
        // words) tests nothing more; the trigger's is tested already
        let trigger =
            prog.patterns[k].needs.map(|s| &prog.word_sets[s as usize]);
        let subset = |a: &[u32], b: &[u32]| {
            a.iter().all(|x| b.binary_search(x).is_ok())
        };
        found.sort_by_key(Vec::len);
        found.dedup();
        let mut keep: Vec<Vec<u32>> = Vec::new();
        for f in found {
            if trigger.is_some_and(|t| subset(t, &f))
                || keep.iter().any(|q| subset(q, &f))
            {
                continue;
            }
            keep.push(f);
        }
        for words in keep {
            let id = *ids
                .entry(words.clone())
                .or_insert_with(|| prog.push_word_set(words));
            required.push(id);
        }
        at.push(required.len() as u32);
    }
    (required, at)
}

/// The epsilon-closures of every instruction a thread can be added at (see
/// `Program::closure`).
fn closures(
    insts: &[Inst],
    patterns: &[PatternInfo],
) -> (Vec<(u32, u8)>, Vec<u32>) {
    let consumes = |i: &Inst| {
        !matches!(
            i,
            Inst::Jmp(_) | Inst::Split(..) | Inst::Save(_) | Inst::Match(_)
        )
    };
    let mut wanted = vec![false; insts.len() + 1];
    for p in patterns {
        wanted[p.entry as usize] = true;
    }
    for (pc, i) in insts.iter().enumerate() {
        if consumes(i) {
            wanted[pc + 1] = true;
        }
    }
    let mut out = Vec::new();
    let mut at = Vec::with_capacity(insts.len() + 1);
    let mut seen = vec![0u32; insts.len()];
    let mut stack: Vec<(u32, u8)> = Vec::new();
    for (pc, &want) in wanted.iter().take(insts.len()).enumerate() {
        at.push(out.len() as u32);
        if !want {
            continue;
        }
        let gen = pc as u32 + 1;
        stack.push((pc as u32, 0));
        while let Some((q, mask)) = stack.pop() {
            if std::mem::replace(&mut seen[q as usize], gen) == gen {
                continue;
            }
            match insts[q as usize] {
                Inst::Jmp(t) => stack.push((t, mask)),
                Inst::Split(a, b) => {
                    stack.push((b, mask));
                    stack.push((a, mask));
                }
                Inst::Save(k) => stack.push((q + 1, mask | 1 << k)),
                _ => out.push((q, mask)),
            }
        }
    }
    at.push(out.len() as u32);
    (out, at)
}

#[cfg(test)]
mod tests {
    use crate::Extractor;

    const RULES: &str = r#"
rule t_phone "phones" cameo=041
  pattern subj:ACTOR ^hold~ ...{0,2} (phone | telephone) call with obj:ACTOR
rule t_mediate "asks to mediate" cameo=020
  pattern subj:ACTOR ^urge~ obj:ACTOR to (mediate | act as a mediator) (now)?
rule t_visit "visits" cameo=042
  pattern (subj:ACTOR says)? ^visit~ obj:ACTOR
  pattern subj:ACTOR (^met obj:ACTOR | ^spoke with obj:ACTOR and obj:ACTOR)
"#;

    fn ex() -> Extractor {
        Extractor::builder()
            .embedded_rules(false)
            .rule_str("t.rules", RULES)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The words each required set of the first pattern of rule `rule`
    /// holds, sorted.
    fn required(ex: &Extractor, rule: u32) -> Vec<Vec<String>> {
        let prog = &ex.rules().prog;
        let names: std::collections::HashMap<u32, &str> =
            prog.symbols.iter().map(|(w, &s)| (s, &**w)).collect();
        let Some(p) = prog.patterns.iter().position(|p| p.rule == rule) else {
            panic!("no pattern of rule {rule}");
        };
        let mut out: Vec<Vec<String>> = prog
            .required_of(p as u32)
            .iter()
            .map(|&set| {
                let mut ws: Vec<String> = prog.word_sets[set as usize]
                    .iter()
                    .map(|s| names[s].to_string())
                    .collect();
                ws.sort();
                ws
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn words_on_every_path_are_required() {
        let ex = ex();
        let v = |ws: &[&str]| -> Vec<String> {
            ws.iter().map(|w| w.to_string()).collect()
        };
        // the trigger (hold~) is tested apart; an alternation requires
        // one of its first words; an optional word nothing
        assert_eq!(
            required(&ex, 0),
            vec![v(&["call"]), v(&["phone", "telephone"]), v(&["with"])]
        );
        assert_eq!(required(&ex, 1), vec![v(&["act", "mediate"]), v(&["to"])]);
    }

    /// `Program::around_trigger` of each pattern of rule `rule`.
    fn around(ex: &Extractor, rule: u32) -> Vec<[u32; 2]> {
        let prog = &ex.rules().prog;
        (0..prog.patterns.len())
            .filter(|&p| prog.patterns[p].rule == rule)
            .map(|p| prog.around_trigger[p])
            .collect()
    }

    /// The predicates of the relations found in `text`.
    fn preds(ex: &Extractor, text: &str) -> Vec<String> {
        ex.extract(text)
            .relations
            .into_iter()
            .map(|r| r.predicate.into())
            .collect()
    }

    #[test]
    fn mentions_around_the_trigger() {
        let ex = ex();
        // one actor before the trigger and one after it; an optional
        // subject counts for nothing; in alternatives, the fewest
        assert_eq!(around(&ex, 0)[0], [1, 1]);
        assert_eq!(around(&ex, 1)[0], [1, 1]);
        assert_eq!(around(&ex, 2)[..2], [[0, 1], [1, 1]][..]);
        let preds = |s: &str| preds(&ex, s);
        assert_eq!(preds("Japan met France."), ["t_visit"]);
        assert_eq!(preds("Japan spoke with France and Chile."), ["t_visit"]);
        assert!(preds("Visiting France, Japan met.").is_empty());
    }

    #[test]
    fn required_words_skip_no_match() {
        let ex = ex();
        let preds = |s: &str| preds(&ex, s);
        assert_eq!(
            preds("France held a telephone call with Germany."),
            ["t_phone"]
        );
        assert!(preds("France held a call with Germany.").is_empty());
        assert_eq!(
            preds("France urged Germany to act as a mediator."),
            ["t_mediate"]
        );
        assert!(preds("France urged Germany to act.").is_empty());
    }
}
