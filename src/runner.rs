//! The one place where checks run concurrently: every (check, target) unit is a task,
//! network work is bounded by the shared semaphore in `net`, the whole audit by the
//! deadline. Results are sorted afterwards so output is deterministic.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use globset::Glob;

use crate::checks::{DynCheck, Plan};
use crate::context::Context;
use crate::report::{CheckResult, Outcome, Status};
pub use crate::selection::Selection;

/// Why a check that sends signed test events did not run (the runner's gate; the
/// webhook code says the same when asked directly).
pub const NEEDS_ACTIVE: &str = "needs --active (sends a signed test event to the endpoint)";

/// Which checks run, and how.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub only: Vec<String>,
    pub skip: Vec<String>,
    pub deadline: Duration,
    pub offline: bool,
    /// `--shard I/N`: 1-based slice index and slice count.
    pub shard: Option<(usize, usize)>,
    pub progress: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            only: Vec::new(),
            skip: Vec::new(),
            deadline: Duration::from_secs(120),
            offline: false,
            shard: None,
            progress: false,
        }
    }
}

/// Outcome of running an audit's checks.
pub struct RunOutput {
    pub results: Vec<CheckResult>,
    /// A check panicked (a bug of ours: exit code 3).
    pub internal_errors: usize,
}

struct Unit {
    check: &'static dyn DynCheck,
    target: String,
}

pub async fn run(
    cx: Arc<Context>,
    checks: &[&'static dyn DynCheck],
    opts: &RunOptions,
) -> Result<RunOutput, String> {
    let bar = progress::bar(opts.progress);
    run_with_progress(cx, checks, opts, bar).await
}

/// `run`, drawing on the given progress bar (tests pass a hidden one to read it back).
pub async fn run_with_progress(
    cx: Arc<Context>,
    checks: &[&'static dyn DynCheck],
    opts: &RunOptions,
    bar: Option<indicatif::ProgressBar>,
) -> Result<RunOutput, String> {
    let selection = Selection::new(&opts.only, &opts.skip)?;
    let mut results = Vec::new();
    let mut units = Vec::new();
    let mut internal_errors = 0;
    // SPEC §7: a check never runs against a placeholder (`TODO`, example.com).
    let placeholders = crate::manifest::placeholders::scan(&cx.manifest);
    for &check in checks {
        let meta = check.meta();
        if !selection.selects(meta.id) {
            continue;
        }
        if meta.network && opts.offline {
            results.push(skipped(
                meta.id,
                "network",
                "--offline: this check needs the network",
            ));
            continue;
        }
        // A panic while planning is a bug of ours: that check's `error`, never a lost audit.
        let plan =
            futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(check.plan(&cx))).await;
        match plan {
            Ok(Plan::Targets(targets)) if meta.active && !cx.active => {
                // The gate is here, not in each check: without --active nothing that
                // sends signed events runs, whatever a check's own code does.
                results.extend(targets.iter().map(|t| skipped(meta.id, t, NEEDS_ACTIVE)));
            }
            Ok(Plan::Targets(targets)) => {
                for target in targets {
                    let fields = crate::checks::reads::placeholders_read(
                        meta.id,
                        &target,
                        &cx.manifest,
                        &placeholders,
                    );
                    if fields.is_empty() {
                        units.push(Unit { check, target });
                    } else {
                        results.push(placeholder_error(meta.id, &target, &fields));
                    }
                }
            }
            Ok(Plan::Skip { target, reason }) => results.push(skipped(meta.id, &target, &reason)),
            Err(panic) => {
                internal_errors += 1;
                results.push(CheckResult::from_outcome(
                    meta.id,
                    "plan",
                    Outcome::error(format!(
                        "internal error while planning this check: {}",
                        panic_text(panic.as_ref())
                    )),
                    0,
                ));
            }
        }
    }
    if let Some((index, count)) = opts.shard {
        // Units are sliced in a stable order so that the N shards of a CI matrix
        // partition the audit exactly.
        units.sort_by(|a, b| (a.check.meta().id, &a.target).cmp(&(b.check.meta().id, &b.target)));
        units = units
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % count == index - 1)
            .map(|(_, u)| u)
            .collect();
        // Skips need no work; only the first shard reports them, so a merge counts each once.
        if index != 1 {
            results.clear();
        }
    }

    let progress = progress::Progress::new(bar, results.len(), units.len());
    let deadline = tokio::time::Instant::now() + opts.deadline;
    let deadline_secs = opts.deadline.as_secs_f64();
    let mut stream = futures::stream::iter(units.into_iter().map(|unit| {
        let cx = cx.clone();
        let progress = &progress;
        async move {
            let meta = unit.check.meta();
            let started = Instant::now();
            let target = unit.target.clone();
            let label = format!("{} {}", meta.id, target);
            progress.start(&label);
            let task = tokio::spawn(async move {
                let check = unit.check;
                let target = unit.target;
                tokio::time::timeout_at(deadline, check.run(&cx, &target)).await
            });
            let (outcome, panicked) = match task.await {
                Ok(Ok(outcome)) => (outcome, false),
                Ok(Err(_)) => (
                    Outcome::error(format!(
                        "not finished when the audit deadline ({deadline_secs}s) was reached"
                    ))
                    .remediation("Raise --deadline, or look for a host that answers slowly."),
                    false,
                ),
                Err(e) => {
                    let text = match e.try_into_panic() {
                        Ok(panic) => panic_text(panic.as_ref()),
                        Err(e) => e.to_string(),
                    };
                    (
                        Outcome::error(format!("internal error in this check: {text}")),
                        true,
                    )
                }
            };
            progress.finish(&label);
            let outcome = clamp(outcome, meta.severity);
            let result = CheckResult::from_outcome(
                meta.id,
                &target,
                outcome,
                started.elapsed().as_millis() as u64,
            );
            (result, panicked)
        }
    }))
    .buffer_unordered(256);
    while let Some((result, panicked)) = stream.next().await {
        internal_errors += usize::from(panicked);
        results.push(result);
    }
    drop(stream);
    progress.done();
    apply_waivers(&cx, &mut results);
    results.sort_by(|a, b| (&a.check, &a.target).cmp(&(&b.check, &b.target)));
    Ok(RunOutput {
        results,
        internal_errors,
    })
}

