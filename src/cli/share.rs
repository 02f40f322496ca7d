//! `musette share`, `shares`, `unshare`, `received` and `audit`, and `show`, `history` and
//! `verify` of a received item.

use std::io::Write;

use anyhow::Result;
use musette_sync::share::{self, Received};
use musette_sync::{peers, share::rfc3339};
use serde::Serialize;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct ShareArgs {
    /// The records to share (ids, or unique prefixes of at least 6 characters).
    #[arg(required = true)]
    ids: Vec<String>,
    /// The peer or guild to share with.
    #[arg(long = "with", value_name = "PEER|GUILD")]
    with: String,
    /// Only these fields, comma-separated (e.g. title,organization,start) [default: every field the
    /// record has now].
    #[arg(long, value_name = "F1,F2", value_delimiter = ',', value_parser = super::credential::parse_field)]
    fields: Option<Vec<String>>,
}

#[derive(clap::Args, Debug)]
pub struct SharesArgs {
    /// Revoked shares too.
    #[arg(long)]
    all: bool,
}

#[derive(clap::Args, Debug)]
pub struct UnshareArgs {
    /// The record.
    id: String,
    /// The peer or guild to stop sharing with.
    #[arg(long = "from", value_name = "PEER|GUILD")]
    from: String,
}

#[derive(clap::Args, Debug)]
pub struct ReceivedArgs {
    /// Forget this received item (its id, or 6 characters of it or more). The sender is not
    /// told; if it still shares it, it comes again at the next sync.
    #[arg(long, value_name = "ID")]
    forget: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Only the last N entries.
    #[arg(long, value_name = "N")]
    last: Option<usize>,
}

