//! The raw responses of five real servers (nginx, lighttpd, busybox httpd, python http.server,
//! twisted) to an HTTP/1.0 GET, vendored in tests/data/captures: each head parses through a
//! 256-byte buffer, and each body comes out byte-exact through the body framing.

use sha2::{Digest, Sha256};
use towel::http::{Config, Framing, HeadParser, HttpError, Version};
use towel_testkit::http::{Owned, decode_pieces, drive, drive_greedy};

const SERVERS: [&str; 5] = ["nginx", "lighttpd", "busybox", "pyhttp", "twisted"];
const INDEX: &[u8] = b"<!DOCTYPE html><html><head><title>peer test</title></head><body><h1>hello from a real server</h1></body></html>\n";
const BIG_LEN: usize = 135_091;

fn capture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/captures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Parsed {
    code: u16,
    version: Version,
    headers: Vec<(String, Vec<u8>)>,
    framing: Framing,
    close: bool,
    body: Vec<u8>,
}

impl Parsed {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| &v[..])
    }
}

/// Parses a capture as a client with a 256-byte buffer would; checks that reads of 7 bytes give
/// the same events; decodes the body in 256-byte reads.
fn parse(name: &str) -> Result<Parsed, HttpError> {
    let raw = capture(name);
    let parser = HeadParser::response(Config::DEFAULT);
    let outcome = drive_greedy(parser.clone(), &raw, 256);
    assert_eq!(
        outcome,
        drive(parser, &raw, 256, || 7),
        "{name}: split changes the events"
    );
    let head_len = outcome.result?.expect("complete head");
    let mut parsed = Parsed {
        code: 0,
        version: Version::Http11,
        headers: Vec::new(),
        framing: Framing::NoBody,
        close: false,
        body: Vec::new(),
    };
    for event in outcome.events {
        match event {
            Owned::Status(version, code, _) => (parsed.version, parsed.code) = (version, code),
            Owned::Header(n, v) => parsed.headers.push((n, v)),
            Owned::End(end) => (parsed.framing, parsed.close) = (end.framing, end.close),
            Owned::Request(..) => panic!("a request line in a response"),
        }
    }
    let (body, left_over) = decode_pieces(
        parsed.framing,
        &Config::DEFAULT,
        raw[head_len..].chunks(256),
    )?;
    assert_eq!(left_over, 0, "{name}: bytes after the body");
    assert_eq!(
        body,
        &raw[head_len..],
        "{name}: the body is the rest of the capture"
    );
    parsed.body = body;
    Ok(parsed)
}

#[test]
fn index_pages() {
    for server in SERVERS {
        let page = parse(&format!("{server}-get-index.http10.bin")).expect(server);
        assert_eq!(page.code, 200, "{server}");
        assert_eq!(page.body, INDEX, "{server}");
        assert_eq!(
            page.framing,
            Framing::ContentLength(INDEX.len() as u64),
            "{server}"
        );
        assert!(page.close, "{server}: an HTTP/1.0 exchange closes");
        // busybox and python write `Content-type`.
        assert_eq!(
            page.header("content-type"),
            Some(&b"text/html"[..]),
            "{server}"
        );
    }
}

#[test]
fn http11_status_lines_answer_http10_requests() {
    for (server, version) in [
        ("nginx", Version::Http11),
        ("busybox", Version::Http11),
        ("lighttpd", Version::Http10),
        ("pyhttp", Version::Http10),
        ("twisted", Version::Http10),
    ] {
        let page = parse(&format!("{server}-get-index.http10.bin")).expect(server);
        assert_eq!(page.version, version, "{server}");
    }
}

#[test]
fn big_bodies_are_byte_exact() {
    let mut digests = Vec::new();
    for server in SERVERS {
        let page = parse(&format!("{server}-big.http10.bin")).expect(server);
        assert_eq!(page.code, 200, "{server}");
        assert_eq!(
            page.framing,
            Framing::ContentLength(BIG_LEN as u64),
            "{server}"
        );
        assert_eq!(page.body.len(), BIG_LEN, "{server}");
        digests.push(Sha256::digest(&page.body));
    }
    assert!(
        digests.windows(2).all(|w| w[0] == w[1]),
        "the same file from every server"
    );
}

