//! The one owner of stdout and stderr.
//!
//! Nothing else in temis prints (`clippy.toml` forbids `println!` and friends): machine formats go
//! to stdout untouched by logs, which go to stderr through tracing. Colour follows `--color`, then
//! `NO_COLOR`, then whether stdout is a terminal.

use std::io::{self, IsTerminal, Write};

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, given the environment's `NO_COLOR` and whether stdout is a terminal.
    pub fn resolve(self, no_color: Option<&str>, tty: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(str::is_empty) && tty,
        }
    }
}

/// Where rendered text goes.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    color: bool,
}

impl Output {
    pub fn new(choice: ColorChoice) -> Self {
        let no_color = std::env::var("NO_COLOR").ok();
        let tty = io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
        Self { color: choice.resolve(no_color.as_deref(), tty) }
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// Writes `text` to stdout. A closed pipe (`temis report … | head`) is not an error.
    pub fn stdout(&self, text: &str) -> io::Result<()> {
        ignore_broken_pipe(io::stdout().lock().write_all(text.as_bytes()))
    }

    /// A buffered stdout writer, for large machine output.
    pub fn stdout_writer(&self) -> io::BufWriter<io::StdoutLock<'static>> {
        io::BufWriter::with_capacity(1 << 16, io::stdout().lock())
    }

    pub fn stderr(&self, text: &str) {
        // Nothing sensible remains to be done when stderr itself fails.
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }

    /// An `error: …` line on stderr.
    pub fn error(&self, message: &str) {
        let label = if self.color_stderr() { "\x1b[1;31merror\x1b[0m" } else { "error" };
        self.stderr(&format!("{label}: {message}\n"));
    }

    /// A `warning: …` line on stderr.
    pub fn warning(&self, message: &str) {
        let label = if self.color_stderr() { "\x1b[1;33mwarning\x1b[0m" } else { "warning" };
        self.stderr(&format!("{label}: {message}\n"));
    }

    /// Whether text for stderr may be coloured (the choice, and stderr a terminal).
    pub fn color_stderr(&self) -> bool {
        self.color && io::stderr().is_terminal()
    }
}

pub fn ignore_broken_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// ANSI styling that disappears when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
    pub fn bold(self, t: &str) -> String {
        self.wrap("1", t)
    }
    pub fn dim(self, t: &str) -> String {
        self.wrap("2", t)
    }
    pub fn green(self, t: &str) -> String {
        self.wrap("32", t)
    }
    pub fn yellow(self, t: &str) -> String {
        self.wrap("33", t)
    }
    pub fn red(self, t: &str) -> String {
        self.wrap("31", t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_over_a_terminal_but_not_over_always() {
        assert!(!ColorChoice::Auto.resolve(Some("1"), true));
        assert!(ColorChoice::Auto.resolve(Some(""), true));
        assert!(ColorChoice::Auto.resolve(None, true));
        assert!(!ColorChoice::Auto.resolve(None, false));
        assert!(ColorChoice::Always.resolve(Some("1"), false));
        assert!(!ColorChoice::Never.resolve(None, true));
    }
}
