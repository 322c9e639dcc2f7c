//! Real handlers that verify the signature and then refuse the probe event itself
//! (issue 9.1, SPEC §7 "Comparing probe answers"): the wrongly signed probe's answer
//! tells a refused signature from a refused event, so none of them is blamed on the
//! secret, and `webhook.replay-rejected` can still judge the timestamp check.

use launch_ready::sandbox::webhook_app::{Mode, webhook_app};
use launch_ready::sandbox::{Site, World};

use super::{manifest, secret, summary, zones};
use crate::support::{Project, Run};

const STYLES: [(&str, Mode); 7] = [
    (
        "unknown-types",
        Mode::RefusesUnknownTypes { replay_check: true },
    ),
    (
        "unknown-no-replay",
        Mode::RefusesUnknownTypes {
            replay_check: false,
        },
    ),
    ("live-only", Mode::RefusesOtherLivemode { live: true }),
    ("test-only", Mode::RefusesOtherLivemode { live: false }),
    ("allowlist", Mode::IpAllowlist),
    ("refetch-404", Mode::RefetchesEvent { status: 404 }),
    ("refetch-400", Mode::RefetchesEvent { status: 400 }),
];

fn audit(environment: &str) -> Run {
    let whsec = secret();
    let urls: Vec<String> = STYLES
        .iter()
        .map(|(name, _)| format!("https://hooks.acme.app/{name}"))
        .collect();
    let hooks: Vec<(&str, &str, &str)> = STYLES
        .iter()
        .zip(&urls)
        .map(|((name, _), url)| (*name, url.as_str(), ", latency_probes: 1"))
        .collect();
    let yaml = manifest(&hooks).replacen(
        "project: acme\n",
        &format!("project: acme\nenvironment: {environment}\n"),
        1,
    );
    let app_secret = whsec.clone();
    let run = Project::new(&yaml)
        .file(".env", &format!("STRIPE_WEBHOOK_SECRET={whsec}\n"))
        .world(move || World {
            zones: zones(),
            sites: vec![
                STYLES
                    .iter()
                    .fold(Site::new("hooks.acme.app"), |site, (name, mode)| {
                        site.route(&format!("/{name}"), webhook_app(*mode, &app_secret))
                    }),
            ],
        })
        .audit(&[
            "--active",
            "--only",
            "webhook.signed-accepted",
            "--only",
            "webhook.replay-rejected",
            "--only",
            "webhook.signature-enforced",
        ]);
    assert!(!run.stdout.contains(&whsec) && !run.stderr.contains(&whsec));
    run
}

fn expect(run: &Run, check: &str, target: &str, status: &str, words: &[&str]) {
    assert_eq!(
        run.status(check, target),
        status,
        "{check} {target}: {}",
        run.result(check, target)
    );
    let text = summary(run, check, target);
    for w in words {
        assert!(text.contains(w), "{check} {target}: `{w}` not in: {text}");
    }
}

#[test]
fn handlers_that_verify_then_refuse_the_event_warn_instead_of_blaming_the_secret() {
    let run = audit("production");
    let signed = "webhook.signed-accepted";
    let replay = "webhook.replay-rejected";
    for (name, _) in STYLES {
        expect(&run, "webhook.signature-enforced", name, "pass", &[]);
    }
    // The canonical starter: 400 "Unsupported event type" after verifying.
    expect(
        &run,
        signed,
        "unknown-types",
        "warn",
        &[
            "accepted the signature but refused the event",
            "400 \"Unsupported event type: launch_ready.probe\"",
            "stripe.handled-events",
        ],
    );
    assert!(!summary(&run, signed, "unknown-types").contains("secret differs"));
    // Before: `error` ("the event signed now was refused too").
    expect(
        &run,
        replay,
        "unknown-types",
        "pass",
        &["timestamp is checked"],
    );
    expect(
        &run,
        signed,
        "unknown-no-replay",
        "warn",
        &["Unsupported event type"],
    );
    expect(
        &run,
        replay,
        "unknown-no-replay",
        "fail",
        &["exactly like a fresh one"],
    );
    // In production the probe is a live event, so a live-only handler accepts it.
    expect(&run, signed, "live-only", "pass", &["accepted (200)"]);
    expect(&run, replay, "live-only", "pass", &["accepted a fresh one"]);
    expect(
        &run,
        signed,
        "test-only",
        "warn",
        &["ignoring event with livemode true"],
    );
    expect(&run, replay, "test-only", "pass", &["timestamp is checked"]);
    // An allowlist answers every probe alike: the same answer, so `fail` naming all causes.
    expect(
        &run,
        signed,
        "allowlist",
        "fail",
        &[
            "refused (403)",
            "secret differs",
            "event types",
            "IP addresses",
        ],
    );
    expect(&run, replay, "allowlist", "error", &["cannot tell"]);
    expect(
        &run,
        signed,
        "refetch-404",
        "warn",
        &["404", "No such event"],
    );
    expect(
        &run,
        replay,
        "refetch-404",
        "pass",
        &["like a wrongly signed one (400 \"Invalid signature\")"],
    );
    expect(
        &run,
        signed,
        "refetch-400",
        "warn",
        &["400", "No such event"],
    );
    expect(
        &run,
        replay,
        "refetch-400",
        "pass",
        &["like a wrongly signed one"],
    );
    let details = &run.result(signed, "refetch-404")["details"];
    assert_eq!(details["livemode"], true);
    assert_eq!(details["same_answer_as_bad_signature"], false);
}

#[test]
fn probe_livemode_follows_the_environment() {
    let run = audit("staging");
    let signed = "webhook.signed-accepted";
    expect(
        &run,
        signed,
        "live-only",
        "warn",
        &["ignoring event with livemode false"],
    );
    expect(&run, signed, "test-only", "pass", &["accepted (200)"]);
    assert_eq!(
        run.result(signed, "test-only")["details"]["livemode"],
        false
    );
}
