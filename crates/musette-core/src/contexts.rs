//! JSON-LD contexts, offline. Verifying a credential signed over RDF (eddsa-rdfc-2022,
//! Ed25519Signature2020) expands it with the contexts it names; musette never fetches one.
//!
//! The W3C contexts come as published, from the `ssi-contexts` crate. No crate ships the Open
//! Badges 3.0 contexts, so they are kept here as term tables written from the specification:
//! one row per term (the type it is scoped to, the term, its IRI, its value type, its
//! container). `ld::tests` checks that each table expands every vector and real badge exactly as
//! the published file does.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

/// The Open Badges 3.0 vocabulary.
const OB: &str = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
/// schema.org.
const SDO: &str = "https://schema.org/";
/// XML Schema datatypes.
const XS: &str = "https://www.w3.org/2001/XMLSchema#";

/// `(scope, term, IRI, value type, container)`: `scope` is the type whose scoped context holds
/// the term ("" for the top level). `ob:`, `sdo:` and `xs:` abbreviate the vocabularies above;
/// anything else is written as the context writes it.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Open Badges 3.0, context 3.0.3 (the current one), every scope `@protected`.
#[rustfmt::skip]
const OB_3_0_3: &[Row] = &[
    ("", "OpenBadgeCredential", "ob:OpenBadgeCredential", "", ""),
    ("", "Achievement", "ob:Achievement", "", ""),
    ("Achievement", "achievementType", "ob:achievementType", "", ""),
    ("Achievement", "alignment", "ob:alignment", "", "@set"),
    ("Achievement", "creator", "ob:creator", "", ""),
    ("Achievement", "creditsAvailable", "ob:creditsAvailable", "xs:float", ""),
    ("Achievement", "criteria", "ob:Criteria", "@id", ""),
    ("Achievement", "fieldOfStudy", "ob:fieldOfStudy", "", ""),
    ("Achievement", "humanCode", "ob:humanCode", "", ""),
    ("Achievement", "image", "ob:image", "@id", ""),
    ("Achievement", "otherIdentifier", "ob:otherIdentifier", "", "@set"),
    ("Achievement", "related", "ob:related", "", "@set"),
    ("Achievement", "resultDescription", "ob:resultDescription", "", "@set"),
    ("Achievement", "specialization", "ob:specialization", "", ""),
    ("Achievement", "tag", "sdo:keywords", "", "@set"),
    ("Achievement", "version", "ob:version", "", ""),
    ("Achievement", "inLanguage", "sdo:inLanguage", "", ""),
    ("", "AchievementCredential", "OpenBadgeCredential", "", ""),
    ("", "AchievementSubject", "ob:AchievementSubject", "", ""),
    ("AchievementSubject", "achievement", "ob:achievement", "", ""),
    ("AchievementSubject", "activityEndDate", "ob:activityEndDate", "xs:date", ""),
    ("AchievementSubject", "activityStartDate", "ob:activityStartDate", "xs:date", ""),
    ("AchievementSubject", "creditsEarned", "ob:creditsEarned", "xs:float", ""),
    ("AchievementSubject", "identifier", "ob:identifier", "", "@set"),
    ("AchievementSubject", "image", "ob:image", "@id", ""),
    ("AchievementSubject", "licenseNumber", "ob:licenseNumber", "", ""),
    ("AchievementSubject", "result", "ob:result", "", "@set"),
    ("AchievementSubject", "role", "ob:role", "", ""),
    ("AchievementSubject", "source", "ob:source", "@id", ""),
    ("AchievementSubject", "term", "ob:term", "", ""),
    ("", "Address", "ob:Address", "", ""),
    ("Address", "addressCountry", "sdo:addressCountry", "", ""),
    ("Address", "addressCountryCode", "ob:CountryCode", "", ""),
    ("Address", "addressLocality", "sdo:addressLocality", "", ""),
    ("Address", "addressRegion", "sdo:addressRegion", "", ""),
    ("Address", "geo", "ob:GeoCoordinates", "", ""),
    ("Address", "postOfficeBoxNumber", "sdo:postOfficeBoxNumber", "", ""),
    ("Address", "postalCode", "sdo:postalCode", "", ""),
    ("Address", "streetAddress", "sdo:streetAddress", "", ""),
    ("", "Alignment", "sdo:AlignmentObject", "", ""),
    ("Alignment", "targetCode", "ob:targetCode", "", ""),
    ("Alignment", "targetDescription", "sdo:targetDescription", "", ""),
    ("Alignment", "targetFramework", "sdo:targetFramework", "", ""),
    ("Alignment", "targetName", "sdo:targetName", "", ""),
    ("Alignment", "targetType", "ob:targetType", "", ""),
    ("Alignment", "targetUrl", "sdo:targetUrl", "xs:anyURI", ""),
    ("", "Criteria", "ob:Criteria", "", ""),
    ("", "EndorsementCredential", "ob:EndorsementCredential", "", ""),
    ("", "EndorsementSubject", "ob:EndorsementSubject", "", ""),
    ("EndorsementSubject", "endorsementComment", "ob:endorsementComment", "", ""),
    ("", "Evidence", "ob:Evidence", "", ""),
    ("Evidence", "audience", "sdo:audience", "", ""),
    ("Evidence", "genre", "sdo:genre", "", ""),
    ("", "GeoCoordinates", "ob:GeoCoordinates", "", ""),
    ("GeoCoordinates", "latitude", "sdo:latitude", "", ""),
    ("GeoCoordinates", "longitude", "sdo:longitude", "", ""),
    ("", "IdentifierEntry", "ob:IdentifierEntry", "", ""),
    ("IdentifierEntry", "identifier", "ob:identifier", "", ""),
    ("IdentifierEntry", "identifierType", "ob:identifierType", "", ""),
    ("", "IdentityObject", "ob:IdentityObject", "", ""),
    ("IdentityObject", "hashed", "ob:hashed", "xs:boolean", ""),
    ("IdentityObject", "identityHash", "ob:identityHash", "", ""),
    ("IdentityObject", "identityType", "ob:identityType", "", ""),
    ("IdentityObject", "salt", "ob:salt", "", ""),
    ("", "Image", "ob:Image", "", ""),
    ("Image", "caption", "sdo:caption", "", ""),
    ("", "Profile", "ob:Profile", "", ""),
    ("Profile", "additionalName", "sdo:additionalName", "", ""),
    ("Profile", "address", "ob:address", "@id", ""),
    ("Profile", "dateOfBirth", "ob:dateOfBirth", "xs:date", ""),
    ("Profile", "email", "sdo:email", "", ""),
    ("Profile", "familyName", "sdo:familyName", "", ""),
    ("Profile", "familyNamePrefix", "ob:familyNamePrefix", "", ""),
    ("Profile", "givenName", "sdo:givenName", "", ""),
    ("Profile", "honorificPrefix", "sdo:honorificPrefix", "", ""),
    ("Profile", "honorificSuffix", "sdo:honorificSuffix", "", ""),
    ("Profile", "image", "ob:image", "@id", ""),
    ("Profile", "otherIdentifier", "ob:otherIdentifier", "", "@set"),
    ("Profile", "parentOrg", "ob:parentOrg", "@id", ""),
    ("Profile", "patronymicName", "ob:patronymicName", "", ""),
    ("Profile", "phone", "ob:phone", "", ""),
    ("Profile", "official", "ob:official", "", ""),
    ("", "Related", "ob:Related", "", ""),
    ("Related", "version", "ob:version", "", ""),
    ("Related", "inLanguage", "sdo:inLanguage", "", ""),
    ("", "Result", "ob:Result", "", ""),
    ("Result", "achievedLevel", "ob:achievedLevel", "xs:anyURI", ""),
    ("Result", "resultDescription", "ob:resultDescription", "xs:anyURI", ""),
    ("Result", "status", "ob:status", "", ""),
    ("Result", "value", "sdo:value", "", ""),
    ("", "ResultDescription", "ob:ResultDescription", "", ""),
    ("ResultDescription", "allowedValue", "ob:allowedValue", "", "@list"),
    ("ResultDescription", "requiredLevel", "ob:requiredLevel", "xs:anyURI", ""),
    ("ResultDescription", "requiredValue", "ob:requiredValue", "", ""),
    ("ResultDescription", "resultType", "ob:resultType", "", ""),
    ("ResultDescription", "rubricCriterionLevel", "ob:rubricCriterionLevel", "", "@set"),
    ("ResultDescription", "valueMax", "ob:valueMax", "", ""),
    ("ResultDescription", "valueMin", "ob:valueMin", "", ""),
    ("", "RubricCriterionLevel", "ob:RubricCriterionLevel", "", ""),
    ("RubricCriterionLevel", "level", "ob:level", "", ""),
    ("RubricCriterionLevel", "points", "ob:points", "", ""),
    ("", "alignment", "ob:alignment", "", "@set"),
    ("", "description", "sdo:description", "", ""),
    ("", "endorsement", "ob:endorsement", "", "@set"),
    ("", "image", "ob:image", "@id", ""),
    ("", "inLanguage", "sdo:inLanguage", "", ""),
    ("", "name", "sdo:name", "", ""),
    ("", "narrative", "ob:narrative", "", ""),
    ("", "url", "sdo:url", "xs:anyURI", ""),
    ("", "awardedDate", "ob:awardedDate", "xsd:dateTime", ""),
];

