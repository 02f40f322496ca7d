//! The local API, `/api/v1`: JSON in and out, errors as `{"error","message"}` with the HTTP
//! status matching the command line's exit code. Programs authenticate with `Authorization:
//! Bearer TOKEN` (the token `musette ui --json` prints); the app's own pages may call it with
//! their cookie and CSRF token. The OpenAPI document, at `/api/v1/openapi.json`, is generated
//! from these handlers and types.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use musette_core::model::Kind;
use musette_core::{Edit, Filter, Unlock, Vault};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, OpenApi, ToSchema};
use zeroize::Zeroizing;

use crate::{App, WebError};

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/status", get(status))
        .route("/api/v1/unlock", post(unlock))
        .route("/api/v1/lock", post(lock_vault))
        .route("/api/v1/records", get(list_records).post(create_record))
        .route(
            "/api/v1/records/{id}",
            get(get_record).patch(edit_record).delete(remove_record),
        )
        .route("/api/v1/records/{id}/history", get(history))
        .route(
            "/api/v1/records/{id}/attachments/{name}",
            get(get_attachment)
                .put(put_attachment)
                .delete(delete_attachment)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/v1/due", get(due))
        .route(
            "/api/v1/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::transfer::MAX_IMPORT,
            )),
        )
        .route("/api/v1/export/json-resume", get(export_resume))
        .route("/api/v1/export/vcard", get(export_vcard))
}

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "musette local API",
        description = "The records of one musette vault, on the loopback address of the machine that holds it. Authenticate with `Authorization: Bearer TOKEN`, the token `musette ui --json` prints.",
        version = "1"
    ),
    paths(status, unlock, lock_vault, list_records, create_record, get_record, edit_record, remove_record, history, due, get_attachment, put_attachment, delete_attachment, import, export_resume, export_vcard, crate::api_share::issue, crate::api_share::present, crate::api_share::verify, crate::api_share::list_peers, crate::api_share::list_shares, crate::api_share::share_record, crate::api_share::unshare_record, crate::api_share::list_received, crate::devices::api_devices, crate::devices::api_sync),
    components(schemas(crate::devices::DeviceOut, crate::devices::SyncedOut, crate::api_share::IssueIn, crate::api_share::PresentIn, crate::api_share::PeersOut, crate::api_share::PeerOut, crate::api_share::GuildOut, crate::api_share::ShareOut, crate::api_share::ShareIn, crate::api_share::SharedOut, crate::api_share::UnsharedOut, crate::api_share::ReceivedOut, crate::transfer::ImportReport, ApiError, Status, Passphrase, SummaryOut, NewRecord, Created, RecordOut, AttachmentOut, EditIn, Changed, Removed, HistoryOut, DueOut)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A JSON body that must be an object: serde alone would also read a struct from an array
/// (by position), which no client means.
pub(crate) struct JsonObject<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S>
    for JsonObject<T>
{
    type Rejection = WebError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, WebError> {
        let Json(value) = Json::<Value>::from_request(req, state).await.map_err(|e| {
            let status = if e.status() == StatusCode::UNPROCESSABLE_ENTITY {
                StatusCode::BAD_REQUEST
            } else {
                e.status()
            };
            let code = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                "unsupported_media_type"
            } else {
                "invalid"
            };
            WebError::new(status, code, e.body_text())
        })?;
        if !value.is_object() {
            return Err(WebError::invalid(
                "the body must be a JSON object: see /api/v1/openapi.json",
            ));
        }
        serde_json::from_value(value)
            .map(JsonObject)
            .map_err(|e| WebError::invalid(format!("the body does not fit: {e}")))
    }
}

/// An error: what kind, and what is wrong and how to fix it.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// `invalid`, `unauthorized`, `forbidden`, `locked`, `wrong_passphrase`, `not_found`,
    /// `damaged`, `internal`.
    pub error: String,
    /// For people.
    pub message: String,
}

async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(text) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response(),
        Err(e) => WebError::internal(e.to_string()).into_response(),
    }
}

/// Whether the vault is open.
#[derive(Serialize, ToSchema)]
pub struct Status {
    /// The vault is unlocked.
    pub unlocked: bool,
}

#[utoipa::path(get, path = "/api/v1/status", responses(
    (status = 200, body = Status),
    (status = 401, body = ApiError),
))]
async fn status(State(app): State<Arc<App>>) -> Json<Status> {
    Json(Status {
        unlocked: app.unlocked(),
    })
}

/// A passphrase.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Passphrase {
    /// The vault's passphrase.
    pub passphrase: String,
}

