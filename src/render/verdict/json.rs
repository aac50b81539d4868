//! `temis.verdict/v1`: the verdict for machines. Field names are a contract; more are welcome,
//! renamed or removed ones are not.
//!
//! One document serves every surface: `temis gate --format json`, `temis ci`'s `report-json`, the
//! MCP server's `gate` tool and `temis hook agent-stop`. Its JSON schema is generated from the
//! types below ([`schema`]) and committed as `docs/temis.verdict.schema.json`; a test regenerates
//! it and fails on a difference (`TEMIS_BLESS=1 cargo test --lib is_fresh` rewrites it).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use crate::gate::verdict::PatchCoverage;
use crate::gate::{Check, Figures, ReportRef, Status, Verdict};
use crate::model::Counts;

pub const VERDICT_SCHEMA: &str = "temis.verdict/v1";

/// Where the committed schema lives, relative to the repository.
pub const SCHEMA_PATH: &str = "docs/temis.verdict.schema.json";

/// The gate's answer, with every check, as `temis gate --format json` prints it.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "temis.verdict/v1")]
pub struct VerdictDoc<'a> {
    /// The contract's name and version.
    #[schemars(schema_with = "schema_name")]
    schema: &'static str,
    /// `APPROVED`, `BLOCKED` or `COULD_NOT_JUDGE`.
    verdict: Status,
    /// The exit code `temis gate` ends with: 0 approved, 1 blocked, 2 could not judge.
    #[schemars(schema_with = "exit_codes")]
    exit_code: u8,
    /// Where the policy came from: a file relative to the repository, or `embedded default policy`.
    policy: &'a str,
    /// The phase whose `[phase.N]` overrides applied, if any.
    phase: Option<u32>,
    /// How many checks came out which way.
    summary: Summary,
    /// Headline figures.
    figures: &'a Figures,
    /// Every check, failures first.
    checks: &'a [Check],
    /// The reports the gate read.
    reports: &'a [ReportRef],
    /// Patch coverage of the change (`--base`, a push, a pull request, a phase); null when not measured.
    patch: Option<PatchDoc<'a>>,
}

/// How many checks came out which way.
#[derive(Serialize, JsonSchema)]
struct Summary {
    failed: usize,
    waived: usize,
    warnings: usize,
    passed: usize,
    skipped: usize,
}

/// Patch coverage: the added lines the coverage reports measure, and per file those no test ran.
#[derive(Serialize, JsonSchema)]
pub struct PatchDoc<'a> {
    /// What the change was measured against, for people: `origin/main (3f2a91c)`.
    base: &'a str,
    /// Coverable added lines covered, percent; null when no added line is measured by the reports.
    percent: Option<f64>,
    /// Coverable added lines.
    lines: Lines,
    /// Every line the change added, coverable or not.
    added: u64,
    /// Each file with coverable added lines, in path order, with the ranges no test covers.
    files: Vec<PatchFile<'a>>,
    /// Changed files the reports know only as totals (no per-line data): not counted.
    unmeasurable: &'a [String],
    /// Changed files no coverage report mentions: not counted.
    unmentioned: &'a [String],
}

/// Patch coverage of one file.
#[derive(Serialize, JsonSchema)]
struct PatchFile<'a> {
    /// Repository-relative.
    path: &'a str,
    lines: Lines,
    /// Added lines no test covers, as inclusive ranges, ascending.
    uncovered: Vec<Range>,
}

/// Coverable lines, and of those the ones covered and not.
#[derive(Serialize, JsonSchema)]
struct Lines {
    total: u64,
    covered: u64,
    uncovered: u64,
}

/// Lines `start` to `end`, both included.
#[derive(Serialize, JsonSchema)]
struct Range {
    start: u32,
    end: u32,
}

impl Lines {
    fn of(c: Counts) -> Self {
        Self { total: c.total, covered: c.covered, uncovered: c.missed() }
    }
}

impl<'a> PatchDoc<'a> {
    /// The patch coverage a verdict carries, as the contract shows it.
    pub fn of(p: &'a PatchCoverage) -> Self {
        PatchDoc {
            base: &p.base,
            percent: p.percent(),
            lines: Lines::of(p.lines),
            added: p.added,
            files: p
                .files
                .iter()
                .map(|f| PatchFile {
                    path: &f.path,
                    lines: Lines::of(f.lines),
                    uncovered: f.uncovered.iter().map(|&(start, end)| Range { start, end }).collect(),
                })
                .collect(),
            unmeasurable: &p.unmeasurable,
            unmentioned: &p.unmentioned,
        }
    }
}

