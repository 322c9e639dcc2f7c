//! `tls.expiry`: days left on the served certificate, against `tls.warn_days` and
//! `tls.fail_days` (21 and 7 without a `tls` section).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::tls::handshake;
use crate::manifest::TlsSection;
use crate::meta;
use crate::report::{Outcome, Status};

pub struct Expiry;

const DAY: i64 = 86_400;

impl Check for Expiry {
    const META: &'static Meta = meta! {
        id: "tls.expiry",
        title: "Certificates are not about to expire",
        severity: Fail,
        needs: "manifest `web` or `webhooks` (thresholds from `tls`); TLS",
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
        let limits = cx.manifest.tls.clone().unwrap_or_default();
        let not_after = leaf.validity().not_after.timestamp();
        let seconds_left = not_after - cx.now.unix_timestamp();
        let (outcome, days) = verdict(seconds_left, &limits, &super::date(not_after));
        let outcome = outcome.details(json!({
            "not_after": super::date(not_after),
            "days_left": days,
            "warn_days": limits.warn_days,
            "fail_days": limits.fail_days,
            "issuer": info.leaf_issuer_name(),
        }));
        if outcome.status == Status::Pass {
            return Err(outcome);
        }
        Ok(outcome.remediation("Renew the certificate, and make renewal automatic (ACME) with an alert when it fails: certificates now live 90 days or less."))
    }
}

/// The outcome for `seconds_left` (negative: expired), with the days left, rounded to
/// the nearest day so that a certificate issued "for 10 days" reads as 10.
pub fn verdict(seconds_left: i64, limits: &TlsSection, date: &str) -> (Outcome, i64) {
    let days = (seconds_left + DAY / 2).div_euclid(DAY);
    if seconds_left <= 0 {
        let ago = (-seconds_left).div_euclid(DAY);
        return (
            Outcome::fail(format!("certificate expired {ago} days ago ({date})")),
            days,
        );
    }
    let summary = format!("certificate expires in {days} days ({date})");
    // Thresholds compare exact time left; the rounded days are only for reading.
    let outcome = if seconds_left < i64::from(limits.fail_days) * DAY {
        Outcome::fail(summary)
    } else if seconds_left < i64::from(limits.warn_days) * DAY {
        Outcome::warn(summary)
    } else {
        Outcome::pass(summary)
    };
    (outcome, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(seconds: i64) -> Status {
        verdict(seconds, &TlsSection::default(), "d").0.status
    }

    #[test]
    fn thresholds_are_21_and_7_by_default_and_compare_exact_time_left() {
        assert_eq!(status(60 * DAY), Status::Pass);
        assert_eq!(status(21 * DAY), Status::Pass);
        assert_eq!(
            status(21 * DAY - 30),
            Status::Warn,
            "below 21 days, even by seconds"
        );
        assert_eq!(status(7 * DAY), Status::Warn);
        assert_eq!(
            status(7 * DAY - 30),
            Status::Fail,
            "6 days 23:59:30 is below 7 days"
        );
        assert_eq!(status(-3 * DAY), Status::Fail);
        assert_eq!(
            verdict(12 * DAY, &TlsSection::default(), "2026-12-09")
                .0
                .summary,
            "certificate expires in 12 days (2026-12-09)"
        );
    }
}
