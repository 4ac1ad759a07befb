//! Every status the server sends, from requests built here, over std sockets on loopback,
//! against the blocking and the async server; after each hostile input the next good
//! request gets 200.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use towel::http::server::ServerConfig;
use towel_testkit::http_server::{
    BIG, QUICK, Server, Site, expected_rows, get, logged, page, parse, read_all, send, start,
    still_serves, table_rows, unescape,
};

fn servers() -> Vec<(Server, std::net::SocketAddr)> {
    Server::BOTH
        .iter()
        .map(|&k| (k, start::<4, 1100>(k, QUICK)))
        .collect()
}

/// `request` gets `status`, then a good request gets 200.
fn expect(addr: std::net::SocketAddr, kind: Server, request: &[u8], status: u16) {
    let reply = send(addr, request).unwrap_or_else(|| {
        panic!(
            "{kind:?}: no answer to {:?}",
            String::from_utf8_lossy(request)
        )
    });
    assert_eq!(
        reply.status,
        status,
        "{kind:?}: {:?} -> {}",
        String::from_utf8_lossy(&request[..request.len().min(80)]),
        reply.text()
    );
    still_serves(addr);
}

#[test]
fn the_page_is_a_table_of_the_pins_with_escaped_labels() {
    for (kind, addr) in servers() {
        let reply = get(addr, "/");
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let html = reply.text();
        let rows: Vec<_> = table_rows(&html)
            .into_iter()
            .map(|(label, value)| (unescape(&label), value))
            .collect();
        assert_eq!(rows, expected_rows(), "{kind:?}");
        // Escaped in the source, not raw.
        let raw = table_rows(&html);
        assert_eq!(raw[2].0, "&lt;a&amp;b&gt;");
        assert_eq!(raw[3].0, "&quot;q&quot;");
        let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
        let title = dom.query_selector("title").unwrap().next().unwrap();
        let title = title.get(dom.parser()).unwrap().inner_text(dom.parser());
        assert_eq!(unescape(&title), "Pins <&> of \"test\"");
    }
}

#[test]
fn the_json_has_the_same_pins() {
    for (kind, addr) in servers() {
        let reply = get(addr, "/pins.json");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(json["title"], "Pins <&> of \"test\"");
        let pins = json["pins"].as_array().unwrap();
        let got: Vec<(String, String)> = pins
            .iter()
            .map(|p| {
                let value = match &p["value"] {
                    serde_json::Value::Null => "error".to_owned(),
                    v => v.to_string(),
                };
                (p["pin"].as_str().unwrap().to_owned(), value)
            })
            .collect();
        assert_eq!(got, expected_rows(), "{kind:?}");
    }
}

#[test]
fn head_gets_the_headers_alone_with_the_get_length() {
    for (kind, addr) in servers() {
        let page = get(addr, "/");
        let head = send(addr, b"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
        assert_eq!(head.status, 200, "{kind:?}");
        assert!(head.body.is_empty());
        assert_eq!(
            head.header("content-length").unwrap(),
            page.body.len().to_string()
        );
    }
}

#[test]
fn unknown_paths_get_404_and_http10_is_served() {
    for (kind, addr) in servers() {
        expect(addr, kind, b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", 404);
        expect(addr, kind, b"HEAD /nope HTTP/1.0\r\n\r\n", 404);
        // A refused HEAD gets no body either.
        expect(addr, kind, b"HEAD / HTTP/1.1\r\n\r\n", 400);
        expect(
            addr,
            kind,
            b"HEAD / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
        );
        expect(addr, kind, b"GET / HTTP/1.0\r\n\r\n", 200);
        // Not origin or absolute form, or not UTF-8: a path no route matches.
        expect(addr, kind, b"GET pins HTTP/1.1\r\nHost: t\r\n\r\n", 404);
        expect(addr, kind, b"GET /\xff HTTP/1.1\r\nHost: t\r\n\r\n", 404);
        expect(
            addr,
            kind,
            b"GET http://esp/pins.json?x HTTP/1.1\r\nHost: esp\r\n\r\n",
            200,
        );
    }
}

#[test]
fn other_methods_get_405_with_allow() {
    for (kind, addr) in servers() {
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"] {
            let request = format!("{method} / HTTP/1.1\r\nHost: t\r\n\r\n");
            let reply = send(addr, request.as_bytes()).unwrap();
            assert_eq!(reply.status, 405, "{kind:?} {method}");
            assert_eq!(reply.header("allow"), Some("GET, HEAD"));
        }
        still_serves(addr);
    }
}

#[test]
fn a_post_body_is_not_read_but_answered_405() {
    for (kind, addr) in servers() {
        let mut stream = TcpStream::connect(addr).unwrap();
        let body = vec![b'b'; 256 << 10];
        let head = format!(
            "POST /upload-{kind:?} HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut writer = stream.try_clone().unwrap();
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(&body);
        });
        let raw = read_all(&mut stream);
        let _ = sender.join();
        let reply = parse(&raw, false).expect("an answer");
        assert_eq!(reply.status, 405, "{kind:?}");
        still_serves(addr);
        // The log line shows the request although the body was read over it.
        let line = format!("POST /upload-{kind:?}");
        assert_eq!(logged(&line), Some(405));
    }
}

