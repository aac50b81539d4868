//! The MCP tools: one table ([`TOOLS`]) with each tool's name, description, whether it writes,
//! its input (a type whose JSON schema the client sees), its output schema where the result is a
//! contract, and the function that runs it.
//!
//! Each function turns its input into the app's request and calls the app function the matching
//! command calls; the results are the commands' JSON contracts (`temis.verdict/v1`,
//! `temis.report/v2` or `/v1`, `temis.plan/v1`) or small objects described here. Errors come back as tool
//! errors reading exactly as the CLI prints them (`error: …`). Paths are relative to the
//! repository root (absolute ones are taken as they are); every tool refuses a path outside the
//! repository, links followed.

use std::path::{Path, PathBuf};

use rmcp::model::{Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::app::plans::{self, Written};
use crate::app::{self, ChangeSpec, PathRules, Request, Scope, phase};
use crate::error::Error;
use crate::gate::{Outcome, Status, codes};
use crate::policy::Date;
use crate::render::verdict::json;

/// One tool.
pub struct Entry {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Writes into the repository (a phase record, the summary): annotated so, and refuses paths
    /// outside the repository.
    pub writes: bool,
    /// The JSON schema of the input.
    input: fn() -> Value,
    /// The JSON schema of the structured result, where it is one.
    output: Option<fn() -> Value>,
    run: fn(&Path, Value) -> Result<Structured, Error>,
}

/// A tool's result: the structured value, and the same as JSON text with its fields in the
/// contract's order (for `gate`, byte for byte what `temis gate --format json` prints).
#[derive(Debug)]
pub struct Structured {
    pub value: Value,
    pub text: String,
}

impl Structured {
    fn of<T: Serialize>(t: &T) -> Self {
        let mut text = serde_json::to_string_pretty(t).expect("a result serializes");
        text.push('\n');
        Structured { value: serde_json::to_value(t).expect("a result serializes"), text }
    }

    /// From JSON text a renderer wrote.
    fn text(text: String) -> Self {
        Structured { value: serde_json::from_str(&text).expect("temis writes JSON"), text }
    }
}

/// Every tool the server offers.
pub const TOOLS: &[Entry] = &[
    Entry {
        name: "gate",
        title: "Gate: the verdict",
        description: "Judge the reports (coverage, tests, security, accessibility, benchmarks) against the policy, as \
            `temis gate --format json` does. Returns the temis.verdict/v1 verdict: APPROVED, BLOCKED or COULD_NOT_JUDGE, \
            and every check with its code, outcome, measured value, threshold, message, hint (what to do) and evidence \
            (files and line ranges, failing tests). `plan` judges the plan's phase (`phase`, else its current one) on \
            the reports the plan names; `phase` alone applies the policy's [phase.N]; `base` adds patch coverage of \
            merge-base(base, HEAD)..HEAD. Reports default to the policy's [reports], else the conventional locations; \
            reports given replace [reports] of their kinds only.",
        writes: false,
        input: schema_of::<GateInput>,
        output: Some(json::schema),
        run: |root, args| gate(root, parse(args)?),
    },
    Entry {
        name: "uncovered_patch_lines",
        title: "Uncovered added lines",
        description: "The lines the change merge-base(base, HEAD)..HEAD adds (with `worktree`: also staged and \
            unstaged changes, and new files git does not ignore) that the coverage reports measure, and per file the ranges no test covers: what to \
            test next. The same object as the verdict's `patch` in `temis gate --base BASE --format json`. An error \
            when the change or the coverage cannot be measured (never an empty list for what was not measured).",
        writes: false,
        input: schema_of::<PatchInput>,
        output: Some(json::patch_schema),
        run: |root, args| uncovered_patch_lines(root, parse(args)?),
    },
    Entry {
        name: "report",
        title: "Read reports",
        description: "Read reports of any supported format (detected from their content) and summarize them with no \
            policy, as `temis report --format json` does: the temis.report/v2 document (coverage totals and per-file \
            uncovered line ranges, test counts, security findings, accessibility, benchmarks); `schema_version: 1` \
            gives temis.report/v1 (every uncovered line number listed).",
        writes: false,
        input: schema_of::<ReportInput>,
        output: None,
        run: |root, args| report(root, parse(args)?),
    },
    Entry {
        name: "plan_status",
        title: "Plan status",
        description: "The plan's phases with their state (planned, approved, in progress, complete, blocked), last \
            verdict, unchecked tasks, the current phase and what to do next, as `temis plan --format json` does \
            (temis.plan/v1). With `gate` (the default), the current phase is gated now on its reports.",
        writes: false,
        input: schema_of::<PlanInput>,
        output: None,
        run: |root, args| plan_status(root, parse(args)?),
    },
    Entry {
        name: "phase_complete",
        title: "Complete a phase",
        description: "Gate phase N of the plan as `temis phase complete N` does and, only when it is APPROVED, write its \
            record (plans/<feature>/phase-N-complete.md, inside the plan's folder) with its Conventional Commit \
            message. Returns whether it was recorded, the record's path, the commit message and the verdict \
            (temis.verdict/v1). A BLOCKED or COULD_NOT_JUDGE phase writes nothing. An existing record that differs is \
            replaced only with `force`.",
        writes: true,
        input: schema_of::<CompleteInput>,
        output: Some(schema_of::<Completed<'static>>),
        run: |root, args| phase_complete(root, parse(args)?),
    },
    Entry {
        name: "phase_summary",
        title: "Summarize the feature",
        description: "Once every phase is recorded as approved, write the feature's summary (complete.md, inside the \
            plan's folder) as `temis phase summary` does; returns its path.",
        writes: true,
        input: schema_of::<SummaryInput>,
        output: Some(schema_of::<Summarized>),
        run: |root, args| phase_summary(root, parse(args)?),
    },
    Entry {
        name: "commit_message",
        title: "Commit message",
        description: "The Conventional Commit message for the phase (the one its record holds once completed, else one \
            built from the plan and the change) or, with `staged` or without a plan, for the staged change, as \
            `temis commit-msg generate` prints it. Writes nothing.",
        writes: false,
        input: schema_of::<MessageInput>,
        output: Some(schema_of::<Message>),
        run: |root, args| commit_message(root, parse(args)?),
    },
    Entry {
        name: "explain",
        title: "Explain a check code",
        description: "What a check code of the verdict means and how to fix it, as `temis explain CODE` says; without \
            a code, every code with its one-line summary.",
        writes: false,
        input: schema_of::<ExplainInput>,
        output: Some(schema_of::<Explained>),
        run: |_, args| explain(parse(args)?),
    },
];

/// The tool named `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    TOOLS.iter().find(|t| t.name == name)
}

/// The tools as MCP describes them: schemas and annotations.
pub fn catalog() -> Vec<Tool> {
    TOOLS
        .iter()
        .map(|t| {
            let annotations = ToolAnnotations::with_title(t.title)
                .read_only(!t.writes)
                .destructive(false)
                .idempotent(true)
                .open_world(false);
            let mut tool = Tool::new(t.name, t.description, object((t.input)())).annotate(annotations);
            tool.title = Some(t.title.to_string());
            if let Some(output) = t.output {
                tool = tool.with_raw_output_schema(object(output()).into());
            }
            tool
        })
        .collect()
}

/// Runs `entry` in the repository at `root`; an error reads as the CLI prints it.
pub fn call(entry: &Entry, root: &Path, arguments: Value) -> Result<Structured, String> {
    (entry.run)(root, arguments).map_err(|e| format!("error: {e}"))
}

fn object(schema: Value) -> serde_json::Map<String, Value> {
    match schema {
        Value::Object(map) => map,
        other => panic!("a tool schema must be an object, not {other}"),
    }
}

fn schema_of<T: JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

fn parse<T: DeserializeOwned>(arguments: Value) -> Result<T, Error> {
    serde_json::from_value(arguments).map_err(|e| Error::usage(format!("invalid arguments: {e}")))
}

// --- Inputs and results. ------------------------------------------------------------------------

/// `gate`'s arguments: those of `temis gate`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GateInput {
    /// Report files, relative to the repository root [default: the plan's, the policy's, the usual places]; they replace the policy's [reports] of their kinds only.
    #[serde(default)]
    reports: Vec<String>,
    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    policy: Option<String>,
    /// With `plan`: the phase to judge [default: its current one]. Alone: the policy's [phase.N].
    phase: Option<u32>,
    /// Judge a phase of this plan (a plan file or its folder), on the reports the phase names.
    plan: Option<String>,
    /// Measure patch coverage of merge-base(base, HEAD)..HEAD (any revision git understands).
    base: Option<String>,
    /// With `base`: measure against the work tree, staged and unstaged changes and new files
    /// git does not ignore included.
    #[serde(default)]
    worktree: bool,
    /// The date waivers are judged on, YYYY-MM-DD, not before the server's [default: TEMIS_TODAY
    /// where the server started, else today].
    today: Option<String>,
}

