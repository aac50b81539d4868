//! A read-only reader of git's index file, for the hooks' hot path.
//!
//! libgit2 loads an index of 10,000 entries in about 5 ms (it verifies the checksum with a
//! collision-detecting SHA-1 and builds lookup tables), and its tree-to-index diff walks every
//! tree of `HEAD`. The pre-commit hook needs neither: it reads the entries (versions 2, 3 and 4)
//! and the cache-tree extension (`TREE`), whose still-valid directories let it skip every
//! sub-tree of `HEAD` that the commit does not touch, as git itself does. Anything unusual (a
//! split or sparse index, another hash, a damaged file) returns `None` and the caller falls back
//! to libgit2.

use std::collections::HashMap;

/// One stage-0 entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: Vec<u8>,
    pub oid: [u8; 20],
    pub mode: u32,
    /// `git add -N`: no content staged yet.
    pub intent_to_add: bool,
}

/// The entries and the cache-tree's valid directories.
#[derive(Debug, Default)]
pub struct Index {
    /// Stage-0 entries, in index order (sorted by path).
    pub entries: Vec<Entry>,
    /// Directory path (no trailing slash; `""` for the root) → the tree it is known to equal.
    pub valid_trees: HashMap<Vec<u8>, [u8; 20]>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// git's offset varint (index v4 path prefixes).
fn varint(b: &[u8], at: &mut usize) -> Option<usize> {
    let mut c = *b.get(*at)?;
    *at += 1;
    let mut val = usize::from(c & 127);
    while c & 128 != 0 {
        c = *b.get(*at)?;
        *at += 1;
        val = ((val + 1) << 7) | usize::from(c & 127);
    }
    Some(val)
}

impl Index {
    /// Parses index bytes; `None` for anything this reader does not handle.
    pub fn parse(b: &[u8]) -> Option<Index> {
        const HASH: usize = 20;
        if b.len() < 12 + HASH || &b[..4] != b"DIRC" {
            return None;
        }
        let version = u32_at(b, 4)?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let count = u32_at(b, 8)? as usize;
        let end = b.len() - HASH;
        let mut at = 12;
        let mut entries = Vec::with_capacity(count);
        let mut prev: Vec<u8> = Vec::new();
        for _ in 0..count {
            let start = at;
            let mode = u32_at(b, at + 24)?;
            let oid: [u8; 20] = b.get(at + 40..at + 60)?.try_into().ok()?;
            let flags = u16_at(b, at + 60)?;
            at += 62;
            let mut intent_to_add = false;
            if flags & 0x4000 != 0 {
                let extra = u16_at(b, at)?;
                intent_to_add = extra & 0x2000 != 0;
                if extra & 0x4000 != 0 {
                    return None; // skip-worktree: sparse checkouts go to libgit2
                }
                at += 2;
            }
            let stage = (flags >> 12) & 3;
            let path = if version == 4 {
                let strip = varint(b, &mut at)?;
                let nul = memchr::memchr(0, b.get(at..end)?)?;
                let keep = prev.len().checked_sub(strip)?;
                let mut p = prev[..keep].to_vec();
                p.extend_from_slice(&b[at..at + nul]);
                at += nul + 1;
                p
            } else {
                let nul = memchr::memchr(0, b.get(at..end)?)?;
                let p = b[at..at + nul].to_vec();
                // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
                let len = at + nul - start;
                at = start + (len + 8) / 8 * 8;
                p
            };
            if mode & 0o170000 == 0o040000 {
                return None; // a sparse-index directory entry
            }
            if version == 4 {
                prev.clone_from(&path);
            }
            if stage == 0 {
                entries.push(Entry { path, oid, mode, intent_to_add });
            }
        }
        let mut valid_trees = HashMap::new();
        while at + 8 <= end {
            let sig = &b[at..at + 4];
            let size = u32_at(b, at + 4)? as usize;
            let data = b.get(at + 8..at + 8 + size)?;
            match sig {
                b"TREE" => valid_trees = cache_tree(data)?,
                b"link" | b"sdir" => return None,
                _ => {}
            }
            at += 8 + size;
        }
        Some(Index { entries, valid_trees })
    }
}

/// The `TREE` extension: nodes in pre-order, each `name NUL count SP subtrees LF [oid]`.
fn cache_tree(d: &[u8]) -> Option<HashMap<Vec<u8>, [u8; 20]>> {
    let mut out = HashMap::new();
    // (full path of the node, subtrees still to read under it)
    let mut stack: Vec<(Vec<u8>, usize)> = Vec::new();
    let mut at = 0;
    while at < d.len() {
        let nul = memchr::memchr(0, &d[at..])?;
        let name = &d[at..at + nul];
        at += nul + 1;
        let lf = memchr::memchr(b'\n', &d[at..])?;
        let line = std::str::from_utf8(&d[at..at + lf]).ok()?;
        at += lf + 1;
        let (count, subtrees) = line.split_once(' ')?;
        let count: i64 = count.parse().ok()?;
        let subtrees: usize = subtrees.parse().ok()?;
        while stack.last().is_some_and(|(_, left)| *left == 0) {
            stack.pop();
        }
        let path = match stack.last_mut() {
            Some((parent, left)) => {
                *left -= 1;
                if parent.is_empty() {
                    name.to_vec()
                } else {
                    let mut p = parent.clone();
                    p.push(b'/');
                    p.extend_from_slice(name);
                    p
                }
            }
            None => Vec::new(),
        };
        if count >= 0 {
            let oid: [u8; 20] = d.get(at..at + 20)?.try_into().ok()?;
            at += 20;
            out.insert(path.clone(), oid);
        }
        stack.push((path, subtrees));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_follow_git() {
        let mut at = 0;
        assert_eq!(varint(&[0x05], &mut at), Some(5));
        let mut at = 0;
        assert_eq!(varint(&[0x80, 0x00], &mut at), Some(128));
        let mut at = 0;
        assert_eq!(varint(&[0x81, 0x7f], &mut at), Some(383));
    }

    #[test]
    fn damaged_or_foreign_files_are_refused() {
        assert!(Index::parse(b"not an index at all, not at all").is_none());
        let mut b = b"DIRC\0\0\0\x09\0\0\0\0".to_vec();
        b.extend([0u8; 20]);
        assert!(Index::parse(&b).is_none(), "version 9");
    }
}
