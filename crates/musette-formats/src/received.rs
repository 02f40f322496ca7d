//! What someone hands over to be verified, whatever form it came in: a credential or
//! presentation as JSON, a VC-JWT, or a badge image with one baked in. Shared by `musette
//! verify` and the web app's verify page.

use musette_core::i18n::Msg;
use musette_core::msg;
use serde_json::{Map, Value};

use crate::{FORMATS, openbadges};

/// What a file holds, ready to be checked.
#[derive(Debug, Clone)]
pub enum Input {
    /// A credential or presentation with Data Integrity proofs.
    Document(Value),
    /// A VC-JWT (compact JWS).
    Jwt(String),
    /// An Open Badges 1.0 or 2.0 assertion: what it says, and why it cannot be checked offline.
    Legacy(Map<String, Value>, Msg),
}

/// Why a file cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It holds a key twice in one object: what it says is ambiguous (damage, exit 5).
    Ambiguous(String),
    /// It holds two of what tools read one of (two baked badges, or a baked badge holding a
    /// key twice): which one counts depends on the tool (damage, exit 5).
    Twice(Msg),
    /// Its proof lives on the network (a hosted badge): it cannot be checked offline (exit 7).
    Hosted(Msg),
    /// It is not a credential at all (exit 2); says what it is instead (`received-empty`
    /// when it is empty).
    NotACredential(Msg),
}

/// Reads a file's bytes into what can be checked.
pub fn read(bytes: &[u8]) -> Result<Input, Refusal> {
    // A byte-order mark before JSON (as some Windows editors save it) is not part of it.
    let text = std::str::from_utf8(bytes)
        .ok()
        .map(|t| t.trim_start_matches('\u{feff}').trim());
    if let Some(key) = text.and_then(musette_core::credential::duplicate_key) {
        return Err(Refusal::Ambiguous(key));
    }
    if let Some(doc) = text.and_then(|t| serde_json::from_str::<Value>(t).ok())
        && musette_core::credential::document_kind(&doc).is_some()
    {
        return Ok(Input::Document(doc));
    }
    if let Some(t) = text
        && t.starts_with("ey")
        && t.split('.').count() == 3
        && !t.contains(char::is_whitespace)
        && musette_core::jose::payload(t).is_some_and(|p| p.get("badge").is_none())
    {
        return Ok(Input::Jwt(t.to_string()));
    }
    match openbadges::read(bytes) {
        Ok(badge) => {
            let original = badge.original.trim();
            if badge.version == openbadges::Version::V2 {
                let why = match &badge.status {
                    openbadges::Status::Unsupported(why) => why.clone(),
                    other => other.msg(),
                };
                let mut fields = badge.fields.clone();
                fields.remove("credential");
                return Ok(Input::Legacy(fields, why));
            }
            if original.starts_with('{') {
                serde_json::from_str(original)
                    .map(Input::Document)
                    .map_err(|e| {
                        Refusal::NotACredential(msg!(
                            FORMATS,
                            "received-baked-not-json",
                            why = e.to_string()
                        ))
                    })
            } else {
                Ok(Input::Jwt(original.to_string()))
            }
        }
        Err(e) if e.msg().id() == "badge-hosted" => Err(Refusal::Hosted(e.msg().clone())),
        Err(e)
            if matches!(
                e.msg().id(),
                "png-two-badges" | "svg-two-badges" | "badge-key-twice"
            ) =>
        {
            Err(Refusal::Twice(e.msg().clone()))
        }
        Err(_) if text.is_some_and(|t| serde_json::from_str::<Value>(t).is_ok()) => Err(
            Refusal::NotACredential(msg!(FORMATS, "received-wrong-type")),
        ),
        Err(e) if bytes.starts_with(b"\x89PNG") || text.is_some_and(|t| t.contains("<svg")) => {
            Err(Refusal::NotACredential(e.msg().clone()))
        }
        Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => {
            Err(Refusal::NotACredential(msg!(FORMATS, "received-empty")))
        }
        // Meant as JSON (it opens as an object does) but not JSON: where it breaks.
        Err(_) if let Some(t) = text.filter(|t| t.starts_with('{')) => {
            let why = serde_json::from_str::<Value>(t)
                .err()
                .map_or_else(String::new, |e| e.to_string());
            Err(Refusal::NotACredential(msg!(
                FORMATS,
                "received-not-json",
                why = why
            )))
        }
        Err(_) => Err(Refusal::NotACredential(msg!(FORMATS, "received-unknown"))),
    }
}
