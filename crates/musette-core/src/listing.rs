//! Reading many records at once from their sealed headers, without loading documents:
//! `list`, `list --search`, and the records of one kind.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::Kind;
use crate::records::{Filter, Header, Summary, open_header, open_header_bytes};
use crate::vault::Vault;

impl Vault {
    /// Lists records matching `filter`, sorted by kind then title. Records whose header does
    /// not open are returned apart, with the error, so the rest still list.
    pub fn list(&self, filter: &Filter) -> Result<(Vec<Summary>, Vec<Error>)> {
        let needle = filter.search.as_deref().map(str::to_lowercase);
        let mut out = Vec::new();
        let mut damaged = Vec::new();
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare("SELECT id, key, header FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let wrapped = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            let sealed = row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
            match self.list_one(&id, wrapped, sealed, filter, needle.as_deref()) {
                Ok(Some(summary)) => out.push(summary),
                Ok(None) => {}
                Err(e) => damaged.push(e),
            }
        }
        out.sort_by_cached_key(|s| (s.kind, s.title.to_lowercase(), s.id.clone()));
        Ok((out, damaged))
    }

    /// Opens one header for `list`: parses only what a listing shows, and the whole header only
    /// when a search needle occurs somewhere in it.
    fn list_one(
        &self,
        id: &str,
        wrapped: &[u8],
        sealed: &[u8],
        filter: &Filter,
        needle: Option<&str>,
    ) -> Result<Option<Summary>> {
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
        }
        let key = self.record_key(id, wrapped)?;
        let plain = open_header_bytes(&key, id, sealed)?;
        let bad =
            |e: serde_json::Error| Error::damaged(id, format!("its header does not decode: {e}"));
        let (title, s) = match needle {
            None => {
                let light: Light = serde_json::from_slice(&plain).map_err(bad)?;
                (light.title, light.state)
            }
            Some(n) => {
                // Most records do not contain the text at all: rule them out before parsing.
                if !String::from_utf8_lossy(&plain).to_lowercase().contains(n) {
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
                    },
                )
            }
        };
        if (s.deleted && !filter.include_deleted)
            || filter.kind.is_some_and(|k| k != s.kind)
            || !filter.tags.iter().all(|t| s.tags.contains(t))
        {
            return Ok(None);
        }
        Ok(Some(Summary {
            id: id.to_string(),
            kind: s.kind,
            title,
            tags: s.tags,
            updated: s.updated,
            deleted: s.deleted,
        }))
    }

    /// The fields and ids of every record of one kind (not removed), read from the headers;
    /// damaged records are passed over (`list` and `doctor` report them).
    pub fn records_of(&self, kind: Kind) -> Result<Vec<(Map<String, Value>, String)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare("SELECT id, key, header FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let wrapped: Vec<u8> = row.get(1)?;
            let sealed: Vec<u8> = row.get(2)?;
            let Ok(header) = self
                .record_key(&id, &wrapped)
                .and_then(|k| open_header(&k, &id, &sealed))
            else {
                continue;
            };
            if header.state.kind == kind && !header.state.deleted {
                out.push((header.state.fields, id));
            }
        }
        Ok(out)
    }
}

fn matches_text(header: &Header, needle: &str) -> bool {
    fn value_has(v: &Value, needle: &str) -> bool {
        match v {
            Value::String(s) => s.to_lowercase().contains(needle),
            Value::Array(items) => items.iter().any(|i| value_has(i, needle)),
            Value::Object(map) => map.values().any(|i| value_has(i, needle)),
            _ => false,
        }
    }
    header.title.to_lowercase().contains(needle)
        || header
            .state
            .tags
            .iter()
            .any(|t| t.to_lowercase().contains(needle))
        || header.state.fields.values().any(|v| value_has(v, needle))
}