/// The document for `v`.
pub fn document(v: &Verdict) -> VerdictDoc<'_> {
    use crate::gate::Outcome::*;
    VerdictDoc {
        schema: VERDICT_SCHEMA,
        verdict: v.status,
        exit_code: exit_code(v),
        policy: &v.policy,
        phase: v.phase,
        summary: Summary {
            failed: v.count(Fail),
            waived: v.count(Waived),
            warnings: v.count(Warn),
            passed: v.count(Pass),
            skipped: v.count(Skipped),
        },
        figures: &v.figures,
        checks: &v.checks,
        reports: &v.reports,
        patch: v.patch.as_ref().map(PatchDoc::of),
    }
}

/// The verdict as pretty-printed JSON, with a final newline.
pub fn render(v: &Verdict) -> String {
    let mut s = serde_json::to_string_pretty(&document(v)).expect("a verdict serializes");
    s.push('\n');
    s
}

/// The verdict as JSON on one line, with a final newline.
pub fn compact(v: &Verdict) -> String {
    let mut s = serde_json::to_string(&document(v)).expect("a verdict serializes");
    s.push('\n');
    s
}

/// How many pieces of evidence a check keeps in what an agent reads.
pub const AGENT_EVIDENCE: usize = 20;

/// The verdict as an agent reads it (the stop hook, the MCP gate tool): each check's evidence cut
/// to [`AGENT_EVIDENCE`], with a last piece saying how many more the full verdict lists. A
/// container image's 3,000 findings put hundreds of KB in the agent's context on every stop.
pub fn for_agents(v: &Verdict) -> std::borrow::Cow<'_, Verdict> {
    if v.checks.iter().all(|c| c.evidence.len() <= AGENT_EVIDENCE) {
        return std::borrow::Cow::Borrowed(v);
    }
    let mut cut = v.clone();
    for c in cut.checks.iter_mut().filter(|c| c.evidence.len() > AGENT_EVIDENCE) {
        let more = c.evidence.len() - (AGENT_EVIDENCE - 1);
        c.evidence.truncate(AGENT_EVIDENCE - 1);
        c.evidence.push(crate::gate::verdict::Evidence {
            path: None,
            line: None,
            text: format!("… and {more} more (`temis gate --format json` lists every one)"),
        });
    }
    std::borrow::Cow::Owned(cut)
}

/// The verdict as a JSON value (the MCP server's structured results).
pub fn value(v: &Verdict) -> serde_json::Value {
    serde_json::to_value(document(v)).expect("a verdict serializes")
}

/// The process exit code for a verdict: 0 approved, 1 blocked, 2 could not judge.
pub fn exit_code(v: &Verdict) -> u8 {
    match v.status {
        Status::Approved => 0,
        Status::Blocked => 1,
        Status::CouldNotJudge => 2,
    }
}

/// The JSON schema (draft 2020-12) of `temis.verdict/v1`, generated from the types that are
/// serialized, as they are serialized (a field serde may leave out is not required).
pub fn schema() -> serde_json::Value {
    schema_of::<VerdictDoc<'static>>("https://temis.dev/schema/temis.verdict.v1.json")
}

/// The JSON schema of the patch coverage object (the MCP server's `uncovered_patch_lines`).
pub fn patch_schema() -> serde_json::Value {
    schema_of::<PatchDoc<'static>>("https://temis.dev/schema/temis.patch.v1.json")
}

fn schema_of<T: JsonSchema>(id: &str) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$id".into(), id.into());
    }
    schema
}

fn schema_name(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "const": VERDICT_SCHEMA })
}

