//! Errors of operation calls, and the metadata of error responses.
//!
//! Every error here says in its `Display` what went wrong *including* its cause's message, so that
//! printing the top-level error alone is enough; `source()` still returns the cause.

use std::error::Error;
use std::fmt;
use std::time::Duration;

use crate::Response;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// The error of every operation call; `E` is the operation's generated error enum.
#[derive(Debug)]
pub enum SdkError<E> {
    /// The service answered with an error response (modelled or not).
    Service(E),
    /// The input was rejected before anything was sent.
    Validation(ValidationError),
    /// No response could be had (connection, timeout), after all attempts.
    Transport(TransportError),
    /// A response came but could not be read.
    Decode(DecodeError),
}

impl<E> SdkError<E> {
    /// The operation error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation error, by value.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Service(e) => write!(f, "service error: {e}"),
            SdkError::Validation(e) => write!(f, "invalid input: {e}"),
            SdkError::Transport(e) => write!(f, "transport error: {e}"),
            SdkError::Decode(e) => write!(f, "response error: {e}"),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(match self {
            SdkError::Service(e) => e,
            SdkError::Validation(e) => e,
            SdkError::Transport(e) => e,
            SdkError::Decode(e) => e,
        })
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(e: ValidationError) -> Self {
        SdkError::Validation(e)
    }
}

impl<E> From<TransportError> for SdkError<E> {
    fn from(e: TransportError) -> Self {
        SdkError::Transport(e)
    }
}

impl<E> From<DecodeError> for SdkError<E> {
    fn from(e: DecodeError) -> Self {
        SdkError::Decode(e)
    }
}

/// What an error response says about itself (AWS JSON error conventions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The HTTP status.
    pub status: u16,
    /// The error code, e.g. `NotFoundException`, without namespace or URI.
    pub code: Option<String>,
    /// The error message.
    pub message: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

impl ErrorMeta {
    /// Reads the metadata of an error response:
    /// - code: the `X-Amzn-ErrorType` header, else the body's `__type`, else `code` / `Code`; in each,
    ///   anything from the first `:` on and anything up to a `#` is dropped
    ///   (`aws.protocoltests#FooError:http://...` is `FooError`);
    /// - message: the body's `message`, `Message` or `errorMessage`;
    /// - request id: the `x-amzn-requestid` or `x-amz-request-id` header.
    pub fn from_response(r: &Response) -> ErrorMeta {
        let body: Option<serde_json::Map<String, serde_json::Value>> =
            if r.body.iter().all(u8::is_ascii_whitespace) { None } else { serde_json::from_slice(&r.body).ok() };
        let field = |names: &[&str]| {
            let body = body.as_ref()?;
            names.iter().find_map(|n| body.get(*n).and_then(|v| v.as_str())).map(str::to_owned)
        };
        let code = r
            .header("x-amzn-errortype")
            .filter(|h| !h.trim().is_empty())
            .map(str::to_owned)
            .or_else(|| field(&["__type", "code", "Code"]))
            .map(|c| sanitize_code(&c).to_owned())
            .filter(|c| !c.is_empty());
        ErrorMeta {
            status: r.status,
            code,
            message: field(&["message", "Message", "errorMessage"]),
            request_id: r.header("x-amzn-requestid").or_else(|| r.header("x-amz-request-id")).map(str::to_owned),
        }
    }
}

impl ErrorMeta {
    /// For services that moved from awsQuery to a JSON protocol (`awsQueryCompatible`): the
    /// code becomes the Query one of the `x-amzn-query-error: <code>;<Sender|Receiver>` header,
    /// when the response has it.
    pub fn with_query_error(mut self, r: &Response) -> ErrorMeta {
        let code = r.header("x-amzn-query-error").and_then(|h| h.split(';').next()).map(str::trim);
        if let Some(code) = code.filter(|c| !c.is_empty()) {
            self.code = Some(code.to_owned());
        }
        self
    }
}

fn sanitize_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or_default();
    code.trim()
}

/// An error response that no modelled error of the operation matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    /// What the response says about itself.
    pub meta: ErrorMeta,
    /// The raw body.
    pub body: Vec<u8>,
}

impl UnhandledError {
    /// From the metadata already read from `response` (see [`ErrorMeta::from_response`]); the body is copied.
    pub fn new(meta: ErrorMeta, response: &Response) -> Self {
        UnhandledError { meta, body: response.body.clone() }
    }

