//! LCOV out, for `temis merge`: one record per file, with the summary lines lcov writes.

use std::io::{self, Write};

use crate::model::FileDetail;

/// Writes `files` as an LCOV tracefile.
pub fn write(out: &mut impl Write, files: &[FileDetail]) -> io::Result<()> {
    for f in files {
        writeln!(out, "TN:")?;
        writeln!(out, "SF:{}", f.path)?;
        for func in &f.functions {
            writeln!(out, "FN:{},{}", func.line.max(1), func.name)?;
        }
        for func in &f.functions {
            writeln!(out, "FNDA:{},{}", func.hits, func.name)?;
        }
        if f.has_functions || !f.functions.is_empty() {
            let hit = f.functions.iter().filter(|x| x.hits > 0).count();
            writeln!(out, "FNF:{}\nFNH:{hit}", f.functions.len())?;
        }
        for b in &f.branches {
            match b.taken {
                Some(t) => writeln!(out, "BRDA:{},{},{},{t}", b.line, b.block, b.branch)?,
                None => writeln!(out, "BRDA:{},{},{},-", b.line, b.block, b.branch)?,
            }
        }
        if f.has_branches || !f.branches.is_empty() {
            let hit = f.branches.iter().filter(|b| b.taken.unwrap_or(0) > 0).count();
            writeln!(out, "BRF:{}\nBRH:{hit}", f.branches.len())?;
        }
        for (line, hits) in &f.lines {
            writeln!(out, "DA:{line},{hits}")?;
        }
        match (f.lines.is_empty(), f.summary.and_then(|s| s.lines)) {
            (true, Some(c)) => writeln!(out, "LF:{}\nLH:{}", c.total, c.covered)?,
            _ => {
                let hit = f.lines.iter().filter(|l| l.1 > 0).count();
                writeln!(out, "LF:{}\nLH:{hit}", f.lines.len())?;
            }
        }
        writeln!(out, "end_of_record")?;
    }
    Ok(())
}
