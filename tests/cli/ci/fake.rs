//! One fake API server on 127.0.0.1 for GitLab, Bitbucket Cloud and Azure DevOps: it records
//! every request, checks it against the platform's limits (and, in the conformance target,
//! against the platform's own API description: [`super::contract`]), and keeps just enough
//! state (notes, statuses, reports and their annotations, threads) to answer like the platform.
//!
//! Modelled on the GitHub fake (`tests/cli/github/fake.rs`): std only, one thread, one request
//! per connection (`Connection: close`), bounded reads; it stops when dropped, and by itself
//! after two minutes or 2,000 connections. For Bitbucket it is also the Pipelines proxy: a
//! request in absolute form (`PUT http://api.bitbucket.org/2.0/… HTTP/1.1`) is taken as one sent
//! through the proxy.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::contract::Contract;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    GitLab,
    Bitbucket,
    Azure,
}

/// The operations temis calls: `(platform, method, path template, operation id)`, the ids being
/// those of the platform's API description.
const ROUTES: &[(Platform, &str, &str, &str)] = &[
    (
        Platform::GitLab,
        "GET",
        "/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes",
        "listMergeRequestNotes",
    ),
    (
        Platform::GitLab,
        "POST",
        "/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes",
        "createMergeRequestNote",
    ),
    (
        Platform::GitLab,
        "PUT",
        "/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes/{note_id}",
        "updateMergeRequestNote",
    ),
    (Platform::GitLab, "POST", "/api/v4/projects/{id}/statuses/{sha}", "postApiV4ProjectsIdStatusesSha"),
    (
        Platform::Bitbucket,
        "PUT",
        "/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}",
        "createOrUpdateReport",
    ),
    (
        Platform::Bitbucket,
        "POST",
        "/repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}/annotations",
        "bulkCreateOrUpdateAnnotations",
    ),
    (
        Platform::Azure,
        "GET",
        "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads",
        "Pull Request Threads_List",
    ),
    (
        Platform::Azure,
        "POST",
        "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads",
        "Pull Request Threads_Create",
    ),
    (
        Platform::Azure,
        "PATCH",
        "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads/{threadId}",
        "Pull Request Threads_Update",
    ),
    (
        Platform::Azure,
        "PATCH",
        "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads/{threadId}/comments/{commentId}",
        "Pull Request Thread Comments_Update",
    ),
    (
        Platform::Azure,
        "POST",
        "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/statuses",
        "Pull Request Statuses_Create",
    ),
];

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent (absolute form through the Bitbucket proxy).
    pub target: String,
    /// The API path (Bitbucket's without `/2.0`).
    pub path: String,
    pub query: String,
    pub operation: String,
    /// Every header, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Every way the request broke the platform's limits or description (empty when it kept them).
    pub problems: Vec<String>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An error to answer instead.
#[derive(Clone, Debug)]
pub struct Failure {
    pub method: &'static str,
    pub operation: &'static str,
    pub status: u16,
    /// How many times (0: always).
    pub times: u32,
}

/// What the fake platform holds.
#[derive(Debug, Default)]
pub struct State {
    pub requests: Vec<Recorded>,
    /// GitLab: merge-request notes `{id, body, author, system, updated_at}`.
    pub notes: Vec<Value>,
    /// GitLab commit statuses, Azure pull-request statuses: the bodies received.
    pub statuses: Vec<Value>,
    /// Bitbucket: reports by `commit/reportId`, and their annotations by `external_id`.
    pub reports: BTreeMap<String, Value>,
    pub annotations: BTreeMap<String, BTreeMap<String, Value>>,
    /// Azure: threads `{id, status, comments: [...]}`.
    pub threads: Vec<Value>,
    pub failures: Vec<Failure>,
    pub next_id: u64,
}

