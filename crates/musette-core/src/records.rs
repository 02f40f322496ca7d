//! Record storage: sealed headers and sealed automerge chunks, one transaction per write.
//!
//! Each record row holds its data key (wrapped by the master key) and a sealed *header*: the
//! record's current state plus the range of chunk numbers that make up its document. Listing and
//! searching read headers only; `show`, `history` and every write load the document itself from
//! its chunks: one full save (the snapshot, at chunk `base`) and the incremental changes after it
//! (up to chunk `last`). Every chunk is sealed with the record's data key and bound to the record
//! id, its number and its kind, so a chunk flipped, moved, swapped with another record's or
//! restored from before a compaction fails to open or is found missing from, or foreign to, the
//! range the header names.
//!
//! Every write bumps the vault's counter and gives the record that version in the manifest
//! ([`crate::manifest`]); the header is sealed with its version in the associated data, and the
//! manifest keeps the header's tag, so a header put back from an older copy (with its chunks) no
//! longer opens, a record whose rows were deleted is missed, and a forgotten record whose rows
//! come back is refused.
//!
//! Headers are padded with spaces and chunks with zeros (behind a length) to Padmé size buckets,
//! so sizes on disk show little of the content's length.
//!
//! Writes run in an immediate SQLite transaction that first re-reads the record, so two
//! processes editing one record take turns, each building on the other's change: nothing is lost.

use crate::i18n::CORE;
use crate::msg;
use automerge::{
    ActorId, AutoCommit, ROOT, ReadDoc,
    transaction::{CommitOptions, Transactable},
};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::crypto::{Key, aad, pad, padded_len, unpad};
use crate::error::{Error, Result};
use crate::ids;
use crate::manifest::{self, Entry, Known};
use crate::model::{self, Kind};
use crate::record::{self, RecordState};
use crate::vault::Vault;

/// A chunk holding a full save of the document.
pub(crate) const CHUNK_SNAPSHOT: i64 = 0;
/// A chunk holding changes made after the previous chunk.
pub(crate) const CHUNK_CHANGES: i64 = 1;
/// [`CHUNK_SNAPSHOT`], padded (what this version writes).
pub(crate) const CHUNK_SNAPSHOT_PADDED: i64 = 2;
/// [`CHUNK_CHANGES`], padded (what this version writes).
pub(crate) const CHUNK_CHANGES_PADDED: i64 = 3;
/// The smallest sealed header or chunk plaintext.
const PAD_FLOOR: usize = 512;
/// How many change chunks pile up before they are folded into a new snapshot.
pub const COMPACT_AFTER: u64 = 32;

/// A record's data key, unwrapped with the master key (what [`Vault::record_key`] does, for
/// code that holds the keys but not the vault, such as listing threads).
pub(crate) fn unwrap_record_key(
    master: &Key,
    vault_id: &[u8],
    id: &str,
    wrapped: &[u8],
) -> Result<Key> {
    master
        .unwrap_key(&key_aad(vault_id, id), wrapped)
        .ok_or_else(|| Error::damaged(id, msg!(CORE, "data-key-not-open")))
}

/// The setting that holds contacts' names by did: `{record id: [did, name]}`.
pub(crate) const CONTACT_INDEX: &str = "index:contacts";

/// What the contact index holds for a record: a live contact's did and name.
pub(crate) fn contact_entry(state: &RecordState) -> Option<(String, String)> {
    if state.kind != Kind::Contact || state.deleted {
        return None;
    }
    match (state.fields.get("did"), state.fields.get("name")) {
        (Some(Value::String(did)), Some(Value::String(name))) => Some((did.clone(), name.clone())),
        _ => None,
    }
}

/// The sealed header of a record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Header {
    pub title: String,
    pub state: RecordState,
    /// The chunk holding the snapshot.
    pub base: u64,
    /// The newest chunk.
    pub last: u64,
    /// The chain of the chunks `base..=last` (see [`chain`]), so the manifest, which vouches
    /// for the header, vouches for the chunks too: a chunk row replaced by another one that
    /// opens (another device's chunk of the same number, an older copy) is found on the next
    /// read. Headers written before it have none, until the record's next write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunks: Option<String>,
}

/// The next link of a record's chunk chain: SHA-256 over the previous link (zeros before the
/// base chunk) and the chunk's AES-GCM tag (the digest of that exact sealed chunk).
pub(crate) fn chain(previous: &[u8; 32], sealed_chunk: &[u8]) -> [u8; 32] {
    let tag = &sealed_chunk[sealed_chunk.len().saturating_sub(manifest::TAG_LEN)..];
    crate::crypto::sha256(&[b"musette chunk chain".as_slice(), previous, tag].concat())
}

/// A line of `list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The record id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Its title (the required field, shortened).
    pub title: String,
    /// Its date, as a listing shows it: an experience's start – end, a document's due date (or
    /// date), a badge's issue date, an evidence's or recommendation's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// For a co-signed recommendation: whether it was edited since it was signed (then its
    /// signatures no longer count); `None` for anything else. (`list --json` says it as
    /// `signatures_valid`.)
    #[serde(skip)]
    pub signatures_void: Option<bool>,
    /// Its tags.
    pub tags: Vec<String>,
    /// When it last changed.
    pub updated: String,
    /// Whether it was removed with `rm`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// A whole record, as `show` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The record id.
    pub id: String,
    /// Its state.
    pub state: RecordState,
    /// Its title.
    pub title: String,
}

/// What `add` did.
#[derive(Debug, Clone)]
pub struct Added {
    /// The new record's id.
    pub id: String,
    /// Fields the kind does not know, kept as they are (a caller may warn of typos).
    pub extra_fields: Vec<String>,
}

