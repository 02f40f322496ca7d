//! The web app's routes, in process (no socket): every API route, the pages a first visit
//! goes through, and every refusal the door owes: no token, a wrong one, a foreign Host or
//! Origin, a CSRF token missing, a locked vault, an upload too large, a launch link used twice.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use musette_core::{KdfParams, Vault};
use musette_web::{App, Config};
use serde_json::{Value, json};
use tower::ServiceExt;

const PORT: u16 = 4321;
const PASS: &str = "correct horse battery staple";

struct Harness {
    app: Arc<App>,
    _tmp: tempfile::TempDir,
}

fn config(dir: std::path::PathBuf) -> Config {
    Config {
        vault_dir: dir,
        port: PORT,
        idle_lock: Duration::from_secs(900),
        kdf: KdfParams::minimum(),
        max_upload: 1 << 20,
        net: musette_sync::node::NetConfig {
            bind: Some("127.0.0.1:0".parse().unwrap()),
            relay: false,
            relays: Vec::new(),
            port: None,
        },
        device_name: Some("test".into()),
    }
}

/// An app on a new vault, unlocked.
fn unlocked() -> Harness {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (vault, _) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    Harness {
        app: App::new(config(dir), Some(vault)),
        _tmp: tmp,
    }
}

/// An app with no vault yet.
fn empty() -> Harness {
    empty_named("test")
}

