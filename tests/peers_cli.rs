//! Sharing with peers through the binary, on 127.0.0.1 only: a worker shares chosen fields with
//! an employer (canaries in an unshared field and in an earlier value never reach it), updates
//! travel, `unshare` revokes; a guild; a recommendation co-signed over the network; a stranger
//! refused and logged; mistakes refused with exit 2.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod common;

use common::{TestVault, start, wait};
use serde_json::Value;

const NET: [&str; 4] = ["--bind", "127.0.0.1:0", "--no-relay", "--name"];
const UNSHARED: &str = "CANARY-unshared-4471";
const EARLIER: &str = "CANARY-earlier-9310";

fn serve(v: &TestVault, name: &str) -> (common::Running, String) {
    let mut args = vec!["--json", "serve"];
    args.extend(NET);
    args.push(name);
    let (running, first) = start(v, &args);
    (running, first["ticket"].as_str().unwrap().to_string())
}

fn ticket(v: &TestVault) -> String {
    let mut args = vec!["ticket"];
    args.extend(NET);
    args.push("t");
    v.ok(&args).trim().to_string()
}

fn sync(v: &TestVault, with: &[&str]) -> Value {
    let mut args = vec!["sync"];
    args.extend_from_slice(with);
    args.extend(NET);
    args.push("laptop");
    v.json(&args)
}

/// Every output of the recipient about what it received.
fn everything_printed(e: &TestVault, id: &str) -> String {
    let mut all = String::new();
    for args in [
        vec!["received"],
        vec!["--json", "received"],
        vec!["show", id],
        vec!["--json", "show", id],
        vec!["history", id],
        vec!["--json", "history", id],
        vec!["verify", id],
        vec!["audit"],
        vec!["--json", "audit"],
    ] {
        all.push_str(&e.ok(&args));
    }
    all
}

