//! Reading many records at once from their sealed headers, without loading documents:
//! `list`, `list --search`, and the records of one kind.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::i18n::CORE;
use crate::manifest::{self, Loaded};
use crate::model::Kind;
use crate::msg;
use crate::records::{
    Filter, Header, Summary, blob_col, check_entry, decode_header, id_col, missing_rows,
    open_header_bytes,
};
use crate::vault::Vault;

impl Vault {
    /// Lists records matching `filter`, sorted by kind then title. Records that cannot be read
    /// (damaged rows, headers that fail or do not match the manifest, records whose rows were
    /// deleted or put back outside musette) are returned apart, with the error, so the rest
    /// still list.
    pub fn list(&self, filter: &Filter) -> Result<(Vec<Summary>, Vec<Error>)> {
        let needle = filter
            .search
            .as_deref()
            .map(words)
            .filter(|w| !w.is_empty());
        let tx = self.conn.unchecked_transaction()?;
        let loaded = manifest::load_all(&tx, &self.master, &self.vault_id)?;
        let mut damaged = Vec::new();
        let mut rows: Vec<(String, Vec<u8>, Vec<u8>)> = Vec::new();
        self.each_row(&tx, &mut damaged, |id, wrapped, sealed| {
            rows.push((id.to_string(), wrapped.to_vec(), sealed.to_vec()));
            Ok(())
        })?;
        // Opening the headers is most of the work and each stands alone: split it across
        // the machine's cores.
        let reader = HeaderReader {
            master: &self.master,
            vault_id: &self.vault_id,
            loaded: &loaded,
            filter,
            needle: needle.as_deref(),
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, 4);
        let per = rows.len().div_ceil(threads).max(256);
        let results: Vec<Vec<Result<Option<Summary>>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = rows
                .chunks(per)
                .map(|part| {
                    let reader = &reader;
                    scope.spawn(move || {
                        part.iter()
                            .map(|(id, wrapped, sealed)| reader.one(id, wrapped, sealed))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut out = Vec::new();
        let mut matched = 0;
        for result in results.into_iter().flatten() {
            match result {
                Ok(found) => {
                    matched += 1;
                    out.extend(found);
                }
                Err(e) => damaged.push(e),
            }
        }
        // Every live entry matched a row, unless some did not: only then look for which.
        if matched != loaded.live() || !loaded.broken.is_empty() {
            damaged.extend(missing(&loaded, &self.row_ids(&tx)?));
        }
        // By kind; experiences newest first (by start), the rest by title.
        out.sort_by_cached_key(|s| {
            let newest = match s.kind {
                Kind::Experience => std::cmp::Reverse(s.date.clone().unwrap_or_default()),
                _ => std::cmp::Reverse(String::new()),
            };
            (s.kind, newest, s.title.to_lowercase(), s.id.clone())
        });
        Ok((out, damaged))
    }

    /// Calls `each` with every record row's id, wrapped key and sealed header; rows whose
    /// columns are malformed, and what `each` fails on, go to `damaged`.
    fn each_row(
        &self,
        conn: &rusqlite::Connection,
        damaged: &mut Vec<Error>,
        mut each: impl FnMut(&str, &[u8], &[u8]) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = conn.prepare("SELECT id, key, header FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let read = id_col(row, 0).and_then(|id| {
                let wrapped = blob_col(row, 1, &id)?;
                let sealed = blob_col(row, 2, &id)?;
                each(&id, wrapped, sealed)
            });
            if let Err(e) = read {
                damaged.push(e);
            }
        }
        Ok(())
    }

    /// The ids of every row with a valid id.
    pub(crate) fn row_ids(&self, conn: &rusqlite::Connection) -> Result<HashSet<String>> {
        let mut stmt = conn.prepare("SELECT id FROM records")?;
        let mut rows = stmt.query([])?;
        let mut out = HashSet::new();
        while let Some(row) = rows.next()? {
            if let Ok(id) = id_col(row, 0) {
                out.insert(id);
            }
        }
        Ok(out)
    }
}

/// What opening headers for a listing needs, and nothing that cannot cross threads.
struct HeaderReader<'a> {
    master: &'a crate::crypto::Key,
    vault_id: &'a [u8],
    loaded: &'a Loaded,
    filter: &'a Filter,
    needle: Option<&'a [String]>,
}

impl HeaderReader<'_> {
    /// Opens one header for `list`: parses only what a listing shows, and the whole header only
    /// when a search needle occurs somewhere in it.
    fn one(&self, id: &str, wrapped: &[u8], sealed: &[u8]) -> Result<Option<Summary>> {
        let (loaded, filter, needle) = (self.loaded, self.filter, self.needle);
        #[derive(Deserialize)]
        struct Light {
            title: String,
            state: LightState,
        }
        #[derive(Deserialize)]
        struct LightState {
            kind: Kind,
            tags: Vec<String>,
            updated: String,
            #[serde(default)]
            deleted: bool,
            #[serde(default)]
            fields: LightFields,
        }
        /// The fields a listing shows as a date, and only those (any others are skipped).
        #[derive(Deserialize, Default)]
        struct LightFields {
            start: Option<Value>,
            end: Option<Value>,
            due: Option<Value>,
            date: Option<Value>,
            issued: Option<Value>,
            // What a co-signed recommendation's signatures cover, to tell whether they still do.
            text: Option<Value>,
            author: Option<Value>,
            credential: Option<Value>,
        }
        fn void(kind: Kind, f: &LightFields) -> Option<bool> {
            if kind != Kind::Recommendation {
                return None;
            }
            let mut fields = Map::new();
            for (k, v) in [
                ("text", &f.text),
                ("author", &f.author),
                ("date", &f.date),
                ("credential", &f.credential),
            ] {
                if let Some(v) = v {
                    fields.insert(k.to_string(), v.clone());
                }
            }
            crate::recommend::signatures_void(&fields)
        }
        fn when(kind: Kind, f: &LightFields) -> Option<String> {
            let text = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
            match kind {
                Kind::Experience => match (text(&f.start), text(&f.end)) {
                    (Some(s), Some(e)) => Some(format!("{s} – {e}")),
                    (Some(s), None) => Some(format!("{s} –")),
                    (None, Some(e)) => Some(format!("– {e}")),
                    (None, None) => None,
                },
                Kind::Document => text(&f.due).or_else(|| text(&f.date)),
                Kind::Badge => text(&f.issued),
                Kind::Evidence | Kind::Recommendation => text(&f.date),
                Kind::Skill | Kind::Contact => None,
            }
        }
        let entry = check_entry(id, loaded.get(id)?, sealed)?;
        let key = crate::records::unwrap_record_key(self.master, self.vault_id, id, wrapped)?;
        let plain = open_header_bytes(&key, id, entry.version, sealed)?;
        let bad = |e: serde_json::Error| {
            Error::damaged(id, msg!(CORE, "header-decode", why = e.to_string()))
        };
        let (title, s) = match needle {
            None => {
                let light: Light = serde_json::from_slice(&plain).map_err(bad)?;
                (light.title, light.state)
            }
            Some(n) => {
                // Most records do not contain the text at all: rule them out before parsing
                // (ASCII text needs no Unicode folding, only lower case).
                let text = if plain.is_ascii() {
                    String::from_utf8_lossy(&plain).to_ascii_lowercase()
                } else {
                    fold(&String::from_utf8_lossy(&plain))
                };
                let found = n.iter().all(|w| text.contains(w.as_str()));
                if !found {
                    return Ok(None);
                }
                let header: Header = serde_json::from_slice(&plain).map_err(bad)?;
                if !matches_text(&header, n) {
                    return Ok(None);
                }
                let st = header.state;
                (
                    header.title,
                    LightState {
                        kind: st.kind,
                        tags: st.tags,
                        updated: st.updated,
                        deleted: st.deleted,
                        fields: LightFields {
                            start: st.fields.get("start").cloned(),
                            end: st.fields.get("end").cloned(),
                            due: st.fields.get("due").cloned(),
                            date: st.fields.get("date").cloned(),
                            issued: st.fields.get("issued").cloned(),
                            text: st.fields.get("text").cloned(),
                            author: st.fields.get("author").cloned(),
                            credential: st.fields.get("credential").cloned(),
                        },
                    },
                )
            }
        };
        if (s.deleted && !filter.include_deleted)
            || filter.kind.is_some_and(|k| k != s.kind)
            || !filter.tags.iter().all(|t| {
                let t = fold(t.trim());
                s.tags.iter().any(|have| fold(have) == t)
            })
        {
            return Ok(None);
        }
        Ok(Some(Summary {
            id: id.to_string(),
            kind: s.kind,
            title,
            date: when(s.kind, &s.fields),
            signatures_void: void(s.kind, &s.fields),
            tags: s.tags,
            updated: s.updated,
            deleted: s.deleted,
        }))
    }
}

