//! `go test -json` event streams (`go test -json ./... > test.json`, `go tool test2json`, and
//! gotestsum's `--jsonfile`, which is the same stream, reruns included).
//!
//! One test is one distinct (`Package`, `Test`) pair: parents and subtests each count (go test
//! prints both; gotestsum counts both), and so do examples, fuzz targets and benchmarks that
//! report. The last of a test's `pass`, `fail` and `skip` decides its bucket; a test whose last
//! `run` never got one (a `-timeout` panic, a crash; also when an earlier run of it, `-count`,
//! ended) is other and blocks (`incomplete`). A test that failed and then passed (gotestsum
//! `--rerun-fails`, `-count`) is flaky. go has no error state for a test: errors is 0.
//!
//! Package events (no `Test`) are not tests. A package whose last action is `fail` although none
//! of its tests failed or stayed incomplete (a build failure, a panic outside a test, `TestMain`
//! exiting 1; or `-count` runs in which a test failed once and passed once — go's own verdict is
//! FAIL, where gotestsum's rerun ends the package `pass`), a package with events but no package `pass`, `fail` or
//! `skip` (the stream was cut short before it finished), and each Go 1.24+ `build-fail` event
//! (`ImportPath`) is an error outside tests: not counted, and it blocks. Events without a
//! `Package` (`go tool test2json` without `-p`) are read as one package named "". A failed test's message is its first line of output that is not go
//! test's own framing (`=== RUN`, `--- FAIL`…).
//!
//! Before Go 1.24 a package that does not build has no event: `go test -json` prints
//! `FAIL\tpkg [build failed]` as a plain line, which is read as that error outside tests.
//! (gotestsum's `--jsonfile` keeps only events, so it holds no trace of such a package: gate
//! on `go test -json`'s own output, or on Go 1.24+, whose `build-fail` events it keeps.)
//!
//! Each line is one JSON object; a line that does not start with `{` (a build log mixed in with
//! `2>&1`) is skipped and counted in a note. A line that starts with `{` and is not a valid event
//! (cut short, `Action` not a string) is an error at its line and column: a stream that breaks
//! off is never read as a shorter, passing run.

use std::borrow::Cow;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use super::testjson;
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::json;
use crate::parsers::text::LineReader;

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(rename = "Action", borrow)]
    action: Cow<'a, str>,
    #[serde(rename = "Package", default, borrow)]
    package: Option<json::Text<'a>>,
    #[serde(rename = "Test", default, borrow)]
    test: Option<json::Text<'a>>,
    #[serde(rename = "Output", default)]
    output: Option<Output>,
    #[serde(rename = "Elapsed", default)]
    elapsed: Option<f64>,
    #[serde(rename = "ImportPath", default, borrow)]
    import_path: Option<json::Text<'a>>,
}

/// An event's `Output`, as far as a message needs it. It is taken as the document writes it
/// (serde_json checks it as it skips it), and go test's own framing lines (most of a passing
/// run's output) are known by their first bytes: only other lines are unescaped and copied.
#[derive(Debug, PartialEq, Eq)]
enum Output {
    /// go test's framing (`=== RUN`, `--- PASS`…): explains nothing.
    Framing,
    /// Any other line, with its message ([`testjson::message`]; `None` when it is blank).
    Text(Option<CompactString>),
}

impl<'de> Deserialize<'de> for Output {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::written(d, written_output, |text: String| Output::of(&text))
    }
}

impl Output {
    fn of(text: &str) -> Output {
        if framing(text) { Output::Framing } else { Output::Text(testjson::message(text)) }
    }
}

