//! One sync between two devices of the same owner, over any pair of streams.
//!
//! Both sides run the same steps, each writing its message and then reading the other's:
//!
//! 1. `Hello`: the vault's hash, the device certificate, the sync digest. The side that opened
//!    the connection speaks first; the other answers only once that certificate checks out. A
//!    certificate not signed by this vault's owner under its current keys, or naming another
//!    endpoint than the connection's, ends the exchange. Equal digests: both send `Done`, and the sync is over (a few hundred bytes,
//!    whatever the number of records).
//! 2. `Groups`: 16 digests, each over 16 of the manifest's 256 buckets.
//! 3. `Buckets`: the 16 bucket digests of each group that differs.
//! 4. `Parts`: for each bucket that differs, 16 digests, each over a sixteenth of its records.
//!    Then `Summaries`: the entries of the sixteenths that differ (a few records, whatever the
//!    vault's size).
//! 5. `Record`s: what [`musette_core::replica::plan`] says to send, then `Done`, written while the
//!    other side's records are read. Then each side applies the forgets and merges what came.
//!
//! 6. The end: the side that opened the connection says `Done` once more ("I have all of
//!    yours"); the other answers `Done` ("and I all of yours") and waits for the connection to
//!    close, which the first closes once it read that answer. So nothing either side sent is
//!    lost to the connection closing.
//!
//! Any message out of turn, malformed or oversized (a hello over 16 KiB, any message over 64
//! MiB), or any summary or record outside what was announced, ends the exchange with an error;
//! so does silence (30 s for the hello, 5 minutes for any other message). Each side merges
//! what it receives in batches (4,096 records or 8 MiB, one transaction each) while the next
//! ones arrive, so neither holds a whole sync in memory; a cut sync leaves both vaults valid
//! with what was merged, the next one finishes the work, and a side whose records were
//! refused hears it before the end is acknowledged. Frames go through 64 KiB buffers on both
//! sides; what one side wrote is sent before it waits for the other.

use crate::SYNC;
use musette_core::msg;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use musette_core::Vault;
use musette_core::manifest::{BUCKETS, bucket_of, id_hash};
use musette_core::replica::{Merged, SealedRecord, plan};

use crate::wire::{self, DeviceCert, Message, Short, WireError};

/// What travels of a digest while narrowing a difference (see [`Short`]).
fn short(d: &[u8; 32]) -> Short {
    let mut out = Short::default();
    let n = out.len();
    out.copy_from_slice(&d[..n]);
    out
}

/// Which sixteenth of its bucket an id falls in.
fn part_of(id: &str) -> usize {
    ((id_hash(id) >> 8) & 15) as usize
}

/// Groups of buckets compared first.
pub const GROUPS: usize = 16;
const PER_GROUP: usize = BUCKETS / GROUPS;
/// A record whose attachments hold more than this travels in parts (its head, then its
/// attachment chunks `PART_BYTES` at a time), merged from a temporary file: neither side holds
/// it in memory, whatever its size.
const INLINE_BYTES: usize = 16 << 20;
const PART_BYTES: usize = 16 << 20;
/// Records merged into the vault at a time (one transaction, each manifest bucket written
/// once), while the next ones arrive: large enough that a commit is rare, small enough that
/// merging starts early and a sync holds little in memory.
const BATCH_RECORDS: usize = 4096;
/// Bytes of records held before they are merged.
const BATCH_BYTES: usize = 8 << 20;
/// Records read from the vault at a time, and the bytes that stops a read early: small, so
/// the first records travel while the next are read.
const READ_RECORDS: usize = 512;
const READ_BYTES: usize = 4 << 20;
/// Bytes buffered on each side of the stream.
const STREAM_BUFFER: usize = 64 << 10;
/// The most summaries one side may send in one sync.
const MAX_SUMMARIES: usize = 1 << 20;
/// How long to wait for the hello, and then for each message.
const HELLO_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
const MESSAGE_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// What the receiving side hands to the merging side.
enum Merge {
    /// Records, merged in one transaction, after this many others of this sync.
    Batch(Vec<SealedRecord>, usize),
    /// A record whose attachment chunks came apart, in a temporary file.
    Large(SealedRecord, crate::spool::Spool),
}

