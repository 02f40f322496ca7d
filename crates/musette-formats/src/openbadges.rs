//! Open Badges: reading 3.0 credentials and 2.0 assertions (JSON, or baked into PNG or SVG)
//! into the fields of a `badge` record, checking the proofs that can be checked offline, and
//! baking a credential back into an image.
//!
//! The credential is kept as the exact text it came in, so it can be verified again and given
//! back unchanged.

use std::collections::HashMap;

use musette_core::credential::{Outcome, Verification, types_of, verify_document_at, verify_jwt};
use musette_core::i18n::{Arg, Lang, Msg};
use musette_core::msg;
use musette_core::proof::ProofStatus;
use serde_json::{Map, Value};

use crate::{FORMATS, FormatError, Result, malformed, png, svg};

/// The PNG keyword of an Open Badges 3.0 credential.
pub const PNG_KEYWORD_V3: &str = "openbadgecredential";
/// The PNG keyword of an Open Badges 2.0 assertion.
pub const PNG_KEYWORD_V2: &str = "openbadges";

/// Where a badge was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A JSON file.
    Json,
    /// Baked into a PNG image.
    Png,
    /// Baked into an SVG image.
    Svg,
}

/// The Open Badges version of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 2.0 (an `Assertion`).
    V2,
    /// 3.0 (a Verifiable Credential).
    V3,
}

/// What checking a badge's proof found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every proof holds (eddsa-jcs-2022 with did:key); the signers' dids.
    Verified(Vec<String>),
    /// A proof does not hold: why.
    Invalid(Msg),
    /// No proof at all.
    Unsigned,
    /// A proof musette cannot check offline: the suite or the reason.
    Unsupported(Msg),
    /// Every proof holds but it is expired or not yet valid: which.
    NotValidNow(Msg),
}

impl Status {
    /// The status as a message (`verified`, `invalid: …`): its English is the `Display`.
    pub fn msg(&self) -> Msg {
        match self {
            Status::Verified(_) => msg!(FORMATS, "badge-status-verified"),
            Status::Invalid(why) => msg!(FORMATS, "badge-status-invalid", why = why.clone()),
            Status::Unsigned => msg!(FORMATS, "badge-status-unsigned"),
            Status::Unsupported(what) => {
                msg!(FORMATS, "badge-status-unchecked", why = what.clone())
            }
            Status::NotValidNow(when) => {
                msg!(FORMATS, "badge-status-not-now", when = when.clone())
            }
        }
    }

    /// The status in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        self.msg().say(lang)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.msg().fmt(f)
    }
}

/// A badge read from a file.
#[derive(Debug, Clone)]
pub struct Badge {
    /// Where it was found.
    pub container: Container,
    /// Its version.
    pub version: Version,
    /// Its credential or assertion, as the exact text found.
    pub original: String,
    /// The fields of the badge record: name, issuer, issued, expires, criteria, url, credential.
    pub fields: Map<String, Value>,
    /// The proof check.
    pub status: Status,
}

/// Reads a badge from a file's bytes: JSON, or a PNG or SVG image with a badge baked in.
pub fn read(bytes: &[u8]) -> Result<Badge> {
    if png::is_png(bytes) {
        let (keyword, text) = png::find_text(bytes, &[PNG_KEYWORD_V3, PNG_KEYWORD_V2])?
            .ok_or_else(|| malformed(msg!(FORMATS, "badge-png-none")))?;
        return from_text(Container::Png, &text, None, keyword == PNG_KEYWORD_V2);
    }
    if svg::is_svg(bytes) {
        let text =
            std::str::from_utf8(bytes).map_err(|_| malformed(msg!(FORMATS, "svg-not-utf8")))?;
        let baked =
            svg::find_badge(text)?.ok_or_else(|| malformed(msg!(FORMATS, "badge-svg-none")))?;
        return from_text(
            Container::Svg,
            &baked.text,
            baked.verify.as_deref(),
            baked.element == "assertion",
        );
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| FormatError::Unrecognised(msg!(FORMATS, "badge-unrecognised")))?
        .trim_start_matches('\u{feff}');
    if !text.trim_start().starts_with('{') && !text.trim_start().starts_with("ey") {
        return Err(FormatError::Unrecognised(msg!(
            FORMATS,
            "badge-unrecognised"
        )));
    }
    from_text(Container::Json, text, None, false)
}

