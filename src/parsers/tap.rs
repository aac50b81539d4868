//! TAP, the Test Anything Protocol (versions 12, 13 and 14): tape, node-tap, Node's test runner
//! (`node --test --test-reporter=tap`), prove, bats, pytest-tap…
//!
//! One test is one leaf test point, `ok` or `not ok`: a point with no subtests of its own (TAP
//! 14 and node-tap write a subtest's points indented before its parent's summing-up point; Node's
//! runner also marks suites `type: 'suite'`). In a flat stream (tape, prove, bats) every point
//! is a leaf. `ok` → passed, `not ok` → failed; a `# SKIP` directive → skipped (on either); a `#
//! TODO` directive → other, not blocking (TAP: a failing TODO is not a failure). This is what
//! node-tap counts ("32 passing, 1 pending, 1 failing": leaves, not the top-level points). Node's
//! runner (its stream ends with `# tests N`, `# suites N`) counts a `test()` with subtests as a
//! test too, failed when it or a subtest failed, and not its suites (`describe`): so does temis
//! on such a stream, and a test Node cancelled (`failureType: 'cancelledByParent'`: a failing
//! hook or parent) is incomplete, which blocks (Node's `# cancelled`). Elsewhere a parent that
//! fails while none of its subtests did (an exception in the test file, a wrong plan) is an error
//! outside tests. A failing point's YAML `message:` (or `error:`) is its message.
//!
//! The top-level plan (`1..N`) comes first or last; one in the middle, or two, is an error, as
//! TAP says. A stream that ran fewer top-level points than it planned, stopped with `Bail out!`, or has no plan at
//! all has an error outside tests, which blocks (the missing points are not counted as tests); so
//! does a top-level point whose number is not its place (given twice, or past one that never
//! came: prove's "tests out of sequence"), and subtests whose points are not as many as their own
//! plan says (node-tap fails them; prove reads no subtests). A directive's `#` starts the description or follows a
//! space, and its word ends there (`# TODO: later`): `Task#skip_x` and `# todoist` are
//! descriptions, as prove reads them.
//! `1..0` (all skipped) is a clean, empty run.

use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::text::LineReader;

/// Whether `body` is TAP: its first line is a version line, a plan, a test point or a subtest;
/// or a version line or a plan comes past lines that are not TAP (a runner's own, `> pkg@1.0.0
/// test`; a damaged first line) — which the reader then judges as TAP consumers do (a version
/// line must be the first). Content alone decides, so a pipe reads as the file does.
pub fn looks_like(body: &[u8]) -> bool {
    let strong = |l: &[u8]| l.starts_with(b"TAP version ") || std::str::from_utf8(l).ok().and_then(plan).is_some();
    let mut lines = body.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else { return false };
    strong(first)
        || std::str::from_utf8(first).ok().and_then(point).is_some()
        || first.starts_with(b"# Subtest")
        || lines.any(strong)
}

/// The `N` of a plan line, `1..N` with anything after it (`# skip reason`), as written.
fn plan(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("1..")?;
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    let after = &rest[digits.len()..];
    if digits.is_empty() || !(after.is_empty() || after.starts_with([' ', '\t', '#'])) {
        return None;
    }
    Some(digits)
}

