//! `detente serve` as a process: it prints its address, answers on it,
//! serves a file named on the command line by name, and stops cleanly on
//! Ctrl-C (SIGINT). The API itself is tested in `crates/detente-server/tests`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One HTTP/1.1 GET with `Connection: close`; the whole answer as text.
fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
#[cfg(unix)]
fn serve_answers_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["serve", "--port", "0", "scenarios/anac/Laptop"])
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start detente serve");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let started = Instant::now();
    let addr = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the server ended before it was ready:\n{seen}");
        seen.push_str(&line);
        if let Some(url) = line.split("detente workbench at http://").nth(1) {
            break url.split('/').next().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "not ready:\n{seen}");
    };
    assert!(seen.contains("serving scenarios/anac/Laptop as `Laptop-2`"), "{seen}");
    assert!(addr.starts_with("127.0.0.1:"), "loopback by default: {addr}");

    let health = get(&addr, "/api/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let laptop = get(&addr, "/api/scenarios/Laptop-2");
    assert!(laptop.starts_with("HTTP/1.1 200") && laptop.contains("[[issues]]"), "{laptop}");
    let page = get(&addr, "/");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("detente workbench"));

    // Ctrl-C: a graceful stop, exit code 0.
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let code = child.wait().unwrap();
    assert!(code.success(), "{code:?}:\n{seen}{rest}");
    // The request log: one line per request with method, path and status.
    let log = format!("{seen}{rest}");
    assert!(log.contains("method=GET path=/api/health status=200 ms="), "{log}");
}

#[test]
fn serve_refuses_a_host_that_is_not_an_address() {
    let out = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["serve", "--host", "localhost.example", "--port", "0"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an IP address"));
}
