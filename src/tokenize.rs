/*!
The tokenizer: words, numbers and punctuation with byte spans, grouped into
sentences, with the repairs that news text needs.

Tokens are grapheme-aware (a combining mark or an emoji sequence never splits
a token, so every span lies on character boundaries). On top of plain word
splitting it handles:

- abbreviations and initials that keep their period (`U.S.`, `U.N.`, `Gen.`,
  `Sept.`, `J. Smith`) and do not end the sentence;
- hyphenated compounds, split so that their parts stay matchable: `US-led`
  is `US`, `-`, `led`, with `-` marked as not preceded by a space;
- possessives split off (`Afghanistan’s` is `Afghanistan` + `’s`), curly and
  straight apostrophes and quotes unified in the normalised form;
- decimals and thousands (`3.5`, `1,000`) as one number token;
- datelines (`Moscow:`, `KABUL, Sept 29 (Reuters) -`) as their own sentence;
- page boilerplate lines (share-button text such as
  `icon-facebook icon-twitter`, bare date lines such as `Fri Sep 29 2023`)
  kept as tokens but marked [`SentenceKind::Boilerplate`], which the
  gazetteer matcher skips;
- headings (a title-like line without final punctuation) as their own
  sentence.

Each token carries a normalised form computed once: lowercase, Latin
diacritics removed, combining marks dropped, curly quotes made straight.
*/

use std::ops::Range;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// What a token is made of.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, possibly with digits and inner apostrophes (`don't`, `G7`).
    Word,
    /// Digits, with inner `.` or `,` between digits (`2021`, `3.5`).
    Number,
    /// A word that keeps its period: `U.S.`, `Gen.`, `Sept.`, `J.`.
    Abbreviation,
    /// A possessive ending split off its word: `’s`, `'s`, or a bare `'`
    /// after a word ending in `s`.
    Possessive,
    /// One punctuation character.
    Punct,
    /// Any other character or grapheme cluster (symbols, emoji).
    Symbol,
}

/// The letter case of a token, computed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    /// Starts with a lowercase letter (`led`, `d'Ivoire`).
    Lower,
    /// Starts with an uppercase letter and has lowercase ones (`Kabul`).
    Title,
    /// Has uppercase letters and no lowercase ones (`NATO`, `U.S.`, `A`).
    Upper,
    /// Has no cased letters (numbers, punctuation, most non-Latin scripts).
    None,
}

impl Case {
    /// Whether the token starts with a capital letter (title case or all
    /// capitals).
    pub fn is_capitalised(self) -> bool {
        matches!(self, Case::Title | Case::Upper)
    }
}

/// One token: where it is, what it is, and which sentence it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the text.
    pub span: Span,
    /// What the token is made of.
    pub kind: TokenKind,
    /// Its letter case.
    pub case: Case,
    /// Whether white space (or the start of the text) precedes it.
    pub space_before: bool,
    /// The index of its sentence in [`Tokens::sentences`].
    pub sentence: usize,
    /// Newlines in the white space before the token (saturating).
    pub(crate) newlines_before: u8,
    /// Span of the normalised form: in the text itself when
    /// `norm_in_text` (a word with nothing to normalise, the common case),
    /// else in `Tokens::norms`.
    pub(crate) norm: (u32, u32),
    pub(crate) norm_in_text: bool,
    /// [`crate::vocab::hash`] of the normalised form.
    pub(crate) hash: u64,
}

/// What kind of text a sentence is.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceKind {
    /// Running text.
    Text,
    /// A title-like line with no final punctuation, such as a headline.
    Heading,
    /// The place (and agency) that opens a story: `Moscow:`.
    Dateline,
    /// Page furniture: share buttons, a bare date line. Holds no entities.
    Boilerplate,
}

/// A sentence: its span, its tokens and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span from its first token's start to its last token's end.
    pub span: Span,
    /// Its tokens, as indices into [`Tokens::tokens`].
    pub tokens: Range<usize>,
    /// What kind of text it is.
    pub kind: SentenceKind,
}

/// The tokens and sentences of one text.
#[derive(Clone, Debug)]
pub struct Tokens<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    norms: String,
    /// Per token: whether a sentence starts there, and its kind (scratch
    /// space of the segmenter, kept to be reused).
    marks: Vec<(bool, SentenceKind)>,
    /// Per token: the vocabulary key of its normalised form
    /// (`crate::vocab::key_of`) when the tokenizer had it at hand, else
    /// `[0, 0]`.
    keys: Vec<[u64; 2]>,
}

/// The buffers of a [`Tokens`], emptied, to tokenise the next text into
/// without allocating: the extractor keeps them between documents.
#[derive(Debug, Default)]
pub(crate) struct Buffers {
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    norms: String,
    marks: Vec<(bool, SentenceKind)>,
    keys: Vec<[u64; 2]>,
}

impl Buffers {
    /// The number of tokens the buffers have room for.
    pub(crate) fn capacity(&self) -> usize {
        self.tokens.capacity()
    }
}

impl<'t> Tokens<'t> {
    /// The text that was tokenised.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// All tokens, in text order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// All sentences, in text order; together they hold every token.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The text of a token.
    pub fn token_text(&self, token: &Token) -> &'t str {
        &self.text[token.span]
    }

    /// The normalised form of a token: lowercase, Latin diacritics removed,
    /// quotes made straight.
    #[inline]
    pub fn norm(&self, token: &Token) -> &str {
        norm_in(self.text, &self.norms, token)
    }

    /// [`norm`](Tokens::norm) as bytes, for lookups.
    #[inline]
    pub(crate) fn norm_bytes(&self, token: &Token) -> &[u8] {
        norm_bytes_in(self.text, &self.norms, token)
    }

    /// Per token: the vocabulary key of its normalised form, or `[0, 0]`
    /// where the tokenizer did not work it out (see `Tokens::keys`).
    pub(crate) fn keys(&self) -> &[[u64; 2]] {
        &self.keys
    }

    /// The buffers, emptied, for [`Tokenizer::tokenize_into`].
    pub(crate) fn into_buffers(self) -> Buffers {
        let Tokens {
            mut tokens,
            mut sentences,
            mut norms,
            mut marks,
            mut keys,
            ..
        } = self;
        tokens.clear();
        sentences.clear();
        norms.clear();
        marks.clear();
        keys.clear();
        Buffers { tokens, sentences, norms, marks, keys }
    }
}

/// Splits text into tokens and sentences.
///
/// # Example
///
/// ```
/// use entente::Tokenizer;
///
/// let text = "Moscow: The U.S.-led talks with Afghanistan’s envoy ended. \
///             Gen. Smith left.";
/// let toks = Tokenizer::new().tokenize(text);
/// let words: Vec<&str> =
///     toks.tokens().iter().map(|t| toks.token_text(t)).collect();
/// assert_eq!(&words[..7], &["Moscow", ":", "The", "U.S.", "-", "led", "talks"]);
/// assert!(words.contains(&"Afghanistan") && words.contains(&"’s"));
/// // the dateline, the first sentence, then "Gen. Smith left."
/// assert_eq!(toks.sentences().len(), 3);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Tokenizer {
    _priv: (),
}

impl Tokenizer {
    /// A tokenizer with the news-text repairs described in the module docs.
    pub fn new() -> Tokenizer {
        Tokenizer { _priv: () }
    }

