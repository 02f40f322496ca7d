//! `musette unlock` and `musette lock`

use std::time::Duration;

use anyhow::Result;
use musette_core::Vault;
use serde_json::json;

use crate::context::{Context, SESSION_VAR};
use crate::exit;

#[derive(clap::Args, Debug)]
pub struct UnlockArgs {
    /// How long the session lasts, e.g. 30m, 2h, 1d (at most 30 days).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    timeout: Duration,
    /// Print the session token alone (for scripts).
    #[arg(long)]
    raw: bool,
}

#[derive(clap::Args, Debug)]
pub struct LockArgs {
    /// End every session of this vault, not only the one in MUSETTE_SESSION.
    #[arg(long)]
    all: bool,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s)
        .map_err(|e| format!("{e}: write a duration such as 30m, 2h or 1d"))?;
    if d < Duration::from_secs(1) || d > Duration::from_secs(30 * 24 * 3600) {
        return Err("a session lasts between 1s and 30 days".into());
    }
    Ok(d)
}

pub fn unlock(ctx: &Context, args: UnlockArgs) -> Result<()> {
    let mut vault = ctx.open_with_passphrase()?;
    let token = vault.start_session(args.timeout)?;
    let until = humantime::format_rfc3339_seconds(std::time::SystemTime::now() + args.timeout);
    if args.raw {
        println!("{}", &*token);
    } else if ctx.json {
        ctx.print_json(&json!({ "session": &*token, "expires": until.to_string() }))?;
    } else {
        println!("Vault unlocked until {until}. To use the session in this shell:");
        println!();
        println!("    export {SESSION_VAR}=\"{}\"", &*token);
        println!();
        println!("End it early with `musette lock`.");
    }
    Ok(())
}

pub fn lock(ctx: &Context, args: LockArgs) -> Result<()> {
    let dir = ctx.vault_dir()?;
    let token = if args.all { None } else { ctx.session() };
    if token.is_none() && !args.all {
        return Err(exit::invalid(format!(
            "{SESSION_VAR} is not set, so there is no current session to end: use `musette lock --all` to end every session"
        )));
    }
    let n = Vault::lock(&dir, token.as_deref())?;
    if ctx.json {
        ctx.print_json(&json!({ "ended": n }))?;
    } else {
        println!("Locked: {n} session(s) ended. You can `unset {SESSION_VAR}`.");
    }
    Ok(())
}
