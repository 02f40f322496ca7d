//! `musette backup` and `musette restore`: the whole vault in one sealed file, back whole into a
//! new folder; nothing readable in the file; a truncated or altered backup refused, nothing
//! restored.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{TestVault, musette};

const CANARY: &str = "canary-7f3b1e-do-not-leak";

fn restore(v: &TestVault, file: &Path, into: &Path, pass: &Path) -> Output {
    musette(v.tmp.path())
        .arg("--vault")
        .arg(into)
        .arg("--passphrase-file")
        .arg(pass)
        .args(["restore", file.to_str().unwrap()])
        .output()
        .unwrap()
}

#[test]
fn a_vault_goes_into_one_sealed_file_and_back_whole() {
    let v = TestVault::new();
    let exp = v.add(
        "experience",
        &["title=Welder", &format!("description={CANARY}")],
    );
    v.add(
        "contact",
        &[
            "name=Hélène",
            "did=did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        ],
    );
    let content: Vec<u8> = format!("{CANARY} in an attachment ")
        .repeat(20_000)
        .into_bytes();
    let att = v.file("notes.txt", &content);
    v.ok(&["attach", &exp, att.to_str().unwrap()]);
    v.ok(&["edit", &exp, "--set", "end=2024"]);
    let did = v.ok(&["id"]);
    let file = v.tmp.path().join("vault.backup");
    v.ok(&["backup", "-o", file.to_str().unwrap()]);
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "the backup holds the canary in clear"
    );
    // Back, into a new folder, with the passphrase.
    let into = v.tmp.path().join("restored");
    let out = restore(&v, &file, &into, &v.pass_file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let w = |args: &[&str]| {
        let out = musette(v.tmp.path())
            .arg("--vault")
            .arg(&into)
            .arg("--passphrase-file")
            .arg(&v.pass_file)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(w(&["id"]), did);
    assert_eq!(w(&["--json", "list"]), v.ok(&["--json", "list"]));
    assert_eq!(
        w(&["--json", "show", &exp]),
        v.ok(&["--json", "show", &exp])
    );
    assert_eq!(
        w(&["--json", "history", &exp]),
        v.ok(&["--json", "history", &exp])
    );
    let copy = v.tmp.path().join("copy.txt");
    w(&["get", &exp, "notes.txt", "-o", copy.to_str().unwrap()]);
    assert_eq!(std::fs::read(&copy).unwrap(), content);
    w(&["doctor"]);
    // Never over a vault.
    let out = restore(&v, &file, &v.dir, &v.pass_file);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
}

#[test]
fn a_damaged_backup_or_a_wrong_passphrase_restores_nothing() {
    let v = TestVault::new();
    v.add("skill", &["name=Masonry"]);
    let file = v.tmp.path().join("vault.backup");
    v.ok(&["backup", "-o", file.to_str().unwrap()]);
    let good = std::fs::read(&file).unwrap();
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("truncated", good[..good.len() - 100].to_vec(), 5),
        ("padded", [good.clone(), vec![0u8; 10]].concat(), 5),
        (
            "its tag altered",
            {
                let mut b = good.clone();
                let last = b.len() - 1;
                b[last] ^= 1;
                b
            },
            5,
        ),
        (
            "a byte of its image altered",
            {
                let mut b = good.clone();
                let mid = 24 + (b.len() - 56) / 2;
                b[mid] ^= 0x40;
                b
            },
            5,
        ),
        ("not a backup", b"hello".to_vec(), 5),
        (
            "an absurd length",
            {
                let mut b = good.clone();
                b[16..24].copy_from_slice(&u64::MAX.to_be_bytes());
                b
            },
            5,
        ),
        ("only its header", good[..24].to_vec(), 5),
    ];
    // And a byte flipped at positions spread over the whole file, header and tag included.
    let mut cases = cases;
    let mut rng = common::Rng::from_time();
    for i in 0..6 {
        let mut b = good.clone();
        let at = rng.below(b.len() as u64) as usize;
        b[at] ^= 1 << (i % 8);
        cases.push((
            ["flip-0", "flip-1", "flip-2", "flip-3", "flip-4", "flip-5"][i],
            b,
            5,
        ));
    }
    for (what, bytes, code) in cases {
        let bad = v.file("bad.backup", &bytes);
        let into = v
            .tmp
            .path()
            .join(format!("into-{}", what.replace(' ', "-")));
        let out = restore(&v, &bad, &into, &v.pass_file);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nothing was restored"),
            "{what}"
        );
        assert!(!into.exists(), "{what}: something was restored");
    }
    let wrong = v.file("wrong", b"not the passphrase\n");
    let into = v.tmp.path().join("into-wrong");
    let out = restore(&v, &file, &into, &wrong);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!into.exists());
}

