//! Credentials in the browser: a record issued as a signed credential with the fields ticked,
//! and the employer's view of a file dropped on the verify page (what it says, who signed it,
//! whether every proof holds).

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use musette_core::credential::{Outcome, Verification};
use musette_core::proof::{ProofStatus, SigningSuite};
use musette_formats::received::{Input, Refusal};

use crate::i18n::{Tr, WEB};
use crate::pages::{Chrome, PageResult, chrome, fail, render};
use crate::security::Caller;
use crate::{App, WebError};
use musette_core::i18n::Msg;
use musette_core::msg;

/// The largest file the verify page takes.
pub(crate) const MAX_VERIFY: usize = 8 << 20;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            "/verify",
            get(verify_page)
                .post(verify)
                .layer(axum::extract::DefaultBodyLimit::max(
                    MAX_VERIFY + (64 << 10),
                )),
        )
        .route("/records/{id}/credential", get(issue_page).post(issue))
        .route("/present", axum::routing::post(present))
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    c: Chrome,
    result: Option<Shown>,
    error: Option<String>,
    /// The document verified, to keep it (a credential or presentation as text).
    document: Option<String>,
}

/// A verification, for people.
struct Shown {
    verdict: String,
    /// `ok`, `bad`, `unknown`, `expired`: the banner's style.
    tone: &'static str,
    kind: String,
    title: String,
    issuer: String,
    subject: String,
    says: Vec<(String, String)>,
    proofs: Vec<(String, String, bool)>,
    notes: Vec<String>,
    credentials: Vec<Shown>,
}

fn shown(tr: Tr, v: &Verification) -> Shown {
    let (verdict, tone) = match v.outcome {
        Outcome::Verified => (tr.t("verify-verified"), "ok"),
        Outcome::Failed => (tr.t("verify-failed"), "bad"),
        Outcome::CannotBeChecked => (tr.t("verify-unchecked"), "unknown"),
        Outcome::NotValidNow => (tr.t("verify-not-now"), "expired"),
    };
    let issuer = match (&v.issuer_name, &v.issuer) {
        (Some(n), Some(d)) => format!("{n} ({d})"),
        (None, Some(d)) => d.clone(),
        (Some(n), None) => n.clone(),
        (None, None) => String::new(),
    };
    let proofs = v
        .proofs
        .iter()
        .map(|p| {
            let who = match (&p.name, &p.check.did) {
                (Some(n), Some(d)) => format!("{n} ({d})"),
                (None, Some(d)) => d.clone(),
                (Some(n), None) => n.clone(),
                (None, None) => p.check.verification_method.clone(),
            };
            let (status, holds) = match &p.check.status {
                ProofStatus::Verified => (tr.t("verify-proof-holds"), true),
                ProofStatus::Invalid(why) => (
                    format!("{} {}", tr.t("verify-proof-fails"), reason(tr, why)),
                    false,
                ),
                ProofStatus::Unsupported(why) => (
                    format!("{} {}", tr.t("verify-proof-unchecked"), reason(tr, why)),
                    false,
                ),
            };
            (who, status, holds)
        })
        .collect();
    let mut notes: Vec<String> = v.unchecked.iter().map(|u| reason(tr, u)).collect();
    if let Some(n) = &v.not_valid_now {
        notes.push(reason(tr, n));
    }
    if v.issuer_signed == Some(false) {
        notes.push(tr.t("verify-not-by-issuer"));
    }
    // Signed by the one it is about: it says what they say of themselves.
    if v.kind == "credential" && v.issuer.is_some() && v.issuer == v.subject {
        notes.push(tr.t("verify-self"));
    }
    Shown {
        verdict,
        tone,
        kind: tr.t(&format!("verify-kind-{}", v.kind)),
        title: v.title.clone().unwrap_or_default(),
        issuer,
        subject: v.subject.clone().unwrap_or_default(),
        says: v
            .says
            .iter()
            .map(|(k, val)| (said_field(tr, k), said_value(tr, val)))
            .collect(),
        proofs,
        notes,
        credentials: v.credentials.iter().map(|c| shown(tr, c)).collect(),
    }
}

