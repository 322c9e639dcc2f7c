//! `tls.certificate`: the served certificate is trusted for the host name. Each
//! problem is named (expired, not yet valid, hostname mismatch, self-signed,
//! incomplete chain, untrusted root): they have different fixes.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::tls::TrustAnchors;
use crate::evidence::tls::handshake;
use crate::meta;
use crate::report::Outcome;

use super::chain::{Problem, problems};

pub struct Certificate;

impl Check for Certificate {
    const META: &'static Meta = meta! {
        id: "tls.certificate",
        title: "Certificates are trusted for their host",
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
        let Some(leaf) = super::leaf(&info) else {
            return Err(super::unparsable());
        };
        let mut details = super::cert_fields(&leaf);
        details["chain_length"] = json!(info.chain.len());
        let issuer = info.leaf_issuer_name().unwrap_or_default();
        let verdict = match &info.verification {
            // A trusted chain whose key cannot sign the handshake acceptably (RSA
            // under 2048 bits, a broken server) fails in every browser all the same.
            Ok(()) if info.handshake_signature.is_err() => {
                let why = info.handshake_signature.clone().err().unwrap_or_default();
                details["handshake_signature"] = json!(why);
                return Ok(Outcome::fail(format!(
                    "certificate for {host} is trusted, but its key's handshake signature is refused: {why} (see tls.key)"
                ))
                .details(details)
                .remediation("Reissue the certificate with a 2048-bit (or larger) RSA key or a P-256 ECDSA key, and make sure the server uses the key that belongs to it."));
            }
            Ok(()) => {
                return Ok(Outcome::pass(format!(
                    "trusted certificate for {host}, issued by {issuer}, valid until {}",
                    details["not_after"].as_str().unwrap_or("?")
                ))
                .details(details));
            }
            Err(e) => e.clone(),
        };
        details["verifier"] = json!(verdict);
        let anchors = cx.get(TrustAnchors).await?;
        let now = cx.now.unix_timestamp();
        let found = problems(&info.chain, host, now, &anchors).unwrap_or_default();
        details["problems"] = json!(found.iter().map(Problem::code).collect::<Vec<_>>());
        let summary = if found.is_empty() {
            format!("certificate for {host} is not trusted: {verdict}")
        } else {
            let named: Vec<String> = found.iter().map(|p| p.describe(host)).collect();
            format!("certificate for {host}: {}", named.join("; "))
        };
        Ok(Outcome::fail(summary)
            .details(details)
            .remediation(remediation(found.first())))
    }
}

fn remediation(first: Option<&Problem>) -> &'static str {
    match first {
        Some(Problem::Expired { .. }) => {
            "Renew the certificate now and check why automatic renewal (ACME/cert-manager/your host) did not run."
        }
        Some(Problem::NotYetValid { .. }) => {
            "The certificate starts in the future: check the server's clock and the issuance date, or serve the previous certificate until it is valid."
        }
        Some(Problem::HostnameMismatch { .. }) => {
            "Issue a certificate whose subjectAltName includes this host (or a wildcard for its parent), and make sure the server picks it by SNI."
        }
        Some(Problem::SelfSigned) => {
            "Replace the self-signed certificate with one from a public CA (e.g. Let's Encrypt)."
        }
        Some(Problem::IncompleteChain { .. }) => {
            "Serve the full chain (leaf + intermediates, e.g. fullchain.pem), not the leaf alone: browsers may cope, API clients and webhooks senders do not."
        }
        Some(Problem::UntrustedRoot { .. }) => {
            "The chain ends at a root public clients do not trust: use a certificate from a public CA."
        }
        None => "Serve a certificate from a public CA, valid for this host, with its full chain.",
    }
}
