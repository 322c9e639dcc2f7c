//! `dns.caa`: CAA records say which CAs may issue certificates for the zone. Absent,
//! any CA may (policy decides whether that is a finding); present, they must allow
//! the CA that issued the certificate being served — or the next renewal fails.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::{Context, apex_of};
use crate::email::caa::{CaaRecord, CaaVerdict, ca_domains_for_issuer, caa_authorizes};
use crate::evidence::dns::{Caa, CaaRecords, DnsFailure};
use crate::evidence::tls::{Handshake, NetFailure, TlsInfo};
use crate::manifest::CaaPolicy;
use crate::meta;
use crate::report::Outcome;

pub struct CaaCheck;

impl Check for CaaCheck {
    const META: &'static Meta = meta! {
        id: "dns.caa",
        title: "CAA records exist and allow the CA in use",
        severity: Fail,
        needs: "manifest `web` (and `dns.caa`); DNS and TLS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let policy = cx.manifest.dns.as_ref().map(|d| d.caa).unwrap_or_default();
        if policy == CaaPolicy::Off {
            return Plan::skip("dns", "dns.caa is `off` in the manifest");
        }
        let mut apexes: Vec<String> = cx.web_hosts().iter().map(|h| apex_of(h)).collect();
        apexes.dedup();
        if apexes.is_empty() {
            return Plan::skip("web", "no `web` section or webhooks in the manifest");
        }
        Plan::Targets(apexes)
    }

    async fn run(&self, cx: &Context, apex: &str) -> Checked {
        let policy = cx.manifest.dns.as_ref().map(|d| d.caa).unwrap_or_default();
        let hosts: Vec<String> = cx
            .web_hosts()
            .into_iter()
            .filter(|h| apex_of(h) == apex)
            .collect();
        let mut per_host = Vec::new();
        let mut any_caa = false;
        for host in &hosts {
            let (owner, records) = relevant_caa(cx, host, apex).await?;
            any_caa |= !records.is_empty();
            per_host.push(host_verdict(cx, host, owner, &records).await?);
        }
        let forbidden: Vec<&Value> = per_host.iter().filter(|v| v["permits"] == false).collect();
        let details = json!({ "policy": format!("{policy:?}").to_lowercase(), "hosts": per_host });
        if let Some(first) = forbidden.first() {
            return Ok(Outcome::fail(format!(
                "CAA at {} does not allow {}, which issued the certificate served on {}: the next renewal will fail",
                first["caa_owner"].as_str().unwrap_or(apex),
                first["issuer"].as_str().unwrap_or("the current CA"),
                first["host"].as_str().unwrap_or(apex)
            ))
            .details(details)
            .remediation("Add an `issue` property for your CA (e.g. `0 issue \"letsencrypt.org\"`), or move issuance to a CA the records allow, before the certificate renews."));
        }
        let restricted = |v: &&Value| {
            v["permits"].is_null() && v["records"].as_array().is_some_and(|r| !r.is_empty())
        };
        // An issuer the CCADB table does not know: the records may well allow it, but
        // nobody can tell which domain it answers to. A warn, never an error: an error
        // would fail every gate of a site using a less common CA.
        let unknown: Vec<&Value> = per_host
            .iter()
            .filter(restricted)
            .filter(|v| v["unknown_issuer"] == true)
            .collect();
        // CAA restricts issuance here, but whose certificate is served could not be
        // read: no verdict is not a pass.
        let unjudged: Vec<&Value> = per_host
            .iter()
            .filter(restricted)
            .filter(|v| v["unknown_issuer"] != true)
            .collect();
        if let Some(first) = unjudged.first() {
            return Err(Outcome::error(format!(
                "CAA at {} restricts issuance, but the CA serving {} could not be checked: {}",
                first["caa_owner"].as_str().unwrap_or(apex),
                first["host"].as_str().unwrap_or(apex),
                first["note"].as_str().unwrap_or("unknown")
            ))
            .details(details)
            .remediation("Make the host reachable over HTTPS (or check its certificate's issuer by hand against the CAA records), then run again."));
        }
        if let Some(first) = unknown.first() {
            return Ok(Outcome::warn(format!(
                "CAA at {} restricts issuance; cannot tell which CAA domain {} (the issuer of {}) uses",
                first["caa_owner"].as_str().unwrap_or(apex),
                first["issuer"].as_str().unwrap_or("the issuer"),
                first["host"].as_str().unwrap_or(apex)
            ))
            .details(details)
            .remediation("Check your CA's documentation for its CAA identifier and make sure an `issue` record names it."));
        }
        if !any_caa {
            let outcome = match policy {
                CaaPolicy::Required => Outcome::fail(format!(
                    "no CAA records at {apex}: any CA may issue certificates for it"
                )),
                _ => Outcome::warn(format!(
                    "no CAA records at {apex}: any CA may issue certificates for it"
                )),
            };
            return Err(outcome.details(details).remediation(
                "Publish CAA records naming the CA(s) you use, e.g. `acme.app. CAA 0 issue \"letsencrypt.org\"` and `CAA 0 iodef \"mailto:security@acme.app\"`.",
            ));
        }
        Ok(Outcome::pass(format!("CAA at {apex} allows the CA in use")).details(details))
    }
}

