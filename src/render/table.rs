//! The terminal table: areas with findings first, findings before passes, passes counted
//! per area unless asked for, identical skips on one line, a "fix first" block, verdict
//! last. Wide terminals get a bordered table; below `COMPACT_BELOW` columns each result
//! takes two plain lines (status, id, target; then the summary).

use std::io::Write;

use comfy_table::{
    Attribute, Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED,
};

use super::{SkipGroup, Style};
use crate::report::{CheckResult, Counts, Report, Status, Verdict};

/// Narrower than this, a four-column table wraps every row: use the compact layout.
pub const COMPACT_BELOW: usize = 100;
/// How many findings the "fix first" block names.
const FIX_FIRST: usize = 5;
/// Indent of the compact layout's second line: the status column.
const INDENT: usize = 8;

fn color_of(status: Status) -> Color {
    match status {
        Status::Pass => Color::Green,
        Status::Warn => Color::Yellow,
        Status::Fail => Color::Red,
        Status::Error => Color::Magenta,
        Status::Skip => Color::DarkGrey,
        Status::Waived => Color::Cyan,
    }
}

/// The status word, upper case, coloured when colour is on.
fn paint(status: Status, style: Style) -> String {
    let word = status.as_str().to_uppercase();
    if !style.color {
        return word;
    }
    let code = match status {
        Status::Pass => "32",
        Status::Warn => "33",
        Status::Fail => "31",
        Status::Error => "35",
        Status::Skip => "90",
        Status::Waived => "36",
    };
    format!("\u{1b}[1;{code}m{word}\u{1b}[0m")
}

fn status_cell(status: Status, style: Style) -> Cell {
    let cell = Cell::new(status.as_str().to_uppercase());
    if !style.color {
        return cell;
    }
    cell.fg(color_of(status)).add_attribute(Attribute::Bold)
}

/// Greedy word wrap by characters; a word longer than the line is cut.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let cut: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(cut);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `3 fail, 1 warn, 5 pass` in reading order, zeros left out.
fn area_counts(c: Counts) -> String {
    let order = [
        Status::Fail,
        Status::Error,
        Status::Warn,
        Status::Waived,
        Status::Skip,
        Status::Pass,
    ];
    let parts: Vec<String> = order
        .iter()
        .filter(|s| c.get(**s) > 0)
        .map(|s| format!("{} {s}", c.get(*s)))
        .collect();
    parts.join(", ")
}

pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    let width = style.width.max(40);
    let compact = width < COMPACT_BELOW;
    let head = format!(
        "launch-ready {} · {} ({}) · {}",
        report.tool_version, report.project, report.environment, report.manifest
    );
    let when = super::audit_time(report);
    if head.chars().count() + when.chars().count() + 3 <= width {
        writeln!(out, "{head} · {when}")?;
    } else {
        writeln!(out, "{head}\n{when}")?;
    }
    // Shared causes first (SPEC §7): each affected result is still listed below.
    for notice in &report.notices {
        writeln!(out, "notice: {}", notice.message)?;
    }
    let groups = super::skip_groups(report);
    let grouped = |r: &CheckResult| {
        groups
            .iter()
            .any(|g| g.results.iter().any(|x| std::ptr::eq(*x, r)))
    };
    let mut passes_hidden = false;
    for (area, results) in super::areas_by_urgency(report) {
        let counts = Counts::of(&results.iter().map(|r| (*r).clone()).collect::<Vec<_>>());
        let shown: Vec<&CheckResult> = super::by_status(&results)
            .into_iter()
            .filter(|r| !grouped(r) && (style.list_passes || r.status != Status::Pass))
            .collect();
        passes_hidden |= !style.list_passes && counts.pass > 0;
        // An area whose every result is a grouped skip is said once, under NOT CHECKED.
        if results.iter().all(|r| grouped(r)) {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{} · {}", area.to_uppercase(), area_counts(counts))?;
        if shown.is_empty() {
            continue;
        }
        if compact {
            compact_rows(&shown, style, width, out)?;
        } else {
            writeln!(out, "{}", wide_table(&shown, style, width))?;
        }
    }
    not_checked(&groups, width, out)?;
    fix_first(report, style, width, out)?;
    let verdict = match report.verdict() {
        Verdict::Pass => "PASS",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
    };
    writeln!(out)?;
    if passes_hidden {
        writeln!(out, "Passes are counted per area; --all lists them.")?;
    }
    writeln!(
        out,
        "verdict: {verdict} — {} ({} ms)",
        super::counts_text(report.counts()),
        report.duration_ms
    )
}

fn wide_table(rows: &[&CheckResult], style: Style, width: usize) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .set_header(vec!["status", "check", "target", "summary"]);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    for r in rows {
        table.add_row(vec![
            status_cell(r.status, style),
            Cell::new(&r.check),
            Cell::new(&r.target),
            Cell::new(&r.summary),
        ]);
    }
    table
}

/// Two lines per result: `STATUS  check  target`, then the summary, indented.
fn compact_rows(
    rows: &[&CheckResult],
    style: Style,
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pad = " ".repeat(INDENT);
    for r in rows {
        let word = r.status.as_str().to_uppercase();
        let gap = " ".repeat(INDENT.saturating_sub(word.len()));
        let head = format!("{word}{gap}{}  {}", r.check, r.target);
        if head.chars().count() <= width {
            writeln!(
                out,
                "{}{gap}{}  {}",
                paint(r.status, style),
                r.check,
                r.target
            )?;
        } else {
            writeln!(out, "{}{gap}{}", paint(r.status, style), r.check)?;
            for line in wrap(&r.target, width - INDENT) {
                writeln!(out, "{pad}{line}")?;
            }
        }
        for line in wrap(&r.summary, width - INDENT) {
            writeln!(out, "{pad}{line}")?;
        }
    }
    Ok(())
}

fn not_checked(groups: &[SkipGroup], width: usize, out: &mut dyn Write) -> std::io::Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "NOT CHECKED")?;
    for g in groups {
        let text = format!(
            "{} results: {} — {}",
            g.results.len(),
            g.reason,
            super::id_list(&g.results)
        );
        let mut lines = wrap(&text, width - 2).into_iter();
        if let Some(first) = lines.next() {
            writeln!(out, "- {first}")?;
        }
        for line in lines {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

fn fix_first(
    report: &Report,
    style: Style,
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let found = super::fix_first(report);
    if found.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "FIX FIRST")?;
    let pad = " ".repeat(4);
    // One entry per check: the first target stands for the others.
    let firsts = super::fix_first_by_check(report);
    for (n, (r, more)) in firsts.iter().take(FIX_FIRST).enumerate() {
        let also = match more {
            0 => String::new(),
            m => format!(" (+{m} more)"),
        };
        writeln!(
            out,
            "{}. {} {} · {}{also}",
            n + 1,
            paint(r.status, style),
            r.check,
            r.target
        )?;
        let mut text = r.summary.trim_end_matches('.').to_owned();
        if let Some(fix) = r.remediation.as_deref() {
            text = format!("{text}. Fix: {}", clip(super::first_sentence(fix), 160));
        }
        for line in wrap(&text, width - pad.len()) {
            writeln!(out, "{pad}{line}")?;
        }
        writeln!(out, "{pad}→ launch-ready explain {}", r.check)?;
    }
    let shown: usize = firsts.iter().take(FIX_FIRST).map(|(_, m)| m + 1).sum();
    if found.len() > shown {
        writeln!(
            out,
            "…and {} more fail/error results in the areas above.",
            found.len() - shown
        )?;
    }
    Ok(())
}
