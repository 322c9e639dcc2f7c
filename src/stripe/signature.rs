//! Stripe's webhook signing scheme (`Stripe-Signature: t=…,v1=…`), implemented once
//! for the probe that signs events and for any verifier (the sandbox apps).
//!
//! Semantics follow the official SDKs (stripe-node `parseHeader` /
//! `validateComputedSignature`, stripe-python `WebhookSignature.verify_header`):
//! the HMAC key is the whole secret string including `whsec_`; the header is split
//! on `,` and each item on `=`; every `v1` entry is a candidate and any match passes
//! (Stripe sends two while a secret is being rolled); the signature is checked
//! before the timestamp; only events *older* than the tolerance are rejected, and a
//! tolerance of 0 or less disables the age check.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The SDKs' default tolerance, in seconds.
pub const DEFAULT_TOLERANCE_S: i64 = 300;

const EXPECTED_SCHEME: &str = "v1";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header value was provided")]
    MissingHeader,
    #[error("unable to extract timestamp and signatures from header")]
    MissingTimestamp,
    #[error("no signatures found with expected scheme v1")]
    NoExpectedScheme,
    #[error("no signatures found matching the expected signature for payload")]
    NoMatch,
    #[error("timestamp outside the tolerance zone ({timestamp}, {age_s} s old)")]
    TimestampOutsideTolerance { timestamp: i64, age_s: i64 },
}

fn mac_for(secret: &str, timestamp: i64, payload: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this constructor cannot fail; the
    // fallback keeps the function total without a panic path.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// Lower-case hex HMAC-SHA256 of `"{timestamp}.{payload}"` keyed with `secret`.
pub fn sign(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    hex::encode(mac_for(secret, timestamp, payload).finalize().into_bytes())
}

/// A complete `Stripe-Signature` header value: `t=<timestamp>,v1=<hex>`.
pub fn header(secret: &str, timestamp: i64, payload: &[u8]) -> String {
    format!(
        "t={timestamp},{EXPECTED_SCHEME}={}",
        sign(secret, timestamp, payload)
    )
}

struct Parsed<'a> {
    timestamp: Option<i64>,
    signatures: Vec<&'a str>,
}

fn parse(header: &str) -> Parsed<'_> {
    let mut parsed = Parsed {
        timestamp: None,
        signatures: Vec::new(),
    };
    for item in header.split(',') {
        let mut kv = item.split('=');
        let (key, value) = (kv.next().unwrap_or(""), kv.next().unwrap_or(""));
        if key == "t" {
            // As in stripe-node, a later `t` wins; a non-numeric one is "no timestamp".
            parsed.timestamp = value.trim().parse().ok();
        } else if key == EXPECTED_SCHEME {
            parsed.signatures.push(value);
        }
    }
    parsed
}

/// Verifies a `Stripe-Signature` header for `payload` at time `now` (Unix seconds).
pub fn verify(
    header: &str,
    payload: &[u8],
    secret: &str,
    now: i64,
    tolerance_s: i64,
) -> Result<(), SignatureError> {
    if header.is_empty() {
        return Err(SignatureError::MissingHeader);
    }
    let parsed = parse(header);
    let timestamp = parsed.timestamp.ok_or(SignatureError::MissingTimestamp)?;
    if parsed.signatures.is_empty() {
        return Err(SignatureError::NoExpectedScheme);
    }
    let expected = mac_for(secret, timestamp, payload);
    // `verify_slice` compares in constant time; undecodable candidates simply fail.
    let matched = parsed.signatures.iter().any(|candidate| {
        hex::decode(candidate).is_ok_and(|bytes| expected.clone().verify_slice(&bytes).is_ok())
    });
    if !matched {
        return Err(SignatureError::NoMatch);
    }
    let age_s = now.saturating_sub(timestamp);
    if tolerance_s > 0 && age_s > tolerance_s {
        return Err(SignatureError::TimestampOutsideTolerance { timestamp, age_s });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "signature_tests.rs"]
mod tests;