    /// Tokenises `text` and splits it into sentences.
    pub fn tokenize<'t>(&self, text: &'t str) -> Tokens<'t> {
        self.tokenize_with(text, true)
    }

    /// With `fast` off, every character takes the general path: the
    /// reference that the ASCII fast path must agree with.
    pub(crate) fn tokenize_with<'t>(
        &self,
        text: &'t str,
        fast: bool,
    ) -> Tokens<'t> {
        self.tokenize_into(text, fast, Buffers::default())
    }

    /// [`tokenize_with`](Tokenizer::tokenize_with) into `bufs`, which
    /// must be empty ([`Tokens::into_buffers`] gives them so).
    pub(crate) fn tokenize_into<'t>(
        &self,
        text: &'t str,
        fast: bool,
        bufs: Buffers,
    ) -> Tokens<'t> {
        let Buffers {
            mut tokens,
            mut sentences,
            mut norms,
            mut marks,
            mut keys,
        } = bufs;
        debug_assert!(tokens.is_empty() && sentences.is_empty());
        tokens.reserve(text.len() / 5 + 1);
        keys.reserve(text.len() / 5 + 1);
        scan_with(text, (&mut tokens, &mut keys), &mut norms, fast);
        debug_assert_eq!(tokens.len(), keys.len());
        segment(text, &mut tokens, &norms, &mut sentences, &mut marks);
        Tokens { text, tokens, sentences, norms, marks, keys }
    }
}

/// The first grapheme cluster at byte `i` (which must be `< text.len()`
/// and on a char boundary): its first char and its length in bytes.
#[inline]
fn grapheme_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes();
    if b[i] < 0x80 && b.get(i + 1).is_none_or(|&n| n < 0x80) {
        return (b[i] as char, 1);
    }
    let rest = &text[i..];
    let g = rest.graphemes(true).next().unwrap_or(rest);
    (g.chars().next().unwrap_or('\u{FFFD}'), g.len().max(1))
}

/// Characters that carry nothing for tokenising and separate nothing:
/// bidi controls, the byte order mark, the word joiner.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Titles, months, days and other words that keep their period and never
/// end a sentence.
#[rustfmt::skip]
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Adm", "Ald", "Apr", "Aug", "Ave", "Brig", "Capt", "Cdr", "Cmdr", "Col",
    "Cpl", "Dec", "Dr", "Feb", "Fr", "Fri", "Ft", "Gen", "Gov", "Hon", "Insp",
    "Jan", "Jul", "Jun", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mon", "Mr",
    "Mrs", "Ms", "Msgr", "Mt", "Nov", "Oct", "Pres", "Prof", "Pte", "Pvt",
    "Rep", "Reps", "Rev", "Sat", "Sen", "Sens", "Sep", "Sept", "Sgt", "Sr",
    "St", "Sun", "Supt", "Thu", "Thur", "Thurs", "Tue", "Tues", "Wed", "cf",
    "vs", "Vol", "approx", "est", "fig",
];

/// Words that keep their period but may end a sentence when a typical
/// sentence opener follows.
#[rustfmt::skip]
const FINAL_ABBREVIATIONS: &[&str] = &[
    "Bros", "Co", "Corp", "Inc", "Jr", "Ltd", "Plc", "etc", "al",
];

