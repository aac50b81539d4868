//! Report paths resolved against the repository's files.
//!
//! After the mapper has made a path repository-relative where it could, the path may still name
//! no file of the repository: coverage.py writes names relative to a `<source>` root, Go writes
//! import paths (`github.com/org/mod/pkg/file.go`), JaCoCo package-relative paths
//! (`com/acme/Foo.java` under `src/main/java/`), and a report made on a CI machine names files
//! under that machine's checkout. Each is resolved, in this order: the path as it is; the Go
//! module path of a `go.mod` of the repository replaced by that module's folder; the path joined
//! to each of the report's source roots; the longest suffix of the path that names exactly one
//! file of the repository (Codecov's path fixing). A suffix that names several files is
//! ambiguous: reported with its candidates, never guessed — unless the folder the path names just
//! before that suffix is a folder of exactly one of them (JaCoCo's `module-a/p/A.java`, a file of
//! an aggregate report's module, is `module-a/src/main/java/p/A.java`, not module-b's).
//!
//! A suffix is not enough where the path says otherwise: a path that names a file of this
//! machine (an installed copy in `site-packages` or a `.venv`, another checkout, a generated file
//! git ignores) is that file, not the repository's file of the same name; and a path whose
//! folders before the suffix differ from the file's (`lib/m.py` for `app/m.py`, a container's
//! `/app/src/a.py` for `service/src/a.py`) names another file ([`RepoFiles::by_suffix`] says
//! which folders agree). The folders a report lies in are tried as source roots too.

use std::collections::HashMap;

/// The repository's files and Go modules, indexed for resolving.
#[derive(Debug, Default)]
pub struct RepoFiles {
    files: std::collections::HashSet<String>,
    /// File name → the files with that name.
    by_name: HashMap<String, Vec<String>>,
    /// (Go module path, its folder relative to the root: `""` at the root), longest module first.
    go_modules: Vec<(String, String)>,
    /// The work tree's root, canonical: report paths that name files on this machine are those
    /// files. `None` in tests of the rules alone.
    root: Option<std::path::PathBuf>,
}

/// Where a report path names a file that exists.
enum OnDisk {
    /// No file there (a path of another machine, a file gone).
    Nowhere,
    /// A file inside the work tree, as a repository-relative path.
    Inside(String),
    /// A file outside the work tree.
    Outside,
}

/// How one report path came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A file of the repository as written.
    Exact,
    /// Another path names the file: `how` says which rule found it.
    Resolved { path: String, how: How },
    /// Several files of the repository end with the path's longest matching suffix.
    Ambiguous { candidates: Vec<String> },
    /// No file of the repository matches.
    Unmatched,
}

/// Which rule resolved a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    /// A Go import path, through a `go.mod`'s module path.
    GoModule,
    /// Joined to one of the report's source roots (Cobertura `<sources>`).
    SourceRoot,
    /// The longest suffix that names exactly one file.
    Suffix,
    /// The longest suffix names several files, and the folder before it in the path is a
    /// folder of one of them only.
    SuffixInFolder,
}

impl How {
    pub fn label(self) -> &'static str {
        match self {
            How::GoModule => "through go.mod's module path",
            How::SourceRoot => "joined to the report's <source> root",
            How::Suffix => "by the one repository file that ends with it",
            How::SuffixInFolder => "by the one repository file that ends with it under the folder it names",
        }
    }
}

impl RepoFiles {
    /// Every file, repository-relative, in no order.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// `files`: repository-relative paths; `go_mods`: the `go.mod` files among them with their
    /// text, for their module paths.
    pub fn new(files: Vec<String>, go_mods: &[(String, String)]) -> Self {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for f in &files {
            by_name.entry(file_name(f).to_string()).or_default().push(f.clone());
        }
        let mut go_modules: Vec<(String, String)> = go_mods
            .iter()
            .filter_map(|(path, text)| {
                let module = module_path(text)?;
                let dir = path.strip_suffix("go.mod")?.trim_end_matches('/').to_string();
                Some((module, dir))
            })
            .collect();
        go_modules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        Self { files: files.into_iter().collect(), by_name, go_modules, root: None }
    }

