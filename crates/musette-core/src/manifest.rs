//! The manifest: the vault's sealed, authenticated list of what it holds.
//!
//! Every box in the file is authenticated on its own, but the set of boxes is not: without a
//! manifest, deleting a record's rows, putting back an older header with its chunks, or restoring
//! the rows of a forgotten record from an old copy would all pass unseen. The manifest closes
//! that gap. It holds, for every record ever kept in this vault:
//!
//! | field | meaning |
//! | --- | --- |
//! | id | the record id |
//! | version | the vault counter at the record's last write; bound into its header's associated data |
//! | header tag | the AES-GCM tag of its current sealed header: the digest of that exact header |
//! | heads | SHA-256 of the record's automerge heads: equal on every replica holding the same changes |
//! | forgotten | the record was destroyed with `forget`: any row under its id is a resurrection |
//!
//! plus a *root*: a vault-wide counter bumped by every write, the digest of each key slot row and
//! of the sealed owner key, the number of live and forgotten records, and a sync digest.
//!
//! Entries are kept in [`BUCKETS`] buckets by a hash of the id, each bucket sealed under the master
//! key with its own version (the counter when it was last written) in its associated data; the
//! root, sealed under the master key, holds every bucket's version. A write rewrites one bucket and
//! the root, whatever the vault's size; reading one record opens the root and one bucket; `list`
//! and `doctor` open them all.
//!
//! Putting back any older piece (a header, a bucket, a slot row, the owner key) no longer matches
//! what the root says; putting back an older root fails against every bucket written since. What
//! one file cannot show is the whole file put back to an older copy (see `docs/security.md`).
//!
//! The **sync digest** is the XOR of SHA-256(id, forgotten, heads) over every entry, kept per
//! bucket and for the whole vault. It does not depend on anything local to a replica (versions,
//! nonces, chunk layout), so two replicas holding the same records with the same changes have
//! the same digest: comparing it is a whole no-op sync, and comparing the per-bucket digests
//! narrows a difference down to a few buckets.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::crypto::{Key, aad, sha256};
use crate::error::{Error, Result};
use crate::i18n::{CORE, Msg};
use crate::msg;
use crate::store;

/// How many buckets the entries are spread over.
pub const BUCKETS: usize = 256;
/// Bytes of a header tag kept per entry (the AES-GCM tag length).
pub const TAG_LEN: usize = 16;
const FORMAT: u8 = 1;
const ROOT_KEY: &str = "manifest";
const FLAG_FORGOTTEN: u8 = 1;

/// One record's line in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The record id.
    pub id: String,
    /// The vault counter at the record's last write.
    pub version: u64,
    /// The record was forgotten.
    pub forgotten: bool,
    /// The AES-GCM tag of the record's current sealed header (zero when forgotten).
    pub header_tag: [u8; TAG_LEN],
    /// SHA-256 of the record's sorted automerge heads (zero when forgotten).
    pub heads: [u8; 32],
}

impl Entry {
    /// A live record's entry.
    pub fn live(id: &str, version: u64, sealed_header: &[u8], heads: [u8; 32]) -> Entry {
        let mut header_tag = [0u8; TAG_LEN];
        if sealed_header.len() >= TAG_LEN {
            header_tag.copy_from_slice(&sealed_header[sealed_header.len() - TAG_LEN..]);
        }
        Entry {
            id: id.to_string(),
            version,
            forgotten: false,
            header_tag,
            heads,
        }
    }

    /// The entry of a forgotten record.
    pub fn forgotten(id: &str, version: u64) -> Entry {
        Entry {
            id: id.to_string(),
            version,
            forgotten: true,
            header_tag: [0; TAG_LEN],
            heads: [0; 32],
        }
    }

    /// This entry's share of the sync digest: only what every replica agrees on.
    pub fn sync_hash(&self) -> [u8; 32] {
        let mut buf = Vec::with_capacity(self.id.len() + 34);
        buf.extend_from_slice(self.id.as_bytes());
        buf.push(u8::from(self.forgotten));
        buf.extend_from_slice(&self.heads);
        sha256(&buf)
    }
}

/// The bucket an id belongs to: the low byte of the id's 32-bit FNV-1a hash (ids are random, so
/// this spreads them evenly, and costs nanoseconds where a SHA-256 would cost a listing 2 ms).
pub fn bucket_of(id: &str) -> usize {
    (id_hash(id) & 0xff) as usize
}

