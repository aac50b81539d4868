//! Which files a diff deletes and adds are one file moved: decided as git decides it
//! (diffcore-rename, `git diff -M`), so that patch coverage counts the lines git's own diff counts,
//! and diff-cover, which reads it. libgit2's rename detection scores similarity another way: on a
//! file moved and half rewritten it paired files git leaves apart (patch coverage then measured
//! only the lines that changed where diff-cover measures the whole new file), and the reverse.
//!
//! git's way, with its defaults (50 %, `diff.renameLimit` 1000):
//! 1. An added file with the content of a deleted one is that file moved (one of the same name
//!    preferred); each deleted file is moved once.
//! 2. A deleted and an added file alone on their sides in having their name (`a/x.py`,
//!    `b/x.py`) are one file if more than 75 % similar.
//! 3. Every other deleted and added pair is scored, the best four kept for each added file, and
//!    pairs are taken best first while at least 50 % similar (a deleted file once) — unless there
//!    are more than 1000 × 1000 pairs, when git skips this step, and so does temis.
//!
//! Similarity is git's estimate: each file cut into spans (a line, or 64 bytes of a longer one;
//! in text, `\r\n` counts as `\n`), the spans hashed, and the bytes of the added file's spans that
//! the deleted file also has, over the larger file's size. Only regular files are scored; a
//! symbolic link is followed only when moved unchanged. Diff attributes (`binary`, `-diff`) are
//! not read: a file is text when its first 8000 bytes have no NUL.

use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use super::GitError;

/// git's scale of similarity (`MAX_SCORE`): 60,000 is identical.
const MAX_SCORE: u64 = 60_000;
/// `-M`'s default, 50 %.
const MIN_SCORE: u64 = MAX_SCORE / 2;
/// What a pair of files of one name must beat: halfway from [`MIN_SCORE`] to identical.
const NAME_SCORE: u64 = MIN_SCORE + (MAX_SCORE - MIN_SCORE) / 2;
/// `diff.renameLimit`'s default: beyond this many squared pairs, only exact renames are found.
const RENAME_LIMIT: usize = 1000;
/// Candidates kept for each added file.
const CANDIDATES: usize = 4;
/// The modulus of a span's hash.
const HASH_BASE: u32 = 107_927;

/// A file a diff deletes (its old side) or adds (its new side).
pub(super) struct Side {
    /// The index of its delta in the diff.
    pub delta: usize,
    pub path: String,
    /// Its content's object id, when the diff knows it (not for a work-tree file it did not hash).
    id: Option<git2::Oid>,
    mode: git2::FileMode,
}

impl Side {
    /// A regular file (not a symbolic link, nor a submodule).
    fn regular(&self) -> bool {
        matches!(self.mode, git2::FileMode::Blob | git2::FileMode::BlobExecutable)
    }
}

/// A deleted file and the added file that is it moved: indexes into the diff's deltas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pair {
    pub deleted: usize,
    pub added: usize,
}

/// Where the content of a diff's files is read from.
pub(super) struct Contents<'r> {
    repo: &'r git2::Repository,
}

impl<'r> Contents<'r> {
    pub(super) fn new(repo: &'r git2::Repository) -> Self {
        Self { repo }
    }

    /// The bytes of `file`: its blob when the repository has it, else the work tree's file (a
    /// symbolic link's target, as git stores it).
    pub(super) fn read(&self, file: &git2::DiffFile<'_>) -> Result<Vec<u8>, GitError> {
        let path = file.path().map(Path::to_path_buf).unwrap_or_default();
        if !file.id().is_zero()
            && let Ok(blob) = self.repo.find_blob(file.id())
        {
            return Ok(blob.content().to_vec());
        }
        let Some(root) = self.repo.workdir() else {
            return Err(GitError::say(format!("cannot read {}", path.display()), "no such object in the repository"));
        };
        let full = root.join(&path);
        let read = if file.mode() == git2::FileMode::Link {
            std::fs::read_link(&full).map(|target| target.into_os_string().into_encoded_bytes())
        } else {
            std::fs::read(&full)
        };
        read.map_err(|e| GitError::say(format!("cannot read {}", full.display()), e.to_string()))
    }
}

