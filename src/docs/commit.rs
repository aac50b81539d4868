//! Conventional Commit messages, generated from facts: the phase (its declared type, title and
//! tasks) or, without a plan, the change itself (which files, what kind, new public items).
//!
//! `type(scope): subject`, a blank line, bullets, a blank line, trailers (`Plan:`,
//! `Phase: N/M`). The subject is at most [`SUBJECT_MAX`] characters and the whole message meets
//! commitlint's conventional rules ([`super::conventional`]).

use crate::model::{ChangeKind, FileChange};

pub const SUBJECT_MAX: usize = 72;
/// Body lines are wrapped here (commitlint allows 100).
const WRAP: usize = 72;

/// What kind of file a path is, for inferring the commit type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileClass {
    Test,
    Docs,
    Ci,
    Build,
    Source,
}

pub fn classify(path: &str) -> FileClass {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dirs: Vec<&str> = lower.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    if lower.starts_with(".github/workflows/")
        || lower.starts_with(".ci/")
        || lower.starts_with("ci/")
        || lower.starts_with(".circleci/")
        || name == ".gitlab-ci.yml"
        || name == "action.yml"
    {
        return FileClass::Ci;
    }
    if crate::paths::is_test_file(path) {
        return FileClass::Test;
    }
    if name.ends_with(".md")
        || name.ends_with(".rst")
        || name.ends_with(".adoc")
        || dirs.first() == Some(&"docs")
        // A plan and what temis writes beside it (records, the summary and its chart).
        || dirs.first() == Some(&"plans")
        || matches!(name, "license" | "licence" | "notice" | "authors")
    {
        return FileClass::Docs;
    }
    if matches!(
        name,
        "cargo.toml"
            | "cargo.lock"
            | "package.json"
            | "package-lock.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "requirements.txt"
            | "makefile"
            | "dockerfile"
            | "go.mod"
            | "go.sum"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "build.rs"
    ) {
        return FileClass::Build;
    }
    FileClass::Source
}

/// Whether an added line declares a new public item (a Rust `pub fn`, a Python top-level
/// `def`/`class` without a leading underscore, a JavaScript `export`, a Go capitalized `func`…).
pub fn declares_public_item(path: &str, line: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("");
    let t = line.trim_start();
    match ext {
        "rs" => [
            "pub fn ",
            "pub async fn ",
            "pub struct ",
            "pub enum ",
            "pub trait ",
            "pub mod ",
            "pub const ",
            "pub type ",
        ]
        .iter()
        .any(|p| t.starts_with(p)),
        "py" => {
            let top = !line.starts_with([' ', '\t']);
            let name =
                t.strip_prefix("def ").or_else(|| t.strip_prefix("async def ")).or_else(|| t.strip_prefix("class "));
            top && name.is_some_and(|n| !n.starts_with('_'))
        }
        "js" | "mjs" | "cjs" | "ts" | "tsx" | "jsx" => t.starts_with("export "),
        "go" => {
            let rest = t.strip_prefix("func ").or_else(|| t.strip_prefix("type "));
            let rest = rest.map(|r| if r.starts_with('(') { r.split_once(") ").map_or("", |(_, n)| n) } else { r });
            rest.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
        }
        "java" | "kt" | "cs" => t.starts_with("public "),
        "html" | "htm" | "vue" | "svelte" => t.starts_with("<form") || t.starts_with("<template"),
        _ => false,
    }
}

/// The commit type a change suggests: only tests → `test`, only docs → `docs`, only CI → `ci`,
/// only build files → `build`; new source files or new public items → `feat`; a change that
/// removes more than it adds → `refactor`; otherwise `fix`.
pub fn infer_type(changes: &[FileChange]) -> &'static str {
    if changes.is_empty() {
        return "chore";
    }
    let classes: Vec<FileClass> = changes.iter().map(|c| classify(&c.path)).collect();
    for (class, ty) in
        [(FileClass::Test, "test"), (FileClass::Docs, "docs"), (FileClass::Ci, "ci"), (FileClass::Build, "build")]
    {
        if classes.iter().all(|c| *c == class) {
            return ty;
        }
    }
    let source = changes.iter().zip(&classes).filter(|(_, c)| **c == FileClass::Source).map(|(f, _)| f);
    let mut added = 0;
    let mut deleted = 0;
    for f in source {
        if f.kind == ChangeKind::Created || f.added_lines.iter().any(|(_, l)| declares_public_item(&f.path, l)) {
            return "feat";
        }
        added += f.added;
        deleted += f.deleted;
    }
    if deleted > added { "refactor" } else { "fix" }
}

