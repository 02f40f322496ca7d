//! The network side: an iroh endpoint for this device, the protocol that answers other devices,
//! and the client that reaches them.
//!
//! A device's endpoint key is its own ([`musette_core::Vault::endpoint_secret`]); the
//! certificate it presents is signed by the owner ([`crate::cert`]). The endpoint id iroh's TLS
//! authenticated, with that certificate, is all that decides what a connection may see.
//!
//! With `relay: false` (`--no-relay`, and every test) the endpoint uses no relay and no address
//! lookup: it reaches only the direct addresses it is given, and binds where it is told (tests
//! bind `127.0.0.1:0`).

use crate::SYNC;
use musette_core::msg;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use iroh::endpoint::{Connection, presets};
/// What answers other devices and peers until it is shut down ([`Node::serve`]).
pub use iroh::protocol::Router;
use iroh::protocol::{AcceptError, ProtocolHandler};
use iroh::{Endpoint, EndpointAddr, PublicKey, RelayMode, SecretKey};
use serde::{Deserialize, Serialize};

use musette_core::Vault;

use crate::cert;
use crate::peer_session::PeerOutcome;
use std::collections::HashMap;

use crate::session::{self, Outcome, SyncError};
use crate::wire::{DeviceCert, PeerCert};

/// The ALPN of musette's sync protocol, version 1.
pub const ALPN: &[u8] = b"musette/sync/1";
/// The most exchanges `serve` runs at once, each with a device or peer whose hello checked out:
/// one more is refused as busy (it tries again later). Each may hold up to a frame's worth of
/// memory. A connection takes a slot only once its certificate holds, so strangers never keep
/// this vault's devices and peers out.
pub const MAX_CONNECTIONS: usize = 8;
/// The most connections `serve` holds at once, authenticated or not (a stranger's waits at most
/// for its hello); more are closed at once.
pub const MAX_PENDING: usize = 64;
/// The most connections from one endpoint `serve` holds at once: a newer one closes the
/// oldest (only that endpoint's key opens them, so they are its own stale ones).
pub const MAX_PER_ENDPOINT: usize = 4;

/// The ALPN of the exchange between peers (two owners), version 1.
pub const PEER_ALPN: &[u8] = b"musette/peer/1";

/// How this device's endpoint reaches the network.
#[derive(Debug, Clone, Default)]
pub struct NetConfig {
    /// The one address to listen on (default: every interface, IPv4 and IPv6, a free port).
    /// Given, it is the endpoint's only socket: `127.0.0.1:0` listens on no other interface.
    pub bind: Option<SocketAddr>,
    /// Use iroh's relays and address lookup to cross NATs (default off in tests).
    pub relay: bool,
    /// The relays to use instead of iroh's public ones (an organisation's own), as URLs.
    pub relays: Vec<String>,
    /// Without `bind`: the port to listen on, on every interface (IPv6 if the system has it),
    /// to be found again where this device was before.
    pub port: Option<u16>,
}

/// Opens (or makes, readable by its owner only) the lock file `name` in the vault's folder.
fn lock_file(dir: &std::path::Path, name: &str, what: &str) -> Result<std::fs::File, NetError> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).write(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(dir.join(name))
        .map_err(|e| NetError::Bind(format!("cannot take the vault's {what} lock: {e}")))
}

