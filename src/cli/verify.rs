//! `musette verify`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use musette_core::credential::{Outcome, Verification, verify_document, verify_jwt};
use musette_core::i18n::Msg;
use musette_core::proof::ProofStatus;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The credential or presentation: JSON, a VC-JWT, or a badge image (PNG, SVG); `-` for
    /// stdin; or the id of an item others shared with you or you imported (`musette received`).
    file: PathBuf,
    /// For a presentation: the challenge you gave its holder; it must be the one signed in.
    #[arg(long, value_name = "C")]
    challenge: Option<String>,
    /// For a presentation: your domain; it must be the one signed in.
    #[arg(long, value_name = "D")]
    domain: Option<String>,
}

/// For a presentation, whether the holder's proof was made for this request: `Err` says why
/// not; `Ok(false)` when it carries no challenge and none was expected.
/// How a presentation fails the reader's request: the challenge or the domain, the value
/// asked, and the one found, if any.
struct Mismatch {
    what: &'static str,
    want: String,
    found: Option<String>,
}

impl Mismatch {
    /// What is wrong, in `lang`.
    fn said(&self, lang: musette_web::i18n::Lang) -> String {
        let what = crate::say::t_in(lang, &format!("cli-verify-{}", self.what), &[]);
        match &self.found {
            Some(found) => crate::say::t_in(
                lang,
                "cli-verify-other-request",
                &[("what", &what), ("want", &self.want), ("found", found)],
            ),
            None => crate::say::t_in(
                lang,
                "cli-verify-without",
                &[("what", &what), ("want", &self.want)],
            ),
        }
    }
}

/// The most `verify` reads of a file: 64 MiB.
const VERIFY_LIMIT: u64 = 64 << 20;

fn request_matches(
    report: &Verification,
    challenge: Option<&str>,
    domain: Option<&str>,
) -> Result<bool, Mismatch> {
    let auth: Vec<_> = report
        .proofs
        .iter()
        .filter(|p| p.check.purpose.as_deref() == Some("authentication"))
        .collect();
    for (what, want, got) in [
        (
            "challenge",
            challenge,
            auth.iter()
                .map(|p| p.check.challenge.as_deref())
                .collect::<Vec<_>>(),
        ),
        (
            "domain",
            domain,
            auth.iter()
                .map(|p| p.check.domain.as_deref())
                .collect::<Vec<_>>(),
        ),
    ] {
        if let Some(want) = want
            && (got.is_empty() || got.iter().any(|g| *g != Some(want)))
        {
            return Err(Mismatch {
                what,
                want: format!("{:?}", clean::line(want)),
                found: got
                    .iter()
                    .flatten()
                    .next()
                    .map(|found| format!("{:?}", clean::line(found))),
            });
        }
    }
    Ok(auth.iter().any(|p| p.check.challenge.is_some()))
}

/// Everyone who signed, or issued, anything in the report, each named once: a contact's name,
/// else the name the document gives its issuer, else "signer N". Later lines use the names.
struct Signers(Vec<(String, String, String)>, Option<String>);

impl Signers {
    fn of(v: &Verification, owner: Option<&str>) -> Signers {
        let mut list: Vec<(String, String, String)> = Vec::new();
        fn add(list: &mut Vec<(String, String, String)>, v: &Verification, owner: Option<&str>) {
            let mut seen = |did: &str, name: Option<&str>, from_contact: bool| {
                if list.iter().any(|(d, _, _)| d == did) {
                    return;
                }
                // Your own signature, in something sent back to you, is yours.
                if owner == Some(did) {
                    list.push((
                        did.to_string(),
                        crate::say::t("cli-signer-you", &[]),
                        crate::say::t("cli-signer-owner", &[]),
                    ));
                    return;
                }
                // A name the document gives itself is quoted, so it never reads like one of
                // your contacts or "you".
                let short = |n: &str| -> String { n.chars().take(60).collect() };
                let (label, source) = match name {
                    Some(n) if from_contact => (short(n), crate::say::t("cli-signer-contact", &[])),
                    Some(n) => (
                        format!("{:?}", short(n)),
                        crate::say::t("cli-signer-self-named", &[]),
                    ),
                    None => (
                        crate::say::t("cli-signer-n", &[("n", &(list.len() + 1).to_string())]),
                        String::new(),
                    ),
                };
                list.push((did.to_string(), label, source));
            };
            for p in &v.proofs {
                if let Some(did) = &p.check.did {
                    // The name a document gives itself counts only when its signature holds.
                    let own_name = (v.issuer.as_deref() == Some(did.as_str())
                        && p.check.status == ProofStatus::Verified)
                        .then_some(v.issuer_name.as_deref())
                        .flatten();
                    match &p.name {
                        Some(n) => seen(did, Some(n), true),
                        None => seen(did, own_name, false),
                    }
                }
            }
            for c in &v.credentials {
                add(list, c, owner);
            }
        }
        add(&mut list, v, owner);
        Signers(list, owner.map(str::to_string))
    }

