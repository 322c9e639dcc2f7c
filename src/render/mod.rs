//! Renderers read a finished `Report` and write one format; checks never know about
//! them.

mod checklist;
pub mod github;
pub mod html;
mod inline;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::Write;

use crate::report::{CheckResult, Counts, Report, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Junit,
    Sarif,
    Markdown,
    Html,
    /// GitHub Actions workflow commands (annotations), plus the job summary.
    Github,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// How the terminal table is laid out; the other formats ignore it.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Columns available; below `COMPACT_BELOW` the table switches to a compact layout.
    pub width: usize,
    /// List every pass (`--verbose`/`--all`) instead of a count per area.
    pub list_passes: bool,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            color: false,
            width: 120,
            list_passes: false,
        }
    }
}

pub fn render(
    format: Format,
    report: &Report,
    style: Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::render(report, style, out),
        Format::Json => json::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, out),
        Format::Github => github::render(report, out),
    }
}

/// The results grouped by area (`email` for `email.spf`), areas in report order.
pub(crate) fn by_area(report: &Report) -> Vec<(&str, Vec<&CheckResult>)> {
    let mut areas: Vec<&str> = report.results.iter().map(|r| r.area()).collect();
    areas.dedup();
    areas
        .into_iter()
        .map(|area| {
            let results = report.results.iter().filter(|r| r.area() == area);
            (area, results.collect())
        })
        .collect()
}

/// The counts as every summary line gives them: `3 pass, 1 warn, … 0 waived`.
pub(crate) fn counts_text(c: Counts) -> String {
    format!(
        "{} pass, {} warn, {} fail, {} error, {} skip, {} waived",
        c.pass, c.warn, c.fail, c.error, c.skip, c.waived
    )
}

/// The order results are read in: what to fix before what to look at.
pub(crate) fn reading_rank(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Warn => 2,
        Status::Waived => 3,
        Status::Skip => 4,
        Status::Pass => 5,
    }
}

/// Results sorted by reading rank, then check and target.
pub(crate) fn by_status<'a>(results: &[&'a CheckResult]) -> Vec<&'a CheckResult> {
    let mut sorted = results.to_vec();
    sorted.sort_by_key(|r| (reading_rank(r.status), &r.check, &r.target));
    sorted
}

/// The areas, those with the worst results first (then in report order).
pub(crate) fn areas_by_urgency(report: &Report) -> Vec<(&str, Vec<&CheckResult>)> {
    let mut areas = by_area(report);
    areas.sort_by_key(|(_, rs)| rs.iter().map(|r| reading_rank(r.status)).min());
    areas
}

/// How much a failure hurts, for ordering "fix first": exposed secrets, then payments
/// and webhooks, then the site being reachable and trusted, then the rest; a stale
/// waiver last.
fn impact(check: &str) -> u8 {
    const SECRETS: [&str; 3] = [
        "web.bundle-secrets",
        "code.client-secrets",
        "env.public-exposure",
    ];
    const REACHABLE: [&str; 5] = [
        "dns.resolves",
        "dns.dangling-cname",
        "tls.certificate",
        "tls.expiry",
        "http.https-redirect",
    ];
    let area = check.split('.').next().unwrap_or(check);
    if SECRETS.contains(&check) {
        0
    } else if matches!(area, "webhook" | "stripe") || check.starts_with("code.webhook") {
        1
    } else if REACHABLE.contains(&check) || area == "env" {
        2
    } else if area == "manifest" {
        4
    } else {
        3
    }
}

/// "Fix first": fails, then errors; checks whose failure is severe before warn-level
/// ones; by impact; then by id and target.
pub(crate) fn fix_first(report: &Report) -> Vec<&CheckResult> {
    let mut found: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .collect();
    let severity = |r: &CheckResult| match report.meta.check(&r.check).map(|c| c.severity) {
        Some(Status::Warn) => 1,
        _ => 0,
    };
    found.sort_by_key(|r| {
        (
            reading_rank(r.status),
            severity(r),
            impact(&r.check),
            &r.check,
            &r.target,
        )
    });
    found
}

/// "Fix first" with one entry per check: its first result, and the others' count.
pub(crate) fn fix_first_by_check(report: &Report) -> Vec<(&CheckResult, usize)> {
    let mut firsts: Vec<(&CheckResult, usize)> = Vec::new();
    for r in fix_first(report) {
        match firsts.iter_mut().find(|(f, _)| f.check == r.check) {
            Some((_, more)) => *more += 1,
            None => firsts.push((r, 0)),
        }
    }
    firsts
}

/// The area as a heading: `DNS`, `Webhooks`, `Environment`.
pub(crate) fn area_title(area: &str) -> String {
    match area {
        "dns" | "tls" | "http" | "crm" => area.to_uppercase(),
        "env" => "Environment".into(),
        "webhook" => "Webhooks".into(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// The start of the audit as people write it: `2026-12-01 02:29 UTC` (no nanoseconds).
pub(crate) fn audit_time(report: &Report) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(&report.started_at, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
        }
        Err(_) => report.started_at.clone(),
    }
}

/// The day of the audit, `YYYY-MM-DD`.
pub(crate) fn audit_date(report: &Report) -> String {
    audit_time(report)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Skips with the same reason, gathered so that 29 "needs the network" rows read as one.
pub(crate) struct SkipGroup<'a> {
    pub reason: &'a str,
    pub results: Vec<&'a CheckResult>,
}

/// Skip reasons shared by at least two results, most frequent first.
pub(crate) fn skip_groups(report: &Report) -> Vec<SkipGroup<'_>> {
    let mut groups: Vec<SkipGroup> = Vec::new();
    for r in report.results.iter().filter(|r| r.status == Status::Skip) {
        match groups.iter_mut().find(|g| g.reason == r.summary) {
            Some(g) => g.results.push(r),
            None => groups.push(SkipGroup {
                reason: &r.summary,
                results: vec![r],
            }),
        }
    }
    groups.retain(|g| g.results.len() > 1);
    groups.sort_by_key(|g| std::cmp::Reverse(g.results.len()));
    groups
}

/// The check ids of some results, once each, comma-separated.
pub(crate) fn id_list(results: &[&CheckResult]) -> String {
    let mut ids: Vec<&str> = results.iter().map(|r| r.check.as_str()).collect();
    ids.dedup();
    ids.join(", ")
}

/// The first sentence of a remediation, for one-line fixes.
pub(crate) fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default().trim();
    // A sentence ends at ". " before a capital: "e.g. a table" does not end one.
    let end = line
        .match_indices(". ")
        .find(|(i, _)| line[i + 2..].chars().next().is_some_and(char::is_uppercase));
    match end {
        Some((i, _)) => &line[..=i],
        None => line,
    }
}

pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters even when escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
