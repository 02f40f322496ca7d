//! Pairing a new device: a one-time invitation, and the vault's keys handed over the
//! authenticated connection.
//!
//! `device invite` makes a random 256-bit secret and prints an invitation: this device's ticket
//! and the secret. The new device (`device join`) connects with a throwaway endpoint on the
//! pairing ALPN and sends the secret; if it matches (compared in constant time), the inviting
//! device sends [`musette_core::replica::DeviceKeys`] (vault id, master key, owner seed) over
//! that QUIC connection (TLS 1.3) and forgets the secret: an invitation works once. The new
//! device makes its replica with its own passphrase, then syncs like any device. A wrong secret
//! is refused; after three, the invitation is withdrawn.

use crate::SYNC;
use musette_core::msg;
use std::sync::{Arc, Mutex};

use iroh::SecretKey;
use iroh::endpoint::Connection;
use iroh::protocol::{AcceptError, ProtocolHandler};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use zeroize::Zeroizing;

use musette_core::replica::DeviceKeys;
use musette_core::{KdfParams, RecoveryKey, Vault};

use crate::node::{NetConfig, NetError, Ticket};
use crate::wire::{self, Message};

/// The ALPN of pairing, version 1.
pub const PAIR_ALPN: &[u8] = b"musette/pair/1";
pub(crate) const PREFIX: &str = "musettejoin1";
const MAX_WRONG: u32 = 3;

/// An invitation for one new device.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Invite {
    /// Where the inviting device listens.
    pub ticket: Ticket,
    /// The one-time secret.
    pub secret: [u8; 32],
}

impl std::fmt::Debug for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("ticket", &self.ticket)
            .finish_non_exhaustive()
    }
}

impl Invite {
    /// A fresh invitation to `ticket`.
    pub fn new(ticket: Ticket) -> Invite {
        Invite {
            ticket,
            secret: musette_core::crypto::random_bytes::<32>(),
        }
    }

    /// The invitation as text (it holds a secret: show it only to the new device).
    pub fn encode(&self) -> Zeroizing<String> {
        let bytes = Zeroizing::new(postcard::to_stdvec(self).unwrap_or_default());
        crate::node::armor(PREFIX, &bytes)
    }

    /// Reads an invitation.
    pub fn decode(text: &str) -> Result<Invite, NetError> {
        Self::read(text).map_err(|e| match e {
            NetError::BadTicket(why) => NetError::BadInvitation(why),
            e => e,
        })
    }

    fn read(text: &str) -> Result<Invite, NetError> {
        if !text.trim().starts_with(PREFIX) {
            if text.trim().starts_with(crate::node::TICKET_PREFIX) {
                return Err(NetError::BadTicket(
                    msg!(SYNC, "invitation-is-ticket").to_string(),
                ));
            }
            return Err(NetError::BadTicket(
                msg!(SYNC, "ticket-invitation-prefix", prefix = PREFIX).to_string(),
            ));
        }
        let bytes = crate::node::unarmor(PREFIX, text)?;
        let invite: Invite = postcard::from_bytes(&bytes)
            .map_err(|_| NetError::BadTicket(msg!(SYNC, "ticket-cut").to_string()))?;
        // Checks the ticket inside as a ticket.
        Ticket::decode(&invite.ticket.encode())?;
        Ok(invite)
    }
}

/// What the pairing side reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairEvent {
    /// A device joined, under this name.
    Joined(String),
    /// A wrong secret was refused.
    Refused,
    /// Too many wrong secrets: the invitation is withdrawn.
    Withdrawn,
}

/// Answers one new device on the pairing ALPN.
#[derive(Debug, Clone)]
pub struct Pairing {
    vault: Arc<Mutex<Vault>>,
    state: Arc<Mutex<PairState>>,
    events: mpsc::UnboundedSender<PairEvent>,
}

struct PairState {
    secret: Option<Zeroizing<[u8; 32]>>,
    wrong: u32,
}

impl std::fmt::Debug for PairState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairState")
            .field("wrong", &self.wrong)
            .finish_non_exhaustive()
    }
}

impl Pairing {
    /// Answers the new device holding `invite`'s secret; events say what happened.
    pub fn new(
        vault: Arc<Mutex<Vault>>,
        invite: &Invite,
    ) -> (Pairing, mpsc::UnboundedReceiver<PairEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Pairing {
                vault,
                state: Arc::new(Mutex::new(PairState {
                    secret: Some(Zeroizing::new(invite.secret)),
                    wrong: 0,
                })),
                events: tx,
            },
            rx,
        )
    }

    /// Answers no new device until [`Pairing::arm`]: for a node that runs all along (the web
    /// app's), where invitations come and go.
    pub fn idle(vault: Arc<Mutex<Vault>>) -> (Pairing, mpsc::UnboundedReceiver<PairEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Pairing {
                vault,
                state: Arc::new(Mutex::new(PairState {
                    secret: None,
                    wrong: 0,
                })),
                events: tx,
            },
            rx,
        )
    }

    /// Opens `invite`: its secret is the one the next new device must bring (an earlier
    /// invitation no longer works), with three wrong tries allowed.
    pub fn arm(&self, invite: &Invite) {
        if let Ok(mut state) = self.state.lock() {
            state.secret = Some(Zeroizing::new(invite.secret));
            state.wrong = 0;
        }
    }

    /// Closes the invitation open, if any: no new device joins until the next [`Pairing::arm`].
    pub fn disarm(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.secret = None;
        }
    }

    /// Whether `secret` is the invitation's; the first right one uses the invitation up.
    fn take(&self, secret: &[u8; 32]) -> Result<(), &'static str> {
        let mut state = self.state.lock().map_err(|_| "busy")?;
        let Some(expected) = state.secret.as_ref() else {
            return Err(
                "this invitation was already used or withdrawn: make a new one with `musette device invite`",
            );
        };
        if musette_core::crypto::ct_eq(expected.as_ref(), secret) {
            state.secret = None;
            return Ok(());
        }
        state.wrong += 1;
        if state.wrong >= MAX_WRONG {
            state.secret = None;
            let _ = self.events.send(PairEvent::Withdrawn);
        } else {
            let _ = self.events.send(PairEvent::Refused);
        }
        Err("wrong invitation: use the exact text `musette device invite` printed")
    }
}

