//! The compact per-file coverage model and the builder that merges files by path.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::{Counts, FileDetail, LineBits, Rounding, Unit};

/// One source file's coverage as the producing tool counts it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileCoverage {
    /// Repo-relative with forward slashes once path mapping has run; as the report wrote it before.
    pub path: String,
    /// Lines, or the unit the producer counts in their place (statements for Go and coverage.py).
    pub lines: Counts,
    /// `None` when the report has no branch data for this file (not 0 %).
    pub branches: Option<Counts>,
    pub functions: Option<Counts>,
    /// Per-line data, when the format has it (not for summary-only inputs).
    pub line_bits: Option<LineBits>,
}

impl FileCoverage {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into(), ..Self::default() }
    }

    /// Whether `lines` was counted from `line_bits` (and so can be recounted after a union).
    fn lines_follow_bits(&self) -> bool {
        self.line_bits
            .as_ref()
            .is_some_and(|b| b.coverable_count() == self.lines.total && b.covered_count() == self.lines.covered)
    }

    /// Folds another record of the same file into this one.
    fn absorb(&mut self, other: FileCoverage) {
        let recount = self.lines_follow_bits() && other.lines_follow_bits();
        match (&mut self.line_bits, other.line_bits) {
            (Some(mine), Some(theirs)) => mine.union(&theirs),
            (mine @ None, theirs) => *mine = theirs,
            (Some(_), None) => {}
        }
        match (recount, &self.line_bits) {
            (true, Some(bits)) => {
                self.lines = Counts::new(bits.coverable_count(), bits.covered_count());
            }
            _ => self.lines.add(other.lines),
        }
        add_opt(&mut self.branches, other.branches);
        add_opt(&mut self.functions, other.functions);
    }
}

/// Adds `more` to `acc`, where either may be absent (no data).
pub fn add_opt(acc: &mut Option<Counts>, more: Option<Counts>) {
    match (acc.as_mut(), more) {
        (Some(a), Some(m)) => a.add(m),
        (None, Some(m)) => *acc = Some(m),
        _ => {}
    }
}

/// How a reader's note that is a warning opens (`warning: …`): `temis report` shows every note,
/// the gate says these too ([`Coverage::warnings`]).
pub const WARNING: &str = "warning: ";

/// A whole coverage report: files sorted by path, and totals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    pub files: Vec<FileCoverage>,
    pub lines: Counts,
    pub branches: Option<Counts>,
    pub functions: Option<Counts>,
    /// How the producer rounds its printed percentages.
    pub rounding: Rounding,
    /// What `lines` counts (statements for Go and coverage.py).
    pub unit: Unit,
    /// What temis had to decide about this report that a user should know
    /// (summary-only records used, a section without `end_of_record`…).
    pub notes: Vec<String>,
    /// The producer's own figures where they differ in kind from plain line coverage
    /// (coverage.py's combined percentage, Istanbul statements, JaCoCo instructions…).
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Why this report's branch figure is not the one its producer prints, when the format
    /// cannot carry it (gcovr's LCOV merges a C++ template's instances): `min_branch` cannot be
    /// judged on it.
    pub branches_unlike_producer: Option<String>,
    /// The files of the reports whose branch figure is not their producer's (set where reports
    /// are combined, for the path rules that hold them).
    pub branches_unlike_files: Vec<String>,
}

