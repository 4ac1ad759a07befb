//! The core on scripted bytes, no sockets: whatever the split of the response and the size of
//! the buffers, the same head and body come out.

extern crate std;

use super::exchange::{Action, Exchange};
use super::fail::Fail;
use super::options::{Options, Redirects, Visit};
use super::request::RequestError;
use crate::http::body::Framing;
use crate::http::error::HttpError;
use crate::url::UrlError;
use proptest::prelude::*;
use std::string::String;
use std::vec::Vec;

/// What one scripted exchange gave.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: u16,
    reason: Vec<u8>,
    kept: Vec<(String, Vec<u8>)>,
    url: String,
    redirects: u8,
    framing: Framing,
    body: Result<Vec<u8>, HttpError>,
    connects: Vec<(String, u16)>,
    requests: Vec<Vec<u8>>,
}

/// Runs the core as a driver would, against `replies` (one per connection), each delivered
/// `split` bytes per read (and per write of the request) at most, reading the body `chunk`
/// bytes at a time.
fn run<R: Redirects, V: Visit>(
    url: &str,
    options: &Options<'_, R, V>,
    buf_len: usize,
    replies: &[&[u8]],
    split: usize,
    chunk: usize,
) -> Result<Outcome, Fail> {
    let mut buf = std::vec![0u8; buf_len];
    let mut exchange = Exchange::start(Exchange::check(url, options)?, options);
    let mut connects = Vec::new();
    let mut requests: Vec<Vec<u8>> = Vec::new();
    let mut replies = replies.iter();
    let mut wire: &[u8] = &[];
    loop {
        match exchange.poll(&mut buf)? {
            Action::Close => wire = &[],
            Action::Connect { host, port } => {
                connects.push((host.into(), port));
                requests.push(Vec::new());
                wire = replies.next().copied().unwrap_or(&[]);
            }
            Action::Send(bytes) => {
                // A short write, as a stack may make: the core hands out the rest next.
                let n = bytes.len().min(split);
                requests.last_mut().unwrap().extend_from_slice(&bytes[..n]);
                exchange.moved(n)?;
            }
            Action::Receive(room) => {
                let n = room.len().min(split).min(wire.len());
                room[..n].copy_from_slice(&wire[..n]);
                wire = &wire[n..];
                exchange.moved(n)?;
            }
            Action::Done => break,
        }
    }
    let (head, mut core) = exchange.finish(&mut buf);
    // The body, as the drivers read it.
    let mut body = Vec::new();
    let mut out = std::vec![0u8; chunk];
    let body = loop {
        let step = match core.before_read(&mut out) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                let n = out.len().min(split).min(wire.len());
                out[..n].copy_from_slice(&wire[..n]);
                wire = &wire[n..];
                match core.after_read(&mut out, n) {
                    Ok(step) => step,
                    Err(e) => break Err(e),
                }
            }
            Err(e) => break Err(e),
        };
        match step {
            Some(0) => break Ok(body),
            Some(n) => body.extend_from_slice(&out[..n]),
            None => {}
        }
    };
    Ok(Outcome {
        status: head.status(),
        reason: head.reason().into(),
        kept: head.headers().map(|(n, v)| (n.into(), v.into())).collect(),
        url: head.url().into(),
        redirects: head.redirects(),
        framing: head.framing(),
        body,
        connects,
        requests,
    })
}

fn simple(url: &str, reply: &[u8]) -> Result<Outcome, Fail> {
    run(
        url,
        &Options::DEFAULT.keep(&["Content-Type", "X-A"]),
        256,
        &[reply],
        4096,
        4096,
    )
}

const NGINX_LIKE: &[u8] =
    b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 07:36:37 GMT\r\n\
Content-Type: text/html\r\nContent-Length: 6\r\nLast-Modified: Thu, 26 Nov 2026 07:36:36 GMT\r\n\
Connection: close\r\nETag: \"6b07e184-6\"\r\nAccept-Ranges: bytes\r\n\r\nhello\n";

