//! Peers (employers, colleagues, mentors), guilds (named groups of peers) and the audit log,
//! kept in sealed settings of this replica.
//!
//! A peer is known by its owner's did: any endpoint presenting a valid peer certificate from
//! that did is that peer (see [`crate::cert::verify_peer`]). Its endpoint and addresses are
//! remembered so `sync --with NAME` can reach it; `peer add` again with a newer ticket updates
//! them. Peers and guilds share one namespace, so `share --with NAME` is never ambiguous.

use crate::SYNC;
use musette_core::msg;
use serde::{Deserialize, Serialize};

use crate::settings;
use musette_core::{Error, Result, Vault};

use crate::node::Ticket;

const PEERS: &str = "peers";
const GUILDS: &str = "guilds";
const AUDIT: &str = "audit";
const REFUSALS: &str = "refusals";
/// Peers removed while they still held something shared with them: kept on this device until
/// a sync with them has told them it is revoked.
const LEAVING: &str = "leaving";
/// The most refused endpoints remembered (the least recent go first).
pub const REFUSALS_MAX: usize = 1_000;
/// The most entries the audit log keeps (the oldest go first).
pub const AUDIT_MAX: usize = 10_000;
/// The most peers, and the most guilds, one vault knows.
pub const MAX_PEERS: usize = 10_000;

/// A peer this vault knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    /// The name the owner gave it.
    pub name: String,
    /// Its owner's did:key: what identifies it.
    pub did: String,
    /// The endpoint last known (hex).
    pub endpoint: String,
    /// Where it was last known to listen.
    pub addrs: Vec<String>,
    /// When it was added (seconds since the Unix epoch).
    pub added: u64,
    /// When this vault last synced with it.
    #[serde(default)]
    pub last_sync: Option<u64>,
    /// When its name, identity or address was last set (for merging your devices' lists).
    #[serde(default)]
    pub updated: u64,
}

impl Peer {
    /// A ticket to reach it.
    pub fn ticket(&self) -> Option<Ticket> {
        let endpoint: [u8; 32] = data_encoding::HEXLOWER
            .decode(self.endpoint.as_bytes())
            .ok()?
            .try_into()
            .ok()?;
        Some(Ticket {
            did: self.did.clone(),
            endpoint,
            addrs: self.addrs.iter().filter_map(|a| a.parse().ok()).collect(),
        })
    }
}

/// A named group of peers: sharing with a guild shares with each member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guild {
    /// Its name.
    pub name: String,
    /// Its members' dids.
    pub members: Vec<String>,
    /// When it was last changed (for merging your devices' lists).
    #[serde(default)]
    pub updated: u64,
}

/// A time for a change of something last changed at `before`: now, and always later than
/// `before`, so the newest change wins when your devices merge their lists.
pub fn later(before: u64) -> u64 {
    now().max(before.saturating_add(1))
}

/// Remembers that a peer (by did) or a guild (by name) was removed, so that merging with a
/// device that still has it does not bring it back.
fn bury(vault: &mut Vault, what: &str, key: &str, updated: u64) -> Result<()> {
    crate::replicate::bury(vault, what, key, updated)
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn invalid(msg: musette_core::i18n::Msg) -> Error {
    Error::Invalid(msg)
}

/// Checks a name for a peer or guild: 1 to 64 characters, no control characters, not only
/// spaces, not starting with `-` or `musette` (tickets) and no comma.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let quoted = format!("{name:?}");
    let bad = |id: &'static str| {
        invalid(musette_core::i18n::Msg::new(
            &SYNC,
            id,
            vec![("what", what.into()), ("name", quoted.as_str().into())],
        ))
    };
    if name.trim().is_empty() {
        return Err(bad("name-empty"));
    }
    if name.chars().count() > 64 {
        return Err(bad("name-long"));
    }
    if name.chars().any(char::is_control) {
        return Err(bad("name-control"));
    }
    if name.starts_with('-') || name.contains(',') || name.trim() != name {
        return Err(bad("name-shape"));
    }
    if name.starts_with("musette") {
        return Err(bad("name-musette"));
    }
    Ok(())
}

/// The peers this vault knows, in the order added.
pub fn peers(vault: &Vault) -> Result<Vec<Peer>> {
    settings::read(vault, PEERS)
}

/// The guilds, in the order created.
pub fn guilds(vault: &Vault) -> Result<Vec<Guild>> {
    settings::read(vault, GUILDS)
}

