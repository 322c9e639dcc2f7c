//! The terminal table: one block per area, coloured by status, verdict last.

use std::io::Write;

use comfy_table::{
    Attribute, Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED,
};

use super::Style;
use crate::report::{Report, Status, Verdict};

fn status_cell(status: Status, style: Style) -> Cell {
    let cell = Cell::new(status.as_str().to_uppercase());
    if !style.color {
        return cell;
    }
    let color = match status {
        Status::Pass => Color::Green,
        Status::Warn => Color::Yellow,
        Status::Fail => Color::Red,
        Status::Error => Color::Magenta,
        Status::Skip => Color::DarkGrey,
        Status::Waived => Color::Cyan,
    };
    cell.fg(color).add_attribute(Attribute::Bold)
}

pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "launch-ready {} · {} ({}) · {}",
        report.tool_version, report.project, report.environment, report.manifest
    )?;
    for notice in &report.notices {
        writeln!(out, "notice: {}", notice.message)?;
    }
    for (area, results) in super::by_area(report) {
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(120)
            .set_header(vec!["status", "check", "target", "summary"]);
        if !style.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        for r in results {
            table.add_row(vec![
                status_cell(r.status, style),
                Cell::new(&r.check),
                Cell::new(&r.target),
                Cell::new(&r.summary),
            ]);
        }
        writeln!(out)?;
        writeln!(out, "{}", area.to_uppercase())?;
        writeln!(out, "{table}")?;
    }
    let verdict = match report.verdict() {
        Verdict::Pass => "PASS",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
    };
    writeln!(out)?;
    writeln!(
        out,
        "verdict: {verdict} — {} ({} ms)",
        super::counts_text(report.counts()),
        report.duration_ms
    )
}
