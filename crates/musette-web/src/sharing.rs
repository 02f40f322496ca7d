//! Sharing a record with a peer or a guild, field by field: the dialog ticks fields, shows
//! exactly what the recipient will see, and shares; the next sync (`musette sync`, or a device
//! running `musette serve`) carries it. Shares are listed, and can be taken back.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use musette_core::model::FieldType;
use musette_sync::share::Target;

use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new().route("/records/{id}/share", get(dialog).post(submit))
}

struct Choice {
    /// `peer:<did>` or `guild:<name>`.
    value: String,
    label: String,
    selected: bool,
}

struct FieldRow {
    name: String,
    label: String,
    value: String,
    ticked: bool,
}

#[derive(Template)]
#[template(path = "share.html")]
struct SharePage {
    c: Chrome,
    id: String,
    title: String,
    targets: Vec<Choice>,
    fields: Vec<FieldRow>,
    /// What the recipient will see, when asked for.
    preview: Option<Vec<(String, String)>>,
    /// Who has it already, and which fields.
    current: Vec<(String, String)>,
    error: Option<String>,
    done: Option<String>,
}

fn parse_target(value: &str) -> Option<Target> {
    if let Some(did) = value.strip_prefix("peer:") {
        return Some(Target::Peer(did.to_string()));
    }
    value
        .strip_prefix("guild:")
        .map(|g| Target::Guild(g.to_string()))
}

/// Builds the dialog for record `id` with `ticked` fields (all when `None`) and `target`.
async fn build(
    app: &Arc<App>,
    headers: &HeaderMap,
    caller: &Caller,
    id: String,
    ticked: Option<Vec<String>>,
    target: Option<String>,
) -> Result<SharePage, WebError> {
    let (record, peers, guilds, shares) = app
        .with_vault(move |v| {
            let r = v.show(&id)?;
            Ok((
                r,
                musette_sync::peers::peers(v)?,
                musette_sync::peers::guilds(v)?,
                musette_sync::share::shares(v)?,
            ))
        })
        .await?;
    let c = chrome(
        app,
        headers,
        caller,
        "share-title",
        &format!("/records/{}/share", record.id),
    );
    let tr = c.tr;
    let kind = record.state.kind;
    let mut targets: Vec<Choice> = peers
        .iter()
        .map(|p| Choice {
            value: format!("peer:{}", p.did),
            label: p.name.clone(),
            selected: target.as_deref() == Some(format!("peer:{}", p.did).as_str()),
        })
        .collect();
    targets.extend(guilds.iter().map(|g| Choice {
        value: format!("guild:{}", g.name),
        label: format!(
            "{} ({})",
            g.name,
            tr.n("share-guild-members", g.members.len())
        ),
        selected: target.as_deref() == Some(format!("guild:{}", g.name).as_str()),
    }));
    let mut names: Vec<String> = kind
        .fields()
        .iter()
        .map(|f| f.name.to_string())
        .filter(|n| record.state.fields.contains_key(n))
        .collect();
    names.extend(
        record
            .state
            .fields
            .keys()
            .filter(|k| kind.field(k).is_none() && k.as_str() != musette_core::batch::SOURCE)
            .cloned(),
    );
    let fields = names
        .iter()
        .filter(|n| kind.field(n).is_none_or(|s| s.ty != FieldType::RecordRef))
        .filter_map(|n| {
            let v = record.state.fields.get(n)?;
            Some(FieldRow {
                name: n.clone(),
                label: tr.field(n),
                value: crate::pages::shown_field(tr, kind, n, v)
                    .chars()
                    .take(200)
                    .collect(),
                ticked: ticked.as_ref().is_none_or(|t| t.contains(n)),
            })
        })
        .collect();
    let name_of = |t: &Target| match t {
        Target::Peer(did) => peers
            .iter()
            .find(|p| &p.did == did)
            .map_or_else(|| did.clone(), |p| p.name.clone()),
        Target::Guild(g) => g.clone(),
    };
    let current = shares
        .iter()
        .filter(|s| s.record == record.id && !s.revoked)
        .map(|s| {
            (
                name_of(&s.target),
                s.fields
                    .iter()
                    .map(|f| tr.field(f))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    Ok(SharePage {
        c,
        id: record.id.clone(),
        title: record.title.clone(),
        targets,
        fields,
        preview: None,
        current,
        error: None,
        done: None,
    })
}

#[derive(serde::Deserialize)]
struct DialogQuery {
    shared: Option<String>,
}

async fn dialog(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<DialogQuery>,
) -> PageResult {
    let mut page = build(&app, &headers, &caller, id, None, None)
        .await
        .map_err(fail(&headers))?;
    if q.shared.is_some() {
        page.done = Some(page.c.tr.t("share-done"));
    }
    Ok(render(&page))
}

/// Previews (`action=preview`) or shares (`action=share`) the ticked fields with the target.
async fn submit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    caller
        .check_csrf(&get("csrf").unwrap_or_default())
        .map_err(fail(&headers))?;
    let ticked: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "field")
        .map(|(_, v)| v.clone())
        .collect();
    let ticked = if ticked.is_empty() {
        ticked
    } else {
        crate::api_share::field_list(Some(ticked))
            .map_err(fail(&headers))?
            .unwrap_or_default()
    };
    let target = get("to");
    let tr = crate::security::req_tr(&headers);
    let mut page = build(
        &app,
        &headers,
        &caller,
        id.clone(),
        Some(ticked.clone()),
        target.clone(),
    )
    .await
    .map_err(fail(&headers))?;
    let refuse = |mut page: SharePage, message: String| {
        page.error = Some(message);
        let mut r = render(&page);
        *r.status_mut() = StatusCode::BAD_REQUEST;
        Ok(r)
    };
    if ticked.is_empty() {
        return refuse(page, tr.t("issue-no-field"));
    }
    let Some(target) = target.as_deref().and_then(parse_target) else {
        return refuse(page, tr.t("share-no-target"));
    };
    // What the recipient will see: the ticked fields, as shown here, and nothing else.
    page.preview = Some(
        page.fields
            .iter()
            .filter(|f| ticked.contains(&f.name))
            .map(|f| (f.label.clone(), f.value.clone()))
            .collect(),
    );
    if get("action").as_deref() != Some("share") {
        return Ok(render(&page));
    }
    let rid = page.id.clone();
    let shared = app
        .with_vault(move |v| musette_sync::share::share(v, &rid, &target, Some(&ticked)))
        .await;
    match shared {
        Ok(_) => Ok(Redirect::to(&format!("/records/{}/share?shared=1", page.id)).into_response()),
        Err(e) if e.code == "invalid" => refuse(page, e.message),
        Err(e) => Err(fail(&headers)(e)),
    }
}
