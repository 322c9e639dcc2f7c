//! The objects inside the fake's events, in the shapes of Stripe's published
//! OpenAPI fixtures (written here by hand, trimmed; values are fake): nullable
//! fields as `null`, nested lists, every field a real payload carries — so a
//! page of events has the size Stripe's has (~5 KB for a checkout session, ~20 KB
//! for an invoice with ten lines, pretty-printed), and a client that trips on a
//! `null` or an unknown field trips in the tests too.

use serde_json::{Value, json};

/// Customer data as real payloads carry it: it must never reach a report.
pub const PAYLOAD_EMAIL: &str = "jane.payload@customer.example";

fn address() -> Value {
    json!({ "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null })
}

fn payment_method_options() -> Value {
    json!({
        "acss_debit": {}, "bancontact": { "preferred_language": "en" },
        "card": { "network": null, "request_three_d_secure": "automatic" },
        "customer_balance": { "funding_type": null }, "konbini": {}, "payto": {}, "pix": {},
        "sepa_debit": {}, "upi": {}, "us_bank_account": {}
    })
}

pub fn checkout_session(id: &str, created: i64, livemode: bool) -> Value {
    json!({
        "id": format!("cs_{}_{id}", mode(livemode)),
        "object": "checkout.session",
        "adaptive_pricing": { "enabled": true },
        "after_expiration": { "recovery": { "allow_promotion_codes": true, "enabled": false, "expires_at": null, "url": null } },
        "allow_promotion_codes": null,
        "amount_subtotal": 2000,
        "amount_total": 2000,
        "automatic_tax": { "enabled": false, "liability": { "type": "account" }, "provider": null, "status": null },
        "billing_address_collection": "auto",
        "cancel_url": "https://www.acme.app/pricing",
        "client_reference_id": null,
        "client_secret": null,
        "collected_information": { "business_name": null, "individual_name": null, "shipping_details": null },
        "consent": { "promotions": null, "terms_of_service": null },
        "consent_collection": { "payment_method_reuse_agreement": { "position": "auto" }, "promotions": null, "terms_of_service": null },
        "created": created,
        "currency": "usd",
        "currency_conversion": null,
        "custom_fields": [],
        "custom_text": { "after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null },
        "customer": format!("cus_{id}"),
        "customer_account": null,
        "customer_creation": "always",
        "customer_details": {
            "address": address(), "business_name": null, "email": PAYLOAD_EMAIL,
            "individual_name": null, "name": "Jane Payload", "phone": null,
            "tax_exempt": "none", "tax_ids": []
        },
        "customer_email": PAYLOAD_EMAIL,
        "discounts": [],
        "expires_at": created + 86_400,
        "integration_identifier": null,
        "invoice": format!("in_{id}"),
        "invoice_creation": { "enabled": false, "invoice_data": { "account_tax_ids": null, "custom_fields": null, "description": null, "footer": null, "issuer": null, "metadata": {}, "rendering_options": null } },
        "livemode": livemode,
        "locale": null,
        "metadata": { "order": "payload-order-4711" },
        "mode": "subscription",
        "origin_context": null,
        "payment_intent": null,
        "payment_link": null,
        "payment_method_collection": "always",
        "payment_method_configuration_details": { "id": format!("pmc_{id}"), "parent": null },
        "payment_method_options": { "card": { "request_three_d_secure": "automatic", "setup_future_usage": null, "installments": null, "restrictions": null }, "link": { "setup_future_usage": null } },
        "payment_method_types": ["card", "link"],
        "payment_status": "paid",
        "permissions": { "update_shipping_details": null },
        "presentment_details": { "presentment_amount": 2000, "presentment_currency": "usd" },
        "phone_number_collection": { "enabled": false },
        "recovered_from": null,
        "saved_payment_method_options": { "allow_redisplay_filters": ["always"], "payment_method_remove": null, "payment_method_save": null },
        "setup_intent": null,
        "shipping_address_collection": null,
        "shipping_cost": null,
        "shipping_details": null,
        "shipping_options": [],
        "status": "complete",
        "submit_type": null,
        "subscription": format!("sub_{id}"),
        "success_url": "https://www.acme.app/welcome?session_id={CHECKOUT_SESSION_ID}",
        "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
        "ui_mode": "hosted",
        "url": null,
        "wallet_options": null
    })
}

fn price(id: &str, livemode: bool) -> Value {
    json!({
        "id": format!("price_{id}"), "object": "price", "active": true, "billing_scheme": "per_unit",
        "created": 1_721_948_530, "currency": "usd",
        "custom_unit_amount": null, "livemode": livemode, "lookup_key": "pro_monthly",
        "metadata": {}, "nickname": null, "product": format!("prod_{id}"),
        "recurring": { "interval": "month", "interval_count": 1, "meter": null, "trial_period_days": null, "usage_type": "licensed" },
        "tax_behavior": "unspecified", "tiers_mode": null, "transform_quantity": null,
        "type": "recurring", "unit_amount": 2000, "unit_amount_decimal": "2000"
    })
}

fn invoice_line(id: &str, n: usize, created: i64, livemode: bool) -> Value {
    json!({
        "id": format!("il_{id}{n:02}"), "object": "line_item", "amount": 2000, "currency": "usd",
        "description": format!("1 × Acme Pro seat {n} (at $20.00 / month)"),
        "discount_amounts": [], "discountable": true, "discounts": [],
        "invoice": format!("in_{id}"), "livemode": livemode, "metadata": {},
        "parent": {
            "invoice_item_details": null,
            "subscription_item_details": {
                "invoice_item": null, "proration": false, "proration_details": { "credited_items": null },
                "subscription": format!("sub_{id}"), "subscription_item": format!("si_{id}{n:02}")
            },
            "type": "subscription_item_details"
        },
        "period": { "end": created + 30 * 86_400, "start": created },
        "pretax_credit_amounts": [],
        "pricing": { "price_details": { "price": format!("price_{id}"), "product": format!("prod_{id}") }, "type": "price_details", "unit_amount_decimal": "2000" },
        "quantity": 1, "quantity_decimal": "1", "subscription": format!("sub_{id}"),
        "subtotal": 2000, "taxes": []
    })
}

/// An invoice with `lines` lines (ten lines make the ~20 KB event of a real page).
pub fn invoice(id: &str, created: i64, livemode: bool, lines: usize) -> Value {
    let data: Vec<Value> = (1..=lines)
        .map(|n| invoice_line(id, n, created, livemode))
        .collect();
    let total = 2000 * lines as i64;
    json!({
        "id": format!("in_{id}"), "object": "invoice",
        "account_country": "US", "account_name": "Acme, Inc.", "account_tax_ids": null,
        "amount_due": total, "amount_overpaid": 0, "amount_paid": total, "amount_remaining": 0, "amount_shipping": 0,
        "application": null, "attempt_count": 1, "attempted": true, "auto_advance": false,
        "automatic_tax": { "disabled_reason": null, "enabled": false, "liability": null, "provider": null, "status": null },
        "automatically_finalizes_at": null, "billing_reason": "subscription_cycle",
        "collection_method": "charge_automatically", "confirmation_secret": null, "created": created, "currency": "usd",
        "custom_fields": null, "customer": format!("cus_{id}"), "customer_account": null,
        "customer_address": address(), "customer_email": PAYLOAD_EMAIL, "customer_name": "Jane Payload",
        "customer_phone": null, "customer_shipping": null, "customer_tax_exempt": "none", "customer_tax_ids": [],
        "default_payment_method": null, "default_source": null, "default_tax_rates": [],
        "description": null, "discounts": [], "due_date": null, "effective_at": created,
        "ending_balance": 0, "footer": null, "from_invoice": null,
        "hosted_invoice_url": format!("https://invoice.stripe.com/i/acct_fake/{id}"),
        "invoice_pdf": format!("https://pay.stripe.com/invoice/acct_fake/{id}/pdf"),
        "issuer": { "type": "self" }, "last_finalization_error": null, "latest_revision": null,
        "lines": { "object": "list", "data": data, "has_more": false, "total_count": lines, "url": format!("/v1/invoices/in_{id}/lines") },
        "livemode": livemode, "metadata": {}, "next_payment_attempt": null, "number": format!("ACME-{}", &id[id.len().saturating_sub(4)..]),
        "on_behalf_of": null,
        "parent": { "quote_details": null, "subscription_details": { "metadata": {}, "subscription": format!("sub_{id}") }, "type": "subscription_details" },
        "payment_settings": { "default_mandate": null, "payment_method_options": payment_method_options(), "payment_method_types": null },
        "period_end": created, "period_start": created - 30 * 86_400,
        "post_payment_credit_notes_amount": 0, "pre_payment_credit_notes_amount": 0, "receipt_number": null,
        "rendering": { "amount_tax_display": null, "pdf": { "page_size": "letter" }, "template": null, "template_version": null },
        "shipping_cost": null, "shipping_details": null, "starting_balance": 0, "statement_descriptor": null,
        "status": "paid",
        "status_transitions": { "finalized_at": created, "marked_uncollectible_at": null, "paid_at": created, "voided_at": null },
        "subtotal": total, "subtotal_excluding_tax": total, "test_clock": null, "total": total,
        "total_discount_amounts": [], "total_excluding_tax": total, "total_pretax_credit_amounts": [], "total_taxes": [],
        "webhooks_delivered_at": null
    })
}

pub fn subscription(id: &str, created: i64, livemode: bool) -> Value {
    json!({
        "id": format!("sub_{id}"), "object": "subscription", "application": null, "application_fee_percent": null,
        "automatic_tax": { "disabled_reason": null, "enabled": false, "liability": null },
        "billing_cycle_anchor": created, "billing_cycle_anchor_config": null,
        "billing_mode": { "flexible": null, "type": "classic" }, "billing_thresholds": null,
        "cancel_at": null, "cancel_at_period_end": false, "canceled_at": null,
        "cancellation_details": { "comment": null, "feedback": null, "reason": null },
        "collection_method": "charge_automatically", "created": created, "currency": "usd",
        "customer": format!("cus_{id}"), "customer_account": null, "days_until_due": null,
        "default_payment_method": format!("pm_{id}"), "default_source": null, "default_tax_rates": [],
        "description": null, "discounts": [], "ended_at": null,
        "invoice_settings": { "account_tax_ids": null, "issuer": { "type": "self" } },
        "items": { "object": "list", "data": [{
            "id": format!("si_{id}"), "object": "subscription_item", "billing_thresholds": null, "created": created,
            "current_period_end": created + 30 * 86_400, "current_period_start": created, "discounts": [],
            "metadata": {}, "plan": { "id": format!("price_{id}"), "object": "plan", "active": true, "amount": 2000,
                "amount_decimal": "2000", "billing_scheme": "per_unit", "created": 1_721_948_530, "currency": "usd",
                "interval": "month", "interval_count": 1, "livemode": livemode, "metadata": {}, "meter": null,
                "nickname": null, "product": format!("prod_{id}"), "tiers_mode": null, "transform_usage": null,
                "trial_period_days": null, "usage_type": "licensed" },
            "price": price(id, livemode), "quantity": 1, "subscription": format!("sub_{id}"), "tax_rates": []
        }], "has_more": false, "total_count": 1, "url": format!("/v1/subscription_items?subscription=sub_{id}") },
        "latest_invoice": format!("in_{id}"), "livemode": livemode, "metadata": { "order": "payload-order-4711" },
        "next_pending_invoice_item_invoice": null, "on_behalf_of": null, "pause_collection": null,
        "payment_settings": { "payment_method_options": payment_method_options(), "payment_method_types": null, "save_default_payment_method": "on_subscription" },
        "pending_invoice_item_interval": null, "pending_setup_intent": null, "pending_update": null,
        "schedule": null, "start_date": created, "status": "active", "test_clock": null, "transfer_data": null,
        "trial_end": null, "trial_settings": { "end_behavior": { "missing_payment_method": "create_invoice" } }, "trial_start": null
    })
}

/// A payment intent; `failure` is `last_payment_error.type` (e.g. `card_error`).
pub fn payment_intent(id: &str, created: i64, livemode: bool, failure: Option<&str>) -> Value {
    let error = failure.map(|kind| json!({
        "type": kind, "code": if kind == "card_error" { "card_declined" } else { "parameter_invalid_empty" },
        "decline_code": if kind == "card_error" { json!("insufficient_funds") } else { Value::Null },
        "doc_url": "https://stripe.com/docs/error-codes", "message": "The payment could not be completed.",
        "param": null, "payment_method": null
    }));
    json!({
        "id": format!("pi_{id}"), "object": "payment_intent", "amount": 2000, "amount_capturable": 0,
        "amount_details": { "tip": {} }, "amount_received": if failure.is_some() { 0 } else { 2000 },
        "application": null, "application_fee_amount": null,
        "automatic_payment_methods": { "allow_redirects": "always", "enabled": true },
        "canceled_at": null, "cancellation_reason": null, "capture_method": "automatic_async",
        "client_secret": null, "confirmation_method": "automatic", "created": created, "currency": "usd",
        "customer": format!("cus_{id}"), "description": "Subscription creation", "excluded_payment_method_types": null,
        "last_payment_error": error, "latest_charge": format!("ch_{id}"), "livemode": livemode,
        "metadata": { "order": "payload-order-4711" }, "next_action": null, "on_behalf_of": null,
        "payment_method": format!("pm_{id}"),
        "payment_method_configuration_details": { "id": format!("pmc_{id}"), "parent": null },
        "payment_method_options": { "card": { "installments": null, "mandate_options": null, "network": null, "request_three_d_secure": "automatic" }, "link": { "persistent_token": null } },
        "payment_method_types": ["card", "link"], "processing": null, "receipt_email": PAYLOAD_EMAIL,
        "review": null, "setup_future_usage": "off_session", "shipping": null, "source": null,
        "statement_descriptor": null, "statement_descriptor_suffix": null,
        "status": if failure.is_some() { "requires_payment_method" } else { "succeeded" },
        "transfer_data": null, "transfer_group": null
    })
}

pub fn charge(id: &str, created: i64, livemode: bool) -> Value {
    json!({
        "id": format!("ch_{id}"), "object": "charge", "amount": 2000, "amount_captured": 2000, "amount_refunded": 2000,
        "application": null, "application_fee": null, "application_fee_amount": null,
        "balance_transaction": format!("txn_{id}"),
        "billing_details": { "address": address(), "email": PAYLOAD_EMAIL, "name": "Jane Payload", "phone": null, "tax_id": null },
        "calculated_statement_descriptor": "ACME", "captured": true, "created": created, "currency": "usd",
        "customer": format!("cus_{id}"), "description": null, "disputed": false, "failure_balance_transaction": null,
        "failure_code": null, "failure_message": null, "fraud_details": {}, "livemode": livemode,
        "metadata": { "order": "payload-order-4711" }, "on_behalf_of": null,
        "outcome": { "advice_code": null, "network_advice_code": null, "network_decline_code": null, "network_status": "approved_by_network", "reason": null, "risk_level": "normal", "risk_score": 32, "seller_message": "Payment complete.", "type": "authorized" },
        "paid": true, "payment_intent": format!("pi_{id}"), "payment_method": format!("pm_{id}"),
        "payment_method_details": { "card": { "amount_authorized": 2000, "brand": "visa", "checks": { "address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass" }, "country": "US", "exp_month": 8, "exp_year": 2030, "funding": "credit", "last4": "4242", "network": "visa", "three_d_secure": null, "wallet": null }, "type": "card" },
        "receipt_email": PAYLOAD_EMAIL, "receipt_number": null, "receipt_url": null, "refunded": true,
        "review": null, "shipping": null, "source_transfer": null, "statement_descriptor": null,
        "statement_descriptor_suffix": null, "status": "succeeded", "transfer_data": null, "transfer_group": null
    })
}

fn mode(livemode: bool) -> &'static str {
    if livemode { "live" } else { "test" }
}

/// The object an event of `kind` carries, in Stripe's shape.
pub fn object_for(kind: &str, id: &str, created: i64, livemode: bool) -> Value {
    match kind.rsplit_once('.').map_or(kind, |(o, _)| o) {
        "checkout.session" => checkout_session(id, created, livemode),
        "invoice" => invoice(id, created, livemode, 10),
        "customer.subscription" => subscription(id, created, livemode),
        "payment_intent" => {
            let failure = (kind == "payment_intent.payment_failed").then_some("card_error");
            payment_intent(id, created, livemode, failure)
        }
        "charge" => charge(id, created, livemode),
        _ => json!({
            "id": format!("obj_{id}"), "object": kind.rsplit_once('.').map_or(kind, |(o, _)| o),
            "created": created, "livemode": livemode, "customer_email": PAYLOAD_EMAIL,
            "metadata": { "order": "payload-order-4711" }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Event;

    fn pretty_size(kind: &str) -> usize {
        let event = Event::failed(kind, 60).id("evt_1Fake0000000000000000001");
        serde_json::to_vec_pretty(&event.to_json(true)).map_or(0, |v| v.len())
    }

    #[test]
    fn events_have_the_size_stripe_sends() {
        // Stripe: ~5 KB for checkout.session.completed, ~24 KB for an invoice with 10 lines.
        let checkout = pretty_size("checkout.session.completed");
        assert!((4_000..=8_000).contains(&checkout), "{checkout}");
        let invoice = pretty_size("invoice.paid");
        assert!((15_000..=26_000).contains(&invoice), "{invoice}");
        for kind in [
            "customer.subscription.updated",
            "payment_intent.payment_failed",
            "charge.refunded",
        ] {
            let size = pretty_size(kind);
            assert!((2_000..=10_000).contains(&size), "{kind}: {size}");
        }
    }

    #[test]
    fn failed_events_stay_pending_while_stripe_retries() {
        let now = super::super::objects::unix_now();
        let young = Event::failed("invoice.paid", 2 * 86_400);
        let old = Event::failed("invoice.paid", 3 * 86_400 + 60);
        assert_eq!(young.pending_webhooks(now), 1);
        assert_eq!(old.pending_webhooks(now), 0);
        assert_eq!(
            Event::delivered("invoice.paid", 60).pending_webhooks(now),
            0
        );
    }
}
