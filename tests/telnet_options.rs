//! RFC 1143 (the Q method), case by case: what the negotiator answers and what state it ends in.

use towel::telnet::Verb::{self, Do, Dont, Will, Wont};
use towel::telnet::options::{BadTerminalType, Negotiator, OptionState, QueueFull, option};

/// Feeds one command and returns the bytes it queued (then drains them).
fn recv(neg: &mut Negotiator, verb: Verb, opt: u8) -> Vec<u8> {
    neg.receive(verb, opt).unwrap();
    drain(neg)
}

fn drain(neg: &mut Negotiator) -> Vec<u8> {
    let out = neg.pending().to_vec();
    neg.consume(out.len());
    out
}

fn cmd(verb: Verb, opt: u8) -> Vec<u8> {
    vec![0xff, verb.byte(), opt]
}

#[test]
fn defaults_accept_server_echo_and_sga_and_refuse_the_rest() {
    let mut neg = Negotiator::new();
    assert_eq!(recv(&mut neg, Will, option::ECHO), cmd(Do, option::ECHO));
    assert_eq!(recv(&mut neg, Will, option::SUPPRESS_GO_AHEAD), cmd(Do, 3));
    assert_eq!(recv(&mut neg, Will, option::BINARY), cmd(Dont, 0));
    assert_eq!(recv(&mut neg, Do, option::ECHO), cmd(Wont, option::ECHO));
    assert_eq!(
        recv(&mut neg, Do, option::LINEMODE),
        cmd(Wont, option::LINEMODE)
    );
    assert_eq!(recv(&mut neg, Do, option::TERMINAL_TYPE), cmd(Wont, 24));
    assert_eq!(recv(&mut neg, Do, option::NAWS), cmd(Wont, 31));
    assert!(neg.remote_enabled(option::ECHO));
    assert!(neg.remote_enabled(option::SUPPRESS_GO_AHEAD));
    for opt in 0..=255u8 {
        assert!(!neg.local_enabled(opt), "option {opt}");
        if opt != option::ECHO && opt != option::SUPPRESS_GO_AHEAD {
            assert!(!neg.remote_enabled(opt), "option {opt}");
        }
    }
}

#[test]
fn never_answers_an_answer_or_a_repeat() {
    let mut neg = Negotiator::new();
    assert_eq!(recv(&mut neg, Will, option::ECHO), cmd(Do, 1));
    // Said again (servers repeat WILL mid-stream): already on, no reply.
    assert_eq!(recv(&mut neg, Will, option::ECHO), b"");
    // Off while off: no reply.
    assert_eq!(recv(&mut neg, Wont, 5), b"");
    assert_eq!(recv(&mut neg, Dont, 5), b"");
    // Turning off what is on is acknowledged once.
    assert_eq!(recv(&mut neg, Wont, option::ECHO), cmd(Dont, 1));
    assert_eq!(recv(&mut neg, Wont, option::ECHO), b"");
    assert_eq!(neg.remote_state(option::ECHO), OptionState::No);
}

#[test]
fn our_requests_are_answered_without_a_reply() {
    let mut neg = Negotiator::new();
    neg.request_remote(option::STATUS).unwrap();
    assert_eq!(drain(&mut neg), cmd(Do, 5));
    assert_eq!(neg.remote_state(5), OptionState::WantYes);
    // Asking again while waiting sends nothing.
    neg.request_remote(option::STATUS).unwrap();
    assert_eq!(drain(&mut neg), b"");
    // The peer's WILL is an answer: no reply.
    assert_eq!(recv(&mut neg, Will, 5), b"");
    assert_eq!(neg.remote_state(5), OptionState::Yes);

    neg.enable_local(option::BINARY).unwrap();
    assert_eq!(drain(&mut neg), cmd(Will, 0));
    // Refused: no reply, off.
    assert_eq!(recv(&mut neg, Dont, 0), b"");
    assert_eq!(neg.local_state(0), OptionState::No);
}