/// Held while this process answers other devices for a vault (`musette serve`, `musette device
/// invite`, the web app): one process at a time serves a vault, since two would answer with one
/// identity, each with invitations of its own. A lock on a file in the vault's folder, let go
/// when this is dropped or the process ends, however it ends.
#[derive(Debug)]
pub struct ServeLock(#[allow(dead_code)] std::fs::File);

impl ServeLock {
    /// Takes the lock for the vault in `dir`, or says which command holds it.
    pub fn take(dir: &std::path::Path) -> Result<ServeLock, NetError> {
        let file = lock_file(dir, "serve.lock", "serve")?;
        match file.try_lock() {
            Ok(()) => Ok(ServeLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(NetError::AlreadyServed),
            Err(std::fs::TryLockError::Error(e)) => Err(NetError::Bind(format!(
                "cannot take the vault's serve lock: {e}"
            ))),
        }
    }
}

/// Held by every process that keeps this vault's keys for long (`serve`, `device invite`, the
/// web app while unlocked), shared; taken alone by a command that changes the keys (`rekey`,
/// `device remove`, new keys taken from another device), which is refused while any other
/// holds it: they would go on with the old keys. A lock on `keys.lock` in the vault's folder,
/// let go when dropped or when the process ends, however it ends (a file left behind holds
/// nothing).
#[derive(Debug)]
pub struct KeysLock(#[allow(dead_code)] std::fs::File);

impl KeysLock {
    /// Holds the keys in use, beside any other holder; refused while a command changes them.
    pub fn share(dir: &std::path::Path) -> Result<KeysLock, NetError> {
        let file = lock_file(dir, "keys.lock", "keys")?;
        match file.try_lock_shared() {
            Ok(()) => Ok(KeysLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(NetError::KeysChanging),
            Err(std::fs::TryLockError::Error(e)) => Err(NetError::Bind(format!(
                "cannot take the vault's keys lock: {e}"
            ))),
        }
    }

    /// Holds the keys alone, to change them; refused ([`NetError::AlreadyServed`]) while
    /// another process holds them.
    pub fn change(dir: &std::path::Path) -> Result<KeysLock, NetError> {
        let file = lock_file(dir, "keys.lock", "keys")?;
        match file.try_lock() {
            Ok(()) => Ok(KeysLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(NetError::AlreadyServed),
            Err(std::fs::TryLockError::Error(e)) => Err(NetError::Bind(format!(
                "cannot take the vault's keys lock: {e}"
            ))),
        }
    }
}

/// A network failure, said for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// The endpoint could not bind.
    #[error("cannot open the network endpoint: {0}")]
    Bind(String),
    /// The address given to listen on cannot be taken: not one of this machine's, or its port
    /// is another program's.
    #[error(
        "cannot listen on {addr}: {why}. Give --bind (or MUSETTE_BIND) an address of this machine, such as 127.0.0.1:0, or 0.0.0.0:PORT for every interface, with a port no other program uses"
    )]
    Address {
        /// The address.
        addr: String,
        /// What the system said.
        why: String,
    },
    /// The peer could not be reached.
    #[error(
        "could not reach {who}: {why}. Check that it runs `musette serve` (or the app, open and unlocked) and that the address known for it is current (a newer ticket updates it)"
    )]
    Unreachable {
        /// Whom.
        who: String,
        /// What failed.
        why: String,
    },
    /// The exchange failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Another process already answers for this vault.
    #[error(
        "another musette already serves this vault (`musette serve`, `musette device invite`, or the web app in another window): use that one, or stop it first"
    )]
    AlreadyServed,
    /// A ticket that cannot be read.
    #[error("that is not a musette ticket: {0}")]
    BadTicket(String),
    /// An invitation (`device invite`) that cannot be read.
    #[error("that is not a musette invitation: {0}")]
    BadInvitation(String),
    /// Another command is changing this vault's keys right now.
    #[error(
        "another musette command is changing this vault's keys (rekey, device remove, new keys taken): try again once it ends"
    )]
    KeysChanging,
}

/// What another device or peer needs to reach this one: its owner's did, its endpoint id and
/// the addresses it listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// The owner's did:key.
    pub did: String,
    /// The endpoint id (Ed25519 public key).
    pub endpoint: [u8; 32],
    /// Direct addresses.
    pub addrs: Vec<SocketAddr>,
}

pub(crate) const TICKET_PREFIX: &str = "musette1";

/// `prefix`, then base32 (lower case) of `bytes` and the first 4 bytes of their SHA-256, so a
/// mistyped or cut ticket is caught when it is read, not at the first connection.
pub(crate) fn armor(prefix: &str, bytes: &[u8]) -> zeroize::Zeroizing<String> {
    let mut all = zeroize::Zeroizing::new(bytes.to_vec());
    all.extend_from_slice(&musette_core::crypto::sha256(bytes)[..4]);
    zeroize::Zeroizing::new(format!(
        "{prefix}{}",
        data_encoding::BASE32_NOPAD
            .encode(&all)
            .to_ascii_lowercase()
    ))
}

