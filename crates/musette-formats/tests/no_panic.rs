//! The badge readers never panic: arbitrary bytes, arbitrary JSON, and valid baked images with
//! bytes flipped, cut or inserted all give a badge or a clear error.

#![allow(clippy::unwrap_used)]

use musette_formats::openbadges::{self, Version};
use musette_formats::{png, svg};
use proptest::prelude::*;

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
