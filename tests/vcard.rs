//! Contacts in and out as vCard: counts of new, updated and unchanged; a malformed card said by
//! its line and skipped; `--dry-run` writing nothing; a round trip between two vaults keeping
//! every field, the properties musette has no field for included.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestVault;
use serde_json::Value;

const CARDS: &str = "BEGIN:VCARD\r
VERSION:3.0\r
UID:urn:uuid:11111111-2222-3333-4444-555555555555\r
N:Dupré;Hélène;;;\r
FN:Hélène Dupré\r
ORG:Chantiers de l'Atlantique;Soudure\r
TITLE:Cheffe d'équipe\r
EMAIL;TYPE=work:helene@example.org\r
EMAIL;TYPE=home:helene@home.example\r
TEL;TYPE=cell:+33 6 12 34 56 78\r
NOTE:Met at the 2019 fair\\, Nantes.\\nCalls on Mondays.\r
X-SOCIALPROFILE;TYPE=mastodon:https://mastodon.example/@helene\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
EMAIL:nobody@example.org\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Karim B.\r
KEY:did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\r
URL:https://karim.example\r
END:VCARD\r
";

fn report(v: &TestVault, args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    v.json(&all)
}

#[test]
fn contacts_come_in_once_and_go_round_whole() {
    let v = TestVault::new();
    let file = v.file("contacts.vcf", CARDS.as_bytes());
    let path = file.to_str().unwrap();
    // A dry run says what would happen and writes nothing.
    let dry = report(&v, &[path, "--dry-run"]);
    assert_eq!(
        (dry["new"].as_u64(), dry["updated"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(v.ids().is_empty());
    let first = report(&v, &[path]);
    assert_eq!(first["new"], 2);
    let skipped = first["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{first}");
    assert!(
        skipped[0].as_str().unwrap().starts_with("line 14:"),
        "{first}"
    );
    assert!(
        skipped[0].as_str().unwrap().contains("needs a name"),
        "{first}"
    );
    // The same file again: nothing new.
    let again = report(&v, &[path]);
    assert_eq!(
        (again["new"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    // A card changed: updated, not duplicated.
    let changed = CARDS.replace("TITLE:Cheffe d'équipe", "TITLE:Directrice");
    let file2 = v.file("contacts2.vcf", changed.as_bytes());
    let third = report(&v, &["vcard", file2.to_str().unwrap()]);
    assert_eq!(
        (third["updated"].as_u64(), third["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v.ids().len(), 2);
    let helene = v.json(&["list", "--search", "helene"]).as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = v.json(&["show", &helene]);
    let f = &shown["fields"];
    assert_eq!(f["name"], "Hélène Dupré");
    assert_eq!(f["organization"], "Chantiers de l'Atlantique, Soudure");
    assert_eq!(f["role"], "Directrice");
    assert_eq!(f["email"], "helene@example.org");
    assert_eq!(
        f["notes"],
        "Met at the 2019 fair, Nantes.\nCalls on Mondays."
    );
    // Out, and into another vault: the same contacts, every field kept.
    let out = v.tmp.path().join("out.vcf");
    v.ok(&["export", "vcard", "-o", out.to_str().unwrap()]);
    let w = TestVault::new();
    let copied = report(&w, &[out.to_str().unwrap()]);
    assert_eq!(copied["new"], 2, "{copied}");
    assert!(copied["skipped"].as_array().unwrap().is_empty(), "{copied}");
    let fields = |vault: &TestVault| {
        let mut all: Vec<Value> = vault
            .ids()
            .iter()
            .map(|id| {
                let mut f = vault.json(&["show", id])["fields"].clone();
                // Where each came from differs: a card without a UID of its own leaves with
                // its record's id as UID, which the other vault keeps as its source.
                f.as_object_mut().unwrap().remove("source");
                f
            })
            .collect();
        all.sort_by_key(|f| f["name"].to_string());
        all
    };
    assert_eq!(fields(&w), fields(&v));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("X-SOCIALPROFILE;TYPE=mastodon:https://mastodon.example/@helene"));
    assert!(text.contains("EMAIL;TYPE=home:helene@home.example"));
    assert!(text.contains("KEY:did:key:z6Mk"));
    // Importing the export back where it came from changes nothing.
    let back = report(&v, &[out.to_str().unwrap()]);
    assert_eq!(back["unchanged"], 2, "{back}");
}

#[test]
fn what_is_not_a_vcard_is_refused_and_changes_nothing() {
    let v = TestVault::new();
    let not = v.file("not.vcf", b"hello\nworld\n");
    let err = v.fails(2, &["import", "vcard", not.to_str().unwrap()]);
    assert!(err.contains("holds no vCard"), "{err}");
    let binary = v.file("bin.vcf", &[0xff, 0xfe, 0x00, 0x01]);
    let err = v.fails(2, &["import", "vcard", binary.to_str().unwrap()]);
    assert!(err.contains("holds no vCard"), "{err}");
    assert!(
        v.fails(2, &["import", "csv", not.to_str().unwrap()])
            .contains("the formats are: badge, credential, json-resume, linkedin, vcard")
    );
    assert!(v.ids().is_empty());
}

#[test]
fn a_file_cannot_take_your_did_or_change_a_contacts() {
    let v = TestVault::new();
    let me = v.ok(&["id"]).trim().to_string();
    v.json(&[
        "profile",
        "--set",
        "name=Ana Lima",
        "--set",
        "email=ana@example.org",
    ]);
    // A card claiming your did does not become your profile.
    let mallory = format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:mallory-1\r\nFN:Mallory\r\nKEY:{me}\r\nEND:VCARD\r\n"
    );
    let f = v.file("mallory.vcf", mallory.as_bytes());
    let r = v.json(&["import", f.to_str().unwrap()]);
    assert_eq!(r["new"], 1, "{r}");
    assert!(
        r["skipped"][0].as_str().unwrap().contains("your own did"),
        "{r}"
    );
    assert_eq!(v.json(&["profile"])["fields"]["name"], "Ana Lima");
    // A card naming a contact as the file did before cannot change who they are.
    let bob = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob\r\nEMAIL:bob@example.org\r\nKEY:did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\r\nEND:VCARD\r\n";
    let f = v.file("bob.vcf", bob.as_bytes());
    v.json(&["import", f.to_str().unwrap()]);
    let evil = bob.replace(
        "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "z6MkEvilEvilEvil",
    );
    let f = v.file("evil-bob.vcf", evil.as_bytes());
    let r = v.json(&["import", f.to_str().unwrap()]);
    assert!(r["notes"][0].as_str().unwrap().contains("did"), "{r}");
    let found = v.json(&["list", "contact", "--search", "bob"]);
    let bob = v.json(&["show", found[0]["id"].as_str().unwrap()]);
    assert_eq!(
        bob["fields"]["did"],
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    );
    // Your contacts exported and imported again: each found again, none doubled, your profile
    // still one.
    let before = v.json(&["list", "contact"]).as_array().unwrap().len();
    let out = v.file("all.vcf", b"");
    v.ok(&["export", "vcard", "-o", out.to_str().unwrap()]);
    let r = v.json(&["import", out.to_str().unwrap()]);
    assert_eq!(
        (&r["new"], &r["updated"]),
        (&serde_json::json!(0), &serde_json::json!(0)),
        "{r}"
    );
    assert_eq!(
        v.json(&["list", "contact"]).as_array().unwrap().len(),
        before
    );
    let shown = v.cmd().args(["profile"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&shown.stderr).contains("carry your own did"));
}

/// What phones and older address books export: vCard 2.1 with quoted-printable values and
/// bare parameters (`TEL;CELL:`), and files in Windows-1252. The first was imported with its
/// names still encoded (`Fran=C3=A7ois`) and its phone card dropped; the second was refused.
#[test]
fn vcard_21_and_latin_1_files_come_in_readable() {
    let v = TestVault::new();
    let qp = v.file(
        "phone.vcf",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupr=C3=A9;Fran=C3=A7ois\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Fran=C3=A7ois Dupr=C3=A9\r\nTEL;CELL:+33612345678\r\nEND:VCARD\r\n",
    );
    let latin = v.file(
        "old.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9e Lef\xe8vre\r\nEND:VCARD\r\n",
    );
    for file in [&qp, &latin] {
        v.ok(&["import", file.to_str().unwrap()]);
    }
    let out = v
        .cmd()
        .args(["import", latin.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read as Windows-1252"),
        "{out:?}"
    );
    let contacts = v.json(&["list", "contact"]);
    let titles: Vec<&str> = contacts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"François Dupré"), "{titles:?}");
    assert!(titles.contains(&"Renée Lefèvre"), "{titles:?}");
    let id = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "François Dupré")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = v.json(&["show", &id]);
    assert_eq!(shown["fields"]["phone"], "+33612345678");
}
