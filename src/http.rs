//! The blocking HTTP client behind the GitLab, Bitbucket and Azure DevOps APIs.
//!
//! ureq (rustls, the operating system's certificate store) is imported here and nowhere else, and
//! no async runtime is started. Every call has a connect timeout and an overall timeout. Reads,
//! and writes that change nothing when sent twice (PUT, PATCH), are tried up to three times on a
//! dropped connection, a 5xx or a 429; a POST is tried again only on a 429 (the server did not
//! carry it out) or on a status its caller names (GitLab's 409, "another update of this status is
//! in progress"), so that a note is never posted twice. Redirects are not followed.
//!
//! The token is held in a [`Token`], whose `Debug` and `Display` print `***`, and is cut out of
//! every error message. It goes only over https, or plain http to this machine (a test server).
//!
//! Inside Bitbucket Pipelines the API is reached through the pipeline's own proxy, with no token
//! ([`Api::through_proxy`]). That proxy adds the credentials to plain-HTTP requests written in
//! absolute form (`PUT http://api.bitbucket.org/2.0/… HTTP/1.1`, RFC 9112 §3.2.2), as curl and
//! Python's requests write them to a proxy; ureq tunnels through an HTTP proxy with `CONNECT`
//! instead, where no credentials can be added. Those requests are written here on a
//! `TcpStream`, and their answers read with httparse.

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// How long a connection may take to open, and a whole request to complete.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Tries per call (the first and two more).
const TRIES: u32 = 3;
/// The longest wait a `Retry-After` is honoured for.
const MAX_WAIT: Duration = Duration::from_secs(10);
/// Answers larger than this are refused (a page of 100 notes of 1,000,000 characters each is
/// the largest GitLab can send).
const MAX_ANSWER: u64 = 128 << 20;

/// An API token. It is never printed: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// `None` for an empty or blank value (an unset secret arrives as an empty string).
    pub fn new(value: impl Into<String>) -> Option<Token> {
        let v = value.into();
        (!v.trim().is_empty()).then(|| Token(v.trim().to_string()))
    }

    /// The token itself, for the one header that carries it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a request proves who sends it.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No credentials (the Bitbucket Pipelines proxy adds its own).
    None,
    /// The token in a header of its own (GitLab's `PRIVATE-TOKEN`).
    Header(&'static str, Token),
    /// `Authorization: Bearer TOKEN`.
    Bearer(Token),
}

impl Auth {
    fn token(&self) -> Option<&Token> {
        match self {
            Auth::None => None,
            Auth::Header(_, t) | Auth::Bearer(t) => Some(t),
        }
    }

    fn header(&self) -> Option<(&'static str, String)> {
        match self {
            Auth::None => None,
            Auth::Header(name, t) => Some((name, t.expose().to_string())),
            Auth::Bearer(t) => Some(("Authorization", format!("Bearer {}", t.expose()))),
        }
    }
}

/// The HTTP methods the APIs are called with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }

    /// Whether sending the request twice has the effect of sending it once.
    fn idempotent(self) -> bool {
        self != Method::Post
    }
}

/// An API call that did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The API answered with an error status.
    #[error("{api} answered {status} to {what}: {message}")]
    Status { api: &'static str, what: String, status: u16, message: String },
    /// No answer (connection, TLS, timeout), or an answer temis could not read.
    #[error("{what} failed: {message}")]
    Transport { what: String, message: String },
}

impl ApiError {
    /// 401, 403 or 404 on a write: the token may not write here.
    pub fn is_permission(&self) -> bool {
        matches!(self, ApiError::Status { status: 401 | 403 | 404, .. })
    }

    fn retryable(&self, method: Method, also: &[u16]) -> bool {
        match self {
            ApiError::Status { status: 429, .. } => true,
            ApiError::Status { status, .. } if also.contains(status) => true,
            ApiError::Status { status: 500.., .. } | ApiError::Transport { .. } => method.idempotent(),
            ApiError::Status { .. } => false,
        }
    }
}

/// One REST API at a base URL, with its credentials.
pub struct Api {
    /// `GitLab`, `Bitbucket`, `Azure DevOps`: for messages.
    name: &'static str,
    base: String,
    auth: Auth,
    transport: Transport,
}

