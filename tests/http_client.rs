//! Both clients against a scripted server on loopback, for what real servers will not do on
//! demand: short bodies, chunked 1.1, redirect chains and loops, 200 headers, silence,
//! trickling, garbage, a reset.

use std::time::Duration;

use towel::http::HttpError;
use towel::http::client::Options;
use towel::url::UrlError;
use towel_testkit::client::{Client, Fail, Got, fetch, fetch_both};
use towel_testkit::server::ScriptServer;

/// GET `/` from `server` with one client, default options, a 256-byte buffer, 64-byte reads.
fn fetch_root(client: Client, server: &ScriptServer, timeout: Duration) -> Result<Got, Fail> {
    fetch(
        client,
        &server.url("/"),
        &Options::DEFAULT,
        256,
        64,
        timeout,
    )
}

fn ok(status: u16, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.0 {status} OK\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

#[test]
fn sends_the_request_the_issue_asks_for() {
    let server = ScriptServer::reply(ok(200, b"hi"));
    let headers = [("Accept", "text/plain"), ("X-Trace", "a\tb")];
    let got = fetch_both(
        &server.url("/p/q?r=s#frag"),
        &Options::DEFAULT.with_headers(&headers),
        256,
        64,
    );
    assert_eq!(got.unwrap().body, Ok(b"hi".to_vec()));
    let port = server.addr.port();
    let expected = format!(
        "GET /p/q?r=s HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: towel/{}\r\n\
         Connection: close\r\nAccept: text/plain\r\nX-Trace: a\tb\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(String::from_utf8(request).unwrap(), expected);
    }
}

#[test]
fn localhost_resolves() {
    let server = ScriptServer::reply(ok(200, b"local"));
    let url = format!("http://localhost:{}/", server.addr.port());
    assert_eq!(
        fetch_both(&url, &Options::DEFAULT, 256, 64).unwrap().body,
        Ok(b"local".to_vec())
    );
}

#[test]
fn short_body_then_close_is_truncated() {
    let server =
        ScriptServer::reply(&b"HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly ten.."[..]);
    let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64).unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.content_length, Some(100));
    assert_eq!(got.body, Err(Fail::Http(HttpError::Truncated)));
    // Chunked, cut inside a chunk.
    let server =
        ScriptServer::reply(&b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nonly"[..]);
    let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64).unwrap();
    assert_eq!(got.body, Err(Fail::Http(HttpError::Truncated)));
}

#[test]
fn a_reset_is_an_error_not_the_end_of_the_body() {
    // A body framed by the close: a real RST after some of it must not pass for its end.
    let server = ScriptServer::start(|x| {
        x.write(b"HTTP/1.0 200 OK\r\n\r\npart of the body");
        std::thread::sleep(Duration::from_millis(50));
        x.reset_at_close();
    });
    for client in Client::BOTH {
        let timeout = Duration::from_secs(10);
        let got = fetch_root(client, &server, timeout).unwrap();
        assert!(
            matches!(&got.body, Err(Fail::Other(e)) if e.contains("ConnectionReset")),
            "{client:?}: {:?}",
            got.body
        );
    }
}

#[test]
fn chunked_http11_reply() {
    let server = ScriptServer::reply(
        &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n\
           7\r\nchunked\r\n1;name=value\r\n \r\nA\r\nhttp/1.1 r\r\n4\r\neply\r\n0\r\nX-Trailer: yes\r\n\r\n"[..],
    );
    // Body read 1, 3 and 4096 bytes at a time: the same bytes.
    for chunk in [1, 3, 4096] {
        let options = Options::DEFAULT.keep(&["content-type"]);
        let got = fetch_both(&server.url("/"), &options, 256, chunk).unwrap();
        assert_eq!(
            got.body,
            Ok(b"chunked http/1.1 reply".to_vec()),
            "chunk {chunk}"
        );
        assert_eq!(
            got.kept,
            [("content-type".to_string(), b"text/plain".to_vec())]
        );
        assert_eq!(got.content_length, None);
    }
}