/// The result of a check stopped by placeholder values: `error`, never run.
fn placeholder_error(id: &str, target: &str, fields: &[String]) -> CheckResult {
    let outcome = Outcome::error(format!("placeholder in {}", fields.join(", ")))
        .details(serde_json::json!({ "placeholders": fields }))
        .remediation(
            "Replace the TODO / example.com values in the manifest with your real ones (launch-ready init drafted them), then audit again.",
        );
    CheckResult::from_outcome(id, target, outcome, 0)
}

fn skipped(id: &str, target: &str, reason: &str) -> CheckResult {
    CheckResult::from_outcome(id, target, Outcome::skip(reason), 0)
}

/// A warn-level check never reports `fail`.
fn clamp(outcome: Outcome, severity: crate::checks::Severity) -> Outcome {
    if severity == crate::checks::Severity::Warn && outcome.status == Status::Fail {
        outcome.with_status(Status::Warn)
    } else {
        outcome
    }
}

/// Active waivers turn matching findings into `waived`; expired ones do not apply
/// (they are reported by `manifest.waiver-expired`). Passing results stay as they are.
fn apply_waivers(cx: &Context, results: &mut [CheckResult]) {
    let today = cx.today();
    for waiver in &cx.manifest.waivers {
        if waiver.expires.0 < today {
            continue;
        }
        let Ok(glob) = Glob::new(&waiver.check).map(|g| g.compile_matcher()) else {
            continue;
        };
        for r in results.iter_mut() {
            let target_matches = waiver.target.as_deref().is_none_or(|t| t == r.target);
            let finding = matches!(r.status, Status::Warn | Status::Fail | Status::Error);
            if finding && glob.is_match(&r.check) && target_matches {
                let was = r.status;
                r.status = Status::Waived;
                r.summary = format!(
                    "{} (waived until {}: {})",
                    r.summary, waiver.expires, waiver.reason
                );
                if let serde_json::Value::Object(map) = &mut r.details {
                    map.insert("waived_status".into(), was.as_str().into());
                } else {
                    r.details = serde_json::json!({ "waived_status": was.as_str(), "evidence": r.details.take() });
                }
            }
        }
    }
}

/// The message of a panic payload (`panic!("...")` carries a `&str` or a `String`).
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

#[path = "runner_progress.rs"]
mod progress;

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
