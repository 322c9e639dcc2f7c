//! Vercel against the sandbox: `vercel.env-targets` and the env checks with
//! `env.source: platform`, on a Vercel API fake with Vercel's shapes, pagination,
//! team scoping and scripted misbehaviour.

use launch_ready::sandbox::api_fake::{Fault, RequestLog, Rule};
use launch_ready::sandbox::random_token;
use launch_ready::sandbox::vercel_fake::{FakeEnv, VercelFake};
use launch_ready::sandbox::{World, Zones};

use crate::support::{Project, Run};

const CHECK: &str = "vercel.env-targets";
const PROJECT: &str = "acme-web";
const TEAM: &str = "team_Acme7hQ2kLm9";
const ALLOW: [&str; 2] = ["--allow-api-base", "https://api.vercel.sandbox"];
const PROD: &[&str] = &["production"];
const PREVIEW_DEV: &[&str] = &["preview", "development"];
const ALL: &[&str] = &["production", "preview", "development"];

fn live(prefix: &str) -> String {
    format!("{prefix}_live_51Hq{}", random_token(40))
}
fn test_key(prefix: &str) -> String {
    format!("{prefix}_test_51Hq{}", random_token(40))
}

fn manifest(source: &str) -> String {
    format!(
        "version: 1\nproject: acme\nenv:\n  source: {source}\n  files: [.env]\n  required: [STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, DATABASE_URL]\n  url_vars: [NEXT_PUBLIC_APP_URL]\nweb:\n  canonical: https://www.acme.app\nstripe:\n  secret_key_env: STRIPE_SECRET_KEY\n  publishable_key_env: NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY\nplatform:\n  provider: vercel\n  project: {PROJECT}\n  team_id: {TEAM}\n  api_base: https://api.vercel.sandbox\n"
    )
}

/// A project set up as it should be.
fn good_envs() -> Vec<FakeEnv> {
    vec![
        FakeEnv::sensitive("STRIPE_SECRET_KEY", &live("rk"), PROD),
        FakeEnv::encrypted("STRIPE_SECRET_KEY", &test_key("sk"), PREVIEW_DEV),
        FakeEnv::sensitive(
            "STRIPE_WEBHOOK_SECRET",
            &format!("whsec_{}", random_token(32)),
            PROD,
        ),
        FakeEnv::encrypted(
            "DATABASE_URL",
            &format!(
                "postgres://app:{}@db.acme.internal:5432/app",
                random_token(20)
            ),
            PROD,
        ),
        FakeEnv::plain("NEXT_PUBLIC_APP_URL", "https://www.acme.app", PROD),
        FakeEnv::plain("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", &live("pk"), PROD),
        FakeEnv::plain(
            "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
            &test_key("pk"),
            PREVIEW_DEV,
        ),
        FakeEnv::new("VERCEL_URL", "", "system", ALL),
    ]
}

fn fake(envs: Vec<FakeEnv>) -> VercelFake {
    VercelFake::new(PROJECT).team(TEAM).envs(envs)
}

fn audit_with(source: &str, fake: VercelFake, dotenv: &str, args: &[&str]) -> (Run, String) {
    let token = random_token(24);
    let fake = fake.with_token(&token);
    let args: Vec<&str> = args.iter().copied().chain(ALLOW).collect();
    let run = Project::new(&manifest(source))
        .file(".env", &format!("VERCEL_TOKEN={token}\n{dotenv}"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![fake.site()],
        })
        .audit(&args);
    (run, token)
}

fn audit(fake: VercelFake) -> Run {
    audit_with("dotenv", fake, "", &["--only", CHECK]).0
}

fn problems(run: &Run) -> String {
    run.result(CHECK, PROJECT)["details"]["findings"].to_string()
}

#[test]
fn a_well_set_project_passes_and_sensitive_values_are_noted() {
    let run = audit(fake(good_envs()));
    let result = run.result(CHECK, PROJECT);
    assert_eq!(result["status"], "pass", "{}", run.stdout);
    assert_eq!(result["details"]["variables"], 8);
    let sensitive = result["details"]["sensitive"].to_string();
    assert!(
        sensitive.contains("STRIPE_SECRET_KEY") && sensitive.contains("good practice"),
        "{sensitive}"
    );
}

