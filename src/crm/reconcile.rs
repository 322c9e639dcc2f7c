//! Match paying customers against CRM contacts and grade the drift:
//! missing contact → `fail`; several contacts, or a lifecycle stage below
//! `paid_stage` (or one that cannot be ranked) → `warn`; no key to match on →
//! counted as unmatchable, never as missing.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::payers::{Payer, Payers};
use super::privacy::{MAX_EXAMPLES, mask_email, mask_id};
use super::{Contact, MatchKey, normalize_email};
use crate::report::Outcome;

/// HubSpot's default lifecycle stages, in order (SPEC §7).
pub const LIFECYCLE_ORDER: &[&str] = &[
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
];

fn rank(stage: &str) -> Option<usize> {
    let stage = stage.trim().to_ascii_lowercase();
    LIFECYCLE_ORDER.iter().position(|s| *s == stage)
}

/// What a cap left out (SPEC §7 "Caps"): the caps reached, in words, and how many
/// paying customers were read but could not be judged because of them.
#[derive(Debug, Default)]
pub struct Gaps {
    pub caps: Vec<String>,
    pub unjudged: usize,
}

#[derive(Debug, Default)]
pub struct Drift<'a> {
    pub matched: usize,
    pub missing: Vec<&'a Payer>,
    pub duplicated: Vec<(&'a Payer, usize)>,
    pub stale: Vec<(&'a Payer, String)>,
    pub unrankable: Vec<(&'a Payer, String)>,
    pub unmatchable: usize,
}

/// The key a payer is looked up by, normalised as the contacts' keys are.
pub fn payer_key(payer: &Payer, by: &MatchKey) -> Option<String> {
    match by {
        MatchKey::Email => payer.email.clone(),
        MatchKey::Property(_) => payer.customer_id.clone(),
    }
}

fn contact_key(contact: &Contact, by: &MatchKey) -> Option<String> {
    let key = contact.key.as_deref()?;
    match by {
        MatchKey::Email => normalize_email(key),
        MatchKey::Property(_) => Some(key.trim().to_owned()).filter(|k| !k.is_empty()),
    }
}

pub fn reconcile<'a>(
    payers: &'a Payers,
    contacts: &[Contact],
    by: &MatchKey,
    paid_stage: Option<&str>,
) -> Drift<'a> {
    let mut index: HashMap<String, Vec<&Contact>> = HashMap::new();
    for c in contacts {
        if let Some(k) = contact_key(c, by) {
            let found = index.entry(k).or_default();
            // The same contact returned by two batches is one contact.
            if !found.iter().any(|f| f.id == c.id) {
                found.push(c);
            }
        }
    }
    let wanted = paid_stage.and_then(rank);
    let mut drift = Drift::default();
    for payer in &payers.payers {
        let Some(key) = payer_key(payer, by) else {
            drift.unmatchable += 1;
            continue;
        };
        let found = index.get(&key).map(Vec::as_slice).unwrap_or_default();
        match found {
            [] => drift.missing.push(payer),
            [contact] => {
                drift.matched += 1;
                if let Some(wanted_stage) = paid_stage {
                    let stage = contact.stage.clone().unwrap_or_default();
                    match (rank(&stage), wanted) {
                        (Some(have), Some(want)) if have < want => drift.stale.push((payer, stage)),
                        (Some(_), Some(_)) => {}
                        _ if stage.trim().eq_ignore_ascii_case(wanted_stage.trim()) => {}
                        _ => drift.unrankable.push((payer, stage)),
                    }
                }
            }
            several => {
                drift.matched += 1;
                drift.duplicated.push((payer, several.len()));
            }
        }
    }
    drift
}

fn example(payer: &Payer, extra: Option<Value>) -> Value {
    let mut v = json!({
        "customer": payer.customer_id.as_deref().map_or_else(|| "guest checkout".to_owned(), mask_id),
        "email": payer.email.as_deref().map_or_else(|| "(none)".to_owned(), mask_email),
        "paid_at": rfc3339_date(payer.paid_at),
        "via": payer.via,
    });
    if let (Some(Value::Object(extra)), Some(obj)) = (extra, v.as_object_mut()) {
        obj.extend(extra);
    }
    v
}

