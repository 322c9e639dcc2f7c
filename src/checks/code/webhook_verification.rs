//! `code.webhook-verification`: see `checks/code.webhook-verification.md`. The analysis itself lives in `crate::code`.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct WebhookVerification;

static META: Meta = Meta {
    id: "code.webhook-verification",
    title: "Stripe webhook routes verify signatures over the raw body",
    severity: Severity::Fail,
    needs: "manifest `code.root` (a Next.js repository); offline",
    network: false,
    active: false,
    doc: include_str!("../../../checks/code.webhook-verification.md"),
};

impl Check for WebhookVerification {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.verification,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
    }

    fn run<'a>(&'a self, cx: &'a Context, file: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { super::outcome(cx, |a| &a.verification, file) })
    }
}
