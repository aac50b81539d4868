//! Security checks: findings per severity against `[security] max`, OWASP Top 10 categories
//! that block, unfinished scans, suppressions, and — with `new_only` — only the findings absent
//! from the baseline of the base commit.
//!
//! Like failing tests, findings are judged one by one: waivers excuse single findings (by rule,
//! advisory id, fingerprint or path) before the limits are counted.

use std::collections::HashMap;

use super::codes;
use super::verdict::{AppliedWaiver, Check, Evidence, Figures, Measure, Outcome, OwaspRow, ReportRef, SecurityFigures};
use super::waivers::Ledger;
use super::{BaselineInput, Searched};
use crate::model::owasp::Edition;
use crate::model::security::{BaselineEntry, BySeverity, Finding, SecurityReport, Severity};
use crate::policy::SecurityPolicy;

/// One finding under judgement, borrowed from the report that holds it (the gate holds no
/// second copy of a scan: `temis gate` needs little more memory than `temis report`).
#[derive(Clone, Debug)]
pub(super) struct Judged<'a> {
    /// The report the finding was read from.
    pub report: &'a str,
    /// The other reports of the same tool that hold it too (bandit's JSON and its SARIF, both
    /// found by default): one finding, one count.
    pub also_in: Vec<&'a str>,
    pub finding: &'a Finding,
    /// Its severity, with `unknown` replaced by what the policy counts it as.
    pub effective: Severity,
    /// Its OWASP Top 10 categories, bit `n` for `An`.
    pub categories: u16,
}

impl Judged<'_> {
    fn in_category(&self, cat: u8) -> bool {
        self.categories & (1 << cat) != 0
    }

    /// Every report that holds it, comma-separated.
    fn reports(&self) -> String {
        std::iter::once(self.report).chain(self.also_in.iter().copied()).collect::<Vec<_>>().join(", ")
    }
}

/// The findings still to be judged once waivers have had their say.
#[derive(Debug, Default)]
pub(super) struct Pending<'a> {
    pub findings: Vec<Judged<'a>>,
    pub waived: Vec<(Judged<'a>, AppliedWaiver)>,
    suppressed: Vec<Judged<'a>>,
    existing: Option<u64>,
    fixed: Vec<BaselineEntry>,
    edition: Edition,
}

/// Files a security scanner reads (code, or the dependency manifests and lockfiles) changed
/// after its report was written: the scan is of other code (a scan skipped or failed — pip-audit
/// writes no file when it fails — leaves the last report in place).
pub(super) fn stale(policy: crate::policy::Stale, stale: Option<&super::NewerFiles>, out: &mut Vec<Check>) {
    let what = super::tests::Stale {
        code: codes::SECURITY_STALE,
        title: "Security report age",
        files: "file(s) its scanner reads",
        of: "code",
        hint: "run the scanner again on this code (a skipped or failed scan leaves the last report in place)",
    };
    out.extend(what.check(policy, stale));
}