/// `uncovered_patch_lines`'s arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PatchInput {
    /// The change is merge-base(base, HEAD)..HEAD: a branch, a tag, a commit, `HEAD~3`.
    base: String,
    /// Coverage reports [default: the policy's [reports], else the conventional locations].
    #[serde(default)]
    reports: Vec<String>,
    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    policy: Option<String>,
    /// Measure against the work tree: staged and unstaged changes included.
    #[serde(default)]
    worktree: bool,
}

/// `report`'s arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReportInput {
    /// Report files, relative to the repository root.
    #[schemars(length(min = 1))]
    paths: Vec<String>,
    /// Read every report as this format instead of detecting it (`temis formats` lists them).
    input_format: Option<String>,
    /// The contract's version: 2 (the default, uncovered lines as ranges) or 1 (every line
    /// number listed, `temis report --format json-v1`).
    #[schemars(range(min = 1, max = 2))]
    schema_version: Option<u8>,
}

/// `plan_status`'s arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PlanInput {
    /// The plan file or its folder [default: the one unfinished plan].
    plan: Option<String>,
    /// Gate the current phase on its reports now [default: true].
    #[serde(default = "yes")]
    gate: bool,
    /// Policy file for that gate [default: temis.toml, else the embedded default].
    policy: Option<String>,
}

