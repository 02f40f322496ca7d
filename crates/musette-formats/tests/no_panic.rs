//! The readers never panic: arbitrary bytes, arbitrary JSON, and valid baked images with bytes
//! flipped, cut or inserted all give a badge or a clear error; so do arbitrary résumés, CSV
//! files, dates and damaged ZIP archives for the JSON Resume and LinkedIn readers; and huge
//! inputs are refused by size before they are parsed.

#![allow(clippy::unwrap_used)]

use musette_formats::openbadges::{self, Version};
use musette_formats::{jsonresume, linkedin, png, svg};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;

const CREDENTIAL: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:key:z6Mk","type":["Profile"],"name":"X"},"validFrom":"2020-01-01T00:00:00Z","name":"B","credentialSubject":{"type":["AchievementSubject"],"achievement":{"name":"B","criteria":{"narrative":"n"}}},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","verificationMethod":"did:key:z6Mk#z6Mk","proofPurpose":"assertionMethod","proofValue":"z1"}}"#;
const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>"#;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|i| Value::Number(i.into())),
        prop_oneof![
            Just("OpenBadgeCredential".to_string()),
            Just("Assertion".to_string()),
            ".{0,8}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("type".to_string()),
                    Just("issuer".to_string()),
                    Just("credentialSubject".to_string()),
                    Just("badge".to_string()),
                    Just("recipient".to_string()),
                    Just("proof".to_string()),
                    Just("name".to_string()),
                    Just("validFrom".to_string()),
                    Just("issuedOn".to_string()),
                    "[a-z]{1,5}"
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = openbadges::read(&bytes);
        let _ = png::chunks(&bytes);
    }

    #[test]
    fn arbitrary_json(v in json_value()) {
        let _ = openbadges::read(serde_json::to_string(&v).unwrap().as_bytes());
    }

    #[test]
    fn damaged_baked_images(pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let baked_png = openbadges::bake_png(&png::tiny_png(), CREDENTIAL, Version::V3).unwrap();
        let baked_svg = openbadges::bake_svg(SVG, CREDENTIAL, Version::V3).unwrap().into_bytes();
        for mut image in [baked_png, baked_svg] {
            let i = pos.index(image.len());
            if cut { image.truncate(i) } else { image[i] = byte }
            let _ = openbadges::read(&image);
            if let Ok(text) = std::str::from_utf8(&image) {
                let _ = svg::find_badge(text);
                let _ = svg::bake(text, "{}", true);
            }
        }
    }
}

