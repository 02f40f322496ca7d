//! Records as credentials in the terms of the VC 2.0 and Open Badges 3.0 contexts, and back.
//!
//! Every property and type a credential carries is defined by one of its two contexts, so that
//! JSON-LD "safe mode" verifiers (Digital Bazaar's, which the DCC wallet and VerifierPlus run)
//! accept it, and so that `eddsa-rdfc-2022` signs all of it. A field with no term is left out;
//! `docs/credentials.md` lists every mapping. [`from_credential`] reads such a credential back
//! into a record's fields (and the free-form shape musette issued before).

use serde_json::{Map, Value, json};

use crate::model::Kind;

/// The base context of every VC 2.0 document.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The type of a recommendation: an Open Badges 3.0 endorsement.
pub const ENDORSEMENT: &str = "EndorsementCredential";
/// The achievement type of a skill.
const COMPETENCY: &str = "Competency";
/// The achievement type of a badge held, asserted by its holder.
const BADGE: &str = "Badge";
/// The achievement type of evidence.
const EVIDENCE: &str = "ext:Evidence";
/// The achievement type of an experience without a type.
const EXPERIENCE: &str = "ext:Experience";
/// How the name of a recommendation starts, before its author.
const RECOMMENDATION_BY: &str = "Recommendation by ";

fn urn_uuid() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A date (`2024-05-01`, or a month `2024-05`, or a year `2024`) as a dateTime at the midnight
/// it starts, UTC; a dateTime as it is.
fn date_time(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-01-01T00:00:00Z"),
        7 => format!("{date}-01T00:00:00Z"),
        10 => format!("{date}T00:00:00Z"),
        _ => date.to_string(),
    }
}

/// What an achievement says when the record gives no description (Open Badges requires one).
fn default_description(kind: Kind, name: &str, organization: Option<&str>) -> String {
    match (kind, organization) {
        (Kind::Experience, Some(org)) => format!("{name}, {org}"),
        _ => format!("Self-asserted {kind}: {name}"),
    }
}

fn criteria(kind: Kind) -> String {
    format!("Self-asserted by the holder from their own records ({kind}).")
}

/// The credential type musette gave a kind before the Open Badges mapping
/// (`RecommendationCredential`, `ContactCredential`, …).
fn legacy_type(kind: Kind) -> String {
    format!("{}Credential", capitalised(kind.as_str()))
}

/// [`from_credential`], only for a credential shaped exactly as musette shapes one: issuing
/// the fields read back gives the same properties, none more. A credential from elsewhere
/// that happens to look like one of musette's (an issuer's badge with `achievementType`
/// `Competency`, or a document with extra properties) is not taken for a record.
pub fn read_back(doc: &Value) -> Option<(Kind, Map<String, Value>)> {
    let (kind, fields) = from_credential(doc)?;
    let legacy = doc
        .pointer("/credentialSubject/type")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Kind>().ok())
        .is_some_and(|k| {
            k == kind
                && crate::credential::types_of(doc)
                    .iter()
                    .any(|t| *t == legacy_type(k))
        });
    if legacy {
        // The free-form shape: its properties are the record's fields by construction.
        return Some((kind, fields));
    }
    let issuer = doc
        .pointer("/issuer/id")
        .and_then(Value::as_str)
        .unwrap_or("did:key:z");
    let again = to_credential(kind, &fields, issuer, "2000-01-01T12:00:00Z");
    fn within(got: &Value, made: &Value) -> bool {
        match (got, made) {
            (Value::Object(g), Value::Object(m)) => g
                .iter()
                .all(|(k, v)| k == "proof" || m.get(k).is_some_and(|mv| within(v, mv))),
            (Value::Array(g), Value::Array(m)) => {
                g.len() == m.len() && g.iter().zip(m).all(|(a, b)| within(a, b))
            }
            (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
                false
            }
            _ => true,
        }
    }
    within(doc, &again).then_some((kind, fields))
}