/// An `Output` known from the text as written: up to its first escape, the text is what it
/// says, so text that starts with a framing mark (none starts with whitespace; go test writes the
/// mark unescaped) is framing, and text without an escape is itself. `None` for anything else,
/// and for text with a `\u` escape, which skipping it did not check.
fn written_output(raw: &str) -> Option<Output> {
    let text = raw.strip_prefix('"')?.strip_suffix('"')?;
    if raw.contains("\\u") {
        return None;
    }
    let head = text.split('\\').next().unwrap_or_default();
    if FRAMING.iter().any(|p| head.starts_with(p)) {
        return Some(Output::Framing);
    }
    (!text.contains('\\')).then(|| Output::of(text))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Pass,
    Fail,
    Skip,
}

struct Test {
    package: usize,
    /// Shared with the package's index of tests by name.
    name: Arc<str>,
    end: Option<End>,
    failed_before: bool,
    elapsed: Option<f64>,
    /// The first line of its own output that explains it.
    message: Option<CompactString>,
    /// Whether it was run or ended (in this piece): an end before, in an earlier piece, was then
    /// followed by another run.
    touched: bool,
    /// Whether its last `run` (in this piece) has no end yet: run again (`-count`, a rerun) and
    /// never ended, it is incomplete, whatever an earlier run's end was.
    running: bool,
}

#[derive(Default)]
struct Package {
    name: String,
    end: Option<End>,
    message: Option<CompactString>,
}

#[derive(Default)]
struct State {
    tests: Vec<Test>,
    /// Per package (as `packages`), its tests by name.
    index: Vec<HashMap<Arc<str>, usize>>,
    packages: Vec<Package>,
    package_index: HashMap<String, usize>,
    build_failures: Vec<TestCase>,
    non_json: u64,
    events: u64,
}

/// Whether a text document is a `go test -json` stream that begins with plain lines (Go before
/// 1.24 prints `FAIL\tpkg [build failed]` first): one of its first lines is an event.
pub fn looks_like_text(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n').take(20).any(|l| {
        let has = |k: &[u8]| memchr::memmem::find(l, k).is_some();
        l.starts_with(b"{") && has(b"\"Action\"") && (has(b"\"Package\"") || has(b"\"ImportPath\""))
    })
}

/// Reads a `go test -json` stream. A large one is read in pieces, one per thread, cut at line
/// starts; the pieces' tests and packages are folded in order as one read sees them (a test run
/// in one piece and ended in the next is one test). Any error in a piece has the whole stream read
/// in one go, which places the error at its line.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let cuts = input.cuts(|window| memchr::memchr(b'\n', window).map(|i| i + 1));
    if cuts.len() > 2 {
        let pieces = input.in_pieces(&cuts, |piece| read_lines(input.range(piece.from, piece.to)).ok());
        if let Some(pieces) = pieces.into_iter().map(Option::flatten).collect::<Option<Vec<_>>>() {
            let mut pieces = pieces.into_iter();
            if let Some(mut whole) = pieces.next() {
                for piece in pieces {
                    whole.absorb(piece);
                }
                return whole.finish();
            }
        }
    }
    read_lines(input.reader())?.finish()
}

/// Reads the events of a stream, or of a piece of one (which starts and ends at a line start).
fn read_lines(reader: impl std::io::Read) -> Result<State, ParseError> {
    let mut lines = LineReader::new(reader);
    let mut st = State::default();
    while let Some((line, pos)) = lines.next_with_pos()? {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if line[0] != b'{' {
            st.plain_line(line);
            continue;
        }
        let event: Event<'_> = serde_json::from_slice(line).map_err(|e| {
            let placed = json::error(&e);
            ParseError::at(
                pos.line,
                placed.column.unwrap_or(1),
                format!("not a go test -json event: {}", placed.message),
            )
        })?;
        st.events += 1;
        st.event(event);
    }
    Ok(st)
}

/// go test's own framing lines, which explain nothing about a failure.
fn framing(line: &str) -> bool {
    let t = line.trim_start();
    FRAMING.iter().any(|p| t.starts_with(p)) || t.is_empty()
}

