/*!
Relation rules: the rule language (see `rules/README.md`), its compiler and
the engine that applies the rules to a document.

A document goes through two passes. The role pass runs the `role` rules
(`Russian Foreign Minister Sergey Lavrov`) and adds the people they find
that the gazetteer lacks, with every later mention of their name. The event
pass runs the other rules. Both run the same Pike VM, in time linear in the
text for any rule set.
*/

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Diagnostic, DiagnosticKind, Location};
use crate::extract::{CountryCode, EntityRef, Relation};
use crate::gazetteer::{Date, Gazetteer, Label};
use crate::rules::compile::{
    Compiler, Program, OBJ, ROLE, START, SUBJ, TRIGGER,
};
use crate::rules::engine::{Item, Ment, RawMatch, RefKind, Vm, What, NONE};
use crate::text::Str;
use crate::tokenize::{SentenceKind, TokenKind, Tokens};

mod compile;
pub(crate) mod engine;
pub(crate) mod examples;
mod inflect;
mod parse;

pub use crate::rules::examples::{ExampleFailure, ExampleReport};
pub use crate::rules::parse::Expected;

/// Where a rule or pattern is defined: `rules/aid.rules:12`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleId {
    path: Arc<str>,
    line: u32,
}

impl RuleId {
    /// The rule file's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The line, starting at 1.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(
        &self,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One inline example of a rule: a sentence and the triples expected.
#[derive(Clone, Debug)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// The triples the rule must produce; `None` for a counter-example,
    /// which must produce no positive relation of the rule.
    pub expected: Option<Vec<Expected>>,
    /// Where the example is written.
    pub location: RuleId,
}

/// One rule: its id, label, event code, and examples.
#[derive(Clone, Debug)]
pub struct Rule {
    id: String,
    label: String,
    code: Option<String>,
    priority: i32,
    role: bool,
    location: RuleId,
    /// Lines of its patterns and noun lines, which relations name.
    lines: Vec<u32>,
    examples: Vec<Example>,
}

impl Rule {
    /// The rule's id, which is the predicate of its relations (role rules
    /// give `holds_role`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The human label (`pledges aid`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The CAMEO event code, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The priority used when two rules match at the same trigger.
    pub fn priority(&self) -> i32 {
        self.priority
    }

    /// Whether this is a role rule (giving `holds_role` relations).
    pub fn is_role(&self) -> bool {
        self.role
    }

    /// Where the rule is defined.
    pub fn location(&self) -> &RuleId {
        &self.location
    }

    /// The rule's inline examples and counter-examples.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Whether a relation was made by this rule.
    pub fn made(&self, relation: &Relation) -> bool {
        relation.predicate == self.predicate()
            && relation.rule.rsplit_once(':').is_some_and(|(path, line)| {
                path == self.location.path()
                    && line.parse().is_ok_and(|l: u32| self.lines.contains(&l))
            })
    }

    /// The predicate its relations carry.
    pub fn predicate(&self) -> &str {
        if self.role {
            "holds_role"
        } else {
            &self.id
        }
    }
}

/// The compiled rules of an extractor.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    prog: Program,
    /// Per symbol, for the role pass (0) and the event pass (1): the
    /// fewest mentions that a pattern it is a trigger word of needs
    /// (`u32::MAX` for none); `always`: the same for patterns without a
    /// trigger word. A sentence where no trigger of a pass occurs with
    /// enough mentions for its pattern is not even itemised for it. One
    /// entry more than symbols, `[u32::MAX; 2]`, for every other word.
    triggers: Vec<[u32; 2]>,
    always: [u32; 2],
    /// Virtual machines sized for `prog`, kept between documents so that
    /// extraction allocates none (one per thread that extracts at a time).
    pool: crate::pool::Pool<Vm>,
}

impl RuleSet {
    /// All rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Each word of the program with its symbol.
    pub(crate) fn symbols(&self) -> impl Iterator<Item = (&str, u32)> {
        self.prog.symbols.iter().map(|(w, &s)| (&**w, s))
    }

    /// The symbol of every token (`NONE` for words no rule names).
    pub(crate) fn token_syms(&self, toks: &Tokens<'_>) -> Vec<u32> {
        self.prog.token_syms(toks)
    }

    /// The number of inline examples and counter-examples.
    pub fn examples_len(&self) -> usize {
        self.rules.iter().map(|r| r.examples.len()).sum()
    }