#[test]
fn each_failure_class_is_found() {
    let cases: Vec<(FakeEnv, &str, &str)> = vec![
        (
            FakeEnv::encrypted("STRIPE_SECRET_KEY", &live("sk"), &["preview"]),
            "fail",
            "live Stripe key (sk_live_) in the preview target",
        ),
        (
            FakeEnv::encrypted("STRIPE_RESTRICTED_KEY", &live("rk"), &["development"]),
            "fail",
            "live Stripe key (rk_live_) in the development target",
        ),
        (
            FakeEnv::plain("NEXT_PUBLIC_STRIPE_KEY", &test_key("pk"), PROD),
            "fail",
            "test-mode Stripe key (pk_test_) in production",
        ),
        (
            FakeEnv::encrypted("NEXT_PUBLIC_STRIPE_SECRET", &live("sk"), PROD),
            "fail",
            "public-prefixed variable holds a Stripe secret key",
        ),
        (
            FakeEnv::plain("SESSION_SECRET", &random_token(40), PROD),
            "warn",
            "secret stored as `plain`",
        ),
        (
            FakeEnv::plain(
                "STRIPE_WEBHOOK_SIGNING",
                &format!("whsec_{}", random_token(32)),
                PROD,
            ),
            "warn",
            "secret stored as `plain`",
        ),
    ];
    for (env, status, problem) in cases {
        let run = audit(fake(good_envs()).env(env));
        assert_eq!(
            run.status(CHECK, PROJECT),
            status,
            "{problem}: {}",
            run.stdout
        );
        assert!(
            problems(&run).contains(problem),
            "{problem}: {}",
            problems(&run)
        );
    }
    // A required variable only in preview, or only for one branch, is missing from production.
    let mut envs = good_envs();
    envs.retain(|e| e.key != "DATABASE_URL");
    envs.push(FakeEnv::encrypted(
        "DATABASE_URL",
        "postgres://localhost/app",
        &["preview"],
    ));
    envs.push(
        FakeEnv::encrypted("DATABASE_URL", "postgres://localhost/app", &["preview"]).branch("main"),
    );
    let run = audit(fake(envs));
    assert_eq!(run.status(CHECK, PROJECT), "fail", "{}", run.stdout);
    assert!(problems(&run).contains("missing from the production target"));
}

