use super::*;

fn read(text: &str) -> Result<SecurityReport, ParseError> {
    parse(&Input::bytes("t.sarif", text.as_bytes().to_vec()))
}

#[test]
fn placeholder_reads_an_empty_run() {
    let r = read(r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}"#).unwrap();
    assert!(r.findings.is_empty());
}
