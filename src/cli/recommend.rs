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
        #[arg(short, long, value_name = "FILE", conflicts_with = "to")]
        output: Option<PathBuf>,
        /// Send it to these peers at the next sync instead of writing a file.
        #[arg(long, value_name = "PEER", num_args = 1..)]
        to: Vec<String>,
    },
    /// List the co-signing requests peers sent you, and yours to them.
    Requests,
    /// Co-sign a recommendation someone sent you, with your own key.
    Sign {
        /// The request: its id in `musette recommend requests`, or a file (`-` for stdin).
        request: String,
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
        exit::invalid(crate::say::t(
            "cli-recommend-not-json",
            &[
                ("path", &path.display().to_string()),
                ("why", &e.to_string()),
            ],
        ))
    })
}

pub fn run(ctx: &Context, cmd: RecommendCommand) -> Result<()> {
    match cmd {
        RecommendCommand::Request { id, output, to } if !to.is_empty() => {
            let _ = output;
            let mut vault = ctx.open()?;
            let peers: Vec<musette_sync::peers::Peer> = to
                .iter()
                .map(|n| musette_sync::peers::peer_named(&vault, n))
                .collect::<Result<_, _>>()?;
            let mut queued = Vec::new();
            for p in &peers {
                let req = musette_sync::cosign::request(&mut vault, &id, &p.did, &p.name)?;
                queued.push(json!({ "peer": p.name, "request": req }));
            }
            if ctx.json {
                return ctx.print_json(&queued);
            }
            for p in &peers {
                println!(
                    "{}",
                    crate::say::t("cli-request-queued", &[("name", &clean::line(&p.name))])
                );
            }
            Ok(())
        }
        RecommendCommand::Requests => requests(ctx),
        RecommendCommand::Request { id, output, .. } => {
            let mut vault = ctx.open()?;
            let doc = vault.recommend_request(&id)?;
            let mut bytes = Vec::new();
            clean::write_json(&mut bytes, &doc)?;
            bytes.push(b'\n');
            ctx.write_out(output.as_deref(), &bytes)?;
            let record = vault.resolve(&id)?;
            file_event(&mut vault, "cosign-requested", Some(record), None)?;
            if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
                eprintln!(
                    "{}",
                    crate::say::t(
                        "cli-recommend-wrote",
                        &[("path", &clean::line(&p.display().to_string()))],
                    )
                );
            }
            Ok(())
        }
        RecommendCommand::Sign {
            request,
            output,
            yes,
        } => {
            let path = PathBuf::from(&request);
            let (doc, vault, incoming) = if request == "-" || path.exists() {
                (read_json(ctx, &path)?, ctx.open()?, None)
            } else {
                let vault = ctx.open()?;
                let found =
                    musette_sync::cosign::find_incoming(&vault, &request)?.ok_or_else(|| {
                        exit::invalid(crate::say::t(
                            "cli-recommend-no-request",
                            &[("request", &clean::line(&request))],
                        ))
                    })?;
                let doc: Value = serde_json::from_str(&found.credential)
                    .map_err(|_| exit::invalid(crate::say::t("cli-request-not-json", &[])))?;
                (doc, vault, Some(found))
            };
            // Check it before showing it, so nobody is asked to sign a forged request.
            let names = crate::cli::contacts(&vault);
            let report = musette_core::credential::verify_document(&doc, &names)?;
            // Nobody is asked to read what could not be signed anyway.
            vault.check_cosign_request(&doc)?;
            if !yes {
                if ctx.no_input || !std::io::stdin().is_terminal() {
                    return Err(exit::invalid(crate::say::t("cli-sign-no-terminal", &[])));
                }
                let said = musette_core::vocab::from_credential(&doc)
                    .map(|(_, f)| f)
                    .unwrap_or_default();
                let text = said.get("text").and_then(Value::as_str).unwrap_or("");
                let author = said
                    .get("author")
                    .and_then(Value::as_str)
                    .map_or_else(|| crate::say::t("cli-no-author", &[]), str::to_string);
                // Who asks: a contact's name when the did is a contact's, else the did and,
                // quoted, the name the request gives itself (anyone can write any name).
                let did = report.issuer.clone().unwrap_or_default();
                let issuer = match (names.get(&did), &report.issuer_name) {
                    (Some(contact), _) => crate::say::t(
                        "cli-sign-from-contact",
                        &[("name", &clean::line(contact)), ("did", &clean::line(&did))],
                    ),
                    (None, Some(named)) => crate::say::t(
                        "cli-sign-from-named",
                        &[
                            ("did", &clean::line(&did)),
                            ("name", &format!("{:?}", clean::line(named))),
                        ],
                    ),
                    (None, None) => {
                        crate::say::t("cli-sign-from-unknown", &[("did", &clean::line(&did))])
                    }
                };
                // All of it from the request, which anyone may have written: cleaned.
                eprintln!(
                    "{}\n\n{}\n",
                    crate::say::t(
                        "cli-sign-recommendation",
                        &[("issuer", &issuer), ("author", &clean::line(&author))],
                    ),
                    clean::block(text)
                );
                eprint!("{} ", crate::say::t("cli-sign-ask", &[]));
                std::io::stderr().flush()?;
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer)?;
                if !crate::say::yes(&answer) {
                    return Err(exit::invalid(crate::say::t(
                        "cli-not-confirmed-signed",
                        &[],
                    )));
                }
            }
            if let Some(found) = incoming {
                let mut vault = vault;
                let signed = musette_sync::cosign::sign(&mut vault, &found.id)?;
                if ctx.json {
                    return ctx.print_json(&signed);
                }
                println!("{}", crate::say::t("cli-signed-queued", &[]));
                return Ok(());
            }
            let signed = vault.cosign(&doc)?;
            let mut bytes = Vec::new();
            clean::write_json(&mut bytes, &signed)?;
            bytes.push(b'\n');
            ctx.write_out(output.as_deref(), &bytes)?;
            let (asker, _) = musette_core::credential::party(&doc, "issuer");
            let mut vault = vault;
            file_event(&mut vault, "cosigned", None, asker)?;
            if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
                eprintln!(
                    "{}",
                    crate::say::t(
                        "cli-signed-send-back",
                        &[("path", &clean::line(&p.display().to_string()))],
                    )
                );
            }
            Ok(())
        }
        RecommendCommand::Accept { signed } => {
            let doc = read_json(ctx, &signed)?;
            let mut vault = ctx.open()?;
            let accepted = vault.accept_cosigned(&doc)?;
            for signer in &accepted.new_signers {
                file_event(
                    &mut vault,
                    "cosign-received",
                    Some(accepted.id.clone()),
                    Some(signer.clone()),
                )?;
            }
            let names = crate::cli::contacts(&vault);
            if ctx.json {
                return ctx.print_json(
                    &json!({ "id": accepted.id, "new_signers": accepted.new_signers }),
                );
            }
            if accepted.new_signers.is_empty() {
                println!(
                    "{}",
                    crate::say::t(
                        "cli-accept-nothing-new",
                        &[("id", &clean::line(&accepted.id))],
                    )
                );
            }
            for did in &accepted.new_signers {
                let name = names
                    .get(did)
                    .map(|n| format!("{} ", clean::line(n)))
                    .unwrap_or_default();
                println!(
                    "{}",
                    crate::say::t(
                        "cli-accept-added",
                        &[
                            ("name", &name),
                            ("did", &clean::line(did)),
                            ("id", &clean::line(&accepted.id)),
                        ],
                    )
                );
            }
            Ok(())
        }
    }
}