#[test]
fn env_checks_read_the_production_target_with_env_source_platform() {
    let mut envs = good_envs();
    envs.retain(|e| e.key != "DATABASE_URL" && e.key != "NEXT_PUBLIC_APP_URL");
    envs.push(FakeEnv::plain(
        "NEXT_PUBLIC_APP_URL",
        "https://acme-web-git-main-acme.vercel.app",
        PROD,
    ));
    envs.push(FakeEnv::encrypted("NEXT_PUBLIC_ADMIN_TOKEN", &live("sk"), PROD).lookup_only());
    envs.push(FakeEnv::encrypted(
        "STRIPE_PRICE_KEY",
        &test_key("sk"),
        PROD,
    ));
    // The dotenv file says otherwise: its values must not be the ones audited.
    let dotenv =
        "DATABASE_URL=postgres://localhost/app\nNEXT_PUBLIC_APP_URL=https://www.acme.app\n";
    let log = RequestLog::new();
    let (run, _) = audit_with(
        "platform",
        fake(envs).page_size(3).log_to(&log),
        dotenv,
        &["--only", "env.*"],
    );
    let required = run.result("env.required", "DATABASE_URL");
    assert_eq!(required["status"], "fail", "{}", run.stdout);
    assert!(
        required["remediation"]
            .as_str()
            .unwrap()
            .contains("Vercel project acme-web")
    );
    // Sensitive: present for env.required, value judgement skipped elsewhere.
    assert_eq!(run.status("env.required", "STRIPE_SECRET_KEY"), "pass");
    let keys = run.result("env.stripe-keys", "STRIPE_SECRET_KEY");
    assert_eq!(keys["status"], "skip", "{keys}");
    assert_eq!(
        keys["details"]["value_judgement"],
        "stored as sensitive: good practice"
    );
    assert_eq!(run.status("env.stripe-keys", "STRIPE_PRICE_KEY"), "fail");
    assert_eq!(run.status("env.urls", "NEXT_PUBLIC_APP_URL"), "fail");
    assert_eq!(
        run.status("env.stripe-keys", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"),
        "pass"
    );
    // Decrypted one by one where the listing did not.
    assert_eq!(
        run.status("env.public-exposure", "NEXT_PUBLIC_ADMIN_TOKEN"),
        "fail"
    );
    assert!(
        log.requests()
            .iter()
            .any(|r| r.path.starts_with("/v1/projects/"))
    );
    // Paged with `until`, the team named on every request.
    assert!(
        log.requests()
            .iter()
            .filter(|r| r.query_param("until").is_some())
            .count()
            >= 2
    );
    assert!(
        log.requests()
            .iter()
            .all(|r| r.query_param("teamId").as_deref() == Some(TEAM))
    );
    // Fetched once for all the checks.
    assert_eq!(
        log.requests()
            .iter()
            .filter(|r| r.path.starts_with("/v9/"))
            .count(),
        1
    );
}

#[test]
fn provider_misbehaviour_is_an_error_never_a_pass() {
    let faults: Vec<(VercelFake, &str)> = vec![
        (
            fake(good_envs()).fault(Rule::new(Fault::status(401))),
            "401",
        ),
        (
            fake(good_envs()).without_env_access(),
            "environment variables",
        ),
        (
            fake(good_envs()).fault(Rule::new(Fault::status(503))),
            "503",
        ),
        (
            fake(good_envs()).fault(Rule::new(Fault::Garbage)),
            "not JSON",
        ),
        (
            fake(good_envs()).fault(Rule::new(Fault::Slow(std::time::Duration::from_secs(6)))),
            "",
        ),
        (
            VercelFake::new(PROJECT)
                .envs(good_envs())
                .team("team_Other"),
            "not found",
        ),
        (
            fake(good_envs()).hidden_production(2),
            "hides 2 production variable(s)",
        ),
    ];
    for (fake, words) in faults {
        let (run, token) = audit_with(
            "platform",
            fake,
            "",
            &["--only", CHECK, "--only", "env.required"],
        );
        let result = run.result(CHECK, PROJECT);
        assert_eq!(result["status"], "error", "{words}: {}", run.stdout);
        assert!(result.to_string().contains(words), "{words}: {result}");
        assert_eq!(
            run.status("env.required", "DATABASE_URL"),
            "error",
            "{words}"
        );
        assert!(!run.stdout.contains(&token) && !run.stderr.contains(&token));
    }
}

#[test]
fn a_wrong_token_is_refused_with_403_as_vercel_does_and_named_never_shown() {
    let token = random_token(24);
    let vercel = fake(good_envs()).with_token(&random_token(24));
    let run = Project::new(&manifest("dotenv"))
        .file(".env", &format!("VERCEL_TOKEN={token}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![vercel.site()],
        })
        .audit(&["--only", CHECK, ALLOW[0], ALLOW[1]]);
    let result = run.result(CHECK, PROJECT);
    assert_eq!(result["status"], "error", "{}", run.stdout);
    let text = result.to_string();
    assert!(
        text.contains("VERCEL_TOKEN") && text.contains("invalid or expired"),
        "{text}"
    );
    assert!(text.contains("Not authorized"), "{text}");
    assert!(!run.stdout.contains(&token));
}

#[test]
fn rate_limits_and_transient_failures_are_retried_into_a_verdict() {
    let limited = fake(good_envs()).fault(
        Rule::new(Fault::RateLimited {
            retry_after_secs: 1,
        })
        .times(1),
    );
    assert_eq!(audit(limited).status(CHECK, PROJECT), "pass");
    let flaky = fake(good_envs())
        .env(FakeEnv::encrypted(
            "STRIPE_SECRET_KEY",
            &live("sk"),
            &["preview"],
        ))
        .fault(Rule::new(Fault::status(502)).on("/v10/projects/*").times(1));
    assert_eq!(audit(flaky).status(CHECK, PROJECT), "fail");
}

#[test]
fn without_a_token_or_section_it_skips_and_a_foreign_base_never_gets_the_token() {
    let run =
        Project::new(&manifest("platform")).audit(&["--only", CHECK, "--only", "env.required"]);
    assert_eq!(run.status(CHECK, PROJECT), "skip", "{}", run.stdout);
    assert_eq!(run.status("env.required", "DATABASE_URL"), "skip");
    let run =
        Project::new(&manifest("platform")).audit(&["--only", "env.public-exposure", "--offline"]);
    assert_eq!(
        run.status("env.public-exposure", PROJECT),
        "skip",
        "{}",
        run.stdout
    );
    let bare = "version: 1\nproject: acme\n";
    assert_eq!(
        Project::new(bare)
            .audit(&["--only", CHECK])
            .status(CHECK, "platform"),
        "skip"
    );
    let orphan = "version: 1\nproject: acme\nenv:\n  source: platform\n";
    let run = Project::new(orphan).audit(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("platform"), "{}", run.stderr);

    let log = RequestLog::new();
    let token = random_token(24);
    let evil = fake(good_envs())
        .with_token(&token)
        .host("vercel.evil.sandbox")
        .log_to(&log);
    let run =
        Project::new(&manifest("dotenv").replace("api.vercel.sandbox", "vercel.evil.sandbox"))
            .file(".env", &format!("VERCEL_TOKEN={token}\n"))
            .world(move || World {
                zones: Zones::new(),
                sites: vec![evil.site()],
            })
            .audit(&["--only", CHECK]);
    let result = run.result(CHECK, PROJECT);
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        result["summary"]
            .as_str()
            .unwrap()
            .contains("--allow-api-base")
    );
    assert_eq!(log.count(), 0, "a request reached the foreign base");

    // VERCEL_API_BASE from the environment overrides the manifest and is trusted.
    let token = random_token(24);
    let good = fake(good_envs()).with_token(&token);
    let run =
        Project::new(&manifest("dotenv").replace("api.vercel.sandbox", "vercel.evil.sandbox"))
            .file(
                ".env",
                &format!("VERCEL_TOKEN={token}\nVERCEL_API_BASE=https://api.vercel.sandbox\n"),
            )
            .world(move || World {
                zones: Zones::new(),
                sites: vec![good.site()],
            })
            .audit(&["--only", CHECK]);
    assert_eq!(run.status(CHECK, PROJECT), "pass", "{}", run.stdout);
}

