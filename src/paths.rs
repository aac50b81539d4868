//! Report paths made repo-relative with forward slashes.
//!
//! Reports name files absolutely (geninfo, llvm-cov, Istanbul, tarpaulin), relative to a source
//! root (coverage.py, Cobertura `<sources>`), with Windows separators, or with `..` segments
//! (clang's `build/../src/x.c`). The mapper rewrites and strips prefixes the user gives, folds
//! `.` and `..`, and makes paths under the repository root relative to it; [`resolve`] then finds
//! the repository file a path that is still not one names.

use std::borrow::Cow;

pub mod resolve;

/// Whether a repository path is a test's by the usual layouts, loosely: named as a test is
/// ([`is_test_named`]), under a `tests`, `test`, `__tests__`, `spec`, `specs` or `testdata`
/// folder, or named `test_*`, `*test.java` or `*tests.rs` in any case. What a commit's type is
/// inferred from; a guess that takes some source for tests (Django's `django/test/client.py`,
/// `Latest.java`), never what a verdict rests on.
pub fn is_test_file(path: &str) -> bool {
    let lower = path.to_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    is_test_named(path)
        || parts.iter().any(|d| matches!(*d, "tests" | "test" | "__tests__" | "spec" | "specs" | "testdata"))
        || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name.ends_with("_test.go")
        || name.ends_with("_spec.rb")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("test.java")
        || name.ends_with("tests.rs")
}

