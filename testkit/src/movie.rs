//! A towel-style movie server for tests and the tour, on std sockets (loopback only).
//!
//! It behaves like towel.blinkenlights.nl as far as a client can tell: it opens with
//! `DO LINEMODE`, sends no frame until the client has answered, then sends `WILL ECHO`,
//! `WILL SGA`, `DO TTYPE`, `DO NAWS`, asks for the terminal type (`SB TTYPE SEND`) when the
//! client says `WILL TTYPE`, and streams the frames of a movie in the asciimation format
//! (records of 14 lines: a duration in 1/15 s ticks, then 13 lines of up to 67 columns), each
//! drawn as VT100 text (`ESC [H ESC [J`, then the lines). 0xFF data bytes go out as `IAC IAC`
//! and a bare CR as `CR NUL`. It writes nothing of its own about the client; it reports what
//! the client said.
//!
//! The movie is made here (`make_movie`): a stick figure walking across the screen. Never the
//! real film.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
pub const ECHO: u8 = 1;
pub const SGA: u8 = 3;
pub const TTYPE: u8 = 24;
pub const NAWS: u8 = 31;
pub const LINEMODE: u8 = 34;

/// Lines per frame after the duration line, and the widest line.
pub const LINES: usize = 13;
pub const COLUMNS: usize = 67;

/// One frame: how long it shows (1/15 s ticks) and its 13 lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub ticks: u32,
    pub lines: Vec<Vec<u8>>,
}

/// A tiny movie in the asciimation format: `frames` records of 14 lines. With `odd_bytes`,
/// lines also carry a 0xFF byte and a bare CR (what a telnet stream must escape).
pub fn make_movie(frames: usize, odd_bytes: bool) -> Vec<u8> {
    let mut text = Vec::new();
    for f in 0..frames {
        text.extend_from_slice(format!("{}\n", 1 + f % 3).as_bytes());
        let x = (f * 5) % 50;
        for line in 0..LINES {
            let pad = " ".repeat(x);
            let row: Vec<u8> = match line {
                0 => format!("towel test movie, frame {:>3}", f + 1).into_bytes(),
                5 => format!("{pad}  o").into_bytes(),
                6 => format!("{pad} /|\\").into_bytes(),
                7 => format!("{pad} / \\").into_bytes(),
                8 => vec![b'='; COLUMNS],
                10 if odd_bytes => {
                    let mut v = b"byte 255 here: [".to_vec();
                    v.push(0xFF);
                    v.extend_from_slice(b"] and IAC IAC: [\xff\xff]");
                    v
                }
                11 if odd_bytes => b"overwritten\rbare CR".to_vec(),
                12 if odd_bytes && f % 2 == 1 => b"ends in CR\r".to_vec(),
                _ => Vec::new(),
            };
            assert!(row.len() <= COLUMNS);
            text.extend_from_slice(&row);
            text.push(b'\n');
        }
    }
    text
}

/// Reads asciimation records (14 lines each; a short last record is dropped).
pub fn parse_movie(text: &[u8]) -> Vec<Frame> {
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    lines
        .chunks_exact(LINES + 1)
        .map(|record| Frame {
            ticks: std::str::from_utf8(record[0])
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(1),
            lines: record[1..].iter().map(|l| l.to_vec()).collect(),
        })
        .collect()
}

