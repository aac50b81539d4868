//! The GitLab REST API v4 calls: a merge request's notes (list, create, update) and a commit
//! status.

use serde::{Deserialize, Serialize};

use crate::http::{Api, ApiError, Auth, Method, Token, encode};
use crate::sticky::{Note, Notes};

/// GitLab's largest page, and never more than this many pages per listing.
const PER_PAGE: usize = 100;
const MAX_PAGES: usize = 30;
/// A note's body is limited to 1,000,000 characters.
pub const NOTE_MAX_CHARS: usize = 1_000_000;
/// The longest commit-status description written (GitLab documents none; it shows one line).
pub const STATUS_DESCRIPTION_MAX_CHARS: usize = 255;

/// A GitLab client for one project (the pipeline's: commit statuses go there).
pub struct Client {
    api: Api,
    /// The project id, percent-encoded for the path.
    project: String,
}

#[derive(Deserialize)]
struct RawNote {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    system: bool,
    #[serde(default)]
    author: Option<Author>,
}

#[derive(Deserialize)]
struct Author {
    username: String,
}

#[derive(Deserialize)]
struct Created {
    id: u64,
}

/// A commit status, as `POST /projects/:id/statuses/:sha` takes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommitStatus {
    /// `success`, `failed`, …
    pub state: &'static str,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<u64>,
}

impl Client {
    /// A client for `project` (its id or `group/name`) at `api_url` (`CI_API_V4_URL`).
    pub fn new(api_url: &str, token: &Token, project: &str) -> Result<Client, ApiError> {
        let api = Api::new("GitLab", api_url, Auth::Header("PRIVATE-TOKEN", token.clone()))?;
        Ok(Client { api, project: encode(project) })
    }

    /// The notes of merge request `iid` of `project` (its id or `group/name`: the merge
    /// request's own project, which for a fork's merge request is not the pipeline's), as
    /// [`crate::sticky`] keeps them.
    pub fn notes(&self, project: &str, iid: u64) -> MergeRequestNotes<'_> {
        MergeRequestNotes { client: self, project: encode(project), iid }
    }

    /// `POST /projects/:id/statuses/:sha` (tried again on 409: another update of the status was
    /// in progress).
    pub fn set_status(&self, sha: &str, status: &CommitStatus) -> Result<(), ApiError> {
        let path = format!("/projects/{}/statuses/{}", self.project, encode(sha));
        let _: serde_json::Value =
            self.api.send_retrying("setting the commit status", Method::Post, &path, &[], status, &[409])?;
        Ok(())
    }
}

/// One merge request's notes.
pub struct MergeRequestNotes<'a> {
    client: &'a Client,
    /// The merge request's project, percent-encoded for the path.
    project: String,
    iid: u64,
}

impl MergeRequestNotes<'_> {
    fn path(&self) -> String {
        format!("/projects/{}/merge_requests/{}/notes", self.project, self.iid)
    }
}

impl Notes for MergeRequestNotes<'_> {
    type Id = u64;
    type Error = ApiError;

    /// The notes most recently updated first (temis's own, updated on every run, comes early),
    /// system notes left out.
    fn list(&self) -> Result<Vec<Note<u64>>, ApiError> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let query = [
                ("sort", "desc".to_string()),
                ("order_by", "updated_at".to_string()),
                ("per_page", PER_PAGE.to_string()),
                ("page", page.to_string()),
            ];
            let batch: Vec<RawNote> = self.client.api.get("listing the merge request's notes", &self.path(), &query)?;
            let short = batch.len() < PER_PAGE;
            all.extend(batch.into_iter().filter(|n| !n.system).map(|n| Note {
                id: n.id,
                body: n.body.unwrap_or_default(),
                author: n.author.map(|a| a.username),
            }));
            if short {
                break;
            }
        }
        Ok(all)
    }

    fn create(&self, body: &str) -> Result<u64, ApiError> {
        let created: Created = self.client.api.send(
            "creating the merge-request note",
            Method::Post,
            &self.path(),
            &[],
            &serde_json::json!({ "body": body }),
        )?;
        Ok(created.id)
    }

    fn update(&self, note: &Note<u64>, body: &str) -> Result<u64, ApiError> {
        let path = format!("{}/{}", self.path(), note.id);
        let updated: Created = self.client.api.send(
            "updating the merge-request note",
            Method::Put,
            &path,
            &[],
            &serde_json::json!({ "body": body }),
        )?;
        Ok(updated.id)
    }
}
