//! Which reports are judged, and reading them: the files named, else the policy's `[reports]`
//! paths and globs, else the conventional locations of the common producers; each read in its
//! detected (or forced) format and its paths made repository-relative.

use std::path::{Path, PathBuf};

use super::PathRules;
use super::discover;
use crate::error::Error;
use crate::gate::{self, Inputs, ReportRef, Searched, UnmatchedReport};
use crate::input::Input;
use crate::model::bench::BenchReport;
use crate::model::{
    Coverage, CoverageBuilder, DetailSet, Finding, FindingKind, Merger, Rounding, SecurityReport, Unit,
};
use crate::parsers::{self, Content};
use crate::paths::PathMapper;
use crate::paths::resolve::{RepoFiles, Resolution, Resolved};
use crate::policy::Policy;

/// Reads the reports named (`reports`), else the policy's, else the conventional ones.
/// `base` is the commit the change is judged against, for the security baseline.
pub fn read(
    reports: &[PathBuf],
    rules: &PathRules,
    base: Option<&str>,
    base_named: bool,
    policy: &Policy,
    root: &Path,
    fresh_checkout: bool,
) -> Result<Inputs, Error> {
    let mapper = rules.mapper(root);
    let repo = repository(root);
    let mut inputs = Inputs::default();
    if let Some(repo) = repo.as_ref() {
        let rules = &policy.coverage.paths;
        // On disk: a file deleted from the work tree, not yet from the index, is no file to cover.
        inputs.path_rule_files = repo
            .files()
            .filter(|f| rules.iter().any(|r| r.matcher.is_match(f)) && root.join(f).is_file())
            .map(String::from)
            .collect();
        inputs.path_rule_files.sort_unstable();
    }
    let files: Vec<PathBuf> = if !reports.is_empty() {
        let named: Vec<String> = reports.iter().map(|p| p.display().to_string()).collect();
        inputs.searched = Searched {
            coverage: named.clone(),
            tests: named.clone(),
            a11y: named.clone(),
            performance: named.clone(),
            security: named,
        };
        reports.to_vec()
    } else {
        let (cov, cov_shown) = find(root, &policy.reports.coverage, discover::COVERAGE_LOCATIONS);
        let (tests, tests_shown) = find(root, &policy.reports.tests, discover::TEST_LOCATIONS);
        let (a11y, a11y_shown) = if policy.a11y.enabled {
            find(root, &policy.reports.a11y, discover::A11Y_LOCATIONS)
        } else {
            (Vec::new(), Vec::new())
        };
        let (perf, perf_shown) = if policy.performance.enabled {
            find(root, &policy.reports.performance, discover::PERFORMANCE_LOCATIONS)
        } else {
            (Vec::new(), Vec::new())
        };
        let (security, security_shown) = security_reports(root, policy);
        for l in listed(policy) {
            if l.required {
                inputs.unreadable.extend(missing(root, l.kind.name(), l.paths));
            }
        }
        inputs.searched = Searched {
            coverage: cov_shown,
            tests: tests_shown,
            a11y: a11y_shown,
            performance: perf_shown,
            security: security_shown,
        };
        tracing::info!(
            coverage = cov.len(),
            tests = tests.len(),
            a11y = a11y.len(),
            performance = perf.len(),
            security = security.len(),
            "discovered reports under {}",
            root.display()
        );
        cov.into_iter().chain(tests).chain(a11y).chain(perf).chain(security).collect()
    };
    let named = !reports.is_empty();
    let files = without_baseline(once_each(files), policy, root, &mut inputs.unreadable);
    // Every report is opened once; one that cannot be read is named in the verdict with every
    // other problem, and the readable ones are still judged (the verdict cannot be APPROVED then).
    // A named report is read in the format forced on the command line, if one is.
    let mut opened = open_all(&files, rules.input_format, root, &mut inputs.unreadable);
    if named {
        // The reports named take the place of `[reports]`'s of their kinds; a kind `[reports]`
        // lists that none of them is of is read from there still: `temis gate coverage.xml`
        // with `security = ["semgrep.sarif"]` listed approved without reading the scan.
        let mut kinds: Vec<parsers::Kind> = opened
            .iter()
            .filter_map(|(source, _, forced)| forced.or_else(|| parsers::detect(source.head()).ok()))
            .map(parsers::Format::kind)
            .collect();
        // A named report that could not be read is of the kind whose `[reports]` path names it
        // (`temis gate coverage.xml`, missing, with `coverage = ["coverage.xml"]`): that kind is
        // not read again from there (which named the same file twice).
        let cwd = std::env::current_dir().unwrap_or_default();
        let full = |p: &Path| crate::paths::normalize(&cwd.join(p).to_string_lossy());
        let named_paths: Vec<String> = reports.iter().map(|p| full(p)).collect();
        let kinds_listed = listed(policy);
        for l in &kinds_listed {
            if l.paths.iter().any(|p| !discover::is_glob(p) && named_paths.contains(&full(&root.join(p)))) {
                kinds.push(l.kind);
            }
        }
        let mut extra = Vec::new();
        for l in kinds_listed {
            if l.paths.is_empty() || !l.judged || kinds.contains(&l.kind) {
                continue;
            }
            let (found, shown) = find(root, l.paths, &[]);
            tracing::info!(
                "no report named is of kind {0}: `[reports] {0}` is read as well ({1} file(s))",
                l.kind.name(),
                found.len()
            );
            if l.required {
                inputs.unreadable.extend(missing(root, l.kind.name(), l.paths));
            }
            *inputs.searched.of_kind(l.kind) = shown;
            extra.extend(found);
        }
        let already: std::collections::HashSet<PathBuf> =
            files.iter().map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())).collect();
        extra.retain(|f| !already.contains(&std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
        let extra = without_baseline(once_each(extra), policy, root, &mut inputs.unreadable);
        opened.extend(open_all(&extra, None, root, &mut inputs.unreadable));
    }
    // Several coverage reports are one project: read with their hit counts and combined by the
    // merge `temis merge` makes (so gating them gives what gating their merge gives).
    let coverage_reports = opened
        .iter()
        .filter(|(source, _, forced)| {
            let format = forced.or_else(|| parsers::detect(source.head()).ok());
            format.is_some_and(|f| f.kind() == parsers::Kind::Coverage)
        })
        .count();
    let discovered = !named && policy.reports.coverage.is_empty();
    let mut combination = (coverage_reports > 1).then(|| Combination { discovered, ..Combination::default() });
    let (mut test_files, mut bench_files) = (Vec::new(), Vec::new());
    // Security reports by what their scanner reads.
    let mut scan_files: Vec<(parsers::Scans, (PathBuf, String))> = Vec::new();
    for (source, input, forced) in &opened {
        let forced = *forced;
        if parsers::junit::is_temis_checks(source.head()) {
            let why = format!(
                "{} is temis's own report of its checks (`temis ci` writes it in its artifacts), not a test \
                 report: name the test runner's report, and give --artifacts a folder of its own",
                shown_path(input.name(), root)
            );
            inputs.unreadable.push(unreadable(&PathBuf::from(input.name()), &Error::usage(why), root));
            continue;
        }
        let read = match combination.as_mut() {
            Some(combination) => read_combining(source, forced, &mapper, combination),
            None => parsers::read(source, forced).map_err(Error::from),
        };
        let (format, content) = match read {
            Ok(read) => read,
            Err(e) => {
                inputs.unreadable.push(unreadable(&PathBuf::from(input.name()), &e, root));
                continue;
            }
        };
        let r = ReportRef { path: shown_path(input.name(), root), format: format.name(), kind: format.kind().name() };
        match content {
            Content::Coverage(c) => {
                // Where the report lies in the repository: named from another folder than the
                // root (`temis gate coverage/lcov.info` in `packages/b`), its shown path is
                // that folder's, and the package's folders were not tried as its roots.
                let located = input
                    .path()
                    .and_then(|p| p.canonicalize().ok())
                    .and_then(|p| {
                        Some(p.strip_prefix(root.canonicalize().ok()?).ok()?.to_string_lossy().replace('\\', "/"))
                    })
                    .unwrap_or_else(|| r.path.clone());
                let (c, resolved) = resolve_coverage(map_paths(c, &mapper), &mapper, repo.as_ref(), &located);
                if let Some(combination) = combination.as_mut() {
                    let renamed = resolved.as_ref().map_or(&[][..], |r| &r.renamed[..]);
                    if let Err(e) = combination.add_read(renamed, &r.path) {
                        inputs.unreadable.push(unreadable(&PathBuf::from(input.name()), &e, root));
                        continue;
                    }
                }
                if let Some(repo) = repo.as_ref() {
                    if !format.names_source_files() {
                        inputs.unmatched.extend(unmatched_classes(&r.path, &c, repo));
                    } else if let Some(resolved) = resolved.as_ref() {
                        let none = unmatched(&r.path, &c, resolved, repo, root);
                        if none.is_none() {
                            let names_own = c.files.iter().any(|f| repo.contains(&f.path));
                            inputs.foreign.extend(foreign(resolved, root, names_own));
                        }
                        inputs.unmatched.extend(none);
                    }
                }
                inputs.coverage_paths.extend(resolved);
                if policy.reports.stale != crate::policy::Stale::Off {
                    inputs.stale.extend(stale(input.path(), &r.path, &c, root, repo.as_ref(), fresh_checkout));
                }
                inputs.coverage.push((r, c));
            }
            Content::Tests(t) => {
                if let Some(first) = input.path().and_then(|p| copy_of(p, &test_files)) {
                    tracing::warn!("{} holds the same bytes as {first}: one run of the tests, read once", r.path);
                    continue;
                }
                test_files.extend(input.path().map(|p| (p.to_path_buf(), r.path.clone())));
                inputs.tests.push((r, t));
            }
            Content::A11y(a) => inputs.a11y.push((r, a)),
            Content::Bench(b) => {
                bench_files.extend(input.path().map(|p| (p.to_path_buf(), r.path.clone())));
                inputs.bench.push((r, b));
            }
            Content::Security(s) => {
                if let (Some(scans), Some(p)) = (format.scans(), input.path()) {
                    scan_files.push((scans, (p.to_path_buf(), r.path.clone())));
                }
                let s = resolve_security(map_security_paths(s, &mapper), repo.as_ref(), &r.path);
                inputs.security.push((r, s));
            }
        }
    }
    if let Some(combination) = combination.filter(|c| c.parts.len() > 1) {
        inputs.combined_coverage = Some(combination.finish());
    }
    // The path options are for coverage and security reports: with none read, nothing to say.
    if !inputs.coverage.is_empty() || !inputs.security.is_empty() {
        say_unused(&mapper);
    }
    if let Some(repo) = repo.as_ref().filter(|_| {
        policy.reports.stale != crate::policy::Stale::Off
            && !(test_files.is_empty() && bench_files.is_empty() && scan_files.is_empty())
    }) {
        let sources = dated_sources(repo, root);
        inputs.stale_tests = stale_tests(&test_files, &sources, root, fresh_checkout);
        // Each benchmark report on its own: criterion writes one per benchmark, and a filtered
        // `cargo bench -- parse` leaves the others' as they were, under the fresh one.
        inputs.stale_bench = newer_than(&bench_files, Age::Each, &sources, root, fresh_checkout, crate::paths::is_code);
        // Each security report on its own too (each scanner runs on its own), held to the files
        // its scanner reads: a scan skipped or failed (pip-audit writes no file when it fails)
        // leaves the last one's report in place.
        let mut kinds: Vec<parsers::Scans> = Vec::new();
        for (scans, _) in &scan_files {
            if !kinds.contains(scans) {
                kinds.push(*scans);
            }
        }
        for scans in kinds {
            let files: Vec<(PathBuf, String)> =
                scan_files.iter().filter(|(s, _)| *s == scans).map(|(_, f)| f.clone()).collect();
            if let Some(newer) = newer_than(&files, Age::Each, &sources, root, fresh_checkout, |f| scans.reads(f)) {
                let all = inputs.stale_security.get_or_insert_with(gate::NewerFiles::default);
                all.reports.extend(newer.reports);
                all.newer.extend(newer.newer);
                all.newer.sort();
                all.newer.dedup();
            }
        }
    }
    if let Some(base) = policy.performance.baseline.as_deref().filter(|_| policy.performance.enabled) {
        inputs.baseline = Some(read_bench_baseline(base, root)?);
    }
    if policy.security.new_only && !inputs.security.is_empty() {
        // A base the user named (`--base origin/develop`) is read as it is; another (the pre-push
        // hook's remote tip, the branch's upstream, an agent's, a CI job's previous build) is
        // held to the trunk, a pull request's target branch among the trunks.
        inputs.security_baseline = read_security_baseline(base, !base_named, &policy.security.baseline, root);
    }
    Ok(inputs)
}