/// RFC 8659 §3: the relevant record set is the first one found climbing from the
/// host toward the apex.
async fn relevant_caa(cx: &Context, host: &str, apex: &str) -> Result<(String, Vec<Caa>), Outcome> {
    let mut name = host.to_owned();
    loop {
        match &*cx.get(CaaRecords(name.clone())).await? {
            Ok(records) if !records.is_empty() => return Ok((name, records.clone())),
            Ok(_) | Err(DnsFailure::NoData | DnsFailure::NxDomain) => {}
            Err(e) => {
                return Err(Outcome::error(format!("CAA lookup for {host}: {e}"))
                    .details(json!({ "rcode": e.code() })));
            }
        }
        if name == apex {
            return Ok((name, Vec::new()));
        }
        match name.split_once('.') {
            Some((_, parent)) => name = parent.to_owned(),
            None => return Ok((name, Vec::new())),
        }
    }
}

/// Does the CAA set allow the CA that issued the certificate this host serves? When
/// the certificate cannot be read or its CA is unknown, there is no verdict (the
/// `tls.*` checks report unreachable hosts).
async fn host_verdict(
    cx: &Context,
    host: &str,
    owner: String,
    records: &[Caa],
) -> Result<Value, Outcome> {
    let caa: Vec<CaaRecord> = records
        .iter()
        .map(|r| CaaRecord::new(r.flags, &r.tag, &r.value))
        .collect();
    let shown: Vec<String> = records
        .iter()
        .map(|r| format!("{} {} \"{}\"", r.flags, r.tag, r.value))
        .collect();
    Ok(judge_host(
        host,
        owner,
        &caa,
        shown,
        &*cx.get(Handshake(host.to_owned())).await?,
    ))
}

/// The verdict for one host: does the CAA record set allow the CA of the served
/// certificate (or why that cannot be told)?
fn judge_host(
    host: &str,
    owner: String,
    caa: &[CaaRecord],
    shown: Vec<String>,
    handshake: &Result<std::sync::Arc<TlsInfo>, NetFailure>,
) -> Value {
    let (issuer, issuer_name) = match handshake {
        Ok(info) => (info.leaf_issuer(), info.leaf_issuer_name()),
        Err(e) => {
            return json!({ "host": host, "caa_owner": owner, "records": shown, "permits": Value::Null, "note": format!("certificate not read: {e}") });
        }
    };
    let Some(issuer) = issuer else {
        return json!({ "host": host, "caa_owner": owner, "records": shown, "permits": Value::Null, "note": "certificate issuer unreadable" });
    };
    let domains = ca_domains_for_issuer(&issuer);
    if domains.is_empty() {
        return json!({ "host": host, "caa_owner": owner, "records": shown, "issuer": issuer, "permits": Value::Null, "unknown_issuer": true,
            "note": "cannot tell which CAA domain this issuer uses (not in the CCADB table of public CAs)" });
    }
    let verdict: CaaVerdict = caa_authorizes(caa, domains, false);
    json!({
        "host": host, "caa_owner": owner, "records": shown, "issuer": issuer_name.unwrap_or(issuer),
        "issuer_caa_domains": domains, "verdict": verdict, "permits": verdict.permits(),
    })
}
