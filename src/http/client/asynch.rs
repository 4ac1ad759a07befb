//! The async driver: the mirror image of the blocking one over embedded-nal-async.

use embedded_io_async::{Read, Write};
use embedded_nal_async::{Dns, TcpConnect};

use super::body::{BodyCore, Fill};
use super::exchange::{Action, Exchange};
use super::fail::{BodyError, Fail};
use super::head::Head;
use super::options::{Options, Redirects, Visit};
use crate::connect::connect_async;
use crate::error::Error;
use crate::io::IoError;
use crate::resolve::{Lookup, ask_async};

/// A GET response from [`get_async`]: the [`Head`] and the [`AsyncBody`] reader.
#[derive(Debug)]
pub struct AsyncResponse<'b, R> {
    /// Status, kept headers, final URL.
    pub head: Head<'b>,
    /// The body, as an [`embedded_io_async::Read`].
    pub body: AsyncBody<'b, R>,
}

/// The body of an [`AsyncResponse`]: an [`embedded_io_async::Read`] with the same rules as
/// the blocking [`Body`](super::Body): `Ok(0)` only at the complete end,
/// [`HttpError::Truncated`](crate::http::HttpError::Truncated) for a body cut short.
///
/// `read` is [`embedded_io_async::Read`]'s (`use towel::embedded_io_async::Read`), and is
/// cancel-safe when the connection's `read` is: no byte is taken from the connection until it
/// is handed out. Errors are [`BodyError`], which `?` turns into [`crate::Error`].
/// [`AsyncBody::read_to_slice`] and, with `std`, [`AsyncBody::read_to_end`] read it all. The
/// connection closes when the body is dropped.
pub struct AsyncBody<'b, R> {
    core: BodyCore<'b>,
    conn: R,
}

impl<R> core::fmt::Debug for AsyncBody<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AsyncBody")
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "defmt")]
impl<R> defmt::Format for AsyncBody<'_, R> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "AsyncBody {{ core: {} }}", self.core)
    }
}

#[cfg(feature = "defmt")]
impl<R> defmt::Format for AsyncResponse<'_, R> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "AsyncResponse {{ head: {}, body: {} }}",
            self.head,
            self.body
        )
    }
}

impl<R: Read> embedded_io_async::ErrorType for AsyncBody<'_, R> {
    type Error = BodyError<R::Error>;
}

impl<R: Read> Read for AsyncBody<'_, R> {
    async fn read(&mut self, out: &mut [u8]) -> Result<usize, Self::Error> {
        loop {
            if let Some(n) = self.core.before_read(out)? {
                return Ok(n);
            }
            let read = self.conn.read(out).await;
            let n = read.map_err(|e| BodyError::Io(IoError::Stack(e)))?;
            if let Some(n) = self.core.after_read(out, n)? {
                return Ok(n);
            }
        }
    }
}

impl<R: Read> AsyncBody<'_, R> {
    /// Reads the whole body into `out` and returns the part it filled; a body larger than
    /// `out` is [`BodyError::TooLarge`]. The async twin of
    /// [`Body::read_to_slice`](super::Body::read_to_slice).
    pub async fn read_to_slice<'o>(
        &mut self,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], BodyError<R::Error>> {
        let mut fill = Fill::new();
        loop {
            let n = self.read(fill.room(out)).await?;
            if let Some(len) = fill.got(n, out.len())? {
                return Ok(out.get(..len).unwrap_or(&[]));
            }
        }
    }

    /// Reads the whole body to the end of `out`; returns how many bytes it added (feature
    /// `std`). The async twin of [`Body::read_to_end`](super::Body::read_to_end).
    #[cfg(feature = "std")]
    pub async fn read_to_end(
        &mut self,
        out: &mut std::vec::Vec<u8>,
    ) -> Result<usize, BodyError<R::Error>> {
        let mut chunk = [0u8; 1024];
        let mut total = 0usize;
        loop {
            match self.read(&mut chunk).await? {
                0 => return Ok(total),
                n => {
                    out.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                    total = total.saturating_add(n);
                }
            }
        }
    }
}

