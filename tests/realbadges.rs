//! The 30 real-world badges of `../shared/vectors/realbadges/`, through the binary as a user
//! meets them: every file imports, and `verify` tells each apart by its exit code: 0 verified,
//! 5 altered, 7 cannot be checked offline, 8 proofs hold but not valid today. Every signature
//! that holds is reported as holding ("ok signed by"), whatever else cannot be checked.

mod common;

use common::TestVault;

fn realbadges() -> std::path::PathBuf {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/realbadges");
    assert!(
        path.exists(),
        "the test vectors are missing: shared/vectors must sit beside the checkout at {}",
        path.display()
    );
    path
}

/// Each file, the exit code of `verify`, and a phrase its output must hold.
const EXPECTED: &[(&str, i32, &str)] = &[
    (
        "ob1-baked-png-hosted-concentricsky.png",
        7,
        "hosted badge carries no signature",
    ),
    (
        "ob1-baked-svg-hosted-concentricsky.svg",
        7,
        "hosted badge carries no signature",
    ),
    (
        "ob2-baked-png-hosted-1edtech.png",
        7,
        "hosted badge carries no signature",
    ),
    (
        "ob2-hosted-digitalagency-jp.json",
        7,
        "hosted badge carries no signature",
    ),
    (
        "ob2-hosted-embedded-rclcloudtnt.json",
        7,
        "hosted badge carries no signature",
    ),
    (
        "ob2-signed-jws-rs256-1edtech.jwt",
        7,
        "key is published at http://example.org",
    ),
    (
        "ob3-baked-png-json-1edtech.png",
        7,
        "published at https://example.com/issuers/876543",
    ),
    (
        "ob3-baked-png-jwt-1edtech.png",
        7,
        "travels in the token itself",
    ),
    (
        "ob3-baked-svg-json-1edtech.svg",
        7,
        "published at https://example.com/issuers/876543",
    ),
    (
        "ob3-baked-svg-jwt-1edtech.svg",
        7,
        "travels in the token itself",
    ),
    (
        "ob3-vc1-ed25519sig2018-didkey-jffplugfest3.json",
        7,
        "Ed25519Signature2018",
    ),
    (
        "ob3-vc1-ed25519sig2020-didkey-EXPIRED.json",
        8,
        "expired on 2025-01-09",
    ),
    (
        "ob3-vc1-ed25519sig2020-didkey-jffplugfest2.json",
        0,
        "Verified",
    ),
    ("ob3-vc1-ed25519sig2020-didkey.json", 0, "Verified"),
    ("ob3-vc1-eddsa-rdfc-didkey.json", 0, "Verified"),
    (
        "ob3-vc2-ed25519sig2020-didkey-TAMPERED.json",
        5,
        "does not match",
    ),
    (
        "ob3-vc2-ed25519sig2020-didkey-lcwexperience.json",
        0,
        "Verified",
    ),
    ("ob3-vc2-ed25519sig2020-didkey.json", 0, "Verified"),
    (
        "ob3-vc2-eddsa-rdfc-didkey-1edtech.json",
        7,
        "nothing ties its signer",
    ),
    (
        "ob3-vc2-eddsa-rdfc-didkey-EXPIRED-status.json",
        8,
        "expired on 2010-01-02",
    ),
    (
        "ob3-vc2-eddsa-rdfc-didkey-NOTYETVALID.json",
        8,
        "valid only from 2099-01-01",
    ),
    (
        "ob3-vc2-eddsa-rdfc-didkey-REVOKED-status.json",
        7,
        "status (revocation) is published at",
    ),
    ("ob3-vc2-eddsa-rdfc-didkey-alignments.json", 0, "Verified"),
    (
        "ob3-vc2-eddsa-rdfc-didkey-complexissuer.json",
        0,
        "Verified",
    ),
    (
        "ob3-vc2-eddsa-rdfc-didweb.json",
        7,
        "did:web identifier that only the network can resolve",
    ),
    (
        "ob3-vc2-eddsa-rdfc-httpsvm-1edtech.json",
        7,
        "does match the key its fragment names",
    ),
    ("ob3-vc2-endorsement-twoproofs-didkey.json", 0, "Verified"),
    ("ob3-vc2-twoproofs-rdfc+ed2020-didkey.json", 0, "Verified"),
    ("ob3-vc2-unsigned-edubadges.json", 5, "carries no proof"),
    ("ob3-vcjwt-rs256-didvelocity.jwt", 7, "did:velocity"),
];

#[test]
fn every_real_badge_imports_and_verifies_as_it_should() {
    let dir = realbadges();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SOURCES.md")
        .collect();
    files.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(f, _, _)| *f).collect();
    assert_eq!(files, listed, "the corpus changed: update EXPECTED");
    let v = TestVault::new();
    let mut duplicates = 0;
    for (file, code, phrase) in EXPECTED {
        let path = dir.join(file);
        let path = path.to_str().unwrap();
        let out = v
            .cmd()
            .env("TZ", "UTC")
            .args(["verify", path])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(*code), "verify {file}:\n{text}");
        assert!(
            text.contains(phrase),
            "verify {file} should say {phrase:?}:\n{text}"
        );
        if *code == 7 {
            assert!(
                !text.contains("tampered") && !text.contains("FAILED"),
                "{file}: {text}"
            );
        }
        // Whatever verify says, the badge can be kept; the same credential baked into a PNG
        // and an SVG is kept once.
        let mut imported = v.cmd().args(["import", path]).output().unwrap();
        if file.contains("TAMPERED") {
            // An altered badge is refused unless asked for, and kept then.
            let err = String::from_utf8_lossy(&imported.stderr);
            assert_eq!(imported.status.code(), Some(5), "{file}: {err}");
            assert!(err.contains("--allow-invalid"), "{file}: {err}");
            imported = v
                .cmd()
                .args(["import", "--allow-invalid", path])
                .output()
                .unwrap();
        }
        let err = String::from_utf8_lossy(&imported.stderr);
        if !imported.status.success() {
            assert!(
                err.contains("already in your vault"),
                "import {file}: {err}"
            );
            duplicates += 1;
        }
    }
    // The JSON credential baked into a PNG and an SVG is one; the two JWTs were signed apart.
    assert_eq!(duplicates, 1);
    // Each is a badge record, or (a credential that is not a readable badge) kept as received.
    let kept = v.json(&["received"]);
    let files = kept
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == "file")
        .count();
    assert_eq!(v.ids().len() + files, EXPECTED.len() - duplicates);
    // An issuer's badge stays a badge, whatever its achievement type (this one's is `Badge`).
    let badges = v.ok(&["list", "badge"]);
    assert!(badges.contains("LCW Experience Badge"), "{badges}");
}
