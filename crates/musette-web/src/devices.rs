//! Your devices in the browser: the ones this vault synced with, a new one paired by showing
//! its invitation as a QR code (with the text to paste beside it), and "Sync now" with every
//! device and peer. The network work runs on a second handle of the open vault, and stops
//! when the app locks.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use askama::Template;
use axum::Extension;
use axum::Json;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use musette_sync::node::{NetError, Node};
use musette_sync::pair::{Invite, PairEvent, Pairing};
use musette_sync::reach::Reach;
use musette_sync::session::SyncError;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::i18n::Tr;
use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError, lock};

/// How long an invitation waits for the new device.
pub(crate) const INVITE_FOR: Duration = Duration::from_secs(10 * 60);
/// How long the inviting side waits for the new device's first sync once it joined.
const FIRST_SYNC: Duration = Duration::from_secs(60);
/// How long one device or peer may take to sync.
const SYNC_ONE: Duration = Duration::from_secs(90);

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/devices", get(page))
        .route("/devices/invite", post(invite))
        .route("/devices/invite/cancel", post(cancel))
        .route("/devices/invite/status", get(status))
        .route("/devices/sync", post(sync_page))
        .route("/api/v1/devices", get(api_devices))
        .route("/api/v1/sync", post(api_sync))
}

/// Where an invitation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InviteStatus {
    /// Waiting for the new device; `refused` wrong invitations were tried.
    Waiting { refused: u32 },
    /// A device joined, and copied the records (`synced`) or not yet.
    Joined { name: String, synced: bool },
    /// It ended without a device: expired, withdrawn after wrong tries, or the network failed.
    Ended(String),
}

/// The invitation open (or last made) on this app.
pub(crate) struct Invitation {
    /// Its text (it holds the one-time secret: shown only on this page).
    text: Zeroizing<String>,
    /// When it stops working.
    until: SystemTime,
    status: Arc<Mutex<InviteStatus>>,
}

/// The network work in progress (an invitation waiting or a sync), and the last invitation.
#[derive(Default)]
pub(crate) struct Network {
    /// Stops the work in progress.
    cancel: Option<oneshot::Sender<()>>,
    /// The work in progress, by number: its node is bound until it ends (cancelled or not).
    running: Option<u64>,
    /// The number the next piece of work gets.
    next: u64,
    invitation: Option<Invitation>,
}

impl Network {
    /// Stops whatever runs and forgets the invitation (on lock).
    pub(crate) fn stop(&mut self) {
        if let Some(c) = self.cancel.take() {
            let _ = c.send(());
        }
        self.invitation = None;
    }

    /// Cancels the invitation waiting (it is shown as cancelled).
    fn cancel_invitation(&mut self, why: String) {
        if let Some(inv) = &self.invitation {
            let mut status = lock(&inv.status);
            if matches!(*status, InviteStatus::Waiting { .. }) {
                *status = InviteStatus::Ended(why);
                if let Some(c) = self.cancel.take() {
                    let _ = c.send(());
                }
            }
        }
    }

    fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Work `n` is done: its node is closed.
    fn done(&mut self, n: u64) {
        if self.running == Some(n) {
            self.running = None;
            self.cancel = None;
        }
    }
}

/// A device, for people and programs.
#[derive(Serialize, ToSchema)]
pub struct DeviceOut {
    /// Its device id (hex).
    pub id: String,
    /// Its name (`this device` for this one).
    pub name: String,
    /// Whether it is this device.
    pub this_device: bool,
    /// When it last synced with this one (RFC 3339).
    pub last_sync: Option<String>,
    /// It has not taken the vault's new keys yet (it must run `musette sync`).
    pub waiting_for_keys: bool,
    /// It was removed from the vault.
    pub removed: bool,
}