    /// Reads the metadata of a response and takes its body.
    pub fn from_response(response: Response) -> Self {
        UnhandledError { meta: ErrorMeta::from_response(&response), body: response.body }
    }

    /// The error code, if there is one.
    pub fn code(&self) -> Option<&str> {
        self.meta.code.as_deref()
    }

    /// The error message, if there is one.
    pub fn message(&self) -> Option<&str> {
        self.meta.message.as_deref()
    }
}

impl fmt::Display for UnhandledError {
    /// `code (status): message`; `UnknownError` when there is no code, no `: message` when there is no message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.meta.code.as_deref().unwrap_or("UnknownError"), self.meta.status)?;
        if let Some(message) = &self.meta.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Error for UnhandledError {}

/// Input rejected by a check of the model's constraints, before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The member, as named in the model (or a path such as `Tags[0].Key`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ValidationError {
    /// Any other invalid input, e.g. a body that cannot be serialized.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        ValidationError { field: field.to_owned(), message: message.into() }
    }

    /// A required member is missing.
    pub fn required(field: &str) -> Self {
        ValidationError { field: field.to_owned(), message: "a value is required".to_owned() }
    }

    /// A length (characters of a string, entries of a list or map, bytes of a blob) is out of `min..=max`.
    pub fn length(field: &str, len: usize, min: Option<u64>, max: Option<u64>) -> Self {
        ValidationError { field: field.to_owned(), message: format!("length {len} is {}", bounds(min, max)) }
    }

    /// A number is out of `min..=max`.
    pub fn range(field: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Self {
        ValidationError { field: field.to_owned(), message: format!("value {value} is {}", bounds(min, max)) }
    }

    /// A string does not match the model's pattern.
    pub fn pattern(field: &str, pattern: &str) -> Self {
        ValidationError { field: field.to_owned(), message: format!("does not match the pattern `{pattern}`") }
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("not within {min}..={max}"),
        (Some(min), None) => format!("below the minimum {min}"),
        (None, Some(max)) => format!("above the maximum {max}"),
        (None, None) => "out of bounds".to_owned(),
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl Error for ValidationError {}

/// A response that could not be read into the operation's output or error type.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    message: String,
    source: Option<BoxError>,
}

impl DecodeError {
    /// A decoding failure of `operation` caused by `err` (a [`crate::json::JsonError`], a
    /// [`ParseError`] of a header value, ...).
    pub fn new(operation: &'static str, err: impl Error + Send + Sync + 'static) -> Self {
        DecodeError { operation, message: err.to_string(), source: Some(Box::new(err)) }
    }

    /// Any other decoding failure of `operation` (a header value, a payload), without a cause.
    pub fn other(operation: &'static str, message: impl Into<String>) -> Self {
        DecodeError { operation, message: message.into(), source: None }
    }

    /// A decoding failure with its cause (e.g. a [`ParseError`] of a header value).
    pub fn with_source(
        operation: &'static str,
        message: impl Into<String>,
        source: impl Error + Send + Sync + 'static,
    ) -> Self {
        DecodeError { operation, message: format!("{}: {source}", message.into()), source: Some(Box::new(source)) }
    }

    /// The operation whose response this was.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the {} response: {}", self.operation, self.message)
    }
}

