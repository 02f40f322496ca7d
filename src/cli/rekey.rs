//! `musette rekey` (and `passwd --rekey`): a new master key, a new recovery key, every session
//! ended.

use anyhow::Result;
use musette_core::{KdfParams, Vault};

use crate::context::Context;
use crate::{progress, secret};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Also set a new passphrase, read from this file instead of keeping the current one.
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<std::path::PathBuf>,
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
    let done = vault.rekey(passphrase, new, kdf, &mut |n, all| {
        bar.set_length(all as u64);
        bar.set_position(n as u64);
    })?;
    bar.finish_and_clear();
    let shown = done.recovery.display();
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            rekeyed: bool,
            records: usize,
            sessions_ended: usize,
            passphrase_changed: bool,
            recovery_key: &'a str,
        }
        ctx.print_json(&Out {
            rekeyed: true,
            records: done.records,
            sessions_ended: done.sessions,
            passphrase_changed: new.is_some(),
            recovery_key: &shown,
        })?;
    } else {
        let pass = if new.is_some() {
            "The passphrase is the new one."
        } else {
            "The passphrase is unchanged."
        };
        println!(
            "New keys: {} record keys rewrapped under a new master key; {} session(s) ended. {pass}",
            done.records, done.sessions
        );
        println!("The old recovery key no longer opens this vault. The new one (shown only now;");
        println!("write it down and keep it offline):");
        println!();
        println!("    {}", &*shown);
        println!();
    }
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (mut vault, passphrase) = ctx.open_keeping_passphrase()?;
    let new = match &args.new_passphrase_file {
        Some(path) => Some(secret::from_file(path, "new passphrase")?),
        None => None,
    };
    rekey_with(
        ctx,
        &mut vault,
        &passphrase,
        new.as_deref().map(|v| &v[..]),
        None,
    )
}
