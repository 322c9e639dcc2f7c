//! The handover document as one self-contained HTML page (no external assets) that
//! prints well: the first screen says verdict, counts per area (an inline SVG chart)
//! and what to fix first; then the areas, each starting a printed page; then the
//! handover checklist. Every text from results is escaped; remediation Markdown (code
//! spans, links) is rendered by `inline`.

use std::io::Write;

use super::checklist::{self, State};
use super::escape_xml as h;
use super::inline::to_html as md;
use super::markdown::{FIX_FIRST, also, evidence, status_word};
use crate::report::{CheckResult, Counts, Report, Status};

const CSS: &str = "\
body{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
h1{margin:.2rem 0}h1 small{color:#555;font-weight:400}.meta{color:#555;margin:.2rem 0 1rem}\
.verdict{display:inline-block;font-size:1.6rem;font-weight:700;padding:.2rem .8rem;border-radius:.3rem;color:#fff;margin:0}\
.verdict.fail{background:#c0162b;color:#fff}.verdict.warn{background:#a15c00;color:#fff}.verdict.pass{background:#17803d;color:#fff}\
.top{display:flex;flex-wrap:wrap;gap:1rem 2.5rem;align-items:flex-start}\
.counts{list-style:none;padding:0;margin:.6rem 0 1rem}.counts li{margin:.1rem 0}svg.chart{display:block;margin:0 0 1rem}\
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}\
code{font-size:.9em}code.id{white-space:nowrap}td.target{overflow-wrap:anywhere}\
.s{font-weight:700;text-transform:uppercase;font-size:.8rem;white-space:nowrap}.pass{color:#17803d}.warn{color:#a15c00}.fail{color:#c0162b}.error{color:#8a1fa3}.skip{color:#777}.waived{color:#0b6e8a}\
.fix,.ev{font-size:.9rem;color:#444;margin:.2rem 0}.ev code{overflow-wrap:anywhere}#fix-first li{margin-bottom:.8rem}\
#fix-first p{margin:.15rem 0}td.tick{font-size:1.1rem}\
.hs table{table-layout:fixed}.hs th:nth-child(1){width:2rem}.hs th:nth-child(2){width:44%}.hs th:nth-child(3){width:18%}.hs th:nth-child(5){width:7rem}\
@media print{body{max-width:none;margin:0;font-size:11pt}section.area{break-before:page}\
tr,li,.hs{break-inside:avoid}a{color:inherit}details>summary{list-style:none}}";

/// Opens every folded section before printing, so the PDF carries the passes too.
const SCRIPT: &str = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";

fn counts_of(results: &[&CheckResult]) -> Counts {
    Counts::of(&results.iter().map(|r| (*r).clone()).collect::<Vec<_>>())
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let verdict = format!("{:?}", report.verdict()).to_lowercase();
    let c = report.counts();
    writeln!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>Launch readiness: {} ({})</title><style>{CSS}</style></head><body>",
        h(&report.project),
        h(&report.environment)
    )?;
    writeln!(
        out,
        "<header id=\"summary\"><h1>Launch readiness: {} <small>{}</small></h1>",
        h(&report.project),
        h(&report.environment)
    )?;
    writeln!(
        out,
        "<p class=\"meta\">Audited {} by launch-ready {} · manifest <code>{}</code> · {} results</p>",
        h(&super::audit_time(report)),
        h(&report.tool_version),
        h(&report.manifest),
        report.results.len()
    )?;
    for notice in &report.notices {
        writeln!(
            out,
            "<p class=\"notice\"><b>Notice:</b> {}</p>",
            h(&notice.message)
        )?;
    }
    // Verdict and counts beside the chart, so "fix first" starts on the first screen.
    writeln!(
        out,
        "<div class=\"top\"><div><p id=\"verdict\" class=\"verdict {verdict}\">Verdict: {}</p>",
        verdict.to_uppercase()
    )?;
    writeln!(
        out,
        "<ul class=\"counts\"><li class=\"fail\"><b>{} fail</b></li><li class=\"error\"><b>{} error</b></li><li class=\"warn\"><b>{} warn</b></li><li class=\"pass\">{} pass</li><li class=\"skip\">{} not checked</li><li class=\"waived\">{} waived</li></ul></div>",
        c.fail, c.error, c.warn, c.pass, c.skip, c.waived
    )?;
    let areas = super::areas_by_urgency(report);
    chart(&areas, out)?;
    writeln!(out, "</div></header>")?;
    fix_first(report, out)?;
    results(report, &areas, out)?;
    handover(report, out)?;
    writeln!(out, "<script>{SCRIPT}</script></body></html>")
}

/// Counts per area as horizontal stacked bars.
fn chart(areas: &[(&str, Vec<&CheckResult>)], out: &mut dyn Write) -> std::io::Result<()> {
    const ROW: usize = 22;
    const LABEL: usize = 120;
    const BAR: f64 = 360.0;
    let largest = areas
        .iter()
        .map(|(_, rs)| rs.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let height = ROW * areas.len() + 4;
    writeln!(
        out,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">Results per area</title>",
        LABEL + BAR as usize + 200,
        LABEL + BAR as usize + 200
    )?;
    for (i, (area, results)) in areas.iter().enumerate() {
        let k = counts_of(results);
        let y = i * ROW + 2;
        writeln!(
            out,
            "<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#333\">{}</text>",
            y + 14,
            h(&super::area_title(area))
        )?;
        let mut x = LABEL as f64;
        let parts = [
            (k.fail, "#c0162b", "fail"),
            (k.error, "#8a1fa3", "error"),
            (k.warn, "#a15c00", "warn"),
            (k.pass, "#17803d", "pass"),
            (k.waived, "#0b6e8a", "waived"),
            (k.skip, "#bbbbbb", "not checked"),
        ];
        for (n, color, word) in parts.iter().filter(|(n, _, _)| *n > 0) {
            let w = BAR * *n as f64 / largest as f64;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" fill=\"{color}\"><title>{n} {word}</title></rect>"
            )?;
            x += w;
        }
        let label: Vec<String> = parts
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, _, word)| format!("{n} {word}"))
            .collect();
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\" fill=\"#555\">{}</text>",
            x + 6.0,
            y + 13,
            label.join(", ")
        )?;
    }
    writeln!(out, "</svg>")
}