/// The unsigned credential for a record's chosen `fields`, issued by `issuer` (a did).
pub fn to_credential(
    kind: Kind,
    fields: &Map<String, Value>,
    issuer: &str,
    valid_from: &str,
) -> Value {
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let list = |k: &str| match fields.get(k) {
        Some(Value::Array(items)) if !items.is_empty() => Some(Value::Array(items.clone())),
        Some(Value::String(s)) if !s.is_empty() => Some(json!([s])),
        _ => None,
    };
    let mut doc = Map::new();
    doc.insert("@context".into(), json!([VC_CONTEXT, OB3_CONTEXT]));
    doc.insert("id".into(), urn_uuid().into());
    doc.insert("issuer".into(), json!({"id": issuer, "type": ["Profile"]}));
    doc.insert("validFrom".into(), valid_from.into());
    let mut subject = Map::new();
    subject.insert("id".into(), issuer.into());
    match kind {
        Kind::Experience | Kind::Skill | Kind::Evidence | Kind::Badge => {
            let name_field = kind.required();
            let name = text(name_field).unwrap_or_else(|| format!("A {kind}"));
            let organization = match kind {
                Kind::Experience => text("organization"),
                Kind::Badge => text("issuer"),
                _ => None,
            };
            let description = text("description")
                .or_else(|| text("notes"))
                .unwrap_or_else(|| default_description(kind, &name, organization.as_deref()));
            let achievement_type = match kind {
                Kind::Skill => COMPETENCY.to_string(),
                Kind::Evidence => EVIDENCE.to_string(),
                Kind::Badge => BADGE.to_string(),
                _ => text("type")
                    .map(|t| format!("ext:{}", capitalised(&t)))
                    .unwrap_or_else(|| EXPERIENCE.to_string()),
            };
            let mut achievement = Map::new();
            let url = text("url").filter(|u| u.starts_with("https://") || u.starts_with("http://"));
            achievement.insert("id".into(), url.unwrap_or_else(urn_uuid).into());
            achievement.insert("type".into(), json!(["Achievement"]));
            achievement.insert("achievementType".into(), achievement_type.into());
            achievement.insert("name".into(), name.clone().into());
            achievement.insert("description".into(), description.into());
            let narrative = match kind {
                Kind::Badge => text("criteria").unwrap_or_else(|| criteria(kind)),
                _ => criteria(kind),
            };
            achievement.insert("criteria".into(), json!({ "narrative": narrative }));
            let location = text("location").filter(|_| kind == Kind::Experience);
            if organization.is_some() || location.is_some() {
                let mut creator = Map::new();
                creator.insert("type".into(), json!(["Profile"]));
                if let Some(org) = organization {
                    creator.insert("name".into(), org.into());
                }
                if let Some(place) = location {
                    creator.insert(
                        "address".into(),
                        json!({"type": ["Address"], "addressLocality": place}),
                    );
                }
                achievement.insert("creator".into(), Value::Object(creator));
            }
            if let Some(tags) = list("skills").or_else(|| list("keywords")) {
                achievement.insert("tag".into(), tags);
            }
            subject.insert("type".into(), json!(["AchievementSubject"]));
            subject.insert("achievement".into(), Value::Object(achievement));
            let (start, end) = match kind {
                Kind::Experience => (text("start"), text("end")),
                Kind::Evidence => (None, text("date")),
                _ => (None, None),
            };
            if let Some(s) = start {
                subject.insert("activityStartDate".into(), s.into());
            }
            if let Some(e) = end {
                subject.insert("activityEndDate".into(), e.into());
            }
            if let Some(level) = text("level").filter(|_| kind == Kind::Skill) {
                subject.insert(
                    "result".into(),
                    json!([{"type": ["Result"], "value": level}]),
                );
            }
            if kind == Kind::Badge {
                if let Some(issued) = text("issued") {
                    doc.insert("awardedDate".into(), date_time(&issued).into());
                }
                if let Some(expires) = text("expires") {
                    doc.insert("validUntil".into(), date_time(&expires).into());
                }
            }
            if kind == Kind::Evidence {
                let mut evidence = Map::new();
                evidence.insert("type".into(), json!(["Evidence"]));
                evidence.insert("name".into(), name.clone().into());
                if let Some(d) = text("description") {
                    evidence.insert("description".into(), d.into());
                }
                doc.insert("evidence".into(), json!([evidence]));
            }
            doc.insert(
                "type".into(),
                json!(["VerifiableCredential", "OpenBadgeCredential"]),
            );
            doc.insert("name".into(), name.into());
        }
        Kind::Recommendation => {
            subject.insert("type".into(), json!(["EndorsementSubject"]));
            subject.insert(
                "endorsementComment".into(),
                text("text").unwrap_or_default().into(),
            );
            doc.insert("type".into(), json!(["VerifiableCredential", ENDORSEMENT]));
            let name = match text("author") {
                Some(a) => format!("{RECOMMENDATION_BY}{a}"),
                None => "Recommendation".to_string(),
            };
            doc.insert("name".into(), name.into());
            if let Some(date) = text("date") {
                doc.insert("validFrom".into(), date_time(&date).into());
            }
        }
        Kind::Contact => {
            if let Some(did) = text("did") {
                subject.insert("id".into(), did.into());
            } else {
                subject.remove("id");
            }
            subject.insert("type".into(), json!(["Profile"]));
            for (field, term) in [
                ("name", "name"),
                ("email", "email"),
                ("phone", "phone"),
                ("url", "url"),
                ("notes", "description"),
            ] {
                if let Some(v) = text(field) {
                    subject.insert(term.into(), v.into());
                }
            }
            if let Some(org) = text("organization") {
                subject.insert(
                    "parentOrg".into(),
                    json!({"type": ["Profile"], "name": org}),
                );
            }
            doc.insert("type".into(), json!(["VerifiableCredential"]));
            doc.insert(
                "name".into(),
                format!("Contact: {}", text("name").unwrap_or_default()).into(),
            );
        }
        Kind::Document => {
            subject.insert("type".into(), json!(["Evidence"]));
            for (field, term) in [
                ("title", "name"),
                ("notes", "description"),
                ("category", "genre"),
            ] {
                if let Some(v) = text(field) {
                    subject.insert(term.into(), v.into());
                }
            }
            if let Some(date) = text("date") {
                doc.insert("awardedDate".into(), date_time(&date).into());
            }
            doc.insert("type".into(), json!(["VerifiableCredential"]));
            doc.insert(
                "name".into(),
                text("title").unwrap_or_else(|| "Document".into()).into(),
            );
        }
    }
    doc.insert("credentialSubject".into(), Value::Object(subject));
    Value::Object(doc)
}

