//! `musette ui` as a process: it stops on SIGTERM even while a browser holds a connection open.

mod common;

use std::io::Write;
use std::process::Command;

use common::{TestVault, start, wait};

/// `musette ui` on `v` in the background, on 127.0.0.1 only, after the options `first`.
fn ui(v: &TestVault, first: &[&str]) -> (common::Running, serde_json::Value) {
    let mut args = first.to_vec();
    args.extend([
        "ui",
        "--no-open",
        "--json",
        "--no-relay",
        "--bind",
        "127.0.0.1:0",
    ]);
    start(v, &args)
}

#[test]
fn ui_stops_on_sigterm_even_with_a_request_left_half_sent() {
    let v = TestVault::new();
    let (running, first) = ui(&v, &[]);
    let port = first["port"].as_u64().expect("port");
    // A client that starts a request and never finishes it: the server waits for the rest.
    let mut held = std::net::TcpStream::connect(("127.0.0.1", port as u16)).expect("connect");
    write!(
        held,
        "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    )
    .expect("write");
    std::thread::sleep(std::time::Duration::from_millis(300));
    Command::new("kill")
        .args(["-TERM", &running.id().to_string()])
        .status()
        .expect("kill");
    // Requests under way get a few seconds; then the process ends, and cleanly.
    assert!(wait(running, 15).success());
    drop(held);
    let out = v.cmd().arg("doctor").output().expect("doctor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_vaults_keys_do_not_change_while_the_app_holds_them_open() {
    let v = TestVault::new();
    let (running, _) = ui(&v, &["--passphrase-file", v.pass_file.to_str().unwrap()]);
    // Open and unlocked there: a `rekey` here is refused (the app would go on with the old
    // keys), and changes nothing.
    let out = v.with_pass(&v.pass_file, &["rekey"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is running on this vault"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    v.ok(&["list"]);
    Command::new("kill")
        .args(["-TERM", &running.id().to_string()])
        .status()
        .expect("kill");
    assert!(wait(running, 15).success());
    // Once it stopped, the keys change.
    assert!(v.with_pass(&v.pass_file, &["rekey"]).status.success());
}
