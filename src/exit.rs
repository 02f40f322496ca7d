//! Exit codes (documented in the README and in `musette --help`) and error reporting.

use musette_core::ErrorKind;

use crate::clean;

/// Success.
pub const SUCCESS: i32 = 0;
/// Any other error (I/O, database).
pub const OTHER: i32 = 1;
/// Bad usage or invalid input.
pub const INVALID: i32 = 2;
/// Wrong passphrase or recovery key, locked, or expired session.
pub const LOCKED: i32 = 3;
/// No such record or attachment.
pub const NOT_FOUND: i32 = 4;
/// Damaged or tampered data.
pub const DAMAGED: i32 = 5;
/// A network failure: a device that cannot be reached, or that refused this one.
pub const NETWORK: i32 = 6;
/// A credential that cannot be checked offline (a key, context, status list or suite that only
/// the network or another tool could give): neither verified nor shown to be tampered with.
pub const UNCHECKABLE: i32 = 7;
/// A credential whose proofs hold but that is expired or not yet valid.
pub const NOT_VALID_NOW: i32 = 8;

/// The exit-code table shown in `--help`.
pub const TABLE: &str = "\
Exit codes:
  0  success
  1  other error (I/O, database)
  2  bad usage or invalid input
  3  wrong passphrase or recovery key, locked, or expired session
  4  no such record or attachment
  5  damaged or tampered data
  6  network failure: a device could not be reached, or refused this one
  7  a credential that cannot be checked offline (neither verified nor tampered)
  8  a credential whose proofs hold but that is expired or not yet valid";

/// [`TABLE`] in French.
pub const TABLE_FR: &str = "\
Codes de sortie :
  0  réussite
  1  autre erreur (entrées-sorties, base de données)
  2  mauvais usage ou saisie invalide
  3  phrase secrète ou clé de secours incorrecte, coffre verrouillé, ou session expirée
  4  pas de telle fiche ni pièce jointe
  5  données endommagées ou altérées
  6  échec réseau : un appareil injoignable, ou qui a refusé celui-ci
  7  une attestation qui ne peut pas être vérifiée hors ligne (ni vérifiée, ni altérée)
  8  une attestation dont les preuves tiennent, mais expirée ou pas encore valable";

/// An error of the command line itself, with its exit code.
#[derive(Debug)]
pub struct Fail {
    pub code: i32,
    pub message: String,
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// An invalid-input error (exit 2).
pub fn invalid(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: INVALID,
        message: message.into(),
    }
    .into()
}

/// A not-found error (exit 4).
pub fn not_found(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: NOT_FOUND,
        message: message.into(),
    }
    .into()
}

/// A locked error (exit 3).
pub fn locked(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: LOCKED,
        message: message.into(),
    }
    .into()
}

/// A damaged-data error (exit 5).
pub fn damaged(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: DAMAGED,
        message: message.into(),
    }
    .into()
}

/// A network error (exit 6).
pub fn network(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: NETWORK,
        message: message.into(),
    }
    .into()
}

/// The exit code for an error.
pub fn code_of(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(fail) = cause.downcast_ref::<Fail>() {
            return fail.code;
        }
        if let Some(musette_sync::node::NetError::Sync(musette_sync::session::SyncError::Vault(
            e,
        ))) = cause.downcast_ref::<musette_sync::node::NetError>()
        {
            return code_of_core(e);
        }
        if let Some(e) = cause.downcast_ref::<musette_sync::node::NetError>() {
            return match e {
                musette_sync::node::NetError::BadTicket(_)
                | musette_sync::node::NetError::BadInvitation(_)
                | musette_sync::node::NetError::AlreadyServed
                | musette_sync::node::NetError::Address { .. }
                | musette_sync::node::NetError::KeysChanging => INVALID,
                musette_sync::node::NetError::Bind(_) => OTHER,
                _ => NETWORK,
            };
        }
        if let Some(e) = cause.downcast_ref::<musette_core::Error>() {
            return code_of_core(e);
        }
    }
    OTHER
}

fn code_of_core(e: &musette_core::Error) -> i32 {
    match e.kind() {
        ErrorKind::Invalid => INVALID,
        ErrorKind::Locked => LOCKED,
        ErrorKind::NotFound => NOT_FOUND,
        ErrorKind::Damaged => DAMAGED,
        _ => OTHER,
    }
}

