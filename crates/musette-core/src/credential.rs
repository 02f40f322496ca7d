//! Verifiable Credentials (W3C VC Data Model 2.0) made from records, presentations of several
//! records, and the verification of any credential or presentation.
//!
//! A record becomes a credential signed by the owner (`eddsa-jcs-2022`). Only the fields the owner
//! chooses go in; nothing else of the record does: no record id (the credential gets a fresh
//! `urn:uuid:`), no tags, no times, no attachment names, and no reference to another record. An
//! experience or a skill is issued as an Open Badges 3.0 `OpenBadgeCredential`, a self-asserted
//! achievement, so badge tools can read it.

use crate::i18n::{Arg, CORE, Msg};
use crate::msg;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::{FieldType, Kind};
use crate::proof::{self, ProofCheck, ProofStatus, SigningSuite};
use crate::records::now_rfc3339;
use crate::vault::Vault;

pub use crate::vocab::{OB3_CONTEXT, VC_CONTEXT};

fn urn_uuid() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
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
                    return Err(Error::invalid(msg!(
                        CORE,
                        "share-field-refers",
                        name = name
                    )));
                }
                let v = fields.get(name).ok_or_else(|| Error::NoSuchField {
                    kind: kind.as_str(),
                    field: name.clone(),
                    fields: fields.keys().cloned().collect(),
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

/// The unsigned credential for a record's chosen fields, in VC 2.0 and Open Badges 3.0 terms
/// ([`crate::vocab`]).
pub fn unsigned_credential(
    kind: Kind,
    fields: Map<String, Value>,
    issuer: &str,
    valid_from: &str,
) -> Value {
    crate::vocab::to_credential(kind, &fields, issuer, valid_from)
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
    /// Whom it is about (`credentialSubject.id`), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What it says, for people: `[field, value]` rows ([`crate::vocab::describe`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub says: Vec<(String, String)>,
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
    pub not_valid_now: Option<Msg>,
    /// Where its status (revocation, suspension) is published, which needs the network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_list: Option<String>,
    /// What cannot be checked offline about the document as a whole (its status list, who its
    /// signer is to its issuer), each said plainly.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<Msg>,
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
/// `issuanceDate`/`expirationDate`): `validity-expired` or `validity-not-yet`, with the
/// `date` as the document writes it (for a reader to show as their language does).
fn validity_at(doc: &Value, now: time::OffsetDateTime) -> Option<Msg> {
    let at = |k: &str| doc.get(k).and_then(Value::as_str);
    if let Some(until) = at("validUntil").or_else(|| at("expirationDate"))
        && parse_time(until).is_some_and(|t| t < now)
    {
        return Some(msg!(CORE, "validity-expired", date = until));
    }
    if let Some(from) = at("validFrom").or_else(|| at("issuanceDate"))
        && parse_time(from).is_some_and(|t| t > now)
    {
        return Some(msg!(CORE, "validity-not-yet", date = from));
    }
    None
}

/// Where a credential's status is published, when it has one: its URL, if it names one.
fn status_list(doc: &Value) -> Option<Option<String>> {
    let status = doc.get("credentialStatus")?;
    let first = match status {
        Value::Array(items) => items.first()?,
        one => one,
    };
    Some(
        ["statusListCredential", "id"]
            .iter()
            .find_map(|k| first.get(*k).and_then(Value::as_str))
            .map(str::to_string),
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

/// A document's issuer or holder (`who`): its id (a did or a URL) and the name it gives, when
/// it is written as a string or as an object.
pub fn party(doc: &Value, who: &str) -> (Option<String>, Option<String>) {
    match doc.get(who) {
        Some(Value::String(s)) => (Some(s.clone()), None),
        Some(Value::Object(o)) => (
            o.get("id").and_then(Value::as_str).map(str::to_string),
            o.get("name").and_then(Value::as_str).map(str::to_string),
        ),
        _ => (None, None),
    }
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
    let kind = document_kind(doc).ok_or_else(|| Error::invalid(msg!(CORE, "credential-not-vc")))?;
    if !doc.is_object() {
        return Err(Error::invalid(msg!(CORE, "credential-not-object")));
    }
    let who = if kind == "presentation" {
        "holder"
    } else {
        "issuer"
    };
    let (issuer, mut issuer_name) = party(doc, who);
    if let Some(name) = issuer.as_ref().and_then(|i| names.get(i)) {
        issuer_name = Some(name.clone());
    }
    // A credential is signed to assert it, a presentation to authenticate its holder (to
    // answer a challenge): a proof made for the other purpose does not do what it is used for.
    let wanted = if kind == "presentation" {
        "authentication"
    } else {
        "assertionMethod"
    };
    let proofs: Vec<SignedBy> = proof::check_all(doc)
        .into_iter()
        .map(|mut check| {
            if check.status == ProofStatus::Verified
                && let Some(purpose) = check.purpose.as_deref()
                && purpose != wanted
            {
                check.status = ProofStatus::Invalid(msg!(
                    CORE,
                    "proof-purpose-wrong",
                    purpose = purpose,
                    wanted = wanted
                ));
            }
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
                    subject: None,
                    says: vec![],
                    proofs: vec![],
                    issuer_signed: None,
                    credentials: vec![],
                    verified: false,
                    not_valid_now: None,
                    status_list: None,
                    unchecked: vec![],
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
    let status_at = status_list(doc);
    let mut unchecked = Vec::new();
    for key in ["validFrom", "validUntil", "issuanceDate", "expirationDate"] {
        if let Some(v) = doc.get(key)
            && v.as_str().and_then(parse_time).is_none()
        {
            unchecked.push(msg!(
                CORE,
                "unchecked-date",
                key = key,
                value = v.to_string().chars().take(60).collect::<String>()
            ));
        }
    }
    if let Some(at) = &status_at {
        let url: Arg = match at {
            Some(url) => url.into(),
            None => msg!(CORE, "status-list-unnamed").into(),
        };
        unchecked.push(Msg::new(&CORE, "unchecked-status", vec![("url", url)]));
    }
    let status_list =
        status_at.map(|at| at.unwrap_or_else(|| msg!(CORE, "status-list-unnamed").to_string()));
    let signers: Vec<&str> = proofs
        .iter()
        .filter(|p| p.check.status == ProofStatus::Verified)
        .filter_map(|p| p.check.did.as_deref())
        .collect();
    if issuer_signed.is_none() && !signers.is_empty() && (issuer.is_some() || kind == "credential")
    {
        unchecked.push(unbound(issuer.as_deref(), signers.iter().copied()));
    }
    let issuer_signed = if kind == "credential" && issuer.is_none() {
        Some(false)
    } else {
        issuer_signed
    };
    let outcome = outcome_of(
        &proofs,
        issuer_signed,
        &credentials,
        not_valid_now.is_some(),
        &unchecked,
    );
    let verified = outcome == Outcome::Verified;
    Ok(Verification {
        kind: kind.into(),
        types: types_of(doc),
        issuer,
        issuer_name,
        title,
        subject: doc
            .pointer("/credentialSubject/id")
            .and_then(Value::as_str)
            .map(str::to_string),
        says: crate::vocab::describe(doc),
        proofs,
        issuer_signed,
        credentials,
        verified,
        not_valid_now,
        status_list,
        unchecked,
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
        .ok_or_else(|| Error::invalid(msg!(CORE, "credential-not-jwt")))?;
    // A header or payload that holds a key twice says one thing to one reader and another to
    // the next, as a JSON document would (see [`duplicate_key`]).
    for index in [0, 1] {
        let text = crate::jose::part(token, index).unwrap_or_default();
        if let Some(key) = duplicate_key(&String::from_utf8_lossy(&text)) {
            return Err(Error::Forged(msg!(
                CORE,
                "jwt-ambiguous",
                key = format!("{key:?}")
            )));
        }
    }
    // Its dates are numbers of seconds (RFC 7519's NumericDate): one of another type would be
    // taken by one verifier and ignored by the next.
    for claim in ["exp", "nbf", "iat"] {
        if let Some(v) = payload.get(claim)
            && !v.as_f64().is_some_and(f64::is_finite)
        {
            return Err(Error::Forged(msg!(
                CORE,
                "jwt-date-not-a-number",
                claim = claim,
                value = v.to_string().chars().take(60).collect::<String>()
            )));
        }
    }
    let mut doc = payload
        .get("vc")
        .cloned()
        .unwrap_or_else(|| payload.clone());
    let claim_time = |k: &str| {
        payload
            .get(k)
            .and_then(Value::as_f64)
            .filter(|t| t.is_finite())
            .map(|t| t.floor() as i64)
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
    // The token's own dates hold whatever the credential inside says of its validity.
    let seconds = |k: &str| payload.get(k).and_then(Value::as_f64);
    let now_s = now.unix_timestamp() as f64;
    if report.not_valid_now.is_none() {
        if let (Some(exp), Some(date)) = (seconds("exp"), claim_time("exp"))
            && exp < now_s
        {
            report.not_valid_now = Some(msg!(CORE, "validity-expired", date = date));
        } else if let (Some(nbf), Some(date)) = (seconds("nbf"), claim_time("nbf"))
            && nbf > now_s
        {
            report.not_valid_now = Some(msg!(CORE, "validity-not-yet", date = date));
        }
    }
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
        crate::jose::JwsCheck::Verified(crate::jose::KeySource::Embedded) => (
            ProofStatus::Verified,
            // An Ed25519 key in the header is a did:key: it may be the issuer's.
            header
                .as_ref()
                .and_then(|h| h.get("jwk"))
                .filter(|j| {
                    j.get("kty") == Some(&json!("OKP")) && j.get("crv") == Some(&json!("Ed25519"))
                })
                .and_then(|j| j.get("x"))
                .and_then(Value::as_str)
                .and_then(|x| data_encoding::BASE64URL_NOPAD.decode(x.as_bytes()).ok())
                .and_then(|k| <[u8; 32]>::try_from(k).ok())
                .map(|k| crate::identity::did_from_public_key(&k)),
            "jwk".to_string(),
        ),
        crate::jose::JwsCheck::Invalid(why) => {
            (ProofStatus::Invalid(why), None, kid.unwrap_or_default())
        }
        crate::jose::JwsCheck::Unsupported(why) => {
            (ProofStatus::Unsupported(why), None, kid.unwrap_or_default())
        }
    };
    let method_text = method.clone();
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
    let verified = status_is_verified(&report.proofs);
    report.issuer_signed = report
        .issuer
        .as_ref()
        .filter(|i| i.starts_with("did:key:"))
        .map(|i| verified && did.as_deref() == Some(i.as_str()));
    report.unchecked.retain(|n| !UNBOUND.contains(&n.id()));
    if verified && report.issuer_signed.is_none() {
        report.unchecked.push(if method_text == "jwk" {
            msg!(CORE, "jwt-embedded-key")
        } else {
            unbound(report.issuer.as_deref(), did.iter().map(String::as_str))
        });
    }
    report.outcome = outcome_of(
        &report.proofs,
        report.issuer_signed,
        &report.credentials,
        report.not_valid_now.is_some(),
        &report.unchecked,
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

/// The notes that say the signer is not tied to the issuer.
const UNBOUND: [&str; 2] = ["unbound-issuer", "unbound-no-issuer"];

fn unbound<'a>(issuer: Option<&str>, signers: impl Iterator<Item = &'a str>) -> Msg {
    let signers: Vec<&str> = signers.collect();
    let who = if signers.is_empty() {
        msg!(CORE, "signer-unnamed")
    } else {
        msg!(CORE, "signer-dids", dids = signers.join(", "))
    };
    match issuer {
        Some(i) => msg!(CORE, "unbound-issuer", who = who, issuer = i),
        None => msg!(CORE, "unbound-no-issuer", who = who),
    }
}

fn outcome_of(
    proofs: &[SignedBy],
    issuer_signed: Option<bool>,
    credentials: &[Verification],
    not_valid_now: bool,
    unchecked: &[Msg],
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
        || !unchecked.is_empty()
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
        self.issue_credential_with(id, chosen, SigningSuite::default())
    }

    /// [`Vault::issue_credential`] signed with `suite`.
    pub fn issue_credential_with(
        &self,
        id: &str,
        chosen: Option<&[String]>,
        suite: SigningSuite,
    ) -> Result<Value> {
        let record = self.show(id)?;
        let kind = record.state.kind;
        if kind == Kind::Recommendation
            && let Some(stored) = self.stored_recommendation(&record)?
        {
            if chosen.is_some() {
                return Err(Error::CosignedWhole);
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
        // A field asked for by name must travel: say so when no term carries it.
        if let Some(names) = chosen {
            let carried = crate::vocab::from_credential(&doc)
                .map(|(_, f)| f)
                .unwrap_or_default();
            if let Some(lost) = names.iter().find(|n| !carried.contains_key(*n)) {
                return Err(Error::NoTerm {
                    kind: kind.as_str(),
                    article: crate::model::article(kind),
                    field: lost.clone(),
                });
            }
        }
        proof::add_proof(&mut doc, &owner, "assertionMethod", &now_rfc3339(), suite)?;
        Ok(doc)
    }

    /// A presentation holding a credential for each record, signed by the owner.
    pub fn present(&self, ids: &[String], chosen: Option<&[String]>) -> Result<Value> {
        self.present_for(ids, chosen, None, None, SigningSuite::default())
    }

    /// [`Vault::present`] for one verifier's request: its `challenge` (a nonce) and `domain`
    /// go in the holder's signed proof, so the file cannot be replayed to another request.
    pub fn present_for(
        &self,
        ids: &[String],
        chosen: Option<&[String]>,
        challenge: Option<&str>,
        domain: Option<&str>,
        suite: SigningSuite,
    ) -> Result<Value> {
        if ids.is_empty() {
            return Err(Error::invalid(msg!(CORE, "present-nothing")));
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
                return Err(Error::invalid(msg!(
                    CORE,
                    "present-no-fields",
                    id = &record.id,
                    chosen = chosen.unwrap_or_default().join(","),
                    have = have.join(", ")
                )));
            }
            credentials.push(self.issue_credential_with(&record.id, names.as_deref(), suite)?);
        }
        if let Some(c) = chosen {
            for name in c {
                let used = credentials.iter().any(|cred| {
                    crate::vocab::from_credential(cred).is_some_and(|(_, f)| f.contains_key(name))
                });
                if !used {
                    return Err(Error::invalid(msg!(CORE, "present-no-field", name = name)));
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
        proof::add_proof_with(
            &mut doc,
            &owner,
            "authentication",
            &now_rfc3339(),
            &options,
            suite,
        )?;
        Ok(doc)
    }

    /// Names of contacts by did, to say who signed.
    pub fn contact_names(&self) -> Result<HashMap<String, String>> {
        use crate::records::CONTACT_INDEX;
        let names = |index: &Map<String, Value>| {
            index
                .values()
                .filter_map(|e| Some((e.get(0)?.as_str()?.into(), e.get(1)?.as_str()?.into())))
                .collect()
        };
        if let Some(Value::Object(index)) = self.setting(CONTACT_INDEX)? {
            return Ok(names(&index));
        }
        // No index yet (a vault from before it, or a merge from another device changed a
        // contact): built once from the records, and kept if nothing was written meanwhile.
        let counter = crate::manifest::read_root(&self.conn, &self.master, &self.vault_id)?.counter;
        let mut index = Map::new();
        for (fields, id) in self.records_of(Kind::Contact)? {
            if let (Some(Value::String(did)), Some(Value::String(name))) =
                (fields.get("did"), fields.get("name"))
            {
                index.insert(id, json!([did, name]));
            }
        }
        let built = names(&index);
        let _ = self.store_contact_index(counter, index);
        Ok(built)
    }

    /// Stores a contact index built from the records as they were at manifest `counter`,
    /// unless the vault changed since (then the next reader builds it again).
    fn store_contact_index(&self, counter: u64, index: Map<String, Value>) -> Result<()> {
        use crate::records::CONTACT_INDEX;
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let mut m = crate::manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        // `begin` counts this write: one more than when the records were read.
        if m.version() != counter + 1 || m.root.settings.contains_key(CONTACT_INDEX) {
            return Ok(());
        }
        self.put_setting_in(&tx, &mut m, CONTACT_INDEX, &Value::Object(index))?;
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        Ok(())
    }
}

fn strip_credential(mut fields: Map<String, Value>) -> Map<String, Value> {
    fields.remove("credential");
    fields
}

/// The first key that some JSON object of `text` holds twice. JSON parsers disagree on which
/// of the two counts (serde keeps the last, others the first), so a signed document holding
/// one could say one thing to its verifier and another to its reader.
pub fn duplicate_key(text: &str) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    struct Seed<'a>(&'a mut Option<String>);
    impl<'de> DeserializeSeed<'de> for Seed<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_any(Walk(self.0))
        }
    }
    struct Walk<'a>(&'a mut Option<String>);
    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) && self.0.is_none() {
                    *self.0 = Some(key);
                }
                map.next_value_seed(Seed(&mut *self.0))?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            while seq.next_element_seed(Seed(&mut *self.0))?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> std::result::Result<(), E> {
            Ok(())
        }
    }
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = Seed(&mut found).deserialize(&mut de);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_held_twice_is_found_at_any_depth() {
        assert_eq!(duplicate_key(r#"{"a":1,"b":{"c":2}}"#), None);
        assert_eq!(
            duplicate_key(r#"{"a":1,"b":[{"c":2,"c":3}]}"#),
            Some("c".into())
        );
        assert_eq!(
            duplicate_key(r#"{"name":"x","name":"y"}"#),
            Some("name".into())
        );
        assert_eq!(duplicate_key("not json"), None);
    }
}