enum Transport {
    Direct(ureq::Agent),
    /// Plain-HTTP requests in absolute form to this `host:port`.
    Proxy(String),
}

/// An answer: its status, its `Retry-After` (seconds) and its body.
struct Answer {
    status: u16,
    retry_after: Option<u64>,
    body: Vec<u8>,
}

impl Api {
    /// The API `name` at `base` (`https://gitlab.example.com/api/v4`, a test server…).
    pub fn new(name: &'static str, base: &str, auth: Auth) -> Result<Api, ApiError> {
        if auth.token().is_some() && !sends_token_safely(base) {
            return Err(ApiError::Transport {
                what: format!("setting up the {name} client"),
                message: format!(
                    "refusing to send the token to {base}: use https (plain http only to this machine, for tests)"
                ),
            });
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .user_agent(concat!("temis/", env!("CARGO_PKG_VERSION")))
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::PlatformVerifier).build())
            .build();
        let base = base.trim_end_matches('/').to_string();
        Ok(Api { name, base, auth, transport: Transport::Direct(config.into()) })
    }

    /// The API at `base` (an `http://` URL) reached through the HTTP proxy at `proxy`
    /// (`http://localhost:29418`), with no credentials of temis's own.
    pub fn through_proxy(name: &'static str, base: &str, proxy: &str) -> Result<Api, ApiError> {
        let what = || format!("setting up the {name} client");
        let addr = proxy.strip_prefix("http://").unwrap_or(proxy).trim_end_matches('/');
        if !base.starts_with("http://") || addr.is_empty() || addr.contains('/') {
            return Err(ApiError::Transport {
                what: what(),
                message: format!(
                    "a proxy takes an http:// API URL and a proxy http://HOST:PORT, not {base} and {proxy}"
                ),
            });
        }
        let base = base.trim_end_matches('/').to_string();
        Ok(Api { name, base, auth: Auth::None, transport: Transport::Proxy(addr.to_string()) })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `GET base/path?query`, tried up to three times.
    pub fn get<T: DeserializeOwned>(&self, what: &str, path: &str, query: &[(&str, String)]) -> Result<T, ApiError> {
        self.call(what, Method::Get, path, query, None, &[])
    }

    /// `method base/path?query` with `body` as JSON; retried as the method allows (see the module).
    pub fn send<T: DeserializeOwned>(
        &self,
        what: &str,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        self.send_retrying(what, method, path, query, body, &[])
    }

    /// [`send`](Self::send), also retried on the statuses `also` (which say the request was
    /// not carried out).
    pub fn send_retrying<T: DeserializeOwned>(
        &self,
        what: &str,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: &impl Serialize,
        also: &[u16],
    ) -> Result<T, ApiError> {
        let bytes = serde_json::to_vec(body).map_err(|e| self.unreadable(what, e.to_string()))?;
        self.call(what, method, path, query, Some(&bytes), also)
    }

    fn call<T: DeserializeOwned>(
        &self,
        what: &str,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&[u8]>,
        also: &[u16],
    ) -> Result<T, ApiError> {
        let url = format!("{}{path}{}", self.base, query_string(query));
        let mut tries = 0;
        loop {
            tries += 1;
            let outcome = self
                .once(method, &url, body)
                .map_err(|e| self.redacted(ApiError::Transport { what: what.to_string(), message: e }));
            let wait = outcome.as_ref().ok().and_then(|a| a.retry_after);
            let result = outcome.and_then(|answer| self.read(what, answer));
            match result {
                Err(e) if tries < TRIES && e.retryable(method, also) => {
                    let pause = wait.map_or(Duration::from_secs(u64::from(tries)), Duration::from_secs).min(MAX_WAIT);
                    tracing::info!("{what}: {e}; trying again in {} s ({tries} of {TRIES} failed)", pause.as_secs());
                    std::thread::sleep(pause);
                }
                other => return other,
            }
        }
    }

    /// One request, without retries.
    fn once(&self, method: Method, url: &str, body: Option<&[u8]>) -> Result<Answer, String> {
        match &self.transport {
            Transport::Direct(agent) => {
                let mut request = ureq::http::Request::builder()
                    .method(method.as_str())
                    .uri(url)
                    .header("Accept", "application/json");
                if let Some((name, value)) = self.auth.header() {
                    request = request.header(name, value);
                }
                if body.is_some() {
                    request = request.header("Content-Type", "application/json");
                }
                let request = request.body(body.unwrap_or_default().to_vec()).map_err(|e| e.to_string())?;
                let mut response = agent.run(request).map_err(|e| e.to_string())?;
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok());
                let status = response.status().as_u16();
                let body =
                    response.body_mut().with_config().limit(MAX_ANSWER).read_to_vec().map_err(|e| e.to_string())?;
                Ok(Answer { status, retry_after, body })
            }
            Transport::Proxy(addr) => proxied(addr, method, url, body).map_err(|e| e.to_string()),
        }
    }

    /// The answer's JSON, or the error its status says.
    fn read<T: DeserializeOwned>(&self, what: &str, answer: Answer) -> Result<T, ApiError> {
        if !(200..300).contains(&answer.status) {
            return Err(self.redacted(ApiError::Status {
                api: self.name,
                what: what.to_string(),
                status: answer.status,
                message: message_of(&answer.body),
            }));
        }
        let text: &[u8] = if answer.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &answer.body };
        serde_json::from_slice(text)
            .map_err(|e| self.unreadable(what, format!("the answer is not what temis expects: {e}")))
    }

    fn unreadable(&self, what: &str, message: String) -> ApiError {
        self.redacted(ApiError::Transport { what: what.to_string(), message })
    }

    /// `e` with the token cut out of its text.
    fn redacted(&self, e: ApiError) -> ApiError {
        let Some(token) = self.auth.token() else { return e };
        match e {
            ApiError::Status { api, what, status, message } => {
                ApiError::Status { api, what, status, message: token.redact(&message) }
            }
            ApiError::Transport { what, message } => ApiError::Transport { what, message: token.redact(&message) },
        }
    }
}

