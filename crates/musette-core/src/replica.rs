//! Replicas: the same vault on several devices of one owner, kept in step.
//!
//! Every device of an owner holds a full replica: the same vault id, master key and identity,
//! but its own device id (the automerge actor of its changes), its own passphrase and recovery
//! key, and its own local counter. A new device receives [`DeviceKeys`] over an authenticated
//! channel and makes its replica with [`Vault::create_replica`].
//!
//! Replicas compare and exchange what differs without any network code here (the transport is
//! `musette-sync`'s):
//!
//! 1. [`Vault::sync_digest`]: one 32-byte digest of every record's id and heads and every
//!    forgotten id. Equal digests: nothing to do, whatever the number of records.
//! 2. [`Vault::bucket_digests`]: the same digest per manifest bucket (256 of them), to find
//!    which buckets differ.
//! 3. [`Vault::summaries`]: the entries of the differing buckets (id, forgotten, heads), and
//!    [`plan`] to decide, from both sides' entries, which records each side sends and which
//!    forgets.
//! 4. [`Vault::export_records`] gives records as they are stored: each one's wrapped data key,
//!    sealed header, sealed chunks and attachment chunks. No re-encryption: replicas share the
//!    master key, and a chunk's associated data names only the record, its number and kind.
//!    [`Vault::merge_records`] takes them in, in one transaction: a record new to this replica
//!    is stored as it came once every piece opens (its header sealed again for this replica's
//!    counter, its document not loaded, so a new device takes thousands of records a second);
//!    one both hold is merged by automerge (both sides' changes survive) and stored as a new
//!    snapshot. [`Vault::forget_replicated`] applies a forget.
//!
//! After each side has merged what the other sent, both hold the same changes of every record,
//! so their sync digests are equal.

use crate::i18n::CORE;
use crate::msg;
use std::collections::{HashMap, HashSet};

use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::Key;
use crate::error::{Error, Result};
use crate::identity::{Signer, owner_aad};
use crate::keys::{KdfParams, RecoveryKey};
use crate::manifest::{self, BUCKETS, Entry};
use crate::record::AttachmentInfo;
use crate::records::{
    ChunkReader, Header, blob_col, check_chain, check_chain_of, check_entry, decode_outline,
    heads_of, int_col, key_aad, open_header_bytes, reseal_header, seal_header, seal_header_bytes,
    store_snapshot,
};
use crate::vault::Vault;
use crate::{ids, model, record, store};

/// What a new device needs to hold a replica: the vault id, the master key and the owner's
/// signing seed. Secret: it travels only over an authenticated, encrypted channel, and is wiped
/// from memory when dropped.
pub struct DeviceKeys {
    /// The vault's id (shared by all its replicas).
    pub vault_id: Vec<u8>,
    master: Zeroizing<Vec<u8>>,
    owner_seed: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeys").finish_non_exhaustive()
    }
}

impl DeviceKeys {
    /// The keys as bytes for the wire: vault id (16), master key (32), owner seed (32).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(80));
        out.extend_from_slice(&self.vault_id);
        out.extend_from_slice(&self.master);
        out.extend_from_slice(&self.owner_seed);
        out
    }

    /// The keys from [`DeviceKeys::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<DeviceKeys> {
        if bytes.len() != 80 {
            return Err(Error::invalid(msg!(CORE, "device-keys-length")));
        }
        Ok(DeviceKeys {
            vault_id: bytes[..16].to_vec(),
            master: Zeroizing::new(bytes[16..48].to_vec()),
            owner_seed: Zeroizing::new(bytes[48..].to_vec()),
        })
    }

    pub(crate) fn master(&self) -> Result<Key> {
        Key::from_slice(&self.master).ok_or_else(|| Error::invalid(msg!(CORE, "master-key-length")))
    }

    /// The owner key sealed under `master` for the new replica, and its did.
    pub(crate) fn seal_owner(&self, master: &Key) -> Result<(Vec<u8>, String)> {
        let did = Signer::from_seed(&self.owner_seed)?.did().to_string();
        Ok((
            master.seal(&owner_aad(&self.vault_id), &self.owner_seed),
            did,
        ))
    }
}

/// A merge of at least this many records checks them on a second thread while it writes.
const CHECK_BESIDE: usize = 64;
/// It checks runs of this many records, and may be this many runs ahead.
const CHECK_RUN: usize = 64;
const CHECK_AHEAD: usize = 4;

/// A record new to this replica as [`check_new`] found it: everything opens and holds, and
/// its header is sealed for this replica's counter.
struct Checked {
    id: String,
    key: Key,
    kind: crate::model::Kind,
    attachments: Vec<AttachmentInfo>,
    sealed: Vec<u8>,
}

/// A record new here, checked and ready to store, its header sealed for this replica.
struct Ready<'a> {
    id: &'a str,
    key: &'a Key,
    kind: crate::model::Kind,
    attachments: &'a [AttachmentInfo],
    sealed: Vec<u8>,
    heads: [u8; 32],
}

