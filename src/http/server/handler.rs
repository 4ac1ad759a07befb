//! The handler interface: what the user's code sees of a request and how it answers.

use core::net::SocketAddr;

use crate::ascii::eq_ignore_case;
use crate::http::scan::after;

/// A request as the handler sees it: its head has been read and checked; the method is
/// `GET` or `HEAD` (the server answers every other method with 405 itself).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a [u8],
    pub(crate) query: Option<&'a [u8]>,
    /// The kept header lines, raw (`name: value` and a line end each).
    pub(crate) kept: &'a [u8],
}

impl<'a> Request<'a> {
    /// `GET` or `HEAD`. For `HEAD` the server sends the head of the response alone.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The path of the target, as sent (not percent-decoded), e.g. `b"/pins.json"`. For an
    /// absolute-form target (`http://host/x`), the path part of it.
    ///
    /// Bytes, not `str`: a target may hold any byte from 0x21 on, and the server does not
    /// link a UTF-8 validator to tell. Match it against byte strings (`b"/"`).
    pub fn path(&self) -> &'a [u8] {
        self.path
    }

    /// What follows the `?` of the target, if anything (bytes, as [`path`](Self::path)).
    pub fn query(&self) -> Option<&'a [u8]> {
        self.query
    }

    /// The value of the first kept header called `name` (ASCII case ignored). Only the
    /// headers [`Handler::wants`] said yes to are kept.
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers()
            .find(|(n, _)| eq_ignore_case(n, name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// The kept headers in order, as (name, value) with the value's surrounding whitespace
    /// removed.
    pub fn headers(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        self.kept.split(|&b| b == b'\n').filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let (name, value) = line.split_at_checked(colon)?;
            let value = value.get(1..)?;
            Some((name, trim(value)))
        })
    }
}

/// `value` without leading and trailing spaces, tabs and CR.
fn trim(value: &[u8]) -> &[u8] {
    let ows = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    let start = value.iter().position(|b| !ows(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !ows(b)).map_or(start, |i| i + 1);
    value.get(start..end).unwrap_or_default()
}

/// A handler's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response<B> {
    /// The status code (its reason phrase comes from the server's table).
    pub status: u16,
    /// The `Content-Type` value.
    pub content_type: &'static str,
    /// The body.
    pub body: B,
}

impl<B> Response<B> {
    /// A 200 response.
    pub const fn ok(content_type: &'static str, body: B) -> Self {
        Response {
            status: 200,
            content_type,
            body,
        }
    }
}

/// A response body that writes itself into a [`Sink`]. It must write the same bytes every
/// time it is rendered (render from a snapshot, not from live values).
pub trait Body {
    /// Writes the whole body into `out`.
    fn render(&self, out: &mut Sink<'_>);
}

impl Body for &str {
    fn render(&self, out: &mut Sink<'_>) {
        out.str(self);
    }
}

impl Body for &[u8] {
    fn render(&self, out: &mut Sink<'_>) {
        out.bytes(self);
    }
}

/// Where a [`Body`] writes: it counts every byte and keeps those that fall into the window
/// `[skip, skip + out.len())` of the whole output.
#[derive(Debug)]
pub struct Sink<'a> {
    out: &'a mut [u8],
    skip: usize,
    total: usize,
}

impl<'a> Sink<'a> {
    /// A sink keeping the output bytes from `skip` on in `out`.
    pub(crate) fn new(out: &'a mut [u8], skip: usize) -> Self {
        Sink {
            out,
            skip,
            total: 0,
        }
    }

    /// How many bytes `body` writes.
    ///
    /// A `&dyn Body`, so each body's rendering is linked once, not once per caller.
    pub fn count(body: &dyn Body) -> usize {
        let mut sink = Sink::new(&mut [], 0);
        body.render(&mut sink);
        sink.total
    }

    /// Renders `body`, keeping its bytes from `skip` on in `out`: how many were kept.
    pub fn window(body: &dyn Body, skip: usize, out: &mut [u8]) -> usize {
        let mut sink = Sink::new(out, skip);
        body.render(&mut sink);
        sink.kept()
    }

    /// Bytes written so far (all of them, kept or not).
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many bytes landed in the window.
    pub(crate) fn kept(&self) -> usize {
        self.total.saturating_sub(self.skip).min(self.out.len())
    }

    /// Writes bytes.
    #[inline(never)] // called from every piece of every body: one copy
    pub fn bytes(&mut self, bytes: &[u8]) {
        let start = self.total;
        self.total = self.total.saturating_add(bytes.len());
        // The part of `bytes` inside the window.
        let from = self.skip.saturating_sub(start);
        let at = start.saturating_sub(self.skip);
        if let (Some(src), Some(dst)) = (bytes.get(from..), self.out.get_mut(at..)) {
            let n = src.len().min(dst.len());
            if let (Some(src), Some(dst)) = (src.get(..n), dst.get_mut(..n)) {
                dst.copy_from_slice(src);
            }
        }
    }