impl Coverage {
    /// Of `candidates` (repository files), those no file of the report is, whose extension is
    /// that of a file it lists, and that are not named as tests are
    /// ([`crate::paths::is_test_named`], which coverage tools are commonly told to leave out):
    /// source files the coverage run did not measure (coverage.py lists no module the tests never
    /// imported, unless told its source; nyc and c8 without `--all`). A path the report left as
    /// it wrote it (`/ci/src/a.py`, `../src/a.py`, `C:/…`) lists the file it ends with.
    pub fn unlisted_sources<'a>(&self, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        self.unlisted_of(candidates, false)
    }

    /// [`Coverage::unlisted_sources`] of `candidates` in a folder where the report lists a file:
    /// a module beside the ones it measures.
    pub fn unlisted_sources_beside<'a>(&self, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        self.unlisted_of(candidates, true)
    }

    fn unlisted_of<'a>(&self, candidates: impl Iterator<Item = &'a str>, beside: bool) -> Vec<&'a str> {
        fn folder(p: &str) -> &str {
            p.rsplit_once('/').map_or("", |(d, _)| d)
        }
        let folders: std::collections::HashSet<&str> =
            if beside { self.files.iter().map(|f| folder(&f.path)).collect() } else { Default::default() };
        fn extension(p: &str) -> Option<&str> {
            p.rsplit('/').next().and_then(|n| n.rsplit_once('.')).map(|(_, e)| e)
        }
        let kinds: std::collections::BTreeSet<&str> = self.files.iter().filter_map(|f| extension(&f.path)).collect();
        let mut listed: std::collections::HashSet<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        for f in &self.files {
            let p = f.path.as_str();
            if p.starts_with('/') || p.starts_with("../") || p.as_bytes().get(1) == Some(&b':') {
                listed.extend(p.match_indices('/').map(|(i, _)| &p[i + 1..]));
            }
        }
        candidates
            .filter(|p| !beside || folders.contains(folder(p)))
            .filter(|p| !listed.contains(p))
            .filter(|p| extension(p).is_some_and(|e| kinds.contains(e)))
            .filter(|p| !crate::paths::is_test_named(p))
            .collect()
    }

    /// The notes that are warnings ([`WARNING`]), without their opening.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.notes.iter().filter_map(|n| n.strip_prefix(WARNING))
    }

    /// Recomputes the totals as the sum of the files.
    pub fn recount(&mut self) {
        self.lines = Counts::default();
        self.branches = None;
        self.functions = None;
        for f in &self.files {
            self.lines.add(f.lines);
            add_opt(&mut self.branches, f.branches);
            add_opt(&mut self.functions, f.functions);
        }
    }

    /// coverage.py's own total with branches folded in — (statements + branches covered) over
    /// (statements + branches), what its report's and pytest-cov's TOTAL prints — rounded to two
    /// decimals, when the report carries it (coverage.py with branch coverage on).
    pub fn coveragepy_total(&self) -> Option<f64> {
        if let Some(t) = self.extra.get("coveragepy_total") {
            let n = |k: &str| t.get(k).and_then(serde_json::Value::as_u64);
            return Rounding::Nearest.percent(Counts::new(n("total")?, n("covered")?));
        }
        let p = self.extra.get("coveragepy_percent_covered")?.as_f64()?;
        // Only when branches were measured is it another figure than the statements'.
        self.branches.is_some().then(|| (p * 100.0).round() / 100.0)
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Receives files from a parser: one call per file record, in report order.
pub trait Sink {
    fn file(&mut self, detail: &mut FileDetail);
    /// A file already given was seen again and this is its exact merge over all its records.
    fn replace(&mut self, detail: &mut FileDetail);
    /// Whether the sink loses branch identities (and so needs duplicate records re-merged exactly).
    fn is_lossy(&self) -> bool;
    /// The sink as a [`CoverageBuilder`], when it is one (parallel readers fill builders of their
    /// own and fold them in).
    fn as_builder(&mut self) -> Option<&mut CoverageBuilder> {
        None
    }
}

/// The files a chunk of a report read on a thread of its own gives, kept for the sink until the
/// chunks before it are given: as read, or summarized there already when the sink keeps only
/// summaries (a [`CoverageBuilder`]), which leaves the sink only their adding, in order.
pub enum Staged {
    Details(Vec<FileDetail>),
    Summaries(Vec<FileCoverage>),
}

impl Staged {
    /// Staged files, summarized where they are read when `summarized` (which the reader takes
    /// from its sink: [`Sink::as_builder`]).
    pub fn new(summarized: bool) -> Self {
        if summarized { Staged::Summaries(Vec::new()) } else { Staged::Details(Vec::new()) }
    }

    /// Keeps a file read, leaving `detail` empty or as it was (the reader clears it).
    pub fn push(&mut self, detail: &mut FileDetail) {
        match self {
            Staged::Details(files) => files.push(std::mem::take(detail)),
            Staged::Summaries(files) => files.push(detail.summarize()),
        }
    }

    /// The paths of the files kept, in order.
    pub fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Staged::Details(files) => Box::new(files.iter().map(|f| f.path.as_str())),
            Staged::Summaries(files) => Box::new(files.iter().map(|f| f.path.as_str())),
        }
    }

    /// The paths of the files kept, in order, to be renamed before they are given (JaCoCo's
    /// files of several modules, named apart once every module has been read).
    pub fn paths_mut(&mut self) -> Box<dyn Iterator<Item = &mut String> + '_> {
        match self {
            Staged::Details(files) => Box::new(files.iter_mut().map(|f| &mut f.path)),
            Staged::Summaries(files) => Box::new(files.iter_mut().map(|f| &mut f.path)),
        }
    }

    /// Gives the files to `sink`, in order, as [`Sink::file`] would have taken each.
    pub fn give(self, sink: &mut dyn Sink) {
        match self {
            Staged::Details(mut files) => files.iter_mut().for_each(|f| sink.file(f)),
            // Summaries are staged only for a builder (`new`'s caller asked the sink).
            Staged::Summaries(files) => {
                debug_assert!(sink.as_builder().is_some(), "summaries staged for a sink that is not a builder");
                if let Some(builder) = sink.as_builder() {
                    files.into_iter().for_each(|f| builder.add(f));
                }
            }
        }
    }
}

