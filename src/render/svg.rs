//! Pictures as SVG text, for the places where neither a CI page nor Mermaid renders: a badge in
//! the flat style of shields.io and octocov (`label | value`, the value's colour by threshold),
//! and a chart of a feature's metrics across its phases (`complete.svg` beside `complete.md`).
//!
//! Hand-written templates, no renderer: the output is a few hundred bytes of deterministic text
//! (same input, same bytes), every text escaped for XML. Text widths are estimated from
//! Verdana's advance widths at 11 px, as shields.io lays its badges out.

use std::fmt::Write as _;

/// A badge's value colour, as shields.io names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    /// `#4c1`: approved, or coverage at or above its minimum.
    Green,
    /// `#dfb317`: coverage below its minimum by less than 20 points.
    Yellow,
    /// `#e05d44`: blocked, or coverage far below its minimum.
    Red,
    /// `#9f9f9f`: could not judge.
    Grey,
}

impl Colour {
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Green => "#4c1",
            Colour::Yellow => "#dfb317",
            Colour::Red => "#e05d44",
            Colour::Grey => "#9f9f9f",
        }
    }

    /// The colour of a coverage percentage held to `minimum`: green at or above it, yellow
    /// within 20 points below, red further down.
    pub fn of_coverage(percent: f64, minimum: f64) -> Colour {
        if percent >= minimum {
            Colour::Green
        } else if percent >= minimum - 20.0 {
            Colour::Yellow
        } else {
            Colour::Red
        }
    }
}

/// `text` made safe inside an XML element or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The width of `text` in Verdana 11 px, rounded up: the advance widths of the common
/// characters (what shields.io measures with), 7 px for the rest.
pub fn text_width(text: &str) -> u32 {
    let tenths: u32 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '\'' | '|' | '.' | ',' | ':' | ';' | '!' => 30,
            ' ' | 'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' => 43,
            'a' | 'c' | 'e' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 65,
            'b' | 'd' | 'g' | 'h' | 'n' | 'o' | 'p' | 'q' | 'u' => 70,
            '0'..='9' => 70,
            'm' => 107,
            'w' | 'W' | 'M' | '%' => 110,
            'A'..='Z' => 77,
            _ => 70,
        })
        .sum();
    tenths.div_ceil(10)
}

/// A flat badge: `label` on grey, `value` on `colour`, 20 px high.
pub fn badge(label: &str, value: &str, colour: Colour) -> String {
    let lw = text_width(label) + 10;
    let vw = text_width(value) + 10;
    let w = lw + vw;
    let (l, v) = (escape(label), escape(value));
    // Text is drawn at 10× and scaled down, as shields.io does, for sharper glyph positions.
    let lx = lw * 5;
    let vx = lw * 10 + vw * 5;
    let (ltl, vtl) = ((lw - 10) * 10, (vw - 10) * 10);
    let fill = colour.hex();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{l}: {v}"><title>{l}: {v}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{fill}"/><rect width="{w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110"><text aria-hidden="true" x="{lx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{ltl}">{l}</text><text x="{lx}" y="140" transform="scale(.1)" fill="#fff" textLength="{ltl}">{l}</text><text aria-hidden="true" x="{vx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{vtl}">{v}</text><text x="{vx}" y="140" transform="scale(.1)" fill="#fff" textLength="{vtl}">{v}</text></g></svg>
"##
    )
}

/// One series of a chart: a name, a colour, and a value per phase (`None`: not measured).
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    pub values: Vec<Option<f64>>,
}

/// A grouped bar chart of percentages (0–100) by phase, with an optional dashed line for the
/// minimum each phase was held to, a legend, and the value over each bar.
pub struct Chart<'a> {
    pub title: &'a str,
    /// One label per phase (`Phase 1`).
    pub labels: Vec<String>,
    pub series: Vec<Series<'a>>,
    /// The minimum per phase; drawn when every phase has one.
    pub minimum: Option<Vec<f64>>,
}

const PLOT_TOP: u32 = 50;
const PLOT_HEIGHT: u32 = 200;
const PLOT_LEFT: u32 = 50;
/// A bar's width, its gap included: room for a value like `98.92` over it.
const BAR: u32 = 32;

