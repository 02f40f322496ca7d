//! Times for people: in local time, to the minute (`2026-11-30 14:05 +01:00`). `--json` keeps
//! RFC 3339 in UTC for programs. The zone is the system's, or `TZ`.

use chrono::{DateTime, Local, TimeZone};

/// An RFC 3339 time in local time; the text as it is when it is not one.
pub fn local(rfc3339: &str) -> String {
    in_zone(rfc3339, &Local)
}

/// Seconds since the Unix epoch in local time.
pub fn local_unix(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0)
        .map(|t| format(t.with_timezone(&Local)))
        .unwrap_or_else(|| secs.to_string())
}

fn in_zone<Tz: TimeZone>(rfc3339: &str, zone: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => format(t.with_timezone(zone)),
        Err(_) => rfc3339.to_string(),
    }
}

fn format<Tz: TimeZone>(t: DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.format("%Y-%m-%d %H:%M %:z").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    #[test]
    fn times_read_in_a_zone() {
        let paris_winter = FixedOffset::east_opt(3600).expect("a valid offset");
        assert_eq!(
            in_zone("2026-11-30T13:05:09Z", &paris_winter),
            "2026-11-30 14:05 +01:00"
        );
        assert_eq!(
            in_zone("2026-11-30T23:30:00-05:00", &paris_winter),
            "2026-12-01 05:30 +01:00"
        );
        assert_eq!(in_zone("last Tuesday", &paris_winter), "last Tuesday");
    }
}
