/*!
The gazetteer line format (documented in `gazetteers/README.md`):

```text
id | label | kind | country | name | aliases | roles
```

Every bad line gives a [`Diagnostic`] with its file, line and column, and
parsing goes on with the next line, so one run reports every problem.
*/

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Diagnostic, DiagnosticKind, LineIndex};
use crate::gazetteer::{is_code, Alias, CasePolicy, Date, Entry, Label, Role};
use crate::hash::FxBuildHasher;

/// The most tokens an alias may have (checked when the matcher is built,
/// which tokenises every alias anyway).
pub(crate) const MAX_ALIAS_TOKENS: usize = 32;

pub(crate) struct Parsed {
    pub(crate) entries: Vec<Entry>,
    /// Per entry: byte offset of its line and of its roles field.
    pub(crate) offsets: Vec<(u32, u32)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// A field of a line: its text, trimmed, and the byte offset of that text
/// in the file.
#[derive(Clone, Copy)]
struct Field<'a> {
    text: &'a str,
    at: usize,
}

fn fields(line: &str, line_start: usize) -> Vec<Field<'_>> {
    let mut out = Vec::with_capacity(7);
    let mut pos = 0;
    for raw in line.split('|') {
        let lead = raw.len() - raw.trim_start().len();
        out.push(Field { text: raw.trim(), at: line_start + pos + lead });
        pos += raw.len() + 1;
    }
    out
}

/// Parses a file, appending to `out` (whose vectors may hold earlier
/// files' entries: filling them in place keeps one copy of a million
/// entries in memory, not two).
pub(crate) fn parse(
    path: &str,
    text: &str,
    file: u32,
    kinds: &mut HashMap<Box<str>, Arc<str>, FxBuildHasher>,
    out: &mut Parsed,
) {
    let idx = LineIndex { path, text };
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    out.entries.reserve(lines);
    out.offsets.reserve(lines);
    let mut line_start = 0;
    for (n, raw_line) in text.split('\n').enumerate() {
        let start = line_start;
        line_start += raw_line.len() + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lineno = n + 1;
        let mut errs = Vec::new();
        let mut err = |at: usize, kind: DiagnosticKind, msg: String| {
            errs.push(idx.diag(kind, lineno, start, at, msg));
        };
        let f = fields(line, start);
        if f.len() < 5 {
            err(
                start + line.trim_end().len(),
                DiagnosticKind::Syntax,
                format!(
                    "expected 5 to 7 fields separated by '|' \
                     (id | label | kind | country | name | aliases | roles), \
                     found {}",
                    f.len()
                ),
            );
            out.diagnostics.append(&mut errs);
            continue;
        }
        if f.len() > 7 {
            err(
                f[7].at.saturating_sub(1),
                DiagnosticKind::Syntax,
                "unexpected '|': an entry has at most 7 fields \
                 (id | label | kind | country | name | aliases | roles)"
                    .to_string(),
            );
        }
        let id = f[0];
        if id.text.is_empty() {
            err(id.at, DiagnosticKind::Syntax, "expected an id".into());
        } else if let Some(p) = id.text.find(|c: char| {
            !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
        }) {
            err(
                id.at + p,
                DiagnosticKind::Syntax,
                format!(
                    "invalid character in id \"{}\": expected ASCII letters, \
                     digits, '.', '_', '-' or ':'",
                    id.text
                ),
            );
        }
        let label = Label::from_name(f[1].text);
        if label.is_none() {
            let all: Vec<&str> =
                Label::ALL.iter().map(|l| l.as_str()).collect();
            err(
                f[1].at,
                DiagnosticKind::Syntax,
                format!(
                    "unknown label \"{}\": expected one of {}",
                    f[1].text,
                    all.join(", ")
                ),
            );
        }
        let kind = f[2].text;
        if kind.is_empty()
            || !kind.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
            })
        {
            err(
                f[2].at,
                DiagnosticKind::Syntax,
                format!(
                    "invalid kind \"{kind}\": expected lowercase letters, \
                     digits and '_' (country, city, official, igo, ...)"
                ),
            );
        }
        let country = f[3].text;
        if country != "-" && !is_code(country) {
            err(
                f[3].at,
                DiagnosticKind::Syntax,
                format!(
                    "invalid country \"{country}\": expected an ISO 3166-1 \
                     alpha-3 code or group code (three capital letters), \
                     or '-'"
                ),
            );
        }
        let name = parse_alias(f[4], &mut err);
        if f[4].text.is_empty() {
            err(f[4].at, DiagnosticKind::Syntax, "expected a name".into());
        }
        let mut aliases = Vec::new();
        if let Some(a) = f.get(5) {
            let mut pos = a.at;
            let parts: Vec<&str> = a.text.split(';').collect();
            for (k, part) in parts.iter().enumerate() {
                let lead = part.len() - part.trim_start().len();
                let field = Field { text: part.trim(), at: pos + lead };
                pos += part.len() + 1;
                if field.text.is_empty() {
                    // a trailing ';' is allowed, an empty alias is not
                    if k + 1 < parts.len() {
                        err(
                            field.at,
                            DiagnosticKind::Syntax,
                            "empty alias: expected text between ';'".into(),
                        );
                    }
                    continue;
                }
                if let Some(alias) = parse_alias(field, &mut err) {
                    aliases.push(alias);
                }
            }
        }
        let mut roles = Vec::new();
        let roles_at = f.get(6).map_or(start, |r| r.at);
        if let Some(r) = f.get(6) {
            let mut pos = r.at;
            for part in r.text.split(';') {
                let lead = part.len() - part.trim_start().len();
                let field = Field { text: part.trim(), at: pos + lead };
                pos += part.len() + 1;
                if field.text.is_empty() {
                    continue;
                }
                if let Some(role) = parse_role(field, &mut err) {
                    roles.push(role);
                }
            }
        }
        if !errs.is_empty() {
            out.diagnostics.append(&mut errs);
            continue;
        }
        let (Some(label), Some(name)) = (label, name) else { continue };
        let kind = match kinds.get(kind) {
            Some(k) => k.clone(),
            None => {
                let k: Arc<str> = Arc::from(kind);
                kinds.insert(kind.into(), k.clone());
                k
            }
        };
        // Drop aliases that repeat the name or another alias exactly.
        let mut seen: Vec<&Alias> = vec![&name];
        let mut uniq = Vec::with_capacity(aliases.len());
        for a in &aliases {
            if !seen.contains(&a) {
                seen.push(a);
                uniq.push(a.clone());
            }
        }
        out.entries.push(Entry {
            id: id.text.into(),
            label,
            kind,
            country: (country != "-").then(|| {
                let b = country.as_bytes();
                [b[0], b[1], b[2]]
            }),
            name,
            aliases: uniq.into_boxed_slice(),
            roles: roles.into_boxed_slice(),
            file,
            line: lineno as u32,
        });
        out.offsets.push((start as u32, roles_at as u32));
    }
}

