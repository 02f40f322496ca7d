//! Helpers shared by the end-to-end tests: a temporary vault driven through the binary.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// A vault in a temporary folder, with a fast KDF, a passphrase file and an open session.
pub struct TestVault {
    pub tmp: TempDir,
    pub dir: PathBuf,
    pub pass_file: PathBuf,
    pub session: String,
    pub recovery_key: String,
}

/// The binary, with an environment that cannot reach the user's own vault or session.
pub fn musette(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("musette").unwrap();
    cmd.env_remove("MUSETTE_VAULT")
        .env_remove("MUSETTE_SESSION")
        .env_remove("MUSETTE_CONFIG")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"));
    cmd
}

impl TestVault {
    pub fn new() -> TestVault {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let pass_file = tmp.path().join("pass");
        std::fs::write(&pass_file, format!("{PASSPHRASE}\n")).unwrap();
        // Its owner's alone, as a passphrase file should be (others get a warning).
        #[cfg(unix)]
        std::fs::set_permissions(
            &pass_file,
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        let out = musette(tmp.path())
            .arg("--vault")
            .arg(&dir)
            .arg("--passphrase-file")
            .arg(&pass_file)
            .args([
                "--json",
                "init",
                "--kdf-memory-mib",
                "19",
                "--kdf-iterations",
                "2",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let init: Value = serde_json::from_slice(&out.stdout).unwrap();
        let recovery_key = init["recovery_key"].as_str().unwrap().to_string();
        let out = musette(tmp.path())
            .arg("--vault")
            .arg(&dir)
            .arg("--passphrase-file")
            .arg(&pass_file)
            .args(["unlock", "--raw", "--timeout", "2h"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let session = String::from_utf8(out.stdout).unwrap().trim().to_string();
        TestVault {
            tmp,
            dir,
            pass_file,
            session,
            recovery_key,
        }
    }

    /// The binary on this vault, with its session.
    pub fn cmd(&self) -> Command {
        let mut cmd = musette(self.tmp.path());
        cmd.arg("--vault")
            .arg(&self.dir)
            .env("MUSETTE_SESSION", &self.session);
        cmd
    }

    /// The binary on this vault with no session and no passphrase.
    pub fn bare(&self) -> Command {
        let mut cmd = musette(self.tmp.path());
        cmd.arg("--vault").arg(&self.dir);
        cmd
    }

    /// Runs a command with no session and the passphrase read from `pass`.
    pub fn with_pass(&self, pass: &Path, args: &[&str]) -> Output {
        self.bare()
            .arg("--passphrase-file")
            .arg(pass)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs a command with the session; asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "musette {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command with `--json` and the session; returns the parsed output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a command expected to fail with `code`; returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "musette {args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// Adds a record; returns its id.
    pub fn add(&self, kind: &str, sets: &[&str]) -> String {
        let mut args = vec!["add", kind];
        for s in sets {
            args.push("--set");
            args.push(s);
        }
        self.ok(&args).trim().to_string()
    }

    /// A file in the vault's temporary folder (outside the vault).
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// The ids `list --json --deleted` returns.
    pub fn ids(&self) -> Vec<String> {
        let list = self.json(&["list", "--deleted"]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    }
}

/// The exit code and stderr of an output.
pub fn code_and_err(out: &Output) -> (Option<i32>, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small deterministic generator for randomised tests (the seed is printed on failure).
pub struct Rng(pub u64);

impl Rng {
    pub fn from_time() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("random seed: {seed}");
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A background process, killed if the test ends (or fails) before it exits.
pub struct Running(pub Option<Child>);

impl Running {
    pub fn id(&self) -> u32 {
        self.0.as_ref().map_or(0, Child::id)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts `musette ARGS` on `v` (with its session) in the background; returns the child and
/// its first line of output, parsed.
pub fn start(v: &TestVault, args: &[&str]) -> (Running, Value) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("musette"))
        .env_remove("MUSETTE_VAULT")
        .env_remove("MUSETTE_CONFIG")
        .env("XDG_CONFIG_HOME", v.tmp.path().join("config"))
        .env("HOME", v.tmp.path())
        .env("MUSETTE_SESSION", &v.session)
        .arg("--vault")
        .arg(&v.dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let first = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line:?}"));
    (Running(Some(child)), first)
}

/// [`wait`], then what the process wrote after its first line.
pub fn wait_rest(mut running: Running, secs: u64) -> (std::process::ExitStatus, String) {
    let mut out = running.0.as_mut().unwrap().stdout.take().unwrap();
    let status = wait(running, secs);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    (status, rest)
}

pub fn wait(mut running: Running, secs: u64) -> std::process::ExitStatus {
    let mut child = running.0.take().unwrap();
    for _ in 0..secs * 10 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the process did not end in {secs} s");
}
