//! Findings of the security review, end to end through the binary: untrusted text never reaches
//! the terminal raw, session tokens are never shown for people, and a stale session falls back
//! to asking for the passphrase when there is a terminal to ask on.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Command, Output, Stdio};

use common::{PASSPHRASE, TestVault};
use musette_formats::{openbadges, png};
use serde_json::{Value, json};

/// Terminal escapes of every sort: OSC (set the window title), CSI (clear the screen), the
/// one-character C1 CSI and NEL, DEL, backspace, carriage return, a bidi override and isolate.
const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}\u{7f}\u{8}\r\u{202e}\u{2066}X";

/// Whether a character must not reach a terminal raw.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Asserts that neither stdout nor stderr holds a raw escape, control or bidi character.
fn assert_clean(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.chars().any(unsafe_char) && !bytes.contains(&0x1b),
            "{what}: raw control characters on {stream}: {text:?}"
        );
    }
}

/// Runs a command with the vault's session; asserts its exit code and clean output.
fn run_clean(v: &TestVault, code: i32, args: &[&str]) -> Output {
    let out = v.cmd().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "musette {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean(&format!("musette {args:?}"), &out);
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn did(v: &TestVault) -> String {
    v.json(&["id"])["did"].as_str().unwrap().to_string()
}

#[test]
fn record_text_reaches_the_terminal_escaped_and_json_keeps_it_exact() {
    let v = TestVault::new();
    let title = format!("Welder{EVIL}");
    let description = format!("line one\nline two{EVIL}");
    let id = v.add(
        "experience",
        &[
            &format!("title={title}"),
            &format!("description={description}"),
            "notes-extra=x",
        ],
    );
    // Tags refuse control characters and text-direction overrides (which would make a tag
    // read otherwise than it is), and change nothing.
    v.fails(2, &["edit", &id, "--tag", "\u{202e}vc"]);
    v.ok(&["edit", &id, "--tag", "vc"]);
    for args in [
        vec!["list"],
        vec!["list", "--search", "welder"],
        vec!["list", "experience"],
        vec!["show", &id],
        vec!["history", &id],
    ] {
        run_clean(&v, 0, &args);
    }
    // Shown as escapes, in the form `{:?}` uses; a multi-line value keeps its lines.
    let shown = stdout(&run_clean(&v, 0, &["show", &id]));
    assert!(
        shown.contains(
            r"Welder\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}\u{7f}\u{8}\r\u{202e}\u{2066}X"
        ),
        "{shown}"
    );
    assert!(shown.contains("line one\n"), "{shown}");
    assert!(shown.contains(r"line two\u{1b}]0;pwned"), "{shown}");
    let listed = stdout(&run_clean(&v, 0, &["list"]));
    assert!(listed.contains(r"Welder\u{1b}]0;pwned"), "{listed}");
    // --json gives the exact text back, and is itself safe on a terminal.
    let out = run_clean(&v, 0, &["--json", "show", &id]);
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["fields"]["title"], json!(title));
    assert_eq!(record["fields"]["description"], json!(description));
    assert_eq!(record["tags"], json!(["vc"]));
    let out = run_clean(&v, 0, &["--json", "list"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["title"], json!(title));
}

#[test]
fn attachment_names_with_controls_or_bidi_overrides_are_refused() {
    let v = TestVault::new();
    let id = v.add("document", &["title=Payslip"]);
    let file = v.file("payslip.pdf", b"%PDF-1.4 not really");
    let path = file.to_str().unwrap();
    // Control characters are refused, and the error quoting the name is clean.
    let out = run_clean(&v, 2, &["attach", &id, path, "--name", "a\u{1b}[2Jb.pdf"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(r"a\u{1b}[2Jb.pdf"));
    // A right-to-left override would make "\u{202e}fdp.exe" read "exe.pdf": refused too, and
    // the error quoting it is clean; nothing was attached.
    let name = "\u{202e}fdp.exe";
    let out = run_clean(&v, 2, &["attach", &id, path, "--name", name]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(r"\u{202e}fdp.exe"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record = v.json(&["show", &id]);
    assert_eq!(record["attachments"], serde_json::json!([]));
    run_clean(
        &v,
        4,
        &[
            "get",
            &id,
            "\u{202e}nothing",
            "-o",
            v.tmp.path().join("copy").to_str().unwrap(),
        ],
    );
}

#[test]
fn error_messages_quoting_input_or_files_are_escaped() {
    let v = TestVault::new();
    // A path given on the command line.
    let missing = v.tmp.path().join(format!("missing{EVIL}.json"));
    run_clean(&v, 2, &["verify", missing.to_str().unwrap()]);
    // A badge "file" that only points to a URL: the error quotes it.
    let baked = openbadges::bake_png(
        &png::tiny_png(),
        &format!("https://example.org/{EVIL}"),
        openbadges::Version::V3,
    )
    .unwrap();
    let hosted = v.file("hosted.png", &baked);
    let out = run_clean(&v, 2, &["import", hosted.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(r"https://example.org/\u{1b}]0;pwned"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Ids that are not ids.
    run_clean(&v, 2, &["show", &format!("abcdef{EVIL}")]);
}

/// A credential as anyone could write it, with escapes in every text `verify` reports.
fn hostile_credential() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "type": ["VerifiableCredential", format!("Evil{EVIL}Credential")],
        "issuer": { "id": format!("did:example:{EVIL}"), "name": format!("Issuer{EVIL}") },
        "name": format!("Title{EVIL}"),
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": { "name": EVIL },
        "proof": [
            {
                "type": "DataIntegrityProof",
                "cryptosuite": format!("suite{EVIL}"),
                "created": format!("2024{EVIL}"),
                "verificationMethod": format!("did:key:z6Mk{EVIL}#x"),
                "proofPurpose": "assertionMethod",
                "proofValue": format!("z3{EVIL}"),
            },
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-jcs-2022",
                "created": format!("2024{EVIL}"),
                "verificationMethod": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                "proofPurpose": "assertionMethod",
                "proofValue": format!("z3{EVIL}"),
            }
        ]
    })
}

#[test]
fn verify_escapes_what_a_received_file_says() {
    let v = TestVault::new();
    let path = v.file(
        "evil.json",
        &serde_json::to_vec_pretty(&hostile_credential()).unwrap(),
    );
    let path = path.to_str().unwrap();
    let out = run_clean(&v, 5, &["verify", path]);
    let text = stdout(&out);
    assert!(
        text.contains(r#"issued by "Issuer\u{1b}]0;pwned"#),
        "{text}"
    );
    assert!(
        text.contains(
            r"cannot be checked  proof by an unknown signer: the cryptosuite suite\u{1b}"
        ),
        "{text}"
    );
    // One line per item (the signer, the credential, its issuer, two values it says, two
    // proofs, the verdict): a value cannot fake a line of the report.
    assert_eq!(text.lines().count(), 9, "{text}");
    // The same without a vault.
    let tmp = tempfile::tempdir().unwrap();
    let out = common::musette(tmp.path())
        .arg("--vault")
        .arg(tmp.path().join("none"))
        .args(["verify", path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_clean("verify without a vault", &out);
    // --json reports the file's text exactly.
    let out = run_clean(&v, 5, &["--json", "verify", path]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["issuer_name"], json!(format!("Issuer{EVIL}")));
    assert_eq!(report["title"], json!(format!("Title{EVIL}")));
    assert_eq!(report["types"][1], json!(format!("Evil{EVIL}Credential")));
}

#[test]
fn verify_escapes_titles_and_contact_names_of_a_genuine_credential() {
    let alice = TestVault::new();
    let bob = TestVault::new();
    let exp = alice.add("experience", &[&format!("title=Welder{EVIL}")]);
    let cred = alice.tmp.path().join("cred.json");
    run_clean(
        &alice,
        0,
        &["credential", "issue", &exp, "-o", cred.to_str().unwrap()],
    );
    // The credential on stdout is safe on a terminal too, and still verifies.
    let out = run_clean(&alice, 0, &["credential", "issue", &exp]);
    let piped = alice.file("piped.json", &out.stdout);
    bob.add(
        "contact",
        &[
            &format!("name=Alice{EVIL}"),
            &format!("did={}", did(&alice)),
        ],
    );
    for path in [&cred, &piped] {
        let text = stdout(&run_clean(&bob, 0, &["verify", path.to_str().unwrap()]));
        assert!(text.contains(r"Alice\u{1b}]0;pwned"), "{text}");
        assert!(text.contains("Verified"), "{text}");
    }
    let report = bob.json(&["verify", cred.to_str().unwrap()]);
    assert_eq!(report["issuer_name"], json!(format!("Alice{EVIL}")));
    assert_eq!(report["title"], json!(format!("Welder{EVIL}")));
    run_clean(&alice, 0, &["id"]);
}

#[test]
fn import_escapes_badge_names_and_statuses_from_the_file() {
    let v = TestVault::new();
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": format!("https://example.org/assertions/{EVIL}"),
        "issuedOn": "2024-01-01",
        "recipient": { "type": "email", "identity": "ana@example.org" },
        "badge": {
            "name": format!("Badge{EVIL}"),
            "issuer": { "name": format!("Issuer{EVIL}") },
            "criteria": { "narrative": format!("Criteria{EVIL}") }
        },
        "verification": { "type": "hosted" }
    });
    let path = v.file("ob2.json", &serde_json::to_vec(&assertion).unwrap());
    let out = run_clean(&v, 0, &["import", path.to_str().unwrap()]);
    let id = stdout(&out).trim().to_string();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(r"Badge\u{1b}]0;pwned"), "{said}");
    assert!(said.contains(r"assertions/\u{1b}]0;pwned"), "{said}");
    let shown = stdout(&run_clean(&v, 0, &["show", &id]));
    assert!(shown.contains(r"Issuer\u{1b}]0;pwned"), "{shown}");
    run_clean(&v, 0, &["list", "badge"]);
    // Importing it again: the error names the record, cleanly.
    run_clean(&v, 2, &["import", path.to_str().unwrap()]);
    let exported = v.tmp.path().join("again.json");
    run_clean(
        &v,
        0,
        &["export", "badge", &id, "-o", exported.to_str().unwrap()],
    );
    let record = v.json(&["show", &id]);
    assert_eq!(record["fields"]["name"], json!(format!("Badge{EVIL}")));
}

#[test]
fn recommend_escapes_cosigners_names() {
    let owner = TestVault::new();
    let peer = TestVault::new();
    let rec = owner.add(
        "recommendation",
        &[&format!("text=Reliable.\nCareful.{EVIL}"), "author=Ana"],
    );
    let req = owner.tmp.path().join("req.json");
    run_clean(
        &owner,
        0,
        &["recommend", "request", &rec, "-o", req.to_str().unwrap()],
    );
    let signed = peer.tmp.path().join("signed.json");
    run_clean(
        &peer,
        0,
        &[
            "recommend",
            "sign",
            req.to_str().unwrap(),
            "-o",
            signed.to_str().unwrap(),
            "--yes",
        ],
    );
    owner.add(
        "contact",
        &[&format!("name=Peer{EVIL}"), &format!("did={}", did(&peer))],
    );
    let out = run_clean(
        &owner,
        0,
        &["recommend", "accept", signed.to_str().unwrap()],
    );
    assert!(
        stdout(&out).contains(r"Peer\u{1b}]0;pwned"),
        "{}",
        stdout(&out)
    );
    let shown = stdout(&run_clean(&owner, 0, &["show", &rec]));
    assert!(
        shown
            .lines()
            .any(|l| l.trim_start().starts_with("signed") && l.contains(r"Peer\u{1b}]0;pwned")),
        "{shown}"
    );
    run_clean(
        &owner,
        0,
        &["recommend", "accept", signed.to_str().unwrap()],
    );
}

#[test]
fn a_closed_pipe_is_not_an_error_for_json_output() {
    let v = TestVault::new();
    for i in 0..3 {
        v.add("skill", &[&format!("name=Skill {i}")]);
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("musette"))
        .arg("--vault")
        .arg(&v.dir)
        .args(["--json", "list"])
        .env_remove("MUSETTE_VAULT")
        .env("MUSETTE_SESSION", &v.session)
        .env("HOME", v.tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Quotes a word for `sh`.
fn sh(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Whether a text holds something shaped like a session token (`mss…_` and base64url).
fn shows_a_token(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .any(|w| w.starts_with("mss") && w.contains('_') && w.len() > 40)
}

#[test]
fn unlock_never_shows_the_token_to_people() {
    let v = TestVault::new();
    // A vault whose path needs quoting in a shell.
    let odd = v.tmp.path().join("my vault's \"folder\"");
    std::os::unix::fs::symlink(&v.dir, &odd).unwrap();
    let out = common::musette(v.tmp.path())
        .arg("--vault")
        .arg(&odd)
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["unlock", "--timeout", "2h"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(!shows_a_token(&text), "the token is shown: {text}");
    assert!(!shows_a_token(&String::from_utf8_lossy(&out.stderr)));
    // It suggests a line that captures the token, never one that holds it…
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("export MUSETTE_SESSION="))
        .unwrap_or_else(|| panic!("no command to run: {text}"));
    assert!(
        line.contains("\"$(musette ") && line.contains("unlock --raw"),
        "{line}"
    );
    assert!(line.contains("--timeout 2h"), "{line}");
    // …and that line works, quoting included.
    let bin = assert_cmd::cargo::cargo_bin("musette");
    let script = format!(
        "{}\n{} --vault {} --json list",
        line.replacen(
            "$(musette ",
            &format!("$({} ", sh(bin.to_str().unwrap())),
            1
        ),
        sh(bin.to_str().unwrap()),
        sh(odd.to_str().unwrap()),
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .env_remove("MUSETTE_SESSION")
        .env_remove("MUSETTE_VAULT")
        .env("HOME", v.tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!([])
    );
    // The human form starts no session: only the suggested line's and TestVault's exist.
    let ended = v.json(&["lock", "--all"]);
    assert_eq!(ended["ended"], 2);
    // --raw and --json give the token, for capture.
    let out = v.with_pass(&v.pass_file, &["--json", "unlock"]);
    let session: Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = session["session"].as_str().unwrap();
    assert!(shows_a_token(token), "{token}");
    assert!(session["expires"].as_str().is_some());
    let listed = v
        .bare()
        .env("MUSETTE_SESSION", token)
        .arg("list")
        .output()
        .unwrap();
    assert!(listed.status.success());
    // A wrong passphrase is still refused, in every form.
    let bad = v.file("bad", b"not the passphrase");
    for args in [&["unlock"][..], &["unlock", "--raw"], &["--json", "unlock"]] {
        let out = v.with_pass(&bad, args);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// An expired, an ended (locked) and a malformed session of `v`.
fn stale_sessions(v: &TestVault) -> Vec<(&'static str, String)> {
    let start = |timeout: &str| {
        let out = v.with_pass(&v.pass_file, &["unlock", "--raw", "--timeout", timeout]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let expired = start("1s");
    let ended = start("1h");
    let out = v
        .bare()
        .env("MUSETTE_SESSION", &ended)
        .arg("lock")
        .output()
        .unwrap();
    assert!(out.status.success());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    vec![
        ("expired", expired),
        ("valid", ended),
        ("valid", "mss1_garbage".to_string()),
    ]
}

#[test]
fn a_stale_session_without_a_terminal_still_fails_with_exit_3() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    for (what, token) in stale_sessions(&v) {
        let out = v
            .bare()
            .env("MUSETTE_SESSION", &token)
            .arg("list")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{what}: {err}");
        assert!(
            err.contains(what) && err.contains("musette unlock"),
            "{err}"
        );
        assert!(!err.contains("asking for the passphrase"), "{err}");
        assert!(out.stdout.is_empty());
        // A passphrase given explicitly wins over the session.
        let out = v
            .bare()
            .env("MUSETTE_SESSION", &token)
            .arg("--passphrase-file")
            .arg(&v.pass_file)
            .arg("list")
            .output()
            .unwrap();
        assert!(out.status.success(), "{what}");
    }
}

/// Runs `musette ARGS…` on `v` inside a pseudo-terminal (`script`), typing `input`; returns
/// the exit code and everything the terminal showed. None when `script` is not installed.
fn in_terminal(v: &TestVault, session: &str, args: &[&str], input: &str) -> Option<(i32, String)> {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("`script` (util-linux) is not installed: the terminal part is skipped");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("musette");
    let mut line = format!(
        "{} --vault {}",
        sh(bin.to_str().unwrap()),
        sh(v.dir.to_str().unwrap())
    );
    for a in args {
        line.push(' ');
        line.push_str(&sh(a));
    }
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("MUSETTE_VAULT")
        .env("MUSETTE_SESSION", session)
        .env("HOME", v.tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let mut shown = String::from_utf8_lossy(&out.stdout).into_owned();
    shown.push_str(&String::from_utf8_lossy(&out.stderr));
    Some((out.status.code().unwrap_or(-1), shown))
}

#[test]
fn a_stale_session_on_a_terminal_falls_back_to_the_passphrase() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    for (what, token) in stale_sessions(&v) {
        let Some((code, shown)) = in_terminal(&v, &token, &["list"], &format!("{PASSPHRASE}\n"))
        else {
            return;
        };
        assert_eq!(code, 0, "{what}: {shown}");
        assert!(shown.contains(what), "{shown}");
        assert!(shown.contains("asking for the passphrase"), "{shown}");
        assert!(shown.contains("Passphrase for"), "{shown}");
        assert!(shown.contains("Welding"), "{shown}");
        // A wrong passphrase then is refused as usual.
        let (code, shown) = in_terminal(&v, &token, &["list"], "wrong passphrase\n").unwrap();
        assert_eq!(code, 3, "{shown}");
        assert!(shown.contains("wrong passphrase"), "{shown}");
        // --no-input: no fallback.
        let (code, shown) = in_terminal(&v, &token, &["--no-input", "list"], "").unwrap();
        assert_eq!(code, 3, "{shown}");
        assert!(!shown.contains("Passphrase for"), "{shown}");
    }
}

#[test]
fn verify_with_a_stale_session_on_a_terminal_asks_nothing() {
    let v = TestVault::new();
    let path = v.file(
        "evil.json",
        &serde_json::to_vec(&hostile_credential()).unwrap(),
    );
    let Some((code, shown)) =
        in_terminal(&v, "mss1_garbage", &["verify", path.to_str().unwrap()], "")
    else {
        return;
    };
    assert_eq!(code, 5, "{shown}");
    assert!(!shown.contains("Passphrase for"), "{shown}");
}

#[test]
fn export_badge_to_a_terminal_is_escaped_and_to_a_file_is_exact() {
    let v = TestVault::new();
    // serde_json leaves DEL, C1 and bidi characters raw; CR is whitespace between tokens.
    let text = "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\",\r\
        \"id\":\"https://e.org/a\",\"recipient\":{\"type\":\"email\",\"hashed\":false,\"identity\":\"w@e.org\"},\
        \"issuedOn\":\"2016-12-31T23:59:59Z\",\"verification\":{\"type\":\"hosted\"},\
        \"badge\":{\"type\":\"BadgeClass\",\"id\":\"https://e.org/b\",\"name\":\"x\u{9b}2J\u{202e}FDP.exe\u{7f}\",\
        \"criteria\":{\"narrative\":\"n\"},\"issuer\":{\"type\":\"Profile\",\"id\":\"https://e.org/i\",\"name\":\"i\"}}}\r\r";
    let path = v.file("raw.json", text.as_bytes());
    let id = v.ok(&["import", path.to_str().unwrap()]).trim().to_string();
    let exported = v.tmp.path().join("out.json");
    v.ok(&["export", "badge", &id, "-o", exported.to_str().unwrap()]);
    let file = String::from_utf8(std::fs::read(&exported).unwrap()).unwrap();
    assert!(
        file.contains("x\u{9b}2J\u{202e}FDP.exe\u{7f}"),
        "the file keeps the issuer's bytes"
    );
    let Some((code, shown)) = in_terminal(&v, &v.session, &["export", "badge", &id], "") else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("FDP.exe"), "{shown}");
    assert!(
        !shown
            .chars()
            .any(|c| matches!(c, '\u{9b}' | '\u{202e}' | '\u{7f}')),
        "{shown:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_passphrase_file_others_can_read_is_warned_of() {
    use std::os::unix::fs::PermissionsExt;
    let v = TestVault::new();
    let run = |mode: u32| {
        std::fs::set_permissions(&v.pass_file, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = v.with_pass(&v.pass_file, &["list"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let shared = run(0o644);
    assert!(
        shared.contains("can be read by other users (mode 644)") && shared.contains("chmod 600"),
        "{shared}"
    );
    let alone = run(0o600);
    assert!(
        !alone.contains("warning"),
        "no warning for a file of its owner's alone: {alone}"
    );
    // A passphrase piped in is no file: nothing to say.
    let out = v
        .bare()
        .args(["--passphrase-file", "/dev/stdin", "list"])
        .write_stdin(format!("{PASSPHRASE}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}