pub fn share(ctx: &Context, args: ShareArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let (target, name) = share::target_named(&vault, &args.with)?;
    // Check every record and its fields first, so a mistake in one shares none.
    let ids: Vec<String> = args
        .ids
        .iter()
        .map(|id| share::chosen(&vault, id, args.fields.as_deref()).map(|(r, _)| r.id))
        .collect::<Result<_, _>>()?;
    // All in one write: thousands of records cost in proportion, and all or none are shared.
    let done = share::share_many(&mut vault, &ids, &target, args.fields.as_deref())?;
    if ctx.json {
        return ctx.print_json(&done);
    }
    for d in &done {
        let (name, fields) = (
            clean::line(&name).into_owned(),
            clean::line(&d.fields.join(", ")).into_owned(),
        );
        let args = [
            ("id", d.record.as_str()),
            ("to", name.as_str()),
            ("fields", fields.as_str()),
        ];
        println!(
            "{}",
            crate::say::t(
                if d.unchanged {
                    "cli-share-unchanged"
                } else if d.updated {
                    "cli-share-updated"
                } else {
                    "cli-shared"
                },
                &args
            )
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct ShareRow {
    id: String,
    record: String,
    title: String,
    with: String,
    fields: Vec<String>,
    created: String,
    version: u64,
    revoked: bool,
    received_by: Vec<String>,
    /// Peers it reaches at the next sync: 0 once its peer is removed or its guild is empty.
    recipients: usize,
    #[serde(skip)]
    guild: bool,
}

pub fn shares(ctx: &Context, args: SharesArgs) -> Result<()> {
    let vault = ctx.open()?;
    let names = share::peer_names(&vault)?;
    let guilds = musette_sync::peers::guilds(&vault)?;
    let rows: Vec<ShareRow> = share::shares(&vault)?
        .into_iter()
        .filter(|s| args.all || !s.revoked)
        .map(|s| ShareRow {
            recipients: share::recipients(&s.target, &names, &guilds),
            guild: matches!(s.target, share::Target::Guild(_)),
            title: vault.show(&s.record).map(|r| r.title).unwrap_or_default(),
            with: share::target_name(&vault, &s.target),
            received_by: s
                .sent
                .iter()
                .filter(|x| x.seq == s.seq)
                .map(|x| names.get(&x.did).cloned().unwrap_or_else(|| x.did.clone()))
                .collect(),
            id: s.id,
            record: s.record,
            fields: s.fields,
            created: rfc3339(s.created),
            version: s.seq,
            revoked: s.revoked,
        })
        .collect();
    if ctx.json {
        return ctx.print_json(&rows);
    }
    if rows.is_empty() {
        eprintln!("{}", crate::say::t("cli-nothing-shared", &[]));
    }
    let mut out = std::io::stdout().lock();
    for r in &rows {
        let state = if r.revoked {
            crate::say::t("cli-shares-revoked", &[])
        } else if vault.show(&r.record).map_or(true, |rec| rec.state.deleted) {
            crate::say::t("cli-shares-record-removed", &[])
        } else if r.recipients == 0 {
            crate::say::t(
                if r.guild {
                    "cli-shares-guild-empty"
                } else {
                    "cli-shares-peer-gone"
                },
                &[],
            )
        } else if r.received_by.is_empty() {
            crate::say::t("cli-shares-not-sent", &[])
        } else {
            crate::say::t(
                "cli-shares-received-by",
                &[("who", &clean::line(&r.received_by.join(", ")))],
            )
        };
        writeln!(
            out,
            "{}  {:<24} {} {:<16} {}  {state}",
            r.record,
            clean::line(&r.title),
            crate::say::t("cli-shares-with", &[]),
            clean::line(&match r.with.strip_prefix("guild ") {
                Some(g) if r.guild => crate::say::t("cli-shares-guild", &[("name", g)]),
                _ => r.with.clone(),
            }),
            clean::line(&r.fields.join(",")),
        )?;
    }
    Ok(())
}

pub fn unshare(ctx: &Context, args: UnshareArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let (target, name) = share::target_named(&vault, &args.from)?;
    let s = share::unshare(&mut vault, &args.id, &target)?;
    if ctx.json {
        return ctx.print_json(
            &serde_json::json!({ "record": s.record, "share": s.id, "revoked": true }),
        );
    }
    println!(
        "{}",
        crate::say::t(
            "cli-unshared",
            &[("id", &s.record), ("to", &clean::line(&name))],
        )
    );
    Ok(())
}

pub fn received(ctx: &Context, args: ReceivedArgs) -> Result<()> {
    if let Some(id) = &args.forget {
        let mut vault = ctx.open()?;
        if let Some(k) = vault.forget_kept(id)? {
            if ctx.json {
                return ctx.print_json(&serde_json::json!({ "forgotten": k.id }));
            }
            println!(
                "{}",
                crate::say::t(
                    "cli-forgot-received",
                    &[("kind", &k.kind), ("id", &k.id[..12])],
                )
            );
            return Ok(());
        }
        let r = share::forget_received(&mut vault, id)?;
        if ctx.json {
            return ctx.print_json(&serde_json::json!({ "forgotten": r.id }));
        }
        println!(
            "{}",
            crate::say::t("cli-forgot-received-item", &[("id", &r.id)])
        );
        return Ok(());
    }
    let vault = ctx.open()?;
    let names = share::peer_names(&vault)?;
    let views: Vec<share::View> = share::received(&vault)?
        .iter()
        .map(|r| r.view(&names))
        .collect();
    // Credentials and presentations imported from files, named from the contacts.
    let contacts = crate::cli::contacts(&vault);
    let kept = vault.kept_received()?;
    let from_of = |k: &musette_core::kept::Kept| {
        k.from
            .as_ref()
            .and_then(|d| contacts.get(d))
            .cloned()
            .or(k.from_name.clone())
            .or(k.from.clone())
            .unwrap_or_default()
    };
    if ctx.json {
        let mut rows: Vec<serde_json::Value> = views
            .iter()
            .map(|v| {
                let mut row = serde_json::to_value(v).unwrap_or_default();
                row["source"] = "peer".into();
                row
            })
            .collect();
        rows.extend(kept.iter().map(|k| {
            serde_json::json!({
                "id": k.id, "source": "file", "kind": k.kind, "types": k.types,
                "title": k.title, "from": from_of(k), "did": k.from, "kept": k.kept,
                "outcome": k.outcome, "verified": k.outcome == "verified", "revoked": false,
            })
        }));
        return ctx.print_json(&rows);
    }
    if views.is_empty() && kept.is_empty() {
        eprintln!("{}", crate::say::t("cli-nothing-received", &[]));
    }
    let mut out = std::io::stdout().lock();
    for v in &views {
        let fields: Vec<&str> = v.fields.keys().map(String::as_str).collect();
        writeln!(
            out,
            "{}  {:<12} {:<28} {} {:<16} {}{}{}",
            &v.id[..12],
            clean::line(&crate::say::kind_named(&v.kind)),
            clean::line(&v.title),
            crate::say::t("cli-requests-from", &[]),
            clean::line(&v.from),
            clean::line(&fields.join(",")),
            if v.revoked {
                format!("  {}", crate::say::t("cli-received-revoked", &[]))
            } else {
                String::new()
            },
            if v.verified {
                String::new()
            } else {
                format!("  {}", crate::say::t("cli-received-signature-fails", &[]))
            }
        )?;
    }
    for k in &kept {
        let kind = k
            .types
            .iter()
            .find(|t| !t.starts_with("Verifiable"))
            .cloned()
            .unwrap_or_else(|| k.kind.clone());
        writeln!(
            out,
            "{}  {:<12} {:<28} {} {:<16} {}{}",
            &k.id[..12],
            clean::line(&kind),
            clean::line(k.title.as_deref().unwrap_or("")),
            crate::say::t("cli-requests-from", &[]),
            clean::line(&from_of(k)),
            crate::say::t(
                "cli-received-file-kept",
                &[("when", &crate::clock::local(&k.kept))],
            ),
            match k.outcome.as_str() {
                "verified" => String::new(),
                "failed" => format!("  {}", crate::say::t("cli-received-signature-fails", &[])),
                "not_valid_now" =>
                    format!("  {}", crate::say::t("cli-received-not-valid-now", &[])),
                _ => format!("  {}", crate::say::t("cli-received-unchecked", &[])),
            }
        )?;
    }
    Ok(())
}

/// The received item `id` names, if it names one and no record. An id of hex digits that
/// names neither is said to be neither (exit 4), with where to look.
pub fn find(vault: &musette_core::Vault, id: &str) -> Result<Option<Received>> {
    let missing = match vault.resolve(id) {
        Ok(_) => return Ok(None),
        Err(musette_core::Error::NoSuchRecord(_)) => true,
        // Not a record id at all (hex digits 0, 1, 8 and 9 are not in record ids).
        Err(_) => id.chars().any(|c| matches!(c, '0' | '1' | '8' | '9')),
    };
    if let Some(r) = share::find_received(vault, id)? {
        return Ok(Some(r));
    }
    let t = id.trim();
    if missing && !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(exit::not_found(crate::say::t(
            "cli-no-record-nor-received",
            &[("id", &clean::line(t))],
        )));
    }
    Ok(None)
}

/// `show` of a received item.
pub fn show(ctx: &Context, vault: &musette_core::Vault, r: &Received) -> Result<()> {
    let v = r.view(&share::peer_names(vault)?);
    if ctx.json {
        return ctx.print_json(&v);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}{}",
        crate::say::t(
            "cli-received-heading",
            &[
                ("kind", &clean::line(&crate::say::kind_named(&v.kind))),
                ("id", &v.id),
                ("from", &clean::line(&v.from)),
                ("did", &clean::line(&v.did)),
            ],
        ),
        if v.revoked {
            format!(" - {}", crate::say::t("cli-received-revoked-heading", &[]))
        } else {
            String::new()
        }
    )?;
    let width = v
        .fields
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    for (k, val) in &v.fields {
        let text = match val {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let text = clean::block(&text);
        let mut lines = text.lines();
        writeln!(
            out,
            "  {:<width$}  {}",
            clean::line(k),
            lines.next().unwrap_or("")
        )?;
        for l in lines {
            writeln!(out, "  {:<width$}  {l}", "")?;
        }
    }
    let label = |id: &str| crate::say::t(id, &[]);
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-received-version"),
        v.version
    )?;
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-received-signed"),
        crate::clock::local(&v.issued)
    )?;
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-received-received"),
        crate::clock::local(&v.received)
    )?;
    writeln!(
        out,
        "  {:<width$}  {}",
        label("cli-received-verified"),
        label(if v.verified {
            "cli-received-holds"
        } else {
            "cli-received-does-not-hold"
        })
    )?;
    Ok(())
}

