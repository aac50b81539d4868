//! The Code Insights calls: `PUT …/commit/{commit}/reports/{reportId}` and
//! `POST …/reports/{reportId}/annotations`, with the limits Bitbucket documents.

use serde::Serialize;

use crate::http::{Api, ApiError, Auth, Method, Token, encode};

/// Annotations per request (the API's `maxItems`), and per report.
pub const ANNOTATIONS_PER_REQUEST: usize = 100;
pub const MAX_ANNOTATIONS: usize = 1_000;
/// Data fields per report: Bitbucket Cloud's description says at most 10, Bitbucket Data
/// Center's at most 6; 6 is kept on both.
pub const MAX_DATA_FIELDS: usize = 6;
/// Text lengths Bitbucket Data Center documents for Code Insights (Cloud documents none): a
/// report's title, its details, an annotation's summary and details.
pub const TITLE_MAX_CHARS: usize = 450;
pub const DETAILS_MAX_CHARS: usize = 2_000;
pub const SUMMARY_MAX_CHARS: usize = 450;

/// A Code Insights report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub details: String,
    /// `SECURITY`, `COVERAGE`, `TEST` or `BUG`.
    pub report_type: &'static str,
    pub reporter: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// `PASSED` or `FAILED`.
    pub result: &'static str,
    pub data: Vec<DataField>,
}

/// One of a report's data fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataField {
    /// `BOOLEAN`, `DATE`, `DURATION`, `LINK`, `NUMBER`, `PERCENTAGE` or `TEXT`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub value: serde_json::Value,
}

/// One annotation of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Annotation {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Stable from run to run: a second upload updates the annotation instead of adding one.
    pub external_id: String,
    /// `VULNERABILITY`, `CODE_SMELL` or `BUG`.
    pub annotation_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// `PASSED`, `FAILED`, `SKIPPED` or `IGNORED`.
    pub result: &'static str,
    /// `CRITICAL`, `HIGH`, `MEDIUM` or `LOW`.
    pub severity: &'static str,
}

/// A Bitbucket Cloud client for one repository.
pub struct Client {
    api: Api,
    /// `/repositories/{workspace}/{repo_slug}`.
    repo: String,
}

impl Client {
    /// Through the Pipelines proxy (`http://localhost:29418`), to `api_url` (an `http://` URL:
    /// the proxy adds the credentials and speaks https onward).
    pub fn through_proxy(api_url: &str, proxy: &str, workspace: &str, slug: &str) -> Result<Client, ApiError> {
        Ok(Client { api: Api::through_proxy("Bitbucket", api_url, proxy)?, repo: repo_path(workspace, slug) })
    }

    /// Directly to `api_url` (`https://api.bitbucket.org/2.0`) with an access token.
    pub fn with_token(api_url: &str, token: &Token, workspace: &str, slug: &str) -> Result<Client, ApiError> {
        let api = Api::new("Bitbucket", api_url, Auth::Bearer(token.clone()))?;
        Ok(Client { api, repo: repo_path(workspace, slug) })
    }

    fn report_path(&self, commit: &str, id: &str) -> String {
        format!("{}/commit/{}/reports/{}", self.repo, encode(commit), encode(id))
    }

    /// Creates the report `id` on `commit`, or replaces the one there.
    pub fn put_report(&self, commit: &str, id: &str, report: &Report) -> Result<(), ApiError> {
        let path = self.report_path(commit, id);
        let _: serde_json::Value =
            self.api.send("writing the Code Insights report", Method::Put, &path, &[], report)?;
        Ok(())
    }

    /// Uploads `list` (at most [`MAX_ANNOTATIONS`]) in requests of at most
    /// [`ANNOTATIONS_PER_REQUEST`]. Returns how many were sent, and the error that stopped the
    /// upload, if one did.
    pub fn add_annotations(&self, commit: &str, id: &str, list: &[Annotation]) -> (usize, Option<ApiError>) {
        let path = format!("{}/annotations", self.report_path(commit, id));
        let mut sent = 0;
        for batch in list[..list.len().min(MAX_ANNOTATIONS)].chunks(ANNOTATIONS_PER_REQUEST) {
            // An upsert by `external_id`: sending a batch again changes nothing, so a 5xx is retried.
            let answer: Result<serde_json::Value, ApiError> = self.api.send_retrying(
                "adding the report's annotations",
                Method::Post,
                &path,
                &[],
                &batch,
                &[500, 502, 503, 504],
            );
            if let Err(e) = answer {
                return (sent, Some(e));
            }
            sent += batch.len();
        }
        (sent, None)
    }
}

fn repo_path(workspace: &str, slug: &str) -> String {
    format!("/repositories/{}/{}", encode(workspace), encode(slug))
}
