//! `launch-ready report merge`: one report from the shards of a CI matrix.

use std::path::PathBuf;

use crate::failure::{Failure, exit};
use crate::render::{self, Format, Style};

pub fn merge(paths: &[PathBuf], format: Format) -> Result<u8, Failure> {
    let mut reports = paths
        .iter()
        .map(|p| render::json::read(p).map_err(Failure::usage))
        .collect::<Result<Vec<_>, _>>()?;
    if reports.is_empty() {
        return Err(Failure::usage("report merge needs at least one report"));
    }
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
        for notice in r.notices {
            if !merged.notices.contains(&notice) {
                merged.notices.push(notice);
            }
        }
    }
    merged.sort();
    merged
        .results
        .dedup_by(|a, b| a.check == b.check && a.target == b.target);
    crate::enrich::describe_checks(&mut merged);
    let mut buf = Vec::new();
    render::render(format, &merged, Style::default(), &mut buf)
        .map_err(|e| Failure::internal(e.to_string()))?;
    super::output::print_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(if merged.gate_fails(crate::report::FailOn::Fail) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
