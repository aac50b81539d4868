//! Each producer's reports, every format it writes, read as the producer prints its figures: the
//! writer detection of the readers (gcovr, Istanbul, simplecov-cobertura) held to real outputs.

/// Every output of one gcovr run (tests/fixtures/coverage/gcovr/README.md) reads as
/// `gcovr --print-summary` printed it: lines 28 of 33, functions 6 of 7, branches 11 of 24 —
/// where the format carries the figure.
#[cfg(test)]
mod every_output {
    use crate::input::Source;
    use crate::model::Counts;
    use crate::parsers::{Content, Format, read};

    fn figures(name: &str, bytes: &'static [u8]) -> (Format, Counts, Option<Counts>, Option<Counts>) {
        match read(&Source::bytes(name, bytes), None).unwrap() {
            (format, Content::Coverage(c)) => (format, c.lines, c.branches, c.functions),
            _ => panic!("{name}: not coverage"),
        }
    }

    #[test]
    fn as_gcovr_prints_them() {
        let lines = Counts::new(33, 28);
        let branches = Some(Counts::new(24, 11));
        let functions = Some(Counts::new(7, 6));
        macro_rules! fixture {
            ($name:literal) => {
                figures($name, include_bytes!(concat!("../../tests/fixtures/coverage/gcovr/", $name)))
            };
        }
        assert_eq!(fixture!("coverage.json"), (Format::GcovrJson, lines, branches, functions));
        assert_eq!(fixture!("summary.json"), (Format::GcovrJsonSummary, lines, branches, functions));
        assert_eq!(fixture!("sonarqube.xml"), (Format::SonarGenericCoverageXml, lines, branches, None));
        assert_eq!(fixture!("coverage.xml"), (Format::Cobertura, lines, branches, functions));
        assert_eq!(fixture!("coverage.lcov"), (Format::Lcov, lines, branches, functions));
        let (format, l, _, f) = fixture!("jacoco.xml");
        assert_eq!((format, l, f), (Format::Jacoco, lines, functions));
        let (format, l, _, _) = fixture!("clover.xml");
        assert_eq!((format, l), (Format::Clover, lines));
    }
}

/// gcovr's LCOV of a template used three times (tests/fixtures/coverage/gcovr/templates): its
/// branch records and `BRF`/`BRH` merge the instances (5 of 6 counted, where gcovr printed 5 of
/// 10), so its branch figure is not gcovr's; the same run's Cobertura is.
#[cfg(test)]
mod gcovr_templates {
    use crate::input::Source;
    use crate::model::{Counts, Coverage};
    use crate::parsers::{Content, read};

    fn coverage(name: &str, bytes: &'static [u8]) -> Coverage {
        match read(&Source::bytes(name, bytes), None).unwrap() {
            (_, Content::Coverage(c)) => c,
            _ => panic!("{name}: not coverage"),
        }
    }

    #[test]
    fn the_lcov_branch_figure_is_not_gcovrs() {
        let lcov = coverage("lcov.info", include_bytes!("../../tests/fixtures/coverage/gcovr/templates/lcov.info"));
        let why = lcov.branches_unlike_producer.expect("the LCOV's branches are said not to be gcovr's");
        assert!(why.contains("merges the instances") && why.contains("1 such record"), "{why}");
        // Lines are gcovr's own (stated per instance).
        assert_eq!(lcov.lines, Counts::new(22, 14));
        let xml =
            coverage("coverage.xml", include_bytes!("../../tests/fixtures/coverage/gcovr/templates/coverage.xml"));
        assert_eq!((xml.lines, xml.branches), (Counts::new(22, 14), Some(Counts::new(10, 5))));
        assert_eq!(xml.branches_unlike_producer, None);
        // The first fixture's merged template has no branch: its LCOV's branch figure is gcovr's.
        let plain = coverage("coverage.lcov", include_bytes!("../../tests/fixtures/coverage/gcovr/coverage.lcov"));
        assert_eq!((plain.branches, plain.branches_unlike_producer), (Some(Counts::new(24, 11)), None));
    }
}

/// Istanbul's reports (nyc 18 on minimist 1.2.7, `ci/realworld/npm-minimist/reports/nyc`): nyc's
/// text-summary printed `Lines 98.49 % (131/133)` and `Branches 95.86 % (139/145)`. Its Cobertura
/// and Clover carry per-line condition counts that add up to 131/137 branches; their root totals
/// are nyc's own, and every report Istanbul writes is shown truncated.
#[cfg(test)]
mod istanbul_writers {
    use crate::input::Source;
    use crate::model::{Counts, Rounding};
    use crate::parsers::{Content, read};

    macro_rules! nyc {
        ($name:literal) => {
            match read(
                &Source::bytes(
                    $name,
                    &include_bytes!(concat!("../../ci/realworld/npm-minimist/reports/nyc/", $name))[..],
                ),
                None,
            )
            .unwrap()
            {
                (_, Content::Coverage(c)) => c,
                _ => panic!("not coverage"),
            }
        };
    }

    #[test]
    fn nycs_own_figures_truncated() {
        for c in [nyc!("cobertura-coverage.xml"), nyc!("clover.xml"), nyc!("lcov.info")] {
            assert_eq!(c.lines, Counts::new(133, 131));
            assert_eq!(c.branches, Some(Counts::new(145, 139)));
            assert_eq!(c.rounding, Rounding::Floor);
            assert_eq!(c.rounding.percent(c.lines), Some(98.49));
        }
        let c = nyc!("cobertura-coverage.xml");
        assert!(
            c.notes.iter().any(|n| n.contains("per-file detail adds up to 131 of 133 lines, 131 of 137 branches and")),
            "{:?}",
            c.notes
        );
    }

    #[test]
    fn simplecov_cobertura_root_totals_are_simplecovs() {
        let xml = br#"<?xml version="1.0"?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<!-- Generated by simplecov-cobertura version 2.1.0 (https://github.com/dashingrocket/simplecov-cobertura) -->
<coverage line-rate="0.89" branch-rate="0.69" lines-covered="8" lines-valid="9" branches-covered="271" branches-valid="393" complexity="0" version="0" timestamp="1">
<sources><source>/app</source></sources><packages><package name="app" line-rate="0.89" branch-rate="0" complexity="0"><classes>
<class name="a" filename="lib/a.rb" line-rate="0.89" branch-rate="0" complexity="0"><methods/><lines>
<line number="1" branch="false" hits="1"/><line number="2" branch="true" hits="0" condition-coverage="50% (1/2)"/>
</lines></class></classes></package></packages></coverage>"#;
        let Ok((_, Content::Coverage(c))) = read(&Source::bytes("coverage.xml", &xml[..]), None) else { panic!() };
        assert_eq!(c.lines, Counts::new(9, 8));
        assert_eq!(c.branches, Some(Counts::new(393, 271)));
        assert_eq!(c.rounding, Rounding::Nearest);
    }
}
