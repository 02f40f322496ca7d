//! Open Badges import and export end to end: the official 3.0 examples, badges signed by another
//! vault, 2.0 assertions, baked PNG and SVG files built here, and malformed inputs (a clear error
//! each time, nothing stored).

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;
use musette_formats::openbadges::{self, Version};
use musette_formats::png;
use serde_json::{Value, json};

fn vector(name: &str) -> std::path::PathBuf {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/openbadges")
        .join(name);
    assert!(
        path.exists(),
        "the test vector {} is missing: shared/vectors must sit beside the checkout",
        path.display()
    );
    path
}

const SVG: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <circle cx="32" cy="32" r="30" fill="#e8a33d"/>
</svg>
"##;

/// Imports a file; returns (exit code, stdout, stderr).
fn import(v: &TestVault, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = v.cmd().args(&all).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn official_ob3_examples_import_and_export_unchanged() {
    let v = TestVault::new();
    for (file, name, issuer) in [
        ("basicOpenBadgeCredential.json", "Teamwork", "Example Corp"),
        (
            "endorsement.json",
            "SDE endorsement",
            "State Department of Education",
        ),
    ] {
        let path = vector(file);
        let report = v.json(&["import", "badge", path.to_str().unwrap()]);
        assert_eq!(report["status"], "unsigned", "{file}");
        let id = report["id"].as_str().unwrap();
        let shown = v.json(&["show", id]);
        assert_eq!(shown["kind"], "badge");
        assert_eq!(shown["fields"]["name"], name);
        assert_eq!(shown["fields"]["issuer"], issuer);
        assert_eq!(shown["fields"]["issued"], "2010-01-01");
        assert_eq!(shown["credential_status"], "unsigned");
        // The original, byte for byte.
        let out = v.tmp.path().join(format!("{file}.out"));
        v.ok(&["export", "badge", id, "-o", out.to_str().unwrap()]);
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(&path).unwrap(),
            "{file} changed on the way"
        );
    }
    let endorsement = v.json(&["list", "--search", "SDE"]);
    let shown = v.json(&["show", endorsement[0]["id"].as_str().unwrap()]);
    assert_eq!(shown["fields"]["expires"], "2030-01-01");
    assert_eq!(
        shown["fields"]["criteria"],
        "1EdTech University is in good standing"
    );
    // The signed implementation-guide example (eddsa-rdfc-2022) holds for the key its method
    // names, but that key sits behind the issuer's https URL: it cannot be checked offline.
    let signed = vector("ob3-rdfc-test-vector/signed-credential.json");
    let report = v.json(&["import", signed.to_str().unwrap()]);
    let status = report["status"].as_str().unwrap();
    assert!(
        status.starts_with(
            "cannot be checked: its key is published at https://example.edu/issuers/565049"
        ) && status.contains("the signature does match"),
        "{status}"
    );
}

