//! Replicas of one vault on several devices, kept in step with the primitives sync builds on:
//! digests, summaries, a plan, sealed records merged by automerge. No network here.

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use musette_core::model::Kind;
use musette_core::replica::{Merged, plan};
use musette_core::{Edit, Filter, KdfParams, Vault};
use proptest::prelude::*;
use serde_json::{Map, Value};

const PASS: &[u8] = b"replica passphrase";

fn new_vault(dir: &std::path::Path) -> Vault {
    Vault::create(dir, PASS, KdfParams::minimum()).unwrap().0
}

fn replica_of(a: &Vault, dir: &std::path::Path) -> Vault {
    let keys = a.device_keys().unwrap();
    Vault::create_replica(
        dir,
        b"another device's passphrase",
        KdfParams::minimum(),
        &keys,
        &mut |_, _| Ok(()),
    )
    .unwrap()
    .0
}

fn fields(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

fn set(v: &mut Vault, id: &str, k: &str, val: &str) {
    let mut e = Edit::default();
    e.set.insert(k.into(), val.into());
    v.edit(id, &e).unwrap();
}

/// Records sent each way by one sync of `a` and `b`.
fn sync(a: &mut Vault, b: &mut Vault) -> (usize, usize) {
    if a.sync_digest().unwrap() == b.sync_digest().unwrap() {
        return (0, 0);
    }
    let (da, db) = (a.bucket_digests().unwrap(), b.bucket_digests().unwrap());
    let differ: Vec<usize> = (0..da.len()).filter(|i| da[*i] != db[*i]).collect();
    let (sa, sb) = (a.summaries(&differ).unwrap(), b.summaries(&differ).unwrap());
    let (pa, pb) = (plan(&sa, &sb), plan(&sb, &sa));
    for id in &pa.forget {
        a.forget_replicated(id).unwrap();
    }
    for id in &pb.forget {
        b.forget_replicated(id).unwrap();
    }
    let to_b: Vec<_> = pa
        .send
        .iter()
        .filter(|id| !pb.forget.contains(id))
        .map(|id| a.export_record(id).unwrap())
        .collect();
    let to_a: Vec<_> = pb
        .send
        .iter()
        .filter(|id| !pa.forget.contains(id))
        .map(|id| b.export_record(id).unwrap())
        .collect();
    for r in &to_b {
        b.merge_record(r).unwrap();
    }
    for r in &to_a {
        a.merge_record(r).unwrap();
    }
    (to_b.len(), to_a.len())
}

/// A record as a replica shows it: id, fields, tags, number of attachments.
type Shown = (String, Map<String, Value>, Vec<String>, usize);

fn state(v: &Vault) -> Vec<Shown> {
    let (list, damaged) = v
        .list(&Filter {
            include_deleted: true,
            ..Filter::default()
        })
        .unwrap();
    assert!(damaged.is_empty(), "{damaged:?}");
    list.iter()
        .map(|s| {
            let r = v.show(&s.id).unwrap();
            (
                r.id,
                r.state.fields,
                r.state.tags,
                r.state.attachments.len(),
            )
        })
        .collect()
}

fn assert_converged(a: &Vault, b: &Vault) {
    assert_eq!(a.sync_digest().unwrap(), b.sync_digest().unwrap());
    assert_eq!(state(a), state(b));
    assert!(a.doctor(&mut |_, _| {}).unwrap().ok());
    assert!(b.doctor(&mut |_, _| {}).unwrap().ok());
}

#[test]
fn a_replica_shares_the_identity_and_converges_in_both_directions() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let x = a
        .add(
            Kind::Experience,
            fields(&[("title", "Welder")]),
            &["cv".into()],
        )
        .unwrap()
        .id;
    let mut b = replica_of(&a, &tmp.path().join("b"));
    assert_eq!(a.owner().unwrap().did(), b.owner().unwrap().did());
    assert_ne!(a.device_id(), b.device_id());
    assert_ne!(a.sync_digest().unwrap(), b.sync_digest().unwrap());
    let y = b
        .add(Kind::Skill, fields(&[("name", "TIG")]), &[])
        .unwrap()
        .id;
    assert_eq!(sync(&mut a, &mut b), (1, 1));
    assert_converged(&a, &b);
    assert_eq!(b.show(&x).unwrap().title, "Welder");
    assert_eq!(a.show(&y).unwrap().title, "TIG");
    // Nothing to do: one digest compared, nothing sent.
    assert_eq!(sync(&mut a, &mut b), (0, 0));
    // History keeps both devices' changes.
    set(&mut b, &x, "organization", "Chantiers");
    sync(&mut a, &mut b);
    let devices: HashSet<String> = a
        .history(&x)
        .unwrap()
        .into_iter()
        .map(|h| h.device)
        .collect();
    assert_eq!(devices.len(), 2);
}

