/*!
Gazetteers: named things (countries, cities, people, organisations) and the
matcher that finds their mentions in tokenised text.

The file format is documented in `gazetteers/README.md`. The matcher is a
trie over normalised tokens, so a match always starts and ends on token
boundaries; its conflict policy: leftmost, then longest, then the stricter
case policy, an entry already mentioned in the document, an entry of a
user's gazetteer, the entry loaded first.
*/

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Diagnostic, DiagnosticKind, Location};
use crate::hash::FxBuildHasher;

pub(crate) mod matcher;
pub(crate) mod parse;
pub(crate) mod surnames;
#[cfg(test)]
mod tests;

pub(crate) use matcher::Mention;

/// The OntoNotes coarse type of an entity, as spaCy and the scoring
/// contract use it. Serialises as its upper-case name (`"GPE"`).
#[non_exhaustive]
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize,
)]
pub enum Label {
    /// People, real or fictional.
    #[serde(rename = "PERSON")]
    Person,
    /// Nationalities, religious or political groups (`Russian`, `the West`).
    #[serde(rename = "NORP")]
    Norp,
    /// Buildings, airports, bridges.
    #[serde(rename = "FAC")]
    Fac,
    /// Organisations: companies, agencies, armed groups, parties.
    #[serde(rename = "ORG")]
    Org,
    /// Countries, cities, states.
    #[serde(rename = "GPE")]
    Gpe,
    /// Other locations: regions, seas, mountain ranges.
    #[serde(rename = "LOC")]
    Loc,
    /// Products.
    #[serde(rename = "PRODUCT")]
    Product,
    /// Named events: wars, summits, forums.
    #[serde(rename = "EVENT")]
    Event,
    /// Named documents made into law: treaties, agreements.
    #[serde(rename = "LAW")]
    Law,
    /// Named languages.
    #[serde(rename = "LANGUAGE")]
    Language,
    /// Titles of books, songs, works.
    #[serde(rename = "WORK_OF_ART")]
    WorkOfArt,
}

impl Label {
    /// Every label, in the order the file format documents them.
    pub const ALL: &'static [Label] = &[
        Label::Person,
        Label::Norp,
        Label::Fac,
        Label::Org,
        Label::Gpe,
        Label::Loc,
        Label::Product,
        Label::Event,
        Label::Law,
        Label::Language,
        Label::WorkOfArt,
    ];

    /// The label's name as it is written in files and output (`"GPE"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Norp => "NORP",
            Label::Fac => "FAC",
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Loc => "LOC",
            Label::Product => "PRODUCT",
            Label::Event => "EVENT",
            Label::Law => "LAW",
            Label::Language => "LANGUAGE",
            Label::WorkOfArt => "WORK_OF_ART",
        }
    }

    /// The label named `s` (`"GPE"`), if there is one.
    pub fn from_name(s: &str) -> Option<Label> {
        Label::ALL.iter().copied().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an alias's letter case must agree with the text.
///
/// See `gazetteers/README.md` for the policy and the prefixes that select it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CasePolicy {
    /// Exactly the alias's spelling (acronyms: `US` is not `us`).
    Exact,
    /// Capitalised alias words must be capitalised in the text.
    Name,
    /// As `Name`, and not next to another capitalised word that is not an
    /// entity itself (`Jordan` but not `Michael Jordan`).
    Ambiguous,
    /// Any case.
    Any,
}

/// One surface form of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The alias as written, without its case prefix.
    pub text: Box<str>,
    /// How its case is matched.
    pub policy: CasePolicy,
}