fn rfc3339_date(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.date()
                .format(&time::format_description::well_known::Iso8601::DATE)
                .ok()
        })
        .unwrap_or_else(|| "unknown date".to_owned())
}

/// The verdict, with at most [`MAX_EXAMPLES`] masked examples per finding. With a
/// cap in `gaps`, only a `fail` the judged part proves ("at least N") is a verdict;
/// anything else is `error` naming the cap.
pub fn judge(
    drift: &Drift<'_>,
    payers: &Payers,
    provider: &str,
    by: &MatchKey,
    hours: u32,
    gaps: &Gaps,
) -> Outcome {
    let total = payers.payers.len();
    let key_words = match by {
        MatchKey::Email => "email".to_owned(),
        MatchKey::Property(p) => format!("property `{p}`"),
    };
    let mut details = json!({
        "provider": provider,
        "match": key_words,
        "lookback_hours": hours,
        "paying_customers": total,
        "matched": drift.matched,
        "missing": drift.missing.len(),
        "duplicated": drift.duplicated.len(),
        "below_paid_stage": drift.stale.len(),
        "unrankable_stage": drift.unrankable.len(),
        "unmatchable": drift.unmatchable,
        "payments_under_1h_not_judged": payers.too_recent,
        "missing_examples": drift.missing.iter().take(MAX_EXAMPLES).map(|p| example(p, None)).collect::<Vec<_>>(),
        "duplicated_examples": drift.duplicated.iter().take(MAX_EXAMPLES)
            .map(|(p, n)| example(p, Some(json!({ "contacts": n })))).collect::<Vec<_>>(),
        "below_paid_stage_examples": drift.stale.iter().chain(&drift.unrankable).take(MAX_EXAMPLES)
            .map(|(p, s)| example(p, Some(json!({ "stage": s })))).collect::<Vec<_>>(),
    });
    if !gaps.caps.is_empty() {
        details["caps_reached"] = json!(gaps.caps);
        details["not_judged"] = json!(gaps.unjudged);
        return judge_partial(drift, total, provider, &key_words, hours, gaps).details(details);
    }
    let unmatchable_note = if drift.unmatchable > 0 {
        format!(
            "; {} without {} cannot be matched",
            drift.unmatchable,
            if *by == MatchKey::Email {
                "an email"
            } else {
                "a customer id"
            }
        )
    } else {
        String::new()
    };
    if total == 0 {
        return Outcome::pass(format!(
            "no paying Stripe customer in the last {hours} h (payments under 1 h old wait)"
        ))
        .details(details);
    }
    if drift.unmatchable == total {
        return Outcome::warn(format!(
            "none of the {total} paying Stripe customers (last {hours} h) has {} to match in {provider}",
            if *by == MatchKey::Email { "an email" } else { "a customer id" }
        ))
        .details(details)
        .remediation("Collect the customer's email at checkout (Checkout collects it by default; Payment Links and custom flows may not), or match on a property holding the Stripe customer id (`crm.match: property:<name>`).");
    }
    let mut warnings = Vec::new();
    if !drift.duplicated.is_empty() {
        warnings.push(format!("{} with several contacts", drift.duplicated.len()));
    }
    if !drift.stale.is_empty() {
        warnings.push(format!(
            "{} below the paid lifecycle stage",
            drift.stale.len()
        ));
    }
    if !drift.unrankable.is_empty() {
        warnings.push(format!(
            "{} at a custom lifecycle stage that cannot be ranked",
            drift.unrankable.len()
        ));
    }
    if !drift.missing.is_empty() {
        let n = drift.missing.len();
        // The milder drift is named too: it needs the same fix.
        let also = if warnings.is_empty() {
            String::new()
        } else {
            format!("; also {}", warnings.join(", "))
        };
        return Outcome::fail(format!(
            "{n} of {total} paying Stripe customers (last {hours} h) have no {provider} contact by {key_words}{unmatchable_note}{also}"
        ))
        .details(details)
        .remediation(format!(
            "Check the Stripe → {provider} sync (the integration, Zapier/Make scenario or your webhook handler that creates contacts on checkout.session.completed / invoice.paid); then backfill the customers listed in details (search them by the masked id in the Stripe Dashboard)."
        ));
    }
    if !warnings.is_empty() {
        return Outcome::warn(format!(
            "all {} matchable paying customers are in {provider}, but {}{unmatchable_note}",
            total - drift.unmatchable,
            warnings.join(", ")
        ))
        .details(details)
        .remediation(format!(
            "Merge duplicate contacts in {provider} and make the sync update the lifecycle stage when a payment arrives (a workflow on the deal/subscription, or the webhook handler)."
        ));
    }
    Outcome::pass(format!(
        "all {} matchable paying Stripe customers (last {hours} h) are in {provider}{unmatchable_note}",
        total - drift.unmatchable
    ))
    .details(details)
}

