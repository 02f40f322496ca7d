//! The record codec: a record as one automerge document, and back to plain data.
//!
//! The document's root holds `kind`, `created`, `updated`, `deleted`, a `fields` map (one entry a
//! field, so concurrent edits of different fields both survive and edits of one field resolve the
//! same way everywhere), a `tags` map used as a set, and an `attachments` map. Field values are
//! JSON: strings, numbers, booleans, lists and maps are stored as the matching automerge values.

use automerge::{
    AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value as AmValue,
    transaction::Transactable,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};
use crate::i18n::{CORE, Msg};
use crate::model::Kind;
use crate::msg;

/// An attachment as recorded in its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    /// Internal id of the sealed chunks.
    pub id: String,
    /// The file name shown to the user.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Number of sealed chunks.
    pub chunks: u64,
    /// Whether the last chunk is padded with zeros to a size bucket (every attachment made
    /// since padding was introduced).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub padded: bool,
}

/// A record's current state, read out of its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    /// The record's kind.
    pub kind: Kind,
    /// Its fields.
    pub fields: Map<String, Value>,
    /// Its tags, sorted.
    pub tags: Vec<String>,
    /// When it was created (RFC 3339).
    pub created: String,
    /// When it last changed (RFC 3339).
    pub updated: String,
    /// Whether it was removed (`rm`) and can be restored (`rm --undo`).
    pub deleted: bool,
    /// Its attachments, sorted by name.
    pub attachments: Vec<AttachmentInfo>,
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

type AmResult<T> = std::result::Result<T, automerge::AutomergeError>;

/// Writes a JSON value at `prop` of map `obj`, replacing what was there. Does nothing when the
/// value is already equal, so a no-op edit creates no history.
pub fn put_json(doc: &mut AutoCommit, obj: &ObjId, prop: &str, value: &Value) -> AmResult<()> {
    if get_json(doc, obj, prop)?.as_ref() == Some(value) {
        return Ok(());
    }
    match value {
        Value::Array(items) => {
            let list = doc.put_object(obj, prop, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_json(doc, &list, i, item)?;
            }
        }
        Value::Object(map) => {
            let child = doc.put_object(obj, prop, ObjType::Map)?;
            for (k, v) in map {
                put_json(doc, &child, k, v)?;
            }
        }
        scalar => doc.put(obj, prop, to_scalar(scalar))?,
    }
    Ok(())
}

fn insert_json(doc: &mut AutoCommit, list: &ObjId, index: usize, value: &Value) -> AmResult<()> {
    match value {
        Value::Array(items) => {
            let child = doc.insert_object(list, index, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_json(doc, &child, i, item)?;
            }
        }
        Value::Object(map) => {
            let child = doc.insert_object(list, index, ObjType::Map)?;
            for (k, v) in map {
                put_json(doc, &child, k, v)?;
            }
        }
        scalar => doc.insert(list, index, to_scalar(scalar))?,
    }
    Ok(())
}

fn to_scalar(value: &Value) -> ScalarValue {
    match value {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                ScalarValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                ScalarValue::Uint(u)
            } else {
                ScalarValue::F64(n.as_f64().unwrap_or(0.0))
            }
        }
        // Objects and arrays are handled by the callers.
        Value::Array(_) | Value::Object(_) => ScalarValue::Null,
    }
}

/// Reads the JSON value at `prop` of map `obj`.
pub fn get_json(doc: &AutoCommit, obj: &ObjId, prop: &str) -> AmResult<Option<Value>> {
    match doc.get(obj, prop)? {
        None => Ok(None),
        Some((value, id)) => Ok(Some(value_to_json(doc, value, &id)?)),
    }
}

fn value_to_json(doc: &AutoCommit, value: AmValue<'_>, id: &ObjId) -> AmResult<Value> {
    Ok(match value {
        AmValue::Object(ObjType::Map | ObjType::Table) => Value::Object(map_to_json(doc, id)?),
        AmValue::Object(ObjType::List) => {
            let mut items = Vec::new();
            for i in 0..doc.length(id) {
                if let Some((v, child)) = doc.get(id, i)? {
                    items.push(value_to_json(doc, v, &child)?);
                }
            }
            Value::Array(items)
        }
        AmValue::Object(ObjType::Text) => Value::String(doc.text(id)?),
        AmValue::Scalar(s) => scalar_to_json(&s),
    })
}

