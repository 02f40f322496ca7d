//! `musette rm` and `musette forget`

use std::io::{IsTerminal, Write};

use anyhow::Result;
use serde_json::json;

use crate::context::Context;
use crate::exit;
use musette_core::ids::ID_LEN;

#[derive(clap::Args, Debug)]
pub struct RmArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// Restore a removed record.
    #[arg(long)]
    undo: bool,
}

#[derive(clap::Args, Debug)]
pub struct ForgetArgs {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

pub fn rm(ctx: &Context, args: RmArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    let id = vault.resolve(&args.id)?;
    let changed = vault.remove(&id, args.undo)?;
    if ctx.json {
        return ctx.print_json(&json!({ "id": id, "deleted": !args.undo, "changed": changed }));
    }
    match (args.undo, changed) {
        (false, true) => println!("{}", crate::say::t("cli-removed", &[("id", &id)])),
        (false, false) => println!("{}", crate::say::t("cli-already-removed", &[("id", &id)])),
        (true, true) => println!("{}", crate::say::t("cli-restored", &[("id", &id)])),
        (true, false) => println!("{}", crate::say::t("cli-not-removed", &[("id", &id)])),
    }
    Ok(())
}

pub fn forget(ctx: &Context, args: ForgetArgs) -> Result<()> {
    let mut vault = ctx.open()?;
    // A damaged record can be forgotten too (that is how its damage is cleared); it is then
    // named by its id alone.
    let (id, what) = match vault.show(&args.id) {
        Ok(r) => (
            r.id.clone(),
            format!("{} {} {:?}", crate::say::kind(r.state.kind), r.id, r.title),
        ),
        Err(musette_core::Error::Damaged { record, .. }) if record.len() == ID_LEN => {
            let what = crate::say::t("cli-damaged-record", &[("id", &record)]);
            (record.clone(), what)
        }
        Err(e) => return Err(e.into()),
    };
    if !args.yes {
        if ctx.no_input || !std::io::stdin().is_terminal() {
            return Err(exit::invalid(crate::say::t(
                "cli-forget-confirm",
                &[("id", &id)],
            )));
        }
        eprint!(
            "{} ",
            crate::say::t("cli-forget-ask", &[("what", &crate::clean::line(&what))])
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !crate::say::yes(&answer) {
            return Err(exit::invalid(crate::say::t(
                "cli-not-confirmed-destroyed",
                &[],
            )));
        }
    }
    let id = vault.forget(&id)?;
    if ctx.json {
        ctx.print_json(&json!({ "id": id, "forgotten": true }))?;
    } else {
        println!("{}", crate::say::t("cli-forgot", &[("id", &id)]));
    }
    Ok(())
}