#[test]
fn planted_token_and_values_appear_in_no_output_format() {
    const FORMATS: [&str; 6] = ["table", "json", "junit", "sarif", "markdown", "html"];
    let token = random_token(24);
    let secrets = [
        live("sk"),
        test_key("rk"),
        format!("whsec_{}", random_token(32)),
        random_token(40),
        format!("postgres://app:{}@db.acme.internal/app", random_token(20)),
    ];
    let envs = vec![
        FakeEnv::encrypted("STRIPE_SECRET_KEY", &secrets[0], &["preview"]),
        FakeEnv::encrypted("STRIPE_SECRET_KEY", &secrets[1], PROD),
        FakeEnv::plain("STRIPE_WEBHOOK_SECRET", &secrets[2], PROD),
        FakeEnv::plain("NEXT_PUBLIC_SESSION_SECRET", &secrets[3], PROD),
        FakeEnv::encrypted("DATABASE_URL", &secrets[4], PROD).lookup_only(),
        FakeEnv::encrypted("NEXT_PUBLIC_ADMIN_KEY", &secrets[0], PROD),
    ];
    let vercel = fake(envs).with_token(&token);
    let project = Project::new(&manifest("platform"))
        .file(".env", &format!("VERCEL_TOKEN={token}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![vercel.site()],
        });
    let flags = project
        .sandbox
        .as_ref()
        .map(|s| s.flags.clone())
        .unwrap_or_default();
    for format in FORMATS {
        let out = project
            .command()
            .args([
                "audit",
                "launch-ready.yaml",
                "--format",
                format,
                "--only",
                "env.*",
                "--only",
                CHECK,
            ])
            .args(&flags)
            .args(ALLOW)
            .args(
                FORMATS
                    .iter()
                    .map(|f| format!("--output={f}=out/report.{f}")),
            )
            .output()
            .expect("run");
        let mut texts = vec![
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ];
        for f in FORMATS {
            texts.push(
                std::fs::read_to_string(project.path().join(format!("out/report.{f}")))
                    .expect("report"),
            );
        }
        assert!(
            texts[0].contains("vercel.env-targets"),
            "{format}: {}",
            texts[0]
        );
        for text in &texts {
            assert!(!text.contains(&token), "{format}: the token leaked");
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{format}: a planted value leaked:\n{text}"
                );
            }
        }
    }
}
