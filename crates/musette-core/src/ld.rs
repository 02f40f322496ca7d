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
use crate::i18n::{CORE, Msg};
use crate::msg;

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
/// What relative IRIs resolve against while looking for them (JSON-LD drops them otherwise).
const RELATIVE: &str = "https://relative.musette.invalid/";
/// Most contexts a document may name.
pub const MAX_CONTEXTS: usize = 16;
/// Most anonymous nodes that look alike (the same statements around them): RDFC-1.0 tries
/// every order of such a group, so a group of 12 is 479 million orders.
pub const MAX_ALIKE: usize = 6;

/// Why a document cannot be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LdError {
    /// It names a context musette does not hold (the URL): it would have to be fetched.
    UnknownContext(String),
    /// Terms that no context defines, which the signature would not cover.
    Undefined(Vec<String>),
    /// It is not valid JSON-LD: why.
    Invalid(String),
    /// It goes beyond the limits above (size, statements, look-alike nodes, time): which.
    Limit(Msg),
}

impl LdError {
    /// Why, as a message (its English is the error's `Display`).
    pub fn msg(&self) -> Msg {
        match self {
            LdError::UnknownContext(url) => msg!(CORE, "ld-unknown-context", url = url),
            LdError::Undefined(terms) => msg!(
                CORE,
                "ld-undefined",
                terms = terms.join(", "),
                n = terms.len()
            ),
            LdError::Invalid(why) => msg!(CORE, "ld-invalid", why = why),
            LdError::Limit(what) => msg!(CORE, "ld-limit", what = what.clone()),
        }
    }
}

impl std::fmt::Display for LdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.msg().fmt(f)
    }
}

