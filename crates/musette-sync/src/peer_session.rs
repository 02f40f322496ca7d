//! One exchange between two owners (peers): what each shared with the other, and co-signing
//! requests and answers, both ways.
//!
//! 1. `PeerHello`: the sender's did and its peer certificate for the connection's endpoint. The
//!    side that opened the connection speaks first; the other answers only if the certificate
//!    holds and the did is one of its peers (else it refuses, logs it in the audit log, and the
//!    other learns nothing). The opener checks that the answer comes from the did it meant to
//!    reach.
//! 2. `Have`: what each holds of the other's shares (id, version, revoked).
//! 3. Each side sends the shares the other is to receive (see [`crate::share::outgoing`]),
//!    the co-signing requests addressed to it and the answers to its requests, then `Done`,
//!    while reading the other's. Every item is checked (signature, a version newer than the one
//!    held, a document that loads and holds only the fields it announces); one that fails ends
//!    the exchange and nothing of it is kept.
//! 4. Each side stores what it received in one write, then the end is acknowledged as in a
//!    device sync; only then does each note what the other received.

use crate::SYNC;
use musette_core::msg;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use crate::cert;
use crate::cosign;
use crate::peers;
use crate::session::{Io, Shared, SyncError, close, unexpected, with_vault};
use crate::share::{self, Held, ShareItem};
use crate::wire::{self, Message, PeerCert, WireError};

/// The most bytes of items one exchange brings (they are held until stored).
const MAX_EXCHANGE_BYTES: usize = 64 << 20;

/// What one exchange with a peer did, from this side.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PeerOutcome {
    /// The peer's did.
    pub did: String,
    /// The name its certificate gives the device that connected.
    pub device: String,
    /// Everything sent: shares, revocations, co-signing requests and co-signed
    /// recommendations.
    pub records_sent: usize,
    /// Revocations sent (among `records_sent`).
    pub revoked_sent: usize,
    /// Co-signing requests sent (among `records_sent`).
    pub cosign_requests_sent: usize,
    /// Co-signed recommendations sent back (among `records_sent`).
    pub cosigned_sent: usize,
    /// Shares received (new or updated).
    pub records_received: usize,
    /// Revocations received.
    pub revoked: usize,
    /// Co-signing requests received.
    pub cosign_requests: usize,
    /// Co-signed recommendations received and added.
    pub cosigned: usize,
    /// Bytes written.
    pub bytes_sent: usize,
    /// Bytes read.
    pub bytes_received: usize,
    /// Milliseconds from the first message to the last.
    pub ms: u64,
}

/// This side of a peer exchange.
#[derive(Debug, Clone)]
pub struct Me {
    /// The owner's did.
    pub did: String,
    /// This device's peer certificate.
    pub cert: PeerCert,
}

fn hex(b: &[u8]) -> String {
    musette_core::crypto::hex(b)
}

async fn log_refusal(vault: &Shared, did: Option<String>, remote: [u8; 32], why: &str) {
    let (endpoint, why) = (hex(&remote), why.to_string());
    let _ = with_vault(vault, move |v| {
        peers::refused(v, &endpoint, did.as_deref(), &why)
    })
    .await;
}

/// Runs one peer exchange over `send`/`recv`. `initiator`: this side opened the connection,
/// to reach the peer of did `expect`. `remote` is the endpoint id iroh authenticated.
pub async fn run<W, R>(
    vault: Shared,
    initiator: bool,
    me: Me,
    expect: Option<String>,
    remote: [u8; 32],
    send: &mut W,
    recv: &mut R,
) -> Result<PeerOutcome, SyncError>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    run_gated(vault, initiator, me, expect, remote, send, recv, || Ok(())).await
}

