//! End-to-end tests of every command on a temporary vault, with each bad input.

#![allow(clippy::unwrap_used)]

mod common;

use common::{TestVault, code_and_err, musette};
use serde_json::{Value, json};

/// Runs `musette --vault DIR --passphrase-file PASS init ARGS…` with `home` as the user's home.
fn init_with(
    home: &std::path::Path,
    dir: &std::path::Path,
    pass: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    musette(home)
        .arg("--vault")
        .arg(dir)
        .arg("--passphrase-file")
        .arg(pass)
        .arg("init")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_prints_path_and_recovery_key_and_refuses_a_second_init() {
    let v = TestVault::new();
    assert_eq!(v.recovery_key.split('-').count(), 13);
    let err = v
        .cmd()
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["init", "--kdf-memory-mib", "19"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("already exists"));
    // Human output names the folder.
    let tmp = tempfile::tempdir().unwrap();
    let pass = tmp.path().join("p");
    std::fs::write(&pass, "another passphrase").unwrap();
    let out = init_with(
        tmp.path(),
        &tmp.path().join("v"),
        &pass,
        &["--kdf-memory-mib", "19", "--kdf-iterations", "2"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&tmp.path().join("v").display().to_string()));
    assert!(text.contains("Recovery key"));
}

#[test]
fn init_rejects_bad_kdf_parameters_and_short_passphrases() {
    let tmp = tempfile::tempdir().unwrap();
    let pass = tmp.path().join("p");
    std::fs::write(&pass, "long enough passphrase").unwrap();
    let out = init_with(
        tmp.path(),
        &tmp.path().join("v"),
        &pass,
        &["--kdf-memory-mib", "1"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !tmp.path().join("v").exists(),
        "a failed init must create nothing"
    );
    std::fs::write(&pass, "short").unwrap();
    let out = init_with(
        tmp.path(),
        &tmp.path().join("v"),
        &pass,
        &["--kdf-memory-mib", "19"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8"));
}

#[test]
fn every_kind_can_be_added_listed_and_shown() {
    let v = TestVault::new();
    let exp = v.add(
        "experience",
        &[
            "title=Welder",
            "organization=Chantiers de l'Atlantique",
            "type=employment",
            "start=2019-04",
            "end=2023",
            "skills=TIG, MIG",
        ],
    );
    let ids = [
        v.add(
            "contact",
            &["name=Ana Ruiz", "email=ana@example.org", "did=did:key:z6Mk"],
        ),
        exp.clone(),
        v.add(
            "skill",
            &[
                "name=TIG welding",
                "level=expert",
                "keywords=steel,aluminium",
            ],
        ),
        v.add(
            "badge",
            &[
                "name=Safety at height",
                "issuer=OPPBTP",
                "issued=2022-06-01",
                "credential={\"a\": 1}",
            ],
        ),
        v.add(
            "evidence",
            &[
                "title=Photo of a weld",
                &format!("experience={}", &exp[..8]),
                "date=2022-05-03",
            ],
        ),
        v.add(
            "recommendation",
            &[
                "text=A careful welder.\nAlways on time.",
                "author=Ana Ruiz",
                &format!("about={exp}"),
            ],
        ),
        v.add(
            "document",
            &["title=Payslip March", "category=payslip", "due=2024-12-31"],
        ),
    ];
    let list = v.json(&["list"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 7);
    for row in list {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(&keys[..5], ["id", "kind", "title", "tags", "updated"]);
        // A date where the kind has one and the record holds it.
        assert!(keys.len() == 5 || keys[5..] == ["date"], "{keys:?}");
    }
    let shown = v.json(&["show", &ids[0]]);
    assert_eq!(shown["kind"], "contact");
    assert_eq!(shown["fields"]["name"], "Ana Ruiz");
    for key in [
        "id",
        "kind",
        "fields",
        "tags",
        "created",
        "updated",
        "attachments",
    ] {
        assert!(shown.get(key).is_some(), "show --json lacks {key}");
    }
    let exp_shown = v.json(&["show", &exp]);
    assert_eq!(exp_shown["fields"]["skills"], json!(["TIG", "MIG"]));
    // A record reference given as a prefix is stored as the full id.
    let evidence = v.json(&["show", &ids[4]]);
    assert_eq!(evidence["fields"]["experience"], Value::String(exp.clone()));
    // The recommendation's title is its first line.
    let recs = v.json(&["list", "recommendation"]);
    assert_eq!(recs[0]["title"], "A careful welder.…");
    // Filters.
    assert_eq!(v.json(&["list", "skill"]).as_array().unwrap().len(), 1);
    assert_eq!(
        v.json(&["list", "--search", "ALUMINIUM"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let human = v.ok(&["list"]);
    assert!(human.contains("Welder") && human.contains(&exp));
}

#[test]
fn search_ignores_case_and_accents() {
    let v = TestVault::new();
    let helene = v.add("contact", &["name=Hélène Dupré", "role=Cheffe d'équipe"]);
    let francois = v.add("contact", &["name=FRANÇOIS Œuvray"]);
    v.add("contact", &["name=Helmut"]);
    let found = |needle: &str| -> Vec<String> {
        v.json(&["list", "--search", needle])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    for needle in ["helene", "HELENE", "hélène", "dupre", "equipe", "Équipe"] {
        assert_eq!(found(needle), vec![helene.clone()], "{needle}");
    }
    for needle in ["francois", "François", "FRANCOIS"] {
        assert_eq!(found(needle), vec![francois.clone()], "{needle}");
    }
    assert!(found("hèlmut").len() == 1);
    assert!(found("zzz").is_empty());
    // Several words: each anywhere, in any order, across punctuation.
    let payslip = v.add(
        "document",
        &["title=Bulletin de paie mars", "place=Saint-Nazaire"],
    );
    for needle in [
        "paie mars",
        "mars paie",
        "saint nazaire",
        "Saint-Nazaire",
        "mars nazaire",
    ] {
        assert_eq!(found(needle), vec![payslip.clone()], "{needle}");
    }
    assert!(found("paie avril").is_empty(), "every word must be there");
}

#[test]
fn a_tag_filter_ignores_case_and_accents() {
    let v = TestVault::new();
    let a = v.add("skill", &["name=TIG"]);
    v.ok(&["edit", &a, "--tag", "Métier", "--tag", "cv"]);
    v.add("skill", &["name=MIG"]);
    for tag in ["métier", "metier", "MÉTIER"] {
        let found = v.json(&["list", "--tag", tag]);
        assert_eq!(found.as_array().unwrap().len(), 1, "{tag}: {found}");
    }
    let both = v.json(&["list", "--tag", "metier", "--tag", "CV"]);
    assert_eq!(both.as_array().unwrap().len(), 1, "{both}");
}

#[test]
fn bad_input_is_refused_with_code_2_and_changes_nothing() {
    let v = TestVault::new();
    let id = v.add("experience", &["title=Dev", "start=2020"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["add", "spaceship", "--set", "name=x"],
            "unknown record kind",
        ),
        (&["add", "skill", "--set", "level=high"], "needs a name"),
        (
            &[
                "add",
                "experience",
                "--set",
                "title=x",
                "--set",
                "start=2021-02-30",
            ],
            "invalid date",
        ),
        (
            &[
                "add",
                "experience",
                "--set",
                "title=x",
                "--set",
                "type=slavery",
            ],
            "must be one of",
        ),
        (
            &[
                "add",
                "experience",
                "--set",
                "title=x",
                "--set",
                "start=2022",
                "--set",
                "end=2021",
            ],
            "before the start",
        ),
        (&["add", "skill", "--set", "name"], "has no '='"),
        (&["add", "skill", "--set", "Name=x"], "invalid field name"),
        (
            &[
                "add",
                "evidence",
                "--set",
                "title=x",
                "--set",
                "experience=aaaaaaaa",
            ],
            "no record with id",
        ),
        (
            &[
                "add",
                "badge",
                "--set",
                "name=x",
                "--set",
                "credential={not json",
            ],
            "not valid JSON",
        ),
        (
            &["add", "skill", "--set", "name=x", "--tag", ""],
            "invalid tag",
        ),
        (&["edit", &id, "--unset", "title"], "needs a title"),
        (&["edit", &id], "nothing to change"),
        (&["edit", &id, "--set", "end=yesterday"], "invalid date"),
        (&["show", "abc"], "too short"),
        (&["show", "abcdef!"], "not a record id"),
        (&["list", "--bogus"], "unexpected argument"),
    ];
    let before = v.json(&["show", &id]);
    for (args, needle) in cases {
        let err = v.fails(2, args);
        assert!(
            err.contains(needle),
            "musette {args:?}: expected {needle:?} in {err:?}"
        );
    }
    assert_eq!(
        v.ids(),
        vec![id.clone()],
        "a failed command added something"
    );
    assert_eq!(
        v.json(&["show", &id]),
        before,
        "a failed command changed the record"
    );
}

#[test]
fn from_json_accepts_fields_or_a_whole_record_and_keeps_unknown_fields() {
    let v = TestVault::new();
    let file = v.file("skill.json", br#"{"name": "Forklift", "keywords": ["CACES 3"], "licence": {"number": 42, "valid": true}}"#);
    let out = v
        .cmd()
        .args(["add", "skill", "--from-json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"licence\" is not a standard field"));
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let shown = v.json(&["show", &id]);
    assert_eq!(
        shown["fields"]["licence"],
        json!({"number": 42, "valid": true})
    );
    // `show --json` output feeds `add --from-json -` on stdin.
    let copy = v
        .cmd()
        .args(["add", "skill", "--from-json", "-"])
        .write_stdin(serde_json::to_vec(&shown).unwrap())
        .output()
        .unwrap();
    assert!(
        copy.status.success(),
        "{}",
        String::from_utf8_lossy(&copy.stderr)
    );
    let copy_id = String::from_utf8(copy.stdout).unwrap().trim().to_string();
    assert_eq!(v.json(&["show", &copy_id])["fields"], shown["fields"]);
    // A whole record of another kind is refused.
    let wrong = v
        .cmd()
        .args(["add", "contact", "--from-json", "-"])
        .write_stdin(serde_json::to_vec(&shown).unwrap())
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    // Not JSON, and not an object.
    let bad = v.file("bad.json", b"{\"name\": ");
    assert!(
        v.fails(2, &["add", "skill", "--from-json", bad.to_str().unwrap()])
            .contains("not valid JSON")
    );
    let arr = v.file("arr.json", b"[1]");
    assert!(
        v.fails(2, &["add", "skill", "--from-json", arr.to_str().unwrap()])
            .contains("JSON object")
    );
    // edit --from-json: null removes a field.
    let patch = v.file("patch.json", br#"{"licence": null, "level": "certified"}"#);
    v.ok(&["edit", &id, "--from-json", patch.to_str().unwrap()]);
    let after = v.json(&["show", &id]);
    assert!(after["fields"].get("licence").is_none());
    assert_eq!(after["fields"]["level"], "certified");
}

#[test]
fn edit_changes_fields_and_tags_and_reports_no_op() {
    let v = TestVault::new();
    let id = v.add("document", &["title=Contract", "category=contract"]);
    let out = v.json(&[
        "edit",
        &id[..6],
        "--set",
        "due=2025-01-31",
        "--tag",
        "admin",
        "--tag",
        "urgent",
    ]);
    assert_eq!(out, json!({"id": id, "changed": true}));
    let out = v.json(&["edit", &id, "--set", "due=2025-01-31"]);
    assert_eq!(out["changed"], false);
    v.ok(&["edit", &id, "--untag", "urgent", "--unset", "category"]);
    let shown = v.json(&["show", &id]);
    assert_eq!(shown["tags"], json!(["admin"]));
    assert!(shown["fields"].get("category").is_none());
    assert_eq!(
        v.json(&["list", "--tag", "admin"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        v.json(&["list", "--tag", "urgent"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn ids_resolve_by_unique_prefix_and_unknown_ids_exit_4() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    assert_eq!(v.json(&["show", &id[..6]])["id"], Value::String(id.clone()));
    assert_eq!(
        v.json(&["show", &id.to_uppercase()])["id"],
        Value::String(id.clone())
    );
    let unknown = if id.starts_with('a') {
        "bbbbbbbb"
    } else {
        "aaaaaaaa"
    };
    for args in [
        vec!["show", unknown],
        vec!["edit", unknown, "--set", "x=1"],
        vec!["rm", unknown],
        vec!["history", unknown],
        vec!["forget", unknown, "--yes"],
    ] {
        let err = v.fails(4, &args);
        assert!(err.contains("no record with id"), "{err}");
    }
}

#[test]
fn rm_hides_and_undo_restores_forget_destroys() {
    let v = TestVault::new();
    let keep = v.add("skill", &["name=Masonry"]);
    let id = v.add("skill", &["name=Plastering"]);
    v.ok(&["rm", &id]);
    assert_eq!(v.json(&["list"]).as_array().unwrap().len(), 1);
    let all = v.json(&["list", "--deleted"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(v.json(&["show", &id])["deleted"], true);
    v.ok(&["rm", "--undo", &id]);
    assert_eq!(v.json(&["list"]).as_array().unwrap().len(), 2);
    // forget asks for confirmation; without a terminal it needs --yes.
    assert!(v.fails(2, &["forget", &id]).contains("--yes"));
    assert_eq!(v.json(&["list"]).as_array().unwrap().len(), 2);
    v.ok(&["forget", &id, "--yes"]);
    v.fails(4, &["show", &id]);
    v.fails(4, &["rm", "--undo", &id]);
    assert_eq!(v.ids(), vec![keep]);
    v.ok(&["doctor"]);
}

#[test]
fn attachments_roundtrip_and_bad_attachment_input() {
    let v = TestVault::new();
    let id = v.add("evidence", &["title=Diploma scan"]);
    let content: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = v.file("diploma.pdf", &content);
    let out = v.json(&["attach", &id, file.to_str().unwrap()]);
    assert_eq!(out["name"], "diploma.pdf");
    assert_eq!(out["size"], 3_000_000);
    v.ok(&["attach", &id, file.to_str().unwrap(), "--name", "copy.pdf"]);
    let shown = v.json(&["show", &id]);
    assert_eq!(shown["attachments"].as_array().unwrap().len(), 2);
    assert_eq!(shown["attachments"][1]["sha256"], out["sha256"]);
    let back = v.tmp.path().join("back.pdf");
    v.ok(&["get", &id, "diploma.pdf", "-o", back.to_str().unwrap()]);
    assert_eq!(std::fs::read(&back).unwrap(), content);
    let stdout = v
        .cmd()
        .args(["get", &id, "copy.pdf", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(stdout.stdout, content);
    // Bad input.
    assert!(
        v.fails(2, &["attach", &id, file.to_str().unwrap()])
            .contains("already has an attachment")
    );
    assert!(
        v.fails(2, &["attach", &id, "/nonexistent/file"])
            .contains("cannot open")
    );
    assert!(
        v.fails(2, &["attach", &id, file.to_str().unwrap(), "--name", "a/b"])
            .contains("invalid attachment name")
    );
    assert!(
        v.fails(4, &["get", &id, "nope.pdf", "-o", "x"])
            .contains("no attachment named")
    );
    assert!(
        v.fails(4, &["detach", &id, "nope.pdf"])
            .contains("no attachment named")
    );
    v.ok(&["detach", &id, "copy.pdf"]);
    assert_eq!(
        v.json(&["show", &id])["attachments"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // An empty file is an attachment too.
    let empty = v.file("empty.txt", b"");
    v.ok(&["attach", &id, empty.to_str().unwrap()]);
    let got = v.tmp.path().join("empty.out");
    v.ok(&["get", &id, "empty.txt", "-o", got.to_str().unwrap()]);
    assert_eq!(std::fs::read(&got).unwrap(), b"");
    v.ok(&["doctor"]);
}

#[test]
fn a_100_mib_attachment_streams_in_and_out() {
    let v = TestVault::new();
    let id = v.add("document", &["title=Scanned contract"]);
    let path = v.tmp.path().join("big.bin");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut block = vec![0u8; 1 << 20];
        for i in 0..100u32 {
            for (j, b) in block.iter_mut().enumerate() {
                *b = (j as u32 ^ i.wrapping_mul(31)) as u8;
            }
            f.write_all(&block).unwrap();
        }
    }
    let out = v
        .cmd()
        .args(["--json", "attach", &id, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    // Progress bars are drawn only on a terminal: nothing on a piped stderr.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["size"], 100 * 1024 * 1024);
    let out = v.tmp.path().join("big.out");
    v.ok(&["get", &id, "big.bin", "-o", out.to_str().unwrap()]);
    assert_eq!(std::fs::metadata(&out).unwrap().len(), 100 * 1024 * 1024);
    assert!(std::fs::read(&out).unwrap() == std::fs::read(&path).unwrap());
}

#[test]
fn history_tells_when_which_device_and_which_fields() {
    let v = TestVault::new();
    let id = v.add("experience", &["title=Nurse", "organization=CHU"]);
    v.ok(&["edit", &id, "--set", "end=2024", "--set", "location=Nantes"]);
    let f = v.file("note.txt", b"x");
    v.ok(&["attach", &id, f.to_str().unwrap()]);
    let h = v.json(&["history", &id]);
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[0]["action"], "add");
    assert_eq!(h[0]["fields"], json!(["title", "organization"]));
    assert_eq!(h[1]["action"], "edit");
    assert_eq!(h[1]["fields"], json!(["end", "location"]));
    assert_eq!(h[2]["action"], "attach");
    for e in h {
        assert_eq!(e["this_device"], true);
        assert!(e["time"].as_str().unwrap().starts_with("20"));
    }
    assert!(v.ok(&["history", &id]).contains("this device"));
}

#[test]
fn sessions_unlock_lock_and_expire() {
    let v = TestVault::new();
    v.add("skill", &["name=Welding"]);
    // No session, no passphrase, no terminal: locked.
    let err = v.bare().args(["--no-input", "list"]).output().unwrap();
    assert_eq!(err.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&err.stderr).contains("musette unlock"));
    // The passphrase from a file or a named variable.
    assert!(
        v.bare()
            .arg("--passphrase-file")
            .arg(&v.pass_file)
            .arg("list")
            .output()
            .unwrap()
            .status
            .success()
    );
    let out = v
        .bare()
        .args(["--passphrase-env", "MY_PASS", "list"])
        .env("MY_PASS", common::PASSPHRASE)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = v
        .bare()
        .args(["--passphrase-env", "UNSET_VAR_X", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A short session expires.
    let token = v
        .bare()
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["unlock", "--raw", "--timeout", "1s"])
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = v
        .bare()
        .env("MUSETTE_SESSION", &token)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired"));
    // A garbled token.
    let out = v
        .bare()
        .env("MUSETTE_SESSION", "mss1_garbage")
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    // lock ends the current session only; --all ends every one.
    let other = v
        .bare()
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["unlock", "--raw"])
        .output()
        .unwrap();
    let other = String::from_utf8(other.stdout).unwrap().trim().to_string();
    v.ok(&["lock"]);
    v.fails(3, &["list"]);
    assert!(
        v.bare()
            .env("MUSETTE_SESSION", &other)
            .arg("list")
            .output()
            .unwrap()
            .status
            .success()
    );
    assert!(
        v.bare()
            .args(["lock", "--all"])
            .output()
            .unwrap()
            .status
            .success()
    );
    assert_eq!(
        v.bare()
            .env("MUSETTE_SESSION", &other)
            .arg("list")
            .output()
            .unwrap()
            .status
            .code(),
        Some(3)
    );
    // Bad durations.
    let out = v
        .bare()
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .args(["unlock", "--timeout", "forever"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wrong_passphrase_exits_3() {
    let v = TestVault::new();
    let bad = v.file("bad", b"not the passphrase");
    let out = v
        .bare()
        .arg("--passphrase-file")
        .arg(&bad)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong passphrase"));
    let out = v
        .bare()
        .arg("--passphrase-file")
        .arg(&bad)
        .arg("unlock")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn paths_that_are_not_vaults_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let garbage = tmp.path().join("g");
    std::fs::create_dir(&garbage).unwrap();
    std::fs::write(
        garbage.join("vault.db"),
        b"this is not a database at all, just some text that is long enough",
    )
    .unwrap();
    let file = tmp.path().join("file.txt");
    std::fs::write(&file, b"x").unwrap();
    let other_db = tmp.path().join("o");
    std::fs::create_dir(&other_db).unwrap();
    rusqlite::Connection::open(other_db.join("vault.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    for (dir, needle) in [
        (&garbage, "not a musette vault"),
        (&file, "is a file"),
        (&other_db, "not made by musette"),
        (&tmp.path().join("none"), "no vault at"),
    ] {
        let out = musette(tmp.path())
            .arg("--vault")
            .arg(dir)
            .env("MUSETTE_SESSION", "mss1_x")
            .arg("list")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{dir:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(needle),
            "{dir:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn default_vault_lives_in_the_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let pass = tmp.path().join("p");
    std::fs::write(&pass, "a good passphrase").unwrap();
    let out = musette(tmp.path())
        .arg("--passphrase-file")
        .arg(&pass)
        .args(["init", "--kdf-memory-mib", "19"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("data/musette/vault.db").exists());
    // MUSETTE_VAULT points elsewhere.
    let out = musette(tmp.path())
        .env("MUSETTE_VAULT", tmp.path().join("elsewhere"))
        .arg("--passphrase-file")
        .arg(&pass)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn passwd_changes_the_passphrase_and_ends_sessions() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    let new = v.file("new", b"a brand new passphrase\n");
    let new_arg = new.to_str().unwrap();
    let out = v.with_pass(&v.pass_file, &["passwd", "--new-passphrase-file", new_arg]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v.with_pass(&v.pass_file, &["list"]).status.code(), Some(3));
    assert!(v.with_pass(&new, &["show", &id]).status.success());
    v.fails(3, &["list"]);
    // Without a terminal the new passphrase must come from a file.
    assert_eq!(v.with_pass(&new, &["passwd"]).status.code(), Some(2));
    // Changing the KDF cost too.
    let newer = v.file("newer", b"yet another passphrase");
    let args = [
        "passwd",
        "--kdf-memory-mib",
        "24",
        "--kdf-iterations",
        "2",
        "--new-passphrase-file",
        newer.to_str().unwrap(),
    ];
    assert!(v.with_pass(&new, &args).status.success());
    assert!(v.with_pass(&newer, &["list"]).status.success());
}

#[test]
fn recover_sets_a_new_passphrase_with_the_recovery_key() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    let new = v.file("new", b"recovered passphrase");
    let recover = |key: &[u8]| {
        let key = v.file("rk", key);
        v.bare()
            .arg("recover")
            .arg("--recovery-key-file")
            .arg(&key)
            .arg("--new-passphrase-file")
            .arg(&new)
            .output()
            .unwrap()
    };
    let out = recover(v.recovery_key.to_lowercase().as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(v.with_pass(&new, &["show", &id]).status.success());
    // A wrong recovery key of the right shape: exit 3; of the wrong shape: exit 2.
    let other = musette_core::RecoveryKey::generate();
    assert_eq!(recover(other.display().as_bytes()).status.code(), Some(3));
    assert_eq!(recover(b"1234").status.code(), Some(2));
}

#[test]
fn doctor_passes_on_a_healthy_vault_and_prints_json() {
    let v = TestVault::new();
    let id = v.add("skill", &["name=Welding"]);
    for i in 0..40 {
        v.ok(&["edit", &id, "--set", &format!("level={i}")]);
    }
    assert_eq!(v.json(&["show", &id])["fields"]["level"], "39");
    let report = v.json(&["doctor"]);
    assert_eq!(report["records"], 1);
    assert_eq!(report["problems"], json!([]));
    assert_eq!(v.json(&["history", &id]).as_array().unwrap().len(), 41);
}

#[test]
fn completions_are_generated_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = musette(tmp.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("musette"));
    }
    let out = musette(tmp.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_is_generated() {
    let tmp = tempfile::tempdir().unwrap();
    let out = musette(tmp.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH musette"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(text.contains("Exit codes"));
}

#[test]
fn help_documents_the_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = musette(tmp.path()).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Exit codes") && text.contains("5  damaged"));
}

#[test]
fn due_lists_what_is_overdue_or_due_soon_on_a_fixed_date() {
    let v = TestVault::new();
    let late = v.add(
        "document",
        &["title=Tax return", "category=other", "due=2025-01-15"],
    );
    let soon = v.add(
        "document",
        &["title=Lease renewal", "category=contract", "due=2026-12-10"],
    );
    v.add(
        "document",
        &["title=Far away", "category=other", "due=2027-06-01"],
    );
    let expiring = v.add(
        "badge",
        &["name=First aid", "issuer=Red Cross", "expires=2026-12"],
    );
    let removed = v.add(
        "document",
        &["title=Gone", "category=other", "due=2025-02-01"],
    );
    v.ok(&["rm", &removed]);
    let due = |days: Option<&str>| -> Value {
        let mut cmd = v.cmd();
        cmd.env("MUSETTE_TODAY", "2026-11-29")
            .args(["--json", "due"]);
        if let Some(d) = days {
            cmd.args(["--days", d]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(due(None).as_array().unwrap().len(), 2, "30 days by default");
    let items = due(Some("40"));
    let ids: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // Overdue first, then by date; a badge expiring "2026-12" counts until its last day.
    assert_eq!(ids, vec![late.as_str(), soon.as_str(), expiring.as_str()]);
    assert_eq!(items[0]["days"], -683);
    assert_eq!(items[0]["what"], "due");
    assert_eq!(items[1]["days"], 11);
    assert_eq!(items[2]["what"], "expires");
    assert_eq!(items[2]["date"], "2026-12-31");
    // A narrower window keeps what is overdue.
    assert_eq!(due(Some("5")).as_array().unwrap().len(), 1);
    let text = v
        .cmd()
        .env("MUSETTE_TODAY", "2026-11-29")
        .arg("due")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("was due 683 days ago") && text.contains("due in 11 days"),
        "{text}"
    );
    // A bad clock or window is refused.
    let bad = v
        .cmd()
        .env("MUSETTE_TODAY", "tomorrow")
        .arg("due")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    v.fails(2, &["due", "--days", "-3"]);
}

#[test]
fn export_ical_writes_dates_two_parsers_read_back_with_stable_uids() {
    let v = TestVault::new();
    let doc = v.add(
        "document",
        &[
            "title=Lease renewal; part 2, signed",
            "category=contract",
            "due=2026-12-10",
        ],
    );
    let badge = v.add(
        "badge",
        &["name=First aid", "issuer=Red Cross", "expires=2027-03"],
    );
    v.add("skill", &["name=Welding"]);
    let export = |name: &str| -> String {
        let path = v.tmp.path().join(name);
        v.ok(&["export", "ical", "-o", path.to_str().unwrap()]);
        std::fs::read_to_string(&path).unwrap()
    };
    let text = export("a.ics");
    // The crate's own parser.
    let cal = icalendar::parser::read_calendar(&text).unwrap();
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2);
    // A second, independent parser.
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let parsed = parser.next().unwrap().unwrap();
    let mut seen: Vec<(String, String, String)> = parsed
        .events
        .iter()
        .map(|e| {
            let prop = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == n)
                    .and_then(|p| p.value.clone())
                    .unwrap_or_default()
            };
            (prop("UID"), prop("SUMMARY"), prop("DTSTART"))
        })
        .collect();
    seen.sort();
    let mut want = vec![
        (
            format!("{doc}-due@musette"),
            "Due: Lease renewal\\; part 2\\, signed".to_string(),
            "20261210".to_string(),
        ),
        (
            format!("{badge}-expires@musette"),
            "Expires: First aid".to_string(),
            "20270331".to_string(),
        ),
    ];
    want.sort();
    assert_eq!(seen, want);
    // Exported again: the same UIDs, so a calendar updates rather than duplicates.
    let again = export("b.ics");
    for (uid, _, _) in &want {
        assert!(again.contains(uid.as_str()), "{uid}");
    }
}

#[test]
fn evidence_names_its_experience_and_the_experience_lists_its_evidence() {
    let v = TestVault::new();
    let exp = v.add("experience", &["title=Welder at the shipyard"]);
    let ev = v.add(
        "evidence",
        &["title=Weld inspection report", &format!("experience={exp}")],
    );
    let rec = v.add(
        "recommendation",
        &["text=Great welds.", &format!("about={exp}")],
    );
    let shown = v.ok(&["show", &ev]);
    assert!(
        shown.contains(&format!("{exp} (Welder at the shipyard)")),
        "{shown}"
    );
    let shown = v.ok(&["show", &exp]);
    assert!(
        shown.contains("evidence") && shown.contains("Weld inspection report"),
        "{shown}"
    );
    assert!(shown.contains(&rec), "{shown}");
    let json = v.json(&["show", &exp]);
    let ids: Vec<&str> = json["referenced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&ev.as_str()) && ids.contains(&rec.as_str()),
        "{json}"
    );
}

#[test]
fn list_shows_dates_and_sorts_experiences_newest_first() {
    let v = TestVault::new();
    let old = v.add(
        "experience",
        &["title=Apprentice", "start=2012-09", "end=2015"],
    );
    let new = v.add("experience", &["title=Welder", "start=2019-04"]);
    let mid = v.add(
        "experience",
        &["title=Fitter", "start=2015-10", "end=2019-03"],
    );
    let doc = v.add(
        "document",
        &["title=Payslip", "category=payslip", "due=2026-12-31"],
    );
    let skill = v.add("skill", &["name=TIG"]);
    let rows = v.json(&["list"]);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        &ids[..3],
        &[new.as_str(), mid.as_str(), old.as_str()],
        "{rows}"
    );
    assert_eq!(rows[0]["date"], "2019-04 –");
    assert_eq!(rows[2]["date"], "2012-09 – 2015");
    let by_date = v.json(&["list", "--sort", "date"]);
    let first: Vec<&str> = by_date
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(first[0], doc.as_str(), "the latest date first");
    assert_eq!(*first.last().unwrap(), skill.as_str(), "undated last");
    let by_title = v.json(&["list", "--sort", "title"]);
    assert_eq!(by_title[0]["title"], "Apprentice");
    assert!(v.ok(&["list"]).contains("2012-09 – 2015"));
    v.fails(2, &["list", "--sort", "size"]);
}

/// Text that does not compress: letters drawn from a simple generator.
fn noise(bytes: usize, seed: u64) -> String {
    let mut x = seed | 1;
    (0..bytes)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

#[test]
fn a_record_past_what_a_sync_carries_is_refused_and_nothing_changes() {
    let v = TestVault::new();
    // Fields past the limit: refused before anything is done with them.
    let big = v.file(
        "big.json",
        json!({ "title": "Big", "description": "x".repeat(25 << 20) })
            .to_string()
            .as_bytes(),
    );
    let err = v.fails(
        2,
        &["add", "experience", "--from-json", big.to_str().unwrap()],
    );
    assert!(err.contains("at most 24 MiB"), "{err}");
    assert!(err.contains("musette attach"), "{err}");
    assert!(v.json(&["list"]).as_array().unwrap().is_empty());

    // Under it, but each new value of a field stays in the record's history: the write that
    // would take it past the limit is refused, and the record stays as it was.
    let first = v.file(
        "first.json",
        json!({ "title": "Notes", "description": noise(6 << 20, 1) })
            .to_string()
            .as_bytes(),
    );
    let id = v
        .ok(&["add", "experience", "--from-json", first.to_str().unwrap()])
        .trim()
        .to_string();
    let mut refused = None;
    for round in 2..8 {
        let next = v.file(
            "next.json",
            json!({ "description": noise(6 << 20, round) })
                .to_string()
                .as_bytes(),
        );
        let out = v
            .cmd()
            .args(["edit", &id, "--from-json", next.to_str().unwrap()])
            .output()
            .unwrap();
        if !out.status.success() {
            assert_eq!(out.status.code(), Some(2));
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            assert!(err.contains("at most 24 MiB"), "{err}");
            refused = Some(round);
            break;
        }
    }
    let refused = refused.expect("an edit past the limit is refused");
    // Values that deflate to almost nothing count as they are once loaded, not as stored:
    // their history is refused as soon, not hundreds of edits later.
    let plain = v.file(
        "plain.json",
        json!({ "title": "Plain", "description": "a".repeat(7 << 20) })
            .to_string()
            .as_bytes(),
    );
    let flat = v
        .ok(&["add", "experience", "--from-json", plain.to_str().unwrap()])
        .trim()
        .to_string();
    let mut flat_refused = None;
    for (round, letter) in ['b', 'c', 'd', 'e', 'f'].into_iter().enumerate() {
        let next = v.file(
            "flat.json",
            json!({ "description": letter.to_string().repeat(7 << 20) })
                .to_string()
                .as_bytes(),
        );
        let out = v
            .cmd()
            .args(["edit", &flat, "--from-json", next.to_str().unwrap()])
            .output()
            .unwrap();
        if !out.status.success() {
            assert_eq!(out.status.code(), Some(2));
            flat_refused = Some(round);
            break;
        }
    }
    assert!(
        flat_refused.is_some_and(|r| r <= 2),
        "refused at round {flat_refused:?}"
    );
    let shown = v.json(&["show", &id]);
    assert_eq!(
        shown["fields"]["description"].as_str().unwrap(),
        noise(6 << 20, refused - 1),
        "the record keeps its last value"
    );
    v.ok(&["doctor"]);
}

#[test]
fn a_device_never_named_goes_by_its_hosts_name_as_the_others_see_it() {
    let v = TestVault::new();
    let listed = v.json(&["device", "list"]);
    assert_eq!(listed[0]["this_device"], true, "{listed}");
    assert_eq!(
        listed[0]["name"],
        musette_sync::devices::host_name().as_str(),
        "{listed}"
    );
}

/// Mistakes a newcomer makes, each said for what it is (they were said as something else: an
/// unknown format, an unreadable file, a field named "", the vault's own `recover`, a LinkedIn
/// export), and changing nothing.
#[test]
fn newcomers_mistakes_are_said_for_what_they_are() {
    let v = TestVault::new();
    let exp = v.add("experience", &["title=Welder"]);
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n";
    let a = v.file("a.vcf", card.as_bytes());
    let b = v.file("b.vcf", card.as_bytes());
    let before = v.ids();
    let out = v.fails(2, &["import", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(out.contains("one file at a time"), "{out}");
    let out = v.fails(2, &["import", "vcard"]);
    assert!(out.contains("musette import vcard FILE"), "{out}");
    let twice = v.file(
        "resume.json",
        br#"{"basics":{"name":"Ada"},"work":[],"work":[{"name":"X","position":"Y"}]}"#,
    );
    let out = v.fails(2, &["import", twice.to_str().unwrap()]);
    assert!(out.contains("the key \"work\" twice"), "{out}");
    assert_eq!(v.ids(), before);
    for fields in ["", "title,,organization"] {
        let out = v.fails(2, &["credential", "issue", &exp, "--fields", fields]);
        assert!(out.contains("a field name is empty"), "{out}");
    }
    let out = v.fails(2, &["verify", "/dev/zero"]);
    assert!(
        out.contains("no credential, presentation or badge image"),
        "{out}"
    );
    // A backup opened with a wrong passphrase points at the backup's recovery key.
    let backup = v.tmp.path().join("v.backup");
    v.ok(&["backup", "-o", backup.to_str().unwrap()]);
    let wrong = v.file("wrong-pass", b"not the passphrase at all\n");
    let out = musette(v.tmp.path())
        .arg("--vault")
        .arg(v.tmp.path().join("restored"))
        .arg("--passphrase-file")
        .arg(&wrong)
        .args(["restore", backup.to_str().unwrap()])
        .output()
        .unwrap();
    let (code, err) = code_and_err(&out);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("musette restore --recovery"), "{err}");
    assert!(!v.tmp.path().join("restored").exists());
}