/// The bytes [`armor`] wrote, checked.
pub(crate) fn unarmor(prefix: &str, text: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, NetError> {
    let body = text.trim().strip_prefix(prefix).ok_or_else(|| {
        // A device invitation where a ticket goes: said as such.
        if prefix == TICKET_PREFIX && text.trim().starts_with(crate::pair::PREFIX) {
            return NetError::BadTicket(msg!(SYNC, "ticket-is-invitation").to_string());
        }
        NetError::BadTicket(msg!(SYNC, "ticket-prefix", prefix = prefix).to_string())
    })?;
    if body.len() > 8192 {
        return Err(NetError::BadTicket(
            msg!(SYNC, "ticket-too-long").to_string(),
        ));
    }
    let mut bytes = zeroize::Zeroizing::new(
        data_encoding::BASE32_NOPAD
            .decode(body.to_ascii_uppercase().as_bytes())
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-cut").to_string()))?,
    );
    if bytes.len() < 4 {
        return Err(NetError::BadTicket(msg!(SYNC, "ticket-cut").to_string()));
    }
    let at = bytes.len() - 4;
    let sum = bytes.split_off(at);
    if musette_core::crypto::sha256(&bytes)[..4] != sum[..] {
        return Err(NetError::BadTicket(
            msg!(SYNC, "ticket-checksum").to_string(),
        ));
    }
    Ok(bytes)
}

impl Ticket {
    /// The ticket as text: `musette1` and base32 of its postcard form and a checksum.
    pub fn encode(&self) -> String {
        armor(
            TICKET_PREFIX,
            &postcard::to_stdvec(self).unwrap_or_default(),
        )
        .to_string()
    }

    /// Reads a ticket.
    pub fn decode(text: &str) -> Result<Ticket, NetError> {
        let bytes = unarmor(TICKET_PREFIX, text)?;
        let t: Ticket = postcard::from_bytes(&bytes)
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-cut").to_string()))?;
        musette_core::identity::public_key_from_did(&t.did)
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-did").to_string()))?;
        PublicKey::from_bytes(&t.endpoint)
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-endpoint").to_string()))?;
        Ok(t)
    }

    /// The iroh address of the ticket's endpoint.
    pub fn addr(&self) -> Result<EndpointAddr, NetError> {
        let id = PublicKey::from_bytes(&self.endpoint)
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-endpoint").to_string()))?;
        Ok(self
            .addrs
            .iter()
            .fold(EndpointAddr::new(id), |a, addr| a.with_ip_addr(*addr)))
    }
}

/// Checks a relay URL (as the configuration file gives it).
pub fn check_relay(url: &str) -> Result<(), String> {
    url.parse::<iroh::RelayUrl>()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// How each sync another device opened with this one ended.
pub type SyncEvents = tokio::sync::mpsc::UnboundedReceiver<Result<Outcome, String>>;
/// How each exchange a peer opened with this vault ended.
pub type PeerEvents = tokio::sync::mpsc::UnboundedReceiver<Result<PeerOutcome, String>>;

/// Binds an endpoint with `secret`, accepting `alpns`, as `cfg` says: with relays and address
/// lookup (iroh's defaults), or with neither, reaching only direct addresses.
pub(crate) async fn bind_endpoint(
    secret: SecretKey,
    alpns: Vec<Vec<u8>>,
    cfg: &NetConfig,
) -> Result<Endpoint, NetError> {
    let mut builder = if cfg.relay && !cfg.relays.is_empty() {
        let urls = cfg
            .relays
            .iter()
            .map(|u| {
                u.parse::<iroh::RelayUrl>().map_err(|e| {
                    NetError::Bind(format!(
                        "the relay {u:?} in the configuration is not a relay URL ({e}): write it as https://relay.example.org"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Endpoint::builder(presets::N0).relay_mode(RelayMode::custom(urls))
    } else if cfg.relay {
        Endpoint::builder(presets::N0)
    } else {
        Endpoint::builder(presets::Minimal).relay_mode(RelayMode::Disabled)
    }
    .secret_key(secret)
    .alpns(alpns);
    let invalid = |addr: SocketAddr, e: iroh::endpoint::InvalidSocketAddr| {
        NetError::Bind(format!("{addr}: {e}"))
    };
    if let Some(addr) = cfg.bind {
        // In place of iroh's own sockets (every interface, both families), not beside them.
        builder = builder
            .clear_ip_transports()
            .bind_addr(addr)
            .map_err(|e| invalid(addr, e))?;
    } else if let Some(port) = cfg.port {
        // iroh's own two sockets, on that port; the IPv6 one may fail, as iroh's may.
        let (v4, v6) = (
            SocketAddr::from(([0, 0, 0, 0], port)),
            SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, port)),
        );
        builder = builder
            .clear_ip_transports()
            .bind_addr(v4)
            .map_err(|e| invalid(v4, e))?
            .bind_addr_with_opts(
                v6,
                iroh::endpoint::BindOpts::default().set_is_required(false),
            )
            .map_err(|e| invalid(v6, e))?;
    }
    let wanted = cfg
        .bind
        .or_else(|| cfg.port.map(|port| SocketAddr::from(([0, 0, 0, 0], port))));
    builder.bind().await.map_err(|e| match wanted {
        // iroh says only that it could not bind: the system says why.
        Some(addr) => match std::net::UdpSocket::bind(addr) {
            Err(why) => NetError::Address {
                addr: addr.to_string(),
                why: why.to_string(),
            },
            Ok(_) => NetError::Bind(e.to_string()),
        },
        None => NetError::Bind(e.to_string()),
    })
}

/// Devices still to be handed the keys made when a device was removed here.
#[derive(Debug)]
struct HandoverState {
    /// Each epoch of old keys a waiting device may still hold (the latest first), with this
    /// device's certificate under it.
    epochs: Vec<([u8; 32], DeviceCert)>,
    pending: Vec<crate::devices::Known>,
    removed: Vec<(String, String)>,
    /// The removals the devices handed the keys are told of (none after a plain rekey).
    said_removed: Vec<(String, String)>,
    removed_endpoints: Vec<String>,
}

/// This device on the network: its endpoint, its certificate, and its vault.
#[derive(Debug, Clone)]
pub struct Node {
    endpoint: Endpoint,
    /// Without relays: a direct address that does not answer soon will not.
    direct_only: bool,
    vault: Arc<Mutex<Vault>>,
    me: DeviceCert,
    did: String,
    hash: [u8; 32],
    epoch: [u8; 32],
    synced: tokio::sync::mpsc::UnboundedSender<Result<Outcome, String>>,
    events: Arc<Mutex<Option<SyncEvents>>>,
    peer: PeerCert,
    handover: Option<Arc<HandoverState>>,
    busy: Arc<tokio::sync::Semaphore>,
    pending: Arc<tokio::sync::Semaphore>,
    per_endpoint: Arc<Mutex<PerEndpoint>>,
    peered: tokio::sync::mpsc::UnboundedSender<Result<PeerOutcome, String>>,
    peer_events: Arc<Mutex<Option<PeerEvents>>>,
}

impl Node {
    /// Binds this device's endpoint.
    pub async fn bind(vault: Vault, name: &str, cfg: &NetConfig) -> Result<Node, NetError> {
        let mut vault = vault;
        let secret = vault
            .endpoint_secret()
            .map_err(|e| NetError::Bind(e.to_string()))?;
        let secret = SecretKey::from_bytes(&secret);
        let endpoint_id = *secret.public().as_bytes();
        let endpoint = bind_endpoint(
            secret,
            vec![
                ALPN.to_vec(),
                PEER_ALPN.to_vec(),
                crate::pair::PAIR_ALPN.to_vec(),
            ],
            cfg,
        )
        .await?;
        let me =
            cert::issue(&vault, endpoint_id, name).map_err(|e| NetError::Bind(e.to_string()))?;
        let peer = cert::issue_peer(&vault, endpoint_id, name)
            .map_err(|e| NetError::Bind(e.to_string()))?;
        let did = vault
            .owner()
            .map_err(|e| NetError::Bind(e.to_string()))?
            .did()
            .to_string();
        let hash = vault.vault_hash();
        let epoch = vault.key_epoch();
        let (synced, events) = tokio::sync::mpsc::unbounded_channel();
        let (peered, peer_events) = tokio::sync::mpsc::unbounded_channel();
        let handover = crate::devices::handover(&vault)
            .ok()
            .filter(|h| !h.pending.is_empty())
            .and_then(|h| {
                let epochs: Vec<([u8; 32], DeviceCert)> = std::iter::once(&h.old_epoch)
                    .chain(&h.older)
                    .filter_map(|e| {
                        let old: [u8; 32] = data_encoding::HEXLOWER
                            .decode(e.as_bytes())
                            .ok()?
                            .try_into()
                            .ok()?;
                        (old != epoch).then_some(old)
                    })
                    .filter_map(|old| {
                        Some((
                            old,
                            cert::issue_under(&vault, endpoint_id, name, &old).ok()?,
                        ))
                    })
                    .collect();
                if epochs.is_empty() {
                    return None;
                }
                let older = !h.older.is_empty();
                Some(Arc::new(HandoverState {
                    epochs,
                    pending: h.pending,
                    removed_endpoints: h
                        .removed
                        .iter()
                        .filter(|k| !k.endpoint.is_empty())
                        .map(|k| k.endpoint.clone())
                        .collect(),
                    // A device that may have missed a removal before a rekey hears of it.
                    said_removed: if h.rekeyed && !older {
                        Vec::new()
                    } else {
                        h.removed
                            .iter()
                            .map(|k| (k.id.clone(), k.name.clone()))
                            .collect()
                    },
                    removed: h.removed.into_iter().map(|k| (k.id, k.name)).collect(),
                }))
            });
        Ok(Node {
            direct_only: !cfg.relay,
            handover,
            busy: Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS)),
            pending: Arc::new(tokio::sync::Semaphore::new(MAX_PENDING)),
            per_endpoint: Arc::default(),
            peer,
            peered,
            peer_events: Arc::new(Mutex::new(Some(peer_events))),
            endpoint,
            vault: Arc::new(Mutex::new(vault)),
            me,
            did,
            hash,
            epoch,
            synced,
            events: Arc::new(Mutex::new(Some(events))),
        })
    }

    /// The outcome of every sync another device opened with this one, as they end (once).
    pub fn take_events(&self) -> Option<SyncEvents> {
        self.events.lock().ok().and_then(|mut e| e.take())
    }

    /// The outcome of every exchange a peer opened with this vault, as they end (once).
    pub fn take_peer_events(&self) -> Option<PeerEvents> {
        self.peer_events.lock().ok().and_then(|mut e| e.take())
    }

    /// This device's ticket.
    pub fn ticket(&self) -> Ticket {
        let mut addrs = self.endpoint.bound_sockets();
        addrs.retain(|a| !a.ip().is_unspecified());
        // Bound on every interface (no `--bind`), the sockets name no address: the
        // interfaces' addresses iroh found stand for them, so a ticket of `serve --no-relay`
        // reaches this device on its network.
        for a in self.endpoint.addr().ip_addrs() {
            if !addrs.contains(a) {
                addrs.push(*a);
            }
        }
        Ticket {
            did: self.did.clone(),
            endpoint: self.me.endpoint,
            addrs,
        }
    }

    /// The addresses this node listens on.
    pub fn sockets(&self) -> Vec<SocketAddr> {
        self.endpoint.bound_sockets()
    }

    /// The vault, shared with the protocol.
    pub fn vault(&self) -> Arc<Mutex<Vault>> {
        self.vault.clone()
    }

    /// Answers other devices until the returned router is shut down.
    pub fn serve(&self) -> Router {
        self.serve_with(None)
    }

    /// Answers other devices, and with `pairing` one new device holding an invitation.
    pub fn serve_with(&self, pairing: Option<crate::pair::Pairing>) -> Router {
        let mut builder = Router::builder(self.endpoint.clone())
            .accept(ALPN, Answer { node: self.clone() })
            .accept(PEER_ALPN, PeerAnswer { node: self.clone() });
        if let Some(p) = pairing {
            builder = builder.accept(crate::pair::PAIR_ALPN, p);
        }
        builder.spawn()
    }

    fn check(&self, remote: [u8; 32]) -> impl Fn(&DeviceCert) -> Result<(), String> + use<> {
        let (did, hash, epoch) = (self.did.clone(), self.hash, self.epoch);
        move |c: &DeviceCert| {
            cert::verify(c, &did, &hash, &epoch, &remote)
                .map_err(|e| msg!(SYNC, "refusal-not-a-device", why = e.to_string()).to_string())
        }
    }

    /// Connects to the endpoint the ticket names, with `alpn`, and opens the exchange's
    /// stream; `who` names it in errors.
    async fn open(
        &self,
        ticket: &Ticket,
        alpn: &[u8],
        who: &str,
    ) -> Result<
        (
            Connection,
            [u8; 32],
            iroh::endpoint::SendStream,
            iroh::endpoint::RecvStream,
        ),
        NetError,
    > {
        let unreachable = |why: String| NetError::Unreachable {
            who: who.to_string(),
            why,
        };
        let connecting = self.endpoint.connect(ticket.addr()?, alpn);
        // Relays and hole punching take their time; a direct address answers at once or not at
        // all (it said nothing for 30 s before failing).
        let conn = if self.direct_only {
            tokio::time::timeout(DIRECT_WAIT, connecting)
                .await
                .map_err(|_| {
                    unreachable(
                        msg!(SYNC, "net-no-answer", secs = DIRECT_WAIT.as_secs()).to_string(),
                    )
                })?
        } else {
            connecting.await
        }
        .map_err(|e| unreachable(e.to_string()))?;
        let remote = *conn.remote_id().as_bytes();
        let (send, recv) = conn
            .open_bi()
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        Ok((conn, remote, send, recv))
    }

    /// Syncs with the device the ticket names.
    pub async fn sync_with(&self, ticket: &Ticket) -> Result<Outcome, NetError> {
        self.sync_device(ticket, "").await
    }

    /// [`Node::sync_with`] a device this one knows by `name` (said in errors; empty: by its
    /// address).
    pub async fn sync_device(&self, ticket: &Ticket, name: &str) -> Result<Outcome, NetError> {
        let who = if name.is_empty() {
            ticket.addrs.first().map_or_else(
                || msg!(SYNC, "who-other-device").to_string(),
                |a| msg!(SYNC, "who-device-at", prefix = a.to_string()).to_string(),
            )
        } else {
            name.to_string()
        };
        let (conn, remote, mut send, mut recv) = self.open(ticket, ALPN, &who).await?;
        let out = session::run(
            self.vault.clone(),
            true,
            self.me.clone(),
            self.check(remote),
            &mut send,
            &mut recv,
        )
        .await?;
        let _ = send.finish();
        conn.close(0u32.into(), b"done");
        if let Some(peer) = &out.peer {
            let addrs: Vec<String> = ticket.addrs.iter().map(ToString::to_string).collect();
            if let Ok(mut v) = self.vault.lock() {
                let _ = crate::devices::remember(&mut v, peer, &addrs);
            }
            self.note_device(peer, false);
        }
        Ok(out)
    }

    /// Exchanges shares and co-signing requests with the peer the ticket names (its did must
    /// be one of this vault's peers).
    pub async fn sync_peer(&self, ticket: &Ticket, name: &str) -> Result<PeerOutcome, NetError> {
        let (conn, remote, mut send, mut recv) = self.open(ticket, PEER_ALPN, name).await?;
        let out = crate::peer_session::run(
            self.vault.clone(),
            true,
            self.peer_me(),
            Some(ticket.did.clone()),
            remote,
            &mut send,
            &mut recv,
        )
        .await;
        let _ = send.finish();
        conn.close(0u32.into(), b"done");
        let out = out.map_err(|e| match e {
            SyncError::NewKeys(_) => SyncError::Protocol("a peer sent device keys".into()),
            other => other,
        })?;
        let addrs: Vec<String> = ticket.addrs.iter().map(ToString::to_string).collect();
        if let Ok(mut v) = self.vault.lock() {
            let _ = crate::peers::synced(&mut v, &out.did, &remote, &addrs);
        }
        Ok(out)
    }

    /// Which device (from before a removal) may be handed the new keys on this connection.
    fn handover_to(
        &self,
        remote: [u8; 32],
    ) -> impl Fn(&DeviceCert) -> Option<session::Handover> + use<> {
        let state = self.handover.clone();
        let (did, hash, vault) = (self.did.clone(), self.hash, self.vault.clone());
        move |c: &DeviceCert| {
            let h = state.as_ref()?;
            let (_, old_cert) = h
                .epochs
                .iter()
                .find(|(e, _)| cert::verify(c, &did, &hash, e, &remote).is_ok())?;
            let (id, endpoint) = (
                musette_core::crypto::hex(&c.device),
                musette_core::crypto::hex(&remote),
            );
            // A device removed here or elsewhere is never handed anything.
            if h.removed.iter().any(|(r, _)| *r == id) || h.removed_endpoints.contains(&endpoint) {
                return None;
            }
            h.pending
                .iter()
                .find(|k| k.id == id && k.endpoint == endpoint)?;
            let keys = vault.lock().ok()?.device_keys().ok()?.to_bytes();
            Some(session::Handover {
                cert: old_cert.clone(),
                keys,
                removed: h.said_removed.clone(),
            })
        }
    }

    /// Logs a sync with another device: a handover in the audit log, and a device that synced
    /// with the current keys is no longer waiting for them.
    fn note_device(&self, peer: &DeviceCert, handed_over: bool) {
        let Ok(mut v) = self.vault.lock() else {
            return;
        };
        let id = musette_core::crypto::hex(&peer.device);
        if handed_over {
            let _ = crate::peers::audit(
                &mut v,
                crate::peers::Event {
                    event: "keys-handed-over".into(),
                    detail: Some(format!("device {} ({id})", peer.name)),
                    ..Default::default()
                },
            );
        } else if self.handover.is_some() {
            let _ = crate::devices::handed_over(&mut v, &id);
        }
    }

    /// Makes this device's certificates anew from the vault (after it took new keys).
    pub fn reissue(&mut self) -> Result<(), NetError> {
        let v = self
            .vault
            .lock()
            .map_err(|_| NetError::Bind("the vault's lock was poisoned".into()))?;
        let endpoint = self.me.endpoint;
        let name = self.me.name.clone();
        self.me = cert::issue(&v, endpoint, &name).map_err(|e| NetError::Bind(e.to_string()))?;
        self.peer =
            cert::issue_peer(&v, endpoint, &name).map_err(|e| NetError::Bind(e.to_string()))?;
        self.epoch = v.key_epoch();
        Ok(())
    }

    fn peer_me(&self) -> crate::peer_session::Me {
        crate::peer_session::Me {
            did: self.did.clone(),
            cert: self.peer.clone(),
        }
    }

    /// This device's certificate.
    pub fn cert(&self) -> &DeviceCert {
        &self.me
    }

    /// Closes the endpoint.
    pub async fn close(&self) {
        self.endpoint.close().await;
    }
}

/// How long a connection may take to open its stream, or to close once the exchange is over:
/// a client that does neither does not keep one of `serve`'s slots.
const IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// The connections `serve` holds from each endpoint, oldest first, each with a number of its
/// own (see [`MAX_PER_ENDPOINT`]).
#[derive(Debug, Default)]
struct PerEndpoint {
    next: u64,
    held: HashMap<[u8; 32], Vec<(u64, Connection)>>,
}

/// A connection `serve` holds: counted in [`MAX_PENDING`] and [`MAX_PER_ENDPOINT`] while this
/// lives.
struct Held {
    _permit: tokio::sync::OwnedSemaphorePermit,
    remote: [u8; 32],
    number: u64,
    per_endpoint: Arc<Mutex<PerEndpoint>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut all = self
            .per_endpoint
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(held) = all.held.get_mut(&self.remote) {
            held.retain(|(n, _)| *n != self.number);
            if held.is_empty() {
                all.held.remove(&self.remote);
            }
        }
    }
}

/// A connection `serve` takes on, the remote endpoint, and the stream opened in time.
type Admitted = (
    Held,
    [u8; 32],
    iroh::endpoint::SendStream,
    iroh::endpoint::RecvStream,
);

/// How long a connection to a direct address (relays off) may take to open.
pub(crate) const DIRECT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a refused or failed connection has to read why and close before it is closed.
const REFUSED_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

impl Node {
    /// Holds a connection if there is room for it overall (else closes it at once: `None`),
    /// closing the oldest from its endpoint beyond [`MAX_PER_ENDPOINT`], and waits for its
    /// stream.
    async fn admit(&self, connection: &Connection) -> Result<Option<Admitted>, AcceptError> {
        let remote = *connection.remote_id().as_bytes();
        let Ok(permit) = self.pending.clone().try_acquire_owned() else {
            connection.close(1u32.into(), b"busy: try again later");
            return Ok(None);
        };
        let number = {
            let mut all = self
                .per_endpoint
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            all.next += 1;
            let number = all.next;
            let held = all.held.entry(remote).or_default();
            // Only that endpoint's key opens a connection as it: one more from it means the
            // oldest are stale (a sync cut by a crash or a lost network), and they go, so a
            // device whose syncs were cut is never kept out by them.
            while held.len() >= MAX_PER_ENDPOINT {
                let (_, stale) = held.remove(0);
                stale.close(3u32.into(), b"superseded by a newer connection from you");
            }
            held.push((number, connection.clone()));
            number
        };
        let held = Held {
            _permit: permit,
            remote,
            number,
            per_endpoint: self.per_endpoint.clone(),
        };
        let (send, recv) = open_stream(connection).await?;
        Ok(Some((held, remote, send, recv)))
    }

    /// Takes one of the [`MAX_CONNECTIONS`] exchange slots into `slot`, for a connection whose
    /// hello checked out; refuses (as busy) when none is free.
    fn take_slot(
        &self,
        slot: &Mutex<Option<tokio::sync::OwnedSemaphorePermit>>,
    ) -> Result<(), String> {
        let permit = self
            .busy
            .clone()
            .try_acquire_owned()
            .map_err(|_| msg!(SYNC, "refusal-busy").to_string())?;
        *slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(permit);
        Ok(())
    }
}

async fn open_stream(
    connection: &Connection,
) -> Result<(iroh::endpoint::SendStream, iroh::endpoint::RecvStream), AcceptError> {
    match tokio::time::timeout(IDLE, connection.accept_bi()).await {
        Ok(r) => Ok(r?),
        Err(_) => {
            connection.close(2u32.into(), b"no stream opened in time");
            Err(AcceptError::from_err(std::io::Error::other(
                "the other side opened no stream in time",
            )))
        }
    }
}

async fn wait_closed(connection: &Connection, within: std::time::Duration) {
    if tokio::time::timeout(within, connection.closed())
        .await
        .is_err()
    {
        connection.close(0u32.into(), b"done");
    }
}

/// How long to wait for the other side to close: a while after an exchange (what it sent
/// last is read), a moment after a refusal or a failure (it reads why, or is closed).
fn closing_wait<T>(result: &Result<T, SyncError>) -> std::time::Duration {
    if result.is_ok() { IDLE } else { REFUSED_GRACE }
}

#[derive(Debug, Clone)]
struct Answer {
    node: Node,
}

impl ProtocolHandler for Answer {
    async fn accept(&self, connection: Connection) -> Result<(), AcceptError> {
        let Some((_held, remote, mut send, mut recv)) = self.node.admit(&connection).await? else {
            return Ok(());
        };
        // An exchange slot is taken once the certificate holds, not before.
        let slot = Mutex::new(None);
        let verify = self.node.check(remote);
        let result = session::run_with(
            self.node.vault.clone(),
            false,
            self.node.me.clone(),
            |c: &DeviceCert| {
                verify(c)?;
                self.node.take_slot(&slot)
            },
            self.node.handover_to(remote),
            &mut send,
            &mut recv,
        )
        .await;
        drop(slot);
        if let Ok(o) = &result
            && let Some(peer) = &o.peer
        {
            if !o.handed_over
                && let Ok(mut v) = self.node.vault.lock()
            {
                let _ = crate::devices::remember(&mut v, peer, &[]);
            }
            self.node.note_device(peer, o.handed_over);
        }
        let _ = send.finish();
        wait_closed(&connection, closing_wait(&result)).await;
        if let Err(SyncError::Refusing(why)) = &result
            && why != &msg!(SYNC, "refusal-busy").to_string()
            && let Ok(mut v) = self.node.vault.lock()
        {
            let _ = crate::peers::refused(
                &mut v,
                &musette_core::crypto::hex(&remote),
                None,
                &format!("as a device: {why}"),
            );
        }
        let _ = self.node.synced.send(
            result
                .as_ref()
                .map(Clone::clone)
                .map_err(ToString::to_string),
        );
        result.map(|_| ()).map_err(AcceptError::from_err)
    }
}

#[derive(Debug, Clone)]
struct PeerAnswer {
    node: Node,
}

impl ProtocolHandler for PeerAnswer {
    async fn accept(&self, connection: Connection) -> Result<(), AcceptError> {
        let Some((_held, remote, mut send, mut recv)) = self.node.admit(&connection).await? else {
            return Ok(());
        };
        let slot = Mutex::new(None);
        let result = crate::peer_session::run_gated(
            self.node.vault.clone(),
            false,
            self.node.peer_me(),
            None,
            remote,
            &mut send,
            &mut recv,
            || self.node.take_slot(&slot),
        )
        .await;
        drop(slot);
        let _ = send.finish();
        wait_closed(&connection, closing_wait(&result)).await;
        let _ = self.node.peered.send(
            result
                .as_ref()
                .map(Clone::clone)
                .map_err(ToString::to_string),
        );
        result.map(|_| ()).map_err(AcceptError::from_err)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_keys_lock_is_shared_by_holders_and_taken_alone_to_change_them() {
        let dir = tempfile::tempdir().unwrap();
        let serve = KeysLock::share(dir.path()).unwrap();
        let app = KeysLock::share(dir.path()).unwrap();
        assert!(matches!(
            KeysLock::change(dir.path()),
            Err(NetError::AlreadyServed)
        ));
        drop(serve);
        assert!(
            KeysLock::change(dir.path()).is_err(),
            "one holder is enough"
        );
        drop(app);
        let change = KeysLock::change(dir.path()).unwrap();
        assert!(matches!(
            KeysLock::share(dir.path()),
            Err(NetError::KeysChanging)
        ));
        drop(change);
        // A file left behind holds nothing.
        assert!(dir.path().join("keys.lock").exists());
        KeysLock::change(dir.path()).unwrap();
    }

    #[test]
    fn a_ticket_with_one_character_changed_or_cut_is_refused() {
        let t = Ticket {
            did: musette_core::identity::did_from_public_key(&[7; 32]),
            endpoint: *SecretKey::from_bytes(&[3; 32]).public().as_bytes(),
            addrs: vec!["127.0.0.1:4433".parse().unwrap()],
        };
        let text = t.encode();
        assert_eq!(Ticket::decode(&text).unwrap(), t);
        assert_eq!(Ticket::decode(&format!("  {text}\n")).unwrap(), t);
        for i in TICKET_PREFIX.len()..text.len() {
            let mut bad: Vec<char> = text.chars().collect();
            bad[i] = if bad[i] == 'a' { 'b' } else { 'a' };
            let bad: String = bad.into_iter().collect();
            assert!(
                matches!(Ticket::decode(&bad), Err(NetError::BadTicket(_))),
                "a change at {i} passed"
            );
        }
        for cut in 1..12 {
            assert!(Ticket::decode(&text[..text.len() - cut]).is_err());
        }
        assert!(Ticket::decode("musette1").is_err());
        assert!(Ticket::decode(&"musette1a".repeat(2000)).is_err());
    }
}
