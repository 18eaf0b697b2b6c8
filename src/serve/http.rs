//! Just enough HTTP/1.1 for one local page: read one request per connection (headers and a
//! body of a declared length, each under a cap and a deadline), write one response, close.
//!
//! Not a general server: no keep-alive, no chunked request bodies, no TLS. It is written on
//! `httparse` rather than taken from a server crate because the page needs only this, and every
//! limit has to hold against a forged request (a `Content-Length` of terabytes must cost
//! nothing but a 413).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// Most headers in one request.
const MAX_HEADERS: usize = 64;
/// Time a client has to send the request head.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// Time a client has to send a body it announced (a large paste over loopback takes far less).
const BODY_TIME: Duration = Duration::from_mins(1);
/// After a refused body, how much of it is still read and dropped so the client sees the
/// answer (a socket closed with unread data resets the connection, and the browser would show
/// a network error instead of the 413), and for how long at most.
const DRAIN_BYTES: u64 = 256 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// One request as read.
#[derive(Debug)]
pub struct Request {
    /// `GET`, `POST`…
    pub method: String,
    /// The request target's path, without the query.
    pub path: String,
    /// The query string after `?`, if any.
    pub query: Option<String>,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body (empty when none was sent).
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request could be read; each but `Gone` is answered with its status.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection or sent nothing in time: nothing to answer.
    Gone,
    /// Not a request this server understands (400, or 411/501 for bodies without a length).
    Bad(u16, String),
    /// The announced body is over the cap (413); `declared` is its length, for draining.
    TooLarge {
        /// The request's head (its body unread), to judge who sent it.
        request: Box<Request>,
        /// The cap.
        limit: usize,
        /// The announced length.
        declared: u64,
    },
}

/// Read one request from `stream`, with a body of at most `max_body` bytes.
pub fn read_request(stream: &mut TcpStream, max_body: usize) -> Result<Request, ReadError> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0_u8; 4096];
    let (head_len, mut request) = loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => break (len, owned(&parsed)),
            Ok(httparse::Status::Partial) => {}
            Err(e) => return Err(ReadError::Bad(400, format!("not an HTTP request: {e}"))),
        }
        if buf.len() >= MAX_HEAD {
            return Err(ReadError::Bad(
                431,
                format!("the request head is over {MAX_HEAD} bytes"),
            ));
        }
        let n = read_until(stream, &mut chunk, deadline).map_err(|_| ReadError::Gone)?;
        if n == 0 {
            return Err(ReadError::Gone);
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    };
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Bad(
            411,
            "send the body with a Content-Length, not chunked".to_owned(),
        ));
    }
    let declared = match request.header("content-length") {
        Some(value) => value.trim().parse::<u64>().map_err(|_| {
            ReadError::Bad(400, format!("Content-Length {value:?} is not a number"))
        })?,
        None => 0,
    };
    if declared > max_body as u64 {
        return Err(ReadError::TooLarge {
            request: Box::new(request),
            limit: max_body,
            declared,
        });
    }
    // Checked just above: the length fits the cap, a usize.
    let length = usize::try_from(declared).unwrap_or(max_body);
    let mut body = buf.split_off(head_len.min(buf.len()));
    body.truncate(length);
    // curl and other clients wait for this before sending a body (a second, then send anyway).
    if body.len() < length
        && request
            .header("expect")
            .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| ReadError::Gone)?;
    }
    let deadline = Instant::now() + BODY_TIME;
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        let n = read_until(stream, &mut chunk[..want], deadline).map_err(|_| ReadError::Gone)?;
        if n == 0 {
            return Err(ReadError::Gone);
        }
        body.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    request.body = body;
    Ok(request)
}

/// A parsed head as owned strings (header values that are not UTF-8 are read lossily).
fn owned(parsed: &httparse::Request<'_, '_>) -> Request {
    let target = parsed.path.unwrap_or("/");
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    Request {
        method: parsed.method.unwrap_or("").to_owned(),
        path,
        query,
        headers: parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
        body: Vec::new(),
    }
}

/// One read that gives up at `deadline`.
fn read_until(stream: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    stream.set_read_timeout(Some(left))?;
    stream.read(buf)
}

/// A response to write.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Headers besides the ones every response carries.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON `{"error": message}` with this status: what the page shows.
    pub fn error(status: u16, message: impl Into<String>) -> Response {
        Response::json(status, &serde_json::json!({ "error": message.into() }))
    }
}

/// Write `response` and close the connection; after a refused body, read and drop up to
/// `unread` bytes of it first (within [`DRAIN_BYTES`] and [`DRAIN_TIME`]).
pub fn respond(stream: &mut TcpStream, response: &Response, unread: u64) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\nCross-Origin-Resource-Policy: same-origin\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.set_write_timeout(Some(BODY_TIME));
    // A client that went away needs no answer.
    let written = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&response.body))
        .and_then(|()| stream.flush());
    if written.is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    if unread > 0 {
        drain(stream, unread.min(DRAIN_BYTES));
    }
}

/// Read and drop up to `bytes` bytes, for at most [`DRAIN_TIME`].
fn drain(stream: &mut TcpStream, bytes: u64) {
    let deadline = Instant::now() + DRAIN_TIME;
    let mut chunk = [0_u8; 16 * 1024];
    let mut left = bytes;
    while left > 0 {
        match read_until(stream, &mut chunk, deadline) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
}

/// The reason phrase of the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
