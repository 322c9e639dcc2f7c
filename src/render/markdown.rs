//! The handover checklist: every result as a ticked or unticked item, findings with
//! their fix, then the manual items from the manifest.

use std::io::Write;

use crate::report::{Report, Status};

fn tick(status: Status) -> &'static str {
    match status {
        Status::Pass | Status::Waived => "[x]",
        _ => "[ ]",
    }
}

/// Markdown-safe inline text (no table or emphasis surprises from summaries).
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# Launch readiness: {} ({})",
        md(&report.project),
        report.environment
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Audited {} with launch-ready {} — **{:?}**: {}.",
        report.started_at,
        report.tool_version,
        report.verdict(),
        super::counts_text(report.counts())
    )?;
    for notice in &report.notices {
        writeln!(out)?;
        writeln!(out, "> **Notice:** {}", md(&notice.message))?;
    }
    for (area, results) in super::by_area(report) {
        writeln!(out)?;
        writeln!(out, "## {area}")?;
        writeln!(out)?;
        for r in results {
            writeln!(
                out,
                "- {} **{}** `{}` — {} _({})_",
                tick(r.status),
                r.check,
                md(&r.target),
                md(&r.summary),
                r.status
            )?;
            if matches!(r.status, Status::Fail | Status::Warn | Status::Error)
                && let Some(fix) = &r.remediation
            {
                writeln!(
                    out,
                    "  - How to fix: {} (`launch-ready explain {}`)",
                    md(fix),
                    r.check
                )?;
            }
        }
    }
    if !report.handover.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Handover")?;
        writeln!(out)?;
        for item in &report.handover {
            let by = item
                .by
                .as_deref()
                .map(|b| format!(" — {}", md(b)))
                .unwrap_or_default();
            writeln!(
                out,
                "- {} {}{by}",
                if item.done { "[x]" } else { "[ ]" },
                md(&item.item)
            )?;
        }
    }
    Ok(())
}
