//! One `<testcase>` being read: its attributes, the outcome its children give it, and the first
//! line of the message that explains it.

use quick_xml::events::BytesStart;

use super::checks::Malformed;
use super::{Stack, attr};
use crate::model::{MESSAGE_MAX, Outcome, TestCase, first_line};
use crate::parsers::xml;

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
    message: Option<String>,
    /// The first line of its `type` attribute, the last resort.
    kind: Option<String>,
    /// The start of its text (or of its `<stackTrace>`'s), when it has no message.
    body: String,
}

/// What a finished test case comes to.
pub(super) enum Verdict {
    Passed,
    Flaky(TestCase),
    NotPassed(TestCase),
}

pub(super) struct Case {
    /// The index of the `<testcase>` element in the stack of open elements.
    pub depth: usize,
    classname: String,
    name: String,
    file: Option<String>,
    line: Option<u32>,
    time: Option<f64>,
    slots: [Option<Detail>; 5],
    /// The slot whose element's text is being read, and that element's index.
    capture: Option<(Slot, usize)>,
}

impl Case {
    pub fn open(e: &BytesStart<'_>, depth: usize) -> Result<Case, Malformed> {
        let number = |key| xml::raw_attr(e, key).map(|v| v.trim().to_string());
        Ok(Case {
            depth,
            classname: attr(e, "classname")?.unwrap_or_default(),
            name: attr(e, "name")?.unwrap_or_default(),
            file: attr(e, "file")?.filter(|f| !f.is_empty()),
            line: number("line").and_then(|v| v.parse().ok()),
            time: number("time").and_then(|v| v.parse::<f64>().ok()).filter(|t| t.is_finite() && *t >= 0.0),
            slots: Default::default(),
            capture: None,
        })
    }

    /// An element opened inside the test case, at index `depth` of the stack.
    pub fn child(&mut self, e: &BytesStart<'_>, name: &str, depth: usize, empty: bool) -> Result<(), Malformed> {
        if depth != self.depth + 1 {
            return Ok(());
        }
        let Some((slot, outcome)) = Slot::of(name) else {
            return Ok(());
        };
        let place = &mut self.slots[slot as usize];
        if place.is_some() {
            // A second `<flakyFailure>` (one per rerun): the first one explains enough.
            return Ok(());
        }
        let message = attr(e, "message")?.as_deref().and_then(first_line);
        if message.is_none() && !empty {
            self.capture = Some((slot, depth));
        }
        *place = Some(Detail {
            outcome,
            message,
            kind: attr(e, "type")?.as_deref().and_then(first_line),
            body: String::new(),
        });
        Ok(())
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
        let trace = innermost == depth + 1 && open.last() == Some("stackTrace");
        if !(direct || trace) {
            return;
        }
        if let Some(detail) = self.slots[slot as usize].as_mut() {
            feed(&mut detail.body, text);
        }
    }

    /// The outcome, and the test as the model keeps it unless it simply passed.
    pub fn verdict(self, suite: Option<&str>, suite_file: impl FnOnce() -> Option<String>) -> Verdict {
        let [failure, error, skipped, flaky, rerun] = self.slots;
        let (detail, passed) = match (failure.or(error).or(skipped), flaky.or(rerun)) {
            (Some(d), _) => (d, false),
            (None, Some(d)) => (d, true),
            (None, None) => return Verdict::Passed,
        };
        let message = detail.message.or_else(|| first_line(&detail.body)).or(detail.kind);
        let case = TestCase {
            suite: suite.unwrap_or_default().to_string(),
            classname: self.classname,
            name: self.name,
            file: self.file.or_else(suite_file),
            line: self.line,
            outcome: detail.outcome,
            message,
            time: self.time,
            status: None,
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
