//! towel's HTTP head parser beside httparse, on the same heads, in one run.
//!
//! `cargo bench --bench http_parse` runs criterion's groups (towel and httparse side by side
//! per head), then prints, per head, both times and the ratio towel / httparse from an
//! interleaved measurement (best of several rounds each), and the time to read an 8 KiB head
//! through a 256-byte buffer.
//!
//! Both sides do the same work per call: the same bytes (through `black_box`), a fresh array of
//! 64 empty header slots (`Header::EMPTY` / `httparse::EMPTY_HEADER`, filled by the same vector
//! stores), the whole head parsed, the count of fields returned; before timing, both must find
//! the same count. towel does a little more: it checks the body framing (Content-Length parsed,
//! Connection and Transfer-Encoding noted). httparse picks its SIMD at run time (AVX2 here);
//! towel is safe scalar code.
//!
//! Figures (ratio towel / httparse, 2-core shared x86_64, Xeon family 6 model 207, five runs of
//! `cargo bench --bench http_parse -- zzz`, 2026-11-26): browser request 0.88-0.91 (median
//! 0.90), nginx response 0.94-0.95 (median 0.94), 30 headers 0.97-0.98 (median 0.98); 8 KiB
//! head through a 256-byte buffer 0.95-0.96 (median 0.96) of httparse's one-slice time. Before
//! the one-slice fast path (start line, fields and end without events), same machine and hour:
//! medians 0.95, 1.03, 1.00 and 0.96; before the one-pass line work: 1.24, 1.46, 1.35 and 0.98.
//!
//! The one-slice fast path (`parse_slice` in src/http/slice.rs: start line, fields and the end
//! without events) took the fixed cost per head (status line, end, result) from about 390
//! instructions to 210 (callgrind). On the path that decides where the next line starts,
//! anything computed from loaded bytes (a name length by bit tricks, a branch-free skip of the
//! space) measured slower than predicted branches, even with fewer instructions.
//!
//! These loops run at about four instructions per cycle, so code placement counts: a build
//! with every function 64-byte aligned (`RUSTFLAGS="-C llvm-args=-align-all-functions=6"`)
//! moved the 30-header row by up to 8% against a build where `HeadParser::fields` sat 32 bytes
//! further. An unrelated edit can move a row by that much; callgrind's instruction counts
//! (valgrind) are the steadier guide.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use towel::http::{Config, Event, HeadParser, Header, Parsed, RequestHead, ResponseHead, Step};

/// A browser's GET (Firefox 128 on Linux).
const BROWSER: &[u8] = b"GET /wiki/Hypertext_Transfer_Protocol HTTP/1.1\r\n\
Host: en.wikipedia.org\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: en-US,en;q=0.5\r\n\
Accept-Encoding: gzip, deflate, br, zstd\r\n\
Referer: https://en.wikipedia.org/wiki/Main_Page\r\n\
Connection: keep-alive\r\n\
Cookie: WMF-Last-Access=26-Nov-2026; GeoIP=DE:BE:Berlin:52.52:13.40:v4; enwikimwuser-sessionId=7f3c2a9b1e\r\n\
Upgrade-Insecure-Requests: 1\r\n\
Sec-Fetch-Dest: document\r\n\
Sec-Fetch-Mode: navigate\r\n\
Sec-Fetch-Site: same-origin\r\n\
Sec-Fetch-User: ?1\r\n\
Priority: u=0, i\r\n\r\n";

fn nginx_head() -> Vec<u8> {
    let raw = include_bytes!("../tests/data/captures/nginx-get-index.http10.bin");
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
    raw[..end].to_vec()
}

