//! `code.webhook-idempotency`: see `checks/code.webhook-idempotency.md`. The analysis itself lives in `crate::code`.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct WebhookIdempotency;

static META: Meta = Meta {
    id: "code.webhook-idempotency",
    title: "Webhook routes record processed event ids",
    severity: Severity::Warn,
    needs: "manifest `code.root` (a Next.js repository); offline",
    network: false,
    active: false,
    doc: include_str!("../../../checks/code.webhook-idempotency.md"),
};

impl Check for WebhookIdempotency {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.idempotency,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
    }

    fn run<'a>(&'a self, cx: &'a Context, file: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { super::outcome(cx, |a| &a.idempotency, file) })
    }
}
