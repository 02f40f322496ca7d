//! Verifiable Credentials (W3C VC Data Model 2.0) made from records, presentations of several
//! records, and the verification of any credential or presentation.
//!
//! A record becomes a credential signed by the owner (`eddsa-jcs-2022`). Only the fields the owner
//! chooses go in; nothing else of the record does: no record id (the credential gets a fresh
//! `urn:uuid:`), no tags, no times, no attachment names, and no reference to another record. An
//! experience or a skill is issued as an Open Badges 3.0 `OpenBadgeCredential`, a self-asserted
//! achievement, so badge tools can read it.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::{FieldType, Kind};
use crate::proof::{self, ProofCheck, ProofStatus};
use crate::records::now_rfc3339;
use crate::vault::Vault;

/// The base context of every VC 2.0 document.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

fn urn_uuid() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

/// The credential type of a kind that is not issued as an Open Badge.
fn credential_type(kind: Kind) -> String {
    let name = kind.as_str();
    let mut chars = name.chars();
    let first = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or_default();
    format!("{first}{}Credential", chars.as_str())
}

/// The fields of a record chosen for a credential: all of them (less references to other
/// records, which would leak the vault's ids) or those named.
pub fn chosen_fields(
    kind: Kind,
    fields: &Map<String, Value>,
    chosen: Option<&[String]>,
) -> Result<Map<String, Value>> {
    let is_ref = |name: &str| {
        kind.field(name)
            .is_some_and(|f| f.ty == FieldType::RecordRef)
    };
    let mut out = Map::new();
    match chosen {
        None => {
            for (k, v) in fields {
                if !is_ref(k) {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Some(names) => {
            for name in names {
                if is_ref(name) {
                    return Err(Error::invalid(format!(
                        "field {name} refers to another record of your vault and cannot be shared"
                    )));
                }
                let v = fields.get(name).ok_or_else(|| {
                    Error::invalid(format!(
                        "this {kind} has no field {name}: its fields are {}",
                        fields.keys().cloned().collect::<Vec<_>>().join(", ")
                    ))
                })?;
                out.insert(name.clone(), v.clone());
            }
        }
    }
    // A badge's original credential travels as JSON, not as text holding JSON.
    if let Some(Value::String(text)) = out.get("credential")
        && let Ok(parsed) = serde_json::from_str::<Value>(text)
    {
        out.insert("credential".into(), parsed);
    }
    Ok(out)
}

/// The unsigned credential for a record's chosen fields.
pub fn unsigned_credential(
    kind: Kind,
    fields: Map<String, Value>,
    issuer: &str,
    valid_from: &str,
) -> Value {
    let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);
    match kind {
        Kind::Experience | Kind::Skill => {
            let name = text(kind.required()).unwrap_or_else(|| format!("A {kind}"));
            let description = text("description")
                .or_else(|| text("notes"))
                .unwrap_or_else(|| match (kind, text("organization")) {
                    (Kind::Experience, Some(org)) => format!("{name}, {org}"),
                    _ => format!("Self-asserted {kind}: {name}"),
                });
            let mut subject = Map::new();
            subject.insert("id".into(), issuer.into());
            subject.insert("type".into(), json!(["AchievementSubject"]));
            subject.insert(
                "achievement".into(),
                json!({
                    "id": urn_uuid(),
                    "type": ["Achievement"],
                    "achievementType": if kind == Kind::Skill { "Competency" } else { "ext:Experience" },
                    "name": name,
                    "description": description,
                    "criteria": {"narrative": format!("Self-asserted by the holder from their own records ({kind}).")},
                }),
            );
            // The record's fields never overwrite the vocabulary's own properties (an
            // experience's `type`, such as "employment", is not the subject's type).
            for (k, v) in fields {
                let k = match k.as_str() {
                    "type" if kind == Kind::Experience => "experienceType".to_string(),
                    "id" | "type" | "achievement" | "@context" => format!("record_{k}"),
                    _ => k,
                };
                subject.entry(k).or_insert(v);
            }
            json!({
                "@context": [VC_CONTEXT, OB3_CONTEXT],
                "id": urn_uuid(),
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": issuer, "type": ["Profile"]},
                "validFrom": valid_from,
                "name": name,
                "credentialSubject": subject,
            })
        }
        _ => {
            let mut subject = Map::new();
            if kind == Kind::Recommendation {
                subject.insert("id".into(), issuer.into());
            }
            subject.insert("type".into(), json!(kind.as_str()));
            for (k, v) in fields {
                subject.insert(k, v);
            }
            json!({
                "@context": [VC_CONTEXT],
                "id": urn_uuid(),
                "type": ["VerifiableCredential", credential_type(kind)],
                "issuer": issuer,
                "validFrom": valid_from,
                "credentialSubject": subject,
            })
        }
    }
}

/// The outcome of verifying a credential or a presentation.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// `credential` or `presentation`.
    pub kind: String,
    /// The document's types.
    pub types: Vec<String>,
    /// The issuer (credential) or holder (presentation), as given.
    pub issuer: Option<String>,
    /// The issuer's name, when the document gives one or a contact has its did.
    pub issuer_name: Option<String>,
    /// The document's name or, for a credential, the subject's main value.
    pub title: Option<String>,
    /// Each proof, checked; `name` is the contact whose did signed it, when known.
    pub proofs: Vec<SignedBy>,
    /// Whether a proof is by the issuer (`None` when the issuer is not a did:key).
    pub issuer_signed: Option<bool>,
    /// For a presentation: each credential it holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Verification>,
    /// Whether everything holds.
    pub verified: bool,
    /// When it stops or starts being valid, if that is not now: `expired on 2025-01-09`,
    /// `valid only from 2099-01-01`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_valid_now: Option<String>,
    /// Where its status (revocation, suspension) is published, which needs the network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_list: Option<String>,
    /// Whether it came signed as a JWT (VC-JWT) rather than with Data Integrity proofs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub jwt: bool,
    /// Everything weighed: `verified`, `failed` (a proof does not hold), `cannot_be_checked`
    /// (offline: a key, context, status or suite beyond reach), `not_valid_now` (the proofs hold
    /// but it is expired or not yet valid).
    pub outcome: Outcome,
}

/// The overall outcome of a verification, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A proof does not hold, or there is none, or none is by the issuer.
    Failed,
    /// Every proof that could be checked holds, but it is expired or not yet valid.
    NotValidNow,
    /// Something needs the network or a suite musette does not know.
    CannotBeChecked,
    /// Every proof holds, by the issuer, and it is valid now.
    Verified,
}

fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(s, &Rfc3339).ok().or_else(|| {
        // A bare date (some issuers write one) counts from its midnight, UTC.
        let d = time::Date::parse(
            s.get(..10)?,
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()?;
        Some(d.midnight().assume_utc())
    })
}

/// `Some(why)` when `doc` is not valid at `now` (VC 2.0 `validFrom`/`validUntil`, VC 1.1
/// `issuanceDate`/`expirationDate`).
fn validity_at(doc: &Value, now: time::OffsetDateTime) -> Option<String> {
    let at = |k: &str| doc.get(k).and_then(Value::as_str);
    if let Some(until) = at("validUntil").or_else(|| at("expirationDate"))
        && parse_time(until).is_some_and(|t| t < now)
    {
        return Some(format!("expired on {until}"));
    }
    if let Some(from) = at("validFrom").or_else(|| at("issuanceDate"))
        && parse_time(from).is_some_and(|t| t > now)
    {
        return Some(format!("valid only from {from}"));
    }
    None
}

/// Where a credential's status is published, when it has one.
fn status_list(doc: &Value) -> Option<String> {
    let status = doc.get("credentialStatus")?;
    let first = match status {
        Value::Array(items) => items.first()?,
        one => one,
    };
    Some(
        ["statusListCredential", "id"]
            .iter()
            .find_map(|k| first.get(*k).and_then(Value::as_str))
            .unwrap_or("a list it names")
            .to_string(),
    )
}

/// A proof and who made it.
#[derive(Debug, Clone, Serialize)]
pub struct SignedBy {
    /// The proof, checked.
    #[serde(flatten)]
    pub check: ProofCheck,
    /// The name of the contact whose did made the proof.
    pub name: Option<String>,
}

