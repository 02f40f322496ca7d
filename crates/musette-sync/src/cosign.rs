//! Co-signing over the network: `recommend request ID --to PEER` queues the recommendation,
//! signed by its owner, for the peer; it travels at the next sync with that peer. The peer sees
//! it in `recommend requests`, reads it and signs it (`recommend sign REQ`); the co-signed
//! recommendation travels back at the next sync, where the owner checks every proof and that
//! nothing but a proof of that peer was added, then stores it (the same check as
//! `recommend accept`).

use crate::SYNC;
use musette_core::msg;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::settings;
use musette_core::{Error, Result, Vault};

use crate::peers::{self, Event, now};

const OUT: &str = "cosign-out";
const IN: &str = "cosign-in";
/// The largest recommendation that travels.
pub const MAX_CREDENTIAL: usize = 256 << 10;
const MAX_PENDING: usize = 10_000;
/// The most requests one peer may have waiting here.
const MAX_PENDING_FROM_PEER: usize = 100;

/// A request this vault sent (or will send).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The request's id (hex).
    pub id: String,
    /// The recommendation record.
    pub record: String,
    /// The co-signer's did.
    pub to: String,
    /// The signed recommendation (JSON).
    pub credential: String,
    /// `queued`, `sent`, `signed`, or `refused` (the answer did not check out: the record was
    /// edited since, or the proof does not hold).
    pub state: String,
    /// When it was made.
    pub created: u64,
}

/// A request another vault sent this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incoming {
    /// The request's id (hex).
    pub id: String,
    /// The requester's did.
    pub from: String,
    /// The recommendation, signed by the requester (JSON).
    pub credential: String,
    /// `pending`, `signed` (answer queued), `answered` (answer sent).
    pub state: String,
    /// The co-signed recommendation, once signed.
    #[serde(default)]
    pub answer: Option<String>,
    /// When it arrived.
    pub received: u64,
}

fn unhex(text: &str) -> Option<[u8; 16]> {
    data_encoding::HEXLOWER
        .decode(text.as_bytes())
        .ok()?
        .try_into()
        .ok()
}

/// Requests sent.
pub fn outgoing_requests(vault: &Vault) -> Result<Vec<Outgoing>> {
    settings::read(vault, OUT)
}

/// Requests received.
pub fn incoming_requests(vault: &Vault) -> Result<Vec<Incoming>> {
    settings::read(vault, IN)
}

/// Queues recommendation `record` for `to` (a peer's did); returns the request's id.
pub fn request(vault: &mut Vault, record: &str, to: &str, peer_name: &str) -> Result<String> {
    let shown = vault.show(record)?;
    if shown.state.deleted {
        return Err(Error::Invalid(msg!(SYNC, "cosign-removed", id = &shown.id)));
    }
    let credential = vault.recommend_request(record)?;
    if musette_core::recommend::cosigners(&credential)
        .iter()
        .any(|d| d == to)
    {
        return Err(Error::Invalid(msg!(
            SYNC,
            "cosign-already",
            peer = peer_name,
            id = &shown.id
        )));
    }
    let record = vault.resolve(record)?;
    let text = serde_json::to_string(&credential).map_err(|e| Error::Internal(e.to_string()))?;
    if text.len() > MAX_CREDENTIAL {
        return Err(Error::Invalid(msg!(SYNC, "cosign-too-long")));
    }
    let id = musette_core::crypto::hex(&musette_core::crypto::random_bytes::<16>());
    let (to_owned, rid, id2) = (to.to_string(), record.clone(), id.clone());
    settings::update(vault, OUT, move |all: &mut Vec<Outgoing>| {
        all.retain(|o| !(o.record == rid && o.to == to_owned && o.state != "signed"));
        if all.len() >= MAX_PENDING {
            return Err(Error::Invalid(msg!(SYNC, "cosign-too-many")));
        }
        all.push(Outgoing {
            id: id2,
            record: rid,
            to: to_owned,
            credential: text,
            state: "queued".into(),
            created: now(),
        });
        Ok(())
    })?;
    peers::audit(
        vault,
        Event {
            event: "cosign-requested".into(),
            peer: Some(peer_name.to_string()),
            did: Some(to.to_string()),
            record: Some(record),
            share: Some(id.clone()),
            ..Event::default()
        },
    )?;
    Ok(id)
}

