//! The GitLab CI/CD predefined variables temis reads.

/// What the pipeline's variables say about this job.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// `CI_API_V4_URL`: `https://gitlab.com/api/v4`, or a self-managed instance's.
    pub api_url: Option<String>,
    /// `CI_PROJECT_ID`: the project the pipeline runs in (a fork's, for a fork's merge
    /// request); the commit status goes there.
    pub project_id: Option<String>,
    /// `CI_MERGE_REQUEST_PROJECT_ID`: the project the merge request belongs to, whose numbering
    /// `CI_MERGE_REQUEST_IID` is (the target project, for a fork's merge request).
    pub mr_project_id: Option<String>,
    /// `CI_MERGE_REQUEST_IID`: set in merge-request pipelines.
    pub mr_iid: Option<u64>,
    /// `CI_MERGE_REQUEST_TARGET_BRANCH_SHA`: set in merged-results pipelines, where the commit
    /// tested merges the source branch into this one.
    pub target_branch_sha: Option<String>,
    /// `CI_MERGE_REQUEST_DIFF_BASE_SHA`: the base of the merge request's diff.
    pub diff_base_sha: Option<String>,
    /// `CI_COMMIT_SHA`: the commit tested.
    pub commit_sha: Option<String>,
    /// `CI_COMMIT_BEFORE_SHA`: the branch's previous tip in a push pipeline (not a new branch's
    /// zeros).
    pub before_sha: Option<String>,
    /// `CI_COMMIT_BRANCH`: the branch a branch pipeline built (unset in merge-request and tag
    /// pipelines).
    pub branch: Option<String>,
    /// `CI_DEFAULT_BRANCH`: the project's default branch.
    pub default_branch: Option<String>,
    /// `CI_PIPELINE_ID`: the pipeline the commit status joins.
    pub pipeline_id: Option<u64>,
    /// `CI_JOB_URL`: linked from the note and the status.
    pub job_url: Option<String>,
    /// `CI_PROJECT_DIR`: where the repository is checked out.
    pub project_dir: Option<String>,
}

/// The variables [`Context`] reads, for `--help`.
pub const VARIABLES: &[&str] = &[
    "CI_API_V4_URL",
    "CI_PROJECT_ID",
    "CI_MERGE_REQUEST_PROJECT_ID",
    "CI_MERGE_REQUEST_IID",
    "CI_MERGE_REQUEST_TARGET_BRANCH_SHA",
    "CI_MERGE_REQUEST_DIFF_BASE_SHA",
    "CI_COMMIT_SHA",
    "CI_COMMIT_BEFORE_SHA",
    "CI_COMMIT_BRANCH",
    "CI_DEFAULT_BRANCH",
    "CI_PIPELINE_ID",
    "CI_JOB_URL",
    "CI_PROJECT_DIR",
];

impl Context {
    pub fn from_env() -> Context {
        Context::from_parts(|k| std::env::var(k).ok())
    }

