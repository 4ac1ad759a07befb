//! Golden transcripts: bytes in, the exact events (and replies) out, under every split.
//!
//! The busybox transcripts are real server output, vendored from the shared corpus (see
//! tests/data/telnet/README.md); the rest are written out here, one per rule of RFC 854/855.

use embedded_io::{Read, Write};
use towel::telnet::options::option;
use towel::telnet::{Command, Negotiator, Policy, Received, TelnetStream, Verb};
use towel_testkit::telnet::{Ev, ScriptConn, parse_pieces, parse_split};

const SILENT: &[u8] = include_bytes!("data/telnet/busybox-telnetd-silent.bin");
const REFUSE: &[u8] = include_bytes!("data/telnet/busybox-telnetd-refuse.bin");
const FF_REFUSE: &[u8] = include_bytes!("data/telnet/busybox-telnetd-ff-refuse.bin");

/// Asserts the transcript under no split, every single cut, every pair of cuts (short inputs)
/// and byte by byte.
fn check<const N: usize>(name: &str, input: &[u8], expected: &[Ev]) {
    assert_eq!(parse_pieces::<N>(&[input]), expected, "{name}: whole");
    for cut in 0..=input.len() {
        assert_eq!(
            parse_split::<N>(input, &[cut]),
            expected,
            "{name}: cut at {cut}"
        );
    }
    if input.len() <= 40 {
        for a in 0..=input.len() {
            for b in a..=input.len() {
                assert_eq!(
                    parse_split::<N>(input, &[a, b]),
                    expected,
                    "{name}: cuts {a},{b}"
                );
            }
        }
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(parse_pieces::<N>(&bytes), expected, "{name}: byte by byte");
}

fn data(d: &[u8]) -> Ev {
    Ev::Data(d.to_vec())
}

fn busybox_opening() -> Vec<Ev> {
    vec![
        Ev::Neg(Verb::Do, option::ECHO),
        Ev::Neg(Verb::Do, option::NAWS),
        Ev::Neg(Verb::Will, option::ECHO),
        Ev::Neg(Verb::Will, option::SUPPRESS_GO_AHEAD),
    ]
}

#[test]
fn busybox_transcripts_give_the_expected_events() {
    for (name, bytes) in [("silent", SILENT), ("refuse", REFUSE)] {
        let mut expected = busybox_opening();
        // Nothing to undo in busybox's data: `\r\r\n` stays as it is.
        expected.push(data(&bytes[12..]));
        check::<64>(name, bytes, &expected);
    }
    let mut expected = busybox_opening();
    expected.push(data(b"\r\r\nDebian GNU/Linux 12\r\n\rA\xffB\r\r\n"));
    check::<64>("ff-refuse", FF_REFUSE, &expected);
}

/// Runs a transcript through a blocking TelnetStream fed `chunk` bytes per read; returns the
/// clean data, the events and what the client wrote.
fn stream_transcript(
    wire: &[u8],
    chunk: usize,
    buf_len: usize,
    negotiator: Negotiator,
) -> (Vec<u8>, Vec<Ev>, Vec<u8>) {
    let mut telnet =
        TelnetStream::<_, 64, 16>::with_sizes(ScriptConn::new(wire, chunk), negotiator);
    let mut buf = vec![0u8; buf_len];
    let (mut text, mut events) = (Vec::new(), Vec::new());
    loop {
        match telnet.read_event(&mut buf).unwrap() {
            Received::Data(n) => {
                assert!(n > 0 && n <= buf_len);
                text.extend_from_slice(&buf[..n]);
            }
            Received::Event(e) => events.push(Ev::from_event(&e)),
            Received::Closed => break,
        }
    }
    (text, events, telnet.into_inner().tx)
}

#[test]
fn busybox_transcripts_give_the_expected_replies() {
    let opening: Vec<Ev> = busybox_opening();
    // WONT ECHO, WONT NAWS (not offered), DO ECHO, DO SGA.
    let default_replies = b"\xff\xfc\x01\xff\xfc\x1f\xff\xfd\x01\xff\xfd\x03";
    // Refusing everything: WONT ECHO, WONT NAWS, DONT ECHO, DONT SGA.
    let refuse_replies = b"\xff\xfc\x01\xff\xfc\x1f\xff\xfe\x01\xff\xfe\x03";
    let mut naws = Negotiator::new();
    naws.set_window_size(80, 24).unwrap();
    // WONT ECHO, WILL NAWS + the size (80x24), DO ECHO, DO SGA.
    let naws_replies =
        b"\xff\xfc\x01\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfd\x01\xff\xfd\x03";
    for (wire, clean) in [
        (SILENT, &SILENT[12..]),
        (
            FF_REFUSE,
            &b"\r\r\nDebian GNU/Linux 12\r\n\rA\xffB\r\r\n"[..],
        ),
    ] {
        for chunk in [1, 2, 3, 5, 16, 1000] {
            for buf_len in [1, 7, 512] {
                let cases = [
                    (Negotiator::new(), &default_replies[..]),
                    (
                        Negotiator::with_policy(Policy::REFUSE_ALL),
                        &refuse_replies[..],
                    ),
                    (naws.clone(), &naws_replies[..]),
                ];
                for (negotiator, replies) in cases {
                    let (text, events, tx) = stream_transcript(wire, chunk, buf_len, negotiator);
                    assert_eq!(text, clean, "chunk {chunk} buf {buf_len}");
                    assert_eq!(events, opening, "chunk {chunk} buf {buf_len}");
                    assert_eq!(tx, replies, "chunk {chunk} buf {buf_len}");
                }
            }
        }
    }
}

#[test]
fn negotiation_state_after_busybox_opening() {
    let mut telnet = TelnetStream::new(ScriptConn::new(SILENT, 64));
    let mut text = Vec::new();
    telnet.read_to_end_for_test(&mut text);
    let neg = telnet.negotiator();
    assert!(neg.remote_enabled(option::ECHO));
    assert!(neg.remote_enabled(option::SUPPRESS_GO_AHEAD));
    assert!(!neg.local_enabled(option::ECHO));
    assert!(!neg.local_enabled(option::NAWS));
    assert_eq!(text, &SILENT[12..]);
}

trait ReadToEnd {
    fn read_to_end_for_test(&mut self, out: &mut Vec<u8>);
}

impl<T: Read> ReadToEnd for T {
    fn read_to_end_for_test(&mut self, out: &mut Vec<u8>) {
        let mut buf = [0u8; 33];
        loop {
            match self.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => panic!("read failed"),
            }
        }
    }
}

