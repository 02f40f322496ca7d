//! Co-signed recommendations: a request/response flow, by files now and over the network later.
//!
//! 1. The owner runs [`Vault::recommend_request`]: the recommendation becomes a credential signed
//!    by the owner, kept in the record (field `credential`) and written out for a peer.
//! 2. The peer, in their own vault, runs [`Vault::cosign`]: it checks the proofs already there and
//!    adds the peer's own, made over the document without proofs (a proof set).
//! 3. The owner runs [`Vault::accept_cosigned`]: it finds the recommendation whose document is
//!    exactly the one signed, checks the new proofs and that every earlier proof is still there,
//!    then stores the whole. A peer never writes into the owner's vault.

use crate::i18n::CORE;
use crate::msg;
use serde_json::{Map, Value};

use crate::credential::{chosen_fields, unsigned_credential};
use crate::error::{Cosign, Error, Result};
use crate::model::Kind;
use crate::proof::{self, ProofStatus, SigningSuite};
use crate::record;
use crate::records::{Record, internal, now_rfc3339};
use crate::vault::Vault;

/// The type every recommendation credential carries.
/// The type musette gave recommendations before they became Open Badges 3.0
/// `EndorsementCredential`s; requests made then can still be co-signed.
pub const RECOMMENDATION_TYPE: &str = "RecommendationCredential";

/// What [`Vault::accept_cosigned`] stored.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The recommendation's record id.
    pub id: String,
    /// The dids of the co-signers whose proofs were added.
    pub new_signers: Vec<String>,
}

fn same_document(a: &Value, b: &Value) -> Result<bool> {
    Ok(proof::canonicalize(&proof::unsecured(a))? == proof::canonicalize(&proof::unsecured(b))?)
}

/// Adds a proof to a document's proof set.
fn add_to_set(doc: &mut Value, proof: Value) -> Result<()> {
    let map = doc
        .as_object_mut()
        .ok_or_else(|| Error::invalid(msg!(CORE, "credential-not-object")))?;
    let set = match map.remove("proof") {
        None => vec![proof],
        Some(Value::Array(mut set)) => {
            set.push(proof);
            set
        }
        Some(one) => vec![one, proof],
    };
    map.insert("proof".into(), Value::Array(set));
    Ok(())
}

fn check_all_verified(doc: &Value) -> Result<Vec<String>> {
    let mut dids = Vec::new();
    for check in proof::check_all(doc) {
        match check.status {
            ProofStatus::Verified => dids.push(check.did.unwrap_or_default()),
            ProofStatus::Invalid(why) | ProofStatus::Unsupported(why) => {
                let who = check.did.unwrap_or(check.verification_method);
                return Err(Error::Forged(msg!(
                    CORE,
                    "forged-recommendation-signature",
                    who = who,
                    why = why
                )));
            }
        }
    }
    Ok(dids)
}

/// The dids that signed a stored recommendation credential.
pub fn cosigners(credential: &Value) -> Vec<String> {
    proof::check_all(credential)
        .into_iter()
        .filter(|c| c.status == ProofStatus::Verified)
        .filter_map(|c| c.did)
        .collect()
}

/// Whether a recommendation's signatures cover what it says now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signatures {
    /// Not signed (no request made yet).
    None,
    /// Signed by these dids (the owner's first), over the text as it is.
    Valid(Vec<String>),
    /// Signed by these dids, but the record was edited since: the signatures cover an earlier
    /// text, and no longer count.
    Void(Vec<String>),
}

/// The co-signed credential stored in a recommendation's `fields`, if any; an error when the
/// fields changed after signing.
fn stored_in(id: &str, fields: &Map<String, Value>) -> Result<Option<Value>> {
    let Some(Value::String(text)) = fields.get("credential") else {
        return Ok(None);
    };
    let stored: Value = serde_json::from_str(text)
        .map_err(|_| Error::damaged(id, msg!(CORE, "stored-credential-not-json")))?;
    let mut fields = chosen_fields(Kind::Recommendation, fields, None)?;
    fields.remove("credential");
    // What the signed credential says, read back, against what the record says now, on the
    // fields a credential carries.
    let carried = crate::vocab::from_credential(&stored).map(|(_, f)| f);
    let issued_now = crate::vocab::from_credential(&unsigned_credential(
        Kind::Recommendation,
        fields,
        "did:key:z",
        "2000-01-01T12:00:00Z",
    ))
    .map(|(_, f)| f);
    if carried.is_none() || carried != issued_now {
        return Err(Cosign::ChangedAfterSigning(id.to_string()).into());
    }
    Ok(Some(stored))
}

