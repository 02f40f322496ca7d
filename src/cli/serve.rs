//! `musette serve`, `musette ticket` and `musette sync`

use std::io::Write;

use anyhow::Result;
use musette_sync::node::{NetError, Node, Ticket};
use musette_sync::session::{NewKeys, SyncError};
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
    /// The peer or device to sync with, as with --with: `musette sync acme`.
    #[arg(value_name = "PEER|DEVICE|TICKET", conflicts_with = "with")]
    target: Option<String>,
    /// The peer or device to sync with: a peer's name, a device's name, or a ticket `musette
    /// serve` printed [default: every device this one has synced with and every peer].
    #[arg(long = "with", value_name = "PEER|DEVICE|TICKET")]
    with: Option<String>,
    /// Take the new keys another of your devices offers after it removed a device, without
    /// asking (they are asked for on a terminal otherwise).
    #[arg(long)]
    accept_new_keys: bool,
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
    let _keys = ctx.keys_in_use()?;
    let mut vault = ctx.open()?;
    let dir = vault.dir().to_path_buf();
    let _serving = musette_sync::node::ServeLock::take(&dir)?;
    let name = args.net.name_for(&mut vault)?;
    net::block_on(async {
        let node = Node::bind(vault, &name, &args.net.config()?).await?;
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
                    "{}\n\n    musette sync --with {text}\n",
                    crate::say::t(
                        "cli-serving",
                        &[("path", &clean::line(&dir.display().to_string()))],
                    )
                )?;
            }
            out.flush()?;
        }
        let mut events = node.take_events();
        let mut peer_events = node.take_peer_events();
        loop {
            tokio::select! {
                _ = net::stopped() => break,
                Some(event) = async { match peer_events.as_mut() { Some(e) => e.recv().await, None => None } } => {
                    match event {
                        Ok(o) => {
                            let name = node
                                .vault()
                                .lock()
                                .ok()
                                .and_then(|v| musette_sync::peers::peer_by_did(&v, &o.did).ok().flatten())
                                .map_or_else(|| o.did.clone(), |p| p.name);
                            eprintln!(
                                "{}",
                                crate::say::t(
                                    "cli-served-peer",
                                    &[
                                        ("name", &clean::line(&name)),
                                        ("sent", &peer_sent(&o)),
                                        ("received", &peer_received(&o)),
                                    ],
                                )
                            );
                        }
                        Err(why) => eprintln!(
                            "{}",
                            crate::say::t("cli-served-peer-failed", &[("why", &clean::line(&why))])
                        ),
                    }
                }
                Some(event) = async { match events.as_mut() { Some(e) => e.recv().await, None => None } } => {
                    match event {
                        Ok(o) => {
                            eprintln!(
                                "{}",
                                crate::say::t(
                                    "cli-served-device",
                                    &[
                                        ("name", &o.peer.map(|p| clean::line(&p.name).into_owned()).unwrap_or_default()),
                                        ("sent", &o.records_sent.to_string()),
                                        ("received", &o.records_received.to_string()),
                                    ],
                                )
                            );
                            for why in &o.left_out {
                                eprintln!(
                                    "{}",
                                    crate::say::t("cli-sync-left-out", &[("why", &clean::line(why))])
                                );
                            }
                        }
                        Err(why) => eprintln!(
                            "{}",
                            crate::say::t("cli-served-device-failed", &[("why", &clean::line(&why))])
                        ),
                    }
                }
            }
        }
        router.shutdown().await.ok();
        Ok(())
    })
}

