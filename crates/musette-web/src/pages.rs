//! The pages: server-rendered HTML that works with JavaScript off, every field labelled, in the
//! browser's language.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use musette_core::model::{FieldType, Kind};
use musette_core::{Edit, Filter, Unlock, Vault};
use serde::Deserialize;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::i18n::{Lang, Tr};
use crate::security::{Caller, LANG_COOKIE, req_lang};
use crate::{App, WebError, lock};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(dashboard))
        .route("/start", get(start))
        .route("/unlock", get(unlock_page).post(unlock))
        .route("/create", post(create))
        .route("/join", post(join))
        .route("/recovery", get(recovery_page).post(recovery_done))
        .route("/recover", get(recover_page).post(recover))
        .route("/lock", post(lock_now))
        .route("/lang/{code}", get(set_lang))
        .route("/records", get(records).post(create_record))
        .route("/records/new", get(new_record))
        .route("/profile", get(profile_page))
        .route("/records/{id}", get(record).post(edit_record))
        .route("/records/{id}/edit", get(edit_form))
        .route("/records/{id}/remove", post(remove_record))
        .route("/records/{id}/forget", get(forget_page).post(forget_record))
        .route("/records/{id}/attachments/{name}", get(download))
        .route("/records/{id}/original", get(original))
        .route(
            "/records/{id}/attachments",
            post(attach).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
}

/// What every page shows around its content.
pub(crate) struct Chrome {
    pub(crate) tr: Tr,
    pub(crate) title: String,
    pub(crate) unlocked: bool,
    pub(crate) csrf: String,
    /// Where the language switch comes back to.
    pub(crate) here: String,
}

impl Chrome {
    /// The other languages, as (code, name, link).
    pub(crate) fn languages(&self) -> Vec<(&'static str, &'static str, String)> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.tr.lang)
            .map(|l| {
                (
                    l.code(),
                    l.name(),
                    format!("/lang/{}?back={}", l.code(), encode(&self.here)),
                )
            })
            .collect()
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn chrome(
    app: &App,
    headers: &HeaderMap,
    caller: &Caller,
    title: &str,
    here: &str,
) -> Chrome {
    let tr = crate::security::req_tr(headers);
    Chrome {
        title: tr.t(title),
        tr,
        unlocked: app.unlocked(),
        csrf: caller.csrf().to_string(),
        here: here.to_string(),
    }
}

pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot render the page: {e}"),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

/// A page's failure as [`error_page`] rendered it, without the app's navigation (a handler
/// does not know whether the vault is open): the router renders it again with the navigation
/// when the vault is unlocked for this browser.
#[derive(Clone)]
pub(crate) struct Failed(pub(crate) WebError, pub(crate) Lang);

/// An error as a page.
pub(crate) fn error_page(e: &WebError, lang: Lang) -> Response {
    let mut r = error_page_in(e, lang, None);
    r.extensions_mut().insert(Failed(e.clone(), lang));
    r
}

/// An error as a page, with the app's navigation (and its lock button, which carries `csrf`)
/// when `csrf` is given: the vault is unlocked and this browser holds a session.
pub(crate) fn error_page_in(e: &WebError, lang: Lang, csrf: Option<&str>) -> Response {
    let tr = Tr { lang };
    let page = ErrorPage {
        c: Chrome {
            title: tr.t("error-title"),
            tr,
            unlocked: csrf.is_some(),
            csrf: csrf.unwrap_or_default().to_string(),
            here: "/".into(),
        },
        status: e.status.as_u16(),
        message: tr.web_error(e),
    };
    let mut r = render(&page);
    *r.status_mut() = e.status;
    r
}

/// A page's failure: the error page, or the unlock page when the vault is locked.
pub(crate) struct PageError(WebError, Lang);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.0.code == "locked" {
            return Redirect::to("/unlock").into_response();
        }
        error_page(&self.0, self.1)
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// A list's date ("2019-04 – 2024-06", "2019-04 –", "2026-12-05") as the page's language
/// writes each end.
fn listed_date(tr: Tr, d: &str) -> String {
    d.split('–')
        .map(|part| {
            let p = part.trim();
            if p.is_empty() {
                String::new()
            } else {
                tr.date(p)
            }
        })
        .collect::<Vec<_>>()
        .join(" – ")
        .trim()
        .to_string()
}

/// Tags as a filter field gives them: separated by commas, blanks dropped.
pub(crate) fn tag_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn fail(headers: &HeaderMap) -> impl Fn(WebError) -> PageError + '_ {
    move |e| PageError(e, req_lang(headers))
}

// --- Launch, unlock, create, lock -----------------------------------------------------------

#[derive(Deserialize)]
struct StartQuery {
    #[serde(default)]
    t: String,
}

