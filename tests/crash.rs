//! Crash safety: writers killed with SIGKILL at random points, dozens of times. After each kill
//! the vault opens, every write that had been acknowledged (the command exited 0) is there, and
//! `doctor` passes. A passphrase change killed at any point leaves a vault that opens with the
//! old or the new passphrase.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Rng, TestVault};
use serde_json::Value;

/// Runs `script` in its own process group and kills the whole group with SIGKILL after `after`.
/// Returns what it printed before dying.
fn run_and_kill(v: &TestVault, script: &str, after: Duration) -> String {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("MUSETTE_VAULT", &v.dir)
        .env("MUSETTE_SESSION", &v.session)
        .env("M", assert_cmd::cargo::cargo_bin("musette"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let pgid = child.id().to_string();
    let status = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status()
        .unwrap();
    assert!(
        status.success(),
        "could not kill the writer's process group"
    );
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child.wait().unwrap();
    out
}

#[test]
fn killed_writers_never_lose_acknowledged_writes() {
    let v = TestVault::new();
    let fixed = v.add("experience", &["title=Long record"]);
    let file = v.file("scan.bin", &vec![42u8; 2 << 20]);
    let mut rng = Rng::from_time();
    let mut added = BTreeSet::new();
    let mut fields = BTreeSet::new();
    let mut attachments = BTreeSet::new();
    let mut next = 0u64;
    let rounds = 30;
    for round in 0..rounds {
        let script = format!(
            r#"i={next}
while :; do
  id=$("$M" add skill --set name=n$i --set level=$i) && echo "add $id"
  "$M" edit {fixed} --set f$i=$i >/dev/null && echo "edit f$i"
  if [ $((i % 3)) -eq 0 ]; then "$M" attach {fixed} {file} --name a$i >/dev/null && echo "attach a$i"; fi
  i=$((i+1))
done"#,
            file = file.display()
        );
        next += 1000;
        let out = run_and_kill(&v, &script, Duration::from_millis(30 + rng.below(400)));
        for line in out.lines() {
            match line.split_once(' ') {
                Some(("add", id)) => added.insert(id.to_string()),
                Some(("edit", f)) => fields.insert(f.to_string()),
                Some(("attach", a)) => attachments.insert(a.to_string()),
                _ => panic!("unexpected output {line:?}"),
            };
        }
        // The vault opens and holds every acknowledged write.
        let ids: BTreeSet<String> = v.ids().into_iter().collect();
        for id in &added {
            assert!(
                ids.contains(id),
                "round {round}: acknowledged record {id} was lost"
            );
        }
        let shown = v.json(&["show", &fixed]);
        for f in &fields {
            assert!(
                shown["fields"].get(f).is_some(),
                "round {round}: acknowledged field {f} was lost"
            );
        }
        let names: BTreeSet<&str> = shown["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        for a in &attachments {
            assert!(
                names.contains(a.as_str()),
                "round {round}: acknowledged attachment {a} was lost"
            );
        }
        if round % 5 == 4 || round == rounds - 1 {
            let report = v.json(&["doctor"]);
            assert_eq!(report["problems"], Value::Array(vec![]), "round {round}");
        }
    }
    assert!(
        added.len() >= rounds,
        "too few writes were acknowledged to test anything: {}",
        added.len()
    );
    eprintln!(
        "{} records, {} edits and {} attachments acknowledged over {rounds} kills",
        added.len(),
        fields.len(),
        attachments.len()
    );
}

#[test]
fn a_killed_passphrase_change_leaves_the_old_or_the_new_passphrase() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    let mut current = v.pass_file.clone();
    // How long one change takes, to spread the kills over all of it.
    let probe_next = v.file("probe", b"probe passphrase 0");
    let started = Instant::now();
    let out = v
        .bare()
        .arg("--passphrase-file")
        .arg(&current)
        .arg("passwd")
        .arg("--new-passphrase-file")
        .arg(&probe_next)
        .output()
        .unwrap();
    assert!(out.status.success());
    let window = started.elapsed().as_millis() as u64 + 5;
    current = probe_next;
    let mut rng = Rng::from_time();
    let (mut changed, mut kept) = (0, 0);
    for round in 0..25 {
        let next = v.file(
            &format!("pass{round}"),
            format!("passphrase number {round}").as_bytes(),
        );
        let script = format!(
            r#"exec "$M" --passphrase-file {} passwd --new-passphrase-file {}"#,
            current.display(),
            next.display()
        );
        run_and_kill(&v, &script, Duration::from_millis(rng.below(window)));
        let opens = |pass: &std::path::Path| {
            v.bare()
                .arg("--passphrase-file")
                .arg(pass)
                .args(["show", &id])
                .output()
                .unwrap()
                .status
        };
        let with_old = opens(&current);
        if with_old.success() {
            kept += 1;
        } else {
            assert_eq!(
                with_old.code(),
                Some(3),
                "round {round}: the old passphrase failed oddly"
            );
            assert!(
                opens(&next).success(),
                "round {round}: neither the old nor the new passphrase opens the vault"
            );
            current = next;
            changed += 1;
        }
    }
    let report = v
        .bare()
        .arg("--passphrase-file")
        .arg(&current)
        .args(["--json", "doctor"])
        .output()
        .unwrap();
    assert!(report.status.success());
    eprintln!("passphrase changes: {changed} completed, {kept} cut off before commit");
}

#[test]
fn a_killed_rekey_leaves_the_old_keys_or_the_new_ones_and_every_record_reads() {
    let v = TestVault::new();
    // A few hundred records, written through the library (quicker than one process each).
    {
        let mut vault = musette_core::Vault::open(
            &v.dir,
            musette_core::Unlock::Passphrase(common::PASSPHRASE.as_bytes()),
        )
        .unwrap();
        for i in 0..300 {
            let mut fields = serde_json::Map::new();
            fields.insert("name".into(), format!("Skill number {i}").into());
            vault
                .add(musette_core::model::Kind::Skill, fields, &[])
                .unwrap();
        }
    }
    let holder = v.add("evidence", &["title=Site photos"]);
    v.ok(&[
        "attach",
        &holder,
        v.file("photos.bin", &vec![3u8; (1 << 20) + 777])
            .to_str()
            .unwrap(),
    ]);
    let mut current = v.pass_file.clone();
    let probe = v.file("probe", b"probe passphrase 0");
    let started = Instant::now();
    let out = v
        .bare()
        .arg("--passphrase-file")
        .arg(&current)
        .args([
            "passwd",
            "--rekey",
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
        ])
        .arg("--new-passphrase-file")
        .arg(&probe)
        .output()
        .unwrap();
    assert!(out.status.success());
    let window = started.elapsed().as_millis() as u64 + 5;
    current = probe;
    let mut rng = Rng::from_time();
    let (mut changed, mut kept) = (0, 0);
    for round in 0..14 {
        let next = v.file(
            &format!("rekey{round}"),
            format!("rekey passphrase {round}").as_bytes(),
        );
        let script = format!(
            r#"exec "$M" --passphrase-file {} passwd --rekey --kdf-memory-mib 19 --kdf-iterations 2 --new-passphrase-file {}"#,
            current.display(),
            next.display()
        );
        // The key derivations take the first part; the transaction and what follows it the
        // rest: spread the kills over the second half, and a little past the end.
        let at = window / 2 + rng.below(window / 2 + 10);
        run_and_kill(&v, &script, Duration::from_millis(at));
        let doctor = |pass: &std::path::Path| {
            v.bare()
                .arg("--passphrase-file")
                .arg(pass)
                .args(["--json", "doctor"])
                .output()
                .unwrap()
        };
        let old = doctor(&current);
        let report = if old.status.success() {
            kept += 1;
            old
        } else {
            assert_eq!(
                old.status.code(),
                Some(3),
                "round {round}: the old passphrase failed oddly: {}",
                String::from_utf8_lossy(&old.stderr)
            );
            let new = doctor(&next);
            assert!(
                new.status.success(),
                "round {round}: neither the old nor the new keys open the vault: {}",
                String::from_utf8_lossy(&new.stderr)
            );
            current = next;
            changed += 1;
            new
        };
        let report: Value = serde_json::from_slice(&report.stdout).unwrap();
        assert_eq!(report["records"], 301, "round {round}");
        assert_eq!(report["attachments"], 1, "round {round}");
    }
    eprintln!("rekeys: {changed} completed, {kept} cut off before commit");
}
