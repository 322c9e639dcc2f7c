//! Connection strings with an inline password (`postgres://user:pass@host/db`).

/// Longest URL we look at; connection strings are far shorter, and the cap keeps
/// a pathological run of URL characters from costing more than constant work.
const MAX_URL: usize = 512;

/// Bytes that end a URL embedded in code or config: whitespace, quotes and the
/// delimiters of template literals, markup and escapes.
fn url_char(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\')
}

/// Values that documentation and `.env.example` files put where a password goes.
/// Reporting them would flag every README that shows a connection string.
fn is_placeholder(pass: &[u8]) -> bool {
    let lower = pass.to_ascii_lowercase();
    let words: [&[u8]; 8] = [
        b"password",
        b"pass",
        b"passwd",
        b"pwd",
        b"secret",
        b"your_password",
        b"yourpassword",
        b"your-password",
    ];
    words.contains(&lower.as_slice())
        || matches!(pass.first(), Some(b'$' | b'{' | b'<' | b'[' | b'%'))
        || pass.iter().all(|&b| b == b'*' || b == b'x' || b == b'X')
}

/// `at` is just past `scheme://`. Returns the end of the URL when its authority has
/// a userinfo with a non-empty, non-placeholder password and a host after the `@`.
pub(crate) fn authority_with_password(text: &[u8], at: usize) -> Option<usize> {
    // The authority is checked first and on its own: rejecting a candidate then
    // costs only its authority, not a scan to the end of whatever follows.
    let authority_end = super::patterns::run(text, at, authority_char, MAX_URL);
    let authority = text.get(at..authority_end)?;
    let at_sign = authority.iter().rposition(|&b| b == b'@')?;
    let userinfo = authority.get(..at_sign)?;
    let host = authority.get(at_sign + 1..)?;
    let colon = userinfo.iter().position(|&b| b == b':')?;
    let pass = userinfo.get(colon + 1..)?;
    if pass.is_empty() || is_placeholder(pass) || host.is_empty() {
        return None;
    }
    // A path or query longer than the cap is still the same credential: the match
    // just ends at the cap.
    Some(super::patterns::run(text, authority_end, url_char, MAX_URL))
}

fn authority_char(b: u8) -> bool {
    url_char(b) && !matches!(b, b'/' | b'?' | b'#')
}

/// True when `value` is a URL whose userinfo carries a password, whatever the
/// scheme: used to tell "a plain URL" (not secret) from one with credentials.
pub(crate) fn any_url_has_password(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(sep) = value.find("://") else {
        return false;
    };
    authority_with_password(bytes, sep + 3).is_some_and(|end| end == bytes.len())
}
