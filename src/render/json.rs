//! The JSON report: wire structs with a `schema_version`, decoupled from internal types
//! so the format changes only on purpose.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::report::{CheckResult, Counts, Report, Verdict};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct WireReport {
    pub schema_version: u32,
    pub tool: WireTool,
    pub project: String,
    pub environment: String,
    pub manifest: String,
    pub started_at: String,
    pub duration_ms: u64,
    pub summary: WireSummary,
    pub results: Vec<CheckResult>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handover: Vec<crate::manifest::HandoverItem>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct WireTool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct WireSummary {
    #[serde(flatten)]
    pub counts: Counts,
    pub verdict: Verdict,
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
            summary: WireSummary {
                counts: report.counts(),
                verdict: report.verdict(),
            },
            results: report.results.clone(),
            handover: report.handover.clone(),
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
            results: self.results,
            handover: self.handover,
            meta: Default::default(),
        }
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &WireReport::from_report(report))?;
    writeln!(out)
}

/// Read a JSON report written by this tool (for `--baseline` and `report merge`).
pub fn read(path: &std::path::Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let wire: WireReport = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a launch-ready JSON report: {e}", path.display()))?;
    if wire.schema_version > SCHEMA_VERSION {
        return Err(format!(
            "{} has schema_version {}; this launch-ready reads up to {SCHEMA_VERSION}",
            path.display(),
            wire.schema_version
        ));
    }
    Ok(wire.into_report())
}
