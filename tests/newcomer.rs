//! What a newcomer writes once the code leaves `main`: functions that chain towel's calls with
//! `?` into one error type, blocking and async, on the std stacks over loopback; and the words
//! each error says.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::Duration;

use towel::embedded_io::{Read, Write};
use towel::error::{Phase, Timeout};
use towel::http::HttpError;
use towel::http::client::{Options, get, get_async};
use towel::io::{IoError, IoOp, Wait};
use towel::resolve::HostName;
use towel::std_stack::{Async, AsyncError, Blocking};
use towel::url::UrlError;
use towel::{
    ConnectError, Error, Hint, HostError, ResolveError, connect, connect_async, getaddrinfo,
    getaddrinfo_async,
};

const PAGE: &[u8] = b"HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello world";

/// A loopback server for two connections: the first echoes 4 bytes back, the second answers
/// a GET with `PAGE`.
fn server() -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = std::thread::spawn(move || {
        let (mut echo, _) = listener.accept().unwrap();
        let mut four = [0u8; 4];
        echo.read_exact(&mut four).unwrap();
        echo.write_all(&four).unwrap();
        let (mut http, _) = listener.accept().unwrap();
        let mut request = [0u8; 512];
        let _ = http.read(&mut request).unwrap();
        http.write_all(PAGE).unwrap();
    });
    (addr, thread)
}

/// Resolve, connect, write, read, then GET and read the body: one error type, `?` on each.
fn blocking_user(host: &str, port: u16) -> Result<(Vec<u8>, Vec<u8>), towel::std_stack::Error> {
    let mut stack = Blocking;
    let mut wait = Wait::std(Duration::from_secs(5));
    let addrs = getaddrinfo(&mut stack, host, port, Hint::Ipv4Only, &mut wait)?;
    let (mut conn, _) = connect(&mut stack, &addrs, wait)?;
    conn.write_all(b"ping")?;
    let mut echo = [0u8; 4];
    conn.read_exact(&mut echo)?;
    conn.close()?;

    let url = format!("http://{host}:{port}/");
    let mut buf = [0u8; 256];
    let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf)?;
    let mut first = [0u8; 5];
    response.body.read_exact(&mut first)?;
    let mut rest = Vec::new();
    response.body.read_to_end(&mut rest)?;
    let n = response.body.read(&mut first)?;
    assert_eq!(n, 0);
    Ok((echo.to_vec(), [&first[..], &rest].concat()))
}

/// The async twin, on the async std stack.
async fn async_user(host: &str, port: u16) -> Result<(Vec<u8>, Vec<u8>), AsyncError> {
    use towel::embedded_io_async::{Read, Write};
    let stack = Async::default();
    let addrs = getaddrinfo_async(&stack, host, port, Hint::Ipv4Only).await?;
    let (mut conn, _) = connect_async(&stack, &addrs).await?;
    conn.write_all(b"ping").await?;
    let mut echo = [0u8; 4];
    conn.read_exact(&mut echo).await?;
    drop(conn);

    let url = format!("http://{host}:{port}/");
    let mut buf = [0u8; 256];
    let mut response = get_async(&stack, &stack, &url, &Options::DEFAULT, &mut buf).await?;
    let mut first = [0u8; 5];
    response.body.read_exact(&mut first).await?;
    let mut page = [0u8; 32];
    let rest = response.body.read_to_slice(&mut page).await?;
    let n = response.body.read(&mut first).await?;
    assert_eq!(n, 0);
    Ok((echo.to_vec(), [&first[..], rest].concat()))
}

/// The same chain on any blocking embedded-nal stack: the error is the stack's own, twice.
fn generic_user<S>(
    stack: &mut S,
    url: &str,
) -> Result<u16, Error<<S as embedded_nal::TcpClientStack>::Error, <S as embedded_nal::Dns>::Error>>
where
    S: embedded_nal::TcpClientStack + embedded_nal::Dns,
{
    let mut wait = Wait::std(Duration::from_secs(5));
    let addrs = getaddrinfo(&mut *stack, "127.0.0.1", 9, Hint::Ipv4Only, &mut wait)?;
    assert_eq!(addrs.len(), 1);
    let mut buf = [0u8; 256];
    let mut response = get(stack, wait, url, &Options::DEFAULT, &mut buf)?;
    let mut page = [0u8; 64];
    let len = response.body.read_to_slice(&mut page)?.len();
    assert!(len > 0);
    Ok(response.head.status())
}