/// One kind's `[reports]` paths, whether the policy judges that kind at all, and whether it
/// requires a report of it.
struct Listed<'p> {
    kind: parsers::Kind,
    paths: &'p [String],
    judged: bool,
    required: bool,
}

/// The policy's `[reports]`, kind by kind.
fn listed(policy: &Policy) -> [Listed<'_>; 5] {
    use parsers::Kind;
    let (r, a11y, perf) = (&policy.reports, &policy.a11y, &policy.performance);
    [
        Listed { kind: Kind::Coverage, paths: &r.coverage, judged: true, required: policy.coverage.required },
        Listed { kind: Kind::Tests, paths: &r.tests, judged: true, required: policy.tests.required },
        Listed { kind: Kind::A11y, paths: &r.a11y, judged: a11y.enabled, required: a11y.requires_report() },
        Listed {
            kind: Kind::Performance,
            paths: &r.performance,
            judged: perf.enabled,
            required: perf.requires_report(),
        },
        Listed { kind: Kind::Security, paths: &r.security, judged: true, required: policy.security.required },
    ]
}

/// `files` without the performance baseline: it is the base's report, never this run's. Found
/// as a run (it sits where runs are written) it was compared with itself, +0.0 %, and its figures
/// met the budgets; it is named as unreadable instead.
fn without_baseline(
    mut files: Vec<PathBuf>,
    policy: &Policy,
    root: &Path,
    unreadable: &mut Vec<gate::Unreadable>,
) -> Vec<PathBuf> {
    let Some(base) = policy.performance.baseline.as_deref().filter(|_| policy.performance.enabled) else {
        return files;
    };
    let base_id = std::fs::canonicalize(root.join(base)).ok();
    files.retain(|f| {
        let same = base_id.is_some() && std::fs::canonicalize(f).ok() == base_id;
        if same {
            unreadable.push(gate::Unreadable {
                path: shown_path(&f.display().to_string(), root),
                why: format!(
                    "{base} is the performance baseline (`[performance] baseline`), read here as this run's \
                     report: compared with itself it measures nothing\nhint: write the run's benchmark report \
                     elsewhere, and keep the baseline out of `[reports] performance` and the conventional \
                     places (e.g. `bench/base.json`)"
                ),
            });
        }
        !same
    });
    files
}

/// Each of `files` opened, with the format it is to be read in (`forced`, else detected); one
/// that cannot be opened goes to `problems`.
fn open_all(
    files: &[PathBuf],
    forced: Option<parsers::Format>,
    root: &Path,
    problems: &mut Vec<gate::Unreadable>,
) -> Vec<(crate::input::Source, Input, Option<parsers::Format>)> {
    let mut opened = Vec::with_capacity(files.len());
    for file in files {
        match input(file).and_then(|input| Ok((parsers::open(&input)?, input))) {
            Ok((source, input)) => opened.push((source, input, forced)),
            Err(e) => problems.push(unreadable(file, &e, root)),
        }
    }
    opened
}

