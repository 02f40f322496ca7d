//! The web app end to end in headless Chromium (Debian's `chromium` and `chromium-driver`,
//! which `.ci/test` installs when missing), driven over WebDriver on 127.0.0.1: create a vault
//! from the browser, unlock, add an experience with an attachment, search it, share it as a
//! credential with chosen fields, verify that credential in a second vault's app, and see the
//! pages in French. Screenshots of the main pages are taken on the way; with
//! `MUSETTE_SCREENSHOTS=docs/ui` they are written there (the README shows them).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A process killed when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request to the WebDriver on 127.0.0.1 (it answers with a Content-Length).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut len = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut buf = vec![0u8; len];
    reader.read_exact(&mut buf).unwrap();
    serde_json::from_slice(&buf).unwrap_or(Value::Null)
}

struct Browser {
    port: u16,
    session: String,
    _driver: Guard,
}

impl Browser {
    fn start(downloads: &Path) -> Browser {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "the browser tests need Debian's chromium and chromium-driver: run .ci/test (it installs them), or `apt-get install chromium chromium-driver`"
        );
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let driver = Guard(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1200,900", "--lang=en-US", "--no-first-run",
                         "--disable-background-networking", "--disable-sync", "--disable-extensions",
                         "--disable-component-update", "--disable-default-apps"],
                "prefs": { "download.default_directory": downloads, "download.prompt_for_download": false,
                           "intl.accept_languages": "en-US,en" }
            }
        }}});
        let r = http(port, "POST", "/session", Some(&caps));
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {r}"))
            .to_string();
        let b = Browser {
            port,
            session,
            _driver: driver,
        };
        b.call(
            "POST",
            "/goog/cdp/execute",
            json!({ "cmd": "Page.setDownloadBehavior", "params": { "behavior": "allow", "downloadPath": downloads } }),
        );
        b
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let r = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            if method == "GET" { None } else { Some(&body) },
        );
        r["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let v = self.call(
                "POST",
                "/element",
                json!({ "using": "css selector", "value": css }),
            );
            if let Some(id) = v[ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no element {css} in {}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/clear"), json!({}));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    fn source(&self) -> String {
        self.call("GET", "/source", Value::Null)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits until the page holds `text`.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let s = self.source();
            if s.contains(text) {
                return s;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{text:?} never showed; the page: {s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn screenshot(&self, dir: &Path, name: &str) {
        use data_encoding::BASE64;
        let png = BASE64
            .decode(
                self.call("GET", "/screenshot", Value::Null)
                    .as_str()
                    .unwrap()
                    .as_bytes(),
            )
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

/// `musette ui` on a vault folder: (its process, its launch URL).
fn serve(home: &Path, vault: &Path, pass: Option<&Path>) -> (Guard, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("musette"));
    cmd.env_remove("MUSETTE_VAULT")
        .env_remove("MUSETTE_SESSION")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .arg("--vault")
        .arg(vault);
    if let Some(p) = pass {
        cmd.arg("--passphrase-file").arg(p);
    }
    let child = cmd
        .args([
            "--json",
            "ui",
            "--no-open",
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
            "--no-relay",
            "--bind",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed and waited for when dropped, whatever happens below.
    let mut child = Guard(child);
    let mut text = String::new();
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    // The first line is one JSON object: `{"url","port","token"}`.
    out.read_line(&mut text).unwrap();
    if let Ok(v) = serde_json::from_str::<Value>(text.trim_end()) {
        assert!(
            text.ends_with('\n') && text.matches('\n').count() == 1,
            "{text}"
        );
        return (child, v["url"].as_str().unwrap().to_string());
    }
    panic!("musette ui printed no address: {text}");
}

#[test]
fn the_backpack_in_a_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let downloads = home.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots: PathBuf = std::env::var_os("MUSETTE_SCREENSHOTS")
        .map(|d| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(d))
        .unwrap_or_else(|| home.join("shots"));
    std::fs::create_dir_all(&shots).unwrap();
    let browser = Browser::start(&downloads);

    // A new user: the first page creates the vault, the recovery key is shown once.
    let (_alice, url) = serve(home, &home.join("alice"), None);
    let base = url.split("/start").next().unwrap().to_string();
    browser.go(&url);
    browser.wait_for("Create your backpack");
    browser.screenshot(&shots, "create-en");
    browser.fill("#passphrase", "correct horse battery staple");
    browser.fill("#confirm", "correct horse battery staple");
    browser.click("form[action='/create'] button[type=submit]");
    browser.wait_for("Your recovery key");
    browser.click("form[action='/recovery'] button[type=submit]");
    browser.wait_for("No records yet");

    // An experience, with an attachment sent by the page's script (progress, then reload).
    browser.go(&format!("{base}/records/new?kind=experience"));
    browser.fill("#f_title", "Soudeuse TIG");
    browser.fill("#f_organization", "Chantiers de l'Atlantique");
    browser.fill("#f_start", "2019-04");
    browser.fill("#tags", "cv");
    browser.click("form[action='/records'] button[type=submit]");
    browser.wait_for("History");
    let record = browser.url().split('?').next().unwrap().to_string();
    let file = home.join("certificat-CAP.pdf");
    std::fs::write(&file, b"%PDF-1.4 a certificate").unwrap();
    let input = browser.find("#file");
    browser.call(
        "POST",
        &format!("/element/{input}/value"),
        json!({ "text": file.to_str().unwrap() }),
    );
    browser.click("form.upload button[type=submit]");
    browser.wait_for("certificat-CAP.pdf</a>");
    browser.screenshot(&shots, "record-en");

    // Found again by search, any case, any accent.
    browser.go(&format!("{base}/records?q=atlantique"));
    browser.wait_for("Soudeuse TIG");
    browser.screenshot(&shots, "records-en");
    browser.go(&base);
    browser.wait_for("One record");
    browser.screenshot(&shots, "dashboard-en");

    // Shared as a credential without the employer's name.
    browser.go(&format!("{record}/credential"));
    browser.click("input[name=field][value=organization]");
    browser.click("form[action$='/credential'] button[type=submit]");
    let started = Instant::now();
    let credential = loop {
        let found = std::fs::read_dir(&downloads)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "json"));
        if let Some(p) = found {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no credential downloaded"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_millis(300));
    let text = std::fs::read_to_string(&credential).unwrap();
    assert!(
        text.contains("Soudeuse TIG") && !text.contains("Atlantique"),
        "{text}"
    );

    // The employer's app, on another vault (unlocked by its passphrase at start).
    let employer_pass = home.join("employer-pass");
    std::fs::write(&employer_pass, "employer passphrase 42\n").unwrap();
    let init = common::musette(home)
        .arg("--vault")
        .arg(home.join("employer"))
        .arg("--passphrase-file")
        .arg(&employer_pass)
        .args(["init", "--kdf-memory-mib", "19", "--kdf-iterations", "2"])
        .output()
        .unwrap();
    assert!(init.status.success());
    let (_employer, url2) = serve(home, &home.join("employer"), Some(&employer_pass));
    let base2 = url2.split("/start").next().unwrap().to_string();
    browser.go(&url2);
    browser.wait_for("Your backpack");
    browser.go(&format!("{base2}/verify"));
    let input = browser.find("#file");
    browser.call(
        "POST",
        &format!("/element/{input}/value"),
        json!({ "text": credential.to_str().unwrap() }),
    );
    browser.click("form[action='/verify'] button[type=submit]");
    let page = browser.wait_for("Verified: every proof holds.");
    assert!(page.contains("Soudeuse TIG") && !page.contains("Atlantique"));
    browser.screenshot(&shots, "verify-en");

    // In French, from the switch on every page.
    browser.go(&base);
    browser.wait_for("Your backpack");
    browser.click("a[hreflang=fr]");
    let fr = browser.wait_for("Votre musette");
    assert!(
        fr.contains("lang=\"fr\"") && fr.contains("Une fiche"),
        "{fr}"
    );
    browser.screenshot(&shots, "dashboard-fr");
    browser.go(&record);
    browser.wait_for("Historique");
    browser.screenshot(&shots, "record-fr");
    browser.go(&format!("{base}/records"));
    browser.wait_for("Fiches");
    browser.screenshot(&shots, "records-fr");
    // A new device's invitation, as a QR code and as text, in French.
    browser.go(&format!("{base}/devices"));
    browser.wait_for("Vos appareils");
    browser.click("#invite button[type=submit]");
    let devices = browser.wait_for("En attente du nouvel appareil");
    assert!(
        devices.contains("<svg") && devices.contains("musettejoin1"),
        "{devices}"
    );
    browser.screenshot(&shots, "devices-fr");
    browser.click("form[action='/devices/invite/cancel'] button");
    browser.wait_for("annulée");
}
