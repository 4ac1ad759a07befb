//! Real HTTP servers on loopback: nginx, lighttpd, busybox httpd and python's http.server, each
//! started on a free port over one generated document root, and stopped (killed and reaped) when
//! its [`Server`] drops.
//!
//! A missing binary skips the peer with a message on stderr, unless `TOWEL_REQUIRE_PEERS=1`
//! (CI), which makes it a test failure. `scripts/setup.sh` installs them all.

use std::io::Read;
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Size of the big file: 10 MiB.
pub const BIG_LEN: usize = 10 * 1024 * 1024;

/// The small page every server serves as `/index.html` (and `/`).
pub const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>towel</title></head>\n\
<body><h1>Don't panic</h1><p>A small page for towel's HTTP client tests.</p></body></html>\n";

/// The generated document root, shared by every server of a test process.
pub struct DocRoot {
    /// Absolute path of the directory.
    pub path: PathBuf,
    /// SHA-256 of `/big.bin`.
    pub big_sha256: [u8; 32],
}

/// The 10 MiB file: every byte value, in an order that does not repeat on any short period
/// (xorshift), so a lost or duplicated block anywhere changes the hash.
pub fn big_bytes() -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut v = Vec::with_capacity(BIG_LEN);
    while v.len() < BIG_LEN {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(BIG_LEN);
    // Make sure: every byte value appears.
    for b in 0..=255u8 {
        assert!(v.contains(&b), "byte {b} missing from big file");
    }
    v
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The document root: `index.html`, `big.bin`, `dir/index.html` (so `/dir` redirects to
/// `/dir/`), and nothing at `/missing` (404). Made once per test process.
pub fn docroot() -> &'static DocRoot {
    static ROOT: OnceLock<DocRoot> = OnceLock::new();
    ROOT.get_or_init(|| {
        // One directory for all test processes, written atomically (temp file, rename) and
        // only when its content is not already right.
        let path = tmp_dir().join("towel-docroot");
        std::fs::create_dir_all(path.join("dir")).unwrap();
        let big = big_bytes();
        for (name, content) in [
            ("index.html", PAGE.as_bytes()),
            ("dir/index.html", PAGE.as_bytes()),
            ("big.bin", &big[..]),
        ] {
            let file = path.join(name);
            if std::fs::read(&file).is_ok_and(|c| c == content) {
                continue;
            }
            let temp = path.join(format!(
                ".{}.{}",
                name.replace('/', "_"),
                std::process::id()
            ));
            std::fs::write(&temp, content).unwrap();
            std::fs::rename(&temp, &file).unwrap();
        }
        DocRoot {
            path,
            big_sha256: sha256(&big),
        }
    })
}

/// Which server a [`Server`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nginx,
    Lighttpd,
    Busybox,
    Python,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Nginx, Kind::Lighttpd, Kind::Busybox, Kind::Python];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Nginx => "nginx",
            Kind::Lighttpd => "lighttpd",
            Kind::Busybox => "busybox httpd",
            Kind::Python => "python3 http.server",
        }
    }

    fn binary(self) -> &'static str {
        match self {
            Kind::Nginx => "nginx",
            Kind::Lighttpd => "lighttpd",
            Kind::Busybox => "busybox",
            Kind::Python => "python3",
        }
    }
}

/// A running server; killed when dropped.
pub struct Server {
    pub kind: Kind,
    pub port: u16,
    /// True when it also listens on `[::1]` (nginx).
    pub ipv6: bool,
    child: Child,
    dir: PathBuf,
}

impl Server {
    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `http://[::1]:<port><path>`, when the server listens there.
    pub fn url6(&self, path: &str) -> Option<String> {
        self.ipv6
            .then(|| format!("http://[::1]:{}{path}", self.port))
    }

    /// The server's own log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn require_peers() -> bool {
    std::env::var("TOWEL_REQUIRE_PEERS").is_ok_and(|v| v == "1")
}

/// Whether the tool `name` is installed; if not, says the test is skipped (or fails it under
/// `TOWEL_REQUIRE_PEERS=1`).
pub fn have(name: &str) -> bool {
    let found = find_binary(name).is_some();
    if !found {
        let message = format!("{name} is not installed (scripts/setup.sh installs it)");
        assert!(!require_peers(), "TOWEL_REQUIRE_PEERS=1: {message}");
        eprintln!("skipped: {message}");
    }
    found
}

/// A child process, killed and reaped when dropped.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_binary(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([
            "/usr/sbin".into(),
            "/sbin".into(),
            "/usr/bin".into(),
            "/bin".into(),
        ])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Whether this busybox has the httpd applet (Debian's busybox-static does).
fn has_httpd(busybox: &Path) -> bool {
    Command::new(busybox)
        .arg("--list")
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l == "httpd")
        })
}

