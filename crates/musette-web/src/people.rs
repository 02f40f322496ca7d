//! The people you share with: peers (added from the ticket they give you) and guilds (named
//! groups of them). All of it is kept in the vault; syncing with them is `musette sync`'s.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/people", get(page))
        .route("/people/peer", post(add_peer))
        .route("/people/guild", post(guild))
}

struct PeerRow {
    name: String,
    did: String,
    last_sync: String,
}

struct GuildRow {
    name: String,
    members: Vec<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    c: Chrome,
    peers: Vec<PeerRow>,
    guilds: Vec<GuildRow>,
    error: Option<String>,
}

async fn build(
    app: &Arc<App>,
    headers: &HeaderMap,
    caller: &Caller,
    error: Option<String>,
) -> Result<PeoplePage, WebError> {
    let (peers, guilds) = app
        .with_vault(|v| {
            Ok((
                musette_sync::peers::peers(v)?,
                musette_sync::peers::guilds(v)?,
            ))
        })
        .await?;
    let c = chrome(app, headers, caller, "people-title", "/people");
    let tr = c.tr;
    let name_of = |did: &str| {
        peers
            .iter()
            .find(|p| p.did == did)
            .map_or_else(|| did.to_string(), |p| p.name.clone())
    };
    Ok(PeoplePage {
        guilds: guilds
            .iter()
            .map(|g| GuildRow {
                name: g.name.clone(),
                members: g.members.iter().map(|d| name_of(d)).collect(),
            })
            .collect(),
        peers: peers
            .iter()
            .map(|p| PeerRow {
                name: p.name.clone(),
                did: p.did.clone(),
                last_sync: p.last_sync.map_or_else(
                    || tr.t("people-never"),
                    |t| tr.moment(&musette_sync::share::rfc3339(t)),
                ),
            })
            .collect(),
        c,
        error,
    })
}

async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    let page = build(&app, &headers, &caller, None)
        .await
        .map_err(fail(&headers))?;
    Ok(render(&page))
}

/// The page again with what went wrong, or back to it when all went well.
async fn done(
    app: &Arc<App>,
    headers: &HeaderMap,
    caller: &Caller,
    result: Result<(), WebError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to("/people").into_response()),
        Err(e) if e.code == "invalid" || e.code == "not_found" => {
            let page = build(app, headers, caller, Some(e.message))
                .await
                .map_err(fail(headers))?;
            let mut r = render(&page);
            *r.status_mut() = StatusCode::BAD_REQUEST;
            Ok(r)
        }
        Err(e) => Err(fail(headers)(e)),
    }
}

#[derive(Deserialize)]
struct PeerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ticket: String,
}

async fn add_peer(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PeerForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let result = match musette_sync::node::Ticket::decode(form.ticket.trim()) {
        Err(_) => Err(WebError::invalid(tr.t("people-bad-ticket"))),
        Ok(ticket) => {
            let name = form.name.trim().to_string();
            app.with_vault_in(tr, move |v| {
                musette_sync::peers::add_peer(v, &name, &ticket).map(|_| ())
            })
            .await
        }
    };
    done(&app, &headers, &caller, result).await
}

#[derive(Deserialize)]
struct GuildForm {
    #[serde(default)]
    csrf: String,
    /// `create`, `delete`, `add` or `remove`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    guild: String,
    #[serde(default)]
    peer: String,
}

async fn guild(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<GuildForm>,
) -> PageResult {
    caller.check_csrf(&form.csrf).map_err(fail(&headers))?;
    let tr = crate::security::req_tr(&headers);
    let (action, guild, peer) = (form.action, form.guild.trim().to_string(), form.peer);
    let result = app
        .with_vault_in(tr, move |v| match action.as_str() {
            "create" => musette_sync::peers::create_guild(v, &guild),
            "delete" => musette_sync::peers::delete_guild(v, &guild),
            "add" => musette_sync::peers::guild_member(v, &guild, &peer, true).map(|_| ()),
            "remove" => musette_sync::peers::guild_member(v, &guild, &peer, false).map(|_| ()),
            other => Err(musette_core::Error::Invalid(musette_core::msg!(
                crate::i18n::WEB,
                "error-unknown-action",
                action = format!("{other:?}")
            ))),
        })
        .await;
    done(&app, &headers, &caller, result).await
}