/// `history` of a received item: its own history, from the share on.
pub fn history(ctx: &Context, r: &Received) -> Result<()> {
    let h = r.history();
    if ctx.json {
        let rows: Vec<serde_json::Value> = h
            .iter()
            .map(|(time, fields)| serde_json::json!({ "time": time, "fields": fields }))
            .collect();
        return ctx.print_json(&rows);
    }
    let mut out = std::io::stdout().lock();
    for (time, fields) in &h {
        writeln!(
            out,
            "{}  {}",
            clean::line(&crate::clock::local(time)),
            clean::line(&fields.join(", "))
        )?;
    }
    Ok(())
}

/// `verify` of a received item: the sender's signature over what is held.
pub fn verify(ctx: &Context, vault: &musette_core::Vault, r: &Received) -> Result<()> {
    let v = r.view(&share::peer_names(vault)?);
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "id": v.id, "from": v.from, "did": v.did, "verified": v.verified, "revoked": v.revoked, "version": v.version,
        }))?;
    } else if v.verified {
        println!(
            "{}",
            crate::say::t(
                if v.revoked {
                    "cli-received-ok-revoked"
                } else {
                    "cli-received-ok"
                },
                &[
                    ("id", &v.id),
                    ("from", &clean::line(&v.from)),
                    ("did", &clean::line(&v.did)),
                    ("when", &crate::clock::local(&v.issued)),
                ],
            )
        );
    }
    if v.verified {
        Ok(())
    } else {
        Err(exit::damaged(crate::say::t(
            "cli-received-fails",
            &[("id", &v.id), ("did", &clean::line(&v.did))],
        )))
    }
}

