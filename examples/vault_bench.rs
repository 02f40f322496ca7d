//! Usage: cargo run --release --example vault_bench -- [--records N] [--json] [--keep]
//! (`--keep` leaves the vault and a session behind for profiling, and says where)
//!
//! Builds a vault of N mixed records with realistic field sizes and times the everyday
//! operations: add, open (without the KDF, which is timed apart), list, show and search, in
//! process and as whole processes of the `musette` binary with a session (`proc_*_ms`, what a
//! user waits for, beside `proc_version_ms`, start-up alone; `proc_verify_ms` verifies a
//! presentation of 3 records). The same
//! operations run in the same process against a baseline: plain SQLite rows holding the same
//! JSON, sealed with the same AEAD, with no CRDT and no header. Each `*_ratio` is musette's cost
//! divided by the baseline's (above 1: musette is slower). Times are medians of several runs.

use std::path::Path;
use std::time::{Duration, Instant};

use musette_core::crypto::{Key, aad};
use musette_core::keys::SlotParams;
use musette_core::model::Kind;
use musette_core::{Filter, KdfParams, Unlock, Vault};
use rusqlite::{Connection, params};
use serde_json::{Map, Value, json};

const WORDS: &[&str] = &[
    "welding",
    "python",
    "logistics",
    "care",
    "nursing",
    "carpentry",
    "sales",
    "teaching",
    "accounts",
    "safety",
    "team",
    "customer",
    "planning",
    "repair",
    "kitchen",
    "driving",
    "warehouse",
    "design",
];

/// A deterministic pseudo-random generator so every run builds the same vault.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| WORDS[self.next() as usize % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn record(i: usize, rng: &mut Lcg) -> (Kind, Map<String, Value>) {
    let kind = Kind::ALL[i % Kind::ALL.len()];
    let year = 2000 + (i % 24);
    let v = match kind {
        Kind::Contact => {
            json!({"name": format!("Person {i}"), "organization": rng.words(2), "role": rng.words(2),
            "email": format!("p{i}@example.org"), "phone": "+33 6 12 34 56 78", "notes": rng.words(12)})
        }
        Kind::Experience => {
            json!({"title": format!("{} job {i}", rng.words(1)), "organization": rng.words(2),
            "type": "employment", "start": format!("{year}-03"), "end": format!("{}-11", year + 1),
            "location": "Nantes", "description": rng.words(60), "skills": [rng.words(1), rng.words(1), rng.words(1)]})
        }
        Kind::Skill => json!({"name": format!("{} {i}", rng.words(2)), "level": "advanced",
            "keywords": [rng.words(1), rng.words(1)], "notes": rng.words(10)}),
        Kind::Badge => {
            json!({"name": format!("Badge {i}"), "issuer": rng.words(2), "issued": format!("{year}-06-01"),
            "criteria": rng.words(20), "url": format!("https://badges.example.org/{i}"),
            "credential": json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "credentialSubject": {"achievement": {"name": format!("Badge {i}"), "description": rng.words(40)}},
                "proof": {"type": "DataIntegrityProof", "proofValue": "z".repeat(88)}}).to_string()})
        }
        Kind::Evidence => {
            json!({"title": format!("Evidence {i}"), "description": rng.words(40), "date": format!("{year}-05-04"),
            "skills": [rng.words(1)]})
        }
        Kind::Recommendation => {
            json!({"text": rng.words(90), "author": format!("Colleague {i}"), "date": format!("{year}")})
        }
        Kind::Document => {
            json!({"title": format!("Payslip {i}"), "category": "payslip", "date": format!("{year}-01-31"),
            "due": format!("{}-12-31", year + 1), "notes": rng.words(8)})
        }
    };
    let Value::Object(map) = v else {
        unreachable!()
    };
    (kind, map)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, ms(start.elapsed()))
}

/// Peak resident memory of this process, MiB (Linux; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak-memory mark, so the KDF's memory is not counted in the vault's.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The baseline: one row per record, the record's JSON sealed with the same AEAD.
struct Baseline {
    conn: Connection,
    key: Key,
}