/// Whether a repository file is code, by its extension (what a benchmark times): Python, Go,
/// Rust, JavaScript and TypeScript, the JVM's, .NET's, C and C++, Ruby, PHP, Swift, Dart,
/// Elixir, Scala, Lua, Zig.
pub fn is_code(path: &str) -> bool {
    const CODE: &[&str] = &[
        "py", "pyx", "go", "rs", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "java", "kt", "kts", "scala",
        "groovy", "cs", "fs", "vb", "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "m", "mm", "rb", "php", "swift",
        "dart", "ex", "exs", "erl", "lua", "zig", "clj", "hs", "ml", "jl", "r",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && CODE.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether a repository file is a dependency manifest or lockfile, by its name: what a
/// dependency scanner (npm audit, pip-audit, cargo audit, osv-scanner, Trivy, Grype…) reads.
pub fn is_dependency_manifest(path: &str) -> bool {
    const NAMES: &[&str] = &[
        "pyproject.toml",
        "setup.cfg",
        "Pipfile",
        "Pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "Cargo.toml",
        "Cargo.lock",
        "go.mod",
        "go.sum",
        "Gemfile",
        "Gemfile.lock",
        "composer.json",
        "composer.lock",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "gradle.lockfile",
        "packages.lock.json",
        "Directory.Packages.props",
        "mix.lock",
        "pubspec.yaml",
        "pubspec.lock",
        "Package.resolved",
        "Podfile.lock",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    NAMES.contains(&name)
        || name.starts_with("requirements") && (name.ends_with(".txt") || name.ends_with(".in"))
        || name.ends_with(".csproj")
        || name.ends_with(".gemspec")
}

/// Whether a repository file is infrastructure code, by its name: Terraform (`.tf`, `.tfvars`,
/// `.hcl`), Bicep, a Dockerfile, Kubernetes or CloudFormation YAML — what Checkov reads.
pub fn is_infrastructure_code(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    name.starts_with("Dockerfile")
        || ext.is_some_and(|e| ["tf", "tfvars", "hcl", "bicep", "yaml", "yml"].contains(&e.as_str()))
}

/// Whether a repository file is named as the test runners name their tests: pytest's `test_*.py`,
/// `*_test.py` and `conftest.py`; `*_test.*` (Go, Dart, Rust, C++), `*_spec.*` (RSpec, Jasmine),
/// `*.test.*` and `*.spec.*` (Jest, Vitest, Mocha, Angular), `*.cy.*` (Cypress); JUnit, NUnit,
/// xUnit and Kotlin's `FooTest.*`, `FooTests.*`, `FooIT.*` (an upper-case `T` after a lower-case
/// letter or a digit: not `Latest.java`). Only the name counts, never a folder (`django/test/`
/// and `spec/` folders hold source). What coverage tools are commonly told to leave out. And the
/// files of test languages, whatever their names: Gherkin's `*.feature` (behave, cucumber) and
/// Robot Framework's `*.robot` and `*.resource`.
pub fn is_test_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    if !stem.is_empty() && ["feature", "robot", "resource"].contains(&ext) {
        return true;
    }
    let after_lower = |suffix: &str| {
        stem.strip_suffix(suffix)
            .and_then(|rest| rest.chars().last())
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    (stem.starts_with("test_") && name.ends_with(".py"))
        || stem == "conftest"
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || stem.ends_with(".test")
        || stem.ends_with(".spec")
        || stem.ends_with(".cy")
        || after_lower("Test")
        || after_lower("Tests")
        || after_lower("IT")
}

/// Folders of other projects' files (installed dependencies, virtual environments): a glob's
/// wildcard finds no report in one, and a report's file in one is not the work tree's own.
pub const OTHER_PROJECTS: &[&str] =
    &["node_modules", "bower_components", ".venv", "venv", ".tox", ".nox", "site-packages", ".git"];

/// Whether a repository-relative path lies in one of the [`OTHER_PROJECTS`] folders.
pub fn in_other_project(path: &str) -> bool {
    path.split('/').any(|part| OTHER_PROJECTS.contains(&part))
}

/// Whether a repository file is a coverage or test tool's own configuration, by its name in any
/// folder: what it says (`omit`, `exclude`, `collectCoverageFrom`, thresholds…) shapes the reports
/// made with it. coverage.py's `.coveragerc`; nyc's and c8's rc files and `nyc.config.*`; Jest's,
/// Vitest's and Karma's configuration; SimpleCov's `.simplecov`; gcovr's `gcovr.cfg`; tarpaulin's
/// `tarpaulin.toml`; coverlet's `.runsettings`; `pytest.ini`. Files shared with other tools
/// (`pyproject.toml`, `setup.cfg`, `package.json`) are not counted.
pub fn is_coverage_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').find(|s| !s.is_empty()).unwrap_or(name);
    matches!(
        name,
        ".coveragerc"
            | ".nycrc"
            | ".nycrc.json"
            | ".nycrc.yml"
            | ".nycrc.yaml"
            | ".c8rc"
            | ".c8rc.json"
            | ".c8rc.yml"
            | ".c8rc.yaml"
            | ".simplecov"
            | "gcovr.cfg"
            | "tarpaulin.toml"
            | ".tarpaulin.toml"
            | "pytest.ini"
            | ".istanbul.yml"
    ) || name.ends_with(".runsettings")
        || (matches!(name.split_once('.'), Some((_, ext)) if ext.starts_with("config."))
            && matches!(stem, "nyc" | "jest" | "vitest"))
        || name.starts_with("karma.conf.")
}

/// Why [`resolves_inside`] could not tell.
#[derive(Debug)]
pub enum Unresolved {
    /// Not one part of the path exists (not even the root of the file system).
    Missing,
    Io(std::io::Error),
}

/// Whether `full` leads inside `root` (itself resolved: no link in it) once symbolic links are
/// followed: the nearest part of it that exists, resolved, is under `root`, and what follows that
/// part (not written yet, so no link) climbs out with no `..`.
pub fn resolves_inside(root: &std::path::Path, full: &std::path::Path) -> Result<bool, Unresolved> {
    let mut existing = full;
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return Err(Unresolved::Missing),
        }
    }
    let real = std::fs::canonicalize(existing).map_err(Unresolved::Io)?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    Ok(!rest.iter().any(|part| part == "..") && real.starts_with(&root))
}

