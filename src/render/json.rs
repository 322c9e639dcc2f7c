//! The JSON report, v1: wire structs with a `schema_version`, decoupled from the
//! internal types so the format changes only on purpose. A committed sample
//! (`fixtures/reports/v1.json`) is read back by a test; `launch-ready schema --report`
//! prints the JSON Schema generated from these structs. Readers tolerate fields they
//! do not know (a later v1 may add optional ones); removing or renaming a field, or
//! changing its meaning, is a new `schema_version`.

use std::io::Write;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::report::{Change, CheckResult, Counts, Notice, Report, Status, Verdict};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireReport {
    /// Bumped only on a breaking change; readers refuse newer versions.
    pub schema_version: u32,
    pub tool: WireTool,
    pub project: String,
    pub environment: String,
    pub manifest: String,
    /// RFC 3339.
    pub started_at: String,
    pub duration_ms: u64,
    pub summary: WireSummary,
    /// Shared causes (e.g. no DNS answers), each said once; the affected results
    /// are still listed one by one.
    #[serde(default)]
    pub notices: Vec<WireNotice>,
    /// Sorted by check, then target.
    pub results: Vec<WireResult>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handover: Vec<WireHandover>,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireTool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireSummary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub error: usize,
    pub skip: usize,
    pub waived: usize,
    pub verdict: WireVerdict,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum WireVerdict {
    Pass,
    Warn,
    Fail,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireNotice {
    /// Stable code, e.g. `dns-unavailable`.
    pub code: String,
    pub message: String,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum WireStatus {
    Pass,
    Warn,
    Fail,
    Error,
    Skip,
    Waived,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum WireChange {
    New,
    Fixed,
    Unchanged,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireResult {
    /// Check id, e.g. `tls.expiry`.
    pub check: String,
    /// Host, URL, record name, env var name, webhook name or file.
    pub target: String,
    pub status: WireStatus,
    pub summary: String,
    /// Structured evidence; never a secret value.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub details: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    pub duration_ms: u64,
    /// With `--baseline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<WireChange>,
}

#[derive(Serialize, Deserialize, JsonSchema, Debug, Clone, PartialEq)]
pub struct WireHandover {
    pub item: String,
    #[serde(default)]
    pub done: bool,
    /// The owner (`null` when nobody is named).
    #[serde(default)]
    pub by: Option<String>,
    /// The checklist section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<crate::manifest::HandoverArea>,
    /// When it was done or attested (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::manifest::DateField>,
}

impl From<Status> for WireStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Pass => WireStatus::Pass,
            Status::Warn => WireStatus::Warn,
            Status::Fail => WireStatus::Fail,
            Status::Error => WireStatus::Error,
            Status::Skip => WireStatus::Skip,
            Status::Waived => WireStatus::Waived,
        }
    }
}

impl From<WireStatus> for Status {
    fn from(s: WireStatus) -> Self {
        match s {
            WireStatus::Pass => Status::Pass,
            WireStatus::Warn => Status::Warn,
            WireStatus::Fail => Status::Fail,
            WireStatus::Error => Status::Error,
            WireStatus::Skip => Status::Skip,
            WireStatus::Waived => Status::Waived,
        }
    }
}

fn change_to_wire(c: Change) -> WireChange {
    match c {
        Change::New => WireChange::New,
        Change::Fixed => WireChange::Fixed,
        Change::Unchanged => WireChange::Unchanged,
    }
}

fn change_from_wire(c: WireChange) -> Change {
    match c {
        WireChange::New => Change::New,
        WireChange::Fixed => Change::Fixed,
        WireChange::Unchanged => Change::Unchanged,
    }
}

impl WireResult {
    fn from_result(r: &CheckResult) -> Self {
        Self {
            check: r.check.clone(),
            target: r.target.clone(),
            status: r.status.into(),
            summary: r.summary.clone(),
            details: r.details.clone(),
            remediation: r.remediation.clone(),
            duration_ms: r.duration_ms,
            change: r.change.map(change_to_wire),
        }
    }

    fn into_result(self) -> CheckResult {
        CheckResult {
            check: self.check,
            target: self.target,
            status: self.status.into(),
            summary: self.summary,
            details: self.details,
            remediation: self.remediation,
            duration_ms: self.duration_ms,
            change: self.change.map(change_from_wire),
        }
    }
}

fn summary(counts: Counts, verdict: Verdict) -> WireSummary {
    WireSummary {
        pass: counts.pass,
        warn: counts.warn,
        fail: counts.fail,
        error: counts.error,
        skip: counts.skip,
        waived: counts.waived,
        verdict: match verdict {
            Verdict::Pass => WireVerdict::Pass,
            Verdict::Warn => WireVerdict::Warn,
            Verdict::Fail => WireVerdict::Fail,
        },
    }
}

impl WireReport {
    pub fn from_report(report: &Report) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: WireTool {
                name: "launch-ready".into(),
                version: report.tool_version.clone(),
            },
            project: report.project.clone(),
            environment: report.environment.clone(),
            manifest: report.manifest.clone(),
            started_at: report.started_at.clone(),
            duration_ms: report.duration_ms,
            summary: summary(report.counts(), report.verdict()),
            notices: report
                .notices
                .iter()
                .map(|n| WireNotice {
                    code: n.code.clone(),
                    message: n.message.clone(),
                })
                .collect(),
            results: report.results.iter().map(WireResult::from_result).collect(),
            handover: report
                .handover
                .iter()
                .map(|h| WireHandover {
                    item: h.item.clone(),
                    done: h.done,
                    by: h.by.clone(),
                    area: h.area,
                    date: h.date,
                })
                .collect(),
        }
    }

    pub fn into_report(self) -> Report {
        Report {
            tool_version: self.tool.version,
            project: self.project,
            environment: self.environment,
            manifest: self.manifest,
            started_at: self.started_at,
            duration_ms: self.duration_ms,
            results: self
                .results
                .into_iter()
                .map(WireResult::into_result)
                .collect(),
            handover: self
                .handover
                .into_iter()
                .map(|h| crate::manifest::HandoverItem {
                    item: h.item,
                    done: h.done,
                    by: h.by,
                    area: h.area,
                    date: h.date,
                })
                .collect(),
            notices: self
                .notices
                .into_iter()
                .map(|n| Notice {
                    code: n.code,
                    message: n.message,
                })
                .collect(),
            meta: Default::default(),
        }
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &WireReport::from_report(report))?;
    writeln!(out)
}

/// The JSON Schema of the report (`launch-ready schema --report`).
pub fn json_schema() -> Value {
    let schema = schemars::schema_for!(WireReport);
    serde_json::to_value(schema).unwrap_or_default()
}

/// Parse a JSON report written by this tool (for `--baseline` and `report merge`).
pub fn parse(text: &str) -> Result<Report, String> {
    // The version first, so that a newer report is refused with that reason rather
    // than with whatever field it added.
    let version = serde_json::from_str::<Value>(text)
        .map_err(|e| format!("not a launch-ready JSON report: {e}"))?
        .get("schema_version")
        .and_then(Value::as_u64)
        .ok_or("not a launch-ready JSON report: no schema_version")?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(format!(
            "schema_version {version}; this launch-ready reads up to {SCHEMA_VERSION}"
        ));
    }
    let wire: WireReport =
        serde_json::from_str(text).map_err(|e| format!("not a launch-ready JSON report: {e}"))?;
    Ok(wire.into_report())
}

/// Read a JSON report file written by this tool.
pub fn read(path: &std::path::Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
