//! The Azure DevOps Git REST calls: a pull request's threads (list, create, update the first
//! comment and the thread's status) and its statuses.

use serde::{Deserialize, Serialize};

use crate::http::{Api, ApiError, Auth, Method, Token, encode};
use crate::sticky::{Note, Notes};

/// A comment's content is limited to 150,000 characters.
pub const COMMENT_MAX_CHARS: usize = 150_000;
/// The longest status description written (Azure DevOps shows one line).
pub const STATUS_DESCRIPTION_MAX_CHARS: usize = 255;

/// An Azure DevOps client for one repository.
pub struct Client {
    api: Api,
    /// `/{project}/_apis/git/repositories/{repositoryId}`.
    repo: String,
    /// `api-version`, sent with every call.
    version: String,
}

/// A pull-request status, as `POST …/pullRequests/{id}/statuses` takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// `succeeded`, `failed`, `error`…
    pub state: &'static str,
    pub description: String,
    pub context: StatusContext,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusContext {
    pub name: String,
    pub genre: String,
}

impl Status {
    pub fn new(state: &'static str, description: String, name: &str, target_url: Option<String>) -> Status {
        Status {
            state,
            description,
            context: StatusContext { name: name.to_string(), genre: "temis".into() },
            target_url,
        }
    }
}

/// Where the sticky note lives: a thread, its first comment, and the thread's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadRef {
    pub thread: u64,
    pub comment: u64,
    pub status: Option<String>,
}

#[derive(Deserialize)]
struct Listing<T> {
    value: Vec<T>,
}

#[derive(Deserialize)]
struct RawThread {
    id: u64,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, rename = "isDeleted")]
    deleted: bool,
    #[serde(default)]
    comments: Vec<RawComment>,
}

#[derive(Deserialize)]
struct RawComment {
    id: u64,
    #[serde(default)]
    content: Option<String>,
    #[serde(default, rename = "parentCommentId")]
    parent: u64,
    #[serde(default)]
    author: Option<Identity>,
}

#[derive(Deserialize)]
struct Identity {
    #[serde(default, rename = "uniqueName")]
    unique_name: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    id: u64,
}

impl Client {
    /// A client for `repository` of `project` in the organization at `collection_uri`
    /// (`SYSTEM_COLLECTIONURI`), calling `api_version` (`7.1`).
    pub fn new(
        collection_uri: &str,
        token: &Token,
        project: &str,
        repository: &str,
        api_version: &str,
    ) -> Result<Client, ApiError> {
        let api = Api::new("Azure DevOps", collection_uri, Auth::Bearer(token.clone()))?;
        let repo = format!("/{}/_apis/git/repositories/{}", encode(project), encode(repository));
        Ok(Client { api, repo, version: api_version.to_string() })
    }

    fn version(&self) -> [(&'static str, String); 1] {
        [("api-version", self.version.clone())]
    }

    /// The pull request's threads, as [`crate::sticky`] keeps them; the note's thread is left
    /// `status` (`active` while the verdict blocks, `closed` once it approves).
    pub fn threads(&self, pr: u64, status: &'static str) -> PullRequestThreads<'_> {
        PullRequestThreads { client: self, pr, status }
    }

    /// `POST …/pullRequests/{id}/statuses`.
    pub fn set_status(&self, pr: u64, status: &Status) -> Result<(), ApiError> {
        let path = format!("{}/pullRequests/{pr}/statuses", self.repo);
        let _: serde_json::Value =
            self.api.send("setting the pull request's status", Method::Post, &path, &self.version(), status)?;
        Ok(())
    }
}

/// One pull request's threads.
pub struct PullRequestThreads<'a> {
    client: &'a Client,
    pr: u64,
    status: &'static str,
}

impl PullRequestThreads<'_> {
    fn path(&self) -> String {
        format!("{}/pullRequests/{}/threads", self.client.repo, self.pr)
    }
}

impl Notes for PullRequestThreads<'_> {
    type Id = ThreadRef;
    type Error = ApiError;

    /// Each live thread's first comment.
    fn list(&self) -> Result<Vec<Note<ThreadRef>>, ApiError> {
        let c = self.client;
        let listing: Listing<RawThread> =
            c.api.get("listing the pull request's threads", &self.path(), &c.version())?;
        Ok(listing
            .value
            .into_iter()
            .filter(|t| !t.deleted)
            .filter_map(|t| {
                let first = t.comments.into_iter().find(|c| c.parent == 0)?;
                Some(Note {
                    id: ThreadRef { thread: t.id, comment: first.id, status: t.status },
                    body: first.content.unwrap_or_default(),
                    author: first.author.and_then(|a| a.unique_name),
                })
            })
            .collect())
    }

    fn create(&self, body: &str) -> Result<ThreadRef, ApiError> {
        let c = self.client;
        let thread = serde_json::json!({
            "comments": [{ "parentCommentId": 0, "content": body, "commentType": "text" }],
            "status": self.status,
        });
        let created: Created =
            c.api.send("creating the pull-request thread", Method::Post, &self.path(), &c.version(), &thread)?;
        Ok(ThreadRef { thread: created.id, comment: 1, status: Some(self.status.to_string()) })
    }

    fn update(&self, note: &Note<ThreadRef>, body: &str) -> Result<ThreadRef, ApiError> {
        let c = self.client;
        let id = &note.id;
        let path = format!("{}/{}/comments/{}", self.path(), id.thread, id.comment);
        let _: serde_json::Value = c.api.send(
            "updating the pull-request thread's comment",
            Method::Patch,
            &path,
            &c.version(),
            &serde_json::json!({ "content": body }),
        )?;
        if id.status.as_deref() != Some(self.status) {
            let path = format!("{}/{}", self.path(), id.thread);
            let _: serde_json::Value = c.api.send(
                "setting the pull-request thread's status",
                Method::Patch,
                &path,
                &c.version(),
                &serde_json::json!({ "status": self.status }),
            )?;
        }
        Ok(ThreadRef { status: Some(self.status.to_string()), ..id.clone() })
    }
}