fn number(v: f64) -> String {
    crate::gate::verdict::trim_number(v)
}

/// The legend's entries (colour, text) laid out in rows no wider than `width`: (x, row) each.
fn legend_layout(entries: &[(&str, String)], width: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut x, mut row) = (PLOT_LEFT, 0);
    for (_, text) in entries {
        let w = 16 + text_width(text) + 18;
        if x > PLOT_LEFT && x + w > width {
            x = PLOT_LEFT;
            row += 1;
        }
        out.push((x, row));
        x += w;
    }
    out
}

/// The chart as an SVG document.
pub fn chart(c: &Chart<'_>) -> String {
    let groups = c.labels.len().max(1) as u32;
    let n = c.series.len().max(1) as u32;
    let group = n * BAR + 30;
    let width = (PLOT_LEFT + groups * group + 20).max(360);
    let show_minimum = c.minimum.as_ref().is_some_and(|m| m.len() == c.labels.len() && !m.is_empty());
    let mut entries: Vec<(&str, String)> = c.series.iter().map(|x| (x.colour, x.name.to_string())).collect();
    if show_minimum {
        entries.push(("", "minimum line coverage".to_string()));
    }
    let layout = legend_layout(&entries, width - 10);
    let rows = layout.last().map_or(1, |(_, r)| r + 1);
    let legend_y = PLOT_TOP + PLOT_HEIGHT + 45;
    let height = legend_y + 18 * rows + 4;
    let y_of = |v: f64| PLOT_TOP as f64 + PLOT_HEIGHT as f64 * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<title>{t}</title>
<rect width="{width}" height="{height}" fill="#fff"/>
<text x="{cx}" y="24" text-anchor="middle" font-size="14" font-weight="bold">{t}</text>
"##,
        t = escape(c.title),
        cx = width / 2,
    );
    // The axis: 0, 25, 50, 75 and 100 %.
    for tick in [0u32, 25, 50, 75, 100] {
        let y = y_of(tick as f64);
        let _ = writeln!(
            s,
            r##"<line x1="{PLOT_LEFT}" y1="{y}" x2="{x2}" y2="{y}" stroke="#ddd"/><text x="{tx}" y="{ty}" text-anchor="end" fill="#555">{tick} %</text>"##,
            x2 = width - 20,
            tx = PLOT_LEFT - 6,
            ty = y + 4.0,
        );
    }
    let bar = BAR;
    for (g, label) in c.labels.iter().enumerate() {
        let x0 = PLOT_LEFT + g as u32 * group + 15;
        for (k, series) in c.series.iter().enumerate() {
            let x = x0 + k as u32 * bar;
            match series.values.get(g).copied().flatten() {
                Some(v) => {
                    let y = y_of(v);
                    let _ = writeln!(
                        s,
                        r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}"><title>{label} {name}: {shown} %</title></rect><text x="{tx}" y="{ty}" text-anchor="middle" font-size="9" fill="#333">{shown}</text>"##,
                        w = bar - 4,
                        h = (PLOT_TOP + PLOT_HEIGHT) as f64 - y,
                        f = escape(series.colour),
                        label = escape(label),
                        name = escape(series.name),
                        shown = number(v),
                        tx = x + (bar - 4) / 2,
                        ty = y - 3.0,
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        r##"<text x="{tx}" y="{ty}" text-anchor="middle" font-size="9" fill="#999">—</text>"##,
                        tx = x + (bar - 4) / 2,
                        ty = PLOT_TOP + PLOT_HEIGHT - 3,
                    );
                }
            }
        }
        let _ = writeln!(
            s,
            r##"<text x="{tx}" y="{ty}" text-anchor="middle" fill="#333">{l}</text>"##,
            tx = x0 + (group - 30) / 2,
            ty = PLOT_TOP + PLOT_HEIGHT + 18,
            l = escape(label),
        );
    }
    if let Some(min) = c.minimum.as_ref().filter(|_| show_minimum) {
        let points: Vec<String> = min
            .iter()
            .enumerate()
            .flat_map(|(g, v)| {
                let x0 = PLOT_LEFT + g as u32 * group + 5;
                let y = y_of(*v);
                [format!("{x0},{y}"), format!("{},{y}", x0 + group - 10)]
            })
            .collect();
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#e05d44" stroke-width="2" stroke-dasharray="6 4"/>"##,
            points.join(" ")
        );
    }
    // The legend.
    for ((colour, text), (x, row)) in entries.iter().zip(&layout) {
        let y = legend_y + 18 * row;
        if colour.is_empty() {
            let _ = writeln!(
                s,
                r##"<line x1="{x}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="#e05d44" stroke-width="2" stroke-dasharray="6 4"/>"##,
                ly = y - 4,
                x2 = x + 12,
            );
        } else {
            let _ = writeln!(
                s,
                r##"<rect x="{x}" y="{ry}" width="12" height="12" fill="{f}"/>"##,
                ry = y - 10,
                f = escape(colour),
            );
        }
        let _ = writeln!(s, r##"<text x="{tx}" y="{y}" fill="#333">{t}</text>"##, tx = x + 16, t = escape(text));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(escape("x\u{1}y"), "x\u{fffd}y");
        let b = badge("<script>", "\"1\" & 2", Colour::Red);
        assert!(!b.contains("<script>"), "{b}");
        assert!(b.contains("&lt;script&gt;: &quot;1&quot; &amp; 2"), "{b}");
    }

    /// Every element closed, every attribute quoted, every entity known: a well-formed document.
    fn well_formed(svg: &str) {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e)) => {
                    depth += 1;
                    for a in e.attributes() {
                        let a = a.expect("a well-formed attribute");
                        let value = a.value.to_string();
                        assert!(!value.contains('<'), "a raw < in an attribute: {value}");
                        for (i, _) in value.match_indices('&') {
                            let rest = &value[i..];
                            assert!(
                                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e)),
                                "an unknown entity in {value}"
                            );
                        }
                    }
                }
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::GeneralRef(r)) => {
                    let name: &str = r.as_ref();
                    assert!(matches!(name, "amp" | "lt" | "gt" | "quot" | "apos"), "unknown entity &{name};");
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{svg}", reader.buffer_position()),
            }
        }
        assert_eq!(depth, 0, "unclosed elements:\n{svg}");
    }

    #[test]
    fn hostile_text_still_makes_well_formed_svg() {
        let hostile = "</text><script>alert(1)</script> & \"'\u{1}";
        well_formed(&badge(hostile, hostile, Colour::Grey));
        well_formed(&chart(&Chart {
            title: hostile,
            labels: vec![hostile.to_string()],
            series: vec![Series { name: hostile, colour: "#000\"/><script>", values: vec![Some(50.0)] }],
            minimum: Some(vec![80.0]),
        }));
        well_formed(&badge("coverage", "98.92 %", Colour::Green));
    }

    #[test]
    fn coverage_colours_follow_the_minimum() {
        assert_eq!(Colour::of_coverage(80.0, 80.0), Colour::Green);
        assert_eq!(Colour::of_coverage(79.99, 80.0), Colour::Yellow);
        assert_eq!(Colour::of_coverage(60.0, 80.0), Colour::Yellow);
        assert_eq!(Colour::of_coverage(59.9, 80.0), Colour::Red);
    }

    #[test]
    fn a_badge_is_wide_enough_for_its_text() {
        let b = badge("coverage", "98.91 %", Colour::Green);
        insta::assert_snapshot!(b);
        assert!(text_width("coverage") > text_width("cov"));
    }

    #[test]
    fn a_chart_draws_bars_values_and_the_minimum() {
        let c = Chart {
            title: "JWT <authentication> by phase",
            labels: vec!["Phase 1".into(), "Phase 2".into()],
            series: vec![
                Series { name: "line coverage", colour: "#4c78a8", values: vec![Some(100.0), Some(77.33)] },
                Series { name: "a11y score", colour: "#f58518", values: vec![None, Some(92.0)] },
            ],
            minimum: Some(vec![80.0, 80.0]),
        };
        let svg = chart(&c);
        assert!(svg.contains("JWT &lt;authentication&gt; by phase"), "{svg}");
        insta::assert_snapshot!(svg);
    }
}