fn redirector() -> ScriptServer {
    ScriptServer::start(|x| {
        let reply = match x.target {
            "/chain/3" => {
                "HTTP/1.0 301 Moved Permanently\r\nLocation: /chain/2\r\n\r\n".to_string()
            }
            "/chain/2" => {
                "HTTP/1.1 302 Found\r\nLocation: 1\r\nContent-Length: 3\r\n\r\nabc".to_string()
            }
            // Absolute, to the same server.
            "/chain/1" => {
                let port = x.stream.local_addr().unwrap().port();
                format!(
                    "HTTP/1.1 307 Temporary\r\nLocation: http://127.0.0.1:{port}/final?x=1#f\r\n\r\n"
                )
            }
            "/final?x=1" => "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nfinal".to_string(),
            "/loop" => {
                "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n".to_string()
            }
            "/ping" => "HTTP/1.1 303 See Other\r\nLocation: pong\r\n\r\n".to_string(),
            "/pong" => "HTTP/1.1 308 Permanent\r\nLocation: ping\r\n\r\n".to_string(),
            "/tls" => "HTTP/1.1 301 Moved\r\nLocation: https://127.0.0.1/\r\n\r\n".to_string(),
            _ => "HTTP/1.0 404 Not Found\r\n\r\nnope".to_string(),
        };
        x.write(reply.as_bytes());
    })
}

#[test]
fn redirect_chain_is_followed_when_asked() {
    let server = redirector();
    let got = fetch_both(
        &server.url("/chain/3"),
        &Options::DEFAULT.follow(5),
        256,
        64,
    )
    .unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.body, Ok(b"final".to_vec()));
    assert_eq!(got.redirects, 3);
    assert_eq!(got.url, server.url("/final?x=1"));
    // Exactly enough.
    let got = fetch_both(
        &server.url("/chain/3"),
        &Options::DEFAULT.follow(3),
        256,
        64,
    )
    .unwrap();
    assert_eq!((got.status, got.redirects), (200, 3));
    // Not followed by default: the 301 is the response, its body until close (empty).
    let got = fetch_both(&server.url("/chain/3"), &Options::DEFAULT, 256, 64).unwrap();
    assert_eq!((got.status, got.redirects, got.body), (301, 0, Ok(vec![])));
    assert_eq!(got.reason, b"Moved Permanently");
}

#[test]
fn redirect_loops_end_in_an_error() {
    let server = redirector();
    for path in ["/loop", "/ping"] {
        let got = fetch_both(&server.url(path), &Options::DEFAULT.follow(4), 256, 64);
        assert_eq!(got, Err(Fail::TooManyRedirects(4)), "{path}");
    }
    let got = fetch_both(
        &server.url("/chain/3"),
        &Options::DEFAULT.follow(2),
        256,
        64,
    );
    assert_eq!(got, Err(Fail::TooManyRedirects(2)));
    let got = fetch_both(&server.url("/tls"), &Options::DEFAULT.follow(2), 256, 64);
    assert_eq!(got, Err(Fail::Location(UrlError::Https)));
}

#[test]
fn two_hundred_headers_through_a_256_byte_buffer() {
    let mut head = String::from("HTTP/1.0 200 OK\r\n");
    for i in 0..200 {
        head.push_str(&format!(
            "X-Header-{i}: value number {i} of two hundred\r\n"
        ));
        if i == 150 {
            head.push_str("Content-Type: text/late\r\n");
        }
    }
    head.push_str("Content-Length: 4\r\n\r\nbody");
    let server = ScriptServer::reply(head);
    let options = Options {
        config: towel::http::Config {
            limits: towel::http::Limits {
                max_headers: 256,
                ..Default::default()
            },
            ..Default::default()
        },
        ..Options::DEFAULT.keep(&["Content-Type", "X-Header-7"])
    };
    let got = fetch_both(&server.url("/"), &options, 256, 64).unwrap();
    assert_eq!(got.body, Ok(b"body".to_vec()));
    assert_eq!(
        got.kept,
        [
            ("Content-Type".to_string(), b"text/late".to_vec()),
            (
                "X-Header-7".to_string(),
                b"value number 7 of two hundred".to_vec()
            ),
        ]
    );
    // The parser's default limit (64 header lines) is an error with a name.
    let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64);
    assert_eq!(got, Err(Fail::Http(HttpError::TooManyHeaders)));
}