#[test]
fn a_blocking_user_function_chains_every_call_with_question_marks() {
    let (addr, server) = server();
    let (echo, body) = blocking_user("127.0.0.1", addr.port()).unwrap();
    assert_eq!(
        (echo.as_slice(), body.as_slice()),
        (&b"ping"[..], &b"hello world"[..])
    );
    server.join().unwrap();

    let err = blocking_user("a..b", 80).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad host name \"a..b\": empty label at byte 2"
    );
}

#[test]
fn an_async_user_function_chains_every_call_with_question_marks() {
    let (addr, server) = server();
    let got = futures_lite::future::block_on(async_user("127.0.0.1", addr.port())).unwrap();
    assert_eq!(
        (got.0.as_slice(), got.1.as_slice()),
        (&b"ping"[..], &b"hello world"[..])
    );
    server.join().unwrap();

    let err = futures_lite::future::block_on(async_user("-a", 80)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad host name \"-a\": the label at byte 0 starts or ends with '-'"
    );
}

#[test]
fn a_generic_user_function_compiles_and_runs() {
    let (url, server) = one_reply(PAGE, Duration::ZERO);
    assert_eq!(generic_user(&mut Blocking, &url).unwrap(), 200);
    server.join().unwrap();
}

#[test]
fn std_error_sources_chain_down_to_the_os_error() {
    use std::error::Error as _;
    let refused = towel_testkit::refused::Refused::new();
    let addr = refused.addr;
    let url = format!("http://{addr}/");
    let mut buf = [0u8; 64];
    let wait = Wait::std(Duration::from_secs(5));
    let err = get(&mut Blocking, wait, &url, &Options::DEFAULT, &mut buf).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("could not connect to {addr} (1 address tried): Connection refused (os error 111)")
    );
    let connect = err.source().expect("the connect error");
    assert_eq!(connect.to_string(), err.to_string());
    let os = connect.source().expect("the stack's error");
    assert_eq!(os.to_string(), "Connection refused (os error 111)");
}

