//! Headless Chromium for the tests (Debian's `chromium`, driven over the DevTools
//! protocol), and a minimal static file server on 127.0.0.1 to load the built site
//! over http.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::{Browser, LaunchOptions, Tab};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium; the tests need Debian's chromium (scripts/test installs it).
pub fn browser() -> Browser {
    assert!(
        Path::new(CHROMIUM).exists(),
        "browser tests need {CHROMIUM}: apt-get install chromium chromium-driver (scripts/test does)"
    );
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .sandbox(false)
        .headless(true)
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(
            [
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--allow-file-access-from-files",
            ]
            .iter()
            .map(OsStr::new)
            .collect(),
        )
        .build()
        .unwrap();
    Browser::new(options).expect("chromium starts")
}

/// Evaluates `expression` in the page and returns its value as JSON.
pub fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, true)
        .unwrap_or_else(|e| panic!("{expression}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// Waits (up to 10 s) until `expression` is truthy in the page. While the page
/// navigates there is no document to evaluate in ("Inspected target navigated or
/// closed"): that counts as not yet, and the last such error is reported on time-out.
pub fn wait_until(tab: &Tab, expression: &str) {
    let start = Instant::now();
    let check = format!("!!({expression})");
    loop {
        let last_error = match tab.evaluate(&check, true) {
            Ok(r) if r.value == Some(serde_json::Value::Bool(true)) => return,
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        };
        if start.elapsed() >= Duration::from_secs(10) {
            let page = tab
                .evaluate(
                    "document.body ? document.body.innerText.slice(0, 2000) : ''",
                    true,
                )
                .ok()
                .and_then(|r| r.value);
            panic!(
                "timed out waiting for {expression} (last error: {last_error:?}); page: {page:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves a screenshot of the page as a test artefact, under target/test-artifacts/.
pub fn screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Serves `dir` over http on 127.0.0.1 (a free port) until the test ends; returns the
/// base URL, ending in `/`.
pub fn serve_dir(dir: &Path) -> String {
    serve_dir_logged(dir).0
}

/// The paths requested from a [`serve_dir_logged`] server, in order.
pub type RequestLog = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// As [`serve_dir`], also recording every path requested.
pub fn serve_dir_logged(dir: &Path) -> (String, RequestLog) {
    let log = RequestLog::default();
    let requests = log.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let dir = dir.clone();
            let requests = requests.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Skip the headers.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let path = path
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let path = if path.is_empty() { "index.html" } else { path };
                requests.lock().unwrap().push(path.to_owned());
                let file = dir.join(path);
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) if !path.contains("..") => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("svg") => "image/svg+xml",
                    Some("wasm") => "application/wasm",
                    Some("json") => "application/json",
                    _ => "application/octet-stream",
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    (format!("http://127.0.0.1:{port}/"), log)
}

/// Emulates a light or dark colour scheme preference.
pub fn set_dark(tab: &Tab, dark: bool) {
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".to_owned(),
            value: if dark { "dark" } else { "light" }.to_owned(),
        }]),
    })
    .unwrap();
}

/// Emulates a screen `width` px wide and 900 px high; below 600 px, a phone (the page's
/// viewport meta applies).
pub fn set_width(tab: &Tab, width: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height: 900,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}