/// The deleted and added files of `diff` git would pair as renames (`Added` and `Untracked`
/// deltas are added files).
pub(super) fn find(diff: &git2::Diff<'_>, contents: &Contents<'_>) -> Result<Vec<Pair>, GitError> {
    let side = |delta: usize, file: git2::DiffFile<'_>| Side {
        delta,
        path: file.path().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
        id: (!file.id().is_zero()).then(|| file.id()),
        mode: file.mode(),
    };
    let (mut deleted, mut added) = (Vec::new(), Vec::new());
    for (i, d) in diff.deltas().enumerate() {
        match d.status() {
            git2::Delta::Deleted => deleted.push(side(i, d.old_file())),
            git2::Delta::Added | git2::Delta::Untracked => added.push(side(i, d.new_file())),
            _ => {}
        }
    }
    if deleted.is_empty() || added.is_empty() {
        return Ok(Vec::new());
    }
    deleted.sort_by(|a, b| a.path.cmp(&b.path));
    added.sort_by(|a, b| a.path.cmp(&b.path));
    let file = |s: &Side, old: bool| diff.get_delta(s.delta).map(|d| if old { d.old_file() } else { d.new_file() });
    let load = |s: &Side, old: bool| -> Result<Vec<u8>, GitError> {
        match file(s, old) {
            Some(f) => contents.read(&f),
            None => Ok(Vec::new()),
        }
    };
    // Exact renames need every file's object id; a work-tree file's is made from its bytes, read
    // once: its spans are made from them there and then.
    let mut spans = Spans::new(deleted.len(), added.len());
    for (list, old) in [(&mut deleted, true), (&mut added, false)] {
        for (i, s) in list.iter_mut().enumerate().filter(|(_, s)| s.id.is_none()) {
            let bytes = load(s, old)?;
            s.id = Some(git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)?);
            spans.make(if old { Which::Deleted(i) } else { Which::Added(i) }, || Ok(bytes))?;
        }
    }
    let paired = pair(&deleted, &added, &mut |src, dst, min| {
        spans.make(Which::Deleted(src), || load(&deleted[src], true))?;
        spans.make(Which::Added(dst), || load(&added[dst], false))?;
        match (&spans.deleted[src], &spans.added[dst]) {
            (Some(s), Some(d)) => Ok(similarity(s, d, min)),
            _ => Ok(0),
        }
    })?;
    Ok(paired.into_iter().map(|(s, d)| Pair { deleted: deleted[s].delta, added: added[d].delta }).collect())
}

/// Which of the files being paired.
#[derive(Clone, Copy)]
enum Which {
    Deleted(usize),
    Added(usize),
}

/// Each file's spans, made when first scored.
struct Spans {
    deleted: Vec<Option<Signature>>,
    added: Vec<Option<Signature>>,
}

impl Spans {
    fn new(deleted: usize, added: usize) -> Self {
        Self { deleted: (0..deleted).map(|_| None).collect(), added: (0..added).map(|_| None).collect() }
    }

    /// Makes the spans of `which` from what `load` reads, unless made already.
    fn make(&mut self, which: Which, load: impl FnOnce() -> Result<Vec<u8>, GitError>) -> Result<(), GitError> {
        let slot = match which {
            Which::Deleted(i) => &mut self.deleted[i],
            Which::Added(i) => &mut self.added[i],
        };
        if slot.is_none() {
            *slot = Some(Signature::of(&load()?));
        }
        Ok(())
    }
}

/// What git's similarity estimate keeps of a file: its size, and how many bytes its spans of
/// each hash hold, by hash.
#[derive(Debug, PartialEq, Eq)]
struct Signature {
    size: u64,
    spans: Vec<(u32, u64)>,
}

impl Signature {
    /// git's `hash_chars`.
    fn of(bytes: &[u8]) -> Self {
        let text = !bytes[..bytes.len().min(8000)].contains(&0);
        let mut by_hash: HashMap<u32, u64> = HashMap::default();
        let (mut a1, mut a2, mut n) = (0u32, 0u32, 0u64);
        for (i, &c) in bytes.iter().enumerate() {
            if text && c == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            let old = a1;
            a1 = (a1 << 7) ^ (a2 >> 25);
            a2 = (a2 << 7) ^ (old >> 25);
            a1 = a1.wrapping_add(u32::from(c));
            n += 1;
            if n < 64 && c != b'\n' {
                continue;
            }
            *by_hash.entry(a1.wrapping_add(a2.wrapping_mul(0x61)) % HASH_BASE).or_default() += n;
            (a1, a2, n) = (0, 0, 0);
        }
        if n > 0 {
            *by_hash.entry(a1.wrapping_add(a2.wrapping_mul(0x61)) % HASH_BASE).or_default() += n;
        }
        let mut spans: Vec<(u32, u64)> = by_hash.into_iter().collect();
        spans.sort_unstable();
        Self { size: bytes.len() as u64, spans }
    }
}

