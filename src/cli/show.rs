//! `musette show`

use std::io::Write;

use anyhow::Result;
use std::collections::HashMap;

use musette_core::Record;
use musette_core::model::Kind;
use serde_json::{Value, json};

use crate::clean;
use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The record id (or a unique prefix of at least 6 characters), or a received item's id.
    pub id: String,
}

/// Co-signers of a recommendation: (did, contact name).
fn cosigners(r: &Record, names: &HashMap<String, String>) -> Vec<(String, Option<String>)> {
    if r.state.kind != Kind::Recommendation {
        return vec![];
    }
    let Some(doc) = r
        .state
        .fields
        .get("credential")
        .and_then(Value::as_str)
        .and_then(|t| serde_json::from_str(t).ok())
    else {
        return vec![];
    };
    musette_core::recommend::cosigners(&doc)
        .into_iter()
        .map(|d| {
            let n = names.get(&d).cloned();
            (d, n)
        })
        .collect()
}

/// What checking a badge's original credential says now.
fn badge_status(r: &Record) -> Option<String> {
    if r.state.kind != Kind::Badge {
        return None;
    }
    let text = r.state.fields.get("credential").and_then(Value::as_str)?;
    Some(match musette_formats::openbadges::read(text.as_bytes()) {
        Ok(b) => b.status.to_string(),
        Err(e) => crate::say::t("cli-unreadable", &[("why", &e.to_string())]),
    })
}

/// The records that point at `r` (evidence of an experience, recommendations about it):
/// (id, kind, title).
fn referenced_by(vault: &musette_core::Vault, r: &Record) -> Vec<(String, Kind, String)> {
    let mut out = Vec::new();
    // Only experiences are pointed at (by evidence, and by recommendations about them).
    if r.state.kind != Kind::Experience {
        return out;
    }
    for (kind, field) in [
        (Kind::Evidence, "experience"),
        (Kind::Recommendation, "about"),
    ] {
        for (fields, id) in vault.records_of(kind).unwrap_or_default() {
            if fields.get(field).and_then(Value::as_str) == Some(r.id.as_str()) {
                out.push((id, kind, musette_core::model::title_of(kind, &fields)));
            }
        }
    }
    out
}

/// The title of the record a reference field names, when it is there.
fn ref_title(vault: &musette_core::Vault, r: &Record, field: &str) -> Option<String> {
    let spec = r.state.kind.field(field)?;
    if !matches!(spec.ty, musette_core::model::FieldType::RecordRef) {
        return None;
    }
    let id = r.state.fields.get(field)?.as_str()?;
    vault.show(id).ok().map(|t| t.title)
}

/// Whether a signed recommendation's signatures were voided by an edit (`None`: not signed, or
/// not a recommendation).
pub fn void_signatures(vault: &musette_core::Vault, r: &Record) -> Option<bool> {
    match vault.signatures(r).ok()? {
        musette_core::recommend::Signatures::Valid(_) => Some(false),
        musette_core::recommend::Signatures::Void(_) => Some(true),
        musette_core::recommend::Signatures::None => None,
    }
}

/// The JSON form of a record (`show --json`); `signatures_void` says whether a signed
/// recommendation's signatures still count.
pub fn record_json(
    r: &Record,
    names: &HashMap<String, String>,
    signatures_void: Option<bool>,
) -> Value {
    let s = &r.state;
    let mut v = json!({
        "id": r.id,
        "kind": s.kind,
        "fields": s.fields,
        "tags": s.tags,
        "created": s.created,
        "updated": s.updated,
        "deleted": s.deleted,
        "attachments": s.attachments.iter()
            .map(|a| json!({ "name": a.name, "size": a.size, "sha256": a.sha256 }))
            .collect::<Vec<_>>(),
    });
    let co = cosigners(r, names);
    if !co.is_empty() {
        v["cosigners"] = co
            .iter()
            .map(|(d, n)| json!({ "did": d, "name": n }))
            .collect();
    }
    if let Some(void) = signatures_void {
        v["signatures_valid"] = json!(!void);
    }
    if let Some(status) = badge_status(r) {
        v["credential_status"] = json!(status);
    }
    v
}

