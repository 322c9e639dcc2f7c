//! JUnit XML for CI test tabs: one suite per area, one case per (check, target).
//! `fail` is a failure, `error` an error, `skip` and `waived` are skipped; `warn`
//! passes with its summary in system-out.

use std::io::Write;

use super::escape_xml as x;
use crate::report::{Report, Status};

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let c = report.counts();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="launch-ready {}" tests="{}" failures="{}" errors="{}" skipped="{}" time="{:.3}">"#,
        x(&report.project),
        report.results.len(),
        c.fail,
        c.error,
        c.skip + c.waived,
        report.duration_ms as f64 / 1000.0
    )?;
    if !report.notices.is_empty() {
        // Shared causes first (SPEC §7); JUnit has no top-level place but a suite's output.
        writeln!(out, r#"  <testsuite name="notices" tests="0"><system-out>"#)?;
        for notice in &report.notices {
            writeln!(out, "{}", x(&notice.message))?;
        }
        writeln!(out, "</system-out></testsuite>")?;
    }
    for (area, cases) in super::by_area(report) {
        let count = |s: Status| cases.iter().filter(|r| r.status == s).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
            x(area),
            cases.len(),
            count(Status::Fail),
            count(Status::Error),
            count(Status::Skip) + count(Status::Waived)
        )?;
        for r in cases {
            write!(
                out,
                r#"    <testcase classname="{}" name="{}" time="{:.3}">"#,
                x(&r.check),
                x(&r.target),
                r.duration_ms as f64 / 1000.0
            )?;
            let body = match &r.remediation {
                Some(fix) => format!("{}\n\nHow to fix: {fix}", r.summary),
                None => r.summary.clone(),
            };
            match r.status {
                Status::Fail => write!(
                    out,
                    r#"<failure message="{}">{}</failure>"#,
                    x(&r.summary),
                    x(&body)
                )?,
                Status::Error => write!(
                    out,
                    r#"<error message="{}">{}</error>"#,
                    x(&r.summary),
                    x(&body)
                )?,
                Status::Skip | Status::Waived => {
                    write!(out, r#"<skipped message="{}"/>"#, x(&r.summary))?
                }
                Status::Warn => write!(out, "<system-out>WARN: {}</system-out>", x(&body))?,
                Status::Pass => {}
            }
            writeln!(out, "</testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
