//! The CI templates under `ci/` parse (YAML; the Jenkinsfiles by structure) and name the files
//! temis writes where each platform reads them, in the plain and the sharded form.

use std::path::PathBuf;

use yaml_rust2::{Yaml, YamlLoader};

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml {
    let docs = YamlLoader::load_from_str(&text(rel)).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one document");
    docs.into_iter().next().unwrap()
}

/// The lines of a YAML sequence of strings (`script:`, `paths:`…).
fn strings(y: &Yaml) -> Vec<String> {
    y.as_vec().map(|v| v.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The script lines that run temis (not the one that installs it).
fn temis_lines(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.contains("temis ci ") || l.contains("temis merge ")).collect()
}

#[test]
fn the_gitlab_template_wires_every_report_and_the_coverage_regex_reads_temis_line() {
    let t = yaml("ci/gitlab/temis.gitlab-ci.yml");
    let job = &t[".temis"];
    assert!(strings(&job["script"]).iter().any(|l| l.starts_with("temis ci gitlab")), "{job:?}");
    let reports = &job["artifacts"]["reports"];
    assert_eq!(reports["codequality"].as_str(), Some("temis-ci/codequality.json"));
    assert_eq!(reports["junit"].as_str(), Some("temis-ci/junit.xml"));
    assert_eq!(reports["coverage_report"]["coverage_format"].as_str(), Some("cobertura"));
    assert_eq!(reports["coverage_report"]["path"].as_str(), Some("temis-ci/cobertura*.xml"));
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"), "the reports of a BLOCKED run are kept");
    let regex = job["coverage"].as_str().unwrap();
    let re = regex::Regex::new(regex.trim_matches('/')).unwrap();
    // GitLab matches the regex line by line.
    let log = "  FAIL   Line coverage  Line coverage 77.33 %\ntemis line coverage: 77.33%\n";
    let caught: Vec<&str> = log.lines().filter_map(|l| re.captures(l).map(|c| c.get(1).unwrap().as_str())).collect();
    assert_eq!(caught, ["77.33"]);
    assert!(
        text("src/cli/ci/gitlab.rs").contains(&regex.replace('\\', "\\\\")),
        "the regex --help documents is the template's"
    );
}

#[test]
fn the_gitlab_sharded_template_merges_the_parallel_jobs_artifacts() {
    let t = yaml("ci/gitlab/temis-sharded.gitlab-ci.yml");
    assert_eq!(t["include"][0]["local"].as_str(), Some("ci/gitlab/temis.gitlab-ci.yml"));
    let test = &t["test"];
    assert!(test["parallel"].as_i64().is_some_and(|n| n > 1));
    assert_eq!(strings(&test["artifacts"]["paths"]), ["shard-$CI_NODE_INDEX/"], "one directory per shard");
    let gate = &t["temis"];
    assert_eq!(gate["extends"].as_str(), Some(".temis"));
    assert_eq!(gate["needs"][0]["job"].as_str(), Some("test"));
    let script = strings(&gate["script"]);
    assert_eq!(script, ["temis merge shard-*/lcov.info -o lcov.info", "temis ci gitlab lcov.info shard-*/junit.xml"]);
    let stages = strings(&t["stages"]);
    assert!(stages.iter().position(|s| s == "test") < stages.iter().position(|s| s == "gate"));
}

#[test]
fn the_bitbucket_templates_run_temis_after_the_tests_and_keep_its_files() {
    let t = yaml("ci/bitbucket/bitbucket-pipelines.yml");
    let step = &t["definitions"]["steps"][0]["step"];
    let script = strings(&step["script"]);
    assert!(temis_lines(&script).iter().any(|l| l.contains("temis ci bitbucket")), "{script:?}");
    assert_eq!(strings(&step["artifacts"]), ["temis-ci/**"]);
    let pr = t["pipelines"]["pull-requests"]["**"].as_vec().unwrap();
    assert_eq!(pr.len(), 2, "tests, then temis");
    assert_eq!(pr[1]["step"]["name"].as_str(), Some("temis"), "the anchor is the temis step");

    let s = yaml("ci/bitbucket/bitbucket-pipelines-sharded.yml");
    let flow = s["pipelines"]["pull-requests"]["**"].as_vec().unwrap();
    let parallel = flow[0]["parallel"].as_vec().expect("a parallel group first");
    assert!(parallel.len() > 1);
    assert!(parallel.iter().all(|p| strings(&p["step"]["artifacts"]) == ["shard-*/**"]), "{parallel:?}");
    let gate = strings(&flow[1]["step"]["script"]);
    let lines = temis_lines(&gate);
    assert!(lines[0].contains("temis merge shard-*/lcov.info -o lcov.info"), "{gate:?}");
    assert!(lines[1].contains("temis ci bitbucket lcov.info shard-*/junit.xml"), "{gate:?}");
}

#[test]
fn the_azure_templates_map_the_token_and_publish_what_temis_writes() {
    let t = yaml("ci/azure/temis.yml");
    let job = &t["jobs"][0];
    assert_eq!(job["job"].as_str(), Some("temis"));
    assert_eq!(job["condition"].as_str(), Some("succeededOrFailed()"));
    let steps = job["steps"].as_vec().unwrap();
    let gate =
        steps.iter().find(|s| s["script"].as_str().is_some_and(|x| x.contains(" ci azure"))).expect("temis ci azure");
    assert_eq!(gate["env"]["SYSTEM_ACCESSTOKEN"].as_str(), Some("$(System.AccessToken)"));
    let task = |name: &str| steps.iter().find(|s| s["task"].as_str() == Some(name)).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(
        task("PublishTestResults@2")["inputs"]["testResultsFiles"].as_str(),
        Some("$(Pipeline.Workspace)/temis-ci/junit.xml")
    );
    assert_eq!(
        task("PublishCodeCoverageResults@2")["inputs"]["summaryFileLocation"].as_str(),
        Some("$(Pipeline.Workspace)/temis-ci/cobertura*.xml")
    );
    let params: Vec<&str> = t["parameters"].as_vec().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    for used in ["dependsOn", "artifact", "reports", "merge", "temisGit", "temisRev"] {
        assert!(params.contains(&used), "{used}");
    }

    for rel in ["ci/azure/azure-pipelines.yml", "ci/azure/azure-pipelines-sharded.yml"] {
        let p = yaml(rel);
        let jobs = p["jobs"].as_vec().unwrap();
        assert_eq!(jobs[1]["template"].as_str(), Some("temis.yml"), "{rel}");
        assert_eq!(strings(&jobs[1]["parameters"]["dependsOn"]), ["test"], "{rel}");
    }
    let s = yaml("ci/azure/azure-pipelines-sharded.yml");
    let test = &s["jobs"][0];
    assert!(test["strategy"]["parallel"].as_i64().is_some_and(|n| n > 1));
    let publish = test["steps"].as_vec().unwrap().iter().find(|x| !x["publish"].is_badvalue()).unwrap();
    assert_eq!(publish["artifact"].as_str(), Some("shard-$(System.JobPositionInPhase)"));
    assert_eq!(s["jobs"][1]["parameters"]["merge"].as_str(), Some("shard-*/lcov.info"));
}

/// A Jenkinsfile's braces, brackets and parentheses balance outside strings and comments.
fn balanced(src: &str) -> Result<(), String> {
    let mut stack = Vec::new();
    let mut chars = src.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '\'' | '"' => {
                let mut escaped = false;
                loop {
                    match chars.next() {
                        None => return Err(format!("a string opened on line {line} never closes")),
                        Some('\\') if !escaped => escaped = true,
                        Some(d) if d == c && !escaped => break,
                        Some('\n') => return Err(format!("a string on line {line} runs past the line")),
                        Some(_) => escaped = false,
                    }
                }
            }
            '{' | '[' | '(' => stack.push((c, line)),
            '}' | ']' | ')' => {
                let want = match c {
                    '}' => '{',
                    ']' => '[',
                    _ => '(',
                };
                match stack.pop() {
                    Some((open, _)) if open == want => {}
                    Some((open, at)) => return Err(format!("{c} on line {line} closes {open} of line {at}")),
                    None => return Err(format!("{c} on line {line} closes nothing")),
                }
            }
            _ => {}
        }
    }
    match stack.pop() {
        Some((open, at)) => Err(format!("{open} of line {at} is never closed")),
        None => Ok(()),
    }
}

