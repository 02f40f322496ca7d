//! JSON Resume (jsonresume.org, schema v1.0.0): a résumé in, a résumé out.
//!
//! Reading maps each section to records (see `docs/formats.md` for the table):
//!
//! - `basics` → the owner's profile (a contact carrying the vault's did): `label` its role,
//!   `summary` its notes, `location`, `profiles` and `image` kept as they are, with `interests`;
//! - `work`, `volunteer`, `education`, `projects` → experiences of type employment, volunteer,
//!   education and project, every field kept (`highlights`, `courses`, `score`, …);
//! - `skills` → skills with level and keywords; `languages` → skills of category `language`;
//! - `awards`, `certificates` → unsigned badges of category `award` and `certificate`;
//! - `references` → recommendations; `publications` → evidence of category `publication`.
//!
//! Dates are kept as given (`2020`, `2020-05`, `2020-05-14`); one that is none of these
//! (`Present`, `May 2020`) is left out and said. Each entry's stable key is its section and what
//! names it (employer, position and start for a job), so importing the same résumé again
//! updates rather than duplicates.
//!
//! Writing does the reverse from the records given, newest first in each section, in a document
//! valid against the JSON Resume schema.

use musette_core::batch::{Incoming, Owns};
use musette_core::i18n::Msg;
use musette_core::model::{Kind, validate_date};
use musette_core::msg;
use serde_json::{Map, Value, json};

use crate::{FORMATS, FormatError, Result, malformed};

/// Largest résumé read, in bytes.
pub const MAX_BYTES: usize = 8 << 20;
/// Longest text value kept, in bytes.
pub const MAX_TEXT: usize = 64 << 10;
/// Most entries read from one section.
pub const MAX_ENTRIES: usize = 10_000;

const WORK_OWNS: &[&str] = &[
    "title",
    "organization",
    "type",
    "start",
    "end",
    "location",
    "description",
    "url",
    "highlights",
    "organization_description",
];
const EDUCATION_OWNS: &[&str] = &[
    "title",
    "organization",
    "type",
    "start",
    "end",
    "url",
    "area",
    "study_type",
    "score",
    "courses",
];
const PROJECT_OWNS: &[&str] = &[
    "title",
    "organization",
    "type",
    "start",
    "end",
    "description",
    "skills",
    "url",
    "highlights",
    "roles",
    "project_type",
];
const SKILL_OWNS: &[&str] = &["name", "level", "keywords", "category"];
const BADGE_OWNS: &[&str] = &["name", "issuer", "issued", "url", "description", "category"];
const REFERENCE_OWNS: &[&str] = &["text", "author"];
const PUBLICATION_OWNS: &[&str] = &[
    "title",
    "description",
    "date",
    "publisher",
    "url",
    "category",
];

/// A résumé read: the owner's profile, the records, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    /// The profile's fields (from `basics` and `interests`); empty when the résumé has none.
    pub profile: Map<String, Value>,
    /// Every other entry, as records to import.
    pub records: Vec<Incoming>,
    /// Entries left out, and why (`work 3: should be an object`).
    pub skipped: Vec<Msg>,
    /// Values left out of entries that were kept, and why (`work 2 (Hooli): endDate
    /// "Present" is not a date …`).
    pub notes: Vec<Msg>,
}

/// Whether a JSON document looks like a JSON Resume: an object with one of its sections and
/// none of a credential's marks.
pub fn looks_like(doc: &Value) -> bool {
    let Some(obj) = doc.as_object() else {
        return false;
    };
    !obj.contains_key("@context")
        && !obj.contains_key("proof")
        && [
            "basics",
            "work",
            "education",
            "skills",
            "volunteer",
            "projects",
        ]
        .iter()
        .any(|k| obj.contains_key(*k))
}

/// One entry of a section being read: its place for messages, and what it left out.
struct Entry<'a> {
    obj: &'a Map<String, Value>,
    at: Msg,
    notes: &'a mut Vec<Msg>,
}

