//! The command layer: the only code that knows about the terminal, exit codes and
//! progress bars. Each command loads the book through `site::Site`.

pub mod build;
pub mod check;
pub mod completions;
pub mod explain;
pub mod import;
pub mod init;
pub mod man;
pub mod new;
pub mod search;
pub mod serve;
pub mod similar;

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diagnostics::{self, Diagnostic, Summary};
use crate::site::Stage;
pub use crate::text::plural;

/// How the user asked to be talked to.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// Colour on stderr: only on a terminal, and never with NO_COLOR set.
    pub color: bool,
    /// Show findings silenced by `incidentbook-disable` comments.
    pub show_silenced: bool,
    /// `--profile`, overriding `[validation] profile`.
    pub profile: Option<crate::config::Profile>,
    /// `--edition` of `build` and `check`: the internal edition unless it says public.
    pub edition: crate::config::Edition,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ui {
            quiet,
            verbose,
            color: !no_color && std::io::stderr().is_terminal(),
            show_silenced: false,
            profile: None,
            edition: crate::config::Edition::Internal,
        }
    }

    pub fn info(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// A warning about the run itself (not the content), shown even with `--quiet`.
    pub fn warn(&self, message: impl AsRef<str>) {
        eprintln!("warning: {}", message.as_ref());
    }

    /// A spinner naming the current stage, drawn only on a terminal.
    pub fn progress(&self) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    }

    /// Prints diagnostics for humans (silenced ones only if asked), then the summary.
    pub fn report(&self, diags: &[Diagnostic], root: &std::path::Path, files: usize) {
        self.report_with(diags, root, files, None);
    }

    /// [`Ui::report`], with `extra` after the summary on its line.
    pub fn report_with(
        &self,
        diags: &[Diagnostic],
        root: &std::path::Path,
        files: usize,
        extra: Option<&str>,
    ) {
        let shown: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| self.show_silenced || !d.silenced)
            // --quiet prints only errors: on a large book, rendering thousands of
            // warnings nobody reads is a real part of the run.
            .filter(|d| !self.quiet || d.is_error())
            .cloned()
            .collect();
        if !shown.is_empty() {
            eprint!("{}", diagnostics::render_human(&shown, root, self.color));
        }
        let summary = Summary::of(diags);
        if !self.quiet || summary.errors > 0 {
            match extra {
                Some(extra) => eprintln!("{}; {extra}", summary.line(files)),
                None => eprintln!("{}", summary.line(files)),
            }
        }
    }
}

/// Loads `book.toml`, with the command line's `--profile` applied.
pub fn load_config(root: &std::path::Path, ui: &Ui) -> crate::Result<crate::config::Config> {
    Ok(crate::config::Config::load_with_profile(root, ui.profile)?.for_edition(ui.edition))
}

/// Loads the book with the command line's profile, for `purpose`.
pub fn load_site(
    root: &std::path::Path,
    purpose: crate::site::Purpose,
    ui: &Ui,
    observe: &dyn Fn(Stage),
) -> crate::Result<crate::site::Site> {
    crate::site::Site::load_with_config(root, load_config(root, ui)?, purpose, observe)
}

/// An observer that shows pipeline stages on a progress bar and, with `--verbose`,
/// prints each stage with the time elapsed since the command started.
pub fn stage_observer<'a>(bar: &'a ProgressBar, ui: &'a Ui) -> impl Fn(Stage) + 'a {
    let started = std::time::Instant::now();
    move |stage| {
        let message = match stage {
            Stage::Reading { files } => format!("reading {}", plural(files, "file")),
            Stage::Linking => "cross-linking".to_owned(),
            Stage::Checking => "checking".to_owned(),
            Stage::Rendering { pages } => format!("rendering {}", plural(pages, "post-mortem")),
            Stage::Writing { files } => format!("writing {}", plural(files, "file")),
        };
        if ui.verbose && !ui.quiet {
            bar.suspend(|| eprintln!("[{:>7.3}s] {message}", started.elapsed().as_secs_f64()));
        }
        bar.set_message(message);
    }
}

/// Writes `bytes` to standard output. A pipe closed by its reader (`| head`) is not an
/// error: the reader has what it wanted.
pub fn print_bytes(bytes: &[u8]) -> crate::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::error::Error::io(
            "cannot write to",
            "standard output",
            e,
        )),
        _ => Ok(()),
    }
}

pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}
