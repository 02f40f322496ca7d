//! `musette export badge`, `ical`, `vcard` and `all`

use std::path::PathBuf;

use anyhow::Result;
use musette_core::model::Kind;
use musette_formats::openbadges;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Subcommand, Debug)]
pub enum ExportCommand {
    /// A badge's original credential, unchanged, or baked into an image.
    Badge {
        /// The badge's id (or a unique prefix of at least 6 characters).
        id: String,
        /// Where to write it [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Bake it into this PNG image.
        #[arg(long, value_name = "IMAGE", conflicts_with = "svg")]
        png: Option<PathBuf>,
        /// Bake it into this SVG image.
        #[arg(long, value_name = "IMAGE")]
        svg: Option<PathBuf>,
    },
    /// Everything, readable without musette: a JSON file per record, attachments as files,
    /// badges and signed credentials as their original files, each record's automerge
    /// document, and a README explaining the layout.
    All {
        /// The folder to write (it must not exist yet, or be empty).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// A résumé (JSON Resume, schema v1.0.0) from your profile, experiences, skills, badges,
    /// publications and recommendations.
    JsonResume {
        /// Where to write it [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only records carrying this tag (repeatable: every tag given). Your profile is always in.
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Only these records, by id or unique prefix, separated by commas.
        #[arg(long, value_name = "ID,…", value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Contacts as vCard 4.0 (all of them, or those named), for any address book.
    Vcard {
        /// The contacts to export, by id or unique prefix [default: every contact].
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// Where to write it [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Due dates of documents and expiries of badges as an iCalendar file (RFC 5545) that any
    /// calendar imports; importing a newer export updates the same events.
    Ical {
        /// Where to write it [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, cmd: ExportCommand) -> Result<()> {
    let (id, output, png, svg) = match cmd {
        ExportCommand::Ical { output } => return ical(ctx, output),
        ExportCommand::Vcard { ids, output } => return vcard(ctx, &ids, output),
        ExportCommand::All { output } => return all(ctx, &output),
        ExportCommand::JsonResume { output, tags, only } => {
            return json_resume(ctx, output, tags, &only);
        }
        ExportCommand::Badge {
            id,
            output,
            png,
            svg,
        } => (id, output, png, svg),
    };
    let vault = ctx.open()?;
    let record = vault.show(&id)?;
    if record.state.kind != Kind::Badge {
        return Err(exit::invalid(crate::say::t(
            "cli-not-a-badge",
            &[
                ("id", &record.id),
                ("article", musette_core::model::article(record.state.kind)),
                ("kind", &crate::say::kind(record.state.kind)),
            ],
        )));
    }
    let credential = record
        .state
        .fields
        .get("credential")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            exit::invalid(crate::say::t(
                "cli-badge-no-credential",
                &[("id", &record.id)],
            ))
        })?;
    let version = openbadges::version_of(credential);
    let bytes = if let Some(image) = png {
        let img = ctx.read_in(&image)?;
        openbadges::bake_png(&img, credential.trim(), version).map_err(|e| {
            exit::invalid(crate::say::t(
                "cli-cannot-bake",
                &[
                    ("path", &image.display().to_string()),
                    ("why", &e.to_string()),
                ],
            ))
        })?
    } else if let Some(image) = svg {
        let img = String::from_utf8(ctx.read_in(&image)?).map_err(|_| {
            exit::invalid(crate::say::t(
                "cli-not-utf8-svg",
                &[("path", &image.display().to_string())],
            ))
        })?;
        openbadges::bake_svg(&img, credential.trim(), version)
            .map_err(|e| {
                exit::invalid(crate::say::t(
                    "cli-cannot-bake",
                    &[
                        ("path", &image.display().to_string()),
                        ("why", &e.to_string()),
                    ],
                ))
            })?
            .into_bytes()
    } else {
        credential.as_bytes().to_vec()
    };
    // The badge is the issuer's file, byte for byte: on a terminal it is shown escaped, so a
    // badge cannot drive the terminal; redirected or written with -o it stays exact.
    let to_stdout = output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if to_stdout && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let text = String::from_utf8_lossy(&bytes);
        let mut out = std::io::stdout().lock();
        std::io::Write::write_all(&mut out, clean::block(&text).as_bytes())?;
        std::io::Write::write_all(&mut out, b"\n")?;
        return Ok(());
    }
    ctx.write_out(output.as_deref(), &bytes)?;
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-wrote-badge",
                &[
                    ("id", &record.id),
                    ("path", &clean::line(&p.display().to_string()))
                ],
            )
        );
    }
    Ok(())
}

