//! The blocking driver: moves bytes between an embedded-nal socket and the core, every wait
//! bounded by the caller's [`Wait`].

use embedded_io::{Read, Write};
use embedded_nal::{Dns, TcpClientStack};

use super::body::BodyCore;
use super::exchange::{Action, Exchange};
use super::fail::widen;
use super::head::Head;
use super::options::Options;
use crate::Error;
use crate::io::{Clock, Connection, Idle, Wait};

/// A GET response from [`get`]: the [`Head`] and the [`Body`] reader.
#[derive(Debug)]
pub struct Response<'b, 's, S: TcpClientStack, C, I> {
    /// Status, kept headers, final URL.
    pub head: Head<'b>,
    /// The body, as an [`embedded_io::Read`].
    pub body: Body<'b, 's, S, C, I>,
}

/// The body of a [`Response`]: an [`embedded_io::Read`] that hands out the payload (framing
/// removed) and reports its end.
///
/// - `Ok(0)` (for a non-empty buffer) means the body is complete: Content-Length bytes read,
///   the last chunk seen, or, for a body delimited by the close, the close.
/// - A connection that ends early is [`Error::Http`]`(`[`HttpError::Truncated`]`)`.
/// - Each read waits at most the [`Wait`]'s timeout for the server ([`Error::Timeout`]).
///
/// The connection closes when the body is dropped.
///
/// [`HttpError::Truncated`]: crate::http::HttpError::Truncated
pub struct Body<'b, 's, S: TcpClientStack, C, I> {
    core: BodyCore<'b>,
    conn: Connection<'s, S, C, I>,
}

impl<S: TcpClientStack, C, I> core::fmt::Debug for Body<'_, '_, S, C, I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Body")
            .field("core", &self.core)
            .field("conn", &self.conn)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl<S: TcpClientStack, C, I> defmt::Format for Body<'_, '_, S, C, I> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Body {{ core: {}, conn: {} }}", self.core, self.conn)
    }
}

#[cfg(feature = "defmt")]
impl<S: TcpClientStack, C, I> defmt::Format for Response<'_, '_, S, C, I> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Response {{ head: {}, body: {} }}", self.head, self.body)
    }
}

impl<S: TcpClientStack, C, I> embedded_io::ErrorType for Body<'_, '_, S, C, I> {
    type Error = Error<<S as TcpClientStack>::Error>;
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> Read for Body<'_, '_, S, C, I> {
    fn read(&mut self, out: &mut [u8]) -> Result<usize, Self::Error> {
        loop {
            if let Some(n) = self.core.before_read(out).map_err(Error::Http)? {
                return Ok(n);
            }
            let n = self.conn.read(out)?;
            if let Some(n) = self.core.after_read(out, n).map_err(Error::Http)? {
                return Ok(n);
            }
        }
    }
}

/// An [`Idle`] hook borrowed, so one [`Wait`] can serve several connections in turn.
struct ByRef<'a, I>(&'a mut I);

impl<S: ?Sized, I: Idle<S>> Idle<S> for ByRef<'_, I> {
    fn idle(&mut self, stack: &mut S) {
        self.0.idle(stack);
    }

    fn reset(&mut self) {
        self.0.reset();
    }
}

