//! JaCoCo's CSV report (`jacoco:report` with the CSV format, Gradle's `csv.required = true`,
//! `jacococli report --csv`): one row per class with its missed and covered counters.
//!
//! The totals are the rows summed, as JaCoCo's own HTML and XML reports total them: lines are
//! `LINE_MISSED`/`LINE_COVERED`, branches `BRANCH_MISSED`/`BRANCH_COVERED`, functions
//! `METHOD_MISSED`/`METHOD_COVERED`; instructions and complexity go to `extra`. The CSV names
//! classes, not source files and not lines: each class is one record named `package/Class`
//! (the package's dots made slashes), with its counts and no per-line data, so patch coverage
//! and per-path rules need the XML report. The header must hold the counter columns; a row
//! whose counters are not counts — plain digits, as JaCoCo writes them: no fraction, sign or
//! exponent — is an error at its line, naming the column.

use crate::input::Source;
use crate::model::{Counts, FileDetail, Sink, SummaryTotals};
use crate::parsers::text::LineReader;
use crate::parsers::{Meta, ParseError};

const HEADER: &str = "GROUP,PACKAGE,CLASS,";

/// A JaCoCo CSV report starts with its header.
pub fn looks_like(body: &[u8]) -> bool {
    body.starts_with(HEADER.as_bytes())
}

