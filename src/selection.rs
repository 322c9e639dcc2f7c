//! `--only` / `--skip`: which checks an audit runs. A glob that matches no check id,
//! or a selection left empty, is a usage error naming the closest ids (SPEC §1): a
//! mistyped filter must never turn a gate green.

use globset::{Glob, GlobMatcher};

use crate::checks::DynCheck;

pub struct Selection {
    only: Vec<(String, GlobMatcher)>,
    skip: Vec<(String, GlobMatcher)>,
}

impl Selection {
    pub fn new(only: &[String], skip: &[String]) -> Result<Self, String> {
        let build = |globs: &[String]| -> Result<Vec<(String, GlobMatcher)>, String> {
            globs
                .iter()
                .map(|g| {
                    Glob::new(g)
                        .map(|glob| (g.clone(), glob.compile_matcher()))
                        .map_err(|e| format!("bad check glob `{g}`: {e}"))
                })
                .collect()
        };
        Ok(Self {
            only: build(only)?,
            skip: build(skip)?,
        })
    }

    pub fn selects(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|(_, m)| m.is_match(id)))
            && !self.skip.iter().any(|(_, m)| m.is_match(id))
    }

    /// Every glob must match a check id of `checks`, and something must be left to run.
    pub fn require_matches(self, checks: &[&dyn DynCheck]) -> Result<Self, String> {
        let ids: Vec<&str> = checks.iter().map(|c| c.meta().id).collect();
        for (flag, globs) in [("--only", &self.only), ("--skip", &self.skip)] {
            for (text, matcher) in globs {
                if !ids.iter().any(|id| matcher.is_match(id)) {
                    return Err(format!(
                        "{flag} `{text}` matches no check id{}",
                        suggestion(text, &ids)
                    ));
                }
            }
        }
        if !ids.iter().any(|id| self.selects(id)) {
            return Err(
                "--only/--skip leave no check to run (`launch-ready checks` lists them all)"
                    .to_owned(),
            );
        }
        Ok(self)
    }
}

/// ", did you mean `a`, `b`?" with the ids closest to a mistyped glob or id.
pub fn suggestion(text: &str, ids: &[&str]) -> String {
    let closest = closest_ids(text, ids);
    if closest.is_empty() {
        " (`launch-ready checks` lists them all)".to_owned()
    } else {
        let quoted: Vec<String> = closest.iter().map(|id| format!("`{id}`")).collect();
        format!(
            "; did you mean {}? (`launch-ready checks` lists them all)",
            quoted.join(", ")
        )
    }
}

/// Up to three ids closest to `text`: by area and name separately, so `dmarc` finds
/// `email.dmarc` and `emial.*` finds the `email.` ids.
pub fn closest_ids<'a>(text: &str, ids: &[&'a str]) -> Vec<&'a str> {
    let wanted = text.to_ascii_lowercase();
    let wanted_plain: String = wanted.trim_end_matches(['*', '?', '.']).to_owned();
    let (w_area, w_name) = wanted_plain
        .split_once('.')
        .map(|(a, n)| (a.to_owned(), Some(n.to_owned())))
        .unwrap_or((wanted_plain.clone(), None));
    let mut scored: Vec<(f64, &str)> = ids
        .iter()
        .map(|id| {
            let (area, name) = id.split_once('.').unwrap_or((id, ""));
            let whole = strsim::jaro_winkler(&wanted_plain, id);
            let score = match &w_name {
                // `area.name`: both halves count.
                Some(n) if !n.is_empty() => {
                    (strsim::jaro_winkler(&w_area, area) + strsim::jaro_winkler(n, name)) / 2.0
                }
                // `area.*` or a bare word: the word may be the area or the name.
                _ => strsim::jaro_winkler(&w_area, area).max(strsim::jaro_winkler(&w_area, name)),
            };
            (score.max(whole), *id)
        })
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &[
        "email.dmarc",
        "email.spf",
        "email.dkim",
        "dns.caa",
        "tls.expiry",
    ];

    #[test]
    fn a_bare_name_finds_its_area() {
        assert_eq!(closest_ids("dmarc", IDS)[0], "email.dmarc");
    }

    #[test]
    fn a_mistyped_area_glob_finds_the_area() {
        let found = closest_ids("emial.*", IDS);
        assert!(found.iter().all(|id| id.starts_with("email.")), "{found:?}");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn nothing_close_suggests_the_catalogue() {
        assert!(closest_ids("zzzzzz", IDS).is_empty());
        assert!(suggestion("zzzzzz", IDS).contains("launch-ready checks"));
    }
}