/// How report paths become repository paths.
#[derive(Clone, Debug, Default)]
pub struct PathMapper {
    root: Option<String>,
    strip: Vec<String>,
    rewrites: Vec<(String, String)>,
    /// Which of `rewrites` and `strip` (in that order) changed a path: a `--map` or
    /// `--strip-prefix` that changes none is a mistake to say.
    used: std::sync::Arc<[std::sync::atomic::AtomicBool]>,
}

impl PathMapper {
    /// `root` is the repository root (absolute); paths under it become relative to it.
    pub fn new(root: Option<&str>) -> Self {
        Self { root: root.map(|r| trim_slash(&normalize(r)).to_string()), ..Self::default() }
    }

    /// Removes `prefix` from the start of paths that have it (`--strip-prefix`).
    pub fn strip_prefix(mut self, prefix: &str) -> Self {
        self.strip.push(trim_slash(&normalize(prefix)).to_string());
        self.used = self.fresh_used();
        self
    }

    /// Replaces a leading `from` with `to` (`--map FROM=TO`), for reports made elsewhere.
    pub fn rewrite(mut self, from: &str, to: &str) -> Self {
        self.rewrites.push((trim_slash(&normalize(from)).to_string(), trim_slash(&normalize(to)).to_string()));
        self.used = self.fresh_used();
        self
    }

    /// The `--map FROM=TO` and `--strip-prefix PREFIX` options that changed no path mapped so
    /// far, as the user would write them: a FROM the reports do not hold (a typo, the other
    /// machine's folder) leaves every path as it was, without a word.
    pub fn unused(&self) -> Vec<String> {
        let was_used = |i: usize| self.used.get(i).is_some_and(|u| u.load(std::sync::atomic::Ordering::Relaxed));
        let maps =
            self.rewrites.iter().enumerate().filter(|(i, _)| !was_used(*i)).map(|(_, (f, t))| format!("--map {f}={t}"));
        let strips = self
            .strip
            .iter()
            .enumerate()
            .filter(|(i, _)| !was_used(self.rewrites.len() + i))
            .map(|(_, p)| format!("--strip-prefix {p}"));
        maps.chain(strips).collect()
    }

    /// One flag per rewrite and prefix, none set: the builder's calls make a new set.
    fn fresh_used(&self) -> std::sync::Arc<[std::sync::atomic::AtomicBool]> {
        (0..self.rewrites.len() + self.strip.len()).map(|_| std::sync::atomic::AtomicBool::new(false)).collect()
    }

    /// Notes that rewrite `i` (of `rewrites`, then `strip`) changed a path.
    fn note_used(&self, i: usize) {
        if let Some(u) = self.used.get(i) {
            u.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The repository path for a report path.
    pub fn map(&self, raw: &str) -> String {
        self.map_borrowed(raw).into_owned()
    }

    /// [`map`](Self::map), without a copy of a path that stays as it is.
    pub fn map_borrowed<'a>(&self, raw: &'a str) -> Cow<'a, str> {
        let mut path = if is_normal(raw) { Cow::Borrowed(raw) } else { Cow::Owned(normalize_slowly(raw)) };
        for (i, (from, to)) in self.rewrites.iter().enumerate() {
            // A whole path as FROM (`--map /build/app.py=src/app.py`) renames that one file.
            if !from.is_empty() && !to.is_empty() && *path == **from {
                path = Cow::Owned(to.clone());
                self.note_used(i);
                break;
            }
            if let Some(rest) = strip_dir(&path, from) {
                path = Cow::Owned(if to.is_empty() { rest.to_string() } else { normalize(&format!("{to}/{rest}")) });
                self.note_used(i);
                break;
            }
        }
        for (i, prefix) in self.strip.iter().enumerate() {
            if let Some(rest) = strip_dir(&path, prefix) {
                path = Cow::Owned(rest.to_string());
                self.note_used(self.rewrites.len() + i);
                break;
            }
        }
        if let Some(root) = &self.root
            && let Some(rest) = strip_dir(&path, root)
        {
            path = Cow::Owned(rest.to_string());
        }
        path
    }
}

