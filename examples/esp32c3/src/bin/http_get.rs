//! `http_get(url)` on the chip: joins Wi-Fi, GETs the URL named at build time (`TOWEL_URL`)
//! with towel's HTTP/1.0 client over embassy-net, the host looked up through the DHCP-given
//! DNS server, and prints the status line, the common headers and the body to the serial
//! console. Then it waits a minute and GETs it again.

#![no_std]
#![no_main]

use core::mem::size_of_val;
use core::pin::pin;

use embassy_executor::Spawner;
use embassy_net::StackResources;
use embassy_net::tcp::client::{TcpClient, TcpClientState};
use embassy_time::Duration;
use embedded_io_async::Read as _;
use esp_backtrace as _;
use esp_println::{Printer, println};
use static_cell::StaticCell;
use towel::Hint;
use towel::http::Version;
use towel::http::client::{DEFAULT_MAX_REDIRECTS, Head, Options, get_async};
use towel::resolve::EmbassyDns;
use towel_esp32c3::{client, forever, report, within};

esp_bootloader_esp_idf::esp_app_desc!();

/// The page to GET: `TOWEL_URL` at build time.
const URL: &str = match option_env!("TOWEL_URL") {
    Some(url) => url,
    None => "http://example.com/",
};
/// The response headers shown (towel keeps only those it is asked for, in this order).
const KEEP: &[&str] = &[
    "Server",
    "Date",
    "Content-Type",
    "Content-Length",
    "Last-Modified",
    "Location",
];
/// Sockets: DHCP, DNS and one HTTP connection.
const SOCKETS: usize = 3;
/// The connection's socket buffers: the receive window is what keeps a body flowing.
const TX: usize = 512;
const RX: usize = 4096;
/// The head buffer: the request, each head line, the kept values (see towel's client docs).
const HEAD: usize = 1024;
/// Each body read hands the console at most this much.
const CHUNK: usize = 1024;

/// Lookup and connection, and then each wait on the server.
const TIMEOUT: Duration = Duration::from_secs(30);
const AGAIN_AFTER: Duration = Duration::from_secs(60);

type Tcp = TcpClient<'static, 1, TX, RX>;

static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();
static TCP: StaticCell<TcpClientState<1, TX, RX>> = StaticCell::new();

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let resources = RESOURCES.init(StackResources::new());
    let (tcp, dns) = client(spawner, resources, TCP.init(TcpClientState::new())).await;
    forever("http_get", AGAIN_AFTER, || fetch(&tcp, &dns)).await
}

/// One GET of [`URL`]: head, then the body to the console.
async fn fetch(tcp: &Tcp, dns: &EmbassyDns<'_>) {
    let options = Options {
        // IPv4 only: the stack is built without IPv6 (Cargo.toml).
        hint: Hint::Ipv4Only,
        ..Options::DEFAULT.keep(KEEP).follow(DEFAULT_MAX_REDIRECTS)
    };
    let mut head = [0u8; HEAD];
    println!("http_get: GET {URL}");
    let response = {
        let get = pin!(get_async(tcp, dns, URL, &options, &mut head));
        report(
            "towel get_async future (head buffer apart)",
            size_of_val(&*get),
        );
        within("http_get", TIMEOUT, get).await
    };
    let Some(mut response) = response else { return };
    report(
        "towel AsyncResponse (head, body core, connection)",
        size_of_val(&response),
    );
    show(&response.head);
    let mut chunk = [0u8; CHUNK];
    let mut total = 0usize;
    loop {
        let n = {
            let read = pin!(response.body.read(&mut chunk));
            within("http_get: reading the body", TIMEOUT, read).await
        };
        let Some(n) = n else { return };
        let Some(body) = chunk.get(..n).filter(|body| !body.is_empty()) else {
            println!("\nhttp_get: {total} body bytes, complete");
            return;
        };
        Printer::write_bytes(body);
        total = total.saturating_add(n);
    }
}

/// The status line and the kept headers, then a blank line.
fn show(head: &Head<'_>) {
    if head.redirects() > 0 {
        println!(
            "(followed {} redirect(s) to {})",
            head.redirects(),
            head.url()
        );
    }
    let version = match head.version() {
        Version::Http10 => "HTTP/1.0",
        Version::Http11 => "HTTP/1.1",
    };
    let reason = core::str::from_utf8(head.reason()).unwrap_or("");
    println!("{version} {} {reason}", head.status());
    for (name, value) in head.headers() {
        println!(
            "{name}: {}",
            core::str::from_utf8(value).unwrap_or("(not UTF-8)")
        );
    }
    println!();
}