fn yes() -> bool {
    true
}

/// `phase_complete`'s arguments: those of `temis phase complete N`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CompleteInput {
    /// The phase's number.
    #[schemars(range(min = 1))]
    phase: u32,
    /// The plan file or its folder [default: the one unfinished plan].
    plan: Option<String>,
    /// Reports to gate [default: the phase's `Reports:` in the plan, else discovered].
    #[serde(default)]
    reports: Vec<String>,
    /// Policy file, inside the repository and held by git [default: temis.toml at the repository root, else the embedded default].
    policy: Option<String>,
    /// The commit the phase started from [default: where the approval or the last record was committed]; that
    /// commit or an earlier one, never a later one.
    base: Option<String>,
    /// Replace an existing record that differs (an uncommitted one is kept as .bak, or .bak.1, .bak.2… beside an earlier one).
    #[serde(default)]
    force: bool,
    /// Stamp the record with this date, YYYY-MM-DD (no date is written unless asked).
    date: Option<String>,
    /// The date waivers are judged on, YYYY-MM-DD, not before the server's [default: TEMIS_TODAY
    /// where the server started, else today].
    today: Option<String>,
}

/// `phase_summary`'s arguments: those of `temis phase summary`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SummaryInput {
    /// The plan file or its folder [default: the one unfinished plan].
    plan: Option<String>,
    /// Stamp the summary with this date, YYYY-MM-DD.
    date: Option<String>,
    /// Replace an existing summary that differs (an uncommitted one is kept as .bak, or .bak.1, .bak.2… beside an earlier one).
    #[serde(default)]
    force: bool,
}

/// `commit_message`'s arguments: those of `temis commit-msg generate`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MessageInput {
    /// The phase [default: the newest phase with an uncommitted record, else the current one].
    phase: Option<u32>,
    /// The plan file or its folder [default: the one unfinished plan, if any].
    plan: Option<String>,
    /// Describe the staged change, ignoring any plan.
    #[serde(default)]
    staged: bool,
}

/// `explain`'s arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ExplainInput {
    /// A check code as the verdict shows it (tests-failing); omit it to list every code.
    code: Option<String>,
}

