//! Shares: a record's chosen fields, in a document of their own, for a peer or a guild.
//!
//! A share is never the owner's record. Each version of a share is a separate automerge
//! document with one change holding the current values of the chosen fields, nothing else (an
//! actor of its own, no earlier values, no fields shared before and no longer, no other fields,
//! no attachments, not the record's id). Before each sync with a recipient the share is brought
//! up to date from the record: when a shared field changed, a new version is made. Each version
//! is numbered (`seq`) and signed by the owner's did over the document's hash, so a recipient
//! can show who vouches for what it holds; the recipient keeps its own history of the versions
//! it received.
//!
//! A revoked share is final: sharing the record again with the same target makes a new share.
//!
//! `unshare` revokes a share: the recipients are told at their next sync and keep what they
//! already had, marked revoked. A peer removed from a guild, or a guild deleted, gets the same
//! revocation for the guild's shares it had received, and nothing more. A record removed with
//! `rm` or forgotten revokes its shares.
//!
//! Recipients keep what they received in a sealed setting of their own vault ([`Received`]);
//! they never write into the owner's records.

use crate::SYNC;
use musette_core::msg;
use std::collections::{HashMap, HashSet};

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use ring::signature::{ED25519, UnparsedPublicKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::settings;
use musette_core::model::{Kind, title_of};
use musette_core::record::{map_to_json, put_json, root_map};
use musette_core::{Error, Result, Vault};

use crate::peers::{self, Event, now};

const SHARES: &str = "shares";
const RECEIVED: &str = "received";
/// The largest share document accepted (its fields, uncompressed, with their history).
pub const MAX_DOC: usize = 1 << 20;
/// The most fields one share holds, and the longest field name.
const MAX_FIELDS: usize = 256;
const MAX_FIELD_NAME: usize = 128;
/// The most shares one vault makes, and the most items it keeps from others.
pub const MAX_SHARES: usize = 100_000;
/// The most items, and bytes of documents, a vault keeps from one peer: a peer cannot fill
/// the vault of those it shares with.
pub const MAX_FROM_PEER: usize = 10_000;
/// See [`MAX_FROM_PEER`].
pub const MAX_BYTES_FROM_PEER: usize = 64 << 20;
/// The most bytes of peers, guilds and shares (their documents above all): they travel
/// between your devices in one message of at most 64 MiB. A share past it is refused, and a
/// share's new version past it waits (its last version stands) until there is room.
pub const MAX_REPLICATED: usize = 40 << 20;
/// The most versions of a received item its history keeps (the oldest go first).
const MAX_VERSIONS: usize = 100;

/// To whom a share goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// One peer, by did.
    Peer(String),
    /// Every member of a guild, by name.
    Guild(String),
}

/// What a recipient last received of a share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The recipient's did.
    pub did: String,
    /// The version sent.
    pub seq: u64,
    /// Whether it was a revocation.
    pub revoked: bool,
}

/// A share, on the owner's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Its id (16 random bytes, hex): what the recipient knows it by.
    pub id: String,
    /// The owner's record.
    pub record: String,
    /// To whom.
    pub target: Target,
    /// The fields shared.
    pub fields: Vec<String>,
    /// The record's kind.
    pub kind: String,
    /// When it was made.
    pub created: u64,
    /// Its version: bumped by every change to its document, and by revocation.
    pub seq: u64,
    /// When the version was made.
    pub issued: u64,
    /// Whether it was revoked (`unshare`, or its record removed).
    pub revoked: bool,
    /// Its document (automerge, uncompressed save), base64.
    pub doc: String,
    /// The owner's signature of this version, hex.
    pub signature: String,
    /// What each recipient last received.
    #[serde(default)]
    pub sent: Vec<Sent>,
}

/// A share as it travels: one version, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareItem {
    /// The share's id.
    pub id: [u8; 16],
    /// Its version.
    pub seq: u64,
    /// A revocation: the recipient keeps what it had and marks it revoked.
    pub revoked: bool,
    /// The record's kind.
    pub kind: String,
    /// The fields shared.
    pub fields: Vec<String>,
    /// The document (empty in a revocation).
    pub doc: Vec<u8>,
    /// When this version was made (seconds since the Unix epoch).
    pub issued: u64,
    /// The owner's Ed25519 signature over [`ShareItem::signed_bytes`].
    #[serde(with = "crate::wire::sig")]
    pub signature: [u8; 64],
}