/// Prints this vault's ticket (with an address only for a fixed `--bind`: `serve` prints one
/// that has them).
pub fn ticket(ctx: &Context, args: TicketArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let name = args.net.name_for(&mut vault)?;
    let mut cfg = args.net.config()?;
    // A fixed `--bind ADDR:PORT` is where `serve` listens (or will): this short-lived endpoint
    // binds beside it, on another port, so the ticket can be made while `serve` runs, and the
    // ticket names that port.
    let fixed = cfg.bind.filter(|a| a.port() != 0);
    if let Some(a) = fixed {
        cfg.bind = Some(std::net::SocketAddr::new(a.ip(), 0));
    }
    net::block_on(async {
        let node = Node::bind(vault, &name, &cfg)
            .await
            .map_err(|e| match (e, fixed) {
                // Said of the address given.
                (musette_sync::node::NetError::Address { why, .. }, Some(a)) => {
                    musette_sync::node::NetError::Address {
                        addr: a.to_string(),
                        why,
                    }
                }
                (e, _) => e,
            })?;
        let mut ticket = node.ticket();
        match fixed {
            // Its own addresses stop answering when it closes: only the fixed one goes in.
            Some(a) if !a.ip().is_unspecified() => ticket.addrs = vec![a],
            Some(a) => ticket.addrs.iter_mut().for_each(|t| t.set_port(a.port())),
            None => ticket.addrs.clear(),
        }
        let text = ticket.encode();
        node.close().await;
        if ticket.addrs.is_empty() && !cfg.relay {
            eprintln!(
                "{}",
                crate::say::t(
                    "cli-warning",
                    &[("what", &crate::say::t("cli-ticket-no-address", &[]))]
                )
            );
        }
        if ctx.json {
            ctx.print_json(&serde_json::json!({ "ticket": text, "endpoint_id": hex(&ticket.endpoint), "did": ticket.did }))
        } else {
            println!("{text}");
            Ok(())
        }
    })
}

/// What an exchange with a peer sent, by kind.
fn peer_sent(o: &musette_sync::peer_session::PeerOutcome) -> String {
    let shares = o
        .records_sent
        .saturating_sub(o.revoked_sent + o.cosign_requests_sent + o.cosigned_sent);
    peer_counts(
        shares,
        o.revoked_sent,
        o.cosign_requests_sent,
        o.cosigned_sent,
    )
}

/// What an exchange with a peer received, by kind.
fn peer_received(o: &musette_sync::peer_session::PeerOutcome) -> String {
    peer_counts(o.records_received, o.revoked, o.cosign_requests, o.cosigned)
}

fn peer_counts(shares: usize, revocations: usize, requests: usize, cosigned: usize) -> String {
    crate::say::t(
        "cli-peer-counts",
        &[
            ("shares", &shares.to_string()),
            ("revocations", &revocations.to_string()),
            ("requests", &requests.to_string()),
            ("cosigned", &cosigned.to_string()),
        ],
    )
}

#[derive(Serialize)]
struct Synced {
    peer: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    too_large: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    damaged: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    left_out: Vec<String>,
    records_sent: usize,
    records_received: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    forgotten: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked_sent: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosign_requests_sent: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosigned_sent: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosign_requests: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosigned: Option<usize>,
    bytes_sent: usize,
    bytes_received: usize,
    ms: u64,
}

use musette_sync::reach::Reach as Target;

fn targets(vault: &musette_core::Vault, with: Option<&str>, relays: bool) -> Result<Vec<Target>> {
    let did = vault.owner()?.did().to_string();
    let Some(with) = with else {
        let everyone = musette_sync::reach::everyone(vault, relays)?;
        for name in &everyone.waiting {
            eprintln!(
                "{}",
                crate::say::t("cli-waiting-keys", &[("name", &clean::line(name))])
            );
        }
        for name in &everyone.no_address {
            eprintln!(
                "{}",
                crate::say::t("cli-sync-no-address", &[("name", &clean::line(name))])
            );
        }
        // Nobody at all is a mistake to say; devices left out (named above) are not.
        if everyone.reach.is_empty()
            && everyone.waiting.is_empty()
            && everyone.no_address.is_empty()
        {
            return Err(exit::invalid(crate::say::t("cli-sync-nobody", &[])));
        }
        return Ok(everyone.reach);
    };
    let devices = musette_sync::devices::known(vault)?;
    let peers = musette_sync::peers::peers(vault)?;
    if with.trim().starts_with("musettejoin1") {
        return Err(exit::invalid(crate::say::t("cli-sync-invitation", &[])));
    }
    if with.trim().starts_with("musette1") {
        let t = Ticket::decode(with)?;
        if t.did == did {
            return Ok(vec![Target::Device(String::new(), t)]);
        }
        return match peers.into_iter().find(|p| p.did == t.did) {
            Some(p) => Ok(vec![Target::Peer(p.name, t)]),
            None => Err(exit::invalid(crate::say::t("cli-sync-unknown-ticket", &[]))),
        };
    }
    if let Some(p) = peers.into_iter().find(|p| p.name == with) {
        let t = p.ticket().ok_or_else(|| {
            exit::invalid(crate::say::t("cli-sync-peer-address", &[("name", with)]))
        })?;
        return Ok(vec![Target::Peer(p.name, t)]);
    }
    let found: Vec<Target> = devices
        .into_iter()
        .filter(|k| k.name == with || (with.len() >= 6 && k.id.starts_with(with)))
        .filter_map(|k| musette_sync::reach::device(&did, k))
        .collect();
    if found.len() == 1 {
        return Ok(found);
    }
    Err(exit::invalid(crate::say::t(
        "cli-sync-unknown",
        &[(
            "name",
            &clean::line(&with.chars().take(64).collect::<String>()),
        )],
    )))
}

