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

use crate::i18n::{CORE, Msg};
use crate::msg;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use crate::crypto::{Key, aad, random_bytes};
use crate::error::{Error, Result};
use crate::identity::{legacy_owner_aad, new_owner_key, owner_aad};
use crate::keys::{KdfParams, RecoveryKey, SlotParams, slot_aad};
use crate::manifest::{self, Entry, Root};
use crate::records::{blob_col, id_col, key_aad, legacy_header_aad, seal_header};
use crate::store;

pub(crate) const SLOT_PASSPHRASE: &str = "passphrase";
pub(crate) const SLOT_RECOVERY: &str = "recovery";
/// Session tokens: `mss2_` and base64url(session id ‖ expiry ‖ session key). The expiry is not
/// secret; it lets an expired token be told from an unknown one after its row is deleted.
const SESSION_PREFIX: &str = "mss2_";

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
    warnings: Vec<Msg>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What [`Vault::rekey`] did.
pub struct Rekeyed {
    /// The new recovery key, to show the user once.
    pub recovery: RecoveryKey,
    /// Records whose data key was rewrapped.
    pub records: usize,
    /// Sessions ended.
    pub sessions: usize,
    /// Rows removed that belonged to no record (put in the file outside musette).
    pub removed: usize,
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

/// Opens the database of the vault in `dir` without any key: checks it exists and is a vault,
/// and deletes expired sessions (their rows would otherwise open the vault to anyone holding
/// the token and a later copy of the file).
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
    store::drop_expired_sessions(&conn, unix_now())?;
    Ok((conn, vault_id))
}

/// The files a vault creation cut short leaves in `dir` (the database built beside its final
/// name, and its journal): a crash or a kill during `init` or a join.
fn half_made(dir: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}.init-", store::DB_FILE);
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Checks, before anything is made or asked for, that a vault can be created in `dir` with
/// `passphrase` and `kdf`: a folder that is new or empty (what a creation cut short left there
/// does not count), a passphrase long enough, parameters in range.
pub fn check_new_vault(dir: &Path, passphrase: &[u8], kdf: KdfParams) -> Result<()> {
    kdf.validate()?;
    check_passphrase(passphrase)?;
    check_new_folder(dir)
}

fn check_new_folder(dir: &Path) -> Result<()> {
    if dir.is_file() {
        return Err(Error::NotAVault {
            path: dir.to_path_buf(),
            reason: "it is a file; a vault is a folder".into(),
        });
    }
    if db_path(dir).exists() {
        return Err(Error::AlreadyExists(dir.to_path_buf()));
    }
    let leftovers = half_made(dir);
    let other = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| !leftovers.contains(&e.path()))
    });
    if other {
        return Err(Error::invalid(msg!(
            CORE,
            "folder-not-empty",
            path = dir.display().to_string()
        )));
    }
    Ok(())
}

impl Vault {
    /// Creates a vault in `dir` (created if missing, which must not already hold a vault).
    /// Returns the open vault and its recovery key, to show the user once.
    pub fn create(dir: &Path, passphrase: &[u8], kdf: KdfParams) -> Result<(Vault, RecoveryKey)> {
        Vault::create_with(dir, passphrase, kdf, &mut |_, _| Ok(()))
    }

    /// [`Vault::create`], giving `show` the recovery key and the owner's did before the vault is
    /// put in place: if it fails (the key could not be shown), no vault is created.
    pub fn create_with(
        dir: &Path,
        passphrase: &[u8],
        kdf: KdfParams,
        show: &mut dyn FnMut(&RecoveryKey, &str) -> Result<()>,
    ) -> Result<(Vault, RecoveryKey)> {
        Vault::create_inner(dir, passphrase, kdf, None, show)
    }

