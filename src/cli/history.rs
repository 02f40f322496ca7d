//! `musette history`

use std::io::Write;

use anyhow::Result;

use crate::clean;
use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The record id (or a unique prefix of at least 6 characters), or a received item's id.
    id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let vault = ctx.open()?;
    if let Some(r) = super::share::find(&vault, &args.id)? {
        return super::share::history(ctx, &r);
    }
    let entries = vault.history(&args.id)?;
    if ctx.json {
        return ctx.print_json(&entries);
    }
    let mut out = std::io::stdout().lock();
    for e in &entries {
        let device = if e.this_device {
            crate::say::t("cli-history-this-device", &[])
        } else {
            let short: String = e.device.chars().take(12).collect();
            crate::say::t("cli-history-device", &[("id", &clean::line(&short))])
        };
        writeln!(
            out,
            "{}  {:<7} {:<16} {}",
            clean::line(&crate::clock::local(&e.time)),
            clean::line(&e.action),
            device,
            clean::line(&e.fields.join(", "))
        )?;
    }
    Ok(())
}