/// Verifies a file someone gave: a credential or presentation (JSON-LD with Data Integrity
/// proofs), a VC-JWT, or a badge image; `names` names the signers among your contacts. An
/// error says, for people, why the file was not verified.
pub(crate) fn check(
    bytes: &[u8],
    names: &HashMap<String, String>,
) -> Result<Verification, Unverified> {
    let not = Unverified::NotACredential;
    match musette_formats::received::read(bytes) {
        Ok(Input::Document(doc)) => {
            musette_core::credential::verify_document(&doc, names).map_err(|e| not(e.to_msg()))
        }
        Ok(Input::Jwt(token)) => {
            musette_core::credential::verify_jwt(&token, names, time::OffsetDateTime::now_utc())
                .map_err(|e| not(e.to_msg()))
        }
        Ok(Input::Legacy(_, why)) | Err(Refusal::Hosted(why)) => {
            Err(Unverified::CannotBeChecked(why))
        }
        Err(Refusal::Ambiguous(key)) => Err(not(msg!(
            WEB,
            "verify-refused-ambiguous",
            key = format!("{key:?}")
        ))),
        Err(Refusal::NotACredential(why)) => {
            Err(not(msg!(WEB, "verify-refused-not-vc", why = why)))
        }
        Err(Refusal::Twice(why)) => Err(not(why)),
    }
}

/// Why a file was not verified.
pub(crate) enum Unverified {
    /// It is not a credential, a presentation, a JWT or a badge image (the command line's exit
    /// code 2).
    NotACredential(Msg),
    /// It is one, of a kind that only its issuer's site can confirm (exit code 7).
    CannotBeChecked(Msg),
}

impl Unverified {
    /// Why, as a message (its English is what the API says).
    pub(crate) fn msg(&self) -> &Msg {
        match self {
            Unverified::NotACredential(m) | Unverified::CannotBeChecked(m) => m,
        }
    }
}

/// [`Tr::reason`], for this crate's pages.
pub(crate) fn reason(tr: Tr, why: &Msg) -> String {
    tr.reason(why)
}

/// A field of what a credential says (`achievement.criteria.narrative`), labelled by its last
/// part when the catalogue knows it.
fn said_field(tr: Tr, key: &str) -> String {
    let whole = tr.field(key);
    if whole != key {
        return whole;
    }
    let last = key.rsplit('.').next().unwrap_or(key);
    let label = tr.field(last);
    if label == last {
        key.to_string()
    } else {
        label
    }
}

fn said_value(tr: Tr, value: &str) -> String {
    tr.said_value(value)
}

async fn verify_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
) -> Response {
    render(&VerifyPage {
        c: chrome(&app, &headers, &caller, "verify-title", "/verify"),
        result: None,
        error: None,
        document: None,
    })
}

