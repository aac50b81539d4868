//! `temis ci gitlab`: the gate as a GitLab CI/CD job.
//!
//! Always, in the artifacts directory: the Code Quality report (`codequality.json`: blocking
//! findings and uncovered added lines, on the merge request's widget and diff), the Cobertura
//! report (`cobertura.xml`, split under GitLab's 10 MiB: coverage in the diff), the JUnit report
//! of the checks (`junit.xml`, the tests widget), the verdict JSON and the markdown summary; in
//! the log, the verdict and the line the `coverage:` keyword reads. With a token that may write
//! (the job token may not write notes): one merge-request note, found again by its hidden marker
//! and updated in place, and a commit status. An API failure degrades to the artifacts and the
//! log, says so, and never changes the verdict or the exit code.

use super::{Artifacts, CommonArgs, Named, NoteArgs};
use crate::cli::Outcome;
use crate::error::Error;
use crate::gate::{Status, Verdict};
use crate::gitlab::client::{NOTE_MAX_CHARS, STATUS_DESCRIPTION_MAX_CHARS};
use crate::gitlab::context::Context;
use crate::gitlab::{Client, CommitStatus};
use crate::http::{ApiError, Token};
use crate::output::Output;
use crate::render::verdict::annotations::{self, plain_text};
use crate::render::verdict::codequality;
use crate::render::verdict::summary::{self, Extras};
use crate::sticky::{self, Upserted};

pub const AFTER_HELP: &str = "Writes, in --artifacts (default temis-ci/): codequality.json \
(artifacts:reports:codequality — findings that block or warn, with a file, and the uncovered lines the change \
added; fingerprints leave lines out, so a finding that moves is not shown as new), cobertura.xml \
(artifacts:reports:coverage_report, coverage_format: cobertura — split into cobertura-N.xml above GitLab's 10 MiB \
per file; one <source>, the project directory), junit.xml (artifacts:reports:junit — each check a test case), \
verdict.json (temis.verdict/v1) and summary.md. The log ends with `temis line coverage: 77.33%` for the \
`coverage:` keyword: coverage: '/^temis line coverage: (\\d+(?:\\.\\d+)?)%$/' (not when a report could not be \
read or the coverage is of other code than the repository's: no figure is published that was not measured).

With a token in TEMIS_GITLAB_TOKEN (a project, group or personal access token with the api scope; the CI job \
token may not write notes; never printed): one merge-request note, found again by a hidden marker and updated in \
place, and a commit status named --check-name on the pipeline. Without one, or when GitLab refuses, the artifacts \
and the log carry the verdict and a warning says why.

Variables read (set by GitLab): CI_API_V4_URL, CI_PROJECT_ID (the commit status's project), \
CI_MERGE_REQUEST_PROJECT_ID (the merge request's project, whose note it is: a fork's merge request is the target \
project's; CI_PROJECT_ID when unset), CI_MERGE_REQUEST_IID, CI_PIPELINE_ID, CI_JOB_URL, CI_PROJECT_DIR; the change's base: CI_MERGE_REQUEST_TARGET_BRANCH_SHA (merged-results pipelines), else \
CI_MERGE_REQUEST_DIFF_BASE_SHA (merge-request pipelines), else, in a branch pipeline of another branch than \
CI_DEFAULT_BRANCH (CI_COMMIT_BRANCH), the default branch (what the branch adds, as a merge request shows it: \
its last push alone is not the change), else CI_COMMIT_BEFORE_SHA (pushes to the default branch), against \
HEAD, the commit checked out, which the reports measured (CI_COMMIT_SHA when nothing is); a base a shallow clone \
(GIT_DEPTH) lacks is fetched. --base REF overrides them.

Exit codes: as `temis gate`; --fail-on-blocked false turns BLOCKED into 0. A reporting failure never changes the \
exit code.";

#[derive(Debug, clap::Args)]
pub struct GitlabArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub note: NoteArgs,

    /// Set a commit status named --check-name (with a token).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub status: bool,
}

