//! The server core against any request bytes, split at any points: never a panic, never a
//! hang (the exchange ends within a bounded number of steps, the clock advancing), and the
//! answer, if any, is one well-framed response: `HTTP/1.1`, a Content-Length that matches
//! the body (none after HEAD), `Connection: close`, and no more bytes than its length.
//!
//! The first three input bytes pick the buffer size (64 to 1087 bytes), the read size, and
//! whether the client stalls (sends nothing more, so a deadline must end the exchange) or
//! closes after its bytes; the rest is what the client sends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use towel::http::server::{Action, Body, Exchange, Handler, Request, Response, ServerConfig, Sink};

/// `/` and `/echo` (the query and a kept header, so kept bytes reach a body).
struct Site;

enum Page<'a> {
    Fixed(&'a str),
    Echo([u8; 64], usize),
}

impl Body for Page<'_> {
    fn render(&self, out: &mut Sink<'_>) {
        match self {
            Page::Fixed(text) => {
                for _ in 0..20 {
                    out.str(text);
                }
            }
            Page::Echo(bytes, n) => out.bytes(&bytes[..*n]),
        }
    }
}

impl Handler for Site {
    type Body = Page<'static>;

    fn wants(&self, name: &[u8]) -> bool {
        name.eq_ignore_ascii_case(b"x-echo")
    }

    fn respond(&self, request: &Request<'_>) -> Option<Response<Page<'static>>> {
        match request.path() {
            b"/" => Some(Response::ok("text/html", Page::Fixed("<p>pins</p>\n"))),
            b"/echo" => {
                let mut copy = [0u8; 64];
                let mut n = 0;
                let q = request.query().unwrap_or_default();
                let h = request.header("x-echo").unwrap_or(b"");
                for &b in q.iter().chain(h).take(64) {
                    copy[n] = b;
                    n += 1;
                }
                Some(Response::ok("text/plain", Page::Echo(copy, n)))
            }
            _ => None,
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let [size, split, stall, request @ ..] = input else {
        return;
    };
    let mut buf = vec![0u8; 64 + usize::from(*size) * 4];
    let split = usize::from(*split).max(1);
    let stall = stall & 1 == 1;
    let config = ServerConfig::DEFAULT;
    let mut now = 0u64;
    let mut ex: Exchange<Page<'static>> = Exchange::new(config, now);
    let mut rest = request;
    let mut out = Vec::new();
    // Empty lines before the request line are skipped (RFC 9112 §2.2).
    let head_request = request
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .is_some_and(|i| request[i..].starts_with(b"HEAD "));
    let mut steps = 0u32;
    loop {
        steps += 1;
        assert!(steps < 200_000, "the exchange does not end");
        match ex.poll(&mut buf, &Site, now) {
            Action::Receive(space) => {
                assert!(!space.is_empty());
                if rest.is_empty() {
                    if stall {
                        now += 500; // nothing arrives; time passes
                    } else {
                        ex.received(0, now);
                    }
                    continue;
                }
                let n = rest.len().min(split).min(space.len());
                space[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                ex.received(n, now);
                now += 1;
            }
            Action::Send(bytes) => {
                assert!(!bytes.is_empty());
                let n = bytes.len().min(split.max(7));
                out.extend_from_slice(&bytes[..n]);
                assert!(out.len() < 64 << 10, "an unbounded answer");
                ex.sent(n, now);
                now += 1;
            }
            Action::Close => break,
        }
    }
    if out.is_empty() {
        return;
    }
    // One well-framed response.
    let text = out.as_slice();
    assert!(text.starts_with(b"HTTP/1.1 "));
    let end = text.windows(4).position(|w| w == b"\r\n\r\n").expect("a head end") + 4;
    let head = std::str::from_utf8(&text[..end]).expect("an ASCII head");
    assert!(head.contains("\r\nConnection: close\r\n"));
    assert!(head.contains("\r\nContent-Type: "));
    let length: usize = head
        .split("\r\n")
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .expect("a Content-Length")
        .parse()
        .expect("a number");
    let status = &head[9..12];
    let body = text.len() - end;
    if head_request && status == "200" {
        assert_eq!(body, 0);
    } else if head_request {
        assert!(body == 0 || body == length);
    } else {
        assert_eq!(body, length);
    }
});
