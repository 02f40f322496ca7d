//! `doctor`: checks every key slot, the manifest, every record, chunk and attachment, and
//! reports what is damaged without stopping at the first problem. It never writes.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::i18n::{CORE, Msg};
use crate::manifest;
use crate::msg;
use crate::record;
use crate::records::{blob_col, id_col};
use crate::vault::Vault;

/// A problem found by [`Vault::doctor`].
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// The record concerned, or `vault`.
    pub record: String,
    /// What is wrong: in English here (and in `--json`), in any language with
    /// [`Msg::say`].
    pub what: Msg,
}

/// What [`Vault::doctor`] found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Records checked.
    pub records: usize,
    /// Records forgotten (their ids are remembered, so their rows cannot come back).
    pub forgotten: usize,
    /// Attachments checked.
    pub attachments: usize,
    /// Bytes of attachment content checked.
    pub attachment_bytes: u64,
    /// The vault's write counter.
    pub counter: u64,
    /// Problems found; empty when all is well.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn push(&mut self, record: &str, what: Msg) {
        self.problems.push(Problem {
            record: record.to_string(),
            what,
        });
    }

    fn push_err(&mut self, fallback: &str, e: Error) {
        match e {
            Error::Damaged { record, what } => self.push(&record, what),
            other => self.push(fallback, other.to_msg()),
        }
    }
}