#[test]
fn data_rules() {
    check::<4>("plain", b"hello", &[data(b"hello")]);
    check::<4>("CR NUL is CR", b"a\r\0b", &[data(b"a\rb")]);
    check::<4>("CR LF stays", b"a\r\nb\r\n", &[data(b"a\r\nb\r\n")]);
    check::<4>(
        "CR then other byte stays",
        b"a\rb\r\r\n",
        &[data(b"a\rb\r\r\n")],
    );
    check::<4>(
        "only the first NUL after CR goes",
        b"\r\0\0",
        &[data(b"\r\0")],
    );
    check::<4>("NUL not after CR stays", b"a\0b", &[data(b"a\0b")]);
    check::<4>("CR at the end", b"x\r", &[data(b"x\r")]);
    check::<4>("IAC IAC is 0xFF", b"\xff\xff", &[data(b"\xff")]);
    check::<4>(
        "IAC IAC inside",
        b"a\xff\xffb\xff\xff\xff\xff",
        &[data(b"a\xffb\xff\xff")],
    );
    check::<4>("CR IAC IAC", b"\r\xff\xff\0", &[data(b"\r\xff\0")]);
    check::<4>("CR NUL after 0xFF", b"\xff\xff\r\0z", &[data(b"\xff\rz")]);
    check::<4>(
        "a command between CR and NUL: the NUL is data",
        b"\r\xff\xf1\0",
        &[data(b"\r"), Ev::Command(Command::Nop), data(b"\0")],
    );
    check::<4>("empty", b"", &[]);
}

#[test]
fn commands() {
    let all: Vec<u8> = (240..=249).flat_map(|c| [0xff, c]).collect();
    let expected: Vec<Ev> = [
        Command::SubnegotiationEnd,
        Command::Nop,
        Command::DataMark,
        Command::Break,
        Command::InterruptProcess,
        Command::AbortOutput,
        Command::AreYouThere,
        Command::EraseCharacter,
        Command::EraseLine,
        Command::GoAhead,
    ]
    .into_iter()
    .map(Ev::Command)
    .collect();
    check::<4>("every command", &all, &expected);
    check::<4>(
        "a byte below 240 after IAC",
        b"a\xff\x41b",
        &[data(b"a"), Ev::Command(Command::Unknown(0x41)), data(b"b")],
    );
    for c in 0..=255u8 {
        if !(250..=255).contains(&c) {
            assert_eq!(Command::from_byte(c).byte(), c);
        }
    }
}

#[test]
fn negotiation() {
    check::<4>(
        "the four verbs",
        b"\xff\xfb\x01x\xff\xfc\x03\xff\xfd\x18\xff\xfe\xff",
        &[
            Ev::Neg(Verb::Will, 1),
            data(b"x"),
            Ev::Neg(Verb::Wont, 3),
            Ev::Neg(Verb::Do, 24),
            Ev::Neg(Verb::Dont, 255),
        ],
    );
}

