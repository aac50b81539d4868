//! The git hooks temis installs: which events, the shim written for each (`hooks/shim.sh`), how a
//! file is recognised as temis's, and which other hook managers can be recognised and how.
//!
//! Pure: text in, text out. Writing files is `cli::hooks`'s job.

/// A hook event temis handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
#[value(rename_all = "kebab-case")]
pub enum Event {
    PreCommit,
    CommitMsg,
    PrepareCommitMsg,
    PrePush,
}

impl Event {
    pub const ALL: [Event; 4] = [Event::PreCommit, Event::PrepareCommitMsg, Event::CommitMsg, Event::PrePush];

    /// The hook file's name, as git knows it.
    pub fn name(self) -> &'static str {
        match self {
            Event::PreCommit => "pre-commit",
            Event::CommitMsg => "commit-msg",
            Event::PrepareCommitMsg => "prepare-commit-msg",
            Event::PrePush => "pre-push",
        }
    }

    /// What temis does there, for `status` and `--help`.
    pub fn purpose(self) -> &'static str {
        match self {
            Event::PreCommit => "secrets in the staged change, policy validity",
            Event::CommitMsg => "Conventional Commits, with commitlint's conventional rules",
            Event::PrepareCommitMsg => "pre-fills the message of a just-completed phase",
            Event::PrePush => "the gate, with patch coverage against what the remote has",
        }
    }

    /// How to bypass it once.
    pub fn bypass(self) -> &'static str {
        match self {
            Event::PrePush => "git push --no-verify",
            _ => "git commit --no-verify",
        }
    }
}

/// What `temis hook EVENT` handles: a git hook (the shims call these), or an agent runtime's hook
/// (`agent-stop`: Claude Code's `Stop` / `SubagentStop`, configured in `.claude/settings.json`),
/// which no shim calls and `temis hooks install` never writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookEvent {
    Git(Event),
    /// An agent is about to stop: the work under way must be APPROVED first.
    AgentStop,
}

impl HookEvent {
    const ALL: [HookEvent; 5] = [
        HookEvent::Git(Event::PreCommit),
        HookEvent::Git(Event::PrepareCommitMsg),
        HookEvent::Git(Event::CommitMsg),
        HookEvent::Git(Event::PrePush),
        HookEvent::AgentStop,
    ];

    /// The name `temis hook` takes and `TEMIS_SKIP` names.
    pub fn name(self) -> &'static str {
        match self {
            HookEvent::Git(e) => e.name(),
            HookEvent::AgentStop => "agent-stop",
        }
    }
}

impl clap::ValueEnum for HookEvent {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// The shim template, `hooks/shim.sh`.
pub const SHIM_TEMPLATE: &str = include_str!("../../hooks/shim.sh");

/// The marker that makes a hook file temis's.
pub const MARKER: &str = "# temis-managed-hook";

/// Suffix of the kept foreign hook (`pre-commit.pre-temis`).
pub const LEGACY_SUFFIX: &str = ".pre-temis";

/// The templates of earlier versions (`hooks/shim-v1.sh`, `hooks/shim-v2.sh`), to tell a shim an
/// earlier temis wrote from one someone changed since.
const EARLIER_TEMPLATES: &[&str] = &[include_str!("../../hooks/shim-v1.sh"), include_str!("../../hooks/shim-v2.sh")];

/// Suffix under which a temis shim someone changed is kept before it is replaced or removed.
pub const EDITED_SUFFIX: &str = ".temis-edited";

/// The shim for `event`, finding temis at `bin` first after `$TEMIS_BIN`.
pub fn shim(event: Event, bin: &str) -> String {
    fill(SHIM_TEMPLATE, event, bin)
}

fn fill(template: &str, event: Event, bin: &str) -> String {
    template.replace("@HOOK@", event.name()).replace("@BIN@", &sh_quote(bin))
}

/// Whether a temis shim is, byte for byte, what this or an earlier temis wrote for `event` (with
/// the binary it records): not, when someone changed it since (a line added to the hook).
pub fn as_written(content: &[u8], event: Event) -> bool {
    let Some(bin) = recorded_bin(&String::from_utf8_lossy(content)) else { return false };
    std::iter::once(SHIM_TEMPLATE)
        .chain(EARLIER_TEMPLATES.iter().copied())
        .any(|t| fill(t, event, &bin).as_bytes() == content)
}

/// Whether a hook file's content is a temis shim (this version's or an earlier one): the shebang,
/// the marker as the second line, and the recorded binary. A hook that merely mentions the marker
/// (a script that greps for it, a comment that quotes it) is not temis's.
pub fn is_ours(content: &[u8]) -> bool {
    let text = String::from_utf8_lossy(content);
    let mut lines = text.lines();
    lines.next() == Some("#!/bin/sh")
        && lines.next().is_some_and(|l| l.starts_with(MARKER))
        // The binary recorded as one quoted word, as temis writes it (a `$` inside is a path's:
        // `/opt/$tools/temis`), not a value the hook computes (`installed_bin=$(…)`).
        && text.lines().any(|l| l.starts_with("installed_bin='") && l.len() > "installed_bin='".len() && l.ends_with('\''))
}

/// The binary path a temis shim records, if `content` is one.
pub fn recorded_bin(content: &str) -> Option<String> {
    let line = content.lines().find(|l| l.starts_with("installed_bin="))?;
    Some(sh_unquote(&line["installed_bin=".len()..]))
}

/// `s` as one POSIX shell word.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn sh_unquote(word: &str) -> String {
    word.trim().trim_start_matches('\'').trim_end_matches('\'').replace(r"'\''", "'")
}

