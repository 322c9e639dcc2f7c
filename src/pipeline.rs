//! The audit pipeline: a request (plain values, no clap) → a prepared context → the
//! runner → a `Report`. `launch-ready audit`, the demo, the benches and the tests all
//! call it directly; nobody re-parses an argv or changes the working directory.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::context::Context;
use crate::failure::Failure;
use crate::manifest::{self, Env};
use crate::net::{Net, NetConfig};
use crate::report::Report;
use crate::runner::{self, RunOptions};

/// What to audit and how, already validated for type (the command layer turns flags
/// into this).
#[derive(Clone, Debug)]
pub struct AuditRequest {
    /// Where the manifest is read from.
    pub manifest: PathBuf,
    /// How the report names the manifest (default: `manifest` as given).
    pub manifest_label: Option<PathBuf>,
    pub env_files: Vec<PathBuf>,
    pub net: NetConfig,
    /// `--active`: probes that send signed test events are allowed.
    pub active: bool,
    pub run: RunOptions,
}

impl AuditRequest {
    pub fn new(manifest: impl Into<PathBuf>) -> Self {
        Self {
            manifest: manifest.into(),
            manifest_label: None,
            env_files: Vec::new(),
            net: NetConfig::default(),
            active: false,
            run: RunOptions::default(),
        }
    }
}

/// Everything an audit needs, prepared before any network work.
pub struct Prepared {
    pub cx: Context,
    pub run: RunOptions,
    /// Secret values to mask in every output.
    pub scrub: Vec<String>,
}

/// Load the manifest, resolve the environment and the network settings; every
/// problem here is a usage error (exit 2) and nothing has been sent yet.
pub fn prepare(
    req: &AuditRequest,
    process_env: Vec<(String, String)>,
) -> Result<Prepared, Failure> {
    let loaded = manifest::load(&req.manifest).map_err(|e| {
        if req.manifest.exists() {
            Failure::usage(e.to_string())
        } else {
            Failure::usage(format!(
                "{e}\nNo manifest at {}: draft one from your repository with `launch-ready init`, or try `launch-ready demo`.",
                req.manifest.display()
            ))
        }
    })?;
    let env = Env::resolve(
        &loaded.manifest,
        &loaded.base_dir,
        &req.env_files,
        process_env,
    )
    .map_err(Failure::usage)?;
    // A typo in --only/--skip must not run an empty audit and pass the gate.
    crate::selection::Selection::new(&req.run.only, &req.run.skip)
        .and_then(|s| s.require_matches(crate::checks::ALL))
        .map_err(Failure::usage)?;
    let net = if req.run.offline {
        // Still validate the files so that a broken --ca-file is reported offline too.
        crate::net::tls::root_store(&req.net.ca_files).map_err(Failure::usage)?;
        None
    } else {
        Some(Net::new(req.net.clone()).map_err(Failure::usage)?)
    };
    let scrub = env.values_to_scrub();
    let cx = Context {
        base_dir: loaded.base_dir.clone(),
        manifest_path: req
            .manifest_label
            .clone()
            .unwrap_or_else(|| req.manifest.clone()),
        manifest: loaded.manifest,
        env,
        net,
        active: req.active,
        now: time::OffsetDateTime::now_utc(),
        evidence: Default::default(),
    };
    Ok(Prepared {
        cx,
        run: req.run.clone(),
        scrub,
    })
}

/// Run the checks and build the report; the second value counts internal errors
/// (a check that panicked: exit 3).
pub async fn execute(cx: Context, opts: &RunOptions) -> Result<(Report, usize), Failure> {
    let started_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let clock = Instant::now();
    let project = cx.manifest.project.clone();
    let environment = cx.manifest.environment.as_str().to_owned();
    let manifest = cx.manifest_path.display().to_string();
    let handover = cx.manifest.handover.clone();
    // Repository-relative paths for the renderers, from where the manifest really is
    // (its label may be a bare file name, as in the demo).
    let mut meta = crate::report::ReportMeta::default();
    let code_root = cx.manifest.code.as_ref().map(|c| c.root.as_str());
    let manifest_file = cx
        .base_dir
        .join(cx.manifest_path.file_name().unwrap_or_default());
    crate::enrich::locate(&mut meta, &manifest_file, code_root);
    let cx = Arc::new(cx);
    let out = runner::run(cx.clone(), crate::checks::ALL, opts)
        .await
        .map_err(Failure::usage)?;
    let mut results = out.results;
    let mut notices: Vec<_> = crate::notices::placeholders(&cx).into_iter().collect();
    notices.extend(crate::notices::collect(&cx, &mut results).await);
    let mut report = Report {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        project,
        environment,
        manifest,
        started_at,
        duration_ms: clock.elapsed().as_millis() as u64,
        results,
        handover,
        meta,
        notices,
    };
    crate::enrich::describe_checks(&mut report);
    Ok((report, out.internal_errors))
}