/// Open Badges 3.0 before its final release (`context.json`): no `@protected`, strings typed
/// `xsd:string`, a few IRIs that later changed.
#[rustfmt::skip]
const OB_PRERELEASE: &[Row] = &[
    ("", "xsd", "xs:", "", ""),
    ("", "OpenBadgeCredential", "ob:OpenBadgeCredential", "", ""),
    ("", "Achievement", "ob:Achievement", "", ""),
    ("Achievement", "achievementType", "ob:achievementType", "xs:string", ""),
    ("Achievement", "alignment", "ob:alignment", "ob:Alignment", "@set"),
    ("Achievement", "creator", "ob:Profile", "", ""),
    ("Achievement", "creditsAvailable", "ob:creditsAvailable", "xs:float", ""),
    ("Achievement", "criteria", "ob:Criteria", "@id", ""),
    ("Achievement", "fieldOfStudy", "ob:fieldOfStudy", "xs:string", ""),
    ("Achievement", "humanCode", "ob:humanCode", "xs:string", ""),
    ("Achievement", "otherIdentifier", "ob:otherIdentifier", "ob:IdentifierEntry", "@set"),
    ("Achievement", "related", "ob:related", "ob:Related", "@set"),
    ("Achievement", "resultDescription", "ob:resultDescription", "ob:ResultDescription", "@set"),
    ("Achievement", "specialization", "ob:specialization", "xs:string", ""),
    ("Achievement", "tag", "sdo:keywords", "xs:string", "@set"),
    ("Achievement", "version", "ob:version", "xs:string", ""),
    ("", "AchievementCredential", "OpenBadgeCredential", "", ""),
    ("", "AchievementSubject", "ob:AchievementSubject", "", ""),
    ("AchievementSubject", "achievement", "ob:Achievement", "", ""),
    ("AchievementSubject", "activityEndDate", "ob:activityEndDate", "xs:date", ""),
    ("AchievementSubject", "activityStartDate", "ob:activityStartDate", "xs:date", ""),
    ("AchievementSubject", "creditsEarned", "ob:creditsEarned", "xs:float", ""),
    ("AchievementSubject", "identifier", "ob:identifier", "ob:IdentityObject", "@set"),
    ("AchievementSubject", "licenseNumber", "ob:licenseNumber", "xs:string", ""),
    ("AchievementSubject", "result", "ob:result", "ob:Result", "@set"),
    ("AchievementSubject", "role", "ob:role", "xs:string", ""),
    ("AchievementSubject", "source", "ob:source", "ob:Profile", ""),
    ("AchievementSubject", "term", "ob:term", "xs:string", ""),
    ("", "Address", "ob:Address", "", ""),
    ("Address", "addressCountry", "sdo:addressCountry", "xs:string", ""),
    ("Address", "addressCountryCode", "ob:CountryCode", "xs:string", ""),
    ("Address", "addressLocality", "sdo:addressLocality", "xs:string", ""),
    ("Address", "addressRegion", "sdo:addressRegion", "xs:string", ""),
    ("Address", "geo", "ob:GeoCoordinates", "", ""),
    ("Address", "postOfficeBoxNumber", "sdo:postOfficeBoxNumber", "xs:string", ""),
    ("Address", "postalCode", "sdo:postalCode", "xs:string", ""),
    ("Address", "streetAddress", "sdo:streetAddress", "xs:string", ""),
    ("", "Alignment", "sdo:Alignment", "", ""),
    ("Alignment", "targetCode", "ob:targetCode", "xs:string", ""),
    ("Alignment", "targetDescription", "sdo:targetDescription", "xs:string", ""),
    ("Alignment", "targetFramework", "sdo:targetFramework", "xs:string", ""),
    ("Alignment", "targetName", "sdo:targetName", "xs:string", ""),
    ("Alignment", "targetType", "ob:targetType", "xs:string", ""),
    ("Alignment", "targetUrl", "sdo:targetUrl", "xs:anyURI", ""),
    ("", "Criteria", "ob:Criteria", "", ""),
    ("", "EndorsementCredential", "ob:EndorsementCredential", "", ""),
    ("", "EndorsementSubject", "ob:EndorsementSubject", "", ""),
    ("EndorsementSubject", "endorsementComment", "ob:endorsementComment", "xs:string", ""),
    ("", "Evidence", "ob:Evidence", "", ""),
    ("Evidence", "audience", "sdo:audience", "xs:string", ""),
    ("Evidence", "genre", "sdo:genre", "xs:string", ""),
    ("", "GeoCoordinates", "ob:GeoCoordinates", "", ""),
    ("GeoCoordinates", "latitude", "sdo:latitude", "xs:string", ""),
    ("GeoCoordinates", "longitude", "sdo:longitude", "xs:string", ""),
    ("", "IdentifierEntry", "ob:IdentifierEntry", "", ""),
    ("IdentifierEntry", "identifier", "ob:identifier", "xs:string", ""),
    ("IdentifierEntry", "identifierType", "ob:identifierType", "xs:string", ""),
    ("", "IdentityObject", "ob:IdentityObject", "", ""),
    ("IdentityObject", "hashed", "ob:hashed", "xs:boolean", ""),
    ("IdentityObject", "identityHash", "ob:identityHash", "xs:string", ""),
    ("IdentityObject", "identityType", "ob:identityType", "xs:string", ""),
    ("IdentityObject", "salt", "ob:salt", "xs:string", ""),
    ("", "Image", "ob:Image", "", ""),
    ("Image", "caption", "sdo:caption", "xs:string", ""),
    ("", "Profile", "ob:Profile", "", ""),
    ("Profile", "additionalName", "sdo:additionalName", "xs:string", ""),
    ("Profile", "address", "ob:Address", "", ""),
    ("Profile", "dateOfBirth", "ob:dateOfBirth", "xs:date", ""),
    ("Profile", "email", "sdo:email", "xs:string", ""),
    ("Profile", "familyName", "sdo:familyName", "xs:string", ""),
    ("Profile", "familyNamePrefix", "ob:familyNamePrefix", "xs:string", ""),
    ("Profile", "givenName", "sdo:givenName", "xs:string", ""),
    ("Profile", "honorificPrefix", "sdo:honorificPrefix", "xs:string", ""),
    ("Profile", "honorificSuffix", "sdo:honorificSuffix", "xs:string", ""),
    ("Profile", "otherIdentifier", "ob:otherIdentifier", "ob:IdentifierEntry", "@set"),
    ("Profile", "parentOrg", "ob:parentOrg", "xs:string", ""),
    ("Profile", "patronymicName", "ob:patronymicName", "xs:string", ""),
    ("Profile", "phone", "ob:PhoneNumber", "xs:string", ""),
    ("Profile", "official", "ob:official", "xs:string", ""),
    ("", "Related", "ob:Related", "", ""),
    ("Related", "version", "ob:version", "xs:string", ""),
    ("", "Result", "ob:Result", "", ""),
    ("Result", "achievedLevel", "ob:achievedLevel", "xs:anyURI", ""),
    ("Result", "resultDescription", "ob:resultDescription", "xs:anyURI", ""),
    ("Result", "status", "ob:status", "xs:string", ""),
    ("Result", "value", "sdo:value", "xs:string", ""),
    ("", "ResultDescription", "ob:ResultDescription", "", ""),
    ("ResultDescription", "allowedValue", "ob:allowedValue", "xs:string", "@set"),
    ("ResultDescription", "requiredLevel", "ob:requiredLevel", "xs:anyURI", ""),
    ("ResultDescription", "requiredValue", "ob:requiredValue", "xs:string", ""),
    ("ResultDescription", "resultType", "ob:resultType", "xs:string", ""),
    ("ResultDescription", "rubricCriterionLevel", "ob:rubricCriterionLevel", "ob:RubricCriterionLevel", "@set"),
    ("ResultDescription", "valueMax", "ob:valueMax", "xs:string", ""),
    ("ResultDescription", "valueMin", "ob:valueMin", "xs:string", ""),
    ("", "RubricCriterionLevel", "ob:RubricCriterionLevel", "", ""),
    ("RubricCriterionLevel", "level", "ob:level", "xs:string", ""),
    ("RubricCriterionLevel", "points", "ob:points", "xs:string", ""),
    ("", "alignment", "ob:alignment", "ob:Alignment", "@set"),
    ("", "description", "sdo:description", "xs:string", ""),
    ("", "endorsement", "ob:endorsement", "ob:EndorsementCredential", "@set"),
    ("", "image", "ob:image", "ob:Image", ""),
    ("", "name", "sdo:name", "xs:string", ""),
    ("", "narrative", "ob:narrative", "xs:string", ""),
    ("", "url", "sdo:url", "xs:anyURI", ""),
];

