//! `http_get(url)`: GET a URL over HTTP/1.0 with towel's client on the PC's std sockets.
//!
//! ```text
//! cargo run --example http_get -- URL [--follow] [--async] [--timeout SECS]
//! ```
//!
//! - The body goes to stdout, byte for byte; the status line and the common headers (the 24
//!   in `KEEP`: Content-Type, Content-Length, Location, ...) go to stderr.
//! - Exit status 0 when a complete response came back, whatever its status code; 1 with a
//!   one-line message on stderr for any error (bad URL, resolution, connection, timeout,
//!   malformed or truncated response).
//! - `--follow` follows up to 5 redirects; `--async` uses the async client (on
//!   std-embedded-nal-async); `--timeout` bounds connecting and each wait on the server
//!   (default 30 s), so a server that accepts and never answers ends in a timeout.
//!
//! Buffers: 4 KiB for the response head (and redirects), 4 KiB for each body read.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use towel::http::Version;
use towel::http::client::{DEFAULT_MAX_REDIRECTS, Head, Options, get, get_async};
use towel::io::Wait;

/// The headers shown on stderr (towel keeps only the headers it is asked for, in this order).
const KEEP: &[&str] = &[
    "Server",
    "Date",
    "Content-Type",
    "Content-Length",
    "Content-Encoding",
    "Content-Language",
    "Content-Disposition",
    "Content-Range",
    "Transfer-Encoding",
    "Last-Modified",
    "ETag",
    "Accept-Ranges",
    "Cache-Control",
    "Expires",
    "Age",
    "Vary",
    "Location",
    "Retry-After",
    "Allow",
    "WWW-Authenticate",
    "Set-Cookie",
    "X-Powered-By",
    "Keep-Alive",
    "Connection",
];

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
    let options = Options::DEFAULT.keep(KEEP).follow(if args.follow {
        DEFAULT_MAX_REDIRECTS
    } else {
        0
    });
    let result = if args.nonblocking {
        run_async(&args, &options)
    } else {
        run_blocking(&args, &options)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("http_get: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The status line and kept headers, to stderr.
fn show(head: &Head<'_>) {
    let version = match head.version() {
        Version::Http10 => "HTTP/1.0",
        Version::Http11 => "HTTP/1.1",
    };
    let mut err = std::io::stderr().lock();
    if head.redirects() > 0 {
        let _ = writeln!(
            err,
            "(followed {} redirect(s) to {})",
            head.redirects(),
            head.url()
        );
    }
    let _ = writeln!(
        err,
        "{version} {} {}",
        head.status(),
        String::from_utf8_lossy(head.reason())
    );
    for (name, value) in head.headers() {
        let _ = writeln!(err, "{name}: {}", String::from_utf8_lossy(value));
    }
    let _ = writeln!(err);
}

fn run_blocking(args: &Args, options: &Options<'_>) -> Result<(), String> {
    use embedded_io::Read;
    let mut stack = towel::std_stack::Blocking;
    let wait = Wait::std(args.timeout);
    let mut buf = [0u8; 4096];
    let mut response =
        get(&mut stack, wait, &args.url, options, &mut buf).map_err(|e| e.to_string())?;
    show(&response.head);
    let mut out = stdout()?;
    let mut chunk = [0u8; 4096];
    loop {
        let n = response.body.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        out.write_all(&chunk[..n])
            .map_err(|e| format!("writing stdout: {e}"))?;
    }
    out.flush().map_err(|e| format!("writing stdout: {e}"))
}

fn run_async(args: &Args, options: &Options<'_>) -> Result<(), String> {
    use embedded_io_async::Read;
    futures_lite::future::block_on(async {
        let stack = towel::std_stack::Async::default();
        let mut buf = [0u8; 4096];
        let mut response = deadline(
            args.timeout,
            get_async(&stack, &stack, &args.url, options, &mut buf),
        )
        .await?
        .map_err(|e| e.to_string())?;
        show(&response.head);
        let mut out = stdout()?;
        let mut chunk = [0u8; 4096];
        loop {
            let n = deadline(args.timeout, response.body.read(&mut chunk))
                .await?
                .map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            out.write_all(&chunk[..n])
                .map_err(|e| format!("writing stdout: {e}"))?;
        }
        out.flush().map_err(|e| format!("writing stdout: {e}"))
    })
}

/// Stdout as a plain file: std's `Stdout` is line-buffered, which splits binary data at each
/// newline into extra writes (twice the system calls).
fn stdout() -> Result<std::fs::File, String> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout().as_fd().try_clone_to_owned();
    fd.map(std::fs::File::from)
        .map_err(|e| format!("stdout: {e}"))
}

/// The async client has no deadlines of its own (it is cancel-safe): race each step against a
/// timer, as a firmware would with its runtime's timeout.
async fn deadline<T>(timeout: Duration, step: impl Future<Output = T>) -> Result<T, String> {
    futures_lite::future::or(async { Ok(step.await) }, async {
        async_io::Timer::after(timeout).await;
        Err("timed out".to_string())
    })
    .await
}
