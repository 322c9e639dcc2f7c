//! env.stripe-keys, env.public-exposure and env.urls: offline checks of the resolved
//! environment. Every key is generated at run time; every test also checks that no
//! planted value reached the report.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use launch_ready::sandbox::random_token;

use crate::support::{Project, Run};

fn key(prefix: &str) -> String {
    format!("{prefix}{}", random_token(40))
}

fn audit(manifest: &str, env: &str) -> Run {
    Project::new(manifest)
        .file(".env.production", env)
        .audit(&["--offline"])
}

fn summary(run: &Run, check: &str, target: &str) -> String {
    run.result(check, target)["summary"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn assert_absent(run: &Run, planted: &[&str]) {
    for value in planted {
        assert!(
            !run.stdout.contains(value),
            "a planted value leaked:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(value),
            "a planted value leaked to stderr"
        );
    }
}

const STRIPE: &str = "version: 1\nproject: acme\nenvironment: production\nenv:\n  files: [.env.production]\nstripe:\n  secret_key_env: STRIPE_SECRET_KEY\n  publishable_key_env: NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY\nwebhooks:\n  - { name: stripe, url: 'https://www.acme.app/api/webhooks/stripe', secret_env: STRIPE_WEBHOOK_SECRET }\n";

#[test]
fn stripe_test_keys_fail_in_production() {
    let (sk, pk) = (key("sk_test_"), key("pk_test_"));
    let env = format!("STRIPE_SECRET_KEY={sk}\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={pk}\n");
    let run = audit(STRIPE, &env);
    for var in ["STRIPE_SECRET_KEY", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"] {
        assert_eq!(run.status("env.stripe-keys", var), "fail");
        assert!(summary(&run, "env.stripe-keys", var).contains("test-mode"));
    }
    let details = &run.result("env.stripe-keys", "STRIPE_SECRET_KEY")["details"];
    assert_eq!(details["mode"], "test");
    assert_eq!(details["prefix"], "sk_test_");
    assert_eq!(details["fingerprint"].as_str().unwrap().len(), 8);
    assert_eq!(
        run.status("env.stripe-keys", "STRIPE_WEBHOOK_SECRET"),
        "skip",
        "a named variable that is not set is left to env.required"
    );
    assert_absent(&run, &[&sk, &pk]);
}

#[test]
fn stripe_live_restricted_keys_pass_and_a_full_secret_key_warns() {
    let (rk, pk, wh) = (key("rk_live_"), key("pk_live_"), key("whsec_"));
    let env = format!(
        "STRIPE_SECRET_KEY={rk}\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={pk}\nSTRIPE_WEBHOOK_SECRET={wh}\n"
    );
    let run = audit(STRIPE, &env);
    for var in [
        "STRIPE_SECRET_KEY",
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ] {
        assert_eq!(run.status("env.stripe-keys", var), "pass", "{var}");
    }
    assert_absent(&run, &[&rk, &pk, &wh]);

    let sk = key("sk_live_");
    let run = audit(STRIPE, &format!("STRIPE_SECRET_KEY={sk}\n"));
    let warn = run.result("env.stripe-keys", "STRIPE_SECRET_KEY");
    assert_eq!(warn["status"], "warn");
    assert!(warn["remediation"].as_str().unwrap().contains("rk_live_"));
    assert_absent(&run, &[&sk]);
}

#[test]
fn stripe_live_and_test_keys_mixed_fail_outside_production() {
    let manifest = STRIPE.replace("environment: production", "environment: staging");
    let (sk, pk) = (key("sk_test_"), key("pk_live_"));
    let env = format!("STRIPE_SECRET_KEY={sk}\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={pk}\n");
    let run = audit(&manifest, &env);
    assert_eq!(run.status("env.stripe-keys", "STRIPE_SECRET_KEY"), "pass");
    let mixed = summary(
        &run,
        "env.stripe-keys",
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
    );
    assert!(mixed.contains("mixed"), "{mixed}");
    assert_eq!(
        run.status("env.stripe-keys", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"),
        "fail"
    );
    assert_absent(&run, &[&sk, &pk]);
}

#[test]
fn malformed_stripe_keys_fail_with_a_reason_and_no_key_characters() {
    let truncated = format!("sk_live_{}", random_token(10));
    let pasted = format!("rk_live_{}…{}", random_token(12), random_token(12));
    let env = format!(
        "STRIPE_SECRET_KEY={truncated}\nOTHER_STRIPE_KEY={pasted}\nSTRIPE_WEBHOOK_SECRET=not-a-signing-secret\n"
    );
    let run = audit(STRIPE, &env);
    let short = summary(&run, "env.stripe-keys", "STRIPE_SECRET_KEY");
    assert!(
        short.contains("malformed") && short.contains("too short"),
        "{short}"
    );
    let stray = summary(&run, "env.stripe-keys", "OTHER_STRIPE_KEY");
    assert!(stray.contains("ellipsis"), "{stray}");
    assert_eq!(
        run.result("env.stripe-keys", "STRIPE_WEBHOOK_SECRET")["summary"],
        "STRIPE_WEBHOOK_SECRET does not hold a Stripe key"
    );
    assert_absent(&run, &[&truncated, &pasted, "not-a-signing-secret"]);
}

#[test]
fn stripe_keys_in_the_wrong_variable_fail() {
    let (sk, pk) = (key("sk_live_"), key("pk_live_"));
    let env = format!("STRIPE_SECRET_KEY={pk}\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={sk}\n");
    let run = audit(STRIPE, &env);
    let exposed = run.result("env.stripe-keys", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY");
    assert_eq!(exposed["status"], "fail");
    assert!(
        exposed["remediation"]
            .as_str()
            .unwrap()
            .contains("ships to browsers")
    );
    let secret = summary(&run, "env.stripe-keys", "STRIPE_SECRET_KEY");
    assert!(
        secret.contains("publishable key; expected a secret key"),
        "{secret}"
    );
    assert_absent(&run, &[&sk, &pk]);
}

#[test]
fn stripe_keys_skip_without_any_stripe_variable() {
    let run = audit(
        "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n",
        "APP_NAME=acme\n",
    );
    assert_eq!(run.status("env.stripe-keys", "stripe"), "skip");
}

fn service_role_jwt() -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(br#"{"iss":"supabase","role":"service_role"}"#);
    format!("{header}.{payload}.{}", random_token(43))
}

#[test]
fn public_variables_holding_secrets_fail_by_kind() {
    let aws: String = format!(
        "AKIA{}",
        random_token(40)
            .to_ascii_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(16)
            .collect::<String>()
    );
    let secrets = [
        (
            "NEXT_PUBLIC_STRIPE_SECRET_KEY",
            key("sk_live_"),
            "stripe-secret-key",
        ),
        (
            "NEXT_PUBLIC_STRIPE_RK",
            key("rk_live_"),
            "stripe-restricted-key",
        ),
        ("VITE_WEBHOOK", key("whsec_"), "stripe-webhook-secret"),
        (
            "EXPO_PUBLIC_GITHUB",
            format!("ghp_{}", random_token(36)),
            "github-token",
        ),
        ("REACT_APP_AWS", aws, "aws-access-key-id"),
        (
            "NEXT_PUBLIC_SUPABASE_KEY",
            service_role_jwt(),
            "supabase-service-role",
        ),
    ];
    let fine = [
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", key("pk_live_")),
        ("NEXT_PUBLIC_APP_URL", "https://www.acme.app".to_owned()),
        (
            "NEXT_PUBLIC_FIREBASE_API_KEY",
            format!("AIza{}", random_token(35)),
        ),
        ("PUBLIC_THEME", "dark".to_owned()),
    ];
    let suspect = random_token(32);
    let mut env: String = secrets
        .iter()
        .map(|(n, v, _)| format!("{n}={v}\n"))
        .chain(fine.iter().map(|(n, v)| format!("{n}={v}\n")))
        .collect();
    env.push_str(&format!(
        "NEXT_PUBLIC_API_SECRET={suspect}\nSERVER_ONLY_SECRET={}\n",
        key("sk_live_")
    ));
    let run = audit(
        "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n",
        &env,
    );
    for (name, _, kind) in &secrets {
        let r = run.result("env.public-exposure", name);
        assert_eq!(r["status"], "fail", "{name}: {r}");
        assert_eq!(r["details"]["kind"], *kind, "{name}");
    }
    for (name, _) in &fine {
        assert_eq!(run.status("env.public-exposure", name), "pass", "{name}");
    }
    assert_eq!(
        run.status("env.public-exposure", "NEXT_PUBLIC_API_SECRET"),
        "warn"
    );
    let targets: Vec<&str> = run.report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["check"] == "env.public-exposure")
        .filter_map(|r| r["target"].as_str())
        .collect();
    assert!(
        !targets.contains(&"SERVER_ONLY_SECRET"),
        "only public variables are targets"
    );
    let mut planted: Vec<&str> = secrets.iter().map(|(_, v, _)| v.as_str()).collect();
    planted.push(&suspect);
    planted.extend(
        fine.iter()
            .filter(|(n, _)| n.contains("KEY"))
            .map(|(_, v)| v.as_str()),
    );
    assert_absent(&run, &planted);
}

#[test]
fn public_exposure_skips_without_public_variables() {
    let run = audit(
        "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n",
        "SECRET_THING=abcdefghijklmnop\n",
    );
    assert_eq!(run.status("env.public-exposure", "env"), "skip");
}

const URLS: &str = "version: 1\nproject: acme\nenvironment: production\nenv:\n  files: [.env.production]\n  url_vars: [GOOD, PLAIN_HTTP, LOCAL, ZERO, STAGING, PREVIEW, OTHER, PORT, GARBAGE, CREDS, UNSET]\nweb:\n  canonical: https://www.acme.app\n";

#[test]
fn url_variables_must_be_https_on_the_canonical_origin_in_production() {
    let password = random_token(20);
    let env = format!(
        "GOOD=https://www.acme.app/\nPLAIN_HTTP=http://www.acme.app\nLOCAL=http://localhost:3000\nZERO=https://0.0.0.0\nSTAGING=https://staging.acme.app\nPREVIEW=https://acme-git-main-acme.vercel.app\nOTHER=https://acme.io\nPORT=https://www.acme.app:8443\nGARBAGE=nope\nCREDS=https://admin:{password}@www.acme.app\n"
    );
    let run = audit(URLS, &env);
    assert_eq!(run.status("env.urls", "GOOD"), "pass");
    let expect = [
        ("PLAIN_HTTP", "not https://"),
        ("LOCAL", "local address (localhost)"),
        ("ZERO", "local address (0.0.0.0)"),
        ("STAGING", "`staging` host"),
        ("PREVIEW", "vercel.app"),
        ("OTHER", "not the canonical host www.acme.app"),
        ("PORT", "another port"),
        ("GARBAGE", "not an absolute URL"),
        ("CREDS", "embeds credentials"),
    ];
    for (var, words) in expect {
        assert_eq!(run.status("env.urls", var), "fail", "{var}");
        let s = summary(&run, "env.urls", var);
        assert!(s.contains(words), "{var}: {s}");
    }
    let unset = summary(&run, "env.urls", "UNSET");
    assert_eq!(run.status("env.urls", "UNSET"), "skip");
    assert!(unset.contains("env.required"), "{unset}");
    assert_absent(&run, &[&password]);
}

#[test]
fn url_variables_are_not_judged_outside_production() {
    let run = audit(
        &URLS.replace("environment: production", "environment: staging"),
        "LOCAL=http://localhost:3000\n",
    );
    let skip = run.result("env.urls", "env.url_vars");
    assert_eq!(skip["status"], "skip");
    assert!(skip["summary"].as_str().unwrap().contains("staging"));
}
