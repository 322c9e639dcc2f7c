//! acme's Better Stack account: the home page is watched every minute with an
//! escalation policy, but the health monitor was paused during a migration and never
//! resumed, nobody monitors the Stripe webhook on www, and the apex webhook monitor
//! (expecting the 405 a GET gets) alerts nobody.

use crate::sandbox::Site;
use crate::sandbox::betterstack_fake::BetterStackFake;
use crate::sandbox::monitors::{FakeMonitor, Probe, Reported};

/// The demo's Better Stack token, made fresh each run (`.env.production` holds it).
pub fn token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| crate::sandbox::random_token(24))
}

pub fn site() -> Site {
    BetterStackFake::new(token())
        .monitors([
            FakeMonitor::http(2_140_301, "Acme website", "https://www.acme.app"),
            FakeMonitor::http(2_140_302, "Acme health", "https://www.acme.app/api/health")
                .probe(Probe::Keyword("ok".into()))
                .every(30)
                .reported(Reported::Paused),
            FakeMonitor::http(
                2_140_303,
                "Stripe webhook (apex)",
                "https://acme.app/api/webhooks/stripe",
            )
            .probe(Probe::Expect(vec![405]))
            .every(180)
            .silent(),
            FakeMonitor::http(2_140_304, "API host ping", "api.acme.app").probe(Probe::Ping),
        ])
        .site()
}
