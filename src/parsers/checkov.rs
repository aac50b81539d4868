//! Checkov's JSON (`checkov -d . -o json`, `checkov -f FILE -o json`): one check-type object
//! (`terraform`, `dockerfile`, `kubernetes`…), or a list of them when several frameworks ran.
//!
//! One finding is one element of `results.failed_checks[]` (a misconfiguration: configuration
//! findings). The severity is the check's `severity` (CRITICAL, HIGH, MEDIUM, LOW, INFO), which
//! plain checkov leaves `null` (only the Prisma Cloud platform fills it): `null` → unknown, which
//! the policy's `[security] unknown` decides (high by default: a failed check is never silently a
//! pass). `results.skipped_checks[]` (a `#checkov:skip=` comment) are kept as suppressed
//! findings with their comment; `results.parsing_errors[]` (files checkov could not parse) are
//! tool errors — but parsing errors with no check run at all (no passed, failed or skipped
//! check) mean nothing was scanned: incomplete. The rule is `check_id`, the place `file_path` and the first line of
//! `file_line_range`, the identity for `new_only` the rule, the file and the `resource`.
//! Checkov writes a bare summary (`{"passed": 0, "failed": 0, …}`; checkov 2 spells two of its
//! counts `parsingerrors` and `resourcecount`) when no file is of the framework asked for, and
//! exits 0: a document in which no check ran (none listed, none stated) measured nothing and is
//! incomplete, as is a bare summary that states failed checks or parsing errors. The counts
//! (`passed`, `failed`, `skipped`, `parsing_errors`, `resource_count`) are whole numbers ≥ 0;
//! of any other type they are errors, never zero. Likewise a check type whose `summary.failed` is more than the failed checks it lists (no
//! `results`, no or an empty `failed_checks`) is incomplete, and so is a document with no check
//! type at all (`[]`). Each object's `summary` is summed into `extra`. `failed_checks` must be a
//! list of objects; `null` there is not read as an empty list (incomplete).

use std::collections::BTreeMap;

use serde::Deserialize;

use serde::Deserializer;
use serde::de::IgnoredAny;

use super::json::Count;
use super::tolerant::{First, LineNo, LooseList, Named, Object, Objects, OneOrList, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression, Unlisted};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckType {
    check_type: Text,
    results: Option<Object<Results>>,
    summary: Option<Object<Counts>>,
    /// The bare summary checkov writes when it scanned nothing: the same counts at the top.
    #[serde(flatten)]
    bare: Counts,
    checkov_version: Text,
}

/// Checkov's counts: a check type's `summary`, or the bare summary (checkov 2 spells two of
/// them `parsingerrors` and `resourcecount`). The verdict depends on them: each is a whole number
/// ≥ 0 when it is there, and anything else is an error.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default)]
struct Counts {
    passed: Option<Count>,
    failed: Option<Count>,
    skipped: Option<Count>,
    #[serde(alias = "parsingerrors")]
    parsing_errors: Option<Count>,
    #[serde(alias = "resourcecount")]
    resource_count: Option<Count>,
}

impl Counts {
    fn is_stated(&self) -> bool {
        [self.passed, self.failed, self.skipped, self.parsing_errors, self.resource_count].iter().any(Option::is_some)
    }