/// An app without a vault yet, for a device of this name.
fn empty_named(name: &str) -> Harness {
    let tmp = tempfile::tempdir().unwrap();
    let mut config = config(tmp.path().join("vault"));
    config.device_name = Some(name.into());
    Harness {
        app: App::new(config, None),
        _tmp: tmp,
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

impl Harness {
    async fn send(&self, req: Request<Body>) -> Reply {
        let r = musette_web::router(self.app.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    fn app_dir(&self) -> std::path::PathBuf {
        self._tmp.path().join("vault")
    }

    fn req(&self, method: Method, uri: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, format!("127.0.0.1:{PORT}"))
    }

    /// An API call with the bearer token.
    async fn api(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let mut b = self.req(method, uri).header(
            header::AUTHORIZATION,
            format!("Bearer {}", self.app.api_token()),
        );
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    /// Follows the launch link: the browser's session cookie.
    async fn browser(&self) -> String {
        let url = self.app.launch_url();
        let path = url.split_once(&format!(":{PORT}")).unwrap().1.to_string();
        let r = self
            .send(self.req(Method::GET, &path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        cookie.split(';').next().unwrap().to_string()
    }

    /// Unlocks with the vault's passphrase, through the API.
    async fn unlock(&self) -> Reply {
        self.api(
            Method::POST,
            "/api/v1/unlock",
            Some(json!({ "passphrase": PASS })),
        )
        .await
    }

    /// A page, as the browser with `cookie` asks for it.
    async fn page(&self, cookie: &str, uri: &str) -> Reply {
        self.send(
            self.req(Method::GET, uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form posted by the browser.
    async fn post_form(&self, cookie: &str, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            self.req(Method::POST, uri)
                .header(header::COOKIE, cookie)
                .header(header::ORIGIN, format!("http://127.0.0.1:{PORT}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The CSRF token in a page's forms.
fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 19..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_stays_shut() {
    let h = unlocked();
    // No token, a wrong one.
    let r = h
        .send(
            h.req(Method::GET, "/api/v1/records")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthorized");
    let r = h
        .send(
            h.req(Method::GET, "/api/v1/records")
                .header(header::AUTHORIZATION, "Bearer not-the-token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The right token, but through a name that rebinds to this machine (DNS rebinding).
    let r = h
        .send(
            Request::builder()
                .uri("/api/v1/records")
                .header(header::HOST, format!("evil.example:{PORT}"))
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", h.app.api_token()),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["message"].as_str().unwrap().contains("127.0.0.1"));
    // Another site's page posting here.
    let r = h
        .send(
            h.req(Method::POST, "/api/v1/records")
                .header(header::ORIGIN, "https://evil.example")
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", h.app.api_token()),
                )
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"kind":"skill","fields":{"name":"x"}}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The browser's cookie on an API call that changes something, without the CSRF header.
    let cookie = h.browser().await;
    let r = h
        .send(
            h.req(Method::POST, "/api/v1/records")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"kind":"skill","fields":{"name":"x"}}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form without its CSRF token.
    let r = h
        .post_form(&cookie, "/records", &[("kind", "skill"), ("f_name", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The launch link works once.
    let url = h.app.launch_url();
    assert!(url.ends_with("?t="), "the link is spent: {url}");
    let r = h
        .send(
            h.req(Method::GET, "/start?t=anything")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Nothing above wrote anything.
    let list = h.api(Method::GET, "/api/v1/records", None).await;
    assert_eq!(list.json(), json!([]));
    // Every response carries the strict headers.
    for (k, v) in [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(list.headers.get(k).unwrap(), v, "{k}");
    }
    let csp = list
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_through_the_api() {
    let h = unlocked();
    let r = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "experience", "fields": { "title": "Soudeuse", "organization": "Chantiers de l'Atlantique", "start": "2019-04" }, "tags": ["cv"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    // The CLI's validation, the CLI's exit codes as statuses.
    let bad = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "experience", "fields": { "title": "X", "start": "2019-13" } })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["message"].as_str().unwrap().contains("YYYY-MM"));
    let bad = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "spaceship", "fields": {} })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = h
        .api(Method::POST, "/api/v1/records", Some(json!([1, 2])))
        .await;
    assert!(bad.status.is_client_error());
    // Search ignores case and accents.
    let found = h
        .api(Method::GET, "/api/v1/records?q=atlantique", None)
        .await;
    assert_eq!(found.json().as_array().unwrap().len(), 1);
    let found = h.api(Method::GET, "/api/v1/records?kind=skill", None).await;
    assert_eq!(found.json(), json!([]));
    let found = h.api(Method::GET, "/api/v1/records?tag=cv", None).await;
    assert_eq!(found.json()[0]["id"], id.as_str());
    // Get, edit, history.
    let got = h
        .api(Method::GET, &format!("/api/v1/records/{}", &id[..8]), None)
        .await;
    assert_eq!(got.json()["fields"]["title"], "Soudeuse");
    let edited = h
        .api(
            Method::PATCH,
            &format!("/api/v1/records/{id}"),
            Some(json!({ "set": { "end": "2023" }, "add_tags": ["verified"] })),
        )
        .await;
    assert_eq!(edited.json(), json!({ "id": id, "changed": true }));
    let history = h
        .api(Method::GET, &format!("/api/v1/records/{id}/history"), None)
        .await;
    assert_eq!(history.json().as_array().unwrap().len(), 2);
    let missing = h.api(Method::GET, "/api/v1/records/zzzzzzzz", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not_found");
    let nowhere = h.api(Method::GET, "/api/v1/nothing-here", None).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    // A page's error, the vault unlocked: the app's navigation and its lock button are there.
    let cookie = h.browser().await;
    for uri in ["/records/zzzzzzzz", "/nothing-here"] {
        let page = h.page(&cookie, uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let text = page.text();
        assert!(text.contains("href=\"/records/new\""), "{text}");
        assert!(text.contains("action=\"/lock\""), "{text}");
        assert!(!csrf(&text).is_empty());
    }
    // An attachment in and out, whole; one too large refused, nothing attached.
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let put = h
        .send(
            h.req(
                Method::PUT,
                &format!("/api/v1/records/{id}/attachments/certificat%20CAP.pdf"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from(data.clone()))
            .unwrap(),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text());
    assert_eq!(put.json()["size"], 300_000);
    let got = h
        .api(
            Method::GET,
            &format!("/api/v1/records/{id}/attachments/certificat%20CAP.pdf"),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, data);
    let big = h
        .send(
            h.req(
                Method::PUT,
                &format!("/api/v1/records/{id}/attachments/big.bin"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from(vec![0u8; (1 << 20) + 1]))
            .unwrap(),
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.text());
    let rec = h
        .api(Method::GET, &format!("/api/v1/records/{id}"), None)
        .await;
    assert_eq!(rec.json()["attachments"].as_array().unwrap().len(), 1);
    let detached = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}/attachments/certificat%20CAP.pdf"),
            None,
        )
        .await;
    assert_eq!(detached.status, StatusCode::OK);
    // Remove, restore, forget.
    let rm = h
        .api(Method::DELETE, &format!("/api/v1/records/{id}"), None)
        .await;
    assert_eq!(rm.json()["outcome"], "removed");
    assert_eq!(
        h.api(Method::GET, "/api/v1/records", None).await.json(),
        json!([])
    );
    let back = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}?undo=true"),
            None,
        )
        .await;
    assert_eq!(back.json()["outcome"], "restored");
    let both = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}?undo=true&forget=true"),
            None,
        )
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    let gone = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}?forget=true"),
            None,
        )
        .await;
    assert_eq!(gone.json()["outcome"], "forgotten");
    assert_eq!(
        h.api(Method::GET, &format!("/api/v1/records/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let due = h.api(Method::GET, "/api/v1/due?days=4000", None).await;
    assert_eq!(due.status, StatusCode::BAD_REQUEST);
    let due = h.api(Method::GET, "/api/v1/due", None).await;
    assert_eq!(due.json(), json!([]));
}

/// `musette lock --all` in another process locks the app too: the app holds a session of
/// the vault while it is open, which that command ends. Its own lock ends that session, and
/// the app's key changes start a new one (they end every session).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_all_elsewhere_locks_the_app() {
    let h = unlocked();
    let dir = h._tmp.path().join("vault");
    assert!(!h.app.lock_if_ended());
    assert!(h.app.unlocked());
    // `lock --all`, as the command line does it (no key needed).
    assert_eq!(Vault::lock(&dir, None, true).unwrap(), 1);
    assert!(h.app.lock_if_ended());
    assert!(!h.app.unlocked());
    let r = h.api(Method::GET, "/api/v1/records", None).await;
    assert_eq!(r.status, StatusCode::LOCKED);
    // Unlocked again, it holds a new session; locked here, it leaves none behind.
    assert_eq!(h.unlock().await.status, StatusCode::OK);
    assert!(!h.app.lock_if_ended());
    h.api(Method::POST, "/api/v1/lock", None).await;
    assert_eq!(Vault::lock(&dir, None, true).unwrap(), 0);
}

/// A text-direction override makes a tag or a recipient's name (kept in the audit log) read
/// otherwise than it is: refused, where it was taken (a tag) or silently stripped (a name).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_direction_tricks_are_refused() {
    let h = unlocked();
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "TIG" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = h
        .api(
            Method::PATCH,
            &format!("/api/v1/records/{id}"),
            Some(json!({ "add_tags": ["a\u{202e}b"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // An emoji tag (a variation selector in it) is still a tag.
    let r = h
        .api(
            Method::PATCH,
            &format!("/api/v1/records/{id}"),
            Some(json!({ "add_tags": ["\u{2764}\u{fe0f}"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{id}/credential"),
            Some(json!({ "to": "Acme\u{202e}RH" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.json()["message"].as_str().unwrap().contains("invisible"));
    let r = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{id}/credential"),
            Some(json!({ "to": "Acme RH" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_is_locked() {
    let h = unlocked();
    let r = h.api(Method::POST, "/api/v1/lock", None).await;
    assert_eq!(r.json(), json!({ "unlocked": false }));
    let r = h.api(Method::GET, "/api/v1/records", None).await;
    assert_eq!(r.status, StatusCode::LOCKED);
    assert_eq!(r.json()["error"], "locked");
    let r = h
        .api(
            Method::POST,
            "/api/v1/unlock",
            Some(json!({ "passphrase": "wrong one" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        !r.text().contains("wrong one"),
        "the passphrase is never echoed"
    );
    // Guesses sent at once are checked one at a time, each wrong one holding the next for a
    // second: three take two seconds at least (they were answered at once).
    let guess = |p: &'static str| {
        h.api(
            Method::POST,
            "/api/v1/unlock",
            Some(json!({ "passphrase": p })),
        )
    };
    let started = std::time::Instant::now();
    let (a, b, c) = tokio::join!(guess("guess one"), guess("guess two"), guess("guess three"));
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    for r in [a, b, c] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = h.unlock().await;
    assert_eq!(r.json(), json!({ "unlocked": true }));
    assert_eq!(
        h.api(Method::GET, "/api/v1/records", None).await.status,
        StatusCode::OK
    );
    // Idle: locked by the watcher.
    let idle = App::new(
        Config {
            idle_lock: Duration::ZERO,
            ..config(h._tmp.path().join("vault"))
        },
        Some(
            Vault::open(
                &h._tmp.path().join("vault"),
                musette_core::Unlock::Passphrase(PASS.as_bytes()),
            )
            .unwrap(),
        ),
    );
    assert!(idle.lock_if_idle());
    assert!(!idle.unlocked());
    // The pages send a locked browser to the unlock page.
    let cookie = h.browser().await;
    h.api(Method::POST, "/api/v1/lock", None).await;
    let r = h.page(&cookie, "/records").await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/unlock"));
    let page = h.page(&cookie, "/unlock").await;
    assert!(page.text().contains("type=\"password\""));
    // A page's error while locked: no navigation into the vault.
    let nowhere = h.page(&cookie, "/nothing-here").await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert!(!nowhere.text().contains("href=\"/records/new\""));
    let token = csrf(&page.text());
    let wrong = h
        .post_form(
            &cookie,
            "/unlock",
            &[("csrf", &token), ("passphrase", "nope nope")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text().contains("Wrong passphrase"));
    let ok = h
        .post_form(
            &cookie,
            "/unlock",
            &[("csrf", &token), ("passphrase", PASS)],
        )
        .await;
    assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/"));
    // The unlock gave this browser a new session: the cookie it held while the vault was
    // locked opens nothing now, the new one does.
    let renewed = ok
        .headers
        .get(header::SET_COOKIE)
        .expect("a new session cookie")
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(renewed, cookie);
    assert_eq!(h.page(&renewed, "/records").await.status, StatusCode::OK);
    assert_eq!(
        h.page(&cookie, "/records").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_creates_the_vault_and_shows_the_recovery_key_once() {
    let h = empty();
    let cookie = h.browser().await;
    let r = h.page(&cookie, "/").await;
    assert_eq!(r.location(), "/unlock");
    let page = h.page(&cookie, "/unlock").await;
    assert!(
        page.text().contains("Create your backpack"),
        "{}",
        page.text()
    );
    let token = csrf(&page.text());
    let short = h
        .post_form(
            &cookie,
            "/create",
            &[
                ("csrf", &token),
                ("passphrase", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.text().contains("too short"));
    let differ = h
        .post_form(
            &cookie,
            "/create",
            &[
                ("csrf", &token),
                ("passphrase", PASS),
                ("confirm", "another one!"),
            ],
        )
        .await;
    assert!(differ.text().contains("differ"));
    let made = h
        .post_form(
            &cookie,
            "/create",
            &[("csrf", &token), ("passphrase", PASS), ("confirm", PASS)],
        )
        .await;
    assert_eq!(made.location(), "/recovery");
    // The dashboard waits until the key was written down.
    assert_eq!(h.page(&cookie, "/").await.location(), "/recovery");
    let shown = h.page(&cookie, "/recovery").await.text();
    assert!(shown.contains("<code>"), "{shown}");
    let done = h.post_form(&cookie, "/recovery", &[("csrf", &token)]).await;
    assert_eq!(done.location(), "/");
    assert_eq!(
        h.page(&cookie, "/recovery").await.location(),
        "/",
        "shown once"
    );
    let dash = h.page(&cookie, "/").await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.text().contains("No records yet"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bind_address_that_cannot_be_listened_on_is_said_on_the_devices_page() {
    let held = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (vault, _) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let mut cfg = config(dir);
    cfg.net.bind = Some(held.local_addr().unwrap());
    let h = Harness {
        app: App::new(cfg, Some(vault)),
        _tmp: tmp,
    };
    let cookie = h.browser().await;
    // Unlocking starts the node: it cannot listen there, and the Devices page says why.
    h.app.lock_vault();
    let r = h.unlock().await;
    assert_eq!(r.status, StatusCode::OK);
    let mut page = String::new();
    for _ in 0..100 {
        page = h.page(&cookie, "/devices").await.text();
        if page.contains("cannot listen on") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        page.contains(&format!("cannot listen on {}", held.local_addr().unwrap())),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vault_does_not_open_while_another_process_changes_its_keys() {
    let h = unlocked();
    let dir = h._tmp.path().join("vault");
    // Unlocked, the app holds the keys: a change elsewhere is refused.
    assert!(musette_sync::node::KeysLock::change(&dir).is_err());
    h.app.lock_vault();
    let changing = musette_sync::node::KeysLock::change(&dir).expect("locked, it lets go");
    let r = h.unlock().await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.text().contains("changing this vault's keys"),
        "{}",
        r.text()
    );
    assert!(!h.app.unlocked());
    drop(changing);
    assert_eq!(h.unlock().await.status, StatusCode::OK);
    assert!(h.app.unlocked());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_page_makes_your_card_then_leads_to_it() {
    let h = unlocked();
    let cookie = h.browser().await;
    // No card yet: the contact form, for that purpose only, with the vault's did filled in
    // (the page leads to the card saved with it, below: it is the vault's).
    let form = h.page(&cookie, "/profile").await;
    assert_eq!(form.status, StatusCode::OK);
    let text = form.text();
    assert!(text.contains("Your own contact card"), "{text}");
    let at = text.find("value=\"did:key:z").expect("the did filled in") + "value=\"".len();
    let did: String = text[at..].chars().take_while(|c| *c != '"').collect();
    assert!(did.starts_with("did:key:z6Mk"), "{did}");
    assert!(!text.contains("id=\"kind-pick\""), "no other kind offered");
    assert!(text.contains("href=\"/profile\""), "in the navigation");
    let made = h
        .post_form(
            &cookie,
            "/records",
            &[
                ("csrf", &csrf(&text)),
                ("kind", "contact"),
                ("f_name", "Ana Martin"),
                ("f_role", "Welder"),
                ("f_did", &did),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let id = made.location()["/records/".len()..]
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // Then the page leads to that card.
    let again = h.page(&cookie, "/profile").await;
    assert_eq!(
        (again.status, again.location()),
        (StatusCode::SEE_OTHER, format!("/records/{id}").as_str())
    );
    // Locked: the unlock page, as for every page.
    h.app.lock_vault();
    let locked = h.page(&cookie, "/profile").await;
    assert_eq!(locked.location(), "/unlock");
}

/// What a browser sends back from a page's form `action`: its inputs' values, each textarea's
/// text, and each select's selected option (or its first).
fn form_as_sent(html: &str, action: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(unescape(&tag[at..at + tag[at..].find('"')?]))
    };
    let start = html
        .find(&format!("action=\"{action}\""))
        .expect("the form");
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if tag.starts_with("<input") {
            if let Some(name) = attr(tag, "name") {
                out.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            let close = rest.find("</textarea>").unwrap();
            out.push((attr(tag, "name").unwrap(), unescape(&rest[end + 1..close])));
        } else if tag.starts_with("<select") {
            let close = rest.find("</select>").unwrap();
            let options = &rest[end + 1..close];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| options.split("<option").nth(1))
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            out.push((attr(tag, "name").unwrap(), chosen));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// Saving an edit form as it came changes nothing: a link to a record the list does not
/// offer, list items and tags that hold commas, and a change made elsewhere since the form
/// opened all stay (each was lost or split before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_form_saved_as_it_came_changes_nothing() {
    let h = unlocked();
    let add = |body: Value| {
        let h = &h;
        async move {
            let r = h.api(Method::POST, "/api/v1/records", Some(body)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            r.json()["id"].as_str().unwrap().to_string()
        }
    };
    let skill = add(json!({"kind": "skill", "fields": {"name": "TIG"}})).await;
    let rec = add(json!({"kind": "recommendation", "fields": {"text": "Great\nwelder", "about": skill}, "tags": ["a,b", "kept"]})).await;
    let exp = add(json!({"kind": "experience", "fields": {"title": "Welder", "organization": "ACME", "skills": ["TIG, MIG", "welding"]}})).await;
    let cookie = h.browser().await;
    let record = |id: String| {
        let h = &h;
        async move {
            let r = h
                .api(Method::GET, &format!("/api/v1/records/{id}"), None)
                .await;
            let mut v = r.json();
            v.as_object_mut()
                .unwrap()
                .retain(|k, _| k == "fields" || k == "tags");
            v
        }
    };
    let history = |id: String| {
        let h = &h;
        async move {
            h.api(Method::GET, &format!("/api/v1/records/{id}/history"), None)
                .await
                .json()
                .as_array()
                .unwrap()
                .len()
        }
    };
    let form = h
        .page(&cookie, &format!("/records/{rec}/edit"))
        .await
        .text();
    assert!(
        form.contains(&format!("<option value=\"{skill}\" selected>TIG</option>")),
        "{form}"
    );
    for id in [&rec, &exp] {
        let before = record(id.clone()).await;
        let form = h.page(&cookie, &format!("/records/{id}/edit")).await.text();
        let sent = form_as_sent(&form, &format!("/records/{id}"));
        let fields: Vec<(&str, &str)> =
            sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = h
            .post_form(&cookie, &format!("/records/{id}"), &fields)
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(record(id.clone()).await, before);
        assert_eq!(
            history(id.clone()).await,
            1,
            "saving the form unchanged wrote a change"
        );
    }

    // A change made elsewhere after the form opened stays; the field changed in the form is
    // written, the tag added in the form too.
    let form = h
        .page(&cookie, &format!("/records/{exp}/edit"))
        .await
        .text();
    let patched = h
        .api(
            Method::PATCH,
            &format!("/api/v1/records/{exp}"),
            Some(json!({"set": {"organization": "ACME Corp"}, "add_tags": ["elsewhere"]})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    let mut sent = form_as_sent(&form, &format!("/records/{exp}"));
    for (k, v) in &mut sent {
        if k == "f_title" {
            *v = "Senior welder".into();
        }
        if k == "tags" {
            *v = "mine".into();
        }
    }
    let fields: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = h
        .post_form(&cookie, &format!("/records/{exp}"), &fields)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let after = record(exp.clone()).await;
    assert_eq!(after["fields"]["title"], "Senior welder");
    assert_eq!(after["fields"]["organization"], "ACME Corp");
    assert_eq!(after["fields"]["skills"], json!(["TIG, MIG", "welding"]));
    assert_eq!(after["tags"], json!(["elsewhere", "mine"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_add_search_and_speak_french() {
    let h = unlocked();
    let cookie = h.browser().await;
    let form = h.page(&cookie, "/records/new?kind=experience").await.text();
    assert!(
        form.contains("<label for=\"f_title\">"),
        "every field labelled"
    );
    let token = csrf(&form);
    // The CLI's validation, said on the form, which keeps what was typed.
    let bad = h
        .post_form(
            &cookie,
            "/records",
            &[
                ("csrf", &token),
                ("kind", "experience"),
                ("f_title", "Soudeuse"),
                ("f_start", "2019-13"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("YYYY-MM") && bad.text().contains("Soudeuse"));
    let made = h
        .post_form(
            &cookie,
            "/records",
            &[
                ("csrf", &token),
                ("kind", "experience"),
                ("f_title", "Soudeuse"),
                ("f_organization", "Hélène & Fils <SARL>"),
                ("f_start", "2019-04"),
                ("f_type", "employment"),
                ("tags", "cv, soudure"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let record = h.page(&cookie, made.location()).await.text();
    assert!(
        record.contains("Hélène &#38; Fils &#60;SARL&#62;"),
        "escaped: {record}"
    );
    assert!(record.contains("Saved."), "a word that it was saved");
    // Tags found whatever their case, as search does.
    let tagged = h.page(&cookie, "/records?tag=CV").await.text();
    assert!(tagged.contains("Soudeuse"), "{tagged}");
    assert!(!record.contains("<SARL>"));
    let found = h.page(&cookie, "/records?q=helene").await.text();
    assert!(found.contains("Soudeuse"), "accent-insensitive search");
    let none = h.page(&cookie, "/records?q=boulanger").await.text();
    assert!(none.contains("No record matches"));
    // French, from the browser's languages, then from the switch.
    let fr = h
        .send(
            h.req(Method::GET, "/")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9,en;q=0.5")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .text();
    assert!(
        fr.contains("lang=\"fr\"") && fr.contains("Votre musette"),
        "{fr}"
    );
    assert!(fr.contains("Une fiche"), "{fr}");
    // A language the app does not speak sets nothing: the browser's choice stands.
    let other = h.page(&cookie, "/lang/de?back=/records").await;
    assert_eq!(other.location(), "/records");
    assert!(other.headers.get(header::SET_COOKIE).is_none());
    let switch = h.page(&cookie, "/lang/fr?back=/records").await;
    assert_eq!(switch.location(), "/records");
    let lang = switch
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(lang.starts_with("musette_lang=fr"));
    let both = format!("{cookie}; {}", lang.split(';').next().unwrap());
    let list = h.page(&both, "/records").await.text();
    assert!(
        list.contains("Fiches") && list.contains("expérience"),
        "{list}"
    );
    // The vault's own checks, said in French on the form.
    let bad = h
        .post_form(
            &both,
            "/records",
            &[
                ("csrf", &token),
                ("kind", "experience"),
                ("f_start", "2019"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text().contains("Une expérience a besoin"),
        "{}",
        bad.text()
    );
    // The switch never sends elsewhere.
    let away = h.page(&cookie, "/lang/en?back=//evil.example/").await;
    assert_eq!(away.location(), "/");
    // Forgetting asks first.
    let id = made
        .location()
        .trim_start_matches("/records/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = h
        .post_form(
            &cookie,
            &format!("/records/{id}/forget"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h
        .post_form(
            &cookie,
            &format!("/records/{id}/forget"),
            &[("csrf", &token), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.location(), "/records");
    assert!(
        !h.page(&cookie, "/records")
            .await
            .text()
            .contains("Soudeuse")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_route() {
    let h = unlocked();
    let r = h
        .send(
            h.req(Method::GET, "/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let doc = r.json();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/v1/status",
        "/api/v1/unlock",
        "/api/v1/lock",
        "/api/v1/records",
        "/api/v1/records/{id}",
        "/api/v1/records/{id}/history",
        "/api/v1/records/{id}/attachments/{name}",
        "/api/v1/due",
        "/api/v1/import",
        "/api/v1/export/json-resume",
        "/api/v1/export/vcard",
        "/api/v1/records/{id}/credential",
        "/api/v1/present",
        "/api/v1/verify",
        "/api/v1/peers",
        "/api/v1/shares",
        "/api/v1/records/{id}/share",
        "/api/v1/received",
    ] {
        assert!(
            paths.iter().any(|k| k.as_str() == p),
            "{p} missing from {paths:?}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// A multipart form: the CSRF token and one file.
fn multipart(csrf: &str, name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "musette-test-boundary-7f3b";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_issued_in_one_app_verifies_in_another() {
    let alice = unlocked();
    let id = alice
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "experience", "fields": { "title": "Soudeuse", "organization": "Secret SARL", "start": "2019" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = alice.browser().await;
    let page = alice
        .page(&cookie, &format!("/records/{id}/credential"))
        .await
        .text();
    assert!(page.contains("value=\"organization\""), "{page}");
    let token = csrf(&page);
    let none = alice
        .post_form(
            &cookie,
            &format!("/records/{id}/credential"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    let issued = alice
        .post_form(
            &cookie,
            &format!("/records/{id}/credential"),
            &[
                ("csrf", &token),
                ("field", "title"),
                ("field", "start"),
                ("to", "Acme HR"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
    assert!(
        issued
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("credential-")
    );
    let credential = issued.body.clone();
    assert!(
        !String::from_utf8_lossy(&credential).contains("Secret SARL"),
        "only the fields ticked"
    );

    // The employer's app, another vault: drop the file on the verify page.
    let employer = unlocked();
    let cookie = employer.browser().await;
    let token = csrf(&employer.page(&cookie, "/verify").await.text());
    let send = |data: Vec<u8>, token: String| {
        let (ct, body) = multipart(&token, "credential.json", &data);
        employer
            .req(Method::POST, "/verify")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = employer.send(send(credential.clone(), token.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Verified: every proof holds."), "{html}");
    assert!(html.contains("Soudeuse") && !html.contains("Secret SARL"));
    assert!(
        html.contains("Self-declared"),
        "signed by the one it is about: {html}"
    );
    // Kept, as received, and listed.
    assert!(html.contains("action=\"/received/keep\""));
    let kept = employer
        .post_form(
            &cookie,
            "/received/keep",
            &[
                ("csrf", &token),
                ("document", &String::from_utf8(credential.clone()).unwrap()),
            ],
        )
        .await;
    assert_eq!(kept.location(), "/received", "{}", kept.text());
    let received = employer.page(&cookie, "/received").await.text();
    assert!(
        received.contains("Soudeuse") && received.contains("Verified"),
        "{received}"
    );
    // Altered on the way: not verified.
    let forged = String::from_utf8(credential.clone())
        .unwrap()
        .replace("Soudeuse", "Directrice");
    let r = employer
        .send(send(forged.into_bytes(), token.clone()))
        .await;
    assert!(r.text().contains("Not verified"), "{}", r.text());
    // The same in French: why it fails, said in French.
    let mut french = send(
        String::from_utf8(credential.clone())
            .unwrap()
            .replace("Soudeuse", "Directrice")
            .into_bytes(),
        token.clone(),
    );
    french.headers_mut().insert(
        header::ACCEPT_LANGUAGE,
        axum::http::HeaderValue::from_static("fr"),
    );
    let r = employer.send(french).await;
    assert!(
        r.text()
            .contains("la signature ne correspond pas au document"),
        "{}",
        r.text()
    );
    // A reason only the library words (a suite it does not know), from its catalogue in
    // French, and the same in English as the library says it.
    let mut doc: serde_json::Value = serde_json::from_slice(&credential).unwrap();
    match &mut doc["proof"] {
        serde_json::Value::Array(proofs) => proofs[0]["cryptosuite"] = "ecdsa-rdfc-2019".into(),
        proof => proof["cryptosuite"] = "ecdsa-rdfc-2019".into(),
    }
    let other_suite = serde_json::to_vec(&doc).unwrap();
    let mut french = send(other_suite.clone(), token.clone());
    french.headers_mut().insert(
        header::ACCEPT_LANGUAGE,
        axum::http::HeaderValue::from_static("fr"),
    );
    let r = employer.send(french).await;
    assert!(
        r.text()
            .contains("la suite cryptographique ecdsa-rdfc-2019, que musette ne connaît pas"),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("which musette does not know"));
    let r = employer.send(send(other_suite, token.clone())).await;
    assert!(
        r.text()
            .contains("the cryptosuite ecdsa-rdfc-2019, which musette does not know"),
        "{}",
        r.text()
    );
    // Not a credential at all, in French.
    let mut french = send(b"hello".to_vec(), token.clone());
    french.headers_mut().insert(
        header::ACCEPT_LANGUAGE,
        axum::http::HeaderValue::from_static("fr"),
    );
    let r = employer.send(french).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("ni du JSON, ni un JWT, ni une image de badge (PNG, SVG)"),
        "{}",
        r.text()
    );
    // Not a credential at all; no token.
    let r = employer.send(send(b"hello".to_vec(), token.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("not a verifiable credential"));
    let r = employer.send(send(credential, String::new())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backpack_comes_in_and_goes_out() {
    let h = unlocked();
    let sample = std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vectors/jsonresume/sample.resume.json"),
    )
    .expect("the JSON Resume vector beside the checkout");
    let post = |uri: &str, body: Vec<u8>| {
        h.req(Method::POST, uri)
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let dry = h
        .send(post("/api/v1/import?dry_run=true", sample.clone()))
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    assert_eq!(
        (&dry.json()["new"], &dry.json()["format"]),
        (&json!(11), &json!("json-resume"))
    );
    assert_eq!(
        h.api(Method::GET, "/api/v1/records", None).await.json(),
        json!([])
    );
    let done = h.send(post("/api/v1/import", sample.clone())).await;
    assert_eq!(done.json()["new"], 11);
    let again = h
        .send(post("/api/v1/import?format=json-resume", sample))
        .await;
    assert_eq!(again.json()["unchanged"], 11);
    let resume = h.api(Method::GET, "/api/v1/export/json-resume", None).await;
    assert_eq!(resume.json()["basics"]["name"], "Richard Hendriks");
    assert_eq!(resume.json()["work"][0]["name"], "Pied Piper");
    let cards = h.api(Method::GET, "/api/v1/export/vcard", None).await;
    assert!(cards.text().starts_with("BEGIN:VCARD"), "{}", cards.text());
    // The profile's page shows its address and profiles as text, never as JSON.
    let contacts = h
        .api(Method::GET, "/api/v1/records?kind=contact", None)
        .await
        .json();
    let profile = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Richard Hendriks")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = h.browser().await;
    let page = h.page(&cookie, &format!("/records/{profile}")).await.text();
    assert!(page.contains("2712 Broadway St, San Francisco"), "{page}");
    assert!(
        page.contains("JSON Resume · basics") && page.contains("Came from"),
        "{page}"
    );
    assert!(
        !page.contains("{&quot;") && !page.contains("{\""),
        "no JSON on the page: {page}"
    );
    // A badge keeps the credential it came as: its page gives its size, and it downloads whole.
    let badge = std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vectors/realbadges/ob3-vc2-eddsa-rdfc-didkey-alignments.json"),
    )
    .expect("the real badges beside the checkout");
    let added = h
        .send(post("/api/v1/import?format=badge", badge.clone()))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    assert_eq!(added.json()["status"], "verified", "{}", added.text());
    // A file musette does not read, dropped on the French import page: said in French.
    let token = csrf(&h.page(&cookie, "/transfer").await.text());
    let (ct, body) = multipart(&token, "milk.txt", b"remember the milk");
    let r = h
        .send(
            h.req(Method::POST, "/import")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_LANGUAGE, "fr")
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("pas reconnu ce fichier"), "{}", r.text());
    let badges = h
        .api(Method::GET, "/api/v1/records?kind=badge", None)
        .await
        .json();
    let bid = badges
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["title"] != "Digital Compression Pioneer Award")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = h.page(&cookie, &format!("/records/{bid}")).await.text();
    assert!(
        page.contains("kept as issued") && page.contains("/original"),
        "{page}"
    );
    let original = h.page(&cookie, &format!("/records/{bid}/original")).await;
    assert_eq!(original.status, StatusCode::OK);
    let kept: Value = serde_json::from_slice(&original.body).unwrap();
    assert_eq!(kept, serde_json::from_slice::<Value>(&badge).unwrap());
    // Nothing musette reads; a format it does not know; nothing at all.
    let r = h
        .send(post("/api/v1/import", b"remember the milk".to_vec()))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("could not tell")
    );
    let r = h
        .send(post("/api/v1/import?format=pdf", b"%PDF".to_vec()))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = h.send(post("/api/v1/import", Vec::new())).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The page: a vCard file through the form, the report shown.
    let token = csrf(&h.page(&cookie, "/transfer").await.text());
    let vcf =
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n";
    let (ct, body) = multipart(&token, "contacts.vcf", vcf);
    let r = h
        .send(
            h.req(Method::POST, "/import")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("1 new"), "{}", r.text());
    let download = h.page(&cookie, "/export/vcard").await;
    assert!(String::from_utf8_lossy(&download.body).contains("FN:Ana Lima"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_passphrase_is_replaced_with_the_recovery_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (vault, key) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let key = key.display().to_string();
    drop(vault);
    let h = Harness {
        app: App::new(config(dir), None),
        _tmp: tmp,
    };
    let cookie = h.browser().await;
    let unlock = h.page(&cookie, "/unlock").await.text();
    assert!(
        unlock.contains("href=\"/recover\""),
        "the way back is offered"
    );
    let token = csrf(&h.page(&cookie, "/recover").await.text());
    let new = "a brand new passphrase";
    let wrong = h
        .post_form(
            &cookie,
            "/recover",
            &[
                ("csrf", &token),
                ("key", "AAAA-BBBB"),
                ("passphrase", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!h.app.unlocked());
    let ok = h
        .post_form(
            &cookie,
            "/recover",
            &[
                ("csrf", &token),
                ("key", &key),
                ("passphrase", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(
        (ok.status, ok.location()),
        (StatusCode::SEE_OTHER, "/"),
        "{}",
        ok.text()
    );
    assert!(h.app.unlocked());
    // The old passphrase no longer opens it; the new one does.
    h.api(Method::POST, "/api/v1/lock", None).await;
    let old = h.unlock().await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let r = h
        .api(
            Method::POST,
            "/api/v1/unlock",
            Some(json!({ "passphrase": new })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

/// An upload the client breaks off is the client's failure (400, nothing attached), not the
/// app's (it answered 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_broken_off_is_the_clients_failure() {
    let h = unlocked();
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "document", "fields": { "title": "Scans" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pieces: Vec<Result<axum::body::Bytes, std::io::Error>> = vec![
        Ok(axum::body::Bytes::from(vec![1u8; 100_000])),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset by peer",
        )),
    ];
    let put = h
        .send(
            h.req(
                Method::PUT,
                &format!("/api/v1/records/{id}/attachments/cut.bin"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from_stream(futures_util::stream::iter(pieces)))
            .unwrap(),
        )
        .await;
    assert_eq!(put.status, StatusCode::BAD_REQUEST, "{}", put.text());
    assert_eq!(put.json()["error"], "upload_incomplete");
    let record = h
        .api(Method::GET, &format!("/api/v1/records/{id}"), None)
        .await
        .json();
    assert_eq!(record["attachments"], json!([]), "{record}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_transfer_never_holds_the_door() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (vault, _) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let h = Harness {
        app: App::new(
            Config {
                max_upload: 64 << 20,
                ..config(dir)
            },
            Some(vault),
        ),
        _tmp: tmp,
    };
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "document", "fields": { "title": "Scans" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let put = h
        .send(
            h.req(
                Method::PUT,
                &format!("/api/v1/records/{id}/attachments/scan.bin"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from(vec![7u8; 24 << 20]))
            .unwrap(),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED);
    // A download whose reader stops: the vault is busy streaming it.
    let stalled = musette_web::router(h.app.clone())
        .oneshot(
            h.req(
                Method::GET,
                &format!("/api/v1/records/{id}/attachments/scan.bin"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(stalled.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The server still answers what needs no vault, and a lock is taken at once (a blocked
    // worker would not even let a timeout fire: the time is measured)...
    let started = std::time::Instant::now();
    for _ in 0..4 {
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            h.api(Method::GET, "/api/v1/status", None),
        )
        .await
        .expect("status answers while a transfer stalls");
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = tokio::time::timeout(
        Duration::from_secs(5),
        h.api(Method::POST, "/api/v1/lock", None),
    )
    .await
    .expect("lock answers while a transfer stalls");
    assert_eq!(r.json(), json!({ "unlocked": false }));
    assert!(!h.app.unlocked());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answers took {:?} while a transfer stalled",
        started.elapsed()
    );
    // ...and applied when the transfer ends.
    drop(stalled);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = h.api(Method::GET, "/api/v1/records", None).await;
    assert_eq!(r.status, StatusCode::LOCKED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_clear_answers() {
    let h = unlocked();
    let cookie = h.browser().await;
    // The language switch sends nowhere but here, whatever is slipped into its path.
    for back in [
        "/%09/evil.example/",
        "/%0a",
        "/%5Cevil.example",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:x=y",
    ] {
        let r = h.page(&cookie, &format!("/lang/fr?back={back}")).await;
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::SEE_OTHER, "/"),
            "{back}"
        );
    }
    // The API answers in JSON even when the request does not parse.
    for (method, uri, body, want) in [
        (
            Method::PUT,
            "/api/v1/status",
            "",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/api/v1/due?days=-1",
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v1/records",
            "{\"kind\":",
            StatusCode::BAD_REQUEST,
        ),
        (Method::GET, "/api/v1/nothing", "", StatusCode::NOT_FOUND),
        // A misspelt parameter is said, not ignored (it would list every record).
        (
            Method::GET,
            "/api/v1/records?serch=elodie",
            "",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let mut b = h.req(method.clone(), uri).header(
            header::AUTHORIZATION,
            format!("Bearer {}", h.app.api_token()),
        );
        if !body.is_empty() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        let r = h.send(b.body(Body::from(body)).unwrap()).await;
        assert_eq!(r.status, want, "{method} {uri}: {}", r.text());
        assert!(
            r.json()["message"].is_string(),
            "{method} {uri}: {}",
            r.text()
        );
    }
    // A page that does not exist is a page, in the browser's language.
    let r = h.page(&cookie, "/nowhere").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("<html"));
    let r = h
        .send(
            h.req(Method::GET, "/nowhere")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        r.text().contains("Il n&#39;y a pas de page") || r.text().contains("Il n'y a pas de page"),
        "{}",
        r.text()
    );
    // The launch link again in the browser it let in: home, not an error. Elsewhere: refused.
    let url = h.app.launch_url();
    let path = url.split_once(&format!(":{PORT}")).unwrap().1.to_string();
    let again = h.page(&cookie, &path).await;
    assert_eq!(
        (again.status, again.location()),
        (StatusCode::SEE_OTHER, "/")
    );
    let stranger = h
        .send(h.req(Method::GET, &path).body(Body::empty()).unwrap())
        .await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
    assert!(stranger.headers.get(header::SET_COOKIE).is_none());
    // A form's token field cannot be made huge.
    let huge = "x".repeat(1 << 20);
    let (ct, body) = multipart(&huge, "a.txt", b"hello");
    let r = h
        .send(
            h.req(Method::POST, "/verify")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("a field of this form is far too long"),
        "{}",
        r.text()
    );
    // A body over a route's limit is said as such, not as the framework's words, in the API
    // and on a page, in the page's language.
    let r = h
        .send(
            h.req(Method::POST, "/api/v1/verify")
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", h.app.api_token()),
                )
                .body(Body::from(vec![b' '; 9 << 20]))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    let message = r.json()["message"].as_str().unwrap_or("").to_string();
    assert!(!message.contains("length limit"), "{message}");
    assert!(
        message.contains("larger than this address takes"),
        "{message}"
    );
    let token = csrf(&h.page(&cookie, "/verify").await.text());
    let (ct, body) = multipart(&token, "big.json", &vec![b' '; 9 << 20]);
    let r = h
        .send(
            h.req(Method::POST, "/verify")
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT_LANGUAGE, "fr")
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(!r.text().contains("length limit"), "{}", r.text());
    assert!(
        r.text()
            .contains("page accepte\u{202f}: 8\u{a0}Mio au plus")
            || r.text().contains("page accepte\u{202f}: 8 Mio au plus"),
        "{}",
        r.text()
    );
    // Refusals of the door, in French for a French browser.
    let r = h
        .send(
            Request::builder()
                .uri("/records")
                .header(header::HOST, "evil.example")
                .header(header::ACCEPT_LANGUAGE, "fr")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("ce serveur ne répond qu"), "{}", r.text());
    let r = h
        .send(
            h.req(Method::GET, "/records")
                .header(header::ACCEPT_LANGUAGE, "fr")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("ouvrez l"), "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recovery_key_is_gone_once_locked() {
    let h = empty();
    let cookie = h.browser().await;
    let token = csrf(&h.page(&cookie, "/unlock").await.text());
    h.post_form(
        &cookie,
        "/create",
        &[("csrf", &token), ("passphrase", PASS), ("confirm", PASS)],
    )
    .await;
    assert!(h.page(&cookie, "/recovery").await.text().contains("<code>"));
    h.app.lock_vault();
    let r = h.page(&cookie, "/recovery").await;
    assert_eq!(r.location(), "/unlock");
    let token = csrf(&h.page(&cookie, "/unlock").await.text());
    let ok = h
        .post_form(
            &cookie,
            "/unlock",
            &[("csrf", &token), ("passphrase", PASS)],
        )
        .await;
    assert!(h.app.unlocked());
    // The unlock renews the browser's session.
    let cookie = ok.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let r = h.page(&cookie, "/recovery").await;
    assert_eq!(r.location(), "/", "never shown again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_shows_exactly_what_the_recipient_will_see() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (mut vault, _) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    musette_sync::peers::create_guild(&mut vault, "employers").unwrap();
    let h = Harness {
        app: App::new(config(dir), Some(vault)),
        _tmp: tmp,
    };
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "experience", "fields": { "title": "Soudeuse", "organization": "Secret SARL", "start": "2019-04" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = h.browser().await;
    let page = h
        .page(&cookie, &format!("/records/{id}/share"))
        .await
        .text();
    assert!(page.contains("value=\"guild:employers\""), "{page}");
    let token = csrf(&page);
    let form = |action: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("to", "guild:employers".to_string()),
            ("field", "title".to_string()),
            ("field", "start".to_string()),
            ("action", action.to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let preview_fields = as_refs(&form("preview"));
    let fields: Vec<(&str, &str)> = preview_fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let preview = h
        .post_form(&cookie, &format!("/records/{id}/share"), &fields)
        .await
        .text();
    let seen = &preview[preview.find("What they will see").expect("a preview")..];
    assert!(
        seen.contains("Soudeuse") && seen.contains("Apr 2019"),
        "{seen}"
    );
    assert!(
        !seen.contains("Secret SARL"),
        "only the fields ticked: {seen}"
    );
    let share_fields = form("share");
    let fields: Vec<(&str, &str)> = share_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = h
        .post_form(&cookie, &format!("/records/{id}/share"), &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let after = h.page(&cookie, done.location()).await.text();
    assert!(
        after.contains("Shared.") && after.contains("Already shared"),
        "{after}"
    );
    // Nobody chosen: said on the dialog, nothing shared.
    let no_target: Vec<(&str, &str)> =
        vec![("csrf", &token), ("field", "title"), ("action", "share")];
    let r = h
        .post_form(&cookie, &format!("/records/{id}/share"), &no_target)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_name_cannot_pretend_to_be_another() {
    let h = unlocked();
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "document", "fields": { "title": "Payslip" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let put = h
        .send(
            h.req(
                Method::PUT,
                &format!("/api/v1/records/{id}/attachments/evil%E2%80%AEgpj.exe"),
            )
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.app.api_token()),
            )
            .body(Body::from("MZ"))
            .unwrap(),
        )
        .await;
    // Refused at the door: a right-to-left override makes "evil{U+202E}gpj.exe" read "evilexe.jpg".
    assert_eq!(put.status, StatusCode::BAD_REQUEST, "{}", put.text());
    assert!(put.text().contains("right-to-left"), "{}", put.text());
    let record = h
        .api(Method::GET, &format!("/api/v1/records/{id}"), None)
        .await
        .json();
    assert_eq!(record["attachments"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_records_presented_together_verify() {
    let h = unlocked();
    let mut ids = Vec::new();
    for title in ["Soudeuse", "Monteuse"] {
        ids.push(
            h.api(
                Method::POST,
                "/api/v1/records",
                Some(json!({ "kind": "experience", "fields": { "title": title } })),
            )
            .await
            .json()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let cookie = h.browser().await;
    let list = h.page(&cookie, "/records").await.text();
    assert!(list.contains("action=\"/present\""));
    let token = csrf(&list);
    let none = h.post_form(&cookie, "/present", &[("csrf", &token)]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    let r = h
        .post_form(
            &cookie,
            "/present",
            &[
                ("csrf", &token),
                ("id", &ids[0]),
                ("id", &ids[1]),
                ("to", "Acme HR"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let vp: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(vp["verifiableCredential"].as_array().unwrap().len(), 2);
    let (ct, body) = multipart(&token, "vp.json", &r.body);
    let checked = h
        .send(
            h.req(Method::POST, "/verify")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .text();
    assert!(
        checked.contains("Verified: every proof holds.") && checked.contains("Monteuse"),
        "{checked}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_and_guilds_from_the_browser() {
    let h = unlocked();
    let cookie = h.browser().await;
    let page = h.page(&cookie, "/people").await.text();
    let token = csrf(&page);
    // A ticket from someone else's vault.
    let tmp = tempfile::tempdir().unwrap();
    let (other, _) =
        Vault::create(&tmp.path().join("v"), PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let endpoint: [u8; 32] = {
        use ring::signature::KeyPair;
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        pair.public_key().as_ref().try_into().unwrap()
    };
    let ticket = musette_sync::node::Ticket {
        did: other.owner().unwrap().did().to_string(),
        endpoint,
        addrs: vec!["127.0.0.1:4433".parse().unwrap()],
    }
    .encode();
    let bad = h
        .post_form(
            &cookie,
            "/people/peer",
            &[
                ("csrf", &token),
                ("name", "Karim"),
                ("ticket", "musette1notaticket"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("not a musette ticket"));
    let ok = h
        .post_form(
            &cookie,
            "/people/peer",
            &[("csrf", &token), ("name", "Karim"), ("ticket", &ticket)],
        )
        .await;
    assert_eq!(ok.location(), "/people", "{}", ok.text());
    let made = h
        .post_form(
            &cookie,
            "/people/guild",
            &[
                ("csrf", &token),
                ("action", "create"),
                ("guild", "Soudeurs"),
            ],
        )
        .await;
    assert_eq!(made.location(), "/people");
    let again = h
        .post_form(
            &cookie,
            "/people/guild",
            &[
                ("csrf", &token),
                ("action", "create"),
                ("guild", "Soudeurs"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.text());
    let added = h
        .post_form(
            &cookie,
            "/people/guild",
            &[
                ("csrf", &token),
                ("action", "add"),
                ("guild", "Soudeurs"),
                ("peer", "Karim"),
            ],
        )
        .await;
    assert_eq!(added.location(), "/people");
    let page = h.page(&cookie, "/people").await.text();
    assert!(
        page.contains("Karim") && page.contains("Soudeurs"),
        "{page}"
    );
    let no_token = h
        .post_form(
            &cookie,
            "/people/guild",
            &[("action", "delete"), ("guild", "Soudeurs")],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_downloads_whole_and_sealed() {
    let h = unlocked();
    h.api(
        Method::POST,
        "/api/v1/records",
        Some(json!({ "kind": "skill", "fields": { "name": "canary-skill-4242" } })),
    )
    .await;
    let cookie = h.browser().await;
    let r = h.page(&cookie, "/export/backup").await;
    assert_eq!(r.status, StatusCode::OK);
    let bytes = r.body;
    assert!(bytes.starts_with(musette_core::backup::MAGIC));
    let len = u64::from_be_bytes(bytes[16..24].try_into().unwrap());
    assert_eq!(bytes.len() as u64, 24 + len + 32, "header, image, tag");
    assert!(
        !bytes.windows(17).any(|w| w == b"canary-skill-4242"),
        "nothing readable in it"
    );
    // Its image opens with the passphrase and its tag holds.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("restored");
    std::fs::create_dir(&dir).unwrap();
    let image = &bytes[24..24 + len as usize];
    std::fs::write(dir.join("vault.db"), image).unwrap();
    let vault = Vault::open(&dir, musette_core::Unlock::Passphrase(PASS.as_bytes())).unwrap();
    let hash = musette_core::crypto::sha256(image);
    assert!(musette_core::backup::tag_holds(
        &vault.backup_key(),
        len,
        &hash,
        &bytes[24 + len as usize..]
    ));
    let (list, _) = vault.list(&musette_core::Filter::default()).unwrap();
    assert_eq!(list.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_signing_requests_are_listed_and_answered_only_when_real() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (mut vault, _) = Vault::create(&dir, PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let (other, _) = Vault::create(
        &tmp.path().join("other"),
        PASS.as_bytes(),
        KdfParams::minimum(),
    )
    .unwrap();
    let mut fields = serde_json::Map::new();
    fields.insert("text".into(), json!("Ana ran the night shift flawlessly"));
    fields.insert("author".into(), json!("Luc"));
    let rec = vault
        .add(musette_core::model::Kind::Recommendation, fields, &[])
        .unwrap()
        .id;
    let other_did = other.owner().unwrap().did().to_string();
    musette_sync::cosign::request(&mut vault, &rec, &other_did, "Luc").unwrap();
    let h = Harness {
        app: App::new(config(dir), Some(vault)),
        _tmp: tmp,
    };
    let cookie = h.browser().await;
    let page = h.page(&cookie, "/cosign").await.text();
    assert!(page.contains("night shift flawlessly"), "{page}");
    assert!(page.contains("Nobody asked you"), "{page}");
    let token = csrf(&page);
    let r = h
        .post_form(
            &cookie,
            "/cosign/sign",
            &[("csrf", &token), ("id", "abcdef12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = h
        .post_form(&cookie, "/cosign/sign", &[("id", "abcdef12")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_points_at_an_experience_by_name() {
    let h = unlocked();
    let exp = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "experience", "fields": { "title": "Soudeuse TIG" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = h.browser().await;
    let form = h.page(&cookie, "/records/new?kind=evidence").await.text();
    assert!(
        form.contains(&format!("<option value=\"{exp}\"")) && form.contains("Soudeuse TIG"),
        "the experience is offered by name: {form}"
    );
    let token = csrf(&form);
    let made = h
        .post_form(
            &cookie,
            "/records",
            &[
                ("csrf", &token),
                ("kind", "evidence"),
                ("f_title", "Photos du chantier"),
                ("f_experience", &exp),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let page = h.page(&cookie, made.location()).await.text();
    assert!(page.contains("<dd>Soudeuse TIG</dd>"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_through_the_api() {
    let h = unlocked();
    let add = |fields: Value| {
        let h = &h;
        async move {
            h.api(
                Method::POST,
                "/api/v1/records",
                Some(json!({ "kind": "experience", "fields": fields })),
            )
            .await
            .json()["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let welder =
        add(json!({ "title": "Soudeuse", "organization": "Secret SARL", "start": "2019-04" }))
            .await;
    let fitter = add(json!({ "title": "Tuyauteuse", "start": "2021" })).await;
    // A recipient's name on two lines would break the audit log's: refused.
    let r = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{welder}/credential"),
            Some(json!({ "fields": ["title"], "to": "Acme\nHR" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // Issued with one field: that field, and nothing else.
    let r = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{welder}/credential"),
            Some(json!({ "fields": ["title"], "to": "Acme HR" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let credential = r.json();
    let text = credential.to_string();
    assert!(
        text.contains("Soudeuse") && !text.contains("Secret SARL"),
        "{text}"
    );
    // It verifies, with the vault locked too (verifying needs no key).
    let verify = |body: Vec<u8>| {
        let h = &h;
        async move {
            h.send(
                h.req(Method::POST, "/api/v1/verify")
                    .header(
                        header::AUTHORIZATION,
                        format!("Bearer {}", h.app.api_token()),
                    )
                    .header(header::CONTENT_TYPE, "application/octet-stream")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let ok = verify(text.clone().into_bytes()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(ok.json()["outcome"], "verified", "{}", ok.text());
    assert_eq!(ok.json()["verified"], true);
    // Altered after signing: it says so, in a 200 answer (the check worked; the file fails it).
    let forged = text.replace("Soudeuse", "Directrice");
    let bad = verify(forged.into_bytes()).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert_eq!(bad.json()["outcome"], "failed", "{}", bad.text());
    assert_eq!(bad.json()["verified"], false);
    // Not a credential at all, empty, too large.
    let junk = verify(b"{\"hello\": 1}".to_vec()).await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST, "{}", junk.text());
    assert_eq!(junk.json()["error"], "invalid");
    let empty = verify(Vec::new()).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let huge = verify(vec![b' '; 9 << 20]).await;
    assert_eq!(
        huge.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        huge.text()
    );
    assert!(huge.json()["message"].is_string());
    // Mistakes, each said, nothing signed.
    for (uri, body, want) in [
        (
            format!("/api/v1/records/{welder}/credential"),
            json!({ "fields": ["salary"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/records/{welder}/credential"),
            json!({ "fields": [] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/records/{welder}/credential"),
            json!({ "suite": "rsa-1024" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/records/{welder}/credential"),
            json!({ "feilds": ["title"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/records/ffffffffffff/credential".to_string(),
            json!({}),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/present".to_string(),
            json!({ "records": [] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/present".to_string(),
            json!({ "records": vec![welder.clone(); 201] }),
            StatusCode::BAD_REQUEST,
        ),
        // Absurd lists of fields are refused at once, not written 200 times into the log.
        (
            format!("/api/v1/records/{welder}/credential"),
            json!({ "fields": vec!["title"; 100_000] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/present".to_string(),
            json!({ "records": [welder], "fields": vec!["title"; 100_000] }),
            StatusCode::BAD_REQUEST,
        ),
        // An array where an object belongs.
        (
            format!("/api/v1/records/{welder}/credential"),
            json!([]),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let r = h.api(Method::POST, &uri, Some(body.clone())).await;
        assert_eq!(r.status, want, "{uri}: {}", r.text());
        assert!(r.json()["message"].is_string(), "{}", r.text());
    }
    // Two records presented together, for one verifier's challenge: one document that verifies.
    let p = h
        .api(
            Method::POST,
            "/api/v1/present",
            Some(json!({ "records": [welder, fitter], "challenge": "n-0451", "domain": "acme.example", "suite": "eddsa-jcs-2022" })),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    let presentation = p.json();
    assert_eq!(presentation["proof"]["challenge"], "n-0451");
    let checked = verify(presentation.to_string().into_bytes()).await.json();
    assert_eq!(checked["kind"], "presentation");
    assert_eq!(checked["outcome"], "verified", "{checked}");
    assert_eq!(checked["credentials"].as_array().unwrap().len(), 2);
    // Locked: nothing is signed, but files still verify.
    h.api(Method::POST, "/api/v1/lock", None).await;
    let r = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{welder}/credential"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::LOCKED);
    assert_eq!(
        verify(text.into_bytes()).await.json()["outcome"],
        "verified"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_through_the_api() {
    // Two vaults that know each other as peers.
    let tmp = tempfile::tempdir().unwrap();
    let (mut mine, _) =
        Vault::create(&tmp.path().join("a"), PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let (mut theirs, _) =
        Vault::create(&tmp.path().join("b"), PASS.as_bytes(), KdfParams::minimum()).unwrap();
    let ticket_of = |v: &Vault| musette_sync::node::Ticket {
        did: v.owner().unwrap().did().to_string(),
        endpoint: [7; 32],
        addrs: vec!["127.0.0.1:4433".parse().unwrap()],
    };
    let (my_did, their_did) = (
        mine.owner().unwrap().did().to_string(),
        theirs.owner().unwrap().did().to_string(),
    );
    musette_sync::peers::add_peer(&mut mine, "Karim", &ticket_of(&theirs)).unwrap();
    musette_sync::peers::add_peer(&mut theirs, "Lina", &ticket_of(&mine)).unwrap();
    musette_sync::peers::create_guild(&mut mine, "employers").unwrap();
    musette_sync::peers::guild_member(&mut mine, "employers", "Karim", true).unwrap();
    let theirs_dir = tmp.path().join("b");
    let mine_dir = tmp.path().join("a");
    drop(theirs);
    let h = Harness {
        app: App::new(config(tmp.path().join("a")), Some(mine)),
        _tmp: tmp,
    };
    let peers = h.api(Method::GET, "/api/v1/peers", None).await.json();
    assert_eq!(peers["peers"][0]["name"], "Karim");
    assert_eq!(peers["peers"][0]["did"], their_did.as_str());
    assert_eq!(peers["guilds"][0]["members"], json!(["Karim"]));
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "TIG welding", "level": "expert", "notes": "private" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shared = h
        .api(
            Method::POST,
            &format!("/api/v1/records/{id}/share"),
            Some(json!({ "to": "Karim", "fields": ["name", "level"] })),
        )
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text());
    assert_eq!(shared.json()["fields"], json!(["name", "level"]));
    assert_eq!(shared.json()["updated"], false);
    // Mistakes: nobody by that name, a field the record lacks, no such record.
    for (uri, body, want) in [
        (
            format!("/api/v1/records/{id}/share"),
            json!({ "to": "Nobody" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/records/{id}/share"),
            json!({ "to": "Karim", "fields": ["salary"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/records/ffffffffffff/share".to_string(),
            json!({ "to": "Karim" }),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/records/{id}/share"),
            json!({}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let r = h.api(Method::POST, &uri, Some(body.clone())).await;
        assert_eq!(r.status, want, "{uri} {body}: {}", r.text());
        assert!(r.json()["message"].is_string());
    }
    let shares = h.api(Method::GET, "/api/v1/shares", None).await.json();
    assert_eq!(shares.as_array().unwrap().len(), 1, "{shares}");
    assert_eq!(shares[0]["to"], "Karim");
    assert_eq!(shares[0]["delivered_to"], json!([]));
    // What travels at the next sync, taken by the other vault: exactly the fields shared.
    let mut second =
        Vault::open(&mine_dir, musette_core::Unlock::Passphrase(PASS.as_bytes())).unwrap();
    let items = musette_sync::share::outgoing(&mut second, &their_did, &[], false).unwrap();
    let mut theirs = Vault::open(
        &theirs_dir,
        musette_core::Unlock::Passphrase(PASS.as_bytes()),
    )
    .unwrap();
    musette_sync::share::accept(&mut theirs, &my_did, items).unwrap();
    let h2 = Harness {
        app: App::new(config(theirs_dir), Some(theirs)),
        _tmp: tempfile::tempdir().unwrap(),
    };
    let got = h2.api(Method::GET, "/api/v1/received", None).await.json();
    assert_eq!(got.as_array().unwrap().len(), 1, "{got}");
    assert_eq!(got[0]["from"], "Lina");
    assert_eq!(got[0]["verified"], true);
    assert_eq!(
        got[0]["fields"],
        json!({ "name": "TIG welding", "level": "expert" })
    );
    let delivered = h.api(Method::GET, "/api/v1/shares", None).await.json();
    assert_eq!(
        delivered[0]["delivered_to"],
        json!(["Karim"]),
        "{delivered}"
    );
    // Revoked.
    let r = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}/share?to=Karim"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        h.api(Method::GET, "/api/v1/shares", None).await.json()[0]["revoked"],
        true
    );
    let again = h
        .api(
            Method::DELETE,
            &format!("/api/v1/records/{id}/share?to=Karim"),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.text());
}

/// Waits (30 s at most) until the invitation's state, as the page's script reads it, is `want`.
async fn invitation_reaches(h: &Harness, cookie: &str, want: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = h.page(cookie, "/devices/invite/status").await.json();
        if s["state"] == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the invitation stayed {s}, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_joins_from_the_devices_page_and_syncs() {
    use musette_sync::node::Node;
    use musette_sync::pair::{self, Invite};
    let h = unlocked();
    let net = config(std::path::PathBuf::new()).net;
    let cookie = h.browser().await;
    let skill = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "TIG welding" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = h.page(&cookie, "/devices").await.text();
    assert!(
        page.contains("This device") && page.contains("Make an invitation"),
        "{page}"
    );
    let token = csrf(&page);
    // Nobody to sync with yet: said on the page, and by the API.
    let r = h
        .post_form(&cookie, "/devices/sync", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("no device or peer to sync with yet"),
        "{}",
        r.text()
    );
    let r = h.api(Method::POST, "/api/v1/sync", None).await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
    // Without the form's token, no invitation.
    let r = h
        .post_form(&cookie, "/devices/invite", &[("csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The invitation, as a QR code and as text.
    let r = h
        .post_form(&cookie, "/devices/invite", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = h.page(&cookie, "/devices").await;
    assert_eq!(
        page.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store",
        "the invitation holds a secret: never cached"
    );
    let page = page.text();
    assert!(
        page.contains("<svg") && page.contains("Waiting for the new device"),
        "{page}"
    );
    let start = page.find("musettejoin1").unwrap();
    let text: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let first = Invite::decode(&text).unwrap();
    // A new invitation replaces the one waiting: the first no longer works.
    let again = h
        .post_form(&cookie, "/devices/invite", &[("csrf", &token)])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text());
    let page = h.page(&cookie, "/devices").await.text();
    let start = page.find("musettejoin1").unwrap();
    let text: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let invite = Invite::decode(&text).unwrap();
    assert_ne!(first.secret, invite.secret);
    // A device with a wrong secret is refused, and the page says so.
    let tmp = tempfile::tempdir().unwrap();
    let mut wrong = invite.clone();
    wrong.secret[0] ^= 1;
    let thief = pair::join(
        &wrong,
        "thief",
        &net,
        &tmp.path().join("t"),
        PASS.as_bytes(),
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await;
    assert!(thief.is_err());
    invitation_reaches(&h, &cookie, "refused").await;
    // The phone joins with the right one, then copies the records.
    let phone = pair::join(
        &invite,
        "phone",
        &net,
        &tmp.path().join("phone"),
        PASS.as_bytes(),
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await
    .unwrap();
    let phone = Node::bind(phone, "phone", &net).await.unwrap();
    let copied = phone.sync_with(&invite.ticket).await.unwrap();
    assert_eq!(copied.records_received, 1);
    assert!(phone.vault().lock().unwrap().show(&skill).is_ok());
    invitation_reaches(&h, &cookie, "synced").await;
    let page = h.page(&cookie, "/devices").await.text();
    assert!(
        page.contains("phone joined this vault and copied the records"),
        "{page}"
    );
    assert!(
        !page.contains("musettejoin1"),
        "a used invitation is not shown again"
    );
    // Sync now: the phone answers, and gets what was added since. (A device that joined is
    // known without an address until it is reached once; with relays off, as here, give it.)
    let router = phone.serve();
    let addrs: Vec<String> = phone
        .ticket()
        .addrs
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut second = Vault::open(
        &h.app_dir(),
        musette_core::Unlock::Passphrase(PASS.as_bytes()),
    )
    .unwrap();
    musette_sync::devices::remember(&mut second, phone.cert(), &addrs).unwrap();
    drop(second);
    let later = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "MIG welding" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The invitation's node closes just after the state changes: wait for it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let rows = loop {
        let r = h.api(Method::POST, "/api/v1/sync", None).await;
        if r.status != StatusCode::CONFLICT || tokio::time::Instant::now() > deadline {
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            break r.json();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(rows[0]["name"], "phone", "{rows}");
    assert_eq!(rows[0]["ok"], true, "{rows}");
    assert_eq!(rows[0]["sent"], 1, "{rows}");
    assert!(phone.vault().lock().unwrap().show(&later).is_ok());
    let r = h
        .post_form(&cookie, "/devices/sync", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Synced"), "{}", r.text());
    let devices = h.api(Method::GET, "/api/v1/devices", None).await.json();
    assert_eq!(devices[1]["name"], "phone", "{devices}");
    assert!(devices[1]["last_sync"].is_string());
    // Locking forgets an invitation and stops its node.
    let r = h
        .post_form(&cookie, "/devices/invite", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    h.app.lock_vault();
    assert_eq!(
        h.page(&cookie, "/devices/invite/status").await.json()["state"],
        "none"
    );
    router.shutdown().await.ok();
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_stops_a_slow_upload_and_attaches_nothing() {
    let h = unlocked();
    let id = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "document", "fields": { "title": "Scans" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // One byte, then nothing for a minute: a client that trickles.
    let body = futures_util::stream::unfold(0u8, |step| async move {
        match step {
            0 => Some((
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"x")),
                1,
            )),
            _ => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                None
            }
        }
    });
    let router = musette_web::router(h.app.clone());
    let req = h
        .req(
            Method::PUT,
            &format!("/api/v1/records/{id}/attachments/slow.txt"),
        )
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", h.app.api_token()),
        )
        .header(header::CONTENT_LENGTH, "8")
        .body(Body::from_stream(body))
        .unwrap();
    let upload = tokio::spawn(async move { router.oneshot(req).await.unwrap().status() });
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.app.lock_vault();
    // The transfer stops within a second or so, not when the client gives up.
    let status = tokio::time::timeout(Duration::from_secs(5), upload)
        .await
        .expect("a lock stops the upload")
        .unwrap();
    assert!(status.is_client_error(), "{status}");
    let r = h.unlock().await;
    assert_eq!(r.status, StatusCode::OK);
    let record = h
        .api(Method::GET, &format!("/api/v1/records/{id}"), None)
        .await
        .json();
    assert_eq!(
        record["attachments"],
        json!([]),
        "nothing attached after the lock"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_token_opens_the_api_only() {
    let h = unlocked();
    let token = h.app.api_token().to_string();
    // Pages (a recovery key shown once, a backup) are the browser's, never the token's.
    for page in ["/", "/recovery", "/export/backup", "/records"] {
        let r = h
            .send(
                h.req(Method::GET, page)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{page}");
    }
    // The scheme's name in any case; a wrong token said as wrong, with the challenge header.
    let r = h
        .send(
            h.req(Method::GET, "/api/v1/status")
                .header(header::AUTHORIZATION, format!("bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .send(
            h.req(Method::GET, "/api/v1/status")
                .header(header::AUTHORIZATION, "Bearer not-the-token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("wrong API token")
    );
    assert!(r.headers.get(header::WWW_AUTHENTICATE).is_some());
    // A misspelt key in a body is said, not ignored.
    let r = h
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "TIG" }, "tag": ["cv"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // A page's query the framework cannot read: the app's error page, not raw text.
    let cookie = h.browser().await;
    let r = h.page(&cookie, "/records?page=-1").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("<html"), "{}", r.text());
}

/// No device of `h`'s vault is marked removed.
async fn assert_none_removed(h: &Harness) {
    let listed = h.api(Method::GET, "/api/v1/devices", None).await.json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["removed"] == false),
        "{listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_computer_joins_from_its_first_page() {
    let laptop = unlocked();
    let skill = laptop
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "TIG welding" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = laptop.browser().await;
    let token = csrf(&laptop.page(&cookie, "/devices").await.text());
    let r = laptop
        .post_form(&cookie, "/devices/invite", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = laptop.page(&cookie, "/devices").await.text();
    let start = page.find("musettejoin1").unwrap();
    let invitation: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    // The new computer has no vault: its first page offers to join one.
    let desktop = empty();
    let c2 = desktop.browser().await;
    let first = desktop.page(&c2, "/unlock").await.text();
    assert!(first.contains("Join my vault"), "{first}");
    let t2 = csrf(&first);
    for (inv, pass, confirm, want) in [
        (
            "musettejoin1notone",
            "desk passphrase",
            "desk passphrase",
            "cut short or mistyped",
        ),
        (
            "a ticket?",
            "desk passphrase",
            "desk passphrase",
            "musettejoin1",
        ),
        (
            invitation.as_str(),
            "desk passphrase",
            "other passphrase",
            "differ",
        ),
        (invitation.as_str(), "short", "short", "too short"),
    ] {
        let r = desktop
            .post_form(
                &c2,
                "/join",
                &[
                    ("csrf", &t2),
                    ("invitation", inv),
                    ("passphrase", pass),
                    ("confirm", confirm),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{inv}");
        assert!(r.text().contains(want), "{want}: {}", r.text());
        assert!(!desktop.app_dir().join("vault.db").exists(), "nothing made");
    }
    let r = desktop
        .post_form(
            &c2,
            "/join",
            &[
                ("csrf", &t2),
                ("invitation", &invitation),
                ("passphrase", "desk passphrase"),
                ("confirm", "desk passphrase"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/recovery?joined=1"),
        "{}",
        r.text()
    );
    let recovery = desktop.page(&c2, "/recovery").await.text();
    assert!(recovery.contains("recovery"), "{recovery}");
    // The records came over, and the laptop's page says so.
    let got = desktop
        .api(Method::GET, &format!("/api/v1/records/{skill}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    invitation_reaches(&laptop, &cookie, "synced").await;
    // Both apps answer while open: what either adds, "Sync now" on the desktop brings over,
    // both ways.
    let on_laptop = laptop
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "MIG welding" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let on_desktop = desktop
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "Brazing" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let synced = desktop.api(Method::POST, "/api/v1/sync", None).await;
    assert_eq!(synced.status, StatusCode::OK, "{}", synced.text());
    let rows = synced.json();
    assert_eq!(rows[0]["ok"], true, "{rows}");
    assert_eq!(
        (rows[0]["sent"].as_u64(), rows[0]["received"].as_u64()),
        (Some(1), Some(1)),
        "{rows}"
    );
    let got = desktop
        .api(Method::GET, &format!("/api/v1/records/{on_laptop}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    let got = laptop
        .api(Method::GET, &format!("/api/v1/records/{on_desktop}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    // The laptop locked and unlocked: its node comes back where the desktop knows it.
    laptop.app.lock_vault();
    let r = laptop.unlock().await;
    assert_eq!(r.status, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = desktop.api(Method::POST, "/api/v1/sync", None).await.json();
        if rows[0]["ok"] == true {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rows}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The desktop's own passphrase opens it.
    desktop.app.lock_vault();
    let r = desktop
        .api(
            Method::POST,
            "/api/v1/unlock",
            Some(json!({ "passphrase": "desk passphrase" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // A phone joins too, before the desktop is lost.
    let token = csrf(&laptop.page(&cookie, "/devices").await.text());
    let r = laptop
        .post_form(&cookie, "/devices/invite", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = laptop.page(&cookie, "/devices").await.text();
    let start = page.find("musettejoin1").unwrap();
    let invitation: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let phone = empty_named("phone");
    let c3 = phone.browser().await;
    let t3 = csrf(&phone.page(&c3, "/unlock").await.text());
    let r = phone
        .post_form(
            &c3,
            "/join",
            &[
                ("csrf", &t3),
                ("invitation", &invitation),
                ("passphrase", "phone passphrase"),
                ("confirm", "phone passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    invitation_reaches(&laptop, &cookie, "synced").await;
    let done = csrf(&phone.page(&c3, "/recovery").await.text());
    phone.post_form(&c3, "/recovery", &[("csrf", &done)]).await;

    // The desktop is lost: the laptop removes it from its Devices page.
    let listed = laptop
        .api(Method::GET, "/api/v1/devices", None)
        .await
        .json();
    let id_of = |name: Option<&str>| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|d| match name {
                None => d["this_device"] == true,
                Some(n) => d["this_device"] == false && d["name"] == n,
            })
            .unwrap_or_else(|| panic!("{listed}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let desktop_name = "test";
    let (desk, this) = (id_of(Some(desktop_name)), id_of(None));
    let page = laptop.page(&cookie, "/devices").await.text();
    assert!(
        page.contains(&format!("/devices/remove?device={desk}")),
        "{page}"
    );
    assert!(!page.contains(&format!("/devices/remove?device={this}")));
    let r = laptop
        .page(&cookie, &format!("/devices/remove?device={this}"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    for nobody in ["zzzzzzzz", "", "abc"] {
        let r = laptop
            .page(&cookie, &format!("/devices/remove?device={nobody}"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{nobody}");
    }
    let form = laptop
        .page(&cookie, &format!("/devices/remove?device={desk}"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("new recovery key"), "{}", form.text());
    let t = csrf(&form.text());
    // Without the form's token, or with a wrong passphrase: nothing changes.
    let r = laptop
        .post_form(
            &cookie,
            "/devices/remove",
            &[("device", &desk), ("passphrase", PASS)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = laptop
        .post_form(
            &cookie,
            "/devices/remove",
            &[
                ("csrf", &t),
                ("device", &desk),
                ("passphrase", "not the passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    assert!(r.text().contains("nothing was changed"), "{}", r.text());
    assert_none_removed(&laptop).await;
    // While another process keeps the vault's keys (a `serve`: it would go on with the old
    // ones), they do not change here: 409, said, nothing changed.
    let dir = laptop._tmp.path().join("vault");
    let held = musette_sync::node::KeysLock::share(&dir).unwrap();
    let r = laptop
        .post_form(
            &cookie,
            "/devices/remove",
            &[("csrf", &t), ("device", &desk), ("passphrase", PASS)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("in another process"), "{}", r.text());
    assert_none_removed(&laptop).await;
    drop(held);
    // And the app, unlocked, keeps them too: a `rekey` elsewhere would be refused.
    assert!(matches!(
        musette_sync::node::KeysLock::change(&dir),
        Err(musette_sync::node::NetError::AlreadyServed)
    ));
    let r = laptop
        .post_form(
            &cookie,
            "/devices/remove",
            &[("csrf", &t), ("device", &desk), ("passphrase", PASS)],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/recovery?rekeyed=1"),
        "{}",
        r.text()
    );
    let shown = laptop.page(&cookie, "/recovery?rekeyed=1").await.text();
    assert!(shown.contains("new keys"), "{shown}");
    let listed = laptop
        .api(Method::GET, "/api/v1/devices", None)
        .await
        .json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == desk.as_str() && d["removed"] == true),
        "{listed}"
    );
    // The laptop's passphrase still opens it (the keys changed, not the passphrase).
    laptop.app.lock_vault();
    let r = laptop.unlock().await;
    assert_eq!(r.status, StatusCode::OK);
    // The desktop gets nothing more: its next sync with the laptop is refused, not merely
    // unanswered, and what the laptop adds does not reach it.
    let later = laptop
        .api(
            Method::POST,
            "/api/v1/records",
            Some(json!({ "kind": "skill", "fields": { "name": "Pipe fitting" } })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = desktop.api(Method::POST, "/api/v1/sync", None).await.json();
        assert_eq!(rows[0]["ok"], false, "{rows}");
        let why = rows[0]["error"].as_str().unwrap_or_default().to_string();
        if !why.contains("did not answer") {
            assert!(why.contains("it gets nothing more"), "{why}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rows}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = desktop
        .api(Method::GET, &format!("/api/v1/records/{later}"), None)
        .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);

    // The phone hears of it at its next sync with the laptop: the laptop offers it the new
    // keys, and the phone's Devices page says who removed whom.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = phone.api(Method::POST, "/api/v1/sync", None).await.json();
        let offered = rows.as_array().unwrap().iter().any(|r| {
            r["error"]
                .as_str()
                .unwrap_or_default()
                .contains("New keys offered")
        });
        if offered {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rows}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let page = phone.page(&c3, "/devices").await.text();
    assert!(
        page.contains(&format!("removed {desktop_name} from your vault")),
        "{page}"
    );
    let t3 = csrf(&page);
    // Not ticked, or a wrong passphrase: nothing changes, and the offer stays.
    let r = phone
        .post_form(
            &c3,
            "/devices/keys",
            &[("csrf", &t3), ("passphrase", "phone passphrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = phone
        .post_form(
            &c3,
            "/devices/keys",
            &[
                ("csrf", &t3),
                ("confirm", "1"),
                ("passphrase", "not it at all"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    assert!(
        r.text().contains("from your vault and offers"),
        "the offer stays"
    );
    let r = phone
        .post_form(
            &c3,
            "/devices/keys",
            &[
                ("csrf", &t3),
                ("confirm", "1"),
                ("passphrase", "phone passphrase"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/recovery?adopted=1"),
        "{}",
        r.text()
    );
    // The phone never synced with the desktop: removed, with no date of a last sync.
    let listed = phone.api(Method::GET, "/api/v1/devices", None).await.json();
    let gone = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["removed"] == true)
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(gone["last_sync"].is_null(), "{listed}");
    let shown = phone.page(&c3, "/recovery?adopted=1").await.text();
    assert!(shown.contains("This computer took the vault"), "{shown}");
    // With the new keys, the phone syncs with the laptop again and gets what it added.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = phone.api(Method::POST, "/api/v1/sync", None).await.json();
        if rows.as_array().unwrap().iter().any(|r| r["ok"] == true) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rows}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = phone
        .api(Method::GET, &format!("/api/v1/records/{later}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    let page = phone.page(&c3, "/devices").await.text();
    assert!(
        !page.contains("removed a device from your vault"),
        "no offer is left"
    );
}
