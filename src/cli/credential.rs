//! `musette credential issue` and `musette present`

use std::path::PathBuf;

use anyhow::Result;

use musette_core::proof::SigningSuite;

use crate::clean;
use crate::context::Context;

#[derive(clap::Subcommand, Debug)]
pub enum CredentialCommand {
    /// Turn a record into a Verifiable Credential signed by you (eddsa-rdfc-2022 by default).
    Issue(IssueArgs),
}

#[derive(clap::Args, Debug)]
pub struct IssueArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// Only these fields, comma-separated [default: all].
    #[arg(long, value_name = "F1,F2,…", value_delimiter = ',', value_parser = parse_field)]
    fields: Option<Vec<String>>,
    /// Write it to FILE [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Whom it is for (a name for the audit log, e.g. "Acme HR").
    #[arg(long, value_name = "NAME")]
    to: Option<String>,
    /// The cryptosuite: eddsa-rdfc-2022 (what Open Badges 3.0 verifiers and wallets check) or
    /// eddsa-jcs-2022 (for verifiers without JSON-LD).
    #[arg(long, value_name = "SUITE", default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
    suite: SigningSuite,
}

#[derive(clap::Args, Debug)]
pub struct PresentArgs {
    /// The records to put in, by id or unique prefix.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// Only these fields of each record, comma-separated [default: all].
    #[arg(long, value_name = "F1,F2,…", value_delimiter = ',', value_parser = parse_field)]
    fields: Option<Vec<String>>,
    /// Write it to FILE [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Whom it is for (a name for the audit log, e.g. "Acme HR").
    #[arg(long, value_name = "NAME")]
    to: Option<String>,
    /// The verifier's challenge (a nonce it gave you): signed into the presentation, so it
    /// cannot be replayed to another request.
    #[arg(long, value_name = "C")]
    challenge: Option<String>,
    /// The verifier's domain (e.g. jobs.example.org), signed in the same way.
    #[arg(long, value_name = "D")]
    domain: Option<String>,
    /// The cryptosuite: eddsa-rdfc-2022 (what Open Badges 3.0 verifiers and wallets check) or
    /// eddsa-jcs-2022 (for verifiers without JSON-LD).
    #[arg(long, value_name = "SUITE", default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
    suite: SigningSuite,
}

/// Parses `--suite`.
pub fn parse_suite(name: &str) -> Result<SigningSuite, String> {
    SigningSuite::from_name(name)
        .ok_or_else(|| crate::say::t("cli-suite", &[("name", &format!("{name:?}"))]))
}

/// One name of `--fields`: not empty (`--fields ""` or `a,,b` name no field).
pub fn parse_field(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::say::t("cli-fields-empty", &[]));
    }
    Ok(name.to_string())
}

/// Checks a challenge or domain: 1 to 512 characters, no control characters.
pub fn option_text(what: &str, v: Option<&str>) -> Result<()> {
    match v {
        Some(t) if t.is_empty() || t.chars().count() > 512 || t.chars().any(char::is_control) => {
            Err(crate::exit::invalid(crate::say::t(
                "cli-option-text",
                &[("what", what)],
            )))
        }
        _ => Ok(()),
    }
}

/// Checks a recipient's name for the audit log.
fn recipient(to: Option<&str>) -> Result<Option<String>> {
    match to {
        None => Ok(None),
        Some(t)
            if t.trim().is_empty()
                || t.chars().count() > 200
                || t.chars()
                    .any(|c| c.is_control() || musette_core::is_invisible(c)) =>
        {
            Err(crate::exit::invalid(crate::say::t("cli-option-to", &[])))
        }
        Some(t) => Ok(Some(t.trim().to_string())),
    }
}

/// Notes in the audit log what left the vault, for whom.
fn log_given(
    vault: &mut musette_core::Vault,
    ids: &[String],
    fields: Option<&[String]>,
    to: Option<String>,
    what: &str,
) -> Result<()> {
    let events = ids
        .iter()
        .map(|id| musette_sync::peers::Event {
            event: format!("given-{what}"),
            peer: to.clone(),
            record: vault.resolve(id).ok(),
            fields: fields.map(<[String]>::to_vec).unwrap_or_default(),
            ..Default::default()
        })
        .collect();
    musette_sync::peers::audit_all(vault, events)?;
    Ok(())
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
        eprintln!(
            "{}",
            crate::say::t(
                if what == "the signed presentation" {
                    "cli-wrote-presentation"
                } else {
                    "cli-wrote-credential"
                },
                &[("path", &clean::line(&p.display().to_string()))],
            )
        );
    }
    Ok(())
}

pub fn run(ctx: &Context, cmd: CredentialCommand) -> Result<()> {
    match cmd {
        CredentialCommand::Issue(args) => {
            let to = recipient(args.to.as_deref())?;
            let mut vault = ctx.open()?;
            let doc = vault.issue_credential_with(&args.id, args.fields.as_deref(), args.suite)?;
            write_json(ctx, args.output.as_deref(), &doc, "the signed credential")?;
            log_given(
                &mut vault,
                std::slice::from_ref(&args.id),
                args.fields.as_deref(),
                to,
                "credential",
            )
        }
    }
}

pub fn present(ctx: &Context, args: PresentArgs) -> Result<()> {
    let to = recipient(args.to.as_deref())?;
    option_text("challenge", args.challenge.as_deref())?;
    option_text("domain", args.domain.as_deref())?;
    let mut vault = ctx.open()?;
    let doc = vault.present_for(
        &args.ids,
        args.fields.as_deref(),
        args.challenge.as_deref(),
        args.domain.as_deref(),
        args.suite,
    )?;
    write_json(ctx, args.output.as_deref(), &doc, "the signed presentation")?;
    log_given(
        &mut vault,
        &args.ids,
        args.fields.as_deref(),
        to,
        "presentation",
    )
}
