//! A scripted blocking TCP stack whose every call follows a queue: for socket-level faults
//! (WouldBlock, a count, an error) the std stack cannot be made to show on demand.

use std::collections::VecDeque;

use embedded_nal::nb;

/// The TCP stack's error in scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackFail {
    Refused,
    PipeClosed,
    NoSocket,
}

impl embedded_nal::TcpError for StackFail {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        match self {
            StackFail::PipeClosed => embedded_nal::TcpErrorKind::PipeClosed,
            _ => embedded_nal::TcpErrorKind::Other,
        }
    }
}

/// One scripted answer of `receive` / `send`: WouldBlock, a count (data is `b'x'`), or an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    WouldBlock,
    Ok(usize),
    Fail(StackFail),
}

/// A scripted TCP stack: `connect` answers per address from a list (an address not in the
/// list never answers); `receive` / `send` follow queues (empty queue: WouldBlock forever).
#[derive(Debug, Default)]
pub struct ScriptStack {
    pub connects: Vec<(std::net::SocketAddr, Result<(), StackFail>)>,
    pub receives: VecDeque<Io>,
    pub sends: VecDeque<Io>,
    pub fail_socket: bool,
    pub opened: u32,
    pub closed: u32,
    pub connect_calls: u32,
    pub polls: u32,
}

impl embedded_nal::TcpClientStack for ScriptStack {
    type TcpSocket = u32;
    type Error = StackFail;

    fn socket(&mut self) -> Result<u32, StackFail> {
        if self.fail_socket {
            return Err(StackFail::NoSocket);
        }
        self.opened += 1;
        Ok(self.opened)
    }

    fn connect(&mut self, _: &mut u32, remote: std::net::SocketAddr) -> nb::Result<(), StackFail> {
        self.connect_calls += 1;
        match self.connects.iter().find(|(a, _)| *a == remote) {
            Some((_, r)) => r.map_err(nb::Error::Other),
            None => Err(nb::Error::WouldBlock),
        }
    }

    fn send(&mut self, _: &mut u32, buffer: &[u8]) -> nb::Result<usize, StackFail> {
        match self.sends.pop_front().unwrap_or(Io::WouldBlock) {
            Io::WouldBlock => Err(nb::Error::WouldBlock),
            Io::Ok(n) => Ok(n.min(buffer.len())),
            Io::Fail(e) => Err(nb::Error::Other(e)),
        }
    }

    fn receive(&mut self, _: &mut u32, buffer: &mut [u8]) -> nb::Result<usize, StackFail> {
        match self.receives.pop_front().unwrap_or(Io::WouldBlock) {
            Io::WouldBlock => Err(nb::Error::WouldBlock),
            Io::Ok(n) => {
                let n = n.min(buffer.len());
                buffer[..n].fill(b'x');
                Ok(n)
            }
            Io::Fail(e) => Err(nb::Error::Other(e)),
        }
    }

    fn close(&mut self, _: u32) -> Result<(), StackFail> {
        self.closed += 1;
        Ok(())
    }
}
