//! Odd TLS servers the main sandbox server (rustls, modern only) cannot be: a front
//! that still "accepts" TLS 1.0, and a server for certificate chains rcgen will not
//! issue (a SHA-1 label, a sent but untrusted root). Each runs on plain threads on
//! 127.0.0.1 and lives until the process ends: they are test fixtures, started by the
//! tests that need them and pointed at with `--connect-to`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A "legacy TLS" front. It is not a TLS server: it reads the first record of each
/// connection and, when the ClientHello's version is below TLS 1.2, answers with a
/// bare ServerHello record choosing `version` (what a server accepting TLS 1.0/1.1
/// sends first) and hangs up — enough for a client to see the version accepted, never
/// a usable session. Modern ClientHellos are relayed byte for byte to `upstream` (the
/// sandbox web server), so the same host also completes real TLS 1.2/1.3 handshakes.
/// Without `upstream`, modern hellos get a `protocol_version` alert (a legacy-only box).
pub fn legacy_front(upstream: Option<SocketAddr>, version: u16) -> std::io::Result<SocketAddr> {
    serve(move |mut client| {
        let mut first = [0u8; 11];
        if client.read_exact(&mut first).is_err() || first[0] != 0x16 {
            return;
        }
        let offered = u16::from_be_bytes([first[9], first[10]]);
        match upstream {
            Some(up) if offered >= 0x0303 => relay(client, up, &first),
            None if offered >= 0x0303 => {
                let _ = client.write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70]);
            }
            _ => {
                let [major, minor] = version.to_be_bytes();
                let mut hello = vec![0x16, 0x03, 0x01, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26];
                hello.extend_from_slice(&[major, minor]);
                hello.extend_from_slice(&[0x5a; 32]); // server random
                hello.extend_from_slice(&[0x00, 0xc0, 0x13, 0x00]); // no session id, ECDHE-RSA-AES128-SHA, null compression
                let _ = client.write_all(&hello);
            }
        }
    })
}

fn relay(client: TcpStream, upstream: SocketAddr, prefix: &[u8]) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    if server.write_all(prefix).is_err() {
        return;
    }
    let (Ok(mut client_r), Ok(mut server_w)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || std::io::copy(&mut client_r, &mut server_w));
    let mut client_w = client;
    let _ = std::io::copy(&mut server, &mut client_w);
    let _ = client_w.shutdown(std::net::Shutdown::Both);
    let _ = up.join();
}

/// A TLS server (TLS 1.2/1.3, any SNI) that presents `chain` with `key`, completes the
/// handshake and closes.
pub fn chain_server(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<SocketAddr, String> {
    let config = rustls::ServerConfig::builder_with_provider(crate::net::tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    let config = Arc::new(config);
    serve(move |mut tcp| {
        let Ok(mut conn) = rustls::ServerConnection::new(config.clone()) else {
            return;
        };
        while conn.is_handshaking() {
            if conn.complete_io(&mut tcp).is_err() {
                return;
            }
        }
        conn.send_close_notify();
        let _ = conn.complete_io(&mut tcp);
    })
    .map_err(|e| e.to_string())
}

fn serve(on_conn: impl Fn(TcpStream) + Send + Sync + 'static) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let on_conn = Arc::new(on_conn);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let on_conn = on_conn.clone();
            std::thread::spawn(move || on_conn(stream));
        }
    });
    Ok(addr)
}

/// A leaf for `host` signed by a fresh private CA, and that CA: serve `[leaf, ca]` for
/// an untrusted root, `[leaf]` for an incomplete chain.
pub fn private_ca_chain(
    host: &str,
) -> Result<
    (
        CertificateDer<'static>,
        CertificateDer<'static>,
        PrivateKeyDer<'static>,
    ),
    rcgen::Error,
> {
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name
        .push(DnType::CommonName, "Private Root (not trusted)");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(vec![host.to_owned()])?;
    leaf.distinguished_name.push(DnType::CommonName, host);
    let now = time::OffsetDateTime::now_utc();
    leaf.not_before = now - time::Duration::days(30);
    leaf.not_after = now + time::Duration::days(60);
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    Ok((leaf_cert.der().clone(), ca_cert.der().clone(), key))
}

/// ecdsa-with-SHA1 (1.2.840.10045.4.1), as a DER AlgorithmIdentifier.
const ECDSA_SHA1: [u8; 11] = [
    0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01,
];

/// The same certificate, relabelled as signed with ecdsa-with-SHA1 (inside and outside
/// the TBS). rcgen cannot sign with SHA-1; the signature no longer verifies, which is
/// fine: `tls.key` judges the algorithm named, as clients do before verifying.
pub fn relabel_sha1(cert: &[u8]) -> Option<Vec<u8>> {
    let (outer, _) = tlv(cert)?;
    let (tbs, after_tbs) = tlv(outer)?;
    let (_, after_alg) = tlv(after_tbs)?;
    let mut fields = Vec::new();
    let mut rest = tbs;
    while !rest.is_empty() {
        let (_, next) = tlv(rest)?;
        fields.push(&rest[..rest.len() - next.len()]);
        rest = next;
    }
    // TBS: [0] version, serial, signature algorithm, …
    let alg_index = if fields.first()?.first() == Some(&0xa0) {
        2
    } else {
        1
    };
    let mut new_tbs = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        new_tbs.extend_from_slice(if i == alg_index { &ECDSA_SHA1 } else { f });
    }
    let mut body = wrap(0x30, &new_tbs);
    body.extend_from_slice(&ECDSA_SHA1);
    body.extend_from_slice(after_alg);
    Some(wrap(0x30, &body))
}

/// Split one DER TLV: (its contents, what follows it).
fn tlv(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = *bytes.get(1)? as usize;
    let (len, start) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        let len = bytes
            .get(2..2 + n)?
            .iter()
            .fold(0usize, |acc, b| acc << 8 | *b as usize);
        (len, 2 + n)
    };
    let end = start.checked_add(len)?;
    Some((bytes.get(start..end)?, bytes.get(end..)?))
}

fn wrap(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.push(0x82);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    }
    out.extend_from_slice(contents);
    out
}
