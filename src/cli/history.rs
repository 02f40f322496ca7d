//! `musette history`

use std::io::Write;

use anyhow::Result;

use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let entries = vault.history(&args.id)?;
    if ctx.json {
        return ctx.print_json(&entries);
    }
    let mut out = std::io::stdout().lock();
    for e in &entries {
        let device = if e.this_device {
            "this device".to_string()
        } else {
            format!("device {}", &e.device[..e.device.len().min(12)])
        };
        writeln!(
            out,
            "{}  {:<7} {:<16} {}",
            e.time,
            e.action,
            device,
            e.fields.join(", ")
        )?;
    }
    Ok(())
}