/// Checks a file dropped on the page; signers among your contacts are named when the vault is
/// open. Works with the vault locked too: verifying needs no key of yours.
async fn verify(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    mut form: Multipart,
) -> PageResult {
    let too_large = || {
        fail(&headers)(WebError::said(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            musette_core::msg!(
                crate::i18n::WEB,
                "error-credential-too-large",
                mib = MAX_VERIFY >> 20
            ),
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_VERIFY + (64 << 10)) {
        return Err(too_large());
    }
    let mut csrf_ok = false;
    let mut bytes: Option<Vec<u8>> = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| fail(&headers)(WebError::unreadable_form(&e, MAX_VERIFY as u64)))?
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
                let mut data = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| fail(&headers)(WebError::invalid(e.to_string())))?
                {
                    if data.len() + chunk.len() > MAX_VERIFY {
                        return Err(too_large());
                    }
                    data.extend_from_slice(&chunk);
                }
                bytes = Some(data);
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(fail(&headers)(WebError::forbidden(
            crate::error::CSRF_STALE,
        )));
    }
    let c = chrome(&app, &headers, &caller, "verify-title", "/verify");
    let tr = c.tr;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let mut r = render(&VerifyPage {
            c,
            result: None,
            error: Some(tr.t("verify-no-file")),
            document: None,
        });
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(r);
    };
    let names: HashMap<String, String> = app
        .with_vault(|v| v.contact_names())
        .await
        .unwrap_or_default();
    let document = std::str::from_utf8(&bytes)
        .ok()
        .map(|t| t.trim().to_string())
        // What the vault can keep: a JSON document of a reasonable size.
        .filter(|t| t.starts_with('{') && t.len() <= musette_core::kept::MAX_ITEM);
    let checked = tokio::task::spawn_blocking(move || check(&bytes, &names))
        .await
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    let (result, error) = match checked {
        Ok(v) => (Some(shown(tr, &v)), None),
        Err(why) => (None, Some(tr.reason(why.msg()))),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let document = document.filter(|_| result.is_some() && app.unlocked());
    let mut r = render(&VerifyPage {
        c,
        result,
        error,
        document,
    });
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Template)]
#[template(path = "issue.html")]
struct IssuePage {
    c: Chrome,
    id: String,
    title: String,
    fields: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn issue_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> PageResult {
    let r = app
        .with_vault(move |v| v.show(&id))
        .await
        .map_err(fail(&headers))?;
    Ok(render(&issue_form(&app, &headers, &caller, &r, None)))
}

/// The share form for record `r`: its fields in its kind's order (then any others), shown as
/// on its page, each ticked.
fn issue_form(
    app: &App,
    headers: &HeaderMap,
    caller: &Caller,
    r: &musette_core::Record,
    error: Option<String>,
) -> IssuePage {
    use musette_core::model::FieldType;
    let c = chrome(
        app,
        headers,
        caller,
        "issue-title",
        &format!("/records/{}/credential", r.id),
    );
    let tr = c.tr;
    let kind = r.state.kind;
    let shareable = |k: &str| {
        kind.field(k).is_none_or(|s| s.ty != FieldType::RecordRef)
            && k != musette_core::batch::SOURCE
    };
    let mut names: Vec<String> = kind
        .fields()
        .iter()
        .map(|f| f.name.to_string())
        .filter(|n| r.state.fields.contains_key(n))
        .collect();
    names.extend(
        r.state
            .fields
            .keys()
            .filter(|k| kind.field(k).is_none())
            .cloned(),
    );
    let fields = names
        .into_iter()
        .filter(|k| shareable(k))
        .filter_map(|k| {
            let v = r.state.fields.get(&k)?;
            let text = crate::pages::shown_field(tr, kind, &k, v);
            Some((k.clone(), tr.field(&k), text.chars().take(120).collect()))
        })
        .collect();
    IssuePage {
        c,
        id: r.id.clone(),
        title: r.title.clone(),
        fields,
        error,
    }
}

/// Issues the credential with the fields ticked, as a download, and notes it in the audit log.
async fn issue(
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
    let chosen: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "field")
        .map(|(_, v)| v.clone())
        .collect();
    let chosen = if chosen.is_empty() {
        chosen
    } else {
        crate::api_share::field_list(Some(chosen))
            .map_err(fail(&headers))?
            .unwrap_or_default()
    };
    if chosen.is_empty() {
        let message = crate::security::req_tr(&headers).t("issue-no-field");
        let r = app
            .with_vault(move |v| v.show(&id))
            .await
            .map_err(fail(&headers))?;
        let mut page = render(&issue_form(&app, &headers, &caller, &r, Some(message)));
        *page.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(page);
    }
    let suite = SigningSuite::from_name(&get("suite").unwrap_or_else(|| "eddsa-rdfc-2022".into()))
        .ok_or_else(|| {
            fail(&headers)(WebError::invalid_said(musette_core::msg!(
                crate::i18n::WEB,
                "error-suite"
            )))
        })?;
    let to = crate::api_share::recipient(get("to").as_deref()).map_err(fail(&headers))?;
    let (doc, rid) = app
        .with_vault(move |v| {
            let doc = v.issue_credential_with(&id, Some(&chosen), suite)?;
            let rid = v.resolve(&id)?;
            musette_sync::peers::audit_all(
                v,
                vec![musette_sync::peers::Event {
                    event: "given-credential".into(),
                    peer: to,
                    record: Some(rid.clone()),
                    fields: chosen,
                    ..Default::default()
                }],
            )?;
            Ok((doc, rid))
        })
        .await
        .map_err(fail(&headers))?;
    let body = serde_json::to_vec_pretty(&doc)
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"credential-{rid}.json\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// Several records, ticked on the list, signed together as one presentation and downloaded
/// (every field of each; to choose fields, share each as a credential).
async fn present(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    caller
        .check_csrf(&get("csrf").unwrap_or_default())
        .map_err(fail(&headers))?;
    let ids: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v.clone())
        .take(200)
        .collect();
    if ids.is_empty() {
        return Err(fail(&headers)(WebError::invalid(
            crate::security::req_tr(&headers).t("present-none"),
        )));
    }
    let to = crate::api_share::recipient(get("to").as_deref()).map_err(fail(&headers))?;
    let doc = app
        .with_vault(move |v| {
            let doc = v.present_for(&ids, None, None, None, SigningSuite::default())?;
            let events = ids
                .iter()
                .map(|id| musette_sync::peers::Event {
                    event: "given-presentation".into(),
                    peer: to.clone(),
                    record: v.resolve(id).ok(),
                    ..Default::default()
                })
                .collect();
            musette_sync::peers::audit_all(v, events)?;
            Ok(doc)
        })
        .await
        .map_err(fail(&headers))?;
    let body = serde_json::to_vec_pretty(&doc)
        .map_err(|e| fail(&headers)(WebError::internal(e.to_string())))?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"presentation.json\""),
    );
    Ok(r)
}