#[test]
fn reads_status_kept_headers_and_body() {
    let out = simple("http://example.com/", NGINX_LIKE).unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(out.reason, b"OK");
    assert_eq!(out.kept, [("Content-Type".into(), b"text/html".to_vec())]);
    assert_eq!(out.body, Ok(b"hello\n".to_vec()));
    assert_eq!(out.framing, Framing::ContentLength(6));
    assert_eq!(out.connects, [("example.com".into(), 80)]);
    assert_eq!(out.url, "http://example.com/");
    assert_eq!(out.redirects, 0);
    let request = String::from_utf8(out.requests[0].clone()).unwrap();
    assert!(
        request.starts_with("GET / HTTP/1.0\r\nHost: example.com\r\n"),
        "{request}"
    );
}

#[test]
fn kept_headers_first_occurrence_any_case_and_empty_values() {
    let reply = b"HTTP/1.0 404 Not Found\r\ncontent-TYPE: a\r\nX-A:\r\nContent-Type: b\r\n\r\n";
    let out = simple("http://h/", reply).unwrap();
    assert_eq!(out.status, 404);
    assert_eq!(out.reason, b"Not Found");
    assert_eq!(
        out.kept,
        [
            ("Content-Type".into(), b"a".to_vec()),
            ("X-A".into(), Vec::new())
        ]
    );
    // Until close: no length, the body is what came before the end.
    assert_eq!(out.body, Ok(Vec::new()));
    assert_eq!(out.framing, Framing::UntilClose);
}

#[test]
fn only_the_first_64_kept_names_count() {
    // Index 255 is the reason phrase's tag: a name there must not read it back.
    let mut names: Vec<String> = (0..256).map(|i| std::format!("x-{i}")).collect();
    names[63] = "Server".into();
    names[64] = "Date".into();
    names[255] = "Content-Type".into();
    let keep: Vec<&str> = names.iter().map(String::as_str).collect();
    let options = Options::DEFAULT.keep(&keep);
    let out = run("http://h/", &options, 512, &[NGINX_LIKE], 4096, 4096).unwrap();
    assert_eq!(out.reason, b"OK");
    assert_eq!(out.kept, [("Server".into(), b"nginx/1.22.1".to_vec())]);
}

#[test]
fn chunked_body_is_decoded() {
    let reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;x=y\r\n \r\n5\r\nworld\r\n0\r\nT: 1\r\n\r\n";
    let out = simple("http://h/", reply).unwrap();
    assert_eq!(out.body, Ok(b"hello world".to_vec()));
    assert_eq!(out.framing, Framing::Chunked);
}

#[test]
fn short_bodies_are_truncated_never_quietly_short() {
    let cl = b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\n12345";
    assert_eq!(
        simple("http://h/", cl).unwrap().body,
        Err(HttpError::Truncated)
    );
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel";
    assert_eq!(
        simple("http://h/", chunked).unwrap().body,
        Err(HttpError::Truncated)
    );
    let no_last = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    assert_eq!(
        simple("http://h/", no_last).unwrap().body,
        Err(HttpError::Truncated)
    );
}

#[test]
fn bytes_after_the_body_are_dropped() {
    let reply = b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
    assert_eq!(simple("http://h/", reply).unwrap().body, Ok(b"ok".to_vec()));
}

#[test]
fn no_body_statuses() {
    let reply = b"HTTP/1.1 204 No Content\r\n\r\nignored";
    let out = simple("http://h/", reply).unwrap();
    assert_eq!((out.framing, out.body), (Framing::NoBody, Ok(Vec::new())));
}

#[test]
fn interim_responses_are_skipped() {
    let reply = b"HTTP/1.1 100 Continue\r\nContent-Type: no\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
    let out = simple("http://h/", reply).unwrap();
    assert_eq!(
        (out.status, out.kept, out.body),
        (200, Vec::new(), Ok(b"x".to_vec()))
    );
}

