//! The pin page served from embassy-net with several slots (towel's `EmbassyAcceptor` and
//! `serve_async`, in `recipes::serve_pins`), fetched from the kernel side of the TAP by curl
//! (HTTP/1.0 and 1.1), by `ab -c 4`, and by a std socket that checks the close on the wire.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use embassy_futures::select::{Either, select};
use embassy_time::{Timer, with_timeout};

use crate::Env;
use crate::embassy_stack;
use crate::recipes::{self, PINS, SLOTS, Served};

/// The stack's address in the TAP's /24 (the other embassy tests use .2 too, one at a time).
const HOST_NUMBER: u8 = 2;
const PORT: u16 = 80;
/// ab's run: requests, clients at once.
const AB_REQUESTS: usize = 500;
const AB_CLIENTS: usize = 4;
/// How long the plain client keeps its end open after the server's FIN (within the server's
/// `linger_ms`, 1 s by default).
const HOLD: Duration = Duration::from_millis(300);

pub fn pin_server(env: &Env) -> Result<String, String> {
    let ip = env.local(HOST_NUMBER);
    let addr = SocketAddr::new(IpAddr::V4(ip), PORT);
    let device = embassy_stack::tap(&env.ifname, [0x02, 0x74, 0x77, 0x6c, 0x00, HOST_NUMBER])?;
    let log = RefCell::new(Vec::new());
    let (done, result) = mpsc::channel();
    let got = embassy_stack::run(device, ip, env.host, async |stack| {
        // The clients run on a thread of their own (curl and ab are subprocesses); this
        // thread runs the stack and the server until they are done.
        std::thread::spawn(move || {
            let _ = done.send(clients(addr));
        });
        let clients_done = async {
            loop {
                match result.try_recv() {
                    Ok(outcome) => return outcome,
                    Err(mpsc::TryRecvError::Empty) => Timer::after_millis(10).await,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        return Err("the client thread died".to_string());
                    }
                }
            }
        };
        let clients_done = async {
            let outcome = with_timeout(embassy_time::Duration::from_secs(90), clients_done).await;
            // The server logs a connection once its close is acknowledged: let the last ones
            // finish before the log is read.
            Timer::after_millis(1500).await;
            outcome
        };
        match select(recipes::serve_pins(stack, PORT, &log), clients_done).await {
            Either::First(()) => Err("the server stopped".to_string()),
            Either::Second(Ok(outcome)) => outcome,
            Either::Second(Err(_)) => Err("the clients were not done within 90 s".to_string()),
        }
    })??;
    let log = log.into_inner();
    let ok = log.iter().filter(|s| s.status == 200).count();
    // ab may open a connection it then closes unused: no request, no status. Anything else
    // that is not a 200 is a failure.
    let idle = log.iter().filter(|s| s.status == 0 && !s.request).count();
    let others: Vec<(usize, u16)> = log
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status != 200 && (s.status != 0 || s.request))
        .map(|(i, s)| (i, s.status))
        .collect();
    // The curl fetches, the wire check and ab's requests, each answered 200 by the server.
    let want = 4 + 1 + AB_REQUESTS;
    if ok != want || !others.is_empty() {
        return Err(format!(
            "server log: {ok} answered 200 (want {want}), others {others:?}; clients: {got}"
        ));
    }
    Ok(format!(
        "{got}; server: {ok} x 200, {idle} connection(s) closed without a request, up to {} \
         open at once (closing ones included)",
        most_at_once(&log)
    ))
}

/// What the host side checks, in order; a summary or what went wrong.
fn clients(addr: SocketAddr) -> Result<String, String> {
    let mut rows = 0;
    for version in ["--http1.0", "--http1.1"] {
        let page = curl(version, addr, "/")?;
        rows = table_rows(&page)?;
        let json = curl(version, addr, "/pins.json")?;
        let want = pins_json();
        if json != want {
            return Err(format!(
                "curl {version} /pins.json: {json:?}, want {want:?}"
            ));
        }
    }
    let close = closes_with_fin(addr)?;
    let ab = ab(addr)?;
    Ok(format!(
        "curl (1.0, 1.1): {rows} table rows and the JSON as served; {close}; {ab}"
    ))
}

/// GETs `path` with curl, checks the status (200), `Connection: close` and the length; gives
/// the body.
fn curl(version: &str, addr: SocketAddr, path: &str) -> Result<String, String> {
    let url = format!("http://{addr}{path}");
    let out = Command::new("curl")
        .args(["-sS", "-i", "--max-time", "10", version, &url])
        .output()
        .map_err(|e| format!("run curl: {e}"))?;
    let text = String::from_utf8(out.stdout).map_err(|_| format!("curl {url}: not UTF-8"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "curl {version} {url}: {} {}",
            out.status,
            err.trim()
        ));
    }
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("curl {version} {url}: no end of head in {text:?}"))?;
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    if !(status.starts_with("HTTP/1.") && status.split(' ').nth(1) == Some("200")) {
        return Err(format!("curl {version} {url}: status line {status:?}"));
    }
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    if header("connection").as_deref() != Some("close") {
        return Err(format!(
            "curl {version} {url}: no `Connection: close` in {head:?}"
        ));
    }
    if header("content-length") != Some(body.len().to_string()) {
        return Err(format!(
            "curl {version} {url}: Content-Length {:?}, body {} bytes",
            header("content-length"),
            body.len()
        ));
    }
    Ok(body.to_string())
}

