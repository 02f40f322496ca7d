//! The command line in French: `LANG=fr_FR.UTF-8 musette add experiance` answers in French, as
//! do the commonest mistakes (a kind, a required field, a date, a command or an option that does
//! not exist), with the same exit codes; in English it says what it always said.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;

fn run(v: &TestVault, lang: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = v
        .cmd()
        .env("LC_ALL", lang)
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn mistakes_are_answered_in_french() {
    let v = TestVault::new();
    let fr = "fr_FR.UTF-8";
    let (code, err) = run(&v, fr, &["add", "experiance"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("musette\u{202f}: erreur\u{202f}: type de fiche inconnu"),
        "{err}"
    );
    let (code, err) = run(&v, fr, &["add", "experience", "--set", "start=2019"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("Une expérience a besoin d'un intitulé"),
        "{err}"
    );
    assert!(err.contains("ajoutez --set title=…"), "{err}");
    let (code, err) = run(
        &v,
        fr,
        &[
            "add",
            "experience",
            "--set",
            "title=Soudeuse",
            "--set",
            "start=mars 2024",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("Début") && err.contains("n'est pas une date"),
        "{err}"
    );
    let (code, err) = run(&v, fr, &["ad"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("n'est pas une commande de musette") && err.contains("add"),
        "{err}"
    );
    let (code, err) = run(&v, fr, &["list", "--tagz", "cv"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("n'est pas une option") && err.contains("--tag"),
        "{err}"
    );
    let (code, err) = run(&v, fr, &["show", "zzzzzzzz"]);
    assert_eq!(code, Some(4));
    assert!(err.contains("Il n'y a pas de fiche"), "{err}");
    // A choice, a short id, a value missing, a value the parser refuses: said in French,
    // with how to write it.
    let (code, err) = run(
        &v,
        fr,
        &["add", "experience", "--set", "title=X", "--set", "type=job"],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("doit valoir employment") && err.contains("pas job"),
        "{err}"
    );
    let (code, err) = run(&v, fr, &["show", "abc"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("trop court"), "{err}");
    let (code, err) = run(&v, fr, &["list", "skill", "--tag"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("il faut une valeur après --tag"), "{err}");
    let (code, err) = run(&v, fr, &["unlock", "--timeout", "90"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("90") && err.contains("--timeout") && err.contains("30m"),
        "{err}"
    );
    let (code, err) = run(
        &v,
        fr,
        &["add", "skill", "--set", "name=Soudure", "--tag", " "],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("n'est pas une étiquette"), "{err}");
    let (code, err) = run(
        &v,
        fr,
        &[
            "add",
            "skill",
            "--set",
            "name=Soudure",
            "--set",
            "Niveau=expert",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("«\u{202f}Niveau\u{202f}» n'est pas un nom de champ"),
        "{err}"
    );
    let (code, err) = run(
        &v,
        fr,
        &[
            "sync",
            "--with",
            "musette1notaticket",
            "--no-relay",
            "--bind",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("ce n'est pas un ticket musette") && err.contains("mal recopié"),
        "{err}"
    );
    let (code, err) = run(
        &v,
        fr,
        &[
            "sync",
            "--with",
            "bonjour",
            "--no-relay",
            "--bind",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("n'est ni un pair"), "{err}");
    assert!(v.ids().is_empty(), "nothing was written");
    // English as before, whatever the language variables say otherwise.
    for lang in ["C", "en_GB.UTF-8", "de_DE.UTF-8"] {
        let (code, err) = run(&v, lang, &["add", "experience", "--set", "start=2019"]);
        assert_eq!(code, Some(2));
        assert!(
            err.contains("an experience needs a title: add --set title=…"),
            "{lang}: {err}"
        );
    }
}

#[test]
fn the_help_is_in_french_too() {
    let v = TestVault::new();
    let help = |lang: &str, args: &[&str]| -> String {
        let out = v
            .cmd()
            .env("LC_ALL", lang)
            .env("LANG", lang)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let fr = help("fr_FR.UTF-8", &["--help"]);
    assert!(
        fr.contains("Ajouter une fiche\u{202f}; affiche son identifiant"),
        "{fr}"
    );
    assert!(
        fr.contains("Codes de sortie") && fr.contains("Utilisation :"),
        "{fr}"
    );
    let add = help("fr_FR.UTF-8", &["add", "--help"]);
    assert!(
        add.contains("Une étiquette. Répétable") && add.contains("Le dossier du coffre"),
        "{add}"
    );
    let device = help("fr_FR.UTF-8", &["help", "device"]);
    assert!(device.contains("Vos appareils"), "{device}");
    let en = help("C", &["--help"]);
    assert!(
        en.contains("Add a record; prints its id") && en.contains("Exit codes"),
        "{en}"
    );
}

#[test]
fn everyday_commands_answer_in_french() {
    let v = TestVault::new();
    let fr = "fr_FR.UTF-8";
    let out = v
        .cmd()
        .env("LC_ALL", fr)
        .env("LANG", fr)
        .args(["add", "skill", "--set", "name=TIG", "--set", "levle=expert"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("n'est pas un champ habituel") && note.contains("level"),
        "{note}"
    );
    let say = |args: &[&str]| -> String {
        let out = v
            .cmd()
            .env("LC_ALL", fr)
            .env("LANG", fr)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(say(&["rm", &id]).contains("retirée (remettez-la avec `musette rm --undo"));
    assert!(say(&["rm", "--undo", &id]).contains("remise"));
    assert!(say(&["edit", &id, "--set", "level=expert"]).contains("mise à jour"));
    assert!(say(&["due"]).contains("rien en retard"));
    // In English, what it always said.
    let out = v
        .cmd()
        .env("LC_ALL", "C")
        .args(["rm", &id])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("Removed {id}")));
}

#[test]
fn a_credential_is_verified_in_french() {
    let v = TestVault::new();
    let id = v.add("experience", &["title=Soudeuse", "start=2019"]);
    let file = v.tmp.path().join("cred.json");
    v.ok(&["credential", "issue", &id, "-o", file.to_str().unwrap()]);
    let fr = |args: &[&str]| {
        let out = v
            .cmd()
            .env("LC_ALL", "fr_FR.UTF-8")
            .env("LANG", "fr_FR.UTF-8")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = fr(&["verify", file.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("Vérifiée\u{202f}: chaque preuve tient.") && out.contains("signée par"),
        "{out}"
    );
    let forged = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Soudeuse", "Directrice");
    let bad = v.file("forged.json", forged.as_bytes());
    let (code, out, err) = fr(&["verify", bad.to_str().unwrap()]);
    assert_eq!(code, Some(5));
    assert!(
        out.contains("ÉCHEC") && out.contains("la signature ne correspond pas"),
        "{out}"
    );
    assert!(err.contains("n'est pas vérifiée"), "{err}");
}