impl Vault {
    /// Checks the whole vault. `progress` gets (records done, records in all).
    pub fn doctor(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<Report> {
        let mut report = Report::default();
        let tx = self.conn.unchecked_transaction()?;
        let check: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            report.push("vault", msg!(CORE, "doctor-database", check = check));
        }
        let loaded = match manifest::load_all(&tx, &self.master, &self.vault_id) {
            Ok(l) => l,
            Err(e) => {
                report.push_err("vault", e);
                return Ok(report);
            }
        };
        report.counter = loaded.root.counter;
        for p in self.slot_problems(&loaded.root)? {
            report.push("vault", p);
        }
        // Every setting the manifest vouches for opens and is the one last written; a setting
        // row it does not know was put in the file outside musette.
        for name in loaded.root.settings.keys() {
            if let Err(e) = self.read_setting(&loaded.root, name) {
                report.push_err("vault", e);
            }
        }
        {
            let mut stmt =
                tx.prepare("SELECT CAST(key AS TEXT) FROM meta WHERE key LIKE 'setting:%'")?;
            let mut q = stmt.query([])?;
            while let Some(row) = q.next()? {
                let key: String = row.get::<_, Option<String>>(0)?.unwrap_or_default();
                let name = key.strip_prefix("setting:").unwrap_or(&key);
                if !loaded.root.settings.contains_key(name) {
                    report.push(
                        "vault",
                        msg!(
                            CORE,
                            "doctor-setting-stray",
                            name = format!(
                                "{:?}",
                                name.chars()
                                    .filter(|c| !c.is_control())
                                    .take(40)
                                    .collect::<String>()
                            )
                        ),
                    );
                }
            }
        }
        if let Err(e) = self.owner() {
            report.push_err("vault", e);
        }
        for (_, what) in &loaded.broken {
            report.push("vault", what.clone());
        }
        for what in &loaded.stray {
            report.push("vault", msg!(CORE, "doctor-stray", what = what.clone()));
        }
        let (live, forgotten) = loaded.entries().fold((0u64, 0u64), |(l, f), e| {
            if e.forgotten { (l, f + 1) } else { (l + 1, f) }
        });
        report.forgotten = forgotten as usize;
        if loaded.broken.is_empty() {
            if (live, forgotten) != (loaded.root.live, loaded.root.forgotten) {
                report.push(
                    "vault",
                    msg!(
                        CORE,
                        "doctor-counts",
                        counted = loaded.root.live,
                        counted_forgotten = loaded.root.forgotten,
                        live = live,
                        forgotten = forgotten
                    ),
                );
            }
            let mut sync = [0u8; 32];
            for d in manifest::bucket_sync_digests(&loaded) {
                for (a, b) in sync.iter_mut().zip(d) {
                    *a ^= b;
                }
            }
            if sync != loaded.root.sync {
                report.push("vault", msg!(CORE, "doctor-sync-digest"));
            }
        }

        // Every row, tolerating malformed ones.
        let mut rows = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT id, key, header FROM records ORDER BY id")?;
            let mut q = stmt.query([])?;
            while let Some(row) = q.next()? {
                let read = id_col(row, 0).and_then(|id| {
                    let k = blob_col(row, 1, &id)?.to_vec();
                    let h = blob_col(row, 2, &id)?.to_vec();
                    Ok((id, k, h))
                });
                match read {
                    Ok(r) => rows.push(r),
                    Err(e) => report.push_err("vault", e),
                }
            }
        }
        let seen: HashSet<String> = rows.iter().map(|(id, _, _)| id.clone()).collect();
        for e in crate::listing::missing(&loaded, &seen) {
            if !matches!(&e, Error::Damaged { record, .. } if record == "vault") {
                report.push_err("vault", e);
            }
        }
        let mut attachment_ids = HashSet::new();
        for (n, (id, wrapped, sealed)) in rows.iter().enumerate() {
            progress(n, rows.len());
            report.records += 1;
            let checked = (|| -> Result<()> {
                let entry = loaded.get(id)?;
                let (key, header) = self.open_checked(id, entry, wrapped, sealed)?;
                let mut doc = self.load_doc(&tx, id, &key, &header)?;
                let state = record::read_state(&doc, id)?;
                if state != header.state {
                    return Err(Error::damaged(id, msg!(CORE, "doctor-header-document")));
                }
                if entry.map(|e| e.heads) != Some(crate::records::heads_of(&mut doc)) {
                    return Err(Error::damaged(id, msg!(CORE, "doctor-heads")));
                }
                for info in &state.attachments {
                    attachment_ids.insert((id.clone(), info.id.clone()));
                    report.attachments += 1;
                    report.attachment_bytes += info.size;
                    self.stream_attachment(id, info, &mut std::io::sink(), &mut |_| {})?;
                }
                Ok(())
            })();
            if let Err(e) = checked {
                report.push_err(id, e);
            }
        }
        progress(rows.len(), rows.len());
        {
            let mut stmt = tx.prepare(
                "SELECT DISTINCT CAST(record AS TEXT) FROM chunks WHERE record NOT IN (SELECT id FROM records)",
            )?;
            let mut q = stmt.query([])?;
            while let Some(row) = q.next()? {
                let id: String = row.get::<_, Option<String>>(0)?.unwrap_or_default();
                report.push(
                    &id.chars()
                        .filter(|c| !c.is_control())
                        .take(40)
                        .collect::<String>(),
                    msg!(CORE, "doctor-chunks-stray"),
                );
            }
            let mut stmt = tx.prepare(
                "SELECT CAST(key AS TEXT) FROM meta WHERE key NOT IN ('vault_id', 'device', 'owner_key', 'manifest', 'endpoint_key') AND key NOT LIKE 'setting:%'",
            )?;
            let mut q = stmt.query([])?;
            while let Some(row) = q.next()? {
                let key: String = row.get::<_, Option<String>>(0)?.unwrap_or_default();
                report.push(
                    "vault",
                    msg!(
                        CORE,
                        "doctor-meta-stray",
                        name = format!(
                            "{:?}",
                            key.chars()
                                .filter(|c| !c.is_control())
                                .take(40)
                                .collect::<String>()
                        )
                    ),
                );
            }
        }
        let mut stmt = tx.prepare("SELECT DISTINCT record, attachment FROM blobs")?;
        let mut stored = stmt.query([])?;
        while let Some(row) = stored.next()? {
            let pair = match (row.get::<_, String>(0), row.get::<_, String>(1)) {
                (Ok(r), Ok(a)) => (r, a),
                _ => {
                    report.push("vault", msg!(CORE, "doctor-blob-type"));
                    continue;
                }
            };
            if !attachment_ids.contains(&pair)
                && !report.problems.iter().any(|p| p.record == pair.0)
            {
                report.push(
                    &pair.0,
                    msg!(CORE, "doctor-blob-stray", attachment = &pair.1),
                );
            }
        }
        Ok(report)
    }
}
