//! `examples/http_get` as a user runs it: body bytes exactly on stdout, the head on stderr,
//! exit 0 for a complete response and 1 with one line for any error.

use std::path::PathBuf;
use std::process::{Command, Output};

use towel_testkit::peers::{self, Kind, PAGE, sha256};
use towel_testkit::server::ScriptServer;

/// target/debug/examples/http_get, which `cargo test` builds with the tests.
fn example() -> PathBuf {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("http_get{}", std::env::consts::EXE_SUFFIX))
}

fn run(args: &[&str]) -> Output {
    Command::new(example())
        .args(args)
        .output()
        .expect("run examples/http_get")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn body_to_stdout_head_to_stderr_both_clients() {
    let Some(nginx) = peers::start(Kind::Nginx) else {
        return;
    };
    for flags in [&[][..], &["--async"]] {
        let url = nginx.url("/");
        let out = run(&[&[url.as_str()][..], flags].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(out.stdout, PAGE.as_bytes());
        let err = stderr(&out);
        assert!(err.starts_with("HTTP/1.1 200 OK\n"), "{err}");
        assert!(
            err.contains(&format!("\nContent-Length: {}\n", PAGE.len())),
            "{err}"
        );
        assert!(err.contains("\nContent-Type: text/html\n"), "{err}");

        let big = nginx.url("/big.bin");
        let out = run(&[&[big.as_str()][..], flags].concat());
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(sha256(&out.stdout), peers::docroot().big_sha256);

        let missing = nginx.url("/missing");
        let out = run(&[&[missing.as_str()][..], flags].concat());
        assert_eq!(out.status.code(), Some(0), "a 404 is a complete response");
        assert!(stderr(&out).starts_with("HTTP/1.1 404 Not Found\n"));
        assert!(!out.stdout.is_empty());

        let dir = nginx.url("/dir");
        let out = run(&[&[dir.as_str(), "--follow"][..], flags].concat());
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(out.stdout, PAGE.as_bytes());
        assert!(stderr(&out).starts_with(&format!(
            "(followed 1 redirect(s) to {})\n",
            nginx.url("/dir/")
        )));

        let v6 = nginx.url6("/").unwrap();
        let out = run(&[&[v6.as_str()][..], flags].concat());
        assert_eq!(
            (out.status.code(), out.stdout.as_slice()),
            (Some(0), PAGE.as_bytes())
        );
    }
}

fn one_line_error(out: &Output, expected: &str) {
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty() || expected.contains("body was complete"),
        "stdout: {:?}",
        out.stdout
    );
    let err = stderr(out);
    let last = err.lines().last().unwrap_or("");
    assert!(last.starts_with("http_get: "), "{err}");
    assert!(last.contains(expected), "{err}");
}

#[test]
fn errors_exit_1_with_one_line() {
    for flags in [&[][..], &["--async"]] {
        let args = |url: &str, more: &[&str]| -> Vec<String> {
            [&[url][..], more, flags]
                .concat()
                .into_iter()
                .map(String::from)
                .collect()
        };
        let go = |a: Vec<String>| Command::new(example()).args(a).output().unwrap();
        one_line_error(&go(args("https://example.com/", &[])), "no TLS");
        one_line_error(&go(args("http://exa mple/", &[])), "bad URL");
        let refused = towel_testkit::refused::Refused::new();
        let port = refused.port();
        one_line_error(
            &go(args(&format!("http://127.0.0.1:{port}/"), &[])),
            "could not connect",
        );

        let silent = ScriptServer::start(|x| x.hang());
        one_line_error(
            &go(args(&silent.url("/"), &["--timeout", "0.3"])),
            "timed out",
        );

        // Connecting is bounded too (the blocking PC stack's connect does not block).
        let unanswered = towel_testkit::unanswered::Unanswered::start();
        one_line_error(
            &go(args(&unanswered.url("/"), &["--timeout", "0.3"])),
            "timed out",
        );

        let garbage = ScriptServer::reply(&b"SSH-2.0-OpenSSH\r\n"[..]);
        one_line_error(&go(args(&garbage.url("/"), &[])), "HTTP");

        let short = ScriptServer::reply(&b"HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nabc"[..]);
        let out = go(args(&short.url("/"), &[]));
        one_line_error(&out, "closed before the body was complete");
        assert_eq!(
            out.stdout, b"abc",
            "what arrived is written before the error"
        );

        let looping = ScriptServer::reply(&b"HTTP/1.0 302 Found\r\nLocation: /\r\n\r\n"[..]);
        one_line_error(
            &go(args(&looping.url("/"), &["--follow"])),
            "too many redirects",
        );
    }
    let out = run(&[]);
    one_line_error(&out, "usage");
}

/// `--timeout` bounds the whole exchange: a server that trickles a byte every 0.5 s keeps every
/// single wait short, yet the run ends at the 2 s deadline with a message saying so. The
/// bounds are for correctness (the deadline neither fires early nor is ignored), with slack
/// for a loaded machine; not a speed target.
#[test]
fn timeout_bounds_the_whole_exchange_against_a_trickling_server() {
    let trickler = ScriptServer::start(|x| {
        for b in b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nslow body".iter() {
            x.write(&[*b]);
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    });
    for flags in [&[][..], &["--async"]] {
        let url = trickler.url("/");
        let started = std::time::Instant::now();
        let out = run(&[&[url.as_str(), "--timeout", "2"][..], flags].concat());
        let took = started.elapsed();
        one_line_error(
            &out,
            "the HTTP exchange timed out: not done within its deadline of 2000 ms",
        );
        eprintln!("http_get {flags:?} --timeout 2 against a trickling server: {took:?}");
        assert!(
            took >= std::time::Duration::from_millis(1_900),
            "{flags:?}: the deadline fired early: {took:?}"
        );
        assert!(
            took < std::time::Duration::from_secs(4),
            "{flags:?}: the exchange ran past its deadline: {took:?}"
        );
    }
}
