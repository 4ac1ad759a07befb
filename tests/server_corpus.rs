//! The request cases of the vendored httparse and picohttpparser corpora
//! (tests/data/*-cases.json, see tests/data/README), each sent over a socket to the blocking
//! and the async server: a valid request gets 200, 404 or 405 (or 400 where the server's own
//! rules refuse it, listed below with the reason), an invalid one a 4xx or, when the bytes end
//! before a line does, the close without an answer; and the server lives on.

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};

use base64::Engine as _;
use serde_json::Value;
use towel_testkit::http_server::{QUICK, Server, parse, read_all, start, still_serves};

/// Valid by the corpus, refused by the server: (file, case name, why).
const REFUSED: &[(&str, &str, &str)] = &[
    (
        "picohttpparser-cases.json",
        "parse multiline",
        "obs-fold: RFC 9112 §5.2 lets a server reject it with 400",
    ),
    (
        "picohttpparser-cases.json",
        "accept multiple spaces between tokens",
        "RFC 9112 §3: one SP between the parts (the leniency is off by default)",
    ),
];

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn raw(case: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(case["raw"].as_str().unwrap())
        .unwrap()
}

/// Whether the head is HTTP/1.1 without a Host field (RFC 9112 §3.2: a server answers 400).
fn lacks_host(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw).to_ascii_lowercase();
    let mut lines = text.lines().skip_while(|l| l.trim_end().is_empty());
    let first = lines.next().unwrap_or("");
    first.trim_end().ends_with("http/1.1") && !lines.any(|l| l.starts_with("host:"))
}

/// The answer to `raw` (`None`: closed without one).
fn answer(addr: SocketAddr, raw: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).unwrap();
    let _ = stream.write_all(raw);
    let _ = stream.shutdown(Shutdown::Write);
    let got = read_all(&mut stream);
    if got.is_empty() {
        return None;
    }
    Some(
        parse(&got, raw.starts_with(b"HEAD "))
            .expect("a well-framed answer")
            .status,
    )
}

fn run(file: &str) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for kind in Server::BOTH {
        let addr = start::<2, 1100>(kind, QUICK);
        for case in load(file).iter().filter(|c| c["kind"] == "request") {
            let name = case["name"].as_str().unwrap();
            let raw = raw(case);
            let got = answer(addr, &raw);
            let ends_in_line = raw.ends_with(b"\n");
            let refused = REFUSED.iter().any(|(f, n, _)| *f == file && *n == name);
            let ok = match case["expect"].as_str().unwrap() {
                "ok" if refused || lacks_host(&raw) => got == Some(400),
                "ok" => matches!(got, Some(200 | 404 | 405)),
                // Bytes that end before the head does: the close, or a 4xx.
                "partial" | "incomplete" => got.is_none_or(|s| (400..500).contains(&s)),
                _ if !ends_in_line => got.is_none_or(|s| (400..500).contains(&s)),
                _ => got.is_some_and(|s| (400..500).contains(&s)),
            };
            if !ok {
                failures.push(format!(
                    "{kind:?} {name} ({}): {got:?} for {:?}",
                    case["expect"],
                    String::from_utf8_lossy(&raw)
                ));
            }
            count += 1;
        }
        still_serves(addr);
    }
    assert!(
        failures.is_empty(),
        "{} of {count}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    count
}

#[test]
fn httparse_request_cases() {
    assert_eq!(run("httparse-cases.json"), 2 * 292);
}

#[test]
fn picohttpparser_request_cases() {
    assert_eq!(run("picohttpparser-cases.json"), 2 * 34);
}
