//! Both clients against real servers on loopback: nginx (also on [::1]), lighttpd, busybox
//! httpd and python's http.server, each serving the generated document root (see
//! testkit/src/peers.rs). Skipped with a message when a server is not installed, unless
//! TOWEL_REQUIRE_PEERS=1.

use std::time::Duration;
use towel::http::client::Options;
use towel_testkit::client::{Client, fetch, fetch_both};
use towel_testkit::peers::{self, Kind, PAGE, sha256};

#[test]
fn page_big_file_and_404_arrive_exactly_from_every_server() {
    let root = peers::docroot();
    for peer in peers::start_all() {
        let name = peer.kind.name();
        let options = Options::DEFAULT.keep(&["Content-Type", "Content-Length"]);

        let page = fetch_both(&peer.url("/"), &options, 256, 4096).unwrap();
        assert_eq!(page.status, 200, "{name}");
        assert_eq!(page.body.as_deref(), Ok(PAGE.as_bytes()), "{name}");
        assert_eq!(page.content_length, Some(PAGE.len() as u64), "{name}");
        let content_type = page
            .kept
            .iter()
            .find(|(n, _)| n == "Content-Type")
            .map(|(_, v)| v.clone());
        assert_eq!(content_type.as_deref(), Some(&b"text/html"[..]), "{name}");

        let big = fetch_both(&peer.url("/big.bin"), &options, 256, 4096).unwrap();
        assert_eq!(big.status, 200, "{name}");
        let body = big.body.unwrap();
        assert_eq!(body.len(), peers::BIG_LEN, "{name}");
        assert_eq!(
            sha256(&body),
            root.big_sha256,
            "{name}: SHA-256 of big.bin differs"
        );

        let missing = fetch_both(&peer.url("/missing"), &options, 256, 4096).unwrap();
        assert_eq!(missing.status, 404, "{name}");
        let body = missing.body.unwrap();
        assert!(
            String::from_utf8_lossy(&body).contains("404")
                || String::from_utf8_lossy(&body).contains("Not Found"),
            "{name}: 404 body {body:?}"
        );
        if let Some(len) = missing.content_length {
            assert_eq!(len as usize, body.len(), "{name}");
        }
    }
}

#[test]
fn nginx_over_ipv6_loopback() {
    let Some(peer) = peers::start(Kind::Nginx) else {
        return;
    };
    let url = peer.url6("/").unwrap();
    let got = fetch_both(&url, &Options::DEFAULT, 256, 4096).unwrap();
    assert_eq!(
        (got.status, got.body.as_deref()),
        (200, Ok(PAGE.as_bytes()))
    );
    let big = fetch_both(
        &peer.url6("/big.bin").unwrap(),
        &Options::DEFAULT,
        256,
        65536,
    )
    .unwrap();
    assert_eq!(sha256(&big.body.unwrap()), peers::docroot().big_sha256);
    // And by name: "localhost" with IPv6 first.
    let url = format!("http://localhost:{}/", peer.port);
    let options = Options {
        hint: towel::Hint::Ipv6Only,
        ..Options::DEFAULT
    };
    let got = fetch_both(&url, &options, 256, 4096).unwrap();
    assert_eq!(got.body.as_deref(), Ok(PAGE.as_bytes()));
}

#[test]
fn real_directory_redirects_are_followed() {
    for peer in peers::start_all() {
        let name = peer.kind.name();
        let not_followed = fetch_both(&peer.url("/dir"), &Options::DEFAULT, 256, 4096).unwrap();
        assert!(
            matches!(not_followed.status, 301 | 302),
            "{name}: {}",
            not_followed.status
        );
        let followed =
            fetch_both(&peer.url("/dir"), &Options::DEFAULT.follow(3), 256, 4096).unwrap();
        assert_eq!(followed.status, 200, "{name}");
        assert_eq!(followed.redirects, 1, "{name}");
        assert_eq!(followed.url, peer.url("/dir/"), "{name}");
        assert_eq!(followed.body.as_deref(), Ok(PAGE.as_bytes()), "{name}");
    }
}

/// The smallest buffer each server's page comes through (printed: run with --nocapture).
#[test]
fn smallest_buffer_per_server() {
    for peer in peers::start_all() {
        let works = |len: usize| {
            let got = fetch(
                Client::Blocking,
                &peer.url("/"),
                &Options::DEFAULT,
                len,
                4096,
                Duration::from_secs(30),
            );
            matches!(got, Ok(g) if g.body.as_deref() == Ok(PAGE.as_bytes()))
        };
        assert!(
            works(256),
            "{}: a 256-byte buffer must be enough",
            peer.kind.name()
        );
        let (mut bad, mut good) = (1, 256);
        while good - bad > 1 {
            let mid = (bad + good) / 2;
            if works(mid) { good = mid } else { bad = mid }
        }
        assert!(!works(good - 1));
        eprintln!("smallest buffer for {}: {good} bytes", peer.kind.name());
    }
}