impl ShareItem {
    /// What the owner signs: the owner's did, the id, the version, whether revoked, the kind,
    /// the fields and the SHA-256 of the document.
    pub fn signed_bytes(&self, owner: &str) -> Vec<u8> {
        let digest = ring::digest::digest(&ring::digest::SHA256, &self.doc);
        let body = (
            owner,
            &self.id,
            self.seq,
            self.revoked,
            &self.kind,
            &self.fields,
            digest.as_ref(),
            self.issued,
        );
        let mut out = b"musette share v1\0".to_vec();
        out.extend_from_slice(&postcard::to_stdvec(&body).unwrap_or_default());
        out
    }

    /// Whether `owner`'s signature holds.
    pub fn verify(&self, owner: &str) -> bool {
        musette_core::identity::public_key_from_did(owner).is_ok_and(|public| {
            UnparsedPublicKey::new(&ED25519, public)
                .verify(&self.signed_bytes(owner), &self.signature)
                .is_ok()
        })
    }

    fn sign(mut self, signer: &musette_core::identity::Signer) -> ShareItem {
        self.signature = signer.sign(&self.signed_bytes(signer.did()));
        self
    }
}

/// What a recipient holds of a share, as it tells the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The share's id.
    pub id: [u8; 16],
    /// The version held.
    pub seq: u64,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// An item another vault shared with this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// The share's id (hex).
    pub id: String,
    /// The sender's did.
    pub from: String,
    /// The version of the content held.
    pub seq: u64,
    /// The newest version heard of (a revocation is one).
    pub held: u64,
    /// Whether the sender revoked it.
    pub revoked: bool,
    /// When it was revoked.
    #[serde(default)]
    pub revoked_at: Option<u64>,
    /// The record's kind.
    pub kind: String,
    /// The fields shared.
    pub fields: Vec<String>,
    /// The document, base64.
    pub doc: String,
    /// When the sender made this version.
    pub issued: u64,
    /// The sender's signature of it, hex.
    pub signature: String,
    /// When it first arrived.
    pub received: u64,
    /// When it last changed.
    pub updated: u64,
    /// The versions received: when each was made and which fields it changed.
    #[serde(default)]
    pub versions: Vec<Version>,
}

/// A version of a received item, as the recipient saw it arrive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Its number.
    pub seq: u64,
    /// When the sender made it.
    pub issued: u64,
    /// The fields it added, changed or removed.
    pub fields: Vec<String>,
}

/// The fields that differ between two sets of values.
fn changed_fields(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    out
}

fn b64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>> {
    data_encoding::BASE64
        .decode(text.as_bytes())
        .map_err(|_| damaged(msg!(SYNC, "share-decode")))
}

fn damaged(what: musette_core::i18n::Msg) -> Error {
    Error::Damaged {
        record: "vault".into(),
        what,
    }
}

fn invalid(msg: musette_core::i18n::Msg) -> Error {
    Error::Invalid(msg)
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    data_encoding::HEXLOWER
        .decode(text.as_bytes())
        .ok()?
        .try_into()
        .ok()
}

/// Loads a share document from bytes that may come from anyone: bounded, and a document the
/// library cannot read (or panics on) is an error, never a crash.
pub fn load_doc(bytes: &[u8]) -> Option<AutoCommit> {
    if bytes.len() > MAX_DOC {
        return None;
    }
    std::panic::catch_unwind(|| AutoCommit::load(bytes).ok()).ok()?
}

/// The fields a share document holds.
pub fn doc_fields(doc: &AutoCommit) -> Map<String, Value> {
    match doc.get(ROOT, "fields") {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), obj))) => {
            map_to_json(doc, &obj).unwrap_or_default()
        }
        _ => Map::new(),
    }
}

/// Every share this vault made, revoked ones too.
pub fn shares(vault: &Vault) -> Result<Vec<Share>> {
    settings::read(vault, SHARES)
}

/// Everything others shared with this vault.
pub fn received(vault: &Vault) -> Result<Vec<Received>> {
    settings::read(vault, RECEIVED)
}

