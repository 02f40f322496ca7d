//! JSON-LD to RDF and RDF Dataset Canonicalization (RDFC-1.0), offline: what the
//! `eddsa-rdfc-2022` and `Ed25519Signature2020` suites sign.
//!
//! Contexts come only from [`crate::contexts`]; a document naming any other is refused as
//! [`LdError::UnknownContext`], never fetched. Like JSON-LD "safe mode", a document with terms
//! that no context defines is refused ([`LdError::Undefined`]): expansion would drop them, so a
//! signature would not cover what the reader sees.
//!
//! RDFC-1.0 is exponential in the worst case (a dataset built to poison it): documents are
//! capped in size, quads and blank nodes, and canonicalization gets a few seconds.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::{Dataset, Quad, Term};
use serde_json::Value;

use crate::contexts;

/// Largest JSON document canonicalized, in bytes.
pub const MAX_DOCUMENT: usize = 1 << 20;
/// Most quads a document may expand to.
pub const MAX_QUADS: usize = 5_000;
/// Most blank nodes a document may expand to.
pub const MAX_BLANK_NODES: usize = 200;
/// How long canonicalization may take.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// Where every term no context defines lands while looking for them.
const UNDEFINED: &str = "urn:musette:undefined:";

/// Why a document cannot be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LdError {
    /// It names a context musette does not hold (the URL): it would have to be fetched.
    UnknownContext(String),
    /// Terms that no context defines, which the signature would not cover.
    Undefined(Vec<String>),
    /// It is not valid JSON-LD, or goes beyond the limits above: why.
    Invalid(String),
}

impl std::fmt::Display for LdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LdError::UnknownContext(url) => write!(
                f,
                "it uses the JSON-LD context {url}, which musette does not hold (it never fetches one)"
            ),
            LdError::Undefined(terms) => write!(
                f,
                "{} defined in none of its contexts, so no signature covers {}: {}",
                if terms.len() == 1 {
                    "a property is"
                } else {
                    "properties are"
                },
                if terms.len() == 1 { "it" } else { "them" },
                terms.join(", ")
            ),
            LdError::Invalid(why) => write!(f, "it is not valid JSON-LD: {why}"),
        }
    }
}

/// Expands `doc` to RDF. With `catch_undefined`, a first context maps every term the others
/// leave undefined into [`UNDEFINED`], to find them (a later `@vocab` still takes over).
fn dataset(doc: &Value, catch_undefined: bool, load: Loader) -> Result<Dataset, LdError> {
    let mut doc = doc.clone();
    if catch_undefined && let Some(map) = doc.as_object_mut() {
        let mut ctx = match map.remove("@context") {
            Some(Value::Array(items)) => items,
            Some(one) => vec![one],
            None => vec![],
        };
        ctx.insert(0, serde_json::json!({ "@vocab": UNDEFINED }));
        map.insert("@context".into(), Value::Array(ctx));
    }
    let bytes = serde_json::to_vec(&doc).map_err(|e| LdError::Invalid(e.to_string()))?;
    if bytes.len() > MAX_DOCUMENT {
        return Err(LdError::Invalid(format!(
            "it is larger than {} KiB",
            MAX_DOCUMENT / 1024
        )));
    }
    let unknown: Arc<Mutex<Option<String>>> = Arc::default();
    let seen = Arc::clone(&unknown);
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(move |url, _| match load(url) {
            Some(text) => Ok(JsonLdRemoteDocument {
                document: text.as_bytes().to_vec(),
                document_url: url.to_string(),
            }),
            None => {
                if let Ok(mut slot) = seen.lock() {
                    slot.get_or_insert_with(|| url.to_string());
                }
                Err(format!("unknown context {url}").into())
            }
        });
    let mut dataset = Dataset::new();
    let mut failure = None;
    for quad in parser {
        match quad {
            Ok(quad) => {
                dataset.insert(&quad);
                if dataset.len() > MAX_QUADS {
                    return Err(LdError::Invalid(format!(
                        "it expands to more than {MAX_QUADS} statements"
                    )));
                }
            }
            Err(e) => {
                failure.get_or_insert_with(|| e.to_string());
            }
        }
    }
    if let Some(url) = unknown.lock().ok().and_then(|u| u.clone()) {
        return Err(LdError::UnknownContext(url));
    }
    if let Some(why) = failure {
        return Err(LdError::Invalid(why));
    }
    Ok(dataset)
}