fn from_text(
    container: Container,
    text: &str,
    verify_url: Option<&str>,
    v2_hint: bool,
) -> Result<Badge> {
    // Open Badges 3.0 §5.3.2 bakes a VC-JWT into an SVG's `verify` attribute, with no content.
    let (text, verify_url) = match verify_url.map(str::trim) {
        Some(v) if text.trim().is_empty() && v.starts_with("ey") && v.split('.').count() == 3 => {
            (v, None)
        }
        other => (text, other),
    };
    let trimmed = text.trim();
    if let Some(key) = musette_core::credential::duplicate_key(trimmed) {
        return Err(malformed(msg!(
            FORMATS,
            "badge-key-twice",
            key = format!("{key:?}")
        )));
    }
    if trimmed.is_empty() {
        return match verify_url {
            Some(url) => Err(malformed(msg!(FORMATS, "badge-hosted", url = url))),
            None => Err(malformed(msg!(FORMATS, "badge-empty"))),
        };
    }
    if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        return Err(malformed(msg!(FORMATS, "badge-hosted", url = trimmed)));
    }
    // A compact JWS / VC-JWT: three base64url parts; its payload holds the badge.
    let (json, jwt): (Value, bool) = if !trimmed.starts_with('{') && trimmed.split('.').count() == 3
    {
        let payload = trimmed.split('.').nth(1).unwrap_or("");
        let bytes = data_encoding::BASE64URL_NOPAD
            .decode(payload.trim_end_matches('=').as_bytes())
            .map_err(|_| malformed(msg!(FORMATS, "badge-not-jws")))?;
        let mut v: Value = serde_json::from_slice(&bytes)
            .map_err(|_| malformed(msg!(FORMATS, "badge-jws-not-json")))?;
        if let Some(vc) = v.get("vc").cloned() {
            v = vc;
        }
        (v, true)
    } else {
        let v = serde_json::from_str(trimmed)
            .map_err(|e| malformed(msg!(FORMATS, "badge-not-json", why = e.to_string())))?;
        (v, false)
    };
    if !json.is_object() {
        return Err(malformed(msg!(FORMATS, "badge-not-object")));
    }
    let types = types_of(&json);
    let v3 = types.iter().any(|t| {
        matches!(
            t.as_str(),
            "OpenBadgeCredential" | "AchievementCredential" | "EndorsementCredential"
        )
    });
    let v2 = !v3
        && (types.iter().any(|t| t == "Assertion")
            || (json.get("badge").is_some() && json.get("recipient").is_some()));
    let original = if container == Container::Json {
        text.to_string()
    } else {
        trimmed.to_string()
    };
    match (v3, v2 || v2_hint) {
        (true, _) => {
            let (fields, status) = read_v3(&json, &original, jwt)?;
            Ok(Badge {
                container,
                version: Version::V3,
                original,
                fields,
                status,
            })
        }
        (false, true) => {
            let (fields, status) = read_v2(&json, &original, jwt, verify_url)?;
            Ok(Badge {
                container,
                version: Version::V2,
                original,
                fields,
                status,
            })
        }
        _ => Err(FormatError::Unrecognised(msg!(
            FORMATS,
            "badge-not-open-badge"
        ))),
    }
}

/// A string, or the first of `keys` of an object (an issuer given as a URL or as a profile).
fn text_or_field(v: Option<&Value>, keys: &[&str]) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => keys
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        _ => None,
    }
}

fn text_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The date part of a dateTime (`2024-05-01T…` → `2024-05-01`), if it is a valid date.
fn date_of(s: &str) -> Option<String> {
    let d = s.get(..10).unwrap_or(s);
    musette_core::model::validate_date(d)
        .ok()
        .map(|_| d.to_string())
}

