//! `code.client-secrets`: see `checks/code.client-secrets.md`. The analysis itself lives in `crate::code`.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct ClientSecrets;

static META: Meta = Meta {
    id: "code.client-secrets",
    title: "Client components read no secret env vars",
    severity: Severity::Fail,
    needs: "manifest `code.root` (a Next.js repository); offline",
    network: false,
    active: false,
    doc: include_str!("../../../checks/code.client-secrets.md"),
};

impl Check for ClientSecrets {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.client,
            "no 'use client' modules found under code.root",
        )
    }

    fn run<'a>(&'a self, cx: &'a Context, file: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { super::outcome(cx, |a| &a.client, file) })
    }
}
