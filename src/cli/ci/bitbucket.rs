//! `temis ci bitbucket`: the gate as a Bitbucket Pipelines step.
//!
//! Always, in the artifacts directory: the JUnit report of the checks (under `test-results/`,
//! where Pipelines looks for test reports), the verdict JSON and the markdown summary; the
//! verdict in the log. Through Code Insights (inside Pipelines by the pipeline's own proxy, with
//! no token; elsewhere with an access token): one report on the commit, PASSED or FAILED, with at
//! most 6 data fields, replaced on the next run under the same id, and its annotations (100 per
//! request, at most 1,000, the most important first; each with a stable `external_id`, so a
//! second run updates them). What is left out is said. An API failure degrades to the artifacts
//! and the log and never changes the verdict or the exit code.

use serde_json::json;

use super::{Artifacts, CommonArgs, Named};
use crate::bitbucket::client::{
    DETAILS_MAX_CHARS, MAX_ANNOTATIONS, MAX_DATA_FIELDS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS,
};
use crate::bitbucket::context::Context;
use crate::bitbucket::{Annotation, Client, DataField, Report};
use crate::cli::Outcome;
use crate::error::Error;
use crate::gate::{Outcome as CheckOutcome, Status, Verdict};
use crate::http::{ApiError, Token};
use crate::output::Output;
use crate::render::verdict::annotations::{self, Annotation as Finding, Level, fingerprints, plain_text};
use crate::render::verdict::summary::{self, Extras};

pub const AFTER_HELP: &str = "Writes, in --artifacts (default temis-ci/): test-results/temis-junit.xml \
(each check a test case; Pipelines shows test reports found under test-results/), verdict.json \
(temis.verdict/v1) and summary.md; the verdict goes to the log.

Code Insights: one report (--report-id, default temis) on BITBUCKET_COMMIT, PASSED or FAILED, with at most 6 data \
fields (verdict, coverage, patch coverage, failed checks, tests, security findings) and its annotations: 100 per \
request, at most 1,000 per report (the most important first; what is left out is said in the report and the log), \
each with a stable external_id, so the next run updates the same report and annotations. Inside Pipelines the \
calls go through the pipeline's proxy (TEMIS_BITBUCKET_PROXY, default http://localhost:29418) with no token; \
elsewhere, TEMIS_BITBUCKET_TOKEN (a repository or workspace access token, sent as a Bearer token, never printed) \
and TEMIS_BITBUCKET_API_URL (default https://api.bitbucket.org/2.0). When the API refuses, the artifacts and the \
log carry the verdict and a warning says why.

Variables read (set by Pipelines): BITBUCKET_BUILD_NUMBER, BITBUCKET_WORKSPACE, BITBUCKET_REPO_SLUG, \
BITBUCKET_COMMIT, BITBUCKET_CLONE_DIR; the change's base on a pull request: BITBUCKET_PR_ID with \
BITBUCKET_PR_DESTINATION_COMMIT (all 40 hex digits), else BITBUCKET_PR_DESTINATION_BRANCH fetched from origin \
(the variable often holds 12 hex digits only), against HEAD, the commit checked out, which the reports measured: \
a pull-request pipeline merges the destination into it, so its lines are not numbered as BITBUCKET_COMMIT's. \
Clone with `clone: depth: full`, or temis fetches what it needs. --base REF overrides them.

Exit codes: as `temis gate`; --fail-on-blocked false turns BLOCKED into 0. A reporting failure never changes the \
exit code.";

#[derive(Debug, clap::Args)]
pub struct BitbucketArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// The Code Insights report's id on the commit (`temis`); a second run replaces it.
    #[arg(long = "report-id", default_value = "temis", value_name = "ID")]
    pub report_id: String,

    /// Publish the Code Insights report.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub insights: bool,
}

