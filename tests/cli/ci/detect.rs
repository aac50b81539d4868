//! `temis ci` with no platform named picks it from the environment, says which on stderr, and
//! runs it with the arguments given; `--help` of each platform says what it writes and reads.

use std::path::Path;

use super::Workspace;
use super::fake::{Fake, Platform, State, ops};

/// The recorded environment of `platform` (`tests/fixtures/ci-env/NAME.env`), `{DIR}` being `dir`.
fn recorded(platform: &str, dir: &Path) -> Vec<(String, String)> {
    let path = crate::support::fixture(&format!("ci-env/{platform}.env"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or_else(|| panic!("{}: not NAME=VALUE: {l}", path.display()));
            (k.to_string(), v.replace("{DIR}", &dir.display().to_string()))
        })
        .collect()
}

#[test]
fn temis_ci_picks_the_platform_of_each_recorded_environment() {
    for (platform, title, variable) in [
        ("github", "GitHub Actions", "GITHUB_ACTIONS"),
        ("gitlab", "GitLab CI/CD", "GITLAB_CI"),
        ("bitbucket", "Bitbucket Pipelines", "BITBUCKET_BUILD_NUMBER"),
        ("azure", "Azure Pipelines", "TF_BUILD"),
        ("jenkins", "Jenkins", "JENKINS_URL"),
    ] {
        let ws = Workspace::example();
        let bb = Fake::start(Platform::Bitbucket, State::default());
        let mut env = recorded(platform, ws.path());
        env.push(("TEMIS_BITBUCKET_PROXY".into(), bb.url.clone()));
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = ws.run(&["ci", "--phase", "2", "coverage.xml", "junit.xml"], &env);
        assert_eq!(r.code, 1, "{platform}: {}", r.stderr);
        let said = format!("temis: {title} detected ({variable} is set): running `temis ci {platform}`");
        assert!(r.stderr.starts_with(&said), "{platform}: {}", r.stderr);
        let artifacts = ws.path().join("temis-ci");
        match platform {
            "github" => {
                let summary = std::fs::read_to_string(ws.path().join("step-summary.md")).unwrap();
                assert!(summary.starts_with("### ❌ temis: BLOCKED — phase 2"), "{summary}");
                assert!(r.stdout.contains("::notice title=temis::BLOCKED"));
            }
            "gitlab" => {
                assert!(artifacts.join("codequality.json").is_file());
                assert!(r.stdout.ends_with("temis line coverage: 77.33%\n"));
            }
            "bitbucket" => {
                assert!(artifacts.join("test-results/temis-junit.xml").is_file());
                assert_eq!(ops(&bb.writes())[0], "createOrUpdateReport", "through the pipeline's proxy");
            }
            "azure" => assert!(r.stdout.contains("##vso[task.complete result=Failed;]"), "{}", r.stdout),
            _ => assert!(artifacts.join("issues.json").is_file()),
        }
        if platform != "bitbucket" {
            assert!(bb.requests().is_empty(), "{platform} called Bitbucket");
        }
    }
}

#[test]
fn with_no_platform_in_the_environment_temis_ci_says_how_to_name_one() {
    let r = Workspace::example().run(&["ci"], &[("CI", "true")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no CI platform detected: none of GITHUB_ACTIONS (github), GITLAB_CI (gitlab)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("name one: temis ci github|gitlab|bitbucket|azure|jenkins"));
}

#[test]
fn with_two_platforms_set_the_first_wins_and_the_other_is_named() {
    let r = Workspace::example().run(&["ci"], &[("JENKINS_URL", "https://ci.example.com/"), ("GITLAB_CI", "true")]);
    assert!(
        r.stderr.starts_with(
            "temis: GitLab CI/CD detected (GITLAB_CI is set; JENKINS_URL also set, ignored): running `temis ci gitlab`"
        ),
        "{}",
        r.stderr
    );
    let r = Workspace::example().run(&["ci", "--no-such-flag"], &[("JENKINS_URL", "x")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unexpected argument '--no-such-flag'"), "{}", r.stderr);
}

#[test]
fn help_of_each_platform() {
    let r = crate::support::temis(&["ci", "--help"]);
    assert_eq!(r.code, 0);
    super::snapshot("help_of_ci", &r.stdout);
    for platform in ["gitlab", "bitbucket", "azure", "jenkins"] {
        let r = crate::support::temis(&["ci", platform, "--help"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        super::snapshot(&format!("help_of_ci_{platform}"), &r.stdout);
    }
    let r = Workspace::example().run(&["ci", "--help"], &[("GITLAB_CI", "true")]);
    assert!(
        r.stdout.contains("Usage: temis ci [OPTIONS] [ARGS]..."),
        "`temis ci --help` is the dispatcher's: {}",
        r.stdout
    );
}
