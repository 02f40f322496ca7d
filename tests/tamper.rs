//! Tampering with the stored data is detected and confined: flipping any byte of a chunk,
//! swapping chunks between records, or restoring an older chunk makes `doctor` exit 5 naming
//! the record, while every other record still opens.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;
use rusqlite::{Connection, params};

fn db(v: &TestVault) -> Connection {
    Connection::open(v.dir.join("vault.db")).unwrap()
}

struct Chunk {
    record: String,
    seq: i64,
    data: Vec<u8>,
}

fn chunks(conn: &Connection) -> Vec<Chunk> {
    conn.prepare("SELECT record, seq, data FROM chunks ORDER BY record, seq")
        .unwrap()
        .query_map([], |r| {
            Ok(Chunk {
                record: r.get(0)?,
                seq: r.get(1)?,
                data: r.get(2)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn set_chunk(conn: &Connection, record: &str, seq: i64, data: &[u8]) {
    let n = conn
        .execute(
            "UPDATE chunks SET data = ?3 WHERE record = ?1 AND seq = ?2",
            params![record, seq, data],
        )
        .unwrap();
    assert_eq!(n, 1);
}

/// Asserts that doctor exits 5 and names `damaged`, and that every record in `healthy` shows.
fn assert_detected(v: &TestVault, damaged: &[&str], healthy: &[&str]) {
    let out = v.cmd().args(["doctor"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(5),
        "doctor did not report damage: {stdout}"
    );
    for id in damaged {
        assert!(
            stdout.contains(&format!("DAMAGED {id}")),
            "doctor did not name {id}: {stdout}"
        );
        let show = v.cmd().args(["show", id]).output().unwrap();
        assert_eq!(
            show.status.code(),
            Some(5),
            "show of damaged {id} did not exit 5"
        );
        assert!(
            String::from_utf8_lossy(&show.stderr).contains(id),
            "show's error does not name {id}"
        );
    }
    for id in healthy {
        assert!(
            !stdout.contains(&format!("DAMAGED {id}")),
            "doctor blamed healthy {id}"
        );
        let show = v.cmd().args(["show", id]).output().unwrap();
        assert!(show.status.success(), "healthy {id} no longer opens");
    }
}

fn three_records(v: &TestVault) -> [String; 3] {
    let a = v.add("experience", &["title=Carpenter", "start=2015"]);
    for i in 0..4 {
        v.ok(&["edit", &a, "--set", &format!("description=step {i}")]);
    }
    let b = v.add("skill", &["name=Joinery"]);
    v.ok(&["edit", &b, "--set", "level=good"]);
    let c = v.add("contact", &["name=Foreman"]);
    [a, b, c]
}

#[test]
fn flipping_any_byte_of_any_chunk_is_detected() {
    let v = TestVault::new();
    let ids = three_records(&v);
    let conn = db(&v);
    let all = chunks(&conn);
    assert!(all.len() >= 8);
    for chunk in &all {
        let positions = [
            0,
            11,
            12,
            chunk.data.len() / 2,
            chunk.data.len() - 17,
            chunk.data.len() - 1,
        ];
        for pos in positions {
            let mut bad = chunk.data.clone();
            bad[pos] ^= 0x01;
            set_chunk(&conn, &chunk.record, chunk.seq, &bad);
            let others: Vec<&str> = ids
                .iter()
                .filter(|i| **i != chunk.record)
                .map(String::as_str)
                .collect();
            assert_detected(&v, &[&chunk.record], &others);
            set_chunk(&conn, &chunk.record, chunk.seq, &chunk.data);
        }
    }
    v.ok(&["doctor"]);
}

#[test]
fn flipping_a_header_wrapped_key_or_attachment_byte_is_detected() {
    let v = TestVault::new();
    let [a, b, c] = three_records(&v);
    let f = v.file("proof.pdf", &vec![7u8; 3 << 20]);
    v.ok(&["attach", &b, f.to_str().unwrap()]);
    let conn = db(&v);
    for column in ["header", "key"] {
        let orig: Vec<u8> = conn
            .query_row(
                &format!("SELECT {column} FROM records WHERE id = ?1"),
                [&a],
                |r| r.get(0),
            )
            .unwrap();
        let mut bad = orig.clone();
        bad[orig.len() / 2] ^= 0x80;
        conn.execute(
            &format!("UPDATE records SET {column} = ?2 WHERE id = ?1"),
            params![a, bad],
        )
        .unwrap();
        assert_detected(&v, &[&a], &[&b, &c]);
        // list shows the others and exits 5.
        let out = v.cmd().args(["list"]).output().unwrap();
        assert_eq!(out.status.code(), Some(5));
        assert!(String::from_utf8_lossy(&out.stdout).contains(&b));
        conn.execute(
            &format!("UPDATE records SET {column} = ?2 WHERE id = ?1"),
            params![a, orig],
        )
        .unwrap();
    }
    // One attachment chunk.
    let orig: Vec<u8> = conn
        .query_row(
            "SELECT data FROM blobs WHERE record = ?1 AND idx = 1",
            [&b],
            |r| r.get(0),
        )
        .unwrap();
    let mut bad = orig.clone();
    bad[100] ^= 1;
    conn.execute(
        "UPDATE blobs SET data = ?2 WHERE record = ?1 AND idx = 1",
        params![b, bad],
    )
    .unwrap();
    let out = v.cmd().args(["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("DAMAGED {b}")));
    let target = v.tmp.path().join("out.pdf");
    let get = v
        .cmd()
        .args(["get", &b, "proof.pdf", "-o", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(get.status.code(), Some(5));
    assert!(
        !target.exists(),
        "a damaged attachment must not be written out"
    );
    // Dropping the last chunk (truncation) is caught too.
    conn.execute(
        "UPDATE blobs SET data = ?2 WHERE record = ?1 AND idx = 1",
        params![b, orig],
    )
    .unwrap();
    conn.execute(
        "DELETE FROM blobs WHERE record = ?1 AND idx = 2",
        params![b],
    )
    .unwrap();
    let out = v.cmd().args(["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(
        v.cmd()
            .args(["show", &a])
            .output()
            .unwrap()
            .status
            .success()
    );
}

#[test]
fn swapping_chunks_between_records_is_detected() {
    let v = TestVault::new();
    let [a, b, c] = three_records(&v);
    let conn = db(&v);
    let all = chunks(&conn);
    let ca = all.iter().find(|k| k.record == a && k.seq == 0).unwrap();
    let cb = all.iter().find(|k| k.record == b && k.seq == 0).unwrap();
    set_chunk(&conn, &a, 0, &cb.data);
    set_chunk(&conn, &b, 0, &ca.data);
    assert_detected(&v, &[&a, &b], &[&c]);
    set_chunk(&conn, &a, 0, &ca.data);
    set_chunk(&conn, &b, 0, &cb.data);
    // Moving a change chunk to another position of the same record.
    let c1 = all.iter().find(|k| k.record == a && k.seq == 1).unwrap();
    let c2 = all.iter().find(|k| k.record == a && k.seq == 2).unwrap();
    set_chunk(&conn, &a, 1, &c2.data);
    set_chunk(&conn, &a, 2, &c1.data);
    assert_detected(&v, &[&a], &[&b, &c]);
    set_chunk(&conn, &a, 1, &c1.data);
    set_chunk(&conn, &a, 2, &c2.data);
    // Swapping whole headers (with their keys) between records.
    let row = |id: &str| -> (Vec<u8>, Vec<u8>) {
        conn.query_row("SELECT key, header FROM records WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    let (ka, ha) = row(&a);
    let (kb, hb) = row(&b);
    conn.execute(
        "UPDATE records SET key = ?2, header = ?3 WHERE id = ?1",
        params![a, kb, hb],
    )
    .unwrap();
    conn.execute(
        "UPDATE records SET key = ?2, header = ?3 WHERE id = ?1",
        params![b, ka, ha],
    )
    .unwrap();
    assert_detected(&v, &[&a, &b], &[&c]);
}

#[test]
fn restoring_older_chunks_is_detected() {
    let v = TestVault::new();
    let [a, b, c] = three_records(&v);
    let conn = db(&v);
    let old = chunks(&conn)
        .into_iter()
        .filter(|k| k.record == a)
        .collect::<Vec<_>>();
    let (_, old_header): (Vec<u8>, Vec<u8>) = conn
        .query_row("SELECT key, header FROM records WHERE id = ?1", [&a], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // Enough edits to compact: the old chunks are deleted and replaced by a snapshot.
    for i in 0..40 {
        v.ok(&["edit", &a, "--set", &format!("location=site {i}")]);
    }
    let current = chunks(&conn)
        .into_iter()
        .filter(|k| k.record == a)
        .collect::<Vec<_>>();
    assert!(
        current[0].seq > old.last().unwrap().seq,
        "compaction did not happen"
    );
    // 1. Put an old chunk back beside the new ones.
    conn.execute(
        "INSERT INTO chunks (record, seq, kind, data) VALUES (?1, ?2, ?3, ?4)",
        params![a, old[0].seq, 0, old[0].data],
    )
    .unwrap();
    assert_detected(&v, &[&a], &[&b, &c]);
    conn.execute(
        "DELETE FROM chunks WHERE record = ?1 AND seq = ?2",
        params![a, old[0].seq],
    )
    .unwrap();
    v.ok(&["doctor"]);
    // 2. Replace the current snapshot's content with the old snapshot.
    set_chunk(&conn, &a, current[0].seq, &old[0].data);
    assert_detected(&v, &[&a], &[&b, &c]);
    set_chunk(&conn, &a, current[0].seq, &current[0].data);
    // 3. Roll the header back to before the compaction.
    let (_, new_header): (Vec<u8>, Vec<u8>) = conn
        .query_row("SELECT key, header FROM records WHERE id = ?1", [&a], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    conn.execute(
        "UPDATE records SET header = ?2 WHERE id = ?1",
        params![a, old_header],
    )
    .unwrap();
    assert_detected(&v, &[&a], &[&b, &c]);
    conn.execute(
        "UPDATE records SET header = ?2 WHERE id = ?1",
        params![a, new_header],
    )
    .unwrap();
    v.ok(&["doctor"]);
    assert_eq!(v.json(&["show", &a])["fields"]["location"], "site 39");
}