    /// `(name, value)` of each count stated, for the report's `extra`.
    fn stated(&self) -> impl Iterator<Item = (&'static str, u64)> {
        [
            ("passed", self.passed),
            ("failed", self.failed),
            ("skipped", self.skipped),
            ("parsing_errors", self.parsing_errors),
            ("resource_count", self.resource_count),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|Count(n)| (k, n)))
    }

    fn get(count: Option<Count>) -> u64 {
        count.map_or(0, |Count(n)| n)
    }

    /// Checks run, as stated.
    fn checks(&self) -> u64 {
        Self::get(self.passed).saturating_add(Self::get(self.failed)).saturating_add(Self::get(self.skipped))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Results {
    /// `None` when the key is missing, `Some(None)` when it is `null`.
    #[serde(deserialize_with = "present")]
    failed_checks: Option<Option<Objects<Check>>>,
    passed_checks: LooseList<IgnoredAny>,
    skipped_checks: Objects<Check>,
    parsing_errors: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Check {
    check_id: Text,
    check_name: Text,
    file_path: Text,
    file_line_range: First<LineNo>,
    resource: Text,
    severity: Text,
    suppress_comment: Text,
    check_result: CheckResult,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckResult {
    suppress_comment: Text,
}

/// A key that is there: `Some(None)` for `null`, `Some(Some(list))` for a list.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Objects<Check>>>, D::Error> {
    Option::<Objects<Check>>::deserialize(d).map(Some)
}

impl Named for CheckType {
    const WHAT: &'static str = "a Checkov report: a check-type object, or a list of them";
}

/// Checkov's severity word, normalized (`null` → unknown).
pub fn severity(word: Option<&str>) -> Severity {
    match word.unwrap_or("").trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        "INFO" => Severity::Info,
        _ => Severity::Unknown,
    }
}

fn finding(c: Check, check_type: Option<&str>) -> Finding {
    let mut f = Finding::new("checkov", FindingKind::Config, severity(c.severity.as_deref()));
    f.native_severity = c.severity.0.map(Into::into);
    f.rule = c.check_id.0;
    let path = c.file_path.0.map(|p| p.trim_start_matches('/').to_string());
    f.path = path.clone();
    f.line = c.file_line_range.0.and_then(|l| l.0);
    let resource = c.resource.0.unwrap_or_default();
    let kind = check_type.map(|t| format!(" [{t}]")).unwrap_or_default();
    f.set_message(&format!("{}: {resource}{kind}", c.check_name.as_deref().unwrap_or("failed check")));
    f.set_tool_fingerprint(&format!(
        "{}|{}|{resource}",
        f.rule.as_deref().unwrap_or(""),
        path.as_deref().unwrap_or("")
    ));
    f
}

/// Adds a check type's counts to the running sums.
fn add_summary(sums: &mut BTreeMap<&'static str, u64>, counts: &Counts) {
    for (k, v) in counts.stated() {
        let sum = sums.entry(k).or_default();
        *sum = sum.saturating_add(v);
    }
}

/// Reads a Checkov JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let OneOrList::<CheckType>(types) = super::json::read_doc(input)?;
    let mut report = SecurityReport { tools: vec!["checkov".into()], ..SecurityReport::default() };
    let mut summary: BTreeMap<&str, u64> = BTreeMap::new();
    if types.is_empty() {
        report.incomplete.push("checkov report lists no check type: nothing was scanned".into());
    }
    // Checks run in the whole document, listed or stated.
    let (mut ran, mut unlisted_skipped) = (0u64, 0u64);
    for t in types {
        let what = t.check_type.as_deref().map(|c| format!("{c} checks")).unwrap_or_else(|| "checks".into());
        let Some(Object(results)) = t.results else {
            let Some(Object(stated)) = t.summary.or_else(|| t.bare.is_stated().then_some(Object(t.bare))) else {
                if t.checkov_version.0.is_none() {
                    return Err(ParseError::whole("no `results` and no summary: not a Checkov report"));
                }
                report.incomplete.push(format!("checkov wrote no `results` and no counts for {what}"));
                continue;
            };
            let (failed, parse_errors) = (Counts::get(stated.failed), Counts::get(stated.parsing_errors));
            if failed > 0 {
                report.incomplete.push(format!(
                    "checkov's summary states {failed} failed {what} but the report has no `results` (0 listed)"
                ));
            }
            if parse_errors > 0 && stated.checks() == 0 {
                report.incomplete.push(format!(
                    "checkov could not parse {parse_errors} file(s) and ran no {what}: nothing was scanned"
                ));
            }
            ran = ran.saturating_add(stated.checks());
            unlisted_skipped = unlisted_skipped.saturating_add(Counts::get(stated.skipped));
            add_summary(&mut summary, &stated);
            continue;
        };
        let stated = t.summary.map(|Object(s)| s).unwrap_or_default();
        let check_type = t.check_type.0;
        let failed = match results.failed_checks {
            Some(Some(list)) => list.0,
            Some(None) => {
                report.incomplete.push(format!("checkov's results.failed_checks for {what} is null, not a list"));
                Vec::new()
            }
            None => Vec::new(),
        };
        let stated_failed = Counts::get(stated.failed);
        if stated_failed > failed.len() as u64 {
            report
                .incomplete
                .push(format!("checkov's summary states {stated_failed} failed {what} but lists {}", failed.len()));
        }
        // `--quiet` leaves the skipped checks out of `results` and counts them in the summary.
        unlisted_skipped = unlisted_skipped
            .saturating_add(Counts::get(stated.skipped).saturating_sub(results.skipped_checks.0.len() as u64));
        let listed = failed.len() + results.skipped_checks.0.len() + results.passed_checks.0.len();
        let parse_errors = (results.parsing_errors.0.len() as u64).max(Counts::get(stated.parsing_errors));
        if parse_errors > 0 && listed == 0 && stated.checks() == 0 {
            report
                .incomplete
                .push(format!("checkov could not parse {parse_errors} file(s) and ran no {what}: nothing was scanned"));
        }
        ran = ran.saturating_add((listed as u64).max(stated.checks()));
        for c in failed {
            report.findings.push(finding(c, check_type.as_deref()));
        }
        for mut c in results.skipped_checks.0 {
            let why = c.suppress_comment.take().or_else(|| c.check_result.suppress_comment.take());
            let mut f = finding(c, check_type.as_deref());
            f.suppressed =
                Some(Suppression { kind: "inSource".into(), justification: why.or(Some("checkov:skip".into())) });
            report.findings.push(f);
        }
        for p in results.parsing_errors.0 {
            report.errors.push(format!("checkov could not parse {p}"));
        }
        add_summary(&mut summary, &stated);
    }
    if unlisted_skipped > 0 {
        report.unlisted_suppressed = Some(Unlisted {
            count: Some(unlisted_skipped),
            fix: "run checkov without --quiet, which leaves the skipped checks out of the report".into(),
        });
        report.notes.push(format!(
            "checkov counts {unlisted_skipped} skipped check(s) (`#checkov:skip=`) that its report does not list \
             (--quiet leaves them out)"
        ));
    }
    if ran == 0 && report.incomplete.is_empty() {
        report.incomplete.push(
            "checkov ran no check (0 passed, 0 failed, 0 skipped): nothing was scanned; checkov writes this when \
             no file it read is of the framework asked for — point it at the infrastructure files (-d DIR, -f \
             FILE, --framework)"
                .into(),
        );
    }
    for (k, v) in summary {
        report.extra.insert(format!("summary_{k}"), v.into());
    }
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("checkov.json", text.as_bytes()))
    }

    #[test]
    fn failed_checks_are_findings_and_skipped_ones_suppressed() {
        let r = read(r#"[{"check_type":"terraform","results":{"passed_checks":[],
"failed_checks":[{"check_id":"CKV_AWS_20","check_name":"S3 Bucket has an ACL defined which allows public READ access.","file_path":"/main.tf","file_line_range":[1,8],"resource":"aws_s3_bucket.data","severity":null},
{"check_id":"CKV_GCP_29","check_name":"uniform access","file_path":"/gcs.tf","file_line_range":[1,15],"resource":"google_storage_bucket.w","severity":"MEDIUM"}],
"skipped_checks":[{"check_id":"CKV_AWS_18","check_name":"logging","file_path":"/main.tf","file_line_range":[1,8],"resource":"aws_s3_bucket.data","check_result":{"result":"SKIPPED","suppress_comment":"logs go elsewhere"}}],
"parsing_errors":["/broken.tf"]},"summary":{"passed":3,"failed":2,"skipped":1,"parsing_errors":1,"resource_count":2,"checkov_version":"3.2.0"}},
{"check_type":"dockerfile","results":{"failed_checks":[]},"summary":{"passed":1,"failed":0}}]"#)
        .unwrap();
        let s = r.summary();
        assert_eq!((s.total, s.by_severity.unknown, s.by_severity.medium, s.suppressed), (2, 1, 1, 1));
        let f = &r.findings[0];
        assert_eq!((f.path.as_deref(), f.line, f.rule.as_deref()), (Some("main.tf"), Some(1), Some("CKV_AWS_20")));
        assert_eq!(r.errors, ["checkov could not parse /broken.tf"]);
        let skipped = r.findings.iter().find(|f| f.suppressed.is_some()).unwrap();
        assert_eq!(skipped.suppressed.as_ref().unwrap().justification.as_deref(), Some("logs go elsewhere"));
        assert_eq!(r.extra.get("summary_passed"), Some(&serde_json::json!(4)));
        assert!(r.unlisted_suppressed.is_none());
    }

    /// `checkov --quiet` leaves the skipped checks out and counts them: with suppressions not
    /// honoured, a finding skipped by `#checkov:skip=` approved as if it were not there.
    #[test]
    fn skipped_checks_counted_and_not_listed_are_unlisted_suppressions() {
        let quiet = r#"[{"check_type":"terraform","results":{"failed_checks":[]},
"summary":{"passed":2,"failed":0,"skipped":1,"parsing_errors":0,"resource_count":1,"checkov_version":"3.2.0"}}]"#;
        let r = read(quiet).unwrap();
        assert_eq!(r.unlisted_suppressed.as_ref().map(|u| u.count), Some(Some(1)));
        assert!(r.unlisted_suppressed.as_ref().unwrap().fix.contains("--quiet"));
        let listed = quiet.replace(
            r#""failed_checks":[]"#,
            r#""failed_checks":[],"skipped_checks":[{"check_id":"CKV_AWS_18","file_path":"/main.tf"}]"#,
        );
        assert!(read(&listed).unwrap().unlisted_suppressed.is_none());
    }

    /// A scan that ran no check measured nothing: checkov writes a bare summary of zeros (and
    /// exits 0) when no file is of the framework asked for. It used to approve.
    #[test]
    fn a_scan_that_ran_no_check_is_incomplete() {
        for text in [
            r#"{"passed":0,"failed":0,"skipped":0,"parsingerrors":0,"resourcecount":0,"checkov_version":"2.1.269"}"#,
            r#"{"passed":0,"failed":0,"skipped":0,"parsing_errors":0,"resource_count":0,"checkov_version":"3.2.489"}"#,
            r#"{"check_type":"terraform","results":{}}"#,
            r#"{"check_type":"terraform","results":{"passed_checks":[],"failed_checks":[],"skipped_checks":[]},
"summary":{"passed":0,"failed":0,"skipped":0,"parsing_errors":0,"resource_count":0}}"#,
            r#"{"check_type":"terraform","checkov_version":"3.2.0"}"#,
        ] {
            let r = read(text).unwrap();
            assert!(r.is_incomplete(), "{text}");
            assert_eq!(r.summary().total, 0);
        }
        let r = read(r#"{"passed":0,"failed":0,"skipped":0,"parsing_errors":0,"resource_count":0}"#).unwrap();
        assert!(r.incomplete.iter().any(|m| m.contains("ran no check") && m.contains("--framework")), "{r:?}");
        // Parsing errors in the bare summary, as checkov 3 and checkov 2 spell them.
        for key in ["parsing_errors", "parsingerrors"] {
            let r = read(&format!(r#"{{"passed":0,"failed":0,"skipped":0,"{key}":3,"resource_count":0}}"#)).unwrap();
            assert!(r.incomplete.iter().any(|m| m.contains("could not parse 3 file(s)")), "{key}: {r:?}");
        }
        // One check run anywhere in the document is a scan.
        let r = read(
            r#"[{"check_type":"terraform","results":{"passed_checks":[{"check_id":"A"}],"failed_checks":[]}},
{"check_type":"dockerfile","results":{"failed_checks":[]}}]"#,
        )
        .unwrap();
        assert!(!r.is_incomplete(), "{:?}", r.incomplete);
        let r = read(r#"{"passed":4,"failed":0,"skipped":0}"#).unwrap();
        assert!(!r.is_incomplete(), "{:?}", r.incomplete);
    }

    /// The counts decide the verdict: of the wrong type they are errors, never zero.
    #[test]
    fn wrong_types_are_errors() {
        for bad in [r#""three""#, "true", "-3", "1.5", "[]"] {
            for text in [
                format!(
                    r#"{{"check_type":"terraform","results":{{"failed_checks":[]}},"summary":{{"passed":1,"failed":{bad}}}}}"#
                ),
                format!(r#"{{"passed":0,"failed":0,"skipped":0,"parsing_errors":{bad}}}"#),
            ] {
                assert!(read(&text).is_err(), "{text}");
            }
        }
        let e = read(r#"{"check_type":"terraform","results":{"failed_checks":{"check_id":"x"}}}"#).unwrap_err();
        assert!(e.to_string().contains("results.failed_checks"), "{e}");
        let e = read(r#"{"check_type":"terraform","results":[]}"#).unwrap_err();
        assert!(e.to_string().contains("results"), "{e}");
        assert!(read(r#"{"foo":1}"#).is_err());
    }

    #[test]
    fn failed_checks_the_summary_states_but_does_not_list_are_incomplete() {
        let summary = r#""summary":{"passed":3,"failed":2,"skipped":0,"parsing_errors":0,"resource_count":2,"checkov_version":"3.2.0"}"#;
        for results in [
            r#""results":{"passed_checks":[],"failed_checks":[],"skipped_checks":[],"parsing_errors":[]},"#,
            r#""results":{"passed_checks":[],"skipped_checks":[],"parsing_errors":[]},"#,
            r#""results":{"passed_checks":[],"failed_checks":null,"skipped_checks":[]},"#,
            "",
        ] {
            let r = read(&format!(r#"{{"check_type":"terraform",{results}{summary}}}"#)).unwrap();
            assert!(r.is_incomplete(), "{results}");
            assert!(r.incomplete.iter().any(|m| m.contains("2 failed terraform checks")), "{:?}", r.incomplete);
        }
        // null is never an empty list, even when the summary states nothing failed.
        let r =
            read(r#"{"check_type":"terraform","results":{"failed_checks":null},"summary":{"passed":1,"failed":0}}"#)
                .unwrap();
        assert!(r.incomplete.iter().any(|m| m.contains("null")), "{:?}", r.incomplete);
    }

    #[test]
    fn parsing_errors_with_nothing_scanned_and_an_empty_list_are_incomplete() {
        let r = read(r#"[{"check_type":"terraform","results":{"passed_checks":[],"failed_checks":[],"skipped_checks":[],"parsing_errors":["/app/main.tf"]},
"summary":{"passed":0,"failed":0,"skipped":0,"parsing_errors":1,"resource_count":0,"checkov_version":"3.2.0"}}]"#)
        .unwrap();
        assert!(r.incomplete.iter().any(|m| m.contains("nothing was scanned")), "{:?}", r.incomplete);
        let r = read("[]").unwrap();
        assert!(r.is_incomplete());
        // Parsing errors beside real results stay tool errors.
        let r = read(r#"{"check_type":"terraform","results":{"passed_checks":[{"check_id":"A"}],"failed_checks":[],"parsing_errors":["/b.tf"]},
"summary":{"passed":1,"failed":0,"parsing_errors":1}}"#)
        .unwrap();
        assert!(!r.is_incomplete(), "{:?}", r.incomplete);
        assert_eq!(r.errors.len(), 1);
    }
}
