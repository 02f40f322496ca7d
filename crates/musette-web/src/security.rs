//! The door of a local web app, kept shut.
//!
//! Every request passes [`guard`]:
//!
//! 1. its `Host` must be this server's loopback address and port (`127.0.0.1:PORT` or
//!    `localhost:PORT`): a page elsewhere that rebinds a name of its own to 127.0.0.1 (DNS
//!    rebinding) is refused;
//! 2. an `Origin` header, when there is one, must be this server's: no other site's page can
//!    post to it (CSRF);
//! 3. it must come from the browser that opened the launch link (its session cookie: HttpOnly,
//!    SameSite=Strict) or from a program holding the API token (`Authorization: Bearer …`),
//!    except for the launch link itself, the static assets and the OpenAPI document;
//! 4. a browser's requests that change anything carry its CSRF token (a form field, or the
//!    `X-CSRF-Token` header for the API);
//!
//! and every response carries a strict `Content-Security-Policy` (no inline script, nothing from
//! elsewhere), `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//! same-origin` and, but for assets, `Cache-Control: no-store`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{App, Session, WebError, lock};

/// The session cookie's name, for the app on `port`: cookies are kept per host, not per port,
/// so two apps open at once (two vaults) each keep their own.
pub fn cookie_name(port: u16) -> String {
    format!("musette_session_{port}")
}
/// The language cookie's name.
pub const LANG_COOKIE: &str = "musette_lang";
/// The header carrying a browser's CSRF token on API calls.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who a request comes from, once [`guard`] let it through.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The browser session's id and CSRF token, for a request with the session cookie.
    pub session: Option<(String, String)>,
    /// Whether it holds the API token.
    pub bearer: bool,
}

impl Caller {
    /// The CSRF token forms of this browser carry.
    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |(_, c)| c.as_str())
    }

    /// Checks a form's CSRF token.
    pub fn check_csrf(&self, given: &str) -> Result<(), WebError> {
        match &self.session {
            Some((_, csrf)) if musette_core::crypto::ct_eq(csrf.as_bytes(), given.as_bytes()) => {
                Ok(())
            }
            _ => Err(WebError::forbidden(crate::error::CSRF_STALE)),
        }
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Starts a browser session: its cookie header value, and its id.
pub(crate) fn start_session(app: &App) -> (HeaderValue, String) {
    let id = crate::token();
    lock(&app.sessions).insert(
        id.clone(),
        Session {
            csrf: crate::token(),
        },
    );
    let value = format!(
        "{}={id}; HttpOnly; SameSite=Strict; Path=/",
        cookie_name(app.port())
    );
    (
        HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("")),
        id,
    )
}

/// A new session for this browser, in place of the one it came with: what unlocks the vault
/// gets a cookie and a CSRF token no one held while it was locked (a cookie taken then, by
/// another server on this host, opens nothing after).
pub(crate) fn renew_session(app: &App, caller: &Caller) -> HeaderValue {
    if let Some((old, _)) = &caller.session {
        lock(&app.sessions).remove(old);
    }
    start_session(app).0
}

fn is_ours(app: &App, host: &str) -> bool {
    let port = app.port();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// The checks above, then the handler, then the response headers.
pub async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let refuse = |e: WebError| -> Response {
        let mut r = if api {
            e.into_response()
        } else {
            crate::pages::error_page(&e, req_lang(req.headers())).into_response()
        };
        harden(r.headers_mut(), true);
        r
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !is_ours(&app, host) {
        return refuse(WebError::said(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            musette_core::msg!(
                crate::i18n::WEB,
                "error-wrong-host",
                port = app.port(),
                host = format!("{host:?}")
            ),
        ));
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let ours = origin
            .strip_prefix("http://")
            .is_some_and(|h| is_ours(&app, h));
        if !ours {
            return refuse(WebError::said(
                axum::http::StatusCode::FORBIDDEN,
                "forbidden",
                musette_core::msg!(
                    crate::i18n::WEB,
                    "error-foreign-origin",
                    origin = format!("{origin:?}")
                ),
            ));
        }
    }
    // The API token opens the API only: never the pages (a recovery key shown once, a backup).
    // The scheme's name is case-insensitive (RFC 9110).
    let given_token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let bearer = api
        && given_token
            .as_deref()
            .is_some_and(|t| musette_core::crypto::ct_eq(t.as_bytes(), app.api_token.as_bytes()));
    let session = cookie(req.headers(), &cookie_name(app.port())).and_then(|id| {
        lock(&app.sessions)
            .get(&id)
            .map(|s| (id.clone(), s.csrf.clone()))
    });
    let public = path == "/start"
        || path.starts_with("/assets/")
        || path == "/api/v1/openapi.json"
        || path == "/favicon.ico";
    if !public && !bearer && session.is_none() {
        let mut r = refuse(match (api, &given_token) {
            (true, Some(_)) => WebError::unauthorized(
                "wrong API token: send `Authorization: Bearer TOKEN` with the token this run of `musette ui --json` printed (each run has its own)",
            ),
            (true, None) => WebError::unauthorized(
                "no API token: send `Authorization: Bearer TOKEN` with the token `musette ui --json` printed",
            ),
            (false, _) => WebError::said(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                musette_core::msg!(crate::i18n::WEB, "error-open-with-link"),
            ),
        });
        if api {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"musette\""),
            );
        }
        return r;
    }
    // A browser's API calls that change something carry its CSRF token; its forms carry it in
    // their fields, checked by each handler.
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if api && unsafe_method && !bearer {
        let given = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let ok = session.as_ref().is_some_and(|(_, csrf)| {
            musette_core::crypto::ct_eq(csrf.as_bytes(), given.as_bytes())
        });
        if !ok {
            return refuse(WebError::forbidden(format!(
                "a browser's API call that changes something carries the page's CSRF token in the {CSRF_HEADER} header"
            )));
        }
    }
    // A page's own polling (an invitation's state) is not someone at the keyboard: it does
    // not keep the vault open.
    if (bearer || session.is_some()) && path != "/devices/invite/status" {
        app.touch();
    }
    req.extensions_mut().insert(Caller { session, bearer });
    let mut response = next.run(req).await;
    harden(response.headers_mut(), !path.starts_with("/assets/"));
    response
}

/// What a request's page says things in: [`req_lang`]'s language.
pub(crate) fn req_tr(headers: &HeaderMap) -> crate::i18n::Tr {
    crate::i18n::Tr {
        lang: req_lang(headers),
    }
}

/// The language a request asks for: its cookie, else `Accept-Language`.
pub fn req_lang(headers: &HeaderMap) -> crate::i18n::Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(|c| crate::i18n::Lang::parse(&c)) {
        return l;
    }
    crate::i18n::Lang::from_accept(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or(""),
    )
}

fn harden(headers: &mut HeaderMap, private: bool) {
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Not `no-referrer`: with it, browsers send `Origin: null` on this site's own forms.
    set(headers, header::REFERRER_POLICY, "same-origin");
    if private {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
}
