//! Every class of manifest error exits 2, names line and column, and runs nothing.

use crate::support::Project;

fn manifest_error(manifest: &str) -> String {
    let run = Project::new(manifest).audit(&[]);
    assert_eq!(
        run.code, 2,
        "expected a manifest error; stdout: {}",
        run.stdout
    );
    assert!(
        run.stdout.is_empty(),
        "a manifest error must not print a report"
    );
    run.stderr
}

#[test]
fn typo_in_a_field_names_line_column_and_suggestion() {
    let err =
        manifest_error("version: 1\nproject: acme\nweb:\n  canonicall: https://www.acme.app\n");
    assert!(err.contains("launch-ready.yaml:4:3"), "{err}");
    assert!(
        err.contains("unknown field `canonicall`, did you mean `canonical`?"),
        "{err}"
    );
}

#[test]
fn unknown_top_level_section_is_an_error() {
    let err = manifest_error("version: 1\nproject: acme\nwebhook:\n  - name: x\n");
    assert!(err.contains(":3:1"), "{err}");
    assert!(err.contains("did you mean `webhooks`"), "{err}");
}

#[test]
fn wrong_type_is_located() {
    let err = manifest_error("version: 1\nproject: acme\ntls:\n  warn_days: soon\n");
    assert!(err.contains(":4:"), "{err}");
    assert!(
        err.contains("warn_days") || err.contains("invalid"),
        "{err}"
    );
}

#[test]
fn bad_url_is_located() {
    let err = manifest_error("version: 1\nproject: acme\nweb:\n  canonical: www.acme.app\n");
    assert!(err.contains(":4:"), "{err}");
    assert!(err.contains("invalid URL `www.acme.app`"), "{err}");
}

#[test]
fn bad_date_is_located() {
    let err = manifest_error(
        "version: 1\nproject: acme\nwaivers:\n  - { check: dns.ns, reason: later, expires: 31/01/2027 }\n",
    );
    assert!(err.contains(":4:"), "{err}");
    assert!(
        err.contains("invalid date `31/01/2027`: expected YYYY-MM-DD"),
        "{err}"
    );
}

#[test]
fn bad_host_and_enum_values_are_errors() {
    let err = manifest_error("version: 1\nproject: acme\nemail:\n  domain: https://acme.app\n");
    assert!(err.contains("invalid host name"), "{err}");
    let err = manifest_error("version: 1\nproject: acme\nenvironment: prod\n");
    assert!(err.contains(":3:"), "{err}");
}

#[test]
fn literal_secret_is_refused_without_echoing_it() {
    let secret = format!("sk_live_{}", "Zx81kq0PqLm2Rr7Tt6Yy5Uu4");
    let err = manifest_error(&format!(
        "version: 1\nproject: acme\nstripe:\n  secret_key_env: {secret}\n"
    ));
    assert!(err.contains(":4:19"), "{err}");
    assert!(err.contains("literal secret"), "{err}");
    assert!(!err.contains(&secret), "the error echoed the secret: {err}");
    let err = manifest_error(
        "version: 1\nproject: acme\nwebhooks:\n  - { name: s, url: https://a.b/x, secret_env: whsec_abcdefghijklmnop }\n",
    );
    assert!(err.contains("webhook signing secret"), "{err}");
}

#[test]
fn semantic_errors_are_reported_together() {
    let err = manifest_error(
        "version: 2\nproject: acme\ntls: { warn_days: 5, fail_days: 9 }\nweb:\n  canonical: http://www.acme.app\n",
    );
    assert!(err.contains("unsupported `version: 2`"), "{err}");
    assert!(err.contains("fail_days (9) must not exceed"), "{err}");
    assert!(err.contains("must be an https:// origin"), "{err}");
}

#[test]
fn env_resolution_process_wins_over_files() {
    let manifest =
        "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n  required: [A, B, C]\n";
    let project = Project::new(manifest)
        .file(".env.production", "A=from-file\nB=\nC=from-file\n")
        .file("extra.env", "B=from-extra\n");
    let mut cmd = project.command();
    cmd.args([
        "audit",
        "launch-ready.yaml",
        "--format",
        "json",
        "--env-file",
        "extra.env",
    ])
    .env("C", "from-process");
    let out = cmd.output().expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let source = |name: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == "env.required" && r["target"] == name)
            .map(|r| r["details"]["source"].as_str().unwrap_or("").to_owned())
            .unwrap()
    };
    assert_eq!(source("A"), ".env.production");
    assert_eq!(source("B"), "extra.env");
    assert_eq!(source("C"), "process environment");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn missing_env_file_is_a_warning_not_a_crash() {
    let run = Project::new(
        "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n  required: [X]\n",
    )
    .audit(&[]);
    assert_eq!(run.status("manifest.valid", "launch-ready.yaml"), "warn");
    assert_eq!(run.status("env.required", "X"), "fail");
}

#[test]
fn cookie_paths_are_paths_and_appear_in_the_schema() {
    let err = manifest_error(
        "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  cookie_paths: [login]\n",
    );
    assert!(err.contains("path `login` must start with `/`"), "{err}");
    let err = manifest_error(
        "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  cookie_path: [/login]\n",
    );
    assert!(err.contains("did you mean `cookie_paths`?"), "{err}");
    let schema = crate::support::launch_ready()
        .arg("schema")
        .output()
        .expect("run");
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("JSON schema");
    let web = &schema["$defs"]["WebSection"]["properties"]["cookie_paths"];
    assert_eq!(web["type"], "array", "{web}");
}
