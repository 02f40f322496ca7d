//! Many records brought in at once from another format (vCard, JSON Resume, a LinkedIn
//! export): each matched by a stable key the format gives it, so that importing the same file
//! twice adds nothing, and all of it written in one transaction, so that a file failing halfway
//! changes nothing.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::i18n::{CORE, Msg};
use crate::manifest;
use crate::model::{self, Kind};
use crate::vault::Vault;

/// The field that holds where an imported record came from (`vcard:…`), to find it again.
pub const SOURCE: &str = "source";

/// A record from a file.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Its kind.
    pub kind: Kind,
    /// Its stable key in its format (`vcard:<UID>`), kept in [`SOURCE`].
    pub key: String,
    /// Its fields.
    pub fields: Map<String, Value>,
    /// Where it is in the file, for messages (`line 41`).
    pub at: Msg,
    /// The fields the format speaks for (see [`Owns`]).
    pub owns: Owns,
    /// The record to update whatever its key (the owner's profile, found by its did), rather
    /// than the one [`SOURCE`] finds.
    pub existing: Option<String>,
}

impl Incoming {
    /// A record of `kind` found again by `key`, the format speaking for every field.
    pub fn new(kind: Kind, key: String, fields: Map<String, Value>, at: Msg) -> Incoming {
        Incoming {
            kind,
            key,
            fields,
            at,
            owns: Owns::All,
            existing: None,
        }
    }

    fn owned(&self, field: &str) -> bool {
        field != SOURCE
            && match self.owns {
                Owns::All => true,
                Owns::Only(fields) => fields.contains(&field),
            }
    }
}

/// What an updated record loses: the fields its format speaks for that the file no longer
/// gives. Fields it does not speak for (added by hand) always stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owns {
    /// Every field: the record is what the file says.
    All,
    /// Only these (none: the file only adds and changes fields, never removes one).
    Only(&'static [&'static str]),
}

/// What an import did, or would do with `--dry-run`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Report {
    /// Records added.
    pub new: usize,
    /// Records whose fields changed.
    pub updated: usize,
    /// Records already as the file says.
    pub unchanged: usize,
    /// Entries left out, and why (each serializes as its English).
    pub skipped: Vec<Msg>,
    /// What was kept differently from the file, and why (a contact's did left as it was).
    pub notes: Vec<Msg>,
    /// The ids of the records added or updated.
    pub ids: Vec<String>,
}

impl Vault {
    /// Imports `items` (see the module): records are found again by their key, new ones are
    /// added, changed ones updated, in one transaction. With `dry_run` nothing is written.
    /// An item whose fields are invalid is skipped and said, the rest goes in.
    pub fn import_records(&mut self, items: Vec<Incoming>, dry_run: bool) -> Result<Report> {
        self.import_records_with(items, dry_run, &mut |_, _| {})
    }

