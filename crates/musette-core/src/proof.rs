//! Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C Recommendation).
//!
//! To sign a document: take the document without its `proof`, and a proof configuration (`type`,
//! `cryptosuite`, `created`, `verificationMethod`, `proofPurpose`, and the document's `@context`);
//! canonicalise both with JCS (RFC 8785); sign `SHA-256(config) ‖ SHA-256(document)` with Ed25519;
//! the proof is the configuration plus `proofValue`, `z` + base58btc(signature).
//!
//! Several proofs on one document form a *proof set* (`proof` is an array): each is made over
//! the document without any proof, so co-signers sign independently and any change to the
//! document, or to any proof, is caught. A proof naming a `previousProof` (a *proof chain*) also
//! covers the proofs it names.

use crate::i18n::{CORE, Msg};
use crate::msg;
use ring::signature::{ED25519, UnparsedPublicKey};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::crypto::sha256;
use crate::error::{Error, Result};
use crate::identity::{Signer, public_key_from_did};

/// The one cryptosuite musette signs and verifies.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The proof type of Data Integrity.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The cryptosuite over RDF that Open Badges 3.0 and the wallets use (verified; issued with
/// `--suite eddsa-rdfc-2022`).
pub const RDFC_CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// The older Ed25519 proof type over RDF, still on many badges (verified only).
pub const ED25519_2020: &str = "Ed25519Signature2020";

/// Canonical JSON (RFC 8785 JCS).
pub fn canonicalize(value: &Value) -> Result<Vec<u8>> {
    serde_jcs::to_vec(value)
        .map_err(|e| Error::invalid(msg!(CORE, "canonicalise-failed", why = e.to_string())))
}

/// The signing input: `SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document))`.
pub fn hash_data(proof_config: &Value, unsecured: &Value) -> Result<Vec<u8>> {
    let mut out = sha256(&canonicalize(proof_config)?).to_vec();
    out.extend_from_slice(&sha256(&canonicalize(unsecured)?));
    Ok(out)
}

/// The document without its `proof`.
pub fn unsecured(doc: &Value) -> Value {
    let mut copy = doc.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("proof");
    }
    copy
}

/// The proofs of a document: none, one, or a set.
pub fn proofs(doc: &Value) -> Vec<&Value> {
    match doc.get("proof") {
        None => vec![],
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}

/// The cryptosuites musette signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SigningSuite {
    /// `eddsa-rdfc-2022`: over RDF, what Open Badges 3.0 conformance and the wallets' verifiers
    /// check. The default.
    #[default]
    EddsaRdfc2022,
    /// `eddsa-jcs-2022`: over the JSON itself (JCS), for verifiers without JSON-LD.
    EddsaJcs2022,
}

impl SigningSuite {
    /// Its `cryptosuite` name.
    pub fn name(self) -> &'static str {
        match self {
            SigningSuite::EddsaRdfc2022 => RDFC_CRYPTOSUITE,
            SigningSuite::EddsaJcs2022 => CRYPTOSUITE,
        }
    }

    /// The suite named `name`, if musette signs with it.
    pub fn from_name(name: &str) -> Option<SigningSuite> {
        match name {
            RDFC_CRYPTOSUITE => Some(SigningSuite::EddsaRdfc2022),
            CRYPTOSUITE => Some(SigningSuite::EddsaJcs2022),
            _ => None,
        }
    }

    /// The suite of the first proof of `doc` that musette signs with, so that co-signers
    /// sign as the owner did.
    pub fn of(doc: &Value) -> Option<SigningSuite> {
        proofs(doc).into_iter().find_map(|p| {
            p.get("cryptosuite")
                .and_then(Value::as_str)
                .and_then(SigningSuite::from_name)
        })
    }
}

/// Adds a proof by `signer` to `doc`; a document that already has a proof gets a proof set.
pub fn add_proof(
    doc: &mut Value,
    signer: &Signer,
    purpose: &str,
    created: &str,
    suite: SigningSuite,
) -> Result<()> {
    add_proof_with(doc, signer, purpose, created, &[], suite)
}

