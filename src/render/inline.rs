//! The little Markdown that remediations and summaries use — `code spans` and
//! `[links](https://…)` — as HTML. Everything else is escaped: results carry text from
//! audited servers, so nothing in them may become markup.

use super::escape_xml as h;

/// Render inline Markdown (code spans, links with an http(s) target) as safe HTML.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        let next = rest.find(['`', '[']).unwrap_or(rest.len());
        out.push_str(&h(&rest[..next]));
        rest = &rest[next..];
        if rest.starts_with('`') {
            // A run of N backticks closes at the next run of exactly N.
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..ticks];
            match rest[ticks..].find(fence) {
                Some(end) => {
                    let code = rest[ticks..ticks + end].trim();
                    out.push_str(&format!("<code>{}</code>", h(code)));
                    rest = &rest[ticks + end + ticks..];
                }
                None => {
                    out.push_str(&h(fence));
                    rest = &rest[ticks..];
                }
            }
        } else if rest.starts_with('[') {
            match link(rest) {
                Some((label, url, used)) => {
                    out.push_str(&format!("<a href=\"{}\">{}</a>", h(url), h(label)));
                    rest = &rest[used..];
                }
                None => {
                    out.push('[');
                    rest = &rest[1..];
                }
            }
        }
    }
    out
}

/// `[label](https://…)` at the start of `text`: (label, url, bytes used). Only http(s)
/// targets: a `javascript:` link from a hostile result stays text.
fn link(text: &str) -> Option<(&str, &str, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    if label.contains(['[', ']', '\n']) {
        return None;
    }
    let url_start = close + 2;
    let url_len = text[url_start..].find(')')?;
    let url = &text[url_start..url_start + url_len];
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || c == '"' || c == '<');
    safe.then_some((label, url, url_start + url_len + 1))
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn code_spans_and_links_become_markup() {
        assert_eq!(
            to_html(
                "Add `0 issue \"letsencrypt.org\"`, see [RFC 8659](https://www.rfc-editor.org/rfc/rfc8659)."
            ),
            "Add <code>0 issue &quot;letsencrypt.org&quot;</code>, see <a href=\"https://www.rfc-editor.org/rfc/rfc8659\">RFC 8659</a>."
        );
        assert_eq!(to_html("``a ` b``"), "<code>a ` b</code>");
    }

    #[test]
    fn everything_else_is_escaped() {
        assert_eq!(
            to_html("<script>alert(1)</script> & [x](javascript:alert(1)) `<b>`"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [x](javascript:alert(1)) <code>&lt;b&gt;</code>"
        );
        assert_eq!(to_html("an `unclosed span"), "an `unclosed span");
        assert_eq!(
            to_html("[a](https://x.test/\" onmouseover=\"alert(1))"),
            "[a](https://x.test/&quot; onmouseover=&quot;alert(1))"
        );
    }
}
