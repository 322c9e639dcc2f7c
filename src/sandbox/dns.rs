//! An authoritative DNS server on loopback (hickory-server with our own request
//! handler), serving zones built from data. Per-name behaviours script the failures a
//! real resolver meets: SERVFAIL, no answer at all (timeout) and slow answers.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{A, AAAA, CNAME, MX, NS, PTR, SOA, TXT};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::proto::serialize::binary::{BinDecoder, Restrict};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;
use tokio::net::{TcpListener, UdpSocket};

/// How the server treats queries for one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    ServFail,
    /// Never answer: the client times out.
    Drop,
    /// Answer normally after a pause.
    Delay(Duration),
    /// Answer queries for types the name has; never answer the others (the RFC 7208
    /// suite's `TIMEOUT`).
    DropWhenEmpty,
}

/// Zone data: apexes served authoritatively and the records in them.
#[derive(Clone, Debug, Default)]
pub struct Zones {
    apexes: Vec<String>,
    records: HashMap<(String, RecordType), Vec<RData>>,
    names: HashSet<String>,
    behaviours: HashMap<String, Behaviour>,
    /// Added to every answer (for measuring latency-bound work such as SPF trees).
    pub latency: Duration,
}

use crate::net::dns::name_text as name_key;

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn dns_name(name: &str) -> Name {
    crate::net::dns::raw_name(&key(name)).unwrap_or_else(Name::root)
}

impl Zones {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serve `apex` authoritatively: names under it that have no records are NXDOMAIN.
    /// `"."` serves every name (the root), for test suites with arbitrary names.
    pub fn zone(mut self, apex: &str) -> Self {
        self.apexes.push(key(apex));
        self.names.insert(key(apex));
        self
    }

    pub fn add(mut self, name: &str, data: RData) -> Self {
        self.insert(name, data);
        self
    }

    pub fn insert(&mut self, name: &str, data: RData) {
        let name = key(name);
        // A name no query can carry (an empty or over-long label) cannot be served.
        if crate::net::dns::raw_name(&name).is_none() {
            return;
        }
        // Every ancestor up to the apex exists (an empty non-terminal answers NODATA).
        let mut labels: &str = &name;
        loop {
            self.names.insert(labels.to_owned());
            match labels.split_once('.') {
                Some((_, rest)) if self.apexes.iter().any(|a| rest.ends_with(a.as_str())) => {
                    labels = rest
                }
                _ => break,
            }
        }
        self.records
            .entry((name, data.record_type()))
            .or_default()
            .push(data);
    }

    pub fn behave(mut self, name: &str, behaviour: Behaviour) -> Self {
        self.behaviours.insert(key(name), behaviour);
        self
    }

    pub fn a(self, name: &str, ip: &str) -> Self {
        match ip.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(v4)) => self.add(name, RData::A(A(v4))),
            Ok(std::net::IpAddr::V6(v6)) => self.add(name, RData::AAAA(AAAA(v6))),
            Err(_) => self,
        }
    }

    pub fn cname(self, name: &str, target: &str) -> Self {
        self.add(name, RData::CNAME(CNAME(dns_name(target))))
    }

    pub fn ns(self, name: &str, target: &str) -> Self {
        self.add(name, RData::NS(NS(dns_name(target))))
    }

    pub fn ptr(self, name: &str, target: &str) -> Self {
        self.add(name, RData::PTR(PTR(dns_name(target))))
    }

    pub fn mx(self, name: &str, preference: u16, exchange: &str) -> Self {
        let exchange = if exchange == "." {
            Name::root()
        } else {
            dns_name(exchange)
        };
        self.add(name, RData::MX(MX::new(preference, exchange)))
    }

    /// One TXT record made of the given character-strings (each at most 255 bytes on
    /// the wire; longer input is split, as zone files do).
    pub fn txt(self, name: &str, strings: &[&str]) -> Self {
        let mut parts: Vec<Box<[u8]>> = Vec::new();
        for s in strings {
            for chunk in s.as_bytes().chunks(255) {
                parts.push(chunk.into());
            }
            if s.is_empty() {
                parts.push(Box::new([]));
            }
        }
        let refs: Vec<&[u8]> = parts.iter().map(|p| &p[..]).collect();
        self.add(name, RData::TXT(TXT::from_bytes(refs)))
    }

    /// One TXT record from raw character-strings (any bytes, as a test suite gives).
    pub fn txt_bytes(self, name: &str, strings: &[Vec<u8>]) -> Self {
        // A TXT record needs at least one string on the wire; "no strings" (which
        // the RFC 7208 suite uses to mean null text) is served as one empty string.
        let empty: [&[u8]; 1] = [b""];
        let refs: Vec<&[u8]> = if strings.is_empty() {
            empty.to_vec()
        } else {
            strings.iter().map(Vec::as_slice).collect()
        };
        self.add(name, RData::TXT(TXT::from_bytes(refs)))
    }

    pub fn caa(self, name: &str, critical: bool, tag: &str, value: &str) -> Self {
        // Built from wire bytes so that any tag and value (malformed ones included)
        // can be served exactly as written.
        let mut wire = vec![if critical { 0x80 } else { 0 }, tag.len().min(255) as u8];
        wire.extend_from_slice(tag.as_bytes());
        wire.extend_from_slice(value.as_bytes());
        let mut decoder = BinDecoder::new(&wire);
        match RData::read(
            &mut decoder,
            RecordType::CAA,
            Restrict::new(wire.len() as u16),
        ) {
            Ok(data) => self.add(name, data),
            Err(_) => self,
        }
    }

    /// Names whose address is loopback (A 127.0.0.1 or AAAA ::1), sorted; names
    /// with a scripted behaviour (SERVFAIL, silence) are left out: their lookups
    /// are the point.
    pub fn loopback_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .records
            .iter()
            .filter(|((name, _), _)| !self.behaviours.contains_key(name))
            .filter(|(_, data)| {
                data.iter().any(|d| match d {
                    RData::A(a) => a.0.is_loopback(),
                    RData::AAAA(a) => a.0.is_loopback(),
                    _ => false,
                })
            })
            .map(|((name, _), _)| name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn apex_of(&self, name: &str) -> Option<&str> {
        self.apexes
            .iter()
            .filter(|a| a.is_empty() || name == a.as_str() || name.ends_with(&format!(".{a}")))
            .max_by_key(|a| a.len())
            .map(String::as_str)
    }

    fn get(&self, name: &str, rtype: RecordType) -> Option<&Vec<RData>> {
        self.records.get(&(name.to_owned(), rtype))
    }
}