/// A count as JaCoCo writes it: plain ASCII digits (no sign, fraction or exponent), within u64.
fn digits(v: &str) -> Option<u64> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// The CSV fields of one line (JaCoCo quotes a value holding a comma or a quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Reads a JaCoCo CSV report into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut lines = LineReader::new(input.reader());
    let Some(header) = lines.next_line()? else {
        return Err(ParseError::whole("the file is empty: no report to read"));
    };
    let header = std::str::from_utf8(header).map_err(|_| ParseError::at_line(1, "the file is not valid UTF-8 text"))?;
    let header = header.trim_start_matches('\u{feff}');
    let names = fields(header);
    let col = |name: &str| names.iter().position(|n| n == name);
    let need = ["PACKAGE", "CLASS", "LINE_MISSED", "LINE_COVERED", "BRANCH_MISSED", "BRANCH_COVERED"];
    let mut at = [0usize; 6];
    for (i, name) in need.iter().enumerate() {
        at[i] = col(name).ok_or_else(|| {
            ParseError::at_line(1, format!("the header has no {name} column: not a JaCoCo CSV report"))
        })?;
    }
    let extra_cols = ["INSTRUCTION_MISSED", "INSTRUCTION_COVERED", "COMPLEXITY_MISSED", "COMPLEXITY_COVERED"];
    let method = (col("METHOD_MISSED"), col("METHOD_COVERED"));
    let mut extra = [0u64; 4];
    let mut rows = 0u64;
    while let Some((raw, pos)) = lines.next_with_pos()? {
        let line =
            std::str::from_utf8(raw).map_err(|_| ParseError::at_line(pos.line, "the file is not valid UTF-8 text"))?;
        if line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        let count = |i: usize, name: &str| -> Result<u64, ParseError> {
            let v = f.get(i).map(String::as_str).unwrap_or("");
            digits(v.trim()).ok_or_else(|| {
                ParseError::at_line(pos.line, format!("{name} is {v:?}, not a count (JaCoCo writes plain digits)"))
            })
        };
        let pair = |m: usize, c: usize, name: &str| -> Result<Counts, ParseError> {
            let missed = count(m, &format!("{name}_MISSED"))?;
            let covered = count(c, &format!("{name}_COVERED"))?;
            Ok(Counts::new(missed.saturating_add(covered), covered))
        };
        let lines_c = pair(at[2], at[3], "LINE")?;
        let branches = pair(at[4], at[5], "BRANCH")?;
        let functions = match method {
            (Some(m), Some(c)) => Some(pair(m, c, "METHOD")?),
            _ => None,
        };
        for (i, name) in extra_cols.iter().enumerate() {
            if let Some(c) = col(name) {
                extra[i] = extra[i].saturating_add(count(c, name)?);
            }
        }
        let package = f.get(at[0]).map(String::as_str).unwrap_or("").replace('.', "/");
        let class = f.get(at[1]).map(String::as_str).unwrap_or("");
        let path = if package.is_empty() { class.to_string() } else { format!("{package}/{class}") };
        let mut d = FileDetail::new(path);
        d.has_branches = true;
        d.has_functions = functions.is_some();
        d.summary = Some(SummaryTotals { lines: Some(lines_c), branches: Some(branches), functions });
        sink.file(&mut d);
        rows += 1;
    }
    let mut meta = Meta::default();
    for (i, name) in extra_cols.iter().enumerate() {
        if col(name).is_some() {
            meta.extra.insert(name.to_ascii_lowercase(), extra[i].into());
        }
    }
    if rows > 0 {
        meta.notes.push(
            "JaCoCo's CSV counts classes, not source lines: per-class totals only (patch coverage and per-path \
             rules need jacoco.xml)"
                .into(),
        );
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CoverageBuilder;

    const HEAD: &str = "GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,COMPLEXITY_MISSED,COMPLEXITY_COVERED,METHOD_MISSED,METHOD_COVERED\n";

    fn read(text: &str) -> Result<crate::model::Coverage, ParseError> {
        let mut b = CoverageBuilder::new();
        let meta = parse(&Source::bytes("j.csv", text.as_bytes()), &mut b)?;
        let mut c = b.finish();
        c.extra = meta.extra;
        Ok(c)
    }

    #[test]
    fn rows_sum_to_jacocos_totals() {
        let cov = read(&format!(
            "{HEAD}app,com.example,Calc,10,30,1,3,2,8,1,4,0,3\napp,com.example,Calc.Inner,0,5,0,0,0,2,0,1,0,1\n\"my, app\",org.x,Y,4,0,2,0,1,0,2,0,1,0\n"
        ))
        .unwrap();
        assert_eq!((cov.lines.covered, cov.lines.total), (10, 13));
        let b = cov.branches.unwrap();
        assert_eq!((b.covered, b.total), (3, 6));
        let f = cov.functions.unwrap();
        assert_eq!((f.covered, f.total), (4, 5));
        assert_eq!(cov.files.len(), 3);
        assert_eq!(cov.extra.get("instruction_missed"), Some(&serde_json::json!(14)));
    }

    #[test]
    fn a_header_alone_is_clean_and_a_bad_count_is_an_error() {
        assert_eq!(read(HEAD).unwrap().lines.total, 0);
        let e = read(&format!("{HEAD}app,p,C,1,1,0,0,x,1,0,0,0,0\n")).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().contains("LINE_MISSED"), "{e}");
        assert!(read("GROUP,PACKAGE,CLASS,FOO\n").unwrap_err().to_string().contains("no LINE_MISSED"));
        assert!(looks_like(HEAD.as_bytes()) && !looks_like(b"SF:a\n"));
    }

    #[test]
    fn a_count_that_is_not_plain_digits_is_an_error_naming_row_and_column() {
        for (bad, column) in
            [("0.9", "BRANCH_MISSED"), ("1e3", "BRANCH_MISSED"), ("+1", "BRANCH_MISSED"), ("-1", "BRANCH_MISSED")]
        {
            let e = read(&format!("{HEAD}app,p,C,1,9,{bad},2,0,9,0,1,0,1\n")).unwrap_err();
            assert_eq!(e.line, Some(2), "{bad}");
            assert!(e.to_string().contains(column) && e.to_string().contains(bad), "{bad}: {e}");
        }
        let e = read(&format!("{HEAD}app,p,C,1,9,0,2,0,9,0,1,0,0.5\n")).unwrap_err();
        assert!(e.to_string().contains("METHOD_COVERED"), "{e}");
    }
}