/// The package most of the change is in: `package_of` names a path's package (Cargo, npm,
/// Python), else the path's top folder is used; weighted by changed lines.
pub fn dominant_scope(changes: &[FileChange], package_of: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut weights: Vec<(String, u64)> = Vec::new();
    // The code decides the scope; tests, docs and build files only when there is no code.
    let source: Vec<&FileChange> = changes.iter().filter(|c| classify(&c.path) == FileClass::Source).collect();
    let counted: Vec<&FileChange> = if source.is_empty() { changes.iter().collect() } else { source };
    for c in counted {
        let name = package_of(&c.path).or_else(|| c.path.split_once('/').map(|(top, _)| top.to_string()));
        let Some(name) = name.map(|n| scope_name(&n)).filter(|n| !n.is_empty()) else { continue };
        let w = (c.added + c.deleted).max(1);
        match weights.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += w,
            None => weights.push((name, w)),
        }
    }
    weights.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weights.into_iter().next().map(|(n, _)| n)
}

/// A package name as a scope: `@acme/web-ui` → `web-ui`, lower-case, no spaces or parentheses.
pub fn scope_name(name: &str) -> String {
    let n = name.rsplit('/').next().unwrap_or(name).trim_start_matches('.');
    n.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect()
}

/// A subject from a phase title: `Database Schema` → `add database schema`; acronyms and
/// CamelCase words kept (`JWT service`), a leading verb kept in place (`Implement X` →
/// `implement X`). At most [`SUBJECT_MAX`] characters, cut at a word.
pub fn subject_from_title(title: &str, ty: &str) -> String {
    const VERBS: &[&str] = &[
        "add",
        "implement",
        "create",
        "build",
        "fix",
        "write",
        "update",
        "remove",
        "refactor",
        "document",
        "test",
        "support",
        "make",
        "introduce",
        "set",
        "wire",
        "move",
        "rename",
        "extract",
        "replace",
        "improve",
        "allow",
        "enable",
        "disable",
        "drop",
        "use",
        "speed",
        "harden",
        "secure",
        "store",
        "show",
        "read",
    ];
    let words: Vec<String> = title.split_whitespace().map(soften).collect();
    let starts_with_verb = words.first().is_some_and(|w| VERBS.contains(&w.to_lowercase().as_str()));
    let mut subject = if starts_with_verb {
        let mut w = words.clone();
        w[0] = w[0].to_lowercase();
        w.join(" ")
    } else {
        let verb = match ty {
            "fix" => "fix",
            "docs" => "document",
            "test" => "test",
            "refactor" => "rework",
            "perf" => "speed up",
            "ci" => "run",
            "build" => "build",
            _ => "add",
        };
        format!("{verb} {}", words.join(" "))
    };
    subject = subject.trim_end_matches(['.', ' ']).to_string();
    cut(&subject, SUBJECT_MAX)
}

/// `Schema` → `schema`; `JWT`, `LoginForm`, `useAuth` unchanged, and so is a code name
/// (`Signer.rotate`, `token_store`, `Repo::open`, `verify()`, `auth/jwt`), whose case is its
/// meaning.
fn soften(word: &str) -> String {
    let core = word.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    if core.contains(['.', '_', ':', '(', ')', '/', '<', '>', '#', '`', '@', '-']) || core.contains(char::is_numeric) {
        return word.to_string();
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return String::new() };
    let rest: String = chars.collect();
    if first.is_uppercase() && !rest.is_empty() && rest.chars().all(|c| !c.is_uppercase()) {
        format!("{}{rest}", first.to_lowercase())
    } else if first.is_uppercase() && rest.is_empty() {
        first.to_lowercase().to_string()
    } else {
        word.to_string()
    }
}

/// At most `max` characters, cut at a word boundary, without a trailing full stop.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for w in s.split_whitespace() {
        let next = if out.is_empty() { w.to_string() } else { format!("{out} {w}") };
        if next.chars().count() > max {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        out = s.chars().take(max).collect();
    }
    out.trim_end_matches(['.', ',', ';', ':', '-']).to_string()
}

/// A subject for a change with no plan: `add store.py`, `update 3 files in authsvc`.
pub fn subject_from_changes(changes: &[FileChange], scope: Option<&str>) -> String {
    let verb = if changes.iter().all(|c| c.kind == ChangeKind::Created) {
        "add"
    } else if changes.iter().all(|c| c.kind == ChangeKind::Deleted) {
        "remove"
    } else {
        "update"
    };
    let what = match changes {
        [] => "nothing".to_string(),
        [one] => format!("`{}`", one.path.rsplit('/').next().unwrap_or(&one.path)),
        many => match scope {
            Some(s) => format!("{} files in {s}", many.len()),
            None => format!("{} files", many.len()),
        },
    };
    cut(&format!("{verb} {what}"), SUBJECT_MAX)
}

