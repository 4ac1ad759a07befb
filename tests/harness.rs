//! The real-server harness itself, checked with std sockets and a GET written here (the
//! request towel's client sends): every peer starts, serves the page and a 404, and stops.

mod common;

use common::peers::{self, Kind, PAGE};
use towel::http::client::USER_AGENT;
use towel::url::Url;

fn request_bytes(url: &str) -> Vec<u8> {
    let url = Url::parse(url).unwrap();
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!(
        "GET {}{query} HTTP/1.0\r\nHost: {}:{}\r\nUser-Agent: {USER_AGENT}\r\nConnection: close\r\n\r\n",
        url.path(),
        url.host_bracketed(),
        url.port(),
    )
    .into_bytes()
}

fn split(response: &[u8]) -> (u16, &[u8]) {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(n) = parsed.parse(response).unwrap() else {
        panic!("partial head");
    };
    (parsed.code.unwrap(), &response[n..])
}

#[test]
fn every_peer_serves_the_page_and_a_404() {
    for peer in peers::start_all() {
        let name = peer.kind.name();
        let page = peers::raw_get(peer.port, &request_bytes(&peer.url("/")));
        assert_eq!(
            split(&page),
            (200, PAGE.as_bytes()),
            "{name}: {}",
            peer.log()
        );
        let missing = peers::raw_get(peer.port, &request_bytes(&peer.url("/missing")));
        let (code, body) = split(&missing);
        assert_eq!(code, 404, "{name}");
        assert!(!body.is_empty(), "{name}: 404 without a body");
    }
}

#[test]
fn nginx_listens_on_ipv6_loopback() {
    let Some(peer) = peers::start(Kind::Nginx) else {
        return;
    };
    let url = peer.url6("/").unwrap();
    let mut s = std::net::TcpStream::connect(("::1", peer.port)).unwrap();
    use std::io::{Read, Write};
    s.write_all(&request_bytes(&url)).unwrap();
    let mut response = Vec::new();
    s.read_to_end(&mut response).unwrap();
    assert_eq!(split(&response), (200, PAGE.as_bytes()));
}
