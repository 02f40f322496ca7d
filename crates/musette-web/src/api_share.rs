//! The local API's credentials and sharing: a record issued as a signed credential with the
//! fields chosen, several presented together, a file verified (the employer's view), and the
//! peers, guilds, shares and received items of peer sharing. The same library calls as the
//! pages and the command line.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use musette_core::proof::SigningSuite;
use musette_sync::peers::{self, Event};
use musette_sync::share::{self, Target};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use crate::credentials::{MAX_VERIFY, Unverified};
use crate::{App, WebError};

/// The most records one presentation holds.
const MAX_PRESENTED: usize = 200;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/records/{id}/credential", post(issue))
        .route("/api/v1/present", post(present))
        .route(
            "/api/v1/verify",
            post(verify).layer(axum::extract::DefaultBodyLimit::max(MAX_VERIFY)),
        )
        .route("/api/v1/peers", get(list_peers))
        .route("/api/v1/shares", get(list_shares))
        .route(
            "/api/v1/records/{id}/share",
            post(share_record).delete(unshare_record),
        )
        .route("/api/v1/received", get(list_received))
}

/// Whom a credential is for (noted in the audit log), and how it is signed.
fn suite_of(name: Option<&str>) -> Result<SigningSuite, WebError> {
    match name {
        None => Ok(SigningSuite::default()),
        Some(n) => SigningSuite::from_name(n).ok_or_else(|| {
            WebError::invalid(format!(
                "unknown suite {n:?}: the suite is eddsa-rdfc-2022 (the default) or eddsa-jcs-2022"
            ))
        }),
    }
}

/// A recipient's name as the audit log keeps it (blanks around it aside; none when empty):
/// refused when longer than 200 characters or holding a control or invisible character (a
/// text-direction override would make the log read otherwise than it says).
pub(crate) fn recipient(to: Option<&str>) -> Result<Option<String>, WebError> {
    let Some(t) = to.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > 200
        || t.chars()
            .any(|c| c.is_control() || musette_core::is_invisible(c))
    {
        return Err(WebError::invalid_said(musette_core::msg!(
            crate::i18n::WEB,
            "error-recipient"
        )));
    }
    Ok(Some(t.to_string()))
}

/// The most fields one request names.
const MAX_FIELDS: usize = 256;

