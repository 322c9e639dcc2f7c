//! Does a server still accept TLS 1.0 or 1.1? rustls cannot speak them, so this sends
//! a hand-built ClientHello offering only the legacy version (with the CBC suites such
//! servers use, and SNI) and reads the first record back: a ServerHello names the
//! version the server chose, an alert names its refusal. Nothing after the ServerHello
//! is read; the connection is dropped. Reads are bounded; garbage is an error.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::NetFailure;

pub const TLS1_0: u16 = 0x0301;
pub const TLS1_1: u16 = 0x0302;

/// What a server answered to a legacy ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LegacyAnswer {
    /// A ServerHello with this version: the handshake would go on.
    Accepted(u16),
    /// An alert (its description code), or the connection closed without a word.
    Refused(String),
}

pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".into(),
        0x0301 => "TLS 1.0".into(),
        0x0302 => "TLS 1.1".into(),
        0x0303 => "TLS 1.2".into(),
        0x0304 => "TLS 1.3".into(),
        other => format!("version 0x{other:04x}"),
    }
}

/// Offer `version` to `host` at `addr`, within `timeout` for the whole exchange.
pub async fn offer(
    addr: SocketAddr,
    host: &str,
    version: u16,
    timeout: Duration,
) -> Result<LegacyAnswer, NetFailure> {
    tokio::time::timeout(timeout, exchange(addr, host, version))
        .await
        .unwrap_or(Err(NetFailure::Timeout(timeout)))
}

async fn exchange(addr: SocketAddr, host: &str, version: u16) -> Result<LegacyAnswer, NetFailure> {
    let mut tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| NetFailure::Connect(format!("{addr}: {e}")))?;
    tcp.write_all(&client_hello(host, version))
        .await
        .map_err(|e| NetFailure::Connect(format!("{addr}: {e}")))?;
    // Record header (5) + handshake header (4) + server_version (2), or a 2-byte alert.
    let mut buf = [0u8; 11];
    let mut got = 0;
    while got < buf.len() {
        match tcp.read(&mut buf[got..]).await {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if got == 0 => {
                return Ok(LegacyAnswer::Refused(format!("connection reset ({e})")));
            }
            Err(_) => break,
        }
        if got >= 7 && buf[0] == 0x15 {
            break;
        }
    }
    parse_answer(&buf[..got])
}

/// Read the server's first record: a ServerHello's version or an alert.
pub fn parse_answer(bytes: &[u8]) -> Result<LegacyAnswer, NetFailure> {
    let garbage = |what: &str| NetFailure::Protocol(format!("not a TLS answer: {what}"));
    match bytes {
        [] => Ok(LegacyAnswer::Refused(
            "connection closed without an answer".into(),
        )),
        [0x15, 0x03, _, _, _, _level, desc, ..] => Ok(LegacyAnswer::Refused(alert_name(*desc))),
        [0x16, 0x03, _, _, _, 0x02, _, _, _, major, minor] => {
            Ok(LegacyAnswer::Accepted(u16::from_be_bytes([*major, *minor])))
        }
        [0x16, 0x03, ..] => Err(garbage("a handshake record that is not a ServerHello")),
        _ => Err(garbage(&format!("{} unexpected bytes", bytes.len()))),
    }
}

fn alert_name(code: u8) -> String {
    match code {
        40 => "alert handshake_failure".into(),
        70 => "alert protocol_version".into(),
        71 => "alert insufficient_security".into(),
        80 => "alert internal_error".into(),
        112 => "alert unrecognized_name".into(),
        other => format!("alert {other}"),
    }
}

/// A ClientHello a TLS 1.0/1.1 server would accept: ECDHE and RSA CBC suites, SNI,
/// the usual curves. The record layer says 1.0 whatever is offered, as clients do.
pub fn client_hello(host: &str, version: u16) -> Vec<u8> {
    const SUITES: [u16; 8] = [
        0xc013, 0xc014, 0xc009, 0xc00a, 0x002f, 0x0035, 0x000a, 0x00ff,
    ];
    let name = host.as_bytes();
    let mut ext = Vec::new();
    // server_name: list(len) of one host_name entry.
    push_u16(&mut ext, 0x0000);
    push_u16(&mut ext, name.len() as u16 + 5);
    push_u16(&mut ext, name.len() as u16 + 3);
    ext.push(0);
    push_u16(&mut ext, name.len() as u16);
    ext.extend_from_slice(name);
    // supported_groups: x25519, secp256r1, secp384r1; ec_point_formats: uncompressed.
    ext.extend_from_slice(&[
        0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18,
    ]);
    ext.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);
    let mut body = Vec::new();
    push_u16(&mut body, version);
    let random: [u8; 32] = rand::random();
    body.extend_from_slice(&random);
    body.push(0); // no session id
    push_u16(&mut body, (SUITES.len() * 2) as u16);
    SUITES.iter().for_each(|s| push_u16(&mut body, *s));
    body.extend_from_slice(&[1, 0]); // compression: null only
    push_u16(&mut body, ext.len() as u16);
    body.extend_from_slice(&ext);
    let mut hs = vec![0x01];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01];
    push_u16(&mut record, hs.len() as u16);
    record.extend_from_slice(&hs);
    record
}

fn push_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_a_well_formed_record() {
        let hello = client_hello("www.acme.app", TLS1_1);
        assert_eq!(&hello[..3], &[0x16, 0x03, 0x01]);
        let len = u16::from_be_bytes([hello[3], hello[4]]) as usize;
        assert_eq!(hello.len(), 5 + len);
        assert_eq!(&hello[9..11], &[0x03, 0x02]);
        assert!(hello.windows(12).any(|w| w == b"www.acme.app"));
    }

    #[test]
    fn answers_are_read_without_panicking_on_garbage() {
        let hello = [
            0x16, 0x03, 0x01, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26, 0x03, 0x01,
        ];
        assert_eq!(parse_answer(&hello), Ok(LegacyAnswer::Accepted(TLS1_0)));
        let alert = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 70];
        assert_eq!(
            parse_answer(&alert),
            Ok(LegacyAnswer::Refused("alert protocol_version".into()))
        );
        assert!(matches!(parse_answer(&[]), Ok(LegacyAnswer::Refused(_))));
        for junk in [
            &b"HTTP/1.1 400"[..],
            &[0x16, 0x03],
            &[0x16, 0x03, 1, 0, 4, 0x0b, 0, 0, 0, 0, 0],
        ] {
            assert!(parse_answer(junk).is_err(), "{junk:?}");
        }
    }
}
