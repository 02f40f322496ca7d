//! vCard 4.0 and 3.0 (RFC 6350, RFC 2426): contacts in, contacts out.
//!
//! Reading splits the file into cards (`BEGIN:VCARD` … `END:VCARD`, noting each card's first
//! line) and parses each with the `ical` crate (unfolding, parameters); a malformed card is
//! reported with its line and skipped, the rest is read. Each card becomes a contact: `FN`
//! (else `N`) the name, `ORG` the organization, `TITLE` the role, the first `EMAIL`, `TEL` and
//! `URL`, `NOTE` the notes, a `KEY` holding a did the did. Every other property is kept as
//! written in the field `vcard` (one line each), and written back on export, so a card goes
//! round without losing anything. `UID` is the card's stable key; without one, its name and
//! email are.

use musette_core::i18n::Msg;
use musette_core::msg;
use serde_json::{Map, Value};

use crate::{FORMATS, FormatError, Result};

/// Most cards read from one file.
pub const MAX_CARDS: usize = 100_000;
/// Largest card, in bytes.
pub const MAX_CARD: usize = 1 << 20;

/// The contact fields a card speaks for: on a new import of a card, those it no longer has are
/// removed; fields added by hand stay.
pub const OWNS: &[&str] = &[
    "name",
    "organization",
    "role",
    "email",
    "phone",
    "url",
    "notes",
    "did",
    "vcard",
];

/// A card read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Its stable key: `vcard:` and its UID, or its name and email.
    pub key: String,
    /// The contact's fields.
    pub fields: Map<String, Value>,
    /// Where it starts (1-based line).
    pub line: usize,
}

