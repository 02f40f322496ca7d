//! `musette ui`: the web app on this machine's loopback address, until SIGINT or SIGTERM.

use std::time::Duration;

use anyhow::Result;
use musette_core::{KdfParams, Unlock, Vault};
use serde_json::json;

use crate::context::Context;
use crate::{clean, exit, secret};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only print the address; do not open a browser.
    #[arg(long)]
    no_open: bool,
    /// The port on 127.0.0.1 [default: a free one].
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Lock the vault after this long without a request (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    idle_lock: Duration,
    /// The largest file attached through the app, in MiB (larger ones: `musette attach`).
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    max_upload_mib: u64,
    /// Argon2id memory for a vault created from the browser, in MiB (tests use less).
    #[arg(long, value_name = "MIB", hide = true)]
    kdf_memory_mib: Option<u32>,
    /// Argon2id passes for a vault created from the browser.
    #[arg(long, value_name = "N", hide = true)]
    kdf_iterations: Option<u32>,
    /// How the devices page pairs a new device and syncs.
    #[command(flatten)]
    net: super::net::NetArgs,
}

/// Opens the default browser at `url` (xdg-open, open, or start), quietly.
fn open_browser(url: &str) -> bool {
    let tries: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else if cfg!(windows) {
        &[("cmd", &["/C", "start", ""])]
    } else {
        &[("xdg-open", &[])]
    };
    tries.iter().any(|(cmd, pre)| {
        std::process::Command::new(cmd)
            .args(*pre)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    })
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let dir = ctx.vault_dir()?;
    // Given a passphrase or a session, the app starts unlocked; else its first page asks.
    let exists = Vault::probe(&dir).is_ok();
    let vault = if !exists {
        None
    } else if let Some(p) = secret::given_passphrase(ctx)? {
        Some(ctx.open_as(&dir, Unlock::Passphrase(&p))?)
    } else if let Some(token) = ctx.session() {
        Some(ctx.open_as(&dir, Unlock::Session(&token))?)
    } else {
        None
    };
    let mut kdf = KdfParams::default();
    if let Some(m) = args.kdf_memory_mib {
        kdf.memory_kib = m.saturating_mul(1024);
    }
    if let Some(i) = args.kdf_iterations {
        kdf.iterations = i;
    }
    super::net::block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port.unwrap_or(0)))
            .await
            .map_err(|e| {
                exit::invalid(crate::say::t(
                    "cli-ui-port",
                    &[
                        ("port", &args.port.unwrap_or(0).to_string()),
                        ("why", &e.to_string()),
                    ],
                ))
            })?;
        let port = listener.local_addr()?.port();
        let app = musette_web::App::new(
            musette_web::Config {
                vault_dir: dir,
                port,
                idle_lock: args.idle_lock,
                kdf,
                max_upload: args.max_upload_mib.saturating_mul(1 << 20),
                net: args.net.config()?,
                device_name: args.net.given_name(),
            },
            vault,
        );
        let url = app.launch_url();
        if ctx.json {
            // One line, as a program reading the first line of the output expects.
            let mut out = std::io::stdout().lock();
            clean::write_json_line(
                &mut out,
                &json!({ "url": url, "port": port, "token": app.api_token() }),
            )?;
            std::io::Write::flush(&mut out)?;
        } else {
            println!("{url}");
            eprintln!(
                "{}",
                crate::say::t("cli-ui-served", &[("port", &port.to_string())])
            );
        }
        // The browser is sent to a file only this user can read, which forwards it to the
        // link: the link's token never shows in a command line other users can see.
        let mut launcher = None;
        if !args.no_open {
            match launch_file(&url) {
                Ok((dir, file)) => {
                    if !open_browser(&file.to_string_lossy()) {
                        eprintln!("{}", crate::say::t("cli-ui-no-browser", &[]));
                    }
                    launcher = Some(dir);
                }
                Err(e) => eprintln!(
                    "{}",
                    crate::say::t(
                        "cli-ui-no-browser-why",
                        &[("why", &clean::line(&e.to_string()))],
                    )
                ),
            }
        }
        let out = musette_web::serve(app, listener, super::net::stopped())
            .await
            .map_err(|e| {
                exit::invalid(crate::say::t("cli-ui-stopped", &[("why", &e.to_string())]))
            });
        drop(launcher);
        out
    })
}

/// A page, readable by this user only, that forwards the browser to `url`.
fn launch_file(url: &str) -> std::io::Result<(tempfile::TempDir, std::path::PathBuf)> {
    let dir = tempfile::Builder::new().prefix("musette-ui-").tempdir()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    }
    let file = dir.path().join("open.html");
    let escaped = url.replace('&', "&amp;").replace('"', "&quot;");
    let link = crate::say::t("cli-ui-open-link", &[])
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    std::fs::write(
        &file,
        format!(
            "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={escaped}\"><title>musette</title><p><a href=\"{escaped}\">{link}</a></p>\n"
        ),
    )?;
    Ok((dir, file))
}