/// A running DNS server; dropped, it stops.
pub struct DnsServer {
    pub addr: SocketAddr,
    _server: Server<Handler>,
}

impl DnsServer {
    pub async fn start(zones: Zones) -> std::io::Result<Self> {
        let (udp, tcp) = bind_pair().await?;
        let addr = udp.local_addr()?;
        let mut server = Server::new(Handler(Arc::new(zones)));
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 64);
        Ok(Self {
            addr,
            _server: server,
        })
    }
}

/// A UDP socket and a TCP listener on the same loopback port (TCP carries truncated
/// answers). The OS picks the UDP port; when that port is taken for TCP by someone
/// else, try again with another.
async fn bind_pair() -> std::io::Result<(UdpSocket, TcpListener)> {
    let mut last = None;
    for _ in 0..32 {
        let udp = UdpSocket::bind("127.0.0.1:0").await?;
        match TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free loopback port pair")))
}

pub struct Handler(Arc<Zones>);

fn record(name: &str, data: &RData) -> Record {
    Record::from_rdata(dns_name(name), 60, data.clone())
}

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response: R,
    ) -> ResponseInfo {
        let zones = &self.0;
        let mut metadata = Metadata::response_from_request(&request.metadata);
        let silent = ResponseInfo::from(Header {
            metadata,
            counts: HeaderCounts::default(),
        });
        let Ok(info) = request.request_info() else {
            return silent;
        };
        let name = name_key(info.query.name());
        let qtype = info.query.query_type();
        match zones.behaviours.get(&name) {
            Some(Behaviour::Drop) => return silent,
            Some(Behaviour::Delay(d)) => tokio::time::sleep(*d).await,
            _ => {}
        }
        if !zones.latency.is_zero() {
            tokio::time::sleep(zones.latency).await;
        }
        let builder = MessageResponseBuilder::from_message_request(request);
        let code = match (zones.behaviours.get(&name), zones.apex_of(&name)) {
            (Some(Behaviour::ServFail), _) => Some(ResponseCode::ServFail),
            (_, None) => Some(ResponseCode::Refused),
            _ => None,
        };
        if let Some(code) = code {
            return response
                .send_response(builder.error_msg(&request.metadata, code))
                .await
                .unwrap_or(silent);
        }
        let apex = zones.apex_of(&name).unwrap_or_default().to_owned();
        let mut answers = Vec::new();
        let mut current = name.clone();
        // Chase CNAMEs inside our zones, as an authoritative server does.
        for _ in 0..8 {
            if qtype != RecordType::CNAME
                && let Some(targets) = zones.get(&current, RecordType::CNAME)
            {
                answers.extend(targets.iter().map(|d| record(&current, d)));
                match targets.first() {
                    Some(RData::CNAME(c)) => current = name_key(&c.0),
                    _ => break,
                }
                continue;
            }
            if let Some(data) = zones.get(&current, qtype) {
                answers.extend(data.iter().map(|d| record(&current, d)));
            }
            break;
        }
        if answers.is_empty() && zones.behaviours.get(&name) == Some(&Behaviour::DropWhenEmpty) {
            return silent;
        }
        metadata.authoritative = true;
        let soa = Record::from_rdata(
            dns_name(&apex),
            60,
            RData::SOA(SOA::new(
                dns_name(&format!("ns1.{apex}")),
                dns_name(&format!("hostmaster.{apex}")),
                1,
                3600,
                600,
                86400,
                60,
            )),
        );
        let exists = zones.names.contains(&name);
        metadata.response_code = if answers.is_empty() && !exists {
            ResponseCode::NXDomain
        } else {
            ResponseCode::NoError
        };
        let negative = if answers.is_empty() {
            vec![soa]
        } else {
            Vec::new()
        };
        let message = builder.build(
            metadata,
            answers.iter(),
            std::iter::empty(),
            negative.iter(),
            std::iter::empty(),
        );
        response.send_response(message).await.unwrap_or(silent)
    }
}
