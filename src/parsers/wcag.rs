//! WCAG levels: the success criterion → level table, axe-core's tags, and axe-core's rules.
//!
//! axe results carry their rules' tags (`wcag2a`, `wcag143`…), so the level of an axe or
//! Lighthouse violation comes from the report itself. pa11y's reports do not: with the htmlcs
//! runner the level comes from the success criterion in the code (`WCAG2AA.…1_1_1.H30.2` is
//! 1.1.1, level A: the `WCAG2AA` prefix names the standard that was run, not the level), with
//! the axe runner from the rule's tags in axe-core, kept here in [`AXE_RULES`].

use crate::model::a11y::Level;

/// WCAG 2.0, 2.1 and 2.2 success criteria by level (4.1.1 Parsing, obsolete in 2.2, kept at A
/// for reports made against 2.0/2.1).
const LEVEL_A: &[&str] = &[
    "1.1.1", "1.2.1", "1.2.2", "1.2.3", "1.3.1", "1.3.2", "1.3.3", "1.4.1", "1.4.2", "2.1.1", "2.1.2", "2.1.4",
    "2.2.1", "2.2.2", "2.3.1", "2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "3.1.1",
    "3.2.1", "3.2.2", "3.2.6", "3.3.1", "3.3.2", "3.3.7", "4.1.1", "4.1.2",
];
const LEVEL_AA: &[&str] = &[
    "1.2.4", "1.2.5", "1.3.4", "1.3.5", "1.4.3", "1.4.4", "1.4.5", "1.4.10", "1.4.11", "1.4.12", "1.4.13", "2.4.5",
    "2.4.6", "2.4.7", "2.4.11", "2.5.7", "2.5.8", "3.1.2", "3.2.3", "3.2.4", "3.3.3", "3.3.4", "3.3.8", "4.1.3",
];
const LEVEL_AAA: &[&str] = &[
    "1.2.6", "1.2.7", "1.2.8", "1.2.9", "1.3.6", "1.4.6", "1.4.7", "1.4.8", "1.4.9", "2.1.3", "2.2.3", "2.2.4",
    "2.2.5", "2.2.6", "2.3.2", "2.3.3", "2.4.8", "2.4.9", "2.4.10", "2.4.12", "2.4.13", "2.5.5", "2.5.6", "3.1.3",
    "3.1.4", "3.1.5", "3.1.6", "3.2.5", "3.3.5", "3.3.6", "3.3.9",
];

/// The level of a success criterion (`1.4.3` → AA).
pub fn criterion_level(sc: &str) -> Option<Level> {
    if LEVEL_A.contains(&sc) {
        Some(Level::A)
    } else if LEVEL_AA.contains(&sc) {
        Some(Level::AA)
    } else if LEVEL_AAA.contains(&sc) {
        Some(Level::AAA)
    } else {
        None
    }
}

/// The level an axe tag names: `wcag2a`, `wcag21a`, `wcag22a` → A; `…aa` → AA; `…aaa` → AAA.
/// `wcag2a-obsolete` (4.1.1, removed in WCAG 2.2) names none.
pub fn tag_level(tag: &str) -> Option<Level> {
    let rest = tag.strip_prefix("wcag2")?;
    let rest = rest.strip_prefix(['1', '2']).unwrap_or(rest);
    match rest {
        "a" => Some(Level::A),
        "aa" => Some(Level::AA),
        "aaa" => Some(Level::AAA),
        _ => None,
    }
}

/// The success criterion an axe tag names: `wcag143` → `1.4.3`, `wcag1410` → `1.4.10`.
pub fn tag_criterion(tag: &str) -> Option<String> {
    let digits = tag.strip_prefix("wcag")?;
    if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4 {
        return None;
    }
    Some(format!("{}.{}.{}", &digits[..1], &digits[1..2], &digits[2..]))
}

/// The lowest level and the criteria named by a rule's axe tags.
pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> (Option<Level>, Vec<String>) {
    let mut level: Option<Level> = None;
    let mut criteria = Vec::new();
    for t in tags {
        if let Some(l) = tag_level(t) {
            level = Some(level.map_or(l, |m| m.min(l)));
        } else if let Some(sc) = tag_criterion(t)
            && !criteria.contains(&sc)
        {
            criteria.push(sc);
        }
    }
    (level, criteria)
}

/// The success criterion in an HTML_CodeSniffer code:
/// `WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141` → `1.3.1`.
pub fn htmlcs_criterion(code: &str) -> Option<String> {
    let mut parts = code.split('.');
    if !parts.next()?.starts_with("WCAG2") {
        return None;
    }
    let _principle = parts.next()?;
    let _guideline = parts.next()?;
    let sc = parts.next()?;
    let mut nums = sc.split('_');
    let (a, b, c) = (nums.next()?, nums.next()?, nums.next()?);
    let ok = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    (ok(a) && ok(b) && ok(c)).then(|| format!("{a}.{b}.{c}"))
}