#[test]
fn a_reply_that_never_comes_times_out() {
    let server = ScriptServer::start(|x| x.hang());
    for client in Client::BOTH {
        let got = fetch_root(client, &server, Duration::from_millis(300));
        assert_eq!(got, Err(Fail::Timeout), "{client:?}");
    }
    // A body that stops in the middle times out as well.
    let server = ScriptServer::start(|x| {
        x.write(b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nhalf.");
        x.hang();
    });
    for client in Client::BOTH {
        let got = fetch_root(client, &server, Duration::from_millis(300));
        assert_eq!(got.unwrap().body, Err(Fail::Timeout), "{client:?}");
    }
}

#[test]
fn a_reply_trickled_one_byte_at_a_time() {
    let reply =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
                  4\r\ndrip\r\n4\r\ndrop\r\n0\r\n\r\n";
    let server = ScriptServer::start(move |x| x.trickle(reply));
    let options = Options::DEFAULT.keep(&["Content-Type"]);
    let got = fetch_both(&server.url("/"), &options, 256, 64).unwrap();
    assert_eq!(got.body, Ok(b"dripdrop".to_vec()));
    assert_eq!(
        got.kept,
        [("Content-Type".to_string(), b"text/plain".to_vec())]
    );
}

#[test]
fn garbage_instead_of_a_status_line() {
    for garbage in [
        &b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"[..],
        b"<html><body>HTTP/0.9 style</body></html>\r\n",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP/1.0 OK\r\n\r\n",
    ] {
        let server = ScriptServer::reply(garbage);
        let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64);
        assert!(
            matches!(
                got,
                Err(Fail::Http(HttpError::BadVersion | HttpError::BadStatus))
            ),
            "{:?}: {got:?}",
            String::from_utf8_lossy(garbage)
        );
    }
    // Binary garbage without a line end, then close.
    let server = ScriptServer::reply(&[0u8, 1, 2, 0xff, 0xfe][..]);
    let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64);
    assert_eq!(got, Err(Fail::Http(HttpError::ControlByte)));
    // Nothing at all, then close.
    let server = ScriptServer::reply(Vec::new());
    assert_eq!(
        fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64),
        Err(Fail::Closed)
    );
}

#[test]
fn errors_before_any_io() {
    assert_eq!(
        fetch_both("https://127.0.0.1/", &Options::DEFAULT, 256, 64),
        Err(Fail::Url(UrlError::Https))
    );
    assert_eq!(
        fetch_both("http://127.0.0.1/a b", &Options::DEFAULT, 256, 64),
        Err(Fail::Url(UrlError::InvalidByte { position: 18 }))
    );
}

#[test]
fn nobody_listening_is_a_connect_error() {
    let refused = towel_testkit::refused::Refused::new();
    let port = refused.port();
    let got = fetch_both(
        &format!("http://127.0.0.1:{port}/"),
        &Options::DEFAULT,
        256,
        64,
    );
    assert_eq!(got, Err(Fail::Connect { tried: 1 }));
}

#[test]
fn status_and_body_for_any_status() {
    let server = ScriptServer::reply(
        &b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!"[..],
    );
    let got: Got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, 64).unwrap();
    assert_eq!(
        (got.status, got.reason.as_slice(), got.body),
        (500, &b"Internal Server Error"[..], Ok(b"oops!".to_vec()))
    );
}

