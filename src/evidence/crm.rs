//! Payments → CRM: the paying Stripe customers of `crm.lookback_hours` and the CRM
//! contacts that hold their emails (or customer ids), fetched once per audit.
//! Stripe is read through its client (Events: Read, Customers: Read); HubSpot through
//! its search API in batches (`crate::crm::hubspot`).

use std::collections::HashSet;
use std::time::Instant;

use futures::StreamExt;
use serde_json::Value;

use super::stripe::TEST_KEY_IN_PRODUCTION;
use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::crm::payers::{PAYMENT_EVENT_TYPES, Payers, PaymentEvent, from_events};
use crate::crm::reconcile::{Gaps, payer_key};
use crate::crm::{Contact, Directory, FindError, MatchKey};
use crate::manifest::{CrmSection, Environment};
use crate::net::api::{ApiError, Credential, Problem};
use crate::net::hubspot::{HubSpotApi, SPEC as HUBSPOT};
use crate::net::stripe::StripeApi;
use crate::stripe::keys::{StripeMode, parse_key};

/// Customers whose email only the customer object holds are looked up one by one:
/// at most this many, this many at a time.
pub const MAX_CUSTOMER_LOOKUPS: usize = 500;
const LOOKUP_CONCURRENCY: usize = 8;
/// Pages of payment events (100 each): a first subscription payment is three events
/// (checkout, subscription, invoice), so 5,000 paying customers take 150 pages.
pub const MAX_EVENT_PAGES: usize = 400;
/// Their bytes: real events are 5–20 KB pretty-printed, and each page is reduced to
/// the judged fields as it is read, so the budget bounds transfer, not memory.
const MAX_EVENT_BYTES: usize = 1024 * 1024 * 1024;

/// The reconciliation's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaymentsAndContacts;

pub struct Reconciled {
    /// The paying customers that could be judged (beyond a cap: in `gaps`).
    pub payers: Payers,
    pub contacts: Vec<Contact>,
    pub by: MatchKey,
    pub provider: &'static str,
    pub lookback_hours: u32,
    pub paid_stage: Option<String>,
    /// "test mode" when the Stripe key is a test key (staging/development).
    pub test_mode: bool,
    pub searches: usize,
    pub event_pages: usize,
    /// The caps reached and the customers they left unjudged.
    pub gaps: Gaps,
}

fn section(cx: &Context) -> Result<&CrmSection, Unavailable> {
    cx.manifest
        .crm
        .as_ref()
        .ok_or_else(|| Unavailable::skip("no `crm` section in the manifest"))
}

fn api_error(e: ApiError) -> Unavailable {
    Unavailable::error(e.to_string())
        .details(e.details())
        .remediation(e.remediation())
}

/// The payments listing stops at three quarters of the time left for listings: a
/// window too long to read whole still leaves the contacts search time to prove
/// "at least N missing" from the part read (SPEC §7 "Caps").
fn payments_until(listing_deadline: Option<Instant>) -> Option<Instant> {
    let left = listing_deadline?.checked_duration_since(Instant::now())?;
    Instant::now().checked_add(left.mul_f64(0.75))
}

impl Source for PaymentsAndContacts {
    type Value = Reconciled;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let crm = section(cx)?;
        let by = MatchKey::parse(&crm.match_on).map_err(Unavailable::error)?;
        let stripe_section = cx.manifest.stripe.as_ref().ok_or_else(|| {
            Unavailable::skip("no `stripe` section in the manifest: payments come from Stripe")
        })?;
        let test_mode = cx
            .env
            .get(&stripe_section.secret_key_env)
            .and_then(parse_key)
            .is_some_and(|k| k.mode == Some(StripeMode::Test));
        if test_mode && cx.manifest.environment == Environment::Production {
            return Err(Unavailable::error(format!(
                "{TEST_KEY_IN_PRODUCTION} ({} holds a test key; environment is production), so the CRM cannot be reconciled with live payments",
                stripe_section.secret_key_env
            ))
            .remediation("Use a live restricted key (rk_live_… with Events: Read and Customers: Read) for the production audit."));
        }
        // Both credentials are checked before either API is asked.
        let token = Credential::read(
            &crm.token_env,
            cx.env.get(&crm.token_env),
            "crm.stripe-sync needs a HubSpot private app token with crm.objects.contacts.read",
        )
        .map_err(Unavailable::skip)?;
        let stripe = super::stripe::api(cx)?;
        let net = net(cx)?;
        let env_base = cx
            .env
            .get(HUBSPOT.base_env)
            .filter(|b| !b.trim().is_empty());
        let manifest_base = crm.api_base.as_ref().map(|b| b.as_str());
        let hubspot =
            HubSpotApi::connect(net, manifest_base, env_base, token).map_err(Unavailable::error)?;

