//! [`ResolveError`]: why a lookup found no address. It knows host names, not TCP or HTTP.

use core::fmt;

use super::host::HostError;

/// How many bytes of a host name an error keeps (longer names are cut, with `...` shown).
pub const HOST_NAME_CAP: usize = 38;

/// A copy of the host name a lookup was for, kept in an error so its message can name it.
/// At most [`HOST_NAME_CAP`] bytes: a longer name is cut and shown with `...` at the end.
/// Bytes that are not printable ASCII (a refused name may hold any) are shown escaped.
#[derive(Clone, Copy, PartialEq, Eq)]
// Word-aligned, so the errors that carry it move by words, not byte by byte (issue 13).
#[repr(align(4))]
pub struct HostName {
    /// The name's first `len` bytes (a one-byte length keeps errors small: see issue 13).
    bytes: [u8; HOST_NAME_CAP],
    len: u8,
    /// 1 when the name was cut, else 0. A `u8`, not a `bool`: a `bool`'s spare values became
    /// [`ResolveError`]'s tag, which put the name at another offset in each variant, so every
    /// error was rebuilt byte by byte (issue 13).
    cut: u8,
}

impl HostName {
    /// Copies `host`, cut to [`HOST_NAME_CAP`] bytes.
    // Out of line: inlined into `Lookup::finish`, its array was built on the stack and then
    // moved byte by byte into each error variant (300-400 B on riscv32imc, issue 13).
    #[inline(never)]
    pub fn new(host: &str) -> Self {
        let keep = host
            .as_bytes()
            .get(..HOST_NAME_CAP)
            .unwrap_or(host.as_bytes());
        // One byte loop that copies and zero-fills: a zeroed array then `copy_from_slice`
        // links `memset` (108 bytes on riscv32imc) where nothing else needs it.
        let bytes = core::array::from_fn(|i| keep.get(i).copied().unwrap_or(0));
        HostName {
            bytes,
            // At most HOST_NAME_CAP (38): fits.
            len: u8::try_from(keep.len()).unwrap_or(u8::MAX),
            cut: u8::from(host.len() > HOST_NAME_CAP),
        }
    }

    /// The bytes kept (a prefix of the name when [`HostName::is_cut`]).
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes
            .get(..usize::from(self.len))
            .unwrap_or(&self.bytes)
    }

    /// Whether the name was longer than [`HOST_NAME_CAP`] and cut.
    pub fn is_cut(&self) -> bool {
        self.cut != 0
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.as_bytes() {
            if b.is_ascii_graphic() {
                fmt::Write::write_char(f, char::from(b))?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        if self.is_cut() {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for HostName {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=[u8]:a}", self.as_bytes())
    }
}

/// Why [`getaddrinfo`](super::getaddrinfo) or [`getaddrinfo_async`](super::getaddrinfo_async)
/// found no address. `D` is the resolver's own error. Each variant names the host.
///
/// It converts into [`crate::Error`] with `?`.
///
/// ```
/// use towel::{Hint, getaddrinfo, io::Wait, resolve::ResolveError, std_stack::Blocking};
///
/// let mut wait = Wait::std(std::time::Duration::from_secs(1));
/// let err = getaddrinfo(&mut Blocking, "a..b", 80, Hint::Ipv4First, &mut wait).unwrap_err();
/// assert!(matches!(err, ResolveError::Host { .. }));
/// assert_eq!(err.to_string(), "bad host name \"a..b\": empty label at byte 2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ResolveError<D> {
    /// The host string was refused before any query.
    Host {
        /// The host, as given.
        host: HostName,
        /// What is wrong with it.
        error: HostError,
    },
    /// The host has no address in the requested family.
    NoAddress {
        /// The host looked up.
        host: HostName,
    },
    /// The resolver failed (the last failure, if both families were asked).
    Resolver {
        /// The host looked up.
        host: HostName,
        /// The resolver's own error.
        error: D,
    },
    /// The lookup's deadline passed.
    Timeout {
        /// The host looked up.
        host: HostName,
        /// How long the lookup waited, in milliseconds.
        after_ms: u32,
    },
}

impl<D> ResolveError<D> {
    /// The host the lookup was for.
    pub fn host(&self) -> &HostName {
        match self {
            ResolveError::Host { host, .. }
            | ResolveError::NoAddress { host }
            | ResolveError::Resolver { host, .. }
            | ResolveError::Timeout { host, .. } => host,
        }
    }
}

impl<D: fmt::Display> fmt::Display for ResolveError<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Host { host, error } => write!(f, "bad host name \"{host}\": {error}"),
            ResolveError::NoAddress { host } => {
                write!(f, "no address found for {host} in the requested family")
            }
            ResolveError::Resolver { host, error } => {
                write!(f, "looking up {host} failed: {error}")
            }
            ResolveError::Timeout { host, after_ms } => {
                write!(f, "looking up {host} timed out after {after_ms} ms")
            }
        }
    }
}

impl<D: fmt::Debug + fmt::Display + core::error::Error + 'static> core::error::Error
    for ResolveError<D>
{
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ResolveError::Resolver { error, .. } => Some(error),
            ResolveError::Host { error, .. } => Some(error),
            _ => None,
        }
    }
}
