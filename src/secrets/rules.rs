//! The key formats, each a fixed prefix and a shape check on what follows.

/// One kind of secret.
pub struct Rule {
    pub id: &'static str,
    pub description: &'static str,
    /// Where a match may start.
    pub prefixes: &'static [&'static str],
    /// Given the line and where a prefix starts, the end of the secret if the shape fits.
    pub shape: fn(&[u8], usize) -> Option<usize>,
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Not preceded by a character of the same alphabet (so a prefix inside a longer token is no match).
fn starts_word(t: &[u8], start: usize) -> bool {
    start == 0 || !b64url(t[start - 1])
}

/// `prefix` then between `min` and `max` bytes satisfying `ok`, then a non-`ok` byte or the end.
fn run(t: &[u8], start: usize, prefix: usize, min: usize, max: usize, ok: fn(u8) -> bool) -> Option<usize> {
    if !starts_word(t, start) {
        return None;
    }
    let body = start + prefix;
    let n = t[body.min(t.len())..].iter().take(max + 1).take_while(|&&b| ok(b)).count();
    (n >= min && n <= max).then_some(body + n)
}

fn aws_key_id(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 4, 16, 16, |b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b.is_ascii_digit())
}

fn github_classic(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 4, 36, 36, alnum)
}

fn github_fine(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 11, 82, 82, |b| alnum(b) || b == b'_')
}

fn gitlab(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 6, 20, 64, b64url)
}

fn slack_token(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 5, 10, 250, |b| alnum(b) || b == b'-')
}

fn slack_webhook(t: &[u8], s: usize) -> Option<usize> {
    let p = "https://hooks.slack.com/services/".len();
    let n = t[s + p..].iter().take_while(|&&b| alnum(b) || b == b'/').count();
    let path = &t[s + p..s + p + n];
    (path.split(|&b| b == b'/').filter(|x| !x.is_empty()).count() >= 3).then_some(s + p + n)
}

fn stripe(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 8, 24, 247, alnum)
}

fn google_api(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 4, 35, 35, b64url)
}

fn npm(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 4, 36, 36, alnum)
}

fn pypi(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, "pypi-AgEIcHlwaS5vcmc".len(), 50, 400, b64url)
}

fn openai_project(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 8, 40, 400, b64url)
}

fn openai_legacy(t: &[u8], s: usize) -> Option<usize> {
    // sk-<20>T3BlbkFJ<20>
    let end = run(t, s, 3, 48, 48, alnum)?;
    (t.get(s + 23..s + 31) == Some(b"T3BlbkFJ".as_slice())).then_some(end)
}

fn anthropic(t: &[u8], s: usize) -> Option<usize> {
    run(t, s, 7, 40, 400, b64url)
}

fn sendgrid(t: &[u8], s: usize) -> Option<usize> {
    let a = run(t, s, 3, 22, 22, b64url)?;
    if t.get(a) != Some(&b'.') {
        return None;
    }
    let n = t[a + 1..].iter().take(44).take_while(|&&b| b64url(b)).count();
    (n == 43).then_some(a + 1 + n)
}