/// Brings `share` up to date with its record: the shared fields' current values become a
/// new change of its document. Returns whether it changed (a new version, signed).
fn refresh(
    vault: &Vault,
    signer: &musette_core::identity::Signer,
    share: &mut Share,
) -> Result<bool> {
    if share.revoked {
        return Ok(false);
    }
    let state = match vault.show(&share.record) {
        Ok(r) if !r.state.deleted => r.state,
        Ok(_) | Err(Error::NoSuchRecord(_)) => {
            revoke(signer, share);
            return Ok(true);
        }
        Err(e) => return Err(e),
    };
    let id: [u8; 16] = unhex(&share.id).ok_or_else(|| damaged(msg!(SYNC, "share-id-malformed")))?;
    let current: Map<String, Value> = share
        .fields
        .iter()
        .filter_map(|f| Some((f.clone(), state.fields.get(f)?.clone())))
        .collect();
    let held = if share.doc.is_empty() {
        None
    } else {
        load_doc(&unb64(&share.doc)?).map(|d| doc_fields(&d))
    };
    if held.as_ref() == Some(&current) && !share.signature.is_empty() {
        return Ok(false);
    }
    // Each version is a document of its own with one change: the current values of the
    // shared fields, nothing of how they came to be (earlier values, fields shared before).
    let am = |e: automerge::AutomergeError| Error::Internal(e.to_string());
    let mut doc = AutoCommit::new();
    doc.set_actor(ActorId::from(&id[..]));
    let obj = root_map(&mut doc, "fields").map_err(am)?;
    for (k, v) in &current {
        put_json(&mut doc, &obj, k, v).map_err(am)?;
    }
    doc.commit_with(CommitOptions::default().with_time(now() as i64 * 1000));
    let bytes = doc.save_nocompress();
    if bytes.len() > MAX_DOC {
        return Err(invalid(msg!(SYNC, "share-too-large", id = &share.record)));
    }
    share.doc = b64(&bytes);
    share.kind = state.kind.as_str().to_string();
    bump(signer, share, share.seq + 1);
    Ok(true)
}

fn item_of(share: &Share) -> Result<ShareItem> {
    let signature = data_encoding::HEXLOWER
        .decode(share.signature.as_bytes())
        .ok()
        .and_then(|s| s.try_into().ok())
        .unwrap_or([0; 64]);
    Ok(ShareItem {
        id: unhex(&share.id).ok_or_else(|| damaged(msg!(SYNC, "share-id-malformed")))?,
        seq: share.seq,
        revoked: share.revoked,
        kind: share.kind.clone(),
        fields: share.fields.clone(),
        doc: if share.revoked {
            Vec::new()
        } else {
            unb64(&share.doc)?
        },
        issued: share.issued,
        signature,
    })
}

/// Gives `share` version `seq`, signed.
fn bump(signer: &musette_core::identity::Signer, share: &mut Share, seq: u64) {
    share.seq = seq;
    share.issued = now();
    let placeholder = Share {
        signature: String::new(),
        ..share.clone()
    };
    if let Ok(item) = item_of(&placeholder) {
        share.signature = musette_core::crypto::hex(&item.sign(signer).signature);
    }
}

fn revoke(signer: &musette_core::identity::Signer, share: &mut Share) {
    share.revoked = true;
    bump(signer, share, share.seq + 1);
    // A revocation carries no document: the last one is no longer kept.
    share.doc.clear();
}

/// Whom a target names, given the guilds.
fn covers(target: &Target, did: &str, guilds: &[peers::Guild]) -> bool {
    match target {
        Target::Peer(d) => d == did,
        Target::Guild(name) => guilds
            .iter()
            .any(|g| &g.name == name && g.members.iter().any(|m| m == did)),
    }
}

/// The target a name means: a peer or a guild.
pub fn target_named(vault: &Vault, name: &str) -> Result<(Target, String)> {
    if let Some(p) = peers::peers(vault)?.into_iter().find(|p| p.name == name) {
        return Ok((Target::Peer(p.did), p.name));
    }
    if peers::guilds(vault)?.iter().any(|g| g.name == name) {
        return Ok((Target::Guild(name.to_string()), name.to_string()));
    }
    Err(invalid(msg!(
        SYNC,
        "share-no-target",
        name = format!("{name:?}")
    )))
}

/// A target's name for people.
pub fn target_name(vault: &Vault, target: &Target) -> String {
    match target {
        Target::Guild(g) => format!("guild {g}"),
        Target::Peer(did) => peers::peer_by_did(vault, did)
            .ok()
            .flatten()
            .map_or_else(|| did.clone(), |p| p.name),
    }
}

/// Whom a share reaches at the next sync, given the peers ([`peer_names`]) and guilds read
/// once for a whole listing: the peer if it is still known, or the guild's members (none once
/// the guild is deleted or empty).
pub fn recipients(
    target: &Target,
    peers: &HashMap<String, String>,
    guilds: &[peers::Guild],
) -> usize {
    match target {
        Target::Peer(did) => usize::from(peers.contains_key(did)),
        Target::Guild(g) => guilds
            .iter()
            .find(|x| &x.name == g)
            .map_or(0, |x| x.members.len()),
    }
}

