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

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::{Error, Result};

/// Marks the SQLite file as a musette vault (`PRAGMA application_id`, "MUSE").
pub const APPLICATION_ID: i64 = 0x4d55_5345;
/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;
/// The database file inside a vault folder.
pub const DB_FILE: &str = "vault.db";

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

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(60))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorting and temporary indexes stay in memory: no temporary file is ever written.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Creates a new database with the current schema. The file must not exist.
pub fn create(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    configure(&conn)?;
    conn.execute_batch(SCHEMA_V1)?;
    Ok(conn)
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

/// Forward migrations, each in one transaction. Version 1 is the first schema, so there is
/// nothing to do yet; a later version adds a `match` arm per step.
fn migrate(conn: &Connection, from: i64) -> Result<()> {
    if from < 1 {
        return Err(Error::NotAVault {
            path: conn.path().unwrap_or("").into(),
            reason: format!("unknown schema version {from}"),
        });
    }
    Ok(())
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
