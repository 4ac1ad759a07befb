//! Helpers shared by the telnet tests: owned events and split parsing for transcripts, and a
//! scripted in-memory connection ([`ScriptConn`]).

use towel::telnet::{Command, Event, Parser, Verb};

/// An owned copy of a parser event, for comparing transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    Data(Vec<u8>),
    Command(Command),
    Neg(Verb, u8),
    Sb(u8, Vec<u8>),
    SbTooLong(u8, usize),
    SbAborted(u8),
}

impl Ev {
    pub fn from_event(event: &Event<'_>) -> Ev {
        match *event {
            Event::Data(d) => Ev::Data(d.to_vec()),
            Event::Command(c) => Ev::Command(c),
            Event::Negotiation { verb, option } => Ev::Neg(verb, option),
            Event::Subnegotiation { option, data } => Ev::Sb(option, data.to_vec()),
            Event::SubnegotiationTooLong { option, len } => Ev::SbTooLong(option, len),
            Event::SubnegotiationAborted { option } => Ev::SbAborted(option),
        }
    }
}

/// Appends an event, merging adjacent data runs (where a run is cut depends on the split).
pub fn push_merged(events: &mut Vec<Ev>, ev: Ev) {
    if let (Some(Ev::Data(last)), Ev::Data(more)) = (events.last_mut(), &ev) {
        assert!(!more.is_empty(), "the parser handed out an empty data run");
        last.extend_from_slice(more);
        return;
    }
    if let Ev::Data(d) = &ev {
        assert!(!d.is_empty(), "the parser handed out an empty data run");
    }
    events.push(ev);
}

/// Parses the pieces in order with one parser and returns the merged events.
pub fn parse_pieces<const N: usize>(pieces: &[&[u8]]) -> Vec<Ev> {
    let mut parser = Parser::<N>::with_size();
    let mut events = Vec::new();
    for piece in pieces {
        let mut input = *piece;
        while let Some(event) = parser.next(&mut input) {
            push_merged(&mut events, Ev::from_event(&event));
        }
        assert!(
            input.is_empty(),
            "next() returned None before the input was used up"
        );
    }
    events
}

/// Parses `bytes` cut at the given (sorted, in-range) points.
pub fn parse_split<const N: usize>(bytes: &[u8], cuts: &[usize]) -> Vec<Ev> {
    let mut pieces = Vec::new();
    let mut from = 0;
    for &cut in cuts {
        pieces.push(&bytes[from..cut]);
        from = cut;
    }
    pieces.push(&bytes[from..]);
    parse_pieces::<N>(&pieces)
}

/// The clean data of a transcript (all data events, concatenated).
pub fn data_of(events: &[Ev]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            Ev::Data(d) => Some(d.as_slice()),
            _ => None,
        })
        .flatten()
        .copied()
        .collect()
}

/// A scripted in-memory connection for the blocking stream: hands out `rx` in reads of at
/// most `chunk` bytes and records what is written. Only for splitting and fault tests; the
/// real-socket tests use loopback.
pub struct ScriptConn {
    pub rx: Vec<u8>,
    pub pos: usize,
    pub chunk: usize,
    pub tx: Vec<u8>,
    /// The most bytes one write takes (0: the connection takes nothing).
    pub write_chunk: usize,
}

impl ScriptConn {
    pub fn new(rx: &[u8], chunk: usize) -> ScriptConn {
        ScriptConn {
            rx: rx.to_vec(),
            pos: 0,
            chunk,
            tx: Vec::new(),
            write_chunk: usize::MAX,
        }
    }
}

impl embedded_io::ErrorType for ScriptConn {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for ScriptConn {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let n = buf.len().min(self.chunk).min(self.rx.len() - self.pos);
        buf[..n].copy_from_slice(&self.rx[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl embedded_io::Write for ScriptConn {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        let n = buf.len().min(self.write_chunk);
        self.tx.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}
