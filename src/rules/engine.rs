//! The Pike VM that runs the compiled rule program over a sentence's items.
//!
//! Every active pattern starts a thread at every item; threads advance in
//! lock step, one item at a time, and at most one thread per instruction is
//! kept (the one that started first, so coordinated lists and longer left
//! contexts win). Time is O(items × instructions) per sentence, whatever the
//! rules say: there is no backtracking.
//!
//! That is the plain VM (`Vm::reference`, and `explain`). The one that
//! extraction uses skips work that cannot end in a match, and so finds the
//! same matches: a pattern runs only in sentences with one of its trigger
//! words, a word of each word set every match takes (`Program::required`)
//! and enough mentions; it starts only where its first element fits and
//! one of its trigger words is near enough ahead
//! (`Program::to_trigger`); a thread is dropped as soon as too few
//! mentions or no trigger word are left in its reach; and stretches of the
//! sentence where no thread lives and none starts are skipped.

use std::borrow::Cow;

use crate::gazetteer::Label;
use crate::rules::compile::{
    Inst, Program, FAR, GAP_BARRIER, LIST_WORD, NAME_JOIN, NCAPS, NOT_NAME,
    NO_GROUP, OBJ, START, SUBJ, TRIGGER,
};
use crate::tokenize::{Case, TokenKind, Tokens};

pub(crate) const NONE: u32 = u32::MAX;

/// A mention the rules can bind: from the gazetteer, or a person found by a
/// role rule.
#[derive(Clone, Debug)]
pub(crate) struct Ment<'a> {
    /// Token range.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) label: Label,
    pub(crate) kind: &'a str,
    pub(crate) id: Cow<'a, str>,
    pub(crate) name: Cow<'a, str>,
    pub(crate) country: Option<[u8; 3]>,
    pub(crate) discovered: bool,
}

/// Discourse references that resolve to an earlier mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    Country,
    Group,
    Organisation,
    City,
}

impl RefKind {
    fn of(word: &str) -> Option<RefKind> {
        Some(match word {
            "country" | "nation" | "government" | "regime" | "state"
            | "administration" => RefKind::Country,
            "group" | "militants" | "militia" | "movement" | "insurgents"
            | "rebels" => RefKind::Group,
            "organisation" | "organization" | "alliance" | "bloc"
            | "agency" => RefKind::Organisation,
            "city" | "capital" => RefKind::City,
            _ => return None,
        })
    }

    /// The reference that tokens `t` and `t + 1` (both before `end`) make
    /// if they read `the country`, `the group` and the like. `items` asks
    /// more of one (lowercase, not `the government of ...`, no mention).
    #[inline]
    pub(crate) fn after_the(
        toks: &Tokens<'_>,
        t: usize,
        end: usize,
    ) -> Option<RefKind> {
        let tokens = toks.tokens();
        // the hash turns away almost every other word without reading it
        if t + 1 >= end
            || tokens[t].hash != crate::vocab::HASH_THE
            || toks.norm(&tokens[t]) != "the"
        {
            return None;
        }
        RefKind::of(toks.norm(&tokens[t + 1]))
    }

    /// The (label, kind) a slot sees.
    pub(crate) fn typed(self) -> (Label, &'static str) {
        match self {
            RefKind::Country => (Label::Gpe, "country"),
            RefKind::Group => (Label::Org, "armed_group"),
            RefKind::Organisation => (Label::Org, "igo"),
            RefKind::City => (Label::Gpe, "city"),
        }
    }