/// Open Badges 3.0 context 3.0.2: 3.0.3 without `inLanguage` and `awardedDate`, and with the
/// image and achievement IRIs it had then.
fn ob_3_0_2(row: &Row) -> Option<Row> {
    let (scope, term, _, ty, container) = *row;
    match term {
        "inLanguage" | "awardedDate" => None,
        "image" => Some((scope, term, "ob:Image", ty, container)),
        "achievement" if scope == "AchievementSubject" => {
            Some((scope, term, "ob:achievement-0", ty, container))
        }
        _ => Some(*row),
    }
}

/// The 1EdTech extensions context (credential status, refresh and schema validators).
#[rustfmt::skip]
const OB_EXTENSIONS: &[Row] = &[
    ("", "1EdTechJsonSchemaValidator2019", "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019", "", ""),
    ("", "1EdTechRevocationList", "https://purl.imsglobal.org/spec/vcrl/v1p0/context.json#1EdTechRevocationList", "", ""),
    ("", "1EdTechCredentialRefresh", "https://purl.imsglobal.org/spec/vccr/v1p0/context.json#1EdTechCredentialRefresh", "", ""),
];

fn expand(short: &str) -> Cow<'static, str> {
    for (prefix, full) in [("ob:", OB), ("sdo:", SDO), ("xs:", XS)] {
        if let Some(rest) = short.strip_prefix(prefix) {
            return Cow::Owned(format!("{full}{rest}"));
        }
    }
    Cow::Owned(short.to_string())
}

