//! `launch-ready init`: a `cloudflare:` section when the repository shows Cloudflare
//! (a Wrangler config, `@cloudflare/*` packages, or its docs naming Cloudflare). The
//! zone is left as a TODO: a repository does not say which zone fronts production.

use std::path::Path;

const WRANGLER: [&str; 3] = ["wrangler.toml", "wrangler.json", "wrangler.jsonc"];
const DOCS: [&str; 4] = ["README.md", "readme.md", "docs/deploy.md", "docs/README.md"];

/// Why the repository looks like it runs behind Cloudflare, if it does.
pub fn sign(dir: &Path) -> Option<String> {
    if let Some(f) = WRANGLER.iter().find(|f| dir.join(f).is_file()) {
        return Some(format!("{f} found"));
    }
    let package = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    if let Some(pkg) = package {
        let named = ["dependencies", "devDependencies"]
            .iter()
            .filter_map(|k| pkg.get(k).and_then(|d| d.as_object()))
            .flat_map(|d| d.keys())
            .find(|k| k.starts_with("@cloudflare/") || k.as_str() == "wrangler");
        if let Some(name) = named {
            return Some(format!("{name} in package.json"));
        }
    }
    DOCS.iter()
        .find(|f| {
            std::fs::read_to_string(dir.join(f))
                .is_ok_and(|t| t.to_ascii_lowercase().contains("cloudflare"))
        })
        .map(|f| format!("{f} mentions Cloudflare"))
}

/// The drafted section, or nothing when the repository shows no Cloudflare.
pub fn draft(dir: &Path, apex: &str) -> String {
    match sign(dir) {
        Some(why) => format!(
            "\n# Cloudflare ({why}): the zone in front of production, read with a read-only token.\ncloudflare:\n  zone: TODO  # the zone's name, probably {apex}\n  token_env: CLOUDFLARE_API_TOKEN  # Zone Read, Zone Settings Read, DNS Read, Page Rules Read, Cache Rules Read, Zone WAF Read, Bot Management Read\n"
        ),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_only_when_the_repository_shows_cloudflare() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(draft(dir.path(), "acme.app"), "");
        std::fs::write(
            dir.path().join("README.md"),
            "# Acme\nDeployed on Vercel.\n",
        )
        .unwrap();
        assert_eq!(sign(dir.path()), None);
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"devDependencies": {"@cloudflare/workers-types": "4"}}"#,
        )
        .unwrap();
        assert_eq!(
            sign(dir.path()).as_deref(),
            Some("@cloudflare/workers-types in package.json")
        );
        std::fs::write(dir.path().join("wrangler.toml"), "name = \"acme\"\n").unwrap();
        let text = draft(dir.path(), "acme.app");
        assert!(
            text.contains("wrangler.toml found") && text.contains("zone: TODO"),
            "{text}"
        );
        let yaml = format!("version: 1\nproject: acme\n{text}");
        let parsed = crate::manifest::parse_str(&yaml, "x.yaml");
        assert!(parsed.is_ok(), "{text}");
    }

    #[test]
    fn docs_naming_cloudflare_count() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        std::fs::write(
            dir.path().join("docs/deploy.md"),
            "DNS and CDN: CloudFlare.\n",
        )
        .unwrap();
        assert_eq!(
            sign(dir.path()).as_deref(),
            Some("docs/deploy.md mentions Cloudflare")
        );
    }
}