    /// Whether a mention can be what the reference points back to.
    pub(crate) fn accepts(self, m: &Ment<'_>) -> bool {
        match self {
            RefKind::Country => {
                m.label == Label::Gpe
                    && matches!(
                        m.kind,
                        "country" | "territory" | "former_state"
                    )
            }
            RefKind::Group => {
                m.label == Label::Org
                    && matches!(m.kind, "armed_group" | "movement" | "party")
            }
            RefKind::Organisation => {
                m.label == Label::Org
                    && matches!(m.kind, "igo" | "ngo" | "agency")
            }
            RefKind::City => {
                m.label == Label::Gpe && matches!(m.kind, "city" | "capital")
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    Token,
    Mention(u32),
    Ref(RefKind),
}

/// One item: a token, a mention, or a discourse reference, over a token
/// range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) sym: u32,
    pub(crate) what: What,
}

/// Capitalised words that do not start or continue a new name.
#[rustfmt::skip]
pub(crate) const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "or", "he",
    "she", "it", "they", "we", "i", "his", "her", "their", "its", "our", "this",
    "that", "these", "those", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.",
    "president", "minister", "prime", "foreign", "secretary", "general", "deputy",
    "vice", "chief", "head", "leader", "spokesman", "spokeswoman", "ambassador",
    "envoy", "king", "queen", "prince", "emir", "sheikh", "chancellor", "premier",
    "governor", "mayor", "senator", "commander", "gen.", "col.", "lt.", "sgt.",
    "capt.", "sen.", "rep.", "gov.", "former", "acting", "interim", "defence",
    "defense", "interior", "finance", "special", "representative", "adviser",
    "advisor", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
    "government", "ministry", "party", "army", "council", "union", "committee",
    "agency", "department", "office", "court", "republic", "kingdom", "state",
    "states", "news", "police", "forces", "when", "after", "before", "while",
    "also", "however", "as", "who", "what", "said", "says", "told", "secretary-general",
    "director", "director-general", "chairman", "chairwoman", "chair", "officials",
    "official", "minister's", "national", "security", "staff", "council's",
    "major", "lieutenant", "colonel", "brigadier", "admiral", "sergeant",
    "captain", "corporal", "marshal", "judge", "justice", "constable",
    "inspector", "superintendent", "detective", "father", "sister", "brother",
    "bishop", "archbishop", "cardinal", "rabbi", "imam", "ayatollah", "mullah",
    "federation", "association", "commission", "institute", "foundation",
    "university", "college", "bank", "company", "corporation", "group", "front",
    "alliance", "league", "organisation", "organization", "society", "church",
    "authority", "board", "service", "force", "parliament", "assembly", "senate",
    "congress", "house", "centre", "center", "fund", "trust", "network",
];

pub(crate) const NAME_JOINS: &[&str] = &[
    "al", "el", "bin", "ibn", "abu", "da", "de", "del", "della", "di", "van",
    "von", "der", "le", "la", "-", "bint", "ben", "dos", "das", "du", "ul",
];

/// The items of sentence tokens `s0..s1`: mentions (sorted, not
/// overlapping) become one item each; with `refs`, `the country` and the
/// like become discourse references; a title phrase that a role rule found
/// (`titled`: phrase start token, person start token, sorted) becomes the
/// person it names.
pub(crate) fn items(
    toks: &Tokens<'_>,
    syms: &[u32],
    sentence: std::ops::Range<usize>,
    (ments, first_ment): (&[Ment<'_>], usize),
    refs: bool,
    titled: &[(usize, usize)],
    out: &mut Vec<Item>,
) {
    let (s0, s1) = (sentence.start, sentence.end);
    let tokens = toks.tokens();
    out.clear();
    out.reserve(s1 - s0);
    let mut m = first_ment;
    let mut t = s0;
    while t < s1 {
        while m < ments.len() && ments[m].start < t {
            m += 1;
        }
        // "Israeli President Shimon Peres" is one item: the person
        if let Ok(k) = titled.binary_search_by_key(&t, |x| x.0) {
            let person = titled[k].1;
            let mut j = m;
            while j < ments.len() && ments[j].start < person {
                j += 1;
            }
            if j < ments.len()
                && ments[j].start == person
                && ments[j].end <= s1
            {
                out.push(mention_item(t, ments[j].end, j));
                t = ments[j].end;
                continue;
            }
        }
        if m < ments.len() && ments[m].start == t && ments[m].end <= s1 {
            out.push(mention_item(t, ments[m].end, m));
            t = ments[m].end;
            continue;
        }
        if let Some(kind) =
            refs.then(|| RefKind::after_the(toks, t, s1)).flatten()
        {
            let after =
                tokens.get(t + 2).filter(|_| t + 2 < s1).map(|x| toks.norm(x));
            let covered = m < ments.len() && ments[m].start <= t + 1;
            if !covered {
                // "the government of Afghanistan" names its own country
                if after != Some("of") && tokens[t + 1].case == Case::Lower {
                    out.push(Item {
                        start: t as u32,
                        end: (t + 2) as u32,
                        sym: NONE,
                        what: What::Ref(kind),
                    });
                    t += 2;
                    continue;
                }
            }
        }
        out.push(Item {
            start: t as u32,
            end: (t + 1) as u32,
            sym: syms[t],
            what: What::Token,
        });
        t += 1;
    }
}

fn mention_item(start: usize, end: usize, m: usize) -> Item {
    Item {
        start: start as u32,
        end: end as u32,
        sym: NONE,
        what: What::Mention(m as u32),
    }
}

/// One match of a pattern: its captures as item indices, and where it ends.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawMatch {
    pub(crate) pattern: u32,
    pub(crate) caps: [u32; NCAPS],
    pub(crate) end: u32,
}

type Caps = [u32; NCAPS];

struct List {
    threads: Vec<(u32, Caps)>,
}

/// How far a pattern got in a sentence, for `explain`: the thread that
/// consumed the most items, where it started, and the instruction it was
/// waiting on when it stopped (at item `at`, or at the end).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Progress {
    pub(crate) start: u32,
    pub(crate) at: u32,
    pub(crate) pc: u32,
}

/// Reusable VM state.
pub(crate) struct Vm {
    /// With `Some`, the furthest progress of each pattern (for `explain`).
    pub(crate) trace: Option<Vec<Option<Progress>>>,
    /// Without the prefilters (trigger words, mention counts, first
    /// elements): the plain Pike VM that the optimised one must agree with.
    pub(crate) reference: bool,
    /// Per item position: the mentions (and references) before it, and
    /// (`ments_total`) in the whole sentence; a thread that needs more
    /// than are left is dropped (unless `prune` is off).
    ments_before: Vec<u32>,
    ments_total: u32,
    prune: bool,
    seen: Vec<u32>,
    gen: u32,
    clist: List,
    nlist: List,
    pub(crate) active: Vec<u32>,
    active_seen: Vec<u32>,
    /// Per pattern: its index in `active` (where `row_mark` is this run's).
    row: Vec<u32>,
    row_mark: Vec<u32>,
    /// The item positions of the k-th active pattern's trigger words:
    /// `trig[trig_at[k]..trig_at[k + 1]]`, ascending. With `to_trigger`,
    /// a thread that cannot reach one is dropped.
    trig: Vec<u32>,
    trig_at: Vec<u32>,
    /// (pattern, item) of every trigger word, as `run` finds them; then
    /// (active index, item), to sort into `trig`.
    pairs: Vec<(u32, u32)>,
    /// (first item, end, pattern): where each active pattern may start.
    windows: Vec<(u32, u32, u32)>,
    /// Per item position: the items before it that `to_trigger` counts.
    counted: Vec<u32>,
    /// (end, pattern) of the windows open at the item at hand (see
    /// `run_pruned`).
    open: Vec<(u32, u32)>,
    /// Per first-element group: the gen of the item it was last tested
    /// on, and the result.
    group_seen: Vec<u32>,
    group_hit: Vec<bool>,
    /// The symbols of the sentence at hand (a bit each), for
    /// `has_required`; per word set, the gen it was last tested on and
    /// the result.
    present: Vec<u64>,
    set_seen: Vec<u32>,
    set_hit: Vec<bool>,
    present_gen: u32,
    /// Whether `present` holds the words of the sentence the next `run`
    /// is for (`RuleSet::worth_trying` marked them just before).
    present_ready: bool,
}

impl Vm {
    pub(crate) fn new(prog: &Program) -> Vm {
        Vm {
            trace: None,
            reference: false,
            ments_before: vec![],
            ments_total: 0,
            prune: false,
            seen: vec![0; prog.insts.len()],
            gen: 0,
            clist: List { threads: vec![] },
            nlist: List { threads: vec![] },
            active: vec![],
            active_seen: vec![0; prog.patterns.len()],
            row: vec![0; prog.patterns.len()],
            row_mark: vec![0; prog.patterns.len()],
            trig: vec![],
            trig_at: vec![],
            pairs: vec![],
            windows: vec![],
            counted: vec![],
            open: vec![],
            group_seen: vec![0; prog.groups.len()],
            group_hit: vec![false; prog.groups.len()],
            present: vec![0; prog.symbols.len().div_ceil(64)],
            set_seen: vec![0; prog.word_sets.len()],
            set_hit: vec![false; prog.word_sets.len()],
            present_gen: 0,
            present_ready: false,
        }
    }