/// What goes to `peer`: requests not yet sent, and answers signed but not yet sent.
#[allow(clippy::type_complexity)]
pub fn outgoing(
    vault: &Vault,
    peer: &str,
) -> Result<(Vec<([u8; 16], Vec<u8>)>, Vec<([u8; 16], Vec<u8>)>)> {
    let requests = outgoing_requests(vault)?
        .into_iter()
        .filter(|o| o.to == peer && o.state == "queued")
        .filter_map(|o| Some((unhex(&o.id)?, o.credential.into_bytes())))
        .collect();
    let answers = incoming_requests(vault)?
        .into_iter()
        .filter(|i| i.from == peer && i.state == "signed")
        .filter_map(|i| Some((unhex(&i.id)?, i.answer?.into_bytes())))
        .collect();
    Ok((requests, answers))
}

/// The requests to `peer` whose answers this vault waits for.
pub fn awaiting(vault: &Vault, peer: &str) -> Result<HashSet<[u8; 16]>> {
    Ok(outgoing_requests(vault)?
        .into_iter()
        .filter(|o| o.to == peer && (o.state == "queued" || o.state == "sent"))
        .filter_map(|o| unhex(&o.id))
        .collect())
}

fn issuer(doc: &Value) -> Option<&str> {
    match doc.get("issuer")? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id")?.as_str(),
        _ => None,
    }
}