    fn name(&self, did: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(d, _, _)| d == did)
            .map(|(_, l, _)| l.as_str())
    }

    /// A did as people read it: its name when it signed something here, "you" for this
    /// vault's owner, else the did.
    fn who(&self, did: Option<&str>, name: Option<&str>) -> String {
        if did.is_some() && did == self.1.as_deref() {
            return crate::say::t("cli-signer-you", &[]);
        }
        match (did.and_then(|d| self.name(d)), did, name) {
            (Some(label), _, _) => clean::line(label).into_owned(),
            (None, Some(d), Some(n)) => format!(
                "{} ({})",
                clean::line(&format!("{:?}", n.chars().take(60).collect::<String>())),
                clean::line(d)
            ),
            (None, Some(d), None) => clean::line(d).into_owned(),
            (None, None, Some(n)) => {
                clean::line(&format!("{:?}", n.chars().take(60).collect::<String>())).into_owned()
            }
            (None, None, None) => crate::say::t("cli-signer-unknown", &[]),
        }
    }
}

/// Prints the report for people. Nearly all of it comes from the file checked, which anyone
/// may have written: every value is cleaned, one line each, so none can fake a line.
fn print(
    out: &mut impl Write,
    v: &Verification,
    signers: &Signers,
    indent: &str,
) -> std::io::Result<()> {
    let kind = v
        .types
        .iter()
        .find(|t| !t.starts_with("Verifiable"))
        .map(|t| format!(" {}", clean::line(&t.chars().take(80).collect::<String>())))
        .unwrap_or_default();
    let title = v
        .title
        .as_deref()
        .map(|t| {
            let t: String = t.chars().take(200).collect();
            format!(" {}", clean::line(&format!("{t:?}")))
        })
        .unwrap_or_default();
    writeln!(
        out,
        "{indent}{}{kind}{title}",
        crate::say::t("cli-verify-kind", &[("kind", &clean::line(&v.kind))])
    )?;
    let who = signers.who(v.issuer.as_deref(), v.issuer_name.as_deref());
    writeln!(
        out,
        "{indent}  {}",
        crate::say::t(
            if v.kind == "presentation" {
                "cli-verify-held-by"
            } else {
                "cli-verify-issued-by"
            },
            &[("who", &who)],
        )
    )?;
    if v.kind == "credential" {
        // Who vouches for it: its own subject alone, or someone else.
        let holding: Vec<&str> = v
            .proofs
            .iter()
            .filter(|p| p.check.status == ProofStatus::Verified)
            .filter_map(|p| p.check.did.as_deref())
            .collect();
        let mut others: Vec<String> = holding
            .iter()
            .filter(|d| v.subject.as_deref() != Some(**d))
            .map(|d| signers.who(Some(d), None))
            .collect();
        others.dedup();
        if !holding.is_empty() {
            if others.is_empty() {
                writeln!(
                    out,
                    "{indent}  {}",
                    crate::say::t(
                        "cli-verify-self",
                        &[("who", &signers.who(v.subject.as_deref(), None))],
                    )
                )?;
            } else {
                let by = others.join(", ");
                let line = match v.subject.as_deref() {
                    Some(s) => crate::say::t(
                        "cli-verify-attested-about",
                        &[("by", &by), ("about", &signers.who(Some(s), None))],
                    ),
                    None => crate::say::t("cli-verify-attested", &[("by", &by)]),
                };
                writeln!(out, "{indent}  {line}")?;
            }
        }
    }
    let width = v
        .says
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (field, value) in &v.says {
        let value: String = crate::clock::local(value).chars().take(300).collect();
        writeln!(
            out,
            "{indent}    {:<width$}  {}",
            clean::line(field),
            clean::line(&value)
        )?;
    }
    if v.proofs.is_empty() {
        writeln!(
            out,
            "{indent}  {}",
            crate::say::t("cli-verify-no-proof", &[])
        )?;
    }
    for p in &v.proofs {
        let signer = if v.jwt && p.check.did.is_none() && p.check.verification_method == "jwk" {
            crate::say::t("cli-verify-jwk", &[])
        } else {
            signers.who(p.check.did.as_deref(), p.name.as_deref())
        };
        let when = clean::line(&p.check.created.as_deref().map_or_else(
            || crate::say::t("cli-verify-no-date", &[]),
            crate::clock::local,
        ))
        .into_owned();
        let line = match &p.check.status {
            ProofStatus::Verified => crate::say::t(
                "cli-verify-proof-ok",
                &[("signer", &signer), ("when", &when)],
            ),
            ProofStatus::Invalid(why) => crate::say::t(
                "cli-verify-proof-failed",
                &[("signer", &signer), ("why", &clean::line(&reason(why)))],
            ),
            ProofStatus::Unsupported(s) => crate::say::t(
                "cli-verify-proof-unchecked",
                &[("signer", &signer), ("why", &clean::line(&reason(s)))],
            ),
        };
        writeln!(out, "{indent}  {line}")?;
    }
    if v.issuer_signed == Some(false) {
        let id = if v.issuer.is_none() && v.kind == "credential" {
            "cli-verify-no-issuer"
        } else if v.outcome == Outcome::Failed {
            if v.kind == "presentation" {
                "cli-verify-not-by-holder"
            } else {
                "cli-verify-not-by-issuer"
            }
        } else {
            "cli-verify-issuer-unchecked"
        };
        writeln!(out, "{indent}  {}", crate::say::t(id, &[]))?;
    }
    if let Some(when) = &v.not_valid_now {
        writeln!(
            out,
            "{indent}  {}",
            crate::say::t(
                "cli-verify-not-now",
                &[("why", &clean::line(&not_valid(when)))],
            )
        )?;
    }
    for why in &v.unchecked {
        writeln!(
            out,
            "{indent}  {}",
            crate::say::t(
                "cli-verify-unchecked",
                &[("why", &clean::line(&reason(why)))]
            )
        )?;
    }
    for c in &v.credentials {
        writeln!(out)?;
        print(out, c, signers, &format!("{indent}  "))?;
    }
    Ok(())
}

