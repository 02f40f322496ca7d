//! Whom a sync reaches: this vault's other devices and its peers, with the tickets it keeps
//! for them. Shared by the command line's `sync` and the web app's "Sync now".

use musette_core::Vault;

use crate::devices::{self, Known};
use crate::node::Ticket;
use crate::peers;

/// One device or peer to sync with.
#[derive(Debug, Clone)]
pub enum Reach {
    /// One of the owner's other devices: its name and ticket.
    Device(String, Ticket),
    /// A peer: its name and ticket.
    Peer(String, Ticket),
}

impl Reach {
    /// Its name (empty for a device known only by a ticket).
    pub fn name(&self) -> &str {
        match self {
            Reach::Device(n, _) | Reach::Peer(n, _) => n,
        }
    }

    /// Where it listens.
    pub fn ticket(&self) -> &Ticket {
        match self {
            Reach::Device(_, t) | Reach::Peer(_, t) => t,
        }
    }

    /// Whether it is a peer (not one of the owner's devices).
    pub fn is_peer(&self) -> bool {
        matches!(self, Reach::Peer(..))
    }
}

/// A device this vault synced with, as something to reach (`None` when its endpoint, as
/// stored, is unreadable).
pub fn device(did: &str, k: Known) -> Option<Reach> {
    let endpoint: [u8; 32] = data_encoding::HEXLOWER
        .decode(k.endpoint.as_bytes())
        .ok()?
        .try_into()
        .ok()?;
    let addrs = k.addrs.iter().filter_map(|a| a.parse().ok()).collect();
    Some(Reach::Device(
        k.name,
        Ticket {
            did: did.to_string(),
            endpoint,
            addrs,
        },
    ))
}

/// Everyone a sync reaches.
#[derive(Debug, Clone, Default)]
pub struct Everyone {
    /// The devices (first) and peers to sync with.
    pub reach: Vec<Reach>,
    /// The names of devices left out because they have not taken the vault's new keys yet
    /// (after a device was removed): they must sync from their side first.
    pub waiting: Vec<String>,
    /// The names of devices left out because, without relays, nothing says where they are:
    /// they only ever connected to this one (they run `sync`, not `serve`).
    pub no_address: Vec<String>,
}

/// Every device this one synced with, every peer, and every peer removed but still to be told
/// that what it holds is revoked. Without `relays` (which find a device by
/// its network id), a device known by no address cannot be reached: it is left out, named.
pub fn everyone(vault: &Vault, relays: bool) -> musette_core::Result<Everyone> {
    let did = vault.owner()?.did().to_string();
    let pending: Vec<String> = devices::handover(vault)?
        .pending
        .into_iter()
        .map(|k| k.id)
        .collect();
    let mut out = Everyone::default();
    for k in devices::known(vault)? {
        if pending.contains(&k.id) {
            out.waiting.push(k.name);
            continue;
        }
        if !relays && k.addrs.is_empty() {
            out.no_address.push(k.name);
            continue;
        }
        out.reach.extend(device(&did, k));
    }
    out.reach.extend(
        peers::peers(vault)?
            .into_iter()
            .filter_map(|p| Some(Reach::Peer(p.name.clone(), p.ticket()?))),
    );
    // Peers removed but not yet told that what they hold is revoked: told at this sync.
    out.reach.extend(
        peers::leaving(vault)?
            .into_iter()
            .filter_map(|p| Some(Reach::Peer(p.name.clone(), p.ticket()?))),
    );
    Ok(out)
}