#[test]
fn concurrent_offline_edits_of_one_record_both_survive() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(Kind::Experience, fields(&[("title", "Welder")]), &[])
        .unwrap()
        .id;
    let mut b = replica_of(&a, &tmp.path().join("b"));
    sync(&mut a, &mut b);
    set(&mut a, &r, "organization", "Chantiers de l'Atlantique");
    set(&mut b, &r, "location", "Saint-Nazaire");
    // The same field on both: one value wins, the same on both.
    set(&mut a, &r, "description", "from a");
    set(&mut b, &r, "description", "from b");
    let mut tags = Edit::default();
    tags.add_tags.push("cv".into());
    b.edit(&r, &tags).unwrap();
    sync(&mut a, &mut b);
    assert_converged(&a, &b);
    let f = a.show(&r).unwrap().state;
    assert_eq!(f.fields["organization"], "Chantiers de l'Atlantique");
    assert_eq!(f.fields["location"], "Saint-Nazaire");
    assert!(f.fields["description"] == "from a" || f.fields["description"] == "from b");
    assert_eq!(f.tags, vec!["cv".to_string()]);
}

#[test]
fn a_forget_reaches_every_replica_and_is_not_undone() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(Kind::Document, fields(&[("title", "Old contract")]), &[])
        .unwrap()
        .id;
    let keep = a
        .add(Kind::Skill, fields(&[("name", "TIG")]), &[])
        .unwrap()
        .id;
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let mut c = replica_of(&a, &tmp.path().join("c"));
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    let copy = c.export_record(&r).unwrap();
    a.forget(&r).unwrap();
    // b edits it meanwhile: the forget still wins.
    set(&mut b, &r, "notes", "edited offline");
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    sync(&mut a, &mut c);
    for v in [&a, &b, &c] {
        assert!(v.show(&r).is_err());
        assert!(v.show(&keep).is_ok());
    }
    assert_converged(&a, &b);
    assert_converged(&b, &c);
    // An old copy sent again is refused.
    assert_eq!(a.merge_record(&copy).unwrap(), Merged::Forgotten);
    assert!(a.show(&r).is_err());
}

