//! `musette import [FORMAT] FILE`: résumés, LinkedIn exports, vCards, badges, credentials

use std::path::PathBuf;

use anyhow::Result;
use musette_core::model::Kind;
use musette_formats::openbadges::{self, Status};
use serde_json::json;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The format, then the file: `json-resume` (a résumé: your profile and records),
    /// `linkedin` (a LinkedIn data export: its ZIP or unzipped folder), `vcard` (contacts),
    /// `badge` (one of your badges: JSON, PNG or SVG), `credential` (a credential or
    /// presentation someone gave you, kept as received). With the file alone the format is
    /// guessed from its content.
    #[arg(num_args = 1..=2, required = true, value_name = "[FORMAT] FILE")]
    args: Vec<String>,
    /// Import a badge, credential or presentation even when its proof does not hold.
    #[arg(long)]
    allow_invalid: bool,
    /// Say what would be added, updated or left unchanged, and write nothing (json-resume,
    /// linkedin, vcard).
    #[arg(long)]
    dry_run: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (format, file) = match args.args.as_slice() {
        [file] => (None, PathBuf::from(file)),
        [format, file] => (Some(format.as_str()), PathBuf::from(file)),
        _ => {
            return Err(exit::invalid(crate::say::t("cli-import-usage", &[])));
        }
    };
    const FORMATS: &[&str] = &["badge", "credential", "json-resume", "linkedin", "vcard"];
    // A format named alone, or two files: say how the command reads its arguments.
    if format.is_none() && FORMATS.contains(&args.args[0].as_str()) && !file.exists() {
        return Err(exit::invalid(crate::say::t(
            "cli-import-format-alone",
            &[("format", &args.args[0])],
        )));
    }
    if let Some(f) = format
        && !FORMATS.contains(&f)
        && std::path::Path::new(f).exists()
    {
        return Err(exit::invalid(crate::say::t(
            "cli-import-one-file",
            &[("first", f), ("second", &file.display().to_string())],
        )));
    }
    if let Some(f) = format
        && !FORMATS.contains(&f)
    {
        return Err(exit::invalid(crate::say::t(
            "cli-import-unknown-format",
            &[
                ("format", &format!("{f:?}")),
                ("formats", &FORMATS.join(", ")),
            ],
        )));
    }
    if file.is_dir() {
        if format.is_some_and(|f| f != "linkedin") {
            return Err(exit::invalid(crate::say::t(
                "cli-import-folder",
                &[("path", &file.display().to_string())],
            )));
        }
        let export = musette_formats::linkedin::read_dir(&file)
            .map_err(|e| exit::invalid(cannot_import(&file, &e)))?;
        let mut vault = ctx.open()?;
        let prepared = musette_formats::many::linkedin(&vault, export).map_err(|e| match e {
            musette_formats::many::PrepareError::Vault(v) => anyhow::Error::from(v),
            other => exit::invalid(cannot_import(&file, &other)),
        })?;
        return write_prepared(
            ctx,
            &mut vault,
            prepared,
            args.dry_run,
            musette_formats::many::Many::Linkedin,
        );
    }
    let mut bytes = ctx.read_in(&file)?;
    // A byte-order mark (as Windows editors save UTF-8) is not part of the file's text.
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    let is_zip = musette_formats::linkedin::is_zip(&bytes);
    if format == Some("linkedin") || (format.is_none() && is_zip) {
        if !is_zip {
            return Err(exit::invalid(cannot_import(
                &file,
                &crate::say::t("cli-import-not-zip", &[]),
            )));
        }
        return many(
            ctx,
            musette_formats::many::Many::Linkedin,
            &bytes,
            &file,
            args.dry_run,
        );
    }
    let looks_like_vcard = musette_formats::vcard::looks_like(&bytes);
    if format == Some("vcard") || (format.is_none() && looks_like_vcard) {
        return many(
            ctx,
            musette_formats::many::Many::Vcard,
            &bytes,
            &file,
            args.dry_run,
        );
    }
    let looks_like_resume = || {
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| serde_json::from_str(t).ok())
            .is_some_and(|d| musette_formats::jsonresume::looks_like(&d))
    };
    if format == Some("json-resume") || (format.is_none() && looks_like_resume()) {
        return many(
            ctx,
            musette_formats::many::Many::JsonResume,
            &bytes,
            &file,
            args.dry_run,
        );
    }
    if args.dry_run {
        return Err(exit::invalid(crate::say::t("cli-import-dry-run-one", &[])));
    }
    // A credential about someone else, or a presentation, is kept as received; a badge of
    // yours becomes a badge record.
    let doc = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t.trim()).ok())
        .filter(|d| musette_core::credential::document_kind(d).is_some());
    // Parsed (and its proof checked) once, whichever way the file goes.
    let badge = openbadges::read(&bytes);
    let routed = doc.as_ref().filter(|_| format != Some("badge"));
    if routed.is_none() {
        match &badge {
            Err(e) if format.is_none() => {
                return Err(exit::invalid(cannot_import(
                    &file,
                    &unrecognised(&file, &bytes, e),
                )));
            }
            Err(e) => {
                return Err(exit::invalid(cannot_import(&file, e)));
            }
            Ok(b) => refuse_invalid(b, args.allow_invalid)?,
        }
    }
    let mut vault = ctx.open()?;
    if let Some(doc) = routed {
        let owner = vault.owner()?.did().to_string();
        let (issuer, _) = musette_core::credential::party(doc, "issuer");
        let yours = issuer.as_deref() == Some(owner.as_str());
        let presentation = musette_core::credential::document_kind(doc) == Some("presentation");
        let record = musette_core::vocab::read_back(doc);
        // One of your own records, issued by musette (from another vault of yours, or a
        // copy you kept): it becomes that record again, once its proofs hold.
        if let Some((kind, fields)) = record.clone()
            && yours
            && format != Some("credential")
            && !presentation
        {
            return restore(ctx, &mut vault, doc, kind, fields, &file);
        }
        // A record of someone else's that musette issued (a badge from an issuer stays a
        // badge: its subject is often a wallet's did rather than this vault's).
        let someone_elses_record = record.is_some() && !yours;
        if format == Some("credential") || presentation || someone_elses_record || badge.is_err() {
            return keep(ctx, &mut vault, &bytes, &file, args.allow_invalid);
        }
    }
    let badge = badge.map_err(|e| exit::invalid(cannot_import(&file, &e)))?;
    refuse_invalid(&badge, args.allow_invalid)?;
    if let Some(id) = openbadges::held(&vault, &badge)? {
        return Err(exit::invalid(crate::say::t(
            "cli-badge-held",
            &[("id", &id)],
        )));
    }
    let added = vault.add(Kind::Badge, badge.fields.clone(), &[])?;
    let name = badge
        .fields
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if ctx.json {
        ctx.print_json(&json!({ "id": added.id, "kind": "badge", "name": name, "status": badge.status.to_string() }))?;
    } else {
        // The name and the status come from the file: cleaned.
        println!("{}", added.id);
        eprintln!(
            "{}",
            crate::say::t(
                "cli-imported-badge",
                &[
                    ("name", &clean::line(&format!("{name:?}"))),
                    ("status", &clean::line(&status_said(&badge.status))),
                ],
            )
        );
    }
    Ok(())
}

