/*!
The gazetteer matcher: a trie over token symbols.

Every alias is tokenised exactly as text is, and each normalised token is
interned as a symbol; the aliases form a trie. The root's edges are an
array indexed by symbol (every alias starts there, and so does every walk
over the text); deeper edges are keyed by (node, symbol) in one hash
table. Searching a sentence costs one vocabulary
lookup per token, then at each token a walk down the trie that stops at the
first token that is not in the vocabulary or has no edge, so it is linear in
the text for all practical gazetteers (bounded by the longest alias, at most
`MAX_ALIAS_TOKENS`, 32 tokens).

Why not an Aho-Corasick automaton over the normalised text, as the design
first proposed? Matches must start and end on token boundaries; a byte
automaton finds leftmost-longest matches that may start inside a token, and
filtering those afterwards can hide a valid match that overlaps a discarded
one. Working on tokens makes token alignment hold by construction, and a
vocabulary lookup per token skips the (overwhelmingly common) words that no
alias contains.

# Conflict policy

Leftmost first, then longest (in tokens): at each token the longest alias
that starts there and passes its case policy wins, and the search resumes
after it. A name glued to a currency sign (`US$`, `AU$`) is not a mention.
When several entries share that alias, the winner is, in order: the
stricter case policy (exact, name, ambiguous, any); an entry already
mentioned earlier in the document; an entry whose country was already
mentioned (`Victoria` after `Australia` is the state, after `Seychelles`
the capital); an entry from a user's gazetteer over an embedded one; the
entry loaded first.
*/

use std::collections::{HashMap, HashSet};

use crate::gazetteer::parse::MAX_ALIAS_TOKENS;
use crate::gazetteer::{CasePolicy, Entry, Label};
use crate::hash::FxBuildHasher;
use crate::tokenize::{
    norm_in, scan, SentenceKind, Token, TokenKind, Tokens, SENTENCE_OPENERS,
};

const NONE: u32 = u32::MAX;

/// One mention found by the matcher: a token range and the entry and
/// surface form (0 = the name, k = alias k - 1) that produced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mention {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entry: u32,
    pub(crate) surface: u16,
}

