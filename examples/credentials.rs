//! Usage: cargo run --example credentials
//!
//! Sharing with an employer and co-signing, with the library: a worker issues a credential with
//! chosen fields and a presentation; a colleague co-signs a recommendation in their own vault;
//! the employer, with no vault, verifies everything offline.

use std::collections::HashMap;

use musette_core::credential::verify_document;
use musette_core::model::Kind;
use musette_core::{KdfParams, Vault};
use serde_json::{Map, Value, json};

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let kdf = KdfParams::default();
    let (mut worker, _) = Vault::create(&tmp.path().join("worker"), b"worker's passphrase", kdf)?;
    let (colleague, _) = Vault::create(
        &tmp.path().join("colleague"),
        b"colleague's passphrase",
        kdf,
    )?;
    println!("worker    {}", worker.owner()?.did());
    println!("colleague {}", colleague.owner()?.did());

    let job = worker.add(
        Kind::Experience,
        fields(json!({"title": "Site electrician", "organization": "Bâtiments du Sud", "start": "2020-02",
                      "description": "Wiring of social housing blocks", "location": "Montpellier"})),
        &[],
    )?;
    // Only the title and the organisation go to the employer.
    let credential =
        worker.issue_credential(&job.id, Some(&["title".into(), "organization".into()]))?;
    println!("\ncredential subject: {}", credential["credentialSubject"]);

    // A recommendation written by the colleague, co-signed in their own vault.
    let rec = worker.add(
        Kind::Recommendation,
        fields(
            json!({"text": "Careful, punctual, and good with apprentices.", "author": "Karim B."}),
        ),
        &[],
    )?;
    let request = worker.recommend_request(&rec.id)?;
    let signed = colleague.cosign(&request)?;
    let accepted = worker.accept_cosigned(&signed)?;
    println!("co-signed by {:?}", accepted.new_signers);

    // One file for the employer, who checks it without any vault.
    let bundle = worker.present(&[job.id.clone(), rec.id.clone()], None)?;
    let report = verify_document(&bundle, &HashMap::new())?;
    println!("\npresentation verified: {}", report.verified);
    for c in &report.credentials {
        let signers: Vec<_> = c
            .proofs
            .iter()
            .filter_map(|p| p.check.did.clone())
            .collect();
        println!(
            "  {:?} signed by {} key(s): {}",
            c.title.clone().unwrap_or_default(),
            signers.len(),
            c.verified
        );
    }

    // Any change is caught.
    let mut forged = bundle.clone();
    forged["verifiableCredential"][1]["credentialSubject"]["endorsementComment"] =
        json!("Careless.");
    println!(
        "forged copy verified: {}",
        verify_document(&forged, &HashMap::new())?.verified
    );
    Ok(())
}
