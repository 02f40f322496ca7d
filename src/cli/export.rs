//! `musette export badge`, `musette export ical` and `musette export vcard`

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
        return Err(exit::invalid(format!(
            "{} is {} {}, not a badge",
            record.id,
            musette_core::model::article(record.state.kind),
            record.state.kind
        )));
    }
    let credential = record
        .state
        .fields
        .get("credential")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            exit::invalid(format!(
                "badge {} has no credential to export (it was entered by hand)",
                record.id
            ))
        })?;
    let version = openbadges::version_of(credential);
    let bytes = if let Some(image) = png {
        let img = ctx.read_in(&image)?;
        openbadges::bake_png(&img, credential.trim(), version)
            .map_err(|e| exit::invalid(format!("cannot bake into {}: {e}", image.display())))?
    } else if let Some(image) = svg {
        let img = String::from_utf8(ctx.read_in(&image)?)
            .map_err(|_| exit::invalid(format!("{} is not a UTF-8 SVG", image.display())))?;
        openbadges::bake_svg(&img, credential.trim(), version)
            .map_err(|e| exit::invalid(format!("cannot bake into {}: {e}", image.display())))?
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
            "Wrote badge {} to {}",
            record.id,
            clean::line(&p.display().to_string())
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
            "Wrote {n} date(s) to {}",
            clean::line(&p.display().to_string())
        );
    }
    Ok(())
}

fn vcard(ctx: &Context, ids: &[String], output: Option<PathBuf>) -> Result<()> {
    let vault = ctx.open()?;
    let mut contacts = Vec::new();
    if ids.is_empty() {
        let mut all = vault.records_of(Kind::Contact)?;
        all.sort_by(|a, b| a.1.cmp(&b.1));
        contacts.extend(all.into_iter().map(|(fields, _)| fields));
    } else {
        for id in ids {
            let r = vault.show(id)?;
            if r.state.kind != Kind::Contact {
                return Err(exit::invalid(format!(
                    "{} is {} {}, not a contact: only contacts export as vCard",
                    r.id,
                    musette_core::model::article(r.state.kind),
                    r.state.kind
                )));
            }
            contacts.push(r.state.fields.into_iter().collect());
        }
    }
    let text = musette_formats::vcard::write(&contacts);
    ctx.write_out(output.as_deref(), text.as_bytes())?;
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        eprintln!(
            "Wrote {} contact{} to {}",
            contacts.len(),
            if contacts.len() == 1 { "" } else { "s" },
            clean::line(&p.display().to_string())
        );
    }
    Ok(())
}
