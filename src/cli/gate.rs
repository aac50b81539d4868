//! `temis gate`: find and read the reports, judge them against the policy, print the verdict.

use super::{JudgeArgs, Outcome};
use crate::app::discover;
use crate::app::{self, ChangeSpec};
use crate::error::Error;
use crate::output::Output;
use crate::render::verdict::{self, VerdictFormat};

pub fn after_help() -> String {
    format!(
        "Exit codes: 0 APPROVED, 1 BLOCKED (a threshold failed), 2 could not judge (a required report is missing \
or unreadable, the policy is invalid, a usage error).

The policy is --policy FILE, else temis.toml at the repository root, else the embedded default (coverage ≥ 80 %, \
every test passing, at least one test; where accessibility reports exist, a score ≥ 95 and no WCAG A/AA violation); \
a [coverage] or [tests] table a policy file leaves out is the default's. Reports are the files named on the command line, else the policy's \
[reports] paths and globs, else the conventional locations below; named reports replace [reports] of their kinds \
only (a kind [reports] lists that none of them is of, say security, is read from there still); a [reports] path (not a glob) for a check the \
policy requires must be there, or the gate cannot judge. Each report's format is detected from its content.

{}
Examples:
  temis gate                                   discover reports, embedded or repository policy
  temis gate --phase 3 coverage.xml junit.xml  phase 3's [phase.3] overrides, these reports
  temis gate --plan plans/auth/plan.md         the plan's current phase, on the reports it names
  temis gate --format sarif > temis.sarif      for GitHub code scanning
  temis gate --format junit > temis-junit.xml  the gate in your CI's test tab
  temis gate --base origin/main                patch coverage of this branch's change, and the ratchet
  temis gate --record                          record the figures on HEAD (git notes, refs/notes/temis)",
        discover::help_list()
    )
}

#[derive(Debug, clap::Args)]
pub struct GateArgs {
    #[command(flatten)]
    pub judge: JudgeArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: VerdictFormat,

    /// With --base: measure against the working tree, staged and unstaged changes included, and
    /// new files not added yet that git does not ignore (diff-cover's --include-untracked).
    #[arg(long, requires = "base")]
    pub worktree: bool,

    /// Record this run's figures on HEAD as a git note under refs/notes/temis, for later ratchets
    /// (push them with `git push origin refs/notes/temis`). Not when the gate could not judge, nor
    /// when the coverage report is stale or of other code (a warning says so; the note is kept).
    #[arg(long)]
    pub record: bool,
}

pub fn run(args: GateArgs, out: Output) -> Result<Outcome, Error> {
    let change = match &args.judge.base {
        Some(rev) => ChangeSpec::Base { rev: rev.clone(), worktree: args.worktree },
        None => ChangeSpec::None,
    };
    let req = args.judge.request(change)?;
    let judgement = app::judge(&req)?;
    for note in &judgement.notes {
        out.warning(note);
    }
    if args.record {
        match app::unrecordable(&judgement.verdict) {
            Some(why) => out
                .warning(&format!("the figures are not recorded: {why}; the note on HEAD (if any) is left as it was")),
            None => {
                let head = app::record(&req.root, &judgement.verdict)?;
                out.stderr(&format!(
                    "recorded the figures on {} under {}\n",
                    &head[..10.min(head.len())],
                    crate::git::NOTES_REF
                ));
            }
        }
    }
    let text = verdict::render(&judgement.verdict, args.format, out.color());
    out.stdout(&text).map_err(Error::stdout)?;
    Ok(Outcome::of(judgement.verdict.status))
}