/// Whether a JSON value is a credential or a presentation (by its `type`).
pub fn document_kind(doc: &Value) -> Option<&'static str> {
    let types = types_of(doc);
    if types.iter().any(|t| t == "VerifiablePresentation") {
        Some("presentation")
    } else if types
        .iter()
        .any(|t| t == "VerifiableCredential" || t.ends_with("Credential"))
    {
        Some("credential")
    } else {
        None
    }
}

/// A document's `type`, as a list (it may be one string or an array).
pub fn types_of(doc: &Value) -> Vec<String> {
    match doc.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec![],
    }
}

/// Verifies a credential or a presentation (and every credential in it). `names` maps a did to
/// the name of a contact, to say who signed. Errors only when `doc` is neither.
pub fn verify_document(doc: &Value, names: &HashMap<String, String>) -> Result<Verification> {
    verify_document_at(doc, names, time::OffsetDateTime::now_utc())
}

/// [`verify_document`] as of `now`.
pub fn verify_document_at(
    doc: &Value,
    names: &HashMap<String, String>,
    now: time::OffsetDateTime,
) -> Result<Verification> {
    let kind = document_kind(doc).ok_or_else(|| {
        Error::invalid(
            "this is not a verifiable credential or presentation: its type names neither",
        )
    })?;
    if !doc.is_object() {
        return Err(Error::invalid("a credential is a JSON object"));
    }
    let who = if kind == "presentation" {
        "holder"
    } else {
        "issuer"
    };
    let (issuer, mut issuer_name) = match doc.get(who) {
        Some(Value::String(s)) => (Some(s.clone()), None),
        Some(Value::Object(o)) => (
            o.get("id").and_then(Value::as_str).map(str::to_string),
            o.get("name").and_then(Value::as_str).map(str::to_string),
        ),
        _ => (None, None),
    };
    if let Some(name) = issuer.as_ref().and_then(|i| names.get(i)) {
        issuer_name = Some(name.clone());
    }
    let proofs: Vec<SignedBy> = proof::check_all(doc)
        .into_iter()
        .map(|check| {
            let name = check.did.as_ref().and_then(|d| names.get(d)).cloned();
            SignedBy { check, name }
        })
        .collect();
    let issuer_signed = issuer
        .as_ref()
        .filter(|i| i.starts_with("did:key:"))
        .map(|i| {
            proofs.iter().any(|p| {
                p.check.did.as_deref() == Some(i) && p.check.status == ProofStatus::Verified
            })
        });
    let mut credentials = Vec::new();
    if kind == "presentation" {
        let inner = match doc.get("verifiableCredential") {
            Some(Value::Array(items)) => items.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => vec![],
        };
        for c in &inner {
            credentials.push(
                verify_document_at(c, names, now).unwrap_or_else(|e| Verification {
                    kind: "credential".into(),
                    types: types_of(c),
                    issuer: None,
                    issuer_name: None,
                    title: Some(e.to_string()),
                    proofs: vec![],
                    issuer_signed: None,
                    credentials: vec![],
                    verified: false,
                    not_valid_now: None,
                    status_list: None,
                    jwt: false,
                    outcome: Outcome::Failed,
                }),
            );
        }
    }
    let title = doc
        .get("name")
        .and_then(Value::as_str)
        .or_else(|| {
            doc.pointer("/credentialSubject/achievement/name")
                .and_then(Value::as_str)
        })
        .or_else(|| {
            let s = doc.get("credentialSubject")?;
            ["name", "title", "text"]
                .iter()
                .find_map(|k| s.get(*k).and_then(Value::as_str))
        })
        .map(str::to_string);
    let not_valid_now = validity_at(doc, now);
    let status_list = status_list(doc);
    let outcome = outcome_of(
        &proofs,
        issuer_signed,
        &credentials,
        not_valid_now.is_some(),
        status_list.is_some(),
    );
    let verified = outcome == Outcome::Verified;
    Ok(Verification {
        kind: kind.into(),
        types: types_of(doc),
        issuer,
        issuer_name,
        title,
        proofs,
        issuer_signed,
        credentials,
        verified,
        not_valid_now,
        status_list,
        jwt: false,
        outcome,
    })
}