/// Checks that record `id` can be shared with `fields` (or all its current fields), changing
/// nothing; returns the record and the fields. `share` of several records checks them all
/// first, so a mistake in one shares none.
pub fn chosen(
    vault: &Vault,
    id: &str,
    fields: Option<&[String]>,
) -> Result<(musette_core::Record, Vec<String>)> {
    let record = vault.show(id)?;
    if record.state.deleted {
        return Err(invalid(msg!(SYNC, "share-removed", id = &record.id)));
    }
    let kind: Kind = record.state.kind;
    let fields: Vec<String> = match fields {
        Some(list) => {
            // Refused before anything else: a list far past the limit costs nothing to say no to.
            if list.len() > MAX_FIELDS * 4 {
                return Err(invalid(msg!(SYNC, "share-too-many-fields")));
            }
            let mut out: Vec<String> = Vec::new();
            for f in list {
                let f = f.trim();
                if f.is_empty() {
                    continue;
                }
                if !record.state.fields.contains_key(f) && kind.field(f).is_none() {
                    let have: Vec<&str> = record.state.fields.keys().map(String::as_str).collect();
                    return Err(invalid(msg!(
                        SYNC,
                        "share-no-field",
                        id = &record.id,
                        field = format!("{f:?}"),
                        have = have.join(", ")
                    )));
                }
                if !out.iter().any(|o| o == f) {
                    out.push(f.to_string());
                }
            }
            if out.is_empty() {
                return Err(invalid(msg!(SYNC, "share-fields-empty")));
            }
            out
        }
        None => record.state.fields.keys().cloned().collect(),
    };
    if fields.len() > MAX_FIELDS || fields.iter().any(|f| f.len() > MAX_FIELD_NAME) {
        return Err(invalid(msg!(SYNC, "share-too-many-fields")));
    }
    Ok((record, fields))
}

/// What `share` did for one record.
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    /// The record.
    pub record: String,
    /// The share's id.
    pub share: String,
    /// The fields shared.
    pub fields: Vec<String>,
    /// Whether it was already shared with that target (its fields were updated).
    pub updated: bool,
    /// Already shared with that target, with these fields and their current values: nothing
    /// new is sent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unchanged: bool,
}

/// Shares record `id` with `target`: `fields`, or all its current fields. Sharing again with
/// the same target changes the fields shared (and un-revokes).
pub fn share(
    vault: &mut Vault,
    id: &str,
    target: &Target,
    fields: Option<&[String]>,
) -> Result<Shared> {
    let mut done = share_many(vault, &[id.to_string()], target, fields)?;
    done.pop()
        .ok_or_else(|| musette_core::Error::Internal("nothing was shared".into()))
}

/// [`share`] for many records at once: the shares are read and written once, with one entry
/// each in the audit log, all or none (sharing thousands of records costs in proportion to
/// their number, not to its square).
pub fn share_many(
    vault: &mut Vault,
    ids: &[String],
    target: &Target,
    fields: Option<&[String]>,
) -> Result<Vec<Shared>> {
    let signer = vault.owner()?;
    let snapshot: &Vault = vault;
    let mut all = shares(snapshot)?;
    let mut done = Vec::with_capacity(ids.len());
    for id in ids {
        let (record, fields) = chosen(snapshot, id, fields)?;
        let kind = record.state.kind;
        let rid = record.id.clone();
        // A revoked share is final: sharing again makes a new one, with a new id and document.
        let live = |s: &Share| s.record == rid && s.target == *target && !s.revoked;
        let share_id = match all.iter_mut().find(|s| live(s)) {
            Some(s) => {
                s.fields = fields.clone();
                let changed = refresh(snapshot, &signer, s)?;
                done.push(Shared {
                    record: rid,
                    share: s.id.clone(),
                    fields,
                    updated: true,
                    unchanged: !changed,
                });
                continue;
            }
            None => {
                if all.len() >= MAX_SHARES {
                    return Err(invalid(msg!(SYNC, "share-too-many")));
                }
                let mut s = Share {
                    id: musette_core::crypto::hex(&musette_core::crypto::random_bytes::<16>()),
                    record: rid.clone(),
                    target: target.clone(),
                    fields: fields.clone(),
                    kind: kind.as_str().to_string(),
                    created: now(),
                    seq: 0,
                    issued: 0,
                    revoked: false,
                    doc: String::new(),
                    signature: String::new(),
                    sent: Vec::new(),
                };
                refresh(snapshot, &signer, &mut s)?;
                let id = s.id.clone();
                all.push(s);
                id
            }
        };
        done.push(Shared {
            record: rid,
            share: share_id,
            fields,
            updated: false,
            unchanged: false,
        });
    }
    let size = crate::replicate::size_with(vault, &all)?;
    if size > MAX_REPLICATED {
        let mib = |n: usize| n.div_ceil(1 << 20);
        return Err(invalid(msg!(
            SYNC,
            "share-total-too-large",
            size = mib(size),
            max = MAX_REPLICATED >> 20
        )));
    }
    write_shares(vault, all)?;
    let (peer, did, guild) = describe(vault, target);
    peers::audit_all(
        vault,
        done.iter()
            .map(|d| Event {
                event: "shared".into(),
                peer: peer.clone(),
                did: did.clone(),
                guild: guild.clone(),
                record: Some(d.record.clone()),
                share: Some(d.share.clone()),
                fields: d.fields.clone(),
                ..Event::default()
            })
            .collect(),
    )?;
    Ok(done)
}

