//! `examples/agents/`: the ready-made agent files name only tools the MCP server has and commands
//! temis has, the MCP client configurations start `temis mcp`, the Claude Code hook runs
//! `temis hook agent-stop`, and the Copilot set-up steps are a job GitHub recognises.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::{Value, json};
use yaml_rust2::YamlLoader;

use crate::mcp::{Session, example_repo};
use crate::support::temis;

fn agents() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/agents")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(agents().join(rel)).unwrap_or_else(|e| panic!("examples/agents/{rel}: {e}"))
}

/// Every file under `examples/agents/`, relative.
fn files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p.strip_prefix(agents()).unwrap().to_string_lossy().into_owned());
        }
    }
}

/// The YAML front matter of an agent file.
fn front_matter(rel: &str) -> yaml_rust2::Yaml {
    let text = read(rel);
    let rest = text.strip_prefix("---\n").unwrap_or_else(|| panic!("{rel} has no front matter"));
    let end = rest.find("\n---\n").unwrap_or_else(|| panic!("{rel}: front matter not closed"));
    YamlLoader::load_from_str(&rest[..end]).unwrap_or_else(|e| panic!("{rel}: {e}")).remove(0)
}

/// The tools `temis mcp` lists.
fn server_tools() -> BTreeSet<String> {
    let dir = example_repo();
    let mut s = Session::start(dir.path());
    let listed = s.request("tools/list", json!({}));
    s.close();
    listed["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
}

/// The command lines the files give: code spans, workflow `run:` lines, hook commands.
fn command_lines(rel: &str, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let span = Regex::new(r"`([^`]+)`").unwrap();
    out.extend(span.captures_iter(text).map(|c| c[1].to_string()));
    if rel.ends_with(".yml") {
        let workflow = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{rel}: {e}")).remove(0);
        for job in workflow["jobs"].as_hash().into_iter().flat_map(|h| h.values()) {
            for step in job["steps"].as_vec().into_iter().flatten() {
                out.extend(step["run"].as_str().into_iter().flat_map(str::lines).map(str::to_string));
            }
        }
    }
    if rel.ends_with(".json") {
        let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
        fn strings(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::String(s) => out.push(s.clone()),
                Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
                Value::Object(o) => o.values().for_each(|x| strings(x, out)),
                _ => {}
            }
        }
        strings(&v, &mut out);
    }
    out
}

#[test]
fn the_agent_files_name_only_tools_and_commands_that_exist() {
    let tools = server_tools();
    let mut all = Vec::new();
    files(&agents(), &mut all);
    all.sort();
    let vscode_tool = Regex::new(r"\btemis/([a-z_]+)").unwrap();
    let claude_tool = Regex::new(r"\bmcp__temis__([a-z_]+)").unwrap();
    let command = Regex::new(r"(?:^|[\s;&|(])temis((?: +(?:[a-z][a-z-]*|--[a-z-]+)){1,2})").unwrap();
    let mut named = BTreeSet::new();
    let mut commands = BTreeSet::new();
    for rel in &all {
        let text = read(rel);
        for c in vscode_tool.captures_iter(&text).chain(claude_tool.captures_iter(&text)) {
            assert!(
                tools.contains(&c[1]),
                "examples/agents/{rel} names the tool {}, which temis mcp does not have",
                &c[1]
            );
            named.insert(c[1].to_string());
        }
        for line in command_lines(rel, &text) {
            for c in command.captures_iter(&line) {
                commands.insert(c[1].split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    for c in &commands {
        let mut args: Vec<&str> = c.split(' ').collect();
        args.push("--help");
        let run = temis(&args);
        assert_eq!(run.code, 0, "the agent files name `temis {c}`, which temis does not have: {}", run.stderr);
    }
    // What the roles need is there: the reviewer judges, the recorder records.
    for t in ["gate", "uncovered_patch_lines", "plan_status", "phase_complete", "phase_summary", "commit_message"] {
        assert!(named.contains(t), "no agent file uses {t}");
    }
    for c in ["gate", "hook agent-stop", "phase complete", "commit-msg generate"] {
        assert!(commands.contains(c), "no agent file runs `temis {c}`: {commands:?}");
    }
}

#[test]
fn the_agent_files_are_the_runtimes_formats() {
    for (rel, tools_key) in
        [(".github/agents/temis.agent.md", "Temis"), (".github/agents/mnemosyne.agent.md", "Mnemosyne")]
    {
        let fm = front_matter(rel);
        assert_eq!(fm["name"].as_str(), Some(tools_key), "{rel}");
        assert!(fm["description"].as_str().is_some_and(|d| !d.is_empty()), "{rel}");
        let tools = fm["tools"].as_vec().unwrap_or_else(|| panic!("{rel}: tools is a list"));
        assert!(tools.iter().any(|t| t.as_str().is_some_and(|t| t.starts_with("temis/"))), "{rel}");
    }
    for (rel, name) in [(".claude/agents/temis.md", "temis"), (".claude/agents/mnemosyne.md", "mnemosyne")] {
        let fm = front_matter(rel);
        assert_eq!(fm["name"].as_str(), Some(name), "{rel}");
        assert!(fm["description"].as_str().is_some_and(|d| !d.is_empty()), "{rel}");
        let tools = fm["tools"].as_str().unwrap_or_else(|| panic!("{rel}: tools is a comma-separated string"));
        assert!(tools.split(',').any(|t| t.trim().starts_with("mcp__temis__")), "{rel}");
    }
    // The reviewer only reads; only the recorder may call the tools that write.
    let reviewer = read(".claude/agents/temis.md") + &read(".github/agents/temis.agent.md");
    assert!(!reviewer.contains("phase_complete") && !reviewer.contains("phase_summary"));

    let vscode: Value = serde_json::from_str(&read(".vscode/mcp.json")).unwrap();
    assert_eq!(vscode["servers"]["temis"], json!({ "type": "stdio", "command": "temis", "args": ["mcp"] }));
    let claude: Value = serde_json::from_str(&read(".mcp.json")).unwrap();
    assert_eq!(claude["mcpServers"]["temis"]["command"], "temis");
    assert_eq!(claude["mcpServers"]["temis"]["args"], json!(["mcp"]));
    let settings: Value = serde_json::from_str(&read(".claude/settings.json")).unwrap();
    let hook = &settings["hooks"]["Stop"][0]["hooks"][0];
    assert_eq!(hook["type"], "command");
    assert_eq!(hook["command"], "temis hook agent-stop");

    let workflow = YamlLoader::load_from_str(&read(".github/workflows/copilot-setup-steps.yml")).unwrap().remove(0);
    let job = &workflow["jobs"]["copilot-setup-steps"];
    assert!(!job.is_badvalue(), "GitHub runs only a job named copilot-setup-steps");
    let runs: Vec<&str> = job["steps"].as_vec().unwrap().iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("cargo install") && r.contains("temis --version")), "{runs:?}");
    let instructions = read(".github/copilot-instructions.md");
    assert!(instructions.contains("Run `temis gate`"), "the Copilot instructions make it run temis gate");
}