/// A calendar date that may lack its day or month (`2011`, `2011-05`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12, or 0 when unknown.
    pub month: u8,
    /// The day, 1 to 31, or 0 when unknown.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    ///
    /// ```
    /// use entente::Date;
    /// let d = Date::parse("2012-05-07").unwrap();
    /// assert_eq!((d.year, d.month, d.day), (2012, 5, 7));
    /// assert!(Date::parse("2012-13").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let y = parts.next()?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |p: Option<&str>, max: u8| -> Option<u8> {
            match p {
                None => Some(0),
                Some(p)
                    if p.len() == 2
                        && p.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    let v: u8 = p.parse().ok()?;
                    (1..=max).contains(&v).then_some(v)
                }
                Some(_) => None,
            }
        };
        let month = num(parts.next(), 12)?;
        let day = num(parts.next(), 31)?;
        if parts.next().is_some() || (month == 0 && day != 0) {
            return None;
        }
        Some(Date { year: y.parse().ok()?, month, day })
    }

    /// The earliest full date this (possibly partial) date can mean.
    pub(crate) fn lower(self) -> (i32, u8, u8) {
        (self.year, self.month.max(1), self.day.max(1))
    }

    /// The latest full date this (possibly partial) date can mean.
    pub(crate) fn upper(self) -> (i32, u8, u8) {
        let m = if self.month == 0 { 12 } else { self.month };
        (self.year, m, if self.day == 0 { 31 } else { self.day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day > 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

/// An office a person holds or held: `president@RUS 2012-05-07..`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The office, lowercase (`foreign minister`).
    pub office: Box<str>,
    /// Whose office: a country code or the id of another entry.
    pub of: Box<str>,
    /// When it began, if known.
    pub from: Option<Date>,
    /// When it ended; `None` for an office held now.
    pub to: Option<Date>,
}

impl Role {
    /// Whether the role was held on `date` (partial dates count generously:
    /// a role `from 2011` is held on any day of 2011).
    ///
    /// ```
    /// use entente::{Date, Role};
    /// let r = Role {
    ///     office: "president".into(),
    ///     of: "AFG".into(),
    ///     from: Date::parse("2001-12-22"),
    ///     to: Date::parse("2014-09-29"),
    /// };
    /// assert!(r.held_on(Date::parse("2011").unwrap()));
    /// assert!(!r.held_on(Date::parse("2023-09-29").unwrap()));
    /// ```
    pub fn held_on(&self, date: Date) -> bool {
        let after = self.from.is_none_or(|f| f.lower() <= date.upper());
        let before = self.to.is_none_or(|t| date.lower() <= t.upper());
        after && before
    }
}

/// One gazetteer entry: a named thing and the ways it is written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub(crate) id: Box<str>,
    pub(crate) label: Label,
    pub(crate) kind: Arc<str>,
    pub(crate) country: Option<[u8; 3]>,
    pub(crate) name: Alias,
    pub(crate) aliases: Box<[Alias]>,
    pub(crate) roles: Box<[Role]>,
    pub(crate) file: u32,
    pub(crate) line: u32,
}

impl Entry {
    /// The stable id (`RUS`, `person.vladimir-putin`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The coarse label.
    pub fn label(&self) -> Label {
        self.label
    }

    /// The fine kind (`country`, `capital`, `official`).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The country code (ISO 3166-1 alpha-3 or a group code), if any.
    pub fn country(&self) -> Option<&str> {
        self.country.as_ref().and_then(|c| std::str::from_utf8(c).ok())
    }

    /// The canonical name.
    pub fn name(&self) -> &str {
        &self.name.text
    }

    /// The other surface forms; the name is matched too.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// Dated offices, for people.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Every surface form the matcher looks for: the name, then the
    /// aliases.
    pub fn surfaces(&self) -> impl Iterator<Item = &Alias> {
        std::iter::once(&self.name).chain(self.aliases.iter())
    }

    /// The name (index 0) or alias (index `k`, the alias `k - 1`).
    pub(crate) fn surface(&self, k: usize) -> &Alias {
        if k == 0 {
            &self.name
        } else {
            &self.aliases[k - 1]
        }
    }
}

/// A set of gazetteer entries and the matcher built over their aliases.
///
/// Built by [`crate::ExtractorBuilder`]; read it through
/// [`crate::Extractor::gazetteer`].
#[derive(Debug)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    files: Vec<String>,
    /// Entry indices sorted by id.
    by_id: Vec<u32>,
    pub(crate) matcher: matcher::Matcher,
    /// People by surname, for `Mr. Olmert` (see `surnames`).
    pub(crate) surnames: surnames::Surnames,
}

impl Gazetteer {
    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        let entries = &self.entries;
        let k = self
            .by_id
            .binary_search_by(|&i| (*entries[i as usize].id).cmp(id))
            .ok()?;
        Some(&entries[self.by_id[k] as usize])
    }

    /// Where an entry is defined: its file's path and its line.
    pub fn source(&self, entry: &Entry) -> (&str, usize) {
        (&self.files[entry.file as usize], entry.line as usize)
    }

    pub(crate) fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }
}

/// Collects entries from files, then checks them as a whole and builds the
/// matcher.
#[derive(Default)]
pub(crate) struct GazetteerBuilder {
    entries: Vec<Entry>,
    /// Per entry: whether it comes from a user's file, not an embedded one.
    user: Vec<bool>,
    files: Vec<String>,
    /// Per entry: byte offset of its line, and of its roles field.
    offsets: Vec<(u32, u32)>,
    texts: Vec<Arc<str>>,
    kinds: HashMap<Box<str>, Arc<str>, FxBuildHasher>,
    diagnostics: Vec<Diagnostic>,
}

