//! The Azure Pipelines predefined variables temis reads (as the agent exports them: upper
//! case, `.` as `_`).

/// What the pipeline's variables say about this job.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// `TF_BUILD`: set on every Azure Pipelines agent.
    pub tf_build: bool,
    /// `SYSTEM_COLLECTIONURI` (`https://dev.azure.com/ORG/`).
    pub collection_uri: Option<String>,
    /// `SYSTEM_TEAMPROJECTID`, else `SYSTEM_TEAMPROJECT`.
    pub project: Option<String>,
    /// `BUILD_REPOSITORY_ID`.
    pub repository_id: Option<String>,
    /// `BUILD_REPOSITORY_PROVIDER`: `TfsGit` for Azure Repos (the only one with these APIs).
    pub provider: Option<String>,
    /// `SYSTEM_PULLREQUEST_PULLREQUESTID`.
    pub pr_id: Option<u64>,
    /// `SYSTEM_PULLREQUEST_TARGETBRANCH`, without `refs/heads/`.
    pub target_branch: Option<String>,
    /// `BUILD_SOURCEVERSION`: the commit built (a pull request's merge commit).
    pub source_version: Option<String>,
    /// `BUILD_BUILDID`.
    pub build_id: Option<String>,
    /// `BUILD_SOURCESDIRECTORY`: where the repository is checked out.
    pub sources_dir: Option<String>,
}

/// The variables [`Context`] reads, for `--help`.
pub const VARIABLES: &[&str] = &[
    "TF_BUILD",
    "SYSTEM_ACCESSTOKEN",
    "SYSTEM_COLLECTIONURI",
    "SYSTEM_TEAMPROJECTID",
    "SYSTEM_TEAMPROJECT",
    "BUILD_REPOSITORY_ID",
    "BUILD_REPOSITORY_PROVIDER",
    "SYSTEM_PULLREQUEST_PULLREQUESTID",
    "SYSTEM_PULLREQUEST_TARGETBRANCH",
    "BUILD_SOURCEVERSION",
    "BUILD_BUILDID",
    "BUILD_SOURCESDIRECTORY",
];

impl Context {
    pub fn from_env() -> Context {
        Context::from_parts(|k| std::env::var(k).ok())
    }

    pub fn from_parts(env: impl Fn(&str) -> Option<String>) -> Context {
        let get = |k: &str| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Context {
            tf_build: get("TF_BUILD").is_some_and(|v| !v.eq_ignore_ascii_case("false")),
            collection_uri: get("SYSTEM_COLLECTIONURI").or_else(|| get("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI")),
            project: get("SYSTEM_TEAMPROJECTID").or_else(|| get("SYSTEM_TEAMPROJECT")),
            repository_id: get("BUILD_REPOSITORY_ID"),
            provider: get("BUILD_REPOSITORY_PROVIDER"),
            pr_id: get("SYSTEM_PULLREQUEST_PULLREQUESTID").and_then(|v| v.parse().ok()),
            // Documented as `refs/heads/main`; some agents give `main`.
            target_branch: get("SYSTEM_PULLREQUEST_TARGETBRANCH")
                .map(|b| b.strip_prefix("refs/heads/").map(str::to_string).unwrap_or(b)),
            source_version: get("BUILD_SOURCEVERSION"),
            build_id: get("BUILD_BUILDID"),
            sources_dir: get("BUILD_SOURCESDIRECTORY"),
        }
    }

    /// The build's results page.
    pub fn build_url(&self) -> Option<String> {
        match (&self.collection_uri, &self.project, &self.build_id) {
            (Some(c), Some(p), Some(id)) => {
                Some(format!("{}/{}/_build/results?buildId={id}", c.trim_end_matches('/'), crate::http::encode(p)))
            }
            _ => None,
        }
    }

    /// Whether the repository is in Azure Repos (threads and statuses exist only there).
    pub fn azure_repos(&self) -> bool {
        self.provider.as_deref().is_none_or(|p| p.eq_ignore_ascii_case("TfsGit"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_branch_loses_its_refs_heads() {
        let env = |k: &str| match k {
            "SYSTEM_PULLREQUEST_TARGETBRANCH" => Some("refs/heads/main".to_string()),
            "SYSTEM_COLLECTIONURI" => Some("https://dev.azure.com/acme/".to_string()),
            "SYSTEM_TEAMPROJECT" => Some("My App".to_string()),
            "BUILD_BUILDID" => Some("9".to_string()),
            "TF_BUILD" => Some("True".to_string()),
            _ => None,
        };
        let c = Context::from_parts(env);
        assert_eq!(c.target_branch.as_deref(), Some("main"));
        assert!(c.tf_build && c.azure_repos());
        assert_eq!(c.build_url().as_deref(), Some("https://dev.azure.com/acme/My%20App/_build/results?buildId=9"));
    }
}