/// Every dated thing `due` knows (whatever the date), as all-day events with stable UIDs
/// (`<record id>-<due|expires>@musette`), so a calendar updates instead of duplicating.
fn ical(ctx: &Context, output: Option<PathBuf>) -> Result<()> {
    use icalendar::{Calendar, Component, EventLike};
    let vault = ctx.open()?;
    let today = super::due::today()?;
    let mut cal = Calendar::new();
    cal.name("musette");
    let mut n = 0;
    for d in super::due::due(&vault, today, u32::MAX)? {
        let Some(date) = d.date.as_deref() else {
            continue;
        };
        let Ok(day) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
            continue;
        };
        let summary = match d.what {
            "expires" => format!("Expires: {}", d.title),
            _ => format!("Due: {}", d.title),
        };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("{}-{}@musette", d.id, d.what))
                .summary(&summary)
                .description(&format!("{} {} in your musette vault", d.kind, d.id))
                .all_day(day)
                .done(),
        );
        n += 1;
    }
    let text = cal.done().to_string();
    ctx.write_out(output.as_deref(), text.as_bytes())?;
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-wrote-dates",
                &[
                    ("n", &n.to_string()),
                    ("path", &clean::line(&p.display().to_string()))
                ],
            )
        );
    }
    Ok(())
}

use musette_formats::jsonresume::RESUME_KINDS;

fn json_resume(
    ctx: &Context,
    output: Option<PathBuf>,
    tags: Vec<String>,
    only: &[String],
) -> Result<()> {
    use std::collections::HashSet;
    let vault = ctx.open()?;
    // Which records: those carrying the tags, or those named.
    let chosen: Option<HashSet<String>> = if !only.is_empty() {
        let mut ids = HashSet::new();
        for id in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let r = vault.show(id)?;
            if !RESUME_KINDS.contains(&r.state.kind) {
                return Err(exit::invalid(crate::say::t(
                    "cli-not-in-resume",
                    &[
                        ("id", &r.id),
                        ("article", musette_core::model::article(r.state.kind)),
                        ("kind", &crate::say::kind(r.state.kind)),
                    ],
                )));
            }
            ids.insert(r.id);
        }
        Some(ids)
    } else if !tags.is_empty() {
        let filter = musette_core::Filter {
            tags: tags.clone(),
            ..musette_core::Filter::default()
        };
        let ids: HashSet<String> = vault.list(&filter)?.0.into_iter().map(|s| s.id).collect();
        if ids.is_empty() {
            let named = tags
                .iter()
                .map(|t| format!("{:?}", clean::line(t)))
                .collect::<Vec<_>>()
                .join(", ");
            eprintln!(
                "{}",
                crate::say::n("cli-resume-no-tag", tags.len(), &[("tags", &named)])
            );
        }
        Some(ids)
    } else {
        None
    };
    let backpack = musette_formats::jsonresume::Backpack::of(&vault, chosen.as_ref())?;
    let (doc, notes) = musette_formats::jsonresume::write(&backpack);
    for n in &notes {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-note",
                &[("what", &clean::line(&n.say(crate::say::lang())))]
            )
        );
    }
    let mut text = serde_json::to_vec_pretty(&doc)?;
    text.push(b'\n');
    ctx.write_out(output.as_deref(), &text)?;
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        let n = backpack.records.len();
        let path = clean::line(&p.display().to_string()).into_owned();
        eprintln!(
            "{}",
            crate::say::n(
                if backpack.profile.is_some() {
                    "cli-wrote-resume-profile"
                } else {
                    "cli-wrote-resume"
                },
                n,
                &[("path", &path)]
            )
        );
    }
    if backpack.profile.is_none() {
        eprintln!("{}", crate::say::t("cli-resume-no-profile", &[]));
    }
    Ok(())
}