/// The 32-bit FNV-1a hash of an id: its low byte is the id's bucket, its next four bits a
/// sixteenth of the bucket (what sync compares before naming records).
pub fn id_hash(id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// SHA-256 of a record's automerge heads, sorted.
pub fn heads_digest(heads: &[automerge::ChangeHash]) -> [u8; 32] {
    let mut sorted: Vec<&automerge::ChangeHash> = heads.iter().collect();
    sorted.sort();
    let mut buf = Vec::with_capacity(sorted.len() * 32);
    for h in sorted {
        buf.extend_from_slice(&h.0);
    }
    sha256(&buf)
}

/// The manifest's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Bumped by every write to the vault.
    pub counter: u64,
    /// Each bucket's version: the counter when it was last written; 0 for a bucket never written.
    pub buckets: Vec<u64>,
    /// The vault's sync digest (XOR of every entry's sync hash).
    pub sync: [u8; 32],
    /// Records not forgotten.
    pub live: u64,
    /// Records forgotten.
    pub forgotten: u64,
    /// Digest of each key slot row, by slot id.
    pub slots: BTreeMap<String, [u8; 32]>,
    /// Digest of the sealed owner key.
    pub owner: [u8; 32],
    /// This replica's device id (the actor of its changes).
    pub device: Vec<u8>,
    /// The ids of the `unlock` sessions this vault started and has not ended: a session row
    /// put back after `lock`, `passwd` or `rekey` is not among them.
    pub sessions: Vec<[u8; 16]>,
    /// Digest of each sealed setting row (peers, shares, received items, the audit log…), by
    /// name: a setting put back from an older copy, or added, is refused.
    pub settings: BTreeMap<String, [u8; 32]>,
}