/// The async twin of [`get`](super::get): GETs `url` over an embedded-nal-async stack.
///
/// `tcp` connects, `dns` resolves (they may be the same object, as with
/// std-embedded-nal-async, or two, as with embassy-net). There are no deadlines here: the
/// future is cancel-safe (dropping it closes the connection and loses nothing else), so wrap
/// it and each body read in your runtime's timeout. Errors as for [`get`](super::get), without
/// [`Error::Timeout`]; [`Options::deadline_ms`] does not apply (no clock here).
///
/// `read` on the body is [`embedded_io_async::Read`]'s (`use towel::embedded_io_async::Read`).
///
/// ```
/// use embedded_io_async::Read;
/// use std::io::Write as _;
/// use towel::http::client::{Options, get_async};
///
/// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let url = format!("http://{}/", listener.local_addr()?);
/// std::thread::spawn(move || {
///     let (mut peer, _) = listener.accept().unwrap();
///     let mut request = [0u8; 512];
///     let _ = std::io::Read::read(&mut peer, &mut request);
///     peer.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n").unwrap();
/// });
///
/// futures_lite::future::block_on(async {
///     let stack = towel::std_stack::Async::default();
///     let mut buf = [0u8; 256];
///     let mut response = get_async(&stack, &stack, &url, &Options::DEFAULT, &mut buf).await?;
///     assert_eq!(response.head.status(), 200);
///     let mut body = [0u8; 8];
///     let n = response.body.read(&mut body).await?;
///     assert_eq!(&body[..n], b"hi");
///     assert_eq!(response.body.read(&mut body).await?, 0);
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::type_complexity)]
pub async fn get_async<'t, 'b, 'u, T, D, R, V>(
    tcp: &'t T,
    dns: &D,
    url: &'u str,
    options: &Options<'u, R, V>,
    buf: &'b mut [u8],
) -> Result<AsyncResponse<'b, T::Connection<'t>>, Error<T::Error, D::Error>>
where
    T: TcpConnect + ?Sized,
    D: Dns + ?Sized,
    R: Redirects,
    V: Visit,
    'u: 'b,
{
    // Every `Fail` of the core leaves this block to one conversion into `Error`.
    let fail = 'fail: {
        let mut exchange = match Exchange::check(url, options) {
            Ok(checked) => Exchange::start(checked, options),
            Err(fail) => break 'fail fail,
        };
        let mut conn = None;
        loop {
            let action = match exchange.poll(buf) {
                Ok(action) => action,
                Err(fail) => break 'fail fail,
            };
            let n = match (action, conn.as_mut()) {
                (Action::Connect { host, port }, _) => {
                    // The lookup kept in this future (as a future of its own, its addresses
                    // would be moved out of it); the rules stay in `Lookup`.
                    let mut lookup = Lookup::new(host, port, exchange.hint());
                    let failure = ask_async(dns, &mut lookup).await;
                    lookup.finish_in_place(failure)?;
                    conn = Some(connect_async(tcp, lookup.addrs()).await?.0);
                    continue;
                }
                (Action::Close, _) => {
                    conn = None;
                    continue;
                }
                // One write: the core hands out the rest next. Not `write_all`: it panics
                // when a write returns 0; here that is a closed peer (`moved` says so).
                (Action::Send(bytes), Some(c)) => c.write(bytes).await,
                (Action::Receive(room), Some(c)) => c.read(room).await,
                (Action::Done, _) => break,
                // Only after a `Connect`: cannot happen.
                _ => break 'fail Fail::Closed,
            };
            if let Err(fail) = exchange.moved(n.map_err(IoError::Stack)?) {
                break 'fail fail;
            }
        }
        let Some(conn) = conn else {
            break 'fail Fail::Closed;
        };
        let (head, core) = exchange.finish(buf);
        return Ok(AsyncResponse {
            head,
            body: AsyncBody { core, conn },
        });
    };
    Err(fail.into())
}
