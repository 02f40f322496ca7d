//! A vault: a folder holding one SQLite file, opened with a passphrase, the recovery key or an
//! `unlock` session.
//!
//! ```no_run
//! use musette_core::{Vault, Unlock, KdfParams, model::Kind};
//! # fn main() -> musette_core::Result<()> {
//! let dir = std::path::Path::new("/tmp/my-vault");
//! let (mut vault, recovery) = Vault::create(dir, b"correct horse", KdfParams::default())?;
//! println!("keep this recovery key safe: {}", &*recovery.display());
//! let mut fields = serde_json::Map::new();
//! fields.insert("name".into(), "Rust".into());
//! let id = vault.add(Kind::Skill, fields, &[])?.id;
//! let again = Vault::open(dir, Unlock::Passphrase(b"correct horse"))?;
//! assert_eq!(again.show(&id)?.state.kind, Kind::Skill);
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use crate::crypto::{Key, aad, random_bytes};
use crate::error::{Error, Result};
use crate::keys::{KdfParams, RecoveryKey, SlotParams, slot_aad};
use crate::store;

const SLOT_PASSPHRASE: &str = "passphrase";
const SLOT_RECOVERY: &str = "recovery";
const SESSION_PREFIX: &str = "mss1_";

/// How to open a vault.
pub enum Unlock<'a> {
    /// The vault passphrase.
    Passphrase(&'a [u8]),
    /// The recovery key printed by `init`.
    Recovery(&'a RecoveryKey),
    /// A session token from [`Vault::start_session`].
    Session(&'a str),
}

/// An open vault: the database and the master key.
pub struct Vault {
    pub(crate) dir: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) vault_id: Vec<u8>,
    pub(crate) device: Vec<u8>,
    pub(crate) master: Key,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// The database file of the vault in `dir`.
pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(store::DB_FILE)
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Opens the database of the vault in `dir` without any key: checks it exists and is a vault.
pub(crate) fn open_db(dir: &Path) -> Result<(Connection, Vec<u8>)> {
    if dir.is_file() {
        return Err(Error::NotAVault {
            path: dir.to_path_buf(),
            reason: "it is a file; a vault is a folder".into(),
        });
    }
    let path = db_path(dir);
    if !path.exists() {
        return Err(Error::NoVault(dir.to_path_buf()));
    }
    let conn = store::open(&path)?;
    let vault_id = store::meta_get(&conn, "vault_id")?.ok_or_else(|| Error::NotAVault {
        path: dir.to_path_buf(),
        reason: "it has no vault id".into(),
    })?;
    Ok((conn, vault_id))
}

impl Vault {
    /// Creates a vault in `dir` (created if missing, which must not already hold a vault).
    /// Returns the open vault and its recovery key, to show the user once.
    pub fn create(dir: &Path, passphrase: &[u8], kdf: KdfParams) -> Result<(Vault, RecoveryKey)> {
        kdf.validate()?;
        check_passphrase(passphrase)?;
        if dir.is_file() {
            return Err(Error::NotAVault {
                path: dir.to_path_buf(),
                reason: "it is a file; a vault is a folder".into(),
            });
        }
        let final_path = db_path(dir);
        if final_path.exists() {
            return Err(Error::AlreadyExists(dir.to_path_buf()));
        }
        create_private_dir(dir)?;
        let master = Key::random();
        let vault_id = random_bytes::<16>().to_vec();
        let device = random_bytes::<16>().to_vec();
        let recovery = RecoveryKey::generate();
        // Build the database beside its final name and rename it into place, so a crash
        // during init leaves either no vault or a whole one.
        let tmp = dir.join(format!("{}.init-{}", store::DB_FILE, crate::ids::new_id()));
        let built = (|| -> Result<()> {
            let conn = store::create(&tmp)?;
            let tx = conn.unchecked_transaction()?;
            store::meta_put(&tx, "vault_id", &vault_id)?;
            store::meta_put(&tx, "device", &device)?;
            let pass = SlotParams::new_passphrase(kdf);
            write_slot(
                &tx,
                &vault_id,
                SLOT_PASSPHRASE,
                &pass,
                &pass.derive(passphrase)?,
                &master,
            )?;
            let seed = Zeroizing::new(random_bytes::<32>());
            store::meta_put(
                &tx,
                "owner_key",
                &master.seal(&aad("owner-key", &[&vault_id]), seed.as_ref()),
            )?;
            let rec = SlotParams::new_recovery();
            write_slot(
                &tx,
                &vault_id,
                SLOT_RECOVERY,
                &rec,
                &rec.derive(recovery.bytes())?,
                &master,
            )?;
            tx.commit()?;
            conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
            conn.close().map_err(|(_, e)| e)?;
            Ok(())
        })();
        if let Err(e) = built {
            remove_db_files(&tmp);
            return Err(e);
        }
        if final_path.exists() {
            remove_db_files(&tmp);
            return Err(Error::AlreadyExists(dir.to_path_buf()));
        }
        std::fs::rename(&tmp, &final_path)
            .map_err(Error::io(format!("cannot create {}", final_path.display())))?;
        remove_db_files(&tmp);
        sync_dir(dir);
        let conn = store::open(&final_path)?;
        Ok((
            Vault {
                dir: dir.to_path_buf(),
                conn,
                vault_id,
                device,
                master,
            },
            recovery,
        ))
    }

    /// Opens the vault in `dir`.
    pub fn open(dir: &Path, how: Unlock<'_>) -> Result<Vault> {
        let (conn, vault_id) = open_db(dir)?;
        let master = match how {
            Unlock::Passphrase(p) => {
                open_slot(&conn, &vault_id, SLOT_PASSPHRASE, p)?.ok_or(Error::WrongPassphrase)?
            }
            Unlock::Recovery(r) => open_slot(&conn, &vault_id, SLOT_RECOVERY, r.bytes())?
                .ok_or(Error::WrongRecoveryKey)?,
            Unlock::Session(token) => open_session(&conn, &vault_id, token)?,
        };
        let device = store::meta_get(&conn, "device")?.unwrap_or_else(|| vec![0; 16]);
        Ok(Vault {
            dir: dir.to_path_buf(),
            conn,
            vault_id,
            device,
            master,
        })
    }

    /// Checks that `dir` holds a vault, without opening any key: lets a caller report a
    /// missing or foreign vault before asking for a passphrase.
    pub fn probe(dir: &Path) -> Result<()> {
        open_db(dir).map(|_| ())
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This device's id (the automerge actor of its changes), as hex.
    pub fn device_id(&self) -> String {
        crate::crypto::hex(&self.device)
    }

    /// Starts an `unlock` session lasting `ttl`; returns the token that opens the vault until it
    /// expires or [`Vault::lock`] ends it. The token is the only copy of the session key.
    pub fn start_session(&mut self, ttl: Duration) -> Result<Zeroizing<String>> {
        let id = random_bytes::<16>();
        let key = Key::random();
        let expires = unix_now().saturating_add(ttl.as_secs() as i64);
        let wrapped = key.wrap(&session_aad(&self.vault_id, &id, expires), &self.master);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM sessions WHERE expires <= ?1",
            params![unix_now()],
        )?;
        tx.execute(
            "INSERT INTO sessions (id, expires, wrapped) VALUES (?1, ?2, ?3)",
            params![&id[..], expires, wrapped],
        )?;
        tx.commit()?;
        let mut raw = Zeroizing::new(Vec::with_capacity(48));
        raw.extend_from_slice(&id);
        raw.extend_from_slice(key.expose());
        Ok(Zeroizing::new(format!(
            "{SESSION_PREFIX}{}",
            data_encoding::BASE64URL_NOPAD.encode(&raw)
        )))
    }

    /// Ends sessions: the one whose token is given, or every session. Needs no key: ending a
    /// session only takes access away. Returns how many ended.
    pub fn lock(dir: &Path, token: Option<&str>) -> Result<usize> {
        let (conn, _) = open_db(dir)?;
        let n = match token {
            Some(t) => {
                let (id, _) = parse_token(t)?;
                conn.execute("DELETE FROM sessions WHERE id = ?1", params![&id[..]])?
            }
            None => conn.execute("DELETE FROM sessions", [])?,
        };
        Ok(n)
    }

    /// Sets a new passphrase: rewraps the master key in one transaction (no record is touched)
    /// and ends every session. `kdf` keeps the current cost parameters when `None`.
    pub fn change_passphrase(&mut self, new: &[u8], kdf: Option<KdfParams>) -> Result<()> {
        check_passphrase(new)?;
        let kdf = match kdf {
            Some(k) => k,
            None => match read_slot(&self.conn, SLOT_PASSPHRASE)? {
                Some((SlotParams::Argon2id { params, .. }, _, _)) => params,
                _ => KdfParams::default(),
            },
        };
        kdf.validate()?;
        let slot = SlotParams::new_passphrase(kdf);
        let kek = slot.derive(new)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_slot(
            &tx,
            &self.vault_id,
            SLOT_PASSPHRASE,
            &slot,
            &kek,
            &self.master,
        )?;
        tx.execute("DELETE FROM sessions", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Checks that both key slots are present and well formed; opening the passphrase slot
    /// needs the passphrase, so only the slot this vault was opened with has been proven.
    pub(crate) fn slot_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        for slot in [SLOT_PASSPHRASE, SLOT_RECOVERY] {
            match read_slot(&self.conn, slot) {
                Ok(Some(_)) => {}
                Ok(None) => problems.push(format!("the {slot} key slot is missing")),
                Err(e) => problems.push(format!("the {slot} key slot is unreadable: {e}")),
            }
        }
        Ok(problems)
    }
}

fn check_passphrase(p: &[u8]) -> Result<()> {
    if p.is_empty() {
        return Err(Error::invalid(
            "the passphrase is empty: choose one of at least 8 characters",
        ));
    }
    if p.len() < 8 {
        return Err(Error::invalid(
            "the passphrase is too short: use at least 8 characters",
        ));
    }
    Ok(())
}

fn write_slot(
    conn: &Connection,
    vault_id: &[u8],
    id: &str,
    params: &SlotParams,
    kek: &Key,
    master: &Key,
) -> Result<()> {
    let json = params.to_json();
    let wrapped = kek.wrap(&slot_aad(vault_id, id, &json), master);
    let kind = match params {
        SlotParams::Argon2id { .. } => "passphrase",
        SlotParams::HkdfSha256 { .. } => "recovery",
    };
    conn.execute(
        "INSERT INTO slots (id, kind, params, wrapped) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, params = excluded.params, wrapped = excluded.wrapped",
        params![id, kind, json, wrapped],
    )?;
    Ok(())
}

fn read_slot(conn: &Connection, id: &str) -> Result<Option<(SlotParams, String, Vec<u8>)>> {
    let row: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT params, wrapped FROM slots WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((json, wrapped)) = row else {
        return Ok(None);
    };
    let params: SlotParams = serde_json::from_str(&json).map_err(|_| {
        Error::damaged(
            "vault",
            format!("the {id} key slot has malformed parameters"),
        )
    })?;
    Ok(Some((params, json, wrapped)))
}

fn open_slot(conn: &Connection, vault_id: &[u8], id: &str, secret: &[u8]) -> Result<Option<Key>> {
    let (params, json, wrapped) = read_slot(conn, id)?
        .ok_or_else(|| Error::damaged("vault", format!("the {id} key slot is missing")))?;
    let kek = params.derive(secret)?;
    Ok(kek.unwrap_key(&slot_aad(vault_id, id, &json), &wrapped))
}

fn session_aad(vault_id: &[u8], id: &[u8], expires: i64) -> Vec<u8> {
    aad("session", &[vault_id, id, &expires.to_be_bytes()])
}

fn parse_token(token: &str) -> Result<([u8; 16], Key)> {
    let raw = token
        .trim()
        .strip_prefix(SESSION_PREFIX)
        .and_then(|b| data_encoding::BASE64URL_NOPAD.decode(b.as_bytes()).ok())
        .map(Zeroizing::new)
        .filter(|r| r.len() == 48)
        .ok_or(Error::InvalidSession)?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&raw[..16]);
    let key = Key::from_slice(&raw[16..]).ok_or(Error::InvalidSession)?;
    Ok((id, key))
}

fn open_session(conn: &Connection, vault_id: &[u8], token: &str) -> Result<Key> {
    let (id, key) = parse_token(token)?;
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT expires, wrapped FROM sessions WHERE id = ?1",
            params![&id[..]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (expires, wrapped) = row.ok_or(Error::InvalidSession)?;
    if expires <= unix_now() {
        return Err(Error::SessionExpired);
    }
    key.unwrap_key(&session_aad(vault_id, &id, expires), &wrapped)
        .ok_or(Error::InvalidSession)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(Error::io(format!(
        "cannot create the vault folder {}",
        dir.display()
    )))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

fn remove_db_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