    /// Creates a vault in `dir`: a new one, or with `from` a new replica of an existing vault
    /// (its keys and identity, this device's own id, passphrase and recovery key).
    pub(crate) fn create_inner(
        dir: &Path,
        passphrase: &[u8],
        kdf: KdfParams,
        from: Option<&crate::replica::DeviceKeys>,
        show: &mut dyn FnMut(&RecoveryKey, &str) -> Result<()>,
    ) -> Result<(Vault, RecoveryKey)> {
        check_new_vault(dir, passphrase, kdf)?;
        let final_path = db_path(dir);
        create_private_dir(dir)?;
        let (master, vault_id) = match from {
            Some(keys) => (keys.master()?, keys.vault_id.clone()),
            None => (Key::random(), random_bytes::<16>().to_vec()),
        };
        let device = random_bytes::<16>().to_vec();
        let recovery = RecoveryKey::generate();
        // Build the database beside its final name and rename it into place, so a crash
        // during init leaves either no vault or a whole one.
        let tmp = dir.join(format!("{}.init-{}", store::DB_FILE, crate::ids::new_id()));
        let mut did = String::new();
        let built = (|| -> Result<()> {
            let conn = store::create(&tmp)?;
            let tx = conn.unchecked_transaction()?;
            store::meta_put(&tx, "vault_id", &vault_id)?;
            store::meta_put(&tx, "device", &device)?;
            let mut root = Root::empty();
            root.device = device.clone();
            let pass = SlotParams::new_passphrase(kdf);
            let rec = SlotParams::new_recovery();
            let slots = [
                (SLOT_PASSPHRASE, &pass, pass.derive(passphrase)?),
                (SLOT_RECOVERY, &rec, rec.derive(recovery.bytes())?),
            ];
            for (id, params, kek) in &slots {
                let digest = write_slot(&tx, &vault_id, id, params, kek, &master)?;
                root.slots.insert(id.to_string(), digest);
            }
            let (owner, owner_did) = match from {
                Some(keys) => keys.seal_owner(&master)?,
                None => new_owner_key(&master, &vault_id)?,
            };
            did = owner_did;
            store::meta_put(&tx, "owner_key", &owner)?;
            root.owner = manifest::owner_digest(&owner);
            manifest::Update::from_root(&master, &vault_id, root).commit(&tx, &master)?;
            tx.commit()?;
            store::checkpoint(&conn);
            conn.close().map_err(|(_, e)| e)?;
            Ok(())
        })();
        if let Err(e) = built.and_then(|()| show(&recovery, &did)) {
            remove_db_files(&tmp);
            return Err(e);
        }
        if final_path.exists() {
            remove_db_files(&tmp);
            return Err(Error::AlreadyExists(dir.to_path_buf()));
        }
        std::fs::rename(&tmp, &final_path).map_err(Error::io(msg!(
            CORE,
            "io-create-vault",
            path = final_path.display().to_string()
        )))?;
        remove_db_files(&tmp);
        // What a creation cut short here left (a crash, a kill): no longer of use.
        for stale in half_made(dir) {
            let _ = std::fs::remove_file(stale);
        }
        sync_dir(dir);
        let conn = store::open(&final_path)?;
        Ok((
            Vault {
                dir: dir.to_path_buf(),
                conn,
                vault_id,
                device,
                master,
                warnings: Vec::new(),
            },
            recovery,
        ))
    }

    /// Opens the vault in `dir`. Checks, cheaply, that the key that opened it is the vault's
    /// current one and that the key slot used is the one the manifest names; a vault made by an
    /// older version gains its manifest here.
    pub fn open(dir: &Path, how: Unlock<'_>) -> Result<Vault> {
        let (conn, vault_id) = open_db(dir)?;
        let mut session = None;
        let (master, slot) = match how {
            Unlock::Passphrase(p) => (
                open_slot(&conn, &vault_id, SLOT_PASSPHRASE, p)?.ok_or(Error::WrongPassphrase)?,
                Some(SLOT_PASSPHRASE),
            ),
            Unlock::Recovery(r) => (
                open_slot(&conn, &vault_id, SLOT_RECOVERY, r.bytes())?
                    .ok_or(Error::WrongRecoveryKey)?,
                Some(SLOT_RECOVERY),
            ),
            Unlock::Session(token) => {
                let (key, id) = open_session(&conn, &vault_id, token)?;
                session = Some(id);
                (key, None)
            }
        };
        let device = store::meta_get(&conn, "device")?.unwrap_or_else(|| vec![0; 16]);
        let mut vault = Vault {
            dir: dir.to_path_buf(),
            conn,
            vault_id,
            device,
            master,
            warnings: permission_warnings(dir),
        };
        let root = match manifest::read_root_if_any(&vault.conn, &vault.master, &vault.vault_id)? {
            Some(root) => root,
            None => {
                vault.upgrade_to_manifest()?;
                manifest::read_root(&vault.conn, &vault.master, &vault.vault_id)?
            }
        };
        if let Some(id) = session
            && !root.sessions.contains(&id)
        {
            return Err(Error::damaged("vault", msg!(CORE, "session-put-back")));
        }
        if !root.device.is_empty() && root.device != vault.device {
            return Err(Error::damaged("vault", msg!(CORE, "device-id-changed")));
        }
        if let Some(slot) = slot
            && slot_digest_of(&vault.conn, slot)?.as_ref() != root.slots.get(slot)
        {
            return Err(Error::damaged(
                "vault",
                msg!(CORE, "slot-not-last", slot = slot_name(slot)),
            ));
        }
        Ok(vault)
    }

