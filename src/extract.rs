use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use once_cell::sync::Lazy;
use serde::Serialize;

use crate::error::{Diagnostic, DiagnosticKind, Error, Location};
use crate::gazetteer::{Date, Gazetteer, GazetteerBuilder, Label, Mention};
use crate::rules::engine::Ment;
use crate::rules::RuleSet;
use crate::span::Span;
use crate::text::Str;
use crate::tokenize::Tokenizer;

/// Extracts entities and relations from news text.
///
/// Build it once and share it: it is a cheap `Clone` over shared, immutable
/// state, and `Send + Sync`, so one extractor serves all threads.
///
/// # Example
///
/// ```
/// use entente::Extractor;
///
/// let ex = Extractor::default();
/// let out = ex.extract("Moscow: Russia has pledged food aid to Afghanistan.");
/// let ids: Vec<&str> = out.entities.iter().map(|e| e.id.as_str()).collect();
/// assert_eq!(ids, ["city.moscow", "RUS", "AFG"]);
/// assert_eq!(out.entities[0].country.as_deref(), Some("RUS"));
/// ```
#[derive(Clone, Debug)]
pub struct Extractor {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    tokenizer: Tokenizer,
    gazetteer: Gazetteer,
    rules: RuleSet,
    /// Token buffers kept between documents (one per thread at work).
    buffers: crate::pool::Pool<crate::tokenize::Buffers>,
    /// Per-token symbol buffers (trie, rules) kept between documents.
    syms: crate::pool::Pool<(Vec<u32>, Vec<u32>)>,
}

/// Token buffers with room for more tokens than this are dropped after
/// their document rather than kept (about 3 MB), so that one huge
/// document does not hold its memory for the rest of a corpus.
const KEEP_TOKENS: usize = 1 << 16;

static DEFAULT: Lazy<Extractor> = Lazy::new(|| {
    Extractor::builder().build().expect(
        "the embedded gazetteers are valid (the test suite builds them)",
    )
});

impl Default for Extractor {
    /// The extractor over the embedded gazetteers, built on first use and
    /// shared afterwards.
    fn default() -> Extractor {
        DEFAULT.clone()
    }
}

