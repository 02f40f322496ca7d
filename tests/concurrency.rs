//! Two processes writing to the same vault, and to the same record, at once: no error, and no
//! field lost.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::TestVault;

#[test]
fn two_processes_edit_one_record_and_add_records_at_once() {
    let v = Arc::new(TestVault::new());
    let shared = v.add("experience", &["title=Shared"]);
    let n = 25;
    let workers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let v = Arc::clone(&v);
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut added = Vec::new();
                for i in 0..n {
                    v.ok(&["edit", &shared, "--set", &format!("{who}{i}={i}")]);
                    let id = v.ok(&["add", "skill", "--set", &format!("name={who}{i}")]);
                    added.push(id.trim().to_string());
                }
                added
            })
        })
        .collect();
    let added: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let shown = v.json(&["show", &shared]);
    for who in ["a", "b"] {
        for i in 0..n {
            assert_eq!(
                shown["fields"][format!("{who}{i}")],
                i.to_string(),
                "field {who}{i} was lost"
            );
        }
    }
    let ids = v.ids();
    for id in &added {
        assert!(ids.contains(id), "record {id} was lost");
    }
    assert_eq!(ids.len(), 2 * n + 1);
    v.ok(&["doctor"]);
}

#[test]
fn concurrent_changes_from_two_replicas_merge_in_one_record() {
    // Two handles on one vault: each loads the record, then both write; the second write
    // builds on the first, so both fields survive.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let kdf = musette_core::KdfParams::minimum();
    let (mut one, _) = musette_core::Vault::create(&dir, b"passphrase for test", kdf).unwrap();
    let mut two = musette_core::Vault::open(
        &dir,
        musette_core::Unlock::Passphrase(b"passphrase for test"),
    )
    .unwrap();
    let mut fields = serde_json::Map::new();
    fields.insert("name".into(), "Welding".into());
    let id = one
        .add(musette_core::model::Kind::Skill, fields, &[])
        .unwrap()
        .id;
    let _ = two.show(&id).unwrap();
    let edit = |k: &str, v: &str| {
        let mut e = musette_core::Edit::default();
        e.set.insert(k.into(), v.into());
        e
    };
    one.edit(&id, &edit("level", "expert")).unwrap();
    two.edit(&id, &edit("notes", "certified")).unwrap();
    let state = one.show(&id).unwrap().state;
    assert_eq!(state.fields["level"], "expert");
    assert_eq!(state.fields["notes"], "certified");
}