/// Which records `list` returns.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only records whose title, fields or tags contain this text (any case, with or without
    /// accents: "helene" finds "Hélène").
    pub search: Option<String>,
    /// Only records carrying every one of these tags.
    pub tags: Vec<String>,
    /// Records removed with `rm` too.
    pub include_deleted: bool,
}

/// An entry of a record's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// When (RFC 3339).
    pub time: String,
    /// The device that made the change (its id, hex).
    pub device: String,
    /// Whether that device is this one.
    pub this_device: bool,
    /// What was done: add, edit, rm, undo, attach, detach.
    pub action: String,
    /// Fields (or attachment names) it touched.
    pub fields: Vec<String>,
}

/// A change to make to a record's fields and tags.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    /// Fields to set.
    pub set: Map<String, Value>,
    /// Fields to remove.
    pub unset: Vec<String>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct ChangeNote {
    action: String,
    #[serde(default)]
    fields: Vec<String>,
}

pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) fn key_aad(vault_id: &[u8], id: &str) -> Vec<u8> {
    aad("record-key", &[vault_id, id.as_bytes()])
}

/// A header's associated data: the record and its version in the manifest.
fn header_aad(id: &str, version: u64) -> Vec<u8> {
    aad("header-v", &[id.as_bytes(), &version.to_be_bytes()])
}

/// The associated data of headers written before the manifest (opened once, to upgrade them).
pub(crate) fn legacy_header_aad(id: &str) -> Vec<u8> {
    aad("header", &[id.as_bytes()])
}

/// SHA-256 of a document's heads, as the manifest keeps it.
pub(crate) fn heads_of(doc: &mut AutoCommit) -> [u8; 32] {
    manifest::heads_digest(&doc.get_heads())
}

/// A column of a row, as bytes; a value of another type is damage to that record.
pub(crate) fn blob_col<'r>(row: &'r rusqlite::Row<'_>, i: usize, id: &str) -> Result<&'r [u8]> {
    row.get_ref(i)?
        .as_blob()
        .map_err(|_| Error::damaged(id, msg!(CORE, "row-column-type", column = i)))
}

/// A column of a row, as an integer; a value of another type is damage to that record.
pub(crate) fn int_col(row: &rusqlite::Row<'_>, i: usize, id: &str) -> Result<i64> {
    row.get_ref(i)?
        .as_i64()
        .map_err(|_| Error::damaged(id, msg!(CORE, "row-column-type", column = i)))
}

/// A record id column; anything but a well-formed id is damage, named by what can be shown.
pub(crate) fn id_col(row: &rusqlite::Row<'_>, i: usize) -> Result<String> {
    match row.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) if s.len() == ids::ID_LEN && ids::check_prefix(s).is_ok() => Ok(s.to_string()),
            _ => Err(Error::damaged(
                &String::from_utf8_lossy(t)
                    .chars()
                    .take(40)
                    .collect::<String>(),
                msg!(CORE, "row-id-invalid"),
            )),
        },
        other => Err(Error::damaged(
            "?",
            msg!(
                CORE,
                "row-id-type",
                kind = format!("{:?}", other.data_type())
            ),
        )),
    }
}

pub(crate) fn chunk_aad(id: &str, seq: u64, kind: i64) -> Vec<u8> {
    aad(
        "chunk",
        &[id.as_bytes(), &seq.to_be_bytes(), &kind.to_be_bytes()],
    )
}

fn commit_options(action: &str, fields: Vec<String>) -> CommitOptions {
    let note = ChangeNote {
        action: action.to_string(),
        fields,
    };
    CommitOptions::default()
        .with_message(serde_json::to_string(&note).unwrap_or_default())
        .with_time(now_ms())
}

impl Vault {
    /// Resolves a record id or unique prefix (of at least 6 characters) to a full id. A full id
    /// that the manifest knows as live but whose rows are gone is damage, not absence.
    pub fn resolve(&self, prefix: &str) -> Result<String> {
        match resolve_in(&self.conn, prefix) {
            Err(Error::NoSuchRecord(p)) if p.trim().len() == ids::ID_LEN => {
                let id = p.trim().to_ascii_lowercase();
                let root = manifest::read_root(&self.conn, &self.master, &self.vault_id)?;
                let bucket = manifest::read_bucket(
                    &self.conn,
                    &self.master,
                    &self.vault_id,
                    &root,
                    manifest::bucket_of(&id),
                )?;
                match bucket.get(&id) {
                    Some(e) if !e.forgotten => Err(missing_rows(&id)),
                    _ => Err(Error::NoSuchRecord(p)),
                }
            }
            other => other,
        }
    }

    pub(crate) fn record_key(&self, id: &str, wrapped: &[u8]) -> Result<Key> {
        unwrap_record_key(&self.master, &self.vault_id, id, wrapped)
    }

    /// Reads a record's key and header, checking them against the manifest.
    pub(crate) fn load_header(&self, conn: &Connection, id: &str) -> Result<(Key, Header)> {
        let root = manifest::read_root(conn, &self.master, &self.vault_id)?;
        let entry = manifest::read_bucket(
            conn,
            &self.master,
            &self.vault_id,
            &root,
            manifest::bucket_of(id),
        )
        .map_err(|e| {
            Error::damaged(
                id,
                msg!(CORE, "manifest-entry-unreadable", why = e.to_msg()),
            )
        })?
        .remove(id)
        .map(|e| e.known());
        let mut stmt = conn.prepare_cached("SELECT key, header FROM records WHERE id = ?1")?;
        let mut rows = stmt.query(params![id])?;
        let Some(row) = rows.next()? else {
            return Err(match entry {
                Some(e) if !e.forgotten => missing_rows(id),
                _ => Error::NoSuchRecord(id.to_string()),
            });
        };
        let (wrapped, sealed) = (blob_col(row, 0, id)?, blob_col(row, 1, id)?);
        self.open_checked(id, entry, wrapped, sealed)
    }

