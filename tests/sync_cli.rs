//! Peer sync through the binary, on 127.0.0.1 only (`--bind 127.0.0.1:0 --no-relay`): pairing a
//! new device, `serve` and `sync` both ways while other commands use the vault, a stranger and
//! a bad ticket refused, `serve` stopping cleanly on SIGTERM.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{TestVault, code_and_err, start, wait};
use serde_json::Value;

const NET: [&str; 4] = ["--bind", "127.0.0.1:0", "--no-relay", "--name"];

#[test]
fn pair_a_device_then_sync_both_ways_while_serving() {
    let a = TestVault::new();
    let x = a.add("experience", &["title=Welder", "start=2019"]);
    let mut invite_args = vec!["--json", "device", "invite", "--timeout", "60s"];
    invite_args.extend(NET);
    invite_args.push("laptop");
    let (inviter, first) = start(&a, &invite_args);
    let invitation = first["ticket"].as_str().unwrap().to_string();
    assert!(invitation.starts_with("musettejoin1"));

    // The new device: its own folder and passphrase.
    let b_dir = a.tmp.path().join("phone");
    let b_pass = a.file("phone-pass", b"the phone's own passphrase");
    let mut join_args = vec![
        "--json",
        "device",
        "join",
        // Piped in, not on the command line (where a shell's history would keep it).
        "-",
        "--kdf-memory-mib",
        "19",
        "--kdf-iterations",
        "2",
    ];
    join_args.extend(NET);
    join_args.push("phone");
    let out = common::musette(a.tmp.path())
        .arg("--vault")
        .arg(&b_dir)
        .arg("--passphrase-file")
        .arg(&b_pass)
        .args(&join_args)
        .write_stdin(format!("{invitation}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let joined: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(joined["did"], a.json(&["id"])["did"]);
    // With --json, the inviter's output is JSON Lines: the invitation, then who joined.
    let (status, rest) = common::wait_rest(inviter, 30);
    assert!(status.success());
    let lines: Vec<&str> = rest.lines().collect();
    assert_eq!(lines.len(), 1, "{rest:?}");
    let joined: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(joined["joined"], "phone", "{joined}");
    assert!(joined["synced"].is_boolean(), "{joined}");
    let b = |args: &[&str]| {
        common::musette(a.tmp.path())
            .arg("--vault")
            .arg(&b_dir)
            .arg("--passphrase-file")
            .arg(&b_pass)
            .args(args)
            .output()
            .unwrap()
    };
    let shown = b(&["--json", "show", &x]);
    assert!(shown.status.success(), "{}", code_and_err(&shown).1);

    // serve on a; edits on both; sync from b.
    let mut serve_args = vec!["--json", "serve"];
    serve_args.extend(NET);
    serve_args.push("laptop");
    let (server, first) = start(&a, &serve_args);
    let ticket = first["ticket"].as_str().unwrap().to_string();
    assert!(
        first["addrs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s.as_str().unwrap().starts_with("127.0.0.1:"))
    );
    // One process answers for a vault: a second serve (or an invitation) is refused, said.
    let mut again = vec!["serve"];
    again.extend(NET);
    again.push("laptop-2");
    let refused = a.cmd().args(&again).output().unwrap();
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        code_and_err(&refused).1
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already serves this vault"),
        "{}",
        code_and_err(&refused).1
    );
    a.ok(&["edit", &x, "--set", "organization=Chantiers"]);
    let y = a.add("skill", &["name=TIG"]);
    assert!(
        b(&["edit", &x, "--set", "location=Saint-Nazaire"])
            .status
            .success()
    );
    let mut sync_args = vec!["--json", "sync", "--with", &ticket];
    sync_args.extend(NET);
    sync_args.push("phone");
    let out = b(&sync_args);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report[0]["records_received"], 2, "{report}");
    assert_eq!(report[0]["records_sent"], 1, "{report}");
    for k in ["bytes_sent", "bytes_received", "ms"] {
        assert!(report[0][k].is_u64(), "{report}");
    }
    let on_a = a.json(&["show", &x]);
    assert_eq!(on_a["fields"]["location"], "Saint-Nazaire");
    let on_b: Value = serde_json::from_slice(&b(&["--json", "show", &x]).stdout).unwrap();
    assert_eq!(on_b["fields"]["organization"], "Chantiers");
    assert!(b(&["show", &y]).status.success());

    // Another owner's ticket is not one of a stranger's devices (exit 2, before connecting);
    // added as a peer, it is refused by the vault it names (exit 6) and gets nothing; a bad
    // ticket is exit 2.
    let stranger = TestVault::new();
    let out = stranger
        .cmd()
        .args(["sync", "--with", &ticket])
        .args(NET)
        .arg("x")
        .output()
        .unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("peer add"), "{err}");
    stranger.ok(&["peer", "add", "them", &ticket]);
    let out = stranger
        .cmd()
        .args(["sync", "--with", "them"])
        .args(NET)
        .arg("x")
        .output()
        .unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("them refused this vault"), "{err}");
    assert!(stranger.ids().is_empty());
    let (code, err) = code_and_err(
        &stranger
            .cmd()
            .args(["sync", "--with", "musette1zzzz"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, Some(2), "{err}");

    // serve stops cleanly on SIGTERM.
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());
    for v in [a.cmd().arg("doctor").output().unwrap(), b(&["doctor"])] {
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    }
}

