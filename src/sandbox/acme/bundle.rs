//! The demo's Next.js bundle on www.acme.app: the home page loads a few same-origin
//! chunks and Stripe.js. One chunk inlines `SUPPORT_API_TOKEN`, a server-only token
//! that `next.config.js`'s `env` key copied into client code (that key inlines any
//! variable, prefix or not). The token is generated once per process, at run time,
//! and shared by `env_file()` and the chunk route.

use std::sync::{Arc, OnceLock};

use crate::sandbox::{Req, Resp, Route, Site, handler};

/// The value of `SUPPORT_API_TOKEN` for this run.
pub fn support_api_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| crate::sandbox::random_token(40))
}

const SCRIPTS: &str = "<script src=\"/_next/static/chunks/webpack-8f2d1c.js\" async></script>\
<script src=\"/_next/static/chunks/main-app-41c6e0.js\" async></script>\
<script src=\"/_next/static/chunks/app/support/page-7b1e93.js\" async></script>\
<script src=\"https://js.stripe.com/v3\" async></script>";

/// Serve the bundle on www.acme.app: wrap its home page (keeping whatever status and
/// headers it has) to load the scripts, and answer `/_next/static/*`.
pub fn with_bundle(mut sites: Vec<Site>) -> Vec<Site> {
    for site in sites.iter_mut().filter(|s| s.host == "www.acme.app") {
        for route in site.routes.iter_mut().filter(|r| r.path == "/") {
            let inner = route.handler.clone();
            route.handler = Arc::new(move |req| {
                let inner = inner.clone();
                Box::pin(async move { add_scripts(inner(req).await) })
            });
        }
        site.routes.insert(
            0,
            Route {
                scheme: None,
                path: "/_next/static/*".to_owned(),
                handler: handler(chunk),
            },
        );
    }
    sites
}

fn add_scripts(mut resp: Resp) -> Resp {
    let html = String::from_utf8_lossy(&resp.body).into_owned();
    let html = match html.find("</body>") {
        Some(at) => format!("{}{SCRIPTS}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPTS}"),
    };
    resp.body = html.into();
    resp
}

fn chunk(req: &Req) -> Resp {
    let js = match req.path.as_str() {
        "/_next/static/chunks/webpack-8f2d1c.js" => {
            "(()=>{\"use strict\";var e={},r={};function t(o){var n=r[o];if(void 0!==n)return n.exports;}t.m=e})();".to_owned()
        }
        "/_next/static/chunks/main-app-41c6e0.js" => {
            "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[744],{1028:function(e,n,t){Promise.resolve().then(t.bind(t,5171))}}]);".to_owned()
        }
        "/_next/static/chunks/app/support/page-7b1e93.js" => format!(
            "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[931],{{4242:function(e,t,n){{\"use strict\";n.d(t,{{default:function(){{return o}}}});let r={{baseURL:\"https://api.helpdesk.example/v2\",token:\"{}\"}};function o(){{return fetch(r.baseURL+\"/tickets\",{{headers:{{Authorization:\"Bearer \"+r.token}}}})}}}}}}]);",
            support_api_token()
        ),
        _ => return Resp::text(404, "not found"),
    };
    Resp::new(200)
        .header("content-type", "application/javascript; charset=utf-8")
        .body(js)
}