    /// Opens a record's key and header against its manifest entry.
    pub(crate) fn open_checked(
        &self,
        id: &str,
        entry: Option<Known>,
        wrapped: &[u8],
        sealed: &[u8],
    ) -> Result<(Key, Header)> {
        let entry = check_entry(id, entry, sealed)?;
        let key = self.record_key(id, wrapped)?;
        let header = open_header(&key, id, entry.version, sealed)?;
        Ok((key, header))
    }

    pub(crate) fn load_doc(
        &self,
        conn: &Connection,
        id: &str,
        key: &Key,
        header: &Header,
    ) -> Result<AutoCommit> {
        Ok(self.load_doc_chained(conn, id, key, header)?.0)
    }

    /// [`Vault::load_doc`], with the chain of the chunks read (checked against the header's).
    pub(crate) fn load_doc_chained(
        &self,
        conn: &Connection,
        id: &str,
        key: &Key,
        header: &Header,
    ) -> Result<(AutoCommit, [u8; 32])> {
        let mut stmt = conn
            .prepare_cached("SELECT seq, kind, data FROM chunks WHERE record = ?1 ORDER BY seq")?;
        let mut rows = stmt.query(params![id])?;
        let mut reader = ChunkReader::new(id, key, header.base, header.last);
        while let Some(row) = rows.next()? {
            reader.push(
                int_col(row, 0, id)?,
                int_col(row, 1, id)?,
                blob_col(row, 2, id)?,
            )?;
        }
        let chained = reader.chained();
        check_chain(id, header, &chained)?;
        let mut doc = reader.finish()?;
        doc.set_actor(ActorId::from(self.device.as_slice()));
        Ok((doc, chained))
    }

    /// Creates a record; `fields` are checked against the kind's rules.
    pub fn add(
        &mut self,
        kind: Kind,
        mut fields: Map<String, Value>,
        tags: &[String],
    ) -> Result<Added> {
        let extra_fields = self.validate(kind, &mut fields)?;
        for tag in tags {
            model::validate_tag(tag)?;
        }
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        let id = self.add_in(&tx, &mut m, kind, &fields, tags)?;
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        Ok(Added { id, extra_fields })
    }

    /// Adds a record inside a transaction already open, with the manifest update `m` that
    /// commits with it; the fields are validated already. Returns its id.
    pub(crate) fn add_in(
        &self,
        tx: &Connection,
        m: &mut manifest::Update,
        kind: Kind,
        fields: &Map<String, Value>,
        tags: &[String],
    ) -> Result<String> {
        let id = ids::new_id();
        let key = Key::random();
        let now = now_rfc3339();
        let names: Vec<String> = fields.keys().cloned().collect();
        let mut doc = AutoCommit::new().with_actor(ActorId::from(self.device.as_slice()));
        record::new_document(&mut doc, kind, fields, tags, &now).map_err(internal)?;
        doc.commit_with(commit_options("add", names));
        let snapshot = doc.save();
        let heads = heads_of(&mut doc);
        let state = record::read_state(&doc, &id)?;
        let (chunk_kind, sealed_chunk) = seal_chunk(&key, &id, 0, &snapshot, true);
        let header = Header {
            title: model::title_of(kind, &state.fields),
            state,
            base: 0,
            last: 0,
            chunks: Some(crate::crypto::hex(&chain(&[0; 32], &sealed_chunk))),
        };
        if m.get(tx, &id)?.is_some() {
            return Err(Error::Internal(format!("record id {id} was drawn twice")));
        }
        let sealed = seal_header(&key, &id, m.version(), &header)?;
        let size = sealed.len() + sealed_chunk.len();
        if size > model::MAX_RECORD_BYTES {
            return Err(model::too_large(size));
        }
        tx.execute(
            "INSERT INTO records (rowid, id, key, header) VALUES (?4, ?1, ?2, ?3)",
            params![
                id,
                self.master.wrap(&key_aad(&self.vault_id, &id), &key),
                sealed,
                crate::store::random_rowid()
            ],
        )?;
        put_chunk(tx, &id, 0, chunk_kind, &sealed_chunk)?;
        self.index_contact(tx, m, &id, None, Some(&header.state))?;
        m.set(tx, Entry::live(&id, m.version(), &sealed, heads))?;
        Ok(id)
    }

    fn validate(&self, kind: Kind, fields: &mut Map<String, Value>) -> Result<Vec<String>> {
        let conn = &self.conn;
        model::validate_fields(kind, fields, &mut |r| resolve_in(conn, r))
    }

    /// A change to a record this small is taken even past [`model::MAX_RECORD_BYTES`].
    const SMALL_CHANGE: usize = 64 << 10;
    /// ... up to this size in all; past it, only a change that does not grow it.
    const SMALL_CEILING: usize = 32 << 20;

