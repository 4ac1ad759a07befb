//! towel's test helpers, in one place: what the integration tests, benches, examples and fuzz
//! targets share. Not published.
//!
//! - [`clock`]: the tick clock (deterministic deadlines).
//! - [`dns`]: scripted resolvers, blocking and async.
//! - [`stack`]: the scripted TCP stack: one script (a reply and its faults) behind a blocking
//!   and an async stack.
//! - [`peers`]: real HTTP servers on loopback (nginx, lighttpd, busybox httpd, python3), with
//!   the one nginx configuration (`testkit/nginx.conf`) the scripts use too.
//! - [`server`]: a scripted HTTP server on loopback; [`unanswered`]: a listener that never
//!   finishes a handshake; [`refused`]: a port that refuses and stays refusing.
//! - [`http_server`]: towel's own server (blocking or async) on loopback with a test site, and
//!   a raw client that parses its answers.
//! - [`client`]: both HTTP clients behind one call; [`http`]: a head-parser driver and body
//!   decoding in pieces.
//! - [`telnet`]: a scripted telnet connection and transcript helpers; [`movie`]: a towel-style
//!   movie server.
#![allow(clippy::missing_panics_doc)]

pub mod client;
pub mod clock;
pub mod dns;
pub mod http;
pub mod http_server;
pub mod movie;
pub mod peers;
pub mod refused;
pub mod server;
pub mod stack;
pub mod telnet;
pub mod unanswered;
