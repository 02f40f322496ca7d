//! Messages for people, in English and French.
//!
//! Each crate keeps its messages in two Fluent catalogues of its own (`locales/en.ftl`,
//! `locales/fr.ftl`, built into the binary) behind a [`Catalogue`]. A [`Msg`] is one of them
//! with its arguments: it prints in English (`Display`, what logs, `--json` and scripts see) and
//! says itself in any [`Lang`] with [`Msg::say`]. The library never picks a language: the
//! command line picks it from the environment, the web app from the browser.

use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language musette speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order of the switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// Its code (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Its name in itself.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// A language from a code or tag (`fr`, `fr-CA`, `en_GB.UTF-8`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.', ';', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the environment, as POSIX orders it: `LC_ALL`, then `LC_MESSAGES`, then
    /// `LANG` (`fr_FR.UTF-8` is French; `C`, `POSIX` or anything else, English).
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::En)
    }

    /// The first language of an `Accept-Language` header musette speaks (weights honoured),
    /// else English.
    pub fn from_accept(header: &str) -> Lang {
        let mut offers: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::parse(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
                // RFC 9110: weights go from 0 (not acceptable) to 1; anything else is no weight.
                (q > 0.0 && q <= 1.0).then_some((q, lang))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0));
        offers.first().map_or(Lang::En, |(_, l)| *l)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Fr => 1,
        }
    }
}

