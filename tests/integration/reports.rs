//! The report formats: snapshots of table and JSON, and the shape of the others.

use launch_ready::sandbox::{World, Zones};

use crate::support::Project;

const MANIFEST: &str = "version: 1\nproject: acme\nenvironment: production\nenv:\n  required: [PRESENT, MISSING]\nweb:\n  canonical: https://www.acme.app\n  aliases: [acme.app]\nhandover:\n  - { item: Registrar account owned by the company, done: true }\n";

fn world() -> World {
    World {
        zones: Zones::new()
            .zone("acme.app")
            .ns("acme.app", "ns1.dns.example")
            .ns("acme.app", "ns2.dns.example")
            .a("www.acme.app", "127.0.0.1"),
        sites: Vec::new(),
    }
}

/// Snapshots cover a fixed set of checks, so that adding a check elsewhere does not
/// churn them.
const SNAPSHOT_CHECKS: [&str; 6] = [
    "--only",
    "dns.*",
    "--only",
    "env.required",
    "--only",
    "manifest.*",
];

fn project() -> Project {
    Project::new(MANIFEST)
        .file(".env", "PRESENT=1234567890abc\n")
        .world(world)
}

/// The table as a terminal of `columns` columns shows it (`COLUMNS`).
fn table_at(columns: &str, extra: &[&str]) -> String {
    let p = project();
    let mut cmd = p.command();
    cmd.env("COLUMNS", columns)
        .args([
            "audit",
            "launch-ready.yaml",
            "--env-file",
            ".env",
            "--timeout",
            "2",
        ])
        .args(SNAPSHOT_CHECKS)
        .args(extra)
        .args(&p.sandbox.as_ref().unwrap().flags);
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains('\u{1b}'), "NO_COLOR must disable colour");
    text
}

fn snapshot_filters() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\(\d+ ms\)", "([ms])");
    settings.add_filter(r"launch-ready \d+\.\d+\.\d+", "launch-ready [version]");
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r": [^:\x22]*\(os error \d+\)", ": [os error]");
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[time]");
    settings
}

#[test]
fn table_snapshot_at_160_columns() {
    let text = table_at("160", &[]);
    assert!(text.lines().all(|l| l.chars().count() <= 160), "{text}");
    snapshot_filters().bind(|| insta::assert_snapshot!("table_160", text));
}

#[test]
fn table_snapshot_at_80_columns_is_compact() {
    let text = table_at("80", &[]);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(!text.contains('┌'), "no bordered table below 100 columns");
    snapshot_filters().bind(|| insta::assert_snapshot!("table_80", text));
}

#[test]
fn table_leads_with_failures_and_collapses_passes() {
    let text = table_at("120", &[]);
    // Failures before warnings before passes; passes counted, not listed.
    let fail = text.find("dns.resolves").unwrap();
    let warn = text.find("dns.caa").unwrap();
    assert!(fail < warn, "{text}");
    assert!(!text.contains("dns.ns"), "passes are collapsed: {text}");
    assert!(text.contains("DNS · 1 fail, 1 warn, 4 pass"), "{text}");
    let fix = text.find("FIX FIRST").unwrap();
    assert!(
        text[fix..].contains("launch-ready explain env.required"),
        "{text}"
    );
    // --all and --verbose list every pass.
    for flag in ["--all", "--verbose"] {
        let all = table_at("120", &[flag]);
        assert!(
            all.contains("dns.ns") && all.contains("PASS"),
            "{flag}: {all}"
        );
    }
}

