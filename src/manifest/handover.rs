//! The manual side of a handover: what every launch needs that only a person can attest.
//! The handover checklist lists each one the manifest's `handover` items do not cover;
//! `launch-ready init` drafts them as open items.

use super::HandoverArea;

/// A manual item: its area, its wording, and words by which a manifest item covers it.
pub struct ManualItem {
    pub area: HandoverArea,
    pub text: &'static str,
    pub covered_by: &'static [&'static str],
}

pub const MANUAL_ITEMS: &[ManualItem] = &[
    ManualItem {
        area: HandoverArea::Domain,
        text: "Registrar lock (transfer lock) and auto-renew on the domain",
        covered_by: &["registrar lock", "transfer lock", "domain lock"],
    },
    ManualItem {
        area: HandoverArea::Cloudflare,
        text: "Cloudflare account access handed over (members, 2FA)",
        covered_by: &[
            "cloudflare account",
            "cloudflare access",
            "cloudflare member",
        ],
    },
    ManualItem {
        area: HandoverArea::Secrets,
        text: "API keys least-privilege (restricted, read-only where possible)",
        covered_by: &["least-privilege", "least privilege", "restricted key"],
    },
    ManualItem {
        area: HandoverArea::Secrets,
        text: "Secret rotation ready: each secret can be rotated, and who does it is known",
        covered_by: &["rotation", "rotate"],
    },
    ManualItem {
        area: HandoverArea::Secrets,
        text: "Access to Stripe, CRM and support tools handed over",
        covered_by: &[
            "access to stripe",
            "stripe access",
            "crm access",
            "support tool",
        ],
    },
    ManualItem {
        area: HandoverArea::Monitoring,
        text: "Uptime monitors on the site, health and webhooks; alerts reach the new owner",
        covered_by: &["uptime", "monitor"],
    },
    ManualItem {
        area: HandoverArea::Rollback,
        text: "Rollback plan: the previous deploy can be restored, and who decides",
        covered_by: &["rollback", "roll back"],
    },
];

impl ManualItem {
    /// Whether a manifest item's wording covers this one.
    pub fn covered_by(&self, item: &str) -> bool {
        let item = item.to_lowercase();
        self.covered_by.iter().any(|w| item.contains(w))
    }
}