/// A word of at most seven bytes as one number: its bytes, little-endian,
/// and its length in the top byte (so that no two words share one).
const fn short_key(w: &[u8]) -> u64 {
    let mut k = (w.len() as u64) << 56;
    let mut i = 0;
    while i < w.len() && i < 7 {
        k |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// [`short_key`] of each word of `words` (all at most seven bytes).
const fn short_keys<const N: usize>(words: [&str; N]) -> [u64; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        assert!(words[i].len() <= 7);
        out[i] = short_key(words[i].as_bytes());
        i += 1;
    }
    out
}

/// The abbreviation lists as [`short_key`]s: the tokenizer asks at every
/// word before a period, and comparing numbers is cheaper than comparing
/// seventy strings.
const ABBREVIATION_KEYS: [u64; TITLE_ABBREVIATIONS.len()
    + FINAL_ABBREVIATIONS.len()] = {
    let mut all = [""; TITLE_ABBREVIATIONS.len() + FINAL_ABBREVIATIONS.len()];
    let mut i = 0;
    while i < all.len() {
        all[i] = if i < TITLE_ABBREVIATIONS.len() {
            TITLE_ABBREVIATIONS[i]
        } else {
            FINAL_ABBREVIATIONS[i - TITLE_ABBREVIATIONS.len()]
        };
        i += 1;
    }
    short_keys(all)
};

/// Whether `word` is one of [`TITLE_ABBREVIATIONS`] or
/// [`FINAL_ABBREVIATIONS`].
#[inline]
fn is_listed_abbreviation(word: &str) -> bool {
    word.len() <= 7 && ABBREVIATION_KEYS.contains(&short_key(word.as_bytes()))
}

/// Words that typically open a sentence; after `U.S.` or `Inc.` they mark a
/// sentence boundary.
#[rustfmt::skip]
pub(crate) const SENTENCE_OPENERS: &[&str] = &[
    "A", "Across", "After", "Against", "Also", "Although", "An", "And", "As",
    "At", "Because", "Before", "Between", "Both", "But", "By", "During",
    "Either", "Even", "For", "From", "He", "Her", "His", "How", "However", "I",
    "If", "In", "Inside", "It", "Its", "Like", "Meanwhile", "Mr", "Mrs", "Ms",
    "Near", "Neighbouring", "Neighboring", "Neither", "Now", "On", "Only",
    "Our", "Outside", "Over", "She", "Since", "So", "Some", "That", "The",
    "Their", "Then", "There", "These", "They", "This", "Those", "Though", "To",
    "Under", "Unlike", "Until", "We", "What", "When", "Where", "Whether",
    "While", "Why", "With", "Without", "Yet",
];

/// Scans `text` into tokens (sentence fields unset), writing normalised
/// forms into `norms`. Also used on gazetteer aliases, so that text and
/// aliases are split the same way.
pub(crate) fn scan(
    text: &str,
    out: &mut Vec<Token>,
    keys: &mut Vec<[u64; 2]>,
    norms: &mut String,
) {
    scan_with(text, (out, keys), norms, true)
}

fn scan_with(
    text: &str,
    (tokens, keys): (&mut Vec<Token>, &mut Vec<[u64; 2]>),
    norms: &mut String,
    fast: bool,
) {
    let out = &mut Sink { tokens, keys };
    let len = text.len();
    let mut i = 0;
    let mut space_before = true;
    let mut newlines: u8 = 0;
    let bytes = text.as_bytes();
    while i < len {
        // ASCII fast path: a byte followed by an ASCII byte is a grapheme
        // of its own. Spaces, and words of letters and digits that end
        // where no apostrophe, period, comma or non-ASCII character could
        // extend them, are taken here; everything else takes the general
        // path below, which gives the same tokens (tests/reference.rs and
        // the tokenizer tests check both).
        let b = bytes[i];
        // (end, kind) of a token of ASCII bytes cut here
        let mut cut = None;
        if fast && b < 0x80 && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
            if matches!(b, b' ' | b'\t'..=b'\r') {
                if b == b'\n' {
                    newlines = newlines.saturating_add(1);
                }
                space_before = true;
                i += 1;
                continue;
            }
            if b.is_ascii_alphanumeric() {
                // most words: whole in one eight-byte load, and ended by
                // a space or a mark that cannot extend them
                if let Some(mut w) = short_word(bytes, i) {
                    loop {
                        let n0 = norms.len();
                        let end = i + w.len;
                        let norm = if w.upper {
                            // the lowercase form is in the key already
                            let lower = crate::vocab::key_bytes(w.key);
                            norms.extend(
                                lower[..w.len].iter().map(|&b| char::from(b)),
                            );
                            (n0, norms.len())
                        } else {
                            (i, end)
                        };
                        emit(
                            out,
                            w.key,
                            Span { start: i, end },
                            w.kind,
                            w.case,
                            (space_before, newlines),
                            norm,
                            !w.upper,
                            w.hash,
                        );
                        i = end;
                        space_before = false;
                        newlines = 0;
                        // the commonest step in prose: one space, then
                        // another such word, taken without the tests above
                        // (a space before an ASCII byte is a grapheme)
                        if bytes.get(i) != Some(&b' ')
                            || !bytes
                                .get(i + 1)
                                .is_some_and(u8::is_ascii_alphanumeric)
                        {
                            break;
                        }
                        i += 1;
                        space_before = true;
                        match short_word(bytes, i) {
                            Some(next) => w = next,
                            None => break,
                        }
                    }
                    continue;
                }
                let (j, rest_digits) = ascii_alnum_run(bytes, i + 1);
                let digits = b.is_ascii_digit() && rest_digits;
                let number_goes_on = || {
                    digits && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
                };
                cut = match bytes.get(j) {
                    // an apostrophe or a non-ASCII character may extend
                    // the word: the general path decides
                    Some(b'\'' | 0x80..) => None,
                    // "1,000" and "3.5" go on; otherwise the word ends
                    // here, and a period may make it an abbreviation
                    Some(b'.' | b',') if number_goes_on() => None,
                    Some(b'.') => {
                        let letters = bytes[i..j]
                            .iter()
                            .filter(|x| x.is_ascii_alphabetic())
                            .count();
                        Some(word_end(text, i, j, b as char, letters, digits))
                    }
                    _ if digits => Some((j, TokenKind::Number)),
                    _ => Some((j, TokenKind::Word)),
                };
            } else {
                // one punctuation mark or symbol: no letters, and its own
                // normalised form
                emit(
                    out,
                    [u64::from(b), 1 << 56],
                    Span { start: i, end: i + 1 },
                    mark_kind(b as char),
                    Case::None,
                    (space_before, newlines),
                    (i, i + 1),
                    true,
                    crate::vocab::hash_one(1, u64::from(b)),
                );
                i += 1;
                space_before = false;
                newlines = 0;
                continue;
            }
        }
        let start = i;
        let (end, kind) = match cut {
            Some(c) => c,
            None => {
                let (c, glen) = grapheme_at(text, i);
                if is_space(c) {
                    if c == '\n' {
                        newlines = newlines.saturating_add(1);
                    }
                    space_before = true;
                    i += glen;
                    continue;
                }
                if is_ignorable(c) {
                    i += glen;
                    continue;
                }
                if c.is_alphanumeric() {
                    scan_word(text, i, c, glen)
                } else {
                    (i + glen, mark_kind(c))
                }
            }
        };
        push(
            text,
            out,
            norms,
            start,
            end,
            kind,
            space_before,
            newlines,
            cut.is_some(),
        );
        i = end;
        space_before = false;
        newlines = 0;
        // A possessive ending follows the word directly (it starts with
        // an apostrophe: ASCII, or one of the non-ASCII ones).
        if (kind == TokenKind::Word || kind == TokenKind::Abbreviation)
            && bytes.get(i).is_some_and(|&x| x == b'\'' || x >= 0x80)
        {
            if let Some(pend) = possessive_at(text, i) {
                push(
                    text,
                    out,
                    norms,
                    i,
                    pend,
                    TokenKind::Possessive,
                    false,
                    0,
                    false,
                );
                i = pend;
            }
        }
    }
}

/// Whether a character that is no letter, digit or space is punctuation or
/// another symbol.
fn mark_kind(c: char) -> TokenKind {
    if c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{205E}' | '«' | '»' | '¿' | '¡')
    {
        TokenKind::Punct
    } else {
        TokenKind::Symbol
    }
}

/// Pushes the token `start..end` with its normalised form and case. With
/// `ascii`, the token is known to be all ASCII (the fast path): lowercasing
/// bytes is its whole normalisation.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn push(
    text: &str,
    out: &mut Sink<'_>,
    norms: &mut String,
    start: usize,
    end: usize,
    kind: TokenKind,
    space_before: bool,
    newlines: u8,
    ascii: bool,
) {
    let s = &text[start..end];
    let n0 = norms.len();
    let (case, hash, in_text) = if ascii {
        let (case, hash, upper) = ascii_case_hash(s.as_bytes());
        if upper {
            norms.push_str(s);
            norms[n0..].make_ascii_lowercase();
        }
        (case, hash, !upper)
    } else {
        normalize_into(s, norms);
        let hash = crate::vocab::hash(&norms[n0..]);
        // nothing changed (`don't`): the text is the normalised form
        let same = norms[n0..] == *s;
        if same {
            norms.truncate(n0);
        }
        (case_of(s), hash, same)
    };
    let norm = if in_text { (start, end) } else { (n0, norms.len()) };
    emit(
        out,
        [0, 0],
        Span { start, end },
        kind,
        case,
        (space_before, newlines),
        norm,
        in_text,
        hash,
    );
}

/// Pushes a token whose normalised form is `norm` (in the text when
/// `in_text`, else in the norms).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn emit(
    out: &mut Sink<'_>,
    key: [u64; 2],
    span: Span,
    kind: TokenKind,
    case: Case,
    (space_before, newlines): (bool, u8),
    norm: (usize, usize),
    in_text: bool,
    hash: u64,
) {
    out.tokens.push(Token {
        span,
        kind,
        case,
        space_before,
        sentence: 0,
        newlines_before: newlines,
        norm: (norm.0 as u32, norm.1 as u32),
        norm_in_text: in_text,
        hash,
    });
    out.keys.push(key);
}

/// Where the scan puts tokens: the tokens, and beside them the vocabulary
/// keys of their normalised forms where it had them at hand (`[0, 0]`
/// elsewhere), so that the lookups need not read the words again.
struct Sink<'a> {
    tokens: &'a mut Vec<Token>,
    keys: &'a mut Vec<[u64; 2]>,
}

/// A word [`short_word`] took.
struct ShortWord {
    len: usize,
    kind: TokenKind,
    case: Case,
    /// [`crate::vocab::hash`] of its lowercase form.
    hash: u64,
    /// Whether it has capitals (its lowercase form differs from it).
    upper: bool,
    /// `crate::vocab::key_of` its lowercase form.
    key: [u64; 2],
}