    /// Writes text.
    pub fn str(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Writes text HTML-escaped (`<`, `>`, `&`, `"` and `'` as character references), for
    /// element content and quoted attribute values.
    pub fn html(&mut self, text: &str) {
        self.fill(&[HTML], &[text.as_bytes()]);
    }

    /// Writes text as the inside of a JSON string (`"` and `\` escaped, control bytes as
    /// `\u00XX`).
    pub fn json(&mut self, text: &str) {
        self.fill(&[JSON], &[text.as_bytes()]);
    }

    /// Writes `template` with each byte [`HTML`] or [`JSON`] (or [`RAW`]) in it replaced by
    /// the next of `args`, escaped that way (or as is): one call for a run of text and values,
    /// where a call per piece would load each piece's address and length.
    #[inline(never)]
    pub(crate) fn fill(&mut self, template: &[u8], args: &[&[u8]]) {
        let mut args = args.iter();
        let mut rest = template;
        loop {
            let at = rest
                .iter()
                .position(|b| (HTML..=RAW).contains(b))
                .unwrap_or(rest.len());
            let (text, tail) = rest.split_at_checked(at).unwrap_or_default();
            self.bytes(text);
            let Some((&how, tail)) = tail.split_first() else {
                return;
            };
            let arg = args.next().copied().unwrap_or_default();
            if how == RAW {
                self.bytes(arg);
            } else {
                self.escaped(arg, how);
            }
            rest = tail;
        }
    }

    /// Writes `text` with each byte that starts a line of the table (`how`: [`HTML`] or
    /// [`JSON`]) replaced by the rest of that line, and for JSON with control bytes as
    /// `\u00XX`: one loop for both. Inlined in its one caller, [`fill`](Self::fill).
    #[inline(always)]
    fn escaped(&mut self, text: &[u8], how: u8) {
        let (table, controls): (&'static [u8], bool) = if how == HTML {
            (b"<&lt;\n>&gt;\n&&amp;\n\"&quot;\n'&#39;\n", false)
        } else {
            (b"\"\\\"\n\\\\\\\n", true)
        };
        for &b in text {
            match lookup(table, &[b]) {
                Some(escape) => self.bytes(escape),
                None if controls && b < 0x20 => {
                    // `b >> 4` is 0 or 1; the low digit may be a letter.
                    let lo = b & 15;
                    let lo = if lo < 10 { b'0' + lo } else { b'a' - 10 + lo };
                    self.bytes(b"\\u00");
                    self.bytes(&[b'0' + (b >> 4), lo]);
                }
                None => self.bytes(&[b]),
            }
        }
    }

    /// Writes a number in decimal (`usize`, so a 32-bit chip needs no 64-bit division).
    pub fn decimal(&mut self, n: usize) {
        self.bytes(digits(n, &mut [0; DIGITS]));
    }
}

/// The most decimal digits a `usize` has.
pub(crate) const DIGITS: usize = usize::MAX.ilog10() as usize + 1;

/// `n` in decimal, written at the end of `buf`. Out of line: one copy for every number.
#[inline(never)]
pub(crate) fn digits(mut n: usize, buf: &mut [u8; DIGITS]) -> &[u8] {
    let mut at = buf.len();
    // From the last digit back; the array holds the most a `usize` has.
    for d in buf.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        at -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

/// In a [`Sink::fill`] template: the next argument, HTML-escaped.
pub(crate) const HTML: u8 = 1;
/// In a [`Sink::fill`] template: the next argument, JSON-escaped.
pub(crate) const JSON: u8 = 2;
/// In a [`Sink::fill`] template: the next argument, as is.
pub(crate) const RAW: u8 = 3;

/// One finished exchange, for a log line: see [`Handler::log`].
#[derive(Debug, Clone, Copy)]
pub struct LogEntry<'a> {
    /// The client's address, when the driver knows it.
    pub peer: Option<SocketAddr>,
    /// The request method, empty if the request line was not read. Bytes, as the target;
    /// `method.escape_ascii()` displays either.
    pub method: &'a [u8],
    /// The request target, empty if the request line was not read (or not kept for the log:
    /// a target that leaves less than 64 bytes of the buffer).
    pub target: &'a [u8],
    /// The status sent, 0 if none (the client left, or sent nothing).
    pub status: u16,
    /// Bytes of the response sent, head included.
    pub bytes: usize,
    /// Milliseconds from the accept to the close.
    pub elapsed_ms: u64,
}

/// The user's code behind the server.
///
/// A [`Handler`] looks at a [`Request`] (method, path, query, the headers it asked for with
/// [`Handler::wants`]) and answers with a [`Response`]: a status, a content type and a
/// [`Body`]. A body is a value that can write itself into a [`Sink`]; the server calls it
/// once to count its length (for `Content-Length`) and then once per buffer-full, each time
/// keeping only the bytes that belong in the buffer it lends. So no buffer ever holds the
/// whole page, the length is always exact, and the same handler serves the blocking and the
/// async server.
///
/// A handler with two routes:
///
/// ```
/// use core::cell::Cell;
/// use towel::http::server::{Body, Handler, Request, Response, Sink};
///
/// struct Site { hits: Cell<u32> }
///
/// enum Page { Index, Hits(u32) }
///
/// impl Body for Page {
///     fn render(&self, out: &mut Sink<'_>) {
///         match self {
///             Page::Index => out.str("<h1>Hello</h1><a href=\"/hits\">hits</a>\n"),
///             Page::Hits(n) => { out.str("hits: "); out.decimal(*n as usize); out.str("\n") }
///         }
///     }
/// }
///
/// impl Handler for Site {
///     type Body = Page;
///     fn respond(&self, request: &Request<'_>) -> Option<Response<Page>> {
///         self.hits.set(self.hits.get() + 1);
///         match request.path() {
///             b"/" => Some(Response::ok("text/html; charset=utf-8", Page::Index)),
///             b"/hits" => Some(Response::ok("text/plain", Page::Hits(self.hits.get()))),
///             _ => None, // the server answers 404
///         }
///     }
/// }
///
/// // The body, rendered as the server does: counted, then written a window at a time.
/// let page = Page::Hits(42);
/// assert_eq!(Sink::count(&page), 9);
/// let mut window = [0u8; 4];
/// assert_eq!(Sink::window(&page, 6, &mut window), 3);
/// assert_eq!(&window[..3], b"42\n");
/// ```
///
/// Methods take `&self` because the async server runs its connections concurrently over one
/// handler; keep per-request state in the body, and mutable state in a `Cell` or `RefCell`.
pub trait Handler {
    /// What the responses' bodies are.
    type Body: Body;

