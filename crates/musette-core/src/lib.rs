//! # musette-core
//!
//! The musette vault: a worker's personal records (contacts, experiences, skills, badges,
//! evidence, recommendations, documents) kept as automerge documents, sealed with AES-256-GCM
//! and stored in one SQLite file.
//!
//! - [`Vault`] opens or creates a vault and holds every operation on it.
//! - [`model`] is the record model: kinds, fields, validation.
//! - [`record`] is the codec between a record and its automerge document.
//! - [`keys`] and [`crypto`] are the key hierarchy and sealing.
//! - [`manifest`] is the sealed list of every record and key slot, against rollback and deletion.
//! - [`store`] is the SQLite schema.
//!
//! Nothing readable is written to disk: record ids are random; everything else, down to a
//! record's kind, is sealed. See `docs/security.md` for the threat model.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attachments;
pub mod backup;
pub mod batch;
pub mod contexts;
pub mod credential;
pub mod crypto;
mod doctor;
mod error;
pub mod i18n;
pub mod identity;
pub mod ids;
pub mod jose;
pub mod kept;
pub mod keys;
pub mod ld;
pub mod listing;
pub mod manifest;
pub mod model;
pub mod proof;
pub mod recommend;
pub mod record;
mod records;
pub mod replica;
pub mod store;
mod vault;
pub mod vocab;

pub use attachments::{CHUNK_SIZE, is_invisible, validate_name as validate_attachment_name};
pub use doctor::{Problem, Report};
pub use error::{Cosign, Error, ErrorKind, Result};
pub use keys::{KdfParams, RecoveryKey};
pub use record::{AttachmentInfo, RecordState};
pub use records::{Added, COMPACT_AFTER, Edit, Filter, HistoryEntry, Record, Summary};
pub use vault::{Rekeyed, Unlock, Vault, check_new_vault, db_path};

/// The default configuration file: `config.toml` in musette's folder of the user's
/// configuration directory (`~/.config/musette/config.toml` on Linux).
pub fn default_config_file() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "musette").map(|d| d.config_dir().join("config.toml"))
}

/// The default vault folder: `musette` in the user's data directory
/// (`~/.local/share/musette` on Linux).
pub fn default_vault_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "musette").map(|d| d.data_dir().to_path_buf())
}