/// How go test's framing lines begin.
const FRAMING: [&str; 11] = [
    "=== RUN",
    "=== PAUSE",
    "=== CONT",
    "=== NAME",
    "--- FAIL",
    "--- PASS",
    "--- SKIP",
    "PASS",
    "FAIL",
    "ok  ",
    "coverage:",
];

impl State {
    /// A line that is not an event. Before Go 1.24, a package that does not build has no event
    /// at all: `go test -json` prints `FAIL\tpkg [build failed]` (or `[setup failed]`) as plain
    /// text, which is that package's failure.
    fn plain_line(&mut self, line: &[u8]) {
        self.non_json += 1;
        let text = String::from_utf8_lossy(line);
        let Some(rest) = text.strip_prefix("FAIL") else { return };
        let rest = rest.trim();
        for why in ["[build failed]", "[setup failed]"] {
            if let Some(pkg) = rest.strip_suffix(why) {
                let mut c = TestCase::new(pkg.trim(), Outcome::Error);
                c.message =
                    Some(compact_str::format_compact!("the package did not build ({})", why.trim_matches(['[', ']'])));
                self.build_failures.push(c);
            }
        }
    }

    fn package(&mut self, name: &str) -> usize {
        if let Some(&i) = self.package_index.get(name) {
            return i;
        }
        self.packages.push(Package { name: name.to_string(), ..Package::default() });
        self.index.push(HashMap::default());
        self.package_index.insert(name.to_string(), self.packages.len() - 1);
        self.packages.len() - 1
    }

    fn event(&mut self, e: Event<'_>) {
        if e.action == "build-fail" {
            let path = e.import_path.as_deref().or(e.package.as_deref()).unwrap_or("?");
            let mut c = TestCase::new(path, Outcome::Error);
            c.message = Some("the package did not build (build-fail)".into());
            self.build_failures.push(c);
            return;
        }
        if e.package.is_none() && (e.import_path.is_some() || e.action.starts_with("build-")) {
            // Go 1.24's build events (`build-output`): a package's build, not its tests.
            return;
        }
        // `go tool test2json` without `-p` names no package: its events are read under "".
        let pkg = self.package(e.package.as_deref().unwrap_or_default());
        let end = match e.action.as_ref() {
            "pass" => Some(End::Pass),
            "fail" => Some(End::Fail),
            "skip" => Some(End::Skip),
            _ => None,
        };
        let Some(test) = e.test.as_deref() else {
            let p = &mut self.packages[pkg];
            if let Some(end) = end {
                p.end = Some(end);
            }
            if let (None, Some(Output::Text(message))) = (&p.message, e.output) {
                p.message = message;
            }
            return;
        };
        let i = match self.index[pkg].get(test) {
            Some(&i) => i,
            None => {
                let name: Arc<str> = test.into();
                self.index[pkg].insert(Arc::clone(&name), self.tests.len());
                self.tests.push(Test {
                    package: pkg,
                    name,
                    end: None,
                    failed_before: false,
                    elapsed: None,
                    message: None,
                    touched: false,
                    running: false,
                });
                self.tests.len() - 1
            }
        };
        let t = &mut self.tests[i];
        t.touched |= e.action == "run" || end.is_some();
        if e.action == "run" {
            // Run again (a rerun, -count): an earlier failure is kept; the new run must end too.
            t.failed_before |= t.end == Some(End::Fail);
            t.running = true;
        }
        if let Some(end) = end {
            t.failed_before |= t.end == Some(End::Fail);
            t.end = Some(end);
            t.elapsed = e.elapsed;
            t.running = false;
        }
        if let (None, Some(Output::Text(message))) = (&t.message, e.output) {
            t.message = message;
        }
    }