/// The word of ASCII letters and digits at `i` (whose byte must be one),
/// when it has at most fifteen bytes and what follows cannot extend it:
/// the end of the text, or an ASCII byte other than an apostrophe or a
/// period, and a comma only after a word that is no number going on
/// (`1,000`). Everything the fast path and [`push`] work out for it comes
/// from one eight-byte load, two for a word of eight bytes or more
/// ([`bytes_in`]); `None` leaves the word to them.
#[inline(always)]
fn short_word(bytes: &[u8], i: usize) -> Option<ShortWord> {
    let load = |at: usize| match bytes.get(at..at + 8) {
        Some(c) => u64::from_le_bytes(c.try_into().unwrap_or([0; 8])),
        None => crate::hash::load_short(bytes.get(at..).unwrap_or_default()),
    };
    // the capitals and small letters of a chunk (top bits), and where its
    // letters and digits stop
    let classify = |w: u64| {
        let up = bytes_in(w, b'A', b'Z');
        let low = bytes_in(w, b'a', b'z');
        let alnum = (bytes_in(w, b'0', b'9') | up | low) & !w;
        (up, low, !alnum & TOP)
    };
    let w1 = load(i);
    let (up1, low1, stop1) = classify(w1);
    if stop1 != 0 {
        // up to seven bytes, in one chunk
        let len = stop1.trailing_zeros() as usize / 8;
        let keep = (1u64 << (8 * len)) - 1;
        let (up, low) = (up1 & keep, low1 & keep);
        let digits = up | low == 0;
        if !ends_word(bytes, i + len, digits) {
            return None;
        }
        let lower = (w1 & keep) | (up >> 2);
        return Some(ShortWord {
            len,
            kind: if digits { TokenKind::Number } else { TokenKind::Word },
            case: case_of_bits(up, low, up, low),
            hash: crate::vocab::hash_one(len, lower),
            upper: up != 0,
            key: [lower, (len as u64) << 56],
        });
    }
    // eight to fifteen bytes, in two
    let w2 = load(i + 8);
    let (up2, low2, stop2) = classify(w2);
    if stop2 == 0 {
        return None;
    }
    let len = 8 + stop2.trailing_zeros() as usize / 8;
    let keep = (1u64 << (8 * (len - 8))) - 1;
    let (up2, low2) = (up2 & keep, low2 & keep);
    let (up, low) = (up1 | up2, low1 | low2);
    let digits = up | low == 0;
    if !ends_word(bytes, i + len, digits) {
        return None;
    }
    // the first letter is in the first chunk if it has one
    let (fu, fl) = if up1 | low1 != 0 { (up1, low1) } else { (up2, low2) };
    let c2 = (w2 & keep) | (up2 >> 2);
    let c1 = w1 | (up1 >> 2);
    Some(ShortWord {
        len,
        kind: if digits { TokenKind::Number } else { TokenKind::Word },
        case: case_of_bits(fu, fl, up, low),
        hash: if len == 8 {
            crate::vocab::hash_one(8, c1)
        } else {
            crate::vocab::hash_two(len, c1, c2)
        },
        upper: up != 0,
        key: [c1, c2 | (len as u64) << 56],
    })
}

/// Whether the byte at `j` (if any) ends the word before it: see
/// [`short_word`].
#[inline(always)]
fn ends_word(bytes: &[u8], j: usize, digits: bool) -> bool {
    match bytes.get(j) {
        None => true,
        Some(b'\'' | b'.' | 0x80..) => false,
        Some(b',') => {
            !(digits && bytes.get(j + 1).is_some_and(u8::is_ascii_digit))
        }
        Some(_) => true,
    }
}

/// The case of an ASCII word from the top bits of its capitals and small
/// letters: `fu` and `fl` those of the chunk with its first letter, `up`
/// and `low` those of the whole word.
#[inline(always)]
fn case_of_bits(fu: u64, fl: u64, up: u64, low: u64) -> Case {
    if up | low == 0 {
        Case::None
    } else if (fu >> (fu | fl).trailing_zeros()) & 1 == 0 {
        Case::Lower
    } else if low != 0 {
        Case::Title
    } else {
        Case::Upper
    }
}

/// The bytes of [`norm_in`], without the checks that slicing a `str`
/// makes (a token's norm span always lies on character boundaries).
#[inline]
pub(crate) fn norm_bytes_in<'a>(
    text: &'a str,
    norms: &'a str,
    t: &Token,
) -> &'a [u8] {
    let (a, b) = (t.norm.0 as usize, t.norm.1 as usize);
    let s = if t.norm_in_text { text } else { norms };
    &s.as_bytes()[a..b]
}

/// The normalised form of a token of `text`, whose other forms are in
/// `norms`.
#[inline]
pub(crate) fn norm_in<'a>(
    text: &'a str,
    norms: &'a str,
    t: &Token,
) -> &'a str {
    let s = if t.norm_in_text { text } else { norms };
    &s[t.norm.0 as usize..t.norm.1 as usize]
}

/// The top bit of every byte of a `u64`.
const TOP: u64 = 0x8080_8080_8080_8080;

/// The top bit of each byte of `w` that lies in `lo..=hi`. For bytes below
/// 0x80, adding `0x80 - c` sets a byte's top bit exactly where the byte is
/// at least `c`, with no carry between bytes; a byte of 0x80 or more gives
/// no meaningful bit and may carry into the next one.
#[inline]
fn bytes_in(w: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least = |c: u8| w.wrapping_add(ONES * u64::from(0x80 - c));
    at_least(lo) & !at_least(hi + 1) & TOP
}

/// The end of the run of ASCII letters and digits that starts at `j`, and
/// whether the run is all digits (true for an empty run): eight bytes at a
/// time ([`bytes_in`]). A byte of 0x80 or more ends the run; what it does
/// to the bytes after it does not matter, as they are past the end.
#[inline]
fn ascii_alnum_run(bytes: &[u8], mut j: usize) -> (usize, bool) {
    let mut digits = true;
    loop {
        // the next eight bytes, zero (no letter or digit) past the end
        let w = crate::hash::load_short(bytes.get(j..).unwrap_or_default());
        let digit = bytes_in(w, b'0', b'9');
        let alnum =
            (digit | bytes_in(w, b'A', b'Z') | bytes_in(w, b'a', b'z')) & !w;
        let stop = !alnum & TOP;
        if stop == 0 {
            digits &= digit == TOP;
            j += 8;
            continue;
        }
        // the top bits of the bytes before the first stop
        let before = ((stop & stop.wrapping_neg()) - 1) & TOP;
        digits &= digit & before == before;
        return (j + stop.trailing_zeros() as usize / 8, digits);
    }
}

/// The case of an all-ASCII token, the [`crate::vocab::hash`] of its
/// lowercase form, and whether it has capitals (so that its lowercase form
/// differs from it): one pass, eight bytes at a time ([`bytes_in`]).
#[inline]
fn ascii_case_hash(b: &[u8]) -> (Case, u64, bool) {
    let (mut upper, mut lower) = (false, false);
    let mut first: Option<bool> = None;
    let hash = crate::vocab::hash_chunks(b, |w| {
        let up = bytes_in(w, b'A', b'Z');
        let low = bytes_in(w, b'a', b'z');
        if first.is_none() && up | low != 0 {
            first = Some((up >> (up | low).trailing_zeros()) & 1 == 1);
        }
        upper |= up != 0;
        lower |= low != 0;
        w | (up >> 2)
    });
    let case = match first {
        None => Case::None,
        Some(false) => Case::Lower,
        Some(true) if lower => Case::Title,
        Some(true) => Case::Upper,
    };
    (case, hash, upper)
}

