//! Where a report goes: stdout in the chosen format, `--output` files, and with
//! `--verbose` the per-check timing and evidence on stderr. Secret values are masked
//! on the way out, whatever the destination.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::OutputArgs;
use crate::failure::Failure;
use crate::render::{self, Format, Style};
use crate::report::Report;

pub fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Failure::internal(format!("cannot write to stdout: {e}")))
}

/// `--output FORMAT=PATH`, checked before anything runs.
pub fn parse_outputs(specs: &[String]) -> Result<Vec<(Format, PathBuf)>, Failure> {
    specs
        .iter()
        .map(|spec| {
            let (fmt, path) = spec.split_once('=').ok_or_else(|| {
                Failure::usage(format!(
                    "--output `{spec}`: expected FORMAT=PATH, e.g. json=report.json"
                ))
            })?;
            let format = Format::parse(fmt).ok_or_else(|| {
                let known: Vec<String> = <Format as clap::ValueEnum>::value_variants()
                    .iter()
                    .filter_map(clap::ValueEnum::to_possible_value)
                    .map(|v| v.get_name().to_owned())
                    .collect();
                Failure::usage(format!(
                    "--output `{spec}`: unknown format `{fmt}` ({})",
                    known.join(", ")
                ))
            })?;
            if path.is_empty() {
                return Err(Failure::usage(format!("--output `{spec}`: empty path")));
            }
            Ok((format, PathBuf::from(path)))
        })
        .collect()
}

fn color_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The table's width: `COLUMNS` when set, else the terminal's, else 120 (logs, files).
fn table_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(120)
}

/// Render to stdout and every `--output` file, scrubbing secret values on the way out.
pub fn emit(
    report: &Report,
    args: &OutputArgs,
    outputs: &[(Format, PathBuf)],
    scrub: &[String],
) -> Result<(), Failure> {
    if args.verbose {
        eprint!("{}", verbose(report, scrub));
    }
    let list_passes = args.verbose || args.all;
    let rendered = |format: Format, style: Style| -> Result<String, Failure> {
        let mut buf = Vec::new();
        render::render(format, report, style, &mut buf)
            .map_err(|e| Failure::internal(format!("cannot render {format:?}: {e}")))?;
        Ok(crate::redact::scrub(&String::from_utf8_lossy(&buf), scrub))
    };
    let file_style = Style {
        list_passes,
        ..Style::default()
    };
    for (format, path) in outputs {
        write_file(path, &rendered(*format, file_style)?)?;
    }
    let table = args.format == Format::Table;
    let style = Style {
        color: table && color_wanted(),
        width: if table { table_width() } else { 120 },
        list_passes,
    };
    print_stdout(&rendered(args.format, style)?)?;
    if args.format == Format::Github
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        append_file(Path::new(&path), &rendered(Format::Markdown, file_style)?)?;
    }
    Ok(())
}

/// `GITHUB_STEP_SUMMARY` is shared by every step of a job: append, never truncate.
fn append_file(path: &Path, text: &str) -> Result<(), Failure> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Failure::internal(format!("cannot open {}: {e}", path.display())))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", path.display())))
}

/// `--verbose`: every result, passes included, slowest first, with its time and the
/// evidence it was judged on, masked like every other output.
pub fn verbose(report: &Report, scrub: &[String]) -> String {
    let mut rows: Vec<_> = report.results.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.duration_ms));
    let mut text = format!(
        "launch-ready: {} results in {} ms (slowest first)\n",
        rows.len(),
        report.duration_ms
    );
    for notice in &report.notices {
        text.push_str(&format!("notice: {}\n", notice.message));
    }
    for r in rows {
        text.push_str(&format!(
            "{:>7} ms  {:<6} {} {}: {}\n",
            r.duration_ms, r.status, r.check, r.target, r.summary
        ));
        if !r.details.is_null() {
            text.push_str(&format!("           evidence: {}\n", r.details));
        }
    }
    crate::redact::scrub(&text, scrub)
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::internal(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", path.display())))
}