fn status(s: Status) -> String {
    format!("<span class=\"s {}\">{}</span>", s.as_str(), status_word(s))
}

fn fix_first(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let found = super::fix_first_by_check(report);
    writeln!(out, "<section id=\"fix-first\"><h2>Fix first</h2>")?;
    if found.is_empty() {
        writeln!(out, "<p>Nothing failed: no fail or error result.</p>")?;
    } else {
        writeln!(out, "<ol>")?;
        for (r, more) in found.iter().take(FIX_FIRST) {
            write!(
                out,
                "<li>{} <code class=\"id\">{}</code> · <code>{}</code>{}<p>{}</p>",
                status(r.status),
                h(&r.check),
                h(&r.target),
                h(&also(*more)),
                h(&r.summary)
            )?;
            if let Some(ev) = evidence(r) {
                write!(
                    out,
                    "<details class=\"ev\"><summary>Evidence</summary><code>{}</code></details>",
                    h(&ev)
                )?;
            }
            if let Some(fix) = &r.remediation {
                write!(out, "<p class=\"fix\">Fix: {}</p>", md(fix))?;
            }
            writeln!(
                out,
                "<p class=\"fix\">More: <code>launch-ready explain {}</code></p></li>",
                h(&r.check)
            )?;
        }
        writeln!(out, "</ol>")?;
        let rest: usize = found.iter().skip(FIX_FIRST).map(|(_, m)| m + 1).sum();
        if rest > 0 {
            writeln!(
                out,
                "<p>…and {rest} more fail/error results in the areas below.</p>"
            )?;
        }
    }
    writeln!(out, "</section>")
}

fn rows(results: &[&CheckResult], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "<table><tr><th>Status</th><th>Check</th><th>Target</th><th>Summary</th></tr>"
    )?;
    for r in results {
        let fix = match (&r.remediation, r.status) {
            (Some(f), Status::Fail | Status::Warn | Status::Error) => {
                format!("<p class=\"fix\">Fix: {}</p>", md(f))
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "<tr><td>{}</td><td><code class=\"id\">{}</code></td><td class=\"target\">{}</td><td>{}{fix}</td></tr>",
            status(r.status),
            h(&r.check),
            h(&r.target),
            h(&r.summary)
        )?;
    }
    writeln!(out, "</table>")
}

fn results(
    report: &Report,
    areas: &[(&str, Vec<&CheckResult>)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let groups = super::skip_groups(report);
    let grouped = |r: &CheckResult| {
        groups
            .iter()
            .any(|g| g.results.iter().any(|x| std::ptr::eq(*x, r)))
    };
    for (area, results) in areas {
        let (passes, rest): (Vec<&CheckResult>, Vec<&CheckResult>) = super::by_status(results)
            .into_iter()
            .filter(|r| !grouped(r))
            .partition(|r| r.status == Status::Pass);
        if rest.is_empty() && passes.is_empty() {
            continue; // every result is a grouped skip, listed under "Not checked"
        }
        writeln!(
            out,
            "<section class=\"area\" id=\"area-{}\"><h2>{}</h2>",
            h(area),
            h(&super::area_title(area))
        )?;
        if !rest.is_empty() {
            rows(&rest, out)?;
        }
        if !passes.is_empty() {
            writeln!(out, "<details><summary>{} passed</summary>", passes.len())?;
            rows(&passes, out)?;
            writeln!(out, "</details>")?;
        }
        writeln!(out, "</section>")?;
    }
    if !groups.is_empty() {
        writeln!(
            out,
            "<section class=\"area\" id=\"not-checked\"><h2>Not checked</h2><ul>"
        )?;
        for g in &groups {
            writeln!(
                out,
                "<li>{} results: {} — <code>{}</code></li>",
                g.results.len(),
                h(g.reason),
                h(&super::id_list(&g.results))
            )?;
        }
        writeln!(out, "</ul></section>")?;
    }
    Ok(())
}

fn handover(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "<section class=\"area\" id=\"handover\"><h2>Handover checklist</h2>"
    )?;
    for section in checklist::build(report) {
        writeln!(
            out,
            "<div class=\"hs\"><h3>{}</h3><table><tr><th></th><th>Item</th><th>Owner</th><th>Status</th><th>Date</th></tr>",
            h(section.area.title())
        )?;
        for item in section.items {
            let (tick, class) = match item.state {
                State::Done => ("&#9745;", "pass"),
                State::NotChecked(_) => ("&#8211;", "skip"),
                State::Open(_) => ("&#9744;", "fail"),
                State::Pending | State::ToAttest => ("&#9744;", "warn"),
            };
            writeln!(
                out,
                "<tr><td class=\"tick {class}\">{tick}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                h(&item.text),
                h(item.owner.as_deref().unwrap_or("")),
                h(&item.state.label()),
                h(item.date.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(out, "</table></div>")?;
    }
    writeln!(out, "</section>")
}