/// The first line of what an error answer says: `message` (GitLab, Azure DevOps), `error.message`
/// (Bitbucket) or `error`, else the start of the body.
fn message_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let said = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| {
        let pick = |x: &serde_json::Value| match x {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        };
        pick(&v["message"]).or_else(|| pick(&v["error"]["message"])).or_else(|| pick(&v["error"]))
    });
    let said = said.unwrap_or_else(|| text.into_owned());
    let line = said.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(300).collect();
    if line.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// `?k=v&…`, each part percent-encoded; empty for no pairs.
fn query_string(query: &[(&str, String)]) -> String {
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
}

/// `s` percent-encoded for a URL's path segment or query value: everything but RFC 3986's
/// unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// https anywhere; plain http only to the loopback interface (a test server).
pub fn sends_token_safely(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let Some(rest) = lower.strip_prefix("http://") else { return false };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .filter(|(h, p)| !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        .map_or(authority, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// One plain-HTTP request in absolute form through the proxy at `addr` (`host:port`).
fn proxied(addr: &str, method: Method, url: &str, body: Option<&[u8]>) -> std::io::Result<Answer> {
    use std::io::{Error, ErrorKind};
    let host = url.strip_prefix("http://").and_then(|r| r.split('/').next()).unwrap_or_default();
    let target = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("the proxy {addr} has no address")))?;
    let mut stream = TcpStream::connect_timeout(&target, CONNECT_TIMEOUT)?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let mut head = format!(
        "{} {url} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: temis/{}\r\nAccept: application/json\r\nConnection: close\r\n",
        method.as_str(),
        env!("CARGO_PKG_VERSION")
    );
    if let Some(b) = body {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.unwrap_or_default())?;
    stream.flush()?;
    let mut raw = Vec::new();
    stream.take(MAX_ANSWER).read_to_end(&mut raw)?;
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let bad = |what: String| Error::new(ErrorKind::InvalidData, what);
    let start = match response.parse(&raw) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err(bad("the proxy's answer ended inside its headers".into())),
        Err(e) => return Err(bad(format!("the proxy's answer is not HTTP: {e}"))),
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let rest = &raw[start..];
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        dechunk(rest).ok_or_else(|| bad("the proxy's chunked answer is cut short".into()))?
    } else if let Some(n) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        rest.get(..n).ok_or_else(|| bad("the proxy's answer is shorter than its Content-Length".into()))?.to_vec()
    } else {
        rest.to_vec()
    };
    let retry_after = header("retry-after").and_then(|v| v.parse().ok());
    Ok(Answer { status: response.code.unwrap_or(0), retry_after, body })
}

