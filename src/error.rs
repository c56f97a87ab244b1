use std::fmt;

/// Where a diagnostic points: a file, a 1-based line, a 1-based column
/// counted in characters, and the byte offset into the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file's path as it was given (embedded files use their path in
    /// the repository, such as `gazetteers/countries.gaz`).
    pub path: String,
    /// The line, starting at 1.
    pub line: usize,
    /// The column in characters, starting at 1.
    pub column: usize,
    /// The byte offset into the file.
    pub offset: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// What kind of problem a [`Diagnostic`] reports.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// A file could not be read, or was not UTF-8.
    Io,
    /// A line is not of the expected form.
    Syntax,
    /// A reference (a role's `of`, a rule's slot type) names nothing known.
    UnknownReference,
    /// An id is defined twice; [`Diagnostic::related`] points at the first.
    Duplicate,
    /// A documented limit was exceeded.
    Limit,
}

/// One problem in a gazetteer or rule file, with its location.
///
/// Its `Display` form is `path:line:col: message`, then the offending line
/// and a caret under the column:
///
/// ```text
/// my.gaz:3:9: unknown label "CITY": expected one of PERSON, NORP, ...
///     x.paris | CITY | city | FRA | Paris
///               ^
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is.
    pub kind: DiagnosticKind,
    /// Where it is.
    pub location: Location,
    /// What was found and what was expected; lowercase, no final period.
    pub message: String,
    /// The text of the offending line, without its line ending.
    pub source_line: String,
    /// A second place that the problem involves, such as the first
    /// definition of a duplicate id.
    pub related: Option<Location>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if !self.source_line.is_empty() {
            let line = self.source_line.replace('\t', " ");
            let pad = self.location.column.saturating_sub(1);
            write!(f, "\n    {line}\n    {}^", " ".repeat(pad))?;
        }
        if let Some(ref rel) = self.related {
            write!(f, "\n    note: first defined at {rel}")?;
        }
        Ok(())
    }
}

/// The error returned when building an extractor fails: every diagnostic
/// found in every file, never just the first.
///
/// ```
/// let err = entente::Extractor::builder()
///     .embedded(false)
///     .gazetteer_str("mine.gaz", "x | GPE | city\ny | BAD | city | - | Y\n")
///     .build()
///     .unwrap_err();
/// assert_eq!(err.diagnostics().len(), 2);
/// assert!(err.to_string().starts_with("mine.gaz:1:"));
/// ```
#[derive(Clone, Debug)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>) -> Error {
        debug_assert!(!diagnostics.is_empty());
        Error { diagnostics }
    }

    /// All diagnostics, in file order; never empty.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Builds [`Location`]s for byte offsets of one file's text.
pub(crate) struct LineIndex<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
}

impl<'a> LineIndex<'a> {
    /// A diagnostic at `offset`, which must lie within the line that starts
    /// at `line_start` (the 1-based number `line`).
    pub(crate) fn diag(
        &self,
        kind: DiagnosticKind,
        line: usize,
        line_start: usize,
        offset: usize,
        message: String,
    ) -> Diagnostic {
        let rest = &self.text[line_start..];
        let line_end =
            rest.find('\n').map_or(self.text.len(), |i| line_start + i);
        let offset = offset.clamp(line_start, line_end);
        let column = self.text[line_start..offset].chars().count() + 1;
        Diagnostic {
            kind,
            location: Location {
                path: self.path.to_string(),
                line,
                column,
                offset,
            },
            message,
            source_line: self.text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            related: None,
        }
    }
}