    /// Notes the symbols of a sentence (`NONE` is skipped), for
    /// [`has_required`](Vm::has_required).
    pub(crate) fn mark_present(&mut self, syms: impl Iterator<Item = u32>) {
        self.present.iter_mut().for_each(|w| *w = 0);
        for s in syms {
            if let Some(w) = self.present.get_mut(s as usize / 64) {
                *w |= 1 << (s % 64);
            }
        }
        self.present_gen = self.next_gen();
        self.present_ready = true;
    }

    /// Whether the sentence [`mark_present`](Vm::mark_present) noted has
    /// a word of every word set pattern `p` requires: if not, `p` cannot
    /// match there.
    pub(crate) fn has_required(&mut self, prog: &Program, p: u32) -> bool {
        let gen = self.present_gen;
        prog.required_of(p).iter().all(|&set| {
            let k = set as usize;
            if self.set_seen[k] != gen {
                self.set_seen[k] = gen;
                self.set_hit[k] = prog.word_sets[k].iter().any(|&s| {
                    self.present[s as usize / 64] & 1 << (s % 64) != 0
                });
            }
            self.set_hit[k]
        })
    }

    /// Runs the patterns that `want` selects over `items`, pushing every
    /// match to `out`.
    pub(crate) fn run(
        &mut self,
        prog: &Program,
        want: &dyn Fn(u32) -> bool,
        toks: &Tokens<'_>,
        ments: &[Ment<'_>],
        items: &[Item],
        out: &mut Vec<RawMatch>,
    ) {
        // Prefilter: only patterns whose trigger words occur here.
        let mark = self.next_gen();
        self.active.clear();
        if self.reference {
            // every wanted pattern, at every item: what the prefilters
            // below must agree with
            self.active
                .extend((0..prog.patterns.len() as u32).filter(|&p| want(p)));
        } else {
            // the patterns, and (for `run_pruned`) where each one's
            // trigger words are, in one walk over the items
            self.pairs.clear();
            let activate = |vm: &mut Vm, p: u32| {
                vm.active_seen[p as usize] == mark
                    || (want(p) && {
                        vm.active_seen[p as usize] = mark;
                        vm.active.push(p);
                        true
                    })
            };
            for &p in &prog.always {
                activate(self, p);
            }
            for (i, it) in items.iter().enumerate() {
                for &p in prog.triggered_by(it.sym) {
                    if activate(self, p) {
                        self.pairs.push((p, i as u32));
                    }
                }
            }
            // a pattern needs as many mentions as its slots take (explain
            // still traces the others, to say what they lacked)
            let ments_here =
                items.iter().filter(|it| it.what != What::Token).count()
                    as u32;
            if self.trace.is_none() {
                // and a word of every word set it requires, among the
                // sentence's words (as `worth_trying` noted them, with
                // those inside mentions: as many or more, so no pattern
                // that could match is dropped)
                if !self.present_ready {
                    self.mark_present(
                        items
                            .iter()
                            .filter(|it| it.what == What::Token)
                            .map(|it| it.sym),
                    );
                }
                self.present_ready = false;
                let mut active = std::mem::take(&mut self.active);
                active.retain(|&p| {
                    prog.min_ments[p as usize] <= ments_here
                        && self.has_required(prog, p)
                });
                // and an occurrence of its trigger word with as many
                // mentions before and after it as it takes on each side
                let around = |p: &u32| prog.around_trigger[*p as usize];
                if !active.is_empty() {
                    self.count_items(prog, items);
                }
                if active.iter().any(|p| around(p) != [0, 0]) {
                    let (before, c) = (&self.ments_before, self.ments_total);
                    let pairs = &self.pairs;
                    active.retain(|p| {
                        let [b, a] = around(p);
                        [b, a] == [0, 0]
                            || pairs.iter().any(|&(q, i)| {
                                let i = i as usize;
                                q == *p
                                    && before[i] >= b
                                    && c - before[i + 1] >= a
                            })
                    });
                }
                self.active = active;
            }
        }
        if self.active.is_empty() {
            return;
        }
        self.prune = !self.reference && self.trace.is_none();
        if self.prune {
            // in the order found: threads of different patterns never meet
            // (no instruction is shared), so the order in which patterns
            // start changes no match, only the order `out` gets them in,
            // which `select` sorts
            self.run_pruned(prog, toks, ments, items, out);
            return;
        }
        self.active
            .sort_unstable_by_key(|&p| (prog.first_group[p as usize], p));
        self.clist.threads.clear();
        let n = items.len();
        let mut gen = self.next_gen();
        // i runs to n inclusive: threads ending at the last item still
        // reach their Match there.
        #[allow(clippy::needless_range_loop)]
        for i in 0..=n {
            // start a pattern only where its first element can match; the
            // test is made once per group of patterns that start alike
            // (`active` is sorted by group)
            let mut k = 0;
            while k < self.active.len() {
                let g = prog.first_group[self.active[k] as usize];
                let mut end = k + 1;
                while end < self.active.len()
                    && prog.first_group[self.active[end] as usize] == g
                {
                    end += 1;
                }
                let hit = g == NO_GROUP
                    || self.reference
                    || (i < n
                        && prog.groups[g as usize].iter().any(|&f| {
                            consumes(prog, f, items[i], toks, ments)
                        }));
                if hit {
                    for j in k..end {
                        let entry =
                            prog.patterns[self.active[j] as usize].entry;
                        let mut caps = [NONE; NCAPS];
                        caps[START] = i as u32;
                        self.add(
                            prog,
                            true,
                            gen,
                            entry,
                            caps,
                            i as u32,
                            out,
                            (items, toks, ments),
                        );
                    }
                }
                k = end;
            }
            if i == n {
                if self.trace.is_some() {
                    for k in 0..self.clist.threads.len() {
                        let (pc, caps) = self.clist.threads[k];
                        self.record(prog, pc, caps[START], n as u32);
                    }
                }
                // back in pattern order, for whoever reads `active`
                self.active.sort_unstable();
                break;
            }
            gen = self.step(prog, i, out, (items, toks, ments));
        }
    }

    /// Moves every thread of the current list over item `i` into the next
    /// list, which becomes the current one; returns its gen. Without
    /// pruning, threads that cannot take the item are dropped here (with
    /// pruning, `add` never let them in).
    fn step(
        &mut self,
        prog: &Program,
        i: usize,
        out: &mut Vec<RawMatch>,
        (items, toks, ments): (&[Item], &Tokens<'_>, &[Ment<'_>]),
    ) -> u32 {
        let gen = self.next_gen();
        self.nlist.threads.clear();
        for k in 0..self.clist.threads.len() {
            let (pc, caps) = self.clist.threads[k];
            let inst = prog.insts[pc as usize];
            if self.prune || consumes(prog, inst, items[i], toks, ments) {
                self.add(
                    prog,
                    false,
                    gen,
                    pc + 1,
                    caps,
                    i as u32 + 1,
                    out,
                    (items, toks, ments),
                );
            } else if self.trace.is_some() {
                self.record(prog, pc, caps[START], i as u32);
            }
        }
        std::mem::swap(&mut self.clist, &mut self.nlist);
        gen
    }

