//! The server with real clients: curl (HTTP/1.0 and 1.1), ab, slowhttptest and headless
//! Chromium, each on loopback against the blocking and the async server. A missing tool
//! skips its test with a message, unless `TOWEL_REQUIRE_PEERS=1` (CI), which makes it a
//! failure; `scripts/setup.sh` installs them all.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use towel::http::server::ServerConfig;
use towel_testkit::http_server::{
    Server, expected_rows, start, still_serves, table_rows, unescape,
};
use towel_testkit::peers::{Reaped, have};

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the tool runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn url(addr: SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

#[test]
fn curl_gets_the_page_over_http_10_and_11() {
    if !have("curl") {
        return;
    }
    for kind in Server::BOTH {
        let addr = start::<4, 1100>(kind, ServerConfig::DEFAULT);
        for version in ["--http1.0", "--http1.1"] {
            let out = run(Command::new("curl")
                .args(["-sS", "--fail", version, "-m", "5"])
                .arg(url(addr, "/")));
            let rows: Vec<_> = table_rows(&String::from_utf8_lossy(&out.stdout))
                .into_iter()
                .map(|(l, v)| (unescape(&l), v))
                .collect();
            assert_eq!(rows, expected_rows(), "{kind:?} curl {version}");
            let head = run(Command::new("curl")
                .args(["-sS", "-I", version, "-m", "5"])
                .arg(url(addr, "/nope")));
            let head = String::from_utf8_lossy(&head.stdout);
            assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}");
        }
    }
}

/// `ab`'s count of failed requests and of complete ones.
fn ab(addr: SocketAddr, concurrency: u32) -> (String, String) {
    let out = run(Command::new("ab")
        .args([
            "-q",
            "-n",
            "2000",
            "-c",
            &concurrency.to_string(),
            "-s",
            "10",
        ])
        .arg(url(addr, "/")));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("no {name} in ab's report:\n{text}"))
    };
    assert!(!text.contains("Non-2xx responses"), "{text}");
    (field("Failed requests"), field("Complete requests"))
}

#[test]
fn ab_2000_requests_one_and_eight_at_a_time_none_fails() {
    if !have("ab") {
        return;
    }
    for kind in Server::BOTH {
        let addr = start::<8, 1100>(kind, ServerConfig::DEFAULT);
        for concurrency in [1, 8] {
            let (failed, complete) = ab(addr, concurrency);
            assert_eq!(
                (failed.as_str(), complete.as_str()),
                ("0", "2000"),
                "{kind:?} -c {concurrency}"
            );
        }
        still_serves(addr);
    }
}

#[test]
fn curl_gets_the_page_within_a_second_during_a_slow_headers_attack() {
    if !have("slowhttptest") || !have("curl") {
        return;
    }
    for kind in [Server::Async, Server::Blocking] {
        let addr = start::<8, 1100>(kind, ServerConfig::DEFAULT);
        let _attack = Reaped(
            Command::new("slowhttptest")
                .args([
                    "-H", "-c", "200", "-r", "50", "-i", "2", "-l", "10", "-p", "2", "-u",
                ])
                .arg(url(addr, "/"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("slowhttptest runs"),
        );
        std::thread::sleep(Duration::from_secs(2));
        let until = Instant::now() + Duration::from_secs(6);
        let mut fetches = 0;
        while Instant::now() < until {
            let started = Instant::now();
            let out = Command::new("curl")
                .args(["-sS", "--fail", "-o", "/dev/null", "-m", "1"])
                .arg(url(addr, "/"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{kind:?}: fetch {fetches} during the attack: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(started.elapsed() < Duration::from_secs(1));
            fetches += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(fetches >= 5);
        still_serves(addr);
    }
}

/// The page as headless Chromium's DOM has it.
fn chromium_dom(page: &str) -> String {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run_id = RUNS.fetch_add(1, Ordering::Relaxed);
    let profile =
        std::env::temp_dir().join(format!("towel-chromium-{}-{run_id}", std::process::id()));
    let out = run(Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--timeout=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(page));
    let _ = std::fs::remove_dir_all(profile);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_renders_the_table_with_the_labels_escaped() {
    if !have("chromium") {
        return;
    }
    for kind in Server::BOTH {
        let addr = start::<4, 1100>(kind, ServerConfig::DEFAULT);
        let dom = chromium_dom(&url(addr, "/"));
        let rows: Vec<_> = table_rows(&dom)
            .into_iter()
            .map(|(l, v)| (unescape(&l), v))
            .collect();
        assert_eq!(rows, expected_rows(), "{kind:?}: {dom}");
    }
}

/// The example binary, built if it is not (tests build only themselves).
fn example() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "pin_server"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("pin_server")
}

#[test]
fn chromium_loads_the_example_page() {
    if !have("chromium") {
        return;
    }
    for args in [&[][..], &["--async", "--slots", "8"][..]] {
        let mut server = Reaped(
            Command::new(example())
                .arg("127.0.0.1:0")
                .args(args)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        let mut log = BufReader::new(server.0.stderr.take().unwrap());
        let mut first = String::new();
        log.read_line(&mut first).unwrap();
        let page = first
            .split_whitespace()
            .nth(1)
            .expect("serving URL")
            .to_owned();
        let dom = chromium_dom(&page);
        let rows = table_rows(&dom);
        let labels: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["0", "2", "4", "5", "12", "13", "14", "15"],
            "{dom}"
        );
        assert!(rows.iter().all(|(_, v)| v == "0" || v == "1"), "{rows:?}");
        let title = tl::parse(&dom, tl::ParserOptions::default()).unwrap();
        let h1 = title.query_selector("h1").unwrap().next().unwrap();
        assert_eq!(
            h1.get(title.parser()).unwrap().inner_text(title.parser()),
            "ESP32 Pins"
        );
        // One log line per request: peer, method, path, status, bytes, time.
        let mut line = String::new();
        log.read_line(&mut line).unwrap();
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1..4], ["GET", "/", "200"], "{line}");
    }
}