/// Collects compact [`FileCoverage`] records, merging repeated paths.
///
/// Files are found through the hash of their path: `heads` holds the last file added with each
/// hash, and `chain[i]` the file added before file `i` with the same hash. No path is copied for
/// this, and a builder folded into another brings its hashes along: a parallel reader's files are
/// folded in without reading their paths again (but for a hash both hold).
#[derive(Debug, Default)]
pub struct CoverageBuilder {
    files: Vec<FileCoverage>,
    hashes: Vec<u64>,
    heads: HashMap<u64, usize>,
    chain: Vec<usize>,
}

/// The end of a chain of files with one hash.
const END: usize = usize::MAX;

fn path_hash(path: &str) -> u64 {
    std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, path)
}

impl CoverageBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: FileCoverage) {
        self.add_indexed(file);
    }

    /// [`add`](Self::add), returning the file's position (which [`file_at`](Self::file_at) takes).
    pub fn add_indexed(&mut self, file: FileCoverage) -> usize {
        self.add_hashed(path_hash(&file.path), file)
    }

    fn add_hashed(&mut self, hash: u64, file: FileCoverage) -> usize {
        match self.find(hash, &file.path) {
            Some(i) => {
                self.files[i].absorb(file);
                i
            }
            None => self.push(hash, file),
        }
    }

    fn find(&self, hash: u64, path: &str) -> Option<usize> {
        let mut i = *self.heads.get(&hash)?;
        while i != END {
            if self.files[i].path == path {
                return Some(i);
            }
            i = self.chain[i];
        }
        None
    }

    fn push(&mut self, hash: u64, file: FileCoverage) -> usize {
        let i = self.files.len();
        self.chain.push(self.heads.insert(hash, i).unwrap_or(END));
        self.hashes.push(hash);
        self.files.push(file);
        i
    }

    /// The file at position `i`, in the order files were first added.
    pub fn file_at(&self, i: usize) -> Option<&FileCoverage> {
        self.files.get(i)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.find(path_hash(path), path).is_some()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Folds in everything another builder collected (repeated paths merged as by [`add`](Self::add)).
    pub fn absorb(&mut self, other: CoverageBuilder) {
        self.absorb_indexed(other);
    }

    /// [`absorb`](Self::absorb), returning where each of `other`'s files now stands.
    pub fn absorb_indexed(&mut self, other: CoverageBuilder) -> Vec<usize> {
        if self.is_empty() {
            *self = other;
            return (0..self.len()).collect();
        }
        self.files.reserve(other.files.len());
        other.hashes.into_iter().zip(other.files).map(|(hash, f)| self.add_hashed(hash, f)).collect()
    }

    /// [`absorb`](Self::absorb), taking `other` whole when this builder is empty (without
    /// holding both at once).
    pub fn absorb_all(&mut self, other: CoverageBuilder) {
        if self.is_empty() {
            *self = other;
        } else {
            self.absorb(other);
        }
    }

    pub fn finish(mut self) -> Coverage {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut cov = Coverage { files: self.files, ..Coverage::default() };
        cov.recount();
        cov
    }
}

