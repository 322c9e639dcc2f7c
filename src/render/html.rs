//! A self-contained HTML checklist (no external assets), for handing a project over.

use std::io::Write;

use super::escape_xml as h;
use crate::report::Report;

const CSS: &str = "body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}\
.s{font-weight:700;text-transform:uppercase;font-size:.8rem}.pass{color:#17803d}.warn{color:#a15c00}.fail{color:#c0162b}.error{color:#8a1fa3}.skip{color:#777}.waived{color:#0b6e8a}\
small{color:#555}";

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<title>Launch readiness: {}</title><style>{CSS}</style></head><body>",
        h(&report.project)
    )?;
    writeln!(
        out,
        "<h1>Launch readiness: {} <small>({})</small></h1>",
        h(&report.project),
        h(&report.environment)
    )?;
    writeln!(
        out,
        "<p>launch-ready {} · {} · verdict <b>{:?}</b>: {}</p>",
        h(&report.tool_version),
        h(&report.started_at),
        report.verdict(),
        super::counts_text(report.counts())
    )?;
    for notice in &report.notices {
        writeln!(
            out,
            "<p class=\"notice\"><b>Notice:</b> {}</p>",
            h(&notice.message)
        )?;
    }
    for (area, results) in super::by_area(report) {
        writeln!(
            out,
            "<h2>{}</h2><table><tr><th>status</th><th>check</th><th>target</th><th>summary</th></tr>",
            h(area)
        )?;
        for r in results {
            let fix = r
                .remediation
                .as_deref()
                .map(|f| format!("<br><small>How to fix: {}</small>", h(f)))
                .unwrap_or_default();
            writeln!(
                out,
                "<tr><td class=\"s {s}\">{s}</td><td><code>{}</code></td><td>{}</td><td>{}{fix}</td></tr>",
                h(&r.check),
                h(&r.target),
                h(&r.summary),
                s = r.status.as_str()
            )?;
        }
        writeln!(out, "</table>")?;
    }
    if !report.handover.is_empty() {
        writeln!(out, "<h2>Handover</h2><ul>")?;
        for item in &report.handover {
            let by = item
                .by
                .as_deref()
                .map(|b| format!(" — {}", h(b)))
                .unwrap_or_default();
            writeln!(
                out,
                "<li>{} {}{by}</li>",
                if item.done { "&#9745;" } else { "&#9744;" },
                h(&item.item)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</body></html>")
}
