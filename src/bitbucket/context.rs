//! The Bitbucket Pipelines default variables temis reads.

/// What the pipeline's variables say about this step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// `BITBUCKET_BUILD_NUMBER`: set in every pipeline (and so: the proxy is there).
    pub build_number: Option<String>,
    /// `BITBUCKET_WORKSPACE`.
    pub workspace: Option<String>,
    /// `BITBUCKET_REPO_SLUG`.
    pub repo_slug: Option<String>,
    /// `BITBUCKET_COMMIT`: the commit the report belongs to.
    pub commit: Option<String>,
    /// `BITBUCKET_PR_ID`.
    pub pr_id: Option<u64>,
    /// `BITBUCKET_PR_DESTINATION_BRANCH`.
    pub destination_branch: Option<String>,
    /// `BITBUCKET_PR_DESTINATION_COMMIT`: the destination's tip, often its first 12 hex digits
    /// only.
    pub destination_commit: Option<String>,
    /// `BITBUCKET_CLONE_DIR`: where the repository is checked out.
    pub clone_dir: Option<String>,
}

/// The variables [`Context`] reads, for `--help`.
pub const VARIABLES: &[&str] = &[
    "BITBUCKET_BUILD_NUMBER",
    "BITBUCKET_WORKSPACE",
    "BITBUCKET_REPO_SLUG",
    "BITBUCKET_COMMIT",
    "BITBUCKET_PR_ID",
    "BITBUCKET_PR_DESTINATION_BRANCH",
    "BITBUCKET_PR_DESTINATION_COMMIT",
    "BITBUCKET_CLONE_DIR",
];

impl Context {
    pub fn from_env() -> Context {
        Context::from_parts(|k| std::env::var(k).ok())
    }

    pub fn from_parts(env: impl Fn(&str) -> Option<String>) -> Context {
        let get = |k: &str| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Context {
            build_number: get("BITBUCKET_BUILD_NUMBER"),
            workspace: get("BITBUCKET_WORKSPACE"),
            repo_slug: get("BITBUCKET_REPO_SLUG"),
            commit: get("BITBUCKET_COMMIT"),
            pr_id: get("BITBUCKET_PR_ID").and_then(|v| v.parse().ok()),
            destination_branch: get("BITBUCKET_PR_DESTINATION_BRANCH"),
            destination_commit: get("BITBUCKET_PR_DESTINATION_COMMIT"),
            clone_dir: get("BITBUCKET_CLONE_DIR"),
        }
    }

    /// The pipeline's page: `https://bitbucket.org/WORKSPACE/REPO/pipelines/results/N`.
    pub fn pipeline_url(&self) -> Option<String> {
        match (&self.workspace, &self.repo_slug, &self.build_number) {
            (Some(w), Some(r), Some(n)) => Some(format!("https://bitbucket.org/{w}/{r}/pipelines/results/{n}")),
            _ => None,
        }
    }

    /// The destination commit when the variable holds all 40 hex digits of it.
    pub fn full_destination_commit(&self) -> Option<&str> {
        self.destination_commit.as_deref().filter(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_destination_commit_is_not_taken_for_a_commit_id() {
        let env = |k: &str| match k {
            "BITBUCKET_PR_DESTINATION_COMMIT" => Some("0123456789ab".to_string()),
            "BITBUCKET_WORKSPACE" => Some("acme".to_string()),
            "BITBUCKET_REPO_SLUG" => Some("app".to_string()),
            "BITBUCKET_BUILD_NUMBER" => Some("42".to_string()),
            "BITBUCKET_PR_ID" => Some("7".to_string()),
            _ => None,
        };
        let c = Context::from_parts(env);
        assert_eq!(c.full_destination_commit(), None);
        assert_eq!(c.pr_id, Some(7));
        assert_eq!(c.pipeline_url().as_deref(), Some("https://bitbucket.org/acme/app/pipelines/results/42"));
    }
}
