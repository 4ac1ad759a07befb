//! Unit tests of the server core's pieces: the sink's windows, target splitting, the 505
//! rule, and whole exchanges through every buffer size and split.

use super::config::ServerConfig;
extern crate std;

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use super::exchange::{Action, Exchange};
use super::handler::{Body, Handler, Request, Response, Sink};

struct Text(&'static str);

impl Body for Text {
    fn render(&self, out: &mut Sink<'_>) {
        // Several pieces, so windows cut across them.
        for piece in self.0.as_bytes().chunks(3) {
            out.bytes(piece);
        }
        out.html("<&>\"'");
        out.json("\"\\\n");
        out.decimal(1234567890);
    }
}

#[test]
fn windows_of_any_size_put_together_give_the_whole() {
    let body = Text("hello, pins: 0 2 4 5 12 13 14 15");
    let total = Sink::count(&body);
    let mut whole = vec![0u8; total];
    assert_eq!(Sink::window(&body, 0, &mut whole), total);
    assert!(whole.ends_with(b"&lt;&amp;&gt;&quot;&#39;\\\"\\\\\\u000a1234567890"));
    for size in 1..=total + 2 {
        let mut joined = Vec::new();
        let mut window = vec![0u8; size];
        while joined.len() < total {
            let n = Sink::window(&body, joined.len(), &mut window);
            assert!(n > 0 && n <= size);
            joined.extend_from_slice(&window[..n]);
        }
        assert_eq!(joined, whole, "window size {size}");
        assert_eq!(Sink::window(&body, total, &mut window), 0);
    }
}

#[test]
fn decimal_writes_zero_and_the_largest() {
    struct N(usize);
    impl Body for N {
        fn render(&self, out: &mut Sink<'_>) {
            out.decimal(self.0);
        }
    }
    for n in [0, 9, 10, 4096, usize::MAX] {
        let mut out = [0u8; 24];
        let len = Sink::window(&N(n), 0, &mut out);
        assert_eq!(core::str::from_utf8(&out[..len]).unwrap(), n.to_string());
    }
}

struct Echo;

impl Handler for Echo {
    type Body = Text;

    fn wants(&self, name: &[u8]) -> bool {
        name.eq_ignore_ascii_case(b"x-want")
    }

    fn respond(&self, request: &Request<'_>) -> Option<Response<Text>> {
        let text = match (request.path(), request.query(), request.header("X-Want")) {
            (b"/", None, None) => "root",
            (b"/a", Some(b"b=c"), Some(b"yes")) => "a with query and header",
            (b"/", Some(b"q"), None) => "absolute form",
            _ => return None,
        };
        Some(Response::ok("text/plain", Text(text)))
    }
}

/// The answer to `request` sent in pieces of `split` through a buffer of `size`.
fn exchange(request: &[u8], size: usize, split: usize) -> Vec<u8> {
    exchange_with(ServerConfig::DEFAULT, request, size, split)
}

/// [`exchange`] under `config`.
fn exchange_with(config: ServerConfig, request: &[u8], size: usize, split: usize) -> Vec<u8> {
    let mut buf = vec![0u8; size];
    let mut ex: Exchange<Text> = Exchange::new(config, 0);
    let mut rest = request;
    let mut out = Vec::new();
    for now in 0.. {
        match ex.poll(&mut buf, &Echo, now) {
            Action::Receive(space) => {
                let n = rest.len().min(split).min(space.len());
                space[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                ex.received(n, now);
            }
            Action::Send(bytes) => {
                let n = bytes.len().min(split);
                out.extend_from_slice(&bytes[..n]);
                ex.sent(n, now);
            }
            Action::Close => break,
        }
    }
    out
}

#[test]
fn any_buffer_and_split_gives_the_same_answer() {
    let cases: &[(&[u8], &str)] = &[
        (b"GET / HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n"),
        (
            b"GET /a?b=c HTTP/1.1\r\nHost: h\r\nCookie: 0123456789012345678901234567890123456789\r\nX-Want: yes\r\n\r\n",
            "HTTP/1.1 200 OK\r\n",
        ),
        // A kept header is found by its name in any case (`Request::header("X-Want")`).
        (
            b"GET /a?b=c HTTP/1.1\r\nHost: h\r\nx-wANT: yes\r\n\r\n",
            "HTTP/1.1 200 OK\r\n",
        ),
        (b"GET http://h?q HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 200 OK\r\n"),
        (b"GET /zz HTTP/1.0\r\n\r\n", "HTTP/1.1 404 Not Found\r\n"),
        (b"PUT / HTTP/1.0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n"),
        (b"GET / HTTP/1.2\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n"),
        (b"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"),
    ];
    for (request, status) in cases {
        let reference = exchange(request, 256, usize::MAX);
        assert!(
            reference.starts_with(status.as_bytes()),
            "{}",
            String::from_utf8_lossy(&reference)
        );
        for size in [64, 100, 128, 512] {
            for split in [1, 2, 7, 64] {
                assert_eq!(
                    exchange(request, size, split),
                    reference,
                    "size {size} split {split}"
                );
            }
        }
    }
}

#[test]
fn a_target_over_64_kib_is_414_even_where_the_limits_and_buffer_allow_it() {
    // The exchange keeps the method's and the target's lengths in 16 bits.
    let config = ServerConfig {
        max_target: usize::MAX,
        max_head: usize::MAX,
        ..ServerConfig::DEFAULT
    };
    let long = format!("GET /{} HTTP/1.0\r\n\r\n", "x".repeat(70_000));
    let answer = exchange_with(config, long.as_bytes(), 80_000, 4096);
    assert!(answer.starts_with(b"HTTP/1.1 414 "), "{:?}", &answer[..20]);
    // Just under the line: served (404 from the echo handler, which knows no such path).
    let fits = format!("GET /{} HTTP/1.0\r\n\r\n", "x".repeat(60_000));
    let answer = exchange_with(config, fits.as_bytes(), 80_000, 4096);
    assert!(answer.starts_with(b"HTTP/1.1 404 "), "{:?}", &answer[..20]);
}

/// Whether the exchange, after sending its whole answer to `request`, lingers to read what
/// the client still sends (rather than closing at once), and the answer.
fn lingers(config: ServerConfig, request: &[u8], size: usize) -> (bool, Vec<u8>) {
    let mut buf = vec![0u8; size];
    let mut ex: Exchange<Text> = Exchange::new(config, 0);
    let mut rest = request;
    let mut out = Vec::new();
    loop {
        match ex.poll(&mut buf, &Echo, 0) {
            Action::Receive(_) if !out.is_empty() => return (true, out),
            Action::Receive(space) => {
                let n = rest.len().min(space.len());
                space[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                ex.received(n, 0);
            }
            Action::Send(bytes) => {
                out.extend_from_slice(bytes);
                let n = bytes.len();
                ex.sent(n, 0);
            }
            Action::Close => return (false, out),
        }
    }
}

#[test]
fn a_refusal_before_the_end_of_the_head_lingers_for_the_rest() {
    let small = ServerConfig {
        max_head: 64,
        ..ServerConfig::DEFAULT
    };
    let big = format!(
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: {}\r\nX-B: b\r\n\r\n",
        "a".repeat(80)
    );
    let (linger, answer) = lingers(small, big.as_bytes(), 256);
    assert!(linger && answer.starts_with(b"HTTP/1.1 431 "));
    let unlimited = ServerConfig {
        max_target: usize::MAX,
        max_head: usize::MAX,
        ..ServerConfig::DEFAULT
    };
    let long = format!("GET /{} HTTP/1.0\r\n\r\n", "x".repeat(70_000));
    let (linger, answer) = lingers(unlimited, long.as_bytes(), 80_000);
    assert!(linger && answer.starts_with(b"HTTP/1.1 414 "));
    // A whole head with nothing after it: closed at once.
    let (linger, answer) = lingers(small, b"GET / HTTP/1.0\r\n\r\n", 256);
    assert!(!linger && answer.starts_with(b"HTTP/1.1 200 "));
}

#[test]
fn a_request_line_longer_than_the_buffer_is_414_and_junk_is_400() {
    let long = format!("GET /{} HTTP/1.1\r\nHost: h\r\n\r\n", "x".repeat(200));
    assert!(exchange(long.as_bytes(), 64, 16).starts_with(b"HTTP/1.1 414 "));
    assert!(exchange(&[b'x'; 300], 64, 16).starts_with(b"HTTP/1.1 400 "));
}

#[test]
fn a_header_line_longer_than_the_buffer_is_skipped_unless_it_matters() {
    let line = |header: &str| format!("GET / HTTP/1.1\r\nHost: h\r\n{header}\r\n\r\n");
    let long = "0".repeat(200);
    // An unwanted header is skipped byte by byte: the request is served.
    let skipped = line(&format!("X-Other: {long}"));
    assert!(exchange(skipped.as_bytes(), 64, 16).starts_with(b"HTTP/1.1 200 "));
    // A wanted header, a framing header or a line with no colon cannot be skipped: 431.
    for header in [
        format!("X-Want: {long}"),
        format!("Content-Length: {long}"),
        format!("Transfer-Encoding: {long}"),
        format!("X-No-Colon-{long}"),
    ] {
        let reply = exchange(line(&header).as_bytes(), 64, 16);
        assert!(
            reply.starts_with(b"HTTP/1.1 431 "),
            "{header:.20}: {}",
            String::from_utf8_lossy(&reply)
        );
    }
}

#[test]
fn a_stalled_head_gets_408_at_its_deadline() {
    let mut buf = [0u8; 128];
    let mut ex: Exchange<Text> = Exchange::new(ServerConfig::DEFAULT, 1000);
    assert!(matches!(ex.poll(&mut buf, &Echo, 1000), Action::Receive(_)));
    assert!(ex.deadline() <= 1000 + 10_000);
    assert!(
        matches!(ex.poll(&mut buf, &Echo, 11_000), Action::Send(b) if b.starts_with(b"HTTP/1.1 408 "))
    );
    assert_eq!(ex.status(), 408);
}

#[test]
fn the_wait_runs_to_the_deadline_and_is_never_zero() {
    let mut buf = [0u8; 128];
    let mut ex: Exchange<Text> = Exchange::new(ServerConfig::DEFAULT, 1000);
    assert!(matches!(ex.poll(&mut buf, &Echo, 1000), Action::Receive(_)));
    assert_eq!(u64::from(ex.wait_ms(1000)), ex.deadline() - 1000);
    assert_eq!(ex.wait_ms(ex.deadline()), 1);
    assert_eq!(ex.wait_ms(u64::MAX), 1);
}

#[test]
fn each_known_status_has_its_reason_and_others_a_neutral_one() {
    use super::handler::reason;
    let known = [
        (200, "OK"),
        (204, "No Content"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (304, "Not Modified"),
        (400, "Bad Request"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (405, "Method Not Allowed"),
        (408, "Request Timeout"),
        (414, "URI Too Long"),
        (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"),
        (501, "Not Implemented"),
        (503, "Service Unavailable"),
        (505, "HTTP Version Not Supported"),
    ];
    for status in 0..=u16::MAX {
        let expected = known
            .iter()
            .find(|(s, _)| *s == status)
            .map_or("Status", |(_, r)| r);
        assert_eq!(reason(status), expected.as_bytes(), "{status}");
    }
}

#[test]
fn a_target_splits_into_path_and_query() {
    use super::request_line::split_target;
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("/", "/", None),
        ("/a?b=c", "/a", Some("b=c")),
        ("/a?", "/a", Some("")),
        ("/a?b?c", "/a", Some("b?c")),
        ("?x", "", Some("x")),
        ("*", "*", None),
        ("http://h", "/", None),
        ("http://h?q", "/", Some("q")),
        ("http://h/x?q", "/x", Some("q")),
        ("https://h:80/p", "/p", None),
        ("https://h:80/p/", "/p/", None),
        ("HTTP://h/x", "HTTP://h/x", None),
        ("http:/x", "http:/x", None),
    ];
    for &(target, path, query) in cases {
        let expected = (path.as_bytes(), query.map(str::as_bytes));
        assert_eq!(split_target(target.as_bytes()), expected, "{target}");
    }
}

#[test]
fn only_a_well_formed_other_version_gets_505() {
    let cases: &[(&[u8], u16)] = &[
        (b"GET / HTTP/1.2", 505),
        (b"GET / HTTP/2", 505),
        (b"GET / HTTP/9.9", 505),
        (b"GET / HTTP/0.9", 505),
        (b"GET / HTTP/12", 400),
        (b"GET / HTTP/1.", 400),
        (b"GET / HTTP/a", 400),
        (b"GET / http/1.2", 400),
        (b"GET / x HTTP/1.2", 400),
        (b"GET  / HTTP/1.2", 400),
        (b"GET / HTTP/1.2 ", 400),
        (b"GET /", 400),
        (b"GET", 400),
        // Another fault first: its own status.
        (b"G(T / HTTP/1.2", 400),
    ];
    for &(line, status) in cases {
        // With either line end the server takes (a bare LF by default).
        for end in ["\r\n", "\n"] {
            let mut request = line.to_vec();
            for _ in 0..2 {
                request.extend_from_slice(end.as_bytes());
            }
            let response = exchange(&request, 256, usize::MAX);
            let want = format!("HTTP/1.1 {status} ");
            assert!(
                response.starts_with(want.as_bytes()),
                "{}: {}",
                line.escape_ascii(),
                String::from_utf8_lossy(&response)
            );
        }
    }
}

#[test]
fn a_lenient_request_line_with_several_spaces_keeps_its_method_and_target() {
    let mut config = ServerConfig::DEFAULT;
    config.leniency.multiple_spaces = true;
    let mut buf = [0u8; 128];
    let mut ex: Exchange<Text> = Exchange::new(config, 0);
    let mut request: &[u8] = b"\r\nGET   /a?b=c   HTTP/1.1\r\nHost: h\r\nX-Want: yes\r\n\r\n";
    let mut out = Vec::new();
    loop {
        match ex.poll(&mut buf, &Echo, 0) {
            Action::Receive(space) => {
                let n = request.len().min(space.len());
                space[..n].copy_from_slice(&request[..n]);
                request = &request[n..];
                ex.received(n, 0);
            }
            Action::Send(bytes) => {
                out.extend_from_slice(bytes);
                let n = bytes.len();
                ex.sent(n, 0);
            }
            Action::Close => break,
        }
    }
    assert!(
        out.starts_with(b"HTTP/1.1 200 OK\r\n"),
        "{}",
        out.escape_ascii()
    );
    assert!(out.windows(23).any(|w| w == b"a with query and header"));
    let entry = ex.log_entry(&buf, None, 0);
    assert_eq!((entry.method, entry.target), (&b"GET"[..], &b"/a?b=c"[..]));
}

#[test]
fn the_pin_page_and_its_json_byte_for_byte() {
    use crate::http::page::PinPage;
    use embedded_hal::digital::{ErrorType, InputPin};

    struct Fixed(Option<bool>);
    impl ErrorType for Fixed {
        type Error = embedded_hal::digital::ErrorKind;
    }
    impl InputPin for Fixed {
        fn is_high(&mut self) -> Result<bool, Self::Error> {
            self.0.ok_or(embedded_hal::digital::ErrorKind::Other)
        }
        fn is_low(&mut self) -> Result<bool, Self::Error> {
            self.is_high().map(|high| !high)
        }
    }
    let page = PinPage::new([
        ("0", Fixed(Some(true))),
        ("<a&b>", Fixed(Some(false))),
        ("\"q'\\\u{1}", Fixed(None)),
    ])
    .with_title("T<&>\"'");
    let render = |json| {
        let body = page.snapshot(json);
        let mut out = vec![0u8; Sink::count(&body)];
        let n = Sink::window(&body, 0, &mut out);
        String::from_utf8(out[..n].to_vec()).unwrap()
    };
    assert_eq!(
        render(false),
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>T&lt;&amp;&gt;&quot;&#39;\
         </title></head>\n<body><h1>T&lt;&amp;&gt;&quot;&#39;</h1>\n<table border=\"1\">\n\
         <tr><th>Pin</th><th>Value</th></tr>\n<tr><td>0</td><td>1</td></tr>\n\
         <tr><td>&lt;a&amp;b&gt;</td><td>0</td></tr>\n\
         <tr><td>&quot;q&#39;\\\u{1}</td><td>error</td></tr>\n</table>\n</body></html>\n"
    );
    assert_eq!(
        render(true),
        "{\"title\":\"T<&>\\\"'\",\"pins\":[{\"pin\":\"0\",\"value\":1},\
         {\"pin\":\"<a&b>\",\"value\":0},{\"pin\":\"\\\"q'\\\\\\u0001\",\"value\":null}]}"
    );
    let empty: PinPage<'_, Fixed, 0> = PinPage::new([]);
    let body = empty.snapshot(true);
    let mut out = [0u8; 64];
    let n = Sink::window(&body, 0, &mut out);
    assert_eq!(&out[..n], b"{\"title\":\"ESP32 Pins\",\"pins\":[]}");
}
