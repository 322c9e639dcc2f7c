//! DNS answers. NXDOMAIN and NODATA are answers a check judges, so a failed lookup is
//! part of the evidence ([`Answer`]); only a run without network is [`Unavailable`].

use std::net::IpAddr;

use hickory_resolver::proto::rr::RecordType;

use super::{Source, Unavailable, net};
use crate::context::Context;
pub use crate::net::dns::{Caa, DnsFailure};

/// What the name servers said: the records, or which failure.
pub type Answer<T> = Result<T, DnsFailure>;

/// A and AAAA of a host, together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Addresses(pub String);

/// The NS records of a zone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NameServers(pub String);

/// The CNAME target(s) at a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cname(pub String);

/// The CAA records at exactly a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CaaRecords(pub String);

impl Source for Addresses {
    type Value = Answer<Vec<IpAddr>>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        Ok(net(cx)?.dns.ips(&self.0).await)
    }
}

impl Source for NameServers {
    type Value = Answer<Vec<String>>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        Ok(net(cx)?.dns.names(&self.0, RecordType::NS).await)
    }
}

impl Source for Cname {
    type Value = Answer<Vec<String>>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        Ok(net(cx)?.dns.names(&self.0, RecordType::CNAME).await)
    }
}

impl Source for CaaRecords {
    type Value = Answer<Vec<Caa>>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        Ok(net(cx)?.dns.caa(&self.0).await)
    }
}
