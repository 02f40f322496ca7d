//! A second, independent verifier on what musette issues: Digital Bazaar's `@digitalbazaar/vc`
//! with the `eddsa-rdfc-2022` cryptosuite (what the DCC Learner Credential Wallet and
//! VerifierPlus run), offline and in JSON-LD safe mode (`tests/interop/verify.mjs`). Its npm
//! packages are installed by `.ci/test` (`npm ci --prefix tests/interop`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestVault;
use serde_json::{Value, json};

fn interop() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    assert!(
        dir.join("node_modules/@digitalbazaar/vc").exists(),
        "the independent verifier is not installed: run `.ci/test` (it runs `npm ci --prefix tests/interop` once), or that npm command"
    );
    dir
}

/// What Digital Bazaar's verifier says of each file.
fn digital_bazaar(files: &[&Path], challenge: Option<&str>) -> Vec<Value> {
    let mut cmd = Command::new("node");
    cmd.arg(interop().join("verify.mjs"));
    if let Some(c) = challenge {
        cmd.args(["--challenge", c]);
    }
    let out = cmd.args(files).output().expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn did(v: &TestVault) -> String {
    v.ok(&["id"]).trim().to_string()
}

fn save(v: &TestVault, name: &str, doc: &Value) -> PathBuf {
    let path = v.tmp.path().join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    path
}

#[test]
fn digital_bazaar_verifies_every_kind_musette_issues_in_safe_mode() {
    let owner = TestVault::new();
    let exp = owner.add(
        "experience",
        &[
            "title=Welder",
            "organization=Chantiers de l'Atlantique",
            "type=employment",
            "start=2019-03",
            "end=2024-06-30",
            "location=Saint-Nazaire",
            "description=TIG and MIG on hull sections",
            "skills=TIG,MIG",
        ],
    );
    let skill = owner.add(
        "skill",
        &["name=TIG welding", "level=expert", "keywords=steel,inox"],
    );
    let evidence = owner.add(
        "evidence",
        &[
            "title=Weld test report",
            "description=Passed ISO 9606-1",
            "date=2023-05-02",
        ],
    );
    let contact = owner.add(
        "contact",
        &[
            "name=Hélène Dupré",
            "organization=Chantiers",
            "role=Foreman",
            "email=h@example.org",
        ],
    );
    let document = owner.add(
        "document",
        &[
            "title=Work certificate",
            "category=certificate",
            "date=2024-07-01",
            "due=2026-01-01",
        ],
    );
    let badge = owner.add(
        "badge",
        &[
            "name=First aid",
            "issuer=Red Cross",
            "issued=2024-01-10",
            "expires=2027-01-10",
        ],
    );
    // A recommendation co-signed by two colleagues: a proof set of three.
    let rec = owner.add(
        "recommendation",
        &["text=Precise and calm.", "author=Bob", "date=2025-06"],
    );
    let req = owner.tmp.path().join("req.json");
    owner.ok(&["recommend", "request", &rec, "-o", req.to_str().unwrap()]);
    for n in 0..2 {
        let colleague = TestVault::new();
        let signed = owner.tmp.path().join(format!("signed-{n}.json"));
        colleague.ok(&[
            "recommend",
            "sign",
            req.to_str().unwrap(),
            "-o",
            signed.to_str().unwrap(),
            "--yes",
        ]);
        owner.ok(&["recommend", "accept", signed.to_str().unwrap()]);
    }
    let mut files = Vec::new();
    for id in [&exp, &skill, &evidence, &contact, &document, &badge, &rec] {
        let doc: Value = serde_json::from_str(&owner.ok(&["credential", "issue", id])).unwrap();
        assert_eq!(musette_verifies(&owner, &doc), 0);
        files.push(save(&owner, &format!("{id}.json"), &doc));
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let results = digital_bazaar(&paths, None);
    assert_eq!(results.len(), files.len());
    for r in &results {
        assert_eq!(r["verified"], true, "{r}");
        let proofs = r["proofs"].as_array().unwrap();
        assert!(
            !proofs.is_empty() && proofs.iter().all(|p| *p == true),
            "{r}"
        );
    }
    let rec_result = results.last().unwrap();
    assert_eq!(
        rec_result["proofs"].as_array().unwrap().len(),
        3,
        "{rec_result}"
    );

    // A presentation for one verifier's challenge.
    let vp = owner.tmp.path().join("vp.json");
    owner.ok(&[
        "present",
        &exp,
        &rec,
        "--challenge",
        "n-0S6_WzA2Mj",
        "--domain",
        "jobs.example.org",
        "-o",
        vp.to_str().unwrap(),
    ]);
    let got = digital_bazaar(&[&vp], Some("n-0S6_WzA2Mj"));
    assert_eq!(got[0]["verified"], true, "{}", got[0]);
    let got = digital_bazaar(&[&vp], Some("another"));
    assert_eq!(got[0]["verified"], false, "another challenge: {}", got[0]);

    // The controls: the same verifier refuses an altered credential, and one carrying a
    // property no context defines (safe mode is on).
    let doc: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let mut altered = doc.clone();
    altered["credentialSubject"]["achievement"]["name"] = json!("Master welder");
    let mut undefined = doc.clone();
    undefined["credentialSubject"]["salary"] = json!("a lot");
    let altered = save(&owner, "altered.json", &altered);
    let undefined = save(&owner, "undefined.json", &undefined);
    for r in digital_bazaar(&[&altered, &undefined], None) {
        assert_eq!(r["verified"], false, "{r}");
    }
    assert_eq!(musette_exit(&owner, &altered), 5);
    assert_eq!(musette_exit(&owner, &undefined), 7);
    let _ = did(&owner);
}

fn musette_verifies(v: &TestVault, doc: &Value) -> i32 {
    let path = save(v, "check.json", doc);
    musette_exit(v, &path)
}

fn musette_exit(v: &TestVault, path: &Path) -> i32 {
    v.cmd()
        .args(["verify", path.to_str().unwrap()])
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}