    /// Parses and compiles rule files against a built gazetteer; every
    /// problem in every file is returned.
    pub(crate) fn build(
        files: &[(String, String)],
        gaz: &Gazetteer,
    ) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut parsed = Vec::new();
        let mut lists = Vec::new();
        for (k, (path, text)) in files.iter().enumerate() {
            let mut p = parse::parse(path, text);
            diags.append(&mut p.diagnostics);
            lists.extend(p.lists.drain(..).map(|l| (k, l)));
            parsed.push(p);
        }
        let paths: Vec<Arc<str>> =
            files.iter().map(|(p, _)| Arc::from(p.as_str())).collect();
        let mut compiler = Compiler::new(gaz, &lists, files.to_vec());
        let mut rules = Vec::new();
        let mut seen: std::collections::HashMap<String, RuleId> =
            Default::default();
        for (k, p) in parsed.iter().enumerate() {
            for r in &p.rules {
                let location =
                    RuleId { path: paths[k].clone(), line: r.pos.line };
                if let Some(first) = seen.get(&r.id) {
                    let idx = crate::error::LineIndex {
                        path: &files[k].0,
                        text: &files[k].1,
                    };
                    let mut d = idx.diag(
                        DiagnosticKind::Duplicate,
                        r.pos.line as usize,
                        r.pos.line_start as usize,
                        r.pos.offset as usize,
                        format!("duplicate rule id \"{}\": rule ids must be unique", r.id),
                    );
                    d.related = Some(Location {
                        path: first.path.to_string(),
                        line: first.line as usize,
                        column: 1,
                        offset: 0,
                    });
                    diags.push(d);
                    continue;
                }
                seen.insert(r.id.clone(), location.clone());
                compiler.rule(k, rules.len() as u32, r);
                rules.push(Rule {
                    id: r.id.clone(),
                    label: r.label.clone(),
                    code: r.code.clone(),
                    priority: r.priority,
                    role: r.role,
                    location,
                    lines: r
                        .patterns
                        .iter()
                        .map(|p| p.pos.line)
                        .chain(r.nouns.iter().map(|n| n.1.line))
                        .collect(),
                    examples: r
                        .examples
                        .iter()
                        .map(|e| Example {
                            text: e.text.clone(),
                            expected: e.expect.clone(),
                            location: RuleId {
                                path: paths[k].clone(),
                                line: e.pos.line,
                            },
                        })
                        .collect(),
                });
            }
        }
        // A word set or slot compiled twice (a derived passive reuses the
        // pattern's slots) reports its problem once.
        compiler.diags.sort_by(|a, b| {
            (&a.location.path, a.location.line, a.location.column).cmp(&(
                &b.location.path,
                b.location.line,
                b.location.column,
            ))
        });
        compiler.diags.dedup();
        diags.append(&mut compiler.diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        let prog = compiler.finish();
        let fewest = |ps: &[u32]| {
            let mut m = [u32::MAX; 2];
            for &p in ps {
                let rule = &rules[prog.patterns[p as usize].rule as usize];
                let pass = usize::from(!rule.role);
                m[pass] = m[pass].min(prog.min_ments[p as usize]);
            }
            m
        };
        let triggers = (0..prog.symbols.len() as u32)
            .map(|s| fewest(prog.triggered_by(s)))
            .chain([[u32::MAX; 2]])
            .collect();
        let always = fewest(&prog.always);
        Ok(RuleSet { rules, prog, triggers, always, pool: Default::default() })
    }