/// A record's kind, fields and id, as [`Vault::records_of_kinds`] gives them.
pub type KindRecord = (Kind, Map<String, Value>, String);

impl Vault {
    /// The fields and ids of every record of one kind (not removed), read from the headers;
    /// damaged records are passed over (`list` and `doctor` report them).
    pub fn records_of(&self, kind: Kind) -> Result<Vec<(Map<String, Value>, String)>> {
        let tx = self.conn.unchecked_transaction()?;
        self.records_of_in(&tx, kind)
    }

    /// [`Vault::records_of`] for several kinds in one pass over the vault.
    pub fn records_of_kinds(&self, kinds: &[Kind]) -> Result<Vec<KindRecord>> {
        let mut out = Vec::new();
        let tx = self.conn.unchecked_transaction()?;
        let loaded = manifest::load_all(&tx, &self.master, &self.vault_id)?;
        self.each_row(&tx, &mut Vec::new(), |id, wrapped, sealed| {
            let opened = check_entry(id, loaded.get(id).ok().flatten(), sealed).and_then(|e| {
                let key = self.record_key(id, wrapped)?;
                decode_header(id, &open_header_bytes(&key, id, e.version, sealed)?)
            });
            if let Ok(header) = opened
                && kinds.contains(&header.state.kind)
                && !header.state.deleted
            {
                out.push((header.state.kind, header.state.fields, id.to_string()));
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Vault::records_of`], inside a transaction already open (an import reads what it
    /// matches against in the transaction that writes, so no other write slips in between).
    pub(crate) fn records_of_in(
        &self,
        tx: &rusqlite::Connection,
        kind: Kind,
    ) -> Result<Vec<(Map<String, Value>, String)>> {
        let mut out = Vec::new();
        let loaded = manifest::load_all(tx, &self.master, &self.vault_id)?;
        self.each_row(tx, &mut Vec::new(), |id, wrapped, sealed| {
            let opened = check_entry(id, loaded.get(id).ok().flatten(), sealed).and_then(|e| {
                let key = self.record_key(id, wrapped)?;
                decode_header(id, &open_header_bytes(&key, id, e.version, sealed)?)
            });
            if let Ok(header) = opened
                && header.state.kind == kind
                && !header.state.deleted
            {
                out.push((header.state.fields, id.to_string()));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// Records the manifest holds as live whose rows are not in the file.
pub(crate) fn missing(loaded: &Loaded, seen: &HashSet<String>) -> Vec<Error> {
    let mut out: Vec<Error> = loaded
        .broken
        .iter()
        .map(|(_, what)| Error::damaged("vault", what.clone()))
        .collect();
    let mut gone: Vec<String> = loaded
        .entries()
        .filter(|e| !e.forgotten && !seen.contains(&e.id))
        .map(|e| e.id)
        .collect();
    gone.sort();
    out.extend(gone.iter().map(|id| missing_rows(id)));
    out
}

/// Text as a search compares it: lower case, accents and other combining marks removed
/// ("Hélène" and "HELENE" both give "helene"; "François", "francois").
pub fn fold(text: &str) -> String {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            // Canonical decomposition one character at a time gives what NFD gives once the
            // combining marks are dropped (their order is all NFD adds across characters).
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// The words of a search, folded: what is between spaces and punctuation ("Saint-Nazaire"
/// gives "saint" and "nazaire"). Text of punctuation only is one word, as given.
pub fn words(search: &str) -> Vec<String> {
    let folded = fold(search);
    let mut out: Vec<String> = Vec::new();
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    if out.is_empty() && !folded.trim().is_empty() {
        out.push(folded.trim().to_string());
    }
    out
}

/// Whether every word of a search occurs in the record: in its title, its tags or a field
/// (each word anywhere, in any order).
fn matches_text(header: &Header, words: &[String]) -> bool {
    fn value_has(v: &Value, needle: &str) -> bool {
        match v {
            Value::String(s) => fold(s).contains(needle),
            Value::Array(items) => items.iter().any(|i| value_has(i, needle)),
            Value::Object(map) => map.values().any(|i| value_has(i, needle)),
            _ => false,
        }
    }
    words.iter().all(|needle| {
        fold(&header.title).contains(needle.as_str())
            || header
                .state
                .tags
                .iter()
                .any(|t| fold(t).contains(needle.as_str()))
            || header.state.fields.values().any(|v| value_has(v, needle))
    })
}

#[cfg(test)]
mod fold_tests {
    use proptest::prelude::*;

    use super::fold;

    /// The reference: NFD of the whole text, combining marks dropped, lower-cased.
    fn by_nfd(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        use unicode_normalization::char::is_combining_mark;
        text.nfd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Hélène DUPRÉ"), "helene dupre");
        assert_eq!(fold("François Ça"), "francois ca");
        assert_eq!(fold("Straße Ǆ"), by_nfd("Straße Ǆ"));
    }

    proptest! {
        #[test]
        fn folding_a_character_at_a_time_is_folding_the_whole(text in "\\PC{0,40}") {
            prop_assert_eq!(fold(&text), by_nfd(&text));
        }
    }
}
