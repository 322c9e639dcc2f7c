//! The handover checklist, grouped by area: what the audit verified (ticked from the
//! results, dated by the audit), the manifest's `handover` items (owner, status, date),
//! and the manual items every handover needs that the manifest does not yet attest.
//! Items document the handover only; they never change the verdict.

use crate::manifest::{HandoverArea, HandoverItem};
use crate::report::{CheckResult, Report, Status};

/// Where an item stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Verified by this audit, or marked done in the manifest.
    Done,
    /// Findings or errors in the results behind it.
    Open(String),
    /// A manifest item not done yet.
    Pending,
    /// A manual item the manifest does not list: someone must attest it.
    ToAttest,
    /// The audit could not look (skipped or not selected).
    NotChecked(String),
}

impl State {
    pub fn done(&self) -> bool {
        *self == State::Done
    }

    pub fn label(&self) -> String {
        match self {
            State::Done => "done".into(),
            State::Open(why) => format!("open: {why}"),
            State::Pending => "open".into(),
            State::ToAttest => "to attest (not in the manifest)".into(),
            State::NotChecked(why) => format!("not checked: {why}"),
        }
    }
}

pub struct Item {
    pub text: String,
    /// Owner: `by` of a manifest item, `launch-ready` for verified items.
    pub owner: Option<String>,
    pub state: State,
    pub date: Option<String>,
}

pub struct Section {
    pub area: HandoverArea,
    pub items: Vec<Item>,
}

/// What the audit can verify: (area, item, check ids behind it).
const VERIFIED: &[(HandoverArea, &str, &[&str])] = &[
    (
        HandoverArea::Domain,
        "Every host resolves; no dangling CNAME",
        &["dns.resolves", "dns.dangling-cname"],
    ),
    (
        HandoverArea::Domain,
        "At least two name servers; CAA allows the issuing CA",
        &["dns.ns", "dns.caa"],
    ),
    (
        HandoverArea::Hosting,
        "Valid certificates, not about to expire, modern TLS",
        &["tls.certificate", "tls.expiry", "tls.protocol", "tls.key"],
    ),
    (
        HandoverArea::Hosting,
        "HTTPS everywhere, one canonical origin, redirects honoured",
        &[
            "http.https-redirect",
            "http.canonical",
            "http.redirects",
            "http.hsts",
        ],
    ),
    (
        HandoverArea::Hosting,
        "Security headers, cookies and CORS in force",
        &[
            "http.security-headers",
            "http.csp",
            "http.cookies",
            "http.cors",
            "web.sri",
        ],
    ),
    (
        HandoverArea::Hosting,
        "API, auth and webhook routes never cached; health endpoint up",
        &["http.cache", "http.health"],
    ),
    (
        HandoverArea::Hosting,
        "Production environment complete and pointing at production",
        &["env.required", "env.urls", "vercel.env-targets"],
    ),
    (
        HandoverArea::Hosting,
        "Mobile app links served",
        &["mobile.aasa", "mobile.assetlinks"],
    ),
    (
        HandoverArea::Cloudflare,
        "SSL mode, HTTPS settings, cache rules, webhook access, proxying",
        &[
            "cloudflare.ssl-mode",
            "cloudflare.https",
            "cloudflare.cache-rules",
            "cloudflare.webhook-access",
            "cloudflare.proxied",
        ],
    ),
    (
        HandoverArea::Stripe,
        "Live keys in production, never mixed with test keys",
        &["env.stripe-keys"],
    ),
    (
        HandoverArea::Stripe,
        "Webhook endpoint registered with every required event",
        &[
            "stripe.endpoint",
            "stripe.endpoint-events",
            "stripe.handled-events",
        ],
    ),
    (
        HandoverArea::Stripe,
        "Webhook deliveries succeed; checkout errors below the threshold",
        &[
            "stripe.deliveries",
            "stripe.pending",
            "stripe.checkout-errors",
        ],
    ),
    (
        HandoverArea::Stripe,
        "Webhooks reachable, not redirected, signatures enforced and verified in code",
        &[
            "webhook.reachable",
            "webhook.no-redirect",
            "webhook.signature-enforced",
            "webhook.signed-accepted",
            "webhook.replay-rejected",
            "webhook.latency",
            "code.webhook-verification",
            "code.webhook-idempotency",
            "code.webhook-errors",
        ],
    ),
    (
        HandoverArea::Email,
        "MX, SPF, DKIM and DMARC published and valid",
        &["email.mx", "email.spf", "email.dkim", "email.dmarc"],
    ),
    (
        HandoverArea::Monitoring,
        "Uptime monitors cover the site, health and webhooks",
        &["monitoring.coverage"],
    ),
    (
        HandoverArea::Secrets,
        "No secret in public variables, served JavaScript, client code or logs",
        &[
            "env.public-exposure",
            "web.bundle-secrets",
            "code.client-secrets",
            "code.logging",
        ],
    ),
    (
        HandoverArea::Stripe,
        "CRM in sync with paying customers",
        &["crm.stripe-sync"],
    ),
];

