//! `temis merge`: shards of one test run merged into one report.
//!
//! The merge is [`crate::model::Merger`], the same combination the gate makes of several
//! reports: same-format inputs summed as lcov does (`lcov -a`), Go profiles block by block, a
//! file that different formats describe merged "covered in any input is covered" (and said).
//! The output reads back: a Go profile when every input is one, LCOV, or temis's JSON with
//! every line (which `temis report` and the gate read as the `temis-report` format).

use std::io::Write;
use std::path::PathBuf;

use super::{Outcome, PathArgs};
use crate::app::write::{self, Mode};
use crate::error::Error;
use crate::model::{DetailSet, Merger, Rounding, Unit};
use crate::output::Output;
use crate::parsers::{self, Format};
use crate::paths::PathMapper;
use crate::render::{self, ReadReport};

pub const AFTER_HELP: &str = "Inputs of one format are summed the way `lcov -a` sums them: line \
hits added per line, branches per (line, block, branch), functions per name. Go profiles merge block \
by block as `go tool cover` reads them together (set: covered in any; count/atomic: summed), and Go's \
statement figures are kept: with Go profiles only, the output is a Go profile (or JSON, which carries \
the statements); LCOV, which counts lines, is refused for them. When one file comes from inputs of \
different formats, a line or branch covered in any input is covered, and temis says so on stderr. \
This is the combination the gate makes of several reports: gating the merged report gives the \
figures of gating the shards together.