impl ProtocolHandler for Pairing {
    async fn accept(&self, connection: Connection) -> Result<(), AcceptError> {
        // A request to join is small and comes at once: a connection that sends nothing, or
        // too much, is dropped without touching the invitation.
        let wait = std::time::Duration::from_secs(30);
        let (mut send, mut recv) = tokio::time::timeout(wait, connection.accept_bi())
            .await
            .map_err(AcceptError::from_err)??;
        let (msg, _) = tokio::time::timeout(wait, wire::read_at_most(&mut recv, wire::MAX_HELLO))
            .await
            .map_err(AcceptError::from_err)?
            .map_err(AcceptError::from_err)?;
        let Message::Join { secret, name } = msg else {
            let _ = wire::write(
                &mut send,
                &Message::Refused("expected a request to join".into()),
            )
            .await;
            return Ok(());
        };
        match self.take(&secret) {
            Ok(()) => {
                let keys = {
                    let vault = self
                        .vault
                        .lock()
                        .map_err(|_| AcceptError::from_err(std::fmt::Error))?;
                    vault.device_keys().map_err(AcceptError::from_err)?
                };
                let bytes = keys.to_bytes();
                wire::write(&mut send, &Message::Keys(bytes.to_vec()))
                    .await
                    .map_err(AcceptError::from_err)?;
                let _ = send.finish();
                let _ = tokio::time::timeout(wait, connection.closed()).await;
                let name: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
                let _ = self.events.send(PairEvent::Joined(name));
            }
            Err(why) => {
                let _ = wire::write(&mut send, &Message::Refused(why.into())).await;
                let _ = send.finish();
                connection.closed().await;
            }
        }
        Ok(())
    }
}

/// On the new device: fetches the vault's keys with `invite`, then makes the replica in `dir`
/// with this device's own passphrase (`show` gets the new recovery key before the replica is
/// put in place). Syncing it is the caller's next step.
pub async fn join(
    invite: &Invite,
    name: &str,
    cfg: &NetConfig,
    dir: &std::path::Path,
    passphrase: &[u8],
    kdf: KdfParams,
    show: &mut (dyn FnMut(&RecoveryKey, &str) -> musette_core::Result<()> + Send),
) -> Result<Vault, NetError> {
    let who = "the inviting device".to_string();
    let unreachable = |why: String| NetError::Unreachable {
        who: who.clone(),
        why,
    };
    // The replica's folder, passphrase and key derivation are checked first: the invitation
    // is spent, and the vault's keys travel, only for a replica that can be made with them.
    musette_core::check_new_vault(dir, passphrase, kdf)
        .map_err(|e| NetError::Sync(crate::session::SyncError::Vault(e)))?;
    let endpoint = crate::node::bind_endpoint(
        SecretKey::from_bytes(&musette_core::crypto::random_bytes::<32>()),
        vec![],
        cfg,
    )
    .await?;
    let result = async {
        let connecting = endpoint.connect(invite.ticket.addr()?, PAIR_ALPN);
        let conn = if cfg.relay {
            connecting.await
        } else {
            // A direct address answers at once or not at all.
            tokio::time::timeout(crate::node::DIRECT_WAIT, connecting)
                .await
                .map_err(|_| {
                    unreachable(
                        msg!(
                            SYNC,
                            "net-no-answer",
                            secs = crate::node::DIRECT_WAIT.as_secs()
                        )
                        .to_string(),
                    )
                })?
        }
        .map_err(|e| unreachable(e.to_string()))?;
        let (mut send, mut recv) = conn
            .open_bi()
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        wire::write(
            &mut send,
            &Message::Join {
                secret: invite.secret,
                name: name.to_string(),
            },
        )
        .await
        .map_err(|e| NetError::Sync(e.into()))?;
        let (reply, _) = wire::read(&mut recv)
            .await
            .map_err(|e| NetError::Sync(e.into()))?;
        conn.close(0u32.into(), b"done");
        match reply {
            Message::Keys(bytes) => Ok(Zeroizing::new(bytes)),
            Message::Refused(why) => Err(NetError::Sync(crate::session::SyncError::Refused(why))),
            _ => Err(NetError::Sync(crate::session::SyncError::Protocol(
                "expected the vault's keys".into(),
            ))),
        }
    }
    .await;
    endpoint.close().await;
    let bytes = result?;
    let keys = DeviceKeys::from_bytes(&bytes)
        .map_err(|e| NetError::Sync(crate::session::SyncError::Vault(e)))?;
    let (mut vault, _) = Vault::create_replica(dir, passphrase, kdf, &keys, &mut |r, d| show(r, d))
        .map_err(|e| NetError::Sync(crate::session::SyncError::Vault(e)))?;
    // The name it joined with is the one the other devices know it by: it keeps it.
    crate::devices::name_this(&mut vault, Some(name), name)
        .map_err(|e| NetError::Sync(crate::session::SyncError::Vault(e)))?;
    Ok(vault)
}