    /// A second handle on this open vault, with its own connection to the file: for work that
    /// runs beside this handle's (a network node). What either writes, the other reads.
    pub fn reopen(&self) -> Result<Vault> {
        let (conn, vault_id) = open_db(&self.dir)?;
        if vault_id != self.vault_id {
            return Err(Error::damaged("vault", msg!(CORE, "vault-file-replaced")));
        }
        let mut master = Zeroizing::new([0u8; crate::crypto::KEY_LEN]);
        master.copy_from_slice(self.master.expose());
        Ok(Vault {
            dir: self.dir.clone(),
            conn,
            vault_id,
            device: self.device.clone(),
            master: Key::from_bytes(master),
            warnings: Vec::new(),
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

    /// Rebuilds the file (`VACUUM`) so every free page goes back to the disk; returns the size
    /// of the file and its log before and after.
    pub fn compact(&self) -> Result<(u64, u64)> {
        store::compact(&self.conn, &db_path(&self.dir))
    }

    /// Warnings found when opening: the folder or its files readable by other users.
    pub fn warnings(&self) -> &[Msg] {
        &self.warnings
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
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        let live = live_session_ids(&tx)?;
        m.root.sessions.retain(|s| live.contains(s));
        m.root.sessions.push(id);
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        let mut raw = Zeroizing::new(Vec::with_capacity(56));
        raw.extend_from_slice(&id);
        raw.extend_from_slice(&expires.to_be_bytes());
        raw.extend_from_slice(key.expose());
        Ok(Zeroizing::new(format!(
            "{SESSION_PREFIX}{}",
            data_encoding::BASE64URL_NOPAD.encode(&raw)
        )))
    }

    /// Ends sessions: the one whose token is given, or with `all` every session (expired ones
    /// always go). Needs no key: ending a session only takes access away. When the token still
    /// opens the vault, the ended sessions are also struck from the manifest, so their rows put
    /// back from a copy open nothing. Returns how many ended.
    pub fn lock(dir: &Path, token: Option<&str>, all: bool) -> Result<usize> {
        if let Some(t) = token
            && let Ok(mut vault) = Vault::open(dir, Unlock::Session(t))
        {
            let (id, _, _) = parse_token(t)?;
            return vault.end_sessions(if all { None } else { Some(id) });
        }
        let (conn, _) = open_db(dir)?;
        let n = match (token, all) {
            (Some(t), false) => {
                let (id, _, _) = parse_token(t)?;
                conn.execute("DELETE FROM sessions WHERE id = ?1", params![&id[..]])?
            }
            _ => conn.execute("DELETE FROM sessions", [])?,
        };
        store::checkpoint(&conn);
        Ok(n)
    }

    /// Whether the session `token` started is still live here: not ended (by `lock`,
    /// `lock --all`, a new passphrase or new keys) and not expired.
    pub fn has_session(&self, token: &str) -> Result<bool> {
        let (id, _, _) = parse_token(token)?;
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM sessions WHERE id = ?1 AND expires > ?2",
            params![&id[..], unix_now()],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Ends the session `token` started.
    pub fn end_session(&mut self, token: &str) -> Result<usize> {
        let (id, _, _) = parse_token(token)?;
        self.end_sessions(Some(id))
    }

    /// Ends every session of this vault (a restored copy starts with none).
    pub fn end_every_session(&mut self) -> Result<usize> {
        self.end_sessions(None)
    }

    /// Ends one session, or every one, and strikes them from the manifest.
    fn end_sessions(&mut self, only: Option<[u8; 16]>) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = match only {
            Some(id) => tx.execute("DELETE FROM sessions WHERE id = ?1", params![&id[..]])?,
            None => tx.execute("DELETE FROM sessions", [])?,
        };
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        match only {
            Some(id) => m.root.sessions.retain(|s| *s != id),
            None => m.root.sessions.clear(),
        }
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        store::checkpoint(&self.conn);
        Ok(n)
    }

    /// Whether `passphrase` opens this vault's passphrase slot (to this vault's current master
    /// key): what a step that changes the keys asks again before it starts. Costs one key
    /// derivation.
    pub fn passphrase_opens(&self, passphrase: &[u8]) -> Result<bool> {
        Ok(
            open_slot(&self.conn, &self.vault_id, SLOT_PASSPHRASE, passphrase)?
                .is_some_and(|k| k.expose() == self.master.expose()),
        )
    }

    /// Sets a new passphrase: rewraps the master key in one transaction (no record is touched)
    /// and ends every session. `kdf` `None` takes the stronger of the defaults and the slot's
    /// current parameters.
    pub fn change_passphrase(&mut self, new: &[u8], kdf: Option<KdfParams>) -> Result<()> {
        check_passphrase(new)?;
        let kdf = self.new_slot_kdf(kdf)?;
        let slot = SlotParams::new_passphrase(kdf);
        let kek = slot.derive(new)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        let digest = write_slot(
            &tx,
            &self.vault_id,
            SLOT_PASSPHRASE,
            &slot,
            &kek,
            &self.master,
        )?;
        m.root.slots.insert(SLOT_PASSPHRASE.into(), digest);
        m.root.sessions.clear();
        m.commit(&tx, &self.master)?;
        tx.execute("DELETE FROM sessions", [])?;
        tx.commit()?;
        store::checkpoint(&self.conn);
        Ok(())
    }

    /// The KDF parameters for a new passphrase slot: those asked for, or else the current
    /// slot's (raised to the floor for new slots) when the manifest vouches for its row, or else
    /// the defaults: `recover` never opened the passphrase slot, so what it says is not trusted.
    fn new_slot_kdf(&self, asked: Option<KdfParams>) -> Result<KdfParams> {
        let kdf = match asked {
            Some(k) => k,
            None => self.current_kdf()?,
        };
        kdf.validate()?;
        Ok(kdf)
    }

    /// The passphrase slot's KDF parameters, if the manifest vouches for the slot's row (raised
    /// to the floor for new slots); the defaults otherwise.
    pub fn current_kdf(&self) -> Result<KdfParams> {
        let root = manifest::read_root(&self.conn, &self.master, &self.vault_id)?;
        let vouched = slot_digest_of(&self.conn, SLOT_PASSPHRASE)?.as_ref()
            == root.slots.get(SLOT_PASSPHRASE);
        Ok(match read_slot(&self.conn, SLOT_PASSPHRASE) {
            Ok(Some((SlotParams::Argon2id { params, .. }, _, _)))
                if vouched && params.is_sane_stored() =>
            {
                params.stronger(KdfParams::minimum())
            }
            _ => KdfParams::default(),
        })
    }

    /// Replaces the master key: every record key and the owner key are rewrapped under a new
    /// master key, the manifest resealed, both key slots rewritten (with `new_passphrase`, or
    /// the current one), every session ended, and a new recovery key made. One transaction:
    /// killed at any point, the vault opens with the old keys or the new ones.
    ///
    /// Record contents are not re-encrypted: a record's data key stays the same, so someone
    /// who extracted it from an older copy with the old keys can still read that record's
    /// chunks in a newer copy. See `docs/security.md`.
    ///
    /// `show` is given what was done, with the new recovery key, inside the transaction before
    /// it commits: if it fails (the key could not be shown), nothing changes.
    pub fn rekey(
        &mut self,
        passphrase: &[u8],
        new_passphrase: Option<&[u8]>,
        kdf: Option<KdfParams>,
        progress: &mut dyn FnMut(usize, usize),
        show: &mut dyn FnMut(&Rekeyed) -> Result<()>,
    ) -> Result<Rekeyed> {
        self.rekey_to(
            passphrase,
            new_passphrase,
            kdf,
            Key::random(),
            progress,
            show,
        )
    }

    /// Takes the new master key another device of this vault made when it removed a device
    /// (see `musette device remove`): like [`Vault::rekey`], with that key instead of a random
    /// one, so the replicas share it again. The keys must be this vault's (same id, same owner).
    pub fn adopt_keys(
        &mut self,
        passphrase: &[u8],
        keys: &crate::replica::DeviceKeys,
        progress: &mut dyn FnMut(usize, usize),
        show: &mut dyn FnMut(&Rekeyed) -> Result<()>,
    ) -> Result<Rekeyed> {
        if keys.vault_id != self.vault_id {
            return Err(Error::invalid(msg!(CORE, "keys-other-vault")));
        }
        let (_, did) = keys.seal_owner(&self.master)?;
        if did != self.owner()?.did() {
            return Err(Error::invalid(msg!(CORE, "keys-other-owner")));
        }
        self.rekey_to(passphrase, None, None, keys.master()?, progress, show)
    }

    fn rekey_to(
        &mut self,
        passphrase: &[u8],
        new_passphrase: Option<&[u8]>,
        kdf: Option<KdfParams>,
        new_master: Key,
        progress: &mut dyn FnMut(usize, usize),
        show: &mut dyn FnMut(&Rekeyed) -> Result<()>,
    ) -> Result<Rekeyed> {
        if let Some(p) = new_passphrase {
            check_passphrase(p)?;
        }
        // The passphrase must open the current slot: rekey never trusts a session alone.
        if open_slot(&self.conn, &self.vault_id, SLOT_PASSPHRASE, passphrase)?.is_none() {
            return Err(Error::WrongPassphrase);
        }
        let kdf = self.new_slot_kdf(kdf)?;
        let recovery = RecoveryKey::generate();
        let pass = SlotParams::new_passphrase(kdf);
        let pass_kek = pass.derive(new_passphrase.unwrap_or(passphrase))?;
        let rec = SlotParams::new_recovery();
        let rec_kek = rec.derive(recovery.bytes())?;

        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        m.touch_all(&tx)?;
        // Rows that belong to no record of this vault (a malformed id, unknown to the manifest,
        // or forgotten) can never be read: they are removed rather than left to block the keys'
        // replacement. A record whose key does not open stops it, changing nothing.
        let loaded = manifest::load_all(&tx, &self.master, &self.vault_id)?;
        let mut keys = Vec::new();
        let mut junk: Vec<Vec<u8>> = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT id, key FROM records")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let raw_id = match row.get_ref(0)? {
                    rusqlite::types::ValueRef::Text(t) => t.to_vec(),
                    _ => Vec::new(),
                };
                let Ok(id) = id_col(row, 0) else {
                    junk.push(raw_id);
                    continue;
                };
                if matches!(loaded.get(&id), Ok(None))
                    || matches!(loaded.get(&id), Ok(Some(k)) if k.forgotten)
                {
                    junk.push(raw_id);
                    continue;
                }
                let wrapped = blob_col(row, 1, &id).unwrap_or_default();
                let key = self
                    .record_key(&id, wrapped)
                    .map_err(|_| Error::damaged(&id, msg!(CORE, "rekey-record-key")))?;
                keys.push((id, key));
            }
        }
        for raw in &junk {
            tx.execute(
                "DELETE FROM chunks WHERE CAST(record AS BLOB) = ?1",
                params![raw],
            )?;
            tx.execute(
                "DELETE FROM blobs WHERE CAST(record AS BLOB) = ?1",
                params![raw],
            )?;
            tx.execute(
                "DELETE FROM records WHERE CAST(id AS BLOB) = ?1",
                params![raw],
            )?;
        }
        tx.execute("DELETE FROM records WHERE typeof(id) != 'text'", [])?;
        tx.execute(
            "DELETE FROM manifest WHERE typeof(bucket) != 'integer' OR bucket < 0 OR bucket >= ?1",
            params![manifest::BUCKETS as i64],
        )?;
        for (b, version) in m.root.buckets.iter().enumerate() {
            if *version == 0 {
                tx.execute("DELETE FROM manifest WHERE bucket = ?1", params![b as i64])?;
            }
        }
        let total = keys.len();
        for (n, (id, key)) in keys.iter().enumerate() {
            tx.prepare_cached("UPDATE records SET key = ?2 WHERE id = ?1")?
                .execute(params![
                    id,
                    new_master.wrap(&key_aad(&self.vault_id, id), key)
                ])?;
            progress(n + 1, total);
        }
        let owner = store::meta_get(&tx, "owner_key")?
            .and_then(|s| self.master.open(&owner_aad(&self.vault_id), &s))
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "rekey-owner-key")))?;
        let owner = new_master.seal(&owner_aad(&self.vault_id), &owner);
        store::meta_put(&tx, "owner_key", &owner)?;
        // This device's network key and settings move to the new master key too.
        let mut sealed_meta: Vec<(String, Vec<u8>)> = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT key, value FROM meta WHERE key = 'endpoint_key' OR key LIKE 'setting:%'",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                if let (Ok(k), Ok(v)) = (row.get::<_, String>(0), row.get::<_, Vec<u8>>(1)) {
                    sealed_meta.push((k, v));
                }
            }
        }
        for (name, sealed) in sealed_meta {
            let aad = match name.strip_prefix("setting:") {
                Some(setting) => aad("setting", &[&self.vault_id, setting.as_bytes()]),
                None => aad("endpoint-key", &[&self.vault_id, &self.device]),
            };
            let setting = name.strip_prefix("setting:");
            // A setting the manifest does not vouch for (put back from an older copy) is not
            // carried over to the new keys.
            let vouched = setting.is_none_or(|n| {
                m.root.settings.get(n) == Some(&manifest::setting_digest(n, &sealed))
            });
            match self.master.open(&aad, &sealed).filter(|_| vouched) {
                Some(plain) => {
                    let resealed = new_master.seal(&aad, &plain);
                    store::meta_put(&tx, &name, &resealed)?;
                    if let Some(setting) = setting {
                        m.root.settings.insert(
                            setting.to_string(),
                            manifest::setting_digest(setting, &resealed),
                        );
                    }
                }
                // Unreadable already: it is dropped (a network key is made anew, a setting
                // starts empty) rather than kept under a key nobody has.
                None => {
                    tx.execute("DELETE FROM meta WHERE key = ?1", params![name])?;
                    if let Some(setting) = setting {
                        m.root.settings.remove(setting);
                    }
                }
            }
        }
        m.root.owner = manifest::owner_digest(&owner);
        for (id, params, kek) in [
            (SLOT_PASSPHRASE, &pass, &pass_kek),
            (SLOT_RECOVERY, &rec, &rec_kek),
        ] {
            let digest = write_slot(&tx, &self.vault_id, id, params, kek, &new_master)?;
            m.root.slots.insert(id.into(), digest);
        }
        m.root.sessions.clear();
        m.commit(&tx, &new_master)?;
        let sessions = tx.execute("DELETE FROM sessions", [])?;
        let done = Rekeyed {
            recovery,
            records: total,
            sessions,
            removed: junk.len(),
        };
        show(&done)?;
        tx.commit()?;
        self.master = new_master;
        // The old wrapped keys leave the log and the file's free pages.
        store::reclaim(&self.conn);
        Ok(done)
    }

    /// Gives a vault made before the manifest its manifest: reseals every header with a
    /// version, records every key slot and the owner key, in one transaction. A vault whose
    /// owner key says it already had a manifest is damaged instead: its manifest was deleted.
    fn upgrade_to_manifest(&mut self) -> Result<()> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        if manifest::exists(&tx)? {
            return Ok(());
        }
        let mut root = Root::empty();
        let owner = match store::meta_get(&tx, "owner_key")? {
            Some(sealed)
                if self
                    .master
                    .open(&owner_aad(&self.vault_id), &sealed)
                    .is_some() =>
            {
                return Err(Error::damaged(
                    "vault",
                    msg!(CORE, "manifest-missing-restore"),
                ));
            }
            Some(sealed) => {
                let seed = self
                    .master
                    .open(&legacy_owner_aad(&self.vault_id), &sealed)
                    .ok_or_else(|| Error::damaged("vault", msg!(CORE, "owner-key-not-open")))?;
                self.master.seal(&owner_aad(&self.vault_id), &seed)
            }
            // Never made here: a vault with neither manifest nor owner key lost both outside
            // musette, and a new identity would hide it.
            None => {
                return Err(Error::damaged(
                    "vault",
                    msg!(CORE, "manifest-owner-missing"),
                ));
            }
        };
        store::meta_put(&tx, "owner_key", &owner)?;
        root.owner = manifest::owner_digest(&owner);
        root.device = self.device.clone();
        root.sessions = live_session_ids(&tx)?;
        for slot in [SLOT_PASSPHRASE, SLOT_RECOVERY] {
            if let Some(d) = slot_digest_of(&tx, slot)? {
                root.slots.insert(slot.into(), d);
            }
        }
        let mut m = manifest::Update::from_root(&self.master, &self.vault_id, root);
        let version = m.version();
        let mut rows = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT id, key, header FROM records")?;
            let mut q = stmt.query([])?;
            while let Some(row) = q.next()? {
                let Ok(id) = id_col(row, 0) else { continue };
                let (Ok(k), Ok(h)) = (blob_col(row, 1, &id), blob_col(row, 2, &id)) else {
                    continue;
                };
                rows.push((id, k.to_vec(), h.to_vec()));
            }
        }
        for (id, wrapped, sealed) in rows {
            let upgraded = (|| -> Result<Entry> {
                let key = self.record_key(&id, &wrapped)?;
                let plain = key
                    .open(&legacy_header_aad(&id), &sealed)
                    .ok_or_else(|| Error::damaged(&id, msg!(CORE, "header-integrity")))?;
                let header = crate::records::decode_header(&id, &plain)?;
                let mut doc = self.load_doc(&tx, &id, &key, &header)?;
                let resealed = seal_header(&key, &id, version, &header)?;
                tx.execute(
                    "UPDATE records SET header = ?2 WHERE id = ?1",
                    params![id, resealed],
                )?;
                Ok(Entry::live(
                    &id,
                    version,
                    &resealed,
                    crate::records::heads_of(&mut doc),
                ))
            })();
            // A record already damaged keeps its header as it is: it stays reported.
            m.set(
                &tx,
                upgraded.unwrap_or_else(|_| Entry::live(&id, 0, &sealed, [0; 32])),
            )?;
        }
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        Ok(())
    }

    /// Checks both key slots against the manifest: present, well formed, and the rows this
    /// vault last wrote (a slot that does not match will not open the vault).
    pub(crate) fn slot_problems(&self, root: &Root) -> Result<Vec<Msg>> {
        let mut problems = Vec::new();
        for slot in [SLOT_PASSPHRASE, SLOT_RECOVERY] {
            let advice = if slot == SLOT_RECOVERY {
                msg!(CORE, "slot-advice-recovery")
            } else {
                msg!(CORE, "slot-advice-passphrase")
            };
            let name = slot_name(slot);
            match read_slot(&self.conn, slot) {
                Ok(Some((SlotParams::Argon2id { params, .. }, _, _)))
                    if !params.is_sane_stored() =>
                {
                    problems.push(msg!(CORE, "slot-insane", slot = name, advice = advice));
                }
                Ok(Some(_)) => {
                    if slot_digest_of(&self.conn, slot)?.as_ref() != root.slots.get(slot) {
                        problems.push(msg!(CORE, "slot-altered", slot = name, advice = advice));
                    }
                }
                Ok(None) => problems.push(msg!(
                    CORE,
                    "slot-missing-advice",
                    slot = name,
                    advice = advice
                )),
                Err(e) => problems.push(msg!(
                    CORE,
                    "slot-unreadable",
                    slot = name,
                    why = e.to_msg(),
                    advice = advice
                )),
            }
        }
        Ok(problems)
    }
}