impl Baseline {
    fn open(path: &Path, key: Key) -> Baseline {
        let conn = Connection::open(path).expect("open baseline");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("pragma");
        conn.pragma_update(None, "synchronous", "FULL")
            .expect("pragma");
        conn.pragma_update(None, "secure_delete", "ON")
            .expect("pragma");
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, data BLOB NOT NULL)",
        )
        .expect("schema");
        Baseline { conn, key }
    }
    fn add(&mut self, id: &str, doc: &Value) {
        let sealed = self.key.seal(
            &aad("row", &[id.as_bytes()]),
            &serde_json::to_vec(doc).expect("json"),
        );
        let tx = self.conn.transaction().expect("tx");
        tx.execute(
            "INSERT INTO rows (id, data) VALUES (?1, ?2)",
            params![id, sealed],
        )
        .expect("insert");
        tx.commit().expect("commit");
    }
    fn get(&self, id: &str, data: &[u8]) -> Value {
        let plain = self
            .key
            .open(&aad("row", &[id.as_bytes()]), data)
            .expect("open row");
        serde_json::from_slice(&plain).expect("json")
    }
    fn list(&self, needle: Option<&str>) -> Vec<(String, String, String)> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, data FROM rows")
            .expect("prepare");
        let mut rows = stmt.query([]).expect("query");
        let mut out = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            let id: String = row.get(0).expect("id");
            let doc = self.get(&id, row.get_ref(1).expect("data").as_blob().expect("blob"));
            if let Some(n) = needle
                && !doc["fields"]
                    .as_object()
                    .expect("fields")
                    .values()
                    .any(|v| v.to_string().to_lowercase().contains(n))
            {
                continue;
            }
            let kind = doc["kind"].as_str().unwrap_or("").to_string();
            let title = doc["title"].as_str().unwrap_or("").to_string();
            out.push((kind, title, id));
        }
        out.sort();
        out
    }
    fn show(&self, id: &str) -> Value {
        let data: Vec<u8> = self
            .conn
            .query_row("SELECT data FROM rows WHERE id = ?1", [id], |r| r.get(0))
            .expect("row");
        self.get(id, &data)
    }
}

/// The `musette` binary of this build (beside the examples folder), built first if missing.
fn musette_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("this program's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples");
    let bin = dir.join(format!("musette{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let release = dir.ends_with("release");
        let mut cargo =
            std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
        cargo.args(["build", "--bin", "musette"]);
        if release {
            cargo.arg("--release");
        }
        assert!(
            cargo.status().expect("cargo runs").success(),
            "cannot build musette"
        );
    }
    bin
}

