//! `musette passwd` and `musette recover`

use std::path::PathBuf;

use anyhow::Result;
use musette_core::{KdfParams, Unlock, Vault};
use serde_json::json;

use crate::context::Context;
use crate::secret;

#[derive(clap::Args, Debug)]
pub struct PasswdArgs {
    /// Read the new passphrase from this file instead of asking.
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
    #[command(flatten)]
    kdf: KdfArgs,
    /// Also replace the vault's keys, as `musette rekey` does (a new recovery key is printed).
    #[arg(long)]
    rekey: bool,
}

/// The KDF cost of a new passphrase slot.
#[derive(clap::Args, Debug)]
pub struct KdfArgs {
    /// Memory for the passphrase KDF, in MiB (19 to 1024) [default: unchanged].
    #[arg(long, value_name = "N")]
    kdf_memory_mib: Option<u32>,
    /// Passes of the passphrase KDF (2 to 64) [default: unchanged].
    #[arg(long, value_name = "N")]
    kdf_iterations: Option<u32>,
}

impl KdfArgs {
    /// The parameters asked for, the rest as they are now; `None` when nothing was asked.
    pub fn resolve(&self, vault: &Vault) -> Result<Option<KdfParams>> {
        if self.kdf_memory_mib.is_none() && self.kdf_iterations.is_none() {
            return Ok(None);
        }
        let current = vault.current_kdf()?;
        let kdf = KdfParams {
            memory_kib: self
                .kdf_memory_mib
                .map_or(current.memory_kib, |m| m.saturating_mul(1024)),
            iterations: self.kdf_iterations.unwrap_or(current.iterations),
            ..current
        };
        kdf.validate()?;
        Ok(Some(kdf))
    }
}

#[derive(clap::Args, Debug)]
pub struct RecoverArgs {
    /// Read the recovery key from this file instead of asking.
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
    /// Read the new passphrase from this file instead of asking.
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

/// Asks for (or reads) the new passphrase, sets it, and reports.
fn set_new(
    ctx: &Context,
    vault: &mut Vault,
    file: Option<&std::path::Path>,
    kdf: Option<KdfParams>,
) -> Result<()> {
    let new = secret::new_passphrase(ctx, file, "--new-passphrase-file")?;
    vault.change_passphrase(&new, kdf)?;
    if ctx.json {
        ctx.print_json(&json!({ "changed": true }))
    } else {
        println!("{}", crate::say::t("cli-passphrase-changed", &[]));
        Ok(())
    }
}

pub fn passwd(ctx: &Context, args: PasswdArgs) -> Result<()> {
    // New keys, as `rekey` makes: not while another process serves the vault with the old.
    let _serving = if args.rekey {
        ctx.keys_may_change()?
    } else {
        None
    };
    let (mut vault, current) = ctx.open_keeping_passphrase()?;
    let kdf = args.kdf.resolve(&vault)?;
    if args.rekey {
        let new = secret::new_passphrase(
            ctx,
            args.new_passphrase_file.as_deref(),
            "--new-passphrase-file",
        )?;
        return super::rekey::rekey_with(ctx, &mut vault, &current, Some(&new), kdf);
    }
    drop(current);
    set_new(ctx, &mut vault, args.new_passphrase_file.as_deref(), kdf)
}

pub fn recover(ctx: &Context, args: RecoverArgs) -> Result<()> {
    let dir = ctx.vault_dir()?;
    Vault::probe(&dir)?;
    let key = secret::recovery_key(ctx, args.recovery_key_file.as_deref())?;
    let mut vault = ctx.open_as(&dir, Unlock::Recovery(&key))?;
    set_new(ctx, &mut vault, args.new_passphrase_file.as_deref(), None)
}