/// What `phase_complete` did.
#[derive(Serialize, JsonSchema)]
struct Completed<'a> {
    phase: u32,
    /// Whether the record was written (or already held these bytes): only an APPROVED phase is.
    recorded: bool,
    /// The record's path, repository-relative (written only when `recorded`).
    record: String,
    /// `created`, `unchanged` or `replaced`; null when nothing was written.
    written: Option<&'static str>,
    /// Where the replaced record was kept, when git did not have it.
    backup: Option<String>,
    /// The phase's Conventional Commit message (the one the record holds); null when not recorded.
    commit_message: Option<String>,
    /// Said when the phase's start had to be guessed.
    note: Option<String>,
    /// The gate's verdict on the phase (temis.verdict/v1, docs/temis.verdict.schema.json).
    #[schemars(schema_with = "any_object")]
    verdict: json::VerdictDoc<'a>,
}

/// What `phase_summary` wrote.
#[derive(Serialize, JsonSchema)]
struct Summarized {
    /// The summary's path, repository-relative.
    summary: String,
    /// `created`, `unchanged` or `replaced`.
    written: &'static str,
    /// Where the replaced summary was kept, when git did not have it.
    backup: Option<String>,
}

/// A commit message.
#[derive(Serialize, JsonSchema)]
struct Message {
    message: String,
    /// Rules of commitlint's conventional config the message breaks (none for what temis writes).
    problems: Vec<String>,
}

/// One check code, or all of them.
#[derive(Serialize, JsonSchema)]
struct Explained {
    /// The codes explained: the one asked for (with its explanation), or every code.
    codes: Vec<Code>,
}

#[derive(Serialize, JsonSchema)]
struct Code {
    code: &'static str,
    family: &'static str,
    summary: &'static str,
    /// What it means and what to do; only for the code asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'static str>,
}

fn any_object(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "object" })
}

// --- The tools. ---------------------------------------------------------------------------------

fn gate(root: &Path, i: GateInput) -> Result<Structured, Error> {
    let change = match i.base {
        Some(rev) => ChangeSpec::Base { rev, worktree: i.worktree },
        None if i.worktree => return Err(Error::usage("worktree needs base: the change is measured from base")),
        None => ChangeSpec::None,
    };
    let req = Request {
        policy: i.policy.as_deref().map(|p| inside(root, p)).transpose()?,
        scope: Scope::of(i.plan.as_deref().map(|p| inside(root, p)).transpose()?, i.phase),
        reports: reports(root, &i.reports)?,
        change,
        today: today(i.today.as_deref())?,
        ..Request::new(root.to_path_buf())
    };
    Ok(Structured::text(json::render(&json::for_agents(&app::judge(&req)?.verdict))))
}

fn uncovered_patch_lines(root: &Path, i: PatchInput) -> Result<Structured, Error> {
    let req = Request {
        policy: i.policy.as_deref().map(|p| inside(root, p)).transpose()?,
        reports: reports(root, &i.reports)?,
        change: ChangeSpec::Base { rev: i.base.clone(), worktree: i.worktree },
        today: today(None)?,
        ..Request::new(root.to_path_buf())
    };
    let verdict = app::judge(&req)?.verdict;
    let unmeasured = verdict.checks.iter().find(|c| c.code == codes::PATCH_UNMEASURED && c.outcome == Outcome::Fail);
    match (&verdict.patch, unmeasured) {
        (Some(patch), None) => Ok(Structured::of(&json::PatchDoc::of(patch))),
        (_, Some(check)) => Err(Error::usage(format!(
            "{}{}",
            check.message,
            check.hint.as_deref().map(|h| format!("; {h}")).unwrap_or_default()
        ))),
        (None, None) => Err(Error::usage(format!(
            "the added lines since {} could not be measured: no coverage report was found; name one in `reports` \
             (or set [reports] coverage in temis.toml)",
            i.base
        ))),
    }
}