/// For a recommendation's fields: whether it was co-signed and edited since (`Some(true)`),
/// co-signed and unchanged (`Some(false)`), or never signed (`None`).
pub fn signatures_void(fields: &Map<String, Value>) -> Option<bool> {
    match stored_in("", fields) {
        Ok(Some(_)) => Some(false),
        Ok(None) => None,
        Err(_) => Some(true),
    }
}

impl Vault {
    /// Whether a recommendation's signatures cover its current fields (`None` for other kinds).
    pub fn signatures(&self, record: &Record) -> Result<Signatures> {
        // A badge's `credential` is its issuer's, not a co-signed text of the owner's.
        if record.state.kind != Kind::Recommendation {
            return Ok(Signatures::None);
        }
        let Some(Value::String(text)) = record.state.fields.get("credential") else {
            return Ok(Signatures::None);
        };
        let signers = serde_json::from_str::<Value>(text)
            .map(|v| cosigners(&v))
            .unwrap_or_default();
        match self.stored_recommendation(record) {
            Ok(Some(_)) => Ok(Signatures::Valid(signers)),
            Ok(None) => Ok(Signatures::None),
            Err(Error::Cosign(Cosign::ChangedAfterSigning(_))) => Ok(Signatures::Void(signers)),
            Err(e) => Err(e),
        }
    }

    /// The co-signed credential stored in a recommendation, if any. Errors if the record was
    /// edited after signing, since the signatures no longer cover it.
    pub(crate) fn stored_recommendation(&self, record: &Record) -> Result<Option<Value>> {
        stored_in(&record.id, &record.state.fields)
    }

    /// Makes (or gives back) the owner-signed recommendation credential to send to a co-signer.
    pub fn recommend_request(&mut self, id: &str) -> Result<Value> {
        self.recommend_request_with(id, SigningSuite::default())
    }

    /// [`Vault::recommend_request`] signed with `suite` (co-signers sign with the same).
    pub fn recommend_request_with(&mut self, id: &str, suite: SigningSuite) -> Result<Value> {
        let record = self.show(id)?;
        if record.state.kind != Kind::Recommendation {
            return Err(Cosign::NotARecommendation {
                id: record.id.clone(),
                article: crate::model::article(record.state.kind),
                kind: record.state.kind.as_str(),
            }
            .into());
        }
        match self.stored_recommendation(&record) {
            Ok(Some(stored)) => return Ok(stored),
            Ok(None) | Err(Error::Cosign(Cosign::ChangedAfterSigning(_))) => {}
            Err(e) => return Err(e),
        }
        let owner = self.owner()?;
        let mut fields = chosen_fields(Kind::Recommendation, &record.state.fields, None)?;
        fields.remove("credential");
        let mut doc =
            unsigned_credential(Kind::Recommendation, fields, owner.did(), &now_rfc3339());
        proof::add_proof(&mut doc, &owner, "assertionMethod", &now_rfc3339(), suite)?;
        self.store_recommendation(&record.id, &doc)?;
        Ok(doc)
    }

    fn store_recommendation(&mut self, id: &str, doc: &Value) -> Result<()> {
        let text = serde_json::to_string(doc).map_err(|e| Error::Internal(e.to_string()))?;
        self.write_record(id, "cosign", |_, _, d, _| {
            let changes = vec![("credential".to_string(), Some(Value::String(text)))];
            record::apply_field_changes(d, &changes).map_err(internal)?;
            Ok(((), vec!["credential".to_string()]))
        })?;
        Ok(())
    }