/// The launch link: its one-time token becomes this browser's session cookie.
async fn start(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Query(q): Query<StartQuery>,
) -> Response {
    let valid = {
        let mut launch = lock(&app.launch_token);
        let ok = launch
            .as_deref()
            .is_some_and(|t| musette_core::crypto::ct_eq(t.as_bytes(), q.t.as_bytes()));
        if ok {
            launch.take();
        }
        ok
    };
    if !valid && caller.session.is_some() {
        // The launch link again, in the browser it already let in: nothing to refuse.
        return Redirect::to("/").into_response();
    }
    if !valid {
        return error_page(
            &WebError::unauthorized(crate::error::LINK_USED),
            req_lang(&headers),
        );
    }
    let (cookie, _) = crate::security::start_session(&app);
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    r
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage {
    c: Chrome,
    exists: bool,
    error: Option<String>,
    /// What went wrong joining a vault (said beside the join form), and the invitation typed.
    join_error: Option<String>,
    invitation: String,
}

async fn unlock_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> Response {
    if app.unlocked() {
        return Redirect::to("/").into_response();
    }
    let exists = Vault::probe(&app.config.vault_dir).is_ok();
    let title = if exists {
        "unlock-title"
    } else {
        "create-title"
    };
    render(&UnlockPage {
        c: chrome(&app, &headers, &caller, title, "/unlock"),
        exists,
        error: None,
        join_error: None,
        invitation: String::new(),
    })
}

#[derive(Deserialize)]
struct UnlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    confirm: String,
    /// For `/join`: the invitation another device of yours made.
    #[serde(default)]
    invitation: String,
}

async fn unlock(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<UnlockForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let passphrase = Zeroizing::new(form.passphrase);
    let dir = app.config.vault_dir.clone();
    let opened = app
        .guess(
            tokio::task::spawn_blocking(move || {
                Vault::open(&dir, Unlock::Passphrase(passphrase.as_bytes()))
            }),
            |r| matches!(r, Ok(Err(musette_core::Error::WrongPassphrase))),
        )
        .await
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    match opened {
        Ok(vault) => {
            let app2 = app.clone();
            tokio::task::spawn_blocking(move || app2.set_vault(vault))
                .await
                .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?
                .map_err(fail(&headers))?;
            crate::devices::serve_soon(&app);
            let mut r = Redirect::to("/").into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                crate::security::renew_session(&app, &caller),
            );
            Ok(r)
        }
        Err(e) => {
            let tr = crate::security::req_tr(&headers);
            let message = match e {
                musette_core::Error::WrongPassphrase => tr.t("unlock-wrong"),
                other => other.to_string(),
            };
            let mut r = render(&UnlockPage {
                c: chrome(&app, &headers, &caller, "unlock-title", "/unlock"),
                exists: true,
                error: Some(message),
                join_error: None,
                invitation: String::new(),
            });
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(r)
        }
    }
}

async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<UnlockForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let refuse = |message: String| {
        let mut r = render(&UnlockPage {
            c: chrome(&app, &headers, &caller, "create-title", "/unlock"),
            exists: false,
            error: Some(message),
            join_error: None,
            invitation: String::new(),
        });
        *r.status_mut() = StatusCode::BAD_REQUEST;
        Ok(r)
    };
    let passphrase = Zeroizing::new(form.passphrase);
    let confirm = Zeroizing::new(form.confirm);
    if passphrase.chars().count() < 8 {
        return refuse(tr.t("create-too-short"));
    }
    if passphrase.as_str() != confirm.as_str() {
        return refuse(tr.t("create-mismatch"));
    }
    let dir = app.config.vault_dir.clone();
    let kdf = app.config.kdf;
    let created =
        tokio::task::spawn_blocking(move || Vault::create(&dir, passphrase.as_bytes(), kdf))
            .await
            .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    match created {
        Ok((vault, recovery)) => {
            let app2 = app.clone();
            tokio::task::spawn_blocking(move || app2.set_vault(vault))
                .await
                .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?
                .map_err(fail(&headers))?;
            crate::devices::serve_soon(&app);
            *lock(&app.recovery) = Some(recovery.display());
            Ok(Redirect::to("/recovery").into_response())
        }
        Err(e) => refuse(e.to_string()),
    }
}

/// On a new device: joins a vault you already have with the invitation another of your
/// devices made (its devices page shows it), with this device's own passphrase; the records
/// are copied from there, and this device's recovery key is shown once.
async fn join(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<UnlockForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let invitation = Zeroizing::new(form.invitation);
    let refuse = |message: String, status: StatusCode| {
        let mut r = render(&UnlockPage {
            c: chrome(&app, &headers, &caller, "create-title", "/unlock"),
            exists: false,
            error: None,
            join_error: Some(message),
            invitation: invitation.chars().take(4096).collect(),
        });
        *r.status_mut() = status;
        Ok(r)
    };
    let passphrase = Zeroizing::new(form.passphrase);
    let confirm = Zeroizing::new(form.confirm);
    if passphrase.chars().count() < 8 {
        return refuse(tr.t("create-too-short"), StatusCode::BAD_REQUEST);
    }
    if passphrase.as_str() != confirm.as_str() {
        return refuse(tr.t("create-mismatch"), StatusCode::BAD_REQUEST);
    }
    match crate::devices::join_vault(&app, &invitation, &passphrase, tr).await {
        Ok((vault, recovery, from)) => {
            let app2 = app.clone();
            tokio::task::spawn_blocking(move || app2.set_vault(vault))
                .await
                .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?
                .map_err(fail(&headers))?;
            *lock(&app.recovery) = Some(recovery);
            crate::devices::first_copy(&app, &from).await;
            Ok(Redirect::to("/recovery?joined=1").into_response())
        }
        Err(e) if matches!(e.code, "invalid" | "network" | "busy") => {
            refuse(tr.web_error(&e), e.status)
        }
        Err(e) => Err(fail(&headers)(e)),
    }
}