impl Merge {
    /// The records held so far, as the batch after the `before` records handed already.
    fn next(batch: &mut Vec<SealedRecord>, before: &mut usize) -> Merge {
        let mut b = std::mem::take(batch);
        // In id order, the indexes on record ids are written forward, page after page (they
        // came in bucket order, which is no order of ids): a new device's first sync of
        // 10,000 records took about 5 % less time.
        b.sort_unstable_by(|x, y| x.id.cmp(&y.id));
        let at = *before;
        *before += b.len();
        Merge::Batch(b, at)
    }
}

/// What one sync did, from this side.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Records sent.
    pub records_sent: usize,
    /// Records received and merged or added.
    pub records_received: usize,
    /// Records forgotten because the other side forgot them.
    pub forgotten: usize,
    /// Records not sent because their document alone (attachments travel apart) is too large
    /// for one message: the other records still travel.
    pub too_large: Vec<String>,
    /// Records not sent because they are damaged on this device (`musette doctor` says how):
    /// the other records still travel.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damaged: Vec<String>,
    /// Records the other device sent that this one left out, each as `ID: why`: damaged or
    /// forged where they come from (the other device's `musette doctor` says how), or damaged
    /// here. The other records were taken; they come again at the next sync.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
    /// Bytes written.
    pub bytes_sent: usize,
    /// Bytes read.
    pub bytes_received: usize,
    /// Milliseconds from the first message to the last.
    pub ms: u64,
    /// The other device's certificate.
    #[serde(skip)]
    pub peer: Option<DeviceCert>,
    /// This side handed the other the vault's new keys (and nothing else happened).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub handed_over: bool,
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// A frame could not be read or written.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The other side refused, saying why.
    #[error("the other device refused: {0}")]
    Refused(String),
    /// This side refused the other.
    #[error("refused the other device: {0}")]
    Refusing(String),
    /// The other side broke the protocol.
    #[error("the other device broke the protocol: {0}")]
    Protocol(String),
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] musette_core::Error),
    /// The other device removed a device of this vault and holds new keys: it gives them.
    #[error(
        "the other device removed {} from this vault and gives this one the new keys",
        if .0.removed.is_empty() { "a device".to_string() } else { .0.removed.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ") }
    )]
    NewKeys(NewKeys),
}

/// New keys handed over by a device that removed another (see [`SyncError::NewKeys`]).
pub struct NewKeys {
    /// The new [`musette_core::replica::DeviceKeys`], as bytes.
    pub keys: zeroize::Zeroizing<Vec<u8>>,
    /// The devices removed: (id in hex, name).
    pub removed: Vec<(String, String)>,
}

impl std::fmt::Debug for NewKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKeys")
            .field("removed", &self.removed)
            .finish_non_exhaustive()
    }
}

pub(crate) type Shared = Arc<Mutex<Vault>>;

pub(crate) async fn with_vault<T: Send + 'static>(
    vault: &Shared,
    f: impl FnOnce(&mut Vault) -> musette_core::Result<T> + Send + 'static,
) -> Result<T, SyncError> {
    vault_result(spawn_vault(vault, f).await)
}

/// Starts `f` on the vault, on a thread where it may block: the task runs whether or not it is
/// awaited (see [`vault_result`]).
fn spawn_vault<T: Send + 'static>(
    vault: &Shared,
    f: impl FnOnce(&mut Vault) -> musette_core::Result<T> + Send + 'static,
) -> tokio::task::JoinHandle<musette_core::Result<T>> {
    let vault = vault.clone();
    tokio::task::spawn_blocking(move || {
        // A panic in one exchange must not stop `serve` from answering the others: the vault's
        // state is in its file (each write one transaction), so the lock is taken back.
        let mut guard = vault
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    })
}

/// What a task of [`spawn_vault`] gave.
fn vault_result<T>(
    joined: Result<musette_core::Result<T>, tokio::task::JoinError>,
) -> Result<T, SyncError> {
    joined
        .map_err(|e| SyncError::Protocol(format!("a vault task failed: {e}")))?
        .map_err(SyncError::from)
}

pub(crate) struct Io<'a, W, R> {
    pub(crate) send: &'a mut W,
    pub(crate) recv: &'a mut R,
    pub(crate) bytes_sent: &'a mut usize,
    pub(crate) bytes_received: &'a mut usize,
}

