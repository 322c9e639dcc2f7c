//! What renderers need beyond the results, gathered while the report is built: each
//! check's title, severity and doc from the registry (SARIF rules, the handover
//! document), and where the audited files sit in the repository (`--format github`
//! annotations). Renderers then read the report only.

use std::path::{Component, Path, PathBuf};

use crate::report::{CheckInfo, Report, ReportMeta, Status};

/// Describe every check that has a result in `report`, from the registry.
pub fn describe_checks(report: &mut Report) {
    let mut ids: Vec<&str> = report.results.iter().map(|r| r.check.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    report.meta.checks = ids
        .into_iter()
        .map(|id| match crate::checks::find(id) {
            Some(check) => {
                let m = check.meta();
                CheckInfo {
                    id: id.to_owned(),
                    title: m.title.to_owned(),
                    severity: match m.severity {
                        crate::checks::Severity::Warn => Status::Warn,
                        crate::checks::Severity::Fail => Status::Fail,
                    },
                    doc: m.doc.to_owned(),
                }
            }
            // A merged report from another version may name a check this one lacks.
            None => CheckInfo {
                id: id.to_owned(),
                title: id.to_owned(),
                severity: Status::Fail,
                doc: String::new(),
            },
        })
        .collect();
}

/// The report's metadata for an audit of `manifest_path` whose code lives in
/// `code_root` (relative to the manifest's folder, as the manifest writes it).
pub fn locate(meta: &mut ReportMeta, manifest_path: &Path, code_root: Option<&str>) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let manifest = normalize(&cwd.join(manifest_path));
    let base = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
    let repo = repository_root(&base).unwrap_or(cwd);
    meta.manifest_path = relative(&manifest, &repo);
    meta.code_root = code_root.and_then(|root| relative(&normalize(&base.join(root)), &repo));
}

/// The folder annotations are relative to: `GITHUB_WORKSPACE` when it holds `dir`, else
/// the nearest ancestor with a `.git`.
fn repository_root(dir: &Path) -> Option<PathBuf> {
    if let Some(ws) = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from)
        && dir.starts_with(normalize(&ws))
    {
        return Some(normalize(&ws));
    }
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `a/./b/../c` → `a/c`, without touching the file system (the path may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn relative(path: &Path, root: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_repository_and_slash_separated() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("ops")).unwrap();
        let mut meta = ReportMeta::default();
        locate(
            &mut meta,
            &repo.join("ops/launch-ready.yaml"),
            Some("../web/./app"),
        );
        assert_eq!(meta.manifest_path.as_deref(), Some("ops/launch-ready.yaml"));
        assert_eq!(meta.code_root.as_deref(), Some("web/app"));
        locate(&mut meta, &repo.join("launch-ready.yaml"), Some("."));
        assert_eq!(meta.code_root.as_deref(), Some(""));
    }
}
