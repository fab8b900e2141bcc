//! Prints the stylesheet of the default theme's code highlighting
//! (themes/default/static/highlight.css): syntect's InspiredGitHub colours for light,
//! base16-ocean.dark for dark, on the classes `parse::highlight` writes.
//!
//! `cargo run --example highlight_css > themes/default/static/highlight.css`

use syntect::highlighting::ThemeSet;
use syntect::html::css_for_theme_with_class_style;

fn main() {
    let themes = ThemeSet::load_defaults();
    let style = incidentbook::parse::highlight::CLASS_STYLE;
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style)
        .expect("the theme converts to CSS");
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style)
        .expect("the theme converts to CSS");
    println!(
        "/* Made by `cargo run --example highlight_css`: code highlighting, light then dark. */"
    );
    // The page's own code-block background stays: only the tokens are coloured.
    let tokens = |css: &str| {
        css.split("\n}")
            .filter(|rule| !rule.contains(".hl-code {") && !rule.trim().is_empty())
            .map(|rule| format!("{}\n}}", rule.trim_start_matches('\n')))
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Both themes grey comments below WCAG AA contrast on the page's code background:
    // they are darkened (lightened in dark mode) to 4.5:1 or more.
    println!("{}\n.hl-comment {{ color: #57606a; }}", tokens(&light));
    println!(
        "@media (prefers-color-scheme: dark) {{\n{}\n.hl-comment {{ color: #9aa5b1; }}\n}}",
        tokens(&dark)
    );
}