/// The record a credential made by [`to_credential`] stands for: its kind and fields. `None`
/// for a credential musette did not shape (a badge from an issuer is read as a badge instead).
pub fn from_credential(doc: &Value) -> Option<(Kind, Map<String, Value>)> {
    let types = crate::credential::types_of(doc);
    let subject = doc.get("credentialSubject")?.as_object()?;
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
    };
    let date = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(|s| Value::String(s.get(..10).unwrap_or(s).to_string()))
    };
    let mut fields = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            fields.insert(k.to_string(), v);
        }
    };
    // The free-form shape issued before (`<Kind>Credential`, the subject's type the kind's
    // name): the record's fields, as they were.
    if let Some(Value::String(kind)) = subject.get("type")
        && let Ok(kind) = kind.parse::<Kind>()
        && types.iter().any(|t| *t == legacy_type(kind))
    {
        for (k, v) in subject {
            if k != "id" && k != "type" {
                put(k, Some(v.clone()));
            }
        }
        return Some((kind, fields));
    }
    if types.iter().any(|t| t == ENDORSEMENT) {
        put("text", text(subject.get("endorsementComment")));
        // A recommendation's date became its validFrom, at midnight: read back to the day.
        put(
            "date",
            doc.get("validFrom")
                .and_then(Value::as_str)
                .and_then(|v| v.strip_suffix("T00:00:00Z"))
                .map(|d| Value::String(d.to_string())),
        );
        put(
            "author",
            doc.get("name")
                .and_then(Value::as_str)
                .and_then(|n| n.strip_prefix(RECOMMENDATION_BY))
                .map(|a| Value::String(a.to_string())),
        );
        return Some((Kind::Recommendation, fields));
    }
    let subject_types = crate::credential::types_of(&Value::Object(subject.clone()));
    if subject_types.iter().any(|t| t == "Profile") {
        put("name", text(subject.get("name")));
        put("email", text(subject.get("email")));
        put("phone", text(subject.get("phone")));
        put("url", text(subject.get("url")));
        put("notes", text(subject.get("description")));
        put(
            "organization",
            text(subject.get("parentOrg").and_then(|o| o.get("name"))),
        );
        put(
            "did",
            text(subject.get("id")).filter(|d| d.as_str().is_some_and(|d| d.starts_with("did:"))),
        );
        return Some((Kind::Contact, fields));
    }
    if subject_types.iter().any(|t| t == "Evidence") {
        put("title", text(subject.get("name")));
        put("notes", text(subject.get("description")));
        put("category", text(subject.get("genre")));
        put("date", date(doc.get("awardedDate")));
        return Some((Kind::Document, fields));
    }
    let achievement = subject.get("achievement")?;
    let achievement_type = achievement.get("achievementType").and_then(Value::as_str)?;
    let kind = match achievement_type {
        COMPETENCY => Kind::Skill,
        EVIDENCE => Kind::Evidence,
        BADGE => Kind::Badge,
        t if t == EXPERIENCE || t.starts_with("ext:") => Kind::Experience,
        _ => return None,
    };
    let name = achievement
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let creator = achievement.get("creator");
    let organization = creator.and_then(|c| c.get("name")).and_then(Value::as_str);
    let description = achievement
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| *d != default_description(kind, name, organization));
    put(kind.required(), text(achievement.get("name")));
    let tags = achievement.get("tag").cloned();
    match kind {
        Kind::Experience => {
            put(
                "organization",
                organization.map(|o| Value::String(o.into())),
            );
            if let Some(t) = achievement_type.strip_prefix("ext:")
                && achievement_type != EXPERIENCE
            {
                put("type", Some(Value::String(t.to_lowercase())));
            }
            put("start", date(subject.get("activityStartDate")));
            put("end", date(subject.get("activityEndDate")));
            put(
                "location",
                text(creator.and_then(|c| c.pointer("/address/addressLocality"))),
            );
            put("description", description.map(|d| Value::String(d.into())));
            put("skills", tags);
        }
        Kind::Skill => {
            put(
                "level",
                text(subject.get("result").and_then(|r| r.pointer("/0/value"))),
            );
            put("notes", description.map(|d| Value::String(d.into())));
            put("keywords", tags);
        }
        Kind::Evidence => {
            put("description", description.map(|d| Value::String(d.into())));
            put("date", date(subject.get("activityEndDate")));
            put("skills", tags);
        }
        _ => {
            put("issuer", organization.map(|o| Value::String(o.into())));
            put("issued", date(doc.get("awardedDate")));
            put("expires", date(doc.get("validUntil")));
            let narrative = achievement
                .pointer("/criteria/narrative")
                .and_then(Value::as_str);
            put(
                "criteria",
                narrative
                    .filter(|n| *n != criteria(kind))
                    .map(|n| Value::String(n.into())),
            );
            put(
                "url",
                text(achievement.get("id"))
                    .filter(|u| u.as_str().is_some_and(|u| u.starts_with("http"))),
            );
        }
    }
    Some((kind, fields))
}