/// The text of a vCard value, its escapes undone (`\n`, `\,`, `\;`, `\\`).
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A text as a vCard value, escaped. A leading `:` is written `\:` too: RFC 6350 lets it
/// stand, but the `ical` crate drops the colons that start a value.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    if v.starts_with(':') {
        out.push('\\');
    }
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The components of a structured value (`N`, `ORG`), split at unescaped `;`.
fn components(v: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in v.chars() {
        if escaped {
            if let Some(p) = parts.last_mut() {
                p.push('\\');
                p.push(c);
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            parts.push(String::new());
        } else if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts.iter().map(|p| unescape(p)).collect()
}

/// Whether `bytes` start as a vCard file does (`BEGIN:VCARD`, after a byte-order mark and
/// blanks), whatever their encoding.
pub fn looks_like(bytes: &[u8]) -> bool {
    // Its head, in UTF-8, UTF-16 (after their byte-order mark) or one byte a character.
    let (head, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes[..bytes.len().min(256)]);
    head.trim_start_matches('\u{feff}')
        .trim_start()
        .get(..11)
        .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// Reads every card of `text`: the cards read, and what was skipped (with its line).
pub fn read(text: &str) -> Result<(Vec<Card>, Vec<Msg>)> {
    let text = text.trim_start_matches('\u{feff}');
    let mut cards = Vec::new();
    let mut skipped = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (n, line) in text.lines().enumerate() {
        let upper = line.trim_end().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if !block.is_empty() {
                skipped.push(msg!(FORMATS, "vcard-unended", line = start));
            }
            block = vec![line];
            start = n + 1;
            size = line.len();
            continue;
        }
        if block.is_empty() {
            if !line.trim().is_empty() {
                skipped.push(msg!(FORMATS, "vcard-outside", line = n + 1));
            }
            continue;
        }
        block.push(line);
        size += line.len() + 1;
        if upper == "END:VCARD" {
            if size > MAX_CARD {
                skipped.push(msg!(FORMATS, "vcard-too-large", line = start));
            } else {
                match card(&from_21(&block), start) {
                    Ok(c) => cards.push(c),
                    Err(why) => skipped.push(msg!(FORMATS, "vcard-bad", line = start, why = why)),
                }
            }
            block.clear();
            if cards.len() >= MAX_CARDS {
                return Err(FormatError::Malformed(msg!(
                    FORMATS,
                    "vcard-too-many",
                    max = MAX_CARDS
                )));
            }
        }
    }
    if !block.is_empty() {
        skipped.push(msg!(FORMATS, "vcard-unended", line = start));
    }
    if cards.is_empty() {
        return Err(FormatError::Unrecognised(match skipped.first() {
            Some(first) if text.to_ascii_uppercase().contains("BEGIN:VCARD") => {
                msg!(FORMATS, "vcard-none-read", first = first.clone())
            }
            _ => msg!(FORMATS, "vcard-none"),
        }));
    }
    Ok((cards, skipped))
}

/// The lines of a vCard 2.1 card as 3.0 writes them, for the parser: a parameter without a
/// name (`TEL;CELL:`) is a `TYPE`, and a value in quoted-printable (`ENCODING=QUOTED-PRINTABLE`,
/// often with `CHARSET=`, its soft line breaks ending lines with `=`) is decoded and written
/// escaped. Phones and older address books still export 2.1.
fn from_21(lines: &[&str]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        // A folded line (3.0, 4.0) or a line without a value: as it is.
        let Some(colon) = line.find(':') else {
            out.push(line.to_string());
            continue;
        };
        if line.starts_with([' ', '\t']) {
            out.push(line.to_string());
            continue;
        }
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next().unwrap_or("");
        let mut params: Vec<String> = Vec::new();
        let mut qp = false;
        let mut charset: Option<String> = None;
        for p in parts {
            match p.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("ENCODING") => {
                    if v.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
                        qp = true;
                    } else {
                        params.push(p.to_string());
                    }
                }
                Some((k, v)) if k.eq_ignore_ascii_case("CHARSET") => charset = Some(v.to_string()),
                Some(_) => params.push(p.to_string()),
                None if p.eq_ignore_ascii_case("QUOTED-PRINTABLE") => qp = true,
                None if p.is_empty() => {}
                None => params.push(format!("TYPE={p}")),
            }
        }
        let mut value = value.to_string();
        if qp {
            // Soft line breaks: a line ending with `=` goes on on the next one.
            while value.ends_with('=') && i < lines.len() {
                value.pop();
                value.push_str(lines[i].trim_start());
                i += 1;
            }
            let bytes =
                quoted_printable::decode(value.as_bytes(), quoted_printable::ParseMode::Robust)
                    .unwrap_or_else(|_| value.as_bytes().to_vec());
            let text = match charset.as_deref() {
                Some(c) if !c.eq_ignore_ascii_case("UTF-8") => {
                    encoding_rs::Encoding::for_label(c.as_bytes())
                        .unwrap_or(encoding_rs::WINDOWS_1252)
                        .decode(&bytes)
                        .0
                        .into_owned()
                }
                _ => String::from_utf8(bytes.clone())
                    .unwrap_or_else(|_| encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()),
            };
            value = text.replace("\r\n", "\n").replace('\n', "\\n");
        }
        let mut rebuilt = name.to_string();
        for p in &params {
            rebuilt.push(';');
            rebuilt.push_str(p);
        }
        rebuilt.push(':');
        rebuilt.push_str(&value);
        out.push(rebuilt);
    }
    out.join("\r\n")
}

