//! LinkedIn exports as they really come: a byte-order mark, the "Notes:" preamble of
//! Connections.csv, dates written three ways, columns added and missing, files missing. The
//! counts are right, what was left out is said by file and line, a second import changes
//! nothing, the unzipped folder reads the same, and what is not an export is refused.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;

use common::TestVault;
use serde_json::{Value, json};

const PROFILE: &str = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\n\
Ana,Lima,,,\"Mar 3, 1990\",Welder and fitter,\"Ten years of TIG, MIG\nand stick welding.\",Shipbuilding,,\"Saint-Nazaire, France\",,[PERSONAL:https://ana.example],\n";

// A byte-order mark; an added column (Company Url); no Location column; three date styles;
// a row without title or company.
const POSITIONS: &str = "\u{feff}Company Name,Title,Description,Company Url,Started On,Finished On\n\
Naval Group,Welder,\"Hulls, decks\",https://naval.example,Mar 2019,\n\
Chantiers de l'Atlantique,Apprentice welder,,,2015,03/14/19\n\
,,A row with nothing to name it,,,\n\
Acme,Fitter,,,Spring 2014,2015\n";

const CONNECTIONS_HEAD: &str = "Notes:\n\
\"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address.\"\n\
\n\
First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";

const EDUCATION: &str = "School Name,Start Date,End Date,Notes,Degree Name,Activities\n\
AFPA Saint-Nazaire,2013,2014,,CAP Soudure,Welding club\n";

const SKILLS: &str = "Name\nTIG welding\nBlueprint reading\n\n";

const ENDORSEMENTS: &str = "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,Endorsement Status\n\
2021/05/02 10:21:00 UTC,TIG welding,Karim,B.,https://www.linkedin.com/in/karim,ACCEPTED\n\
2021/06/02 10:21:00 UTC,TIG welding,Lea,M.,https://www.linkedin.com/in/lea,ACCEPTED\n\
2021/06/03 10:21:00 UTC,Rigging,Lea,M.,https://www.linkedin.com/in/lea,ACCEPTED\n\
2021/06/04 10:21:00 UTC,Spam,Bot,Bot,https://www.linkedin.com/in/bot,REJECTED\n";

const CERTIFICATIONS: &str = "Name,Url,Authority,Started On,Finished On,License Number\n\
ISO 9606-1 135 P BW,https://cert.example/1,Bureau Veritas,Jun 2020,Jun 2023,BV-1234\n";

const RECOMMENDATIONS: &str = "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n\
Karim,B.,Naval Group,Foreman,\"Ana is the welder you want on a hull.\nPrecise, calm.\",\"03/14/19, 10:21 AM\",VISIBLE\n";

const EMAILS: &str = "Email Address,Confirmed,Primary,Updated On\n\
old@example.org,Yes,No,\"1/1/15, 9:00 AM\"\n\
ana@example.org,Yes,Yes,\"1/1/20, 9:00 AM\"\n";

fn connections(n: usize) -> String {
    let mut s = CONNECTIONS_HEAD.to_string();
    for i in 0..n {
        s.push_str(&format!(
            "Person,Number {i},https://www.linkedin.com/in/person-{i},,Company {},Role,{:02} Mar 2020\n",
            i % 50,
            i % 28 + 1
        ));
    }
    s
}

/// The export as LinkedIn zips it (in a folder, as some exports are).
fn export_files() -> Vec<(&'static str, String)> {
    vec![
        ("Profile.csv", PROFILE.to_string()),
        ("Positions.csv", POSITIONS.to_string()),
        ("Connections.csv", connections(3)),
        ("Education.csv", EDUCATION.to_string()),
        ("Skills.csv", SKILLS.to_string()),
        ("Endorsement_Received_Info.csv", ENDORSEMENTS.to_string()),
        ("Certifications.csv", CERTIFICATIONS.to_string()),
        ("Recommendations_Received.csv", RECOMMENDATIONS.to_string()),
        ("Email Addresses.csv", EMAILS.to_string()),
        (
            "Ad_Targeting.csv",
            "Member Age,Gender\n25-34,Unknown\n".to_string(),
        ),
    ]
}

