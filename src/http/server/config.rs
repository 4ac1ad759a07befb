//! The server's limits and deadlines, with device defaults.

use crate::http::config::{Config, Leniency, Limits};
use crate::io::ZeroRead;

/// What a request may cost the server, and how long each phase may take.
///
/// The defaults suit a device: a 1 KiB request target, an 8 KiB head (skipped header lines
/// count), the head within 10 s of the accept, the response within 10 s of its first byte.
///
/// ```
/// use towel::http::server::ServerConfig;
/// let config = ServerConfig { head_timeout_ms: 2_000, ..ServerConfig::DEFAULT };
/// assert_eq!(config.max_target, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ServerConfig {
    /// The longest request target; beyond it, or beyond what the buffer holds, 414.
    pub max_target: usize,
    /// The longest head, request line and skipped header lines included; beyond it, 431.
    pub max_head: usize,
    /// The most header lines the parser reads (kept or skipped by it); beyond it, 431.
    pub max_headers: usize,
    /// Milliseconds from the accept to the end of the head; beyond it, 408 and the close.
    pub head_timeout_ms: u32,
    /// Milliseconds from the accept to the end of the head while the slots are crowded
    /// (blocking server: another client waits for a slot; async server, which cannot see who
    /// waits: every slot is busy): a client still sending its head then gets 408 and the
    /// close, so that a few slow clients (a slow-headers attack) cannot keep the others out.
    pub crowded_head_timeout_ms: u32,
    /// Milliseconds for the whole response to be written; beyond it the client is dropped.
    pub response_timeout_ms: u32,
    /// Milliseconds to read and discard what a client still sends after its response (a
    /// request body, the rest of a refused head), so that closing does not reset the
    /// connection before the client has read the answer.
    pub linger_ms: u32,
    /// Deviations from RFC 9112 the server accepts: bare-LF line ends and empty lines before
    /// the request line (RFC 9112 §2.2 allows both), by default.
    pub leniency: Leniency,
    /// What a receive of 0 bytes means on the blocking stack: the end of stream (std
    /// sockets, the default) or "nothing yet" (smoltcp-nal). The async server ignores it.
    pub zero_read: ZeroRead,
}

impl ServerConfig {
    /// The device defaults: see the type's docs.
    pub const DEFAULT: ServerConfig = ServerConfig {
        max_target: 1024,
        max_head: 8192,
        max_headers: 64,
        head_timeout_ms: 10_000,
        crowded_head_timeout_ms: 200,
        response_timeout_ms: 10_000,
        linger_ms: 1_000,
        leniency: Leniency {
            lf_line_ends: true,
            leading_empty_lines: true,
            multiple_spaces: false,
        },
        zero_read: ZeroRead::Eof,
    };

    /// What an [`Exchange`](super::Exchange) checks itself (the parser checks the rest).
    pub(super) const fn checks(&self) -> Checks {
        Checks {
            max_head: self.max_head,
            head_timeout_ms: self.head_timeout_ms,
            crowded_head_timeout_ms: self.crowded_head_timeout_ms,
            response_timeout_ms: self.response_timeout_ms,
            linger_ms: self.linger_ms,
        }
    }

    /// The head parser's configuration for a buffer of `buffer_len` bytes.
    pub(crate) const fn parser_config(&self, buffer_len: usize) -> Config {
        Config {
            limits: Limits {
                max_line: buffer_len,
                max_headers: self.max_headers,
                max_target: self.max_target,
                max_chunk_size_digits: Limits::DEFAULT.max_chunk_size_digits,
            },
            leniency: self.leniency,
        }
    }
}

/// The fields of [`ServerConfig`] an exchange checks itself, kept in it (the head parser
/// keeps the others): fewer bytes to copy into every new exchange than the whole config.
#[derive(Debug, Clone, Copy)]
pub(super) struct Checks {
    pub(super) max_head: usize,
    pub(super) head_timeout_ms: u32,
    pub(super) crowded_head_timeout_ms: u32,
    pub(super) response_timeout_ms: u32,
    pub(super) linger_ms: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig::DEFAULT
    }
}
