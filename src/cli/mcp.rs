//! `temis mcp`: the MCP server on standard input and output ([`crate::mcp`]), for an agent
//! runtime to start.

use std::path::PathBuf;

use super::Outcome;
use crate::app::plans;
use crate::error::Error;
use crate::output::Output;

pub const AFTER_HELP: &str = "The server speaks the Model Context Protocol on standard input and output: an MCP \
client starts it and talks to it; nothing is printed for people (logs go to stderr). It ends when the client \
closes the session (exit 0).

Tools: gate (the temis.verdict/v1 verdict), uncovered_patch_lines, report (temis.report/v2, or v1), plan_status \
(temis.plan/v1), phase_complete and phase_summary (they write, inside the repository only), commit_message, explain. \
Resources: the effective policy, and each plan with its phase records and summary. Paths given to the tools are \
relative to the repository root.

Set-up:
  VS Code, .vscode/mcp.json:  {\"servers\": {\"temis\": {\"type\": \"stdio\", \"command\": \"temis\", \"args\": [\"mcp\"]}}}
  Claude Code:                claude mcp add --scope project temis -- temis mcp

Examples:
  temis mcp                    serve the repository containing the current directory
  temis mcp --root ../service  serve another repository";

#[derive(Debug, clap::Args)]
pub struct McpArgs {
    /// The repository the tools work in [default: the git work tree containing the current
    /// directory, else the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: McpArgs, _out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.root.as_deref())?;
    if !root.is_dir() {
        return Err(Error::usage(format!("--root {}: no such directory", root.display())));
    }
    crate::mcp::serve(root)?;
    Ok(Outcome::Ok)
}