/// Builds a context document from a table. `protected` marks every scope `@protected` and
/// gives each scope its own `id`/`type` aliases, as the 3.0.x contexts do.
fn build(rows: impl Iterator<Item = Row>, protected: bool) -> String {
    let aliases = |map: &mut Map<String, Value>| {
        if protected {
            map.insert("@protected".into(), json!(true));
        }
        map.insert("id".into(), json!("@id"));
        map.insert("type".into(), json!("@type"));
    };
    let mut top = Map::new();
    aliases(&mut top);
    for (scope, term, iri, ty, container) in rows {
        let mut def = Map::new();
        if iri.starts_with('@') {
            def.insert("@id".into(), json!(iri));
        } else {
            def.insert("@id".into(), json!(expand(iri)));
        }
        if !ty.is_empty() {
            let ty = if ty.starts_with('@') {
                Cow::Owned(ty.to_string())
            } else {
                expand(ty)
            };
            def.insert("@type".into(), json!(ty));
        }
        if !container.is_empty() {
            def.insert("@container".into(), json!(container));
        }
        if scope.is_empty() {
            // A term defined twice keeps its scoped context: merge, never replace.
            match top.get_mut(term) {
                Some(Value::Object(existing)) => existing.extend(def),
                _ => {
                    top.insert(term.into(), Value::Object(def));
                }
            }
        } else {
            let holder = top
                .entry(scope.to_string())
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("a scope is an object");
            let inner = holder
                .entry("@context")
                .or_insert_with(|| {
                    let mut m = Map::new();
                    if protected {
                        aliases(&mut m);
                    }
                    Value::Object(m)
                })
                .as_object_mut()
                .expect("a scoped context is an object");
            inner.insert(term.into(), Value::Object(def));
        }
    }
    json!({ "@context": top }).to_string()
}