#[test]
fn attachments_replicate_and_detaching_reaches_the_other_side() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(Kind::Evidence, fields(&[("title", "Site photos")]), &[])
        .unwrap()
        .id;
    let content: Vec<u8> = (0..(2 << 20) + 123).map(|i| (i % 251) as u8).collect();
    a.attach(&r, "photos.bin", &mut &content[..], &mut |_| {})
        .unwrap();
    let mut b = replica_of(&a, &tmp.path().join("b"));
    // An attachment chunk altered, swapped, missing or beyond the last is refused, and
    // nothing is taken.
    let good = a.export_record(&r).unwrap();
    assert!(good.blobs.len() > 1);
    let mut altered = good.clone();
    altered.blobs[0].2[40] ^= 1;
    let mut swapped = good.clone();
    swapped.blobs[0].2 = good.blobs[1].2.clone();
    swapped.blobs[1].2 = good.blobs[0].2.clone();
    let mut missing = good.clone();
    missing.blobs.pop();
    let mut beyond = good.clone();
    let mut extra = beyond.blobs[0].clone();
    extra.1 = 99;
    beyond.blobs.push(extra);
    for (what, rec) in [
        ("altered", &altered),
        ("swapped", &swapped),
        ("missing", &missing),
        ("beyond", &beyond),
    ] {
        assert!(b.merge_record(rec).is_err(), "{what} was taken");
        assert!(b.show(&r).is_err(), "{what} left a record");
    }
    sync(&mut a, &mut b);
    let mut got = Vec::new();
    b.read_attachment(&r, "photos.bin", &mut got, &mut |_| {})
        .unwrap();
    assert_eq!(got, content);
    b.detach(&r, "photos.bin").unwrap();
    sync(&mut a, &mut b);
    assert!(a.show(&r).unwrap().state.attachments.is_empty());
    assert_converged(&a, &b);
}

#[test]
fn an_altered_or_foreign_record_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(Kind::Skill, fields(&[("name", "TIG")]), &[])
        .unwrap()
        .id;
    set(&mut a, &r, "level", "expert");
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let good = a.export_record(&r).unwrap();
    let before = b.sync_digest().unwrap();
    let mut flipped = good.clone();
    let last = flipped.chunks.len() - 1;
    flipped.chunks[last].2[20] ^= 1;
    let mut reordered = good.clone();
    reordered.chunks.reverse();
    let mut no_chunks = good.clone();
    no_chunks.chunks.clear();
    let mut bad_id = good.clone();
    bad_id.id = "not-an-id".into();
    let mut moved = good.clone();
    moved.id = "a".repeat(26);
    // A vault that is not a replica: its keys open nothing here.
    let stranger = new_vault(&tmp.path().join("s"));
    let mut foreign = good.clone();
    foreign.key = stranger.device_keys().unwrap().to_bytes()[16..48].to_vec();
    // A record new to a replica is taken as it came, its document not loaded: every piece
    // must still open under the vault's keys, and its header must name its chunks.
    let mut header_flipped = good.clone();
    header_flipped.header[30] ^= 1;
    let mut wrong_version = good.clone();
    wrong_version.version += 1;
    let other = a
        .add(Kind::Skill, fields(&[("name", "MIG")]), &[])
        .unwrap()
        .id;
    let mut other_header = good.clone();
    other_header.header = a.export_record(&other).unwrap().header;
    let mut header_of_other_key = a.export_record(&other).unwrap();
    header_of_other_key.id = good.id.clone();
    header_of_other_key.chunks = good.chunks.clone();
    let mut fewer_chunks = good.clone();
    fewer_chunks.chunks.pop();
    let mut stale = good.clone();
    set(&mut a, &r, "level", "master");
    stale.header = a.export_record(&r).unwrap().header;
    stale.version = a.export_record(&r).unwrap().version;
    // Sound records to carry each bad one in a batch large enough to be checked on a second
    // thread while it is written.
    let fillers: Vec<_> = (0..80)
        .map(|i| {
            let id = a
                .add(
                    Kind::Skill,
                    fields(&[("name", &format!("Filler {i}"))]),
                    &[],
                )
                .unwrap()
                .id;
            a.export_record(&id).unwrap()
        })
        .collect();
    let forgeries = [
        ("flipped", &flipped),
        ("reordered", &reordered),
        ("no chunks", &no_chunks),
        ("bad id", &bad_id),
        ("moved", &moved),
        ("foreign key", &foreign),
        ("header flipped", &header_flipped),
        ("header bound to another version", &wrong_version),
        ("another record's header", &other_header),
        ("another record's key and header", &header_of_other_key),
        ("a chunk short", &fewer_chunks),
        ("a later header on earlier chunks", &stale),
    ];
    for (what, rec) in forgeries {
        assert!(b.merge_record(rec).is_err(), "{what} was taken");
        assert_eq!(b.sync_digest().unwrap(), before, "{what} changed the vault");
        let mut batch = fillers.clone();
        batch.insert(37, rec.clone());
        assert!(
            b.merge_records(&batch).is_err(),
            "{what} was taken in a batch"
        );
        assert_eq!(
            b.sync_digest().unwrap(),
            before,
            "{what} in a batch changed the vault"
        );
    }
    // Merged leaving out what does not check out (as a sync merges): each forgery is refused
    // with why, alone, and the sound records around it are taken.
    for (i, (what, rec)) in forgeries.iter().enumerate() {
        let mut batch = fillers.clone();
        batch.insert(37, (*rec).clone());
        let results = b
            .merge_records_leaving_out(&batch, musette_core::store::Place::whole(batch.len()))
            .unwrap();
        assert_eq!(results.len(), batch.len());
        assert!(results[37].is_err(), "{what} was taken in a batch");
        let taken = if i == 0 {
            Merged::Added
        } else {
            Merged::Unchanged
        };
        for (j, r) in results.iter().enumerate().filter(|(j, _)| *j != 37) {
            assert_eq!(r.as_ref().ok(), Some(&taken), "{what}: record {j}");
        }
        assert!(b.doctor(&mut |_, _| {}).unwrap().ok(), "{what}");
    }
    assert_eq!(b.merge_records(&fillers).unwrap().len(), fillers.len());
    assert_eq!(b.merge_record(&good).unwrap(), Merged::Added);
    assert_eq!(b.merge_record(&good).unwrap(), Merged::Unchanged);
    assert!(b.doctor(&mut |_, _| {}).unwrap().ok());
}

