//! `musette init`

use std::io::Write;

use anyhow::Result;
use musette_core::{KdfParams, Vault};

use crate::context::Context;
use crate::secret;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Memory for the passphrase KDF (Argon2id), in MiB (19 to 1024).
    #[arg(long, value_name = "N", default_value_t = 64)]
    kdf_memory_mib: u32,
    /// Passes of the passphrase KDF (2 to 64).
    #[arg(long, value_name = "N", default_value_t = 3)]
    kdf_iterations: u32,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let dir = ctx.vault_dir()?;
    let kdf = KdfParams {
        memory_kib: args.kdf_memory_mib.saturating_mul(1024),
        iterations: args.kdf_iterations,
        ..KdfParams::default()
    };
    kdf.validate()?;
    if musette_core::db_path(&dir).exists() {
        return Err(musette_core::Error::AlreadyExists(dir).into());
    }
    let passphrase = match secret::given_passphrase(ctx)? {
        Some(p) => p,
        None => secret::new_passphrase(ctx, None, "--passphrase-file")?,
    };
    // Everything is shown, and flushed, before the vault is put in place: if the recovery key
    // cannot be shown (a full disk, a closed output), no vault is created.
    Vault::create_with(&dir, &passphrase, kdf, &mut |recovery, did| {
        let shown = recovery.display();
        let mut out = std::io::stdout().lock();
        let written = if ctx.json {
            write_new_vault(&mut out, &dir, did, &shown)
        } else {
            write!(
                out,
                "{}\n{}\n\n{}\n\n    {}\n\n{}\n",
                crate::say::t("cli-created", &[("path", &dir.display().to_string())]),
                crate::say::t("cli-identity", &[("did", did)]),
                crate::say::t("cli-recovery-shown-once", &[]),
                &*shown,
                crate::say::t("cli-recovery-use", &[]),
            )
        };
        written
            .and_then(|()| out.flush())
            .map_err(|source| musette_core::Error::Io {
                context: musette_core::msg!(crate::say::CLI, "cli-init-cannot-show"),
                source,
            })
    })?;
    Ok(())
}

/// A new vault or replica as `--json` says it (`init`, `device join`): `{"vault","did",
/// "recovery_key"}` and a newline, written straight from borrowed strings, so the key is never
/// copied into a JSON value.
pub(crate) fn write_new_vault(
    out: &mut impl Write,
    dir: &std::path::Path,
    did: &str,
    recovery_key: &str,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        vault: &'a std::path::Path,
        did: &'a str,
        recovery_key: &'a str,
    }
    crate::clean::write_json(
        &mut *out,
        &Out {
            vault: dir,
            did,
            recovery_key,
        },
    )
    .map_err(std::io::Error::from)
    .and_then(|()| writeln!(out))
}
