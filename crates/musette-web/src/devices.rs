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
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::i18n::Tr;
use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError, lock};

/// How long an invitation waits for the new device.
pub(crate) const INVITE_FOR: Duration = Duration::from_secs(10 * 60);
/// How long one device or peer may take to sync.
const SYNC_ONE: Duration = Duration::from_secs(90);

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/devices", get(page))
        .route("/devices/invite", post(invite))
        .route("/devices/invite/cancel", post(cancel))
        .route("/devices/invite/status", get(status))
        .route("/devices/sync", post(sync_page))
        .route("/devices/remove", get(remove_page).post(remove))
        .route("/devices/keys", post(take_keys))
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
    /// It ended without a device: expired, withdrawn after wrong tries, or cancelled.
    Ended(String),
}

/// The invitation open (or last made) on this app.
pub(crate) struct Invitation {
    /// Its number: a timer set for one invitation leaves the next alone.
    id: u64,
    /// Its text (it holds the one-time secret: shown only on this page).
    text: Zeroizing<String>,
    /// When it stops working.
    until: SystemTime,
    status: Arc<Mutex<InviteStatus>>,
}

/// This app's node while the vault is open: it answers your other devices and your peers as
/// `musette serve` does, pairs a new device while an invitation is open, and syncs.
struct Running {
    node: Node,
    /// What answers other devices and pairs a new one: none when another process already
    /// serves this vault (`musette serve`), and then this node only syncs outward.
    serving: Option<Serving>,
}

impl Running {
    /// Stops answering, then closes the node (and lets go of the serve lock).
    async fn shut(self) {
        if let Some(s) = self.serving {
            s.router.shutdown().await.ok();
        }
        self.node.close().await;
    }
}

struct Serving {
    router: musette_sync::node::Router,
    pairing: Pairing,
    _lock: musette_sync::node::ServeLock,
}

/// The app's network: its node, the last invitation, what runs.
#[derive(Default)]
pub(crate) struct Network {
    running: Option<Running>,
    invitation: Option<Invitation>,
    /// A "Sync now" runs.
    syncing: bool,
    /// A join (this app making a replica) runs.
    joining: bool,
    /// Bumped by every lock: what began before a lock does not outlive it.
    locks: u64,
    /// The number the next invitation gets.
    next: u64,
    /// The port the node last listened on (kept across locks).
    port: Option<u16>,
    /// New keys another device of this vault offered at the last "Sync now" (it removed a
    /// device): kept until taken, or until the app locks.
    offer: Option<Offer>,
    /// Why the node could not start (an address `--bind` names that cannot be listened on):
    /// said on the Devices page until it starts.
    failed: Option<String>,
}

/// New keys offered by another device (see [`Network::offer`]).
pub(crate) struct Offer {
    /// The device that offered them.
    from: String,
    /// The devices it removed (names).
    removed: Vec<(String, String)>,
    /// The keys (secret).
    keys: Zeroizing<Vec<u8>>,
}

impl Network {
    /// Stops the node and forgets the invitation (on lock): the node's vault handle, and its
    /// keys, go with it.
    pub(crate) fn stop(&mut self) {
        if let Some(r) = self.halt()
            && let Ok(handle) = tokio::runtime::Handle::try_current()
        {
            handle.spawn(r.shut());
        }
    }

    /// [`Network::stop`], handing back the node for the caller to shut down (and wait for).
    fn halt(&mut self) -> Option<Running> {
        self.locks += 1;
        self.invitation = None;
        self.offer = None;
        let r = self.running.take();
        if let Some(s) = r.as_ref().and_then(|r| r.serving.as_ref()) {
            s.pairing.disarm();
        }
        r
    }

    /// The invitation waiting, if one is.
    fn waiting(&self) -> Option<&Invitation> {
        self.invitation
            .as_ref()
            .filter(|i| matches!(*lock(&i.status), InviteStatus::Waiting { .. }))
    }

