//! The handover document in Markdown (also GitHub's job summary). First what a
//! non-engineer needs — verdict, counts per area, what to fix first — then the results
//! by area (findings first, passes folded), then the handover checklist.

use std::io::Write;

use super::checklist::{self, State};
use crate::report::{CheckResult, Counts, Report, Status};

/// How many checks the documents' "fix first" names; the rest are in their areas.
pub(crate) const FIX_FIRST: usize = 10;

/// Markdown-safe inline text: results carry text from audited servers, so no markup.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that survives any content.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Our own remediation Markdown, kept on one line of a list or table.
fn fix(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// What people call a status in a handover: a skip was not checked.
pub(crate) fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Error => "ERROR",
        Status::Skip => "not checked",
        Status::Waived => "waived",
    }
}

/// The evidence of a result, as compact JSON cut to a readable length.
pub(crate) fn evidence(r: &CheckResult) -> Option<String> {
    if r.details.is_null() {
        return None;
    }
    let text = serde_json::to_string(&r.details).ok()?;
    const MAX: usize = 280;
    Some(if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text
    })
}

/// One emoji per result, scaled so that the largest area takes at most 20.
fn bar(c: Counts, scale: f64) -> String {
    let n = |k: usize| ((k as f64 * scale).ceil()) as usize;
    [
        ("🟥", c.fail + c.error),
        ("🟨", c.warn),
        ("🟩", c.pass),
        ("🟦", c.waived),
        ("⬜", c.skip),
    ]
    .iter()
    .map(|(sq, k)| sq.repeat(n(*k)))
    .collect()
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let c = report.counts();
    writeln!(
        out,
        "# Launch readiness: {} ({})\n",
        md(&report.project),
        md(&report.environment)
    )?;
    writeln!(
        out,
        "**Verdict: {}** — {} fail · {} error · {} warn · {} pass · {} not checked · {} waived\n",
        format!("{:?}", report.verdict()).to_uppercase(),
        c.fail,
        c.error,
        c.warn,
        c.pass,
        c.skip,
        c.waived
    )?;
    writeln!(
        out,
        "Audited {} by launch-ready {} · manifest {} · {} results\n",
        super::audit_time(report),
        md(&report.tool_version),
        code(&report.manifest),
        report.results.len()
    )?;
    for notice in &report.notices {
        writeln!(out, "> **Notice:** {}\n", md(&notice.message))?;
    }
    let areas = super::areas_by_urgency(report);
    let counts: Vec<Counts> = areas
        .iter()
        .map(|(_, rs)| Counts::of(&rs.iter().map(|r| (*r).clone()).collect::<Vec<_>>()))
        .collect();
    let largest = areas.iter().map(|(_, rs)| rs.len()).max().unwrap_or(1);
    let scale = (20.0 / largest as f64).min(1.0);
    writeln!(
        out,
        "| Area | Fail | Error | Warn | Pass | Waived | Not checked | |"
    )?;
    writeln!(out, "|---|--:|--:|--:|--:|--:|--:|---|")?;
    for ((area, _), k) in areas.iter().zip(&counts) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            super::area_title(area),
            k.fail,
            k.error,
            k.warn,
            k.pass,
            k.waived,
            k.skip,
            bar(*k, scale)
        )?;
    }
    fix_first(report, out)?;
    results(report, &areas, out)?;
    handover(report, out)
}

fn fix_first(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let found = super::fix_first_by_check(report);
    writeln!(out, "\n## Fix first\n")?;
    if found.is_empty() {
        return writeln!(out, "Nothing failed: no fail or error result.");
    }
    for (n, (r, more)) in found.iter().take(FIX_FIRST).enumerate() {
        writeln!(
            out,
            "{}. **{} {}** — {}{}  ",
            n + 1,
            status_word(r.status),
            code(&r.check),
            code(&r.target),
            also(*more)
        )?;
        write!(out, "   {}", md(&r.summary))?;
        if let Some(ev) = evidence(r) {
            write!(out, "  \n   Evidence: {}", code(&ev))?;
        }
        if let Some(f) = &r.remediation {
            write!(out, "  \n   Fix: {}", fix(f))?;
        }
        writeln!(out, "  \n   More: `launch-ready explain {}`", r.check)?;
    }
    let rest: usize = found.iter().skip(FIX_FIRST).map(|(_, m)| m + 1).sum();
    if rest > 0 {
        writeln!(
            out,
            "\n…and {rest} more fail/error results in the areas below."
        )?;
    }
    Ok(())
}

/// How many more targets the same check failed on.
pub(crate) fn also(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more target)".into(),
        m => format!(" (and {m} more targets)"),
    }
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
    writeln!(out, "\n## Results by area")?;
    for (area, results) in areas {
        let sorted = super::by_status(results);
        let (passes, rest): (Vec<&CheckResult>, Vec<&CheckResult>) = sorted
            .into_iter()
            .filter(|r| !grouped(r))
            .partition(|r| r.status == Status::Pass);
        if rest.is_empty() && passes.is_empty() {
            continue; // every result is a grouped skip, listed under "Not checked"
        }
        writeln!(out, "\n### {}\n", super::area_title(area))?;
        if !rest.is_empty() {
            writeln!(out, "| Status | Check | Target | Summary |")?;
            writeln!(out, "|---|---|---|---|")?;
            for r in &rest {
                let mut text = md(&r.summary);
                if matches!(r.status, Status::Fail | Status::Warn | Status::Error)
                    && let Some(f) = &r.remediation
                {
                    text = format!("{text}<br>Fix: {}", fix(f));
                }
                writeln!(
                    out,
                    "| {} | {} | {} | {text} |",
                    status_word(r.status),
                    code(&r.check),
                    code(&r.target)
                )?;
            }
            writeln!(out)?;
        }
        if !passes.is_empty() {
            writeln!(out, "<details><summary>{} passed</summary>\n", passes.len())?;
            for r in &passes {
                writeln!(
                    out,
                    "- {} {} — {}",
                    code(&r.check),
                    code(&r.target),
                    md(&r.summary)
                )?;
            }
            writeln!(out, "\n</details>")?;
        }
    }
    if !groups.is_empty() {
        writeln!(out, "\n### Not checked\n")?;
        for g in &groups {
            writeln!(
                out,
                "- {} results: {} — {}",
                g.results.len(),
                md(g.reason),
                md(&super::id_list(&g.results))
            )?;
        }
    }
    Ok(())
}

fn handover(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "\n## Handover checklist")?;
    for section in checklist::build(report) {
        writeln!(out, "\n### {}\n", section.area.title())?;
        writeln!(out, "| | Item | Owner | Status | Date |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for item in section.items {
            let tick = match item.state {
                State::Done => "☑",
                State::NotChecked(_) => "–",
                _ => "☐",
            };
            writeln!(
                out,
                "| {tick} | {} | {} | {} | {} |",
                md(&item.text),
                md(item.owner.as_deref().unwrap_or("")),
                md(&item.state.label()),
                item.date.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(())
}