#[test]
fn malformed_requests_get_400() {
    let cases: &[&[u8]] = &[
        b"GET /\r\n\r\n",                                   // HTTP/0.9: no version
        b"GET / HTTP/1.1\r\n\r\n",                          // HTTP/1.1 without Host
        b"GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n", // no colon
        b"GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",    // obs-fold
        b"GET / HTTP/1.1\r\nHost : t\r\n\r\n",              // space before colon
        b"G(T / HTTP/1.1\r\nHost: t\r\n\r\n",               // method not a token
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\x01b\r\n\r\n", // control byte
        b"GET / FOO/1.1\r\nHost: t\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", // a TLS hello
    ];
    for (kind, addr) in servers() {
        for case in cases {
            expect(addr, kind, case, 400);
        }
    }
}

#[test]
fn versions_other_than_10_and_11_get_505() {
    for (kind, addr) in servers() {
        for v in ["HTTP/2.0", "HTTP/1.2", "HTTP/3", "HTTP/0.9"] {
            let request = format!("GET / {v}\r\nHost: t\r\n\r\n");
            expect(addr, kind, request.as_bytes(), 505);
        }
    }
}

#[test]
fn unreadable_transfer_encodings_get_501() {
    for (kind, addr) in servers() {
        expect(
            addr,
            kind,
            b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
        );
        expect(
            addr,
            kind,
            b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            501,
        );
    }
}

#[test]
fn long_targets_get_414() {
    for (kind, addr) in servers() {
        // Beyond the 1 KiB limit but within the 1100-byte buffer.
        let target = format!("/{}", "a".repeat(1030));
        let request = format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        expect(addr, kind, request.as_bytes(), 414);
        // Beyond the buffer.
        let target = format!("/{}", "a".repeat(5000));
        let request = format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        expect(addr, kind, request.as_bytes(), 414);
    }
    // A target within the limit but beyond a 512-byte buffer.
    for kind in Server::BOTH {
        let addr = start::<1, 512>(kind, QUICK);
        let request = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "b".repeat(700));
        expect(addr, kind, request.as_bytes(), 414);
    }
}