#[test]
fn a_sync_killed_at_any_point_leaves_both_vaults_valid_and_the_next_one_converges() {
    let a = TestVault::new();
    let pass = std::fs::read_to_string(&a.pass_file).unwrap();
    {
        let mut vault = musette_core::Vault::open(
            &a.dir,
            musette_core::Unlock::Passphrase(pass.trim_end().as_bytes()),
        )
        .unwrap();
        for i in 0..300 {
            let mut f = serde_json::Map::new();
            f.insert("title".into(), format!("Experience {i} ").repeat(20).into());
            vault
                .add(musette_core::model::Kind::Experience, f, &[])
                .unwrap();
        }
    }
    // The phone, and a tablet to time a whole first sync with: replicas made with the library
    // (pairing is tested above).
    let b_pass = a.file("phone-pass", b"the phone's own passphrase");
    let new_replica = |name: &str| {
        let dir = a.tmp.path().join(name);
        let vault = musette_core::Vault::open(
            &a.dir,
            musette_core::Unlock::Passphrase(pass.trim_end().as_bytes()),
        )
        .unwrap();
        musette_core::Vault::create_replica(
            &dir,
            b"the phone's own passphrase",
            musette_core::KdfParams::minimum(),
            &vault.device_keys().unwrap(),
            &mut |_, _| Ok(()),
        )
        .unwrap();
        dir
    };
    let b_dir = new_replica("phone");
    let probe_dir = new_replica("tablet");
    let mut serve_args = vec!["--json", "serve"];
    serve_args.extend(NET);
    serve_args.push("laptop");
    let (server, first) = start(&a, &serve_args);
    let ticket = first["ticket"].as_str().unwrap().to_string();
    // The kills fall anywhere in a first sync, its merges (a new device's first records are
    // written with a rollback journal) included.
    let started = std::time::Instant::now();
    let probe = common::musette(a.tmp.path())
        .arg("--vault")
        .arg(&probe_dir)
        .arg("--passphrase-file")
        .arg(&b_pass)
        .args(["sync", "--with", &ticket])
        .args(NET)
        .arg("tablet")
        .output()
        .unwrap();
    assert!(probe.status.success(), "{}", code_and_err(&probe).1);
    let window = started.elapsed().as_millis() as u64 + 20;
    let mut rng = common::Rng::from_time();
    for round in 0..8 {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("musette"))
            .env_remove("MUSETTE_SESSION")
            .env("HOME", a.tmp.path())
            .arg("--vault")
            .arg(&b_dir)
            .arg("--passphrase-file")
            .arg(&b_pass)
            .args(["sync", "--with", &ticket])
            .args(NET)
            .arg("phone")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(window)));
        let _ = child.kill();
        let _ = child.wait();
        let doctor = common::musette(a.tmp.path())
            .arg("--vault")
            .arg(&b_dir)
            .arg("--passphrase-file")
            .arg(&b_pass)
            .arg("doctor")
            .output()
            .unwrap();
        assert!(
            doctor.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&doctor.stdout)
        );
    }
    let out = common::musette(a.tmp.path())
        .arg("--vault")
        .arg(&b_dir)
        .arg("--passphrase-file")
        .arg(&b_pass)
        .args(["--json", "sync", "--with", &ticket])
        .args(NET)
        .arg("phone")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let listed = common::musette(a.tmp.path())
        .arg("--vault")
        .arg(&b_dir)
        .arg("--passphrase-file")
        .arg(&b_pass)
        .args(["--json", "list"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 300);
    assert!(a.cmd().arg("doctor").output().unwrap().status.success());
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());
}