/// [`add_proof`] with more proof options, signed with the rest (a presentation's `challenge`
/// and `domain`, which tie it to one verifier's request).
pub fn add_proof_with(
    doc: &mut Value,
    signer: &Signer,
    purpose: &str,
    created: &str,
    options: &[(&str, &str)],
    suite: SigningSuite,
) -> Result<()> {
    let unsecured = unsecured(doc);
    let mut config = Map::new();
    for (k, v) in options {
        config.insert((*k).to_string(), (*v).into());
    }
    config.insert("type".into(), PROOF_TYPE.into());
    config.insert("cryptosuite".into(), suite.name().into());
    config.insert("created".into(), created.into());
    config.insert(
        "verificationMethod".into(),
        signer.verification_method().into(),
    );
    config.insert("proofPurpose".into(), purpose.into());
    let data = match suite {
        SigningSuite::EddsaJcs2022 => {
            if let Some(ctx) = unsecured.get("@context") {
                config.insert("@context".into(), ctx.clone());
            }
            hash_data(&Value::Object(config.clone()), &unsecured)?
        }
        SigningSuite::EddsaRdfc2022 => {
            // The proof configuration takes the document's context to be read as RDF; the
            // proof itself does not carry it (as Data Integrity verifiers expect).
            let mut with_context = config.clone();
            if let Some(ctx) = unsecured.get("@context") {
                with_context.insert("@context".into(), ctx.clone());
            }
            let refuse = |why: Msg| Error::invalid(msg!(CORE, "sign-rdfc-refused", why = why));
            let (data, undefined) = rdf_hash_data(&Value::Object(with_context), &unsecured)
                .map_err(|status| match status {
                    ProofStatus::Invalid(why) | ProofStatus::Unsupported(why) => refuse(why),
                    ProofStatus::Verified => {
                        Error::invalid(msg!(CORE, "sign-rdfc-refused", why = String::new()))
                    }
                })?;
            if !undefined.is_empty() {
                return Err(refuse(crate::ld::LdError::Undefined(undefined).msg()));
            }
            data
        }
    };
    let signature = signer.sign(&data);
    let mut proof = Value::Object(config);
    proof["proofValue"] = Value::String(format!("z{}", bs58::encode(signature).into_string()));
    let map = doc
        .as_object_mut()
        .ok_or_else(|| Error::invalid(msg!(CORE, "sign-not-object")))?;
    match map.remove("proof") {
        None => {
            map.insert("proof".into(), proof);
        }
        Some(Value::Array(mut set)) => {
            set.push(proof);
            map.insert("proof".into(), Value::Array(set));
        }
        Some(one) => {
            map.insert("proof".into(), Value::Array(vec![one, proof]));
        }
    }
    Ok(())
}

/// The outcome of checking one proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "lowercase")]
pub enum ProofStatus {
    /// The signature holds.
    Verified,
    /// The proof is malformed or its signature does not hold; says why (serialized as its
    /// English).
    Invalid(Msg),
    /// A proof musette cannot check offline: another cryptosuite or proof type, a key that
    /// only the network can give, a context it does not hold. Says why.
    Unsupported(Msg),
}

/// One proof, checked.
#[derive(Debug, Clone, Serialize)]
pub struct ProofCheck {
    /// The verification method named by the proof.
    pub verification_method: String,
    /// The signer's did, when the method is a did:key.
    pub did: Option<String>,
    /// When the proof was made.
    pub created: Option<String>,
    /// Its purpose (`assertionMethod`, `authentication`).
    pub purpose: Option<String>,
    /// The verifier's challenge (nonce) it was made for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// The verifier's domain it was made for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The outcome.
    #[serde(flatten)]
    pub status: ProofStatus,
}

fn is_datetime(s: &str) -> bool {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

/// Whether `doc_ctx` starts with every entry of `proof_ctx`, in order.
fn context_starts_with(doc_ctx: Option<&Value>, proof_ctx: &Value) -> bool {
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let Some(doc_ctx) = doc_ctx else { return false };
    let (d, p) = (as_list(doc_ctx), as_list(proof_ctx));
    d.len() >= p.len() && d.iter().zip(&p).all(|(a, b)| a == b)
}

/// Checks one proof of `doc` (a JSON object). `all` is every proof of the document, for chains.
pub fn check_proof(doc: &Value, proof: &Value, all: &[&Value]) -> ProofCheck {
    let text = |k: &str| proof.get(k).and_then(Value::as_str).map(str::to_string);
    let vm = text("verificationMethod").unwrap_or_default();
    let mut check = ProofCheck {
        verification_method: vm.clone(),
        did: None,
        created: text("created"),
        purpose: text("proofPurpose"),
        challenge: text("challenge"),
        domain: text("domain"),
        status: ProofStatus::Verified,
    };
    check.status = match verify_one(doc, proof, all, &vm) {
        Ok(did) => {
            check.did = Some(did);
            ProofStatus::Verified
        }
        Err(status) => {
            check.did = public_key_from_did(&vm)
                .ok()
                .map(|_| vm.split('#').next().unwrap_or("").to_string());
            status
        }
    };
    check
}

/// The suites musette verifies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Suite {
    /// `DataIntegrityProof` / `eddsa-jcs-2022`: JSON canonicalization.
    Jcs,
    /// `DataIntegrityProof` / `eddsa-rdfc-2022`: RDF canonicalization.
    Rdfc,
    /// `Ed25519Signature2020`: RDF canonicalization, its own proof type.
    Ed2020,
}