#[test]
fn a_new_record_is_taken_without_loading_its_document_and_doctor_checks_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(
            Kind::Contact,
            fields(&[("name", "Hélène Martin")]),
            &["crew".into()],
        )
        .unwrap()
        .id;
    set(&mut a, &r, "email", "helene@example.org");
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let rec = a.export_record(&r).unwrap();
    assert_eq!(rec.chunks.len(), 2, "a snapshot and one change");
    assert_eq!(
        b.merge_records(std::slice::from_ref(&rec)).unwrap(),
        vec![Merged::Added]
    );
    // It reads as on the first device, and the contact index knows it.
    let shown = b.show(&r).unwrap();
    assert_eq!(shown.state.fields["email"], "helene@example.org");
    assert_eq!(shown.title, "Hélène Martin");
    assert_eq!(b.sync_digest().unwrap(), a.sync_digest().unwrap());
    assert!(b.doctor(&mut |_, _| {}).unwrap().ok());
    // One that comes without its header is loaded to make one: the same record.
    let mut d = replica_of(&a, &tmp.path().join("d"));
    let mut bare = rec.clone();
    bare.header.clear();
    assert_eq!(d.merge_record(&bare).unwrap(), Merged::Added);
    assert_eq!(d.show(&r).unwrap().state, shown.state);
    assert_eq!(d.sync_digest().unwrap(), a.sync_digest().unwrap());
    assert!(d.doctor(&mut |_, _| {}).unwrap().ok());
    // A device that lies about the heads is believed on arrival, but doctor finds it.
    let mut c = replica_of(&a, &tmp.path().join("c"));
    let mut lying = rec;
    lying.heads = [7; 32];
    assert_eq!(c.merge_record(&lying).unwrap(), Merged::Added);
    let report = c.doctor(&mut |_, _| {}).unwrap();
    assert!(!report.ok());
    assert!(report.problems.iter().any(|p| p.record == r), "{report:?}");
}

