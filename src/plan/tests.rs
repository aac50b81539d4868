//! The accepted layouts read into the same phases; unreadable plans are refused with their line.

use super::*;

const TEMIS: &str = "---
approved: true
---
# JWT authentication

Overview prose with a - [ ] checkbox that is not in a phase.

## Phase 1: Database schema (Maat)

Type: feat
Reports: reports/phase-1/coverage.xml, reports/phase-1/junit.xml

### Tasks
- [x] Create the user table
- [ ] Create the token table
  - a detail under the task

### Test requirements
1. User table creation
2. Unique constraint on email

### Risks
- Zero-downtime migration

## Phase 2: Backend services (Hermes)

### Tasks
- [ ] JWT service

```sh
- [ ] not a task: inside a code block
```

## Deployment

Run the migration first.

## FAQ
- [ ] not a task either
";

const SPECKIT: &str = "# Tasks: JWT authentication

**Input**: Design documents from `/specs/001-jwt/`

## Format: `[ID] [P?] [Story] Description`

## Phase 1: Database schema

**Purpose**: the tables

- [x] T001 Create the user table
- [ ] T002 [P] Create the token table

**Checkpoint**: schema ready

---

## Phase 2: Backend services

### Implementation for User Story 1

- [ ] T003 [US1] JWT service

## Dependencies & Execution Order
- [ ] T999 not in a phase
";

const CONDUCTOR: &str = "## Plan: JWT authentication

Add login with tokens, in two phases.

**Phases 2**
1. **Phase 1: Database schema (Maat)**
    - **Objective:** Store users and tokens
    - **Files/Functions to Modify/Create:** store.py
    - **Tests to Write:**
        - User table creation
        - Unique constraint on email
    - **Steps:**
        1. [x] Create the user table
        2. [ ] Create the token table
2. **Phase 2: Backend services (Hermes)**
    - **Objective:** Issue tokens
    - **Steps:**
        1. [ ] JWT service

**Open Questions**
1. Cookies or headers? Cookies / headers
";

const KIRO: &str = "# Implementation Plan

- [ ] 1. Database schema
  - [x] 1.1 Create the user table
  - [ ] 1.2 Create the token table
  - _Requirements: 1.1_
- [ ] 2. Backend services
  - [ ] 2.1 JWT service
";

type Shape = Vec<(u32, String, Vec<(Option<bool>, String)>)>;

fn shape(plan: &Plan) -> Shape {
    plan.phases
        .iter()
        .map(|p| (p.number, p.title.clone(), p.tasks.iter().map(|t| (t.done, t.text.clone())).collect()))
        .collect()
}

