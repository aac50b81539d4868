//! Keys are assembled at run time so that this file itself holds no key-shaped literal.

use super::*;

fn scan(policy: &SecretsPolicy, line: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    Scanner::new(policy).scan_line("src/app.py", 7, line.as_bytes(), &mut out);
    out
}

fn ids(policy: &SecretsPolicy, line: &str) -> Vec<&'static str> {
    scan(policy, line).iter().map(|f| f.rule).collect()
}

#[test]
fn well_known_formats_are_found_and_redacted() {
    let p = SecretsPolicy::default();
    let aws = format!("AKIA{}", "Q3ZT7LMN2PXR5VWY");
    let f = scan(&p, &format!("key = \"{aws}\""));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "aws-access-key-id");
    assert!(!f[0].context.contains(&aws) && f[0].context.contains("AKIA…(20 chars)…WY"), "{:?}", f[0]);
    let cases = [
        (format!("token: ghp_{}", "a1B2c3D4e5".repeat(4).get(..36).unwrap()), "github-token"),
        (format!("url = '{}{}'", "https://hooks.slack.com/services/", "T0001/B0002/abcdefghij12"), "slack-webhook"),
        (format!("x = xoxb-{}", "1234567890-abcdef"), "slack-token"),
        (format!("const k = \"AIza{}\";", "Sy".to_string() + &"x9_-".repeat(8) + "a"), "google-api-key"),
        (format!("-----BEGIN {}-----", "RSA PRIVATE KEY"), "private-key"),
        (format!("-----BEGIN {}-----", "OPENSSH PRIVATE KEY"), "private-key"),
        (format!("STRIPE={}{}", "sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"), "stripe-secret-key"),
        (format!("//registry/:_authToken=npm_{}", "a".repeat(18) + &"Z9".repeat(9)), "npm-token"),
        (format!("glpat-{}", "xY1_zZ2-aB3cD4eF5gH6"), "gitlab-token"),
    ];
    for (line, id) in &cases {
        assert_eq!(ids(&p, line), vec![*id], "{line}");
    }
}

#[test]
fn high_entropy_assignments_but_not_code_or_placeholders() {
    let p = SecretsPolicy::default();
    assert_eq!(ids(&p, "DB_PASSWORD=\"q8Z!r2Lx@v7Np#4Tk\""), vec!["high-entropy-assignment"]);
    assert_eq!(ids(&p, "api_key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0"), vec!["high-entropy-assignment"]);
    assert_eq!(ids(&p, "client_secret = 'Zm9vYmFyYmF6cXV4MTIzNDU2'"), vec!["high-entropy-assignment"]);
    for quiet in [
        "password = os.environ[\"DB_PASSWORD\"]",
        "token = settings.GITHUB_TOKEN",
        "password = \"hunter2\"",
        "secret: ${{ secrets.TOKEN }}",
        "api_key = \"your_api_key_here_1234\"",
        "password_hint = \"the name of your first pet\"",
        "let token = get_token(user, scope);",
    ] {
        assert!(ids(&p, quiet).is_empty(), "{quiet}: {:?}", scan(&p, quiet));
    }
    let off = SecretsPolicy { entropy: false, ..SecretsPolicy::default() };
    assert!(ids(&off, "DB_PASSWORD=\"q8Z!r2Lx@v7Np#4Tk\"").is_empty());
}

#[test]
fn the_allow_list_silences() {
    let aws = format!("AKIA{}", "IOSFODNN7EXAMPLE");
    assert!(ids(&SecretsPolicy::default(), &format!("k = \"{aws}\"")).is_empty(), "AWS's documented example key");
    let real = format!("AKIA{}", "Q3ZT7LMN2PXR5VWY");
    assert!(ids(&SecretsPolicy::default(), &format!("k = \"{real}\"  # temis:allow-secret")).is_empty());
    let p = SecretsPolicy { allow: vec!["AKIAQ3ZT*".into()], ..SecretsPolicy::default() };
    assert!(ids(&p, &format!("k = \"{real}\"")).is_empty());
    let p = SecretsPolicy { allow_paths: vec!["tests/fixtures/**".into()], ..SecretsPolicy::default() };
    assert!(Scanner::new(&p).skips("tests/fixtures/keys.txt") && !Scanner::new(&p).skips("src/keys.rs"));
}

#[test]
fn prefixes_inside_longer_tokens_are_not_keys() {
    let p = SecretsPolicy::default();
    assert!(ids(&p, &format!("hash = XAKIA{}", "Q3ZT7LMN2PXR5VWY")).is_empty());
    assert!(ids(&p, &format!("id = AKIA{}", "Q3ZT7LMN2PXR5VWYZZ")).is_empty(), "too long for a key id");
    assert!(ids(&p, "-----BEGIN PUBLIC KEY-----").is_empty());
    assert!(ids(&p, "-----BEGIN CERTIFICATE-----").is_empty());
}

#[test]
fn entropy_is_shannon() {
    assert_eq!(entropy(b"aaaa"), 0.0);
    assert!((entropy(b"abcd") - 2.0).abs() < 1e-12);
}
