pub mod caa;
pub mod dangling_cname;
pub mod ns;
pub mod resolves;

use crate::checks::Plan;
use crate::context::Context;

/// Every host check targets the manifest's web hosts; without any, it is skipped.
pub(crate) fn host_plan(cx: &Context) -> Plan {
    let hosts = cx.web_hosts();
    if hosts.is_empty() {
        Plan::skip("web", "no `web` section or webhooks in the manifest")
    } else {
        Plan::Targets(hosts)
    }
}
