//! `temis mcp`: temis as a Model Context Protocol server over standard input and output, so that
//! an agent (Claude Code, VS Code's Copilot, any MCP client) gets the verdict as data instead of
//! a terminal table.
//!
//! The server is a surface like the CLI: each tool validates its arguments into the app's own
//! requests and calls the same app functions the commands call (`app::judge`,
//! `app::phase::judge` and `record`, `app::plans::status`…); nothing is measured here. The
//! tools are one table ([`tools::TOOLS`]); the resources are the plan, its phase records and
//! summary, and the effective policy ([`resources`]).
//!
//! The async runtime (tokio, current thread) and the SDK (rmcp) start only in [`serve`]: the
//! gate and the git hooks never pay for them. Tools run on tokio's blocking pool, so the session
//! keeps answering (pings, cancellations) while a gate runs.

mod frames;
pub mod resources;
pub mod tools;

use std::path::PathBuf;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};

use crate::error::Error;

/// What the server tells a client about itself at initialization.
const INSTRUCTIONS: &str = "temis is the quality gate of this repository. `gate` judges the coverage, test, \
security, accessibility and benchmark reports against the policy and returns the temis.verdict/v1 verdict: \
APPROVED, BLOCKED or COULD_NOT_JUDGE with every check, its measured value, threshold, evidence and what to do. \
`uncovered_patch_lines` lists, per file, the added lines no test covers. `plan_status` shows the plan's phases; \
`phase_complete` records a phase only when it is APPROVED and returns the record's path and commit message. \
Do not report work as done while `gate` says BLOCKED.";

/// The server: the repository root every tool works in, and the tool list.
#[derive(Clone)]
pub struct Server {
    root: Arc<PathBuf>,
    tools: Arc<Vec<Tool>>,
}

impl Server {
    /// A server for the repository at `root` (absolute, canonical).
    pub fn new(root: PathBuf) -> Self {
        Self { root: Arc::new(root), tools: Arc::new(tools::catalog()) }
    }
}

/// Runs the server on standard input and output until the client ends the session.
pub fn serve(root: PathBuf) -> Result<(), Error> {
    let session =
        |e: String| Error::Read { path: "standard input (the MCP session)".into(), source: std::io::Error::other(e) };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| session(format!("cannot start the async runtime: {e}")))?;
    tracing::info!(root = %root.display(), "MCP server on stdio");
    let result = runtime.block_on(async move {
        let (transport, frames) = frames::stdio();
        let running = Server::new(root).serve(transport).await.map_err(|e| session(e.to_string()))?;
        running.waiting().await.map_err(|e| session(e.to_string()))?;
        frames.finish().await;
        Ok(())
    });
    // A tool still running on the blocking pool (the client left mid-call) must not hold the exit.
    runtime.shutdown_background();
    result
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_resources().build())
            .with_server_info(
                Implementation::new("temis", env!("CARGO_PKG_VERSION"))
                    .with_title("temis quality gate")
                    .with_description("The verdict on coverage, tests, security, accessibility and benchmarks"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        let Some(entry) = tools::find(&name) else {
            let known: Vec<&str> = tools::TOOLS.iter().map(|t| t.name).collect();
            return Err(ErrorData::invalid_params(
                format!("temis has no tool {name:?}; its tools are {}", known.join(", ")),
                None,
            ));
        };
        let root = Arc::clone(&self.root);
        let arguments = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let ran = tokio::task::spawn_blocking(move || tools::call(entry, &root, arguments)).await;
        let result = match ran {
            Ok(Ok(out)) => {
                let mut result = CallToolResult::structured(out.value);
                result.content = vec![ContentBlock::text(out.text)];
                result
            }
            Ok(Err(message)) => CallToolResult::error(vec![ContentBlock::text(message)]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(format!(
                "error: temis failed while running {name} (a bug): {e}"
            ))]),
        };
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let root = Arc::clone(&self.root);
        let listed = tokio::task::spawn_blocking(move || resources::list(&root))
            .await
            .map_err(|e| ErrorData::internal_error(format!("temis failed while listing resources: {e}"), None))?;
        Ok(ListResourcesResult::with_all_items(listed.into_iter().map(|r| r.resource()).collect()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let root = Arc::clone(&self.root);
        let uri = request.uri.clone();
        let read = tokio::task::spawn_blocking(move || resources::read(&root, &uri))
            .await
            .map_err(|e| ErrorData::internal_error(format!("temis failed while reading a resource: {e}"), None))?;
        match read {
            Ok(contents) => Ok(ReadResourceResult::new(vec![contents]).into()),
            Err(resources::ReadError::NotFound(message)) => Err(ErrorData::resource_not_found(message, None)),
            Err(resources::ReadError::Failed(e)) => Err(ErrorData::internal_error(format!("error: {e}"), None)),
        }
    }
}