pub fn run(args: GitlabArgs, out: Output) -> Result<Outcome, Error> {
    let ctx = Context::from_env();
    let artifacts = Artifacts::new(&args.common.artifacts);
    let mut notes = Vec::new();
    let named = match (ctx.base(), ctx.default_branch_base()) {
        (Some((sha, label)), _) => Named::Commit { sha, label: label.to_string() },
        (None, Some(default)) => {
            Named::Branch { name: default.to_string(), label: format!("the default branch ({default})") }
        }
        (None, None) => Named::Nothing,
    };
    let change = super::change(&args.common.judge, named, ctx.commit_sha.clone(), &mut notes);
    let judgement = super::judge(&args.common.judge, change, &artifacts, &mut notes)?;
    let v = &judgement.verdict;
    let list = annotations::collect(v);
    let root = args.common.judge.paths.root_dir()?;
    let source = ctx.project_dir.clone().unwrap_or_else(|| root.display().to_string());

    artifacts.write("codequality.json", &codequality::render(&list), &mut notes);
    artifacts.cobertura(&judgement, &source, &mut notes);
    publish(&args, &ctx, v, &mut notes);

    let extras = Extras { notes: &notes, run_url: ctx.job_url.as_deref() };
    artifacts.common(v, &summary::render(v, extras), "junit.xml", &mut notes);
    super::say_notes(&notes, out);
    let mut log_text = super::log_verdict(v);
    if let Some(pct) = v.published_line_coverage() {
        log_text.push_str(&format!("temis line coverage: {}%\n", crate::gate::verdict::trim_number(pct)));
    }
    out.stdout(&log_text).map_err(Error::stdout)?;
    Ok(super::outcome(v.status, args.common.fail_on_blocked))
}

/// The note and the commit status, when there is a token; failures become notes.
fn publish(args: &GitlabArgs, ctx: &Context, v: &Verdict, notes: &mut Vec<String>) {
    let wanted = args.note.comment != super::CommentMode::Off || args.status;
    let token = std::env::var("TEMIS_GITLAB_TOKEN").ok().and_then(Token::new);
    let (Some(token), Some(api_url), Some(project)) = (token, &ctx.api_url, &ctx.project_id) else {
        if wanted {
            notes.push(
                "no TEMIS_GITLAB_TOKEN (or no CI_API_V4_URL / CI_PROJECT_ID): no merge-request note and no commit \
                 status; the artifacts and the log carry the verdict"
                    .into(),
            );
        }
        return;
    };
    let client = match Client::new(api_url, &token, project) {
        Ok(c) => c,
        Err(e) => {
            notes.push(format!("no GitLab API: {e}"));
            return;
        }
    };
    let mut said = Vec::new();
    match (args.note.comment, ctx.mr_iid) {
        (super::CommentMode::Off, _) => {}
        (_, None) => tracing::info!("not a merge-request pipeline: no note"),
        (_, Some(iid)) => {
            let mr_project = ctx.mr_project().unwrap_or(project);
            let marker = sticky::marker(&args.note.check_name);
            let extras = Extras { notes, run_url: ctx.job_url.as_deref() };
            let body = summary::note(v, extras, &marker, &args.note.check_name, NOTE_MAX_CHARS, "pipeline job");
            let author = args.note.comment_author.as_deref().filter(|a| !a.is_empty());
            match sticky::upsert(&client.notes(mr_project, iid), &marker, author, &body, args.note.creates(v.status)) {
                Ok(Upserted::Created(id)) => tracing::info!("created note {id} on !{iid}"),
                Ok(Upserted::Updated(id)) => tracing::info!("updated note {id} on !{iid}"),
                Ok(Upserted::Nothing) => tracing::info!("approved and no earlier note: none written"),
                Err(f) => said.push(degraded(&f.said("the merge-request note", "the merge request"), f.error())),
            }
        }
    }
    match (args.status, &ctx.commit_sha) {
        (false, _) => {}
        (true, None) => said.push("no CI_COMMIT_SHA: no commit status".into()),
        (true, Some(sha)) => {
            // The verdict's, never the exit code's: --fail-on-blocked false must not turn a
            // BLOCKED change into a `success` a required status accepts.
            let status = CommitStatus {
                state: if v.status == Status::Approved { "success" } else { "failed" },
                name: args.note.check_name.clone(),
                description: plain_text(&super::headline(v), STATUS_DESCRIPTION_MAX_CHARS),
                target_url: ctx.job_url.clone(),
                coverage: v.published_line_coverage().map(|p| (p * 100.0).round() / 100.0),
                pipeline_id: ctx.pipeline_id,
            };
            if let Err(e) = client.set_status(sha, &status) {
                said.push(degraded("the commit status was not set", &e));
            }
        }
    }
    notes.extend(said);
}

fn degraded(what: &str, e: &ApiError) -> String {
    let why = if e.is_permission() {
        " (the token may not write here: it needs the api scope and at least the Reporter role; the CI job token \
         cannot write notes)"
    } else {
        ""
    };
    format!("{what}: {e}{why}; the verdict stands, the artifacts and the log carry it")
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_names_every_variable_read() {
        for v in crate::gitlab::context::VARIABLES {
            assert!(super::AFTER_HELP.contains(v), "{v}");
        }
    }
}
