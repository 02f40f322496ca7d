//! # musette-web
//!
//! The backpack in a browser: `musette ui` serves these pages and the local API on the loopback
//! address, for the owner of the vault and the programs they allow, in French and English.
//!
//! - [`App`] holds the vault (unlocked or not), the tokens and the browser sessions;
//! - [`router`] is every route: pages (server-rendered HTML that works without JavaScript) and
//!   `/api/v1` (JSON, described by the OpenAPI document at `/api/v1/openapi.json`);
//! - [`security`] keeps the door shut: loopback `Host` only, no foreign `Origin`, a one-time
//!   launch token traded for an HttpOnly, SameSite=Strict cookie, CSRF tokens on forms, a bearer
//!   token for programs, strict response headers, and a lock after inactivity.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
mod api_share;
mod cosigning;
mod credentials;
mod devices;
mod error;
pub mod i18n;
mod pages;
mod people;
mod received;
pub mod security;
mod sharing;
mod stream;
mod transfer;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use musette_core::{KdfParams, Vault};

pub use error::WebError;

/// How long a request waits for the vault while another holds it.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// Settings of one run of the app.
#[derive(Debug, Clone)]
pub struct Config {
    /// The vault folder (it may not exist yet: the first page then creates it).
    pub vault_dir: PathBuf,
    /// The port the server listens on, on 127.0.0.1.
    pub port: u16,
    /// Lock the vault after this long without a request.
    pub idle_lock: Duration,
    /// The key derivation for a vault created from the browser.
    pub kdf: KdfParams,
    /// The largest attachment uploaded through the app, in bytes.
    pub max_upload: u64,
    /// How pairing a device and "Sync now" reach the network.
    pub net: musette_sync::node::NetConfig,
    /// The name this device goes by, shown to your other devices, when given (`--name`):
    /// remembered by the vault; without it, the one remembered, else the host's name.
    pub device_name: Option<String>,
}

/// A browser's session: its CSRF token and chosen language.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) csrf: String,
}

/// The app's state, shared by every request.
pub struct App {
    config: Config,
    /// The open vault. Only blocking threads take this lock (a transfer holds it while it
    /// streams): async code reads [`App::open`] and asks for a lock with [`App::lock_vault`].
    vault: Mutex<Option<Vault>>,
    /// The vault's keys lock, shared, while the vault is open here (see
    /// [`musette_sync::node::KeysLock`]): a `rekey` in another process is refused meanwhile.
    keys: Mutex<Option<musette_sync::node::KeysLock>>,
    /// Whether the vault is open (and not asked to lock).
    open: AtomicBool,
    /// A lock was asked for while the vault was busy: whoever holds it drops it when done.
    lock_asked: AtomicBool,
    launch_token: Mutex<Option<String>>,
    api_token: String,
    sessions: Mutex<HashMap<String, Session>>,
    last_activity: Mutex<Instant>,
    /// The recovery key of a vault just created here, shown once.
    recovery: Mutex<Option<zeroize::Zeroizing<String>>>,
    /// The node (while the vault is open), the last device invitation, what runs.
    pub(crate) network: Mutex<devices::Network>,
    /// Held while the node starts, so it starts once.
    pub(crate) node_start: tokio::sync::Mutex<()>,
    /// Held while a passphrase or a recovery key someone typed is checked (see [`App::guess`]).
    guesses: tokio::sync::Mutex<()>,
    /// The session the app holds while the vault is open here (as `musette unlock` makes one,
    /// its token only in memory): `musette lock --all` in another process ends it, and the
    /// app then locks ([`App::lock_if_ended`]).
    session: Mutex<Option<zeroize::Zeroizing<String>>>,
}

/// How long the app's own session lasts at most: the app locks once it is over.
const APP_SESSION: Duration = Duration::from_secs(30 * 24 * 3600);

/// How long a wrong passphrase or recovery key holds the next try.
pub(crate) const WRONG_GUESS_PAUSE: Duration = Duration::from_secs(1);

/// Locks a mutex, going on with the data if a thread panicked holding it (the data are a
/// vault handle and tokens, never left half written).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// 32 random bytes, as URL-safe text.
pub(crate) fn token() -> String {
    data_encoding::BASE64URL_NOPAD.encode(&musette_core::crypto::random_bytes::<32>())
}

