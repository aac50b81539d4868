//! `temis ci jenkins`: the gate as a Jenkins pipeline step.
//!
//! Jenkins has no API temis writes to: its plugins read files. In the artifacts directory: the
//! Warnings Next Generation plugin's native issues report (`issues.json`: the findings and the
//! uncovered lines the change added, with fingerprints that leave lines out), the Cobertura
//! report for the Coverage plugin's `recordCoverage`, the JUnit report of the checks for
//! `junit`, the verdict JSON and the markdown summary; the verdict goes to the console log.

use super::{Artifacts, CommonArgs, Named};
use crate::cli::Outcome;
use crate::error::Error;
use crate::output::Output;
use crate::render::verdict::annotations;
use crate::render::verdict::summary::{self, Extras};
use crate::render::verdict::warnings_ng;

pub const AFTER_HELP: &str = "Writes, in --artifacts (default temis-ci/): issues.json (the warnings-ng native \
format: recordIssues(tool: issues(pattern: 'temis-ci/issues.json')) — findings that block or warn and the \
uncovered lines the change added, severities ERROR/NORMAL/LOW, fingerprints that leave lines out), cobertura.xml \
(recordCoverage(tools: [[parser: 'COBERTURA', pattern: 'temis-ci/cobertura*.xml']]); split into cobertura-N.xml \
above 10 MiB), junit.xml (junit 'temis-ci/junit.xml': each check a test case), verdict.json and summary.md; the \
verdict goes to the console log.

Variables read (set by Jenkins): JENKINS_URL, BUILD_URL, WORKSPACE, GIT_COMMIT; the change's base: CHANGE_ID with \
CHANGE_TARGET (a multibranch pull request: the target branch, fetched from origin), else \
GIT_PREVIOUS_SUCCESSFUL_COMMIT (the last successful build of the branch, from the Git plugin), against HEAD, the \
commit checked out, which the reports measured (GIT_COMMIT when nothing is). --base REF overrides them.

Exit codes: as `temis gate`; --fail-on-blocked false turns BLOCKED into 0 (the step passes; the Warnings, \
Coverage and JUnit publishers still show what blocks).";

#[derive(Debug, clap::Args)]
pub struct JenkinsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

/// What Jenkins' variables say about this build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Context {
    build_url: Option<String>,
    workspace: Option<String>,
    commit: Option<String>,
    change_id: Option<String>,
    change_target: Option<String>,
    previous_successful: Option<String>,
}

impl Context {
    fn from_parts(env: impl Fn(&str) -> Option<String>) -> Context {
        let get = |k: &str| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Context {
            build_url: get("BUILD_URL"),
            workspace: get("WORKSPACE"),
            commit: get("GIT_COMMIT"),
            change_id: get("CHANGE_ID"),
            change_target: get("CHANGE_TARGET"),
            previous_successful: get("GIT_PREVIOUS_SUCCESSFUL_COMMIT"),
        }
    }

    /// A pull request's target branch, else the branch's last successful build.
    fn base(&self) -> Named {
        match (&self.change_id, &self.change_target, &self.previous_successful) {
            (Some(id), Some(target), _) => {
                Named::Branch { name: target.clone(), label: format!("the target branch of change {id} ({target})") }
            }
            (None, _, Some(prev)) if Some(prev) != self.commit.as_ref() => {
                Named::Commit { sha: prev.clone(), label: "the last successful build".into() }
            }
            _ => Named::Nothing,
        }
    }
}

pub fn run(args: JenkinsArgs, out: Output) -> Result<Outcome, Error> {
    let ctx = Context::from_parts(|k| std::env::var(k).ok());
    let artifacts = Artifacts::new(&args.common.artifacts);
    let mut notes = Vec::new();
    let change = super::change(&args.common.judge, ctx.base(), ctx.commit.clone(), &mut notes);
    let judgement = super::judge(&args.common.judge, change, &artifacts, &mut notes)?;
    let v = &judgement.verdict;
    let root = args.common.judge.paths.root_dir()?;
    let source = ctx.workspace.clone().unwrap_or_else(|| root.display().to_string());
    artifacts.write("issues.json", &warnings_ng::render(&annotations::collect(v)), &mut notes);
    artifacts.cobertura(&judgement, &source, &mut notes);
    let extras = Extras { notes: &notes, run_url: ctx.build_url.as_deref() };
    artifacts.common(v, &summary::render(v, extras), "junit.xml", &mut notes);
    super::say_notes(&notes, out);
    out.stdout(&super::log_verdict(v)).map_err(Error::stdout)?;
    Ok(super::outcome(v.status, args.common.fail_on_blocked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_names_every_variable_read() {
        let read = [
            "JENKINS_URL",
            "BUILD_URL",
            "WORKSPACE",
            "GIT_COMMIT",
            "CHANGE_ID",
            "CHANGE_TARGET",
            "GIT_PREVIOUS_SUCCESSFUL_COMMIT",
        ];
        for v in read {
            assert!(AFTER_HELP.contains(v), "{v}");
        }
    }

    #[test]
    fn a_pull_request_is_measured_from_its_target_and_a_branch_from_its_last_success() {
        let ctx = |pairs: &'static [(&'static str, &'static str)]| {
            Context::from_parts(move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
        };
        assert_eq!(
            ctx(&[("CHANGE_ID", "12"), ("CHANGE_TARGET", "main"), ("GIT_PREVIOUS_SUCCESSFUL_COMMIT", "p")]).base(),
            Named::Branch { name: "main".into(), label: "the target branch of change 12 (main)".into() }
        );
        assert_eq!(
            ctx(&[("GIT_PREVIOUS_SUCCESSFUL_COMMIT", "p"), ("GIT_COMMIT", "c")]).base(),
            Named::Commit { sha: "p".into(), label: "the last successful build".into() }
        );
        assert_eq!(ctx(&[("GIT_PREVIOUS_SUCCESSFUL_COMMIT", "c"), ("GIT_COMMIT", "c")]).base(), Named::Nothing);
    }
}