/// Why a key cannot be had offline, for a verification method that is not a did:key.
fn remote_key(vm: &str) -> Option<Msg> {
    let did = vm.split('#').next().unwrap_or(vm);
    if vm.starts_with("https://") || vm.starts_with("http://") {
        Some(msg!(CORE, "proof-key-at-url", did = did))
    } else if did.starts_with("did:") && !did.starts_with("did:key:") {
        let method = did.split(':').take(2).collect::<Vec<_>>().join(":");
        Some(msg!(
            CORE,
            "proof-key-did-method",
            did = did,
            method = method
        ))
    } else {
        None
    }
}

/// `SHA-256(RDFC(config)) ‖ SHA-256(RDFC(document))`, the input of the RDF suites, and the
/// terms no context defines (which the hash does not cover).
fn rdf_hash_data(config: &Value, unsecured: &Value) -> Result<(Vec<u8>, Vec<String>), ProofStatus> {
    let canon = |v: &Value| {
        crate::ld::canonicalize(v).map_err(|e| match e {
            crate::ld::LdError::Invalid(_) => ProofStatus::Invalid(e.msg()),
            _ => ProofStatus::Unsupported(e.msg()),
        })
    };
    let (config, mut undefined) = canon(config)?;
    let (document, more) = canon(unsecured)?;
    undefined.extend(more);
    undefined.sort();
    undefined.dedup();
    let mut out = sha256(config.as_bytes()).to_vec();
    out.extend_from_slice(&sha256(document.as_bytes()));
    Ok((out, undefined))
}

/// How many entries a `@context` holds (one that is not a list holds one).
fn context_entries(ctx: Option<&Value>) -> usize {
    match ctx {
        None => 0,
        Some(Value::Array(items)) => items.len(),
        Some(_) => 1,
    }
}

