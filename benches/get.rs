//! One timed download with towel's client, for scripts/bench-get.sh (which runs it next to
//! curl under GNU time). Not a criterion bench: a 1 GiB transfer is measured once per run.
//!
//! ```text
//! cargo bench --bench get -- URL [--chunk BYTES] [--async | --bare]
//! ```
//!
//! Reads the body `--chunk` bytes at a time (default 4096) through a 4 KiB head buffer and
//! writes each read to /dev/null, as `curl -o /dev/null` does; prints `bytes seconds`.
//!
//! `--bare` is the floor for any client that reads that many bytes per call: a plain blocking
//! `std::net::TcpStream`, a fixed request, the head skipped by a search for its blank line, and
//! the same read-and-write loop. It parses nothing and checks nothing.

use std::io::Write;
use std::time::{Duration, Instant};

use towel::http::client::{Options, get, get_async};
use towel::io::Wait;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut url = None;
    let mut chunk = 4096;
    let mut nonblocking = false;
    let mut bare = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--chunk" => {
                chunk = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--chunk BYTES")
            }
            "--async" => nonblocking = true,
            "--bare" => bare = true,
            _ => url = Some(arg),
        }
    }
    let Some(url) = url else {
        eprintln!("usage: cargo bench --bench get -- URL [--chunk BYTES] [--async | --bare]");
        return;
    };
    let mut sink = std::fs::File::create("/dev/null").unwrap();
    let mut head = [0u8; 4096];
    let mut body = vec![0u8; chunk];
    let start = Instant::now();
    let mut total = 0u64;
    if bare {
        total = bare_get(&url, &mut body, &mut sink);
    } else if nonblocking {
        use embedded_io_async::Read;
        futures_lite::future::block_on(async {
            let stack = towel::std_stack::Async::default();
            let mut response = get_async(&stack, &stack, &url, &Options::DEFAULT, &mut head)
                .await
                .unwrap();
            loop {
                let n = response.body.read(&mut body).await.unwrap();
                if n == 0 {
                    break;
                }
                sink.write_all(&body[..n]).unwrap();
                total += n as u64;
            }
        });
    } else {
        use embedded_io::Read;
        let mut stack = towel::std_stack::Blocking;
        let wait = Wait::std(Duration::from_secs(30));
        let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut head).unwrap();
        loop {
            let n = response.body.read(&mut body).unwrap();
            if n == 0 {
                break;
            }
            sink.write_all(&body[..n]).unwrap();
            total += n as u64;
        }
    }
    println!("{total} {:.6}", start.elapsed().as_secs_f64());
}

/// The same download with nothing of towel in it: one `read` system call per `buf.len()` bytes.
fn bare_get(url: &str, buf: &mut [u8], sink: &mut std::fs::File) -> u64 {
    use std::io::Read;
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut socket = std::net::TcpStream::connect(authority).unwrap();
    write!(socket, "GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").unwrap();
    // The head fits in the first reads of any server this bench runs against.
    let mut head = Vec::new();
    let body_start = loop {
        let n = socket.read(buf).unwrap();
        assert!(n > 0, "closed before the end of the head");
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    sink.write_all(&head[body_start..]).unwrap();
    let mut total = (head.len() - body_start) as u64;
    loop {
        let n = socket.read(buf).unwrap();
        if n == 0 {
            return total;
        }
        sink.write_all(&buf[..n]).unwrap();
        total += n as u64;
    }
}
