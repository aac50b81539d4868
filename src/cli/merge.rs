//! `temis merge`: shards of one test run merged into one report.
//!
//! Same-format inputs sum hit counts as lcov does (`lcov -a`). A file that different formats
//! describe is merged "covered in any input is covered" (max hits per line; the larger branch
//! set, a branch taken in any input counted taken), and temis says it did so: summing counts of
//! differently-shaped data is how Codecov turns 0/2 + 0/1 into 2/2.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Outcome, PathArgs};
use crate::app::write::{self, Mode};
use crate::error::Error;
use crate::input::Source;
use crate::model::{CoverageBuilder, DetailSet, FileDetail, Sink};
use crate::output::Output;
use crate::parsers::{self, Format};
use crate::paths::PathMapper;
use crate::render::{self, ReadReport};

pub const AFTER_HELP: &str = "Inputs of one format are summed the way `lcov -a` sums them: line \
hits added per line, branches per (line, block, branch), functions per name. Go profiles merge block \
by block as `go tool cover` reads them concatenated (set: covered in any; count/atomic: summed), so \
the JSON output keeps Go's statement figures (LCOV output is per line by nature). When one file comes \
from inputs of different formats, a line or branch covered in any input is covered, and temis \
says so on stderr.

The output is written atomically: a reader never sees half a file.

