//! Attacks on a copy of `vault.db`, as someone holding the file would try them: expired
//! sessions, restored key slots, weakened or absurd KDF parameters, deleted, rolled-back and
//! resurrected records, a replaced identity, a broken recovery slot, malformed rows, file
//! permissions, padding, and space given back. Each test performs the attack with rusqlite and
//! checks the outcome: the exit code, the message, and that nothing else changed.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{TestVault, code_and_err};
use rusqlite::{Connection, params};

fn db(v: &TestVault) -> Connection {
    Connection::open(v.dir.join("vault.db")).unwrap()
}

/// A record's rows: (key, header) and its chunks (seq, kind, data).
struct Rows {
    id: String,
    key: Vec<u8>,
    header: Vec<u8>,
    chunks: Vec<(i64, i64, Vec<u8>)>,
}

fn copy_rows(conn: &Connection, id: &str) -> Rows {
    let (key, header) = conn
        .query_row("SELECT key, header FROM records WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let chunks = conn
        .prepare("SELECT seq, kind, data FROM chunks WHERE record = ?1")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    Rows {
        id: id.to_string(),
        key,
        header,
        chunks,
    }
}

fn put_rows(conn: &Connection, rows: &Rows) {
    conn.execute("DELETE FROM chunks WHERE record = ?1", [&rows.id])
        .unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO records (id, key, header) VALUES (?1, ?2, ?3)",
        params![rows.id, rows.key, rows.header],
    )
    .unwrap();
    for (seq, kind, data) in &rows.chunks {
        conn.execute(
            "INSERT INTO chunks (record, seq, kind, data) VALUES (?1, ?2, ?3, ?4)",
            params![rows.id, seq, kind, data],
        )
        .unwrap();
    }
}

fn delete_rows(conn: &Connection, id: &str) {
    conn.execute("DELETE FROM chunks WHERE record = ?1", [id])
        .unwrap();
    conn.execute("DELETE FROM records WHERE id = ?1", [id])
        .unwrap();
}

fn slot_row(conn: &Connection, slot: &str) -> (String, String, Vec<u8>) {
    conn.query_row(
        "SELECT kind, params, wrapped FROM slots WHERE id = ?1",
        [slot],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

fn put_slot(conn: &Connection, slot: &str, row: &(String, String, Vec<u8>)) {
    conn.execute(
        "UPDATE slots SET kind = ?2, params = ?3, wrapped = ?4 WHERE id = ?1",
        params![slot, row.0, row.1, row.2],
    )
    .unwrap();
}

/// Runs doctor; asserts it exits 5 and that its report contains every one of `needles`.
fn doctor_finds(v: &TestVault, needles: &[&str]) -> String {
    let out = v.cmd().arg("doctor").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(5), "doctor: {text}");
    for n in needles {
        assert!(text.contains(n), "doctor does not say {n:?}: {text}");
    }
    text
}

fn doctor_clean(v: &TestVault) {
    let out = v.cmd().arg("doctor").output().unwrap();
    assert!(
        out.status.success(),
        "doctor: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each file of the vault (less the shared-memory index) and the SHA-256 of its bytes.
fn files_digest(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with("-shm"))
        .map(|p| {
            let digest = musette_core::crypto::sha256(&std::fs::read(&p).unwrap());
            (p.display().to_string(), musette_core::crypto::hex(&digest))
        })
        .collect();
    out.sort();
    out
}

/// The SHA-256 of every row of every table, as SQLite reads them: what the vault holds,
/// whatever pages the log has or has not folded back.
fn content_digest(v: &TestVault) -> String {
    let conn = db(v);
    let mut all = Vec::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in tables {
        let n = conn
            .prepare(&format!("SELECT * FROM {t}"))
            .unwrap()
            .column_count();
        let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY {}", order.join(", ")))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                all.extend_from_slice(format!("{t}:{v:?};").as_bytes());
            }
        }
    }
    musette_core::crypto::hex(&musette_core::crypto::sha256(&all))
}

// 1. Expired sessions.

