//! `cargo run --example pin_server -- [ADDR:PORT] [--async] [--slots N]`
//!
//! Serves the GPIO pin page (`/`) and its JSON (`/pins.json`) on ADDR:PORT (default
//! 127.0.0.1:8080) with 8 simulated pins labelled as in the tutorial (0, 2, 4, 5, 12, 13, 14,
//! 15), whose values change over time. One log line per request on stderr: peer, method,
//! path, status, bytes, time. Runs until killed. `--slots N` (1, 2, 4, 8 or 16, default 4)
//! is how many clients are served at once; `--async` uses the async server.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use embedded_hal::digital::{ErrorType, InputPin};
use towel::http::page::{PinPage, Snapshot};
use towel::http::server::{
    Handler, LogEntry, Request, Response, ServerConfig, serve_async, serve_blocking,
};
use towel::io::{StdClock, Wait};
use towel::std_stack::{AsyncListener, Blocking, Delay};

/// A simulated input pin: GPIO `n` is high for `n + 1` seconds, then low as long.
struct SimPin {
    n: u64,
    start: Instant,
}

impl ErrorType for SimPin {
    type Error = Infallible;
}

impl InputPin for SimPin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok((self.start.elapsed().as_secs() / (self.n + 1)).is_multiple_of(2))
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        self.is_high().map(|high| !high)
    }
}

type Page = PinPage<'static, SimPin, 8>;

/// The pin page, with a log line per request.
struct Logged<'p>(&'p Page);

impl<'p> Handler for Logged<'p> {
    type Body = Snapshot<'p, 'static, SimPin, 8>;

    fn respond(&self, request: &Request<'_>) -> Option<Response<Self::Body>> {
        self.0.respond(request)
    }

    fn log(&self, e: &LogEntry<'_>) {
        let peer = e.peer.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let method = if e.method.is_empty() { b"-" } else { e.method };
        let target = if e.target.is_empty() { b"-" } else { e.target };
        let (method, target) = (method.escape_ascii(), target.escape_ascii());
        eprintln!(
            "{peer} {method} {target} {} {} {}ms",
            e.status, e.bytes, e.elapsed_ms
        );
    }
}

fn page() -> Page {
    let start = Instant::now();
    let pin = |n: u64| SimPin { n, start };
    PinPage::new([
        ("0", pin(0)),
        ("2", pin(2)),
        ("4", pin(4)),
        ("5", pin(5)),
        ("12", pin(12)),
        ("13", pin(13)),
        ("14", pin(14)),
        ("15", pin(15)),
    ])
}

fn run<const N: usize>(addr: SocketAddr, asynch: bool) -> Result<(), Box<dyn std::error::Error>> {
    let page = page();
    let handler = Logged(&page);
    let mut buffers = [[0u8; 1100]; N];
    if asynch {
        let listener = AsyncListener::bind(addr)?;
        eprintln!(
            "serving http://{}/ (async, {N} slots)",
            listener.local_addr()?
        );
        let acceptors = [&listener; N];
        async_io::block_on(serve_async(
            acceptors,
            &mut buffers,
            &handler,
            StdClock::new(),
            Delay,
            ServerConfig::DEFAULT,
        ));
        Ok(())
    } else {
        let mut listener = Blocking::listen_on(addr)?;
        let bound = listener.local_addr().unwrap_or(addr);
        eprintln!("serving http://{bound}/ (blocking, {N} slots)");
        let mut wait = Wait::std(Duration::from_secs(1));
        serve_blocking(
            &mut Blocking,
            &mut listener,
            &handler,
            &mut wait,
            ServerConfig::DEFAULT,
            &mut buffers,
        )
    }
}

fn main() -> ExitCode {
    let mut addr: SocketAddr = ([127, 0, 0, 1], 8080).into();
    let mut asynch = false;
    let mut slots = 4usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let parsed = match arg.as_str() {
            "--async" => {
                asynch = true;
                Ok(())
            }
            "--slots" => args
                .next()
                .and_then(|n| n.parse().ok())
                .map(|n| slots = n)
                .ok_or("--slots needs a number"),
            other => other
                .parse()
                .map(|a| addr = a)
                .map_err(|_| "expected ADDR:PORT, --async or --slots N"),
        };
        if let Err(e) = parsed {
            eprintln!("pin_server: {e}");
            return ExitCode::FAILURE;
        }
    }
    let served = match slots {
        1 => run::<1>(addr, asynch),
        2 => run::<2>(addr, asynch),
        4 => run::<4>(addr, asynch),
        8 => run::<8>(addr, asynch),
        16 => run::<16>(addr, asynch),
        _ => Err("--slots: 1, 2, 4, 8 or 16".into()),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pin_server: {e}");
            ExitCode::FAILURE
        }
    }
}