/// The signers, each with the did it goes by, once.
fn print_signers(out: &mut impl Write, signers: &Signers) -> std::io::Result<()> {
    if signers.0.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", crate::say::t("cli-verify-signers", &[]))?;
    let width = signers
        .0
        .iter()
        .map(|(_, l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for (did, label, source) in &signers.0 {
        let source = if source.is_empty() {
            String::new()
        } else {
            format!("  ({source})")
        };
        writeln!(
            out,
            "  {:<width$}  {}{source}",
            clean::line(label),
            clean::line(did)
        )?;
    }
    Ok(())
}

/// An id that names neither a file nor an item received (exit 4).
fn none(id: &str) -> anyhow::Error {
    musette_core::Error::NotFound(musette_core::msg!(
        crate::say::CLI,
        "cli-verify-none",
        id = id.to_string()
    ))
    .into()
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let text = args.file.to_string_lossy();
    // Not a file there, and written as an id (letters and digits only): an id.
    if args.file.as_os_str() != "-"
        && !args.file.exists()
        && !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric())
    {
        if text.len() < 6 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(none(&text));
        }
        let vault = ctx.open()?;
        if let Some(r) = musette_sync::share::find_received(&vault, &text)? {
            return super::share::verify(ctx, &vault, &r);
        }
        // A credential or presentation kept as received: checked again, as it was given.
        if let Some(k) = vault.find_kept(&text)? {
            drop(vault);
            return check(ctx, &args, k.text.as_bytes(), &args.file);
        }
        // Neither a file nor an item received: said as an id not found (exit 4).
        return Err(none(&text));
    }
    // A credential, presentation or badge image is far smaller: a file past this is refused
    // as soon as it is read that far (`/dev/zero` included).
    let bytes = ctx.read_in_at_most(&args.file, VERIFY_LIMIT, "cli-verify-too-large")?;
    check(ctx, &args, &bytes, &args.file)
}