    /// The VM with every prefilter on: `run` has chosen the active
    /// patterns (trigger words present, enough mentions); a pattern starts
    /// only at items from which one of its trigger words is near enough
    /// ahead (`Program::to_trigger`), and `add` drops threads that cannot
    /// finish. Positions where no thread lives and none starts are skipped.
    fn run_pruned(
        &mut self,
        prog: &Program,
        toks: &Tokens<'_>,
        ments: &[Ment<'_>],
        items: &[Item],
        out: &mut Vec<RawMatch>,
    ) {
        let n = items.len();
        // `ments_before` and `counted` are `count_items`', from `run`
        // where each active pattern's trigger words are: `trig[k]` for the
        // k-th active pattern, in item order
        let mark = self.next_gen();
        for (k, &p) in self.active.iter().enumerate() {
            self.row[p as usize] = k as u32;
            self.row_mark[p as usize] = mark;
        }
        // `run` found the trigger words; keep those of patterns still
        // active, by their index in `active`
        let (row, row_mark) = (&self.row, &self.row_mark);
        self.pairs.retain_mut(|(p, _)| {
            let keep = row_mark[*p as usize] == mark;
            if keep {
                *p = row[*p as usize];
            }
            keep
        });
        self.pairs.sort_unstable();
        self.trig.clear();
        self.trig_at.clear();
        self.trig_at.resize(self.active.len() + 1, 0);
        for &(k, i) in &self.pairs {
            self.trig.push(i);
            self.trig_at[k as usize + 1] += 1;
        }
        for k in 0..self.active.len() {
            self.trig_at[k + 1] += self.trig_at[k];
        }
        // where each pattern may start: up to `to_trigger` counted items
        // before one of its trigger words (`windows`: from, to, pattern)
        self.windows.clear();
        for (k, &p) in self.active.iter().enumerate() {
            let d = prog.to_trigger[prog.patterns[p as usize].entry as usize];
            if d == FAR {
                self.windows.push((0, n as u32 + 1, p));
                continue;
            }
            let mut done = 0;
            let (a, b) =
                (self.trig_at[k] as usize, self.trig_at[k + 1] as usize);
            for &t in &self.trig[a..b] {
                let t = t as usize;
                let mut i = t;
                while i > done && self.counted[t] - self.counted[i - 1] <= d {
                    i -= 1;
                }
                self.windows.push((i as u32, t as u32 + 1, p));
                done = t + 1;
            }
        }
        // the windows by where they open; `open`: (end, pattern) of those
        // that hold the position at hand (a few: one per trigger word of
        // an active pattern, and they do not overlap within a pattern)
        self.windows.sort_unstable();
        let mut next = 0;
        self.open.clear();
        self.clist.threads.clear();
        let mut gen = self.next_gen();
        let mut i = 0;
        while i <= n {
            self.open.retain(|&(end, _)| end as usize > i);
            if self.clist.threads.is_empty() && self.open.is_empty() {
                // nothing lives: on to where the next window opens
                let Some(&(a, _, _)) = self.windows.get(next) else {
                    break;
                };
                if a as usize > i {
                    i = a as usize;
                    gen = self.next_gen();
                }
            }
            while let Some(&(a, end, p)) = self.windows.get(next) {
                if a as usize > i {
                    break;
                }
                if end as usize > i {
                    self.open.push((end, p));
                }
                next += 1;
            }
            for k in 0..self.open.len() {
                let p = self.open[k].1;
                // the first-element test, once per group and item
                let g = prog.first_group[p as usize];
                let hit = g == NO_GROUP
                    || (i < n && {
                        let g = g as usize;
                        if self.group_seen[g] != gen {
                            self.group_seen[g] = gen;
                            self.group_hit[g] =
                                prog.groups[g].iter().any(|&f| {
                                    consumes(prog, f, items[i], toks, ments)
                                });
                        }
                        self.group_hit[g]
                    });
                if hit {
                    let mut caps = [NONE; NCAPS];
                    caps[START] = i as u32;
                    self.add(
                        prog,
                        true,
                        gen,
                        prog.patterns[p as usize].entry,
                        caps,
                        i as u32,
                        out,
                        (items, toks, ments),
                    );
                }
            }
            if i == n {
                break;
            }
            gen = self.step(prog, i, out, (items, toks, ments));
            i += 1;
        }
    }

    fn record(&mut self, prog: &Program, pc: u32, start: u32, at: u32) {
        let Some(trace) = self.trace.as_mut() else { return };
        let p = prog.pattern_of[pc as usize] as usize;
        // furthest through the pattern first, then most items taken
        let better =
            trace[p].is_none_or(|b| (pc, at - start) > (b.pc, b.at - b.start));
        if better && at > start {
            trace[p] = Some(Progress { start, at, pc });
        }
    }

    /// Per item position, in one walk over the items: the mentions (and
    /// references) before it, and the items before it that `to_trigger`
    /// counts (all but mentions and the words of coordinated lists).
    fn count_items(&mut self, prog: &Program, items: &[Item]) {
        self.ments_before.clear();
        self.counted.clear();
        self.ments_before.push(0);
        self.counted.push(0);
        let (mut m, mut c) = (0, 0);
        for it in items {
            let ment = it.what != What::Token;
            m += u32::from(ment);
            c += u32::from(!ment && !flag(prog, it.sym, LIST_WORD));
            self.ments_before.push(m);
            self.counted.push(c);
        }
        self.ments_total = m;
    }

    /// Whether pattern `p`'s next trigger word after item `at` is at most
    /// `d` counted items away.
    fn near(&self, d: u32, p: u32, at: usize) -> bool {
        d == FAR || {
            let k = self.row[p as usize] as usize;
            let trig = &self.trig
                [self.trig_at[k] as usize..self.trig_at[k + 1] as usize];
            let t = trig.partition_point(|&t| (t as usize) < at);
            trig.get(t).is_some_and(|&t| {
                self.counted[t as usize] - self.counted[at] <= d
            })
        }
    }

    fn next_gen(&mut self) -> u32 {
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            // every mark made with the old numbers goes, or one could
            // equal a new one
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.active_seen.iter_mut().for_each(|s| *s = 0);
            self.row_mark.iter_mut().for_each(|s| *s = 0);
            self.group_seen.iter_mut().for_each(|s| *s = 0);
            self.set_seen.iter_mut().for_each(|s| *s = 0);
            self.gen = 1;
        }
        self.gen
    }

