//! getaddrinfo and connect on the real PC stacks (towel's `std_stack::Blocking`,
//! std-embedded-nal-async), against std listeners on loopback.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use embedded_io::{Read, Write};
use towel::io::{IoError, IoOp, Wait};
use towel::std_stack::{Async, Blocking};
use towel::{
    ConnectError, Error, Hint, ResolveError, connect, connect_async, getaddrinfo, getaddrinfo_async,
};
use towel_testkit::refused::Refused;

fn wait() -> Wait<towel::io::StdClock, towel::io::Sleep> {
    Wait::std(Duration::from_secs(10))
}

#[test]
fn localhost_and_a_literal_resolve() {
    let mut stack = Blocking;
    let got = getaddrinfo(&mut stack, "localhost", 8080, Hint::Ipv4First, &mut wait()).unwrap();
    assert_eq!(
        got.as_slice(),
        [
            "127.0.0.1:8080".parse().unwrap(),
            "[::1]:8080".parse().unwrap()
        ]
    );
    let got = getaddrinfo(&mut stack, "127.0.0.1", 80, Hint::Ipv4First, &mut wait()).unwrap();
    assert_eq!(got.as_slice(), ["127.0.0.1:80".parse().unwrap()]);

    let stack = Async::default();
    let got =
        futures_lite::future::block_on(getaddrinfo_async(&stack, "127.0.0.1", 80, Hint::Ipv4Only))
            .unwrap();
    assert_eq!(got.as_slice(), ["127.0.0.1:80".parse().unwrap()]);
}

#[test]
fn the_os_resolver_is_asked_for_names() {
    // A name that cannot exist (RFC 6761 `.invalid`) reaches the OS resolver and comes back
    // as the resolver's own error.
    let mut stack = Blocking;
    let got = getaddrinfo(
        &mut stack,
        "no-such-host.invalid",
        80,
        Hint::Ipv4Only,
        &mut wait(),
    );
    assert!(
        matches!(&got, Err(ResolveError::Resolver { host, .. }) if host.as_bytes() == b"no-such-host.invalid"),
        "{got:?}"
    );
    let message = got.unwrap_err().to_string();
    assert!(
        message.starts_with("looking up no-such-host.invalid failed: "),
        "{message}"
    );
}

#[test]
fn connect_reaches_a_listener_and_talks() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut peer, _) = listener.accept().unwrap();
        let mut got = [0u8; 4];
        peer.read_exact(&mut got).unwrap();
        peer.write_all(b"pong").unwrap();
        got
    });

    let mut stack = Blocking;
    let (mut conn, reached) = connect(&mut stack, &[addr], wait()).unwrap();
    assert_eq!(reached, addr);
    conn.write_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    conn.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"pong");
    assert_eq!(server.join().unwrap(), *b"ping");
    // The server dropped its end: the end of stream is a read of 0.
    assert_eq!(conn.read(&mut buf).unwrap(), 0);
    conn.close().unwrap();
}

#[test]
fn connect_falls_through_a_refused_address() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let good = listener.local_addr().unwrap();
    let refused = Refused::new();
    let bad = refused.addr;

    let mut stack = Blocking;
    let (conn, reached) = connect(&mut stack, &[bad, good], wait()).unwrap();
    assert_eq!(reached, good);
    drop(conn);
    listener.accept().unwrap();

    let stack = Async::default();
    let (_conn, reached) =
        futures_lite::future::block_on(connect_async(&stack, &[bad, good])).unwrap();
    assert_eq!(reached, good);
}