/// A chunk-size line with whitespace and no `;`, or a `;` with no extension name, is a bad
/// chunk line through both clients (RFC 9112 §7.1.1, as llhttp reads it), whether it is the
/// first chunk's or comes after a good one.
#[test]
fn bad_chunk_lines_are_refused_by_both_clients() {
    for line in [&b"5 "[..], b"5\t", b"5;", b"5 ;", b"5;=v", b"5;a;"] {
        for after_good in [false, true] {
            // The bad line first, or after a good chunk.
            let mut reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            if after_good {
                reply.extend_from_slice(b"3;ok=1\r\nabc\r\n");
            }
            reply.extend_from_slice(line);
            reply.extend_from_slice(b"\r\nhello\r\n0\r\n\r\n");
            let server = ScriptServer::reply(reply);
            for chunk in [1, 4096] {
                let got = fetch_both(&server.url("/"), &Options::DEFAULT, 256, chunk).unwrap();
                assert_eq!(got.status, 200);
                assert_eq!(
                    got.body,
                    Err(Fail::Http(HttpError::InvalidChunkExtension)),
                    "{} (after a good chunk: {after_good}, reads of {chunk})",
                    String::from_utf8_lossy(line)
                );
            }
        }
    }
}

#[test]
fn a_broken_body_stays_broken() {
    let reply =
        &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXYZ\r\n0\r\n\r\n"[..];
    let server = ScriptServer::reply(reply);
    let url = server.url("/");
    let mut buf = [0u8; 256];
    let mut out = [0u8; 64];
    {
        use embedded_io::Read;
        let mut stack = towel::std_stack::Blocking;
        let wait = towel::io::Wait::std(Duration::from_secs(30));
        let mut response =
            towel::http::client::get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf).unwrap();
        assert_eq!(
            response
                .body
                .read(&mut out)
                .map_err(towel_testkit::client::fail),
            Ok(3)
        );
        for _ in 0..3 {
            let again = response
                .body
                .read(&mut out)
                .map_err(towel_testkit::client::fail);
            assert_eq!(again, Err(Fail::Http(HttpError::BadChunkEnd)));
        }
    }
    futures_lite::future::block_on(async {
        use embedded_io_async::Read;
        let stack = towel::std_stack::Async::default();
        let mut response =
            towel::http::client::get_async(&stack, &stack, &url, &Options::DEFAULT, &mut buf)
                .await
                .unwrap();
        assert_eq!(
            response
                .body
                .read(&mut out)
                .await
                .map_err(towel_testkit::client::fail),
            Ok(3)
        );
        for _ in 0..3 {
            let again = response
                .body
                .read(&mut out)
                .await
                .map_err(towel_testkit::client::fail);
            assert_eq!(again, Err(Fail::Http(HttpError::BadChunkEnd)));
        }
    });
}

/// Dropping the async GET at any await (here: while it waits for a head that never comes, and
/// while it waits for the rest of a body) leaves nothing behind: the same buffer serves the next
/// request, and the dropped connections are closed (the silent server sees EOF).
#[test]
fn the_async_get_is_cancel_safe() {
    use embedded_io_async::Read;
    use towel_testkit::client::with_timeout;
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let silent = ScriptServer::start(move |x| {
        x.hang();
        let _ = closed_tx.send(());
    });
    let good = ScriptServer::reply(ok(200, b"after"));
    let stack = towel::std_stack::Async::default();
    let mut buf = [0u8; 256];
    futures_lite::future::block_on(async {
        let url = silent.url("/");
        let cancelled = with_timeout(
            Duration::from_millis(200),
            towel::http::client::get_async(&stack, &stack, &url, &Options::DEFAULT, &mut buf),
        )
        .await;
        assert!(matches!(cancelled, Err(Fail::Timeout)));
        let url = good.url("/");
        let mut response =
            towel::http::client::get_async(&stack, &stack, &url, &Options::DEFAULT, &mut buf)
                .await
                .unwrap();
        let mut out = [0u8; 16];
        let n = response.body.read(&mut out).await.unwrap();
        assert_eq!(&out[..n], b"after");
    });
    closed_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the cancelled connection was closed");
}
