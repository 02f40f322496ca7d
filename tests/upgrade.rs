//! A vault made by the first version (schema 1, no manifest, a KDF of 8 MiB and 1 pass) opens
//! with this one: it gains its manifest, keeps its records, attachments, identity and recovery
//! key, and from then on deletion and rollback are detected. The fixture in
//! `tests/fixtures/v1-vault/` was made by that version; `fixture.json` says what it holds.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{code_and_err, musette};
use rusqlite::Connection;
use serde_json::Value;

struct Old {
    tmp: tempfile::TempDir,
    dir: PathBuf,
    pass: PathBuf,
    facts: Value,
}

fn old_vault() -> Old {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1-vault");
    let facts: Value =
        serde_json::from_slice(&std::fs::read(fixture.join("fixture.json")).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture.join("vault.db"), dir.join("vault.db")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [&dir, &dir.join("vault.db")] {
            let mode = if p.is_dir() { 0o700 } else { 0o600 };
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    let pass = tmp.path().join("pass");
    std::fs::write(&pass, facts["passphrase"].as_str().unwrap()).unwrap();
    Old {
        tmp,
        dir,
        pass,
        facts,
    }
}

impl Old {
    fn run(&self, args: &[&str]) -> std::process::Output {
        musette(self.tmp.path())
            .arg("--vault")
            .arg(&self.dir)
            .arg("--passphrase-file")
            .arg(&self.pass)
            .args(args)
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", code_and_err(&out).1);
        String::from_utf8(out.stdout).unwrap()
    }
    fn fact(&self, k: &str) -> &str {
        self.facts[k].as_str().unwrap()
    }
}

#[test]
fn a_version_1_vault_opens_and_gains_its_manifest() {
    let v = old_vault();
    let list: Value = serde_json::from_str(&v.ok(&["--json", "list"])).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{list}");
    for k in ["experience", "skill", "contact"] {
        assert!(ids.contains(&v.fact(k)), "{k} missing");
    }
    let conn = Connection::open(v.dir.join("vault.db")).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let shown: Value =
        serde_json::from_str(&v.ok(&["--json", "show", v.fact("experience")])).unwrap();
    assert_eq!(shown["fields"]["end"], "2023");
    let got = v.ok(&["get", v.fact("experience"), "diploma.txt", "-o", "-"]);
    assert_eq!(got, "scanned diploma");
    let id: Value = serde_json::from_str(&v.ok(&["--json", "id"])).unwrap();
    assert_eq!(id["did"], v.fact("did"), "the identity is kept");
    let report: Value = serde_json::from_str(&v.ok(&["--json", "doctor"])).unwrap();
    assert_eq!(report["records"], 3);
    // The recovery key of the old vault still opens it.
    let key = v.tmp.path().join("rk");
    std::fs::write(&key, v.fact("recovery_key")).unwrap();
    let newp = v.tmp.path().join("np");
    std::fs::write(&newp, "passphrase after the upgrade").unwrap();
    let out = musette(v.tmp.path())
        .arg("--vault")
        .arg(&v.dir)
        .args(["recover", "--recovery-key-file"])
        .arg(&key)
        .arg("--new-passphrase-file")
        .arg(&newp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
}

#[test]
fn after_the_upgrade_deleting_rows_or_the_manifest_is_detected() {
    let v = old_vault();
    v.ok(&["list"]);
    let conn = Connection::open(v.dir.join("vault.db")).unwrap();
    conn.execute("DELETE FROM chunks WHERE record = ?1", [v.fact("skill")])
        .unwrap();
    conn.execute("DELETE FROM records WHERE id = ?1", [v.fact("skill")])
        .unwrap();
    let out = v.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stdout).contains("deleted outside musette"));
    // Deleting the manifest does not make the vault look like an old one again.
    conn.execute("DELETE FROM meta WHERE key = 'manifest'", [])
        .unwrap();
    let (code, err) = code_and_err(&v.run(&["list"]));
    assert_eq!(code, Some(5));
    assert!(err.contains("manifest") && err.contains("missing"), "{err}");
}
