//! Star Wars in ASCII over telnet, on the chip: joins Wi-Fi, looks up
//! towel.blinkenlights.nl through the DHCP-given DNS server, connects to port 23 and prints
//! the clean stream (negotiation answered, `IAC IAC` and `CR NUL` undone by towel) to the
//! serial console. When the film ends or the connection fails, it waits and plays it again.

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
use towel::resolve::EmbassyDns;
use towel::telnet::TelnetStream;
use towel_esp32c3::{client, forever, report, within};

esp_bootloader_esp_idf::esp_app_desc!();

const HOST: &str = "towel.blinkenlights.nl";
const PORT: u16 = 23;
/// Sockets: DHCP, DNS and the one telnet connection.
const SOCKETS: usize = 3;
/// The telnet connection's socket buffers: the film arrives slowly, a little is plenty.
const TX: usize = 256;
const RX: usize = 1536;
/// Each read hands the console at most this much of the film.
const CHUNK: usize = 512;

const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The film shows a frame every few seconds; a minute of silence means it is gone.
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const REPLAY_AFTER: Duration = Duration::from_secs(30);

type Tcp = TcpClient<'static, 1, TX, RX>;

static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();
static TCP: StaticCell<TcpClientState<1, TX, RX>> = StaticCell::new();

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let resources = RESOURCES.init(StackResources::new());
    let (tcp, dns) = client(spawner, resources, TCP.init(TcpClientState::new())).await;
    forever("starwars", REPLAY_AFTER, || watch(&tcp, &dns)).await
}

/// One showing: look up, connect, and copy the clean stream to the console until the server
/// closes it (or something fails, which is printed).
async fn watch(tcp: &Tcp, dns: &EmbassyDns<'_>) {
    // Each towel future is pinned in a block of its own, and the addresses live in the block
    // that connects: their room in `watch` is reused while the film plays.
    let connected = {
        let addrs = {
            // IPv4 only: the stack is built without IPv6 (Cargo.toml).
            let lookup = pin!(towel::getaddrinfo_async(dns, HOST, PORT, Hint::Ipv4Only));
            report("towel getaddrinfo_async future", size_of_val(&*lookup));
            within("looking up the host", LOOKUP_TIMEOUT, lookup).await
        };
        let Some(addrs) = addrs else { return };
        let connect = pin!(towel::connect_async(tcp, &addrs));
        report("towel connect_async future", size_of_val(&*connect));
        within("connecting", CONNECT_TIMEOUT, connect).await
    };
    let Some((conn, addr)) = connected else {
        return;
    };
    println!("starwars: connected to {addr}");
    let mut telnet = TelnetStream::new(conn);
    report(
        "towel TelnetStream (its state + the connection)",
        size_of_val(&telnet),
    );
    let mut chunk = [0u8; CHUNK];
    loop {
        let n = {
            let read = pin!(telnet.read(&mut chunk));
            within("reading", READ_TIMEOUT, read).await
        };
        let Some(n) = n else { return };
        let Some(film) = chunk.get(..n).filter(|film| !film.is_empty()) else {
            println!("\nstarwars: the server closed the connection");
            return;
        };
        Printer::write_bytes(film);
    }
}