#[utoipa::path(post, path = "/api/v1/unlock", request_body = Passphrase, responses(
    (status = 200, body = Status),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 409, description = "Another process is changing the vault's keys (rekey, device remove): try again once it ends", body = ApiError),
))]
async fn unlock(
    State(app): State<Arc<App>>,
    JsonObject(body): JsonObject<Passphrase>,
) -> Result<Json<Status>, WebError> {
    let passphrase = Zeroizing::new(body.passphrase);
    let dir = app.config.vault_dir.clone();
    let vault = app
        .guess(
            tokio::task::spawn_blocking(move || {
                Vault::open(&dir, Unlock::Passphrase(passphrase.as_bytes()))
            }),
            |r| matches!(r, Ok(Err(musette_core::Error::WrongPassphrase))),
        )
        .await
        .map_err(|e| WebError::internal(e.to_string()))??;
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || app2.set_vault(vault))
        .await
        .map_err(|e| WebError::internal(e.to_string()))??;
    crate::devices::serve_soon(&app);
    Ok(Json(Status { unlocked: true }))
}

#[utoipa::path(post, path = "/api/v1/lock", responses(
    (status = 200, body = Status),
    (status = 401, body = ApiError),
))]
async fn lock_vault(State(app): State<Arc<App>>) -> Json<Status> {
    app.lock_vault();
    Json(Status { unlocked: false })
}

/// A record named in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RecordPath {
    /// A record id, or a unique prefix of at least 6 characters (letters and digits 2 to 7).
    #[param(pattern = "^[a-zA-Z2-7]{6,26}$")]
    pub id: String,
}

/// Which records to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only records whose title, fields or tags contain every word of this text (any case,
    /// any accents, any order).
    pub q: Option<String>,
    /// Only this kind: contact, experience, skill, badge, evidence, recommendation, document.
    #[param(pattern = "^(contact|experience|skill|badge|evidence|recommendation|document)?$")]
    pub kind: Option<String>,
    /// Only records carrying these tags, separated by commas (any case, any accents).
    pub tag: Option<String>,
    /// Include records removed (reversibly).
    pub deleted: Option<bool>,
}

/// A record in a list.
#[derive(Serialize, ToSchema)]
pub struct SummaryOut {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its date, as a listing shows it (an experience's start – end, …).
    pub date: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// When it last changed (RFC 3339).
    pub updated: String,
    /// Whether it was removed (reversibly).
    pub deleted: bool,
}

fn kind_of(s: &str) -> Result<Kind, WebError> {
    s.parse::<Kind>().map_err(WebError::from)
}

#[utoipa::path(get, path = "/api/v1/records", params(ListQuery), responses(
    (status = 200, body = [SummaryOut]),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn list_records(
    State(app): State<Arc<App>>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<SummaryOut>>, WebError> {
    let filter = Filter {
        kind: q
            .kind
            .as_deref()
            .filter(|k| !k.is_empty())
            .map(kind_of)
            .transpose()?,
        search: q.q.filter(|s| !s.trim().is_empty()),
        tags: q
            .tag
            .as_deref()
            .map(crate::pages::tag_list)
            .unwrap_or_default(),
        include_deleted: q.deleted.unwrap_or(false),
    };
    let list = app
        .with_vault(move |v| v.list(&filter).map(|(l, _)| l))
        .await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SummaryOut {
                id: s.id,
                kind: s.kind.as_str().into(),
                title: s.title,
                date: s.date,
                tags: s.tags,
                updated: s.updated,
                deleted: s.deleted,
            })
            .collect(),
    ))
}

/// A record to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecord {
    /// Its kind.
    #[schema(pattern = "^(contact|experience|skill|badge|evidence|recommendation|document)$")]
    pub kind: String,
    /// Its fields (the kind's required one at least: a contact's name, an experience's title…).
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A record created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    /// Its id.
    pub id: String,
    /// Fields its kind does not know (kept, but maybe typos).
    pub extra_fields: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/records", request_body = NewRecord, responses(
    (status = 201, body = Created),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn create_record(
    State(app): State<Arc<App>>,
    JsonObject(body): JsonObject<NewRecord>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let kind = kind_of(&body.kind)?;
    let added = app
        .with_vault(move |v| v.add(kind, body.fields, &body.tags))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: added.id,
            extra_fields: added.extra_fields,
        }),
    ))
}

/// An attachment.
#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    /// Its file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// A record.
#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its fields.
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
    /// Its tags.
    pub tags: Vec<String>,
    /// When it was created (RFC 3339).
    pub created: String,
    /// When it last changed (RFC 3339).
    pub updated: String,
    /// Whether it was removed (reversibly).
    pub deleted: bool,
    /// Its attachments.
    pub attachments: Vec<AttachmentOut>,
}