    /// Applies the rules to a document: discovers people in the role pass
    /// (adding them to `ments`), then returns all relations.
    pub(crate) fn apply<'g>(
        &self,
        gaz: &'g Gazetteer,
        toks: &Tokens<'_>,
        ments: &mut Vec<Ment<'g>>,
        date: Option<Date>,
        reference: bool,
        syms: &[u32],
    ) -> Vec<Relation> {
        let mut relations = Vec::new();
        if self.rules.is_empty() {
            return relations;
        }
        let mut vm = self.pool.take(|| Vm::new(&self.prog));
        vm.reference = reference;
        let mut matches = Vec::new();
        let mut items = Vec::new();
        let rank = |p: u32| {
            let r = self.prog.patterns[p as usize].rule;
            (self.rules[r as usize].priority, r)
        };
        // title phrases found by the role pass: (phrase start, person start)
        let mut titled: Vec<(usize, usize)> = Vec::new();
        // per sentence and pass, the fewest mentions a pattern that one of
        // its words triggers takes: one walk over the words for both passes
        let fewest: Vec<[u32; 2]> = if reference {
            Vec::new()
        } else {
            // `NONE` and other words: the last entry, picked without a
            // branch (`build` adds it)
            let last = self.triggers.len().saturating_sub(1);
            toks.sentences()
                .iter()
                .map(|s| {
                    syms[s.tokens.clone()]
                        .iter()
                        .map(|&x| &self.triggers[(x as usize).min(last)])
                        .fold(self.always, |a, m| {
                            [a[0].min(m[0]), a[1].min(m[1])]
                        })
                })
                .collect()
        };
        for roles in [true, false] {
            let want = |p: u32| {
                self.rules[self.prog.patterns[p as usize].rule as usize].role
                    == roles
            };
            let mut found = Vec::new();
            let mut first = 0;
            for (si, s) in toks.sentences().iter().enumerate() {
                while first < ments.len()
                    && ments[first].start < s.tokens.start
                {
                    first += 1;
                }
                if s.kind == SentenceKind::Boilerplate {
                    continue;
                }
                let (s0, s1) = (s.tokens.start, s.tokens.end);
                let pass = usize::from(!roles);
                if !reference
                    && !self.worth_trying(
                        &mut vm,
                        (toks, syms),
                        s0..s1,
                        (ments, first),
                        fewest[si][pass],
                        pass,
                    )
                {
                    continue;
                }
                engine::items(
                    toks,
                    syms,
                    s0..s1,
                    (ments, first),
                    !roles,
                    // title phrases apply to the event pass, once all found
                    if roles { &[] } else { &titled },
                    &mut items,
                );
                matches.clear();
                vm.run(&self.prog, &want, toks, ments, &items, &mut matches);
                engine::select(&mut matches, &rank);
                if matches.is_empty() {
                    continue;
                }
                let times = time_phrases(toks, s0, s1);
                let ctx = DocCtx { date, times: &times };
                for m in &matches {
                    let info = &self.prog.patterns[m.pattern as usize];
                    let subj = m.caps[SUBJ];
                    if roles && subj != NONE && m.caps[START] < subj {
                        let rule = &self.rules[info.rule as usize];
                        debug_assert!(rule.role);
                        titled.push((
                            items[m.caps[START] as usize].start as usize,
                            items[subj as usize].start as usize,
                        ));
                    }
                    self.relate(
                        gaz,
                        toks,
                        &items,
                        m,
                        ments,
                        &mut found,
                        &ctx,
                        &mut relations,
                    );
                }
            }
            if !found.is_empty() {
                // A person two rules cut differently from one name ("Ana
                // Maria Lopez Garcia Ruiz": the first four words or the
                // last four) is kept once; relations about the other cut
                // go with it, so that every relation names an entity.
                let dropped = extend_discovered(toks, ments, found);
                if !dropped.is_empty() {
                    let tokens = toks.tokens();
                    let gone: Vec<(usize, usize, String)> = dropped
                        .iter()
                        .map(|m| {
                            (
                                tokens[m.start].span.start,
                                tokens[m.end - 1].span.end,
                                m.id.to_string(),
                            )
                        })
                        .collect();
                    let hit = |e: &EntityRef| {
                        gone.iter().any(|g| {
                            (g.0, g.1) == (e.start, e.end) && g.2 == e.id
                        })
                    };
                    relations.retain(|r| !hit(&r.subject) && !hit(&r.object));
                }
            }
            titled.sort_unstable();
            titled.dedup_by_key(|x| x.0);
        }
        dedup_relations(&mut relations);
        self.pool.give(vm);
        relations
    }

    /// Whether some pattern of `pass` could match in sentence tokens
    /// `sentence` (mentions from `ments[first]` on), where the patterns its
    /// words trigger take `need` mentions or more: one whose trigger word
    /// occurs there, with as many mentions (and, in the event pass,
    /// discourse references) as it needs, and a word of each word set it
    /// requires. Counts and words are upper bounds of what `engine::items`
    /// makes (a word inside a mention counts), so no sentence the VM would
    /// match in is skipped.
    fn worth_trying(
        &self,
        vm: &mut Vm,
        (toks, syms): (&Tokens<'_>, &[u32]),
        sentence: std::ops::Range<usize>,
        (ments, first): (&[Ment<'_>], usize),
        need: u32,
        pass: usize,
    ) -> bool {
        let (s0, s1) = (sentence.start, sentence.end);
        let syms = &syms[s0..s1];
        if need == u32::MAX {
            return false;
        }
        let mentions =
            ments[first..].iter().take_while(|m| m.start < s1).count() as u32;
        let mut have = mentions;
        if mentions < need {
            if pass == 0 {
                return false;
            }
            let refs = (s0..s1)
                .filter(|&t| RefKind::after_the(toks, t, s1).is_some())
                .count() as u32;
            have += refs;
            if have < need {
                return false;
            }
        }
        // pattern by pattern: enough mentions, and the words it requires
        vm.mark_present(syms.iter().copied());
        let prog = &self.prog;
        let of_pass = |p: u32| {
            usize::from(
                !self.rules[prog.patterns[p as usize].rule as usize].role,
            ) == pass
        };
        let mut fits = |p: u32| {
            of_pass(p)
                && prog.min_ments[p as usize] <= have
                && vm.has_required(prog, p)
        };
        prog.always.iter().any(|&p| fits(p))
            || syms
                .iter()
                .any(|&x| prog.triggered_by(x).iter().any(|&p| fits(p)))
    }

    /// For `explain`: per sentence, the event patterns whose trigger word
    /// occurs there but which did not match, and how far they got.
    pub(crate) fn near_misses(
        &self,
        toks: &Tokens<'_>,
        ments: &[Ment<'_>],
    ) -> Vec<(usize, crate::explain::NearMiss)> {
        let mut out = Vec::new();
        if self.rules.is_empty() {
            return out;
        }
        let mut vm = Vm::new(&self.prog);
        let syms = self.prog.token_syms(toks);
        let words: std::collections::HashMap<u32, &str> =
            self.prog.symbols.iter().map(|(w, &s)| (s, &**w)).collect();
        let want = |p: u32| {
            !self.rules[self.prog.patterns[p as usize].rule as usize].role
        };
        let mut first = 0;
        for (si, s) in toks.sentences().iter().enumerate() {
            while first < ments.len() && ments[first].start < s.tokens.start {
                first += 1;
            }
            if s.kind == SentenceKind::Boilerplate {
                continue;
            }
            let mut items = Vec::new();
            engine::items(
                toks,
                &syms,
                s.tokens.clone(),
                (ments, first),
                true,
                &[],
                &mut items,
            );
            vm.trace = Some(vec![None; self.prog.patterns.len()]);
            let mut matches = Vec::new();
            vm.run(&self.prog, &want, toks, ments, &items, &mut matches);
            let trace = vm.trace.take().unwrap_or_default();
            let mut done: Vec<u32> = Vec::new();
            for &p in &vm.active {
                let info = &self.prog.patterns[p as usize];
                let rule = &self.rules[info.rule as usize];
                let matched_rule = matches.iter().any(|m| {
                    self.prog.patterns[m.pattern as usize].rule == info.rule
                });
                if matched_rule || done.contains(&info.rule) {
                    continue;
                }
                let text = toks.text();
                let tokens = toks.tokens();
                let words_of = |a: u32, b: u32| -> String {
                    if a >= b {
                        return String::new();
                    }
                    let x =
                        tokens[items[a as usize].start as usize].span.start;
                    let y = tokens[items[b as usize - 1].end as usize - 1]
                        .span
                        .end;
                    text[x..y].to_string()
                };
                let Some(pr) = trace[p as usize] else { continue };
                done.push(info.rule);
                let stopped_at = match items.get(pr.at as usize) {
                    Some(it) => {
                        let x = tokens[it.start as usize].span.start;
                        let y = tokens[it.end as usize - 1].span.end;
                        format!("{:?}", &text[x..y])
                    }
                    None => "the end of the sentence".to_string(),
                };
                let expected = match self.prog.insts[pr.pc as usize] {
                    compile::Inst::Words(set) => {
                        let ws: Vec<&str> = self.prog.word_sets[set as usize]
                            .iter()
                            .take(8)
                            .filter_map(|s| words.get(s).copied())
                            .collect();
                        let more =
                            if self.prog.word_sets[set as usize].len() > 8 {
                                "|..."
                            } else {
                                ""
                            };
                        format!("the word {}{more}", ws.join("|"))
                    }
                    compile::Inst::Mention(_) => {
                        "an entity of the slot's type".to_string()
                    }
                    compile::Inst::Gap(_) => {
                        "any word but a reporting verb or clause break"
                            .to_string()
                    }
                    compile::Inst::NameWord => {
                        "a capitalised name".to_string()
                    }
                    compile::Inst::NameJoin => "a name particle".to_string(),
                    _ => "more".to_string(),
                };
                out.push((
                    si,
                    crate::explain::NearMiss {
                        rule: rule.id.clone(),
                        pattern: format!(
                            "{}:{}",
                            rule.location.path, info.line
                        ),
                        matched: words_of(pr.start, pr.at),
                        stopped_at,
                        expected,
                    },
                ));
            }
        }
        out
    }

    /// Turns one match into relations: one per subject and object conjunct.
    #[allow(clippy::too_many_arguments)]
    fn relate<'g>(
        &self,
        gaz: &'g Gazetteer,
        toks: &Tokens<'_>,
        items: &[Item],
        m: &RawMatch,
        ments: &[Ment<'g>],
        found: &mut Vec<Ment<'g>>,
        ctx: &DocCtx<'_>,
        out: &mut Vec<Relation>,
    ) {
        let (date, times) = (ctx.date, ctx.times);
        let info = &self.prog.patterns[m.pattern as usize];
        let rule = &self.rules[info.rule as usize];
        let text = toks.text();
        let tokens = toks.tokens();
        let span_of = |a: u32, b: u32| -> (usize, usize) {
            let a = items[a as usize].start as usize;
            let b = items[b as usize - 1].end as usize;
            (tokens[a].span.start, tokens[b - 1].span.end)
        };
        let start_item = m.caps[START];
        if start_item >= m.end {
            return;
        }
        let (ev_start, ev_end) = span_of(start_item, m.end);
        let trig =
            if m.caps[TRIGGER] != NONE { m.caps[TRIGGER] } else { start_item };
        let trig_tok =
            items[trig.min(items.len() as u32 - 1) as usize].start as usize;
        let sentence =
            tokens[items[start_item as usize].start as usize].sentence;
        let s = &toks.sentences()[sentence];
        let subj_end_tok = (m.caps[SUBJ + 1] != NONE
            && m.caps[SUBJ + 1] <= trig)
            .then(|| items[m.caps[SUBJ + 1] as usize - 1].end as usize);
        let negated = negated(
            toks,
            s.tokens.start.max(subj_end_tok.unwrap_or(0)),
            trig_tok,
        );
        let time = time_near(times, trig_tok).map(|(a, b)| {
            Str::new(&text[tokens[a].span.start..tokens[b - 1].span.end])
        });
        // arguments
        let args = |lo: usize| -> Vec<Arg> {
            if m.caps[lo] == NONE || m.caps[lo + 1] == NONE {
                return vec![];
            }
            let mut v = Vec::new();
            for it in &items[m.caps[lo] as usize..m.caps[lo + 1] as usize] {
                match it.what {
                    What::Mention(k) => v.push(Arg::Ment(k as usize)),
                    What::Ref(r) => {
                        v.push(Arg::Ref(r, it.start as usize, it.end as usize))
                    }
                    What::Token => {}
                }
            }
            // A list joined by commas alone is no list: "In Greece,
            // America's envoy met ..." has one subject, the one nearest the
            // trigger.
            let range = &items[m.caps[lo] as usize..m.caps[lo + 1] as usize];
            let joined = range.iter().any(|it| {
                it.what == What::Token
                    && matches!(
                        toks.norm(&tokens[it.start as usize]),
                        "and"
                            | "or"
                            | "&"
                            | "and/or"
                            | "well"
                            | "along"
                            | "together"
                    )
            });
            if v.len() > 1 && !joined {
                let nearest = if m.caps[lo] < trig {
                    v.pop()
                } else {
                    v.into_iter().next()
                };
                v = nearest.into_iter().collect();
            }
            // a first name before a known person ("Bob Zoellick") is that
            // person, not a new one
            let next = items.get(m.caps[lo + 1] as usize);
            if let (true, Some(&Item { what: What::Mention(k), start, .. })) =
                (v.is_empty(), next)
            {
                let before = items[m.caps[lo + 1] as usize - 1].end;
                if ments[k as usize].label == Label::Person && start == before
                {
                    v.push(Arg::Ment(k as usize));
                }
            }
            if v.is_empty() {
                let a = items[m.caps[lo] as usize].start as usize;
                let b = items[m.caps[lo + 1] as usize - 1].end as usize;
                if tokens[a..b].iter().any(|t| t.kind == TokenKind::Word) {
                    v.push(Arg::New(a, b));
                }
            }
            v
        };
        // a list that names one entity twice gives one relation
        let unique = |v: Vec<Arg>| -> Vec<Arg> {
            let mut seen = std::collections::HashSet::new();
            v.into_iter()
                .filter(|a| match a {
                    Arg::Ment(k) => seen.insert(&*ments[*k].id),
                    _ => true,
                })
                .collect()
        };
        let subjects = unique(args(SUBJ));
        // ids of all subject conjuncts: a reference in the object never
        // points back at one of them
        let subject_ids: Vec<&str> = subjects
            .iter()
            .filter_map(|a| match a {
                Arg::Ment(k) => Some(&*ments[*k].id),
                _ => None,
            })
            .collect();
        let mut objects = unique(args(OBJ));
        let label =
            if rule.role && m.caps[ROLE] != NONE && m.caps[ROLE + 1] != NONE {
                let (a, b) = span_of(m.caps[ROLE], m.caps[ROLE + 1]);
                Str::from(office_label(&text[a..b]))
            } else {
                Str::new(&rule.label)
            };
        let location =
            RuleId { path: rule.location.path.clone(), line: info.line };
        for subj in &subjects {
            let subj_ref = match subj {
                Arg::Ment(k) => Some(ment_ref(text, tokens, &ments[*k])),
                Arg::Given(r) => Some((**r).clone()),
                Arg::Ref(kind, a, b) => {
                    resolve(text, tokens, ments, *kind, *a, *b, &[])
                }
                Arg::New(a, b) => {
                    let (a, b) = (*a, *b);
                    let name =
                        &text[tokens[a].span.start..tokens[b - 1].span.end];
                    let ment = new_person(a, b, name);
                    let r = ment_ref(text, tokens, &ment);
                    found.push(ment);
                    Some(r)
                }
            };
            let Some(subj_ref) = subj_ref else { continue };
            if rule.role && objects.is_empty() {
                let role_tok = items[m.caps[ROLE].min(m.caps[START]) as usize]
                    .start as usize;
                // the holder is named by the title itself: its span
                let title = if m.caps[ROLE] != NONE && m.caps[ROLE + 1] != NONE
                {
                    span_of(m.caps[ROLE], m.caps[ROLE + 1])
                } else {
                    span_of(m.caps[START], m.end)
                };
                if let Some(o) = implicit_office(
                    gaz,
                    &subj_ref.id,
                    &label,
                    date,
                    title,
                    text,
                ) {
                    objects.push(Arg::Given(Box::new(o)));
                } else if let Some(o) = state_office(&label)
                    .then(|| nearby_country(text, tokens, ments, role_tok))
                    .flatten()
                    .filter(|_| !after_unknown_name(toks, ments, role_tok))
                {
                    // a title with no country and no gazetteer role: the
                    // country the text has just named ("Nepal voted. Prime
                    // Minister Arjun Thapa said ...")
                    objects.push(Arg::Given(Box::new(o)));
                }
            }
            for obj in &objects {
                let obj_ref = match obj {
                    Arg::Ment(k) => Some(ment_ref(text, tokens, &ments[*k])),
                    Arg::Ref(kind, a, b) => resolve(
                        text,
                        tokens,
                        ments,
                        *kind,
                        *a,
                        *b,
                        &subject_ids,
                    ),
                    Arg::Given(r) => Some((**r).clone()),
                    Arg::New(..) => None,
                };
                let Some(obj_ref) = obj_ref else { continue };
                if obj_ref.id == subj_ref.id {
                    continue;
                }
                out.push(Relation {
                    subject: subj_ref.clone(),
                    predicate: Str::new(rule.predicate()),
                    label: label.clone(),
                    code: rule.code.as_deref().map(Str::new),
                    object: obj_ref,
                    negated,
                    time: time.clone(),
                    sentence,
                    start: ev_start,
                    end: ev_end,
                    rule: Str::from(location.to_string()),
                });
            }
        }
    }
}

/// What relations of one sentence share.
struct DocCtx<'a> {
    date: Option<Date>,
    /// The sentence's time phrases (see `time_phrases`).
    times: &'a [(usize, usize, usize)],
}

enum Arg {
    Ment(usize),
    Ref(RefKind, usize, usize),
    New(usize, usize),
    Given(Box<EntityRef>),
}

fn ment_ref(
    text: &str,
    tokens: &[crate::tokenize::Token],
    m: &Ment<'_>,
) -> EntityRef {
    let (a, b) = (tokens[m.start].span.start, tokens[m.end - 1].span.end);
    EntityRef {
        text: Str::new(&text[a..b]),
        name: Str::new(&m.name),
        id: Str::new(&m.id),
        country: m.country.map(CountryCode::from_entry),
        start: a,
        end: b,
    }
}

/// How many earlier mentions a discourse reference looks back over.
const REF_WINDOW: usize = 100;

/// `the country` at tokens `a..b`: the latest earlier mention it can mean,
/// other than the relation's other argument (`US troops withdrew from the
/// country` is not about the US).
fn resolve(
    text: &str,
    tokens: &[crate::tokenize::Token],
    ments: &[Ment<'_>],
    kind: RefKind,
    a: usize,
    b: usize,
    exclude: &[&str],
) -> Option<EntityRef> {
    let before = ments.partition_point(|m| m.end <= a);
    let m = ments[..before]
        .iter()
        .rev()
        .take(REF_WINDOW)
        .find(|m| kind.accepts(m) && !exclude.contains(&&*m.id))?;
    let mut r = ment_ref(text, tokens, m);
    r.start = tokens[a].span.start;
    r.end = tokens[b - 1].span.end;
    r.text = Str::new(&text[r.start..r.end]);
    Some(r)
}

/// Offices of a state, which a title names without saying which state:
/// not `leader`, `chief` or `spokesman`, which as often belong to a party
/// or a group.
fn state_office(label: &str) -> bool {
    let head = label.rsplit(' ').next().unwrap_or(label);
    matches!(
        head,
        "president"
            | "minister"
            | "premier"
            | "chancellor"
            | "king"
            | "queen"
            | "emir"
            | "ambassador"
    ) || label.starts_with("secretary of state")
}

/// Whether a capitalised word that no mention covers stands right before
/// the title at `at`: "Conservative Leader Stephen Harper" is the leader
/// of something the gazetteers do not know.
fn after_unknown_name(
    toks: &Tokens<'_>,
    ments: &[Ment<'_>],
    at: usize,
) -> bool {
    let tokens = toks.tokens();
    let Some(prev) = at.checked_sub(1) else { return false };
    let first_of_sentence =
        toks.sentences()[tokens[at].sentence].tokens.start == at;
    let k = ments.partition_point(|m| m.end <= prev);
    let covered = ments.get(k).is_some_and(|m| m.start <= prev);
    !first_of_sentence
        && tokens[prev].kind == TokenKind::Word
        && tokens[prev].case.is_capitalised()
        && !covered
}

/// The latest country named in the sentence of token `at` or the one
/// before it, before `at`.
fn nearby_country(
    text: &str,
    tokens: &[crate::tokenize::Token],
    ments: &[Ment<'_>],
    at: usize,
) -> Option<EntityRef> {
    let sentence = tokens[at].sentence;
    let before = ments.partition_point(|m| m.end <= at);
    let m = ments[..before]
        .iter()
        .rev()
        .take_while(|m| tokens[m.start].sentence + 1 >= sentence)
        .take(REF_WINDOW)
        .find(|m| RefKind::Country.accepts(m) || m.kind == "demonym")?;
    Some(ment_ref(text, tokens, m))
}

fn new_person<'g>(a: usize, b: usize, name: &str) -> Ment<'g> {
    let slug: String = crate::tokenize::normalize(name)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Ment {
        start: a,
        end: b,
        label: Label::Person,
        kind: "person",
        id: Cow::Owned(format!("person.{slug}")),
        name: Cow::Owned(name.to_string()),
        country: None,
        discovered: true,
    }
}

/// An office as written, lowercase, one space between words, none around
/// hyphens: `Foreign  Minister` → `foreign minister`.
fn office_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() && !out.ends_with('-') && !w.starts_with('-') {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.replace(['’', '‘'], "'").to_lowercase()
}

/// For `President Vladimir Putin`: whose office it is, from the
/// gazetteer's dated roles (the one held on the document's date if known).
/// The holder is not mentioned, so the reference's span and text are the
/// title's (`President`); its name, id and country are the holder's.
fn implicit_office(
    gaz: &Gazetteer,
    person: &str,
    label: &str,
    date: Option<Date>,
    span: (usize, usize),
    text: &str,
) -> Option<EntityRef> {
    let e = gaz.get(person)?;
    let label = label.trim_start_matches("former ");
    let fits: Vec<&crate::gazetteer::Role> = e
        .roles()
        .iter()
        .filter(|r| {
            let office = r.office.as_ref();
            office == label
                || office.ends_with(&format!(" {label}"))
                || label.ends_with(office)
        })
        .collect();
    let role = date
        .and_then(|d| fits.iter().find(|r| r.held_on(d)))
        .or_else(|| fits.iter().max_by_key(|r| r.from))?;
    let of = gaz.get(&role.of);
    Some(EntityRef {
        text: Str::new(&text[span.0..span.1]),
        name: Str::new(of.map_or(&role.of, |o| o.name())),
        id: Str::new(&role.of),
        country: of
            .and_then(|o| o.country())
            .and_then(CountryCode::new)
            .or_else(|| CountryCode::new(&role.of)),
        start: span.0,
        end: span.1,
    })
}

/// Adds the people found by role rules to the mentions, with every other
/// mention of their full name or surname that nothing else covers.
/// Adds the people the role rules found, and their later mentions, to
/// `ments`; returns the found people it dropped because another one
/// covers part of their words.
fn extend_discovered<'g>(
    toks: &Tokens<'_>,
    ments: &mut Vec<Ment<'g>>,
    found: Vec<Ment<'g>>,
) -> Vec<Ment<'g>> {
    use crate::hash::FxBuildHasher;
    type HashMap<K, V> = std::collections::HashMap<K, V, FxBuildHasher>;
    let tokens = toks.tokens();
    let mut covered = vec![false; tokens.len()];
    for m in ments.iter() {
        covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
    }
    let mut add = Vec::new();
    // Each new person by the words of their full name, and by surname
    // (the last word, when longer than three letters).
    let mut people: Vec<Ment<'g>> = Vec::new();
    let mut by_name: HashMap<Vec<&str>, usize> = HashMap::default();
    let mut by_last: HashMap<&str, usize> = HashMap::default();
    // the hashes of the full names' first words and of the surnames (the
    // tokenizer's, so no word is hashed again), a bit each: most tokens
    // start no name and are no surname, and are passed by in one test
    let mut firsts = crate::hash::HashFilter::with_bits(256);
    let mut lasts = crate::hash::HashFilter::with_bits(256);
    let mut longest = 0;
    let mut dropped = Vec::new();
    for f in found {
        if covered[f.start..f.end].iter().any(|&c| c) {
            let same = |m: &Ment<'_>| {
                (m.start, m.end, &m.id) == (f.start, f.end, &f.id)
            };
            if !people.iter().any(same) && !ments.iter().any(same) {
                dropped.push(f);
            }
            continue;
        }
        covered[f.start..f.end].iter_mut().for_each(|c| *c = true);
        let words: Vec<&str> =
            tokens[f.start..f.end].iter().map(|t| toks.norm(t)).collect();
        let k = people.len();
        longest = longest.max(words.len());
        if let Some(last) = words.last().filter(|w| w.chars().count() > 3) {
            by_last.entry(last).or_insert(k);
            lasts.insert(tokens[f.end - 1].hash);
        }
        firsts.insert(tokens[f.start].hash);
        by_name.entry(words).or_insert(k);
        people.push(f.clone());
        add.push(f);
    }
    let name_like = |t: &crate::tokenize::Token| {
        t.kind == TokenKind::Word && t.case.is_capitalised()
    };
    for s in toks.sentences() {
        if s.kind == SentenceKind::Boilerplate {
            continue;
        }
        let mut t = s.tokens.start;
        while t < s.tokens.end {
            // the full name, longest first (names are at most a few words)
            let mut hit = None;
            let longest =
                if firsts.may_hold(tokens[t].hash) { longest } else { 0 };
            for n in (2..=longest.min(s.tokens.end - t)).rev() {
                if covered[t..t + n].iter().any(|&c| c) {
                    continue;
                }
                let key: Vec<&str> =
                    tokens[t..t + n].iter().map(|x| toks.norm(x)).collect();
                if let Some(&k) = by_name.get(&key) {
                    hit = Some((n, k));
                    break;
                }
            }
            // the surname alone, not inside another name ("Ahmed Wali
            // Karzai" is not Hamid Karzai)
            if hit.is_none()
                && !covered[t]
                && tokens[t].case.is_capitalised()
                && lasts.may_hold(tokens[t].hash)
            {
                let after = tokens.get(t + 1).filter(|_| t + 1 < s.tokens.end);
                // the sentence's first word is usually an opener ("Later")
                let before = (t > s.tokens.start + 1).then(|| &tokens[t - 1]);
                let inside = after.is_some_and(name_like)
                    || before.is_some_and(|b| name_like(b) && !covered[t - 1]);
                if !inside {
                    hit = by_last.get(toks.norm(&tokens[t])).map(|&k| (1, k));
                }
            }
            match hit {
                Some((n, k)) => {
                    let mut m = people[k].clone();
                    m.start = t;
                    m.end = t + n;
                    covered[t..t + n].iter_mut().for_each(|c| *c = true);
                    add.push(m);
                    t += n;
                }
                None => t += 1,
            }
        }
    }
    ments.extend(add);
    ments.sort_by_key(|m| m.start);
    dropped
}

const NEGATORS: &[&str] = &[
    "not",
    "never",
    "no",
    "neither",
    "nor",
    "refused",
    "refuses",
    "refuse",
    "refusing",
    "denied",
    "denies",
    "deny",
    "denying",
    "declined",
    "declines",
    "decline",
    "declining",
    "failed",
    "fails",
    "fail",
    "failing",
    "without",
    "cannot",
    "unwilling",
    "rejected",
    "rejects",
    "reject",
];

/// Whether a negation cue stands in the few tokens before the trigger,
/// in the same clause: "Iran denies the claim and accuses Washington" does
/// not negate the accusation.
fn negated(toks: &Tokens<'_>, from: usize, trig: usize) -> bool {
    let lo = from.max(trig.saturating_sub(6));
    for t in toks.tokens()[lo..trig].iter().rev() {
        let n = toks.norm(t);
        if matches!(n, "and" | "but" | "," | ";") {
            return false;
        }
        if NEGATORS.contains(&n) || n.ends_with("n't") {
            return true;
        }
    }
    false
}

const TIME_PREPS: &[&str] = &[
    "in",
    "since",
    "by",
    "during",
    "until",
    "from",
    "on",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "between",
    "through",
    "throughout",
];

/// The year or date phrase nearest to the trigger: `in 1979`,
/// `in August 2021`, `since 2017`, `on 29 September 2023`. Token range.
/// The year or date phrases of a sentence, as (year token, phrase start,
/// phrase end): `in 1979`, `in August 2021`, `since 2017`,
/// `on 29 September 2023`. In token order.
pub(crate) fn time_phrases(
    toks: &Tokens<'_>,
    s0: usize,
    s1: usize,
) -> Vec<(usize, usize, usize)> {
    let tokens = toks.tokens();
    let mut out = Vec::new();
    for y in s0..s1 {
        let t = &tokens[y];
        let n = toks.norm(t);
        let year = match t.kind {
            TokenKind::Number => {
                n.len() == 4 && (n.starts_with("19") || n.starts_with("20"))
            }
            TokenKind::Word => {
                n.len() == 5
                    && n.ends_with('s')
                    && n[..4].bytes().all(|b| b.is_ascii_digit())
            }
            _ => false,
        };
        if !year {
            continue;
        }
        let mut a = y;
        // at most "29 September ," before the year
        while a > s0 && y - a < 4 {
            let p = toks.norm(&tokens[a - 1]);
            let day = tokens[a - 1].kind == TokenKind::Number && p.len() <= 2;
            let comma =
                p == "," && a >= 2 && tokens[a - 2].kind == TokenKind::Number;
            if crate::tokenize::is_month(p) || day || comma {
                a -= 1;
            } else {
                break;
            }
        }
        if a > s0 && TIME_PREPS.contains(&toks.norm(&tokens[a - 1])) {
            a -= 1;
        }
        out.push((y, a, y + 1));
    }
    out
}

/// The phrase of `times` nearest the trigger token.
fn time_near(
    times: &[(usize, usize, usize)],
    trig: usize,
) -> Option<(usize, usize)> {
    let i = times.partition_point(|t| t.0 < trig);
    let before = i.checked_sub(1).map(|k| times[k]);
    let after = times.get(i).copied();
    let best = match (before, after) {
        (Some(b), Some(a)) => {
            if trig.abs_diff(a.0) < trig.abs_diff(b.0) {
                a
            } else {
                b
            }
        }
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => return None,
    };
    Some((best.1, best.2))
}

fn dedup_relations(rels: &mut Vec<Relation>) {
    let mut seen = std::collections::HashSet::new();
    rels.retain(|r| {
        seen.insert((
            r.subject.id.clone(),
            r.predicate.clone(),
            r.object.id.clone(),
            r.negated,
            r.sentence,
        ))
    });
    rels.sort_by_key(|r| (r.start, r.end));
}
