//! The `incidentbook` command line: definitions and dispatch only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use incidentbook::commands::{self, Ui};

/// mimalloc rather than the system allocator: parsing, rendering and indexing make
/// millions of short-lived strings on every core, and mimalloc's thread-local heaps cut
/// the user time of a 10,000 post-mortem build by 10-15%. Built with `no_thp`:
/// with transparent huge pages it spent more in the kernel zeroing 2 MB pages than it
/// saved (docs/performance.md, "What makes it fast").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The `DIR` of every command that reads a book.
const BOOK_DIR: &str = "The book's folder, the one holding book.toml";

#[derive(Parser)]
#[command(
    name = "incidentbook",
    version,
    about = "Turn a folder of blameless post-mortems into a searchable, cross-linked static site",
    long_about = "Turn a folder of blameless post-mortems into a searchable, cross-linked static site.\n\nPost-mortems are Markdown files with front matter under content/; `check` reports every problem in every file, `build` writes the site into book/, `serve --watch` previews it as you write.",
    after_long_help = "Examples:\n  incidentbook init my-postmortems\n  incidentbook new \"Orders database locked during migration\" --date 2024-03-12\n  incidentbook check --format github\n  incidentbook build\n\nExit status:\n  0  ok\n  1  problems in the content: errors among the diagnostics\n  2  a usage or configuration error: nothing was tried\n  3  the machine failed the command: a read or write, the search index, the port, the watcher\n\nEnvironment:\n  NO_COLOR  when set and not empty, no colour; colour is only ever used on a terminal"
)]
struct Cli {
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL_OPTIONS)]
    quiet: bool,
    /// Print more about what is being done: each stage, with the time it started
    #[arg(short, long, global = true, help_heading = GLOBAL_OPTIONS)]
    verbose: bool,
    /// Validation profile, overriding [validation] profile in book.toml
    #[arg(long, global = true, value_enum, help_heading = GLOBAL_OPTIONS)]
    profile: Option<incidentbook::config::Profile>,
    #[command(subcommand)]
    command: Command,
}

/// The heading of the options every command takes, listed apart from its own.
const GLOBAL_OPTIONS: &str = "Global Options";

