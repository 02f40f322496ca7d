//! `musette credential issue` and `musette present`

use std::path::PathBuf;

use anyhow::Result;

use crate::clean;
use crate::context::Context;

#[derive(clap::Subcommand, Debug)]
pub enum CredentialCommand {
    /// Turn a record into a Verifiable Credential signed by you (eddsa-jcs-2022).
    Issue(IssueArgs),
}

#[derive(clap::Args, Debug)]
pub struct IssueArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// Only these fields, comma-separated [default: all].
    #[arg(long, value_name = "F1,F2,…", value_delimiter = ',')]
    fields: Option<Vec<String>>,
    /// Write it to FILE [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct PresentArgs {
    /// The records to put in, by id or unique prefix.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// Only these fields of each record, comma-separated [default: all].
    #[arg(long, value_name = "F1,F2,…", value_delimiter = ',')]
    fields: Option<Vec<String>>,
    /// Write it to FILE [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn write_json(
    ctx: &Context,
    path: Option<&std::path::Path>,
    doc: &serde_json::Value,
    what: &str,
) -> Result<()> {
    let mut bytes = Vec::new();
    clean::write_json(&mut bytes, doc)?;
    bytes.push(b'\n');
    ctx.write_out(path, &bytes)?;
    if let Some(p) = path.filter(|p| p.as_os_str() != "-") {
        eprintln!("Wrote {what} to {}", clean::line(&p.display().to_string()));
    }
    Ok(())
}

pub fn run(ctx: &Context, cmd: CredentialCommand) -> Result<()> {
    match cmd {
        CredentialCommand::Issue(args) => {
            let vault = ctx.open()?;
            let doc = vault.issue_credential(&args.id, args.fields.as_deref())?;
            write_json(ctx, args.output.as_deref(), &doc, "the signed credential")
        }
    }
}

pub fn present(ctx: &Context, args: PresentArgs) -> Result<()> {
    let vault = ctx.open()?;
    let doc = vault.present(&args.ids, args.fields.as_deref())?;
    write_json(ctx, args.output.as_deref(), &doc, "the signed presentation")
}
