//! `X-Content-Type-Options` (Fetch §3.5.1 "determine nosniff"): the header's values
//! are got, decoded and split on commas across every line; only the *first* value
//! counts, and it must be `nosniff` (ASCII case-insensitive). `nosniff, nosniff` and
//! two `nosniff` lines are honoured; a first value of anything else is not.

use super::split_values;

/// Does a browser treat the response as `nosniff`?
pub fn enforced(lines: &[&str]) -> bool {
    if lines.is_empty() {
        return false;
    }
    let values = split_values(lines);
    values.first().is_some_and(|first| {
        // web-platform-tests (fetch/nosniff/parsing-nosniff) expect a trailing form
        // feed to be dropped with the whitespace, a vertical tab not.
        first
            .trim_end_matches('\u{c}')
            .eq_ignore_ascii_case("nosniff")
    })
}

#[cfg(test)]
mod tests {
    use super::enforced;

    #[test]
    fn first_value_decides() {
        assert!(enforced(&["NOSNIFF"]));
        assert!(enforced(&["nosniff, nosniff"]));
        assert!(enforced(&["nosniff", "no"]));
        assert!(!enforced(&["no", "nosniff"]));
        assert!(!enforced(&[",nosniff"]));
        assert!(!enforced(&["\"nosniff\""]));
        assert!(!enforced(&[]));
    }
}
