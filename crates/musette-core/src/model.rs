//! The record model: seven kinds, their fields, and the rules a record must follow.
//!
//! A record is a map of fields. Each kind names one required field (its title) and a set of
//! known fields with types; any other field is kept as it came, so imports lose nothing.
//!
//! ```
//! use musette_core::model::{Kind, validate_date};
//! assert_eq!("experience".parse::<Kind>().unwrap(), Kind::Experience);
//! assert!(validate_date("2024-02-29").is_ok());
//! assert!(validate_date("2023-02-29").is_err());
//! ```

use crate::i18n::CORE;
use crate::msg;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The kinds of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A person or organisation.
    Contact,
    /// A job, assignment, course or project.
    Experience,
    /// A skill.
    Skill,
    /// A badge or certificate, possibly with its original credential.
    Badge,
    /// Evidence for a validation of prior learning.
    Evidence,
    /// A recommendation, possibly co-signed.
    Recommendation,
    /// An administrative document with optional due date.
    Document,
}

/// The type of a known field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Free text.
    Text,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// A list of strings (`a,b,c` on the command line).
    List,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// The id of another record.
    RecordRef,
    /// JSON text kept byte for byte.
    Verbatim,
}

/// A known field of a kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The field's name.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
}

const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec { name, ty }
}

use FieldType::{Choice, Date, List, RecordRef, Text, Verbatim};

const EXPERIENCE_TYPES: &[&str] = &[
    "employment",
    "freelance",
    "volunteer",
    "education",
    "project",
    "other",
];
const DOCUMENT_CATEGORIES: &[&str] = &[
    "contract",
    "payslip",
    "certificate",
    "training",
    "id",
    "other",
];

const CONTACT: &[FieldSpec] = &[
    f("name", Text),
    f("organization", Text),
    f("role", Text),
    f("email", Text),
    f("phone", Text),
    f("url", Text),
    f("notes", Text),
    f("did", Text),
];
const EXPERIENCE: &[FieldSpec] = &[
    f("title", Text),
    f("organization", Text),
    f("type", Choice(EXPERIENCE_TYPES)),
    f("start", Date),
    f("end", Date),
    f("location", Text),
    f("description", Text),
    f("skills", List),
];
const SKILL: &[FieldSpec] = &[
    f("name", Text),
    f("level", Text),
    f("keywords", List),
    f("notes", Text),
];
const BADGE: &[FieldSpec] = &[
    f("name", Text),
    f("issuer", Text),
    f("issued", Date),
    f("expires", Date),
    f("criteria", Text),
    f("url", Text),
    f("credential", Verbatim),
];
const EVIDENCE: &[FieldSpec] = &[
    f("title", Text),
    f("description", Text),
    f("date", Date),
    f("experience", RecordRef),
    f("skills", List),
];
const RECOMMENDATION: &[FieldSpec] = &[
    f("text", Text),
    f("author", Text),
    f("author_did", Text),
    f("about", RecordRef),
    f("date", Date),
];
const DOCUMENT: &[FieldSpec] = &[
    f("title", Text),
    f("category", Choice(DOCUMENT_CATEGORIES)),
    f("date", Date),
    f("due", Date),
    f("notes", Text),
];

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 7] = [
        Kind::Contact,
        Kind::Experience,
        Kind::Skill,
        Kind::Badge,
        Kind::Evidence,
        Kind::Recommendation,
        Kind::Document,
    ];

    /// The kind's name as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contact => "contact",
            Kind::Experience => "experience",
            Kind::Skill => "skill",
            Kind::Badge => "badge",
            Kind::Evidence => "evidence",
            Kind::Recommendation => "recommendation",
            Kind::Document => "document",
        }
    }

    /// The known fields; the first is the required one.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            Kind::Contact => CONTACT,
            Kind::Experience => EXPERIENCE,
            Kind::Skill => SKILL,
            Kind::Badge => BADGE,
            Kind::Evidence => EVIDENCE,
            Kind::Recommendation => RECOMMENDATION,
            Kind::Document => DOCUMENT,
        }
    }

    /// The required field, which also serves as the record's title.
    pub fn required(self) -> &'static str {
        self.fields()[0].name
    }

    /// The spec of a known field.
    pub fn field(self, name: &str) -> Option<FieldSpec> {
        self.fields().iter().copied().find(|spec| spec.name == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::UnknownKind(s.to_string()))
    }
}

