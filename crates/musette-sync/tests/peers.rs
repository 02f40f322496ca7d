//! Exchanges between two owners over in-memory streams: shares with chosen fields (and canary
//! strings that must never travel), updates, unshare, guilds, co-signing, and hostile peers
//! (unknown, replaying, asking for what is not theirs, sending garbage).

#![allow(clippy::unwrap_used)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use musette_core::model::Kind;
use musette_core::{Edit, KdfParams, Vault};
use musette_sync::node::Ticket;
use musette_sync::peer_session::{self, Me, PeerOutcome};
use musette_sync::session::SyncError;
use musette_sync::wire::{self, Message};
use musette_sync::{cert, cosign, peers, share};
use serde_json::{Map, Value};
use tokio::io::AsyncWrite;

const CANARY_UNSHARED: &str = "CANARY-unshared-salary-7731";
const CANARY_EARLIER: &str = "CANARY-earlier-title-5519";

struct Owner {
    vault: Arc<Mutex<Vault>>,
    me: Me,
    endpoint: [u8; 32],
}

fn owner(dir: &std::path::Path, endpoint: u8) -> Owner {
    let v = Vault::create(dir, b"peer passphrase", KdfParams::minimum())
        .unwrap()
        .0;
    let cert = cert::issue_peer(&v, [endpoint; 32], "laptop").unwrap();
    let did = v.owner().unwrap().did().to_string();
    Owner {
        vault: Arc::new(Mutex::new(v)),
        me: Me { did, cert },
        endpoint: [endpoint; 32],
    }
}

fn ticket(o: &Owner) -> Ticket {
    Ticket {
        did: o.me.did.clone(),
        endpoint: o.endpoint,
        addrs: vec![],
    }
}

fn know(a: &Owner, name: &str, b: &Owner) {
    peers::add_peer(&mut a.vault.lock().unwrap(), name, &ticket(b)).unwrap();
}