#[derive(Subcommand)]
enum Command {
    /// Check the book, then build the static site (into book/ by default)
    #[command(
        long_about = "Check the book, then build the static site (into book/ by default).\n\nA book with errors is not published: the previous site stays as it was. The index of `incidentbook search` (.incidentbook/search) is brought up to date at the same time, and what did not change since the last build is reused (.incidentbook/build).",
        after_long_help = "Examples:\n  incidentbook build\n  incidentbook build path/to/book -d site\n  incidentbook build --edition public   # only the public post-mortems, into [edition.public] build-dir\n  incidentbook build --no-cache      # everything anew, ignoring .incidentbook/"
    )]
    Build {
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// Which site: `internal` (everything) or `public` (the public post-mortems
        /// without their internal passages, into [edition.public] build-dir)
        #[arg(long, value_enum, default_value = "internal")]
        edition: incidentbook::config::Edition,
        /// Write the site here instead of [build] build-dir
        #[arg(short, long, value_name = "DEST")]
        dest_dir: Option<PathBuf>,
        /// Ignore the build cache (.incidentbook/build): parse and render everything, and
        /// make the search index (.incidentbook/search) anew
        #[arg(long)]
        no_cache: bool,
    },
    /// Build the site in memory and serve it; with --watch, a live preview
    #[command(
        after_long_help = "Examples:\n  incidentbook serve --watch\n  incidentbook serve --watch --open -p 0\n  incidentbook serve path/to/book -n 0.0.0.0 -p 8080"
    )]
    Serve {
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// Address to listen on (127.0.0.1: this machine only)
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Port to listen on; 0 picks a free one
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Rebuild when the book changes and reload the browser
        #[arg(short, long)]
        watch: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (repeatable). By default only
        /// loopback names (localhost, 127.0.0.1, [::1]) and the --hostname are
        /// answered, so a web page cannot reach the preview by DNS rebinding
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
    },
    /// Check every post-mortem and report problems, without building
    #[command(
        after_long_help = "Examples:\n  incidentbook check\n  incidentbook check --deny warnings\n  incidentbook check --format json > diagnostics.json\n  incidentbook check --format github   # annotations in GitHub Actions\n  incidentbook check --similar-to content/2025/2025-01-07-checkout-down.md   # has this happened before?\n  incidentbook explain IB0104          # what a code means"
    )]
    Check {
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// Check the book as `build --edition` of this edition reads it
        #[arg(long, value_enum, default_value = "internal")]
        edition: incidentbook::config::Edition,
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: commands::check::Format,
        /// Fail (exit 1) on warnings too; `--deny warnings`
        #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
        deny: Option<String>,
        /// Also show findings silenced by `incidentbook-disable` comments
        #[arg(long)]
        show_silenced: bool,
        /// Name the post-mortems most like this one ("has this happened before?"); a
        /// notice on the file with --format github. Repeat for several files
        #[arg(long, value_name = "PATH")]
        similar_to: Vec<PathBuf>,
    },
    /// Explain a diagnostic code, or list them all
    #[command(
        after_long_help = "Examples:\n  incidentbook explain IB0101\n  incidentbook explain          # every code, its level and summary"
    )]
    Explain {
        /// A diagnostic code, such as IB0101 (in any case); without one, every code is listed
        #[arg(value_name = "CODE")]
        code: Option<String>,
    },
    /// Create a new book: book.toml, content/ with an example, .gitignore
    #[command(
        after_long_help = "Examples:\n  incidentbook init\n  incidentbook init my-postmortems\n  incidentbook init --from ./postmortems   # an existing archive, as it is"
    )]
    Init {
        /// The folder to make the book in (made if missing); it must not hold a book.toml
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Use an existing folder of post-mortems as the content, in the `adopt` profile
        #[arg(long, value_name = "FOLDER")]
        from: Option<PathBuf>,
    },
    /// Rewrite existing post-mortems into the standard format (front matter, canonical
    /// headings), keeping every other line as it is
    #[command(
        long_about = "Rewrite existing post-mortems into the standard format (front matter, canonical headings), keeping every other line as it is.\n\nA file with uncommitted changes in git is refused unless --backup is given; outside git, a FILE.md.orig backup is always kept.",
        after_long_help = "Examples:\n  incidentbook import --dry-run      # show the diff, write nothing\n  incidentbook import\n  incidentbook import --backup       # keep FILE.md.orig beside each file"
    )]
    Import {
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// Print a unified diff and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Keep FILE.md.orig beside each rewritten file
        #[arg(long)]
        backup: bool,
    },
    /// Search the post-mortems (the index is kept in .incidentbook/ and updated first)
    #[command(
        after_long_help = "Examples:\n  incidentbook search \"migration lock\"\n  incidentbook search '\"replica lag\"' --severity SEV1   # a phrase\n  incidentbook search certificate --since 2024-01-01 --format json\n  incidentbook search \"service:checkout after:2024-06 timeout\"   # filters in the query"
    )]
    Search {
        /// Words, "a phrase" in quotes, filters such as service:checkout or after:2024-06;
        /// every word is required, the last one also matches as a prefix
        query: String,
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// Show at most this many results
        #[arg(long, value_name = "N", default_value_t = 10)]
        limit: usize,
        /// Only post-mortems of this severity, as written (SEV1)
        #[arg(long, value_name = "SEVERITY")]
        severity: Option<String>,
        /// Only post-mortems that affected this service
        #[arg(long, value_name = "SERVICE")]
        service: Option<String>,
        /// Only post-mortems of this team
        #[arg(long, value_name = "TEAM")]
        team: Option<String>,
        /// Only post-mortems citing this contributing factor, by id
        #[arg(long, value_name = "ID")]
        factor: Option<String>,
        /// Only post-mortems of this status (draft, in-review, final)
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Only post-mortems on or after this day
        #[arg(long, visible_alias = "after", value_name = "YYYY-MM-DD", value_parser = incidentbook::model::parse_iso_date)]
        since: Option<chrono::NaiveDate>,
        /// Only post-mortems before this day
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = incidentbook::model::parse_iso_date)]
        before: Option<chrono::NaiveDate>,
        /// Output format
        #[arg(long, value_enum, default_value = "text")]
        format: commands::search::Format,
    },
    /// Create a new post-mortem from the template in content/YYYY/
    #[command(
        long_about = "Create a new post-mortem from the template: content/YYYY/YYYY-MM-DD-slug.md, named and dated after the day of the incident, and print its path.",
        after_long_help = "Examples:\n  incidentbook new \"Orders database locked during migration\"\n  incidentbook new \"Certificate expired on the API gateway\" --date 2024-03-12"
    )]
    New {
        /// The incident's title
        title: String,
        #[arg(default_value = ".", help = BOOK_DIR)]
        dir: PathBuf,
        /// The day of the incident (default: today): names the file and sets `date`
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = incidentbook::model::parse_iso_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Print a shell's completion script for incidentbook
    #[command(
        after_long_help = "Examples:\n  incidentbook completions bash > ~/.local/share/bash-completion/completions/incidentbook\n  incidentbook completions zsh > ~/.zfunc/_incidentbook   # with ~/.zfunc in $fpath\n  incidentbook completions fish > ~/.config/fish/completions/incidentbook.fish\n  incidentbook completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, or write one per command into a folder
    #[command(
        after_long_help = "Examples:\n  incidentbook man | man -l -\n  incidentbook man --out-dir ~/.local/share/man/man1   # incidentbook.1, incidentbook-build.1, ..."
    )]
    Man {
        /// Write incidentbook.1 and a page per command (incidentbook-build.1, ...) into
        /// this folder, made if missing, instead of incidentbook.1 to standard output
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// A closed output pipe (`incidentbook explain | head -1`) ends the command quietly
/// with status 0, as `rg … | head` does: the reader has what it wanted. Rust ignores
/// SIGPIPE, so the write fails and `println!` panics; the panic is caught here rather
/// than at every print. The signal's default action is not restored: it would also
/// end `serve` when a browser closes a connection mid-answer.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    incidentbook::workers::init();
    let ui = Ui {
        profile: cli.profile,
        ..Ui::new(cli.quiet, cli.verbose)
    };
    let result = match &cli.command {
        Command::Build {
            dir,
            edition,
            dest_dir,
            no_cache,
        } => commands::build::run(
            dir,
            dest_dir.as_deref(),
            !no_cache,
            Ui {
                edition: *edition,
                ..ui
            },
        ),
        Command::Serve {
            dir,
            hostname,
            port,
            watch,
            open,
            allow_hosts,
        } => commands::serve::run(
            dir,
            &commands::serve::Options {
                hostname: hostname.clone(),
                port: *port,
                watch: *watch,
                open: *open,
                allow_hosts: allow_hosts.clone(),
            },
            ui,
        ),
        Command::Check {
            dir,
            edition,
            format,
            deny,
            show_silenced,
            similar_to,
        } => {
            let ui = Ui {
                show_silenced: *show_silenced,
                edition: *edition,
                ..ui
            };
            commands::check::run(dir, *format, deny.is_some(), similar_to, ui)
        }
        Command::Explain { code } => commands::explain::run(code.as_deref()),
        Command::Completions { shell } => commands::completions::run(Cli::command(), *shell),
        Command::Man { out_dir } => commands::man::run(Cli::command(), out_dir.as_deref(), ui),
        Command::Init { dir, from } => commands::init::run(dir, from.as_deref(), ui),
        Command::New { title, dir, date } => commands::new::run(dir, title, *date, ui),
        Command::Search {
            query,
            dir,
            limit,
            severity,
            service,
            team,
            factor,
            status,
            since,
            before,
            format,
        } => {
            let filters = incidentbook::search::Filters {
                severity: severity.clone(),
                service: service.clone(),
                team: team.clone(),
                factor: factor.clone(),
                status: status.clone(),
                after: *since,
                before: *before,
            };
            commands::search::run(dir, query, &filters, *limit, *format, ui)
        }
        Command::Import {
            dir,
            dry_run,
            backup,
        } => commands::import::run(dir, *dry_run, *backup, ui),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