#[test]
fn head_errors() {
    assert_eq!(simple("http://h/", b"").unwrap_err(), Fail::Closed);
    assert_eq!(
        simple("http://h/", b"HTTP/1.0 200 OK\r\nA: b\r\n").unwrap_err(),
        Fail::Closed
    );
    assert_eq!(
        simple("http://h/", b"SSH-2.0-OpenSSH_9.2\r\n").unwrap_err(),
        Fail::Http(HttpError::BadVersion)
    );
    assert_eq!(
        simple("http://h/", b"<html>hello</html>\r\n").unwrap_err(),
        Fail::Http(HttpError::BadVersion)
    );
    assert_eq!(
        simple("http://h/", b"HTTP/1.0 2000 OK\r\n\r\n").unwrap_err(),
        Fail::Http(HttpError::BadStatus)
    );
    // A line longer than the buffer.
    let mut long = b"HTTP/1.0 200 OK\r\nX-Long: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', 300));
    long.extend_from_slice(b"\r\n\r\n");
    // 256 bytes less the reason phrase's record ("OK" + 3) leave 251 for the line.
    assert_eq!(
        simple("http://h/", &long).unwrap_err(),
        Fail::LineTooLong {
            len: 251,
            room: 251,
            limit: 8192
        }
    );
    // The same line is fine in a bigger buffer.
    let out = run("http://h/", &Options::DEFAULT, 512, &[&long], 4096, 4096).unwrap();
    assert_eq!(out.status, 200);
}

#[test]
fn kept_values_that_do_not_fit_are_an_error() {
    let mut reply = b"HTTP/1.0 200 OK\r\nContent-Type: ".to_vec();
    reply.extend(std::iter::repeat_n(b'a', 120));
    reply.extend_from_slice(b"\r\nServer: ");
    reply.extend(std::iter::repeat_n(b'b', 120));
    reply.extend_from_slice(b"\r\n\r\n");
    let options = Options::DEFAULT.keep(&["Content-Type"]);
    // 120 kept + 3 + the Server line (130) + reason record (5) > 256.
    assert_eq!(
        run("http://h/", &options, 256, &[&reply], 4096, 4096).unwrap_err(),
        Fail::LineTooLong {
            len: 128,
            room: 128,
            limit: 8192
        }
    );
    assert!(run("http://h/", &options, 300, &[&reply], 4096, 4096).is_ok());
}

#[test]
fn url_and_header_errors_come_before_any_io() {
    let mut buf = [0u8; 64];
    for (url, fail) in [
        ("https://h/", Fail::Url(UrlError::Https)),
        (
            "http://h/a b",
            Fail::Url(UrlError::InvalidByte { position: 10 }),
        ),
    ] {
        assert_eq!(Exchange::check(url, &Options::DEFAULT).err(), Some(fail));
    }
    let headers = [("X", "a\r\nb")];
    let options = Options::DEFAULT.with_headers(&headers);
    assert_eq!(
        Exchange::check("http://h/", &options).err(),
        Some(Fail::Request(RequestError::InvalidHeaderValue { index: 0 }))
    );
    let _ = &mut buf;
}

fn redirect(status: u16, location: &str) -> Vec<u8> {
    std::format!("HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 4\r\n\r\nmove")
        .into_bytes()
}

#[test]
fn redirects_are_not_followed_by_default() {
    let reply = redirect(301, "/next");
    let out = simple("http://h/", &reply).unwrap();
    assert_eq!(
        (out.status, out.redirects, out.body),
        (301, 0, Ok(b"move".to_vec()))
    );
    assert_eq!(out.connects.len(), 1);
}

