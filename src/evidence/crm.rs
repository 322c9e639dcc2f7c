//! Payments → CRM: the paying Stripe customers of `crm.lookback_hours` and the CRM
//! contacts that hold their emails (or customer ids), fetched once per audit.
//! Stripe is read through its client (Events: Read, Customers: Read); HubSpot through
//! its search API in batches (`crate::crm::hubspot`).

use futures::StreamExt;
use serde_json::Value;

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::crm::hubspot::{FindError, find_contacts};
use crate::crm::payers::{PAYMENT_EVENT_TYPES, Payers, from_events};
use crate::crm::{Contact, MatchKey};
use crate::manifest::{CrmSection, Environment};
use crate::net::api::{ApiError, Credential};
use crate::net::hubspot::{HubSpotApi, SPEC as HUBSPOT};
use crate::stripe::keys::{StripeMode, parse_key};

/// Customers whose email only the customer object holds are looked up one by one:
/// at most this many, this many at a time.
const MAX_CUSTOMER_LOOKUPS: usize = 500;
const LOOKUP_CONCURRENCY: usize = 8;
/// Searches for one audit (5,000 customers need 10 batches and their pages).
const MAX_SEARCHES: usize = 400;

/// The reconciliation's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaymentsAndContacts;

pub struct Reconciled {
    pub payers: Payers,
    pub contacts: Vec<Contact>,
    pub by: MatchKey,
    pub provider: &'static str,
    pub lookback_hours: u32,
    pub paid_stage: Option<String>,
    /// "test mode" when the Stripe key is a test key (staging/development).
    pub test_mode: bool,
    pub searches: usize,
    /// Customers whose email could not be looked up (beyond the lookup cap).
    pub not_looked_up: usize,
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
                "test-mode key in {}: live payments are not visible, so the CRM cannot be reconciled with production",
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
            .raw_events_listing(&filters)
            .await
            .map_err(api_error)?;
        if let Some(stop) = &listing.stopped {
            // A partial list of payers proves nothing about the rest: say which cap.
            return Err(Unavailable::error(format!(
                "the Stripe payment events of the last {} h could not all be read ({stop}, {} events read)",
                crm.lookback_hours,
                listing.items.len()
            ))
            .remediation("Lower crm.lookback_hours, or raise --deadline."));
        }
        let mut payers = from_events(&listing.items, now);

        let wanted = payers.needs_email();
        let not_looked_up = wanted.len().saturating_sub(MAX_CUSTOMER_LOOKUPS);
        let lookups: Vec<(String, Result<Value, ApiError>)> =
            futures::stream::iter(wanted.into_iter().take(MAX_CUSTOMER_LOOKUPS))
                .map(|id| {
                    let stripe = &stripe;
                    async move {
                        let got = stripe.customer(&id).await;
                        (id, got)
                    }
                })
                .buffer_unordered(LOOKUP_CONCURRENCY)
                .collect()
                .await;
        for (id, got) in lookups {
            let customer = got.map_err(api_error)?;
            payers.set_email(&id, customer.get("email").and_then(Value::as_str));
        }

        let keys: Vec<String> = {
            let mut keys: Vec<String> = payers
                .payers
                .iter()
                .filter_map(|p| crate::crm::reconcile::payer_key(p, &by))
                .collect();
            keys.sort();
            keys.dedup();
            keys
        };
        let found = find_contacts(&keys, &by, MAX_SEARCHES, |body| {
            let hubspot = &hubspot;
            async move { hubspot.search_contacts(&body).await }
        })
        .await
        .map_err(|e| match e {
            FindError::Api(e) => api_error(e),
            FindError::Garbage(why) => Unavailable::error(format!("HubSpot search: {why}")),
            FindError::Cap(total) => Unavailable::error(format!(
                "HubSpot search: one key matches {total} contacts, past the 10,000-result cap of a search"
            )),
            FindError::Budget(n) => Unavailable::error(format!(
                "HubSpot search stopped after {n} requests before every customer was looked up"
            ))
            .remediation("Lower crm.lookback_hours."),
        })?;
        Ok(Reconciled {
            payers,
            contacts: found.contacts,
            by,
            provider: crm.provider.as_str(),
            lookback_hours: crm.lookback_hours,
            paid_stage: crm.paid_stage.clone(),
            test_mode,
            searches: found.requests,
            not_looked_up,
        })
    }
}
