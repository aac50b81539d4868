//! Globs as the policy uses them (`paths`, `pages`, budget names, waiver rules and ids, commit
//! ignores, secret allow-lists): compiled once, when the policy is read, and never panicking; `*`
//! crosses `/` (`src/*.py` matches `src/a/b.py`), as the policy has always meant. A
//! pattern that cannot be compiled — invalid, longer than [`MAX_LEN`], or too large for the
//! matcher — is a policy problem with its line and column, not a crash of every hook.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The longest glob the policy accepts, in bytes.
pub const MAX_LEN: usize = 4096;

/// Why a glob cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GlobError {
    #[error("a glob of {0} characters is longer than the {MAX_LEN} temis accepts")]
    TooLong(usize),
    #[error("invalid glob {glob:?}: {why}")]
    Invalid { glob: String, why: String },
    #[error("the glob is too large to compile: {0}")]
    TooLarge(String),
}

/// One or more compiled globs; a string matches when any of them does.
#[derive(Clone, Debug)]
pub struct Globs {
    set: GlobSet,
}

impl Globs {
    /// Compiles `patterns`; the message says which one failed and why.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Globs, GlobError> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let p = p.as_ref();
            if p.len() > MAX_LEN {
                return Err(GlobError::TooLong(p.len()));
            }
            let glob = GlobBuilder::new(p)
                .literal_separator(false)
                .build()
                .map_err(|e| GlobError::Invalid { glob: p.to_string(), why: e.kind().to_string() })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| GlobError::TooLarge(e.to_string()))?;
        Ok(Globs { set })
    }

    /// One glob.
    pub fn one(pattern: &str) -> Result<Globs, GlobError> {
        Globs::new(&[pattern])
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.set.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_and_hostile_ones_are_errors_not_panics() {
        let g = Globs::new(&["src/auth/**", "*.md"]).unwrap();
        assert!(g.is_match("src/auth/jwt.py") && g.is_match("docs/x.md") && !g.is_match("src/db.py"));
        assert!(Globs::one("tests.test_jwt::test_*").unwrap().is_match("tests.test_jwt::test_refresh"));
        let long = "*a".repeat(200_000);
        assert!(Globs::one(&long).unwrap_err().to_string().contains("longer than the 4096"));
        let big = "*a".repeat(2_000);
        match Globs::one(&big) {
            Ok(g) => assert!(!g.is_match("b")),
            Err(e) => assert!(e.to_string().contains("too large"), "{e}"),
        }
        assert!(Globs::one("a[").unwrap_err().to_string().starts_with("invalid glob \"a[\""));
    }
}