impl Root {
    /// The root of a vault with no records.
    pub fn empty() -> Root {
        Root {
            counter: 0,
            buckets: vec![0; BUCKETS],
            sync: [0; 32],
            live: 0,
            forgotten: 0,
            slots: BTreeMap::new(),
            owner: [0; 32],
            device: Vec::new(),
            sessions: Vec::new(),
            settings: BTreeMap::new(),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(64 + BUCKETS * 8 + self.slots.len() * 64);
        w.push(FORMAT);
        w.extend_from_slice(&self.counter.to_be_bytes());
        for v in &self.buckets {
            w.extend_from_slice(&v.to_be_bytes());
        }
        w.extend_from_slice(&self.sync);
        w.extend_from_slice(&self.live.to_be_bytes());
        w.extend_from_slice(&self.forgotten.to_be_bytes());
        w.extend_from_slice(&self.owner);
        w.push(self.slots.len() as u8);
        for (id, digest) in &self.slots {
            put_str(&mut w, id);
            w.extend_from_slice(digest);
        }
        w.push(self.device.len().min(255) as u8);
        w.extend_from_slice(&self.device[..self.device.len().min(255)]);
        let sessions = &self.sessions[..self.sessions.len().min(u16::MAX as usize)];
        w.extend_from_slice(&(sessions.len() as u16).to_be_bytes());
        for id in sessions {
            w.extend_from_slice(id);
        }
        // Written only when there are settings, so a root without any reads as before.
        if !self.settings.is_empty() {
            let n = self.settings.len().min(u16::MAX as usize);
            w.extend_from_slice(&(n as u16).to_be_bytes());
            for (name, digest) in self.settings.iter().take(n) {
                put_str(&mut w, name);
                w.extend_from_slice(digest);
            }
        }
        w
    }

    fn decode(bytes: &[u8]) -> Option<Root> {
        let mut r = Reader(bytes);
        if r.u8()? != FORMAT {
            return None;
        }
        let counter = r.u64()?;
        let mut buckets = Vec::with_capacity(BUCKETS);
        for _ in 0..BUCKETS {
            buckets.push(r.u64()?);
        }
        let sync = r.array()?;
        let live = r.u64()?;
        let forgotten = r.u64()?;
        let owner = r.array()?;
        let mut slots = BTreeMap::new();
        for _ in 0..r.u8()? {
            let id = r.str()?;
            slots.insert(id, r.array()?);
        }
        let n = usize::from(r.u8()?);
        let device = r.take(n)?.to_vec();
        let n = u16::from_be_bytes(r.array()?);
        let mut sessions = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            sessions.push(r.array()?);
        }
        let mut settings = BTreeMap::new();
        if r.end().is_none() {
            for _ in 0..u16::from_be_bytes(r.array()?) {
                let name = r.str()?;
                settings.insert(name, r.array()?);
            }
        }
        r.end()?;
        Some(Root {
            counter,
            buckets,
            sync,
            live,
            forgotten,
            slots,
            owner,
            device,
            sessions,
            settings,
        })
    }
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    // Ids and slot names are short ASCII; longer strings are cut, never written ambiguously.
    let bytes = &s.as_bytes()[..s.len().min(255)];
    w.push(bytes.len() as u8);
    w.extend_from_slice(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_be_bytes)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    fn str(&mut self) -> Option<String> {
        let n = usize::from(self.u8()?);
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

fn encode_bucket(entries: &BTreeMap<String, Entry>) -> Vec<u8> {
    let mut w = Vec::with_capacity(5 + entries.len() * 90);
    w.push(FORMAT);
    w.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    for e in entries.values() {
        put_str(&mut w, &e.id);
        w.push(if e.forgotten { FLAG_FORGOTTEN } else { 0 });
        w.extend_from_slice(&e.version.to_be_bytes());
        w.extend_from_slice(&e.header_tag);
        w.extend_from_slice(&e.heads);
    }
    w
}

/// A bucket's entries, sorted by id (as they are written); `None` when malformed, out of order
/// or repeated.
fn decode_bucket(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut r = Reader(bytes);
    if r.u8()? != FORMAT {
        return None;
    }
    let n = r.u32()?;
    let mut out: Vec<Entry> = Vec::with_capacity((n as usize).min(bytes.len() / 60));
    for _ in 0..n {
        let id = r.str()?;
        let flags = r.u8()?;
        if flags & !FLAG_FORGOTTEN != 0 {
            return None;
        }
        let e = Entry {
            id,
            forgotten: flags & FLAG_FORGOTTEN != 0,
            version: r.u64()?,
            header_tag: r.array()?,
            heads: r.array()?,
        };
        if out.last().is_some_and(|last| last.id >= e.id) {
            return None;
        }
        out.push(e);
    }
    r.end()?;
    Some(out)
}

fn root_aad(vault_id: &[u8]) -> Vec<u8> {
    aad("manifest", &[vault_id])
}

fn bucket_aad(vault_id: &[u8], bucket: usize, version: u64) -> Vec<u8> {
    aad(
        "manifest-bucket",
        &[
            vault_id,
            &(bucket as u16).to_be_bytes(),
            &version.to_be_bytes(),
        ],
    )
}

fn damaged(what: Msg) -> Error {
    Error::damaged("vault", what)
}

/// Whether the vault has a manifest row at all (vaults made before it have none until upgraded).
pub fn exists(conn: &Connection) -> Result<bool> {
    Ok(store::meta_get(conn, ROOT_KEY)?.is_some())
}

/// Opens the root. A missing or unopenable root is damage.
pub fn read_root(conn: &Connection, master: &Key, vault_id: &[u8]) -> Result<Root> {
    read_root_if_any(conn, master, vault_id)?.ok_or_else(|| damaged(msg!(CORE, "manifest-missing")))
}

/// Opens the root if there is one (a vault made before the manifest has none until upgraded).
pub fn read_root_if_any(conn: &Connection, master: &Key, vault_id: &[u8]) -> Result<Option<Root>> {
    let Some(sealed) = store::meta_get(conn, ROOT_KEY)? else {
        return Ok(None);
    };
    let plain = master
        .open(&root_aad(vault_id), &sealed)
        .ok_or_else(|| damaged(msg!(CORE, "manifest-integrity")))?;
    Root::decode(&plain)
        .map(Some)
        .ok_or_else(|| damaged(msg!(CORE, "manifest-decode")))
}

/// Reads and opens one bucket as the root says it should be.
pub fn read_bucket(
    conn: &Connection,
    master: &Key,
    vault_id: &[u8],
    root: &Root,
    bucket: usize,
) -> Result<BTreeMap<String, Entry>> {
    let version = root.buckets[bucket];
    let sealed: Option<Vec<u8>> = conn
        .prepare_cached("SELECT data FROM manifest WHERE bucket = ?1")?
        .query_row(params![bucket as i64], |r| r.get(0))
        .optional()
        .map_err(|_| damaged(msg!(CORE, "bucket-type", bucket = bucket)))?;
    Ok(
        open_bucket(master, vault_id, bucket, version, sealed.as_deref())?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect(),
    )
}

fn open_bucket(
    master: &Key,
    vault_id: &[u8],
    bucket: usize,
    version: u64,
    sealed: Option<&[u8]>,
) -> Result<Vec<Entry>> {
    match (version, sealed) {
        (0, None) => Ok(Vec::new()),
        // A row the root never wrote was put there outside musette: ignored (`doctor` reports
        // it), so it cannot block writes to the bucket.
        (0, Some(_)) => Ok(Vec::new()),
        (_, None) => Err(damaged(msg!(CORE, "bucket-missing", bucket = bucket))),
        (v, Some(sealed)) => {
            let plain = master
                .open(&bucket_aad(vault_id, bucket, v), sealed)
                .ok_or_else(|| damaged(msg!(CORE, "bucket-not-named", bucket = bucket)))?;
            let entries = decode_bucket(&plain)
                .ok_or_else(|| damaged(msg!(CORE, "bucket-decode", bucket = bucket)))?;
            if entries.iter().any(|e| bucket_of(&e.id) != bucket) {
                return Err(damaged(msg!(CORE, "bucket-other", bucket = bucket)));
            }
            Ok(entries)
        }
    }
}

/// What the manifest says of one record, without its id: what a read checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The vault counter at the record's last write.
    pub version: u64,
    /// The record was forgotten.
    pub forgotten: bool,
    /// The AES-GCM tag of the record's current sealed header.
    pub header_tag: [u8; TAG_LEN],
    /// SHA-256 of the record's heads.
    pub heads: [u8; 32],
}

impl Known {
    /// Whether `sealed_header` is the header this entry names.
    pub fn names_header(&self, sealed_header: &[u8]) -> bool {
        !self.forgotten
            && sealed_header.len() >= TAG_LEN
            && crate::crypto::ct_eq(
                &sealed_header[sealed_header.len() - TAG_LEN..],
                &self.header_tag,
            )
    }
}

impl Entry {
    /// The entry without its id.
    pub fn known(&self) -> Known {
        Known {
            version: self.version,
            forgotten: self.forgotten,
            header_tag: self.header_tag,
            heads: self.heads,
        }
    }
}

/// Hashes a record id for the in-memory index: ids are random, so their first bytes, mixed,
/// spread as well as any hash would, in a nanosecond.
#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
}

