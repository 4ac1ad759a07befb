//! The peers' probes, over the same dummy stack and canned bytes as towel's.

use core::future::Future;
use core::hint::black_box;

use embedded_io_async::Read as _;

use crate::dummy::{ADDR, PIN_PAGE, REQUEST, RESPONSE, Stack, URL, Wire};
use crate::{Outcome, append};

/// The buffer each peer client gets for the head (and what it buffers of the body).
pub const CLIENT_BUF: usize = 512;
/// The buffer each peer server gets.
pub const SERVER_BUF: usize = 512;

/// reqwless GET (no TLS): `HttpClient::request(GET, url).send(buf)`, body read to the end.
pub fn reqwless_get(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use reqwless::client::HttpClient;
    use reqwless::request::Method;

    async move {
        let stack = Stack::new(RESPONSE);
        let mut client = HttpClient::new(&stack, &stack);
        let mut buf = [0u8; CLIENT_BUF];
        let Ok(mut request) = client.request(Method::GET, black_box(URL)).await else {
            return Outcome::default();
        };
        let Ok(response) = request.send(&mut buf).await else {
            return Outcome::default();
        };
        let status = response.status.0;
        let Ok(body) = response.body().read_to_end().await else {
            return Outcome::default();
        };
        let mut len = 0;
        append(out, &mut len, body);
        Outcome { status, len }
    }
}

/// edge-http client: connect, `GET /pins` (HTTP/1.1, `Connection: close`), body read.
pub fn edge_client(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use edge_http::Method;
    use edge_http::io::client::Connection;

    async move {
        let stack = Stack::new(RESPONSE);
        let mut buf = [0u8; CLIENT_BUF];
        let addr = core::net::SocketAddr::new(black_box(ADDR).into(), 80);
        let mut conn: Connection<'_, _> = Connection::new(&mut buf, &stack, addr);
        let headers = [("Host", "pins.local"), ("Connection", "close")];
        if conn
            .initiate_request(true, Method::Get, black_box("/pins"), &headers)
            .await
            .is_err()
            || conn.initiate_response().await.is_err()
        {
            return Outcome::default();
        }
        let Ok(status) = conn.headers().map(|h| h.code) else {
            return Outcome::default();
        };
        let mut len = 0;
        while let Some(room) = out.get_mut(len..) {
            match conn.read(room).await {
                Ok(n @ 1..) => len += n,
                _ => break,
            }
        }
        Outcome { status, len }
    }
}

/// edge-http server: `handle_request` (one request, no keep-alive timer: `handle_connection`
/// needs an embassy-time driver) with a one-route handler serving the pin page.
pub fn edge_server(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use edge_http::io::server::{Connection, Handler, handle_request};
    use edge_nal::TcpSplit;
    use embedded_io_async::{Read, Write};

    struct Pins;

    impl Handler for Pins {
        type Error<E>
            = edge_http::io::Error<E>
        where
            E: core::fmt::Debug;

        async fn handle<T, const N: usize>(
            &self,
            _task_id: impl core::fmt::Display + Copy,
            conn: &mut Connection<'_, T, N>,
        ) -> Result<(), Self::Error<T::Error>>
        where
            T: Read + Write + TcpSplit,
        {
            let (status, page) = match conn.headers()?.path {
                "/" => (200, PIN_PAGE),
                _ => (404, ""),
            };
            conn.initiate_response(status, None, &[("Content-Type", "text/html")])
                .await?;
            conn.write_all(page.as_bytes()).await?;
            Ok(())
        }
    }

    async move {
        let mut wire = Wire::new(REQUEST, out);
        let mut buf = [0u8; SERVER_BUF];
        let _ = handle_request::<_, _, 16>(&mut buf, &mut wire, 0u8, Pins).await;
        wire.response_outcome()
    }
}

/// picoserve one-route server (`GET /` serves the pin page), one connection served.
pub fn picoserve(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use picoserve::routing::get;
    use picoserve::{Config, Router, Server, Timer};

    struct Never;
    impl<R> Timer<R> for Never {
        fn delay(&self, _: picoserve::time::Duration) -> impl Future<Output = ()> {
            core::future::pending()
        }
    }

    async move {
        let app = Router::new().route("/", get(|| async { PIN_PAGE }));
        let config = Config::const_default();
        let mut buf = [0u8; SERVER_BUF];
        let mut wire = Wire::new(REQUEST, out);
        let _ = Server::<(), _, _, _>::custom(&app, Never, &config, &mut buf)
            .serve(&mut wire)
            .await;
        wire.response_outcome()
    }
}

/// httparse alone: parse the canned response's head, copy the rest (the body) to `out`.
pub fn httparse(out: &mut [u8]) -> Outcome {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut response = httparse::Response::new(&mut headers);
    let input = black_box(RESPONSE);
    match response.parse(input) {
        Ok(httparse::Status::Complete(n)) => {
            let mut len = 0;
            append(out, &mut len, input.get(n..).unwrap_or_default());
            Outcome {
                status: response.code.unwrap_or(0),
                len,
            }
        }
        _ => Outcome::default(),
    }
}