pub struct Fake {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Fake {
    pub fn start(platform: Platform, state: State) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State { next_id: 1000, ..state }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let contract = crate::CI_CONTRACT.then(|| Contract::load(platform));
        let thread = std::thread::spawn(move || serve(listener, platform, contract, st, sp));
        Fake { url, state, stop, thread: Some(thread) }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Requests that are not reads.
    pub fn writes(&self) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.method != "GET").collect()
    }

    pub fn fail(&self, method: &'static str, operation: &'static str, status: u16, times: u32) {
        self.state.lock().unwrap().failures.push(Failure { method, operation, status, times });
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The operation ids of `requests`.
pub fn ops(requests: &[Recorded]) -> Vec<String> {
    requests.iter().map(|r| r.operation.clone()).collect()
}

fn serve(
    listener: TcpListener,
    platform: Platform,
    contract: Option<Contract>,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut served = 0;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && served < 2_000 {
        match listener.accept() {
            Ok((stream, _)) => {
                served += 1;
                let _ = handle(stream, platform, contract.as_ref(), &state);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break,
        }
    }
}

fn handle(
    stream: TcpStream,
    platform: Platform,
    contract: Option<&Contract>,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
    let (mut length, mut chunked, mut headers) = (0usize, false, Vec::new());
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((&h, ""));
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        match name.as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            _ => {}
        }
        headers.push((name, value));
    }
    let raw = if chunked { read_chunked(&mut reader)? } else { read_exact(&mut reader, length.min(16 << 20))? };
    let body: Option<Value> = if raw.is_empty() { None } else { serde_json::from_slice(&raw).ok() };
    let mut problems = Vec::new();
    if !raw.is_empty() && body.is_none() {
        problems.push("the body is not JSON".to_string());
    }
    let (full, query) = target.split_once('?').unwrap_or((&target, ""));
    let path = match platform {
        Platform::Bitbucket => {
            let local = full.strip_prefix("http://api.bitbucket.org").unwrap_or(full);
            local.strip_prefix("/2.0").unwrap_or(local).to_string()
        }
        _ => full.to_string(),
    };
    let found = ROUTES
        .iter()
        .filter(|(p, m, _, _)| *p == platform && *m == method)
        .find_map(|(_, _, template, id)| Some((*id, match_template(template, &path)?)));
    let (operation, params) = match found {
        Some((id, params)) => (id.to_string(), params),
        None => {
            problems.push(format!("no operation {method} {path} that temis calls"));
            (String::new(), Vec::new())
        }
    };
    if let Some(c) = contract {
        match c.check(&method, &path, query, body.as_ref()) {
            Ok(id) if id != operation && !operation.is_empty() => {
                problems.push(format!("{method} {path} is {id} in the description, not {operation}"))
            }
            Ok(_) => {}
            Err(p) => problems.extend(p),
        }
    }
    let mut st = state.lock().unwrap();
    if !operation.is_empty() {
        problems.extend(limits(platform, &operation, query, body.as_ref(), &st, &params));
    }
    let auth = headers
        .iter()
        .find(|(n, _)| n == "private-token" || n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    st.requests.push(Recorded {
        method: method.clone(),
        target: target.clone(),
        path: path.clone(),
        query: query.to_string(),
        operation: operation.clone(),
        headers,
        body: body.clone(),
        problems: problems.clone(),
    });
    let failure =
        st.failures.iter_mut().find(|f| f.method == method && f.operation == operation).and_then(|f| match f.times {
            0 => Some(f.status),
            1 => {
                f.times = u32::MAX;
                Some(f.status)
            }
            u32::MAX => None,
            n => {
                f.times = n - 1;
                Some(f.status)
            }
        });
    let (status, answer) = if !problems.is_empty() {
        (400, json!({"message": "Bad Request", "errors": problems}))
    } else if let Some(status) = failure {
        // An answer that repeats the credentials, as a careless proxy might: temis must not print them.
        (status, json!({"message": format!("{status} refused for credentials {auth}")}))
    } else {
        respond(platform, &mut st, &operation, &params, query, body.unwrap_or(Value::Null))
    };
    drop(st);
    let text = answer.to_string();
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\
         retry-after: 0\r\nconnection: close\r\n\r\n{text}",
        reason(status),
        text.len()
    )?;
    stream.flush()
}