fn read_v3(json: &Value, original: &str, jwt: bool) -> Result<(Map<String, Value>, Status)> {
    let missing = |what: &str| malformed(msg!(FORMATS, "badge-missing-v3", what = what));
    let endorsement = types_of(json).iter().any(|t| t == "EndorsementCredential");
    if json.get("credentialSubject").is_none_or(|s| !s.is_object()) {
        return Err(missing("credentialSubject"));
    }
    let name = text_at(json, "/credentialSubject/achievement/name")
        .or_else(|| text_at(json, "/name"))
        .ok_or_else(|| missing("name"))?;
    let issuer =
        text_or_field(json.get("issuer"), &["name", "id"]).ok_or_else(|| missing("issuer"))?;
    let issued = text_at(json, "/validFrom")
        .or_else(|| text_at(json, "/issuanceDate"))
        .ok_or_else(|| missing("validFrom"))?;
    let mut fields = Map::new();
    fields.insert("name".into(), name.into());
    fields.insert("issuer".into(), issuer.into());
    if let Some(d) = date_of(issued) {
        fields.insert("issued".into(), d.into());
    }
    if let Some(d) = text_at(json, "/validUntil")
        .or_else(|| text_at(json, "/expirationDate"))
        .and_then(date_of)
    {
        fields.insert("expires".into(), d.into());
    }
    let criteria = text_at(json, "/credentialSubject/achievement/criteria/narrative")
        .or_else(|| text_at(json, "/credentialSubject/achievement/criteria/id"))
        .or_else(|| {
            if endorsement {
                text_at(json, "/credentialSubject/endorsementComment")
            } else {
                None
            }
        });
    if let Some(c) = criteria {
        fields.insert("criteria".into(), c.into());
    }
    let url = text_at(json, "/credentialSubject/achievement/id")
        .or_else(|| text_at(json, "/id"))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    if let Some(u) = url {
        fields.insert("url".into(), u.into());
    }
    fields.insert("credential".into(), original_json(original, json)?);
    let now = time::OffsetDateTime::now_utc();
    let report = if jwt {
        verify_jwt(original.trim(), &HashMap::new(), now)
    } else {
        verify_document_at(json, &HashMap::new(), now)
    };
    Ok((fields, status_of(report)))
}

/// The record's `credential` field: the original text when it is JSON, else the decoded JSON.
fn original_json(original: &str, json: &Value) -> Result<Value> {
    if serde_json::from_str::<Value>(original).is_ok() {
        Ok(Value::String(original.to_string()))
    } else {
        Ok(Value::String(serde_json::to_string(json).map_err(|e| {
            malformed(msg!(FORMATS, "badge-unwritable", why = e.to_string()))
        })?))
    }
}

fn status_of(report: musette_core::Result<Verification>) -> Status {
    let report = match report {
        Ok(r) => r,
        Err(e) => return Status::Invalid(e.to_msg()),
    };
    if report.proofs.is_empty() {
        return Status::Unsigned;
    }
    let first = |want: fn(&ProofStatus) -> Option<&Msg>| {
        report
            .proofs
            .iter()
            .find_map(|p| want(&p.check.status))
            .cloned()
    };
    match report.outcome {
        Outcome::Verified => Status::Verified(
            report
                .proofs
                .iter()
                .filter_map(|p| p.check.did.clone())
                .collect(),
        ),
        Outcome::Failed => Status::Invalid(
            first(|s| match s {
                ProofStatus::Invalid(why) => Some(why),
                _ => None,
            })
            .unwrap_or_else(|| msg!(FORMATS, "badge-not-by-issuer")),
        ),
        Outcome::NotValidNow => Status::NotValidNow(
            report
                .not_valid_now
                .unwrap_or_else(|| msg!(FORMATS, "badge-status-not-now", when = "")),
        ),
        Outcome::CannotBeChecked => Status::Unsupported(
            first(|s| match s {
                ProofStatus::Unsupported(why) => Some(why),
                _ => None,
            })
            .or_else(|| {
                report
                    .status_list
                    .map(|at| msg!(FORMATS, "badge-status-online", url = at))
            })
            .unwrap_or_else(|| msg!(FORMATS, "badge-no-offline-proof")),
        ),
    }
}

