//! The response head the caller gets ([`Head`]) and the kept-header store behind it: records
//! written in the caller's buffer, after the URL of a redirect, each where its line was.

use core::fmt;

use super::fail::Fail;
use crate::ascii::eq_ignore_case;
use crate::http::body::Framing;
use crate::http::error::HttpError;
use crate::http::head::Version;
use crate::http::moves::move_down;

#[cfg(doc)]
use super::{asynch::AsyncResponse, blocking::Response, options::Options};

/// Tag of the record that holds the reason phrase among the kept values.
pub(super) const REASON: u8 = u8::MAX;

/// The names of [`Options::keep`] that count: the first 64 (one bit each in the exchange's
/// mask of kept records), so no name's index is ever [`REASON`].
pub(super) fn counted<'a>(keep: &'a [&'a str]) -> &'a [&'a str] {
    keep.get(..64).unwrap_or(keep)
}

/// Writes the record `value, len (2 bytes, little endian), tag` at `at`, with the value taken
/// from `value_at..value_at + len` (at or after `at`, and before `end`, the end of the line it
/// is in, within `buf`); the record must end by `end`. Returns where the record ends.
pub(super) fn push_record(
    buf: &mut [u8],
    at: usize,
    end: usize,
    value_at: usize,
    len: usize,
    tag: u8,
) -> Result<usize, Fail> {
    let too_long = Fail::Http(HttpError::HeaderTooLong);
    let len16 = u16::try_from(len).map_err(|_| too_long)?;
    let trailer_at = at.checked_add(len).ok_or(too_long)?;
    let record_end = trailer_at.checked_add(3).ok_or(too_long)?;
    let value_end = value_at.checked_add(len).ok_or(too_long)?;
    if record_end > end || value_at < at || value_end > end {
        return Err(too_long);
    }
    move_down(buf, value_at, value_end, at);
    let [lo, hi] = len16.to_le_bytes();
    let trailer = buf
        .get_mut(trailer_at..)
        .and_then(<[u8]>::first_chunk_mut::<3>)
        .ok_or(too_long)?;
    *trailer = [lo, hi, tag];
    Ok(record_end)
}

/// Finds the record tagged `tag` in `records` (as written by `push_record`, newest first).
fn find_record(records: &[u8], tag: u8) -> Option<&[u8]> {
    // Records are laid out back to front: walk from the end of the region.
    let mut rest = records;
    while let Some((&last, before)) = rest.split_last() {
        let (before, len_bytes) = before.split_at_checked(before.len().checked_sub(2)?)?;
        let len = usize::from(u16::from_le_bytes([
            *len_bytes.first()?,
            *len_bytes.get(1)?,
        ]));
        let (before, value) = before.split_at_checked(before.len().checked_sub(len)?)?;
        if last == tag {
            return Some(value);
        }
        rest = before;
    }
    None
}

/// The response head: status line, kept headers, where the response came from.
///
/// Borrowed from the caller's buffer. See [`Response`] and [`AsyncResponse`]. Only the
/// headers named in [`Options::keep`] are here; to see every header as it goes by, use
/// [`Options::visit`].
///
/// ```
/// # use std::io::Write as _;
/// use std::time::Duration;
/// use towel::http::{Framing, Version, client::{Options, get}};
/// use towel::{io::Wait, std_stack::Blocking};
///
/// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// # let url = format!("http://{}/pins", listener.local_addr()?);
/// # std::thread::spawn(move || {
/// #     let (mut peer, _) = listener.accept().unwrap();
/// #     let _ = std::io::Read::read(&mut peer, &mut [0u8; 512]);
/// #     peer.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nhigh").unwrap();
/// # });
/// let (mut stack, mut buf) = (Blocking, [0u8; 256]);
/// let options = Options::DEFAULT.keep(&["Content-Type", "ETag"]);
/// let response = get(&mut stack, Wait::std(Duration::from_secs(5)), &url, &options, &mut buf)?;
/// let head = response.head;
/// assert_eq!((head.version(), head.status(), head.reason()), (Version::Http11, 200, &b"OK"[..]));
/// assert_eq!(head.header_str("content-type"), Some("text/plain"));
/// assert_eq!(head.header("etag"), None); // asked for, not sent
/// assert_eq!(head.framing(), Framing::ContentLength(4));
/// assert_eq!((head.url(), head.redirects()), (url.as_str(), 0));
/// # Ok::<(), towel::std_stack::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Head<'b> {
    pub(super) url: &'b str,
    pub(super) redirects: u8,
    pub(super) version: Version,
    pub(super) status: u16,
    pub(super) framing: Framing,
    pub(super) keep: &'b [&'b str],
    pub(super) records: &'b [u8],
}

impl<'b> Head<'b> {
    /// The status code (`200`, `404`, ...).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reason phrase as sent (`OK`, `Not Found`, possibly empty).
    pub fn reason(&self) -> &'b [u8] {
        find_record(self.records, REASON).unwrap_or(&[])
    }

    /// The HTTP version of the status line (servers often answer a 1.0 request with 1.1).
    pub fn version(&self) -> Version {
        self.version
    }

    /// The value of a header named in [`Options::keep`] (any case), if the response had it;
    /// `None` for a name that was not asked for.
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        let tag = counted(self.keep)
            .iter()
            .position(|k| eq_ignore_case(k.as_bytes(), name.as_bytes()))?;
        find_record(self.records, u8::try_from(tag).ok()?)
    }

    /// [`header`](Self::header) as `str`, when it is UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&'b str> {
        core::str::from_utf8(self.header(name)?).ok()
    }

    /// The kept headers present in the response, in the order of [`Options::keep`].
    pub fn headers(&self) -> impl Iterator<Item = (&'b str, &'b [u8])> + '_ {
        self.keep
            .iter()
            .filter_map(|name| Some((*name, self.header(name)?)))
    }

    /// How the body is delimited.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The body length, when the server announced it (Content-Length).
    pub fn content_length(&self) -> Option<u64> {
        match self.framing {
            Framing::ContentLength(n) => Some(n),
            Framing::NoBody => Some(0),
            _ => None,
        }
    }

    /// The URL this response came from: the one asked for, or the last redirect's.
    pub fn url(&self) -> &'b str {
        self.url
    }

    /// How many redirects were followed to get here.
    pub fn redirects(&self) -> u8 {
        self.redirects
    }
}

impl fmt::Debug for Head<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Head");
        d.field("status", &self.status)
            .field("reason", &BytesStr(self.reason()))
            .field("version", &self.version)
            .field("framing", &self.framing)
            .field("url", &self.url)
            .field("redirects", &self.redirects);
        for (name, value) in self.headers() {
            d.field(name, &BytesStr(value));
        }
        d.finish()
    }
}

/// Shows bytes as text where they are printable.
struct BytesStr<'a>(&'a [u8]);

impl fmt::Debug for BytesStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for chunk in self.0.utf8_chunks() {
            for c in chunk.valid().chars() {
                fmt::Display::fmt(&c.escape_debug(), f)?;
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        f.write_str("\"")
    }
}
