//! Every probe once on the host, with std: each must do the whole exchange (status 200 and the
//! page's bytes for the HTTP ones, the clean text and the negotiation replies for telnet, the
//! resolved port for connect), so nothing the firmware binaries measure is dead code.
//! `cargo test -p probes -- --nocapture` also prints each async probe's future size on this
//! host (`future NAME BYTES`); scripts/sizes.sh reads the target's from the firmware.

use probes::dummy::{PIN_PAGE, TELNET_TEXT};
use probes::{Outcome, block_on, peers, towel_probes};

fn out() -> Vec<u8> {
    vec![0u8; 1024]
}

fn client(name: &str, run: impl FnOnce(&mut [u8]) -> Outcome) {
    let mut out = out();
    let outcome = run(&mut out);
    assert_eq!(outcome.status, 200, "{name}: status");
    assert_eq!(&out[..outcome.len], PIN_PAGE.as_bytes(), "{name}: body");
}

fn server(name: &str, run: impl FnOnce(&mut [u8]) -> Outcome) {
    let mut out = out();
    let outcome = run(&mut out);
    assert_eq!(outcome.status, 200, "{name}: status");
    let response = &out[..outcome.len];
    assert!(response.starts_with(b"HTTP/1."), "{name}: {response:?}");
    assert!(
        response.ends_with(PIN_PAGE.as_bytes()),
        "{name}: no page in {}",
        String::from_utf8_lossy(response)
    );
}

/// A probe that serves forever, run until the dummy's one connection is closed: its idle hook
/// unwinds out with the outcome (`resume_unwind`: no panic message).
fn served<T: Send + 'static>(run: impl FnOnce(&mut [u8]) -> Outcome, out: &mut [u8]) -> T {
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(out)))
        .expect_err("a server returned");
    *payload.downcast::<T>().expect("the idle hook's outcome")
}

fn future_size<F: std::future::Future>(name: &str, future: F) -> F::Output {
    println!("future {name} {}", std::mem::size_of_val(&future));
    block_on(future)
}

#[test]
fn towel_get_blocking() {
    client("towel GET blocking", towel_probes::get_blocking);
}

#[test]
fn towel_get_async() {
    client("towel GET async", |out| {
        future_size("towel_get_async", towel_probes::get_async(out))
    });
}

#[test]
fn towel_telnet() {
    let (mut text, mut replies) = (out(), out());
    let outcome = towel_probes::telnet_with(&mut text, &mut replies);
    assert_eq!(&text[..outcome.len], TELNET_TEXT);
    // DO ECHO, WILL TERMINAL-TYPE, SB TERMINAL-TYPE IS "XTERM" SE.
    let want = b"\xff\xfd\x01\xff\xfb\x18\xff\xfa\x18\x00XTERM\xff\xf0";
    assert_eq!(&replies[..want.len()], want);
    let mut short = out();
    assert_eq!(towel_probes::telnet(&mut short), outcome);
}

#[test]
fn towel_connect() {
    // Port 80 reached, "hello\r\n" sent.
    assert_eq!(towel_probes::connect(&mut out()).len, 80 + 7);
}

#[test]
fn towel_server_blocking() {
    server("towel server blocking", |out| {
        served(
            |out| {
                towel_probes::server_blocking_with(out, |stack| {
                    if stack.closed {
                        std::panic::resume_unwind(Box::new(stack.outcome()));
                    }
                })
            },
            out,
        )
    });
}

#[test]
fn towel_server_async() {
    server("towel server async", |out| {
        future_size("towel_server_async", towel_probes::server_async(out))
    });
}

#[test]
fn towel_server_slots() {
    // One slot's state beside its buffer, on this host (scripts/sizes.sh reads these lines).
    let (blocking, asynch, serve) = towel_probes::slot_sizes();
    println!("slot towel_server_blocking {blocking}");
    println!("slot towel_server_async {asynch}");
    println!("serve_async with one slot: {serve} B");
    assert!(blocking > 0 && asynch > blocking);
}

#[test]
fn towel_telnet_async() {
    let (mut text, mut replies) = (out(), out());
    let outcome = block_on(towel_probes::telnet_async(&mut text, &mut replies));
    assert_eq!(&text[..outcome.len], TELNET_TEXT);
    let want = b"\xff\xfd\x01\xff\xfb\x18\xff\xfa\x18\x00XTERM\xff\xf0";
    assert_eq!(&replies[..want.len()], want);
}

#[test]
fn towel_connect_async() {
    // Port 80 reached, "hello\r\n" written.
    assert_eq!(
        block_on(towel_probes::connect_async(&mut out())).len,
        80 + 7
    );
}

#[test]
fn towel_async_firmware() {
    let mut out = out();
    let outcome = towel_probes::async_firmware(&mut out);
    assert_eq!(outcome.status, 200);
    // The server wrote last: its response ends with the page.
    let server = block_on(towel_probes::server_async(&mut Vec::from([0u8; 1024])));
    assert!(out[..server.len].ends_with(PIN_PAGE.as_bytes()));
    assert_eq!(
        outcome.len,
        PIN_PAGE.len() + TELNET_TEXT.len() + 80 + 7 + server.len
    );
}

#[test]
fn towel_everything() {
    let mut out = out();
    let (before, server) = served::<(Outcome, Outcome)>(
        |out| {
            towel_probes::everything_with(out, |stack, before| {
                if stack.closed {
                    std::panic::resume_unwind(Box::new((before, stack.outcome())));
                }
            })
        },
        &mut out,
    );
    assert_eq!(before.status, 200);
    assert_eq!(server.status, 200);
    assert!(out[..server.len].ends_with(PIN_PAGE.as_bytes()));
    let response = server.len;
    assert_eq!(
        before.len,
        2 * PIN_PAGE.len() + TELNET_TEXT.len() + 80 + 7 + response
    );
}

#[test]
fn reqwless_get() {
    client("reqwless", |out| {
        future_size("reqwless_get", peers::reqwless_get(out))
    });
}

#[test]
fn edge_http_client() {
    client("edge-http client", |out| {
        future_size("edge_http_client", peers::edge_client(out))
    });
}

#[test]
fn edge_http_server() {
    server("edge-http server", |out| {
        future_size("edge_http_server", peers::edge_server(out))
    });
}

#[test]
fn picoserve_server() {
    server("picoserve", |out| {
        future_size("picoserve_server", peers::picoserve(out))
    });
}

#[test]
fn httparse_alone() {
    client("httparse", peers::httparse);
}

#[test]
fn canned_response_is_consistent() {
    let head = format!("Content-Length: {}\r\n", PIN_PAGE.len());
    let response = probes::dummy::RESPONSE;
    assert!(response.windows(head.len()).any(|w| w == head.as_bytes()));
    assert!(response.ends_with(PIN_PAGE.as_bytes()));
}
