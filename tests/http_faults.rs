//! A scripted network stack (blocking embedded-nal and async embedded-nal-async, from
//! towel-testkit's `stack`) for the faults real servers cannot be made to show: WouldBlock (or
//! a pending poll) between every byte, writes that take one byte at a time, a reset in the
//! middle of the head and of the body, a stack error on connect. Not a substitute for the real servers (tests/http_real_servers.rs).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use towel::error::{Phase, Timeout};
use towel::http::HttpError;
use towel::http::client::{Options, get, get_async};
use towel::io::{IoError, Spin, Wait};
use towel::{ConnectError, Error};
use towel_testkit::clock::TickClock;
use towel_testkit::stack::{Fault, Script, ScriptStack};

type Outcome = Result<(u16, Result<Vec<u8>, Error<Fault>>), Error<Fault>>;

fn blocking(peer: &mut ScriptStack, url: &str, options: &Options<'_>) -> Outcome {
    use embedded_io::Read;
    let mut buf = [0u8; 256];
    let wait = Wait::new(TickClock::new(1), Spin, 1_000);
    let mut response = get(peer, wait, url, options, &mut buf)?;
    let mut body = Vec::new();
    let mut out = [0u8; 7];
    let body = loop {
        match response.body.read(&mut out) {
            Ok(0) => break Ok(body),
            Ok(n) => body.extend_from_slice(&out[..n]),
            Err(e) => break Err(e.into()),
        }
    };
    Ok((response.head.status(), body))
}

fn nonblocking(peer: &ScriptStack, url: &str, options: &Options<'_>) -> Outcome {
    use embedded_io_async::Read;
    futures_lite::future::block_on(async {
        let mut buf = [0u8; 256];
        let mut response = get_async(peer, peer, url, options, &mut buf).await?;
        let mut body = Vec::new();
        let mut out = [0u8; 7];
        let body = loop {
            match response.body.read(&mut out).await {
                Ok(0) => break Ok(body),
                Ok(n) => body.extend_from_slice(&out[..n]),
                Err(e) => break Err(e.into()),
            }
        };
        Ok((response.head.status(), body))
    })
}

/// Runs `script` through both clients; asserts they agree, every socket opened was closed,
/// and returns the outcome with the bytes the peer received.
fn both(script: Script, url: &str, options: &Options<'_>) -> (Outcome, Vec<u8>) {
    let mut peer = ScriptStack::new(script.clone());
    let first = blocking(&mut peer, url, options);
    let log = peer.log.borrow();
    assert_eq!(log.opened, log.closed, "blocking: a socket was not closed");
    let sent = log.sent.clone();
    drop(log);
    let peer = ScriptStack::new(script);
    let second = nonblocking(&peer, url, options);
    let log = peer.log.borrow();
    assert_eq!(
        log.opened, log.closed,
        "async: a connection was not dropped"
    );
    assert_eq!(first, second, "blocking and async disagree");
    assert_eq!(sent, log.sent, "blocking and async sent different bytes");
    (first, sent)
}

const REPLY: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";

