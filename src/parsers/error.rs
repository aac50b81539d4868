//! Errors of reading a report: where in it something went wrong ([`ParseError`], from a
//! reader) and which report ([`ReportError`], from the reading side), so that every message reads
//! `FILE:LINE[:COL]: what is wrong`, with the fix on the next line.

use std::fmt;
use std::io;

/// Where in a report something went wrong, and what. Parsers return this; the caller adds the
/// file name, so that every message reads `FILE:LINE[:COL]: what is wrong`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(*.line, *.column))]
pub struct ParseError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

fn location(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{l}:{c}: "),
        (Some(l), None) => format!("{l}: "),
        _ => String::new(),
    }
}

impl ParseError {
    /// A problem with the input as a whole (empty, binary, unknown format…).
    pub fn whole(message: impl Into<String>) -> Self {
        Self { line: None, column: None, message: message.into() }
    }

    pub fn at_line(line: u64, message: impl Into<String>) -> Self {
        Self { line: Some(line), column: None, message: message.into() }
    }

    pub fn at(line: u64, column: u64, message: impl Into<String>) -> Self {
        Self { line: Some(line), column: Some(column), message: message.into() }
    }

    pub fn io(err: &io::Error) -> Self {
        Self::whole(match err.kind() {
            io::ErrorKind::InvalidData => "the file is not valid UTF-8 text".to_string(),
            _ => format!("read failed: {err}"),
        })
    }
}

/// A report that could not be read, named.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ReportError {
    pub file: String,
    pub error: ParseError,
    /// What the user can do about it, printed on the next line.
    pub hint: Option<String>,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.error.line.map_or(" ".to_string(), |_| String::new()))?;
        write!(f, "{}", self.error)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_file_line_and_column() {
        let e =
            ReportError { file: "cov.xml".into(), error: ParseError::at(3, 14, "unexpected end of file"), hint: None };
        assert_eq!(e.to_string(), "cov.xml:3:14: unexpected end of file");
        let e = ReportError { file: "x".into(), error: ParseError::whole("empty file"), hint: None };
        assert_eq!(e.to_string(), "x: empty file");
    }
}
