//! Device syncs over in-memory streams: convergence, the cost of a sync with nothing to do,
//! and hostile peers (another owner, garbage, a message out of turn, a record not announced).

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use musette_core::model::Kind;
use musette_core::{Edit, KdfParams, Vault};
use musette_sync::cert;
use musette_sync::session::{self, SyncError};
use musette_sync::wire::{self, Message};
use serde_json::{Map, Value};

fn vault(dir: &std::path::Path) -> Vault {
    Vault::create(dir, b"session passphrase", KdfParams::minimum())
        .unwrap()
        .0
}

fn replica(a: &Vault, dir: &std::path::Path) -> Vault {
    Vault::create_replica(
        dir,
        b"other passphrase",
        KdfParams::minimum(),
        &a.device_keys().unwrap(),
        &mut |_, _| Ok(()),
    )
    .unwrap()
    .0
}

fn skill(v: &mut Vault, name: &str) -> String {
    let mut f = Map::new();
    f.insert("name".into(), Value::String(name.into()));
    v.add(Kind::Skill, f, &[]).unwrap().id
}

/// A device: its vault and certificate (with a made-up endpoint id).
fn device(v: Vault, endpoint: u8) -> (Arc<Mutex<Vault>>, wire::DeviceCert, String) {
    let c = cert::issue(&v, [endpoint; 32], "test device").unwrap();
    let did = v.owner().unwrap().did().to_string();
    (Arc::new(Mutex::new(v)), c, did)
}

/// How `a` and `b` check each other's certificate: signed by the owner, for the other's endpoint.
#[allow(clippy::type_complexity)]
fn checks(
    a: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
    b: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
) -> (
    impl Fn(&wire::DeviceCert) -> Result<(), String> + Send + 'static,
    impl Fn(&wire::DeviceCert) -> Result<(), String> + Send + 'static,
) {
    let hash = a.0.lock().unwrap().vault_hash();
    let epoch = a.0.lock().unwrap().key_epoch();
    let (did_a, did_b) = (a.2.clone(), b.2.clone());
    let (ea, eb) = (a.1.endpoint, b.1.endpoint);
    (
        move |c: &wire::DeviceCert| {
            cert::verify(c, &did_a, &hash, &epoch, &eb).map_err(|e| e.to_string())
        },
        move |c: &wire::DeviceCert| {
            cert::verify(c, &did_b, &hash, &epoch, &ea).map_err(|e| e.to_string())
        },
    )
}