pub(super) fn checks<'a>(
    p: &SecurityPolicy,
    reports: &'a [(ReportRef, SecurityReport)],
    baseline: &BaselineInput,
    searched: &Searched,
    out: &mut Vec<Check>,
) -> Option<Pending<'a>> {
    if reports.is_empty() {
        // Scans are judged where their reports exist; no row when none is required.
        if p.required {
            out.push(
                Check::new(codes::SECURITY_MISSING, "Security report", Outcome::Fail, "no security report was found")
                    .hint(format!(
                        "looked for {}; run the scanner and write its report (bandit -f json -o bandit.json, semgrep \
                         --sarif-output=semgrep.sarif, npm audit --json > npm-audit.json…), name it on the command \
                         line, or set [reports] security ([security] required = false turns this off)",
                        super::coverage::searched_list(&searched.security)
                    )),
            );
        }
        return None;
    }
    for (r, report) in reports {
        for why in &report.incomplete {
            let outcome = if p.allow_incomplete { Outcome::Warn } else { Outcome::Fail };
            out.push(
                Check::new(
                    codes::SECURITY_INCOMPLETE,
                    "Security scan",
                    outcome,
                    format!("{} ({}) is incomplete: {why}", r.path, r.format),
                )
                .hint("rerun the scanner until it completes; an unfinished scan is not a clean one"),
            );
        }
        if let Some(unlisted) = report.unlisted_suppressed.as_ref().filter(|_| !p.honor_suppressions) {
            let left = match unlisted.count {
                Some(n) => format!("left {n} suppressed finding(s) out of its report"),
                None => "leaves suppressed findings out of its report without counting them".into(),
            };
            let mut c = Check::new(
                codes::SECURITY_SUPPRESSED_UNLISTED,
                "Suppressed findings",
                Outcome::Fail,
                format!("{} ({}) {left}; suppressions are not honoured, so they cannot be judged", r.path, r.format),
            )
            .hint(format!("{}, or set [security] honor_suppressions = true", unlisted.fix));
            if let Some(n) = unlisted.count {
                c = c.measured(Measure::count(n, "findings"));
            }
            out.push(c);
        }
        // Findings the tool counted and filtered out (bandit's `-lll`, `-i`, a baseline `-b`), of a
        // severity the policy limits: with them the limit may be passed, and none can be judged.
        let over: Vec<(Severity, u64)> = report
            .filtered
            .iter()
            .copied()
            .filter(|&(sev, hidden)| {
                // The listed ones the limit counts: at their effective severity, suppressions
                // honoured left out.
                let listed = report
                    .findings
                    .iter()
                    .filter(|f| !(f.suppressed.is_some() && p.honor_suppressions) && effective(f, p) == sev)
                    .count() as u64;
                p.max.get(&sev).is_some_and(|&max| listed.saturating_add(hidden) > max)
            })
            .collect();
        if !over.is_empty() {
            let counted: Vec<String> = over.iter().map(|(sev, n)| format!("{n} {}", sev.name())).collect();
            let n = over.iter().fold(0u64, |sum, (_, n)| sum.saturating_add(*n));
            out.push(
                Check::new(
                    codes::SECURITY_FILTERED,
                    "Filtered findings",
                    Outcome::Fail,
                    format!(
                        "{} ({}) counts {} finding(s) it does not list — filtered out of its report (bandit -l/-ll/-lll, \
                         -i, or a baseline given with -b): the policy limits them, and findings not listed cannot be \
                         judged",
                        r.path,
                        r.format,
                        counted.join(", ")
                    ),
                )
                .measured(Measure::count(n, "findings"))
                .hint(
                    "run the scanner without the severity, confidence or baseline filter, so that it lists every \
                     finding ([security] new_only judges only the findings new since the base)",
                ),
            );
        }
        if !report.errors.is_empty() {
            out.push(
                Check::new(
                    codes::SECURITY_TOOL_ERRORS,
                    "Security scan",
                    Outcome::Warn,
                    format!("{} reported {} error(s); what they name was not scanned", r.path, report.errors.len()),
                )
                .hint("make those files scannable, or exclude them deliberately")
                .evidence(
                    report
                        .errors
                        .iter()
                        .take(10)
                        .map(|e| Evidence { path: None, line: None, text: e.clone() })
                        .collect(),
                ),
            );
        }
    }
    let mut pending = Pending { edition: p.owasp, ..Pending::default() };
    // The baseline's entries, each taken by one finding at most ([`BaselineLedger`]).
    let mut ledger: Option<BaselineLedger> = match baseline {
        BaselineInput::Found { baseline, .. } if p.new_only => Some(BaselineLedger::new(&baseline.findings)),
        _ => None,
    };
    let mut existing = 0u64;
    // The same finding in several reports of one tool (one scan kept as JSON and as SARIF): each
    // occurrence of its key ([`key`]) counts once, however many reports repeat it, at the most
    // severe of its severities. Only reports of other formats repeat a finding: two reports of
    // one format are two scans (a frontend's and a backend's `snyk.json` both name
    // `package-lock.json`), whose findings all count. With one report there is nothing to count
    // twice: no key is kept.
    let mut seen: Option<HashMap<Key<'a>, Vec<(Place, &str)>>> = (reports.len() > 1).then(HashMap::new);
    pending.findings.reserve_exact(reports.iter().map(|(_, r)| r.findings.len()).sum());
    for (nth_report, (r, report)) in reports.iter().enumerate() {
        let mut here: HashMap<Key<'a>, usize> = HashMap::new();
        for f in &report.findings {
            let mut earlier = None;
            if let Some(seen) = seen.as_mut() {
                let key = key(f);
                let nth = here.entry(key).or_insert(0);
                *nth += 1;
                let places = seen.entry(key).or_default();
                let format = r.format;
                if let Some((place, _)) = places.iter().filter(|(_, other)| *other != format).nth(*nth - 1) {
                    pending.also_in(*place, &r.path, effective(f, p));
                    continue;
                }
                earlier = Some(places);
            }
            let judged = Judged {
                report: &r.path,
                also_in: Vec::new(),
                finding: f,
                effective: effective(f, p),
                categories: f.owasp_categories(p.owasp).iter().fold(0, |bits, &c| bits | 1 << c),
            };
            let place = if f.suppressed.is_some() && p.honor_suppressions {
                pending.suppressed.push(judged);
                Place::Suppressed(pending.suppressed.len() - 1)
            } else if ledger.as_mut().is_some_and(|l| l.take(f, nth_report)) {
                existing += 1;
                Place::Existing
            } else {
                pending.findings.push(judged);
                Place::Judged(pending.findings.len() - 1)
            };
            if let Some(places) = earlier {
                places.push((place, r.format));
            }
        }
    }
    if p.new_only {
        match baseline {
            BaselineInput::Found { baseline, .. } => {
                pending.existing = Some(existing);
                pending.fixed = ledger.map(|l| l.untaken(&baseline.findings)).unwrap_or_default();
            }
            BaselineInput::Missing { why } => out.push(
                Check::new(
                    codes::SECURITY_BASELINE,
                    "Security baseline",
                    Outcome::Warn,
                    format!("new_only is on but {why}: every finding is judged as new"),
                )
                .hint("commit a baseline on the base branch first: temis security baseline"),
            ),
            BaselineInput::NotAsked => {}
        }
    }
    Some(pending)
}

/// Excuses findings one by one.
pub(super) fn waive(pending: &mut Option<Pending>, ledger: &mut Ledger<'_>) {
    let Some(p) = pending.as_mut() else { return };
    let mut still = Vec::new();
    for j in p.findings.drain(..) {
        let found = ledger.find(|w| {
            w.matches_finding(codes::SECURITY_FINDINGS, j.finding)
                || w.matches_finding(codes::SECURITY_OWASP, j.finding)
        });
        match found {
            Some(applied) => p.waived.push((j, applied)),
            None => still.push(j),
        }
    }
    p.findings = still;
}

/// A finding's severity as the policy counts it: `unknown` as `[security] unknown` says.
fn effective(f: &Finding, p: &SecurityPolicy) -> Severity {
    if f.severity == Severity::Unknown { p.unknown_as } else { f.severity }
}

/// What makes two findings of one tool's reports the same finding: the tool, the rule and the
/// place — path and line, or, for a finding without a path (a DAST alert of one site), the
/// tool's own fingerprint. Not the severity nor the package: one scan written as JSON and as
/// SARIF states them differently (gitleaks' JSON has no severity, its SARIF a level; Semgrep's
/// SARIF folds CRITICAL into `error`). A repeat that is more severe makes the finding counted so.
type Key<'a> = (ToolWord<'a>, Option<&'a str>, Option<&'a str>, Option<u32>, Option<u64>);

fn key(f: &Finding) -> Key<'_> {
    // `Semgrep OSS` in SARIF, `semgrep` in its JSON; `Bandit` and `bandit`.
    let tool = f.tool.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    let place = if f.path.is_none() { f.tool_fingerprint } else { None };
    (ToolWord(tool), f.rule.as_deref(), f.path.as_deref(), f.line, place)
}

