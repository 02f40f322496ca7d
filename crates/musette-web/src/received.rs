//! What others gave you: items your peers share with you (their fields, whether the sender's
//! signature holds, whether they took it back) and credentials or presentations kept from files.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;

use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new().route("/received", get(page)).route(
        "/received/keep",
        axum::routing::post(keep).layer(axum::extract::DefaultBodyLimit::max(12 << 20)),
    )
}

#[derive(serde::Deserialize)]
struct KeepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    document: String,
}

/// Keeps a credential or presentation just verified, as received: checked again here, kept
/// whatever it is (a forgery kept is a forgery one can show), with what checking it said.
async fn keep(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    axum::extract::Form(form): axum::extract::Form<KeepForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let text = form.document;
    app.with_vault(move |v| {
        let names = v.contact_names().unwrap_or_default();
        let outcome = match musette_formats::received::read(text.as_bytes()) {
            Ok(musette_formats::received::Input::Document(doc)) => {
                musette_core::credential::verify_document(&doc, &names)?.outcome
            }
            Ok(musette_formats::received::Input::Jwt(token)) => {
                musette_core::credential::verify_jwt(
                    &token,
                    &names,
                    time::OffsetDateTime::now_utc(),
                )?
                .outcome
            }
            _ => {
                return Err(musette_core::Error::Invalid(musette_core::msg!(
                    crate::i18n::WEB,
                    "error-keep-only-vc"
                )));
            }
        };
        let outcome = serde_json::to_value(outcome)
            .ok()
            .and_then(|o| o.as_str().map(str::to_string))
            .unwrap_or_default();
        v.keep_received(&text, &outcome)
    })
    .await
    .map_err(fail(&headers))?;
    Ok(axum::response::IntoResponse::into_response(
        axum::response::Redirect::to("/received"),
    ))
}

struct Item {
    title: String,
    kind: String,
    from: String,
    when: String,
    fields: Vec<(String, String)>,
    /// `ok`, `bad`, `unknown`: how far it can be trusted.
    tone: &'static str,
    state: String,
}

#[derive(Template)]
#[template(path = "received.html")]
struct ReceivedPage {
    c: Chrome,
    shared: Vec<Item>,
    kept: Vec<Item>,
}

async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    if !app.unlocked() {
        return Err(fail(&headers)(WebError::locked()));
    }
    let c = chrome(&app, &headers, &caller, "received-title", "/received");
    let tr = c.tr;
    let (views, kept, contacts) = app
        .with_vault(|v| {
            let names = musette_sync::share::peer_names(v)?;
            let views: Vec<musette_sync::share::View> = musette_sync::share::received(v)?
                .iter()
                .map(|r| r.view(&names))
                .collect();
            Ok((
                views,
                v.kept_received()?,
                v.contact_names().unwrap_or_default(),
            ))
        })
        .await
        .map_err(fail(&headers))?;
    let shared = views
        .into_iter()
        .map(|v| {
            let (tone, state) = match (v.revoked, v.verified) {
                (true, _) => ("bad", tr.t("received-revoked")),
                (false, true) => ("ok", tr.t("received-signed")),
                (false, false) => ("bad", tr.t("received-unsigned")),
            };
            Item {
                title: v.title,
                kind: tr.t(&format!("kind-{}", v.kind)),
                from: v.from,
                when: tr.moment(&v.received),
                fields: v
                    .fields
                    .iter()
                    .map(|(k, val)| (tr.field(k), crate::pages::shown(val)))
                    .collect(),
                tone,
                state,
            }
        })
        .collect();
    let kept = kept
        .into_iter()
        .map(|k| {
            let from = k
                .from
                .as_ref()
                .and_then(|d| contacts.get(d))
                .cloned()
                .or(k.from_name.clone())
                .or(k.from.clone())
                .unwrap_or_default();
            let (tone, state) = match k.outcome.as_str() {
                "verified" => ("ok", tr.t("verify-verified")),
                "failed" => ("bad", tr.t("verify-failed")),
                "not_valid_now" => ("unknown", tr.t("verify-not-now")),
                _ => ("unknown", tr.t("verify-unchecked")),
            };
            Item {
                title: k.title.clone().unwrap_or_default(),
                kind: tr.t(&format!("verify-kind-{}", k.kind)),
                from,
                when: tr.moment(&k.kept),
                fields: Vec::new(),
                tone,
                state,
            }
        })
        .collect();
    Ok(render(&ReceivedPage { c, shared, kept }))
}