pub fn run(args: BitbucketArgs, out: Output) -> Result<Outcome, Error> {
    let ctx = Context::from_env();
    let artifacts = Artifacts::new(&args.common.artifacts);
    let mut notes = Vec::new();
    let named = match (ctx.pr_id, ctx.full_destination_commit(), &ctx.destination_branch) {
        (Some(_), Some(sha), _) => {
            Named::Commit { sha: sha.to_string(), label: "the pull request's destination".into() }
        }
        (Some(_), None, Some(branch)) => {
            Named::Branch { name: branch.clone(), label: format!("the pull request's destination ({branch})") }
        }
        _ => Named::Nothing,
    };
    let change = super::change(&args.common.judge, named, ctx.commit.clone(), &mut notes);
    let judgement = super::judge(&args.common.judge, change, &artifacts, &mut notes)?;
    let v = &judgement.verdict;
    if args.insights {
        publish(&args, &ctx, v, &mut notes);
    }
    let pipeline = ctx.pipeline_url();
    let extras = Extras { notes: &notes, run_url: pipeline.as_deref() };
    let md = summary::render(v, extras);
    artifacts.common(v, &md, "test-results/temis-junit.xml", &mut notes);
    super::say_notes(&notes, out);
    out.stdout(&super::log_verdict(v)).map_err(Error::stdout)?;
    Ok(super::outcome(v.status, args.common.fail_on_blocked))
}

/// The client: the proxy inside Pipelines, else a token; `None` (with a note) when neither.
fn client(ctx: &Context, notes: &mut Vec<String>) -> Option<Client> {
    let (Some(workspace), Some(slug)) = (&ctx.workspace, &ctx.repo_slug) else {
        notes.push("no BITBUCKET_WORKSPACE / BITBUCKET_REPO_SLUG: no Code Insights report".into());
        return None;
    };
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let made = match (var("TEMIS_BITBUCKET_TOKEN").and_then(Token::new), &ctx.build_number) {
        (Some(token), _) => {
            let api = var("TEMIS_BITBUCKET_API_URL").unwrap_or_else(|| "https://api.bitbucket.org/2.0".into());
            Client::with_token(&api, &token, workspace, slug)
        }
        (None, Some(_)) => {
            let api = var("TEMIS_BITBUCKET_API_URL").unwrap_or_else(|| "http://api.bitbucket.org/2.0".into());
            let proxy = var("TEMIS_BITBUCKET_PROXY").unwrap_or_else(|| "http://localhost:29418".into());
            Client::through_proxy(&api, &proxy, workspace, slug)
        }
        (None, None) => {
            notes.push(
                "outside Pipelines and no TEMIS_BITBUCKET_TOKEN: no Code Insights report; the artifacts and the log \
                 carry the verdict"
                    .into(),
            );
            return None;
        }
    };
    made.map_err(|e| notes.push(format!("no Bitbucket API: {e}"))).ok()
}

/// The report and its annotations; failures become notes.
fn publish(args: &BitbucketArgs, ctx: &Context, v: &Verdict, notes: &mut Vec<String>) {
    let Some(commit) = &ctx.commit else {
        notes.push("no BITBUCKET_COMMIT: no Code Insights report".into());
        return;
    };
    let Some(client) = client(ctx, notes) else { return };
    let list = annotations::collect(v);
    let mut cut = Vec::new();
    if list.len() > MAX_ANNOTATIONS {
        cut.push(format!(
            "{} of {} annotations not sent: Code Insights keeps at most {MAX_ANNOTATIONS} per report (the most \
             important were sent)",
            list.len() - MAX_ANNOTATIONS,
            list.len()
        ));
    }
    let (data, left_out) = data_fields(v);
    if left_out > 0 {
        cut.push(format!("{left_out} data field(s) left out of the report: it shows at most {MAX_DATA_FIELDS}"));
    }
    let report = Report {
        kind: "report",
        title: plain_text(&format!("temis: {}", v.status.label()), TITLE_MAX_CHARS),
        details: details(v, &cut),
        report_type: report_type(v),
        reporter: "temis",
        link: ctx.pipeline_url(),
        result: if v.status == Status::Approved { "PASSED" } else { "FAILED" },
        data,
    };
    notes.extend(cut);
    if let Err(e) = client.put_report(commit, &args.report_id, &report) {
        notes.push(degraded("the Code Insights report was not written", &e));
        return;
    }
    let sent: Vec<Annotation> =
        list.iter().zip(fingerprints(&list)).take(MAX_ANNOTATIONS).map(|(a, fp)| annotation(a, &fp)).collect();
    if let (n, Some(e)) = client.add_annotations(commit, &args.report_id, &sent) {
        notes.push(degraded(&format!("{} of {} annotations were not added", sent.len() - n, sent.len()), &e));
    }
}

