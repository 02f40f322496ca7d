//! # musette-sync
//!
//! Peer sync over iroh (QUIC, TLS 1.3, Ed25519 endpoint ids).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cert;
pub mod cosign;
pub mod devices;
pub mod due;
pub mod node;
pub mod pair;
pub mod peer_session;
pub mod peers;
pub mod reach;
pub mod replicate;
pub mod session;
mod settings;
pub mod share;
pub mod spool;
pub mod wire;
