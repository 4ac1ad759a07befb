//! The TAP tests' runner: towel's async API on embassy-net and its blocking API on smoltcp
//! (smoltcp-nal), each on the TAP device of the network namespace that `scripts/tap.sh`
//! makes, against peers on the kernel side of that TAP: nginx and dnsmasq (started by the
//! script), and the movie, reset and silent servers (started here).
//!
//! Environment (set by the script): `TAP_IF` (the TAP device), `TAP_HOST` (the kernel side's
//! address; the stacks take .2, .3 and .4 of its /24), `TAP_HTTP_PORT` (nginx), `TAP_DOCROOT`
//! (nginx's root, holding `big.bin` and `lossy.bin`), `TAP_NAME` (the name dnsmasq answers
//! with `TAP_HOST`). Prints a PASS or FAIL line per test and `N passed, N failed` at the end;
//! exits 1 if any failed.

use towel_testkit::movie;

mod embassy_stack;
mod lossy;
mod peers;
mod recipes;
mod reset_aware;
mod smol_stack;
mod tests;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// What the script set up.
#[derive(Debug, Clone)]
pub struct Env {
    pub ifname: String,
    pub host: Ipv4Addr,
    pub http_port: u16,
    pub docroot: PathBuf,
    pub name: String,
}

impl Env {
    fn from_env() -> Result<Env, String> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        Ok(Env {
            ifname: var("TAP_IF")?,
            host: var("TAP_HOST")?
                .parse()
                .map_err(|e| format!("TAP_HOST: {e}"))?,
            http_port: var("TAP_HTTP_PORT")?
                .parse()
                .map_err(|e| format!("TAP_HTTP_PORT: {e}"))?,
            docroot: var("TAP_DOCROOT")?.into(),
            name: var("TAP_NAME")?,
        })
    }

    /// The address `.n` in the TAP's /24.
    pub fn local(&self, n: u8) -> Ipv4Addr {
        let [a, b, c, _] = self.host.octets();
        Ipv4Addr::new(a, b, c, n)
    }

    pub fn host_ip(&self) -> IpAddr {
        IpAddr::V4(self.host)
    }

    pub fn http(&self) -> SocketAddr {
        SocketAddr::new(self.host_ip(), self.http_port)
    }

    /// Length and SHA-256 of a file in nginx's root.
    pub fn file(&self, name: &str) -> Result<(u64, [u8; 32]), String> {
        let bytes = std::fs::read(self.docroot.join(name)).map_err(|e| format!("{name}: {e}"))?;
        Ok((bytes.len() as u64, Sha256::digest(&bytes).into()))
    }
}

/// A seed for a stack's randomness (its local ports, above all): the clock's nanoseconds, so
/// that two tests in a row do not reuse a 4-tuple the kernel still remembers.
pub fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) | 1
}

/// A test: its name, its time bound (a hang guard over its own deadlines), and its body,
/// which says what it saw (`Ok`) or what went wrong (`Err`).
pub type Test = (&'static str, Duration, fn(&Env) -> Result<String, String>);

fn main() -> ExitCode {
    let env = match Env::from_env() {
        Ok(env) => env,
        Err(e) => {
            eprintln!("towel-tap: {e} (run it through scripts/tap.sh)");
            return ExitCode::from(2);
        }
    };
    let only = std::env::args().nth(1);
    let (mut passed, mut failed) = (0, 0);
    for &(name, bound, test) in tests::ALL {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let started = Instant::now();
        let (done, result) = mpsc::channel();
        let env = env.clone();
        // Each test on its own thread, so a hang is a FAIL line and not a silent stop.
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| test(&env))
                .unwrap_or_else(|_| Err("panicked".to_string()));
            let _ = done.send(outcome);
        });
        let outcome = result
            .recv_timeout(bound)
            .unwrap_or_else(|_| Err(format!("no result within {} s (hung)", bound.as_secs())));
        let secs = started.elapsed().as_secs_f64();
        match outcome {
            Ok(detail) => {
                passed += 1;
                println!("PASS {name} ({secs:.1} s): {detail}");
            }
            Err(why) => {
                failed += 1;
                println!("FAIL {name} ({secs:.1} s): {why}");
                if secs >= bound.as_secs_f64() {
                    // The hung test still holds the TAP device: stop here.
                    println!("{passed} passed, {failed} failed");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
