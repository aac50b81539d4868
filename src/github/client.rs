//! The REST calls temis makes, through octocrab, on a current-thread tokio runtime of its own.
//!
//! octocrab is built without its retry layer: a POST that GitHub carried out before failing
//! would be sent twice (a second sticky comment). Reads are retried here, where that is safe.
//!
//! Only the raw `get`/`post`/`patch` helpers of octocrab are used, with request and response
//! types of our own: the bodies are exactly the ones GitHub's OpenAPI description names (octocrab
//! updates a comment with POST where the REST API documents PATCH), and a response only has to
//! carry the few fields temis reads.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ApiError, Repo, Token};

/// Pages of 100 (GitHub's maximum) and never more than this many pages per listing.
const PER_PAGE: usize = 100;
const MAX_PAGES: usize = 30;

/// A GitHub REST client for one repository.
pub struct Client {
    runtime: tokio::runtime::Runtime,
    crab: octocrab::Octocrab,
    repo: Repo,
    token: Token,
}

/// One file of a pull request's diff.
#[derive(Clone, Debug, Deserialize)]
pub struct DiffEntry {
    pub filename: String,
    pub status: String,
    /// Absent for binary files and for diffs GitHub deems too large.
    #[serde(default)]
    pub patch: Option<String>,
    /// Lines added (0 for a binary file).
    #[serde(default)]
    pub additions: Option<u64>,
}

/// The fields of a pull request temis reads.
#[derive(Clone, Debug, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    pub head: Branch,
    pub base: Branch,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Branch {
    pub sha: String,
    #[serde(rename = "ref")]
    pub name: String,
}

/// An issue comment: its id, body and author.
#[derive(Clone, Debug, Deserialize)]
pub struct Comment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct User {
    pub login: String,
}

#[derive(Deserialize)]
struct Created {
    id: u64,
}

impl Client {
    /// A client for `repo` at `api_url` (`https://api.github.com`, a GitHub Enterprise
    /// `https://HOST/api/v3`, or a test server).
    pub fn new(api_url: &str, token: &Token, repo: Repo) -> Result<Client, ApiError> {
        let transport = |message: String| ApiError::Transport { what: "setting up the GitHub client".into(), message };
        if !crate::http::sends_token_safely(api_url) {
            return Err(transport(format!(
                "refusing to send the token to {api_url}: use https (plain http only to this machine, for tests)"
            )));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| transport(format!("cannot start the async runtime: {e}")))?;
        // octocrab's builder spawns its buffer worker, so it must run inside the runtime.
        let _inside = runtime.enter();
        let crab = octocrab::Octocrab::builder()
            .base_uri(api_url.trim_end_matches('/'))
            .map_err(|_| transport(format!("not a URL: {api_url}")))?
            .personal_token(token.expose().to_string())
            .add_header(http::header::ACCEPT, "application/vnd.github+json".to_string())
            .add_header(http::HeaderName::from_static("x-github-api-version"), "2022-11-28".to_string())
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(30)))
            .set_write_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| transport(e.to_string()))?;
        drop(_inside);
        Ok(Client { runtime, crab, repo, token: token.clone() })
    }

    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    fn route(&self, rest: &str) -> String {
        format!("/repos/{}/{}/{rest}", self.repo.owner, self.repo.name)
    }

    /// `GET /repos/{owner}/{repo}/pulls/{pull_number}`.
    pub fn pull_request(&self, number: u64) -> Result<PullRequest, ApiError> {
        let route = self.route(&format!("pulls/{number}"));
        self.read("reading the pull request", || self.crab.get::<PullRequest, _, ()>(&route, None))
    }

    /// Every file of the pull request's diff (GitHub lists at most 3,000).
    pub fn pull_request_files(&self, number: u64) -> Result<Vec<DiffEntry>, ApiError> {
        let route = self.route(&format!("pulls/{number}/files"));
        self.pages("listing the pull request's files", &route)
    }

    /// Every comment on the pull request (its issue).
    pub fn comments(&self, number: u64) -> Result<Vec<Comment>, ApiError> {
        let route = self.route(&format!("issues/{number}/comments"));
        self.pages("listing the pull request's comments", &route)
    }

    /// `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`; the new comment's id.
    pub fn create_comment(&self, number: u64, body: &str) -> Result<u64, ApiError> {
        let route = self.route(&format!("issues/{number}/comments"));
        let created: Created =
            self.call("creating the comment", self.crab.post(route, Some(&serde_json::json!({ "body": body }))))?;
        Ok(created.id)
    }

    /// `PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}`.
    pub fn update_comment(&self, id: u64, body: &str) -> Result<u64, ApiError> {
        let route = self.route(&format!("issues/comments/{id}"));
        let updated: Created =
            self.call("updating the comment", self.crab.patch(route, Some(&serde_json::json!({ "body": body }))))?;
        Ok(updated.id)
    }

    /// `POST /repos/{owner}/{repo}/check-runs`; the new check run's id.
    pub fn create_check_run(&self, body: &impl Serialize) -> Result<u64, ApiError> {
        let created: Created =
            self.call("creating the check run", self.crab.post(self.route("check-runs"), Some(body)))?;
        Ok(created.id)
    }

    /// `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`.
    pub fn update_check_run(&self, id: u64, body: &impl Serialize) -> Result<(), ApiError> {
        let route = self.route(&format!("check-runs/{id}"));
        let _: Created = self.call("updating the check run", self.crab.patch(route, Some(body)))?;
        Ok(())
    }

    /// Follows `?per_page=100&page=N` until a short page, at most [`MAX_PAGES`] pages.
    fn pages<T: DeserializeOwned>(&self, what: &str, route: &str) -> Result<Vec<T>, ApiError> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let params = [("per_page", PER_PAGE), ("page", page)];
            let batch: Vec<T> = self.read(what, || self.crab.get(route, Some(&params)))?;
            let short = batch.len() < PER_PAGE;
            all.extend(batch);
            if short {
                break;
            }
        }
        Ok(all)
    }

    /// A read, tried up to three times when the connection fails or GitHub answers 5xx.
    fn read<T, F: Future<Output = octocrab::Result<T>>>(
        &self,
        what: &str,
        request: impl Fn() -> F,
    ) -> Result<T, ApiError> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.call(what, request()) {
                Err(ApiError::Transport { .. } | ApiError::Status { status: 500.., .. }) if tries < 3 => {
                    tracing::info!("{what}: retrying ({tries} of 3 failed)");
                }
                other => return other,
            }
        }
    }

    /// Runs one request to completion and turns octocrab's error into ours, without the token.
    fn call<T>(&self, what: &str, fut: impl Future<Output = octocrab::Result<T>>) -> Result<T, ApiError> {
        self.runtime.block_on(fut).map_err(|e| {
            let redact = |s: String| s.replace(self.token.expose(), "***");
            match e {
                octocrab::Error::GitHub { source, .. } => ApiError::Status {
                    what: what.to_string(),
                    status: source.status_code.as_u16(),
                    message: redact(source.message.lines().next().unwrap_or_default().to_string()),
                },
                other => ApiError::Transport { what: what.to_string(), message: redact(first_line(&other)) },
            }
        })
    }
}

/// octocrab's `Display` of some errors appends a backtrace; the first line says what happened.
fn first_line(e: &octocrab::Error) -> String {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or_default().trim();
    line.strip_suffix("Found at").unwrap_or(line).trim().to_string()
}
