//! GitHub Actions workflow commands (SPEC §1): `::error` for fail and error, `::warning`
//! for warn, titled with the check id, with `file=`/`line=` (relative to the repository
//! root) where a result points into the repository. The job summary (Markdown, appended
//! to `GITHUB_STEP_SUMMARY`) is written by the command layer.

use std::io::Write;

use serde_json::Value;

use crate::report::{CheckResult, Report, Status};

/// Message text: `%`, CR and LF are the only characters the runner decodes.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: also `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `root/file` with `/` separators, the root being `""` at the repository root.
fn join(root: &str, file: &str) -> String {
    let file = file.trim_start_matches("./");
    if root.is_empty() || root == "." {
        file.to_owned()
    } else {
        format!("{}/{file}", root.trim_end_matches('/'))
    }
}

/// The first `{file, line}` pair in the details (where a finding really is, e.g. the
/// module that reads a secret for a client component), else the first `line`.
fn spot(details: &Value) -> (Option<String>, Option<u64>) {
    fn pair(v: &Value) -> Option<(String, u64)> {
        match v {
            Value::Object(map) => {
                if let (Some(Value::String(f)), Some(l)) =
                    (map.get("file"), map.get("line").and_then(Value::as_u64))
                {
                    return Some((f.clone(), l));
                }
                map.values().find_map(pair)
            }
            Value::Array(items) => items.iter().find_map(pair),
            _ => None,
        }
    }
    fn line(v: &Value) -> Option<u64> {
        match v {
            Value::Object(map) => map
                .get("line")
                .and_then(Value::as_u64)
                // `event_id_lines: [7]`: the first line a finding names.
                .or_else(|| {
                    map.iter()
                        .filter(|(k, _)| k.ends_with("_lines"))
                        .find_map(|(_, v)| v.get(0).and_then(Value::as_u64))
                })
                .or_else(|| map.values().find_map(line)),
            Value::Array(items) => items.iter().find_map(line),
            _ => None,
        }
    }
    match pair(details) {
        Some((f, l)) => (Some(f), Some(l)),
        None => (None, line(details)),
    }
}

/// Where an annotation goes: code results are files under `code.root`; manifest results
/// are the manifest. Hosts, records and accounts have no file.
fn location(report: &Report, r: &CheckResult) -> (Option<String>, Option<u64>) {
    let (file, line) = spot(&r.details);
    if r.check.starts_with("code.") {
        let root = report.meta.code_root.as_deref().unwrap_or("");
        let file = file.unwrap_or_else(|| r.target.clone());
        return (Some(join(root, &file)), line);
    }
    if r.check.starts_with("manifest.") {
        let manifest = report
            .meta
            .manifest_path
            .clone()
            .unwrap_or_else(|| report.manifest.clone());
        return (Some(manifest), line);
    }
    (None, None)
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut findings: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error | Status::Warn))
        .collect();
    findings.sort_by_key(|r| (super::reading_rank(r.status), &r.check, &r.target));
    for r in findings {
        let command = if r.status == Status::Warn {
            "warning"
        } else {
            "error"
        };
        let mut props = Vec::new();
        let (file, line) = location(report, r);
        if let Some(file) = file {
            props.push(format!("file={}", escape_property(&file)));
        }
        if let Some(line) = line {
            props.push(format!("line={line}"));
        }
        props.push(format!("title={}", escape_property(&r.check)));
        let mut message = format!("{}: {}", r.target, r.summary);
        if r.status == Status::Error {
            message = format!("could not tell — {message}");
        }
        if let Some(fix) = &r.remediation {
            message = format!(
                "{message}\nHow to fix: {fix}\nlaunch-ready explain {}",
                r.check
            );
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    writeln!(
        out,
        "launch-ready: verdict {} — {}",
        format!("{:?}", report.verdict()).to_uppercase(),
        super::counts_text(report.counts())
    )
}

/// A manifest that does not load, as annotations on the manifest file (exit 2 follows).
pub fn manifest_error(
    error: &crate::manifest::ManifestError,
    manifest: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for p in &error.problems {
        let mut props = vec![format!("file={}", escape_property(manifest))];
        if let Some(line) = p.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = p.column {
            props.push(format!("col={col}"));
        }
        props.push("title=manifest.valid".to_owned());
        writeln!(
            out,
            "::error {}::{}",
            props.join(","),
            escape_data(&p.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_escape_separators_and_messages_escape_newlines() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("one\ntwo: 3,4"), "one%0Atwo: 3,4");
    }

    #[test]
    fn the_spot_of_a_finding_is_its_file_and_line() {
        let d = json!({"violations": [{"file": "app/lib/flags.ts", "line": 1}]});
        assert_eq!(spot(&d), (Some("app/lib/flags.ts".into()), Some(1)));
        let d = json!({"verification": {"call": "constructEvent", "line": 15}});
        assert_eq!(spot(&d), (None, Some(15)));
        assert_eq!(spot(&json!({"event_id_lines": [7, 9]})), (None, Some(7)));
        assert_eq!(spot(&Value::Null), (None, None));
        assert_eq!(join("web", "./app/route.ts"), "web/app/route.ts");
        assert_eq!(join("", "app/route.ts"), "app/route.ts");
    }
}
