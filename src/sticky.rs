//! One note per change request, found again by a hidden marker and updated in place: GitHub's
//! pull-request comment, GitLab's merge-request note, Azure DevOps' pull-request thread.
//!
//! Each platform's client says how to list, create and update its notes ([`Notes`]); the rule
//! is here, once ([`is_own`]): the first note whose body starts with the marker (temis writes it
//! first; a reviewer's note quoting temis's holds it further on, and is a person's) and, when an
//! author is given, was written by them, is updated; there is a new note only when there is none
//! and one is wanted. A second run therefore never adds a second note, and never takes over
//! anyone else's.

/// The hidden marker that finds the note again: one per name (`--check-name`), and one name per
/// marker. ASCII letters, digits, `-`, `_` and `.` are kept (a plain name's marker is what it
/// always was, so earlier notes are found again); every other byte is percent-encoded (`%3A`),
/// `%` too, so "lint: python" and "lint (python)" keep a note each, and nothing in the name can
/// end the HTML comment.
pub fn marker(name: &str) -> String {
    use std::fmt::Write;
    let mut key = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            key.push(char::from(b));
        } else {
            let _ = write!(key, "%{b:02X}");
        }
    }
    format!("<!-- temis:sticky-comment name={key} -->")
}

/// A note as a platform lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note<Id> {
    pub id: Id,
    pub body: String,
    /// The author's login, when the platform says it.
    pub author: Option<String>,
}

/// A platform's notes on one change request.
pub trait Notes {
    /// What the platform identifies a note by.
    type Id: Clone;
    type Error;

    /// Every note on the change request, oldest first.
    fn list(&self) -> Result<Vec<Note<Self::Id>>, Self::Error>;
    /// Posts `body` as a new note; its id.
    fn create(&self, body: &str) -> Result<Self::Id, Self::Error>;
    /// Replaces the note's text with `body`; its id.
    fn update(&self, note: &Note<Self::Id>, body: &str) -> Result<Self::Id, Self::Error>;
}

/// Whether `note` is temis's own note of `marker`: its body starts with the marker (leading
/// white space aside), and, when `author` is given, the platform names that author (in any case).
pub fn is_own<Id>(note: &Note<Id>, marker: &str, author: Option<&str>) -> bool {
    note.body.trim_start().starts_with(marker)
        && author.is_none_or(|a| note.author.as_deref().is_some_and(|w| w.eq_ignore_ascii_case(a)))
}

/// Which step of [`upsert`] failed, with the platform's error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failed<E> {
    /// The notes could not be listed: nothing was written.
    Listing(E),
    /// There was no note of temis's and a new one could not be posted.
    Creating(E),
    /// temis's own note could not be updated: it still shows an earlier verdict.
    Updating(E),
}

impl<E> Failed<E> {
    pub fn error(&self) -> &E {
        match self {
            Failed::Listing(e) | Failed::Creating(e) | Failed::Updating(e) => e,
        }
    }

    /// What failed, for people: `what` is the note (`the merge-request note`), `on` the change
    /// it is on (`the merge request`). An update refused says that the note there is stale.
    pub fn said(&self, what: &str, on: &str) -> String {
        match self {
            Failed::Listing(_) | Failed::Creating(_) => format!("{what} was not written"),
            Failed::Updating(_) => {
                format!("{what} was not updated, so the note on {on} still shows an earlier verdict")
            }
        }
    }
}

/// The marker temis wrote, before names were encoded, for the name `marker` encodes, when it differs:
/// it kept only the letters, digits, `-`, `_` and `.` (`lint: python` was `lintpython`) — today's
/// key without its `%XX` escapes, since [`marker`] escapes exactly every other byte.
fn legacy_marker(marker: &str) -> Option<String> {
    let key = marker.strip_prefix("<!-- temis:sticky-comment name=")?.strip_suffix(" -->")?;
    if !key.contains('%') {
        return None;
    }
    let old: String =
        key.split('%').enumerate().map(|(i, part)| if i == 0 { part } else { part.get(2..).unwrap_or("") }).collect();
    Some(format!("<!-- temis:sticky-comment name={old} -->"))
}

/// What [`upsert`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upserted<Id> {
    Created(Id),
    Updated(Id),
    /// No note held the marker and none was wanted.
    Nothing,
}

