//! `cargo run --example tour`: every capability of towel, offline, on loopback, in seconds.
//!
//! Each step is one function that prints a line or two and returns an error if it went wrong;
//! `STEPS` lists them in order. A new feature adds its function and one line to `STEPS`.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use embedded_io::{Read, Write};
use towel::http::client::{Options, get, get_async};
use towel::io::Wait;
use towel::std_stack::{Async, Blocking};
use towel::telnet::TelnetStream;
use towel::{Hint, connect, connect_async, getaddrinfo, getaddrinfo_async};
use towel_testkit::movie;

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
    (
        "telnet: a tiny movie from a local towel-style server",
        telnet_movie,
    ),
    (
        "http GET: a page from a server on loopback, 256-byte buffer",
        http_get_page,
    ),
    (
        "http GET async: following a redirect, chunked body",
        http_get_redirect_async,
    ),
    (
        "http server: the pin page on loopback, read back with towel's GET",
        pin_page,
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

/// The local movie server negotiates like towel.blinkenlights.nl (DO LINEMODE first, nothing
/// until we answer, then ECHO, SGA, TTYPE, NAWS); the TelnetStream answers and hands out the
/// frames as clean text, played here in place (each frame's "home, clear screen" becomes
/// "up 13 lines, clear below", so the tour's earlier lines stay on screen).
fn telnet_movie() -> StepResult {
    const FRAMES: usize = 8;
    let film = movie::make_movie(FRAMES, false);
    let server = movie::MovieServer::start(&film, Duration::from_millis(40));

    let mut stack = Blocking;
    let addrs = getaddrinfo(
        &mut stack,
        "127.0.0.1",
        server.addr.port(),
        Hint::Ipv4First,
        &mut wait(),
    )?;
    let (conn, _) = connect(&mut stack, &addrs, wait())?;
    let mut telnet = TelnetStream::new(conn);

    const REDRAW: &[u8] = b"\x1b[H\x1b[J";
    let mut received = Vec::new();
    let mut shown = 0; // bytes of `received` already played
    let mut frames = 0;
    let mut out = std::io::stdout().lock();
    let mut buf = [0u8; 256];
    loop {
        let n = telnet.read(&mut buf)?;
        received.extend_from_slice(&buf[..n]);
        // Play every complete frame (one that the next frame's redraw, or the end, closes).
        loop {
            let body = shown + REDRAW.len();
            let next = received
                .get(body..)
                .and_then(|rest| rest.windows(REDRAW.len()).position(|w| w == REDRAW))
                .map(|at| body + at)
                .or((n == 0 && received.len() > shown).then_some(received.len()));
            let Some(end) = next else { break };
            let redraw: &[u8] = if frames == 0 { b"" } else { b"\x1b[13A\x1b[J" };
            out.write_all(redraw)?;
            out.write_all(&received[body.min(end)..end])?;
            out.flush()?;
            frames += 1;
            shown = end;
        }
        if n == 0 {
            break;
        }
    }
    drop(telnet);
    let report = server.finish();
    if received != movie::expected_output(&film) {
        return Err("the frames arrived damaged".into());
    }
    let answers: Vec<String> = report
        .negotiation
        .iter()
        .map(|&(verb, option)| {
            let verb = towel::telnet::Verb::from_byte(verb).map_or("?".into(), |v| v.to_string());
            let option = match option {
                movie::ECHO => "ECHO".to_string(),
                movie::SGA => "SUPPRESS-GO-AHEAD".into(),
                movie::TTYPE => "TERMINAL-TYPE".into(),
                movie::NAWS => "NAWS".into(),
                movie::LINEMODE => "LINEMODE".into(),
                other => other.to_string(),
            };
            format!("{verb} {option}")
        })
        .collect();
    println!(
        "   {frames} frames played; we answered: {}",
        answers.join(", ")
    );
    Ok(())
}
/// A tiny HTTP server on loopback for `connections` requests: `/old` redirects to `/pins`,
/// which answers a chunked page. Returns its address.
fn pin_server(connections: usize) -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut peer) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && peer.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let reply: &[u8] = if head.starts_with(b"GET /old ") {
                b"HTTP/1.1 301 Moved Permanently\r\nLocation: /pins\r\nContent-Length: 0\r\n\r\n"
            } else {
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
                  6\r\nGPIO2 \r\n4\r\nhigh\r\n0\r\n\r\n"
            };
            let _ = peer.write_all(reply);
        }
    });
    Ok(addr)
}

