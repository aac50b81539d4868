//! Secrets in the lines a commit adds: well-known key formats, found by their fixed prefixes and
//! checked by shape (no regex engine to compile on every commit), and high-entropy values
//! assigned to secret-looking names.
//!
//! An allow-list keeps it quiet where it should be: `temis:allow-secret` (or gitleaks' and
//! detect-secrets' pragmas) on the line, the policy's `[secrets] allow` values and `allow_paths`
//! files, and documentation placeholders (`AKIAIOSFODNN7EXAMPLE`, `changeme`, `${TOKEN}`…).
//! Pure: lines in, findings out; only a redacted form of a secret ever leaves this module.

mod rules;

use crate::policy::Globs;
use memchr::memmem;

use crate::policy::SecretsPolicy;

pub use rules::RULES;

/// One possible secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub line: u32,
    /// Stable rule id (`aws-access-key-id`, `high-entropy-assignment`…).
    pub rule: &'static str,
    pub description: &'static str,
    /// The value with its middle hidden: `AKIA…(20 chars)…MPLE`.
    pub redacted: String,
    /// The line, with the value redacted, shortened to 160 characters.
    pub context: String,
}

/// Pragmas that mark a line as reviewed: not a secret.
pub const PRAGMAS: &[&str] = &["temis:allow-secret", "gitleaks:allow", "pragma: allowlist secret"];

/// The scanner, built once per run from the policy.
pub struct Scanner {
    finders: Vec<(memmem::Finder<'static>, &'static rules::Rule)>,
    pragmas: Vec<memmem::Finder<'static>>,
    allow: Option<Globs>,
    allow_paths: Option<Globs>,
    entropy: bool,
}

/// The allow-list's globs (checked when the policy was read).
fn globset(patterns: &[String]) -> Option<Globs> {
    if patterns.is_empty() {
        return None;
    }
    Globs::new(patterns).ok()
}

impl Scanner {
    pub fn new(policy: &SecretsPolicy) -> Scanner {
        let finders =
            RULES.iter().flat_map(|r| r.prefixes.iter().map(move |p| (memmem::Finder::new(p.as_bytes()), r))).collect();
        Scanner {
            finders,
            pragmas: PRAGMAS.iter().map(|p| memmem::Finder::new(p.as_bytes())).collect(),
            allow: globset(&policy.allow),
            allow_paths: globset(&policy.allow_paths),
            entropy: policy.entropy,
        }
    }

    /// Whether `path` is never scanned (`allow_paths`).
    pub fn skips(&self, path: &str) -> bool {
        self.allow_paths.as_ref().is_some_and(|s| s.is_match(path))
    }

    /// Scans one added line.
    pub fn scan_line(&self, path: &str, line: u32, text: &[u8], out: &mut Vec<Finding>) {
        if self.pragmas.iter().any(|f| f.find(text).is_some()) {
            return;
        }
        let mut found: Vec<(usize, usize, &'static rules::Rule)> = Vec::new();
        for (finder, rule) in &self.finders {
            for start in finder.find_iter(text) {
                if let Some(end) = (rule.shape)(text, start)
                    && !found.iter().any(|&(s, e, _)| s < end && start < e)
                {
                    found.push((start, end, rule));
                }
            }
        }
        if self.entropy
            && let Some((s, e)) = rules::entropy_assignment(text)
            && !found.iter().any(|&(fs, fe, _)| fs < e && s < fe)
        {
            found.push((s, e, &rules::ENTROPY));
        }
        found.sort_by_key(|f| f.0);
        for (s, e, rule) in found {
            let value = String::from_utf8_lossy(&text[s..e]);
            if rules::is_placeholder(&value) || self.allow.as_ref().is_some_and(|a| a.is_match(value.as_ref())) {
                continue;
            }
            let redacted = redact(&value);
            let shown =
                format!("{}{}{}", String::from_utf8_lossy(&text[..s]), redacted, String::from_utf8_lossy(&text[e..]));
            out.push(Finding {
                path: path.to_string(),
                line,
                rule: rule.id,
                description: rule.description,
                redacted,
                context: shorten(shown.trim(), 160),
            });
        }
    }
}

/// `AKIA…(20 chars)…MPLE`: enough to recognise, not enough to use.
pub fn redact(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…({} chars)…{tail}", chars.len())
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// Shannon entropy of `s`, in bits per character.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests;