/// Why a file whose format was not named could not be imported: what it looks like, and what
/// musette imports.
fn unrecognised(
    file: &std::path::Path,
    bytes: &[u8],
    badge: &musette_formats::FormatError,
) -> String {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let text = std::str::from_utf8(bytes)
        .ok()
        .map(|t| t.trim_start_matches('\u{feff}').trim_start());
    if bytes.starts_with(b"%PDF") {
        return crate::say::t("cli-import-pdf", &[]);
    }
    if musette_formats::linkedin::FILES
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
    {
        return crate::say::t("cli-import-linkedin-part", &[("name", name)]);
    }
    if let Some(t) = text.filter(|t| t.starts_with('{') || t.starts_with('['))
        && let Err(e) = serde_json::from_str::<serde_json::Value>(t)
    {
        return crate::say::t("cli-import-bad-json", &[("why", &e.to_string())]);
    }
    match badge {
        musette_formats::FormatError::Unrecognised(_) => crate::say::t("cli-import-unknown", &[]),
        other => other.say(crate::say::lang()),
    }
}

/// A badge's status (`verified`, `cannot be checked: …`), in this run's language.
fn status_said(status: &Status) -> String {
    if crate::say::lang() == musette_web::i18n::Lang::En {
        return status.to_string();
    }
    match status {
        Status::Verified(_) => crate::say::t("cli-badge-verified", &[]),
        Status::Unsigned => crate::say::t("cli-badge-unsigned", &[]),
        Status::Unsupported(why) => {
            crate::say::t("cli-badge-unchecked", &[("why", &crate::say::reason(why))])
        }
        other => crate::say::reason(&other.msg()),
    }
}

/// Why an import failed, in this run's language.
trait Why {
    fn said(&self) -> String;
}

impl Why for String {
    fn said(&self) -> String {
        self.clone()
    }
}

impl Why for musette_formats::FormatError {
    fn said(&self) -> String {
        self.say(crate::say::lang())
    }
}

impl Why for musette_formats::many::PrepareError {
    fn said(&self) -> String {
        match self {
            musette_formats::many::PrepareError::Format(f) => f.said(),
            musette_formats::many::PrepareError::Vault(v) => crate::say::error(v),
        }
    }
}