/// The peer named `name`.
pub fn peer_named(vault: &Vault, name: &str) -> Result<Peer> {
    peers(vault)?
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| invalid(msg!(SYNC, "peer-none", name = format!("{name:?}"))))
}

/// The peer with this did, if known.
pub fn peer_by_did(vault: &Vault, did: &str) -> Result<Option<Peer>> {
    Ok(peers(vault)?.into_iter().find(|p| p.did == did))
}

/// What `peer add` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Added {
    /// A new peer.
    Added,
    /// A known peer's endpoint and addresses were updated.
    Updated,
}

/// Adds a peer from its ticket, or updates the endpoint and addresses of the one with that did
/// and name.
pub fn add_peer(vault: &mut Vault, name: &str, ticket: &Ticket) -> Result<Added> {
    validate_name("peer", name)?;
    let own = vault.owner()?.did().to_string();
    if ticket.did == own {
        return Err(invalid(msg!(SYNC, "peer-own-device")));
    }
    let guild_names: Vec<String> = guilds(vault)?.into_iter().map(|g| g.name).collect();
    if guild_names.iter().any(|g| g == name) {
        return Err(invalid(msg!(
            SYNC,
            "peer-name-is-guild",
            name = format!("{name:?}")
        )));
    }
    let buried = crate::replicate::buried_at(vault, "peer", &ticket.did)?;
    let added = settings::update(vault, PEERS, |all: &mut Vec<Peer>| {
        let endpoint = musette_core::crypto::hex(&ticket.endpoint);
        let addrs: Vec<String> = ticket.addrs.iter().map(ToString::to_string).collect();
        let outcome = match all.iter_mut().find(|p| p.did == ticket.did) {
            Some(p) if p.name == name => {
                p.endpoint = endpoint;
                if !addrs.is_empty() {
                    p.addrs = addrs;
                }
                p.updated = later(p.updated);
                Added::Updated
            }
            Some(p) => {
                return Err(invalid(msg!(
                    SYNC,
                    "peer-known",
                    name = format!("{:?}", p.name)
                )));
            }
            None => {
                if all.iter().any(|p| p.name == name) {
                    return Err(invalid(msg!(
                        SYNC,
                        "peer-name-taken",
                        name = format!("{name:?}")
                    )));
                }
                if all.len() >= MAX_PEERS {
                    return Err(invalid(msg!(SYNC, "peer-too-many", n = MAX_PEERS)));
                }
                all.push(Peer {
                    name: name.to_string(),
                    did: ticket.did.clone(),
                    endpoint,
                    addrs,
                    added: now(),
                    last_sync: None,
                    updated: later(buried),
                });
                Added::Added
            }
        };
        Ok(outcome)
    })?;
    // Added again before it heard of its removal: it is a peer again, not leaving.
    settings::update(vault, LEAVING, |all: &mut Vec<Peer>| {
        all.retain(|p| p.did != ticket.did);
        Ok(())
    })?;
    audit(
        vault,
        Event {
            event: if added == Added::Added {
                "peer-added"
            } else {
                "peer-updated"
            }
            .into(),
            peer: Some(name.to_string()),
            did: Some(ticket.did.clone()),
            ..Event::default()
        },
    )?;
    Ok(added)
}

/// Peers removed while they held something shared with them, until a sync tells them it is
/// revoked ([`leaving_by_did`]).
pub fn leaving(vault: &Vault) -> Result<Vec<Peer>> {
    settings::read(vault, LEAVING)
}

/// The peer of this did, removed but not yet told that what it holds is revoked: its next
/// sync with this device tells it so (and nothing else), then it is refused as any stranger.
pub fn leaving_by_did(vault: &Vault, did: &str) -> Result<Option<Peer>> {
    Ok(leaving(vault)?.into_iter().find(|p| p.did == did))
}

/// A leaving peer was told: it is forgotten here, and its connections refused from now on.
pub fn left(vault: &mut Vault, did: &str) -> Result<()> {
    let mut gone = None;
    settings::update(vault, LEAVING, |all: &mut Vec<Peer>| {
        if let Some(i) = all.iter().position(|p| p.did == did) {
            gone = Some(all.remove(i));
        }
        Ok(())
    })?;
    if let Some(p) = gone {
        audit(
            vault,
            Event {
                event: "peer-left".into(),
                peer: Some(p.name),
                did: Some(p.did),
                ..Event::default()
            },
        )?;
    }
    Ok(())
}

