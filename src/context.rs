//! What every command shares: the global options, opening the vault, printing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use musette_core::{Unlock, Vault};
use zeroize::Zeroizing;

use crate::secret;
use crate::{clean, exit};

/// The session variable set by `musette unlock`.
pub const SESSION_VAR: &str = "MUSETTE_SESSION";

/// Global options, as parsed.
pub struct Context {
    pub vault: Option<PathBuf>,
    pub json: bool,
    pub passphrase_file: Option<PathBuf>,
    pub passphrase_env: Option<String>,
    pub no_input: bool,
}

impl Context {
    /// The vault folder: `--vault`, `MUSETTE_VAULT`, or the default in the data directory.
    pub fn vault_dir(&self) -> Result<PathBuf> {
        match &self.vault {
            Some(dir) => Ok(dir.clone()),
            None => musette_core::default_vault_dir()
                .ok_or_else(|| exit::invalid(crate::say::t("cli-no-data-dir", &[]))),
        }
    }

    /// Holds the vault's serve lock for a command that changes its keys (`rekey`, `device
    /// remove`): a `serve`, `device invite` or web app already running on the vault would go
    /// on answering with the old keys, unable to read the vault or hand the new keys over, so
    /// the command is refused until it stops. `None` where there is no vault (opening it says
    /// so).
    pub fn keys_may_change(&self) -> Result<Option<musette_sync::node::KeysLock>> {
        let dir = self.vault_dir()?;
        if !musette_core::db_path(&dir).exists() {
            return Ok(None);
        }
        match musette_sync::node::KeysLock::change(&dir) {
            Ok(lock) => Ok(Some(lock)),
            Err(musette_sync::node::NetError::AlreadyServed) => {
                Err(exit::invalid(crate::say::t("cli-keys-while-served", &[])))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Holds the vault's keys lock, shared, for a command that keeps the keys for long
    /// (`serve`, `device invite`): commands that change the keys are refused meanwhile. Taken
    /// before the vault is opened, so the keys opened are the ones held.
    pub fn keys_in_use(&self) -> Result<Option<musette_sync::node::KeysLock>> {
        let dir = self.vault_dir()?;
        if !musette_core::db_path(&dir).exists() {
            return Ok(None);
        }
        Ok(Some(musette_sync::node::KeysLock::share(&dir)?))
    }

    /// The session token from the environment, if any, wiped from this copy on drop.
    pub fn session(&self) -> Option<Zeroizing<String>> {
        let token = Zeroizing::new(std::env::var(SESSION_VAR).ok()?);
        (!token.trim().is_empty()).then_some(token)
    }

    /// Opens the vault: with a passphrase given by file or variable; else with the session in
    /// `MUSETTE_SESSION`; else by asking for the passphrase. A session that expired or ended
    /// falls back to asking, when there is a terminal to ask on; without one it is an error.
    pub fn open(&self) -> Result<Vault> {
        let dir = self.vault_dir()?;
        Vault::probe(&dir)?;
        if let Some(p) = secret::given_passphrase(self)? {
            return self.open_as(&dir, Unlock::Passphrase(&p));
        }
        if let Some(token) = self.session() {
            match self.open_as(&dir, Unlock::Session(&token)) {
                Ok(vault) => return Ok(vault),
                Err(e) if secret::can_prompt(self) => {
                    let id = match e.downcast_ref::<musette_core::Error>() {
                        Some(musette_core::Error::SessionExpired) => "cli-session-expired",
                        Some(musette_core::Error::InvalidSession) => "cli-session-invalid",
                        _ => return Err(e),
                    };
                    eprintln!("{}", crate::say::t(id, &[("var", SESSION_VAR)]));
                }
                Err(e) => return Err(e),
            }
        }
        let p = secret::passphrase(self)?;
        self.open_as(&dir, Unlock::Passphrase(&p))
    }

    /// Opens the vault with the passphrase only (never a session): for commands that change
    /// how the vault is opened.
    pub fn open_with_passphrase(&self) -> Result<Vault> {
        self.open_keeping_passphrase().map(|(vault, _)| vault)
    }

    /// Opens the vault with the passphrase (asked once), and returns the passphrase too, for
    /// commands that write a new key slot with it (`rekey`).
    pub fn open_keeping_passphrase(&self) -> Result<(Vault, secret::Secret)> {
        let dir = self.vault_dir()?;
        Vault::probe(&dir)?;
        let p = secret::passphrase(self)?;
        let vault = self.open_as(&dir, Unlock::Passphrase(&p))?;
        Ok((vault, p))
    }

    /// Opens the vault in `dir` one way, and warns on stderr (as ssh does) when its folder or
    /// files can be read by other users.
    pub fn open_as(&self, dir: &std::path::Path, how: Unlock<'_>) -> Result<Vault> {
        let vault = Vault::open(dir, how)?;
        for w in vault.warnings() {
            eprintln!(
                "{}",
                crate::say::t(
                    "cli-warning",
                    &[("what", &crate::clean::line(&w.say(crate::say::lang())))]
                )
            );
        }
        Ok(vault)
    }

    /// Writes bytes to `path` (a regular file atomically: a temporary file renamed into place;
    /// a device or a pipe is written into, see [`crate::output`]), or to stdout when `path` is
    /// `None` or `-`.
    ///
    /// On a terminal, what is written is shown with its control characters escaped: a file
    /// made from untrusted text (a name from an imported card) cannot drive the terminal;
    /// redirected or written to a file it stays exact. A file is never written inside the
    /// vault's folder.
    pub fn write_out(&self, path: Option<&std::path::Path>, bytes: &[u8]) -> Result<()> {
        let to_stdout = |bytes: &[u8]| -> Result<()> {
            let mut out = std::io::stdout().lock();
            if std::io::IsTerminal::is_terminal(&out) {
                let text = String::from_utf8_lossy(bytes);
                out.write_all(clean::block(&text).as_bytes())?;
            } else {
                out.write_all(bytes)?;
            }
            Ok(())
        };
        match path {
            None => to_stdout(bytes)?,
            Some(p) if p.as_os_str() == "-" => to_stdout(bytes)?,
            Some(p) => {
                // Where a link leads counts, not the link.
                let target = crate::output::Target::of(p);
                if let (Ok(dir), Ok(vault)) = (
                    crate::output::folder_of(target.path()).canonicalize(),
                    self.vault_dir().and_then(|v| Ok(v.canonicalize()?)),
                ) && dir.starts_with(&vault)
                {
                    return Err(exit::invalid(crate::say::t(
                        "cli-write-inside-vault",
                        &[("path", &p.display().to_string())],
                    )));
                }
                if p.is_dir() {
                    return Err(exit::invalid(crate::say::t(
                        "cli-write-folder",
                        &[
                            ("path", &p.display().to_string()),
                            ("example", &p.join("out.json").display().to_string()),
                        ],
                    )));
                }
                crate::output::Sink::write(p, ".musette-", bytes)?;
            }
        }
        Ok(())
    }

    /// Reads a file given on the command line (`-` for stdin).
    pub fn read_in(&self, path: &std::path::Path) -> Result<Vec<u8>> {
        /// More than any file musette reads whole (a LinkedIn export is the largest).
        const LIMIT: u64 = 512 << 20;
        self.read_in_at_most(path, LIMIT, "cli-file-too-large")
    }

    /// [`Context::read_in`], refusing a file over `limit` bytes with the message `too_large`
    /// (given `path` and `mib`).
    pub fn read_in_at_most(
        &self,
        path: &std::path::Path,
        limit: u64,
        too_large: &str,
    ) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        let read = if path.as_os_str() == "-" {
            std::io::Read::read_to_end(
                &mut std::io::Read::take(std::io::stdin(), limit + 1),
                &mut buf,
            )
        } else {
            let file = std::fs::File::open(path).map_err(|e| {
                exit::invalid(crate::say::t(
                    "cli-cannot-read",
                    &[
                        ("path", &path.display().to_string()),
                        ("why", &e.to_string()),
                    ],
                ))
            })?;
            std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut buf)
        };
        read.map_err(|e| {
            exit::invalid(crate::say::t(
                "cli-cannot-read",
                &[
                    ("path", &path.display().to_string()),
                    ("why", &e.to_string()),
                ],
            ))
        })?;
        if buf.len() as u64 > limit {
            return Err(exit::invalid(crate::say::t(
                too_large,
                &[
                    ("path", &path.display().to_string()),
                    ("mib", &(limit >> 20).to_string()),
                ],
            )));
        }
        Ok(buf)
    }

    /// Opens the vault only if that needs no prompt (a session or a given passphrase), for
    /// commands that work without it but say more with it.
    pub fn open_quietly(&self) -> Option<Vault> {
        let dir = self.vault_dir().ok()?;
        Vault::probe(&dir).ok()?;
        if let Some(p) = secret::given_passphrase(self).ok()? {
            // A passphrase was given on purpose: say when it does not open the vault.
            return Vault::open(&dir, Unlock::Passphrase(&p))
                .map_err(|e| {
                    let why = crate::say::error(&e);
                    eprintln!(
                        "{}",
                        crate::say::t("cli-vault-did-not-open", &[("why", &clean::line(&why))])
                    );
                })
                .ok();
        }
        let token = self.session()?;
        Vault::open(&dir, Unlock::Session(&token)).ok()
    }

    /// Prints a value as pretty JSON on stdout, written straight from `value` (no copy of a
    /// secret in it), with characters that a terminal would obey escaped
    /// ([`clean::JsonFormatter`]).
    pub fn print_json(&self, value: &impl serde::Serialize) -> Result<()> {
        // Buffered: stdout flushes at every line feed, and pretty JSON has many.
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        clean::write_json(&mut out, value)?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }
}
