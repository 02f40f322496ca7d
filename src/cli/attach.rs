//! `musette attach`, `musette detach` and `musette get`

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use crate::context::Context;
use crate::{clean, exit, progress};

#[derive(clap::Args, Debug)]
pub struct AttachArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// The file to attach.
    file: PathBuf,
    /// The attachment's name [default: the file's name].
    #[arg(long)]
    name: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct DetachArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// The attachment's name.
    name: String,
}

#[derive(clap::Args, Debug)]
pub struct GetArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// The attachment's name.
    name: String,
    /// Where to write it; `-` for stdout.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

pub fn attach(ctx: &Context, args: AttachArgs) -> Result<()> {
    let name = match args.name {
        Some(n) => n,
        None => args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                exit::invalid(crate::say::t(
                    "cli-no-file-name",
                    &[("path", &args.file.display().to_string())],
                ))
            })?,
    };
    musette_core::validate_attachment_name(&name)?;
    let mut file = File::open(&args.file).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-cannot-open",
            &[
                ("path", &args.file.display().to_string()),
                ("why", &e.to_string()),
            ],
        ))
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(exit::invalid(crate::say::t(
            "cli-attach-folder",
            &[("path", &args.file.display().to_string())],
        )));
    }
    let mut vault = ctx.open()?;
    let bar = progress::bytes(len, &crate::say::t("cli-progress-attaching", &[]));
    let info = vault.attach(&args.id, &name, &mut file, &mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let id = vault.resolve(&args.id)?;
    if ctx.json {
        ctx.print_json(
            &json!({ "id": id, "name": info.name, "size": info.size, "sha256": info.sha256 }),
        )?;
    } else {
        println!(
            "{}",
            crate::say::t(
                "cli-attached",
                &[
                    ("name", &clean::line(&info.name)),
                    ("size", &super::show::human_size(info.size)),
                    ("id", &id),
                ],
            )
        );
    }
    Ok(())
}

pub fn detach(ctx: &Context, args: DetachArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let info = vault.detach(&args.id, &args.name)?;
    let id = vault.resolve(&args.id)?;
    if ctx.json {
        ctx.print_json(&json!({ "id": id, "name": info.name, "detached": true }))?;
    } else {
        println!(
            "{}",
            crate::say::t(
                "cli-detached",
                &[("name", &clean::line(&info.name)), ("id", &id)]
            )
        );
    }
    Ok(())
}

pub fn get(ctx: &Context, args: GetArgs) -> Result<()> {
    let vault = ctx.open()?;
    if args.output.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        vault.read_attachment(&args.id, &args.name, &mut out, &mut |_| {})?;
        return Ok(());
    }
    // A file is written beside the target and renamed once the content checked out, so a
    // damaged attachment never leaves a file that looks whole.
    let mut sink = crate::output::Sink::create(&args.output, ".musette-get-")?;
    let info = {
        let mut w = BufWriter::new(sink.file_mut());
        let bar = progress::bytes(0, &crate::say::t("cli-progress-extracting", &[]));
        let info = vault.read_attachment(&args.id, &args.name, &mut w, &mut |n| {
            bar.set_length(n.max(bar.length().unwrap_or(0)));
            bar.set_position(n)
        })?;
        bar.finish_and_clear();
        w.flush()?;
        info
    };
    sink.finish(&args.output)?;
    if ctx.json {
        ctx.print_json(&json!({ "name": info.name, "size": info.size, "sha256": info.sha256, "output": args.output }))?;
    } else {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-wrote",
                &[
                    ("name", &clean::line(&info.name)),
                    ("size", &super::show::human_size(info.size)),
                    ("path", &clean::line(&args.output.display().to_string())),
                ],
            )
        );
    }
    Ok(())
}
