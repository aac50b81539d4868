//! Messages that are not checked: commitlint's default ignores (`@commitlint/is-ignored`) and the
//! policy's own `ignores` (globs on the header).

use crate::policy::CommitsPolicy;

/// Why `raw` is not checked, if it is not.
pub fn ignored(raw: &str, policy: &CommitsPolicy) -> Option<String> {
    let first = raw.split('\n').next().unwrap_or("").trim_end_matches('\r');
    for pat in &policy.ignores {
        if crate::policy::Globs::one(pat).is_ok_and(|g| g.is_match(first)) {
            return Some(format!("matches the policy's ignore pattern {pat:?}"));
        }
    }
    if !policy.default_ignores {
        return None;
    }
    default_ignore(raw, first).map(|what| format!("{what} (commitlint ignores these too)"))
}

fn default_ignore(raw: &str, first: &str) -> Option<&'static str> {
    // Multi-line patterns (`/m` in commitlint): any line of the message.
    for line in raw.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.starts_with("Merge pull request")
            || line.strip_prefix("Merge ").is_some_and(|r| r.contains(" into ") || r.starts_with("branch "))
        {
            return Some("a merge commit");
        }
        if line.starts_with("Merge tag ") {
            return Some("a tag merge");
        }
    }
    let starts = |p: &str| raw.starts_with(p);
    if starts("Revert ") || starts("revert ") {
        return Some("a revert");
    }
    if starts("Reapply ") || starts("reapply ") {
        return Some("a reapply");
    }
    if starts("amend!") || starts("fixup!") || starts("squash!") {
        return Some("an autosquash commit (fixup!, squash!, amend!)");
    }
    if is_release(first) {
        return Some("a release version");
    }
    if let Some(rest) = raw.strip_prefix("Merged ") {
        let first_rest = rest.split('\n').next().unwrap_or("");
        if first_rest.contains(" in ")
            || first_rest.contains(" into ")
            || (rest.starts_with("PR ") && first_rest.contains(": "))
        {
            return Some("a merge commit");
        }
    }
    if starts("Merge remote-tracking branch") || starts("Automatic merge") {
        return Some("a merge commit");
    }
    if raw.strip_prefix("Auto-merged ").is_some_and(|r| r.split('\n').next().unwrap_or("").contains(" into ")) {
        return Some("a merge commit");
    }
    None
}

/// A header that is only a version: `1.2.3`, `v2.0.0-rc.1`, `chore: 1.2.3 [skip ci]`.
fn is_release(first: &str) -> bool {
    let mut s = first;
    if let Some(rest) = s.strip_prefix("chore") {
        let rest = match rest.strip_prefix('(') {
            Some(r) => r.find(')').filter(|&i| i > 0).map_or(rest, |i| &r[i + 1..]),
            None => rest,
        };
        if let Some(r) = rest.strip_prefix(':') {
            s = r;
        }
    }
    let mut owned = s.to_string();
    for tag in ["[skip ci]", "[ci skip]", "[skip-ci]", "[ci-skip]", "(skip ci)", "(ci skip)", "(skip-ci)", "(ci-skip)"]
    {
        if let Some(i) = owned.to_ascii_lowercase().find(tag) {
            owned.replace_range(i..i + tag.len(), "");
            break;
        }
    }
    is_semver(owned.trim())
}

/// node-semver's `valid()`, strict mode: `v?MAJOR.MINOR.PATCH(-pre)?(+build)?`.
fn is_semver(s: &str) -> bool {
    let s = s.strip_prefix('v').or_else(|| s.strip_prefix('=')).unwrap_or(s);
    let (core, build) = s.split_once('+').map_or((s, None), |(a, b)| (a, Some(b)));
    let (core, pre) = core.split_once('-').map_or((core, None), |(a, b)| (a, Some(b)));
    let ident_ok = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let num_ok = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()) && (x == "0" || !x.starts_with('0'));
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| num_ok(p))
        && pre.is_none_or(|p| p.split('.').all(ident_ok))
        && build.is_none_or(|b| b.split('.').all(ident_ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_semver_headers() {
        for yes in ["1.2.3", "v2.0.0-rc.1", "chore: 1.2.3 [skip ci]", "chore(release): v1.0.0", "1.0.0+build.5"] {
            assert!(is_release(yes), "{yes}");
        }
        for no in ["1.2", "01.2.3", "chore: release 1.2.3", "feat: 1.2.3"] {
            assert!(!is_release(no), "{no}");
        }
    }
}
