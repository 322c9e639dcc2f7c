//! The classes of misses seen on real repositories (issue 8), one route each, in the
//! `classes` fixture: a pnpm-style monorepo written for these tests (not copied code).
//! Every assertion below failed before the classification/verifier work (see the
//! corpus notes in fixtures/corpus/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;

fn cfg() -> CodeConfig {
    CodeConfig::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/nextjs/classes"))
}

fn by_route(findings: &[FileFinding]) -> BTreeMap<String, (Verdict, String)> {
    findings
        .iter()
        .map(|f| {
            let short = f.file.replace("apps/web/src/app/api/", "");
            (short, (f.verdict, f.summary.clone()))
        })
        .collect()
}

fn verdict(map: &BTreeMap<String, (Verdict, String)>, route: &str) -> Verdict {
    map.get(route)
        .unwrap_or_else(|| panic!("no result for {route}: {map:#?}"))
        .0
}

#[test]
fn only_inbound_routes_are_webhooks() {
    let v = by_route(&webhook_verification(&cfg()));
    for not_inbound in [
        "webhooks/route.ts",
        "webhooks/[webhookId]/route.ts",
        "cron/send-webhooks/route.ts",
        "webhooks/inbox/route.ts",
    ] {
        assert!(!v.contains_key(not_inbound), "{not_inbound} judged: {v:#?}");
    }
    assert_eq!(v.len(), 14, "{v:#?}");
}

#[test]
fn verification_styles() {
    let v = by_route(&webhook_verification(&cfg()));
    for pass in [
        "stripe/webhook/route.ts",                // constructEventAsync
        "stripe/webhook/sandbox/route.ts",        // export { POST } from "../route"
        "stripe/thin/route.ts",                   // parseThinEvent
        "resend/webhook/route.ts",                // svix, in a workspace package
        "qstash/sync/route.ts", // Receiver.verify two imports away, via tsconfig paths
        "hmac/safe/route.ts",   // createHmac + timingSafeEqual helper in lib/
        "paypal/webhook/route.ts", // certificate: crypto.createVerify
        "apps/admin/pages/api/webhooks/clerk.ts", // Pages Router, svix
    ] {
        assert_eq!(
            verdict(&v, pass),
            Verdict::Pass,
            "{pass}: {:?}",
            v.get(pass)
        );
    }
    assert_eq!(verdict(&v, "hmac/plain/route.ts"), Verdict::Warn);
    assert!(v["hmac/plain/route.ts"].1.contains("not in constant time"));
    assert_eq!(verdict(&v, "partner/webhook/route.ts"), Verdict::Fail);
    assert!(v["partner/webhook/route.ts"].1.contains("raw-body problem"));
    assert!(
        v["stripe/webhook/sandbox/route.ts"]
            .1
            .contains("of apps/web/src/app/api/stripe/webhook/route.ts")
    );
}

#[test]
fn provider_is_not_read_from_variable_names() {
    let routes = routes::webhook_routes(&cfg());
    let resend = routes
        .iter()
        .find(|r| r.file.rel.ends_with("resend/webhook/route.ts"))
        .unwrap();
    assert_eq!(resend.provider, routes::Provider::Generic);
    assert_eq!(resend.provider_name, "svix");
    let stripe = routes
        .iter()
        .find(|r| r.file.rel.ends_with("stripe/thin/route.ts"))
        .unwrap();
    assert_eq!(stripe.provider, routes::Provider::Stripe);
}

#[test]
fn idempotency_through_helpers_and_other_ids() {
    let i = by_route(&webhook_idempotency(&cfg()));
    assert_eq!(
        verdict(&i, "stripe/webhook/route.ts"),
        Verdict::Pass,
        "{i:#?}"
    );
    assert!(i["stripe/webhook/route.ts"].1.contains("ledger.ts"));
    assert_eq!(verdict(&i, "crm/webhook/route.ts"), Verdict::Pass);
    assert!(i["crm/webhook/route.ts"].1.contains("deduplication key"));
    assert_eq!(verdict(&i, "hmac/safe/route.ts"), Verdict::Warn);
}

#[test]
fn webhook_errors_scenarios() {
    let e = by_route(&webhook_errors(&cfg()));
    assert_eq!(
        verdict(&e, "orders/webhook/route.ts"),
        Verdict::Fail,
        "{e:#?}"
    );
    assert!(e["orders/webhook/route.ts"].1.contains("catch on line 9"));
    assert_eq!(verdict(&e, "unawaited/webhook/route.ts"), Verdict::Warn);
    assert_eq!(verdict(&e, "deferred/webhook/route.ts"), Verdict::Pass);
    assert!(e["deferred/webhook/route.ts"].1.contains("after()"));
    assert_eq!(verdict(&e, "stripe/webhook/route.ts"), Verdict::Pass);
}

#[test]
fn logging_scenarios() {
    let l = by_route(&logging(&cfg()));
    assert_eq!(
        verdict(&l, "resend/webhook/route.ts"),
        Verdict::Warn,
        "{l:#?}"
    );
    assert!(l["resend/webhook/route.ts"].1.contains("whole `evt`"));
    assert_eq!(
        verdict(&l, "apps/admin/pages/api/webhooks/clerk.ts"),
        Verdict::Warn
    );
    // ids and types only
    assert_eq!(verdict(&l, "stripe/webhook/route.ts"), Verdict::Pass);
}

#[test]
fn client_secrets_types_t3_env_and_workspace_packages() {
    let c = by_route(&client_secrets(&cfg()));
    assert_eq!(
        verdict(&c, "apps/web/src/components/PlanBadge.tsx"),
        Verdict::Pass,
        "{c:#?}"
    );
    let leaky = &c["apps/web/src/components/Leaky.tsx"];
    assert_eq!(leaky.0, Verdict::Fail);
    assert!(leaky.1.contains("STRIPE_SECRET_KEY"), "{}", leaky.1);
    assert!(leaky.1.contains("BILLING_API_SECRET"), "{}", leaky.1);
}