#[test]
fn not_found_pages() {
    for server in SERVERS {
        let page = parse(&format!("{server}-404.http10.bin")).expect(server);
        assert_eq!(page.code, 404, "{server}");
        // busybox sends no Content-Length: its body ends with the connection.
        let expected = if server == "busybox" {
            Framing::UntilClose
        } else {
            let n = std::str::from_utf8(page.header("content-length").expect(server))
                .unwrap()
                .parse()
                .unwrap();
            Framing::ContentLength(n)
        };
        assert_eq!(page.framing, expected, "{server}");
        assert!(!page.body.is_empty(), "{server}");
    }
}

#[test]
fn garbage_request_answers() {
    for server in ["nginx", "lighttpd", "busybox", "twisted"] {
        let page = parse(&format!("{server}-garbage.bin")).expect(server);
        assert_eq!(page.code, 400, "{server}");
    }
    // twisted: a bare status line and an empty line; no length, so the body is until close.
    let twisted = parse("twisted-garbage.bin").unwrap();
    assert_eq!(
        (twisted.framing, twisted.body.len()),
        (Framing::UntilClose, 0)
    );
    // python answers with HTML and no status line at all (HTTP/0.9 style): not HTTP/1.x.
    assert_eq!(parse("pyhttp-garbage.bin").err(), Some(HttpError::BareLf));
    let lenient = Config {
        leniency: towel::http::Leniency::ALL,
        ..Config::DEFAULT
    };
    let outcome = drive_greedy(
        HeadParser::response(lenient),
        &capture("pyhttp-garbage.bin"),
        256,
    );
    assert_eq!(outcome.result, Err(HttpError::BadVersion));
}

#[test]
fn a_truncated_capture_is_truncated() {
    for server in SERVERS {
        let raw = capture(&format!("{server}-big.http10.bin"));
        let cut = &raw[..raw.len() - 1];
        let outcome = drive_greedy(HeadParser::response(Config::DEFAULT), cut, 256);
        let head_len = outcome.result.unwrap().unwrap();
        let Some(Owned::End(end)) = outcome.events.last() else {
            panic!()
        };
        assert_eq!(
            decode_pieces(end.framing, &Config::DEFAULT, cut[head_len..].chunks(256)),
            Err(HttpError::Truncated),
            "{server}"
        );
    }
}

/// A head of about 8 KiB (nginx's with many cookies) goes through a 256-byte buffer, giving the
/// same events as in one piece; a single line longer than the buffer is `HeaderTooLong`.
#[test]
fn an_8k_head_through_256_bytes() {
    let mut head = capture("nginx-get-index.http10.bin");
    let at = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 2;
    head.truncate(at);
    let mut i = 0;
    while head.len() < 8192 {
        head.extend_from_slice(
            format!("Set-Cookie: c{i}={}; Path=/\r\n", "v".repeat(200)).as_bytes(),
        );
        i += 1;
    }
    head.extend_from_slice(b"\r\n");
    let whole = drive_greedy(HeadParser::response(Config::DEFAULT), &head, 1 << 16);
    let small = drive_greedy(HeadParser::response(Config::DEFAULT), &head, 256);
    assert_eq!(small, whole);
    assert_eq!(small.result, Ok(Some(head.len())));
    assert!(small.events.len() > 30);

    let mut long = head.clone();
    let line = format!("X-Long: {}\r\n", "y".repeat(250));
    assert_eq!(line.len(), 260);
    long.splice(at..at, line.bytes());
    let small = drive_greedy(HeadParser::response(Config::DEFAULT), &long, 256);
    assert_eq!(small.result, Err(HttpError::HeaderTooLong));
    // A line of exactly 256 bytes with its CRLF fits.
    let mut fits = head.clone();
    fits.splice(at..at, format!("X-Long: {}\r\n", "y".repeat(246)).bytes());
    let small = drive_greedy(HeadParser::response(Config::DEFAULT), &fits, 256);
    assert_eq!(small.result, Ok(Some(fits.len())));
}
