//! Renderers read a finished `Report` and write one format; checks never know about
//! them.

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::Write;

use crate::report::{CheckResult, Counts, Report};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Junit,
    Sarif,
    Markdown,
    Html,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
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

/// The docs of a check without its title line, for SARIF `help` and exports.
pub(crate) fn check_doc(id: &str) -> &'static str {
    crate::checks::find(id).map(|c| c.meta().doc).unwrap_or("")
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
