//! acme's mobile app links: the iOS file is right; the Android file was copied from the
//! upload key's console page and lacks the Play App Signing fingerprint, so app links
//! open the browser for everyone who installed from Play (`mobile.assetlinks` fails).

use serde_json::json;

use crate::sandbox::{Resp, Site, handler};

/// The upload key's fingerprint (made up); the manifest also names the Play signing key.
const UPLOAD_KEY: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";

pub fn mount(sites: Vec<Site>) -> Vec<Site> {
    sites
        .into_iter()
        .map(|site| {
            if site.host != "www.acme.app" {
                return site;
            }
            site.route(
                "/.well-known/apple-app-site-association",
                handler(|_| {
                    Resp::json(200, &json!({"applinks": {"details": [
                        {"appIDs": ["ABCDE12345.com.acme.app"], "components": [{"/": "/*"}]}
                    ]}}))
                }),
            )
            .route(
                "/.well-known/assetlinks.json",
                handler(|_| {
                    Resp::json(200, &json!([{
                        "relation": ["delegate_permission/common.handle_all_urls"],
                        "target": {"namespace": "android_app", "package_name": "com.acme.app",
                                   "sha256_cert_fingerprints": [UPLOAD_KEY.to_ascii_lowercase()]}
                    }]))
                }),
            )
        })
        .collect()
}