fn undefined_terms(dataset: &Dataset) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut note = |iri: &str| {
        if let Some(term) = iri.strip_prefix(UNDEFINED) {
            found.insert(term.to_string());
        }
    };
    for quad in dataset.iter() {
        note(quad.predicate.as_str());
        if let oxrdf::TermRef::NamedNode(n) = quad.object {
            note(n.as_str());
        }
    }
    found.into_iter().collect()
}

/// Gives the text of the context published at a URL, or `None`.
pub type Loader = fn(&str) -> Option<Cow<'static, str>>;

/// The canonical N-Quads of `doc` (RDFC-1.0 with SHA-256), one statement per line, sorted.
pub fn canonical_nquads(doc: &Value) -> Result<String, LdError> {
    canonical_nquads_with(doc, contexts::load)
}

/// [`canonical_nquads`] with contexts from `load` (tests compare the bundled ones with the
/// published files).
pub fn canonical_nquads_with(doc: &Value, load: Loader) -> Result<String, LdError> {
    let probe = dataset(doc, true, load)?;
    let undefined = undefined_terms(&probe);
    if !undefined.is_empty() {
        return Err(LdError::Undefined(undefined));
    }
    let dataset = dataset(doc, false, load)?;
    let mut blank = std::collections::HashSet::new();
    for q in dataset.iter() {
        if let oxrdf::NamedOrBlankNodeRef::BlankNode(b) = q.subject {
            blank.insert(b.as_str().to_string());
        }
        if let oxrdf::TermRef::BlankNode(b) = q.object {
            blank.insert(b.as_str().to_string());
        }
        if let oxrdf::GraphNameRef::BlankNode(b) = q.graph_name {
            blank.insert(b.as_str().to_string());
        }
    }
    if blank.len() > MAX_BLANK_NODES {
        return Err(LdError::Invalid(format!(
            "it holds more than {MAX_BLANK_NODES} anonymous nodes"
        )));
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut dataset = dataset;
        dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
            hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
        });
        let mut lines: Vec<String> = dataset.iter().map(|q| line(&q.into_owned())).collect();
        lines.sort();
        let _ = tx.send(lines.concat());
    });
    rx.recv_timeout(TIME_LIMIT).map_err(|_| {
        LdError::Invalid(format!(
            "canonicalizing it takes more than {} seconds (a document built to exhaust verifiers)",
            TIME_LIMIT.as_secs()
        ))
    })
}

/// One quad in canonical N-Quads.
fn line(quad: &Quad) -> String {
    let object = match &quad.object {
        Term::Literal(l) => literal(l),
        other => other.to_string(),
    };
    match &quad.graph_name {
        oxrdf::GraphName::DefaultGraph => {
            format!("{} {} {object} .\n", quad.subject, quad.predicate)
        }
        g => format!("{} {} {object} {g} .\n", quad.subject, quad.predicate),
    }
}

/// A literal as RDFC-1.0's canonical N-Quads writes it: only `"`, `\`, and the control
/// characters are escaped (`\b \t \n \f \r` by name, others as `\u00XX`).
fn literal(l: &oxrdf::Literal) -> String {
    let mut out = String::with_capacity(l.value().len() + 2);
    out.push('"');
    for c in l.value().chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    if let Some(lang) = l.language() {
        out.push('@');
        out.push_str(lang);
    } else if l.datatype() != oxrdf::vocab::xsd::STRING {
        out.push_str("^^<");
        out.push_str(l.datatype().as_str());
        out.push('>');
    }
    out
}