fn http_get_page() -> StepResult {
    let addr = pin_server(1)?;
    let url = format!("http://{addr}/pins");
    let mut stack = Blocking;
    let mut buf = [0u8; 256];
    let options = Options::DEFAULT.keep(&["Content-Type"]);
    let mut response = get(&mut stack, wait(), &url, &options, &mut buf)?;
    let mut body = [0u8; 64];
    let mut len = 0;
    loop {
        let n = response.body.read(&mut body[len..])?;
        if n == 0 {
            break;
        }
        len += n;
    }
    println!(
        "   GET {url} -> {} {}, Content-Type {:?}, body {:?}",
        response.head.status(),
        String::from_utf8_lossy(response.head.reason()),
        response.head.header_str("content-type").unwrap_or("?"),
        String::from_utf8_lossy(&body[..len])
    );
    Ok(())
}

fn http_get_redirect_async() -> StepResult {
    use embedded_io_async::Read as _;
    let addr = pin_server(2)?;
    let url = format!("http://{addr}/old");
    futures_lite::future::block_on(async {
        let stack = Async::default();
        let mut buf = [0u8; 256];
        let options = Options::DEFAULT.follow(3);
        let mut response = get_async(&stack, &stack, &url, &options, &mut buf).await?;
        let mut body = [0u8; 64];
        let mut len = 0;
        loop {
            let n = response.body.read(&mut body[len..]).await?;
            if n == 0 {
                break;
            }
            len += n;
        }
        println!(
            "   GET {url} -> {} after {} redirect to {}, body {:?}",
            response.head.status(),
            response.head.redirects(),
            response.head.url(),
            String::from_utf8_lossy(&body[..len])
        );
        Ok(())
    })
}

/// The pin page (8 pins labelled as in the tutorial, every other one high) served by towel's
/// blocking server on loopback, fetched with towel's client; prints the table's rows.
fn pin_page() -> StepResult {
    use towel::http::page::PinPage;
    use towel::http::server::{ServerConfig, serve_blocking};

    struct Level(bool);
    impl embedded_hal::digital::ErrorType for Level {
        type Error = core::convert::Infallible;
    }
    impl embedded_hal::digital::InputPin for Level {
        fn is_high(&mut self) -> Result<bool, Self::Error> {
            Ok(self.0)
        }
        fn is_low(&mut self) -> Result<bool, Self::Error> {
            Ok(!self.0)
        }
    }

    let mut listener = Blocking::listen_on("127.0.0.1:0".parse()?)?;
    let addr = listener.local_addr().ok_or("no local address")?;
    std::thread::spawn(move || {
        let labels = ["0", "2", "4", "5", "12", "13", "14", "15"];
        let page: PinPage<Level, 8> =
            PinPage::new(core::array::from_fn(|i| (labels[i], Level(i % 2 == 0))));
        let mut buffers = [[0u8; 512]; 2];
        let mut wait = Wait::std(Duration::from_secs(1));
        serve_blocking(
            &mut Blocking,
            &mut listener,
            &&page,
            &mut wait,
            ServerConfig::DEFAULT,
            &mut buffers,
        )
    });
    let url = format!("http://{addr}/");
    let mut buf = [0u8; 256];
    let mut stack = Blocking;
    let mut response = get(&mut stack, wait(), &url, &Options::DEFAULT, &mut buf)?;
    let mut html = Vec::new();
    let mut chunk = [0u8; 128];
    loop {
        let n = response.body.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        html.extend_from_slice(&chunk[..n]);
    }
    println!(
        "   GET {url} -> {}, {} bytes",
        response.head.status(),
        html.len()
    );
    let html = String::from_utf8(html)?;
    for row in html.lines().filter(|l| l.starts_with("<tr><td>")) {
        let cells: Vec<&str> = row
            .split("<td>")
            .skip(1)
            .map(|c| c.split('<').next().unwrap_or(""))
            .collect();
        println!(
            "   pin {:>2}: {}",
            cells.first().unwrap_or(&"?"),
            cells.get(1).unwrap_or(&"?")
        );
    }
    Ok(())
}