/// Every message, in words: what failed and where, the stack's error by its `Display`.
#[test]
fn each_error_says_what_failed_and_where() {
    let a: SocketAddr = "192.0.2.1:80".parse().unwrap();
    let os = || std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let cases: Vec<(AsyncError, &str)> = vec![
        (
            ResolveError::Host {
                host: HostName::new("a b"),
                error: HostError::BadByte { byte: b' ', at: 1 },
            }
            .into(),
            "bad host name \"a\\x20b\": byte 0x20 at 1 is not allowed in a host name (letters, digits, '-' and '.' only)",
        ),
        (
            ResolveError::NoAddress {
                host: HostName::new("v6only.example"),
            }
            .into(),
            "no address found for v6only.example in the requested family",
        ),
        (
            ResolveError::Resolver {
                host: HostName::new("no.such.example"),
                error: std::io::Error::other(
                    "failed to lookup address information: Name or service not known",
                ),
            }
            .into(),
            "looking up no.such.example failed: failed to lookup address information: Name or service not known",
        ),
        (
            ResolveError::Timeout {
                host: HostName::new("slow.example"),
                after_ms: 5000,
            }
            .into(),
            "looking up slow.example timed out after 5000 ms",
        ),
        (ConnectError::NoAddress.into(), "no address to connect to"),
        (
            ConnectError::Socket(std::io::Error::other("out of sockets")).into(),
            "the network stack made no socket: out of sockets",
        ),
        (
            ConnectError::Failed {
                tried: 2,
                last: a,
                error: os(),
            }
            .into(),
            "could not connect to 192.0.2.1:80 (2 addresses tried): connection refused",
        ),
        (
            ConnectError::Timeout {
                addr: a,
                tried: 1,
                after_ms: 1000,
            }
            .into(),
            "connecting to 192.0.2.1:80 timed out after 1000 ms (1 address tried)",
        ),
        (
            IoError::Stack(os()).into(),
            "the network stack failed: connection refused",
        ),
        (
            IoError::Timeout {
                during: IoOp::Read,
                after_ms: 250,
            }
            .into(),
            "reading from the connection timed out after 250 ms",
        ),
        (
            IoError::Timeout {
                during: IoOp::Write,
                after_ms: 250,
            }
            .into(),
            "writing to the connection timed out after 250 ms",
        ),
        (IoError::Closed.into(), "the peer closed the connection"),
        (
            Timeout {
                during: Phase::Request,
                after_ms: 30,
            }
            .into(),
            "sending the HTTP request timed out after 30 ms",
        ),
        (
            Timeout {
                during: Phase::Head,
                after_ms: 30,
            }
            .into(),
            "waiting for the response head timed out after 30 ms",
        ),
        (
            Timeout {
                during: Phase::Body,
                after_ms: 30,
            }
            .into(),
            "waiting for the response body timed out after 30 ms",
        ),
        (
            Timeout {
                during: Phase::Exchange,
                after_ms: 2000,
            }
            .into(),
            "the HTTP exchange timed out: not done within its deadline of 2000 ms (lookup to last body byte)",
        ),
        (
            Error::Closed,
            "the server closed the connection before the end of the response head",
        ),
        (
            HttpError::Truncated.into(),
            "HTTP: the connection closed before the body was complete",
        ),
        (
            Error::LineTooLong {
                len: 251,
                room: 251,
                limit: 8192,
            },
            "a line of the response head does not fit: 251 bytes and no line end yet, with room for 251 bytes in the buffer and a line limit of 8192",
        ),
        (
            UrlError::Https.into(),
            "bad URL: https URLs are not supported: towel has no TLS (use http://)",
        ),
        (
            Error::Location(UrlError::UnsupportedScheme),
            "cannot follow the redirect: only http:// URLs are supported",
        ),
        (
            Error::TooManyRedirects(5),
            "too many redirects (gave up after 5)",
        ),
        (
            Error::BodyTooLarge { capacity: 64 },
            "the response body is larger than the 64-byte buffer",
        ),
    ];
    for (error, want) in cases {
        assert_eq!(error.to_string(), want, "{error:?}");
        assert!(!error.to_string().contains("Custom {"), "{error}");
    }
}

#[test]
fn a_body_larger_than_the_slice_is_a_typed_error() {
    let (url, server) = one_reply(PAGE, Duration::ZERO);
    let mut buf = [0u8; 256];
    let wait = Wait::std(Duration::from_secs(5));
    let mut stack = Blocking;
    let mut response = get(&mut stack, wait, &url, &Options::DEFAULT, &mut buf).unwrap();
    let mut page = [0u8; 10];
    let err: towel::std_stack::Error = response.body.read_to_slice(&mut page).unwrap_err().into();
    assert!(
        matches!(err, Error::BodyTooLarge { capacity: 10 }),
        "{err:?}"
    );
    server.join().unwrap();
}

/// Reads a request head to its empty line (a small client buffer sends it in pieces).
fn read_request(peer: &mut std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && peer.read(&mut byte).unwrap() == 1 {
        head.push(byte[0]);
    }
}

/// A loopback server that answers one GET with `reply`, `pause` between bytes.
fn one_reply(reply: &'static [u8], pause: Duration) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let thread = std::thread::spawn(move || {
        let (mut peer, _) = listener.accept().unwrap();
        read_request(&mut peer);
        if pause.is_zero() {
            let _ = peer.write_all(reply);
            return;
        }
        for b in reply {
            if peer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(pause);
        }
    });
    (url, thread)
}

