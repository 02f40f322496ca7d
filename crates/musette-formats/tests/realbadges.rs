//! The real-world badges in `../shared/vectors/realbadges/` and the published vectors, against
//! musette's offline contexts: the Open Badges term tables must expand every one of them exactly
//! as the published context files do.

#![allow(clippy::unwrap_used)]

use std::borrow::Cow;
use std::path::PathBuf;

use std::collections::HashMap;

use musette_core::credential::{Outcome, verify_document_at};
use musette_core::proof::ProofStatus;
use musette_core::{contexts, ld};
use musette_formats::openbadges;
use serde_json::Value;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors")
}

/// The published context files, by URL (`contexts/INDEX.json`).
fn published(url: &str) -> Option<Cow<'static, str>> {
    let dir = vectors().join("contexts");
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("INDEX.json")).ok()?).ok()?;
    let file = index.get(url)?.as_str()?;
    std::fs::read_to_string(dir.join(file)).ok().map(Cow::Owned)
}

/// Every JSON-LD document among the vectors and the real badges (baked ones taken out of their
/// image), with its file name.
fn documents() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in [
        "realbadges",
        "openbadges",
        "openbadges/ob3-rdfc-test-vector",
        "vc-di-eddsa/eddsa-rdfc-2022",
        "vc-di-eddsa/proof-set-chain",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(vectors().join(dir))
            .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            let bytes = std::fs::read(&path).unwrap();
            let text = match path.extension().and_then(|e| e.to_str()) {
                Some("json") => String::from_utf8(bytes).unwrap(),
                Some("png" | "svg") => match openbadges::read(&bytes) {
                    Ok(badge) => badge.original,
                    Err(_) => continue,
                },
                _ => continue,
            };
            if let Ok(doc @ Value::Object(_)) = serde_json::from_str::<Value>(text.trim())
                && doc.get("@context").is_some()
                // Open Badges 2.0 is hosted or signed as JWS, never canonicalized.
                && !doc["@context"].to_string().contains("w3id.org/openbadges/v2")
            {
                out.push((
                    format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()),
                    doc,
                ));
            }
        }
    }
    out
}

#[test]
fn bundled_contexts_expand_every_document_as_the_published_files() {
    let docs = documents();
    assert!(docs.len() >= 30, "only {} documents found", docs.len());
    let mut compared = 0;
    for (name, doc) in &docs {
        let mut parts = vec![doc.clone()];
        if let Some(proofs) = doc.get("proof") {
            let list = match proofs {
                Value::Array(items) => items.clone(),
                one => vec![one.clone()],
            };
            for mut p in list {
                if let Some(map) = p.as_object_mut() {
                    map.remove("proofValue");
                    map.insert("@context".into(), doc["@context"].clone());
                }
                parts.push(p);
            }
            let mut bare = doc.clone();
            bare.as_object_mut().unwrap().remove("proof");
            parts.push(bare);
        }
        for part in parts {
            let ours = ld::canonical_nquads_with(&part, contexts::load);
            let theirs = ld::canonical_nquads_with(&part, published);
            assert_eq!(ours, theirs, "{name} expands differently");
            if let Err(e) = &ours {
                eprintln!("{name}: {e}");
            } else {
                compared += 1;
            }
        }
    }
    assert!(compared >= 60, "only {compared} expansions gave RDF");
}

