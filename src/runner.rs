//! The one place where checks run concurrently: every (check, target) unit is a task,
//! network work is bounded by the shared semaphore in `net`, the whole audit by the
//! deadline. Results are sorted afterwards so output is deterministic.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::checks::{DynCheck, Plan};
use crate::context::Context;
use crate::report::{CheckResult, Outcome, Status};

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

pub struct Selection {
    only: Option<GlobSet>,
    skip: GlobSet,
}

impl Selection {
    pub fn new(only: &[String], skip: &[String]) -> Result<Self, String> {
        let build = |globs: &[String]| -> Result<GlobSet, String> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| format!("bad check glob `{g}`: {e}"))?);
            }
            b.build().map_err(|e| e.to_string())
        };
        Ok(Self {
            only: if only.is_empty() {
                None
            } else {
                Some(build(only)?)
            },
            skip: build(skip)?,
        })
    }

    pub fn selects(&self, id: &str) -> bool {
        self.only.as_ref().is_none_or(|o| o.is_match(id)) && !self.skip.is_match(id)
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
    let selection = Selection::new(&opts.only, &opts.skip)?;
    let mut results = Vec::new();
    let mut units = Vec::new();
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
        match check.plan(&cx).await {
            Plan::Targets(targets) => {
                units.extend(targets.into_iter().map(|target| Unit { check, target }))
            }
            Plan::Skip { target, reason } => results.push(skipped(meta.id, &target, &reason)),
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

    let bar = progress_bar(opts.progress, units.len());
    let deadline = tokio::time::Instant::now() + opts.deadline;
    let deadline_secs = opts.deadline.as_secs_f64();
    let mut internal_errors = 0;
    let mut stream = futures::stream::iter(units.into_iter().map(|unit| {
        let cx = cx.clone();
        async move {
            let meta = unit.check.meta();
            let started = Instant::now();
            let target = unit.target.clone();
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
                Err(e) => (
                    Outcome::error(format!("internal error in this check: {e}")),
                    true,
                ),
            };
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
        if let Some(bar) = &bar {
            bar.inc(1);
            bar.set_message(result.check.clone());
        }
        internal_errors += usize::from(panicked);
        results.push(result);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    apply_waivers(&cx, &mut results);
    results.sort_by(|a, b| (&a.check, &a.target).cmp(&(&b.check, &b.target)));
    Ok(RunOutput {
        results,
        internal_errors,
    })
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

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} checks {wide_bar} {msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