        let now = cx.now.unix_timestamp();
        let since = now - i64::from(crm.lookback_hours) * 3600;
        let mut filters: Vec<(&str, String)> = vec![("created[gte]", since.to_string())];
        filters.extend(
            PAYMENT_EVENT_TYPES
                .iter()
                .map(|t| ("types[]", (*t).to_owned())),
        );
        let listing = stripe
            .events_listing_as::<PaymentEvent>(
                &filters,
                (MAX_EVENT_PAGES, MAX_EVENT_BYTES),
                payments_until(net.config.listing_deadline),
            )
            .await
            .map_err(api_error)?;
        let mut gaps = Gaps::default();
        if let Some(stop) = &listing.stopped {
            // Newest first: the payers read are payers, the older ones are unknown.
            gaps.caps.push(format!(
                "the Stripe payment events listing {stop} ({} events read, newest first)",
                listing.items.len()
            ));
        }
        let events: Vec<Value> = listing.items.into_iter().map(|e| e.0).collect();
        let mut payers = from_events(&events, now);
        drop(events);

        // Matching on a property holding the customer id needs no email.
        if by == MatchKey::Email {
            look_up_emails(&stripe, &mut payers, &mut gaps).await?;
        }

        let keys: Vec<String> = {
            let mut keys: Vec<String> = payers
                .payers
                .iter()
                .filter_map(|p| payer_key(p, &by))
                .collect();
            keys.sort();
            keys.dedup();
            keys
        };
        let until = net
            .config
            .listing_deadline
            .map(tokio::time::Instant::from_std);
        // The one provider-specific step (`crm::Directory`).
        let found = hubspot
            .find_contacts(&keys, &by, until)
            .await
            .map_err(|e| match e {
                FindError::Api(e) => api_error(e),
                FindError::Garbage(why) => Unavailable::error(format!("HubSpot search: {why}")),
            })?;
        if let Some(stop) = &found.stopped {
            let unsearched: HashSet<&str> = found.unsearched.iter().map(String::as_str).collect();
            let before = payers.payers.len();
            payers
                .payers
                .retain(|p| payer_key(p, &by).is_none_or(|k| !unsearched.contains(k.as_str())));
            gaps.unjudged += before - payers.payers.len();
            gaps.caps
                .push(format!("the HubSpot contacts search stopped at {stop}"));
        }
        Ok(Reconciled {
            payers,
            contacts: found.contacts,
            by,
            provider: crm.provider.as_str(),
            lookback_hours: crm.lookback_hours,
            paid_stage: crm.paid_stage.clone(),
            test_mode,
            searches: found.requests,
            event_pages: listing.pages,
            gaps,
        })
    }
}

/// Fill in the emails only the customer objects hold (subscription events), up to
/// [`MAX_CUSTOMER_LOOKUPS`]; the customers beyond it are left unjudged, named in `gaps`.
async fn look_up_emails(
    stripe: &StripeApi<'_>,
    payers: &mut Payers,
    gaps: &mut Gaps,
) -> Result<(), Unavailable> {
    let wanted = payers.needs_email();
    if wanted.len() > MAX_CUSTOMER_LOOKUPS {
        let beyond: HashSet<&String> = wanted[MAX_CUSTOMER_LOOKUPS..].iter().collect();
        let before = payers.payers.len();
        payers.payers.retain(|p| {
            p.email.is_some() || p.customer_id.as_ref().is_none_or(|id| !beyond.contains(id))
        });
        gaps.unjudged += before - payers.payers.len();
        gaps.caps.push(format!(
            "the {MAX_CUSTOMER_LOOKUPS}-customer lookup cap ({} customers known only by id, their emails not fetched)",
            wanted.len() - MAX_CUSTOMER_LOOKUPS
        ));
    }
    let lookups: Vec<(String, Result<Value, ApiError>)> =
        futures::stream::iter(wanted.into_iter().take(MAX_CUSTOMER_LOOKUPS))
            .map(|id| async move {
                let got = stripe.customer(&id).await;
                (id, got)
            })
            .buffer_unordered(LOOKUP_CONCURRENCY)
            .collect()
            .await;
    for (id, got) in lookups {
        match got {
            Ok(customer) => payers.set_email(&id, customer.get("email").and_then(Value::as_str)),
            // A customer deleted since it paid has no email to match: unmatchable.
            Err(e) if matches!(e.problem, Problem::Rejected { status: 404 }) => {}
            Err(e) => return Err(api_error(e)),
        }
    }
    Ok(())
}
