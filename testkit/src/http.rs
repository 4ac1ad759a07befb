//! Test support for the HTTP core: a driver that feeds a parser through a small buffer, the
//! way a socket driver does, and owned copies of events to compare.

use towel::http::{
    BodyDecoder, Config, Event, Framing, HeadEnd, HeadKind, HeadParser, HttpError, Step, Version,
};

/// An owned copy of an [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owned {
    Request(String, Vec<u8>, Version),
    Status(Version, u16, Vec<u8>),
    Header(String, Vec<u8>),
    End(HeadEnd),
}

impl From<Event<'_>> for Owned {
    fn from(event: Event<'_>) -> Self {
        match event {
            Event::Request(l) => Owned::Request(l.method_str().into(), l.target.into(), l.version),
            Event::Status(l) => Owned::Status(l.version, l.code, l.reason.into()),
            Event::Header(h) => Owned::Header(h.name_str().into(), h.value.into()),
            Event::End(end) => Owned::End(end),
        }
    }
}

impl From<towel::http::RequestLine<'_>> for Owned {
    fn from(l: towel::http::RequestLine<'_>) -> Self {
        Event::Request(l).into()
    }
}

/// What driving a parser over some input gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Every event, in order, up to the end, an error, or the end of input.
    pub events: Vec<Owned>,
    /// `Ok(Some(head length))`, `Ok(None)` when the input ended first, or the error.
    pub result: Result<Option<usize>, HttpError>,
}

/// Feeds `input` to `parser` through a buffer of `buf_len` bytes, in reads whose sizes come
/// from `sizes` (each at least 1, at most what fits), shifting consumed bytes out after each
/// event, as a socket driver does.
pub fn drive<K: HeadKind>(
    parser: HeadParser<K>,
    input: &[u8],
    buf_len: usize,
    mut sizes: impl FnMut() -> usize,
) -> Outcome {
    let mut parser = parser.with_buffer_len(buf_len);
    let mut buf = vec![0u8; buf_len];
    let (mut filled, mut fed, mut head_len) = (0, 0, 0);
    let mut events = Vec::new();
    loop {
        match parser.parse(&buf[..filled]) {
            Err(e) => {
                return Outcome {
                    events,
                    result: Err(e),
                };
            }
            Ok(Step::NeedMore) => {
                assert!(filled < buf_len, "NeedMore with a full buffer");
                if fed == input.len() {
                    return Outcome {
                        events,
                        result: Ok(None),
                    };
                }
                let n = sizes().max(1).min(buf_len - filled).min(input.len() - fed);
                buf[filled..filled + n].copy_from_slice(&input[fed..fed + n]);
                filled += n;
                fed += n;
            }
            Ok(Step::Event(event, used)) => {
                assert!(used <= filled);
                let end = matches!(event, Event::End(_));
                events.push(event.into());
                buf.copy_within(used..filled, 0);
                filled -= used;
                head_len += used;
                if end {
                    return Outcome {
                        events,
                        result: Ok(Some(head_len)),
                    };
                }
            }
        }
    }
}

/// [`drive`] with every read as large as fits.
pub fn drive_greedy<K: HeadKind>(parser: HeadParser<K>, input: &[u8], buf_len: usize) -> Outcome {
    drive(parser, input, buf_len, || usize::MAX)
}

/// Decodes a body, given in pieces, to the end or EOF; `finish()` at the end of the pieces.
/// Returns the payload, and the input bytes left over after a complete body.
pub fn decode_pieces<'a>(
    framing: Framing,
    config: &Config,
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Result<(Vec<u8>, usize), HttpError> {
    let mut decoder = BodyDecoder::new(framing, config);
    let mut out = Vec::new();
    let mut left_over = 0;
    for mut piece in pieces {
        while !piece.is_empty() && !decoder.is_done() {
            let d = decoder.decode(piece)?;
            assert!(
                d.consumed > 0 && d.consumed <= piece.len(),
                "progress, in bounds"
            );
            out.extend_from_slice(d.data);
            piece = &piece[d.consumed..];
        }
        left_over += piece.len();
    }
    decoder.finish()?;
    Ok((out, left_over))
}