fn private_key(t: &[u8], s: usize) -> Option<usize> {
    let rest = &t[s..];
    let close = 11 + memchr::memmem::find(rest.get(11..)?, b"-----")? + 5;
    let header = &rest[..close];
    (header.len() <= 60 && memchr::memmem::find(header, b"PRIVATE KEY").is_some()).then_some(s + close)
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "aws-access-key-id",
        description: "AWS access key ID",
        prefixes: &["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"],
        shape: aws_key_id,
    },
    Rule {
        id: "github-token",
        description: "GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        shape: github_classic,
    },
    Rule {
        id: "github-fine-grained-token",
        description: "GitHub fine-grained token",
        prefixes: &["github_pat_"],
        shape: github_fine,
    },
    Rule { id: "gitlab-token", description: "GitLab personal access token", prefixes: &["glpat-"], shape: gitlab },
    Rule {
        id: "slack-token",
        description: "Slack token",
        prefixes: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"],
        shape: slack_token,
    },
    Rule {
        id: "slack-webhook",
        description: "Slack incoming webhook URL",
        prefixes: &["https://hooks.slack.com/services/"],
        shape: slack_webhook,
    },
    Rule {
        id: "stripe-secret-key",
        description: "Stripe live secret key",
        prefixes: &["sk_live_", "rk_live_"],
        shape: stripe,
    },
    Rule { id: "google-api-key", description: "Google API key", prefixes: &["AIza"], shape: google_api },
    Rule { id: "npm-token", description: "npm access token", prefixes: &["npm_"], shape: npm },
    Rule { id: "pypi-token", description: "PyPI upload token", prefixes: &["pypi-AgEIcHlwaS5vcmc"], shape: pypi },
    Rule {
        id: "openai-api-key",
        description: "OpenAI API key",
        prefixes: &["sk-proj-", "sk-svcacct-"],
        shape: openai_project,
    },
    Rule { id: "openai-api-key", description: "OpenAI API key", prefixes: &["sk-"], shape: openai_legacy },
    Rule { id: "anthropic-api-key", description: "Anthropic API key", prefixes: &["sk-ant-"], shape: anthropic },
    Rule { id: "sendgrid-api-key", description: "SendGrid API key", prefixes: &["SG."], shape: sendgrid },
    Rule { id: "private-key", description: "private key block", prefixes: &["-----BEGIN "], shape: private_key },
];

/// The rule for a high-entropy value assigned to a secret-looking name.
pub const ENTROPY: Rule = Rule {
    id: "high-entropy-assignment",
    description: "high-entropy value assigned to a secret-looking name",
    prefixes: &[],
    shape: |_, _| None,
};

/// Names whose values are secrets.
const KEYWORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "auth_key",
    "private_key",
    "client_secret",
    "credential",
];

/// `name = "value"` (or `:`, `:=`, `=>`, YAML and .env forms) where `name` contains a secret-looking
/// word and `value` is long and random enough; the value's byte range.
pub fn entropy_assignment(t: &[u8]) -> Option<(usize, usize)> {
    let lower = t.to_ascii_lowercase();
    let kw_end =
        KEYWORDS.iter().filter_map(|k| memchr::memmem::find(&lower, k.as_bytes()).map(|i| i + k.len())).min()?;
    // The rest of the name, a closing quote, then the operator.
    let mut i = kw_end;
    while i < t.len() && (b64url(t[i]) || t[i] == b'.') {
        i += 1;
    }
    while i < t.len() && matches!(t[i], b'"' | b'\'' | b' ' | b'\t' | b']') {
        i += 1;
    }
    let op = [&b":="[..], b"=>", b"=", b":"].into_iter().find(|op| t[i..].starts_with(op))?;
    i += op.len();
    while i < t.len() && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    let (start, end) = match t.get(i) {
        Some(&q @ (b'"' | b'\'' | b'`')) => {
            let close = memchr::memchr(q, &t[i + 1..])? + i + 1;
            (i + 1, close)
        }
        Some(_) => {
            let n = t[i..].iter().take_while(|&&b| !matches!(b, b' ' | b'\t' | b',' | b';' | b'#')).count();
            let v = &t[i..i + n];
            // An unquoted value that is code (a call, a field, an index) is not a literal.
            if v.iter().any(|&b| matches!(b, b'(' | b'[' | b'{' | b'$' | b'.')) {
                return None;
            }
            (i, i + n)
        }
        None => return None,
    };
    let v = &t[start..end];
    let hex = v.iter().all(u8::is_ascii_hexdigit);
    let mixed = v.iter().any(u8::is_ascii_digit) && v.iter().any(u8::is_ascii_alphabetic);
    let e = super::entropy(v);
    let random = if hex { v.len() >= 32 && e >= 3.0 } else { v.len() >= 16 && mixed && e >= 3.5 };
    (random && !v.contains(&b' ')).then_some((start, end))
}

/// Documentation placeholders and templated values, never secrets.
pub fn is_placeholder(value: &str) -> bool {
    let l = value.to_ascii_lowercase();
    ["example", "changeme", "placeholder", "dummy", "redacted", "xxxx", "****", "${", "{{", "<your", "your_", "your-"]
        .iter()
        .any(|p| l.contains(p))
}