/// Verifies a credential signed as a compact JWS (VC-JWT): its signature, then what it says,
/// as [`verify_document_at`] does for Data Integrity proofs.
pub fn verify_jwt(
    token: &str,
    names: &HashMap<String, String>,
    now: time::OffsetDateTime,
) -> Result<Verification> {
    let payload = crate::jose::payload(token)
        .ok_or_else(|| Error::invalid("this is not a JWT: its payload is not base64url JSON"))?;
    let mut doc = payload
        .get("vc")
        .cloned()
        .unwrap_or_else(|| payload.clone());
    let claim_time = |k: &str| {
        payload
            .get(k)
            .and_then(Value::as_i64)
            .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
    };
    if let Some(map) = doc.as_object_mut() {
        map.remove("proof");
        if let Some(iss) = payload.get("iss").and_then(Value::as_str) {
            map.entry("issuer")
                .or_insert_with(|| Value::String(iss.to_string()));
        }
        if let Some(exp) = claim_time("exp") {
            map.entry("validUntil").or_insert(Value::String(exp));
        }
        if let Some(nbf) = claim_time("nbf") {
            map.entry("validFrom").or_insert(Value::String(nbf));
        }
    }
    let mut report = verify_document_at(&doc, names, now)?;
    let header = token.split('.').next().and_then(|h| {
        data_encoding::BASE64URL_NOPAD
            .decode(h.trim_end_matches('=').as_bytes())
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    });
    let kid = header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let (status, did, method) = match crate::jose::verify_compact(token) {
        crate::jose::JwsCheck::Verified(crate::jose::KeySource::DidKey(d)) => {
            (ProofStatus::Verified, Some(d), kid.unwrap_or_default())
        }
        crate::jose::JwsCheck::Verified(crate::jose::KeySource::Embedded) => {
            (ProofStatus::Verified, None, "jwk".to_string())
        }
        crate::jose::JwsCheck::Invalid(why) => {
            (ProofStatus::Invalid(why), None, kid.unwrap_or_default())
        }
        crate::jose::JwsCheck::Unsupported(why) => {
            (ProofStatus::Unsupported(why), None, kid.unwrap_or_default())
        }
    };
    let check = proof::ProofCheck {
        verification_method: method,
        did: did.clone(),
        created: claim_time("iat").or_else(|| claim_time("nbf")),
        purpose: Some("assertionMethod".into()),
        challenge: None,
        domain: None,
        status,
    };
    let name = did.as_ref().and_then(|d| names.get(d)).cloned();
    report.proofs = vec![SignedBy { check, name }];
    let embedded = did.is_none() && status_is_verified(&report.proofs);
    report.issuer_signed = report
        .issuer
        .as_ref()
        .filter(|i| i.starts_with("did:key:") && !embedded)
        .map(|i| did.as_deref() == Some(i.as_str()));
    report.outcome = outcome_of(
        &report.proofs,
        report.issuer_signed,
        &report.credentials,
        report.not_valid_now.is_some(),
        report.status_list.is_some(),
    );
    report.verified = report.outcome == Outcome::Verified;
    report.jwt = true;
    Ok(report)
}

fn status_is_verified(proofs: &[SignedBy]) -> bool {
    proofs
        .iter()
        .all(|p| p.check.status == ProofStatus::Verified)
}

fn outcome_of(
    proofs: &[SignedBy],
    issuer_signed: Option<bool>,
    credentials: &[Verification],
    not_valid_now: bool,
    status_list: bool,
) -> Outcome {
    let status = |s: &dyn Fn(&ProofStatus) -> bool| proofs.iter().any(|p| s(&p.check.status));
    let inner = credentials.iter().map(|c| c.outcome).min();
    if proofs.is_empty()
        || status(&|s| matches!(s, ProofStatus::Invalid(_)))
        || issuer_signed == Some(false) && !status(&|s| matches!(s, ProofStatus::Unsupported(_)))
        || inner == Some(Outcome::Failed)
    {
        return Outcome::Failed;
    }
    if not_valid_now || inner == Some(Outcome::NotValidNow) {
        return Outcome::NotValidNow;
    }
    if status(&|s| matches!(s, ProofStatus::Unsupported(_)))
        || status_list
        || issuer_signed == Some(false)
        || inner == Some(Outcome::CannotBeChecked)
    {
        return Outcome::CannotBeChecked;
    }
    Outcome::Verified
}

