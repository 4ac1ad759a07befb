//! `cargo run --example getaddrinfo -- HOST [PORT] [--ipv4|--ipv6]`
//!
//! Resolves HOST with towel's `getaddrinfo` on the std stack and prints one line per address:
//! `IPv4 127.0.0.1:80` or `IPv6 [::1]:80`. PORT defaults to 80. Without `--ipv4` / `--ipv6`
//! both families are asked, IPv4 first.
//!
//! Exit code 0 when at least one address came back; 1 with a message on stderr otherwise
//! (bad arguments, a bad name, no answer).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use towel::io::Wait;
use towel::std_stack::Blocking;
use towel::{Hint, getaddrinfo};

const USAGE: &str = "usage: getaddrinfo HOST [PORT] [--ipv4|--ipv6]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("getaddrinfo: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut hint = Hint::Ipv4First;
    let mut positional = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--ipv4" => hint = Hint::Ipv4Only,
            "--ipv6" => hint = Hint::Ipv6Only,
            "-h" | "--help" => return Err(USAGE.into()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            _ => positional.push(arg),
        }
    }
    let (host, port) = match positional.as_slice() {
        [host] => (host, 80),
        [host, port] => {
            let port = port
                .parse::<u16>()
                .map_err(|_| format!("bad port {port:?}\n{USAGE}"))?;
            (host, port)
        }
        _ => return Err(USAGE.into()),
    };

    let mut stack = Blocking;
    let mut wait = Wait::std(Duration::from_secs(10));
    let addrs = getaddrinfo(&mut stack, host, port, hint, &mut wait).map_err(|e| e.to_string())?;
    for addr in &addrs {
        let family = match addr {
            SocketAddr::V4(_) => "IPv4",
            SocketAddr::V6(_) => "IPv6",
        };
        println!("{family} {addr}");
    }
    Ok(())
}