async fn pair(
    a: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
    b: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
) -> (
    Result<session::Outcome, SyncError>,
    Result<session::Outcome, SyncError>,
) {
    let (x, y) = tokio::io::duplex(1 << 16);
    let (mut xr, mut xw) = tokio::io::split(x);
    let (mut yr, mut yw) = tokio::io::split(y);
    let (check_a, check_b) = checks(a, b);
    tokio::join!(
        session::run(a.0.clone(), true, a.1.clone(), check_a, &mut xw, &mut xr),
        session::run(b.0.clone(), false, b.1.clone(), check_b, &mut yw, &mut yr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_converge_and_a_second_sync_costs_a_few_hundred_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    for i in 0..300 {
        skill(&mut a, &format!("skill {i}"));
    }
    let mut b = replica(&a, &tmp.path().join("b"));
    let shared = skill(&mut b, "from b");
    let (a, b) = (device(a, 1), device(b, 2));
    let (ra, rb) = pair(&a, &b).await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!((ra.records_sent, ra.records_received), (300, 1));
    assert_eq!((rb.records_sent, rb.records_received), (1, 300));
    let digest = |d: &(Arc<Mutex<Vault>>, wire::DeviceCert, String)| {
        d.0.lock().unwrap().sync_digest().unwrap()
    };
    assert_eq!(digest(&a), digest(&b));
    // Nothing to do: a hello each way and the end.
    let (ra, rb) = pair(&a, &b).await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.records_sent + rb.records_sent, 0);
    assert!(ra.bytes_sent < 1024 && ra.bytes_received < 1024, "{ra:?}");
    // One field edited: a few KiB at most.
    let mut e = Edit::default();
    e.set.insert("level".into(), "expert".into());
    a.0.lock().unwrap().edit(&shared, &e).unwrap();
    let (ra, rb) = pair(&a, &b).await;
    let (ra, _rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.records_sent, 1);
    eprintln!(
        "one edit: {} bytes sent, {} received",
        ra.bytes_sent, ra.bytes_received
    );
    assert_eq!(digest(&a), digest(&b));
    assert_eq!(
        b.0.lock().unwrap().show(&shared).unwrap().state.fields["level"],
        "expert"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_of_another_owner_is_refused_and_learns_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    skill(&mut a, "secret skill");
    let b = replica(&a, &tmp.path().join("b"));
    let (a, b) = (device(a, 1), device(b, 2));
    // A stranger's vault presents its own certificate with b's vault hash faked: its
    // signature is by another did.
    let stranger = vault(&tmp.path().join("s"));
    let mut fake = cert::issue(&stranger, [2; 32], "intruder").unwrap();
    fake.device = b.1.device.clone();
    let b_fake = (b.0.clone(), fake, b.2.clone());
    let (ra, rb) = pair(&a, &b_fake).await;
    assert!(matches!(ra, Err(SyncError::Refusing(_))), "{ra:?}");
    assert!(rb.is_err());
    assert_ne!(
        a.0.lock().unwrap().sync_digest().unwrap(),
        b.0.lock().unwrap().sync_digest().unwrap(),
        "nothing was exchanged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_and_messages_out_of_turn_end_the_exchange() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    skill(&mut a, "one");
    let a = device(a, 1);
    let before = a.0.lock().unwrap().sync_digest().unwrap();
    let hash = a.0.lock().unwrap().vault_hash();
    let epoch = a.0.lock().unwrap().key_epoch();
    for script in [
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        {
            let mut v = wire::encode(&Message::Done).unwrap();
            v[3..7].copy_from_slice(&(1u32 << 30).to_be_bytes());
            v
        },
        wire::encode(&Message::Done).unwrap(),
        wire::encode(&Message::Groups(vec![[0; 8]; 16])).unwrap(),
        {
            // A valid hello from a stranger, then the same hello again (replayed).
            let s = vault(&tmp.path().join(format!("s{}", rand_suffix())));
            let c = cert::issue(&s, [2; 32], "x").unwrap();
            let mut v = wire::encode(&Message::Hello {
                vault: hash,
                cert: c.clone(),
                digest: [0; 32],
            })
            .unwrap();
            v.extend(
                wire::encode(&Message::Hello {
                    vault: hash,
                    cert: c,
                    digest: [0; 32],
                })
                .unwrap(),
            );
            v
        },
    ] {
        let (x, mut y) = tokio::io::duplex(1 << 16);
        let (mut xr, mut xw) = tokio::io::split(x);
        tokio::io::AsyncWriteExt::write_all(&mut y, &script)
            .await
            .unwrap();
        drop(y);
        let did = a.2.clone();
        let r = session::run(
            a.0.clone(),
            false,
            a.1.clone(),
            move |c| cert::verify(c, &did, &hash, &epoch, &[2; 32]).map_err(|e| e.to_string()),
            &mut xw,
            &mut xr,
        )
        .await;
        assert!(r.is_err(), "{script:?} was taken");
        assert_eq!(a.0.lock().unwrap().sync_digest().unwrap(), before);
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// Bytes that do not compress, made quickly.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_with_70_mib_of_attachments_travels_in_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    let big = skill(&mut a, "Site video");
    let small = skill(&mut a, "Small one");
    let video = noise(70 << 20);
    a.attach(&big, "video.bin", &mut &video[..], &mut |_| {})
        .unwrap();
    a.attach(&small, "note.txt", &mut &b"a short note"[..], &mut |_| {})
        .unwrap();
    let b = replica(&a, &tmp.path().join("b"));
    let (a, b) = (device(a, 1), device(b, 2));
    let (ra, rb) = pair(&a, &b).await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(ra.too_large.is_empty(), "{ra:?}");
    assert_eq!((ra.records_sent, rb.records_received), (2, 2));
    let vb = b.0.lock().unwrap();
    let mut got = Vec::new();
    vb.read_attachment(&big, "video.bin", &mut got, &mut |_| {})
        .unwrap();
    assert!(got == video, "the 70 MiB attachment arrived whole");
    assert!(vb.doctor(&mut |_, _| {}).unwrap().problems.is_empty());
    assert_eq!(
        vb.sync_digest().unwrap(),
        a.0.lock().unwrap().sync_digest().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_guilds_and_shares_reach_every_device_and_removals_hold() {
    use musette_sync::node::Ticket;
    use musette_sync::{peers, share};
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    let x = skill(&mut a, "Joinery");
    let b = replica(&a, &tmp.path().join("b"));
    let employer = vault(&tmp.path().join("e"));
    let ticket = Ticket {
        did: employer.owner().unwrap().did().to_string(),
        endpoint: [9; 32],
        addrs: vec![],
    };
    peers::add_peer(&mut a, "acme", &ticket).unwrap();
    peers::create_guild(&mut a, "crew").unwrap();
    peers::guild_member(&mut a, "crew", "acme", true).unwrap();
    let (t, _) = share::target_named(&a, "acme").unwrap();
    share::share(&mut a, &x, &t, None).unwrap();
    let (a, b) = (device(a, 1), device(b, 2));
    let (ra, rb) = pair(&a, &b).await;
    ra.unwrap();
    rb.unwrap();
    {
        let vb = b.0.lock().unwrap();
        assert_eq!(peers::peers(&vb).unwrap()[0].name, "acme");
        assert_eq!(peers::guilds(&vb).unwrap()[0].members.len(), 1);
        assert_eq!(share::shares(&vb).unwrap().len(), 1);
    }
    // Nothing changed: a few hundred bytes, whatever was merged.
    let (ra, _) = pair(&a, &b).await;
    let ra = ra.unwrap();
    assert!(ra.bytes_sent + ra.bytes_received < 1024, "{ra:?}");
    // Removed on one device, removed on both; a change on the other after it survives.
    peers::delete_guild(&mut b.0.lock().unwrap(), "crew").unwrap();
    let (ra, _) = pair(&a, &b).await;
    ra.unwrap();
    assert!(peers::guilds(&a.0.lock().unwrap()).unwrap().is_empty());
    assert!(
        share::shares(&a.0.lock().unwrap())
            .unwrap()
            .iter()
            .all(|s| !s.revoked),
        "the share to acme itself stands"
    );
    peers::remove_peer(&mut a.0.lock().unwrap(), "acme").unwrap();
    let (ra, _) = pair(&a, &b).await;
    ra.unwrap();
    assert!(peers::peers(&b.0.lock().unwrap()).unwrap().is_empty());
    assert!(
        share::shares(&b.0.lock().unwrap())
            .unwrap()
            .iter()
            .all(|s| s.revoked)
    );
    let (da, db) = (
        musette_sync::replicate::digest(
            &musette_sync::replicate::read(&a.0.lock().unwrap()).unwrap(),
        ),
        musette_sync::replicate::digest(
            &musette_sync::replicate::read(&b.0.lock().unwrap()).unwrap(),
        ),
    );
    assert_eq!(da, db);
}

/// Swaps the headers of two records in a vault's file (as someone with the file could).
fn swap_headers(dir: &std::path::Path, x: &str, y: &str) {
    let db = rusqlite::Connection::open(musette_core::db_path(dir)).unwrap();
    let get = |id: &str| -> Vec<u8> {
        db.query_row("SELECT header FROM records WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let (hx, hy) = (get(x), get(y));
    db.execute(
        "UPDATE records SET header = ?1 WHERE id = ?2",
        rusqlite::params![hy, x],
    )
    .unwrap();
    db.execute(
        "UPDATE records SET header = ?1 WHERE id = ?2",
        rusqlite::params![hx, y],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_damaged_on_either_side_stay_behind_and_the_others_travel() {
    // Each device holds records the other lacks, two of them damaged (their headers swapped
    // in the file): those are left out and said, promptly, and the healthy ones still go.
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    let mut b = replica(&a, &tmp.path().join("b"));
    let (a1, a2, a3) = (
        skill(&mut a, "a one"),
        skill(&mut a, "a two"),
        skill(&mut a, "a three"),
    );
    let (b1, b2, b3) = (
        skill(&mut b, "b one"),
        skill(&mut b, "b two"),
        skill(&mut b, "b three"),
    );
    drop((a, b));
    swap_headers(&tmp.path().join("a"), &a1, &a2);
    swap_headers(&tmp.path().join("b"), &b1, &b2);
    let open = |d: &str, pass: &[u8]| {
        Vault::open(&tmp.path().join(d), musette_core::Unlock::Passphrase(pass)).unwrap()
    };
    let a = device(open("a", b"session passphrase"), 1);
    let b = device(open("b", b"other passphrase"), 2);
    let (ra, rb) = tokio::time::timeout(std::time::Duration::from_secs(20), pair(&a, &b))
        .await
        .expect("both ended on their own");
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(ra.damaged.clone()),
        sorted(vec![a1.clone(), a2.clone()])
    );
    assert_eq!(
        sorted(rb.damaged.clone()),
        sorted(vec![b1.clone(), b2.clone()])
    );
    assert_eq!((ra.records_sent, rb.records_sent), (1, 1));
    let (va, vb) = (a.0.lock().unwrap(), b.0.lock().unwrap());
    assert!(vb.show(&a3).is_ok() && va.show(&b3).is_ok());
    for id in [&a1, &a2] {
        assert!(vb.show(id).is_err(), "a damaged record travelled");
    }
    for id in [&b1, &b2] {
        assert!(va.show(id).is_err(), "a damaged record travelled");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_the_receiver_refuses_are_left_out_and_the_others_are_taken() {
    // Damage the sender does not see (it checks headers, not chunks): a record's later chunk
    // deleted, another's chunk bytes changed. The receiver refuses each, names it, and takes
    // the rest, in batches small and large; nothing of the refused ones is stored.
    for fillers in [3usize, 100] {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = vault(&tmp.path().join("a"));
        let b = replica(&a, &tmp.path().join("b"));
        let cut = skill(&mut a, "cut");
        a.edit(&cut, &{
            let mut e = Edit::default();
            e.set.insert("level".into(), "expert".into());
            e
        })
        .unwrap();
        let flipped = skill(&mut a, "flipped");
        let good: Vec<String> = (0..fillers)
            .map(|i| skill(&mut a, &format!("good {i}")))
            .collect();
        drop(a);
        {
            let db =
                rusqlite::Connection::open(musette_core::db_path(&tmp.path().join("a"))).unwrap();
            let n = db
                .execute(
                    "DELETE FROM chunks WHERE record = ?1 AND seq = (SELECT max(seq) FROM chunks WHERE record = ?1)",
                    [&cut],
                )
                .unwrap();
            assert_eq!(n, 1);
            let data: Vec<u8> = db
                .query_row(
                    "SELECT data FROM chunks WHERE record = ?1",
                    [&flipped],
                    |r| r.get(0),
                )
                .unwrap();
            let mut data = data;
            let mid = data.len() / 2;
            data[mid] ^= 1;
            db.execute(
                "UPDATE chunks SET data = ?1 WHERE record = ?2",
                rusqlite::params![data, flipped],
            )
            .unwrap();
        }
        let a = device(
            Vault::open(
                &tmp.path().join("a"),
                musette_core::Unlock::Passphrase(b"session passphrase"),
            )
            .unwrap(),
            1,
        );
        let b = device(b, 2);
        let (ra, rb) = tokio::time::timeout(std::time::Duration::from_secs(30), pair(&a, &b))
            .await
            .expect("both ended on their own");
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(rb.records_received, fillers, "{rb:?}");
        let mut left: Vec<&str> = rb
            .left_out
            .iter()
            .map(|w| w.split(':').next().unwrap())
            .collect();
        left.sort_unstable();
        let mut want = vec![cut.as_str(), flipped.as_str()];
        want.sort_unstable();
        assert_eq!(left, want, "{:?}", rb.left_out);
        assert!(ra.left_out.is_empty());
        {
            let vb = b.0.lock().unwrap();
            for id in &good {
                assert!(vb.show(id).is_ok());
            }
            for id in [&cut, &flipped] {
                assert!(vb.show(id).is_err(), "{id} was stored");
            }
            assert!(vb.doctor(&mut |_, _| {}).unwrap().ok());
        }
        // The next sync sends them again, and leaves them out again: nothing else to do.
        let (_, rb) = pair(&a, &b).await;
        let rb = rb.unwrap();
        assert_eq!((rb.records_received, rb.left_out.len()), (0, 2));
    }
}

/// What a relay between two devices does to the first record it carries.
#[derive(Clone, Copy, Debug)]
enum Tamper {
    /// Carries it twice.
    Twice,
    /// Carries it under another record id, one never announced.
    Unannounced,
}

/// Runs a sync from `a` to `b` through a relay that tampers with the first record `a` sends;
/// returns `b`'s outcome.
async fn through_relay(
    a: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
    b: &(Arc<Mutex<Vault>>, wire::DeviceCert, String),
    tamper: Tamper,
) -> Result<session::Outcome, SyncError> {
    let (x, relay_a) = tokio::io::duplex(1 << 16);
    let (y, relay_b) = tokio::io::duplex(1 << 16);
    let (mut xr, mut xw) = tokio::io::split(x);
    let (mut yr, mut yw) = tokio::io::split(y);
    let (mut from_a, mut to_a) = tokio::io::split(relay_a);
    let (mut from_b, mut to_b) = tokio::io::split(relay_b);
    let (check_a, check_b) = checks(a, b);
    let forward_a = async move {
        let mut tampered = false;
        while let Ok((m, _)) = wire::read(&mut from_a).await {
            let frames = match m {
                Message::Record(r) if !tampered => {
                    tampered = true;
                    match tamper {
                        Tamper::Twice => vec![Message::Record(r.clone()), Message::Record(r)],
                        Tamper::Unannounced => {
                            let mut other = r;
                            let last = other.id.pop().unwrap();
                            other.id.push(if last == 'a' { 'b' } else { 'a' });
                            vec![Message::Record(other)]
                        }
                    }
                }
                m => vec![m],
            };
            for f in frames {
                if wire::write(&mut to_b, &f).await.is_err() {
                    return;
                }
            }
            let _ = tokio::io::AsyncWriteExt::flush(&mut to_b).await;
        }
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut to_b).await;
    };
    let forward_b = async move {
        let _ = tokio::io::copy(&mut from_b, &mut to_a).await;
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut to_a).await;
    };
    // Each side's streams end with its session, as a connection would: the relay, writing
    // to a side that stopped reading, then fails instead of waiting.
    let (va, ca, vb, cb) = (a.0.clone(), a.1.clone(), b.0.clone(), b.1.clone());
    let (_, rb, _, _) = tokio::join!(
        async move {
            let r = session::run(va, true, ca, check_a, &mut xw, &mut xr).await;
            drop((xw, xr));
            r
        },
        async move {
            let r = session::run(vb, false, cb, check_b, &mut yw, &mut yr).await;
            drop((yw, yr));
            r
        },
        forward_a,
        forward_b,
    );
    rb
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_sent_twice_or_never_announced_ends_the_sync_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    for i in 0..100 {
        skill(&mut a, &format!("skill {i}"));
    }
    let b = replica(&a, &tmp.path().join("b"));
    let (a, b) = (device(a, 1), device(b, 2));
    let digest = |d: &(Arc<Mutex<Vault>>, wire::DeviceCert, String)| {
        d.0.lock().unwrap().sync_digest().unwrap()
    };
    let empty = digest(&b);
    for tamper in [Tamper::Twice, Tamper::Unannounced] {
        let r = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            through_relay(&a, &b, tamper),
        )
        .await
        .expect("the sync ends by itself");
        assert!(
            matches!(&r, Err(SyncError::Protocol(w)) if w.contains("not announced, or came twice")),
            "{tamper:?}: {r:?}"
        );
        // The records that came before it were not merged either: nothing changed.
        assert_eq!(digest(&b), empty, "{tamper:?}");
        assert!(b.0.lock().unwrap().record_ids().unwrap().is_empty());
    }
    // Untampered, the same two devices converge.
    let (ra, rb) = pair(&a, &b).await;
    assert_eq!(rb.unwrap().records_received, 100);
    ra.unwrap();
    assert_eq!(digest(&a), digest(&b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_lists_of_shares_on_both_sides_cross_without_waiting_on_each_other() {
    use musette_sync::node::Ticket;
    use musette_sync::{peers, share};
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    let mut b = replica(&a, &tmp.path().join("b"));
    let employer = vault(&tmp.path().join("e"));
    let ticket = Ticket {
        did: employer.owner().unwrap().did().to_string(),
        endpoint: [9; 32],
        addrs: vec![],
    };
    // Each device shares its own record, of 300 KB: each side's list of shares is far more
    // than the stream holds in flight (64 KiB here).
    for (v, name) in [(&mut a, "Joinery"), (&mut b, "Welding")] {
        peers::add_peer(v, "acme", &ticket).unwrap();
        let mut f = Map::new();
        f.insert("name".into(), name.into());
        f.insert("notes".into(), name.repeat(50_000).into());
        let id = v.add(Kind::Skill, f, &[]).unwrap().id;
        let (t, _) = share::target_named(v, "acme").unwrap();
        share::share(v, &id, &t, None).unwrap();
    }
    let (a, b) = (device(a, 1), device(b, 2));
    let (ra, rb) = tokio::time::timeout(std::time::Duration::from_secs(60), pair(&a, &b))
        .await
        .expect("the exchange ends");
    ra.unwrap();
    rb.unwrap();
    for v in [&a, &b] {
        assert_eq!(share::shares(&v.0.lock().unwrap()).unwrap().len(), 2);
    }
}
