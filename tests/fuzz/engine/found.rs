//! What the fuzzer found: one entry per reproducer under `tests/fixtures/fuzz-found/` (whose
//! README says, for each, what it is, what temis does and what it should do).
//!
//! The known-failures list is the entries with `open: Some(..)`: bugs not fixed yet. A random
//! run counts a problem that shows an open entry's symptom instead of failing on it, and the
//! reproducer check fails when the symptom is gone. When a fix lands, set `open: None`: the
//! reproducer is then a regression test that must pass as `should` says.

use super::{Mode, Should};

pub struct Found {
    /// The reproducer, under `tests/fixtures/fuzz-found/`.
    pub file: &'static str,
    /// How temis is given it.
    pub mode: Mode,
    /// What temis should do with it.
    pub should: Should,
    /// The bug, in a few words.
    pub what: &'static str,
    /// While the bug is open: text the problem temis shows today holds (its kind, the panic's
    /// file and message…), so that the random runs recognise it.
    pub open: Option<&'static [&'static str]>,
    /// Every input given in `mode` shows the problem: the random runs leave the mode out while
    /// the entry is open (the reproducer check still runs it).
    pub blocks_mode: bool,
}

pub const FOUND: &[Found] = &[
    Found {
        file: "fifo-read-twice.info",
        mode: Mode::Fifo,
        should: Should::Hold,
        what: "a FIFO is opened twice (format detection, then the parser): the second open waits forever",
        open: None,
        blocks_mode: true,
    },
    Found {
        file: "endless-stdin.info",
        mode: Mode::Endless,
        should: Should::Hold,
        what: "standard input is read into memory without a bound: an endless one grows until the memory runs out",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "hyperfine-times-beyond-max.json",
        mode: Mode::File,
        should: Should::Hold,
        what: "hyperfine: percentiles come from `times`, min and max from the stated fields, which may disagree",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "k6-p95-beyond-max.json",
        mode: Mode::File,
        should: Should::Hold,
        what: "benchmark statistics a report states are passed on unchecked: a p95 above the max, a p90 above the p95",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "axe-unknown-impact.json",
        mode: Mode::File,
        should: Should::Hold,
        what: "a violation whose impact is unknown (null, misspelt) counts in no impact bucket",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "istanbul-summary-total-1e23.json",
        mode: Mode::File,
        should: Should::Hold,
        what: "a count written as a float (1e23) is cast to 2^64 - 1, not refused",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "clover-methods-absurd.xml",
        mode: Mode::File,
        should: Should::Hold,
        what: "an absurd `methods` count (99 999 999 999) is passed on as the functions total",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "bandit-totals-overflow.json",
        mode: Mode::File,
        should: Should::Hold,
        what: "a float total in metrics._totals (1e23) overflows the sum: a panic in debug, 0 findings in release",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "gocover-statements-past-u64.out",
        mode: Mode::File,
        should: Should::Hold,
        what: "absurd counts are passed on (clamped to 2^64 - 1 past it): in every coverage format, and the totals saturate (100 % here)",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "checkov-read-as-semgrep.json",
        mode: Mode::File,
        should: Should::ReadAs("checkov-json"),
        what: "a Checkov report, when temis did not read Checkov, was taken for a clean Semgrep scan; now read as Checkov",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "snyk-read-as-pip-audit.json",
        mode: Mode::File,
        should: Should::ReadAs("snyk-json"),
        what: "a Snyk report, when temis did not read Snyk, was taken for a clean pip-audit scan; now read as Snyk",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "tap-holding-xml.tap",
        mode: Mode::File,
        should: Should::Refuse,
        what: "a file named as TAP (`*.tap`) but holding XML was read, by its name, as a TAP stream with no test",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "tap-damaged-version-line.tap",
        mode: Mode::Stdin,
        should: Should::ReadAs("tap"),
        what: "a TAP stream whose first line is damaged was read as TAP from a `.tap` file (by its name) but was unrecognised on a pipe",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "clover-istanbul-totals-functions.xml",
        mode: Mode::Fifo,
        should: Should::Hold,
        what: "Istanbul's Clover <project> metrics were used for functions with no note when the files add up to other figures",
        open: None,
        blocks_mode: false,
    },
    Found {
        file: "gocover-quoting-panicked-at.out",
        mode: Mode::File,
        should: Should::Refuse,
        what: "the fuzzer's own oracle took temis's error quoting a report's `panicked at` line for a panic of temis",
        open: None,
        blocks_mode: false,
    },
];
