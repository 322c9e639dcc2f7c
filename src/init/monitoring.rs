//! The `monitoring:` section of a draft, when the repository shows an uptime
//! provider: a Better Stack package (`@logtail/*`, `@betterstack/*` — Logs and
//! Uptime share the account), an env variable, or a mention in the docs.

use std::path::Path;

use crate::manifest::MonitoringProvider;

/// Docs read for a mention (the first 256 KiB of each).
const DOCS: [&str; 4] = [
    "README.md",
    "readme.md",
    "docs/README.md",
    "CONTRIBUTING.md",
];
const DOC_CAP: usize = 256 * 1024;

/// What was seen, and where: `(provider, evidence)`.
pub fn detect(dir: &Path, env_names: &[String]) -> Option<(MonitoringProvider, String)> {
    let package = std::fs::read_to_string(dir.join("package.json")).unwrap_or_default();
    let deps: Vec<String> = serde_json::from_str::<serde_json::Value>(&package)
        .ok()
        .map(|v| {
            ["dependencies", "devDependencies"]
                .iter()
                .filter_map(|k| v.get(*k).and_then(|d| d.as_object()))
                .flat_map(|d| d.keys().cloned())
                .collect()
        })
        .unwrap_or_default();
    if let Some(dep) = deps.iter().find(|d| {
        d.starts_with("@logtail/") || d.starts_with("@betterstack/") || d.contains("betterstack")
    }) {
        return Some((
            MonitoringProvider::Betterstack,
            format!("{dep} in package.json"),
        ));
    }
    if let Some(dep) = deps.iter().find(|d| d.contains("uptimerobot")) {
        return Some((
            MonitoringProvider::Uptimerobot,
            format!("{dep} in package.json"),
        ));
    }
    for name in env_names {
        let upper = name.to_ascii_uppercase();
        if upper.starts_with("BETTERSTACK_") || upper.starts_with("BETTER_STACK_") {
            return Some((MonitoringProvider::Betterstack, format!("{name} in env")));
        }
        if upper.starts_with("UPTIMEROBOT_") {
            return Some((MonitoringProvider::Uptimerobot, format!("{name} in env")));
        }
    }
    for doc in DOCS {
        let Ok(text) = std::fs::read(dir.join(doc)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&text[..text.len().min(DOC_CAP)]).to_lowercase();
        if [
            "better stack",
            "betterstack",
            "better uptime",
            "betteruptime",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            return Some((
                MonitoringProvider::Betterstack,
                format!("mentioned in {doc}"),
            ));
        }
        if text.contains("uptimerobot") || text.contains("uptime robot") {
            return Some((
                MonitoringProvider::Uptimerobot,
                format!("mentioned in {doc}"),
            ));
        }
    }
    None
}

/// The section, or nothing when no provider shows.
pub fn draft(dir: &Path, env_names: &[String]) -> String {
    let Some((provider, seen)) = detect(dir, env_names) else {
        return String::new();
    };
    let (name, scope) = match provider {
        MonitoringProvider::Betterstack => {
            ("betterstack", "a read-only Better Stack Uptime API token")
        }
        MonitoringProvider::Uptimerobot => ("uptimerobot", "the read-only UptimeRobot API key"),
    };
    format!(
        "\n# Uptime monitors must watch the canonical URL, web.health and each webhook.\nmonitoring:\n  provider: {name}  # TODO: confirm the provider (seen: {seen}); betterstack | uptimerobot\n  token_env: {}  # {scope}\n  max_interval_s: 300\n",
        provider.default_token_env()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("dir");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn a_provider_is_drafted_from_packages_env_or_docs() {
        let d = repo(&[(
            "package.json",
            r#"{"dependencies": {"next": "15", "@logtail/next": "0.2"}}"#,
        )]);
        let out = draft(d.path(), &[]);
        assert!(out.contains("provider: betterstack  # TODO"), "{out}");
        assert!(out.contains("@logtail/next in package.json"), "{out}");
        assert!(out.contains("token_env: BETTERSTACK_API_TOKEN"), "{out}");

        let d = repo(&[("docs/README.md", "Alerts: UptimeRobot pings /api/health.")]);
        let out = draft(d.path(), &[]);
        assert!(out.contains("provider: uptimerobot"), "{out}");
        assert!(out.contains("UPTIMEROBOT_API_KEY"), "{out}");

        let d = repo(&[]);
        let out = draft(d.path(), &["UPTIMEROBOT_API_KEY".to_owned()]);
        assert!(out.contains("provider: uptimerobot"), "{out}");

        let d = repo(&[("README.md", "A shop."), ("package.json", "{not json")]);
        assert_eq!(draft(d.path(), &[]), "");
    }

    #[test]
    fn the_drafted_section_parses() {
        let d = repo(&[("README.md", "Monitored by Better Stack.")]);
        let text = format!("version: 1\nproject: x\n{}", draft(d.path(), &[]));
        let parsed = crate::manifest::parse_str(&text, "draft");
        assert!(parsed.is_ok(), "{text}");
    }
}
