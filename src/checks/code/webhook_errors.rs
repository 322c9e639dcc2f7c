//! `code.webhook-errors`: see `checks/code.webhook-errors.md`. The analysis itself lives in `crate::code`.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;

pub struct WebhookErrors;

impl Check for WebhookErrors {
    const META: &'static Meta = meta! {
        id: "code.webhook-errors",
        title: "Webhook routes let processing errors reach the provider",
        severity: Fail,
        needs: "manifest `code.root` (a Next.js repository); offline",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.errors,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
        .await
    }

    async fn run(&self, cx: &Context, file: &str) -> Checked {
        super::outcome(cx, |a| &a.errors, file).await
    }
}
