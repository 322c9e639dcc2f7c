//! acme's Cloudflare zone, as the fake serves it: a "speed fix" page rule caches
//! everything under `/api/*` (webhooks included), the SSL mode was left at Full (the
//! origin certificate is never validated), Bot Fight Mode was switched on during a
//! scraping incident, and the status page's record is DNS only.

use serde_json::json;

use crate::sandbox::Site;
use crate::sandbox::cloudflare_fake::CloudflareFake;

/// The demo's API token, made fresh each run (the `.env.production` holds it).
pub fn token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| crate::sandbox::random_token(40))
}

pub fn site() -> Site {
    CloudflareFake::new("acme.app")
        .with_token(token())
        .record("acme.app", "A", "203.0.113.10", true)
        .record("www.acme.app", "CNAME", "acme.app", true)
        .record("api.acme.app", "A", "203.0.113.20", true)
        .record("status.acme.app", "CNAME", "acme.statuspage-host.net", false)
        .record("acme.app", "MX", "mx1.mail-host.net", false)
        .record("acme.app", "TXT", "v=spf1 include:mail-host.net -all", false)
        .setting("ssl", "full")
        .bot_fight_mode(true)
        .page_rule(
            "*acme.app/api/*",
            1,
            json!([{ "id": "cache_level", "value": "cache_everything" }, { "id": "edge_cache_ttl", "value": 7200 }]),
        )
        .rule(
            "http_request_cache_settings",
            "set_cache_settings",
            "Cache static assets",
            "starts_with(http.request.uri.path, \"/_next/static/\")",
            json!({ "cache": true, "edge_ttl": { "mode": "override_origin", "default": 31536000 } }),
        )
        .site()
}
