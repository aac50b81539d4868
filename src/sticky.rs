//! One note per change request, found again by a hidden marker and updated in place: GitHub's
//! pull-request comment, GitLab's merge-request note, Azure DevOps' pull-request thread.
//!
//! Each platform's client says how to list, create and update its notes ([`Notes`]); the rule
//! is here, once: the first note that holds the marker (and, when an author is given, was
//! written by them) is updated; there is a new note only when there is none and one is wanted.
//! A second run therefore never adds a second note.

/// The hidden marker that finds the note again: one per name (`--check-name` on GitHub).
pub fn marker(name: &str) -> String {
    let key: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
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

/// What [`upsert`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upserted<Id> {
    Created(Id),
    Updated(Id),
    /// No note held the marker and none was wanted.
    Nothing,
}

/// Updates the note holding `marker` (written by `author`, when given) or, when there is none
/// and `create` is true, posts one.
pub fn upsert<N: Notes>(
    notes: &N,
    marker: &str,
    author: Option<&str>,
    body: &str,
    create: bool,
) -> Result<Upserted<N::Id>, N::Error> {
    let existing = notes.list()?.into_iter().find(|n| {
        n.body.contains(marker) && author.is_none_or(|a| n.author.as_deref().is_some_and(|w| w.eq_ignore_ascii_case(a)))
    });
    match existing {
        Some(n) => Ok(Upserted::Updated(notes.update(&n, body)?)),
        None if create => Ok(Upserted::Created(notes.create(body)?)),
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
        assert_eq!(upsert(&b, &marker("other"), None, "x", false), Ok(Upserted::Nothing));
    }

    #[test]
    fn markers_keep_only_safe_characters() {
        assert_eq!(marker("temis > <b> x"), "<!-- temis:sticky-comment name=temisbx -->");
    }
}
