//! The two writes a pull request gets: one sticky comment, updated in place on every push (the
//! rule is [`sticky`]'s, shared with the other platforms), and one check run whose annotations
//! go 50 to a request.

use serde::Serialize;

use super::{ApiError, Client};
use crate::sticky::{self, Note, Notes, Upserted};

/// GitHub takes at most 50 annotations per check-run request.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;

/// The pull request's comments, as [`sticky`] lists, creates and updates notes.
struct PrComments<'a> {
    client: &'a Client,
    pr: u64,
}

impl Notes for PrComments<'_> {
    type Id = u64;
    type Error = ApiError;

    fn list(&self) -> Result<Vec<Note<u64>>, ApiError> {
        let all = self.client.comments(self.pr)?;
        Ok(all
            .into_iter()
            .map(|c| Note { id: c.id, body: c.body.unwrap_or_default(), author: c.user.map(|u| u.login) })
            .collect())
    }

    fn create(&self, body: &str) -> Result<u64, ApiError> {
        self.client.create_comment(self.pr, body)
    }

    fn update(&self, note: &Note<u64>, body: &str) -> Result<u64, ApiError> {
        self.client.update_comment(note.id, body)
    }
}

/// Finds temis's own comment of `marker` (written by `author`, when given) and updates it, or
/// creates one when there is none and `create` is true ([`sticky::upsert`]). Returns the
/// comment's id and whether it was created, or `None` when there was nothing to update and
/// nothing to create.
pub fn upsert_comment(
    client: &Client,
    pr: u64,
    marker: &str,
    author: Option<&str>,
    body: &str,
    create: bool,
) -> Result<Option<(u64, bool)>, sticky::Failed<ApiError>> {
    Ok(match sticky::upsert(&PrComments { client, pr }, marker, author, body, create)? {
        Upserted::Created(id) => Some((id, true)),
        Upserted::Updated(id) => Some((id, false)),
        Upserted::Nothing => None,
    })
}

/// A completed check run to publish.
#[derive(Clone, Debug)]
pub struct CheckRun {
    pub name: String,
    pub head_sha: String,
    /// `success`, `failure`, `neutral`.
    pub conclusion: &'static str,
    pub details_url: Option<String>,
    pub title: String,
    /// Markdown, at most 65,535 characters.
    pub summary: String,
    pub annotations: Vec<CheckAnnotation>,
}

/// One check-run annotation, as the API takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckAnnotation {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    pub annotation_level: &'static str,
    pub message: String,
    pub title: String,
}

#[derive(Serialize)]
struct Output<'a> {
    title: &'a str,
    summary: &'a str,
    annotations: &'a [CheckAnnotation],
}

#[derive(Serialize)]
struct Create<'a> {
    name: &'a str,
    head_sha: &'a str,
    status: &'static str,
    conclusion: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details_url: Option<&'a str>,
    output: Output<'a>,
}

#[derive(Serialize)]
struct Update<'a> {
    output: Output<'a>,
}

/// Creates the check run with the first 50 annotations and adds the rest 50 per update. Returns
/// the run's id, and the error of a later batch that failed (the run exists then, with part of
/// its annotations).
pub fn publish_check_run(client: &Client, run: &CheckRun) -> Result<(u64, Option<ApiError>), ApiError> {
    let mut batches = run.annotations.chunks(ANNOTATIONS_PER_REQUEST);
    let output = |annotations| Output { title: &run.title, summary: &run.summary, annotations };
    let id = client.create_check_run(&Create {
        name: &run.name,
        head_sha: &run.head_sha,
        status: "completed",
        conclusion: run.conclusion,
        details_url: run.details_url.as_deref(),
        output: output(batches.next().unwrap_or_default()),
    })?;
    for batch in batches {
        if let Err(e) = client.update_check_run(id, &Update { output: output(batch) }) {
            return Ok((id, Some(e)));
        }
    }
    Ok((id, None))
}
