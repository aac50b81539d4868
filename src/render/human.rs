//! Tables a person reads at a glance.

use std::fmt::Write;

use super::ReadReport;
use crate::model::{Counts, Rounding};
use crate::output::Paint;

/// One row per report: format, files, lines, branches, functions.
pub fn summary_table(reports: &[ReadReport], paint: Paint) -> String {
    let headers = [
        "REPORT",
        "FORMAT",
        "FILES",
        "LINES",
        "BRANCHES",
        "FUNCTIONS",
    ];
    let rows: Vec<[String; 6]> = reports
        .iter()
        .map(|r| {
            let c = &r.coverage;
            [
                r.path.clone(),
                r.format.name().to_string(),
                c.files.len().to_string(),
                stat(Some(c.lines), c.rounding),
                stat(c.branches, c.rounding),
                stat(c.functions, c.rounding),
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for r in reports {
        for note in &r.coverage.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
        if r.coverage.lines.total == 0 {
            let _ = writeln!(
                out,
                "{} {}: nothing coverable in this report (no lines, statements or branches to measure)",
                paint.yellow("note:"),
                r.path
            );
        }
    }
    out
}

/// Per-file rows with the uncovered line ranges, worst first within each report.
pub fn file_table(report: &ReadReport, paint: Paint) -> String {
    let c = &report.coverage;
    let mut files: Vec<_> = c.files.iter().collect();
    files.sort_by(|a, b| {
        let pa = a.lines.percent().unwrap_or(100.0);
        let pb = b.lines.percent().unwrap_or(100.0);
        pa.total_cmp(&pb).then_with(|| a.path.cmp(&b.path))
    });
    let rows: Vec<[String; 4]> = files
        .iter()
        .map(|f| {
            let missing = match &f.line_bits {
                Some(bits) => ranges(&bits.uncovered_ranges()),
                None => "(no per-line data)".to_string(),
            };
            [
                f.path.clone(),
                stat(Some(f.lines), c.rounding),
                stat(f.branches, c.rounding),
                missing,
            ]
        })
        .collect();
    let mut out = format!(
        "{}\n",
        paint.bold(&format!("{} ({})", report.path, report.format.name()))
    );
    out.push_str(&table(
        &["FILE", "LINES", "BRANCHES", "UNCOVERED LINES"],
        &rows,
        paint,
    ));
    out
}

fn stat(c: Option<Counts>, r: Rounding) -> String {
    match c {
        None => "-".to_string(),
        Some(c) => match r.percent(c) {
            Some(p) => format!("{p:.2}% ({}/{})", c.covered, c.total),
            None => "n/a (0/0)".to_string(),
        },
    }
}

/// `3-7, 12, 20-21`, shortened past 12 ranges.
pub fn ranges(list: &[(u32, u32)]) -> String {
    let mut s = String::new();
    for (i, (a, b)) in list.iter().enumerate() {
        if i == 12 {
            let _ = write!(s, ", … ({} more)", list.len() - 12);
            break;
        }
        if i > 0 {
            s.push_str(", ");
        }
        if a == b {
            let _ = write!(s, "{a}");
        } else {
            let _ = write!(s, "{a}-{b}");
        }
    }
    s
}

fn table<const N: usize>(headers: &[&str; N], rows: &[[String; N]], paint: Paint) -> String {
    let mut widths = headers.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; N]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == N {
                s.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                s.push_str(cell);
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = paint.bold(line(&headers.map(str::to_string)).trim_end()) + "\n";
    for row in rows {
        out.push_str(&line(row));
    }
    out
}