#[derive(Clone, Debug)]
struct Pat {
    entry: u32,
    surface: u16,
    policy: CasePolicy,
    user: bool,
    /// The entry's country code, `[0; 3]` for none.
    country: [u8; 3],
    /// A one-word alias of a person (a surname): not taken as the last
    /// word of another, unknown name.
    surname: bool,
    /// Bit k: the alias's token k starts with a capital.
    caps: u32,
    /// For exact patterns: index into `Matcher::exact`.
    exact: u32,
    /// The next pattern that ends at the same trie node.
    next: u32,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct Matcher {
    /// Word -> (its symbol in the trie, its symbol in the rule program),
    /// `NONE` where it has none: one lookup per token serves both.
    vocab: crate::vocab::Vocab,
    /// The number of trie symbols.
    nsyms: u32,
    /// Per symbol: the root's child, or `NONE`; once built, one `NONE`
    /// more, which every symbol past them reads (see `find_with`).
    root: Vec<u32>,
    /// Edges below the root, by (node, symbol).
    edges: HashMap<u64, u32, FxBuildHasher>,
    /// Per trie node: the first pattern ending there, or `NONE`.
    head: Vec<u32>,
    pats: Vec<Pat>,
    /// For exact patterns: the alias's tokens as written.
    exact: Vec<Box<[Box<str>]>>,
    /// Word caches for a large vocabulary, kept between documents (one
    /// per thread that looks up at a time).
    caches: crate::pool::Pool<crate::vocab::Cache>,
}

#[inline]
fn key(node: u32, sym: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(sym)
}

impl Matcher {
    /// Builds the trie; or lists the aliases (entry, surface, tokens) that
    /// have more than [`MAX_ALIAS_TOKENS`] tokens.
    pub(crate) fn build(
        entries: &[Entry],
        user: &[bool],
    ) -> Result<Matcher, Vec<(u32, u16, usize)>> {
        let mut too_long = Vec::new();
        let mut m = Matcher {
            vocab: crate::vocab::Vocab::default(),
            nsyms: 0,
            root: Vec::new(),
            edges: HashMap::default(),
            head: vec![NONE],
            pats: Vec::with_capacity(entries.len() * 2),
            exact: Vec::new(),
            caches: Default::default(),
        };
        let mut toks: Vec<Token> = Vec::new();
        let mut norms = String::new();
        let mut keys = Vec::new();
        for (ei, e) in entries.iter().enumerate() {
            for k in 0..=e.aliases.len() {
                let alias = e.surface(k);
                toks.clear();
                norms.clear();
                keys.clear();
                scan(&alias.text, &mut toks, &mut keys, &mut norms);
                if toks.is_empty() {
                    continue;
                }
                if toks.len() > MAX_ALIAS_TOKENS {
                    too_long.push((ei as u32, k as u16, toks.len()));
                    continue;
                }
                let mut node = 0u32;
                let mut caps = 0u32;
                for (i, t) in toks.iter().enumerate() {
                    let norm = norm_in(&alias.text, &norms, t);
                    let slot = m.vocab.entry(norm, t.hash, [NONE, NONE]);
                    if slot[0] == NONE {
                        slot[0] = m.nsyms;
                        m.nsyms += 1;
                    }
                    let sym = slot[0];
                    let next_node = m.head.len() as u32;
                    let child = if node == 0 {
                        if m.root.len() <= sym as usize {
                            m.root.resize(sym as usize + 1, NONE);
                        }
                        let c = &mut m.root[sym as usize];
                        if *c == NONE {
                            *c = next_node;
                        }
                        *c
                    } else {
                        *m.edges.entry(key(node, sym)).or_insert(next_node)
                    };
                    if child == next_node {
                        m.head.push(NONE);
                    }
                    node = child;
                    if t.case.is_capitalised() {
                        caps |= 1 << i;
                    }
                }
                let exact = if alias.policy == CasePolicy::Exact {
                    let words: Box<[Box<str>]> = toks
                        .iter()
                        .map(|t| alias.text[t.span].into())
                        .collect();
                    m.exact.push(words);
                    (m.exact.len() - 1) as u32
                } else {
                    NONE
                };
                // Skip a pattern that repeats one of the same entry here.
                // Lists are in decreasing entry order (each new pattern is
                // prepended), so this entry's patterns come first.
                let mut p = m.head[node as usize];
                let mut dup = false;
                while p != NONE && m.pats[p as usize].entry == ei as u32 {
                    let q = &m.pats[p as usize];
                    if q.policy == alias.policy
                        && q.caps == caps
                        && (exact == NONE
                            || m.exact[q.exact as usize]
                                == m.exact[exact as usize])
                    {
                        dup = true;
                        break;
                    }
                    p = q.next;
                }
                if dup {
                    if exact != NONE {
                        m.exact.pop();
                    }
                    continue;
                }
                m.pats.push(Pat {
                    entry: ei as u32,
                    surface: k as u16,
                    policy: alias.policy,
                    user: user[ei],
                    country: e.country.unwrap_or([0; 3]),
                    surname: e.label == Label::Person && toks.len() == 1,
                    caps,
                    exact,
                    next: m.head[node as usize],
                });
                m.head[node as usize] = (m.pats.len() - 1) as u32;
            }
        }
        if !too_long.is_empty() {
            return Err(too_long);
        }
        m.vocab.size_for_lookups();
        m.edges.shrink_to_fit();
        // one entry a symbol and one more, `NONE`, that every symbol past
        // them (and `NONE` itself) reads: see `find_with`
        m.root.resize(m.nsyms as usize + 1, NONE);
        m.root.shrink_to_fit();
        Ok(m)
    }

    /// Gives the rule program's words their symbols, so that
    /// [`lookup`](Matcher::lookup) finds both kinds at once.
    pub(crate) fn add_rule_symbols<'a>(
        &mut self,
        syms: impl Iterator<Item = (&'a str, u32)>,
    ) {
        for (word, s) in syms {
            let h = crate::vocab::hash(word);
            self.vocab.entry(word, h, [NONE, NONE])[1] = s;
        }
        // answers cached before would be stale
        self.caches = Default::default();
        self.vocab.size_for_lookups();
    }

    /// Per token: its trie symbol and its rule symbol (`NONE` for none).
    #[cfg(test)]
    pub(crate) fn lookup(&self, toks: &Tokens<'_>) -> (Vec<u32>, Vec<u32>) {
        let (mut gs, mut rs) = (Vec::new(), Vec::new());
        self.lookup_into(toks, &mut gs, &mut rs);
        (gs, rs)
    }