fn main() {
    let mut records = 10_000usize;
    let mut as_json = false;
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => {
                records = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--records takes a number")
            }
            "--json" => as_json = true,
            "--keep" => keep = true,
            other => {
                eprintln!("unknown argument {other}: use --records N, --json and --keep");
                std::process::exit(2);
            }
        }
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path().join("vault");
    let passphrase = b"benchmark passphrase";

    // The passphrase KDF at its default cost, timed apart.
    let kdf = SlotParams::new_passphrase(KdfParams::default());
    let kdf_ms = median(
        (0..3)
            .map(|_| time(|| kdf.derive(passphrase).expect("kdf")).1)
            .collect(),
    );
    reset_peak_rss();

    let fast = KdfParams::minimum();
    let (mut vault, _) = Vault::create(&dir, passphrase, fast).expect("create");
    let mut base = Baseline::open(&tmp.path().join("baseline.db"), Key::random());
    let mut rng = Lcg(7);
    let inputs: Vec<(Kind, Map<String, Value>)> =
        (0..records).map(|i| record(i, &mut rng)).collect();

    let mut ids = Vec::with_capacity(records);
    let (_, add_ms) = time(|| {
        for (kind, fields) in &inputs {
            ids.push(
                vault
                    .add(*kind, fields.clone(), &["bench".to_string()])
                    .expect("add")
                    .id,
            );
        }
    });
    let (_, base_add_ms) = time(|| {
        for ((kind, fields), id) in inputs.iter().zip(&ids) {
            let title = fields.get(kind.required()).cloned().unwrap_or(Value::Null);
            let doc = json!({"kind": kind.as_str(), "title": title, "fields": fields, "tags": ["bench"],
                "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"});
            base.add(id, &doc);
        }
    });

    let token = vault
        .start_session(Duration::from_secs(3600))
        .expect("session");
    drop(vault);
    let open_ms = median(
        (0..5)
            .map(|_| time(|| Vault::open(&dir, Unlock::Session(&token)).expect("open")).1)
            .collect(),
    );
    let base_key = Key::from_slice(base.key.expose()).expect("key");
    drop(base);
    let base_open_ms = median(
        (0..5)
            .map(|_| {
                time(|| {
                    Baseline::open(
                        &tmp.path().join("baseline.db"),
                        Key::from_slice(base_key.expose()).expect("key"),
                    )
                })
                .1
            })
            .collect(),
    );
    let vault = Vault::open(&dir, Unlock::Session(&token)).expect("open");
    let base = Baseline::open(&tmp.path().join("baseline.db"), base_key);

    let runs = 5;
    let list_ms = median(
        (0..runs)
            .map(|_| {
                time(|| {
                    assert_eq!(
                        vault.list(&Filter::default()).expect("list").0.len(),
                        records
                    )
                })
                .1
            })
            .collect(),
    );
    let base_list_ms = median(
        (0..runs)
            .map(|_| time(|| assert_eq!(base.list(None).len(), records)).1)
            .collect(),
    );
    let search = Filter {
        search: Some("warehouse".into()),
        ..Filter::default()
    };
    let search_ms = median(
        (0..runs)
            .map(|_| time(|| vault.list(&search).expect("search")).1)
            .collect(),
    );
    let base_search_ms = median(
        (0..runs)
            .map(|_| time(|| base.list(Some("warehouse"))).1)
            .collect(),
    );
    let sample: Vec<&String> = (0..200).map(|i| &ids[(i * 7919) % ids.len()]).collect();
    let show_ms = median(
        sample
            .iter()
            .map(|id| time(|| vault.show(id).expect("show")).1)
            .collect(),
    );
    let base_show_ms = median(sample.iter().map(|id| time(|| base.show(id)).1).collect());
    let peak = peak_rss_mib();

    // What a user waits for: the binary as a whole process, with a session, on this vault.
    drop(vault);
    let bin = musette_binary();
    let run = |args: &[&str]| {
        let started = Instant::now();
        let out = std::process::Command::new(&bin)
            .args(args)
            .env("MUSETTE_VAULT", &dir)
            .env("MUSETTE_SESSION", token.as_str())
            .env("MUSETTE_CONFIG", tmp.path().join("no-config.toml"))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the musette binary runs");
        assert!(
            out.status.success(),
            "musette {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ms(started.elapsed())
    };
    let proc_runs = 11;
    let proc_version_ms = median((0..proc_runs).map(|_| run(&["--version"])).collect());
    let proc_show_ms = median(
        sample
            .iter()
            .take(proc_runs)
            .map(|id| run(&["show", id]))
            .collect(),
    );
    let proc_list_ms = median((0..proc_runs).map(|_| run(&["list"])).collect());
    let proc_search_ms = median(
        (0..proc_runs)
            .map(|_| run(&["list", "--search", "warehouse"]))
            .collect(),
    );
    let vp = tmp.path().join("vp.json");
    run(&[
        "present",
        sample[0],
        sample[1],
        sample[2],
        "-o",
        vp.to_str().expect("utf-8 path"),
    ]);
    let proc_verify_ms = median(
        (0..proc_runs)
            .map(|_| run(&["verify", vp.to_str().expect("utf-8 path")]))
            .collect(),
    );
    let db_bytes: u64 = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();

    let add_per_s = records as f64 / (add_ms / 1000.0);
    let base_add_per_s = records as f64 / (base_add_ms / 1000.0);
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    let out = json!({
        "records": records,
        "add_per_s": r(add_per_s),
        "kdf_ms": r(kdf_ms),
        "open_ms": r(open_ms),
        "list_ms": r(list_ms),
        "show_ms": r(show_ms),
        "search_ms": r(search_ms),
        "peak_rss_mib": r(peak),
        "vault_bytes": db_bytes,
        "baseline": {
            "add_per_s": r(base_add_per_s),
            "open_ms": r(base_open_ms),
            "list_ms": r(base_list_ms),
            "show_ms": r(base_show_ms),
            "search_ms": r(base_search_ms),
        },
        "proc_version_ms": r(proc_version_ms),
        "proc_show_ms": r(proc_show_ms),
        "proc_list_ms": r(proc_list_ms),
        "proc_search_ms": r(proc_search_ms),
        "proc_verify_ms": r(proc_verify_ms),
        "proc_show_over_start": r(proc_show_ms / proc_version_ms),
        "proc_list_over_start": r(proc_list_ms / proc_version_ms),
        "add_ratio": r(base_add_per_s / add_per_s),
        "open_ratio": r(open_ms / base_open_ms),
        "list_ratio": r(list_ms / base_list_ms),
        "show_ratio": r(show_ms / base_show_ms),
        "search_ratio": r(search_ms / base_search_ms),
    });
    if keep {
        // For profiling by hand: the vault stays, with a session.
        eprintln!(
            "kept: MUSETTE_VAULT={} MUSETTE_SESSION={}",
            dir.display(),
            token.as_str()
        );
        std::mem::forget(tmp);
    }
    if as_json {
        println!("{out}");
    } else {
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
    }
}