fn write_shares(vault: &mut Vault, mut all: Vec<Share>) -> Result<()> {
    // Revoked before they dropped their document (a revocation carries none).
    for s in all.iter_mut().filter(|s| s.revoked) {
        s.doc.clear();
    }
    settings::write(vault, SHARES, &all)
}

fn describe(vault: &Vault, target: &Target) -> (Option<String>, Option<String>, Option<String>) {
    match target {
        Target::Peer(did) => (Some(target_name(vault, target)), Some(did.clone()), None),
        Target::Guild(g) => (None, None, Some(g.clone())),
    }
}

/// Revokes the share of record `id` with `target`; recipients are told at their next sync.
pub fn unshare(vault: &mut Vault, id: &str, target: &Target) -> Result<Share> {
    let rid = match vault.resolve(id) {
        Ok(r) => r,
        // A forgotten record's shares can still be revoked by its full id.
        Err(_) => id.to_string(),
    };
    let signer = vault.owner()?;
    let mut all = shares(vault)?;
    let s = all
        .iter_mut()
        .find(|s| s.record == rid && &s.target == target && !s.revoked)
        .ok_or_else(|| {
            invalid(msg!(
                SYNC,
                "share-not-shared",
                id = &rid,
                target = target_name(vault, target)
            ))
        })?;
    revoke(&signer, s);
    let out = s.clone();
    write_shares(vault, all)?;
    let (peer, did, guild) = describe(vault, target);
    peers::audit(
        vault,
        Event {
            event: "unshared".into(),
            peer,
            did,
            guild,
            record: Some(rid),
            share: Some(out.id.clone()),
            fields: out.fields.clone(),
            ..Event::default()
        },
    )?;
    Ok(out)
}

/// Revokes every share with `target` (a guild deleted, a peer removed): for good, even if a
/// guild or peer of that name comes again. Returns how many.
pub fn revoke_target(vault: &mut Vault, target: &Target) -> Result<usize> {
    let signer = vault.owner()?;
    let mut all = shares(vault)?;
    let mut n = 0;
    for s in all.iter_mut().filter(|s| &s.target == target && !s.revoked) {
        revoke(&signer, s);
        n += 1;
    }
    if n > 0 {
        settings::write(vault, SHARES, &all)?;
    }
    Ok(n)
}

/// What this vault holds from `from` (to tell it at a sync).
pub fn held_from(vault: &Vault, from: &str) -> Result<Vec<Held>> {
    Ok(received(vault)?
        .into_iter()
        .filter(|r| r.from == from)
        .filter_map(|r| {
            Some(Held {
                id: unhex(&r.id)?,
                seq: r.held,
                revoked: r.revoked,
            })
        })
        .collect())
}