/// Removes a peer (and its place in every guild), and revokes what was shared with it. If it
/// holds anything shared with it, its next sync with this device tells it that is revoked (and
/// nothing else); after that, and otherwise at once, its connections are refused.
pub fn remove_peer(vault: &mut Vault, name: &str) -> Result<Peer> {
    let removed = settings::update(vault, PEERS, |all: &mut Vec<Peer>| {
        let i = all
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| invalid(msg!(SYNC, "peer-none-short", name = format!("{name:?}"))))?;
        let p = all.remove(i);
        Ok(p)
    })?;
    settings::update(vault, GUILDS, |all: &mut Vec<Guild>| {
        for g in all.iter_mut() {
            if g.members.contains(&removed.did) {
                g.members.retain(|m| *m != removed.did);
                g.updated = later(g.updated);
            }
        }
        Ok(())
    })?;
    bury(vault, "peer", &removed.did, removed.updated)?;
    crate::share::revoke_target(vault, &crate::share::Target::Peer(removed.did.clone()))?;
    let told_of = crate::share::shares(vault)?
        .iter()
        .any(|s| s.sent.iter().any(|x| x.did == removed.did && !x.revoked));
    if told_of {
        let p = removed.clone();
        settings::update(vault, LEAVING, move |all: &mut Vec<Peer>| {
            all.retain(|x| x.did != p.did);
            all.push(p);
            Ok(())
        })?;
    }
    audit(
        vault,
        Event {
            event: "peer-removed".into(),
            peer: Some(removed.name.clone()),
            did: Some(removed.did.clone()),
            ..Event::default()
        },
    )?;
    Ok(removed)
}

/// Notes a sync with the peer of this did, and where it was reached.
pub fn synced(vault: &mut Vault, did: &str, endpoint: &[u8; 32], addrs: &[String]) -> Result<()> {
    settings::update(vault, PEERS, |all: &mut Vec<Peer>| {
        if let Some(p) = all.iter_mut().find(|p| p.did == did) {
            p.last_sync = Some(now());
            p.endpoint = musette_core::crypto::hex(endpoint);
            if !addrs.is_empty() {
                p.addrs = addrs.to_vec();
            }
        }
        Ok(())
    })
}

/// Creates a guild.
pub fn create_guild(vault: &mut Vault, name: &str) -> Result<()> {
    validate_name("guild", name)?;
    if peers(vault)?.iter().any(|p| p.name == name) {
        return Err(invalid(msg!(
            SYNC,
            "guild-name-is-peer",
            name = format!("{name:?}")
        )));
    }
    let buried = crate::replicate::buried_at(vault, "guild", name)?;
    settings::update(vault, GUILDS, |all: &mut Vec<Guild>| {
        if all.iter().any(|g| g.name == name) {
            return Err(invalid(msg!(
                SYNC,
                "guild-exists",
                name = format!("{name:?}")
            )));
        }
        if all.len() >= MAX_PEERS {
            return Err(invalid(msg!(SYNC, "guild-too-many")));
        }
        all.push(Guild {
            name: name.to_string(),
            members: Vec::new(),
            updated: later(buried),
        });
        Ok(())
    })?;
    audit(
        vault,
        Event {
            event: "guild-created".into(),
            guild: Some(name.to_string()),
            ..Event::default()
        },
    )
}

/// Deletes a guild: its shares are revoked for good (its members are told at their next
/// sync), even if a guild of that name is made again.
pub fn delete_guild(vault: &mut Vault, name: &str) -> Result<()> {
    let updated = settings::update(vault, GUILDS, |all: &mut Vec<Guild>| {
        let i = all
            .iter()
            .position(|g| g.name == name)
            .ok_or_else(|| no_guild(name))?;
        Ok(all.remove(i).updated)
    })?;
    bury(vault, "guild", name, updated)?;
    crate::share::revoke_target(vault, &crate::share::Target::Guild(name.to_string()))?;
    audit(
        vault,
        Event {
            event: "guild-deleted".into(),
            guild: Some(name.to_string()),
            ..Event::default()
        },
    )
}

fn no_guild(name: &str) -> Error {
    invalid(msg!(SYNC, "guild-none", name = format!("{name:?}")))
}

