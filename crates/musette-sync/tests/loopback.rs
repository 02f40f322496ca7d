//! Two devices of one owner syncing over iroh on 127.0.0.1 (no relay, no address lookup):
//! convergence, a stranger refused, a bad ticket.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use musette_core::model::Kind;
use musette_core::{KdfParams, Vault};
use musette_sync::node::{NetConfig, NetError, Node, Ticket};
use serde_json::{Map, Value};

fn local() -> NetConfig {
    NetConfig {
        bind: Some("127.0.0.1:0".parse().unwrap()),
        relay: false,
        relays: Vec::new(),
        port: None,
    }
}

fn new_vault(dir: &std::path::Path) -> Vault {
    Vault::create(dir, b"device passphrase", KdfParams::minimum())
        .unwrap()
        .0
}

/// Another device of `a`'s vault, with its own passphrase.
fn replica_of(a: &Vault, dir: &std::path::Path) -> Vault {
    let keys = a.device_keys().unwrap();
    Vault::create_replica(
        dir,
        b"other device passphrase",
        KdfParams::minimum(),
        &keys,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_sync_over_loopback_and_a_stranger_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let x = skill(&mut a, "TIG welding");
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let y = skill(&mut b, "Brazing");
    let stranger = new_vault(&tmp.path().join("s"));

    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let router = a.serve();
    let ticket = a.ticket();
    assert!(
        ticket.addrs.iter().all(|s| s.ip().is_loopback()),
        "{ticket:?}"
    );
    let again = Ticket::decode(&ticket.encode()).unwrap();
    assert_eq!(again, ticket);
    // Bound to 127.0.0.1, the node listens there and nowhere else (iroh's own sockets on every
    // interface, IPv6 included, are not opened beside it).
    let sockets = a.sockets();
    assert!(
        !sockets.is_empty()
            && sockets
                .iter()
                .all(|s| s.ip() == std::net::Ipv4Addr::LOCALHOST),
        "{sockets:?}"
    );

    let b = Node::bind(b, "phone", &local()).await.unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), b.sync_with(&ticket))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((out.records_sent, out.records_received), (1, 1));
    let (va, vb) = (a.vault(), b.vault());
    assert_eq!(
        va.lock().unwrap().sync_digest().unwrap(),
        vb.lock().unwrap().sync_digest().unwrap()
    );
    assert!(va.lock().unwrap().show(&y).is_ok());
    assert!(vb.lock().unwrap().show(&x).is_ok());
    // Nothing to do.
    let out = tokio::time::timeout(Duration::from_secs(30), b.sync_with(&ticket))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.records_sent + out.records_received, 0);
    assert!(out.bytes_sent < 1024, "{out:?}");

    // A stranger's device is refused and receives nothing.
    let s = Node::bind(stranger, "intruder", &local()).await.unwrap();
    let refused = tokio::time::timeout(Duration::from_secs(30), s.sync_with(&ticket))
        .await
        .unwrap();
    assert!(refused.is_err(), "{refused:?}");
    assert!(s.vault().lock().unwrap().show(&x).is_err());

    // A mistyped ticket is refused before any connection.
    let mut text = ticket.encode();
    text.truncate(text.len() - 5);
    assert!(matches!(Ticket::decode(&text), Err(NetError::BadTicket(_))));
    assert!(matches!(
        Ticket::decode("hello"),
        Err(NetError::BadTicket(_))
    ));

    b.close().await;
    s.close().await;
    router.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_joins_with_an_invitation_once() {
    use musette_sync::pair::{self, Invite, PairEvent, Pairing};
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let x = skill(&mut a, "TIG welding");
    let did = a.owner().unwrap().did().to_string();
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let invite = Invite::new(a.ticket());
    let (pairing, mut events) = Pairing::new(a.vault(), &invite);
    let router = a.serve_with(Some(pairing));
    let text = invite.encode();
    let parsed = Invite::decode(&text).unwrap();

    // A wrong secret first.
    let mut wrong = parsed.clone();
    wrong.secret[0] ^= 1;
    let r = pair::join(
        &wrong,
        "thief",
        &local(),
        &tmp.path().join("t"),
        b"thief passphrase",
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await;
    assert!(r.is_err());
    assert!(!tmp.path().join("t").join("vault.db").exists());
    assert_eq!(events.recv().await, Some(PairEvent::Refused));

    let mut shown = String::new();
    let b = pair::join(
        &parsed,
        "phone",
        &local(),
        &tmp.path().join("b"),
        b"device b passphrase",
        KdfParams::minimum(),
        &mut |r, d| {
            shown = format!("{} {d}", &*r.display());
            Ok(())
        },
    )
    .await
    .unwrap();
    assert!(
        shown.ends_with(&did),
        "the new device has the owner's identity"
    );
    assert_eq!(events.recv().await, Some(PairEvent::Joined("phone".into())));
    // The new device keeps the name it joined with: a later command without `--name` goes by
    // it (not by the host's name), one with `--name` renames it, and the listing says it.
    let mut b = b;
    use musette_sync::devices;
    assert_eq!(devices::own_name(&b).unwrap().as_deref(), Some("phone"));
    assert_eq!(devices::name_this(&mut b, None, "host").unwrap(), "phone");
    assert_eq!(
        devices::name_this(&mut b, Some("  "), "host").unwrap(),
        "phone"
    );
    assert_eq!(
        devices::name_this(&mut b, Some("tablet"), "host").unwrap(),
        "tablet"
    );
    assert_eq!(devices::name_this(&mut b, None, "host").unwrap(), "tablet");
    assert_eq!(devices::listing(&b).unwrap()[0].name, "tablet");
    assert!(devices::listing(&b).unwrap()[0].this_device);
    // A vault that was never given a name goes by the host's.
    assert_eq!(
        devices::name_this(&mut a.vault().lock().unwrap(), None, "host").unwrap(),
        "host"
    );
    assert_eq!(devices::own_name(&a.vault().lock().unwrap()).unwrap(), None);
    let b = Node::bind(b, "phone", &local()).await.unwrap();
    let out = b.sync_with(&a.ticket()).await.unwrap();
    assert_eq!(out.records_received, 1);
    assert!(b.vault().lock().unwrap().show(&x).is_ok());
    // The invitation is used up.
    let again = pair::join(
        &parsed,
        "again",
        &local(),
        &tmp.path().join("c"),
        b"device c passphrase",
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await;
    assert!(again.is_err());
    b.close().await;
    router.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_rekey_a_device_still_holding_the_old_keys_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    let x = skill(&mut a, "TIG welding");
    let mut b = replica_of(&a, &tmp.path().join("b"));
    // The owner rekeys a (a device was lost); b still holds the old keys, and the owner's seed.
    a.rekey(
        b"device passphrase",
        None,
        None,
        &mut |_, _| {},
        &mut |_| Ok(()),
    )
    .unwrap();
    b.forget_replicated(&x).unwrap();
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let router = a.serve();
    let b = Node::bind(b, "old phone", &local()).await.unwrap();
    let refused = tokio::time::timeout(Duration::from_secs(30), b.sync_with(&a.ticket()))
        .await
        .unwrap();
    assert!(refused.is_err(), "{refused:?}");
    assert!(
        a.vault().lock().unwrap().show(&x).is_ok(),
        "the old device's forget was not taken"
    );
    b.close().await;
    router.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_relays_a_dead_address_fails_in_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_vault(&tmp.path().join("a"));
    let b = replica_of(&a, &tmp.path().join("b"));
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let mut ticket = a.ticket();
    a.close().await;
    // Where nothing listens any more.
    let dead = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    ticket.addrs = vec![dead];
    let b = Node::bind(b, "phone", &local()).await.unwrap();
    let started = std::time::Instant::now();
    let r = tokio::time::timeout(Duration::from_secs(20), b.sync_with(&ticket))
        .await
        .expect("failed on its own");
    assert!(
        matches!(&r, Err(NetError::Unreachable { why, .. }) if why.contains("no answer")),
        "{r:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    b.close().await;
}

/// An endpoint of its own, on 127.0.0.1, that connects to `ticket`'s node and opens a stream.
async fn connect_raw(
    ticket: &Ticket,
) -> (
    iroh::Endpoint,
    iroh::endpoint::Connection,
    iroh::endpoint::SendStream,
    iroh::endpoint::RecvStream,
) {
    use iroh::endpoint::presets;
    let ep = iroh::Endpoint::builder(presets::Minimal)
        .relay_mode(iroh::RelayMode::Disabled)
        .clear_ip_transports()
        .bind_addr("127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap())
        .unwrap()
        .bind()
        .await
        .unwrap();
    let conn = ep
        .connect(ticket.addr().unwrap(), musette_sync::node::ALPN)
        .await
        .unwrap();
    let (send, recv) = conn.open_bi().await.unwrap();
    (ep, conn, send, recv)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_a_bounded_number_of_exchanges_at_once_and_strangers_take_none() {
    use musette_sync::node::{MAX_CONNECTIONS, MAX_PER_ENDPOINT};
    use musette_sync::wire::{self, Message};
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    skill(&mut a, "Joinery");
    let b = replica_of(&a, &tmp.path().join("b"));
    let signer = replica_of(&a, &tmp.path().join("signer"));
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let router = a.serve();
    let ticket = a.ticket();
    let b = Node::bind(b, "phone", &local()).await.unwrap();

    // Strangers, more than there are slots, each stalled inside its hello: they hold no slot,
    // and the device syncs.
    let mut strangers = Vec::new();
    for _ in 0..MAX_CONNECTIONS + 4 {
        let (ep, conn, mut send, recv) = connect_raw(&ticket).await;
        send.write_all(b"M").await.unwrap();
        strangers.push((ep, conn, send, recv));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let out = tokio::time::timeout(Duration::from_secs(20), b.sync_with(&ticket))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.records_received, 1);

    // One endpoint holds a few connections at most: a newer one closes its oldest (a sync cut
    // by a crash leaves its connection behind; the device's next sync must not be kept out).
    let (ep, first, mut send, recv) = connect_raw(&ticket).await;
    send.write_all(b"M").await.unwrap();
    let mut mine = vec![(first.clone(), send, recv)];
    for _ in 1..MAX_PER_ENDPOINT {
        let conn = ep
            .connect(ticket.addr().unwrap(), musette_sync::node::ALPN)
            .await
            .unwrap();
        let (mut send, recv) = conn.open_bi().await.unwrap();
        send.write_all(b"M").await.unwrap();
        mine.push((conn, send, recv));
    }
    let extra = ep
        .connect(ticket.addr().unwrap(), musette_sync::node::ALPN)
        .await
        .unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(10), first.closed())
        .await
        .expect("the oldest closed at once");
    assert!(closed.to_string().contains("superseded"), "{closed}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(extra.close_reason().is_none(), "the newest stays");
    for (conn, _, _) in &mine[1..] {
        assert!(conn.close_reason().is_none(), "the others stay");
    }
    drop(mine);
    ep.close().await;
    for (ep, conn, _, _) in strangers.drain(..) {
        conn.close(0u32.into(), b"bye");
        ep.close().await;
    }

    // As many devices of the vault as there are slots, each stalled after its hello: the next
    // one hears that the node is busy; once they go, it syncs.
    let hash = signer.vault_hash();
    let mut stalled = Vec::new();
    for i in 0..MAX_CONNECTIONS {
        let (ep, conn, mut send, recv) = connect_raw(&ticket).await;
        let cert =
            musette_sync::cert::issue(&signer, *ep.id().as_bytes(), &format!("stall {i}")).unwrap();
        wire::write(
            &mut send,
            &Message::Hello {
                vault: hash,
                cert,
                digest: [0; 32],
            },
        )
        .await
        .unwrap();
        stalled.push((ep, conn, send, recv));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let busy = tokio::time::timeout(Duration::from_secs(20), b.sync_with(&ticket))
        .await
        .unwrap();
    assert!(
        matches!(&busy, Err(e) if e.to_string().contains("busy")),
        "{busy:?}"
    );
    for (ep, conn, _, _) in stalled.drain(..) {
        conn.close(0u32.into(), b"bye");
        ep.close().await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let out = tokio::time::timeout(Duration::from_secs(30), b.sync_with(&ticket))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.records_sent + out.records_received, 0);
    b.close().await;
    router.shutdown().await.unwrap();
}

/// `a` after removing a device, with `b` waiting for the new keys; `b_removed`: `b` was removed
/// elsewhere too (it must then get nothing).
async fn handover_to_b(b_removed: bool) -> Result<musette_sync::session::Outcome, NetError> {
    use musette_sync::{cert, devices};
    let tmp = tempfile::tempdir().unwrap();
    let mut a = new_vault(&tmp.path().join("a"));
    skill(&mut a, "Joinery");
    let mut b = replica_of(&a, &tmp.path().join("b"));
    let b_endpoint = *iroh::SecretKey::from_bytes(&b.endpoint_secret().unwrap())
        .public()
        .as_bytes();
    let b_cert = cert::issue(&b, b_endpoint, "phone").unwrap();
    devices::remember(&mut a, &b_cert, &[]).unwrap();
    let known_b = devices::known(&a).unwrap().pop().unwrap();
    let stolen = devices::Known {
        id: "ab".repeat(16),
        name: "stolen".into(),
        endpoint: "cd".repeat(32),
        addrs: vec![],
        last_sync: 0,
    };
    let mut plan = devices::plan_removal(&a, &stolen).unwrap();
    assert_eq!(plan.pending, vec![known_b.clone()]);
    if b_removed {
        // As a device that removed b too would leave it (a state the API no longer makes:
        // the node must refuse it all the same).
        plan.removed.push(known_b);
    }
    a.rekey(
        b"device passphrase",
        None,
        None,
        &mut |_, _| {},
        &mut |_| Ok(()),
    )
    .unwrap();
    devices::commit_removal(&mut a, &plan).unwrap();
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let router = a.serve();
    let ticket = a.ticket();
    let b = Node::bind(b, "phone", &local()).await.unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), b.sync_with(&ticket))
        .await
        .unwrap();
    b.close().await;
    router.shutdown().await.unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_keys_go_to_a_waiting_device_and_never_to_a_removed_one() {
    use musette_sync::session::SyncError;
    let handed = handover_to_b(false).await;
    assert!(
        matches!(handed, Err(NetError::Sync(SyncError::NewKeys(_)))),
        "{handed:?}"
    );
    let refused = handover_to_b(true).await;
    assert!(
        matches!(refused, Err(NetError::Sync(SyncError::Refused(_)))),
        "{refused:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_that_cannot_take_the_vault_spends_no_invitation() {
    use musette_sync::pair::{self, Invite, Pairing};
    let tmp = tempfile::tempdir().unwrap();
    let a = new_vault(&tmp.path().join("a"));
    let a = Node::bind(a, "laptop", &local()).await.unwrap();
    let invite = Invite::new(a.ticket());
    let (pairing, mut events) = Pairing::new(a.vault(), &invite);
    let router = a.serve_with(Some(pairing));
    // A folder holding something else: refused before anything travels.
    let busy = tmp.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    let r = pair::join(
        &invite,
        "phone",
        &local(),
        &busy,
        b"phone passphrase",
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await;
    assert!(
        matches!(&r, Err(NetError::Sync(musette_sync::session::SyncError::Vault(e))) if e.to_string().contains("not empty")),
        "{r:?}"
    );
    assert!(
        events.try_recv().is_err(),
        "the inviting device heard nothing"
    );
    // A passphrase too short, or key derivation out of range, for the new replica: refused
    // before anything travels too, and the invitation still works (below).
    let fresh = tmp.path().join("fresh");
    let short = KdfParams::minimum();
    let weak = KdfParams {
        iterations: 1,
        ..KdfParams::minimum()
    };
    for (pass, kdf, says) in [
        (&b"short"[..], short, "too short"),
        (&b"phone passphrase"[..], weak, "iteration"),
    ] {
        let r = pair::join(
            &invite,
            "phone",
            &local(),
            &fresh,
            pass,
            kdf,
            &mut |_, _| Ok(()),
        )
        .await;
        assert!(
            matches!(&r, Err(NetError::Sync(musette_sync::session::SyncError::Vault(e))) if e.to_string().contains(says)),
            "{r:?}"
        );
        assert!(!fresh.exists(), "nothing made");
        assert!(events.try_recv().is_err(), "nothing travelled");
    }
    // What a creation cut short left (a kill during a join) does not count, and goes.
    let cut = tmp.path().join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    std::fs::write(cut.join("vault.db.init-abcdef"), "half made").unwrap();
    let b = pair::join(
        &invite,
        "phone",
        &local(),
        &cut,
        b"phone passphrase",
        KdfParams::minimum(),
        &mut |_, _| Ok(()),
    )
    .await
    .unwrap();
    assert!(!cut.join("vault.db.init-abcdef").exists());
    drop(b);
    router.shutdown().await.unwrap();
}
