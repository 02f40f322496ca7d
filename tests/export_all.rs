//! `musette export all`: the whole backpack, readable without musette.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;
use serde_json::Value;

#[test]
fn everything_leaves_readable_and_whole() {
    let v = TestVault::new();
    let exp = v.add(
        "experience",
        &["title=Welder", "organization=Chantiers", "start=2019-03"],
    );
    v.add("contact", &["name=Hélène", "email=h@example.org"]);
    let payload: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file = v.file("payslip.pdf", &payload);
    v.ok(&[
        "attach",
        &exp,
        file.to_str().unwrap(),
        "--name",
        "..payslip:2024.pdf",
    ]);
    let badge_path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/realbadges/ob3-vc2-eddsa-rdfc-didkey-alignments.json");
    let badge = v.json(&["import", "badge", badge_path.to_str().unwrap()])["id"]
        .as_str()
        .unwrap()
        .to_string();
    v.ok(&["edit", &exp, "--set", "end=2024"]);
    let out = v.tmp.path().join("backpack");
    v.ok(&["export", "all", "-o", out.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(out.join("README.md"))
            .unwrap()
            .contains("records/<kind>/<id>.json")
    );
    let index: Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index.as_array().unwrap().len(), 3);
    // The experience: fields, history, its attachment under a safe name with its checksum.
    let rec: Value = serde_json::from_slice(
        &std::fs::read(out.join(format!("records/experience/{exp}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(rec["fields"]["title"], "Welder");
    assert_eq!(rec["fields"]["end"], "2024");
    assert!(rec["history"].as_array().unwrap().len() >= 3, "{rec}");
    let att = &rec["attachments"][0];
    let rel = att["file"].as_str().unwrap();
    assert!(
        rel.ends_with("/payslip_2024.pdf"),
        "a name safe on any file system: {rel}"
    );
    let copied = std::fs::read(out.join(rel)).unwrap();
    assert_eq!(copied, payload);
    assert_eq!(
        att["sha256"].as_str().unwrap(),
        musette_core::crypto::hex(&musette_core::crypto::sha256(&copied))
    );
    // Its automerge document, whole.
    let doc = std::fs::read(out.join(format!("records/experience/{exp}.automerge"))).unwrap();
    assert_eq!(
        &doc[..4],
        &[0x85, 0x6f, 0x4a, 0x83],
        "automerge's magic bytes"
    );
    // The badge as its issuer signed it, byte for byte.
    assert_eq!(
        std::fs::read(out.join(format!("credentials/{badge}.json"))).unwrap(),
        std::fs::read(&badge_path).unwrap()
    );
    // Not over something that exists.
    let err = v.fails(2, &["export", "all", "-o", out.to_str().unwrap()]);
    assert!(err.contains("not an empty folder"), "{err}");
}
