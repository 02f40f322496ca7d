//! `musette id`

use anyhow::Result;
use serde_json::json;

use crate::clean;
use crate::context::Context;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let owner = vault.owner()?;
    if ctx.json {
        ctx.print_json(&json!({ "did": owner.did(), "device": vault.device_id() }))
    } else {
        println!("{}", clean::line(owner.did()));
        Ok(())
    }
}
