use super::keys::{KeyProblem, StripeKeyKind, StripeMode, parse_key};
use super::*;

/// Deterministic fake key material (xorshift), so tests never contain real keys.
fn fake(len: usize, seed: u64) -> String {
    const CS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            char::from(CS[(s % CS.len() as u64) as usize])
        })
        .collect()
}

#[test]
fn parses_every_prefix_with_kind_and_mode() {
    let cases = [
        ("sk_live_", StripeKeyKind::Secret, Some(StripeMode::Live)),
        ("sk_test_", StripeKeyKind::Secret, Some(StripeMode::Test)),
        (
            "rk_live_",
            StripeKeyKind::Restricted,
            Some(StripeMode::Live),
        ),
        (
            "rk_test_",
            StripeKeyKind::Restricted,
            Some(StripeMode::Test),
        ),
        (
            "pk_live_",
            StripeKeyKind::Publishable,
            Some(StripeMode::Live),
        ),
        (
            "pk_test_",
            StripeKeyKind::Publishable,
            Some(StripeMode::Test),
        ),
        ("whsec_", StripeKeyKind::WebhookSecret, None),
    ];
    for (i, (prefix, kind, mode)) in cases.into_iter().enumerate() {
        let key = parse_key(&format!("{prefix}{}", fake(99, i as u64))).unwrap();
        assert_eq!(
            (key.kind, key.mode, key.problem.clone()),
            (kind, mode, None),
            "{prefix}"
        );
        assert_eq!(key.prefix(), prefix);
        assert_eq!(key.is_live(), mode == Some(StripeMode::Live));
    }
    assert!(
        parse_key("whsec_AbC+/dEf0123456789xyzXYZ==")
            .unwrap()
            .is_well_formed()
    );
}

#[test]
fn not_stripe_keys() {
    for v in [
        "",
        "sk-proj-abc",
        "sk_prod_abcdef",
        "pk_",
        "live_sk_x",
        "whsec",
        "  ",
    ] {
        assert_eq!(parse_key(v), None, "{v:?}");
    }
}

#[test]
fn reports_why_a_key_is_malformed() {
    let body = fake(99, 7);
    let problem = |v: String| parse_key(&v).unwrap().problem;
    assert_eq!(
        problem(format!("\"sk_live_{body}\"")),
        Some(KeyProblem::Quoted)
    );
    assert_eq!(
        problem(format!("'rk_live_{body}'")),
        Some(KeyProblem::Quoted)
    );
    assert_eq!(
        problem(format!("sk_live_{body}\n")),
        Some(KeyProblem::SurroundingWhitespace)
    );
    assert_eq!(
        problem(format!("sk_live_{} {}", &body[..10], &body[10..])),
        Some(KeyProblem::InnerWhitespace { position: 18 })
    );
    assert_eq!(
        problem("sk_live_abc123".to_string()),
        Some(KeyProblem::Truncated { have: 6, need: 24 })
    );
    assert!(matches!(
        problem(format!("sk_live_{}…", &body[..20])),
        Some(KeyProblem::InvalidCharacter { position: 28, .. })
    ));
    assert!(matches!(
        problem(format!("sk_test_{}-x", body)),
        Some(KeyProblem::InvalidCharacter { .. })
    ));
    assert!(matches!(
        problem(format!("sk_live_{}", fake(300, 3))),
        Some(KeyProblem::TooLong { max: 255, .. })
    ));
}

#[test]
fn key_problem_messages_do_not_echo_the_key() {
    let body = fake(40, 11);
    for v in [
        format!("\"sk_live_{body}\""),
        format!("sk_live_{body}é"),
        format!("sk_live_{}", &body[..12]),
        format!("whsec_{body}!"),
    ] {
        let msg = parse_key(&v).unwrap().problem.unwrap().to_string();
        assert!(!msg.contains(&body[..12]), "{msg}");
    }
}

#[test]
fn probe_event_is_a_plausible_stripe_event() {
    let e = probe_event(1_700_000_000, "abc123");
    assert_eq!(e["id"], "evt_launchready_probe_abc123");
    assert_eq!(e["object"], "event");
    assert_eq!(e["type"], PROBE_EVENT_TYPE);
    assert_eq!(e["created"], 1_700_000_000);
    assert_eq!(e["livemode"], false);
    assert_eq!(e["pending_webhooks"], 1);
    assert!(e["request"]["id"].is_null() && e["request"]["idempotency_key"].is_null());
    assert_eq!(e["api_version"], PROBE_API_VERSION);
    let obj = &e["data"]["object"];
    assert!(obj["id"].as_str().unwrap().ends_with("abc123"));
    assert!(
        obj["description"]
            .as_str()
            .unwrap()
            .contains("launch-ready probe")
    );
    // Stripe's own key order (id, object first) survives serialisation.
    let body = String::from_utf8(probe_body(1, "n")).unwrap();
    assert!(body.starts_with("{\n  \"id\": \"evt_launchready_probe_n\",\n  \"object\": \"event\""));
}

#[test]
fn probe_nonce_is_sanitised_and_body_signs() {
    let e = probe_event(5, "a\"b/c d\u{e9}_9");
    assert_eq!(e["id"], "evt_launchready_probe_abcd_9");
    let body = probe_body(5, "x");
    let h = signature::header("whsec_probe", 5, &body);
    assert_eq!(signature::verify(&h, &body, "whsec_probe", 5, 300), Ok(()));
}
