//! acme's webhook endpoints: the Stripe handler on www accepts unsigned events (it
//! parses the JSON and never verifies), and the apex URL — the one registered in
//! Stripe, as it often is — redirects to www.

use super::super::webhook_app::{Mode, webhook_app};
use super::super::{Resp, Route, Site, handler};

const PATH: &str = "/api/webhooks/stripe";

/// Add the webhook routes to acme's sites (creating a site that is not there yet).
pub fn mount(mut sites: Vec<Site>) -> Vec<Site> {
    // acme's deployed app has the signing secret but never verifies with it: any
    // event is accepted, correctly signed, stale or forged alike.
    let app = webhook_app(Mode::AcceptsAnything, super::webhook_secret());
    site(&mut sites, "www.acme.app").routes.insert(
        0,
        Route {
            scheme: None,
            path: PATH.to_owned(),
            handler: app,
        },
    );
    site(&mut sites, "acme.app").routes.insert(
        0,
        Route {
            scheme: None,
            path: PATH.to_owned(),
            handler: handler(|_| Resp::redirect(308, format!("https://www.acme.app{PATH}"))),
        },
    );
    sites
}

fn site<'a>(sites: &'a mut Vec<Site>, host: &str) -> &'a mut Site {
    let index = match sites.iter().position(|s| s.host == host) {
        Some(i) => i,
        None => {
            sites.push(Site::new(host));
            sites.len() - 1
        }
    };
    &mut sites[index]
}