/// Verifies `bytes`, read from `path`, and reports.
fn check(ctx: &Context, args: &Args, bytes: &[u8], path: &std::path::Path) -> Result<()> {
    let input = read_input(bytes, path)?;
    let names = ctx
        .open_quietly()
        .map(|v| {
            (
                crate::cli::contacts(&v),
                v.owner().ok().map(|o| o.did().to_string()),
            )
        })
        .unwrap_or_default();
    let (names, owner) = names;
    super::credential::option_text("challenge", args.challenge.as_deref())?;
    super::credential::option_text("domain", args.domain.as_deref())?;
    let report = match &input {
        Input::Document(doc) => verify_document(doc, &names)?,
        Input::Jwt(token) => verify_jwt(token, &names, time::OffsetDateTime::now_utc())?,
        Input::Legacy(fields, why) => return legacy(ctx, path, fields, why),
    };
    let presentation = report.kind == "presentation";
    let request = if presentation {
        Some(request_matches(
            &report,
            args.challenge.as_deref(),
            args.domain.as_deref(),
        ))
    } else if args.challenge.is_some() || args.domain.is_some() {
        return Err(exit::invalid(crate::say::t(
            "cli-verify-challenge-credential",
            &[],
        )));
    } else {
        None
    };
    if ctx.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(r) = &request {
            v["challenged"] = serde_json::json!(matches!(r, Ok(true)));
            if let Err(why) = r {
                v["request_mismatch"] = serde_json::json!(why.said(musette_web::i18n::Lang::En));
            }
        }
        ctx.print_json(&v)?;
    } else {
        let mut out = std::io::stdout().lock();
        let signers = Signers::of(&report, owner.as_deref());
        print_signers(&mut out, &signers)?;
        print(&mut out, &report, &signers, "")?;
        if !matches!(request, Some(Err(_))) {
            let id = match report.outcome {
                Outcome::Verified => "cli-verified",
                Outcome::NotValidNow => "cli-verify-verdict-not-now",
                Outcome::CannotBeChecked => "cli-verify-verdict-unchecked",
                Outcome::Failed if report.proofs.is_empty() => "cli-verify-no-proof",
                Outcome::Failed => "cli-verify-verdict-failed",
            };
            writeln!(out, "{}", crate::say::t(id, &[]))?;
        }
        if let Some(Err(why)) = &request {
            writeln!(
                out,
                "{}",
                crate::say::t(
                    "cli-verify-request-failed",
                    &[("why", &clean::line(&why.said(crate::say::lang())))],
                )
            )?;
        }
        // What the holder signed the presentation for, when the reader did not ask.
        if presentation && args.challenge.is_none() {
            for p in report.proofs.iter().filter(|p| p.check.challenge.is_some()) {
                let challenge = format!(
                    "{:?}",
                    clean::line(p.check.challenge.as_deref().unwrap_or(""))
                );
                let said = match p.check.domain.as_deref() {
                    Some(d) => crate::say::t(
                        "cli-verify-made-for-domain",
                        &[
                            ("challenge", &challenge),
                            ("domain", &format!("{:?}", clean::line(d))),
                        ],
                    ),
                    None => crate::say::t("cli-verify-made-for", &[("challenge", &challenge)]),
                };
                writeln!(out, "{said}")?;
            }
        }
    }
    if let Some(Ok(false)) = request {
        eprintln!("{}", crate::say::t("cli-verify-no-challenge", &[]));
    }
    if let Some(Err(why)) = request {
        return Err(exit::damaged(crate::say::t(
            "cli-verify-request-mismatch",
            &[
                ("file", &args.file.display().to_string()),
                ("why", &why.said(crate::say::lang())),
            ],
        )));
    }
    let file = path.display();
    match report.outcome {
        Outcome::Verified => Ok(()),
        Outcome::Failed => Err(exit::damaged(crate::say::t(
            "cli-verify-exit-failed",
            &[("file", &file.to_string())],
        ))),
        Outcome::NotValidNow => Err(exit::not_valid_now(crate::say::t(
            "cli-verify-exit-not-now",
            &[
                ("file", &file.to_string()),
                (
                    "why",
                    &first_not_valid(&report)
                        .map_or_else(|| crate::say::t("cli-see-above", &[]), not_valid),
                ),
            ],
        ))),
        Outcome::CannotBeChecked => Err(exit::uncheckable(crate::say::t(
            "cli-verify-exit-unchecked",
            &[("file", &file.to_string())],
        ))),
    }
}