    /// Whether to keep the header called `name` for [`Request::header`]. Others are skipped
    /// as they arrive, whatever their length. None by default.
    fn wants(&self, name: &[u8]) -> bool {
        let _ = name;
        false
    }

    /// The response to a `GET` or `HEAD` request, or `None` for a 404.
    fn respond(&self, request: &Request<'_>) -> Option<Response<Self::Body>>;

    /// Called once per connection when it closes. Does nothing by default.
    fn log(&self, entry: &LogEntry<'_>) {
        let _ = entry;
    }
}

/// The reason phrases the server knows, one a line, each after a key of two bytes: the
/// code as a little-endian `u16` (`404` is 0x194: `\x94\x01`). No known code has a `\n`
/// (0x0a) byte, and every `u16` has its own key, so an unknown code matches no line. One
/// table and [`lookup`] are smaller than a `match` with a string per arm.
const REASONS: &[u8] = b"\xc8\x00OK\n\xcc\x00No Content\n\x2d\x01Moved Permanently\n\
\x2e\x01Found\n\x30\x01Not Modified\n\x90\x01Bad Request\n\x93\x01Forbidden\n\
\x94\x01Not Found\n\x95\x01Method Not Allowed\n\x98\x01Request Timeout\n\
\x9e\x01URI Too Long\n\xaf\x01Request Header Fields Too Large\n\
\xf4\x01Internal Server Error\n\xf5\x01Not Implemented\n\xf7\x01Service Unavailable\n\
\xf9\x01HTTP Version Not Supported\n";

/// The reason phrase of `status` (`Not Found`), `Status` for a status the server does not
/// know.
pub(crate) fn reason(status: u16) -> &'static [u8] {
    lookup(REASONS, &status.to_le_bytes()).unwrap_or(b"Status")
}

/// Whether `a` is `b`: one call to `memcmp` (linked anyway) for every fixed string compared
/// (methods, the pin page's routes), not an unrolled compare of each string's bytes.
#[inline(never)]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    matches!(after(a, b), Some([]))
}

/// In `table`, lines (each ended by `\n`) of a key and its value: the value of the first
/// line that starts with `key`. Out of line: the status table and both escapings use it.
#[inline(never)]
fn lookup(table: &'static [u8], key: &[u8]) -> Option<&'static [u8]> {
    let mut rest = table;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        let (line, next) = rest.split_at_checked(end)?;
        if let Some(value) = after(line, key) {
            return Some(value);
        }
        rest = next.get(1..)?;
    }
    None
}