/// The body of a `Transfer-Encoding: chunked` message; `None` when it is cut short.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&rest[..end]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_formatted() {
        let t = Token::new("glpat-secretvalue").unwrap();
        assert_eq!(format!("{t} {t:?}"), "*** Token(***)");
        assert!(Token::new("  ").is_none());
        assert_eq!(t.redact("bad token glpat-secretvalue!"), "bad token ***!");
    }

    #[test]
    fn the_token_goes_over_https_or_to_this_machine_only() {
        for ok in ["https://gitlab.com/api/v4", "http://127.0.0.1:8080", "http://localhost/api/v4", "http://[::1]:9"] {
            assert!(sends_token_safely(ok), "{ok}");
        }
        for bad in ["http://gitlab.com", "http://127.0.0.1.evil.com:80", "ftp://x", "http://10.0.0.1:80"] {
            assert!(!sends_token_safely(bad), "{bad}");
        }
        let refused = Api::new("GitLab", "http://gitlab.example.com", Auth::Bearer(Token::new("t").unwrap()));
        assert!(matches!(refused, Err(ApiError::Transport { .. })));
        assert!(Api::new("GitLab", "http://gitlab.example.com", Auth::None).is_ok());
    }

    #[test]
    fn queries_and_segments_are_percent_encoded() {
        assert_eq!(
            query_string(&[("api-version", "7.1".into()), ("q", "a b&c".into())]),
            "?api-version=7.1&q=a%20b%26c"
        );
        assert_eq!(encode("My Project/ü"), "My%20Project%2F%C3%BC");
        assert_eq!(query_string(&[]), "");
    }

    #[test]
    fn error_answers_say_their_message() {
        assert_eq!(message_of(br#"{"message":"403 Forbidden\nmore"}"#), "403 Forbidden");
        assert_eq!(message_of(br#"{"type":"error","error":{"message":"no"}}"#), "no");
        assert_eq!(message_of(br#"{"error":"insufficient_scope"}"#), "insufficient_scope");
        assert_eq!(message_of(br#"{"message":{"state":["is invalid"]}}"#), r#"{"state":["is invalid"]}"#);
        assert_eq!(message_of(b"<html>Bad gateway</html>"), "<html>Bad gateway</html>");
    }

    #[test]
    fn only_what_cannot_run_twice_is_not_retried() {
        let status = |s| ApiError::Status { api: "GitLab", what: "x".into(), status: s, message: String::new() };
        let transport = ApiError::Transport { what: "x".into(), message: String::new() };
        assert!(status(502).retryable(Method::Get, &[]) && transport.retryable(Method::Put, &[]));
        assert!(!status(502).retryable(Method::Post, &[]) && !transport.retryable(Method::Post, &[]));
        assert!(status(429).retryable(Method::Post, &[]) && status(409).retryable(Method::Post, &[409]));
        assert!(!status(403).retryable(Method::Get, &[]));
    }

    #[test]
    fn chunked_bodies_are_joined_and_a_cut_one_is_refused() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(), Some(&b"abcde"[..]));
        assert_eq!(dechunk(b"5\r\nab"), None);
    }

    #[test]
    fn a_request_through_the_proxy_is_written_in_absolute_form() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = vec![0; 4096];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") || !got.ends_with(b"{\"a\":1}") {
                let n = s.read(&mut buf).unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"b\":2}\r\n0\r\n\r\n").unwrap();
            String::from_utf8(got).unwrap()
        });
        let api = Api::through_proxy("Bitbucket", "http://api.bitbucket.org/2.0", &format!("http://{addr}")).unwrap();
        let answer: serde_json::Value =
            api.send("x", Method::Put, "/repositories/w/r", &[], &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(answer, serde_json::json!({"b": 2}));
        let request = server.join().unwrap();
        assert!(request.starts_with("PUT http://api.bitbucket.org/2.0/repositories/w/r HTTP/1.1\r\n"), "{request}");
        assert!(request.contains("Host: api.bitbucket.org\r\n") && !request.to_lowercase().contains("authorization"));
    }
}