    /// Adds a thread at `pc` and everything reachable from it without
    /// consuming an item, in priority order, to the current list (`cur`) or
    /// the next one.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        prog: &Program,
        cur: bool,
        gen: u32,
        pc: u32,
        caps: Caps,
        pos: u32,
        out: &mut Vec<RawMatch>,
        (items, toks, ments): (&[Item], &Tokens<'_>, &[Ment<'_>]),
    ) {
        // An instruction seen already this step was reached by a thread of
        // higher priority: so was everything after it, so walking the
        // precomputed closure and skipping what is seen is the same as
        // walking the instructions (and skips the Jmp/Split/Save steps).
        if self.seen[pc as usize] == gen {
            return;
        }
        let (a, b) = (
            prog.closure_at[pc as usize] as usize,
            prog.closure_at[pc as usize + 1] as usize,
        );
        for r in &prog.closure[a..b] {
            let (pc, inst) = (r.pc, r.inst);
            if self.seen[pc as usize] == gen {
                continue;
            }
            self.seen[pc as usize] = gen;
            if self.prune && !matches!(inst, Inst::Match(_)) {
                // it cannot take the item it waits for, too few mentions
                // are left for it to finish, or no trigger word is in its
                // reach: it would die
                let at = pos as usize;
                if at >= items.len()
                    || r.need > self.ments_total - self.ments_before[at]
                    || !consumes(prog, inst, items[at], toks, ments)
                    || !self.near(r.to_trigger, r.pattern, at)
                {
                    continue;
                }
            }
            let mut caps = caps;
            let mut m = r.mask;
            while m != 0 {
                caps[m.trailing_zeros() as usize] = pos;
                m &= m - 1;
            }
            match inst {
                Inst::Match(p) => {
                    out.push(RawMatch { pattern: p, caps, end: pos })
                }
                _ => {
                    let list =
                        if cur { &mut self.clist } else { &mut self.nlist };
                    list.threads.push((pc, caps));
                }
            }
        }
    }
}

