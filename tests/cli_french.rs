//! More of the command line in French: mistakes with backups, the configuration file, credentials
//! to verify, durations, peers and devices are said in French under `LANG=fr_FR.UTF-8`, with the
//! same exit code as in English. Nothing here reaches the network.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{PASSPHRASE, TestVault, musette};

const FR: &str = "fr_FR.UTF-8";

/// Runs `cmd` in `lang`; returns the exit code, stdout and stderr.
fn run_in(mut cmd: assert_cmd::Command, lang: &str) -> (Option<i32>, String, String) {
    let out = cmd
        .env("LC_ALL", lang)
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the command `make` builds in French and in English: the French stderr holds `french`,
/// the English one `english`, and both end with exit code `code`.
fn both(make: impl Fn() -> assert_cmd::Command, code: i32, french: &str, english: &str) {
    let (fr_code, _, fr_err) = run_in(make(), FR);
    assert_eq!(fr_code, Some(code), "French: {fr_err}");
    assert!(fr_err.contains(french), "French: {fr_err}");
    assert!(
        fr_err.starts_with("musette\u{202f}: erreur\u{202f}: "),
        "French: {fr_err}"
    );
    let (en_code, _, en_err) = run_in(make(), "C");
    assert_eq!(en_code, Some(code), "English: {en_err}");
    assert!(en_err.contains(english), "English: {en_err}");
}

/// The binary on `dir` (a vault folder that may not exist yet), with the test passphrase.
fn on(v: &TestVault, dir: &Path) -> assert_cmd::Command {
    let mut cmd = musette(v.tmp.path());
    cmd.arg("--vault")
        .arg(dir)
        .arg("--passphrase-file")
        .arg(&v.pass_file);
    cmd
}

#[test]
fn backup_mistakes_are_said_in_french() {
    let v = TestVault::new();
    let garbage = v.file("garbage.bak", b"this is not a backup at all, only words");
    let target = v.tmp.path().join("restored");
    both(
        || {
            let mut c = on(&v, &target);
            c.arg("restore").arg(&garbage);
            c
        },
        5,
        "elle ne commence pas comme une sauvegarde",
        "it does not start as one",
    );
    let backup = v.tmp.path().join("vault.bak");
    v.ok(&["backup", "-o", backup.to_str().unwrap()]);
    let whole = std::fs::read(&backup).unwrap();
    let cut = v.file("cut.bak", &whole[..whole.len() - 100]);
    both(
        || {
            let mut c = on(&v, &target);
            c.arg("restore").arg(&cut);
            c
        },
        5,
        "tronquée ou complétée",
        "truncated or padded",
    );
    let missing = v.tmp.path().join("no-such-key.txt");
    both(
        || {
            let mut c = on(&v, &target);
            c.arg("restore")
                .arg(&backup)
                .arg("--recovery-key-file")
                .arg(&missing);
            c
        },
        2,
        "impossible de lire le fichier de la clé de secours",
        "cannot read the recovery key file",
    );
    assert!(!target.join("vault.db").exists(), "nothing was restored");
}

#[test]
fn verify_mistakes_are_said_in_french() {
    let v = TestVault::new();
    let empty = v.file("empty.json", b"");
    both(
        || {
            let mut c = v.cmd();
            c.arg("verify").arg(&empty);
            c
        },
        2,
        "est vide\u{202f}: donnez le fichier de l'attestation",
        "is empty: give the credential's file",
    );
    let other = v.file("other.json", br#"{"name": "not a credential"}"#);
    both(
        || {
            let mut c = v.cmd();
            c.arg("verify").arg(&other);
            c
        },
        2,
        "n'est ni une attestation ni une présentation vérifiable",
        "is not a verifiable credential or presentation",
    );
    let id = v.add("experience", &["title=Soudeuse", "start=2019"]);
    let cred = v.tmp.path().join("cred.json");
    v.ok(&["credential", "issue", &id, "-o", cred.to_str().unwrap()]);
    both(
        || {
            let mut c = v.cmd();
            c.arg("verify").arg(&cred).args(["--challenge", "abc"]);
            c
        },
        2,
        "ceci est une attestation",
        "this is a credential",
    );
    both(
        || {
            let mut c = v.cmd();
            c.args(["credential", "issue", &id, "--to", " "]);
            c
        },
        2,
        "--to prend un nom de 1 à 200 caractères",
        "--to takes a name of 1 to 200 characters",
    );
    both(
        || {
            let mut c = v.cmd();
            c.args(["export", "vcard", &id]);
            c
        },
        2,
        "seuls les contacts s'exportent en vCard",
        "only contacts export as vCard",
    );
    // The kind of a listed record is named in French too; in English as it always was.
    let (code, out, _) = run_in(
        {
            let mut c = v.cmd();
            c.arg("list");
            c
        },
        FR,
    );
    assert_eq!(code, Some(0));
    assert!(out.contains("expérience"), "{out}");
    let (_, out, _) = run_in(
        {
            let mut c = v.cmd();
            c.arg("list");
            c
        },
        "C",
    );
    assert!(out.contains(" experience "), "{out}");
}

/// The shared vectors of real badges, beside the checkout.
fn realbadge(name: &str) -> std::path::PathBuf {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/realbadges")
        .join(name);
    assert!(path.exists(), "missing vector {}", path.display());
    path
}

/// `musette verify FILE` in French and in English (in UTC, so that dates do not move): both
/// end with exit code `code`; returns the French and English stdout and stderr.
fn verify_both(v: &TestVault, file: &Path, code: i32) -> ((String, String), (String, String)) {
    let make = || {
        let mut c = v.cmd();
        c.env("TZ", "UTC").arg("verify").arg(file);
        c
    };
    let (fr_code, fr_out, fr_err) = run_in(make(), FR);
    assert_eq!(fr_code, Some(code), "French: {fr_out}{fr_err}");
    let (en_code, en_out, en_err) = run_in(make(), "C");
    assert_eq!(en_code, Some(code), "English: {en_out}{en_err}");
    ((fr_out, fr_err), (en_out, en_err))
}

#[test]
fn why_a_credential_verifies_or_not_is_said_in_french() {
    let v = TestVault::new();
    // Tampered after it was signed: the proof fails, said in French (exit 5 in both).
    let id = v.add("experience", &["title=Soudeuse", "start=2019"]);
    let cred = v.tmp.path().join("cred.json");
    v.ok(&["credential", "issue", &id, "-o", cred.to_str().unwrap()]);
    let text = std::fs::read_to_string(&cred).unwrap();
    assert!(text.contains("Soudeuse"));
    let tampered = v.file(
        "tampered.json",
        text.replace("Soudeuse", "Directrice").as_bytes(),
    );
    let ((fr_out, fr_err), (en_out, en_err)) = verify_both(&v, &tampered, 5);
    assert!(
        fr_out.contains("la signature ne correspond pas au document\u{202f}: il a été modifié après avoir été signé"),
        "{fr_out}"
    );
    assert!(!fr_out.contains("does not match"), "{fr_out}");
    assert!(fr_err.contains("n'est pas vérifiée"), "{fr_err}");
    assert!(
        en_out.contains(": the signature does not match the document\n"),
        "{en_out}"
    );
    assert!(en_err.contains("does not verify"), "{en_err}");

    // Expired: its proofs hold, and the date is written as French writes it (exit 8).
    let expired = realbadge("ob3-vc1-ed25519sig2020-didkey-EXPIRED.json");
    let ((fr_out, fr_err), (en_out, en_err)) = verify_both(&v, &expired, 8);
    assert!(
        fr_out.contains("PAS VALABLE AUJOURD'HUI  expirée le 9 janv. 2025, 16:23"),
        "{fr_out}"
    );
    assert!(
        fr_err.contains("n'est pas valable aujourd'hui (expirée le 9 janv. 2025, 16:23)"),
        "{fr_err}"
    );
    assert!(!fr_out.contains("expired on"), "{fr_out}");
    assert!(
        en_out.contains("NOT VALID NOW  expired on 2025-01-09 16:23 +00:00"),
        "{en_out}"
    );
    assert!(en_err.contains("expired on 2025-01-09"), "{en_err}");

    // Not yet valid.
    let early = realbadge("ob3-vc2-eddsa-rdfc-didkey-NOTYETVALID.json");
    let ((fr_out, _), (en_out, _)) = verify_both(&v, &early, 8);
    assert!(
        fr_out.contains("valable seulement à partir du "),
        "{fr_out}"
    );
    assert!(en_out.contains("valid only from "), "{en_out}");

    // A key only the network can give: the library's reason, in French (exit 7).
    let web = realbadge("ob3-vc2-eddsa-rdfc-didweb.json");
    let ((fr_out, _), (en_out, _)) = verify_both(&v, &web, 7);
    assert!(
        fr_out.contains("un identifiant did:web que seul le réseau peut résoudre"),
        "{fr_out}"
    );
    assert!(
        en_out.contains("a did:web identifier that only the network can resolve"),
        "{en_out}"
    );

    // `--json` keeps the English reasons, whatever the language.
    let (_, json, _) = run_in(
        {
            let mut c = v.cmd();
            c.args(["--json", "verify"]).arg(&tampered);
            c
        },
        FR,
    );
    assert!(
        json.contains("\"reason\": \"the signature does not match the document\""),
        "{json}"
    );
}

#[test]
fn configuration_and_option_mistakes_are_said_in_french() {
    let v = TestVault::new();
    let bad = v.file("bad.toml", b"[network]\nrelays = [\n");
    let http = v.file(
        "http.toml",
        b"[network]\nrelays = [\"http://relay.example.org\"]\n",
    );
    let invite = |config: &Path| {
        let mut c = v.cmd();
        c.env("MUSETTE_CONFIG", config).args([
            "device",
            "invite",
            "--timeout",
            "1s",
            "--no-relay",
            "--bind",
            "127.0.0.1:0",
        ]);
        c
    };
    both(
        || invite(&bad),
        2,
        "n'est pas valide à la ligne",
        "is not valid at line",
    );
    both(
        || invite(&http),
        2,
        "n'est pas une URL de relais",
        "is not a relay URL",
    );
    // A value a parser refuses: said with how to write it.
    let (code, _, err) = run_in(
        {
            let mut c = v.cmd();
            c.args(["device", "invite", "--timeout", "0s", "--no-relay"]);
            c
        },
        FR,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("une attente entre 1s et 24h"), "{err}");
    let (code, _, err) = run_in(
        {
            let mut c = v.cmd();
            c.args(["unlock", "--timeout", "40d"]);
            c
        },
        FR,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("une session dure entre 1s et 30 jours"),
        "{err}"
    );
    both(
        || {
            let mut c = v.cmd();
            c.args(["peer", "add", "bob", "musette1notaticket"]);
            c
        },
        2,
        "le ticket d'un pair est ce qu'a affiché",
        "a peer's ticket is what",
    );
    both(
        || {
            let mut c = v.cmd();
            c.args(["show", "0123456789ab"]);
            c
        },
        4,
        "ni aucun élément reçu",
        "nor a received item",
    );
}

#[test]
fn passphrase_mistakes_are_said_in_french() {
    let v = TestVault::new();
    // A session does not change the passphrase, and there is no terminal to ask on.
    both(
        || {
            let mut c = v.cmd();
            c.arg("passwd");
            c
        },
        3,
        "a besoin de votre phrase secrète même pendant une session",
        "needs your passphrase even during a session",
    );
    both(
        || {
            let mut c = v.bare();
            c.arg("--passphrase-file").arg(&v.pass_file).arg("passwd");
            c
        },
        2,
        "pas de terminal pour demander la nouvelle phrase secrète",
        "no terminal to ask for the new passphrase",
    );
    let missing = v.tmp.path().join("missing-pass");
    both(
        || {
            let mut c = v.bare();
            c.arg("--passphrase-file").arg(&missing).arg("list");
            c
        },
        2,
        "impossible de lire le fichier de la phrase secrète",
        "cannot read the passphrase file",
    );
    assert!(!PASSPHRASE.is_empty());
}

#[test]
fn the_parsers_refusals_are_said_in_french_and_json_stays_english() {
    let v = TestVault::new();
    for (args, french, english) in [
        (
            &["list", "--json", "--json"][..],
            "est donné deux fois",
            "cannot be used multiple times",
        ),
        (
            &["list", "--passphrase-file", "a", "--passphrase-env", "B"][..],
            "ne va pas avec",
            "cannot be used with",
        ),
    ] {
        let fr = v
            .cmd()
            .env("LANG", "fr_FR.UTF-8")
            .args(args)
            .output()
            .unwrap();
        let en = v.cmd().env("LANG", "C").args(args).output().unwrap();
        let (fr_err, en_err) = (
            String::from_utf8_lossy(&fr.stderr).to_string(),
            String::from_utf8_lossy(&en.stderr).to_string(),
        );
        assert!(fr_err.contains(french), "{fr_err}");
        assert!(en_err.contains(english), "{en_err}");
        assert_eq!(fr.status.code(), Some(2));
        assert_eq!(en.status.code(), Some(2));
    }
    // A sync that fails is said in French on the terminal, and in English in `--json`.
    let ticket = String::from_utf8(
        v.cmd()
            .args(["ticket", "--no-relay", "--bind", "127.0.0.1:0"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let other = TestVault::new();
    let out = other
        .cmd()
        .env("LANG", "fr_FR.UTF-8")
        .args(["peer", "add", "bob", ticket.trim()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = other
        .cmd()
        .env("LANG", "fr_FR.UTF-8")
        .args([
            "--json",
            "sync",
            "--with",
            "bob",
            "--no-relay",
            "--bind",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = rows[0]["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("could not reach bob"), "{error}");
}

#[test]
fn a_vault_file_cut_short_is_said_damaged_with_exit_5_in_both_languages() {
    let v = TestVault::new();
    let db = v.dir.join("vault.db");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len().min(5000)]).unwrap();
    for (lang, word) in [("C", "damaged"), ("fr_FR.UTF-8", "endommagé")] {
        let out = v.cmd().env("LANG", lang).arg("list").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{lang}: {err}");
        assert!(err.contains(word), "{lang}: {err}");
    }
}