fn devices(v: &musette_core::Vault) -> musette_core::Result<Vec<DeviceOut>> {
    let handover = musette_sync::devices::handover(v)?;
    let mut rows = vec![DeviceOut {
        id: v.device_id(),
        name: "this device".into(),
        this_device: true,
        last_sync: None,
        waiting_for_keys: false,
        removed: false,
    }];
    rows.extend(
        musette_sync::devices::known(v)?
            .into_iter()
            .map(|k| DeviceOut {
                waiting_for_keys: handover.pending.iter().any(|p| p.id == k.id),
                id: k.id,
                name: k.name,
                this_device: false,
                last_sync: Some(musette_sync::share::rfc3339(k.last_sync)),
                removed: false,
            }),
    );
    rows.extend(handover.removed.into_iter().map(|k| DeviceOut {
        id: k.id,
        name: k.name,
        this_device: false,
        last_sync: Some(musette_sync::share::rfc3339(k.last_sync)),
        waiting_for_keys: false,
        removed: true,
    }));
    Ok(rows)
}

/// What syncing with one device or peer gave.
#[derive(Serialize, ToSchema)]
pub struct SyncedOut {
    /// The device's or peer's name.
    pub name: String,
    /// `device` or `peer`.
    pub kind: String,
    /// Whether it worked.
    pub ok: bool,
    /// Records (or shared items) sent.
    pub sent: usize,
    /// Records (or shared items) received.
    pub received: usize,
    /// Why it failed, for people.
    pub error: Option<String>,
}

/// Binds this device's node on a second handle of the open vault.
async fn bind(app: &Arc<App>) -> Result<Node, WebError> {
    let vault = app.with_vault(|v| v.reopen()).await?;
    Node::bind(vault, &app.config.device_name, &app.config.net)
        .await
        .map_err(network)
}

fn network(e: NetError) -> WebError {
    WebError::new(StatusCode::BAD_GATEWAY, "network", e.to_string())
}

/// Claims the network for one piece of work: its number, and what says it is cancelled;
/// `None` when another runs.
fn claim(app: &App) -> Option<(u64, oneshot::Receiver<()>)> {
    let mut net = lock(&app.network);
    if net.busy() {
        return None;
    }
    let (tx, rx) = oneshot::channel();
    let n = net.next;
    net.next += 1;
    net.running = Some(n);
    net.cancel = Some(tx);
    Some((n, rx))
}

fn busy_error(tr: Tr) -> WebError {
    WebError::new(StatusCode::CONFLICT, "busy", tr.t("devices-busy"))
}

/// Syncs with every device and peer (or says there is nobody yet).
async fn sync_everyone(app: &Arc<App>, tr: Tr) -> Result<Vec<SyncedOut>, WebError> {
    let everyone = app.with_vault(|v| musette_sync::reach::everyone(v)).await?;
    if everyone.reach.is_empty() {
        return Err(WebError::invalid(tr.t("devices-nobody")));
    }
    let Some((work, mut cancelled)) = claim(app) else {
        return Err(busy_error(tr));
    };
    let node = match bind(app).await {
        Ok(n) => n,
        Err(e) => {
            lock(&app.network).done(work);
            return Err(e);
        }
    };
    let mut rows: Vec<SyncedOut> = everyone
        .waiting
        .iter()
        .map(|name| SyncedOut {
            name: name.clone(),
            kind: "device".into(),
            ok: false,
            sent: 0,
            received: 0,
            error: Some(tr.t("devices-waiting-keys")),
        })
        .collect();
    for r in &everyone.reach {
        let one = async {
            match r {
                Reach::Device(_, t) => node
                    .sync_with(t)
                    .await
                    .map(|o| (o.records_sent, o.records_received)),
                Reach::Peer(name, t) => node
                    .sync_peer(t, name)
                    .await
                    .map(|o| (o.records_sent, o.records_received)),
            }
        };
        let result = tokio::select! {
            r = tokio::time::timeout(SYNC_ONE, one) => r,
            _ = &mut cancelled => break,
        };
        let (ok, sent, received, error) = match result {
            Ok(Ok((s, r))) => (true, s, r, None),
            Ok(Err(NetError::Sync(SyncError::NewKeys(_)))) => {
                (false, 0, 0, Some(tr.t("devices-new-keys")))
            }
            Ok(Err(e)) => (false, 0, 0, Some(e.to_string())),
            Err(_) => (false, 0, 0, Some(tr.t("devices-timeout"))),
        };
        rows.push(SyncedOut {
            name: if r.name().is_empty() {
                tr.t("devices-other")
            } else {
                r.name().to_string()
            },
            kind: if r.is_peer() { "peer" } else { "device" }.into(),
            ok,
            sent,
            received,
            error,
        });
    }
    node.close().await;
    lock(&app.network).done(work);
    if !app.unlocked() {
        return Err(WebError::locked());
    }
    Ok(rows)
}

