//! What the network commands share: where to bind, relays, a runtime, and output.

use std::net::SocketAddr;

use anyhow::Result;
use musette_sync::node::NetConfig;

use crate::exit;

/// Network options of `serve`, `sync` and `device`.
#[derive(clap::Args, Debug, Clone)]
pub struct NetArgs {
    /// Listen on this address only (e.g. 127.0.0.1:0) [default: every interface, a free port].
    #[arg(long, value_name = "ADDR", env = "MUSETTE_BIND")]
    bind: Option<SocketAddr>,
    /// Use no relay and no address lookup: reach only the addresses in tickets.
    #[arg(long, env = "MUSETTE_NO_RELAY", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false, num_args = 0, default_missing_value = "true")]
    no_relay: bool,
    /// A name for this device, shown to your other devices.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

impl NetArgs {
    /// The network settings: these options, and the relays of the configuration file.
    pub fn config(&self) -> Result<NetConfig> {
        Ok(NetConfig {
            bind: self.bind,
            relay: !self.no_relay,
            relays: crate::config::load()?.network.relays,
            port: None,
        })
    }

    /// The name this device goes by (see [`musette_sync::devices::name_this`]): `--name`,
    /// remembered from now on, else the one remembered, else the host's name.
    pub fn name_for(&self, vault: &mut musette_core::Vault) -> Result<String> {
        Ok(musette_sync::devices::name_this(
            vault,
            self.name.as_deref(),
            &musette_sync::devices::host_name(),
        )?)
    }

    /// `--name`, if given.
    pub fn given_name(&self) -> Option<String> {
        self.name.clone()
    }
}

/// Runs `f` on a multi-threaded tokio runtime (the network commands only).
pub fn block_on<T>(f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| exit::invalid(crate::say::t("cli-no-runtime", &[("why", &e.to_string())])))?
        .block_on(f)
}

/// Waits for SIGINT or SIGTERM.
pub async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
