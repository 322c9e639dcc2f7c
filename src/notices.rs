//! Shared causes: when one thing broke many results (every DNS query went
//! unanswered), the report says so once, first, instead of leaving a reader to find
//! the cause in 29 separate errors. Each affected check keeps its own result.

use crate::context::Context;
use crate::report::Notice;

pub const DNS_UNAVAILABLE: &str = "dns-unavailable";

/// The notices an audit earned, from what the network layer saw.
pub fn collect(cx: &Context) -> Vec<Notice> {
    let mut notices = Vec::new();
    if let Some(net) = &cx.net {
        let health = net.dns.health();
        if health.queries > 0 && health.answered == 0 {
            notices.push(Notice {
                code: DNS_UNAVAILABLE.to_owned(),
                message: format!(
                    "no DNS answers: all {} lookups failed ({}); check --nameserver or the network",
                    health.queries, health.first_failure
                ),
            });
        }
    }
    notices
}