fn show_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let vault = ctx.open()?;
    if let Some(r) = super::share::find(&vault, &args.id)? {
        return super::share::show(ctx, &vault, &r);
    }
    let r = vault.show(&args.id)?;
    let mut names = vault.contact_names()?;
    let void = void_signatures(&vault, &r);
    let linked = referenced_by(&vault, &r);
    if ctx.json {
        let mut v = record_json(&r, &names, void);
        if !linked.is_empty() {
            v["referenced_by"] = linked
                .iter()
                .map(|(id, kind, title)| json!({ "id": id, "kind": kind, "title": title }))
                .collect();
        }
        return ctx.print_json(&v);
    }
    // For people, your own signature among a recommendation's is yours.
    if let Ok(owner) = vault.owner() {
        names.insert(
            owner.did().to_string(),
            crate::say::t("cli-signer-you", &[]),
        );
    }
    let s = &r.state;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} {}{}",
        crate::say::kind(s.kind),
        r.id,
        if s.deleted {
            format!(" ({})", crate::say::t("cli-show-removed", &[]))
        } else {
            String::new()
        }
    )?;
    // Everything below comes from the record (perhaps from a file someone sent): cleaned.
    let width = s
        .fields
        .keys()
        .map(|k| clean::line(k).chars().count())
        .max()
        .unwrap_or(0)
        .max(label("cli-show-updated").chars().count())
        .max(label("cli-show-created").chars().count())
        .max(if s.attachments.is_empty() {
            0
        } else {
            label("cli-show-attached").chars().count()
        })
        .max(if s.tags.is_empty() {
            0
        } else {
            label("cli-show-tags").chars().count()
        });
    // Known fields first, in the kind's order, then extra ones.
    let known = s.kind.fields().iter().map(|f| f.name);
    let extra = s
        .fields
        .keys()
        .map(String::as_str)
        .filter(|k| s.kind.field(k).is_none());
    for name in known.chain(extra) {
        if let Some(v) = s.fields.get(name) {
            let text = match (s.kind, name) {
                (Kind::Badge, "credential") => format!(
                    "({})",
                    crate::say::t(
                        "cli-show-original",
                        &[("status", &badge_status(&r).unwrap_or_default())],
                    )
                ),
                (Kind::Recommendation, "credential") => continue,
                _ => match ref_title(&vault, &r, name) {
                    Some(title) => format!("{} ({title})", show_value(v)),
                    None => show_value(v),
                },
            };
            let name = clean::line(name);
            let text = clean::block(&text);
            let mut lines = text.lines();
            writeln!(out, "  {name:<width$}  {}", lines.next().unwrap_or(""))?;
            for line in lines {
                writeln!(out, "  {:<width$}  {line}", "")?;
            }
        }
    }
    if !s.tags.is_empty() {
        let tags = s.tags.join(", ");
        writeln!(
            out,
            "  {:<width$}  {}",
            label("cli-show-tags"),
            clean::line(&tags)
        )?;
    }
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-show-created"),
        clean::line(&crate::clock::local(&s.created))
    )?;
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-show-updated"),
        clean::line(&crate::clock::local(&s.updated))
    )?;
    let signed = if void == Some(true) {
        label("cli-show-signed-void")
    } else {
        label("cli-show-signed")
    };
    for (did, name) in cosigners(&r, &names) {
        let who = name
            .map(|n| format!("{} ", clean::line(&n)))
            .unwrap_or_default();
        writeln!(out, "  {:<width$}  {who}{}", signed, clean::line(&did))?;
    }
    if void == Some(true) {
        writeln!(
            out,
            "  {:<width$}  {}",
            "",
            crate::say::t("cli-show-void", &[("id", &r.id)])
        )?;
    }
    for (id, kind, title) in &linked {
        let tag = match kind {
            Kind::Evidence => label("cli-show-evidence"),
            _ => label("cli-show-recommended"),
        };
        writeln!(out, "  {tag:<width$}  {id} {}", clean::line(title))?;
    }
    for a in &s.attachments {
        writeln!(
            out,
            "  {:<width$}  {} ({}, sha256 {})",
            label("cli-show-attached"),
            clean::line(&a.name),
            human_size(a.size),
            clean::line(&a.sha256)
        )?;
    }
    Ok(())
}

/// A label of `show`'s output, in the user's language.
fn label(id: &str) -> String {
    crate::say::t(id, &[])
}

/// A size for people: bytes below 1 KiB, then KiB, MiB or GiB with one decimal (`--json` keeps
/// the exact count).
pub fn human_size(bytes: u64) -> String {
    let french = crate::say::lang() == musette_web::i18n::Lang::Fr;
    let (units, small) = if french {
        (["Kio", "Mio", "Gio"], "octets")
    } else {
        (["KiB", "MiB", "GiB"], "bytes")
    };
    if bytes < 1024 {
        return format!("{bytes} {small}");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let shown = format!("{value:.1}");
    let shown = if french {
        shown.replace('.', ",")
    } else {
        shown
    };
    format!("{shown} {}", units[unit])
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(20 << 20), "20.0 MiB");
        assert_eq!(human_size(3 << 30), "3.0 GiB");
        assert_eq!(human_size(5 << 40), "5120.0 GiB");
    }
}
