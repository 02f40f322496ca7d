//! `musette list`

use anyhow::Result;
use musette_core::Filter;
use musette_core::model::Kind;
use serde_json::json;

use super::add::parse_kind;
use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only records of this kind.
    #[arg(value_parser = parse_kind)]
    kind: Option<Kind>,
    /// Only records whose title, fields or tags contain TEXT (any case, with or without accents).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only records with this tag. Repeatable: all must match.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Include records removed with `rm`.
    #[arg(long)]
    deleted: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let filter = Filter {
        kind: args.kind,
        search: args.search,
        tags: args.tags,
        include_deleted: args.deleted,
    };
    let (records, damaged) = vault.list(&filter)?;
    // Signed recommendations edited since: their signatures no longer count.
    let void = |r: &musette_core::Summary| -> Option<bool> {
        if r.kind != Kind::Recommendation {
            return None;
        }
        let rec = vault.show(&r.id).ok()?;
        super::show::void_signatures(&vault, &rec)
    };
    if ctx.json {
        let rows: Vec<_> = records
            .iter()
            .map(|r| {
                let mut v = json!({ "id": r.id, "kind": r.kind, "title": r.title, "tags": r.tags, "updated": r.updated });
                if r.deleted {
                    v["deleted"] = json!(true);
                }
                if let Some(void) = void(r) {
                    v["signatures_valid"] = json!(!void);
                }
                v
            })
            .collect();
        ctx.print_json(&rows)?;
    } else {
        use std::io::{IsTerminal, Write};
        // On a terminal, what is overdue or due within a week comes first.
        if std::io::stdout().is_terminal()
            && let Some(line) = super::due::reminder(&vault)
        {
            println!("{line}");
        }
        let mut out = std::io::stdout().lock();
        for r in &records {
            let tags = if r.tags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", clean::line(&r.tags.join(", ")))
            };
            let gone = if r.deleted { "  (removed)" } else { "" };
            let void = if void(r) == Some(true) {
                "  (signatures void: edited since)"
            } else {
                ""
            };
            writeln!(
                out,
                "{}  {:<14} {}{tags}{gone}{void}",
                r.id,
                r.kind.as_str(),
                clean::line(&r.title)
            )?;
        }
        if records.is_empty() && damaged.is_empty() {
            eprintln!("musette: no records match");
        }
    }
    if !damaged.is_empty() {
        for e in &damaged {
            eprintln!("musette: {}", clean::line(&e.to_string()));
        }
        return Err(exit::damaged(format!(
            "{} record(s) could not be read; the others are listed",
            damaged.len()
        )));
    }
    Ok(())
}