/// The checks of a record that needs no database: for a record that comes with its header,
/// its key opens under the master key, its header opens and names its chunks and their chain,
/// and every chunk opens, in order, with that chain. Its header is then sealed for `version`,
/// this replica's counter. `None` when anything fails or the record is not of that kind: it is
/// then merged the long way, which says what is wrong.
fn check_new(master: &Key, vault_id: &[u8], version: u64, rec: &SealedRecord) -> Option<Checked> {
    let id = ids::check_prefix(&rec.id).ok()?;
    if id.len() != ids::ID_LEN || id != rec.id || rec.header.is_empty() {
        return None;
    }
    let key = master.unwrap_key(&key_aad(vault_id, &id), &rec.key)?;
    let (base, last) = (rec.chunks.first()?.0, rec.chunks.last()?.0);
    let plain = open_header_bytes(&key, &id, rec.version, &rec.header).ok()?;
    let header = decode_outline(&id, &plain).ok()?;
    if header.chunks.is_none() || (header.base, header.last) != (base, last) {
        return None;
    }
    let mut reader = ChunkReader::checking(&id, &key, base, last);
    for Chunk(seq, kind, data) in &rec.chunks {
        reader.push(i64::try_from(*seq).ok()?, *kind, data).ok()?;
    }
    reader.finish_check().ok()?;
    check_chain_of(&id, header.chunks.as_deref(), &reader.chained()).ok()?;
    let (kind, attachments) = (header.state.kind, header.state.attachments);
    let sealed = seal_header_bytes(&key, &id, version, &plain);
    Some(Checked {
        id,
        key,
        kind,
        attachments,
        sealed,
    })
}

/// The rows of one merge: the statements that insert a new record's rows, prepared once for
/// all its records, and the row ids they take, in order.
struct Inserts<'c> {
    record: rusqlite::CachedStatement<'c>,
    chunk: rusqlite::CachedStatement<'c>,
    record_ids: store::Rowids,
    chunk_ids: store::Rowids,
}

impl<'c> Inserts<'c> {
    fn new(
        tx: &'c rusqlite::Connection,
        record_ids: store::Rowids,
        chunk_ids: store::Rowids,
    ) -> Result<Self> {
        Ok(Inserts {
            record: tx.prepare_cached(
                "INSERT INTO records (rowid, id, key, header) VALUES (?4, ?1, ?2, ?3)",
            )?,
            chunk: tx.prepare_cached(
                "INSERT INTO chunks (rowid, record, seq, kind, data) VALUES (?5, ?1, ?2, ?3, ?4)",
            )?,
            record_ids,
            chunk_ids,
        })
    }
}

/// A merge of at least this many records, or bytes, is a bulk write ([`store::bulk_write`]).
const BULK_RECORDS: usize = 256;
const BULK_BYTES: usize = 1 << 20;

/// One sealed chunk of a record's document: its number, its kind, its sealed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk(pub u64, pub i64, #[serde(with = "serde_bytes")] pub Vec<u8>);

/// One sealed chunk of an attachment: the attachment's id, the chunk's index, its sealed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobChunk(
    pub String,
    pub u64,
    #[serde(with = "serde_bytes")] pub Vec<u8>,
);

/// A record as it is stored, for another replica.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedRecord {
    /// The record id.
    pub id: String,
    /// Its data key, wrapped by the master key.
    #[serde(with = "serde_bytes")]
    pub key: Vec<u8>,
    /// Its header as the sending replica sealed it (under the record's key); empty when the
    /// receiving replica holds the record already (it merges documents, and makes its own).
    #[serde(with = "serde_bytes")]
    pub header: Vec<u8>,
    /// The sending replica's counter that header is bound to.
    pub version: u64,
    /// SHA-256 of its heads, as the sending replica's manifest holds them.
    pub heads: [u8; 32],
    /// Its document's chunks, in order: (number, kind, sealed bytes).
    pub chunks: Vec<Chunk>,
    /// Its attachments' chunks: (attachment id, index, sealed bytes).
    pub blobs: Vec<BlobChunk>,
}

impl SealedRecord {
    /// Bytes on the wire, about.
    pub fn size(&self) -> usize {
        self.id.len()
            + self.key.len()
            + self.header.len()
            + 40
            + self.chunks.iter().map(|c| c.2.len() + 16).sum::<usize>()
            + self
                .blobs
                .iter()
                .map(|b| b.0.len() + b.2.len() + 8)
                .sum::<usize>()
    }
}

/// One record as [`Vault::export_records`] reads it: the record, with the bytes its
/// attachments hold when it comes whole (`None`: they come apart); or why it is damaged here.
pub type Exported = Result<(SealedRecord, Option<u64>)>;

/// One manifest entry as replicas compare them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The record id.
    pub id: String,
    /// The record was forgotten.
    pub forgotten: bool,
    /// SHA-256 of its heads (zero when forgotten).
    pub heads: [u8; 32],
}

impl Summary {
    /// This entry's share of the sync digest (the same as the manifest's).
    pub fn sync_hash(&self) -> [u8; 32] {
        Entry {
            id: self.id.clone(),
            version: 0,
            forgotten: self.forgotten,
            header_tag: [0; manifest::TAG_LEN],
            heads: self.heads,
        }
        .sync_hash()
    }
}

/// What one side of a sync does, from both sides' entries of the buckets that differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Records to send to the other side (it lacks them, or holds other changes).
    pub send: Vec<String>,
    /// Records to forget here (the other side forgot them).
    pub forget: Vec<String>,
}

/// What this side does, given its entries and the other side's (of the same buckets). Both
/// sides compute it from the same two lists, each for itself. A forget wins over any edit: a
/// record forgotten on one side is forgotten on the other, known there or not (so its id is
/// remembered and its rows can never come back).
pub fn plan(local: &[Summary], remote: &[Summary]) -> Plan {
    let theirs: HashMap<&str, &Summary> = remote.iter().map(|s| (s.id.as_str(), s)).collect();
    let mine: HashSet<&str> = local.iter().map(|s| s.id.as_str()).collect();
    let mut out = Plan::default();
    for s in local {
        match theirs.get(s.id.as_str()) {
            _ if s.forgotten => {}
            Some(t) if t.forgotten => out.forget.push(s.id.clone()),
            Some(t) if t.heads == s.heads => {}
            _ => out.send.push(s.id.clone()),
        }
    }
    for t in remote
        .iter()
        .filter(|t| t.forgotten && !mine.contains(t.id.as_str()))
    {
        out.forget.push(t.id.clone());
    }
    out.send.sort();
    out.forget.sort();
    out
}

