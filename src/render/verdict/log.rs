//! Text for a CI job's log, where nothing a report says may become a command of the CI system.
//!
//! Control characters go (an ANSI escape forges GitLab's collapsible sections and Jenkins'
//! console notes; a carriage return hides what precedes it); Azure Pipelines' `##vso[` and
//! `##[`, which its agent reads anywhere in a line, are broken with a zero-width space; a line
//! that would start with a GitHub workflow command (`::error::`) gets a zero-width space in
//! front. What people read is unchanged.

/// `text` made safe for any CI log (see the module). Line breaks and tabs stay.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let clean: String = line.chars().filter(|c| *c == '\t' || !c.is_control()).collect();
        if clean.trim_start().starts_with("::") {
            out.push('\u{200B}');
        }
        out.push_str(&break_azure(&clean));
    }
    out
}

/// `##vso[` (in any case) and `##[` with a zero-width space between the two `#`.
fn break_azure(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for i in 0..bytes.len().saturating_sub(2) {
        let rest = &bytes[i + 2..];
        let command = rest.first() == Some(&b'[') || (rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"vso["));
        if bytes[i] == b'#' && bytes[i + 1] == b'#' && command {
            out.push_str(&line[last..=i]);
            out.push('\u{200B}');
            last = i + 1;
        }
    }
    out.push_str(&line[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_command_survives() {
        let hostile = "test_x ###vso[x] ##vso[task.setvariable variable=X]1 ##VSO[task.complete] ##[error]no\n  ::error::pwned\n\u{1b}[0Ksection_start:1:x\r";
        let s = safe(hostile);
        assert!(!s.to_ascii_lowercase().contains("##vso[") && !s.contains("##["), "{s}");
        assert!(s.lines().all(|l| !l.trim_start().starts_with("::")), "{s}");
        assert!(!s.contains('\u{1b}') && !s.contains('\r'));
        assert_eq!(safe("plain text\twith tab\nand ## hashes"), "plain text\twith tab\nand ## hashes");
    }
}