    /// Whether `request` is a recommendation this vault could co-sign, checked before anyone is
    /// asked to read and sign it: its type, its proofs, whose it is, what it says. Returns the
    /// dids that signed it.
    pub fn check_cosign_request(&self, request: &Value) -> Result<Vec<String>> {
        let types = request
            .get("type")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !types
            .iter()
            .any(|t| t == RECOMMENDATION_TYPE || t == crate::vocab::ENDORSEMENT)
        {
            return Err(Cosign::NotEndorsement.into());
        }
        let signed_by = check_all_verified(request)?;
        if signed_by.is_empty() {
            return Err(Cosign::NoOwnerSignature.into());
        }
        let owner = self.owner()?;
        // A request is someone's recommendation of themselves, signed by them: not one that
        // names you as its issuer (you would be vouching for words put in your mouth), nor
        // anything musette would not read back as a recommendation.
        let (issuer, _) = crate::credential::party(request, "issuer");
        let issuer = issuer.as_deref();
        if issuer == Some(owner.did()) {
            return Err(Cosign::NamesYou.into());
        }
        if !issuer.is_some_and(|i| signed_by.iter().any(|d| d == i)) {
            return Err(Cosign::NotSignedByIssuer.into());
        }
        if !matches!(
            crate::vocab::read_back(request),
            Some((Kind::Recommendation, _))
        ) {
            return Err(Cosign::NotRecommendationContent.into());
        }
        if signed_by.iter().any(|d| d == owner.did()) {
            return Err(Cosign::AlreadySigned.into());
        }
        Ok(signed_by)
    }

    /// Co-signs a recommendation request with this vault's owner key: checks it
    /// ([`Vault::check_cosign_request`]), then adds our proof. Returns the document with it.
    pub fn cosign(&self, request: &Value) -> Result<Value> {
        self.check_cosign_request(request)?;
        let owner = self.owner()?;
        let mut doc = request.clone();
        let suite = SigningSuite::of(request).unwrap_or_default();
        proof::add_proof(&mut doc, &owner, "assertionMethod", &now_rfc3339(), suite)?;
        Ok(doc)
    }

    /// Stores the proofs a co-signer added, after checking every proof and that nothing else
    /// changed. Copies signed in parallel by several co-signers merge in any order (a proof
    /// set); a signer already held is not added twice.
    pub fn accept_cosigned(&mut self, signed: &Value) -> Result<Accepted> {
        check_all_verified(signed)?;
        let mut found = None;
        for (fields, id) in self.records_of(Kind::Recommendation)? {
            let Some(Value::String(text)) = fields.get("credential") else {
                continue;
            };
            let Ok(stored) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if same_document(&stored, signed)? {
                found = Some((id, stored));
                break;
            }
        }
        let (id, stored) =
            found.ok_or_else(|| Error::Forged(msg!(CORE, "forged-recommendation-none")))?;
        // The co-signer signed the text as it was requested: if the record was edited since,
        // that signature does not vouch for what the record says now.
        let record = self.show(&id)?;
        if let Err(Error::Cosign(Cosign::ChangedAfterSigning(_))) =
            self.stored_recommendation(&record)
        {
            return Err(Cosign::EditedAfterSent(id.to_string()).into());
        }
        // A proof set: each proof signs the same unsigned document, so copies signed in
        // parallel (one request sent to several co-signers) merge, in any order. Every proof
        // in the file was checked above; what is new here (another signer's) is added.
        let held: Vec<String> = proof::proofs(&stored)
            .iter()
            .filter_map(|p| p.get("proofValue").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        let mut signers: Vec<String> = cosigners(&stored);
        let mut merged = stored.clone();
        let mut added = Vec::new();
        for (check, p) in proof::check_all(signed)
            .into_iter()
            .zip(proof::proofs(signed))
        {
            let value = p.get("proofValue").and_then(Value::as_str).unwrap_or("");
            let Some(did) = check.did else { continue };
            if held.iter().any(|h| h == value) || signers.contains(&did) {
                continue;
            }
            add_to_set(&mut merged, p.clone())?;
            signers.push(did.clone());
            added.push(did);
        }
        if !added.is_empty() {
            self.store_recommendation(&id, &merged)?;
        }
        Ok(Accepted {
            id,
            new_signers: added,
        })
    }
}