/// One card, from its lines.
fn card(text: &str, line: usize) -> std::result::Result<Card, Msg> {
    let mut parser = ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()));
    let contact = match parser.next() {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            return Err(msg!(FORMATS, "vcard-invalid", why = e.to_string()));
        }
        None => return Err(msg!(FORMATS, "vcard-empty")),
    };
    let mut fields = Map::new();
    let mut extra = Vec::new();
    let mut uid = None;
    let mut n_name = None;
    let mut n_line: Option<(Vec<String>, String)> = None;
    for p in &contact.properties {
        let name = p.name.to_ascii_uppercase();
        let value = p.value.clone().unwrap_or_default();
        // The first of each is the contact's; any further one is kept as written.
        let field = match name.as_str() {
            "FN" => Some(("name", unescape(&value))),
            "ORG" => Some((
                "organization",
                components(&value)
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
            "TITLE" => Some(("role", unescape(&value))),
            "EMAIL" => Some(("email", unescape(&value))),
            "TEL" => Some(("phone", unescape(value.trim_start_matches("tel:")))),
            "URL" => Some(("url", unescape(&value))),
            "NOTE" => Some(("notes", unescape(&value))),
            "KEY" if value.starts_with("did:") => Some(("did", value.clone())),
            _ => None,
        };
        match (name.as_str(), field) {
            ("VERSION" | "BEGIN" | "END" | "PRODID", _) => {}
            ("UID", _) => uid = Some(value.clone()),
            ("N", _) => {
                // Family; Given; Additional; Prefixes; Suffixes.
                let parts = components(&value);
                let given = parts.get(1).cloned().unwrap_or_default();
                let family = parts.first().cloned().unwrap_or_default();
                let joined = format!("{given} {family}").trim().to_string();
                if !joined.is_empty() {
                    n_name = Some(joined);
                }
                n_line = Some((parts, raw(p)));
            }
            (_, Some((field, v))) if !fields.contains_key(field) && !v.trim().is_empty() => {
                fields.insert(field.to_string(), Value::String(v));
            }
            _ => extra.push(raw(p)),
        }
    }
    if !fields.contains_key("name")
        && let Some(n) = n_name
    {
        fields.insert("name".into(), Value::String(n));
    }
    let Some(name) = fields
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return Err(msg!(FORMATS, "vcard-no-name"));
    };
    // N is kept as written, unless it only repeats the name as musette writes it.
    if let Some((parts, line)) = n_line {
        let only_the_name = parts.first().is_none_or(String::is_empty)
            && parts.get(1).map(String::as_str) == Some(name.as_str())
            && parts.iter().skip(2).all(String::is_empty);
        if !only_the_name {
            extra.push(line);
        }
    }
    if !extra.is_empty() {
        fields.insert(
            "vcard".into(),
            Value::Array(extra.into_iter().map(Value::String).collect()),
        );
    }
    let key = match uid.clone() {
        Some(u) if !u.trim().is_empty() => format!("vcard:{}", u.trim()),
        _ => format!(
            "vcard:{}/{}",
            name.to_lowercase(),
            fields
                .get("email")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase()
        ),
    };
    // A UID musette gave (the record's id) is not the card's own: it is not kept.
    if let Some(u) = uid.filter(|u| !u.trim().is_empty() && !u.trim().starts_with(UID_PREFIX)) {
        let extra = fields
            .entry("vcard")
            .or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(lines) = extra {
            lines.push(Value::String(format!("UID:{u}")));
        }
    }
    Ok(Card { key, fields, line })
}

/// A property as one vCard line (unfolded), as it was written.
fn raw(p: &ical::property::Property) -> String {
    let mut out = p.name.clone();
    for (k, vs) in p.params.iter().flatten() {
        out.push(';');
        out.push_str(k);
        out.push('=');
        out.push_str(&vs.join(","));
    }
    out.push(':');
    out.push_str(p.value.as_deref().unwrap_or(""));
    out
}

/// Folds a line at 75 octets (RFC 6350 §3.2), never inside a character, and never just after
/// a space: readers (the `ical` crate among them) trim what ends a physical line.
fn fold(line: &str, out: &mut String) {
    let line = line.trim_end();
    let mut current = String::new();
    let mut count = 0;
    for c in line.chars() {
        if count + c.len_utf8() > 75 {
            let kept = current.trim_end().len();
            let carry = current.split_off(kept);
            out.push_str(&current);
            out.push_str("\r\n ");
            current = carry;
            count = 1 + current.len();
        }
        current.push(c);
        count += c.len_utf8();
    }
    out.push_str(&current);
    out.push_str("\r\n");
}

/// The `UID` musette gives a contact that came without one: its record id, so that importing
/// the file again (here or in another vault of yours) finds the same contact.
pub const UID_PREFIX: &str = "urn:musette:";

