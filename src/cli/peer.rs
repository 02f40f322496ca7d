//! `musette peer add|list|remove` and `musette guild create|add|remove|list|delete`

use std::io::Write;

use anyhow::Result;
use musette_sync::node::Ticket;
use musette_sync::peers;
use serde::Serialize;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Subcommand, Debug)]
pub enum PeerCommand {
    /// Add a peer (an employer, a colleague) from the ticket it gave you (`musette ticket` or
    /// `musette serve` prints it); again with a newer ticket, update its address.
    Add {
        /// A short name for the peer, e.g. acme.
        name: String,
        /// Its ticket (musette1…).
        ticket: String,
    },
    /// List known peers.
    List,
    /// Forget a peer: its connections are refused from now on, and it leaves every guild.
    Remove {
        /// The peer's name.
        name: String,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum GuildCommand {
    /// Make a named group of peers; sharing with it shares with each member.
    Create {
        /// The guild's name.
        name: String,
    },
    /// Add a peer to a guild: it receives the guild's shares at its next sync.
    Add {
        /// The guild.
        guild: String,
        /// The peer.
        peer: String,
    },
    /// Take a peer out of a guild: the guild's shares are revoked for it at its next sync.
    Remove {
        /// The guild.
        guild: String,
        /// The peer.
        peer: String,
    },
    /// List guilds and their members.
    List,
    /// Delete a guild: its shares are revoked for every member at their next sync.
    Delete {
        /// The guild.
        name: String,
    },
}

#[derive(Serialize)]
struct PeerRow<'a> {
    name: &'a str,
    did: &'a str,
    endpoint_id: &'a str,
    addrs: &'a [String],
    guilds: Vec<&'a str>,
    added: String,
    last_sync: Option<String>,
    /// Removed, to be told at its next sync that what it holds is revoked.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    leaving: bool,
}

pub fn peer(ctx: &Context, cmd: PeerCommand) -> Result<()> {
    match cmd {
        PeerCommand::Add { name, ticket } => {
            let ticket = Ticket::decode(&ticket).map_err(|e| {
                exit::invalid(crate::say::t(
                    "cli-peer-bad-ticket",
                    &[("why", &crate::say::net_error(&e))],
                ))
            })?;
            let mut vault = ctx.open()?;
            let added = peers::add_peer(&mut vault, &name, &ticket)?;
            if ctx.json {
                return ctx.print_json(
                    &serde_json::json!({ "name": name, "did": ticket.did, "status": added }),
                );
            }
            match added {
                peers::Added::Added => println!(
                    "{}",
                    crate::say::t(
                        "cli-peer-added",
                        &[
                            ("name", &clean::line(&name)),
                            ("did", &clean::line(&ticket.did)),
                            ("word", &clean::shell_word(&name)),
                        ],
                    )
                ),
                peers::Added::Updated => {
                    println!(
                        "{}",
                        crate::say::t("cli-peer-updated", &[("name", &clean::line(&name))])
                    )
                }
            }
            Ok(())
        }
        PeerCommand::List => {
            let vault = ctx.open()?;
            let all = peers::peers(&vault)?;
            let leaving = peers::leaving(&vault)?;
            let guilds = peers::guilds(&vault)?;
            let rows: Vec<PeerRow> = all
                .iter()
                .map(|p| (p, false))
                .chain(leaving.iter().map(|p| (p, true)))
                .map(|(p, leaving)| PeerRow {
                    leaving,
                    name: &p.name,
                    did: &p.did,
                    endpoint_id: &p.endpoint,
                    addrs: &p.addrs,
                    guilds: guilds
                        .iter()
                        .filter(|g| g.members.contains(&p.did))
                        .map(|g| g.name.as_str())
                        .collect(),
                    added: musette_sync::share::rfc3339(p.added),
                    last_sync: p.last_sync.map(musette_sync::share::rfc3339),
                })
                .collect();
            if ctx.json {
                return ctx.print_json(&rows);
            }
            if rows.is_empty() {
                eprintln!("{}", crate::say::t("cli-no-peers", &[]));
            }
            let mut out = std::io::stdout().lock();
            for r in &rows {
                writeln!(
                    out,
                    "{:<16} {}  {}{}",
                    clean::line(r.name),
                    clean::line(r.did),
                    crate::say::t(
                        "cli-peer-last-sync",
                        &[(
                            "when",
                            &r.last_sync.as_deref().map_or_else(
                                || crate::say::t("cli-peer-never", &[]),
                                crate::clock::local
                            )
                        )],
                    ),
                    if r.leaving {
                        format!("  {}", crate::say::t("cli-peer-leaving", &[]))
                    } else if r.guilds.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "  {}",
                            crate::say::t(
                                "cli-peer-guilds",
                                &[("guilds", &clean::line(&r.guilds.join(", ")))],
                            )
                        )
                    }
                )?;
            }
            Ok(())
        }
        PeerCommand::Remove { name } => {
            let mut vault = ctx.open()?;
            let p = peers::remove_peer(&mut vault, &name)?;
            let leaving = peers::leaving_by_did(&vault, &p.did)?.is_some();
            if ctx.json {
                return ctx.print_json(
                    &serde_json::json!({ "removed": p.name, "did": p.did, "told_at_next_sync": leaving }),
                );
            }
            println!(
                "{}",
                crate::say::t(
                    if leaving {
                        "cli-peer-removed-leaving"
                    } else {
                        "cli-peer-removed"
                    },
                    &[("name", &clean::line(&p.name))]
                )
            );
            Ok(())
        }
    }
}