#[derive(Template)]
#[template(path = "recover.html")]
struct RecoverPage {
    c: Chrome,
    error: Option<String>,
}

async fn recover_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> Response {
    render(&RecoverPage {
        c: chrome(&app, &headers, &caller, "recover-title", "/recover"),
        error: None,
    })
}

#[derive(Deserialize)]
struct RecoverForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    confirm: String,
}

/// A forgotten passphrase: the recovery key opens the vault, and a new passphrase is set.
async fn recover(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RecoverForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let refuse = |message: String, status: StatusCode| {
        let mut r = render(&RecoverPage {
            c: chrome(&app, &headers, &caller, "recover-title", "/recover"),
            error: Some(message),
        });
        *r.status_mut() = status;
        Ok(r)
    };
    let key = Zeroizing::new(form.key);
    let passphrase = Zeroizing::new(form.passphrase);
    let confirm = Zeroizing::new(form.confirm);
    if passphrase.chars().count() < 8 {
        return refuse(tr.t("create-too-short"), StatusCode::BAD_REQUEST);
    }
    if passphrase.as_str() != confirm.as_str() {
        return refuse(tr.t("create-mismatch"), StatusCode::BAD_REQUEST);
    }
    let Ok(recovery) = musette_core::RecoveryKey::parse(&key) else {
        return refuse(tr.t("recover-wrong"), StatusCode::UNAUTHORIZED);
    };
    let dir = app.config.vault_dir.clone();
    let opened = app
        .guess(
            tokio::task::spawn_blocking(move || {
                let mut vault = Vault::open(&dir, Unlock::Recovery(&recovery))?;
                vault.change_passphrase(passphrase.as_bytes(), None)?;
                Ok::<_, musette_core::Error>(vault)
            }),
            |r| matches!(r, Ok(Err(musette_core::Error::WrongRecoveryKey))),
        )
        .await
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    match opened {
        Ok(vault) => {
            let app2 = app.clone();
            tokio::task::spawn_blocking(move || app2.set_vault(vault))
                .await
                .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?
                .map_err(fail(&headers))?;
            crate::devices::serve_soon(&app);
            let mut r = Redirect::to("/").into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                crate::security::renew_session(&app, &caller),
            );
            Ok(r)
        }
        Err(musette_core::Error::WrongRecoveryKey) => {
            refuse(tr.t("recover-wrong"), StatusCode::UNAUTHORIZED)
        }
        Err(e) => refuse(e.to_string(), StatusCode::BAD_REQUEST),
    }
}

#[derive(Template)]
#[template(path = "recovery.html")]
struct RecoveryPage {
    c: Chrome,
    key: String,
    joined: bool,
    rekeyed: bool,
    adopted: bool,
}

#[derive(Deserialize)]
struct RecoveryQuery {
    /// Shown after this computer joined a vault another one holds.
    joined: Option<String>,
    /// Shown after a device was removed (the vault has new keys).
    rekeyed: Option<String>,
    /// Shown after this device took new keys another device offered.
    adopted: Option<String>,
}

async fn recovery_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Query(q): Query<RecoveryQuery>,
) -> Response {
    if !app.unlocked() {
        return Redirect::to("/unlock").into_response();
    }
    let Some(key) = lock(&app.recovery).as_ref().map(|k| k.to_string()) else {
        return Redirect::to("/").into_response();
    };
    render(&RecoveryPage {
        c: chrome(&app, &headers, &caller, "recovery-title", "/recovery"),
        key,
        joined: q.joined.is_some(),
        rekeyed: q.rekeyed.is_some(),
        adopted: q.adopted.is_some(),
    })
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn recovery_done(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    lock(&app.recovery).take();
    Ok(Redirect::to("/").into_response())
}

async fn lock_now(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    app.lock_vault();
    Ok(Redirect::to("/unlock").into_response())
}

#[derive(Deserialize)]
struct BackQuery {
    back: Option<String>,
}

/// Switches the language (a cookie), back to the page it came from (on this site only).
async fn set_lang(Path(code): Path<String>, Query(q): Query<BackQuery>) -> Response {
    // A language the app does not speak changes nothing: the browser's own choice stands.
    let lang = Lang::parse(&code);
    // Back to a page of this app only: a path of plain characters (no `//`, no backslash, no
    // whitespace or control character a browser would drop to make `//elsewhere`).
    let back = q
        .back
        .filter(|b| {
            b.starts_with('/')
                && !b.starts_with("//")
                && b.len() <= 512
                && b.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/?=&%._-~+,".contains(&c))
                && !b[1..].starts_with('/')
        })
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&back).into_response();
    if let Some(lang) = lang
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; SameSite=Strict; Path=/; Max-Age=31536000",
            lang.code()
        ))
    {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

// --- Dashboard -------------------------------------------------------------------------------

struct DueRow {
    id: String,
    title: String,
    when: String,
    overdue: bool,
    link: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    c: Chrome,
    counts: Vec<(String, String, usize)>,
    total: usize,
    due: Vec<DueRow>,
    /// Things to do beyond those shown.
    more_due: usize,
    received: usize,
}

/// Things to do shown on the dashboard; the rest are counted.
const DUE_SHOWN: usize = 20;

async fn dashboard(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    if !app.unlocked() {
        return Ok(Redirect::to("/unlock").into_response());
    }
    if lock(&app.recovery).is_some() {
        return Ok(Redirect::to("/recovery").into_response());
    }
    let c = chrome(&app, &headers, &caller, "dashboard-title", "/");
    let tr = c.tr;
    let today = time::OffsetDateTime::now_utc().date();
    let (summaries, due, received) = app
        .with_vault(move |v| {
            let (list, _) = v.list(&Filter::default())?;
            let due = musette_sync::due::due(v, today, 30)?;
            let received = v.kept_received().map(|k| k.len()).unwrap_or(0);
            Ok((list, due, received))
        })
        .await
        .map_err(fail(&headers))?;
    let mut counts: Vec<(String, String, usize)> = Kind::ALL
        .into_iter()
        .map(|k| {
            let n = summaries.iter().filter(|s| s.kind == k).count();
            (
                k.as_str().to_string(),
                tr.n(&format!("count-{}", k.as_str()), n),
                n,
            )
        })
        .collect();
    counts.retain(|(_, _, n)| *n > 0);
    let due = due
        .into_iter()
        .map(|d| {
            let when = match (d.what, d.days) {
                ("waiting", _) => tr.t("due-waiting"),
                ("due", Some(n)) if n < 0 => tr.n("due-overdue", (-n) as usize),
                ("expires", Some(n)) if n < 0 => tr.n("due-expired", (-n) as usize),
                ("due", Some(n)) => tr.n("due-in", n as usize),
                (_, Some(n)) => tr.n("due-expires-in", n as usize),
                _ => String::new(),
            };
            DueRow {
                link: d.kind != "cosign",
                overdue: d.days.is_some_and(|n| n < 0),
                id: d.id,
                title: d.title,
                when,
            }
        })
        .collect();
    let mut due: Vec<DueRow> = due;
    let more_due = due.len().saturating_sub(DUE_SHOWN);
    due.truncate(DUE_SHOWN);
    Ok(render(&Dashboard {
        total: summaries.len(),
        c,
        counts,
        due,
        more_due,
        received,
    }))
}

// --- Records ---------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    removed: Option<String>,
}

