//! code.* checks driving the binary on the Next.js fixtures (offline).

use crate::support::{Project, Run};

fn audit_fixture(name: &str) -> Run {
    let root = format!("{}/fixtures/nextjs/{name}", env!("CARGO_MANIFEST_DIR"));
    Project::new(&format!(
        "version: 1\nproject: acme\ncode:\n  root: {root}\n"
    ))
    .audit(&["--offline", "--only", "code.*"])
}

#[test]
fn a_correct_app_router_webhook_and_client_pass() {
    let run = audit_fixture("good-app");
    let route = "app/api/webhooks/stripe/route.ts";
    assert_eq!(run.status("code.webhook-verification", route), "pass");
    assert_eq!(run.status("code.webhook-idempotency", route), "pass");
    assert_eq!(
        run.status("code.client-secrets", "components/CheckoutButton.tsx"),
        "pass"
    );
    assert_eq!(run.code, 0);
}

#[test]
fn unverified_webhook_and_client_secret_reads_fail() {
    let run = audit_fixture("bad-app-router");
    let route = "app/api/webhooks/stripe/route.ts";
    assert_eq!(run.status("code.webhook-verification", route), "fail");
    assert_eq!(
        run.status("code.webhook-idempotency", route),
        "warn",
        "warn level, never fail"
    );
    let pricing = run.result("code.client-secrets", "app/components/Pricing.tsx");
    assert_eq!(pricing["status"], "fail");
    assert!(
        pricing.to_string().contains("STRIPE_SECRET_KEY"),
        "{pricing}"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn json_before_verification_and_missing_body_parser_fail() {
    let run = audit_fixture("bad-json-before-verify");
    assert_eq!(
        run.status(
            "code.webhook-verification",
            "src/app/api/stripe/webhook/route.ts"
        ),
        "fail"
    );
    let run = audit_fixture("pages-router-no-bodyparser");
    assert_eq!(
        run.status(
            "code.webhook-verification",
            "src/pages/api/stripe-webhook.ts"
        ),
        "fail"
    );
    let run = audit_fixture("pages-router-good");
    assert_eq!(
        run.status("code.webhook-verification", "pages/api/webhooks/stripe.ts"),
        "pass"
    );
}

#[test]
fn a_verifier_named_only_in_comments_does_not_count() {
    let run = audit_fixture("comment-trap");
    assert_eq!(
        run.status("code.webhook-verification", "app/api/webhook/route.ts"),
        "fail"
    );
}

#[test]
fn an_unparsable_route_is_an_error_not_a_pass() {
    let project = Project::new("version: 1\nproject: acme\ncode:\n  root: repo\n")
        .file(
            "repo/app/api/webhooks/stripe/route.ts",
            "export async function POST( {{{ constructEvent",
        )
        .file("repo/package.json", "{}");
    let run = project.audit(&["--offline", "--only", "code.webhook-verification"]);
    assert_eq!(
        run.status(
            "code.webhook-verification",
            "app/api/webhooks/stripe/route.ts"
        ),
        "error"
    );
}

#[test]
fn missing_code_root_and_empty_repos_are_skipped_with_the_reason() {
    let run = Project::new("version: 1\nproject: acme\ncode:\n  root: nowhere\n").audit(&[
        "--offline",
        "--only",
        "code.*",
    ]);
    let r = run.result("code.webhook-verification", "nowhere");
    assert_eq!(r["status"], "skip");
    assert!(r["summary"].as_str().unwrap().contains("not a directory"));
    let run = Project::new("version: 1\nproject: acme\ncode:\n  root: .\n").audit(&[
        "--offline",
        "--only",
        "code.*",
    ]);
    assert_eq!(run.status("code.client-secrets", "."), "skip");
}
