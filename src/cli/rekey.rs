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
    let bar = progress::items(0, "re-keying");
    // The new recovery key is shown, and flushed, before the new keys are committed: if it
    // cannot be shown, nothing changes.
    vault.rekey(
        passphrase,
        new,
        kdf,
        &mut |n, all| {
            bar.set_length(all as u64);
            bar.set_position(n as u64);
        },
        &mut |done| {
            bar.finish_and_clear();
            show(ctx, done, new.is_some()).map_err(|source| musette_core::Error::Io {
                context: "cannot show the new recovery key, so the keys were not changed".into(),
                source,
            })
        },
    )?;
    Ok(())
}

pub(crate) fn show(ctx: &Context, done: &Rekeyed, passphrase_changed: bool) -> std::io::Result<()> {
    let shown = done.recovery.display();
    let mut out = std::io::stdout().lock();
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
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
        let pass = if passphrase_changed {
            "The passphrase is the new one."
        } else {
            "The passphrase is unchanged."
        };
        writeln!(
            out,
            "New keys: {} record keys rewrapped under a new master key; {} session(s) ended. {pass}",
            done.records, done.sessions
        )?;
        if done.removed > 0 {
            writeln!(
                out,
                "{} row(s) that belonged to no record (put in the file outside musette) were removed.",
                done.removed
            )?;
        }
        writeln!(
            out,
            "The old recovery key no longer opens this vault. The new one (shown only now;\n\
             write it down and keep it offline):\n\n    {}\n",
            &*shown
        )?;
    }
    out.flush()
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (mut vault, passphrase) = ctx.open_keeping_passphrase()?;
    let new = match &args.new_passphrase_file {
        Some(path) => Some(secret::from_file(path, "new passphrase")?),
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