impl App {
    /// A new app, with `vault` already open when the passphrase was given on the command line.
    pub fn new(config: Config, mut vault: Option<Vault>) -> Arc<App> {
        // Open only while the keys lock is held: a key change running right now (another
        // process) leaves the app locked, to be unlocked once it ends.
        let (mut vault, keys) = match vault.take() {
            Some(v) => match musette_sync::node::KeysLock::share(&config.vault_dir) {
                Ok(k) => (Some(v), Some(k)),
                Err(_) => (None, None),
            },
            None => (None, None),
        };
        let session = vault
            .as_mut()
            .and_then(|v| v.start_session(APP_SESSION).ok());
        Arc::new(App {
            keys: Mutex::new(keys),
            config,
            open: AtomicBool::new(vault.is_some()),
            lock_asked: AtomicBool::new(false),
            vault: Mutex::new(vault),
            launch_token: Mutex::new(Some(token())),
            api_token: token(),
            sessions: Mutex::new(HashMap::new()),
            last_activity: Mutex::new(Instant::now()),
            recovery: Mutex::new(None),
            network: Mutex::new(devices::Network::default()),
            node_start: tokio::sync::Mutex::new(()),
            guesses: tokio::sync::Mutex::new(()),
            session: Mutex::new(session),
        })
    }

    /// Starts the app's own session on `vault`, which the keys just changed (ending every
    /// session) or which just opened here.
    pub(crate) fn renew_session(&self, vault: &mut Vault) {
        *lock(&self.session) = vault.start_session(APP_SESSION).ok();
    }

    /// Locks the vault when its session here was ended in another process (`musette lock
    /// --all`) or is over; returns whether it did. Skipped while a request holds the vault.
    pub fn lock_if_ended(&self) -> bool {
        if !self.unlocked() {
            return false;
        }
        let Some(token) = lock(&self.session).clone() else {
            return false;
        };
        let ended = match self.vault.try_lock() {
            Ok(guard) => guard
                .as_ref()
                .is_some_and(|v| matches!(v.has_session(&token), Ok(false))),
            Err(_) => false,
        };
        if ended {
            lock(&self.session).take();
            self.lock_vault();
        }
        ended
    }

    /// Runs `check` of a passphrase or recovery key someone typed, one at a time: a wrong one
    /// (`wrong` says which outcomes are) holds the next try for [`WRONG_GUESS_PAUSE`], so
    /// guesses come one a second however many requests make them at once.
    pub(crate) async fn guess<T>(
        &self,
        check: impl std::future::Future<Output = T>,
        wrong: impl FnOnce(&T) -> bool,
    ) -> T {
        let _turn = self.guesses.lock().await;
        let out = check.await;
        if wrong(&out) {
            tokio::time::sleep(WRONG_GUESS_PAUSE).await;
        }
        out
    }

    /// The URL that opens the app in a browser, holding the one-time launch token.
    pub fn launch_url(&self) -> String {
        let token = lock(&self.launch_token).clone().unwrap_or_default();
        format!("http://127.0.0.1:{}/start?t={token}", self.config.port)
    }

    /// The bearer token other programs use with the API (`Authorization: Bearer …`).
    pub fn api_token(&self) -> &str {
        &self.api_token
    }

    /// The port served.
    pub fn port(&self) -> u16 {
        self.config.port
    }

    /// Whether the vault is open. Never waits.
    pub fn unlocked(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }

    /// Locks the vault: its keys are dropped from memory (now, or as soon as a transfer in
    /// progress ends), the recovery key of a vault just created is forgotten, and every page
    /// asks for the passphrase. Never waits.
    pub fn lock_vault(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.lock_asked.store(true, Ordering::SeqCst);
        lock(&self.recovery).take();
        lock(&self.network).stop();
        if let Ok(mut guard) = self.vault.try_lock() {
            self.drop_vault(&mut guard);
            self.lock_asked.store(false, Ordering::SeqCst);
        }
    }

    /// Locks the vault when no request came for the configured time; returns whether it did.
    pub fn lock_if_idle(&self) -> bool {
        let idle = lock(&self.last_activity).elapsed() >= self.config.idle_lock;
        if idle && self.unlocked() {
            self.lock_vault();
            return true;
        }
        false
    }

