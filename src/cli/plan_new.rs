//! `temis plan new "Feature" --phases "A, B, C"`: a plan in temis's own layout, ready to edit —
//! one `## Phase N: Title (Owner)` section per phase with a commit type, a `Reports:` line, tasks,
//! test requirements and risks, then the deployment notes. Written once: an existing plan is
//! never replaced. What is written is read back with temis's plan reader before it lands, so a
//! scaffold that the gate could not read is never written.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Outcome;
use crate::app::plans;
use crate::app::write;
use crate::error::Error;
use crate::output::Output;

pub const AFTER_HELP: &str = "Writes plans/<feature>/plan.md (the feature's title in kebab case, or --name), one \
`## Phase N: Title (Owner)` section per phase with `Type: feat`, a `Reports:` line \
(reports/phase-N/coverage.xml and junit.xml: point it at where your tools write), tasks to tick, test \
requirements and risks, and a Deployment section. Replace the placeholder lines, then `temis plan approve`.

An existing plan is never replaced: the command exits 2 and names the file.

Examples:
  temis plan new \"JWT authentication\" --phases \"Database schema, Backend services, Frontend\"
  temis plan new \"Search\" --phases \"Index, API, UI\" --owners \"Maat, Hermes, Athena\"
  temis plan new \"Billing\" --phases \"Schema, Service\" --name billing-v2 --type fix";

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The feature's title: the plan's `# Title`, and its folder's name in kebab case.
    #[arg(value_name = "FEATURE")]
    pub title: String,

    /// The phases' titles, in order, separated by commas.
    #[arg(long, value_name = "LIST", required = true)]
    pub phases: String,

    /// The phases' owners, separated by commas: one per phase, or one for every phase
    /// [default: git config user.name, else `Owner`].
    #[arg(long, value_name = "LIST")]
    pub owners: Option<String>,

    /// The plan's folder under plans/ [default: the title in kebab case].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// The Conventional Commit type of every phase (`Type:`), e.g. feat, fix, refactor.
    #[arg(long = "type", value_name = "TYPE", default_value = "feat")]
    pub kind: String,

    /// Repository root [default: the git work tree containing the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// What a scaffold is made of, validated.
#[derive(Debug, PartialEq, Eq)]
pub struct Scaffold {
    pub title: String,
    /// (title, owner) per phase.
    pub phases: Vec<(String, String)>,
    pub kind: String,
}

/// `Feature Title: v2!` → `feature-title-v2`; letters and digits kept (lowercased), the rest a
/// single `-`.
pub fn kebab(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_string()).collect()
}

impl Scaffold {
    /// Checks the titles and owners; `default_owner` stands for every phase when `owners` is
    /// not given.
    pub fn new(
        title: &str,
        phases: &str,
        owners: Option<&str>,
        default_owner: &str,
        kind: &str,
    ) -> Result<Self, Error> {
        let title = title.trim();
        if title.is_empty() || title.contains(['\n', '\r']) {
            return Err(Error::usage("the feature's title must be one non-empty line"));
        }
        let names = list(phases);
        if names.iter().any(String::is_empty) {
            return Err(Error::usage(format!(
                "--phases {phases:?} has an empty phase; separate the titles with commas: \"Database schema, Backend services, Frontend\""
            )));
        }
        let owners = match owners {
            None => vec![default_owner.to_string(); names.len()],
            Some(o) => {
                let given = list(o);
                if given.iter().any(String::is_empty) {
                    return Err(Error::usage(format!("--owners {o:?} has an empty name")));
                }
                match given.len() {
                    1 => vec![given[0].clone(); names.len()],
                    n if n == names.len() => given,
                    n => {
                        return Err(Error::usage(format!(
                            "--owners names {n} owners for {} phases; give one per phase, or one for all",
                            names.len()
                        )));
                    }
                }
            }
        };
        let kind = kind.trim().to_lowercase();
        if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::usage(format!("--type {kind:?}: a Conventional Commit type is one word, e.g. feat")));
        }
        for (i, (p, o)) in names.iter().zip(&owners).enumerate() {
            if p.contains(['(', ')', '\n']) || o.contains(['(', ')', ':', '\n']) {
                return Err(Error::usage(format!(
                    "phase {}: titles and owners hold no parentheses (the heading is `## Phase N: Title (Owner)`)",
                    i + 1
                )));
            }
        }
        Ok(Self { title: title.to_string(), phases: names.into_iter().zip(owners).collect(), kind })
    }

    /// The plan's text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let n = self.phases.len();
        let _ = writeln!(out, "# {}\n", self.title);
        let _ = writeln!(
            out,
            "What the feature does and why, in two or three sentences. {n} phase{}, each gated by temis\n\
             (`temis phase complete N`) and recorded in `phase-N-complete.md` beside this plan.\n",
            if n == 1 { "" } else { "s" }
        );
        for (i, (title, owner)) in self.phases.iter().enumerate() {
            let k = i + 1;
            let lower = title.to_lowercase();
            let _ = writeln!(out, "## Phase {k}: {title} ({owner})\n");
            let _ = writeln!(out, "Type: {}", self.kind);
            let _ = writeln!(out, "Reports: reports/phase-{k}/coverage.xml, reports/phase-{k}/junit.xml\n");
            let _ = writeln!(out, "### Tasks\n");
            let _ = writeln!(out, "- [ ] The first task of the {lower} phase (the files it touches)");
            let _ = writeln!(out, "- [ ] The next task\n");
            let _ = writeln!(out, "### Test requirements\n");
            let _ = writeln!(out, "- What the tests of the {lower} phase must show\n");
            let _ = writeln!(out, "### Risks\n");
            let _ = writeln!(out, "- What could go wrong, and how it is caught\n");
        }
        let _ = writeln!(out, "## Deployment\n");
        let _ = writeln!(out, "1. What to deploy first, and the settings it needs.");
        out
    }
}