/// Contacts as vCard 4.0: each contact's fields and its kept `vcard` lines, with its record id
/// as `UID` when it has none of its own.
pub fn write(contacts: &[(String, Map<String, Value>)]) -> String {
    let mut out = String::new();
    for (id, c) in contacts {
        let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
        out.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\n");
        fold(&format!("FN:{}", escape(text("name"))), &mut out);
        let kept: Vec<&str> = c
            .get("vcard")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !kept.iter().any(|l| {
            l.to_ascii_uppercase().starts_with("N:") || l.to_ascii_uppercase().starts_with("N;")
        }) {
            // N is required in 3.0 and usual in 4.0: the name as given, family unknown.
            fold(&format!("N:;{};;;", escape(text("name"))), &mut out);
        }
        for (field, prop) in [
            ("organization", "ORG"),
            ("role", "TITLE"),
            ("email", "EMAIL"),
            ("phone", "TEL"),
            ("url", "URL"),
            ("notes", "NOTE"),
        ] {
            let v = text(field);
            if !v.is_empty() {
                fold(&format!("{prop}:{}", escape(v)), &mut out);
            }
        }
        if !text("did").is_empty() {
            fold(&format!("KEY:{}", text("did")), &mut out);
        }
        if !kept.iter().any(|l| {
            let u = l.to_ascii_uppercase();
            u.starts_with("UID:") || u.starts_with("UID;")
        }) {
            fold(&format!("UID:{UID_PREFIX}{id}"), &mut out);
        }
        for line in kept {
            // Kept lines are unfolded already; no line break may hide in one.
            fold(&line.replace(['\r', '\n'], ""), &mut out);
        }
        out.push_str("END:VCARD\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn vcard_21_quoted_printable_and_bare_parameters_are_read() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupr=C3=A9;Fran=C3=A7ois\r\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Fran=E7ois Dupr=E9\r\nTEL;CELL;VOICE:+33612345678\r\nNOTE;QUOTED-PRINTABLE:One=0D=0ATwo; and =\r\nthree\r\nEND:VCARD\r\n";
        let (cards, skipped) = read(text).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        let f = &cards[0].fields;
        assert_eq!(f["name"], "François Dupré");
        assert_eq!(f["phone"], "+33612345678");
        assert_eq!(f["notes"], "One\nTwo; and three");
        assert!(looks_like(b"\xef\xbb\xbf  begin:vcard\r\n"));
        assert!(!looks_like(b"BEGIN:VCAL"));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("BEGIN:VCARD\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(looks_like(&utf16));
    }

    #[test]
    fn folded_escaped_and_structured_values() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dupré;Hélène;;;\r\nORG:Chantiers de l\\, Atlantique;Soudure\r\nTITLE:Cheffe\r\n  d'équipe\r\nEMAIL;TYPE=work:h@example.org\r\nNOTE:line one\\nline two\r\nX-SOCIAL:@helene\r\nEND:VCARD\r\n";
        let (cards, skipped) = read(text).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        let f = &cards[0].fields;
        assert_eq!(f["name"], "Hélène Dupré");
        assert_eq!(f["organization"], "Chantiers de l, Atlantique, Soudure");
        assert_eq!(f["role"], "Cheffe d'équipe");
        assert_eq!(f["email"], "h@example.org");
        assert_eq!(f["notes"], "line one\nline two");
        assert!(f["vcard"].to_string().contains("X-SOCIAL:@helene"));
    }

    #[test]
    fn a_malformed_card_is_skipped_with_its_line() {
        let text = "BEGIN:VCARD\nFN:Ana\nEND:VCARD\nBEGIN:VCARD\nEMAIL:x@y\nEND:VCARD\nBEGIN:VCARD\nFN:Bob\nEND:VCARD\n";
        let (cards, skipped) = read(text).unwrap();
        assert_eq!(cards.len(), 2);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].to_string().starts_with("line 4:"), "{skipped:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// No input makes reading panic.
        #[test]
        fn reading_never_panics(text in "(BEGIN:VCARD\n|END:VCARD\n|FN:|N:|ORG:|;|\\\\|\n| |[a-zA-Zé,:=]){0,80}") {
            let _ = read(&text);
        }

        /// What is written reads back the same.
        #[test]
        fn a_contact_goes_round(name in "[^\\p{C}]{1,40}", org in "[^\\p{C}]{0,40}", note in "[^\\p{C}]{0,80}") {
            prop_assume!(!name.trim().is_empty());
            let mut c = Map::new();
            c.insert("name".into(), Value::String(name.trim().to_string()));
            if !org.trim().is_empty() {
                c.insert("organization".into(), Value::String(org.trim().to_string()));
            }
            if !note.trim().is_empty() {
                c.insert("notes".into(), Value::String(note.clone()));
            }
            let (cards, skipped) = read(&write(&[("r1".to_string(), c.clone())])).unwrap();
            prop_assert!(skipped.is_empty());
            prop_assert_eq!(&cards[0].fields["name"], &c["name"]);
            // Readers trim what ends a line: a value comes back without trailing spaces.
            for k in ["organization", "notes"] {
                let trimmed = |v: Option<&Value>| v.and_then(Value::as_str).map(str::trim_end).filter(|t| !t.is_empty()).map(str::to_string);
                prop_assert_eq!(trimmed(cards[0].fields.get(k)), trimmed(c.get(k)), "{}", k);
            }
        }
    }
}
