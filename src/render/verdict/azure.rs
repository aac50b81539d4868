//! Azure Pipelines logging commands: `##vso[task.logissue]` annotations, the summary upload,
//! output variables and `##vso[task.complete]`.
//!
//! One command per line. The agent reads a command from the first `##vso[` of a line to the
//! first `]` after it, splits properties on `;` and decodes `%AZP25`, `%0D`, `%0A`, `%3B`, `%5D`.
//! So, as its design note says: `%` becomes `%AZP25` first, then CR and LF `%0D` and `%0A`, and
//! in property values `;` and `]` `%3B` and `%5D`. Report text is also made log-safe
//! ([`log::safe`](super::log::safe)) before it is escaped, so a message holds no `##vso[` of
//! its own either.

use std::fmt::Write;

use super::annotations::{Annotation, Level};
use super::log;

/// A message or property value's `%`, CR and LF escaped (in that order).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%AZP25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: [`escape_data`], and `;` and `]`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(';', "%3B").replace(']', "%5D")
}

/// `##vso[task.logissue type=error;sourcepath=…;linenumber=…;code=…]message`. `root` is the
/// absolute directory the repository is checked out in (the agent wants absolute paths).
pub fn logissue(a: &Annotation, root: &str) -> String {
    let kind = if a.level == Level::Failure { "error" } else { "warning" };
    let mut props = format!("type={kind}");
    if let Some(p) = &a.path {
        let full = if root.is_empty() { p.clone() } else { format!("{}/{p}", root.trim_end_matches(['/', '\\'])) };
        let _ = write!(props, ";sourcepath={};linenumber={}", escape_property(&full), a.start_line.max(1));
    }
    let _ = write!(props, ";code={}", escape_property(a.code));
    let text = format!("{}: {}", a.title.trim_start_matches("temis: "), a.message);
    format!("##vso[task.logissue {props}]{}\n", escape_data(&log::safe(&text)))
}

/// The first `max_per_level` errors and warnings of `list` (most important first) as
/// `task.logissue` commands.
pub fn logissues(list: &[Annotation], max_per_level: usize, root: &str) -> String {
    let mut out = String::new();
    for failing in [true, false] {
        for a in list.iter().filter(|a| (a.level == Level::Failure) == failing).take(max_per_level) {
            out.push_str(&logissue(a, root));
        }
    }
    out
}

/// `##vso[task.uploadsummary]PATH`: the markdown file shown on the run's summary.
pub fn upload_summary(path: &str) -> String {
    format!("##vso[task.uploadsummary]{}\n", escape_data(path))
}

/// `##vso[task.setvariable variable=NAME;isoutput=true]VALUE`.
pub fn set_output(name: &str, value: &str) -> String {
    format!("##vso[task.setvariable variable={};isoutput=true]{}\n", escape_property(name), escape_data(value))
}

/// `##vso[task.complete result=RESULT;]MESSAGE`, `RESULT` one of `Succeeded`,
/// `SucceededWithIssues`, `Failed`.
pub fn complete(result: &str, message: &str) -> String {
    format!("##vso[task.complete result={result};]{}\n", escape_data(&log::safe(message)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_agents_rules() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%AZP25 done%0D%0Anext");
        assert_eq!(escape_property("a;b]c%"), "a%3Bb%5Dc%AZP25");
        assert_eq!(escape_data("%0A"), "%AZP250A", "an escape in the text stays text");
    }

    #[test]
    fn a_hostile_message_stays_one_command() {
        let a = Annotation {
            level: Level::Failure,
            code: "tests-failing",
            key: "k".into(),
            path: Some("tests/x;y].py".into()),
            start_line: 9,
            end_line: 9,
            title: "temis: Tests".into(),
            message: "x\n##vso[task.setvariable variable=A]1 ::error::pwned".into(),
        };
        let line = logissue(&a, "/agent/s");
        assert_eq!(line.lines().count(), 1);
        assert_eq!(line.matches("##vso[").count(), 1, "{line}");
        assert!(
            line.starts_with(
                "##vso[task.logissue type=error;sourcepath=/agent/s/tests/x%3By%5D.py;linenumber=9;code=tests-failing]"
            ),
            "{line}"
        );
    }
}