pub fn audit(ctx: &Context, args: AuditArgs) -> Result<()> {
    let vault = ctx.open()?;
    let log = peers::audit_log(&vault)?;
    let skip = args.last.map_or(0, |n| log.len().saturating_sub(n));
    let rows: Vec<&peers::Event> = log.iter().skip(skip).collect();
    if ctx.json {
        // `time` as RFC 3339, and `timestamp` in seconds since the Unix epoch.
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                v["timestamp"] = e.time.into();
                v["time"] = rfc3339(e.time).into();
                v
            })
            .collect();
        return ctx.print_json(&json);
    }
    let mut out = std::io::stdout().lock();
    for e in rows {
        let who = e
            .peer
            .clone()
            .or_else(|| {
                e.guild
                    .as_ref()
                    .map(|g| crate::say::t("cli-audit-guild", &[("guild", g)]))
            })
            .or_else(|| e.did.clone())
            .unwrap_or_default();
        let mut what = Vec::new();
        // A peer joining or leaving a guild: the peer is who, the guild what.
        if let (Some(_), Some(g)) = (&e.peer, &e.guild) {
            what.push(crate::say::t("cli-audit-guild", &[("guild", g)]));
        }
        if let Some(rec) = &e.record {
            what.push(crate::say::t("cli-requests-record", &[("id", rec)]));
        }
        if let Some(s) = &e.share {
            what.push(crate::say::t(
                "cli-audit-item",
                &[("id", &s[..s.len().min(12)])],
            ));
        }
        if !e.fields.is_empty() {
            what.push(crate::say::t(
                "cli-audit-fields",
                &[("fields", &e.fields.join(","))],
            ));
        }
        if let Some(d) = &e.detail {
            what.push(d.clone());
        }
        writeln!(
            out,
            "{}  {:<16} {:<16} {}",
            crate::clock::local_unix(e.time as i64),
            clean::line(&e.event),
            clean::line(&who),
            clean::line(&what.join("; "))
        )?;
    }
    Ok(())
}