#[test]
fn a_badge_signed_by_another_vault_is_verified_and_tampering_refused() {
    let issuer = TestVault::new();
    let holder = TestVault::new();
    let skill = issuer.add("skill", &["name=Forklift driving", "level=CACES 3"]);
    let cred = issuer.ok(&["credential", "issue", &skill]);
    let good = holder.file("good.json", cred.as_bytes());
    // Someone else's record: by default kept as received, not as one of your badges.
    let kept = holder.json(&["import", good.to_str().unwrap()]);
    assert_eq!(kept["kind"], "received");
    assert_eq!(kept["outcome"], "verified");
    holder.ok(&["received", "--forget", &kept["id"].as_str().unwrap()[..12]]);
    // Taken as a badge when asked.
    let report = holder.json(&["import", "badge", good.to_str().unwrap()]);
    assert_eq!(report["status"], "verified");
    assert_eq!(report["name"], "Forklift driving");
    let id = report["id"].as_str().unwrap().to_string();
    assert_eq!(holder.json(&["show", &id])["credential_status"], "verified");
    // The same badge twice: refused, naming the record that holds it.
    let (code, _, err) = import(&holder, &["badge", good.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains(&id), "{err}");
    // The same badge altered: refused, nothing stored, unless --allow-invalid.
    let mut doc: Value = serde_json::from_str(&cred).unwrap();
    // A property no context defines is not covered by the signature: said so.
    let mut extra = doc.clone();
    extra["credentialSubject"]["salary"] = json!("high");
    let extra = holder.file("extra.json", extra.to_string().as_bytes());
    let out = holder
        .cmd()
        .args(["verify", extra.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(7), "{text}");
    assert!(text.contains("no signature covers salary"), "{text}");
    doc["credentialSubject"]["result"][0]["value"] = json!("CACES 5");
    let bad = holder.file(
        "bad.json",
        serde_json::to_string_pretty(&doc).unwrap().as_bytes(),
    );
    let (code, _, err) = import(&holder, &["badge", bad.to_str().unwrap()]);
    assert_eq!(code, Some(5));
    assert!(err.contains("--allow-invalid"), "{err}");
    assert_eq!(holder.ids(), vec![id.clone()]);
    let kept = holder.json(&["import", "badge", bad.to_str().unwrap(), "--allow-invalid"]);
    assert!(kept["status"].as_str().unwrap().starts_with("invalid"));
    assert!(
        holder.json(&["show", kept["id"].as_str().unwrap()])["credential_status"]
            .as_str()
            .unwrap()
            .starts_with("invalid")
    );
    // Exported, the signed badge still verifies with `verify`.
    let out = holder.tmp.path().join("again.json");
    holder.ok(&["export", "badge", &id, "-o", out.to_str().unwrap()]);
    holder.ok(&["verify", out.to_str().unwrap()]);
}

#[test]
fn baked_png_and_svg_badges_import_and_export() {
    let v = TestVault::new();
    let original = std::fs::read_to_string(vector("basicOpenBadgeCredential.json")).unwrap();
    // Baked by the library into images made here.
    let baked_png = openbadges::bake_png(&png::tiny_png(), &original, Version::V3).unwrap();
    let baked_svg = openbadges::bake_svg(SVG, &original, Version::V3).unwrap();
    let p = v.file("badge.png", &baked_png);
    let s = v.file("badge.svg", baked_svg.as_bytes());
    for file in [&p, &s] {
        // The same badge in each image: forget the first before importing the second.
        for id in v.ids() {
            v.ok(&["forget", &id, "--yes"]);
        }
        let report = v.json(&["import", file.to_str().unwrap()]);
        let shown = v.json(&["show", report["id"].as_str().unwrap()]);
        assert_eq!(shown["fields"]["name"], "Teamwork");
        assert_eq!(
            shown["fields"]["credential"].as_str().unwrap(),
            original.trim()
        );
    }
    // Exported: baked into a fresh PNG and SVG, which import again to the same credential.
    let id = v.json(&["list", "badge"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let plain = v.file("plain.png", &png::tiny_png());
    let out_png = v.tmp.path().join("out.png");
    v.ok(&[
        "export",
        "badge",
        &id,
        "--png",
        plain.to_str().unwrap(),
        "-o",
        out_png.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&out_png).unwrap();
    assert!(
        png::chunks(&bytes).is_ok(),
        "the baked PNG is not a valid PNG"
    );
    let (_, text) = png::find_text(&bytes, &["openbadgecredential"])
        .unwrap()
        .unwrap();
    assert_eq!(text, original.trim());
    let plain_svg = v.file("plain.svg", SVG.as_bytes());
    let out_svg = v.tmp.path().join("out.svg");
    v.ok(&[
        "export",
        "badge",
        &id,
        "--svg",
        plain_svg.to_str().unwrap(),
        "-o",
        out_svg.to_str().unwrap(),
    ]);
    v.ok(&["forget", &id, "--yes"]);
    let again = v.json(&["import", "badge", out_svg.to_str().unwrap()]);
    assert_eq!(
        v.json(&["show", again["id"].as_str().unwrap()])["fields"]["credential"]
            .as_str()
            .unwrap(),
        original.trim()
    );
    // Exporting something that is not a badge.
    let skill = v.add("skill", &["name=x"]);
    v.fails(2, &["export", "badge", &skill]);
    let manual = v.add("badge", &["name=Typed by hand"]);
    assert!(
        v.fails(2, &["export", "badge", &manual])
            .contains("no credential")
    );
}

#[test]
fn open_badges_2_assertions_import_with_an_offline_status() {
    let v = TestVault::new();
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/123",
        "recipient": {"type": "email", "hashed": false, "identity": "worker@example.org"},
        "issuedOn": "2016-12-31T23:59:59Z",
        "expires": "2030-06-30T00:00:00Z",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass",
            "id": "https://example.org/badges/5",
            "name": "3-D Printmaster",
            "criteria": {"narrative": "Students are tested on knowledge and safety."},
            "issuer": {"type": "Profile", "id": "https://example.org/issuer", "name": "Makerspace"}
        }
    });
    let text = serde_json::to_string_pretty(&assertion).unwrap();
    let json_file = v.file("ob2.json", text.as_bytes());
    let report = v.json(&["import", json_file.to_str().unwrap()]);
    let status = report["status"].as_str().unwrap();
    assert!(
        status
            .starts_with("cannot be checked: an Open Badges 2.0 hosted badge carries no signature")
            && status.contains("online"),
        "{status}"
    );
    let shown = v.json(&["show", report["id"].as_str().unwrap()]);
    assert_eq!(shown["fields"]["name"], "3-D Printmaster");
    assert_eq!(shown["fields"]["issuer"], "Makerspace");
    // The same assertion again, with other bytes around it (compact, a trailing newline) or
    // baked in a PNG: recognised, nothing imported twice.
    let compact = v.file(
        "ob2-compact.json",
        format!("{}\n", serde_json::to_string(&assertion).unwrap()).as_bytes(),
    );
    let baked_again = v.file(
        "ob2-again.png",
        &png::with_itxt(&png::tiny_png(), "openbadges", &text, &[]).unwrap(),
    );
    for dup in [&compact, &baked_again] {
        let (code, _, err) = import(&v, &[dup.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("already in your vault"), "{err}");
    }
    assert_eq!(v.ids().len(), 1);
    assert_eq!(shown["fields"]["issued"], "2016-12-31");
    assert_eq!(shown["fields"]["expires"], "2030-06-30");
    // Baked into a PNG (keyword openbadges) and an SVG (openbadges:assertion).
    let baked = png::with_itxt(&png::tiny_png(), "openbadges", &text, &[]).unwrap();
    let p = v.file("ob2.png", &baked);
    let forget_all = || {
        for id in v.ids() {
            v.ok(&["forget", &id, "--yes"]);
        }
    };
    forget_all();
    assert_eq!(
        v.json(&[
            "show",
            v.json(&["import", p.to_str().unwrap()])["id"]
                .as_str()
                .unwrap()
        ])["fields"]["name"],
        "3-D Printmaster"
    );
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/assertions/123"><![CDATA[{text}]]></openbadges:assertion></svg>"#
    );
    let s = v.file("ob2.svg", svg.as_bytes());
    forget_all();
    let report = v.json(&["import", s.to_str().unwrap()]);
    assert!(
        report["status"]
            .as_str()
            .unwrap()
            .contains("https://example.org/assertions/123")
    );
    // Exported back into a PNG, a 2.0 assertion keeps its 2.0 keyword.
    let out = v.tmp.path().join("ob2-out.png");
    let plain = v.file("p.png", &png::tiny_png());
    v.ok(&[
        "export",
        "badge",
        report["id"].as_str().unwrap(),
        "--png",
        plain.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        png::find_text(&std::fs::read(&out).unwrap(), &["openbadges"])
            .unwrap()
            .is_some()
    );
    // A hosted badge that only points to its URL cannot be imported offline.
    let hosted = r#"<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/9"/></svg>"#;
    let h = v.file("hosted.svg", hosted.as_bytes());
    let (code, _, err) = import(&v, &[h.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be fetched offline"), "{err}");
}

#[test]
fn malformed_badges_give_a_clear_error_and_store_nothing() {
    let v = TestVault::new();
    let original = std::fs::read_to_string(vector("basicOpenBadgeCredential.json")).unwrap();
    let without = |key: &str| {
        let mut doc: Value = serde_json::from_str(&original).unwrap();
        let parts: Vec<&str> = key.split('/').collect();
        let mut target = &mut doc;
        for p in &parts[..parts.len() - 1] {
            target = &mut target[*p];
        }
        target
            .as_object_mut()
            .unwrap()
            .remove(parts[parts.len() - 1]);
        serde_json::to_vec(&doc).unwrap()
    };
    let no_name = without("credentialSubject/achievement/name");
    let mut no_name_doc: Value = serde_json::from_slice(&no_name).unwrap();
    no_name_doc.as_object_mut().unwrap().remove("name");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.json",
            original.as_bytes()[..original.len() / 2].to_vec(),
            "not valid JSON",
        ),
        ("empty.json", b"{}".to_vec(), "not an Open Badge"),
        ("no-issuer.json", without("issuer"), "no issuer"),
        (
            "no-subject.json",
            without("credentialSubject"),
            "no credentialSubject",
        ),
        ("no-validfrom.json", without("validFrom"), "no validFrom"),
        (
            "no-name.json",
            serde_json::to_vec(&no_name_doc).unwrap(),
            "no name",
        ),
        ("plain.png", png::tiny_png(), "no badge baked in"),
        (
            "cut.png",
            openbadges::bake_png(&png::tiny_png(), &original, Version::V3).unwrap()[..60].to_vec(),
            "truncated",
        ),
        ("plain.svg", SVG.as_bytes().to_vec(), "no badge baked in"),
        (
            "broken.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><openbadges:credential><![CDATA[{".to_vec(),
            "SVG",
        ),
        (
            "random.bin",
            (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect(),
            "not a badge",
        ),
        (
            "ob2-no-badge.json",
            br#"{"type": "Assertion", "recipient": {}, "issuedOn": "2020-01-01"}"#.to_vec(),
            "no badge",
        ),
    ];
    for (name, bytes, needle) in cases {
        let f = v.file(name, &bytes);
        let (code, _, err) = import(&v, &["badge", f.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(
            err.contains(needle),
            "{name}: expected {needle:?} in {err:?}"
        );
    }
    assert!(v.ids().is_empty(), "a failed import stored something");
    let (code, _, err) = import(&v, &["resume", "x.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown import format"));
}