/// `{name}` segments of `template` matched against `path`.
pub fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (a, b) in t.iter().zip(&p) {
        match a.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
            Some(name) if !b.is_empty() => params.push((name.to_string(), b.to_string())),
            Some(_) => return None,
            None if a == b => {}
            None => return None,
        }
    }
    Some(params)
}

/// The limits each platform documents (the API descriptions' README), checked on every run.
fn limits(
    platform: Platform,
    op: &str,
    query: &str,
    body: Option<&Value>,
    st: &State,
    params: &[(String, String)],
) -> Vec<String> {
    let mut p = Vec::new();
    let q = |k: &str| query.split('&').find_map(|kv| kv.strip_prefix(&format!("{k}="))).map(str::to_string);
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    match platform {
        Platform::GitLab => {
            if q("per_page").and_then(|v| v.parse::<u64>().ok()).is_some_and(|n| n > 100) {
                p.push("per_page over GitLab's maximum of 100".into());
            }
            if let Some(b) = body.and_then(|b| b.get("body"))
                && (chars(b) > 1_000_000 || chars(b) == 0)
            {
                p.push(format!("a note body of {} characters (1 to 1,000,000)", chars(b)));
            }
        }
        Platform::Bitbucket => match op {
            "createOrUpdateReport" => {
                let data = body.and_then(|b| b["data"].as_array()).map_or(0, Vec::len);
                if data > 6 {
                    p.push(format!("{data} data fields: at most 6"));
                }
            }
            _ => {
                let list = body.and_then(Value::as_array).cloned().unwrap_or_default();
                if list.is_empty() || list.len() > 100 {
                    p.push(format!("{} annotations in one request: 1 to 100", list.len()));
                }
                let key = report_key(params);
                let mut ids: Vec<String> =
                    st.annotations.get(&key).map(|m| m.keys().cloned().collect()).unwrap_or_default();
                for a in &list {
                    if a["line"].as_i64().is_some_and(|l| l < 1) {
                        p.push(format!("annotation line {} (at least 1)", a["line"]));
                    }
                    match a["external_id"].as_str() {
                        Some(id) if !ids.iter().any(|x| x == id) => ids.push(id.to_string()),
                        Some(_) => {}
                        None => p.push("an annotation without external_id".into()),
                    }
                }
                if ids.len() > 1_000 {
                    p.push(format!("{} annotations on one report: at most 1,000", ids.len()));
                }
            }
        },
        Platform::Azure => {
            if q("api-version").is_none() {
                p.push("no api-version".into());
            }
            let b = body.cloned().unwrap_or(Value::Null);
            match op {
                "Pull Request Threads_Create" => {
                    let comments = b["comments"].as_array().cloned().unwrap_or_default();
                    if comments.is_empty() {
                        p.push("a new thread without a comment".into());
                    }
                    for c in &comments {
                        if chars(&c["content"]) > 150_000 {
                            p.push("a comment over 150,000 characters".into());
                        }
                    }
                }
                "Pull Request Thread Comments_Update" if chars(&b["content"]) > 150_000 => {
                    p.push("a comment over 150,000 characters".into())
                }
                "Pull Request Statuses_Create" if b["context"]["name"].as_str().is_none_or(str::is_empty) => {
                    p.push("a status without context.name".into())
                }
                _ => {}
            }
        }
    }
    p
}