/// Messages joined by `; ` (in the language each is said in), or `None` when there are none.
pub fn joined(problems: Vec<Msg>) -> Option<Msg> {
    problems
        .into_iter()
        .rev()
        .reduce(|rest, first| msg!(CORE, "list-semicolon", first = first, rest = rest))
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
        ctx.insert(
            0,
            serde_json::json!({ "@vocab": UNDEFINED, "@base": RELATIVE }),
        );
        map.insert("@context".into(), Value::Array(ctx));
    }
    let bytes = serde_json::to_vec(&doc).map_err(|e| LdError::Invalid(e.to_string()))?;
    if bytes.len() > MAX_DOCUMENT {
        return Err(LdError::Limit(msg!(
            CORE,
            "ld-larger",
            kib = (MAX_DOCUMENT / 1024).to_string()
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
                    return Err(LdError::Limit(msg!(
                        CORE,
                        "ld-statements",
                        max = MAX_QUADS.to_string()
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
        } else if let Some(relative) = iri.strip_prefix(RELATIVE) {
            found.insert(format!("the relative reference {relative:?}"));
        }
    };
    for quad in dataset.iter() {
        if let oxrdf::NamedOrBlankNodeRef::NamedNode(n) = quad.subject {
            note(n.as_str());
        }
        note(quad.predicate.as_str());
        if let oxrdf::TermRef::NamedNode(n) = quad.object {
            note(n.as_str());
        }
    }
    found.into_iter().collect()
}

/// String values of `doc` that its RDF does not hold: JSON-LD drops what it cannot read (a
/// reference that is not an IRI, say), so no signature covers it. A value counts as held when a
/// literal has it, or an IRI is it or ends with it (a term or a relative reference expanded).
fn dropped_values(doc: &Value, dataset: &Dataset) -> Vec<String> {
    let mut literals = std::collections::HashSet::new();
    let mut iris = Vec::new();
    for q in dataset.iter() {
        if let oxrdf::NamedOrBlankNodeRef::NamedNode(n) = q.subject {
            iris.push(n.as_str().to_string());
        }
        match q.object {
            oxrdf::TermRef::Literal(l) => {
                literals.insert(l.value().to_string());
            }
            oxrdf::TermRef::NamedNode(n) => iris.push(n.as_str().to_string()),
            _ => {}
        }
    }
    let held = |v: &str| literals.contains(v) || iris.iter().any(|i| i == v || i.ends_with(v));
    fn walk(v: &Value, at: &str, held: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, item) in map {
                    // Types and a proof's purpose are terms the contexts map to IRIs of
                    // their own (`authentication` is `sec:authenticationMethod`).
                    if matches!(k.as_str(), "@context" | "type" | "@type" | "proofPurpose") {
                        continue;
                    }
                    walk(item, &format!("{at}/{k}"), held, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, at, held, out);
                }
            }
            Value::String(s) if !s.starts_with("_:") && !held(s) => {
                out.push(format!("the value {s:?} at {at}"));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, "", &held, &mut out);
    out.truncate(3);
    out
}

/// The size of the largest group of blank nodes with the same first-degree hash input (the
/// statements around each, itself written `_:a` and others `_:z`, as RDFC-1.0 §4.6 hashes them).
fn largest_alike_group(dataset: &Dataset) -> Option<usize> {
    use std::collections::HashMap;
    let mut around: HashMap<String, Vec<String>> = HashMap::new();
    for q in dataset.iter() {
        let nodes = [
            match q.subject {
                oxrdf::NamedOrBlankNodeRef::BlankNode(b) => Some(b.as_str()),
                _ => None,
            },
            match q.object {
                oxrdf::TermRef::BlankNode(b) => Some(b.as_str()),
                _ => None,
            },
            match q.graph_name {
                oxrdf::GraphNameRef::BlankNode(b) => Some(b.as_str()),
                _ => None,
            },
        ];
        for me in nodes.iter().flatten() {
            let name = |n: Option<&str>, shown: String| match n {
                Some(b) if b == *me => "_:a".to_string(),
                Some(_) => "_:z".to_string(),
                None => shown,
            };
            let line = format!(
                "{} {} {} {}",
                name(nodes[0], q.subject.to_string()),
                q.predicate,
                name(nodes[1], q.object.to_string()),
                name(nodes[2], q.graph_name.to_string()),
            );
            around.entry((*me).to_string()).or_default().push(line);
        }
    }
    let mut groups: HashMap<Vec<String>, usize> = HashMap::new();
    for (_, mut lines) in around {
        lines.sort();
        *groups.entry(lines).or_default() += 1;
    }
    groups.into_values().max()
}

/// What in `doc`'s shape an RDF signature cannot vouch for as musette reads it: inline or
/// nested contexts (which can redefine its words), JSON-LD keywords and IRIs used as property
/// names or types, dates and statuses given other than as plain strings. Musette shows and
/// checks a credential from its JSON; with none of these, its JSON says exactly what its
/// contexts and the signature say.
pub fn shape_problems(doc: &Value) -> Vec<Msg> {
    let mut out = Vec::new();
    match doc.get("@context") {
        Some(Value::String(_)) => {}
        Some(Value::Array(items)) => {
            if items.len() > MAX_CONTEXTS {
                out.push(msg!(CORE, "ld-contexts", max = MAX_CONTEXTS.to_string()));
            }
            if items.iter().any(|c| !c.is_string()) {
                out.push(msg!(CORE, "ld-inline-context"));
            }
        }
        _ => out.push(msg!(CORE, "ld-context-not-list")),
    }
    for key in ["validFrom", "validUntil", "issuanceDate", "expirationDate"] {
        if doc.get(key).is_some_and(|v| !v.is_string()) {
            out.push(msg!(CORE, "ld-date-not-plain", key = key));
        }
    }
    fn walk(v: &Value, at: &str, top: bool, out: &mut Vec<Msg>) {
        match v {
            Value::Object(map) => {
                for (k, item) in map {
                    let here = format!("{at}/{k}");
                    if k == "@context" {
                        // A credential embedded in another names its contexts too: by URL
                        // only (the published ones cannot redefine each other's terms).
                        let by_url = match item {
                            Value::String(_) => true,
                            Value::Array(items) => items.iter().all(Value::is_string),
                            _ => false,
                        };
                        if !top && !by_url {
                            out.push(msg!(CORE, "ld-defines-at", at = &here));
                        }
                        continue;
                    }
                    if k.starts_with('@') {
                        out.push(msg!(CORE, "ld-keyword", key = k, at = &here));
                    } else if k.contains(':') {
                        out.push(msg!(CORE, "ld-property-iri", key = k));
                    }
                    if k == "type" {
                        let types = match item {
                            Value::String(t) => vec![Some(t.as_str())],
                            Value::Array(items) => items.iter().map(Value::as_str).collect(),
                            _ => vec![None],
                        };
                        if types.iter().any(|t| t.is_none_or(|t| t.contains(':'))) {
                            out.push(msg!(CORE, "ld-type-not-term", at = &here));
                        }
                    }
                    walk(item, &here, false, out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), false, out);
                }
            }
            _ => {}
        }
    }
    walk(doc, "", true, &mut out);
    out.truncate(3);
    out
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
    let (nquads, undefined) = canonicalize_with(doc, load)?;
    if !undefined.is_empty() {
        return Err(LdError::Undefined(undefined));
    }
    Ok(nquads)
}

/// The canonical N-Quads of `doc` as JSON-LD reads it (dropping what no context defines), and
/// the terms it dropped: a verifier can then tell a signature that fails from one that holds
/// but leaves those terms uncovered.
pub fn canonicalize(doc: &Value) -> Result<(String, Vec<String>), LdError> {
    canonicalize_with(doc, contexts::load)
}

fn canonicalize_with(doc: &Value, load: Loader) -> Result<(String, Vec<String>), LdError> {
    // The proofs of a set each canonicalize the same document: once is enough.
    type Cached = (usize, [u8; 32], Result<(String, Vec<String>), LdError>);
    thread_local! {
        static LAST: std::cell::RefCell<Vec<Cached>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = crate::crypto::sha256(doc.to_string().as_bytes());
    let loader = load as usize;
    if let Some(hit) = LAST.with(|c| {
        c.borrow()
            .iter()
            .find(|(l, k, _)| *l == loader && *k == key)
            .map(|(_, _, r)| r.clone())
    }) {
        return hit;
    }
    let result = canonicalize_uncached(doc, load);
    LAST.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 4 {
            c.drain(..1);
        }
        c.push((loader, key, result.clone()));
    });
    result
}

fn canonicalize_uncached(doc: &Value, load: Loader) -> Result<(String, Vec<String>), LdError> {
    if doc
        .get("@context")
        .and_then(Value::as_array)
        .is_some_and(|c| c.len() > MAX_CONTEXTS)
    {
        return Err(LdError::Limit(msg!(
            CORE,
            "ld-contexts",
            max = MAX_CONTEXTS.to_string()
        )));
    }
    let probe = dataset(doc, true, load)?;
    let mut undefined = undefined_terms(&probe);
    undefined.extend(dropped_values(doc, &probe));
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
        return Err(LdError::Limit(msg!(
            CORE,
            "ld-blank-nodes",
            max = MAX_BLANK_NODES.to_string()
        )));
    }
    if let Some(size) = largest_alike_group(&dataset)
        && size > MAX_ALIKE
    {
        return Err(LdError::Limit(msg!(
            CORE,
            "ld-alike",
            size = size.to_string()
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
    let nquads = rx.recv_timeout(TIME_LIMIT).map_err(|_| {
        LdError::Limit(msg!(
            CORE,
            "ld-slow",
            secs = TIME_LIMIT.as_secs().to_string()
        ))
    })?;
    Ok((nquads, undefined))
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
