//! JSON Resume in and out: the sample résumé goes round whole and schema-valid, a second import
//! changes nothing, an edited résumé updates without losing what the owner added, the profile
//! is one and only one, and messy résumés are read with what was left out said.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;
use serde_json::{Value, json};

fn vectors() -> std::path::PathBuf {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/jsonresume");
    assert!(
        path.exists(),
        "the test vectors are missing: shared/vectors must sit beside the checkout at {}",
        path.display()
    );
    path
}

fn sample() -> (std::path::PathBuf, Value) {
    let path = vectors().join("sample.resume.json");
    let doc = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, doc)
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_slice(&std::fs::read(vectors().join("schema.json")).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The schema's complaints about a document (empty when it is valid).
fn schema_errors(doc: &Value) -> Vec<String> {
    validator()
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn export(v: &TestVault, extra: &[&str]) -> Value {
    let mut args = vec!["export", "json-resume"];
    args.extend_from_slice(extra);
    serde_json::from_str(&v.ok(&args)).unwrap()
}

#[test]
fn the_sample_resume_goes_round_whole_and_schema_valid() {
    let (path, original) = sample();
    assert!(schema_errors(&original).is_empty(), "the sample itself");
    let v = TestVault::new();
    let path = path.to_str().unwrap();
    // A dry run writes nothing.
    let dry = v.json(&["import", path, "--dry-run"]);
    assert_eq!(dry["new"], 11, "{dry}");
    assert!(v.ids().is_empty());
    let first = v.json(&["import", path]);
    assert_eq!(
        (&first["new"], &first["updated"], &first["unchanged"]),
        (&json!(11), &json!(0), &json!(0)),
        "{first}"
    );
    assert_eq!(first["skipped"], json!([]), "{first}");
    // The same résumé again, format named: everything unchanged.
    let again = v.json(&["import", "json-resume", path]);
    assert_eq!(
        (&again["new"], &again["updated"], &again["unchanged"]),
        (&json!(0), &json!(0), &json!(11)),
        "{again}"
    );
    let out = export(&v, &[]);
    let errors = schema_errors(&out);
    assert!(errors.is_empty(), "{errors:?}\n{out:#}");
    for section in [
        "work",
        "volunteer",
        "education",
        "awards",
        "publications",
        "languages",
        "interests",
        "references",
        "projects",
    ] {
        assert_eq!(out[section], original[section], "section {section}");
    }
    // Skills come back by name.
    let mut skills = original["skills"].as_array().unwrap().clone();
    skills.sort_by_key(|s| s["name"].as_str().unwrap().to_lowercase());
    assert_eq!(out["skills"], Value::Array(skills));
    // The basics too, but for the empty image, which says nothing.
    let mut basics = original["basics"].clone();
    basics.as_object_mut().unwrap().remove("image");
    assert_eq!(out["basics"], basics);
    // The profile is a contact carrying the vault's own did.
    let did = v.ok(&["id"]).trim().to_string();
    let profile = v.json(&["profile"]);
    assert_eq!(profile["kind"], "contact");
    assert_eq!(profile["fields"]["did"], did);
    assert_eq!(profile["fields"]["role"], "Programmer");
}

#[test]
fn the_schema_check_catches_what_it_should() {
    // The check the round trip relies on does fail on a broken résumé.
    let (_, mut doc) = sample();
    doc["work"][0]["startDate"] = json!("Present");
    doc["skills"][0]["keywords"] = json!("HTML");
    assert_eq!(schema_errors(&doc).len(), 2, "{:?}", schema_errors(&doc));
}

#[test]
fn an_edited_resume_updates_and_keeps_what_you_added() {
    let (path, original) = sample();
    let v = TestVault::new();
    v.json(&["import", path.to_str().unwrap()]);
    let job = v.json(&["list", "--search", "CEO/President"]);
    let job_id = job[0]["id"].as_str().unwrap().to_string();
    // A field of your own on an imported experience, and a phone number of your own... gone
    // from the next résumé.
    v.ok(&["edit", &job_id, "--set", "evidence_folder=~/piedpiper"]);
    let mut edited = original.clone();
    edited["work"][0]["summary"] = json!("Compression, at scale.");
    edited["work"][0]
        .as_object_mut()
        .unwrap()
        .remove("highlights");
    edited["basics"].as_object_mut().unwrap().remove("phone");
    edited["skills"][0]["level"] = json!("Expert");
    let file = v.file("edited.json", edited.to_string().as_bytes());
    let r = v.json(&["import", file.to_str().unwrap()]);
    assert_eq!(
        (&r["new"], &r["updated"], &r["unchanged"]),
        (&json!(0), &json!(2), &json!(9)),
        "{r}"
    );
    let shown = v.json(&["show", &job_id]);
    assert_eq!(shown["fields"]["description"], "Compression, at scale.");
    assert!(shown["fields"].get("highlights").is_none(), "{shown}");
    assert_eq!(shown["fields"]["evidence_folder"], "~/piedpiper");
    // The profile only gains and changes from a résumé: its phone stays.
    let profile = v.json(&["profile"]);
    assert_eq!(profile["fields"]["phone"], "(912) 555-4321");
    // Still one of each.
    assert_eq!(v.json(&["list", "experience"]).as_array().unwrap().len(), 4);
    assert_eq!(v.json(&["list", "contact"]).as_array().unwrap().len(), 1);
}

#[test]
fn one_profile_set_by_hand_then_merged_with_a_resume() {
    let v = TestVault::new();
    let none = v.cmd().args(["profile"]).output().unwrap();
    assert!(none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("No profile yet"));
    assert_eq!(v.json(&["profile"]), Value::Null);
    // A new profile needs a name; its did is not yours to set.
    let err = v.fails(2, &["profile", "--set", "label=Welder"]);
    assert!(err.contains("needs a name"), "{err}");
    let err = v.fails(
        2,
        &["profile", "--set", "name=Ana", "--set", "did=did:key:z6Mk"],
    );
    assert!(err.contains("did"), "{err}");
    let err = v.fails(2, &["profile", "--set", "nameAna"]);
    assert!(err.contains("FIELD=VALUE"), "{err}");
    assert!(v.ids().is_empty(), "a refused command wrote nothing");
    let made = v.json(&[
        "profile",
        "--set",
        "name=Ana Lima",
        "--set",
        "label=Welder",
        "--set",
        "phone=+351 900 000 000",
    ]);
    assert_eq!(made["created"], true);
    let p = v.json(&["profile"]);
    assert_eq!(p["fields"]["role"], "Welder", "label is the profile's role");
    let err = v.fails(2, &["profile", "--unset", "name"]);
    assert!(err.contains("needs a name"), "{err}");
    // A résumé without a phone, with another name: merged into the same profile.
    let resume = json!({
        "basics": { "name": "Ana M. Lima", "email": "ana@example.org", "summary": "TIG and MIG." },
        "work": [{ "name": "Naval Group", "position": "Welder", "startDate": "2019-03" }]
    });
    let file = v.file("ana.json", resume.to_string().as_bytes());
    let r = v.json(&["import", file.to_str().unwrap()]);
    assert_eq!((&r["new"], &r["updated"]), (&json!(1), &json!(1)), "{r}");
    let p = v.json(&["profile"]);
    assert_eq!(p["fields"]["name"], "Ana M. Lima");
    assert_eq!(p["fields"]["phone"], "+351 900 000 000");
    assert_eq!(p["fields"]["notes"], "TIG and MIG.");
    assert_eq!(v.json(&["list", "contact"]).as_array().unwrap().len(), 1);
    let out = export(&v, &[]);
    assert!(schema_errors(&out).is_empty(), "{out:#}");
    assert_eq!(out["basics"]["phone"], "+351 900 000 000");
    assert_eq!(
        out["work"][0]["startDate"], "2019-03",
        "partial dates as given"
    );
}

#[test]
fn messy_resumes_are_read_with_what_was_left_out_said() {
    let v = TestVault::new();
    let messy = json!({
        "basics": { "name": "Sam", "location": "Lyon" },
        "work": [
            { "company": "Old Schema Ltd", "position": "Clerk", "startDate": "2010-01-01", "endDate": "Present" },
            { "position": "Volunteer firefighter", "startDate": "May 2012" },
            "not an object",
            { "summary": "no name, no position" }
        ],
        "skills": [{ "name": "Forklift", "keywords": ["CACES 3", 5] }],
        "education": { "institution": "not a list" },
        "languages": [{ "language": "French", "fluency": "Native" }]
    });
    let file = v.file("messy.json", messy.to_string().as_bytes());
    let r = v.json(&["import", file.to_str().unwrap()]);
    assert_eq!(r["new"], 5, "{r}");
    let list = |key: &str| -> Vec<String> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let (skipped, notes) = (list("skipped"), list("notes"));
    // Entries left out are skipped; values left out of entries kept are notes.
    for said in [
        "work 3: should be an object",
        "work 4: has nothing to keep it by",
        "education: should be a list",
    ] {
        assert!(
            skipped.iter().any(|s| s.starts_with(said)),
            "{said:?} not in {skipped:#?}"
        );
    }
    for said in [
        "work 1 (Clerk): endDate \"Present\" is not a date",
        "work 2 (Volunteer firefighter): startDate \"May 2012\" is not a date",
        "skills 1 (Forklift): an entry of keywords should be text",
    ] {
        assert!(
            notes.iter().any(|s| s.starts_with(said)),
            "{said:?} not in {notes:#?}"
        );
    }
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    let clerk = v.json(&["list", "--search", "Clerk"]);
    let clerk = v.json(&["show", clerk[0]["id"].as_str().unwrap()]);
    assert_eq!(clerk["fields"]["organization"], "Old Schema Ltd");
    assert_eq!(clerk["fields"]["start"], "2010-01-01");
    // Written back, even a location given as text stays schema-valid.
    let out = export(&v, &[]);
    assert!(schema_errors(&out).is_empty(), "{out:#}");
    assert_eq!(out["basics"]["location"]["city"], "Lyon");
    assert_eq!(out["languages"][0]["fluency"], "Native");
}

#[test]
fn wrong_files_and_formats_are_refused_and_change_nothing() {
    let v = TestVault::new();
    let not_resume = v.file("other.json", br#"{"hello": "world"}"#);
    let err = v.fails(2, &["import", "json-resume", not_resume.to_str().unwrap()]);
    assert!(err.contains("not a JSON Resume"), "{err}");
    let broken = v.file("broken.json", br#"{"basics": {"name": "A"#);
    let err = v.fails(2, &["import", "json-resume", broken.to_str().unwrap()]);
    assert!(err.contains("not JSON"), "{err}");
    let err = v.fails(2, &["import", "jsonresume", broken.to_str().unwrap()]);
    assert!(err.contains("json-resume"), "the formats are listed: {err}");
    assert!(v.ids().is_empty());
}

#[test]
fn export_takes_the_records_chosen() {
    let v = TestVault::new();
    let a = v.add(
        "experience",
        &["title=Welder", "start=2019", "type=employment"],
    );
    let b = v.add("skill", &["name=TIG"]);
    let c = v.add("contact", &["name=Someone"]);
    v.ok(&["edit", &b, "--tag", "cv"]);
    let out = export(&v, &["--tag", "cv"]);
    assert_eq!(out["skills"], json!([{ "name": "TIG" }]));
    assert!(out.get("work").is_none(), "{out}");
    assert!(out.get("basics").is_none(), "no profile yet: {out}");
    let out = export(&v, &["--only", &format!("{a},{b}")]);
    assert_eq!(out["work"][0]["position"], "Welder");
    assert_eq!(out["work"][0]["startDate"], "2019");
    assert!(schema_errors(&out).is_empty());
    let err = v.fails(2, &["export", "json-resume", "--only", &c]);
    assert!(err.contains("a résumé holds"), "{err}");
    // Written to a file, with a note on stderr.
    let path = v.file("cv.json", b"");
    let out = v
        .cmd()
        .args(["export", "json-resume", "-o", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let written: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(schema_errors(&written).is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no profile"));
}

#[test]
fn addresses_that_are_not_addresses_are_fixed_or_left_out_and_said() {
    let v = TestVault::new();
    v.json(&[
        "profile",
        "--set",
        "name=Ana",
        "--set",
        "url=ana.example/cv",
        "--set",
        "email=ana@",
    ]);
    v.add("experience", &["title=Welder", "url=naval group site"]);
    let out = v.cmd().args(["export", "json-resume"]).output().unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema_errors(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["basics"]["url"], "https://ana.example/cv");
    assert!(doc["basics"].get("email").is_none());
    assert!(doc["work"][0].get("url").is_none());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("email \"ana@\" is not an email address"),
        "{err}"
    );
    assert!(
        err.contains("url \"naval group site\" is not a web address"),
        "{err}"
    );
}

#[test]
fn two_imports_at_once_neither_duplicate_nor_undo_each_other() {
    let v = TestVault::new();
    let projects: Vec<Value> = (0..1500)
        .map(|i| json!({ "name": format!("Project {i}"), "startDate": "2020" }))
        .collect();
    let file = v.file(
        "many.json",
        json!({ "projects": projects }).to_string().as_bytes(),
    );
    let path = file.to_str().unwrap().to_string();
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("musette"))
            .env_remove("MUSETTE_VAULT")
            .env_remove("MUSETTE_CONFIG")
            .env("XDG_CONFIG_HOME", v.tmp.path().join("config"))
            .env("HOME", v.tmp.path())
            .env("MUSETTE_SESSION", &v.session)
            .arg("--vault")
            .arg(&v.dir)
            .args(["--json", "import", &path])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut added = 0;
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        added += r["new"].as_u64().unwrap();
    }
    assert_eq!(added, 1500, "one import added them, the other found them");
    assert_eq!(
        v.json(&["list", "experience"]).as_array().unwrap().len(),
        1500
    );
}

#[test]
fn keys_cannot_be_forged_with_separators() {
    let v = TestVault::new();
    let a = json!({ "work": [{ "name": "Acme|Lead", "position": "Dev", "summary": "first" }] });
    let b = json!({ "work": [{ "name": "Acme", "position": "Lead|Dev", "summary": "second" }] });
    for (name, doc) in [("a.json", a), ("b.json", b)] {
        let f = v.file(name, doc.to_string().as_bytes());
        let r = v.json(&["import", f.to_str().unwrap()]);
        assert_eq!(r["new"], 1, "{name}: {r}");
    }
    assert_eq!(v.json(&["list", "experience"]).as_array().unwrap().len(), 2);
}

#[test]
fn files_of_no_known_format_say_what_they_are() {
    let v = TestVault::new();
    let pdf = v.file("cv.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n");
    let err = v.fails(2, &["import", pdf.to_str().unwrap()]);
    assert!(err.contains("musette attach"), "{err}");
    let csv = v.file("Positions.csv", b"Company Name,Title\nAcme,Dev\n");
    let err = v.fails(2, &["import", csv.to_str().unwrap()]);
    assert!(err.contains("one file of a LinkedIn export"), "{err}");
    let cut = v.file("cut.json", br#"{"basics": {"name": "A"#);
    let err = v.fails(2, &["import", cut.to_str().unwrap()]);
    assert!(err.contains("not valid JSON"), "{err}");
    assert!(!err.contains("the badge is"), "{err}");
    let notes = v.file("notes.txt", b"remember the milk\n");
    let err = v.fails(2, &["import", notes.to_str().unwrap()]);
    assert!(err.contains("could not tell what it is"), "{err}");
    assert!(v.ids().is_empty());
}