/// The ids of the session rows in the file.
fn live_session_ids(conn: &Connection) -> Result<Vec<[u8; 16]>> {
    let mut stmt = conn.prepare("SELECT id FROM sessions")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if let Ok(id) = row.get_ref(0)?.as_blob()
            && let Ok(id) = <[u8; 16]>::try_from(id)
        {
            out.push(id);
        }
    }
    Ok(out)
}

/// The digest of a slot's row as stored, or `None` when there is no such row.
fn slot_digest_of(conn: &Connection, slot: &str) -> Result<Option<[u8; 32]>> {
    let mut stmt = conn.prepare_cached("SELECT kind, params, wrapped FROM slots WHERE id = ?1")?;
    let mut rows = stmt.query(params![slot])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let text = |i: usize| -> Vec<u8> {
        match row.get_ref(i) {
            Ok(v) => match v {
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    t.to_vec()
                }
                other => format!("{other:?}").into_bytes(),
            },
            Err(_) => Vec::new(),
        }
    };
    let (kind, params, wrapped) = (text(0), text(1), text(2));
    Ok(Some(manifest::slot_digest(
        slot,
        &String::from_utf8_lossy(&kind),
        &String::from_utf8_lossy(&params),
        &wrapped,
    )))
}

/// Warnings like ssh's: the vault folder or its files readable or writable by other users.
fn permission_warnings(dir: &Path) -> Vec<Msg> {
    let mut out = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The -wal and -shm files take the database's mode, and come and go: the folder and
        // the database are what to check and fix.
        for path in [dir.to_path_buf(), db_path(dir)] {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                let (what, want) = if meta.is_dir() {
                    ("folder", "700")
                } else {
                    ("file", "600")
                };
                out.push(msg!(
                    CORE,
                    "vault-mode-open",
                    what = what,
                    path = path.display().to_string(),
                    mode = format!("{mode:03o}"),
                    want = want
                ));
            }
        }
    }
    out
}

