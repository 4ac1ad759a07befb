//! The blocking driver: moves bytes between an embedded-nal socket and the core, every wait
//! bounded by the caller's [`Wait`].

use embedded_io::{Read, Write};
use embedded_nal::{Dns, TcpClientStack};

use super::body::{BodyCore, Fill};
use super::exchange::{Action, Exchange};
use super::fail::BodyError;
use super::head::Head;
use super::options::{Options, Redirects, Visit};
use crate::error::{Error, Phase, Timeout};
use crate::io::{Clock, Connection, Idle, IoError, Wait};

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
/// - A connection that ends early is [`BodyError::Http`]`(`[`HttpError::Truncated`]`)`.
/// - Each read waits at most the [`Wait`]'s timeout for the server, and never past the
///   exchange's deadline ([`Options::deadline_ms`]): [`BodyError::Timeout`].
/// - Errors are [`BodyError`], which `?` turns into [`crate::Error`].
///
/// `read` is [`embedded_io::Read`]'s (bring the trait in scope: `use towel::embedded_io::Read`);
/// [`Body::read_to_slice`] and, with `std`, [`Body::read_to_end`] read the whole body.
///
/// The connection closes when the body is dropped.
///
/// [`HttpError::Truncated`]: crate::http::HttpError::Truncated
pub struct Body<'b, 's, S: TcpClientStack, C, I> {
    core: BodyCore<'b>,
    conn: Connection<'s, S, C, I>,
    /// The exchange's deadline, for the message when it passes.
    deadline_ms: Option<u32>,
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
    type Error = BodyError<<S as TcpClientStack>::Error>;
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> Read for Body<'_, '_, S, C, I> {
    fn read(&mut self, out: &mut [u8]) -> Result<usize, Self::Error> {
        loop {
            if let Some(n) = self.core.before_read(out)? {
                return Ok(n);
            }
            let n = match self.conn.read(out) {
                Ok(n) => n,
                Err(IoError::Timeout { after_ms, .. }) => {
                    let wait = self.conn.wait_mut();
                    let timeout = exchange_timeout(wait, self.deadline_ms).unwrap_or(Timeout {
                        during: Phase::Body,
                        after_ms,
                    });
                    return Err(BodyError::Timeout(timeout));
                }
                Err(e) => return Err(BodyError::Io(e)),
            };
            if let Some(n) = self.core.after_read(out, n)? {
                return Ok(n);
            }
        }
    }
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> Body<'_, '_, S, C, I> {
    /// Reads the whole body into `out` and returns the part it filled; a body larger than
    /// `out` is [`BodyError::TooLarge`] (no allocation: for `no_std`).
    ///
    /// ```
    /// # use std::io::Write as _;
    /// use std::time::Duration;
    /// use towel::http::client::{BodyError, Options, get};
    /// use towel::{io::Wait, std_stack::Blocking};
    ///
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let url = format!("http://{}/", listener.local_addr()?);
    /// # std::thread::spawn(move || {
    /// #     for _ in 0..2 {
    /// #         let (mut peer, _) = listener.accept().unwrap();
    /// #         let _ = std::io::Read::read(&mut peer, &mut [0u8; 512]);
    /// #         peer.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello").unwrap();
    /// #     }
    /// # });
    /// let (mut stack, wait) = (Blocking, Wait::std(Duration::from_secs(5)));
    /// let mut buf = [0u8; 256];
    /// let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf)?;
    /// let mut page = [0u8; 16];
    /// assert_eq!(response.body.read_to_slice(&mut page)?, b"hello");
    /// drop(response);
    ///
    /// let mut buf = [0u8; 256];
    /// let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf)?;
    /// let mut small = [0u8; 4];
    /// let err = response.body.read_to_slice(&mut small).unwrap_err();
    /// assert!(matches!(err, BodyError::TooLarge { capacity: 4 }));
    /// # Ok::<(), towel::std_stack::Error>(())
    /// ```
    pub fn read_to_slice<'o>(
        &mut self,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], BodyError<<S as TcpClientStack>::Error>> {
        let mut fill = Fill::new();
        loop {
            let n = self.read(fill.room(out))?;
            if let Some(len) = fill.got(n, out.len())? {
                return Ok(out.get(..len).unwrap_or(&[]));
            }
        }
    }

    /// Reads the whole body to the end of `out` and returns how many bytes it added (feature
    /// `std`).
    ///
    /// ```
    /// # use std::io::Write as _;
    /// use std::time::Duration;
    /// use towel::http::client::{Options, get};
    /// use towel::{io::Wait, std_stack::Blocking};
    ///
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let url = format!("http://{}/", listener.local_addr()?);
    /// # std::thread::spawn(move || {
    /// #     let (mut peer, _) = listener.accept().unwrap();
    /// #     let _ = std::io::Read::read(&mut peer, &mut [0u8; 512]);
    /// #     peer.write_all(b"HTTP/1.0 200 OK\r\n\r\nuntil the close").unwrap();
    /// # });
    /// let (mut stack, mut buf) = (Blocking, [0u8; 256]);
    /// let wait = Wait::std(Duration::from_secs(5));
    /// let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf)?;
    /// let mut page = Vec::new();
    /// response.body.read_to_end(&mut page)?;
    /// assert_eq!(page, b"until the close");
    /// # Ok::<(), towel::std_stack::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn read_to_end(
        &mut self,
        out: &mut std::vec::Vec<u8>,
    ) -> Result<usize, BodyError<<S as TcpClientStack>::Error>> {
        let mut chunk = [0u8; 1024];
        let mut total = 0usize;
        loop {
            match self.read(&mut chunk)? {
                0 => return Ok(total),
                n => {
                    out.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                    total = total.saturating_add(n);
                }
            }
        }
    }
}

