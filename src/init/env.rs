//! The `env` section: `required` = the variables the server code reads (platform
//! variables aside), each with where it is read; `url_vars` = the app-URL variables.

use super::Ctx;
use super::yaml::{Section, flow_list, line};

/// Dotenv files the audit may read, when the repository has them.
const PRODUCTION_FILES: [&str; 2] = [".env.production", ".env.production.local"];

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("env");
    let files: Vec<&str> = PRODUCTION_FILES
        .iter()
        .copied()
        .filter(|f| cx.root.join(f).is_file())
        .collect();
    if files.is_empty() {
        s.push(line(
            1,
            "files: []",
            "no production dotenv file: CI or --env-file provides the variables",
        ));
    } else {
        s.push(line(
            1,
            &format!("files: {}", flow_list(&files)),
            "present in the repository",
        ));
    }
    let examples = cx.repo.env_names();
    if cx.code.env_reads.is_empty() {
        s.push(line(
            1,
            "required: []",
            "TODO: no process.env read found in server code",
        ));
    } else {
        s.push(line(
            1,
            "required:",
            "every variable the server code reads: drop the optional ones",
        ));
        for (name, seen) in &cx.code.env_reads {
            let mut why = format!("read in {}", seen.first);
            if seen.count > 1 {
                why += &format!(" and {} more file(s)", seen.count - 1);
            }
            if examples.contains(name) {
                why += "; in an env example";
            }
            s.push(line(2, &format!("- {name}"), &why));
        }
    }
    let names = cx.env_names();
    let url_vars: Vec<&String> = names
        .iter()
        .filter(|n| super::web::app_url_var(n, &cx.project))
        .collect();
    if !url_vars.is_empty() {
        s.push(line(
            1,
            &format!("url_vars: {}", flow_list(&url_vars)),
            "app URL variables: must be https on the canonical host",
        ));
    }
    s
}