struct Point<'a> {
    ok: bool,
    /// The number written after `ok`, if any.
    number: Option<u64>,
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
    let (ok, rest) =
        if let Some(r) = line.strip_prefix("not ok") { (false, r) } else { (true, line.strip_prefix("ok")?) };
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // More digits than a u64 holds read as no number: the plan check still counts the point.
    let number = rest[..digits].parse().ok();
    let rest = rest[digits..].trim_start();
    // The directive: a `#` at the start or after a space (TAP 14, node-tap; `Task#skip_x` is a
    // description, as prove reads it too) followed by the word SKIP or TODO, in any case and
    // ending there (prove's `\b`: `# TODO: later` is one, `# todoist webhook` and `# TODOS` are not).
    let bytes = rest.as_bytes();
    let mut cut = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            let after = rest[i + 1..].trim_start();
            let word = after.get(..4).map(str::to_ascii_uppercase);
            let ends = !after[4.min(after.len())..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            let kind = match word.as_deref().filter(|_| ends) {
                Some("SKIP") => Some(Directive::Skip),
                Some("TODO") => Some(Directive::Todo),
                _ => None,
            };
            if let Some(kind) = kind {
                let reason = after[4..].trim_start_matches(':').trim();
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
    Some(Point { ok, number, description, directive })
}

/// A point read and not yet counted: its YAML block may still say it is a suite, or explain it.
struct Pending {
    depth: usize,
    ok: bool,
    directive: Option<(Directive, String)>,
    description: String,
    /// Whether points of its own (subtests) came before it.
    parent: bool,
    suite: bool,
    /// Node's `failureType: 'cancelledByParent'`: never ran (a failing hook or parent).
    cancelled: bool,
    message: Option<compact_str::CompactString>,
    /// A block scalar (`message: |-`) whose first line is next.
    scalar: bool,
}

/// A point with subtests of its own, not a suite.
struct Parent {
    /// Its case when it failed.
    failed: Option<TestCase>,
    /// None of its subtests failed: it failed in its own code, if it failed.
    own: bool,
}

#[derive(Default)]
struct Reader {
    run: TestRun,
    pending: Option<Pending>,
    /// Leaf points that did not pass, per depth still open (to tell a parent that failed only
    /// because of its own code).
    failed_below: Vec<u64>,
    /// Points seen per depth since the last point one level up.
    points_at: Vec<u64>,
    /// The subtests' own plan per depth since the last point one level up: its count and line.
    plans_at: Vec<Option<(u64, u64)>>,
    /// Inside the `---` … `...` YAML block of the pending point.
    in_yaml: bool,
    /// Subtests that ran other than their plan says (a parent summed up as `ok` all the same):
    /// its description, the plan, the points that ran.
    short_plans: Vec<(String, u64, u64)>,
    top_points: u64,
    /// Points with subtests that are not suites, as tests: Node's runner counts them (its
    /// `# tests`), node-tap does not. Which one wrote the stream is known at its end.
    parents: Vec<Parent>,
    /// The first top-level point whose number is not its place (given twice, or past one that
    /// never came): `(number, place)`.
    out_of_sequence: Option<(u64, u64)>,
}

impl Reader {
    fn grow(&mut self, depth: usize) {
        if self.points_at.len() <= depth + 1 {
            self.points_at.resize(depth + 2, 0);
            self.plans_at.resize(depth + 2, None);
            self.failed_below.resize(depth + 2, 0);
        }
    }

    fn point(&mut self, depth: usize, p: Point<'_>) {
        self.finish_pending();
        self.grow(depth);
        let parent = self.points_at[depth + 1] > 0;
        // A parent marked TODO or SKIP does not block, whatever its subtests did.
        if let Some((n, _)) = self.plans_at[depth + 1].take()
            && n != self.points_at[depth + 1]
            && p.directive.is_none()
        {
            self.short_plans.push((p.description.to_string(), n, self.points_at[depth + 1]));
        }
        // Plans of groups deeper still were closed with a subtest cut short: theirs is not this.
        for plan in self.plans_at.iter_mut().skip(depth + 2) {
            *plan = None;
        }
        self.points_at[depth + 1] = 0;
        self.points_at[depth] += 1;
        if depth == 0 {
            self.top_points += 1;
            if let Some(n) = p.number.filter(|&n| n != self.top_points) {
                self.out_of_sequence.get_or_insert((n, self.top_points));
            }
        }
        self.pending = Some(Pending {
            depth,
            ok: p.ok,
            directive: p.directive.map(|(k, r)| (k, r.to_string())),
            description: p.description.to_string(),
            parent,
            suite: false,
            cancelled: false,
            message: None,
            scalar: false,
        });
    }

    /// A YAML line of the pending point (indented below it).
    fn yaml(&mut self, line: &str) {
        let Some(p) = self.pending.as_mut() else { return };
        let t = line.trim();
        if p.scalar {
            p.scalar = false;
            if p.message.is_none() {
                p.message = crate::model::first_line(t.trim_matches(['"', '\'']));
            }
            return;
        }
        if t.starts_with("type:") && t.contains("suite") {
            p.suite = true;
        }
        if t.starts_with("failureType:") && t.contains("cancelledByParent") {
            p.cancelled = true;
        }
        if let Some(v) = t.strip_prefix("message:").or_else(|| t.strip_prefix("error:")) {
            let v = v.trim();
            if matches!(v, "|" | "|-" | ">" | ">-" | "|+" | ">+") {
                p.scalar = true;
            } else if p.message.is_none() {
                p.message = crate::model::first_line(v.trim_matches(['"', '\'']));
            }
        }
    }

    fn finish_pending(&mut self) {
        let Some(p) = self.pending.take() else { return };
        self.grow(p.depth);
        let below = std::mem::take(&mut self.failed_below[p.depth + 1]);
        let failing = !p.ok && p.directive.is_none();
        if p.suite {
            self.failed_below[p.depth] += below;
            return;
        }
        if p.parent {
            // Its subtests are tests; whether it is one too depends on the producer (see
            // `parents`). One that failed with none of them failing failed in its own code (an
            // exception, a wrong plan).
            let failed = failing.then(|| {
                let mut c = TestCase::new(p.description, Outcome::Failed);
                c.message = p.message.or_else(|| (below == 0).then(|| "failed outside its subtests".into()));
                c
            });
            self.parents.push(Parent { failed, own: below == 0 });
            self.failed_below[p.depth] += below;
            return;
        }
        let outcome = match p.directive.as_ref().map(|d| d.0) {
            Some(Directive::Skip) => Outcome::Skipped,
            Some(Directive::Todo) => Outcome::Other,
            None if p.ok => return self.run.record_pass(),
            None if p.cancelled => Outcome::Incomplete,
            None => Outcome::Failed,
        };
        if outcome == Outcome::Failed {
            self.failed_below[p.depth] += 1;
        }
        let mut c = TestCase::new(p.description, outcome);
        if outcome == Outcome::Incomplete {
            c.status = Some("cancelled".into());
        }
        match p.directive {
            Some((kind, reason)) => {
                if kind == Directive::Todo {
                    c.status = Some("todo".into());
                }
                c.message = crate::model::first_line(&reason);
            }
            None => c.message = p.message,
        }
        self.run.record(c);
    }
}

/// How deep a line is: its leading spaces in steps of four (a tab is one step).
fn depth_of(line: &str) -> usize {
    let mut spaces = 0;
    for b in line.bytes() {
        match b {
            b' ' => spaces += 1,
            b'\t' => spaces += 4,
            _ => break,
        }
    }
    spaces / 4
}

/// Reads a TAP stream.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut lines = LineReader::new(input.reader());
    let mut r = Reader::default();
    // The top-level plan: its count, its line, and how many top-level points came before it.
    let mut planned: Option<(u64, u64, u64)> = None;
    let mut bail: Option<String> = None;
    let mut seen_any = false;
    // Node's runner ends its stream with `# tests N`, `# suites N`, … (node-tap writes no
    // `# suites`).
    let mut node = false;
    while let Some((raw, pos)) = lines.next_with_pos()? {
        let Ok(line) = std::str::from_utf8(raw) else {
            return Err(ParseError::at_line(pos.line, "the file is not valid UTF-8 text"));
        };
        if line.trim().is_empty() || bail.is_some() {
            continue;
        }
        let depth = depth_of(line);
        let t = line.trim();
        // A YAML line of the pending point: indented deeper than it, and inside its `---` …
        // `...` block, or else not a point nor a plan (a YAML value may read `1..3`).
        if let Some(p) = r.pending.as_ref() {
            let deeper = line.len() - line.trim_start().len() > p.depth * 4;
            if deeper && (r.in_yaml || (point(t).is_none() && plan(t).is_none() && !t.starts_with('#'))) {
                match t {
                    "---" => r.in_yaml = true,
                    "..." => r.in_yaml = false,
                    _ => {}
                }
                r.yaml(line);
                continue;
            }
        }
        r.in_yaml = false;
        if depth == 0 && t.starts_with("# suites ") {
            node = true;
        }
        if t.starts_with("TAP version") || t.starts_with("pragma ") || t.starts_with('#') {
            if t.starts_with("TAP version") && seen_any && depth == 0 {
                return Err(ParseError::at_line(
                    pos.line,
                    "`TAP version` after the stream began: it must be the first line",
                ));
            }
            seen_any = true;
            continue;
        }
        seen_any = true;
        if let Some(rest) = t.strip_prefix("Bail out!") {
            bail = Some(rest.trim().to_string());
            continue;
        }
        if let Some(digits) = plan(t) {
            let Ok(n) = digits.parse::<u64>() else {
                return Err(ParseError::at_line(
                    pos.line,
                    format!("the plan `{t}` counts more tests than any run holds: not a plan temis can check"),
                ));
            };
            if depth == 0 {
                if let Some((_, at, _)) = planned {
                    return Err(ParseError::at_line(
                        pos.line,
                        format!("a second plan `{t}` (the first is on line {at})"),
                    ));
                }
                planned = Some((n, pos.line, r.top_points));
            } else {
                r.grow(depth);
                if let Some((_, at)) = r.plans_at[depth].replace((n, pos.line)) {
                    return Err(ParseError::at_line(
                        pos.line,
                        format!("a second plan `{t}` for the same subtests (the first is on line {at})"),
                    ));
                }
            }
            continue;
        }
        let Some(p) = point(t) else {
            // TAP: any other line is not TAP, and is ignored.
            continue;
        };
        if depth == 0
            && let Some((_, at, _)) = planned.filter(|p| p.2 > 0)
        {
            return Err(ParseError::at_line(
                pos.line,
                format!("a test point after the plan on line {at}: a plan comes first or last, never in the middle"),
            ));
        }
        r.point(depth, p);
    }
    r.finish_pending();
    if !seen_any {
        return Err(ParseError::whole("no TAP line: not a TAP stream"));
    }
    let points = r.top_points;
    let out_of_sequence = r.out_of_sequence;
    for (name, n, ran) in std::mem::take(&mut r.short_plans) {
        // node-tap fails a subtest whose points are not its plan's; prove does not read subtests.
        let why = if n > ran { format!("{} missing", n - ran) } else { "more than planned".into() };
        r.run.record_outside(TestCase {
            message: Some(compact_str::format_compact!("its subtests planned {n}, {ran} ran: {why}")),
            ..TestCase::new(format!("{name} (subtest plan)"), Outcome::Error)
        });
    }
    let mut run = r.run;
    for parent in r.parents {
        match parent.failed {
            // Node counts a test with subtests as a test, failed when it or one of them failed.
            Some(c) if node => _ = run.record(c),
            None if node => run.record_pass(),
            // node-tap counts its subtests only: one that failed in its own code failed outside
            // tests.
            Some(mut c) if parent.own => {
                c.outcome = Outcome::Error;
                run.record_outside(c);
            }
            _ => {}
        }
    }
    if let Some((n, place)) = out_of_sequence {
        // prove: "Tests out of sequence", a parse error that fails the run; node-tap: an id given
        // twice or past the plan. A point given twice may stand in for one that never ran.
        run.record_outside(TestCase {
            message: Some(compact_str::format_compact!(
                "test point {place} is numbered {n}: a number given twice, or one skipped (tests out of sequence)"
            )),
            ..TestCase::new("TAP numbering", Outcome::Error)
        });
    }
    if let Some(reason) = bail {
        let mut c = TestCase::new("Bail out!", Outcome::Error);
        c.message = Some(if reason.is_empty() { "the run stopped (Bail out!)".into() } else { reason.into() });
        run.record_outside(c);
    }
    match planned {
        None => run.record_outside(TestCase {
            message: Some("no plan (1..N): the stream may be cut short".into()),
            ..TestCase::new("TAP plan", Outcome::Error)
        }),
        Some((n, _, _)) if n != points => {
            run.stated.insert("planned".into(), n.into());
            let why = if n > points { format!("{} missing", n - points) } else { "more than planned".into() };
            run.record_outside(TestCase {
                message: Some(compact_str::format_compact!("planned {n} tests, {points} ran: {why}")),
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
        assert_eq!(run.cases[1].name, "halting", "the skipped tests are counted, not kept");
        assert_eq!(run.other_kinds.get("todo"), Some(&1));
        assert_eq!(run.failing().count(), 1, "a failing TODO does not block");
        assert!(run.outside.is_empty());
    }

    /// A `#` inside a word is part of the description (`Task#todo_items`, as Ruby and JS name
    /// methods): it was read as a TODO or SKIP directive, and two failures approved. prove
    /// prints `Failed tests: 2-3` for this stream.
    #[test]
    fn a_hash_inside_a_word_is_no_directive() {
        let run = read(
            "1..4\nok 1 - Task#new\nnot ok 2 - Task#todo_items returns []\nnot ok 3 - Parser#skip_whitespace\n\
             not ok 4 - escaped \\# TODO is text\n",
        )
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.other), (4, 1, 3, 0, 0));
        assert_eq!(run.cases[0].name, "Task#todo_items returns []");
        let run = read("1..2\nok 1 -\t# skip tab\nnot ok 2 # TODO later\n").unwrap();
        assert_eq!((run.totals.skipped, run.totals.other), (1, 1));
        // The word ends there, as prove's `\b` says: `# TODO: later` is a TODO; `# todoist
        // webhook` and `# TODOS` are descriptions, and prove fails their stream (both approved).
        let run = read("1..3\nnot ok 1 - a # TODO: later\nnot ok 2 - sync # todoist webhook\nnot ok 3 - b # TODOS\n")
            .unwrap();
        assert_eq!((run.totals.other, run.totals.failed), (1, 2));
    }

    /// A number given twice, or past one that never came, with as many points as planned: the
    /// repeated line may stand for a test that never ran. prove: "Tests out of sequence", FAIL.
    #[test]
    fn points_out_of_sequence_block() {
        for text in ["1..2\nok 1 - a\nok 1 - a again\n", "1..2\nok 1 - a\nok 5 - b\n", "ok 2 - b\nok 1 - a\n1..2\n"] {
            let run = read(text).unwrap();
            assert_eq!(run.totals.passed, 2, "{text}");
            assert!(
                run.outside.iter().any(|c| c.message.as_deref().is_some_and(|m| m.contains("out of sequence"))),
                "{text}: {:?}",
                run.outside
            );
        }
        // Points without numbers, and numbered subtests that start again at 1, are in sequence.
        for text in
            ["1..2\nok - a\nok - b\n", "1..2\n# Subtest: s\n    ok 1 - x\n    ok 2 - y\n    1..2\nok 1 - s\nok 2 - b\n"]
        {
            assert!(read(text).unwrap().outside.is_empty(), "{text}");
        }
    }

    #[test]
    fn a_plan_in_the_middle_or_twice_is_an_error() {
        let e = read("ok 1\n1..3\nok 2\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(read("1..1\nok 1\n1..1\n").unwrap_err().to_string().contains("second plan"));
        // A plan past any count is named as such (it was "no plan").
        let e = read("1..99999999999999999999999\nok 1\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.to_string().contains("counts more tests than any run holds"), "{e}");
    }

    #[test]
    fn missing_points_a_bail_out_and_no_plan_block() {
        let run =
            read("TAP version 13\n1..573\nnot ok 1 - database handle\nBail out! Couldn't connect\nok 2\n").unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (1, 1));
        let msgs: Vec<_> = run.outside.iter().filter_map(|c| c.message.as_deref()).collect();
        assert_eq!(msgs, ["Couldn't connect", "planned 573 tests, 1 ran: 572 missing"]);
        let run = read("ok 1 - a\nok 2 - b\n").unwrap();
        assert!(!run.all_passed(), "no plan");
        let run = read("1..2\nok 1\nok 2\n").unwrap();
        assert!(run.all_passed() && run.totals.total == 2);
    }

    /// A subtest whose points are not as many as its own plan says, its parent summed up as `ok`
    /// all the same: node-tap fails it (prove reads no subtests). It was approved.
    #[test]
    fn subtests_other_than_their_plan_block() {
        let short = "TAP version 14\n1..2\n# Subtest: db\n    ok 1 - connects\n    1..3\nok 1 - db\nok 2 - b\n";
        let run = read(short).unwrap();
        assert_eq!(run.totals.passed, 2);
        assert!(!run.all_passed());
        assert_eq!(run.outside[0].name, "db (subtest plan)");
        assert_eq!(run.outside[0].message.as_deref(), Some("its subtests planned 3, 1 ran: 2 missing"));
        // Node's runner: the plan after the subtests, a nested describe.
        let node = "TAP version 13\n# Subtest: s\n    # Subtest: t\n        ok 1 - u\n        1..1\n    ok 1 - t\n    \
                    ok 2 - v\n    1..2\nok 1 - s\n1..1\n# tests 3\n# suites 0\n";
        assert!(read(node).unwrap().outside.is_empty());
        let node_short = node.replace("        1..1\n", "        1..4\n");
        let run = read(&node_short).unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(run.outside[0].name.starts_with("t "));
        // More points than planned, and two plans for one set of subtests.
        let over = "1..1\n    ok 1 - x\n    ok 2 - y\n    1..1\nok 1 - s\n";
        assert!(read(over).unwrap().outside[0].message.as_deref().is_some_and(|m| m.ends_with("more than planned")));
        let e = read("1..1\n    1..1\n    ok 1 - x\n    1..1\nok 1 - s\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        // No subtests planned and none ran: clean.
        assert!(read("1..1\n    1..0 # SKIP none\nok 1 - s\n").unwrap().outside.is_empty());
        // A TODO parent does not block; a YAML value that reads `1..3` is no plan.
        assert!(read("1..1\n    ok 1 - x\n    1..2\nnot ok 1 - s # TODO later\n").unwrap().outside.is_empty());
        let yaml =
            "1..1\n    not ok 1 - x\n      ---\n      expected: |-\n        1..3\n      ...\n    1..1\nnot ok 1 - s\n";
        let run = read(yaml).unwrap();
        assert!(run.outside.iter().all(|c| !c.name.ends_with("(subtest plan)")), "{:?}", run.outside);
    }

    #[test]
    fn all_skipped_is_a_clean_empty_run() {
        let run = read("1..0 # SKIP no database\n").unwrap();
        assert!(run.all_passed() && run.totals.total == 0);
        assert!(looks_like(b"TAP version 13\n") && looks_like(b"1..4\n") && looks_like(b"not ok 1\n"));
        assert!(!looks_like(b"okay\n") && !looks_like(b"SF:x\n"));
    }
}