/// A manifest item's area: its own, else guessed from its words.
fn area_of(item: &HandoverItem) -> HandoverArea {
    if let Some(area) = item.area {
        return area;
    }
    let text = item.item.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["cloudflare"]) {
        HandoverArea::Cloudflare
    } else if has(&["stripe", "payment", "billing"]) {
        HandoverArea::Stripe
    } else if has(&["registrar", "domain", "dns"]) {
        HandoverArea::Domain
    } else if has(&["email", "dmarc", "spf", "dkim", "mailbox"]) {
        HandoverArea::Email
    } else if has(&["monitor", "uptime", "alert", "on-call"]) {
        HandoverArea::Monitoring
    } else if has(&["rollback", "roll back", "backup", "restore"]) {
        HandoverArea::Rollback
    } else if has(&[
        "secret", "key", "token", "password", "access", "account", "2fa",
    ]) {
        HandoverArea::Secrets
    } else {
        HandoverArea::Hosting
    }
}

fn verified_state(results: &[&CheckResult]) -> State {
    let bad: Vec<&&CheckResult> = results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error | Status::Warn))
        .collect();
    if !bad.is_empty() {
        let mut ids: Vec<&str> = bad.iter().map(|r| r.check.as_str()).collect();
        ids.dedup();
        let n = bad.len();
        return State::Open(format!(
            "{n} finding{} ({})",
            if n == 1 { "" } else { "s" },
            ids.join(", ")
        ));
    }
    if results.iter().any(|r| r.status == Status::Pass) {
        return State::Done;
    }
    match results.first() {
        Some(r) => State::NotChecked(r.summary.clone()),
        None => State::NotChecked("not part of this audit".into()),
    }
}

pub fn build(report: &Report) -> Vec<Section> {
    let date = super::audit_date(report);
    let mut sections: Vec<Section> = HandoverArea::ALL
        .iter()
        .map(|area| Section {
            area: *area,
            items: Vec::new(),
        })
        .collect();
    let mut push = |area: HandoverArea, item: Item| {
        if let Some(s) = sections.iter_mut().find(|s| s.area == area) {
            s.items.push(item);
        }
    };
    for (area, text, checks) in VERIFIED {
        let results: Vec<&CheckResult> = report
            .results
            .iter()
            .filter(|r| checks.contains(&r.check.as_str()))
            .collect();
        // A check this audit did not run (not selected, or not in this version).
        if results.is_empty() {
            continue;
        }
        let state = verified_state(&results);
        let date = state.done().then(|| date.clone());
        let owner = state.done().then(|| "verified by launch-ready".to_owned());
        push(
            *area,
            Item {
                text: (*text).into(),
                owner,
                state,
                date,
            },
        );
    }
    for item in &report.handover {
        push(
            area_of(item),
            Item {
                text: item.item.clone(),
                owner: item.by.clone(),
                state: if item.done {
                    State::Done
                } else {
                    State::Pending
                },
                date: item.date.map(|d| d.to_string()),
            },
        );
    }
    for manual in crate::manifest::handover::MANUAL_ITEMS {
        if !report.handover.iter().any(|h| manual.covered_by(&h.item)) {
            push(
                manual.area,
                Item {
                    text: manual.text.into(),
                    owner: None,
                    state: State::ToAttest,
                    date: None,
                },
            );
        }
    }
    sections.retain(|s| !s.items.is_empty());
    sections
}
