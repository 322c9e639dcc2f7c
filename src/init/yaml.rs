//! Writing the draft: YAML a person reads, one section at a time, each value followed
//! by a comment saying where it came from.

/// One top-level section of the draft.
#[derive(Debug, Clone)]
pub struct Section {
    name: &'static str,
    /// Comment lines printed above the section key.
    notes: Vec<String>,
    lines: Vec<String>,
}

impl Section {
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            notes: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// A comment above the section.
    pub fn note(&mut self, text: &str) {
        self.notes.push(format!("# {text}"));
    }

    pub fn push(&mut self, line: String) {
        self.lines.push(line);
    }

    pub fn render(&self) -> String {
        if self.lines.is_empty() && self.notes.is_empty() {
            return String::new();
        }
        let mut out = String::from("\n");
        for n in &self.notes {
            out += n;
            out.push('\n');
        }
        if self.lines.is_empty() {
            return out;
        }
        out += self.name;
        out += ":\n";
        for l in &self.lines {
            out += l;
            out.push('\n');
        }
        out
    }
}

/// `text` at `indent` levels (two spaces each), with `  # comment` when there is one.
pub fn line(indent: usize, text: &str, comment: &str) -> String {
    let pad = "  ".repeat(indent);
    if comment.is_empty() {
        format!("{pad}{text}")
    } else {
        format!("{pad}{text}  # {}", one_line(comment))
    }
}

/// A comment line at `indent`.
pub fn comment(indent: usize, text: &str) -> String {
    format!("{}# {}", "  ".repeat(indent), one_line(text))
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A scalar, quoted unless it is plainly safe.
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/' | b':' | b'@')
        })
        && !s.starts_with(['-', ':', '@']);
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

/// `[a, b]` of scalars.
pub fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}
