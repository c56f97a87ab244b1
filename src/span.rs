use std::ops::{Index, Range};

use serde::Serialize;

/// A half-open range of _byte offsets_ into a text: `start` is inclusive,
/// `end` is exclusive.
///
/// Every span that entente hands out lies on UTF-8 character boundaries of
/// the text it was computed from, so `&text[span]` never panics on it.
///
/// # Example
///
/// ```
/// use entente::Span;
///
/// let text = "Kabul’s airport";
/// let span = Span::new(0, 5);
/// assert_eq!(&text[span], "Kabul");
/// assert_eq!(span.len(), 5);
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
)]
pub struct Span {
    /// The first byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// Creates a span.
    ///
    /// # Panics
    ///
    /// When `start > end`: such a span is a bug in the caller.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} is after its end {end}");
        Span { start, end }
    }

    /// The number of bytes in the span.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span as a `Range`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl Index<Span> for str {
    type Output = str;

    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}
