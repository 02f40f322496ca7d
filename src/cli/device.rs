//! `musette device invite` and `musette device join`

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use musette_core::KdfParams;
use musette_sync::node::Node;
use musette_sync::pair::{self, Invite, PairEvent, Pairing};

use super::net::{self, NetArgs};
use crate::clean;
use crate::context::Context;
use crate::{exit, secret};

#[derive(clap::Subcommand, Debug)]
pub enum DeviceCommand {
    /// Print a one-time invitation for a new device, and wait for it to join. With --json, two
    /// lines of JSON: {"ticket"} at once, {"joined","synced"} when the device has joined.
    Invite(InviteArgs),
    /// On a new device: join your vault with the invitation `device invite` printed.
    Join(JoinArgs),
    /// This device and the devices it has synced with.
    List(ListArgs),
    /// Remove a device (lost, sold, no longer trusted): its certificate is revoked and the
    /// vault gets a new master key and recovery key; your other devices take the new keys at
    /// their next `musette sync` with this one, and the removed device gets nothing more.
    Remove(RemoveArgs),
}

#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The device: its name or at least 6 characters of its id (`musette device list`).
    device: String,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {}

#[derive(clap::Args, Debug)]
pub struct InviteArgs {
    /// How long to wait for the new device, e.g. 10m, 1h.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_wait)]
    timeout: Duration,
    #[command(flatten)]
    net: NetArgs,
}

#[derive(clap::Args, Debug)]
pub struct JoinArgs {
    /// The invitation (it starts with musettejoin1). Leave it out, or give `-`, to paste it when
    /// asked (or pipe it in): a secret typed on the command line stays in the shell's history.
    invitation: Option<String>,
    /// Memory for this device's passphrase KDF, in MiB (19 to 1024).
    #[arg(long, value_name = "N", default_value_t = 64)]
    kdf_memory_mib: u32,
    /// Passes of this device's passphrase KDF (2 to 64).
    #[arg(long, value_name = "N", default_value_t = 3)]
    kdf_iterations: u32,
    #[command(flatten)]
    net: NetArgs,
}

fn parse_wait(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s)
        .map_err(|e| crate::say::t("cli-duration-how", &[("why", &e.to_string())]))?;
    if d < Duration::from_secs(1) || d > Duration::from_secs(24 * 3600) {
        return Err(crate::say::t("cli-wait-range", &[]));
    }
    Ok(d)
}

pub fn run(ctx: &Context, cmd: DeviceCommand) -> Result<()> {
    match cmd {
        DeviceCommand::Invite(a) => invite(ctx, a),
        DeviceCommand::Join(a) => join(ctx, a),
        DeviceCommand::List(_) => list(ctx),
        DeviceCommand::Remove(a) => remove(ctx, a),
    }
}

fn remove(ctx: &Context, args: RemoveArgs) -> Result<()> {
    let _serving = ctx.keys_may_change()?;
    let (mut vault, passphrase) = ctx.open_keeping_passphrase()?;
    if args.device.len() >= 6 && vault.device_id().starts_with(&args.device) {
        return Err(exit::invalid(crate::say::t("cli-device-self", &[])));
    }
    let gone = musette_sync::devices::find(&vault, &args.device)?;
    let bar = crate::progress::items(0, &crate::say::t("cli-progress-rekeying", &[]));
    let waiting = musette_sync::devices::remove(
        &mut vault,
        &gone,
        &passphrase,
        &mut |n, all| {
            bar.set_length(all as u64);
            bar.set_position(n as u64);
        },
        &mut |done| {
            bar.finish_and_clear();
            let removed = super::rekey::Removed {
                id: &gone.id,
                name: &gone.name,
            };
            super::rekey::show(ctx, done, false, Some(removed)).map_err(|source| {
                musette_core::Error::Io {
                    context: musette_core::msg!(crate::say::CLI, "cli-rekey-cannot-show"),
                    source,
                }
            })
        },
    )?;
    if !ctx.json {
        println!(
            "{}",
            crate::say::t(
                "cli-device-removed",
                &[
                    ("name", &clean::line(&gone.name)),
                    ("id", &gone.id[..gone.id.len().min(12)]),
                ],
            )
        );
        if waiting.is_empty() {
            println!("{}", crate::say::t("cli-device-no-other", &[]));
        } else {
            println!(
                "{}",
                crate::say::t(
                    "cli-device-others-take-keys",
                    &[("names", &clean::line(&waiting.join(", ")))],
                )
            );
        }
    }
    Ok(())
}

