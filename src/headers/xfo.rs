//! `X-Frame-Options` (HTML §7.1.1 "The `X-Frame-Options` header", as exercised by
//! web-platform-tests `x-frame-options/`): every line is split on commas and each
//! value lower-cased. `deny` and `sameorigin` are the only values browsers act on;
//! `ALLOW-FROM`, `ALLOWALL`, quoted values and anything else are ignored (the page
//! stays frameable). The same valid value repeated is honoured; `deny` together with
//! `sameorigin` blocks every framing. An enforced CSP `frame-ancestors` directive
//! overrides the header entirely (HTML §7.1.1 step 2).

use super::split_values;

/// Who may frame the page, according to the header alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framing {
    /// No valid value: any origin may frame the page.
    Anyone,
    SameOrigin,
    Nobody,
}

impl Framing {
    pub fn protects(self) -> bool {
        self != Framing::Anyone
    }
}

/// What the header lines enforce.
pub fn framing(lines: &[&str]) -> Framing {
    let values: Vec<String> = split_values(lines)
        .into_iter()
        .map(|v| v.to_ascii_lowercase())
        .collect();
    let deny = values.iter().any(|v| v == "deny");
    let same = values.iter().any(|v| v == "sameorigin");
    match (deny, same) {
        (true, _) => Framing::Nobody,
        (false, true) => Framing::SameOrigin,
        (false, false) => Framing::Anyone,
    }
}

/// The values a browser ignores, to name them in a finding (`ALLOW-FROM …`).
pub fn ignored_values(lines: &[&str]) -> Vec<String> {
    split_values(lines)
        .into_iter()
        .filter(|v| {
            let l = v.to_ascii_lowercase();
            !v.is_empty() && l != "deny" && l != "sameorigin"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Framing, framing, ignored_values};

    #[test]
    fn browsers_act_on_deny_and_sameorigin_only() {
        assert_eq!(framing(&["DENY, DENY"]), Framing::Nobody);
        assert_eq!(framing(&["DENY", "DENY"]), Framing::Nobody);
        assert_eq!(framing(&[" SAMEORIGIN "]), Framing::SameOrigin);
        assert_eq!(framing(&["SAMEORIGIN", "DENY"]), Framing::Nobody);
        assert_eq!(framing(&["INVALID, SAMEORIGIN"]), Framing::SameOrigin);
        assert_eq!(framing(&["ALLOW-FROM https://a.example/"]), Framing::Anyone);
        assert_eq!(framing(&["\"DENY\""]), Framing::Anyone);
        assert_eq!(framing(&[]), Framing::Anyone);
        assert_eq!(
            ignored_values(&["ALLOW-FROM https://a/"]),
            ["ALLOW-FROM https://a/"]
        );
    }
}