/// A possessive ending at `i`: an apostrophe and `s` not followed by a
/// letter, or (after a word ending in `s`) a bare apostrophe not followed
/// by a letter. Returns its end.
fn possessive_at(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let c = rest.chars().next()?;
    if !is_apostrophe(c) {
        return None;
    }
    let after = i + c.len_utf8();
    let mut it = text[after..].chars();
    match it.next() {
        Some('s' | 'S') => {
            let next = it.next();
            if next.is_none_or(|n| !n.is_alphanumeric()) {
                Some(after + 1)
            } else {
                None
            }
        }
        next => {
            let prev_s = text[..i].ends_with(['s', 'S']);
            if prev_s && next.is_none_or(|n| !n.is_alphanumeric()) {
                Some(after)
            } else {
                None
            }
        }
    }
}

/// Scans a word or number starting at `i` with first char `c` of cluster
/// length `glen`. Returns its end and kind.
fn scan_word(
    text: &str,
    i: usize,
    c: char,
    glen: usize,
) -> (usize, TokenKind) {
    let len = text.len();
    let mut j = i + glen;
    let mut all_digits = c.is_numeric();
    let mut letters = usize::from(c.is_alphabetic());
    while j < len {
        let (d, dl) = grapheme_at(text, j);
        if d.is_alphanumeric() {
            all_digits &= d.is_numeric();
            letters += usize::from(d.is_alphabetic());
            j += dl;
            continue;
        }
        let next = text[j + dl.min(len - j)..].chars().next();
        if is_apostrophe(d) && next.is_some_and(|n| n.is_alphanumeric()) {
            // "Afghanistan's" splits; "don't", "O'Brien", "d'Ivoire" stay.
            if possessive_at(text, j).is_some() {
                break;
            }
            j += dl;
            continue;
        }
        if all_digits
            && (d == '.' || d == ',')
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            j += dl;
            continue;
        }
        break;
    }
    word_end(text, i, j, c, letters, all_digits)
}

/// The end and kind of a word or number whose letters and digits run
/// from `i` (first char `c`) to `j`: a number, a word, or an abbreviation
/// that takes the period at `j`.
fn word_end(
    text: &str,
    i: usize,
    j: usize,
    c: char,
    letters: usize,
    all_digits: bool,
) -> (usize, TokenKind) {
    if all_digits {
        return (j, TokenKind::Number);
    }
    // Abbreviations keep their period.
    if text[j..].starts_with('.') {
        let word = &text[i..j];
        if letters == j - i && letters <= 2 {
            if let Some(end) = letter_chain(text, i) {
                return (end, TokenKind::Abbreviation);
            }
        }
        let single_capital = letters == 1 && c.is_uppercase();
        let numbered = matches!(word, "No" | "Nos")
            && text[j + 1..]
                .trim_start()
                .starts_with(|d: char| d.is_ascii_digit());
        if single_capital || numbered || is_listed_abbreviation(word) {
            return (j + 1, TokenKind::Abbreviation);
        }
    }
    (j, TokenKind::Word)
}

/// The most segments a letter chain has (`U.S.A.` has three); a longer
/// run of `a.b.c.` is no abbreviation, and the bound keeps the scan, which
/// restarts at every token of such a run, linear.
const MAX_CHAIN: usize = 6;

/// `U.S.`, `U.N.`, `e.g.`, `a.m.`: two to six segments of one or two
/// letters, each followed by a period. Returns the end of the chain.
fn letter_chain(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = i;
    let mut segments = 0;
    while segments <= MAX_CHAIN {
        let seg_start = j;
        while j < b.len() && b[j].is_ascii_alphabetic() && j - seg_start < 3 {
            j += 1;
        }
        let n = j - seg_start;
        if n == 0 || n > 2 || b.get(j) != Some(&b'.') {
            j = seg_start;
            break;
        }
        j += 1;
        segments += 1;
    }
    // The chain must not run into a longer word ("U.Sanctions").
    let ends = b.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
    if (2..=MAX_CHAIN).contains(&segments) && ends {
        Some(j)
    } else {
        None
    }
}

fn case_of(s: &str) -> Case {
    let mut first: Option<bool> = None;
    let mut has_lower = false;
    let mut has_upper = false;
    for ch in s.chars() {
        let (l, u) = (ch.is_lowercase(), ch.is_uppercase());
        if first.is_none() && (l || u) {
            first = Some(u);
        }
        has_lower |= l;
        has_upper |= u;
    }
    match first {
        None => Case::None,
        Some(false) => Case::Lower,
        Some(true) if has_lower => Case::Title,
        Some(true) => {
            debug_assert!(has_upper);
            Case::Upper
        }
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Latin letters with diacritics, folded to ASCII (input is lowercase).
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ə' => {
            "e"
        }
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' => {
            "o"
        }
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

/// Appends the normalised form of `s` to `out`: lowercase, Latin
/// diacritics removed, combining marks dropped, curly quotes straightened,
/// Unicode hyphens made `-`.
pub(crate) fn normalize_into(s: &str, out: &mut String) {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            '’' | '‘' | 'ʼ' | '′' | '`' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            '\u{2010}' | '\u{2011}' => out.push('-'),
            _ => {
                for l in c.to_lowercase() {
                    if is_combining(l) {
                        continue;
                    }
                    match fold_latin(l) {
                        Some(f) => out.push_str(f),
                        None => out.push(l),
                    }
                }
            }
        }
    }
}

/// Words of share-button lines; the first `SHARE_STRONG` of them are the
/// ones that only such lines hold.
#[rustfmt::skip]
const SHARE_WORDS: &[&str] = &[
    "icon", "facebook", "twitter", "whatsapp", "linkedin", "pinterest",
    "reddit", "telegram", "share", "tweet",
    "email", "e", "mail", "print", "copy", "link", "messenger", "sms", "x",
    "this", "article", "on", "via", "comments", "comment", "save", "google",
    "flipboard", "shares",
];
const SHARE_STRONG: usize = 10;
#[rustfmt::skip]
const MONTHS_DAYS: &[&str] = &[
    // months: the first 24
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "january", "february", "march", "april", "june",
    "july", "august", "september", "october", "november", "december",
    // days
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday",
];
const MONTHS: usize = 24;

/// Whether a normalised word names a month, in full or abbreviated, with
/// or without its period (`august`, `aug`, `sept.`).
pub(crate) fn is_month(norm: &str) -> bool {
    MONTHS_DAYS[..MONTHS].contains(&norm.trim_end_matches('.'))
}

/// Whether a word names a month or a day of the week, in full or
/// abbreviated, in any case (`August`, `Sept.`, `fri`).
///
/// ```
/// assert!(entente::tokenize::is_calendar_word("Sept."));
/// assert!(entente::tokenize::is_calendar_word("FRIDAY"));
/// assert!(!entente::tokenize::is_calendar_word("Kabul"));
/// ```
pub fn is_calendar_word(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS_DAYS.contains(&w.as_str())
}
#[rustfmt::skip]
const DATE_FILLERS: &[&str] = &[
    "updated", "published", "posted", "last", "am", "pm", "a.m.", "p.m.",
    "gmt", "utc", "edt", "est", "bst", "ist", "cet", "on", "at", "th", "st",
    "nd", "rd", "ist", "msk", "local", "time",
];