fn list(ctx: &Context) -> Result<()> {
    let vault = ctx.open()?;
    let rows = musette_sync::devices::listing(&vault)?;
    if ctx.json {
        // Times as every other `--json` gives them: RFC 3339 text.
        let out = rows
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(r)?;
                v["last_sync"] = r.last_sync.map(musette_sync::share::rfc3339).into();
                Ok(v)
            })
            .collect::<serde_json::Result<Vec<_>>>()?;
        return ctx.print_json(&out);
    }
    for r in &rows {
        let when = match r.last_sync {
            _ if r.this_device => crate::say::t("cli-device-this", &[]),
            Some(t) => crate::say::t(
                "cli-device-last-synced",
                &[(
                    "when",
                    &crate::clock::local_unix(i64::try_from(t).unwrap_or(i64::MAX)),
                )],
            ),
            None => crate::say::t("cli-device-never-synced", &[]),
        };
        let status = if r.removed {
            format!("  {}", crate::say::t("cli-device-status-removed", &[]))
        } else if r.waiting_for_keys {
            format!("  {}", crate::say::t("cli-device-status-waiting", &[]))
        } else {
            String::new()
        };
        println!(
            "{}  {:<20} {when}{status}",
            &r.id[..r.id.len().min(12)],
            clean::line(&r.name)
        );
    }
    Ok(())
}

fn invite(ctx: &Context, args: InviteArgs) -> Result<()> {
    let _keys = ctx.keys_in_use()?;
    let mut vault = ctx.open()?;
    let _serving = musette_sync::node::ServeLock::take(vault.dir())?;
    let name = args.net.name_for(&mut vault)?;
    net::block_on(async {
        let node = Node::bind(vault, &name, &args.net.config()?).await?;
        let invite = Invite::new(node.ticket());
        let (pairing, mut events) = Pairing::new(node.vault(), &invite);
        let mut synced = node.take_events();
        let router = node.serve_with(Some(pairing));
        {
            let text = invite.encode();
            let mut out = std::io::stdout().lock();
            if ctx.json {
                #[derive(serde::Serialize)]
                struct Out<'a> {
                    ticket: &'a str,
                }
                crate::clean::write_json_line(&mut out, &Out { ticket: &text })?;
            } else {
                writeln!(
                    out,
                    "{}\n\n    {}\n",
                    crate::say::t(
                        "cli-invite-run",
                        &[(
                            "time",
                            &humantime::format_duration(args.timeout).to_string()
                        )],
                    ),
                    &*text
                )?;
            }
            out.flush()?;
        }
        let waited = tokio::time::timeout(args.timeout, async {
            let name = loop {
                match events.recv().await {
                    Some(PairEvent::Joined(name)) => break Ok(name),
                    Some(PairEvent::Refused) => {
                        eprintln!("{}", crate::say::t("cli-invite-refused", &[]));
                    }
                    Some(PairEvent::Withdrawn) | None => {
                        break Err(exit::locked(crate::say::t("cli-invite-withdrawn", &[])));
                    }
                }
            }?;
            // The new device syncs right after joining: wait (a minute at most) for it.
            let mut copied = false;
            if let Some(s) = synced.as_mut() {
                let _ = tokio::time::timeout(Duration::from_secs(60), async {
                    while let Some(r) = s.recv().await {
                        if r.is_ok() {
                            copied = true;
                            break;
                        }
                    }
                })
                .await;
            }
            Ok::<(String, bool), anyhow::Error>((name, copied))
        })
        .await;
        router.shutdown().await.ok();
        let (name, copied) = match waited {
            Ok(r) => r?,
            Err(_) => {
                return Err(exit::network(crate::say::t(
                    "cli-invite-expired",
                    &[(
                        "time",
                        &humantime::format_duration(args.timeout).to_string(),
                    )],
                )));
            }
        };
        if ctx.json {
            // The second line of JSON Lines, after the invitation's.
            let mut out = std::io::stdout().lock();
            crate::clean::write_json_line(
                &mut out,
                &serde_json::json!({ "joined": name, "synced": copied }),
            )?;
            out.flush()?;
            Ok(())
        } else if copied {
            println!(
                "{}",
                crate::say::t("cli-device-joined", &[("name", &clean::line(&name))])
            );
            Ok(())
        } else {
            println!(
                "{}",
                crate::say::t(
                    "cli-device-joined-not-copied",
                    &[("name", &clean::line(&name))]
                )
            );
            Ok(())
        }
    })
}