impl Extractor {
    /// A builder, for the user's own gazetteers.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::new()
    }

    /// Extracts entities and relations from `text`.
    ///
    /// Never fails and never panics; offsets in the result are byte offsets
    /// into `text`, on character boundaries.
    pub fn extract(&self, text: &str) -> Extraction {
        self.extract_dated(text, None)
    }

    /// Extracts from a text published on `date`: where the gazetteer knows
    /// a person's dated roles, the date picks the office held.
    ///
    /// ```
    /// use entente::{Date, Extractor};
    ///
    /// let ex = Extractor::default();
    /// let out = ex.extract_dated(
    ///     "President Hamid Karzai spoke.",
    ///     Date::parse("2010-05-01"),
    /// );
    /// let role = &out.relations[0];
    /// assert_eq!((role.predicate.as_str(), role.label.as_str()), ("holds_role", "president"));
    /// assert_eq!(role.object.id, "AFG");
    /// ```
    pub fn extract_dated(&self, text: &str, date: Option<Date>) -> Extraction {
        self.extract_in_pieces(text, date, MAX_PIECE)
    }

    /// Extracts from `text` cut into pieces of at most `max` bytes (at a
    /// line break, else a space, else a character boundary), with offsets
    /// and sentence numbers shifted back into `text`. Internal offsets are
    /// `u32`; no single piece may come near 4 GiB.
    fn extract_in_pieces(
        &self,
        text: &str,
        date: Option<Date>,
        max: usize,
    ) -> Extraction {
        let mut out = Extraction::default();
        let (mut base, mut sentences) = (0, 0);
        while base < text.len() || base == 0 {
            let rest = &text[base..];
            let mut end = rest.len();
            if end > max {
                end = max;
                while !rest.is_char_boundary(end) {
                    end -= 1;
                }
                let head = &rest[..end];
                if let Some(cut) = head.rfind('\n').or_else(|| head.rfind(' '))
                {
                    if cut > 0 {
                        end = cut + 1;
                    }
                }
            }
            let piece = &rest[..end];
            let (toks, ments, mut relations) =
                self.analyse(piece, date, false);
            let mut ents = entities(&toks, &ments);
            let piece_sentences = toks.sentences().len();
            self.recycle(toks);
            if base > 0 || sentences > 0 {
                for e in &mut ents {
                    e.start += base;
                    e.end += base;
                    e.sentence += sentences;
                }
                for r in &mut relations {
                    for a in [&mut r.subject, &mut r.object] {
                        a.start += base;
                        a.end += base;
                    }
                    r.start += base;
                    r.end += base;
                    r.sentence += sentences;
                }
            }
            append(&mut out.entities, ents);
            append(&mut out.relations, relations);
            sentences += piece_sentences;
            base += end;
            if end == 0 {
                break;
            }
        }
        out
    }

    /// [`extract_dated`](Extractor::extract_dated) without the speed-ups:
    /// the tokenizer takes no ASCII fast path, and the rule VM tries every
    /// pattern at every item, with no prefilter and no pruning.
    /// The result must be the same; tests and benches compare the two.
    #[doc(hidden)]
    pub fn extract_reference(
        &self,
        text: &str,
        date: Option<Date>,
    ) -> Extraction {
        let (toks, ments, relations) = self.analyse(text, date, true);
        let entities = entities(&toks, &ments);
        self.recycle(toks);
        Extraction { entities, relations }
    }

    /// Runs the pipeline over `text` up to and including `stage`, and
    /// counts what it found: for benchmarks that time each stage.
    ///
    /// ```
    /// use entente::{Extractor, Stage};
    ///
    /// let ex = Extractor::default();
    /// let text = "Russia pledged food aid to Afghanistan.";
    /// let toks = ex.run_to(text, Stage::Tokenize);
    /// assert_eq!((toks.sentences, toks.tokens, toks.mentions), (1, 7, 0));
    /// let all = ex.run_to(text, Stage::Rules);
    /// assert_eq!((all.mentions, all.relations), (2, 1));
    /// ```
    pub fn run_to(&self, text: &str, stage: Stage) -> Counts {
        if stage == Stage::Rules {
            let (toks, ments, relations) = self.analyse(text, None, false);
            let counts = Counts {
                sentences: toks.sentences().len(),
                tokens: toks.tokens().len(),
                mentions: ments.len(),
                relations: relations.len(),
            };
            self.recycle(toks);
            return counts;
        }
        let toks = self.tokenize(text, true);
        let mentions = match stage {
            Stage::Tokenize => 0,
            _ => {
                let (mut gs, mut rs) = self.inner.syms.take(Default::default);
                self.inner
                    .gazetteer
                    .matcher
                    .lookup_into(&toks, &mut gs, &mut rs);
                let n = self.mentions(&toks, &gs, None).len();
                self.keep_syms(gs, rs);
                n
            }
        };
        let counts = Counts {
            sentences: toks.sentences().len(),
            tokens: toks.tokens().len(),
            mentions,
            relations: 0,
        };
        self.recycle(toks);
        counts
    }

    /// Tokenises `text` into buffers kept from an earlier document.
    fn tokenize<'t>(
        &self,
        text: &'t str,
        fast: bool,
    ) -> crate::tokenize::Tokens<'t> {
        let bufs = self.inner.buffers.take(Default::default);
        self.inner.tokenizer.tokenize_into(text, fast, bufs)
    }

    /// Keeps the buffers of `toks` for the next document.
    fn recycle(&self, toks: crate::tokenize::Tokens<'_>) {
        let bufs = toks.into_buffers();
        if bufs.capacity() <= KEEP_TOKENS {
            self.inner.buffers.give(bufs);
        }
    }

    /// Tokens, mentions (gazetteer, surname and discovered) and relations.
    pub(crate) fn analyse<'t>(
        &self,
        text: &'t str,
        date: Option<Date>,
        reference: bool,
    ) -> (crate::tokenize::Tokens<'t>, Vec<Ment<'_>>, Vec<Relation>) {
        let toks = self.tokenize(text, !reference);
        let gaz = &self.inner.gazetteer;
        // one vocabulary lookup per token gives the symbols of both
        let (mut gsyms, mut rsyms) = self.inner.syms.take(Default::default);
        gaz.matcher.lookup_into(&toks, &mut gsyms, &mut rsyms);
        let mut ments = self.mentions(&toks, &gsyms, date);
        if reference {
            rsyms = self.inner.rules.token_syms(&toks);
        }
        let relations = self
            .inner
            .rules
            .apply(gaz, &toks, &mut ments, date, reference, &rsyms);
        self.keep_syms(gsyms, rsyms);
        (toks, ments, relations)
    }

    /// Keeps symbol buffers for the next document, as
    /// [`recycle`](Extractor::recycle) keeps token buffers.
    fn keep_syms(&self, gs: Vec<u32>, rs: Vec<u32>) {
        if gs.capacity().max(rs.capacity()) <= KEEP_TOKENS {
            self.inner.syms.give((gs, rs));
        }
    }

    /// The gazetteer's mentions in a tokenized text, surnames included.
    fn mentions(
        &self,
        toks: &crate::tokenize::Tokens<'_>,
        syms: &[u32],
        date: Option<Date>,
    ) -> Vec<Ment<'_>> {
        let gaz = &self.inner.gazetteer;
        // room for one mention in every sixteen tokens (news runs at one in
        // twenty-five): one allocation rather than a doubling series
        let mut mentions: Vec<Mention> =
            Vec::with_capacity(toks.tokens().len() / 16 + 4);
        gaz.matcher.find_with(toks, syms, &mut mentions);
        crate::gazetteer::surnames::extend(
            &gaz.surnames,
            gaz.entries(),
            toks,
            &mut mentions,
            date,
        );
        mentions
            .iter()
            .map(|m| {
                let e = gaz.entry(m.entry);
                Ment {
                    start: m.start,
                    end: m.end,
                    label: e.label(),
                    kind: e.kind(),
                    id: e.id().into(),
                    name: e.name().into(),
                    country: e.country,
                    discovered: false,
                }
            })
            .collect()
    }

    /// The relation rules this extractor applies.
    pub fn rules(&self) -> &RuleSet {
        &self.inner.rules
    }

    /// The gazetteer entries this extractor matches.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.inner.gazetteer
    }

    /// The tokenizer this extractor uses.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.inner.tokenizer
    }
}

