//! `musette verify`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use musette_core::credential::{Verification, verify_document};
use musette_core::proof::ProofStatus;

use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The credential or presentation (JSON); `-` for stdin; or the id of an item others shared
    /// with you (`musette received`).
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
fn request_matches(
    report: &Verification,
    challenge: Option<&str>,
    domain: Option<&str>,
) -> Result<bool, String> {
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
            let found = got.iter().flatten().next().copied().unwrap_or("none");
            return Err(format!(
                "the holder signed it for another request: {what} {:?} expected, {:?} found",
                clean::line(want),
                clean::line(found)
            ));
        }
    }
    Ok(auth.iter().any(|p| p.check.challenge.is_some()))
}

fn who(did: Option<&str>, name: Option<&str>) -> String {
    match (did, name) {
        (Some(d), Some(n)) => format!("{} ({})", clean::line(n), clean::line(d)),
        (Some(d), None) => clean::line(d).into_owned(),
        (None, Some(n)) => clean::line(n).into_owned(),
        (None, None) => "an unknown signer".to_string(),
    }
}

/// Prints the report for people. Nearly all of it comes from the file checked, which anyone
/// may have written: every value is cleaned, one line each, so none can fake a line.
fn print(out: &mut impl Write, v: &Verification, indent: &str) -> std::io::Result<()> {
    let kind = v
        .types
        .iter()
        .find(|t| !t.starts_with("Verifiable"))
        .map(|t| format!(" {}", clean::line(t)))
        .unwrap_or_default();
    let title = v
        .title
        .as_deref()
        .map(|t| format!(" {}", clean::line(&format!("{t:?}"))))
        .unwrap_or_default();
    writeln!(out, "{indent}{}{kind}{title}", clean::line(&v.kind))?;
    let role = if v.kind == "presentation" {
        "held by"
    } else {
        "issued by"
    };
    writeln!(
        out,
        "{indent}  {role} {}",
        who(v.issuer.as_deref(), v.issuer_name.as_deref())
    )?;
    if v.proofs.is_empty() {
        writeln!(out, "{indent}  FAILED: it carries no proof")?;
    }
    for p in &v.proofs {
        let signer = who(p.check.did.as_deref(), p.name.as_deref());
        let when = clean::line(p.check.created.as_deref().unwrap_or("no date"));
        match &p.check.status {
            ProofStatus::Verified => {
                writeln!(out, "{indent}  ok      signed by {signer} on {when}")?
            }
            ProofStatus::Invalid(why) => writeln!(
                out,
                "{indent}  FAILED  proof by {signer}: {}",
                clean::line(why)
            )?,
            ProofStatus::Unsupported(s) => writeln!(
                out,
                "{indent}  FAILED  proof by {signer}: unsupported cryptosuite {}",
                clean::line(s)
            )?,
        }
    }
    if v.issuer_signed == Some(false) {
        writeln!(out, "{indent}  FAILED  no valid proof is by its issuer")?;
    }
    for c in &v.credentials {
        print(out, c, &format!("{indent}  "))?;
    }
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let text = args.file.to_string_lossy();
    if args.file.as_os_str() != "-"
        && !args.file.exists()
        && text.len() >= 6
        && text.chars().all(|c| c.is_ascii_hexdigit())
    {
        let vault = ctx.open()?;
        if let Some(r) = musette_sync::share::find_received(&vault, &text)? {
            return super::share::verify(ctx, &vault, &r);
        }
    }
    let bytes = ctx.read_in(&args.file)?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        exit::invalid(format!(
            "{} is not a credential: it is not valid JSON ({e})",
            args.file.display()
        ))
    })?;
    let names = ctx
        .open_quietly()
        .and_then(|v| v.contact_names().ok())
        .unwrap_or_default();
    super::credential::option_text("challenge", args.challenge.as_deref())?;
    super::credential::option_text("domain", args.domain.as_deref())?;
    let report = verify_document(&doc, &names)?;
    let presentation = report.kind == "presentation";
    let request = if presentation {
        Some(request_matches(
            &report,
            args.challenge.as_deref(),
            args.domain.as_deref(),
        ))
    } else if args.challenge.is_some() || args.domain.is_some() {
        return Err(exit::invalid(
            "--challenge and --domain check presentations; this is a credential",
        ));
    } else {
        None
    };
    if ctx.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(r) = &request {
            v["challenged"] = serde_json::json!(matches!(r, Ok(true)));
            if let Err(why) = r {
                v["request_mismatch"] = serde_json::json!(why);
            }
        }
        ctx.print_json(&v)?;
    } else {
        let mut out = std::io::stdout().lock();
        print(&mut out, &report, "")?;
        if report.verified && !matches!(request, Some(Err(_))) {
            writeln!(out, "Verified: every proof holds.")?;
        }
    }
    if let Some(Ok(false)) = request {
        eprintln!(
            "musette: note: this presentation carries no challenge: anyone holding the file can show it again; ask the holder for one made with `present --challenge`"
        );
    }
    if let Some(Err(why)) = request {
        return Err(exit::damaged(format!(
            "{} does not verify for this request: {why}",
            args.file.display()
        )));
    }
    if report.verified {
        Ok(())
    } else {
        Err(exit::damaged(format!(
            "{} does not verify: see the failed proofs above",
            args.file.display()
        )))
    }
}