    /// [`lookup`](Matcher::lookup) into `gs` and `rs` (cleared first),
    /// which the extractor keeps between documents.
    pub(crate) fn lookup_into(
        &self,
        toks: &Tokens<'_>,
        gs: &mut Vec<u32>,
        rs: &mut Vec<u32>,
    ) {
        // one loop, compiled once per way of asking: no test per token
        // `get` is given each token and the key the tokenizer made of it
        fn each(
            toks: &Tokens<'_>,
            (gs, rs): (&mut Vec<u32>, &mut Vec<u32>),
            mut get: impl FnMut(&Token, [u64; 2]) -> [u32; 2],
            touch: impl Fn(u64) -> u64,
        ) {
            gs.clear();
            rs.clear();
            gs.reserve(toks.tokens().len());
            rs.reserve(toks.tokens().len());
            let keys = toks.keys();
            for (chunk, keys) in toks.tokens().chunks(8).zip(keys.chunks(8)) {
                // the slots of eight words fetched side by side
                let mut x = 0u64;
                for t in chunk {
                    x = x.wrapping_add(touch(t.hash));
                }
                std::hint::black_box(x);
                for (t, &k) in chunk.iter().zip(keys) {
                    let [g, r] = get(t, k);
                    gs.push(g);
                    rs.push(r);
                }
            }
        }
        if !self.vocab.is_large() {
            // most tokens come with their key: no word to read again
            return each(
                toks,
                (gs, rs),
                |t, k| {
                    if k[1] != 0 {
                        self.vocab.get_key_or(k, t.hash, [NONE; 2])
                    } else {
                        self.vocab
                            .get(toks.norm_bytes(t), t.hash)
                            .unwrap_or([NONE; 2])
                    }
                },
                |h| self.vocab.touch(h),
            );
        }
        // a large vocabulary is asked through a word cache
        let mut cache = self.caches.take(crate::vocab::Cache::new);
        each(
            toks,
            (gs, rs),
            |t, _| {
                self.vocab
                    .get_cached(&mut cache, toks.norm_bytes(t), t.hash)
                    .unwrap_or([NONE; 2])
            },
            |_| 0,
        );
        self.caches.give(cache);
    }

    /// Finds all mentions in `toks`, skipping boilerplate sentences.
    #[cfg(test)]
    pub(crate) fn find(&self, toks: &Tokens<'_>, out: &mut Vec<Mention>) {
        let (syms, _) = self.lookup(toks);
        self.find_with(toks, &syms, out);
    }

    /// [`find`](Matcher::find) with the tokens' trie symbols given.
    pub(crate) fn find_with(
        &self,
        toks: &Tokens<'_>,
        syms: &[u32],
        out: &mut Vec<Mention>,
    ) {
        // room for the entries and countries of a long story, so that the
        // sets are allocated once and never rehashed
        let mut seen = Seen {
            entries: HashSet::with_capacity_and_hasher(64, Default::default()),
            countries: HashSet::with_capacity_and_hasher(
                16,
                Default::default(),
            ),
        };
        let mut ends: Vec<(usize, u32)> = Vec::with_capacity(MAX_ALIAS_TOKENS);
        // `NONE` and symbols past the root's: its last entry, `NONE` (no
        // root at all: no aliases, nothing to find)
        let Some(last) = self.root.len().checked_sub(1) else { return };
        for s in toks.sentences() {
            if s.kind == SentenceKind::Boilerplate {
                continue;
            }
            let (s0, s1) = (s.tokens.start, s.tokens.end);
            let mut last_end = s0;
            let mut i = s0;
            while i < s1 {
                // whether a word starts an alias: a branch on that (one
                // word in seven) mispredicts far less than one on whether
                // it is in any alias (two in five)
                let first = self.root[(syms[i] as usize).min(last)];
                if first == NONE {
                    i += 1;
                    continue;
                }
                ends.clear();
                let mut node = first;
                let mut j = i + 1;
                if self.head[node as usize] != NONE {
                    ends.push((j, node));
                }
                while j < s1 && syms[j] != NONE {
                    match self.edges.get(&key(node, syms[j])) {
                        Some(&c) => node = c,
                        None => break,
                    }
                    j += 1;
                    if self.head[node as usize] != NONE {
                        ends.push((j, node));
                    }
                }
                let mut found = None;
                for &(end, node) in ends.iter().rev() {
                    let ctx =
                        Context { toks, s0, s1, start: i, end, last_end };
                    if !ctx.boundary_ok() {
                        continue;
                    }
                    if let Some(p) = self.choose(node, &ctx, &seen) {
                        found = Some((end, p));
                        break;
                    }
                }
                match found {
                    Some((end, p)) => {
                        let pat = &self.pats[p as usize];
                        out.push(Mention {
                            start: i,
                            end,
                            entry: pat.entry,
                            surface: pat.surface,
                        });
                        seen.entries.insert(pat.entry);
                        if pat.country != [0; 3] {
                            seen.countries.insert(pat.country);
                        }
                        last_end = end;
                        i = end;
                    }
                    None => i += 1,
                }
            }
        }
    }

