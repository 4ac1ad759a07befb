//! A real telnet daemon: busybox telnetd on loopback, running a program that prints a known text
//! (with a 0xFF byte and a bare CR in it) and the terminal size it was given over NAWS.
//!
//! Skips with a message when busybox has no telnetd, unless TOWEL_REQUIRE_PEERS=1 (CI).

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use towel::io::Wait;
use towel::std_stack::{Async, Blocking};
use towel::telnet::options::option;
use towel::telnet::{Negotiator, TelnetStream};
use towel::{connect, connect_async};

const BUSYBOX: &str = "/bin/busybox";

/// What the program prints (the pty turns `\n` into `\r\n`; telnetd doubles the 0xFF).
const PROGRAM_TEXT: &[u8] = b"towel says hello\r\n\xff and a CR\rthere\r\n";

fn busybox_telnetd() -> bool {
    let found = Command::new(BUSYBOX)
        .arg("--list")
        .output()
        .map(|o| o.stdout.split(|&b| b == b'\n').any(|l| l == b"telnetd"))
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("TOWEL_REQUIRE_PEERS").as_deref() != Ok("1"),
            "busybox telnetd is required (TOWEL_REQUIRE_PEERS=1); run scripts/setup.sh"
        );
        eprintln!("skipping: {BUSYBOX} with telnetd not found (run scripts/setup.sh)");
    }
    found
}