impl<W: AsyncWrite + Unpin, R: AsyncRead + Unpin> Io<'_, W, R> {
    pub(crate) async fn write(&mut self, m: &Message) -> Result<(), SyncError> {
        *self.bytes_sent += wire::write(self.send, m).await?;
        Ok(())
    }

    pub(crate) async fn read(&mut self) -> Result<Message, SyncError> {
        // Whatever this side wrote goes out before it waits for the other's answer.
        self.send.flush().await.map_err(WireError::Io)?;
        let (m, n) = read_within(self.recv).await?;
        *self.bytes_received += n;
        if let Message::Refused(why) = m {
            return Err(SyncError::Refused(why));
        }
        if let Message::NewKeys { keys, removed } = m {
            return Err(SyncError::NewKeys(NewKeys {
                keys: zeroize::Zeroizing::new(keys),
                removed,
            }));
        }
        Ok(m)
    }

    /// Reads the other side's first message: at most [`wire::MAX_HELLO`] bytes, within
    /// [`HELLO_WAIT`] (it comes before the other side is known).
    pub(crate) async fn read_hello(&mut self) -> Result<Message, SyncError> {
        self.send.flush().await.map_err(WireError::Io)?;
        let (m, n) =
            tokio::time::timeout(HELLO_WAIT, wire::read_at_most(self.recv, wire::MAX_HELLO))
                .await
                .map_err(|_| WireError::TimedOut)??;
        *self.bytes_received += n;
        Ok(m)
    }

    pub(crate) async fn refuse(&mut self, why: String) -> SyncError {
        let _ = self.write(&Message::Refused(why.clone())).await;
        let _ = self.send.flush().await;
        SyncError::Refusing(why)
    }
}

/// Reads one message, waiting at most [`MESSAGE_WAIT`] for it; returns it and its bytes.
async fn read_within<R: AsyncRead + Unpin>(recv: &mut R) -> Result<(Message, usize), SyncError> {
    Ok(tokio::time::timeout(MESSAGE_WAIT, wire::read(recv))
        .await
        .map_err(|_| WireError::TimedOut)??)
}

pub(crate) fn unexpected(want: &str, got: &Message) -> SyncError {
    let name = match got {
        Message::Hello { .. } => "a hello",
        Message::Groups(_) => "group digests",
        Message::Buckets(_) => "bucket digests",
        Message::Parts(_) => "part digests",
        Message::Summaries(_) => "summaries",
        Message::Record(_) => "a record",
        Message::Done => "the end",
        Message::Join { .. } => "a request to join",
        Message::Keys(_) => "keys",
        Message::Refused(_) => "a refusal",
        Message::PeerHello { .. } => "a peer's hello",
        Message::Have(_) => "the list of shares held",
        Message::Share(_) => "a shared item",
        Message::CosignRequest { .. } => "a request to co-sign",
        Message::Cosigned { .. } => "a co-signed recommendation",
        Message::NewKeys { .. } => "new keys",
        Message::RecordStart(_) => "a large record",
        Message::SettingsDigest(_) => "the digest of peers and shares",
        Message::Settings(_) => "peers, guilds and shares",
        Message::RecordBlobs { .. } => "part of a large record",
    };
    SyncError::Protocol(format!("expected {want}, got {name}"))
}

/// The end of an exchange (see the module's documentation).
pub(crate) async fn close<W: AsyncWrite + Unpin, R: AsyncRead + Unpin>(
    io: &mut Io<'_, W, R>,
    initiator: bool,
) -> Result<(), SyncError> {
    if initiator {
        io.write(&Message::Done).await?;
        io.send.flush().await.map_err(WireError::Io)?;
        match io.read().await? {
            Message::Done => Ok(()),
            other => Err(unexpected("the end", &other)),
        }
    } else {
        match io.read().await? {
            Message::Done => {}
            other => return Err(unexpected("the end", &other)),
        }
        io.write(&Message::Done).await?;
        io.send.flush().await.map_err(WireError::Io)?;
        Ok(())
    }
}

/// Runs one device sync over `send`/`recv`; `initiator` is the side that opened the connection
/// (it closes it at the end). `me` is this device's certificate; `check` decides
/// whether the other device's certificate is accepted (signed by the owner, for the endpoint
/// the connection authenticated).
pub async fn run<W, R>(
    vault: Shared,
    initiator: bool,
    me: DeviceCert,
    check: impl Fn(&DeviceCert) -> Result<(), String>,
    send: &mut W,
    recv: &mut R,
) -> Result<Outcome, SyncError>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    run_with(vault, initiator, me, check, |_| None, send, recv).await
}

/// The new keys a device that removed another hands to a device still holding the old ones.
pub struct Handover {
    /// This device's certificate under the old keys, which the other still checks against.
    pub cert: DeviceCert,
    /// The new [`musette_core::replica::DeviceKeys`], as bytes.
    pub keys: zeroize::Zeroizing<Vec<u8>>,
    /// The devices removed: (id in hex, name).
    pub removed: Vec<(String, String)>,
}