impl GazetteerBuilder {
    /// Parses one file's text, keeping every diagnostic.
    pub(crate) fn add(&mut self, path: &str, text: Arc<str>, user: bool) {
        let file = self.files.len() as u32;
        self.files.push(path.to_string());
        let mut parsed = parse::Parsed {
            entries: std::mem::take(&mut self.entries),
            offsets: std::mem::take(&mut self.offsets),
            diagnostics: std::mem::take(&mut self.diagnostics),
        };
        parse::parse(path, &text, file, &mut self.kinds, &mut parsed);
        self.entries = parsed.entries;
        self.offsets = parsed.offsets;
        self.diagnostics = parsed.diagnostics;
        self.user.resize(self.entries.len(), user);
        self.texts.push(text);
    }

    /// Adds an I/O or encoding problem found while reading a file.
    pub(crate) fn add_diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub(crate) fn build(mut self) -> Result<Gazetteer, Vec<Diagnostic>> {
        // Entry indices sorted by id (stable: the first definition first).
        let mut by_id: Vec<u32> = (0..self.entries.len() as u32).collect();
        by_id.sort_by(|&a, &b| {
            self.entries[a as usize].id.cmp(&self.entries[b as usize].id)
        });
        let mut dups = Vec::new();
        by_id.dedup_by(|later, first| {
            let same = self.entries[*later as usize].id
                == self.entries[*first as usize].id;
            if same {
                dups.push((*later as usize, *first as usize));
            }
            same
        });
        for (i, first) in dups {
            let mut d = self.diag_at(i, 0, DiagnosticKind::Duplicate, format!(
                "duplicate id \"{}\": ids must be unique across all gazetteers",
                self.entries[i].id
            ));
            d.related = Some(self.location(first));
            self.diagnostics.push(d);
        }
        let entries = &self.entries;
        let find = |id: &str| {
            by_id
                .binary_search_by(|&i| (*entries[i as usize].id).cmp(id))
                .is_ok()
        };
        let mut unknown = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            for r in e.roles.iter() {
                if !(is_code(&r.of) || find(&r.of)) {
                    unknown.push((i, r.of.clone(), r.office.clone()));
                }
            }
        }
        for (i, of, office) in unknown {
            let col =
                self.line_text(i).find(&format!("@{of}")).map_or(0, |p| p + 1);
            let d = self.diag_at(i, col, DiagnosticKind::UnknownReference, format!(
                "unknown \"{of}\" in role \"{office}\": expected a country code or the id of a loaded entry"
            ));
            self.diagnostics.push(d);
        }
        if !self.diagnostics.is_empty() {
            // In the files' load order, then by line and column.
            let order: HashMap<&str, usize> = self
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.as_str(), i))
                .collect();
            self.diagnostics.sort_by_key(|d| {
                let file = order.get(d.location.path.as_str()).copied();
                (
                    file.unwrap_or(usize::MAX),
                    d.location.line,
                    d.location.column,
                )
            });
            return Err(self.diagnostics);
        }
        let matcher = match matcher::Matcher::build(&self.entries, &self.user)
        {
            Ok(m) => m,
            Err(too_long) => {
                let diags = too_long
                    .into_iter()
                    .map(|(i, k, n)| {
                        let alias =
                            &self.entries[i as usize].surface(k as usize).text;
                        let col = self
                            .line_text(i as usize)
                            .find(&**alias)
                            .unwrap_or(0);
                        self.diag_at(
                            i as usize,
                            col,
                            DiagnosticKind::Limit,
                            format!(
                                "alias has {n} tokens: the limit is {}",
                                parse::MAX_ALIAS_TOKENS
                            ),
                        )
                    })
                    .collect();
                return Err(diags);
            }
        };
        let surnames = surnames::index(&self.entries);
        Ok(Gazetteer {
            entries: self.entries,
            files: self.files,
            by_id,
            matcher,
            surnames,
        })
    }

    fn line_text(&self, i: usize) -> &str {
        let e = &self.entries[i];
        let text = &self.texts[e.file as usize];
        let start = self.offsets[i].0 as usize;
        let end = text[start..].find('\n').map_or(text.len(), |p| start + p);
        &text[start..end]
    }

    fn location(&self, i: usize) -> Location {
        let e = &self.entries[i];
        Location {
            path: self.files[e.file as usize].clone(),
            line: e.line as usize,
            column: 1,
            offset: self.offsets[i].0 as usize,
        }
    }

    /// A diagnostic on entry `i`'s line at byte column `col` of the line.
    fn diag_at(
        &self,
        i: usize,
        col: usize,
        kind: DiagnosticKind,
        message: String,
    ) -> Diagnostic {
        let e = &self.entries[i];
        let text = &self.texts[e.file as usize];
        let idx = crate::error::LineIndex {
            path: &self.files[e.file as usize],
            text,
        };
        let start = self.offsets[i].0 as usize;
        idx.diag(kind, e.line as usize, start, start + col, message)
    }
}

/// Three capital ASCII letters: a country or group code.
pub(crate) fn is_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}