#[test]
fn a_chunk_swapped_for_another_devices_is_found_on_read_and_refused_by_a_new_device() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let r = a
        .add(Kind::Experience, fields(&[("title", "Welder")]), &[])
        .unwrap()
        .id;
    let mut b = replica_of(&a, &tmp.path().join("b"));
    b.merge_record(&a.export_record(&r).unwrap()).unwrap();
    // Both devices edit the record offline: each writes a chunk of the same number, each
    // opening under the record's key.
    set(&mut a, &r, "organization", "FROM_A");
    set(&mut b, &r, "organization", "FROM_B");
    let (mine, theirs) = (a.export_record(&r).unwrap(), b.export_record(&r).unwrap());
    let last = mine.chunks.len() - 1;
    assert_eq!(mine.chunks[last].0, theirs.chunks[last].0);
    assert_ne!(mine.chunks[last].2, theirs.chunks[last].2);
    // Sent with the other device's chunk in place of its own: a new device refuses it.
    let mut swapped = mine.clone();
    swapped.chunks[last] = theirs.chunks[last].clone();
    let mut c = replica_of(&a, &tmp.path().join("c"));
    let err = c.merge_record(&swapped).unwrap_err().to_string();
    assert!(err.contains("not the ones its header names"), "{err}");
    assert!(c.show(&r).is_err(), "nothing was taken");
    assert_eq!(c.merge_record(&mine).unwrap(), Merged::Added);
    assert_eq!(c.show(&r).unwrap().state.fields["organization"], "FROM_A");
    // The same swap in the file itself: found at the next read, not only by doctor.
    drop(a);
    let db = rusqlite::Connection::open(tmp.path().join("a").join("vault.db")).unwrap();
    db.execute(
        "UPDATE chunks SET data = ?1 WHERE record = ?2 AND seq = ?3",
        rusqlite::params![theirs.chunks[last].2, r, theirs.chunks[last].0 as i64],
    )
    .unwrap();
    drop(db);
    let a = Vault::open(
        &tmp.path().join("a"),
        musette_core::Unlock::Passphrase(PASS),
    )
    .unwrap();
    let err = a.show(&r).unwrap_err().to_string();
    assert!(err.contains("not the ones its header names"), "{err}");
    assert!(!a.doctor(&mut |_, _| {}).unwrap().ok());
}

#[derive(Debug, Clone)]
enum Op {
    Add(u8, String),
    Edit(u8, u8, String),
    Forget(u8, u8),
    Sync,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..2, "[a-z]{1,8}").prop_map(|(s, t)| Op::Add(s, t)),
        (0u8..2, any::<u8>(), "[a-z]{1,8}").prop_map(|(s, i, t)| Op::Edit(s, i, t)),
        (0u8..2, any::<u8>()).prop_map(|(s, i)| Op::Forget(s, i)),
        Just(Op::Sync),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever two replicas do offline, one sync each way leaves them equal.
    #[test]
    fn any_offline_history_converges(ops in proptest::collection::vec(op(), 1..25)) {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = new_vault(&tmp.path().join("a"));
        let mut b = replica_of(&a, &tmp.path().join("b"));
        for op in ops {
            let ids = |v: &Vault| v.record_ids().unwrap();
            match op {
                Op::Add(s, t) => {
                    let v = if s == 0 { &mut a } else { &mut b };
                    v.add(Kind::Skill, fields(&[("name", &t)]), &[]).unwrap();
                }
                Op::Edit(s, i, t) => {
                    let v = if s == 0 { &mut a } else { &mut b };
                    let ids = ids(v);
                    if !ids.is_empty() {
                        set(v, &ids[i as usize % ids.len()], "level", &t);
                    }
                }
                Op::Forget(s, i) => {
                    let v = if s == 0 { &mut a } else { &mut b };
                    let ids = ids(v);
                    if !ids.is_empty() {
                        v.forget(&ids[i as usize % ids.len()]).unwrap();
                    }
                }
                Op::Sync => {
                    sync(&mut a, &mut b);
                }
            }
        }
        sync(&mut a, &mut b);
        prop_assert_eq!(a.sync_digest().unwrap(), b.sync_digest().unwrap());
        prop_assert_eq!(state(&a), state(&b));
    }
}