impl Entry<'_> {
    /// A text value: strings trimmed, numbers written out; anything else is said and left out.
    fn text(&mut self, key: &str) -> Option<String> {
        match self.obj.get(key)? {
            Value::String(s) if s.len() > MAX_TEXT => {
                self.notes.push(msg!(
                    FORMATS,
                    "resume-text-long",
                    at = self.at.clone(),
                    key = key,
                    len = s.len(),
                    max = MAX_TEXT
                ));
                None
            }
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::String(_) | Value::Null => None,
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.notes.push(msg!(
                    FORMATS,
                    "resume-not-text",
                    at = self.at.clone(),
                    key = key,
                    kind = kind_of(other)
                ));
                None
            }
        }
    }

    /// The first of `keys` holding text (older résumés say `company` for `name`).
    fn text_of(&mut self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.text(k))
    }

    /// A date kept as given when it is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a full timestamp
    /// keeps its day); anything else is said and left out.
    fn date(&mut self, key: &str) -> Option<String> {
        let raw = self.text(key)?;
        let day = match raw.split_once('T') {
            Some((d, _)) if d.len() == 10 => d.to_string(),
            _ => raw.clone(),
        };
        if validate_date(&day).is_ok() {
            return Some(day);
        }
        self.notes.push(msg!(
            FORMATS,
            "resume-not-date",
            at = self.at.clone(),
            key = key,
            raw = format!("{raw:?}")
        ));
        None
    }

    /// A list of texts; entries that are not text are said and left out.
    fn list(&mut self, key: &str) -> Option<Vec<Value>> {
        let items = match self.obj.get(key)? {
            Value::Array(items) => items,
            Value::Null => return None,
            Value::String(s) if !s.trim().is_empty() => {
                return Some(vec![Value::String(s.trim().to_string())]);
            }
            other => {
                self.notes.push(msg!(
                    FORMATS,
                    "resume-not-list-of-text",
                    at = self.at.clone(),
                    key = key,
                    kind = kind_of(other)
                ));
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => {
                    out.push(Value::String(s.trim().to_string()))
                }
                Value::String(_) => {}
                other => self.notes.push(msg!(
                    FORMATS,
                    "resume-item-not-text",
                    at = self.at.clone(),
                    key = key,
                    kind = kind_of(other)
                )),
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// What a JSON value is, in words (`a number`, `a list`).
pub(crate) fn kind_of(v: &Value) -> Msg {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "text",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    };
    msg!(FORMATS, "json-kind", kind = kind)
}

/// Sets `field` when `value` is there.
fn put(fields: &mut Map<String, Value>, field: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        fields.insert(field.to_string(), v.into());
    }
}

/// What names an entry in its key: lowercased and with spaces collapsed, so a re-export by
/// another tool that changes only case or spacing still finds it.
fn key_part(s: Option<&str>) -> String {
    s.unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Reads a JSON Resume.
pub fn read(text: &str) -> Result<Resume> {
    if text.len() > MAX_BYTES {
        return Err(malformed(msg!(
            FORMATS,
            "resume-too-large",
            len = text.len(),
            max = MAX_BYTES
        )));
    }
    let text = text.trim_start_matches('\u{feff}');
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| malformed(msg!(FORMATS, "not-json", why = e.to_string())))?;
    // A key held twice: which one counts depends on the tool (JSON's parsers disagree), so
    // what is imported would be a guess.
    if let Some(key) = musette_core::credential::duplicate_key(text) {
        return Err(malformed(msg!(
            FORMATS,
            "resume-key-twice",
            key = format!("{key:?}")
        )));
    }
    if !looks_like(&doc) {
        return Err(FormatError::Unrecognised(msg!(
            FORMATS,
            "resume-unrecognised"
        )));
    }
    let root = doc.as_object().cloned().unwrap_or_default();
    let mut resume = Resume::default();
    read_basics(&root, &mut resume);
    let sections: [(&str, Reader); 11] = [
        ("work", |e| experience(e, "employment")),
        ("volunteer", |e| experience(e, "volunteer")),
        ("education", education),
        ("projects", project),
        ("skills", skill),
        ("languages", language),
        ("awards", award),
        ("certificates", certificate),
        ("references", reference),
        ("publications", publication),
        ("interests", |_| None),
    ];
    for (section, reader) in sections {
        let items = match root.get(section) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(items)) => items,
            Some(other) => {
                resume.skipped.push(msg!(
                    FORMATS,
                    "resume-not-list",
                    at = section,
                    kind = kind_of(other)
                ));
                continue;
            }
        };
        if section == "interests" {
            continue;
        }
        if items.len() > MAX_ENTRIES {
            return Err(malformed(msg!(
                FORMATS,
                "resume-too-many",
                section = section,
                n = items.len(),
                max = MAX_ENTRIES
            )));
        }
        for (i, item) in items.iter().enumerate() {
            let Some(obj) = item.as_object() else {
                resume.skipped.push(msg!(
                    FORMATS,
                    "resume-not-object",
                    at = msg!(FORMATS, "resume-entry", section = section, n = i + 1),
                    kind = kind_of(item)
                ));
                continue;
            };
            let label = ["name", "title", "position", "institution", "language"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_str))
                .map(|n| n.chars().take(60).collect::<String>());
            let at = match label {
                Some(name) => msg!(
                    FORMATS,
                    "resume-entry-named",
                    section = section,
                    n = i + 1,
                    name = name
                ),
                None => msg!(FORMATS, "resume-entry", section = section, n = i + 1),
            };
            let mut entry = Entry {
                obj,
                at,
                notes: &mut resume.notes,
            };
            match reader(&mut entry) {
                Some(mut incoming) => {
                    incoming.at = entry.at;
                    resume.records.push(incoming);
                }
                None => {
                    resume
                        .skipped
                        .push(msg!(FORMATS, "resume-nothing-to-key", at = entry.at));
                }
            }
        }
    }
    Ok(resume)
}

