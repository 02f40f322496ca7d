//! Usage: cargo run --example share
//!
//! Sharing with an employer, with the library, over iroh on 127.0.0.1 only (no relay): a
//! worker shares two fields of an experience, the employer's inbox receives them, verified; an
//! edit travels at the next sync; `unshare` marks the employer's copy revoked. The employer never
//! sees the field left out, nor the title the record had before.

use std::time::Duration;

use musette_core::model::Kind;
use musette_core::{Edit, KdfParams, Vault};
use musette_sync::node::{NetConfig, Node};
use musette_sync::{peers, share};
use serde_json::{Map, Value, json};

fn local() -> NetConfig {
    NetConfig {
        bind: Some("127.0.0.1:0".parse().expect("an address")),
        relay: false,
        relays: Vec::new(),
        port: None,
    }
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn show(inbox: &Vault) -> Result<(), Box<dyn std::error::Error>> {
    let names = share::peer_names(inbox)?;
    for r in share::received(inbox)? {
        let v = r.view(&names);
        println!(
            "  employer holds {} from {}: {} (verified: {}, revoked: {})",
            v.kind,
            v.from,
            serde_json::to_string(&v.fields)?,
            v.verified,
            v.revoked
        );
    }
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let (mut worker, _) = Vault::create(
        &tmp.path().join("worker"),
        b"the worker's passphrase",
        KdfParams::minimum(),
    )?;
    let (employer, _) = Vault::create(
        &tmp.path().join("employer"),
        b"the employer's passphrase",
        KdfParams::minimum(),
    )?;
    let job = worker
        .add(
            Kind::Experience,
            fields(
                json!({"title": "Apprentice", "organization": "Atelier Dupont",
                          "description": "salary 1,850 EUR, left over a dispute"}),
            ),
            &[],
        )?
        .id;
    let mut e = Edit::default();
    e.set.insert("title".into(), "Cabinetmaker".into());
    worker.edit(&job, &e)?;

    // The employer's always-on inbox, and each side's ticket for the other.
    let inbox = Node::bind(employer, "inbox", &local()).await?;
    let router = inbox.serve();
    let worker = Node::bind(worker, "laptop", &local()).await?;
    peers::add_peer(
        &mut inbox.vault().lock().expect("vault"),
        "sam",
        &worker.ticket(),
    )?;
    let acme = inbox.ticket();
    {
        let vault = worker.vault();
        let mut v = vault.lock().expect("vault");
        peers::add_peer(&mut v, "acme", &acme)?;
        let (target, _) = share::target_named(&v, "acme")?;
        let chosen = ["title".to_string(), "organization".to_string()];
        share::share(&mut v, &job, &target, Some(&chosen))?;
    }

    let out =
        tokio::time::timeout(Duration::from_secs(30), worker.sync_peer(&acme, "acme")).await??;
    println!(
        "first sync: {} item(s) sent, {} bytes",
        out.records_sent, out.bytes_sent
    );
    show(&inbox.vault().lock().expect("vault"))?;

    let mut e = Edit::default();
    e.set.insert("title".into(), "Master cabinetmaker".into());
    worker.vault().lock().expect("vault").edit(&job, &e)?;
    tokio::time::timeout(Duration::from_secs(30), worker.sync_peer(&acme, "acme")).await??;
    println!("after an edit:");
    show(&inbox.vault().lock().expect("vault"))?;

    {
        let vault = worker.vault();
        let mut v = vault.lock().expect("vault");
        let (target, _) = share::target_named(&v, "acme")?;
        share::unshare(&mut v, &job, &target)?;
    }
    tokio::time::timeout(Duration::from_secs(30), worker.sync_peer(&acme, "acme")).await??;
    println!("after unshare (the employer keeps what it had, marked revoked):");
    show(&inbox.vault().lock().expect("vault"))?;

    worker.close().await;
    router.shutdown().await?;
    Ok(())
}