struct Row {
    id: String,
    kind: String,
    title: String,
    date: String,
    tags: Vec<String>,
    removed: bool,
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    c: Chrome,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    q: String,
    kind: String,
    tag: String,
    show_removed: bool,
    kinds: Vec<(String, String)>,
}

/// Records per page of the list.
const PAGE: usize = 100;

fn kind_options(tr: Tr) -> Vec<(String, String)> {
    Kind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), tr.kind(k)))
        .collect()
}

async fn records(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let kind = if q.kind.is_empty() {
        None
    } else {
        Some(
            q.kind
                .parse::<Kind>()
                .map_err(|e| fail(&headers)(e.into()))?,
        )
    };
    let filter = Filter {
        kind,
        search: Some(q.q.trim().to_string()).filter(|s| !s.is_empty()),
        // Tags typed as they are entered, separated by commas: each must be there, whatever
        // its case or accents ("CV, metier" finds "cv" and "Métier").
        tags: tag_list(&q.tag),
        include_deleted: q.removed.is_some(),
    };
    let list = app
        .with_vault(move |v| v.list(&filter).map(|(l, _)| l))
        .await
        .map_err(fail(&headers))?;
    let removed = if q.removed.is_some() {
        "&removed=1"
    } else {
        ""
    };
    let here = format!(
        "/records?q={}&kind={}&tag={}{removed}",
        encode(&q.q),
        encode(&q.kind),
        encode(&q.tag)
    );
    let c = chrome(&app, &headers, &caller, "records-title", &here);
    let tr = c.tr;
    let total = list.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let link = |p: usize| {
        format!(
            "/records?q={}&kind={}&tag={}{removed}&page={p}",
            encode(&q.q),
            encode(&q.kind),
            encode(&q.tag)
        )
    };
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    let rows = list
        .into_iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .map(|s| Row {
            kind: tr.kind(s.kind),
            id: s.id,
            title: s.title,
            date: s.date.map(|d| listed_date(tr, &d)).unwrap_or_default(),
            tags: s.tags,
            removed: s.deleted,
        })
        .collect();
    Ok(render(&RecordsPage {
        kinds: kind_options(tr),
        c,
        rows,
        total,
        page,
        pages,
        prev,
        next,
        show_removed: q.removed.is_some(),
        q: q.q,
        kind: q.kind,
        tag: q.tag,
    }))
}

