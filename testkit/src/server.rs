//! A small scripted HTTP server on loopback (std sockets, one thread per connection) for what
//! real servers will not do on demand: short bodies, chunked 1.1 replies, redirect chains and
//! loops, huge heads, silence, trickling, garbage.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the handler gets: the request head as received, and its target (`/path?query`).
pub struct Exchange<'a> {
    pub head: &'a [u8],
    pub target: &'a str,
    pub stream: &'a mut TcpStream,
}

impl Exchange<'_> {
    pub fn write(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes);
    }

    /// Writes `bytes` one at a time, each in its own TCP segment.
    pub fn trickle(&mut self, bytes: &[u8]) {
        let _ = self.stream.set_nodelay(true);
        for b in bytes {
            if self.stream.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Ends the connection with a reset (RST) instead of a close (FIN): SO_LINGER 0, then the
    /// server drops the stream after the handler.
    pub fn reset_at_close(&mut self) {
        socket2::SockRef::from(&*self.stream)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
    }

    /// Says nothing and keeps the connection open until the client goes away.
    pub fn hang(&mut self) {
        let mut sink = [0u8; 64];
        while matches!(self.stream.read(&mut sink), Ok(n) if n > 0) {}
    }
}

type Handler = dyn Fn(&mut Exchange<'_>) + Send + Sync;

/// The server; stops accepting when dropped.
pub struct ScriptServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptServer {
    /// Serves every connection with `handler`, after reading the request head.
    pub fn start(handler: impl Fn(&mut Exchange<'_>) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    let (requests, handler) = (requests.clone(), handler.clone());
                    std::thread::spawn(move || {
                        let head = read_head(&mut stream);
                        requests.lock().unwrap().push(head.clone());
                        let target = std::str::from_utf8(&head)
                            .ok()
                            .and_then(|h| h.split(' ').nth(1))
                            .unwrap_or("")
                            .to_string();
                        handler(&mut Exchange {
                            head: &head,
                            target: &target,
                            stream: &mut stream,
                        });
                        let _ = stream.flush();
                    });
                }
            })
        };
        ScriptServer {
            addr,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// Serves the same bytes to every request.
    pub fn reply(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        Self::start(move |x| x.write(&bytes))
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Request heads received so far, in order.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for ScriptServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads up to the blank line ending the head (or EOF, or 64 KiB).
fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let _ = stream.set_read_timeout(None);
    head
}