/// `path` without the directory `dir` in front, when it is there (whole components only;
/// case-insensitive for a Windows drive).
fn strip_dir<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    if dir.is_empty() {
        return Some(path);
    }
    let head = path.get(..dir.len())?;
    let same = if is_windows_drive(dir) { head.eq_ignore_ascii_case(dir) } else { head == dir };
    if !same {
        return None;
    }
    let rest = &path[dir.len()..];
    if dir.ends_with('/') {
        return Some(rest);
    }
    rest.strip_prefix('/')
}

fn is_windows_drive(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn trim_slash(p: &str) -> &str {
    if p.len() > 1 { p.trim_end_matches('/') } else { p }
}

/// Forward slashes, no `file://`, no `.` segments, `..` folded lexically, no doubled slashes.
pub fn normalize(raw: &str) -> String {
    if is_normal(raw) {
        return raw.to_string();
    }
    normalize_slowly(raw)
}

/// Whether [`normalize`] leaves `raw` as it is (most paths in a report): it is trimmed, has no
/// `\\` and no `file://`, and no `.`, `..` or empty component but the root's.
fn is_normal(raw: &str) -> bool {
    raw.trim().len() == raw.len()
        && !raw.starts_with("file://")
        && !raw.contains('\\')
        && raw.split('/').enumerate().all(|(i, part)| !matches!(part, "." | "..") && (!part.is_empty() || i == 0))
}

fn normalize_slowly(raw: &str) -> String {
    let mut p = raw.trim().replace('\\', "/");
    if let Some(rest) = p.strip_prefix("file://") {
        p = rest.to_string();
        // file:///C:/x → C:/x
        if p.len() > 2 && p.starts_with('/') && is_windows_drive(&p[1..]) {
            p.remove(0);
        }
    }
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." && !(parts.len() == 1 && is_windows_drive(last)) => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute { format!("/{joined}") } else { joined }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_known_by_its_extension() {
        for code in ["src/a.py", "main.go", "lib.RS", "web/app.tsx", "A.java", "x/y.cpp", ".config/z.ts"] {
            assert!(is_code(code), "{code}");
        }
        for other in ["README.md", "Cargo.toml", "data.json", "Makefile", "src/.py", "a.py.txt"] {
            assert!(!is_code(other), "{other}");
        }
    }

    #[test]
    fn dependency_manifests_are_known_by_their_names() {
        for f in ["requirements.txt", "deps/requirements-dev.in", "web/package-lock.json", "Cargo.lock", "go.sum"] {
            assert!(is_dependency_manifest(f), "{f}");
        }
        for f in ["app.py", "README.md", "package.json.bak", "src/requirements.py", "lock.json"] {
            assert!(!is_dependency_manifest(f), "{f}");
        }
    }

    #[test]
    fn coverage_configuration_is_known_by_its_name() {
        for p in [
            ".coveragerc",
            "backend/.coveragerc",
            ".nycrc.json",
            ".c8rc",
            "nyc.config.js",
            "jest.config.ts",
            "web/vitest.config.mts",
            "karma.conf.js",
            ".simplecov",
            "gcovr.cfg",
            "tarpaulin.toml",
            "tests/coverlet.runsettings",
            "pytest.ini",
        ] {
            assert!(is_coverage_config(p), "{p}");
        }
        for p in
            ["pyproject.toml", "package.json", "setup.cfg", "src/jest.ts", "config.js", "jest.setup.js", "coveragerc"]
        {
            assert!(!is_coverage_config(p), "{p}");
        }
    }

    #[test]
    fn tests_are_known_by_their_names_and_source_in_test_folders_is_not() {
        let named = [
            "tests/test_a.py",
            "conftest.py",
            "pkg/a_test.go",
            "lib/a_test.dart",
            "src/a.test.ts",
            "src/a.spec.js",
            "cypress/e2e/login.cy.ts",
            "spec/user_spec.rb",
            "src/test/java/p/FooTest.java",
            "Foo.Tests/BarTests.cs",
            "src/it/p/Foo2IT.java",
            "features/login.feature",
            "tests/smoke.robot",
            "tests/keywords.resource",
        ];
        for path in named {
            assert!(is_test_named(path) && is_test_file(path), "{path}");
        }
        let source = ["src/spec/parser.py", "django/test/client.py", "Latest.java", "Contest.java", "contests.rs"];
        for path in source {
            assert!(!is_test_named(path), "{path}");
        }
        for path in ["test_data.txt", "README", "src/TEST.md", "IT.java"] {
            assert!(!is_test_named(path), "{path}");
        }
        // The commit type's looser guess takes the folders.
        assert!(is_test_file("django/test/client.py") && is_test_file("Latest.java"));
    }

    #[test]
    fn paths_already_normal_are_kept_as_they_are() {
        for raw in [
            "",
            "/",
            "//",
            "a",
            "/a",
            "a/",
            "/a/b.c",
            "a//b",
            "./a",
            "a/./b",
            "a/../b",
            "../a",
            "/..",
            " a",
            "a ",
            "a\\b",
            "file:///a",
            "file://C:/x",
            "C:/x",
            "C:\\x",
            "a/.b",
            "a/..b/c",
            "\u{a0}a",
            "ünï/ファイル",
        ] {
            assert_eq!(normalize(raw), normalize_slowly(raw), "{raw:?}");
            if is_normal(raw) {
                assert_eq!(normalize_slowly(raw), raw, "{raw:?}");
            }
        }
    }

    #[test]
    fn absolute_under_root_becomes_relative() {
        let m = PathMapper::new(Some("/home/ci/work/c-utf8"));
        assert_eq!(m.map("/home/ci/work/c-utf8/llvm/../test/main.c"), "test/main.c");
        assert_eq!(m.map("/home/ci/work/c-utf8x/a.c"), "/home/ci/work/c-utf8x/a.c");
        assert_eq!(m.map("./src/a.c"), "src/a.c");
    }

    #[test]
    fn windows_paths_and_rewrites() {
        let m = PathMapper::new(Some("C:/a/repo"));
        assert_eq!(m.map(r"c:\a\repo\src\x.c"), "src/x.c");
        let m = PathMapper::new(None).rewrite("/build/agent", "").strip_prefix("/opt");
        assert_eq!(m.map("/build/agent/src/y.rs"), "src/y.rs");
        assert_eq!(m.map("/opt/z.rs"), "z.rs");
        assert_eq!(normalize("file:///C:/w/x.c"), "C:/w/x.c");
    }

    /// A `--map` whose FROM no path starts with (a typo, the other machine's folder) changed
    /// nothing without a word; and a whole file as FROM was passed over.
    #[test]
    fn maps_that_change_no_path_are_known_and_a_whole_file_maps() {
        let m = PathMapper::new(Some("/repo"))
            .rewrite("/build/src", "src")
            .rewrite("/biuld/lib", "lib")
            .rewrite("/gen/one.py", "src/one.py")
            .strip_prefix("/opt/app")
            .strip_prefix("/home/runner");
        assert_eq!(m.unused().len(), 5, "nothing mapped yet");
        assert_eq!(m.map("/build/src/a.py"), "src/a.py");
        assert_eq!(m.map("/gen/one.py"), "src/one.py");
        assert_eq!(m.map("/gen/one.pyc"), "/gen/one.pyc");
        assert_eq!(m.map("/opt/app/b.py"), "b.py");
        assert_eq!(m.map("/repo/c.py"), "c.py", "the root is no option of the user's");
        assert_eq!(m.unused(), ["--map /biuld/lib=lib", "--strip-prefix /home/runner"]);
        // A clone sees what the original mapped (the readers map on several threads).
        assert_eq!(m.clone().unused(), m.unused());
    }
}
