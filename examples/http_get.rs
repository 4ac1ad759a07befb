//! `http_get(url)`: GET a URL over HTTP/1.0 with towel's client on the PC's std sockets.
//!
//! ```text
//! cargo run --example http_get -- URL [--follow] [--async] [--timeout SECS]
//! ```
//!
//! - The body goes to stdout, byte for byte; the response head goes to stderr as the server
//!   sent it (status line and every header field, seen through `Options::visit`, without a
//!   buffer for the whole head).
//! - Exit status 0 when a complete response came back, whatever its status code; 1 with a
//!   one-line message on stderr for any error (bad URL, resolution, connection, timeout,
//!   malformed or truncated response).
//! - `--follow` follows up to 5 redirects; `--async` uses the async client (on
//!   std-embedded-nal-async); `--timeout` bounds the whole exchange, lookup to last body byte
//!   (default 30 s), so a server that never answers, or trickles, ends in a timeout.
//!
//! Buffers: 4 KiB for the response head (and redirects), 4 KiB for each body read.

use std::cell::RefCell;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use towel::error::{Phase, Timeout};
use towel::http::client::{DEFAULT_MAX_REDIRECTS, Follow, Head, Options, Visitor, get, get_async};
use towel::http::{Event, Version};
use towel::io::Wait;

const USAGE: &str = "usage: http_get URL [--follow] [--async] [--timeout SECS]";

struct Args {
    url: String,
    follow: bool,
    nonblocking: bool,
    timeout: Duration,
}

fn args() -> Result<Args, String> {
    let mut url = None;
    let mut follow = false;
    let mut nonblocking = false;
    let mut timeout = Duration::from_secs(30);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--follow" => follow = true,
            "--async" => nonblocking = true,
            "--timeout" => {
                let secs = args.next().ok_or("--timeout needs a number of seconds")?;
                let secs: f64 = secs
                    .parse()
                    .map_err(|_| format!("--timeout {secs}: not a number"))?;
                timeout = Duration::try_from_secs_f64(secs)
                    .map_err(|_| format!("--timeout {secs}: out of range"))?;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            _ if url.is_none() => url = Some(arg),
            _ => return Err(format!("one URL only\n{USAGE}")),
        }
    }
    Ok(Args {
        url: url.ok_or(USAGE)?,
        follow,
        nonblocking,
        timeout,
    })
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("http_get: {message}");
            return ExitCode::FAILURE;
        }
    };
    // The head of the last response, as sent: each status line starts it over (a redirect's
    // or an interim 1xx head is not the one shown).
    let head = RefCell::new(String::new());
    let visit = |event: &Event<'_>| {
        let mut head = head.borrow_mut();
        match event {
            Event::Status(status) => {
                let version = match status.version {
                    Version::Http10 => "HTTP/1.0",
                    Version::Http11 => "HTTP/1.1",
                };
                let reason = String::from_utf8_lossy(status.reason);
                *head = format!("{version} {} {reason}\n", status.code);
            }
            Event::Header(field) => {
                let name = String::from_utf8_lossy(field.name);
                let value = String::from_utf8_lossy(field.value);
                head.push_str(&format!("{name}: {value}\n"));
            }
            _ => {}
        }
    };
    let follow = if args.follow {
        DEFAULT_MAX_REDIRECTS
    } else {
        0
    };
    let options = Options::DEFAULT.follow(follow).visit(&visit);
    let show = |response: &Head<'_>| show(response, &head.borrow());
    let result = if args.nonblocking {
        run_async(&args, &options, show)
    } else {
        run_blocking(&args, &options, show)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("http_get: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The head as the server sent it, to stderr (after where the redirects led).
fn show(response: &Head<'_>, head: &str) {
    let mut err = std::io::stderr().lock();
    if response.redirects() > 0 {
        let _ = writeln!(
            err,
            "(followed {} redirect(s) to {})",
            response.redirects(),
            response.url()
        );
    }
    let _ = writeln!(err, "{head}");
}

fn run_blocking(
    args: &Args,
    options: &Options<'_, Follow, Visitor<'_>>,
    show: impl Fn(&Head<'_>),
) -> Result<(), String> {
    use towel::embedded_io::Read;
    let mut stack = towel::std_stack::Blocking;
    let wait = Wait::std(args.timeout);
    let options = options.deadline_ms(millis(args.timeout));
    let mut buf = [0u8; 4096];
    let mut response =
        get(&mut stack, wait, &args.url, &options, &mut buf).map_err(|e| e.to_string())?;
    show(&response.head);
    let mut out = stdout()?;
    let mut chunk = [0u8; 4096];
    loop {
        let n = response
            .body
            .read(&mut chunk)
            .map_err(|e| towel::std_stack::Error::from(e).to_string())?;
        if n == 0 {
            break;
        }
        out.write_all(&chunk[..n])
            .map_err(|e| format!("writing stdout: {e}"))?;
    }
    out.flush().map_err(|e| format!("writing stdout: {e}"))
}

fn run_async(
    args: &Args,
    options: &Options<'_, Follow, Visitor<'_>>,
    show: impl Fn(&Head<'_>),
) -> Result<(), String> {
    use towel::embedded_io_async::Read;
    let exchange = async {
        let stack = towel::std_stack::Async::default();
        let mut buf = [0u8; 4096];
        let mut response = get_async(&stack, &stack, &args.url, options, &mut buf)
            .await
            .map_err(|e| e.to_string())?;
        show(&response.head);
        let mut out = stdout()?;
        let mut chunk = [0u8; 4096];
        loop {
            let n = response
                .body
                .read(&mut chunk)
                .await
                .map_err(|e| towel::std_stack::AsyncError::from(e).to_string())?;
            if n == 0 {
                break;
            }
            out.write_all(&chunk[..n])
                .map_err(|e| format!("writing stdout: {e}"))?;
        }
        out.flush().map_err(|e| format!("writing stdout: {e}"))
    };
    futures_lite::future::block_on(deadline(args.timeout, exchange))
}

/// A timeout in whole milliseconds, saturated.
fn millis(timeout: Duration) -> u32 {
    u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX)
}

/// Stdout as a plain file: std's `Stdout` is line-buffered, which splits binary data at each
/// newline into extra writes (twice the system calls).
fn stdout() -> Result<std::fs::File, String> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout().as_fd().try_clone_to_owned();
    fd.map(std::fs::File::from)
        .map_err(|e| format!("stdout: {e}"))
}

/// The async client has no clock of its own (it is cancel-safe): race the whole exchange
/// against one timer, as a firmware would with its runtime's timeout.
async fn deadline(
    timeout: Duration,
    exchange: impl Future<Output = Result<(), String>>,
) -> Result<(), String> {
    futures_lite::future::or(exchange, async {
        async_io::Timer::after(timeout).await;
        let timeout = Timeout {
            during: Phase::Exchange,
            after_ms: millis(timeout),
        };
        Err(timeout.to_string())
    })
    .await
}