impl Vault {
    /// A record as a credential signed by the owner, with only the `chosen` fields (all when
    /// `None`). A co-signed recommendation is given back with every proof.
    pub fn issue_credential(&self, id: &str, chosen: Option<&[String]>) -> Result<Value> {
        let record = self.show(id)?;
        let kind = record.state.kind;
        if kind == Kind::Recommendation
            && let Some(stored) = self.stored_recommendation(&record)?
        {
            if chosen.is_some() {
                return Err(Error::invalid(
                    "this recommendation is co-signed: it can only be issued whole, without --fields",
                ));
            }
            return Ok(stored);
        }
        let owner = self.owner()?;
        let fields = chosen_fields(kind, &record.state.fields, chosen)?;
        let fields = if kind == Kind::Recommendation {
            strip_credential(fields)
        } else {
            fields
        };
        let mut doc = unsigned_credential(kind, fields, owner.did(), &now_rfc3339());
        proof::add_proof(&mut doc, &owner, "assertionMethod", &now_rfc3339())?;
        Ok(doc)
    }

    /// A presentation holding a credential for each record, signed by the owner.
    pub fn present(&self, ids: &[String], chosen: Option<&[String]>) -> Result<Value> {
        self.present_for(ids, chosen, None, None)
    }

    /// [`Vault::present`] for one verifier's request: its `challenge` (a nonce) and `domain`
    /// go in the holder's signed proof, so the file cannot be replayed to another request.
    pub fn present_for(
        &self,
        ids: &[String],
        chosen: Option<&[String]>,
        challenge: Option<&str>,
        domain: Option<&str>,
    ) -> Result<Value> {
        if ids.is_empty() {
            return Err(Error::invalid("name at least one record to present"));
        }
        let owner = self.owner()?;
        let mut credentials = Vec::new();
        for id in ids {
            let record = self.show(id)?;
            // Only the chosen fields this record has; a field none has is an error below.
            let names: Option<Vec<String>> = chosen.map(|c| {
                c.iter()
                    .filter(|n| record.state.fields.contains_key(*n))
                    .cloned()
                    .collect()
            });
            // A record with none of the chosen fields would travel empty: say so instead.
            if names.as_ref().is_some_and(Vec::is_empty) {
                let have: Vec<&str> = record.state.fields.keys().map(String::as_str).collect();
                return Err(Error::invalid(format!(
                    "record {} has none of the fields {}: its fields are {}",
                    record.id,
                    chosen.unwrap_or_default().join(","),
                    have.join(", ")
                )));
            }
            credentials.push(self.issue_credential(&record.id, names.as_deref())?);
        }
        if let Some(c) = chosen {
            for name in c {
                let used = credentials.iter().any(|cred| {
                    cred.get("credentialSubject")
                        .and_then(|s| s.get(name))
                        .is_some()
                });
                if !used {
                    return Err(Error::invalid(format!(
                        "none of the records presented has a field {name}"
                    )));
                }
            }
        }
        let mut doc = json!({
            "@context": [VC_CONTEXT],
            "id": urn_uuid(),
            "type": ["VerifiablePresentation"],
            "holder": owner.did(),
            "verifiableCredential": credentials,
        });
        let mut options = Vec::new();
        if let Some(c) = challenge {
            options.push(("challenge", c));
        }
        if let Some(d) = domain {
            options.push(("domain", d));
        }
        proof::add_proof_with(&mut doc, &owner, "authentication", &now_rfc3339(), &options)?;
        Ok(doc)
    }

    /// Names of contacts by did, to say who signed.
    pub fn contact_names(&self) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        for (fields, _) in self.records_of(Kind::Contact)? {
            if let (Some(Value::String(did)), Some(Value::String(name))) =
                (fields.get("did"), fields.get("name"))
            {
                out.insert(did.clone(), name.clone());
            }
        }
        Ok(out)
    }
}

fn strip_credential(mut fields: Map<String, Value>) -> Map<String, Value> {
    fields.remove("credential");
    fields
}
