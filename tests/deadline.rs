//! Deadlines and the adapter's handling of stack quirks, on a scripted stack (faults a real
//! peer cannot be made to show). The clock ticks per reading, so nothing here sleeps.

use std::net::SocketAddr;

use embedded_io::{Read, Write};
use towel::io::{Connection, IoError, IoOp, Spin, Wait, ZeroRead};
use towel::{ConnectError, ResolveError, connect};
use towel_testkit::clock::TickClock;
use towel_testkit::dns::{BlockingDns, DnsScript, DnsStep};
use towel_testkit::stack::{Conn, Fault, Io, Script, ScriptStack};

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A stack whose connects to unlisted addresses never finish and whose sockets fall silent
/// once their queues run out.
fn scripted(script: Script) -> ScriptStack {
    ScriptStack::new(Script {
        silent_connects: true,
        hang: true,
        ..script
    })
}

#[test]
fn a_never_answering_connect_times_out_within_the_bound() {
    let mut stack = scripted(Script::default());
    let mut clock = TickClock::new(5);
    let wait = Wait::new(&mut clock, Spin, 1_000);
    let addrs = [sa("192.0.2.1:80"), sa("192.0.2.2:80")];
    let got = connect(&mut stack, &addrs, wait).map(|(_, a)| a);
    assert_eq!(
        got,
        Err(ConnectError::Timeout {
            addr: addrs[0],
            tried: 1,
            after_ms: 1_000
        })
    );
    // The deadline was 5 + 1000; the call gave up at the first reading at or past it.
    assert_eq!(clock.now, 1_005);
    // One deadline for the call: the first address used it all, the second was not tried.
    // Connect calls: one per clock reading after the deadline's (every 5 ms for 1000 ms).
    assert_eq!(stack.log.borrow().opened, 1);
    assert_eq!(
        stack.log.borrow().closed,
        1,
        "the timed-out socket is closed"
    );
    assert_eq!(stack.log.borrow().connect_calls, 200);
}

#[test]
fn the_idle_hook_polls_the_stack() {
    let mut stack = scripted(Script::default());
    let wait = Wait::new(
        TickClock::new(10),
        |s: &mut ScriptStack| s.log.borrow_mut().polls += 1,
        100,
    );
    let got = connect(&mut stack, &[sa("192.0.2.1:80")], wait).map(|(_, a)| a);
    assert!(matches!(got, Err(ConnectError::Timeout { .. })), "{got:?}");
    assert_eq!(
        stack.log.borrow().polls,
        9,
        "one poll per WouldBlock before the deadline"
    );
}

#[test]
fn refused_then_working_and_all_refused() {
    let (bad, good) = (sa("192.0.2.1:80"), sa("192.0.2.2:80"));
    let mut stack = scripted(Script {
        connects: vec![(bad, Err(Fault::Refused)), (good, Ok(()))],
        ..Script::default()
    });
    let (conn, reached) = connect(
        &mut stack,
        &[bad, good],
        Wait::new(TickClock::new(1), Spin, 100),
    )
    .unwrap();
    assert_eq!(reached, good);
    conn.close().unwrap();
    assert_eq!(
        (stack.log.borrow().opened, stack.log.borrow().closed),
        (2, 2)
    );

    let got = connect(
        &mut stack,
        &[bad, bad, bad],
        Wait::new(TickClock::new(1), Spin, 100),
    )
    .map(|(_, a)| a);
    assert_eq!(
        got,
        Err(ConnectError::Failed {
            tried: 3,
            last: bad,
            error: Fault::Refused
        })
    );

    stack.script.fail_socket = true;
    let got = connect(&mut stack, &[good], Wait::new(TickClock::new(1), Spin, 100)).map(|(_, a)| a);
    assert_eq!(got, Err(ConnectError::Socket(Fault::NoSocket)));
}

#[test]
fn dropping_a_connection_closes_its_socket() {
    let mut stack = scripted(Script::default());
    {
        let _conn = Connection::new(
            &mut stack,
            Conn::new(1),
            Wait::new(TickClock::new(1), Spin, 10),
        );
    }
    assert_eq!(stack.log.borrow().closed, 1);
    let conn = Connection::new(
        &mut stack,
        Conn::new(1),
        Wait::new(TickClock::new(1), Spin, 10),
    );
    assert_eq!(conn.into_socket().map(|socket| socket.id), Some(1));
    assert_eq!(
        stack.log.borrow().closed,
        1,
        "into_socket hands the socket over unclosed"
    );
}

fn conn_with(
    stack: &mut ScriptStack,
    zero_read: ZeroRead,
) -> Connection<'_, ScriptStack, TickClock, Spin> {
    Connection::new(stack, Conn::new(1), Wait::new(TickClock::new(1), Spin, 100))
        .with_zero_read(zero_read)
}

