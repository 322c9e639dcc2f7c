//! `code.webhook-errors`: see `checks/code.webhook-errors.md`. The analysis itself lives in `crate::code`.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct WebhookErrors;

static META: Meta = Meta {
    id: "code.webhook-errors",
    title: "Webhook routes let processing errors reach the provider",
    severity: Severity::Fail,
    needs: "manifest `code.root` (a Next.js repository); offline",
    network: false,
    active: false,
    doc: include_str!("../../../checks/code.webhook-errors.md"),
};

impl Check for WebhookErrors {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.errors,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
    }

    fn run<'a>(&'a self, cx: &'a Context, file: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { super::outcome(cx, |a| &a.errors, file) })
    }
}