type Reader = fn(&mut Entry<'_>) -> Option<Incoming>;

fn incoming(
    kind: Kind,
    key: String,
    fields: Map<String, Value>,
    owns: &'static [&'static str],
) -> Incoming {
    Incoming {
        owns: Owns::Only(owns),
        ..Incoming::new(
            kind,
            format!("jsonresume:{key}"),
            fields,
            msg!(FORMATS, "resume-basics"),
        )
    }
}

fn read_basics(root: &Map<String, Value>, resume: &mut Resume) {
    let mut fields = Map::new();
    match root.get("basics") {
        Some(Value::Object(obj)) => {
            let mut e = Entry {
                obj,
                at: msg!(FORMATS, "resume-basics"),
                notes: &mut resume.notes,
            };
            put(&mut fields, "name", e.text("name"));
            put(&mut fields, "role", e.text("label"));
            put(&mut fields, "email", e.text("email"));
            put(&mut fields, "phone", e.text("phone"));
            put(&mut fields, "url", e.text_of(&["url", "website"]));
            put(&mut fields, "notes", e.text("summary"));
            put(&mut fields, "image", e.text_of(&["image", "picture"]));
            let location = match obj.get("location") {
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    Some(Value::String(s.trim().into()))
                }
                Some(v) => plain(v),
                None => None,
            };
            put(&mut fields, "location", location);
            put(
                &mut fields,
                "profiles",
                obj.get("profiles").and_then(plain_list),
            );
        }
        None | Some(Value::Null) => {}
        Some(other) => resume.skipped.push(msg!(
            FORMATS,
            "resume-not-object",
            at = msg!(FORMATS, "resume-basics"),
            kind = kind_of(other)
        )),
    }
    put(
        &mut fields,
        "interests",
        root.get("interests").and_then(plain_list),
    );
    resume.profile = fields;
}

/// An object of a résumé kept as it is (a `location`, a profile, an interest): its text
/// values, and its `keywords` as a list of text; values of any other type are dropped, so what
/// is kept always writes back valid.
fn plain(v: &Value) -> Option<Value> {
    let obj = v.as_object()?;
    let out: Map<String, Value> = obj
        .iter()
        .filter_map(|(k, v)| {
            let kept = match (k.as_str(), v) {
                ("keywords", Value::String(s)) if !s.trim().is_empty() => {
                    Value::Array(vec![v.clone()])
                }
                ("keywords", Value::String(_)) => return None,
                (_, Value::String(s)) if !s.trim().is_empty() => v.clone(),
                ("keywords", Value::Array(items)) => {
                    let items: Vec<Value> =
                        items.iter().filter(|i| i.is_string()).cloned().collect();
                    if items.is_empty() {
                        return None;
                    }
                    Value::Array(items)
                }
                _ => return None,
            };
            Some((k.clone(), kept))
        })
        .collect();
    (!out.is_empty()).then_some(Value::Object(out))
}