#[test]
fn redirects_are_followed_relative_and_absolute() {
    let options = Options::DEFAULT.follow(5).keep(&["Location"]);
    let hops = [
        redirect(301, "b/c?x=1"),
        redirect(302, "../d"),
        redirect(303, "//other:81/e"),
        redirect(307, "http://[::1]:82/f#frag"),
        redirect(308, "/g"),
    ];
    let last = b"HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\ndone".as_slice();
    let replies: Vec<&[u8]> = hops.iter().map(|h| h.as_slice()).chain([last]).collect();
    let out = run("http://h:8080/a/index", &options, 256, &replies, 4096, 4096).unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(out.redirects, 5);
    assert_eq!(out.url, "http://[::1]:82/g");
    assert_eq!(out.body, Ok(b"done".to_vec()));
    // The Location of the final response is not followed, so it would be kept: there is none.
    assert_eq!(out.kept, Vec::new());
    assert_eq!(
        out.connects,
        [
            ("h".into(), 8080),
            ("h".into(), 8080),
            ("h".into(), 8080),
            ("other".into(), 81),
            ("::1".into(), 82),
            ("::1".into(), 82),
        ]
    );
    let first_lines: Vec<String> = out
        .requests
        .iter()
        .map(|r| {
            let r = String::from_utf8(r.clone()).unwrap();
            let mut lines = r.lines();
            std::format!("{} | {}", lines.next().unwrap(), lines.next().unwrap())
        })
        .collect();
    assert_eq!(
        first_lines,
        [
            "GET /a/index HTTP/1.0 | Host: h:8080",
            "GET /a/b/c?x=1 HTTP/1.0 | Host: h:8080",
            "GET /a/d HTTP/1.0 | Host: h:8080",
            "GET /e HTTP/1.0 | Host: other:81",
            "GET /f HTTP/1.0 | Host: [::1]:82",
            "GET /g HTTP/1.0 | Host: [::1]:82",
        ]
    );
}

#[test]
fn redirect_limits_and_bad_locations() {
    let loop_ = redirect(302, "/again");
    let replies = [loop_.as_slice(); 10];
    let options = Options::DEFAULT.follow(3);
    assert_eq!(
        run("http://h/", &options, 256, &replies, 4096, 4096).unwrap_err(),
        Fail::TooManyRedirects(3)
    );
    let https = redirect(301, "https://h/");
    assert_eq!(
        run("http://h/", &options, 256, &[&https], 4096, 4096).unwrap_err(),
        Fail::Location(UrlError::Https)
    );
    // A 3xx without Location is a final response.
    let bare = b"HTTP/1.0 302 Found\r\nContent-Length: 0\r\n\r\n";
    let out = run("http://h/", &options, 256, &[bare], 4096, 4096).unwrap();
    assert_eq!((out.status, out.redirects), (302, 0));
    // Non-redirect statuses with a Location are final too.
    let created = b"HTTP/1.0 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(
        run("http://h/", &options, 256, &[created], 4096, 4096)
            .unwrap()
            .status,
        201
    );
    // A location too long for the buffer.
    let long = std::format!("/{}", "a".repeat(200));
    let long = redirect(301, &long);
    assert_eq!(
        run("http://h/", &options, 256, &[&long], 4096, 4096).unwrap_err(),
        Fail::Location(UrlError::TooLong)
    );
}

#[test]
fn a_tiny_buffer_still_sends_the_whole_request() {
    let out = run(
        "http://h/some/long/path?with=query",
        &Options::DEFAULT,
        48,
        &[b"HTTP/1.0 200 OK\r\n\r\nx"],
        4096,
        1,
    )
    .unwrap();
    let request = String::from_utf8(out.requests[0].clone()).unwrap();
    assert!(request.starts_with("GET /some/long/path?with=query HTTP/1.0\r\nHost: h\r\n"));
    assert!(request.ends_with("Connection: close\r\n\r\n"));
    assert_eq!(out.body, Ok(b"x".to_vec()));
}

/// A response made of parts that matter to the core.
fn response() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    let body = proptest::collection::vec(any::<u8>(), 0..300);
    (body, 0..3u8, proptest::collection::vec(1usize..50, 1..8)).prop_map(|(body, kind, sizes)| {
        let mut wire = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nServer: x\r\n".to_vec();
        match kind {
            0 => {
                wire.extend_from_slice(
                    std::format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                );
                wire.extend_from_slice(&body);
            }
            1 => {
                wire.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                let mut rest = &body[..];
                let mut sizes = sizes.iter().cycle();
                while !rest.is_empty() {
                    let n = (*sizes.next().unwrap()).min(rest.len());
                    wire.extend_from_slice(std::format!("{n:x}\r\n").as_bytes());
                    wire.extend_from_slice(&rest[..n]);
                    wire.extend_from_slice(b"\r\n");
                    rest = &rest[n..];
                }
                wire.extend_from_slice(b"0\r\n\r\n");
            }
            _ => {
                wire.extend_from_slice(b"\r\n");
                wire.extend_from_slice(&body);
            }
        }
        (wire, body)
    })
}

