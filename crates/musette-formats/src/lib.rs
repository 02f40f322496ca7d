//! # musette-formats
//!
//! The formats musette reads and writes beside its own vault:
//!
//! - [`jsonresume`]: JSON Resume in (to a profile and records) and out (schema-valid).
//! - [`linkedin`]: a LinkedIn data export (its ZIP or folder) in.
//! - [`many`]: files of many records made ready to import (profile merged, keys, what was left out).
//! - [`vcard`]: vCard 4.0 and 3.0 contacts, in and out.
//! - [`openbadges`]: Open Badges 3.0 credentials and Open Badges 2.0 assertions, as JSON or baked
//!   into PNG (`iTXt` chunk) and SVG images; reading them into badge records, and baking a
//!   credential back into an image.
//! - [`received`]: what someone hands over to be verified (JSON, a JWT, a badge image).
//! - [`png`] and [`svg`]: finding and writing the baked data without re-encoding the image.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod jsonresume;
pub mod linkedin;
pub mod many;
pub mod openbadges;
pub mod png;
pub mod received;
pub mod svg;
pub mod vcard;

/// Errors reading or writing a format; every message says what is wrong with the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The input is not of a kind this reader knows.
    #[error("{0}")]
    Unrecognised(String),
    /// The input is of the right kind but malformed or incomplete.
    #[error("{0}")]
    Malformed(String),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, FormatError>;

pub(crate) fn malformed(msg: impl Into<String>) -> FormatError {
    FormatError::Malformed(msg.into())
}

/// A record's stable key in its format: its section and the parts that name it, written so
/// that no two different lists of parts give the same key (`Acme|Lead`, `Dev` is not `Acme`,
/// `Lead|Dev`).
pub(crate) fn stable_key(section: &str, parts: &[String]) -> String {
    format!("{section}:{}", serde_json::Value::from(parts.to_vec()))
}
