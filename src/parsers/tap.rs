//! TAP, the Test Anything Protocol (versions 12, 13 and 14): tape, node-tap, Node's test runner
//! (`node --test --test-reporter=tap`), prove, bats, pytest-tap…
//!
//! One test is one top-level (unindented) test point, `ok` or `not ok`: `ok` → passed, `not ok`
//! → failed; a `# SKIP` directive → skipped (on either); a `# TODO` directive → other, not
//! blocking (TAP: a failing TODO is not a failure). Indented lines — TAP 14 subtests (each
//! summed up by its parent's own point, which counts), YAML diagnostics — are not points; a
//! failing point's YAML `message:` (or `error:`) is its message. Node's runner writes suites as
//! points too: they count as TAP counts them.
//!
//! The plan (`1..N`) comes first or last; one in the middle, or two, is an error, as TAP says.
//! A stream that ran fewer points than it planned, stopped with `Bail out!`, or has no plan at
//! all has an error outside tests, which blocks (the missing points are not counted as tests).
//! `1..0` (all skipped) is a clean, empty run.

use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::text::LineReader;

/// Whether the first line of `body` is TAP: a version line, a plan, a test point, a subtest.
pub fn looks_like(body: &[u8]) -> bool {
    let first = body.split(|&b| b == b'\n').map(|l| l.trim_ascii()).find(|l| !l.is_empty()).unwrap_or(b"");
    first.starts_with(b"TAP version ")
        || plan(std::str::from_utf8(first).unwrap_or("")).is_some()
        || point(std::str::from_utf8(first).unwrap_or("")).is_some()
        || first.starts_with(b"# Subtest")
}

/// `1..N`, with anything after it (`# skip reason`).
fn plan(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("1..")?;
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    let after = &rest[digits.len()..];
    if digits.is_empty() || !(after.is_empty() || after.starts_with([' ', '\t', '#'])) {
        return None;
    }
    digits.parse().ok()
}

struct Point<'a> {
    ok: bool,
    description: &'a str,
    directive: Option<(Directive, &'a str)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Directive {
    Skip,
    Todo,
}

/// `ok 3 - description # SKIP reason`.
fn point(line: &str) -> Option<Point<'_>> {
    let (ok, rest) = if let Some(r) = line.strip_prefix("not ok") {
        (false, r)
    } else {
        (true, line.strip_prefix("ok")?)
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start();
    // The directive: an unescaped `#` followed by SKIP or TODO (any case, any suffix).
    let bytes = rest.as_bytes();
    let mut cut = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] != b'\\') {
            let after = rest[i + 1..].trim_start();
            let word = after.get(..4).map(str::to_ascii_uppercase);
            let kind = match word.as_deref() {
                Some("SKIP") => Some(Directive::Skip),
                Some("TODO") => Some(Directive::Todo),
                _ => None,
            };
            if let Some(kind) = kind {
                let reason = after[4..].trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim_start_matches(':').trim();
                cut = Some((i, kind, reason));
                break;
            }
        }
    }
    let (description, directive) = match cut {
        Some((i, kind, reason)) => (&rest[..i], Some((kind, reason))),
        None => (rest, None),
    };
    let description = description.trim();
    let description = description.strip_prefix('-').map(str::trim_start).unwrap_or(description);
    Some(Point { ok, description, directive })
}