fn vcard(ctx: &Context, ids: &[String], output: Option<PathBuf>) -> Result<()> {
    let vault = ctx.open()?;
    let mut contacts = Vec::new();
    if ids.is_empty() {
        let mut all = vault.records_of(Kind::Contact)?;
        all.sort_by(|a, b| a.1.cmp(&b.1));
        contacts.extend(all.into_iter().map(|(fields, id)| (id, fields)));
    } else {
        for id in ids {
            let r = vault.show(id)?;
            if r.state.kind != Kind::Contact {
                return Err(exit::invalid(crate::say::t(
                    "cli-vcard-not-contact",
                    &[
                        ("id", &r.id),
                        ("article", musette_core::model::article(r.state.kind)),
                        ("kind", &crate::say::kind(r.state.kind)),
                    ],
                )));
            }
            contacts.push((r.id, r.state.fields.into_iter().collect()));
        }
    }
    let text = musette_formats::vcard::write(&contacts);
    ctx.write_out(output.as_deref(), text.as_bytes())?;
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        eprintln!(
            "{}",
            crate::say::n(
                "cli-wrote-contacts",
                contacts.len(),
                &[("path", &clean::line(&p.display().to_string()))]
            )
        );
    }
    Ok(())
}

/// What `export all` writes first in its folder.
const EXPORT_README: &str = "# A musette backpack, exported

Everything the vault held when it was exported, in open formats, readable without musette.

- `records/<kind>/<id>.json`: each record: its kind, title, fields, tags, when it was created
  and last changed, its attachments (name, size, SHA-256, and the file below), and a summary of
  its history (when, which device, what was done, which fields).
- `records/<kind>/<id>.automerge`: the same record as an Automerge document, with every change
  it went through: open it with any Automerge library (automerge.org) to replay its history.
