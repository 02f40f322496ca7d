//! Your peers, guilds and shares on every one of your devices: a device sync ends by merging
//! them, so a share made on the laptop is kept up to date and sent from the phone too.
//!
//! Each side sends the digest of what it holds; when they differ, each sends all of it and
//! both merge the same way, so they hold the same afterwards:
//!
//! - a peer (by did) or a guild (by name): the one changed last wins (`updated`, always later
//!   than the change before on that entry; ties broken by content, the same on both sides);
//!   one removed stays removed unless it was changed after the removal;
//! - a share (by id): the higher version wins (then the later, then by content), and what each
//!   recipient was sent is the union of both sides' knowledge.
//!
//! What was received from others, co-signing requests and the audit log stay on the device
//! where they happened.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use musette_core::{Result, Vault};

use crate::peers::{Guild, Peer, later};
use crate::settings;
use crate::share::{Sent, Share};

const GONE: &str = "gone";

/// Something removed: a peer (by did) or a guild (by name), and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gone {
    /// `peer` or `guild`.
    pub what: String,
    /// The did or the name.
    pub key: String,
    /// When.
    pub at: u64,
}

/// What your devices keep in step besides records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replicated {
    /// Peers.
    pub peers: Vec<Peer>,
    /// Guilds.
    pub guilds: Vec<Guild>,
    /// Shares.
    pub shares: Vec<Share>,
    /// Peers and guilds removed.
    pub gone: Vec<Gone>,
}

/// When `key` was last removed (0 if never).
pub(crate) fn buried_at(vault: &Vault, what: &str, key: &str) -> Result<u64> {
    let gone: Vec<Gone> = settings::read(vault, GONE)?;
    Ok(gone
        .iter()
        .filter(|g| g.what == what && g.key == key)
        .map(|g| g.at)
        .max()
        .unwrap_or(0))
}

/// Notes that `key` was removed (after a change at `updated`).
pub(crate) fn bury(vault: &mut Vault, what: &str, key: &str, updated: u64) -> Result<()> {
    settings::update(vault, GONE, |all: &mut Vec<Gone>| {
        let before = all
            .iter()
            .filter(|g| g.what == what && g.key == key)
            .map(|g| g.at)
            .max()
            .unwrap_or(0);
        all.retain(|g| !(g.what == what && g.key == key));
        all.push(Gone {
            what: what.to_string(),
            key: key.to_string(),
            at: later(before.max(updated)),
        });
        Ok(())
    })
}

/// What this device holds, in a canonical order.
pub fn read(vault: &Vault) -> Result<Replicated> {
    let mut r = Replicated {
        peers: crate::peers::peers(vault)?,
        guilds: crate::peers::guilds(vault)?,
        shares: crate::share::shares(vault)?,
        gone: settings::read(vault, GONE)?,
    };
    canonical(&mut r);
    Ok(r)
}

/// Bytes the peers, guilds and shares take as they travel between devices (one message), with
/// `shares` in place of the shares held.
pub fn size_with(vault: &Vault, shares: &[crate::share::Share]) -> Result<usize> {
    let mut r = read(vault)?;
    r.shares = shares.to_vec();
    serde_json::to_vec(&r)
        .map(|b| b.len())
        .map_err(|e| musette_core::Error::Internal(e.to_string()))
}

fn canonical(r: &mut Replicated) {
    r.peers.sort_by(|a, b| a.did.cmp(&b.did));
    r.guilds.sort_by(|a, b| a.name.cmp(&b.name));
    for s in &mut r.shares {
        s.sent.sort_by(|a, b| a.did.cmp(&b.did));
    }
    r.shares.sort_by(|a, b| a.id.cmp(&b.id));
    r.gone
        .sort_by(|a, b| (&a.what, &a.key, a.at).cmp(&(&b.what, &b.key, b.at)));
}

/// The part of a peer that is merged (where it was last reached, and when, stay local).
fn merged_view(p: &Peer) -> (String, String, u64) {
    (p.did.clone(), p.name.clone(), p.updated)
}