    /// [`Vault::import_records`], calling `progress(done, total)` as records are written.
    pub fn import_records_with(
        &mut self,
        items: Vec<Incoming>,
        dry_run: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Report> {
        let mut report = Report::default();
        // What is held is read in the transaction that writes (immediate: other writers wait),
        // so a write made meanwhile by another process is neither undone nor duplicated.
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            if dry_run {
                rusqlite::TransactionBehavior::Deferred
            } else {
                rusqlite::TransactionBehavior::Immediate
            },
        )?;
        // What each key already is: (id, fields), from the records of the kinds involved.
        let mut known = std::collections::HashMap::new();
        let mut by_id = std::collections::HashMap::new();
        let mut kinds: Vec<Kind> = items.iter().map(|i| i.kind).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            for (fields, id) in self.records_of_in(&tx, kind)? {
                if let Some(Value::String(key)) = fields.get(SOURCE) {
                    known.insert((kind, key.clone()), (id.clone(), fields.clone()));
                }
                by_id.insert(id, fields);
            }
        }
        enum Plan {
            Add(Kind, Map<String, Value>),
            Update(String, Map<String, Value>),
        }
        let mut plans = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for mut item in items {
            let mut fields = std::mem::take(&mut item.fields);
            // A record named by id is found without its key: it keeps the source it has.
            if item.existing.is_none() {
                fields.insert(SOURCE.into(), Value::String(item.key.clone()));
            }
            if !seen.insert((item.kind, item.key.clone())) {
                report
                    .skipped
                    .push(crate::msg!(CORE, "import-twice", at = item.at));
                continue;
            }
            let conn = &self.conn;
            if let Err(e) = model::validate_fields(item.kind, &mut fields, &mut |r| {
                crate::records::resolve_in(conn, r)
            }) {
                // The vault's own words when it has them in its catalogue; the others are
                // given in English, as the error prints.
                let why = match &e {
                    Error::Invalid(m) => crate::i18n::Arg::from(m.clone()),
                    other => crate::i18n::Arg::from(other.to_string()),
                };
                report
                    .skipped
                    .push(crate::msg!(CORE, "import-invalid", at = item.at, why = why));
                continue;
            }
            let held = match &item.existing {
                Some(id) => by_id.get(id).map(|f| (id, f)),
                None => known
                    .get(&(item.kind, item.key.clone()))
                    .map(|(i, f)| (i, f)),
            };
            match held {
                Some((id, held)) => {
                    // The file's fields over what is held; held fields the format speaks for
                    // and the file no longer gives are dropped; the others stay.
                    let mut merged = held.clone();
                    merged.retain(|k, _| !item.owned(k) || fields.contains_key(k));
                    merged.extend(fields);
                    // Who a contact is (its did, which names the signers of what it sends) is
                    // never changed by an import: a file naming someone the same way could
                    // otherwise make a stranger's key theirs.
                    if let Some(did) = held.get("did")
                        && merged.get("did") != Some(did)
                    {
                        report.notes.push(crate::msg!(
                            CORE,
                            "import-did-kept",
                            at = item.at.clone(),
                            id = id
                        ));
                        merged.insert("did".into(), did.clone());
                    }
                    if merged == *held {
                        report.unchanged += 1;
                    } else {
                        report.updated += 1;
                        plans.push(Plan::Update(id.clone(), merged));
                    }
                }
                None => {
                    report.new += 1;
                    plans.push(Plan::Add(item.kind, fields));
                }
            }
        }
        if dry_run || plans.is_empty() {
            return Ok(report);
        }
        let mut m = Some(manifest::Update::begin(&tx, &self.master, &self.vault_id)?);
        // Thousands of contacts at once: the contact index is rebuilt once when next read,
        // rather than resealed once per contact.
        if plans.iter().any(|p| match p {
            Plan::Add(kind, _) => *kind == Kind::Contact,
            Plan::Update(..) => true,
        }) && let Some(m) = m.as_mut()
        {
            self.contact_index_stale(&tx, m)?;
        }
        let total = plans.len();
        for (done, plan) in plans.into_iter().enumerate() {
            progress(done, total);
            match plan {
                Plan::Add(kind, fields) => {
                    let m = m
                        .as_mut()
                        .ok_or_else(|| Error::Internal("no manifest update".into()))?;
                    report.ids.push(self.add_in(&tx, m, kind, &fields, &[])?);
                }
                Plan::Update(id, fields) => {
                    self.write_record_in(&tx, &mut m, &id, "import", |_, _, doc, state| {
                        let mut changes = Vec::new();
                        for (k, v) in &fields {
                            if state.fields.get(k) != Some(v) {
                                changes.push((k.clone(), Some(v.clone())));
                            }
                        }
                        for k in state.fields.keys() {
                            if !fields.contains_key(k) {
                                changes.push((k.clone(), None));
                            }
                        }
                        let touched = changes.iter().map(|(k, _)| k.clone()).collect();
                        crate::record::apply_field_changes(doc, &changes)
                            .map_err(crate::records::internal)?;
                        Ok(((), touched))
                    })?;
                    report.ids.push(id);
                }
            }
        }
        if let Some(m) = m {
            m.commit(&tx, &self.master)?;
        }
        tx.commit()?;
        progress(total, total);
        Ok(report)
    }
}