    /// Drops the open vault's keys from memory, and lets go of its keys lock.
    fn drop_vault(&self, guard: &mut Option<Vault>) {
        if let (Some(v), Some(token)) = (guard.as_mut(), lock(&self.session).take()) {
            let _ = v.end_session(&token);
        }
        guard.take();
        lock(&self.keys).take();
    }

    /// Lets go of the keys lock for a key change made here, which takes it alone; the
    /// change gives it back with [`App::hold_keys`].
    pub(crate) fn release_keys(&self) {
        lock(&self.keys).take();
    }

    /// Holds the keys lock again, shared, after a key change made here.
    pub(crate) fn hold_keys(&self) {
        if self.unlocked() {
            match musette_sync::node::KeysLock::share(&self.config.vault_dir) {
                Ok(k) => *lock(&self.keys) = Some(k),
                // Another process took them meanwhile: not held open without the lock.
                Err(_) => self.lock_vault(),
            }
        }
    }

    /// Puts an opened vault in place (on a blocking thread: it may wait for a transfer).
    pub(crate) fn set_vault(&self, mut vault: Vault) -> Result<(), WebError> {
        // Held while open: refused (the vault stays locked) while another process changes
        // the keys, which it would then hold stale.
        let keys = musette_sync::node::KeysLock::share(&self.config.vault_dir).map_err(|e| {
            WebError::new(
                axum::http::StatusCode::CONFLICT,
                "keys_changing",
                musette_sync::said::net_error(&e).to_string(),
            )
        })?;
        self.renew_session(&mut vault);
        let mut guard = lock(&self.vault);
        *guard = Some(vault);
        *lock(&self.keys) = Some(keys);
        self.lock_asked.store(false, Ordering::SeqCst);
        self.open.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// The vault, on a blocking thread, while it is open; a lock asked for meanwhile is applied
    /// when `f` is done.
    pub(crate) fn hold_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        let mut guard = self.wait_for_vault()?;
        if self.lock_asked.swap(false, Ordering::SeqCst) {
            self.drop_vault(&mut guard);
        }
        let vault = guard.as_mut().ok_or_else(WebError::locked)?;
        let out = f(vault);
        if self.lock_asked.swap(false, Ordering::SeqCst) {
            self.drop_vault(&mut guard);
        }
        out
    }

    /// The vault's lock, waited for [`BUSY_WAIT`] at most: a long transfer holding the vault
    /// makes other requests answer "busy" rather than hang.
    fn wait_for_vault(&self) -> Result<MutexGuard<'_, Option<Vault>>, WebError> {
        let deadline = Instant::now() + BUSY_WAIT;
        loop {
            match self.vault.try_lock() {
                Ok(g) => return Ok(g),
                Err(std::sync::TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) if Instant::now() >= deadline => {
                    return Err(WebError::said(
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        "busy",
                        musette_core::msg!(crate::i18n::WEB, "error-busy"),
                    ));
                }
                Err(std::sync::TryLockError::WouldBlock) => {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }

    pub(crate) fn touch(&self) {
        *lock(&self.last_activity) = Instant::now();
    }

    /// [`App::with_vault`], with the vault's errors said in `tr`'s language (for pages).
    pub(crate) async fn with_vault_in<T: Send + 'static>(
        self: &Arc<Self>,
        tr: i18n::Tr,
        f: impl FnOnce(&mut Vault) -> musette_core::Result<T> + Send + 'static,
    ) -> Result<T, WebError> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || {
            app.hold_vault(|vault| {
                f(vault).map_err(|e| {
                    let message = tr.error(&e);
                    WebError {
                        message,
                        ..WebError::from(e)
                    }
                })
            })
        })
        .await
        .map_err(|e| WebError::internal(format!("a task failed: {e}")))?
    }

    /// Runs `f` on the open vault, on a thread where blocking is fine.
    pub(crate) async fn with_vault<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Vault) -> musette_core::Result<T> + Send + 'static,
    ) -> Result<T, WebError> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || {
            app.hold_vault(|vault| f(vault).map_err(WebError::from))
        })
        .await
        .map_err(|e| WebError::internal(format!("a task failed: {e}")))?
    }
}