/// A list of [`plain`] objects.
fn plain_list(v: &Value) -> Option<Value> {
    let items: Vec<Value> = v.as_array()?.iter().filter_map(plain).collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

fn experience(e: &mut Entry<'_>, ty: &str) -> Option<Incoming> {
    let organization = e.text_of(&["name", "company", "organization"]);
    let position = e.text("position");
    let title = position.clone().or_else(|| organization.clone())?;
    let start = e.date("startDate");
    let mut fields = Map::new();
    fields.insert("title".into(), title.into());
    fields.insert("type".into(), ty.into());
    put(&mut fields, "organization", organization.clone());
    put(&mut fields, "start", start.clone());
    put(&mut fields, "end", e.date("endDate"));
    put(&mut fields, "location", e.text("location"));
    put(&mut fields, "description", e.text("summary"));
    put(&mut fields, "url", e.text_of(&["url", "website"]));
    put(&mut fields, "highlights", e.list("highlights"));
    put(
        &mut fields,
        "organization_description",
        e.text("description"),
    );
    let section = if ty == "volunteer" {
        "volunteer"
    } else {
        "work"
    };
    let key = crate::stable_key(
        section,
        &[
            key_part(organization.as_deref()),
            key_part(position.as_deref()),
            start.unwrap_or_default(),
        ],
    );
    Some(incoming(Kind::Experience, key, fields, WORK_OWNS))
}

fn education(e: &mut Entry<'_>) -> Option<Incoming> {
    let institution = e.text("institution");
    let area = e.text("area");
    let study_type = e.text("studyType");
    let title = match (&study_type, &area) {
        (Some(s), Some(a)) => format!("{s}, {a}"),
        (Some(x), None) | (None, Some(x)) => x.clone(),
        (None, None) => institution.clone()?,
    };
    let start = e.date("startDate");
    let mut fields = Map::new();
    fields.insert("title".into(), title.into());
    fields.insert("type".into(), "education".into());
    put(&mut fields, "organization", institution.clone());
    put(&mut fields, "start", start.clone());
    put(&mut fields, "end", e.date("endDate"));
    put(&mut fields, "url", e.text("url"));
    put(&mut fields, "area", area.clone());
    put(&mut fields, "study_type", study_type.clone());
    put(&mut fields, "score", e.text_of(&["score", "gpa"]));
    put(&mut fields, "courses", e.list("courses"));
    let key = crate::stable_key(
        "education",
        &[
            key_part(institution.as_deref()),
            key_part(study_type.as_deref()),
            key_part(area.as_deref()),
            start.unwrap_or_default(),
        ],
    );
    Some(incoming(Kind::Experience, key, fields, EDUCATION_OWNS))
}

fn project(e: &mut Entry<'_>) -> Option<Incoming> {
    let name = e.text("name")?;
    let start = e.date("startDate");
    let mut fields = Map::new();
    fields.insert("title".into(), name.clone().into());
    fields.insert("type".into(), "project".into());
    put(&mut fields, "organization", e.text("entity"));
    put(&mut fields, "start", start.clone());
    put(&mut fields, "end", e.date("endDate"));
    put(&mut fields, "description", e.text("description"));
    put(&mut fields, "skills", e.list("keywords"));
    put(&mut fields, "url", e.text("url"));
    put(&mut fields, "highlights", e.list("highlights"));
    put(&mut fields, "roles", e.list("roles"));
    put(&mut fields, "project_type", e.text("type"));
    let key = crate::stable_key(
        "project",
        &[key_part(Some(&name)), start.unwrap_or_default()],
    );
    Some(incoming(Kind::Experience, key, fields, PROJECT_OWNS))
}

fn skill(e: &mut Entry<'_>) -> Option<Incoming> {
    let name = e.text("name")?;
    let mut fields = Map::new();
    fields.insert("name".into(), name.clone().into());
    put(&mut fields, "level", e.text("level"));
    put(&mut fields, "keywords", e.list("keywords"));
    let key = crate::stable_key("skill", &[key_part(Some(&name))]);
    Some(incoming(Kind::Skill, key, fields, SKILL_OWNS))
}

fn language(e: &mut Entry<'_>) -> Option<Incoming> {
    let name = e.text_of(&["language", "name"])?;
    let mut fields = Map::new();
    fields.insert("name".into(), name.clone().into());
    put(&mut fields, "level", e.text("fluency"));
    fields.insert("category".into(), "language".into());
    let key = crate::stable_key("language", &[key_part(Some(&name))]);
    Some(incoming(Kind::Skill, key, fields, SKILL_OWNS))
}

fn award(e: &mut Entry<'_>) -> Option<Incoming> {
    let title = e.text_of(&["title", "name"])?;
    let date = e.date("date");
    let mut fields = Map::new();
    fields.insert("name".into(), title.clone().into());
    put(&mut fields, "issuer", e.text("awarder"));
    put(&mut fields, "issued", date.clone());
    put(&mut fields, "description", e.text("summary"));
    fields.insert("category".into(), "award".into());
    let key = crate::stable_key("award", &[key_part(Some(&title)), date.unwrap_or_default()]);
    Some(incoming(Kind::Badge, key, fields, BADGE_OWNS))
}

fn certificate(e: &mut Entry<'_>) -> Option<Incoming> {
    let name = e.text_of(&["name", "title"])?;
    let date = e.date("date");
    let mut fields = Map::new();
    fields.insert("name".into(), name.clone().into());
    put(&mut fields, "issuer", e.text("issuer"));
    put(&mut fields, "issued", date.clone());
    put(&mut fields, "url", e.text("url"));
    fields.insert("category".into(), "certificate".into());
    let key = crate::stable_key(
        "certificate",
        &[key_part(Some(&name)), date.unwrap_or_default()],
    );
    Some(incoming(Kind::Badge, key, fields, BADGE_OWNS))
}

fn reference(e: &mut Entry<'_>) -> Option<Incoming> {
    let text = e.text("reference")?;
    let author = e.text("name");
    let mut fields = Map::new();
    fields.insert("text".into(), text.clone().into());
    put(&mut fields, "author", author.clone());
    let key = match &author {
        Some(a) => crate::stable_key("reference", &[key_part(Some(a))]),
        None => crate::stable_key("reference", &[key_part(Some(&text))]),
    };
    Some(incoming(Kind::Recommendation, key, fields, REFERENCE_OWNS))
}

fn publication(e: &mut Entry<'_>) -> Option<Incoming> {
    let name = e.text("name")?;
    let mut fields = Map::new();
    fields.insert("title".into(), name.clone().into());
    put(&mut fields, "description", e.text("summary"));
    put(&mut fields, "date", e.date("releaseDate"));
    put(&mut fields, "publisher", e.text("publisher"));
    put(&mut fields, "url", e.text("url"));
    fields.insert("category".into(), "publication".into());
    let key = crate::stable_key("publication", &[key_part(Some(&name))]);
    Some(incoming(Kind::Evidence, key, fields, PUBLICATION_OWNS))
}

/// What a résumé is written from: the profile and records of the vault.
#[derive(Debug, Clone, Default)]
pub struct Backpack {
    /// The owner's profile (a contact's fields), if there is one.
    pub profile: Option<Map<String, Value>>,
    /// Experiences, skills, badges, evidence and recommendations (other kinds are passed over).
    pub records: Vec<(Kind, Map<String, Value>)>,
}

/// The kinds a résumé is made of.
pub const RESUME_KINDS: [Kind; 5] = [
    Kind::Experience,
    Kind::Skill,
    Kind::Badge,
    Kind::Evidence,
    Kind::Recommendation,
];

impl Backpack {
    /// What a résumé of the vault holds: the profile, and the records of [`RESUME_KINDS`]
    /// (evidence when it is a publication), all of them or those `chosen`, in a stable order.
    pub fn of(
        vault: &musette_core::Vault,
        chosen: Option<&std::collections::HashSet<String>>,
    ) -> musette_core::Result<Backpack> {
        let mut backpack = Backpack {
            profile: crate::many::profile(vault)?.0.map(|(_, f)| f),
            records: Vec::new(),
        };
        for kind in RESUME_KINDS {
            let mut records = vault.records_of(kind)?;
            records.sort_by(|a, b| a.1.cmp(&b.1));
            for (fields, id) in records {
                // Evidence goes in when it is a publication (a résumé has no other place for it).
                let publication = kind != Kind::Evidence
                    || fields.get("category").and_then(Value::as_str) == Some("publication");
                if publication && chosen.is_none_or(|c| c.contains(&id)) {
                    backpack.records.push((kind, fields));
                }
            }
        }
        Ok(backpack)
    }
}

/// The text of a field, if it holds some.
fn field<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A list field (a single text counts as a list of one).
fn list_field(fields: &Map<String, Value>, name: &str) -> Option<Value> {
    let items: Vec<Value> = match fields.get(name)? {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
        Value::String(s) if !s.trim().is_empty() => vec![Value::String(s.clone())],
        _ => vec![],
    };
    (!items.is_empty()).then_some(Value::Array(items))
}

/// A date as the schema's `iso8601` pattern takes it (years 1000 to 2999).
fn resume_date(fields: &Map<String, Value>, name: &str) -> Option<Value> {
    let d = field(fields, name)?;
    let year_ok = d
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'1' | b'2'));
    (year_ok && validate_date(d).is_ok()).then(|| Value::String(d.to_string()))
}