impl Error for DecodeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Reads a JSON body of `operation`; an empty body reads as `{}` (services send none when an output
/// has no body members).
pub fn decode_json<T: crate::json::FromJson>(operation: &'static str, body: &[u8]) -> Result<T, DecodeError> {
    crate::json::from_slice(body).map_err(|e| DecodeError::new(operation, e))
}

/// Reads the value of response header `name` of `operation` (a number, a boolean, a timestamp in
/// any format): a value that does not parse is a [`DecodeError`], never a silent zero.
pub fn parse_header<T>(operation: &'static str, name: &str, value: &str) -> Result<T, DecodeError>
where
    T: std::str::FromStr,
    T::Err: Error + Send + Sync + 'static,
{
    value.trim().parse().map_err(|e| DecodeError::with_source(operation, format!("header `{name}`"), e))
}

/// Reads a list-valued response header of `operation`: the items of [`header_items`], each parsed
/// like [`parse_header`]. `http_dates` is for lists of timestamps in the HTTP-date format, whose
/// items each hold a comma.
pub fn parse_header_list<T>(
    operation: &'static str,
    name: &str,
    value: &str,
    http_dates: bool,
) -> Result<Vec<T>, DecodeError>
where
    T: std::str::FromStr,
    T::Err: Error + Send + Sync + 'static,
{
    header_items(value, http_dates).iter().map(|item| parse_header(operation, name, item)).collect()
}

/// The items of a list-valued header: split at commas outside double quotes, trimmed, quoted items
/// unquoted (`\"` and `\\` unescaped). With `http_dates`, an item that is only a day name (`Mon`)
/// is joined with the next one (`Mon, 16 Dec 2019 23:48:18 GMT` is one item).
pub fn header_items(value: &str, http_dates: bool) -> Vec<String> {
    let mut items: Vec<(String, bool)> = Vec::new();
    let (mut current, mut quoted, mut in_quotes, mut escaped) = (String::new(), false, false, false);
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if in_quotes => escaped = true,
            '"' if in_quotes => in_quotes = false,
            '"' if current.trim().is_empty() => {
                current.clear();
                in_quotes = true;
                quoted = true;
            }
            ',' if !in_quotes => {
                items.push((std::mem::take(&mut current), quoted));
                quoted = false;
            }
            _ => current.push(c),
        }
    }
    items.push((current, quoted));
    let mut out: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for (item, quoted) in items {
        let item = if quoted { item } else { item.trim().to_owned() };
        if let Some(day) = pending.take() {
            out.push(format!("{day}, {item}"));
            continue;
        }
        if http_dates && item.len() == 3 && item.bytes().all(|b| b.is_ascii_alphabetic()) {
            pending = Some(item);
            continue;
        }
        out.push(item);
    }
    out.extend(pending);
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

/// A text value in a wire format that could not be read (timestamp, base64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: String,
    reason: &'static str,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, input: &str, reason: &'static str) -> Self {
        let input = if input.len() > 64 {
            let mut end = 64;
            while !input.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}...", &input[..end])
        } else {
            input.to_owned()
        };
        ParseError { what, input, reason }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}: {}", self.input, self.what, self.reason)
    }
}

impl Error for ParseError {}

/// Why no response could be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// The connection could not be opened (DNS, refused, TLS handshake, connect timeout).
    Connect,
    /// The connection failed while sending the request or reading the response.
    Io,
    /// The request could not be built (e.g. a header value with a line break); it was not sent or retried.
    InvalidRequest,
    /// The call as a whole ran past the configured operation timeout, across its attempts.
    OperationTimeout,
    /// The response body is larger than the configured limit (the message names it); not retried.
    BodyTooLarge,
    /// The response's status line and headers are larger than the client reads; not retried.
    HeadersTooLarge,
    /// The server's reply is not HTTP/1.x; not retried.
    NotHttp,
    /// No credentials to sign with: the configured provider failed (the message says which and
    /// why, without secrets); nothing was sent, not retried.
    Credentials,
}

impl TransportErrorKind {
    /// Whether another attempt could fare differently: not for a request that cannot be built, a
    /// reply that is too large or not HTTP (the server would answer the same), or a call out of time.
    pub fn is_retryable(self) -> bool {
        matches!(self, TransportErrorKind::Timeout | TransportErrorKind::Connect | TransportErrorKind::Io)
    }
}

/// No response could be had, after all attempts.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    attempts: u32,
    detail: String,
    source: Option<BoxError>,
}

impl TransportError {
    /// An error of one attempt (for [`Transport`](crate::Transport) implementations): its kind, what
    /// happened, and the underlying error if any.
    pub fn new(kind: TransportErrorKind, detail: impl Into<String>, source: Option<BoxError>) -> Self {
        TransportError { kind, attempts: 1, detail: detail.into(), source }
    }

    pub(crate) fn timeout(after: Duration) -> Self {
        Self::new(TransportErrorKind::Timeout, format!("no complete response within {after:?}"), None)
    }

    pub(crate) fn operation_timeout(after: Duration) -> Self {
        Self::new(
            TransportErrorKind::OperationTimeout,
            format!("no complete response within the operation timeout of {after:?}"),
            None,
        )
    }