/// The invitation, pasted on the terminal (not shown) or read from stdin.
fn read_invitation(ctx: &Context) -> Result<zeroize::Zeroizing<String>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && !ctx.no_input {
        let text =
            rpassword::prompt_password(format!("{} ", crate::say::t("cli-ask-invitation", &[])))
                .map_err(|e| {
                    exit::invalid(crate::say::t(
                        "cli-terminal-read",
                        &[("why", &e.to_string())],
                    ))
                })?;
        return Ok(zeroize::Zeroizing::new(text));
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin().read_line(&mut line).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-cannot-read-invitation",
            &[("why", &e.to_string())],
        ))
    })?;
    if line.trim().is_empty() {
        return Err(exit::invalid(crate::say::t("cli-no-invitation", &[])));
    }
    Ok(line)
}

fn join(ctx: &Context, args: JoinArgs) -> Result<()> {
    let given = match args.invitation.as_deref() {
        Some(text) if text != "-" => zeroize::Zeroizing::new(text.to_string()),
        _ => read_invitation(ctx)?,
    };
    let invitation =
        Invite::decode(&given).map_err(|e| exit::invalid(crate::say::net_error(&e)))?;
    let dir = ctx.vault_dir()?;
    if musette_core::db_path(&dir).exists() {
        return Err(musette_core::Error::AlreadyExists(dir).into());
    }
    let kdf = KdfParams {
        memory_kib: args.kdf_memory_mib.saturating_mul(1024),
        iterations: args.kdf_iterations,
        ..KdfParams::default()
    };
    kdf.validate()?;
    let passphrase = match secret::given_passphrase(ctx)? {
        Some(p) => p,
        None => secret::new_passphrase(ctx, None, "--passphrase-file")?,
    };
    let json = ctx.json;
    net::block_on(async {
        let name = args
            .net
            .given_name()
            .unwrap_or_else(musette_sync::devices::host_name);
        let vault = pair::join(
            &invitation,
            &name,
            &args.net.config()?,
            &dir,
            &passphrase,
            kdf,
            &mut |recovery, did| {
                let shown = recovery.display();
                let mut out = std::io::stdout().lock();
                let written = if json {
                    super::init::write_new_vault(&mut out, &dir, did, &shown)
                } else {
                    write!(
                        out,
                        "{}\n{}\n\n{}\n\n    {}\n\n",
                        crate::say::t("cli-device-holds", &[("path", &dir.display().to_string())]),
                        crate::say::t("cli-device-identity", &[("did", did)]),
                        crate::say::t("cli-device-recovery-shown-once", &[]),
                        &*shown
                    )
                };
                written
                    .and_then(|()| out.flush())
                    .map_err(|source| musette_core::Error::Io {
                        context: musette_core::msg!(crate::say::CLI, "cli-join-cannot-show"),
                        source,
                    })
            },
        )
        .await
        .map_err(|e| match e {
            // Only a running `device invite` answers an invitation (not `serve`).
            musette_sync::node::NetError::Unreachable { why, .. } => exit::network(crate::say::t(
                "cli-join-unreachable",
                &[("why", &clean::line(&why))],
            )),
            other => other.into(),
        })?;
        let node = Node::bind(vault, &name, &args.net.config()?).await?;
        let bar = crate::progress::spinner(&crate::say::t("cli-progress-copying", &[]));
        let result = node.sync_with(&invitation.ticket).await;
        bar.finish_and_clear();
        node.close().await;
        let o = result?;
        if !json {
            println!(
                "{}",
                crate::say::t(
                    "cli-device-copied",
                    &[("n", &o.records_received.to_string())],
                )
            );
        }
        Ok(())
    })
}