/// The items `peer` is to receive, given what it holds: every share whose target covers it,
/// brought up to date, that it does not hold at that version; and a revocation for every share
/// it holds from this vault that no longer covers it. Ids it names that this vault never sent
/// it are ignored: it learns nothing of them; a version it names that this vault never made is
/// an error. What is returned is noted as sent to it (and logged) before it travels.
///
/// With `only_revoked` (a peer removed, told this once), only revocations are returned and
/// noted.
pub fn outgoing(
    vault: &mut Vault,
    peer: &str,
    held: &[Held],
    only_revoked: bool,
) -> Result<Vec<ShareItem>> {
    let signer = vault.owner()?;
    let guilds = peers::guilds(vault)?;
    let held: HashMap<String, Held> = held
        .iter()
        .map(|h| (musette_core::crypto::hex(&h.id), *h))
        .collect();
    let mut all = shares(vault)?;
    let mut changed = false;
    let mut items = Vec::new();
    // New versions take room in what travels between this vault's devices: one that would
    // take it past the limit waits, the last version standing.
    let mut room = MAX_REPLICATED.saturating_sub(crate::replicate::size_with(vault, &all)?);
    for s in &mut all {
        let theirs = held.get(&s.id);
        if let Some(h) = theirs {
            // What it says it holds must be a version this vault made and offered it.
            let sent_max = s
                .sent
                .iter()
                .filter(|x| x.did == peer)
                .map(|x| x.seq)
                .max()
                .unwrap_or(0);
            if h.seq > s.seq.max(sent_max) {
                // Said of a share that is not for it: nothing to answer, and no error that
                // would tell it anything.
                if !covers(&s.target, peer, &guilds) {
                    continue;
                }
                return Err(Error::Forged(msg!(
                    SYNC,
                    "share-version-forged",
                    version = h.seq,
                    made = s.seq.max(sent_max)
                )));
            }
        }
        if covers(&s.target, peer, &guilds) {
            if theirs.is_none() && s.revoked {
                continue;
            }
            let before = s.clone();
            changed |= match refresh(vault, &signer, s) {
                Ok(true) if s.doc.len() > before.doc.len() + room => {
                    *s = before;
                    false
                }
                Ok(c) => {
                    room = (room + before.doc.len()).saturating_sub(s.doc.len());
                    c
                }
                // Grown over the limit since it was shared: the last version stands.
                Err(Error::Invalid(_)) => false,
                Err(e) => return Err(e),
            };
            // Revoked by the refresh (its record removed) before it ever reached this peer:
            // nothing to tell it.
            if theirs.is_none() && s.revoked {
                continue;
            }
            if let Some(h) = theirs
                && h.seq >= s.seq
            {
                if h.revoked == s.revoked {
                    continue;
                }
                // It holds a newer version (a revocation for it alone, say) than the
                // share's: give the share a version above it.
                bump(&signer, s, h.seq.saturating_add(1));
                changed = true;
            }
            items.push(item_of(s)?);
        } else if let Some(h) = theirs
            && !h.revoked
            && s.sent.iter().any(|x| x.did == peer)
        {
            // No longer for it (unshared, out of the guild, the guild deleted): revoked for it.
            // (Only for what was offered to it: of anything else it learns nothing.)
            let mut gone = s.clone();
            gone.revoked = true;
            bump(&signer, &mut gone, h.seq.max(s.seq).saturating_add(1));
            items.push(item_of(&gone)?);
        }
    }
    if only_revoked {
        items.retain(|i| i.revoked);
    }
    // Noted as sent when offered, before it travels: a delivery cut before its end may have
    // reached the peer, and the log must not say less than what may have been disclosed.
    let name = match peers::peer_by_did(vault, peer)? {
        Some(p) => Some(p.name),
        None => peers::leaving_by_did(vault, peer)?.map(|p| p.name),
    };
    let mut events = Vec::new();
    for item in &items {
        let id = musette_core::crypto::hex(&item.id);
        if let Some(s) = all.iter_mut().find(|s| s.id == id) {
            s.sent.retain(|x| x.did != peer);
            s.sent.push(Sent {
                did: peer.to_string(),
                seq: item.seq,
                revoked: item.revoked,
            });
            changed = true;
            events.push(Event {
                event: if item.revoked { "revoked-sent" } else { "sent" }.into(),
                peer: name.clone(),
                did: Some(peer.to_string()),
                record: Some(s.record.clone()),
                share: Some(s.id.clone()),
                fields: if item.revoked {
                    Vec::new()
                } else {
                    s.fields.clone()
                },
                ..Event::default()
            });
        }
    }
    if changed {
        write_shares(vault, all)?;
    }
    peers::audit_all(vault, events)?;
    Ok(items)
}

/// Why an item from a peer is refused.
pub fn check_item(
    item: &ShareItem,
    from: &str,
    held: Option<&Held>,
) -> std::result::Result<(), String> {
    if !item.verify(from) {
        return Err("a shared item's signature does not hold".into());
    }
    if let Some(h) = held
        && item.seq <= h.seq
    {
        return Err(format!(
            "a shared item at version {} when version {} is already held: an old message replayed",
            item.seq, h.seq
        ));
    }
    if item.kind.parse::<Kind>().is_err()
        || item.fields.len() > MAX_FIELDS
        || item
            .fields
            .iter()
            .any(|f| f.len() > MAX_FIELD_NAME || f.chars().any(char::is_control))
    {
        return Err("a shared item has an unknown kind or malformed fields".into());
    }
    if item.revoked {
        return Ok(());
    }
    let doc = load_doc(&item.doc).ok_or("a shared item's document does not load")?;
    let fields = doc_fields(&doc);
    if fields.keys().any(|k| !item.fields.contains(k)) {
        return Err("a shared item's document holds fields it does not announce".into());
    }
    Ok(())
}