    /// Runs one write on a record in one immediate transaction: loads the newest document, lets
    /// `change` modify it, and stores the change as a new chunk with the new header. Returns
    /// whether anything changed.
    pub(crate) fn write_record<T>(
        &self,
        id: &str,
        action: &str,
        change: impl FnOnce(
            &Connection,
            &Key,
            &mut AutoCommit,
            &RecordState,
        ) -> Result<(T, Vec<String>)>,
    ) -> Result<(T, bool)> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = None;
        let out = self.write_record_in(&tx, &mut m, id, action, change)?;
        if let Some(m) = m {
            m.commit(&tx, &self.master)?;
            tx.commit()?;
        }
        Ok(out)
    }

    /// [`Vault::write_record`] inside a transaction already open. The manifest update is begun
    /// in `m` when the record changes (so a write that changes nothing writes nothing); the
    /// caller commits it with the transaction.
    pub(crate) fn write_record_in<'v, T>(
        &'v self,
        tx: &Connection,
        m: &mut Option<manifest::Update<'v>>,
        id: &str,
        action: &str,
        change: impl FnOnce(
            &Connection,
            &Key,
            &mut AutoCommit,
            &RecordState,
        ) -> Result<(T, Vec<String>)>,
    ) -> Result<(T, bool)> {
        let (key, mut header) = self.load_header(tx, id)?;
        let (mut doc, chained) = self.load_doc_chained(tx, id, &key, &header)?;
        let before = doc.get_heads();
        // What the document holds, uncompressed: its history as memory holds it once loaded
        // (what is stored may be deflated far smaller).
        let held_before = doc.save_nocompress().len();
        let (out, touched) = change(tx, &key, &mut doc, &header.state)?;
        if doc.pending_ops() == 0 {
            return Ok((out, false));
        }
        doc.put(ROOT, "updated", now_rfc3339()).map_err(internal)?;
        doc.commit_with(commit_options(action, touched));
        let seq = header.last + 1;
        let sealed_chunk = insert_chunk(tx, &key, id, seq, &doc.save_after(&before), false)?;
        header.last = seq;
        header.chunks = Some(crate::crypto::hex(&chain(&chained, &sealed_chunk)));
        if seq - header.base >= COMPACT_AFTER {
            store_snapshot(tx, &key, id, &mut header, &doc.save())?;
        }
        let before = std::mem::replace(&mut header.state, record::read_state(&doc, id)?);
        header.title = model::title_of(header.state.kind, &header.state.fields);
        if m.is_none() {
            *m = Some(manifest::Update::begin(tx, &self.master, &self.vault_id)?);
        }
        let m = m
            .as_mut()
            .ok_or_else(|| Error::Internal("no manifest update".into()))?;
        self.index_contact(tx, m, id, Some(&before), Some(&header.state))?;
        let sealed = seal_header(&key, id, m.version(), &header)?;
        // Its header and document as they would be stored, or as they are once loaded when that
        // is more (a history of values that deflate well): past the limit, nothing is written
        // (the transaction is dropped).
        let (old_header, chunks): (i64, i64) = tx.query_row(
            "SELECT (SELECT length(header) FROM records WHERE id = ?1), \
             COALESCE(SUM(length(data)), 0) FROM chunks WHERE record = ?1",
            params![id],
            |r| Ok((r.get::<_, Option<i64>>(0)?.unwrap_or(0), r.get(1)?)),
        )?;
        let held = doc.save_nocompress().len();
        let size = sealed
            .len()
            .saturating_add(usize::try_from(chunks).unwrap_or(usize::MAX).max(held));
        let grew = (sealed.len() + held)
            .saturating_sub(usize::try_from(old_header).unwrap_or(0) + held_before);
        // A small change (removing it, a tag, a field unset, an attachment noted) still goes
        // through on a record past the limit (merged so from several devices): it can always
        // be tidied, not only forgotten.
        // Small changes only up to a ceiling, well under what one sync message carries: past
        // it, only a change that does not make it larger (a field removed).
        if size > model::MAX_RECORD_BYTES
            && (grew > Self::SMALL_CHANGE || (grew > 0 && size > Self::SMALL_CEILING))
        {
            return Err(model::too_large(size));
        }
        tx.execute(
            "UPDATE records SET header = ?2 WHERE id = ?1",
            params![id, sealed],
        )?;
        m.set(
            tx,
            Entry::live(id, m.version(), &sealed, heads_of(&mut doc)),
        )?;
        Ok((out, true))
    }

    /// Keeps the contact index (contacts' names by did) in step with a record's change, in
    /// the write's own transaction. An index not yet built is left for [`Vault::contact_names`]
    /// to build.
    pub(crate) fn index_contact(
        &self,
        tx: &Connection,
        m: &mut manifest::Update,
        id: &str,
        before: Option<&RecordState>,
        after: Option<&RecordState>,
    ) -> Result<()> {
        let (old, new) = (
            before.and_then(contact_entry),
            after.and_then(contact_entry),
        );
        if old == new {
            return Ok(());
        }
        let Some(Value::Object(mut index)) = self.read_setting(&m.root, CONTACT_INDEX)? else {
            return Ok(());
        };
        match new {
            Some((did, name)) => {
                index.insert(id.to_string(), serde_json::json!([did, name]));
            }
            None => {
                index.remove(id);
            }
        }
        self.put_setting_in(tx, m, CONTACT_INDEX, &Value::Object(index))
    }

    /// Takes a forgotten record out of the contact index.
    pub(crate) fn unindex_contact(
        &self,
        tx: &Connection,
        m: &mut manifest::Update,
        id: &str,
    ) -> Result<()> {
        let Some(Value::Object(mut index)) = self.read_setting(&m.root, CONTACT_INDEX)? else {
            return Ok(());
        };
        if index.remove(id).is_some() {
            self.put_setting_in(tx, m, CONTACT_INDEX, &Value::Object(index))?;
        }
        Ok(())
    }

    /// Marks the contact index as out of step (a merge from another device changed a
    /// contact): it is built again from the records when next needed.
    pub(crate) fn contact_index_stale(
        &self,
        tx: &Connection,
        m: &mut manifest::Update,
    ) -> Result<()> {
        if m.root.settings.contains_key(CONTACT_INDEX) {
            self.drop_setting_in(tx, m, CONTACT_INDEX)?;
        }
        Ok(())
    }

    /// Changes a record's fields and tags; returns whether anything changed.
    pub fn edit(&mut self, id: &str, edit: &Edit) -> Result<bool> {
        let id = self.resolve(id)?;
        for tag in &edit.add_tags {
            model::validate_tag(tag)?;
        }
        let (_, changed) = self.write_record(&id, "edit", |conn, _, doc, state| {
            let mut fields = state.fields.clone();
            for (k, v) in &edit.set {
                fields.insert(k.clone(), v.clone());
            }
            for k in &edit.unset {
                fields.shift_remove(k);
            }
            model::validate_fields(state.kind, &mut fields, &mut |r| resolve_in(conn, r))?;
            let mut changes: Vec<(String, Option<Value>)> = Vec::new();
            let mut touched = Vec::new();
            for (k, v) in &fields {
                if state.fields.get(k) != Some(v) {
                    changes.push((k.clone(), Some(v.clone())));
                    touched.push(k.clone());
                }
            }
            for k in state.fields.keys() {
                if !fields.contains_key(k) {
                    changes.push((k.clone(), None));
                    touched.push(k.clone());
                }
            }
            record::apply_field_changes(doc, &changes).map_err(internal)?;
            record::apply_tag_changes(doc, &edit.add_tags, &edit.remove_tags).map_err(internal)?;
            if !edit.add_tags.is_empty() || !edit.remove_tags.is_empty() {
                touched.push("tags".into());
            }
            Ok(((), touched))
        })?;
        Ok(changed)
    }

    /// Removes a record (`rm`), or with `undo` restores it. Returns whether anything changed.
    pub fn remove(&mut self, id: &str, undo: bool) -> Result<bool> {
        let id = self.resolve(id)?;
        let action = if undo { "undo" } else { "rm" };
        let (_, changed) = self.write_record(&id, action, |_, _, doc, state| {
            if state.deleted != undo {
                return Ok(((), vec![]));
            }
            doc.put(ROOT, "deleted", !undo).map_err(internal)?;
            Ok(((), vec![]))
        })?;
        Ok(changed)
    }

    /// Destroys a record for good: its chunks, attachments and data key are deleted
    /// (crypto-shredding; deleted pages are overwritten). Returns the full id.
    pub fn forget(&mut self, id: &str) -> Result<String> {
        // A record whose rows were deleted outside musette can be forgotten too, by its full id:
        // that acknowledges the loss.
        let id = match self.resolve(id) {
            Err(Error::Damaged { record, .. }) if record.len() == ids::ID_LEN => record,
            other => other?,
        };
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut m = manifest::Update::begin(&tx, &self.master, &self.vault_id)?;
        tx.execute("DELETE FROM blobs WHERE record = ?1", params![id])?;
        tx.execute("DELETE FROM chunks WHERE record = ?1", params![id])?;
        tx.execute("DELETE FROM records WHERE id = ?1", params![id])?;
        self.unindex_contact(&tx, &mut m, &id)?;
        m.set(&tx, Entry::forgotten(&id, m.version()))?;
        m.commit(&tx, &self.master)?;
        tx.commit()?;
        // Free the pages and fold the write-ahead log back so the old ciphertext leaves both;
        // best effort, as a reader elsewhere may hold the file open.
        crate::store::reclaim(&self.conn);
        Ok(id)
    }

    /// A record's automerge document, whole (every change, with its history), as automerge
    /// saves it: what `export all` writes beside the readable JSON.
    pub fn document_bytes(&self, id: &str) -> Result<Vec<u8>> {
        let id = self.resolve(id)?;
        let (key, header) = self.load_header(&self.conn, &id)?;
        let mut doc = self.load_doc(&self.conn, &id, &key, &header)?;
        Ok(doc.save())
    }

    /// Reads a record from its document.
    pub fn show(&self, id: &str) -> Result<Record> {
        let id = self.resolve(id)?;
        let tx = self.conn.unchecked_transaction()?;
        let (key, header) = self.load_header(&tx, &id)?;
        let doc = self.load_doc(&tx, &id, &key, &header)?;
        let state = record::read_state(&doc, &id)?;
        let title = model::title_of(state.kind, &state.fields);
        Ok(Record { id, state, title })
    }
    /// The changes that made a record, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<HistoryEntry>> {
        let id = self.resolve(id)?;
        let tx = self.conn.unchecked_transaction()?;
        let (key, header) = self.load_header(&tx, &id)?;
        let mut doc = self.load_doc(&tx, &id, &key, &header)?;
        let me = ActorId::from(self.device.as_slice());
        let mut out = Vec::new();
        for change in doc.get_changes(&[]) {
            let note: ChangeNote = change
                .message()
                .and_then(|m| serde_json::from_str(m).ok())
                .unwrap_or(ChangeNote {
                    action: "change".into(),
                    fields: vec![],
                });
            let time = time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(change.timestamp()) * 1_000_000,
            )
            .ok()
            .and_then(|t| t.replace_nanosecond(0).ok())
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
            out.push(HistoryEntry {
                time,
                device: change.actor_id().to_hex_string(),
                this_device: change.actor_id() == &me,
                action: note.action,
                fields: note.fields,
            });
        }
        Ok(out)
    }
    /// Every record id, in order. Rows whose id is malformed are left out (`list` and
    /// `doctor` report them).
    pub fn record_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM records ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut ids = Vec::new();
        while let Some(row) = rows.next()? {
            if let Ok(id) = id_col(row, 0) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

/// Rebuilds a record's document from its sealed chunks, given in order, checking that they are
/// exactly the chunks `base..=last`, of the right kinds, each opening under the record's key.
pub(crate) struct ChunkReader<'k> {
    id: &'k str,
    key: &'k Key,
    base: u64,
    last: u64,
    expected: u64,
    doc: Option<AutoCommit>,
    /// Only check the chunks open, without loading the document.
    check_only: bool,
    /// The chain of the chunks pushed so far.
    chained: [u8; 32],
}

