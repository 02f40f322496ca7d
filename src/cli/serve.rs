//! `musette serve`, `musette ticket` and `musette sync`

use std::io::Write;

use anyhow::Result;
use musette_sync::node::{Node, Ticket};
use serde::Serialize;

use super::net::{self, NetArgs};
use crate::clean;
use crate::context::Context;
use crate::exit;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    net: NetArgs,
}

#[derive(clap::Args, Debug)]
pub struct TicketArgs {
    #[command(flatten)]
    net: NetArgs,
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The device to sync with: the ticket `musette serve` printed on it [default: every device
    /// this one has synced with before, at its last known address].
    #[arg(long = "with", value_name = "TICKET")]
    with: Option<String>,
    #[command(flatten)]
    net: NetArgs,
}

#[derive(Serialize)]
struct Started<'a> {
    endpoint_id: String,
    did: &'a str,
    addrs: Vec<String>,
    ticket: &'a str,
}

fn started(node: &Node) -> (Ticket, String) {
    let ticket = node.ticket();
    let text = ticket.encode();
    (ticket, text)
}

fn hex(bytes: &[u8]) -> String {
    musette_core::crypto::hex(bytes)
}

/// Runs this vault's node until SIGINT or SIGTERM.
pub fn serve(ctx: &Context, args: ServeArgs) -> Result<()> {
    let vault = ctx.open()?;
    let dir = vault.dir().to_path_buf();
    net::block_on(async {
        let node = Node::bind(vault, &args.net.name(), &args.net.config()).await?;
        let router = node.serve();
        let (ticket, text) = started(&node);
        {
            let mut out = std::io::stdout().lock();
            if ctx.json {
                crate::clean::write_json_line(
                    &mut out,
                    &Started {
                        endpoint_id: hex(&ticket.endpoint),
                        did: &ticket.did,
                        addrs: ticket.addrs.iter().map(ToString::to_string).collect(),
                        ticket: &text,
                    },
                )?;
            } else {
                writeln!(
                    out,
                    "Serving {} (stop with Ctrl-C). Your other devices sync with:\n\n    musette sync --with {text}\n",
                    clean::line(&dir.display().to_string())
                )?;
            }
            out.flush()?;
        }
        let mut events = node.take_events();
        loop {
            tokio::select! {
                _ = net::stopped() => break,
                Some(event) = async { match events.as_mut() { Some(e) => e.recv().await, None => None } } => {
                    match event {
                        Ok(o) => eprintln!(
                            "musette: synced with {}: {} record(s) sent, {} received",
                            o.peer.map(|p| clean::line(&p.name).into_owned()).unwrap_or_default(),
                            o.records_sent,
                            o.records_received
                        ),
                        Err(why) => eprintln!("musette: refused or failed a sync: {}", clean::line(&why)),
                    }
                }
            }
        }
        router.shutdown().await.ok();
        Ok(())
    })
}

/// Prints this vault's ticket (without addresses: `serve` prints one that has them).
pub fn ticket(ctx: &Context, args: TicketArgs) -> Result<()> {
    let vault = ctx.open()?;
    net::block_on(async {
        let node = Node::bind(vault, &args.net.name(), &args.net.config()).await?;
        let (ticket, text) = started(&node);
        node.close().await;
        if ctx.json {
            ctx.print_json(&serde_json::json!({ "ticket": text, "endpoint_id": hex(&ticket.endpoint), "did": ticket.did }))
        } else {
            println!("{text}");
            Ok(())
        }
    })
}

#[derive(Serialize)]
struct Synced {
    peer: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    too_large: Vec<String>,
    records_sent: usize,
    records_received: usize,
    forgotten: usize,
    bytes_sent: usize,
    bytes_received: usize,
    ms: u64,
}

/// Syncs with the device a ticket names, or with every device synced before.
pub fn sync(ctx: &Context, args: SyncArgs) -> Result<()> {
    let given = match &args.with {
        Some(t) => Some(Ticket::decode(t).map_err(|e| exit::invalid(e.to_string()))?),
        None => None,
    };
    let vault = ctx.open()?;
    let targets: Vec<(String, Ticket)> = match given {
        Some(t) => vec![(String::new(), t)],
        None => {
            let did = vault.owner()?.did().to_string();
            let known = musette_sync::devices::known(&vault)?;
            let targets: Vec<(String, Ticket)> = known
                .into_iter()
                .filter_map(|k| {
                    let endpoint: [u8; 32] = data_encoding::HEXLOWER
                        .decode(k.endpoint.as_bytes())
                        .ok()?
                        .try_into()
                        .ok()?;
                    let addrs = k.addrs.iter().filter_map(|a| a.parse().ok()).collect();
                    Some((
                        k.name,
                        Ticket {
                            did: did.clone(),
                            endpoint,
                            addrs,
                        },
                    ))
                })
                .collect();
            if targets.is_empty() {
                return Err(exit::invalid(
                    "this device has not synced with any other yet: give one with --with TICKET (the ticket `musette serve` prints on it)",
                ));
            }
            targets
        }
    };
    net::block_on(async {
        let node = Node::bind(vault, &args.net.name(), &args.net.config()).await?;
        let mut results = Vec::new();
        for (name, ticket) in &targets {
            results.push((name.clone(), node.sync_with(ticket).await));
        }
        node.close().await;
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        for (_, r) in &results {
            if let Ok(o) = r {
                for id in &o.too_large {
                    eprintln!(
                        "musette: warning: record {id} was not sent: with its attachments it is over 64 MiB, more than one sync message holds"
                    );
                }
            }
        }
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|(name, r)| match r {
                Ok(o) => serde_json::to_value(Synced {
                    too_large: o.too_large.clone(),
                    peer: o
                        .peer
                        .as_ref()
                        .map_or_else(|| name.clone(), |p| p.name.clone()),
                    records_sent: o.records_sent,
                    records_received: o.records_received,
                    forgotten: o.forgotten,
                    bytes_sent: o.bytes_sent,
                    bytes_received: o.bytes_received,
                    ms: o.ms,
                })
                .unwrap_or_default(),
                Err(e) => serde_json::json!({ "peer": name, "error": e.to_string() }),
            })
            .collect();
        if ctx.json {
            ctx.print_json(&rows)?;
        } else {
            for (name, r) in &results {
                match r {
                    Ok(o) => println!(
                        "Synced with {}: {} record(s) sent, {} received, {} forgotten ({} bytes out, {} in, {} ms).",
                        clean::line(o.peer.as_ref().map_or(name.as_str(), |p| p.name.as_str())),
                        o.records_sent,
                        o.records_received,
                        o.forgotten,
                        o.bytes_sent,
                        o.bytes_received,
                        o.ms
                    ),
                    Err(e) => eprintln!(
                        "musette: {}: {}",
                        clean::line(name),
                        clean::line(&e.to_string())
                    ),
                }
            }
        }
        if failed == 0 {
            Ok(())
        } else if targets.len() == 1 {
            match results.into_iter().next().map(|(_, r)| r) {
                Some(Err(e)) => Err(e.into()),
                _ => Ok(()),
            }
        } else {
            Err(exit::network(format!(
                "{failed} of {} device(s) could not be synced: see above",
                targets.len()
            )))
        }
    })
}
