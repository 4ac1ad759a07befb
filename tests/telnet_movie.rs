//! The telnet stream against a towel-style movie server on loopback (testkit/src/movie.rs):
//! DO LINEMODE first, no frame before the client answers, then ECHO/SGA/TTYPE/NAWS and frames
//! with 0xFF bytes and bare CRs in them. The clean output must be the frames, byte for byte.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use towel::io::Wait;
use towel::std_stack::{Async, Blocking};
use towel::telnet::{Negotiator, TelnetStream};
use towel::{connect, connect_async};
use towel_testkit::movie::{self, ECHO, LINEMODE, MovieServer, NAWS, SGA, TTYPE};

const WILL: u8 = 251;
const WONT: u8 = 252;
const DO: u8 = 253;

fn default_answers() -> Vec<(u8, u8)> {
    vec![
        (WONT, LINEMODE),
        (DO, ECHO),
        (DO, SGA),
        (WONT, TTYPE),
        (WONT, NAWS),
    ]
}

#[test]
fn async_stream_plays_the_movie_and_answers_as_configured() {
    let film = movie::make_movie(12, true);
    let server = MovieServer::start(&film, Duration::ZERO);
    let text = async_io::block_on(async {
        use embedded_io_async::Read;
        let stack = Async::default();
        let (conn, _) = connect_async(&stack, &[server.addr]).await.unwrap();
        let mut telnet = TelnetStream::new(conn);
        let mut text = Vec::new();
        let mut buf = [0u8; 100];
        loop {
            let n = telnet.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buf[..n]);
        }
        text
    });
    let report = server.finish();
    assert!(text == movie::expected_output(&film), "the frames differ");
    assert!(report.answered_before_frames);
    assert_eq!(report.negotiation, default_answers());
    assert!(report.subnegotiation.is_empty());
    assert!(report.data.is_empty());
}

#[test]
fn blocking_stream_sends_terminal_type_and_window_size() {
    use embedded_io::Read;
    let film = movie::make_movie(7, true);
    let server = MovieServer::start(&film, Duration::ZERO);
    let mut stack = Blocking;
    let (conn, _) = connect(
        &mut stack,
        &[server.addr],
        Wait::std(Duration::from_secs(10)),
    )
    .unwrap();
    let mut negotiator = Negotiator::new();
    negotiator.set_terminal_type("XTERM").unwrap();
    negotiator.set_window_size(80, 24).unwrap();
    // Small buffers: every sequence gets cut somewhere.
    let mut telnet = TelnetStream::<_, 8, 7>::with_sizes(conn, negotiator);
    let mut text = Vec::new();
    let mut buf = [0u8; 5];
    loop {
        let n = telnet.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
    }
    assert!(telnet.negotiator().local_enabled(TTYPE));
    assert!(telnet.negotiator().local_enabled(NAWS));
    assert!(telnet.negotiator().remote_enabled(ECHO));
    drop(telnet);
    let report = server.finish();
    assert!(text == movie::expected_output(&film), "the frames differ");
    assert!(report.answered_before_frames);
    assert_eq!(
        report.negotiation,
        [
            (WONT, LINEMODE),
            (DO, ECHO),
            (DO, SGA),
            (WILL, TTYPE),
            (WILL, NAWS)
        ]
    );
    assert_eq!(
        report.subnegotiation,
        [(NAWS, vec![0, 80, 0, 24]), (TTYPE, b"\0XTERM".to_vec())]
    );
}

/// The starwars example binary, built by `cargo test` with the other examples (or built here).
fn starwars_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(build_starwars).clone()
}

fn build_starwars() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/debug/deps/telnet_movie-HASH -> target/debug/examples/starwars
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples");
    let bin = dir.join(format!("starwars{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "starwars", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .status()
            .unwrap();
        assert!(status.success(), "building the starwars example failed");
    }
    bin
}

#[test]
fn starwars_example_prints_the_frames_byte_for_byte() {
    let bin = starwars_binary();
    for extra in [None, Some("--async")] {
        let film = movie::make_movie(9, true);
        let server = MovieServer::start(&film, Duration::ZERO);
        let mut cmd = Command::new(&bin);
        cmd.arg("127.0.0.1").arg(server.addr.port().to_string());
        cmd.args(extra);
        let out = cmd.output().unwrap();
        let report = server.finish();
        assert!(
            out.status.success(),
            "{extra:?}: exit {:?}, stderr {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout == movie::expected_output(&film),
            "{extra:?}: the frames differ"
        );
        assert!(out.stderr.is_empty());
        assert_eq!(report.negotiation, default_answers());
    }
}

#[test]
fn starwars_example_exits_1_with_a_message_on_error() {
    let bin = starwars_binary();
    // A port nobody listens on, held so that nothing else takes it.
    let refused = towel_testkit::refused::Refused::new();
    let port = refused.port();
    for extra in [None, Some("--async")] {
        let out = Command::new(&bin)
            .arg("127.0.0.1")
            .arg(port.to_string())
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("starwars: connecting to 127.0.0.1:"),
            "{extra:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = Command::new(&bin)
        .args(["host", "notaport"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("starwars: bad port \"notaport\""));
}