/// After a wait timed out: the whole exchange's timeout if its deadline (`deadline_ms`) is
/// what stopped it. One rule for the head and the body.
fn exchange_timeout<C: Clock, I>(
    wait: &mut Wait<C, I>,
    deadline_ms: Option<u32>,
) -> Option<Timeout> {
    let ms = deadline_ms?;
    wait.stopped().then_some(Timeout {
        during: Phase::Exchange,
        after_ms: ms,
    })
}

/// The same wait for one step, borrowing the clock and the hook.
fn step<C: Clock, I>(wait: &mut Wait<C, I>) -> Wait<&mut C, ByRef<'_, I>> {
    let mut step = Wait::new(&mut wait.clock, ByRef(&mut wait.idle), wait.timeout_ms);
    step.stop_at_ms = wait.stop_at_ms;
    step
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
/// [`Options::deadline_ms`] bounds the whole exchange, lookup to last body byte.
///
/// The [`Response`]'s body holds `&mut stack` until it is dropped (see
/// [`Connection`](crate::io::Connection#it-borrows-the-whole-stack)).
///
/// `buf` must hold the longest line of the response head plus the kept values (and, after a
/// redirect, the new URL); 51 bytes got the index page of nginx, lighttpd, busybox httpd and
/// python's http.server, 256 leaves room for kept headers.
///
/// Errors: [`Error::Url`] (bad URL), [`Error::Request`] (bad extra header),
/// [`Error::Resolve`], [`Error::Connect`], [`Error::Io`], [`Error::Timeout`] (which wait, or
/// the whole exchange), [`Error::Closed`] (no complete head), [`Error::Http`] (malformed
/// head), [`Error::LineTooLong`] (a head line longer than the room in `buf`),
/// [`Error::Location`] and [`Error::TooManyRedirects`].
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
pub fn get<'s, 'b, 'u, S, C, I, R, V>(
    stack: &'s mut S,
    mut wait: Wait<C, I>,
    url: &'u str,
    options: &Options<'u, R, V>,
    buf: &'b mut [u8],
) -> Result<Response<'b, 's, S, C, I>, Error<<S as TcpClientStack>::Error, <S as Dns>::Error>>
where
    S: TcpClientStack + Dns,
    C: Clock,
    I: Idle<S>,
    R: Redirects,
    V: Visit,
    'u: 'b,
{
    let mut exchange = Exchange::start(Exchange::check(url, options)?, options);
    if let Some(ms) = options.deadline_ms {
        let stop = wait.clock.now_ms().saturating_add(u64::from(ms));
        wait.stop_at_ms = Some(wait.stop_at_ms.map_or(stop, |at| at.min(stop)));
    }
    let mut socket = None;
    let driven = drive(&mut exchange, stack, &mut wait, &mut socket, buf);
    let driven = match driven {
        Err(e) if e.is_timeout() => {
            Err(exchange_timeout(&mut wait, options.deadline_ms).map_or(e, Error::Timeout))
        }
        driven => driven,
    };
    if let Err(e) = driven {
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
        body: Body {
            core,
            conn,
            deadline_ms: options.deadline_ms,
        },
    })
}

/// Runs the exchange up to the end of the response head. The socket lives in `socket` (not
/// in a `Connection`) between steps, so the stack is only borrowed for each step.
fn drive<S, C, I, R: Redirects, V: Visit>(
    exchange: &mut Exchange<'_, R, V>,
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
                let addrs = crate::getaddrinfo(&mut *stack, host, port, exchange.hint(), wait)?;
                let (conn, _) = crate::connect(&mut *stack, &addrs, step(wait))?;
                *socket = conn.into_socket();
            }
            Action::Send(bytes) => {
                let taken = socket.take().ok_or(Error::Closed)?;
                let mut conn = Connection::new(&mut *stack, taken, step(wait));
                let sent = conn.write(bytes);
                *socket = conn.into_socket();
                exchange.moved(sent.map_err(|e| in_phase(e, Phase::Request))?)?;
            }
            Action::Receive(room) => {
                let taken = socket.take().ok_or(Error::Closed)?;
                let mut conn =
                    Connection::new(&mut *stack, taken, step(wait)).with_zero_read(zero_read);
                let got = conn.read(room);
                *socket = conn.into_socket();
                exchange.moved(got.map_err(|e| in_phase(e, Phase::Head))?)?;
            }
            Action::Done => return Ok(()),
        }
    }
}

/// A socket call's error during `phase` of the exchange: a timeout says which wait it was.
fn in_phase<E, D>(e: IoError<E>, phase: Phase) -> Error<E, D> {
    match e {
        IoError::Timeout { after_ms, .. } => Error::Timeout(Timeout {
            during: phase,
            after_ms,
        }),
        other => Error::Io(other),
    }
}
