//! The wire format of musette's sync protocol, apart from any transport.
//!
//! Every message is one *frame*:
//!
//! ```text
//! "MU" | version (1 byte) | length of the payload (4 bytes, big-endian) | payload
//! ```
//!
//! The payload is a [`Message`] in postcard (serde's compact binary form). A frame whose magic or
//! version is not this one, whose length exceeds [`MAX_FRAME`] (checked before anything is
//! allocated), that is cut short, or whose payload does not decode, is an error that ends the
//! connection; the state machine in [`crate::session`] refuses a message that comes out of turn
//! (a second hello, a record before the summaries, anything after `Done`).

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use musette_core::replica::{BlobChunk, SealedRecord, Summary};

/// The protocol version this build speaks.
pub const VERSION: u8 = 2;
/// The largest payload accepted: a record with its attachments travels in one frame.
pub const MAX_FRAME: usize = 64 << 20;
const MAGIC: [u8; 2] = *b"MU";
/// Bytes of a frame's head.
pub const HEAD: usize = 7;

/// A device's certificate: the owner's did vouches that this iroh endpoint is one of its
/// devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCert {
    /// The device's iroh endpoint id (its Ed25519 public key).
    pub endpoint: [u8; 32],
    /// The device's id in the vault (the automerge actor of its changes).
    pub device: Vec<u8>,
    /// A name for people ("laptop", "phone").
    pub name: String,
    /// When the owner issued it (seconds since the Unix epoch).
    pub issued: u64,
    /// The owner's Ed25519 signature over [`DeviceCert::signed_bytes`].
    #[serde(with = "sig")]
    pub signature: [u8; 64],
}

pub(crate) mod sig {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let v: Vec<u8> = Deserialize::deserialize(d)?;
        v.try_into()
            .map_err(|_| serde::de::Error::custom("a signature is 64 bytes"))
    }
}

/// A peer certificate: the owner's did vouches that this iroh endpoint speaks for it to
/// peers (any of the owner's devices may connect to a peer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerCert {
    /// The endpoint id.
    pub endpoint: [u8; 32],
    /// A name for people.
    pub name: String,
    /// When it was issued (seconds since the Unix epoch).
    pub issued: u64,
    /// The owner's Ed25519 signature.
    #[serde(with = "sig")]
    pub signature: [u8; 64],
}

/// A digest as it travels while narrowing a difference: its first 8 bytes. Replicas of one
/// owner are not adversaries to each other, so what a cut digest risks is chance alone: two
/// different parts passing for equal one time in 2^64, and then only until the next change
/// there. The hello carries the whole 32-byte digest.
pub type Short = [u8; 8];

/// A record's manifest entry as it travels while narrowing a difference: its id, whether it
/// was forgotten, and the digest of its heads cut to a [`Short`] (for the same reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The record id.
    pub id: String,
    /// The record was forgotten.
    pub forgotten: bool,
    /// The first bytes of the SHA-256 of its heads (zero when forgotten).
    pub heads: Short,
}

impl Entry {
    /// The entry of `s`, cut.
    pub fn of(s: &Summary) -> Entry {
        let mut heads = Short::default();
        let n = heads.len();
        heads.copy_from_slice(&s.heads[..n]);
        Entry {
            id: s.id.clone(),
            forgotten: s.forgotten,
            heads,
        }
    }

    /// As a summary to plan with (its heads' digest padded with zeros): compare it only
    /// with summaries cut the same way.
    pub fn summary(&self) -> Summary {
        let mut heads = [0u8; 32];
        heads[..self.heads.len()].copy_from_slice(&self.heads);
        Summary {
            id: self.id.clone(),
            forgotten: self.forgotten,
            heads,
        }
    }
}