/// Reads a TAP stream.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut lines = LineReader::new(input.reader());
    let mut run = TestRun::default();
    // The plan: its count, its line, and how many points came before it.
    let mut planned: Option<(u64, u64, u64)> = None;
    let mut points = 0u64;
    let mut bail: Option<String> = None;
    let mut seen_any = false;
    // The failing point whose YAML block may follow, and whether the block is open.
    let mut last_failed: Option<usize> = None;
    let mut yaml = false;
    let mut pending_key: Option<usize> = None;
    while let Some((raw, pos)) = lines.next_with_pos()? {
        let Ok(line) = std::str::from_utf8(raw) else {
            return Err(ParseError::at_line(pos.line, "the file is not valid UTF-8 text"));
        };
        if line.trim().is_empty() || bail.is_some() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if indented {
            let t = line.trim();
            if t == "---" {
                yaml = true;
            } else if t == "..." {
                yaml = false;
                pending_key = None;
            } else if yaml {
                if let Some(i) = last_failed {
                    if let Some(p) = pending_key.take() {
                        if run.cases[p].message.is_none() {
                            run.cases[p].message = crate::model::first_line(t.trim_matches(['"', '\'']));
                        }
                    } else if let Some(v) = t.strip_prefix("message:").or_else(|| t.strip_prefix("error:")) {
                        let v = v.trim();
                        if matches!(v, "|" | "|-" | ">" | ">-" | "|+" | ">+") {
                            pending_key = Some(i);
                        } else if run.cases[i].message.is_none() {
                            run.cases[i].message = crate::model::first_line(v.trim_matches(['"', '\'']));
                        }
                    }
                }
            }
            continue;
        }
        yaml = false;
        pending_key = None;
        if line.starts_with("TAP version") || line.starts_with("pragma ") || line.starts_with('#') {
            if line.starts_with("TAP version") && seen_any {
                return Err(ParseError::at_line(pos.line, "`TAP version` after the stream began: it must be the first line"));
            }
            seen_any = true;
            continue;
        }
        seen_any = true;
        if let Some(rest) = line.strip_prefix("Bail out!") {
            bail = Some(rest.trim().to_string());
            continue;
        }
        if let Some(n) = plan(line) {
            if let Some((_, at, _)) = planned {
                return Err(ParseError::at_line(pos.line, format!("a second plan `{}` (the first is on line {at})", line.trim())));
            }
            planned = Some((n, pos.line, points));
            continue;
        }
        let Some(p) = point(line) else {
            // TAP: any other line is not TAP, and is ignored.
            continue;
        };
        if let Some((_, at, before)) = planned.filter(|p| p.2 > 0) {
            let _ = before;
            return Err(ParseError::at_line(
                pos.line,
                format!("a test point after the plan on line {at}: a plan comes first or last, never in the middle"),
            ));
        }
        points += 1;
        last_failed = None;
        let outcome = match (p.ok, p.directive) {
            (_, Some((Directive::Skip, _))) => Outcome::Skipped,
            (_, Some((Directive::Todo, _))) => Outcome::Other,
            (true, None) => {
                run.record_pass();
                continue;
            }
            (false, None) => Outcome::Failed,
        };
        let mut c = TestCase::new(p.description, outcome);
        if let Some((kind, reason)) = p.directive {
            if kind == Directive::Todo {
                c.status = Some("todo".into());
            }
            c.message = crate::model::first_line(reason);
        }
        if outcome == Outcome::Failed {
            last_failed = Some(run.cases.len());
        }
        run.record(c);
    }
    if !seen_any {
        return Err(ParseError::whole("no TAP line: not a TAP stream"));
    }
    if let Some(reason) = bail {
        let mut c = TestCase::new("Bail out!", Outcome::Error);
        c.message = Some(if reason.is_empty() { "the run stopped (Bail out!)".into() } else { reason });
        run.record_outside(c);
    }
    match planned {
        None if points > 0 || run.outside.is_empty() => run.record_outside(TestCase {
            message: Some("no plan (1..N): the stream may be cut short".into()),
            ..TestCase::new("TAP plan", Outcome::Error)
        }),
        Some((n, _, _)) if n > points => {
            run.stated.insert("planned".into(), n.into());
            run.record_outside(TestCase {
                message: Some(format!("planned {n} tests, {points} ran: {} missing", n - points)),
                ..TestCase::new("TAP plan", Outcome::Error)
            });
        }
        Some((n, _, _)) if n < points => {
            run.stated.insert("planned".into(), n.into());
            run.record_outside(TestCase {
                message: Some(format!("planned {n} tests, {points} ran: more than planned")),
                ..TestCase::new("TAP plan", Outcome::Error)
            });
        }
        _ => {}
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("t.tap", text.as_bytes()))
    }

    #[test]
    fn points_directives_and_yaml_messages() {
        let run = read(
            "TAP version 14\n1..6\nok 1 - adds\nnot ok 2 - divides\n  ---\n  message: |-\n    expected 2\n  at: x\n  ...\n\
             ok 3 - later # SKIP no network\nnot ok 4 - halting # TODO unsolved\nnot ok 5 # skip also skipped\n\
             # Subtest: nested\n    ok 1 - inner\n    1..1\nok 6 - nested\n",
        )
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.other), (6, 2, 1, 2, 1));
        assert_eq!(run.cases[0].message.as_deref(), Some("expected 2"));
        assert_eq!(run.cases[1].message.as_deref(), Some("no network"));
        assert_eq!(run.other_kinds.get("todo"), Some(&1));
        assert_eq!(run.failing().count(), 1, "a failing TODO does not block");
        assert!(run.outside.is_empty());
    }

    #[test]
    fn a_plan_in_the_middle_or_twice_is_an_error() {
        let e = read("ok 1\n1..3\nok 2\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(read("1..1\nok 1\n1..1\n").unwrap_err().to_string().contains("second plan"));
    }

    #[test]
    fn missing_points_a_bail_out_and_no_plan_block() {
        let run = read("TAP version 13\n1..573\nnot ok 1 - database handle\nBail out! Couldn't connect\nok 2\n").unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (1, 1));
        let msgs: Vec<_> = run.outside.iter().filter_map(|c| c.message.as_deref()).collect();
        assert_eq!(msgs, ["Couldn't connect", "planned 573 tests, 1 ran: 572 missing"]);
        let run = read("ok 1 - a\nok 2 - b\n").unwrap();
        assert!(!run.all_passed(), "no plan");
        let run = read("1..2\nok 1\nok 2\n").unwrap();
        assert!(run.all_passed() && run.totals.total == 2);
    }

    #[test]
    fn all_skipped_is_a_clean_empty_run() {
        let run = read("1..0 # SKIP no database\n").unwrap();
        assert!(run.all_passed() && run.totals.total == 0);
        assert!(looks_like(b"TAP version 13\n") && looks_like(b"1..4\n") && looks_like(b"not ok 1\n"));
        assert!(!looks_like(b"okay\n") && !looks_like(b"SF:x\n"));
    }
}
