//! Wall time of a whole audit of the demo world ("acme", the sandbox behind
//! `launch-ready demo`) through the library: `pipeline::prepare` + `pipeline::execute` with the
//! flags `Sandbox::audit_flags` gives, exactly as the demo runs it. Then the same with
//! 50 ms added to every DNS answer of the acme zones (`Zones.latency`, set on the
//! world from outside; the world code is unchanged). Run with
//! `cargo bench --bench audit`; prints a table, asserts nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use clap::Parser;
use launch_ready::cli::{Cli, Command};
use launch_ready::commands::audit::request;
use launch_ready::pipeline;
use launch_ready::report::Status;
use launch_ready::sandbox::{Sandbox, acme};

const RUNS: usize = 10;

struct Run {
    wall: Duration,
    slowest_ms: u64,
    slowest: String,
    results: usize,
    errors: Vec<String>,
    /// The slowest check that does DNS work only (`dns.*`, `email.*`).
    dns_ms: u64,
}

struct Row {
    label: String,
    runs: Vec<Run>,
}

async fn measure(label: &str, latency: Duration) -> Row {
    let mut world = acme::world();
    world.zones.latency = latency;
    let sandbox = Sandbox::start(world).await.expect("sandbox starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("launch-ready.yaml");
    std::fs::write(&manifest, acme::MANIFEST).expect("manifest written");
    std::fs::write(dir.path().join(".env.production"), acme::env_file()).expect("env written");
    let ca = sandbox.write_ca(dir.path()).expect("CA written");
    let mut argv = vec![
        "launch-ready".to_owned(),
        "audit".to_owned(),
        manifest.display().to_string(),
    ];
    argv.extend(sandbox.audit_flags(&ca));
    // The demo's own settings.
    argv.extend(["--timeout", "3", "--no-progress"].map(str::to_owned));
    let Command::Audit(args) = Cli::try_parse_from(&argv).expect("arguments parse").command else {
        panic!("not an audit");
    };
    let req = request(&args).map_err(|e| e.message).expect("request");
    let mut runs = Vec::with_capacity(RUNS);
    // One warm-up run, not counted.
    for run in 0..=RUNS {
        let started = Instant::now();
        let prepared = pipeline::prepare(&req, Vec::new())
            .map_err(|e| e.message)
            .expect("prepare");
        let (report, internal) = pipeline::execute(prepared.cx, &prepared.run)
            .await
            .map_err(|e| e.message)
            .expect("execute");
        let wall = started.elapsed();
        assert_eq!(internal, 0, "internal errors in the audit");
        let slowest = report
            .results
            .iter()
            .max_by_key(|r| r.duration_ms)
            .expect("results");
        if run > 0 {
            runs.push(Run {
                wall,
                slowest_ms: slowest.duration_ms,
                slowest: format!("{} {}", slowest.check, slowest.target),
                results: report.results.len(),
                errors: report
                    .results
                    .iter()
                    .filter(|r| r.status == Status::Error)
                    .map(|r| format!("{} {}", r.check, r.target))
                    .collect(),
                dns_ms: report
                    .results
                    .iter()
                    .filter(|r| r.check.starts_with("dns.") || r.check.starts_with("email."))
                    .map(|r| r.duration_ms)
                    .max()
                    .unwrap_or(0),
            });
        }
    }
    Row {
        label: label.to_owned(),
        runs,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let rt = launch_ready::commands::runtime()
        .map_err(|e| e.message)
        .expect("runtime");
    let rows = rt.block_on(async {
        vec![
            measure("acme, no added latency", Duration::ZERO).await,
            measure("acme, +50 ms per DNS answer", Duration::from_millis(50)).await,
        ]
    });
    println!(
        "Whole audit of the demo world (pipeline::prepare + pipeline::execute), {RUNS} runs each (after 1 warm-up)"
    );
    println!(
        "{:<28} {:>7} {:>6} {:>9} {:>9} {:>9}   {:>22}   {:>13}   slowest check (most often)",
        "world",
        "results",
        "error",
        "median",
        "min",
        "max",
        "slowest ms med/min/max",
        "DNS-only max"
    );
    for row in &rows {
        let (med, min, max) = stats(row.runs.iter().map(|r| ms(r.wall)).collect());
        let (smed, smin, smax) = stats(row.runs.iter().map(|r| r.slowest_ms as f64).collect());
        let mut names: Vec<&str> = row.runs.iter().map(|r| r.slowest.as_str()).collect();
        names.sort_unstable();
        let most = names
            .iter()
            .max_by_key(|n| names.iter().filter(|m| m == n).count())
            .copied()
            .unwrap_or_default();
        let (dmed, _, _) = stats(row.runs.iter().map(|r| r.dns_ms as f64).collect());
        println!(
            "{:<28} {:>7} {:>6} {:>6.0} ms {:>6.0} ms {:>6.0} ms   {:>8.0} /{:>5.0} /{:>5.0}   {:>10.0} ms   {most}",
            row.label,
            row.runs[0].results,
            row.runs[0].errors.len(),
            med,
            min,
            max,
            smed,
            smin,
            smax,
            dmed,
        );
    }
    for row in &rows {
        println!(
            "{}: error results: {}",
            row.label,
            row.runs[0].errors.join(", ")
        );
    }
    println!("DNS-only max = median over runs of the slowest dns.*/email.* check (DNS work only).");
}
