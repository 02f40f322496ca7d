//! The W3C vc-di-eddsa test vector for eddsa-jcs-2022, reproduced step by step, and our proofs
//! checked by an independent implementation (ed25519-dalek and serde_json_canonicalizer, with
//! the proof configuration built by hand).

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use musette_core::crypto::{hex, sha256};
use musette_core::identity::Signer;
use musette_core::proof::{self, ProofStatus};
use serde_json::{Value, json};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vc-di-eddsa")
}

fn read(name: &str) -> String {
    let path = vectors().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the test vector {}: {e}", path.display()))
}

fn json_file(name: &str) -> Value {
    serde_json::from_str(&read(name)).unwrap()
}

fn w3c_signer() -> Signer {
    let pair = json_file("keyPair.json");
    let private = pair["privateKeyMultibase"].as_str().unwrap();
    let bytes = bs58::decode(&private[1..]).into_vec().unwrap();
    assert_eq!(&bytes[..2], &[0x80, 0x26], "ed25519-priv multicodec");
    let signer = Signer::from_seed(&bytes[2..]).unwrap();
    assert_eq!(
        signer.did(),
        format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap())
    );
    signer
}

#[test]
fn the_w3c_vector_is_reproduced_step_by_step() {
    let unsigned = json_file("unsigned.json");
    let canon_doc = proof::canonicalize(&unsigned).unwrap();
    assert_eq!(
        String::from_utf8(canon_doc.clone()).unwrap(),
        read("eddsa-jcs-2022/canonDocJCS.txt").trim_end()
    );
    assert_eq!(
        hex(&sha256(&canon_doc)),
        read("eddsa-jcs-2022/docHashJCS.txt").trim()
    );
    let config = json_file("eddsa-jcs-2022/proofConfigJCS.json");
    let canon_config = proof::canonicalize(&config).unwrap();
    assert_eq!(
        String::from_utf8(canon_config.clone()).unwrap(),
        read("eddsa-jcs-2022/proofCanonJCS.txt").trim_end()
    );
    assert_eq!(
        hex(&sha256(&canon_config)),
        read("eddsa-jcs-2022/proofHashJCS.txt").trim()
    );
    let combined = proof::hash_data(&config, &unsigned).unwrap();
    assert_eq!(
        hex(&combined),
        read("eddsa-jcs-2022/combinedHashJCS.txt").trim()
    );
    let signature = w3c_signer().sign(&combined);
    assert_eq!(hex(&signature), read("eddsa-jcs-2022/sigHexJCS.txt").trim());
    assert_eq!(
        format!("z{}", bs58::encode(signature).into_string()),
        read("eddsa-jcs-2022/sigBTC58JCS.txt").trim()
    );
    // The whole signed credential, byte for byte as JSON values.
    let mut doc = unsigned.clone();
    proof::add_proof(
        &mut doc,
        &w3c_signer(),
        "assertionMethod",
        "2023-02-24T23:36:38Z",
        proof::SigningSuite::EddsaJcs2022,
    )
    .unwrap();
    assert_eq!(doc, json_file("eddsa-jcs-2022/signedJCS.json"));
}

#[test]
fn the_w3c_signed_credential_verifies_and_every_alteration_fails() {
    let signed = json_file("eddsa-jcs-2022/signedJCS.json");
    let checks = proof::check_all(&signed);
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].status, ProofStatus::Verified);
    assert_eq!(
        checks[0].did.as_deref(),
        Some("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
    );
    // One-character changes to every string of the document and of the proof.
    let mut paths = Vec::new();
    collect_strings(&signed, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 12);
    for path in &paths {
        let mut doc = signed.clone();
        let target = path.iter().fold(&mut doc, |v, k| match k {
            Key::Field(f) => &mut v[f.as_str()],
            Key::Index(i) => &mut v[*i],
        });
        let s = target.as_str().unwrap().to_string();
        let mut chars: Vec<char> = s.chars().collect();
        let i = chars.len() / 2;
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        *target = Value::String(chars.into_iter().collect());
        let status = &proof::check_all(&doc)[0].status;
        assert!(
            !matches!(status, ProofStatus::Verified),
            "changing {path:?} went unnoticed"
        );
    }
    // A changed number or an added field.
    let mut doc = signed.clone();
    doc["credentialSubject"]["extra"] = json!(1);
    assert!(matches!(
        proof::check_all(&doc)[0].status,
        ProofStatus::Invalid(_)
    ));
}

#[test]
fn malformed_proofs_are_refused_with_a_reason() {
    let signed = json_file("eddsa-jcs-2022/signedJCS.json");
    let status = |f: &dyn Fn(&mut Value)| {
        let mut doc = signed.clone();
        f(&mut doc);
        proof::check_all(&doc)[0].status.clone()
    };
    // Claiming the RDF suite for a JCS signature: it is checked as such, and fails.
    assert_eq!(
        status(&|d| d["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022")),
        ProofStatus::Invalid(musette_core::msg!(
            musette_core::i18n::CORE,
            "proof-mismatch"
        ))
    );
    assert!(
        matches!(status(&|d| d["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019")), ProofStatus::Unsupported(r) if r.to_string().contains("ecdsa-jcs-2019"))
    );
    assert!(
        matches!(status(&|d| d["proof"]["created"] = json!("yesterday")), ProofStatus::Invalid(r) if r.to_string().contains("dateTime"))
    );
    // A key behind a URL cannot be had offline: not verified, not called tampered.
    assert!(
        matches!(status(&|d| d["proof"]["verificationMethod"] = json!("https://example.com/keys/1")), ProofStatus::Unsupported(r) if r.to_string().contains("https://example.com/keys/1"))
    );
    assert!(
        matches!(status(&|d| d["proof"]["verificationMethod"] = json!("did:key:nonsense")), ProofStatus::Invalid(r) if r.to_string().contains("did:key"))
    );
    assert!(
        matches!(status(&|d| d["@context"] = json!(["https://www.w3.org/ns/credentials/v2"])), ProofStatus::Invalid(r) if r.to_string().contains("@context"))
    );
    assert!(matches!(
        status(&|d| d["proof"]["proofValue"] = json!("not base58")),
        ProofStatus::Invalid(_)
    ));
    // Another key's did:key in the verification method.
    let other = Signer::from_seed(&[9u8; 32]).unwrap();
    assert!(
        matches!(status(&|d| d["proof"]["verificationMethod"] = json!(other.verification_method())), ProofStatus::Invalid(r) if r.to_string().contains("signature"))
    );
}