/// `files` with each file once: the same report named twice (on the command line, in a plan's
/// `Reports:`, under two kinds of `[reports]`, or as `x` and `./x`) is one run of its tool, and
/// read twice its tests and findings were counted twice (`min_count = 3` met by 2 tests).
fn once_each(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter(|f| {
            if f.as_os_str() == "-" {
                return true;
            }
            let id = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
            let first = seen.insert(id);
            if !first {
                tracing::info!("{} is named more than once: read once", f.display());
            }
            first
        })
        .collect()
}

/// The test report read before that holds the same bytes as `file` (a copy: an artifact
/// downloaded beside the report it was made from, both matched by a glob), which is the same
/// run. Only test reports are compared: two coverage reports of the same bytes in two packages
/// name each package's files, and findings are counted once by their identity.
fn copy_of<'a>(file: &Path, read: &'a [(PathBuf, String)]) -> Option<&'a str> {
    let len = std::fs::metadata(file).ok().filter(|m| m.is_file() && m.len() > 0)?.len();
    read.iter()
        .find(|(other, _)| std::fs::metadata(other).is_ok_and(|m| m.len() == len) && same_bytes(other, file))
        .map(|(_, shown)| shown.as_str())
}

/// Whether two files of one size hold the same bytes, compared a piece at a time (false when
/// either cannot be read).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(mut a), Ok(mut b)) = (std::fs::File::open(a), std::fs::File::open(b)) else { return false };
    let (mut x, mut y) = (vec![0u8; 64 << 10], vec![0u8; 64 << 10]);
    loop {
        let Ok(n) = a.read(&mut x) else { return false };
        if n == 0 {
            return b.read(&mut y).is_ok_and(|m| m == 0);
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// A report that could not be read, named as the verdict names reports: relative to the root
/// when under it.
fn unreadable(file: &Path, e: &Error, root: &Path) -> gate::Unreadable {
    let clean: PathBuf = root.components().collect();
    let why = e.to_string().replacen(&format!("{}/", clean.display()), "", 1);
    gate::Unreadable { path: shown_path(&file.display().to_string(), root), why }
}

/// The coverage reports of one gate run, with their hit counts, for their combination.
#[derive(Default)]
struct Combination {
    merger: Merger<parsers::Format>,
    /// Each report's rounding and unit.
    parts: Vec<(Rounding, Unit)>,
    /// The report just read, its paths as written (mapped), until the repository has resolved
    /// them ([`add_read`](Self::add_read)).
    read: Option<(parsers::Format, DetailSet)>,
    /// The reports were found at the conventional locations (none named, none listed in
    /// `[reports]`): two of them in different formats are one run's only if they agree
    /// ([`Combination::one_run`]).
    discovered: bool,
    /// Each format read, the report of it (the first), and how many reports of it.
    formats: Vec<(parsers::Format, String, usize)>,
    /// Why the report just read cannot be merged with another of the same files by temis
    /// ([`merged_unlike`]), until [`add_read`](Self::add_read).
    read_unlike: Option<&'static str>,
    unmergeable: Unmergeable,
}

/// Reports temis cannot merge with another of the same files ([`merged_unlike`]): the rule the
/// gate's combination and `temis merge` share.
#[derive(Default)]
pub struct Unmergeable {
    /// The files of the reports added that cannot be merged, each with its report and why.
    files: std::collections::HashMap<String, (String, &'static str)>,
}

impl Unmergeable {
    /// Whether the report `name` (of `format`, its files `set`; `why` it cannot be merged, if it
    /// cannot) is to be added to `merger`: not when it says what a report before it in another
    /// format says (one run, read once); an error when it measures a file a report before it
    /// measures and either of the two cannot be merged. Reports of other files are merged as
    /// ever (two coverage.py shards beside one llvm-cov export).
    pub fn admit(
        &mut self,
        merger: &Merger<parsers::Format>,
        format: parsers::Format,
        set: &DetailSet,
        why: Option<&'static str>,
        name: &str,
    ) -> Result<bool, Error> {
        // A file this report shares with one before, and which of the two cannot be merged.
        let clash = match why {
            Some(why) => merger.shared(set).map(|path| (path, (name.to_string(), why))),
            None => set.files.iter().find_map(|f| self.files.get(&f.path).map(|u| (f.path.clone(), u.clone()))),
        };
        if let Some((path, (other, why))) = clash {
            // The same run written in two formats (llvm-cov's JSON and its LCOV): the first
            // stands for both. Another run of the same files: the producer merges it.
            if merger.same_as_one_before(format, set) {
                tracing::info!("{name} says what a report before it says, line for line: one run, read once");
                return Ok(false);
            }
            return Err(Error::usage(format!(
                "{name} and a report before it both measure {path}, and {other}'s figures cannot be merged by \
                 temis: {why}; give the gate that one report (or name one report to judge)"
            )));
        }
        if let Some(why) = why {
            for f in &set.files {
                self.files.entry(f.path.clone()).or_insert_with(|| (name.to_string(), why));
            }
        }
        Ok(true)
    }
}

impl Combination {
    /// Adds the report just read, each path as the repository resolved it for that report
    /// (`renamed`): two packages' reports that both name `src/index.js` measure two files, and
    /// merged as written, the second package's hits covered the first's lines.
    fn add_read(&mut self, renamed: &[(String, String, crate::paths::resolve::How)], name: &str) -> Result<(), Error> {
        let Some((format, read)) = self.read.take() else { return Ok(()) };
        let set = if renamed.is_empty() {
            read
        } else {
            let to: std::collections::HashMap<&str, &str> =
                renamed.iter().map(|(from, to, _)| (from.as_str(), to.as_str())).collect();
            let mut set = DetailSet::new();
            for mut f in read.files {
                if let Some(to) = to.get(f.path.as_str()) {
                    f.path = (*to).to_string();
                }
                set.add(&f);
            }
            set
        };
        if let Some(path) = self.merger.totals_only_twice(&set).first() {
            return Err(Error::usage(crate::model::merge::totals_only_twice(name, path)));
        }
        self.one_run(format, &set, name)?;
        let why = self.read_unlike.take();
        if !self.unmergeable.admit(&self.merger, format, &set, why, name)? {
            return Ok(());
        }
        match self.formats.iter_mut().find(|(f, ..)| *f == format) {
            Some((.., count)) => *count += 1,
            None => self.formats.push((format, name.to_string(), 1)),
        }
        self.merger.add(format, set);
        Ok(())
    }

    /// Discovered reports of two formats that say different things of one line: a tool writing
    /// several formats in one run (coverage.py's `coverage.xml` and `coverage.json`) writes the
    /// same figures in each, so one is left from an earlier run — and merged "covered in any",
    /// the earlier run's lines (a test since deleted, a fuller run than this one's `-k`) made
    /// this run's figure 100 %. Reports of one format are shards, summed; a format given by
    /// several reports (shards, which each cover part) is not compared, nor one whose lines are
    /// derived from blocks or regions ([`parsers::Format::counts_lines_as_written`]: a Go
    /// profile and its gocover-cobertura conversion count a line differently).
    fn one_run(&self, format: parsers::Format, set: &DetailSet, name: &str) -> Result<(), Error> {
        if !self.discovered || !format.counts_lines_as_written() || self.formats.iter().any(|(f, ..)| *f == format) {
            return Ok(());
        }
        for (other, other_name, count) in &self.formats {
            if *count > 1 || !other.counts_lines_as_written() {
                continue;
            }
            if let Some((path, line, run_here)) = self.merger.disagreement(*other, set) {
                let (ran, not) = if run_here { (name, other_name.as_str()) } else { (other_name.as_str(), name) };
                return Err(Error::usage(format!(
                    "{name} and {other_name} are two coverage reports of the same code that disagree ({path} line \
                     {line} ran in {ran}, not in {not}): a tool's formats of one run say the same, so one is left \
                     from an earlier test run, and their merge is neither run's figure — delete the stale one, or \
                     name the report to judge (`temis gate REPORT…`, or [reports] coverage in temis.toml)"
                )));
            }
        }
        Ok(())
    }

    /// The reports as one project, their paths resolved as each report's were.
    fn finish(self) -> Coverage {
        let mut merged = self.merger.finish().set;
        parsers::summarize_merged(&mut merged, &self.parts)
    }
}

/// Why a report's files, merged with another's, would not be their producer's figure: its
/// producer counts otherwise than its line records ([`parsers::Meta::merged_unlike_producer`]:
/// llvm-cov), or a file states totals (the producer's own) other than its lines count — gcovr
/// counts a template's lines once per instance, in its LCOV and its JSON alike.
pub fn merged_unlike(meta: &parsers::Meta, set: &DetailSet) -> Option<&'static str> {
    meta.merged_unlike_producer.or_else(|| states_unlike_its_lines(set))
}

fn states_unlike_its_lines(set: &DetailSet) -> Option<&'static str> {
    let unlike = set.files.iter().any(|f| {
        let Some(stated) = f.summary.and_then(|s| s.lines).filter(|_| !f.lines.is_empty()) else { return false };
        let lines = f.ran_lines();
        let counted = crate::model::Counts::new(lines.len() as u64, lines.iter().filter(|l| l.1).count() as u64);
        counted != stated
    });
    unlike.then_some(
        "its files state totals (the producer's own figures) other than their line records count — gcovr counts \
         a template's lines once per instance — and joined, the records are neither report's figure: merge the \
         runs with the producer (gcovr --add-tracefile; llvm-profdata merge) and give the gate one report",
    )
}

/// Reads `source` as [`parsers::read`] does; a coverage report is read with its hit counts too,
/// which `combination` holds until they are resolved (paths mapped as the report's are).
fn read_combining(
    source: &crate::input::Source,
    forced: Option<parsers::Format>,
    mapper: &PathMapper,
    combination: &mut Combination,
) -> Result<(parsers::Format, Content), Error> {
    let format = match forced {
        Some(f) => f,
        None => parsers::detect(source.head()).map_err(|error| parsers::ReportError {
            file: source.name().to_string(),
            error,
            hint: None,
        })?,
    };
    if format.kind() != parsers::Kind::Coverage {
        return Ok(parsers::read(source, Some(format))?);
    }
    let (format, mut set, meta) = parsers::read_detail(source, Some(format))?;
    combination.parts.push((meta.rounding.unwrap_or(format.rounding()), meta.unit.unwrap_or(format.unit())));
    combination.read_unlike = merged_unlike(&meta, &set);
    let coverage = parsers::summarize(&mut set, format, meta);
    let mut mapped = DetailSet::new();
    for mut f in set.files {
        f.path = mapper.map(&f.path);
        mapped.add(&f);
    }
    // Merged once the repository has resolved its paths ([`Combination::add_read`]).
    combination.read = Some((format, mapped));
    Ok((format, Content::Coverage(coverage)))
}

/// The files a coverage report measures that changed after the report was written: the tests
/// ran on other code (a branch switched, a pull, an edit since). `None` when the report is not a
/// file on disk or nothing it measures is newer.
///
/// A report committed with the code it measures, both as git checked them out (a shipped example,
/// a fixture), is judged by neither's modification time: the checkout wrote both, in path order.
/// It is as old as the commit that last changed it: the files it measures that later commits
/// changed are newer (a phase's committed report, gated after the next phase's code).
fn stale(
    file: Option<&Path>,
    shown: &str,
    coverage: &Coverage,
    root: &Path,
    repo: Option<&RepoFiles>,
    fresh_checkout: bool,
) -> Option<gate::StaleReport> {
    let file = file?;
    let written = std::fs::metadata(file).ok()?.modified().ok()?;
    let newer_than_it =
        |on_disk: &Path| std::fs::metadata(on_disk).and_then(|m| m.modified()).is_ok_and(|changed| changed > written);
    let mut newer: Vec<(String, PathBuf)> = coverage
        .files
        .iter()
        .map(|f| (f.path.clone(), root.join(&f.path)))
        .filter(|(_, on_disk)| newer_than_it(on_disk))
        .collect();
    // Source files it does not list, in folders it measures, written after it: the tests ran
    // before them (a module added since, which no figure holds).
    let mut unlisted: Vec<(String, PathBuf)> = repo.map_or_else(Vec::new, |repo| {
        coverage
            .unlisted_sources_beside(repo.files())
            .into_iter()
            .map(|f| (f.to_string(), root.join(f)))
            .filter(|(_, on_disk)| newer_than_it(on_disk))
            .collect()
    });
    unlisted.sort();
    let past_end = past_end(coverage, root);
    let mut undated = false;
    let committed = !crate::git::checked_out_as_is(root, &[file.to_path_buf()]).is_empty();
    if committed || fresh_checkout {
        let all: Vec<PathBuf> = newer.iter().chain(&unlisted).map(|n| n.1.clone()).collect();
        let as_is = crate::git::checked_out_as_is(root, &all);
        newer.retain(|n| !as_is.contains(&n.1));
        unlisted.retain(|n| !as_is.contains(&n.1));
    }
    if committed {
        // Committed, it is as old as the commit that last changed it: the files it measures that
        // commits after that one changed are newer than it, whatever the checkout's times.
        match crate::git::changed_after_commit_of(root, file) {
            Some(crate::git::CommittedAge::Changed(changed)) => {
                for f in coverage.files.iter().filter(|f| changed.contains(&f.path)) {
                    if !newer.iter().any(|n| n.0 == f.path) {
                        newer.push((f.path.clone(), root.join(&f.path)));
                    }
                }
            }
            Some(crate::git::CommittedAge::Unknown) => undated = true,
            None => {}
        }
    }
    (!newer.is_empty() || !unlisted.is_empty() || !past_end.is_empty() || undated).then(|| gate::StaleReport {
        report: shown.to_string(),
        newer: newer.into_iter().map(|n| n.0).collect(),
        unlisted: unlisted.into_iter().map(|n| n.0).collect(),
        past_end,
        undated,
    })
}

/// The repository's files named as tests ([`crate::paths::is_test_named`]) and its code files
/// ([`crate::paths::is_code`]) changed after the newest of the test reports `reports` (each a file
/// on disk, as shown) was written: the tests ran before them (a code edit since, or a run that
/// stopped before writing its report — a conftest error leaves the last run's `junit.xml`). `None` when there is none, or no report is a file. Files checked out as they
/// are committed, beside a report checked out as committed too, are not judged by their times
/// (the checkout wrote them all), nor by the commits after the report's: a repository that keeps
/// each phase's reports holds, rightly, tests newer than an earlier phase's (a coverage report
/// names the files it measures, and is judged by those commits).
fn stale_tests(
    reports: &[(PathBuf, String)],
    sources: &[Dated],
    root: &Path,
    fresh_checkout: bool,
) -> Option<gate::NewerFiles> {
    let tests_or_code = |f: &str| crate::paths::is_test_named(f) || crate::paths::is_code(f);
    newer_than(reports, Age::Newest, sources, root, fresh_checkout, tests_or_code)
}

/// A repository file as shown, on disk, and when it last changed.
struct Dated {
    shown: String,
    path: PathBuf,
    changed: std::time::SystemTime,
}

/// The repository's code and test files (outside other projects' folders) with their times:
/// read once for the test and the benchmark reports alike.
fn dated_sources(repo: &RepoFiles, root: &Path) -> Vec<Dated> {
    repo.files()
        .filter(|f| {
            (crate::paths::is_code(f)
                || crate::paths::is_test_named(f)
                || crate::paths::is_dependency_manifest(f)
                || crate::paths::is_infrastructure_code(f))
                && !crate::paths::in_other_project(f)
        })
        .filter_map(|f| {
            let path = root.join(f);
            let changed = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
            Some(Dated { shown: f.to_string(), path, changed })
        })
        .collect()
}

/// Which of several reports the files are held against: the newest (one run's reports, a test
/// run's shards), or each (one report per benchmark: any left behind is stale).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Age {
    Newest,
    Each,
}

