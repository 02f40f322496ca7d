//! The command line's own words in the user's language (`LANG`, `LC_MESSAGES`, `LC_ALL`), from
//! the same Fluent catalogues as the web app (their `cli-` messages); English is what the
//! command line always said.

use std::sync::OnceLock;

use fluent_bundle::FluentValue;
use musette_web::i18n::{Lang, Tr};

/// The language of this run.
pub fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(Lang::from_env)
}

/// Message `id` with its arguments, in this run's language.
pub fn t(id: &str, args: &[(&str, &str)]) -> String {
    let tr = Tr { lang: lang() };
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
