//! Co-signed recommendations: the requests your peers sent you (read what you would sign, then
//! sign it) and those you sent (waiting or answered). Answers leave at the next sync.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/cosign", get(page))
        .route("/cosign/sign", post(sign))
}

struct Request {
    id: String,
    who: String,
    when: String,
    state: String,
    text: String,
    pending: bool,
}

#[derive(Template)]
#[template(path = "cosign.html")]
struct CosignPage {
    c: Chrome,
    incoming: Vec<Request>,
    outgoing: Vec<Request>,
}

/// What a recommendation credential says, for people: its text (an Open Badges endorsement's
/// comment), else its name.
fn said(credential: &str) -> String {
    serde_json::from_str::<serde_json::Value>(credential)
        .ok()
        .and_then(|v| {
            let s = &v["credentialSubject"];
            s["endorsementComment"]
                .as_str()
                .or_else(|| v["name"].as_str())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    if !app.unlocked() {
        return Err(fail(&headers)(WebError::locked()));
    }
    let c = chrome(&app, &headers, &caller, "cosign-title", "/cosign");
    let tr = c.tr;
    let (incoming, outgoing, names) = app
        .with_vault(|v| {
            Ok((
                musette_sync::cosign::incoming_requests(v)?,
                musette_sync::cosign::outgoing_requests(v)?,
                musette_sync::share::peer_names(v)?,
            ))
        })
        .await
        .map_err(fail(&headers))?;
    let state = |s: &str| tr.t(&format!("cosign-state-{s}"));
    let incoming = incoming
        .into_iter()
        .map(|r| Request {
            pending: r.state == "pending",
            who: names
                .get(&r.from)
                .cloned()
                .unwrap_or_else(|| r.from.clone()),
            when: tr.moment(&musette_sync::share::rfc3339(r.received)),
            state: state(&r.state),
            text: said(&r.credential),
            id: r.id,
        })
        .collect();
    let outgoing = outgoing
        .into_iter()
        .map(|r| Request {
            pending: false,
            who: names.get(&r.to).cloned().unwrap_or_else(|| r.to.clone()),
            when: tr.moment(&musette_sync::share::rfc3339(r.created)),
            state: state(&r.state),
            text: said(&r.credential),
            id: r.id,
        })
        .collect();
    Ok(render(&CosignPage {
        c,
        incoming,
        outgoing,
    }))
}

#[derive(Deserialize)]
struct SignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

async fn sign(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<SignForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let id = form.id;
    app.with_vault_in(tr, move |v| musette_sync::cosign::sign(v, &id).map(|_| ()))
        .await
        .map_err(fail(&headers))?;
    Ok(Redirect::to("/cosign").into_response())
}