fn verify_one(doc: &Value, proof: &Value, all: &[&Value], vm: &str) -> Result<String, ProofStatus> {
    let invalid = ProofStatus::Invalid;
    let Some(p) = proof.as_object() else {
        return Err(invalid(msg!(CORE, "proof-not-object")));
    };
    let suite = match p.get("type").and_then(Value::as_str) {
        Some(PROOF_TYPE) => match p.get("cryptosuite").and_then(Value::as_str) {
            Some(CRYPTOSUITE) => Suite::Jcs,
            Some(RDFC_CRYPTOSUITE) => Suite::Rdfc,
            Some(other) => {
                return Err(ProofStatus::Unsupported(msg!(
                    CORE,
                    "proof-unknown-suite",
                    suite = other
                )));
            }
            None => return Err(invalid(msg!(CORE, "proof-no-cryptosuite"))),
        },
        Some(ED25519_2020) => Suite::Ed2020,
        Some(other) => {
            return Err(ProofStatus::Unsupported(msg!(
                CORE,
                "proof-unknown-type",
                kind = other
            )));
        }
        None => return Err(invalid(msg!(CORE, "proof-no-type"))),
    };
    if let Some(created) = p.get("created")
        && !created.as_str().is_some_and(is_datetime)
    {
        return Err(invalid(msg!(CORE, "proof-created-not-datetime")));
    }
    if p.get("proofPurpose").and_then(Value::as_str).is_none() {
        return Err(invalid(msg!(CORE, "proof-no-purpose")));
    }
    let signature = p
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|b| bs58::decode(b).into_vec().ok())
        .filter(|s| s.len() == 64)
        .ok_or_else(|| invalid(msg!(CORE, "proof-value-malformed")))?;
    let mut options = p.clone();
    options.remove("proofValue");
    let mut unsecured = unsecured(doc);
    let mut unsigned_context = false;
    if let Some(ctx) = options.get("@context") {
        if !context_starts_with(doc.get("@context"), ctx) {
            return Err(invalid(msg!(CORE, "proof-context-mismatch")));
        }
        if suite == Suite::Jcs {
            // The suite signs the proof's contexts only (the document's may add more after
            // them): entries added after those are under no signature, and what they would
            // change cannot be checked.
            unsigned_context = context_entries(doc.get("@context")) > context_entries(Some(ctx));
            unsecured["@context"] = ctx.clone();
        }
    }
    if let Some(previous) = options.get("previousProof") {
        let wanted: Vec<&str> = match previous {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return Err(invalid(msg!(CORE, "proof-previous-malformed"))),
        };
        let matching: Vec<Value> = all
            .iter()
            .filter(|q| {
                q.get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| wanted.contains(&id))
            })
            .map(|q| (*q).clone())
            .collect();
        if matching.len() != wanted.len() {
            return Err(invalid(msg!(CORE, "proof-previous-missing")));
        }
        unsecured["proof"] = Value::Array(matching);
    }
    let (data, undefined) = match suite {
        Suite::Jcs => (
            hash_data(&Value::Object(options), &unsecured).map_err(|e| invalid(e.to_msg()))?,
            vec![],
        ),
        Suite::Rdfc | Suite::Ed2020 => {
            let mut config = options;
            if let Some(ctx) = doc.get("@context") {
                config.insert("@context".into(), ctx.clone());
            }
            rdf_hash_data(&Value::Object(config), &unsecured)?
        }
    };
    let public = match public_key_from_did(vm) {
        Ok(key) => key,
        Err(_) => {
            let Some(why) = remote_key(vm) else {
                return Err(invalid(msg!(CORE, "proof-vm-not-did-key")));
            };
            // A method such as https://issuer.example/keys#z6Mk… names its key in the fragment:
            // say whether the signature holds for it, which only the issuer's site can vouch
            // for. One that does not hold for the key the document itself names fails: the
            // document was changed since it was signed.
            let fragment = vm.split_once('#').map(|(_, f)| f).unwrap_or("");
            return match public_key_from_did(&format!("did:key:{fragment}")) {
                Ok(key)
                    if UnparsedPublicKey::new(&ED25519, key)
                        .verify(&data, &signature)
                        .is_ok() =>
                {
                    Err(ProofStatus::Unsupported(msg!(
                        CORE,
                        "proof-key-fragment-matches",
                        why = why
                    )))
                }
                Ok(_) => Err(invalid(msg!(CORE, "proof-key-fragment-mismatch"))),
                Err(_) => Err(ProofStatus::Unsupported(why)),
            };
        }
    };
    UnparsedPublicKey::new(&ED25519, public)
        .verify(&data, &signature)
        .map_err(|_| invalid(msg!(CORE, "proof-mismatch")))?;
    if unsigned_context {
        return Err(ProofStatus::Unsupported(msg!(
            CORE,
            "proof-context-unsigned"
        )));
    }
    if !undefined.is_empty() {
        // The signature holds for what the contexts define, and nothing covers the rest.
        return Err(ProofStatus::Unsupported(
            crate::ld::LdError::Undefined(undefined).msg(),
        ));
    }
    if suite != Suite::Jcs {
        // The signature holds over the RDF; what musette shows and checks is read from the
        // JSON, which must then say the same.
        let problems = crate::ld::shape_problems(doc);
        if let Some(problems) = crate::ld::joined(problems) {
            return Err(ProofStatus::Unsupported(msg!(
                CORE,
                "proof-rdf-shape",
                problems = problems
            )));
        }
    }
    Ok(vm.split('#').next().unwrap_or(vm).to_string())
}

/// Most proofs musette checks on one document (a co-signed recommendation has a handful).
pub const MAX_PROOFS: usize = 32;

/// Checks every proof of a document.
pub fn check_all(doc: &Value) -> Vec<ProofCheck> {
    let all = proofs(doc);
    if all.len() > MAX_PROOFS {
        return vec![ProofCheck {
            verification_method: String::new(),
            did: None,
            created: None,
            purpose: None,
            challenge: None,
            domain: None,
            status: ProofStatus::Invalid(msg!(
                CORE,
                "proof-too-many",
                n = all.len().to_string(),
                max = MAX_PROOFS.to_string()
            )),
        }];
    }
    all.iter().map(|p| check_proof(doc, p, &all)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| Value::Number(i.into())),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 30, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// JCS output is valid JSON equal to the input, and canonicalising it again changes nothing.
        #[test]
        fn jcs_is_stable(v in json_value()) {
            let once = canonicalize(&v).unwrap();
            let parsed: Value = serde_json::from_slice(&once).unwrap();
            prop_assert_eq!(canonicalize(&parsed).unwrap(), once.clone());
            // Numbers may change form (1.0 → 1) but not value.
            prop_assert_eq!(serde_json::from_slice::<Value>(&canonicalize(&parsed).unwrap()).unwrap(), parsed);
        }

        /// Checking proofs never panics, whatever the document.
        #[test]
        fn proof_checking_never_panics(doc in json_value(), proof in json_value()) {
            let mut doc = doc;
            if let Some(map) = doc.as_object_mut() {
                map.insert("proof".into(), proof);
            }
            let _ = check_all(&doc);
        }
    }
}
