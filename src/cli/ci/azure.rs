//! `temis ci azure`: the gate as an Azure Pipelines step.
//!
//! Always: in the artifacts directory the markdown summary (attached to the run with
//! `##vso[task.uploadsummary]`), the JUnit report of the checks and the Cobertura report of the
//! coverage (for `PublishTestResults@2` and `PublishCodeCoverageResults@2`) and the verdict JSON;
//! in the log the verdict, `##vso[task.logissue]` annotations (the most important first), the
//! `TEMIS_VERDICT` output variable and `##vso[task.complete]`. With `System.AccessToken` on a pull
//! request in Azure Repos: one thread, found again by its hidden marker and updated in place
//! (active while the verdict blocks, closed once it approves), and a pull-request status. An API
//! failure degrades to the log and the summary and never changes the verdict or the exit code.

use super::{Artifacts, CommonArgs, Named, NoteArgs};
use crate::azure::client::{COMMENT_MAX_CHARS, STATUS_DESCRIPTION_MAX_CHARS};
use crate::azure::context::Context;
use crate::azure::{Client, Status as PrStatus};
use crate::cli::Outcome;
use crate::error::Error;
use crate::gate::{Status, Verdict};
use crate::http::{ApiError, Token};
use crate::output::Output;
use crate::render::verdict::annotations::{self, plain_text};
use crate::render::verdict::azure as vso;
use crate::render::verdict::summary::{self, Extras};
use crate::sticky::{self, Upserted};

pub const AFTER_HELP: &str = "Writes, in --artifacts (default temis-ci/): summary.md (attached to the run's \
summary with ##vso[task.uploadsummary]), junit.xml (for PublishTestResults@2), cobertura.xml (for \
PublishCodeCoverageResults@2; split into cobertura-N.xml above 10 MiB) and verdict.json. The log gets the \
verdict, ##vso[task.logissue] errors and warnings (--annotations per level, the most important first: the \
uncovered lines the change added, then what blocks), ##vso[task.setvariable variable=TEMIS_VERDICT;isoutput=true] \
and ##vso[task.complete] (Failed when the step fails, SucceededWithIssues for BLOCKED with --fail-on-blocked \
false). Report text is escaped as the agent decodes it (%AZP25, %0D, %0A, %3B, %5D), and no ##vso[ of a report's \
reaches the log.

With SYSTEM_ACCESSTOKEN (map it in the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken); never printed) on \
a pull request in Azure Repos: one pull-request thread, found again by a hidden marker and updated in place \
(active while BLOCKED, closed once APPROVED), and a pull-request status named --check-name. The build service \
needs \"Contribute to pull requests\" on the repository. Without a token, or when Azure DevOps refuses, the log and \
the summary carry the verdict and a warning says why.

Variables read (set by Azure Pipelines): TF_BUILD, SYSTEM_ACCESSTOKEN, SYSTEM_COLLECTIONURI, \
SYSTEM_TEAMPROJECTID, SYSTEM_TEAMPROJECT, BUILD_REPOSITORY_ID, BUILD_REPOSITORY_PROVIDER, \
SYSTEM_PULLREQUEST_PULLREQUESTID, BUILD_BUILDID, BUILD_SOURCESDIRECTORY; the change's base: \
SYSTEM_PULLREQUEST_TARGETBRANCH (System.PullRequest.TargetBranch), fetched from origin, against HEAD, the commit \
checked out, which the reports measured (BUILD_SOURCEVERSION when nothing is). --base REF overrides it.

Exit codes: as `temis gate`; --fail-on-blocked false turns BLOCKED into 0. A reporting failure never changes the \
exit code.";

#[derive(Debug, clap::Args)]
pub struct AzureArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub note: NoteArgs,

    /// Set a pull-request status named --check-name (with a token, on a pull request).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub status: bool,

    /// `##vso[task.logissue]` commands per level (errors, warnings), the most important first.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub annotations: usize,

    /// The REST API version (`7.1` for Azure DevOps Services, `7.0` for Server 2022).
    #[arg(long = "api-version", default_value = "7.1", value_name = "VERSION")]
    pub api_version: String,
}

pub fn run(args: AzureArgs, out: Output) -> Result<Outcome, Error> {
    let ctx = Context::from_env();
    let artifacts = Artifacts::new(&args.common.artifacts);
    let mut notes = Vec::new();
    let named = match (&ctx.pr_id, &ctx.target_branch) {
        (Some(_), Some(branch)) => {
            Named::Branch { name: branch.clone(), label: format!("the pull request's target branch ({branch})") }
        }
        _ => Named::Nothing,
    };
    let change = super::change(&args.common.judge, named, ctx.source_version.clone(), &mut notes);
    let judgement = match super::judge(&args.common.judge, change, &artifacts, &mut notes) {
        Ok(j) => j,
        Err(e) => {
            let text =
                format!("{}{}", upload(&artifacts), vso::complete("Failed", &format!("temis could not judge: {e}")));
            let _ = out.stdout(&text);
            return Err(e);
        }
    };
    let v = &judgement.verdict;
    let root = args.common.judge.paths.root_dir()?;
    let source = ctx.sources_dir.clone().unwrap_or_else(|| root.display().to_string());
    artifacts.cobertura(&judgement, &source, &mut notes);
    let list = annotations::collect(v);
    notes.extend(left_out(&list, args.annotations));
    publish(&args, &ctx, v, &mut notes);

    let build_url = ctx.build_url();
    let extras = Extras { notes: &notes, run_url: build_url.as_deref() };
    artifacts.common(v, &summary::render(v, extras), "junit.xml", &mut notes);
    super::say_notes(&notes, out);

    let exit = super::outcome(v.status, args.common.fail_on_blocked);
    let mut log = super::log_verdict(v);
    log.push_str(&vso::logissues(&list, args.annotations, &source));
    log.push_str(&upload(&artifacts));
    log.push_str(&vso::set_output("TEMIS_VERDICT", &v.status.label().replace(' ', "_")));
    let result = match (exit, v.status) {
        (Outcome::Ok, Status::Approved) => "Succeeded",
        (Outcome::Ok, _) => "SucceededWithIssues",
        _ => "Failed",
    };
    log.push_str(&vso::complete(result, &format!("temis: {}", super::headline(v))));
    out.stdout(&log).map_err(Error::stdout)?;
    Ok(exit)
}