/// git's `estimate_similarity` of a deleted file `src` and an added file `dst` (0 to
/// [`MAX_SCORE`]); pairs whose sizes differ too much for `min` are 0 unread.
fn similarity(src: &Signature, dst: &Signature, min: u64) -> u64 {
    let (max, base) = (src.size.max(dst.size), src.size.min(dst.size));
    if max * (MAX_SCORE - min) < (max - base) * MAX_SCORE || dst.size == 0 {
        return 0;
    }
    // Both lists are sorted by hash: the bytes of each hash both files have.
    let (mut s, mut d, mut copied) = (0, 0, 0u64);
    while let (Some(&(hs, cs)), Some(&(hd, cd))) = (src.spans.get(s), dst.spans.get(d)) {
        s += usize::from(hs <= hd);
        d += usize::from(hd <= hs);
        if hs == hd {
            copied += cs.min(cd);
        }
    }
    copied * MAX_SCORE / max
}

/// git's `basename_same`: whether the two paths end in the same file name.
fn same_name(a: &str, b: &str) -> bool {
    name_of(a) == name_of(b)
}

fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Each name: where it first is in `names`, and how many times it is there.
fn name_counts<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, (usize, usize)> {
    let mut count: HashMap<&str, (usize, usize)> = HashMap::default();
    for (i, n) in names.enumerate() {
        count.entry(n).and_modify(|c| c.1 += 1).or_insert((i, 1));
    }
    count
}

/// A candidate pair in git's matrix: `dst` is `None` in a slot not yet filled.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    score: u64,
    same_name: bool,
    dst: Option<usize>,
    src: usize,
}

/// git's `score_compare`: the better candidate first, empty slots last.
fn better_first(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    match (a.dst, b.dst) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        _ => b.score.cmp(&a.score).then(b.same_name.cmp(&a.same_name)),
    }
}

