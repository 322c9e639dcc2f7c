//! Drafts of reduced fixtures, one per pattern (fixtures/init/): they must parse as
//! manifests and carry what the repository shows.

use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/init")
        .join(name)
}

fn drafted(name: &str) -> String {
    let text = super::draft(&fixture(name));
    if let Err(e) = crate::manifest::parse_str(&text, name) {
        panic!("{name}: draft does not parse: {e}\n{text}");
    }
    text
}

fn value_line<'a>(draft: &'a str, key: &str) -> &'a str {
    draft
        .lines()
        .find(|l| l.trim_start().starts_with(key))
        .unwrap_or_else(|| panic!("no `{key}` in\n{draft}"))
}

#[test]
fn monorepo_app_drafts_its_own_routes_env_and_mail() {
    let d = drafted("monorepo");
    assert!(
        d.contains("url: https://app.monoshop.dev/api/stripe/webhook"),
        "{d}"
    );
    assert!(value_line(&d, "canonical:").contains("NEXT_PUBLIC_APP_URL in apps/web/.env.example"));
    // The outgoing-webhook CRUD route, the example app's route: not drafted.
    assert!(!d.contains("/api/webhooks/"), "{d}");
    assert_eq!(d.matches("- name:").count(), 1, "{d}");
    assert!(value_line(&d, "health:").contains("/api/health"));
    // Server env of the web app and its library package; not the docs app's.
    for v in ["STRIPE_SECRET_KEY", "RESEND_API_KEY", "INTERNAL_API"] {
        assert!(d.contains(&format!("- {v}  # read in")), "{v}\n{d}");
    }
    assert!(!d.contains("DOCS_SEARCH_INDEX"), "{d}");
    assert!(!d.contains("EXAMPLE_SECRET"), "{d}");
    assert!(value_line(&d, "domain:").contains("mail.monoshop.dev"));
    assert!(value_line(&d, "dkim_selectors:").contains("[resend]"));
    assert!(
        d.contains("    - checkout.session.completed\n    - customer.subscription.deleted\n"),
        "{d}"
    );
    assert!(value_line(&d, "ios_app_ids:").contains("TODO.dev.monoshop.app"));
    assert!(value_line(&d, "url_vars:").contains("NEXT_PUBLIC_APP_URL"));
    assert!(!value_line(&d, "url_vars:").contains("TINYBIRD"));
}

#[test]
fn pages_router_route_without_a_known_origin_is_a_placeholder() {
    let d = drafted("pages");
    assert!(
        d.contains("url: https://www.example.com/api/webhooks/stripe  # TODO"),
        "{d}"
    );
    assert!(
        value_line(&d, "canonical:").contains("TODO"),
        "http://localhost is no origin"
    );
    assert!(
        !d.contains("/api/teams/"),
        "session CRUD of outgoing webhooks: {d}"
    );
    assert!(value_line(&d, "dkim_selectors:").contains("[s1, s2]"));
    assert!(value_line(&d, "domain:").contains("pageshop.io"));
    assert!(value_line(&d, "publishable_key_env:").contains("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"));
    assert!(d.contains("    - invoice.payment_failed\n"), "{d}");
    let m = crate::manifest::parse_str(&d, "pages").unwrap();
    let fields: Vec<String> = crate::manifest::placeholders::scan(&m)
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(
        fields,
        ["web.canonical", "web.aliases[0]", "webhooks[0].url"]
    );
}

