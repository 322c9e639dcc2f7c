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

/// The env and bundle checks look at values the renderers do not scrub (public
/// variables) and at served JavaScript: plant secrets in both and grep every format.
#[test]
fn secrets_in_public_variables_and_bundles_appear_in_no_output() {
    use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

    let public_key = format!("sk_live_{}", random_token(40));
    let inlined = random_token(40);
    let malformed = format!("rk_live_{}…{}", random_token(12), random_token(12));
    let url_password = random_token(20);
    let manifest = "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n  url_vars: [NEXTAUTH_URL]\nweb:\n  canonical: https://www.acme.app\n  bundle_scan: true\n";
    let env = format!(
        "NEXT_PUBLIC_STRIPE_SECRET_KEY={public_key}\nSESSION_SECRET={inlined}\nSTRIPE_SECRET_KEY={malformed}\nNEXTAUTH_URL=http://admin:{url_password}@localhost:3000\n"
    );
    let page = format!(
        "<script>var a=\"{public_key}\"</script><script src=\"/_next/static/chunks/a.js\"></script>"
    );
    let chunk = format!("var s=\"{inlined}\";");
    let project = Project::new(manifest)
        .file(".env.production", &env)
        .world(move || World {
            zones: Zones::new().zone("acme.app").a("www.acme.app", "127.0.0.1"),
            sites: vec![
                Site::new("www.acme.app")
                    .route("/", handler(move |_| Resp::html(page.clone())))
                    .route(
                        "/_next/static/chunks/a.js",
                        handler(move |_| Resp::text(200, chunk.clone())),
                    ),
            ],
        });
    let flags = project.sandbox.as_ref().expect("sandbox").flags.clone();
    let planted = [&public_key, &inlined, &malformed, &url_password];
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
                "web.*",
            ])
            .args(&flags)
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
                    .expect("report file written"),
            );
        }
        assert!(
            texts[0].contains("web.bundle-secrets"),
            "{format}: {}",
            texts[0]
        );
        if format == "json" {
            let report: serde_json::Value = serde_json::from_str(&texts[0]).expect("json");
            let bundle = report["results"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["check"] == "web.bundle-secrets"))
                .expect("bundle result");
            assert_eq!(bundle["details"]["finding_count"], 2, "{bundle}");
        }
        for text in &texts {
            for secret in planted {
                assert!(
                    !text.contains(secret.as_str()),
                    "{format}: a planted secret leaked:\n{text}"
                );
            }
        }
    }
}