/// What one target's sync gave.
enum Done {
    Device(musette_sync::session::Outcome),
    Peer(musette_sync::peer_session::PeerOutcome),
}

/// Syncs with the devices and peers this vault knows, or the one named.
pub fn sync(ctx: &Context, mut args: SyncArgs) -> Result<()> {
    args.with = args.with.take().or(args.target.take());
    if let Some(w) = &args.with
        && w.trim().starts_with("musette1")
    {
        Ticket::decode(w)?;
    }
    let mut vault = ctx.open()?;
    let net_config = args.net.config()?;
    let targets = targets(&vault, args.with.as_deref(), net_config.relay)?;
    let name = args.net.name_for(&mut vault)?;
    net::block_on(async {
        let mut node = Node::bind(vault, &name, &net_config).await?;
        let mut results: Vec<Outcome> = Vec::new();
        let mut new_recovery: Option<(usize, String)> = None;
        for t in &targets {
            let other = crate::say::t("cli-other-device", &[]);
            let bar = crate::progress::spinner(&crate::say::t(
                "cli-progress-syncing",
                &[(
                    "name",
                    &clean::line(if t.name().is_empty() {
                        &other
                    } else {
                        t.name()
                    }),
                )],
            ));
            let mut recovery = None;
            let (r, english) = match t {
                Target::Device(name, ticket) => {
                    let mut r = node.sync_device(ticket, name).await;
                    if let Err(NetError::Sync(SyncError::NewKeys(k))) = &mut r {
                        bar.finish_and_clear();
                        let keys = std::mem::replace(
                            k,
                            NewKeys {
                                keys: Default::default(),
                                removed: Vec::new(),
                            },
                        );
                        recovery = take_keys(ctx, &node, name, keys, args.accept_new_keys)?;
                        node.reissue()?;
                        r = node.sync_device(ticket, name).await;
                    }
                    // What `--json` says: the failure in English, whatever the language.
                    let english = r.as_ref().err().map(ToString::to_string);
                    (r.map(Done::Device).map_err(anyhow::Error::from), english)
                }
                Target::Peer(name, ticket) => {
                    let r = node.sync_peer(ticket, name).await;
                    let english = r
                        .as_ref()
                        .err()
                        .map(|e| peer_said(musette_web::i18n::Lang::En, name, e));
                    (r.map(Done::Peer).map_err(|e| peer_error(name, &e)), english)
                }
            };
            bar.finish_and_clear();
            results.push((
                t.name().to_string(),
                matches!(t, Target::Peer(..)),
                r,
                english,
            ));
            if let Some(key) = recovery {
                new_recovery = Some((results.len() - 1, key));
            }
        }
        node.close().await;
        let failed = results.iter().filter(|(_, _, r, _)| r.is_err()).count();
        for (_, _, r, _) in &results {
            if let Ok(Done::Device(o)) = r {
                for id in &o.too_large {
                    eprintln!("{}", crate::say::t("cli-sync-too-large", &[("id", id)]));
                }
                for id in &o.damaged {
                    eprintln!("{}", crate::say::t("cli-sync-damaged", &[("id", id)]));
                }
                for why in &o.left_out {
                    eprintln!(
                        "{}",
                        crate::say::t("cli-sync-left-out", &[("why", &clean::line(why))])
                    );
                }
            }
        }
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|(name, is_peer, r, english)| match r {
                Ok(Done::Device(o)) => serde_json::to_value(Synced {
                    too_large: o.too_large.clone(),
                    damaged: o.damaged.clone(),
                    left_out: o.left_out.clone(),
                    peer: o
                        .peer
                        .as_ref()
                        .map_or_else(|| name.clone(), |p| p.name.clone()),
                    kind: "device",
                    records_sent: o.records_sent,
                    records_received: o.records_received,
                    forgotten: Some(o.forgotten),
                    revoked_sent: None,
                    cosign_requests_sent: None,
                    cosigned_sent: None,
                    revoked: None,
                    cosign_requests: None,
                    cosigned: None,
                    bytes_sent: o.bytes_sent,
                    bytes_received: o.bytes_received,
                    ms: o.ms,
                })
                .unwrap_or_default(),
                Ok(Done::Peer(o)) => serde_json::to_value(Synced {
                    too_large: Vec::new(),
                    damaged: Vec::new(),
                    left_out: Vec::new(),
                    peer: name.clone(),
                    kind: "peer",
                    records_sent: o.records_sent,
                    records_received: o.records_received,
                    forgotten: None,
                    revoked_sent: Some(o.revoked_sent),
                    cosign_requests_sent: Some(o.cosign_requests_sent),
                    cosigned_sent: Some(o.cosigned_sent),
                    revoked: Some(o.revoked),
                    cosign_requests: Some(o.cosign_requests),
                    cosigned: Some(o.cosigned),
                    bytes_sent: o.bytes_sent,
                    bytes_received: o.bytes_received,
                    ms: o.ms,
                })
                .unwrap_or_default(),
                Err(e) => serde_json::json!({
                    "peer": name,
                    "kind": if *is_peer { "peer" } else { "device" },
                    "error": english.clone().unwrap_or_else(|| e.to_string()),
                }),
            })
            .collect();
        let mut rows = rows;
        if let Some((i, key)) = &new_recovery
            && let Some(row) = rows.get_mut(*i)
        {
            row["new_recovery_key"] = serde_json::Value::String(key.clone());
        }
        if ctx.json {
            ctx.print_json(&rows)?;
        } else {
            for (name, _, r, _) in &results {
                match r {
                    Ok(Done::Device(o)) => println!(
                        "{}",
                        crate::say::t(
                            "cli-synced-device",
                            &[
                                (
                                    "name",
                                    &clean::line(
                                        o.peer.as_ref().map_or(name.as_str(), |p| p.name.as_str())
                                    )
                                ),
                                ("sent", &o.records_sent.to_string()),
                                ("received", &o.records_received.to_string()),
                                ("forgotten", &o.forgotten.to_string()),
                                ("out", &o.bytes_sent.to_string()),
                                ("in", &o.bytes_received.to_string()),
                                ("ms", &o.ms.to_string()),
                            ],
                        )
                    ),
                    Ok(Done::Peer(o)) => println!(
                        "{}",
                        crate::say::t(
                            "cli-synced-peer",
                            &[
                                ("name", &clean::line(name)),
                                ("sent", &peer_sent(o)),
                                ("received", &peer_received(o)),
                                ("out", &o.bytes_sent.to_string()),
                                ("in", &o.bytes_received.to_string()),
                                ("ms", &o.ms.to_string()),
                            ],
                        )
                    ),
                    Err(e) if results.len() > 1 => eprintln!(
                        "{}",
                        crate::say::t(
                            "cli-sync-failed-with",
                            &[
                                ("name", &clean::line(name)),
                                (
                                    "why",
                                    &clean::line(
                                        &exit::localized(crate::say::lang(), e)
                                            .unwrap_or_else(|| e.to_string())
                                    )
                                ),
                            ],
                        )
                    ),
                    Err(_) => {}
                }
            }
        }
        if failed == 0 {
            Ok(())
        } else if results.len() == 1 {
            match results.into_iter().next().map(|(_, _, r, _)| r) {
                Some(Err(e)) => Err(e),
                _ => Ok(()),
            }
        } else {
            Err(exit::network(crate::say::t(
                "cli-sync-some-failed",
                &[
                    ("failed", &failed.to_string()),
                    ("all", &results.len().to_string()),
                ],
            )))
        }
    })
}

