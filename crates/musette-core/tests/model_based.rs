//! A model-based property test of the vault: random sequences of operations run against a vault
//! and against a plain in-memory model, which must agree after every step and after reopening.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use musette_core::model::Kind;
use musette_core::{Edit, Filter, KdfParams, Unlock, Vault};
use proptest::prelude::*;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
enum Op {
    Add(String),
    Set(usize, String, String),
    Unset(usize, String),
    Tag(usize, String),
    Remove(usize),
    Undo(usize),
    Forget(usize),
    Attach(usize, Vec<u8>),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    let field = prop_oneof![
        Just("level".to_string()),
        Just("notes".to_string()),
        Just("extra".to_string())
    ];
    prop_oneof![
        "[a-z]{1,12}".prop_map(Op::Add),
        (any::<usize>(), field.clone(), ".{0,30}").prop_map(|(i, f, v)| Op::Set(i, f, v)),
        (any::<usize>(), field).prop_map(|(i, f)| Op::Unset(i, f)),
        (any::<usize>(), "[a-z]{1,6}").prop_map(|(i, t)| Op::Tag(i, t)),
        any::<usize>().prop_map(Op::Remove),
        any::<usize>().prop_map(Op::Undo),
        any::<usize>().prop_map(Op::Forget),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 0..3000))
            .prop_map(|(i, b)| Op::Attach(i, b)),
        Just(Op::Reopen),
    ]
}

#[derive(Debug, Clone, Default)]
struct Model {
    fields: Map<String, Value>,
    tags: Vec<String>,
    deleted: bool,
    attachments: BTreeMap<String, Vec<u8>>,
}

const PASS: &[u8] = b"model based passphrase";

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn vault_agrees_with_a_model(ops in prop::collection::vec(op(), 1..40)) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        let kdf = KdfParams::minimum();
        let (mut vault, _) = Vault::create(&dir, PASS, kdf).unwrap();
        let mut model: BTreeMap<String, Model> = BTreeMap::new();
        let pick = |model: &BTreeMap<String, Model>, i: usize| model.keys().nth(i % model.len().max(1)).cloned();
        for op in ops {
            match op {
                Op::Add(name) => {
                    let mut fields = Map::new();
                    fields.insert("name".into(), Value::String(name));
                    let id = vault.add(Kind::Skill, fields.clone(), &[]).unwrap().id;
                    model.insert(id, Model { fields, ..Model::default() });
                }
                Op::Set(i, f, v) => if let Some(id) = pick(&model, i) {
                    let mut e = Edit::default();
                    e.set.insert(f.clone(), Value::String(v.clone()));
                    vault.edit(&id, &e).unwrap();
                    model.get_mut(&id).unwrap().fields.insert(f, Value::String(v));
                },
                Op::Unset(i, f) => if let Some(id) = pick(&model, i) {
                    vault.edit(&id, &Edit { unset: vec![f.clone()], ..Edit::default() }).unwrap();
                    model.get_mut(&id).unwrap().fields.shift_remove(&f);
                },
                Op::Tag(i, t) => if let Some(id) = pick(&model, i) {
                    vault.edit(&id, &Edit { add_tags: vec![t.clone()], ..Edit::default() }).unwrap();
                    let m = model.get_mut(&id).unwrap();
                    if !m.tags.contains(&t) { m.tags.push(t); m.tags.sort(); }
                },
                Op::Remove(i) => if let Some(id) = pick(&model, i) {
                    vault.remove(&id, false).unwrap();
                    model.get_mut(&id).unwrap().deleted = true;
                },
                Op::Undo(i) => if let Some(id) = pick(&model, i) {
                    vault.remove(&id, true).unwrap();
                    model.get_mut(&id).unwrap().deleted = false;
                },
                Op::Forget(i) => if let Some(id) = pick(&model, i) {
                    vault.forget(&id).unwrap();
                    model.remove(&id);
                },
                Op::Attach(i, bytes) => if let Some(id) = pick(&model, i) {
                    let name = format!("file{}.bin", model[&id].attachments.len());
                    vault.attach(&id, &name, &mut bytes.as_slice(), &mut |_| {}).unwrap();
                    model.get_mut(&id).unwrap().attachments.insert(name, bytes);
                },
                Op::Reopen => {
                    drop(vault);
                    vault = Vault::open(&dir, Unlock::Passphrase(PASS)).unwrap();
                }
            }
            // The vault and the model agree.
            let all = vault.list(&Filter { include_deleted: true, ..Filter::default() }).unwrap();
            prop_assert!(all.1.is_empty());
            let listed: Vec<&str> = all.0.iter().map(|s| s.id.as_str()).collect();
            let mut expected: Vec<&str> = model.keys().map(String::as_str).collect();
            let mut got = listed.clone();
            got.sort();
            expected.sort();
            prop_assert_eq!(got, expected);
            let visible = vault.list(&Filter::default()).unwrap().0.len();
            prop_assert_eq!(visible, model.values().filter(|m| !m.deleted).count());
            for (id, m) in &model {
                let r = vault.show(id).unwrap();
                prop_assert_eq!(&r.state.fields, &m.fields);
                prop_assert_eq!(&r.state.tags, &m.tags);
                prop_assert_eq!(r.state.deleted, m.deleted);
                prop_assert_eq!(r.state.attachments.len(), m.attachments.len());
                for (name, bytes) in &m.attachments {
                    let mut out = Vec::new();
                    vault.read_attachment(id, name, &mut out, &mut |_| {}).unwrap();
                    prop_assert_eq!(&out, bytes);
                }
            }
        }
        let report = vault.doctor(&mut |_, _| ()).unwrap();
        prop_assert!(report.ok(), "doctor: {:?}", report.problems);
    }
}
