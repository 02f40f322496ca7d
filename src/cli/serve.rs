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
    /// The device to sync with: the ticket `musette serve` or `musette ticket` printed on it.
    #[arg(long = "with", value_name = "TICKET")]
    with: String,
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
    records_sent: usize,
    records_received: usize,
    forgotten: usize,
    bytes_sent: usize,
    bytes_received: usize,
    ms: u64,
}

/// Syncs with the device a ticket names.
pub fn sync(ctx: &Context, args: SyncArgs) -> Result<()> {
    let ticket = Ticket::decode(&args.with).map_err(|e| exit::invalid(e.to_string()))?;
    let vault = ctx.open()?;
    net::block_on(async {
        let node = Node::bind(vault, &args.net.name(), &args.net.config()).await?;
        let result = node.sync_with(&ticket).await;
        node.close().await;
        let o = result?;
        let peer = o.peer.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        if ctx.json {
            ctx.print_json(&vec![Synced {
                peer,
                records_sent: o.records_sent,
                records_received: o.records_received,
                forgotten: o.forgotten,
                bytes_sent: o.bytes_sent,
                bytes_received: o.bytes_received,
                ms: o.ms,
            }])
        } else {
            println!(
                "Synced with {}: {} record(s) sent, {} received, {} forgotten ({} bytes out, {} in, {} ms).",
                clean::line(&peer),
                o.records_sent,
                o.records_received,
                o.forgotten,
                o.bytes_sent,
                o.bytes_received,
                o.ms
            );
            Ok(())
        }
    })
}
