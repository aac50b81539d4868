//! One `<testcase>` being read: its attributes, the outcome its children give it, and the first
//! line of the message that explains it.

use std::borrow::Cow;

use compact_str::CompactString;

use super::Stack;
use crate::model::{MESSAGE_MAX, Outcome, TestCase, first_line};

/// How many bytes of an element's text are kept to find its first line.
const BODY_MAX: usize = MESSAGE_MAX * 4 + 4;

/// A direct child of `<testcase>` that tells its outcome.
#[derive(Clone, Copy)]
enum Slot {
    Failure,
    Error,
    Skipped,
    Flaky,
    Rerun,
}

impl Slot {
    fn of(name: &str) -> Option<(Slot, Outcome)> {
        Some(match name {
            "failure" => (Slot::Failure, Outcome::Failed),
            "error" => (Slot::Error, Outcome::Error),
            "skipped" => (Slot::Skipped, Outcome::Skipped),
            "flakyFailure" => (Slot::Flaky, Outcome::Failed),
            "flakyError" => (Slot::Flaky, Outcome::Error),
            "rerunFailure" => (Slot::Rerun, Outcome::Failed),
            "rerunError" => (Slot::Rerun, Outcome::Error),
            _ => return None,
        })
    }
}

/// What one outcome element said.
struct Detail {
    outcome: Outcome,
    /// The first line of its `message` attribute.
    message: Option<CompactString>,
    /// The first line of its `type` attribute, the last resort.
    kind: Option<CompactString>,
    /// The start of its text (or of its `<stackTrace>`'s), when it has no message.
    body: String,
}

/// What a finished test case comes to.
pub(super) enum Verdict {
    Passed,
    Flaky(TestCase),
    NotPassed(TestCase),
}

/// One test case; the reader keeps the last one to reuse its strings' memory, since most tests
/// pass and are only counted.
#[derive(Default)]
pub(super) struct Case {
    /// The index of the `<testcase>` element in the stack of open elements.
    pub depth: usize,
    classname: CompactString,
    name: CompactString,
    file: Option<CompactString>,
    line: Option<u32>,
    time: Option<f64>,
    slots: [Option<Detail>; 5],
    /// GoogleTest's `status="notrun"` (a disabled test) or `result="skipped"`/`"suppressed"`, or
    /// ctest's `status="disabled"`: a test that did not run, though no child says so.
    not_run: bool,
    /// `status="notrun"`: with a `<skipped>` child, ctest's test that could not run (`***Not Run`),
    /// unless the child says it skipped itself.
    status_not_run: bool,
    /// behave's `status="untested"`: a scenario a failed hook (`before_feature`, `before_all`)
    /// kept from running — behave exits 1 — where a deliberate skip says `status="skipped"`.
    untested: bool,
    /// A `<skipped type="todo">` child: Node's test runner marks a `todo` test so, beside the
    /// `<failure>` of one that failed (which does not fail the run: "todo 1").
    todo: bool,
    /// Playwright wrote the report: a `<skipped>` with no `skip` or `fixme` property is a test the
    /// run did not reach (interrupted, its global timeout hit) — Playwright's "did not run".
    pub playwright: bool,
    /// A `<property name="skip">` or `"fixme"` in the test case: Playwright's own skip.
    skip_property: bool,
    /// No `name` attribute: pytest writes `<testcase time="…"/>` for the test it was running when
    /// the run was interrupted (Ctrl-C, a CI timeout, `pytest.exit()`).
    pub unnamed: bool,
    /// The slot whose element's text is being read, and that element's index.
    capture: Option<(Slot, usize)>,
}