/// A writer that keeps a copy of every byte written.
struct Tee<W> {
    inner: W,
    seen: Arc<Mutex<Vec<u8>>>,
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Tee<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let p = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &p {
            self.seen.lock().unwrap().extend_from_slice(&buf[..*n]);
        }
        p
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

type Res = Result<PeerOutcome, SyncError>;

/// One exchange, `a` opening; returns both outcomes and every byte `a` wrote.
async fn exchange(a: &Owner, b: &Owner) -> (Res, Res, Vec<u8>) {
    let (x, y) = tokio::io::duplex(1 << 16);
    let (mut xr, xw) = tokio::io::split(x);
    let (mut yr, mut yw) = tokio::io::split(y);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut xw = Tee {
        inner: xw,
        seen: seen.clone(),
    };
    let (ra, rb) = tokio::join!(
        peer_session::run(
            a.vault.clone(),
            true,
            a.me.clone(),
            Some(b.me.did.clone()),
            b.endpoint,
            &mut xw,
            &mut xr
        ),
        peer_session::run(
            b.vault.clone(),
            false,
            b.me.clone(),
            None,
            a.endpoint,
            &mut yw,
            &mut yr
        ),
    );
    let bytes = seen.lock().unwrap().clone();
    (ra, rb, bytes)
}

fn experience(v: &mut Vault) -> String {
    let mut f = Map::new();
    f.insert("title".into(), Value::String(CANARY_EARLIER.into()));
    f.insert("org".into(), Value::String("Atelier Dupont".into()));
    f.insert(
        "description".into(),
        Value::String(format!("private note {CANARY_UNSHARED}")),
    );
    let id = v.add(Kind::Experience, f, &[]).unwrap().id;
    set(v, &id, "title", "Cabinetmaker");
    id
}

fn set(v: &mut Vault, id: &str, k: &str, val: &str) {
    let mut e = Edit::default();
    e.set.insert(k.into(), Value::String(val.into()));
    v.edit(id, &e).unwrap();
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn received(o: &Owner) -> Vec<share::Received> {
    share::received(&o.vault.lock().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_carries_the_chosen_fields_only_then_updates_then_revocation() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("worker"), 1);
    let employer = owner(&tmp.path().join("employer"), 2);
    know(&worker, "acme", &employer);
    know(&employer, "sam", &worker);
    let id = experience(&mut worker.vault.lock().unwrap());
    // A record not shared at all.
    let other = {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("name".into(), Value::String("CANARY-other-record".into()));
        v.add(Kind::Skill, f, &[]).unwrap().id
    };
    {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "acme").unwrap();
        let fields = vec!["title".to_string(), "org".to_string()];
        share::share(&mut v, &id, &t, Some(&fields)).unwrap();
        // The share's own document, uncompressed: no canary, no record id.
        let s = share::shares(&v).unwrap().pop().unwrap();
        let doc = data_encoding::BASE64.decode(s.doc.as_bytes()).unwrap();
        let mut am = automerge::AutoCommit::load(&doc).unwrap();
        let raw = am.save_nocompress();
        for c in [CANARY_UNSHARED, CANARY_EARLIER, &id, &other] {
            assert!(!contains(&raw, c), "{c} is in the share document");
        }
    }
    let (a, b, wire_bytes) = exchange(&worker, &employer).await;
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.records_sent, b.records_received), (1, 1));
    for c in [
        CANARY_UNSHARED,
        CANARY_EARLIER,
        "CANARY-other-record",
        id.as_str(),
    ] {
        assert!(!contains(&wire_bytes, c), "{c} went over the wire");
    }
    assert!(contains(&wire_bytes, "Cabinetmaker"));
    let got = received(&employer);
    assert_eq!(got.len(), 1);
    let view = got[0].view(&share::peer_names(&employer.vault.lock().unwrap()).unwrap());
    assert_eq!(view.from, "sam");
    assert_eq!(view.title, "Cabinetmaker");
    assert!(view.verified && !view.revoked);
    assert_eq!(
        view.fields.keys().collect::<Vec<_>>(),
        vec!["org", "title"],
        "only the chosen fields"
    );

    // Nothing changed: nothing travels.
    let (a, b, _) = exchange(&employer, &worker).await;
    assert_eq!(a.unwrap().records_received + b.unwrap().records_sent, 0);

    // An edit to a shared field travels, one to an unshared field does not.
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "description",
        "CANARY-later-unshared",
    );
    let (_, b, bytes) = exchange(&worker, &employer).await;
    assert_eq!(b.unwrap().records_received, 0);
    assert!(!contains(&bytes, "CANARY-later-unshared"));
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "title",
        "Master cabinetmaker",
    );
    // Either side may open the connection.
    let (a, _, _) = exchange(&employer, &worker).await;
    assert_eq!(a.unwrap().records_received, 1);
    let got = received(&employer);
    assert_eq!(
        got[0].view(&Default::default()).title,
        "Master cabinetmaker"
    );
    assert_eq!(
        got[0].history().len(),
        2,
        "the share's own history: two versions"
    );

    // Unshare: the recipient is told, keeps what it had, marked revoked.
    {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "acme").unwrap();
        share::unshare(&mut v, &id, &t).unwrap();
    }
    let (_, b, _) = exchange(&worker, &employer).await;
    assert_eq!(b.unwrap().revoked, 1);
    let got = received(&employer);
    assert!(got[0].revoked);
    assert_eq!(
        got[0].view(&Default::default()).title,
        "Master cabinetmaker"
    );
    assert!(got[0].verified(), "what it had still verifies");
    // Later edits reach nobody.
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "title",
        "CANARY-after-unshare",
    );
    let (_, _, bytes) = exchange(&worker, &employer).await;
    assert!(!contains(&bytes, "CANARY-after-unshare"));
    // The audit log says what happened.
    let log = peers::audit_log(&worker.vault.lock().unwrap()).unwrap();
    let events: Vec<&str> = log.iter().map(|e| e.event.as_str()).collect();
    for e in ["peer-added", "shared", "sent", "unshared", "revoked-sent"] {
        assert!(events.contains(&e), "{e} missing from {events:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guild_members_added_later_receive_and_removed_ones_get_nothing_new() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let ana = owner(&tmp.path().join("ana"), 2);
    let bo = owner(&tmp.path().join("bo"), 3);
    know(&worker, "ana", &ana);
    know(&worker, "bo", &bo);
    know(&ana, "worker", &worker);
    know(&bo, "worker", &worker);
    let id = {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("name".into(), Value::String("Joinery".into()));
        let id = v.add(Kind::Skill, f, &[]).unwrap().id;
        peers::create_guild(&mut v, "guild").unwrap();
        peers::guild_member(&mut v, "guild", "ana", true).unwrap();
        let (t, _) = share::target_named(&v, "guild").unwrap();
        share::share(&mut v, &id, &t, None).unwrap();
        id
    };
    exchange(&worker, &ana).await.0.unwrap();
    exchange(&worker, &bo).await.0.unwrap();
    assert_eq!(received(&ana).len(), 1);
    assert!(received(&bo).is_empty(), "bo is not in the guild");
    // Bo joins: the guild's shares reach bo at the next sync.
    peers::guild_member(&mut worker.vault.lock().unwrap(), "guild", "bo", true).unwrap();
    exchange(&bo, &worker).await.0.unwrap();
    assert_eq!(received(&bo).len(), 1);
    // Ana leaves: she is told it is revoked, and gets nothing new.
    peers::guild_member(&mut worker.vault.lock().unwrap(), "guild", "ana", false).unwrap();
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "name",
        "CANARY-after-leaving",
    );
    let (_, b, bytes) = exchange(&worker, &ana).await;
    assert_eq!(b.unwrap().revoked, 1);
    assert!(!contains(&bytes, "CANARY-after-leaving"));
    assert!(received(&ana)[0].revoked);
    exchange(&worker, &bo).await.0.unwrap();
    assert_eq!(
        received(&bo)[0].view(&Default::default()).title,
        "CANARY-after-leaving"
    );
    // Back in the guild, ana receives again.
    peers::guild_member(&mut worker.vault.lock().unwrap(), "guild", "ana", true).unwrap();
    exchange(&worker, &ana).await.0.unwrap();
    assert!(!received(&ana)[0].revoked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_and_impostors_are_refused_learn_nothing_and_are_logged() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let stranger = owner(&tmp.path().join("s"), 2);
    know(&stranger, "worker", &worker);
    {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("name".into(), Value::String("CANARY-stranger".into()));
        let id = v.add(Kind::Skill, f, &[]).unwrap().id;
        // Shared with someone else: still nothing for the stranger.
        peers::create_guild(&mut v, "empty").unwrap();
        let (t, _) = share::target_named(&v, "empty").unwrap();
        share::share(&mut v, &id, &t, None).unwrap();
    }
    let (a, b, _) = exchange(&stranger, &worker).await;
    assert!(matches!(a, Err(SyncError::Refused(_))), "{a:?}");
    assert!(matches!(b, Err(SyncError::Refusing(_))), "{b:?}");
    assert!(received(&stranger).is_empty());
    let log = peers::audit_log(&worker.vault.lock().unwrap()).unwrap();
    assert!(
        log.iter()
            .any(|e| e.event == "refused" && e.did.as_deref() == Some(stranger.me.did.as_str()))
    );
    // Knocking again and again makes one line with a count, and pushes nothing out.
    for _ in 0..5 {
        let (a, _, _) = exchange(&stranger, &worker).await;
        assert!(a.is_err());
    }
    let after = peers::audit_log(&worker.vault.lock().unwrap()).unwrap();
    assert_eq!(after.len(), log.len(), "{after:?}");
    let refusals = peers::refusals(&worker.vault.lock().unwrap()).unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].count, 6);

    // A known peer's did with a certificate for another endpoint: refused.
    know(&worker, "stranger", &stranger);
    let impostor = Owner {
        vault: stranger.vault.clone(),
        me: stranger.me.clone(),
        endpoint: [9; 32],
    };
    let (_, b, _) = exchange(&impostor, &worker).await;
    assert!(matches!(b, Err(SyncError::Refusing(_))), "{b:?}");
}

