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
            "{}",
            crate::say::t(
                "cli-compacted",
                &[
                    ("path", &vault.dir().display().to_string()),
                    ("before", &before.div_ceil(1024).to_string()),
                    ("after", &after.div_ceil(1024).to_string()),
                ],
            )
        );
    }
    Ok(())
}
