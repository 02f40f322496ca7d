//! Usage: cargo run --release --example import_bench -- [--records N] [--runs R] [--backup-mib M] [--json]
//!
//! What a user waits for when bringing a backpack in and taking it out, through the `musette`
//! binary as a whole process, on fresh vaults in a temporary folder:
//!
//! - a LinkedIn export (ZIP) with N connections (and a profile, positions, skills), and a vCard
//!   file of N cards: the first import (N new, one transaction), the same file again (N
//!   unchanged, nothing written), and a `--dry-run` of the first, the baseline: reading the file
//!   and matching it against the vault without writing, so `first / dry-run` is the cost of
//!   writing;
//! - `backup` and `restore` of a vault holding M MiB of attachments, against copying the vault
//!   file with `std::fs::copy` (the baseline), with each process's peak memory.
//!
//! Medians of R runs (R fresh vaults for first imports). Memory is the peak of each process's
//! anonymous resident memory (heap and stacks), sampled every 3 ms: the pages of the vault file
//! SQLite maps are left out, as the kernel reclaims them at will. Nothing leaves the machine.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PASS: &str = "import bench passphrase";

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// The `musette` binary of this build (beside the examples folder), built first if missing.
fn musette_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("this program's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples");
    let bin = dir.join(format!("musette{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let mut cargo = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
        cargo.args(["build", "--bin", "musette"]);
        if dir.ends_with("release") {
            cargo.arg("--release");
        }
        assert!(cargo.status().expect("cargo runs").success());
    }
    bin
}

/// A process's resident memory now (MiB): (anonymous: its heap and stacks; all: with the pages
/// of files it maps, such as the vault file SQLite reads through `mmap`, which the kernel can
/// drop at any time). From /proc (Linux; 0 elsewhere).
fn rss_of(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (kb("RssAnon:"), kb("VmRSS:"))
}

struct Vault {
    dir: PathBuf,
    session: String,
    bin: PathBuf,
    pass: PathBuf,
}

/// One run of the binary: (stdout, milliseconds, peak anonymous memory in MiB), asserting
/// success.
fn run(
    bin: &Path,
    vault: &Path,
    session: Option<&str>,
    pass: &Path,
    args: &[&str],
) -> (String, f64, f64) {
    let started = Instant::now();
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("MUSETTE_VAULT", vault)
        .env("MUSETTE_CONFIG", vault.with_extension("no-config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match session {
        Some(s) => {
            cmd.env("MUSETTE_SESSION", s);
        }
        None => {
            cmd.env_remove("MUSETTE_SESSION")
                .arg("--passphrase-file")
                .arg(pass);
        }
    }
    let mut child = cmd.spawn().expect("the musette binary runs");
    let pid = child.id();
    // Peak anonymous memory, sampled every 3 ms (the kernel keeps no high-water mark of it).
    let mut peak: f64 = 0.0;
    // Peak memory is read while the process lives (its high-water mark only grows).
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut o) = stdout {
            let _ = std::io::Read::read_to_string(&mut o, &mut s);
        }
        s
    });
    let status = loop {
        peak = peak.max(rss_of(pid).0);
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(3));
    };
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert!(status.success(), "musette {args:?}: {err}");
    (reader.join().unwrap_or_default(), elapsed, peak)
}

impl Vault {
    fn new(root: &Path, name: &str, bin: &Path) -> Vault {
        let dir = root.join(name);
        let pass = root.join("pass");
        std::fs::write(&pass, format!("{PASS}\n")).expect("write");
        run(
            bin,
            &dir,
            None,
            &pass,
            &["init", "--kdf-memory-mib", "19", "--kdf-iterations", "2"],
        );
        let (token, _, _) = run(
            bin,
            &dir,
            None,
            &pass,
            &["unlock", "--raw", "--timeout", "2h"],
        );
        Vault {
            dir,
            session: token.trim().to_string(),
            bin: bin.to_path_buf(),
            pass,
        }
    }

