//! acme's HTTP front: www and api redirect plain HTTP to https (api with a temporary
//! 302), and the CDN caches `/api/` publicly (`s-maxage=60`): http.cache fails. The
//! page itself sends no HSTS or security headers (http.hsts, http.security-headers),
//! and the apex redirect keeps the path but drops the query (http.canonical).

use super::super::{Resp, Route, Site, handler};

/// Add the HTTP routes to acme's sites (first match wins, so they go in front).
pub fn mount(mut sites: Vec<Site>) -> Vec<Site> {
    for site in sites.iter_mut() {
        let status = match site.host.as_str() {
            "www.acme.app" => 308,
            "api.acme.app" => 302,
            _ => continue,
        };
        let host = site.host.clone();
        let is_www = host == "www.acme.app";
        site.routes.insert(
            0,
            Route {
                scheme: Some("http"),
                path: "*".to_owned(),
                handler: handler(move |req| {
                    Resp::redirect(status, format!("https://{host}{}", req.path))
                }),
            },
        );
        if is_www {
            site.routes.insert(
                1,
                Route {
                    scheme: None,
                    path: "/api/".to_owned(),
                    handler: handler(|_| {
                        Resp::json(200, &serde_json::json!({"api": "acme", "version": 3}))
                            .header("cache-control", "public, s-maxage=60")
                            .header("age", "17")
                    }),
                },
            );
        }
    }
    sites
}