    pub(crate) fn body_too_large(limit: usize, seen: Option<u64>) -> Self {
        let detail = match seen {
            Some(len) => format!("Content-Length {len} is over the limit of {limit} bytes (max_response_body)"),
            None => format!("more than the limit of {limit} bytes (max_response_body)"),
        };
        Self::new(TransportErrorKind::BodyTooLarge, detail, None)
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What kind of failure the last attempt had.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the last attempt timed out, or the call as a whole did.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Timeout | TransportErrorKind::OperationTimeout)
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::InvalidRequest => "invalid request",
            TransportErrorKind::OperationTimeout => "operation timed out",
            TransportErrorKind::BodyTooLarge => "response body too large",
            TransportErrorKind::HeadersTooLarge => "response headers too large",
            TransportErrorKind::NotHttp => "reply is not HTTP",
            TransportErrorKind::Credentials => "no credentials",
        };
        write!(f, "{what}")?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        let s = if self.attempts == 1 { "" } else { "s" };
        write!(f, " ({} attempt{s})", self.attempts)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn list_headers() {
        assert_eq!(header_items("a, b ,c", false), ["a", "b", "c"]);
        assert_eq!(header_items(r#"a, "b,c", "\"quoted\"", " d ""#, false), ["a", "b,c", "\"quoted\"", " d "]);
        assert_eq!(header_items("", false), Vec::<String>::new());
        let dates = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT";
        assert_eq!(header_items(dates, true), ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]);
        assert_eq!(parse_header_list::<i32>("Op", "x-n", "1, 2,3", false).unwrap(), [1, 2, 3]);
        assert_eq!(parse_header_list::<bool>("Op", "x-b", "true, false", false).unwrap(), [true, false]);
        let times = parse_header_list::<crate::DateTime>("Op", "x-t", dates, true).unwrap();
        assert_eq!(times[1].secs() - times[0].secs(), 86400);
        assert!(parse_header_list::<i32>("Op", "x-n", "1, x", false).is_err());
    }

    #[test]
    fn error_code_from_header_strips_uri() {
        let r = response(
            400,
            &[
                ("x-amzn-errortype", "BadRequestException:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                ("x-amzn-requestid", "req-1"),
            ],
            r#"{"__type":"Other","message":"Invalid stage"}"#,
        );
        let meta = ErrorMeta::from_response(&r);
        assert_eq!(
            meta,
            ErrorMeta {
                status: 400,
                code: Some("BadRequestException".into()),
                message: Some("Invalid stage".into()),
                request_id: Some("req-1".into()),
            }
        );
    }

    #[test]
    fn error_code_from_type_with_namespace() {
        let r = response(
            404,
            &[("x-amz-request-id", "req-2")],
            r#"{"__type":"com.amazonaws.apigatewayv2#NotFoundException","Message":"Unable to find Api"}"#,
        );
        let meta = ErrorMeta::from_response(&r);
        assert_eq!(meta.code.as_deref(), Some("NotFoundException"));
        assert_eq!(meta.message.as_deref(), Some("Unable to find Api"));
        assert_eq!(meta.request_id.as_deref(), Some("req-2"));
        let r = response(400, &[], r#"{"__type":"aws.protocoltests.restjson#FooError:http://x/"}"#);
        assert_eq!(ErrorMeta::from_response(&r).code.as_deref(), Some("FooError"));
    }

    #[test]
    fn query_compatible_error_code() {
        let body = r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"}"#;
        let r = response(400, &[("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")], body);
        let meta = ErrorMeta::from_response(&r);
        assert_eq!(meta.code.as_deref(), Some("QueueDoesNotExist"));
        let meta = meta.with_query_error(&r);
        assert_eq!(meta.code.as_deref(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(meta.message.as_deref(), Some("no queue"));
        // Without the header the JSON code stays.
        let r = response(400, &[], body);
        assert_eq!(ErrorMeta::from_response(&r).with_query_error(&r).code.as_deref(), Some("QueueDoesNotExist"));
    }

    #[test]
    fn error_code_from_code_fields() {
        let r = response(429, &[], r#"{"code":"TooManyRequestsException","errorMessage":"slow down"}"#);
        let meta = ErrorMeta::from_response(&r);
        assert_eq!(meta.code.as_deref(), Some("TooManyRequestsException"));
        assert_eq!(meta.message.as_deref(), Some("slow down"));
        let r = response(400, &[], r#"{"Code":"ThrottlingException"}"#);
        assert_eq!(ErrorMeta::from_response(&r).code.as_deref(), Some("ThrottlingException"));
        // Not JSON, empty, or not an object: status only.
        for body in ["<html>oops</html>", "", "  ", "[1]", r#"{"code": 5}"#] {
            assert_eq!(
                ErrorMeta::from_response(&response(502, &[], body)),
                ErrorMeta { status: 502, ..Default::default() }
            );
        }
    }

    #[test]
    fn unhandled_error_display() {
        let r = response(400, &[("x-amzn-ErrorType", "ConflictException")], r#"{"message":"Api exists"}"#);
        let e = UnhandledError::new(ErrorMeta::from_response(&r), &r);
        assert_eq!(e, UnhandledError::from_response(r));
        assert_eq!(e.to_string(), "ConflictException (400): Api exists");
        assert_eq!((e.code(), e.message()), (Some("ConflictException"), Some("Api exists")));
        let e = UnhandledError::from_response(response(503, &[], ""));
        assert_eq!(e.to_string(), "UnknownError (503)");
        let sdk: SdkError<UnhandledError> = SdkError::Service(e);
        assert_eq!(sdk.to_string(), "service error: UnknownError (503)");
        assert_eq!(sdk.source().unwrap().to_string(), "UnknownError (503)");
        assert!(sdk.service_error().is_some());
    }

    #[test]
    fn validation_messages() {
        assert_eq!(ValidationError::required("ApiId").to_string(), "ApiId: a value is required");
        assert_eq!(
            ValidationError::length("Name", 0, Some(1), Some(128)).to_string(),
            "Name: length 0 is not within 1..=128"
        );
        assert_eq!(ValidationError::length("Name", 0, Some(1), None).message, "length 0 is below the minimum 1");
        assert_eq!(
            ValidationError::range("MaxResults", 1000.0, None, Some(500.0)).message,
            "value 1000 is above the maximum 500"
        );
        assert_eq!(ValidationError::pattern("Id", "^[a-z]+$").message, "does not match the pattern `^[a-z]+$`");
        assert_eq!(ValidationError::new("body", "bad").to_string(), "body: bad");
        let sdk: SdkError<UnhandledError> = ValidationError::required("ApiId").into();
        assert_eq!(sdk.to_string(), "invalid input: ApiId: a value is required");
        assert!(sdk.service_error().is_none());
    }

    #[test]
    fn decode_errors() {
        type Out = std::collections::HashMap<String, i32>;
        assert!(decode_json::<Out>("GetApis", b"").unwrap().is_empty());
        assert_eq!(decode_json::<Out>("GetApis", br#"{"a":1}"#).unwrap().len(), 1);
        let err = decode_json::<Out>("GetApis", br#"{"a":"x"}"#).unwrap_err();
        assert_eq!(err.to_string(), "cannot decode the GetApis response: a: expected an integer, found a string");
        let err = decode_json::<Out>("GetApis", b"[1,").unwrap_err();
        assert_eq!(err.operation(), "GetApis");
        assert!(err.to_string().starts_with("cannot decode the GetApis response: "), "{err}");
        assert!(err.source().is_some());
        assert_eq!(DecodeError::other("GetApi", "no body").to_string(), "cannot decode the GetApi response: no body");
        let err = DecodeError::new("GetApi", crate::Blob::from_base64("!").unwrap_err());
        assert_eq!(err.to_string(), "cannot decode the GetApi response: `!` is not base64: bad length");
        assert_eq!(parse_header::<i32>("GetApi", "X-Count", " 12 ").unwrap(), 12);
        assert!(parse_header::<bool>("GetApi", "X-Flag", "true").unwrap());
        let err = parse_header::<i64>("GetApi", "X-Count", "many").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot decode the GetApi response: header `X-Count`: invalid digit found in string"
        );
        let parse = crate::DateTime::parse_http_date("nope").unwrap_err();
        let err = DecodeError::with_source("GetApi", "header `Date`", parse);
        assert_eq!(
            err.to_string(),
            "cannot decode the GetApi response: header `Date`: `nope` is not an HTTP date: expected `Www, DD Mon YYYY hh:mm:ss GMT`"
        );
    }
}
