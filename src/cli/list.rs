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
    /// Only records whose title, fields or tags contain every word of TEXT (any case, with or
    /// without accents, in any order).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only records with this tag (any case, with or without accents). Repeatable, or several
    /// separated by commas: all must match.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Include records removed with `rm`.
    #[arg(long)]
    deleted: bool,
    /// The order: by kind (experiences newest first, the rest by title), by date (newest
    /// first), by title, or by last change (newest first).
    #[arg(long, value_enum, default_value_t = Sort::Kind)]
    sort: Sort,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    Kind,
    Date,
    Title,
    Updated,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let filter = Filter {
        kind: args.kind,
        search: args.search,
        // `--tag "cv, métier"` as `--tag cv --tag métier`, as the web app's filter reads it.
        tags: args
            .tags
            .iter()
            .flat_map(|t| t.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        include_deleted: args.deleted,
    };
    let (mut records, damaged) = vault.list(&filter)?;
    match args.sort {
        Sort::Kind => {}
        // A date's text sorts as the date ("2019-04 – 2023" by its start); undated last.
        Sort::Date => records.sort_by(|a, b| match (&a.date, &b.date) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        }),
        Sort::Title => records.sort_by_cached_key(|r| (r.title.to_lowercase(), r.id.clone())),
        Sort::Updated => records.sort_by(|a, b| b.updated.cmp(&a.updated)),
    }
    // Signed recommendations edited since: their signatures no longer count.
    let void = |r: &musette_core::Summary| -> Option<bool> { r.signatures_void };
    if ctx.json {
        let rows: Vec<_> = records
            .iter()
            .map(|r| {
                let mut v = json!({ "id": r.id, "kind": r.kind, "title": r.title, "tags": r.tags, "updated": r.updated });
                if r.deleted {
                    v["deleted"] = json!(true);
                }
                if let Some(d) = &r.date {
                    v["date"] = json!(d);
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
        // One write per screenful, not per line: a listing of 10,000 records is 10,000 lines.
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        for r in &records {
            let tags = if r.tags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", clean::line(&r.tags.join(", ")))
            };
            let gone = if r.deleted {
                format!("  {}", crate::say::t("cli-list-removed", &[]))
            } else {
                String::new()
            };
            let void = if void(r) == Some(true) {
                format!("  {}", crate::say::t("cli-list-void", &[]))
            } else {
                String::new()
            };
            writeln!(
                out,
                "{}  {:<14} {:<21} {}{tags}{gone}{void}",
                r.id,
                crate::say::kind(r.kind),
                clean::line(r.date.as_deref().unwrap_or("")),
                clean::line(&r.title)
            )?;
        }
        out.flush()?;
        drop(out);
        if records.is_empty() && damaged.is_empty() {
            eprintln!("{}", crate::say::t("cli-no-match", &[]));
        }
    }
    if !damaged.is_empty() {
        for e in &damaged {
            eprintln!("musette: {}", clean::line(&e.to_string()));
        }
        return Err(exit::damaged(crate::say::t(
            "cli-list-damaged",
            &[("n", &damaged.len().to_string())],
        )));
    }
    Ok(())
}
