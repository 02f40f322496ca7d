//! `musette rekey` (and `passwd --rekey`): a new master key, a new recovery key, every session
//! ended.

use anyhow::Result;
use std::io::Write;

use musette_core::{KdfParams, Rekeyed, Vault};

use crate::context::Context;
use crate::{progress, secret};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Also set a new passphrase, read from this file instead of keeping the current one.
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<std::path::PathBuf>,
    #[command(flatten)]
    kdf: super::passwd::KdfArgs,
}

/// Re-keys the open vault with `passphrase` (checked again) and prints the new recovery key.
pub fn rekey_with(
    ctx: &Context,
    vault: &mut Vault,
    passphrase: &[u8],
    new: Option<&[u8]>,
    kdf: Option<KdfParams>,
) -> Result<()> {
    let bar = progress::items(0, &crate::say::t("cli-progress-rekeying", &[]));
    // The new recovery key is shown, and flushed, before the new keys are committed: if it
    // cannot be shown, nothing changes. The other devices are handed the new keys at their
    // next sync with this one.
    let waiting = musette_sync::devices::rekey(
        vault,
        passphrase,
        new,
        kdf,
        &mut |n, all| {
            bar.set_length(all as u64);
            bar.set_position(n as u64);
        },
        &mut |done| {
            bar.finish_and_clear();
            show(ctx, done, new.is_some(), None).map_err(|source| musette_core::Error::Io {
                context: musette_core::msg!(crate::say::CLI, "cli-rekey-cannot-show"),
                source,
            })
        },
    )?;
    if !ctx.json && !waiting.is_empty() {
        println!(
            "{}",
            crate::say::t(
                "cli-device-others-take-keys",
                &[("names", &crate::clean::line(&waiting.join(", ")))],
            )
        );
    }
    Ok(())
}

/// The device a `device remove` removed, as its `--json` says it.
#[derive(serde::Serialize)]
pub(crate) struct Removed<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
}

pub(crate) fn show(
    ctx: &Context,
    done: &Rekeyed,
    passphrase_changed: bool,
    removed: Option<Removed<'_>>,
) -> std::io::Result<()> {
    let shown = done.recovery.display();
    let mut out = std::io::stdout().lock();
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            removed: Option<Removed<'a>>,
            rekeyed: bool,
            records: usize,
            sessions_ended: usize,
            rows_removed: usize,
            passphrase_changed: bool,
            recovery_key: &'a str,
        }
        crate::clean::write_json(
            &mut out,
            &Out {
                removed,
                rekeyed: true,
                records: done.records,
                sessions_ended: done.sessions,
                rows_removed: done.removed,
                passphrase_changed,
                recovery_key: &shown,
            },
        )?;
        writeln!(out)?;
    } else {
        let pass = crate::say::t(
            if passphrase_changed {
                "cli-rekey-passphrase-new"
            } else {
                "cli-rekey-passphrase-same"
            },
            &[],
        );
        writeln!(
            out,
            "{} {pass}",
            crate::say::t(
                "cli-rekey-new-keys",
                &[
                    ("records", &done.records.to_string()),
                    ("sessions", &done.sessions.to_string()),
                ],
            )
        )?;
        if done.removed > 0 {
            writeln!(
                out,
                "{}",
                crate::say::n("cli-rekey-rows-removed", done.removed, &[])
            )?;
        }
        writeln!(
            out,
            "{}\n\n    {}\n",
            crate::say::t("cli-rekey-old-gone", &[]),
            &*shown
        )?;
    }
    out.flush()
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let _serving = ctx.keys_may_change()?;
    let (mut vault, passphrase) = ctx.open_keeping_passphrase()?;
    let new = match &args.new_passphrase_file {
        Some(path) => Some(secret::from_file(path, "new-passphrase")?),
        None => None,
    };
    let kdf = args.kdf.resolve(&vault)?;
    rekey_with(
        ctx,
        &mut vault,
        &passphrase,
        new.as_deref().map(|v| &v[..]),
        kdf,
    )
}