/// Another hook manager, recognised by its marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    Husky,
    Lefthook,
    PreCommit,
    Overcommit,
}

impl Manager {
    pub fn name(self) -> &'static str {
        match self {
            Manager::Husky => "husky",
            Manager::Lefthook => "lefthook",
            Manager::PreCommit => "the pre-commit framework",
            Manager::Overcommit => "overcommit",
        }
    }

    /// Which manager, if any, wrote this hook file.
    pub fn of_hook(content: &[u8]) -> Option<Manager> {
        let has = |needle: &str| memchr::memmem::find(content, needle.as_bytes()).is_some();
        if has("LEFTHOOK") {
            Some(Manager::Lefthook)
        } else if has("File generated by pre-commit") || has("pre-commit.com") {
            Some(Manager::PreCommit)
        } else if has("OVERCOMMIT_DISABLE") {
            Some(Manager::Overcommit)
        } else if has("husky") {
            Some(Manager::Husky)
        } else {
            None
        }
    }

    /// Which manager owns a `core.hooksPath` value (husky sets `.husky/_`, older versions `.husky`).
    pub fn of_hooks_path(value: &str) -> Option<Manager> {
        let v = value.trim_end_matches('/');
        (v.ends_with(".husky/_") || v.ends_with(".husky")).then_some(Manager::Husky)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shims_are_posix_sh_with_lf_and_the_marker() {
        for e in Event::ALL {
            let s = shim(e, "/opt/it's/temis");
            assert!(s.starts_with("#!/bin/sh\n"), "{s}");
            assert!(!s.contains('\r'));
            assert!(is_ours(s.as_bytes()));
            assert!(!s.contains("@HOOK@") && !s.contains("@BIN@"));
            assert!(s.contains(&format!("hook={}\n", e.name())));
            assert_eq!(recorded_bin(&s).as_deref(), Some("/opt/it's/temis"));
        }
    }

    #[test]
    fn only_a_shim_is_ours_not_a_hook_that_mentions_the_marker() {
        for e in Event::ALL {
            assert!(is_ours(shim(e, "/usr/bin/temis").as_bytes()));
            // A `$` in the binary's path (or `--bin`): temis disowned its own shims, and wrapped
            // them as HOOK.pre-temis on the next install.
            let odd = shim(e, "/opt/$tools/it's/temis");
            assert!(is_ours(odd.as_bytes()) && as_written(odd.as_bytes(), e), "{odd}");
        }
        let computed = format!("#!/bin/sh\n{MARKER} 2 (pre-commit)\ninstalled_bin=$(command -v temis)\n");
        assert!(!is_ours(computed.as_bytes()), "a value the hook computes");
        let grep =
            format!("#!/bin/sh\n# refuse to run where temis is installed\ngrep -q '{MARKER}' .git/hooks/* && exit 1\n");
        assert!(!is_ours(grep.as_bytes()));
        let quoted = format!("#!/bin/bash\n{MARKER}\ninstalled_bin=/x\n");
        assert!(!is_ours(quoted.as_bytes()), "another shebang: someone else's script");
        assert!(!is_ours(b""));
    }

    #[test]
    fn temis_hook_takes_the_git_events_and_agent_stop() {
        use clap::ValueEnum;
        let names: Vec<&str> = HookEvent::value_variants().iter().map(|e| e.name()).collect();
        assert_eq!(names, ["pre-commit", "prepare-commit-msg", "commit-msg", "pre-push", "agent-stop"]);
        for e in Event::ALL {
            assert_eq!(HookEvent::from_str(e.name(), false), Ok(HookEvent::Git(e)));
        }
        assert_eq!(HookEvent::from_str("agent-stop", false), Ok(HookEvent::AgentStop));
        assert!(!Event::ALL.iter().any(|e| e.name() == "agent-stop"), "no git hook is installed for agent-stop");
    }

    #[test]
    fn other_managers_are_recognised() {
        assert_eq!(Manager::of_hooks_path(".husky/_"), Some(Manager::Husky));
        assert_eq!(Manager::of_hooks_path("/r/.husky/"), Some(Manager::Husky));
        assert_eq!(Manager::of_hooks_path(".githooks"), None);
        assert_eq!(
            Manager::of_hook(b"#!/bin/sh\ncall_lefthook run \"pre-commit\"\nLEFTHOOK_BIN"),
            Some(Manager::Lefthook)
        );
        assert_eq!(Manager::of_hook(b"#!/bin/sh\necho mine\n"), None);
        assert!(!is_ours(b"#!/bin/sh\necho mine\n"));
    }
}
