//! `musette init`

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
    let (vault, recovery) = Vault::create(&dir, &passphrase, kdf)?;
    let did = vault.owner()?.did().to_string();
    let shown = recovery.display();
    if ctx.json {
        // Written straight from borrowed strings: the key is never copied into a JSON value.
        #[derive(serde::Serialize)]
        struct Out<'a> {
            vault: &'a std::path::Path,
            did: &'a str,
            recovery_key: &'a str,
        }
        ctx.print_json(&Out {
            vault: &dir,
            did: &did,
            recovery_key: &shown,
        })?;
    } else {
        println!("Created a vault at {}", dir.display());
        println!("Your identity (shared with those who verify what you send): {did}");
        println!();
        println!("Recovery key (shown only now; write it down and keep it offline):");
        println!();
        println!("    {}", &*shown);
        println!();
        println!("With it, `musette recover` sets a new passphrase if you forget yours.");
    }
    Ok(())
}