fn expected_request(host: &str) -> Vec<u8> {
    format!(
        "GET /x HTTP/1.0\r\nHost: {host}\r\nUser-Agent: towel/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

#[test]
fn calm_peer() {
    let script = Script {
        reply: REPLY.to_vec(),
        ..Script::default()
    };
    let (got, sent) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
    assert_eq!(got, Ok((200, Ok(b"hello, world".to_vec()))));
    assert_eq!(sent, expected_request("10.0.0.1"));
}

#[test]
fn would_block_between_every_byte() {
    let script = Script {
        reply: REPLY.to_vec(),
        stutter: true,
        ..Script::default()
    };
    let (got, sent) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
    assert_eq!(got, Ok((200, Ok(b"hello, world".to_vec()))));
    assert_eq!(sent, expected_request("10.0.0.1"));
}

#[test]
fn writes_that_take_one_byte_at_a_time() {
    let script = Script {
        reply: REPLY.to_vec(),
        stutter: true,
        write_max: Some(1),
        ..Script::default()
    };
    let (got, sent) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
    assert_eq!(got, Ok((200, Ok(b"hello, world".to_vec()))));
    assert_eq!(sent, expected_request("10.0.0.1"));
}

#[test]
fn reset_in_the_middle_of_the_head() {
    for at in [0, 1, 10, 40] {
        let script = Script {
            reply: REPLY.to_vec(),
            reset_after: Some(at),
            ..Script::default()
        };
        let (got, _) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
        assert_eq!(
            got,
            Err(Error::Io(IoError::Stack(Fault::Reset))),
            "reset after {at} bytes"
        );
    }
}

#[test]
fn reset_in_the_middle_of_the_body() {
    let head_len = REPLY.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    for extra in [0, 3, 9] {
        for stutter in [false, true] {
            let script = Script {
                reply: REPLY.to_vec(),
                stutter,
                reset_after: Some(head_len + extra),
                ..Script::default()
            };
            let (got, _) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
            let (status, body) = got.unwrap();
            assert_eq!(
                (status, body),
                (200, Err(Error::Io(IoError::Stack(Fault::Reset)))),
                "reset at body byte {extra}"
            );
        }
    }
}

#[test]
fn a_stack_error_on_connect() {
    let refuse = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ];
    let script = Script {
        reply: REPLY.to_vec(),
        refuse,
        ..Script::default()
    };
    let (got, sent) = both(script, "http://fake.example/x", &Options::DEFAULT);
    assert_eq!(
        got,
        Err(Error::Connect(ConnectError::Failed {
            tried: 2,
            last: "[::1]:80".parse().unwrap(),
            error: Fault::Refused
        }))
    );
    assert!(sent.is_empty());
}

#[test]
fn each_address_is_tried_in_turn() {
    let script = Script {
        reply: REPLY.to_vec(),
        stutter: true,
        refuse: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        ..Script::default()
    };
    let mut peer = ScriptStack::new(script.clone());
    let got = blocking(&mut peer, "http://fake.example:8080/x", &Options::DEFAULT);
    assert_eq!(got, Ok((200, Ok(b"hello, world".to_vec()))));
    let connects = peer.log.borrow().connects.clone();
    assert_eq!(
        connects,
        [
            "127.0.0.1:8080".parse().unwrap(),
            "[::1]:8080".parse::<SocketAddr>().unwrap()
        ]
    );
    let peer = ScriptStack::new(script);
    assert_eq!(
        nonblocking(&peer, "http://fake.example:8080/x", &Options::DEFAULT),
        got
    );
    assert_eq!(peer.log.borrow().connects, connects);
}

#[test]
fn a_peer_that_goes_quiet_times_out_on_the_tick_clock() {
    // After the status line the stack only ever says WouldBlock: the tick clock passes the
    // 1000 ms deadline after about 1000 tries, without real time.
    let script = Script {
        reply: b"HTTP/1.0 200 OK\r\n".to_vec(),
        hang: true,
        ..Script::default()
    };
    let mut peer = ScriptStack::new(script);
    let got = blocking(&mut peer, "http://10.0.0.1/x", &Options::DEFAULT);
    let head = Timeout {
        during: Phase::Head,
        after_ms: 1_000,
    };
    assert_eq!(got, Err(Error::Timeout(head)));
    assert_eq!(peer.log.borrow().opened, peer.log.borrow().closed);
    // In the body.
    let script = Script {
        reply: b"HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nabc".to_vec(),
        hang: true,
        ..Script::default()
    };
    let mut peer = ScriptStack::new(script);
    let got = blocking(&mut peer, "http://10.0.0.1/x", &Options::DEFAULT);
    let body = Timeout {
        during: Phase::Body,
        after_ms: 1_000,
    };
    assert_eq!(got, Ok((200, Err(Error::Timeout(body)))));
}

#[test]
fn truncated_body_on_the_scripted_stack() {
    let reply = b"HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nshort".to_vec();
    let script = Script {
        reply,
        stutter: true,
        ..Script::default()
    };
    let (got, _) = both(script, "http://10.0.0.1/x", &Options::DEFAULT);
    assert_eq!(got, Ok((200, Err(Error::Http(HttpError::Truncated)))));
}

/// The size of the async GET future (printed; run with --nocapture): what a firmware task
/// must hold besides the caller's buffer. Bounded here so a regression shows.
#[test]
fn size_of_the_async_get_future() {
    let peer = ScriptStack::new(Script::default());
    let mut buf = [0u8; 256];
    let options = Options::DEFAULT;
    let future = get_async(&peer, &peer, "http://10.0.0.1/", &options, &mut buf);
    let scripted = std::mem::size_of_val(&future);
    drop(future);
    let stack = towel::std_stack::Async::default();
    let future = get_async(&stack, &stack, "http://10.0.0.1/", &options, &mut buf);
    let std_stack = std::mem::size_of_val(&future);
    drop(future);
    eprintln!(
        "size_of get_async future: {scripted} bytes (scripted stack), {std_stack} bytes (std-embedded-nal-async)"
    );
    assert!(scripted < 2048, "{scripted}");
    assert!(std_stack < 2048, "{std_stack}");
}

#[test]
fn an_async_write_of_nothing_is_a_closed_peer_not_a_panic() {
    // embedded-io-async's `write_all` panics on `Ok(0)`; the async GET reports `Closed`.
    let script = Script {
        reply: REPLY.to_vec(),
        write_max: Some(0),
        ..Script::default()
    };
    let peer = ScriptStack::new(script);
    let got = nonblocking(&peer, "http://10.0.0.1/x", &Options::DEFAULT);
    assert_eq!(got, Err(Error::Closed));
    assert!(peer.log.borrow().sent.is_empty());
}

#[test]
fn a_send_buffer_that_never_drains_times_out_in_the_request() {
    // Every send accepts nothing (smoltcp's full send buffer): the blocking GET waits for
    // room, and the wait's 1000 ms bound (tick clock) says it was the request.
    let script = || Script {
        reply: REPLY.to_vec(),
        write_max: Some(0),
        ..Script::default()
    };
    let mut peer = ScriptStack::new(script());
    let got = blocking(&mut peer, "http://10.0.0.1/x", &Options::DEFAULT);
    let request = Timeout {
        during: Phase::Request,
        after_ms: 1_000,
    };
    assert_eq!(got, Err(Error::Timeout(request)));
    assert!(peer.log.borrow().sent.is_empty());
    assert_eq!(peer.log.borrow().opened, peer.log.borrow().closed);
    // With an exchange deadline shorter than the wait, the deadline is what ends it.
    let mut peer = ScriptStack::new(script());
    let got = blocking(
        &mut peer,
        "http://10.0.0.1/x",
        &Options::DEFAULT.deadline_ms(300),
    );
    let exchange = Timeout {
        during: Phase::Exchange,
        after_ms: 300,
    };
    assert_eq!(got, Err(Error::Timeout(exchange)));
    assert_eq!(peer.log.borrow().opened, peer.log.borrow().closed);
}