#[test]
fn every_layout_reads_into_the_same_phases() {
    let expected = vec![
        (
            1,
            "Database schema".to_string(),
            vec![
                (Some(true), "Create the user table".to_string()),
                (Some(false), "Create the token table".to_string()),
            ],
        ),
        (2, "Backend services".to_string(), vec![(Some(false), "JWT service".to_string())]),
    ];
    for (name, text, layout) in [
        ("temis", TEMIS, Layout::Headings),
        ("spec-kit", SPECKIT, Layout::Headings),
        ("conductor", CONDUCTOR, Layout::Conductor),
        ("kiro", KIRO, Layout::Kiro),
    ] {
        let plan = read(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(plan.layout, layout, "{name}");
        assert_eq!(shape(&plan), expected, "{name}");
        assert_eq!(
            plan.title.as_deref(),
            Some(if name == "kiro" { "Implementation Plan" } else { "JWT authentication" })
        );
    }
}

#[test]
fn the_temis_layout_keeps_owner_type_tests_risks_reports_and_deployment() {
    let plan = read(TEMIS).unwrap();
    assert!(plan.front.flag("approved"));
    let p1 = &plan.phases[0];
    assert_eq!(p1.owner.as_deref(), Some("Maat"));
    assert_eq!(p1.kind.as_deref(), Some("feat"));
    assert_eq!(p1.tests, ["User table creation", "Unique constraint on email"]);
    assert_eq!(p1.risks, ["Zero-downtime migration"]);
    assert_eq!(p1.reports, ["reports/phase-1/coverage.xml", "reports/phase-1/junit.xml"]);
    assert_eq!(p1.line, 8, "lines count the front matter");
    assert_eq!(p1.tasks[0].line, 14);
    assert_eq!(plan.phases[1].owner.as_deref(), Some("Hermes"));
    assert_eq!(plan.deployment.as_deref(), Some("Run the migration first."));
}

#[test]
fn conductor_fields_and_speckit_markers_are_read() {
    let c = read(CONDUCTOR).unwrap();
    assert_eq!(c.phases[0].owner.as_deref(), Some("Maat"));
    assert_eq!(c.phases[0].objective.as_deref(), Some("Store users and tokens"));
    assert_eq!(c.phases[0].tests, ["User table creation", "Unique constraint on email"]);
    let s = read(SPECKIT).unwrap();
    let t = &s.phases[0].tasks[1];
    assert_eq!((t.id.as_deref(), t.parallel), (Some("T002"), true));
    assert_eq!(s.phases[1].tasks[0].story.as_deref(), Some("US1"));
    let k = read(KIRO).unwrap();
    assert_eq!(k.phases[0].tasks[1].id.as_deref(), Some("1.2"));
}

#[test]
fn conductor_steps_without_checkboxes_are_tasks_with_no_state() {
    let text = "## Plan: X\n\n1. **Phase 1: Only**\n    - **Steps:**\n        1. Write the test\n            - detail\n        2. Make it pass\n";
    let plan = read(text).unwrap();
    let tasks: Vec<_> = plan.phases[0].tasks.iter().map(|t| (t.done, t.text.as_str())).collect();
    assert_eq!(tasks, [(None, "Write the test"), (None, "Make it pass")]);
    assert_eq!(plan.phases[0].progress(), (0, 0));
}

#[test]
fn spec_kit_parentheses_stay_in_the_title() {
    let text = "## Phase 1: Foundational (Blocking Prerequisites)\n- [ ] T004 Set up\n";
    let plan = read(text).unwrap();
    assert_eq!(plan.phases[0].title, "Foundational (Blocking Prerequisites)");
    assert_eq!(plan.phases[0].owner, None);
}

#[test]
fn headings_that_begin_with_the_word_phase_and_open_no_phase_are_prose() {
    let plan = read("## Phase overview\nWe go in two.\n\n## Phase 1: A\n- [ ] a\n\n## Phases\n").unwrap();
    assert_eq!(plan.phases.len(), 1);
    // Deeper or higher headings, and bold prose in a Conductor plan, are no phase heading.
    let plan = read("# Phase 1 rollout plan\n\n## Phase 1: A\n\n### Phase 2 notes\n- [ ] a\n").unwrap();
    assert_eq!((plan.phases.len(), plan.phases[0].tasks.len()), (1, 1));
    let plan = read("# P\n\n1. **Phase 1: Setup**\n   - **Phase 2 depends on 1**\n").unwrap();
    assert_eq!(plan.phases.len(), 1);
}

#[test]
fn unreadable_plans_are_refused_with_their_line() {
    let cases = [
        ("# Plan\n\nJust prose.\n", 1, "no phase found"),
        ("---\napproved: true\n# Plan\n## Phase 1: A\n", 1, "never closed"),
        ("## Phase 1: A\n\n## Phase 1: B\n", 3, "appears twice"),
        ("## Phase 1: A\n\n## Phase 3: C\n", 3, "where phase 2 was expected"),
        ("## Phase 1:\n- [ ] x\n", 1, "has no title"),
        ("---\nx: 1\n---\n## Phase 1: A\n- [y] done?\n", 5, "not a task state"),
        ("# P\n\n1. **Phase 2: Late**\n", 3, "where phase 1 was expected"),
        // A heading temis cannot read was passed over with its tasks: the plan lost the phase.
        ("## Phase 1: A\n- [x] a\n\n## Phase 2 (Bob)\n- [ ] b\n", 4, "no `:` after its number 2"),
        ("## Phase 1: A\n\n## Phase 2a: B\n", 3, "not a phase heading temis reads"),
        ("## Phase 1: A\n\n## Phase Two: B\n", 3, "its number is not in digits"),
    ];
    for (text, line, says) in cases {
        let e = read(text).unwrap_err();
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.message.contains(says), "{text:?}: {e}");
    }
}