/// The files of `sources` that `of` takes changed after the newest of `reports` was written
/// (with [`Age::Each`], after the oldest; the reports named are those older than such a file),
/// as [`stale_tests`] says of test files.
fn newer_than(
    reports: &[(PathBuf, String)],
    age: Age,
    sources: &[Dated],
    root: &Path,
    fresh_checkout: bool,
    of: impl Fn(&str) -> bool,
) -> Option<gate::NewerFiles> {
    let times: Vec<(std::time::SystemTime, &String)> =
        reports.iter().filter_map(|(p, shown)| Some((std::fs::metadata(p).ok()?.modified().ok()?, shown))).collect();
    let newest = match age {
        Age::Newest => times.iter().map(|t| t.0).max()?,
        Age::Each => times.iter().map(|t| t.0).min()?,
    };
    let own: Vec<PathBuf> = reports.iter().filter_map(|(p, _)| p.canonicalize().ok()).collect();
    let mut newer: Vec<&Dated> = sources
        .iter()
        .filter(|d| d.changed > newest && of(&d.shown))
        .filter(|d| d.path.canonicalize().is_ok_and(|p| !own.contains(&p)))
        .collect();
    let paths: Vec<PathBuf> = reports.iter().map(|r| r.0.clone()).collect();
    if !newer.is_empty() && (fresh_checkout || !crate::git::checked_out_as_is(root, &paths).is_empty()) {
        let all: Vec<PathBuf> = newer.iter().map(|d| d.path.clone()).collect();
        let as_is = crate::git::checked_out_as_is(root, &all);
        newer.retain(|d| !as_is.contains(&d.path));
    }
    newer.sort_by(|a, b| a.shown.cmp(&b.shown));
    let shown: Vec<String> = match age {
        Age::Newest => reports.iter().map(|r| r.1.clone()).collect(),
        Age::Each => {
            // The reports older than a file changed since: the ones left behind.
            let last = newer.iter().map(|d| d.changed).max();
            times.iter().filter(|t| last.is_some_and(|l| t.0 < l)).map(|t| t.1.clone()).collect()
        }
    };
    (!newer.is_empty())
        .then(|| gate::NewerFiles { reports: shown, newer: newer.into_iter().map(|d| d.shown.clone()).collect() })
}

