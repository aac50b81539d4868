//! The session's lines between standard input and output and the SDK, so that every request
//! line gets an answer: rmcp passes over a line that is not JSON, or is longer than it takes,
//! with a log line and no reply, and a client waiting on that request waited for ever. Such a
//! line is answered here, as JSON-RPC 2.0 says: a `-32700` parse error (a line too long: `-32600`,
//! invalid request), with a null id (no id can be read from it). Every other line goes to the
//! SDK as it came; what the SDK writes and these answers go out one whole line at a time, through
//! a bounded queue (a client that stops reading holds the server, it does not fill its memory).
//! (rmcp stays silent on purpose, lest two peers answer each other's errors for ever; a server
//! answering a client's request line cannot start that, as a client does not answer responses.)

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The longest line passed on: one byte under the SDK's own limit
/// (`rmcp::transport::async_rw::DEFAULT_MAX_LINE_LENGTH`), so that it drops none.
const MAX_LINE: usize = 16 * 1024 * 1024 - 1;

/// The tasks that carry the lines; [`Frames::finish`] waits until every answer is written.
pub struct Frames {
    input: JoinHandle<()>,
    output: JoinHandle<()>,
    writer: JoinHandle<()>,
}

/// The SDK's end of standard input and output (its reader and its writer), and the tasks
/// between them and the real ones.
pub fn stdio() -> ((DuplexStream, DuplexStream), Frames) {
    let (client_in, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, client_out) = tokio::io::duplex(1 << 16);
    let (lines, mut queue) = mpsc::channel::<Vec<u8>>(64);
    let input = tokio::spawn(requests(tokio::io::stdin(), client_in, lines.clone()));
    let output = tokio::spawn(async move {
        let mut from = BufReader::new(client_out);
        loop {
            let mut line = Vec::new();
            match from.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if lines.send(line).await.is_err() {
                        break;
                    }
                }
            }
        }
    });
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(line) = queue.recv().await {
            if stdout.write_all(&line).await.is_err() || stdout.flush().await.is_err() {
                break;
            }
        }
    });
    ((server_in, server_out), Frames { input, output, writer })
}

impl Frames {
    /// Once the session ended: stops reading, and waits until what the SDK wrote is out.
    pub async fn finish(self) {
        self.input.abort();
        let _ = self.output.await;
        let _ = self.writer.await;
    }
}

/// Reads request lines from `from`: a line that is JSON goes to the SDK (`to`), any other is
/// answered on `answers`.
async fn requests(from: impl AsyncRead + Unpin, mut to: DuplexStream, answers: mpsc::Sender<Vec<u8>>) {
    let mut from = BufReader::new(from);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = match (&mut from).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line).await {
            Ok(n) => n,
            Err(_) => break,
        };
        if n == 0 {
            break;
        }
        if line.len() > MAX_LINE && line.last() != Some(&b'\n') {
            // The rest of the line is read and dropped, a piece at a time (to the end of the
            // input, for a last line without a line break: answered all the same).
            let more = skip_line(&mut from).await;
            let _ = answers.send(error(-32600, "Invalid Request: a message longer than 16 MiB")).await;
            if !more {
                break;
            }
            continue;
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        // UTF-8 first: serde skips over a string's bytes it does not keep, and the SDK then
        // dropped the line with no answer.
        let parsed = std::str::from_utf8(text)
            .map_err(|e| format!("Parse error: the line is not UTF-8 ({e})"))
            .and_then(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).map_err(|e| format!("Parse error: {e}")));
        if let Err(why) = parsed {
            let _ = answers.send(error(-32700, &why)).await;
            continue;
        }
        if line.last() != Some(&b'\n') {
            line.push(b'\n');
        }
        if to.write_all(&line).await.is_err() {
            break;
        }
    }
}

/// Reads to the end of the line `from` stands in; false at the end of the input.
async fn skip_line(from: &mut BufReader<impl AsyncRead + Unpin>) -> bool {
    loop {
        let (done, used) = match from.fill_buf().await {
            Ok([]) | Err(_) => return false,
            Ok(buf) => match memchr::memchr(b'\n', buf) {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            },
        };
        from.consume(used);
        if done {
            return true;
        }
    }
}

/// A JSON-RPC error response with a null id, as one line.
fn error(code: i64, message: &str) -> Vec<u8> {
    let mut line =
        serde_json::to_vec(&json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } }))
            .unwrap_or_default();
    line.push(b'\n');
    line
}
