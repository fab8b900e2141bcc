//! Which files next to the post-mortems may be published under `media/`, and whether
//! an SVG is inert.
//!
//! A published file is served from the site's own origin, so a file a browser would
//! run (HTML, XHTML, XML, script, an SVG with script) could act as the company's site.
//! Passive types (images, PDF, plain text, data, audio, video, archives) are published;
//! active types never are; SVG is published only when [`check_svg`] finds nothing that
//! runs, loads another file or expands entities; any other type only when a post-mortem
//! links to it.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::NsReader;

/// What a browser may do with a file, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Shown or downloaded, never run: published.
    Passive,
    /// Run by a browser opened on it: never published.
    Active,
    /// Inert or active depending on its contents: see [`check_svg`].
    Svg,
    /// Not known: published only when linked.
    Other,
}

const PASSIVE: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic", "pdf", "txt",
    "log", "csv", "tsv", "json", "yaml", "yml", "toml", "mp4", "webm", "ogg", "ogv", "mov", "mp3",
    "wav", "m4a", "flac", "zip", "gz", "tgz", "tar", "zst", "xz", "bz2", "7z", "har", "pcap",
    "woff", "woff2", "ttf", "otf",
];

const ACTIVE: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "xht",
    "shtml",
    "mht",
    "mhtml",
    "hta",
    "xml",
    "xsl",
    "xslt",
    "rss",
    "atom",
    "js",
    "mjs",
    "cjs",
    "wasm",
    "swf",
    "svgz",
    "css",
    "appcache",
    "webmanifest",
    "vtt",
];

/// The kind of a file, by its extension (case-insensitive).
pub fn kind(path: &Path) -> Kind {
    let Some(ext) = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
    else {
        return Kind::Other;
    };
    if ext == "svg" {
        Kind::Svg
    } else if PASSIVE.contains(&ext.as_str()) {
        Kind::Passive
    } else if ACTIVE.contains(&ext.as_str()) {
        Kind::Active
    } else {
        Kind::Other
    }
}

/// Why an SVG may not be published: what was found, and the byte offset it starts at.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub offset: usize,
    pub reason: String,
}

/// Elements that run script, embed other documents or change how the document is
/// read, in any namespace.
const DENIED_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "frameset",
    "embed",
    "object",
    "applet",
    "base",
    "link",
    "meta",
    "handler",
    "listener",
    "portal",
];

const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";

/// Checks that an SVG document is inert: no script or event handler, no foreign object
/// or HTML element, no reference to another file (only `#fragments`, inline images,
/// and web links in `<a>`), no entity declarations, no style sheet that loads anything.
pub fn check_svg(bytes: &[u8]) -> Result<(), Refused> {
    let mut reader = NsReader::from_reader(bytes);
    let mut in_style = false;
    loop {
        let offset = reader.buffer_position() as usize;
        let refuse = |reason: String| Err(Refused { offset, reason });
        let event = match reader.read_resolved_event() {
            Ok(event) => event,
            Err(e) => return refuse(format!("it is not well-formed XML ({e})")),
        };
        match event {
            (ns, Event::Start(e)) | (ns, Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if let quick_xml::name::ResolveResult::Bound(ns) = ns
                    && ns.as_ref() == XHTML
                {
                    return refuse(format!("it holds an HTML element `<{name}>`"));
                }
                if DENIED_ELEMENTS.contains(&name.as_str()) {
                    return refuse(format!("it holds a `<{name}>` element"));
                }
                if let Some(reason) = denied_attribute(&e, &name) {
                    return refuse(reason);
                }
                in_style = name == "style";
            }
            (_, Event::End(_)) => in_style = false,
            (_, Event::Text(t)) if in_style => {
                if let Some(reason) = denied_css(&String::from_utf8_lossy(&t)) {
                    return refuse(reason);
                }
            }
            (_, Event::CData(t)) if in_style => {
                if let Some(reason) = denied_css(&String::from_utf8_lossy(&t)) {
                    return refuse(reason);
                }
            }
            (_, Event::DocType(d)) if String::from_utf8_lossy(&d).contains("<!ENTITY") => {
                return refuse("it declares XML entities".to_owned());
            }
            (_, Event::PI(p)) if !String::from_utf8_lossy(&p).trim_start().starts_with("xml ") => {
                return refuse("it holds a processing instruction (a style sheet)".to_owned());
            }
            (_, Event::Eof) => return Ok(()),
            _ => {}
        }
    }
}