proptest! {
    #[test]
    fn any_split_and_buffer_sizes_give_the_same_result(
        (wire, body) in response(),
        split in 1usize..80,
        chunk in 1usize..80,
        buf_len in 64usize..400,
    ) {
        let options = Options::DEFAULT.keep(&["content-type"]);
        let reference = run("http://h/", &options, 4096, &[&wire], usize::MAX, 4096).unwrap();
        prop_assert_eq!(&reference.body, &Ok(body));
        let out = run("http://h/", &options, buf_len, &[&wire], split, chunk).unwrap();
        prop_assert_eq!(out, reference);
    }

    #[test]
    fn no_input_makes_the_core_panic(
        wire in proptest::collection::vec(any::<u8>(), 0..400),
        split in 1usize..64,
        buf_len in 0usize..300,
    ) {
        let options = Options::DEFAULT.keep(&["a", "b"]).follow(2);
        let _ = run("http://h/", &options, buf_len, &[&wire, &wire, &wire], split, 7);
    }
}

#[test]
fn chunk_extensions_and_trailers_with_tiny_reads() {
    let reply =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n\
7\r\nchunked\r\n1;name=value\r\n \r\nA\r\nhttp/1.1 r\r\n4\r\neply\r\n0\r\nX-Trailer: yes\r\n\r\n";
    for chunk in 1..8 {
        for split in [1, 2, 3, 5, 4096] {
            let out = run("http://h/", &Options::DEFAULT, 256, &[reply], split, chunk).unwrap();
            assert_eq!(
                out.body,
                Ok(b"chunked http/1.1 reply".to_vec()),
                "chunk {chunk} split {split}"
            );
        }
    }
}

#[test]
fn a_chunk_longer_than_its_size_is_an_error_for_every_split() {
    let reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\neply\r\n0\r\n\r\n";
    for chunk in 1..6 {
        for split in [1, 2, 3, 4096] {
            let out = run("http://h/", &Options::DEFAULT, 256, &[reply], split, chunk).unwrap();
            assert_eq!(
                out.body,
                Err(HttpError::BadChunkEnd),
                "chunk {chunk} split {split}"
            );
        }
    }
}

#[test]
fn fill_ends_at_the_end_and_refuses_a_byte_past_the_slice() {
    use super::body::Fill;
    use super::fail::BodyError;
    // An empty slice: the end is an empty body, a byte is too large.
    let mut fill = Fill::new();
    assert_eq!(fill.room(&mut []).len(), 1);
    assert!(matches!(fill.got::<()>(0, 0), Ok(Some(0))));
    let mut fill = Fill::new();
    assert!(matches!(
        fill.got::<()>(1, 0),
        Err(BodyError::TooLarge { capacity: 0 })
    ));
    // Filled exactly: the probe byte follows, then the end or one byte too many.
    let full = || {
        let mut out = [0u8; 4];
        let mut fill = Fill::new();
        assert_eq!(fill.room(&mut out).len(), 4);
        assert!(matches!(fill.got::<()>(3, 4), Ok(None)));
        assert_eq!(fill.room(&mut out).len(), 1);
        assert!(matches!(fill.got::<()>(1, 4), Ok(None)));
        assert_eq!(fill.room(&mut out).len(), 1);
        fill
    };
    assert!(matches!(full().got::<()>(0, 4), Ok(Some(4))));
    assert!(matches!(
        full().got::<()>(1, 4),
        Err(BodyError::TooLarge { capacity: 4 })
    ));
}