pub fn run(args: NewArgs, out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.root.as_deref())?;
    let default_owner = crate::git::user_name(&root).unwrap_or_else(|| "Owner".to_string());
    let scaffold = Scaffold::new(&args.title, &args.phases, args.owners.as_deref(), &default_owner, &args.kind)?;
    let name = match &args.name {
        Some(n) => {
            let k = kebab(n);
            if k != *n {
                return Err(Error::usage(format!("--name {n:?}: use letters, digits and dashes, e.g. {k:?}")));
            }
            k
        }
        None => kebab(&scaffold.title),
    };
    if name.is_empty() {
        return Err(Error::usage("the feature's title has no letter or digit; name the folder with --name"));
    }
    let rel = format!("plans/{name}/plan.md");
    let text = scaffold.render();
    // The scaffold must read back as what was asked, with the reader the gate uses.
    let read = crate::plan::read(&text).map_err(|e| Error::plan(&rel, e))?;
    let back: Vec<(String, String)> =
        read.phases.iter().map(|p| (p.title.clone(), p.owner.clone().unwrap_or_default())).collect();
    if back != scaffold.phases {
        return Err(Error::usage(format!(
            "the phases would read back as {back:?}, not as given; simplify their titles"
        )));
    }
    let path = root.join(&rel);
    let exists = || {
        Error::usage(format!(
            "{rel} already exists; temis plan new never replaces a plan (edit it, or choose another folder with --name)"
        ))
    };
    if path.exists() {
        return Err(exists());
    }
    let dir = path.parent().expect("plans/<name>/plan.md has a folder");
    std::fs::create_dir_all(dir).map_err(|e| Error::Write { path: rel.clone(), source: e })?;
    write::write_new(&path, text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(),
        _ => Error::Write { path: rel.clone(), source: e },
    })?;
    out.stdout(&format!(
        "wrote {rel} ({} phase{})\nnext: replace the placeholder tasks, test requirements, risks and `Reports:` paths, \
         then approve it: temis plan approve {rel}\n",
        scaffold.phases.len(),
        if scaffold.phases.len() == 1 { "" } else { "s" }
    ))
    .map_err(Error::stdout)?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt() -> Scaffold {
        Scaffold::new(
            "JWT authentication",
            "Database schema, Backend services ,Frontend",
            Some("Maat, Hermes, Athena"),
            "Ada",
            "feat",
        )
        .unwrap()
    }

    #[test]
    fn the_scaffold_reads_back_with_the_plan_reader() {
        let s = jwt();
        let plan = crate::plan::read(&s.render()).unwrap();
        assert_eq!(plan.layout, crate::plan::Layout::Headings);
        assert_eq!(plan.title.as_deref(), Some("JWT authentication"));
        assert_eq!(plan.phases.len(), 3);
        for (i, (p, (title, owner))) in plan.phases.iter().zip(&s.phases).enumerate() {
            let k = i + 1;
            assert_eq!(p.number, k as u32);
            assert_eq!(&p.title, title);
            assert_eq!(p.owner.as_ref(), Some(owner));
            assert_eq!(p.kind.as_deref(), Some("feat"));
            assert_eq!(p.reports, [format!("reports/phase-{k}/coverage.xml"), format!("reports/phase-{k}/junit.xml")]);
            assert_eq!(p.tasks.len(), 2);
            assert!(p.tasks.iter().all(|t| t.done == Some(false)));
            assert_eq!(p.tests.len(), 1);
            assert_eq!(p.risks.len(), 1);
        }
        assert!(plan.deployment.is_some());
        assert!(!plan.front.flag("approved"));
    }

    #[test]
    fn owners_default_to_one_for_all_and_must_match_the_phases() {
        let s = Scaffold::new("X", "A, B", None, "Ada", "feat").unwrap();
        assert_eq!(s.phases, [("A".into(), "Ada".into()), ("B".into(), "Ada".into())]);
        let s = Scaffold::new("X", "A, B", Some("Zoe"), "Ada", "feat").unwrap();
        assert_eq!(s.phases[1].1, "Zoe");
        assert!(Scaffold::new("X", "A, B, C", Some("Zoe, Max"), "Ada", "feat").is_err());
        assert!(Scaffold::new("X", "A, , C", None, "Ada", "feat").is_err());
        assert!(Scaffold::new("X", "Frontend (React)", None, "Ada", "feat").is_err());
        assert!(Scaffold::new("", "A", None, "Ada", "feat").is_err());
        assert!(Scaffold::new("X", "A", None, "Ada", "a b").is_err());
    }

    #[test]
    fn folder_names_are_kebab_case() {
        assert_eq!(kebab("JWT authentication"), "jwt-authentication");
        assert_eq!(kebab("  Billing: v2! "), "billing-v2");
        assert_eq!(kebab("Übersicht"), "übersicht");
        assert_eq!(kebab("!!"), "");
    }
}