/// A guild as `guild list --json` shows it: its name and members (name and did).
fn guild_row(
    g: &peers::Guild,
    names: &std::collections::HashMap<String, String>,
) -> serde_json::Value {
    let members: Vec<serde_json::Value> = g
        .members
        .iter()
        .map(|d| serde_json::json!({ "name": names.get(d), "did": d }))
        .collect();
    serde_json::json!({ "name": g.name, "members": members })
}

pub fn guild(ctx: &Context, cmd: GuildCommand) -> Result<()> {
    let mut vault = ctx.open()?;
    // The guild a change touched, and whether it was deleted, for --json.
    let touched = match &cmd {
        GuildCommand::Create { name } | GuildCommand::Delete { name } => Some(name.clone()),
        GuildCommand::Add { guild, .. } | GuildCommand::Remove { guild, .. } => Some(guild.clone()),
        GuildCommand::List => None,
    };
    let deleted = matches!(cmd, GuildCommand::Delete { .. });
    let said = match cmd {
        GuildCommand::Create { name } => {
            peers::create_guild(&mut vault, &name)?;
            crate::say::t("cli-guild-created", &[("name", &clean::line(&name))])
        }
        GuildCommand::Delete { name } => {
            peers::delete_guild(&mut vault, &name)?;
            crate::say::t("cli-guild-deleted", &[("name", &clean::line(&name))])
        }
        GuildCommand::Add { guild, peer } => {
            let changed = peers::guild_member(&mut vault, &guild, &peer, true)?;
            if changed {
                crate::say::t(
                    "cli-guild-joined",
                    &[
                        ("peer", &clean::line(&peer)),
                        ("guild", &clean::line(&guild)),
                    ],
                )
            } else {
                crate::say::t(
                    "cli-guild-already",
                    &[
                        ("peer", &clean::line(&peer)),
                        ("guild", &clean::line(&guild)),
                    ],
                )
            }
        }
        GuildCommand::Remove { guild, peer } => {
            if peers::guild_member(&mut vault, &guild, &peer, false)? {
                crate::say::t(
                    "cli-guild-left",
                    &[
                        ("peer", &clean::line(&peer)),
                        ("guild", &clean::line(&guild)),
                    ],
                )
            } else {
                return Err(exit::invalid(crate::say::t(
                    "cli-guild-not-member",
                    &[
                        ("peer", &clean::line(&peer)),
                        ("guild", &clean::line(&guild)),
                    ],
                )));
            }
        }
        GuildCommand::List => {
            let names = musette_sync::share::peer_names(&vault)?;
            let rows: Vec<serde_json::Value> = peers::guilds(&vault)?
                .iter()
                .map(|g| guild_row(g, &names))
                .collect();
            if ctx.json {
                return ctx.print_json(&rows);
            }
            if rows.is_empty() {
                eprintln!("{}", crate::say::t("cli-no-guilds", &[]));
            }
            let mut out = std::io::stdout().lock();
            for g in peers::guilds(&vault)? {
                let members: Vec<String> = g
                    .members
                    .iter()
                    .map(|d| names.get(d).cloned().unwrap_or_else(|| d.clone()))
                    .collect();
                let members = if members.is_empty() {
                    crate::say::t("cli-guild-no-members", &[("name", &clean::line(&g.name))])
                } else {
                    clean::line(&members.join(", ")).into_owned()
                };
                writeln!(out, "{:<16} {members}", clean::line(&g.name))?;
            }
            return Ok(());
        }
    };
    if ctx.json {
        // The guild as it is now (as `guild list` shows it), or that it was deleted.
        let name = touched.unwrap_or_default();
        if deleted {
            return ctx.print_json(&serde_json::json!({ "name": name, "deleted": true }));
        }
        let names = musette_sync::share::peer_names(&vault)?;
        let row = peers::guilds(&vault)?
            .iter()
            .find(|g| g.name == name)
            .map(|g| guild_row(g, &names))
            .unwrap_or_else(|| serde_json::json!({ "name": name }));
        ctx.print_json(&row)
    } else {
        println!("{said}");
        Ok(())
    }
}