/// A name with its text-direction characters shown as escapes (`\u{202e}`), so a file named
/// `evil\u{202e}gpj.exe` cannot pass for "evilexe.jpg".
pub(crate) fn visible(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
                || c.is_control()
            {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A field of a `kind` record as people read it in `tr`'s language: dates and choices in
/// words, then as [`shown`].
pub(crate) fn shown_field(tr: Tr, kind: Kind, name: &str, v: &Value) -> String {
    match (kind.field(name).map(|s| s.ty), v) {
        (Some(FieldType::Date), Value::String(d)) => tr.date(d),
        (Some(FieldType::Choice(_)), Value::String(w)) => tr.choice(w),
        // The credential a badge came as: kept whole, shown by its size (it downloads).
        (Some(FieldType::Verbatim), Value::String(text)) => tr.t_with(
            "record-original-kept",
            &[(
                "size",
                fluent_bundle::FluentValue::from(tr.size(text.len() as u64)),
            )],
        ),
        _ if name == musette_core::batch::SOURCE => provenance(v),
        _ => shown(v),
    }
}

/// Where a record came from (`jsonresume:work:[2]`), for people: `JSON Resume · work`.
fn provenance(v: &Value) -> String {
    let Some(text) = v.as_str() else {
        return shown(v);
    };
    let mut parts = text.split(':');
    let from = match parts.next().unwrap_or_default() {
        "jsonresume" => "JSON Resume",
        "linkedin" => "LinkedIn",
        "vcard" => "vCard",
        other => other,
    };
    match parts.next().filter(|p| !p.is_empty()) {
        Some(section) => format!("{from} · {section}"),
        None => from.to_string(),
    }
}

/// A field's value as text for people: lists joined, an object by its values (an address as
/// "2712 Broadway St, San Francisco"), a list of objects one after the other.
pub(crate) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let sep = if items.iter().all(|i| !i.is_object()) {
                ", "
            } else {
                "; "
            };
            items
                .iter()
                .map(shown)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(sep)
        }
        Value::Object(map) => map
            .values()
            .map(shown)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

struct Attachment {
    name: String,
    size: String,
    href: String,
}

struct Change {
    time: String,
    device: String,
    action: String,
    fields: String,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    c: Chrome,
    saved: bool,
    id: String,
    kind: String,
    fields: Vec<(String, String)>,
    tags: Vec<String>,
    attachments: Vec<Attachment>,
    history: Vec<Change>,
    deleted: bool,
    /// It holds the credential it came as (a badge): it downloads.
    original: bool,
}

#[derive(Deserialize)]
struct RecordQuery {
    saved: Option<String>,
}

async fn record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(rq): Query<RecordQuery>,
) -> PageResult {
    let (r, history, refs) = app
        .with_vault(move |v| {
            let r = v.show(&id)?;
            let h = v.history(&r.id)?;
            // Records it points at, by title.
            let mut refs = HashMap::new();
            for spec in r.state.kind.fields() {
                if spec.ty == FieldType::RecordRef
                    && let Some(Value::String(to)) = r.state.fields.get(spec.name)
                    && let Ok(target) = v.show(to)
                {
                    refs.insert(to.clone(), target.title);
                }
            }
            Ok((r, h, refs))
        })
        .await
        .map_err(fail(&headers))?;
    let mut c = chrome(
        &app,
        &headers,
        &caller,
        "record-title",
        &format!("/records/{}", r.id),
    );
    c.title = r.title.clone();
    let tr = c.tr;
    let kind = r.state.kind;
    let mut fields: Vec<(String, String)> = Vec::new();
    for spec in kind.fields() {
        if let Some(v) = r.state.fields.get(spec.name) {
            let text = match (spec.ty, v) {
                (FieldType::RecordRef, Value::String(to)) => {
                    refs.get(to).cloned().unwrap_or_else(|| to.clone())
                }
                _ => shown_field(tr, kind, spec.name, v),
            };
            fields.push((tr.field(spec.name), text));
        }
    }
    for (k, v) in &r.state.fields {
        if kind.field(k).is_none() {
            fields.push((tr.field(k), shown_field(tr, kind, k, v)));
        }
    }
    let attachments = r
        .state
        .attachments
        .iter()
        .map(|a| Attachment {
            name: visible(&a.name),
            size: tr.size(a.size),
            href: format!("/records/{}/attachments/{}", r.id, encode(&a.name)),
        })
        .collect();
    let history = history
        .into_iter()
        .map(|h| Change {
            time: tr.moment(&h.time),
            device: if h.this_device {
                tr.t("history-this-device")
            } else {
                h.device
            },
            action: tr.action(&h.action),
            fields: h
                .fields
                .iter()
                .map(|f| visible(&tr.field(f)))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(render(&RecordPage {
        saved: rq.saved.is_some(),
        id: r.id.clone(),
        kind: tr.kind(kind),
        c,
        fields,
        tags: r.state.tags.clone(),
        attachments,
        history,
        deleted: r.state.deleted,
        original: r
            .state
            .fields
            .get("credential")
            .is_some_and(Value::is_string),
    }))
}

/// The credential a badge came as, unchanged, as a download.
async fn original(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let (rid, text) = app
        .with_vault(move |v| {
            let r = v.show(&id)?;
            let text = r
                .state
                .fields
                .get("credential")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    musette_core::Error::Invalid(musette_core::msg!(
                        crate::i18n::WEB,
                        "error-no-original",
                        id = &r.id
                    ))
                })?;
            Ok((r.id, text))
        })
        .await
        .map_err(fail(&headers))?;
    let mut r = text.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"badge-{rid}.json\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

struct FormField {
    name: String,
    label: String,
    value: String,
    /// On an edit, the value as the form first showed it: a field sent back as it was shown
    /// is left as the record holds it (see [`edit_record`]).
    original: String,
    required: bool,
    /// `text`, `date`, `list`, `choice`, `area`.
    input: &'static str,
    options: Vec<(String, String)>,
    hint: String,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    c: Chrome,
    id: Option<String>,
    kind: String,
    kind_label: String,
    fields: Vec<FormField>,
    tags: String,
    /// On an edit, the tags as the form first showed them.
    original_tags: String,
    error: Option<String>,
    kinds: Vec<(String, String)>,
    /// A line above a form made for one purpose (the profile), which then offers no other kind.
    intro: Option<String>,
}

/// The experiences a record may point at (evidence of one, a recommendation about one), as
/// (id, title), by title: a form offers them by name rather than asking for an id.
async fn experiences(app: &Arc<App>) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = app
        .with_vault(|v| v.records_of(Kind::Experience))
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(f, id)| (id, musette_core::model::title_of(Kind::Experience, &f)))
        .collect();
    all.sort_by_cached_key(|(_, title)| title.to_lowercase());
    all
}

