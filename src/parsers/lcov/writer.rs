//! Which tool wrote an LCOV tracefile, told by the order of the first record's lines: each
//! writer has its own, and two of them change how temis reads the file.
//!
//! - **Istanbul** (nyc, c8, jest, vitest: the `lcovonly` reporter) writes `TN:`, then `FNF`/`FNH`
//!   before the `FNDA` lines and the branch records after `LF`/`LH`. Istanbul truncates the
//!   percentages it prints, so temis shows this file's figures truncated too.
//! - **llvm-cov** (`llvm-cov export -format=lcov`, cargo llvm-cov) writes no `TN:`, its
//!   function records first, and `LF`/`LH` last. Its `LF`/`LH` (and `BRF`/`BRH`, `FNF`/`FNH`)
//!   are the figures `llvm-cov report` prints, counted per function, while its `DA` records also
//!   hold lines of other functions expanded into the file (macros): the corpus case
//!   `c-utf8h-clang-llvm-cov` has 445 `DA` lines for `LF:356` in `test/utest.h`, and
//!   `llvm-cov report` prints 356. For this writer the stated totals are the producer's own.
//! - **gcovr** (`TN:GCOVR_report`) counts a line once per function instance (C++ templates,
//!   constructors) and states those counts in `LF`/`LH` (and `FNF`/`FNH`), the figures `gcovr
//!   --print-summary` prints, while it merges a line's instances into one `DA` record: for gcovr
//!   too the stated totals are the producer's own. Its branch records, and `BRF`/`BRH`, merge
//!   the instances too (gcovr 8.8: 5 of 10 where it prints 7 of 14, with a template used for two
//!   types); no count in the file gives gcovr's branch figure, which its JSON and Cobertura do.
//! - Everything else (geninfo/lcov, coverage.py, grcov…) is counted from its records the way
//!   `lcov --summary` counts.

/// The tool an LCOV file's shape names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writer {
    Istanbul,
    LlvmCov,
    Gcovr,
    Other,
}

impl Writer {
    /// Whether the writer's stated totals are its own printed figures.
    pub fn states_its_own(self) -> bool {
        matches!(self, Writer::LlvmCov | Writer::Gcovr)
    }

    /// What prints the stated totals, for notes.
    pub fn printer(self) -> &'static str {
        match self {
            Writer::LlvmCov => "llvm-cov wrote this file, and they are what `llvm-cov report` prints",
            Writer::Gcovr => {
                "gcovr wrote this file, and they are what `gcovr --print-summary` prints (but for branches: its \
                 LCOV merges a template's instances, its --json and --cobertura do not)"
            }
            Writer::Istanbul | Writer::Other => "",
        }
    }
}

/// The record keys of the first record in `head` (up to `end_of_record`), in order, each once
/// per run of equal keys.
fn first_record_keys(head: &[u8]) -> Vec<&[u8]> {
    let mut keys: Vec<&[u8]> = Vec::new();
    for line in head.split(|&b| b == b'\n').take(20_000) {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let key = match memchr::memchr(b':', line) {
            Some(i) => &line[..i],
            None => line,
        };
        if keys.last() != Some(&key) {
            keys.push(key);
        }
        if key == b"end_of_record" {
            break;
        }
    }
    keys
}