fn flag(prog: &Program, sym: u32, f: u8) -> bool {
    prog.sym_flags.get(sym as usize).is_some_and(|&x| x & f != 0)
}

/// Whether `sym` is in word set `set`.
#[inline]
fn in_set(prog: &Program, set: u32, sym: u32) -> bool {
    let set = set as usize;
    sym != NONE
        && prog.word_filters[set] & 1 << (sym % 64) != 0
        && prog.word_sets[set].binary_search(&sym).is_ok()
}

/// Whether an instruction that consumes an item takes `item`. The common
/// case, a word set, is answered inline: the VM asks this for every thread
/// at every item, and most answers are a quick no.
#[inline(always)]
fn consumes(
    prog: &Program,
    inst: Inst,
    item: Item,
    toks: &Tokens<'_>,
    ments: &[Ment<'_>],
) -> bool {
    match inst {
        Inst::Words(set) => {
            item.what == What::Token && in_set(prog, set, item.sym)
        }
        _ => consumes_other(prog, inst, &item, toks, ments),
    }
}

/// [`consumes`] for every instruction but a word set.
fn consumes_other(
    prog: &Program,
    inst: Inst,
    item: &Item,
    toks: &Tokens<'_>,
    ments: &[Ment<'_>],
) -> bool {
    match inst {
        Inst::Gap(ex) => match item.what {
            What::Token => {
                !flag(prog, item.sym, GAP_BARRIER)
                    && (ex == u32::MAX || !in_set(prog, ex, item.sym))
            }
            _ => true,
        },
        Inst::Mention(ts) => {
            let ts = &prog.type_sets[ts as usize];
            match item.what {
                What::Mention(m) => {
                    let m = &ments[m as usize];
                    ts.accepts(m.label, m.kind, &m.id)
                }
                What::Ref(r) => {
                    let (l, k) = r.typed();
                    ts.accepts(l, k, "")
                }
                What::Token => false,
            }
        }
        Inst::NameWord => {
            if item.what != What::Token || flag(prog, item.sym, NOT_NAME) {
                return false;
            }
            let i = item.start as usize;
            let t = &toks.tokens()[i];
            if t.kind != TokenKind::Word {
                return false;
            }
            // after a glued hyphen a name goes on in lowercase:
            // "Chung Dong-young", "Ban Ki-moon"
            t.case == Case::Title
                || (t.case == Case::Lower
                    && i > 0
                    && !t.space_before
                    && toks.norm(&toks.tokens()[i - 1]) == "-")
        }
        Inst::NameJoin => {
            if item.what != What::Token || !flag(prog, item.sym, NAME_JOIN) {
                return false;
            }
            let t = &toks.tokens()[item.start as usize];
            !t.space_before || toks.norm(t) != "-"
        }
        _ => false,
    }
}

/// Keeps, for each pattern, start and trigger, the match whose last
/// argument begins nearest (`met Xi in Kazan` is about Xi, not Kazan), and
/// of those the longest (a coordinated list taken whole); then, for each trigger, only the matches
/// of the best rule: higher priority, then the longer match, then the rule
/// defined first. `rank` gives a pattern's (priority, rule index).
pub(crate) fn select(
    matches: &mut Vec<RawMatch>,
    rank: &dyn Fn(u32) -> (i32, u32),
) {
    use std::cmp::Reverse;
    let last_arg = |m: &RawMatch| {
        [m.caps[SUBJ], m.caps[OBJ]]
            .into_iter()
            .filter(|&c| c != NONE)
            .max()
            .unwrap_or(0)
    };
    matches.sort_by_key(|m| {
        (
            m.pattern,
            m.caps[START],
            m.caps[TRIGGER],
            last_arg(m),
            Reverse(m.end),
        )
    });
    matches.dedup_by_key(|m| (m.pattern, m.caps[START], m.caps[TRIGGER]));
    let key = |m: &RawMatch| {
        let (prio, rule) = rank(m.pattern);
        (m.caps[TRIGGER], Reverse(prio), Reverse(m.end - m.caps[START]), rule)
    };
    let mut keys: Vec<_> = matches.iter().map(key).collect();
    keys.sort_unstable();
    // the winning rule of each trigger
    let mut winners: Vec<(u32, u32)> = Vec::new();
    for k in keys {
        if winners.last().is_none_or(|w| w.0 != k.0) {
            winners.push((k.0, k.3));
        }
    }
    matches.retain(|m| {
        let t = m.caps[TRIGGER];
        t == NONE || {
            let i = winners.partition_point(|w| w.0 < t);
            winners
                .get(i)
                .is_some_and(|w| w.0 == t && w.1 == rank(m.pattern).1)
        }
    });
}