/// Fields named by a request: each once, in the order given; refused when there are none,
/// too many, or a name is empty or longer than a field's name can be.
pub(crate) fn field_list(fields: Option<Vec<String>>) -> Result<Option<Vec<String>>, WebError> {
    let Some(list) = fields else {
        return Ok(None);
    };
    if list.len() > MAX_FIELDS {
        return Err(WebError::invalid(format!(
            "fields names {} fields: at most {MAX_FIELDS}",
            list.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in list {
        let f = f.trim().to_string();
        if f.is_empty() || f.len() > 128 {
            return Err(WebError::invalid(
                "a field's name is empty or longer than 128 bytes",
            ));
        }
        if seen.insert(f.clone()) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err(WebError::invalid(
            "fields names no field: name at least one, or leave it out for every field",
        ));
    }
    Ok(Some(out))
}

/// A credential to issue from a record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueIn {
    /// The fields it carries (every field of the record when absent).
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// `eddsa-rdfc-2022` (the default) or `eddsa-jcs-2022`.
    #[serde(default)]
    #[schema(pattern = "^(eddsa-rdfc-2022|eddsa-jcs-2022)$")]
    pub suite: Option<String>,
    /// Whom it is given to, for the audit log.
    #[serde(default)]
    pub to: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/records/{id}/credential",
    params(crate::api::RecordPath),
    request_body = IssueIn,
    responses(
        (status = 200, description = "The verifiable credential, signed by the vault's owner", body = Object),
        (status = 400, body = crate::api::ApiError),
        (status = 401, body = crate::api::ApiError),
        (status = 404, body = crate::api::ApiError),
        (status = 423, body = crate::api::ApiError),
    ))]
async fn issue(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    crate::api::JsonObject(body): crate::api::JsonObject<IssueIn>,
) -> Result<Json<Value>, WebError> {
    let suite = suite_of(body.suite.as_deref())?;
    let to = recipient(body.to.as_deref())?;
    let chosen = field_list(body.fields)?;
    let doc = app
        .with_vault(move |v| {
            let doc = v.issue_credential_with(&id, chosen.as_deref(), suite)?;
            let rid = v.resolve(&id)?;
            peers::audit_all(
                v,
                vec![Event {
                    event: "given-credential".into(),
                    peer: to,
                    record: Some(rid),
                    fields: chosen.unwrap_or_default(),
                    ..Default::default()
                }],
            )?;
            Ok(doc)
        })
        .await?;
    Ok(Json(doc))
}

/// Records to present together.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentIn {
    /// The records (ids or unique prefixes), at most 200.
    pub records: Vec<String>,
    /// The fields each credential carries (every field when absent).
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// The verifier's challenge, signed into the presentation.
    #[serde(default)]
    pub challenge: Option<String>,
    /// The verifier's domain, signed into the presentation.
    #[serde(default)]
    pub domain: Option<String>,
    /// `eddsa-rdfc-2022` (the default) or `eddsa-jcs-2022`.
    #[serde(default)]
    #[schema(pattern = "^(eddsa-rdfc-2022|eddsa-jcs-2022)$")]
    pub suite: Option<String>,
    /// Whom it is given to, for the audit log.
    #[serde(default)]
    pub to: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/present", request_body = PresentIn, responses(
    (status = 200, description = "The verifiable presentation, signed by the vault's owner", body = Object),
    (status = 400, body = crate::api::ApiError),
    (status = 401, body = crate::api::ApiError),
    (status = 404, body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
))]
async fn present(
    State(app): State<Arc<App>>,
    crate::api::JsonObject(body): crate::api::JsonObject<PresentIn>,
) -> Result<Json<Value>, WebError> {
    if body.records.is_empty() {
        return Err(WebError::invalid(
            "records names no record: name at least one",
        ));
    }
    if body.records.len() > MAX_PRESENTED {
        return Err(WebError::invalid(format!(
            "a presentation holds at most {MAX_PRESENTED} records: present them in several"
        )));
    }
    let suite = suite_of(body.suite.as_deref())?;
    let to = recipient(body.to.as_deref())?;
    let fields = field_list(body.fields)?;
    let PresentIn {
        records,
        challenge,
        domain,
        ..
    } = body;
    let doc = app
        .with_vault(move |v| {
            let doc = v.present_for(
                &records,
                fields.as_deref(),
                challenge.as_deref(),
                domain.as_deref(),
                suite,
            )?;
            let events = records
                .iter()
                .map(|id| Event {
                    event: "given-presentation".into(),
                    peer: to.clone(),
                    record: v.resolve(id).ok(),
                    fields: fields.clone().unwrap_or_default(),
                    ..Default::default()
                })
                .collect();
            peers::audit_all(v, events)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(doc))
}

#[utoipa::path(post, path = "/api/v1/verify",
    request_body(content = String, description = "The file to verify, as sent (a credential or presentation in JSON, a VC-JWT, or a badge image), at most 8 MiB", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The verification: `outcome` is `verified`, `failed`, `cannot_be_checked` or `not_valid_now`, and `verified` is true only when every proof holds and it is valid now. Works with the vault locked; signers among your contacts are named when it is open.", body = Object),
        (status = 400, description = "Not a credential, a presentation, a JWT or a badge image", body = crate::api::ApiError),
        (status = 401, body = crate::api::ApiError),
        (status = 413, body = crate::api::ApiError),
        (status = 422, description = "A credential only its issuer's site can confirm (an Open Badges 2.0 badge)", body = crate::api::ApiError),
    ))]
async fn verify(State(app): State<Arc<App>>, body: Bytes) -> Result<Json<Value>, WebError> {
    if body.is_empty() {
        return Err(WebError::invalid(
            "the body is empty: send the credential file as the request's body",
        ));
    }
    let names: HashMap<String, String> = if app.unlocked() {
        app.with_vault(|v| v.contact_names())
            .await
            .unwrap_or_default()
    } else {
        HashMap::new()
    };
    let checked = tokio::task::spawn_blocking(move || crate::credentials::check(&body, &names))
        .await
        .map_err(|e| WebError::internal(e.to_string()))?;
    match checked {
        Ok(v) => serde_json::to_value(&v)
            .map(Json)
            .map_err(|e| WebError::internal(e.to_string())),
        Err(Unverified::NotACredential(m)) => Err(WebError::invalid_said(m)),
        Err(Unverified::CannotBeChecked(m)) => Err(WebError::said(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot_be_checked",
            m,
        )),
    }
}

