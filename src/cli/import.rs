//! `musette import [badge] FILE`

use std::path::PathBuf;

use anyhow::Result;
use musette_core::model::Kind;
use musette_formats::openbadges::{self, Status};
use serde_json::json;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The format (`badge`), then the file; with the file alone the format is guessed.
    #[arg(num_args = 1..=2, required = true, value_name = "[FORMAT] FILE")]
    args: Vec<String>,
    /// Import a badge even when its proof does not hold.
    #[arg(long)]
    allow_invalid: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (format, file) = match args.args.as_slice() {
        [file] => (None, PathBuf::from(file)),
        [format, file] => (Some(format.as_str()), PathBuf::from(file)),
        _ => {
            return Err(exit::invalid(
                "give a file to import, optionally after its format: musette import badge FILE",
            ));
        }
    };
    if let Some(f) = format
        && f != "badge"
    {
        return Err(exit::invalid(format!(
            "unknown import format {f:?}: the formats are: badge"
        )));
    }
    let bytes = ctx.read_in(&file)?;
    let badge = openbadges::read(&bytes)
        .map_err(|e| exit::invalid(format!("cannot import {}: {e}", file.display())))?;
    if let Status::Invalid(why) = &badge.status
        && !args.allow_invalid
    {
        return Err(exit::damaged(format!(
            "the badge's proof does not hold ({why}): nothing was imported; use --allow-invalid to keep it anyway"
        )));
    }
    let mut vault = ctx.open()?;
    // The same badge imported again, as JSON or baked in an image, whatever the bytes around it
    // (a trailing newline, another indentation): recognised by its canonical form.
    let original = badge
        .fields
        .get("credential")
        .and_then(|v| v.as_str())
        .and_then(identity);
    if let Some((_, id)) = vault.records_of(Kind::Badge)?.into_iter().find(|(f, _)| {
        original.is_some()
            && f.get("credential")
                .and_then(|v| v.as_str())
                .and_then(identity)
                == original
    }) {
        return Err(exit::invalid(format!(
            "this badge is already in your vault as {id}: nothing was imported"
        )));
    }
    let added = vault.add(Kind::Badge, badge.fields.clone(), &[])?;
    let name = badge
        .fields
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if ctx.json {
        ctx.print_json(&json!({ "id": added.id, "kind": "badge", "name": name, "status": badge.status.to_string() }))?;
    } else {
        // The name and the status come from the file: cleaned.
        println!("{}", added.id);
        eprintln!(
            "Imported badge {}: {}",
            clean::line(&format!("{name:?}")),
            clean::line(&badge.status.to_string())
        );
    }
    Ok(())
}

/// What makes a badge the same badge: the SHA-256 of its canonical JSON (RFC 8785), so the
/// bytes around it do not count, while any change to what it says (even under the same `id`)
/// does.
fn identity(text: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    let canonical = musette_core::proof::canonicalize(&v).ok()?;
    Some(format!(
        "c14n:{}",
        musette_core::crypto::hex(&musette_core::crypto::sha256(&canonical))
    ))
}
