//! The core's decisions, one at a time, without a driver.

use super::{Action, Op, Outcome, StreamCore};
use crate::telnet::parser::Event;

/// A core whose negotiator has `DO 200` answered (`WONT 200`, 3 bytes) and not yet sent.
fn core_with_a_reply() -> StreamCore {
    let mut core = StreamCore::new();
    let mut out = [0u8; 8];
    assert!(matches!(
        core.poll(&mut Op::ReadEvent(&mut out)),
        Action::Receive(_)
    ));
    receive(&mut core, b"\xff\xfd\xc8");
    assert_eq!(
        core.poll(&mut Op::ReadEvent(&mut out)),
        Action::Done(Outcome::Event)
    );
    assert!(core.event().is_some());
    core
}

/// Puts `bytes` where the last [`Action::Receive`] asked (the core must have asked).
fn receive(core: &mut StreamCore, bytes: &[u8]) {
    let mut out = [0u8; 0];
    let mut op = Op::ReadEvent(&mut out);
    let Action::Receive(space) = core.poll(&mut op) else {
        panic!("the core did not ask for input");
    };
    space[..bytes.len()].copy_from_slice(bytes);
    core.received(bytes.len());
}

#[test]
fn every_operation_sends_the_queued_bytes_first() {
    for mut op in [Op::Write(b"x"), Op::Flush] {
        let mut core = core_with_a_reply();
        assert_eq!(core.poll(&mut op), Action::Send(b"\xff\xfc\xc8"));
    }
    let mut core = core_with_a_reply();
    let mut out = [0u8; 8];
    assert_eq!(
        core.poll(&mut Op::Read(&mut out)),
        Action::Send(b"\xff\xfc\xc8")
    );
    // A part of it taken: the rest next.
    core.sent(1);
    assert_eq!(
        core.poll(&mut Op::Read(&mut out)),
        Action::Send(b"\xfc\xc8")
    );
}

#[test]
fn a_read_into_an_empty_buffer_does_nothing() {
    let mut core = core_with_a_reply();
    let mut empty = [0u8; 0];
    assert_eq!(
        core.poll(&mut Op::Read(&mut empty)),
        Action::Done(Outcome::Bytes(0))
    );
}

#[test]
fn a_write_to_a_connection_that_takes_nothing_takes_nothing() {
    let mut core = core_with_a_reply();
    let mut op = Op::Write(b"hello");
    assert!(matches!(core.poll(&mut op), Action::Send(_)));
    core.sent(0);
    assert_eq!(core.poll(&mut op), Action::Done(Outcome::Bytes(0)));
}

#[test]
fn a_flush_flushes_even_when_the_connection_takes_nothing() {
    let mut core = core_with_a_reply();
    let mut op = Op::Flush;
    assert!(matches!(core.poll(&mut op), Action::Send(_)));
    core.sent(0);
    assert_eq!(core.poll(&mut op), Action::Flush);
    core.flushed();
    assert_eq!(core.poll(&mut op), Action::Done(Outcome::Bytes(0)));
}

#[test]
fn a_write_sends_up_to_the_first_iac_and_queues_the_escapes() {
    let mut core = StreamCore::new();
    let mut op = Op::Write(b"ab\xffc");
    assert_eq!(core.poll(&mut op), Action::Send(b"ab"));
    core.sent(1);
    assert_eq!(core.poll(&mut op), Action::Done(Outcome::Bytes(1)));
    let mut op = Op::Write(b"\xff\xffc");
    assert_eq!(core.poll(&mut op), Action::Done(Outcome::Bytes(2)));
    // The pairs go out whole with the next operation.
    assert_eq!(core.poll(&mut Op::Flush), Action::Send(b"\xff\xff\xff\xff"));
    assert_eq!(
        core.poll(&mut Op::Write(b"")),
        Action::Send(b"\xff\xff\xff\xff")
    );
    core.sent(4);
    assert_eq!(
        core.poll(&mut Op::Write(b"")),
        Action::Done(Outcome::Bytes(0))
    );
}

#[test]
fn the_end_of_the_stream_is_closed() {
    let mut core = StreamCore::new();
    let mut out = [0u8; 8];
    let mut op = Op::Read(&mut out);
    assert!(matches!(core.poll(&mut op), Action::Receive(_)));
    core.received(0);
    assert_eq!(core.poll(&mut op), Action::Done(Outcome::Closed));
}

#[test]
fn a_plain_read_skips_events_and_a_read_event_stops_at_them() {
    let mut core = StreamCore::new();
    receive(&mut core, b"\xff\xf1hi");
    let mut out = [0u8; 8];
    assert_eq!(
        core.poll(&mut Op::ReadEvent(&mut out)),
        Action::Done(Outcome::Event)
    );
    assert!(matches!(core.event(), Some(Event::Command(_))));

    let mut core = StreamCore::new();
    receive(&mut core, b"\xff\xf1hi");
    assert_eq!(
        core.poll(&mut Op::Read(&mut out)),
        Action::Done(Outcome::Bytes(2))
    );
    assert_eq!(&out[..2], b"hi");
}

#[test]
fn a_read_whose_replies_cannot_go_out_ends_as_closed() {
    // Twenty refusals (60 bytes) fill the reply queue past the room for one more reply.
    let mut wire = [0u8; 60];
    for (i, three) in wire.chunks_mut(3).enumerate() {
        three.copy_from_slice(&[0xff, 0xfd, 100 + i as u8]);
    }
    let mut core = StreamCore::new();
    receive(&mut core, &wire);
    let mut out = [0u8; 8];
    let mut op = Op::Read(&mut out);
    let mut sends = 0;
    let outcome = loop {
        match core.poll(&mut op) {
            Action::Send(_) => {
                sends += 1;
                core.sent(0);
            }
            Action::Done(outcome) => break outcome,
            other => panic!("unexpected {other:?}"),
        }
        assert!(sends < 100, "the core keeps asking to send");
    };
    assert_eq!(outcome, Outcome::Closed);
}