    /// The context from an environment lookup.
    pub fn from_parts(env: impl Fn(&str) -> Option<String>) -> Context {
        let get = |k: &str| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let sha = |k: &str| get(k).filter(|v| !v.bytes().all(|b| b == b'0'));
        Context {
            api_url: get("CI_API_V4_URL"),
            project_id: get("CI_PROJECT_ID"),
            mr_project_id: get("CI_MERGE_REQUEST_PROJECT_ID"),
            mr_iid: get("CI_MERGE_REQUEST_IID").and_then(|v| v.parse().ok()),
            target_branch_sha: sha("CI_MERGE_REQUEST_TARGET_BRANCH_SHA"),
            diff_base_sha: sha("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
            commit_sha: sha("CI_COMMIT_SHA"),
            before_sha: sha("CI_COMMIT_BEFORE_SHA"),
            branch: get("CI_COMMIT_BRANCH"),
            default_branch: get("CI_DEFAULT_BRANCH"),
            pipeline_id: get("CI_PIPELINE_ID").and_then(|v| v.parse().ok()),
            job_url: get("CI_JOB_URL"),
            project_dir: get("CI_PROJECT_DIR"),
        }
    }

    /// The project whose merge request `CI_MERGE_REQUEST_IID` numbers: `CI_MERGE_REQUEST_PROJECT_ID`,
    /// else `CI_PROJECT_ID` (the same project but for a fork's merge request).
    pub fn mr_project(&self) -> Option<&str> {
        self.mr_project_id.as_deref().or(self.project_id.as_deref())
    }

    /// The commit the change is measured from, and what it is, for people: a merged-results
    /// pipeline's target branch, else the merge request's diff base, else a push's previous tip
    /// on the default branch. A push to another branch is measured from the default branch
    /// ([`Context::default_branch_base`]), not from its previous tip: its last push alone (a
    /// README line after a blocked change) approved what the branch adds.
    pub fn base(&self) -> Option<(String, &'static str)> {
        if self.mr_iid.is_some() || self.diff_base_sha.is_some() {
            if let Some(t) = &self.target_branch_sha {
                return Some((t.clone(), "the merge request's target branch"));
            }
            if let Some(b) = &self.diff_base_sha {
                return Some((b.clone(), "the merge request's base"));
            }
        }
        if self.default_branch_base().is_some() {
            return None;
        }
        self.before_sha.clone().map(|b| (b, "the pushed range's base"))
    }

    /// In a branch pipeline of a branch other than the default one, outside a merge request: the
    /// default branch, which the change is measured from (what a merge request would show).
    pub fn default_branch_base(&self) -> Option<&str> {
        if self.mr_iid.is_some() || self.diff_base_sha.is_some() {
            return None;
        }
        match (self.branch.as_deref(), self.default_branch.as_deref()) {
            (Some(branch), Some(default)) if branch != default => Some(default),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Context::from_parts(move |k| owned.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn the_base_is_the_target_in_merged_results_else_the_diff_base_else_the_push() {
        let mr = [("CI_MERGE_REQUEST_IID", "5"), ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "aaa"), ("CI_COMMIT_SHA", "ccc")];
        assert_eq!(ctx(&mr).base(), Some(("aaa".into(), "the merge request's base")));
        let merged = [("CI_MERGE_REQUEST_TARGET_BRANCH_SHA", "ttt"), mr[0], mr[1]];
        assert_eq!(ctx(&merged).base(), Some(("ttt".into(), "the merge request's target branch")));
        let push = [("CI_COMMIT_BEFORE_SHA", "bbb"), ("CI_COMMIT_SHA", "ccc")];
        assert_eq!(ctx(&push).base(), Some(("bbb".into(), "the pushed range's base")));
        let new_branch = [("CI_COMMIT_BEFORE_SHA", "0000000000000000000000000000000000000000")];
        assert_eq!(ctx(&new_branch).base(), None);
        // A push to a feature branch: measured from the default branch, not its previous tip.
        let main = [push[0], push[1], ("CI_COMMIT_BRANCH", "main"), ("CI_DEFAULT_BRANCH", "main")];
        assert_eq!(ctx(&main).base(), Some(("bbb".into(), "the pushed range's base")));
        assert_eq!(ctx(&main).default_branch_base(), None);
        let feature = [push[0], push[1], ("CI_COMMIT_BRANCH", "feature"), ("CI_DEFAULT_BRANCH", "main")];
        assert_eq!((ctx(&feature).base(), ctx(&feature).default_branch_base()), (None, Some("main")));
        let in_mr = [mr[0], mr[1], ("CI_COMMIT_BRANCH", "feature"), ("CI_DEFAULT_BRANCH", "main")];
        assert_eq!(ctx(&in_mr).default_branch_base(), None);
        assert_eq!(ctx(&mr).mr_iid, Some(5));
    }

    #[test]
    fn a_forks_merge_request_is_the_target_projects() {
        let fork = [("CI_PROJECT_ID", "100"), ("CI_MERGE_REQUEST_PROJECT_ID", "42"), ("CI_MERGE_REQUEST_IID", "7")];
        assert_eq!((ctx(&fork).project_id.as_deref(), ctx(&fork).mr_project()), (Some("100"), Some("42")));
        assert_eq!(ctx(&fork[..1]).mr_project(), Some("100"), "unset: the pipeline's own project");
    }
}
