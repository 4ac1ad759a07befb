//! Watch Star Wars in ASCII over telnet, the way the tutorial does: connect to
//! towel.blinkenlights.nl port 23 and print what arrives, minus the telnet protocol.
//!
//! ```text
//! cargo run --example starwars                      # needs the internet
//! cargo run --example starwars -- 127.0.0.1 2323    # a local server
//! cargo run --example starwars -- --async           # the async driver
//! ```
//!
//! The host goes through towel's getaddrinfo and connect; the clean stream (negotiation
//! answered, `IAC IAC` and `CR NUL` undone) goes to stdout as it arrives, so in a terminal the
//! film plays. Exits 0 when the server closes the connection, 1 with a message on any error.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use towel::io::Wait;
use towel::std_stack::{Async, Blocking};
use towel::telnet::TelnetStream;
use towel::{Hint, connect, connect_async, getaddrinfo, getaddrinfo_async};

const USAGE: &str = "usage: starwars [HOST [PORT]] [--async]";

/// How long a lookup or connect may take, and how long the server may stay silent.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

struct Args {
    host: String,
    port: u16,
    asynchronous: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut asynchronous = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--async" => asynchronous = true,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => positional.push(arg),
        }
    }
    if positional.len() > 2 {
        return Err(USAGE.into());
    }
    let mut positional = positional.into_iter();
    let host = positional
        .next()
        .unwrap_or_else(|| "towel.blinkenlights.nl".into());
    let port = match positional.next() {
        Some(p) => p.parse().map_err(|_| format!("bad port {p:?}\n{USAGE}"))?,
        None => 23,
    };
    Ok(Args {
        host,
        port,
        asynchronous,
    })
}

/// Writes one piece of the film to stdout at once, so the terminal shows it.
fn show(out: &mut std::io::StdoutLock<'_>, bytes: &[u8]) -> Result<(), String> {
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("writing to stdout: {e}"))
}

fn watch_blocking(args: &Args) -> Result<(), String> {
    use embedded_io::Read;

    let mut stack = Blocking;
    let mut wait = Wait::std(LOOKUP_TIMEOUT);
    let addrs = getaddrinfo(
        &mut stack,
        &args.host,
        args.port,
        Hint::default(),
        &mut wait,
    )
    .map_err(|e| format!("looking up {}: {e}", args.host))?;
    let (conn, _) = connect(&mut stack, &addrs, Wait::std(READ_TIMEOUT))
        .map_err(|e| format!("connecting to {}:{}: {e}", args.host, args.port))?;
    let mut telnet = TelnetStream::new(conn);
    let mut buf = [0u8; 1024];
    let mut out = std::io::stdout().lock();
    loop {
        let n = telnet.read(&mut buf).map_err(|e| format!("reading: {e}"))?;
        if n == 0 {
            return Ok(());
        }
        show(&mut out, &buf[..n])?;
    }
}

fn watch_async(args: &Args) -> Result<(), String> {
    use embedded_io_async::Read;

    async_io::block_on(async {
        let stack = Async::default();
        let addrs = getaddrinfo_async(&stack, &args.host, args.port, Hint::default())
            .await
            .map_err(|e| format!("looking up {}: {e}", args.host))?;
        let (conn, _) = connect_async(&stack, &addrs)
            .await
            .map_err(|e| format!("connecting to {}:{}: {e}", args.host, args.port))?;
        let mut telnet = TelnetStream::new(conn);
        let mut buf = [0u8; 1024];
        let mut out = std::io::stdout().lock();
        loop {
            // No deadline of its own: the async read is cancel-safe, so a timeout wraps it.
            let read = telnet.read(&mut buf);
            let timeout = async {
                async_io::Timer::after(READ_TIMEOUT).await;
                Err(std::io::Error::from(std::io::ErrorKind::TimedOut))
            };
            let n = futures_lite::future::or(read, timeout)
                .await
                .map_err(|e| format!("reading: {e}"))?;
            if n == 0 {
                return Ok(());
            }
            show(&mut out, &buf[..n])?;
        }
    })
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| {
        if args.asynchronous {
            watch_async(&args)
        } else {
            watch_blocking(&args)
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("starwars: {message}");
            ExitCode::FAILURE
        }
    }
}