#[test]
fn the_jenkinsfiles_balance_and_name_their_stages_and_steps() {
    assert!(balanced("a { b('x}') [1] } // }").is_ok());
    assert!(balanced("a { b( }").is_err());
    for rel in ["ci/jenkins/Jenkinsfile", "ci/jenkins/Jenkinsfile.sharded"] {
        let src = text(rel);
        balanced(&src).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for needed in [
            "pipeline {",
            "stages {",
            "stage('temis')",
            "recordIssues(tools: [issues(pattern: 'temis-ci/issues.json'",
            "recordCoverage(tools: [[parser: 'COBERTURA', pattern: 'temis-ci/cobertura*.xml']]",
            "junit(testResults: 'temis-ci/junit.xml'",
            "post {",
            "always {",
        ] {
            assert!(src.contains(needed), "{rel} lacks {needed}");
        }
        assert!(src.contains("sh 'temis ci jenkins "), "{rel}");
    }
    let sharded = text("ci/jenkins/Jenkinsfile.sharded");
    for needed in [
        "parallel branches",
        "stash(name: \"shard-${n}\"",
        "unstash \"shard-",
        "sh 'temis merge shard-*/lcov.info -o lcov.info'",
    ] {
        assert!(sharded.contains(needed), "the sharded Jenkinsfile lacks {needed}");
    }
}
