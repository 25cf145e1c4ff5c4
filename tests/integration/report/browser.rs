//! A real browser renders the report: headless Chromium (Debian's
//! package; `scripts/test` installs it and names it in LEADLAKE_CHROMIUM)
//! takes a screenshot with console logging on. The page must log nothing
//! (a script, a blocked request or a policy violation would) and the
//! screenshot must show something. Two controls show that each check can
//! fail: a planted script is logged, a blank page is blank.

use super::png;
use super::{fixture, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: usize = 1280;
const HEIGHT: usize = 2000;

/// Chromium: LEADLAKE_CHROMIUM, else `chromium` on the PATH.
fn chromium() -> String {
    std::env::var("LEADLAKE_CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// A screenshot of `page` and what the browser logged.
fn render(page: &Path) -> (png::Image, String) {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    let log = dir.path().join("stderr.log");
    let binary = chromium();
    let mut child = Command::new(&binary)
        .args([
            "--headless",
            // root in a container has no user namespace for the sandbox;
            // the page is our own local file
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        // its caches and settings in the temporary folder, not the home
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary} ({e}): run scripts/test, which installs Chromium and sets LEADLAKE_CHROMIUM")
        });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{binary} took over 2 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "{binary} failed: {logged}");
    let image = png::decode(
        &std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}): {logged}")),
    );
    (image, logged)
}

/// The lines of the page's console (Chromium logs them as `CONSOLE`).
fn console(logged: &str) -> Vec<&str> {
    logged.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

fn copy_with(dir: &Path, name: &str, html: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, html).unwrap();
    path
}

#[test]
fn a_browser_renders_the_report_without_console_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page = copy_with(dir.path(), "report.html", &fixture().report());
    let (image, logged) = render(&page);
    assert_eq!(
        console(&logged),
        Vec::<&str>::new(),
        "the console: {logged}"
    );
    assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
    let (colours, drawn) = image.variety();
    println!("screenshot: {colours} colours, {:.1}% drawn", 100.0 * drawn);
    // text, bars in seven stage colours, anti-aliasing: many colours,
    // and well over a tenth of the screen is not background
    assert!(colours > 50, "{colours} colours");
    assert!(drawn > 0.10, "{:.1}% drawn", 100.0 * drawn);
}

#[test]
fn a_planted_script_shows_in_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let html = fixture()
        .report()
        .replace("</main>", "<script>alert(1)</script></main>");
    let (_, logged) = render(&copy_with(dir.path(), "planted.html", &html));
    let lines = console(&logged);
    assert!(
        lines.iter().any(|l| l.contains("Content Security Policy")),
        "the policy refuses it and says so: {}",
        text(logged.as_bytes())
    );
}

#[test]
fn a_blank_page_counts_as_blank() {
    let dir = tempfile::tempdir().unwrap();
    let page = copy_with(
        dir.path(),
        "blank.html",
        "<!DOCTYPE html><title>blank</title>",
    );
    let (image, logged) = render(&page);
    assert!(console(&logged).is_empty(), "{logged}");
    let (colours, drawn) = image.variety();
    assert!(
        colours <= 2 && drawn < 0.001,
        "{colours} colours, {drawn} drawn"
    );
}