#[utoipa::path(get, path = "/api/v1/records/{id}", params(crate::api::RecordPath), responses(
    (status = 200, body = RecordOut),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn get_record(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<RecordOut>, WebError> {
    let r = app.with_vault(move |v| v.show(&id)).await?;
    Ok(Json(RecordOut {
        kind: r.state.kind.as_str().into(),
        title: r.title,
        fields: r.state.fields,
        tags: r.state.tags,
        created: r.state.created,
        updated: r.state.updated,
        deleted: r.state.deleted,
        attachments: r
            .state
            .attachments
            .into_iter()
            .map(|a| AttachmentOut {
                name: a.name,
                size: a.size,
                sha256: a.sha256,
            })
            .collect(),
        id: r.id,
    }))
}

/// Changes to a record.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EditIn {
    /// Fields to set.
    #[schema(value_type = Object)]
    pub set: Map<String, Value>,
    /// Fields to remove.
    pub unset: Vec<String>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
}

/// Whether a change changed anything.
#[derive(Serialize, ToSchema)]
pub struct Changed {
    /// The record's id.
    pub id: String,
    /// Whether anything changed.
    pub changed: bool,
}

#[utoipa::path(patch, path = "/api/v1/records/{id}", params(crate::api::RecordPath), request_body = EditIn, responses(
    (status = 200, body = Changed),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn edit_record(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject<EditIn>,
) -> Result<Json<Changed>, WebError> {
    let (id, changed) = app
        .with_vault(move |v| {
            let id = v.resolve(&id)?;
            let edit = Edit {
                set: body.set,
                unset: body.unset,
                add_tags: body.add_tags,
                remove_tags: body.remove_tags,
            };
            let changed = v.edit(&id, &edit)?;
            Ok((id, changed))
        })
        .await?;
    Ok(Json(Changed { id, changed }))
}

/// How to remove.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RemoveQuery {
    /// Forget for good (the record's key and content destroyed) instead of removing reversibly.
    pub forget: Option<bool>,
    /// Restore a record removed reversibly.
    pub undo: Option<bool>,
}

/// A record removed.
#[derive(Serialize, ToSchema)]
pub struct Removed {
    /// Its id.
    pub id: String,
    /// `removed`, `restored`, `forgotten`, or `unchanged`.
    pub outcome: String,
}

#[utoipa::path(delete, path = "/api/v1/records/{id}", params(crate::api::RecordPath, RemoveQuery), responses(
    (status = 200, body = Removed),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn remove_record(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(q): Query<RemoveQuery>,
) -> Result<Json<Removed>, WebError> {
    let forget = q.forget.unwrap_or(false);
    let undo = q.undo.unwrap_or(false);
    if forget && undo {
        return Err(WebError::invalid(
            "forget and undo exclude each other: give one",
        ));
    }
    let out = app
        .with_vault(move |v| {
            if forget {
                let id = v.forget(&id)?;
                return Ok(Removed {
                    id,
                    outcome: "forgotten".into(),
                });
            }
            let id = v.resolve(&id)?;
            let changed = v.remove(&id, undo)?;
            let outcome = match (changed, undo) {
                (false, _) => "unchanged",
                (true, false) => "removed",
                (true, true) => "restored",
            };
            Ok(Removed {
                id,
                outcome: outcome.into(),
            })
        })
        .await?;
    Ok(Json(out))
}

/// A change in a record's history.
#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    /// When (RFC 3339).
    pub time: String,
    /// The device that made it.
    pub device: String,
    /// Whether it is this device.
    pub this_device: bool,
    /// What was done (`add`, `edit`, `rm`, `import`, …).
    pub action: String,
    /// The fields it touched.
    pub fields: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/records/{id}/history", params(crate::api::RecordPath), responses(
    (status = 200, body = [HistoryOut]),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn history(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryOut>>, WebError> {
    let h = app.with_vault(move |v| v.history(&id)).await?;
    Ok(Json(
        h.into_iter()
            .map(|e| HistoryOut {
                time: e.time,
                device: e.device,
                this_device: e.this_device,
                action: e.action,
                fields: e.fields,
            })
            .collect(),
    ))
}

/// How far ahead to look.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DueQuery {
    /// Days ahead (0 to 3650; 30 when not given).
    pub days: Option<u32>,
}

