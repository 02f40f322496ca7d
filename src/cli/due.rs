//! `musette due`: the administrative life at a glance: documents overdue or due soon, badges
//! expired or expiring, co-signing requests waiting for you.

use std::io::Write;

use anyhow::Result;
use musette_core::Vault;
use musette_core::model::{Kind, title_of};
use serde::Serialize;
use time::{Date, Month};

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// How far ahead to look, in days.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=3650))]
    days: u32,
}

/// Something that needs doing, and by when.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    /// The record (or, for a co-signing request, the request's id).
    pub id: String,
    /// `document`, `badge` or `cosign`.
    pub kind: &'static str,
    /// What it is.
    pub title: String,
    /// `due`, `expires` or `waiting`.
    pub what: &'static str,
    /// The date (YYYY-MM-DD), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Days from today (negative: past).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
}

/// Today (UTC), or the date `MUSETTE_TODAY` gives (YYYY-MM-DD), for scripts and tests.
pub fn today() -> Result<Date> {
    if let Ok(text) = std::env::var("MUSETTE_TODAY") {
        return parse_day(&text).ok_or_else(|| {
            exit::invalid(format!(
                "MUSETTE_TODAY={:?} is not a date: write it as YYYY-MM-DD",
                clean::line(&text)
            ))
        });
    }
    Ok(time::OffsetDateTime::now_utc().date())
}

fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The last day a record date stands for: "2025" is the end of 2025, "2025-03" the end of
/// March (a thing due "in March" is due by its end).
fn last_day(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let y: i32 = parts.first()?.parse().ok()?;
    match parts.len() {
        1 => Date::from_calendar_date(y, Month::December, 31).ok(),
        2 => {
            let m = Month::try_from(parts[1].parse::<u8>().ok()?).ok()?;
            Date::from_calendar_date(y, m, time::util::days_in_month(m, y)).ok()
        }
        _ => parse_day(text),
    }
}

/// What is due within `days` of `today` (and everything overdue; `u32::MAX`: whatever the
/// date), soonest first, then co-signing requests waiting.
pub fn due(vault: &Vault, today: Date, days: u32) -> Result<Vec<Due>> {
    let mut out = Vec::new();
    for (kind, field, what) in [
        (Kind::Document, "due", "due"),
        (Kind::Badge, "expires", "expires"),
    ] {
        for (fields, id) in vault.records_of(kind)? {
            let Some(text) = fields.get(field).and_then(|v| v.as_str()) else {
                continue;
            };
            let Some(date) = last_day(text) else {
                continue;
            };
            let left = (date - today).whole_days();
            if days == u32::MAX || left <= i64::from(days) {
                out.push(Due {
                    id,
                    kind: kind.as_str(),
                    title: title_of(kind, &fields),
                    what,
                    date: Some(date.to_string()),
                    days: Some(left),
                });
            }
        }
    }
    out.sort_by_key(|d| d.days);
    for r in musette_sync::cosign::incoming_requests(vault)? {
        if r.state == "pending" {
            let names = musette_sync::share::peer_names(vault)?;
            out.push(Due {
                title: format!(
                    "co-sign a recommendation for {}",
                    names
                        .get(&r.from)
                        .cloned()
                        .unwrap_or_else(|| r.from.clone())
                ),
                id: r.id,
                kind: "cosign",
                what: "waiting",
                date: None,
                days: None,
            });
        }
    }
    Ok(out)
}

fn when(d: &Due) -> String {
    match (d.what, d.days) {
        ("waiting", _) => "waiting for you".into(),
        (w, Some(n)) if n < 0 => format!(
            "{} {} day{} ago",
            if w == "due" { "was due" } else { "expired" },
            -n,
            if n == -1 { "" } else { "s" }
        ),
        (w, Some(0)) => format!("{} today", if w == "due" { "due" } else { "expires" }),
        (w, Some(n)) => format!(
            "{} in {n} day{}",
            if w == "due" { "due" } else { "expires" },
            if n == 1 { "" } else { "s" }
        ),
        _ => String::new(),
    }
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
            "Nothing due in the next {} days, nothing overdue.",
            args.days
        )?;
    }
    for d in &items {
        writeln!(
            out,
            "{}  {:<9} {:<32} {}{}",
            &d.id[..d.id.len().min(26)],
            d.kind,
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
    match (overdue, soon) {
        (0, 0) => None,
        (0, s) => Some(format!("{s} thing(s) due within a week: see `musette due`")),
        (o, 0) => Some(format!("{o} thing(s) overdue: see `musette due`")),
        (o, s) => Some(format!(
            "{o} thing(s) overdue, {s} due within a week: see `musette due`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_stand_for_their_last_day() {
        assert_eq!(last_day("2025").unwrap().to_string(), "2025-12-31");
        assert_eq!(last_day("2024-02").unwrap().to_string(), "2024-02-29");
        assert_eq!(last_day("2025-03-15").unwrap().to_string(), "2025-03-15");
        assert!(last_day("soon").is_none());
        assert!(parse_day("2025-13-01").is_none());
    }
}
