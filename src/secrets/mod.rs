//! Secret detection: classifying values, judging variable names and scanning text.
//!
//! THE RULE: nothing here returns or displays a raw secret. Everything meant for
//! output goes through [`mask`]; types that hold a secret print it masked.

mod dburl;
mod jwt;
mod kind;
mod mask;
mod names;
mod patterns;
mod scan;

pub use kind::SecretKind;
pub use mask::{fingerprint, mask};
pub use names::{is_secret_name, is_secret_var};
pub use scan::{MAX_MATCHES, MIN_LITERAL_LEN, scan_text};

use serde::Serialize;

/// The value of an environment variable known to be secret, to be searched for
/// literally. Its `Debug` output is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct KnownSecret {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for KnownSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnownSecret")
            .field("name", &self.name)
            .field("value", &mask(&self.value))
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    Pattern(SecretKind),
    EnvValue { var: String },
}

/// One finding in scanned text. Holds no secret material: `masked` is the output
/// of [`mask`], so deriving `Debug` and `Serialize` is safe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretMatch {
    pub kind: MatchKind,
    /// Byte offset into the scanned text (always on a character boundary).
    pub offset: usize,
    pub masked: String,
}

/// The kind of secret when the whole value (surrounding whitespace and quotes
/// aside) is one. A PEM private key counts from its armour line on.
pub fn classify_value(value: &str) -> Option<SecretKind> {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let (kind, end) = patterns::match_at(v.as_bytes(), 0)?;
    (kind == SecretKind::PemPrivateKey || end == v.len()).then_some(kind)
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests_names;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests_scan;
