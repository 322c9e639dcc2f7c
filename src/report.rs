//! The result model (SPEC §3): what checks produce and every renderer reads.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Outcome of one check against one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Error,
    Skip,
    Waived,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Error,
        Status::Skip,
        Status::Waived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skip => "skip",
            Status::Waived => "waived",
        }
    }

    /// A gate fails closed: `error` weighs as much as `fail`.
    pub fn gate_rank(self) -> u8 {
        match self {
            Status::Pass | Status::Skip | Status::Waived => 0,
            Status::Warn => 1,
            Status::Fail | Status::Error => 2,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a result compares with the `--baseline` report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Fixed,
    Unchanged,
}

/// What a check says about one target, before the runner stamps id and timing on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub summary: String,
    pub details: Value,
    pub remediation: Option<String>,
}

impl Outcome {
    fn new(status: Status, summary: impl Into<String>) -> Self {
        Self {
            status,
            summary: summary.into(),
            details: Value::Null,
            remediation: None,
        }
    }
    pub fn pass(summary: impl Into<String>) -> Self {
        Self::new(Status::Pass, summary)
    }
    pub fn warn(summary: impl Into<String>) -> Self {
        Self::new(Status::Warn, summary)
    }
    pub fn fail(summary: impl Into<String>) -> Self {
        Self::new(Status::Fail, summary)
    }
    pub fn error(summary: impl Into<String>) -> Self {
        Self::new(Status::Error, summary)
    }
    pub fn skip(summary: impl Into<String>) -> Self {
        Self::new(Status::Skip, summary)
    }
    pub fn with_status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
    pub fn remediation(mut self, text: impl Into<String>) -> Self {
        self.remediation = Some(text.into());
        self
    }
}

/// One row of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: String,
    pub target: String,
    pub status: Status,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub details: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

impl CheckResult {
    pub fn from_outcome(check: &str, target: &str, outcome: Outcome, duration_ms: u64) -> Self {
        Self {
            check: check.to_owned(),
            target: target.to_owned(),
            status: outcome.status,
            summary: outcome.summary,
            details: outcome.details,
            remediation: outcome.remediation,
            duration_ms,
            change: None,
        }
    }

    /// The area of a check id: `email` for `email.spf`.
    pub fn area(&self) -> &str {
        self.check.split('.').next().unwrap_or(&self.check)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub error: usize,
    pub skip: usize,
    pub waived: usize,
}

impl Counts {
    pub fn of(results: &[CheckResult]) -> Self {
        let mut c = Counts::default();
        for r in results {
            *c.slot(r.status) += 1;
        }
        c
    }
    fn slot(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Pass => &mut self.pass,
            Status::Warn => &mut self.warn,
            Status::Fail => &mut self.fail,
            Status::Error => &mut self.error,
            Status::Skip => &mut self.skip,
            Status::Waived => &mut self.waived,
        }
    }
    pub fn get(&self, status: Status) -> usize {
        let mut copy = *self;
        *copy.slot(status)
    }
}

/// The overall verdict: the worst gate-relevant status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

/// The threshold of `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Fail,
    Warn,
}

/// A cause several results share ("no DNS answers"), said once above them. Grouping
/// is presentation only: every affected check keeps its own result (SPEC §7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Stable, machine-readable: `dns-unavailable`.
    pub code: String,
    pub message: String,
}

/// A finished audit.
#[derive(Clone, Debug)]
pub struct Report {
    pub tool_version: String,
    pub project: String,
    pub environment: String,
    pub manifest: String,
    pub started_at: String,
    pub duration_ms: u64,
    /// Sorted by check, then target.
    pub results: Vec<CheckResult>,
    /// Manual items from the manifest, carried into the checklist exports.
    pub handover: Vec<crate::manifest::HandoverItem>,
    /// What renderers need beyond the results; filled by `crate::enrich` when the
    /// report is built, so that renderers read the report only.
    pub meta: ReportMeta,
    /// Shared causes, shown once before the results in every format.
    pub notices: Vec<Notice>,
}

/// A check as the reports describe it (title, severity, doc), taken from the registry.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckInfo {
    pub id: String,
    pub title: String,
    /// The worst status the check gives: `Fail` or `Warn`.
    pub severity: Status,
    /// `checks/<id>.md`.
    pub doc: String,
}

#[derive(Clone, Debug, Default)]
pub struct ReportMeta {
    /// Every check that has a result, sorted by id.
    pub checks: Vec<CheckInfo>,
    /// `code.root` relative to the repository root, `/`-separated (`""` for the root).
    pub code_root: Option<String>,
    /// The manifest relative to the repository root, `/`-separated.
    pub manifest_path: Option<String>,
}

impl ReportMeta {
    pub fn check(&self, id: &str) -> Option<&CheckInfo> {
        self.checks.iter().find(|c| c.id == id)
    }
}

impl Report {
    pub fn sort(&mut self) {
        self.results
            .sort_by(|a, b| (&a.check, &a.target).cmp(&(&b.check, &b.target)));
    }

    /// `--baseline`: findings that appear are `new`, findings that went away are `fixed`.
    pub fn mark_changes(&mut self, base: &Report) {
        let finding = |s: Status| matches!(s, Status::Warn | Status::Fail | Status::Error);
        for r in &mut self.results {
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

    pub fn counts(&self) -> Counts {
        Counts::of(&self.results)
    }

    pub fn verdict(&self) -> Verdict {
        match self.results.iter().map(|r| r.status.gate_rank()).max() {
            Some(2) => Verdict::Fail,
            Some(1) => Verdict::Warn,
            _ => Verdict::Pass,
        }
    }

    /// Exit code 1 when anything reaches the `--fail-on` threshold, else 0.
    pub fn gate_fails(&self, fail_on: FailOn) -> bool {
        let threshold = match fail_on {
            FailOn::Fail => 2,
            FailOn::Warn => 1,
        };
        self.results
            .iter()
            .any(|r| r.status.gate_rank() >= threshold)
    }
}
