//! The `web` section: the canonical origin from what the repository declares — an https
//! app-URL variable in an env example, `metadataBase`, the sitemap/robots base URL, a
//! site config — else a placeholder with a TODO.

use super::Ctx;
use super::yaml::{Section, line};

/// Reserved, local and tunnel names, and the placeholder domains documentation uses:
/// never a production host.
pub fn real_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    const LOCAL_TLDS: &[&str] = &[
        "test",
        "local",
        "localhost",
        "example",
        "invalid",
        "internal",
        "lan",
        "home",
        "dev.local",
    ];
    const PLACEHOLDERS: &[&str] = &[
        "example.com",
        "example.net",
        "example.org",
        "acme.com",
        "domain.com",
        "yourdomain.com",
        "your-domain.com",
        "mydomain.com",
        "yoursite.com",
        "yourapp.com",
        "myapp.com",
        "company.com",
        "vercel.app",
        "ngrok.io",
        "ngrok-free.app",
        "ngrok.app",
        "localhost.run",
        "loca.lt",
        // Platforms and socials a site links to: never its own origin or mail domain.
        "github.com",
        "githubusercontent.com",
        "twitter.com",
        "x.com",
        "youtube.com",
        "linkedin.com",
        "facebook.com",
        "instagram.com",
        "discord.gg",
        "discord.com",
        "vercel.com",
        "stripe.com",
        "google.com",
        "gmail.com",
        "googleapis.com",
        "amazonaws.com",
        "cloudflare.com",
        "npmjs.com",
    ];
    let tld = host.rsplit('.').next().unwrap_or("");
    host.contains('.')
        && host.parse::<std::net::IpAddr>().is_err()
        && !LOCAL_TLDS.contains(&tld)
        && !host.contains("your")
        && !host.contains("localhost")
        && !PLACEHOLDERS
            .iter()
            .any(|p| host == *p || host.ends_with(&format!(".{p}")))
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Third-party services whose `*_URL` / `*_BASE_URL` variables point elsewhere.
const SERVICE_PREFIXES: &[&str] = &[
    "TINYBIRD",
    "UPSTASH",
    "QSTASH",
    "SVIX",
    "TRIGGER",
    "STRIPE",
    "DATABASE",
    "REDIS",
    "POSTGRES",
    "KV",
    "SUPABASE",
    "CLICKHOUSE",
    "OPENAI",
    "ANTHROPIC",
    "SENTRY",
    "POSTHOG",
    "SLACK",
    "DISCORD",
    "GITHUB",
    "GOOGLE",
    "RESEND",
    "LOOPS",
    "HUBSPOT",
    "AXIOM",
    "BLOB",
    "R2",
    "S3",
    "STORAGE",
    "CDN",
    "API_GATEWAY",
    "OLLAMA",
    "LLM",
    "MONGODB",
    "TURSO",
    "PLANETSCALE",
    "NEON",
    "CLERK",
    "WORKOS",
    "INNGEST",
    "UNSEND",
    "SMTP",
    "HEARTBEAT",
];

/// A variable that holds this app's own public URL (`NEXT_PUBLIC_APP_URL`,
/// `NEXTAUTH_URL`, `*_SITE_URL`, `*_BASE_URL`, `APP_URL`, `<PROJECT>_APP_URL`).
pub fn app_url_var(name: &str, project: &str) -> bool {
    let n = name.to_ascii_uppercase();
    if !(n.ends_with("_URL") || n == "URL") {
        return false;
    }
    let core = n
        .trim_start_matches("NEXT_PUBLIC_")
        .trim_start_matches("EXPO_PUBLIC_")
        .trim_start_matches("VITE_")
        .trim_start_matches("PUBLIC_");
    if SERVICE_PREFIXES.iter().any(|p| core.starts_with(p)) || core.contains("WEBHOOK") {
        return false;
    }
    let project = project.to_ascii_uppercase().replace(['-', '.'], "_");
    matches!(
        core,
        "APP_URL"
            | "SITE_URL"
            | "BASE_URL"
            | "WEB_URL"
            | "URL"
            | "HOST_URL"
            | "PUBLIC_URL"
            | "APP_BASE_URL"
            | "WEBAPP_URL"
            | "FRONTEND_URL"
            | "WEBSITE_URL"
            | "DOMAIN_URL"
    ) || matches!(n.as_str(), "NEXTAUTH_URL" | "AUTH_URL" | "BETTER_AUTH_URL")
        || (!project.is_empty()
            && (core == format!("{project}_APP_URL") || core == format!("{project}_URL")))
}