/// Everything that travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// The first message each side sends: who it is, which vault, and its sync digest.
    Hello {
        /// SHA-256 of the vault id: both devices must hold the same vault.
        vault: [u8; 32],
        /// The sender's certificate.
        cert: DeviceCert,
        /// The sender's sync digest.
        digest: [u8; 32],
    },
    /// The sync digests (cut to [`Short`]) of the 16 groups of 16 manifest buckets.
    Groups(Vec<Short>),
    /// The sync digests of the buckets of the groups that differ, in order.
    Buckets(Vec<Short>),
    /// The digests of the 16 sixteenths of each bucket that differs, in order.
    Parts(Vec<Short>),
    /// The entries of the buckets that differ.
    Summaries(Vec<Entry>),
    /// A record, as stored.
    Record(SealedRecord),
    /// A record whose attachments travel apart (too large for one message): its head, without
    /// attachment chunks; [`Message::RecordBlobs`] follow until one says `last`.
    RecordStart(SealedRecord),
    /// Attachment chunks of the large record started last: (attachment id, index, sealed data).
    RecordBlobs {
        /// The chunks.
        blobs: Vec<BlobChunk>,
        /// Whether this is the record's last part.
        last: bool,
    },
    /// The digest of the sender's peers, guilds and shares (between devices of one owner).
    SettingsDigest([u8; 32]),
    /// The sender's peers, guilds and shares (JSON of [`crate::replicate::Replicated`]), when
    /// the digests differ.
    Settings(Vec<u8>),
    /// Nothing more from this side.
    Done,
    /// A new device asks to join, proving it holds the invitation's one-time secret.
    Join {
        /// The invitation's secret.
        secret: [u8; 32],
        /// A name for the new device.
        name: String,
    },
    /// The vault's keys for the new device (the secret was right).
    Keys(Vec<u8>),
    /// The sender ends the exchange, saying why.
    Refused(String),
    /// The first message between peers (two owners): the sender's did and certificate.
    PeerHello {
        /// The sender's did:key.
        did: String,
        /// Its certificate for the connection's endpoint.
        cert: PeerCert,
    },
    /// What the sender holds of the other's shares.
    Have(Vec<crate::share::Held>),
    /// A share, or its revocation.
    Share(crate::share::ShareItem),
    /// A recommendation to co-sign (JSON of a signed credential).
    CosignRequest {
        /// The request's id.
        id: [u8; 16],
        /// The credential, signed by the requester.
        credential: Vec<u8>,
    },
    /// The vault's new keys, from the device that removed another, for a device still holding
    /// the old ones (it asks its user before taking them).
    NewKeys {
        /// The new keys ([`musette_core::replica::DeviceKeys`] as bytes).
        keys: Vec<u8>,
        /// The devices removed: (id in hex, name).
        removed: Vec<(String, String)>,
    },
    /// A co-signed recommendation coming back (JSON).
    Cosigned {
        /// The request's id.
        id: [u8; 16],
        /// The credential with the co-signer's proof added.
        credential: Vec<u8>,
    },
}

/// A frame that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Not a musette frame.
    #[error("the peer does not speak musette's sync protocol")]
    NotMusette,
    /// Another version of the protocol.
    #[error(
        "the peer speaks version {0} of the sync protocol, this musette {VERSION}: upgrade the older one"
    )]
    Version(u8),
    /// Larger than allowed.
    #[error("a message of {0} bytes is more than one message may hold ({MAX_FRAME} bytes)")]
    TooLarge(usize),
    /// The payload does not decode.
    #[error("the peer sent a malformed message")]
    Malformed,
    /// The stream ended inside a frame.
    #[error("the peer stopped in the middle of a message")]
    Truncated,
    /// The stream failed.
    #[error("connection error: {0}")]
    Io(std::io::Error),
    /// The peer sent nothing for too long.
    #[error("the other device stopped answering")]
    TimedOut,
}

