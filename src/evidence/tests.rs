use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::report::Status;

fn context() -> Context {
    let manifest = crate::manifest::parse_str(
        "version: 1\nproject: acme\nenvironment: production\n",
        "test.yaml",
    )
    .expect("manifest");
    Context {
        manifest,
        manifest_path: "test.yaml".into(),
        base_dir: ".".into(),
        env: Default::default(),
        net: None,
        active: false,
        now: time::OffsetDateTime::UNIX_EPOCH,
        evidence: Store::default(),
    }
}

static FETCHES: AtomicUsize = AtomicUsize::new(0);

/// Counts its fetches and takes a while, so that callers overlap.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Slow(u8);

impl Source for Slow {
    type Value = u8;
    async fn fetch(&self, _cx: &Context) -> Result<u8, Unavailable> {
        FETCHES.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        match self.0 {
            0 => Err(Unavailable::skip("nothing to look at")),
            n => Ok(n * 2),
        }
    }
}

#[tokio::test]
async fn concurrent_askers_share_one_fetch_per_key() {
    let cx = Arc::new(context());
    let asks = (0..8).map(|i| {
        let cx = cx.clone();
        async move { cx.get(Slow(1 + i % 2)).await }
    });
    let answers = futures::future::join_all(asks).await;
    assert_eq!(FETCHES.load(Ordering::SeqCst), 2, "one fetch per key");
    let values: Vec<u8> = answers.into_iter().map(|a| *a.expect("value")).collect();
    assert_eq!(values, [2, 4, 2, 4, 2, 4, 2, 4]);
    // A missing prerequisite is stored too, and becomes the same `skip` every time.
    let first = cx.get(Slow(0)).await.map(|_| ()).unwrap_err();
    let again = cx.get(Slow(0)).await.map(|_| ()).unwrap_err();
    assert_eq!(first, again);
    assert_eq!(FETCHES.load(Ordering::SeqCst), 3);
    assert_eq!(Outcome::from(first).status, Status::Skip);
}

#[test]
fn an_error_keeps_its_details_and_remediation() {
    let out = Outcome::from(
        Unavailable::error("no TLS handshake")
            .details(serde_json::json!({ "reason": "refused" }))
            .remediation("Serve HTTPS."),
    );
    assert_eq!(out.status, Status::Error);
    assert_eq!(out.details["reason"], "refused");
    assert_eq!(out.remediation.as_deref(), Some("Serve HTTPS."));
    // Details and remediation mean nothing on a skip.
    let skip = Outcome::from(Unavailable::skip("no key").remediation("ignored"));
    assert_eq!(skip.remediation, None);
}
