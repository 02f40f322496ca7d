//! Arbitrary values in every stored column: bytes, integers, text, NULL, a flipped or cut
//! original, in every table the vault reads (records, chunks, attachment chunks, key slots and
//! their KDF parameters, sessions, the manifest, the owner key). Whatever is stored, opening the
//! vault and every read (list, show, history, attachments, identity, doctor) returns a result or
//! an error: never a panic, an abort or a hang.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use musette_core::model::Kind;
use musette_core::{Filter, KdfParams, Unlock, Vault};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;

const PASS: &[u8] = b"hostile columns passphrase";

struct Template {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    token: String,
}

/// A vault with a few records, edits, an attachment and a session, made once.
fn template() -> &'static Template {
    static T: OnceLock<Template> = OnceLock::new();
    T.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        let (mut vault, _) = Vault::create(&dir, PASS, KdfParams::minimum()).unwrap();
        let mut ids = Vec::new();
        for (kind, field, value) in [
            (Kind::Skill, "name", "Welding"),
            (Kind::Contact, "name", "Ana"),
            (Kind::Experience, "title", "Welder"),
        ] {
            let mut f = serde_json::Map::new();
            f.insert(field.into(), value.into());
            ids.push(vault.add(kind, f, &["cv".into()]).unwrap().id);
        }
        let mut edit = musette_core::Edit::default();
        edit.set.insert("level".into(), "expert".into());
        vault.edit(&ids[0], &edit).unwrap();
        let content = vec![5u8; 3000];
        vault
            .attach(&ids[2], "proof.pdf", &mut &content[..], &mut |_| {})
            .unwrap();
        vault.forget(&ids[1]).unwrap();
        let token = vault.start_session(Duration::from_secs(3600)).unwrap();
        drop(vault);
        Template {
            db: dir.join("vault.db"),
            token: token.to_string(),
            _tmp: tmp,
        }
    })
}

/// Where a value goes: a table, a column, and which row (by position).
const TARGETS: &[(&str, &str)] = &[
    ("records", "key"),
    ("records", "header"),
    ("records", "id"),
    ("chunks", "data"),
    ("chunks", "kind"),
    ("chunks", "seq"),
    ("blobs", "data"),
    ("blobs", "idx"),
    ("slots", "params"),
    ("slots", "wrapped"),
    ("slots", "kind"),
    ("sessions", "wrapped"),
    ("sessions", "expires"),
    ("sessions", "id"),
    ("meta", "value"),
    ("manifest", "data"),
    ("manifest", "bucket"),
];

#[derive(Debug, Clone)]
enum Mutation {
    Bytes(Vec<u8>),
    Int(i64),
    Text(String),
    Null,
    Flip(usize),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..700).prop_map(Mutation::Bytes),
        any::<i64>().prop_map(Mutation::Int),
        ".{0,40}".prop_map(Mutation::Text),
        Just(Mutation::Null),
        any::<usize>().prop_map(Mutation::Flip),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