/// An alias with its optional case prefix (`=`, `?`, `~`).
fn parse_alias(
    f: Field<'_>,
    err: &mut impl FnMut(usize, DiagnosticKind, String),
) -> Option<Alias> {
    let (explicit, text) = match f.text.as_bytes().first() {
        Some(b'=') => (Some(CasePolicy::Exact), &f.text[1..]),
        Some(b'?') => (Some(CasePolicy::Ambiguous), &f.text[1..]),
        Some(b'~') => (Some(CasePolicy::Any), &f.text[1..]),
        _ => (None, f.text),
    };
    let text = text.trim();
    if text.is_empty() {
        if !f.text.is_empty() {
            err(
                f.at,
                DiagnosticKind::Syntax,
                "expected text after the case prefix".into(),
            );
        }
        return None;
    }
    let policy = explicit.unwrap_or_else(|| {
        let has_letter = text.chars().any(|c| c.is_alphabetic());
        let has_lower = text.chars().any(|c| c.is_lowercase());
        if has_letter && !has_lower {
            CasePolicy::Exact
        } else {
            CasePolicy::Name
        }
    });
    Some(Alias { text: text.into(), policy })
}

/// `office@of from..to`
fn parse_role(
    f: Field<'_>,
    err: &mut impl FnMut(usize, DiagnosticKind, String),
) -> Option<Role> {
    let expected = "expected a role as 'office@of from..to' \
                    (e.g. 'president@RUS 2012-05-07..')";
    let Some(at) = f.text.find('@') else {
        err(f.at, DiagnosticKind::Syntax, format!("missing '@': {expected}"));
        return None;
    };
    let office = f.text[..at].trim();
    if office.is_empty() {
        err(
            f.at,
            DiagnosticKind::Syntax,
            format!("missing office: {expected}"),
        );
        return None;
    }
    let rest = &f.text[at + 1..];
    let (of, dates) = match rest.find(char::is_whitespace) {
        Some(p) => (&rest[..p], rest[p..].trim_start()),
        None => (rest, ""),
    };
    let of_at = f.at + at + 1;
    if of.is_empty()
        || !of.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':')
        })
    {
        err(
            of_at,
            DiagnosticKind::Syntax,
            format!("invalid holder \"{of}\" after '@': {expected}"),
        );
        return None;
    }
    let dates_at = f.at + f.text.len() - dates.len();
    let (from, to) = if dates.is_empty() {
        (None, None)
    } else {
        let Some(dd) = dates.find("..") else {
            err(
                dates_at,
                DiagnosticKind::Syntax,
                format!("missing '..' between dates: {expected}"),
            );
            return None;
        };
        let (a, b) = (dates[..dd].trim(), dates[dd + 2..].trim());
        let mut date = |s: &str, at: usize| -> Result<Option<Date>, ()> {
            if s.is_empty() {
                return Ok(None);
            }
            Date::parse(s).map(Some).ok_or_else(|| {
                err(
                    at,
                    DiagnosticKind::Syntax,
                    format!("invalid date \"{s}\": expected YYYY, YYYY-MM or YYYY-MM-DD"),
                )
            })
        };
        let from = date(a, dates_at);
        let to = date(
            b,
            dates_at
                + dd
                + 2
                + (dates[dd + 2..].len() - dates[dd + 2..].trim_start().len()),
        );
        let (Ok(from), Ok(to)) = (from, to) else { return None };
        if let (Some(x), Some(y)) = (from, to) {
            if y.upper() < x.lower() {
                err(
                    dates_at,
                    DiagnosticKind::Syntax,
                    format!("role ends ({y}) before it starts ({x})"),
                );
                return None;
            }
        }
        (from, to)
    };
    Some(Role { office: office.into(), of: of.into(), from, to })
}
