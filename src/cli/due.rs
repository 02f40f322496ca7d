//! `musette due`: the administrative life at a glance: documents overdue or due soon, badges
//! expired or expiring, co-signing requests waiting for you.

use std::io::Write;

use anyhow::Result;
use musette_core::Vault;
pub use musette_sync::due::{Due, parse_day};
use time::Date;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// How far ahead to look, in days.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=3650))]
    days: u32,
}

/// Today (UTC), or the date `MUSETTE_TODAY` gives (YYYY-MM-DD), for scripts and tests.
pub fn today() -> Result<Date> {
    if let Ok(text) = std::env::var("MUSETTE_TODAY") {
        return parse_day(&text).ok_or_else(|| {
            exit::invalid(crate::say::t(
                "cli-bad-today",
                &[("value", &format!("{:?}", clean::line(&text)))],
            ))
        });
    }
    Ok(time::OffsetDateTime::now_utc().date())
}

fn when(d: &Due) -> String {
    let due = d.what == "due";
    match (d.what, d.days) {
        ("waiting", _) => crate::say::t("cli-due-waiting", &[]),
        (_, Some(n)) if n < 0 => crate::say::n(
            if due {
                "cli-due-was"
            } else {
                "cli-due-expired"
            },
            usize::try_from(-n).unwrap_or(usize::MAX),
            &[],
        ),
        (_, Some(0)) => crate::say::t(
            if due {
                "cli-due-today"
            } else {
                "cli-due-expires-today"
            },
            &[],
        ),
        (_, Some(n)) => crate::say::n(
            if due {
                "cli-due-in"
            } else {
                "cli-due-expires-in"
            },
            usize::try_from(n).unwrap_or(usize::MAX),
            &[],
        ),
        _ => String::new(),
    }
}

/// [`musette_sync::due::due`].
pub fn due(vault: &Vault, today: Date, days: u32) -> Result<Vec<Due>> {
    Ok(musette_sync::due::due(vault, today, days)?)
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let today = today()?;
    let vault = ctx.open()?;
    let items = due(&vault, today, args.days)?;
    if ctx.json {
        return ctx.print_json(&items);
    }
    let mut out = std::io::stdout().lock();
    if items.is_empty() {
        writeln!(
            out,
            "{}",
            crate::say::n("cli-nothing-due", args.days as usize, &[])
        )?;
    }
    for d in &items {
        writeln!(
            out,
            // Whole: a record's id is 26 characters, a co-signing request's 32.
            "{:<26}  {:<9} {:<32} {}{}",
            d.id,
            crate::say::kind_named(d.kind),
            clean::line(&d.title),
            when(d),
            d.date
                .as_ref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// A line for the top of `list` on a terminal, when something is overdue or due within a week.
pub fn reminder(vault: &Vault) -> Option<String> {
    let today = today().ok()?;
    let items = due(vault, today, 7).ok()?;
    let overdue = items
        .iter()
        .filter(|d| d.days.is_some_and(|n| n < 0))
        .count();
    let soon = items.len() - overdue;
    let (o, s) = (overdue.to_string(), soon.to_string());
    match (overdue, soon) {
        (0, 0) => None,
        (0, _) => Some(crate::say::t("cli-due-soon", &[("soon", &s)])),
        (_, 0) => Some(crate::say::t("cli-due-overdue", &[("overdue", &o)])),
        (_, _) => Some(crate::say::t(
            "cli-due-both",
            &[("overdue", &o), ("soon", &s)],
        )),
    }
}