#[test]
fn big_heads_and_wanted_lines_longer_than_the_buffer_get_431() {
    for (kind, addr) in servers() {
        // 9 KiB of header lines, each small: the head limit.
        let mut request = b"GET / HTTP/1.1\r\nHost: t\r\n".to_vec();
        for i in 0..90 {
            request.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "f".repeat(90)).as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        expect(addr, kind, &request, 431);
        // One skipped line of 9 KiB: the head limit counts skipped bytes.
        let request = format!(
            "GET / HTTP/1.1\r\nHost: t\r\nCookie: {}\r\n\r\n",
            "c".repeat(9000)
        );
        expect(addr, kind, request.as_bytes(), 431);
        // A header the handler wants, longer than the buffer.
        let request = format!(
            "GET /echo HTTP/1.1\r\nHost: t\r\nX-Echo: {}\r\n\r\n",
            "e".repeat(2000)
        );
        expect(addr, kind, request.as_bytes(), 431);
        // Too many header lines.
        let mut request = b"GET / HTTP/1.1\r\nHost: t\r\n".to_vec();
        for i in 0..100 {
            request.extend_from_slice(format!("X{i}: y\r\n").as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        expect(addr, kind, &request, 431);
    }
}

#[test]
fn a_4_kib_cookie_passes_a_512_byte_buffer() {
    for kind in Server::BOTH {
        let addr = start::<1, 512>(kind, QUICK);
        let request = format!(
            "GET /echo?q=1 HTTP/1.1\r\nHost: t\r\nCookie: {}\r\nX-Echo:  kept \r\nAccept: */*\r\n\r\n",
            "c".repeat(4096)
        );
        let reply = send(addr, request.as_bytes()).unwrap();
        assert_eq!(reply.status, 200, "{kind:?}");
        assert_eq!(reply.text(), "q=1|kept");
        let page = get(addr, "/");
        assert_eq!(page.status, 200);
    }
}

#[test]
fn a_head_not_finished_in_time_gets_408_and_the_close() {
    for (kind, addr) in servers() {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n").unwrap();
        let started = Instant::now();
        let raw = read_all(&mut stream);
        let reply = parse(&raw, false).expect("an answer");
        assert_eq!(reply.status, 408, "{kind:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // A client that sends nothing at all is closed too.
        let mut idle = TcpStream::connect(addr).unwrap();
        let raw = read_all(&mut idle);
        assert_eq!(parse(&raw, false).map(|r| r.status), Some(408));
        still_serves(addr);
    }
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_frees_its_slot() {
    for kind in Server::BOTH {
        let addr = start::<1, 1100>(kind, QUICK);
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        socket.connect(&addr.into()).unwrap();
        let mut stuck: TcpStream = socket.into();
        stuck
            .write_all(b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // The one slot is held until the response deadline passes; then it serves again.
        let started = Instant::now();
        still_serves(addr);
        assert!(started.elapsed() < Duration::from_secs(8), "{kind:?}");
        // The stuck client got less than the whole body, then the close.
        let got = read_all(&mut stuck);
        assert!(got.len() < BIG, "{kind:?}: {} bytes", got.len());
    }
}

#[test]
fn a_slow_client_holds_one_slot_only() {
    for kind in Server::BOTH {
        // Three slots: the slow client and a fetch never fill them.
        let addr = start::<3, 1100>(kind, ServerConfig::DEFAULT);
        let mut slow = TcpStream::connect(addr).unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
        for _ in 0..5 {
            let started = Instant::now();
            still_serves(addr);
            assert!(started.elapsed() < Duration::from_secs(2), "{kind:?}");
        }
        slow.write_all(b"st: t\r\n\r\n").unwrap();
        let reply = parse(&read_all(&mut slow), false).unwrap();
        assert_eq!(reply.status, 200);
    }
}

#[test]
fn a_request_split_into_single_bytes_is_served() {
    for (kind, addr) in servers() {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_nodelay(true).unwrap();
        for b in b"GET /pins.json HTTP/1.1\r\nHost: t\r\nX-Echo: 1\r\n\r\n" {
            stream.write_all(&[*b]).unwrap();
            std::thread::sleep(Duration::from_millis(1));
        }
        let reply = parse(&read_all(&mut stream), false).unwrap();
        assert_eq!(reply.status, 200, "{kind:?}");
    }
}

#[test]
fn a_client_that_leaves_early_does_not_stop_the_server() {
    for (_, addr) in servers() {
        for partial in [
            &b""[..],
            b"GET",
            b"GET / HTTP/1.1\r\n",
            b"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
        ] {
            let mut stream = TcpStream::connect(addr).unwrap();
            let _ = stream.write_all(partial);
            drop(stream);
        }
        still_serves(addr);
    }
}

#[test]
fn when_slow_clients_fill_every_slot_the_oldest_heads_get_408() {
    for kind in Server::BOTH {
        let addr = start::<2, 1100>(kind, ServerConfig::DEFAULT);
        let mut slow: Vec<TcpStream> = (0..2)
            .map(|_| {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        for _ in 0..3 {
            let started = Instant::now();
            still_serves(addr);
            assert!(started.elapsed() < Duration::from_secs(1), "{kind:?}");
        }
        for s in &mut slow {
            let reply = parse(&read_all(s), false).expect("an answer");
            assert_eq!(reply.status, 408, "{kind:?}");
        }
    }
}

#[test]
fn the_embedded_nal_listen_path_serves_on_every_address() {
    use towel::http::server::{listen, serve_blocking};
    use towel::std_stack::Blocking;
    let mut stack = Blocking;
    let mut listener = listen(&mut stack, 0).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let site = &Site(page());
        let mut buffers = [[0u8; 512]; 1];
        let mut wait = towel::io::Wait::std(Duration::from_secs(1));
        serve_blocking(
            &mut Blocking,
            &mut listener,
            site,
            &mut wait,
            QUICK,
            &mut buffers,
        )
    });
    still_serves(([127, 0, 0, 1], port).into());
    // Gated on the host having IPv6 loopback, not on the connect working: a listener bound
    // to IPv4 alone must fail here wherever ::1 exists.
    if std::net::TcpListener::bind((std::net::Ipv6Addr::LOCALHOST, 0)).is_ok() {
        still_serves((std::net::Ipv6Addr::LOCALHOST, port).into());
    }
}

#[test]
fn the_blocking_server_lets_a_lone_slow_client_finish_its_head() {
    // One slot, nobody waiting: the crowded deadline does not apply (the async server cannot
    // see who waits, so it applies it whenever every slot is busy).
    let addr = start::<1, 1100>(Server::Blocking, ServerConfig::DEFAULT);
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    slow.write_all(b"st: t\r\n\r\n").unwrap();
    let reply = parse(&read_all(&mut slow), false).unwrap();
    assert_eq!(reply.status, 200);
}
