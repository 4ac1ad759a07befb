//! `cargo run --example tour`: every capability of towel, offline, on loopback, in seconds.
//!
//! Each step is one function that prints a line or two and returns an error if it went wrong;
//! `STEPS` lists them in order. A new feature adds its function and one line to `STEPS`.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use embedded_io::{Read, Write};
use towel::io::Wait;
use towel::std_stack::{Async, Blocking};
use towel::{Hint, connect, connect_async, getaddrinfo, getaddrinfo_async};

type StepResult = Result<(), Box<dyn std::error::Error>>;

/// One step: what it shows, and the function that shows it.
type Step = (&'static str, fn() -> StepResult);

/// The tour, in order.
const STEPS: &[Step] = &[
    ("getaddrinfo: localhost", resolve_localhost),
    ("getaddrinfo: an IPv6 literal, async", resolve_literal_async),
    (
        "getaddrinfo: a bad name is refused before any query",
        resolve_bad_name,
    ),
    (
        "connect: a listener on loopback, past a refused address",
        connect_loopback,
    ),
    (
        "connect_async: the same on the async stack",
        connect_loopback_async,
    ),
];

fn main() -> ExitCode {
    let mut failed = 0;
    for (i, (what, step)) in STEPS.iter().enumerate() {
        println!("{}. {what}", i + 1);
        if let Err(e) = step() {
            println!("   FAILED: {e}");
            failed += 1;
        }
    }
    if failed == 0 {
        println!("all {} steps worked", STEPS.len());
        ExitCode::SUCCESS
    } else {
        println!("{failed} of {} steps failed", STEPS.len());
        ExitCode::FAILURE
    }
}

/// The blocking driver's wait: std clock, a short sleep while the stack would block.
fn wait() -> Wait<towel::io::StdClock, towel::io::Sleep> {
    Wait::std(Duration::from_secs(5))
}

fn resolve_localhost() -> StepResult {
    let mut stack = Blocking;
    let addrs = getaddrinfo(&mut stack, "localhost", 80, Hint::Ipv4First, &mut wait())?;
    println!("   localhost:80 -> {addrs:?} (no DNS query: localhost is loopback)");
    Ok(())
}

fn resolve_literal_async() -> StepResult {
    let stack = Async::default();
    let addrs =
        futures_lite::future::block_on(getaddrinfo_async(&stack, "[::1]", 8080, Hint::Ipv6Only))?;
    println!("   [::1]:8080 -> {addrs:?}");
    Ok(())
}

fn resolve_bad_name() -> StepResult {
    let mut stack = Blocking;
    match getaddrinfo(&mut stack, "evil\r\nhost", 80, Hint::Ipv4First, &mut wait()) {
        Err(e) => println!("   \"evil\\r\\nhost\" -> {e}"),
        Ok(addrs) => return Err(format!("a bad name resolved to {addrs:?}").into()),
    }
    Ok(())
}

/// A loopback address nobody listens on.
fn refused_addr() -> std::io::Result<std::net::SocketAddr> {
    TcpListener::bind("127.0.0.1:0")?.local_addr()
}

fn connect_loopback() -> StepResult {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let good = listener.local_addr()?;
    let bad = refused_addr()?;
    let server = std::thread::spawn(move || -> std::io::Result<()> {
        let (mut peer, _) = listener.accept()?;
        let mut hello = [0u8; 5];
        peer.read_exact(&mut hello)?;
        peer.write_all(b"hello back")
    });

    let mut stack = Blocking;
    let (mut conn, reached) = connect(&mut stack, &[bad, good], wait())?;
    conn.write_all(b"hello")?;
    let mut buf = [0u8; 10];
    conn.read_exact(&mut buf)?;
    conn.close()?;
    server.join().map_err(|_| "server thread panicked")??;
    println!(
        "   {bad} refused, {reached} answered {:?}",
        String::from_utf8_lossy(&buf)
    );
    Ok(())
}

fn connect_loopback_async() -> StepResult {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let good = listener.local_addr()?;
    let bad = refused_addr()?;
    let stack = Async::default();
    let (_conn, reached) = futures_lite::future::block_on(connect_async(&stack, &[bad, good]))?;
    listener.accept()?;
    println!("   {bad} refused, connected to {reached}");
    Ok(())
}