/// The normalised form of `s`, as a new string.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// Line classes, for boilerplate and headings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineClass {
    Text,
    Boilerplate,
}

fn classify_line(toks: &[Token], text: &str, norms: &str) -> LineClass {
    let norm = |t: &Token| norm_in(text, norms, t);
    let words = || {
        toks.iter().filter(|t| {
            !matches!(t.kind, TokenKind::Punct | TokenKind::Symbol)
        })
    };
    // Share-button text: only share words, at least one strong one.
    let all_share = words().all(|t| {
        let n = norm(t).trim_end_matches('.');
        SHARE_WORDS.contains(&n)
    });
    if all_share
        && words().any(|t| SHARE_WORDS[..SHARE_STRONG].contains(&norm(t)))
    {
        return LineClass::Boilerplate;
    }
    // A bare date line: numbers, month and day names, fillers.
    if toks.len() <= 16 {
        let mut number = false;
        let mut calendar = false;
        let mut slashes = 0;
        let all_date = toks.iter().all(|t| {
            let n = norm(t).trim_end_matches('.');
            match t.kind {
                TokenKind::Number => {
                    number = true;
                    true
                }
                TokenKind::Punct | TokenKind::Symbol => {
                    slashes += usize::from(n == "/");
                    matches!(
                        n,
                        "," | ":" | "/" | "-" | "|" | "(" | ")" | "." | ""
                    )
                }
                _ => {
                    if MONTHS_DAYS.contains(&n) {
                        calendar = true;
                        true
                    } else {
                        DATE_FILLERS.contains(&n)
                            || n.strip_suffix(['h', 'd', 't']).is_some_and(
                                |d| d.ends_with(['s', 'n', 'r', 't']),
                            ) && n.starts_with(|c: char| c.is_ascii_digit())
                    }
                }
            }
        });
        if all_date && number && (calendar || slashes >= 2) {
            return LineClass::Boilerplate;
        }
    }
    LineClass::Text
}

/// Whether a line (without final punctuation) looks like a heading: short,
/// and most of its longer words capitalised.
fn is_heading(toks: &[Token], text: &str) -> bool {
    let Some(last) = toks.last() else { return false };
    let last_text = &text[last.span];
    if matches!(last_text, "." | "!" | "?" | "…" | "," | ";" | ":" | "-") {
        return false;
    }
    // words; those longer than three bytes; those of them capitalised
    let (mut words, mut long, mut caps) = (0, 0, 0);
    for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
        words += 1;
        if t.span.len() > 3 {
            long += 1;
            caps += usize::from(t.case.is_capitalised());
        }
    }
    if words == 0 || words > 20 {
        return false;
    }
    long == 0 || caps * 10 >= long * 6
}

