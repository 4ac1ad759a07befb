//! towel's blocking API on smoltcp through smoltcp-nal, on smoltcp's own `TunTapInterface`:
//! the stack is polled from the `Wait`'s idle hook, a 0-byte receive means "nothing yet"
//! (`ZeroRead::NotYet`), and every step has the `Wait`'s deadline.

use std::net::SocketAddr;
use std::os::fd::RawFd;
use std::time::Instant;

use towel::io::{StdClock, Wait};

use super::{film, same_file, same_movie};
use crate::Env;
use crate::movie::MovieServer;
use crate::peers;
use crate::recipes::{self, Failure, Stopped};
use crate::reset_aware::ResetAware;
use crate::smol_stack::{self, Smol};

/// The stack's address in the TAP's /24 (and the last byte of its MAC).
const NUMBER: u8 = 3;
/// The deadline of each blocking step (lookup, connect, each read and write), in ms.
const STEP_MS: u32 = 5_000;

fn stack(env: &Env) -> Result<(Smol, RawFd), String> {
    smol_stack::stack(
        &env.ifname,
        [0x02, 0x74, 0x77, 0x6c, 0x00, NUMBER],
        env.local(NUMBER),
        env.host,
    )
}

pub fn resolve(env: &Env) -> Result<String, String> {
    let (mut stack, fd) = stack(env)?;
    let got = recipes::resolve_blocking(
        &mut stack,
        smol_stack::wait(fd, STEP_MS),
        &env.name,
        env.http_port,
    );
    smol_stack::linger(&mut stack, fd, 20);
    match got {
        Ok(addrs) if addrs == [env.http()] => Ok(format!("{} -> {addrs:?}", env.name)),
        other => Err(format!("{}: {other:?}, want [{}]", env.name, env.http())),
    }
}

pub fn get_big(env: &Env) -> Result<String, String> {
    let want = env.file("big.bin")?;
    // By name: the GET's own lookup goes through smoltcp-nal's DNS socket and dnsmasq.
    let url = format!("http://{}:{}/big.bin", env.name, env.http_port);
    let (mut stack, fd) = stack(env)?;
    let got = recipes::get_hashed(&mut stack, smol_stack::wait(fd, STEP_MS), &url);
    smol_stack::linger(&mut stack, fd, 50);
    match got {
        Ok(fetched) => same_file(&fetched, want),
        Err(e) => Err(format!("GET {url}: {e:?}")),
    }
}

pub fn telnet_movie(env: &Env) -> Result<String, String> {
    let server = MovieServer::start_on(
        SocketAddr::new(env.host_ip(), 0),
        &film(),
        std::time::Duration::ZERO,
    );
    let (mut stack, fd) = stack(env)?;
    let got = recipes::telnet_blocking(&mut stack, smol_stack::wait(fd, STEP_MS), server.addr);
    smol_stack::linger(&mut stack, fd, 50);
    match got {
        Ok(text) => same_movie(&text, server.finish()),
        Err(e) => Err(format!("telnet {}: {e:?}", server.addr)),
    }
}

pub fn reset_mid_body(env: &Env) -> Result<String, String> {
    let (announced, sent) = (1_000_000, 20_000);
    let addr = peers::reset_mid_body(env.host_ip(), Some(announced), sent);
    let (mut stack, fd) = stack(env)?;
    let got = recipes::get_hashed(
        &mut stack,
        smol_stack::wait(fd, STEP_MS),
        &format!("http://{addr}/"),
    );
    smol_stack::linger(&mut stack, fd, 50);
    match got {
        Err(Stopped {
            failure: failure @ (Failure::Truncated | Failure::Io(_)),
            got,
        }) if got <= sent as u64 => Ok(format!("{failure:?} after {got} of {announced} bytes")),
        other => Err(format!(
            "{other:?}, want a truncation or reset error after at most {sent} bytes"
        )),
    }
}

/// The finding, kept as a test so a change in smoltcp-nal or towel shows: a body that ends at
/// the close, reset after `sent` bytes, reads as complete.
pub fn reset_reads_as_end(env: &Env) -> Result<String, String> {
    let sent = 20_000;
    let addr = peers::reset_mid_body(env.host_ip(), None, sent);
    let (mut stack, fd) = stack(env)?;
    let got = recipes::get_hashed(
        &mut stack,
        smol_stack::wait(fd, STEP_MS),
        &format!("http://{addr}/"),
    );
    smol_stack::linger(&mut stack, fd, 50);
    match got {
        Ok(fetched) if fetched.len <= sent as u64 => Ok(format!(
            "as known: the reset ended the body quietly after {} bytes (smoltcp-nal's \
             TcpReadFailure(InvalidState) has kind PipeClosed, which towel reads as the end)",
            fetched.len
        )),
        other => Err(format!(
            "{other:?}: no longer the known behaviour (a reset read as the end); update \
             towel's docs on smoltcp-nal and this test"
        )),
    }
}

/// The same reset through the adapter towel's docs should describe: the reset is an error.
pub fn reset_aware(env: &Env) -> Result<String, String> {
    let sent = 20_000;
    let addr = peers::reset_mid_body(env.host_ip(), None, sent);
    let (stack, fd) = stack(env)?;
    let mut stack = ResetAware(stack);
    let mut hook = smol_stack::idle(fd);
    let wait = Wait::new(
        StdClock::new(),
        move |s: &mut ResetAware| hook(&mut s.0),
        STEP_MS,
    );
    let got = recipes::get_hashed(&mut stack, wait, &format!("http://{addr}/"));
    smol_stack::linger(&mut stack.0, fd, 50);
    match got {
        Err(Stopped {
            failure: Failure::Io(e),
            got,
        }) if got <= sent as u64 => Ok(format!("Io({e}) after {got} bytes")),
        other => Err(format!(
            "{other:?}, want the reset as an Io error after at most {sent} bytes"
        )),
    }
}

pub fn silent_peer(env: &Env) -> Result<String, String> {
    let silent = peers::silent(env.host_ip());
    let (mut stack, fd) = stack(env)?;
    let started = Instant::now();
    let got = recipes::get_hashed(
        &mut stack,
        smol_stack::wait(fd, 2_000),
        &format!("http://{}/", silent.addr),
    );
    let took = started.elapsed().as_secs_f64();
    smol_stack::linger(&mut stack, fd, 50);
    match got {
        Err(Stopped {
            failure: Failure::Timeout,
            ..
        }) => Ok(format!(
            "towel's 2 s step deadline fired: Timeout after {took:.1} s"
        )),
        other => Err(format!("{other:?}, want Timeout")),
    }
}