/// A port free on 127.0.0.1 (and on ::1 when `ipv6`), as far as binding it now tells.
pub fn free_port(ipv6: bool) -> u16 {
    for _ in 0..100 {
        let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = v4.local_addr().unwrap().port();
        if !ipv6 || TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port");
}

/// The one nginx configuration (`testkit/nginx.conf`, which the scripts use too), filled in.
pub fn nginx_conf(prefix: &Path, log: &Path, port: u16, root: &Path) -> String {
    include_str!("../nginx.conf")
        .replace("@PREFIX@", &prefix.display().to_string())
        .replace("@LOG@", &log.display().to_string())
        .replace("@PORT@", &port.to_string())
        .replace("@ROOT@", &root.display().to_string())
}

/// Where the peers keep their files: `target/tmp` of the towel checkout.
fn tmp_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tmp")
}

/// Starts `kind`, or returns `None` (with a message) when its binary is missing and
/// `TOWEL_REQUIRE_PEERS` is not `1`.
pub fn start(kind: Kind) -> Option<Server> {
    let binary = find_binary(kind.binary()).filter(|b| kind != Kind::Busybox || has_httpd(b));
    let Some(binary) = binary else {
        let message = format!(
            "{} not found: install it with scripts/setup.sh (real-server test skipped)",
            kind.name()
        );
        assert!(!require_peers(), "TOWEL_REQUIRE_PEERS=1: {message}");
        eprintln!("SKIP: {message}");
        return None;
    };
    let root = &docroot().path;
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = tmp_dir().join(format!(
        "towel-peer-{}-{}-{n}",
        std::process::id(),
        kind.binary()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tmp")).unwrap();
    let ipv6 = kind == Kind::Nginx;
    // Peers of one test process start one at a time, so two never take the same free port; a
    // peer that dies before it serves (its port taken meanwhile by another process) is started
    // again on a new port.
    static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    let mut attempt = 0;
    let (port, child) = loop {
        attempt += 1;
        let port = free_port(ipv6);
        match spawn_and_wait(kind, &binary, &dir, root, port, ipv6) {
            Ok(child) => break (port, child),
            Err(why) if attempt < 5 => eprintln!("{} on port {port}: {why}; again", kind.name()),
            Err(why) => panic!("{} on port {port}: {why}", kind.name()),
        }
    };
    Some(Server {
        kind,
        port,
        ipv6,
        child,
        dir,
    })
}

/// Starts `kind` on `port` and waits until it serves there.
fn spawn_and_wait(
    kind: Kind,
    binary: &Path,
    dir: &Path,
    root: &Path,
    port: u16,
    ipv6: bool,
) -> Result<Child, String> {
    let log = dir.join("log");
    let mut command = Command::new(binary);
    match kind {
        Kind::Nginx => {
            let conf = dir.join("nginx.conf");
            std::fs::write(&conf, nginx_conf(dir, &log, port, root)).unwrap();
            command
                .arg("-p")
                .arg(dir)
                .arg("-e")
                .arg(&log)
                .arg("-c")
                .arg(&conf);
        }
        Kind::Lighttpd => {
            let conf = dir.join("lighttpd.conf");
            std::fs::write(
                &conf,
                format!(
                    "server.document-root = \"{root}\"\nserver.bind = \"127.0.0.1\"\n\
                     server.port = {port}\nserver.errorlog = \"{log}\"\n\
                     index-file.names = (\"index.html\")\n\
                     mimetype.assign = (\".html\" => \"text/html\", \"\" => \"application/octet-stream\")\n",
                    root = root.display(),
                    log = log.display()
                ),
            )
            .unwrap();
            command.arg("-D").arg("-f").arg(&conf);
        }
        Kind::Busybox => {
            command
                .args(["httpd", "-f", "-p"])
                .arg(format!("127.0.0.1:{port}"))
                .arg("-h")
                .arg(root);
        }
        Kind::Python => {
            command
                .args(["-m", "http.server"])
                .arg(port.to_string())
                .args(["--bind", "127.0.0.1", "--directory"])
                .arg(root);
        }
    }
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", binary.display()))?;
    // Wait until it accepts on every address it listens on (bounded), or report its log if it
    // exits first.
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("exited with {status} before serving:\n{log}"));
        }
        let v4 = TcpStream::connect(("127.0.0.1", port)).is_ok();
        if v4 && (!ipv6 || TcpStream::connect((Ipv6Addr::LOCALHOST, port)).is_ok()) {
            return Ok(child);
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            return Err("did not listen within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every peer whose binary is installed (all four under `TOWEL_REQUIRE_PEERS=1`).
pub fn start_all() -> Vec<Server> {
    Kind::ALL.into_iter().filter_map(start).collect()
}

/// Reads a whole response with std sockets (for checking the harness itself).
pub fn raw_get(port: u16, request: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    out
}
