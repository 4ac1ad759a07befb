//! towel's blocking and async servers, picoserve and axum on loopback, each serving the same
//! pin page bytes, measured with `wrk` at 1 and 16 connections, keep-alive allowed and
//! `Connection: close` forced. Prints requests/s and each towel figure as a ratio to axum's
//! and picoserve's. Every server runs on one thread. towel serves 4 connections at once (the
//! rest wait in the listen backlog): embassy-futures' `join_array` polls every slot future on
//! each wake, so on a PC more slots cost more per event (16 slots measured about 4x slower at
//! `-c 1` with `Connection: close`).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use embedded_hal::digital::{ErrorType, InputPin};
use towel::http::page::PinPage;
use towel::http::server::{ServerConfig, Sink};
use towel::io::Sleep;
use towel_testkit::http_server::{Server, start_with};

struct Level(bool);
impl ErrorType for Level {
    type Error = Infallible;
}
impl InputPin for Level {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.0)
    }
    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.0)
    }
}

const LABELS: [&str; 8] = ["0", "2", "4", "5", "12", "13", "14", "15"];

fn page() -> PinPage<'static, Level, 8> {
    PinPage::new(core::array::from_fn(|i| (LABELS[i], Level(i % 3 == 0))))
}

/// The page's bytes, as towel renders them, for the peers to serve.
fn page_html() -> &'static str {
    let page = page();
    let snapshot = page.snapshot(false);
    let mut out = vec![0u8; Sink::count(&snapshot)];
    Sink::window(&snapshot, 0, &mut out);
    String::leak(String::from_utf8(out).unwrap())
}

fn free_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], towel_testkit::peers::free_port(false)))
}

/// towel's `server` with 4 slots of 1 KiB, started by the test helpers' launcher; the
/// blocking one sleeps 1 to 50 µs when a round moves nothing.
fn towel(server: Server) -> SocketAddr {
    let sleep = Sleep::new(Duration::from_micros(1), Duration::from_micros(50));
    start_with::<_, 4, 1024>(server, ServerConfig::DEFAULT, sleep, || {
        &*Box::leak(Box::new(page()))
    })
}

fn picoserve(html: &'static str) -> SocketAddr {
    let addr = free_port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async move {
            let app = std::rc::Rc::new(picoserve::Router::new().route(
                "/",
                picoserve::routing::get(move || async move {
                    picoserve::response::Response::ok(html)
                        .with_header("Content-Type", "text/html; charset=utf-8")
                }),
            ));
            let socket = tokio::net::TcpListener::bind(addr).await.unwrap();
            loop {
                let Ok((stream, _)) = socket.accept().await else {
                    continue;
                };
                let app = app.clone();
                tokio::task::spawn_local(async move {
                    static CONFIG: picoserve::Config =
                        picoserve::Config::const_default().keep_connection_alive();
                    let _ = picoserve::Server::new_tokio(&app, &CONFIG, &mut [0; 2048])
                        .serve(stream)
                        .await;
                });
            }
        });
    });
    addr
}

fn axum(html: &'static str) -> SocketAddr {
    let addr = free_port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/",
                axum::routing::get(move || async move { axum::response::Html(html) }),
            );
            let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    addr
}

/// wrk's requests/s, and whether it saw errors or non-2xx answers.
fn wrk(addr: SocketAddr, connections: u32, close: bool) -> (f64, String) {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t",
        if connections > 1 { "2" } else { "1" },
        "-c",
        &connections.to_string(),
        "-d",
        "5s",
    ]);
    if close {
        cmd.args(["-H", "Connection: close"]);
    }
    let out = cmd
        .arg(format!("http://{addr}/"))
        .output()
        .expect("wrk is installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let notes = text
        .lines()
        .filter(|l| l.contains("Socket errors") || l.contains("Non-2xx"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    (rps, notes)
}

fn main() {
    let html = page_html();
    let servers = [
        ("towel blocking", towel(Server::Blocking)),
        ("towel async", towel(Server::Async)),
        ("picoserve 0.20", picoserve(html)),
        ("axum 0.8", axum(html)),
    ];
    std::thread::sleep(Duration::from_millis(300));
    println!(
        "page: {} bytes; each server on one thread; wrk -d 5s on loopback",
        html.len()
    );
    for close in [false, true] {
        for connections in [1, 16] {
            println!(
                "\n-c {connections}, {}:",
                if close {
                    "Connection: close forced"
                } else {
                    "keep-alive allowed (towel closes anyway)"
                }
            );
            let results: Vec<(&str, f64, String)> = servers
                .iter()
                .map(|(name, addr)| {
                    let (rps, notes) = wrk(*addr, connections, close);
                    (*name, rps, notes)
                })
                .collect();
            let of = |n: &str| {
                results
                    .iter()
                    .find(|r| r.0.starts_with(n))
                    .map_or(0.0, |r| r.1)
            };
            let (pico, axum) = (of("picoserve"), of("axum"));
            println!(
                "| server | req/s | vs axum | vs picoserve | notes |\n| --- | ---: | ---: | ---: | --- |"
            );
            for (name, rps, notes) in &results {
                println!(
                    "| {name} | {rps:.0} | {:.2} | {:.2} | {notes} |",
                    rps / axum.max(1.0),
                    rps / pico.max(1.0)
                );
            }
        }
    }
}