/// A telnetd on a free loopback port; killed when dropped.
struct Telnetd {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Telnetd {
    fn start(name: &str) -> Telnetd {
        let dir = std::env::temp_dir().join(format!("towel-telnetd-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prog = dir.join("prog.sh");
        // Waits for a line from the client (sent after the negotiation, so the window size is
        // in place), prints the text and the terminal size, and waits for a last line (so that
        // it does not exit, and telnetd close, before its output is sent).
        std::fs::write(
            &prog,
            "#!/bin/sh\nread line\nprintf 'towel says hello\\n\\377 and a CR\\rthere\\n'\n\
             echo \"size: $(/bin/busybox stty size 2>/dev/null)\"\nread line\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(BUSYBOX)
            .args([
                "telnetd",
                "-F",
                "-b",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-f",
                "/dev/null",
                "-l",
            ])
            .arg(&prog)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        Telnetd {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
        }
    }
}

impl Drop for Telnetd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Telnetd {
    /// Waits (up to 5 s) until telnetd listens, watching /proc/net/tcp so that no probe
    /// connection starts a session of its own.
    /// Waits until telnetd listens on its port. False when it exited first: the port,
    /// free when it was picked, was taken in between by another process of this machine.
    fn wait_listening(&mut self) -> bool {
        let needle = format!("0100007F:{:04X}", self.addr.port());
        for _ in 0..250 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return false;
            }
            let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
            let listening = table.lines().any(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                cols.get(1) == Some(&needle.as_str()) && cols.get(3) == Some(&"0A")
            });
            if listening {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("telnetd never listened on {}", self.addr);
    }

    /// [`Telnetd::start`] until one listens (three tries, each on a newly picked port).
    fn listening(name: &str) -> Telnetd {
        for _ in 0..3 {
            let mut daemon = Telnetd::start(name);
            if daemon.wait_listening() {
                return daemon;
            }
        }
        panic!("telnetd exited before listening, three times");
    }
}

/// Whether `text` has `expected` followed by the end of that line.
fn size_line_done(text: &[u8], expected: &[u8]) -> bool {
    text.windows(expected.len())
        .position(|w| w == expected)
        .is_some_and(|at| text[at..].ends_with(b"\r\n"))
}

/// Bounds an async read in a test: panics with what was read so far after 10 s.
async fn within_10s<T>(read: impl std::future::Future<Output = T>, so_far: &[u8]) -> T {
    let timeout = async {
        async_io::Timer::after(Duration::from_secs(10)).await;
        panic!(
            "no answer in 10 s; got {:?}",
            String::from_utf8_lossy(so_far)
        );
    };
    futures_lite::future::or(read, timeout).await
}

#[test]
fn blocking_stream_reads_busybox_telnetd_and_sends_the_window_size() {
    use embedded_io::{Read, Write};
    if !busybox_telnetd() {
        return;
    }
    let daemon = Telnetd::listening("blocking");
    let mut stack = Blocking;
    let (conn, _) = connect(
        &mut stack,
        &[daemon.addr],
        Wait::std(Duration::from_secs(10)),
    )
    .unwrap();
    let mut negotiator = Negotiator::new();
    negotiator.set_window_size(100, 30).unwrap();
    let mut telnet = TelnetStream::with_negotiator(conn, negotiator);
    let mut text = Vec::new();
    let mut buf = [0u8; 64];
    // The first data (busybox sends its banner line at once) means the negotiation was read
    // and answered; then the line the program waits for.
    let n = telnet.read(&mut buf).unwrap();
    text.extend_from_slice(&buf[..n]);
    telnet.write_all(b"go\r\n").unwrap();
    telnet.flush().unwrap();
    let mut expected = PROGRAM_TEXT.to_vec();
    expected.extend_from_slice(b"size: 30 100\r\n");
    while !text.ends_with(&expected) {
        let n = telnet.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "closed early; got {:?}",
            String::from_utf8_lossy(&text)
        );
        text.extend_from_slice(&buf[..n]);
    }
    telnet.write_all(b"bye\r\n").unwrap();
    while telnet.read(&mut buf).unwrap() > 0 {}
    assert!(
        !text.windows(2).any(|w| w == [0xff, 0xff]),
        "IAC IAC was not undone"
    );
    assert!(telnet.negotiator().local_enabled(option::NAWS));
    assert!(telnet.negotiator().remote_enabled(option::ECHO));
    assert!(
        telnet
            .negotiator()
            .remote_enabled(option::SUPPRESS_GO_AHEAD)
    );
    assert!(!telnet.negotiator().local_enabled(option::ECHO));
}

#[test]
fn async_stream_reads_busybox_telnetd() {
    use embedded_io_async::{Read, Write};
    if !busybox_telnetd() {
        return;
    }
    let daemon = Telnetd::listening("async");
    let text = async_io::block_on(async {
        let stack = Async::default();
        let (conn, _) = connect_async(&stack, &[daemon.addr]).await.unwrap();
        let mut telnet = TelnetStream::new(conn);
        let mut text = Vec::new();
        let mut buf = [0u8; 64];
        let n = telnet.read(&mut buf).await.unwrap();
        text.extend_from_slice(&buf[..n]);
        telnet.write_all(b"go\r\n").await.unwrap();
        telnet.flush().await.unwrap();
        let mut expected = PROGRAM_TEXT.to_vec();
        expected.extend_from_slice(b"size: ");
        while !size_line_done(&text, &expected) {
            let n = within_10s(telnet.read(&mut buf), &text).await.unwrap();
            assert!(
                n > 0,
                "closed early; got {:?}",
                String::from_utf8_lossy(&text)
            );
            text.extend_from_slice(&buf[..n]);
        }
        telnet.write_all(b"bye\r\n").await.unwrap();
        while within_10s(telnet.read(&mut buf), &text).await.unwrap() > 0 {}
        assert!(!telnet.negotiator().local_enabled(option::NAWS));
        text
    });
    let at = text
        .windows(PROGRAM_TEXT.len())
        .position(|w| w == PROGRAM_TEXT)
        .expect("the program's text");
    // Before it, only the banner's line breaks and the echo of our line.
    assert!(
        text[..at].iter().all(|b| b"\r\ngo".contains(b)),
        "{:?}",
        &text[..at]
    );
    // NAWS was refused: the pty has no size (busybox says nothing, or 0 0).
    let size = &text[at + PROGRAM_TEXT.len()..];
    assert!(
        size == b"size: \r\n" || size == b"size: 0 0\r\n",
        "{size:?}"
    );
}
