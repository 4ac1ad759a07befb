//! towel's async API on embassy-net (embassy-net-tuntap), through embassy-net's own
//! `TcpClient` (embedded-nal-async `TcpConnect`) and `DnsSocket` through towel's `EmbassyDns` (`Dns`). towel's async calls
//! have no deadline of their own: each is wrapped in embassy-time's `with_timeout` here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use embassy_net::driver::Driver;
use embassy_time::{Duration, TimeoutError, with_timeout};
use towel::resolve::EmbassyDns;

use super::{film, same_file, same_text};
use crate::Env;
use crate::embassy_stack::{self, Client, ClientState};
use crate::lossy::{Counts, Lossy};
use crate::movie::MovieServer;
use crate::peers;
use crate::recipes::{self, Failure, Fetched, Stopped};

/// The stack's address in the TAP's /24, and its MAC.
const HOST_NUMBER: u8 = 2;
const LOSSY_NUMBER: u8 = 4;

fn mac(n: u8) -> [u8; 6] {
    [0x02, 0x74, 0x77, 0x6c, 0x00, n]
}

/// Runs `test` with a TCP client and a DNS socket on a fresh stack at `.n` over `driver`.
fn on_stack<D: Driver, T>(
    env: &Env,
    n: u8,
    driver: D,
    test: impl AsyncFnOnce(&Client<'_>, &EmbassyDns<'_>) -> T,
) -> Result<T, String> {
    embassy_stack::run(driver, env.local(n), env.host, async |stack| {
        let state = ClientState::new();
        let tcp = Client::new(stack, &state);
        let dns = EmbassyDns::new(stack);
        test(&tcp, &dns).await
    })
}

/// GETs `url` from a fresh stack at `.n` over `driver` and hashes the body, under
/// embassy-time's `secs` deadline (`Err(TimeoutError)` when it passes).
fn get_within<D: Driver>(
    env: &Env,
    n: u8,
    driver: D,
    url: &str,
    secs: u64,
) -> Result<Result<Result<Fetched, Stopped>, TimeoutError>, String> {
    on_stack(env, n, driver, async |tcp, dns| {
        with_timeout(
            Duration::from_secs(secs),
            recipes::get_async_hashed(tcp, dns, url),
        )
        .await
    })
}

fn tap(env: &Env, n: u8) -> Result<embassy_net_tuntap::TunTapDevice, String> {
    embassy_stack::tap(&env.ifname, mac(n))
}

pub fn resolve(env: &Env) -> Result<String, String> {
    let got = on_stack(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, async |_, dns| {
        with_timeout(
            Duration::from_secs(10),
            recipes::resolve_async(dns, &env.name, env.http_port),
        )
        .await
    })?;
    match got {
        Ok(Ok(addrs)) if addrs.first() == Some(&env.http()) => {
            Ok(format!("{} -> {addrs:?}", env.name))
        }
        Ok(Ok(addrs)) => Err(format!(
            "{} -> {addrs:?}, want {} first",
            env.name,
            env.http()
        )),
        Ok(Err(e)) => Err(format!("lookup failed: {e:?}")),
        Err(_) => Err("no answer within 10 s".into()),
    }
}

pub fn resolve_unknown(env: &Env) -> Result<String, String> {
    let name = "nosuch.invalid";
    let got = on_stack(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, async |_, dns| {
        with_timeout(
            Duration::from_secs(10),
            recipes::resolve_async(dns, name, 80),
        )
        .await
    })?;
    match got {
        Ok(Err(Failure::Dns(e))) => Ok(format!("{name}: DNS error {e}")),
        Ok(other) => Err(format!("{name}: {other:?}, want a DNS error")),
        Err(_) => Err("no answer within 10 s".into()),
    }
}

pub fn get_big(env: &Env) -> Result<String, String> {
    let want = env.file("big.bin")?;
    let url = format!("http://{}:{}/big.bin", env.name, env.http_port);
    let got = get_within(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, &url, 90)?;
    match got {
        Ok(Ok(fetched)) => same_file(&fetched, want),
        Ok(Err(e)) => Err(format!("GET {url}: {e:?}")),
        Err(_) => Err(format!("GET {url}: not done within 90 s")),
    }
}

pub fn telnet_movie(env: &Env) -> Result<String, String> {
    let server = MovieServer::start_on(
        SocketAddr::new(env.host_ip(), 0),
        &film(),
        std::time::Duration::ZERO,
    );
    let addr = server.addr;
    let got = on_stack(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, async |tcp, _| {
        with_timeout(Duration::from_secs(20), recipes::telnet_async(tcp, addr)).await
    })?;
    // Not `server.finish()`: the server waits for the client's FIN, and embassy-net sends
    // none. Dropping a `TcpClient` connection removes its socket from the stack at once
    // (`TcpSocket`'s Drop), so neither a FIN nor a RST goes out, and the connection has no
    // `close` to call first. The server thread ends by its own 10 s read timeout.
    drop(server);
    match got {
        Ok(Ok(text)) => same_text(&text),
        Ok(Err(e)) => Err(format!("telnet {addr}: {e:?}")),
        Err(_) => Err(format!("telnet {addr}: not done within 20 s")),
    }
}

pub fn reset_mid_body(env: &Env) -> Result<String, String> {
    let (announced, sent) = (1_000_000, 20_000);
    let addr = peers::reset_mid_body(env.host_ip(), Some(announced), sent);
    let url = format!("http://{addr}/");
    let got = get_within(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, &url, 20)?;
    match got {
        Ok(Err(
            stopped @ recipes::Stopped {
                failure: Failure::Io(_) | Failure::Truncated,
                ..
            },
        )) if stopped.got <= sent as u64 => Ok(format!(
            "{:?} after {} of {announced} bytes",
            stopped.failure, stopped.got
        )),
        Ok(other) => Err(format!(
            "{other:?}, want a reset or truncation error after at most {sent} bytes"
        )),
        Err(_) => Err("no result within 20 s".into()),
    }
}

pub fn silent_peer(env: &Env) -> Result<String, String> {
    let silent = peers::silent(env.host_ip());
    let url = format!("http://{}/", silent.addr);
    let started = Instant::now();
    let got = get_within(env, HOST_NUMBER, tap(env, HOST_NUMBER)?, &url, 2)?;
    match got {
        Err(_) => Ok(format!(
            "the 2 s deadline fired; returned after {:.1} s",
            started.elapsed().as_secs_f64()
        )),
        Ok(other) => Err(format!("{other:?}, want the deadline to fire")),
    }
}

pub fn lossy_get(env: &Env) -> Result<String, String> {
    let want = env.file("lossy.bin")?;
    let url = format!("http://{}/lossy.bin", env.http());
    let counts = Arc::new(Counts::default());
    let driver = Lossy::new(
        tap(env, LOSSY_NUMBER)?,
        50,
        0x7465_6c77,
        Arc::clone(&counts),
    );
    let got = get_within(env, LOSSY_NUMBER, driver, &url, 120)?;
    let counts = counts.summary();
    match got {
        Ok(Ok(fetched)) => same_file(&fetched, want).map(|ok| format!("{ok}; {counts}")),
        // 5% loss is what TCP retransmits through: an error here is a failure, not a pass.
        Ok(Err(stopped)) => Err(format!(
            "stopped by {:?} after {} bytes; {counts}",
            stopped.failure, stopped.got
        )),
        Err(_) => Err(format!("not done within its 120 s deadline; {counts}")),
    }
}