fn report(root: &Path, i: ReportInput) -> Result<Structured, Error> {
    if i.paths.is_empty() {
        return Err(Error::usage("name at least one report in `paths`"));
    }
    let input_format =
        match i.input_format.as_deref() {
            Some(name) => Some(<crate::parsers::Format as clap::ValueEnum>::from_str(name, true).map_err(|_| {
                Error::usage(format!("unknown input_format {name:?}; `temis formats` lists the formats"))
            })?),
            None => None,
        };
    let rules = PathRules { input_format, ..PathRules::default() };
    let mut read = app::reports::read_named(&reports(root, &i.paths)?, &rules, root)?;
    for (r, given) in read.iter_mut().zip(&i.paths) {
        r.path = given.clone();
    }
    let version = match i.schema_version {
        None | Some(2) => crate::render::json::Version::V2,
        Some(1) => crate::render::json::Version::V1,
        Some(n) => return Err(Error::usage(format!("schema_version {n}: temis writes temis.report version 1 or 2"))),
    };
    let mut out = Vec::new();
    crate::render::json::write_reports(&mut out, &read, version).map_err(Error::stdout)?;
    Ok(Structured::text(String::from_utf8(out).expect("temis.report is UTF-8")))
}

fn plan_status(root: &Path, i: PlanInput) -> Result<Structured, Error> {
    let plan = i.plan.as_deref().map(|p| inside(root, p)).transpose()?;
    let loaded = plans::load(root, &plans::find(root, plan.as_deref())?)?;
    let policy = i.policy.as_deref().map(|p| inside(root, p)).transpose()?;
    let gate = i.gate.then(|| Request { policy, ..Request::new(loaded.root.clone()) });
    let overview = plans::status(&loaded, gate);
    let summary = loaded.written_summary();
    let header = crate::render::plan::Header {
        plan: &loaded.plan,
        path: &loaded.files.plan,
        feature: &loaded.files.feature,
        summary: summary.as_deref(),
    };
    Ok(Structured::text(crate::render::plan::json(&header, &overview)))
}

fn phase_complete(root: &Path, i: CompleteInput) -> Result<Structured, Error> {
    let plan = i.plan.as_deref().map(|p| inside(root, p)).transpose()?;
    for r in &i.reports {
        inside(root, r)?;
    }
    // The record says APPROVED under the policy given: one outside the repository (a lax copy
    // in /tmp) would approve what the repository's own policy blocks, with nothing to review.
    let policy = i.policy.as_deref().map(|p| inside(root, p)).transpose()?;
    if let Some(p) = policy.as_deref() {
        tracked(root, p)?;
    }
    let loaded = plans::load(root, &plans::find(root, plan.as_deref())?)?;
    if let Some(given) = i.base.as_deref() {
        only_widens(root, &loaded, i.phase, given)?;
    }
    let template = Request {
        policy,
        reports: reports(root, &i.reports)?,
        today: today(i.today.as_deref())?,
        ..Request::new(root.to_path_buf())
    };
    let date = i.date.as_deref().map(|d| date("date", d)).transpose()?;
    let judged = phase::judge(&loaded, i.phase, i.base.as_deref(), template)?;
    let verdict = json::document(&judged.judgement.verdict);
    let mut done = Completed {
        phase: judged.phase,
        recorded: false,
        record: loaded.files.record(judged.phase),
        written: None,
        backup: None,
        commit_message: None,
        note: judged.note.clone(),
        verdict,
    };
    if judged.judgement.verdict.status == Status::Approved {
        let recorded = phase::record(&loaded, &judged, date, i.force)?;
        let (written, backup) = written(recorded.written);
        done.recorded = true;
        done.record = recorded.path;
        done.written = Some(written);
        done.backup = backup;
        done.commit_message = Some(recorded.message);
    }
    Ok(Structured::of(&done))
}

/// A policy `phase_complete` judges with must be one git holds (committed or staged): a lax copy
/// the agent just wrote beside the real one would record APPROVED with nothing to review.
fn tracked(root: &Path, policy: &Path) -> Result<(), Error> {
    let repo = crate::app::change::open_repo(root)?;
    let rel = std::fs::canonicalize(policy).ok().and_then(|p| {
        Some(p.strip_prefix(repo.workdir()?.canonicalize().ok()?).ok()?.to_string_lossy().replace('\\', "/"))
    });
    if rel.as_deref().is_some_and(|r| repo.staged_file(r).is_some()) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "refusing policy {}: git does not hold it (neither committed nor staged), so what the record is judged by \
         would go unreviewed; commit or stage it, or leave policy out",
        policy.display()
    )))
}

