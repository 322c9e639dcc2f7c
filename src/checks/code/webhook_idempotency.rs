//! `code.webhook-idempotency`: see `checks/code.webhook-idempotency.md`. The analysis itself lives in `crate::code`.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;

pub struct WebhookIdempotency;

impl Check for WebhookIdempotency {
    const META: &'static Meta = meta! {
        id: "code.webhook-idempotency",
        title: "Webhook routes record processed event ids",
        severity: Warn,
        needs: "manifest `code.root` (a Next.js repository); offline",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.idempotency,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
        .await
    }

    async fn run(&self, cx: &Context, file: &str) -> Checked {
        super::outcome(cx, |a| &a.idempotency, file).await
    }
}