fn read_v2(
    json: &Value,
    original: &str,
    jwt: bool,
    verify_url: Option<&str>,
) -> Result<(Map<String, Value>, Status)> {
    let missing = |what: &str| malformed(msg!(FORMATS, "badge-missing-v2", what = what));
    let badge = json.get("badge").ok_or_else(|| missing("badge"))?;
    let issued = text_at(json, "/issuedOn").ok_or_else(|| missing("issuedOn"))?;
    let mut fields = Map::new();
    match badge {
        Value::Object(_) => {
            let name = text_at(badge, "/name").ok_or_else(|| missing("badge-name"))?;
            fields.insert("name".into(), name.into());
            if let Some(i) = text_or_field(badge.get("issuer"), &["name", "id"]) {
                fields.insert("issuer".into(), i.into());
            }
            if let Some(c) = text_or_field(badge.get("criteria"), &["narrative", "id"]) {
                fields.insert("criteria".into(), c.into());
            }
            if let Some(u) = text_at(badge, "/id").filter(|u| u.starts_with("http")) {
                fields.insert("url".into(), u.into());
            }
        }
        Value::String(url) => {
            // The badge class is only linked: its name cannot be read offline.
            fields.insert(
                "name".into(),
                format!("Open Badge (badge class at {url})").into(),
            );
            fields.insert("url".into(), url.clone().into());
        }
        _ => return Err(missing("badge")),
    }
    if let Some(d) = date_of(issued) {
        fields.insert("issued".into(), d.into());
    }
    if let Some(d) = text_at(json, "/expires").and_then(date_of) {
        fields.insert("expires".into(), d.into());
    }
    fields.insert("credential".into(), original_json(original, json)?);
    let kind = text_at(json, "/verification/type")
        .unwrap_or("hosted")
        .to_ascii_lowercase();
    // 1.0 assertions name no context (and point to themselves with `verify.url`).
    let version = if json.get("@context").is_some() {
        "2.0"
    } else {
        "1.0"
    };
    let status = if jwt || kind.contains("signed") {
        let key = text_at(json, "/verification/creator")
            .or_else(|| text_at(json, "/verify/url"))
            .map_or_else(|| msg!(FORMATS, "badge-issuer-site").into(), Arg::from);
        Status::Unsupported(Msg::new(
            &FORMATS,
            "badge-signed-v2",
            vec![("version", version.into()), ("key", key)],
        ))
    } else {
        let at = verify_url
            .or_else(|| text_at(json, "/verify/url"))
            .or_else(|| text_at(json, "/id"))
            .map_or_else(|| msg!(FORMATS, "badge-issuer-site").into(), Arg::from);
        Status::Unsupported(Msg::new(
            &FORMATS,
            "badge-hosted-v2",
            vec![("version", version.into()), ("url", at)],
        ))
    };
    Ok((fields, status))
}

/// Bakes a badge's credential text into a PNG image (replacing any badge already in it).
pub fn bake_png(image: &[u8], credential: &str, version: Version) -> Result<Vec<u8>> {
    let keyword = match version {
        Version::V3 => PNG_KEYWORD_V3,
        Version::V2 => PNG_KEYWORD_V2,
    };
    png::with_itxt(
        image,
        keyword,
        credential,
        &[PNG_KEYWORD_V3, PNG_KEYWORD_V2],
    )
}

/// Bakes a badge's credential text into an SVG image (replacing any badge already in it).
pub fn bake_svg(image: &str, credential: &str, version: Version) -> Result<String> {
    svg::bake(image, credential, version == Version::V3)
}

/// The version of a badge's credential text.
pub fn version_of(credential: &str) -> Version {
    let json: Value = serde_json::from_str(credential).unwrap_or(Value::Null);
    if types_of(&json).iter().any(|t| t == "Assertion") || json.get("badge").is_some() {
        Version::V2
    } else {
        Version::V3
    }
}

/// What makes a badge the same badge: the SHA-256 of its canonical JSON (RFC 8785), so the
/// bytes around it do not count, while any change to what it says (even under the same `id`)
/// does.
pub fn identity(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text.trim()).ok()?;
    let canonical = musette_core::proof::canonicalize(&v).ok()?;
    Some(format!(
        "c14n:{}",
        musette_core::crypto::hex(&musette_core::crypto::sha256(&canonical))
    ))
}

/// The badge record already holding this badge, imported before as JSON or baked in an image,
/// whatever the bytes around it (a trailing newline, another indentation).
pub fn held(vault: &musette_core::Vault, badge: &Badge) -> musette_core::Result<Option<String>> {
    let Some(original) = badge
        .fields
        .get("credential")
        .and_then(Value::as_str)
        .and_then(identity)
    else {
        return Ok(None);
    };
    Ok(vault
        .records_of(musette_core::model::Kind::Badge)?
        .into_iter()
        .find(|(f, _)| {
            f.get("credential")
                .and_then(Value::as_str)
                .and_then(identity)
                .as_deref()
                == Some(original.as_str())
        })
        .map(|(_, id)| id))
}