Examples:
  temis merge shard-1/lcov.info shard-2/lcov.info -o lcov.info
  temis merge artifacts/*/coverage.xml -o merged.json --output-format json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// An LCOV tracefile.
    Lcov,
    /// The temis.report/v1 JSON contract.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Coverage reports to merge.
    #[arg(required = true, value_name = "COVERAGE")]
    pub files: Vec<PathBuf>,

    /// Where to write the merged report.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Output format [default: json when OUT ends in .json, else lcov].
    #[arg(long = "output-format", value_enum)]
    pub output_format: Option<MergeFormat>,

    #[command(flatten)]
    pub paths: PathArgs,
}

pub fn run(args: MergeArgs, out: Output) -> Result<Outcome, Error> {
    let mapper = args.paths.mapper()?;
    // Same-format sets summed; then the formats folded together.
    let mut by_format: Vec<(Format, DetailSet)> = Vec::new();
    let mut go = GoProfiles::default();
    for input in crate::app::reports::inputs(&args.files)? {
        let source = parsers::open(&input)?;
        let (format, set, meta) = parsers::read_detail(&source, args.paths.input_format)?;
        for note in &meta.notes {
            out.warning(&format!("{}: {note}", source.name()));
        }
        let set = if format == Format::Gocover { go.add(&source, set, &meta)? } else { set };
        let set = map_detail_paths(set, &mapper);
        match by_format.iter_mut().find(|(f, _)| *f == format) {
            Some((_, acc)) => {
                for f in &set.files {
                    acc.add(f);
                }
            }
            None => by_format.push((format, set)),
        }
    }
    if let Some(set) = go.merged()? {
        let set = map_detail_paths(set, &mapper);
        match by_format.iter_mut().find(|(f, _)| *f == Format::Gocover) {
            Some((_, acc)) => *acc = set,
            None => by_format.push((Format::Gocover, set)),
        }
    }
    let formats: Vec<Format> = by_format.iter().map(|(f, _)| *f).collect();
    let mut sets = by_format.into_iter().map(|(_, s)| s);
    let mut merged = sets.next().unwrap_or_default();
    let mut mixed = 0usize;
    for other in sets {
        mixed += fold_covered_in_any(&mut merged, other);
    }
    merged.sort();
    if mixed > 0 {
        let names: Vec<_> = formats.iter().map(|f| f.name()).collect();
        out.warning(&format!(
            "{mixed} file(s) came from inputs of different formats ({}); they were merged as \
             \"covered in any input is covered\" (max hits per line), not summed",
            names.join(", ")
        ));
    }

    let format = args.output_format.unwrap_or_else(|| {
        if args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            MergeFormat::Json
        } else {
            MergeFormat::Lcov
        }
    });
    let mut builder = CoverageBuilder::new();
    for f in &mut merged.files {
        builder.file(&mut f.clone());
    }
    let coverage = builder.finish();
    let summary = format!(
        "merged {} report(s) into {}: {} files, lines {}/{}{}\n",
        args.files.len(),
        args.output.display(),
        coverage.files.len(),
        coverage.lines.covered,
        coverage.lines.total,
        coverage.branches.map(|b| format!(", branches {}/{}", b.covered, b.total)).unwrap_or_default(),
    );
    write::write_with(&args.output, Mode::Keep, |mut w| match format {
        MergeFormat::Lcov => render::lcov::write(&mut w, &merged.files),
        MergeFormat::Json => {
            let report = ReadReport {
                path: args.output.display().to_string(),
                format: Format::Lcov,
                content: crate::parsers::Content::Coverage(coverage.clone()),
            };
            render::json::write_reports(&mut w, std::slice::from_ref(&report))
        }
    })
    .map_err(|e| Error::Write { path: args.output.display().to_string(), source: e })?;
    out.stdout(&summary).map_err(Error::stdout)?;
    Ok(Outcome::Ok)
}

/// Go profiles of one run merge block by block, as `go tool cover` reads profiles concatenated
/// (`set` ⇒ OR, `count`/`atomic` ⇒ sum), so statements stay statements: summing two files'
/// per-line hits would recount lines. Each profile is read on its own first (errors name it).
#[derive(Default)]
struct GoProfiles {
    /// (name, first line in the concatenation, mode) of each profile.
    parts: Vec<(String, u64, String)>,
    bytes: Vec<u8>,
    lines: u64,
}

impl GoProfiles {
    /// Keeps `input` for the block-wise merge; returns its own set for the first profile (enough
    /// when it stays the only one), an empty one after.
    fn add(&mut self, input: &Source, set: DetailSet, meta: &parsers::Meta) -> Result<DetailSet, Error> {
        let mode = meta.extra.get("mode").and_then(|m| m.as_str()).unwrap_or_default().to_string();
        if let Some((first, _, m)) = self.parts.iter().find(|(_, _, m)| *m != mode) {
            return Err(Error::usage(format!(
                "{} is a `{mode}` Go profile and {first} a `{m}` one: profiles of different modes cannot be merged \
                 (run every shard with the same -covermode)",
                input.name()
            )));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut input.reader(), &mut bytes).map_err(|e| read_error(input, e))?;
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        self.parts.push((input.name().to_string(), self.lines, mode));
        self.lines += memchr::memchr_iter(b'\n', &bytes).count() as u64;
        self.bytes.extend_from_slice(&bytes);
        Ok(if self.parts.len() == 1 { set } else { DetailSet::new() })
    }

    /// The profiles merged block by block; `None` with fewer than two.
    fn merged(self) -> Result<Option<DetailSet>, Error> {
        let GoProfiles { parts, bytes, .. } = self;
        if parts.len() < 2 {
            return Ok(None);
        }
        let names: Vec<&str> = parts.iter().map(|(n, _, _)| n.as_str()).collect();
        let all = Source::bytes(names.join(" + "), bytes);
        match parsers::read_detail(&all, Some(Format::Gocover)) {
            Ok((_, set, _)) => Ok(Some(set)),
            Err(mut e) => {
                // Placed back in the profile the line came from.
                if let Some(line) = e.error.line {
                    if let Some((name, start, _)) = parts.iter().rev().find(|(_, start, _)| *start < line) {
                        e.file = name.clone();
                        e.error.line = Some(line - start);
                    }
                }
                Err(e.into())
            }
        }
    }
}

fn read_error(input: &Source, e: std::io::Error) -> Error {
    Error::Read { path: input.name().to_string(), source: e }
}

fn map_detail_paths(set: DetailSet, mapper: &PathMapper) -> DetailSet {
    let mut mapped = DetailSet::new();
    for mut f in set.files {
        f.path = mapper.map(&f.path);
        mapped.add(&f);
    }
    mapped
}

/// Folds `other` (another format) into `acc`, covered-in-any; returns how many files both had.
fn fold_covered_in_any(acc: &mut DetailSet, other: DetailSet) -> usize {
    let index: HashMap<String, usize> = acc.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
    let mut both = 0;
    for f in other.files {
        match index.get(&f.path) {
            Some(&i) => {
                both += 1;
                covered_in_any(&mut acc.files[i], f);
            }
            None => acc.add(&f),
        }
    }
    both
}

fn covered_in_any(a: &mut FileDetail, mut b: FileDetail) {
    let mut lines: HashMap<u32, u64> = a.lines.iter().copied().collect();
    for (line, hits) in b.lines.drain(..) {
        let e = lines.entry(line).or_insert(0);
        *e = (*e).max(hits);
    }
    a.lines = lines.into_iter().collect();
    a.lines.sort_unstable();
    if b.branches.len() > a.branches.len() {
        std::mem::swap(&mut a.branches, &mut b.branches);
    }
    for br in &b.branches {
        if let Some(x) = a.branches.iter_mut().find(|x| (x.line, x.block, x.branch) == (br.line, br.block, br.branch)) {
            x.taken = x.taken.max(br.taken);
        }
    }
    a.has_branches |= b.has_branches;
    for func in b.functions {
        match a.functions.iter_mut().find(|x| x.name == func.name) {
            Some(x) => x.hits = x.hits.max(func.hits),
            None => a.functions.push(func),
        }
    }
}