/// A verdict from part of the evidence: `fail` when the judged customers already
/// prove it, `error` naming the cap otherwise (never `pass` or `warn`: the customers
/// beyond the cap may be missing).
fn judge_partial(
    drift: &Drift<'_>,
    judged: usize,
    provider: &str,
    key_words: &str,
    hours: u32,
    gaps: &Gaps,
) -> Outcome {
    let caps = gaps.caps.join("; ");
    let unjudged = if gaps.unjudged > 0 {
        format!("{} paying customers not judged", gaps.unjudged)
    } else {
        "older payments not read".to_owned()
    };
    if !drift.missing.is_empty() {
        return Outcome::fail(format!(
            "at least {} paying Stripe customers (last {hours} h) have no {provider} contact by {key_words} ({} of the {judged} judged; {unjudged}: {caps})",
            drift.missing.len(),
            drift.missing.len(),
        ))
        .remediation(format!(
            "Check the Stripe → {provider} sync and backfill the customers listed in details; lower crm.lookback_hours (or raise --deadline) so the whole window can be read."
        ));
    }
    Outcome::error(format!(
        "cannot tell whether every paying Stripe customer (last {hours} h) is in {provider}: {caps} ({unjudged}; none missing among the {judged} judged)"
    ))
    .remediation("Lower crm.lookback_hours, or raise --deadline, so the whole window can be read.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn payer(id: &str, email: Option<&str>) -> Payer {
        Payer {
            customer_id: Some(id.to_owned()),
            email: email.map(str::to_owned),
            paid_at: 1_800_000_000,
            via: "invoice.paid".to_owned(),
        }
    }

    fn contact(id: &str, key: &str, stage: &str) -> Contact {
        Contact {
            id: id.into(),
            key: Some(key.into()),
            stage: Some(stage.into()),
        }
    }

    fn payers(list: Vec<Payer>) -> Payers {
        Payers {
            payers: list,
            ..Payers::default()
        }
    }

    #[test]
    fn a_paying_customer_without_a_contact_fails_with_masked_examples() {
        let p = payers(vec![
            payer("cus_AAAAAAAAAAAA1111", Some("ada@acme.app")),
            payer("cus_BBBBBBBBBBBB2222", Some("bob@acme.app")),
            payer("cus_CCCCCCCCCCCC3333", None),
        ]);
        let contacts = vec![contact("1", " ADA@acme.app", "customer")];
        let drift = reconcile(&p, &contacts, &MatchKey::Email, Some("customer"));
        assert_eq!(drift.missing.len(), 1);
        assert_eq!(drift.unmatchable, 1);
        let out = judge(
            &drift,
            &p,
            "hubspot",
            &MatchKey::Email,
            168,
            &Gaps::default(),
        );
        assert_eq!(out.status, Status::Fail);
        let text = serde_json::to_string(&out.details).unwrap_or_default();
        assert!(
            text.contains("b***@acme.app") && text.contains("cus_…2222"),
            "{text}"
        );
        assert!(
            !text.contains("bob@") && !text.contains("BBBBBBBB"),
            "{text}"
        );
        assert!(out.summary.contains("1 of 3"), "{}", out.summary);
    }

    #[test]
    fn duplicates_and_stale_stages_warn_custom_stages_are_unrankable() {
        let p = payers(vec![
            payer("cus_AAAAAAAAAAAA1111", Some("ada@acme.app")),
            payer("cus_BBBBBBBBBBBB2222", Some("bob@acme.app")),
            payer("cus_CCCCCCCCCCCC3333", Some("cy@acme.app")),
        ]);
        let contacts = vec![
            contact("1", "ada@acme.app", "customer"),
            contact("2", "ada@acme.app", "lead"),
            contact("3", "bob@acme.app", "lead"),
            contact("4", "cy@acme.app", "vip_custom"),
            contact("3", "bob@acme.app", "lead"),
        ];
        let drift = reconcile(&p, &contacts, &MatchKey::Email, Some("customer"));
        assert_eq!(drift.duplicated.len(), 1);
        assert_eq!(
            drift.stale.len(),
            1,
            "the same contact twice is one contact"
        );
        assert_eq!(drift.unrankable.len(), 1);
        let out = judge(
            &drift,
            &p,
            "hubspot",
            &MatchKey::Email,
            168,
            &Gaps::default(),
        );
        assert_eq!(out.status, Status::Warn);
    }

    #[test]
    fn matching_by_property_uses_the_customer_id() {
        let p = payers(vec![payer("cus_AAAAAAAAAAAA1111", None)]);
        let by = MatchKey::Property("stripe_customer_id".into());
        let contacts = vec![contact("1", "cus_AAAAAAAAAAAA1111", "customer")];
        let drift = reconcile(&p, &contacts, &by, None);
        assert_eq!(drift.matched, 1);
        assert_eq!(
            judge(&drift, &p, "hubspot", &by, 24, &Gaps::default()).status,
            Status::Pass
        );
    }

    #[test]
    fn only_unmatchable_customers_is_a_warning_not_a_pass() {
        let p = payers(vec![payer("cus_AAAAAAAAAAAA1111", None)]);
        let drift = reconcile(&p, &[], &MatchKey::Email, None);
        assert_eq!(
            judge(
                &drift,
                &p,
                "hubspot",
                &MatchKey::Email,
                24,
                &Gaps::default()
            )
            .status,
            Status::Warn
        );
    }

    #[test]
    fn examples_stop_at_ten() {
        let list = (0..25)
            .map(|i| {
                payer(
                    &format!("cus_AAAAAAAAAAAA{i:04}"),
                    Some(&format!("u{i}@acme.app")),
                )
            })
            .collect();
        let p = payers(list);
        let drift = reconcile(&p, &[], &MatchKey::Email, None);
        let out = judge(
            &drift,
            &p,
            "hubspot",
            &MatchKey::Email,
            24,
            &Gaps::default(),
        );
        assert_eq!(
            out.details["missing_examples"].as_array().map(Vec::len),
            Some(10)
        );
        assert_eq!(out.details["missing"], 25);
    }

    #[test]
    fn past_a_cap_only_a_proven_fail_is_a_verdict_else_an_error_naming_the_cap() {
        let gaps = Gaps {
            caps: vec!["the 500-customer lookup cap".into()],
            unjudged: 700,
        };
        let p = payers(vec![
            payer("cus_AAAAAAAAAAAA1111", Some("ada@acme.app")),
            payer("cus_BBBBBBBBBBBB2222", Some("bob@acme.app")),
        ]);
        let contacts = vec![contact("1", "ada@acme.app", "customer")];
        let drift = reconcile(&p, &contacts, &MatchKey::Email, None);
        let out = judge(&drift, &p, "hubspot", &MatchKey::Email, 24, &gaps);
        assert_eq!(out.status, Status::Fail);
        assert!(out.summary.starts_with("at least 1 "), "{}", out.summary);
        assert!(
            out.summary.contains("500-customer lookup cap"),
            "{}",
            out.summary
        );
        assert_eq!(out.details["not_judged"], 700);

        // Everyone judged is in the CRM, and duplicates too: still no verdict.
        let contacts = vec![
            contact("1", "ada@acme.app", "customer"),
            contact("2", "bob@acme.app", "customer"),
            contact("3", "bob@acme.app", "lead"),
        ];
        let drift = reconcile(&p, &contacts, &MatchKey::Email, None);
        let out = judge(&drift, &p, "hubspot", &MatchKey::Email, 24, &gaps);
        assert_eq!(out.status, Status::Error);
        assert!(
            out.summary.contains("500-customer lookup cap"),
            "{}",
            out.summary
        );
        assert_eq!(out.details["duplicated"], 1);
    }
}