/// The digest of what devices compare: equal digests, nothing to exchange.
pub fn digest(r: &Replicated) -> [u8; 32] {
    let view = (
        r.peers.iter().map(merged_view).collect::<Vec<_>>(),
        &r.guilds,
        &r.shares,
        &r.gone,
    );
    musette_core::crypto::sha256(&serde_json::to_vec(&view).unwrap_or_default())
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Merges what another device holds into what this one holds (the same result on both).
pub fn merge(mine: &Replicated, theirs: &Replicated) -> Replicated {
    let mut gone: BTreeMap<(String, String), u64> = BTreeMap::new();
    for g in mine.gone.iter().chain(&theirs.gone) {
        let at = gone.entry((g.what.clone(), g.key.clone())).or_default();
        *at = (*at).max(g.at);
    }
    let buried = |what: &str, key: &str, updated: u64| {
        gone.get(&(what.to_string(), key.to_string()))
            .is_some_and(|at| *at >= updated)
    };

    let mut peers: BTreeMap<String, Peer> = BTreeMap::new();
    for p in mine.peers.iter().chain(&theirs.peers) {
        match peers.get_mut(&p.did) {
            Some(held)
                if (p.updated, json(&merged_view(p)))
                    > (held.updated, json(&merged_view(held))) =>
            {
                let (last, addrs, endpoint) =
                    (held.last_sync, held.addrs.clone(), held.endpoint.clone());
                *held = p.clone();
                // Where it was reached last, whichever side knew.
                held.last_sync = held.last_sync.max(last);
                if held.addrs.is_empty() {
                    held.addrs = addrs;
                    held.endpoint = endpoint;
                }
            }
            Some(_) => {}
            None => {
                peers.insert(p.did.clone(), p.clone());
            }
        }
    }
    peers.retain(|did, p| !buried("peer", did, p.updated));
    // Two devices may have given one name to two dids: the later keeps it.
    let mut by_name: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for p in peers.values() {
        let e = by_name
            .entry(p.name.clone())
            .or_insert((p.updated, p.did.clone()));
        if (p.updated, &p.did) > (e.0, &e.1) {
            *e = (p.updated, p.did.clone());
        }
    }
    for p in peers.values_mut() {
        if by_name.get(&p.name).is_some_and(|(_, did)| *did != p.did) {
            p.name = format!("{}-{}", p.name, &p.did[p.did.len().saturating_sub(6)..]);
        }
    }

    let mut guilds: BTreeMap<String, Guild> = BTreeMap::new();
    for g in mine.guilds.iter().chain(&theirs.guilds) {
        match guilds.get_mut(&g.name) {
            Some(held) if (g.updated, json(g)) > (held.updated, json(held)) => *held = g.clone(),
            Some(_) => {}
            None => {
                guilds.insert(g.name.clone(), g.clone());
            }
        }
    }
    guilds.retain(|name, g| !buried("guild", name, g.updated));

    let mut shares: BTreeMap<String, Share> = BTreeMap::new();
    for s in mine.shares.iter().chain(&theirs.shares) {
        match shares.get_mut(&s.id) {
            Some(held) => {
                let sent = union(&held.sent, &s.sent);
                if (s.seq, s.issued, json(s)) > (held.seq, held.issued, json(held)) {
                    *held = s.clone();
                }
                held.sent = sent;
            }
            None => {
                shares.insert(s.id.clone(), s.clone());
            }
        }
    }

    let mut out = Replicated {
        peers: peers.into_values().collect(),
        guilds: guilds.into_values().collect(),
        shares: shares.into_values().collect(),
        gone: gone
            .into_iter()
            .map(|((what, key), at)| Gone { what, key, at })
            .collect(),
    };
    canonical(&mut out);
    out
}

fn union(a: &[Sent], b: &[Sent]) -> Vec<Sent> {
    let mut by: BTreeMap<String, Sent> = BTreeMap::new();
    for s in a.iter().chain(b) {
        match by.get_mut(&s.did) {
            Some(held) if s.seq > held.seq || (s.seq == held.seq && s.revoked && !held.revoked) => {
                *held = s.clone();
            }
            Some(_) => {}
            None => {
                by.insert(s.did.clone(), s.clone());
            }
        }
    }
    by.into_values().collect()
}

/// Writes a merged state (each list in its own setting).
pub fn write(vault: &mut Vault, r: &Replicated) -> Result<()> {
    settings::write(vault, "peers", &r.peers)?;
    settings::write(vault, "guilds", &r.guilds)?;
    settings::write(vault, "shares", &r.shares)?;
    settings::write(vault, GONE, &r.gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(did: &str, name: &str, updated: u64) -> Peer {
        Peer {
            name: name.into(),
            did: did.into(),
            endpoint: String::new(),
            addrs: vec![],
            added: 1,
            last_sync: None,
            updated,
        }
    }

    #[test]
    fn merging_is_the_same_either_way_and_removals_hold() {
        let a = Replicated {
            peers: vec![peer("did:a", "acme", 5), peer("did:b", "bo", 3)],
            guilds: vec![Guild {
                name: "crew".into(),
                members: vec!["did:a".into()],
                updated: 7,
            }],
            shares: vec![],
            gone: vec![],
        };
        let b = Replicated {
            peers: vec![peer("did:a", "acme-corp", 9), peer("did:c", "cy", 2)],
            guilds: vec![],
            shares: vec![],
            gone: vec![
                Gone {
                    what: "peer".into(),
                    key: "did:b".into(),
                    at: 4,
                },
                Gone {
                    what: "guild".into(),
                    key: "crew".into(),
                    at: 6,
                },
            ],
        };
        let ab = merge(&a, &b);
        let ba = merge(&b, &a);
        assert_eq!(ab, ba);
        assert_eq!(digest(&ab), digest(&ba));
        let names: Vec<&str> = ab.peers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["acme-corp", "cy"],
            "the later rename wins, bo stays removed"
        );
        assert_eq!(
            ab.guilds.len(),
            1,
            "crew changed after its removal: it stays"
        );
        // Merging again changes nothing.
        assert_eq!(merge(&ab, &ba), ab);
    }
}