/// Finds a dateline at the start of a paragraph (`toks` starts there):
/// returns the number of tokens it spans, including its `:` or dash.
fn dateline_len(toks: &[Token], text: &str) -> Option<usize> {
    let first = toks.first()?;
    if !(first.kind == TokenKind::Word && first.case.is_capitalised()) {
        return None;
    }
    let mut in_paren = false;
    for (k, t) in toks.iter().enumerate().take(14) {
        if k > 0 && t.newlines_before > 0 {
            return None;
        }
        let s = &text[t.span];
        if in_paren {
            in_paren = s != ")";
            continue;
        }
        let ok = match t.kind {
            TokenKind::Word | TokenKind::Abbreviation => {
                t.case.is_capitalised()
                    || k > 0 && toks[k - 1].kind == TokenKind::Number
            }
            TokenKind::Number => k > 0,
            TokenKind::Punct => match s {
                "," | "." | "/" => k > 0,
                "(" => {
                    in_paren = true;
                    k > 0
                }
                ":" | "-" | "–" | "—" => {
                    let colon_ok = s != ":" || !t.space_before;
                    let next = toks.get(k + 1)?;
                    let opens = next.case.is_capitalised()
                        || matches!(&text[next.span], "\"" | "“" | "'");
                    return (k > 0
                        && colon_ok
                        && next.space_before
                        && next.newlines_before == 0
                        && opens)
                        .then_some(k + 1);
                }
                _ => false,
            },
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    None
}

fn is_sentence_final(s: &str) -> bool {
    matches!(s, "." | "!" | "?" | "…" | "‼" | "⁇")
}

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn is_opener(s: &str) -> bool {
    matches!(s, "\"" | "“" | "‘" | "'" | "(" | "[" | "«" | "¿" | "¡")
}

/// Groups tokens into sentences (pushed to `sentences`) and sets each
/// token's `sentence`; `marks` is scratch space.
fn segment(
    text: &str,
    tokens: &mut [Token],
    norms: &str,
    sentences: &mut Vec<Sentence>,
    marks: &mut Vec<(bool, SentenceKind)>,
) {
    let n = tokens.len();
    if n == 0 {
        return;
    }
    marks.clear();
    marks.resize(n, (false, SentenceKind::Text));
    marks[0].0 = true;

    // Lines: boilerplate lines are sentences of their own; headings followed
    // by a single newline end there; paragraphs always start a sentence.
    let mut line_start = 0;
    let mut prev_boiler = false;
    while line_start < n {
        let mut line_end = line_start + 1;
        while line_end < n && tokens[line_end].newlines_before == 0 {
            line_end += 1;
        }
        let line = &tokens[line_start..line_end];
        let paragraph =
            line_start == 0 || tokens[line_start].newlines_before >= 2;
        let boiler =
            classify_line(line, text, norms) == LineClass::Boilerplate;
        if boiler || prev_boiler || paragraph {
            marks[line_start].0 = true;
        }
        if boiler {
            marks[line_start].1 = SentenceKind::Boilerplate;
        } else if paragraph {
            if let Some(k) = dateline_len(line, text) {
                marks[line_start].1 = SentenceKind::Dateline;
                marks[line_start + k].0 = true;
            }
        }
        if !boiler && line_end < n {
            let para_end = tokens[line_end].newlines_before >= 2;
            let heading = is_heading(line, text);
            let next_lower = tokens[line_end].case == Case::Lower;
            if heading && (para_end || !next_lower) {
                marks[line_end].0 = true;
                if marks[line_start].0
                    && marks[line_start].1 == SentenceKind::Text
                {
                    marks[line_start].1 = SentenceKind::Heading;
                }
            }
        }
        prev_boiler = boiler;
        line_start = line_end;
    }

    // Final punctuation, with closing quotes and brackets kept before it.
    for i in 0..n {
        let t = &tokens[i];
        let ends = match t.kind {
            TokenKind::Punct => is_sentence_final(&text[t.span]),
            TokenKind::Abbreviation => {
                let word = text[t.span].trim_end_matches('.');
                let next = tokens.get(i + 1).map(|n| &text[n.span]);
                let next_opens = next.is_some_and(|w| {
                    SENTENCE_OPENERS.contains(&w.trim_end_matches('.'))
                });
                if FINAL_ABBREVIATIONS.contains(&word) {
                    next_opens
                        || word == "etc"
                            && next.is_some_and(|w| {
                                w.starts_with(char::is_uppercase)
                            })
                } else {
                    // letter chains such as U.S. or a.m.
                    word.contains('.') && next_opens
                }
            }
            _ => false,
        };
        if !ends {
            continue;
        }
        let mut j = i + 1;
        while j < n
            && !tokens[j].space_before
            && is_closer(&text[tokens[j].span])
        {
            j += 1;
        }
        let Some(next) = tokens.get(j) else { continue };
        if !next.space_before {
            continue;
        }
        let ns = &text[next.span];
        let opens = next.case.is_capitalised()
            || next.case == Case::None && next.kind != TokenKind::Punct
            || is_opener(ns);
        if opens {
            marks[j].0 = true;
        }
    }

    let mut s0 = 0;
    for i in 1..=n {
        if i == n || marks[i].0 {
            let idx = sentences.len();
            for t in &mut tokens[s0..i] {
                t.sentence = idx;
            }
            sentences.push(Sentence {
                span: Span::new(tokens[s0].span.start, tokens[i - 1].span.end),
                tokens: s0..i,
                kind: marks[s0].1,
            });
            s0 = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let t = Tokenizer::new().tokenize(text);
        t.tokens().iter().map(|x| &text[x.span]).collect()
    }

    fn sents(text: &str) -> Vec<(&str, SentenceKind)> {
        let t = Tokenizer::new().tokenize(text);
        t.sentences().iter().map(|s| (&text[s.span], s.kind)).collect()
    }

    /// (text, tokens expected)
    const TOKEN_CASES: &[(&str, &[&str])] = &[
        ("", &[]),
        ("   \n\t ", &[]),
        ("Russia pledged aid.", &["Russia", "pledged", "aid", "."]),
        ("the U.S. and U.N. said", &["the", "U.S.", "and", "U.N.", "said"]),
        ("U.S.-led forces", &["U.S.", "-", "led", "forces"]),
        ("US-led Taliban-led", &["US", "-", "led", "Taliban", "-", "led"]),
        (
            "Western-backed Soviet-era",
            &["Western", "-", "backed", "Soviet", "-", "era"],
        ),
        ("Gen. Smith met Sept. 5", &["Gen.", "Smith", "met", "Sept.", "5"]),
        ("J. Smith", &["J.", "Smith"]),
        ("Afghanistan’s government", &["Afghanistan", "’s", "government"]),
        ("Afghanistan's", &["Afghanistan", "'s"]),
        ("the countries' leaders", &["the", "countries", "'", "leaders"]),
        (
            "don't O'Brien Côte d’Ivoire",
            &["don't", "O'Brien", "Côte", "d’Ivoire"],
        ),
        ("3.5 percent of 1,000,000", &["3.5", "percent", "of", "1,000,000"]),
        ("in 2021.", &["in", "2021", "."]),
        ("“Complete failure”", &["“", "Complete", "failure", "”"]),
        ("10€ and 5 €", &["10", "€", "and", "5", "€"]),
        ("café naïve", &["café", "naïve"]),
        ("cafe\u{301} x", &["cafe\u{301}", "x"]),
        ("hi 👍🏽 there", &["hi", "👍🏽", "there"]),
        ("family 👨‍👩‍👧 ok", &["family", "👨‍👩‍👧", "ok"]),
        ("a\r\nb", &["a", "b"]),
        ("Kyiv\u{200B}Kharkiv", &["Kyiv", "Kharkiv"]),
        ("Rus\u{200E}sia", &["Rus", "sia"]),
        ("G7 and G-20", &["G7", "and", "G", "-", "20"]),
        ("e.g. this", &["e.g.", "this"]),
        // a run longer than six segments is not one abbreviation
        (
            "U.S.A. and a.b.c.d.e.f.g.",
            &["U.S.A.", "and", "a", ".", "b.c.d.e.f.g."],
        ),
        ("No. 10 and no. 5", &["No.", "10", "and", "no", ".", "5"]),
        ("Москва и Киев", &["Москва", "и", "Киев"]),
    ];

    #[test]
    fn abbreviation_keys_agree_with_the_lists() {
        for w in TITLE_ABBREVIATIONS.iter().chain(FINAL_ABBREVIATIONS) {
            assert!(is_listed_abbreviation(w), "{w}");
        }
        // near misses: case, length, a prefix, a longer word, a NUL byte
        for w in [
            "gen",
            "GEN",
            "Ge",
            "Gene",
            "General",
            "Sep\0",
            "",
            "Co.",
            "Messrsx",
            "Messrs\0\0",
        ] {
            assert!(!is_listed_abbreviation(w), "{w:?}");
        }
    }

    #[test]
    fn tokens_table() {
        for (text, want) in TOKEN_CASES {
            assert_eq!(&toks(text), want, "text: {text:?}");
        }
    }

    /// The ASCII fast path gives the tokens, forms and sentences of the
    /// general path, on the table and on generated mixes of the characters
    /// where the two paths part (apostrophes, periods, commas, digits,
    /// non-ASCII letters and marks right after ASCII ones).
    #[test]
    fn fast_path_agrees_with_general_path() {
        let t = Tokenizer::new();
        let same = |text: &str| {
            let (a, b) =
                (t.tokenize_with(text, true), t.tokenize_with(text, false));
            let view = |x: &Tokens<'_>| {
                x.tokens()
                    .iter()
                    .map(|k| {
                        (
                            k.span,
                            k.kind,
                            k.case,
                            k.space_before,
                            k.newlines_before,
                            k.hash,
                            x.norm(k).to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(view(&a), view(&b), "{text:?}");
            // a key the scan gave a token is the vocabulary's key of its
            // normalised form
            assert_eq!(a.keys().len(), a.tokens().len());
            for (t, k) in a.tokens().iter().zip(a.keys()) {
                if k[1] != 0 {
                    let want = crate::vocab::key_of(a.norm_bytes(t));
                    assert_eq!(Some(*k), want, "{text:?}: {:?}", a.norm(t));
                }
            }
            let sents = |x: &Tokens<'_>| {
                x.sentences()
                    .iter()
                    .map(|s| (s.span, s.kind))
                    .collect::<Vec<_>>()
            };
            assert_eq!(sents(&a), sents(&b), "{text:?}");
        };
        for (text, _) in TOKEN_CASES {
            same(text);
        }
        const PIECES: &[&str] = &[
            "US",
            "U.S.",
            "Gen.",
            "No.",
            "3",
            "3.5",
            "1,000",
            "don't",
            "O'Brien",
            "Iran's",
            "Iran\u{2019}s",
            "Jones'",
            "e\u{301}",
            "caf\u{e9}",
            "Caf\u{c9}",
            "a",
            "Bb",
            "CC",
            "x2",
            "2x",
            ".",
            ",",
            "'",
            "\u{2019}",
            "-",
            " ",
            "\n",
            "\n\n",
            "\t",
            "\u{200b}",
            "\u{202e}",
            "\0",
            "!",
            "(",
            "\u{1f600}",
            "St.",
            "i.e.",
            "Dr",
            "Mr.",
            "ABC.",
            "Ltd.",
            "Sept.",
            "7.",
            ";",
            "Kabulis",
            "Kandahar",
            "AFGHANS",
            "Afghanistan",
            "1234567",
            "12345678",
            "a1b2c3",
            "x",
            "0",
            "'s",
            "internationally",
            "Internationalist",
            "GOVERNMENTS",
            "123456789012",
            "12345678abc",
            "12345678ABC",
            "Ab3456789012345",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let k = 1 + next(12);
            let text: String =
                (0..k).map(|_| PIECES[next(PIECES.len())]).collect();
            same(&text);
        }
    }

    #[test]
    fn ascii_alnum_runs_eight_bytes_at_a_time() {
        let plain = |b: &[u8], j: usize| {
            let end = j + b[j..]
                .iter()
                .take_while(|x| x.is_ascii_alphanumeric())
                .count();
            (end, b[j..end].iter().all(u8::is_ascii_digit))
        };
        for s in [
            "",
            "a",
            "Kabul ",
            "1234567",
            "12345678",
            "123456789,5",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "Zürich",
            "abcdefg\u{e9}",
            "NATO's",
            "z{",
            "Z[",
            "9:",
            "0/",
            "@A`a",
            "abc\u{2019}s",
            "x\u{80}",
            "12ab34",
            "a1",
            "1a",
        ] {
            let b = s.as_bytes();
            for j in 0..=b.len() {
                assert_eq!(ascii_alnum_run(b, j), plain(b, j), "{s:?} at {j}");
            }
        }
    }

    #[test]
    fn ascii_case_and_hash_in_one_pass() {
        // words around the eight-byte chunk edges, every case, digits and
        // the bytes next to the letter ranges (`@`, `[`, backquote, `{`)
        let words = [
            "",
            "a",
            "A",
            "7",
            "G7",
            "iPhone",
            "McDonald",
            "NATO",
            "nato",
            "Kabul",
            "abcdefgh",
            "ABCDEFGH",
            "Abcdefgh",
            "abcdefghI",
            "ABCDEFGHi",
            "12345678a",
            "12345678A",
            "1234567890123456Z",
            "@[`{",
            "Z@",
            "z{",
            "x-Ray",
            "ThisIsALongerWordThanSixteen",
        ];
        for w in words {
            let (case, hash, upper) = ascii_case_hash(w.as_bytes());
            assert_eq!(case, case_of(w), "{w:?}");
            assert_eq!(hash, crate::vocab::hash(&normalize(w)), "{w:?}");
            assert_eq!(upper, w.bytes().any(|b| b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn spans_are_char_boundaries_and_exact() {
        for (text, _) in TOKEN_CASES {
            let t = Tokenizer::new().tokenize(text);
            for tok in t.tokens() {
                assert!(text.is_char_boundary(tok.span.start));
                assert!(text.is_char_boundary(tok.span.end));
                assert!(tok.span.start < tok.span.end, "{text:?}");
            }
        }
    }

    #[test]
    fn normalised_forms() {
        // (text, norm of its last token)
        let cases: &[(&str, &str)] = &[
            ("Afghanistan", "afghanistan"),
            ("Côte", "cote"),
            ("d’Ivoire", "d'ivoire"),
            ("ERDOĞAN", "erdogan"),
            ("cafe\u{301}", "cafe"),
            ("Straße", "strasse"),
            ("İstanbul", "istanbul"),
            ("U.S.", "u.s."),
            ("Kabul’s", "'s"),
            ("Москва", "москва"),
        ];
        for (text, want) in cases {
            let t = Tokenizer::new().tokenize(text);
            let last = t.tokens().last().unwrap();
            assert_eq!(t.norm(last), *want, "{text:?}");
        }
    }

    #[test]
    fn kinds_and_case() {
        let text = "NATO’s Kabul u.s. 12 ok";
        let t = Tokenizer::new().tokenize(text);
        let got: Vec<(TokenKind, Case)> =
            t.tokens().iter().map(|x| (x.kind, x.case)).collect();
        assert_eq!(
            got,
            vec![
                (TokenKind::Word, Case::Upper),
                (TokenKind::Possessive, Case::Lower),
                (TokenKind::Word, Case::Title),
                (TokenKind::Abbreviation, Case::Lower),
                (TokenKind::Number, Case::None),
                (TokenKind::Word, Case::Lower),
            ]
        );
    }

    #[test]
    fn sentences_table() {
        use SentenceKind::*;
        let cases: &[(&str, &[(&str, SentenceKind)])] = &[
            ("One. Two!", &[("One.", Text), ("Two!", Text)]),
            (
                "Gen. Smith met J. Doe. They left.",
                &[("Gen. Smith met J. Doe.", Text), ("They left.", Text)],
            ),
            ("It rose 3.5 percent. Then fell.", &[("It rose 3.5 percent.", Text), ("Then fell.", Text)]),
            (
                "troops left the U.S. The talks ended.",
                &[("troops left the U.S.", Text), ("The talks ended.", Text)],
            ),
            ("the U.S. Army said", &[("the U.S. Army said", Text)]),
            (
                "He said: “We won.” Then he left.",
                &[("He said: “We won.”", Text), ("Then he left.", Text)],
            ),
            ("e.g. the bill", &[("e.g. the bill", Text)]),
            (
                "Moscow: Russia has pledged aid.",
                &[("Moscow:", Dateline), ("Russia has pledged aid.", Text)],
            ),
            (
                "KABUL, Sept 29 (Reuters) - The Taliban said.",
                &[("KABUL, Sept 29 (Reuters) -", Dateline), ("The Taliban said.", Text)],
            ),
            (
                "Big Talks Open in Kazan\n\nFri Sep 29 2023\nicon-facebook icon-twitter icon-whatsapp\n\nRussia said so.",
                &[
                    ("Big Talks Open in Kazan", Heading),
                    ("Fri Sep 29 2023", Boilerplate),
                    ("icon-facebook icon-twitter icon-whatsapp", Boilerplate),
                    ("Russia said so.", Text),
                ],
            ),
            (
                "Updated: 29/09/2023 10:15 GMT\nThe vote was held.",
                &[("Updated: 29/09/2023 10:15 GMT", Boilerplate), ("The vote was held.", Text)],
            ),
            (
                "BAHIA COCOA REVIEW\nShowers continued in\nthe Bahia zone.",
                &[("BAHIA COCOA REVIEW", Heading), ("Showers continued in\nthe Bahia zone.", Text)],
            ),
            ("a line\r\n\r\nanother line", &[("a line", Text), ("another line", Text)]),
        ];
        for (text, want) in cases {
            assert_eq!(&sents(text), want, "text: {text:?}");
        }
    }

    #[test]
    fn share_words_in_prose_are_not_boilerplate() {
        let s = sents("Share prices rose on Twitter news.");
        assert_eq!(
            s,
            vec![("Share prices rose on Twitter news.", SentenceKind::Text)]
        );
    }

    #[test]
    fn every_token_in_exactly_one_sentence() {
        let text = "A b. C d\n\nE f: G h. icon-facebook\n1 Jan 2020";
        let t = Tokenizer::new().tokenize(text);
        let mut next = 0;
        for (i, s) in t.sentences().iter().enumerate() {
            assert_eq!(s.tokens.start, next);
            next = s.tokens.end;
            for tok in &t.tokens()[s.tokens.clone()] {
                assert_eq!(tok.sentence, i);
            }
        }
        assert_eq!(next, t.tokens().len());
    }
}
