//! The blocking server over a scripted embedded-nal stack, for what std sockets cannot show:
//! a stack whose receive of 0 bytes means "nothing yet" (smoltcp-nal, `ZeroRead::NotYet`).

use std::sync::mpsc;
use std::time::Duration;

use towel::http::server::{ServerConfig, serve_blocking};
use towel::io::{StdClock, Wait, ZeroRead};
use towel_testkit::http_server::{Site, page, parse};
use towel_testkit::stack::{Conn, Io, Script, ScriptStack};

/// What the server sent to the scripted client, once it closed (at most 5 s). The client
/// sends nothing for five receives (each `Ok(0)`), then its request.
fn serve(zero_read: ZeroRead) -> Vec<u8> {
    let (closed, sent) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stack = ScriptStack::new(Script {
            reply: b"GET / HTTP/1.0\r\n\r\n".to_vec(),
            receives: [Io::Ok(0); 5].into(),
            accepts: 1,
            ..Script::default()
        });
        let site = &Site(page());
        let mut buffers = [[0u8; 512]; 1];
        let idle = move |stack: &mut ScriptStack| {
            let log = stack.log.borrow();
            if log.closed > 0 {
                let _ = closed.send(log.sent.clone());
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let mut wait = Wait::new(StdClock::new(), idle, 1000);
        let config = ServerConfig {
            zero_read,
            ..ServerConfig::DEFAULT
        };
        let mut listener = Conn::new(0);
        serve_blocking(
            &mut stack,
            &mut listener,
            site,
            &mut wait,
            config,
            &mut buffers,
        )
    });
    sent.recv_timeout(Duration::from_secs(5))
        .expect("the server did not close")
}

#[test]
fn on_a_stack_where_zero_means_not_yet_the_request_is_waited_for() {
    let sent = serve(ZeroRead::NotYet);
    let reply = parse(&sent, false).expect("an answer");
    assert_eq!(reply.status, 200);
}

#[test]
fn on_a_std_like_stack_zero_is_the_end_and_nothing_is_sent() {
    assert!(serve(ZeroRead::Eof).is_empty());
}