/// Why verifying found what it found, in this run's language ([`crate::say::reason`]).
fn reason(why: &Msg) -> String {
    crate::say::reason(why)
}

/// Why a document is not valid now ("expired on …"): in English, with its time in local
/// time; in another language, with its date as the language writes it ("expirée le 9 janv.
/// 2025, 17:23").
fn not_valid(why: &Msg) -> String {
    let lang = crate::say::lang();
    if lang != musette_web::i18n::Lang::En {
        return match why.arg("date") {
            Some(musette_core::i18n::Arg::Text(date)) => musette_core::i18n::Msg::new(
                &musette_core::i18n::CORE,
                why.id(),
                vec![(
                    "date",
                    musette_web::i18n::Tr { lang }.said_value(date).into(),
                )],
            )
            .say(lang),
            _ => reason(why),
        };
    }
    let sentence = why.to_string();
    match sentence.rsplit_once(' ') {
        Some((head, time)) => format!("{head} {}", crate::clock::local(time)),
        None => sentence,
    }
}

/// An Open Badges 1.0/2.0 assertion: what it says, then why it cannot be checked (exit 7).
fn legacy(
    ctx: &Context,
    path: &std::path::Path,
    fields: &serde_json::Map<String, serde_json::Value>,
    why: &Msg,
) -> Result<()> {
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "kind": "badge", "says": fields,
            "outcome": "cannot_be_checked", "unchecked": [why],
        }))?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", crate::say::t("cli-verify-legacy", &[]))?;
        let width = fields
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        for (k, v) in fields {
            let v: String = v
                .as_str()
                .map_or_else(|| v.to_string(), str::to_string)
                .chars()
                .take(300)
                .collect();
            writeln!(out, "    {:<width$}  {}", clean::line(k), clean::line(&v))?;
        }
        writeln!(
            out,
            "  {}",
            crate::say::t(
                "cli-verify-unchecked",
                &[("why", &clean::line(&reason(why)))]
            )
        )?;
        writeln!(
            out,
            "{}",
            crate::say::t("cli-verify-verdict-unchecked", &[])
        )?;
    }
    Err(exit::uncheckable(crate::say::t(
        "cli-verify-legacy-exit",
        &[("file", &path.display().to_string())],
    )))
}

fn first_not_valid(v: &Verification) -> Option<&Msg> {
    v.not_valid_now
        .as_ref()
        .or_else(|| v.credentials.iter().find_map(first_not_valid))
}

use musette_formats::received::{Input, Refusal};

/// Reads a credential from JSON, a JWT, or a badge image with one baked in
/// ([`musette_formats::received`]), with the exit code each refusal has.
fn read_input(bytes: &[u8], path: &std::path::Path) -> Result<Input> {
    musette_formats::received::read(bytes).map_err(|r| match r {
        Refusal::Ambiguous(key) => exit::damaged(crate::say::t(
            "cli-verify-ambiguous",
            &[
                ("file", &path.display().to_string()),
                ("key", &format!("{:?}", clean::line(&key))),
            ],
        )),
        Refusal::Twice(why) => exit::damaged(crate::say::t(
            "cli-verify-twice",
            &[
                ("file", &path.display().to_string()),
                ("why", &reason(&why)),
            ],
        )),
        Refusal::Hosted(why) => exit::uncheckable(crate::say::t(
            "cli-verify-hosted",
            &[
                ("file", &path.display().to_string()),
                ("why", &reason(&why)),
            ],
        )),
        Refusal::NotACredential(why) if why.id() == "received-empty" => exit::invalid(
            crate::say::t("cli-verify-empty", &[("file", &path.display().to_string())]),
        ),
        Refusal::NotACredential(why) => exit::invalid(crate::say::t(
            "cli-verify-not-credential",
            &[
                ("file", &path.display().to_string()),
                ("why", &reason(&why)),
            ],
        )),
    })
}