/// Stores items received from `from` (each checked with [`check_item`]); returns the audit
/// events.
pub fn accept(vault: &mut Vault, from: &str, items: Vec<ShareItem>) -> Result<(usize, usize)> {
    if items.is_empty() {
        return Ok((0, 0));
    }
    let name = peers::peer_by_did(vault, from)?.map(|p| p.name);
    let from_owned = from.to_string();
    let t = now();
    let (events, counts) = settings::update(vault, RECEIVED, move |all: &mut Vec<Received>| {
        let mut events = Vec::new();
        let (mut got, mut revoked) = (0, 0);
        for item in items {
            let id = musette_core::crypto::hex(&item.id);
            let i = all.iter().position(|r| r.id == id && r.from == from_owned);
            if let Some(i) = i {
                let r = &mut all[i];
                if item.seq <= r.held {
                    continue;
                }
                r.held = item.seq;
                r.updated = t;
                if item.revoked {
                    if !r.revoked {
                        r.revoked = true;
                        r.revoked_at = Some(t);
                        revoked += 1;
                        events.push((id.clone(), "revoked-received", Vec::new()));
                    }
                    continue;
                }
                let before = load_doc(&unb64(&r.doc).unwrap_or_default())
                    .map(|d| doc_fields(&d))
                    .unwrap_or_default();
                let after = load_doc(&item.doc)
                    .map(|d| doc_fields(&d))
                    .unwrap_or_default();
                r.versions.push(Version {
                    seq: item.seq,
                    issued: item.issued,
                    fields: changed_fields(&before, &after),
                });
                if r.versions.len() > MAX_VERSIONS {
                    r.versions.drain(..r.versions.len() - MAX_VERSIONS);
                }
                r.revoked = false;
                r.revoked_at = None;
                r.seq = item.seq;
                r.kind = item.kind.clone();
                r.fields = item.fields.clone();
                r.doc = b64(&item.doc);
                r.issued = item.issued;
                r.signature = musette_core::crypto::hex(&item.signature);
            } else {
                // A revocation of something never received: nothing to keep.
                if item.revoked {
                    continue;
                }
                let (count, bytes) = all
                    .iter()
                    .filter(|r| r.from == from_owned)
                    .fold((0, 0), |(n, b), r| (n + 1, b + r.doc.len()));
                if count >= MAX_FROM_PEER
                    || bytes + item.doc.len() * 4 / 3 > MAX_BYTES_FROM_PEER
                    || all.len() >= MAX_SHARES
                {
                    return Err(invalid(msg!(SYNC, "received-peer-full", n = MAX_FROM_PEER)));
                }
                all.push(Received {
                    id: id.clone(),
                    from: from_owned.clone(),
                    seq: item.seq,
                    held: item.seq,
                    revoked: item.revoked,
                    revoked_at: item.revoked.then_some(t),
                    kind: item.kind.clone(),
                    fields: item.fields.clone(),
                    doc: b64(&item.doc),
                    issued: item.issued,
                    signature: musette_core::crypto::hex(&item.signature),
                    received: t,
                    updated: t,
                    versions: vec![Version {
                        seq: item.seq,
                        issued: item.issued,
                        fields: load_doc(&item.doc)
                            .map(|d| doc_fields(&d).keys().cloned().collect())
                            .unwrap_or_default(),
                    }],
                });
            }
            got += 1;
            events.push((id, "received", item.fields));
        }
        // What this peer's items hold now, updates included, stays within the limit: past it
        // nothing of this exchange is kept.
        let bytes: usize = all
            .iter()
            .filter(|r| r.from == from_owned)
            .map(|r| r.doc.len())
            .sum();
        if bytes > MAX_BYTES_FROM_PEER {
            return Err(invalid(msg!(SYNC, "received-peer-too-much")));
        }
        Ok((events, (got, revoked)))
    })?;
    peers::audit_all(
        vault,
        events
            .into_iter()
            .map(|(id, event, fields)| Event {
                event: event.into(),
                peer: name.clone(),
                did: Some(from.to_string()),
                share: Some(id),
                fields,
                ..Event::default()
            })
            .collect(),
    )?;
    Ok(counts)
}

