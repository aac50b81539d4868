//! The MCP resources: what an agent reads to know where the work stands — the effective policy
//! (`temis://policy`), and for each plan of the repository the plan itself, its phase records and
//! the feature's summary (`temis://plan/<path>`, `temis://record/<path>`,
//! `temis://summary/<path>`, paths relative to the repository).
//!
//! Only what the listing names can be read: a URI is looked up in the listing made anew, never
//! turned into a file path on its own.

use std::path::Path;

use rmcp::model::{Resource, ResourceContents};

use crate::app::{self, discover, plans};
use crate::error::Error;
use crate::plan::locate::PLAN_GLOBS;

pub const POLICY_URI: &str = "temis://policy";

/// One resource of the listing.
pub struct Listed {
    pub uri: String,
    pub name: String,
    pub description: String,
    pub mime: &'static str,
    /// The file it is read from (repository-relative); `None` for the policy.
    file: Option<String>,
}

impl Listed {
    pub fn resource(&self) -> Resource {
        Resource::new(&self.uri, &self.name).with_description(&self.description).with_mime_type(self.mime)
    }
}

/// Why a resource could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// No such resource in the listing.
    NotFound(String),
    /// It exists, and reading it failed (a policy that does not validate, an unreadable file).
    Failed(Error),
}

/// The policy, then each plan with its records and summary.
pub fn list(root: &Path) -> Vec<Listed> {
    let mut out = vec![Listed {
        uri: POLICY_URI.into(),
        name: "policy".into(),
        description: "The policy the gate applies: temis.toml at the repository root, else the embedded default \
                      (validated when read)"
            .into(),
        mime: "application/toml",
        file: None,
    }];
    let (mut found, _) = discover::find(root, PLAN_GLOBS);
    found.sort();
    found.dedup();
    for path in found {
        let rel = plans::relative(root, &path);
        out.push(file("plan", &rel, format!("The plan {rel}: its phases, tasks, test requirements and risks")));
        let loaded = match plans::load(root, &path) {
            Ok(l) => l,
            Err(e) => {
                tracing::info!("{rel}: its records are not listed: {e}");
                continue;
            }
        };
        for (n, (record, recorded)) in loaded.records() {
            let verdict = &recorded.verdict;
            out.push(file(
                "record",
                &record,
                format!("Phase {n}'s record ({verdict}), written by temis phase complete"),
            ));
        }
        if let Some(summary) = loaded.written_summary() {
            out.push(file("summary", &summary, "The feature's summary, written by temis phase summary".into()));
        }
    }
    out
}

fn file(kind: &str, rel: &str, description: String) -> Listed {
    Listed {
        uri: format!("temis://{kind}/{rel}"),
        name: rel.to_string(),
        description,
        mime: "text/markdown",
        file: Some(rel.to_string()),
    }
}

/// Reads the resource `uri` names, if the listing has it.
pub fn read(root: &Path, uri: &str) -> Result<ResourceContents, ReadError> {
    let listed = list(root).into_iter().find(|l| l.uri == uri).ok_or_else(|| {
        ReadError::NotFound(format!(
            "no resource {uri}: temis serves {POLICY_URI} and the plans, records and summaries resources/list names"
        ))
    })?;
    let text = match &listed.file {
        None => {
            let source = app::policy::source(None, root).map_err(ReadError::Failed)?;
            if source.file.is_some() {
                crate::policy::Policy::parse(&source.name, &source.text).map_err(|e| ReadError::Failed(e.into()))?;
            }
            source.text
        }
        Some(rel) => std::fs::read_to_string(root.join(rel))
            .map_err(|e| ReadError::Failed(Error::Read { path: rel.clone(), source: e }))?,
    };
    Ok(ResourceContents::text(text, uri).with_mime_type(listed.mime))
}
