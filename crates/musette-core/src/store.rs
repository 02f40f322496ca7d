//! The SQLite file under a vault: connection settings, schema and migrations.
//!
//! Tables (nothing readable is stored in any of them: record ids are random, every value is a
//! sealed box):
//!
//! | table | holds |
//! | --- | --- |
//! | `meta` | schema version, vault id, this device's id |
//! | `slots` | the master key wrapped by each key slot (passphrase, recovery), with KDF parameters |
//! | `sessions` | the master key wrapped by an `unlock` session key, with its expiry |
//! | `records` | per record: its data key wrapped by the master key, and its sealed header |
//! | `chunks` | per record: sealed automerge chunks (a snapshot, then incremental changes) |
//! | `blobs` | per attachment: sealed content chunks |
//! | `manifest` | the sealed buckets of the manifest (its root is in `meta`); see [`crate::manifest`] |
//!
//! Version 2 (this one) gives every row of records, chunks and attachment chunks a random row id
//! ([`random_rowid`]), so row order says nothing of the order records were written in, and frees
//! pages as it goes (`auto_vacuum = INCREMENTAL`). (Tables `WITHOUT ROWID` would say as little,
//! but they move any row over about 1 KB to overflow pages of its own: the file doubled and
//! listing slowed by half.) Vaults of version 1 gain the manifest table and incremental vacuuming
//! when first opened; their existing rows keep their row ids.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::i18n::CORE;
use crate::msg;

/// Marks the SQLite file as a musette vault (`PRAGMA application_id`, "MUSE").
pub const APPLICATION_ID: i64 = 0x4d55_5345;
/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;
/// The database file inside a vault folder.
pub const DB_FILE: &str = "vault.db";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL);
CREATE TABLE slots (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, params TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE sessions (id BLOB PRIMARY KEY NOT NULL, expires INTEGER NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, key BLOB NOT NULL, header BLOB NOT NULL);
CREATE TABLE chunks (
    record TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (record, seq)
);
CREATE TABLE blobs (
    record TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    attachment TEXT NOT NULL,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (record, attachment, idx)
);
CREATE TABLE manifest (bucket INTEGER PRIMARY KEY, data BLOB NOT NULL);
";

/// The tables of version 1, as that version created them: a vault made then still holds them.
const SCHEMA_V1: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE slots (id TEXT PRIMARY KEY, kind TEXT NOT NULL, params TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE sessions (id BLOB PRIMARY KEY, expires INTEGER NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE records (id TEXT PRIMARY KEY, key BLOB NOT NULL, header BLOB NOT NULL);
CREATE TABLE chunks (
    record TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (record, seq)
);
CREATE TABLE blobs (
    record TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    attachment TEXT NOT NULL,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (record, attachment, idx)
);
";

const MANIFEST_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS manifest (bucket INTEGER PRIMARY KEY, data BLOB NOT NULL);";

/// How long a write waits for another process's write to end.
const BUSY_WAIT: Duration = Duration::from_secs(60);

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_WAIT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorting and temporary indexes stay in memory: no temporary file is ever written.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Reads map the file instead of copying each page through read(2): a listing reads
    // every header. Writes still go through the log, as before.
    conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
    Ok(())
}

/// Creates a new database with the current schema. The file must not exist; it is created
/// readable by its owner only (SQLite gives its journal files the same mode).
pub fn create(path: &Path) -> Result<Connection> {
    create_private_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Must come before the first table: it decides how the file is laid out.
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    configure(&conn)?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Creates an empty file with mode 0600 (on Unix), failing if it exists or if the mode cannot be
/// set.
pub fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(Error::io(msg!(
        CORE,
        "io-create-private",
        path = path.display().to_string()
    )))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(Error::io(msg!(
                CORE,
                "io-make-private",
                path = path.display().to_string()
            )))?;
    }
    drop(file);
    Ok(())
}

/// Opens an existing vault database, checking it is one, and migrates it forward.
pub fn open(path: &Path) -> Result<Connection> {
    let not_vault = |reason: &str| Error::NotAVault {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let app_id: i64 = match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
        Ok(v) => v,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(not_vault("the file is not a database"));
        }
        Err(e) => return Err(e.into()),
    };
    if app_id != APPLICATION_ID {
        return Err(not_vault("the database was not made by musette"));
    }
    // Before anything writes: a trigger planted in the file would run inside musette's own
    // transactions (copying what `forget` deletes, restoring ended sessions).
    check_schema(&conn)?;
    configure(&conn)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    migrate(&conn, version)?;
    Ok(conn)
}