fn cached(cell: &'static OnceLock<String>, make: impl FnOnce() -> String) -> Cow<'static, str> {
    Cow::Borrowed(cell.get_or_init(make).as_str())
}

/// The context published at `url`, when musette knows it; `None` for any other.
pub fn load(url: &str) -> Option<Cow<'static, str>> {
    static V303: OnceLock<String> = OnceLock::new();
    static V302: OnceLock<String> = OnceLock::new();
    static PRE: OnceLock<String> = OnceLock::new();
    static EXT: OnceLock<String> = OnceLock::new();
    use ssi_contexts as w3c;
    let published = match url {
        "https://www.w3.org/2018/credentials/v1" => w3c::CREDENTIALS_V1,
        "https://www.w3.org/ns/credentials/v2" => w3c::CREDENTIALS_V2,
        "https://www.w3.org/2018/credentials/examples/v1" => w3c::CREDENTIALS_EXAMPLES_V1,
        "https://www.w3.org/ns/credentials/examples/v2" => w3c::CREDENTIALS_EXAMPLES_V2,
        "https://w3id.org/security/data-integrity/v1" => w3c::W3ID_DATA_INTEGRITY_V1,
        "https://w3id.org/security/data-integrity/v2" => w3c::W3ID_DATA_INTEGRITY_V2,
        "https://w3id.org/security/multikey/v1" => w3c::W3ID_MULTIKEY_V1,
        "https://w3id.org/security/suites/ed25519-2020/v1" => w3c::W3ID_ED2020_V1,
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" => {
            return Some(cached(&V303, || build(OB_3_0_3.iter().copied(), true)));
        }
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json" => {
            return Some(cached(&V302, || {
                build(OB_3_0_3.iter().filter_map(ob_3_0_2), true)
            }));
        }
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json" => {
            return Some(cached(&PRE, || build(OB_PRERELEASE.iter().copied(), false)));
        }
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json" => {
            return Some(cached(&EXT, || build(OB_EXTENSIONS.iter().copied(), false)));
        }
        _ => return None,
    };
    Some(Cow::Borrowed(published))
}
