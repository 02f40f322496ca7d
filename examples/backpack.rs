//! Usage: cargo run --example backpack
//!
//! The musette library in use: create a vault in a temporary folder, keep a few records, attach
//! a file, edit, then reopen the vault with the passphrase and read everything back.

use musette_core::model::Kind;
use musette_core::{Edit, Filter, KdfParams, Unlock, Vault};
use serde_json::{Map, Value, json};

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("vault");
    let passphrase = b"a long and private passphrase";

    let (mut vault, recovery) = Vault::create(&dir, passphrase, KdfParams::default())?;
    println!(
        "vault at {}; recovery key {}",
        dir.display(),
        &*recovery.display()
    );

    let job = vault.add(
        Kind::Experience,
        fields(
            json!({"title": "Care assistant", "organization": "EHPAD Les Tilleuls",
                      "type": "employment", "start": "2018-09", "skills": ["care", "first aid"]}),
        ),
        &["cv".to_string()],
    )?;
    vault.add(
        Kind::Skill,
        fields(json!({"name": "First aid", "level": "certified"})),
        &[],
    )?;
    let proof = vault.add(
        Kind::Evidence,
        fields(json!({"title": "Training certificate", "experience": job.id})),
        &[],
    )?;
    vault.attach(
        &proof.id,
        "certificate.pdf",
        &mut &b"%PDF-1.7 ..."[..],
        &mut |_| {},
    )?;

    let mut edit = Edit::default();
    edit.set.insert("end".into(), "2023-06".into());
    vault.edit(&job.id, &edit)?;
    drop(vault);

    let vault = Vault::open(&dir, Unlock::Passphrase(passphrase))?;
    for summary in vault.list(&Filter::default())?.0 {
        println!(
            "{}  {:<11} {}",
            summary.id,
            summary.kind.as_str(),
            summary.title
        );
    }
    let record = vault.show(&job.id)?;
    println!("{} ends {}", record.title, record.state.fields["end"]);
    for entry in vault.history(&job.id)? {
        println!("  {} {} {:?}", entry.time, entry.action, entry.fields);
    }
    Ok(())
}