fn requests(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let names = musette_sync::share::peer_names(&vault)?;
    let name = |did: &str| names.get(did).cloned().unwrap_or_else(|| did.to_string());
    let incoming = musette_sync::cosign::incoming_requests(&vault)?;
    let outgoing = musette_sync::cosign::outgoing_requests(&vault)?;
    let text = |credential: &str| -> String {
        serde_json::from_str::<Value>(credential)
            .ok()
            .and_then(|d| musette_core::vocab::from_credential(&d))
            .and_then(|(_, f)| f.get("text").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    };
    if ctx.json {
        let rows: Vec<Value> = incoming
            .iter()
            .map(|i| json!({ "id": i.id, "direction": "in", "from": name(&i.from), "did": i.from, "state": i.state, "text": text(&i.credential) }))
            .chain(outgoing.iter().map(|o| json!({ "id": o.id, "direction": "out", "to": name(&o.to), "did": o.to, "record": o.record, "state": o.state })))
            .collect();
        return ctx.print_json(&rows);
    }
    let mut out = std::io::stdout().lock();
    for i in &incoming {
        let t = text(&i.credential);
        let first: String = t.lines().next().unwrap_or("").chars().take(60).collect();
        writeln!(
            out,
            "{}  {:<4} {:<16} {:<9} {}",
            &i.id[..12],
            crate::say::t("cli-requests-from", &[]),
            clean::line(&name(&i.from)),
            i.state,
            clean::line(&first)
        )?;
    }
    for o in &outgoing {
        writeln!(
            out,
            "{}  {:<4} {:<16} {:<9} {}",
            &o.id[..12],
            crate::say::t("cli-requests-to", &[]),
            clean::line(&name(&o.to)),
            o.state,
            crate::say::t("cli-requests-record", &[("id", &o.record)])
        )?;
    }
    if incoming.is_empty() && outgoing.is_empty() {
        eprintln!("{}", crate::say::t("cli-no-requests", &[]));
    }
    Ok(())
}

/// Notes in the audit log a co-signing step done with files (the network path logs its own).
fn file_event(
    vault: &mut musette_core::Vault,
    event: &str,
    record: Option<String>,
    did: Option<String>,
) -> Result<()> {
    musette_sync::peers::audit(
        vault,
        musette_sync::peers::Event {
            event: event.to_string(),
            record,
            did,
            detail: Some("by file".to_string()),
            ..Default::default()
        },
    )?;
    Ok(())
}