/// How many errors and warnings `--annotations` kept out of the log's `task.logissue`
/// commands, when any were.
fn left_out(list: &[annotations::Annotation], per_level: usize) -> Option<String> {
    let errors = list.iter().filter(|a| a.level == annotations::Level::Failure).count();
    let warnings = list.len() - errors;
    let cut = |n: usize, what: &str| (n > per_level).then(|| format!("{} of {n} {what}", n - per_level));
    let parts: Vec<String> = [cut(errors, "errors"), cut(warnings, "warnings")].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{} not logged as issues (--annotations {per_level} per level, the most important first); \
             verdict.json lists every one",
            parts.join(" and ")
        )
    })
}

/// `##vso[task.uploadsummary]` with the summary's absolute path, when it was written.
fn upload(artifacts: &Artifacts) -> String {
    let path = artifacts.path("summary.md");
    match std::path::absolute(&path) {
        Ok(p) if p.is_file() => vso::upload_summary(&p.display().to_string()),
        _ => String::new(),
    }
}

/// The thread and the status, when there is a token and a pull request; failures become notes.
fn publish(args: &AzureArgs, ctx: &Context, v: &Verdict, notes: &mut Vec<String>) {
    let wanted = args.note.comment != super::CommentMode::Off || args.status;
    let token = std::env::var("SYSTEM_ACCESSTOKEN").ok().and_then(Token::new);
    let Some(pr) = ctx.pr_id else {
        tracing::info!("not a pull-request build: no thread and no status");
        return;
    };
    if !ctx.azure_repos() {
        notes.push(format!(
            "the repository is on {} (BUILD_REPOSITORY_PROVIDER), not Azure Repos: no pull-request thread and no status",
            ctx.provider.as_deref().unwrap_or("another host")
        ));
        return;
    }
    let (Some(token), Some(uri), Some(project), Some(repo)) =
        (token, &ctx.collection_uri, &ctx.project, &ctx.repository_id)
    else {
        if wanted {
            notes.push(
                "no SYSTEM_ACCESSTOKEN (map it: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)): no pull-request \
                 thread and no status; the log and the summary carry the verdict"
                    .into(),
            );
        }
        return;
    };
    let client = match Client::new(uri, &token, project, repo, &args.api_version) {
        Ok(c) => c,
        Err(e) => {
            notes.push(format!("no Azure DevOps API: {e}"));
            return;
        }
    };
    let mut said = Vec::new();
    if args.note.comment != super::CommentMode::Off {
        let marker = sticky::marker(&args.note.check_name);
        let build_url = ctx.build_url();
        let extras = Extras { notes, run_url: build_url.as_deref() };
        let body = summary::note(v, extras, &marker, &args.note.check_name, COMMENT_MAX_CHARS, "build");
        let thread_status = if v.status == Status::Approved { "closed" } else { "active" };
        let author = args.note.comment_author.as_deref().filter(|a| !a.is_empty());
        match sticky::upsert(&client.threads(pr, thread_status), &marker, author, &body, args.note.creates(v.status)) {
            Ok(Upserted::Created(t)) => tracing::info!("created thread {} on pull request {pr}", t.thread),
            Ok(Upserted::Updated(t)) => tracing::info!("updated thread {} on pull request {pr}", t.thread),
            Ok(Upserted::Nothing) => tracing::info!("approved and no earlier thread: none written"),
            Err(f) => said.push(degraded(&f.said("the pull-request thread", "the pull request"), f.error())),
        }
    }
    if args.status {
        // The verdict's, never the exit code's: --fail-on-blocked false must not turn a BLOCKED
        // change into a `succeeded` a branch policy accepts.
        let state = match v.status {
            Status::Approved => "succeeded",
            Status::Blocked => "failed",
            Status::CouldNotJudge => "error",
        };
        let description = plain_text(&super::headline(v), STATUS_DESCRIPTION_MAX_CHARS);
        let status = PrStatus::new(state, description, &args.note.check_name, ctx.build_url());
        if let Err(e) = client.set_status(pr, &status) {
            said.push(degraded("the pull-request status was not set", &e));
        }
    }
    notes.extend(said);
}

fn degraded(what: &str, e: &ApiError) -> String {
    let why = if e.is_permission() {
        " (the build service needs \"Contribute to pull requests\" on the repository, and the job's token must be \
         mapped: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))"
    } else {
        ""
    };
    format!("{what}: {e}{why}; the verdict stands, the log and the summary carry it")
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_names_every_variable_read() {
        for v in crate::azure::context::VARIABLES {
            assert!(super::AFTER_HELP.contains(v), "{v}");
        }
    }
}