impl<'k> ChunkReader<'k> {
    pub(crate) fn new(id: &'k str, key: &'k Key, base: u64, last: u64) -> Self {
        ChunkReader {
            id,
            key,
            base,
            last,
            expected: base,
            doc: None,
            check_only: false,
            chained: [0; 32],
        }
    }

    /// The chain of the chunks pushed so far (see [`chain`]).
    pub(crate) fn chained(&self) -> [u8; 32] {
        self.chained
    }

    /// A reader that checks each chunk (its place, kind, integrity and padding) without
    /// loading the document: [`ChunkReader::finish_check`] ends it.
    pub(crate) fn checking(id: &'k str, key: &'k Key, base: u64, last: u64) -> Self {
        ChunkReader {
            check_only: true,
            ..ChunkReader::new(id, key, base, last)
        }
    }

    /// Adds the next chunk.
    pub(crate) fn push(&mut self, seq: i64, kind: i64, data: &[u8]) -> Result<()> {
        let id = self.id;
        let seq =
            u64::try_from(seq).map_err(|_| Error::damaged(id, msg!(CORE, "chunk-negative")))?;
        if seq != self.expected || seq > self.last {
            return Err(Error::damaged(
                id,
                msg!(
                    CORE,
                    "chunk-out-of-place",
                    n = seq,
                    first = self.base,
                    last = self.last
                ),
            ));
        }
        let want_kinds = if seq == self.base {
            [CHUNK_SNAPSHOT, CHUNK_SNAPSHOT_PADDED]
        } else {
            [CHUNK_CHANGES, CHUNK_CHANGES_PADDED]
        };
        if !want_kinds.contains(&kind) {
            return Err(Error::damaged(id, msg!(CORE, "chunk-kind", n = seq)));
        }
        let opened = self
            .key
            .open(&chunk_aad(id, seq, kind), data)
            .ok_or_else(|| Error::damaged(id, msg!(CORE, "chunk-integrity", n = seq)))?;
        self.chained = chain(&self.chained, data);
        let plain = if kind == CHUNK_SNAPSHOT_PADDED || kind == CHUNK_CHANGES_PADDED {
            unpad(&opened).ok_or_else(|| Error::damaged(id, msg!(CORE, "chunk-length", n = seq)))?
        } else {
            &opened[..]
        };
        if self.check_only {
            self.expected += 1;
            return Ok(());
        }
        let bad = |e: automerge::AutomergeError| {
            Error::damaged(id, msg!(CORE, "chunk-decode", n = seq, why = e.to_string()))
        };
        match self.doc.as_mut() {
            None => self.doc = Some(AutoCommit::load(plain).map_err(bad)?),
            Some(d) => {
                d.load_incremental(plain).map_err(bad)?;
            }
        }
        self.expected += 1;
        Ok(())
    }