/// The files of `coverage` on disk under `root` that it measures past their last line (a shard
/// of another version of the file): `src/a.py: line 40 of 10`. Files of more than 64 MiB are not
/// read.
fn past_end(coverage: &Coverage, root: &Path) -> Vec<gate::PastEnd> {
    coverage
        .files
        .iter()
        .filter_map(|f| {
            let last = f.line_bits.as_ref()?.last_line()?;
            let on_disk = root.join(&f.path);
            std::fs::metadata(&on_disk).ok().filter(|m| m.is_file() && m.len() <= 64 << 20)?;
            let lines = line_count(&std::fs::read(&on_disk).ok()?);
            (last as usize > lines).then(|| gate::PastEnd { path: f.path.clone(), line: last, lines })
        })
        .collect()
}

/// How many lines `bytes` hold, every line break counted as some tool counts one: `\n`, `\r\n`,
/// a lone `\r`, U+2028 and U+2029 (JavaScript's, which Istanbul counts); a last line without a
/// break counts too.
fn line_count(bytes: &[u8]) -> usize {
    let mut breaks = 0;
    for i in memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes) {
        breaks += match bytes[i] {
            b'\n' => 1,
            b'\r' => usize::from(bytes.get(i + 1) != Some(&b'\n')),
            _ => usize::from(matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9]))),
        };
    }
    let ends_open = bytes.last().is_some_and(|&b| b != b'\n' && b != b'\r');
    breaks + usize::from(ends_open)
}

/// Reads the reports named (`temis report`, no policy): each opened once, its format detected
/// from its content (or `rules.input_format`), its paths made relative to `root` by the path rules.
pub fn read_named(paths: &[PathBuf], rules: &PathRules, root: &Path) -> Result<Vec<crate::render::ReadReport>, Error> {
    let mapper = rules.mapper(root);
    let mut reports = Vec::with_capacity(paths.len());
    for input in inputs(paths)? {
        let (format, content) = parsers::read_report(&input, rules.input_format)?;
        tracing::info!(file = input.name(), format = format.name(), "read");
        let content = match content {
            Content::Coverage(c) => Content::Coverage(map_paths(c, &mapper)),
            Content::Security(s) => Content::Security(map_security_paths(s, &mapper)),
            other => other,
        };
        reports.push(crate::render::ReadReport { path: input.name().to_string(), format, content });
    }
    if reports.iter().any(|r| matches!(r.content, Content::Coverage(_) | Content::Security(_))) {
        say_unused(&mapper);
    }
    Ok(reports)
}

/// Warns of each `--map` and `--strip-prefix` that changed no path of the reports read: the
/// paths it was meant for are still as the other machine wrote them.
pub fn say_unused(mapper: &PathMapper) {
    for option in mapper.unused() {
        tracing::warn!(
            "{option} changed no path in the coverage and security reports read: their paths do not start with it \
             (`temis report --files REPORT` lists them)"
        );
    }
}

/// The report a command line names: `-` is standard input; a folder is refused, naming a file to
/// give instead. Nothing is read yet.
pub fn input(path: &Path) -> Result<Input, Error> {
    if path.as_os_str() == "-" {
        return Ok(Input::stdin());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::usage(format!(
            "{} is a directory; name the report files in it (e.g. {}/lcov.info)",
            path.display(),
            path.display()
        ))),
        Ok(_) => Ok(Input::file(path)),
        Err(e) => Err(Error::Read { path: path.display().to_string(), source: e }),
    }
}

/// The paths (not globs) of `listed`, the policy's `[reports] kind` of a check it requires, that
/// name no file: each is a report the policy says will be there, and without it that report
/// measured nothing (the others listed would approve alone). A glob may match nothing.
fn missing(root: &Path, kind: &str, listed: &[String]) -> Vec<gate::Unreadable> {
    listed
        .iter()
        .filter(|p| !discover::is_glob(p) && !root.join(p).is_file())
        .map(|p| {
            let what = if root.join(p).is_dir() { "is a folder, not a report" } else { "is not there" };
            gate::Unreadable {
                path: p.clone(),
                why: format!(
                    "{p} {what}: `[reports] {kind}` lists it and the policy requires {kind}\nhint: run the tool \
                     that writes it before the gate, or list where it writes; a report a run may not write is \
                     listed as a glob (`cover*.out`), which may match nothing"
                ),
            }
        })
        .collect()
}

/// [`input`] for each of `paths`, stopping at the first that cannot be.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    paths.iter().map(|p| input(p)).collect()
}

/// The files `configured` (the policy's paths and globs) names, else those at the `conventional`
/// locations; and the patterns as shown to the user.
fn find(root: &Path, configured: &[String], conventional: &[(&str, &str)]) -> (Vec<PathBuf>, Vec<String>) {
    let pats: Vec<&str> = if configured.is_empty() {
        conventional.iter().map(|(p, _)| *p).collect()
    } else {
        configured.iter().map(String::as_str).collect()
    };
    discover::find(root, &pats)
}

/// The security reports the policy names, else those at the conventional locations (temis's own
/// SARIF output left out).
pub fn security_reports(root: &Path, policy: &Policy) -> (Vec<PathBuf>, Vec<String>) {
    let (mut found, shown) = find(root, &policy.reports.security, discover::SECURITY_LOCATIONS);
    if policy.reports.security.is_empty() {
        found.retain(|p| !discover::is_own_output(p));
    }
    (found, shown)
}