/// The pairs `(deleted, added)` git makes of files `deleted` and `added` (each sorted by path),
/// `score(deleted, added, min)` being git's similarity estimate for a pair.
fn pair(
    deleted: &[Side],
    added: &[Side],
    score: &mut dyn FnMut(usize, usize, u64) -> Result<u64, GitError>,
) -> Result<Vec<(usize, usize)>, GitError> {
    let mut used = vec![false; deleted.len()];
    let mut moved: Vec<Option<usize>> = vec![None; added.len()];
    // 1. The same content: a deleted file of the same name first, else the first by path (of at
    //    most 100 alike, as git looks no further).
    let mut by_id: HashMap<Option<git2::Oid>, Vec<usize>> = HashMap::default();
    for (s, src) in deleted.iter().enumerate() {
        by_id.entry(src.id).or_default().push(s);
    }
    for (d, dst) in added.iter().enumerate() {
        let mut best: Option<(usize, bool)> = None;
        let viable = by_id.get(&dst.id).into_iter().flatten().copied().filter(|&s| {
            let src = &deleted[s];
            !used[s] && ((src.regular() && dst.regular()) || src.mode == dst.mode)
        });
        for s in viable.take(100) {
            let name = same_name(&deleted[s].path, &dst.path);
            if best.is_none_or(|(_, n)| name && !n) {
                best = Some((s, name));
            }
            if name {
                break;
            }
        }
        if let Some((s, _)) = best {
            used[s] = true;
            moved[d] = Some(s);
        }
    }
    // 2. A file name alone on each side.
    let sources = name_counts(deleted.iter().enumerate().filter(|(s, _)| !used[*s]).map(|(_, f)| name_of(&f.path)));
    let remaining: Vec<usize> = (0..added.len()).filter(|&d| moved[d].is_none()).collect();
    let dests = name_counts(remaining.iter().map(|&d| name_of(&added[d].path)));
    let unused: Vec<usize> = (0..deleted.len()).filter(|&s| !used[s]).collect();
    for &s in &unused {
        let name = name_of(&deleted[s].path);
        let (Some(&(_, 1)), Some(&(at, 1))) = (sources.get(name), dests.get(name)) else { continue };
        let d = remaining[at];
        if moved[d].is_some() || !deleted[s].regular() || !added[d].regular() {
            continue;
        }
        if score(s, d, NAME_SCORE)? > NAME_SCORE {
            used[s] = true;
            moved[d] = Some(s);
        }
    }
    // 3. Every other pair, best first.
    let sources: Vec<usize> = (0..deleted.len()).filter(|&s| !used[s]).collect();
    let dests: Vec<usize> = (0..added.len()).filter(|&d| moved[d].is_none()).collect();
    if !sources.is_empty() && !dests.is_empty() && sources.len() * dests.len() <= RENAME_LIMIT * RENAME_LIMIT {
        let mut matrix = Vec::with_capacity(dests.len() * CANDIDATES);
        for &d in &dests {
            let mut slots = [Candidate { score: 0, same_name: false, dst: None, src: 0 }; CANDIDATES];
            for &s in &sources {
                let regular = deleted[s].regular() && added[d].regular();
                let this = Candidate {
                    score: if regular { score(s, d, MIN_SCORE)? } else { 0 },
                    same_name: same_name(&deleted[s].path, &added[d].path),
                    dst: Some(d),
                    src: s,
                };
                // git's `record_if_better`: the worst slot (the last of equals) gives way to a
                // better candidate.
                let mut worst = 0;
                for i in 1..CANDIDATES {
                    if better_first(&slots[i], &slots[worst]).is_gt() {
                        worst = i;
                    }
                }
                if better_first(&slots[worst], &this).is_gt() {
                    slots[worst] = this;
                }
            }
            matrix.extend(slots);
        }
        matrix.sort_by(better_first);
        for c in matrix {
            let Some(d) = c.dst else { break };
            if c.score < MIN_SCORE {
                break;
            }
            if moved[d].is_some() || used[c.src] {
                continue;
            }
            used[c.src] = true;
            moved[d] = Some(c.src);
        }
    }
    Ok(moved.iter().enumerate().filter_map(|(d, s)| s.map(|s| (s, d))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    /// A small deterministic generator (xorshift), for cases without a dependency.
    struct Rng(u64);

    impl Rng {
        fn step(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.step() % n
        }
    }

    /// A line of one of several shapes: short, long (wrapped by git's 64-byte spans), blank,
    /// CRLF-ended.
    fn line(rng: &mut Rng, style: u64) -> String {
        match style {
            0 => format!("x{}\n", rng.below(20)),
            1 => {
                let words: Vec<String> = (0..5 + rng.below(25)).map(|_| format!("tok{}", rng.below(999))).collect();
                format!("    {}\n", words.join(" "))
            }
            2 if rng.below(3) == 0 => "\n".to_string(),
            3 => format!("\tif (a{} == {}) {{ return; }}\r\n", rng.below(50), rng.below(99)),
            _ => format!("    value = compute({}, {})\n", rng.below(500), rng.below(999)),
        }
    }

    /// `text` with about `frac` of its lines replaced, dropped, reindented or followed by a new one.
    fn edit(rng: &mut Rng, text: &str, style: u64, percent: u64) -> String {
        let mut out = String::new();
        for l in text.split_inclusive('\n') {
            if rng.below(100) >= percent {
                out.push_str(l);
                continue;
            }
            match rng.below(4) {
                0 => out.push_str(&line(rng, style)),
                1 => {}
                2 => out.push_str(&l.replacen(' ', "  ", 1)),
                _ => {
                    out.push_str(l);
                    out.push_str(&line(rng, style));
                }
            }
        }
        out
    }

    fn repo_with(dir: &Path, files: &[(String, String)]) {
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    /// What `git diff -M --name-status base head` pairs: `(deleted path, added path, similarity %)`.
    fn git_renames(dir: &Path, threshold: &str) -> Vec<(String, String, u64)> {
        let out = std::process::Command::new("git")
            .args(["-c", "diff.renameLimit=1000", "diff", threshold, "--name-status", "HEAD~1", "HEAD"])
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut renames: Vec<_> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with('R'))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[1].to_string(), f[2].to_string(), f[0][1..].parse().unwrap())
            })
            .collect();
        renames.sort();
        renames
    }

    /// What temis pairs between `HEAD~1` and `HEAD`, with git's percentage of each pair.
    fn our_renames(dir: &Path) -> Vec<(String, String, u64)> {
        let repo = git2::Repository::open(dir).unwrap();
        let tree = |rev: &str| repo.revparse_single(rev).unwrap().peel_to_tree().unwrap();
        let diff = repo.diff_tree_to_tree(Some(&tree("HEAD~1")), Some(&tree("HEAD")), None).unwrap();
        let contents = Contents::new(&repo);
        let mut out: Vec<_> = find(&diff, &contents)
            .unwrap()
            .into_iter()
            .map(|p| {
                let (old, new) =
                    (diff.get_delta(p.deleted).unwrap().old_file(), diff.get_delta(p.added).unwrap().new_file());
                let score = similarity(
                    &Signature::of(&contents.read(&old).unwrap()),
                    &Signature::of(&contents.read(&new).unwrap()),
                    0,
                );
                let path = |f: &git2::DiffFile<'_>| f.path().unwrap().to_string_lossy().into_owned();
                (path(&old), path(&new), if old.id() == new.id() { 100 } else { score * 100 / MAX_SCORE })
            })
            .collect();
        out.sort();
        out
    }

    /// git's similarity percentage, as `git diff -M1%` prints it, for one file moved and edited
    /// in every shape of line; and whether `-M` (50 %) pairs it, as git does.
    #[test]
    fn similarity_is_the_percentage_git_prints() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut borderline = 0;
        for case in 0..60 {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            git(d, &["init", "-q"]);
            let style = case % 5;
            let text: String = (0..3 + rng.below(120)).map(|_| line(&mut rng, style)).collect();
            repo_with(d, &[("src/a.py".into(), text.clone())]);
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "base"]);
            std::fs::remove_file(d.join("src/a.py")).unwrap();
            let percent = 20 + rng.below(60);
            repo_with(d, &[("lib/b.py".into(), edit(&mut rng, &text, style, percent))]);
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "head"]);
            let every = git_renames(d, "-M1%");
            let repo = git2::Repository::open(d).unwrap();
            let blob = |rev: &str| repo.revparse_single(rev).unwrap().peel_to_blob().unwrap().content().to_vec();
            // `-M1%`: scored as git scores for a 1 % threshold.
            let (old, new) = (blob("HEAD~1:src/a.py"), blob("HEAD:lib/b.py"));
            // An unchanged file is an exact rename, 100 % (its estimate counts no CR of a CRLF).
            let score = if old == new {
                MAX_SCORE
            } else {
                similarity(&Signature::of(&old), &Signature::of(&new), MAX_SCORE / 100)
            };
            let git_percent = every.first().map_or(0, |r| r.2);
            assert_eq!(score * 100 / MAX_SCORE, git_percent, "case {case}: {every:?}");
            assert_eq!(our_renames(d), git_renames(d, "-M"), "case {case}");
            borderline += usize::from((40..=60).contains(&git_percent));
        }
        assert!(borderline >= 10, "the cases should straddle 50 %: {borderline}");
    }

    /// Several files moved at once, some to the same name, some identical, some rewritten: the
    /// pairs are git's.
    #[test]
    fn files_are_paired_as_git_pairs_them() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for case in 0..40 {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            git(d, &["init", "-q"]);
            let style = case % 5;
            let names = ["util.py", "core.py", "mod.py", "util.py", "x.txt", "core.py"];
            let base: Vec<(String, String)> = (0..2 + rng.below(5) as usize)
                .map(|i| {
                    let text: String = (0..3 + rng.below(40)).map(|_| line(&mut rng, style)).collect();
                    (format!("old{}/{}", i % 3, names[(i + case as usize) % names.len()]), text)
                })
                .collect();
            let mut base = base;
            base.sort();
            base.dedup_by(|a, b| a.0 == b.0);
            repo_with(d, &base);
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "base"]);
            let mut head = Vec::new();
            for (i, (path, text)) in base.iter().enumerate() {
                std::fs::remove_file(d.join(path)).unwrap();
                let name = path.rsplit('/').next().unwrap();
                let new_path = match rng.below(3) {
                    0 => format!("new/{name}"),
                    1 => format!("new{i}/{name}"),
                    _ => format!("new/renamed{i}.py"),
                };
                let new_text = match rng.below(4) {
                    0 => text.clone(),
                    _ => {
                        let percent = 10 + rng.below(70);
                        edit(&mut rng, text, style, percent)
                    }
                };
                head.push((new_path, new_text));
            }
            head.sort();
            head.dedup_by(|a, b| a.0 == b.0);
            repo_with(d, &head);
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "head"]);
            let ours: Vec<_> = our_renames(d).into_iter().map(|(a, b, _)| (a, b)).collect();
            let theirs: Vec<_> = git_renames(d, "-M").into_iter().map(|(a, b, _)| (a, b)).collect();
            assert_eq!(ours, theirs, "case {case}");
        }
    }

    #[test]
    fn spans_are_lines_or_64_bytes() {
        let s = Signature::of(b"ab\ncd\r\nef");
        assert_eq!(s.size, 9);
        assert_eq!(s.spans.iter().map(|(_, n)| n).sum::<u64>(), 8, "the CR of a CRLF is not counted");
        let long = Signature::of(&[b'x'; 130]);
        assert_eq!(long.spans.iter().map(|(_, n)| n).sum::<u64>(), 130);
        assert_eq!(long.spans.len(), 2, "two 64-byte spans of one hash, and the last two bytes");
        let binary = Signature::of(b"a\0\r\n");
        assert_eq!(binary.spans.iter().map(|(_, n)| n).sum::<u64>(), 4, "in a binary file the CR counts");
    }
}