/// What [`Vault::merge_record`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    /// The record was new here.
    Added,
    /// Both held it; changes were merged in.
    Merged,
    /// Nothing new.
    Unchanged,
    /// It was forgotten here: refused.
    Forgotten,
}

impl Vault {
    /// What a new device needs to hold a replica of this vault.
    pub fn device_keys(&self) -> Result<DeviceKeys> {
        let sealed = store::meta_get(&self.conn, "owner_key")?
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "owner-key-missing")))?;
        let seed = self
            .master
            .open(&owner_aad(&self.vault_id), &sealed)
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "owner-key-not-open")))?;
        Ok(DeviceKeys {
            vault_id: self.vault_id.clone(),
            master: Zeroizing::new(self.master.expose().to_vec()),
            owner_seed: seed,
        })
    }

    /// This device's network key (its iroh endpoint's Ed25519 secret), made on first use and
    /// sealed under the master key, bound to this device. Each replica has its own.
    pub fn endpoint_secret(&mut self) -> Result<Zeroizing<[u8; 32]>> {
        let aad = crate::crypto::aad("endpoint-key", &[&self.vault_id, &self.device]);
        let open = |sealed: &[u8]| -> Result<Zeroizing<[u8; 32]>> {
            let plain = self
                .master
                .open(&aad, sealed)
                .ok_or_else(|| Error::damaged("vault", msg!(CORE, "network-key-not-open")))?;
            let mut out = Zeroizing::new([0u8; 32]);
            if plain.len() != 32 {
                return Err(Error::damaged("vault", msg!(CORE, "network-key-malformed")));
            }
            out.copy_from_slice(&plain);
            Ok(out)
        };
        if let Some(sealed) = store::meta_get(&self.conn, "endpoint_key")? {
            return open(&sealed);
        }
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        if store::meta_get(&tx, "endpoint_key")?.is_none() {
            let secret = Zeroizing::new(crate::crypto::random_bytes::<32>());
            store::meta_put(
                &tx,
                "endpoint_key",
                &self.master.seal(&aad, secret.as_ref()),
            )?;
        }
        tx.commit()?;
        let sealed = store::meta_get(&self.conn, "endpoint_key")?
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "network-key-missing")))?;
        open(&sealed)
    }

    /// A setting of this replica (not synced), sealed under the master key: `None` when unset.
    /// The manifest's root keeps each setting's digest, so a setting altered, put back from an
    /// older copy of the file or added outside musette is refused as damage.
    pub fn setting(&self, name: &str) -> Result<Option<serde_json::Value>> {
        let root = manifest::read_root(&self.conn, &self.master, &self.vault_id)?;
        self.read_setting(&root, name)
    }

    pub(crate) fn read_setting(
        &self,
        root: &manifest::Root,
        name: &str,
    ) -> Result<Option<serde_json::Value>> {
        let aad = crate::crypto::aad("setting", &[&self.vault_id, name.as_bytes()]);
        let sealed = store::meta_get(&self.conn, &format!("setting:{name}"))?;
        let vouched = root.settings.get(name);
        let sealed = match (sealed, vouched) {
            (None, None) => return Ok(None),
            (Some(sealed), Some(d)) if manifest::setting_digest(name, &sealed) == *d => sealed,
            (None, Some(_)) => {
                return Err(Error::damaged(
                    "vault",
                    msg!(CORE, "setting-deleted", name = format!("{name:?}")),
                ));
            }
            _ => {
                return Err(Error::damaged(
                    "vault",
                    msg!(CORE, "setting-not-last", name = format!("{name:?}")),
                ));
            }
        };
        let plain = self.master.open(&aad, &sealed).ok_or_else(|| {
            Error::damaged(
                "vault",
                msg!(CORE, "setting-not-open", name = format!("{name:?}")),
            )
        })?;
        serde_json::from_slice(&plain).map(Some).map_err(|_| {
            Error::damaged(
                "vault",
                msg!(CORE, "setting-decode", name = format!("{name:?}")),
            )
        })
    }

    /// Writes a setting inside a transaction already open, vouched for by the manifest update
    /// `m` that will commit with it.
    pub(crate) fn put_setting_in(
        &self,
        tx: &rusqlite::Connection,
        m: &mut manifest::Update,
        name: &str,
        value: &serde_json::Value,
    ) -> Result<()> {
        let aad = crate::crypto::aad("setting", &[&self.vault_id, name.as_bytes()]);
        let plain =
            Zeroizing::new(serde_json::to_vec(value).map_err(|e| Error::Internal(e.to_string()))?);
        let sealed = self.master.seal(&aad, &plain);
        store::meta_put(tx, &format!("setting:{name}"), &sealed)?;
        m.root
            .settings
            .insert(name.to_string(), manifest::setting_digest(name, &sealed));
        Ok(())
    }

    /// Drops a setting inside a transaction already open.
    pub(crate) fn drop_setting_in(
        &self,
        tx: &rusqlite::Connection,
        m: &mut manifest::Update,
        name: &str,
    ) -> Result<()> {
        tx.execute(
            "DELETE FROM meta WHERE key = ?1",
            params![format!("setting:{name}")],
        )?;
        m.root.settings.remove(name);
        Ok(())
    }

    /// Sets a setting of this replica (see [`Vault::setting`]).
    pub fn set_setting(&mut self, name: &str, value: &serde_json::Value) -> Result<()> {
        self.update_setting(name, |_| Ok((value.clone(), ())))
    }

    /// Reads, changes and writes a setting in one immediate transaction, so two processes
    /// sharing the vault (`serve` and a command) never lose each other's change. `change` gets
    /// the current value and returns the new one with what to hand back.
    pub fn update_setting<T>(
        &mut self,
        name: &str,
        change: impl FnOnce(Option<serde_json::Value>) -> Result<(serde_json::Value, T)>,
    ) -> Result<T> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        let current = self.read_setting(&m.root, name)?;
        let (value, out) = change(current)?;
        self.put_setting_in(&tx, &mut m, name, &value)?;
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        Ok(out)
    }

    /// A value derived one-way from the current master key: device certificates are bound to
    /// it, so after `rekey` a device still holding the old keys no longer passes as one of this
    /// vault's devices.
    pub fn key_epoch(&self) -> [u8; 32] {
        *self
            .master
            .derive(b"musette", b"device certificate epoch")
            .expose()
    }

    /// The key that authenticates a backup of this vault (`musette backup`): derived from the
    /// master key, so only someone who can open the vault can make or check one.
    pub fn backup_key(&self) -> [u8; 32] {
        *self
            .master
            .derive(b"musette", b"backup authentication")
            .expose()
    }

    /// Writes a consistent copy of the whole vault file (every table, as sealed as it is) to
    /// `path`, which must not exist: SQLite's `VACUUM INTO`, so writers elsewhere wait, and
    /// nothing readable is ever written.
    ///
    /// The copy holds no session: a session token opens this vault for a while, never a copy
    /// of it (the rows are deleted from the copy, securely, and struck from its manifest).
    pub fn snapshot_to(&self, path: &std::path::Path) -> Result<()> {
        let target = path
            .to_str()
            .ok_or_else(|| Error::invalid(msg!(CORE, "backup-path-utf8")))?;
        self.conn.execute("VACUUM INTO ?1", params![target])?;
        let copy = rusqlite::Connection::open(path)?;
        copy.pragma_update(None, "secure_delete", "ON")?;
        let tx = rusqlite::Transaction::new_unchecked(&copy, TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM sessions", [])?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        m.root.sessions.clear();
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        Ok(())
    }

    /// SHA-256 of the vault id: what two devices compare to know they hold the same vault,
    /// without sending the id itself.
    pub fn vault_hash(&self) -> [u8; 32] {
        crate::crypto::sha256(&crate::crypto::aad("vault-hash", &[&self.vault_id]))
    }

    /// This device's id, as bytes.
    pub fn device_bytes(&self) -> &[u8] {
        &self.device
    }

    /// Makes a new replica in `dir` from another device's keys: the same vault and identity,
    /// this device's own id, passphrase and recovery key (shown by `show` before the replica
    /// is put in place). It starts empty; syncing fills it.
    pub fn create_replica(
        dir: &std::path::Path,
        passphrase: &[u8],
        kdf: KdfParams,
        keys: &DeviceKeys,
        show: &mut dyn FnMut(&RecoveryKey, &str) -> Result<()>,
    ) -> Result<(Vault, RecoveryKey)> {
        Vault::create_inner(dir, passphrase, kdf, Some(keys), show)
    }

    /// The vault's sync digest: equal on two replicas that hold the same changes of the same
    /// records and the same forgotten ids.
    pub fn sync_digest(&self) -> Result<[u8; 32]> {
        Ok(manifest::read_root(&self.conn, &self.master, &self.vault_id)?.sync)
    }

    /// The sync digest of each of the manifest's buckets.
    pub fn bucket_digests(&self) -> Result<Vec<[u8; 32]>> {
        let loaded = manifest::load_all(&self.conn, &self.master, &self.vault_id)?;
        if let Some((_, what)) = loaded.broken.first() {
            return Err(Error::damaged("vault", what.clone()));
        }
        Ok(manifest::bucket_sync_digests(&loaded))
    }

    /// The entries of the given buckets.
    pub fn summaries(&self, buckets: &[usize]) -> Result<Vec<Summary>> {
        let root = manifest::read_root(&self.conn, &self.master, &self.vault_id)?;
        let mut out = Vec::new();
        for &b in buckets.iter().filter(|b| **b < BUCKETS) {
            for e in manifest::read_bucket(&self.conn, &self.master, &self.vault_id, &root, b)?
                .into_values()
            {
                out.push(Summary {
                    id: e.id,
                    forgotten: e.forgotten,
                    heads: e.heads,
                });
            }
        }
        Ok(out)
    }

    /// A record's attachment chunks in order, from just after `after` (an attachment id and a
    /// chunk index; `None` from the start), as many as fit in `max_bytes` (at least one).
    pub fn export_blobs(
        &self,
        id: &str,
        after: Option<(&str, u64)>,
        max_bytes: usize,
    ) -> Result<Vec<BlobChunk>> {
        let (att, idx) = after.map_or(("", -1i64), |(a, i)| {
            (a, i64::try_from(i).unwrap_or(i64::MAX))
        });
        let mut stmt = self.conn.prepare_cached(
            "SELECT attachment, idx, data FROM blobs WHERE record = ?1
             AND (attachment > ?2 OR (attachment = ?2 AND idx > ?3))
             ORDER BY attachment, idx",
        )?;
        let mut rows = stmt.query(params![id, att, idx])?;
        let mut out = Vec::new();
        let mut size = 0;
        while let Some(row) = rows.next()? {
            let a: String = row
                .get(0)
                .map_err(|_| Error::damaged(id, msg!(CORE, "blob-chunk-type")))?;
            let i = u64::try_from(int_col(row, 1, id)?)
                .map_err(|_| Error::damaged(id, msg!(CORE, "blob-chunk-negative")))?;
            let data = blob_col(row, 2, id)?.to_vec();
            size += data.len();
            out.push(BlobChunk(a, i, data));
            if size >= max_bytes {
                break;
            }
        }
        Ok(out)
    }

    /// A record as it is stored, for another replica (checked as a read is).
    pub fn export_record(&self, id: &str) -> Result<SealedRecord> {
        self.export_records(&[id.to_string()], u64::MAX, usize::MAX)?
            .pop()
            .ok_or_else(|| Error::NoSuchRecord(id.to_string()))?
            .map(|(r, _)| r)
    }

    /// Records as they are stored, for another replica, each checked against the manifest
    /// (which vouches for its header, and the header for its chunks; the other replica opens
    /// every piece), in one read: the manifest's root once, each bucket once. A record damaged
    /// here comes as its error, and the others still come. A record that holds fewer than
    /// `inline` bytes in all comes whole, with
    /// the bytes its attachments hold; a larger one comes without its attachment chunks and
    /// with `None` (send those with [`Vault::export_blobs`] and merge them with
    /// [`Vault::merge_record_streamed`]). It stops after the record that brings what it read
    /// to `budget` bytes: the first records of `ids`, at least one.
    pub fn export_records(
        &self,
        ids: &[String],
        inline: u64,
        budget: usize,
    ) -> Result<Vec<Exported>> {
        let mut read = 0usize;
        let tx = self.conn.unchecked_transaction()?;
        let root = manifest::read_root(&tx, &self.master, &self.vault_id)?;
        let mut buckets: HashMap<usize, std::collections::BTreeMap<String, Entry>> = HashMap::new();
        // A record's row and the bytes its attachments hold, in one statement.
        let mut row_stmt = tx.prepare_cached(
            "SELECT key, header, \
             (SELECT COALESCE(SUM(length(data)), 0) FROM blobs WHERE record = ?1) \
             FROM records WHERE id = ?1",
        )?;
        let mut chunk_stmt =
            tx.prepare_cached("SELECT seq, kind, data FROM chunks WHERE record = ?1 ORDER BY seq")?;
        let mut blob_stmt = tx.prepare_cached(
            "SELECT attachment, idx, data FROM blobs WHERE record = ?1 ORDER BY attachment, idx",
        )?;
        let mut one = |id: &String| -> Result<(SealedRecord, Option<u64>, usize)> {
            let b = manifest::bucket_of(id);
            if let std::collections::hash_map::Entry::Vacant(slot) = buckets.entry(b) {
                slot.insert(
                    manifest::read_bucket(&tx, &self.master, &self.vault_id, &root, b).map_err(
                        |e| {
                            Error::damaged(
                                id,
                                msg!(CORE, "manifest-entry-unreadable", why = e.to_msg()),
                            )
                        },
                    )?,
                );
            }
            let entry = buckets.get(&b).and_then(|m| m.get(id)).map(Entry::known);
            let (key, sealed, bytes) = {
                let mut rows = row_stmt.query(params![id])?;
                let Some(row) = rows.next()? else {
                    return Err(match entry {
                        Some(e) if !e.forgotten => crate::records::missing_rows(id),
                        _ => Error::NoSuchRecord(id.to_string()),
                    });
                };
                (
                    blob_col(row, 0, id)?.to_vec(),
                    blob_col(row, 1, id)?.to_vec(),
                    row.get::<_, i64>(2)?,
                )
            };
            // The manifest vouches for the header (its tag), so for the record; the other
            // replica opens its key, header and chunks before it takes anything.
            let known = check_entry(id, entry, &sealed)?;
            let mut chunks = Vec::new();
            let mut rows = chunk_stmt.query(params![id])?;
            while let Some(row) = rows.next()? {
                let seq = u64::try_from(int_col(row, 0, id)?)
                    .map_err(|_| Error::damaged(id, msg!(CORE, "chunk-negative")))?;
                chunks.push(Chunk(
                    seq,
                    int_col(row, 1, id)?,
                    blob_col(row, 2, id)?.to_vec(),
                ));
            }
            let bytes = u64::try_from(bytes).unwrap_or(0);
            let head = chunks.iter().map(|c| c.2.len() as u64).sum::<u64>() + sealed.len() as u64;
            let whole = head.saturating_add(bytes) < inline;
            let mut blobs = Vec::new();
            if whole && bytes > 0 {
                let mut rows = blob_stmt.query(params![id])?;
                while let Some(row) = rows.next()? {
                    let att: String = row
                        .get(0)
                        .map_err(|_| Error::damaged(id, msg!(CORE, "blob-chunk-type")))?;
                    let idx = u64::try_from(int_col(row, 1, id)?)
                        .map_err(|_| Error::damaged(id, msg!(CORE, "blob-chunk-negative")))?;
                    blobs.push(BlobChunk(att, idx, blob_col(row, 2, id)?.to_vec()));
                }
            }
            let size = usize::try_from(head)
                .unwrap_or(usize::MAX)
                .saturating_add(blobs.iter().map(|b| b.2.len()).sum());
            Ok((
                SealedRecord {
                    id: id.clone(),
                    key,
                    header: sealed,
                    version: known.version,
                    heads: known.heads,
                    chunks,
                    blobs,
                },
                whole.then_some(bytes),
                size,
            ))
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match one(id) {
                Ok((rec, whole, size)) => {
                    read = read.saturating_add(size);
                    out.push(Ok((rec, whole)));
                }
                // A record damaged here is left out, said, and the others still go.
                Err(e @ Error::Damaged { .. }) => out.push(Err(e)),
                Err(e) => return Err(e),
            }
            if read >= budget {
                break;
            }
        }
        Ok(out)
    }

    /// Takes in a record from another replica, in one transaction: stored as it came when it is
    /// new here, merged with automerge when both hold it, refused when it was forgotten here.
    /// Anything that does not check out (a key that does not open, chunks out of order or
    /// altered) is refused and changes nothing.
    pub fn merge_record(&mut self, rec: &SealedRecord) -> Result<Merged> {
        Ok(self
            .merge_records(std::slice::from_ref(rec))?
            .pop()
            .unwrap_or(Merged::Unchanged))
    }

    /// [`Vault::merge_record`] for many records in one transaction (one durable commit, each
    /// manifest bucket written once): all are taken, or none.
    pub fn merge_records(&mut self, recs: &[SealedRecord]) -> Result<Vec<Merged>> {
        self.merge_records_in(recs, store::Place::whole(recs.len()))
    }

    /// [`Vault::merge_records`] for one batch of a longer merge (a sync merging what it
    /// receives as it comes), `place` saying where the batch sits in it: the batches' rows
    /// follow each other in the tables as one write's would.
    pub fn merge_records_in(
        &mut self,
        recs: &[SealedRecord],
        place: store::Place,
    ) -> Result<Vec<Merged>> {
        self.merge_batch(recs, place, false)?.into_iter().collect()
    }

    /// [`Vault::merge_records_in`], where a record that does not check out (damaged or forged
    /// where it comes from, or damaged here) is left out, with why, instead of refusing the
    /// batch: the others are taken. One result per record, in order; a failure of the vault
    /// itself (the disk) still takes none.
    pub fn merge_records_leaving_out(
        &mut self,
        recs: &[SealedRecord],
        place: store::Place,
    ) -> Result<Vec<Result<Merged>>> {
        self.merge_batch(recs, place, true)
    }

    fn merge_batch(
        &mut self,
        recs: &[SealedRecord],
        place: store::Place,
        leave_out: bool,
    ) -> Result<Vec<Result<Merged>>> {
        // One record, in a savepoint of its own when it may be left out: a record that was
        // not checked ahead (or did not check out) is merged the long way, which may fail
        // after it wrote.
        let one = |tx: &rusqlite::Connection,
                   m: &mut manifest::Update<'_>,
                   rec: &SealedRecord,
                   c: Option<Checked>,
                   rows: &mut Inserts<'_>|
         -> Result<Result<Merged>> {
            if !leave_out || c.is_some() {
                return self.merge_one_from(tx, m, rec, c, None, rows).map(Ok);
            }
            tx.execute_batch("SAVEPOINT one")?;
            match self.merge_one_from(tx, m, rec, None, None, rows) {
                Ok(merged) => {
                    tx.execute_batch("RELEASE one")?;
                    Ok(Ok(merged))
                }
                Err(e) if refusable(&e) => {
                    // The manifest's entry is set last, after anything that can fail so: the
                    // update holds nothing of it.
                    tx.execute_batch("ROLLBACK TO one; RELEASE one")?;
                    Ok(Err(e))
                }
                Err(e) => Err(e),
            }
        };
        let merge = || {
            let tx =
                rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
            let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
            let mut out = Vec::with_capacity(recs.len());
            let mut rows = Inserts::new(
                &tx,
                store::Rowids::draw_in(recs.len(), place),
                store::Rowids::draw_in(recs.iter().map(|r| r.chunks.len()).sum(), place),
            )?;
            let version = m.version();
            if recs.len() < CHECK_BESIDE {
                for rec in recs {
                    out.push(one(&tx, &mut m, rec, None, &mut rows)?);
                }
            } else {
                // What needs no database (opening each new record's key, header and chunks)
                // is done on a second thread, a few records ahead of this one, which writes.
                let (master, vault_id) = (&self.master, self.vault_id.as_slice());
                std::thread::scope(|scope| -> Result<()> {
                    let (ahead, checked) = std::sync::mpsc::sync_channel(CHECK_AHEAD);
                    scope.spawn(move || {
                        for some in recs.chunks(CHECK_RUN) {
                            let run: Vec<Option<Checked>> = some
                                .iter()
                                .map(|rec| check_new(master, vault_id, version, rec))
                                .collect();
                            if ahead.send(run).is_err() {
                                break;
                            }
                        }
                    });
                    for some in recs.chunks(CHECK_RUN) {
                        let run = checked.recv().unwrap_or_default();
                        let mut run = run.into_iter();
                        for rec in some {
                            let c = run.next().flatten().filter(|c| c.id == rec.id);
                            out.push(one(&tx, &mut m, rec, c, &mut rows)?);
                        }
                    }
                    Ok(())
                })?;
            }
            drop(rows);
            m.commit(&tx, &self.master)?;
            tx.commit()?;
            Ok(out)
        };
        let bytes: usize = recs.iter().map(SealedRecord::size).sum();
        if recs.len() >= BULK_RECORDS || bytes >= BULK_BYTES {
            store::bulk_write(&self.conn, merge)
        } else {
            merge()
        }
    }

    /// [`Vault::merge_record`] for a record whose attachment chunks come apart (`head` has
    /// none; `blobs` gives them, in any order): all in one transaction, so a record is never
    /// stored without its attachments.
    pub fn merge_record_streamed(
        &mut self,
        head: &SealedRecord,
        blobs: BlobStream<'_>,
    ) -> Result<Merged> {
        // Its attachments are large (they came apart): written once, see [`store::bulk_write`].
        store::bulk_write(&self.conn, || {
            let tx =
                rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
            let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
            let mut rows = Inserts::new(
                &tx,
                store::Rowids::draw(1),
                store::Rowids::draw(head.chunks.len()),
            )?;
            let out = self.merge_one_from(&tx, &mut m, head, None, Some(blobs), &mut rows)?;
            drop(rows);
            m.commit(&tx, &self.master)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// Stores a record new here, checked: its rows, its attachments, its manifest entry.
    fn insert_new(
        &self,
        tx: &rusqlite::Connection,
        m: &mut manifest::Update<'_>,
        rec: &SealedRecord,
        Ready {
            id,
            key,
            kind,
            attachments,
            sealed,
            heads,
        }: Ready<'_>,
        stream: Option<BlobStream<'_>>,
        rows: &mut Inserts<'_>,
    ) -> Result<Merged> {
        let wanted: Vec<&AttachmentInfo> = attachments.iter().collect();
        rows.record
            .execute(params![id, rec.key, sealed, rows.record_ids.take()])?;
        for Chunk(seq, kind, data) in &rec.chunks {
            rows.chunk
                .execute(params![id, *seq as i64, kind, data, rows.chunk_ids.take()])?;
        }
        insert_blobs(tx, key, id, rec, stream, &wanted)?;
        if kind == crate::model::Kind::Contact {
            self.contact_index_stale(tx, m)?;
        }
        m.set(tx, Entry::live(id, m.version(), &sealed, heads))?;
        Ok(Merged::Added)
    }

    fn merge_one_from(
        &self,
        tx: &rusqlite::Connection,
        m: &mut manifest::Update<'_>,
        rec: &SealedRecord,
        checked: Option<Checked>,
        mut stream: Option<BlobStream<'_>>,
        rows: &mut Inserts<'_>,
    ) -> Result<Merged> {
        // Checked already (on another thread, see `merge_records_in`) and new here: its header
        // is sealed for this replica's counter, and it is stored.
        if let Some(c) = checked.filter(|c| c.id == rec.id)
            && m.get(tx, &c.id)?.is_none()
        {
            let ready = Ready {
                id: &c.id,
                key: &c.key,
                kind: c.kind,
                attachments: &c.attachments,
                sealed: c.sealed,
                heads: rec.heads,
            };
            return self.insert_new(tx, m, rec, ready, stream, rows);
        }
        let id = ids::check_prefix(&rec.id)?;
        if id.len() != ids::ID_LEN || id != rec.id {
            return Err(Error::invalid(msg!(
                CORE,
                "not-a-record-id",
                id = format!("{:?}", rec.id)
            )));
        }
        let key = self
            .master
            .unwrap_key(&key_aad(&self.vault_id, &id), &rec.key)
            .ok_or_else(|| Error::Forged(msg!(CORE, "forged-record-key", id = &id)))?;
        let (base, last) = match (rec.chunks.first(), rec.chunks.last()) {
            (Some(f), Some(l)) => (f.0, l.0),
            _ => return Err(Error::Forged(msg!(CORE, "forged-no-chunks", id = &id))),
        };
        let forged = |e: Error| Error::Forged(e.to_msg());
        let existing = m.get(tx, &id)?;
        // A record new here that comes with its header, and the header with the chain of its
        // chunks, is only checked, not loaded (below).
        let opened = match (&existing, rec.header.is_empty()) {
            (None, false) => Some(
                reseal_header(&key, &id, rec.version, m.version(), &rec.header).map_err(forged)?,
            ),
            _ => None,
        };
        let quick = opened.as_ref().is_some_and(|(h, _)| h.chunks.is_some());
        let mut reader = if quick {
            ChunkReader::checking(&id, &key, base, last)
        } else {
            ChunkReader::new(&id, &key, base, last)
        };
        for Chunk(seq, kind, data) in &rec.chunks {
            let seq = i64::try_from(*seq)
                .map_err(|_| Error::Forged(msg!(CORE, "forged-chunk-number", id = &id)))?;
            reader.push(seq, *kind, data).map_err(forged)?;
        }

        let outcome = match existing {
            Some(e) if e.forgotten => return Ok(Merged::Forgotten),
            None => {
                // New here: stored as it came. Its key, header and every chunk open under this
                // vault's keys (only a device holding them made it) and its chunks are exactly
                // the ones its header names, in order; its header is sealed again for this
                // replica's counter. Its document is not loaded: `doctor` checks every header
                // and manifest entry against its document. One that comes without its header
                // (the sender thought this side held it) is loaded to make one.
                let (header, sealed, heads) = match opened.filter(|_| quick) {
                    Some((header, sealed)) => {
                        reader.finish_check().map_err(forged)?;
                        if (header.base, header.last) != (base, last) {
                            return Err(Error::Forged(msg!(
                                CORE,
                                "forged-header-chunks",
                                id = &id
                            )));
                        }
                        check_chain(&id, &header, &reader.chained()).map_err(forged)?;
                        (header, sealed, rec.heads)
                    }
                    None => {
                        let chained = reader.chained();
                        let mut doc = reader.finish().map_err(forged)?;
                        let state = record::read_state(&doc, &id).map_err(forged)?;
                        let header = Header {
                            title: model::title_of(state.kind, &state.fields),
                            state,
                            base,
                            last,
                            chunks: Some(crate::crypto::hex(&chained)),
                        };
                        let sealed = seal_header(&key, &id, m.version(), &header)?;
                        (header, sealed, heads_of(&mut doc))
                    }
                };
                let ready = Ready {
                    id: &id,
                    key: &key,
                    kind: header.state.kind,
                    attachments: &header.state.attachments,
                    sealed,
                    heads,
                };
                return self.insert_new(tx, m, rec, ready, stream.take(), rows);
            }
            Some(_) => {
                let (_, mut header) = self.load_header(tx, &id)?;
                let mut remote = reader.finish().map_err(forged)?;
                let mut local = self.load_doc(tx, &id, &key, &header)?;
                let before = local.get_heads();
                local.merge(&mut remote).map_err(|e| {
                    Error::Forged(msg!(CORE, "forged-merge", id = &id, why = e.to_string()))
                })?;
                if local.get_heads() == before {
                    return Ok(Merged::Unchanged);
                }
                // The merged document becomes a new snapshot; what it replaces goes.
                store_snapshot(tx, &key, &id, &mut header, &local.save())?;
                header.state = record::read_state(&local, &id)?;
                header.title = model::title_of(header.state.kind, &header.state.fields);
                let keep: HashSet<&str> = header
                    .state
                    .attachments
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect();
                let stored = stored_attachments(tx, &id)?;
                for gone in stored.iter().filter(|a| !keep.contains(a.as_str())) {
                    tx.execute(
                        "DELETE FROM blobs WHERE record = ?1 AND attachment = ?2",
                        params![id, gone],
                    )?;
                }
                let missing: Vec<&AttachmentInfo> = header
                    .state
                    .attachments
                    .iter()
                    .filter(|a| !stored.contains(&a.id))
                    .collect();
                insert_blobs(tx, &key, &id, rec, stream.take(), &missing)?;
                let sealed = seal_header(&key, &id, m.version(), &header)?;
                tx.execute(
                    "UPDATE records SET header = ?2 WHERE id = ?1",
                    params![id, sealed],
                )?;
                if header.state.kind == crate::model::Kind::Contact {
                    self.contact_index_stale(tx, m)?;
                }
                m.set(
                    tx,
                    Entry::live(&id, m.version(), &sealed, heads_of(&mut local)),
                )?;
                Merged::Merged
            }
        };
        Ok(outcome)
    }

    /// Forgets a record another replica forgot (its id, whether or not this replica holds it):
    /// its rows and key go, and the id is remembered as forgotten. Returns whether anything
    /// changed.
    pub fn forget_replicated(&mut self, id: &str) -> Result<bool> {
        let id = ids::check_prefix(id)?;
        if id.len() != ids::ID_LEN {
            return Err(Error::invalid(msg!(
                CORE,
                "not-a-record-id",
                id = format!("{id:?}")
            )));
        }
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        if m.get(&tx, &id)?.is_some_and(|e| e.forgotten) {
            return Ok(false);
        }
        tx.execute("DELETE FROM blobs WHERE record = ?1", params![id])?;
        tx.execute("DELETE FROM chunks WHERE record = ?1", params![id])?;
        tx.execute("DELETE FROM records WHERE id = ?1", params![id])?;
        self.unindex_contact(&tx, &mut m, &id)?;
        m.set(&tx, Entry::forgotten(&id, m.version()))?;
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        store::reclaim(&self.conn);
        Ok(true)
    }
}

fn stored_attachments(conn: &rusqlite::Connection, id: &str) -> Result<HashSet<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT attachment FROM blobs WHERE record = ?1")?;
    let rows = stmt.query_map(params![id], |r| r.get::<_, String>(0))?;
    Ok(rows.filter_map(std::result::Result::ok).collect())
}

/// An error merging one record that is about that record (forged, damaged, malformed, here or
/// where it comes from), not about the vault itself: the record may be left out.
pub fn refusable(e: &Error) -> bool {
    !matches!(e, Error::Db(_))
        && matches!(
            e.kind(),
            crate::ErrorKind::Invalid | crate::ErrorKind::Damaged | crate::ErrorKind::NotFound
        )
}

/// Attachment chunks (attachment id, index, sealed data) that come apart from their record.
pub type BlobStream<'a> = &'a mut dyn Iterator<Item = Result<BlobChunk>>;

/// Stores the chunks of the attachments `wanted` that came with a record (whole, or apart in
/// `stream`): each must open under the record's key as that attachment's chunk of that index,
/// and every chunk of each must come; anything else is refused.
fn insert_blobs(
    conn: &rusqlite::Connection,
    key: &Key,
    id: &str,
    rec: &SealedRecord,
    stream: Option<BlobStream<'_>>,
    wanted: &[&AttachmentInfo],
) -> Result<()> {
    if wanted.is_empty() && rec.blobs.is_empty() && stream.is_none() {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO blobs (rowid, record, attachment, idx, data) VALUES (?5, ?1, ?2, ?3, ?4)",
    )?;
    let mut got: HashSet<(String, u64)> = HashSet::new();
    let mut take = |BlobChunk(att, idx, data): &BlobChunk| -> Result<()> {
        let Some(info) = wanted.iter().find(|a| a.id == *att) else {
            return Ok(());
        };
        let name = format!("{:?}", info.name);
        if *idx >= info.chunks {
            return Err(Error::Forged(msg!(
                CORE,
                "forged-blob-beyond",
                id = id,
                n = *idx,
                name = name
            )));
        }
        if key
            .open(&crate::attachments::blob_aad(id, att, *idx), data)
            .is_none()
        {
            return Err(Error::Forged(msg!(
                CORE,
                "forged-blob-key",
                id = id,
                n = *idx,
                name = name
            )));
        }
        stmt.execute(params![id, att, *idx as i64, data, store::random_rowid()])?;
        got.insert((att.clone(), *idx));
        Ok(())
    };
    for blob in &rec.blobs {
        take(blob)?;
    }
    if let Some(stream) = stream {
        for blob in stream {
            take(&blob?)?;
        }
    }
    for info in wanted {
        let came = got.iter().filter(|(a, _)| *a == info.id).count() as u64;
        if came != info.chunks {
            return Err(Error::Forged(msg!(
                CORE,
                "forged-blob-count",
                id = id,
                name = format!("{:?}", info.name),
                came = came,
                chunks = info.chunks
            )));
        }
    }
    Ok(())
}