fn check_passphrase(p: &[u8]) -> Result<()> {
    if p.is_empty() {
        return Err(Error::invalid(msg!(CORE, "passphrase-empty")));
    }
    if p.len() < 8 {
        return Err(Error::invalid(msg!(CORE, "passphrase-short")));
    }
    Ok(())
}

/// Writes a key slot; returns the digest of its row for the manifest.
fn write_slot(
    conn: &Connection,
    vault_id: &[u8],
    id: &str,
    params: &SlotParams,
    kek: &Key,
    master: &Key,
) -> Result<[u8; 32]> {
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
    Ok(manifest::slot_digest(id, kind, &json, &wrapped))
}

fn read_slot(conn: &Connection, id: &str) -> Result<Option<(SlotParams, String, Vec<u8>)>> {
    let row: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT params, wrapped FROM slots WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|_| Error::damaged("vault", msg!(CORE, "slot-row-type", slot = slot_name(id))))?;
    let Some((json, wrapped)) = row else {
        return Ok(None);
    };
    let params: SlotParams = serde_json::from_str(&json)
        .map_err(|_| Error::damaged("vault", msg!(CORE, "slot-malformed", slot = slot_name(id))))?;
    Ok(Some((params, json, wrapped)))
}

/// "The passphrase (or recovery) key slot".
fn slot_name(slot: &str) -> Msg {
    msg!(CORE, "slot-name", slot = slot)
}

