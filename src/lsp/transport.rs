//! The LSP base protocol on a byte stream: `Content-Length` framed JSON-RPC messages in, and
//! out.
//!
//! Our own reader, not `lsp-server`'s stdio transport: that one ends the connection on the
//! first message that is not valid JSON and allocates whatever `Content-Length` claims. Here
//! every header and body is bounded, and a bad frame becomes a [`Frame`] the server answers or
//! logs, after which reading goes on with the next frame. Not for what messages mean: that is
//! the server loop in `lsp`.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::{Value, json};

/// The largest message body read, in bytes: a document several times the size cap of `check`
/// still arrives (and gets its "over the size cap" finding); anything larger is skipped unread.
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// The most bytes of header lines before one body: real headers are two short lines.
const MAX_HEADER: usize = 8 * 1024;

/// One frame read from the client.
#[derive(Debug)]
pub enum Frame {
    /// A well-formed JSON-RPC message.
    Message(Message),
    /// A body that is not a JSON-RPC message: answered with `error` when it carried a request
    /// id, else logged.
    Invalid {
        /// The request id, when one could be read (`null` for a body that is no JSON at all).
        id: Option<Value>,
        /// `ParseError` (not JSON) or `InvalidRequest` (JSON, but not a message).
        code: ErrorCode,
        /// What is wrong.
        message: String,
    },
    /// Headers without a usable `Content-Length` (skipped): what was wrong.
    Skipped(String),
    /// A body of this many bytes, over the cap (skipped unread).
    Oversized(usize),
}

/// Read the next frame, skipping a body over `max_body` bytes unread; `None` at the end of the
/// stream (also in the middle of a frame).
pub fn read_frame(input: &mut impl BufRead, max_body: usize) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut header_bytes = 0;
    let mut line = Vec::new();
    loop {
        line.clear();
        let budget = MAX_HEADER.saturating_sub(header_bytes) + 1;
        let read = input
            .by_ref()
            .take(budget as u64)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(None);
        }
        header_bytes += read;
        if header_bytes > MAX_HEADER {
            // No body can be found in a stream whose headers never end: skip what was read
            // and look for the next header from the next line on.
            skip_line(input)?;
            return Ok(Some(Frame::Skipped(format!(
                "a message header over {MAX_HEADER} bytes was skipped"
            ))));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_none() && header_bytes <= 2 {
                // A blank line between frames (some clients end a body with a newline).
                header_bytes = 0;
                continue;
            }
            break;
        }
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse::<usize>().map_err(|_| value.to_owned()));
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(value)) => {
            return Ok(Some(Frame::Skipped(format!(
                "a message with an invalid Content-Length `{}` was skipped",
                value.trim()
            ))));
        }
        None => {
            return Ok(Some(Frame::Skipped(
                "a message without a Content-Length header was skipped".to_owned(),
            )));
        }
    };
    if length > max_body {
        let skipped = io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        if skipped < length as u64 {
            return Ok(None);
        }
        return Ok(Some(Frame::Oversized(length)));
    }
    let mut body = Vec::new();
    if input.by_ref().take(length as u64).read_to_end(&mut body)? < length {
        return Ok(None);
    }
    Ok(Some(parse(&body)))
}

/// Read and drop the rest of a line.
fn skip_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(at) = memchr::memchr(b'\n', buffer) {
            input.consume(at + 1);
            return Ok(());
        }
        let all = buffer.len();
        input.consume(all);
    }
}

/// A body as a message, or what is wrong with it.
fn parse(body: &[u8]) -> Frame {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Frame::Message(message),
        Err(not_a_message) => match serde_json::from_slice::<Value>(body) {
            Err(e) => Frame::Invalid {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("the message is not valid JSON: {e}"),
            },
            Ok(value) => Frame::Invalid {
                id: value
                    .get("id")
                    .filter(|id| id.is_string() || id.is_number())
                    .cloned(),
                code: ErrorCode::InvalidRequest,
                message: format!(
                    "the message is not a JSON-RPC request, response or notification: {not_a_message}"
                ),
            },
        },
    }
}

/// Write an error response to a request whose id may be unknown (`null`), as JSON-RPC asks for
/// a body that could not be read.
pub fn write_error(
    out: &mut impl Write,
    id: Option<Value>,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": {"code": code as i32, "message": message},
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn frames(stream: &str) -> Vec<Frame> {
        let mut input = io::Cursor::new(stream.as_bytes().to_vec());
        let mut out = Vec::new();
        while let Some(frame) = read_frame(&mut input, 64).expect("read") {
            out.push(frame);
        }
        out
    }

    #[test]
    fn a_bad_frame_is_reported_and_the_next_one_read() {
        let stream = [
            frame("{not json"),
            frame(r#"{"id": 7, "method": 3}"#),
            "Content-Type: x\r\n\r\n".to_owned(),
            "Content-Length: lots\r\n\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        ]
        .concat();
        let read = frames(&stream);
        assert_eq!(read.len(), 5, "{read:?}");
        assert!(matches!(
            &read[0],
            Frame::Invalid {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(matches!(
            &read[1],
            Frame::Invalid { id: Some(id), code: ErrorCode::InvalidRequest, .. } if *id == json!(7)
        ));
        assert!(matches!(&read[2], Frame::Skipped(m) if m.contains("without a Content-Length")));
        assert!(matches!(&read[3], Frame::Skipped(m) if m.contains("`lots`")));
        assert!(matches!(
            &read[4],
            Frame::Message(Message::Request(r)) if r.method == "shutdown"
        ));
    }

    #[test]
    fn a_body_over_the_cap_is_skipped_unread_and_endless_headers_are_cut() {
        let exit = frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let stream = [frame(&"x".repeat(65)), exit.clone()].concat();
        let read = frames(&stream);
        assert!(matches!(read[0], Frame::Oversized(65)), "{read:?}");
        assert!(matches!(
            &read[1],
            Frame::Message(Message::Notification(n)) if n.method == "exit"
        ));
        // The stream ends before the claimed body: the end, not an allocation of the claim.
        let huge = format!("Content-Length: {}\r\n\r\n", usize::MAX);
        assert!(frames(&format!("{huge}xxxxxxxxxx")).is_empty());
        let long_header = format!("X-Pad: {}\r\n\r\n", "y".repeat(MAX_HEADER * 2));
        let stream = [long_header, exit].concat();
        let read = frames(&stream);
        assert!(matches!(&read[0], Frame::Skipped(m) if m.contains("header over")));
        assert!(matches!(
            read.last(),
            Some(Frame::Message(Message::Notification(n))) if n.method == "exit"
        ));
    }

    #[test]
    fn error_responses_carry_a_null_id_when_none_is_known() {
        let mut out = Vec::new();
        write_error(&mut out, None, ErrorCode::ParseError, "bad").expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let (header, body) = text.split_once("\r\n\r\n").expect("header");
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let body: Value = serde_json::from_str(body).expect("json");
        assert_eq!(
            body,
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "bad"}})
        );
    }
}