fn zip_of(files: &[(&str, String)], folder: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in files {
        zip.start_file(format!("{folder}{name}"), options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn import(v: &TestVault, args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    v.json(&all)
}

#[test]
fn a_real_shaped_export_imports_with_the_right_counts() {
    let v = TestVault::new();
    let zip = v.file(
        "Basic_LinkedInDataExport_11-30-2026.zip",
        &zip_of(&export_files(), "export/"),
    );
    let path = zip.to_str().unwrap();
    let dry = import(&v, &[path, "--dry-run"]);
    assert!(v.ids().is_empty(), "a dry run writes nothing");
    let r = import(&v, &[path]);
    assert_eq!(dry["new"], r["new"]);
    // 1 profile, 3 positions, 1 education, 3 skills (Rigging from endorsements only),
    // 1 certification, 1 recommendation, 3 connections.
    assert_eq!(
        (&r["new"], &r["updated"], &r["unchanged"]),
        (&json!(13), &json!(0), &json!(0)),
        "{r:#}"
    );
    // The row with nothing to name it is skipped (by its line as an editor shows it); the
    // date no one can read is left out of a row that is kept.
    assert_eq!(
        r["skipped"],
        json!(["Positions.csv line 4: no title and no company: left out"])
    );
    let notes = r["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .starts_with("Positions.csv line 5: Started On \"Spring 2014\""),
        "{notes:#?}"
    );
    // Odd dates, read.
    let welder = v.json(&["list", "experience", "--search", "Apprentice"]);
    let welder = v.json(&["show", welder[0]["id"].as_str().unwrap()]);
    assert_eq!(welder["fields"]["start"], "2015");
    assert_eq!(welder["fields"]["end"], "2019-03-14");
    assert_eq!(
        welder["fields"]["organization"],
        "Chantiers de l'Atlantique"
    );
    let naval = v.json(&["list", "experience", "--search", "Naval"]);
    let naval = v.json(&["show", naval[0]["id"].as_str().unwrap()]);
    assert_eq!(naval["fields"]["start"], "2019-03");
    assert_eq!(naval["fields"]["description"], "Hulls, decks");
    assert!(naval["fields"].get("location").is_none());
    // The profile: from Profile.csv and the primary email.
    let p = v.json(&["profile"]);
    assert_eq!(p["fields"]["name"], "Ana Lima");
    assert_eq!(p["fields"]["role"], "Welder and fitter");
    assert_eq!(p["fields"]["email"], "ana@example.org");
    assert_eq!(p["fields"]["url"], "https://ana.example");
    assert_eq!(p["fields"]["location"], "Saint-Nazaire, France");
    assert_eq!(
        p["fields"]["notes"],
        "Ten years of TIG, MIG\nand stick welding."
    );
    // Endorsements: who endorsed what; the rejected one is not shown.
    let tig = v.json(&["list", "skill", "--search", "TIG welding"]);
    let tig = v.json(&["show", tig[0]["id"].as_str().unwrap()]);
    assert_eq!(tig["fields"]["endorsed_by"], json!(["Karim B.", "Lea M."]));
    assert!(
        v.json(&["list", "skill", "--search", "Spam"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let rec = v.json(&["list", "recommendation"]);
    let rec = v.json(&["show", rec[0]["id"].as_str().unwrap()]);
    assert_eq!(rec["fields"]["author"], "Karim B.");
    assert_eq!(rec["fields"]["date"], "2019-03-14");
    let cert = v.json(&["list", "badge"]);
    let cert = v.json(&["show", cert[0]["id"].as_str().unwrap()]);
    assert_eq!(cert["fields"]["issuer"], "Bureau Veritas");
    assert_eq!(cert["fields"]["expires"], "2023-06");
    let people = v.json(&["list", "contact"]);
    assert_eq!(people.as_array().unwrap().len(), 4, "3 connections and you");

    // Again: nothing new. The unzipped folder is the same export.
    let again = import(&v, &["linkedin", path]);
    assert_eq!(
        (&again["new"], &again["unchanged"]),
        (&json!(0), &json!(13)),
        "{again}"
    );
    let dir = v.file("unzipped", b"").with_extension("d");
    std::fs::create_dir_all(dir.join("export")).unwrap();
    for (name, content) in export_files() {
        std::fs::write(dir.join("export").join(name), content).unwrap();
    }
    let from_dir = import(&v, &[dir.to_str().unwrap()]);
    assert_eq!(
        (&from_dir["new"], &from_dir["unchanged"]),
        (&json!(0), &json!(13)),
        "{from_dir}"
    );

    // A later export: a connection changed job, one more connection, a file gone.
    let mut later = export_files();
    later.retain(|(n, _)| *n != "Certifications.csv");
    for (name, content) in &mut later {
        if *name == "Connections.csv" {
            *content = connections(4).replace("Company 1,Role", "Company 99,Lead");
        }
    }
    let zip2 = v.file("later.zip", &zip_of(&later, ""));
    let r = import(&v, &[zip2.to_str().unwrap()]);
    assert_eq!(
        (&r["new"], &r["updated"], &r["unchanged"]),
        (&json!(1), &json!(1), &json!(11)),
        "{r:#}"
    );
    assert_eq!(
        v.json(&["list", "badge"]).as_array().unwrap().len(),
        1,
        "a file missing removes nothing"
    );
}

#[test]
fn what_is_not_an_export_is_refused_and_changes_nothing() {
    let v = TestVault::new();
    let other = v.file(
        "photos.zip",
        &zip_of(
            &[
                ("holiday.txt", "sun".into()),
                ("notes.csv", "a,b\n1,2\n".into()),
            ],
            "",
        ),
    );
    let err = v.fails(2, &["import", other.to_str().unwrap()]);
    assert!(err.contains("not a LinkedIn data export"), "{err}");
    assert!(
        err.contains("Connections.csv"),
        "it says what it looks for: {err}"
    );
    let mut truncated = zip_of(&export_files(), "");
    truncated.truncate(truncated.len() / 2);
    let t = v.file("truncated.zip", &truncated);
    let err = v.fails(2, &["import", "linkedin", t.to_str().unwrap()]);
    assert!(err.contains("ZIP"), "{err}");
    let json = v.file("resume.json", br#"{"basics":{"name":"x"}}"#);
    let err = v.fails(2, &["import", "linkedin", json.to_str().unwrap()]);
    assert!(err.contains("not a ZIP"), "{err}");
    let empty_dir = v.file("empty", b"").with_extension("d");
    std::fs::create_dir_all(&empty_dir).unwrap();
    let err = v.fails(2, &["import", empty_dir.to_str().unwrap()]);
    assert!(err.contains("not a LinkedIn data export"), "{err}");
    let err = v.fails(2, &["import", "vcard", empty_dir.to_str().unwrap()]);
    assert!(err.contains("is a folder"), "{err}");
    // A file of the export bigger than any real one (a ZIP bomb) is refused whole.
    let huge = "First Name,Last Name\n".to_string() + &"x".repeat(65 << 20);
    let bomb = v.file("bomb.zip", &zip_of(&[("Connections.csv", huge)], ""));
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let err = v.fails(2, &["import", bomb.to_str().unwrap()]);
    assert!(err.contains("larger than 64 MiB"), "{err}");
    // A header missing: said, the rest goes in.
    let no_header = v.file(
        "odd.zip",
        &zip_of(
            &[
                ("Skills.csv", "Skill\nWelding\n".into()),
                (
                    "Languages.csv",
                    "Name,Proficiency\nPortuguese,Native or bilingual proficiency\n".into(),
                ),
            ],
            "",
        ),
    );
    assert!(v.ids().is_empty());
    let r = import(&v, &[no_header.to_str().unwrap()]);
    assert_eq!(r["new"], 1, "{r}");
    assert!(
        r["skipped"][0]
            .as_str()
            .unwrap()
            .starts_with("Skills.csv: has no header with a \"Name\" column"),
        "{r}"
    );
}

#[test]
fn files_saved_again_by_a_spreadsheet_still_read() {
    let v = TestVault::new();
    let dir = v.file("resaved", b"").with_extension("d");
    std::fs::create_dir_all(&dir).unwrap();
    // Excel on Windows: Windows-1252, semicolons, CR LF; a Mac's old CR-only line ends.
    let mut skills = b"Name\r\nSoudure \xe0 l'arc\r\n".to_vec();
    skills.extend_from_slice(b"Lecture de plans\r\n");
    std::fs::write(dir.join("Skills.csv"), &skills).unwrap();
    std::fs::write(
        dir.join("Positions.csv"),
        "Company Name;Title;Started On\r\nNaval Group;Soudeuse;Mar 2019\r\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("Languages.csv"),
        "Name,Proficiency\r,Native\rFrench,Native\r",
    )
    .unwrap();
    let r = import(&v, &[dir.to_str().unwrap()]);
    assert_eq!(r["new"], 4, "{r:#}");
    assert!(
        r["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("Skills.csv is not UTF-8: it was read as Windows-1252"),
        "{r:#}"
    );
    assert_eq!(
        r["skipped"],
        json!(["Languages.csv line 2: no language name: left out"]),
        "lines counted as an editor shows them"
    );
    let arc = v.json(&["list", "skill", "--search", "arc"]);
    assert_eq!(arc[0]["title"], "Soudure à l'arc");
    let job = v.json(&["list", "experience"]);
    assert_eq!(job[0]["title"], "Soudeuse");

    // A folder holding two exports is refused, not mixed.
    let two = v.file("downloads", b"").with_extension("d");
    for sub in ["export-2024", "export-2025"] {
        std::fs::create_dir_all(two.join(sub)).unwrap();
        std::fs::write(two.join(sub).join("Skills.csv"), SKILLS).unwrap();
    }
    let err = v.fails(2, &["import", two.to_str().unwrap()]);
    assert!(err.contains("several LinkedIn exports"), "{err}");
    // The same file twice, in two cases.
    let twice = v.file("twice", b"").with_extension("d");
    std::fs::create_dir_all(&twice).unwrap();
    std::fs::write(twice.join("Skills.csv"), SKILLS).unwrap();
    std::fs::write(twice.join("SKILLS.CSV"), SKILLS).unwrap();
    let err = v.fails(2, &["import", twice.to_str().unwrap()]);
    assert!(err.contains("twice"), "{err}");
}