/// The table rows of the page, which must be the pins in order; gives their count.
fn table_rows(page: &str) -> Result<usize, String> {
    let rows: Vec<(&str, &str)> = page
        .split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let row = row.split("</tr>").next()?;
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .filter_map(|c| c.split("</td>").next())
                .collect();
            match cells[..] {
                [pin, value] => Some((pin, value)),
                _ => None,
            }
        })
        .collect();
    let want: Vec<(&str, &str)> = PINS
        .iter()
        .map(|&(pin, high)| (pin, if high { "1" } else { "0" }))
        .collect();
    if rows != want || !page.contains("<th>Pin</th><th>Value</th>") {
        return Err(format!("page rows {rows:?}, want {want:?}"));
    }
    Ok(rows.len())
}

/// The JSON the page must serve, written out here without towel.
fn pins_json() -> String {
    let pins: Vec<String> = PINS
        .iter()
        .map(|&(pin, high)| format!(r#"{{"pin":"{pin}","value":{}}}"#, u8::from(high)))
        .collect();
    format!(r#"{{"title":"ESP32 Pins","pins":[{}]}}"#, pins.join(","))
}

/// A plain client on the kernel side: the response must end with the server's FIN (a read of
/// 0), not a reset and not a stall.
fn closes_with_fin(addr: SocketAddr) -> Result<String, String> {
    let started = Instant::now();
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| format!("{e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: pins\r\n\r\n")
        .map_err(|e| format!("send the request: {e}"))?;
    let mut response = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buf[..n]),
            Err(e) => {
                return Err(format!(
                    "a plain client saw no FIN after {} bytes: {e}",
                    response.len()
                ));
            }
        }
    }
    let fin_ms = started.elapsed().as_millis();
    if !response.starts_with(b"HTTP/1.1 200 ") {
        return Err(format!(
            "a plain client got {:?}",
            String::from_utf8_lossy(&response)
        ));
    }
    // A client may take its time to close its end after the server's FIN (ab, busy with its
    // other connections, does): the server must not reset it meanwhile. A reset here is
    // EPIPE on the socket (the kernel's error for a reset in CLOSE_WAIT).
    std::thread::sleep(HOLD);
    match stream.take_error() {
        Ok(None) => {}
        Ok(Some(e)) => {
            return Err(format!(
                "the server reset a client that held its end {} ms after the FIN: {e}",
                HOLD.as_millis()
            ));
        }
        Err(e) => return Err(format!("SO_ERROR: {e}")),
    }
    Ok(format!(
        "the server's FIN ended a response after {fin_ms} ms, no reset while the client held \
         its end {} ms",
        HOLD.as_millis()
    ))
}

/// `ab -n 500 -c 4`: every request complete, none failed, all 2xx; gives requests/s.
fn ab(addr: SocketAddr) -> Result<String, String> {
    let url = format!("http://{addr}/");
    let out = Command::new("timeout")
        .args(["60", "ab", "-s", "10", "-n"])
        .arg(AB_REQUESTS.to_string())
        .arg("-c")
        .arg(AB_CLIENTS.to_string())
        .arg(&url)
        .output()
        .map_err(|e| format!("run ab: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("ab {url}: {} {}", out.status, err.trim()));
    }
    let complete = field("Complete requests:");
    let failed = field("Failed requests:");
    if complete != Some(AB_REQUESTS.to_string()) || failed.as_deref() != Some("0") {
        // The line after "Failed requests:" says why (Connect, Receive, Length, Exceptions).
        let why = text
            .lines()
            .skip_while(|l| !l.starts_with("Failed requests:"))
            .nth(1)
            .unwrap_or_default()
            .trim();
        return Err(format!(
            "ab: complete {complete:?}, failed {failed:?} ({why})"
        ));
    }
    if let Some(non2xx) = field("Non-2xx responses:") {
        return Err(format!("ab: {non2xx} non-2xx responses"));
    }
    let rate = field("Requests per second:").unwrap_or_default();
    Ok(format!(
        "ab -n {AB_REQUESTS} -c {AB_CLIENTS}: all complete, 0 failed, all 2xx, {rate}"
    ))
}

/// The most connections the server held at once (from each request's accept to its close).
fn most_at_once(log: &[Served]) -> usize {
    let mut edges: Vec<(Instant, i32)> = log
        .iter()
        .flat_map(|s| {
            let start = s.ended - Duration::from_millis(s.elapsed_ms);
            [(start, 1), (s.ended, -1)]
        })
        .collect();
    edges.sort();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, step) in edges {
        now += step;
        most = most.max(now);
    }
    usize::try_from(most).unwrap_or(0).min(SLOTS)
}