    fn run(&self, args: &[&str]) -> (String, f64, f64) {
        run(&self.bin, &self.dir, Some(&self.session), &self.pass, args)
    }
}

fn linkedin_zip(n: usize) -> Vec<u8> {
    let mut files: Vec<(&str, String)> = vec![
        ("Profile.csv", "First Name,Last Name,Headline,Summary,Geo Location\nAna,Lima,Welder,Ten years of welding.,Nantes\n".into()),
        ("Skills.csv", "Name\nTIG welding\nMIG welding\nBlueprint reading\n".into()),
        (
            "Positions.csv",
            "Company Name,Title,Description,Location,Started On,Finished On\nNaval Group,Welder,Hulls,Saint-Nazaire,Mar 2019,\nAcme,Fitter,,Nantes,2015,Feb 2019\n".into(),
        ),
    ];
    let mut c = String::from(
        "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    );
    for i in 0..n {
        c.push_str(&format!(
            "Person,Number {i},https://www.linkedin.com/in/person-{i},p{i}@example.org,Company {},Role {},{:02} Mar 2020\n",
            i % 97,
            i % 13,
            i % 28 + 1
        ));
    }
    files.push(("Connections.csv", c));
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in files {
        zip.start_file(format!("Basic_LinkedInDataExport/{name}"), options)
            .expect("zip");
        zip.write_all(content.as_bytes()).expect("zip");
    }
    zip.finish().expect("zip");
    out.into_inner()
}

fn vcards(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:00000000-0000-0000-0000-{i:012}\r\nN:Number {i};Person;;;\r\nFN:Person Number {i}\r\nORG:Company {}\r\nTITLE:Role {}\r\nEMAIL:p{i}@example.org\r\nTEL:+33 6 00 00 {:02} {:02}\r\nNOTE:Met in {}\r\nEND:VCARD\r\n",
            i % 97,
            i % 13,
            i % 100,
            (i / 100) % 100,
            2000 + i % 25
        ));
    }
    s
}

/// (first import, again, dry run) medians in ms, with the first import's peak memory.
fn imports(root: &Path, bin: &Path, file: &Path, runs: usize, n: usize, tag: &str) -> Value {
    let (mut first, mut again, mut dry, mut peaks) = (vec![], vec![], vec![], vec![]);
    let path = file.to_str().expect("utf-8 path");
    for r in 0..runs {
        let v = Vault::new(root, &format!("{tag}-{r}"), bin);
        let (out, ms, _) = v.run(&["--json", "import", path, "--dry-run"]);
        dry.push(ms);
        let report: Value = serde_json::from_str(&out).expect("json");
        assert!(report["new"].as_u64().expect("new") >= n as u64, "{report}");
        let (out, ms, peak) = v.run(&["--json", "import", path]);
        first.push(ms);
        peaks.push(peak);
        let report: Value = serde_json::from_str(&out).expect("json");
        assert!(report["new"].as_u64().expect("new") >= n as u64, "{report}");
        let (out, ms, _) = v.run(&["--json", "import", path]);
        again.push(ms);
        let report: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(report["new"], 0, "{report}");
        let _ = std::fs::remove_dir_all(&v.dir);
    }
    let (f, a, d) = (median(first), median(again), median(dry));
    json!({
        "records": n,
        "first_ms": f.round(),
        "again_ms": a.round(),
        "dry_run_ms": d.round(),
        "first_over_dry_run": (f / d * 100.0).round() / 100.0,
        "ms_per_record": (f / n as f64 * 1000.0).round() / 1000.0,
        "first_peak_mib": (median(peaks) * 10.0).round() / 10.0,
    })
}

