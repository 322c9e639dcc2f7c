//! No secret value reaches any output format, file or stderr. Values are planted in
//! the dotenv file and the process environment, then every output is grepped.

use launch_ready::sandbox::random_token;

use crate::support::Project;

const FORMATS: [&str; 6] = ["table", "json", "junit", "sarif", "markdown", "html"];

#[test]
fn planted_secrets_appear_in_no_output() {
    let stripe = format!("sk_live_{}", random_token(32));
    let whsec = format!("whsec_{}", random_token(32));
    let db = format!("postgres://app:{}@db.internal:5432/app", random_token(20));
    let process_secret = random_token(40);
    let manifest = "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n  required: [STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, DATABASE_URL, SESSION_SECRET, NOT_SET]\n  url_vars: [DATABASE_URL]\nstripe:\n  secret_key_env: STRIPE_SECRET_KEY\nwebhooks:\n  - { name: stripe, url: 'https://www.acme.app/api/webhooks/stripe', secret_env: STRIPE_WEBHOOK_SECRET }\n";
    let env =
        format!("STRIPE_SECRET_KEY={stripe}\nSTRIPE_WEBHOOK_SECRET={whsec}\nDATABASE_URL={db}\n");
    let planted = [
        stripe.as_str(),
        whsec.as_str(),
        db.as_str(),
        process_secret.as_str(),
    ];
    for format in FORMATS {
        let project = Project::new(manifest).file(".env.production", &env);
        let dir = project.path().to_path_buf();
        let mut cmd = project.command();
        cmd.args([
            "audit",
            "launch-ready.yaml",
            "--offline",
            "--format",
            format,
        ])
        .args(
            FORMATS
                .iter()
                .map(|f| format!("--output={f}=out/report.{f}")),
        )
        .env("SESSION_SECRET", &process_secret);
        let out = cmd.output().expect("run");
        let mut texts = vec![
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ];
        for f in FORMATS {
            texts.push(
                std::fs::read_to_string(dir.join(format!("out/report.{f}")))
                    .expect("report file written"),
            );
        }
        assert!(!texts[0].is_empty(), "{format} printed nothing");
        for text in &texts {
            for secret in planted {
                assert!(
                    !text.contains(secret),
                    "{format}: a planted secret leaked:\n{text}"
                );
            }
        }
    }
}
