//! Commands: turn parsed arguments into work and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cli::{AuditArgs, Cli, Command, OutputArgs, ReportCommand};
use crate::context::Context;
use crate::manifest::{self, Env};
use crate::net::{Net, NetConfig};
use crate::render::{self, Format, Style};
use crate::report::{Change, Report, Status};
use crate::runner::{self, RunOptions};

/// Exit codes of SPEC §1.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERNAL: u8 = 3;
}

/// A command's failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: exit::USAGE,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            code: exit::INTERNAL,
            message: message.into(),
        }
    }
}

pub fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Audit(args) => audit_command(*args),
        Command::Checks { json, markdown } => {
            let text = if markdown {
                crate::catalogue::markdown_table()
            } else {
                crate::catalogue::render(json)
            };
            print_stdout(&text)?;
            Ok(exit::OK)
        }
        Command::Explain { check_id } => match crate::checks::find(&check_id) {
            Some(check) => {
                print_stdout(check.meta().doc)?;
                Ok(exit::OK)
            }
            None => Err(Failure::usage(crate::catalogue::unknown_check(&check_id))),
        },
        Command::Init { dir, force } => crate::init::run(&dir, force),
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&manifest::json_schema())
                .map_err(|e| Failure::internal(e.to_string()))?;
            print_stdout(&format!("{schema}\n"))?;
            Ok(exit::OK)
        }
        Command::Report(ReportCommand::Merge { reports, format }) => merge(&reports, format),
        Command::Demo(args) => crate::demo::run(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "launch-ready", &mut out);
            std::io::stdout()
                .write_all(&out)
                .map_err(|e| Failure::internal(e.to_string()))?;
            Ok(exit::OK)
        }
    }
}

fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))
}

/// Everything an audit needs, prepared before any network work.
pub struct Prepared {
    pub cx: Context,
    pub run: RunOptions,
    pub scrub: Vec<String>,
}

/// Load the manifest, resolve the environment and the network settings; every
/// problem here is a usage error (exit 2) and nothing has been sent yet.
pub fn prepare(args: &AuditArgs, process_env: Vec<(String, String)>) -> Result<Prepared, Failure> {
    let loaded = manifest::load(&args.manifest).map_err(|e| Failure::usage(e.to_string()))?;
    let env = Env::resolve(
        &loaded.manifest,
        &loaded.base_dir,
        &args.env_files,
        process_env,
    )
    .map_err(Failure::usage)?;
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(Failure::usage(
            "--timeout must be a positive number of seconds",
        ));
    }
    if !(args.deadline > 0.0 && args.deadline.is_finite()) {
        return Err(Failure::usage(
            "--deadline must be a positive number of seconds",
        ));
    }
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency must be at least 1"));
    }
    let mut net_config = NetConfig {
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: args.concurrency,
        ca_files: args.ca_files.clone(),
        ..NetConfig::default()
    };
    for ns in &args.nameserver {
        net_config.nameservers.push(
            crate::net::parse_addr(ns, 53)
                .map_err(|e| Failure::usage(format!("--nameserver {e}")))?,
        );
    }
    for ct in &args.connect_to {
        let (host, addr) = crate::net::parse_connect_to(ct)
            .map_err(|e| Failure::usage(format!("--connect-to {e}")))?;
        net_config.connect_to.insert(host, addr);
    }
    let shard = args
        .shard
        .as_deref()
        .map(parse_shard)
        .transpose()
        .map_err(Failure::usage)?;
    // Validate the globs now: a typo in --only must not run an empty audit.
    runner::Selection::new(&args.only, &args.skip).map_err(Failure::usage)?;
    let net = if args.offline {
        // Still validate the files so that a broken --ca-file is reported offline too.
        crate::net::tls::root_store(&net_config.ca_files).map_err(Failure::usage)?;
        None
    } else {
        Some(Net::new(net_config).map_err(Failure::usage)?)
    };
    let scrub = env.values_to_scrub();
    let cx = Context {
        base_dir: loaded.base_dir.clone(),
        manifest_path: args.manifest.clone(),
        manifest: loaded.manifest,
        env,
        net,
        active: args.active,
        now: time::OffsetDateTime::now_utc(),
        evidence: Default::default(),
    };
    Ok(Prepared {
        cx,
        run: RunOptions {
            only: args.only.clone(),
            skip: args.skip.clone(),
            deadline: Duration::from_secs_f64(args.deadline),
            offline: args.offline,
            shard,
            progress: !(args.output.no_progress || args.output.quiet),
        },
        scrub,
    })
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let err = || format!("--shard `{text}`: expected I/N with 1 ≤ I ≤ N, e.g. 2/4");
    let (i, n) = text.split_once('/').ok_or_else(err)?;
    let i: usize = i.trim().parse().map_err(|_| err())?;
    let n: usize = n.trim().parse().map_err(|_| err())?;
    if i == 0 || n == 0 || i > n {
        return Err(err());
    }
    Ok((i, n))
}

pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))
}