/// Appends `more` to `all`: the first piece of a text (most texts have
/// one) gives its vector whole, later ones are copied on.
fn append<T>(all: &mut Vec<T>, mut more: Vec<T>) {
    if all.is_empty() {
        *all = more;
    } else {
        all.append(&mut more);
    }
}

/// The largest piece of text analysed at once (1 GiB): token offsets are
/// `u32` inside, and normalised forms can be longer than the text.
const MAX_PIECE: usize = 1 << 30;

/// How far [`Extractor::run_to`] runs the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Tokens and sentences.
    Tokenize,
    /// Tokens, then gazetteer mentions (surnames included).
    Gazetteer,
    /// Tokens, mentions, then the role and relation rules: all the work of
    /// [`Extractor::extract`] but building the output records.
    Rules,
}

/// What [`Extractor::run_to`] found: enough to check that a stage did real
/// work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Sentences, headings and datelines.
    pub sentences: usize,
    /// Tokens.
    pub tokens: usize,
    /// Entity mentions (0 before [`Stage::Gazetteer`]).
    pub mentions: usize,
    /// Relations (0 before [`Stage::Rules`]).
    pub relations: usize,
}

/// The output entities of a document's mentions.
pub(crate) fn entities(
    toks: &crate::tokenize::Tokens<'_>,
    ments: &[Ment<'_>],
) -> Vec<Entity> {
    let text = toks.text();
    let tokens = toks.tokens();
    ments
        .iter()
        .map(|m| {
            let span = Span::new(
                tokens[m.start].span.start,
                tokens[m.end - 1].span.end,
            );
            Entity {
                start: span.start,
                end: span.end,
                text: Str::new(&text[span]),
                label: m.label,
                kind: Str::new(m.kind),
                id: Str::new(&m.id),
                name: Str::new(&m.name),
                country: m.country.map(CountryCode::from_entry),
                sentence: tokens[m.start].sentence,
                discovered: m.discovered,
            }
        })
        .collect()
}

#[derive(Clone, Debug)]
enum Source {
    File(PathBuf),
    Str { name: String, text: Arc<str> },
}

/// Builds an [`Extractor`] from the embedded data and the user's files.
///
/// Setters take and return `&mut self`, so calls chain; all reading,
/// parsing and checking happens in [`build`](ExtractorBuilder::build),
/// which reports every problem in every file at once.
///
/// # Example
///
/// ```
/// use entente::Extractor;
///
/// let mine = "\
/// ## my own entries
/// org.acme | ORG | company | USA | Acme Corporation | =ACME; Acme
/// ";
/// let ex = Extractor::builder().gazetteer_str("mine.gaz", mine).build()?;
/// let out = ex.extract("ACME shares rose in Paris.");
/// assert_eq!(out.entities[0].id, "org.acme");
/// assert_eq!(out.entities[1].id, "city.paris"); // embedded data still on
/// # Ok::<(), entente::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ExtractorBuilder {
    embedded_gazetteers: bool,
    embedded_rules: bool,
    gazetteers: Vec<Source>,
    rules: Vec<Source>,
}

