//! Certificates made at run time (rcgen): a sandbox CA and leaf certificates with the
//! validity each scenario needs. Nothing here is ever written to the repository.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pub cert: CertificateDer<'static>,
    pub pem: String,
}

/// How a leaf certificate should look.
#[derive(Clone, Debug)]
pub struct LeafSpec {
    pub names: Vec<String>,
    /// Days from now; negative is in the past.
    pub not_before_days: i64,
    pub not_after_days: i64,
    pub self_signed: bool,
}

impl LeafSpec {
    pub fn valid(names: &[&str]) -> Self {
        Self {
            names: names.iter().map(|s| s.to_string()).collect(),
            not_before_days: -30,
            not_after_days: 60,
            self_signed: false,
        }
    }
}

pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl TestCa {
    pub fn new() -> Result<Self, rcgen::Error> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        let mut dn = DistinguishedName::new();
        // The organisation reads like a public CA's so that issuer-based checks
        // (CAA) have something realistic to map; the CN says what it really is.
        dn.push(
            DnType::OrganizationName,
            "Let's Encrypt (launch-ready sandbox)",
        );
        dn.push(DnType::CommonName, "launch-ready sandbox CA");
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(365);
        params.not_after = now + Duration::days(3650);
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            pem: cert.pem(),
            cert: cert.der().clone(),
            issuer: Issuer::new(params, key),
        })
    }

    pub fn issue(&self, spec: &LeafSpec) -> Result<Leaf, rcgen::Error> {
        let mut params = CertificateParams::new(spec.names.clone())?;
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            spec.names.first().cloned().unwrap_or_default(),
        );
        params.distinguished_name = dn;
        let now = OffsetDateTime::now_utc();
        params.not_before = now + Duration::days(spec.not_before_days);
        params.not_after = now + Duration::days(spec.not_after_days);
        let key = KeyPair::generate()?;
        // Servers send the leaf (and intermediates, of which the sandbox has none);
        // the root is the client's trust anchor (`--ca-file`).
        let cert = if spec.self_signed {
            params.self_signed(&key)?
        } else {
            params.signed_by(&key, &self.issuer)?
        };
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        })
    }
}