/// An object of the non-empty entries of `pairs`.
fn object(pairs: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

fn text_value(fields: &Map<String, Value>, name: &str) -> Option<Value> {
    field(fields, name).map(|s| Value::String(s.to_string()))
}

/// A web address as the schema takes it (an absolute URI): kept when it is one, given
/// `https://` when it is a bare domain (`ana.example/cv`), else `None`.
fn web_address(s: &str) -> Option<String> {
    let s = s.trim();
    let absolute =
        |t: &str| fluent_uri::Uri::parse(t).is_ok() && !t.chars().any(char::is_whitespace);
    if absolute(s) && s.contains(':') {
        return Some(s.to_string());
    }
    let guessed = format!("https://{s}");
    (s.contains('.') && !s.contains(':') && absolute(&guessed)).then_some(guessed)
}

/// Writes a JSON Resume (schema v1.0.0) from a profile and records, with what was left out of
/// it and why (a web address or email that is not one: the schema would refuse the résumé).
pub fn write(backpack: &Backpack) -> (Value, Vec<Msg>) {
    let mut notes = Vec::new();
    let mut sections: Vec<(&str, Vec<(String, Value)>)> = [
        "work",
        "volunteer",
        "education",
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "references",
        "projects",
    ]
    .into_iter()
    .map(|s| (s, Vec::new()))
    .collect();
    let mut push = |section: &str, sort: String, v: Value| {
        if let Some((_, items)) = sections.iter_mut().find(|(s, _)| *s == section) {
            items.push((sort, v));
        }
    };
    for (kind, f) in &backpack.records {
        let title = field(f, kind.required())
            .unwrap_or("")
            .chars()
            .take(60)
            .collect::<String>();
        let mut u = |name: &str| {
            let raw = field(f, name)?;
            let out = web_address(raw);
            if out.is_none() {
                notes.push(msg!(
                    FORMATS,
                    "resume-out-not-web-address",
                    kind = kind.to_string(),
                    title = format!("{title:?}"),
                    name = name,
                    raw = format!("{raw:?}")
                ));
            }
            out.map(Value::String)
        };
        let t = |name: &str| text_value(f, name);
        let d = |name: &str| resume_date(f, name);
        let l = |name: &str| list_field(f, name);
        match kind {
            Kind::Experience => {
                let sort = field(f, "start").unwrap_or("").to_string();
                match field(f, "type") {
                    Some("education") => {
                        let area = t("area").or_else(|| {
                            (field(f, "study_type").is_none())
                                .then(|| t("title"))
                                .flatten()
                        });
                        push(
                            "education",
                            sort,
                            object(vec![
                                ("institution", t("organization")),
                                ("url", u("url")),
                                ("area", area),
                                ("studyType", t("study_type")),
                                ("startDate", d("start")),
                                ("endDate", d("end")),
                                ("score", t("score")),
                                ("courses", l("courses")),
                            ]),
                        );
                    }
                    Some("project") => push(
                        "projects",
                        sort,
                        object(vec![
                            ("name", t("title")),
                            ("description", t("description")),
                            ("highlights", l("highlights")),
                            ("keywords", l("skills")),
                            ("startDate", d("start")),
                            ("endDate", d("end")),
                            ("url", u("url")),
                            ("roles", l("roles")),
                            ("entity", t("organization")),
                            ("type", t("project_type")),
                        ]),
                    ),
                    ty => {
                        let volunteer = ty == Some("volunteer");
                        push(
                            if volunteer { "volunteer" } else { "work" },
                            sort,
                            object(vec![
                                (
                                    if volunteer { "organization" } else { "name" },
                                    t("organization"),
                                ),
                                ("location", t("location")),
                                ("description", t("organization_description")),
                                ("position", t("title")),
                                ("url", u("url")),
                                ("startDate", d("start")),
                                ("endDate", d("end")),
                                ("summary", t("description")),
                                ("highlights", l("highlights")),
                            ]),
                        );
                    }
                }
            }
            Kind::Skill => {
                let name = field(f, "name").unwrap_or("").to_lowercase();
                if field(f, "category") == Some("language") {
                    push(
                        "languages",
                        name,
                        object(vec![("language", t("name")), ("fluency", t("level"))]),
                    );
                } else {
                    push(
                        "skills",
                        name,
                        object(vec![
                            ("name", t("name")),
                            ("level", t("level")),
                            ("keywords", l("keywords")),
                        ]),
                    );
                }
            }
            Kind::Badge => {
                let sort = field(f, "issued").unwrap_or("").to_string();
                if field(f, "category") == Some("award") {
                    push(
                        "awards",
                        sort,
                        object(vec![
                            ("title", t("name")),
                            ("date", d("issued")),
                            ("awarder", t("issuer")),
                            ("summary", t("description").or_else(|| t("criteria"))),
                        ]),
                    );
                } else {
                    push(
                        "certificates",
                        sort,
                        object(vec![
                            ("name", t("name")),
                            ("date", d("issued")),
                            ("issuer", t("issuer")),
                            ("url", u("url")),
                        ]),
                    );
                }
            }
            Kind::Evidence if field(f, "category") == Some("publication") => push(
                "publications",
                field(f, "date").unwrap_or("").to_string(),
                object(vec![
                    ("name", t("title")),
                    ("publisher", t("publisher")),
                    ("releaseDate", d("date")),
                    ("url", u("url")),
                    ("summary", t("description")),
                ]),
            ),
            Kind::Recommendation => push(
                "references",
                field(f, "date").unwrap_or("").to_string(),
                object(vec![("name", t("author")), ("reference", t("text"))]),
            ),
            _ => {}
        }
    }
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json".into(),
    );
    if let Some(p) = &backpack.profile {
        out.insert("basics".into(), basics(p, &mut notes));
    }
    for (section, mut items) in sections {
        if items.is_empty() {
            continue;
        }
        // Newest first for dated sections, by name for skills and languages; ties keep the
        // order given.
        if matches!(section, "skills" | "languages") {
            items.sort_by(|a, b| a.0.cmp(&b.0));
        } else {
            items.sort_by(|a, b| b.0.cmp(&a.0));
        }
        out.insert(
            section.into(),
            Value::Array(items.into_iter().map(|(_, v)| v).collect()),
        );
    }
    if let Some(interests) = backpack
        .profile
        .as_ref()
        .and_then(|p| p.get("interests"))
        .and_then(plain_list)
    {
        out.insert("interests".into(), interests);
    }
    (Value::Object(out), notes)
}