impl Case {
    /// The attributes a `<testcase>` is read from.
    pub const KEYS: [&'static str; 7] = ["classname", "name", "file", "line", "time", "status", "result"];
    /// The attributes an outcome element (`<failure>`…) is read from.
    pub const CHILD_KEYS: [&'static str; 7] = ["message", "type", "name", "", "", "", ""];

    /// Starts reading a `<testcase>` at index `depth` of the stack, with its [`Case::KEYS`].
    pub fn open(&mut self, values: [Option<Cow<'_, str>>; 7], depth: usize) {
        let [classname, name, file, line, time, status, result] = values;
        self.status_not_run = status.as_deref().is_some_and(|s| s.trim() == "notrun");
        self.untested = status.as_deref().is_some_and(|s| s.trim() == "untested");
        self.skip_property = false;
        self.not_run = self.status_not_run
            || status.as_deref().is_some_and(|s| s.trim() == "disabled")
            || result.as_deref().is_some_and(|r| matches!(r.trim(), "skipped" | "suppressed"));
        self.unnamed = name.is_none() && classname.is_none();
        self.depth = depth;
        self.classname.clear();
        self.classname.push_str(classname.as_deref().unwrap_or_default());
        self.name.clear();
        self.name.push_str(name.as_deref().unwrap_or_default());
        self.file = file.as_deref().filter(|f| !f.is_empty()).map(Into::into);
        self.line = line.and_then(|v| v.trim().parse().ok());
        self.time = time.and_then(|v| v.trim().parse::<f64>().ok()).filter(|t| t.is_finite() && *t >= 0.0);
        self.slots = Default::default();
        self.capture = None;
        self.todo = false;
    }

    /// An element opened inside the test case, at index `depth` of the stack, with its
    /// [`Case::CHILD_KEYS`].
    pub fn child(&mut self, values: &[Option<Cow<'_, str>>; 7], name: &str, depth: usize, empty: bool) {
        if name == "property" && values[2].as_deref().is_some_and(|n| matches!(n.trim(), "skip" | "fixme")) {
            self.skip_property = true;
        }
        if depth != self.depth + 1 {
            return;
        }
        let Some((slot, outcome)) = Slot::of(name) else {
            return;
        };
        if matches!(slot, Slot::Skipped) && values[1].as_deref().is_some_and(|t| t.trim() == "todo") {
            self.todo = true;
        }
        let place = &mut self.slots[slot as usize];
        if place.is_some() {
            // A second `<flakyFailure>` (one per rerun): the first one explains enough.
            return;
        }
        let message = values[0].as_deref().and_then(first_line);
        if message.is_none() && !empty {
            self.capture = Some((slot, depth));
        }
        // The type is the last resort, read only when there is no message to explain.
        let kind = if message.is_none() { values[1].as_deref().and_then(first_line) } else { None };
        *place = Some(Detail { outcome, message, kind, body: String::new() });
    }

    /// The element at index `depth` of the stack closed.
    pub fn close(&mut self, depth: usize) {
        if self.capture.is_some_and(|(_, d)| d == depth) {
            self.capture = None;
        }
    }

    /// Text inside the test case; `open` is the stack of open elements.
    pub fn text(&mut self, text: &str, open: &Stack) {
        let Some((slot, depth)) = self.capture else {
            return;
        };
        let innermost = open.len().saturating_sub(1);
        let direct = innermost == depth;
        let trace = innermost == depth + 1 && open.last().map(super::local) == Some("stackTrace");
        if !(direct || trace) {
            return;
        }
        if let Some(detail) = self.slots[slot as usize].as_mut() {
            feed(&mut detail.body, text);
        }
    }

    /// The test's identity in its report: (classname, name).
    pub fn key(&self) -> (CompactString, CompactString) {
        (self.classname.clone(), self.name.clone())
    }

    /// The outcome, and the test as the model keeps it unless it simply passed.
    pub fn verdict(&mut self, suite: Option<&str>, suite_file: impl FnOnce() -> Option<CompactString>) -> Verdict {
        let [failure, error, mut skipped, flaky, rerun] = std::mem::take(&mut self.slots);
        // ctest writes a test it could not run (no executable, required files missing, a fixture
        // that failed) as `status="notrun"` with `<skipped message="why"/>`, and counts it as
        // failed ("Not Run"); its own skips say `SKIP_RETURN_CODE=…` or
        // `SKIP_REGULAR_EXPRESSION_MATCHED`.
        if let Some(d) = skipped.as_mut().filter(|_| self.status_not_run)
            && !d.message.as_deref().is_some_and(|m| m.starts_with("SKIP_"))
        {
            d.outcome = Outcome::Failed;
            d.message = Some(format!("not run: {}", d.message.as_deref().unwrap_or("no reason given")).into());
        }
        if self.playwright
            && !self.skip_property
            && failure.is_none()
            && error.is_none()
            && let Some(d) = skipped.as_mut()
        {
            d.outcome = Outcome::Failed;
            d.message = Some(
                "not run: Playwright did not run it (the run was interrupted or hit its global timeout); a skip of its \
                 own carries a `skip` or `fixme` property"
                    .into(),
            );
        }
        if self.untested && failure.is_none() && error.is_none() {
            skipped = Some(Detail {
                outcome: Outcome::Failed,
                message: Some("not run: behave left it untested (a hook before it failed)".into()),
                kind: None,
                body: String::new(),
            });
        }
        // Node's `todo` test: neither passed nor failed, by Node's rule; a failure's message says
        // how it stands.
        let todo = self.todo.then(|| Detail {
            outcome: Outcome::Other,
            message: [&failure, &error].into_iter().flatten().find_map(|d| d.message.clone()),
            kind: None,
            body: String::new(),
        });
        let (detail, passed) = match (todo.or(failure).or(error).or(skipped), flaky, rerun) {
            (Some(d), ..) => (d, false),
            (None, Some(d), _) => (d, true),
            // Surefire writes `<rerunFailure>` beside the `<failure>` of a test that failed every
            // rerun (one that passed on a rerun has `<flakyFailure>`): alone, it passed no run.
            (None, None, Some(d)) => (d, false),
            (None, None, None) if self.unnamed => {
                let message = Some(
                    "a <testcase> with no name: the run stopped during this test (pytest writes one so when it is \
                     interrupted, by Ctrl-C, a CI timeout or pytest.exit())"
                        .into(),
                );
                self.name = "(no name)".into();
                (Detail { outcome: Outcome::Error, message, kind: None, body: String::new() }, false)
            }
            (None, None, None) if self.not_run => {
                let message = Some("not run (disabled)".into());
                (Detail { outcome: Outcome::Skipped, message, kind: None, body: String::new() }, false)
            }
            (None, None, None) => return Verdict::Passed,
        };
        let message = detail.message.or_else(|| first_line(&detail.body)).or(detail.kind);
        let case = TestCase {
            suite: suite.unwrap_or_default().into(),
            classname: std::mem::take(&mut self.classname),
            name: std::mem::take(&mut self.name),
            file: self.file.take().or_else(suite_file),
            line: self.line,
            outcome: detail.outcome,
            message,
            time: self.time,
            status: self.todo.then(|| "todo".into()),
        };
        if passed { Verdict::Flaky(case) } else { Verdict::NotPassed(case) }
    }
}

/// Appends `text` to `body` until body holds a whole first line or [`BODY_MAX`] bytes.
fn feed(body: &mut String, text: &str) {
    let text = if body.trim().is_empty() {
        body.clear();
        text.trim_start()
    } else {
        text
    };
    if body.len() >= BODY_MAX || body.contains('\n') {
        return;
    }
    let mut cut = text.len().min(BODY_MAX - body.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    body.push_str(&text[..cut]);
}