/// Whitespace folded, for comparing schema text.
fn fold(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks that the file holds musette's tables as musette made them (of this version or an
/// earlier one), their automatic indexes, and nothing else: no trigger, view, other table or
/// index, and no table whose definition was changed.
pub fn check_schema(conn: &Connection) -> Result<()> {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        [SCHEMA, SCHEMA_V1, MANIFEST_TABLE]
            .iter()
            .flat_map(|s| s.split(';'))
            .map(|s| fold(&s.replace("IF NOT EXISTS ", "")))
            .filter(|s| !s.is_empty())
            .collect()
    });
    let mut stmt = conn.prepare_cached("SELECT type, name, sql FROM sqlite_master")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let kind = row.get::<_, String>(0).unwrap_or_default();
        let name = row.get::<_, String>(1).unwrap_or_default();
        let sql: Option<String> = row.get(2).ok().flatten();
        let ok = match (kind.as_str(), &sql) {
            ("table", Some(sql)) => known.contains(&fold(sql)),
            ("index", None) => name.starts_with("sqlite_autoindex_"),
            _ => false,
        };
        if !ok {
            let name: String = name.chars().filter(|c| !c.is_control()).take(60).collect();
            return Err(Error::damaged(
                "vault",
                msg!(
                    CORE,
                    "file-structure-changed",
                    kind = kind,
                    name = format!("{name:?}")
                ),
            ));
        }
    }
    Ok(())
}

/// Forward migrations. Version 1 gains the manifest table (filled on the first open with a
/// key, see [`crate::manifest`]) and incremental vacuuming.
fn migrate(conn: &Connection, from: i64) -> Result<()> {
    if from < 1 {
        return Err(Error::NotAVault {
            path: conn.path().unwrap_or("").into(),
            reason: format!("unknown schema version {from}"),
        });
    }
    if from < 2 {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < 2 {
            tx.execute_batch(MANIFEST_TABLE)?;
            tx.pragma_update(None, "user_version", 2)?;
        }
        tx.commit()?;
        // Switching to incremental vacuuming rewrites the file once; if another process holds
        // it open now, `musette compact` does it later.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        let _ = conn.execute_batch("VACUUM");
    }
    Ok(())
}

/// Gives freed pages back to the file system and folds the write-ahead log into the file, so
/// deleted ciphertext leaves both. Best effort: another process may hold the file open.
pub fn reclaim(conn: &Connection) {
    // Each step of the pragma frees one page: run it to the end.
    let _ = (|| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = stmt.query([])?;
        while rows.next()?.is_some() {}
        Ok(())
    })();
    checkpoint(conn);
}

/// Folds the write-ahead log back into the file and truncates it. Best effort.
pub fn checkpoint(conn: &Connection) {
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

/// Runs `f`, one large write (a new device's first records, a large attachment from another
/// device), with a rollback journal instead of the write-ahead log when no other connection
/// has the file open: pages added at the end of the file are then written once, into the
/// file, instead of into the log and again into the file when it is folded back (a new
/// device's first 10,000 records committed in 16 ms instead of 56, see
/// `docs/performance.md`). A crash meanwhile is as safe (the journal rolls the file back on
/// the next open). When another process has the vault open, `f` runs as any write does; either
/// way the file is back on its write-ahead log when this returns (and every open puts it back
/// if this process dies first).
pub fn bulk_write<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    // Never wait for another process here: it holding the file is the answer.
    let switched = conn.busy_timeout(Duration::ZERO).is_ok()
        && conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
    let _ = conn.busy_timeout(BUSY_WAIT);
    let out = f();
    if switched {
        let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()));
    }
    out
}

/// The journal mode the file is in (`wal`, or `delete` during a [`bulk_write`]).
pub fn journal_mode(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
}

/// Rebuilds the whole file (`VACUUM`): every free page goes, and a vault made by an older
/// version switches to incremental vacuuming. Returns the file's size before and after.
pub fn compact(conn: &Connection, path: &Path) -> Result<(u64, u64)> {
    let size = || {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(wal_path(path))
                .map(|m| m.len())
                .unwrap_or(0)
    };
    let before = size();
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    conn.execute_batch("VACUUM")?;
    checkpoint(conn);
    Ok((before, size()))
}

/// The write-ahead log beside a database file.
pub fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    p.into()
}

/// Deletes sessions that have expired, and folds the log so their rows leave the files.
pub fn drop_expired_sessions(conn: &Connection, now: i64) -> Result<usize> {
    let expired: i64 = conn.query_row(
        "SELECT count(*) FROM sessions WHERE NOT (typeof(expires) = 'integer' AND expires > ?1)",
        params![now],
        |r| r.get(0),
    )?;
    if expired == 0 {
        return Ok(0);
    }
    let n = conn.execute(
        "DELETE FROM sessions WHERE NOT (typeof(expires) = 'integer' AND expires > ?1)",
        params![now],
    )?;
    checkpoint(conn);
    Ok(n)
}

/// A random positive row id for a new row, so rows sit in the file in no telling order.
pub fn random_rowid() -> i64 {
    (u64::from_be_bytes(crate::crypto::random_bytes::<8>()) >> 1) as i64
}

/// Where the rows of one write sit in a longer write made of several (a sync merging what it
/// receives batch by batch): after `before` records of `total`, it writes `len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Records written by the batches before this one.
    pub before: usize,
    /// Records in this one.
    pub len: usize,
    /// Records in the whole write (as announced; more may come, they go after).
    pub total: usize,
}

impl Place {
    /// A write that is the whole of itself.
    pub fn whole(len: usize) -> Place {
        Place {
            before: 0,
            len,
            total: len,
        }
    }

