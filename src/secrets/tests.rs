//! Classification and masking. Every key below is generated; none is real.

use super::test_support::{fake, jwt, samples};
use super::*;

#[test]
fn samples_cover_every_kind_and_classify() {
    let s = samples();
    for kind in SecretKind::ALL {
        assert!(s.iter().any(|(k, _)| *k == kind), "no sample for {kind:?}");
    }
    for (kind, value) in &s {
        assert_eq!(classify_value(value), Some(*kind), "{}", mask(value));
        assert_eq!(classify_value(&format!("  \"{value}\"\n")), Some(*kind));
    }
}

#[test]
fn more_formats_classify() {
    use SecretKind::*;
    let cases = [
        (format!("sk_test_{}", fake(24, 20)), StripeSecretKey),
        (format!("rk_test_{}", fake(99, 21)), StripeRestrictedKey),
        (
            format!("github_pat_11{}_{}", fake(22, 22), fake(59, 23)),
            GithubToken,
        ),
        (format!("ghs_{}", fake(36, 24)), GithubToken),
        (
            format!("xapp-1-A0123456789-1234567890123-{}", fake(40, 25)),
            SlackToken,
        ),
        ("ASIAY34FZKBOKMUTVV7A".to_string(), AwsAccessKeyId),
        (format!("sk-{}", fake(48, 26)), OpenAiKey),
        (format!("sk-svcacct-{}", fake(60, 27)), OpenAiKey),
        (
            "pat-eu1-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".to_string(),
            HubSpotToken,
        ),
        (format!("sb_secret_{}", fake(31, 28)), SupabaseServiceRole),
        (
            format!(
                "mongodb+srv://root:{}@cluster0.abcde.mongodb.net/app",
                fake(16, 29)
            ),
            DatabaseUrlWithPassword,
        ),
        (
            format!("redis://:{}@cache.internal:6379", fake(16, 30)),
            DatabaseUrlWithPassword,
        ),
        (
            format!("mysql://u:{}@h/d?ssl=true", fake(12, 31)),
            DatabaseUrlWithPassword,
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn".to_string(),
            PemPrivateKey,
        ),
        (
            "-----BEGIN PRIVATE KEY-----\\nMIIEvQ".to_string(),
            PemPrivateKey,
        ),
    ];
    for (value, kind) in cases {
        assert_eq!(classify_value(&value), Some(kind), "{}", mask(&value));
    }
}

#[test]
fn public_and_lookalike_values_do_not_classify() {
    let not_secret = [
        format!("pk_live_{}", fake(99, 40)),
        format!("pk_test_{}", fake(99, 41)),
        format!("sb_publishable_{}", fake(31, 42)),
        jwt("anon"),
        "AC0123456789abcdef0123456789abcdef".to_string(),
        "postgres://user:password@localhost:5432/db".to_string(),
        "postgres://app:${DB_PASSWORD}@db/app".to_string(),
        "postgres://db.internal:5432/app".to_string(),
        "redis://default@cache:6379".to_string(),
        "sk-skeleton-loader-container".to_string(),
        format!("sk_live_{}", fake(10, 43)),
        "-----BEGIN CERTIFICATE-----\nMIIB".to_string(),
        "-----BEGIN PUBLIC KEY-----\nMIIB".to_string(),
        "re_render_component_with_long_name".to_string(),
        "AKIAIOSFODNN7EXAMPLEX".to_string(),
        format!("sk_live_{} trailing", fake(30, 44)),
        String::new(),
        "…".to_string(),
    ];
    for v in &not_secret {
        assert_eq!(classify_value(v), None, "{}", mask(v));
    }
}

#[test]
fn mask_shows_prefix_and_at_most_four_trailing_chars() {
    let sk = format!("sk_live_{}a1b2", fake(96, 60));
    assert_eq!(mask(&sk), "sk_live_…a1b2");
    assert_eq!(mask("sk_live_abc"), "sk_live_…");
    assert_eq!(mask("0123456789abcdefWXYZ"), "…WXYZ");
    assert_eq!(mask("0123456789abcde"), "…");
    assert_eq!(mask(""), "…");
    assert_eq!(mask("sk_live_"), "…");
    assert_eq!(
        mask("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"),
        "-----BEGIN EC PRIVATE KEY-----…"
    );
    assert_eq!(
        mask("postgres://app:hunter2hunter2@db/app"),
        "postgres://…/app"
    );
    assert_eq!(mask("éééééééééééééééééééé日本語!"), "…日本語!");
    assert_eq!(mask("0123456789abcdef\u{7}\u{7}\u{7}\u{7}"), "…");
}

#[test]
fn masked_output_never_contains_the_value() {
    let prefixes = [
        "",
        "sk_live_",
        "rk_test_",
        "whsec_",
        "ghp_",
        "xoxb-",
        "AKIA",
        "SG.",
        "re_",
        "eyJ",
        "pk_live_",
        "postgres://u:",
    ];
    let extra = ["é", "日", "🦀", " ", "\n", "_", "-", "."];
    let mut count = 0;
    for seed in 0..400u64 {
        for (pi, prefix) in prefixes.iter().enumerate() {
            let len = (seed as usize * 7 + pi) % 130;
            let mut body = fake(len, seed * 31 + pi as u64);
            if seed % 3 == 0 {
                body.push_str(extra[(seed as usize + pi) % extra.len()]);
                body.push_str(&fake(5, seed));
            }
            let value = format!("{prefix}{body}");
            let m = mask(&value);
            let trimmed = value.trim();
            if !trimmed.is_empty() {
                assert!(!m.contains(trimmed), "{m:?} reveals {trimmed:?}");
            }
            // Never more than the prefix, an ellipsis and four characters.
            assert!(
                m.chars().count() <= prefix.chars().count().max(11) + 5,
                "{m:?}"
            );
            count += 1;
        }
    }
    assert_eq!(count, 400 * prefixes.len());
}

#[test]
fn fingerprint_is_stable_short_and_distinct() {
    let a = fingerprint("sk_live_abc");
    assert_eq!(a.len(), 8);
    assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(a, fingerprint("sk_live_abc"));
    assert_ne!(a, fingerprint("sk_live_abd"));
    // sha256("") = e3b0c442…
    assert_eq!(fingerprint(""), "e3b0c442");
}

#[test]
fn known_secret_debug_is_masked() {
    let value = format!("whsec_{}", fake(32, 70));
    let k = KnownSecret {
        name: "STRIPE_WEBHOOK_SECRET".into(),
        value: value.clone(),
    };
    let dbg = format!("{k:?}");
    assert!(dbg.contains("STRIPE_WEBHOOK_SECRET") && dbg.contains("whsec_…"));
    assert!(!dbg.contains(&value[6..]));
}

#[test]
fn kinds_serialize_kebab_case_with_labels() {
    let names: Vec<String> = SecretKind::ALL
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(names.contains(&"stripe-secret-key".to_string()));
    assert!(names.contains(&"openai-key".to_string()));
    assert!(names.contains(&"hubspot-token".to_string()));
    assert!(names.contains(&"database-url-with-password".to_string()));
    assert!(
        names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
    );
    for k in SecretKind::ALL {
        assert!(!k.label().is_empty());
        assert_eq!(k.to_string(), k.label());
    }
}
