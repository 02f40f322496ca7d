//! The library's error type. Every message says what went wrong and, where the user can act,
//! how to fix it; none ever contains a secret.

use std::path::PathBuf;

use crate::i18n::{CORE, Lang, Msg};
use crate::msg;

/// What kind of failure an [`Error`] is; the command line maps each to a documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input or usage: the user can correct the command.
    Invalid,
    /// Wrong passphrase or recovery key, no credentials, or an expired session.
    Locked,
    /// No such record or attachment.
    NotFound,
    /// Stored data failed an integrity check.
    Damaged,
    /// Anything else (I/O, the database).
    Other,
}

/// Errors from the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// There is no vault at the path.
    #[error("no vault at {}: create one with `musette init`, or point --vault / MUSETTE_VAULT at an existing vault", .0.display())]
    NoVault(PathBuf),
    /// A vault already exists where one was to be created.
    #[error("a vault already exists at {}: use it, or choose another folder with --vault", .0.display())]
    AlreadyExists(PathBuf),
    /// The path holds something that is not a musette vault.
    #[error("{} is not a musette vault ({reason}): check the --vault path", path.display())]
    NotAVault {
        /// The path given.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The vault was written by a newer musette.
    #[error(
        "this vault has format version {found}, newer than this musette understands ({supported}): upgrade musette"
    )]
    TooNew {
        /// The vault's schema version.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The passphrase did not open the vault.
    #[error(
        "wrong passphrase: try again, or set a new one with `musette recover` and your recovery key"
    )]
    WrongPassphrase,
    /// The recovery key did not open the vault.
    #[error(
        "wrong recovery key: check it against the one `musette init` printed, or your last `musette rekey` (a rekey makes the older ones stop working); letters and digits, dashes and spaces are ignored"
    )]
    WrongRecoveryKey,
    /// The session token is unknown, ended by `lock`, or malformed.
    #[error(
        "the session in MUSETTE_SESSION is not valid for this vault (locked, or from another vault): run `musette unlock` again, or unset MUSETTE_SESSION"
    )]
    InvalidSession,
    /// The session token expired.
    #[error("the session in MUSETTE_SESSION has expired: run `musette unlock` again")]
    SessionExpired,
    /// Input that breaks a rule of the record model or of a command: what, said in English
    /// here and in any language with [`Msg::say`](crate::i18n::Msg::say).
    #[error("{0}")]
    Invalid(Msg),
    /// A field's value was refused: which field, and why.
    #[error("field {field}: {source}")]
    InField {
        /// The field.
        field: String,
        /// Why its value was refused.
        source: Box<Error>,
    },
    /// A record kind that is none of musette's.
    #[error(
        "unknown record kind {0:?}: use one of contact, experience, skill, badge, evidence, recommendation, document"
    )]
    UnknownKind(String),
    /// A record without its required field.
    #[error("{article} {kind} needs a {field}: add --set {field}=…")]
    MissingField {
        /// The kind's name.
        kind: &'static str,
        /// "a" or "an".
        article: &'static str,
        /// The required field.
        field: &'static str,
    },
    /// A value that is none of a field's choices.
    #[error("field {field} of {article} {kind} must be one of {}, not {value}", allowed.join(", "))]
    NotAChoice {
        /// The kind's name.
        kind: &'static str,
        /// "a" or "an".
        article: &'static str,
        /// The field.
        field: String,
        /// What was given (as JSON).
        value: String,
        /// The choices.
        allowed: Vec<&'static str>,
    },
    /// A field's value of the wrong type.
    #[error("field {field} of {article} {kind} must be {want}, not {value}")]
    WrongType {
        /// The kind's name.
        kind: &'static str,
        /// "a" or "an".
        article: &'static str,
        /// The field.
        field: String,
        /// What it must be: `text`, `JSON text`, `a date`, `a list of text`, `a record id`.
        want: &'static str,
        /// What was given (as JSON).
        value: String,
    },
    /// An attachment name a record already has.
    #[error(
        "record {record} already has an attachment named {name:?}: detach it first, or choose another name with --name"
    )]
    AttachmentExists {
        /// The record id.
        record: String,
        /// The name.
        name: String,
    },
    /// A tag that is empty, too long or holds control or text-direction characters.
    #[error(
        "invalid tag {0:?}: a tag is 1 to 64 characters of text, without control or text-direction characters"
    )]
    InvalidTag(String),
    /// A field name musette does not accept.
    #[error(
        "invalid field name {0:?}: use lowercase letters, digits, '_' or '-', starting with a letter"
    )]
    InvalidFieldName(String),
    /// An attachment name that is not a plain file name.
    #[error(
        "invalid attachment name {name:?}: use a plain file name (no '/' or '\\', no control or invisible characters such as a right-to-left mark, no space at either end, at most {max} bytes)"
    )]
    InvalidAttachmentName {
        /// The name given.
        name: String,
        /// The most bytes a name may hold.
        max: usize,
    },
    /// A field chosen for a credential that the record does not have.
    #[error("this {kind} has no field {field}: its fields are {}", fields.join(", "))]
    NoSuchField {
        /// The record's kind.
        kind: &'static str,
        /// The field asked for.
        field: String,
        /// The fields it has.
        fields: Vec<String>,
    },
    /// A field chosen for a credential that no credential vocabulary carries.
    #[error(
        "the field {field} of {article} {kind} has no term in a credential (VC 2.0 and Open Badges 3.0 define none that carries it): leave it out of --fields; docs/credentials.md lists what each field becomes"
    )]
    NoTerm {
        /// The record's kind.
        kind: &'static str,
        /// "a" or "an".
        article: &'static str,
        /// The field.
        field: String,
    },
    /// A co-signing step refused.
    #[error(transparent)]
    Cosign(#[from] Cosign),
    /// Fields chosen from a co-signed recommendation, which is only issued whole.
    #[error("this recommendation is co-signed: it can only be issued whole, without --fields")]
    CosignedWhole,
    /// Text that is not a record id or prefix.
    #[error(
        "{0:?} is not a record id: ids are letters and digits 2-7, as `musette list` shows them"
    )]
    NotAnId(String),
    /// A record id prefix too short to name one record.
    #[error("record id {0:?} is too short: give at least 6 characters")]
    ShortId(String),
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error(
        "{}invalid date {value:?}: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-09 or 2024-09-30)",
        field.as_ref().map(|f| format!("field {f}: ")).unwrap_or_default()
    )]
    InvalidDate {
        /// The field it was given for, if any.
        field: Option<String>,
        /// What was given.
        value: String,
    },
    /// An end date before the start date.
    #[error("the end date {end} is before the start date {start}: check both")]
    EndBeforeStart {
        /// The start.
        start: String,
        /// The end.
        end: String,
    },
    /// No record matches an id or prefix.
    #[error("no record with id {0}: list records with `musette list`")]
    NoSuchRecord(String),
    /// Nothing else of that id or prefix (a received item), said with where to look.
    #[error("{0}")]
    NotFound(Msg),
    /// The record has no attachment of that name.
    #[error(
        "record {record} has no attachment named {name:?}: see its attachments with `musette show {record}`"
    )]
    NoSuchAttachment {
        /// The record id.
        record: String,
        /// The name asked for.
        name: String,
    },
    /// Stored data failed an integrity check ("the vault is damaged or was tampered with: …",
    /// in English here and in any language with [`Error::said`]).
    #[error("{}", damaged_msg(record, what))]
    Damaged {
        /// The record concerned, or `vault` for vault-wide data.
        record: String,
        /// What failed.
        what: Msg,
    },
    /// A signed file does not check out: altered, forged, or not the one expected.
    #[error("{0}")]
    Forged(Msg),
    /// An I/O error, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: Msg,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The document library refused an operation: a bug, or a document it cannot handle.
    #[error("internal error in a record's document: {0}; please report it")]
    Internal(String),
    /// A database error (a file SQLite finds damaged is said as damage).
    #[error("{}", db_message(.0))]
    Db(#[from] rusqlite::Error),
}

