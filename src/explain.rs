//! Why the extractor found what it found: tokens and sentences, the alias
//! and gazetteer line behind each entity, the rule behind each relation,
//! and for rules whose trigger word occurs but which did not fire, how far
//! their match got and what it expected next.

use std::fmt;

use serde::Serialize;

use crate::extract::{Entity, Extractor, Relation};
use crate::gazetteer::Date;
use crate::tokenize::{normalize, SentenceKind, TokenKind};

/// What [`Extractor::explain`] returns: one part per sentence.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The sentences, in text order.
    pub sentences: Vec<SentenceExplanation>,
}

/// One sentence: its tokens, entities, relations and near misses.
#[derive(Clone, Debug, Serialize)]
pub struct SentenceExplanation {
    /// Its index.
    pub index: usize,
    /// What kind of text it is.
    pub kind: SentenceKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Its tokens.
    pub tokens: Vec<TokenExplanation>,
    /// Its entity mentions.
    pub entities: Vec<EntityExplanation>,
    /// Its relations.
    pub relations: Vec<Relation>,
    /// Rules whose trigger occurs here but which gave nothing.
    pub near_misses: Vec<NearMiss>,
}

/// One token.
#[derive(Clone, Debug, Serialize)]
pub struct TokenExplanation {
    /// Its text.
    pub text: String,
    /// Its normalised form, which rules and aliases are compared with.
    pub norm: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is made of.
    pub kind: TokenKind,
}

/// One entity mention and where it came from.
#[derive(Clone, Debug, Serialize)]
pub struct EntityExplanation {
    /// The entity, as `extract` gives it.
    #[serde(flatten)]
    pub entity: Entity,
    /// How it was found: `alias "..."`, `surname`, or `title` for a person
    /// a role rule found.
    pub how: String,
    /// The gazetteer line of its entry (`gazetteers/countries.gaz:201`).
    pub source: Option<String>,
}

/// A rule that did not fire on a sentence that holds its trigger word.
#[derive(Clone, Debug, Serialize)]
pub struct NearMiss {
    /// The rule's id.
    pub rule: String,
    /// The pattern (file:line).
    pub pattern: String,
    /// The words the pattern matched before it stopped.
    pub matched: String,
    /// Where it stopped: the word it could not take, or the end.
    pub stopped_at: String,
    /// What it expected there.
    pub expected: String,
}

impl Extractor {
    /// Explains an extraction: see [`Explanation`].
    ///
    /// ```
    /// let ex = entente::Extractor::default();
    /// let why = ex.explain("Japan condemned.", None);
    /// let s = &why.sentences[0];
    /// assert_eq!(s.entities[0].how, "alias \"Japan\"");
    /// // the criticism rule saw "condemned" but no object after it
    /// assert!(s.near_misses.iter().any(|m| m.rule == "criticize"));
    /// ```
    pub fn explain(&self, text: &str, date: Option<Date>) -> Explanation {
        let (toks, ments, relations) = self.analyse(text, date, false);
        let out = crate::Extraction {
            entities: crate::extract::entities(&toks, &ments),
            relations,
        };
        let gaz = self.gazetteer();
        let misses = self.rules().near_misses(&toks, &ments);
        // everything grouped by sentence once
        let n = toks.sentences().len();
        let mut ents_of = vec![Vec::new(); n];
        for e in &out.entities {
            ents_of[e.sentence].push(e);
        }
        let mut rels_of = vec![Vec::new(); n];
        for r in &out.relations {
            rels_of[r.sentence].push(r);
        }
        let mut misses_of = vec![Vec::new(); n];
        for (si, m) in misses {
            let fired = rels_of[si].iter().any(|r| r.predicate == m.rule);
            if !fired {
                misses_of[si].push(m);
            }
        }
        let mut sentences = Vec::new();
        for (i, s) in toks.sentences().iter().enumerate() {
            let tokens = toks.tokens()[s.tokens.clone()]
                .iter()
                .map(|t| TokenExplanation {
                    text: toks.token_text(t).to_string(),
                    norm: toks.norm(t).to_string(),
                    start: t.span.start,
                    end: t.span.end,
                    kind: t.kind,
                })
                .collect();
            let entities = ents_of[i]
                .iter()
                .map(|&e| {
                    let entry = gaz.get(&e.id);
                    let norm = normalize(&e.text);
                    let alias = entry.and_then(|en| {
                        std::iter::once(en.name())
                            .chain(en.aliases().iter().map(|a| &*a.text))
                            .find(|a| normalize(a) == norm)
                    });
                    let how = match (alias, e.discovered) {
                        (Some(a), _) => format!("alias {a:?}"),
                        (None, true) => "title".to_string(),
                        (None, false) => "surname".to_string(),
                    };
                    EntityExplanation {
                        entity: e.clone(),
                        how,
                        source: entry.map(|en| {
                            let (p, l) = gaz.source(en);
                            format!("{p}:{l}")
                        }),
                    }
                })
                .collect();
            let relations = rels_of[i].iter().map(|&r| r.clone()).collect();
            let near_misses = std::mem::take(&mut misses_of[i]);
            sentences.push(SentenceExplanation {
                index: i,
                kind: s.kind,
                start: s.span.start,
                end: s.span.end,
                tokens,
                entities,
                relations,
                near_misses,
            });
        }
        Explanation { sentences }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.sentences {
            writeln!(
                f,
                "sentence {} ({:?}) {}..{}",
                s.index, s.kind, s.start, s.end
            )?;
            let words: Vec<&str> =
                s.tokens.iter().map(|t| t.text.as_str()).collect();
            writeln!(f, "  tokens    {}", words.join(" | "))?;
            for e in &s.entities {
                let en = &e.entity;
                writeln!(
                    f,
                    "  entity    {:?} {} {} {}{}  by {}{}",
                    en.text,
                    en.label,
                    en.kind,
                    en.id,
                    en.country
                        .as_ref()
                        .map_or(String::new(), |c| format!(" ({c})")),
                    e.how,
                    e.source
                        .as_ref()
                        .map_or(String::new(), |s| format!(", {s}")),
                )?;
            }
            for r in &s.relations {
                writeln!(
                    f,
                    "  relation  {}{} -{}-> {}  code {}  time {}  rule {}",
                    if r.negated { "NOT " } else { "" },
                    r.subject.text,
                    if r.predicate == "holds_role" {
                        &r.label
                    } else {
                        &r.predicate
                    },
                    r.object.text,
                    r.code.as_deref().unwrap_or("-"),
                    r.time.as_deref().unwrap_or("-"),
                    r.rule
                )?;
            }
            for m in &s.near_misses {
                writeln!(
                    f,
                    "  no match  rule {} ({}): matched {:?}, stopped at {}: expected {}",
                    m.rule, m.pattern, m.matched, m.stopped_at, m.expected
                )?;
            }
        }
        Ok(())
    }
}