/// A tool's first word, equal to another whatever their ASCII case (`Bandit`, `bandit`).
#[derive(Clone, Copy, Debug)]
struct ToolWord<'a>(&'a str);

impl PartialEq for ToolWord<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for ToolWord<'_> {}

impl std::hash::Hash for ToolWord<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for b in self.0.bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
        h.write_u8(0xff);
    }
}

/// Where a finding went when it was first read.
#[derive(Clone, Copy, Debug)]
enum Place {
    Judged(usize),
    Suppressed(usize),
    /// Already in the baseline (`new_only`).
    Existing,
}

impl<'a> Pending<'a> {
    /// The finding at `place` is in `report` too, there at severity `effective`: it counts at the
    /// more severe of the two.
    fn also_in(&mut self, place: Place, report: &'a str, effective: Severity) {
        let j = match place {
            Place::Judged(i) => &mut self.findings[i],
            Place::Suppressed(i) => &mut self.suppressed[i],
            Place::Existing => return,
        };
        j.effective = j.effective.max(effective);
        if j.report != report && !j.also_in.contains(&report) {
            j.also_in.push(report);
        }
    }
}

/// `[high] B602 (bandit): subprocess call with shell=True…`, and the reports that hold it when
/// several do.
fn evidence(j: &Judged) -> Evidence {
    let f = &j.finding;
    let rule = f.rule.as_deref().unwrap_or("(no rule)");
    let unknown = if f.severity == Severity::Unknown { " (unknown severity)" } else { "" };
    let package = f.package.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
    let reports = if j.also_in.is_empty() { String::new() } else { format!(" [in {}]", j.reports()) };
    Evidence {
        path: f.path.clone(),
        line: f.line,
        text: format!("[{}{unknown}] {rule} ({}){package}: {}{reports}", j.effective.name(), f.tool, f.message),
    }
}