/// A received item, for people and scripts.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Its id.
    pub id: String,
    /// Who shared it (the name this vault gives the peer, or its did).
    pub from: String,
    /// The sender's did.
    pub did: String,
    /// The record's kind.
    pub kind: String,
    /// Its title (from the shared fields).
    pub title: String,
    /// The fields and their values.
    pub fields: Map<String, Value>,
    /// Whether the sender revoked it.
    pub revoked: bool,
    /// Whether the sender's signature holds.
    pub verified: bool,
    /// Its version.
    pub version: u64,
    /// When the sender made this version (RFC 3339).
    pub issued: String,
    /// When it first arrived.
    pub received: String,
    /// When it was revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// Seconds since the epoch as RFC 3339.
pub fn rfc3339(secs: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(0))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

impl Received {
    /// The item as it was signed.
    pub fn item(&self) -> Option<ShareItem> {
        Some(ShareItem {
            id: unhex(&self.id)?,
            seq: self.seq,
            revoked: false,
            kind: self.kind.clone(),
            fields: self.fields.clone(),
            doc: unb64(&self.doc).ok()?,
            issued: self.issued,
            signature: unhex(&self.signature)?,
        })
    }

    /// Whether the sender's signature of the content held holds.
    pub fn verified(&self) -> bool {
        self.item().is_some_and(|i| i.verify(&self.from))
    }

    /// The share's document.
    pub fn doc(&self) -> Option<AutoCommit> {
        load_doc(&unb64(&self.doc).ok()?)
    }

    /// For people and scripts; `names` maps dids to peer names.
    pub fn view(&self, names: &HashMap<String, String>) -> View {
        let fields = self.doc().map(|d| doc_fields(&d)).unwrap_or_default();
        let title = self
            .kind
            .parse::<Kind>()
            .map(|k| title_of(k, &fields))
            .unwrap_or_default();
        View {
            id: self.id.clone(),
            from: names
                .get(&self.from)
                .cloned()
                .unwrap_or_else(|| self.from.clone()),
            did: self.from.clone(),
            kind: self.kind.clone(),
            title: if title.is_empty() {
                self.kind.clone()
            } else {
                title
            },
            fields,
            revoked: self.revoked,
            verified: self.verified(),
            version: self.seq,
            issued: rfc3339(self.issued),
            received: rfc3339(self.received),
            revoked_at: self.revoked_at.map(rfc3339),
        }
    }

    /// The versions received: when each was made, and which fields it changed.
    pub fn history(&self) -> Vec<(String, Vec<String>)> {
        self.versions
            .iter()
            .map(|v| (rfc3339(v.issued), v.fields.clone()))
            .collect()
    }
}

/// Forgets a received item (the sender is not told; if it is still shared, it comes again at
/// the next sync unless the sender revoked it). Returns it.
pub fn forget_received(vault: &mut Vault, prefix: &str) -> Result<Received> {
    if prefix.trim().len() < 6 {
        return Err(invalid(msg!(
            SYNC,
            "received-short",
            prefix = prefix.trim()
        )));
    }
    let found = find_received(vault, prefix)?.ok_or_else(|| {
        musette_core::Error::NotFound(msg!(SYNC, "received-none", prefix = prefix))
    })?;
    let (id, from) = (found.id.clone(), found.from.clone());
    settings::update(vault, RECEIVED, move |all: &mut Vec<Received>| {
        all.retain(|r| !(r.id == id && r.from == from));
        Ok(())
    })?;
    peers::audit(
        vault,
        Event {
            event: "received-forgotten".into(),
            did: Some(found.from.clone()),
            share: Some(found.id.clone()),
            ..Event::default()
        },
    )?;
    Ok(found)
}

/// The received item whose id starts with `prefix` (at least 6 characters).
pub fn find_received(vault: &Vault, prefix: &str) -> Result<Option<Received>> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.len() < 6 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let matches: Vec<Received> = received(vault)?
        .into_iter()
        .filter(|r| r.id.starts_with(&prefix))
        .collect();
    match matches.len() {
        0 => Ok(None),
        1 => Ok(matches.into_iter().next()),
        n => Err(invalid(msg!(
            SYNC,
            "received-ambiguous",
            n = n,
            prefix = prefix
        ))),
    }
}

/// The names this vault gives peers, by did.
pub fn peer_names(vault: &Vault) -> Result<HashMap<String, String>> {
    Ok(peers::peers(vault)?
        .into_iter()
        .map(|p| (p.did, p.name))
        .collect())
}

/// The ids of the shares a set of items names (for tests and logs).
pub fn ids(items: &[ShareItem]) -> HashSet<[u8; 16]> {
    items.iter().map(|i| i.id).collect()
}