    /// The same, knowing the work tree's root: a path naming a file that exists on this machine
    /// is resolved to that file only.
    pub fn at_root(mut self, root: &std::path::Path) -> Self {
        self.root = root.canonicalize().ok();
        self
    }

    /// The work tree's root, when known ([`RepoFiles::at_root`]).
    pub fn root(&self) -> Option<&std::path::Path> {
        self.root.as_deref()
    }

    /// Whether a report's `path` names a file of the work tree: a repository file (as written or
    /// resolved), or a file on disk under the root git does not list (a generated one).
    pub fn is_here(&self, path: &str) -> bool {
        match self.resolve(path, &[]) {
            Resolution::Exact | Resolution::Resolved { .. } => true,
            Resolution::Ambiguous { .. } => false,
            Resolution::Unmatched => matches!(self.on_disk(path), OnDisk::Inside(_)),
        }
    }

    /// What `path` resolves to when it names a file of this machine ([`RepoFiles::on_disk`]):
    /// the repository's file it reaches (through a link to the work tree, or a source root that
    /// is a folder of it), found `how`; else nothing of the repository. `None` when it names no
    /// file here.
    fn named_here(&self, path: &str, how: How) -> Option<Resolution> {
        match self.on_disk(path) {
            OnDisk::Nowhere => None,
            OnDisk::Inside(p) if self.files.contains(&p) => Some(Resolution::Resolved { path: p, how }),
            OnDisk::Inside(_) | OnDisk::Outside => Some(Resolution::Unmatched),
        }
    }