/// The parts of a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    pub ty: String,
    pub scope: Option<String>,
    pub subject: String,
    pub bullets: Vec<String>,
    pub trailers: Vec<(String, String)>,
}

impl Message {
    pub fn render(&self) -> String {
        let scope = self.scope.as_deref().map(|s| format!("({s})")).unwrap_or_default();
        let mut header = format!("{}{scope}: {}", self.ty, self.subject);
        if header.chars().count() > super::conventional::HEADER_MAX {
            let room = super::conventional::HEADER_MAX - (header.chars().count() - self.subject.chars().count());
            header = format!("{}{scope}: {}", self.ty, cut(&self.subject, room));
        }
        let mut out = header;
        out.push('\n');
        if !self.bullets.is_empty() {
            out.push('\n');
            for b in &self.bullets {
                out.push_str(&wrap_bullet(b));
            }
        }
        if !self.trailers.is_empty() {
            out.push('\n');
            for (k, v) in &self.trailers {
                out.push_str(&format!("{k}: {v}\n"));
            }
        }
        out
    }
}

/// `- text`, wrapped at [`WRAP`] columns with a two-space hanging indent.
fn wrap_bullet(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("-");
    for w in text.split_whitespace() {
        if line.chars().count() + 1 + w.chars().count() > WRAP && line.trim() != "-" {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(w);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The message for a phase of a plan: the declared type (`Type: feat`), else the one the change
/// suggests; the subject from the phase title; one bullet per task ticked (every step when the
/// plan has no checkboxes; the files changed when no box is ticked), one for the measured
/// figures; trailers `Plan:` and `Phase: N/M`.
pub fn for_phase(
    plan_path: &str,
    phases: usize,
    phase: &crate::plan::Phase,
    changes: &[FileChange],
    scope: Option<String>,
    figures: Option<&crate::gate::Figures>,
) -> Message {
    let declared = phase.kind.as_deref().filter(|k| super::conventional::TYPES.contains(k));
    let ty = declared.unwrap_or_else(|| infer_type(changes)).to_string();
    let subject = subject_from_title(&phase.title, &ty);
    // With checkboxes, the ticked ones only (none ticked: the files changed say what was done);
    // an unticked task is not something the commit does.
    let boxed = phase.tasks.iter().any(|t| t.done.is_some());
    let listed: Vec<&crate::plan::Task> = phase.tasks.iter().filter(|t| !boxed || t.done == Some(true)).collect();
    let mut bullets: Vec<String> = listed.iter().map(|t| t.text.trim_end_matches('.').to_string()).collect();
    if bullets.is_empty() {
        bullets = changes.iter().take(8).map(|c| format!("{} {}", c.kind.label(), c.path)).collect();
    }
    if let Some(f) = figures {
        let mut parts = Vec::new();
        if let (Some(total), Some(passed)) = (f.tests_total, f.tests_passed) {
            parts.push(format!("{passed} of {total} tests passing"));
        }
        if let Some(l) = f.line_coverage {
            parts.push(format!("line coverage {} %", crate::gate::verdict::trim_number(l)));
        }
        if let Some(b) = f.branch_coverage {
            parts.push(format!("branch coverage {} %", crate::gate::verdict::trim_number(b)));
        }
        if !parts.is_empty() {
            bullets.push(format!("Gate: APPROVED, {}", parts.join(", ")));
        }
    }
    Message {
        ty,
        scope,
        subject,
        bullets,
        trailers: vec![("Plan".into(), plan_path.to_string()), ("Phase".into(), format!("{}/{phases}", phase.number))],
    }
}

/// The message for a change with no plan: type and subject from the change, one bullet per
/// file (at most 10).
pub fn for_change(changes: &[FileChange], scope: Option<String>) -> Message {
    let ty = infer_type(changes).to_string();
    let subject = subject_from_changes(changes, scope.as_deref());
    let mut bullets: Vec<String> = changes
        .iter()
        .take(10)
        .map(|c| {
            let lines = if c.binary { "binary".to_string() } else { format!("+{} -{}", c.added, c.deleted) };
            format!("{} {} ({lines})", c.kind.label(), c.path)
        })
        .collect();
    if changes.len() > 10 {
        bullets.push(format!("and {} more files", changes.len() - 10));
    }
    Message { ty, scope, subject, bullets, trailers: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, kind: ChangeKind, lines: &[&str]) -> FileChange {
        FileChange {
            path: path.into(),
            kind,
            added: lines.len() as u64,
            deleted: 0,
            binary: false,
            added_lines: lines.iter().enumerate().map(|(i, l)| (i as u32 + 1, l.to_string())).collect(),
        }
    }

    #[test]
    fn the_type_follows_the_change() {
        let m = ChangeKind::Modified;
        assert_eq!(infer_type(&[change("tests/test_jwt.py", m.clone(), &["x"])]), "test");
        assert_eq!(infer_type(&[change("README.md", m.clone(), &["x"]), change("docs/a.md", m.clone(), &[])]), "docs");
        assert_eq!(infer_type(&[change(".github/workflows/ci.yml", m.clone(), &["x"])]), "ci");
        assert_eq!(infer_type(&[change("src/lib.rs", m.clone(), &["pub fn verify() {}"])]), "feat");
        assert_eq!(infer_type(&[change("app/jwt.py", m.clone(), &["def decode(token):"])]), "feat");
        assert_eq!(infer_type(&[change("app/jwt.py", m.clone(), &["    return x + 1"])]), "fix");
        assert_eq!(infer_type(&[change("app/new.py", ChangeKind::Created, &["x = 1"])]), "feat");
    }

    #[test]
    fn subjects_are_lower_case_imperative_and_short() {
        assert_eq!(subject_from_title("Database Schema", "feat"), "add database schema");
        assert_eq!(subject_from_title("JWT service and LoginForm", "feat"), "add JWT service and LoginForm");
        assert_eq!(subject_from_title("Implement token refresh.", "feat"), "implement token refresh");
        assert_eq!(subject_from_title("Key rotation in Signer.rotate", "feat"), "add key rotation in Signer.rotate");
        assert_eq!(subject_from_title("Token_Store and Repo::Open", "feat"), "add Token_Store and Repo::Open");
        let long = subject_from_title(&"word ".repeat(40), "feat");
        assert!(long.chars().count() <= SUBJECT_MAX && !long.ends_with(' '));
    }

    #[test]
    fn the_scope_is_the_package_with_most_changed_lines() {
        let changes = [
            change("web/login.html", ChangeKind::Created, &["a"]),
            change("src/authsvc/jwt.py", ChangeKind::Modified, &["a", "b", "c"]),
        ];
        let pkg = |p: &str| p.starts_with("src/").then(|| "@acme/AuthSvc".to_string());
        assert_eq!(dominant_scope(&changes, pkg).as_deref(), Some("authsvc"));
        assert_eq!(dominant_scope(&changes[..1], |_| None).as_deref(), Some("web"));
    }

    #[test]
    fn a_rendered_message_meets_the_conventional_rules() {
        let m = Message {
            ty: "feat".into(),
            scope: Some("authsvc".into()),
            subject: subject_from_title("Backend Services", "feat"),
            bullets: vec!["a long bullet ".repeat(12).trim().to_string(), "short".into()],
            trailers: vec![("Plan".into(), "plans/jwt/plan.md".into()), ("Phase".into(), "2/3".into())],
        };
        let text = m.render();
        assert!(super::super::conventional::problems(&text).is_empty(), "{text}");
        assert!(text.starts_with("feat(authsvc): add backend services\n\n- a long bullet"));
        assert!(text.ends_with("\nPlan: plans/jwt/plan.md\nPhase: 2/3\n"));
    }

    /// With no box ticked, every unticked task was listed as something the commit does.
    #[test]
    fn a_phase_message_lists_the_tasks_ticked_only() {
        let plan = |tasks: &str| crate::plan::read(&format!("# F\n\n## Phase 1: Store\n\n{tasks}")).unwrap();
        let bullets = |tasks: &str| {
            let changes = [change("src/store.py", ChangeKind::Created, &["x = 1"])];
            for_phase("plans/f/plan.md", 1, &plan(tasks).phases[0], &changes, None, None).bullets
        };
        assert_eq!(bullets("- [x] Token table\n- [ ] Encrypt at rest\n"), ["Token table"]);
        assert_eq!(bullets("- [ ] Token table\n- [ ] Encrypt at rest\n"), ["created src/store.py"]);
        assert_eq!(bullets("### Tasks\n- Token table\n- Encrypt at rest\n"), ["Token table", "Encrypt at rest"]);
    }
}