/// Output that cannot be written (a full disk, a closed pipe or terminal) ends the process with
/// a message and a documented exit code instead of a panic: `println!` panics when stdout fails.
/// A closed pipe (`musette list | head`) is success, as in [`report`].
pub fn on_output_failure() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            if why.contains("Broken pipe") {
                std::process::exit(SUCCESS);
            }
            eprintln!("{}", crate::say::t("cli-output-failed", &[("why", why)]));
            std::process::exit(OTHER);
        }
        default(info);
    }));
}

/// Prints an error on stderr and returns its exit code. A closed output pipe
/// (`musette list | head`) is not an error. The message may quote a field or a file, so it is
/// made safe for a terminal ([`clean::line`]).
pub fn report(err: &anyhow::Error) -> i32 {
    // serde_json's error does not chain to its io::Error, so it is asked directly.
    let broken_pipe = err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind)
            == Some(std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return SUCCESS;
    }
    let lang = musette_web::i18n::Lang::from_env();
    match localized(lang, err) {
        Some(message) => eprintln!("{}", prefixed(lang, &message)),
        None => eprintln!("{}", prefixed(lang, &chained(err))),
    }
    code_of(err)
}

/// An error and its causes, as `{err:#}` gives them, without a cause its error says already
/// (a vault's input or output error quotes the system's reason, which is also its cause).
fn chained(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let said = cause.to_string();
        if out.contains(&said) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&said);
    }
    out
}

/// An error in `lang`, when it is not English and the error is one of the vault's or the
/// network's that the catalogue has words for.
pub fn localized(lang: musette_web::i18n::Lang, err: &anyhow::Error) -> Option<String> {
    if lang == musette_web::i18n::Lang::En {
        return None;
    }
    if let Some(e) = err
        .chain()
        .find_map(|c| c.downcast_ref::<musette_sync::node::NetError>())
        && let Some(said) = say_net(lang, e)
    {
        return Some(said);
    }
    let e = err
        .chain()
        .find_map(|c| c.downcast_ref::<musette_core::Error>())?;
    Some(say(lang, e))
}

/// A vault error as the command line says it in `lang`: the message, and the command line's
/// hint where it has one.
pub fn say(lang: musette_web::i18n::Lang, e: &musette_core::Error) -> String {
    let tr = musette_web::i18n::Tr { lang };
    let message = tr.error(e);
    match e {
        musette_core::Error::MissingField { field, .. } => format!(
            "{message}{}: {}",
            if lang == musette_web::i18n::Lang::Fr {
                "\u{202f}"
            } else {
                ""
            },
            tr.t_with("cli-hint-set", &[("field", fluent_value(field))])
        ),
        musette_core::Error::AttachmentExists { .. } => format!("{message} (--name)"),
        // The commands the English names, in the other language too.
        musette_core::Error::NoSuchRecord(_) if lang != musette_web::i18n::Lang::En => {
            format!("{message}\u{202f}: {}", tr.t("cli-hint-list"))
        }
        musette_core::Error::WrongPassphrase if lang != musette_web::i18n::Lang::En => {
            format!("{message} ({})", tr.t("cli-hint-recover"))
        }
        musette_core::Error::NoSuchAttachment { record, .. }
            if lang != musette_web::i18n::Lang::En =>
        {
            format!(
                "{message}\u{202f}: {}",
                tr.t_with("cli-hint-attachments", &[("record", fluent_value(record))])
            )
        }
        musette_core::Error::NoTerm { .. } | musette_core::Error::CosignedWhole => {
            format!("{message} (--fields)")
        }
        _ => message,
    }
}

/// A network failure as the command line says it in `lang`, for those it has words for.
pub(crate) fn say_net(
    lang: musette_web::i18n::Lang,
    e: &musette_sync::node::NetError,
) -> Option<String> {
    use musette_sync::node::NetError;
    match e {
        // The command line's hints on the vault's own errors.
        NetError::Sync(musette_sync::session::SyncError::Vault(e)) => Some(say(lang, e)),
        e => Some(musette_sync::said::net_error(e).say(lang)),
    }
}

fn fluent_value(s: &str) -> fluent_bundle::FluentValue<'static> {
    fluent_bundle::FluentValue::from(s.to_string())
}

/// `musette: error: …`, in `lang`.
pub fn prefixed(lang: musette_web::i18n::Lang, message: &str) -> String {
    let tr = musette_web::i18n::Tr { lang };
    let colon = if lang == musette_web::i18n::Lang::Fr {
        "\u{202f}:"
    } else {
        ":"
    };
    format!(
        "musette{colon} {}{colon} {}",
        tr.t("cli-error"),
        clean::line(message)
    )
}