fn scalar_to_json(s: &ScalarValue) -> Value {
    match s {
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::Uint(u) => Value::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        ScalarValue::Counter(c) => Value::Number(i64::from(c).into()),
        ScalarValue::Timestamp(t) => Value::Number((*t).into()),
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Bytes(b) => Value::String(data_encoding::BASE64.encode(b)),
        ScalarValue::Unknown { .. } | ScalarValue::Null => Value::Null,
    }
}

/// Reads a whole map object as JSON.
pub fn map_to_json(doc: &AutoCommit, obj: &ObjId) -> AmResult<Map<String, Value>> {
    let mut out = Map::new();
    for key in doc.keys(obj) {
        if let Some((v, child)) = doc.get(obj, key.as_str())? {
            out.insert(key.clone(), value_to_json(doc, v, &child)?);
        }
    }
    Ok(out)
}

/// Finds the object at `prop` of the root, creating a map there if it is missing.
pub fn root_map(doc: &mut AutoCommit, prop: &str) -> AmResult<ObjId> {
    match doc.get(ROOT, prop)? {
        Some((AmValue::Object(ObjType::Map), id)) => Ok(id),
        _ => doc.put_object(ROOT, prop, ObjType::Map),
    }
}

fn existing_map(doc: &AutoCommit, prop: &str) -> AmResult<Option<ObjId>> {
    Ok(match doc.get(ROOT, prop)? {
        Some((AmValue::Object(ObjType::Map), id)) => Some(id),
        _ => None,
    })
}

/// Creates the document of a new record.
pub fn new_document(
    doc: &mut AutoCommit,
    kind: Kind,
    fields: &Map<String, Value>,
    tags: &[String],
    now: &str,
) -> AmResult<()> {
    doc.put(ROOT, "kind", kind.as_str())?;
    doc.put(ROOT, "created", now)?;
    doc.put(ROOT, "updated", now)?;
    doc.put(ROOT, "deleted", false)?;
    let f = doc.put_object(ROOT, "fields", ObjType::Map)?;
    for (k, v) in fields {
        put_json(doc, &f, k, v)?;
    }
    let t = doc.put_object(ROOT, "tags", ObjType::Map)?;
    for tag in tags {
        doc.put(&t, tag.as_str(), true)?;
    }
    doc.put_object(ROOT, "attachments", ObjType::Map)?;
    Ok(())
}

/// Reads a record's state out of its document. `id` names the record in errors.
pub fn read_state(doc: &AutoCommit, id: &str) -> Result<RecordState> {
    let bad = |what: Msg| Error::damaged(id, what);
    let am =
        |e: automerge::AutomergeError| bad(msg!(CORE, "document-unreadable", why = e.to_string()));
    let text = |prop: &str| -> Result<String> {
        match get_json(doc, &ROOT, prop).map_err(am)? {
            Some(Value::String(s)) => Ok(s),
            _ => Err(bad(msg!(CORE, "document-no-property", name = prop))),
        }
    };
    let kind: Kind = text("kind")?
        .parse()
        .map_err(|_| bad(msg!(CORE, "document-kind-unknown")))?;
    let fields = match existing_map(doc, "fields").map_err(am)? {
        Some(obj) => map_to_json(doc, &obj).map_err(am)?,
        None => Map::new(),
    };
    let mut tags: Vec<String> = match existing_map(doc, "tags").map_err(am)? {
        Some(obj) => doc.keys(&obj).collect(),
        None => Vec::new(),
    };
    tags.sort();
    let mut attachments = Vec::new();
    if let Some(obj) = existing_map(doc, "attachments").map_err(am)? {
        for (key, value) in map_to_json(doc, &obj).map_err(am)? {
            let info: AttachmentInfo = serde_json::from_value(value).map_err(|e| {
                bad(msg!(
                    CORE,
                    "attachment-malformed",
                    key = &key,
                    why = e.to_string()
                ))
            })?;
            attachments.push(info);
        }
    }
    attachments.sort_by(|a, b| a.name.cmp(&b.name));
    let deleted = matches!(
        get_json(doc, &ROOT, "deleted").map_err(am)?,
        Some(Value::Bool(true))
    );
    Ok(RecordState {
        kind,
        fields,
        tags,
        created: text("created")?,
        updated: text("updated")?,
        deleted,
        attachments,
    })
}