/// A `base` given to `phase_complete` may measure more of the phase than its start does (an
/// earlier commit), never less: `HEAD` made the phase add no line, and `min_patch` was passed over
/// in an APPROVED record.
fn only_widens(root: &Path, loaded: &plans::Loaded, phase: u32, given: &str) -> Result<(), Error> {
    let Ok((Some(start), _)) = loaded.base(phase) else { return Ok(()) };
    let repo = crate::app::change::open_repo(root)?;
    let sha = repo.resolve(given).map_err(|e| Error::usage(format!("base: {e}")))?;
    if sha == start || repo.merge_base(&sha, &start).is_ok_and(|m| m == sha) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "refusing base {given}: phase {phase} started at {}, and a base after its start would leave the phase's \
         first changes out of patch coverage; leave base out, or name its start or an earlier commit",
        start.get(..10).unwrap_or(&start)
    )))
}

fn phase_summary(root: &Path, i: SummaryInput) -> Result<Structured, Error> {
    let plan = i.plan.as_deref().map(|p| inside(root, p)).transpose()?;
    let loaded = plans::load(root, &plans::find(root, plan.as_deref())?)?;
    let date = i.date.as_deref().map(|d| date("date", d)).transpose()?;
    let (summary, w) = phase::summarize(&loaded, date, i.force)?;
    let (written, backup) = written(w);
    Ok(Structured::of(&Summarized { summary, written, backup }))
}

fn commit_message(root: &Path, i: MessageInput) -> Result<Structured, Error> {
    let plan = i.plan.as_deref().map(|p| inside(root, p)).transpose()?;
    let message = phase::commit_message(root, plan.as_deref(), i.phase, i.staged)?;
    let problems = crate::docs::conventional::problems(&message);
    Ok(Structured::of(&Message { message, problems }))
}

fn explain(i: ExplainInput) -> Result<Structured, Error> {
    let codes = match i.code.as_deref() {
        Some(code) => {
            let c = app::explain(code)?;
            vec![Code { code: c.code, family: c.family, summary: c.summary, explanation: Some(c.explanation) }]
        }
        None => codes::CODES
            .iter()
            .map(|c| Code { code: c.code, family: c.family, summary: c.summary, explanation: None })
            .collect(),
    };
    Ok(Structured::of(&Explained { codes }))
}

// --- Paths, dates. ------------------------------------------------------------------------------

/// `path` as the tools take it: relative to the repository root, or absolute.
fn within(root: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() { p.to_path_buf() } else { root.join(p) }
}

/// `path` for a tool: it must lead inside the repository, links followed. An agent's path out of
/// it (`../secrets/.env`, a lax policy in /tmp) is refused by every tool, those that only read too:
/// a report tool echoed a file's first line in its error, and the gate approved under a policy
/// the repository does not have.
fn inside(root: &Path, path: &str) -> Result<PathBuf, Error> {
    let full = within(root, path);
    let refuse = |why: &str| {
        Error::usage(format!("refusing {path}: {why}; the tools work only inside the repository {}", root.display()))
    };
    match crate::paths::resolves_inside(root, &full) {
        Ok(true) => Ok(full),
        Ok(false) => Err(refuse("it is outside the repository")),
        Err(crate::paths::Unresolved::Missing) => Err(refuse("it does not exist")),
        Err(crate::paths::Unresolved::Io(e)) => Err(refuse(&format!("it cannot be resolved ({e})"))),
    }
}

/// Report paths: `-` (standard input) is the MCP session itself, never a report; nor is any
/// other thing that is not a regular file or a folder (`/dev/stdin`, a named pipe: reading one
/// would wait for ever, or read the session's own messages).
fn reports(root: &Path, given: &[String]) -> Result<Vec<PathBuf>, Error> {
    given
        .iter()
        .map(|r| match r.as_str() {
            "-" => {
                Err(Error::usage("a report cannot be `-` here: standard input carries the MCP session; name a file"))
            }
            r => {
                let path = inside(root, r)?;
                match std::fs::metadata(&path) {
                    Ok(m) if !m.is_file() && !m.is_dir() => Err(Error::usage(format!(
                        "{r} is not a regular file (a pipe, a device, standard input): the MCP server reads reports \
                         from files; write the report to a file and name it"
                    ))),
                    _ => Ok(path),
                }
            }
        })
        .collect()
}

