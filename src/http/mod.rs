//! HTTP/1.0: the GET client.

pub mod request;
