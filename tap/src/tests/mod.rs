//! The tests, in the order they run: async on embassy-net first, then blocking on smoltcp.

mod blocking;
mod embassy;
mod pin_server;

use std::time::Duration;

use crate::Test;
use crate::recipes::Fetched;

/// All tests. Each opens the TAP device for itself and closes it when done.
pub const ALL: &[Test] = &[
    (
        "embassy-net: getaddrinfo_async through EmbassyDns (DnsSocket) and dnsmasq",
        secs(20),
        embassy::resolve,
    ),
    (
        "embassy-net: a name dnsmasq does not know is a typed error",
        secs(20),
        embassy::resolve_unknown,
    ),
    (
        "embassy-net: GET 10 MiB from nginx by name, byte-exact",
        secs(120),
        embassy::get_big,
    ),
    (
        "embassy-net: a telnet movie, byte-exact",
        secs(40),
        embassy::telnet_movie,
    ),
    (
        "embassy-net fault: the peer resets mid-body",
        secs(40),
        embassy::reset_mid_body,
    ),
    (
        "embassy-net fault: the peer never answers, the deadline fires",
        secs(30),
        embassy::silent_peer,
    ),
    (
        "embassy-net fault: 5% of frames lost each way",
        secs(150),
        embassy::lossy_get,
    ),
    (
        "embassy-net: the pin page with 8 slots, fetched by curl and ab -c 4",
        secs(120),
        pin_server::pin_server,
    ),
    (
        "smoltcp-nal: getaddrinfo through dnsmasq",
        secs(20),
        blocking::resolve,
    ),
    (
        "smoltcp-nal: GET 10 MiB from nginx by name, byte-exact",
        secs(120),
        blocking::get_big,
    ),
    (
        "smoltcp-nal: a telnet movie, byte-exact",
        secs(40),
        blocking::telnet_movie,
    ),
    (
        "smoltcp-nal fault: the peer resets mid-body (Content-Length)",
        secs(40),
        blocking::reset_mid_body,
    ),
    (
        "smoltcp-nal: a reset reads as the end of the stream (until-close body)",
        secs(40),
        blocking::reset_reads_as_end,
    ),
    (
        "smoltcp-nal: a reset-aware adapter reports it",
        secs(40),
        blocking::reset_aware,
    ),
    (
        "smoltcp-nal fault: the peer never answers, the deadline fires",
        secs(30),
        blocking::silent_peer,
    ),
];

const fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// The movie the telnet tests play: 40 frames with 0xFF bytes and bare CRs in them.
pub fn film() -> Vec<u8> {
    crate::movie::make_movie(40, true)
}

/// Checks a GET against the file nginx served.
pub fn same_file(got: &Fetched, want: (u64, [u8; 32])) -> Result<String, String> {
    if got.status != 200 {
        return Err(format!("status {}", got.status));
    }
    if (got.len, got.sha256) != want {
        return Err(format!(
            "body differs: {} bytes, want {} (SHA-256 differs)",
            got.len, want.0
        ));
    }
    Ok(format!("{} bytes, SHA-256 matches", got.len))
}

/// Checks a telnet read against the movie.
pub fn same_text(text: &[u8]) -> Result<String, String> {
    let want = crate::movie::expected_output(&film());
    if text != want {
        return Err(format!(
            "clean text differs: {} bytes, want {}",
            text.len(),
            want.len()
        ));
    }
    Ok(format!("{} bytes of frames", text.len()))
}

/// Checks a telnet read against the movie and what the server saw.
pub fn same_movie(text: &[u8], report: crate::movie::Report) -> Result<String, String> {
    same_text(text)?;
    if !report.answered_before_frames {
        return Err("the server saw no answer to DO LINEMODE before the frames".into());
    }
    Ok(format!(
        "{} bytes of frames, negotiation answered",
        text.len()
    ))
}