impl Default for ExtractorBuilder {
    fn default() -> ExtractorBuilder {
        ExtractorBuilder::new()
    }
}

impl ExtractorBuilder {
    /// A builder with the embedded gazetteers and rules on and nothing else
    /// added.
    pub fn new() -> ExtractorBuilder {
        ExtractorBuilder {
            embedded_gazetteers: true,
            embedded_rules: true,
            gazetteers: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// Whether to load the embedded gazetteers and rules (default: yes).
    pub fn embedded(&mut self, yes: bool) -> &mut ExtractorBuilder {
        self.embedded_gazetteers = yes;
        self.embedded_rules = yes;
        self
    }

    /// Whether to load the embedded gazetteers (default: yes).
    pub fn embedded_gazetteers(&mut self, yes: bool) -> &mut ExtractorBuilder {
        self.embedded_gazetteers = yes;
        self
    }

    /// Whether to load the embedded rules (default: yes).
    pub fn embedded_rules(&mut self, yes: bool) -> &mut ExtractorBuilder {
        self.embedded_rules = yes;
        self
    }

    /// Adds a rule file, or every `*.rules` file in a folder (in name
    /// order). Read when [`build`](ExtractorBuilder::build) runs.
    pub fn rule_file<P: AsRef<Path>>(
        &mut self,
        path: P,
    ) -> &mut ExtractorBuilder {
        self.rules.push(Source::File(path.as_ref().to_path_buf()));
        self
    }

    /// Adds rules from a string; `name` is used as its path in diagnostics
    /// and in each relation's `rule`.
    pub fn rule_str(
        &mut self,
        name: &str,
        source: &str,
    ) -> &mut ExtractorBuilder {
        self.rules.push(Source::Str {
            name: name.to_string(),
            text: Arc::from(source),
        });
        self
    }

    /// Adds a gazetteer file, or every `*.gaz` file in a folder (in name
    /// order). Read when [`build`](ExtractorBuilder::build) runs.
    pub fn gazetteer_file<P: AsRef<Path>>(
        &mut self,
        path: P,
    ) -> &mut ExtractorBuilder {
        self.gazetteers.push(Source::File(path.as_ref().to_path_buf()));
        self
    }

    /// Adds a gazetteer from a string; `name` is used as its path in
    /// diagnostics.
    ///
    /// A `String` given by value is kept without a copy: with a
    /// million-entry gazetteer the source alone is tens of megabytes.
    pub fn gazetteer_str(
        &mut self,
        name: &str,
        source: impl Into<String>,
    ) -> &mut ExtractorBuilder {
        self.gazetteers.push(Source::Str {
            name: name.to_string(),
            text: Arc::from(source.into()),
        });
        self
    }

    /// Reads, parses and checks everything, and builds the extractor.
    ///
    /// # Errors
    ///
    /// An [`Error`] holding every diagnostic: unreadable files, files that
    /// are not UTF-8, malformed lines, duplicate ids, roles that name
    /// nothing loaded.
    pub fn build(&self) -> Result<Extractor, Error> {
        let mut gb = GazetteerBuilder::default();
        if self.embedded_gazetteers {
            for (path, text) in crate::embedded::GAZETTEERS {
                gb.add(path, Arc::from(*text), false);
            }
        }
        for src in &self.gazetteers {
            match src {
                Source::Str { name, text } => gb.add(name, text.clone(), true),
                Source::File(path) => {
                    for file in expand(path, "gaz") {
                        match read_text(&file) {
                            Ok(text) => gb.add(
                                &file.display().to_string(),
                                Arc::from(text),
                                true,
                            ),
                            Err(d) => gb.add_diagnostic(*d),
                        }
                    }
                }
            }
        }
        let mut rule_files: Vec<(String, String)> = Vec::new();
        let mut diags = Vec::new();
        if self.embedded_rules {
            for (path, text) in crate::embedded::RULES {
                rule_files.push((path.to_string(), text.to_string()));
            }
        }
        for src in &self.rules {
            match src {
                Source::Str { name, text } => {
                    rule_files.push((name.clone(), text.to_string()))
                }
                Source::File(path) => {
                    for file in expand(path, "rules") {
                        match read_text(&file) {
                            Ok(text) => rule_files
                                .push((file.display().to_string(), text)),
                            Err(d) => diags.push(*d),
                        }
                    }
                }
            }
        }
        let mut gazetteer = match gb.build() {
            Ok(g) => g,
            Err(mut d) => {
                d.append(&mut diags);
                return Err(Error::new(d));
            }
        };
        let rules = match RuleSet::build(&rule_files, &gazetteer) {
            Ok(r) if diags.is_empty() => r,
            Ok(_) => return Err(Error::new(diags)),
            Err(mut d) => {
                diags.append(&mut d);
                return Err(Error::new(diags));
            }
        };
        gazetteer.matcher.add_rule_symbols(rules.symbols());
        Ok(Extractor {
            inner: Arc::new(Inner {
                buffers: Default::default(),
                syms: Default::default(),
                tokenizer: Tokenizer::new(),
                gazetteer,
                rules,
            }),
        })
    }
}

/// A folder's files with this extension, sorted; or the path itself.
fn expand(path: &Path, ext: &str) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Reads a file as UTF-8, or says where it is not.
fn read_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let at = |line, column, offset, message| {
        Box::new(Diagnostic {
            kind: DiagnosticKind::Io,
            location: Location {
                path: path.display().to_string(),
                line,
                column,
                offset,
            },
            message,
            source_line: String::new(),
            related: None,
        })
    };
    let bytes = fs::read(path)
        .map_err(|e| at(1, 1, 0, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let line_start = valid.rfind('\n').map_or(0, |p| p + 1);
        let column = valid[line_start..].chars().count() + 1;
        let msg = format!(
            "invalid UTF-8 (byte 0x{:02x}): expected text encoded as UTF-8",
            bytes[bad]
        );
        at(line, column, bad, msg)
    })
}

/// What [`Extractor::extract`] finds in one text.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Extraction {
    /// Entity mentions, in text order, never overlapping.
    pub entities: Vec<Entity>,
    /// Relations between mentions, in text order.
    pub relations: Vec<Relation>,
}

