//! JUnit XML: each check a test case, so any CI shows the gate in its test tab.

use std::fmt::Write;

use crate::gate::{Outcome, Verdict};

/// Escapes text for XML attributes and text, dropping characters XML 1.0 forbids.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(v: &Verdict) -> String {
    let failures = v.count(Outcome::Fail);
    let skipped = v.count(Outcome::Skipped) + v.count(Outcome::Waived);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"temis\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        n = v.checks.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"temis gate{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        v.phase.map(|p| format!(" (phase {p})")).unwrap_or_default(),
        v.checks.len()
    );
    for c in &v.checks {
        let name = xml_escape(&format!("{}: {}", c.code, c.title));
        let class = format!("temis.{}", c.family);
        let _ = write!(out, "    <testcase classname=\"{class}\" name=\"{name}\"");
        let detail = || {
            let mut d = c.message.clone();
            if let Some(h) = &c.hint {
                d.push_str("\n→ ");
                d.push_str(h);
            }
            for e in &c.evidence {
                d.push_str("\n  ");
                // The file, as the human format names it: the text alone does not say which.
                if let Some(p) = e.path.as_deref().filter(|p| !e.text.contains(p)) {
                    d.push_str(&e.line.map_or_else(|| format!("{p}: "), |l| format!("{p}:{l}: ")));
                }
                d.push_str(&e.text);
            }
            xml_escape(&d)
        };
        match c.outcome {
            Outcome::Fail => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml_escape(&c.message),
                    detail()
                );
            }
            Outcome::Waived => {
                let why = c.waiver.as_ref().map(|w| format!("waived: {} ({})", w.reason, w.at)).unwrap_or_default();
                let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", xml_escape(&why));
            }
            Outcome::Skipped => {
                let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", xml_escape(&c.message));
            }
            Outcome::Warn => {
                let _ = writeln!(out, ">\n      <system-out>warning: {}</system-out>\n    </testcase>", detail());
            }
            Outcome::Pass => {
                let _ = writeln!(out, ">\n      <system-out>{}</system-out>\n    </testcase>", xml_escape(&c.message));
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