fn date(what: &str, s: &str) -> Result<Date, Error> {
    Date::parse(s).ok_or_else(|| Error::usage(format!("{what}: expected a date like 2026-11-24, got {s:?}")))
}

/// The date waivers are judged on: the server's (`TEMIS_TODAY` where it was started, else today,
/// UTC), or a later one the client gives. Never an earlier one: the agent being gated chose the
/// day, and a waiver that had expired was honoured again.
fn today(given: Option<&str>) -> Result<Date, Error> {
    let own = match std::env::var("TEMIS_TODAY") {
        Ok(d) => date("TEMIS_TODAY", &d)?,
        Err(_) => app::today_utc(),
    };
    let Some(given) = given else { return Ok(own) };
    let given = date("today", given)?;
    if given.days() < own.days() {
        return Err(Error::usage(format!(
            "today: {given} is before the server's date, {own}: waivers would be judged on a day that has passed (one \
             that expired would be honoured again); leave `today` out, or give {own} or a later day"
        )));
    }
    Ok(given)
}

fn written(w: Written) -> (&'static str, Option<String>) {
    match w {
        Written::Created => ("created", None),
        Written::Unchanged => ("unchanged", None),
        Written::Replaced { backup } => ("replaced", backup),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_an_object_input_schema_and_a_unique_name() {
        let tools = catalog();
        assert_eq!(tools.len(), TOOLS.len());
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOOLS.len(), "tool names are unique");
        for t in &tools {
            assert_eq!(t.input_schema.get("type"), Some(&Value::from("object")), "{}", t.name);
            if let Some(out) = &t.output_schema {
                assert_eq!(out.get("type"), Some(&Value::from("object")), "{}", t.name);
            }
        }
    }

    #[test]
    fn only_the_tools_that_write_say_so() {
        for (t, tool) in TOOLS.iter().zip(catalog()) {
            let a = tool.annotations.expect("annotated");
            assert_eq!(a.read_only_hint, Some(!t.writes), "{}", t.name);
            assert_eq!(a.destructive_hint, Some(false), "{}", t.name);
        }
        let writers: Vec<&str> = TOOLS.iter().filter(|t| t.writes).map(|t| t.name).collect();
        assert_eq!(writers, ["phase_complete", "phase_summary"]);
    }

    #[test]
    fn unknown_arguments_are_refused_not_ignored() {
        let root = std::env::temp_dir();
        let err = call(find("gate").unwrap(), &root, serde_json::json!({ "polcy": "x.toml" })).unwrap_err();
        assert!(err.starts_with("error: invalid arguments: unknown field `polcy`"), "{err}");
        let err = call(find("explain").unwrap(), &root, serde_json::json!({ "code": 3 })).unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
    }

    #[test]
    fn a_path_outside_the_repository_is_refused_for_writing() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap().join("repo");
        std::fs::create_dir_all(root.join("plans/x")).unwrap();
        assert!(inside(&root, "plans/x/plan.md").is_ok());
        assert!(inside(&root, "plans/new/plan.md").is_ok(), "a path not written yet, inside");
        for outside in ["../elsewhere/plan.md", "plans/../../plan.md", "/etc/passwd"] {
            let err = inside(&root, outside).unwrap_err().to_string();
            assert!(err.contains("outside the repository"), "{outside}: {err}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), root.join("plans/link")).unwrap();
            let err = inside(&root, "plans/link/plan.md").unwrap_err().to_string();
            assert!(err.contains("outside the repository"), "a link that leads out: {err}");
        }
    }

    #[test]
    fn explain_gives_one_code_or_all() {
        let one = explain(ExplainInput { code: Some("tests-failing".into()) }).unwrap().value;
        assert_eq!(one["codes"][0]["code"], "tests-failing");
        assert!(one["codes"][0]["explanation"].is_string());
        let all = explain(ExplainInput { code: None }).unwrap().value;
        assert_eq!(all["codes"].as_array().unwrap().len(), codes::CODES.len());
        let err = explain(ExplainInput { code: Some("tests-faling".into()) }).unwrap_err().to_string();
        assert!(err.contains("did you mean tests-failing"), "{err}");
    }
}