/// Adds (`add`) or removes a peer from a guild; returns whether anything changed.
pub fn guild_member(vault: &mut Vault, guild: &str, peer: &str, add: bool) -> Result<bool> {
    let p = peer_named(vault, peer)?;
    let changed = settings::update(vault, GUILDS, |all: &mut Vec<Guild>| {
        let g = all
            .iter_mut()
            .find(|g| g.name == guild)
            .ok_or_else(|| no_guild(guild))?;
        let had = g.members.contains(&p.did);
        if add && !had {
            g.members.push(p.did.clone());
        } else if !add {
            g.members.retain(|m| *m != p.did);
        }
        if had != add {
            g.updated = later(g.updated);
        }
        Ok(had != add)
    })?;
    if changed {
        audit(
            vault,
            Event {
                event: if add { "guild-joined" } else { "guild-left" }.into(),
                guild: Some(guild.to_string()),
                peer: Some(p.name),
                did: Some(p.did),
                ..Event::default()
            },
        )?;
    }
    Ok(changed)
}

/// One line of the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When (seconds since the Unix epoch).
    #[serde(default)]
    pub time: u64,
    /// What: `shared`, `unshared`, `sent`, `revoked-sent`, `received`, `revoked-received`,
    /// `refused`, `cosign-requested`, `cosign-sent`, `cosigned`, `peer-added`, …
    pub event: String,
    /// The peer's name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// The peer's did, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
    /// The guild concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild: Option<String>,
    /// The record concerned (this vault's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The share or received item concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// The fields concerned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// More, for people (why a connection was refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Appends events to the audit log (stamped now), keeping the newest [`AUDIT_MAX`].
pub fn audit_all(vault: &mut Vault, events: Vec<Event>) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let time = now();
    settings::update(vault, AUDIT, |log: &mut Vec<Event>| {
        log.extend(events.into_iter().map(|mut e| {
            e.time = time;
            e
        }));
        if log.len() > AUDIT_MAX {
            log.drain(..log.len() - AUDIT_MAX);
        }
        Ok(())
    })
}

/// Appends one event to the audit log.
pub fn audit(vault: &mut Vault, event: Event) -> Result<()> {
    audit_all(vault, vec![event])
}

/// A refused connection, kept apart from the audit log so that strangers knocking cannot push
/// out what was shared: one entry per endpoint and reason, with a count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The endpoint id (hex), which iroh authenticated.
    pub endpoint: String,
    /// The did it proved (by a valid certificate), if any.
    #[serde(default)]
    pub did: Option<String>,
    /// Why it was refused.
    pub why: String,
    /// How many times.
    pub count: u64,
    /// When first, and last.
    pub first: u64,
    /// See `first`.
    pub last: u64,
}

/// Notes a refused connection from `endpoint` (hex); `did` only when its certificate proved it.
pub fn refused(vault: &mut Vault, endpoint: &str, did: Option<&str>, why: &str) -> Result<()> {
    let t = now();
    let why: String = why.chars().take(300).collect();
    settings::update(vault, REFUSALS, |all: &mut Vec<Refusal>| {
        if let Some(r) = all
            .iter_mut()
            .find(|r| r.endpoint == endpoint && r.why == why && r.did.as_deref() == did)
        {
            r.count = r.count.saturating_add(1);
            r.last = t;
        } else {
            if all.len() >= REFUSALS_MAX {
                all.sort_by_key(|r| std::cmp::Reverse(r.last));
                all.truncate(REFUSALS_MAX - 1);
            }
            all.push(Refusal {
                endpoint: endpoint.to_string(),
                did: did.map(str::to_string),
                why,
                count: 1,
                first: t,
                last: t,
            });
        }
        Ok(())
    })
}

/// The refused connections remembered.
pub fn refusals(vault: &Vault) -> Result<Vec<Refusal>> {
    settings::read(vault, REFUSALS)
}

/// The audit log with the refused connections (one line each, at their last time), oldest
/// first.
pub fn audit_log(vault: &Vault) -> Result<Vec<Event>> {
    let mut log: Vec<Event> = settings::read(vault, AUDIT)?;
    let names: std::collections::HashMap<String, String> =
        peers(vault)?.into_iter().map(|p| (p.did, p.name)).collect();
    log.extend(refusals(vault)?.into_iter().map(|r| Event {
        time: r.last,
        event: "refused".into(),
        peer: r.did.as_ref().and_then(|d| names.get(d).cloned()),
        did: r.did,
        detail: Some(if r.count > 1 {
            format!(
                "endpoint {}: {} ({} times since {})",
                r.endpoint,
                r.why,
                r.count,
                crate::share::rfc3339(r.first)
            )
        } else {
            format!("endpoint {}: {}", r.endpoint, r.why)
        }),
        ..Event::default()
    }));
    log.sort_by_key(|e| e.time);
    Ok(log)
}