    /// Adds the state of the piece of the stream that follows this one's.
    fn absorb(&mut self, later: State) {
        let packages: Vec<usize> = later.packages.iter().map(|p| self.package(&p.name)).collect();
        for (p, i) in later.packages.into_iter().zip(&packages) {
            let mine = &mut self.packages[*i];
            mine.end = p.end.or(mine.end);
            if mine.message.is_none() {
                mine.message = p.message;
            }
        }
        for t in later.tests {
            let package = packages[t.package];
            let Some(&i) = self.index[package].get(&t.name) else {
                self.index[package].insert(Arc::clone(&t.name), self.tests.len());
                self.tests.push(Test { package, ..t });
                continue;
            };
            let mine = &mut self.tests[i];
            mine.failed_before |= t.failed_before || (t.touched && mine.end == Some(End::Fail));
            if t.end.is_some() {
                mine.end = t.end;
                mine.elapsed = t.elapsed;
            }
            if t.touched {
                mine.running = t.running;
            }
            if mine.message.is_none() {
                mine.message = t.message;
            }
            mine.touched |= t.touched;
        }
        self.build_failures.extend(later.build_failures);
        self.non_json += later.non_json;
        self.events += later.events;
    }

    fn finish(self) -> Result<TestRun, ParseError> {
        if self.events == 0 {
            return Err(ParseError::whole("no go test -json event: not a `go test -json` stream"));
        }
        let mut run = TestRun::default();
        let mut package_blocked = vec![false; self.packages.len()];
        let mut flaky = vec![false; self.packages.len()];
        for t in self.tests {
            let suite = &self.packages[t.package].name;
            let case = |outcome| {
                let mut c = TestCase::new(&*t.name, outcome);
                c.classname = suite.as_str().into();
                c.suite = suite.as_str().into();
                c.time = t.elapsed;
                c.message = t.message;
                c
            };
            let end = if t.running { None } else { t.end };
            match end {
                // A failure then a pass. gotestsum's rerun ends the package `pass`; `go test
                // -count` ends it `fail` (go's verdict), which is then an error outside tests.
                Some(End::Pass) if t.failed_before => {
                    flaky[t.package] = true;
                    run.record_flaky(case(Outcome::Failed));
                }
                Some(End::Pass) => run.record_pass(),
                Some(End::Fail) => {
                    package_blocked[t.package] = true;
                    run.record(case(Outcome::Failed));
                }
                Some(End::Skip) => _ = run.record(case(Outcome::Skipped)),
                None => {
                    package_blocked[t.package] = true;
                    let mut c = case(Outcome::Incomplete);
                    c.status = Some("incomplete".into());
                    if c.message.is_none() || t.end.is_some() {
                        c.message = Some(if t.end.is_some() {
                            "run again (-count, a rerun), the test never passed, failed or skipped that time (a \
                             timeout or a crash)"
                                .into()
                        } else {
                            "the test started and never passed, failed or skipped (a timeout or a crash)".into()
                        });
                    }
                    run.record(c);
                }
            }
        }
        for (i, p) in self.packages.into_iter().enumerate() {
            if p.end.is_none() {
                let shown = if p.name.is_empty() { "(no package name)" } else { &p.name };
                let mut c = TestCase::new(p.name.clone(), Outcome::Error);
                c.suite = p.name.as_str().into();
                c.message = Some(compact_str::format_compact!(
                    "the stream ends before package {shown} finished: the run was cut short"
                ));
                run.record_outside(c);
            } else if p.end == Some(End::Fail) && !package_blocked[i] {
                let mut c = TestCase::new(p.name.clone(), Outcome::Error);
                c.suite = p.name.into();
                c.message = Some(match p.message {
                    _ if flaky[i] => "go test failed the package: a test failed in one of its runs and passed in \
                                      another (-count); a rerun that passes (gotestsum --rerun-fails) ends it `pass`"
                        .into(),
                    Some(m) => compact_str::format_compact!("the package failed outside its tests: {m}"),
                    None => "the package failed outside its tests (a build failure, a panic, TestMain)".into(),
                });
                run.record_outside(c);
            }
        }
        for c in self.build_failures {
            run.record_outside(c);
        }
        if self.non_json > 0 {
            run.notes.push(format!(
                "{} line(s) are not go test -json events (build output mixed in?) and were skipped",
                self.non_json
            ));
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("t.json", text.as_bytes()))
    }