/// JSON shaped like a résumé: its sections and fields, with values of any type.
fn resume_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        prop_oneof![
            Just("2020".to_string()),
            Just("2020-05".to_string()),
            Just("2020-13".to_string()),
            Just("0999-01".to_string()),
            Just("https://ana.example/cv".to_string()),
            Just("ana.example".to_string()),
            Just("not a url".to_string()),
            Just("ana@example.org".to_string()),
            Just("ana@".to_string()),
            Just("Present".to_string()),
            Just("".to_string()),
            ".{0,12}"
        ]
        .prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let field = prop_oneof![
        Just("name"),
        Just("position"),
        Just("startDate"),
        Just("endDate"),
        Just("summary"),
        Just("highlights"),
        Just("keywords"),
        Just("level"),
        Just("institution"),
        Just("area"),
        Just("studyType"),
        Just("courses"),
        Just("date"),
        Just("title"),
        Just("reference"),
        Just("language"),
        Just("fluency"),
        Just("location"),
        Just("profiles"),
        Just("label"),
        Just("url"),
        Just("email"),
        Just("network"),
    ];
    let entry = prop::collection::btree_map(field, value.clone(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    let section = prop_oneof![
        prop::collection::vec(entry.clone(), 0..4).prop_map(Value::Array),
        entry.clone(),
        value,
    ];
    let name = prop_oneof![
        Just("basics"),
        Just("work"),
        Just("volunteer"),
        Just("education"),
        Just("projects"),
        Just("skills"),
        Just("languages"),
        Just("awards"),
        Just("certificates"),
        Just("references"),
        Just("publications"),
        Just("interests"),
    ];
    prop::collection::btree_map(name, section, 1..6)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

/// CSV text with the quirks of real exports: quotes, commas, newlines, a BOM, a preamble.
fn csv_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("\u{feff}".to_string()),
            Just("Notes:\n".to_string()),
            Just("First Name,Last Name,URL,Company,Position,Connected On\n".to_string()),
            Just("Company Name,Title,Started On,Finished On\n".to_string()),
            Just("Name\n".to_string()),
            Just("\"".to_string()),
            Just(",".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("Mar 2019".to_string()),
            Just("03/14/19".to_string()),
            "[a-zA-Zé0-9 /:-]{0,8}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

static RESUME_SCHEMA: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/jsonresume/schema.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
});

fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, content) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn arbitrary_resumes(v in resume_value()) {
        let text = serde_json::to_string(&v).unwrap();
        if let Ok(r) = jsonresume::read(&text) {
            // Whatever was read has what every record needs, and writes back a résumé valid
            // against the JSON Resume schema.
            for item in &r.records {
                prop_assert!(item.fields.get(item.kind.required()).and_then(|f| f.as_str()).is_some_and(|s| !s.is_empty()));
            }
            let records = r.records.into_iter().map(|i| (i.kind, i.fields)).collect();
            let profile = Some(r.profile);
            let (out, _) = jsonresume::write(&jsonresume::Backpack { profile, records });
            let errors: Vec<String> = RESUME_SCHEMA.iter_errors(&out).map(|e| e.to_string()).collect();
            prop_assert!(errors.is_empty(), "{:?} in {:#} from {:#}", errors, out, v);
        }
    }

    #[test]
    fn arbitrary_bytes_as_resume_or_export(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = jsonresume::read(&String::from_utf8_lossy(&bytes));
        let _ = linkedin::read_zip(&bytes);
    }

    #[test]
    fn arbitrary_csv(text in csv_text(), file in prop::sample::select(linkedin::FILES)) {
        let mut files = BTreeMap::new();
        files.insert(file, text.into_bytes());
        let _ = linkedin::read_files(&files);
    }

    #[test]
    fn arbitrary_dates(text in ".{0,24}") {
        if let Some(d) = linkedin::parse_date(&text) {
            prop_assert!(musette_core::model::validate_date(&d).is_ok(), "{} gave {}", text, d);
        }
    }

    #[test]
    fn damaged_zip_archives(pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut zip = zip_of(&[
            ("Connections.csv", "First Name,Last Name\nAna,Lima\n"),
            ("Skills.csv", "Name\nWelding\n"),
        ]);
        let i = pos.index(zip.len());
        if cut { zip.truncate(i) } else { zip[i] = byte }
        let _ = linkedin::read_zip(&zip);
    }
}

#[test]
fn huge_and_deep_inputs_are_refused_not_crashed_on() {
    // A résumé over the size limit is refused before it is parsed.
    let huge = format!(
        "{{\"basics\":{{\"name\":\"{}\"}}}}",
        "x".repeat(jsonresume::MAX_BYTES)
    );
    assert!(jsonresume::read(&huge).is_err());
    // Nesting far deeper than any résumé: an error, not a stack overflow.
    let deep = "[".repeat(200_000) + &"]".repeat(200_000);
    assert!(jsonresume::read(&deep).is_err());
    let deep_obj = format!(
        "{{\"work\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(jsonresume::read(&deep_obj).is_err());
    // A CSV field of megabytes without a closing quote ends at the end of the file.
    let mut files = BTreeMap::new();
    files.insert(
        "Connections.csv",
        format!("First Name,Last Name\n\"{}", "a,b\n".repeat(1 << 18)).into_bytes(),
    );
    let e = linkedin::read_files(&files);
    assert!(e.records.len() <= 1);
}