/// What the client should see of a frame: the VT100 redraw and the lines, CR LF after each.
pub fn render(frame: &Frame) -> Vec<u8> {
    let mut out = b"\x1b[H\x1b[J".to_vec();
    for line in &frame.lines {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Clean bytes as they go on the wire: 0xFF doubled, a CR not followed by LF sent as CR NUL.
pub fn to_wire(clean: &[u8]) -> Vec<u8> {
    let mut wire = Vec::with_capacity(clean.len() + 16);
    for (i, &b) in clean.iter().enumerate() {
        wire.push(b);
        if b == IAC {
            wire.push(IAC);
        } else if b == b'\r' && clean.get(i + 1) != Some(&b'\n') {
            wire.push(0);
        }
    }
    wire
}

/// What the client sent, as the server understood it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Negotiation from the client, in order: (verb byte, option).
    pub negotiation: Vec<(u8, u8)>,
    /// Subnegotiations from the client: (option, payload).
    pub subnegotiation: Vec<(u8, Vec<u8>)>,
    /// Data bytes the client sent (not negotiation).
    pub data: Vec<u8>,
    /// The client's first answer arrived before any frame was sent.
    pub answered_before_frames: bool,
}

impl Report {
    /// The client's answer for an option and a side, if any (`WILL`/`WONT` or `DO`/`DONT`).
    pub fn answer(&self, option: u8, verbs: [u8; 2]) -> Option<u8> {
        self.negotiation
            .iter()
            .find(|(v, o)| *o == option && verbs.contains(v))
            .map(|(v, _)| *v)
    }
}

/// A movie server on a loopback port (or the address given to `start_on`), serving one client.
pub struct MovieServer {
    pub addr: SocketAddr,
    handle: JoinHandle<std::io::Result<Report>>,
}

impl MovieServer {
    /// Starts serving `movie` (asciimation text); `tick` is how long one tick lasts (zero in
    /// tests).
    pub fn start(movie: &[u8], tick: Duration) -> MovieServer {
        MovieServer::start_on("127.0.0.1:0".parse().expect("loopback"), movie, tick)
    }

    /// [`MovieServer::start`] on another address of this machine (the TAP tests bind the
    /// kernel side of their own TAP device).
    pub fn start_on(bind: SocketAddr, movie: &[u8], tick: Duration) -> MovieServer {
        let listener = TcpListener::bind(bind).expect("bind the movie server");
        let addr = listener.local_addr().expect("local addr");
        let frames = parse_movie(movie);
        let handle = thread::spawn(move || {
            let (stream, _) = listener.accept()?;
            serve(stream, &frames, tick)
        });
        MovieServer { addr, handle }
    }

    /// Waits for the session to end and returns what the client said.
    pub fn finish(self) -> Report {
        self.handle
            .join()
            .expect("movie server thread")
            .expect("movie server I/O")
    }
}

/// The client's bytes as the server parses them (a small, separate telnet parser).
#[derive(Default)]
struct ClientParser {
    state: u8, // 0 data, 1 IAC, 2 verb, 3 SB option, 4 SB, 5 SB IAC
    verb: u8,
    sb: Vec<u8>,
}

enum FromClient {
    Negotiation(u8, u8),
    Subnegotiation(u8, Vec<u8>),
    Data(u8),
}

impl ClientParser {
    fn push(&mut self, b: u8) -> Option<FromClient> {
        match (self.state, b) {
            (0, IAC) => self.state = 1,
            (0, _) => return Some(FromClient::Data(b)),
            (1, IAC) => {
                self.state = 0;
                return Some(FromClient::Data(IAC));
            }
            (1, WILL | WONT | DO | DONT) => {
                self.verb = b;
                self.state = 2;
            }
            (1, SB) => self.state = 3,
            (1, _) => self.state = 0,
            (2, _) => {
                self.state = 0;
                return Some(FromClient::Negotiation(self.verb, b));
            }
            (3, _) => {
                self.sb = vec![b];
                self.state = 4;
            }
            (4, IAC) => self.state = 5,
            (4, _) => self.sb.push(b),
            (5, IAC) => {
                self.sb.push(IAC);
                self.state = 4;
            }
            (5, SE) => {
                self.state = 0;
                let option = self.sb[0];
                return Some(FromClient::Subnegotiation(option, self.sb[1..].to_vec()));
            }
            _ => self.state = 0,
        }
        None
    }
}

fn serve(stream: TcpStream, frames: &[Frame], tick: Duration) -> std::io::Result<Report> {
    // Bounded waits: a broken client fails the test instead of hanging it.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let writer = Arc::new(Mutex::new(stream.try_clone()?));
    let send = |bytes: &[u8]| writer.lock().expect("writer lock").write_all(bytes);

    send(&[IAC, DO, LINEMODE])?;

    // The reader: parses everything the client says; answers WILL TTYPE with SB TTYPE SEND;
    // tells the main thread when the client's first answer came and when the negotiation the
    // server started is complete.
    let (first_tx, first_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let reader_writer = Arc::clone(&writer);
    let mut reader = stream.try_clone()?;
    let reader = thread::spawn(move || -> std::io::Result<Report> {
        let mut report = Report::default();
        let mut parser = ClientParser::default();
        let mut buf = [0u8; 256];
        let mut first = Some(first_tx);
        let mut done = Some(done_tx);
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => return Err(e),
            };
            for &b in &buf[..n] {
                match parser.push(b) {
                    Some(FromClient::Negotiation(verb, option)) => {
                        report.negotiation.push((verb, option));
                        if let Some(tx) = first.take() {
                            let _ = tx.send(());
                        }
                        if verb == WILL && option == TTYPE {
                            reader_writer
                                .lock()
                                .expect("writer lock")
                                .write_all(&[IAC, SB, TTYPE, 1, IAC, SE])?;
                        }
                    }
                    Some(FromClient::Subnegotiation(option, data)) => {
                        report.subnegotiation.push((option, data))
                    }
                    Some(FromClient::Data(b)) => report.data.push(b),
                    None => {}
                }
            }
            if done.is_some() && negotiation_complete(&report) {
                let _ = done.take().map(|tx| tx.send(()));
            }
        }
        Ok(report)
    });

    let answered = first_rx.recv_timeout(Duration::from_secs(10)).is_ok();
    send(&[
        IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, TTYPE, IAC, DO, NAWS,
    ])?;
    for frame in frames {
        send(&to_wire(&render(frame)))?;
        if !tick.is_zero() {
            thread::sleep(tick * frame.ticks);
        }
    }
    // Close only when the negotiation is over, so that no request of ours crosses the close.
    let _ = done_rx.recv_timeout(Duration::from_secs(10));
    stream.shutdown(Shutdown::Write)?;
    let mut report = reader.join().expect("reader thread")?;
    report.answered_before_frames = answered;
    Ok(report)
}

/// Whether the client answered everything the server asked (and sent the subnegotiations it
/// agreed to).
fn negotiation_complete(report: &Report) -> bool {
    let answered = |option, verbs| report.answer(option, verbs).is_some();
    let sb = |option| report.subnegotiation.iter().any(|(o, _)| *o == option);
    answered(LINEMODE, [WILL, WONT])
        && answered(ECHO, [DO, DONT])
        && answered(SGA, [DO, DONT])
        && answered(TTYPE, [WILL, WONT])
        && answered(NAWS, [WILL, WONT])
        && (report.answer(TTYPE, [WILL, WONT]) != Some(WILL) || sb(TTYPE))
        && (report.answer(NAWS, [WILL, WONT]) != Some(WILL) || sb(NAWS))
}

/// The clean bytes a client should print for a whole movie.
pub fn expected_output(movie: &[u8]) -> Vec<u8> {
    parse_movie(movie).iter().flat_map(render).collect()
}