fn open_slot(conn: &Connection, vault_id: &[u8], id: &str, secret: &[u8]) -> Result<Option<Key>> {
    let (params, json, wrapped) = read_slot(conn, id)?
        .ok_or_else(|| Error::damaged("vault", msg!(CORE, "slot-missing", slot = slot_name(id))))?;
    let kek = params.derive(secret)?;
    Ok(kek.unwrap_key(&slot_aad(vault_id, id, &json), &wrapped))
}

fn session_aad(vault_id: &[u8], id: &[u8], expires: i64) -> Vec<u8> {
    aad("session", &[vault_id, id, &expires.to_be_bytes()])
}

/// A token's session id, expiry and key.
fn parse_token(token: &str) -> Result<([u8; 16], i64, Key)> {
    let raw = token
        .trim()
        .strip_prefix(SESSION_PREFIX)
        .and_then(|b| data_encoding::BASE64URL_NOPAD.decode(b.as_bytes()).ok())
        .map(Zeroizing::new)
        .filter(|r| r.len() == 56)
        .ok_or(Error::InvalidSession)?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&raw[..16]);
    let mut expires = [0u8; 8];
    expires.copy_from_slice(&raw[16..24]);
    let key = Key::from_slice(&raw[24..]).ok_or(Error::InvalidSession)?;
    Ok((id, i64::from_be_bytes(expires), key))
}

fn open_session(conn: &Connection, vault_id: &[u8], token: &str) -> Result<(Key, [u8; 16])> {
    let (id, token_expires, key) = parse_token(token)?;
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT expires, wrapped FROM sessions WHERE id = ?1",
            params![&id[..]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|_| Error::InvalidSession)?;
    // Expired rows are deleted when the database is opened: a token past its time is expired,
    // not unknown.
    let Some((expires, wrapped)) = row else {
        return Err(if token_expires <= unix_now() {
            Error::SessionExpired
        } else {
            Error::InvalidSession
        });
    };
    if expires <= unix_now() {
        return Err(Error::SessionExpired);
    }
    let master = key
        .unwrap_key(&session_aad(vault_id, &id, expires), &wrapped)
        .ok_or(Error::InvalidSession)?;
    Ok((master, id))
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let path = dir.display().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !dir.exists() {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(Error::io(msg!(
                    CORE,
                    "io-folder-parent",
                    path = &path
                )))?;
            }
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(dir)
                .map_err(Error::io(msg!(CORE, "io-folder-create", path = &path)))?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(Error::io(msg!(CORE, "io-folder-private", path = &path)))?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(Error::io(msg!(
        CORE,
        "io-folder-create",
        path = &path
    )))?;
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
