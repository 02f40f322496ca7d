//! Getting secrets from the user: a passphrase file, an environment variable named on the
//! command line, or a prompt on the terminal. Secrets are never read from argv and are wiped
//! from memory when dropped.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;
use zeroize::Zeroizing;

use crate::context::Context;
use crate::exit;

/// A secret as bytes, wiped on drop.
pub type Secret = Zeroizing<Vec<u8>>;

/// Reads a secret from a file: the whole file, less one trailing newline.
pub fn from_file(path: &Path, what: &str) -> Result<Secret> {
    let mut bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-cannot-read-secret",
            &[
                ("what", what),
                ("path", &path.display().to_string()),
                ("why", &e.to_string()),
            ],
        ))
    })?);
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    warn_if_shared(path, what);
    Ok(bytes)
}

/// Says so when a file holding a secret can be read by others than its owner (a pipe or a
/// terminal is not a file, and says nothing).
fn warn_if_shared(path: &Path, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "{}",
                crate::say::t(
                    "cli-secret-file-shared",
                    &[
                        ("what", what),
                        ("path", &path.display().to_string()),
                        (
                            "mode",
                            &format!("{:03o}", meta.permissions().mode() & 0o777)
                        ),
                    ],
                )
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what);
}

fn from_env(var: &str) -> Result<Secret> {
    match std::env::var_os(var) {
        Some(v) => Ok(Zeroizing::new(v.into_encoded_bytes())),
        None => Err(exit::invalid(crate::say::t(
            "cli-env-not-set",
            &[("var", var)],
        ))),
    }
}

/// Whether a secret can be asked: stdin is a terminal and `--no-input` was not given.
pub fn can_prompt(ctx: &Context) -> bool {
    !ctx.no_input && std::io::stdin().is_terminal()
}

fn prompt(text: &str) -> Result<Secret> {
    let answer = rpassword::prompt_password(text).map_err(|e| {
        exit::locked(crate::say::t(
            "cli-terminal-read",
            &[("why", &e.to_string())],
        ))
    })?;
    Ok(Zeroizing::new(answer.into_bytes()))
}

/// The current passphrase from `--passphrase-file` or `--passphrase-env`, if one was given.
pub fn given_passphrase(ctx: &Context) -> Result<Option<Secret>> {
    if let Some(path) = &ctx.passphrase_file {
        return from_file(path, "passphrase").map(Some);
    }
    if let Some(var) = &ctx.passphrase_env {
        return from_env(var).map(Some);
    }
    Ok(None)
}

/// The current passphrase: given, or asked on the terminal.
pub fn passphrase(ctx: &Context) -> Result<Secret> {
    if let Some(p) = given_passphrase(ctx)? {
        return Ok(p);
    }
    if !can_prompt(ctx) {
        if ctx.session().is_some() {
            // Reached with a session only by commands that change how the vault opens.
            return Err(exit::locked(crate::say::t(
                "cli-session-needs-passphrase",
                &[],
            )));
        }
        return Err(exit::locked(crate::say::t("cli-locked-no-terminal", &[])));
    }
    prompt(&format!(
        "{} ",
        crate::say::t(
            "cli-ask-passphrase",
            &[("path", &ctx.vault_dir()?.display().to_string())],
        )
    ))
}

/// A new passphrase: from `file` if given, else asked twice on the terminal. `flag` names the
/// option that gives it in a file, for the error when there is no terminal.
pub fn new_passphrase(ctx: &Context, file: Option<&Path>, flag: &str) -> Result<Secret> {
    if let Some(path) = file {
        return from_file(path, "new-passphrase");
    }
    if !can_prompt(ctx) {
        return Err(exit::invalid(crate::say::t(
            "cli-no-terminal-new-passphrase",
            &[("flag", flag)],
        )));
    }
    let first = prompt(&format!(
        "{} ",
        crate::say::t("cli-ask-new-passphrase", &[])
    ))?;
    let second = prompt(&format!(
        "{} ",
        crate::say::t("cli-ask-repeat-passphrase", &[])
    ))?;
    if !musette_core::crypto::ct_eq(&first, &second) {
        return Err(exit::invalid(crate::say::t("cli-passphrases-differ", &[])));
    }
    Ok(first)
}

/// The recovery key: from `file` if given, else asked on the terminal.
pub fn recovery_key(ctx: &Context, file: Option<&Path>) -> Result<musette_core::RecoveryKey> {
    let raw = match file {
        Some(path) => from_file(path, "recovery-key")?,
        None if can_prompt(ctx) => {
            prompt(&format!("{} ", crate::say::t("cli-ask-recovery-key", &[])))?
        }
        None => {
            return Err(exit::invalid(crate::say::t(
                "cli-no-terminal-recovery-key",
                &[],
            )));
        }
    };
    let text = Zeroizing::new(String::from_utf8_lossy(&raw).into_owned());
    Ok(musette_core::RecoveryKey::parse(&text)?)
}