/// Tells the writer of an LCOV file from its first bytes.
pub fn writer(head: &[u8]) -> Writer {
    if head.trim_ascii_start().starts_with(b"TN:GCOVR_report") {
        return Writer::Gcovr;
    }
    // The first record may be longer than the head: decide on what it shows.
    let keys = first_record_keys(head);
    let at = |key: &[u8]| keys.iter().position(|k| *k == key);
    let after = |key: &[u8]| at(key).and_then(|i| keys.get(i + 1)).copied();
    if keys.first() == Some(&&b"TN"[..]) {
        // Istanbul: FNF/FNH come before FNDA; without functions, the branch records follow LF/LH.
        let istanbul = match (at(b"FNF"), at(b"FNDA")) {
            (Some(f), Some(d)) => f < d,
            _ => matches!(after(b"LH"), Some(b"BRDA" | b"BRF")),
        };
        return if istanbul { Writer::Istanbul } else { Writer::Other };
    }
    // llvm-cov: SF, its function records (FNF before any DA), DA (and BRDA, BRF, BRH), then LF
    // and LH last.
    let functions_first = match (at(b"FNF"), at(b"DA")) {
        (Some(f), Some(d)) => f < d,
        _ => false,
    };
    let complete = keys.last() == Some(&&b"end_of_record"[..]);
    let lines_last = !complete || (keys.len() >= 3 && keys[keys.len() - 3] == b"LF" && keys[keys.len() - 2] == b"LH");
    if keys.first() == Some(&&b"SF"[..]) && functions_first && lines_last { Writer::LlvmCov } else { Writer::Other }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_writers_are_told_apart() {
        let istanbul = b"TN:\nSF:index.js\nFN:1,f\nFNF:1\nFNH:1\nFNDA:3,f\nDA:1,3\nLF:1\nLH:1\nBRDA:1,0,0,1\nBRF:1\nBRH:1\nend_of_record\n";
        assert_eq!(writer(istanbul), Writer::Istanbul);
        let no_functions = b"TN:\nSF:a.js\nFNF:0\nFNH:0\nDA:1,1\nLF:1\nLH:1\nBRF:0\nBRH:0\nend_of_record\n";
        assert_eq!(writer(no_functions), Writer::Istanbul);
        let llvm = b"SF:a.c\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\nDA:1,1\nBRDA:1,0,0,1\nBRF:1\nBRH:1\nLF:1\nLH:1\nend_of_record\n";
        assert_eq!(writer(llvm), Writer::LlvmCov);
        let geninfo = b"TN:\nSF:a.c\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\nBRDA:1,0,0,1\nBRF:1\nBRH:1\nDA:1,1\nLF:1\nLH:1\nend_of_record\n";
        assert_eq!(writer(geninfo), Writer::Other);
        let gcovr = b"TN:GCOVR_report\nSF:a.c\nVER:x\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\nDA:1,1\nLH:1\nLF:1\nend_of_record\n";
        assert_eq!(writer(gcovr), Writer::Gcovr);
        let coveragepy =
            b"SF:a.py\nDA:1,1\nLF:1\nLH:1\nFN:1,f\nFNDA:1,f\nFNF:1\nFNH:1\nBRDA:1,0,0,1\nBRF:1\nBRH:1\nend_of_record\n";
        assert_eq!(writer(coveragepy), Writer::Other);
        assert_eq!(writer(b"SF:a.c\nDA:1,1\n"), Writer::Other);
        // A first record longer than the head is told by its beginning.
        assert_eq!(writer(b"SF:a.c\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\nDA:1,1\nDA:2,1\n"), Writer::LlvmCov);
        assert_eq!(writer(b"TN:\nSF:a.js\nFN:1,f\nFNF:1\nFNH:1\nFNDA:1,f\nDA:1,1\n"), Writer::Istanbul);
    }

    #[test]
    fn the_corpus_shapes() {
        // The first record of each, as the real producers wrote them (ci/realworld, the corpus).
        let c8 = b"TN:\nSF:index.js\nFN:1,module.exports\nFNF:8\nFNH:8\nFNDA:1,module.exports\nDA:1,1\nLF:249\nLH:249\nBRDA:1,0,0,1\nBRF:136\nBRH:131\nend_of_record\n";
        assert_eq!(writer(c8), Writer::Istanbul);
        let lcov = b"TN:\nSF:/r/cJSON.c\nFN:94,cJSON_GetErrorPtr\nFNDA:5,cJSON_GetErrorPtr\nFNF:112\nFNH:111\nBRDA:101,0,0,2\nBRF:902\nBRH:670\nDA:94,5\nLF:1365\nLH:1189\nend_of_record\n";
        assert_eq!(writer(lcov), Writer::Other);
    }
}