/// A peer.
#[derive(Serialize, ToSchema)]
pub struct PeerOut {
    /// The name you gave it.
    pub name: String,
    /// Its owner's did:key.
    pub did: String,
    /// When it was added (RFC 3339).
    pub added: String,
    /// When this vault last synced with it (RFC 3339).
    pub last_sync: Option<String>,
}

/// A guild: a named group of peers.
#[derive(Serialize, ToSchema)]
pub struct GuildOut {
    /// Its name.
    pub name: String,
    /// Its members' names (their dids when they are not your peers any more).
    pub members: Vec<String>,
}

/// Your peers and guilds.
#[derive(Serialize, ToSchema)]
pub struct PeersOut {
    /// Your peers.
    pub peers: Vec<PeerOut>,
    /// Your guilds.
    pub guilds: Vec<GuildOut>,
}

#[utoipa::path(get, path = "/api/v1/peers", responses(
    (status = 200, body = PeersOut),
    (status = 401, body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
))]
async fn list_peers(State(app): State<Arc<App>>) -> Result<Json<PeersOut>, WebError> {
    let (peers, guilds) = app
        .with_vault(|v| Ok((peers::peers(v)?, peers::guilds(v)?)))
        .await?;
    let names: HashMap<&str, &str> = peers
        .iter()
        .map(|p| (p.did.as_str(), p.name.as_str()))
        .collect();
    let guilds = guilds
        .iter()
        .map(|g| GuildOut {
            name: g.name.clone(),
            members: g
                .members
                .iter()
                .map(|d| {
                    names
                        .get(d.as_str())
                        .map_or(d.clone(), |n| (*n).to_string())
                })
                .collect(),
        })
        .collect();
    Ok(Json(PeersOut {
        guilds,
        peers: peers
            .into_iter()
            .map(|p| PeerOut {
                added: share::rfc3339(p.added),
                last_sync: p.last_sync.map(share::rfc3339),
                name: p.name,
                did: p.did,
            })
            .collect(),
    }))
}

/// A record shared with a peer or a guild.
#[derive(Serialize, ToSchema)]
pub struct ShareOut {
    /// The share's id.
    pub id: String,
    /// The record.
    pub record: String,
    /// The peer's or guild's name (`guild NAME` for a guild).
    pub to: String,
    /// The fields shared.
    pub fields: Vec<String>,
    /// The record's kind.
    pub kind: String,
    /// When it was shared (RFC 3339).
    pub created: String,
    /// Its version: bumped by every change, and by revocation.
    pub version: u64,
    /// Whether it was revoked.
    pub revoked: bool,
    /// The peers who have its latest version.
    pub delivered_to: Vec<String>,
    /// The peers it reaches at the next sync: 0 once its peer is removed or its guild has no
    /// members.
    pub recipients: usize,
}

#[utoipa::path(get, path = "/api/v1/shares", responses(
    (status = 200, description = "What you shared, newest first", body = [ShareOut]),
    (status = 401, body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
))]
async fn list_shares(State(app): State<Arc<App>>) -> Result<Json<Vec<ShareOut>>, WebError> {
    let out = app
        .with_vault(|v| {
            let names = share::peer_names(v)?;
            let guilds = musette_sync::peers::guilds(v)?;
            let mut all: Vec<ShareOut> = share::shares(v)?
                .into_iter()
                .map(|s| ShareOut {
                    recipients: share::recipients(&s.target, &names, &guilds),
                    to: share::target_name(v, &s.target),
                    delivered_to: s
                        .sent
                        .iter()
                        .filter(|d| d.seq == s.seq)
                        .map(|d| names.get(&d.did).cloned().unwrap_or_else(|| d.did.clone()))
                        .collect(),
                    created: share::rfc3339(s.created),
                    id: s.id,
                    record: s.record,
                    fields: s.fields,
                    kind: s.kind,
                    version: s.seq,
                    revoked: s.revoked,
                })
                .collect();
            all.sort_by(|a, b| b.created.cmp(&a.created));
            Ok(all)
        })
        .await?;
    Ok(Json(out))
}

