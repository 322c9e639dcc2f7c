//! Email authentication: the SPF, DMARC, DKIM and MX audits of `crate::email`, run
//! over the audit's resolver once per domain (SPF and DMARC are read by several
//! `email.*` checks).

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::email::dkim::DkimAudit;
use crate::email::dmarc::{DmarcAudit, Policy};
use crate::email::spf::SpfAudit;
use crate::email::{MxStatus, Problem};
use crate::manifest::DmarcPolicy;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Spf(pub String);

impl Source for Spf {
    type Value = SpfAudit;
    async fn fetch(&self, cx: &Context) -> Result<SpfAudit, Unavailable> {
        Ok(crate::email::spf::audit(net(cx)?.dns.as_ref(), &self.0).await)
    }
}

/// The DMARC record of a domain, judged against `email.dmarc_min_policy`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dmarc(pub String);

impl Source for Dmarc {
    type Value = DmarcAudit;
    async fn fetch(&self, cx: &Context) -> Result<DmarcAudit, Unavailable> {
        let min = cx
            .manifest
            .email
            .as_ref()
            .map(|e| e.dmarc_min_policy)
            .unwrap_or_default();
        let policy = match min {
            DmarcPolicy::None => Policy::None,
            DmarcPolicy::Quarantine => Policy::Quarantine,
            DmarcPolicy::Reject => Policy::Reject,
        };
        Ok(crate::email::dmarc::audit_dmarc(net(cx)?.dns.as_ref(), &self.0, policy).await)
    }
}

/// The DKIM key record `selector._domainkey.domain`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dkim {
    pub selector: String,
    pub domain: String,
}

impl Source for Dkim {
    type Value = DkimAudit;
    async fn fetch(&self, cx: &Context) -> Result<DkimAudit, Unavailable> {
        let dns = net(cx)?.dns.as_ref();
        Ok(crate::email::dkim::audit_dkim(dns, &self.domain, &self.selector).await)
    }
}

/// The MX records of a domain, judged for a domain that sends (or does not send) mail.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mx {
    pub domain: String,
    pub sends_mail: bool,
}

impl Source for Mx {
    type Value = (MxStatus, Vec<Problem>);
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let dns = net(cx)?.dns.as_ref();
        Ok(crate::email::audit_mx(dns, &self.domain, self.sends_mail).await)
    }
}
