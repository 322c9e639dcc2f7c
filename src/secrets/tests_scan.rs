//! Scanning text: coverage, false positives, known values, size and slicing safety.

use super::test_support::{fake, jwt, samples};
use super::*;

fn kinds(matches: &[SecretMatch]) -> Vec<SecretKind> {
    matches
        .iter()
        .filter_map(|m| match m.kind {
            MatchKind::Pattern(k) => Some(k),
            MatchKind::EnvValue { .. } => None,
        })
        .collect()
}

/// Minified-bundle-like text embedding each sample in a different syntactic spot.
fn bundle(samples: &[(SecretKind, String)]) -> String {
    let mut text = String::from("!function(){\"use strict\";var e={};");
    for (i, (_, v)) in samples.iter().enumerate() {
        let escaped = v.replace('\n', "\\n");
        match i % 4 {
            0 => text.push_str(&format!("e.k{i}=\"{escaped}\";")),
            1 => text.push_str(&format!(
                "fetch(u,{{headers:{{Authorization:`Bearer {escaped}`}}}});"
            )),
            2 => text.push_str(&format!("const c{i}='{escaped}',n=1;")),
            _ => text.push_str(&format!("{{\"cfg\":{{\"v\":\"{escaped}\"}}}}\n")),
        }
    }
    text.push_str("}();");
    text
}

#[test]
fn every_kind_is_found_in_a_bundle_at_the_right_offset() {
    let s = samples();
    let text = bundle(&s);
    let found = scan_text(&text, &[]);
    assert_eq!(kinds(&found), s.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    for (m, (_, v)) in found.iter().zip(&s) {
        let first_line = v.lines().next().unwrap();
        assert!(text[m.offset..].starts_with(first_line), "{:?}", m.kind);
        // A PEM armour line is shown on purpose; its key material is not.
        let secret_part = v.lines().nth(1).unwrap_or(first_line);
        assert!(!m.masked.contains(secret_part), "{:?}", m.masked);
    }
}

#[test]
fn public_keys_and_lookalikes_are_not_flagged() {
    let text = format!(
        "var a=\"pk_live_{}\",b='pk_test_{}',c=\"{}\",d=\"sb_publishable_{}\";\
         var disk_live_x=\"disk_live_{}\";e.className=\"sk-skeleton-loader\";\
         var f=\"AC0123456789abcdef0123456789abcdef\";g=\"postgres://user:password@localhost/db\";\
         h=\"postgres://localhost/app\";i=\"XAKIAIOSFODNN7EXAMPLE\";j=\"re_render_component_tree_now\";",
        fake(99, 1),
        fake(99, 2),
        jwt("anon"),
        fake(31, 3),
        fake(40, 4),
    );
    assert_eq!(scan_text(&text, &[]), Vec::new());
}

#[test]
fn known_values_are_found_literally_and_take_precedence() {
    let sk = format!("sk_live_{}", fake(99, 5));
    let session = format!("s3ss10n-{}", fake(30, 6));
    let known = vec![
        KnownSecret {
            name: "STRIPE_SECRET_KEY".into(),
            value: sk.clone(),
        },
        KnownSecret {
            name: "SESSION_SECRET".into(),
            value: format!("  {session}\n"),
        },
        KnownSecret {
            name: "SHORT".into(),
            value: "hunter2".into(),
        },
    ];
    let text = format!("x=\"{sk}\";y=\"{session}\";z=\"hunter2\";w=\"{session}\"");
    let found = scan_text(&text, &known);
    let vars: Vec<_> = found
        .iter()
        .map(|m| match &m.kind {
            MatchKind::EnvValue { var } => var.as_str(),
            MatchKind::Pattern(_) => "pattern",
        })
        .collect();
    // The Stripe key is reported once, as the variable; short values are not searched.
    assert_eq!(
        vars,
        ["STRIPE_SECRET_KEY", "SESSION_SECRET", "SESSION_SECRET"]
    );
    assert_eq!(found[0].offset, 3);
    assert_eq!(found[0].masked, mask(&sk));
    for m in &found {
        assert!(!m.masked.contains(&sk) && !m.masked.contains(&session));
    }
    let json = serde_json::to_string(&found).unwrap();
    assert!(!json.contains(&sk[8..]) && !json.contains(&session));
    assert!(json.contains("\"env-value\":{\"var\":\"SESSION_SECRET\"}"));
}

#[test]
fn multiline_pem_value_is_found_in_its_escaped_form() {
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\nMIIEvQ{}\n-----END PRIVATE KEY-----",
        fake(64, 7)
    );
    let known = [KnownSecret {
        name: "JWT_PRIVATE_KEY".into(),
        value: pem.clone(),
    }];
    let text = format!("const k=\"{}\";", pem.replace('\n', "\\n"));
    let found = scan_text(&text, &known);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].kind,
        MatchKind::EnvValue {
            var: "JWT_PRIVATE_KEY".into()
        }
    );
    assert_eq!(found[0].masked, "-----BEGIN PRIVATE KEY-----…");
}