/// Runs `worker` answering a scripted peer: `frames` are written as they are, after a valid
/// hello and have; returns the worker's outcome.
async fn scripted(worker: &Owner, peer: &Owner, frames: Vec<Vec<u8>>) -> Res {
    let (x, y) = tokio::io::duplex(1 << 20);
    let (mut xr, mut xw) = tokio::io::split(x);
    let (mut yr, mut yw) = tokio::io::split(y);
    let hello = wire::encode(&Message::PeerHello {
        did: peer.me.did.clone(),
        cert: peer.me.cert.clone(),
    })
    .unwrap();
    let script = async move {
        use tokio::io::AsyncWriteExt;
        yw.write_all(&hello).await.unwrap();
        let _ = wire::read(&mut yr).await; // its hello
        yw.write_all(&wire::encode(&Message::Have(vec![])).unwrap())
            .await
            .unwrap();
        let _ = wire::read(&mut yr).await; // its have
        for f in frames {
            if yw.write_all(&f).await.is_err() {
                break;
            }
        }
        let _ = yw.flush().await;
        // Read what the worker says until it stops (it holds its end open until it returns).
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), async {
            while wire::read(&mut yr).await.is_ok() {}
        })
        .await;
        drop(yw);
    };
    let (r, ()) = tokio::join!(
        peer_session::run(
            worker.vault.clone(),
            false,
            worker.me.clone(),
            None,
            peer.endpoint,
            &mut xw,
            &mut xr
        ),
        script
    );
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_forged_and_malformed_items_end_the_exchange_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let employer = owner(&tmp.path().join("e"), 2);
    know(&worker, "acme", &employer);
    know(&employer, "sam", &worker);
    let id = experience(&mut worker.vault.lock().unwrap());
    let item = {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "acme").unwrap();
        share::share(&mut v, &id, &t, Some(&["title".into()])).unwrap();
        let emp = employer.me.did.clone();
        share::outgoing(&mut v, &emp, &[], false)
            .unwrap()
            .pop()
            .unwrap()
    };
    let frame = wire::encode(&Message::Share(item.clone())).unwrap();
    let done = wire::encode(&Message::Done).unwrap();
    // The employer answers a scripted "worker" that replays the same item twice.
    let r = scripted(
        &employer,
        &worker,
        vec![frame.clone(), frame.clone(), done.clone()],
    )
    .await;
    assert!(
        matches!(&r, Err(SyncError::Protocol(w)) if w.contains("replayed")),
        "{r:?}"
    );
    assert!(received(&employer).is_empty(), "nothing kept");
    // A forged item (altered after signing).
    let mut forged = item.clone();
    forged.fields.push("description".into());
    let r = scripted(
        &employer,
        &worker,
        vec![wire::encode(&Message::Share(forged)).unwrap(), done.clone()],
    )
    .await;
    assert!(
        matches!(&r, Err(SyncError::Protocol(w)) if w.contains("signature")),
        "{r:?}"
    );
    // Garbage, an oversized head and a cut frame.
    for bad in [
        b"garbage that is not a frame".to_vec(),
        {
            let mut h = frame.clone();
            h[3..7].copy_from_slice(&u32::MAX.to_be_bytes());
            h
        },
        frame[..frame.len() / 2].to_vec(),
    ] {
        let r = scripted(&employer, &worker, vec![bad]).await;
        assert!(r.is_err(), "{r:?}");
    }
    assert!(received(&employer).is_empty());
    // A co-signing request that is not a recommendation signed by the sender.
    let bogus = Message::CosignRequest {
        id: [9; 16],
        credential: br#"{"type":["VerifiableCredential"],"issuer":"did:key:z6Mkx"}"#.to_vec(),
    };
    let r = scripted(
        &employer,
        &worker,
        vec![wire::encode(&bogus).unwrap(), done.clone(), done.clone()],
    )
    .await;
    assert!(r.is_err(), "{r:?}");
    assert!(
        cosign::incoming_requests(&employer.vault.lock().unwrap())
            .unwrap()
            .is_empty()
    );
    // The real item, once, is taken; the same version again later is a replay.
    let r = scripted(
        &employer,
        &worker,
        vec![frame.clone(), done.clone(), done.clone()],
    )
    .await;
    assert_eq!(r.unwrap().records_received, 1);
    let r = scripted(&employer, &worker, vec![frame, done.clone(), done]).await;
    assert!(
        matches!(&r, Err(SyncError::Protocol(w)) if w.contains("replayed")),
        "{r:?}"
    );
    assert_eq!(received(&employer).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_naming_shares_it_was_never_sent_learns_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let ana = owner(&tmp.path().join("a"), 2);
    let bo = owner(&tmp.path().join("b"), 3);
    know(&worker, "ana", &ana);
    know(&worker, "bo", &bo);
    let id = experience(&mut worker.vault.lock().unwrap());
    let share_id = {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "ana").unwrap();
        share::share(&mut v, &id, &t, None).unwrap().share
    };
    // Bo claims to hold ana's share at an old version, and a made-up one.
    let mut v = worker.vault.lock().unwrap();
    let held = vec![
        share::Held {
            id: data_encoding::HEXLOWER
                .decode(share_id.as_bytes())
                .unwrap()
                .try_into()
                .unwrap(),
            seq: 0,
            revoked: false,
        },
        share::Held {
            id: [7; 16],
            seq: 0,
            revoked: false,
        },
    ];
    let bo_did = bo.me.did.clone();
    assert!(
        share::outgoing(&mut v, &bo_did, &held, false)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recommendation_is_co_signed_over_the_network() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let mentor = owner(&tmp.path().join("m"), 2);
    know(&worker, "mentor", &mentor);
    know(&mentor, "worker", &worker);
    let rid = {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("text".into(), Value::String("Careful and quick.".into()));
        f.insert("author".into(), Value::String("Mentor".into()));
        let rid = v.add(Kind::Recommendation, f, &[]).unwrap().id;
        let mentor_did = mentor.me.did.clone();
        cosign::request(&mut v, &rid, &mentor_did, "mentor").unwrap();
        rid
    };
    let (a, b, _) = exchange(&worker, &mentor).await;
    a.unwrap();
    assert_eq!(b.unwrap().cosign_requests, 1);
    let req = cosign::incoming_requests(&mentor.vault.lock().unwrap())
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(req.state, "pending");
    cosign::sign(&mut mentor.vault.lock().unwrap(), &req.id).unwrap();
    let (a, _, _) = exchange(&mentor, &worker).await;
    a.unwrap();
    let v = worker.vault.lock().unwrap();
    let rec = v.show(&rid).unwrap();
    let cred: Value =
        serde_json::from_str(rec.state.fields["credential"].as_str().unwrap()).unwrap();
    let signers = musette_core::recommend::cosigners(&cred);
    assert!(signers.contains(&mentor.me.did), "{signers:?}");
    assert!(signers.contains(&worker.me.did));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_guild_stays_revoked_and_a_record_removed_before_sending_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let ana = owner(&tmp.path().join("ana"), 2);
    let bo = owner(&tmp.path().join("bo"), 3);
    know(&worker, "ana", &ana);
    know(&worker, "bo", &bo);
    know(&ana, "worker", &worker);
    know(&bo, "worker", &worker);
    let (kept, removed) = {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("name".into(), Value::String("Payslip".into()));
        let kept = v.add(Kind::Skill, f.clone(), &[]).unwrap().id;
        f.insert("name".into(), Value::String("CANARY-removed-first".into()));
        let removed = v.add(Kind::Skill, f, &[]).unwrap().id;
        peers::create_guild(&mut v, "tmp").unwrap();
        peers::guild_member(&mut v, "tmp", "ana", true).unwrap();
        let (t, _) = share::target_named(&v, "tmp").unwrap();
        share::share(&mut v, &kept, &t, None).unwrap();
        let (t, _) = share::target_named(&v, "bo").unwrap();
        share::share(&mut v, &removed, &t, None).unwrap();
        (kept, removed)
    };
    exchange(&worker, &ana).await.0.unwrap();
    assert_eq!(received(&ana).len(), 1);
    // Removed before it ever reached bo: bo hears nothing of it.
    worker
        .vault
        .lock()
        .unwrap()
        .remove(&removed, false)
        .unwrap();
    let (_, b, bytes) = exchange(&worker, &bo).await;
    assert_eq!(b.unwrap().records_received, 0);
    assert!(!contains(&bytes, "CANARY-removed-first"));
    assert!(received(&bo).is_empty());
    // The guild deleted: revoked for ana, and a new guild of that name does not revive it.
    peers::delete_guild(&mut worker.vault.lock().unwrap(), "tmp").unwrap();
    exchange(&worker, &ana).await.0.unwrap();
    assert!(received(&ana)[0].revoked);
    {
        let mut v = worker.vault.lock().unwrap();
        assert!(share::shares(&v).unwrap().iter().all(|s| s.revoked));
        peers::create_guild(&mut v, "tmp").unwrap();
        peers::guild_member(&mut v, "tmp", "ana", true).unwrap();
        peers::guild_member(&mut v, "tmp", "bo", true).unwrap();
    }
    exchange(&worker, &ana).await.0.unwrap();
    exchange(&worker, &bo).await.0.unwrap();
    assert!(received(&ana)[0].revoked, "still revoked");
    assert!(
        received(&bo).is_empty(),
        "a new member gets nothing of the old guild"
    );
    let _ = kept;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_between_syncs_and_fields_no_longer_shared_never_travel() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let employer = owner(&tmp.path().join("e"), 2);
    know(&worker, "acme", &employer);
    know(&employer, "sam", &worker);
    let id = experience(&mut worker.vault.lock().unwrap());
    {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "acme").unwrap();
        // Shared with the description, which is then dropped from the share; the title
        // changes twice before the first sync.
        share::share(
            &mut v,
            &id,
            &t,
            Some(&["title".into(), "description".into()]),
        )
        .unwrap();
        set(&mut v, &id, "title", "CANARY-between-syncs");
        share::share(&mut v, &id, &t, Some(&["title".into()])).unwrap();
        set(&mut v, &id, "title", "Joiner");
    }
    let (_, b, bytes) = exchange(&worker, &employer).await;
    assert_eq!(b.unwrap().records_received, 1);
    for c in [
        CANARY_UNSHARED,
        CANARY_EARLIER,
        "CANARY-between-syncs",
        "description",
    ] {
        assert!(!contains(&bytes, c), "{c} went over the wire");
    }
    let got = received(&employer);
    let doc = data_encoding::BASE64.decode(got[0].doc.as_bytes()).unwrap();
    let raw = automerge::AutoCommit::load(&doc).unwrap().save_nocompress();
    for c in [CANARY_UNSHARED, "CANARY-between-syncs", "description"] {
        assert!(!contains(&raw, c), "{c} is in the received document");
    }
    assert_eq!(got[0].history().len(), 1);
    // Changes between two syncs: only the last value travels; the recipient's history grows.
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "title",
        "CANARY-overwritten",
    );
    set(
        &mut worker.vault.lock().unwrap(),
        &id,
        "title",
        "Master joiner",
    );
    let (_, _, bytes) = exchange(&worker, &employer).await;
    assert!(!contains(&bytes, "CANARY-overwritten"));
    let got = received(&employer);
    assert_eq!(got[0].history().len(), 2);
    assert_eq!(got[0].history()[1].1, vec!["title".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_claiming_versions_never_made_is_refused_and_nothing_overflows() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let ana = owner(&tmp.path().join("a"), 2);
    know(&worker, "ana", &ana);
    let id = experience(&mut worker.vault.lock().unwrap());
    let share_id: [u8; 16] = {
        let mut v = worker.vault.lock().unwrap();
        let (t, _) = share::target_named(&v, "ana").unwrap();
        let s = share::share(&mut v, &id, &t, None).unwrap().share;
        data_encoding::HEXLOWER
            .decode(s.as_bytes())
            .unwrap()
            .try_into()
            .unwrap()
    };
    let ana_did = ana.me.did.clone();
    for seq in [u64::MAX, u64::MAX - 1, 5] {
        let held = [share::Held {
            id: share_id,
            seq,
            revoked: true,
        }];
        let r = share::outgoing(&mut worker.vault.lock().unwrap(), &ana_did, &held, false);
        assert!(r.is_err(), "version {seq} accepted");
    }
    // Its true version is fine.
    let held = [share::Held {
        id: share_id,
        seq: 1,
        revoked: false,
    }];
    let items = share::outgoing(&mut worker.vault.lock().unwrap(), &ana_did, &held, false).unwrap();
    assert!(items.is_empty(), "it holds the current version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_of_a_text_edited_since_is_refused_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let worker = owner(&tmp.path().join("w"), 1);
    let mentor = owner(&tmp.path().join("m"), 2);
    know(&worker, "mentor", &mentor);
    know(&mentor, "worker", &worker);
    let rid = {
        let mut v = worker.vault.lock().unwrap();
        let mut f = Map::new();
        f.insert("text".into(), Value::String("Careful.".into()));
        let rid = v.add(Kind::Recommendation, f, &[]).unwrap().id;
        let mentor_did = mentor.me.did.clone();
        cosign::request(&mut v, &rid, &mentor_did, "mentor").unwrap();
        rid
    };
    exchange(&worker, &mentor).await.0.unwrap();
    let req = cosign::incoming_requests(&mentor.vault.lock().unwrap())
        .unwrap()
        .pop()
        .unwrap();
    cosign::sign(&mut mentor.vault.lock().unwrap(), &req.id).unwrap();
    set(
        &mut worker.vault.lock().unwrap(),
        &rid,
        "text",
        "Careful and the best.",
    );
    let (a, _, _) = exchange(&mentor, &worker).await;
    a.unwrap();
    let v = worker.vault.lock().unwrap();
    let out = cosign::outgoing_requests(&v).unwrap();
    assert_eq!(out[0].state, "refused");
    assert!(
        peers::audit_log(&v)
            .unwrap()
            .iter()
            .any(|e| e.event == "cosign-refused")
    );
    let rec = v.show(&rid).unwrap();
    let cred: Value = serde_json::from_str(rec.state.fields["credential"].as_str().unwrap_or("{}"))
        .unwrap_or_default();
    assert!(!musette_core::recommend::cosigners(&cred).contains(&mentor.me.did));
}