    const P: &str = r#""Package":"ex.com/p""#;

    /// An `Output` known as framing by its first bytes is what the unescaped text says, however
    /// the document escapes it: escapes before the mark, whitespace or a look-alike first.
    #[test]
    fn framing_is_known_from_the_text_as_written() {
        let texts = [
            "=== RUN   TestA\n",
            "--- PASS: TestA (0.00s)\n",
            "PASS\n",
            "ok  \tex.com/p\t0.1s\n",
            "coverage: 80%",
            "  === RUN x\n",
            "\u{a0}=== RUN x\n",
            "\n",
            "",
            " ",
            "    a_test.go:9: got 2\n",
            "PAS",
            "ok \tx",
            "FAILED x",
            "\tFAIL x\n",
            "=== RUNNER",
            "é=== RUN",
        ];
        let escaped_all = |t: &str| -> String {
            let units: String = t.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
            format!("\"{units}\"")
        };
        for text in texts {
            let expected = Output::of(text);
            let mut forms = vec![serde_json::to_string(text).unwrap(), escaped_all(text)];
            // An escape after the first byte only.
            if let Some(c) = text.chars().next().filter(|c| !c.is_control()) {
                forms.push(format!("{}{}", &forms[0][..1 + c.len_utf8()], &escaped_all(&text[c.len_utf8()..])[1..]));
            }
            for form in forms {
                let read: Output = serde_json::from_str(&form).unwrap();
                assert_eq!(read, expected, "{form}");
            }
        }
        let wrong = serde_json::from_str::<Output>("5").unwrap_err().to_string();
        assert!(wrong.contains("expected a string"), "{wrong}");
        // Skipping a string does not check its `\u` escapes; unescaping it does.
        for text in [r#""--- FAIL: T \ud800\n""#, r#""=== RUN x\udc00""#, r#""plain \ud800""#] {
            assert!(serde_json::from_str::<Output>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn subtests_count_the_last_end_decides_and_reruns_are_flaky() {
        let text = format!(
            r#"{{"Action":"start",{P}}}
{{"Action":"run",{P},"Test":"TestA"}}
{{"Action":"run",{P},"Test":"TestA/sub"}}
{{"Action":"output",{P},"Test":"TestA/sub","Output":"=== RUN   TestA/sub\n"}}
{{"Action":"output",{P},"Test":"TestA/sub","Output":"    a_test.go:9: got 2, want 3\n"}}
{{"Action":"fail",{P},"Test":"TestA/sub","Elapsed":0.01}}
{{"Action":"fail",{P},"Test":"TestA","Elapsed":0.01}}
{{"Action":"run",{P},"Test":"TestB"}}
{{"Action":"skip",{P},"Test":"TestB"}}
{{"Action":"run",{P},"Test":"TestC"}}
{{"Action":"fail",{P},"Test":"TestC"}}
{{"Action":"run",{P},"Test":"TestC"}}
{{"Action":"pass",{P},"Test":"TestC"}}
not json: a build log line
{{"Action":"fail",{P}}}
FAIL	ex.com/broken [build failed]
"#
        );
        let run = read(&text).unwrap();
        assert_eq!(run.outside.len(), 1, "go 1.19's plain build failure line");
        assert_eq!(run.outside[0].name, "ex.com/broken");
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.flaky), (4, 1, 2, 1, 1));
        let sub = run.failing().find(|c| c.name == "TestA/sub").unwrap();
        assert_eq!(sub.message.as_deref(), Some("a_test.go:9: got 2, want 3"));
        assert!(run.outside.iter().all(|c| c.name != "ex.com/p"), "the package failed because of its tests");
        assert!(run.notes[0].contains("2 line(s)"), "{:?}", run.notes);
    }

    #[test]
    fn a_timeout_is_incomplete_and_a_failing_package_without_failing_tests_is_an_error_outside() {
        let text = format!(
            r#"{{"Action":"run",{P},"Test":"TestSlow"}}
{{"Action":"output",{P},"Output":"panic: test timed out after 1s\n"}}
{{"Action":"fail",{P}}}
{{"Action":"run","Package":"ex.com/q","Test":"TestOk"}}
{{"Action":"pass","Package":"ex.com/q","Test":"TestOk"}}
{{"Action":"output","Package":"ex.com/q","Output":"exit status 1\n"}}
{{"Action":"fail","Package":"ex.com/q"}}
{{"ImportPath":"ex.com/r","Action":"build-fail"}}
"#
        );
        let run = read(&text).unwrap();
        assert_eq!((run.totals.total, run.totals.passed, run.totals.other), (2, 1, 1));
        assert_eq!(run.other_kinds.get("incomplete"), Some(&1));
        let names: Vec<_> = run.outside.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ex.com/q", "ex.com/r"]);
        assert!(run.outside[0].message.as_deref().unwrap().contains("exit status 1"));
    }

    /// Reruns, subtests, output that explains a failure, packages that fail, plain lines: read in
    /// pieces on up to 16 threads (down to a line each), the stream reads as it does in one go,
    /// errors included.
    #[test]
    fn a_stream_read_on_threads_reads_as_in_one_go() {
        use crate::input::Split;
        let mut text = String::new();
        for pkg in ["ex.com/p", "ex.com/q"] {
            let p = format!(r#""Package":"{pkg}""#);
            text.push_str(&format!(
                r#"{{"Action":"run",{p},"Test":"TestA"}}
{{"Action":"output",{p},"Test":"TestA","Output":"=== RUN   TestA\n"}}
{{"Action":"output",{p},"Test":"TestA","Output":"    a_test.go:9: got 2\n"}}
{{"Action":"fail",{p},"Test":"TestA","Elapsed":0.5}}
{{"Action":"run",{p},"Test":"TestC"}}
{{"Action":"fail",{p},"Test":"TestC"}}
{{"Action":"output",{p},"Test":"TestC","Output":"late output\n"}}
{{"Action":"run",{p},"Test":"TestC"}}
{{"Action":"pass",{p},"Test":"TestC","Elapsed":0.2}}
{{"Action":"run",{p},"Test":"TestSlow"}}
build log line
{{"Action":"output",{p},"Output":"exit status 1\n"}}
{{"Action":"fail",{p}}}
"#
            ));
        }
        text.push_str("{\"ImportPath\":\"ex.com/r\",\"Action\":\"build-fail\"}\nFAIL\tex.com/s [build failed]\n");
        let on = |text: &str, threads: usize| {
            format!("{:?}", parse(&Source::bytes("t.json", text.as_bytes()).with_split(Split { threads, min_len: 0 })))
        };
        let one = on(&text, 1);
        assert!(one.contains("flaky: 2") && one.contains("got 2"), "{one}");
        for threads in 2..=16 {
            assert_eq!(on(&text, threads), one, "{threads} threads");
        }
        let broken = text.replace(r#""Test":"TestSlow"}"#, r#""Test":"TestSlow""#);
        assert!(on(&broken, 1).contains("line: Some(10)"));
        assert_eq!(on(&broken, 4), on(&broken, 1));
    }

    #[test]
    fn a_package_that_never_finishes_is_a_cut_stream_and_blocks() {
        let text = format!(
            r#"{{"Action":"start",{P}}}
{{"Action":"run",{P},"Test":"TestA"}}
{{"Action":"pass",{P},"Test":"TestA","Elapsed":0}}
{{"ImportPath":"ex.com/q [ex.com/q.test]","Action":"build-output","Output":"ok\n"}}
{{"Action":"start","Package":"ex.com/q"}}
{{"Action":"pass","Package":"ex.com/q","Elapsed":0}}
"#
        );
        let run = read(&text).unwrap();
        assert_eq!(run.totals.passed, 1);
        let names: Vec<_> = run.outside.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ex.com/p"], "{:?}", run.outside);
        assert!(run.outside[0].message.as_deref().unwrap().contains("the run was cut short"));
    }

    #[test]
    fn events_without_a_package_are_read_and_a_count_failure_fails_the_package() {
        let text = r#"{"Action":"start"}
{"Action":"run","Test":"TestA"}
{"Action":"output","Test":"TestA","Output":"    a_test.go:5: boom\n"}
{"Action":"fail","Test":"TestA","Elapsed":0}
{"Action":"run","Test":"TestB"}
{"Action":"pass","Test":"TestB","Elapsed":0}
{"Action":"fail","Elapsed":0.01}
"#;
        let run = read(text).unwrap();
        assert_eq!((run.totals.total, run.totals.passed, run.totals.failed), (2, 1, 1));
        assert_eq!(run.cases[0].message.as_deref(), Some("a_test.go:5: boom"));
        assert!(run.outside.is_empty(), "{:?}", run.outside);
        let flaky = format!(
            r#"{{"Action":"run",{P},"Test":"TestA"}}
{{"Action":"fail",{P},"Test":"TestA","Elapsed":0}}
{{"Action":"run",{P},"Test":"TestA"}}
{{"Action":"pass",{P},"Test":"TestA","Elapsed":0}}
{{"Action":"fail",{P},"Elapsed":0.01}}
"#
        );
        let run = read(&flaky).unwrap();
        assert_eq!(run.totals.flaky, 1);
        // `go test -count=2`: the package's `fail` is go's verdict, and blocks; gotestsum's rerun
        // ends the package `pass`.
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(run.outside[0].message.as_deref().unwrap().contains("-count"), "{:?}", run.outside);
        let rerun = flaky.replace(
            r#"{"Action":"fail","Package":"ex.com/p","Elapsed":0.01}"#,
            r#"{"Action":"pass","Package":"ex.com/p","Elapsed":0.01}"#,
        );
        assert!(read(&rerun).unwrap().outside.is_empty());
    }

    /// `go test -count=2` where a test passed its first run and hung in its second: its first
    /// end stood, and the package's failure was put down to another test's flaky failure, so the
    /// run approved. Its last run never ended: incomplete.
    #[test]
    fn a_test_run_again_that_never_ends_is_incomplete() {
        let text = format!(
            r#"{{"Action":"run",{P},"Test":"TestHang"}}
{{"Action":"pass",{P},"Test":"TestHang","Elapsed":0}}
{{"Action":"run",{P},"Test":"TestHang"}}
{{"Action":"output",{P},"Test":"TestHang","Output":"panic: test timed out after 3s\n"}}
{{"Action":"fail",{P},"Elapsed":3.01}}
"#
        );
        let run = read(&text).unwrap();
        assert_eq!((run.totals.total, run.totals.passed, run.totals.other), (1, 0, 1));
        assert!(run.cases[0].message.as_deref().unwrap().contains("run again"), "{:?}", run.cases);
        assert!(run.outside.is_empty(), "the package failed because of its test: {:?}", run.outside);
    }

    #[test]
    fn a_clean_package_without_tests_is_clean_and_a_broken_event_is_an_error() {
        let run = read(&format!("{{\"Action\":\"output\",{P},\"Output\":\"testing: warning: no tests to run\\n\"}}\n{{\"Action\":\"pass\",{P}}}\n")).unwrap();
        assert_eq!(run.totals.total, 0);
        assert!(run.all_passed());
        let e = read(&format!("{{\"Action\":\"run\",{P},\"Test\":\"T\"}}\n{{\"Action\":\"pa")).unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = read(&format!("{{\"Action\":7,{P}}}\n")).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
        assert!(read("hello\n").is_err());
    }
}
