//! JSON-LD expansion and RDFC-1.0 against the published vectors: the W3C vc-di-eddsa
//! `eddsa-rdfc-2022` vector and the 1EdTech Open Badges 3.0 one reproduced step by step, and the
//! Open Badges term tables checked against the published context files, on every vector and
//! real badge in `../shared/vectors/`.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use musette_core::crypto::{hex, sha256};
use musette_core::identity::Signer;
use musette_core::ld::{self, LdError};
use musette_core::proof;
use serde_json::{Value, json};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors")
}

fn read(path: impl AsRef<Path>) -> String {
    let path = vectors().join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the test vector {}: {e}", path.display()))
}

fn json_file(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

fn without_proof(doc: &Value) -> Value {
    let mut doc = doc.clone();
    doc.as_object_mut().unwrap().remove("proof");
    doc
}

fn proof_config(doc: &Value) -> Value {
    let mut proof = doc["proof"].clone();
    proof.as_object_mut().unwrap().remove("proofValue");
    proof["@context"] = doc["@context"].clone();
    proof
}

#[test]
fn w3c_eddsa_rdfc_2022_document_and_proof_canonicalize_as_published() {
    let signed = json_file("vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json");
    let doc = ld::canonical_nquads(&without_proof(&signed)).unwrap();
    assert_eq!(doc, read("vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt"));
    let proof = ld::canonical_nquads(&proof_config(&signed)).unwrap();
    assert_eq!(
        proof,
        read("vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt")
    );
    assert_eq!(
        hex(&sha256(doc.as_bytes())),
        read("vc-di-eddsa/eddsa-rdfc-2022/docHashDataInt.txt").trim()
    );
    assert_eq!(
        hex(&sha256(proof.as_bytes())),
        read("vc-di-eddsa/eddsa-rdfc-2022/proofHashDataInt.txt").trim()
    );
}

/// musette signing the W3C unsigned credential with the W3C key and date gives the very
/// proof of the vector (Ed25519 is deterministic).
#[test]
fn signing_the_w3c_vector_with_eddsa_rdfc_2022_reproduces_its_proof() {
    let pair = json_file("vc-di-eddsa/keyPair.json");
    let private = pair["privateKeyMultibase"].as_str().unwrap();
    let bytes = bs58::decode(&private[1..]).into_vec().unwrap();
    let signer = Signer::from_seed(&bytes[2..]).unwrap();
    let signed = json_file("vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json");
    let mut doc = without_proof(&signed);
    proof::add_proof(
        &mut doc,
        &signer,
        "assertionMethod",
        "2023-02-24T23:36:38Z",
        proof::SigningSuite::EddsaRdfc2022,
    )
    .unwrap();
    assert_eq!(doc["proof"], signed["proof"]);
    assert_eq!(
        doc["proof"]["proofValue"].as_str().unwrap(),
        read("vc-di-eddsa/eddsa-rdfc-2022/sigBTC58DataInt.txt").trim()
    );
    assert_eq!(
        proof::check_all(&doc)[0].status,
        proof::ProofStatus::Verified
    );
}

#[test]
fn open_badges_rdfc_vector_canonicalizes_as_published() {
    let dir = "openbadges/ob3-rdfc-test-vector";
    let signed = json_file(&format!("{dir}/signed-credential.json"));
    let keys = json_file(&format!("{dir}/key-and-hashes.json"));
    let doc = ld::canonical_nquads(&without_proof(&signed)).unwrap();
    assert_eq!(doc, read(format!("{dir}/document-canon.txt")));
    assert_eq!(hex(&sha256(doc.as_bytes())), keys["documentHashHex"]);
    let proof = ld::canonical_nquads(&proof_config(&signed)).unwrap();
    assert_eq!(proof, read(format!("{dir}/proof-canon.txt")));
    assert_eq!(hex(&sha256(proof.as_bytes())), keys["proofHashHex"]);
}

#[test]
fn unknown_contexts_and_undefined_terms_are_named() {
    let doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/mine/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:1",
        "credentialSubject": {"id": "did:example:2"}
    });
    assert_eq!(
        ld::canonical_nquads(&doc),
        Err(LdError::UnknownContext(
            "https://example.org/mine/v1".into()
        ))
    );
    let doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:1",
        "credentialSubject": {"id": "did:example:2", "grade": "A+"}
    });
    assert_eq!(
        ld::canonical_nquads(&doc),
        Err(LdError::Undefined(vec!["grade".into()]))
    );
}