/// Encodes a message as one frame.
pub fn encode(msg: &Message) -> Result<Vec<u8>, WireError> {
    let payload = postcard::to_stdvec(msg).map_err(|_| WireError::Malformed)?;
    if payload.len() > MAX_FRAME {
        return Err(WireError::TooLarge(payload.len()));
    }
    let mut out = Vec::with_capacity(HEAD + payload.len());
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Checks a frame's head; returns the payload's length.
pub fn check_head(head: &[u8; HEAD]) -> Result<usize, WireError> {
    if head[..2] != MAGIC {
        return Err(WireError::NotMusette);
    }
    if head[2] != VERSION {
        return Err(WireError::Version(head[2]));
    }
    let len = u32::from_be_bytes([head[3], head[4], head[5], head[6]]) as usize;
    if len > MAX_FRAME {
        return Err(WireError::TooLarge(len));
    }
    Ok(len)
}

/// Decodes a payload.
pub fn decode_payload(payload: &[u8]) -> Result<Message, WireError> {
    postcard::from_bytes(payload).map_err(|_| WireError::Malformed)
}

/// Decodes one whole frame held in memory (for tests and fuzzing).
pub fn decode(frame: &[u8]) -> Result<Message, WireError> {
    let head: [u8; HEAD] = frame
        .get(..HEAD)
        .and_then(|h| h.try_into().ok())
        .ok_or(WireError::Truncated)?;
    let len = check_head(&head)?;
    let payload = frame.get(HEAD..HEAD + len).ok_or(WireError::Truncated)?;
    if frame.len() != HEAD + len {
        return Err(WireError::Malformed);
    }
    decode_payload(payload)
}

/// Writes one message; returns the bytes written.
pub async fn write(out: &mut (impl AsyncWrite + Unpin), msg: &Message) -> Result<usize, WireError> {
    let frame = encode(msg)?;
    out.write_all(&frame).await.map_err(WireError::Io)?;
    Ok(frame.len())
}

/// The largest first message (a hello): read before the peer is known, so kept small.
pub const MAX_HELLO: usize = 16 << 10;

/// Reads one message; returns it and the bytes read.
pub async fn read(input: &mut (impl AsyncRead + Unpin)) -> Result<(Message, usize), WireError> {
    read_at_most(input, MAX_FRAME).await
}

/// Reads one message of at most `max` bytes.
pub async fn read_at_most(
    input: &mut (impl AsyncRead + Unpin),
    max: usize,
) -> Result<(Message, usize), WireError> {
    let mut head = [0u8; HEAD];
    read_exact(input, &mut head).await?;
    let len = check_head(&head)?;
    if len > max {
        return Err(WireError::TooLarge(len));
    }
    let mut payload = vec![0u8; len];
    read_exact(input, &mut payload).await?;
    Ok((decode_payload(&payload)?, HEAD + len))
}

async fn read_exact(input: &mut (impl AsyncRead + Unpin), buf: &mut [u8]) -> Result<(), WireError> {
    match input.read_exact(buf).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(WireError::Truncated),
        Err(e) => Err(WireError::Io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use musette_core::replica::Chunk;
    use proptest::prelude::*;

    fn cert() -> DeviceCert {
        DeviceCert {
            endpoint: [7; 32],
            device: vec![1; 16],
            name: "laptop".into(),
            issued: 1_700_000_000,
            signature: [9; 64],
        }
    }

    fn samples() -> Vec<Message> {
        vec![
            Message::Hello {
                vault: [1; 32],
                cert: cert(),
                digest: [2; 32],
            },
            Message::Groups(vec![[3; 8]; 16]),
            Message::Buckets(vec![[4; 8]; 32]),
            Message::Parts(vec![[5; 8]; 16]),
            Message::Summaries(vec![Entry {
                id: "a".repeat(26),
                forgotten: false,
                heads: [5; 8],
            }]),
            Message::Record(SealedRecord {
                id: "b".repeat(26),
                key: vec![6; 60],
                header: vec![9; 300],
                version: 41,
                heads: [3; 32],
                chunks: vec![Chunk(0, 2, vec![7; 600])],
                blobs: vec![BlobChunk("c".repeat(26), 0, vec![8; 4096])],
            }),
            Message::RecordStart(SealedRecord {
                id: "d".repeat(26),
                key: vec![6; 60],
                header: vec![9; 300],
                version: 41,
                heads: [3; 32],
                chunks: vec![Chunk(0, 2, vec![7; 60])],
                blobs: vec![],
            }),
            Message::RecordBlobs {
                blobs: vec![BlobChunk("e".repeat(26), 3, vec![8; 100])],
                last: true,
            },
            Message::SettingsDigest([4; 32]),
            Message::Settings(b"{}".to_vec()),
            Message::Done,
            Message::Join {
                secret: [3; 32],
                name: "phone".into(),
            },
            Message::Keys(vec![4; 80]),
            Message::Refused("not one of this vault's devices".into()),
            Message::PeerHello {
                did: "did:key:z6Mk".into(),
                cert: PeerCert {
                    endpoint: [1; 32],
                    name: "laptop".into(),
                    issued: 5,
                    signature: [2; 64],
                },
            },
            Message::Have(vec![crate::share::Held {
                id: [3; 16],
                seq: 4,
                revoked: true,
            }]),
            Message::Share(crate::share::ShareItem {
                id: [4; 16],
                seq: 9,
                revoked: false,
                kind: "skill".into(),
                fields: vec!["name".into()],
                doc: vec![1, 2, 3],
                issued: 7,
                signature: [5; 64],
            }),
            Message::NewKeys {
                keys: vec![1; 80],
                removed: vec![("ab12".into(), "old phone".into())],
            },
            Message::CosignRequest {
                id: [6; 16],
                credential: b"{}".to_vec(),
            },
            Message::Cosigned {
                id: [6; 16],
                credential: b"{}".to_vec(),
            },
        ]
    }

    #[test]
    fn every_message_round_trips_and_a_hello_is_small() {
        for m in samples() {
            assert_eq!(decode(&encode(&m).unwrap()).unwrap(), m);
        }
        let hello = encode(&samples()[0]).unwrap();
        assert!(hello.len() < 300, "{}", hello.len());
    }

    #[test]
    fn bad_frames_are_refused_with_the_reason() {
        let good = encode(&Message::Done).unwrap();
        let mut other = good.clone();
        other[0] = b'X';
        assert!(matches!(decode(&other), Err(WireError::NotMusette)));
        // An older build (version 1 sent records without their sealed header) and a newer.
        for v in [VERSION - 1, VERSION + 1] {
            let mut other = good.clone();
            other[2] = v;
            assert!(matches!(decode(&other), Err(WireError::Version(n)) if n == v));
        }
        let mut huge = good.clone();
        huge[3..7].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(decode(&huge), Err(WireError::TooLarge(_))));
        assert!(matches!(decode(&good[..3]), Err(WireError::Truncated)));
        let record = encode(&samples()[4]).unwrap();
        assert!(matches!(
            decode(&record[..record.len() - 1]),
            Err(WireError::Truncated)
        ));
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(decode(&trailing).is_err());
    }

    #[tokio::test]
    async fn frames_stream_one_after_another_and_a_cut_stream_is_truncated() {
        let mut bytes = Vec::new();
        for m in samples() {
            write(&mut bytes, &m).await.unwrap();
        }
        let mut input = &bytes[..];
        for m in samples() {
            assert_eq!(read(&mut input).await.unwrap().0, m);
        }
        let mut cut = &bytes[..bytes.len() - 3];
        let mut last = Ok((Message::Done, 0));
        for _ in samples() {
            last = read(&mut cut).await;
        }
        assert!(matches!(last, Err(WireError::Truncated)));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = decode(&bytes);
            let mut framed = b"MU\x01".to_vec();
            framed.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            framed.extend_from_slice(&bytes);
            let _ = decode(&framed);
        }

        #[test]
        fn summaries_round_trip(ids in proptest::collection::vec("[a-z2-7]{26}", 0..50)) {
            let m = Message::Summaries(ids.iter().map(|id| Entry { id: id.clone(), forgotten: id.starts_with('a'), heads: [1; 8] }).collect());
            prop_assert_eq!(decode(&encode(&m).unwrap()).unwrap(), m);
        }
    }
}