#[test]
fn a_setting_put_back_from_an_older_copy_or_deleted_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = new_vault(&dir);
    v.set_setting("shares", &serde_json::json!(["old"]))
        .unwrap();
    let db = dir.join("vault.db");
    let old: Vec<u8> = {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row(
            "SELECT value FROM meta WHERE key = 'setting:shares'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    v.update_setting("shares", |cur| {
        assert_eq!(cur, Some(serde_json::json!(["old"])));
        Ok((serde_json::json!([]), ()))
    })
    .unwrap();
    assert_eq!(v.setting("shares").unwrap(), Some(serde_json::json!([])));
    drop(v);
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'setting:shares'",
        [&old],
    )
    .unwrap();
    let v = Vault::open(&dir, musette_core::Unlock::Passphrase(PASS)).unwrap();
    let err = v.setting("shares").unwrap_err().to_string();
    assert!(err.contains("older copy"), "{err}");
    let report = v.doctor(&mut |_, _| {}).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.what.to_string().contains("older copy")),
        "{report:?}"
    );
    c.execute("DELETE FROM meta WHERE key = 'setting:shares'", [])
        .unwrap();
    let err = v.setting("shares").unwrap_err().to_string();
    assert!(err.contains("deleted outside"), "{err}");
    // A setting added outside musette, under a name the vault never wrote, is refused too.
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('setting:peers', ?1)",
        [&old],
    )
    .unwrap();
    assert!(v.setting("peers").is_err());
    let report = v.doctor(&mut |_, _| {}).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.what.to_string().contains("outside musette")),
        "{report:?}"
    );
}

