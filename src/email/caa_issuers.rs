//! Which CAA issuer domain names a certificate's issuer recognises (RFC 8659 §4.2:
//! each CA publishes the domains it honours in `issue`/`issuewild`). The table is
//! generated from the CCADB "All CAA Identifiers" report — every public CA in the
//! Mozilla, Microsoft, Google and Apple root programs — see the header of
//! `data/ccadb-caa-identifiers.tsv` for its provenance and how to refresh it.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/ccadb-caa-identifiers.tsv");

/// One CA owner of the CCADB report.
#[derive(Debug)]
pub struct CaOwner {
    pub owner: &'static str,
    /// How the owner is named in issuer DNs (compared word by word).
    names: Vec<Vec<String>>,
    pub domains: Vec<&'static str>,
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['’', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn owners() -> &'static [CaOwner] {
    static OWNERS: OnceLock<Vec<CaOwner>> = OnceLock::new();
    OWNERS.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let (owner, names, domains) = (cols.next()?, cols.next()?, cols.next()?);
                Some(CaOwner {
                    owner,
                    names: names
                        .split(';')
                        .map(words)
                        .filter(|w| !w.is_empty())
                        .collect(),
                    domains: domains
                        .split(',')
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                        .collect(),
                })
            })
            .collect()
    })
}

/// The values of `O=` and `CN=` in an issuer DN (`C=US, O=Let's Encrypt, CN=R11`);
/// a bare organisation name is taken whole.
fn issuer_names(dn: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for part in dn.split([',', '/', '+']) {
        if let Some((k, v)) = part.split_once('=') {
            let k = k.trim().to_ascii_uppercase();
            if k == "O" || k == "CN" || k == "OU" {
                out.push(words(v));
            }
        }
    }
    if out.is_empty() {
        out.push(words(dn));
    }
    out
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The CCADB owner whose certificates carry this issuer, if the table knows it.
pub fn owner_of(issuer_dn: &str) -> Option<&'static CaOwner> {
    let names = issuer_names(issuer_dn);
    owners().iter().find(|o| {
        o.names
            .iter()
            .any(|n| names.iter().any(|v| contains_run(v, n)))
    })
}

#[cfg(test)]
mod tests {
    use super::{owner_of, owners};

    #[test]
    fn the_table_covers_the_public_cas() {
        assert!(owners().len() >= 80, "{} owners", owners().len());
        let domains: usize = owners().iter().map(|o| o.domains.len()).sum();
        assert!(domains >= 180, "{domains} domains");
        for (dn, want) in [
            ("C=US, O=Let's Encrypt, CN=R11", "letsencrypt.org"),
            ("C=US, O=Google Trust Services, CN=WE1", "pki.goog"),
            (
                "C=AT, O=ZeroSSL, CN=ZeroSSL RSA Domain Secure Site CA",
                "sectigo.com",
            ),
            (
                "C=GR, O=Hellenic Academic and Research Institutions CA, CN=HARICA DV TLS RSA",
                "harica.gr",
            ),
            (
                "C=PL, O=Asseco Data Systems S.A., CN=Certum Domain Validation CA SHA2",
                "certum.pl",
            ),
            (
                "C=IT, O=Actalis S.p.A., CN=Actalis Organization Validated Server CA G3",
                "actalis.it",
            ),
            (
                "C=CN, O=TrustAsia Technologies, Inc., CN=TrustAsia RSA DV TLS CA G2",
                "trustasia.com",
            ),
            (
                "C=US, O=Cloudflare, Inc., CN=Cloudflare Inc ECC CA-3",
                "digicert.com",
            ),
        ] {
            let owner = owner_of(dn).unwrap_or_else(|| panic!("{dn}"));
            assert!(owner.domains.contains(&want), "{dn}: {owner:?}");
        }
        assert!(owner_of("CN=Private Root (not trusted)").is_none());
        assert!(owner_of("O=Acme Corp Internal, CN=Acme Issuing CA").is_none());
    }
}
