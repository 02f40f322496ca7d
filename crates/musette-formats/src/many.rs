//! Files of many records (vCards, a JSON Resume, a LinkedIn export) made ready for
//! [`Vault::import_records`](musette_core::Vault::import_records): each record with its stable
//! key, the owner's profile found and merged into, and what was left out. Shared by `musette
//! import` and the web app's import page.

use std::collections::HashSet;

use musette_core::Vault;
use musette_core::batch::{Incoming, Owns};
use musette_core::i18n::Msg;
use musette_core::model::Kind;
use musette_core::msg;
use serde_json::{Map, Value};

use crate::{FORMATS, FormatError};

/// A format of many records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Many {
    /// vCard 3.0 or 4.0: contacts.
    Vcard,
    /// A JSON Resume: the profile and records.
    JsonResume,
    /// A LinkedIn data export (its ZIP): the profile and records.
    Linkedin,
}

impl Many {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Many::Vcard => "vcard",
            Many::JsonResume => "json-resume",
            Many::Linkedin => "linkedin",
        }
    }

    /// The format of many records these bytes are, if any.
    pub fn detect(bytes: &[u8]) -> Option<Many> {
        if crate::linkedin::is_zip(bytes) {
            return Some(Many::Linkedin);
        }
        if crate::vcard::looks_like(bytes) {
            return Some(Many::Vcard);
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let text = text.trim_start_matches('\u{feff}').trim_start();
        serde_json::from_str::<Value>(text)
            .ok()
            .filter(crate::jsonresume::looks_like)
            .map(|_| Many::JsonResume)
    }
}

/// Records ready to import, and what was left out.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The records.
    pub items: Vec<Incoming>,
    /// Entries left out, and why.
    pub skipped: Vec<Msg>,
    /// Values left out of entries kept, and why.
    pub notes: Vec<Msg>,
    /// For a LinkedIn export: the files read.
    pub files: Vec<String>,
}