/// A replica of `a`'s vault in `dir`, with its own passphrase file.
fn replica(a: &TestVault, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let pass = std::fs::read_to_string(&a.pass_file).unwrap();
    let vault = musette_core::Vault::open(
        &a.dir,
        musette_core::Unlock::Passphrase(pass.trim_end().as_bytes()),
    )
    .unwrap();
    let dir = a.tmp.path().join(name);
    let file = a.file(
        &format!("{name}-pass"),
        format!("{name}'s own passphrase").as_bytes(),
    );
    musette_core::Vault::create_replica(
        &dir,
        format!("{name}'s own passphrase").as_bytes(),
        musette_core::KdfParams::minimum(),
        &vault.device_keys().unwrap(),
        &mut |_, _| Ok(()),
    )
    .unwrap();
    (dir, file)
}

#[test]
fn three_devices_with_a_20_mib_attachment_converge_through_one_that_serves() {
    let a = TestVault::new();
    let r = a.add("evidence", &["title=Site video"]);
    let q = a.add("document", &["title=Old payslip"]);
    let video: Vec<u8> = (0..20u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let path = a.file("video.bin", &video);
    a.ok(&["attach", &r, path.to_str().unwrap()]);
    let (b_dir, b_pass) = replica(&a, "phone");
    let (c_dir, c_pass) = replica(&a, "tablet");
    let on = |dir: &std::path::Path, pass: &std::path::Path, args: &[&str]| {
        common::musette(a.tmp.path())
            .arg("--vault")
            .arg(dir)
            .arg("--passphrase-file")
            .arg(pass)
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |dir: &std::path::Path, pass: &std::path::Path, args: &[&str]| {
        let out = on(dir, pass, args);
        assert!(out.status.success(), "{args:?}: {}", code_and_err(&out).1);
        out.stdout
    };
    let mut serve_args = vec!["--json", "serve"];
    serve_args.extend(NET);
    serve_args.push("laptop");
    let (server, first) = start(&a, &serve_args);
    let ticket = first["ticket"].as_str().unwrap().to_string();
    let with = |name: &'static str| -> Vec<String> {
        let mut v: Vec<String> = vec!["sync".into(), "--with".into(), ticket.clone()];
        v.extend(NET.iter().map(|s| s.to_string()));
        v.push(name.into());
        v
    };
    let remembered = |name: &'static str| -> Vec<String> {
        let mut v: Vec<String> = vec!["--json".into(), "sync".into()];
        v.extend(NET.iter().map(|s| s.to_string()));
        v.push(name.into());
        v
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    ok(&b_dir, &b_pass, &args(&with("phone")));
    ok(&c_dir, &c_pass, &args(&with("tablet")));
    // Offline edits on b and c, a forget on c; then syncs with no ticket (the devices
    // remembered), in an order where b only sees c's work through a.
    ok(
        &b_dir,
        &b_pass,
        &["edit", &r, "--set", "description=filmed from the crane"],
    );
    ok(&c_dir, &c_pass, &["edit", &r, "--set", "date=2024-05"]);
    ok(&c_dir, &c_pass, &["forget", &q, "--yes"]);
    ok(&b_dir, &b_pass, &args(&remembered("phone")));
    let report: Value =
        serde_json::from_slice(&ok(&c_dir, &c_pass, &args(&remembered("tablet")))).unwrap();
    assert_eq!(report[0]["peer"], "laptop", "{report}");
    ok(&b_dir, &b_pass, &args(&remembered("phone")));
    for (dir, pass) in [(&b_dir, &b_pass), (&c_dir, &c_pass)] {
        let shown: Value = serde_json::from_slice(&ok(dir, pass, &["--json", "show", &r])).unwrap();
        assert_eq!(shown["fields"]["description"], "filmed from the crane");
        assert_eq!(shown["fields"]["date"], "2024-05");
        assert_eq!(on(dir, pass, &["show", &q]).status.code(), Some(4));
        let got = a.tmp.path().join("got.bin");
        ok(
            dir,
            pass,
            &["get", &r, "video.bin", "-o", got.to_str().unwrap()],
        );
        assert!(
            std::fs::read(&got).unwrap() == video,
            "the 20 MiB attachment arrived whole"
        );
        ok(dir, pass, &["doctor"]);
    }
    assert_eq!(a.json(&["show", &r])["fields"]["date"], "2024-05");
    a.fails(4, &["show", &q]);
    let devices: Value =
        serde_json::from_slice(&ok(&c_dir, &c_pass, &["--json", "device", "list"])).unwrap();
    let names: Vec<&str> = devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    // This device by the name it was given (`--name tablet`, remembered), first.
    assert_eq!(names, vec!["tablet", "laptop"], "{devices}");
    assert_eq!(devices[0]["this_device"], true, "{devices}");
    // Times in RFC 3339, as every other `--json` gives them; none for this device.
    assert!(devices[0]["last_sync"].is_null(), "{devices}");
    let when = devices[1]["last_sync"].as_str().unwrap_or_default();
    assert!(
        time::OffsetDateTime::parse(when, &time::format_description::well_known::Rfc3339).is_ok(),
        "{devices}"
    );
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());
    // The serving device knows the others by no address (they dialled in) and relays are off:
    // a sync with no ticket leaves them out, says why, and is no failure.
    let out = a.cmd().args(args(&remembered("laptop"))).output().unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
    for name in ["phone", "tablet"] {
        assert!(err.contains(&format!("{name} is left out")), "{err}");
    }
}