#[test]
fn identical_skips_are_one_line() {
    let run = Project::new(MANIFEST)
        .file(".env", "PRESENT=1\n")
        .command()
        .env("COLUMNS", "100")
        .args(["audit", "--offline", "--env-file", ".env"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    let skip_rows = text.lines().filter(|l| l.contains("SKIP")).count();
    assert!(skip_rows <= 5, "skips are grouped, not listed: {text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("- ") && l.contains("results: --offline"))
        .unwrap_or_else(|| panic!("one line for the offline skips: {text}"));
    let n: usize = line[2..].split(' ').next().unwrap().parse().unwrap();
    assert!(n > 20, "{line}");
}

#[test]
fn json_snapshot() {
    let mut args = vec!["--env-file", ".env"];
    args.extend(SNAPSHOT_CHECKS);
    let run = project().audit(&args);
    assert_eq!(run.report["schema_version"], 1);
    assert_eq!(run.report["summary"]["verdict"], "fail");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    settings.add_filter(r#""started_at": "[^"]+""#, r#""started_at": "[time]""#);
    settings.add_filter(r#""version": "\d+\.\d+\.\d+""#, r#""version": "[version]""#);
    // Ports and OS error texts differ between machines (111 on Linux, 61 on macOS).
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r": [^:\x22]*\(os error \d+\)", ": [os error]");
    settings.bind(|| insta::assert_snapshot!("json", run.stdout));
}

#[test]
fn results_are_sorted_by_check_then_target() {
    let run = project().audit(&["--env-file", ".env"]);
    let keys: Vec<(String, String)> = run.report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["check"].as_str().unwrap().to_owned(),
                r["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn junit_sarif_markdown_and_html_are_well_formed() {
    let p = project();
    let flags = p.sandbox.as_ref().unwrap().flags.clone();
    let dir = p.path().to_path_buf();
    let out = p
        .command()
        .args([
            "audit",
            "launch-ready.yaml",
            "--env-file",
            ".env",
            "--format",
            "junit",
        ])
        .args(&flags)
        .args([
            "--output",
            "sarif=r.sarif",
            "--output",
            "markdown=r.md",
            "--output",
            "html=r.html",
        ])
        .output()
        .expect("run");
    let junit = String::from_utf8_lossy(&out.stdout);
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains(r#"<testcase classname="env.required" name="MISSING""#));
    assert!(junit.contains("<failure message=\"MISSING is not set\">"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "env.required" && r["level"] == "error")
    );
    assert!(results.iter().all(|r| r["properties"]["status"] != "pass"));
    let md = std::fs::read_to_string(dir.join("r.md")).unwrap();
    assert!(
        md.contains("| FAIL | `env.required` | `MISSING` | MISSING is not set"),
        "{md}"
    );
    assert!(
        md.contains("| ☑ | Registrar account owned by the company |"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
}

#[test]
fn baseline_marks_new_fixed_and_unchanged() {
    let first = Project::new(MANIFEST)
        .file(".env", "PRESENT=was-set-value\n")
        .audit(&["--offline", "--env-file", ".env"]);
    assert_eq!(first.status("env.required", "MISSING"), "fail");
    let baseline = first.dir.path().join("baseline.json");
    std::fs::write(&baseline, &first.stdout).unwrap();
    let second = Project::new(MANIFEST)
        .file(".env", "MISSING=now-set-value\n")
        .audit(&[
            "--offline",
            "--env-file",
            ".env",
            "--baseline",
            baseline.to_str().unwrap(),
        ]);
    assert_eq!(second.result("env.required", "MISSING")["change"], "fixed");
    assert_eq!(second.result("env.required", "PRESENT")["change"], "new");
}

#[test]
fn shards_partition_the_audit_and_merge_back() {
    let p = project();
    let flags = p.sandbox.as_ref().unwrap().flags.clone();
    let dir = p.path().to_path_buf();
    let mut files = Vec::new();
    let mut total = 0;
    for i in 1..=3 {
        let out = p
            .command()
            .args([
                "audit",
                "launch-ready.yaml",
                "--env-file",
                ".env",
                "--format",
                "json",
                "--shard",
                &format!("{i}/3"),
            ])
            .args(&flags)
            .output()
            .expect("run");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        total += report["results"].as_array().unwrap().len();
        let path = dir.join(format!("shard{i}.json"));
        std::fs::write(&path, &out.stdout).unwrap();
        files.push(path);
    }
    let whole = p
        .command()
        .args([
            "audit",
            "launch-ready.yaml",
            "--env-file",
            ".env",
            "--format",
            "json",
        ])
        .args(&flags)
        .output()
        .unwrap();
    let whole: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(total, whole["results"].as_array().unwrap().len());
    let merged = p
        .command()
        .args(["report", "merge"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1));
    let merged: serde_json::Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(merged["summary"], whole["summary"]);
}