impl Why for musette_core::Error {
    fn said(&self) -> String {
        crate::say::error(self)
    }
}

/// `cannot import FILE: why`, in the user's language.
fn cannot_import(file: &std::path::Path, why: &dyn Why) -> String {
    crate::say::t(
        "cli-cannot-import",
        &[("path", &file.display().to_string()), ("why", &why.said())],
    )
}

/// A badge whose proof does not hold is refused, unless kept on purpose.
fn refuse_invalid(badge: &openbadges::Badge, allow_invalid: bool) -> Result<()> {
    if let Status::Invalid(why) = &badge.status
        && !allow_invalid
    {
        return Err(exit::damaged(crate::say::t(
            "cli-badge-invalid",
            &[("why", &crate::say::reason(why))],
        )));
    }
    Ok(())
}

/// Contacts from a vCard file: new ones added, changed ones updated, in one transaction.
/// Many records from a file (vCards, a JSON Resume, a LinkedIn ZIP): made ready by
/// [`musette_formats::many`], then written in one transaction.
fn many(
    ctx: &Context,
    format: musette_formats::many::Many,
    bytes: &[u8],
    file: &std::path::Path,
    dry_run: bool,
) -> Result<()> {
    let mut vault = ctx.open()?;
    let prepared = musette_formats::many::prepare(&vault, format, bytes).map_err(|e| match e {
        musette_formats::many::PrepareError::Vault(v) => v.into(),
        other => exit::invalid(cannot_import(file, &other)),
    })?;
    write_prepared(ctx, &mut vault, prepared, dry_run, format)
}

fn write_prepared(
    ctx: &Context,
    vault: &mut musette_core::Vault,
    prepared: musette_formats::many::Prepared,
    dry_run: bool,
    format: musette_formats::many::Many,
) -> Result<()> {
    if !ctx.json && !prepared.files.is_empty() {
        eprintln!(
            "{}",
            crate::say::t("cli-reading", &[("files", &prepared.files.join(", "))])
        );
    }
    let what = if format == musette_formats::many::Many::Vcard {
        "contacts"
    } else {
        "records"
    };
    write_records(
        ctx,
        vault,
        prepared.items,
        prepared.skipped,
        prepared.notes,
        dry_run,
        what,
    )
}

/// Imports records in one transaction (a progress bar for large ones on a terminal) and says
/// what changed: `N new, N updated, N unchanged`, and what was skipped.
fn write_records(
    ctx: &Context,
    vault: &mut musette_core::Vault,
    items: Vec<musette_core::batch::Incoming>,
    mut skipped: Vec<musette_core::i18n::Msg>,
    mut notes: Vec<musette_core::i18n::Msg>,
    dry_run: bool,
    what: &str,
) -> Result<()> {
    let mut bar: Option<indicatif::ProgressBar> = None;
    let mut progress = |done: usize, total: usize| {
        if total < 200 {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            crate::progress::items(total as u64, &crate::say::t("cli-progress-importing", &[]))
        });
        bar.set_position(done as u64);
        if done == total {
            bar.finish_and_clear();
        }
    };
    let mut report = vault.import_records_with(items, dry_run, &mut progress)?;
    skipped.append(&mut report.skipped);
    report.skipped = skipped;
    notes.append(&mut report.notes);
    if ctx.json {
        return ctx.print_json(&json!({
            "new": report.new, "updated": report.updated, "unchanged": report.unchanged,
            "skipped": report.skipped, "notes": notes, "ids": report.ids, "dry_run": dry_run,
        }));
    }
    for s in &report.skipped {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-skipped",
                &[("what", &clean::line(&s.say(crate::say::lang())))]
            )
        );
    }
    for n in &notes {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-note",
                &[("what", &clean::line(&n.say(crate::say::lang())))]
            )
        );
    }
    let counts = [
        ("new", report.new.to_string()),
        ("updated", report.updated.to_string()),
        ("unchanged", report.unchanged.to_string()),
        ("skipped", report.skipped.len().to_string()),
    ];
    let args: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let id = match (dry_run, what, report.skipped.is_empty()) {
        (true, _, true) => "cli-would-import",
        (true, _, false) => "cli-would-import-skipped",
        (false, "contacts", true) => "cli-imported-contacts",
        (false, "contacts", false) => "cli-imported-contacts-skipped",
        (false, _, true) => "cli-imported-records",
        (false, _, false) => "cli-imported-records-skipped",
    };
    eprintln!("{}", crate::say::t(id, &args));
    Ok(())
}

