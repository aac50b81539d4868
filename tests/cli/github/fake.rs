//! A fake GitHub REST API on 127.0.0.1: it checks every request against a description of
//! GitHub's API ([`Spec::load`]: GitHub's own OpenAPI description in the conformance target),
//! records it, and keeps just enough state (comments, check runs, a pull request's files) to
//! answer like GitHub.
//!
//! std only: one thread, one request per connection (`Connection: close`), bounded reads. It
//! stops when dropped, and by itself after two minutes or 2,000 connections whatever happens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::openapi::Spec;

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub operation: String,
    pub authorization: Option<String>,
    pub body: Option<Value>,
    /// Every way the request broke the OpenAPI contract (empty when it kept it).
    pub problems: Vec<String>,
}

/// What the fake repository holds.
#[derive(Debug, Default)]
pub struct State {
    pub requests: Vec<Recorded>,
    /// Issue comments: `{id, body, user: {login}}`.
    pub comments: Vec<Value>,
    /// Check runs: the create body, and every annotation sent to it since.
    pub check_runs: Vec<(u64, Value, Vec<Value>)>,
    /// The pull request's files (`diff-entry` objects).
    pub files: Vec<Value>,
    pub pr_head_sha: String,
    /// `(METHOD, operationId, status)`: answer this status instead.
    pub failures: Vec<(String, String, u16)>,
    /// A path prefix the API lives under (`/api/v3` on GitHub Enterprise); empty for none.
    pub prefix: String,
    pub next_id: u64,
}

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGitHub {
    pub fn start(state: State) -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State { next_id: 1000, ..state }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || serve(listener, st, sp));
        FakeGitHub { url, state, stop, thread: Some(thread) }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Requests that are not reads.
    pub fn writes(&self) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.method != "GET").collect()
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(listener: TcpListener, state: Arc<Mutex<State>>, stop: Arc<AtomicBool>) {
    let spec = Spec::load();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut served = 0;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && served < 2_000 {
        match listener.accept() {
            Ok((stream, _)) => {
                served += 1;
                let _ = handle(stream, &spec, &state);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break,
        }
    }
}

fn handle(stream: TcpStream, spec: &Spec, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
    let (mut length, mut chunked, mut authorization) = (0usize, false, None);
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((&h, ""));
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "authorization" => authorization = Some(value),
            _ => {}
        }
    }
    let raw = if chunked { read_chunked(&mut reader)? } else { read_exact(&mut reader, length.min(8 << 20))? };
    let body: Option<Value> = if raw.is_empty() { None } else { serde_json::from_slice(&raw).ok() };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (status, answer) = {
        let mut st = state.lock().unwrap();
        let Some(path) = path.strip_prefix(st.prefix.as_str()).filter(|p| p.starts_with('/')) else {
            drop(st);
            return answer_with(reader.into_inner(), 404, &json!({"message": "Not Found"}).to_string());
        };
        let (operation, params, problems) = match spec.check(&method, path, query, body.as_ref()) {
            Ok(op) => (op.id, op.params, Vec::new()),
            Err(p) => (String::new(), Vec::new(), p),
        };
        st.requests.push(Recorded {
            method: method.clone(),
            path: path.to_string(),
            query: query.to_string(),
            operation: operation.clone(),
            authorization,
            body: body.clone(),
            problems: problems.clone(),
        });
        if !problems.is_empty() {
            (422, json!({"message": "Validation Failed", "errors": problems}))
        } else {
            respond(&mut st, &method, &operation, &params, query, body.unwrap_or(Value::Null))
        }
    };
    let text = if status == 204 { String::new() } else { answer.to_string() };
    answer_with(reader.into_inner(), status, &text)
}

fn answer_with(mut stream: TcpStream, status: u16, text: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{text}",
        reason(status),
        text.len()
    )?;
    stream.flush()
}

fn read_exact(r: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0; n];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

