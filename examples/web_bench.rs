//! Usage: cargo run --release --example web_bench -- [--records N] [--runs R] [--json]
//!
//! The web app's heaviest pages on a vault of N records (10,000 by default: experiences,
//! contacts, skills, documents with due dates, badges), served in process through the whole
//! router (the security checks, the handler, the vault, the template), as a browser asks for
//! them: the dashboard, the record list, a search, and the API's list. The baseline is the
//! cheapest route through the same router (`/api/v1/status`), measured in the same run.
//! Medians of R requests.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, header};
use http_body_util::BodyExt;
use musette_core::batch::Incoming;
use musette_core::i18n::Catalogue;
use musette_core::model::Kind;
use musette_core::{KdfParams, Vault};
use serde_json::{Map, Value, json};
use tower::ServiceExt;

const PORT: u16 = 4000;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn record(i: usize) -> (Kind, Map<String, Value>) {
    let (kind, v) = match i % 5 {
        0 => (
            Kind::Experience,
            json!({ "title": format!("Welder {i}"), "organization": format!("Shipyard {}", i % 97),
                    "type": "employment", "start": format!("{}-0{}", 2000 + i % 25, 1 + i % 9),
                    "description": "TIG and MIG welding on hulls and decks, reading blueprints" }),
        ),
        1 => (
            Kind::Contact,
            json!({ "name": format!("Person {i}"), "organization": format!("Company {}", i % 53),
                    "email": format!("p{i}@example.org") }),
        ),
        2 => (
            Kind::Skill,
            json!({ "name": format!("Skill {i}"), "level": "advanced" }),
        ),
        3 => (
            Kind::Document,
            json!({ "title": format!("Payslip {i}"), "category": "payslip",
                    "due": format!("{}-{:02}-{:02}", 2024 + i % 4, 1 + i % 12, 1 + i % 28) }),
        ),
        _ => (
            Kind::Badge,
            json!({ "name": format!("Badge {i}"), "issuer": "Training centre",
                    "issued": "2022-05", "expires": format!("{}-06", 2025 + i % 4) }),
        ),
    };
    (kind, v.as_object().cloned().unwrap_or_default())
}

/// Where a generated record is, should the import leave one out.
static BENCH: Catalogue = Catalogue::new("record = record { $n }\n", "record = fiche { $n }\n");

fn main() {
    let mut n = 10_000usize;
    let mut runs = 21usize;
    let mut as_json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => {
                n = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--records N")
            }
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs R"),
            "--json" => as_json = true,
            other => panic!(
                "unknown argument {other}: see the usage at the top of examples/web_bench.rs"
            ),
        }
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("vault");
    let (mut vault, _) =
        Vault::create(&dir, b"web bench passphrase", KdfParams::minimum()).expect("a vault");
    let items = (0..n)
        .map(|i| {
            let (kind, fields) = record(i);
            Incoming::new(
                kind,
                format!("bench:{i}"),
                fields,
                musette_core::msg!(BENCH, "record", n = i),
            )
        })
        .collect();
    let report = vault.import_records(items, false).expect("import");
    assert_eq!(report.new, n, "{:?}", report.skipped.first());
    let app = musette_web::App::new(
        musette_web::Config {
            vault_dir: dir,
            port: PORT,
            idle_lock: Duration::from_secs(3600),
            kdf: KdfParams::minimum(),
            max_upload: 1 << 30,
            net: musette_sync::node::NetConfig {
                bind: Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
                relay: false,
                relays: Vec::new(),
                port: None,
            },
            device_name: Some("bench".into()),
        },
        Some(vault),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    // A browser session, as the launch link gives one.
    let launch = app.launch_url();
    let path = launch
        .split_once(&format!(":{PORT}"))
        .expect("a URL")
        .1
        .to_string();
    let cookie = runtime.block_on(async {
        let r = musette_web::router(app.clone())
            .oneshot(
                Request::builder()
                    .uri(path)
                    .header(header::HOST, format!("127.0.0.1:{PORT}"))
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await
            .expect("a response");
        r.headers()[header::SET_COOKIE]
            .to_str()
            .expect("a cookie")
            .split(';')
            .next()
            .expect("a cookie")
            .to_string()
    });
    let time = |uri: &str, bearer: bool| -> (f64, usize) {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let mut req = Request::builder()
                .method(Method::GET)
                .uri(uri)
                .header(header::HOST, format!("127.0.0.1:{PORT}"));
            req = if bearer {
                req.header(header::AUTHORIZATION, format!("Bearer {}", app.api_token()))
            } else {
                req.header(header::COOKIE, &cookie)
            };
            let req = req.body(Body::empty()).expect("a request");
            let started = Instant::now();
            let body = runtime.block_on(async {
                let r = musette_web::router(app.clone())
                    .oneshot(req)
                    .await
                    .expect("a response");
                assert!(r.status().is_success(), "{uri}: {}", r.status());
                r.into_body().collect().await.expect("a body").to_bytes()
            });
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            size = body.len();
        }
        (median(times), size)
    };
    let (status_ms, _) = time("/api/v1/status", true);
    let (dashboard_ms, _) = time("/", false);
    let (list_ms, list_bytes) = time("/records", false);
    let (search_ms, _) = time("/records?q=shipyard%2042", false);
    let (api_list_ms, api_bytes) = time("/api/v1/records", true);
    let r = |x: f64| (x * 100.0).round() / 100.0;
    let report = json!({
        "records": n,
        "baseline_status_ms": r(status_ms),
        "dashboard_ms": r(dashboard_ms),
        "records_page_ms": r(list_ms),
        "records_page_bytes": list_bytes,
        "search_page_ms": r(search_ms),
        "api_list_ms": r(api_list_ms),
        "api_list_bytes": api_bytes,
        "dashboard_over_baseline": r(dashboard_ms / status_ms),
        "records_page_over_baseline": r(list_ms / status_ms),
    });
    if as_json {
        println!("{report:#}");
    } else {
        println!(
            "{n} records: dashboard {dashboard_ms:.1} ms, record list {list_ms:.1} ms ({} KiB), search {search_ms:.1} ms, API list {api_list_ms:.1} ms; baseline (status) {status_ms:.2} ms",
            list_bytes / 1024
        );
    }
}
