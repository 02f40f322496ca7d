//! Bringing a backpack in and taking it out, from the browser and the API: a JSON Resume, a
//! LinkedIn export, vCards or a badge imported (with a dry run), a résumé or the contacts
//! exported. The same library calls as `musette import` and `musette export`.

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use musette_core::batch::Report;
use musette_core::i18n::Msg;
use musette_core::model::Kind;
use musette_formats::many::{Many, PrepareError, Prepared};
use serde::{Deserialize, Serialize};

use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};

/// The largest file imported from the browser or the API.
pub(crate) const MAX_IMPORT: usize = 256 << 20;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/transfer", get(page))
        .route(
            "/import",
            post(import_form).layer(axum::extract::DefaultBodyLimit::max(MAX_IMPORT + (1 << 20))),
        )
        .route("/export/json-resume", get(export_resume))
        .route("/export/vcard", get(export_vcard))
        .route("/export/backup", get(export_backup))
}

/// What an import did, or would do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// The format read: json-resume, linkedin, vcard or badge.
    pub format: String,
    /// Records added.
    pub new: usize,
    /// Records changed.
    pub updated: usize,
    /// Records already as the file says.
    pub unchanged: usize,
    /// Entries left out, and why (in English; a page says them in its language).
    #[schema(value_type = Vec<String>)]
    pub skipped: Vec<Msg>,
    /// Values left out of entries kept, and why (in English; a page says them in its
    /// language).
    #[schema(value_type = Vec<String>)]
    pub notes: Vec<Msg>,
    /// The records added or changed.
    pub ids: Vec<String>,
    /// Whether nothing was written (a dry run).
    pub dry_run: bool,
    /// For a badge: whether its signature holds (`verified`, or what cannot be checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub status: Option<Msg>,
}

/// Imports `bytes` in `format` (guessed when `None`): many records at once, or one badge.
pub(crate) async fn import(
    app: &Arc<App>,
    bytes: Bytes,
    format: Option<String>,
    dry_run: bool,
) -> Result<ImportReport, WebError> {
    let many = match format.as_deref() {
        None | Some("") => Many::detect(&bytes),
        Some("json-resume") => Some(Many::JsonResume),
        Some("linkedin") => Some(Many::Linkedin),
        Some("vcard") => Some(Many::Vcard),
        Some("badge") => None,
        Some(other) => {
            return Err(WebError::invalid(format!(
                "unknown import format {other:?}: the formats are json-resume, linkedin, vcard, badge"
            )));
        }
    };
    let explicit_badge = format.as_deref() == Some("badge");
    app.with_vault(move |v| {
        if let Some(m) = many.filter(|_| !explicit_badge) {
            let Prepared {
                items,
                mut skipped,
                mut notes,
                ..
            } = musette_formats::many::prepare(v, m, &bytes).map_err(|e| match e {
                PrepareError::Vault(e) => e,
                PrepareError::Format(e) => musette_core::Error::Invalid(musette_core::msg!(
                    crate::i18n::WEB,
                    "error-import-refused",
                    why = e.msg().clone()
                )),
            })?;
            let Report {
                new,
                updated,
                unchanged,
                skipped: mut s2,
                notes: mut n2,
                ids,
            } = v.import_records(items, dry_run)?;
            skipped.append(&mut s2);
            notes.append(&mut n2);
            return Ok(ImportReport {
                format: m.name().into(),
                new,
                updated,
                unchanged,
                skipped,
                notes,
                ids,
                dry_run,
                status: None,
            });
        }
        let badge = musette_formats::openbadges::read(&bytes).map_err(|e| {
            musette_core::Error::Invalid(if explicit_badge {
                musette_core::msg!(
                    crate::i18n::WEB,
                    "error-import-refused",
                    why = e.msg().clone()
                )
            } else {
                musette_core::msg!(
                    crate::i18n::WEB,
                    "error-import-unknown",
                    why = e.msg().clone()
                )
            })
        })?;
        if let musette_formats::openbadges::Status::Invalid(why) = &badge.status {
            return Err(musette_core::Error::Forged(musette_core::msg!(
                crate::i18n::WEB,
                "error-import-forged",
                why = why.clone()
            )));
        }
        if let Some(id) = musette_formats::openbadges::held(v, &badge)? {
            return Ok(ImportReport {
                format: "badge".into(),
                new: 0,
                updated: 0,
                unchanged: 1,
                skipped: vec![],
                notes: vec![],
                ids: vec![id],
                dry_run,
                status: Some(badge.status.msg()),
            });
        }
        let ids = if dry_run {
            vec![]
        } else {
            vec![v.add(Kind::Badge, badge.fields.clone(), &[])?.id]
        };
        Ok(ImportReport {
            format: "badge".into(),
            new: 1,
            updated: 0,
            unchanged: 0,
            skipped: vec![],
            notes: vec![],
            ids,
            dry_run,
            status: Some(badge.status.msg()),
        })
    })
    .await
}

/// Why an import failed (in English, from the libraries), in the page's language when the
/// catalogue knows it.
fn said(tr: crate::i18n::Tr, e: &WebError) -> String {
    use fluent_bundle::FluentValue;
    let message = e.message.as_str();
    if message.starts_with("musette could not tell what this file is") {
        return tr.t("import-unknown-file");
    }
    if let Some(musette_core::Error::Forged(m)) = e.cause.as_deref()
        && m.id() == "error-import-forged"
        && let Some(musette_core::i18n::Arg::Msg(why)) = m.arg("why")
    {
        let why = crate::credentials::reason(tr, why);
        return tr.t_with("import-badge-invalid", &[("why", FluentValue::from(why))]);
    }
    if message.starts_with("this JSON is not an Open Badge") {
        return tr.t("import-not-badge");
    }
    if message.starts_with("this file holds no vCard") {
        return tr.t("import-no-vcard");
    }
    tr.web_error(e)
}