- `attachments/<id>/<name>`: the attached files, as they were attached (their SHA-256 is in the
  record's JSON).
- `credentials/<id>.json`: badges as their issuers signed them, and co-signed recommendations
  with every signature, byte for byte: verify them with any Verifiable Credentials or Open
  Badges verifier.
- `index.json`: every record's id, kind, title and file.

Records removed with `musette rm` (and not restored) are not included.
";

/// A file name from an untrusted name: no folders, no dot names, nothing a file system refuses.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned: String = cleaned
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(200)
        .collect();
    // Windows keeps a trailing dot or space from no name, and device names (`CON`,
    // `nul.txt`, `COM1`) from every file.
    let cleaned = cleaned.trim_end_matches(['.', ' ']).to_string();
    if cleaned.is_empty() {
        return "file".to_string();
    }
    let stem = cleaned
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
        || ["COM", "LPT"]
            .iter()
            .any(|p| ["¹", "²", "³"].iter().any(|d| stem == format!("{p}{d}")));
    if device {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

fn all(ctx: &Context, output: &std::path::Path) -> Result<()> {
    use std::io::Write;
    if output.exists() && (!output.is_dir() || std::fs::read_dir(output)?.next().is_some()) {
        return Err(exit::invalid(crate::say::t(
            "cli-export-not-empty",
            &[("path", &output.display().to_string())],
        )));
    }
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    // Written beside, then moved into place: an export that fails leaves nothing half done.
    let tmp = tempfile::Builder::new()
        .prefix(".musette-export-")
        .tempdir_in(parent)
        .map_err(|e| {
            exit::invalid(crate::say::t(
                "cli-cannot-write-dir",
                &[
                    ("dir", &parent.display().to_string()),
                    ("why", &e.to_string()),
                ],
            ))
        })?;
    let root = tmp.path();
    let vault = ctx.open()?;
    let (records, damaged) = vault.list(&musette_core::Filter::default())?;
    if !damaged.is_empty() {
        return Err(exit::damaged(crate::say::n(
            "cli-export-damaged",
            damaged.len(),
            &[],
        )));
    }
    std::fs::write(root.join("README.md"), EXPORT_README)?;
    let mut index = Vec::new();
    let mut bytes_out = 0u64;
    let bar = crate::progress::items(
        records.len() as u64,
        &crate::say::t("cli-progress-exporting", &[]),
    );
    for summary in &records {
        let r = vault.show(&summary.id)?;
        let kind = r.state.kind.as_str();
        let dir = root.join("records").join(kind);
        std::fs::create_dir_all(&dir)?;
        let mut attachments = Vec::new();
        let mut used = std::collections::HashSet::new();
        for a in &r.state.attachments {
            let mut name = safe_name(&a.name);
            // Names that differ only in case are one file on Windows and macOS.
            while !used.insert(name.to_lowercase()) {
                name = format!("{}-{name}", &a.id[..a.id.len().min(6)]);
            }
            let rel = format!("attachments/{}/{name}", r.id);
            let path = root.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            vault.read_attachment(&r.id, &a.name, &mut file, &mut |_| {})?;
            file.flush()?;
            bytes_out += a.size;
            attachments.push(serde_json::json!({
                "name": a.name, "size": a.size, "sha256": a.sha256, "file": rel,
            }));
        }
        let mut credential = None;
        if let Some(serde_json::Value::String(text)) = r.state.fields.get("credential") {
            let rel = format!("credentials/{}.json", r.id);
            std::fs::create_dir_all(root.join("credentials"))?;
            std::fs::write(root.join(&rel), text)?;
            credential = Some(rel);
        }
        let history = vault.history(&r.id)?;
        let doc = serde_json::json!({
            "id": r.id,
            "kind": kind,
            "title": summary.title,
            "fields": r.state.fields,
            "tags": r.state.tags,
            "created": r.state.created,
            "updated": r.state.updated,
            "attachments": attachments,
            "credential_file": credential,
            "history": history,
        });
        let file = format!("records/{kind}/{}.json", r.id);
        let mut text = serde_json::to_vec_pretty(&doc)?;
        text.push(b'\n');
        std::fs::write(root.join(&file), text)?;
        std::fs::write(
            dir.join(format!("{}.automerge", r.id)),
            vault.document_bytes(&r.id)?,
        )?;
        index.push(serde_json::json!({
            "id": r.id, "kind": kind, "title": summary.title, "file": file,
        }));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut text = serde_json::to_vec_pretty(&index)?;
    text.push(b'\n');
    std::fs::write(root.join("index.json"), text)?;
    let kept = tmp.keep();
    if output.exists() {
        std::fs::remove_dir(output)?;
    }
    std::fs::rename(&kept, output).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-export-cannot-move",
            &[
                ("path", &output.display().to_string()),
                ("why", &e.to_string()),
                ("kept", &kept.display().to_string()),
            ],
        ))
    })?;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({
            "records": records.len(), "attachment_bytes": bytes_out, "folder": output,
        }));
    }
    eprintln!(
        "{}",
        crate::say::n(
            "cli-exported-all",
            records.len(),
            &[
                ("size", &super::show::human_size(bytes_out)),
                ("path", &clean::line(&output.display().to_string())),
            ],
        )
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_are_safe_on_every_file_system() {
        for (given, safe) in [
            ("notes.txt", "notes.txt"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("com1.tar.gz", "_com1.tar.gz"),
            ("LPT9", "_LPT9"),
            ("COM¹", "_COM¹"),
            ("console.txt", "console.txt"),
            ("com10", "com10"),
            ("a/b\\c:d", "a_b_c_d"),
            ("report. ", "report"),
            ("...", "file"),
            ("", "file"),
        ] {
            assert_eq!(safe_name(given), safe, "{given:?}");
        }
    }
}
