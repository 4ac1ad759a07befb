//! The peers the runner starts itself, on the kernel side of the TAP (std sockets, bound to
//! the namespace's own address only): a server that resets mid-body and one that never
//! answers. The movie server is the test suite's (tests/support/movie.rs).

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Reads a request head (up to the blank line, or 4 KiB, or 5 s).
fn read_request(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 512];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 4096 {
        match stream.read(&mut buf)? {
            0 => break,
            n => head.extend_from_slice(&buf[..n]),
        }
    }
    Ok(())
}

/// A one-shot HTTP server that answers `200` with `sent` bytes of the body (announcing
/// `announced` bytes as Content-Length, or no length when `None`: the body ends at the close),
/// waits a little so they arrive, then resets the connection (SO_LINGER 0 and close).
pub fn reset_mid_body(ip: IpAddr, announced: Option<usize>, sent: usize) -> SocketAddr {
    let listener = TcpListener::bind((ip, 0)).expect("bind the reset server");
    let addr = listener.local_addr().expect("local addr");
    thread::spawn(move || -> std::io::Result<()> {
        let (mut stream, _) = listener.accept()?;
        read_request(&mut stream)?;
        let head = match announced {
            Some(len) => format!("HTTP/1.0 200 OK\r\nContent-Length: {len}\r\n\r\n"),
            None => "HTTP/1.0 200 OK\r\n\r\n".to_string(),
        };
        stream.write_all(head.as_bytes())?;
        stream.write_all(&vec![b'x'; sent])?;
        thread::sleep(Duration::from_millis(300));
        socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
        drop(stream);
        Ok(())
    });
    addr
}

/// A server that accepts, reads the request and never answers, until the guard drops.
pub struct Silent {
    pub addr: SocketAddr,
    _stop: mpsc::Sender<()>,
}

pub fn silent(ip: IpAddr) -> Silent {
    let listener = TcpListener::bind((ip, 0)).expect("bind the silent server");
    let addr = listener.local_addr().expect("local addr");
    let (stop, stopped) = mpsc::channel::<()>();
    thread::spawn(move || -> std::io::Result<()> {
        let (mut stream, _) = listener.accept()?;
        let _ = read_request(&mut stream);
        // Hold the connection open, saying nothing, until the test is over (at most 60 s).
        let _ = stopped.recv_timeout(Duration::from_secs(60));
        drop(stream);
        Ok(())
    });
    Silent { addr, _stop: stop }
}