type Index =
    std::collections::HashMap<[u8; KEY_LEN], Known, std::hash::BuildHasherDefault<IdHasher>>;

/// The whole manifest, read at once: the root and every entry, indexed by id. Buckets that
/// fail are kept apart with why, so the records of the others can still be checked.
pub struct Loaded {
    /// The root.
    pub root: Root,
    /// Every entry with a well-formed id, without allocating per entry: a listing of 10,000
    /// records looks up 10,000 ids.
    index: Index,
    /// Entries whose id is not a well-formed record id (none that musette writes).
    odd: Vec<Entry>,
    /// Buckets that could not be read, with why.
    pub broken: Vec<(usize, Msg)>,
    /// Rows of the manifest table that belong to no bucket the root names (put there outside
    /// musette): ignored by reads, reported by `doctor`, removed by `rekey`.
    pub stray: Vec<Msg>,
}

impl Loaded {
    /// What the manifest says of `id`: `Ok(None)` when it does not know it, an error when the
    /// id's bucket could not be read.
    pub fn get(&self, id: &str) -> Result<Option<Known>> {
        if !self.broken.is_empty() {
            let b = bucket_of(id);
            if let Some((_, what)) = self.broken.iter().find(|(n, _)| *n == b) {
                return Err(Error::damaged(
                    id,
                    msg!(CORE, "manifest-entry-unreadable", why = what.clone()),
                ));
            }
        }
        Ok(match inline_key(id) {
            Some(k) => self.index.get(&k).copied(),
            None => self.odd.iter().find(|e| e.id == id).map(Entry::known),
        })
    }