fn apply(db: &Path, table: &str, column: &str, row: usize, m: &Mutation) {
    let conn = Connection::open(db).unwrap();
    let rows: Vec<(Vec<Value>, Value)> = {
        let pk = match table {
            "chunks" => "record, seq",
            "blobs" => "record, attachment, idx",
            "meta" => "key",
            "manifest" => "bucket",
            _ => "id",
        };
        let sql = format!("SELECT {pk}, {column} FROM {table}");
        let mut stmt = conn.prepare(&sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            let keys = (0..n - 1)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<_>>()?;
            Ok((keys, r.get(n - 1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    if rows.is_empty() {
        return;
    }
    let (keys, old) = &rows[row % rows.len()];
    let new = match (m, old) {
        (Mutation::Bytes(b), _) => Value::Blob(b.clone()),
        (Mutation::Int(i), _) => Value::Integer(*i),
        (Mutation::Text(t), _) => Value::Text(t.clone()),
        (Mutation::Null, _) => Value::Null,
        (Mutation::Flip(at), Value::Blob(b)) if !b.is_empty() => {
            let mut b = b.clone();
            let i = at % b.len();
            b[i] ^= 1 << (at % 8);
            Value::Blob(b)
        }
        (Mutation::Flip(at), Value::Text(t)) if !t.is_empty() => {
            let mut t = t.clone().into_bytes();
            let i = at % t.len();
            t[i] = b'0' + (at % 10) as u8;
            Value::Text(String::from_utf8_lossy(&t).into_owned())
        }
        (Mutation::Flip(at), Value::Integer(i)) => Value::Integer(i ^ (1 << (at % 63))),
        (Mutation::Cut(at), Value::Blob(b)) => Value::Blob(b[..at % (b.len() + 1)].to_vec()),
        (Mutation::Cut(at), Value::Text(t)) => {
            Value::Text(t.chars().take(at % (t.len() + 1)).collect())
        }
        (_, other) => other.clone(),
    };
    let pk: Vec<&str> = match table {
        "chunks" => vec!["record", "seq"],
        "blobs" => vec!["record", "attachment", "idx"],
        "meta" => vec!["key"],
        "manifest" => vec!["bucket"],
        _ => vec!["id"],
    };
    let cond: Vec<String> = pk
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {column} = ?1 WHERE {}",
        cond.join(" AND ")
    );
    let mut params: Vec<Value> = vec![new];
    params.extend(keys.iter().cloned());
    // A constraint may refuse the value (NOT NULL, a duplicate key): that is a mutation the
    // attacker cannot make this way, and nothing to test.
    let _ = conn.execute(&sql, rusqlite::params_from_iter(params));
}

/// Every read the vault offers; each must return, whatever it returns.
fn exercise(vault: &Vault) {
    let _ = vault.list(&Filter::default());
    let _ = vault.list(&Filter {
        search: Some("weld".into()),
        ..Filter::default()
    });
    let _ = vault.owner();
    let _ = vault.contact_names();
    for id in vault.record_ids().unwrap_or_default() {
        if let Ok(r) = vault.show(&id) {
            for a in &r.state.attachments {
                let _ = vault.read_attachment(&id, &a.name, &mut std::io::sink(), &mut |_| {});
            }
        }
        let _ = vault.history(&id);
    }
    let _ = vault.doctor(&mut |_, _| {});
}

fn run_case(table: &str, column: &str, row: usize, m: &Mutation) {
    let t = template();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("vault.db");
    std::fs::copy(&t.db, &db).unwrap();
    apply(&db, table, column, row, m);
    let start = Instant::now();
    if let Ok(vault) = Vault::open(&dir, Unlock::Session(&t.token)) {
        exercise(&vault);
    }
    if let Ok(vault) = Vault::open(&dir, Unlock::Passphrase(PASS)) {
        exercise(&vault);
    }
    let _ = Vault::lock(&dir, Some(&t.token), true);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{table}.{column} {m:?} took {:?}",
        start.elapsed()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_value_in_any_column_is_an_error_not_a_crash(
        target in 0..TARGETS.len(),
        row in 0usize..16,
        m in mutation(),
    ) {
        let (table, column) = TARGETS[target];
        run_case(table, column, row, &m);
    }

    #[test]
    fn any_kdf_parameters_are_refused_or_bounded(
        memory in prop_oneof![any::<u32>(), 0u32..(2 << 20)],
        iterations in prop_oneof![any::<u32>(), 0u32..100],
        parallelism in prop_oneof![any::<u32>(), 0u32..20],
        salt in proptest::collection::vec(any::<u8>(), 0..80),
    ) {
        let params = serde_json::json!({
            "kdf": "argon2id",
            "memory_kib": memory,
            "iterations": iterations,
            "parallelism": parallelism,
            "salt": data_encoding::BASE64.encode(&salt),
        });
        let bounded = KdfParams { memory_kib: memory, iterations, parallelism }.is_sane_stored();
        // Parameters within the bounds are worked through, as they should be: keep those cheap.
        prop_assume!(!bounded || u64::from(memory / 1024) * u64::from(iterations) <= 256);
        let start = Instant::now();
        run_case("slots", "params", 0, &Mutation::Text(params.to_string()));
        // Refused parameters cost nothing; bounded ones at most the bound's work.
        if !bounded {
            prop_assert!(start.elapsed() < Duration::from_secs(10));
        }
    }
}