#[test]
fn the_visitor_sees_every_header_of_a_head_larger_than_the_buffer() {
    use std::cell::RefCell;
    use towel::http::Event;
    const REPLY: &[u8] = b"HTTP/1.1 200 OK\r\nServer: test\r\nX-One: 1\r\nX-Two: 2\r\n\
        X-Three: 3\r\nX-Four: 4\r\nX-Five: 5\r\nX-Six: 6\r\nX-Seven: 7\r\nX-Eight: 8\r\n\
        Content-Length: 2\r\n\r\nok";
    let seen = RefCell::new(Vec::new());
    let visit = |event: &Event<'_>| match event {
        Event::Status(s) => {
            seen.borrow_mut()
                .push(format!("{} {}", s.code, String::from_utf8_lossy(s.reason)))
        }
        Event::Header(h) => seen.borrow_mut().push(format!(
            "{}: {}",
            String::from_utf8_lossy(h.name),
            String::from_utf8_lossy(h.value)
        )),
        _ => {}
    };
    let options = Options::DEFAULT.visit(&visit);
    let want = [
        "200 OK",
        "Server: test",
        "X-One: 1",
        "X-Two: 2",
        "X-Three: 3",
        "X-Four: 4",
        "X-Five: 5",
        "X-Six: 6",
        "X-Seven: 7",
        "X-Eight: 8",
        "Content-Length: 2",
    ];
    // 40 bytes of buffer: far less than the head's 170, enough for its longest line.
    let (url, server) = one_reply(REPLY, Duration::ZERO);
    let mut buf = [0u8; 40];
    let wait = Wait::std(Duration::from_secs(5));
    let mut stack = Blocking;
    let mut response = get(&mut stack, wait, &url, &options, &mut buf).unwrap();
    assert_eq!(response.body.read_to_slice(&mut [0u8; 8]).unwrap(), b"ok");
    server.join().unwrap();
    assert_eq!(seen.take(), want);

    let (url, server) = one_reply(REPLY, Duration::ZERO);
    let stack = Async::default();
    let mut buf = [0u8; 40];
    futures_lite::future::block_on(get_async(&stack, &stack, &url, &options, &mut buf)).unwrap();
    server.join().unwrap();
    assert_eq!(seen.take(), want);
}

#[test]
fn the_exchange_deadline_bounds_a_trickling_server() {
    // Each byte comes within the 1 s bound of every wait; the 600 ms deadline of the whole
    // exchange ends it (bounds with slack: correctness, not speed).
    let (url, server) = one_reply(b"HTTP/1.0 200 OK\r\n\r\nslow", Duration::from_millis(100));
    let mut buf = [0u8; 64];
    let wait = Wait::std(Duration::from_secs(1));
    let options = Options::DEFAULT.deadline_ms(600);
    let started = std::time::Instant::now();
    let got = get(&mut Blocking, wait, &url, &options, &mut buf).map(|r| r.head.status());
    let took = started.elapsed();
    assert!(
        matches!(
            got,
            Err(Error::Timeout(Timeout {
                during: Phase::Exchange,
                after_ms: 600
            }))
        ),
        "{got:?}"
    );
    assert!(
        took >= Duration::from_millis(550) && took < Duration::from_secs(3),
        "{took:?}"
    );
    server.join().unwrap();

    // In the body: the head comes at once, the body trickles.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut peer, _) = listener.accept().unwrap();
        let _ = peer.read(&mut [0u8; 512]).unwrap();
        peer.write_all(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
        for b in b"0123456789" {
            if peer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut buf = [0u8; 64];
    let mut stack = Blocking;
    let mut response = get(&mut stack, wait, &url, &options, &mut buf).unwrap();
    let mut body = Vec::new();
    let err: towel::std_stack::Error = response.body.read_to_end(&mut body).unwrap_err().into();
    assert!(
        matches!(
            err,
            Error::Timeout(Timeout {
                during: Phase::Exchange,
                after_ms: 600
            })
        ),
        "{err:?}"
    );
    assert!(!body.is_empty() && body.len() < 10, "{body:?}");
    drop(response);
    server.join().unwrap();
}

/// Errors stay small: the async GET future holds one (issue 13 budgets it at 1 KiB).
#[test]
fn errors_are_small() {
    use std::mem::size_of;
    let sizes = [
        ("std_stack::Error", size_of::<towel::std_stack::Error>()),
        ("std_stack::AsyncError", size_of::<AsyncError>()),
        (
            "ResolveError<io::Error>",
            size_of::<ResolveError<std::io::Error>>(),
        ),
        (
            "ConnectError<io::Error>",
            size_of::<ConnectError<std::io::Error>>(),
        ),
        ("IoError<io::Error>", size_of::<IoError<std::io::Error>>()),
        ("Error<(), ()>", size_of::<Error<(), ()>>()),
    ];
    eprintln!("{sizes:?}");
    for (name, size) in sizes {
        assert!(size <= 64, "{name} is {size} bytes");
    }
}