#[test]
fn reads_wait_for_data_and_end_at_eof() {
    // std-style: Ok(0) is the end.
    let mut stack = scripted(Script {
        receives: [Io::WouldBlock, Io::WouldBlock, Io::Ok(3), Io::Ok(0)].into(),
        ..Script::default()
    });
    let mut conn = conn_with(&mut stack, ZeroRead::Eof);
    let mut buf = [0u8; 8];
    assert_eq!(conn.read(&mut buf).unwrap(), 3);
    assert_eq!(&buf[..3], b"xxx");
    assert_eq!(conn.read(&mut buf).unwrap(), 0);
    assert_eq!(
        conn.read(&mut []).unwrap(),
        0,
        "an empty buffer reads 0 without asking"
    );

    // smoltcp-nal-style: Ok(0) is "nothing yet", the end is a PipeClosed error.
    let mut stack = scripted(Script {
        receives: [Io::Ok(0), Io::Ok(0), Io::Ok(2), Io::Fail(Fault::PipeClosed)].into(),
        ..Script::default()
    });
    let mut conn = conn_with(&mut stack, ZeroRead::NotYet);
    assert_eq!(conn.read(&mut buf).unwrap(), 2);
    assert_eq!(conn.read(&mut buf).unwrap(), 0);

    // Other errors are the stack's, kept.
    let mut stack = scripted(Script {
        receives: [Io::Fail(Fault::Refused)].into(),
        ..Script::default()
    });
    let mut conn = conn_with(&mut stack, ZeroRead::Eof);
    assert_eq!(conn.read(&mut buf), Err(IoError::Stack(Fault::Refused)));
    // And silence is a timeout.
    assert!(matches!(
        conn.read(&mut buf),
        Err(IoError::Timeout {
            during: IoOp::Read,
            ..
        })
    ));
}

#[test]
fn writes_wait_for_room_and_report_a_closed_peer() {
    let mut stack = scripted(Script {
        sends: [
            Io::WouldBlock,
            Io::Ok(0),
            Io::Ok(2),
            Io::Ok(3),
            Io::Fail(Fault::PipeClosed),
        ]
        .into(),
        ..Script::default()
    });
    let mut conn = conn_with(&mut stack, ZeroRead::Eof);
    assert_eq!(
        conn.write(b"hello").unwrap(),
        2,
        "WouldBlock and Ok(0) both mean: wait"
    );
    conn.write_all(b"llo").unwrap();
    conn.flush().unwrap();
    let err = conn.write(b"more").unwrap_err();
    assert_eq!(err, IoError::Closed);
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::BrokenPipe
    );
    assert!(matches!(
        conn.write(b"x"),
        Err(IoError::Timeout {
            during: IoOp::Write,
            ..
        })
    ));
}

#[test]
fn with_the_std_clock_too() {
    // The same bound on real time: a short timeout, and the call returns Timeout.
    let mut stack = scripted(Script::default());
    let wait = Wait::std(std::time::Duration::from_millis(20));
    let got = connect(&mut stack, &[sa("192.0.2.1:80")], wait).map(|(_, a)| a);
    assert!(matches!(got, Err(ConnectError::Timeout { .. })), "{got:?}");

    let never = DnsScript {
        v4: Some(DnsStep::Never),
        v6: Some(DnsStep::Never),
    };
    let mut dns = BlockingDns::new(never);
    let mut wait = Wait::std(std::time::Duration::from_millis(20));
    let got = towel::getaddrinfo(
        &mut dns,
        "example.com",
        80,
        towel::Hint::Ipv6First,
        &mut wait,
    );
    assert!(
        matches!(&got, Err(ResolveError::Timeout { host, after_ms }) if host.as_bytes() == b"example.com" && *after_ms >= 20),
        "{got:?}"
    );
}

/// Counts what a wait asks of its idle hook.
#[derive(Default)]
struct Counting {
    idles: u32,
    resets: u32,
}

impl<S: ?Sized> towel::io::Idle<S> for Counting {
    fn idle(&mut self, _stack: &mut S) {
        self.idles += 1;
    }
    fn reset(&mut self) {
        self.resets += 1;
    }
}

#[test]
fn every_wait_ends_with_one_reset_of_the_idle_hook() {
    let mut wait = Wait::new(TickClock::new(10), Counting::default(), 100);
    let mut tries = 0;
    let done: Result<u8, IoError<()>> = wait.until(&mut (), |_| {
        tries += 1;
        if tries < 3 {
            Err(embedded_nal::nb::Error::WouldBlock)
        } else {
            Ok(1)
        }
    });
    assert_eq!(done, Ok(1));
    let failed: Result<u8, IoError<()>> =
        wait.until(&mut (), |_| Err(embedded_nal::nb::Error::Other(())));
    assert_eq!(failed, Err(IoError::Stack(())));
    let timed_out: Result<u8, IoError<()>> =
        wait.until(&mut (), |_| Err(embedded_nal::nb::Error::WouldBlock));
    assert_eq!(
        timed_out,
        Err(IoError::Timeout {
            during: IoOp::Call,
            after_ms: 100
        })
    );
    // Two idles before the success, none before the failure, nine before the deadline
    // (readings every 10 ms up to 100 ms), and each of the three waits reset the hook once.
    assert_eq!((wait.idle.idles, wait.idle.resets), (2 + 9, 3));
}

#[test]
fn a_read_or_write_the_stack_answers_at_once_reads_no_clock() {
    let mut stack = scripted(Script {
        receives: [Io::Ok(3), Io::WouldBlock, Io::Ok(2)].into(),
        sends: [Io::Ok(4)].into(),
        ..Script::default()
    });
    let mut clock = TickClock::new(1);
    let mut conn = Connection::new(&mut stack, Conn::new(1), Wait::new(&mut clock, Spin, 100));
    let mut buf = [0u8; 8];
    assert_eq!(conn.read(&mut buf).unwrap(), 3);
    assert_eq!(conn.write(b"ping").unwrap(), 4);
    // The next read waits once: one reading for its deadline, one to check it.
    assert_eq!(conn.read(&mut buf).unwrap(), 2);
    drop(conn);
    assert_eq!(clock.now, 2);
}