/// A command line clap refused: said in the environment's language when it is not English
/// (an unknown command or option, a value that is not one), else as clap says it; then exit 2.
pub fn refuse_arguments(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let lang = musette_web::i18n::Lang::from_env();
    if lang == musette_web::i18n::Lang::En
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        e.exit();
    }
    let tr = musette_web::i18n::Tr { lang };
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let source = std::error::Error::source(&e)
        .and_then(|s| s.downcast_ref::<musette_core::Error>())
        .map(|c| say(lang, c));
    let message = match (e.kind(), source) {
        (_, Some(m)) => m,
        (ErrorKind::InvalidSubcommand, None) => {
            let mut m = tr.t_with(
                "cli-unknown-command",
                &[(
                    "command",
                    fluent_value(&ctx(ContextKind::InvalidSubcommand)),
                )],
            );
            let s = ctx(ContextKind::SuggestedSubcommand);
            if !s.is_empty() {
                m = format!(
                    "{m} ({})",
                    tr.t_with("cli-did-you-mean", &[("suggestion", fluent_value(&s))])
                );
            }
            m
        }
        (ErrorKind::UnknownArgument, None) => {
            let mut m = tr.t_with(
                "cli-unknown-argument",
                &[("arg", fluent_value(&ctx(ContextKind::InvalidArg)))],
            );
            let s = ctx(ContextKind::SuggestedArg);
            if !s.is_empty() {
                m = format!(
                    "{m} ({})",
                    tr.t_with("cli-did-you-mean", &[("suggestion", fluent_value(&s))])
                );
            }
            m
        }
        (ErrorKind::InvalidValue | ErrorKind::ValueValidation, None)
            if ctx(ContextKind::InvalidValue).is_empty() =>
        {
            tr.t_with(
                "cli-value-required",
                &[("arg", fluent_value(&ctx(ContextKind::InvalidArg)))],
            )
        }
        (ErrorKind::InvalidValue | ErrorKind::ValueValidation, None) => {
            let m = tr.t_with(
                "cli-invalid-value",
                &[
                    ("value", fluent_value(&ctx(ContextKind::InvalidValue))),
                    ("arg", fluent_value(&ctx(ContextKind::InvalidArg))),
                ],
            );
            // What the value's parser said (how to write it), or the values there are.
            let why = std::error::Error::source(&e)
                .map(ToString::to_string)
                .filter(|w| !w.is_empty());
            let possible = ctx(ContextKind::ValidValue);
            match (why, possible.is_empty()) {
                (Some(w), _) => format!("{m}\u{202f}: {w}"),
                (None, false) => format!(
                    "{m} ({})",
                    tr.t_with(
                        "cli-possible-values",
                        &[("values", fluent_value(&possible))]
                    )
                ),
                (None, true) => m,
            }
        }
        (ErrorKind::MissingRequiredArgument, None) => tr.t_with(
            "cli-missing-argument",
            &[("arg", fluent_value(&ctx(ContextKind::InvalidArg)))],
        ),
        (ErrorKind::MissingSubcommand, None) => tr.t_with(
            "cli-missing-subcommand",
            &[
                (
                    "command",
                    fluent_value(&ctx(ContextKind::InvalidSubcommand)),
                ),
                ("commands", fluent_value(&ctx(ContextKind::ValidSubcommand))),
            ],
        ),
        (ErrorKind::ArgumentConflict, None) => {
            let (arg, prior) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::PriorArg));
            if prior.is_empty() || prior == arg {
                tr.t_with("cli-argument-twice", &[("arg", fluent_value(&arg))])
            } else {
                tr.t_with(
                    "cli-argument-conflict",
                    &[("arg", fluent_value(&arg)), ("other", fluent_value(&prior))],
                )
            }
        }
        _ => e.exit(),
    };
    eprintln!("{} ({})", prefixed(lang, &message), tr.t("cli-see-help"));
    std::process::exit(INVALID);
}

/// A credential that cannot be checked offline (exit 7).
pub fn uncheckable(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: UNCHECKABLE,
        message: message.into(),
    }
    .into()
}

/// A credential whose proofs hold but that is not valid today (exit 8).
pub fn not_valid_now(message: impl Into<String>) -> anyhow::Error {
    Fail {
        code: NOT_VALID_NOW,
        message: message.into(),
    }
    .into()
}

/// Why a folder cannot be written in, without the temporary names tried there.
pub fn folder_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => crate::say::t("cli-folder-missing", &[]),
        std::io::ErrorKind::PermissionDenied => crate::say::t("cli-folder-read-only", &[]),
        other => std::io::Error::from(other).to_string(),
    }
}
