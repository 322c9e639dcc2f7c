//! What of a customer may be shown (SPEC §6 "Privacy"): a masked email, a masked
//! Stripe id, a date — never a name, never more than [`MAX_EXAMPLES`] of them.

/// At most this many customers are named (masked) in one result.
pub const MAX_EXAMPLES: usize = 10;

/// `ada@acme.app` → `a***@acme.app`. The domain stays: it tells a founder whether
/// the drift is one company's staff or everyone, and it identifies no one.
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => {
            let first: String = local.chars().take(1).filter(|c| !c.is_control()).collect();
            let domain: String = domain.chars().filter(|c| !c.is_control()).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".to_owned(),
    }
}

/// `cus_QXg1o8vcGmoR32` → `cus_…oR32`: the object prefix and the last four
/// characters, enough to find the customer in the Dashboard search.
pub fn mask_id(id: &str) -> String {
    let id = id.trim();
    let (prefix, rest) = match id.find('_') {
        Some(i) if i <= 8 => id.split_at(i + 1),
        _ => ("", id),
    };
    let n = rest.chars().count();
    if n < 8 || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return format!("{prefix}…");
    }
    let tail: String = rest.chars().skip(n - 4).collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_keep_one_letter_and_the_domain() {
        assert_eq!(mask_email("ada@acme.app"), "a***@acme.app");
        assert_eq!(mask_email(" Zoë.Long@Example.org "), "Z***@Example.org");
        assert_eq!(mask_email("@acme.app"), "***@acme.app");
        assert_eq!(mask_email("not an email"), "***");
    }

    #[test]
    fn ids_keep_the_prefix_and_four_characters() {
        assert_eq!(mask_id("cus_QXg1o8vcGmoR32"), "cus_…oR32");
        assert_eq!(mask_id("cus_short"), "cus_…");
        assert_eq!(mask_id("12345678901"), "…8901");
        assert_eq!(mask_id("cus_<script>alert"), "cus_…");
    }
}
