//! `tls.key`: the served key is strong enough (RSA ≥ 2048 bits, EC ≥ 256 bits) and
//! no certificate on the path is signed with SHA-1 (or MD5).

use serde_json::json;
use x509_parser::prelude::X509Certificate;
use x509_parser::public_key::PublicKey;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::tls::handshake;
use crate::meta;
use crate::report::Outcome;

pub struct Key;

/// Signature algorithms no longer safe: SHA-1 and MD5 based.
const WEAK_SIGNATURES: [(&str, &str); 6] = [
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.3.14.3.2.29", "sha1WithRSAEncryption"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10040.4.3", "dsa-with-SHA1"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
];

impl Check for Key {
    const META: &'static Meta = meta! {
        id: "tls.key",
        title: "Certificate keys and signatures are strong",
        severity: Fail,
        needs: "manifest `web` or `webhooks`; TLS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::host_plan(cx)
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let info = handshake(cx, host).await?;
        let Some(chain) = info
            .chain
            .iter()
            .map(|c| super::parse(c.as_ref()))
            .collect::<Option<Vec<_>>>()
        else {
            return Err(Outcome::error(
                "a certificate of the served chain could not be parsed",
            ));
        };
        let Some(leaf) = chain.first() else {
            return Err(Outcome::error("the server sent no certificate"));
        };
        let (kind, bits) = key_strength(leaf);
        let mut weak = Vec::new();
        if let Some(problem) = weak_key(kind, bits) {
            weak.push(problem);
        }
        weak.extend(weak_signatures(&chain));
        let details = json!({
            "key": kind, "bits": bits,
            "signature": leaf.signature_algorithm.algorithm.to_id_string(),
            "weaknesses": weak,
        });
        if weak.is_empty() {
            return Err(
                Outcome::pass(format!("{kind} {bits}-bit key, signed without SHA-1"))
                    .details(details),
            );
        }
        Ok(Outcome::fail(format!("{host}: {}", weak.join("; ")))
            .details(details)
            .remediation("Reissue the certificate with an ECDSA P-256 (or RSA 2048+) key; any public CA signs with SHA-256 or better today."))
    }
}

/// The leaf's key type and size in bits.
pub fn key_strength(cert: &X509Certificate<'_>) -> (&'static str, usize) {
    match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA", rsa_bits(rsa.modulus)),
        Ok(PublicKey::EC(ec)) => ("EC", ec.key_size()),
        Ok(PublicKey::DSA(_)) => ("DSA", 0),
        Ok(other) => ("other", other.key_size()),
        Err(_) => ("unknown", 0),
    }
}

pub fn weak_key(kind: &str, bits: usize) -> Option<String> {
    match kind {
        "RSA" if bits < 2048 => Some(format!("RSA key of {bits} bits (minimum 2048)")),
        "EC" if bits < 256 => Some(format!("EC key of {bits} bits (minimum 256)")),
        "DSA" => Some("DSA key (not accepted by browsers)".into()),
        _ => None,
    }
}

/// SHA-1/MD5 signatures on the sent path; a root's signature on itself is not checked
/// by anyone and does not count.
pub fn weak_signatures(chain: &[X509Certificate<'_>]) -> Vec<String> {
    chain
        .iter()
        .enumerate()
        .filter(|(i, c)| *i == 0 || c.subject().as_raw() != c.issuer().as_raw())
        .filter_map(|(i, c)| {
            let oid = c.signature_algorithm.algorithm.to_id_string();
            let (_, name) = WEAK_SIGNATURES.iter().find(|(o, _)| *o == oid)?;
            let which = if i == 0 { "leaf" } else { "intermediate" };
            Some(format!("{which} `{}` signed with {name}", c.subject()))
        })
        .collect()
}

/// Bits of an RSA modulus (big-endian, possibly with leading zero bytes).
pub fn rsa_bits(modulus: &[u8]) -> usize {
    let trimmed: &[u8] = match modulus.iter().position(|b| *b != 0) {
        Some(i) => &modulus[i..],
        None => return 0,
    };
    trimmed.len() * 8 - trimmed[0].leading_zeros() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_sizes_are_judged() {
        assert_eq!(rsa_bits(&[0x00, 0x80, 0, 0]), 24);
        assert_eq!(rsa_bits(&[0x01; 128]), 1017);
        assert_eq!(rsa_bits(&[]), 0);
        assert!(weak_key("RSA", 1024).is_some());
        assert!(weak_key("RSA", 2048).is_none());
        assert!(weak_key("EC", 192).is_some());
        assert!(weak_key("EC", 256).is_none());
    }
}