/// Every string value of `doc` outside `@context` and `proof`, as JSON pointers.
fn string_leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::String(_) => out.push(at),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_leaves(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k == "@context" || k == "proof" {
                    continue;
                }
                string_leaves(
                    item,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Changes one byte of every signed string in turn: none may still verify. A changed value
/// fails; a changed type may instead name a type no context defines, which cannot be checked.
fn every_one_byte_alteration_fails(name: &str, doc: &Value) {
    let now = time::OffsetDateTime::now_utc();
    let mut leaves = Vec::new();
    string_leaves(doc, String::new(), &mut leaves);
    assert!(leaves.len() >= 5, "{name}: only {} values", leaves.len());
    for at in leaves {
        let mut bad = doc.clone();
        let s = bad.pointer_mut(&at).unwrap();
        let text = s.as_str().unwrap().to_string();
        let mut bytes = text.into_bytes();
        let last = bytes.len().saturating_sub(1);
        if bytes.is_empty() {
            continue;
        }
        bytes[last] = if bytes[last] == b'x' { b'y' } else { b'x' };
        *s = Value::String(String::from_utf8_lossy(&bytes).into_owned());
        let report = verify_document_at(&bad, &HashMap::new(), now).unwrap();
        let is_type = at.ends_with("/type") || at.contains("/type/");
        if is_type {
            assert_ne!(
                report.outcome,
                Outcome::Verified,
                "{name}: {at} altered still verifies"
            );
        } else {
            assert_eq!(
                report.outcome,
                Outcome::Failed,
                "{name}: {at} altered: {report:?}"
            );
        }
    }
}

#[test]
fn rdfc_vectors_and_badges_verify_and_every_alteration_fails() {
    let now = time::OffsetDateTime::now_utc();
    for file in [
        "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
        "realbadges/ob3-vc2-eddsa-rdfc-didkey-1edtech.json",
        "realbadges/ob3-vc1-eddsa-rdfc-didkey.json",
        "realbadges/ob3-vc2-twoproofs-rdfc+ed2020-didkey.json",
        "realbadges/ob3-vc2-ed25519sig2020-didkey.json",
    ] {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(vectors().join(file)).unwrap()).unwrap();
        let report = verify_document_at(&doc, &HashMap::new(), now).unwrap();
        assert!(
            report
                .proofs
                .iter()
                .all(|p| p.check.status == ProofStatus::Verified),
            "{file}: {report:?}"
        );
        // An issuer that is not the signer's did:key (an https URL, a urn:uuid) cannot be tied
        // to the signer offline: every signature holds, and the report says what is unchecked.
        if report
            .issuer
            .as_deref()
            .is_some_and(|i| i.starts_with("did:key:"))
        {
            assert_eq!(report.outcome, Outcome::Verified, "{file}: {report:?}");
        } else {
            assert_eq!(report.outcome, Outcome::CannotBeChecked, "{file}");
            assert!(
                report.unchecked[0]
                    .to_string()
                    .starts_with("nothing ties its signer"),
                "{file}"
            );
        }
        every_one_byte_alteration_fails(file, &doc);
    }
}

/// The 1EdTech vector's key is behind an https URL: offline it cannot be checked, but its
/// signature holds for the key the vector publishes beside it.
#[test]
fn open_badges_rdfc_vector_signature_holds_for_its_published_key() {
    use ring::signature::{ED25519, UnparsedPublicKey};
    let dir = vectors().join("openbadges/ob3-rdfc-test-vector");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("signed-credential.json")).unwrap())
            .unwrap();
    let keys: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("key-and-hashes.json")).unwrap())
            .unwrap();
    let report =
        verify_document_at(&doc, &HashMap::new(), time::OffsetDateTime::now_utc()).unwrap();
    assert_eq!(report.outcome, Outcome::CannotBeChecked);
    let why = serde_json::to_string(&report.proofs[0].check.status).unwrap();
    assert!(why.contains("https://example.edu/issuers/565049"), "{why}");
    assert!(
        why.contains("does match the key its fragment names"),
        "{why}"
    );
    let hex = |k: &str| {
        let h = keys[k].as_str().unwrap();
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    let data = [hex("proofHashHex"), hex("documentHashHex")].concat();
    let signature = bs58::decode(&doc["proof"]["proofValue"].as_str().unwrap()[1..])
        .into_vec()
        .unwrap();
    assert_eq!(signature, hex("signatureHex"));
    let key = UnparsedPublicKey::new(&ED25519, hex("publicKeyHex"));
    key.verify(&data, &signature).unwrap();
    // Each one-byte alteration of its signed content breaks the signature for that key.
    let mut leaves = Vec::new();
    string_leaves(&doc, String::new(), &mut leaves);
    assert!(leaves.len() >= 8, "{leaves:?}");
    for at in leaves
        .iter()
        .filter(|a| !a.ends_with("/type") && !a.contains("/type/"))
    {
        let mut bad = doc.clone();
        bad.as_object_mut().unwrap().remove("proof");
        let s = bad.pointer_mut(at).unwrap();
        let mut bytes = s.as_str().unwrap().as_bytes().to_vec();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'x' { b'y' } else { b'x' };
        *s = Value::String(String::from_utf8_lossy(&bytes).into_owned());
        let Ok(canon) = ld::canonical_nquads(&bad) else {
            continue; // no longer JSON-LD that expands: nothing to sign
        };
        let data = [
            hex("proofHashHex"),
            musette_core::crypto::sha256(canon.as_bytes()).to_vec(),
        ]
        .concat();
        assert!(
            key.verify(&data, &signature).is_err(),
            "{at} altered still verifies"
        );
    }
}

#[test]
fn a_poisoned_dataset_is_refused_quickly() {
    // Anonymous nodes that all look alike: RDFC-1.0 would try every order of them.
    let ring = |n: usize| {
        let nodes: Vec<Value> = (0..n)
            .map(|i| serde_json::json!({"@id": format!("_:b{i}"), "https://example.org/p": [{"@id": format!("_:b{}", (i + 1) % n)}, {"@id": format!("_:b{}", (i + 7) % n)}]}))
            .collect();
        serde_json::json!({"@context": [], "@graph": nodes})
    };
    let empties = serde_json::json!({"@context": [], "https://example.org/p": [{"https://example.org/p": [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}]}]});
    for (doc, why) in [
        (ring(400), "more than 200 anonymous nodes"),
        (ring(190), "look alike"),
        (empties, "look alike"),
    ] {
        let started = std::time::Instant::now();
        let got = ld::canonical_nquads(&doc);
        assert!(
            matches!(got, Err(ld::LdError::Limit(ref w)) if w.to_string().contains(why)),
            "{got:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