    /// Checks every chunk was given (for a reader that only checks).
    pub(crate) fn finish_check(&self) -> Result<()> {
        if self.expected != self.last + 1 {
            return Err(Error::damaged(
                self.id,
                msg!(CORE, "chunk-missing", n = self.expected),
            ));
        }
        Ok(())
    }

    /// The document, once every chunk was given.
    pub(crate) fn finish(self) -> Result<AutoCommit> {
        let id = self.id;
        self.finish_check()?;
        let doc = self
            .doc
            .ok_or_else(|| Error::damaged(id, msg!(CORE, "document-no-chunks")))?;
        if !doc.get_missing_deps(&[]).is_empty() {
            return Err(Error::damaged(id, msg!(CORE, "document-missing-changes")));
        }
        Ok(doc)
    }
}

/// The error for a record the manifest holds but whose rows are gone.
pub(crate) fn missing_rows(id: &str) -> Error {
    Error::damaged(id, msg!(CORE, "rows-missing"))
}

/// Checks a stored header against what the manifest says of its record.
pub(crate) fn check_entry(id: &str, entry: Option<Known>, sealed: &[u8]) -> Result<Known> {
    match entry {
        None => Err(Error::damaged(id, msg!(CORE, "record-unknown"))),
        Some(e) if e.forgotten => Err(Error::damaged(id, msg!(CORE, "record-forgotten-back"))),
        Some(e) if !e.names_header(sealed) => {
            Err(Error::damaged(id, msg!(CORE, "header-rolled-back")))
        }
        Some(e) => Ok(e),
    }
}

pub(crate) fn resolve_in(conn: &Connection, prefix: &str) -> Result<String> {
    let p = ids::check_prefix(prefix)?;
    let mut stmt = conn
        .prepare_cached("SELECT id FROM records WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2")?;
    let found: Vec<String> = stmt
        .query_map(params![p, format!("{p}~")], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [] => Err(Error::NoSuchRecord(prefix.to_string())),
        [one] => Ok(one.clone()),
        _ => Err(Error::invalid(msg!(
            CORE,
            "id-prefix-ambiguous",
            prefix = format!("{prefix:?}")
        ))),
    }
}

/// Stores `snapshot` as the record's new base chunk, after its last one, and deletes the chunks
/// it replaces (in the caller's transaction); the header then names it alone.
pub(crate) fn store_snapshot(
    conn: &Connection,
    key: &Key,
    id: &str,
    header: &mut Header,
    snapshot: &[u8],
) -> Result<()> {
    let snap = header.last + 1;
    let sealed = insert_chunk(conn, key, id, snap, snapshot, true)?;
    conn.execute(
        "DELETE FROM chunks WHERE record = ?1 AND seq < ?2",
        params![id, snap as i64],
    )?;
    header.base = snap;
    header.last = snap;
    header.chunks = Some(crate::crypto::hex(&chain(&[0; 32], &sealed)));
    Ok(())
}