#[test]
fn base_path_prefixes_webhook_urls_and_the_sitemap_gives_the_origin() {
    let d = drafted("basepath");
    assert!(
        value_line(&d, "canonical:")
            .contains("https://www.baseshop.co  # from sitemap/robots in src/app/sitemap.ts"),
        "{d}"
    );
    assert!(
        d.contains("url: https://www.baseshop.co/store/api/webhooks/stripe"),
        "{d}"
    );
    assert!(
        d.contains("url: https://www.baseshop.co/store/api/resend/webhook"),
        "{d}"
    );
    assert!(
        d.contains("provider: generic  # detected provider: svix"),
        "{d}"
    );
    assert!(
        d.contains("secret_env: STRIPE_WEBHOOK_SIGNING_SECRET"),
        "{d}"
    );
    assert!(value_line(&d, "private_paths:").contains("[/store/api/]"));
    assert!(value_line(&d, "aliases:").contains("[baseshop.co]"));
}

#[test]
fn env_example_url_and_dynamic_routes_are_never_literal() {
    let d = drafted("envurl");
    assert!(
        value_line(&d, "canonical:")
            .contains("https://www.envshop.io  # from NEXT_PUBLIC_SITE_URL in .env.sample"),
        "{d}"
    );
    assert!(
        d.contains("url: https://www.envshop.io/api/webhooks\n"),
        "{d}"
    );
    assert!(
        !d.contains("url: https://www.envshop.io/api/inbound/["),
        "{d}"
    );
    assert!(
        d.contains("# TODO: app/api/inbound/[provider]/webhook/route.ts serves a dynamic path"),
        "{d}"
    );
    assert!(value_line(&d, "secret_key_env:").contains("STRIPE_API_KEY"));
    assert!(
        d.contains("secret_env: STRIPE_WEBHOOK_SECRET"),
        "t3 env read: {d}"
    );
    assert!(
        d.contains("    - customer.subscription.created\n    - customer.subscription.updated\n"),
        "{d}"
    );
    // No value from an env file is ever copied, only the origin of an app URL.
    assert!(!d.contains("upstash"), "{d}");
}

#[test]
fn metadata_base_gives_the_origin_and_well_known_gives_app_ids() {
    let d = drafted("metadata");
    assert!(
        value_line(&d, "canonical:")
            .contains("https://metashop.app  # from metadataBase in app/layout.tsx"),
        "{d}"
    );
    assert!(
        d.contains("url: https://metashop.app/api/stripe/webhook"),
        "{d}"
    );
    assert!(value_line(&d, "ios_app_ids:").contains("[ABCDE12345.app.metashop.ios]"));
    assert!(
        value_line(&d, "domain:").contains("metashop.app  # guess"),
        "{d}"
    );
    assert!(
        !d.contains("NEXT_PUBLIC_CHECKOUT_LINK"),
        "client code reads are not server env: {d}"
    );
    assert!(
        d.contains("- FULFILMENT_URL  # read in app/api/stripe/webhook/route.ts"),
        "{d}"
    );
}

fn draft_of(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let text = super::draft(dir.path());
    if let Err(e) = crate::manifest::parse_str(&text, "draft") {
        panic!("draft does not parse: {e}\n{text}");
    }
    text
}

#[test]
fn the_hubspot_sdk_drafts_a_crm_section_that_parses() {
    let draft = draft_of(&[(
        "package.json",
        r#"{"name": "shop", "dependencies": {"@hubspot/api-client": "^13.0.0", "stripe": "^17"}}"#,
    )]);
    assert!(
        draft.contains("crm:\n  provider: hubspot\n  token_env: HUBSPOT_TOKEN"),
        "{draft}"
    );
}

#[test]
fn hubspot_variables_in_an_env_example_name_the_token_variable() {
    let draft = draft_of(&[(
        ".env.example",
        "HUBSPOT_PORTAL_ID=\nHUBSPOT_ACCESS_TOKEN=\nSTRIPE_SECRET_KEY=\n",
    )]);
    assert!(draft.contains("token_env: HUBSPOT_ACCESS_TOKEN"), "{draft}");
}

#[test]
fn no_hubspot_no_crm_section() {
    let draft = draft_of(&[("package.json", r#"{"dependencies": {"stripe": "^17"}}"#)]);
    assert!(!draft.contains("crm:"), "{draft}");
}
