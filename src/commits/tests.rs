use super::*;

fn rules(lint: &Lint, level: Level) -> Vec<&'static str> {
    let mut v: Vec<_> = lint.problems().iter().filter(|p| p.level == level).map(|p| p.rule).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Every case in `tests/fixtures/commits/commitlint-cases.json` was run through
/// `commitlint` 20 with `@commitlint/config-conventional` (`ci/commitlint_cases.py` regenerates
/// it); temis must break the same rules at the same levels.
#[test]
fn the_same_rules_as_commitlint_on_every_recorded_case() {
    let text = include_str!("../../tests/fixtures/commits/commitlint-cases.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    assert!(cases.len() >= 40);
    let policy = CommitsPolicy::default();
    for case in cases {
        let message = case["message"].as_str().unwrap();
        let want = |k: &str| -> Vec<String> {
            case[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        };
        let got = lint(message, &policy);
        assert_eq!(rules(&got, Level::Error), want("errors"), "errors for {message:?}: {got:?}");
        assert_eq!(rules(&got, Level::Warning), want("warnings"), "warnings for {message:?}: {got:?}");
    }
}

#[test]
fn problems_name_the_line_and_the_rule() {
    let msg = "Feat: Add it.\n\nbody\nBREAKING CHANGE: x\n# Please enter the commit message\n";
    let got = lint(msg, &CommitsPolicy::default());
    let shown: Vec<_> = got.problems().iter().map(|p| (p.line, p.rule, p.level)).collect();
    assert_eq!(
        shown,
        vec![
            (1, "type-case", Level::Error),
            (1, "type-enum", Level::Error),
            (1, "subject-case", Level::Error),
            (1, "subject-full-stop", Level::Error),
            (4, "footer-leading-blank", Level::Warning),
        ]
    );
    assert!(got.blocks(&CommitsPolicy::default()));
    let Lint::Checked { parsed, .. } = &got else { panic!() };
    assert!(parsed.breaking);
}

#[test]
fn warnings_only_block_when_the_policy_says_so() {
    let msg = "fix: x\nbody without a blank line\n";
    let mut policy = CommitsPolicy::default();
    assert!(!lint(msg, &policy).blocks(&policy));
    policy.warnings_block = true;
    assert!(lint(msg, &policy).blocks(&policy));
}

#[test]
fn the_policy_configures_types_scopes_lengths_and_ignores() {
    let policy = CommitsPolicy {
        types: vec!["feat".into(), "fix".into()],
        scopes: vec!["api".into(), "ui".into()],
        require_scope: true,
        header_max_length: 20,
        ignores: vec!["WIP*".into()],
        ..CommitsPolicy::default()
    };
    assert_eq!(rules(&lint("docs(api): x", &policy), Level::Error), vec!["type-enum"]);
    assert_eq!(rules(&lint("feat(db): x", &policy), Level::Error), vec!["scope-enum"]);
    assert_eq!(rules(&lint("feat: x", &policy), Level::Error), vec!["scope-empty"]);
    assert_eq!(rules(&lint("feat(ui): a longer subject", &policy), Level::Error), vec!["header-max-length"]);
    assert!(matches!(lint("WIP do not merge", &policy), Lint::Ignored(_)));
    let strict = CommitsPolicy { default_ignores: false, ..CommitsPolicy::default() };
    assert_eq!(rules(&lint("fixup! feat: x", &strict), Level::Error), vec!["subject-empty", "type-empty"]);
}

#[test]
fn comments_and_empty_messages() {
    assert_eq!(lint("\n# only a comment\n", &CommitsPolicy::default()), Lint::Empty);
    // `git commit -m "#42 Bad Subject."` commits the line (git keeps `#` lines without an editor).
    let hashed = lint("#42 Bad Subject.\n", &CommitsPolicy::default());
    assert!(rules(&hashed, Level::Error).contains(&"type-empty"), "{hashed:?}");
    // With -m given twice the first `#` line is the subject git commits ("feat: x" let it pass);
    // with an editor (`-e`), git drops it, and "feat: x" is the subject.
    let two = lint("#42 fix\n\nfeat: x\n", &CommitsPolicy::default());
    assert!(rules(&two, Level::Error).contains(&"type-empty"), "{two:?}");
    let edited = "#42 fix\n\nfeat: x\n\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored, and an empty message aborts the commit.\n#\n# On branch main\n";
    assert!(
        lint(edited, &CommitsPolicy::default()).problems().is_empty(),
        "{:?}",
        lint(edited, &CommitsPolicy::default())
    );
    // In the hook git says which: a template of its own whose first line is a `#` line, with
    // `commit.status = false` (no "Please enter" lines), is dropped when an editor was opened.
    let templated = "# type(scope): subject\n\nfeat: add x\n";
    assert!(lint_with(templated, &CommitsPolicy::default(), Comments::Dropped).problems().is_empty());
    assert!(!lint_with(templated, &CommitsPolicy::default(), Comments::Kept).problems().is_empty());
    // Without an editor a `#` body line is the message's own (kept, judged as body).
    let body = "feat: x\n\n#42 is fixed by this and this line is far too long for the body limit of one hundred characters, which it passes\n";
    let kept = lint_with(body, &CommitsPolicy::default(), Comments::Kept);
    assert!(!kept.problems().is_empty(), "{kept:?}");
    assert!(lint_with(body, &CommitsPolicy::default(), Comments::Dropped).problems().is_empty());
    let msg = "feat: x\n\n# Please enter\n# ------------------------ >8 ------------------------\n+ a very long diff line that would otherwise be way over the body limit of one hundred characters....\n";
    assert!(lint(msg, &CommitsPolicy::default()).problems().is_empty());
}