/// Sets (or with `None`, removes) fields, inside the document's open transaction.
pub fn apply_field_changes(
    doc: &mut AutoCommit,
    changes: &[(String, Option<Value>)],
) -> AmResult<()> {
    let fields = root_map(doc, "fields")?;
    for (name, value) in changes {
        match value {
            Some(v) => put_json(doc, &fields, name, v)?,
            None => {
                if doc.get(&fields, name.as_str())?.is_some() {
                    doc.delete(&fields, name.as_str())?;
                }
            }
        }
    }
    Ok(())
}

/// Adds and removes tags.
pub fn apply_tag_changes(doc: &mut AutoCommit, add: &[String], remove: &[String]) -> AmResult<()> {
    let tags = root_map(doc, "tags")?;
    for tag in add {
        if doc.get(&tags, tag.as_str())?.is_none() {
            doc.put(&tags, tag.as_str(), true)?;
        }
    }
    for tag in remove {
        if doc.get(&tags, tag.as_str())?.is_some() {
            doc.delete(&tags, tag.as_str())?;
        }
    }
    Ok(())
}

/// Records an attachment in the document.
pub fn put_attachment(doc: &mut AutoCommit, info: &AttachmentInfo) -> AmResult<()> {
    let atts = root_map(doc, "attachments")?;
    let value = serde_json::to_value(info).unwrap_or(Value::Null);
    put_json(doc, &atts, &info.id, &value)
}

/// Removes an attachment from the document.
pub fn remove_attachment(doc: &mut AutoCommit, attachment_id: &str) -> AmResult<()> {
    let atts = root_map(doc, "attachments")?;
    doc.delete(&atts, attachment_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn json_leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| Value::Number(i.into())),
            (-1e9f64..1e9).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,40}".prop_map(Value::String),
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        json_leaf().prop_recursive(3, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{1,8}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any JSON fields survive a trip through a document, a save and a load.
        #[test]
        fn codec_roundtrip(fields in prop::collection::btree_map("[a-z][a-z0-9_]{0,10}", json_value(), 0..8),
                           tags in prop::collection::btree_set("[a-zA-Z0-9 ]{1,10}", 0..4)) {
            let fields: Map<String, Value> = fields.into_iter().collect();
            let tags: Vec<String> = tags.into_iter().collect();
            let mut doc = AutoCommit::new();
            new_document(&mut doc, Kind::Skill, &fields, &tags, "2024-01-01T00:00:00Z").unwrap();
            let bytes = doc.save();
            let loaded = AutoCommit::load(&bytes).unwrap();
            let state = read_state(&loaded, "x").unwrap();
            prop_assert_eq!(state.fields, fields);
            prop_assert_eq!(state.tags, tags);
            prop_assert_eq!(state.kind, Kind::Skill);
        }

        /// Concurrent edits on two replicas merge: both sides converge, every field edited on
        /// only one side keeps that side's value, and a field edited on both takes one of them.
        #[test]
        fn concurrent_edits_merge(a in prop::collection::btree_map("[a-f]", "[a-z]{1,6}", 0..6),
                                  b in prop::collection::btree_map("[d-k]", "[a-z]{1,6}", 0..6)) {
            let mut base = AutoCommit::new();
            new_document(&mut base, Kind::Skill, &Map::new(), &[], "2024-01-01T00:00:00Z").unwrap();
            base.commit();
            let mut left = base.clone().with_actor(automerge::ActorId::from([1u8; 16]));
            let mut right = base.clone().with_actor(automerge::ActorId::from([2u8; 16]));
            let ch = |m: &std::collections::BTreeMap<String, String>| m.iter()
                .map(|(k, v)| (k.clone(), Some(Value::String(v.clone())))).collect::<Vec<_>>();
            apply_field_changes(&mut left, &ch(&a)).unwrap();
            apply_field_changes(&mut right, &ch(&b)).unwrap();
            let mut l2 = left.fork();
            l2.merge(&mut right).unwrap();
            let mut r2 = right.fork();
            r2.merge(&mut left).unwrap();
            let sl = read_state(&l2, "l").unwrap();
            let sr = read_state(&r2, "r").unwrap();
            prop_assert_eq!(&sl.fields, &sr.fields);
            for (k, v) in &a {
                if !b.contains_key(k) { prop_assert_eq!(sl.fields.get(k), Some(&Value::String(v.clone()))); }
            }
            for (k, v) in &b {
                if !a.contains_key(k) { prop_assert_eq!(sl.fields.get(k), Some(&Value::String(v.clone()))); }
                else {
                    let got = sl.fields.get(k).and_then(Value::as_str).unwrap();
                    prop_assert!(got == v || got == a[k]);
                }
            }
        }
    }
}