fn report_key(params: &[(String, String)]) -> String {
    format!("{}/{}", param(params, "commit"), param(params, "reportId"))
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn respond(
    platform: Platform,
    st: &mut State,
    op: &str,
    params: &[(String, String)],
    query: &str,
    body: Value,
) -> (u16, Value) {
    st.next_id += 1;
    let id = st.next_id;
    match (platform, op) {
        (Platform::GitLab, "listMergeRequestNotes") => {
            let get = |k: &str, d: usize| {
                query
                    .split('&')
                    .find_map(|p| p.strip_prefix(&format!("{k}=")))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(d)
            };
            let (page, per) = (get("page", 1).max(1), get("per_page", 20).max(1));
            let mut all = st.notes.clone();
            all.sort_by_key(|n| std::cmp::Reverse(n["updated_at"].as_u64().unwrap_or(0)));
            (200, Value::Array(all.into_iter().skip((page - 1) * per).take(per).collect()))
        }
        (Platform::GitLab, "createMergeRequestNote") => {
            let note = json!({"id": id, "body": body["body"], "system": false, "updated_at": id,
                              "author": {"id": 7, "username": "temis-bot"}, "noteable_type": "MergeRequest"});
            st.notes.push(note.clone());
            (201, note)
        }
        (Platform::GitLab, "updateMergeRequestNote") => {
            let note_id: u64 = param(params, "note_id").parse().unwrap_or(0);
            match st.notes.iter_mut().find(|n| n["id"] == note_id) {
                Some(n) => {
                    n["body"] = body["body"].clone();
                    n["updated_at"] = json!(id);
                    (200, n.clone())
                }
                None => (404, json!({"message": "404 Not found"})),
            }
        }
        (Platform::GitLab, _) => {
            st.statuses.push(body.clone());
            (201, json!({"id": id, "sha": param(params, "sha"), "status": body["state"], "name": body["name"]}))
        }
        (Platform::Bitbucket, "createOrUpdateReport") => {
            let mut report = body.clone();
            report["uuid"] = json!(format!("{{report-{id}}}"));
            st.reports.insert(report_key(params), report.clone());
            (200, report)
        }
        (Platform::Bitbucket, _) => {
            let key = report_key(params);
            if !st.reports.contains_key(&key) {
                return (404, json!({"type": "error", "error": {"message": "no such report"}}));
            }
            let list = body.as_array().cloned().unwrap_or_default();
            let map = st.annotations.entry(key).or_default();
            for a in &list {
                map.insert(a["external_id"].as_str().unwrap_or_default().to_string(), a.clone());
            }
            (200, Value::Array(list))
        }
        (Platform::Azure, "Pull Request Threads_List") => {
            let threads = st.threads.clone();
            (200, json!({"value": threads, "count": threads.len()}))
        }
        (Platform::Azure, "Pull Request Threads_Create") => {
            let comments: Vec<Value> = body["comments"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!(i + 1);
                    c["author"] = json!({"displayName": "Build Service", "uniqueName": "build-service"});
                    c
                })
                .collect();
            let thread = json!({"id": id, "status": body["status"], "comments": comments, "isDeleted": false});
            st.threads.push(thread.clone());
            (200, thread)
        }
        (Platform::Azure, "Pull Request Threads_Update") => {
            let tid: u64 = param(params, "threadId").parse().unwrap_or(0);
            match st.threads.iter_mut().find(|t| t["id"] == tid) {
                Some(t) => {
                    if !body["status"].is_null() {
                        t["status"] = body["status"].clone();
                    }
                    (200, t.clone())
                }
                None => (404, json!({"message": "thread not found"})),
            }
        }
        (Platform::Azure, "Pull Request Thread Comments_Update") => {
            let tid: u64 = param(params, "threadId").parse().unwrap_or(0);
            let cid: u64 = param(params, "commentId").parse().unwrap_or(0);
            let comment = st
                .threads
                .iter_mut()
                .find(|t| t["id"] == tid)
                .and_then(|t| t["comments"].as_array_mut()?.iter_mut().find(|c| c["id"] == cid));
            match comment {
                Some(c) => {
                    c["content"] = body["content"].clone();
                    (200, c.clone())
                }
                None => (404, json!({"message": "comment not found"})),
            }
        }
        (Platform::Azure, _) => {
            st.statuses.push(body.clone());
            let mut s = body;
            s["id"] = json!(id);
            (200, s)
        }
    }
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
        out.extend(read_exact(r, n.min(16 << 20))?);
        let mut crlf = String::new();
        r.read_line(&mut crlf)?;
    }
    Ok(out)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        _ => "Error",
    }
}
