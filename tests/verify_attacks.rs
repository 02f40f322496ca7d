//! `verify` against what an attacker sends: genuine badges bent to say something their
//! signature does not, signatures that prove nothing about the issuer, and files built to
//! exhaust the verifier. None may come out "Verified" (exit 0); each says why.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::TestVault;
use data_encoding::BASE64URL_NOPAD;
use musette_core::identity::Signer;
use musette_core::proof::{self, SigningSuite};
use serde_json::{Value, json};

const OB: &str = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";

fn badge(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/realbadges")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs `verify` on `doc`: its exit code and everything it printed.
fn verify(v: &TestVault, doc: &str) -> (i32, String) {
    let path = v.file("attack.json", doc.as_bytes());
    let out = v
        .cmd()
        .args(["verify", path.to_str().unwrap()])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), text)
}

fn jwt(header: &Value, payload: &Value, signer: &Signer) -> String {
    let message = format!(
        "{}.{}",
        BASE64URL_NOPAD.encode(header.to_string().as_bytes()),
        BASE64URL_NOPAD.encode(payload.to_string().as_bytes())
    );
    let signature = signer.sign(message.as_bytes());
    format!("{message}.{}", BASE64URL_NOPAD.encode(&signature))
}

fn credential(issuer: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "PhD in Physics",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:1", "type": ["Achievement"], "name": "PhD in Physics", "criteria": {"narrative": "A thesis"}, "description": "A doctorate"}}
    })
}