impl Error {
    /// The kind of failure, for exit codes.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NoVault(_)
            | Error::AlreadyExists(_)
            | Error::NotAVault { .. }
            | Error::TooNew { .. }
            | Error::Invalid(_)
            | Error::InField { .. }
            | Error::UnknownKind(_)
            | Error::MissingField { .. }
            | Error::InvalidDate { .. }
            | Error::EndBeforeStart { .. }
            | Error::NotAChoice { .. }
            | Error::WrongType { .. }
            | Error::AttachmentExists { .. }
            | Error::InvalidTag(_)
            | Error::InvalidFieldName(_)
            | Error::InvalidAttachmentName { .. }
            | Error::NoSuchField { .. }
            | Error::NoTerm { .. }
            | Error::CosignedWhole
            | Error::Cosign(_)
            | Error::NotAnId(_)
            | Error::ShortId(_) => ErrorKind::Invalid,
            Error::WrongPassphrase
            | Error::WrongRecoveryKey
            | Error::InvalidSession
            | Error::SessionExpired => ErrorKind::Locked,
            Error::NoSuchRecord(_) | Error::NoSuchAttachment { .. } | Error::NotFound(_) => {
                ErrorKind::NotFound
            }
            Error::Damaged { .. } | Error::Forged(_) => ErrorKind::Damaged,
            Error::Db(e) if is_corrupt(e) => ErrorKind::Damaged,
            Error::Io { .. } | Error::Db(_) | Error::Internal(_) => ErrorKind::Other,
        }
    }

    /// The error in `lang`, for the errors whose words this library holds in its catalogues
    /// (the others are said by the command line and the app, which know their fields).
    pub fn said(&self, lang: Lang) -> Option<String> {
        self.message().map(|m| m.say(lang))
    }

    /// The error as a message of the catalogues, for the errors whose words this library
    /// holds: it displays as the error does.
    fn message(&self) -> Option<Msg> {
        match self {
            Error::Invalid(m) | Error::Forged(m) | Error::NotFound(m) => Some(m.clone()),
            Error::Damaged { record, what } => Some(damaged_msg(record, what)),
            Error::Io { context, source } => Some(msg!(
                CORE,
                "io-failed",
                context = context.clone(),
                why = source.to_string()
            )),
            Error::Db(e) if is_corrupt(e) => {
                Some(msg!(CORE, "database-damaged", why = e.to_string()))
            }
            _ => None,
        }
    }

    /// The error as a message to put inside another: said in any language when this library
    /// holds its words, else as it displays (in English).
    pub fn to_msg(&self) -> Msg {
        self.message()
            .unwrap_or_else(|| msg!(CORE, "error-as-is", error = self.to_string()))
    }

    pub(crate) fn invalid(msg: Msg) -> Error {
        Error::Invalid(msg)
    }

    pub(crate) fn damaged(record: &str, what: Msg) -> Error {
        Error::Damaged {
            record: record.to_string(),
            what,
        }
    }

    pub(crate) fn io(context: Msg) -> impl FnOnce(std::io::Error) -> Error {
        move |source| Error::Io { context, source }
    }
}