    /// The best pattern ending at `node` for the span in `ctx`.
    fn choose(
        &self,
        node: u32,
        ctx: &Context<'_, '_>,
        seen: &Seen,
    ) -> Option<u32> {
        type Rank = (CasePolicy, bool, bool, bool, u32);
        let mut best: Option<(Rank, u32)> = None;
        let mut p = self.head[node as usize];
        while p != NONE {
            let pat = &self.pats[p as usize];
            if self.case_ok(pat, ctx) {
                let rank = (
                    pat.policy,
                    !seen.entries.contains(&pat.entry),
                    !seen.countries.contains(&pat.country),
                    !pat.user,
                    pat.entry,
                );
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, p));
                }
            }
            p = pat.next;
        }
        best.map(|(_, p)| p)
    }

    fn case_ok(&self, pat: &Pat, ctx: &Context<'_, '_>) -> bool {
        if pat.surname && ctx.inside_other_name() {
            return false;
        }
        let tokens = &ctx.toks.tokens()[ctx.start..ctx.end];
        match pat.policy {
            CasePolicy::Any => true,
            CasePolicy::Exact => {
                let words = &self.exact[pat.exact as usize];
                tokens.len() == words.len()
                    && tokens
                        .iter()
                        .zip(words.iter())
                        .all(|(t, w)| ctx.toks.token_text(t) == &**w)
            }
            CasePolicy::Name => name_case_ok(pat.caps, tokens),
            CasePolicy::Ambiguous => {
                name_case_ok(pat.caps, tokens) && ctx.ambiguous_context_ok()
            }
        }
    }
}

fn name_case_ok(caps: u32, tokens: &[Token]) -> bool {
    tokens
        .iter()
        .enumerate()
        .all(|(k, t)| caps & (1 << k) == 0 || t.case.is_capitalised())
}

/// What the document has mentioned so far, for the conflict policy.
#[derive(Default)]
struct Seen {
    entries: HashSet<u32, FxBuildHasher>,
    countries: HashSet<[u8; 3], FxBuildHasher>,
}

struct Context<'a, 't> {
    toks: &'a Tokens<'t>,
    s0: usize,
    s1: usize,
    start: usize,
    end: usize,
    /// Where the previous mention in the sentence ended.
    last_end: usize,
}

impl Context<'_, '_> {
    /// "Ahmed Wali Karzai": the word before is a capitalised word that no
    /// mention covers, not the sentence's first, and not a title.
    fn inside_other_name(&self) -> bool {
        if self.start == self.s0 || self.start - 1 < self.last_end {
            return false;
        }
        let prev = &self.toks.tokens()[self.start - 1];
        prev.kind == TokenKind::Word
            && prev.case.is_capitalised()
            && self.start - 1 != self.s0
            && !super::surnames::is_honorific(prev.hash, self.toks.norm(prev))
    }

    /// A name glued to a currency sign is a currency: `US$`, `AU$`.
    fn boundary_ok(&self) -> bool {
        let Some(next) = self.toks.tokens()[..self.s1].get(self.end) else {
            return true;
        };
        next.space_before
            || !matches!(self.toks.token_text(next), "$" | "€" | "£" | "¥")
    }

    /// An ambiguous alias must not sit next to another capitalised word
    /// that is not itself a mention: `Michael Jordan`, `Chad Smith`,
    /// `Mr. Jordan`. A common sentence opener before it is fine
    /// (`Both Jordan and Egypt`, `In Georgia`).
    fn ambiguous_context_ok(&self) -> bool {
        let tokens = self.toks.tokens();
        let name_like = |t: &Token| {
            matches!(t.kind, TokenKind::Word | TokenKind::Abbreviation)
                && t.case.is_capitalised()
        };
        if self.start > self.s0 {
            let prev = &tokens[self.start - 1];
            let covered = self.start - 1 < self.last_end;
            let opens = self.start - 1 == self.s0
                && SENTENCE_OPENERS.contains(&self.toks.token_text(prev));
            if name_like(prev) && !covered && !opens {
                return false;
            }
        }
        if self.end < self.s1 {
            let next = &tokens[self.end];
            if name_like(next) {
                return false;
            }
        }
        true
    }
}
