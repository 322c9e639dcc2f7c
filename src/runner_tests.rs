#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use super::*;
use crate::checks::{BoxFuture, DynCheck, Meta, Severity};

fn context(active: bool) -> Arc<Context> {
    let manifest = crate::manifest::parse_str("version: 1\nproject: acme\n", "t.yaml").unwrap();
    let env = crate::manifest::Env::resolve(&manifest, std::path::Path::new("."), &[], Vec::new())
        .unwrap();
    Arc::new(Context {
        manifest,
        manifest_path: "t.yaml".into(),
        base_dir: ".".into(),
        env,
        net: None,
        active,
        now: time::OffsetDateTime::UNIX_EPOCH,
        evidence: Default::default(),
    })
}

/// A check whose behaviour a test chooses.
struct Fake {
    meta: &'static Meta,
    behaviour: Behaviour,
}

#[derive(Clone, Copy)]
enum Behaviour {
    Pass,
    PanicInRun,
    PanicInPlan,
}

fn meta(id: &'static str, active: bool) -> &'static Meta {
    Box::leak(Box::new(Meta {
        id,
        title: "fake",
        severity: Severity::Fail,
        needs: "nothing",
        network: false,
        active,
        doc: "",
    }))
}

impl DynCheck for Fake {
    fn meta(&self) -> &'static Meta {
        self.meta
    }
    fn plan<'a>(&'a self, _cx: &'a Context) -> BoxFuture<'a, Plan> {
        let behaviour = self.behaviour;
        Box::pin(async move {
            if let Behaviour::PanicInPlan = behaviour {
                panic!("planted panic in plan");
            }
            Plan::Targets(vec!["t1".into(), "t2".into()])
        })
    }
    fn run<'a>(&'a self, _cx: &'a Context, target: &'a str) -> BoxFuture<'a, Outcome> {
        let behaviour = self.behaviour;
        Box::pin(async move {
            match behaviour {
                Behaviour::PanicInRun if target == "t2" => panic!("planted panic in run"),
                _ => Outcome::pass("sent a signed event"),
            }
        })
    }
}

fn leak(check: Fake) -> &'static dyn DynCheck {
    Box::leak(Box::new(check))
}

#[tokio::test]
async fn active_checks_do_not_run_without_active() {
    let check = leak(Fake {
        meta: meta("webhook.fake-active", true),
        behaviour: Behaviour::Pass,
    });
    let out = run(context(false), &[check], &RunOptions::default())
        .await
        .unwrap();
    assert_eq!(out.results.len(), 2);
    for r in &out.results {
        assert_eq!(r.status, Status::Skip, "{r:?}");
        assert!(r.summary.contains("--active"), "{r:?}");
    }
    let out = run(context(true), &[check], &RunOptions::default())
        .await
        .unwrap();
    assert!(out.results.iter().all(|r| r.status == Status::Pass));
}

#[tokio::test]
async fn a_panic_in_run_is_that_results_error_and_counted() {
    let check = leak(Fake {
        meta: meta("fake.run-panics", false),
        behaviour: Behaviour::PanicInRun,
    });
    let healthy = leak(Fake {
        meta: meta("fake.healthy", false),
        behaviour: Behaviour::Pass,
    });
    let out = run(context(false), &[check, healthy], &RunOptions::default())
        .await
        .unwrap();
    assert_eq!(out.internal_errors, 1);
    let failed: Vec<_> = out
        .results
        .iter()
        .filter(|r| r.status == Status::Error)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (failed[0].check.as_str(), failed[0].target.as_str()),
        ("fake.run-panics", "t2")
    );
    assert!(
        failed[0].summary.contains("planted panic in run"),
        "{:?}",
        failed[0]
    );
    assert_eq!(
        out.results
            .iter()
            .filter(|r| r.status == Status::Pass)
            .count(),
        3
    );
}

#[tokio::test]
async fn a_panic_in_plan_is_an_error_result_not_a_lost_audit() {
    let check = leak(Fake {
        meta: meta("fake.plan-panics", false),
        behaviour: Behaviour::PanicInPlan,
    });
    let healthy = leak(Fake {
        meta: meta("fake.healthy", false),
        behaviour: Behaviour::Pass,
    });
    let out = run(context(false), &[check, healthy], &RunOptions::default())
        .await
        .unwrap();
    assert_eq!(out.internal_errors, 1);
    let r = out
        .results
        .iter()
        .find(|r| r.check == "fake.plan-panics")
        .unwrap();
    assert_eq!(r.status, Status::Error);
    assert!(r.summary.contains("planted panic in plan"), "{r:?}");
    assert_eq!(
        out.results
            .iter()
            .filter(|r| r.check == "fake.healthy")
            .count(),
        2
    );
}

#[tokio::test]
async fn the_progress_total_equals_the_results_count() {
    let offline = RunOptions {
        offline: true,
        ..RunOptions::default()
    };
    let bar = indicatif::ProgressBar::hidden();
    let out = run_with_progress(
        context(false),
        crate::checks::ALL,
        &offline,
        Some(bar.clone()),
    )
    .await
    .unwrap();
    assert_eq!(bar.length(), Some(out.results.len() as u64));
    assert_eq!(bar.position(), out.results.len() as u64);
}