#[test]
fn share_update_unshare_guild_and_cosign_between_owners() {
    let w = TestVault::new();
    let e = TestVault::new();
    let m = TestVault::new();
    let (e_server, te) = serve(&e, "inbox");
    let (m_server, tm) = serve(&m, "mentor-laptop");
    let tw = ticket(&w);
    w.ok(&["peer", "add", "acme", &te]);
    w.ok(&["peer", "add", "mentor", &tm]);
    e.ok(&["peer", "add", "sam", &tw]);
    m.ok(&["peer", "add", "sam", &tw]);
    let peers = w.json(&["peer", "list"]);
    assert_eq!(peers.as_array().unwrap().len(), 2);

    // An experience whose title once held a canary, with a canary in an unshared field.
    let x = w.add(
        "experience",
        &[
            &format!("title={EARLIER}"),
            "organization=Atelier Dupont",
            &format!("description={UNSHARED}"),
        ],
    );
    w.ok(&["edit", &x, "--set", "title=Cabinetmaker"]);
    w.ok(&[
        "share",
        &x,
        "--with",
        "acme",
        "--fields",
        "title,organization",
    ]);
    // A skill for the guild, a recommendation for the mentor to co-sign.
    let s = w.add("skill", &["name=Joinery"]);
    // With --json, a change says the guild as it is now.
    let made = w.json(&["guild", "create", "crew"]);
    assert_eq!(made, serde_json::json!({ "name": "crew", "members": [] }));
    let joined = w.json(&["guild", "add", "crew", "mentor"]);
    assert_eq!(joined["members"][0]["name"], "mentor", "{joined}");
    assert!(
        joined["members"][0]["did"]
            .as_str()
            .unwrap()
            .starts_with("did:key:"),
        "{joined}"
    );
    w.ok(&["guild", "create", "short-lived"]);
    assert_eq!(
        w.json(&["guild", "delete", "short-lived"]),
        serde_json::json!({ "name": "short-lived", "deleted": true })
    );
    w.ok(&["share", &s, "--with", "crew"]);
    // The same again: nothing new, and said so.
    let again = w.json(&["share", &s, "--with", "crew"]);
    assert_eq!(again[0]["unchanged"], true, "{again}");
    assert!(
        w.ok(&["share", &s, "--with", "crew"])
            .contains("already shared")
    );
    let r = w.add(
        "recommendation",
        &["text=Careful, quick, kind.", "author=Mentor"],
    );
    w.ok(&["recommend", "request", &r, "--to", "mentor"]);
    let shares = w.json(&["shares"]);
    assert_eq!(shares.as_array().unwrap().len(), 2);

    let rows = sync(&w, &[]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in rows {
        assert_eq!(row["kind"], "peer");
        assert!(row.get("error").is_none(), "{row}");
        for k in [
            "records_sent",
            "records_received",
            "bytes_sent",
            "bytes_received",
            "ms",
        ] {
            assert!(row[k].is_u64(), "{k} in {row}");
        }
    }
    // What went out, by kind: the request to the mentor counts as one sent.
    let sum =
        |rows: &[Value], k: &str| -> u64 { rows.iter().map(|r| r[k].as_u64().unwrap()).sum() };
    assert_eq!(sum(rows, "cosign_requests_sent"), 1, "{rows:?}");
    assert_eq!(sum(rows, "revoked_sent"), 0, "{rows:?}");

    // The employer holds the chosen fields, verified, and no canary anywhere it prints.
    let got = e.json(&["received"]);
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["from"], "sam");
    assert_eq!(got[0]["title"], "Cabinetmaker");
    assert_eq!(got[0]["verified"], true);
    assert_eq!(got[0]["revoked"], false);
    let fields: Vec<&String> = got[0]["fields"].as_object().unwrap().keys().collect();
    assert_eq!(fields, vec!["organization", "title"]);
    let id = got[0]["id"].as_str().unwrap().to_string();
    let printed = everything_printed(&e, &id[..8]);
    for canary in [UNSHARED, EARLIER, x.as_str(), s.as_str()] {
        assert!(!printed.contains(canary), "{canary} reached the employer");
    }

    // The mentor got the guild's skill and the request; signs it while its serve runs.
    assert_eq!(m.json(&["received"]).as_array().unwrap().len(), 1);
    let reqs = m.json(&["recommend", "requests"]);
    let req = reqs[0]["id"].as_str().unwrap().to_string();
    assert_eq!(reqs[0]["state"], "pending");
    // `due` lists it by its whole id (32 characters), which `recommend sign` takes.
    let due = m.ok(&["due"]);
    assert!(due.contains(&req), "{due}");
    assert!(reqs[0]["text"].as_str().unwrap().contains("Careful"));
    m.ok(&["recommend", "sign", &req[..10], "--yes"]);

    // An edit to a shared field, the answer back: the next sync.
    w.ok(&["edit", &x, "--set", "title=Master cabinetmaker"]);
    let rows = sync(&w, &[]);
    let cosigned: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cosigned"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(cosigned, 1, "{rows}");
    let shown = w.json(&["show", &r]);
    let mdid = m.json(&["id"])["did"].as_str().unwrap().to_string();
    assert!(
        shown["cosigners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["did"] == mdid.as_str()),
        "{shown}"
    );
    assert_eq!(e.json(&["received"])[0]["title"], "Master cabinetmaker");
    assert_eq!(
        e.json(&["history", &id]).as_array().unwrap().len(),
        2,
        "the share's own history: made, then edited"
    );
    // Said with dates as every listing says them (not RFC 3339 text).
    let text = e.ok(&["history", &id]);
    assert!(
        text.lines().all(|l| !l.contains('T') || !l.contains('Z')) && text.contains(" +"),
        "{text}"
    );

    // Unshare: revoked at the recipient, which keeps what it had.
    w.ok(&["unshare", &x, "--from", "acme"]);
    w.ok(&["edit", &x, "--set", "title=CANARY-after-unshare"]);
    w.ok(&["guild", "remove", "crew", "mentor"]);
    let rows = sync(&w, &[]);
    // Two revocations went out (to acme, and to the mentor who left the guild), and the
    // text says them too.
    let revoked: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revoked_sent"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(revoked, 2, "{rows}");
    let got = e.json(&["received"]);
    assert_eq!(got[0]["revoked"], true);
    assert_eq!(got[0]["title"], "Master cabinetmaker");
    assert!(e.ok(&["received"]).contains("REVOKED"));
    assert!(!everything_printed(&e, &id).contains("CANARY-after-unshare"));
    assert_eq!(m.json(&["received"])[0]["revoked"], true);
    // The guild's share reaches nobody now, and `shares` says so (not "not sent yet").
    let crew = w.json(&["shares"]);
    let crew = crew
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["with"] == "guild crew")
        .unwrap();
    assert_eq!(crew["recipients"], 0, "{crew}");
    assert!(
        w.ok(&["shares"])
            .contains("nobody receives it: the guild has no members now")
    );
    assert!(
        w.ok(&["guild", "list"])
            .contains("(no members: add one with")
    );
    // The audit log names the guild a peer left.
    assert!(
        w.ok(&["audit"])
            .lines()
            .any(|l| l.contains("guild-left") && l.contains("mentor") && l.contains("guild crew"))
    );

    // The worker's audit log tells the story (each entry: one time, and its timestamp).
    let log = w.json(&["audit"]);
    assert!(
        log[0]["time"].is_string() && log[0]["timestamp"].is_u64(),
        "{}",
        log[0]
    );
    let events: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for ev in [
        "shared",
        "sent",
        "cosign-requested",
        "cosigned",
        "unshared",
        "revoked-sent",
        "guild-left",
    ] {
        assert!(events.contains(&ev), "{ev} not in {events:?}");
    }

    // A stranger who knows the employer's ticket is refused, learns nothing, and is logged.
    let stranger = TestVault::new();
    stranger.ok(&["peer", "add", "acme", &te]);
    let mut args = vec!["sync", "--with", "acme"];
    args.extend(NET);
    args.push("x");
    let err = stranger.fails(6, &args);
    assert!(err.contains("acme refused this vault"), "{err}");
    assert!(stranger.json(&["received"]).as_array().unwrap().is_empty());
    let log = e.json(&["audit"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|ev| ev["event"] == "refused"),
        "{log}"
    );

    // A peer removed while it holds something shared with it is told, at the next sync, that
    // it is revoked (and nothing else); then it is forgotten, and refused as any stranger.
    // A co-signature it still owes does not keep it from hearing of it.
    let y = w.add("skill", &["name=Varnishing"]);
    w.ok(&["share", &y, "--with", "acme"]);
    let r2 = w.add("recommendation", &["text=Steady hands.", "author=Acme"]);
    w.ok(&["recommend", "request", &r2, "--to", "acme"]);
    sync(&w, &[]);
    let owed = e.json(&["recommend", "requests"]);
    let owed = owed
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["state"] == "pending")
        .unwrap_or_else(|| panic!("{owed}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    e.ok(&["recommend", "sign", &owed[..10], "--yes"]);
    let varnishing = |v: &TestVault| -> Value {
        v.json(&["received"])
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"] == "Varnishing")
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(varnishing(&e)["revoked"], false);
    let removed = w.json(&["peer", "remove", "acme"]);
    assert_eq!(removed["told_at_next_sync"], true, "{removed}");
    let listed = w.json(&["peer", "list"]);
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "acme" && p["leaving"] == true),
        "{listed}"
    );
    let rows = sync(&w, &[]);
    let told = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["peer"] == "acme")
        .cloned()
        .unwrap_or_else(|| panic!("{rows}"));
    assert!(told["revoked_sent"].as_u64().unwrap() >= 1, "{told}");
    assert_eq!(told["records_received"], 0, "{told}");
    assert_eq!(told["cosigned"], 0, "nothing it sends is kept: {told}");
    assert_eq!(varnishing(&e)["revoked"], true);
    let rows = sync(&w, &[]);
    assert!(
        !rows.as_array().unwrap().iter().any(|r| r["peer"] == "acme"),
        "told once: {rows}"
    );
    let log = w.json(&["audit"]);
    let log = log.as_array().unwrap();
    assert!(log.iter().any(|ev| ev["event"] == "peer-left"));
    // Every revocation sent is logged under the peer's name, the last one too.
    assert!(
        log.iter()
            .filter(|ev| ev["event"] == "revoked-sent")
            .all(|ev| ev["peer"].is_string()),
        "{log:?}"
    );

    for server in [e_server, m_server] {
        let pid = server.id().to_string();
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(wait(server, 20).success());
    }
    for v in [&w, &e, &m] {
        v.ok(&["doctor"]);
    }
}

