//! One timed download with towel's client, for scripts/bench-get.sh (which runs it next to
//! curl under GNU time). Not a criterion bench: a 1 GiB transfer is measured once per run.
//!
//! ```text
//! cargo bench --bench get -- URL [--chunk BYTES] [--async]
//! ```
//!
//! Reads the body `--chunk` bytes at a time (default 4096) through a 4 KiB head buffer and
//! writes each read to /dev/null, as `curl -o /dev/null` does; prints `bytes seconds`.

use std::io::Write;
use std::time::{Duration, Instant};

use towel::http::client::{Options, get, get_async};
use towel::io::Wait;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut url = None;
    let mut chunk = 4096;
    let mut nonblocking = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--chunk" => {
                chunk = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--chunk BYTES")
            }
            "--async" => nonblocking = true,
            _ => url = Some(arg),
        }
    }
    let Some(url) = url else {
        eprintln!("usage: cargo bench --bench get -- URL [--chunk BYTES] [--async]");
        return;
    };
    let mut sink = std::fs::File::create("/dev/null").unwrap();
    let mut head = [0u8; 4096];
    let mut body = vec![0u8; chunk];
    let start = Instant::now();
    let mut total = 0u64;
    if nonblocking {
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
