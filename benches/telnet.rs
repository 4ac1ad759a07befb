//! Telnet parser throughput beside a plain `copy_from_slice` of the same bytes, in one group:
//! plain text (lines of 67 columns and CR LF, as a film sends) and text with 1% of its bytes
//! in IAC sequences. After criterion's report it prints parser/memcpy ratios measured in the
//! same run (target: at least 0.5 on plain text). `parser` is the zero-copy parser alone (it
//! hands out slices, so it only reads); `core` is the stream's read path, which copies the raw
//! bytes into its receive buffer and the clean data out to the caller.
//!
//! `cargo bench --bench telnet`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use towel::telnet::{Action, Event, Negotiator, Op, Outcome, Parser, StreamCore};

const SIZE: usize = 64 * 1024;

/// Lines of 67 printable columns, each ended by CR LF.
fn plain_text() -> Vec<u8> {
    let mut text = Vec::with_capacity(SIZE);
    let mut i = 0usize;
    while text.len() < SIZE {
        for col in 0..67 {
            text.push(b' ' + ((i * 7 + col * 13) % 95) as u8);
        }
        text.extend_from_slice(b"\r\n");
        i += 1;
    }
    text.truncate(SIZE);
    text
}

/// The plain text with about 1% of its bytes in IAC sequences (IAC IAC, IAC NOP, IAC WILL ECHO,
/// CR NUL), one every ~250 bytes.
fn text_with_iac() -> Vec<u8> {
    let plain = plain_text();
    let seqs: [&[u8]; 4] = [b"\xff\xff", b"\xff\xf1", b"\xff\xfb\x01", b"\r\0"];
    let mut text = Vec::with_capacity(SIZE + SIZE / 50);
    for (i, chunk) in plain.chunks(250).enumerate() {
        text.extend_from_slice(chunk);
        text.extend_from_slice(seqs[i % seqs.len()]);
    }
    text
}

/// Parses everything; returns the data bytes seen (so nothing is optimised away).
fn parse(input: &[u8]) -> usize {
    let mut parser = Parser::new();
    let mut rest = input;
    let mut data = 0;
    while let Some(event) = parser.next(&mut rest) {
        if let Event::Data(d) = event {
            data += black_box(d).len();
        }
    }
    data
}

/// The whole read path of `TelnetStream` without a socket: raw bytes copied into the core's
/// 4 KiB receive buffer, clean data copied out into the caller's buffer (two copies).
fn through_core(input: &[u8], out: &mut [u8]) -> usize {
    let mut core = StreamCore::<64, 4096>::with_sizes(Negotiator::new());
    let mut rest = input;
    let mut total = 0;
    loop {
        match core.poll(&mut Op::ReadEvent(&mut out[total..])) {
            Action::Done(Outcome::Bytes(n)) => total += n,
            Action::Done(Outcome::Event) => {
                black_box(core.event());
            }
            Action::Done(Outcome::Closed) => return total,
            Action::Send(bytes) => {
                let n = bytes.len();
                core.sent(n);
            }
            Action::Receive(space) => {
                let n = space.len().min(rest.len());
                space[..n].copy_from_slice(&rest[..n]);
                core.received(n);
                rest = &rest[n..];
            }
            Action::Flush => core.flushed(),
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("telnet");
    for (name, input) in [("plain", plain_text()), ("iac_1pct", text_with_iac())] {
        let mut dst = vec![0u8; input.len()];
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(format!("memcpy/{name}"), |b| {
            b.iter(|| dst.copy_from_slice(black_box(&input)))
        });
        group.bench_function(format!("parser/{name}"), |b| {
            b.iter(|| parse(black_box(&input)))
        });
        group.bench_function(format!("core/{name}"), |b| {
            b.iter(|| through_core(black_box(&input), &mut dst))
        });
    }
    group.finish();
}

/// Median time of `f` over short batches, for the ratio line.
fn median_ns(mut f: impl FnMut()) -> f64 {
    let mut samples = Vec::new();
    for _ in 0..31 {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(20) {
            f();
            n += 1;
        }
        samples.push(start.elapsed().as_nanos() as f64 / f64::from(n));
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn ratios() {
    for (name, input) in [("plain", plain_text()), ("iac_1pct", text_with_iac())] {
        let mut dst = vec![0u8; input.len()];
        let memcpy = median_ns(|| dst.copy_from_slice(black_box(&input)));
        let parser = median_ns(|| {
            black_box(parse(black_box(&input)));
        });
        let mut out = vec![0u8; input.len()];
        let core = median_ns(|| {
            black_box(through_core(black_box(&input), &mut out));
        });
        let gib = |ns: f64| input.len() as f64 / ns / 1.073_741_824;
        println!(
            "telnet/{name}: memcpy {:.2} GiB/s; parser {:.2} GiB/s, ratio {:.2}; \
             core (two copies) {:.2} GiB/s, ratio {:.2}",
            gib(memcpy),
            gib(parser),
            memcpy / parser,
            gib(core),
            memcpy / core
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratios();
}