fn denied_attribute(e: &BytesStart, element: &str) -> Option<String> {
    for attribute in e.attributes().with_checks(false) {
        let Ok(attribute) = attribute else {
            return Some("an attribute is not well-formed".to_owned());
        };
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
        let value = String::from_utf8_lossy(&attribute.value).into_owned();
        if key.starts_with("on") {
            return Some(format!("`<{element}>` has an event handler `{key}`"));
        }
        if (key == "attributename" || key == "attributetype")
            && (value.to_ascii_lowercase().contains("href")
                || value.to_ascii_lowercase().starts_with("on"))
        {
            return Some(format!("`<{element}>` animates `{value}`"));
        }
        if key == "href" || key == "src" {
            let v = value.trim();
            let lower = v.to_ascii_lowercase();
            let inline_image = ["png", "jpeg", "gif", "webp"]
                .iter()
                .any(|t| lower.starts_with(&format!("data:image/{t};")));
            let read = crate::text::url_as_read(v);
            let web_link = element == "a"
                && crate::text::url_scheme(&read)
                    .is_some_and(|s| crate::text::SAFE_SCHEMES.contains(&s.as_str()));
            if !(v.starts_with('#') || inline_image || web_link) {
                return Some(format!(
                    "`<{element}>` refers to another file or URL (`{}`)",
                    v.chars().take(60).collect::<String>().escape_debug()
                ));
            }
        }
        if key == "style"
            && let Some(reason) = denied_css(&value)
        {
            return Some(reason);
        }
    }
    None
}

/// Style sheets may not load anything (`url(…)` outside the document, `@import`) nor
/// run anything (`expression(`, `javascript:`).
fn denied_css(css: &str) -> Option<String> {
    let lower: String = css
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if lower.contains("@import") || lower.contains("expression(") || lower.contains("javascript:") {
        return Some("its style sheet imports or runs something".to_owned());
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        if !rest.trim_start_matches(['"', '\'']).starts_with('#') {
            return Some("its style sheet loads another file (`url(…)`)".to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind(Path::new("a/b.PNG")), Kind::Passive);
        assert_eq!(kind(Path::new("x.html")), Kind::Active);
        assert_eq!(kind(Path::new("x.XHTML")), Kind::Active);
        assert_eq!(kind(Path::new("x.svg")), Kind::Svg);
        assert_eq!(kind(Path::new("x.sql")), Kind::Other);
        assert_eq!(kind(Path::new("Makefile")), Kind::Other);
    }

    #[test]
    fn an_inert_svg_passes() {
        let svg = br##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <defs><linearGradient id="g"><stop offset="0" style="stop-color:#fff"/></linearGradient></defs>
  <style>.a { fill: url(#g); }</style>
  <rect class="a" width="10" height="10" fill="url('#g')"/>
  <use xlink:href="#g"/><a href="https://example.com/x"><text>hi</text></a>
</svg>"##;
        assert_eq!(check_svg(svg), Ok(()));
    }

    #[test]
    fn active_svgs_are_refused() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect OnClick="alert(1)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml"><h:img src="x"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#9;script:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#x"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://x/y)"/></svg>"#,
            r#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#,
            r#"<?xml-stylesheet href="x.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect"#,
        ] {
            assert!(
                check_svg(svg.as_bytes()).is_err(),
                "{svg} should be refused"
            );
        }
    }
}
