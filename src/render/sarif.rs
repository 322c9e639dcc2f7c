//! SARIF 2.1.0 for code-scanning dashboards: one rule per check (its doc as help), one
//! result per finding. Passing, skipped and waived results are not findings.

use std::io::Write;

use serde_json::{Value, json};

use crate::report::{Report, Status};

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rule_ids: Vec<&str> = report.results.iter().map(|r| r.check.as_str()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let info = report.meta.check(id);
            let doc = info.map(|c| c.doc.as_str()).unwrap_or("");
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": info.map(|c| c.title.as_str()).unwrap_or(id) },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": match info.map(|c| c.severity) {
                    Some(Status::Warn) => "warning",
                    _ => "error",
                }},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Warn | Status::Error))
        .map(|r| {
            let level = match r.status {
                Status::Warn => "warning",
                _ => "error",
            };
            let text = match &r.remediation {
                Some(fix) => format!("{} — {fix}", r.summary),
                None => r.summary.clone(),
            };
            // Targets that are files of the audited repository get a physical location,
            // so dashboards can annotate them; the rest are logical (hosts, records).
            let location = if r.check.starts_with("code.") {
                json!({ "physicalLocation": { "artifactLocation": { "uri": r.target } } })
            } else {
                json!({ "logicalLocations": [ { "name": r.target, "kind": "resource" } ] })
            };
            json!({
                "ruleId": r.check,
                "level": level,
                "message": { "text": text },
                "locations": [location],
                "properties": { "status": r.status.as_str(), "target": r.target },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "launch-ready",
                "version": report.tool_version,
                "informationUri": "https://github.com/launch-ready/launch-ready",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": true,
                // Shared causes (SPEC §7): said once, as tool notifications.
                "toolExecutionNotifications": report.notices.iter().map(|n| json!({
                    "level": "warning",
                    "descriptor": { "id": n.code },
                    "message": { "text": n.message },
                })).collect::<Vec<_>>(),
            }],
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
