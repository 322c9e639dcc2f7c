//! The HTML handover document in a real headless browser (Debian's chromium): it loads
//! without a console message, and its first screen (1280×900) shows the verdict and the
//! start of the "fix first" list. The screenshot is kept as a CI artefact under
//! `target/browser/`. Needs chromium, so it is ignored by a plain `cargo test`:
//! `.ci/run` installs chromium when missing and runs it with `--ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The viewport of "the first screen": a laptop browser window.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("LAUNCH_READY_CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
        .expect("chromium not found: install it (apt-get install chromium) or set LAUNCH_READY_CHROMIUM")
}

fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run headless chromium on `page`; returns (stdout, console lines from stderr).
fn headless(page: &Path, extra: &[String]) -> (String, Vec<String>) {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// A page that loads the report in a first-screen-sized frame and writes where the
/// verdict and the first "fix first" item are into its own DOM.
const PROBE: &str = r#"<!doctype html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:1280px;height:900px;border:0"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, out = {};
  function box(sel) {
    var e = d.querySelector(sel);
    if (!e) return null;
    var r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, text: e.textContent };
  }
  out.verdict = box('#verdict');
  out.fix = box('#fix-first li');
  out.chart = box('svg.chart');
  var p = document.createElement('pre');
  p.id = 'probe';
  p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
});
</script></body></html>"#;

#[test]
#[ignore = "needs chromium: run by .ci/run (cargo test --test integration browser -- --ignored)"]
fn html_report_first_screen_shows_verdict_and_fix_first_without_console_errors() {
    let dir = artefacts();
    let out = crate::support::launch_ready()
        .args(["demo", "--no-progress", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = dir.join("report.html");
    std::fs::write(&report, &out.stdout).unwrap();

    // The detector works: a page that logs and throws is caught.
    let bad = dir.join("console-check.html");
    std::fs::write(
        &bad,
        "<!doctype html><script>console.error('x'); nope();</script>",
    )
    .unwrap();
    let (_, console) = headless(&bad, &["--dump-dom".into()]);
    assert_eq!(console.len(), 2, "{console:?}");

    // The report itself loads silently, and its DOM leads with the verdict.
    let (dom, console) = headless(&report, &["--dump-dom".into()]);
    assert!(console.is_empty(), "console messages: {console:?}");
    let verdict = dom.find("id=\"verdict\"").expect("verdict in the DOM");
    let fix = dom.find("id=\"fix-first\"").expect("fix first in the DOM");
    let areas = dom.find("class=\"area\"").expect("areas in the DOM");
    assert!(verdict < fix && fix < areas);

    // Geometry: both sit on the first screen.
    let probe = dir.join("probe.html");
    std::fs::write(&probe, PROBE).unwrap();
    let (dom, console) = headless(&probe, &["--dump-dom".into()]);
    assert!(console.is_empty(), "console messages: {console:?}");
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe did not run: {dom}"));
    let boxes: serde_json::Value = serde_json::from_str(&json.replace("&amp;", "&")).unwrap();
    let bottom = |k: &str| boxes[k]["bottom"].as_f64().unwrap_or(f64::MAX);
    assert_eq!(boxes["verdict"]["text"], "Verdict: FAIL");
    assert!(bottom("verdict") < f64::from(HEIGHT), "{boxes}");
    assert!(bottom("chart") < f64::from(HEIGHT), "{boxes}");
    assert!(
        boxes["fix"]["text"].as_str().unwrap().contains("FAIL"),
        "{boxes}"
    );
    assert!(
        bottom("fix") < f64::from(HEIGHT),
        "first fix on screen: {boxes}"
    );

    // The screenshot, kept for people to look at.
    let shot = dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    headless(&report, &[format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}