    /// Every entry that could be read.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.index
            .iter()
            .map(|(k, v)| Entry {
                id: String::from_utf8_lossy(k).into_owned(),
                version: v.version,
                forgotten: v.forgotten,
                header_tag: v.header_tag,
                heads: v.heads,
            })
            .chain(self.odd.iter().cloned())
    }

    /// How many entries that could be read are of live records.
    pub fn live(&self) -> usize {
        self.index.values().filter(|e| !e.forgotten).count()
            + self.odd.iter().filter(|e| !e.forgotten).count()
    }
}

/// Reads the root and every bucket.
pub fn load_all(conn: &Connection, master: &Key, vault_id: &[u8]) -> Result<Loaded> {
    let root = read_root(conn, master, vault_id)?;
    let size = usize::try_from(root.live.saturating_add(root.forgotten))
        .unwrap_or(0)
        .min(1 << 24);
    let mut index = Index::with_capacity_and_hasher(size, Default::default());
    let mut odd = Vec::new();
    let mut seen = vec![false; BUCKETS];
    let mut broken = Vec::new();
    let mut stray = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT bucket, data FROM manifest")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let bucket = row.get_ref(0)?.as_i64().ok();
        let Some(b) = bucket
            .and_then(|b| usize::try_from(b).ok())
            .filter(|b| *b < BUCKETS)
        else {
            stray.push(msg!(CORE, "manifest-row-no-bucket"));
            continue;
        };
        if root.buckets[b] == 0 {
            stray.push(msg!(CORE, "manifest-row-unwritten", bucket = b));
            continue;
        }
        seen[b] = true;
        let Ok(sealed) = row.get_ref(1)?.as_blob() else {
            broken.push((b, msg!(CORE, "bucket-type", bucket = b)));
            continue;
        };
        let plain = master.open(&bucket_aad(vault_id, b, root.buckets[b]), sealed);
        let indexed = plain
            .as_deref()
            .and_then(|p| index_bucket(p, b, &mut index, &mut odd));
        if indexed.is_none() {
            // Say exactly what is wrong, as reading the bucket alone would.
            match open_bucket(master, vault_id, b, root.buckets[b], Some(sealed)) {
                Err(Error::Damaged { what, .. }) => broken.push((b, what)),
                Err(e) => return Err(e),
                Ok(_) => broken.push((b, msg!(CORE, "bucket-decode", bucket = b))),
            }
        }
    }
    for (b, seen) in seen.iter().enumerate() {
        if !seen {
            match open_bucket(master, vault_id, b, root.buckets[b], None) {
                Ok(_) => {}
                Err(Error::Damaged { what, .. }) => broken.push((b, what)),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(Loaded {
        root,
        index,
        odd,
        broken,
        stray,
    })
}

/// Adds one bucket's entries to the index, checking as [`decode_bucket`] does (sorted, unique,
/// in their bucket); `None` when the bucket is malformed (then nothing of it is kept).
fn index_bucket(
    bytes: &[u8],
    bucket: usize,
    index: &mut Index,
    odd: &mut Vec<Entry>,
) -> Option<()> {
    let mut r = Reader(bytes);
    if r.u8()? != FORMAT {
        return None;
    }
    let n = r.u32()?;
    let mut added: Vec<[u8; KEY_LEN]> = Vec::new();
    let odd_before = odd.len();
    let mut last: Option<&[u8]> = None;
    let mut ok = Some(());
    for _ in 0..n {
        let len = usize::from(r.u8()?);
        let id = r.take(len)?;
        let flags = r.u8()?;
        let known = Known {
            forgotten: flags & FLAG_FORGOTTEN != 0,
            version: r.u64()?,
            header_tag: r.array()?,
            heads: r.array()?,
        };
        let valid = flags & !FLAG_FORGOTTEN == 0
            && last.is_none_or(|l| l < id)
            && std::str::from_utf8(id).is_ok_and(|s| bucket_of(s) == bucket);
        if !valid {
            ok = None;
            break;
        }
        last = Some(id);
        match <[u8; KEY_LEN]>::try_from(id) {
            Ok(k) => {
                index.insert(k, known);
                added.push(k);
            }
            Err(_) => odd.push(Entry {
                id: String::from_utf8_lossy(id).into_owned(),
                version: known.version,
                forgotten: known.forgotten,
                header_tag: known.header_tag,
                heads: known.heads,
            }),
        }
    }
    if ok.is_some() && r.end().is_some() {
        return Some(());
    }
    for k in added {
        index.remove(&k);
    }
    odd.truncate(odd_before);
    None
}

/// Record ids are 26 ASCII characters; they compare as these bytes do.
const KEY_LEN: usize = crate::ids::ID_LEN;

fn inline_key(id: &str) -> Option<[u8; KEY_LEN]> {
    id.as_bytes().try_into().ok()
}

/// Changes to the manifest inside one write transaction: bump the counter, set entries, and
/// write the touched buckets and the root at [`Update::commit`].
pub struct Update<'k> {
    master: &'k Key,
    vault_id: &'k [u8],
    /// The root as it will be written.
    pub root: Root,
    dirty: BTreeMap<usize, BTreeMap<String, Entry>>,
}

impl<'k> Update<'k> {
    /// Starts an update from the current root (inside the caller's transaction).
    pub fn begin(conn: &Connection, master: &'k Key, vault_id: &'k [u8]) -> Result<Update<'k>> {
        let root = read_root(conn, master, vault_id)?;
        Ok(Update::from_root(master, vault_id, root))
    }

    /// Starts an update from a given root (a new vault, or a migration).
    pub fn from_root(master: &'k Key, vault_id: &'k [u8], mut root: Root) -> Update<'k> {
        root.counter += 1;
        Update {
            master,
            vault_id,
            root,
            dirty: BTreeMap::new(),
        }
    }

    /// The version this write gives what it touches.
    pub fn version(&self) -> u64 {
        self.root.counter
    }

    fn bucket(&mut self, conn: &Connection, b: usize) -> Result<&mut BTreeMap<String, Entry>> {
        if !self.dirty.contains_key(&b) {
            let entries = read_bucket(conn, self.master, self.vault_id, &self.root, b)?;
            self.dirty.insert(b, entries);
        }
        Ok(self.dirty.entry(b).or_default())
    }

    /// The current entry of `id`.
    pub fn get(&mut self, conn: &Connection, id: &str) -> Result<Option<Entry>> {
        Ok(self.bucket(conn, bucket_of(id))?.get(id).cloned())
    }

    /// Sets (adds or replaces) an entry.
    pub fn set(&mut self, conn: &Connection, entry: Entry) -> Result<()> {
        let bucket = self.bucket(conn, bucket_of(&entry.id))?;
        let new_hash = entry.sync_hash();
        let new_forgotten = entry.forgotten;
        let old = bucket.insert(entry.id.clone(), entry);
        let root = &mut self.root;
        if let Some(old) = &old {
            xor(&mut root.sync, &old.sync_hash());
            if old.forgotten {
                root.forgotten = root.forgotten.saturating_sub(1);
            } else {
                root.live = root.live.saturating_sub(1);
            }
        }
        xor(&mut root.sync, &new_hash);
        if new_forgotten {
            root.forgotten += 1;
        } else {
            root.live += 1;
        }
        Ok(())
    }

    /// Marks every bucket for rewriting (when the master key changes).
    pub fn touch_all(&mut self, conn: &Connection) -> Result<()> {
        for b in 0..BUCKETS {
            if self.root.buckets[b] != 0 {
                self.bucket(conn, b)?;
            }
        }
        Ok(())
    }

    /// Writes the touched buckets and the root, sealed under `master` (the vault's master key,
    /// or its replacement when re-keying).
    pub fn commit(mut self, conn: &Connection, master: &Key) -> Result<Root> {
        let version = self.root.counter;
        for (b, entries) in &self.dirty {
            let sealed = master.seal(
                &bucket_aad(self.vault_id, *b, version),
                &encode_bucket(entries),
            );
            conn.prepare_cached(
                "INSERT INTO manifest (bucket, data) VALUES (?1, ?2)
                 ON CONFLICT(bucket) DO UPDATE SET data = excluded.data",
            )?
            .execute(params![*b as i64, sealed])?;
            self.root.buckets[*b] = version;
        }
        store::meta_put(
            conn,
            ROOT_KEY,
            &master.seal(&root_aad(self.vault_id), &self.root.encode()),
        )?;
        Ok(self.root)
    }
}

