//! Text for a CI job's log, where nothing a report says may become a command of the CI system.
//!
//! Control characters go (an ANSI escape forges GitLab's collapsible sections and Jenkins'
//! console notes; a carriage return hides what precedes it); Azure Pipelines' `##vso[` and
//! `##[`, which its agent reads anywhere in a line, become `#-#vso[` and `#-#[` (`break_azure`:
//! a visible character, since the agent looks for them with a culture-sensitive `IndexOf`, for
//! which ICU ignores a zero-width space); a line that would start with a GitHub workflow command
//! (`::error::`) gets a zero-width space in front. What people read is otherwise unchanged.

/// `text` made safe for any CI log (see the module). Line breaks and tabs stay.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Format characters go too: ICU reads through them, so `#\u{200B}#vso[` was `##vso[` to
        // the Azure agent, past `break_azure`.
        let clean: String = line.chars().filter(|c| *c == '\t' || !(c.is_control() || ignorable(*c))).collect();
        if clean.trim_start().starts_with("::") {
            out.push('\u{200B}');
        }
        out.push_str(&break_azure(&clean));
    }
    out
}

/// Whether `c` is a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`):
/// invisible, and skipped by a culture-sensitive search.
fn ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `##vso[` (in any case) and `##[` with a `-` between the two `#`: `#-#vso[`, `#-#[`. Not a
/// zero-width space, which the Azure agent's culture-sensitive search (ICU's collation, where
/// format characters are ignorable) reads through; a hyphen-minus weighs as much as a letter
/// there. The one neutraliser of Azure's commands: the human verdict's `one_line` uses it too.
pub(super) fn break_azure(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for i in 0..bytes.len().saturating_sub(2) {
        let rest = &bytes[i + 2..];
        let command = rest.first() == Some(&b'[') || (rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"vso["));
        if bytes[i] == b'#' && bytes[i + 1] == b'#' && command {
            out.push_str(&line[last..=i]);
            out.push('-');
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
        // Invisible characters inside a command, which ICU's search reads through, go first.
        for hidden in [
            "#\u{200B}#vso[task.setvariable variable=X]1",
            "##vso\u{2060}[x]",
            "#\u{FEFF}#[error]x",
            "\u{200B}::error::x",
        ] {
            let s = safe(hidden);
            assert!(!s.to_ascii_lowercase().contains("##vso[") && !s.contains("##[") && !s.starts_with("::"), "{s:?}");
            assert!(!s.chars().any(ignorable) || s.starts_with('\u{200B}'), "{s:?}");
        }
    }

    /// The agent's culture-sensitive search ignores a zero-width space (ICU: a format character),
    /// so what breaks a command must be visible: no character of the category ICU ignores
    /// (format, control) is what separates the two `#`.
    #[test]
    fn commands_are_broken_with_a_visible_character() {
        assert_eq!(
            safe("evil ##vso[task.setvariable variable=EVIL]yes ###VSO[x] ##[error]no"),
            "evil #-#vso[task.setvariable variable=EVIL]yes ##-#VSO[x] #-#[error]no"
        );
        let s = safe("a ##vso[task.prependpath]/tmp/evil-bin ##[group]x");
        assert!(!s.chars().any(|c| matches!(c, '\u{200B}'..='\u{200F}' | '\u{00AD}' | '\u{2060}' | '\u{FEFF}')), "{s}");
        let without_ignorables: String = s.chars().filter(|c| !c.is_control()).collect();
        assert!(!without_ignorables.contains("##vso[") && !without_ignorables.contains("##["), "{s}");
    }
}
