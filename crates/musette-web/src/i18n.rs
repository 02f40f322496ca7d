//! French and English: the messages of the app in Fluent catalogues (`locales/en.ftl`,
//! `locales/fr.ftl`, built into the binary), chosen from the language cookie, else the browser's
//! `Accept-Language`. A test fails when a message is in one catalogue and not the other.

use fluent_bundle::{FluentArgs, FluentValue};

/// The English catalogue.
pub const EN: &str = include_str!("../locales/en.ftl");
/// The French catalogue.
pub const FR: &str = include_str!("../locales/fr.ftl");

pub use musette_core::i18n::{Lang, ids};

/// The app's catalogue (and the command line's `cli-` messages).
pub(crate) static WEB: musette_core::i18n::Catalogue = musette_core::i18n::Catalogue::new(EN, FR);

/// Messages in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

impl Tr {
    /// A message; its id when the catalogue lacks it (a test keeps that from happening).
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments (`{ $count }`).
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        self.format(id, Some(&a))
    }

    /// A message with one number argument, `$n`.
    pub fn n(&self, id: &str, n: usize) -> String {
        self.t_with(id, &[("n", FluentValue::from(n))])
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        WEB.format(self.lang, id, args)
    }

    /// "page 2 of 7".
    pub fn t_pages(&self, page: usize, pages: usize) -> String {
        self.t_with(
            "records-page",
            &[
                ("page", FluentValue::from(page)),
                ("pages", FluentValue::from(pages)),
            ],
        )
    }

    /// A month's short name (1 to 12).
    fn month(&self, m: u32) -> String {
        self.t(&format!("month-{m}"))
    }

    /// A record's date (`2019`, `2019-04`, `2019-04-14`) as people of this language write it:
    /// `Apr 2019`, `avr. 2019`, `14 Apr 2019`; anything else as it is.
    pub fn date(&self, s: &str) -> String {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
        match (parts.len(), num(0), num(1), num(2)) {
            (2, Some(y), Some(m), _) if (1..=12).contains(&m) => format!("{} {y}", self.month(m)),
            (3, Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
                format!("{d} {} {y}", self.month(m))
            }
            _ => s.to_string(),
        }
    }

    /// A moment (RFC 3339) in this machine's time zone, to the minute: `14 Apr 2019, 09:05`.
    pub fn moment(&self, rfc3339: &str) -> String {
        use chrono::{Datelike, Timelike};
        match chrono::DateTime::parse_from_rfc3339(rfc3339) {
            Ok(t) => {
                let t = t.with_timezone(&chrono::Local);
                format!(
                    "{} {} {}, {:02}:{:02}",
                    t.day(),
                    self.month(t.month()),
                    t.year(),
                    t.hour(),
                    t.minute()
                )
            }
            Err(_) => rfc3339.to_string(),
        }
    }

    /// A size in bytes, with this language's decimal mark and units (`1.5 MiB`, `1,5 Mio`).
    pub fn size(&self, n: u64) -> String {
        let units: [&str; 4] = match self.lang {
            Lang::En => ["B", "KiB", "MiB", "GiB"],
            Lang::Fr => ["o", "Kio", "Mio", "Gio"],
        };
        let mut v = n as f64;
        let mut u = 0;
        while v >= 1024.0 && u < units.len() - 1 {
            v /= 1024.0;
            u += 1;
        }
        let text = if u == 0 {
            n.to_string()
        } else {
            format!("{v:.1}")
        };
        let text = if self.lang == Lang::Fr {
            text.replace('.', ",")
        } else {
            text
        };
        format!("{text} {}", units[u])
    }

    /// A choice's label (`employment`: `emploi salarié`), the word itself when unknown.
    pub fn choice(&self, word: &str) -> String {
        let id = format!("choice-{word}");
        let out = self.t(&id);
        if out == id { word.to_string() } else { out }
    }

    /// What a change in a record's history did (`attach`: `file attached`).
    pub fn action(&self, word: &str) -> String {
        let id = format!("action-{word}");
        let out = self.t(&id);
        if out == id { word.to_string() } else { out }
    }

    /// A request's error, for a page: the vault's error in this language, the app's own
    /// messages from the catalogue, anything else as it was said.
    pub(crate) fn web_error(&self, e: &crate::WebError) -> String {
        if let Some(cause) = &e.cause {
            return self.error(cause);
        }
        if let Some(said) = &e.said {
            return said.say(self.lang);
        }
        match e.message.as_str() {
            crate::error::CSRF_STALE => self.t("error-csrf"),
            crate::error::NO_PAGE => self.t("error-no-page"),
            crate::error::LINK_USED => self.t("error-link-used"),
            other => other.to_string(),
        }
    }

    /// Why verifying found what it found, in this language: the library's message, said here,
    /// with the page's own words for the commonest reasons and their dates as the language
    /// writes them.
    pub fn reason(&self, why: &musette_core::i18n::Msg) -> String {
        use musette_core::i18n::Arg;
        let text = |name: &str| match why.arg(name) {
            Some(Arg::Text(t)) => Some(t.clone()),
            Some(Arg::Msg(m)) => Some(m.say(self.lang)),
            Some(Arg::Number(n)) => Some(n.to_string()),
            None => None,
        };
        let with =
            |id: &str, k: &str, v: &str| self.t_with(id, &[(k, FluentValue::from(v.to_string()))]);
        match why.id() {
            "validity-expired" => with(
                "verify-expired-on",
                "date",
                &self.said_value(&text("date").unwrap_or_default()),
            ),
            "validity-not-yet" => with(
                "verify-valid-from",
                "date",
                &self.said_value(&text("date").unwrap_or_default()),
            ),
            "unchecked-status" => with(
                "verify-status-online",
                "url",
                &text("url").unwrap_or_default(),
            ),
            "proof-mismatch" | "jws-mismatch" => self.t("verify-reason-mismatch"),
            _ => why.say(self.lang),
        }
    }

    /// A value a credential says: a moment (RFC 3339) as this language writes it, anything
    /// else as it is.
    pub fn said_value(&self, value: &str) -> String {
        if value.len() >= 20 && value.as_bytes().get(10) == Some(&b'T') {
            let shown = self.moment(value);
            if shown != value {
                return shown;
            }
        }
        value.to_string()
    }

    /// An error of the vault in this language, without the command line's hints (a caller on
    /// the command line adds them); errors that have no message here are given as they are.
    pub fn error(&self, e: &musette_core::Error) -> String {
        use musette_core::Error;
        let s = |v: &str| FluentValue::from(v.to_string());
        match e {
            Error::UnknownKind(kind) => self.t_with("error-unknown-kind", &[("kind", s(kind))]),
            Error::MissingField { kind, .. } => self.t(&format!("error-missing-{kind}")),
            Error::InvalidDate {
                field: Some(f),
                value,
            } => self.t_with(
                "error-invalid-date-field",
                &[("field", s(&self.field(f))), ("value", s(value))],
            ),
            Error::InvalidDate { field: None, value } => {
                self.t_with("error-invalid-date", &[("value", s(value))])
            }
            Error::EndBeforeStart { start, end } => self.t_with(
                "error-end-before-start",
                &[("start", s(&self.date(start))), ("end", s(&self.date(end)))],
            ),
            Error::NoVault(path) => self.t_with(
                "error-no-vault",
                &[("path", s(&path.display().to_string()))],
            ),
            Error::WrongPassphrase => self.t("error-wrong-passphrase"),
            Error::NoSuchRecord(id) => self.t_with("error-no-such-record", &[("id", s(id))]),
            Error::NotAChoice {
                field,
                value,
                allowed,
                ..
            } => {
                let or = if self.lang == Lang::Fr {
                    " ou "
                } else {
                    " or "
                };
                // As typed on the command line: the values themselves.
                let allowed: Vec<String> = allowed.iter().map(|a| (*a).to_string()).collect();
                let list = match allowed.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{}{or}{last}", rest.join(", "))
                    }
                    _ => allowed.join(", "),
                };
                self.t_with(
                    "error-not-a-choice",
                    &[
                        ("field", s(&self.field(field))),
                        ("allowed", s(&list)),
                        ("value", s(value.trim_matches('"'))),
                    ],
                )
            }
            Error::WrongType {
                field, want, value, ..
            } => {
                let want = self.t(&format!(
                    "error-want-{}",
                    match *want {
                        "text" => "text",
                        "JSON text" => "json",
                        "a date" => "date",
                        "a list of text" => "list",
                        _ => "id",
                    }
                ));
                self.t_with(
                    "error-wrong-type",
                    &[
                        ("field", s(&self.field(field))),
                        ("want", s(&want)),
                        ("value", s(value)),
                    ],
                )
            }
            Error::AttachmentExists { record, name } => self.t_with(
                "error-attachment-exists",
                &[("record", s(record)), ("name", s(name))],
            ),
            Error::NotAnId(input) => self.t_with("error-not-an-id", &[("input", s(input))]),
            Error::ShortId(input) => self.t_with("error-short-id", &[("input", s(input))]),
            Error::AlreadyExists(path) => self.t_with(
                "error-already-exists",
                &[("path", s(&path.display().to_string()))],
            ),
            Error::NotAVault { path, reason } => self.t_with(
                "error-not-a-vault",
                &[
                    ("path", s(&path.display().to_string())),
                    ("reason", s(reason)),
                ],
            ),
            Error::TooNew { found, supported } => self.t_with(
                "error-too-new",
                &[
                    ("found", FluentValue::from(*found)),
                    ("supported", FluentValue::from(*supported)),
                ],
            ),
            Error::WrongRecoveryKey => self.t("error-wrong-recovery-key"),
            Error::InvalidSession => self.t("error-invalid-session"),
            Error::SessionExpired => self.t("error-session-expired"),
            Error::NoSuchAttachment { record, name } => self.t_with(
                "error-no-such-attachment",
                &[("record", s(record)), ("name", s(name))],
            ),
            Error::InvalidTag(tag) => self.t_with("error-invalid-tag", &[("tag", s(tag))]),
            Error::InvalidFieldName(name) => {
                self.t_with("error-invalid-field-name", &[("name", s(name))])
            }
            Error::InvalidAttachmentName { name, max } => self.t_with(
                "error-invalid-attachment-name",
                &[("name", s(name)), ("max", FluentValue::from(*max))],
            ),
            Error::NoSuchField {
                kind,
                field,
                fields,
            } => {
                let fields: Vec<String> = fields.iter().map(|f| self.field(f)).collect();
                self.t_with(
                    "error-no-such-field",
                    &[
                        ("kind", s(&self.kind_named(kind))),
                        ("field", s(&self.field(field))),
                        ("fields", s(&fields.join(", "))),
                    ],
                )
            }
            Error::NoTerm { kind, field, .. } => self.t_with(
                "error-no-term",
                &[
                    ("kind", s(&self.kind_named(kind))),
                    ("field", s(&self.field(field))),
                ],
            ),
            Error::CosignedWhole => self.t("error-cosigned-whole"),
            Error::InField { field, source } => self.t_with(
                "error-in-field",
                &[
                    ("field", s(&self.field(field))),
                    ("why", s(&self.error(source))),
                ],
            ),
            Error::Cosign(c) => self.cosign(c),
            other => other.said(self.lang).unwrap_or_else(|| other.to_string()),
        }
    }

    /// Why a co-signing step was refused.
    fn cosign(&self, c: &musette_core::Cosign) -> String {
        use musette_core::Cosign;
        let s = |v: &str| FluentValue::from(v.to_string());
        match c {
            Cosign::NotARecommendation { id, kind, .. } => self.t_with(
                "error-cosign-not-recommendation",
                &[("id", s(id)), ("kind", s(&self.kind_named(kind)))],
            ),
            Cosign::ChangedAfterSigning(id) => {
                self.t_with("error-cosign-changed", &[("id", s(id))])
            }
            Cosign::EditedAfterSent(id) => self.t_with("error-cosign-edited", &[("id", s(id))]),
            Cosign::NotEndorsement => self.t("error-cosign-not-endorsement"),
            Cosign::NoOwnerSignature => self.t("error-cosign-unsigned"),
            Cosign::NamesYou => self.t("error-cosign-names-you"),
            Cosign::NotSignedByIssuer => self.t("error-cosign-not-issuer"),
            Cosign::NotRecommendationContent => self.t("error-cosign-content"),
            Cosign::AlreadySigned => self.t("error-cosign-already"),
            other => other.to_string(),
        }
    }

    /// A kind's name from its English name as the vault's errors give it.
    fn kind_named(&self, name: &str) -> String {
        musette_core::model::Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .map_or_else(|| name.to_string(), |k| self.kind(k))
    }

    /// A kind's name (`experience`, `expérience`).
    pub fn kind(&self, kind: musette_core::model::Kind) -> String {
        self.t(&format!("kind-{}", kind.as_str()))
    }

    /// A field's label: the catalogue's for known fields, the name itself for others.
    pub fn field(&self, name: &str) -> String {
        let id = format!("field-{name}");
        let out = self.t(&id);
        if out == id { name.to_string() } else { out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_hold_the_same_messages() {
        let mut en = ids(EN);
        let mut fr = ids(FR);
        en.sort();
        fr.sort();
        let only_en: Vec<_> = en.iter().filter(|i| !fr.contains(i)).collect();
        let only_fr: Vec<_> = fr.iter().filter(|i| !en.contains(i)).collect();
        assert!(only_en.is_empty(), "in en.ftl only: {only_en:?}");
        assert!(only_fr.is_empty(), "in fr.ftl only: {only_fr:?}");
        assert!(en.len() > 50, "{}", en.len());
        // And both parse whole, and hold every message the code names with `msg!`.
        for src in [EN, FR] {
            assert!(fluent_bundle::FluentResource::try_new(src.to_string()).is_ok());
        }
        let used = musette_core::i18n::used_ids(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        )
        .expect("the sources");
        assert!(used.len() >= 5, "{used:?}");
        let problems = WEB.problems(&used);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_vaults_refusals_are_said_in_french() {
        use musette_core::Error;
        let fr = Tr { lang: Lang::Fr };
        let cases = [
            (Error::InvalidTag("\u{7}".into()), "n'est pas une étiquette"),
            (
                Error::InvalidFieldName("Nom".into()),
                "«\u{202f}Nom\u{202f}» n'est pas un nom de champ",
            ),
            (
                Error::InvalidAttachmentName {
                    name: "../cv.pdf".into(),
                    max: 255,
                },
                "255 octets au plus",
            ),
            (
                Error::NoSuchField {
                    kind: "experience",
                    field: "salary".into(),
                    fields: vec!["title".into(), "organization".into()],
                },
                "Cette fiche (expérience) n'a pas de champ «\u{202f}salary\u{202f}»\u{202f}: ses champs sont Intitulé, Organisation",
            ),
            (
                Error::NoTerm {
                    kind: "contact",
                    article: "a",
                    field: "notes".into(),
                },
                "«\u{202f}Notes\u{202f}» de cette fiche (contact)",
            ),
            (Error::CosignedWhole, "cosignée"),
            (
                musette_core::Cosign::AlreadySigned.into(),
                "Vous avez déjà signé cette recommandation",
            ),
            (
                musette_core::Cosign::NotARecommendation {
                    id: "abcdef".into(),
                    article: "a",
                    kind: "skill",
                }
                .into(),
                "abcdef est une fiche compétence, pas une recommandation",
            ),
            (
                musette_core::Cosign::ChangedAfterSigning("abcdef".into()).into(),
                "musette recommend request abcdef",
            ),
            (
                musette_core::Cosign::NamesYou.into(),
                "vous nomme comme émetteur",
            ),
        ];
        for (e, want) in cases {
            let said = fr.error(&e);
            assert!(said.contains(want), "{said:?} lacks {want:?}");
            assert_ne!(said, e.to_string());
        }
    }

    #[test]
    fn every_kind_and_field_has_a_label() {
        for lang in Lang::ALL {
            let tr = Tr { lang };
            for kind in musette_core::model::Kind::ALL {
                assert_ne!(tr.kind(kind), format!("kind-{}", kind.as_str()));
                for f in kind.fields() {
                    assert_ne!(
                        tr.t(&format!("field-{}", f.name)),
                        format!("field-{}", f.name),
                        "{lang:?} {}",
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn zero_is_zero_in_french_too() {
        // French counts 0 as "one" (CLDR): the catalogue must say 0, not "une".
        let fr = Tr { lang: Lang::Fr };
        assert_eq!(fr.n("import-new", 0), "0 nouvelle");
        assert_eq!(fr.n("import-new", 1), "1 nouvelle");
        assert_eq!(fr.n("import-new", 3), "3 nouvelles");
        assert_eq!(fr.n("share-guild-members", 0), "aucun membre");
        assert_eq!(Tr { lang: Lang::En }.n("import-updated", 0), "0 updated");
    }

    #[test]
    fn dates_and_sizes_as_each_language_writes_them() {
        let (en, fr) = (Tr { lang: Lang::En }, Tr { lang: Lang::Fr });
        assert_eq!(en.date("2019-04"), "Apr 2019");
        assert_eq!(fr.date("2019-04"), "avr. 2019");
        assert_eq!(fr.date("2019-04-14"), "14 avr. 2019");
        assert_eq!(en.date("2019"), "2019");
        assert_eq!(en.date("2019-13"), "2019-13");
        assert_eq!(en.size(1536), "1.5 KiB");
        assert_eq!(fr.size(1536), "1,5 Kio");
        assert_eq!(fr.size(12), "12 o");
        assert!(fr.moment("2026-11-30T10:38:50Z").contains("nov. 2026"));
        assert_eq!(fr.moment("yesterday"), "yesterday");
    }

    #[test]
    fn vault_errors_in_each_language() {
        let fr = Tr { lang: Lang::Fr };
        let e = musette_core::Error::MissingField {
            kind: "experience",
            article: "an",
            field: "title",
        };
        assert_eq!(fr.error(&e), "Une expérience a besoin d'un intitulé");
        let e = musette_core::Error::InvalidDate {
            field: Some("start".into()),
            value: "mars 2024".into(),
        };
        assert!(fr.error(&e).contains("mars 2024"), "{}", fr.error(&e));
        assert!(fr.error(&e).contains("Début"));
        let en = Tr { lang: Lang::En };
        assert!(
            en.error(&musette_core::Error::UnknownKind("experiance".into()))
                .starts_with("unknown record kind \"experiance\"")
        );
        // Refusals the library words itself, from its own catalogues, nested ones too.
        let e = musette_core::RecoveryKey::parse("abcd")
            .err()
            .expect("refused");
        assert!(
            en.error(&e).starts_with("that is not a recovery key"),
            "{e}"
        );
        assert_eq!(en.error(&e), e.to_string());
        assert!(
            fr.error(&e).starts_with("ce n'est pas une clé de secours"),
            "{}",
            fr.error(&e)
        );
        let e = musette_core::identity::public_key_from_did("did:web:example.org")
            .expect_err("refused");
        assert_eq!(
            fr.error(&e),
            "\"did:web:example.org\" n'est pas une did:key Ed25519 valable\u{202f}: elle ne commence pas par did:key:"
        );
        let e = musette_core::Error::InField {
            field: "organization".into(),
            source: Box::new(musette_core::Error::NoSuchRecord("abcdef".into())),
        };
        assert!(
            e.to_string()
                .starts_with("field organization: no record with id abcdef")
        );
        assert!(
            fr.error(&e)
                .starts_with("Organisation\u{202f}: Il n'y a pas de fiche abcdef"),
            "{}",
            fr.error(&e)
        );
        // Damage, forgeries and input/output, worded by the library, nested messages too.
        use musette_core::i18n::{Arg, CORE, Msg};
        let core = |id: &'static str, args: Vec<(&'static str, Arg)>| Msg::new(&CORE, id, args);
        let e = musette_core::Error::Damaged {
            record: "vault".into(),
            what: core("manifest-missing", vec![]),
        };
        assert_eq!(
            e.to_string(),
            "the vault is damaged or was tampered with: the manifest (the vault's list of its records) is missing: it was deleted outside musette; run `musette doctor` for a full report"
        );
        assert_eq!(en.error(&e), e.to_string());
        assert_eq!(
            fr.error(&e),
            "le coffre est endommagé ou a été altéré\u{202f}: le manifeste (la liste des fiches du coffre) manque\u{202f}: il a été supprimé en dehors de musette\u{202f}; lancez `musette doctor` pour un rapport complet"
        );
        let e = musette_core::Error::Damaged {
            record: "abcdefgh".into(),
            what: core(
                "attachment-damaged",
                vec![
                    ("name", "\"cv.pdf\"".into()),
                    (
                        "what",
                        core("chunk-missing", vec![("n", 3u64.into())]).into(),
                    ),
                ],
            ),
        };
        assert_eq!(
            e.to_string(),
            "record abcdefgh is damaged or was tampered with: attachment \"cv.pdf\": chunk 3 is missing; run `musette doctor` for a full report"
        );
        assert!(
            fr.error(&e).starts_with(
                "la fiche abcdefgh est endommagée ou a été altérée\u{202f}: pièce jointe \"cv.pdf\"\u{202f}: le bloc 3 manque\u{202f}; "
            ),
            "{}",
            fr.error(&e)
        );
        let e =
            musette_core::Error::Forged(core("forged-no-chunks", vec![("id", "abcdefgh".into())]));
        assert_eq!(e.to_string(), "record abcdefgh came with no chunks");
        assert_eq!(
            fr.error(&e),
            "la fiche abcdefgh est arrivée sans aucun bloc"
        );
        let e = musette_core::Error::Forged(musette_core::msg!(
            WEB,
            "error-import-forged",
            why = "bad"
        ));
        assert!(
            fr.error(&e)
                .starts_with("la preuve du badge n'est pas valide (bad)")
        );
        let e = musette_core::Error::Io {
            context: core("io-write-attachment", vec![]),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(e.to_string(), "cannot write the attachment: disk full");
        assert_eq!(
            fr.error(&e),
            "impossible d'écrire la pièce jointe\u{202f}: disk full"
        );
    }

    #[test]
    fn accept_language_is_honoured() {
        assert_eq!(Lang::from_accept("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::from_accept("de-DE,en;q=0.5,fr;q=0.7"), Lang::Fr);
        assert_eq!(Lang::from_accept("de"), Lang::En);
        assert_eq!(Lang::from_accept(""), Lang::En);
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
    }
}
