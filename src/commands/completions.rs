use std::process::ExitCode;

use crate::error::Result;

/// `incidentbook completions SHELL`: the shell's completion script for `cli` (the
/// command line as `main` defines it), on standard output.
pub fn run(mut cli: clap::Command, shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli, "incidentbook", &mut script);
    super::print_bytes(&script)?;
    Ok(ExitCode::SUCCESS)
}