/// One entity mention. The JSON field names are a contract with outside
/// scorers (`SCORING.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// First byte of the mention in the text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Exactly `text[start..end]`.
    pub text: Str,
    /// Coarse type.
    pub label: Label,
    /// Fine type from the gazetteer (`country`, `capital`, `official`).
    pub kind: Str,
    /// Stable id of the gazetteer entry.
    pub id: Str,
    /// The entry's canonical name.
    pub name: Str,
    /// The entry's country code, if it has one.
    pub country: Option<CountryCode>,
    /// Index of the sentence the mention is in.
    pub sentence: usize,
    /// Whether the entity was found by a role rule (`Foreign Minister X`)
    /// rather than in a gazetteer; its id is then derived from its name.
    /// Serialised only when true.
    #[serde(skip_serializing_if = "is_false")]
    pub discovered: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Entity {
    /// The mention's byte span.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// An ISO 3166-1 alpha-3 country code (`RUS`), as entities and relations
/// carry it: three ASCII capitals held by value, so that giving one out
/// allocates nothing. It reads as a `&str` (it derefs to one), compares
/// equal to the same string, and serialises as one.
///
/// ```
/// let out = entente::Extractor::default().extract("Russia protested.");
/// let code = out.entities[0].country.unwrap();
/// assert_eq!(code, "RUS");
/// assert_eq!(code.to_lowercase(), "rus");
/// assert_eq!(entente::CountryCode::new("RUS"), Some(code));
/// assert_eq!(entente::CountryCode::new("Rus"), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// The code `s`, if it is three ASCII capital letters.
    pub fn new(s: &str) -> Option<CountryCode> {
        crate::gazetteer::is_code(s)
            .then(|| CountryCode(s.as_bytes().try_into().unwrap_or([b'A'; 3])))
    }

    /// The code of a gazetteer entry, whose parser checked it.
    pub(crate) fn from_entry(b: [u8; 3]) -> CountryCode {
        debug_assert!(b.iter().all(u8::is_ascii_uppercase));
        CountryCode(b)
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // three ASCII capitals: always UTF-8
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

crate::text::str_like!(CountryCode);

/// A reference to an entity from a relation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    /// The mention's text.
    pub text: Str,
    /// The entry's canonical name.
    pub name: Str,
    /// The entry's id.
    pub id: Str,
    /// The country the entity stands for or belongs to.
    pub country: Option<CountryCode>,
    /// First byte of the mention.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// A relation between two entity mentions, such as
/// `Russia -pledge_aid-> Afghanistan`. The JSON field names are a contract
/// with outside scorers (`SCORING.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// Who acts.
    pub subject: EntityRef,
    /// Machine name of the relation (`pledge_aid`, `holds_role`).
    pub predicate: Str,
    /// Human label (`pledges aid`, or the office for `holds_role`).
    pub label: Str,
    /// CAMEO event code, if the rule has one.
    pub code: Option<Str>,
    /// Who is acted upon.
    pub object: EntityRef,
    /// Whether the text says the event did not happen.
    pub negated: bool,
    /// A year or date phrase attached to the relation, if any.
    pub time: Option<Str>,
    /// Index of the sentence.
    pub sentence: usize,
    /// First byte of the evidence.
    pub start: usize,
    /// One past the last byte of the evidence.
    pub end: usize,
    /// Where the rule that fired is defined (`rules/aid.rules:12`).
    pub rule: Str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text longer than a piece gives what its pieces give, with offsets
    /// into the whole text.
    #[test]
    fn pieces_shift_offsets_back() {
        let ex = Extractor::default();
        let text = "Russia pledged aid to Afghanistan.\nFrance condemned Iran. Égypte.\n\nChina warned Japan.";
        let whole = ex.extract(text);
        for max in [20, 40, 64] {
            let cut = ex.extract_in_pieces(text, None, max);
            for e in &cut.entities {
                assert_eq!(&text[e.start..e.end], e.text, "max {max}");
            }
            for r in &cut.relations {
                assert!(text.is_char_boundary(r.start) && r.end <= text.len());
                assert_eq!(
                    &text[r.subject.start..r.subject.end],
                    r.subject.text
                );
            }
            let names = |x: &Extraction| {
                x.relations
                    .iter()
                    .map(|r| {
                        (
                            r.subject.id.clone(),
                            r.predicate.clone(),
                            r.object.id.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            // pieces of whole lines lose nothing
            if max >= 40 {
                assert_eq!(names(&cut), names(&whole), "max {max}");
                assert_eq!(cut.entities.len(), whole.entities.len());
            }
        }
        // a piece boundary inside a multi-byte character moves back
        let accents = "é".repeat(50);
        let x = ex.extract_in_pieces(&accents, None, 7);
        assert!(x.entities.is_empty());
    }
}