    /// Closes the invitation waiting (it is shown as ended, with `why`).
    fn end_invitation(&mut self, why: String) {
        if let Some(inv) = self.waiting() {
            *lock(&inv.status) = InviteStatus::Ended(why);
            if let Some(s) = self.running.as_ref().and_then(|r| r.serving.as_ref()) {
                s.pairing.disarm();
            }
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
    Ok(musette_sync::devices::listing(v)?
        .into_iter()
        .map(|d| DeviceOut {
            last_sync: d.last_sync.map(musette_sync::share::rfc3339),
            id: d.id,
            name: d.name,
            this_device: d.this_device,
            waiting_for_keys: d.waiting_for_keys,
            removed: d.removed,
        })
        .collect())
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

fn network(e: NetError) -> WebError {
    WebError::said(
        StatusCode::BAD_GATEWAY,
        "network",
        musette_sync::said::net_error(&e),
    )
}

fn busy_error(tr: Tr) -> WebError {
    WebError::new(StatusCode::CONFLICT, "busy", tr.t("devices-busy"))
}

/// This app's node, started on a second handle of the open vault if it does not run yet.
pub(crate) async fn node(app: &Arc<App>) -> Result<Node, WebError> {
    let _one_at_a_time = app.node_start.lock().await;
    let locks = {
        let net = lock(&app.network);
        if let Some(r) = &net.running {
            return Ok(r.node.clone());
        }
        net.locks
    };
    // The port it had before a lock, so your devices find it where they last did.
    let again = lock(&app.network).port.map(|port| {
        let mut cfg = app.config.net.clone();
        match cfg.bind {
            Some(a) => cfg.bind = Some(std::net::SocketAddr::new(a.ip(), port)),
            None => cfg.port = Some(port),
        }
        cfg
    });
    let given = app.config.device_name.clone();
    let name = app
        .with_vault(move |v| {
            musette_sync::devices::name_this(
                v,
                given.as_deref(),
                &musette_sync::devices::host_name(),
            )
        })
        .await?;
    let bound = match again {
        Some(cfg) => {
            let vault = app.with_vault(|v| v.reopen()).await?;
            Node::bind(vault, &name, &cfg).await.ok()
        }
        None => None,
    };
    let node = match bound {
        Some(n) => n,
        None => {
            let vault = app.with_vault(|v| v.reopen()).await?;
            Node::bind(vault, &name, &app.config.net)
                .await
                .map_err(network)?
        }
    };
    if let Some(socket) = node.sockets().first() {
        lock(&app.network).port = Some(socket.port());
    }
    // It answers other devices unless another process already does for this vault.
    let (serving, pair_events) = match musette_sync::node::ServeLock::take(&app.config.vault_dir) {
        Ok(lock) => {
            let (pairing, pair_events) = Pairing::idle(node.vault());
            let router = node.serve_with(Some(pairing.clone()));
            (
                Some(Serving {
                    router,
                    pairing,
                    _lock: lock,
                }),
                Some(pair_events),
            )
        }
        Err(_) => (None, None),
    };
    let synced = node.take_events();
    let kept = {
        let mut net = lock(&app.network);
        if net.locks == locks && app.unlocked() {
            net.running = Some(Running {
                node: node.clone(),
                serving,
            });
            None
        } else {
            Some(serving)
        }
    };
    if let Some(serving) = kept {
        // Locked meanwhile: the node goes at once.
        if let Some(s) = serving {
            s.router.shutdown().await.ok();
        }
        node.close().await;
        return Err(WebError::locked());
    }
    if let Some(pair_events) = pair_events {
        tokio::spawn(watch(app.clone(), pair_events, synced));
    }
    Ok(node)
}

/// Starts the node in the background once the vault is open, so your other devices and your
/// peers reach this app as they reach `musette serve`.
pub(crate) fn serve_soon(app: &Arc<App>) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        let app = app.clone();
        handle.spawn(async move {
            let failed = match node(&app).await {
                Ok(_) => None,
                Err(e) if e.code == "locked" => None,
                Err(e) => {
                    eprintln!("musette: warning: {}", e.message);
                    Some(e.message)
                }
            };
            lock(&app.network).failed = failed;
        });
    }
}

/// Follows what the node reports: a new device refused or joined, and its first sync.
async fn watch(
    app: Arc<App>,
    mut pairs: tokio::sync::mpsc::UnboundedReceiver<PairEvent>,
    mut synced: Option<musette_sync::node::SyncEvents>,
) {
    loop {
        let next_sync = async {
            match synced.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = pairs.recv() => {
                let Some(event) = event else { break };
                let net = lock(&app.network);
                let Some(inv) = &net.invitation else { continue };
                let mut status = lock(&inv.status);
                *status = match (event, &*status) {
                    (PairEvent::Refused, InviteStatus::Waiting { refused }) => {
                        InviteStatus::Waiting { refused: refused + 1 }
                    }
                    (PairEvent::Joined(name), _) => InviteStatus::Joined { name, synced: false },
                    (PairEvent::Withdrawn, InviteStatus::Waiting { .. }) => {
                        InviteStatus::Ended("withdrawn".into())
                    }
                    (_, other) => other.clone(),
                };
            }
            outcome = next_sync => match outcome {
                None => synced = None,
                Some(Ok(_)) => {
                    let net = lock(&app.network);
                    if let Some(inv) = &net.invitation {
                        let mut status = lock(&inv.status);
                        if let InviteStatus::Joined { name, synced: false } = &*status {
                            *status = InviteStatus::Joined { name: name.clone(), synced: true };
                        }
                    }
                }
                Some(Err(_)) => {}
            },
        }
    }
}

/// Syncs with every device and peer (or says there is nobody yet).
async fn sync_everyone(app: &Arc<App>, tr: Tr) -> Result<Vec<SyncedOut>, WebError> {
    let relays = app.config.net.relay;
    let everyone = app
        .with_vault(move |v| musette_sync::reach::everyone(v, relays))
        .await?;
    if everyone.reach.is_empty() {
        return Err(WebError::invalid(tr.t("devices-nobody")));
    }
    let locks = {
        let mut net = lock(&app.network);
        if net.syncing {
            return Err(busy_error(tr));
        }
        net.syncing = true;
        net.locks
    };
    let done = |app: &App| lock(&app.network).syncing = false;
    let node = match node(app).await {
        Ok(n) => n,
        Err(e) => {
            done(app);
            return Err(e);
        }
    };
    let locked = || lock(&app.network).locks != locks;
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
        .chain(everyone.no_address.iter().map(|name| SyncedOut {
            name: name.clone(),
            kind: "device".into(),
            ok: false,
            sent: 0,
            received: 0,
            error: Some(tr.t("devices-no-address")),
        }))
        .collect();
    for r in &everyone.reach {
        let one = async {
            match r {
                Reach::Device(name, t) => node
                    .sync_device(t, name)
                    .await
                    .map(|o| (o.records_sent, o.records_received)),
                Reach::Peer(name, t) => node
                    .sync_peer(t, name)
                    .await
                    .map(|o| (o.records_sent, o.records_received)),
            }
        };
        let until_locked = async {
            while !locked() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        let result = tokio::select! {
            r = tokio::time::timeout(SYNC_ONE, one) => r,
            () = until_locked => break,
        };
        let (ok, sent, received, error) = match result {
            Ok(Ok((s, r))) => (true, s, r, None),
            Ok(Err(NetError::Sync(SyncError::NewKeys(k)))) => {
                lock(&app.network).offer = Some(Offer {
                    from: r.name().to_string(),
                    removed: k.removed,
                    keys: k.keys,
                });
                (false, 0, 0, Some(tr.t("devices-new-keys")))
            }
            Ok(Err(NetError::Unreachable { .. })) => {
                (false, 0, 0, Some(tr.t("devices-unreachable")))
            }
            Ok(Err(NetError::Sync(SyncError::Refused(_)))) if !r.is_peer() => {
                (false, 0, 0, Some(tr.t("devices-sync-refused")))
            }
            Ok(Err(NetError::Sync(SyncError::Wire(musette_sync::wire::WireError::TimedOut)))) => {
                (false, 0, 0, Some(tr.t("devices-timeout")))
            }
            Ok(Err(e)) => (
                false,
                0,
                0,
                Some(musette_sync::said::net_error(&e).say(tr.lang)),
            ),
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
    done(app);
    if locked() || !app.unlocked() {
        return Err(WebError::locked());
    }
    Ok(rows)
}

/// Opens an invitation on this app's node (one made before no longer works), closed after
/// [`INVITE_FOR`].
async fn open_invitation(app: &Arc<App>, tr: Tr) -> Result<(), WebError> {
    let node = node(app).await?;
    let invite = Invite::new(node.ticket());
    let id = {
        let mut net = lock(&app.network);
        let Some(r) = &net.running else {
            return Err(WebError::locked());
        };
        let Some(serving) = &r.serving else {
            return Err(WebError::new(
                StatusCode::CONFLICT,
                "busy",
                tr.t("devices-served-elsewhere"),
            ));
        };
        serving.pairing.arm(&invite);
        let id = net.next;
        net.next += 1;
        net.invitation = Some(Invitation {
            id,
            text: invite.encode(),
            until: SystemTime::now() + INVITE_FOR,
            status: Arc::new(Mutex::new(InviteStatus::Waiting { refused: 0 })),
        });
        id
    };
    let app = app.clone();
    tokio::spawn(async move {
        tokio::time::sleep(INVITE_FOR).await;
        let mut net = lock(&app.network);
        if net.invitation.as_ref().is_some_and(|i| i.id == id) {
            net.end_invitation(tr.t("devices-invite-expired"));
        }
    });
    Ok(())
}

/// Joins, on this new device, the vault `invitation` opens: makes the replica with this
/// device's `passphrase`. Returns the vault, this device's recovery key (to show once) and
/// where the inviting device listens (to copy the records from).
pub(crate) async fn join_vault(
    app: &Arc<App>,
    invitation: &str,
    passphrase: &str,
    tr: Tr,
) -> Result<
    (
        musette_core::Vault,
        Zeroizing<String>,
        musette_sync::node::Ticket,
    ),
    WebError,
> {
    let invite = Invite::decode(invitation.trim()).map_err(|_| {
        // Said for people: either it is something else, or it was cut or mistyped.
        let why = if invitation.trim().starts_with("musettejoin1") {
            tr.t("join-why-mistyped")
        } else {
            tr.t("join-why-prefix")
        };
        WebError::invalid(tr.t_with(
            "join-not-an-invitation",
            &[("why", fluent_bundle::FluentValue::from(why))],
        ))
    })?;
    let dir = app.config.vault_dir.clone();
    let locks = {
        let mut net = lock(&app.network);
        if net.joining {
            return Err(busy_error(tr));
        }
        net.joining = true;
        net.locks
    };
    let joined = async {
        if musette_core::Vault::probe(&dir).is_ok() {
            return Err(WebError::from(musette_core::Error::AlreadyExists(
                dir.clone(),
            )));
        }
        let mut shown: Option<Zeroizing<String>> = None;
        let name = app
            .config
            .device_name
            .clone()
            .unwrap_or_else(musette_sync::devices::host_name);
        let vault = musette_sync::pair::join(
            &invite,
            &name,
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
            NetError::BadTicket(_) | NetError::BadInvitation(_) => {
                WebError::invalid_said(musette_sync::said::net_error(&e))
            }
            NetError::Sync(SyncError::Vault(v)) => v.into(),
            NetError::Sync(SyncError::Refused(_)) => WebError::invalid(tr.t("join-refused")),
            NetError::Unreachable { .. } => {
                WebError::new(StatusCode::BAD_GATEWAY, "network", tr.t("join-unreachable"))
            }
            other => network(other),
        })?;
        let recovery = shown.ok_or_else(|| WebError::internal("no recovery key was made"))?;
        Ok::<_, WebError>((vault, recovery))
    }
    .await;
    let locked = {
        let mut net = lock(&app.network);
        net.joining = false;
        net.locks != locks
    };
    let (vault, recovery) = joined?;
    if locked {
        // Locked while joining: the replica is made, and stays locked; its recovery key is
        // not shown now.
        drop(vault);
        return Err(WebError::new(
            StatusCode::LOCKED,
            "locked",
            tr.t("join-locked-meanwhile"),
        ));
    }
    Ok((vault, recovery, invite.ticket))
}

/// Copies the records from the device that invited this one (90 seconds at most: a sync
/// later brings what did not come).
pub(crate) async fn first_copy(app: &Arc<App>, from: &musette_sync::node::Ticket) {
    if let Ok(node) = node(app).await {
        let _ = tokio::time::timeout(SYNC_ONE, node.sync_with(from)).await;
    }
}

// --- The page ---------------------------------------------------------------------------------

struct DeviceRow {
    id: String,
    name: String,
    last_sync: String,
    status: String,
    /// Its whole id when it can be removed (another device, not removed yet).
    removable: Option<String>,
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
    offer: Option<OfferView>,
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
    // Said until the node starts: the other devices cannot reach this one.
    let error = error.or_else(|| lock(&app.network).failed.clone());
    let c = chrome(app, headers, caller, "devices-title", "/devices");
    let tr = c.tr;
    let invite = lock(&app.network)
        .invitation
        .as_ref()
        .map(|i| invite_view(tr, i));
    let offer = lock(&app.network).offer.as_ref().map(|o| {
        let from = if o.from.is_empty() {
            tr.t("devices-other")
        } else {
            o.from.clone()
        };
        let removed: Vec<&str> = o.removed.iter().map(|(_, n)| n.as_str()).collect();
        OfferView {
            said: tr.t_with(
                if removed.is_empty() {
                    "devices-keys-offer-rekey"
                } else {
                    "devices-keys-offer"
                },
                &[
                    ("from", fluent_bundle::FluentValue::from(from)),
                    (
                        "removed",
                        fluent_bundle::FluentValue::from(removed.join(", ")),
                    ),
                ],
            ),
        }
    });
    Ok(DevicesPage {
        devices: list
            .into_iter()
            .map(|d| DeviceRow {
                removable: (!d.this_device && !d.removed).then(|| d.id.clone()),
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
        offer,
        results,
        error,
        c,
    })
}

#[derive(Template)]
#[template(path = "device_remove.html")]
struct RemovePage {
    c: Chrome,
    id: String,
    short: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct RemoveQuery {
    #[serde(default)]
    device: String,
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    device: String,
    #[serde(default)]
    passphrase: String,
}

/// The device a removal names: one this vault synced with, not this one, not removed yet.
async fn removable(app: &Arc<App>, tr: Tr, which: &str) -> Result<DeviceOut, WebError> {
    let which = which.trim().to_ascii_lowercase();
    let all = app.with_vault(|v| devices(v)).await?;
    all.into_iter()
        .find(|d| which.len() >= 6 && d.id.starts_with(&which) && !d.removed)
        .ok_or_else(|| WebError::not_found(tr.t("devices-remove-unknown")))
        .and_then(|d| {
            if d.this_device {
                Err(WebError::invalid(tr.t("devices-remove-self")))
            } else {
                Ok(d)
            }
        })
}

fn remove_view(
    app: &Arc<App>,
    headers: &HeaderMap,
    caller: &Caller,
    d: &DeviceOut,
    error: Option<String>,
) -> RemovePage {
    RemovePage {
        c: chrome(app, headers, caller, "devices-remove-title", "/devices"),
        id: d.id.clone(),
        short: d.id.chars().take(12).collect(),
        name: d.name.clone(),
        error,
    }
}

async fn remove_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    axum::extract::Query(q): axum::extract::Query<RemoveQuery>,
) -> PageResult {
    let tr = crate::security::req_tr(&headers);
    let d = removable(&app, tr, &q.device)
        .await
        .map_err(fail(&headers))?;
    Ok(render(&remove_view(&app, &headers, &caller, &d, None)))
}

/// Removes a device: the node stops (it holds the old keys), the vault is re-keyed with the
/// passphrase typed, and the new recovery key is shown once, as at creation.
async fn remove(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RemoveForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let passphrase = Zeroizing::new(form.passphrase);
    let d = removable(&app, tr, &form.device)
        .await
        .map_err(fail(&headers))?;
    // The passphrase first, before anything stops: a wrong one changes nothing, and waits.
    if let Some(r) = wrong_passphrase(&app, tr, &passphrase).await {
        let e = match r {
            Ok(()) => tr.t("devices-remove-wrong"),
            Err(e) => e.message,
        };
        let mut r = render(&remove_view(&app, &headers, &caller, &d, Some(e)));
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(r);
    }
    let busy = {
        let net = lock(&app.network);
        if net.waiting().is_some() {
            Some(tr.t("devices-remove-invitation"))
        } else if net.syncing || net.joining {
            Some(tr.t("devices-busy"))
        } else {
            None
        }
    };
    if let Some(why) = busy {
        let mut r = render(&remove_view(&app, &headers, &caller, &d, Some(why)));
        *r.status_mut() = StatusCode::CONFLICT;
        return Ok(r);
    }
    let id = d.id.clone();
    let removed = change_keys(&app, tr, false, move |vault, show| {
        let gone = musette_sync::devices::find(vault, &id)?;
        musette_sync::devices::remove(vault, &gone, passphrase.as_bytes(), &mut |_, _| {}, show)
    })
    .await;
    match removed {
        Ok(_) => Ok(Redirect::to("/recovery?rekeyed=1").into_response()),
        Err(e) if !app.unlocked() => Err(fail(&headers)(e)),
        Err(e) => {
            let message = if e.code == "wrong_passphrase" {
                tr.t("devices-remove-wrong")
            } else {
                e.message
            };
            let mut r = render(&remove_view(&app, &headers, &caller, &d, Some(message)));
            *r.status_mut() = e.status;
            Ok(r)
        }
    }
}

#[derive(Deserialize)]
struct KeysForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    passphrase: String,
    /// The person ticked that they removed those devices themselves.
    #[serde(default)]
    confirm: String,
}

/// Takes the new keys another device offered (it removed a device): the node stops, the
/// vault takes the keys with the passphrase typed, and its new recovery key is shown once.
async fn take_keys(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<KeysForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let passphrase = Zeroizing::new(form.passphrase);
    let offered = lock(&app.network).offer.as_ref().map(|o| {
        (
            musette_core::replica::DeviceKeys::from_bytes(&o.keys),
            o.removed.clone(),
        )
    });
    let Some((keys, removed)) = offered else {
        let e = WebError::invalid(tr.t("devices-keys-none"));
        return refused(&app, &headers, &caller, e).await;
    };
    if form.confirm.is_empty() {
        let e = WebError::invalid(tr.t("devices-keys-confirm-needed"));
        return refused(&app, &headers, &caller, e).await;
    }
    let keys = match keys {
        Ok(k) => k,
        Err(e) => {
            let e = WebError::invalid(tr.error(&e));
            return refused(&app, &headers, &caller, e).await;
        }
    };
    if let Some(r) = wrong_passphrase(&app, tr, &passphrase).await {
        let message = match r {
            Ok(()) => tr.t("devices-remove-wrong"),
            Err(e) => e.message,
        };
        let e = WebError::new(StatusCode::UNAUTHORIZED, "invalid", message);
        return refused(&app, &headers, &caller, e).await;
    }
    let busy = {
        let net = lock(&app.network);
        net.syncing || net.joining
    };
    if busy {
        return refused(&app, &headers, &caller, busy_error(tr)).await;
    }
    // The offer is kept if taking it fails.
    let taken = change_keys(&app, tr, true, move |vault, show| {
        vault.adopt_keys(passphrase.as_bytes(), &keys, &mut |_, _| {}, show)?;
        musette_sync::devices::removed_elsewhere(vault, &removed)
    })
    .await;
    match taken {
        Ok(()) => {
            lock(&app.network).offer = None;
            Ok(Redirect::to("/recovery?adopted=1").into_response())
        }
        Err(e) if !app.unlocked() => Err(fail(&headers)(e)),
        Err(e) => {
            let message = if e.code == "wrong_passphrase" {
                tr.t("devices-remove-wrong")
            } else {
                e.message
            };
            let e = WebError::new(e.status, "invalid", message);
            refused(&app, &headers, &caller, e).await
        }
    }
}

/// Changes the vault's keys with `change` (it hands the new recovery key to the function it is
/// given before anything is committed): the node, whose handle holds the current keys, is
/// stopped and awaited first and started again after; the new recovery key is kept for the
/// recovery page. `keep_offer`: new keys another device offered stay offered.
async fn change_keys<T: Send + 'static>(
    app: &Arc<App>,
    tr: Tr,
    keep_offer: bool,
    change: impl FnOnce(
        &mut musette_core::Vault,
        &mut dyn FnMut(&musette_core::Rekeyed) -> musette_core::Result<()>,
    ) -> musette_core::Result<T>
    + Send
    + 'static,
) -> Result<T, WebError> {
    let running = {
        let mut net = lock(&app.network);
        let offer = net.offer.take();
        let r = net.halt();
        if keep_offer {
            net.offer = offer;
        }
        r
    };
    if let Some(r) = running {
        r.shut().await;
    }
    // A `serve` in another process would go on with the old keys: the keys change only
    // while this app alone holds them.
    app.release_keys();
    let held = match musette_sync::node::KeysLock::change(&app.config.vault_dir) {
        Ok(l) => l,
        Err(e) => {
            app.hold_keys();
            serve_soon(app);
            return Err(match e {
                musette_sync::node::NetError::AlreadyServed => WebError::new(
                    StatusCode::CONFLICT,
                    "served_elsewhere",
                    tr.t("devices-keys-while-served"),
                ),
                e => WebError::internal(e.to_string()),
            });
        }
    };
    let shown: Arc<Mutex<Option<Zeroizing<String>>>> = Arc::default();
    let keep = shown.clone();
    let app2 = app.clone();
    let changed = app
        .with_vault_in(tr, move |vault| {
            let out = change(vault, &mut |done| {
                *lock(&keep) = Some(done.recovery.display());
                Ok(())
            });
            // New keys end every session, the app's own with them.
            app2.renew_session(vault);
            out
        })
        .await;
    drop(held);
    app.hold_keys();
    serve_soon(app);
    let out = changed?;
    let key = lock(&shown)
        .take()
        .ok_or_else(|| WebError::internal("no recovery key was made"))?;
    *lock(&app.recovery) = Some(key);
    Ok(out)
}

/// `None` when `passphrase` opens this vault; else, after a pause (so guesses come slowly),
/// `Ok(())` for a wrong one, or the error that kept it from being checked.
async fn wrong_passphrase(
    app: &Arc<App>,
    tr: Tr,
    passphrase: &Zeroizing<String>,
) -> Option<Result<(), WebError>> {
    let p = passphrase.clone();
    let opens = app
        .guess(
            app.with_vault_in(tr, move |v| v.passphrase_opens(p.as_bytes())),
            |r| matches!(r, Ok(false)),
        )
        .await;
    match opens {
        Ok(true) => None,
        Ok(false) => Some(Ok(())),
        Err(e) => Some(Err(e)),
    }
}

/// The offer the page shows: who offered new keys, and whom they removed.
pub(crate) struct OfferView {
    said: String,
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
    let tr = crate::security::req_tr(&headers);
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
    let tr = crate::security::req_tr(&headers);
    lock(&app.network).end_invitation(tr.t("devices-invite-cancelled"));
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
    let tr = crate::security::req_tr(&headers);
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
) -> Result<Json<Vec<SyncedOut>>, WebError> {
    // The API speaks English to programs, whatever the browser asks for.
    let tr = crate::i18n::Tr {
        lang: crate::i18n::Lang::En,
    };
    Ok(Json(sync_everyone(&app, tr).await?))
}
