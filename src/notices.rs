//! Shared causes: when one thing broke many results (every DNS query went
//! unanswered, the domain does not exist), the report says so once, first, instead
//! of leaving a reader to find the cause in separate errors. Grouping is
//! presentation only: each affected check keeps its own result and status.

use hickory_resolver::proto::rr::RecordType;

use crate::context::Context;
use crate::net::dns::DnsFailure;
use crate::report::{CheckResult, Notice};

pub const DNS_UNAVAILABLE: &str = "dns-unavailable";
pub const NO_SUCH_DOMAIN: &str = "domain-does-not-exist";
pub const PLACEHOLDERS: &str = "manifest-placeholders";

/// SPEC §7: a manifest still holding placeholders is said once, at the top, naming
/// the fields; every check that reads one is `error` on its own line.
pub fn placeholders(cx: &Context) -> Option<Notice> {
    let found = crate::manifest::placeholders::scan(&cx.manifest);
    if found.is_empty() {
        return None;
    }
    let fields: Vec<String> = found.into_iter().map(|p| p.field).collect();
    Some(Notice {
        code: PLACEHOLDERS.to_owned(),
        message: format!(
            "the manifest still holds placeholder values (TODO / example.com) in {}: the checks that read them were not run; replace them with your real values",
            fields.join(", ")
        ),
    })
}

/// The notices an audit earned, from what the network layer saw. Results about a
/// domain that does not exist say so in their summary ("no DMARC record" would send
/// a reader to the wrong fix).
pub async fn collect(cx: &Context, results: &mut [CheckResult]) -> Vec<Notice> {
    let Some(net) = &cx.net else {
        return Vec::new();
    };
    let health = net.dns.health();
    if health.queries > 0 && health.answered == 0 {
        return vec![Notice {
            code: DNS_UNAVAILABLE.to_owned(),
            message: format!(
                "no DNS answers: all {} lookups failed ({}); check --nameserver or the network",
                health.queries, health.first_failure
            ),
        }];
    }
    let mut notices = Vec::new();
    for domain in domains_judged(cx, results) {
        // The SPF check asked this already: the memo answers without a new query.
        let answer = net.dns.lookup(&domain, RecordType::TXT).await;
        if !matches!(answer, Err(DnsFailure::NxDomain)) {
            continue;
        }
        notices.push(Notice {
            code: NO_SUCH_DOMAIN.to_owned(),
            message: format!(
                "{domain} does not exist (NXDOMAIN): register it or fix the manifest's domain; its email and CAA results describe a missing domain"
            ),
        });
        for r in results
            .iter_mut()
            .filter(|r| about_domain(r) && r.target == domain)
        {
            r.summary = format!(
                "the domain {domain} does not exist (NXDOMAIN): {}",
                r.summary
            );
        }
    }
    notices
}

/// Checks whose target is a domain whose own records they judge.
fn about_domain(r: &CheckResult) -> bool {
    (r.check.starts_with("email.") || r.check == "dns.caa")
        && !matches!(
            r.status,
            crate::report::Status::Pass | crate::report::Status::Skip
        )
}

fn domains_judged(cx: &Context, results: &[CheckResult]) -> Vec<String> {
    // The manifest's own domains only: a DKIM selector name that does not exist is
    // that check's finding, not a missing domain.
    let mut domains = cx.apexes();
    if let Some(email) = &cx.manifest.email {
        domains.push(email.domain.0.clone());
    }
    // A placeholder domain was never looked up, and never will be.
    domains.retain(|d| {
        !crate::manifest::placeholders::is_placeholder(d)
            && results.iter().any(|r| about_domain(r) && &r.target == d)
    });
    domains.sort();
    domains.dedup();
    domains
}