/// The chosen canonical origin, or `None` (a placeholder is drafted).
#[derive(Debug, Clone)]
pub struct Canonical {
    pub origin: url::Url,
    pub why: String,
}

/// The origin of `app`: candidates in that app first, then anywhere; within each,
/// metadataBase over env examples over sitemap/robots over a site config. The flag
/// says whether the chosen one is the app's own.
pub fn choose_for(cx: &Ctx, app: &str) -> Option<(Canonical, bool)> {
    // The app's own files and the library packages it imports count as the app's.
    let in_app = |file: &str| {
        let owner = cx.repo.owner(file).map_or("", |p| p.dir.as_str());
        app.is_empty() || owner == app || cx.repo.is_library(owner)
    };
    let mut cands: Vec<(bool, u8, url::Url, String)> = Vec::new();
    for o in &cx.code.origins {
        let rank = match o.how {
            "metadataBase" => 0,
            "sitemap/robots" => 2,
            _ => 3,
        };
        cands.push((
            !in_app(&o.file),
            rank,
            o.origin.clone(),
            format!("{} in {}", o.how, o.file),
        ));
    }
    for f in &cx.repo.env_files {
        for (name, u) in &f.urls {
            if !app_url_var(name, &cx.project) || !u.host_str().is_some_and(real_host) {
                continue;
            }
            if let Ok(origin) = url::Url::parse(&u.origin().ascii_serialization()) {
                cands.push((!in_app(&f.rel), 1, origin, format!("{name} in {}", f.rel)));
            }
        }
    }
    // Stable: the first candidate of the best (scope, rank), counting repeats.
    cands.sort_by_key(|c| (c.0, c.1));
    let (outside, _, origin, why) = cands.into_iter().next()?;
    Some((Canonical { origin, why }, !outside))
}

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("web");
    match &cx.canonical {
        Some(c) => {
            let origin = c.origin.as_str().trim_end_matches('/');
            s.push(line(
                1,
                &format!("canonical: {origin}"),
                &format!("from {}", c.why),
            ));
            let host = c.origin.host_str().unwrap_or_default();
            if let Some(apex) = host.strip_prefix("www.") {
                s.push(line(
                    1,
                    &format!("aliases: [{apex}]"),
                    "guess: the apex redirects to www",
                ));
            } else if crate::context::apex_of(host) == host {
                s.push(line(
                    1,
                    "aliases: []",
                    &format!("add www.{host} if it serves too"),
                ));
            }
        }
        None => {
            s.push(line(
                1,
                "canonical: https://www.example.com",
                "TODO: your canonical origin (no https app URL variable, metadataBase or sitemap URL found)",
            ));
            s.push(line(
                1,
                "aliases: [example.com]",
                "TODO: hosts that must redirect to canonical",
            ));
        }
    }
    let base = cx.base_path().unwrap_or_default();
    s.push(line(
        1,
        &format!("private_paths: [{base}/api/]"),
        "API routes must never be cached",
    ));
    if let Some((path, file)) = &cx.health {
        s.push(line(
            1,
            &format!("health: {base}{path}"),
            &format!("route {file}"),
        ));
    }
    s.push(line(1, "bundle_scan: true", ""));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_hosts_and_app_url_vars() {
        assert!(real_host("www.acme.app"));
        for h in [
            "localhost",
            "web.rallly.test",
            "127.0.0.1",
            "www.example.com",
            "x.vercel.app",
            "YOUR_URL",
            "acme.com",
        ] {
            assert!(!real_host(h), "{h}");
        }
        assert!(app_url_var("NEXT_PUBLIC_APP_URL", "acme"));
        assert!(app_url_var("NEXTAUTH_URL", "acme"));
        assert!(app_url_var("NEXT_PUBLIC_SITE_URL", "acme"));
        assert!(app_url_var("FORMBRICKS_APP_URL", "formbricks"));
        assert!(!app_url_var("TINYBIRD_BASE_URL", "acme"));
        assert!(!app_url_var("DATABASE_URL", "acme"));
        assert!(!app_url_var("SLACK_WEBHOOK_URL", "acme"));
    }
}