fn waived_evidence(j: &Judged, w: &AppliedWaiver) -> Evidence {
    let mut e = evidence(j);
    e.text = format!("{} (waived: {} — {})", e.text, w.reason, w.at);
    e
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The rows that depend on which findings were waived, and the figures.
pub(super) fn finish(
    p: &SecurityPolicy,
    pending: Option<Pending>,
    out: &mut Vec<Check>,
    figures: &mut Figures,
) -> Option<SecurityFigures> {
    let pending = pending?;
    let unknown_note = |n: usize| {
        if n == 0 { String::new() } else { format!("; {n} of unknown severity counted as {}", p.unknown_as.name()) }
    };
    for (&severity, &max) in p.max.iter().rev() {
        let here: Vec<&Judged> = pending.findings.iter().filter(|j| j.effective == severity).collect();
        let waived: Vec<&(Judged, AppliedWaiver)> =
            pending.waived.iter().filter(|(j, _)| j.effective == severity).collect();
        let n = here.len() as u64;
        let unknown = here.iter().filter(|j| j.finding.severity == Severity::Unknown).count();
        let title = format!("{} findings", title_case(severity.name()));
        let name = severity.name();
        let (m, t) = (Measure::count(n, "findings"), Measure::count(max, "findings"));
        let waived_ev = waived.iter().map(|(j, w)| waived_evidence(j, w));
        if n <= max {
            let outcome = if n + waived.len() as u64 > max { Outcome::Waived } else { Outcome::Pass };
            let extra = if waived.is_empty() { String::new() } else { format!(" ({} waived)", waived.len()) };
            let mut c = Check::new(
                codes::SECURITY_FINDINGS,
                title,
                outcome,
                format!("{n} {name} finding(s), at most {max} allowed{extra}{}", unknown_note(unknown)),
            )
            .measured(m)
            .threshold(t)
            .evidence(waived_ev.collect());
            if outcome == Outcome::Waived {
                c.waiver = waived.first().map(|(_, w)| w.clone());
            }
            out.push(c);
            continue;
        }
        // Every finding, not the first few: the CI surfaces' files (Code Quality, warnings-ng,
        // Code Insights) carry each one, and the renderers for people cut their own lists.
        let mut ev: Vec<Evidence> = here.iter().map(|j| evidence(j)).collect();
        ev.extend(waived_ev);
        let first = here[0];
        out.push(
            Check::new(
                codes::SECURITY_FINDINGS,
                title,
                Outcome::Fail,
                format!("{n} {name} finding(s), at most {max} allowed{}", unknown_note(unknown)),
            )
            .measured(m)
            .threshold(t)
            .hint(format!(
                "fix the findings listed (reported in {}), or waive one with a reason and a date",
                first.reports()
            ))
            .evidence(ev),
        );
    }
    let edition = pending.edition;
    for &cat in &p.owasp_block {
        let here: Vec<&Judged> =
            pending.findings.iter().filter(|j| j.in_category(cat) && j.effective >= p.owasp_min_severity).collect();
        let label = edition.label(cat);
        let title = format!("OWASP {label}");
        let n = here.len() as u64;
        if n == 0 {
            out.push(
                Check::new(
                    codes::SECURITY_OWASP,
                    title,
                    Outcome::Pass,
                    format!("no {}+ finding in {label} ({})", p.owasp_min_severity.name(), edition.year()),
                )
                .measured(Measure::count(0, "findings")),
            );
            continue;
        }
        out.push(
            Check::new(
                codes::SECURITY_OWASP,
                title,
                Outcome::Fail,
                format!("{label}: {n} finding(s) at {}+ ({} edition)", p.owasp_min_severity.name(), edition.year()),
            )
            .measured(Measure::count(n, "findings"))
            .threshold(Measure::count(0, "findings"))
            .hint(format!("[security] owasp_block lists A{cat:02}: fix these findings or waive them"))
            .evidence(here.iter().map(|j| evidence(j)).collect()),
        );
    }
    if !pending.suppressed.is_empty() {
        let n = pending.suppressed.len();
        let how = if p.honor_suppressions { "honoured" } else { "not honoured" };
        out.push(
            Check::new(
                codes::SECURITY_SUPPRESSED,
                "Suppressed findings",
                Outcome::Pass,
                format!("{n} finding(s) suppressed in source or by the tool ({how})"),
            )
            .measured(Measure::count(n as u64, "findings"))
            .evidence(
                pending
                    .suppressed
                    .iter()
                    .take(50)
                    .map(|j| {
                        let mut e = evidence(j);
                        if let Some(s) = &j.finding.suppressed {
                            let why = s.justification.as_deref().map(|w| format!(": {w}")).unwrap_or_default();
                            e.text = format!("{} (suppressed {}{why})", e.text, s.kind);
                        }
                        e
                    })
                    .collect(),
            ),
        );
    }
    if !pending.fixed.is_empty() {
        let n = pending.fixed.len();
        out.push(
            Check::new(
                codes::SECURITY_FIXED,
                "Security baseline",
                Outcome::Pass,
                format!("{n} baseline finding(s) no longer found: fixed"),
            )
            .measured(Measure::count(n as u64, "findings"))
            .hint("prune them: temis security baseline")
            .evidence(
                pending
                    .fixed
                    .iter()
                    .take(20)
                    .map(|e| Evidence {
                        path: e.path.clone(),
                        line: None,
                        text: format!("fixed: {} ({})", e.rule.as_deref().unwrap_or("(no rule)"), e.tool),
                    })
                    .collect(),
            ),
        );
    }
    let mut by = BySeverity::default();
    for j in &pending.findings {
        by.add(j.finding.severity);
    }
    let mut rows = [0u64; 10];
    let mut unplaced = 0u64;
    for j in &pending.findings {
        for c in 1..=10u8 {
            if j.in_category(c) {
                rows[usize::from(c) - 1] += 1;
            }
        }
        unplaced += u64::from(j.finding.names_no_category(edition));
    }
    let total = pending.findings.len() as u64;
    figures.security_findings = Some(total);
    Some(SecurityFigures {
        owasp_edition: edition.year(),
        owasp: rows
            .iter()
            .enumerate()
            .map(|(i, &n)| OwaspRow { id: format!("A{:02}", i + 1), name: edition.names()[i].to_string(), findings: n })
            .collect(),
        // A finding that names no CWE or category may be in any of the ten: not known to be clean.
        owasp_clean: rows.iter().all(|&n| n == 0) && unplaced == 0,
        owasp_unplaced: unplaced,
        by_severity: by,
        total,
        suppressed: pending.suppressed.len() as u64,
        waived: pending.waived.len() as u64,
        existing: pending.existing,
        fixed: p.new_only.then_some(pending.fixed.len() as u64).filter(|_| pending.existing.is_some()),
    })
}

/// A baseline's entries as findings take them. An entry is one occurrence of a finding's identity:
/// its fingerprint without the occurrence number (`:2`), its rule and its path. A finding takes
/// the first entry of its identity not taken yet — or, from an entry written by hand, one of its
/// fingerprint stating its rule only, its path only, or neither; each entry is taken once. A
/// tool's own fingerprint (CodeQL's `primaryLocationLineHash`, a hash of the line's text) is the
/// same for another rule's finding on an identical line elsewhere, which passed as known; and
/// numbering by report order made a fixed finding shift the next one's number onto another
/// file's entry. The baseline holds one entry per fingerprint: the same finding in another
/// report (two npm workspaces' audits of the root lockfile) shares the entry its twin took.
struct BaselineLedger {
    by_identity: HashMap<(String, Option<String>, Option<String>), std::collections::VecDeque<usize>>,
    /// The severity each entry recorded (none in a baseline that did not say, or said a word
    /// temis does not know).
    severity: Vec<Option<Severity>>,
    taken: Vec<bool>,
    /// The fingerprints taken, with the report (its place among the reports) whose finding took
    /// each.
    taken_by: HashMap<String, usize>,
}

impl BaselineLedger {
    fn new(entries: &[BaselineEntry]) -> Self {
        let mut by_identity: HashMap<_, std::collections::VecDeque<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let key = (identity(&e.fingerprint).to_string(), e.rule.clone(), e.path.clone());
            by_identity.entry(key).or_default().push_back(i);
        }
        let severity = entries.iter().map(|e| e.severity.as_deref().and_then(Severity::parse)).collect();
        BaselineLedger { by_identity, severity, taken: vec![false; entries.len()], taken_by: HashMap::new() }
    }

    /// Whether `f`, of the `report`-th report, is known (and takes its entry).
    fn take(&mut self, f: &Finding, report: usize) -> bool {
        let id = identity(&f.fingerprint).to_string();
        let keys = [
            (id.clone(), f.rule.clone(), f.path.clone()),
            (id.clone(), f.rule.clone(), None),
            (id.clone(), None, f.path.clone()),
            (id, None, None),
        ];
        // A finding more severe than its entry recorded (a low `shell=True` on a literal now
        // high on user input; an advisory scored again, medium to critical) is new: the baseline
        // accepted the lesser one. Unknown severities (the policy says what they count as) are
        // not compared.
        let known = |s: Option<Severity>| s.filter(|s| *s != Severity::Unknown);
        let accepts = |recorded: Option<Severity>| match (known(recorded), known(Some(f.severity))) {
            (Some(recorded), Some(now)) => now <= recorded,
            _ => true,
        };
        for key in &keys {
            let Some(queue) = self.by_identity.get_mut(key) else { continue };
            // The least severe entry that accepts it: a high entry taken by a low finding left
            // the high finding of the same identity new, though the pairs matched.
            let tightest = queue
                .iter()
                .enumerate()
                .filter(|(_, i)| accepts(self.severity[**i]))
                .min_by_key(|(_, i)| (self.severity[**i].is_none(), self.severity[**i]))
                .map(|(at, _)| at);
            if let Some(at) = tightest {
                let i = queue.remove(at).expect("a position in the queue");
                self.taken[i] = true;
                self.taken_by.insert(f.fingerprint.clone(), report);
                return true;
            }
        }
        // Its entry recorded it less severe: the finding is new, and the entry is no fixed one.
        if let Some(i) = keys.iter().find_map(|key| self.by_identity.get_mut(key)?.pop_front()) {
            self.taken[i] = true;
            return false;
        }
        self.taken_by.get(&f.fingerprint).is_some_and(|&by| by != report)
    }

    /// The entries no finding took: fixed.
    fn untaken(&self, entries: &[BaselineEntry]) -> Vec<BaselineEntry> {
        entries.iter().zip(&self.taken).filter(|(_, t)| !**t).map(|(e, _)| e.clone()).collect()
    }
}