/// Every route of the app, on `app`.
pub fn router(app: Arc<App>) -> axum::Router {
    pages::routes()
        .merge(credentials::routes())
        .merge(transfer::routes())
        .merge(received::routes())
        .merge(sharing::routes())
        .merge(people::routes())
        .merge(devices::routes())
        .merge(cosigning::routes())
        .merge(api::routes())
        .merge(api_share::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            api_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::guard,
        ))
        .with_state(app)
}

/// Nothing at this address: the API says it in JSON, the pages with a page.
async fn not_found(
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return WebError::not_found("no such API route: see /api/v1/openapi.json").into_response();
    }
    pages::error_page(
        &WebError::not_found(error::NO_PAGE),
        security::req_lang(&headers),
    )
}

/// The API answers errors in JSON (`{"error","message"}`) even when the framework refused the
/// request itself (a malformed body, a wrong method, a query that does not parse).
/// A page's error, rendered without the app's navigation, gets it when the vault is unlocked
/// and the browser holds a session.
async fn api_errors(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let api = req.uri().path().starts_with("/api/");
    let lang = security::req_lang(req.headers());
    let csrf = req
        .extensions()
        .get::<security::Caller>()
        .map(|c| c.csrf().to_string())
        .filter(|c| !c.is_empty());
    let response = next.run(req).await;
    if let (Some(pages::Failed(e, lang)), Some(csrf)) =
        (response.extensions().get::<pages::Failed>().cloned(), &csrf)
        && app.unlocked()
    {
        // The same response (its status, its headers), with the page's navigation.
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        let (_, body) = pages::error_page_in(&e, lang, Some(csrf)).into_parts();
        return axum::response::Response::from_parts(parts, body);
    }
    let status = response.status();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    let failed = status.is_client_error() || status.is_server_error();
    if !api && failed && content_type.starts_with(b"text/plain") {
        // The framework's own refusal of a page's request (a query or a form that does not
        // parse): the app's error page, in the page's language.
        let body = axum::body::to_bytes(response.into_body(), 64 << 10)
            .await
            .unwrap_or_default();
        let status = if status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
            axum::http::StatusCode::BAD_REQUEST
        } else {
            status
        };
        let message = String::from_utf8_lossy(&body).trim().to_string();
        let e = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            WebError::said(
                status,
                "too_large",
                musette_core::msg!(crate::i18n::WEB, "error-request-too-large"),
            )
        } else {
            WebError::said(
                status,
                "invalid",
                musette_core::msg!(crate::i18n::WEB, "error-form-unreadable", why = message),
            )
        };
        return pages::error_page(&e, lang);
    }
    let is_json = content_type.starts_with(b"application/json");
    if !api || !failed || is_json {
        return response;
    }
    // A body of the wrong shape is bad input, as on the command line (exit code 2): 400, not
    // the framework's 422, which the API keeps for data that fails its own checks.
    let status = if status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        status
    };
    let body = axum::body::to_bytes(response.into_body(), 64 << 10)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_string();
    let code = match status.as_u16() {
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "too_large",
        414 => "too_long",
        415 => "unsupported_media_type",
        s if s >= 500 => "internal",
        _ => "invalid",
    };
    let message = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        // The framework says "length limit exceeded": say which and what to do.
        WebError::said(
            status,
            "too_large",
            musette_core::msg!(crate::i18n::WEB, "error-request-too-large"),
        )
        .message
    } else if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("the request was refused")
            .to_string()
    } else {
        text
    };
    WebError::new(status, code, message).into_response()
}

/// Serves the app on `listener` until `shutdown` completes, locking the vault when idle.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if app.unlocked() {
        devices::serve_soon(&app);
    }
    let watcher = app.clone();
    let idle = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if !watcher.lock_if_idle() {
                watcher.lock_if_ended();
            }
        }
    });
    // Once told to stop, requests under way get a few seconds to end; a browser's open
    // connection (a download left running, a tab kept open) does not keep the process alive.
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        let _ = stopping.send(());
    };
    let server = axum::serve(listener, router(app)).with_graceful_shutdown(signal);
    let out = tokio::select! {
        out = std::future::IntoFuture::into_future(server) => out,
        () = async {
            if stopped.await.is_ok() {
                tokio::time::sleep(STOP_GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => Ok(()),
    };
    idle.abort();
    out
}

/// How long requests under way may take to end once the app is told to stop.
const STOP_GRACE: Duration = Duration::from_secs(3);
