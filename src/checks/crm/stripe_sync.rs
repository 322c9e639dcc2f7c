//! `crm.stripe-sync`: every customer who paid in Stripe is a contact in the CRM.
//! The judging lives in `crate::crm::reconcile`; this reads the evidence and names
//! the target.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::crm::reconcile::{judge, reconcile};
use crate::evidence::crm::PaymentsAndContacts;
use crate::meta;

pub struct StripeSync;

impl Check for StripeSync {
    const META: &'static Meta = meta! {
        id: "crm.stripe-sync",
        title: "Every paying Stripe customer is a CRM contact",
        severity: Fail,
        needs: "manifest `crm` and `stripe`; a HubSpot token and a Stripe API key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.crm {
            Some(crm) => Plan::Targets(vec![crm.provider.as_str().to_owned()]),
            None => Plan::skip("crm", "no `crm` section in the manifest"),
        }
    }

    async fn run(&self, cx: &Context, _provider: &str) -> Checked {
        let got = cx.get(PaymentsAndContacts).await?;
        let drift = reconcile(
            &got.payers,
            &got.contacts,
            &got.by,
            got.paid_stage.as_deref(),
        );
        let mut out = judge(
            &drift,
            &got.payers,
            got.provider,
            &got.by,
            got.lookback_hours,
            &got.gaps,
        );
        out.details["searches"] = got.searches.into();
        out.details["stripe_event_pages"] = got.event_pages.into();
        if got.test_mode {
            out.details["stripe_mode"] = "test".into();
            out.summary = format!("test mode: {}", out.summary);
        }
        Ok(out)
    }
}
