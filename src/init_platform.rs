//! `init`'s guess at where production runs: a `platform:` section (provider vercel,
//! the project a TODO) when the repository shows Vercel — `vercel.json`, a linked
//! `.vercel/` folder, or an `@vercel/*` package in `package.json`.

use std::path::Path;

/// What points at Vercel, if anything.
fn vercel_sign(dir: &Path) -> Option<&'static str> {
    if dir.join("vercel.json").is_file() {
        return Some("vercel.json");
    }
    if dir.join(".vercel").is_dir() {
        return Some(".vercel/");
    }
    let package = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&package).ok()?;
    ["dependencies", "devDependencies"]
        .iter()
        .filter_map(|k| json.get(k).and_then(|d| d.as_object()))
        .any(|deps| deps.keys().any(|name| name.starts_with("@vercel/")))
        .then_some("an @vercel/* package")
}

/// The `.vercel/project.json` of a linked repository names the project and team.
fn linked_ids(dir: &Path) -> (Option<String>, Option<String>) {
    let text = std::fs::read_to_string(dir.join(".vercel/project.json")).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let id = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_str())
            .filter(|v| {
                !v.is_empty()
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            })
            .map(str::to_owned)
    };
    (
        id("projectId"),
        id("orgId").filter(|o| o.starts_with("team_")),
    )
}

/// The drafted section, or nothing when the repository shows no Vercel.
pub fn draft(dir: &Path) -> String {
    let Some(sign) = vercel_sign(dir) else {
        return String::new();
    };
    let (project, team) = linked_ids(dir);
    let project = project.map_or_else(
        || "TODO  # the Vercel project's name or prj_ id".to_owned(),
        |p| format!("{p}  # from .vercel/project.json"),
    );
    let team = team.map_or_else(
        || "  # team_id: team_…  # TODO when the project belongs to a team\n".to_owned(),
        |t| format!("  team_id: {t}\n"),
    );
    format!(
        "\n# Production runs on Vercel ({sign}): vercel.env-targets reads the project's variables.\nplatform:\n  provider: vercel\n  project: {project}\n{team}  token_env: VERCEL_TOKEN  # a token scoped to the project's team\n"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::draft;

    #[test]
    fn drafts_platform_only_when_the_repository_shows_vercel() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(draft(dir.path()), "");
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"dependencies": {"next": "15.0.0", "@vercel/analytics": "1.4.0"}}"#,
        )
        .unwrap();
        let text = draft(dir.path());
        assert!(
            text.contains("provider: vercel") && text.contains("project: TODO"),
            "{text}"
        );
        std::fs::create_dir(dir.path().join(".vercel")).unwrap();
        std::fs::write(
            dir.path().join(".vercel/project.json"),
            r#"{"projectId": "prj_abc123", "orgId": "team_xyz789"}"#,
        )
        .unwrap();
        let text = draft(dir.path());
        assert!(
            text.contains("project: prj_abc123") && text.contains("team_id: team_xyz789"),
            "{text}"
        );
        // The draft parses as part of a manifest.
        let manifest = format!("version: 1\nproject: acme\n{text}");
        let parsed = crate::manifest::parse_str(&manifest, "draft").unwrap();
        assert_eq!(parsed.platform.unwrap().project, "prj_abc123");
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("vercel.json"), "{}").unwrap();
        assert!(draft(other.path()).contains("(vercel.json)"));
    }
}