/// A credential of one of your own records becomes that record again: an experience an
/// experience, a co-signed recommendation a recommendation with its signatures.
fn restore(
    ctx: &Context,
    vault: &mut musette_core::Vault,
    doc: &serde_json::Value,
    kind: Kind,
    mut fields: serde_json::Map<String, serde_json::Value>,
    file: &std::path::Path,
) -> Result<()> {
    let names = crate::cli::contacts(vault);
    let report = musette_core::credential::verify_document(doc, &names)?;
    if report.outcome != musette_core::credential::Outcome::Verified {
        return Err(exit::damaged(crate::say::t(
            "cli-import-own-proofs",
            &[("path", &file.display().to_string())],
        )));
    }
    // Already there (the same fields, co-signatures included): said, nothing added.
    let same = |held: &serde_json::Map<String, serde_json::Value>| {
        fields.iter().all(|(k, v)| held.get(k) == Some(v))
    };
    if let Some((_, id)) = vault.records_of(kind)?.into_iter().find(|(held, _)| {
        same(held)
            && (kind != Kind::Recommendation
                || held.contains_key("credential") == (report.proofs.len() > 1))
    }) {
        return Err(exit::invalid(crate::say::t(
            "cli-record-held",
            &[("kind", &crate::say::kind(kind)), ("id", &id)],
        )));
    }
    if kind == Kind::Recommendation && report.proofs.len() > 1 {
        fields.insert("credential".into(), serde_json::to_string(doc)?.into());
    }
    let added = vault.add(kind, fields, &[])?;
    if ctx.json {
        return ctx.print_json(&json!({ "id": added.id, "kind": kind.as_str(), "restored": true }));
    }
    println!("{}", added.id);
    eprintln!(
        "{}",
        crate::say::t("cli-restored-record", &[("kind", &crate::say::kind(kind))])
    );
    Ok(())
}

/// Keeps a credential or presentation as received, after checking it (what `verify` would
/// say is shown, and kept whatever it is: a forgery kept is a forgery you can show).
fn keep(
    ctx: &Context,
    vault: &mut musette_core::Vault,
    bytes: &[u8],
    file: &std::path::Path,
    allow_invalid: bool,
) -> Result<()> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    if let Some(key) = musette_core::credential::duplicate_key(&text) {
        return Err(exit::damaged(crate::say::t(
            "cli-import-ambiguous",
            &[
                ("path", &file.display().to_string()),
                ("key", &format!("{:?}", clean::line(&key))),
            ],
        )));
    }
    let names = crate::cli::contacts(vault);
    let doc: serde_json::Value = serde_json::from_str(text.trim()).map_err(|e| {
        exit::invalid(cannot_import(
            file,
            &crate::say::t("cli-not-json", &[("why", &e.to_string())]),
        ))
    })?;
    let report = musette_core::credential::verify_document(&doc, &names)
        .map_err(|e| exit::invalid(cannot_import(file, &e)))?;
    if report.outcome == musette_core::credential::Outcome::Failed && !allow_invalid {
        return Err(exit::damaged(crate::say::t(
            "cli-import-does-not-verify",
            &[("path", &file.display().to_string())],
        )));
    }
    let outcome = serde_json::to_value(report.outcome)?;
    let kept = vault
        .keep_received(&text, outcome.as_str().unwrap_or(""))
        .map_err(|e| exit::invalid(cannot_import(file, &e)))?;
    let from_name = kept
        .from
        .as_ref()
        .and_then(|d| names.get(d))
        .cloned()
        .or(kept.from_name.clone());
    if ctx.json {
        return ctx.print_json(&json!({
            "id": kept.id, "kind": "received", "document": kept.kind, "from": kept.from,
            "from_name": from_name, "title": kept.title, "outcome": outcome,
        }));
    }
    println!("{}", &kept.id[..12]);
    let from = match (&from_name, &kept.from) {
        (Some(n), Some(d)) => format!("{} ({})", clean::line(n), clean::line(d)),
        (None, Some(d)) => clean::line(d).into_owned(),
        (Some(n), None) => clean::line(n).into_owned(),
        (None, None) => crate::say::t("cli-unnamed-issuer", &[]),
    };
    eprintln!(
        "{}",
        crate::say::t(
            "cli-kept-received",
            &[
                (
                    "kind",
                    &crate::say::t("cli-verify-kind", &[("kind", &clean::line(&kept.kind))]),
                ),
                (
                    "title",
                    &clean::line(&format!("{:?}", kept.title.as_deref().unwrap_or(""))),
                ),
                ("from", &from),
                (
                    "outcome",
                    &crate::say::t(
                        "cli-outcome",
                        &[
                            ("outcome", outcome.as_str().unwrap_or("")),
                            (
                                "text",
                                &clean::line(outcome.as_str().unwrap_or("")).replace('_', " "),
                            ),
                        ],
                    ),
                ),
                ("id", &kept.id[..12]),
            ],
        )
    );
    Ok(())
}