fn exit_codes(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "enum": [0, 1, 2] })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is what the types generate. Regenerate with
    /// `TEMIS_BLESS=1 cargo test --lib verdict_schema_is_fresh`.
    #[test]
    fn verdict_schema_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
        let mut fresh = serde_json::to_string_pretty(&schema()).unwrap();
        fresh.push('\n');
        if std::env::var_os("TEMIS_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{SCHEMA_PATH} is stale: regenerate it with `TEMIS_BLESS=1 cargo test --lib verdict_schema_is_fresh`"
        );
    }

    fn sample() -> Verdict {
        use crate::gate::verdict::FilePatch;
        use crate::gate::{Evidence, Measure, Outcome};
        let check = Check::new(
            crate::gate::codes::COVERAGE_LINE,
            "Line coverage",
            Outcome::Fail,
            "Line coverage 77.33 %, need 80 % minimum",
        )
        .measured(Measure::percent(77.33))
        .threshold(Measure::percent(80.0))
        .hint("cover 2 more lines")
        .evidence(vec![Evidence {
            path: Some("src/a.py".into()),
            line: Some(3),
            text: "uncovered: 3-4".into(),
        }]);
        Verdict {
            status: Status::Blocked,
            policy: "temis.toml".into(),
            phase: Some(2),
            checks: vec![check],
            reports: vec![ReportRef { path: "coverage.xml".into(), format: "cobertura", kind: "coverage" }],
            figures: Figures { line_coverage: Some(77.33), ..Figures::default() },
            security: None,
            patch: Some(PatchCoverage {
                base: "main (3f2a91c0aa)".into(),
                lines: Counts::new(4, 2),
                files: vec![FilePatch { path: "src/a.py".into(), lines: Counts::new(4, 2), uncovered: vec![(3, 4)] }],
                unmeasurable: Vec::new(),
                unmentioned: vec!["README.md".into()],
                added: 6,
            }),
        }
    }

    /// What the schema calls required is what every verdict has, and nothing a verdict holds is
    /// unknown to it: the properties of the document, a check and the patch object.
    #[test]
    fn the_schema_names_every_field_a_verdict_has() {
        let schema = schema();
        let doc = value(&sample());
        let defs = &schema["$defs"];
        let pairs = [
            (&schema, &doc),
            (&defs["Check"], &doc["checks"][0]),
            (&defs["PatchDoc"], &doc["patch"]),
            (&defs["PatchFile"], &doc["patch"]["files"][0]),
            (&defs["Figures"], &doc["figures"]),
        ];
        for (s, v) in pairs {
            let props = s["properties"].as_object().unwrap_or_else(|| panic!("no properties in {s}"));
            let obj = v.as_object().unwrap();
            for key in obj.keys() {
                assert!(props.contains_key(key), "{key} is not in the schema");
            }
            for req in s["required"].as_array().into_iter().flatten() {
                assert!(obj.contains_key(req.as_str().unwrap()), "{req} is required and missing");
            }
        }
        assert_eq!(schema["properties"]["schema"]["const"], VERDICT_SCHEMA);
        assert_eq!(doc["patch"]["files"][0]["uncovered"], serde_json::json!([{ "start": 3, "end": 4 }]));
        assert_eq!(doc["patch"]["lines"], serde_json::json!({ "total": 4, "covered": 2, "uncovered": 2 }));
    }

    #[test]
    fn compact_and_pretty_are_the_same_document() {
        let v = sample();
        let a: serde_json::Value = serde_json::from_str(&render(&v)).unwrap();
        let b: serde_json::Value = serde_json::from_str(&compact(&v)).unwrap();
        assert_eq!(a, b);
        assert_eq!(compact(&v).lines().count(), 1);
    }

    /// What an agent reads keeps 20 pieces of evidence a check, the last saying how many more
    /// the full verdict lists (every finding of a scan is kept in the verdict itself).
    #[test]
    fn an_agent_reads_a_checks_first_evidence_and_how_much_more() {
        let v = sample();
        assert!(matches!(for_agents(&v), std::borrow::Cow::Borrowed(_)), "small verdicts as they are");
        let mut big = sample();
        let one = big.checks[0].evidence[0].clone();
        big.checks[0].evidence = vec![one; 3000];
        let cut = for_agents(&big);
        let evidence = &cut.checks[0].evidence;
        assert_eq!(evidence.len(), AGENT_EVIDENCE);
        assert_eq!(evidence[AGENT_EVIDENCE - 1].text, "… and 2981 more (`temis gate --format json` lists every one)");
        assert_eq!(big.checks[0].evidence.len(), 3000, "the verdict itself keeps them all");
    }
}
