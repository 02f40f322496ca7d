//! `musette unlock` and `musette lock`

use std::time::Duration;

use anyhow::Result;
use musette_core::Vault;
use serde_json::json;

use crate::context::{Context, SESSION_VAR};
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct UnlockArgs {
    /// How long the session lasts, e.g. 30m, 2h, 1d (at most 30 days).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    timeout: Duration,
    /// Print the session token alone, to capture it:
    /// `export MUSETTE_SESSION="$(musette unlock --raw)"`.
    #[arg(long)]
    raw: bool,
}

/// What `unlock --json` prints, borrowed so the token is serialised from its wiped buffer.
#[derive(serde::Serialize)]
struct SessionJson<'a> {
    session: &'a str,
    expires: &'a str,
}

#[derive(clap::Args, Debug)]
pub struct LockArgs {
    /// End every session of this vault, not only the one in MUSETTE_SESSION (the web app
    /// locks too).
    #[arg(long)]
    all: bool,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s)
        .map_err(|e| crate::say::t("cli-session-duration-how", &[("why", &e.to_string())]))?;
    if d < Duration::from_secs(1) || d > Duration::from_secs(30 * 24 * 3600) {
        return Err(crate::say::t("cli-session-range", &[]));
    }
    Ok(d)
}

/// Quotes a word for a POSIX shell.
fn sh_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@%,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The command that captures a session in the shell, with the options of this one.
fn capture_command(ctx: &Context, timeout: Duration) -> String {
    let mut cmd = String::from("musette");
    if let Some(dir) = &ctx.vault {
        cmd.push_str(" --vault ");
        cmd.push_str(&sh_quote(&dir.to_string_lossy()));
    }
    if let Some(file) = &ctx.passphrase_file {
        cmd.push_str(" --passphrase-file ");
        cmd.push_str(&sh_quote(&file.to_string_lossy()));
    }
    if let Some(var) = &ctx.passphrase_env {
        cmd.push_str(" --passphrase-env ");
        cmd.push_str(&sh_quote(var));
    }
    cmd.push_str(" unlock --raw");
    if timeout != DEFAULT_TIMEOUT {
        cmd.push_str(" --timeout ");
        cmd.push_str(
            &humantime::format_duration(timeout)
                .to_string()
                .replace(' ', ""),
        );
    }
    format!("export {SESSION_VAR}=\"$({cmd})\"")
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Starts a session. The token is printed only with `--raw` or `--json`, for a shell or a
/// program to capture: shown on a terminal and typed back it would stay on the screen and land
/// in the shell's history, where anyone reading that file could open the vault. So the human
/// form checks the passphrase, starts nothing, and says how to capture a session.
pub fn unlock(ctx: &Context, args: UnlockArgs) -> Result<()> {
    let mut vault = ctx.open_with_passphrase()?;
    if !args.raw && !ctx.json {
        drop(vault);
        let cmd = capture_command(ctx, args.timeout);
        println!("{}", crate::say::t("cli-unlock-right", &[]));
        println!();
        println!("    {}", clean::line(&cmd));
        println!();
        println!(
            "{}",
            crate::say::t("cli-unlock-token", &[("var", SESSION_VAR)])
        );
        return Ok(());
    }
    let token = vault.start_session(args.timeout)?;
    if args.raw {
        println!("{}", token.as_str());
    } else {
        let until = humantime::format_rfc3339_seconds(std::time::SystemTime::now() + args.timeout);
        ctx.print_json(&SessionJson {
            session: token.as_str(),
            expires: &until.to_string(),
        })?;
    }
    Ok(())
}

pub fn lock(ctx: &Context, args: LockArgs) -> Result<()> {
    let dir = ctx.vault_dir()?;
    let token = ctx.session();
    if token.is_none() && !args.all {
        return Err(exit::invalid(crate::say::t(
            "cli-lock-no-session",
            &[("var", SESSION_VAR)],
        )));
    }
    let n = Vault::lock(&dir, token.as_ref().map(|t| t.as_str()), args.all)?;
    if ctx.json {
        ctx.print_json(&json!({ "ended": n }))?;
    } else {
        println!(
            "{}",
            crate::say::n("cli-locked", n, &[("var", SESSION_VAR)])
        );
    }
    Ok(())
}