/// Contacts' names by did come from an index kept in each write's transaction; whatever
/// happens to contacts (add, edit, rm, undo, forget, a merge from another device), it says what
/// a scan of the records says.
#[test]
fn the_contact_index_follows_every_write_and_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let scan = |v: &Vault| -> std::collections::HashMap<String, String> {
        v.records_of(Kind::Contact)
            .unwrap()
            .into_iter()
            .filter_map(|(f, _)| {
                Some((
                    f.get("did")?.as_str()?.to_string(),
                    f.get("name")?.as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let check = |v: &Vault, what: &str| {
        assert_eq!(v.contact_names().unwrap(), scan(v), "after {what}");
        assert!(
            v.setting("index:contacts").unwrap().is_some(),
            "after {what}, the index is kept"
        );
    };
    let ana = a
        .add(
            Kind::Contact,
            fields(&[("name", "Ana"), ("did", "did:key:z6MkAna")]),
            &[],
        )
        .unwrap()
        .id;
    a.add(Kind::Experience, fields(&[("title", "Welder")]), &[])
        .unwrap();
    check(&a, "the first read, which builds it");
    let bob = a
        .add(
            Kind::Contact,
            fields(&[("name", "Bob"), ("did", "did:key:z6MkBob")]),
            &[],
        )
        .unwrap()
        .id;
    check(&a, "add");
    set(&mut a, &ana, "name", "Ana Martin");
    check(&a, "edit");
    a.remove(&bob, false).unwrap();
    check(&a, "rm");
    a.remove(&bob, true).unwrap();
    check(&a, "rm --undo");
    let mut edit = Edit::default();
    edit.unset.push("did".into());
    a.edit(&ana, &edit).unwrap();
    check(&a, "a did removed");
    a.forget(&bob).unwrap();
    check(&a, "forget");
    // Another device adds and renames contacts; the merge leaves the index to be built again.
    check(&b, "a replica's first read");
    sync(&mut a, &mut b);
    let cleo = b
        .add(
            Kind::Contact,
            fields(&[("name", "Cléo"), ("did", "did:key:z6MkCleo")]),
            &[],
        )
        .unwrap()
        .id;
    set(&mut b, &cleo, "name", "Cléo D.");
    sync(&mut a, &mut b);
    assert_eq!(a.contact_names().unwrap()["did:key:z6MkCleo"], "Cléo D.");
    check(&a, "a merge");
    check(&b, "a merge");
}

#[test]
fn records_merged_in_batches_sit_in_merge_order_and_the_file_keeps_its_log() {
    use musette_core::store::Place;
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    for i in 0..700 {
        a.add(
            Kind::Skill,
            fields(&[("name", &format!("Skill {i}")), ("level", "expert")]),
            &[],
        )
        .unwrap();
    }
    let dir = tmp.path().join("b");
    let mut b = replica_of(&a, &dir);
    let recs: Vec<_> = a
        .record_ids()
        .unwrap()
        .iter()
        .map(|id| a.export_record(id).unwrap())
        .collect();
    // Three batches of one merge, as a sync hands them: the first two large enough to be
    // written with a rollback journal, the last through the log.
    let mut before = 0;
    for batch in [&recs[..300], &recs[300..600], &recs[600..]] {
        let place = Place {
            before,
            len: batch.len(),
            total: recs.len(),
        };
        let merged = b.merge_records_in(batch, place).unwrap();
        assert!(merged.iter().all(|m| *m == Merged::Added));
        before += batch.len();
    }
    assert_converged(&a, &b);
    // Each batch's rows follow the batch before's, in the tables as in the merge.
    let db = rusqlite::Connection::open(musette_core::db_path(&dir)).unwrap();
    let by_rowid: Vec<String> = db
        .prepare("SELECT id FROM records ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let merged: Vec<String> = recs.iter().map(|r| r.id.clone()).collect();
    assert_eq!(by_rowid, merged);
    // The file is on its write-ahead log again, for this connection and the next.
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(
        !musette_core::db_path(&dir)
            .with_extension("db-journal")
            .exists()
    );
}

/// Text that does not compress.
fn noise(bytes: usize, seed: u64) -> String {
    let mut x = seed | 1;
    (0..bytes)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

#[test]
fn a_record_merged_past_the_limit_takes_small_changes_and_refuses_large_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let mut c = replica_of(&a, &tmp.path().join("c"));
    let id = a
        .add(Kind::Skill, fields(&[("name", "Notes")]), &[])
        .unwrap()
        .id;
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    // Each device's own change is under the limit; merged, the record is past it.
    set(&mut a, &id, "notes", &noise(7 << 20, 1));
    set(&mut b, &id, "level", &noise(7 << 20, 2));
    set(&mut c, &id, "keywords_note", &noise(7 << 20, 4));
    sync(&mut a, &mut b);
    assert_eq!(
        a.show(&id).unwrap().state.fields.len(),
        3,
        "both changes merged"
    );
    // Tidying still works: a tag.
    let mut e = Edit::default();
    e.add_tags.push("big".into());
    a.edit(&id, &e).unwrap();
    // A large change that leaves it past the limit is refused, and changes nothing.
    let mut e = Edit::default();
    e.set.insert("extra".into(), noise(2 << 20, 3).into());
    let err = a.edit(&id, &e).unwrap_err();
    assert!(err.to_string().contains("at most 24 MiB"), "{err}");
    let shown = a.show(&id).unwrap();
    assert!(!shown.state.fields.contains_key("extra"));
    assert_eq!(shown.state.fields["notes"], noise(7 << 20, 1));
    // Past the ceiling (a third device's change merged too), small changes that make it
    // larger are refused as well; removing a field still goes through.
    sync(&mut a, &mut c);
    let mut e = Edit::default();
    e.add_tags.push("bigger".into());
    assert!(a.edit(&id, &e).is_err(), "no growth past the ceiling");
    let mut e = Edit::default();
    e.unset.push("level".into());
    a.edit(&id, &e).unwrap();
    assert!(a.doctor(&mut |_, _| {}).unwrap().ok());
}
