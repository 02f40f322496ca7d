//! The command line's own words in the user's language (`LANG`, `LC_MESSAGES`, `LC_ALL`), from
//! the same Fluent catalogues as the web app (their `cli-` messages); English is what the
//! command line always said.

use std::sync::OnceLock;

use fluent_bundle::FluentValue;
use musette_web::i18n::{Lang, Tr};

/// The command line's messages as a catalogue, for the library's errors that carry one (the
/// context of an `Error::Io`): English when printed, this run's language when said.
pub static CLI: musette_core::i18n::Catalogue =
    musette_core::i18n::Catalogue::new(musette_web::i18n::EN, musette_web::i18n::FR);

/// The language of this run.
pub fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(Lang::from_env)
}

/// Message `id` with its arguments, in this run's language.
pub fn t(id: &str, args: &[(&str, &str)]) -> String {
    t_in(lang(), id, args)
}

/// Message `id` with its arguments, in `lang` (English for what `--json` says).
pub fn t_in(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let tr = Tr { lang };
    if args.is_empty() {
        return tr.t(id);
    }
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.to_string())))
        .collect();
    tr.t_with(id, &args)
}

/// Message `id` counting `n` (plural forms), with more arguments.
pub fn n(id: &str, n: usize, args: &[(&str, &str)]) -> String {
    let tr = Tr { lang: lang() };
    let mut all: Vec<(&str, FluentValue<'_>)> = vec![("n", FluentValue::from(n))];
    all.extend(
        args.iter()
            .map(|(k, v)| (*k, FluentValue::from(v.to_string()))),
    );
    tr.t_with(id, &all)
}

/// Whether an answer to a `[y/N]` question is yes (`o`/`oui` too in French).
pub fn yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    )
}

/// A vault error as this run's language says it: as it displays in English, else as the
/// command line reports it.
pub fn error(e: &musette_core::Error) -> String {
    match lang() {
        Lang::En => e.to_string(),
        other => crate::exit::say(other, e),
    }
}

/// Why verifying found what it found (a library's message), in this run's language: as the
/// library says it in English, else as the web app says it (its words for the commonest
/// reasons, dates as the language writes them).
pub fn reason(why: &musette_core::i18n::Msg) -> String {
    match lang() {
        Lang::En => why.to_string(),
        other => Tr { lang: other }.reason(why),
    }
}

/// A record kind's name, in this run's language (`experience`, `expérience`).
pub fn kind(kind: musette_core::model::Kind) -> String {
    Tr { lang: lang() }.kind(kind)
}

/// A record kind's name given as text (`document`), in this run's language; anything that is
/// not a kind's name as it is.
pub fn kind_named(name: &str) -> String {
    let id = format!("kind-{name}");
    let said = t(&id, &[]);
    if said == id { name.to_string() } else { said }
}

/// A network error as this run's language says it: as it displays in English, else as the
/// command line reports it when the catalogue has words for it.
pub fn net_error(e: &musette_sync::node::NetError) -> String {
    match lang() {
        Lang::En => e.to_string(),
        other => crate::exit::say_net(other, e).unwrap_or_else(|| e.to_string()),
    }
}