#[test]
fn a_genuine_badge_bent_by_its_own_context_is_not_verified() {
    let v = TestVault::new();
    // The subject's type written as an IRI escapes its protected scoped context; an inline
    // context then hides the signed achievement and shows a forged one.
    let mut d = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json");
    let subject = d["credentialSubject"].as_object_mut().unwrap();
    subject.insert("type".into(), json!([format!("{OB}AchievementSubject")]));
    let signed = subject.remove("achievement").unwrap();
    subject.insert("signedAchievement".into(), signed);
    subject.insert("achievement".into(), json!({"type": ["Achievement"], "name": "Doctor of Medicine (FORGED)", "criteria": {"narrative": "Forged"}}));
    d["@context"].as_array_mut().unwrap().push(
        json!({"achievement": null, "signedAchievement": {"@id": format!("{OB}achievement")}}),
    );
    let (code, text) = verify(&v, &d.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(
        text.contains("no signature covers the value \"Doctor of Medicine (FORGED)\""),
        "{text}"
    );
    // Imported, it is not called verified either.
    let path = v.file("forged.json", d.to_string().as_bytes());
    let report = v.json(&["import", path.to_str().unwrap()]);
    assert!(
        report["status"]
            .as_str()
            .unwrap()
            .starts_with("cannot be checked"),
        "{report}"
    );

    // A nested context of its own, an IRI for a property, a keyword: the same.
    for bend in [
        json!({"credentialSubject": {"achievement": {"@context": {"@vocab": null}, "foo": "x"}}}),
        json!({"https://www.w3.org/2018/credentials#credentialStatus": {"id": "x"}}),
        json!({"@comment": "hidden"}),
    ] {
        let mut d = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json");
        merge(&mut d, &bend);
        let (code, text) = verify(&v, &d.to_string());
        assert_eq!(code, 7, "{bend}: {text}");
    }
    // Dates written other than as plain strings cannot hide an expiry.
    let mut d = badge("ob3-vc1-ed25519sig2020-didkey-EXPIRED.json");
    d["expirationDate"] = json!([d["expirationDate"]]);
    let (code, text) = verify(&v, &d.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(
        text.contains("expirationDate is not a plain date"),
        "{text}"
    );
    // A relative reference, which JSON-LD drops from what is signed.
    let mut d = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json");
    d["credentialSubject"]["achievement"]["image"] = json!("not an iri");
    let (code, text) = verify(&v, &d.to_string());
    assert_ne!(code, 0, "{text}");
}

#[test]
fn a_context_musette_does_not_hold_cannot_be_checked() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Masonry", "level=master"]);
    let mut doc: Value = serde_json::from_str(&v.ok(&["credential", "issue", &id])).unwrap();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.org/contexts/mine/v1"));
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(
        text.contains("https://example.org/contexts/mine/v1, which musette does not hold"),
        "{text}"
    );
    assert!(!text.contains("tampered"), "{text}");
}

fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

#[test]
fn a_signature_proves_nothing_about_an_issuer_it_is_not_tied_to() {
    let v = TestVault::new();
    let attacker = Signer::from_seed(&[7u8; 32]).unwrap();
    // A did:web issuer, signed by the attacker's did:key.
    let mut doc = credential("did:web:university.example");
    proof::add_proof(
        &mut doc,
        &attacker,
        "assertionMethod",
        "2025-01-01T00:00:00Z",
        SigningSuite::EddsaRdfc2022,
    )
    .unwrap();
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(text.contains("nothing ties its signer"), "{text}");
    // No issuer at all.
    let mut doc = credential("x");
    doc.as_object_mut().unwrap().remove("issuer");
    proof::add_proof(
        &mut doc,
        &attacker,
        "assertionMethod",
        "2025-01-01T00:00:00Z",
        SigningSuite::EddsaJcs2022,
    )
    .unwrap();
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 5, "{text}");
    assert!(text.contains("names no issuer"), "{text}");

    // A JWT carrying its own key: it cannot speak for a did:key issuer that is someone else…
    let victim = Signer::from_seed(&[8u8; 32]).unwrap();
    let jwk = |s: &Signer| {
        let key = musette_core::identity::public_key_from_did(s.did()).unwrap();
        json!({"kty": "OKP", "crv": "Ed25519", "x": BASE64URL_NOPAD.encode(&key)})
    };
    let header = json!({"alg": "EdDSA", "jwk": jwk(&attacker)});
    let token = jwt(
        &header,
        &json!({"iss": victim.did(), "vc": credential(victim.did())}),
        &attacker,
    );
    let (code, text) = verify(&v, &token);
    assert_eq!(code, 5, "{text}");
    // …nor for a URL issuer: it shows the token unaltered, not who made it.
    let token = jwt(
        &header,
        &json!({"vc": credential("https://university.example")}),
        &attacker,
    );
    let (code, text) = verify(&v, &token);
    assert_eq!(code, 7, "{text}");
    assert!(text.contains("travels in the token itself"), "{text}");
    // When the key in the header is the did:key issuer's own, it verifies.
    let own = json!({"alg": "EdDSA", "jwk": jwk(&victim)});
    let token = jwt(&own, &json!({"vc": credential(victim.did())}), &victim);
    let (code, text) = verify(&v, &token);
    assert_eq!(code, 0, "{text}");
    // An unsigned token, or a did:key named with another algorithm.
    let none = format!(
        "{}.{}.",
        BASE64URL_NOPAD.encode(br#"{"alg":"none"}"#),
        BASE64URL_NOPAD.encode(
            json!({"vc": credential(victim.did())})
                .to_string()
                .as_bytes()
        )
    );
    assert_eq!(verify(&v, &none).0, 5);
    let es = json!({"alg": "ES256", "kid": victim.verification_method()});
    let token = jwt(&es, &json!({"vc": credential(victim.did())}), &victim);
    assert_eq!(verify(&v, &token).0, 5);
}

/// A VC-JWT's own dates hold whatever its credential says, are numbers, and its payload says
/// each thing once (a future `nbf`, an `exp` written as a string, or an `exp` given twice all
/// came out "Verified").
#[test]
fn a_jwt_is_held_to_its_own_dates_and_says_each_thing_once() {
    let v = TestVault::new();
    let signer = Signer::from_seed(&[9u8; 32]).unwrap();
    let header = json!({"alg": "EdDSA", "kid": signer.verification_method()});
    let with = |claims: Value| {
        let mut payload = json!({"iss": signer.did(), "vc": credential(signer.did())});
        merge(&mut payload, &claims);
        jwt(&header, &payload, &signer)
    };
    let (code, text) = verify(&v, &with(json!({"nbf": 1_735_689_600})));
    assert_eq!(code, 0, "{text}");
    let (code, text) = verify(&v, &with(json!({"nbf": 4_000_000_000u64})));
    assert_eq!(code, 8, "{text}");
    assert!(text.contains("valid only from 2096-10-02"), "{text}");
    let (code, text) = verify(&v, &with(json!({"exp": 1_000_000_000})));
    assert_eq!(code, 8, "{text}");
    assert!(text.contains("expired on 2001-09-09"), "{text}");
    for (claim, value) in [
        ("exp", json!("1000000000")),
        ("nbf", json!(null)),
        ("iat", json!([1])),
    ] {
        let (code, text) = verify(&v, &with(json!({ claim: value })));
        assert_eq!(code, 5, "{claim}: {text}");
        assert!(text.contains("not a date in seconds"), "{text}");
    }
    // The same key twice, in the payload or the header.
    let payload = json!({"iss": signer.did(), "vc": credential(signer.did())}).to_string();
    let twice = format!(
        "{},\"exp\":1000000000,\"exp\":4000000000}}",
        payload.strip_suffix('}').unwrap()
    );
    let message = format!(
        "{}.{}",
        BASE64URL_NOPAD.encode(header.to_string().as_bytes()),
        BASE64URL_NOPAD.encode(twice.as_bytes())
    );
    let token = format!(
        "{message}.{}",
        BASE64URL_NOPAD.encode(&signer.sign(message.as_bytes()))
    );
    let (code, text) = verify(&v, &token);
    assert_eq!(code, 5, "{text}");
    assert!(text.contains("the key \"exp\" twice"), "{text}");
    let head = format!(
        r#"{{"alg":"EdDSA","kid":"{}","alg":"none"}}"#,
        signer.verification_method()
    );
    let message = format!(
        "{}.{}",
        BASE64URL_NOPAD.encode(head.as_bytes()),
        BASE64URL_NOPAD.encode(payload.as_bytes())
    );
    let token = format!(
        "{message}.{}",
        BASE64URL_NOPAD.encode(&signer.sign(message.as_bytes()))
    );
    let (code, text) = verify(&v, &token);
    assert_eq!(code, 5, "{text}");
}

#[test]
fn files_built_to_exhaust_the_verifier_are_refused_at_once() {
    let v = TestVault::new();
    // Twelve empty objects twice: RDFC-1.0 would try 12! orders of them, for each of 4 proofs.
    let mut d = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json");
    let p = "https://example.org/p";
    let twelve: Vec<Value> = (0..12).map(|_| json!({})).collect();
    d["credentialSubject"][p] = json!([{p: twelve.clone()}, {p: twelve}]);
    d["proof"] = json!([d["proof"], d["proof"], d["proof"], d["proof"]]);
    let started = Instant::now();
    let (code, text) = verify(&v, &d.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(text.contains("look alike"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Thousands of contexts.
    let mut d = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json");
    let many: Vec<Value> = (0..5000)
        .map(|_| json!("https://www.w3.org/ns/credentials/v2"))
        .collect();
    d["@context"] = json!(many);
    let started = Instant::now();
    let (code, text) = verify(&v, &d.to_string());
    assert_ne!(code, 0, "{text}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // A key held twice: tools disagree on which counts.
    let text = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json").to_string();
    let doubled = text.replacen("\"name\":", "\"name\":\"FORGED\",\"name\":", 1);
    let (code, out) = verify(&v, &doubled);
    assert_eq!(code, 5, "{out}");
    assert!(out.contains("twice"), "{out}");
}

/// What an adversarial review bent next: a badge whose key sits at an https URL or a did:web
/// (its signature checked against the key its method's fragment names), contexts added after
/// those an eddsa-jcs-2022 proof signs, two badges baked in one image, and a presentation
/// signed for the wrong purpose.
#[test]
fn bent_badges_unsigned_contexts_two_baked_badges_and_wrong_purposes_do_not_verify() {
    let v = TestVault::new();
    // The genuine badges, whose fragment names the key that signed them, cannot be checked
    // offline; changed, they fail, and import will not keep them as they are.
    for name in [
        "ob3-vc2-eddsa-rdfc-httpsvm-1edtech.json",
        "ob3-vc2-eddsa-rdfc-didweb.json",
    ] {
        let genuine = badge(name).to_string();
        let (code, text) = verify(&v, &genuine);
        assert_eq!(code, 7, "{name}: {text}");
        let bent = genuine.replacen("\"Teamwork", "\"Leadership", 1);
        assert_ne!(bent, genuine, "{name}");
        let (code, text) = verify(&v, &bent);
        assert_eq!(code, 5, "{name}: {text}");
        assert!(
            text.contains("does not hold for the key its method names"),
            "{text}"
        );
        let file = v.file("bent.json", bent.as_bytes());
        v.fails(5, &["import", file.to_str().unwrap()]);
    }

    // eddsa-jcs-2022 signs the proof's contexts: ones added after them sign nothing.
    let id = v.add("skill", &["name=TIG"]);
    let file = v.tmp.path().join("jcs.json");
    v.ok(&[
        "credential",
        "issue",
        &id,
        "--suite",
        "eddsa-jcs-2022",
        "-o",
        file.to_str().unwrap(),
    ]);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(verify(&v, &doc.to_string()).0, 0);
    doc["@context"].as_array_mut().unwrap().extend([
        json!({"@vocab": "https://evil.example/"}),
        json!("https://evil.example/ctx.jsonld"),
    ]);
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(
        text.contains("adds entries after those its proof signs"),
        "{text}"
    );

    // Two badges baked in one image: PNG or SVG, which one counts depends on the tool.
    let one = badge("ob3-vc2-ed25519sig2020-didkey.json").to_string();
    let other = badge("ob3-vc2-eddsa-rdfc-didkey-alignments.json").to_string();
    let png =
        musette_formats::png::with_itxt(&musette_formats::png::tiny_png(), "openbadges", &one, &[])
            .unwrap();
    let png = musette_formats::png::with_itxt(&png, "openbadges", &other, &[]).unwrap();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{one}]]></openbadges:credential><openbadges:credential><![CDATA[{other}]]></openbadges:credential></svg>"#
    );
    for (name, bytes) in [("two.png", png), ("two.svg", svg.into_bytes())] {
        let file = v.file(name, &bytes);
        let out = v.fails(5, &["verify", file.to_str().unwrap()]);
        assert!(out.contains("two baked badges"), "{name}: {out}");
    }

    // A presentation signed to assert, not to authenticate its holder.
    let signer = Signer::from_seed(&[11u8; 32]).unwrap();
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": signer.did(),
    });
    for (purpose, code) in [("assertionMethod", 5), ("authentication", 0)] {
        let mut signed = vp.clone();
        proof::add_proof(
            &mut signed,
            &signer,
            purpose,
            "2025-01-01T00:00:00Z",
            SigningSuite::EddsaJcs2022,
        )
        .unwrap();
        let (got, text) = verify(&v, &signed.to_string());
        assert_eq!(got, code, "{purpose}: {text}");
        if code == 5 {
            assert!(text.contains("made for assertionMethod"), "{text}");
        }
    }
}

