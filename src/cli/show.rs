//! `musette show`

use std::io::Write;

use anyhow::Result;
use musette_core::Record;
use serde_json::{Value, json};

use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
}

/// The JSON form of a record (`show --json`).
pub fn record_json(r: &Record) -> Value {
    let s = &r.state;
    json!({
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
    })
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
    let r = vault.show(&args.id)?;
    if ctx.json {
        return ctx.print_json(&record_json(&r));
    }
    let s = &r.state;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} {}{}",
        s.kind,
        r.id,
        if s.deleted {
            " (removed: restore with `musette rm --undo`)"
        } else {
            ""
        }
    )?;
    let width = s.fields.keys().map(String::len).max().unwrap_or(0).max(7);
    // Known fields first, in the kind's order, then extra ones.
    let known = s.kind.fields().iter().map(|f| f.name);
    let extra = s
        .fields
        .keys()
        .map(String::as_str)
        .filter(|k| s.kind.field(k).is_none());
    for name in known.chain(extra) {
        if let Some(v) = s.fields.get(name) {
            let text = show_value(v);
            let mut lines = text.lines();
            writeln!(out, "  {name:<width$}  {}", lines.next().unwrap_or(""))?;
            for line in lines {
                writeln!(out, "  {:<width$}  {line}", "")?;
            }
        }
    }
    if !s.tags.is_empty() {
        writeln!(out, "  {:<width$}  {}", "tags", s.tags.join(", "))?;
    }
    writeln!(out, "  {:<width$}  {}", "created", s.created)?;
    writeln!(out, "  {:<width$}  {}", "updated", s.updated)?;
    for a in &s.attachments {
        writeln!(
            out,
            "  attached  {} ({} bytes, sha256 {})",
            a.name, a.size, a.sha256
        )?;
    }
    Ok(())
}