/// Checks a date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date).
pub fn validate_date(s: &str) -> Result<()> {
    let bad = || Error::InvalidDate {
        field: None,
        value: s.to_string(),
    };
    let parts: Vec<&str> = s.split('-').collect();
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    if !matches!(lens.as_slice(), [4] | [4, 2] | [4, 2, 2])
        || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u8>().ok());
    let year: i32 = parts[0].parse().map_err(|_| bad())?;
    let month = match num(1) {
        Some(m) => time::Month::try_from(m).map_err(|_| bad())?,
        None => return Ok(()),
    };
    if let Some(day) = num(2) {
        time::Date::from_calendar_date(year, month, day).map_err(|_| bad())?;
    }
    Ok(())
}

/// Field names: lowercase letters, digits, `_` and `-`, starting with a letter.
pub fn validate_field_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && name.len() <= 64;
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidFieldName(name.to_string()))
    }
}

/// Tags: any non-empty text without control characters, at most 64 characters.
pub fn validate_tag(tag: &str) -> Result<()> {
    // Text-direction controls make a tag read otherwise than it is; emoji (joiners, variation
    // selectors) stay allowed.
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if tag.trim().is_empty()
        || tag.chars().count() > 64
        || tag.chars().any(|c| c.is_control() || bidi(c))
    {
        return Err(Error::InvalidTag(tag.to_string()));
    }
    Ok(())
}

/// Turns a command-line value (`--set FIELD=VALUE`) into the field's JSON value.
pub fn parse_cli_value(kind: Kind, field: &str, value: &str) -> Value {
    match kind.field(field).map(|s| s.ty) {
        Some(List) => Value::Array(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(value.to_string()),
    }
}

/// The most a record may hold as stored, attachments apart: its sealed header (which repeats
/// its fields) and its document's chunks (every change since it was made). A sync carries a
/// record in one message of at most 64 MiB, and two devices' concurrent changes may add up:
/// a write that would take a record past this is refused, so every record reaches the owner's
/// other devices. Large content belongs in an attachment, which travels in parts.
pub const MAX_RECORD_BYTES: usize = 24 << 20;

/// Bytes a field's value takes, about (its text, or its JSON).
fn value_len(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(value_len).sum(),
        other => other.to_string().len(),
    }
}

/// A record that would hold `size` bytes, past [`MAX_RECORD_BYTES`].
pub fn too_large(size: usize) -> Error {
    let mib = |n: usize| n.div_ceil(1 << 20);
    Error::invalid(msg!(
        CORE,
        "record-too-large",
        size = mib(size),
        max = MAX_RECORD_BYTES >> 20
    ))
}