/// GETs `url` over a blocking embedded-nal stack, following the [`Options`], and returns the
/// response head and a body reader. See the [module docs](super) for what happens, and for
/// `buf`.
///
/// `stack` is both the TCP stack and the resolver (as towel's
/// `std_stack::Blocking` and smoltcp-nal are). `wait` bounds each
/// step: the lookup, each connection attempt, and every read and write (the body's reads
/// included); its idle hook runs while the stack says `WouldBlock`. (A stack whose `connect`
/// or lookup blocks inside the OS is bounded by the OS there, as the OS resolver is on a PC.)
///
/// `buf` must hold the longest line of the response head plus the kept values (and, after a
/// redirect, the new URL); 51 bytes got the index page of nginx, lighttpd, busybox httpd and
/// python's http.server, 256 leaves room for kept headers.
///
/// Errors: [`Error::Url`] (bad URL), [`Error::Request`] (bad extra header), [`Error::Host`],
/// [`Error::Dns`], [`Error::NoAddress`], [`Error::Connect`], [`Error::Io`],
/// [`Error::Timeout`], [`Error::Closed`] (no complete head), [`Error::Http`] (malformed head,
/// a line longer than `buf`), [`Error::Location`] and [`Error::TooManyRedirects`].
///
/// ```
/// use embedded_io::Read;
/// use std::io::Write as _;
/// use std::time::Duration;
/// use towel::http::client::{Options, get};
/// use towel::io::Wait;
///
/// // A one-shot server on loopback.
/// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let url = format!("http://{}/hello", listener.local_addr()?);
/// std::thread::spawn(move || {
///     let (mut peer, _) = listener.accept().unwrap();
///     let mut request = [0u8; 512];
///     let _ = std::io::Read::read(&mut peer, &mut request);
///     peer.write_all(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello").unwrap();
/// });
///
/// let mut stack = towel::std_stack::Blocking::default();
/// let wait = Wait::std(Duration::from_secs(5));
/// let mut buf = [0u8; 256];
/// let options = Options::DEFAULT.keep(&["Content-Type"]);
/// let mut response = get(&mut stack, wait, &url, &options, &mut buf)?;
/// assert_eq!(response.head.status(), 200);
/// assert_eq!(response.head.header("content-type"), Some(&b"text/plain"[..]));
///
/// let mut body = [0u8; 16];
/// let mut len = 0;
/// loop {
///     let n = response.body.read(&mut body[len..])?;
///     if n == 0 { break; }
///     len += n;
/// }
/// assert_eq!(&body[..len], b"hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::type_complexity)]
pub fn get<'s, 'b, 'u, S, C, I>(
    stack: &'s mut S,
    mut wait: Wait<C, I>,
    url: &'u str,
    options: &Options<'u>,
    buf: &'b mut [u8],
) -> Result<Response<'b, 's, S, C, I>, Error<<S as TcpClientStack>::Error, <S as Dns>::Error>>
where
    S: TcpClientStack + Dns,
    C: Clock,
    I: Idle<S>,
    'u: 'b,
{
    let mut exchange = Exchange::new(url, options)?;
    let mut socket = None;
    if let Err(e) = drive(&mut exchange, stack, &mut wait, &mut socket, buf) {
        if let Some(socket) = socket.take()
            && stack.close(socket).is_err()
        {
            debug!("towel: closing after an error failed");
        }
        return Err(e);
    }
    let Some(socket) = socket else {
        return Err(Error::Closed);
    };
    let conn = Connection::new(stack, socket, wait).with_zero_read(options.zero_read);
    let (head, core) = exchange.finish(buf);
    Ok(Response {
        head,
        body: Body { core, conn },
    })
}

/// Runs the exchange up to the end of the response head. The socket lives in `socket` (not
/// in a `Connection`) between steps, so the stack is only borrowed for each step.
fn drive<S, C, I>(
    exchange: &mut Exchange<'_>,
    stack: &mut S,
    wait: &mut Wait<C, I>,
    socket: &mut Option<S::TcpSocket>,
    buf: &mut [u8],
) -> Result<(), Error<<S as TcpClientStack>::Error, <S as Dns>::Error>>
where
    S: TcpClientStack + Dns,
    C: Clock,
    I: Idle<S>,
{
    let zero_read = exchange.zero_read();
    loop {
        match exchange.poll(buf)? {
            Action::Close => {
                if let Some(old) = socket.take()
                    && stack.close(old).is_err()
                {
                    debug!("towel: closing before a redirect failed");
                }
            }
            Action::Connect { host, port } => {
                let addrs = crate::getaddrinfo(&mut *stack, host, port, exchange.hint(), wait)
                    .map_err(Error::with_io)?;
                let step = Wait::new(&mut wait.clock, ByRef(&mut wait.idle), wait.timeout_ms);
                let (conn, _) = crate::connect(&mut *stack, &addrs, step).map_err(widen)?;
                *socket = conn.into_socket();
            }
            Action::Send(bytes) => {
                let step = Wait::new(&mut wait.clock, ByRef(&mut wait.idle), wait.timeout_ms);
                let mut conn =
                    Connection::new(&mut *stack, socket.take().ok_or(Error::Closed)?, step);
                let sent = conn.write_all(bytes);
                *socket = conn.into_socket();
                sent.map_err(widen)?;
                exchange.sent();
            }
            Action::Receive(room) => {
                let step = Wait::new(&mut wait.clock, ByRef(&mut wait.idle), wait.timeout_ms);
                let mut conn =
                    Connection::new(&mut *stack, socket.take().ok_or(Error::Closed)?, step)
                        .with_zero_read(zero_read);
                let got = conn.read(room);
                *socket = conn.into_socket();
                exchange.received(got.map_err(widen)?)?;
            }
            Action::Done => return Ok(()),
        }
    }
}
