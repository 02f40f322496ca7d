//! Usage: cargo run --release --example sync_bench -- [--records N] [--json]
//!
//! Two devices of one vault over iroh on 127.0.0.1 (no relay): a new device replicating N
//! records (`initial_s`, `initial_bytes`), a whole sync round, connection included, when nothing
//! changed (`noop_ms`, `noop_bytes`), and one field changed (`one_edit_bytes`; `one_edit_ms`,
//! the median of 9 whole rounds, each after another edit of that field). The baseline, in the
//! same run: the same sealed records streamed raw over one iroh stream (`raw_s`), so
//! `initial_ratio = initial_s / raw_s` is what the protocol costs over moving the bytes. A
//! second baseline, `store_s`: the same rows written straight into an empty vault's tables
//! (one transaction, no check, no manifest), the least a new device's storage costs, so
//! `store_ratio = initial_s / store_s` is what the checks and the protocol add to it.

use std::time::{Duration, Instant};

use iroh::endpoint::{Connection, presets};
use iroh::protocol::{AcceptError, ProtocolHandler, Router};
use iroh::{Endpoint, RelayMode};
use musette_core::model::Kind;
use musette_core::{Edit, KdfParams, Vault};
use musette_sync::node::{NetConfig, Node};
use serde_json::{Map, Value, json};

const RAW_ALPN: &[u8] = b"musette/bench-raw/0";

fn local() -> NetConfig {
    NetConfig {
        bind: Some("127.0.0.1:0".parse().expect("address")),
        relay: false,
        relays: Vec::new(),
        port: None,
    }
}

/// Reads everything sent on one stream and answers with the count.
#[derive(Debug, Clone)]
struct Sink;

impl ProtocolHandler for Sink {
    async fn accept(&self, connection: Connection) -> Result<(), AcceptError> {
        let (mut send, mut recv) = connection.accept_bi().await?;
        let data = recv
            .read_to_end(usize::MAX)
            .await
            .map_err(AcceptError::from_err)?;
        send.write_all(&(data.len() as u64).to_be_bytes())
            .await
            .map_err(AcceptError::from_err)?;
        let _ = send.finish();
        connection.closed().await;
        Ok(())
    }
}