fn xor(acc: &mut [u8; 32], h: &[u8; 32]) {
    for (a, b) in acc.iter_mut().zip(h) {
        *a ^= b;
    }
}

/// The digest of a key slot row, as the root keeps it.
pub fn slot_digest(id: &str, kind: &str, params: &str, wrapped: &[u8]) -> [u8; 32] {
    sha256(&aad(
        "slot-row",
        &[id.as_bytes(), kind.as_bytes(), params.as_bytes(), wrapped],
    ))
}

/// The digest of a sealed setting row, as the root keeps it.
pub fn setting_digest(name: &str, sealed: &[u8]) -> [u8; 32] {
    sha256(&aad("setting-row", &[name.as_bytes(), sealed]))
}

/// The digest of the sealed owner key, as the root keeps it.
pub fn owner_digest(sealed: &[u8]) -> [u8; 32] {
    sha256(&aad("owner-row", &[sealed]))
}

/// Each bucket's sync digest, for narrowing a difference between replicas.
pub fn bucket_sync_digests(loaded: &Loaded) -> Vec<[u8; 32]> {
    let mut out = vec![[0u8; 32]; BUCKETS];
    for e in loaded.entries() {
        xor(&mut out[bucket_of(&e.id)], &e.sync_hash());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(id: &str, v: u64) -> Entry {
        Entry {
            id: id.into(),
            version: v,
            forgotten: v.is_multiple_of(3),
            header_tag: [v as u8; TAG_LEN],
            heads: [!(v as u8); 32],
        }
    }

    #[test]
    fn root_and_bucket_round_trip() {
        let mut root = Root::empty();
        root.counter = 42;
        root.buckets[7] = 41;
        root.slots.insert("passphrase".into(), [1; 32]);
        root.slots.insert("recovery".into(), [2; 32]);
        root.device = vec![9; 16];
        root.sessions = vec![[3; 16], [4; 16]];
        assert_eq!(Root::decode(&root.encode()), Some(root.clone()));
        root.settings.insert("peers".into(), [5; 32]);
        root.settings.insert("audit".into(), [6; 32]);
        assert_eq!(Root::decode(&root.encode()), Some(root.clone()));
        let mut cut = root.encode();
        cut.pop();
        assert_eq!(Root::decode(&cut), None);
        let mut b = BTreeMap::new();
        for (i, id) in ["aaaaaa", "bbbbbb", "cccccc"].iter().enumerate() {
            b.insert(id.to_string(), entry(id, i as u64 + 1));
        }
        assert_eq!(
            decode_bucket(&encode_bucket(&b)),
            Some(b.into_values().collect())
        );
    }

    #[test]
    fn sync_digest_ignores_local_versions() {
        let a = Entry::live("x", 3, &[9; 40], [5; 32]);
        let b = Entry::live("x", 900, &[1; 40], [5; 32]);
        assert_eq!(a.sync_hash(), b.sync_hash());
        assert_ne!(a.sync_hash(), Entry::forgotten("x", 3).sync_hash());
    }

    #[test]
    fn the_index_holds_what_the_bucket_decoder_reads() {
        let mut by_bucket: BTreeMap<usize, BTreeMap<String, Entry>> = BTreeMap::new();
        for i in 0..600u64 {
            let id = crate::ids::new_id();
            by_bucket
                .entry(bucket_of(&id))
                .or_default()
                .insert(id.clone(), entry(&id, i));
        }
        let mut index = Index::default();
        let mut odd = Vec::new();
        for (b, entries) in &by_bucket {
            let bytes = encode_bucket(entries);
            assert_eq!(index_bucket(&bytes, *b, &mut index, &mut odd), Some(()));
            // In the wrong bucket, or cut short: refused, and nothing of it kept.
            let before = index.len();
            assert!(
                index_bucket(&bytes, (*b + 1) % BUCKETS, &mut Index::default(), &mut odd).is_none()
            );
            assert!(index_bucket(&bytes[..bytes.len() - 1], *b, &mut index, &mut odd).is_none());
            assert_eq!(index.len(), before);
        }
        assert!(odd.is_empty());
        for entries in by_bucket.values() {
            for (id, e) in entries {
                assert_eq!(index.get(id.as_bytes()).copied(), Some(e.known()));
            }
        }
    }

    proptest! {
        #[test]
        fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let _ = Root::decode(&bytes);
            let decoded = decode_bucket(&bytes);
            let mut index = Index::default();
            let mut odd = Vec::new();
            let indexed = index_bucket(&bytes, 0, &mut index, &mut odd);
            // Whatever the bucket decoder refuses, the index refuses too.
            if decoded.is_none() {
                prop_assert!(indexed.is_none());
            }
        }
    }
}