/// A badge's status (what `Status` says) for people.
pub(crate) fn badge_status(tr: crate::i18n::Tr, status: &Msg) -> String {
    use fluent_bundle::FluentValue;
    if status.id() == "badge-status-verified" {
        return tr.t("import-badge-verified");
    }
    tr.t_with(
        "import-badge-status",
        &[(
            "status",
            FluentValue::from(crate::credentials::reason(tr, status)),
        )],
    )
}

#[derive(Template)]
#[template(path = "transfer.html")]
struct TransferPage {
    c: Chrome,
    report: Option<ImportReport>,
    error: Option<String>,
}

async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> PageResult {
    if !app.unlocked() {
        return Err(fail(&headers)(WebError::locked()));
    }
    Ok(render(&TransferPage {
        c: chrome(&app, &headers, &caller, "transfer-title", "/transfer"),
        report: None,
        error: None,
    }))
}

async fn import_form(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    mut form: Multipart,
) -> PageResult {
    let mut csrf_ok = false;
    let mut format = None;
    let mut dry_run = false;
    let mut bytes = None;
    while let Some(mut field) = form.next_field().await.map_err(|e| {
        fail(&headers)(WebError::unreadable_form(
            &e,
            (MAX_IMPORT + (1 << 20)) as u64,
        ))
    })? {
        match field.name() {
            Some("csrf") => {
                caller
                    .check_csrf(
                        &crate::stream::small_text(&mut field)
                            .await
                            .map_err(fail(&headers))?,
                    )
                    .map_err(fail(&headers))?;
                csrf_ok = true;
            }
            Some("format") => {
                format = Some(
                    crate::stream::small_text(&mut field)
                        .await
                        .map_err(fail(&headers))?,
                )
            }
            Some("dry_run") => dry_run = true,
            Some("file") if csrf_ok => {
                bytes = Some(field.bytes().await.map_err(|e| {
                    fail(&headers)(WebError::unreadable_form(&e, MAX_IMPORT as u64))
                })?);
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(fail(&headers)(WebError::forbidden(
            crate::error::CSRF_STALE,
        )));
    }
    let c = chrome(&app, &headers, &caller, "transfer-title", "/transfer");
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let error = Some(c.tr.t("verify-no-file"));
        let mut r = render(&TransferPage {
            c,
            report: None,
            error,
        });
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(r);
    };
    match import(&app, bytes, format, dry_run).await {
        Ok(report) => Ok(render(&TransferPage {
            c,
            report: Some(report),
            error: None,
        })),
        Err(e) if e.code == "locked" => Err(fail(&headers)(e)),
        Err(e) => {
            let status = e.status;
            let tr = c.tr;
            let mut r = render(&TransferPage {
                c,
                report: None,
                error: Some(said(tr, &e)),
            });
            *r.status_mut() = status;
            Ok(r)
        }
    }
}

/// Which records a résumé holds.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResumeQuery {
    /// Only records carrying this tag (the profile is always in).
    pub tag: Option<String>,
}

/// A résumé of the vault as JSON Resume, and what was left out of it.
pub(crate) async fn resume(
    app: &Arc<App>,
    tag: Option<String>,
) -> Result<(serde_json::Value, Vec<Msg>), WebError> {
    app.with_vault(move |v| {
        let chosen: Option<HashSet<String>> = match tag.filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(
                v.list(&musette_core::Filter {
                    tags: vec![t],
                    ..musette_core::Filter::default()
                })?
                .0
                .into_iter()
                .map(|s| s.id)
                .collect(),
            ),
            None => None,
        };
        let backpack = musette_formats::jsonresume::Backpack::of(v, chosen.as_ref())?;
        Ok(musette_formats::jsonresume::write(&backpack))
    })
    .await
}

/// Every contact as vCard 4.0.
pub(crate) async fn vcards(app: &Arc<App>) -> Result<String, WebError> {
    app.with_vault(|v| {
        let mut all = v.records_of(Kind::Contact)?;
        all.sort_by(|a, b| a.1.cmp(&b.1));
        let contacts: Vec<_> = all.into_iter().map(|(f, id)| (id, f)).collect();
        Ok(musette_formats::vcard::write(&contacts))
    })
    .await
}

fn download(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn export_resume(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ResumeQuery>,
) -> PageResult {
    let (doc, _) = resume(&app, q.tag).await.map_err(fail(&headers))?;
    let body = serde_json::to_vec_pretty(&doc)
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    Ok(download(body, "application/json", "resume.json"))
}

async fn export_vcard(State(app): State<Arc<App>>, headers: HeaderMap) -> PageResult {
    let text = vcards(&app).await.map_err(fail(&headers))?;
    Ok(download(
        text.into_bytes(),
        "text/vcard; charset=utf-8",
        "contacts.vcf",
    ))
}

/// The whole vault as one sealed backup file (opened only with the passphrase or recovery key,
/// by `musette restore`).
pub(crate) async fn export_backup(State(app): State<Arc<App>>, headers: HeaderMap) -> PageResult {
    if !app.unlocked() {
        return Err(fail(&headers)(WebError::locked()));
    }
    let name = format!("musette-{}.backup", time::OffsetDateTime::now_utc().date());
    let mut r = Response::new(crate::stream::backup(&app));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
