//! acme's certificates: the API host's renewal broke when it moved behind a new load
//! balancer, and its certificate has 10 days left (`tls.expiry` warns).

use crate::sandbox::{LeafSpec, Site};

pub fn certificates(sites: Vec<Site>) -> Vec<Site> {
    sites
        .into_iter()
        .map(|site| match site.host.as_str() {
            "api.acme.app" => {
                let spec = LeafSpec {
                    not_before_days: -80,
                    not_after_days: 10,
                    ..LeafSpec::valid(&["api.acme.app"])
                };
                site.cert(spec)
            }
            _ => site,
        })
        .collect()
}