/// Opens an invitation: binds the node, answers the new device, and waits in the background.
async fn open_invitation(app: &Arc<App>, tr: Tr) -> Result<(), WebError> {
    let Some((work, cancelled)) = claim(app) else {
        return Err(busy_error(tr));
    };
    let node = match bind(app).await {
        Ok(n) => n,
        Err(e) => {
            lock(&app.network).done(work);
            return Err(e);
        }
    };
    let invite = Invite::new(node.ticket());
    let (pairing, events) = Pairing::new(node.vault(), &invite);
    let synced = node.take_events();
    let router = node.serve_with(Some(pairing));
    let status = Arc::new(Mutex::new(InviteStatus::Waiting { refused: 0 }));
    lock(&app.network).invitation = Some(Invitation {
        text: invite.encode(),
        until: SystemTime::now() + INVITE_FOR,
        status: status.clone(),
    });
    let app = app.clone();
    tokio::spawn(async move {
        let ended = tokio::select! {
            r = tokio::time::timeout(INVITE_FOR, wait_for_device(events, synced, status.clone())) => match r {
                Ok(Ok(())) => None,
                Ok(Err(why)) => Some(why),
                Err(_) => Some(tr.t("devices-invite-expired")),
            },
            _ = cancelled => Some(tr.t("devices-invite-cancelled")),
        };
        if let Some(why) = ended {
            *lock(&status) = InviteStatus::Ended(why);
        }
        router.shutdown().await.ok();
        node.close().await;
        lock(&app.network).done(work);
    });
    Ok(())
}