/// The report's data fields, most telling first, at most [`MAX_DATA_FIELDS`]; and how many
/// were left out.
fn data_fields(v: &Verdict) -> (Vec<DataField>, usize) {
    let f = &v.figures;
    let mut all = vec![DataField { kind: "TEXT", title: "Verdict".into(), value: json!(v.status.label()) }];
    let pct = |title: &str, value: Option<f64>| {
        value.map(|p| DataField { kind: "PERCENTAGE", title: title.into(), value: json!((p * 100.0).round() / 100.0) })
    };
    all.extend(pct("Line coverage", v.published_line_coverage()));
    all.extend(pct("Patch coverage", v.patch.as_ref().and_then(|p| p.percent())));
    all.push(DataField { kind: "NUMBER", title: "Failed checks".into(), value: json!(v.count(CheckOutcome::Fail)) });
    if let (Some(total), Some(passed)) = (f.tests_total, f.tests_passed) {
        let failed = f.tests_failed.unwrap_or(0);
        all.push(DataField {
            kind: "TEXT",
            title: "Tests".into(),
            value: json!(format!("{passed} passed, {failed} failed of {total}")),
        });
    }
    if let Some(n) = f.security_findings {
        all.push(DataField { kind: "NUMBER", title: "Security findings".into(), value: json!(n) });
    }
    if let Some(score) = f.a11y_score {
        all.push(DataField { kind: "NUMBER", title: "Accessibility score".into(), value: json!(score) });
    }
    let left_out = all.len().saturating_sub(MAX_DATA_FIELDS);
    all.truncate(MAX_DATA_FIELDS);
    (all, left_out)
}

/// The report's details: the tally, what blocks, and what was left out, in plain text.
fn details(v: &Verdict, cut: &[String]) -> String {
    let mut parts = vec![super::headline(v)];
    for c in v.checks.iter().filter(|c| c.outcome == CheckOutcome::Fail) {
        parts.push(c.message.clone());
    }
    parts.extend(cut.iter().cloned());
    plain_text(&parts.join(". ").replace(['\n', '\r'], " "), DETAILS_MAX_CHARS)
}

/// What kind of report the gate mostly is: coverage when coverage was read, else tests, else
/// security, else a bug report.
fn report_type(v: &Verdict) -> &'static str {
    let has = |kind: &str| v.reports.iter().any(|r| r.kind == kind);
    if has("coverage") {
        "COVERAGE"
    } else if has("tests") {
        "TEST"
    } else if has("security") {
        "SECURITY"
    } else {
        "BUG"
    }
}

/// One annotation as Code Insights takes it.
fn annotation(a: &Finding, fingerprint: &str) -> Annotation {
    let family = crate::gate::codes::lookup(a.code).map_or("gate", |c| c.family);
    let first = a.message.lines().next().unwrap_or_default();
    Annotation {
        kind: "report_annotation",
        external_id: format!("temis-{fingerprint}"),
        annotation_type: match family {
            "security" => "VULNERABILITY",
            "tests" => "BUG",
            _ => "CODE_SMELL",
        },
        path: a.path.clone(),
        line: a.path.as_ref().map(|_| a.start_line.max(1)),
        summary: plain_text(&format!("{}: {first}", a.title.trim_start_matches("temis: ")), SUMMARY_MAX_CHARS),
        details: Some(plain_text(&a.message, DETAILS_MAX_CHARS)),
        result: if a.level == Level::Failure { "FAILED" } else { "IGNORED" },
        severity: match a.level {
            Level::Failure => "HIGH",
            Level::Warning => "MEDIUM",
            Level::Notice => "LOW",
        },
    }
}

fn degraded(what: &str, e: &ApiError) -> String {
    let why = if e.is_permission() {
        " (outside Pipelines the token needs the repository:write or pullrequest scope; inside, the proxy speaks for \
         the pipeline)"
    } else {
        ""
    };
    format!("{what}: {e}{why}; the verdict stands, the artifacts and the log carry it")
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_names_every_variable_read() {
        for v in crate::bitbucket::context::VARIABLES {
            assert!(super::AFTER_HELP.contains(v), "{v}");
        }
    }
}