/// Something to do.
#[derive(Serialize, ToSchema)]
pub struct DueOut {
    /// The record (or co-signing request).
    pub id: String,
    /// `document`, `badge` or `cosign`.
    pub kind: String,
    /// What it is.
    pub title: String,
    /// `due`, `expires` or `waiting`.
    pub what: String,
    /// The date (YYYY-MM-DD), when there is one.
    pub date: Option<String>,
    /// Days from today (negative: past).
    pub days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/due", params(DueQuery), responses(
    (status = 200, body = [DueOut]),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn due(
    State(app): State<Arc<App>>,
    Query(q): Query<DueQuery>,
) -> Result<Json<Vec<DueOut>>, WebError> {
    let days = q.days.unwrap_or(30);
    if days > 3650 {
        return Err(WebError::invalid("days goes from 0 to 3650"));
    }
    let today = time::OffsetDateTime::now_utc().date();
    let items = app
        .with_vault(move |v| musette_sync::due::due(v, today, days))
        .await?;
    Ok(Json(
        items
            .into_iter()
            .map(|d| DueOut {
                id: d.id,
                kind: d.kind.into(),
                title: d.title,
                what: d.what.into(),
                date: d.date,
                days: d.days,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/records/{id}/attachments/{name}", params(
    crate::api::RecordPath,
    ("name" = String, Path, description = "The attachment's file name"),
), responses(
    (status = 200, description = "The file, as attached", content_type = "application/octet-stream", body = Vec<u8>),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn get_attachment(
    State(app): State<Arc<App>>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (body, name, size) = crate::stream::download(&app, id, name).await?;
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(axum::http::header::CONTENT_LENGTH, size.into());
    if let Ok(v) = axum::http::HeaderValue::from_str(&crate::pages::content_disposition(&name)) {
        h.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[utoipa::path(put, path = "/api/v1/records/{id}/attachments/{name}", params(
    crate::api::RecordPath,
    ("name" = String, Path, description = "The attachment's file name"),
), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, streamed"), responses(
    (status = 201, body = AttachmentOut),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 413, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn put_attachment(
    State(app): State<Arc<App>>,
    Path((id, name)): Path<(String, String)>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<AttachmentOut>), WebError> {
    let limit = app.config.max_upload;
    let info = crate::stream::upload(&app, id, name, body, limit).await?;
    Ok((
        StatusCode::CREATED,
        Json(AttachmentOut {
            name: info.name,
            size: info.size,
            sha256: info.sha256,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/records/{id}/attachments/{name}", params(
    crate::api::RecordPath,
    ("name" = String, Path, description = "The attachment's file name"),
), responses(
    (status = 200, body = AttachmentOut),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 404, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn delete_attachment(
    State(app): State<Arc<App>>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<AttachmentOut>, WebError> {
    let info = app.with_vault(move |v| v.detach(&id, &name)).await?;
    Ok(Json(AttachmentOut {
        name: info.name,
        size: info.size,
        sha256: info.sha256,
    }))
}

/// How to import.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// json-resume, linkedin, vcard or badge; guessed from the content when not given.
    #[param(pattern = "^(json-resume|linkedin|vcard|badge)?$")]
    pub format: Option<String>,
    /// Say what would change, and write nothing.
    pub dry_run: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/import", params(ImportQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file: a JSON Resume, a LinkedIn export ZIP, vCards, or an Open Badge (JSON, PNG, SVG)"), responses(
    (status = 200, body = crate::transfer::ImportReport),
    (status = 400, body = ApiError),
    (status = 401, body = ApiError),
    (status = 413, body = ApiError),
    (status = 422, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn import(
    State(app): State<Arc<App>>,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<crate::transfer::ImportReport>, WebError> {
    if body.is_empty() {
        return Err(WebError::invalid(
            "send the file to import as the request body",
        ));
    }
    Ok(Json(
        crate::transfer::import(&app, body, q.format, q.dry_run.unwrap_or(false)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/export/json-resume", params(crate::transfer::ResumeQuery), responses(
    (status = 200, description = "A JSON Resume (schema v1.0.0)", body = Object),
    (status = 401, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn export_resume(
    State(app): State<Arc<App>>,
    Query(q): Query<crate::transfer::ResumeQuery>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(crate::transfer::resume(&app, q.tag).await?.0))
}

#[utoipa::path(get, path = "/api/v1/export/vcard", responses(
    (status = 200, description = "Every contact as vCard 4.0", content_type = "text/vcard", body = String),
    (status = 401, body = ApiError),
    (status = 423, body = ApiError),
))]
async fn export_vcard(State(app): State<Arc<App>>) -> Result<Response, WebError> {
    let text = crate::transfer::vcards(&app).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/vcard; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