#[test]
fn connect_says_what_was_tried() {
    let (first, second) = (Refused::new(), Refused::new());
    let (a, b) = (first.addr, second.addr);
    let mut stack = Blocking;
    match connect(&mut stack, &[a, b], wait()) {
        Err(ConnectError::Failed {
            tried: 2,
            last,
            error,
        }) => {
            assert_eq!(last, b);
            assert_eq!(error.0.kind(), std::io::ErrorKind::ConnectionRefused)
        }
        other => panic!("{:?}", other.map(|(_, addr)| addr)),
    }
    let e = connect(&mut stack, &[a], wait())
        .map(|(_, addr)| addr)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("could not connect to {a} (1 address tried): Connection refused (os error 111)")
    );
    assert!(matches!(
        connect(&mut stack, &[], wait()).map(|(_, a)| a),
        Err(ConnectError::NoAddress)
    ));

    let stack = Async::default();
    match futures_lite::future::block_on(connect_async(&stack, &[a, b])) {
        Err(ConnectError::Failed {
            tried: 2,
            last,
            error,
        }) => {
            assert_eq!(last, b);
            assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused)
        }
        other => panic!("{:?}", other.map(|(_, addr)| addr)),
    }
}

#[test]
fn a_silent_peer_makes_read_time_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut stack = Blocking;
    let (mut conn, _) = connect(&mut stack, &[addr], Wait::std(Duration::from_millis(30))).unwrap();
    let _peer = listener.accept().unwrap();
    let mut buf = [0u8; 8];
    let err = conn.read(&mut buf).unwrap_err();
    assert!(
        matches!(err, IoError::Timeout { during: IoOp::Read, after_ms } if after_ms >= 30),
        "{err:?}"
    );
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::TimedOut
    );
}

/// Resolve and connect in one function, one error type, `?` throughout.
fn resolve_and_connect(host: &str, port: u16) -> Result<SocketAddr, towel::std_stack::Error> {
    let mut stack = Blocking;
    let mut wait = wait();
    let addrs = getaddrinfo(&mut stack, host, port, Hint::Ipv4Only, &mut wait)?;
    let (conn, reached) = connect(&mut stack, &addrs, wait)?;
    conn.close()?;
    Ok(reached)
}

#[test]
fn resolve_then_connect_share_one_error_type() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    assert_eq!(
        resolve_and_connect("localhost", port).unwrap(),
        listener.local_addr().unwrap()
    );
    assert!(matches!(
        resolve_and_connect("a..b", port),
        Err(Error::Resolve(ResolveError::Host { .. }))
    ));
    let refused = Refused::new();
    assert!(matches!(
        resolve_and_connect("127.0.0.1", refused.port()),
        Err(Error::Connect(ConnectError::Failed { tried: 1, .. }))
    ));
}

#[test]
fn a_connect_nobody_answers_stops_at_the_deadline() {
    let unanswered = towel_testkit::unanswered::Unanswered::start();
    let addr = unanswered.addr;
    let mut stack = Blocking;
    let started = std::time::Instant::now();
    let got = connect(&mut stack, &[addr], Wait::std(Duration::from_millis(200)));
    assert!(
        matches!(got, Err(ConnectError::Timeout { addr: a, tried: 1, after_ms }) if a == addr && after_ms >= 200),
        "{:?}",
        got.map(|(_, a)| a)
    );
    // The OS would have gone on for minutes; the wait's 200 ms bound it (generous margin for a
    // loaded machine: this checks the bound, not speed).
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_blocking_stack_refuses_io_before_connect_and_keeps_a_connection() {
    use embedded_nal::{TcpClientStack, nb};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut stack = Blocking;
    let mut socket = stack.socket().unwrap();
    let not_connected = |r: nb::Result<usize, towel::std_stack::TcpError>| match r {
        Err(nb::Error::Other(e)) => e.0.kind() == std::io::ErrorKind::NotConnected,
        _ => false,
    };
    assert!(not_connected(stack.send(&mut socket, b"x")));
    assert!(not_connected(stack.receive(&mut socket, &mut [0u8; 4])));

    // Connect until done, then again: still the same connection.
    while let Err(nb::Error::WouldBlock) = stack.connect(&mut socket, addr) {}
    let (mut peer, _) = listener.accept().unwrap();
    assert!(matches!(stack.connect(&mut socket, addr), Ok(())));
    assert!(matches!(stack.send(&mut socket, b"hi"), Ok(2)));
    let mut got = [0u8; 2];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"hi");
    stack.close(socket).unwrap();
    assert_eq!(
        peer.read(&mut got).unwrap(),
        0,
        "close is the end for the peer"
    );
}