/// [`run`], where `gate` decides, once the other side's hello checks out, whether the exchange
/// goes on (`serve` takes one of its slots there); its refusal is sent as it says.
#[allow(clippy::too_many_arguments)]
pub async fn run_gated<W, R>(
    vault: Shared,
    initiator: bool,
    me: Me,
    expect: Option<String>,
    remote: [u8; 32],
    send: &mut W,
    recv: &mut R,
    gate: impl FnOnce() -> Result<(), String>,
) -> Result<PeerOutcome, SyncError>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    let started = Instant::now();
    let mut out = PeerOutcome::default();
    let (mut bytes_sent, mut bytes_received) = (0, 0);
    let mut io = Io {
        send,
        recv,
        bytes_sent: &mut bytes_sent,
        bytes_received: &mut bytes_received,
    };
    let hello = Message::PeerHello {
        did: me.did.clone(),
        cert: me.cert.clone(),
    };
    if initiator {
        io.write(&hello).await?;
        io.send.flush().await.map_err(WireError::Io)?;
    }
    let m = io.read_hello().await?;
    let (did, their_cert) = match m {
        Message::PeerHello { did, cert } => (did, cert),
        Message::Refused(why) => return Err(SyncError::Refused(why)),
        other => {
            let e = unexpected("a peer's hello", &other);
            log_refusal(&vault, None, remote, &e.to_string()).await;
            return Err(e);
        }
    };
    let (known, leaving) = {
        let d = did.clone();
        with_vault(&vault, move |v| {
            Ok((
                peers::peer_by_did(v, &d)?.is_some(),
                peers::leaving_by_did(v, &d)?.is_some(),
            ))
        })
        .await?
    };
    // A peer removed while it held something shared with it is told, this once, that it is
    // revoked: nothing else goes to it, and nothing it sends is kept.
    let parting = !known && leaving;
    let proven = cert::verify_peer(&their_cert, &did, &remote);
    let refusal = if let Err(e) = &proven {
        Some(msg!(SYNC, "refusal-peer-cert", why = e.to_string()).to_string())
    } else if did == me.did {
        Some(msg!(SYNC, "refusal-own-device").to_string())
    } else if expect.as_ref().is_some_and(|e| *e != did) {
        Some(msg!(SYNC, "refusal-not-this-peer").to_string())
    } else if !known && !leaving {
        Some(msg!(SYNC, "refusal-unknown-peer").to_string())
    } else {
        None
    };
    if let Some(why) = refusal {
        // The did goes in the log only when its certificate proved it.
        let said = proven.is_ok().then(|| did.clone());
        log_refusal(&vault, said, remote, &why).await;
        return Err(io.refuse(why).await);
    }
    if let Err(why) = gate() {
        return Err(io.refuse(why).await);
    }
    if !initiator {
        io.write(&hello).await?;
    }
    out.did = did.clone();
    out.device = their_cert.name.clone();

    // 2. What each holds of the other's shares.
    let mine_held = {
        let d = did.clone();
        with_vault(&vault, move |v| share::held_from(v, &d)).await?
    };
    io.write(&Message::Have(mine_held.clone())).await?;
    io.send.flush().await.map_err(WireError::Io)?;
    let theirs_held = match io.read().await? {
        Message::Have(h) => h,
        other => return Err(unexpected("the list of shares held", &other)),
    };
    if theirs_held.len() > share::MAX_SHARES
        || theirs_held
            .iter()
            .map(|h| h.id)
            .collect::<HashSet<_>>()
            .len()
            != theirs_held.len()
    {
        return Err(SyncError::Protocol(
            "the list of shares held is malformed".into(),
        ));
    }

    // 3. Items both ways.
    let (items, requests, answers) = {
        let d = did.clone();
        with_vault(&vault, move |v| {
            // Parting, only revocations (nothing else is noted as sent to it).
            let items = share::outgoing(v, &d, &theirs_held, parting)?;
            if parting {
                return Ok((items, Vec::new(), Vec::new()));
            }
            let (requests, answers) = cosign::outgoing(v, &d)?;
            Ok((items, requests, answers))
        })
        .await?
    };
    let held_by_id: HashMap<[u8; 16], Held> = mine_held.iter().map(|h| (h.id, *h)).collect();
    let expected_answers = if parting {
        HashSet::new()
    } else {
        let d = did.clone();
        with_vault(&vault, move |v| cosign::awaiting(v, &d)).await?
    };
    let (got, got_requests, got_answers) = {
        let Io {
            send,
            recv,
            bytes_sent,
            bytes_received,
        } = &mut io;
        let writer = async {
            let mut n = 0;
            for item in &items {
                n += wire::write(send, &Message::Share(item.clone())).await?;
            }
            for (id, credential) in &requests {
                n += wire::write(
                    send,
                    &Message::CosignRequest {
                        id: *id,
                        credential: credential.clone(),
                    },
                )
                .await?;
            }
            for (id, credential) in &answers {
                n += wire::write(
                    send,
                    &Message::Cosigned {
                        id: *id,
                        credential: credential.clone(),
                    },
                )
                .await?;
            }
            n += wire::write(send, &Message::Done).await?;
            send.flush().await.map_err(WireError::Io)?;
            Ok::<usize, SyncError>(n)
        };
        let reader = async {
            let mut got: Vec<ShareItem> = Vec::new();
            let mut reqs: Vec<([u8; 16], Vec<u8>)> = Vec::new();
            let mut ans: Vec<([u8; 16], Vec<u8>)> = Vec::new();
            let mut seen: HashSet<[u8; 16]> = HashSet::new();
            let mut n = 0;
            let mut held_bytes = 0usize;
            loop {
                let (m, k) =
                    tokio::time::timeout(std::time::Duration::from_secs(300), wire::read(recv))
                        .await
                        .map_err(|_| WireError::TimedOut)??;
                n += k;
                held_bytes += k;
                if seen.len() > share::MAX_FROM_PEER || held_bytes > MAX_EXCHANGE_BYTES {
                    return Err(SyncError::Protocol(
                        "more items in one exchange than a vault takes from one peer".into(),
                    ));
                }
                match m {
                    Message::Share(item) => {
                        if !seen.insert(item.id) {
                            return Err(SyncError::Protocol(
                                "a shared item came twice: a message replayed".into(),
                            ));
                        }
                        share::check_item(&item, &did, held_by_id.get(&item.id))
                            .map_err(SyncError::Protocol)?;
                        got.push(item);
                    }
                    Message::CosignRequest { id, credential } => {
                        if !seen.insert(id) || credential.len() > cosign::MAX_CREDENTIAL {
                            return Err(SyncError::Protocol(
                                "a co-signing request came twice, or is too large".into(),
                            ));
                        }
                        reqs.push((id, credential));
                    }
                    // Parting, what it sends is read past and dropped: a co-signature it still
                    // owed does not keep it from hearing of the revocation.
                    Message::Cosigned { .. } if parting => {}
                    Message::Cosigned { id, credential } => {
                        if !expected_answers.contains(&id) || !seen.insert(id) {
                            return Err(SyncError::Protocol(
                                "a co-signed recommendation nobody asked this peer for".into(),
                            ));
                        }
                        ans.push((id, credential));
                    }
                    Message::Done => break,
                    Message::Refused(why) => return Err(SyncError::Refused(why)),
                    other => return Err(unexpected("a shared item or the end", &other)),
                }
            }
            Ok::<_, SyncError>((got, reqs, ans, n))
        };
        let (w, r) = tokio::join!(writer, reader);
        **bytes_sent += w?;
        let (got, reqs, ans, k) = r?;
        **bytes_received += k;
        (got, reqs, ans)
    };

    // 4. Keep what came, in one go per kind, before the end is acknowledged.
    let stored = {
        let d = did.clone();
        with_vault(&vault, move |v| {
            if parting {
                return Ok((0, 0, 0, 0));
            }
            let (received, revoked) = share::accept(v, &d, got)?;
            let asked = cosign::accept_requests(v, &d, got_requests)?;
            let cosigned = cosign::accept_answers(v, &d, got_answers)?;
            Ok((received, revoked, asked, cosigned))
        })
        .await
    };
    let (received, revoked, asked, cosigned) = match stored {
        Ok(s) => s,
        Err(e) => {
            return Err(io
                .refuse(msg!(SYNC, "refusal-keep", why = e.to_string()).to_string())
                .await);
        }
    };
    close(&mut io, initiator).await?;
    let sent_count = items.len() + requests.len() + answers.len();
    {
        let d = did.clone();
        let endpoint = remote;
        let sent_requests: Vec<[u8; 16]> = requests.iter().map(|(id, _)| *id).collect();
        let sent_answers: Vec<[u8; 16]> = answers.iter().map(|(id, _)| *id).collect();
        with_vault(&vault, move |v| {
            if parting {
                // Told: forgotten, refused from now on.
                return peers::left(v, &d);
            }
            cosign::mark_sent(v, &d, &sent_requests, &sent_answers)?;
            peers::synced(v, &d, &endpoint, &[])
        })
        .await?;
    }
    out.records_sent = sent_count;
    out.revoked_sent = items.iter().filter(|i| i.revoked).count();
    out.cosign_requests_sent = requests.len();
    out.cosigned_sent = answers.len();
    out.records_received = received;
    out.revoked = revoked;
    out.cosign_requests = asked;
    out.cosigned = cosigned;
    out.ms = started.elapsed().as_millis() as u64;
    (out.bytes_sent, out.bytes_received) = (bytes_sent, bytes_received);
    Ok(out)
}