/// Waits for the new device to join, then (a minute at most) for its first sync.
async fn wait_for_device(
    mut events: tokio::sync::mpsc::UnboundedReceiver<PairEvent>,
    mut synced: Option<musette_sync::node::SyncEvents>,
    status: Arc<Mutex<InviteStatus>>,
) -> Result<(), String> {
    let mut refused = 0;
    let name = loop {
        match events.recv().await {
            Some(PairEvent::Joined(name)) => break name,
            Some(PairEvent::Refused) => {
                refused += 1;
                *lock(&status) = InviteStatus::Waiting { refused };
            }
            Some(PairEvent::Withdrawn) | None => {
                return Err("withdrawn".into());
            }
        }
    };
    *lock(&status) = InviteStatus::Joined {
        name: name.clone(),
        synced: false,
    };
    if let Some(s) = synced.as_mut() {
        let copied = tokio::time::timeout(FIRST_SYNC, async {
            while let Some(r) = s.recv().await {
                if r.is_ok() {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false);
        *lock(&status) = InviteStatus::Joined {
            name,
            synced: copied,
        };
    }
    Ok(())
}

/// Joins, on this new device, the vault `invitation` opens: makes the replica with this
/// device's `passphrase`, then copies the records from the inviting device (90 seconds at
/// most: a sync later brings what did not come). Returns the vault and this device's
/// recovery key, to show once.
pub(crate) async fn join_vault(
    app: &Arc<App>,
    invitation: &str,
    passphrase: &str,
) -> Result<(musette_core::Vault, Zeroizing<String>), WebError> {
    let invite = Invite::decode(invitation.trim()).map_err(|e| WebError::invalid(e.to_string()))?;
    let dir = app.config.vault_dir.clone();
    if musette_core::Vault::probe(&dir).is_ok() {
        return Err(musette_core::Error::AlreadyExists(dir).into());
    }
    let mut shown: Option<Zeroizing<String>> = None;
    let vault = musette_sync::pair::join(
        &invite,
        &app.config.device_name,
        &app.config.net,
        &dir,
        passphrase.as_bytes(),
        app.config.kdf,
        &mut |recovery, _| {
            shown = Some(recovery.display());
            Ok(())
        },
    )
    .await
    .map_err(|e| match e {
        NetError::BadTicket(_) => WebError::invalid(e.to_string()),
        NetError::Sync(SyncError::Vault(v)) => v.into(),
        other => network(other),
    })?;
    let recovery = shown.ok_or_else(|| WebError::internal("no recovery key was made"))?;
    let copy = vault.reopen()?;
    if let Ok(node) = Node::bind(copy, &app.config.device_name, &app.config.net).await {
        let _ = tokio::time::timeout(SYNC_ONE, node.sync_with(&invite.ticket)).await;
        node.close().await;
    }
    Ok((vault, recovery))
}

// --- The page ---------------------------------------------------------------------------------

struct DeviceRow {
    id: String,
    name: String,
    last_sync: String,
    status: String,
}

/// The invitation as the page shows it.
struct InviteView {
    text: String,
    qr: String,
    until: String,
    /// `waiting`, `joined`, `ended`.
    state: &'static str,
    /// [`poll_state`].
    poll: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "devices.html")]
struct DevicesPage {
    c: Chrome,
    devices: Vec<DeviceRow>,
    invite: Option<InviteView>,
    results: Vec<SyncedOut>,
    error: Option<String>,
}

/// The invitation's text as a QR code, an SVG drawn in the page (no script, no image file).
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map(|code| {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            // Inline in HTML: without the XML declaration.
            svg.find("<svg")
                .map_or(svg.clone(), |i| svg[i..].to_string())
        })
        .unwrap_or_default()
}

fn invite_view(tr: Tr, inv: &Invitation) -> InviteView {
    let status = lock(&inv.status).clone();
    let poll = poll_state(&status);
    let (state, message) = match status {
        InviteStatus::Waiting { refused: 0 } => ("waiting", tr.t("devices-invite-waiting")),
        InviteStatus::Waiting { refused } => (
            "waiting",
            format!(
                "{} {}",
                tr.t("devices-invite-waiting"),
                tr.n("devices-invite-refused", refused as usize)
            ),
        ),
        InviteStatus::Joined { name, synced } => (
            "joined",
            tr.t_with(
                if synced {
                    "devices-joined-synced"
                } else {
                    "devices-joined"
                },
                &[("name", fluent_bundle::FluentValue::from(name.as_str()))],
            ),
        ),
        InviteStatus::Ended(why) if why == "withdrawn" => {
            ("ended", tr.t("devices-invite-withdrawn"))
        }
        InviteStatus::Ended(why) => ("ended", why),
    };
    let until = inv
        .until
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| tr.moment(&musette_sync::share::rfc3339(d.as_secs())))
        .unwrap_or_default();
    InviteView {
        qr: if state == "waiting" {
            qr_svg(&inv.text)
        } else {
            String::new()
        },
        text: if state == "waiting" {
            inv.text.to_string()
        } else {
            String::new()
        },
        until,
        state,
        poll,
        message,
    }
}

async fn build(
    app: &Arc<App>,
    headers: &HeaderMap,
    caller: &Caller,
    results: Vec<SyncedOut>,
    error: Option<String>,
) -> Result<DevicesPage, WebError> {
    let list = app.with_vault(|v| devices(v)).await?;
    let c = chrome(app, headers, caller, "devices-title", "/devices");
    let tr = c.tr;
    let invite = lock(&app.network)
        .invitation
        .as_ref()
        .map(|i| invite_view(tr, i));
    Ok(DevicesPage {
        devices: list
            .into_iter()
            .map(|d| DeviceRow {
                id: d.id.chars().take(12).collect(),
                name: if d.this_device {
                    tr.t("devices-this")
                } else {
                    d.name
                },
                last_sync: d.last_sync.map_or_else(String::new, |t| tr.moment(&t)),
                status: if d.removed {
                    tr.t("devices-removed")
                } else if d.waiting_for_keys {
                    tr.t("devices-waiting-keys")
                } else {
                    String::new()
                },
            })
            .collect(),
        invite,
        results,
        error,
        c,
    })
}

