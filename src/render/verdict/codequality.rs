//! GitLab's Code Quality report (`artifacts:reports:codequality`): the Code Climate subset GitLab
//! reads, one JSON array of violations, each with `description`, `check_name`, `fingerprint`,
//! `severity` (`info` … `blocker`) and `location` (`path`, `lines.begin`). No byte-order mark.
//!
//! It holds the checks that block or warn with a file to point at, and the uncovered lines the
//! change added ([`annotations::collect`](super::annotations::collect), in its order). A check
//! that names no file is left out (GitLab needs a path); the JUnit report and the note carry it.
//! Fingerprints leave lines out ([`fingerprints`]): a finding that moves keeps its
//! fingerprint, and the merge-request widget does not show it as fixed and new.

use serde::Serialize;

use super::annotations::{Annotation, Level, fingerprints, plain_text};

/// The longest description written (GitLab documents no limit; this keeps one finding readable).
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;

#[derive(Serialize)]
struct Violation<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    engine_name: &'static str,
    check_name: &'a str,
    description: String,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// The severity GitLab shows: what blocks the merge is a `blocker`.
pub fn severity(level: Level) -> &'static str {
    match level {
        Level::Failure => "blocker",
        Level::Warning => "minor",
        Level::Notice => "info",
    }
}

/// The report for `list` (a JSON array, `[]` when nothing has a file).
pub fn render(list: &[Annotation]) -> String {
    let prints = fingerprints(list);
    let violations: Vec<Violation<'_>> = list
        .iter()
        .zip(&prints)
        .filter_map(|(a, fingerprint)| {
            let path = a.path.as_deref()?;
            let text = format!("{}: {}", a.title.trim_start_matches("temis: "), a.message).replace(['\n', '\r'], " — ");
            Some(Violation {
                kind: "issue",
                engine_name: "temis",
                check_name: a.code,
                description: plain_text(&text, DESCRIPTION_MAX_CHARS),
                fingerprint,
                severity: severity(a.level),
                location: Location {
                    path,
                    lines: Lines { begin: a.start_line.max(1), end: a.end_line.max(a.start_line).max(1) },
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&violations).expect("violations serialize");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathless_checks_are_left_out_and_text_cannot_carry_markup() {
        let a = |path: Option<&str>, msg: &str| Annotation {
            level: Level::Failure,
            code: "tests-failing",
            key: msg.into(),
            path: path.map(Into::into),
            start_line: 0,
            end_line: 0,
            title: "temis: Tests (tests-failing)".into(),
            message: msg.into(),
        };
        let out = render(&[a(Some("t.py"), "<img src=x> @all\nboom"), a(None, "coverage 70 %")]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["location"]["lines"]["begin"], 1);
        assert_eq!(v[0]["severity"], "blocker");
        let d = v[0]["description"].as_str().unwrap();
        assert!(!d.contains('<') && !d.contains("@all") && !d.contains('\n'), "{d}");
        assert!(!out.starts_with('\u{feff}'));
        assert_eq!(render(&[]), "[]\n");
    }
}