/// Keeps requests from `from`, after checking each is a recommendation issued and signed by
/// it. One that is not ends the exchange (nothing is kept). Returns how many are new.
pub fn accept_requests(
    vault: &mut Vault,
    from: &str,
    got: Vec<([u8; 16], Vec<u8>)>,
) -> Result<usize> {
    if got.is_empty() {
        return Ok(0);
    }
    let mut checked = Vec::new();
    for (id, bytes) in got {
        let doc: Value = serde_json::from_slice(&bytes)
            .map_err(|_| Error::Forged(msg!(SYNC, "cosign-request-not-json")))?;
        let is_recommendation = doc.get("type").and_then(Value::as_array).is_some_and(|t| {
            t.iter().any(|t| {
                t == musette_core::vocab::ENDORSEMENT
                    || t == musette_core::recommend::RECOMMENDATION_TYPE
            })
        });
        if !is_recommendation
            || issuer(&doc) != Some(from)
            || !musette_core::recommend::cosigners(&doc)
                .iter()
                .any(|d| d == from)
        {
            return Err(Error::Forged(msg!(SYNC, "cosign-request-not-signed")));
        }
        checked.push((
            musette_core::crypto::hex(&id),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    let from_owned = from.to_string();
    let (new, ids) = settings::update(vault, IN, move |all: &mut Vec<Incoming>| {
        let mut new = 0;
        let mut ids = Vec::new();
        for (id, credential) in checked {
            if all.iter().any(|i| i.id == id) {
                continue;
            }
            let waiting = all
                .iter()
                .filter(|i| i.from == from_owned && i.state == "pending")
                .count();
            if waiting >= MAX_PENDING_FROM_PEER || all.len() >= MAX_PENDING {
                return Err(Error::Invalid(msg!(
                    SYNC,
                    "cosign-peer-full",
                    n = MAX_PENDING_FROM_PEER
                )));
            }
            all.push(Incoming {
                id: id.clone(),
                from: from_owned.clone(),
                credential,
                state: "pending".into(),
                answer: None,
                received: now(),
            });
            ids.push(id);
            new += 1;
        }
        Ok((new, ids))
    })?;
    let name = peers::peer_by_did(vault, from)?.map(|p| p.name);
    peers::audit_all(
        vault,
        ids.into_iter()
            .map(|id| Event {
                event: "cosign-received".into(),
                peer: name.clone(),
                did: Some(from.to_string()),
                share: Some(id),
                ..Event::default()
            })
            .collect(),
    )?;
    Ok(new)
}

/// Stores co-signed recommendations coming back from `from`: each must hold a new valid proof
/// of `from` and match the recommendation sent, unedited since (see [`Vault::accept_cosigned`]);
/// one that does not is refused and logged, and the others are kept.
pub fn accept_answers(
    vault: &mut Vault,
    from: &str,
    got: Vec<([u8; 16], Vec<u8>)>,
) -> Result<usize> {
    let mut n = 0;
    let name = peers::peer_by_did(vault, from)?.map(|p| p.name);
    for (id, bytes) in got {
        let hid = musette_core::crypto::hex(&id);
        // An answer that does not check out is refused on its own (logged, the request marked
        // refused): it must not stop the rest of the exchange, nor come back at every sync.
        let checked = serde_json::from_slice::<Value>(&bytes)
            .map_err(|_| Error::Forged(msg!(SYNC, "cosign-answer-not-json")))
            .and_then(|doc| vault.accept_cosigned(&doc))
            .and_then(|a| {
                if a.new_signers.iter().any(|d| d == from) {
                    Ok(a)
                } else {
                    Err(Error::Forged(msg!(SYNC, "cosign-answer-unsigned")))
                }
            });
        let (state, event) = match &checked {
            Ok(a) => (
                "signed",
                Event {
                    event: "cosigned".into(),
                    record: Some(a.id.clone()),
                    ..Event::default()
                },
            ),
            Err(e) => (
                "refused",
                Event {
                    event: "cosign-refused".into(),
                    detail: Some(e.to_string()),
                    ..Event::default()
                },
            ),
        };
        let h2 = hid.clone();
        settings::update(vault, OUT, move |all: &mut Vec<Outgoing>| {
            for o in all.iter_mut() {
                if o.id == h2 {
                    o.state = state.into();
                }
            }
            Ok(())
        })?;
        peers::audit(
            vault,
            Event {
                peer: name.clone(),
                did: Some(from.to_string()),
                share: Some(hid),
                ..event
            },
        )?;
        if checked.is_ok() {
            n += 1;
        }
    }
    Ok(n)
}

/// Notes that requests and answers reached `peer`.
pub fn mark_sent(
    vault: &mut Vault,
    peer: &str,
    requests: &[[u8; 16]],
    answers: &[[u8; 16]],
) -> Result<()> {
    if requests.is_empty() && answers.is_empty() {
        return Ok(());
    }
    let reqs: HashSet<String> = requests
        .iter()
        .map(|i| musette_core::crypto::hex(i))
        .collect();
    let ans: HashSet<String> = answers
        .iter()
        .map(|i| musette_core::crypto::hex(i))
        .collect();
    let p = peer.to_string();
    settings::update(vault, OUT, |all: &mut Vec<Outgoing>| {
        for o in all.iter_mut() {
            if reqs.contains(&o.id) && o.to == p && o.state == "queued" {
                o.state = "sent".into();
            }
        }
        Ok(())
    })?;
    let p = peer.to_string();
    settings::update(vault, IN, |all: &mut Vec<Incoming>| {
        for i in all.iter_mut() {
            if ans.contains(&i.id) && i.from == p && i.state == "signed" {
                i.state = "answered".into();
            }
        }
        Ok(())
    })?;
    let name = peers::peer_by_did(vault, peer)?.map(|p| p.name);
    peers::audit_all(
        vault,
        answers
            .iter()
            .map(|id| Event {
                event: "cosign-sent".into(),
                peer: name.clone(),
                did: Some(peer.to_string()),
                share: Some(musette_core::crypto::hex(id)),
                ..Event::default()
            })
            .collect(),
    )
}

/// The incoming request whose id starts with `prefix` (6 characters or more).
pub fn find_incoming(vault: &Vault, prefix: &str) -> Result<Option<Incoming>> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.len() < 6 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let found: Vec<Incoming> = incoming_requests(vault)?
        .into_iter()
        .filter(|i| i.id.starts_with(&prefix))
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        n => Err(Error::Invalid(msg!(
            SYNC,
            "cosign-ambiguous",
            n = n,
            prefix = prefix
        ))),
    }
}

/// Co-signs incoming request `id` with this vault's key; the answer goes at the next sync.
pub fn sign(vault: &mut Vault, id: &str) -> Result<Value> {
    let req = find_incoming(vault, id)?
        .ok_or_else(|| Error::Invalid(msg!(SYNC, "cosign-no-request", id = id)))?;
    if req.state != "pending" {
        return Err(Error::Invalid(msg!(SYNC, "cosign-signed", id = &req.id)));
    }
    let doc: Value = serde_json::from_str(&req.credential)
        .map_err(|_| Error::Forged(msg!(SYNC, "cosign-request-json")))?;
    let signed = vault.cosign(&doc)?;
    let text = serde_json::to_string(&signed).map_err(|e| Error::Internal(e.to_string()))?;
    let rid = req.id.clone();
    settings::update(vault, IN, move |all: &mut Vec<Incoming>| {
        for i in all.iter_mut() {
            if i.id == rid {
                i.state = "signed".into();
                i.answer = Some(text.clone());
            }
        }
        Ok(())
    })?;
    let name = peers::peer_by_did(vault, &req.from)?.map(|p| p.name);
    peers::audit(
        vault,
        Event {
            event: "cosign-signed".into(),
            peer: name,
            did: Some(req.from.clone()),
            share: Some(req.id.clone()),
            ..Event::default()
        },
    )?;
    Ok(signed)
}
