//! The configuration file, `config.toml` in musette's configuration folder
//! (`~/.config/musette/config.toml` on Linux), or the file `MUSETTE_CONFIG` names. Everything in
//! it is optional; a file that is not there is an empty one. Today it holds one thing: the relays
//! an organisation runs, used instead of iroh's public ones.
//!
//! ```toml
//! [network]
//! relays = ["https://relay.example.org"]
//! ```

use std::path::PathBuf;

use anyhow::Result;
use serde::Deserialize;

use crate::exit;

/// The largest configuration file read.
const MAX_BYTES: u64 = 1 << 20;

/// The configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How the network commands reach others.
    #[serde(default)]
    pub network: Network,
}

/// The `[network]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Relay URLs to use instead of iroh's public relays.
    #[serde(default)]
    pub relays: Vec<String>,
}

/// Where the configuration is read from.
pub fn path() -> Option<PathBuf> {
    named().or_else(musette_core::default_config_file)
}

/// The file `MUSETTE_CONFIG` names, if it names one.
fn named() -> Option<PathBuf> {
    std::env::var_os("MUSETTE_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Reads the configuration; a missing file in the default place is an empty one; a file
/// `MUSETTE_CONFIG` names that is missing, or any malformed one, is an error (exit 2) that
/// names the file and what is wrong (a mistyped name would otherwise use iroh's public relays
/// instead of an organisation's own).
pub fn load() -> Result<Config> {
    let Some(path) = path() else {
        return Ok(Config::default());
    };
    let cannot = |why: String| {
        exit::invalid(crate::say::t(
            "cli-config-cannot-read",
            &[("path", &path.display().to_string()), ("why", &why)],
        ))
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && named().is_none() => {
            return Ok(Config::default());
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(cannot(crate::say::t("cli-config-missing", &[])));
        }
        Err(e) => return Err(cannot(e.to_string())),
    };
    // A regular file of reasonable size only (not a pipe, a device or a folder).
    if !meta.is_file() {
        return Err(cannot(crate::say::t("cli-config-not-regular", &[])));
    }
    if meta.len() > MAX_BYTES {
        return Err(cannot(crate::say::t(
            "cli-config-too-large",
            &[("kib", &(MAX_BYTES >> 10).to_string())],
        )));
    }
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(
            std::fs::File::open(&path).map_err(|e| cannot(e.to_string()))?,
            MAX_BYTES,
        ),
        &mut text,
    )
    .map_err(|e| cannot(e.to_string()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text.get(..s.start).unwrap_or(&text).matches('\n').count() + 1)
            .map(|l| l.to_string());
        let path = path.display().to_string();
        let why = e.message().trim();
        exit::invalid(match line {
            Some(line) => crate::say::t(
                "cli-config-invalid-at",
                &[("path", &path), ("line", &line), ("why", why)],
            ),
            None => crate::say::t("cli-config-invalid", &[("path", &path), ("why", why)]),
        })
    })?;
    for url in &config.network.relays {
        let check = if url.starts_with("https://") {
            musette_sync::node::check_relay(url)
        } else {
            Err(crate::say::t("cli-config-relay-https", &[]))
        };
        if let Err(e) = check {
            // The line it is written on (the first that holds it).
            let line = text
                .find(url.as_str())
                .map_or(1, |at| text[..at].matches('\n').count() + 1);
            return Err(exit::invalid(crate::say::t(
                "cli-config-relay",
                &[
                    ("url", &format!("{url:?}")),
                    ("path", &path.display().to_string()),
                    ("line", &line.to_string()),
                    ("why", &e.to_string()),
                ],
            )));
        }
    }
    Ok(config)
}