/// [`experiences`], and the records `values` point at that are not among them (a
/// recommendation about a skill, evidence of an experience since removed), by their title
/// where the vault still shows them: an edit form offers what the record holds.
async fn refs_of(app: &Arc<App>, kind: Kind, values: &Map<String, Value>) -> Vec<(String, String)> {
    let mut all = experiences(app).await;
    for spec in kind
        .fields()
        .iter()
        .filter(|s| s.ty == FieldType::RecordRef)
    {
        let Some(id) = values.get(spec.name).and_then(Value::as_str) else {
            continue;
        };
        if all.iter().any(|(i, _)| i == id) {
            continue;
        }
        let wanted = id.to_string();
        let title = app
            .with_vault(move |v| v.show(&wanted))
            .await
            .map(|r| musette_core::model::title_of(r.state.kind, &r.state.fields))
            .unwrap_or_else(|_| id.to_string());
        all.push((id.to_string(), title));
    }
    all
}

fn form_fields(
    tr: Tr,
    kind: Kind,
    values: &Map<String, Value>,
    refs: &[(String, String)],
) -> Vec<FormField> {
    kind.fields()
        .iter()
        .filter(|s| s.ty != FieldType::Verbatim)
        .enumerate()
        .map(|(i, spec)| {
            let (input, options, hint) = match spec.ty {
                FieldType::Date => ("date", vec![], tr.t("hint-date")),
                FieldType::List => ("list", vec![], tr.t("hint-list")),
                FieldType::Choice(opts) => (
                    "choice",
                    opts.iter()
                        .map(|o| (o.to_string(), tr.t(&format!("choice-{o}"))))
                        .collect(),
                    String::new(),
                ),
                FieldType::RecordRef => ("choice", refs.to_vec(), String::new()),
                _ if matches!(spec.name, "description" | "notes" | "text" | "criteria") => {
                    ("area", vec![], String::new())
                }
                _ if spec.name == "email" => ("email", vec![], String::new()),
                _ if spec.name == "phone" => ("tel", vec![], String::new()),
                _ if spec.name == "url" => ("url", vec![], String::new()),
                _ => ("text", vec![], String::new()),
            };
            let value = values.get(spec.name).map(shown).unwrap_or_default();
            // A record it points at that the list does not offer (another kind, or one
            // removed) is offered too, by its id, so that saving the form keeps it.
            let mut options = options;
            if spec.ty == FieldType::RecordRef
                && !value.is_empty()
                && !options.iter().any(|(v, _)| *v == value)
            {
                options.push((value.clone(), value.clone()));
            }
            FormField {
                name: spec.name.to_string(),
                label: tr.field(spec.name),
                original: value.clone(),
                value,
                required: i == 0,
                input,
                options,
                hint,
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct NewQuery {
    #[serde(default)]
    kind: String,
}

async fn new_record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    if !app.unlocked() {
        return Err(PageError(WebError::locked(), req_lang(&headers)));
    }
    let kind = q.kind.parse::<Kind>().unwrap_or(Kind::Experience);
    let c = chrome(
        &app,
        &headers,
        &caller,
        "new-title",
        &format!("/records/new?kind={}", kind.as_str()),
    );
    let tr = c.tr;
    Ok(render(&FormPage {
        fields: form_fields(tr, kind, &Map::new(), &experiences(&app).await),
        kinds: kind_options(tr),
        kind_label: tr.kind(kind),
        kind: kind.as_str().to_string(),
        id: None,
        tags: String::new(),
        original_tags: String::new(),
        error: None,
        intro: None,
        c,
    }))
}

/// Your own card (`musette profile`): the contact that carries this vault's did, or the form
/// that makes it, with the did filled in.
async fn profile_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    if !app.unlocked() {
        return Err(PageError(WebError::locked(), req_lang(&headers)));
    }
    let (found, did) = app
        .with_vault(|v| {
            let found = musette_formats::many::profile(v)?.0.map(|(id, _)| id);
            Ok((found, v.owner()?.did().to_string()))
        })
        .await
        .map_err(fail(&headers))?;
    if let Some(id) = found {
        return Ok(Redirect::to(&format!("/records/{id}")).into_response());
    }
    let c = chrome(&app, &headers, &caller, "profile-title", "/profile");
    let tr = c.tr;
    let mut mine = Map::new();
    mine.insert("did".into(), Value::String(did));
    Ok(render(&FormPage {
        fields: form_fields(tr, Kind::Contact, &mine, &experiences(&app).await),
        kinds: kind_options(tr),
        kind_label: tr.kind(Kind::Contact),
        kind: Kind::Contact.as_str().to_string(),
        id: None,
        tags: String::new(),
        original_tags: String::new(),
        error: None,
        intro: Some(tr.t("profile-intro")),
        c,
    }))
}

/// The fields of a submitted form (`f_<name>`), as the kind's types want them: empty ones
/// are `None` (removed on an edit).
fn submitted(kind: Kind, form: &HashMap<String, String>) -> Vec<(String, Option<Value>)> {
    kind.fields()
        .iter()
        .filter(|s| s.ty != FieldType::Verbatim)
        .filter_map(|spec| {
            let raw = form.get(&format!("f_{}", spec.name))?;
            let raw = raw.trim();
            if raw.is_empty() {
                return Some((spec.name.to_string(), None));
            }
            Some((
                spec.name.to_string(),
                Some(musette_core::model::parse_cli_value(kind, spec.name, raw)),
            ))
        })
        .collect()
}

/// Whether the form sent field `name` back as it first showed it (`o_<name>`, which an edit
/// form carries): line breaks as a browser sends them (CRLF) and blanks around aside.
fn unchanged(form: &HashMap<String, String>, name: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    match (
        form.get(&format!("f_{name}")),
        form.get(&format!("o_{name}")),
    ) {
        (Some(now), Some(before)) => norm(now) == norm(before),
        _ => false,
    }
}

fn tags_of(form: &HashMap<String, String>) -> Vec<String> {
    form.get("tags")
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

async fn create_record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    caller
        .check_csrf(form.get("csrf").map_or("", String::as_str))
        .map_err(fail(&headers))?;
    let kind = form
        .get("kind")
        .map_or("", String::as_str)
        .parse::<Kind>()
        .map_err(|e| {
            let tr = crate::security::req_tr(&headers);
            fail(&headers)(WebError::invalid(tr.error(&e)))
        })?;
    let fields: Map<String, Value> = submitted(kind, &form)
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    let tags = tags_of(&form);
    let (f2, t2) = (fields.clone(), tags.clone());
    let tr = crate::security::req_tr(&headers);
    match app.with_vault_in(tr, move |v| v.add(kind, f2, &t2)).await {
        Ok(added) => Ok(Redirect::to(&format!("/records/{}?saved=1", added.id)).into_response()),
        Err(e) if e.code == "invalid" => {
            let c = chrome(&app, &headers, &caller, "new-title", "/records/new");
            let tr = c.tr;
            let mut r = render(&FormPage {
                fields: form_fields(tr, kind, &fields, &experiences(&app).await),
                kinds: kind_options(tr),
                kind_label: tr.kind(kind),
                kind: kind.as_str().to_string(),
                id: None,
                tags: tags.join(", "),
                original_tags: String::new(),
                error: Some(e.message),
                intro: None,
                c,
            });
            *r.status_mut() = StatusCode::BAD_REQUEST;
            Ok(r)
        }
        Err(e) => Err(fail(&headers)(e)),
    }
}

async fn edit_form(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> PageResult {
    let r = app
        .with_vault(move |v| v.show(&id))
        .await
        .map_err(fail(&headers))?;
    let c = chrome(
        &app,
        &headers,
        &caller,
        "edit-title",
        &format!("/records/{}/edit", r.id),
    );
    let tr = c.tr;
    let kind = r.state.kind;
    Ok(render(&FormPage {
        fields: form_fields(
            tr,
            kind,
            &r.state.fields,
            &refs_of(&app, kind, &r.state.fields).await,
        ),
        kinds: vec![],
        kind_label: tr.kind(kind),
        kind: kind.as_str().to_string(),
        id: Some(r.id.clone()),
        tags: r.state.tags.join(", "),
        original_tags: r.state.tags.join(", "),
        error: None,
        intro: None,
        c,
    }))
}

async fn edit_record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    caller
        .check_csrf(form.get("csrf").map_or("", String::as_str))
        .map_err(fail(&headers))?;
    let id2 = id.clone();
    let current = app
        .with_vault(move |v| v.show(&id2))
        .await
        .map_err(fail(&headers))?;
    let kind = current.state.kind;
    let mut edit = Edit::default();
    for (name, value) in submitted(kind, &form) {
        if unchanged(&form, &name) {
            // Sent back as the form showed it: what the record holds stays, whatever it is
            // (a list whose items hold commas, a change made elsewhere since the form opened).
            continue;
        }
        match value {
            Some(v) if current.state.fields.get(&name) != Some(&v) => {
                edit.set.insert(name, v);
            }
            Some(_) => {}
            None if current.state.fields.contains_key(&name) => edit.unset.push(name),
            None => {}
        }
    }
    let tags = tags_of(&form);
    // The tags the form showed, when it says: only those the person added or took out
    // change, so a tag that holds a comma, or one added elsewhere meanwhile, stays.
    let shown_tags = form
        .get("o_tags")
        .map(|t| tag_list(t))
        .unwrap_or_else(|| current.state.tags.clone());
    edit.add_tags = tags
        .iter()
        .filter(|t| !shown_tags.contains(t) && !current.state.tags.contains(t))
        .cloned()
        .collect();
    edit.remove_tags = shown_tags
        .iter()
        .filter(|t| !tags.contains(t) && current.state.tags.contains(t))
        .cloned()
        .collect();
    let rid = current.id.clone();
    let tr = crate::security::req_tr(&headers);
    match app.with_vault_in(tr, move |v| v.edit(&rid, &edit)).await {
        Ok(_) => Ok(Redirect::to(&format!("/records/{}?saved=1", current.id)).into_response()),
        Err(e) if e.code == "invalid" => {
            let c = chrome(
                &app,
                &headers,
                &caller,
                "edit-title",
                &format!("/records/{id}/edit"),
            );
            let tr = c.tr;
            let mut values = current.state.fields.clone();
            for (k, v) in submitted(kind, &form) {
                match v {
                    Some(v) => {
                        values.insert(k, v);
                    }
                    None => {
                        values.remove(&k);
                    }
                }
            }
            let mut fields = form_fields(tr, kind, &values, &refs_of(&app, kind, &values).await);
            for f in &mut fields {
                if let Some(o) = form.get(&format!("o_{}", f.name)) {
                    f.original.clone_from(o);
                }
            }
            let mut r = render(&FormPage {
                fields,
                kinds: vec![],
                kind_label: tr.kind(kind),
                kind: kind.as_str().to_string(),
                id: Some(current.id.clone()),
                original_tags: form
                    .get("o_tags")
                    .cloned()
                    .unwrap_or_else(|| current.state.tags.join(", ")),
                tags: tags.join(", "),
                error: Some(e.message),
                intro: None,
                c,
            });
            *r.status_mut() = StatusCode::BAD_REQUEST;
            Ok(r)
        }
        Err(e) => Err(fail(&headers)(e)),
    }
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    undo: Option<String>,
}

async fn remove_record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let undo = form.undo.is_some();
    let id2 = id.clone();
    app.with_vault(move |v| v.remove(&id2, undo))
        .await
        .map_err(fail(&headers))?;
    // Back to the record, which says it was removed and offers to restore it.
    Ok(Redirect::to(&format!("/records/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "forget.html")]
struct ForgetPage {
    c: Chrome,
    id: String,
    title: String,
}

async fn forget_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> PageResult {
    let r = app
        .with_vault(move |v| v.show(&id))
        .await
        .map_err(fail(&headers))?;
    Ok(render(&ForgetPage {
        c: chrome(
            &app,
            &headers,
            &caller,
            "forget-title",
            &format!("/records/{}/forget", r.id),
        ),
        id: r.id.clone(),
        title: r.title,
    }))
}

#[derive(Deserialize)]
struct ForgetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

async fn forget_record(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<ForgetForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    if form.confirm.is_none() {
        return Err(fail(&headers)(WebError::invalid(
            crate::security::req_tr(&headers).t("forget-unconfirmed"),
        )));
    }
    app.with_vault(move |v| v.forget(&id))
        .await
        .map_err(fail(&headers))?;
    Ok(Redirect::to("/records").into_response())
}

/// A `Content-Disposition` that downloads a file under its own name (ASCII fallback, and the
/// UTF-8 name for browsers that take it).
pub(crate) fn content_disposition(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Without the characters that would make the saved file's name read as another's (an
    // attachment named before such names were refused).
    let shown: String = name
        .chars()
        .filter(|c| !c.is_control() && !musette_core::is_invisible(*c))
        .collect();
    format!(
        "attachment; filename=\"{safe}\"; filename*=UTF-8''{}",
        encode(&shown)
    )
}

async fn download(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((id, name)): Path<(String, String)>,
) -> PageResult {
    let (body, name, size) = crate::stream::download(&app, id, name)
        .await
        .map_err(fail(&headers))?;
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_LENGTH, size.into());
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// A file attached from the record's page (a form with a file field; the page's script sends
/// it with progress instead when it can).
async fn attach(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    mut form: axum::extract::Multipart,
) -> PageResult {
    let mut csrf_ok = false;
    let mut attached = false;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| fail(&headers)(WebError::unreadable_form(&e, app.config.max_upload)))?
    {
        match field.name() {
            Some("csrf") => {
                let given = crate::stream::small_text(&mut field)
                    .await
                    .map_err(fail(&headers))?;
                caller.check_csrf(&given).map_err(fail(&headers))?;
                csrf_ok = true;
            }
            Some("file") if csrf_ok => {
                let name = field
                    .file_name()
                    .map(str::to_string)
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| {
                        fail(&headers)(WebError::invalid(
                            crate::security::req_tr(&headers).t("attach-none"),
                        ))
                    })?;
                let limit = app.config.max_upload;
                crate::stream::upload_stream(&app, id.clone(), name, field, limit)
                    .await
                    .map_err(fail(&headers))?;
                attached = true;
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(fail(&headers)(WebError::forbidden(
            crate::error::CSRF_STALE,
        )));
    }
    if !attached {
        return Err(fail(&headers)(WebError::invalid(
            crate::security::req_tr(&headers).t("attach-none"),
        )));
    }
    Ok(Redirect::to(&format!("/records/{id}")).into_response())
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/app.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/app.js"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::listed_date;
    use crate::i18n::{Lang, Tr};

    #[test]
    fn a_listed_date_is_written_as_the_language_writes_it() {
        let (en, fr) = (Tr { lang: Lang::En }, Tr { lang: Lang::Fr });
        assert_eq!(listed_date(en, "2019-04 – 2024-06"), "Apr 2019 – Jun 2024");
        assert_eq!(listed_date(en, "2019-04 –"), "Apr 2019 –");
        assert_eq!(listed_date(en, "– 2024"), "– 2024");
        assert_eq!(listed_date(fr, "2026-12-05"), "5 déc. 2026");
    }
}
