use std::path::Path;
use std::process::ExitCode;

use super::{Ui, plural};
use crate::error::{Error, Result};

/// `incidentbook man [--out-dir DIR]`: the manual page of `cli` (the command line as
/// `main` defines it, so the page says what `--help` says) on standard output, or a page
/// for it and one for each command written into `DIR`.
pub fn run(cli: clap::Command, out_dir: Option<&Path>, ui: Ui) -> Result<ExitCode> {
    let mut cli = cli.disable_help_subcommand(true);
    // Names the commands' pages as their parent's: incidentbook-build.
    cli.build();
    let Some(dir) = out_dir else {
        super::print_bytes(&page(&cli))?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    let commands: Vec<&clap::Command> = std::iter::once(&cli)
        .chain(cli.get_subcommands().filter(|c| !c.is_hide_set()))
        .collect();
    for command in &commands {
        let name = command.get_display_name().unwrap_or(command.get_name());
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page(command)).map_err(|e| Error::io("cannot write", &path, e))?;
    }
    ui.info(format!(
        "wrote {} into {}",
        plural(commands.len(), "manual page"),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// One command's page: clap_mangen's sections, with the long help's closing text
/// (`Examples:`, `Exit status:` ...) as sections of their own, its examples kept one a
/// line rather than run together into a paragraph.
fn page(command: &clap::Command) -> Vec<u8> {
    let man = clap_mangen::Man::new(command.clone());
    // Every rendering starts with the same preamble (how to print an apostrophe); the
    // page needs it once.
    let preamble = roff::Roff::new().render();
    let mut out = Vec::new();
    let mut section = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut bytes = Vec::new();
        render(&mut bytes).expect("writing to memory cannot fail");
        let body = if out.is_empty() {
            &bytes[..]
        } else {
            bytes.strip_prefix(preamble.as_bytes()).unwrap_or(&bytes)
        };
        out.extend_from_slice(body);
    };
    section(&|w| man.render_title(w));
    section(&|w| man.render_name_section(w));
    section(&|w| man.render_synopsis_section(w));
    section(&|w| man.render_description_section(w));
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        section(&|w| man.render_options_section(w));
    }
    if command.has_subcommands() {
        section(&|w| man.render_subcommands_section(w));
    }
    if let Some(text) = command.get_after_long_help() {
        let extra = closing_sections(&text.to_string()).to_roff();
        section(&|w| {
            w.extend_from_slice(extra.as_bytes());
            Ok(())
        });
    }
    if command.get_version().is_some() {
        section(&|w| man.render_version_section(w));
    }
    out
}

/// The closing text of a long help as roff: each paragraph whose first line ends in a
/// colon is a section of that name; indented lines (examples, tables) stay one a line.
fn closing_sections(text: &str) -> roff::Roff {
    let mut doc = roff::Roff::new();
    for paragraph in text.split("\n\n") {
        let mut lines: Vec<&str> = paragraph.lines().collect();
        match lines.first().and_then(|l| l.strip_suffix(':')) {
            Some(heading) if !heading.starts_with(' ') => {
                doc.control("SH", [heading.to_uppercase().as_str()]);
                lines.remove(0);
            }
            _ => {
                doc.control("PP", []);
            }
        }
        if lines.iter().any(|l| l.starts_with("  ")) {
            doc.control("nf", []);
            for line in lines {
                doc.text([roff::roman(line.trim_start())]);
            }
            doc.control("fi", []);
        } else {
            doc.text([roff::roman(lines.join(" "))]);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::closing_sections;

    #[test]
    fn closing_text_becomes_sections_with_examples_one_a_line() {
        let roff = closing_sections(
            "Examples:\n  incidentbook build\n  incidentbook build -d public\n\nA note\nin two lines.",
        )
        .to_roff();
        assert_eq!(
            roff,
            ".SH EXAMPLES\n.nf\nincidentbook build\nincidentbook build \\-d public\n.fi\n.PP\nA note in two lines.\n"
        );
    }
}