fn basics(p: &Map<String, Value>, notes: &mut Vec<Msg>) -> Value {
    let t = |name: &str| text_value(p, name);
    let location = match p.get("location") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(json!({ "city": s.trim() })),
        Some(v) => plain(v),
        None => None,
    };
    let mut profiles = p.get("profiles").and_then(plain_list);
    if let Some(Value::Array(items)) = &mut profiles {
        for item in items.iter_mut() {
            if let Some(obj) = item.as_object_mut()
                && let Some(raw) = obj.get("url").and_then(Value::as_str).map(str::to_string)
            {
                match web_address(&raw) {
                    Some(u) => {
                        obj.insert("url".into(), u.into());
                    }
                    None => {
                        notes.push(msg!(
                            FORMATS,
                            "resume-out-network-url",
                            raw = format!("{raw:?}")
                        ));
                        obj.remove("url");
                    }
                }
            }
        }
        items.retain(|i| i.as_object().is_some_and(|o| !o.is_empty()));
    }
    let url = field(p, "url").and_then(|raw| {
        let out = web_address(raw);
        if out.is_none() {
            notes.push(msg!(FORMATS, "resume-out-url", raw = format!("{raw:?}")));
        }
        out.map(Value::String)
    });
    let email = field(p, "email").and_then(|raw| {
        // As the strictest validators take it: plain ASCII, a dotted domain, nothing quoted.
        let plain = raw.is_ascii()
            && !raw.contains(['"', '[', ']', ' '])
            && raw
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.contains('.') && !d.ends_with('.'));
        if plain && email_address::EmailAddress::is_valid(raw) {
            Some(Value::String(raw.to_string()))
        } else {
            notes.push(msg!(FORMATS, "resume-out-email", raw = format!("{raw:?}")));
            None
        }
    });
    object(vec![
        ("name", t("name")),
        ("label", t("role")),
        ("image", t("image")),
        ("email", email),
        ("phone", t("phone")),
        ("url", url),
        ("summary", t("notes")),
        ("location", location),
        (
            "profiles",
            profiles.filter(|p| p.as_array().is_some_and(|a| !a.is_empty())),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_are_kept_and_bad_ones_said() {
        let r = read(
            r#"{"work":[{"name":"A","position":"B","startDate":"2020","endDate":"2021-05"},
                        {"name":"C","position":"D","startDate":"Present","endDate":""}]}"#,
        )
        .expect("reads");
        assert_eq!(r.records.len(), 2);
        assert_eq!(r.records[0].fields["start"], "2020");
        assert_eq!(r.records[0].fields["end"], "2021-05");
        assert!(!r.records[1].fields.contains_key("start"));
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        assert!(
            r.notes[0].to_string().contains("work 2 (C)"),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes[0].to_string().contains("\"Present\""),
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn keys_ignore_case_and_spacing() {
        let a = read(r#"{"work":[{"name":"Pied  Piper","position":"CEO","startDate":"2013"}]}"#)
            .expect("reads");
        let b = read(r#"{"work":[{"name":"pied piper","position":"ceo ","startDate":"2013"}]}"#)
            .expect("reads");
        assert_eq!(a.records[0].key, b.records[0].key);
    }

    #[test]
    fn wrong_types_are_said_not_fatal() {
        let r = read(
            r#"{"basics":{"name":["x"],"email":"a@b.c"},"skills":"lots","work":[3,{"name":{"x":1}}]}"#,
        )
        .expect("reads");
        assert_eq!(r.profile.get("email"), Some(&Value::String("a@b.c".into())));
        assert!(!r.profile.contains_key("name"));
        assert!(r.records.is_empty());
        // Two entries and a section left out; a value of the basics and one of a job too.
        assert_eq!(r.skipped.len(), 3, "{:?}", r.skipped);
        assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
    }

    #[test]
    fn credentials_and_other_json_are_not_resumes() {
        assert!(matches!(
            read(r#"{"@context":["x"],"basics":{}}"#),
            Err(FormatError::Unrecognised(_))
        ));
        assert!(matches!(read("[1,2]"), Err(FormatError::Unrecognised(_))));
        assert!(matches!(read("{"), Err(FormatError::Malformed(_))));
    }
}