/// Takes the new keys another device offers (asking first, unless `accept`), with this
/// device's passphrase, and shows the new recovery key.
fn take_keys(
    ctx: &Context,
    node: &Node,
    from: &str,
    keys: NewKeys,
    accept: bool,
) -> Result<Option<String>> {
    let removed: Vec<&str> = keys.removed.iter().map(|(_, n)| n.as_str()).collect();
    let other = crate::say::t("cli-other-device", &[]);
    let from = if from.is_empty() { &other } else { from };
    eprintln!(
        "{}",
        crate::say::t(
            if removed.is_empty() {
                "cli-keys-offered-rekey"
            } else {
                "cli-keys-offered"
            },
            &[
                ("from", &clean::line(from)),
                ("removed", &clean::line(&removed.join(", "))),
            ],
        )
    );
    // Not while a `serve` or the web app keeps the old keys in another process.
    let _changing = ctx.keys_may_change()?;
    if !accept {
        if !crate::secret::can_prompt(ctx) {
            return Err(exit::invalid(crate::say::t("cli-keys-how", &[])));
        }
        eprint!("{} ", crate::say::t("cli-keys-ask", &[]));
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !crate::say::yes(&answer) {
            return Err(exit::invalid(crate::say::t("cli-keys-not-confirmed", &[])));
        }
    }
    let passphrase = crate::secret::passphrase(ctx)?;
    let device_keys = musette_core::replica::DeviceKeys::from_bytes(&keys.keys)?;
    let vault = node.vault();
    let mut v = vault
        .lock()
        .map_err(|_| exit::invalid(crate::say::t("cli-lock-poisoned", &[])))?;
    let mut shown = None;
    v.adopt_keys(&passphrase, &device_keys, &mut |_, _| {}, &mut |done| {
        if ctx.json {
            // Given in this device's row of the JSON output.
            shown = Some(done.recovery.display().to_string());
            return Ok(());
        }
        super::rekey::show(ctx, done, false, None).map_err(|source| musette_core::Error::Io {
            context: musette_core::msg!(crate::say::CLI, "cli-rekey-cannot-show"),
            source,
        })
    })?;
    musette_sync::devices::removed_elsewhere(&mut v, &keys.removed)?;
    Ok(shown)
}

