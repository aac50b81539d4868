//! `temis explain CODE`: what a check code means and how to fix it, from the code registry.

use super::Outcome;
use crate::error::Error;
use crate::gate::codes::CODES;
use crate::output::{Output, Paint};

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A check code, as shown in the verdict (e.g. coverage-line-below-threshold). Omit to list them all.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

pub fn run(args: ExplainArgs, out: Output) -> Result<Outcome, Error> {
    let paint = Paint(out.color());
    let text = match args.code.as_deref() {
        None => {
            let mut s = String::new();
            for c in CODES {
                s.push_str(&format!("{:<40} {}\n", c.code, c.summary));
            }
            s
        }
        Some(code) => {
            let c = crate::app::explain(code)?;
            format!("{} ({})\n{}\n\n{}\n", paint.bold(c.code), c.family, c.summary, c.explanation)
        }
    };
    out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(Outcome::Ok)
}