#[test]
fn expired_session_rows_are_deleted_when_the_vault_is_opened() {
    let v = TestVault::new();
    let out = v.with_pass(&v.pass_file, &["unlock", "--raw", "--timeout", "1s"]);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let wrapped: Vec<u8> = db(&v)
        .query_row(
            "SELECT wrapped FROM sessions ORDER BY expires LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    // Any command that opens the vault, with another (valid) session.
    v.ok(&["list"]);
    let left: i64 = db(&v)
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1, "only the test's own live session remains");
    // Its wrapped master key is in no file of the vault any more (the log was folded back).
    for entry in std::fs::read_dir(&v.dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let path = path.display();
        assert!(
            !bytes.windows(wrapped.len()).any(|w| w == wrapped),
            "the expired session's row is still in {path}"
        );
    }
    // And the expired token says so.
    let out = v
        .bare()
        .env("MUSETTE_SESSION", &token)
        .arg("list")
        .output()
        .unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(3));
    assert!(err.contains("expired"), "{err}");
}

#[test]
fn lock_and_doctor_drop_expired_sessions_too() {
    let v = TestVault::new();
    v.with_pass(&v.pass_file, &["unlock", "--raw", "--timeout", "1s"]);
    std::thread::sleep(Duration::from_millis(2100));
    v.ok(&["lock"]);
    let left: i64 = db(&v)
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

// 2. Key rotation.

#[test]
fn after_rekey_old_slots_old_sessions_and_the_old_recovery_key_open_nothing() {
    let v = TestVault::new();
    let a = v.add("experience", &["title=Welder", "start=2019"]);
    let b = v.add("skill", &["name=TIG"]);
    v.ok(&[
        "attach",
        &a,
        v.file("proof.txt", b"evidence").to_str().unwrap(),
    ]);
    let conn = db(&v);
    let old_pass_slot = slot_row(&conn, "passphrase");
    let old_recovery_slot = slot_row(&conn, "recovery");
    let old_session: (Vec<u8>, i64, Vec<u8>) = conn
        .query_row("SELECT id, expires, wrapped FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();

    let out = v.with_pass(&v.pass_file, &["--json", "rekey"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let new_recovery = report["recovery_key"].as_str().unwrap().to_string();
    assert_ne!(new_recovery, v.recovery_key);
    assert_eq!(report["records"], 2);

    // The session ended; the passphrase still opens; every record reads.
    v.fails(3, &["list"]);
    for id in [&a, &b] {
        assert!(v.with_pass(&v.pass_file, &["show", id]).status.success());
    }
    let got = v.with_pass(&v.pass_file, &["get", &a, "proof.txt", "-o", "-"]);
    assert_eq!(got.stdout, b"evidence");

    // The old recovery key no longer opens; the new one does.
    let old_key = v.file("old-recovery", v.recovery_key.as_bytes());
    let newp = v.file("newp", b"after recovery passphrase");
    let args = |k: &Path| {
        vec![
            "recover".to_string(),
            "--recovery-key-file".into(),
            k.display().to_string(),
            "--new-passphrase-file".into(),
            newp.display().to_string(),
        ]
    };
    let out = v.bare().args(args(&old_key)).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", code_and_err(&out).1);

    // Old slot rows and an old session row put back open an old master key: refused as damage.
    let conn = db(&v);
    let current_pass = slot_row(&conn, "passphrase");
    put_slot(&conn, "passphrase", &old_pass_slot);
    let (code, err) = code_and_err(&v.with_pass(&v.pass_file, &["list"]));
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains("older"), "{err}");
    put_slot(&conn, "passphrase", &current_pass);
    conn.execute(
        "INSERT INTO sessions (id, expires, wrapped) VALUES (?1, ?2, ?3)",
        params![old_session.0, old_session.1, old_session.2],
    )
    .unwrap();
    assert_eq!(v.cmd().arg("list").output().unwrap().status.code(), Some(5));
    conn.execute("DELETE FROM sessions", []).unwrap();
    let current_recovery = slot_row(&conn, "recovery");
    put_slot(&conn, "recovery", &old_recovery_slot);
    let out = v.bare().args(args(&old_key)).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", code_and_err(&out).1);
    put_slot(&conn, "recovery", &current_recovery);

    let new_key = v.file("new-recovery", new_recovery.as_bytes());
    let out = v.bare().args(args(&new_key)).output().unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    assert!(v.with_pass(&newp, &["doctor"]).status.success());
}

#[test]
fn an_old_passphrase_slot_put_back_after_passwd_is_refused() {
    let v = TestVault::new();
    v.add("skill", &["name=Joinery"]);
    let old = slot_row(&db(&v), "passphrase");
    let new = v.file("new", b"the second passphrase");
    let out = v.with_pass(
        &v.pass_file,
        &["passwd", "--new-passphrase-file", new.to_str().unwrap()],
    );
    assert!(out.status.success());
    put_slot(&db(&v), "passphrase", &old);
    let (code, err) = code_and_err(&v.with_pass(&v.pass_file, &["list"]));
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains("put back from an older copy"), "{err}");
}

#[test]
fn passwd_rekey_changes_passphrase_and_keys_at_once() {
    let v = TestVault::new();
    let id = v.add("contact", &["name=Ana"]);
    let new = v.file("new", b"rotated passphrase here");
    let out = v.with_pass(
        &v.pass_file,
        &[
            "passwd",
            "--rekey",
            "--new-passphrase-file",
            new.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("recovery key"), "{text}");
    assert_eq!(v.with_pass(&v.pass_file, &["list"]).status.code(), Some(3));
    assert!(v.with_pass(&new, &["show", &id]).status.success());
    assert!(v.with_pass(&new, &["doctor"]).status.success());
    // A wrong current passphrase changes nothing.
    let wrong = v.file("wrong", b"not the passphrase at all");
    let before = files_digest(&v.dir);
    let out = v.with_pass(&wrong, &["rekey"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(files_digest(&v.dir), before);
}

// 3 and 4. KDF parameters.

fn set_params(conn: &Connection, slot: &str, f: impl Fn(&mut serde_json::Value)) {
    let (_, params, _) = slot_row(conn, slot);
    let mut v: serde_json::Value = serde_json::from_str(&params).unwrap();
    f(&mut v);
    conn.execute(
        "UPDATE slots SET params = ?2 WHERE id = ?1",
        params![slot, v.to_string()],
    )
    .unwrap();
}

#[test]
fn recover_never_writes_weaker_kdf_parameters_than_the_defaults() {
    let v = TestVault::new();
    // The attacker rewrites the passphrase slot to say 8 MiB and 1 pass.
    set_params(&db(&v), "passphrase", |p| {
        p["memory_kib"] = 8192.into();
        p["iterations"] = 1.into();
    });
    let key = v.file("rk", v.recovery_key.as_bytes());
    let newp = v.file("np", b"a new passphrase after all");
    let out = v
        .bare()
        .args(["recover", "--recovery-key-file"])
        .arg(&key)
        .arg("--new-passphrase-file")
        .arg(&newp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let (_, params, _) = slot_row(&db(&v), "passphrase");
    let p: serde_json::Value = serde_json::from_str(&params).unwrap();
    assert!(p["memory_kib"].as_u64().unwrap() >= 64 * 1024, "{p}");
    assert!(p["iterations"].as_u64().unwrap() >= 3, "{p}");
    assert!(v.with_pass(&newp, &["doctor"]).status.success());
}

#[test]
fn absurd_kdf_parameters_are_refused_at_once_as_a_damaged_slot() {
    for (memory, iterations) in [
        (4u64 * 1024 * 1024, 3u64),
        (65536, 4_294_967_295),
        (65536, 0),
    ] {
        let v = TestVault::new();
        set_params(&db(&v), "passphrase", |p| {
            p["memory_kib"] = memory.into();
            p["iterations"] = iterations.into();
        });
        let start = Instant::now();
        let out = v.with_pass(&v.pass_file, &["list"]);
        let (code, err) = code_and_err(&out);
        assert_eq!(code, Some(5), "{memory} {iterations}: {err}");
        assert!(err.contains("this key slot is damaged"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(5), "it worked first");
        // The session still opens the vault, and doctor names the slot.
        doctor_finds(&v, &["passphrase key slot is damaged"]);
    }
}

#[test]
fn new_slots_need_at_least_19_mib_and_2_passes() {
    let v = TestVault::new();
    let new = v.file("new", b"another passphrase");
    for (m, t) in [("8", "3"), ("64", "1"), ("2048", "3"), ("1024", "64")] {
        let out = v.with_pass(
            &v.pass_file,
            &[
                "passwd",
                "--kdf-memory-mib",
                m,
                "--kdf-iterations",
                t,
                "--new-passphrase-file",
                new.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{m} {t}");
    }
    assert!(v.with_pass(&v.pass_file, &["list"]).status.success());
}

// 5. Deletion, rollback, resurrection.

#[test]
fn a_deleted_record_is_reported_by_list_show_and_doctor() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let b = v.add("skill", &["name=Brazing"]);
    delete_rows(&db(&v), &a);
    doctor_finds(&v, &[&format!("DAMAGED {a}"), "deleted outside musette"]);
    let out = v.cmd().args(["list"]).output().unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(5));
    assert!(err.contains(&a), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&b));
    let err = v.fails(5, &["show", &a]);
    assert!(err.contains("deleted outside musette"), "{err}");
    // Forgetting it by its id acknowledges the loss.
    v.ok(&["forget", &a, "--yes"]);
    doctor_clean(&v);
}

#[test]
fn a_record_rolled_back_with_its_chunks_is_detected() {
    let v = TestVault::new();
    let a = v.add("experience", &["title=Apprentice", "start=2015"]);
    let b = v.add("skill", &["name=Joinery"]);
    let old = copy_rows(&db(&v), &a);
    v.ok(&["edit", &a, "--set", "title=Master carpenter"]);
    put_rows(&db(&v), &old);
    doctor_finds(&v, &[&format!("DAMAGED {a}"), "rolled back"]);
    let err = v.fails(5, &["show", &a]);
    assert!(err.contains("rolled back"), "{err}");
    assert!(!err.contains("Apprentice"));
    v.ok(&["show", &b]);
    // Edits are refused too: the rolled-back state is never built upon.
    v.fails(5, &["edit", &a, "--set", "title=Other"]);
}

#[test]
fn a_forgotten_record_put_back_is_refused() {
    let v = TestVault::new();
    let a = v.add("document", &["title=Old contract"]);
    v.add("skill", &["name=Welding"]);
    let old = copy_rows(&db(&v), &a);
    v.ok(&["forget", &a, "--yes"]);
    put_rows(&db(&v), &old);
    doctor_finds(&v, &[&format!("DAMAGED {a}"), "was forgotten"]);
    let out = v.cmd().args(["list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Old contract"));
    v.fails(5, &["show", &a]);
    // Forgetting it again clears it.
    v.ok(&["forget", &a, "--yes"]);
    doctor_clean(&v);
}

#[test]
fn a_record_row_copied_under_another_id_is_not_known() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let mut rows = copy_rows(&db(&v), &a);
    rows.id = "a".repeat(26);
    put_rows(&db(&v), &rows);
    doctor_finds(&v, &[&format!("DAMAGED {}", rows.id), "does not know"]);
}

#[test]
fn the_manifest_itself_cannot_be_deleted_or_rolled_back() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let conn = db(&v);
    let root: Vec<u8> = conn
        .query_row("SELECT value FROM meta WHERE key = 'manifest'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let buckets: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT bucket, data FROM manifest")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Deleted: every command that opens the vault says so.
    conn.execute("DELETE FROM meta WHERE key = 'manifest'", [])
        .unwrap();
    let err = v.fails(5, &["list"]);
    assert!(err.contains("manifest"), "{err}");
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('manifest', ?1)",
        [&root],
    )
    .unwrap();
    v.ok(&["show", &a]);
    // Rolled back (root and buckets together) after more writes: the newer records' buckets
    // and headers no longer match it.
    for i in 0..6 {
        v.add("skill", &[&format!("name=Skill {i}")]);
    }
    v.ok(&["edit", &a, "--set", "level=expert"]);
    conn.execute("UPDATE meta SET value = ?1 WHERE key = 'manifest'", [&root])
        .unwrap();
    conn.execute("DELETE FROM manifest", []).unwrap();
    for (b, data) in &buckets {
        conn.execute(
            "INSERT INTO manifest (bucket, data) VALUES (?1, ?2)",
            params![b, data],
        )
        .unwrap();
    }
    doctor_finds(&v, &["DAMAGED"]);
    v.fails(5, &["show", &a]);
}

// 6. Identity.

#[test]
fn a_missing_owner_key_is_damage_and_is_never_replaced() {
    let v = TestVault::new();
    let did = v.json(&["id"])["did"].as_str().unwrap().to_string();
    let conn = db(&v);
    let owner: Vec<u8> = conn
        .query_row("SELECT value FROM meta WHERE key = 'owner_key'", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("DELETE FROM meta WHERE key = 'owner_key'", [])
        .unwrap();
    let err = v.fails(5, &["id"]);
    assert!(err.contains("never makes a new identity"), "{err}");
    doctor_finds(&v, &["owner's signing key is missing"]);
    let count: i64 = conn
        .query_row(
            "SELECT count(*) FROM meta WHERE key = 'owner_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 0, "nothing made a new identity");
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('owner_key', ?1)",
        [&owner],
    )
    .unwrap();
    assert_eq!(v.json(&["id"])["did"], did.as_str());
}

#[test]
fn doctor_never_writes() {
    let v = TestVault::new();
    let a = v.add("experience", &["title=Welder"]);
    v.ok(&[
        "attach",
        &a,
        v.file("f.bin", &[7u8; 5000]).to_str().unwrap(),
    ]);
    v.ok(&["list"]);
    let before = files_digest(&v.dir);
    doctor_clean(&v);
    assert_eq!(files_digest(&v.dir), before, "doctor changed a file");
    // Nor on a damaged vault.
    db(&v)
        .execute("DELETE FROM meta WHERE key = 'owner_key'", [])
        .unwrap();
    let before = files_digest(&v.dir);
    doctor_finds(&v, &["owner"]);
    assert_eq!(
        files_digest(&v.dir),
        before,
        "doctor changed a damaged vault"
    );
}

// 7. The recovery slot.

#[test]
fn a_broken_recovery_slot_is_reported_and_rekey_makes_a_new_one() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    let conn = db(&v);
    let (kind, params, mut wrapped) = slot_row(&conn, "recovery");
    wrapped[20] ^= 1;
    put_slot(&conn, "recovery", &(kind, params, wrapped));
    doctor_finds(
        &v,
        &["your recovery key no longer opens this vault: run `musette rekey` to make a new one"],
    );
    let out = v.with_pass(&v.pass_file, &["--json", "rekey"]);
    assert!(out.status.success());
    let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = v.file("rk", key["recovery_key"].as_str().unwrap().as_bytes());
    let np = v.file("np", b"recovered passphrase ok");
    let out = v
        .bare()
        .args(["recover", "--recovery-key-file"])
        .arg(&key)
        .arg("--new-passphrase-file")
        .arg(&np)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    assert!(v.with_pass(&np, &["doctor"]).status.success());
}

// 8. Permissions.

#[cfg(unix)]
#[test]
fn the_vault_folder_and_files_are_private_from_the_start() {
    use std::os::unix::fs::PermissionsExt;
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    v.ok(&["edit", &id, "--set", "level=good"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&v.dir), 0o700);
    for entry in std::fs::read_dir(&v.dir).unwrap() {
        let p = entry.unwrap().path();
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    // An existing, open folder is made private by init.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = common::musette(tmp.path())
        .arg("--vault")
        .arg(&dir)
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["init", "--kdf-memory-mib", "19", "--kdf-iterations", "2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&dir), 0o700);
    // Loosened afterwards: every command warns, as ssh does.
    std::fs::set_permissions(
        v.dir.join("vault.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = v.cmd().arg("list").output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("can be read or changed by other users") && err.contains("chmod 600"),
        "{err}"
    );
}

// 9. Sizes on disk.

#[test]
fn sealed_sizes_show_only_a_bucket_of_the_content_length() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=A"]);
    let b = v.add("skill", &["name=A much longer skill name, forty chars"]);
    v.ok(&[
        "attach",
        &a,
        v.file("small.txt", &[1u8; 1000]).to_str().unwrap(),
    ]);
    v.ok(&[
        "attach",
        &b,
        v.file("other.txt", &[2u8; 2500]).to_str().unwrap(),
    ]);
    let conn = db(&v);
    let header_len = |id: &str| -> i64 {
        conn.query_row(
            "SELECT length(header) FROM records WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(header_len(&a), header_len(&b));
    let blob_lens: Vec<i64> = conn
        .prepare("SELECT length(data) FROM blobs")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(blob_lens.len(), 2);
    assert_eq!(blob_lens[0], blob_lens[1], "1000 and 2500 bytes look alike");
    let chunk_lens: Vec<i64> = conn
        .prepare("SELECT length(data) FROM chunks")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(chunk_lens.iter().all(|l| *l >= 512), "{chunk_lens:?}");
    // And the content comes back exact.
    let out = v
        .cmd()
        .args(["get", &b, "other.txt", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, vec![2u8; 2500]);
}

// 11. Malformed rows.

#[test]
fn malformed_rows_are_reported_by_id_and_the_rest_still_lists() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let b = v.add("skill", &["name=Brazing"]);
    let c = v.add("skill", &["name=Soldering"]);
    let conn = db(&v);
    conn.execute(
        "UPDATE records SET header = 'not a blob' WHERE id = ?1",
        [&a],
    )
    .unwrap();
    conn.execute("UPDATE records SET key = 42 WHERE id = ?1", [&b])
        .unwrap();
    conn.execute(
        "INSERT INTO records (id, key, header) VALUES (12345, x'00', x'00')",
        [],
    )
    .unwrap();
    let out = v.cmd().arg("list").output().unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains(&a) && err.contains(&b), "{err}");
    assert!(err.contains("no valid id"), "{err}");
    assert!(!err.contains("rows are missing"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&c));
    let report = doctor_finds(&v, &[&format!("DAMAGED {a}"), &format!("DAMAGED {b}")]);
    assert!(report.contains("wrong type"), "{report}");
    // A chunk with a text sequence number.
    conn.execute("UPDATE chunks SET seq = 'zero' WHERE record = ?1", [&c])
        .unwrap();
    let err = v.fails(5, &["show", &c]);
    assert!(err.contains(&c), "{err}");
}

// 12. Space.

#[test]
fn detach_and_forget_give_the_space_back() {
    let v = TestVault::new();
    let a = v.add("evidence", &["title=Site video"]);
    let big = v.file("video.bin", &vec![9u8; 12 * 1024 * 1024]);
    v.ok(&["attach", &a, big.to_str().unwrap()]);
    let size = || -> u64 {
        std::fs::read_dir(&v.dir)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum()
    };
    assert!(size() > 12 * 1024 * 1024);
    v.ok(&["detach", &a, "video.bin"]);
    assert!(size() < 2 * 1024 * 1024, "{} bytes left", size());
    v.ok(&["attach", &a, big.to_str().unwrap()]);
    v.ok(&["forget", &a, "--yes"]);
    assert!(size() < 2 * 1024 * 1024, "{} bytes left", size());
    let out = v.json(&["compact"]);
    assert!(out["bytes_after"].as_u64().unwrap() <= out["bytes_before"].as_u64().unwrap());
    doctor_clean(&v);
}

// Found by review: each of these passed before its fix.

#[test]
fn deleting_the_manifest_and_the_owner_key_is_damage_not_a_new_vault() {
    let v = TestVault::new();
    v.add("skill", &["name=TIG"]);
    let conn = db(&v);
    conn.execute_batch(
        "DELETE FROM meta WHERE key IN ('manifest', 'owner_key'); DELETE FROM manifest;
         DELETE FROM chunks; DELETE FROM blobs; DELETE FROM records;",
    )
    .unwrap();
    let before = content_digest(&v);
    let out = v.cmd().arg("doctor").output().unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains("both missing"), "{err}");
    v.fails(5, &["id"]);
    assert_eq!(content_digest(&v), before, "nothing was rebuilt");
}

#[test]
fn triggers_views_and_foreign_tables_in_the_file_are_refused_before_anything_runs() {
    for planted in [
        "CREATE TABLE zk(id, key, header);
         CREATE TRIGGER t1 BEFORE DELETE ON records BEGIN INSERT INTO zk VALUES (OLD.id, OLD.key, OLD.header); END;",
        "CREATE TABLE stash(x);",
        "CREATE VIEW v AS SELECT * FROM records;",
        "CREATE INDEX i ON chunks(data);",
    ] {
        let v = TestVault::new();
        let id = v.add("contact", &["name=Ana"]);
        db(&v).execute_batch(planted).unwrap();
        let before = content_digest(&v);
        let err = v.fails(5, &["forget", &id, "--yes"]);
        assert!(err.contains("structure was changed outside musette"), "{err}");
        v.fails(5, &["doctor"]);
        v.fails(5, &["lock"]);
        assert_eq!(content_digest(&v), before, "{planted}");
    }
}

#[test]
fn planted_rows_cannot_block_listing_or_rekey_and_rekey_removes_them() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let conn = db(&v);
    conn.execute_batch(
        "INSERT INTO records (id, key, header) VALUES ('zzzzzzzzzzzzzzzzzzzzzzzzz1', x'00', x'00');
         INSERT INTO manifest (bucket, data) VALUES (300, x'00');",
    )
    .unwrap();
    // A row for every bucket the manifest never wrote (one of them is where the next id goes).
    for b in 0..256 {
        let _ = conn.execute(
            "INSERT INTO manifest (bucket, data) VALUES (?1, x'00')",
            [b],
        );
    }
    let out = v.cmd().arg("list").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&a));
    for i in 0..5 {
        v.add("skill", &[&format!("name=After {i}")]);
    }
    doctor_finds(&v, &["never wrote", "rekey"]);
    let out = v.with_pass(&v.pass_file, &["--json", "rekey"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rows_removed"], 1);
    assert!(v.with_pass(&v.pass_file, &["doctor"]).status.success());
}

#[cfg(unix)]
#[test]
fn a_recovery_key_that_cannot_be_shown_changes_nothing() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    let slots_before = (
        slot_row(&db(&v), "passphrase"),
        slot_row(&db(&v), "recovery"),
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let to_full = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("musette"))
            .env_remove("MUSETTE_SESSION")
            .env_remove("MUSETTE_VAULT")
            .env("HOME", v.tmp.path())
            .args(args)
            .stdout(full.try_clone().unwrap())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap()
    };
    let out = to_full(&[
        "--vault".as_ref(),
        v.dir.as_os_str(),
        "--passphrase-file".as_ref(),
        v.pass_file.as_os_str(),
        "rekey".as_ref(),
    ]);
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the keys were not changed"), "{err}");
    // The old recovery key still opens the vault.
    let key = v.file("rk", v.recovery_key.as_bytes());
    let np = v.file("np", b"still the same vault");
    let slots_after = (
        slot_row(&db(&v), "passphrase"),
        slot_row(&db(&v), "recovery"),
    );
    assert!(slots_after == slots_before, "the key slots are unchanged");
    let out = v
        .bare()
        .args(["recover", "--recovery-key-file"])
        .arg(&key)
        .arg("--new-passphrase-file")
        .arg(&np)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    // init to a full disk creates no vault.
    let dir = v.tmp.path().join("fresh");
    let out = to_full(&[
        "--vault".as_ref(),
        dir.as_os_str(),
        "--passphrase-file".as_ref(),
        v.pass_file.as_os_str(),
        "init".as_ref(),
        "--kdf-memory-mib".as_ref(),
        "19".as_ref(),
        "--kdf-iterations".as_ref(),
        "2".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("vault.db").exists());
}

#[test]
fn a_session_row_put_back_after_lock_or_passwd_is_refused() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    let conn = db(&v);
    let row: (Vec<u8>, i64, Vec<u8>) = conn
        .query_row("SELECT id, expires, wrapped FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let put_back = || {
        conn.execute(
            "INSERT OR REPLACE INTO sessions (id, expires, wrapped) VALUES (?1, ?2, ?3)",
            params![row.0, row.1, row.2],
        )
        .unwrap();
    };
    v.ok(&["lock"]);
    put_back();
    let err = v.fails(5, &["list"]);
    assert!(err.contains("put back"), "{err}");
    // After passwd, the same.
    let v = TestVault::new();
    let conn2 = db(&v);
    let row: (Vec<u8>, i64, Vec<u8>) = conn2
        .query_row("SELECT id, expires, wrapped FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let out = v.with_pass(
        &v.pass_file,
        &[
            "passwd",
            "--new-passphrase-file",
            v.pass_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    conn2
        .execute(
            "INSERT INTO sessions (id, expires, wrapped) VALUES (?1, ?2, ?3)",
            params![row.0, row.1, row.2],
        )
        .unwrap();
    v.fails(5, &["list"]);
}

#[test]
fn kdf_parameters_raised_by_an_attacker_are_not_kept_and_the_users_own_are() {
    let v = TestVault::new();
    // The owner chose 19 MiB and 2 passes: passwd without --kdf-* keeps them.
    let new = v.file("new", b"second passphrase here");
    let out = v.with_pass(
        &v.pass_file,
        &["passwd", "--new-passphrase-file", new.to_str().unwrap()],
    );
    assert!(out.status.success());
    let p: serde_json::Value = serde_json::from_str(&slot_row(&db(&v), "passphrase").1).unwrap();
    assert_eq!(
        (p["memory_kib"].as_u64(), p["iterations"].as_u64()),
        (Some(19 * 1024), Some(2))
    );
    // One flag alone changes that part only.
    let out = v.with_pass(
        &new,
        &[
            "passwd",
            "--kdf-iterations",
            "4",
            "--new-passphrase-file",
            new.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let p: serde_json::Value = serde_json::from_str(&slot_row(&db(&v), "passphrase").1).unwrap();
    assert_eq!(
        (p["memory_kib"].as_u64(), p["iterations"].as_u64()),
        (Some(19 * 1024), Some(4))
    );
    // rekey takes the same flags, checked the same way.
    let before = content_digest(&v);
    let out = v.with_pass(&new, &["rekey", "--kdf-memory-mib", "8"]);
    assert_eq!(out.status.code(), Some(2), "{}", code_and_err(&out).1);
    assert_eq!(content_digest(&v), before);
    let out = v.with_pass(&new, &["--json", "rekey", "--kdf-memory-mib", "24"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let rekeyed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let recovery = rekeyed["recovery_key"].as_str().unwrap().to_string();
    let p: serde_json::Value = serde_json::from_str(&slot_row(&db(&v), "passphrase").1).unwrap();
    assert_eq!(
        (p["memory_kib"].as_u64(), p["iterations"].as_u64()),
        (Some(24 * 1024), Some(4))
    );
    // An attacker raises them to the most the bounds allow; recover does not keep that.
    set_params(&db(&v), "passphrase", |p| {
        p["memory_kib"] = (1024 * 1024).into();
        p["iterations"] = 16.into();
        p["parallelism"] = 16.into();
    });
    let key = v.file("rk", recovery.as_bytes());
    let out = v
        .bare()
        .args(["recover", "--recovery-key-file"])
        .arg(&key)
        .arg("--new-passphrase-file")
        .arg(&new)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let p: serde_json::Value = serde_json::from_str(&slot_row(&db(&v), "passphrase").1).unwrap();
    assert_eq!(p["memory_kib"].as_u64(), Some(64 * 1024), "{p}");
    assert_eq!(p["parallelism"].as_u64(), Some(1), "{p}");
}

#[test]
fn a_changed_device_id_orphan_chunks_and_foreign_settings_are_reported() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=Welding"]);
    let old = copy_rows(&db(&v), &a);
    v.ok(&["forget", &a, "--yes"]);
    let conn = db(&v);
    for (seq, kind, data) in &old.chunks {
        conn.execute(
            "INSERT INTO chunks (record, seq, kind, data) VALUES (?1, ?2, ?3, ?4)",
            params![a, seq, kind, data],
        )
        .unwrap_or_else(|_| {
            conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
            conn.execute(
                "INSERT INTO chunks (record, seq, kind, data) VALUES (?1, ?2, ?3, ?4)",
                params![a, seq, kind, data],
            )
            .unwrap()
        });
    }
    conn.execute("INSERT INTO meta (key, value) VALUES ('extra', x'01')", [])
        .unwrap();
    doctor_finds(&v, &["not in the file", "never writes"]);
    conn.execute("UPDATE meta SET value = x'00' WHERE key = 'device'", [])
        .unwrap();
    let err = v.fails(5, &["list"]);
    assert!(err.contains("device"), "{err}");
}

#[test]
fn init_refuses_a_folder_that_holds_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("cv.pdf"), b"mine").unwrap();
    let pass = tmp.path().join("p");
    std::fs::write(&pass, "a long passphrase").unwrap();
    let out = common::musette(tmp.path())
        .arg("--vault")
        .arg(&dir)
        .arg("--passphrase-file")
        .arg(&pass)
        .args(["init", "--kdf-memory-mib", "19", "--kdf-iterations", "2"])
        .output()
        .unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert!(!dir.join("vault.db").exists());
}