fn thirty_headers() -> Vec<u8> {
    let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
    let names = [
        "Server",
        "Date",
        "Content-Type",
        "Content-Length",
        "Connection",
        "Cache-Control",
        "Expires",
        "Last-Modified",
        "ETag",
        "Accept-Ranges",
        "Vary",
        "Age",
        "X-Cache",
        "X-Cache-Hits",
        "X-Served-By",
        "X-Timer",
        "Via",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
        "Access-Control-Allow-Origin",
        "Set-Cookie",
        "Set-Cookie",
        "Link",
        "Alt-Svc",
        "Report-To",
        "NEL",
        "Permissions-Policy",
    ];
    let values = [
        "nginx/1.22.1",
        "Thu, 26 Nov 2026 06:21:50 GMT",
        "text/html; charset=utf-8",
        "112",
        "keep-alive",
        "public, max-age=3600",
        "Thu, 26 Nov 2026 07:21:50 GMT",
        "Thu, 26 Nov 2026 06:21:39 GMT",
        "\"6b07cff3-70\"",
        "bytes",
        "Accept-Encoding",
        "42",
        "HIT",
        "3",
        "cache-ber-1234-BER",
        "S1764138110.123456,VS0,VE1",
        "1.1 varnish",
        "max-age=31536000; includeSubDomains",
        "nosniff",
        "SAMEORIGIN",
        "strict-origin-when-cross-origin",
        "default-src 'self'; img-src *",
        "*",
        "session=abcdef0123456789; Path=/; HttpOnly",
        "theme=dark; Path=/; Max-Age=31536000",
        "</style.css>; rel=preload; as=style",
        "h3=\":443\"; ma=86400",
        "{\"group\":\"nel\",\"max_age\":86400}",
        "{\"report_to\":\"nel\",\"max_age\":86400}",
        "geolocation=(), camera=()",
    ];
    for (n, v) in names.iter().zip(values) {
        head.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// About 8 KiB of head, no line over 256 bytes.
fn head_8k() -> Vec<u8> {
    let mut head = nginx_head();
    head.truncate(head.len() - 2);
    let mut i = 0;
    while head.len() < 8190 {
        let line = format!("Set-Cookie: c{i}={}; Path=/\r\n", "v".repeat(200));
        head.extend_from_slice(line.as_bytes());
        i += 1;
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn towel_request(buf: &[u8]) -> usize {
    let mut headers = [Header::default(); 64];
    match RequestHead::parse(buf, &mut headers, &Config::DEFAULT) {
        Ok(Parsed::Complete(r)) => r.headers.len(),
        _ => panic!("towel rejects the head"),
    }
}

fn httparse_request(buf: &[u8]) -> usize {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(_)) => req.headers.len(),
        _ => panic!("httparse rejects the head"),
    }
}

fn towel_response(buf: &[u8]) -> usize {
    let mut headers = [Header::default(); 64];
    match ResponseHead::parse(buf, &mut headers, &Config::DEFAULT) {
        Ok(Parsed::Complete(r)) => r.headers.len(),
        _ => panic!("towel rejects the head"),
    }
}

fn httparse_response(buf: &[u8]) -> usize {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut res = httparse::Response::new(&mut headers);
    match res.parse(buf) {
        Ok(httparse::Status::Complete(_)) => res.headers.len(),
        _ => panic!("httparse rejects the head"),
    }
}

/// A client reading `head` through a 256-byte buffer, in reads that fill it: counts the fields.
fn towel_through_256(head: &[u8]) -> usize {
    let mut buf = [0u8; 256];
    let mut parser = HeadParser::response(Config::DEFAULT).with_buffer_len(buf.len());
    let (mut filled, mut fed, mut fields) = (0, 0, 0);
    loop {
        let used = match parser.parse(&buf[..filled]) {
            Ok(Step::NeedMore) => {
                let n = (buf.len() - filled).min(head.len() - fed);
                assert!(n > 0, "head ended early");
                buf[filled..filled + n].copy_from_slice(&head[fed..fed + n]);
                filled += n;
                fed += n;
                continue;
            }
            Ok(Step::Event(Event::End(_), _)) => return fields,
            Ok(Step::Event(Event::Header(_), used)) => {
                fields += 1;
                used
            }
            Ok(Step::Event(_, used)) => used,
            Err(e) => panic!("{e}"),
        };
        buf.copy_within(used..filled, 0);
        filled -= used;
    }
}

type Case = (
    &'static str,
    Vec<u8>,
    fn(&[u8]) -> usize,
    fn(&[u8]) -> usize,
);

fn cases() -> Vec<Case> {
    vec![
        (
            "browser request",
            BROWSER.to_vec(),
            towel_request,
            httparse_request,
        ),
        (
            "nginx response",
            nginx_head(),
            towel_response,
            httparse_response,
        ),
        (
            "30 headers",
            thirty_headers(),
            towel_response,
            httparse_response,
        ),
    ]
}

/// Best time per call of `f` over `rounds` rounds of `iters` calls.
fn best(f: &dyn Fn() -> usize, iters: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(iters)
}

/// Interleaved rounds of both sides; the best round of each.
fn side_by_side(a: &dyn Fn() -> usize, b: &dyn Fn() -> usize, quick: bool) -> (f64, f64) {
    let (rounds, iters) = if quick { (2, 100) } else { (30, 20_000) };
    let (mut ta, mut tb) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        ta = ta.min(best(a, iters));
        tb = tb.min(best(b, iters));
    }
    (ta, tb)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .configure_from_args();
    for (name, head, towel, other) in cases() {
        assert_eq!(
            towel(&head),
            other(&head),
            "{name}: both see the same fields"
        );
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(head.len() as u64));
        group.bench_function("towel", |b| b.iter(|| towel(black_box(&head))));
        group.bench_function("httparse", |b| b.iter(|| other(black_box(&head))));
        group.finish();
    }
    let big = head_8k();
    assert_eq!(towel_through_256(&big), towel_response(&big));
    let mut group = c.benchmark_group("8 KiB head");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("towel through 256 B", |b| {
        b.iter(|| towel_through_256(black_box(&big)))
    });
    group.bench_function("towel one slice", |b| {
        b.iter(|| towel_response(black_box(&big)))
    });
    group.bench_function("httparse one slice", |b| {
        b.iter(|| httparse_response(black_box(&big)))
    });
    group.finish();
    c.final_summary();
    if std::env::args().any(|a| a == "--profile-time") {
        return;
    }

    println!("\nside by side, best of interleaved rounds (ns per head):");
    println!(
        "{:<18} {:>10} {:>10} {:>8}",
        "head", "towel", "httparse", "ratio"
    );
    for (name, head, towel, other) in cases() {
        let (t, h) = side_by_side(
            &|| towel(black_box(&head)),
            &|| other(black_box(&head)),
            quick,
        );
        println!("{name:<18} {t:>10.1} {h:>10.1} {:>8.3}", t / h);
    }
    let (t, h) = side_by_side(
        &|| towel_through_256(black_box(&big)),
        &|| httparse_response(black_box(&big)),
        quick,
    );
    println!(
        "{:<18} {t:>10.1} {h:>10.1} {:>8.3}   ({} bytes; towel through a 256-byte buffer, httparse in one slice)",
        "8 KiB head",
        t / h,
        big.len()
    );
}