#[test]
fn a_removed_device_is_refused_and_the_others_take_the_new_keys() {
    let a = TestVault::new();
    let before = a.add("skill", &["name=Before the removal"]);
    let (b_dir, b_pass) = replica(&a, "phone");
    let (c_dir, c_pass) = replica(&a, "stolen");
    let on = |dir: &std::path::Path, pass: &std::path::Path, args: &[&str]| {
        common::musette(a.tmp.path())
            .arg("--vault")
            .arg(dir)
            .arg("--passphrase-file")
            .arg(pass)
            .args(args)
            .output()
            .unwrap()
    };
    let serve = |a: &TestVault| {
        let mut serve_args = vec!["--json", "serve"];
        serve_args.extend(NET);
        serve_args.push("laptop");
        let (server, first) = start(a, &serve_args);
        (server, first["ticket"].as_str().unwrap().to_string())
    };
    let sync_args = |ticket: &str, name: &str, extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = vec![
            "--json".into(),
            "sync".into(),
            "--with".into(),
            ticket.into(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.extend(NET.iter().map(|s| s.to_string()));
        v.push(name.into());
        v
    };
    // One device's `sync --with TICKET` under a name, with more options.
    let sync_on = |dir: &std::path::Path,
                   pass: &std::path::Path,
                   ticket: &str,
                   name: &str,
                   extra: &[&str]| {
        let args = sync_args(ticket, name, extra);
        on(
            dir,
            pass,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let (server, ticket) = serve(&a);
    for (dir, pass, name) in [(&b_dir, &b_pass, "phone"), (&c_dir, &c_pass, "stolen")] {
        let out = sync_on(dir, pass, &ticket, name, &[]);
        assert!(out.status.success(), "{}", code_and_err(&out).1);
    }
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());

    // The laptop removes the stolen device: new keys, a new recovery key. A removal that
    // cannot show the new recovery key (stdout full) changes nothing and can be run again.
    let listed = a.json(&["device", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    let full = Command::new(assert_cmd::cargo::cargo_bin("musette"))
        .env_remove("MUSETTE_SESSION")
        .env_remove("MUSETTE_CONFIG")
        .env("HOME", a.tmp.path())
        .arg("--vault")
        .arg(&a.dir)
        .arg("--passphrase-file")
        .arg(&a.pass_file)
        .args(["device", "remove", "stolen"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(1), "{}", code_and_err(&full).1);
    assert_eq!(a.json(&["device", "list"]), listed, "nothing changed");
    // With --json (on a copy of the vault): which device went, and the new recovery key.
    let copy = a.tmp.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for f in std::fs::read_dir(&a.dir).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), copy.join(f.file_name())).unwrap();
        }
    }
    let out = on(
        &copy,
        &a.pass_file,
        &["--json", "device", "remove", "stolen"],
    );
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let said: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["removed"]["name"], "stolen", "{said}");
    assert_eq!(said["removed"]["id"].as_str().unwrap().len(), 32, "{said}");
    assert!(
        said["recovery_key"].as_str().is_some_and(|k| k.len() > 20),
        "{said}"
    );
    let out = a.with_pass(&a.pass_file, &["device", "remove", "stolen"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Removed stolen"), "{said}");
    assert!(said.contains("phone"), "{said}");
    let listed = a.with_pass(&a.pass_file, &["--json", "device", "list"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let rows = listed.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["name"] == "stolen" && r["removed"] == true),
        "{listed}"
    );
    assert!(
        rows.iter()
            .any(|r| r["name"] == "phone" && r["waiting_for_keys"] == true)
    );
    let after = {
        let out = a.with_pass(
            &a.pass_file,
            &["add", "skill", "--set", "name=After the removal"],
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };

    // The session ended with the rekey: serve with the passphrase.
    let mut serve_args: Vec<String> = vec![
        "--passphrase-file".into(),
        a.pass_file.to_str().unwrap().into(),
        "--json".into(),
        "serve".into(),
    ];
    serve_args.extend(NET.iter().map(|s| s.to_string()));
    serve_args.push("laptop".into());
    let (server, first) = start(
        &a,
        &serve_args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let ticket = first["ticket"].as_str().unwrap().to_string();

    // The stolen device is refused and gets nothing.
    let out = sync_on(&c_dir, &c_pass, &ticket, "stolen", &["--accept-new-keys"]);
    assert_eq!(out.status.code(), Some(6), "{}", code_and_err(&out).1);
    assert_eq!(
        on(&c_dir, &c_pass, &["show", &after]).status.code(),
        Some(4)
    );

    // The phone, without a terminal and without --accept-new-keys, is told what to do.
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", code_and_err(&out).1);
    assert!(code_and_err(&out).1.contains("--accept-new-keys"));
    // With it: the new keys, a new recovery key, then the sync.
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &["--accept-new-keys"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows[0]["new_recovery_key"].as_str().unwrap().len() > 20,
        "{rows}"
    );
    assert_eq!(rows[0]["records_received"], 1, "{rows}");
    assert!(on(&b_dir, &b_pass, &["show", &after]).status.success());
    assert!(on(&b_dir, &b_pass, &["show", &before]).status.success());
    assert!(on(&b_dir, &b_pass, &["doctor"]).status.success());
    // Later syncs are ordinary ones.
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &[]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    // The stolen device is refused by the phone too, and the laptop logged its attempt.
    let out = sync_on(&c_dir, &c_pass, &ticket, "stolen", &["--accept-new-keys"]);
    assert_eq!(out.status.code(), Some(6));
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());
    let log = a.with_pass(&a.pass_file, &["--json", "audit"]);
    let log: Value = serde_json::from_slice(&log.stdout).unwrap();
    let events: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for e in ["device-removed", "keys-handed-over", "refused"] {
        assert!(events.contains(&e), "{e} not in {events:?}");
    }
    let listed = a.with_pass(&a.pass_file, &["--json", "device", "list"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(
        !listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["waiting_for_keys"] == true),
        "{listed}"
    );

    // A plain `rekey` on the laptop: the phone is handed those keys too (it was refused as a
    // stranger before), said as new keys made, not as a removal.
    let out = a.with_pass(&a.pass_file, &["rekey"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Your other devices (phone) take the new keys"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let later = {
        let out = a.with_pass(
            &a.pass_file,
            &["add", "skill", "--set", "name=After the rekey"],
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (server, first) = start(
        &a,
        &serve_args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let ticket = first["ticket"].as_str().unwrap().to_string();
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &[]);
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("made new keys for this vault"), "{err}");
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &["--accept-new-keys"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    assert!(on(&b_dir, &b_pass, &["show", &later]).status.success());
    // The removed device stays refused.
    let out = sync_on(&c_dir, &c_pass, &ticket, "stolen", &["--accept-new-keys"]);
    assert_eq!(out.status.code(), Some(6));
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());
    // Two key changes in a row before the phone syncs: it is handed the newest keys (it holds
    // keys from two changes back, which the laptop still accepts from it, this once).
    for _ in 0..2 {
        let out = a.with_pass(&a.pass_file, &["rekey"]);
        assert!(out.status.success(), "{}", code_and_err(&out).1);
    }
    let (server, first) = start(
        &a,
        &serve_args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let ticket = first["ticket"].as_str().unwrap().to_string();
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &["--accept-new-keys"]);
    assert!(out.status.success(), "{}", code_and_err(&out).1);
    let out = sync_on(&b_dir, &b_pass, &ticket, "phone", &[]);
    assert!(
        out.status.success(),
        "then an ordinary sync: {}",
        code_and_err(&out).1
    );
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(wait(server, 20).success());

    // The laptop gone: the phone's sync says which of its devices it could not reach.
    let mut args = vec!["sync".to_string()];
    args.extend(NET.iter().map(|s| s.to_string()));
    args.push("phone".into());
    let out = on(
        &b_dir,
        &b_pass,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("could not reach laptop"), "{err}");
}
