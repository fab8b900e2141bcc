//! Screenshots of built sites in headless Chromium: the home page, the insights and,
//! where the site has it, the example's orders-lock post-mortem; light and dark at
//! 1280 px wide, and light at 390 px (a phone), each the first 1500 px of the page.
//!
//!     scripts/screenshots.sh            # builds the sites, then runs this
//!     cargo run --release --example screenshots -- OUT_DIR NAME=SITE_DIR...
//!
//! Writes OUT_DIR/{home,insights,post-mortem}-NAME-{light,dark,390}.png.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use headless_chrome::protocol::cdp::{Emulation, Page};
use headless_chrome::{Browser, LaunchOptions};

const CHROMIUM: &str = "/usr/bin/chromium";
const HEIGHT: u32 = 1500;

fn browser(width: u32) -> Browser {
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .sandbox(false)
        .headless(true)
        .window_size(Some((width, HEIGHT)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(
            ["--disable-gpu", "--no-first-run", "--hide-scrollbars"]
                .iter()
                .map(OsStr::new)
                .collect(),
        )
        .build()
        .expect("launch options");
    Browser::new(options).expect("chromium starts (apt-get install chromium)")
}

fn shoot(browser: &Browser, width: u32, page: &Path, dark: bool, out: &Path) {
    let tab = browser.new_tab().expect("a tab");
    // The window cannot be narrower than about 500 px: the screen is emulated, a phone
    // below 600 px (the page's viewport meta applies).
    let screen: Emulation::SetDeviceMetricsOverride = serde_json::from_value(serde_json::json!({
        "width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600,
    }))
    .expect("screen metrics");
    tab.call_method(screen).expect("emulated screen");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".to_owned(),
            value: if dark { "dark" } else { "light" }.to_owned(),
        }]),
    })
    .expect("emulated colour scheme");
    let url = format!(
        "file://{}",
        page.canonicalize().expect("the page").display()
    );
    tab.navigate_to(&url)
        .and_then(|t| t.wait_until_navigated())
        .expect("the page loads");
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("a screenshot");
    std::fs::write(out, png).expect("the screenshot is written");
    eprintln!("wrote {}", out.display());
    let _ = tab.close(true);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .expect("usage: screenshots OUT_DIR NAME=SITE_DIR..."),
    );
    std::fs::create_dir_all(&out).expect("the output folder");
    let sites: Vec<(String, PathBuf)> = args
        .map(|a| {
            let (name, dir) = a.split_once('=').expect("NAME=SITE_DIR");
            (name.to_owned(), PathBuf::from(dir))
        })
        .collect();
    let wide = browser(1280);
    let narrow = browser(390);
    let pages = [
        ("home", "index.html"),
        ("insights", "insights/index.html"),
        (
            "post-mortem",
            "incidents/2024-03-12-orders-migration-lock.html",
        ),
    ];
    for (name, site) in &sites {
        for (kind, rel) in pages {
            let page = site.join(rel);
            if !page.exists() {
                continue;
            }
            let file = |variant: &str| out.join(format!("{kind}-{name}-{variant}.png"));
            shoot(&wide, 1280, &page, false, &file("light"));
            shoot(&wide, 1280, &page, true, &file("dark"));
            shoot(&narrow, 390, &page, false, &file("390"));
        }
    }
}
