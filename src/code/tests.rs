#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use super::*;

fn fixture(name: &str) -> CodeConfig {
    CodeConfig::new(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/nextjs")
            .join(name),
    )
}

fn verdicts(findings: &[FileFinding]) -> Vec<(&str, Verdict)> {
    findings
        .iter()
        .map(|f| (f.file.as_str(), f.verdict))
        .collect()
}

#[test]
fn good_app() {
    let cfg = fixture("good-app");
    let route = "app/api/webhooks/stripe/route.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Pass)], "{v:#?}");
    assert_eq!(
        v[0].details["verification"]["call"],
        "stripe.webhooks.constructEvent"
    );
    assert_eq!(v[0].details["verification"]["line"], 15);
    assert_eq!(v[0].details["raw_body_read"], "req.text");
    let i = webhook_idempotency(&cfg);
    assert_eq!(verdicts(&i), [(route, Verdict::Pass)], "{i:#?}");
    assert_eq!(
        i[0].details["stored_by"]["call"],
        "prisma.processedEvent.findUnique"
    );
    let c = client_secrets(&cfg);
    assert_eq!(
        verdicts(&c),
        [("components/CheckoutButton.tsx", Verdict::Pass)],
        "{c:#?}"
    );
    // followed the `@/` alias, stopped at the 'use server' module
    assert_eq!(c[0].details["modules_checked"], 3);
    let notes = c[0].details["notes"].to_string();
    assert!(notes.contains("app/actions.ts: 'use server'"), "{notes}");
    assert_eq!(find_webhook_routes(&cfg), [cfg.root.join(route)]);
}

#[test]
fn bad_app_router() {
    let cfg = fixture("bad-app-router");
    let route = "app/api/webhooks/stripe/route.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Fail)], "{v:#?}");
    assert!(v[0].summary.contains("never verifies"), "{}", v[0].summary);
    assert!(v[0].remediation.is_some());
    let i = webhook_idempotency(&cfg);
    assert_eq!(verdicts(&i), [(route, Verdict::Warn)], "{i:#?}");
    let c = client_secrets(&cfg);
    assert_eq!(
        verdicts(&c),
        [
            ("app/components/Banner.tsx", Verdict::Fail),
            ("app/components/Pricing.tsx", Verdict::Fail)
        ],
        "{c:#?}"
    );
    let pricing = &c[1].details["violations"];
    assert_eq!(pricing.as_array().unwrap().len(), 1, "{pricing}");
    assert_eq!(pricing[0]["variable"], "STRIPE_SECRET_KEY");
    assert_eq!(pricing[0]["file"], "lib/config.ts");
    assert_eq!(pricing[0]["line"], 2);
    assert_eq!(
        pricing[0]["import_chain"],
        serde_json::json!(["app/components/Pricing.tsx", "lib/config.ts"])
    );
    let banner: Vec<&str> = c[0].details["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["variable"].as_str().unwrap())
        .collect();
    assert_eq!(banner, ["ADMIN_TOKEN", "INTERNAL_API_URL"]);
    assert!(c[0].summary.contains("ADMIN_TOKEN"), "{}", c[0].summary);
    // no secret value, only names
    assert!(!serde_json::to_string(&c).unwrap().contains("sk_"));
}

#[test]
fn bad_json_before_verify() {
    let cfg = fixture("bad-json-before-verify");
    let route = "src/app/api/stripe/webhook/route.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Fail)], "{v:#?}");
    assert_eq!(v[0].details["body_parsed"]["call"], "request.json");
    assert_eq!(v[0].details["body_parsed"]["line"], 7);
    // JSON.stringify(await request.json()) is the raw-body problem, named as such.
    assert!(
        v[0].summary.contains("raw-body problem"),
        "{}",
        v[0].summary
    );
    assert!(v[0].summary.contains("re-serialised"), "{}", v[0].summary);
    assert_eq!(v[0].details["reserialised_body_line"], 10);
    assert_eq!(
        verdicts(&webhook_idempotency(&cfg)),
        [(route, Verdict::Warn)]
    );
    assert!(client_secrets(&cfg).is_empty());
}

#[test]
fn pages_router_good() {
    let cfg = fixture("pages-router-good");
    let route = "pages/api/webhooks/stripe.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Pass)], "{v:#?}");
    assert_eq!(v[0].details["body_parser_disabled"], true);
    assert_eq!(v[0].details["raw_body_read"], "buffer");
    let i = webhook_idempotency(&cfg);
    assert_eq!(verdicts(&i), [(route, Verdict::Pass)], "{i:#?}");
}

#[test]
fn pages_router_no_bodyparser() {
    let cfg = fixture("pages-router-no-bodyparser");
    let route = "src/pages/api/stripe-webhook.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Fail)], "{v:#?}");
    // JSON.stringify(req.body): the body Next.js already parsed, re-serialised.
    assert!(v[0].summary.contains("re-serialised"), "{}", v[0].summary);
    assert_eq!(
        verdicts(&webhook_idempotency(&cfg)),
        [(route, Verdict::Warn)]
    );
}

#[test]
fn comment_trap() {
    let cfg = fixture("comment-trap");
    let route = "app/api/webhook/route.ts";
    let v = webhook_verification(&cfg);
    assert_eq!(verdicts(&v), [(route, Verdict::Fail)], "{v:#?}");
    assert!(v[0].details["verification"].is_null());
    assert_eq!(
        verdicts(&webhook_idempotency(&cfg)),
        [(route, Verdict::Warn)]
    );
}