/// Checks the chain of the chunks read against the header's (when it has one).
pub(crate) fn check_chain(id: &str, header: &Header, chained: &[u8; 32]) -> Result<()> {
    check_chain_of(id, header.chunks.as_deref(), chained)
}

/// [`check_chain`], given the header's chain.
pub(crate) fn check_chain_of(id: &str, chunks: Option<&str>, chained: &[u8; 32]) -> Result<()> {
    match chunks {
        Some(want) if want != crate::crypto::hex(chained) => {
            Err(Error::damaged(id, msg!(CORE, "chunks-replaced")))
        }
        _ => Ok(()),
    }
}

/// Seals one chunk of a record's document, padded: its kind and its sealed bytes.
pub(crate) fn seal_chunk(
    key: &Key,
    id: &str,
    seq: u64,
    bytes: &[u8],
    snapshot: bool,
) -> (i64, Vec<u8>) {
    let kind = if snapshot {
        CHUNK_SNAPSHOT_PADDED
    } else {
        CHUNK_CHANGES_PADDED
    };
    (
        kind,
        key.seal(&chunk_aad(id, seq, kind), &pad(bytes, PAD_FLOOR)),
    )
}

/// Stores one sealed chunk.
pub(crate) fn put_chunk(
    conn: &Connection,
    id: &str,
    seq: u64,
    kind: i64,
    sealed: &[u8],
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO chunks (rowid, record, seq, kind, data) VALUES (?5, ?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        id,
        seq as i64,
        kind,
        sealed,
        crate::store::random_rowid()
    ])?;
    Ok(())
}

/// Seals and stores one chunk of a record's document, padded; returns it sealed.
pub(crate) fn insert_chunk(
    conn: &Connection,
    key: &Key,
    id: &str,
    seq: u64,
    bytes: &[u8],
    snapshot: bool,
) -> Result<Vec<u8>> {
    let (kind, sealed) = seal_chunk(key, id, seq, bytes, snapshot);
    put_chunk(conn, id, seq, kind, &sealed)?;
    Ok(sealed)
}

/// Seals a header for `version`, padded with trailing spaces (which JSON ignores).
pub(crate) fn seal_header(key: &Key, id: &str, version: u64, header: &Header) -> Result<Vec<u8>> {
    let mut json = zeroize::Zeroizing::new(
        serde_json::to_vec(header).map_err(|e| Error::Internal(e.to_string()))?,
    );
    let len = padded_len(json.len(), PAD_FLOOR);
    json.resize(len, b' ');
    Ok(key.seal(&header_aad(id, version), &json))
}

pub(crate) fn open_header_bytes(
    key: &Key,
    id: &str,
    version: u64,
    sealed: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    key.open(&header_aad(id, version), sealed)
        .ok_or_else(|| Error::damaged(id, msg!(CORE, "header-integrity")))
}

/// Opens a header sealed for `from` (another replica's counter) and seals the same bytes for
/// `to`: the header, and it sealed again.
pub(crate) fn reseal_header(
    key: &Key,
    id: &str,
    from: u64,
    to: u64,
    sealed: &[u8],
) -> Result<(Header, Vec<u8>)> {
    let plain = open_header_bytes(key, id, from, sealed)?;
    let header = decode_header(id, &plain)?;
    Ok((header, key.seal(&header_aad(id, to), &plain)))
}

/// Seals a header's bytes, as opened from another replica's, for this replica's `version`.
pub(crate) fn seal_header_bytes(key: &Key, id: &str, version: u64, plain: &[u8]) -> Vec<u8> {
    key.seal(&header_aad(id, version), plain)
}

pub(crate) fn open_header(key: &Key, id: &str, version: u64, sealed: &[u8]) -> Result<Header> {
    let plain = open_header_bytes(key, id, version, sealed)?;
    decode_header(id, &plain)
}

/// What storing a record new to this replica needs of its header, read in place: the same
/// shape as [`Header`] is checked (every field present, of its type), but only the kind, the
/// attachments and the chunks are kept. A sync's first copy of a vault reads thousands of
/// headers: decoding each whole (its fields, tags and title copied out, then dropped) was
/// half of the time spent checking them.
#[derive(Deserialize)]
pub(crate) struct HeaderOutline<'a> {
    #[serde(rename = "title", borrow)]
    _title: std::borrow::Cow<'a, str>,
    pub state: StateOutline<'a>,
    pub base: u64,
    pub last: u64,
    #[serde(default, borrow)]
    pub chunks: Option<std::borrow::Cow<'a, str>>,
}

/// The [`crate::record::RecordState`] of a [`HeaderOutline`].
#[derive(Deserialize)]
pub(crate) struct StateOutline<'a> {
    pub kind: crate::model::Kind,
    #[serde(rename = "fields")]
    _fields: AnObject,
    #[serde(rename = "tags", borrow)]
    _tags: Vec<std::borrow::Cow<'a, str>>,
    #[serde(rename = "created", borrow)]
    _created: std::borrow::Cow<'a, str>,
    #[serde(rename = "updated", borrow)]
    _updated: std::borrow::Cow<'a, str>,
    #[serde(rename = "deleted")]
    _deleted: bool,
    pub attachments: Vec<crate::record::AttachmentInfo>,
}

/// A JSON object, whatever it holds, checked as `serde_json::Map<String, Value>` would be
/// (every number in range, every string valid, nesting within the decoder's limit) and
/// skipped: nothing is copied out.
struct AnObject;

impl<'de> Deserialize<'de> for AnObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(AnyValue).map(|_| AnObject)
    }
}

