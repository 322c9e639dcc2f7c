//! Just enough JWT decoding to tell a Supabase service-role key from the public
//! anon key: both are HS256 JWTs, only the `role` claim differs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Supabase keys are ~200 characters; anything much longer is not one of them and
/// decoding it would only cost time.
pub(crate) const MAX_LEN: usize = 4096;

pub(crate) fn is_service_role(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if header.is_empty() || sig.is_empty() {
        return false;
    }
    let payload = trim_padding(payload);
    let Ok(json) = URL_SAFE_NO_PAD.decode(payload) else {
        return false;
    };
    let Ok(claims) = serde_json::from_slice::<serde_json::Value>(&json) else {
        return false;
    };
    claims.get("role").and_then(serde_json::Value::as_str) == Some("service_role")
}

fn trim_padding(s: &[u8]) -> &[u8] {
    let end = s.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    s.get(..end).unwrap_or_default()
}