/// Checks a record's fields against its kind; returns the names of fields the kind does not
/// know (they are kept, but a caller may warn about likely typos).
///
/// `resolve` turns a record reference (an id or unique prefix) into a full id.
pub fn validate_fields(
    kind: Kind,
    fields: &mut Map<String, Value>,
    resolve: &mut dyn FnMut(&str) -> Result<String>,
) -> Result<Vec<String>> {
    // Said before anything else is done with them (a document of that size takes seconds).
    let size: usize = fields.iter().map(|(k, v)| k.len() + value_len(v)).sum();
    if size > MAX_RECORD_BYTES {
        return Err(too_large(size));
    }
    let required = kind.required();
    match fields.get(required) {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => {
            return Err(Error::MissingField {
                kind: kind.as_str(),
                article: article(kind),
                field: required,
            });
        }
    }
    let mut extra = Vec::new();
    for (name, value) in fields.iter_mut() {
        validate_field_name(name)?;
        let Some(spec) = kind.field(name) else {
            extra.push(name.clone());
            continue;
        };
        let shown = value.to_string();
        let wrong_type = |want: &'static str| Error::WrongType {
            kind: kind.as_str(),
            article: article(kind),
            field: name.clone(),
            want,
            value: shown.clone(),
        };
        match spec.ty {
            Text => {
                if !value.is_string() {
                    return Err(wrong_type("text"));
                }
            }
            Verbatim => {
                let Value::String(text) = value else {
                    return Err(wrong_type("JSON text"));
                };
                if serde_json::from_str::<Value>(text).is_err() {
                    return Err(Error::invalid(msg!(
                        CORE,
                        "field-not-json",
                        name = name,
                        kind = kind.as_str()
                    )));
                }
            }
            Date => match value {
                Value::String(s) => validate_date(s).map_err(|_| Error::InvalidDate {
                    field: Some(name.clone()),
                    value: s.clone(),
                })?,
                _ => return Err(wrong_type("a date")),
            },
            List => {
                let ok = matches!(value, Value::Array(items) if items.iter().all(Value::is_string));
                if !ok {
                    return Err(wrong_type("a list of text"));
                }
            }
            Choice(options) => {
                let ok = matches!(value, Value::String(s) if options.contains(&s.as_str()));
                if !ok {
                    return Err(Error::NotAChoice {
                        kind: kind.as_str(),
                        article: article(kind),
                        field: name.clone(),
                        value: value.to_string(),
                        allowed: options.to_vec(),
                    });
                }
            }
            RecordRef => {
                let Value::String(s) = value else {
                    return Err(wrong_type("a record id"));
                };
                *s = resolve(s).map_err(|e| Error::InField {
                    field: name.clone(),
                    source: Box::new(e),
                })?;
            }
        }
    }
    if let Some(Value::String(start)) = fields.get("start")
        && let Some(Value::String(end)) = fields.get("end")
        && end.as_str() < start.as_str()
        && !start.starts_with(end.as_str())
    {
        return Err(Error::EndBeforeStart {
            start: start.clone(),
            end: end.clone(),
        });
    }
    Ok(extra)
}

/// "a" or "an", for a kind's name in a sentence ("an experience").
pub fn article(kind: Kind) -> &'static str {
    if matches!(kind, Kind::Experience | Kind::Evidence) {
        "an"
    } else {
        "a"
    }
}

/// The record's one-line title: its required field, shortened.
pub fn title_of(kind: Kind, fields: &Map<String, Value>) -> String {
    let raw = fields
        .get(kind.required())
        .and_then(Value::as_str)
        .unwrap_or("");
    let line = raw.lines().next().unwrap_or("").trim();
    const MAX: usize = 80;
    if line.chars().count() > MAX || raw.lines().nth(1).is_some() {
        let short: String = line.chars().take(MAX - 1).collect();
        format!("{short}…")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2024", "2024-01", "2024-12-31", "2000-02-29"] {
            assert!(validate_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "24",
            "2024-13",
            "2024-00",
            "2024-1",
            "2023-02-29",
            "2024-04-31",
            "2024/01",
            "",
            "abcd",
            "2024-01-01T00",
        ] {
            assert!(validate_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn required_and_types() {
        let mut none = |_: &str| -> Result<String> { Err(Error::NoSuchRecord("no".into())) };
        let mut fields = Map::new();
        assert!(validate_fields(Kind::Skill, &mut fields, &mut none).is_err());
        fields.insert("name".into(), "Rust".into());
        fields.insert("keywords".into(), "x".into());
        assert!(validate_fields(Kind::Skill, &mut fields, &mut none).is_err());
        fields.insert("keywords".into(), serde_json::json!(["a", "b"]));
        fields.insert("colour".into(), "blue".into());
        assert_eq!(
            validate_fields(Kind::Skill, &mut fields, &mut none).unwrap(),
            vec!["colour"]
        );
    }

    #[test]
    fn end_before_start_is_refused() {
        let mut none = |_: &str| -> Result<String> { Err(Error::NoSuchRecord("no".into())) };
        let mut fields = Map::new();
        fields.insert("title".into(), "Dev".into());
        fields.insert("start".into(), "2024-05".into());
        fields.insert("end".into(), "2023".into());
        assert!(validate_fields(Kind::Experience, &mut fields, &mut none).is_err());
        fields.insert("end".into(), "2024".into());
        assert!(validate_fields(Kind::Experience, &mut fields, &mut none).is_ok());
    }
}