/// A fingerprint without its occurrence number (`abc:2` is `abc`).
fn identity(fingerprint: &str) -> &str {
    fingerprint.split_once(':').map_or(fingerprint, |(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::{Inputs, Status, evaluate};
    use crate::input::Input;
    use crate::model::security::Baseline;
    use crate::policy::{Date, Policy};

    fn bandit(name: &str) -> (ReportRef, SecurityReport) {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/security/bandit-json").join(name);
        let report = crate::parsers::bandit::parse(&Input::file(&path).open().unwrap()).unwrap();
        (ReportRef { path: name.into(), format: "bandit-json", kind: "security" }, report)
    }

    fn policy(security: &str, extra: &str) -> Policy {
        let text = format!("[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\n{security}\n{extra}");
        Policy::parse("temis.toml", &text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn inputs(reports: Vec<(ReportRef, SecurityReport)>) -> Inputs {
        Inputs { security: reports, ..Inputs::default() }
    }

    const TODAY: Date = Date { year: 2027, month: 1, day: 1 };

    fn check<'a>(v: &'a crate::gate::Verdict, code: &str, title: &str) -> &'a Check {
        v.checks.iter().find(|c| c.code == code && c.title == title).unwrap_or_else(|| panic!("{code} {title}"))
    }

    #[test]
    fn limits_per_severity_block_with_the_findings_as_evidence() {
        let v = evaluate(&policy("", ""), &inputs(vec![bandit("app.json")]), TODAY);
        assert_eq!(v.status, Status::Blocked);
        let c = check(&v, codes::SECURITY_FINDINGS, "High findings");
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.evidence[0].path.as_deref(), Some("app/db.py"));
        assert_eq!(c.evidence[0].line, Some(41));
        assert!(c.evidence[0].text.starts_with("[high] B602 (bandit)"), "{}", c.evidence[0].text);
        let s = v.security.as_ref().unwrap();
        assert_eq!(s.owasp[2].findings, 2, "B608 (CWE-89) and B602 (CWE-78) are A03 Injection");
        assert!(!s.owasp_clean);
        let v = evaluate(&policy("max = { high = 1 }", ""), &inputs(vec![bandit("app.json")]), TODAY);
        assert_eq!(v.status, Status::Approved);
    }

    /// A finding that names no CWE or category may be in any of the ten: the table said "OWASP
    /// Top 10: clean" beside a critical shell injection whose rule named no CWE.
    #[test]
    fn a_finding_in_no_category_is_not_clean() {
        let (r, mut report) = bandit("app.json");
        for f in &mut report.findings {
            (f.cwe, f.owasp) = (Vec::new(), Vec::new());
        }
        let n = report.findings.len() as u64;
        let v = evaluate(&policy("max = { high = 99 }", ""), &inputs(vec![(r, report)]), TODAY);
        let s = v.security.as_ref().unwrap();
        assert!(s.owasp.iter().all(|row| row.findings == 0));
        assert_eq!((s.owasp_clean, s.owasp_unplaced), (false, n));
        let shown = crate::render::verdict::human::render(&v, crate::output::Paint(false));
        assert!(shown.contains(&format!("OWASP Top 10: {n} findings name no CWE or category")), "{shown}");
        assert!(!shown.contains("OWASP Top 10: clean"), "{shown}");
        // Tagged with the 2025 edition's category only, it is in no row of 2021's table either.
        let (r, mut report) = bandit("app.json");
        for f in &mut report.findings {
            f.cwe = Vec::new();
            f.owasp = vec![crate::model::owasp::OwaspRef { edition: crate::model::owasp::Edition::Y2025, category: 5 }];
        }
        let v = evaluate(&policy("max = { high = 99 }", ""), &inputs(vec![(r, report)]), TODAY);
        assert_eq!(v.security.as_ref().map(|s| (s.owasp_clean, s.owasp_unplaced)), Some((false, n)));
        let v = evaluate(&policy("", ""), &inputs(Vec::new()), TODAY);
        assert!(v.security.as_ref().is_none_or(|s| s.owasp_clean && s.owasp_unplaced == 0));
    }

    /// bandit's JSON and its SARIF of one scan, both found by default, count each finding once
    /// (they counted twice: "2 high findings" for bandit's one) and say where it appeared.
    #[test]
    fn one_scan_in_two_formats_counts_each_finding_once() {
        let (json_ref, json) = bandit("app.json");
        let (_, mut sarif) = bandit("app.json");
        for f in &mut sarif.findings {
            f.tool = "Bandit".into();
        }
        let sarif_ref = ReportRef { path: "app.sarif".into(), format: "sarif", kind: "security" };
        let once = evaluate(&policy("", ""), &inputs(vec![(json_ref.clone(), json.clone())]), TODAY);
        let both = evaluate(&policy("", ""), &inputs(vec![(json_ref, json), (sarif_ref, sarif)]), TODAY);
        assert_eq!(both.security.as_ref().unwrap().total, once.security.as_ref().unwrap().total);
        let c = check(&both, codes::SECURITY_FINDINGS, "High findings");
        assert_eq!(c.measured, check(&once, codes::SECURITY_FINDINGS, "High findings").measured);
        assert!(c.evidence[0].text.ends_with("[in app.json, app.sarif]"), "{}", c.evidence[0].text);
        // Two identical findings in one report stay two.
        let (r, mut twice) = bandit("app.json");
        let first = twice.findings[0].clone();
        twice.findings.push(first);
        let v = evaluate(&policy("", ""), &inputs(vec![(r, twice)]), TODAY);
        assert_eq!(v.security.unwrap().total, once.security.unwrap().total + 1);
    }

    /// Across reports, a finding is a repeat only at the same place: one alert of two sites (no
    /// path, the tool's fingerprint tells them apart) is two. A repeat at another severity is
    /// counted once, at the more severe (it was dropped, and the gate approved what one report
    /// alone blocked). Only a report of another format repeats a finding: two of one format are
    /// two scans, whose findings all count (two projects' Snyk reports, each naming its
    /// `package-lock.json`, counted one medium finding between them and passed `medium = 1`).
    #[test]
    fn findings_of_other_sites_are_not_repeats_and_a_repeat_counts_at_its_worst() {
        let finding = |severity: Severity, site: &str| {
            let mut f = Finding::new("zap", crate::model::security::FindingKind::Code, severity);
            f.rule = Some("10097".into());
            f.set_tool_fingerprint(site);
            f
        };
        let report = |name: &str, format: &'static str, f: Finding| {
            let mut r = SecurityReport { tools: vec!["zap".into()], findings: vec![f], ..SecurityReport::default() };
            r.finish();
            (ReportRef { path: name.into(), format, kind: "security" }, r)
        };
        let judged_as = |second: &'static str, a: Finding, b: Finding| {
            let both = vec![report("a.json", "zap-json", a), report("b.sarif", second, b)];
            let v = evaluate(&policy("", ""), &inputs(both), TODAY);
            (v.security.as_ref().unwrap().total, v.status)
        };
        let judged = |a: Finding, b: Finding| judged_as("sarif", a, b);
        let low = finding(Severity::Low, "http://shop");
        assert_eq!(judged(low.clone(), finding(Severity::Low, "http://admin")).0, 2);
        assert_eq!(judged(low.clone(), low.clone()).0, 1, "the same alert in two reports is one");
        assert_eq!(judged_as("zap-json", low.clone(), low.clone()).0, 2, "two scans of one format are two");
        // One finding at two severities (gitleaks: none in its JSON, a level in its SARIF;
        // Semgrep's SARIF folds CRITICAL into error) is one, counted at the more severe.
        assert_eq!(judged(low.clone(), finding(Severity::High, "http://shop")), (1, Status::Blocked));
        assert_eq!(judged(finding(Severity::High, "http://shop"), low), (1, Status::Blocked));
    }

    #[test]
    fn owasp_categories_that_block() {
        let p = policy("max = { high = 5 }\nowasp_block = [\"A03\"]\nowasp_min_severity = \"high\"", "");
        let v = evaluate(&p, &inputs(vec![bandit("app.json")]), TODAY);
        let c = check(&v, codes::SECURITY_OWASP, "OWASP A03 Injection");
        assert_eq!((c.outcome, c.measured.map(|m| m.value)), (Outcome::Fail, Some(1.0)), "only B602 is high");
        assert!(c.message.starts_with("A03 Injection: 1 finding(s)"), "{}", c.message);
    }

    #[test]
    fn an_expired_waiver_stops_applying() {
        let waiver = "[[waivers]]\nrule = \"B602\"\npaths = [\"app/**\"]\nreason = \"input is a constant\"\nexpires = 2027-03-31\n";
        let p = policy("", waiver);
        let v = evaluate(&p, &inputs(vec![bandit("app.json")]), TODAY);
        assert_eq!(v.status, Status::Approved);
        assert_eq!(check(&v, codes::SECURITY_FINDINGS, "High findings").outcome, Outcome::Waived);
        let v = evaluate(&p, &inputs(vec![bandit("app.json")]), Date::new(2027, 4, 1));
        assert_eq!(v.status, Status::Blocked);
        assert!(v.checks.iter().any(|c| c.code == codes::WAIVER_EXPIRED));
        let by_fingerprint = {
            let (_, r) = bandit("app.json");
            format!("[[waivers]]\nfingerprint = \"{}\"\nreason = \"r\"\n", r.findings[1].fingerprint)
        };
        let v = evaluate(&policy("", &by_fingerprint), &inputs(vec![bandit("app.json")]), TODAY);
        assert_eq!(v.status, Status::Approved);
    }

    #[test]
    fn a_finding_moved_30_lines_down_is_still_not_new() {
        let (_, base) = bandit("app.json");
        let baseline = Baseline::of(base.findings.iter());
        let mut i = inputs(vec![bandit("app-moved.json")]);
        assert_eq!(i.security[0].1.findings[1].line, Some(71));
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(v.status, Status::Approved, "{:#?}", v.checks);
        let s = v.security.unwrap();
        assert_eq!((s.total, s.existing, s.fixed), (0, Some(2), Some(0)));
    }

    /// A tool's fingerprint is a hash of a line's text (CodeQL's `primaryLocationLineHash`): a new
    /// rule's finding on an identical line of another file has it too, and passed as known. A
    /// finding is a baseline entry's only with the entry's rule and path.
    #[test]
    fn a_fingerprint_of_another_rule_or_file_is_not_the_baselines() {
        let (_, base) = bandit("app.json");
        for (rule, path) in [(Some("B999"), None), (None, Some("other/app.py"))] {
            let mut baseline = Baseline::of(base.findings.iter());
            for e in &mut baseline.findings {
                if let Some(r) = rule {
                    e.rule = Some(r.into());
                }
                if let Some(p) = path {
                    e.path = Some(p.into());
                }
            }
            let mut i = inputs(vec![bandit("app.json")]);
            i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
            let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
            assert_eq!(v.status, Status::Blocked, "{rule:?} {path:?}: {:#?}", v.checks);
            assert_eq!(v.security.unwrap().existing, Some(0));
        }
        // An entry that states neither (written by hand) is matched by its fingerprint alone.
        let mut baseline = Baseline::of(base.findings.iter());
        for e in &mut baseline.findings {
            (e.rule, e.path) = (None, None);
        }
        let mut i = inputs(vec![bandit("app.json")]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
        assert_eq!(evaluate(&policy("new_only = true", ""), &i, TODAY).status, Status::Approved);
    }

    /// A finding its baseline entry recorded as less severe (bandit's B602 `shell=True` low on a
    /// literal, high once the argument is the user's; an advisory scored again) passed as known:
    /// the baseline accepted the lesser one. More severe than recorded, it is new.
    #[test]
    fn a_finding_more_severe_than_its_baseline_entry_is_new() {
        let (_, base) = bandit("app.json");
        let worst = base.findings.iter().map(|f| f.severity).max().unwrap();
        assert!(worst > Severity::Low, "the fixture has a finding above low");
        let lowered = |to: &str| {
            let mut baseline = Baseline::of(base.findings.iter());
            for e in &mut baseline.findings {
                e.severity = Some(to.into());
            }
            let mut i = inputs(vec![bandit("app.json")]);
            i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
            evaluate(&policy("new_only = true", ""), &i, TODAY)
        };
        let v = lowered("low");
        assert_eq!(v.status, Status::Blocked, "{:#?}", v.checks);
        // Its entry is no fixed finding: the finding is still there.
        assert_eq!(v.security.as_ref().unwrap().fixed, Some(0));
        // Recorded at its severity or above, or with none (an older baseline, a word unknown), it is known.
        for same in [worst.name(), "critical", "unknown", "severe"] {
            assert_eq!(lowered(same).status, Status::Approved, "{same}");
        }
    }

    /// Two entries of one identity, high and low, and the same two findings: the low finding
    /// took the high entry first, and the high finding was new though a pairing existed.
    #[test]
    fn each_finding_takes_the_least_severe_entry_that_accepts_it() {
        let finding = |severity: Severity| {
            let mut f = Finding::new("CodeQL", crate::model::FindingKind::Code, severity);
            f.rule = Some("py/sql-injection".into());
            f.path = Some("app.py".into());
            f.fingerprint = "same".into();
            f
        };
        let entry = |severity: &str| BaselineEntry {
            fingerprint: "same".into(),
            tool: "CodeQL".into(),
            rule: Some("py/sql-injection".into()),
            path: Some("app.py".into()),
            severity: Some(severity.into()),
        };
        let entries = [entry("high"), entry("low")];
        let mut ledger = BaselineLedger::new(&entries);
        assert!(ledger.take(&finding(Severity::Low), 0));
        assert!(ledger.take(&finding(Severity::High), 0), "the high entry is still there for it");
        assert!(ledger.untaken(&entries).is_empty());
    }

    /// One rule on an identical line in `a.py` and `b.py`: one tool fingerprint, the second
    /// numbered `:2`. With `a.py`'s fixed, `b.py`'s takes the number-less fingerprint: still
    /// `b.py`'s entry, not new (matched by number, it met `a.py`'s entry and blocked).
    #[test]
    fn a_fixed_finding_does_not_make_its_twin_new() {
        let finding = |path: &str| {
            let mut f = Finding::new("CodeQL", crate::model::FindingKind::Code, Severity::Critical);
            f.rule = Some("py/sql-injection".into());
            f.path = Some(path.into());
            f.set_tool_fingerprint("deadbeef:1");
            f
        };
        let report = |paths: &[&str]| {
            let mut r = SecurityReport { tools: vec!["CodeQL".into()], ..SecurityReport::default() };
            r.findings = paths.iter().map(|p| finding(p)).collect();
            r.finish();
            let rr = ReportRef { path: "codeql.sarif".into(), format: "sarif", kind: "security" };
            (rr, r)
        };
        let baseline = Baseline::of(report(&["a.py", "b.py"]).1.findings.iter());
        let mut i = inputs(vec![report(&["b.py"])]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline: baseline.clone() };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(v.status, Status::Approved, "{:#?}", v.checks);
        let s = v.security.unwrap();
        assert_eq!((s.existing, s.fixed), (Some(1), Some(1)));
        // A second finding of the same identity beyond the baseline's is new.
        let mut i = inputs(vec![report(&["b.py", "b.py", "a.py"])]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(v.status, Status::Blocked, "{:#?}", v.checks);
        assert_eq!(v.security.unwrap().existing, Some(2));
        // The same finding in two reports of one format (two workspaces' audits of one lockfile):
        // the baseline holds it once, and both share the entry.
        let one = Baseline::of(report(&["b.py"]).1.findings.iter());
        let mut i = inputs(vec![report(&["b.py"]), report(&["b.py"])]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline: one.clone() };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(v.status, Status::Approved, "{:#?}", v.checks);
        // An entry written by hand with its rule and no path still matches.
        let mut by_hand = one;
        by_hand.findings[0].path = None;
        let mut i = inputs(vec![report(&["b.py"])]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline: by_hand };
        assert_eq!(evaluate(&policy("new_only = true", ""), &i, TODAY).status, Status::Approved);
    }

    #[test]
    fn fixed_findings_are_reported_and_a_missing_baseline_warns() {
        let mut baseline = Baseline::of(bandit("app.json").1.findings.iter());
        baseline.findings.push(BaselineEntry {
            fingerprint: "gone".into(),
            tool: "bandit".into(),
            ..Default::default()
        });
        let mut i = inputs(vec![bandit("app.json")]);
        i.security_baseline = BaselineInput::Found { at: "test".into(), baseline };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(check(&v, codes::SECURITY_FIXED, "Security baseline").outcome, Outcome::Pass);
        let mut i = inputs(vec![bandit("app.json")]);
        i.security_baseline = BaselineInput::Missing { why: "there is no baseline".into() };
        let v = evaluate(&policy("new_only = true", ""), &i, TODAY);
        assert_eq!(v.status, Status::Blocked, "without a baseline every finding is new");
        assert!(v.checks.iter().any(|c| c.code == codes::SECURITY_BASELINE));
    }

    #[test]
    fn incomplete_scans_and_unknown_severities() {
        let mut r = SecurityReport::default();
        r.incomplete.push("3 of 3 dependencies were not audited".into());
        let mut f = Finding::new("pip-audit", crate::model::FindingKind::Dependency, Severity::Unknown);
        f.rule = Some("PYSEC-2021-1".into());
        r.findings.push(f);
        r.finish();
        let rr = ReportRef { path: "pip-audit.json".into(), format: "pip-audit-json", kind: "security" };
        let v = evaluate(&policy("", ""), &inputs(vec![(rr.clone(), r.clone())]), TODAY);
        assert_eq!(check(&v, codes::SECURITY_INCOMPLETE, "Security scan").outcome, Outcome::Fail);
        let c = check(&v, codes::SECURITY_FINDINGS, "High findings");
        assert!(c.message.contains("1 of unknown severity counted as high"), "{}", c.message);
        assert_eq!(v.security.as_ref().unwrap().owasp[5].findings, 1, "dependencies are A06:2021");
        let v = evaluate(&policy("unknown = \"low\"\nallow_incomplete = true", ""), &inputs(vec![(rr, r)]), TODAY);
        assert_eq!(v.status, Status::Approved);
    }

    #[test]
    fn suppressed_findings_left_out_of_the_report_block_when_suppressions_are_not_honoured() {
        // bandit counts two `# nosec` lines and lists neither.
        let text =
            r#"{"errors":[],"metrics":{"_totals":{"nosec":2,"skipped_tests":0},"app.py":{"nosec":2}},"results":[]}"#;
        let r = crate::parsers::bandit::parse(&crate::input::Source::bytes("bandit.json", text.as_bytes())).unwrap();
        let rr = ReportRef { path: "bandit.json".into(), format: "bandit-json", kind: "security" };
        let v = evaluate(&policy("honor_suppressions = false", ""), &inputs(vec![(rr.clone(), r.clone())]), TODAY);
        assert_eq!(v.status, Status::Blocked, "{:#?}", v.checks);
        let c = check(&v, codes::SECURITY_SUPPRESSED_UNLISTED, "Suppressed findings");
        assert!(c.message.contains("left 2 suppressed finding(s)"), "{}", c.message);
        assert!(c.hint.as_deref().unwrap_or("").contains("--ignore-nosec"), "{:?}", c.hint);
        let v = evaluate(&policy("", ""), &inputs(vec![(rr, r)]), TODAY);
        assert_eq!(v.status, Status::Approved, "honoured: what bandit left out is excused");
    }

    /// Semgrep's JSON drops `nosemgrep` matches without a count: with suppressions not honoured,
    /// a clean-looking report whose only high finding was silenced approved (its SARIF blocked).
    #[test]
    fn semgrep_json_cannot_show_suppressed_findings_when_suppressions_are_not_honoured() {
        let text = r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":["app/main.py"]}}"#;
        let r = crate::parsers::semgrep::parse(&crate::input::Source::bytes("semgrep.json", text.as_bytes())).unwrap();
        let rr = ReportRef { path: "semgrep.json".into(), format: "semgrep-json", kind: "security" };
        let v = evaluate(&policy("honor_suppressions = false", ""), &inputs(vec![(rr.clone(), r.clone())]), TODAY);
        assert_eq!(v.status, Status::Blocked, "{:#?}", v.checks);
        let c = check(&v, codes::SECURITY_SUPPRESSED_UNLISTED, "Suppressed findings");
        assert!(c.message.contains("without counting them") && c.measured.is_none(), "{}", c.message);
        assert!(c.hint.as_deref().unwrap_or("").contains("--sarif-output"), "{:?}", c.hint);
        let v = evaluate(&policy("", ""), &inputs(vec![(rr, r)]), TODAY);
        assert_eq!(v.status, Status::Approved, "honoured: what Semgrep left out is excused");
    }

    #[test]
    fn a_waiver_of_one_advisory_does_not_excuse_a_package_with_a_worse_one() {
        let text = r#"{"auditReportVersion":2,"vulnerabilities":{"lodash":{"name":"lodash","severity":"critical","via":[
            {"source":1,"url":"https://github.com/advisories/GHSA-aaaa-aaaa-aaaa","severity":"low"},
            {"source":2,"url":"https://github.com/advisories/GHSA-bbbb-bbbb-bbbb","severity":"critical"}]}}}"#;
        let r =
            crate::parsers::npm_audit::parse(&crate::input::Source::bytes("npm-audit.json", text.as_bytes())).unwrap();
        let rr = ReportRef { path: "npm-audit.json".into(), format: "npm-audit-json", kind: "security" };
        let waiver = |id: &str| format!("[[waivers]]\nid = \"{id}\"\nreason = \"r\"\n");
        let v = evaluate(&policy("", &waiver("GHSA-aaaa-aaaa-aaaa")), &inputs(vec![(rr.clone(), r.clone())]), TODAY);
        assert_eq!(v.status, Status::Blocked, "{:#?}", v.checks);
        let v = evaluate(&policy("", &waiver("GHSA-*")), &inputs(vec![(rr, r)]), TODAY);
        assert_eq!(v.status, Status::Approved, "a waiver naming every advisory excuses it");
    }

    #[test]
    fn no_security_report_adds_no_row_unless_required() {
        let v = evaluate(&policy("", ""), &Inputs::default(), TODAY);
        assert!(v.checks.iter().all(|c| c.family != "security"), "{:?}", v.checks);
        assert!(v.security.is_none());
        let v = evaluate(&policy("required = true", ""), &Inputs::default(), TODAY);
        assert_eq!(v.status, Status::CouldNotJudge);
    }
}