fn audit_command(args: AuditArgs) -> Result<u8, Failure> {
    // Output destinations are checked before anything runs.
    let outputs = parse_outputs(&args.output.outputs)?;
    let baseline = match &args.baseline {
        Some(path) => Some(render::json::read(path).map_err(Failure::usage)?),
        None => None,
    };
    let rt = runtime()?;
    let process_env: Vec<(String, String)> = std::env::vars().collect();
    let code = rt.block_on(async {
        let prepared = prepare(&args, process_env)?;
        let mut report = execute(prepared.cx, &prepared.run, &prepared.scrub).await?;
        if let Some(base) = &baseline {
            mark_changes(&mut report.0, base);
        }
        emit(&report.0, &args.output, &outputs, &prepared.scrub)?;
        Ok::<u8, Failure>(if report.1 > 0 {
            exit::INTERNAL
        } else if report.0.gate_fails(args.output.fail_on) {
            exit::FINDINGS
        } else {
            exit::OK
        })
    })?;
    Ok(code)
}

/// Run the checks and build the report; the second value counts internal errors.
pub async fn execute(
    cx: Context,
    opts: &RunOptions,
    _scrub: &[String],
) -> Result<(Report, usize), Failure> {
    let started_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let clock = Instant::now();
    let project = cx.manifest.project.clone();
    let environment = cx.manifest.environment.as_str().to_owned();
    let manifest = cx.manifest_path.display().to_string();
    let handover = cx.manifest.handover.clone();
    let out = runner::run(Arc::new(cx), crate::checks::ALL, opts)
        .await
        .map_err(Failure::usage)?;
    Ok((
        Report {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            project,
            environment,
            manifest,
            started_at,
            duration_ms: clock.elapsed().as_millis() as u64,
            results: out.results,
            handover,
        },
        out.internal_errors,
    ))
}

pub fn parse_outputs(specs: &[String]) -> Result<Vec<(Format, PathBuf)>, Failure> {
    specs
        .iter()
        .map(|spec| {
            let (fmt, path) = spec
                .split_once('=')
                .ok_or_else(|| Failure::usage(format!("--output `{spec}`: expected FORMAT=PATH, e.g. json=report.json")))?;
            let format = Format::parse(fmt).ok_or_else(|| {
                Failure::usage(format!(
                    "--output `{spec}`: unknown format `{fmt}` (table, json, junit, sarif, markdown, html)"
                ))
            })?;
            if path.is_empty() {
                return Err(Failure::usage(format!("--output `{spec}`: empty path")));
            }
            Ok((format, PathBuf::from(path)))
        })
        .collect()
}

fn color_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Render to stdout and every `--output` file, scrubbing secret values on the way out.
pub fn emit(
    report: &Report,
    args: &OutputArgs,
    outputs: &[(Format, PathBuf)],
    scrub: &[String],
) -> Result<(), Failure> {
    let rendered = |format: Format, color: bool| -> Result<String, Failure> {
        let mut buf = Vec::new();
        render::render(format, report, Style { color }, &mut buf)
            .map_err(|e| Failure::internal(format!("cannot render {format:?}: {e}")))?;
        Ok(crate::redact::scrub(&String::from_utf8_lossy(&buf), scrub))
    };
    for (format, path) in outputs {
        write_file(path, &rendered(*format, false)?)?;
    }
    print_stdout(&rendered(
        args.format,
        args.format == Format::Table && color_wanted(),
    )?)
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::internal(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", path.display())))
}

/// `--baseline`: findings that appear are `new`, findings that went away are `fixed`.
fn mark_changes(report: &mut Report, base: &Report) {
    let finding = |s: Status| matches!(s, Status::Warn | Status::Fail | Status::Error);
    for r in &mut report.results {
        let before = base
            .results
            .iter()
            .find(|b| b.check == r.check && b.target == r.target);
        r.change = Some(
            match (before.map(|b| finding(b.status)), finding(r.status)) {
                (Some(true), false) => Change::Fixed,
                (Some(false) | None, true) => Change::New,
                _ => Change::Unchanged,
            },
        );
    }
}

fn merge(paths: &[PathBuf], format: Format) -> Result<u8, Failure> {
    let mut reports = paths
        .iter()
        .map(|p| render::json::read(p).map_err(Failure::usage))
        .collect::<Result<Vec<_>, _>>()?;
    let mut merged = reports.remove(0);
    for r in reports {
        if r.project != merged.project {
            return Err(Failure::usage(format!(
                "cannot merge reports of different projects ({} and {})",
                merged.project, r.project
            )));
        }
        merged.duration_ms = merged.duration_ms.max(r.duration_ms);
        merged.started_at = merged.started_at.min(r.started_at);
        merged.results.extend(r.results);
    }
    merged.sort();
    merged
        .results
        .dedup_by(|a, b| a.check == b.check && a.target == b.target);
    let mut buf = Vec::new();
    render::render(format, &merged, Style::default(), &mut buf)
        .map_err(|e| Failure::internal(e.to_string()))?;
    print_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(if merged.gate_fails(crate::report::FailOn::Fail) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