fn read_chunked(r: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let mut size = String::new();
        r.read_line(&mut size)?;
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            let mut end = String::new();
            r.read_line(&mut end)?;
            break;
        }
        out.extend(read_exact(r, n.min(8 << 20))?);
        let mut crlf = String::new();
        r.read_line(&mut crlf)?;
    }
    Ok(out)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        502 => "Bad Gateway",
        _ => "Error",
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

/// `page` and `per_page` of a listing.
fn page_of(all: &[Value], query: &str) -> Value {
    let get = |k: &str, d: usize| {
        query.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).and_then(|v| v.parse().ok()).unwrap_or(d)
    };
    let (page, per) = (get("page", 1).max(1), get("per_page", 30).max(1));
    Value::Array(all.iter().skip((page - 1) * per).take(per).cloned().collect())
}

fn comment(id: u64, body: &str) -> Value {
    json!({
        "id": id, "node_id": format!("IC_{id}"), "body": body,
        "url": format!("https://api.github.com/repos/octo/app/issues/comments/{id}"),
        "html_url": format!("https://github.com/octo/app/pull/7#issuecomment-{id}"),
        "issue_url": "https://api.github.com/repos/octo/app/issues/7",
        "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
        "created_at": "2026-11-24T10:00:00Z", "updated_at": "2026-11-24T10:00:00Z",
        "author_association": "NONE"
    })
}

fn respond(
    st: &mut State,
    method: &str,
    op: &str,
    params: &[(String, String)],
    query: &str,
    body: Value,
) -> (u16, Value) {
    if let Some((_, _, status)) = st.failures.iter().find(|(m, o, _)| m == method && o == op) {
        let message = if *status == 403 { "Resource not accessible by integration" } else { "Failed" };
        return (*status, json!({"message": message, "documentation_url": "https://docs.github.com/rest"}));
    }
    let annotations = |b: &Value| b["output"]["annotations"].as_array().cloned().unwrap_or_default();
    // The live API's limit on comment bodies, which the description leaves out (its README, fact 5).
    if body["body"].as_str().is_some_and(|b| b.chars().count() > 65_536) {
        return (
            422,
            json!({"message": "Validation Failed",
                            "errors": [{"message": "Body is too long (maximum is 65536 characters)"}]}),
        );
    }
    match op {
        "pulls/get" => (
            200,
            json!({"number": param(params, "pull_number").parse::<u64>().unwrap_or(0),
                   "head": {"sha": st.pr_head_sha, "ref": "feature", "repo": {"full_name": "octo/app"}},
                   "base": {"sha": "base0000", "ref": "main", "repo": {"full_name": "octo/app"}}}),
        ),
        "pulls/list-files" => (200, page_of(&st.files, query)),
        "issues/list-comments" => (200, page_of(&st.comments, query)),
        "issues/create-comment" => {
            st.next_id += 1;
            let c = comment(st.next_id, body["body"].as_str().unwrap_or_default());
            st.comments.push(c.clone());
            (201, c)
        }
        "issues/update-comment" => {
            let id: u64 = param(params, "comment_id").parse().unwrap_or(0);
            match st.comments.iter_mut().find(|c| c["id"] == id) {
                Some(c) => {
                    c["body"] = body["body"].clone();
                    (200, c.clone())
                }
                None => (404, json!({"message": "Not Found"})),
            }
        }
        "checks/create" => {
            st.next_id += 1;
            let id = st.next_id;
            let notes = annotations(&body);
            st.check_runs.push((id, body.clone(), notes));
            (
                201,
                json!({"id": id, "name": body["name"], "head_sha": body["head_sha"], "status": body["status"],
                         "conclusion": body["conclusion"]}),
            )
        }
        "checks/update" => {
            let id: u64 = param(params, "check_run_id").parse().unwrap_or(0);
            match st.check_runs.iter_mut().find(|(i, _, _)| *i == id) {
                Some((_, created, notes)) => {
                    notes.extend(annotations(&body));
                    (200, json!({"id": id, "name": created["name"]}))
                }
                None => (404, json!({"message": "Not Found"})),
            }
        }
        _ => (404, json!({"message": "Not Found"})),
    }
}