/// Any JSON value, checked as [`serde_json::Value`] would be and skipped. (`IgnoredAny` skips
/// numbers without reading them, so it takes `1e400`, which `Value` refuses.)
#[derive(Clone, Copy)]
struct AnyValue;

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(AnyValue)
    }
}

impl<'de> serde::de::Visitor<'de> for AnyValue {
    type Value = AnyValue;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_unit<E>(self) -> std::result::Result<AnyValue, E> {
        Ok(AnyValue)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<AnyValue, A::Error> {
        while seq.next_element::<AnyValue>()?.is_some() {}
        Ok(AnyValue)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<AnyValue, A::Error> {
        while map.next_entry::<AnyValue, AnyValue>()?.is_some() {}
        Ok(AnyValue)
    }
}

/// [`decode_header`], as a [`HeaderOutline`].
pub(crate) fn decode_outline<'a>(id: &str, plain: &'a [u8]) -> Result<HeaderOutline<'a>> {
    serde_json::from_slice(plain)
        .map_err(|e| Error::damaged(id, msg!(CORE, "header-decode", why = e.to_string())))
}

pub(crate) fn decode_header(id: &str, plain: &[u8]) -> Result<Header> {
    serde_json::from_slice(plain)
        .map_err(|e| Error::damaged(id, msg!(CORE, "header-decode", why = e.to_string())))
}

pub(crate) fn internal(e: automerge::AutomergeError) -> Error {
    Error::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn header(title: &str, field: Value, tag: &str) -> Value {
        json!({
            "title": title,
            "state": {
                "kind": "experience",
                "fields": {"title": field, "note": {"nested": [1, 2.5, null, true]}},
                "tags": [tag, "cv"],
                "created": "2026-01-02T03:04:05Z",
                "updated": "2026-01-02T03:04:05Z",
                "deleted": false,
                "attachments": [{"id": "a1", "name": "scan.pdf", "size": 10, "sha256": "00", "chunks": 1}],
            },
            "base": 3,
            "last": 7,
            "chunks": "ab",
        })
    }

    /// The outline takes exactly the headers the whole decode takes, and reads the same.
    fn same_verdict(v: &Value) {
        let bytes = serde_json::to_vec(v).unwrap();
        let whole = decode_header("r", &bytes);
        let outline = decode_outline("r", &bytes);
        assert_eq!(whole.is_ok(), outline.is_ok(), "{v}");
        if let (Ok(h), Ok(o)) = (whole, outline) {
            assert_eq!(h.state.kind, o.state.kind);
            assert_eq!(h.state.attachments, o.state.attachments);
            assert_eq!((h.base, h.last), (o.base, o.last));
            assert_eq!(h.chunks.as_deref(), o.chunks.as_deref());
        }
    }

    #[test]
    fn the_outline_of_a_header_checks_its_whole_shape() {
        let good = header("Welder", json!("TIG \"and\" MIG\n"), "métier");
        same_verdict(&good);
        // Every member missing, or of another type, is refused by both.
        let paths: [&[&str]; 13] = [
            &["title"],
            &["state"],
            &["base"],
            &["last"],
            &["chunks"],
            &["state", "kind"],
            &["state", "fields"],
            &["state", "tags"],
            &["state", "created"],
            &["state", "updated"],
            &["state", "deleted"],
            &["state", "attachments"],
            &["extra"],
        ];
        let others = [
            json!(null),
            json!(1),
            json!(-1),
            json!("x"),
            json!([]),
            json!(["x"]),
            json!({}),
            json!(true),
            json!([{"id": "a"}]),
        ];
        for path in paths {
            let (last, parents) = path.split_last().unwrap();
            let mut missing = good.clone();
            let mut at = &mut missing;
            for p in parents {
                at = at.get_mut(*p).unwrap();
            }
            at.as_object_mut().unwrap().remove(*last);
            same_verdict(&missing);
            for other in &others {
                let mut changed = good.clone();
                let mut at = &mut changed;
                for p in parents {
                    at = at.get_mut(*p).unwrap();
                }
                at.as_object_mut()
                    .unwrap()
                    .insert((*last).to_string(), other.clone());
                same_verdict(&changed);
            }
        }
        // Not JSON, or cut short.
        let bytes = serde_json::to_vec(&good).unwrap();
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode_header("r", &bytes[..cut]).is_err());
            assert!(decode_outline("r", &bytes[..cut]).is_err());
        }
    }

    #[test]
    fn the_outline_refuses_the_values_the_whole_decode_refuses() {
        let good = serde_json::to_string(&header("Welder", json!("x"), "cv")).unwrap();
        for (value, taken) in [
            ("1e400", false),
            ("-1e400", false),
            ("1e308", true),
            ("18446744073709551616", true),
            ("[1, {\"a\": [true, null]}]", true),
            ("\"\\ud800\"", false),
            ("\"\\u00e9t\\u00e9\"", true),
        ] {
            let bytes = good.replace("\"x\"", value);
            assert_ne!(bytes, good);
            let whole = decode_header("r", bytes.as_bytes());
            let outline = decode_outline("r", bytes.as_bytes());
            assert_eq!(whole.is_ok(), taken, "{value}: {:?}", whole.err());
            assert_eq!(outline.is_ok(), taken, "{value}");
        }
        // Deeper than the decoder's limit, both refuse.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let bytes = good.replace("\"x\"", &deep);
        assert!(decode_header("r", bytes.as_bytes()).is_err());
        assert!(decode_outline("r", bytes.as_bytes()).is_err());
    }

    proptest! {
        /// Whatever the strings hold (quotes, escapes, any script), both decodes agree.
        #[test]
        fn the_outline_agrees_with_the_whole_decode(title in any::<String>(), field in any::<String>(), tag in any::<String>()) {
            same_verdict(&header(&title, json!(field), &tag));
        }
    }
}