The output is written atomically: a reader never sees half a file; a symbolic link is written through (the \
file it names gets the merge, the link stays). An existing output is replaced only when \
it is empty or a coverage report (an earlier merge's, left out of the inputs when a glob names it — unless \
it measures a line the other inputs do not: then it is a shard, and nothing is written), never a file of yours. The output takes the time of \
the oldest input, so a shard older than the code it measures keeps the merge stale for `temis gate`. The JSON output reads back \
(`temis report merged.json`, `temis gate merged.json`).

Examples:
  temis merge shard-1/lcov.info shard-2/lcov.info -o lcov.info
  temis merge shard-*/cover.out -o cover.out
  temis merge artifacts/*/coverage.xml -o merged.json --output-format json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// An LCOV tracefile.
    Lcov,
    /// The temis.report/v2 JSON contract, with every line as ranges (reads back).
    Json,
    /// The temis.report/v1 JSON contract, every line number listed (reads back).
    #[value(name = "json-v1")]
    JsonV1,
    /// A Go cover profile (Go inputs only).
    Gocover,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Coverage reports to merge.
    #[arg(required = true, value_name = "COVERAGE")]
    pub files: Vec<PathBuf>,

    /// Where to write the merged report.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Output format [default: json when OUT ends in .json; a Go profile when every input is
    /// one; else lcov].
    #[arg(long = "output-format", value_enum)]
    pub output_format: Option<MergeFormat>,

    #[command(flatten)]
    pub paths: PathArgs,
}

pub fn run(args: MergeArgs, out: Output) -> Result<Outcome, Error> {
    let mapper = args.paths.mapper()?;
    let mut merger: Merger<Format> = Merger::new();
    // In a repository, each shard's paths are resolved as the gate resolves them.
    let root = args.paths.root_dir()?;
    let repo = crate::app::reports::repository(&root);
    let mut parts: Vec<(Rounding, Unit)> = Vec::new();
    let mut go_mode: Option<(String, String)> = None;
    // The merged report is as old as its oldest shard: a shard older than the code it measures
    // keeps the merge stale (`coverage-report-stale`), where a new file's own time hid it.
    let mut oldest: Option<std::time::SystemTime> = None;
    refuse_to_overwrite(&args.output)?;
    // The output among the inputs (`-o coverage/merged.info` with `coverage/*.info`, run again):
    // an earlier merge of the same shards is left out — read, to be sure it is one (below).
    let same = |p: &std::path::Path| {
        std::fs::canonicalize(p).ok().is_some_and(|c| std::fs::canonicalize(&args.output).ok() == Some(c))
    };
    let files: Vec<PathBuf> = args.files.iter().filter(|p| !same(p)).cloned().collect();
    if files.is_empty() {
        return Err(Error::usage("no input but the output itself: name the shards to merge"));
    }
    let output_named = files.len() < args.files.len();
    let mut earlier: Option<DetailSet> = None;
    let mut unmergeable = crate::app::reports::Unmergeable::default();
    let mut all = files.clone();
    if output_named {
        all.push(args.output.clone());
    }
    for input in crate::app::reports::inputs(&all)? {
        let is_output = input.path().is_some_and(same);
        if !is_output && let Some(t) = input.path().and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok()) {
            oldest = Some(oldest.map_or(t, |o| o.min(t)));
        }
        let source = parsers::open(&input)?;
        let (format, set, meta) = parsers::read_detail(&source, args.paths.input_format)?;
        // The merge, written by temis, would carry a branch figure that is not the producer's.
        if let Some(why) = &meta.branches_unlike_producer {
            return Err(Error::usage(format!(
                "{}: {why}; temis merge would write that figure as its own — merge the producer's JSON or \
                 Cobertura instead (gcovr --add-tracefile)",
                source.name()
            )));
        }
        let unlike = crate::app::reports::merged_unlike(&meta, &set);
        for note in &meta.notes {
            out.warning(&format!("{}: {note}", source.name()));
        }
        if format == Format::Gocover {
            let mode = meta.extra.get("mode").and_then(|m| m.as_str()).unwrap_or_default().to_string();
            match &go_mode {
                Some((first, m)) if *m != mode => {
                    return Err(Error::usage(format!(
                        "{} is a `{mode}` Go profile and {first} a `{m}` one: profiles of different modes cannot \
                         be merged (run every shard with the same -covermode)",
                        source.name()
                    )));
                }
                Some(_) => {}
                None => go_mode = Some((source.name().to_string(), mode)),
            }
        }
        parts.push((meta.rounding.unwrap_or(format.rounding()), meta.unit.unwrap_or(format.unit())));
        let mut set = map_detail_paths(set, &mapper);
        if let Some(repo) = repo.as_ref() {
            let shown = crate::app::reports::shown_path(source.name(), &root);
            set = crate::app::reports::resolve_detail(set, &meta.extra, &mapper, repo, &shown);
        }
        if is_output {
            earlier = Some(set);
            continue;
        }
        if let Some(path) = merger.totals_only_twice(&set).first() {
            return Err(Error::usage(crate::model::merge::totals_only_twice(source.name(), path)));
        }
        if !unmergeable.admit(&merger, format, &set, unlike, source.name())? {
            continue;
        }
        merger.add(format, set);
    }
    crate::app::reports::say_unused(&mapper);
    let formats = merger.keys();
    let merged = merger.finish();
    if merged.inconsistent > 0 {
        let files: Vec<&str> =
            merged.set.files.iter().filter(|f| f.inconsistent > 0).map(|f| f.path.as_str()).take(3).collect();
        return Err(Error::usage(format!(
            "{} Go block(s) of {} have different statement counts in different profiles: they measured \
             different code (rebuild every shard from one commit)",
            merged.inconsistent,
            files.join(", ")
        )));
    }
    if merged.mixed > 0 {
        let names: Vec<_> = formats.iter().map(|f| f.name()).collect();
        out.warning(&format!(
            "{} file(s) came from inputs of different formats ({}); they were merged as \
             \"covered in any input is covered\" (max hits per line), not summed",
            merged.mixed,
            names.join(", ")
        ));
    }
    let all_go = formats == [Format::Gocover];
    let format = args.output_format.unwrap_or_else(|| {
        if args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            MergeFormat::Json
        } else if all_go {
            MergeFormat::Gocover
        } else {
            MergeFormat::Lcov
        }
    });
    match (format, all_go) {
        (MergeFormat::Gocover, false) => {
            return Err(Error::usage("--output-format gocover needs Go profiles, and only Go profiles, as inputs"));
        }
        (MergeFormat::Lcov, true) => {
            return Err(Error::usage(
                "LCOV counts lines and Go counts statements: the merged figures would not be Go's; write a Go \
                 profile (-o merged.out) or JSON (-o merged.json), which keep them",
            ));
        }
        _ => {}
    }
    let mut set = merged.set;
    if let Some(earlier) = earlier {
        // A shard named as the output too (`merge a.info b.info -o a.info`) is no earlier merge:
        // written over, the lines only it covers were lost.
        if let Some(line) = covered_only_in(&earlier, &set) {
            return Err(Error::usage(format!(
                "{} is an input and the output, and it measures a line the other inputs do not ({line}): it is a \
                 shard, not an earlier merge of them; nothing was written — name another -o",
                args.output.display()
            )));
        }
        out.warning(&format!(
            "{} is the output: an earlier merge of the other inputs (it measures no line they do not), not read as an \
             input",
            args.output.display()
        ));
    }
    let coverage = parsers::summarize_merged(&mut set, &parts);
    let unit = coverage.unit.plural();
    let summary = format!(
        "merged {} report(s) into {}: {} files, {unit} {}/{}{}\n",
        files.len(),
        args.output.display(),
        coverage.files.len(),
        coverage.lines.covered,
        coverage.lines.total,
        coverage.branches.map(|b| format!(", branches {}/{}", b.covered, b.total)).unwrap_or_default(),
    );
    let mode = go_mode.map(|(_, m)| m).unwrap_or_else(|| "set".to_string());
    write::write_with(&args.output, Mode::Keep, |mut w| match format {
        MergeFormat::Lcov => render::lcov::write(&mut w, &set.files),
        MergeFormat::Gocover => write_go_profile(&mut w, &set, &mode),
        MergeFormat::Json | MergeFormat::JsonV1 => {
            let mut coverage = coverage.clone();
            if all_go {
                coverage.extra.insert("mode".into(), serde_json::json!(mode));
            }
            let report = ReadReport {
                path: args.output.display().to_string(),
                // Inputs of several formats were merged by temis's rule, no producer's: the
                // document says it is temis's own.
                format: if formats.len() == 1 { formats[0] } else { Format::TemisReport },
                content: crate::parsers::Content::Coverage(coverage),
            };
            let version =
                if format == MergeFormat::JsonV1 { render::json::Version::V1 } else { render::json::Version::V2 };
            render::json::write_whole(&mut w, std::slice::from_ref(&report), version)
        }
    })
    .map_err(|e| Error::Write { path: args.output.display().to_string(), source: e })?;
    if let Some(t) = oldest {
        std::fs::File::options()
            .write(true)
            .open(&args.output)
            .and_then(|f| f.set_modified(t))
            .map_err(|e| Error::Write { path: args.output.display().to_string(), source: e })?;
    }
    out.stdout(&summary).map_err(Error::stdout)?;
    Ok(Outcome::Ok)
}

/// An existing `output` is replaced only when it is empty (`mktemp`'s) or a coverage report (an
/// earlier merge's): a file of the user's (`-o notes.txt`) is never overwritten.
fn refuse_to_overwrite(output: &std::path::Path) -> Result<(), Error> {
    let is_coverage = |p: &std::path::Path| {
        crate::app::reports::input(p)
            .and_then(|i| parsers::open(&i).map_err(Error::from))
            .is_ok_and(|s| parsers::detect(s.head()).is_ok_and(|f| f.kind() == parsers::Kind::Coverage))
    };
    let shown = output.display();
    match write::replaceable(output, is_coverage) {
        Ok(()) => Ok(()),
        Err(write::Kept::NotAFile) => {
            Err(Error::usage(format!("{shown} exists and is not a file: name the merged report's file with -o")))
        }
        Err(write::Kept::Theirs) => Err(Error::usage(format!(
            "{shown} exists and is not a coverage report: nothing was written; remove it or choose another -o"
        ))),
    }
}

/// The merged blocks as a Go cover profile (`mode:` first; `set` counts are 0 or 1), what
/// `go tool cover` reads.
fn write_go_profile(w: &mut impl Write, set: &DetailSet, mode: &str) -> std::io::Result<()> {
    writeln!(w, "mode: {mode}")?;
    for f in &set.files {
        for b in &f.blocks {
            let (sl, sc, el, ec) = b.span;
            let count = if mode == "set" { u64::from(b.count > 0) } else { b.count };
            writeln!(w, "{}:{sl}.{sc},{el}.{ec} {} {count}", f.path, b.statements)?;
        }
    }
    Ok(())
}

/// A line `earlier` holds that `merged` does not, or covers where `merged` does not
/// (`src/a.py:3`), if any: then it is a shard, not an earlier merge of the others (a file only it
/// measures, uncovered, would vanish from the result too).
fn covered_only_in(earlier: &DetailSet, merged: &DetailSet) -> Option<String> {
    let lines: std::collections::HashMap<&str, std::collections::HashMap<u32, u64>> =
        merged.files.iter().map(|f| (f.path.as_str(), f.lines.iter().copied().collect())).collect();
    earlier.files.iter().find_map(|f| {
        let merged = lines.get(f.path.as_str());
        f.lines
            .iter()
            .find(|(line, hits)| merged.and_then(|m| m.get(line)).is_none_or(|&m| *hits > 0 && m == 0))
            .map(|l| format!("{}:{}", f.path, l.0))
    })
}

fn map_detail_paths(set: DetailSet, mapper: &PathMapper) -> DetailSet {
    let mut mapped = DetailSet::new();
    for mut f in set.files {
        f.path = mapper.map(&f.path);
        mapped.add(&f);
    }
    mapped
}