fn sign(doc: &mut Value, signer: &Signer) {
    proof::add_proof(
        doc,
        signer,
        "assertionMethod",
        "2025-01-01T00:00:00Z",
        SigningSuite::EddsaJcs2022,
    )
    .unwrap();
}

/// A stranger cannot get a contact of their choosing written into your vault by asking you to
/// co-sign something: requests naming you as issuer, not signed by their issuer, or that are
/// not recommendations are refused, and what you then import is not restored as a contact.
#[test]
fn a_request_to_cosign_cannot_plant_a_record() {
    let v = TestVault::new();
    let me = v.ok(&["id"]).trim().to_string();
    let mallory = Signer::from_seed(&[0x22; 32]).unwrap();
    let request = |issuer: &str, subject: Value, types: Value| {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:0b6a8e1c-1111-4f00-9000-000000000001",
            "type": types,
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Mallory Jones"},
            "validFrom": "2025-01-01T00:00:00Z",
            "name": "Recommendation by Mallory Jones",
            "credentialSubject": subject,
        })
    };
    let planted = json!({"type": "contact", "name": "Alice Smith", "did": mallory.did()});
    for (what, mut doc) in [
        (
            "names you as its issuer",
            request(
                &me,
                json!({"type": ["EndorsementSubject"], "endorsementComment": "Great.", "id": me}),
                json!(["VerifiableCredential", "EndorsementCredential"]),
            ),
        ),
        (
            "is not signed by its issuer",
            request(
                "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                json!({"type": ["EndorsementSubject"], "endorsementComment": "Great."}),
                json!(["VerifiableCredential", "EndorsementCredential"]),
            ),
        ),
        (
            "musette can co-sign",
            request(
                mallory.did(),
                planted.clone(),
                json!(["VerifiableCredential", "EndorsementCredential"]),
            ),
        ),
    ] {
        sign(&mut doc, &mallory);
        let path = v.file("req.json", doc.to_string().as_bytes());
        let err = v.fails(2, &["recommend", "sign", path.to_str().unwrap(), "--yes"]);
        assert!(err.contains(what), "{what}: {err}");
    }
    // The free-form shape is read only under its own type; restored only when yours.
    let mut doc = request(
        &me,
        planted,
        json!(["VerifiableCredential", "EndorsementCredential"]),
    );
    sign(&mut doc, &mallory);
    let path = v.file("planted.json", doc.to_string().as_bytes());
    let out = v
        .cmd()
        .args(["import", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(v.ids().is_empty(), "nothing was written");
}

/// A name a document gives itself never reads like one of your contacts or "you"; long names
/// and keys are cut, never a crash.
#[test]
fn names_from_the_document_are_quoted_and_cut() {
    let v = TestVault::new();
    v.add(
        "contact",
        &[
            "name=Alice Smith",
            "did=did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        ],
    );
    let stranger = Signer::from_seed(&[0x33; 32]).unwrap();
    for name in ["Alice Smith", "you"] {
        let mut doc = credential(stranger.did());
        doc["issuer"]["name"] = json!(name);
        sign(&mut doc, &stranger);
        let (code, text) = verify(&v, &doc.to_string());
        assert_eq!(code, 0, "{text}");
        assert!(text.contains(&format!("\"{name}\"")), "{text}");
        assert!(text.contains("not one of your contacts"), "{text}");
        assert!(!text.contains("(your contact)"), "{text}");
    }
    let mut doc = credential(stranger.did());
    doc["issuer"]["name"] = json!("N".repeat(70_000));
    doc["credentialSubject"]["achievement"]["name"] = json!("A".repeat(70_000));
    sign(&mut doc, &stranger);
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 0, "{}", &text[..200.min(text.len())]);
    assert!(text.lines().all(|l| l.chars().count() < 1_000));
    // A date musette cannot read leaves validity unchecked, never "verified".
    let mut doc = credential(stranger.did());
    doc["validUntil"] = json!("01/01/2020");
    sign(&mut doc, &stranger);
    let (code, text) = verify(&v, &doc.to_string());
    assert_eq!(code, 7, "{text}");
    assert!(text.contains("is not a date musette can read"), "{text}");
}
