//! `temis explain CODE`: what a check code means and how to fix it, from the code registry.

use super::Outcome;
use crate::error::Error;
use crate::gate::codes::{CODES, lookup};
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
        Some(code) => match lookup(code) {
            Some(c) => format!("{} ({})\n{}\n\n{}\n", paint.bold(c.code), c.family, c.summary, c.explanation),
            None => {
                let close = CODES
                    .iter()
                    .map(|c| (strsim::jaro_winkler(c.code, code), c.code))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .filter(|(s, _)| *s > 0.7)
                    .map(|(_, c)| format!("; did you mean {c}?"))
                    .unwrap_or_default();
                return Err(Error::usage(format!(
                    "unknown check code {code:?}{close} (`temis explain` lists them all)"
                )));
            }
        },
    };
    out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(Outcome::Ok)
}
