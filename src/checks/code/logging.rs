//! `code.logging`: see `checks/code.logging.md`. The analysis itself lives in `crate::code`.

use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct Logging;

static META: Meta = Meta {
    id: "code.logging",
    title: "Server code logs no whole events, bodies, headers or secrets",
    severity: Severity::Warn,
    needs: "manifest `code.root` (a Next.js repository); offline",
    network: false,
    active: false,
    doc: include_str!("../../../checks/code.logging.md"),
};

impl Check for Logging {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.logging,
            "no inbound webhook routes and no server file logging request data found under code.root",
        )
    }

    fn run<'a>(&'a self, cx: &'a Context, file: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { super::outcome(cx, |a| &a.logging, file) })
    }
}