fn backup(root: &Path, bin: &Path, mib: usize, runs: usize) -> Value {
    let v = Vault::new(root, "backup", bin);
    let (id, _, _) = v.run(&["add", "document", "--set", "title=Scans"]);
    let id = id.trim().to_string();
    // Random bytes (they do not compress), in files of at most 25 MiB.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut left = mib;
    let mut part = 0;
    while left > 0 {
        let size = left.min(25);
        let file = root.join(format!("scan-{part}.bin"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).expect("create"));
        for _ in 0..(size << 17) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            w.write_all(&state.to_le_bytes()).expect("write");
        }
        w.flush().expect("flush");
        drop(w);
        v.run(&["attach", &id, file.to_str().expect("utf-8")]);
        std::fs::remove_file(&file).expect("remove");
        left -= size;
        part += 1;
    }
    let db = v.dir.join("vault.db");
    let (mut b, mut r, mut copy, mut bpeak, mut rpeak) = (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..runs {
        let out = root.join(format!("vault-{i}.backup"));
        let (_, ms, peak) = v.run(&["backup", "-o", out.to_str().expect("utf-8")]);
        b.push(ms);
        bpeak.push(peak);
        let target = root.join(format!("restored-{i}"));
        let (_, ms, peak) = run(
            bin,
            &target,
            None,
            &v.pass,
            &[
                "restore",
                out.to_str().expect("utf-8"),
                "--vault",
                target.to_str().expect("utf-8"),
            ],
        );
        r.push(ms);
        rpeak.push(peak);
        let started = Instant::now();
        std::fs::copy(&db, root.join("copy.db")).expect("copy");
        copy.push(started.elapsed().as_secs_f64() * 1000.0);
        let _ = std::fs::remove_file(root.join("copy.db"));
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_dir_all(&target);
    }
    let (bm, rm, cm) = (median(b), median(r), median(copy));
    json!({
        "attachments_mib": mib,
        "vault_mib": (std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0).round(),
        "backup_ms": bm.round(),
        "restore_ms": rm.round(),
        "file_copy_ms": cm.round(),
        "backup_over_copy": (bm / cm * 100.0).round() / 100.0,
        "backup_peak_mib": (median(bpeak) * 10.0).round() / 10.0,
        "restore_peak_mib": (median(rpeak) * 10.0).round() / 10.0,
    })
}

fn main() {
    let mut n = 10_000usize;
    let mut runs = 3usize;
    let mut mib = 100usize;
    let mut as_json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{what} takes a number"))
        };
        match a.as_str() {
            "--records" => n = num("--records"),
            "--runs" => runs = num("--runs").max(1),
            "--backup-mib" => mib = num("--backup-mib"),
            "--json" => as_json = true,
            other => panic!(
                "unknown argument {other}: see the usage at the top of examples/import_bench.rs"
            ),
        }
    }
    let bin = musette_binary();
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    let zip = root.join("linkedin.zip");
    std::fs::write(&zip, linkedin_zip(n)).expect("write");
    let vcf = root.join("contacts.vcf");
    std::fs::write(&vcf, vcards(n)).expect("write");
    let report = json!({
        "linkedin_zip": imports(root, &bin, &zip, runs, n, "linkedin"),
        "vcard": imports(root, &bin, &vcf, runs, n, "vcard"),
        "backup": if mib > 0 { backup(root, &bin, mib, runs) } else { Value::Null },
    });
    if as_json {
        println!("{report:#}");
        return;
    }
    for (what, r) in [
        ("LinkedIn ZIP", &report["linkedin_zip"]),
        ("vCard", &report["vcard"]),
    ] {
        println!(
            "{what}: {} records: first import {} ms ({} ms/record, peak {} MiB), again {} ms, dry run {} ms; first/dry-run {}",
            r["records"],
            r["first_ms"],
            r["ms_per_record"],
            r["first_peak_mib"],
            r["again_ms"],
            r["dry_run_ms"],
            r["first_over_dry_run"]
        );
    }
    let b = &report["backup"];
    if !b.is_null() {
        println!(
            "backup of {} MiB of attachments ({} MiB vault): {} ms (peak {} MiB), restore {} ms (peak {} MiB), file copy {} ms; backup/copy {}",
            b["attachments_mib"],
            b["vault_mib"],
            b["backup_ms"],
            b["backup_peak_mib"],
            b["restore_ms"],
            b["restore_peak_mib"],
            b["file_copy_ms"],
            b["backup_over_copy"]
        );
    }
}
