//! Judging variables by name and value.

use super::test_support::fake;
use super::*;

#[test]
fn secret_names() {
    for n in [
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "DATABASE_PASSWORD",
        "GITHUB_TOKEN",
        "SENTRY_DSN",
        "PRIVATE_KEY",
        "NEXTAUTH_SECRET",
        "TWILIO_AUTH_TOKEN",
        "stripeSecretKey",
        "DB_PASS",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "OPENAI_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "BASIC_AUTH",
        "resend-api-key",
        "APIKEY",
        "NEXT_PUBLIC_STRIPE_SECRET_KEY",
        "ÄÖÜ_KEYß",
    ] {
        assert!(is_secret_name(n), "{n}");
    }
    for n in [
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "VAPID_PUBLIC_KEY",
        "NEXT_PUBLIC_SUPABASE_ANON_KEY",
        "TURNSTILE_SITE_KEY",
        "RECAPTCHA_SITE_KEY",
        "MONKEY_COUNT",
        "BYPASS_CACHE",
        "AUTHOR_NAME",
        "AWS_ACCESS_KEY_ID",
        "NEXTAUTH_URL",
        "KEYBOARD_LAYOUT",
        "NODE_ENV",
        "JWT_SECRET_FILE",
        "PASSWORD_MIN_LENGTH",
        "",
        "_",
        "日本語",
    ] {
        assert!(!is_secret_name(n), "{n}");
    }
}

#[test]
fn secret_vars() {
    let prefixes: Vec<String> = ["NEXT_PUBLIC_", "EXPO_PUBLIC_", "VITE_"]
        .map(String::from)
        .into();
    let urls = vec!["NEXTAUTH_URL".to_string(), "CALLBACK_TOKEN".to_string()];
    let sv = |n: &str, v: &str| is_secret_var(n, v, &prefixes, &urls);
    let sk = format!("sk_live_{}", fake(99, 50));
    let google = format!("AIza{}", fake(35, 51));
    assert!(sv("STRIPE_SECRET_KEY", &sk));
    assert!(
        sv("NEXT_PUBLIC_STRIPE_SECRET_KEY", &sk),
        "a secret value is secret anywhere"
    );
    assert!(sv("SOME_SETTING", &sk));
    assert!(
        !sv("NEXT_PUBLIC_FIREBASE_API_KEY", &google),
        "Firebase web keys are public"
    );
    assert!(sv("GOOGLE_MAPS_SERVER_KEY", &google));
    assert!(!sv(
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
        &format!("pk_live_{}", fake(99, 52))
    ));
    assert!(
        !sv("STRIPE_KEY", &format!("pk_live_{}", fake(99, 53))),
        "publishable value"
    );
    assert!(sv("SESSION_SECRET", "a-long-random-string-here"));
    assert!(
        !sv("NEXT_PUBLIC_API_KEY", "abcdefghijklmnop"),
        "public prefix"
    );
    assert!(!sv("CALLBACK_TOKEN", "some-long-value-xyz"), "url var");
    assert!(
        !sv("AUTH_TOKEN", "https://example.com/some/path"),
        "url without credentials"
    );
    assert!(
        !sv("API_KEY", "true") && !sv("API_KEY", "123456789012345") && !sv("API_KEY", "1.5e10")
    );
    assert!(!sv("DB_PASSWORD", "short1"), "too short to be searched");
    assert!(
        !sv("APP_NAME", "a-long-random-string-here"),
        "name not secret"
    );
    assert!(sv("DATABASE_URL", "postgres://u:longpassword1@db/app"));
    assert!(!sv("DATABASE_URL", "postgres://localhost/app"));
}