#[test]
fn changing_our_mind_while_waiting_uses_the_queue() {
    let mut neg = Negotiator::new();
    neg.request_remote(40).unwrap();
    neg.refuse_remote(40).unwrap(); // queued: OPPOSITE
    assert_eq!(drain(&mut neg), cmd(Do, 40));
    assert_eq!(neg.remote_state(40), OptionState::WantYes);
    // WILL arrives: on, then off at once as queued.
    assert_eq!(recv(&mut neg, Will, 40), cmd(Dont, 40));
    assert_eq!(neg.remote_state(40), OptionState::WantNo);
    assert_eq!(recv(&mut neg, Wont, 40), b"");
    assert_eq!(neg.remote_state(40), OptionState::No);

    // WANTNO with a queued "yes": the WONT answers, then our DO goes out.
    neg.request_remote(41).unwrap();
    assert_eq!(drain(&mut neg), cmd(Do, 41));
    assert_eq!(recv(&mut neg, Will, 41), b"");
    neg.refuse_remote(41).unwrap();
    assert_eq!(drain(&mut neg), cmd(Dont, 41));
    neg.request_remote(41).unwrap();
    assert_eq!(drain(&mut neg), b"");
    assert_eq!(recv(&mut neg, Wont, 41), cmd(Do, 41));
    assert_eq!(neg.remote_state(41), OptionState::WantYes);
    // And a queued request cancelled before the answer.
    neg.refuse_remote(41).unwrap();
    neg.request_remote(41).unwrap();
    assert_eq!(recv(&mut neg, Will, 41), b"");
    assert_eq!(neg.remote_state(41), OptionState::Yes);
}

#[test]
fn a_peer_error_is_not_answered() {
    // "DONT answered by WILL": we asked off, the peer says WILL. Off, no reply (RFC 1143).
    let mut neg = Negotiator::new();
    assert_eq!(recv(&mut neg, Will, option::ECHO), cmd(Do, 1));
    neg.refuse_remote(option::ECHO).unwrap();
    assert_eq!(drain(&mut neg), cmd(Dont, 1));
    assert_eq!(recv(&mut neg, Will, option::ECHO), b"");
    assert_eq!(neg.remote_state(option::ECHO), OptionState::No);
}

#[test]
fn terminal_type_is_answered_when_offered() {
    let mut neg = Negotiator::new();
    // Not offered: refused, and SEND is ignored.
    assert_eq!(recv(&mut neg, Do, option::TERMINAL_TYPE), cmd(Wont, 24));
    assert_eq!(neg.subnegotiation(24, &[1]), Ok(false));
    neg.set_terminal_type("XTERM-256COLOR").unwrap();
    assert_eq!(recv(&mut neg, Do, option::TERMINAL_TYPE), cmd(Will, 24));
    assert_eq!(neg.subnegotiation(24, &[1]), Ok(true));
    assert_eq!(drain(&mut neg), b"\xff\xfa\x18\x00XTERM-256COLOR\xff\xf0");
    // Only `SEND` is answered.
    assert_eq!(neg.subnegotiation(24, &[0, b'x']), Ok(false));
    assert_eq!(neg.subnegotiation(31, &[1]), Ok(false));
    assert_eq!(neg.set_terminal_type(""), Err(BadTerminalType));
    assert_eq!(neg.set_terminal_type("a\u{7f}"), Err(BadTerminalType));
    assert_eq!(neg.set_terminal_type(&"x".repeat(41)), Err(BadTerminalType));
    neg.set_terminal_type(&"x".repeat(40)).unwrap();
}

#[test]
fn naws_sends_the_size_and_doubles_255() {
    let mut neg = Negotiator::new();
    neg.set_window_size(255, 24).unwrap();
    assert_eq!(drain(&mut neg), b"", "nothing before NAWS is agreed");
    let mut expected = cmd(Will, 31);
    expected.extend_from_slice(b"\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0");
    assert_eq!(recv(&mut neg, Do, option::NAWS), expected);
    // A new size once NAWS is on goes out at once.
    neg.set_window_size(0x1234, 0xff00).unwrap();
    assert_eq!(drain(&mut neg), b"\xff\xfa\x1f\x12\x34\xff\xff\x00\xff\xf0");
    // Repeated DO: no reply, no new size.
    assert_eq!(recv(&mut neg, Do, option::NAWS), b"");
}

#[test]
fn a_full_queue_refuses_and_changes_nothing() {
    let mut neg = Negotiator::new();
    let mut ok = 0u8;
    while neg.receive(Do, 100 + ok).is_ok() {
        ok += 1;
        assert!(ok < 100, "the queue never filled");
    }
    let pending = neg.pending().len();
    assert_eq!(pending, usize::from(ok) * 3);
    assert_eq!(neg.receive(Do, 100 + ok), Err(QueueFull));
    assert_eq!(neg.pending().len(), pending);
    assert_eq!(neg.local_state(100 + ok), OptionState::No);
    neg.consume(pending);
    assert_eq!(recv(&mut neg, Do, 100 + ok), cmd(Wont, 100 + ok));
}
