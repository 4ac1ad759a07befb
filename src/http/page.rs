//! The GPIO pin page: the tutorial's table of pin values, and the same values as JSON.
//!
//! A [`PinPage`] holds labelled embedded-hal 1.0 [`InputPin`]s. `&PinPage` is a server
//! [`Handler`]: `GET /` is the HTML page (title and heading "ESP32 Pins" unless you give
//! another, a table with `Pin` and `Value` columns, one row per pin), `GET /pins.json` the
//! same values as JSON, anything else 404. The pins are read once per request into a
//! snapshot, which the page is rendered from (once to count its length, then a buffer at a
//! time), so no buffer holds the page and its `Content-Length` is exact. Labels and the title
//! are HTML- and JSON-escaped. A pin that fails to read shows as `error` / `null`.
//!
//! ```
//! use core::convert::Infallible;
//! use embedded_hal::digital::{ErrorType, InputPin};
//! use towel::http::page::PinPage;
//! use towel::http::server::Sink;
//!
//! struct Fixed(bool);
//! impl ErrorType for Fixed { type Error = Infallible; }
//! impl InputPin for Fixed {
//!     fn is_high(&mut self) -> Result<bool, Infallible> { Ok(self.0) }
//!     fn is_low(&mut self) -> Result<bool, Infallible> { Ok(!self.0) }
//! }
//!
//! let page = PinPage::new([("0", Fixed(true)), ("2", Fixed(false))]);
//! let json = page.snapshot(true);
//! let mut out = [0u8; 128];
//! let n = Sink::window(&json, 0, &mut out);
//! assert_eq!(&out[..n], br#"{"title":"ESP32 Pins","pins":[{"pin":"0","value":1},{"pin":"2","value":0}]}"#);
//! ```

use core::cell::RefCell;

use embedded_hal::digital::InputPin;

use super::server::handler::same;
use super::server::{Body, Handler, Request, Response, Sink};

/// Labelled input pins served as a page: see the [module docs](self).
#[derive(Debug)]
pub struct PinPage<'t, P, const N: usize> {
    title: &'t str,
    labels: [&'t str; N],
    pins: RefCell<[P; N]>,
}

impl<'t, P: InputPin, const N: usize> PinPage<'t, P, N> {
    /// A page titled "ESP32 Pins" over `pins`, each with its label.
    pub fn new(pins: [(&'t str, P); N]) -> Self {
        let labels = core::array::from_fn(|i| pins.get(i).map_or("", |(label, _)| *label));
        PinPage {
            title: "ESP32 Pins",
            labels,
            pins: RefCell::new(pins.map(|(_, pin)| pin)),
        }
    }

    /// The same page with another title (and heading).
    #[must_use]
    pub fn with_title(mut self, title: &'t str) -> Self {
        self.title = title;
        self
    }

    /// Reads every pin once: the page (`json` false) or the JSON (`json` true) of this moment.
    pub fn snapshot(&self, json: bool) -> Snapshot<'_, 't, P, N> {
        let mut values = [None; N];
        if let Ok(mut pins) = self.pins.try_borrow_mut() {
            for (value, pin) in values.iter_mut().zip(pins.iter_mut()) {
                *value = pin.is_high().ok();
            }
        }
        Snapshot {
            page: self,
            values,
            json,
        }
    }
}

/// The pin values of one moment, rendered as the page or as JSON.
#[derive(Debug)]
pub struct Snapshot<'p, 't, P, const N: usize> {
    page: &'p PinPage<'t, P, N>,
    values: [Option<bool>; N],
    json: bool,
}

/// The page's text before the rows, as a [`Sink::fill`] template: the title goes at both
/// `HTML` bytes.
const HTML_HEAD: &[u8] = b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\x01\
</title></head>\n<body><h1>\x01</h1>\n<table border=\"1\">\n<tr><th>Pin</th><th>Value</th></tr>\n";
/// A row: the label at `HTML`, the value at `RAW`.
const HTML_ROW: &[u8] = b"<tr><td>\x01</td><td>\x03</td></tr>\n";
/// The JSON before the rows, the title at `JSON`.
const JSON_HEAD: &[u8] = b"{\"title\":\"\x02\",\"pins\":[";
/// A JSON row, with the comma that the first goes without: the label at `JSON`, the value at
/// `RAW`.
const JSON_ROW: &[u8] = b",{\"pin\":\"\x02\",\"value\":\x03}";

impl<P, const N: usize> Body for Snapshot<'_, '_, P, N> {
    fn render(&self, out: &mut Sink<'_>) {
        let (head, row, tail, error): (&[u8], &[u8], &str, &[u8]) = if self.json {
            (JSON_HEAD, JSON_ROW, "]}", b"null")
        } else {
            (HTML_HEAD, HTML_ROW, "</table>\n</body></html>\n", b"error")
        };
        let title = self.page.title.as_bytes();
        out.fill(head, &[title, title]);
        // The first JSON row without its comma.
        let mut lead = row.get(usize::from(self.json)..).unwrap_or_default();
        for (label, value) in self.page.labels.iter().zip(self.values.iter()) {
            let value: &[u8] = match value {
                Some(true) => b"1",
                Some(false) => b"0",
                None => error,
            };
            out.fill(lead, &[label.as_bytes(), value]);
            lead = row;
        }
        out.str(tail);
    }
}

impl<'p, 't, P: InputPin, const N: usize> Handler for &'p PinPage<'t, P, N> {
    type Body = Snapshot<'p, 't, P, N>;

    fn respond(&self, request: &Request<'_>) -> Option<Response<Self::Body>> {
        let path = request.path();
        let json = if same(path, b"/") {
            false
        } else if same(path, b"/pins.json") {
            true
        } else {
            return None;
        };
        let content_type = if json {
            "application/json"
        } else {
            "text/html; charset=utf-8"
        };
        Some(Response::ok(content_type, self.snapshot(json)))
    }
}
