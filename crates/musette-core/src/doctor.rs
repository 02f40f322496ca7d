//! `doctor`: checks every key slot, record, chunk and attachment, and reports what is damaged
//! without stopping at the first problem.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Result;
use crate::record;
use crate::vault::Vault;

/// A problem found by [`Vault::doctor`].
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// The record concerned, or `vault`.
    pub record: String,
    /// What is wrong.
    pub what: String,
}

/// What [`Vault::doctor`] found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Records checked.
    pub records: usize,
    /// Attachments checked.
    pub attachments: usize,
    /// Bytes of attachment content checked.
    pub attachment_bytes: u64,
    /// Problems found; empty when all is well.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Vault {
    /// Checks the whole vault. `progress` gets (records done, records in all).
    pub fn doctor(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<Report> {
        let mut report = Report::default();
        let vault_problem = |report: &mut Report, what: String| {
            report.problems.push(Problem {
                record: "vault".into(),
                what,
            })
        };
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            vault_problem(
                &mut report,
                format!("the database file is damaged: {check}"),
            );
        }
        for p in self.slot_problems()? {
            vault_problem(&mut report, p);
        }
        if let Err(e) = self.owner() {
            vault_problem(&mut report, format!("the owner's signing key: {e}"));
        }
        let ids = self.record_ids()?;
        let mut attachment_ids = HashSet::new();
        for (n, id) in ids.iter().enumerate() {
            progress(n, ids.len());
            report.records += 1;
            let checked = (|| -> Result<()> {
                let (key, header) = self.load_header(&self.conn, id)?;
                let doc = self.load_doc(&self.conn, id, &key, &header)?;
                let state = record::read_state(&doc, id)?;
                if state != header.state {
                    return Err(crate::Error::damaged(
                        id,
                        "its header does not match its document",
                    ));
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
                report.problems.push(Problem {
                    record: id.clone(),
                    what: e.to_string(),
                });
            }
        }
        progress(ids.len(), ids.len());
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT record, attachment FROM blobs")?;
        let stored =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for pair in stored {
            let pair = pair?;
            if !attachment_ids.contains(&pair)
                && !report.problems.iter().any(|p| p.record == pair.0)
            {
                report.problems.push(Problem {
                    record: pair.0.clone(),
                    what: format!(
                        "stored attachment data {} belongs to no attachment of the record",
                        pair.1
                    ),
                });
            }
        }
        Ok(report)
    }
}