/// What a credential says, for people: its record's fields when musette shaped it, else the
/// readable values of its subject (`achievement.name`, `achievement.criteria.narrative`, …) and
/// its dates. At most 24 rows; values as written (the caller cleans them for a terminal).
pub fn describe(doc: &Value) -> Vec<(String, String)> {
    fn text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().filter_map(text).collect();
                (!parts.is_empty() && parts.len() == items.len()).then(|| parts.join(", "))
            }
            _ => None,
        }
    }
    let mut rows = Vec::new();
    if doc.get("credentialSubject").is_none() {
        return rows;
    }
    if let Some((kind, fields)) = read_back(doc) {
        for spec in kind.fields() {
            if let Some(v) = fields.get(spec.name).and_then(text) {
                rows.push((spec.name.to_string(), v));
            }
        }
        // Whatever else it carries (the free-form shape may hold any property): shown too.
        for (k, v) in &fields {
            if kind.field(k).is_none() {
                rows.push((k.clone(), text(v).unwrap_or_else(|| v.to_string())));
            }
        }
        rows.truncate(24);
        return rows;
    }
    fn walk(v: &Value, at: &str, depth: usize, rows: &mut Vec<(String, String)>) {
        let Value::Object(map) = v else { return };
        for (k, item) in map {
            if matches!(k.as_str(), "id" | "type" | "@context" | "proof") || rows.len() >= 24 {
                continue;
            }
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            match item {
                Value::Object(_) if depth < 3 => walk(item, &here, depth + 1, rows),
                Value::Array(items) if depth < 3 && items.iter().all(Value::is_object) => {
                    for (i, one) in items.iter().enumerate().take(4) {
                        walk(one, &format!("{here}[{i}]"), depth + 1, rows);
                    }
                }
                other => {
                    if let Some(t) = text(other) {
                        rows.push((here, t));
                    }
                }
            }
        }
    }
    walk(&doc["credentialSubject"], "", 0, &mut rows);
    for key in [
        "validFrom",
        "validUntil",
        "issuanceDate",
        "expirationDate",
        "awardedDate",
    ] {
        if let Some(v) = doc.get(key).and_then(Value::as_str) {
            rows.push((key.to_string(), v.to_string()));
        }
    }
    rows.truncate(24);
    rows
}