#[test]
fn five_megabyte_bundle_scans_completely() {
    let chunk = "function(e,t,n){\"use strict\";var r=n(42),o=\"sk-\"+e.id;return{a:\"AIzaSy\",b:'eyJhbGciOi',c:\"postgres://\"+t}}\n";
    let mut text = String::with_capacity(5 * 1024 * 1024 + 512);
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(chunk);
    }
    let sk = format!("sk_live_{}", fake(99, 8));
    text.push_str(&format!("var late=\"{sk}\";"));
    let known = [KnownSecret {
        name: "STRIPE_SECRET_KEY".into(),
        value: sk.clone(),
    }];
    let found = scan_text(&text, &known);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].offset, text.len() - sk.len() - 2);
}

#[test]
fn pathological_repetitions_stay_bounded() {
    let sk = format!("sk_live_{}", fake(30, 9));
    let text = format!("{sk} ").repeat(5000);
    let found = scan_text(&text, &[]);
    assert_eq!(found.len(), MAX_MATCHES);
    for adversarial in [
        ".eyJ",
        "postgres://",
        "-----BEGIN ",
        "hooks.slack.com/services/",
        "sk_live_",
    ] {
        assert!(
            scan_text(&adversarial.repeat(100_000), &[]).is_empty(),
            "{adversarial}"
        );
    }
}

#[test]
fn multibyte_text_around_and_inside_candidates_is_safe() {
    let s = samples();
    let mut text = String::new();
    for (_, v) in &s {
        text.push_str("日本語é🦀");
        text.push_str(&v.replace('\n', "\\n"));
        text.push('…');
    }
    let found = scan_text(&text, &[]);
    assert_eq!(found.len(), s.len());
    for m in &found {
        assert!(text.is_char_boundary(m.offset));
    }
    // Prefixes cut short by multibyte characters, in every combination.
    let parts = [
        "sk_live_",
        "whsec_",
        "eyJ",
        "-----BEGIN ",
        "PRIVATE KEY",
        "-----",
        "postgres://",
        "u:p",
        "@",
        "AKIA",
        "SG.",
        "pat-na1-",
        "hooks.slack.com/services/",
        "T1/B2/",
        "é",
        "日",
        "🦀",
        "…",
        "Aa0bC",
        "\\n",
        ".",
        "-",
        "_",
        " ",
    ];
    let mut seed = 0x1234_5678_u64;
    for _ in 0..3000 {
        let mut t = String::new();
        for _ in 0..(seed % 40) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            t.push_str(parts[(seed % parts.len() as u64) as usize]);
        }
        let known = [KnownSecret {
            name: "X".into(),
            value: t.chars().take(12).collect(),
        }];
        for m in scan_text(&t, &known) {
            assert!(t.is_char_boundary(m.offset));
        }
        let _ = classify_value(&t);
        let _ = mask(&t);
        let _ = crate::stripe::keys::parse_key(&t);
    }
}
