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

/// The scrubber above is a last line of defence; this proves the checks themselves
/// never put a secret in a result. The whole acme world is audited (network checks,
/// Stripe API, active webhook probes, bundle scan, code scan) through the library, and
/// every format is rendered WITHOUT the scrubber, then grepped.
#[test]
fn no_check_writes_a_secret_even_without_the_scrubber() {
    use clap::Parser;
    use launch_ready::render::{self, Format, Style};
    use launch_ready::sandbox::{Sandbox, acme};

    let dir = tempfile::tempdir().unwrap();
    // The demo's environment carries every kind of secret, the webhook's included.
    let env = acme::env_file();
    let planted: Vec<String> = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| {
            [
                "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET",
                "SUPPORT_API_TOKEN",
            ]
            .contains(k)
        })
        .map(|(_, v)| v.to_owned())
        .collect();
    assert_eq!(planted.len(), 3, "{env}");
    std::fs::write(dir.path().join("launch-ready.yaml"), acme::MANIFEST).unwrap();
    std::fs::write(dir.path().join(".env.production"), &env).unwrap();
    for (path, contents) in acme::code::FILES {
        let file = dir.path().join("app").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, contents).unwrap();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sandbox = Sandbox::start(acme::world()).await.unwrap();
        let ca = sandbox.write_ca(dir.path()).unwrap();
        let manifest = dir.path().join("launch-ready.yaml");
        let mut argv = vec![
            "launch-ready".to_owned(),
            "audit".to_owned(),
            manifest.display().to_string(),
        ];
        argv.extend(sandbox.audit_flags(&ca));
        argv.extend(["--active", "--timeout", "3"].map(str::to_owned));
        let launch_ready::cli::Command::Audit(args) =
            launch_ready::cli::Cli::parse_from(argv).command
        else {
            panic!("not an audit");
        };
        let req = launch_ready::commands::audit::request(&args)
            .map_err(|f| f.message)
            .unwrap();
        let prepared = launch_ready::pipeline::prepare(&req, Vec::new())
            .map_err(|f| f.message)
            .unwrap();
        let (report, _) = launch_ready::pipeline::execute(prepared.cx, &prepared.run)
            .await
            .map_err(|f| f.message)
            .unwrap();
        let ran = |check: &str| {
            report
                .results
                .iter()
                .any(|r| r.check == check && r.status != launch_ready::report::Status::Skip)
        };
        for check in [
            "webhook.signed-accepted",
            "stripe.deliveries",
            "web.bundle-secrets",
            "env.stripe-keys",
        ] {
            assert!(
                ran(check),
                "{check} did not run, so this test would prove nothing"
            );
        }
        for format in [
            Format::Table,
            Format::Json,
            Format::Junit,
            Format::Sarif,
            Format::Markdown,
            Format::Html,
        ] {
            let mut out = Vec::new();
            render::render(format, &report, Style::default(), &mut out).unwrap();
            let text = String::from_utf8_lossy(&out);
            for secret in &planted {
                assert!(
                    !text.contains(secret.as_str()),
                    "{format:?} carries a secret value unscrubbed"
                );
                let body = secret.split_once('_').map(|(_, b)| b).unwrap_or(secret);
                assert!(
                    !text.contains(&body[..body.len().min(24)]),
                    "{format:?} carries part of a secret"
                );
            }
        }
    });
}