    /// Its share of the positive row ids, `[lo, hi)`: the whole space divided in proportion
    /// to the records (a batch beyond the announced total stretches it, and may then fall
    /// among the rows before it: still valid, only slower to write).
    fn range(self) -> (u64, u64) {
        const TOP: u128 = 1 << 63;
        let end = self.before.saturating_add(self.len);
        let total = self.total.max(end).max(1) as u128;
        let at = |n: usize| (n as u128 * TOP / total) as u64;
        let top = TOP as u64;
        let lo = at(self.before).clamp(1, top - 1);
        (lo, at(end).clamp(lo + 1, top))
    }
}

/// Random row ids drawn ahead for many rows written in one go, handed out in ascending order:
/// the rows still sit in no telling order, but each table's B-tree is walked once, forward,
/// instead of jumping to a random page per row (a sync's merge of 10,000 new records took
/// 1.3 to 1.9 times less time, see `docs/performance.md`).
pub struct Rowids(std::vec::IntoIter<i64>);

impl Rowids {
    /// `n` random row ids.
    pub fn draw(n: usize) -> Rowids {
        Rowids::draw_in(n, Place::whole(n))
    }

    /// `n` random row ids for the rows of `place`: drawn in its share of the row id space,
    /// so the batches of a long write come in ascending order too, each one adding to the
    /// end of the tables instead of between the rows of the batches before it.
    pub fn draw_in(n: usize, place: Place) -> Rowids {
        // One call to the system's generator for all of them, not one per row.
        let mut bytes = vec![0u8; n * 8];
        crate::crypto::fill_random(&mut bytes);
        let (lo, hi) = place.range();
        let width = u128::from(hi - lo);
        let mut ids: Vec<i64> = bytes
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                // Scaled into the range, not cut to it with a modulo: as uniform as the draw.
                (lo + ((u128::from(u64::from_be_bytes(b)) * width) >> 64) as u64) as i64
            })
            .collect();
        ids.sort_unstable();
        Rowids(ids.into_iter())
    }

    /// The next row id (a fresh random one once the drawn ones are used up).
    pub fn take(&mut self) -> i64 {
        self.0.next().unwrap_or_else(random_rowid)
    }
}

/// Reads a `meta` value.
pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Writes a `meta` value.
pub fn meta_put(conn: &Connection, key: &str, value: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The batches of one write get row ids each above the batch before: ascending
        /// through the whole write, whatever the sizes; a batch beyond the announced total
        /// (which a sync never hands: it refuses records it was not told of) still gets
        /// valid ones.
        #[test]
        fn batches_of_one_write_draw_ascending_row_ids(
            sizes in proptest::collection::vec(0usize..300, 1..12),
            extra in 0usize..3,
        ) {
            let total: usize = sizes.iter().sum::<usize>().saturating_sub(extra);
            let mut before = 0;
            let mut last = 0i64;
            for len in sizes {
                let place = Place { before, len, total };
                let (lo, hi) = place.range();
                prop_assert!(lo >= 1 && lo < hi && hi <= 1 << 63);
                let ids: Vec<i64> = Rowids::draw_in(len, place).0.collect();
                prop_assert_eq!(ids.len(), len);
                let announced = before + len <= total;
                for id in ids {
                    prop_assert!(id as u64 >= lo && (id as u64) < hi, "{} outside {}..{}", id, lo, hi);
                    prop_assert!(!announced || id >= last, "{} after {}", id, last);
                    last = id;
                }
                before += len;
            }
        }
    }

    #[test]
    fn one_write_spreads_its_row_ids_over_the_whole_space() {
        let ids: Vec<i64> = Rowids::draw(4096).0.collect();
        assert!(ids.windows(2).all(|w| w[0] <= w[1]));
        // 4,096 uniform draws: the smallest in the first 128th of the space and the largest
        // in the last, but for a chance of (1 - 1/128)^4096, about e^-32, each.
        assert!(ids[0] > 0 && ids[0] < 1 << 56, "{}", ids[0]);
        assert!(ids[4095] > i64::MAX - (1 << 56), "{}", ids[4095]);
    }

    #[test]
    fn a_bulk_write_uses_a_rollback_journal_alone_and_puts_the_log_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let conn = create(&path).unwrap();
        let mode = bulk_write(&conn, || journal_mode(&conn)).unwrap();
        assert_eq!(mode, "delete");
        assert_eq!(journal_mode(&conn).unwrap(), "wal");
        // Another connection holds the file: the write goes through the log, at once.
        let other = Connection::open(&path).unwrap();
        let _: i64 = other
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap();
        let mode = bulk_write(&conn, || journal_mode(&conn)).unwrap();
        assert_eq!(mode, "wal");
        drop(other);
        // A failing write leaves the log on too.
        let failed: Result<()> = bulk_write(&conn, || Err(Error::Internal("no".into())));
        assert!(failed.is_err());
        assert_eq!(journal_mode(&conn).unwrap(), "wal");
        let fresh = Connection::open(&path).unwrap();
        assert_eq!(journal_mode(&fresh).unwrap(), "wal");
    }
}