impl Sink for CoverageBuilder {
    fn file(&mut self, detail: &mut FileDetail) {
        self.add(detail.summarize());
    }

    fn replace(&mut self, detail: &mut FileDetail) {
        let summary = detail.summarize();
        let hash = path_hash(&summary.path);
        match self.find(hash, &summary.path) {
            Some(i) => self.files[i] = summary,
            None => {
                self.push(hash, summary);
            }
        }
    }

    fn is_lossy(&self) -> bool {
        true
    }

    fn as_builder(&mut self) -> Option<&mut CoverageBuilder> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_file(path: &str, lines: &[(u32, bool)]) -> FileCoverage {
        let mut bits = LineBits::new();
        for &(l, h) in lines {
            bits.set(l, h);
        }
        FileCoverage {
            path: path.into(),
            lines: Counts::new(bits.coverable_count(), bits.covered_count()),
            branches: None,
            functions: None,
            line_bits: Some(bits),
        }
    }

    #[test]
    fn absorbed_builders_keep_positions_and_merge_paths() {
        let mut a = CoverageBuilder::new();
        a.add(bits_file("a.c", &[(1, true)]));
        let mut b = CoverageBuilder::new();
        b.add(bits_file("b.c", &[(1, false)]));
        b.add(bits_file("a.c", &[(2, false)]));
        assert_eq!(a.absorb_indexed(b), vec![1, 0]);
        assert!(a.contains("b.c") && a.contains("a.c") && !a.contains("c.c"));
        assert_eq!(a.add_indexed(bits_file("b.c", &[(3, true)])), 1);
        let mut c = CoverageBuilder::new();
        c.add(bits_file("c.c", &[(1, true)]));
        c.add(bits_file("b.c", &[(4, true)]));
        assert_eq!(a.absorb_indexed(c), vec![2, 1]);
        let cov = a.finish();
        let paths: Vec<_> = cov.files.iter().map(|f| (f.path.as_str(), f.lines)).collect();
        assert_eq!(paths, vec![("a.c", Counts::new(2, 1)), ("b.c", Counts::new(3, 2)), ("c.c", Counts::new(1, 1))]);
    }

    #[test]
    fn paths_with_one_hash_stay_apart() {
        let mut b = CoverageBuilder::new();
        for (i, path) in ["x.c", "y.c", "z.c"].into_iter().enumerate() {
            assert_eq!(b.add_hashed(7, bits_file(path, &[(1, false)])), i);
        }
        assert_eq!(b.add_hashed(7, bits_file("y.c", &[(2, true)])), 1);
        assert_eq!(b.find(7, "x.c"), Some(0));
        assert_eq!(b.find(7, "w.c"), None);
        assert_eq!(b.files[1].lines, Counts::new(2, 1));
    }

    #[test]
    fn repeated_paths_are_unioned_not_added() {
        let mut b = CoverageBuilder::new();
        b.add(bits_file("a.c", &[(1, true), (2, false)]));
        b.add(bits_file("a.c", &[(1, false), (2, true)]));
        b.add(bits_file("b.c", &[(1, false)]));
        let cov = b.finish();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.files[0].lines, Counts::new(2, 2));
        assert_eq!(cov.lines, Counts::new(3, 2));
        assert_eq!(cov.branches, None);
    }
}