/// One sync's outcome: the name it was asked by, whether it is a peer, what came of it, and its
/// failure in English for `--json`.
type Outcome = (String, bool, Result<Done, anyhow::Error>, Option<String>);

/// A peer's failure, said for people, with exit code 6.
fn peer_error(name: &str, e: &musette_sync::node::NetError) -> anyhow::Error {
    exit::network(peer_said(crate::say::lang(), name, e))
}

/// A peer's failure in `lang`.
fn peer_said(
    lang: musette_web::i18n::Lang,
    name: &str,
    e: &musette_sync::node::NetError,
) -> String {
    use musette_sync::node::NetError;
    use musette_sync::session::SyncError;
    let name = clean::line(name).into_owned();
    match e {
        NetError::Sync(SyncError::Refused(why)) => {
            let said = musette_sync::said::refusal(why).say(lang);
            crate::say::t_in(
                lang,
                if why.contains("peer add") {
                    "cli-peer-refused"
                } else {
                    "cli-peer-refused-add"
                },
                &[("name", &name), ("why", &said)],
            )
        }
        NetError::Unreachable { why, .. } => crate::say::t_in(
            lang,
            "cli-peer-unreachable",
            &[("name", &name), ("why", why)],
        ),
        other => crate::say::t_in(
            lang,
            "cli-peer-sync-failed",
            &[
                ("name", &name),
                ("why", &musette_sync::said::net_error(other).say(lang)),
            ],
        ),
    }
}
