//! # musette-formats
//!
//! The formats musette reads and writes beside its own vault:
//!
//! - [`jsonresume`]: JSON Resume in (to a profile and records) and out (schema-valid).
//! - [`linkedin`]: a LinkedIn data export (its ZIP or folder) in.
//! - [`many`]: files of many records made ready to import (profile merged, keys, what was left out).
//! - [`vcard`]: vCard 4.0 and 3.0 contacts, in and out.
//! - [`openbadges`]: Open Badges 3.0 credentials and Open Badges 2.0 assertions, as JSON or baked
//!   into PNG (`iTXt` chunk) and SVG images; reading them into badge records, and baking a
//!   credential back into an image.
//! - [`received`]: what someone hands over to be verified (JSON, a JWT, a badge image).
//! - [`png`] and [`svg`]: finding and writing the baked data without re-encoding the image.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod jsonresume;
pub mod linkedin;
pub mod many;
pub mod openbadges;
pub mod png;
pub mod received;
pub mod svg;
pub mod vcard;

use musette_core::i18n::{Catalogue, Lang, Msg};

/// This crate's messages, in English and French.
pub(crate) static FORMATS: Catalogue = Catalogue::new(
    include_str!("../locales/en.ftl"),
    include_str!("../locales/fr.ftl"),
);

/// Errors reading or writing a format; every message says what is wrong with the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The input is not of a kind this reader knows.
    #[error("{0}")]
    Unrecognised(Msg),
    /// The input is of the right kind but malformed or incomplete.
    #[error("{0}")]
    Malformed(Msg),
}

impl FormatError {
    /// What is wrong, as a message (its English is the error's `Display`).
    pub fn msg(&self) -> &Msg {
        match self {
            FormatError::Unrecognised(m) | FormatError::Malformed(m) => m,
        }
    }

    /// What is wrong, in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        self.msg().say(lang)
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, FormatError>;

pub(crate) fn malformed(msg: Msg) -> FormatError {
    FormatError::Malformed(msg)
}

/// A record's stable key in its format: its section and the parts that name it, written so
/// that no two different lists of parts give the same key (`Acme|Lead`, `Dev` is not `Acme`,
/// `Lead|Dev`).
pub(crate) fn stable_key(section: &str, parts: &[String]) -> String {
    format!("{section}:{}", serde_json::Value::from(parts.to_vec()))
}

#[cfg(test)]
mod tests {
    use musette_core::i18n::Lang;
    use musette_core::msg;

    #[test]
    fn the_catalogues_agree_and_hold_every_message_the_code_names() {
        let used = musette_core::i18n::used_ids(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        )
        .expect("the sources");
        assert!(used.len() > 50, "{used:?}");
        let problems = super::FORMATS.problems(&used);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn messages_print_in_english_and_say_themselves_in_french() {
        let m = msg!(
            super::FORMATS,
            "resume-not-text",
            at = msg!(
                super::FORMATS,
                "resume-entry-named",
                section = "work",
                n = 2usize,
                name = "Hooli"
            ),
            key = "position",
            kind = crate::jsonresume::kind_of(&serde_json::json!(3)),
        );
        assert_eq!(
            m.to_string(),
            "work 2 (Hooli): position should be text, not a number: left out"
        );
        assert_eq!(
            m.say(Lang::Fr),
            "work 2 (Hooli)\u{202f}: position devrait être du texte, et non un nombre\u{202f}: valeur laissée de côté"
        );
        // Numbers print as they did, without grouping.
        let m = msg!(
            super::FORMATS,
            "resume-too-large",
            len = 9_000_000usize,
            max = crate::jsonresume::MAX_BYTES
        );
        assert_eq!(
            m.to_string(),
            "the résumé is 9000000 bytes: at most 8388608 are read"
        );
        let m = msg!(super::FORMATS, "badge-missing-v3", what = "name");
        assert_eq!(
            m.to_string(),
            "the Open Badges 3.0 credential has no name (of the credential or of its achievement), which it requires"
        );
        let m = msg!(super::FORMATS, "badge-missing-v2", what = "issuedOn");
        assert_eq!(
            m.to_string(),
            "the Open Badges 2.0 assertion has no issuedOn, which it requires"
        );
        assert_eq!(
            m.say(Lang::Fr),
            "l'assertion Open Badges 2.0 n'a pas de champ issuedOn\u{202f}: il est pourtant obligatoire"
        );
        let m = msg!(
            super::FORMATS,
            "linkedin-row-left-out",
            at = msg!(
                super::FORMATS,
                "linkedin-at",
                file = "Positions.csv",
                line = 4u64
            ),
            why = msg!(super::FORMATS, "linkedin-no-title-company")
        );
        assert_eq!(
            m.to_string(),
            "Positions.csv line 4: no title and no company: left out"
        );
        assert_eq!(
            m.say(Lang::Fr),
            "Positions.csv ligne 4\u{202f}: ni titre ni entreprise\u{202f}: ligne laissée de côté"
        );
    }
}