/// Whether SQLite found the file damaged, or not a database at all.
fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn db_message(e: &rusqlite::Error) -> String {
    if is_corrupt(e) {
        msg!(CORE, "database-damaged", why = e.to_string()).to_string()
    } else {
        format!("database error: {e}")
    }
}

/// "The vault (or record …) is damaged or was tampered with: …".
fn damaged_msg(record: &str, what: &Msg) -> Msg {
    if record == "vault" {
        msg!(CORE, "damaged-vault", what = what.clone())
    } else {
        msg!(CORE, "damaged-record", record = record, what = what.clone())
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a co-signing step was refused (see `musette recommend`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Cosign {
    /// A record that is not a recommendation.
    #[error("{id} is {article} {kind}, not a recommendation: only recommendations are co-signed")]
    NotARecommendation {
        /// The record.
        id: String,
        /// "a" or "an".
        article: &'static str,
        /// Its kind.
        kind: &'static str,
    },
    /// A recommendation edited after it was signed.
    #[error(
        "recommendation {0} changed after it was signed: run `musette recommend request {0}` to sign the new text, and ask the co-signers again"
    )]
    ChangedAfterSigning(String),
    /// A co-signature for a recommendation edited since the request was sent.
    #[error(
        "recommendation {0} was edited after it was sent for co-signing, so this signature does not cover its text: run `musette recommend request {0}` again; nothing was stored"
    )]
    EditedAfterSent(String),
    /// A file whose type is not a recommendation's.
    #[error("this file is not a recommendation to co-sign (its type is not EndorsementCredential)")]
    NotEndorsement,
    /// A request without its owner's signature.
    #[error("this recommendation carries no signature of its owner: ask for a new request")]
    NoOwnerSignature,
    /// A request that names this vault's owner as its issuer.
    #[error(
        "this request names you as its issuer: a request to co-sign comes from the colleague it recommends, signed by them"
    )]
    NamesYou,
    /// A request its issuer did not sign.
    #[error("this request is not signed by its issuer: ask its owner for a new one")]
    NotSignedByIssuer,
    /// A request whose content is not a recommendation's.
    #[error(
        "this file is not a recommendation musette can co-sign: its content is not a recommendation's"
    )]
    NotRecommendationContent,
    /// A request this vault's owner signed already.
    #[error("you have already signed this recommendation")]
    AlreadySigned,
}
