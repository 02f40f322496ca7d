//! Nothing readable reaches the disk: a canary string put in a field, a tag, an attachment name
//! and an attachment's content is found in no file under the vault folder, WAL included.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::TestVault;
use musette_core::model::Kind;
use musette_core::{KdfParams, Unlock, Vault};

const CANARY: &str = "CANARY-7f3a9c-musette";

/// Every file under `dir`, with the canary looked for as bytes and in lower case.
fn assert_no_canary(dir: &Path, needles: &[&[u8]]) -> usize {
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files += assert_no_canary(&path, needles);
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == *needle),
                "{} holds {:?} in clear",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    files
}

fn needles() -> Vec<&'static [u8]> {
    vec![
        CANARY.as_bytes(),
        b"canary-7f3a9c",
        // Kinds and field names are sealed too.
        b"recommendation",
        b"organization",
    ]
}

#[test]
fn no_plaintext_after_cli_writes() {
    let v = TestVault::new();
    let id = v.add(
        "recommendation",
        &[&format!("text=Works well {CANARY}"), "author=Ana"],
    );
    v.ok(&[
        "edit",
        &id,
        "--set",
        &format!("notes={CANARY}"),
        "--tag",
        CANARY,
    ]);
    v.add(
        "experience",
        &[
            "title=Plain title",
            "organization=ACME",
            &format!("description={CANARY}"),
        ],
    );
    let content = CANARY.repeat(50_000);
    let file = v.file("content.txt", content.as_bytes());
    v.ok(&[
        "attach",
        &id,
        file.to_str().unwrap(),
        "--name",
        &format!("{CANARY}.txt"),
    ]);
    std::fs::remove_file(&file).unwrap();
    // The canary really went in.
    assert!(v.ok(&["show", &id]).contains(CANARY));
    assert!(v.ok(&["list", "--search", CANARY]).contains(&id));
    let files = assert_no_canary(&v.dir, &needles());
    assert!(files >= 1);
}

#[test]
fn no_plaintext_in_the_wal_while_the_vault_is_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let kdf = KdfParams::minimum();
    let (mut vault, _) = Vault::create(&dir, b"passphrase for test", kdf).unwrap();
    let mut fields = serde_json::Map::new();
    fields.insert("text".into(), format!("{CANARY} recommends").into());
    fields.insert("organization".into(), CANARY.into());
    let id = vault
        .add(Kind::Recommendation, fields, &[CANARY.to_string()])
        .unwrap()
        .id;
    let content = CANARY.repeat(10_000);
    vault
        .attach(
            &id,
            &format!("{CANARY}.pdf"),
            &mut content.as_bytes(),
            &mut |_| {},
        )
        .unwrap();
    // Keep a second connection open so the WAL is not folded back and removed.
    let reader = Vault::open(&dir, Unlock::Passphrase(b"passphrase for test")).unwrap();
    for i in 0..5 {
        let mut edit = musette_core::Edit::default();
        edit.set
            .insert(format!("note{i}"), format!("{CANARY}{i}").into());
        vault.edit(&id, &edit).unwrap();
    }
    assert!(
        dir.join("vault.db-wal").exists(),
        "the test needs a live WAL"
    );
    assert!(std::fs::metadata(dir.join("vault.db-wal")).unwrap().len() > 0);
    assert_no_canary(&dir, &needles());
    assert_eq!(
        reader.show(&id).unwrap().state.fields["note4"],
        format!("{CANARY}4")
    );
    drop(reader);
    // A forgotten record's ciphertext and wrapped key are overwritten in the file, not merely
    // unlinked (secure_delete, then the WAL folded back).
    let conn = rusqlite::Connection::open(dir.join("vault.db")).unwrap();
    let mut sealed: Vec<Vec<u8>> = conn
        .prepare("SELECT data FROM chunks WHERE record = ?1")
        .unwrap()
        .query_map([&id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    sealed.push(
        conn.query_row("SELECT key FROM records WHERE id = ?1", [&id], |r| r.get(0))
            .unwrap(),
    );
    sealed.push(
        conn.query_row("SELECT data FROM blobs WHERE record = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap(),
    );
    drop(conn);
    vault.forget(&id).unwrap();
    assert!(
        vault
            .list(&musette_core::Filter {
                include_deleted: true,
                ..Default::default()
            })
            .unwrap()
            .0
            .is_empty()
    );
    drop(vault);
    let pieces: Vec<&[u8]> = sealed.iter().map(|s| &s[..s.len().min(48)]).collect();
    assert_no_canary(&dir, &pieces);
}