/// `[performance] baseline`, relative to the root: a benchmark report in any format temis reads.
fn read_bench_baseline(path: &str, root: &Path) -> Result<(String, BenchReport), Error> {
    let full = root.join(path);
    if !full.is_file() {
        return Err(Error::usage(format!(
            "{}: the [performance] baseline is missing; write it from the base (e.g. the base branch's benchmark \
             report) or remove `baseline` from the policy",
            full.display()
        )));
    }
    let input = crate::input::Input::file(&full);
    match parsers::read_report(&input, None)? {
        (_, Content::Bench(b)) => Ok((path.to_string(), b)),
        (format, _) => Err(Error::usage(format!(
            "{}: the [performance] baseline is a {} report, not a benchmark report",
            full.display(),
            format.name()
        ))),
    }
}

/// The security baseline at the base commit, never the work tree's: a change cannot whitelist
/// its own findings.
fn read_security_baseline(base: Option<&str>, held_to_trunk: bool, path: &str, root: &Path) -> gate::BaselineInput {
    use gate::BaselineInput::{Found, Missing};
    if base == Some(crate::git::EMPTY_TREE) {
        return Missing {
            why: "the change starts from the empty tree (a first push): no base holds a baseline".into(),
        };
    }
    let pr_base = std::env::var("GITHUB_BASE_REF").ok();
    let base = match crate::git::base_commit(root, base, pr_base.as_deref()) {
        Ok(b) if held_to_trunk => crate::git::on_trunk(root, b, &pull_request_targets()),
        Ok(b) => b,
        Err(why) => return Missing { why: format!("no base commit ({why})") },
    };
    let short = &base.commit[..base.commit.len().min(12)];
    let at = format!("{path} at {short} ({})", base.how);
    match crate::git::file_at(root, &base.commit, path) {
        Ok(Some(bytes)) => match crate::model::security::Baseline::parse(&bytes) {
            Ok(baseline) => {
                tracing::info!(entries = baseline.findings.len(), "security baseline: {at}");
                Found { at, baseline }
            }
            Err(e) => Missing { why: format!("{at} is unreadable: {e}") },
        },
        Ok(None) => Missing { why: format!("there is no {at}") },
        Err(e) => Missing { why: format!("{at} cannot be read: {e}") },
    }
}

/// The branch a CI job's pull request targets, as each platform names it (GitHub, GitLab,
/// Bitbucket, Azure DevOps, Jenkins): a trunk the security baseline may be read on.
fn pull_request_targets() -> Vec<String> {
    [
        "GITHUB_BASE_REF",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
        "BITBUCKET_PR_DESTINATION_BRANCH",
        "SYSTEM_PULLREQUEST_TARGETBRANCH",
        "CHANGE_TARGET",
    ]
    .iter()
    .filter_map(|v| std::env::var(v).ok())
    .filter(|v| !v.trim().is_empty())
    .collect()
}

/// A report's path relative to the root when it is under it.
pub fn shown_path(name: &str, root: &Path) -> String {
    Path::new(name).strip_prefix(root).map(|p| p.display().to_string()).unwrap_or_else(|_| name.to_string())
}

/// The repository's files (tracked, and untracked ones not ignored) and Go modules: what report
/// paths are resolved against. Outside a git work tree (a CI job that downloaded the reports and
/// checked nothing out, a source tarball), the files on disk under `root`: a report of files
/// that are nowhere here is of other code there too.
pub fn repository(root: &Path) -> Option<RepoFiles> {
    let files = match crate::git::work_tree_files(root) {
        Ok(Some(files)) if !files.is_empty() => files,
        Ok(Some(_)) => return None,
        Ok(None) => disk_files(root)?,
        Err(e) => {
            tracing::warn!("report paths are not resolved against the repository: {e}");
            return None;
        }
    };
    let go_mods: Vec<(String, String)> = files
        .iter()
        .filter(|f| *f == "go.mod" || f.ends_with("/go.mod"))
        .filter_map(|f| Some((f.clone(), std::fs::read_to_string(root.join(f)).ok()?)))
        .collect();
    Some(RepoFiles::new(files, &go_mods).at_root(root))
}

/// The most files listed from disk outside a git work tree; a larger tree is not listed (its
/// report paths are not resolved, as before), with a warning.
const DISK_FILES_MAX: usize = 200_000;

/// The files under `root` on disk, relative to it, other projects' folders
/// ([`crate::paths::OTHER_PROJECTS`]) and links to folders left out.
fn disk_files(root: &Path) -> Option<Vec<String>> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
        e.depth() == 0 || !e.file_type().is_dir() || !crate::paths::OTHER_PROJECTS.iter().any(|f| e.file_name() == *f)
    });
    for entry in walk.flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        if files.len() == DISK_FILES_MAX {
            tracing::warn!(
                "{} is no git work tree and holds over {DISK_FILES_MAX} files: report paths are not resolved against it",
                root.display()
            );
            return None;
        }
        if let Ok(rel) = entry.path().strip_prefix(root) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    (!files.is_empty()).then_some(files)
}

/// A report's detailed records (`temis merge`'s) with their paths resolved against the
/// repository as the gate resolves a report's ([`resolve_coverage`]: a Cobertura `<source>` root,
/// the report's own folders…), so that shards naming one file two ways (`core.py` under
/// coverage.py's `<source>app</source>`, LCOV's `app/core.py`) merge as the one file; the merge
/// wrote both, and counted the file twice.
pub fn resolve_detail(
    set: DetailSet,
    extra: &std::collections::BTreeMap<String, serde_json::Value>,
    mapper: &PathMapper,
    repo: &RepoFiles,
    report: &str,
) -> DetailSet {
    let probe = Coverage {
        files: set.files.iter().map(|f| crate::model::FileCoverage::new(f.path.clone())).collect(),
        extra: extra.clone(),
        ..Coverage::default()
    };
    let renamed: std::collections::HashMap<String, String> = match resolve_coverage(probe, mapper, Some(repo), report).1
    {
        Some(r) => r.renamed.into_iter().map(|(from, to, _)| (from, to)).collect(),
        None => return set,
    };
    if renamed.is_empty() {
        return set;
    }
    let mut out = DetailSet::new();
    for mut f in set.files {
        if let Some(to) = renamed.get(&f.path) {
            f.path = to.clone();
        }
        out.add(&f);
    }
    out
}

/// Resolves every file of a coverage report against the repository (see [`crate::paths::resolve`])
/// and says what it did in the report's notes; files that become the same path are merged.
pub fn resolve_coverage(
    mut coverage: Coverage,
    mapper: &PathMapper,
    repo: Option<&RepoFiles>,
    report: &str,
) -> (Coverage, Option<Resolved>) {
    let Some(repo) = repo else { return (coverage, None) };
    let sources: Vec<String> = match coverage.extra.get("sources") {
        Some(serde_json::Value::Array(list)) => list.iter().filter_map(|s| s.as_str()).map(|s| mapper.map(s)).collect(),
        _ => Vec::new(),
    };
    // The folders the report lies in, its own first (a package's report names the package's
    // files relative to it); none for a report outside the root.
    let around: Vec<String> = if Path::new(report).is_absolute() {
        Vec::new()
    } else {
        Path::new(report)
            .ancestors()
            .skip(1)
            .map(|d| d.to_string_lossy().replace('\\', "/"))
            .filter(|d| !d.is_empty() && !d.starts_with(".."))
            .collect()
    };
    let mut resolved = Resolved::default();
    for f in &mut coverage.files {
        match repo.resolve_around(&f.path, &sources, &around) {
            Resolution::Exact => {}
            Resolution::Resolved { path, how } => {
                resolved.renamed.push((std::mem::replace(&mut f.path, path.clone()), path, how));
            }
            Resolution::Ambiguous { candidates } => resolved.ambiguous.push((f.path.clone(), candidates)),
            Resolution::Unmatched => resolved.unmatched.push(f.path.clone()),
        }
    }
    if !resolved.renamed.is_empty() {
        coverage = merge_same_paths(coverage);
    }
    for note in resolved.notes(repo) {
        coverage.note(note);
    }
    (coverage, Some(resolved))
}