/// [`run`], where a device whose certificate `check` refuses may instead be handed the vault's
/// new keys: `handover` says whether it is one of this vault's devices from before the last
/// `device remove` (and gives what to send). That device hears [`SyncError::NewKeys`].
pub async fn run_with<W, R>(
    vault: Shared,
    initiator: bool,
    me: DeviceCert,
    check: impl Fn(&DeviceCert) -> Result<(), String>,
    handover: impl Fn(&DeviceCert) -> Option<Handover>,
    send: &mut W,
    recv: &mut R,
) -> Result<Outcome, SyncError>
where
    W: AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    let started = Instant::now();
    let mut out = Outcome::default();
    // The digest in the hello covers the records and the peers, guilds and shares: equal, and
    // there is nothing to do.
    let (hash, digest) = with_vault(&vault, |v| {
        let mut d = v.sync_digest()?;
        let settings = crate::replicate::digest(&crate::replicate::read(v)?);
        d.iter_mut().zip(settings).for_each(|(a, b)| *a ^= b);
        Ok((v.vault_hash(), d))
    })
    .await?;
    let (mut bytes_sent, mut bytes_received) = (0, 0);
    // Frames are small (a record is about a kilobyte): written and read through buffers, so the
    // stream is touched once per 64 KiB, not twice per frame. What is written goes out before
    // this side waits for the other ([`Io::read`]) and at the end.
    let mut send = tokio::io::BufWriter::with_capacity(STREAM_BUFFER, send);
    let mut recv = tokio::io::BufReader::with_capacity(STREAM_BUFFER, recv);
    let mut io = Io {
        send: &mut send,
        recv: &mut recv,
        bytes_sent: &mut bytes_sent,
        bytes_received: &mut bytes_received,
    };

    // 1. Hello: the opener speaks first; the other side checks it before saying anything of
    // itself, so a stranger learns nothing.
    let hello = Message::Hello {
        vault: hash,
        cert: me,
        digest,
    };
    if initiator {
        io.write(&hello).await?;
        io.send.flush().await.map_err(WireError::Io)?;
    }
    let m = io.read_hello().await?;
    let (their_hash, cert, their_digest) = match m {
        Message::Hello {
            vault,
            cert,
            digest,
        } => (vault, cert, digest),
        Message::Refused(why) => return Err(SyncError::Refused(why)),
        other => return Err(unexpected("a hello", &other)),
    };
    if their_hash != hash {
        return Err(io
            .refuse(msg!(SYNC, "refusal-other-vault").to_string())
            .await);
    }
    if let Err(why) = check(&cert) {
        if let (false, Some(h)) = (initiator, handover(&cert)) {
            io.write(&Message::Hello {
                vault: hash,
                cert: h.cert,
                digest: [0; 32],
            })
            .await?;
            io.write(&Message::NewKeys {
                keys: h.keys.to_vec(),
                removed: h.removed,
            })
            .await?;
            io.send.flush().await.map_err(WireError::Io)?;
            // Wait for the other side to take them and hang up (or for a while).
            let _ = tokio::time::timeout(HELLO_WAIT, wire::read(io.recv)).await;
            out.peer = Some(cert);
            out.handed_over = true;
            out.ms = started.elapsed().as_millis() as u64;
            (out.bytes_sent, out.bytes_received) = (bytes_sent, bytes_received);
            return Ok(out);
        }
        return Err(io.refuse(why).await);
    }
    if !initiator {
        io.write(&hello).await?;
    }
    out.peer = Some(cert);
    if their_digest == digest {
        io.write(&Message::Done).await?;
        io.send.flush().await.map_err(WireError::Io)?;
        match io.read().await? {
            Message::Done => {}
            other => return Err(unexpected("the end", &other)),
        }
        close(&mut io, initiator).await?;
        out.ms = started.elapsed().as_millis() as u64;
        (out.bytes_sent, out.bytes_received) = (bytes_sent, bytes_received);
        return Ok(out);
    }

    // 2. Groups of buckets. The hello goes out first: the other side, waiting for it, computes
    // its bucket digests while this side does.
    io.send.flush().await.map_err(WireError::Io)?;
    let buckets = with_vault(&vault, |v| v.bucket_digests()).await?;
    let groups: Vec<Short> = buckets
        .chunks(PER_GROUP)
        .map(|c| {
            short(&c.iter().fold([0u8; 32], |mut acc, d| {
                acc.iter_mut().zip(d).for_each(|(a, b)| *a ^= b);
                acc
            }))
        })
        .collect();
    io.write(&Message::Groups(groups.clone())).await?;
    let theirs = match io.read().await? {
        Message::Groups(g) if g.len() == GROUPS => g,
        Message::Groups(g) => {
            return Err(SyncError::Protocol(format!(
                "{} group digests, not {GROUPS}",
                g.len()
            )));
        }
        other => return Err(unexpected("group digests", &other)),
    };
    let differing_groups: Vec<usize> = (0..GROUPS).filter(|g| groups[*g] != theirs[*g]).collect();

    // 3. Buckets of the differing groups.
    let mine: Vec<Short> = differing_groups
        .iter()
        .flat_map(|g| {
            buckets[g * PER_GROUP..(g + 1) * PER_GROUP]
                .iter()
                .map(short)
        })
        .collect();
    io.write(&Message::Buckets(mine.clone())).await?;
    let theirs = match io.read().await? {
        Message::Buckets(b) if b.len() == mine.len() => b,
        Message::Buckets(b) => {
            return Err(SyncError::Protocol(format!(
                "{} bucket digests, not {}",
                b.len(),
                mine.len()
            )));
        }
        other => return Err(unexpected("bucket digests", &other)),
    };
    let differing: Vec<usize> = differing_groups
        .iter()
        .flat_map(|g| g * PER_GROUP..(g + 1) * PER_GROUP)
        .zip(mine.iter().zip(&theirs))
        .filter(|(_, (a, b))| a != b)
        .map(|(b, _)| b)
        .collect();

    // 4. Sixteenths of the differing buckets, then the summaries of those that differ.
    let wanted = differing.clone();
    let all = with_vault(&vault, move |v| v.summaries(&wanted)).await?;
    let index: std::collections::HashMap<usize, usize> =
        differing.iter().enumerate().map(|(i, b)| (*b, i)).collect();
    let mut parts = vec![[0u8; 32]; differing.len() * 16];
    for s in &all {
        if let Some(i) = index.get(&bucket_of(&s.id)) {
            let h = s.sync_hash();
            parts[i * 16 + part_of(&s.id)]
                .iter_mut()
                .zip(h)
                .for_each(|(a, b)| *a ^= b);
        }
    }
    let parts: Vec<Short> = parts.iter().map(short).collect();
    io.write(&Message::Parts(parts.clone())).await?;
    let theirs = match io.read().await? {
        Message::Parts(p) if p.len() == parts.len() => p,
        Message::Parts(p) => {
            return Err(SyncError::Protocol(format!(
                "{} part digests, not {}",
                p.len(),
                parts.len()
            )));
        }
        other => return Err(unexpected("part digests", &other)),
    };
    let in_scope: HashSet<(usize, usize)> = (0..parts.len())
        .filter(|i| parts[*i] != theirs[*i])
        .map(|i| (differing[i / 16], i % 16))
        .collect();
    let local: Vec<_> = all
        .into_iter()
        .filter(|s| in_scope.contains(&(bucket_of(&s.id), part_of(&s.id))))
        .collect();
    // Both plan with heads' digests cut as they travel.
    let local: Vec<_> = local.iter().map(|s| wire::Entry::of(s).summary()).collect();
    io.write(&Message::Summaries(
        local.iter().map(wire::Entry::of).collect(),
    ))
    .await?;
    let remote: Vec<_> = match io.read().await? {
        Message::Summaries(s) => s.iter().map(wire::Entry::summary).collect(),
        other => return Err(unexpected("summaries", &other)),
    };
    if remote.len() > MAX_SUMMARIES
        || remote
            .iter()
            .any(|s| !in_scope.contains(&(bucket_of(&s.id), part_of(&s.id))))
        || remote.iter().map(|s| &s.id).collect::<HashSet<_>>().len() != remote.len()
    {
        return Err(SyncError::Protocol(
            "summaries outside the buckets that differ, or repeated".into(),
        ));
    }

    // 5. Records both ways, at once.
    let mine = plan(&local, &remote);
    let theirs_plan = plan(&remote, &local);
    // In the manifest's bucket order: a batch read for sending opens each bucket once, and
    // the next batch starts where it stopped, so the whole send opens each bucket about once.
    let mut to_send = mine.send.clone();
    to_send.sort_by_cached_key(|id| (musette_core::manifest::bucket_of(id), id.clone()));
    // A record the other side holds is merged there from its document: its header stays here.
    let held_there: HashSet<&str> = remote
        .iter()
        .filter(|s| !s.forgotten)
        .map(|s| s.id.as_str())
        .collect();
    let trim = |mut r: SealedRecord| {
        if held_there.contains(r.id.as_str()) {
            r.header = Vec::new();
        }
        r
    };
    let expected: HashSet<String> = theirs_plan.send.iter().cloned().collect();
    // Records travel and are merged in batches, so neither side holds a whole sync in memory:
    // the sender reads a batch from its vault, the receiver merges one (in one transaction)
    // each time it holds enough. A sync cut between batches leaves what was merged merged.
    let (sent, (too_large, damaged), merged) = {
        let Io {
            send,
            recv,
            bytes_sent,
            bytes_received,
        } = &mut io;
        let writer = async {
            let mut n = 0;
            let mut sent = 0;
            let mut too_large = Vec::new();
            let mut damaged = Vec::new();
            // Small records whole; large ones as heads, their attachment chunks read a part
            // at a time below: a batch never holds large attachments in memory.
            let read_from = |from: usize| {
                let ids = to_send[from..to_send.len().min(from + READ_RECORDS)].to_vec();
                spawn_vault(&vault, move |v| {
                    v.export_records(&ids, INLINE_BYTES as u64, READ_BYTES)
                })
            };
            let mut reading = (!to_send.is_empty()).then(|| (0, read_from(0)));
            while let Some((from, task)) = reading.take() {
                let exported = vault_result(task.await)?;
                // The next records are read while these are written.
                let next = from + exported.len().max(1);
                reading = (next < to_send.len()).then(|| (next, read_from(next)));
                let mut read = Vec::with_capacity(exported.len());
                for r in exported {
                    match r {
                        Ok(r) => read.push(r),
                        Err(musette_core::Error::Damaged { record, .. }) => damaged.push(record),
                        Err(e) => return Err(e.into()),
                    }
                }
                let (small, large): (Vec<_>, Vec<_>) =
                    read.into_iter().partition(|(_, whole)| whole.is_some());
                for (r, _) in small {
                    n += wire::write(send, &Message::Record(trim(r))).await?;
                    sent += 1;
                }
                for (head, _) in large {
                    // Measured as it travels: without its header when the other side holds
                    // the record (it merges the document, and keeps its own header).
                    let head = trim(head);
                    if head.size() + 1024 >= wire::MAX_FRAME {
                        too_large.push(head.id);
                        continue;
                    }
                    // A large record: its head, then its attachment chunks a part at a time.
                    let id = head.id.clone();
                    n += wire::write(send, &Message::RecordStart(head)).await?;
                    let mut after: Option<(String, u64)> = None;
                    loop {
                        let (rid, from) = (id.clone(), after.clone());
                        let part = with_vault(&vault, move |v| {
                            v.export_blobs(
                                &rid,
                                from.as_ref().map(|(a, i)| (a.as_str(), *i)),
                                PART_BYTES,
                            )
                        })
                        .await?;
                        after = part.last().map(|b| (b.0.clone(), b.1));
                        let last = part.is_empty()
                            || part.iter().map(|b| b.2.len()).sum::<usize>() < PART_BYTES;
                        n += wire::write(send, &Message::RecordBlobs { blobs: part, last }).await?;
                        if last {
                            break;
                        }
                    }
                    sent += 1;
                }
            }
            n += wire::write(send, &Message::Done).await?;
            send.flush().await.map_err(WireError::Io)?;
            Ok::<_, SyncError>((n, sent, (too_large, damaged)))
        };
        let reader = async {
            // Records are merged while the next ones arrive: the receiving loop hands each
            // batch to the merging loop beside it (one batch waits at most), so the vault
            // writes while the network reads.
            let (batches, mut to_merge) = tokio::sync::mpsc::channel::<Merge>(1);
            let total = expected.len();
            let receiving = async move {
                let mut batch: Vec<SealedRecord> = Vec::new();
                let mut batch_bytes = 0;
                // Each announced record is taken once: the first time it comes, it leaves the
                // set; again, or never announced, it is refused.
                let mut expected = expected;
                let mut n = 0;
                let mut before = 0;
                let hand = |job: Merge| {
                    let batches = batches.clone();
                    async move {
                        // The merging loop stopped: it says why.
                        batches
                            .send(job)
                            .await
                            .map_err(|_| SyncError::Protocol("the merge stopped".into()))
                    }
                };
                loop {
                    let (m, k) = read_within(recv).await?;
                    n += k;
                    match m {
                        Message::Record(r) if expected.remove(&r.id) => {
                            batch_bytes += r.size();
                            batch.push(r);
                            if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
                                hand(Merge::next(&mut batch, &mut before)).await?;
                                batch_bytes = 0;
                            }
                        }
                        Message::RecordStart(head) if expected.remove(&head.id) => {
                            // Its attachment chunks follow, a part at a time, into a temporary
                            // file (sealed as they are stored); merged with its head in one
                            // transaction once the last part is in.
                            let mut parts = crate::spool::Spool::new().map_err(|e| {
                                SyncError::Protocol(format!("cannot spool a large record: {e}"))
                            })?;
                            loop {
                                let (m, k) = read_within(recv).await?;
                                n += k;
                                match m {
                                    Message::RecordBlobs { blobs, last } => {
                                        parts.push(&blobs).map_err(|e| {
                                            SyncError::Protocol(format!(
                                                "cannot spool a large record: {e}"
                                            ))
                                        })?;
                                        if last {
                                            break;
                                        }
                                    }
                                    Message::Refused(why) => return Err(SyncError::Refused(why)),
                                    other => {
                                        return Err(unexpected(
                                            "the rest of a large record",
                                            &other,
                                        ));
                                    }
                                }
                            }
                            hand(Merge::next(&mut batch, &mut before)).await?;
                            batch_bytes = 0;
                            hand(Merge::Large(head, parts)).await?;
                        }
                        Message::Record(r) | Message::RecordStart(r) => {
                            return Err(SyncError::Protocol(format!(
                                "record {} was not announced, or came twice",
                                r.id
                            )));
                        }
                        Message::Done => break,
                        Message::Refused(why) => return Err(SyncError::Refused(why)),
                        other => return Err(unexpected("a record or the end", &other)),
                    }
                }
                hand(Merge::next(&mut batch, &mut before)).await?;
                Ok::<usize, SyncError>(n)
            };
            let merging = async {
                let mut merged = 0;
                // A record that does not check out (damaged or forged on the other device, or
                // damaged here) is left out, named with why; the others are taken.
                let mut left_out: Vec<String> = Vec::new();
                let said = |id: &str, e: &musette_core::Error| format!("{id}: {e}");
                while let Some(job) = to_merge.recv().await {
                    let (n, out) = match job {
                        Merge::Batch(batch, _) if batch.is_empty() => (0, Vec::new()),
                        Merge::Batch(batch, before) => {
                            let place = musette_core::store::Place {
                                before,
                                len: batch.len(),
                                total,
                            };
                            with_vault(&vault, move |v| {
                                let results = v.merge_records_leaving_out(&batch, place)?;
                                let mut n = 0;
                                let mut out = Vec::new();
                                for (rec, r) in batch.iter().zip(results) {
                                    match r {
                                        Ok(Merged::Added | Merged::Merged) => n += 1,
                                        Ok(_) => {}
                                        Err(e) => out.push(said(&rec.id, &e)),
                                    }
                                }
                                Ok((n, out))
                            })
                            .await?
                        }
                        Merge::Large(head, parts) => {
                            with_vault(&vault, move |v| {
                                let mut blobs = parts.chunks()?;
                                // One record, one transaction: refused, nothing of it stays.
                                match v.merge_record_streamed(&head, &mut blobs) {
                                    Ok(m) => Ok((
                                        usize::from(matches!(m, Merged::Added | Merged::Merged)),
                                        Vec::new(),
                                    )),
                                    Err(e) if musette_core::replica::refusable(&e) => {
                                        Ok((0, vec![said(&head.id, &e)]))
                                    }
                                    Err(e) => Err(e),
                                }
                            })
                            .await?
                        }
                    };
                    merged += n;
                    left_out.extend(out);
                }
                Ok::<(usize, Vec<String>), SyncError>((merged, left_out))
            };
            // A merge failing ends the receiving (with the merge's error, which comes first).
            let (n, merged) = tokio::try_join!(receiving, merging)?;
            Ok::<((usize, Vec<String>), usize), SyncError>((merged, n))
        };
        // Both at once. Reading its own records failing ends the reading too (the other
        // side, hearing why, stops sending): waiting for the other side's end there would
        // wait for nothing when both fail.
        tokio::pin!(writer, reader);
        let (mut w, mut r) = (None, None);
        while w.is_none() || r.is_none() {
            tokio::select! {
                done = &mut writer, if w.is_none() => {
                    let failed = done.is_err();
                    w = Some(done);
                    if failed {
                        break;
                    }
                }
                done = &mut reader, if r.is_none() => r = Some(done),
            }
        }
        match w {
            Some(Ok((n, sent, too_large))) => {
                **bytes_sent += n;
                match r {
                    Some(Ok((merged, k))) => {
                        **bytes_received += k;
                        (sent, too_large, Ok(merged))
                    }
                    Some(Err(SyncError::Vault(e))) => (
                        sent,
                        too_large,
                        Err(msg!(SYNC, "refusal-take-records", why = e.to_string()).to_string()),
                    ),
                    Some(Err(other)) => return Err(other),
                    None => return Err(SyncError::Protocol("the records ended early".into())),
                }
            }
            Some(Err(SyncError::Vault(e))) => (
                0,
                (Vec::new(), Vec::new()),
                Err(msg!(SYNC, "refusal-send-records", why = e.to_string()).to_string()),
            ),
            Some(Err(other)) => return Err(other),
            None => return Err(SyncError::Protocol("the records ended early".into())),
        }
    };
    out.too_large = too_large;
    out.damaged = damaged;
    let merged = match merged {
        Ok((m, left_out)) => {
            out.left_out = left_out;
            m
        }
        Err(why) => return Err(io.refuse(why).await),
    };
    // Forgets last, then the end is acknowledged: the other side learns whether its records
    // were taken.
    let forget = mine.forget.clone();
    let forgotten = with_vault(&vault, move |v| {
        let mut forgotten = 0;
        for id in &forget {
            if v.forget_replicated(id)? {
                forgotten += 1;
            }
        }
        Ok(forgotten)
    })
    .await;
    let forgotten = match forgotten {
        Ok(f) => f,
        Err(e) => {
            return Err(io
                .refuse(msg!(SYNC, "refusal-forgets", why = e.to_string()).to_string())
                .await);
        }
    };

    // 6. Peers, guilds and shares (see `crate::replicate`): digests, then all of it when they
    // differ, merged the same way on both sides.
    let held = with_vault(&vault, |v| crate::replicate::read(v)).await?;
    let mine = crate::replicate::digest(&held);
    io.write(&Message::SettingsDigest(mine)).await?;
    io.send.flush().await.map_err(WireError::Io)?;
    let theirs = match io.read().await? {
        Message::SettingsDigest(d) => d,
        other => return Err(unexpected("the digest of peers and shares", &other)),
    };
    if theirs != mine {
        let bytes = serde_json::to_vec(&held)
            .map_err(|e| SyncError::Protocol(format!("cannot encode peers and shares: {e}")))?;
        // Both sides write theirs while they read the other's: each written whole before the
        // other is read, two large ones would wait on each other for ever.
        let got = {
            let Io {
                send,
                recv,
                bytes_sent,
                bytes_received,
            } = &mut io;
            let writer = async {
                let n = wire::write(send, &Message::Settings(bytes)).await?;
                send.flush().await.map_err(WireError::Io)?;
                Ok::<usize, SyncError>(n)
            };
            let (w, r) = tokio::join!(writer, read_within(recv));
            **bytes_sent += w?;
            let (m, k) = r?;
            **bytes_received += k;
            m
        };
        let theirs: crate::replicate::Replicated = match got {
            Message::Settings(b) => serde_json::from_slice(&b).map_err(|_| {
                SyncError::Protocol("its peers, guilds and shares do not decode".into())
            })?,
            Message::Refused(why) => return Err(SyncError::Refused(why)),
            other => return Err(unexpected("peers, guilds and shares", &other)),
        };
        let merged = with_vault(&vault, move |v| {
            let now = crate::replicate::read(v)?;
            crate::replicate::write(v, &crate::replicate::merge(&now, &theirs))
        })
        .await;
        if let Err(e) = merged {
            return Err(io
                .refuse(msg!(SYNC, "refusal-peers", why = e.to_string()).to_string())
                .await);
        }
    }
    close(&mut io, initiator).await?;
    out.records_sent = sent;
    out.records_received = merged;
    out.forgotten = forgotten;
    out.ms = started.elapsed().as_millis() as u64;
    (out.bytes_sent, out.bytes_received) = (bytes_sent, bytes_received);
    Ok(out)
}