/// The two catalogues of one crate, parsed on first use.
pub struct Catalogue {
    sources: [&'static str; 2],
    bundles: OnceLock<[FluentBundle<FluentResource>; 2]>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

impl Catalogue {
    /// A catalogue from its English and French sources.
    pub const fn new(en: &'static str, fr: &'static str) -> Catalogue {
        Catalogue {
            sources: [en, fr],
            bundles: OnceLock::new(),
        }
    }

    /// The source of one language.
    pub fn source(&self, lang: Lang) -> &'static str {
        self.sources[lang.index()]
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        let bundles = self.bundles.get_or_init(|| {
            Lang::ALL.map(|lang| {
                let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around arguments: a terminal or a page shows
                // plain text.
                bundle.set_use_isolating(false);
                let resource = FluentResource::try_new(self.source(lang).to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                bundle
            })
        });
        &bundles[lang.index()]
    }

    /// Message `id` in `lang` with its arguments; the id itself when the catalogue lacks it
    /// (each crate's tests keep that from happening).
    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// What is wrong with the two catalogues: a source that does not parse whole, a message in
    /// one and not the other, a message `used` (ids the code names) in neither. Empty when
    /// all is well.
    pub fn problems(&self, used: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let [en, fr] = Lang::ALL.map(|lang| {
            let src = self.source(lang);
            if let Err((_, errors)) = FluentResource::try_new(src.to_string()) {
                out.push(format!("{}.ftl does not parse: {errors:?}", lang.code()));
            }
            ids(src)
        });
        for id in en.iter().filter(|i| !fr.contains(i)) {
            out.push(format!("{id} is in en.ftl only"));
        }
        for id in fr.iter().filter(|i| !en.contains(i)) {
            out.push(format!("{id} is in fr.ftl only"));
        }
        for id in used.iter().filter(|i| !en.contains(i)) {
            out.push(format!("{id} is used by the code and in no catalogue"));
        }
        out
    }
}

/// The message ids of a catalogue source.
pub fn ids(source: &str) -> Vec<String> {
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// The message ids the Rust files of `src_dir` name as `msg!(CATALOGUE, ID…` (the id a quoted
/// literal right after the first comma, on the same line or the next): what each crate's test
/// checks against its catalogues.
pub fn used_ids(src_dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(src_dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(&path)?;
        let mut rest = src.as_str();
        while let Some(at) = rest.find("msg!(") {
            rest = &rest[at + 5..];
            let Some(comma) = rest.find(',') else { break };
            let after = rest[comma + 1..].trim_start();
            if let Some(quoted) = after.strip_prefix('"')
                && let Some(end) = quoted.find('"')
            {
                let id = &quoted[..end];
                if !out.iter().any(|o| o == id) {
                    out.push(id.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text, as it is.
    Text(String),
    /// A whole number (plural forms choose by it).
    Number(i64),
    /// Another message, said in the same language.
    Msg(Box<Msg>),
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(Box::new(m))
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::from(n))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, i32, i64);

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// One message of a catalogue with its arguments.
#[derive(Clone)]
pub struct Msg {
    catalogue: &'static Catalogue,
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Msg {
    /// Message `id` of `catalogue` with `args` (prefer the [`msg!`](crate::msg) macro).
    pub fn new(
        catalogue: &'static Catalogue,
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    ) -> Msg {
        Msg {
            catalogue,
            id,
            args,
        }
    }

    /// Its id in the catalogue.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The value of argument `name`, if it has one.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The message in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in &self.args {
            match v {
                Arg::Text(s) => args.set(*k, FluentValue::from(s.as_str())),
                Arg::Number(n) => args.set(*k, FluentValue::from(*n)),
                Arg::Msg(m) => args.set(*k, FluentValue::from(m.say(lang))),
            }
        }
        self.catalogue.format(lang, self.id, Some(&args))
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Msg")
            .field("id", &self.id)
            .field("args", &self.args)
            .finish()
    }
}

/// A message in data (`--json`, reports) is its English.
impl serde::Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        std::ptr::eq(self.catalogue, other.catalogue)
            && self.id == other.id
            && self.args == other.args
    }
}

impl Eq for Msg {}

/// A [`Msg`]: `msg!(CATALOGUE, ID, name = value, …)`, the id a string literal. Values are
/// text, numbers or other messages.
#[macro_export]
macro_rules! msg {
    ($catalogue:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new(
            &$catalogue,
            $id,
            vec![$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// This crate's catalogue: public so that other crates can build the library's errors from
/// its messages (`msg!(musette_core::i18n::CORE, ID, …)`), in their tests above all.
pub static CORE: Catalogue = Catalogue::new(
    include_str!("../locales/en.ftl"),
    include_str!("../locales/fr.ftl"),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_agree_and_hold_every_message_the_code_names() {
        let used = used_ids(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
            .expect("the sources");
        assert!(used.len() > 20, "{used:?}");
        let problems = CORE.problems(&used);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_message_says_itself_in_each_language_and_prints_in_english() {
        let m = crate::msg!(CORE, "passphrase-short");
        assert_eq!(
            m.to_string(),
            "the passphrase is too short: use at least 8 characters"
        );
        assert!(
            m.say(Lang::Fr).contains("trop courte"),
            "{}",
            m.say(Lang::Fr)
        );
        let m = crate::msg!(CORE, "kept-ambiguous", n = 3usize, prefix = "ab");
        assert_eq!(
            m.to_string(),
            "3 received files start with ab: give more of the id"
        );
        assert_eq!(
            m.say(Lang::Fr),
            "3 fichiers reçus commencent par ab\u{202f}: donnez davantage de l'identifiant"
        );
        // A message inside another is said in the same language.
        let m = crate::msg!(
            CORE,
            "not-a-did-key",
            input = "did:web:x",
            why = crate::msg!(CORE, "did-no-prefix")
        );
        assert_eq!(
            m.to_string(),
            "did:web:x is not a valid Ed25519 did:key: it does not start with did:key:"
        );
        assert!(
            m.say(Lang::Fr)
                .ends_with("elle ne commence pas par did:key:")
        );
        // A choice by argument, in French.
        let m = crate::msg!(CORE, "kept-already", kind = "presentation", id = "abc");
        assert!(
            m.say(Lang::Fr).starts_with("cette présentation"),
            "{}",
            m.say(Lang::Fr)
        );
        assert_eq!(
            m.to_string(),
            "this presentation is already kept as received item abc: nothing was imported"
        );
    }

    #[test]
    fn languages_from_tags_the_environment_and_browsers() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::from_accept("de;q=1, fr;q=0.8, en;q=0.5"), Lang::Fr);
        assert_eq!(Lang::from_accept(""), Lang::En);
        assert_eq!(Lang::from_accept("en, fr;q=NaN"), Lang::En);
        assert_eq!(Lang::from_accept("fr;q=0"), Lang::En);
        assert_eq!(Lang::from_accept("en;q=0.5, fr;q=inf"), Lang::En);
        assert_eq!(Lang::parse("fr@euro"), Some(Lang::Fr));
    }

    #[test]
    fn a_missing_message_is_found_by_the_check() {
        static BAD: Catalogue = Catalogue::new("a = A\nb = B\n", "a = A\n");
        let problems = BAD.problems(&["c".to_string()]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("b is in en.ftl only"));
        assert!(problems[1].contains("c is used by the code"));
    }
}