/// The report `path` when not one of its files is a file of the repository (`resolved` says how
/// each resolved against its git files) nor a file on disk under `root` (a submodule's, a
/// generated one git ignores): a report of other code.
fn unmatched(
    path: &str,
    coverage: &Coverage,
    resolved: &Resolved,
    repo: &RepoFiles,
    root: &Path,
) -> Option<UnmatchedReport> {
    if coverage.files.is_empty() {
        // Totals of no file (a Clover report with project metrics only): nothing ties them to
        // this work tree.
        return (coverage.lines.total > 0).then(|| UnmatchedReport {
            report: path.to_string(),
            files: 0,
            examples: Vec::new(),
            hint: None,
            classes: false,
        });
    }
    let first = resolved.unmatched.first()?;
    if resolved.unmatched.len() < coverage.files.len() || !resolved.renamed.is_empty() {
        return None;
    }
    let on_disk = work_tree_file(root)?;
    // A few hundred looks are enough to tell a report of this work tree from one of another.
    if resolved.unmatched.iter().take(256).any(|p| on_disk(p)) {
        return None;
    }
    Some(UnmatchedReport {
        report: path.to_string(),
        files: resolved.unmatched.len(),
        examples: resolved.unmatched.iter().take(3).cloned().collect(),
        hint: crate::paths::resolve::suggestion(first, &repo.nearest(first, 3)),
        classes: false,
    })
}

/// The files of a report that also names the repository's own which neither the repository nor
/// the work tree holds (`/usr/lib/python3/dist-packages/…`, `../other/m.go`): code of elsewhere;
/// and those that could be several of the repository's files (`src/index.js` of two packages):
/// no one file's. A file on disk under the root that git ignores (a generated one) is other code
/// beside the repository's own files (`names_own`), and the work tree's in a report of nothing
/// else.
fn foreign(resolved: &Resolved, root: &Path, names_own: bool) -> Vec<String> {
    if resolved.unmatched.is_empty() && resolved.ambiguous.is_empty() {
        return Vec::new();
    }
    let Some(in_tree) = work_tree_file(root) else { return Vec::new() };
    // Beside the repository's own files, a file git ignores (a generated one under `build/`) is
    // other code too: its covered lines lifted the repository's figure over `min_line`. Alone
    // (a report of the compiled output in an ignored `dist/`), it is this work tree's, judged.
    let ignored = crate::git::ignored(root).filter(|_| names_own);
    let ignored = |p: &str| ignored.as_ref().is_some_and(|ignored| ignored(p));
    let unmatched = resolved.unmatched.iter().filter(|p| !in_tree(p) || ignored(p));
    let ambiguous = resolved.ambiguous.iter().map(|(path, _)| path).filter(|p| !in_tree(p));
    unmatched.chain(ambiguous).cloned().collect()
}

/// Whether a report path is a file on disk under `root` once `..` and links are followed
/// (`../other/m.go` is not this work tree's); `None` when the root cannot be resolved.
fn work_tree_file(root: &Path) -> Option<impl Fn(&str) -> bool> {
    let root = root.canonicalize().ok()?;
    Some(move |p: &str| {
        let full = root.join(p);
        full.is_file()
            && full.canonicalize().is_ok_and(|f| {
                f.strip_prefix(&root).is_ok_and(|rel| !crate::paths::in_other_project(&rel.to_string_lossy()))
            })
    })
}

/// The report `path` (JaCoCo's CSV, whose records are classes, `package/Class`) when not one of
/// its classes has a source file of its name anywhere in the repository: `App` (and `App.Inner`,
/// `App$1`) in `App.java`, `App.kt`, `App.groovy` or `App.scala`, Kotlin's `AppKt` in `App.kt`.
/// The package is not matched to folders: Kotlin's may differ from them. One class that matches
/// is enough; none is a report of other code.
fn unmatched_classes(path: &str, coverage: &Coverage, repo: &RepoFiles) -> Option<UnmatchedReport> {
    const SOURCES: [&str; 4] = ["java", "kt", "groovy", "scala"];
    let has_source = |record: &str| {
        let class = record.rsplit('/').next().unwrap_or(record);
        let outer = class.split(['.', '$']).next().unwrap_or(class);
        let named = |stem: &str| SOURCES.iter().any(|ext| repo.has_file_named(&format!("{stem}.{ext}")));
        !outer.is_empty()
            && (named(outer) || outer.strip_suffix("Kt").is_some_and(|s| repo.has_file_named(&format!("{s}.kt"))))
    };
    if coverage.files.is_empty() || coverage.files.iter().any(|f| has_source(&f.path)) {
        return None;
    }
    Some(UnmatchedReport {
        report: path.to_string(),
        files: coverage.files.len(),
        examples: coverage.files.iter().take(3).map(|f| f.path.clone()).collect(),
        hint: None,
        classes: true,
    })
}

/// Resolves each finding's path against the repository, as coverage paths are; a path that
/// cannot be resolved is kept as written. A dependency finding's bare file name (cargo-audit's
/// `Cargo.lock`: the lockfile where the tool ran) is the file of that name beside the report
/// (`shown`, the report's path as shown), when the repository holds one there: two lockfiles'
/// reports are two findings, not one.
pub fn resolve_security(mut report: SecurityReport, repo: Option<&RepoFiles>, shown: &str) -> SecurityReport {
    let Some(repo) = repo else { return report };
    // A code scan of files none of which is here scanned another project: its findings, or its
    // clean result, are not this repository's.
    if !report.scanned.is_empty() && !report.scanned.iter().any(|p| repo.is_here(p)) {
        let examples: Vec<&str> = report.scanned.iter().take(3).map(String::as_str).collect();
        report.incomplete.push(format!(
            "{shown} scanned {} file(s) and none is a file of this repository ({}{}): its result is of other code; \
             run the scanner in this repository, or make its paths the repository's with --map FROM=TO",
            report.scanned.len(),
            examples.join(", "),
            if report.scanned.len() > 3 { ", …" } else { "" }
        ));
    }
    let dir = Path::new(shown).parent().and_then(Path::to_str).filter(|d| !d.is_empty() && !Path::new(d).is_absolute());
    let mut renamed = false;
    for f in &mut report.findings {
        let Some(p) = &f.path else { continue };
        if let Some(dir) = dir.filter(|_| f.kind == FindingKind::Dependency && !p.contains(['/', '\\']))
            && let beside = format!("{}/{p}", dir.replace('\\', "/"))
            && repo.contains(&beside)
        {
            f.path = Some(beside);
            renamed = true;
        } else if let Resolution::Resolved { path, .. } = repo.resolve(p, &[]) {
            f.path = Some(path);
            renamed = true;
        }
    }
    if renamed | flagged_lines(&mut report.findings, repo) {
        report.finish();
    }
    report
}

/// The largest file whose lines [`flagged_lines`] reads.
const FLAGGED_FILE_MAX: u64 = 16 << 20;

/// Gives each code finding whose report withheld its flagged text (Semgrep OSS's JSON says
/// "requires login" where its lines and its fingerprint would be) the text of its line in the
/// work tree's file: known by its message alone, it was every finding of its rule in its file,
/// and a baseline of one hid the others. Other tools' findings without a snippet keep the
/// identity they have always had (baselines and waivers name it). Whether any was given.
fn flagged_lines(findings: &mut [Finding], repo: &RepoFiles) -> bool {
    let Some(root) = repo.root() else { return false };
    // The lines of the file the last finding was in: a report lists a file's findings together.
    let mut file: Option<(String, Option<Vec<String>>)> = None;
    let mut given = false;
    for f in findings.iter_mut() {
        if !f.withheld || f.kind != FindingKind::Code || f.snippet.is_some() || f.tool_fingerprint.is_some() {
            continue;
        }
        let (Some(path), Some(line)) = (f.path.as_deref(), f.line) else { continue };
        if !repo.contains(path) {
            continue;
        }
        if file.as_ref().is_none_or(|(p, _)| p != path) {
            let on_disk = root.join(path);
            let small = std::fs::metadata(&on_disk).is_ok_and(|m| m.is_file() && m.len() <= FLAGGED_FILE_MAX);
            let lines = small
                .then(|| std::fs::read(&on_disk).ok())
                .flatten()
                .map(|b| String::from_utf8_lossy(&b).lines().map(str::to_string).collect());
            file = Some((path.to_string(), lines));
        }
        let text = file.as_ref().and_then(|(_, lines)| lines.as_ref());
        if let Some(l) = text.and_then(|t| t.get((line as usize).checked_sub(1)?)) {
            f.snippet = crate::model::security::snippet_hash(l);
            given |= f.snippet.is_some();
        }
    }
    given
}

