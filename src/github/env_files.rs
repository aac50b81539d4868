//! The environment files a step writes: `$GITHUB_STEP_SUMMARY` (markdown shown on the run's page)
//! and `$GITHUB_OUTPUT` (the step's outputs).
//!
//! Both are appended to, never replaced: other steps of the job may have written theirs. Every
//! output is written in the multi-line form `name<<DELIMITER` with a delimiter drawn at random
//! and checked against the value, so that no value (a path, a report's text) can end the block
//! early and set another output.

use std::collections::hash_map::RandomState;
use std::fs::OpenOptions;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::Path;

/// Appends `markdown` to the job summary file.
pub fn append_summary(path: &Path, markdown: &str) -> io::Result<()> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(markdown.as_bytes())?;
    if !markdown.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    Ok(())
}

/// Appends `outputs` to the step-output file.
pub fn write_outputs(path: &Path, outputs: &[(&str, String)]) -> io::Result<()> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(format_outputs(outputs, delimiter).as_bytes())
}

/// The text [`write_outputs`] appends; `draw` gives candidate delimiters.
pub fn format_outputs(outputs: &[(&str, String)], mut draw: impl FnMut() -> String) -> String {
    let mut text = String::new();
    for (name, value) in outputs {
        let mut delim = draw();
        while value.contains(&delim) || name.contains(&delim) {
            delim = draw();
        }
        text.push_str(&format!("{name}<<{delim}\n{value}\n{delim}\n"));
    }
    text
}

/// `ghadelimiter_` and 128 random bits, from the standard library's per-process random hash keys.
pub fn delimiter() -> String {
    let word = || {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(std::process::id().into());
        h.finish()
    };
    format!("ghadelimiter_{:016x}{:016x}", word(), word())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_holding_the_delimiter_gets_another_one() {
        let mut draws = ["EOF".to_string(), "EOF".to_string(), "ZZZ".to_string()].into_iter();
        let text = format_outputs(&[("verdict", "a\nEOF\nb".to_string())], || draws.next().unwrap());
        assert_eq!(text, "verdict<<ZZZ\na\nEOF\nb\nZZZ\n");
    }

    #[test]
    fn delimiters_differ() {
        assert_ne!(delimiter(), delimiter());
        assert!(delimiter().starts_with("ghadelimiter_"));
    }
}