    /// Whether `path` (relative to the root, or absolute) names a file of this machine, and
    /// where: a file that exists; for an absolute path, also a file gone from a folder that
    /// exists (another worktree's deleted file is still not the repository's). A file in
    /// another project's folder of the work tree ([`super::in_other_project`]: `.venv`,
    /// `node_modules`…) is outside it.
    fn on_disk(&self, path: &str) -> OnDisk {
        let Some(root) = &self.root else { return OnDisk::Nowhere };
        let full = root.join(path);
        let real = if full.is_file() {
            full.canonicalize().ok()
        } else if std::path::Path::new(path).is_absolute()
            && full.parent().is_some_and(|d| d != std::path::Path::new("/") && d.is_dir())
        {
            let name = full.file_name().map(std::path::PathBuf::from).unwrap_or_default();
            full.parent().and_then(|d| d.canonicalize().ok()).map(|d| d.join(name))
        } else {
            return OnDisk::Nowhere;
        };
        match real.and_then(|f| f.strip_prefix(root).ok().map(|r| r.to_string_lossy().replace('\\', "/"))) {
            // A tracked file is the repository's, whatever its folders are named (hatch's
            // `src/hatch/venv/`).
            Some(inside) if self.files.contains(&inside) || !super::in_other_project(&inside) => OnDisk::Inside(inside),
            _ => OnDisk::Outside,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// Whether a file of the repository, in any folder, is named `name` (`App.java`).
    pub fn has_file_named(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Resolves `path` (already mapped: repository-relative where it could be) with the report's
    /// source roots `sources` (mapped the same way).
    pub fn resolve(&self, path: &str, sources: &[String]) -> Resolution {
        self.resolve_around(path, sources, &[])
    }

    /// [`RepoFiles::resolve`], with the folders the report lies in (`around`: its own folder,
    /// then each above it, repository-relative) tried as source roots once the path as written
    /// names no file: a package's report (`packages/a/coverage/lcov.info`) names the package's
    /// files relative to the package (`src/index.ts`).
    pub fn resolve_around(&self, path: &str, sources: &[String], around: &[String]) -> Resolution {
        let relative = !path.starts_with('/') && !super::is_windows_drive(path);
        // A source root whose file exists is that file: the installed copy under a
        // `site-packages` root (outside the work tree, or in its `.venv`) is not the
        // repository's file of the same package path.
        // A relative path that names a file both from the root and from a folder the report lies
        // in (a package's report, `src/index.js`, beside the root's own `src/index.js`) could be
        // either: it names none. The root's was taken, and a package's figures approved the root's
        // file.
        let twice = |found: &str| -> Option<Resolution> {
            let other = around.iter().map(|d| join(d, found)).find(|c| c != found && self.files.contains(c))?;
            Some(Resolution::Ambiguous { candidates: vec![found.to_string(), other] })
        };
        if relative {
            for source in sources {
                let joined = join(source, path);
                if self.files.contains(&joined) {
                    if let Some(both) = twice(&joined) {
                        return both;
                    }
                    return if joined == path {
                        Resolution::Exact
                    } else {
                        Resolution::Resolved { path: joined, how: How::SourceRoot }
                    };
                }
                if let Some(found) = self.named_here(&joined, How::SourceRoot) {
                    return found;
                }
            }
        }
        if self.files.contains(path) {
            return if relative { twice(path).unwrap_or(Resolution::Exact) } else { Resolution::Exact };
        }
        for (module, dir) in &self.go_modules {
            if let Some(rest) = path.strip_prefix(module.as_str()).and_then(|r| r.strip_prefix('/')) {
                let candidate = join(dir, rest);
                if self.files.contains(&candidate) {
                    return Resolution::Resolved { path: candidate, how: How::GoModule };
                }
            }
        }
        // The report's own source roots were tried above.
        if relative {
            for source in around {
                let candidate = join(source, path);
                if self.files.contains(&candidate) {
                    return Resolution::Resolved { path: candidate, how: How::SourceRoot };
                }
            }
        }
        // A source root from another machine: its tail and the path together are the most
        // specific suffix.
        let mut tries: Vec<String> = Vec::new();
        if relative {
            tries.extend(sources.iter().map(|s| join(s, path)));
        }
        // A path the report places under a source root is that root's: alone, its name could be
        // another folder's file (`a.py` of `<source>pkg</source>`, gone with a `git mv`, is not
        // `pkg/sub/a.py`, whose lines the report's old numbers then credited).
        if !relative || sources.is_empty() {
            tries.push(path.to_string());
        }
        for t in &tries {
            // A path that names a file here is that file, whatever its name's ending: one in the
            // work tree git ignores (a generated copy), one elsewhere on this machine (an
            // installed copy, another checkout), or one gone from a folder of this machine.
            if let Some(found) = self.named_here(t, How::Suffix) {
                return found;
            }
            match self.by_suffix(t) {
                Resolution::Unmatched => continue,
                found => return found,
            }
        }
        Resolution::Unmatched
    }

    /// The longest suffix of `path` (whole components) that names files of the repository: one
    /// file resolves, several are ambiguous. The file and the path must agree on their folders:
    /// the path ends the file's (a package-relative path: `com/acme/Foo.java` for
    /// `src/main/java/com/acme/Foo.java`), the file ends the path (a checkout of another
    /// machine: `/home/runner/work/app/app/src/a.py`), or the folder the path names before the
    /// suffix is one of the file's (a module of JaCoCo's aggregate report, `module-a/p/A.java`);
    /// `..` names no folder. Otherwise the path names another file (`lib/m.py` is not
    /// `app/m.py`, nor is a container's `/app/src/a.py` the repository's `service/src/a.py`
    /// without `--map /app=service`) — except a Kotlin source right under a source root, whose
    /// path is its package's, which Kotlin lets differ from its folders (`com/acme/foo/Bar.kt`
    /// in `src/main/kotlin/foo/`).
    fn by_suffix(&self, path: &str) -> Resolution {
        let trimmed = path.trim_start_matches('/');
        let Some(candidates) = self.by_name.get(file_name(trimmed)) else { return Resolution::Unmatched };
        let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        let kotlin = trimmed.ends_with(".kt") || trimmed.ends_with(".kts");
        for start in 0..parts.len() {
            let suffix = parts[start..].join("/");
            let matching: Vec<&String> =
                candidates.iter().filter(|c| *c == &suffix || c.ends_with(&format!("/{suffix}"))).collect();
            // The folder before the suffix, found further up the candidate's folders: a module
            // whose source root comes between (`module-a/p/A.java`, `module-a/src/main/java/p/
            // A.java`). Not for a bare file name: `pkg/a.py` (gone with a `git mv`) is not
            // `pkg/sub/a.py`, whose lines the report's old numbers then credited.
            let folder = start.checked_sub(1).map(|i| parts[i]).filter(|_| suffix.contains('/'));
            let under = |c: &str| folder.is_some_and(|f| c[..c.len() - suffix.len()].split('/').any(|p| p == f));
            match matching.len() {
                0 => continue,
                1 => {
                    let c = matching[0];
                    if start == 0 || c == &suffix || folder == Some("..") {
                        return Resolution::Resolved { path: c.clone(), how: How::Suffix };
                    }
                    if under(c) {
                        return Resolution::Resolved { path: c.clone(), how: How::SuffixInFolder };
                    }
                    // Kotlin's package path, its root package left out of the folders: the file
                    // lies right under a source root (`src/main/kotlin/`), where the folders
                    // start at the package the path goes on with.
                    let prefix = &c[..c.len() - suffix.len()];
                    if kotlin && (prefix.ends_with("/kotlin/") || prefix.ends_with("/java/") || prefix == "kotlin/") {
                        return Resolution::Resolved { path: c.clone(), how: How::Suffix };
                    }
                    return Resolution::Unmatched;
                }
                _ => {
                    // The folder the path names before the suffix, when one candidate only has it.
                    if let [one] = matching.iter().filter(|c| under(c)).collect::<Vec<_>>()[..] {
                        return Resolution::Resolved { path: (*one).clone(), how: How::SuffixInFolder };
                    }
                    let mut candidates: Vec<String> = matching.into_iter().cloned().collect();
                    candidates.sort();
                    return Resolution::Ambiguous { candidates };
                }
            }
        }
        Resolution::Unmatched
    }

    /// Up to `n` repository files with the same name as `path`, for a hint.
    pub fn nearest(&self, path: &str, n: usize) -> Vec<String> {
        let mut found: Vec<String> = self.by_name.get(file_name(path)).cloned().unwrap_or_default();
        found.sort();
        found.truncate(n);
        found
    }
}

/// The `module` directive of a go.mod.
fn module_path(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let m = rest.split("//").next()?.trim().trim_matches('"');
        (!m.is_empty()).then(|| m.to_string())
    })
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn join(dir: &str, rest: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." { rest.to_string() } else { super::normalize(&format!("{dir}/{rest}")) }
}

/// What resolving a report's paths did, for notes, hints and `report --files`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Paths renamed, by rule: (as the report wrote it, the repository file).
    pub renamed: Vec<(String, String, How)>,
    /// Paths with several candidates, kept as written.
    pub ambiguous: Vec<(String, Vec<String>)>,
    /// Paths that name no file of the repository, kept as written.
    pub unmatched: Vec<String>,
}

impl Resolved {
    /// One line per kind of trouble, for a report's notes (empty when every path resolved).
    pub fn notes(&self, files: &RepoFiles) -> Vec<String> {
        let mut out = Vec::new();
        let mut by_rule: Vec<(How, usize)> = Vec::new();
        for (_, _, how) in &self.renamed {
            match by_rule.iter_mut().find(|(h, _)| h == how) {
                Some((_, n)) => *n += 1,
                None => by_rule.push((*how, 1)),
            }
        }
        by_rule.sort();
        for (how, n) in by_rule {
            let example = self.renamed.iter().find(|r| r.2 == how).expect("counted above");
            out.push(format!("{n} report path(s) resolved {}: e.g. {} is {}", how.label(), example.0, example.1));
        }
        if !self.ambiguous.is_empty() {
            let (path, candidates) = &self.ambiguous[0];
            out.push(format!(
                "{} report path(s) could name several repository files and were kept as written: e.g. {path} could \
                 be {}; use --map FROM=TO to say which",
                self.ambiguous.len(),
                candidates.join(" or ")
            ));
        }
        if !self.unmatched.is_empty() {
            let shown: Vec<&str> = self.unmatched.iter().take(3).map(String::as_str).collect();
            let nearest = files.nearest(&self.unmatched[0], 3);
            let hint = match suggestion(&self.unmatched[0], &nearest) {
                Some(s) => format!("; {s}"),
                None if nearest.is_empty() => String::new(),
                None => format!("; nearest repository files: {}", nearest.join(", ")),
            };
            out.push(format!(
                "{} report path(s) match no file of the repository: {}{}{hint}",
                self.unmatched.len(),
                shown.join(", "),
                if self.unmatched.len() > 3 { ", …" } else { "" }
            ));
        }
        out
    }
}

/// The path option that would turn `path` into `nearest[0]`, when one would: a prefix to strip,
/// or a prefix to map.
pub fn suggestion(path: &str, nearest: &[String]) -> Option<String> {
    let target = nearest.first()?;
    let p: Vec<&str> = path.split('/').collect();
    let t: Vec<&str> = target.split('/').collect();
    let common = p.iter().rev().zip(t.iter().rev()).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let from = p[..p.len() - common].join("/");
    let to = t[..t.len() - common].join("/");
    Some(match (from.is_empty(), to.is_empty()) {
        (false, true) => format!("--strip-prefix {from} would make {path} {target}"),
        (_, false) => format!("--map {from}={to} would make {path} {target}"),
        (true, true) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(files: &[&str]) -> RepoFiles {
        RepoFiles::new(files.iter().map(|f| f.to_string()).collect(), &[])
    }

    #[test]
    fn exact_paths_stay_and_go_import_paths_follow_go_mod() {
        let files = vec!["go.mod".into(), "pkg/a.go".into(), "tools/gen/go.mod".into(), "tools/gen/main.go".into()];
        let r = RepoFiles::new(
            files,
            &[
                ("go.mod".into(), "// the module\nmodule github.com/acme/app\n\ngo 1.21\n".into()),
                ("tools/gen/go.mod".into(), "module github.com/acme/app/tools/gen\n".into()),
            ],
        );
        assert_eq!(r.resolve("pkg/a.go", &[]), Resolution::Exact);
        assert_eq!(
            r.resolve("github.com/acme/app/pkg/a.go", &[]),
            Resolution::Resolved { path: "pkg/a.go".into(), how: How::GoModule }
        );
        assert_eq!(
            r.resolve("github.com/acme/app/tools/gen/main.go", &[]),
            Resolution::Resolved { path: "tools/gen/main.go".into(), how: How::GoModule },
            "the nested module's own path wins"
        );
    }

    #[test]
    fn source_roots_package_relative_and_ci_machine_paths() {
        let r = repo(&["tests/test_x/a.py", "src/main/java/com/acme/Foo.java", "src/app.py", "lib/util.py"]);
        assert_eq!(
            r.resolve("test_x/a.py", &["tests".into()]),
            Resolution::Resolved { path: "tests/test_x/a.py".into(), how: How::SourceRoot }
        );
        assert_eq!(
            r.resolve("com/acme/Foo.java", &[]),
            Resolution::Resolved { path: "src/main/java/com/acme/Foo.java".into(), how: How::Suffix }
        );
        assert_eq!(
            r.resolve("/home/runner/work/app/app/src/app.py", &[]),
            Resolution::Resolved { path: "src/app.py".into(), how: How::Suffix }
        );
        assert_eq!(
            r.resolve("util.py", &["/builds/other-machine/lib".into()]),
            Resolution::Resolved { path: "lib/util.py".into(), how: How::Suffix }
        );
        assert_eq!(r.resolve("nowhere/zzz.py", &[]), Resolution::Unmatched);
    }

    /// A report made before `git mv pkg/a.py pkg/sub/a.py` names `a.py` under `<source>pkg`
    /// (or `pkg/a.py`): that file is gone, and the moved one, edited since, is not it — its lines
    /// took the old ones' hits.
    #[test]
    fn a_file_name_alone_is_not_a_file_in_another_folder() {
        let r = repo(&["pkg/sub/a.py", "pkg/__init__.py", "module-a/src/main/java/p/A.java"]);
        assert_eq!(r.resolve("a.py", &["pkg".into()]), Resolution::Unmatched);
        assert_eq!(r.resolve("pkg/a.py", &[]), Resolution::Unmatched);
        // A folder before a suffix of folders is still found further up (a module's source root).
        assert_eq!(
            r.resolve("module-a/p/A.java", &[]),
            Resolution::Resolved { path: "module-a/src/main/java/p/A.java".into(), how: How::SuffixInFolder }
        );
    }

    #[test]
    fn ambiguity_is_reported_never_guessed() {
        let r = repo(&["a/pkg/Foo.java", "b/pkg/Foo.java", "c/x/Foo.java"]);
        assert_eq!(
            r.resolve("pkg/Foo.java", &[]),
            Resolution::Ambiguous { candidates: vec!["a/pkg/Foo.java".into(), "b/pkg/Foo.java".into()] }
        );
        assert_eq!(
            r.resolve("/ci/b/pkg/Foo.java", &[]),
            Resolution::Resolved { path: "b/pkg/Foo.java".into(), how: How::Suffix },
            "a longer suffix that is unique wins"
        );
        assert_eq!(
            r.resolve("/ci/other/pkg/Foo.java", &[]),
            Resolution::Ambiguous { candidates: vec!["a/pkg/Foo.java".into(), "b/pkg/Foo.java".into()] },
            "a folder no candidate has tells nothing"
        );
    }

    /// JaCoCo's aggregate report names a module's file under the module (`module-a/p/A.java`),
    /// which holds it under `src/main/java`: the suffix `p/A.java` names both modules' files, the
    /// folder before it one only.
    #[test]
    fn the_folder_before_an_ambiguous_suffix_picks_the_one_file_under_it() {
        let r = repo(&["module-a/src/main/java/p/A.java", "module-b/src/main/java/p/A.java", "src/p/A.java"]);
        assert_eq!(
            r.resolve("module-a/p/A.java", &[]),
            Resolution::Resolved { path: "module-a/src/main/java/p/A.java".into(), how: How::SuffixInFolder }
        );
        assert_eq!(
            r.resolve("main/p/A.java", &[]),
            Resolution::Ambiguous {
                candidates: vec![
                    "module-a/src/main/java/p/A.java".into(),
                    "module-b/src/main/java/p/A.java".into(),
                    "src/p/A.java".into()
                ]
            },
            "a folder both have tells nothing"
        );
        assert!(matches!(r.resolve("p/A.java", &[]), Resolution::Ambiguous { .. }));
    }

    /// A suffix alone claimed a file the path's folders deny: `lib/m.py` (gone) folded into
    /// `app/m.py` and approved its 0 % at 100 %; a generated `generated/models.py` git ignores
    /// into the tracked `app/models.py`.
    #[test]
    fn a_relative_path_whose_folders_differ_is_another_file() {
        let r = repo(&["app/m.py", "app/models.py", "module-a/src/main/java/p/A.java", "lib/src/a.c"]);
        assert_eq!(r.resolve("lib/m.py", &[]), Resolution::Unmatched);
        assert_eq!(r.resolve("generated/models.py", &[]), Resolution::Unmatched);
        assert_eq!(
            r.resolve("module-a/p/A.java", &[]),
            Resolution::Resolved { path: "module-a/src/main/java/p/A.java".into(), how: How::SuffixInFolder },
            "the folder before the suffix is the file's module"
        );
        assert_eq!(
            r.resolve("/app/m.py", &[]),
            Resolution::Resolved { path: "app/m.py".into(), how: How::Suffix },
            "the repository's file ends the path"
        );
        assert_eq!(
            r.resolve("/srv/container/lib/m.py", &[]),
            Resolution::Unmatched,
            "another machine's folders differ as much: --map says which folder is which"
        );
        assert_eq!(
            r.resolve("../src/a.c", &[]),
            Resolution::Resolved { path: "lib/src/a.c".into(), how: How::Suffix },
            "`..` names no folder"
        );
    }

    /// Kotlin leaves the common root package out of the folders: JaCoCo's package path
    /// `com/acme/foo/Bar.kt` is `src/main/kotlin/foo/Bar.kt`. Nothing else differs so: another
    /// project's `com/other/Application.java` is not this one's `com/acme/Application.java`.
    #[test]
    fn a_kotlin_package_path_may_differ_from_the_folders() {
        let r = repo(&["src/main/kotlin/foo/Bar.kt", "app/m.py", "src/main/java/com/acme/Application.java"]);
        assert_eq!(
            r.resolve("com/acme/foo/Bar.kt", &[]),
            Resolution::Resolved { path: "src/main/kotlin/foo/Bar.kt".into(), how: How::Suffix }
        );
        assert_eq!(r.resolve("com/acme/m.py", &[]), Resolution::Unmatched);
        assert_eq!(r.resolve("com/other/Application.java", &[]), Resolution::Unmatched);
    }

    /// A tracked file in a folder named like another project's (`src/hatch/venv/core.py`) is the
    /// repository's.
    #[test]
    fn a_tracked_file_in_a_venv_named_folder_is_the_repositorys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/hatch/venv")).unwrap();
        std::fs::write(dir.path().join("src/hatch/venv/core.py"), "x = 1\n").unwrap();
        let r = RepoFiles::new(vec!["src/hatch/venv/core.py".into()], &[]).at_root(dir.path());
        assert_eq!(
            r.resolve("venv/core.py", &["src/hatch".into()]),
            Resolution::Resolved { path: "src/hatch/venv/core.py".into(), how: How::SourceRoot }
        );
    }

    /// A package's report names its files relative to the package: `src/index.ts` of
    /// `packages/b/coverage/lcov.info` is `packages/b/src/index.ts`, not ambiguous.
    #[test]
    fn the_folders_a_report_lies_in_are_tried_as_roots() {
        let r = repo(&["packages/a/src/index.ts", "packages/b/src/index.ts"]);
        let around = ["packages/b/coverage".to_string(), "packages/b".into(), "packages".into()];
        assert_eq!(
            r.resolve_around("src/index.ts", &[], &around),
            Resolution::Resolved { path: "packages/b/src/index.ts".into(), how: How::SourceRoot }
        );
        assert!(matches!(r.resolve("src/index.ts", &[]), Resolution::Ambiguous { .. }));
        // The root has a `src/index.ts` too: the package's report could name either, so it names
        // neither (the root's was taken, and approved on the package's figures); so does a
        // source root (coverage.py's `<source>app</source>`) joined both ways.
        let r = repo(&["src/index.ts", "packages/b/src/index.ts", "app/core.py", "packages/b/app/core.py"]);
        let both = |a: &str, b: &str| Resolution::Ambiguous { candidates: vec![a.into(), b.into()] };
        assert_eq!(r.resolve_around("src/index.ts", &[], &around), both("src/index.ts", "packages/b/src/index.ts"));
        assert_eq!(
            r.resolve_around("core.py", &["app".into()], &around),
            both("app/core.py", "packages/b/app/core.py")
        );
        // A report at the root, or in a folder beside the code, names the root's.
        assert_eq!(r.resolve_around("src/index.ts", &[], &["coverage".into()]), Resolution::Exact);
    }

    /// A path naming a file that exists on this machine is that file: tests run against the
    /// installed copy in `site-packages` approved the repository's file of the same name (its
    /// 4 statements for the source's 44), another project's `six.py` the vendored one.
    #[cfg(unix)]
    #[test]
    fn a_path_naming_a_file_that_exists_is_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let installed = dir.path().join("venv/lib/site-packages/mylib");
        for d in [root.join("src/mylib"), root.join("generated"), installed.clone()] {
            std::fs::create_dir_all(d).unwrap();
        }
        for f in [root.join("src/mylib/calc.py"), root.join("generated/calc.py"), installed.join("calc.py")] {
            std::fs::write(f, "x = 1\n").unwrap();
        }
        let r = RepoFiles::new(vec!["src/mylib/calc.py".into()], &[]).at_root(&root);
        let copy = installed.join("calc.py").display().to_string();
        assert_eq!(r.resolve(&copy, &[]), Resolution::Unmatched, "the installed copy");
        assert_eq!(r.resolve("mylib/calc.py", &[copy.trim_end_matches("mylib/calc.py").into()]), Resolution::Unmatched);
        assert_eq!(r.resolve("generated/mylib/calc.py", &[]), Resolution::Unmatched);
        // The work tree through a link to it: its own file.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        assert_eq!(
            r.resolve(&link.join("src/mylib/calc.py").display().to_string(), &[]),
            Resolution::Resolved { path: "src/mylib/calc.py".into(), how: How::Suffix }
        );
        // Gone from this machine: a path of another one, resolved by its suffix.
        assert_eq!(
            r.resolve("/home/runner/work/app/app/src/mylib/calc.py", &[]),
            Resolution::Resolved { path: "src/mylib/calc.py".into(), how: How::Suffix }
        );
        // Gone from a folder of this machine (another worktree's deleted file): not the
        // repository's.
        let gone = installed.join("gone").join("src/mylib");
        std::fs::create_dir_all(&gone).unwrap();
        assert_eq!(r.resolve(&gone.join("calc.py").display().to_string(), &[]), Resolution::Unmatched);
        // The package installed into the work tree's own `.venv`, under a `site-packages` root:
        // the installed copy, even where the package path is the repository's.
        let venv = root.join(".venv/lib/site-packages");
        std::fs::create_dir_all(venv.join("mylib")).unwrap();
        std::fs::write(venv.join("mylib/calc.py"), "x = 1\n").unwrap();
        let flat = RepoFiles::new(vec!["mylib/calc.py".into(), "src/mylib/calc.py".into()], &[]).at_root(&root);
        std::fs::create_dir_all(root.join("mylib")).unwrap();
        std::fs::write(root.join("mylib/calc.py"), "x = 1\n").unwrap();
        assert_eq!(flat.resolve("mylib/calc.py", &[".venv/lib/site-packages".into()]), Resolution::Unmatched);
        assert_eq!(flat.resolve("mylib/calc.py", &[]), Resolution::Exact);
    }

    #[test]
    fn the_fix_is_suggested() {
        assert_eq!(
            suggestion("/home/ci/app/src/a.py", &["src/a.py".into()]).as_deref(),
            Some("--strip-prefix /home/ci/app would make /home/ci/app/src/a.py src/a.py")
        );
        assert_eq!(
            suggestion("build/x/a.py", &["src/x/a.py".into()]).as_deref(),
            Some("--map build=src would make build/x/a.py src/x/a.py")
        );
        assert_eq!(suggestion("a.py", &[]), None);
    }
}