#[test]
fn subnegotiation() {
    check::<4>(
        "TTYPE SEND",
        b"\xff\xfa\x18\x01\xff\xf0",
        &[Ev::Sb(24, vec![1])],
    );
    check::<4>(
        "empty",
        b"\xff\xfa\x18\xff\xf0ok",
        &[Ev::Sb(24, vec![]), data(b"ok")],
    );
    check::<4>(
        "IAC IAC in the payload",
        b"\xff\xfa\x18\x00a\xff\xffb\xff\xf0",
        &[Ev::Sb(24, vec![0, b'a', 0xff, b'b'])],
    );
    check::<4>(
        "CR NUL is not special inside",
        b"\xff\xfa\x18\r\0\xff\xf0",
        &[Ev::Sb(24, vec![b'\r', 0])],
    );
    check::<4>(
        "exactly the buffer",
        b"\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0",
        &[Ev::Sb(31, vec![0, 80, 0, 24])],
    );
    check::<4>(
        "one byte too long: dropped and reported, the stream goes on",
        b"\xff\xfa\x1fabcde\xff\xf0ok",
        &[Ev::SbTooLong(31, 5), data(b"ok")],
    );
    check::<0>(
        "no buffer at all",
        b"\xff\xfa\x18\x01\xff\xf0",
        &[Ev::SbTooLong(24, 1)],
    );
    let mut long = b"\xff\xfa\x27".to_vec();
    long.extend(std::iter::repeat_n(b'x', 1000));
    long.extend_from_slice(b"\xff\xff\xff\xf0\xff\xfb\x01");
    check::<4>(
        "long, with IAC IAC",
        &long,
        &[Ev::SbTooLong(39, 1001), Ev::Neg(Verb::Will, 1)],
    );
    check::<4>(
        "cut short by a command",
        b"\xff\xfa\x18ab\xff\xf1rest",
        &[Ev::SbAborted(24), Ev::Command(Command::Nop), data(b"rest")],
    );
    check::<4>(
        "cut short by a negotiation",
        b"\xff\xfa\x18a\xff\xfb\x01",
        &[Ev::SbAborted(24), Ev::Neg(Verb::Will, 1)],
    );
    check::<4>(
        "cut short by another SB",
        b"\xff\xfa\x18a\xff\xfa\x1f\x01\xff\xf0",
        &[Ev::SbAborted(24), Ev::Sb(31, vec![1])],
    );
}

#[test]
fn parser_hands_out_data_zero_copy() {
    let input = b"0123456789\xff\xf1abc".to_vec();
    let mut parser = towel::telnet::Parser::<4>::with_size();
    let mut rest: &[u8] = &input;
    match parser.next(&mut rest) {
        Some(towel::telnet::Event::Data(d)) => {
            assert_eq!(d, b"0123456789");
            assert_eq!(
                d.as_ptr(),
                input.as_ptr(),
                "the run is a slice of the input"
            );
        }
        other => panic!("expected data, got {other:?}"),
    }
}

#[test]
fn write_doubles_ff_and_sends_replies_first() {
    let mut telnet = TelnetStream::new(ScriptConn::new(b"\xff\xfd\x18", 64));
    let mut buf = [0u8; 8];
    // The DO TTYPE is read and answered (WONT TTYPE); then the end of the stream.
    assert_eq!(telnet.read(&mut buf).unwrap(), 0);
    telnet.write_all(b"a\xffb\xff\xff").unwrap();
    telnet
        .negotiator_mut()
        .request_remote(option::ECHO)
        .unwrap();
    telnet.write_all(b"c").unwrap();
    telnet.flush().unwrap();
    assert_eq!(
        telnet.into_inner().tx,
        b"\xff\xfc\x18a\xff\xffb\xff\xff\xff\xff\xff\xfd\x01c"
    );
}

#[test]
fn read_with_empty_buffer_returns_zero_without_reading() {
    let mut telnet = TelnetStream::new(ScriptConn::new(b"abc", 64));
    assert_eq!(telnet.read(&mut []).unwrap(), 0);
    let mut buf = [0u8; 8];
    assert_eq!(telnet.read(&mut buf).unwrap(), 3);
    assert_eq!(&buf[..3], b"abc");
}

#[test]
fn memory_footprint_is_bounded() {
    // Everything the telnet layer keeps, besides the connection: no allocation anywhere.
    let stream = size_of::<TelnetStream<(), 64, 256>>();
    assert!(stream <= 64 + 256 + 600, "{stream} bytes");
    assert!(size_of::<Negotiator>() <= 512);
    assert!(size_of::<towel::telnet::Parser<64>>() <= 64 + 32);
}