/// Why a file could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The file itself.
    #[error("{0}")]
    Format(#[from] FormatError),
    /// The vault (reading the profile or contacts to match against).
    #[error("{0}")]
    Vault(#[from] musette_core::Error),
}

/// The owner's profile (id, fields) if there is one, and the ids of other contacts carrying
/// the owner's did.
pub type Profile = (Option<(String, Map<String, Value>)>, Vec<String>);

/// The owner's profile: the contact carrying the vault's own did (id, fields), and the ids of
/// any others that do (two devices that each made one before they synced): the one created
/// first counts, the same on every device.
pub fn profile(vault: &Vault) -> musette_core::Result<Profile> {
    let did = vault.owner()?.did().to_string();
    let mut mine: Vec<(Map<String, Value>, String)> = vault
        .records_of(Kind::Contact)?
        .into_iter()
        .filter(|(f, _)| f.get("did").and_then(Value::as_str) == Some(did.as_str()))
        .collect();
    mine.sort_by(|a, b| a.1.cmp(&b.1));
    if mine.len() > 1 {
        let created = |id: &str| vault.show(id).map(|r| r.state.created).unwrap_or_default();
        mine.sort_by_cached_key(|(_, id)| (created(id), id.clone()));
    }
    let mut it = mine.into_iter();
    let first = it.next().map(|(f, id)| (id, f));
    Ok((first, it.map(|(_, id)| id).collect()))
}

/// Prepares a file's bytes in `format` against `vault`.
pub fn prepare(vault: &Vault, format: Many, bytes: &[u8]) -> Result<Prepared, PrepareError> {
    let text = || {
        std::str::from_utf8(bytes).map_err(|_| {
            FormatError::Malformed(msg!(FORMATS, "many-not-utf8", format = "JSON Resume"))
        })
    };
    match format {
        // Not UTF-8: an older address book's export, in Windows-1252 (Latin-1 as Windows
        // writes it), said in a note.
        Many::Vcard => match std::str::from_utf8(bytes) {
            Ok(text) => vcard(vault, text),
            Err(_) => {
                // A byte-order mark says UTF-16 (as some Windows tools write): read as such.
                let (text, used, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                let mut prepared = vcard(vault, &text)?;
                if used == encoding_rs::WINDOWS_1252 {
                    prepared.notes.push(msg!(FORMATS, "vcard-windows-1252"));
                }
                Ok(prepared)
            }
        },
        Many::JsonResume => {
            let resume = crate::jsonresume::read(text()?)?;
            with_profile(
                vault,
                resume.profile,
                "jsonresume:basics",
                resume.records,
                resume.skipped,
                resume.notes,
                Vec::new(),
            )
        }
        Many::Linkedin => linkedin(vault, crate::linkedin::read_zip(bytes)?),
    }
}

/// Prepares a LinkedIn export read from its folder or ZIP.
pub fn linkedin(vault: &Vault, export: crate::linkedin::Export) -> Result<Prepared, PrepareError> {
    with_profile(
        vault,
        export.profile,
        "linkedin:profile",
        export.records,
        export.skipped,
        export.notes,
        export.files,
    )
}

fn vcard(vault: &Vault, text: &str) -> Result<Prepared, PrepareError> {
    let (cards, mut skipped) = crate::vcard::read(text)?;
    let owner = vault.owner()?.did().to_string();
    let profile = profile(vault)?.0.map(|(id, _)| id);
    let contacts: HashSet<String> = vault
        .records_of(Kind::Contact)?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let mut items = Vec::new();
    for c in cards {
        let at = msg!(FORMATS, "vcard-at", line = c.line);
        // A card musette wrote carries its record's id: it finds that contact again.
        let existing = c
            .key
            .strip_prefix("vcard:")
            .and_then(|uid| uid.strip_prefix(crate::vcard::UID_PREFIX))
            .filter(|id| contacts.contains(*id))
            .map(str::to_string);
        let mut fields = c.fields;
        // Your own did makes a contact your profile: a card cannot claim it, unless it is your
        // profile's own card coming back.
        if fields.get("did").and_then(Value::as_str) == Some(owner.as_str())
            && (existing.is_none() || existing != profile)
        {
            fields.remove("did");
            skipped.push(msg!(FORMATS, "vcard-own-did", at = at.clone()));
        }
        items.push(Incoming {
            owns: Owns::Only(crate::vcard::OWNS),
            existing,
            ..Incoming::new(Kind::Contact, c.key, fields, at)
        });
    }
    Ok(Prepared {
        items,
        skipped,
        ..Prepared::default()
    })
}

/// The records, after the profile as the file gives it: merged into the one the vault has (the
/// file adds and changes fields, never removes one), or made when there is none and the file
/// names its owner.
fn with_profile(
    vault: &Vault,
    mut fields: Map<String, Value>,
    key: &str,
    records: Vec<Incoming>,
    mut skipped: Vec<Msg>,
    mut notes: Vec<Msg>,
    files: Vec<String>,
) -> Result<Prepared, PrepareError> {
    let mut items = Vec::new();
    if !fields.is_empty() {
        let held = profile(vault)?.0;
        fields.insert("did".into(), vault.owner()?.did().into());
        if let Some((_, held)) = &held
            && !fields.contains_key("name")
            && let Some(name) = held.get("name")
        {
            fields.insert("name".into(), name.clone());
        }
        if let Some((_, held)) = &held
            && let (Some(old), Some(new)) = (
                held.get("name").and_then(Value::as_str),
                fields.get("name").and_then(Value::as_str),
            )
            && old != new
        {
            notes.push(msg!(
                FORMATS,
                "profile-renamed",
                old = format!("{old:?}"),
                new = format!("{new:?}")
            ));
        }
        if fields.contains_key("name") {
            items.push(Incoming {
                owns: Owns::Only(&[]),
                existing: held.map(|(id, _)| id),
                ..Incoming::new(
                    Kind::Contact,
                    key.into(),
                    fields,
                    msg!(FORMATS, "your-profile"),
                )
            });
        } else {
            skipped.push(msg!(FORMATS, "profile-no-name"));
        }
    }
    items.extend(records);
    Ok(Prepared {
        items,
        skipped,
        notes,
        files,
    })
}