/// An axe rule's level and criteria, from axe-core's own rule metadata.
pub fn axe_rule(rule: &str) -> Option<(Option<Level>, &'static [&'static str])> {
    AXE_RULES.binary_search_by(|(id, _, _)| (*id).cmp(rule)).ok().map(|i| (AXE_RULES[i].1, AXE_RULES[i].2))
}

/// axe-core 4.13.0's rules (`axe.getRules()`; 4.11.4, which pa11y 9 bundles, has the same
/// tags and lacks only `aria-tab-name`): id, lowest WCAG level of its tags (`None`: best
/// practice, experimental or obsolete), success criteria. Sorted by id.
pub const AXE_RULES: &[(&str, Option<Level>, &[&str])] = &[
    ("accesskeys", None, &[]),
    ("area-alt", Some(Level::A), &["2.4.4", "4.1.2"]),
    ("aria-allowed-attr", Some(Level::A), &["4.1.2"]),
    ("aria-allowed-role", None, &[]),
    ("aria-braille-equivalent", Some(Level::A), &["4.1.2"]),
    ("aria-command-name", Some(Level::A), &["4.1.2"]),
    ("aria-conditional-attr", Some(Level::A), &["4.1.2"]),
    ("aria-deprecated-role", Some(Level::A), &["4.1.2"]),
    ("aria-dialog-name", None, &[]),
    ("aria-hidden-body", Some(Level::A), &["1.3.1", "4.1.2"]),
    ("aria-hidden-focus", Some(Level::A), &["4.1.2"]),
    ("aria-input-field-name", Some(Level::A), &["4.1.2"]),
    ("aria-meter-name", Some(Level::A), &["1.1.1"]),
    ("aria-progressbar-name", Some(Level::A), &["1.1.1"]),
    ("aria-prohibited-attr", Some(Level::A), &["4.1.2"]),
    ("aria-required-attr", Some(Level::A), &["4.1.2"]),
    ("aria-required-children", Some(Level::A), &["1.3.1"]),
    ("aria-required-parent", Some(Level::A), &["1.3.1"]),
    ("aria-roledescription", Some(Level::A), &["4.1.2"]),
    ("aria-roles", Some(Level::A), &["4.1.2"]),
    ("aria-tab-name", Some(Level::A), &["4.1.2"]),
    ("aria-text", None, &[]),
    ("aria-toggle-field-name", Some(Level::A), &["4.1.2"]),
    ("aria-tooltip-name", Some(Level::A), &["4.1.2"]),
    ("aria-treeitem-name", None, &[]),
    ("aria-valid-attr", Some(Level::A), &["4.1.2"]),
    ("aria-valid-attr-value", Some(Level::A), &["4.1.2"]),
    ("audio-caption", Some(Level::A), &["1.2.1"]),
    ("autocomplete-valid", Some(Level::AA), &["1.3.5"]),
    ("avoid-inline-spacing", Some(Level::AA), &["1.4.12"]),
    ("blink", Some(Level::A), &["2.2.2"]),
    ("button-name", Some(Level::A), &["4.1.2"]),
    ("bypass", Some(Level::A), &["2.4.1"]),
    ("color-contrast", Some(Level::AA), &["1.4.3"]),
    ("color-contrast-enhanced", Some(Level::AAA), &["1.4.6"]),
    ("css-orientation-lock", Some(Level::AA), &["1.3.4"]),
    ("definition-list", Some(Level::A), &["1.3.1"]),
    ("dlitem", Some(Level::A), &["1.3.1"]),
    ("document-title", Some(Level::A), &["2.4.2"]),
    ("duplicate-id", None, &["4.1.1"]),
    ("duplicate-id-active", None, &["4.1.1"]),
    ("duplicate-id-aria", Some(Level::A), &["4.1.2"]),
    ("empty-heading", None, &[]),
    ("empty-table-header", None, &[]),
    ("focus-order-semantics", None, &[]),
    ("form-field-multiple-labels", Some(Level::A), &["3.3.2"]),
    ("frame-focusable-content", Some(Level::A), &["2.1.1"]),
    ("frame-tested", None, &[]),
    ("frame-title", Some(Level::A), &["4.1.2"]),
    ("frame-title-unique", Some(Level::A), &["4.1.2"]),
    ("heading-order", None, &[]),
    ("hidden-content", None, &[]),
    ("html-has-lang", Some(Level::A), &["3.1.1"]),
    ("html-lang-valid", Some(Level::A), &["3.1.1"]),
    ("html-xml-lang-mismatch", Some(Level::A), &["3.1.1"]),
    ("identical-links-same-purpose", Some(Level::AAA), &["2.4.9"]),
    ("image-alt", Some(Level::A), &["1.1.1"]),
    ("image-redundant-alt", None, &[]),
    ("input-button-name", Some(Level::A), &["4.1.2"]),
    ("input-image-alt", Some(Level::A), &["1.1.1", "4.1.2"]),
    ("label", Some(Level::A), &["4.1.2"]),
    ("label-content-name-mismatch", Some(Level::A), &["2.5.3"]),
    ("label-title-only", None, &[]),
    ("landmark-banner-is-top-level", None, &[]),
    ("landmark-complementary-is-top-level", None, &[]),
    ("landmark-contentinfo-is-top-level", None, &[]),
    ("landmark-main-is-top-level", None, &[]),
    ("landmark-no-duplicate-banner", None, &[]),
    ("landmark-no-duplicate-contentinfo", None, &[]),
    ("landmark-no-duplicate-main", None, &[]),
    ("landmark-one-main", None, &[]),
    ("landmark-unique", None, &[]),
    ("link-in-text-block", Some(Level::A), &["1.4.1"]),
    ("link-name", Some(Level::A), &["2.4.4", "4.1.2"]),
    ("list", Some(Level::A), &["1.3.1"]),
    ("listitem", Some(Level::A), &["1.3.1"]),
    ("marquee", Some(Level::A), &["2.2.2"]),
    ("meta-refresh", Some(Level::A), &["2.2.1"]),
    ("meta-refresh-no-exceptions", Some(Level::AAA), &["2.2.4", "3.2.5"]),
    ("meta-viewport", Some(Level::AA), &["1.4.4"]),
    ("meta-viewport-large", None, &[]),
    ("nested-interactive", Some(Level::A), &["4.1.2"]),
    ("no-autoplay-audio", Some(Level::A), &["1.4.2"]),
    ("object-alt", Some(Level::A), &["1.1.1"]),
    ("p-as-heading", Some(Level::A), &["1.3.1"]),
    ("page-has-heading-one", None, &[]),
    ("presentation-role-conflict", None, &[]),
    ("region", None, &[]),
    ("role-img-alt", Some(Level::A), &["1.1.1"]),
    ("scope-attr-valid", None, &[]),
    ("scrollable-region-focusable", Some(Level::A), &["2.1.1", "2.1.3"]),
    ("select-name", Some(Level::A), &["4.1.2"]),
    ("server-side-image-map", Some(Level::A), &["2.1.1"]),
    ("skip-link", None, &[]),
    ("summary-name", Some(Level::A), &["4.1.2"]),
    ("svg-img-alt", Some(Level::A), &["1.1.1"]),
    ("tabindex", None, &[]),
    ("table-duplicate-name", None, &[]),
    ("table-fake-caption", Some(Level::A), &["1.3.1"]),
    ("target-size", Some(Level::AA), &["2.5.8"]),
    ("td-has-header", Some(Level::A), &["1.3.1"]),
    ("td-headers-attr", Some(Level::A), &["1.3.1"]),
    ("th-has-data-cells", Some(Level::A), &["1.3.1"]),
    ("valid-lang", Some(Level::AA), &["3.1.2"]),
    ("video-caption", Some(Level::A), &["1.2.2"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_give_levels_and_criteria() {
        assert_eq!(tag_level("wcag2a"), Some(Level::A));
        assert_eq!(tag_level("wcag21aa"), Some(Level::AA));
        assert_eq!(tag_level("wcag22aa"), Some(Level::AA));
        assert_eq!(tag_level("wcag2aaa"), Some(Level::AAA));
        assert_eq!(tag_level("wcag2a-obsolete"), None);
        assert_eq!(tag_level("wcag143"), None);
        assert_eq!(tag_criterion("wcag1410").as_deref(), Some("1.4.10"));
        assert_eq!(tag_criterion("wcag2a"), None);
        let (level, sc) = from_tags(["cat.color", "wcag2aa", "wcag143", "best-practice"]);
        assert_eq!((level, sc), (Some(Level::AA), vec!["1.4.3".to_string()]));
        assert_eq!(from_tags(["best-practice", "cat.keyboard"]).0, None);
    }

    #[test]
    fn htmlcs_codes_give_the_criterion_not_the_standard() {
        let sc = htmlcs_criterion("WCAG2AA.Principle1.Guideline1_1.1_1_1.H30.2").unwrap();
        assert_eq!((sc.as_str(), criterion_level(&sc)), ("1.1.1", Some(Level::A)));
        let sc = htmlcs_criterion("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail").unwrap();
        assert_eq!(criterion_level(&sc), Some(Level::AA));
        assert_eq!(htmlcs_criterion("WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141").as_deref(), Some("1.3.1"));
        assert_eq!(htmlcs_criterion("color-contrast"), None);
        assert_eq!(htmlcs_criterion("WCAG2AA.x"), None);
    }

    #[test]
    fn the_axe_rule_table_is_sorted_and_consistent() {
        assert!(AXE_RULES.windows(2).all(|w| w[0].0 < w[1].0));
        for (id, level, criteria) in AXE_RULES {
            if let Some(l) = level {
                let lowest = criteria.iter().filter_map(|c| criterion_level(c)).min();
                assert_eq!(lowest, Some(*l), "{id}");
            }
        }
        assert_eq!(axe_rule("color-contrast").map(|r| r.0), Some(Some(Level::AA)));
        assert_eq!(axe_rule("region").map(|r| r.0), Some(None));
        assert_eq!(axe_rule("no-such-rule"), None);
    }
}
