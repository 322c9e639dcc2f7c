//! `launch-ready audit`: flags → an `AuditRequest` → the pipeline → outputs and the
//! exit code of SPEC §1.

use std::time::Duration;

use crate::cli::AuditArgs;
use crate::failure::{Failure, exit};
use crate::net::NetConfig;
use crate::pipeline::{self, AuditRequest};
use crate::runner::RunOptions;

pub fn run(args: AuditArgs) -> Result<u8, Failure> {
    // Output destinations and the baseline are checked before anything runs.
    let outputs = super::output::parse_outputs(&args.output.outputs)?;
    let baseline = match &args.baseline {
        Some(path) => Some(crate::render::json::read(path).map_err(Failure::usage)?),
        None => None,
    };
    let req = request(&args)?;
    if args.output.format == crate::render::Format::Github
        && let Err(e) = crate::manifest::load(&args.manifest)
    {
        annotate_manifest_error(&e, &args.manifest);
    }
    let rt = super::runtime()?;
    let process_env: Vec<(String, String)> = std::env::vars().collect();
    rt.block_on(async {
        let prepared = pipeline::prepare(&req, process_env)?;
        let (mut report, internal_errors) = pipeline::execute(prepared.cx, &prepared.run).await?;
        if let Some(base) = &baseline {
            report.mark_changes(base);
        }
        super::output::emit(&report, &args.output, &outputs, &prepared.scrub)?;
        Ok(if internal_errors > 0 {
            exit::INTERNAL
        } else if report.gate_fails(args.fail_on) {
            exit::FINDINGS
        } else {
            exit::OK
        })
    })
}

/// Turn the flags into a request; malformed values are usage errors (exit 2). The
/// numeric ranges were enforced by clap already.
pub fn request(args: &AuditArgs) -> Result<AuditRequest, Failure> {
    let mut net = NetConfig {
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: args.concurrency,
        ca_files: args.ca_files.clone(),
        allow_api_bases: args.allow_api_base.clone(),
        listing_deadline: crate::net::api::listing_deadline(args.deadline, args.timeout),
        ..NetConfig::default()
    };
    for base in &args.allow_api_base {
        crate::net::api::parse_allowed(base).map_err(Failure::usage)?;
    }
    for ns in &args.nameserver {
        net.nameservers.push(
            crate::net::parse_addr(ns, 53)
                .map_err(|e| Failure::usage(format!("--nameserver {e}")))?,
        );
    }
    for ct in &args.connect_to {
        let (host, addr) = crate::net::parse_connect_to(ct)
            .map_err(|e| Failure::usage(format!("--connect-to {e}")))?;
        net.connect_to.insert(host, addr);
    }
    let shard = args
        .shard
        .as_deref()
        .map(parse_shard)
        .transpose()
        .map_err(Failure::usage)?;
    Ok(AuditRequest {
        manifest: args.manifest.clone(),
        manifest_label: None,
        env_files: args.env_files.clone(),
        net,
        active: args.active,
        run: RunOptions {
            only: args.only.clone(),
            skip: args.skip.clone(),
            deadline: Duration::from_secs_f64(args.deadline),
            offline: args.offline,
            shard,
            progress: !(args.output.no_progress || args.output.quiet),
        },
    })
}

/// `--format github`: a manifest that does not load is annotated on the manifest itself.
fn annotate_manifest_error(error: &crate::manifest::ManifestError, path: &std::path::Path) {
    let mut meta = crate::report::ReportMeta::default();
    crate::enrich::locate(&mut meta, path, None);
    let file = meta
        .manifest_path
        .unwrap_or_else(|| path.display().to_string());
    let mut buf = Vec::new();
    if crate::render::github::manifest_error(error, &file, &mut buf).is_ok() {
        let _ = super::output::print_stdout(&String::from_utf8_lossy(&buf));
    }
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