#[test]
fn a_task_list_after_an_inline_reports_line_holds_tasks_not_reports() {
    let text = "# X\n\n## Phase 1: One (Ada)\n\nReports: a.xml, b.xml\n\n- [ ] first\n- [x] second\n\n## Phase 2: Two\n\nReports:\n- c.xml\n- [ ] third\n";
    let plan = read(text).unwrap();
    let p1 = &plan.phases[0];
    assert_eq!(p1.reports, ["a.xml", "b.xml"]);
    assert_eq!(p1.tasks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["first", "second"]);
    let p2 = &plan.phases[1];
    assert_eq!(p2.reports, ["c.xml"], "a listed report, and a checkbox that is a task");
    assert_eq!(p2.tasks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["third"]);
}

#[test]
fn a_phase_declares_performance_budgets() {
    use crate::model::bench::Stat;
    let text = "# X\n\n## Phase 1: One (Ada)\n\nBudget: verify_token p95 < 10 ms; parse/* <= 2.5s\n\n## Phase 2: Two\n\nBudgets:\n- `sign` < 250us\n- [ ] a task\n";
    let plan = read(text).unwrap();
    let b = &plan.phases[0].budgets;
    assert_eq!(b.len(), 2);
    assert_eq!(
        (b[0].name.as_str(), b[0].stat, b[0].max, b[0].max_text.as_str()),
        ("verify_token", Stat::P95, 10e6, "10 ms")
    );
    assert_eq!((b[1].name.as_str(), b[1].stat, b[1].max), ("parse/*", Stat::Mean, 2.5e9));
    // `<` keeps the limit out; `<=` lets it in.
    assert_eq!((b[0].strict, b[1].strict), (true, false));
    let b = &plan.phases[1].budgets;
    assert_eq!((b.len(), b[0].name.as_str(), b[0].max), (1, "sign", 250e3));
    assert_eq!(plan.phases[1].tasks.len(), 1, "a checkbox under Budgets is still a task");
}

#[test]
fn a_budget_that_cannot_be_read_is_a_plan_error_on_its_line() {
    for (line, why) in [
        ("Budget: verify_token p95 10 ms", "no `<`"),
        ("Budget: verify_token p95 < fast", "not a duration"),
        ("Budget: verify token p95 < 10 ms", "one word"),
        // Go's ns/op copied in: a bare number was milliseconds, a budget a million times looser.
        ("Budget: BenchmarkParse < 9944331", "not a duration with its unit"),
    ] {
        let text = format!("# X\n\n## Phase 1: One (Ada)\n\n{line}\n");
        let e = read(&text).unwrap_err();
        assert_eq!(e.line, 5, "{line}: {e:?}");
        assert!(e.message.contains(why), "{line}: {}", e.message);
    }
}

/// A plan saved with a byte-order mark (Windows editors): its title was not read, and its
/// approval was not found after the mark.
#[test]
fn a_byte_order_mark_is_no_part_of_the_plan() {
    let plan = read("\u{feff}# Auth Feature\r\n\r\n## Phase 1: Store\r\n- [ ] Table\r\n").unwrap();
    assert_eq!(plan.title.as_deref(), Some("Auth Feature"));
    assert_eq!(plan.phases.len(), 1);
    let approved = "\u{feff}---\r\napproved: true\r\n---\r\n\r\n# Auth Feature\r\n\r\n## Phase 1: Store\r\n";
    assert!(read(approved).unwrap().front.flag("approved"));
}
