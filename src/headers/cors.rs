//! What a browser lets a foreign page read, from one CORS answer (Fetch §4.9 "CORS
//! check"): `Access-Control-Allow-Origin` must be exactly `*` or byte-equal to the
//! request's serialized Origin (`null` included); a credentialed request also needs
//! `Access-Control-Allow-Credentials` to be exactly `true` and is refused when the
//! origin is `*`. Several values (two lines or a comma list) fail the check.
//!
//! Levels (SPEC §7 "Headers"): the requesting Origin reflected with credentials is a
//! `fail` (any site reads the user's data); reflected without credentials is no worse
//! than `*` (`warn`); `*` with credentials is refused by browsers (`warn`: a broken
//! configuration, not a leak); `*` alone on an API route is a `warn`.

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Cors {
    /// No CORS access for this origin.
    NotTrusted,
    /// A header browsers reject (several values, …): no access either.
    Invalid {
        reason: String,
    },
    Wildcard,
    WildcardWithCredentials,
    Reflected {
        credentials: bool,
    },
}

impl Cors {
    pub fn is_fail(&self) -> bool {
        matches!(self, Cors::Reflected { credentials: true })
    }
    pub fn is_warn(&self) -> bool {
        matches!(
            self,
            Cors::Wildcard | Cors::WildcardWithCredentials | Cors::Reflected { credentials: false }
        )
    }
}

/// Judge the answer to a request sent with `Origin: origin`.
pub fn judge(origin: &str, acao_lines: &[&str], acac_lines: &[&str]) -> Cors {
    let acao = match acao_lines {
        [] => return Cors::NotTrusted,
        [one] => one.trim_matches([' ', '\t']),
        _ => {
            return Cors::Invalid {
                reason: "several Access-Control-Allow-Origin headers".into(),
            };
        }
    };
    // Fetch compares header *values*: `true` exactly, one line.
    let credentials = matches!(acac_lines, [one] if one.trim_matches([' ', '\t']) == "true");
    if acao == "*" {
        return if credentials {
            Cors::WildcardWithCredentials
        } else {
            Cors::Wildcard
        };
    }
    if acao == origin {
        return Cors::Reflected { credentials };
    }
    if acao.contains(',') {
        return Cors::Invalid {
            reason: format!("`{acao}` is a list; browsers accept exactly one origin"),
        };
    }
    Cors::NotTrusted
}

#[cfg(test)]
mod tests {
    use super::{Cors, judge};

    #[test]
    fn judges_like_the_fetch_cors_check() {
        let o = "https://evil.example";
        assert_eq!(judge(o, &[], &[]), Cors::NotTrusted);
        assert_eq!(
            judge(o, &[o], &["true"]),
            Cors::Reflected { credentials: true }
        );
        assert_eq!(
            judge(o, &[o], &["TRUE"]),
            Cors::Reflected { credentials: false }
        );
        assert_eq!(
            judge("null", &["null"], &["true"]),
            Cors::Reflected { credentials: true }
        );
        assert_eq!(judge(o, &["*"], &["true"]), Cors::WildcardWithCredentials);
        assert_eq!(judge(o, &["*"], &[]), Cors::Wildcard);
        assert_eq!(
            judge(o, &["https://www.acme.app"], &["true"]),
            Cors::NotTrusted
        );
        assert!(matches!(judge(o, &[o, o], &["true"]), Cors::Invalid { .. }));
        assert!(judge(o, &[o], &["true"]).is_fail());
    }
}