#[test]
fn proof_sets_of_two_and_three_cosigners_catch_every_alteration() {
    let signers: Vec<Signer> = (1..=3u8)
        .map(|i| Signer::from_seed(&[i; 32]).unwrap())
        .collect();
    for n in [2, 3] {
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "RecommendationCredential"],
            "issuer": signers[0].did(),
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"text": "Reliable and kind.", "author": "Ana"}
        });
        for s in &signers[..n] {
            proof::add_proof(
                &mut doc,
                s,
                "assertionMethod",
                "2026-01-02T00:00:00Z",
                proof::SigningSuite::EddsaJcs2022,
            )
            .unwrap();
        }
        let checks = proof::check_all(&doc);
        assert_eq!(checks.len(), n);
        assert!(checks.iter().all(|c| c.status == ProofStatus::Verified));
        let dids: Vec<_> = checks.iter().map(|c| c.did.clone().unwrap()).collect();
        assert_eq!(
            dids,
            signers[..n]
                .iter()
                .map(|s| s.did().to_string())
                .collect::<Vec<_>>()
        );
        // The text, the author, or any co-signer's proof altered: that proof (or all) fails.
        for alter in 0..(2 + n) {
            let mut bad = doc.clone();
            match alter {
                0 => bad["credentialSubject"]["text"] = json!("Reliable and kind!"),
                1 => bad["credentialSubject"]["author"] = json!("Bob"),
                k => {
                    let i = k - 2;
                    let value = bad["proof"][i]["proofValue"].as_str().unwrap().to_string();
                    let mut chars: Vec<char> = value.chars().collect();
                    chars[10] = if chars[10] == '2' { '3' } else { '2' };
                    bad["proof"][i]["proofValue"] = json!(chars.into_iter().collect::<String>());
                }
            }
            let checks = proof::check_all(&bad);
            assert!(
                checks.iter().any(|c| c.status != ProofStatus::Verified),
                "alteration {alter} of {n} went unnoticed"
            );
            assert!(
                independent_verify(&bad).is_err(),
                "the independent check accepted alteration {alter}"
            );
        }
        independent_verify(&doc).unwrap();
    }
}

#[test]
fn an_independent_implementation_accepts_our_proofs_and_the_w3c_vector() {
    independent_verify(&json_file("eddsa-jcs-2022/signedJCS.json")).unwrap();
    let mut doc = json_file("unsigned.json");
    let ours = Signer::from_seed(&[42u8; 32]).unwrap();
    proof::add_proof(
        &mut doc,
        &ours,
        "assertionMethod",
        "2026-11-29T10:00:00Z",
        proof::SigningSuite::EddsaJcs2022,
    )
    .unwrap();
    independent_verify(&doc).unwrap();
}

/// eddsa-jcs-2022 verification written from the specification with other libraries.
fn independent_verify(doc: &Value) -> Result<(), String> {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let proofs: Vec<Value> = match &doc["proof"] {
        Value::Array(items) => items.clone(),
        Value::Object(_) => vec![doc["proof"].clone()],
        _ => return Err("no proof".into()),
    };
    let mut unsecured = doc.clone();
    unsecured.as_object_mut().unwrap().remove("proof");
    for p in proofs {
        let mut config = p.clone();
        let value = config
            .as_object_mut()
            .unwrap()
            .remove("proofValue")
            .ok_or("no proofValue")?;
        let sig = bs58::decode(&value.as_str().ok_or("proofValue")?[1..])
            .into_vec()
            .map_err(|e| e.to_string())?;
        let vm = p["verificationMethod"].as_str().ok_or("vm")?;
        let key = vm
            .split('#')
            .next()
            .unwrap()
            .strip_prefix("did:key:z")
            .ok_or("not did:key")?;
        let key = bs58::decode(key).into_vec().map_err(|e| e.to_string())?;
        if key.len() != 34 || key[..2] != [0xed, 0x01] {
            return Err("not an Ed25519 did:key".into());
        }
        let mut data =
            sha256(&serde_json_canonicalizer::to_vec(&config).map_err(|e| e.to_string())?).to_vec();
        data.extend_from_slice(&sha256(
            &serde_json_canonicalizer::to_vec(&unsecured).map_err(|e| e.to_string())?,
        ));
        let vk =
            VerifyingKey::from_bytes(key[2..].try_into().unwrap()).map_err(|e| e.to_string())?;
        let sig = Signature::from_slice(&sig).map_err(|e| e.to_string())?;
        vk.verify(&data, &sig).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Key {
    Field(String),
    Index(usize),
}

fn collect_strings(v: &Value, path: &mut Vec<Key>, out: &mut Vec<Vec<Key>>) {
    match v {
        Value::String(s) if !s.is_empty() => out.push(path.clone()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Key::Index(i));
                collect_strings(item, path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(Key::Field(k.clone()));
                collect_strings(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}
