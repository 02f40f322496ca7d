//! What needs doing: documents overdue or due soon, badges expired or expiring, co-signing
//! requests waiting. Shared by `musette due`, the calendar export and the web app's dashboard.

use musette_core::Vault;
use musette_core::model::{Kind, title_of};
use serde::Serialize;
use time::{Date, Month};

use musette_core::Result;

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

/// A day written `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The last day a record date stands for: "2025" is the end of 2025, "2025-03" the end of
/// March (a thing due "in March" is due by its end).
pub fn last_day(text: &str) -> Option<Date> {
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
    // Documents' due dates and badges' expiries, in one pass over the vault.
    for (kind, fields, id) in vault.records_of_kinds(&[Kind::Document, Kind::Badge])? {
        let (field, what) = if kind == Kind::Document {
            ("due", "due")
        } else {
            ("expires", "expires")
        };
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
    out.sort_by_key(|d| d.days);
    for r in crate::cosign::incoming_requests(vault)? {
        if r.state == "pending" {
            let names = crate::share::peer_names(vault)?;
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
