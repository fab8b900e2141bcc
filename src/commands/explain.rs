use std::process::ExitCode;

use crate::diagnostics::Code;
use crate::error::{Error, Result};

/// `incidentbook explain IB0101`: the long explanation of a code, as `rustc --explain`.
pub fn run(code: Option<&str>) -> Result<ExitCode> {
    match code {
        None => {
            for c in Code::ALL {
                println!(
                    "{}  {:<7}  {}",
                    c.as_str(),
                    c.default_severity().label(),
                    c.summary()
                );
            }
        }
        Some(text) => {
            let c = Code::parse(text).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown diagnostic code `{text}`\n  help: run `incidentbook explain` to list every code"
                ))
            })?;
            println!("{}: {}\n\n{}", c.as_str(), c.summary(), c.explanation());
        }
    }
    Ok(ExitCode::SUCCESS)
}
