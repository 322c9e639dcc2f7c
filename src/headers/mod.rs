//! Response-header semantics as browsers enforce them, kept apart from the checks so
//! they can be tested on header lines alone (unit tests here, and the data-driven
//! table in `fixtures/headers/cases.json` built from the specifications and
//! web-platform-tests). Each module cites the section it implements; the `http.*` and
//! `web.*` checks only judge the typed verdicts these functions return.
//!
//! Input is always the header lines as received (`(name, value)`, names lower-cased,
//! in order), because several rules depend on how many lines there were and which
//! came first (HSTS takes the first line only; X-Frame-Options and
//! X-Content-Type-Options split every line on commas).

#[cfg(test)]
mod cases;
pub mod cookies;
pub mod cors;
pub mod csp;
pub mod csp_grade;
pub mod hsts;
pub mod html;
pub mod nosniff;
pub mod referrer;
pub mod xfo;

/// Every line of header `name` (lower-case), in order.
pub fn lines<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Fetch's "get, decode, and split" (Fetch §2.2.2): every line joined with commas and
/// split on commas outside double quotes, each value trimmed of HTTP whitespace
/// (space and tab). Empty values are kept, as Fetch keeps them.
pub fn split_values(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut value = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    value.push(c);
                }
                ',' if !quoted => {
                    out.push(trim_http_ws(&value).to_owned());
                    value.clear();
                }
                _ => value.push(c),
            }
        }
        out.push(trim_http_ws(&value).to_owned());
    }
    out
}

/// HTTP whitespace is space and tab only (Fetch §2.2): a form feed or vertical tab is
/// part of the value.
pub fn trim_http_ws(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::split_values;

    #[test]
    fn splits_like_fetch() {
        assert_eq!(split_values(&["a, b", "c"]), ["a", "b", "c"]);
        assert_eq!(split_values(&["\"a,b\",c"]), ["\"a,b\"", "c"]);
        assert_eq!(split_values(&[",x"]), ["", "x"]);
        assert_eq!(split_values(&[""]), [""]);
    }
}
