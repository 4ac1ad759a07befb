//! [`Async`]: the operating system's TCP stack and resolver for towel's async calls.

use core::net::{IpAddr, SocketAddr};

use embedded_nal_async::{AddrType, Dns, TcpConnect};

/// The operating system's TCP stack and resolver as an embedded-nal-async stack (for
/// [`get_async`](crate::http::client::get_async), [`connect_async`](crate::connect_async),
/// [`getaddrinfo_async`](crate::getaddrinfo_async)), on any executor: it wakes through
/// `async-io`'s reactor. A thin wrapper over std-embedded-nal-async's `Stack`.
///
/// Every error is the OS's [`std::io::Error`]: connecting, reading and writing a connection,
/// and looking up a name. So one type, [`AsyncError`](super::AsyncError), holds every async
/// call's error with `?`. It has no deadlines: wrap calls in your runtime's timeout.
///
/// ```
/// use towel::embedded_io_async::{Read, Write};
/// use towel::{Hint, connect_async, getaddrinfo_async, std_stack::{Async, AsyncError}};
///
/// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// # let port = listener.local_addr()?.port();
/// # std::thread::spawn(move || {
/// #     let (mut peer, _) = listener.accept().unwrap();
/// #     std::io::Write::write_all(&mut peer, b"hi").unwrap();
/// # });
/// async fn hello(port: u16) -> Result<[u8; 2], AsyncError> {
///     let stack = Async::default();
///     let addrs = getaddrinfo_async(&stack, "localhost", port, Hint::Ipv4Only).await?;
///     let (mut conn, _) = connect_async(&stack, &addrs).await?;
///     let mut got = [0u8; 2];
///     conn.read_exact(&mut got).await?;
///     Ok(got)
/// }
/// assert_eq!(futures_lite::future::block_on(hello(port))?, *b"hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Async(std_embedded_nal_async::Stack);

impl core::fmt::Debug for Async {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Async")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Async {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Async")
    }
}

impl TcpConnect for Async {
    type Error = std::io::Error;

    type Connection<'a> = <std_embedded_nal_async::Stack as TcpConnect>::Connection<'a>;

    /// Connects with the OS's own timeout (about two minutes on Linux): wrap it in yours.
    async fn connect(&self, remote: SocketAddr) -> Result<Self::Connection<'_>, Self::Error> {
        self.0.connect(remote).await
    }
}

impl Dns for Async {
    type Error = std::io::Error;

    /// Looks `host` up with the OS resolver, on a thread of `async-io`'s pool.
    async fn get_host_by_name(
        &self,
        host: &str,
        addr_type: AddrType,
    ) -> Result<IpAddr, Self::Error> {
        self.0.get_host_by_name(host, addr_type).await
    }

    /// The OS's reverse lookup.
    async fn get_host_by_address(
        &self,
        addr: IpAddr,
        result: &mut [u8],
    ) -> Result<usize, Self::Error> {
        self.0.get_host_by_address(addr, result).await
    }
}