#[test]
fn a_backup_opens_with_the_recovery_key_only_and_nothing_else_of_the_vaults() {
    let v = TestVault::new();
    v.add("skill", &["name=Masonry"]);
    let file = v.tmp.path().join("vault.backup");
    // Never inside the vault's own folder (it could replace the vault's file).
    let err = v.fails(
        2,
        &["backup", "-o", v.dir.join("vault.db").to_str().unwrap()],
    );
    assert!(err.contains("inside the vault's folder"), "{err}");
    assert!(
        v.ok(&["list"]).contains("Masonry"),
        "the vault is untouched"
    );
    v.ok(&["backup", "-o", file.to_str().unwrap()]);
    // The session this vault has does not open the copy inside the backup.
    let bytes = std::fs::read(&file).unwrap();
    let stolen = v.tmp.path().join("stolen");
    std::fs::create_dir(&stolen).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stolen, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    std::fs::write(stolen.join("vault.db"), &bytes[24..bytes.len() - 32]).unwrap();
    let out = musette(v.tmp.path())
        .arg("--vault")
        .arg(&stolen)
        .env("MUSETTE_SESSION", &v.session)
        .args(["--no-input", "list"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The recovery key opens it, into a folder only its owner can enter.
    let key = v.file("recovery.txt", format!("{}\n", v.recovery_key).as_bytes());
    let into = v.tmp.path().join("restored");
    let out = musette(v.tmp.path())
        .arg("--vault")
        .arg(&into)
        .args(["restore", file.to_str().unwrap(), "--recovery-key-file"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&into), 0o700);
        assert_eq!(mode(&into.join("vault.db")), 0o600);
    }
    let listed = musette(v.tmp.path())
        .arg("--vault")
        .arg(&into)
        .arg("--passphrase-file")
        .arg(&v.pass_file)
        .arg("list")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Masonry"));
    assert!(
        !String::from_utf8_lossy(&listed.stderr).contains("other users"),
        "no warning about the folder's permissions: {}",
        String::from_utf8_lossy(&listed.stderr)
    );
}

/// `-o` names a pipe (a shell's `>(…)`, `/dev/stdout`) or a link as often as a file: a pipe is
/// written into and stays a pipe, a link leads to the file written and stays a link. (Writing
/// a new file renamed over the path used to replace the pipe, or `/dev/null` itself, with a
/// file.)
#[cfg(unix)]
#[test]
fn output_goes_into_a_pipe_and_through_a_link() {
    use std::os::unix::fs::FileTypeExt;
    let v = TestVault::new();
    let exp = v.add("experience", &["title=Welder"]);
    let att = v.file("notes.txt", b"notes of the weld");
    v.ok(&["attach", &exp, att.to_str().unwrap()]);
    let pipe = v.tmp.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap()
            .success()
    );
    let through_pipe = |args: &[&str]| -> Vec<u8> {
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || std::fs::read(pipe).unwrap())
        };
        let mut all = args.to_vec();
        all.extend(["-o", pipe.to_str().unwrap()]);
        v.ok(&all);
        let got = reader.join().unwrap();
        let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
        assert!(kind.is_fifo(), "{args:?} replaced the pipe");
        got
    };
    let cred = through_pipe(&["credential", "issue", &exp]);
    let cred: serde_json::Value = serde_json::from_slice(&cred).unwrap();
    assert_eq!(cred["proof"]["proofPurpose"], "assertionMethod");
    assert_eq!(
        through_pipe(&["get", &exp, "notes.txt"]),
        b"notes of the weld"
    );
    let backup = through_pipe(&["backup"]);
    assert!(backup.len() > 1000, "{}", backup.len());
    // The backup read from the pipe restores.
    let file = v.file("from-pipe.backup", &backup);
    let out = restore(&v, &file, &v.tmp.path().join("restored"), &v.pass_file);
    assert!(out.status.success(), "{out:?}");

    // Through a link: the file it leads to is written, the link stays.
    let real = v.tmp.path().join("real.json");
    let link = v.tmp.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    v.ok(&["credential", "issue", &exp, "-o", link.to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(written["proof"]["proofPurpose"], "assertionMethod");
    // A link into the vault's folder is refused like a path there.
    let inside = v.tmp.path().join("inside.json");
    std::os::unix::fs::symlink(v.dir.join("x.json"), &inside).unwrap();
    v.fails(
        2,
        &["credential", "issue", &exp, "-o", inside.to_str().unwrap()],
    );
    assert!(!v.dir.join("x.json").exists());
}
