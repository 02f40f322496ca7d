//! `musette compact`: rebuilds the vault file so freed space goes back to the disk.

use anyhow::Result;
use serde_json::json;

use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let (before, after) = vault.compact()?;
    if ctx.json {
        ctx.print_json(&json!({ "bytes_before": before, "bytes_after": after }))?;
    } else {
        println!(
            "Compacted {}: {} KiB before, {} KiB after.",
            vault.dir().display(),
            before.div_ceil(1024),
            after.div_ceil(1024)
        );
    }
    Ok(())
}