/// Updates temis's own note of `marker` ([`is_own`]; written by `author`, when given) or, when
/// there is none and `create` is true, posts one. `body` must start with `marker`.
pub fn upsert<N: Notes>(
    notes: &N,
    marker: &str,
    author: Option<&str>,
    body: &str,
    create: bool,
) -> Result<Upserted<N::Id>, Failed<N::Error>> {
    debug_assert!(body.starts_with(marker), "the marker opens the note, or the next run cannot find it");
    let listed = notes.list().map_err(Failed::Listing)?;
    // A note of a version that wrote the name with its other characters dropped is this check's
    // too, when there is none of today's form: updated, it takes today's marker.
    let legacy = legacy_marker(marker);
    let existing = listed
        .iter()
        .find(|n| is_own(n, marker, author))
        .or_else(|| legacy.as_deref().and_then(|old| listed.iter().find(|n| is_own(n, old, author))));
    let existing = existing.cloned();
    match existing {
        Some(n) => Ok(Upserted::Updated(notes.update(&n, body).map_err(Failed::Updating)?)),
        None if create => Ok(Upserted::Created(notes.create(body).map_err(Failed::Creating)?)),
        None => Ok(Upserted::Nothing),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    #[derive(Default)]
    struct Board {
        notes: RefCell<Vec<Note<u32>>>,
    }

    impl Notes for Board {
        type Id = u32;
        type Error = ();
        fn list(&self) -> Result<Vec<Note<u32>>, ()> {
            Ok(self.notes.borrow().clone())
        }
        fn create(&self, body: &str) -> Result<u32, ()> {
            let id = self.notes.borrow().len() as u32 + 1;
            self.notes.borrow_mut().push(Note { id, body: body.into(), author: Some("bot".into()) });
            Ok(id)
        }
        fn update(&self, note: &Note<u32>, body: &str) -> Result<u32, ()> {
            self.notes.borrow_mut().iter_mut().find(|n| n.id == note.id).unwrap().body = body.into();
            Ok(note.id)
        }
    }

    #[test]
    fn the_second_run_updates_the_first_note() {
        let b = Board::default();
        b.notes.borrow_mut().push(Note {
            id: 7,
            body: format!("{} planted", marker("temis")),
            author: Some("eve".into()),
        });
        let m = marker("temis");
        assert_eq!(upsert(&b, &m, Some("bot"), &format!("{m} one"), true), Ok(Upserted::Created(2)));
        assert_eq!(upsert(&b, &m, Some("BOT"), &format!("{m} two"), true), Ok(Upserted::Updated(2)));
        assert_eq!(b.notes.borrow().len(), 2);
        assert!(b.notes.borrow()[1].body.ends_with("two"));
        assert!(b.notes.borrow()[0].body.ends_with("planted"), "another author's note is left alone");
        assert_eq!(upsert(&b, &marker("other"), None, &marker("other"), false), Ok(Upserted::Nothing));
    }

    /// A reviewer's note quoting temis's (the marker further on) is hers: never taken over, with
    /// or without an author to match.
    #[test]
    fn a_note_quoting_the_marker_is_not_temis_own() {
        let m = marker("temis");
        let b = Board::default();
        b.notes.borrow_mut().push(Note {
            id: 1,
            body: format!("> {m}\n> ### temis: BLOCKED\n\nplease look at this"),
            author: Some("alice".into()),
        });
        b.notes.borrow_mut().push(Note { id: 2, body: format!("{m}\n### temis: BLOCKED"), author: Some("bot".into()) });
        assert_eq!(upsert(&b, &m, None, &format!("{m} now"), true), Ok(Upserted::Updated(2)));
        assert!(b.notes.borrow()[0].body.ends_with("please look at this"), "alice's note is left alone");
        assert!(!is_own(&b.notes.borrow()[0], &m, Some("alice")), "the marker must open the note");
        assert!(is_own(&Note { id: 3, body: format!("\n {m}"), author: None }, &m, None));
        assert!(
            !is_own(&Note { id: 3, body: m.clone(), author: None }, &m, Some("bot")),
            "an unknown author is not temis"
        );
    }

    #[test]
    fn a_refused_update_says_the_note_is_stale() {
        let f: Failed<()> = Failed::Updating(());
        assert_eq!(
            f.said("the merge-request note", "the merge request"),
            "the merge-request note was not updated, so the note on the merge request still shows an earlier verdict"
        );
        assert_eq!(Failed::Creating(()).said("the note", "it"), "the note was not written");
    }

    #[test]
    fn a_note_of_the_marker_before_names_were_encoded_is_found_again() {
        assert_eq!(legacy_marker(&marker("temis")), None);
        assert_eq!(
            legacy_marker(&marker("lint: python")).as_deref(),
            Some("<!-- temis:sticky-comment name=lintpython -->")
        );
        // Upgraded, the job finds its old note (and makes it today's), never a second one.
        let board = |bodies: &[&str]| Board {
            notes: RefCell::new(
                bodies.iter().zip(1..).map(|(b, id)| Note { id, body: b.to_string(), author: None }).collect(),
            ),
        };
        let bodies = |b: &Board| b.notes.borrow().iter().map(|n| n.body.clone()).collect::<Vec<_>>();
        let notes = board(&["<!-- temis:sticky-comment name=lintpython -->\nBLOCKED"]);
        let m = marker("lint: python");
        let body = format!("{m}\nAPPROVED");
        assert_eq!(upsert(&notes, &m, None, &body, true), Ok(Upserted::Updated(1)));
        assert_eq!(bodies(&notes), std::slice::from_ref(&body));
        // Today's note wins over an old one.
        let new = format!("{m}\nnew");
        let notes = board(&["<!-- temis:sticky-comment name=lintpython -->\nold", &new]);
        assert_eq!(upsert(&notes, &m, None, &body, true), Ok(Upserted::Updated(2)));
        assert_eq!(bodies(&notes)[0], "<!-- temis:sticky-comment name=lintpython -->\nold");
    }

    #[test]
    fn markers_encode_each_name_one_to_one() {
        assert_eq!(marker("temis"), "<!-- temis:sticky-comment name=temis -->", "plain names as before");
        assert_eq!(marker("unit-tests_2.x"), "<!-- temis:sticky-comment name=unit-tests_2.x -->");
        assert_eq!(marker("temis > <b> x"), "<!-- temis:sticky-comment name=temis%20%3E%20%3Cb%3E%20x -->");
        assert_eq!(marker("lint: python"), "<!-- temis:sticky-comment name=lint%3A%20python -->");
        assert_eq!(marker("é"), "<!-- temis:sticky-comment name=%C3%A9 -->");
        let names = ["lint: python", "lint (python)", "lintpython", "unit tests", "unittests", "a%20b", "a b", "-->"];
        let markers: std::collections::BTreeSet<String> = names.iter().map(|n| marker(n)).collect();
        assert_eq!(markers.len(), names.len(), "no two names share a marker");
        assert!(markers.iter().all(|m| m.matches("-->").count() == 1), "{markers:?}");
    }
}
