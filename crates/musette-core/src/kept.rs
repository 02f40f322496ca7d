//! Credentials and presentations others gave you as files, kept as received (`musette import`
//! of something that is not about you): the exact text, who issued it and what it is, in a
//! sealed setting of this device (at most 1,000 items of 256 KiB, 16 MiB in all: every import
//! rewrites it). `musette received` lists them beside what peers shared, and `musette verify ID`
//! checks one again.

use crate::i18n::CORE;
use crate::msg;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::credential::{document_kind, types_of};
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The setting that holds them.
const KEPT: &str = "received-files";
/// Most kept at once.
pub const MAX_KEPT: usize = 1_000;
/// Largest item kept, in bytes (a presentation of a whole backpack is far less).
pub const MAX_ITEM: usize = 256 * 1024;
/// Most bytes kept in all: every import rewrites the sealed setting that holds them.
pub const MAX_TOTAL: usize = 16 * 1024 * 1024;

/// A credential or presentation kept as received.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Kept {
    /// Its id: the SHA-256 of its canonical JSON (hex), so the same document twice is one.
    pub id: String,
    /// `credential` or `presentation`.
    pub kind: String,
    /// Its types.
    pub types: Vec<String>,
    /// Its issuer (a credential) or holder (a presentation), as given: a did or a URL.
    pub from: Option<String>,
    /// The name it gives its issuer or holder, if any.
    pub from_name: Option<String>,
    /// Its name, or its achievement's.
    pub title: Option<String>,
    /// The exact text imported.
    pub text: String,
    /// When it was kept (RFC 3339).
    pub kept: String,
    /// What checking it found when it was kept (`verified`, `failed`, `cannot_be_checked`,
    /// `not_valid_now`): `musette verify ID` checks it again.
    #[serde(default)]
    pub outcome: String,
}

/// What identifies a document whatever the bytes around it.
pub fn id_of(doc: &Value) -> Result<String> {
    Ok(crate::crypto::hex(&crate::crypto::sha256(
        &crate::proof::canonicalize(doc)?,
    )))
}

impl Vault {
    /// Keeps a credential or presentation as received. Errors when it is neither, or is kept
    /// already (naming the item).
    pub fn keep_received(&mut self, text: &str, outcome: &str) -> Result<Kept> {
        if text.len() > MAX_ITEM {
            return Err(Error::invalid(msg!(
                CORE,
                "kept-too-large",
                kib = MAX_ITEM / 1024
            )));
        }
        let doc: Value = serde_json::from_str(text.trim())
            .map_err(|e| Error::invalid(msg!(CORE, "kept-not-json", why = e.to_string())))?;
        let kind = document_kind(&doc).ok_or_else(|| Error::invalid(msg!(CORE, "kept-not-vc")))?;
        let who = if kind == "presentation" {
            "holder"
        } else {
            "issuer"
        };
        let (from, from_name) = crate::credential::party(&doc, who);
        let title = doc
            .get("name")
            .and_then(Value::as_str)
            .or_else(|| {
                doc.pointer("/credentialSubject/achievement/name")
                    .and_then(Value::as_str)
            })
            .map(str::to_string)
            .or_else(|| {
                // A presentation is named by what it holds.
                let inner = match doc.get("verifiableCredential")? {
                    Value::Array(items) => items.clone(),
                    one => vec![one.clone()],
                };
                let names: Vec<String> = inner
                    .iter()
                    .filter_map(|c| {
                        c.get("name")
                            .or_else(|| c.pointer("/credentialSubject/achievement/name"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .collect();
                Some(format!(
                    "{} credential{}{}{}",
                    inner.len(),
                    if inner.len() == 1 { "" } else { "s" },
                    if names.is_empty() { "" } else { ": " },
                    names.join(", ")
                ))
            });
        let kept = Kept {
            id: id_of(&doc)?,
            kind: kind.to_string(),
            types: types_of(&doc),
            from,
            from_name,
            title,
            text: text.trim().to_string(),
            kept: crate::records::now_rfc3339(),
            outcome: outcome.to_string(),
        };
        let new = kept.clone();
        self.update_setting(KEPT, move |current| {
            let mut all: Vec<Kept> = match current {
                Some(v) => serde_json::from_value(v)
                    .map_err(|_| Error::damaged("vault", msg!(CORE, "kept-decode")))?,
                None => Vec::new(),
            };
            if let Some(held) = all.iter().find(|k| k.id == new.id) {
                return Err(Error::invalid(msg!(
                    CORE,
                    "kept-already",
                    kind = new.kind.as_str(),
                    id = &held.id[..12]
                )));
            }
            let total: usize = all.iter().map(|k| k.text.len()).sum();
            if total + new.text.len() > MAX_TOTAL {
                return Err(Error::invalid(msg!(
                    CORE,
                    "kept-total",
                    mib = MAX_TOTAL / (1024 * 1024)
                )));
            }
            if all.len() >= MAX_KEPT {
                return Err(Error::invalid(msg!(CORE, "kept-count", n = MAX_KEPT)));
            }
            all.push(new);
            let value = serde_json::to_value(&all).map_err(|e| Error::Internal(e.to_string()))?;
            Ok((value, ()))
        })?;
        Ok(kept)
    }

    /// Every credential and presentation kept as received, oldest first.
    pub fn kept_received(&self) -> Result<Vec<Kept>> {
        match self.setting(KEPT)? {
            Some(v) => serde_json::from_value(v)
                .map_err(|_| Error::damaged("vault", msg!(CORE, "kept-decode"))),
            None => Ok(Vec::new()),
        }
    }

    /// The kept item whose id starts with `prefix` (6 hex digits or more), if exactly one does.
    pub fn find_kept(&self, prefix: &str) -> Result<Option<Kept>> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 6 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let found: Vec<Kept> = self
            .kept_received()?
            .into_iter()
            .filter(|k| k.id.starts_with(&prefix))
            .collect();
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.into_iter().next()),
            n => Err(Error::invalid(msg!(
                CORE,
                "kept-ambiguous",
                n = n,
                prefix = prefix
            ))),
        }
    }

    /// Forgets a kept item for good. Returns it, or `None` when no kept item has that id.
    pub fn forget_kept(&mut self, prefix: &str) -> Result<Option<Kept>> {
        let Some(gone) = self.find_kept(prefix)? else {
            return Ok(None);
        };
        let id = gone.id.clone();
        self.update_setting(KEPT, move |current| {
            let mut all: Vec<Kept> = match current {
                Some(v) => serde_json::from_value(v)
                    .map_err(|_| Error::damaged("vault", msg!(CORE, "kept-decode")))?,
                None => Vec::new(),
            };
            all.retain(|k| k.id != id);
            let value = serde_json::to_value(&all).map_err(|e| Error::Internal(e.to_string()))?;
            Ok((value, ()))
        })?;
        Ok(Some(gone))
    }
}
