//! Waivers: a failure excused with a reason, until a date.
//!
//! A waiver matches a failing check by code, rule and paths; an expired waiver no longer applies
//! and fails the gate until it is renewed or removed; one expiring within 14 days warns; one that
//! matched nothing warns.

use super::codes;
use super::tests::Failing;
use super::verdict::{AppliedWaiver, Check, Outcome};
use crate::policy::{Date, Waiver};

/// How close an expiry date must be to warn.
const EXPIRY_WARNING_DAYS: i64 = 14;

fn in_days(n: i64) -> String {
    match n {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

pub(super) fn apply(
    waivers: &[Waiver],
    source: &str,
    today: Date,
    checks: &mut Vec<Check>,
    failing: &mut Option<Failing>,
) {
    let mut used = vec![false; waivers.len()];
    let live = |w: &Waiver| w.expires.is_none_or(|d| d >= today);
    let applied = |w: &Waiver| AppliedWaiver {
        reason: w.reason.clone(),
        at: format!("{source}:{}", w.line),
        expires: w.expires.map(|d| d.to_string()),
    };
    // Checks that failed as a whole (coverage thresholds, counts…).
    for check in checks.iter_mut().filter(|c| c.outcome == Outcome::Fail) {
        let paths: Vec<&str> = if check.subjects.is_empty() {
            check.evidence.iter().filter_map(|e| e.path.as_deref()).collect()
        } else {
            check.subjects.iter().map(String::as_str).collect()
        };
        let rule = check.title.split_once(" of ").map(|(_, glob)| glob);
        let found = waivers.iter().enumerate().find(|(_, w)| {
            live(w) && {
                if paths.is_empty() {
                    w.matches(check.code, rule, None)
                } else {
                    paths.iter().all(|p| w.matches(check.code, rule, Some(p)))
                }
            }
        });
        if let Some((i, w)) = found {
            used[i] = true;
            check.outcome = Outcome::Waived;
            check.waiver = Some(applied(w));
        }
    }
    // Failing tests, one by one.
    if let Some(f) = failing.as_mut() {
        let mut still = Vec::new();
        for test in f.tests.drain(..) {
            let found = waivers
                .iter()
                .enumerate()
                .find(|(_, w)| live(w) && w.matches(codes::TESTS_FAILING, Some(&test.name), test.file.as_deref()));
            match found {
                Some((i, w)) => {
                    used[i] = true;
                    f.waived.push((test, applied(w)));
                }
                None => still.push(test),
            }
        }
        f.tests = still;
    }
    for (i, w) in waivers.iter().enumerate() {
        let at = format!("{source}:{}", w.line);
        let what = w.describe();
        match w.expires {
            // Expired waivers fail (as cargo-deny's do): an exception past its date is either
            // renewed deliberately or removed, never left to rot.
            Some(d) if d < today => checks.push(
                Check::new(
                    codes::WAIVER_EXPIRED,
                    "Waiver",
                    Outcome::Fail,
                    format!("the waiver at {at} ({what}) expired on {d} and no longer applies"),
                )
                .hint(format!("fix what it excused, or renew it deliberately (reason was: {})", w.reason)),
            ),
            Some(d) if d.days() - today.days() <= EXPIRY_WARNING_DAYS && used[i] => checks.push(
                Check::new(
                    codes::WAIVER_EXPIRING,
                    "Waiver",
                    Outcome::Warn,
                    format!("the waiver at {at} ({what}) expires on {d}, {}", in_days(d.days() - today.days())),
                )
                .hint("plan the fix, or renew it deliberately"),
            ),
            _ if !used[i] => checks.push(
                Check::new(
                    codes::WAIVER_UNUSED,
                    "Waiver",
                    Outcome::Warn,
                    format!("the waiver at {at} ({what}) matched nothing"),
                )
                .hint("remove it if what it excused is fixed, or correct its check, rule or paths"),
            ),
            _ => {}
        }
    }
}