async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    let page = build(&app, &headers, &caller, Vec::new(), None)
        .await
        .map_err(fail(&headers))?;
    Ok(render(&page))
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The page again with `e` said on it (what a person can act on), or the error page.
async fn refused(app: &Arc<App>, headers: &HeaderMap, caller: &Caller, e: WebError) -> PageResult {
    if !matches!(e.code, "invalid" | "busy" | "network") {
        return Err(fail(headers)(e));
    }
    let status = e.status;
    let page = build(app, headers, caller, Vec::new(), Some(e.message))
        .await
        .map_err(fail(headers))?;
    let mut r = render(&page);
    *r.status_mut() = status;
    Ok(r)
}

async fn invite(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = Tr {
        lang: crate::security::req_lang(&headers),
    };
    match open_invitation(&app, tr).await {
        Ok(()) => Ok(Redirect::to("/devices#invite").into_response()),
        Err(e) => refused(&app, &headers, &caller, e).await,
    }
}

async fn cancel(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = Tr {
        lang: crate::security::req_lang(&headers),
    };
    lock(&app.network).cancel_invitation(tr.t("devices-invite-cancelled"));
    Ok(Redirect::to("/devices#invite").into_response())
}

/// Where the invitation stands, for the page's script (it reloads the page when it changes).
#[derive(Serialize)]
struct StatusOut {
    state: &'static str,
}

async fn status(State(app): State<Arc<App>>) -> Response {
    let state = lock(&app.network)
        .invitation
        .as_ref()
        .map_or("none", |i| poll_state(&lock(&i.status)));
    Json(StatusOut { state }).into_response()
}

/// The invitation's state as the page's script compares it: any change reloads the page.
fn poll_state(s: &InviteStatus) -> &'static str {
    match s {
        InviteStatus::Waiting { refused: 0 } => "waiting",
        InviteStatus::Waiting { .. } => "refused",
        InviteStatus::Joined { synced: false, .. } => "joined",
        InviteStatus::Joined { synced: true, .. } => "synced",
        InviteStatus::Ended(_) => "ended",
    }
}

async fn sync_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = Tr {
        lang: crate::security::req_lang(&headers),
    };
    match sync_everyone(&app, tr).await {
        Ok(results) => {
            let page = build(&app, &headers, &caller, results, None)
                .await
                .map_err(fail(&headers))?;
            Ok(render(&page))
        }
        Err(e) => refused(&app, &headers, &caller, e).await,
    }
}

// --- The API ----------------------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/devices", responses(
    (status = 200, description = "This device, the devices it synced with, and those removed", body = [DeviceOut]),
    (status = 401, body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
))]
pub(crate) async fn api_devices(
    State(app): State<Arc<App>>,
) -> Result<Json<Vec<DeviceOut>>, WebError> {
    Ok(Json(app.with_vault(|v| devices(v)).await?))
}

#[utoipa::path(post, path = "/api/v1/sync", responses(
    (status = 200, description = "Synced with every device and peer this vault knows: one row each, failures included", body = [SyncedOut]),
    (status = 400, description = "No device or peer to sync with yet", body = crate::api::ApiError),
    (status = 401, body = crate::api::ApiError),
    (status = 409, description = "A sync or an invitation is already running", body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
    (status = 502, description = "The network could not be opened", body = crate::api::ApiError),
))]
pub(crate) async fn api_sync(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Json<Vec<SyncedOut>>, WebError> {
    let tr = Tr {
        lang: crate::security::req_lang(&headers),
    };
    Ok(Json(sync_everyone(&app, tr).await?))
}
