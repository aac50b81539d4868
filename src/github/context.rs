//! What the GitHub Actions environment says about this run: the repository, the pull request,
//! whether it comes from a fork, and where the environment files are.
//!
//! Read once, at the edge ([`Context::from_env`]); [`Context::from_parts`] is the pure part, so
//! that tests can hand it any environment and event payload.

use std::path::PathBuf;

use serde_json::Value;

use super::Repo;

/// The run as GitHub describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// `GITHUB_REPOSITORY`.
    pub repo: Option<Repo>,
    /// `GITHUB_API_URL` (GitHub Enterprise sets its own), else `https://api.github.com`.
    pub api_url: String,
    /// `GITHUB_EVENT_NAME`: `pull_request`, `push`, `workflow_run`…
    pub event: String,
    /// The pull request's number, from the event payload.
    pub pr: Option<u64>,
    /// The commit the check run belongs to: the pull request's head (not the merge commit
    /// `GITHUB_SHA` names), the triggering run's head for `workflow_run`, else `GITHUB_SHA`.
    pub head_sha: Option<String>,
    /// The pull request's head commit as the event names it (`pull_request.head.sha`; a
    /// `workflow_run`'s head commit), never `GITHUB_SHA`: the numbering of the lines the pull
    /// request's files, read through the API, add.
    pub pr_head: Option<String>,
    /// The pull request's head repository, `owner/name`.
    pub head_repo: Option<String>,
    /// The commit the change is measured from: the pull request's base commit, or a push's
    /// `before` (unless the push created the branch).
    pub base_sha: Option<String>,
    /// A push to a branch other than the repository's default one: the default branch, which
    /// the change is measured from (what a pull request would show), instead of the push's
    /// `before` (its last push alone is not the change).
    pub default_branch_base: Option<String>,
    /// A pull request from another repository: the token is read-only, secrets are absent.
    pub fork: bool,
    /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`.
    pub run_url: Option<String>,
    /// `GITHUB_STEP_SUMMARY`.
    pub step_summary: Option<PathBuf>,
    /// `GITHUB_OUTPUT`.
    pub output: Option<PathBuf>,
}

impl Context {
    /// Reads the process environment and the event payload at `GITHUB_EVENT_PATH`. A missing or
    /// unreadable payload leaves the pull-request fields empty (and says so at debug level).
    pub fn from_env() -> Context {
        let event = std::env::var_os("GITHUB_EVENT_PATH").and_then(|p| match std::fs::read_to_string(&p) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::debug!("cannot read the event payload {}: {e}", PathBuf::from(&p).display());
                None
            }
        });
        Context::from_parts(|k| std::env::var(k).ok(), event.as_deref())
    }

    /// The context from an environment lookup and the event payload's text.
    pub fn from_parts(env: impl Fn(&str) -> Option<String>, event: Option<&str>) -> Context {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let payload: Value = event.and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
        let repo = get("GITHUB_REPOSITORY").and_then(|r| Repo::parse(&r));
        let event_name = get("GITHUB_EVENT_NAME").unwrap_or_default();
        let pr_obj = &payload["pull_request"];
        let mut pr = pr_obj["number"].as_u64();
        let mut head_sha = pr_obj["head"]["sha"].as_str().map(str::to_string);
        let head_repo = pr_obj["head"]["repo"]["full_name"].as_str().map(str::to_string);
        let created = |sha: &&str| sha.bytes().all(|b| b == b'0');
        let default_branch_base = match (payload["ref"].as_str(), payload["repository"]["default_branch"].as_str()) {
            (Some(pushed), Some(default)) if event_name == "push" => {
                pushed.strip_prefix("refs/heads/").filter(|branch| *branch != default).map(|_| default.to_string())
            }
            _ => None,
        };
        let base_sha = pr_obj["base"]["sha"]
            .as_str()
            .or_else(|| payload["before"].as_str().filter(|s| !created(s)).filter(|_| default_branch_base.is_none()))
            .filter(|_| event_name != "workflow_run")
            .map(str::to_string);
        if event_name == "workflow_run" {
            let run = &payload["workflow_run"];
            head_sha = run["head_sha"].as_str().map(str::to_string);
            pr = run["pull_requests"].as_array().and_then(|a| a.first()).and_then(|p| p["number"].as_u64());
        }
        let fork = event_name != "workflow_run"
            && match (&head_repo, &repo) {
                (Some(head), Some(base)) => !head.eq_ignore_ascii_case(&base.full_name()),
                _ => false,
            };
        let run_url = match (get("GITHUB_SERVER_URL"), &repo, get("GITHUB_RUN_ID")) {
            (Some(server), Some(r), Some(id)) => {
                Some(format!("{}/{}/actions/runs/{id}", server.trim_end_matches('/'), r.full_name()))
            }
            _ => None,
        };
        Context {
            pr_head: head_sha.clone(),
            base_sha,
            default_branch_base,
            repo,
            api_url: get("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".to_string()),
            event: event_name,
            pr,
            head_sha: head_sha.or_else(|| get("GITHUB_SHA")),
            head_repo,
            fork,
            run_url,
            step_summary: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: get("GITHUB_OUTPUT").map(PathBuf::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    const BASE: &[(&str, &str)] = &[
        ("GITHUB_REPOSITORY", "octo/app"),
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_SHA", "merge0000"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_RUN_ID", "42"),
    ];

    #[test]
    fn a_pull_request_from_the_same_repository_is_not_a_fork() {
        let event = r#"{"pull_request":{"number":7,"head":{"sha":"head1111","repo":{"full_name":"octo/app"}}}}"#;
        let c = Context::from_parts(env(BASE), Some(event));
        assert_eq!((c.pr, c.head_sha.as_deref(), c.fork), (Some(7), Some("head1111"), false));
        assert_eq!(c.pr_head.as_deref(), Some("head1111"));
        assert_eq!(c.run_url.as_deref(), Some("https://github.com/octo/app/actions/runs/42"));
        assert_eq!(c.api_url, "https://api.github.com");
    }

    #[test]
    fn a_pull_request_from_another_repository_is_a_fork() {
        let event = r#"{"pull_request":{"number":7,"head":{"sha":"h","repo":{"full_name":"mallory/app"}}}}"#;
        assert!(Context::from_parts(env(BASE), Some(event)).fork);
    }

    #[test]
    fn without_a_payload_the_commit_is_github_sha() {
        let c = Context::from_parts(env(BASE), None);
        assert_eq!((c.pr, c.head_sha.as_deref(), c.fork), (None, Some("merge0000"), false));
        assert_eq!(c.pr_head, None, "GITHUB_SHA is the merge commit, never the pull request's head");
    }
}