/// Renames every file through `mapper`, merging files that become the same path.
pub fn map_paths(mut coverage: Coverage, mapper: &PathMapper) -> Coverage {
    let mut changed = false;
    for f in &mut coverage.files {
        let mapped = match mapper.map_borrowed(&f.path) {
            std::borrow::Cow::Owned(mapped) if mapped != f.path => mapped,
            _ => continue,
        };
        f.path = mapped;
        changed = true;
    }
    if !changed {
        return coverage;
    }
    merge_same_paths(coverage)
}

/// Merges the files of `coverage` that name the same path, and says so.
fn merge_same_paths(mut coverage: Coverage) -> Coverage {
    let before = coverage.files.len();
    let mut builder = CoverageBuilder::new();
    for f in std::mem::take(&mut coverage.files) {
        builder.add(f);
    }
    let merged = builder.finish();
    coverage.files = merged.files;
    if coverage.files.len() != before {
        coverage.recount();
        coverage.note(format!(
            "{} file records named the same file once their paths were normalized, and were merged",
            before - coverage.files.len()
        ));
    }
    coverage
}

/// Makes every finding's path repository-relative through `mapper`, and the fingerprints with
/// them.
pub fn map_security_paths(mut report: SecurityReport, mapper: &PathMapper) -> SecurityReport {
    for p in &mut report.scanned {
        if let std::borrow::Cow::Owned(mapped) = mapper.map_borrowed(p) {
            *p = mapped;
        }
    }
    let mut renamed = false;
    for f in &mut report.findings {
        if let Some(p) = &f.path
            && let std::borrow::Cow::Owned(mapped) = mapper.map_borrowed(p)
            && mapped != *p
        {
            f.path = Some(mapped);
            renamed = true;
        }
    }
    // A fingerprint names the path: the reader's fingerprints stand as long as every path stays.
    if renamed || report.findings.iter().any(|f| f.fingerprint.is_empty()) {
        report.finish();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, FindingKind, Severity};

    /// Discovered reports of two formats that disagree on a line are of two runs — unless one
    /// format's lines are derived from blocks: a Go profile and its gocover-cobertura conversion
    /// (which keeps a line's lowest block, temis its highest) disagree on every `if err != nil {`
    /// whose body never ran, in one run.
    #[test]
    fn only_formats_that_count_lines_as_written_are_held_to_one_run() {
        let set = |hits: u64| {
            let mut set = DetailSet::new();
            set.add(&crate::model::FileDetail {
                lines: vec![(1, 1), (2, hits)],
                ..crate::model::FileDetail::new("a.go")
            });
            set
        };
        let add = |c: &mut Combination, format, hits, name| {
            c.read = Some((format, set(hits)));
            c.add_read(&[], name)
        };
        let mut c = Combination { discovered: true, ..Combination::default() };
        add(&mut c, parsers::Format::Gocover, 1, "cover.out").unwrap();
        add(&mut c, parsers::Format::Cobertura, 0, "coverage.xml").expect("a Go profile is not compared");
        let mut c = Combination { discovered: true, ..Combination::default() };
        add(&mut c, parsers::Format::Lcov, 1, "coverage.lcov").unwrap();
        let e = add(&mut c, parsers::Format::Cobertura, 0, "coverage.xml").unwrap_err().to_string();
        assert!(e.contains("a.go line 2 ran in coverage.lcov, not in coverage.xml"), "{e}");
        // Named (not discovered): the user's combination.
        let mut c = Combination::default();
        add(&mut c, parsers::Format::Lcov, 1, "coverage.lcov").unwrap();
        add(&mut c, parsers::Format::Cobertura, 0, "coverage.xml").unwrap();
    }

    #[test]
    fn lines_are_counted_as_editors_and_istanbul_count_them() {
        for (text, lines) in [
            ("", 0),
            ("a", 1),
            ("a\n", 1),
            ("a\nb", 2),
            ("a\r\nb\r\n", 2),
            ("a\rb\rc", 3),
            ("a\u{2028}b\n", 2),
            ("é\n\u{2029}x", 3),
        ] {
            assert_eq!(super::line_count(text.as_bytes()), lines, "{text:?}");
        }
    }

    fn report(paths: &[&str]) -> SecurityReport {
        let mut report = SecurityReport::default();
        for (i, p) in paths.iter().enumerate() {
            let mut f = Finding::new("semgrep", FindingKind::Code, Severity::High);
            f.rule = Some(format!("rule-{}", i % 2));
            f.path = Some(p.to_string());
            f.set_message("tainted data reaches a sink");
            report.findings.push(f);
        }
        report.finish();
        report
    }

    fn paths_and_fingerprints(r: &SecurityReport) -> Vec<(Option<String>, String)> {
        r.findings.iter().map(|f| (f.path.clone(), f.fingerprint.clone())).collect()
    }

    /// A fingerprint names the path: mapped paths have the fingerprints of findings read with
    /// those paths; paths that stay keep theirs; findings without any are given them.
    #[test]
    fn mapped_findings_have_the_fingerprints_of_their_new_paths() {
        let mapper = PathMapper::new(Some("/repo"));
        let mapped = map_security_paths(report(&["/repo/src/a.py", "src/a.py", "./src/b.py"]), &mapper);
        assert_eq!(
            paths_and_fingerprints(&mapped),
            paths_and_fingerprints(&report(&["src/a.py", "src/a.py", "src/b.py"]))
        );
        let plain = report(&["src/a.py", "src/b.py"]);
        assert_eq!(paths_and_fingerprints(&map_security_paths(plain.clone(), &mapper)), paths_and_fingerprints(&plain));
        let mut unmarked = plain.clone();
        unmarked.findings.iter_mut().for_each(|f| f.fingerprint.clear());
        assert_eq!(paths_and_fingerprints(&map_security_paths(unmarked, &mapper)), paths_and_fingerprints(&plain));
    }

    /// cargo-audit names the lockfile `Cargo.lock` alone: two crates' reports, each beside its
    /// lockfile, are two findings with two fingerprints, not one; a report elsewhere keeps the
    /// name as the repository resolves it.
    #[test]
    fn a_lockfile_named_alone_is_the_one_beside_the_report() {
        let files = ["app/Cargo.lock", "tools/Cargo.lock", "reports/x.json"].map(String::from).to_vec();
        let repo = RepoFiles::new(files, &[]);
        let audit = || {
            let mut f = Finding::new("cargo-audit", FindingKind::Dependency, Severity::High);
            f.rule = Some("RUSTSEC-2020-0159".into());
            f.package = Some("chrono@0.4.19".into());
            f.path = Some("Cargo.lock".into());
            let mut r = SecurityReport { findings: vec![f], ..SecurityReport::default() };
            r.finish();
            r
        };
        let at = |shown: &str| resolve_security(audit(), Some(&repo), shown).findings.remove(0);
        let (app, tools) = (at("app/cargo-audit.json"), at("tools/cargo-audit.json"));
        assert_eq!((app.path.as_deref(), tools.path.as_deref()), (Some("app/Cargo.lock"), Some("tools/Cargo.lock")));
        assert_ne!(app.fingerprint, tools.fingerprint);
        assert_eq!(at("reports/cargo-audit.json").path.as_deref(), Some("Cargo.lock"), "two lockfiles: ambiguous");
    }
}