#[test]
fn mistakes_are_refused_with_exit_2_and_change_nothing() {
    let w = TestVault::new();
    let other = TestVault::new();
    let t = ticket(&other);
    let own = ticket(&w);
    let x = w.add("skill", &["name=Welding"]);
    for (args, says) in [
        (vec!["peer", "add", "acme", "musette1garbage"], "ticket"),
        (vec!["peer", "add", "acme", "not a ticket"], "ticket"),
        (vec!["peer", "add", "", &t], "empty"),
        (vec!["peer", "add", "me", &own], "your own devices"),
        (vec!["peer", "remove", "nobody"], "no peer"),
        (vec!["share", &x, "--with", "nobody"], "no peer or guild"),
        (vec!["guild", "add", "crew", "acme"], "no peer"),
        (vec!["unshare", &x, "--from", "nobody"], "no peer or guild"),
    ] {
        let err = w.fails(2, &args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    w.ok(&["peer", "add", "acme", &t]);
    for (args, says) in [
        (vec!["peer", "add", "acme2", &t], "already known as"),
        (vec!["guild", "create", "acme"], "name of a peer"),
        (
            vec!["share", &x, "--with", "acme", "--fields", "salary"],
            "no field",
        ),
        (vec!["share", "zzzzzzzz", "--with", "acme"], "no record"),
        (vec!["unshare", &x, "--from", "acme"], "not shared"),
        (vec!["guild", "remove", "crew", "acme"], "no guild"),
    ] {
        let out = w.cmd().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(2) | Some(4)),
            "{args:?}: {:?} {err}",
            out.status.code()
        );
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // Two records, the second without that field: neither is shared.
    let y = w.add("contact", &["name=Ana"]);
    let err = w.fails(
        2,
        &["share", &x, &y, "--with", "acme", "--fields", "name,level"],
    );
    assert!(err.contains("no field"), "{err}");
    assert!(w.json(&["shares"]).as_array().unwrap().is_empty());
    // An id that names neither a record nor a received item says where to look.
    let err = w.fails(4, &["show", "0123456789"]);
    assert!(err.contains("musette received"), "{err}");
    // One character changed in a ticket: refused when read.
    let mut bad: Vec<char> = t.chars().collect();
    let i = bad.len() / 2;
    bad[i] = if bad[i] == 'a' { 'b' } else { 'a' };
    let bad: String = bad.into_iter().collect();
    let err = w.fails(2, &["peer", "add", "typo", &bad]);
    assert!(err.contains("mistyped"), "{err}");

    // A few characters of a device's id are too few to name it.
    let out = w.with_pass(&w.pass_file, &["device", "remove", "7bf0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("too short"), "{err}");

    // While `serve` runs on the vault, commands that change its keys are refused (it would
    // go on with the old ones), and nothing changes: the session still opens the vault.
    {
        let (_serving, _) = serve(&w, "desk");
        let pass = w.pass_file.to_str().unwrap();
        for args in [
            vec!["rekey"],
            vec!["passwd", "--rekey", "--new-passphrase-file", pass],
            vec!["device", "remove", "laptop"],
        ] {
            let out = w.with_pass(&w.pass_file, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains("is running on this vault"), "{args:?}: {err}");
            assert!(err.contains("stop it, run this again"), "{args:?}: {err}");
        }
        assert!(w.ok(&["list"]).contains("Welding"));
    }
    let mut args = vec!["sync", "--with", "nobody"];
    args.extend(NET);
    args.push("x");
    let with = w.fails(2, &args);
    // The one to sync with may be given as the argument itself, as --with takes it.
    let mut args = vec!["sync", "nobody"];
    args.extend(NET);
    args.push("x");
    assert_eq!(w.fails(2, &args), with);
    w.fails(2, &["sync", "nobody", "--with", "acme"]);

    // The configuration file: a relay that is not a URL, or a key musette does not know, is
    // said with the file and the line (exit 2); one in the default place is read too.
    let mut ticket_args = vec!["ticket"];
    ticket_args.extend(NET);
    ticket_args.push("x");
    for (text, says) in [
        ("[network]\nrelays = [\"not a url\"]\n", "not a relay URL"),
        (
            "# mine\n[network]\nrelays = [\"http://relay.example.org\"]\n",
            "line 3, is not a relay URL",
        ),
        ("[network]\nrelay = []\n", "line 2"),
        ("[network\n", "not valid"),
    ] {
        let bad = w.file("bad.toml", text.as_bytes());
        let out = w
            .cmd()
            .env("MUSETTE_CONFIG", &bad)
            .args(&ticket_args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says) && err.contains("bad.toml"), "{err}");
    }
    // A file MUSETTE_CONFIG names that is not there: said, not taken for an empty one.
    let out = w
        .cmd()
        .env("MUSETTE_CONFIG", w.tmp.path().join("mistyped.toml"))
        .args(&ticket_args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("mistyped.toml") && err.contains("no such file"),
        "{err}"
    );
    let dir = w.tmp.path().join("config").join("musette");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[oops]\n").unwrap();
    let err = w.fails(2, &ticket_args);
    assert!(err.contains("config.toml"), "{err}");
    // A valid one, with --no-relay: the relays are not used, and nothing is contacted.
    std::fs::write(
        dir.join("config.toml"),
        "[network]\nrelays = [\"https://relay.example.org\"]\n",
    )
    .unwrap();
    assert!(w.ok(&ticket_args).starts_with("musette1"));

    // `ticket` names an address only for a fixed --bind (where `serve` will listen again),
    // not its own short-lived port.
    let addrs = |bind: &str| -> Vec<String> {
        let t = w.ok(&["ticket", "--no-relay", "--bind", bind]);
        musette_sync::node::Ticket::decode(t.trim())
            .unwrap()
            .addrs
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert!(addrs("127.0.0.1:0").is_empty());
    // Such a ticket reaches nobody without relays: said.
    let out = w
        .cmd()
        .args(["ticket", "--no-relay", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("names no address"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let free = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    assert_eq!(addrs(&free), vec![free.clone()]);
    // And made while `serve` listens there (the port is serve's, not ticket's).
    {
        let (_serving, _) = start(
            &w,
            &[
                "--json",
                "serve",
                "--no-relay",
                "--bind",
                &free,
                "--name",
                "desk",
            ],
        );
        assert_eq!(addrs(&free), vec![free.clone()]);
    }

    // An address that cannot be listened on is a mistake in the command (exit 2), said with
    // the system's reason and what to give instead: one not of this machine (a documentation
    // address: nothing is sent to it), and a port another program holds.
    let err = w.fails(2, &["ticket", "--no-relay", "--bind", "192.0.2.1:4000"]);
    assert!(err.contains("cannot listen on 192.0.2.1:4000"), "{err}");
    assert!(err.contains("an address of this machine"), "{err}");
    let held = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let taken = held.local_addr().unwrap().to_string();
    let err = w.fails(2, &["sync", "--no-relay", "--bind", &taken]);
    assert!(err.contains(&format!("cannot listen on {taken}")), "{err}");
    assert!(err.contains("no other program uses"), "{err}");
    drop(held);
}

#[test]
fn shares_past_what_devices_exchange_in_one_message_are_refused_whole() {
    let w = TestVault::new();
    let other = TestVault::new();
    w.ok(&["peer", "add", "acme", &ticket(&other)]);
    // Each share near its own limit (1 MiB of fields): 34 of them would not fit, in all, in
    // the one message that carries peers, guilds and shares between the owner's devices.
    let ids: Vec<String> = (0..34)
        .map(|i| {
            let f = w.file(
                &format!("r{i}.json"),
                serde_json::json!({ "name": format!("Skill {i}"), "notes": char::from(b'a' + (i % 26) as u8).to_string().repeat(1000 << 10) })
                    .to_string()
                    .as_bytes(),
            );
            w.ok(&["add", "skill", "--from-json", f.to_str().unwrap()])
                .trim()
                .to_string()
        })
        .collect();
    let mut args = vec!["share"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--with", "acme"]);
    let err = w.fails(2, &args);
    assert!(err.contains("MiB in all"), "{err}");
    assert!(
        w.json(&["shares"]).as_array().unwrap().is_empty(),
        "none shared"
    );
    // Fewer fit.
    let mut args = vec!["share"];
    args.extend(ids[..20].iter().map(String::as_str));
    args.extend(["--with", "acme"]);
    w.ok(&args);
    assert_eq!(w.json(&["shares"]).as_array().unwrap().len(), 20);
}
