//! `musette recommend request|sign|accept`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use serde_json::{Value, json};

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Subcommand, Debug)]
pub enum RecommendCommand {
    /// Write a recommendation, signed by you, for a peer to co-sign.
    Request {
        /// The recommendation's id (or a unique prefix of at least 6 characters).
        id: String,
        /// Where to write the request [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Co-sign a recommendation someone sent you, with your own key.
    Sign {
        /// The request file; `-` for stdin.
        request: PathBuf,
        /// Where to write the co-signed recommendation [default: stdout].
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Sign without showing the text and asking.
        #[arg(long)]
        yes: bool,
    },
    /// Store a co-signed recommendation after checking it.
    Accept {
        /// The co-signed file; `-` for stdin.
        signed: PathBuf,
    },
}

fn read_json(ctx: &Context, path: &std::path::Path) -> Result<Value> {
    let bytes = ctx.read_in(path)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        exit::invalid(format!(
            "{} is not a recommendation: it is not valid JSON ({e})",
            path.display()
        ))
    })
}

pub fn run(ctx: &Context, cmd: RecommendCommand) -> Result<()> {
    match cmd {
        RecommendCommand::Request { id, output } => {
            let mut vault = ctx.open()?;
            let doc = vault.recommend_request(&id)?;
            let mut bytes = Vec::new();
            clean::write_json(&mut bytes, &doc)?;
            bytes.push(b'\n');
            ctx.write_out(output.as_deref(), &bytes)?;
            if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
                eprintln!(
                    "Wrote the recommendation to {}: send it to the co-signer",
                    clean::line(&p.display().to_string())
                );
            }
            Ok(())
        }
        RecommendCommand::Sign {
            request,
            output,
            yes,
        } => {
            let doc = read_json(ctx, &request)?;
            let vault = ctx.open()?;
            // Check it before showing it, so nobody is asked to sign a forged request.
            let names = vault.contact_names().unwrap_or_default();
            let report = musette_core::credential::verify_document(&doc, &names)?;
            if !yes {
                if ctx.no_input || !std::io::stdin().is_terminal() {
                    return Err(exit::invalid(
                        "there is no terminal to confirm the signature: read the request, then sign with --yes",
                    ));
                }
                let subject = doc.get("credentialSubject").cloned().unwrap_or(Value::Null);
                let text = subject.get("text").and_then(Value::as_str).unwrap_or("");
                let author = subject
                    .get("author")
                    .and_then(Value::as_str)
                    .unwrap_or("(no author)");
                let issuer = report
                    .issuer_name
                    .clone()
                    .or(report.issuer.clone())
                    .unwrap_or_default();
                // All of it from the request, which anyone may have written: cleaned.
                eprintln!(
                    "Recommendation from {}, written by {}:\n\n{}\n",
                    clean::line(&issuer),
                    clean::line(author),
                    clean::block(text)
                );
                eprint!("Sign it with your key? [y/N] ");
                std::io::stderr().flush()?;
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer)?;
                if !matches!(answer.trim(), "y" | "Y" | "yes") {
                    return Err(exit::invalid("not confirmed: nothing was signed"));
                }
            }
            let signed = vault.cosign(&doc)?;
            let mut bytes = Vec::new();
            clean::write_json(&mut bytes, &signed)?;
            bytes.push(b'\n');
            ctx.write_out(output.as_deref(), &bytes)?;
            if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
                eprintln!(
                    "Signed; send {} back to its owner",
                    clean::line(&p.display().to_string())
                );
            }
            Ok(())
        }
        RecommendCommand::Accept { signed } => {
            let doc = read_json(ctx, &signed)?;
            let mut vault = ctx.open()?;
            let accepted = vault.accept_cosigned(&doc)?;
            let names = vault.contact_names().unwrap_or_default();
            if ctx.json {
                return ctx.print_json(
                    &json!({ "id": accepted.id, "new_signers": accepted.new_signers }),
                );
            }
            if accepted.new_signers.is_empty() {
                println!(
                    "Nothing new: {} already had these signatures",
                    clean::line(&accepted.id)
                );
            }
            for did in &accepted.new_signers {
                let name = names
                    .get(did)
                    .map(|n| format!("{} ", clean::line(n)))
                    .unwrap_or_default();
                println!(
                    "Added the signature of {name}{} to {}",
                    clean::line(did),
                    clean::line(&accepted.id)
                );
            }
            Ok(())
        }
    }
}