async fn raw_endpoint() -> Endpoint {
    Endpoint::builder(presets::Minimal)
        .relay_mode(RelayMode::Disabled)
        .clear_ip_transports()
        .bind_addr("127.0.0.1:0")
        .expect("address")
        .alpns(vec![RAW_ALPN.to_vec()])
        .bind()
        .await
        .expect("bind")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let records: usize = args
        .iter()
        .position(|a| a == "--records")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let as_json = args.iter().any(|a| a == "--json");
    let tmp = tempfile::tempdir().expect("temp dir");

    // Device A with N records; device B a fresh replica.
    let mut a = Vault::create(
        &tmp.path().join("a"),
        b"bench passphrase",
        KdfParams::minimum(),
    )
    .expect("create")
    .0;
    let mut first = String::new();
    for i in 0..records {
        let mut f = Map::new();
        f.insert(
            "title".into(),
            Value::String(format!("Experience number {i}")),
        );
        f.insert(
            "organization".into(),
            Value::String("Chantiers de l'Atlantique".into()),
        );
        f.insert(
            "description".into(),
            Value::String(
                "Welding of hull sections, TIG and MIG, reading plans, safety checks. ".repeat(3),
            ),
        );
        let id = a.add(Kind::Experience, f, &["cv".into()]).expect("add").id;
        if i == 0 {
            first = id;
        }
    }
    let exported: Vec<Vec<u8>> = a
        .record_ids()
        .expect("ids")
        .iter()
        .map(|id| postcard::to_stdvec(&a.export_record(id).expect("export")).expect("encode"))
        .collect();
    let keys = a.device_keys().expect("keys");
    let b = Vault::create_replica(
        &tmp.path().join("b"),
        b"bench passphrase b",
        KdfParams::minimum(),
        &keys,
        &mut |_, _| Ok(()),
    )
    .expect("replica")
    .0;

    let a = Node::bind(a, "a", &local()).await.expect("bind a");
    let router = a.serve();
    let ticket = a.ticket();
    let b = Node::bind(b, "b", &local()).await.expect("bind b");

    // Initial replication.
    let started = Instant::now();
    let initial = b.sync_with(&ticket).await.expect("initial sync");
    let initial_s = started.elapsed().as_secs_f64();
    assert_eq!(initial.records_received, records);

    // Nothing to do: median of 9 whole rounds, connection included.
    let mut noop = Vec::new();
    let mut noop_bytes = 0;
    for _ in 0..9 {
        let t = Instant::now();
        let o = b.sync_with(&ticket).await.expect("noop sync");
        noop.push(t.elapsed().as_secs_f64() * 1000.0);
        noop_bytes = o.bytes_sent + o.bytes_received;
        assert_eq!(o.records_sent + o.records_received, 0);
    }

    // One field changed on A.
    {
        let vault = a.vault();
        let mut v = vault.lock().expect("lock");
        let mut e = Edit::default();
        e.set.insert("location".into(), "Saint-Nazaire".into());
        v.edit(&first, &e).expect("edit");
    }
    let o = b.sync_with(&ticket).await.expect("one edit");
    let one_edit_bytes = o.bytes_sent + o.bytes_received;
    // The same again, timed: median of 9 whole rounds, each after another value of that field.
    let mut one_edit = Vec::new();
    for k in 0..9 {
        {
            let vault = a.vault();
            let mut v = vault.lock().expect("lock");
            let mut e = Edit::default();
            e.set
                .insert("location".into(), format!("Saint-Nazaire, dock {k}").into());
            v.edit(&first, &e).expect("edit");
        }
        let t = Instant::now();
        let o = b.sync_with(&ticket).await.expect("one edit");
        one_edit.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(o.records_received, 1);
    }

    // Baseline: the same sealed records, raw, over one iroh stream.
    let sink = raw_endpoint().await;
    let sink_addr = sink.addr();
    let sink_router = Router::builder(sink).accept(RAW_ALPN, Sink).spawn();
    let source = raw_endpoint().await;
    let total: usize = exported.iter().map(Vec::len).sum();
    let mut raw = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let conn = source
            .connect(sink_addr.clone(), RAW_ALPN)
            .await
            .expect("connect");
        let (mut send, mut recv) = conn.open_bi().await.expect("stream");
        for r in &exported {
            send.write_all(r).await.expect("write");
        }
        send.finish().expect("finish");
        let got = recv.read_to_end(8).await.expect("read");
        assert_eq!(
            u64::from_be_bytes(got.try_into().expect("count")),
            total as u64
        );
        conn.close(0u32.into(), b"done");
        raw.push(t.elapsed().as_secs_f64());
    }
    let raw_s = median(raw);
    source.close().await;
    let _ = sink_router.shutdown().await;

    // Baseline: the same rows written straight into the tables of an empty vault, in one
    // transaction, with its settings (write-ahead log, full sync), in ascending random row ids
    // as a sync writes them; no check, no manifest.
    let mut store = Vec::new();
    for run in 0..3 {
        let dir = tmp.path().join(format!("store{run}"));
        drop(
            Vault::create_replica(
                &dir,
                b"bench passphrase c",
                KdfParams::minimum(),
                &keys,
                &mut |_, _| Ok(()),
            )
            .expect("replica")
            .0,
        );
        let conn = rusqlite::Connection::open(musette_core::db_path(&dir)).expect("db");
        conn.pragma_update(None, "synchronous", "FULL")
            .expect("pragma");
        conn.pragma_update(None, "foreign_keys", "ON")
            .expect("pragma");
        conn.pragma_update(None, "secure_delete", "ON")
            .expect("pragma");
        let rows: Vec<musette_core::replica::SealedRecord> = exported
            .iter()
            .map(|b| postcard::from_bytes(b).expect("decode"))
            .collect();
        let t = Instant::now();
        let tx = conn.unchecked_transaction().expect("tx");
        {
            let mut ids = musette_core::store::Rowids::draw(rows.len());
            let mut chunk_ids =
                musette_core::store::Rowids::draw(rows.iter().map(|r| r.chunks.len()).sum());
            let mut rec = tx
                .prepare("INSERT INTO records (rowid, id, key, header) VALUES (?1, ?2, ?3, ?4)")
                .expect("prepare");
            let mut chunk = tx
                .prepare(
                    "INSERT INTO chunks (rowid, record, seq, kind, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .expect("prepare");
            for r in &rows {
                rec.execute(rusqlite::params![ids.take(), r.id, r.key, r.header])
                    .expect("insert");
                for c in &r.chunks {
                    chunk
                        .execute(rusqlite::params![
                            chunk_ids.take(),
                            r.id,
                            c.0 as i64,
                            c.1,
                            c.2
                        ])
                        .expect("insert");
                }
            }
        }
        tx.commit().expect("commit");
        store.push(t.elapsed().as_secs_f64());
    }
    let store_s = median(store);

    let out = json!({
        "records": records,
        "initial_s": (initial_s * 1000.0).round() / 1000.0,
        "initial_bytes": initial.bytes_received + initial.bytes_sent,
        "noop_ms": (median(noop) * 100.0).round() / 100.0,
        "noop_bytes": noop_bytes,
        "one_edit_bytes": one_edit_bytes,
        "one_edit_ms": (median(one_edit) * 100.0).round() / 100.0,
        "raw_s": (raw_s * 1000.0).round() / 1000.0,
        "raw_bytes": total,
        "initial_ratio": ((initial_s / raw_s) * 100.0).round() / 100.0,
        "store_s": (store_s * 1000.0).round() / 1000.0,
        "store_ratio": ((initial_s / store_s) * 100.0).round() / 100.0,
    });
    if as_json {
        println!("{out:#}");
    } else {
        for (k, v) in out.as_object().expect("object") {
            println!("{k:>16}  {v}");
        }
    }
    b.close().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), router.shutdown()).await;
}