/// A record to share.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    /// A peer's or a guild's name.
    pub to: String,
    /// The fields shared (every current field when absent).
    #[serde(default)]
    pub fields: Option<Vec<String>>,
}

/// A record shared: delivered at the next sync with each recipient.
#[derive(Serialize, ToSchema)]
pub struct SharedOut {
    /// The record.
    pub record: String,
    /// The share's id.
    pub share: String,
    /// The fields shared.
    pub fields: Vec<String>,
    /// Whether it was already shared with them (its fields were changed).
    pub updated: bool,
}

fn target_of(v: &musette_core::Vault, name: &str) -> musette_core::Result<Target> {
    share::target_named(v, name.trim()).map(|(t, _)| t)
}

#[utoipa::path(post, path = "/api/v1/records/{id}/share",
    params(crate::api::RecordPath),
    request_body = ShareIn,
    responses(
        (status = 200, body = SharedOut),
        (status = 400, body = crate::api::ApiError),
        (status = 401, body = crate::api::ApiError),
        (status = 404, body = crate::api::ApiError),
        (status = 423, body = crate::api::ApiError),
    ))]
async fn share_record(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    crate::api::JsonObject(body): crate::api::JsonObject<ShareIn>,
) -> Result<Json<SharedOut>, WebError> {
    let fields = field_list(body.fields.clone())?;
    let shared = app
        .with_vault(move |v| {
            let target = target_of(v, &body.to)?;
            share::share(v, &id, &target, fields.as_deref())
        })
        .await?;
    Ok(Json(SharedOut {
        record: shared.record,
        share: shared.share,
        fields: shared.fields,
        updated: shared.updated,
    }))
}

/// Whom to stop sharing with.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnshareQuery {
    /// A peer's or a guild's name.
    pub to: String,
}

/// A share revoked.
#[derive(Serialize, ToSchema)]
pub struct UnsharedOut {
    /// The share's id.
    pub share: String,
    /// Its new version, which tells the recipients it is revoked.
    pub version: u64,
}

#[utoipa::path(delete, path = "/api/v1/records/{id}/share",
    params(crate::api::RecordPath, UnshareQuery),
    responses(
        (status = 200, description = "Revoked: the recipients drop it at their next sync", body = UnsharedOut),
        (status = 400, body = crate::api::ApiError),
        (status = 401, body = crate::api::ApiError),
        (status = 404, body = crate::api::ApiError),
        (status = 423, body = crate::api::ApiError),
    ))]
async fn unshare_record(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(q): Query<UnshareQuery>,
) -> Result<Json<UnsharedOut>, WebError> {
    let s = app
        .with_vault(move |v| {
            let target = target_of(v, &q.to)?;
            share::unshare(v, &id, &target)
        })
        .await?;
    Ok(Json(UnsharedOut {
        share: s.id,
        version: s.seq,
    }))
}

/// An item a peer shared with you.
#[derive(Serialize, ToSchema)]
pub struct ReceivedOut {
    /// Its id.
    pub id: String,
    /// Who shared it (your name for the peer, or its did).
    pub from: String,
    /// The sender's did.
    pub did: String,
    /// The record's kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// The fields shared and their values.
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
    /// Whether the sender revoked it.
    pub revoked: bool,
    /// Whether the sender's signature holds.
    pub verified: bool,
    /// Its version.
    pub version: u64,
    /// When the sender made this version (RFC 3339).
    pub issued: String,
    /// When it first arrived (RFC 3339).
    pub received: String,
}

#[utoipa::path(get, path = "/api/v1/received", responses(
    (status = 200, description = "What peers shared with you", body = [ReceivedOut]),
    (status = 401, body = crate::api::ApiError),
    (status = 423, body = crate::api::ApiError),
))]
async fn list_received(State(app): State<Arc<App>>) -> Result<Json<Vec<ReceivedOut>>, WebError> {
    let views = app
        .with_vault(|v| {
            let names = share::peer_names(v)?;
            Ok(share::received(v)?
                .iter()
                .map(|r| r.view(&names))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(Json(
        views
            .into_iter()
            .map(|w| ReceivedOut {
                id: w.id,
                from: w.from,
                did: w.did,
                kind: w.kind,
                title: w.title,
                fields: w.fields,
                revoked: w.revoked,
                verified: w.verified,
                version: w.version,
                issued: w.issued,
                received: w.received,
            })
            .collect(),
    ))
}
