//! A pull reader over a JSON body: generated `FromJson` impls ask it for the next token of the
//! type they expect, so a response is read straight into its typed value without building a
//! [`Value`] tree first (the tree was most of a call's CPU time: map inserts and removes, string
//! copies). Strings without escapes are borrowed from the body; the body is checked to be UTF-8
//! once, as a whole, so a string costs one scan for its closing quote.
//!
//! The reader is as strict as `serde_json`: the grammar of RFC 8259 (no trailing commas, no
//! comments, no control characters or lone surrogates in strings, only whitespace after the
//! value), UTF-8 checked, nesting at most [`MAX_DEPTH`] deep (so no stack overflow on hostile
//! input). Members a type does not ask for are skipped, and checked all the same.

use std::borrow::Cow;

use super::{JsonError, Map, Number, Value};

/// How deep objects and arrays may nest, as `serde_json`'s default recursion limit.
pub const MAX_DEPTH: usize = 128;

/// A JSON text being read, front to back.
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Just after `{` or `[`: the next member or item comes without a comma.
    first: bool,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader { text, bytes: text.as_bytes(), pos: 0, depth: 0, first: false }
    }

    /// A reader at the start of `bytes`, which must be UTF-8.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, JsonError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Reader::new(text)),
            Err(e) => {
                let mut r = Reader::new("");
                r.bytes = bytes;
                r.pos = e.valid_up_to();
                Err(r.syntax("invalid UTF-8"))
            }
        }
    }

    /// Only whitespace is left.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        // Every byte above the space is not whitespace: one comparison in the common case.
        match self.bytes.get(self.pos) {
            Some(&b) if b > b' ' => Some(b),
            _ => self.peek_past_whitespace(),
        }
    }

    fn peek_past_whitespace(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// "invalid JSON: ... at line L column C".
    #[cold]
    fn syntax(&self, what: &str) -> JsonError {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len() - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        JsonError::new(format!("invalid JSON: {what} at line {line} column {column}"))
    }

    /// "expected `what`, found a number", for the value that comes next; a syntax error when
    /// what comes next is not a value.
    #[cold]
    pub fn expected(&mut self, what: &str) -> JsonError {
        let kind = match self.peek() {
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(b'"') => "a string",
            Some(b'[') => "an array",
            Some(b'{') => "an object",
            Some(_) => return self.syntax("expected a value"),
            None => return self.syntax("EOF while parsing a value"),
        };
        JsonError::new(format!("expected {what}, found {kind}"))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    /// Whether the next value is `null`, which is then consumed.
    #[inline]
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Whether a string comes next.
    #[inline]
    pub fn at_string(&mut self) -> bool {
        self.peek() == Some(b'"')
    }

    /// A boolean.
    pub fn bool(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(self.expected("a boolean")),
        }
    }

    /// The text of a number (`what` names the type asked for, for the error when it is not one).
    pub fn number(&mut self, what: &str) -> Result<&'a str, JsonError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected(what));
        }
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.syntax("invalid number")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.syntax("invalid number"));
            }
        }
        self.slice(start, self.pos)
    }

    /// A string, borrowed from the text when it has no escapes.
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.string_body()
    }

    /// The string starting at `pos` (on its opening quote). Always inlined: it is most of what
    /// [`Reader::key`] and [`Reader::string`] do, and the call was a tenth of a decode.
    #[inline(always)]
    fn string_body(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1;
        let start = self.pos;
        // The common case, kept small enough to inline: no escapes, borrowed.
        self.scan_string();
        if self.bytes.get(self.pos) == Some(&b'"') {
            let text = self.slice(start, self.pos)?;
            self.pos += 1;
            return Ok(Cow::Borrowed(text));
        }
        self.string_with_escapes(start)
    }

    /// The rest of a string that [`Reader::string_body`] stopped in at something other than its
    /// closing quote: an escape, or an error.
    #[inline(never)]
    fn string_with_escapes(&mut self, start: usize) -> Result<Cow<'a, str>, JsonError> {
        match self.bytes.get(self.pos) {
            Some(b'\\') => {}
            Some(_) => return Err(self.syntax("control character in a string")),
            None => return Err(self.syntax("EOF while parsing a string")),
        }
        let mut out = String::from(self.slice(start, self.pos)?);
        let mut run = self.pos;
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    out.push_str(self.slice(run, self.pos)?);
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run, self.pos)?);
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                Some(_) => return Err(self.syntax("control character in a string")),
                None => return Err(self.syntax("EOF while parsing a string")),
            }
            self.scan_string();
        }
    }

    /// Moves to the next `"`, `\\` or control character of a string (or the end of the text),
    /// eight bytes at a time: strings are most of a body, and most of their bytes are none of these.
    #[inline]
    fn scan_string(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let bytes = self.bytes;
        let mut pos = self.pos;
        while let Some(chunk) = bytes.get(pos..pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word);
            let quote = x ^ (ONES * u64::from(b'"'));
            let backslash = x ^ (ONES * u64::from(b'\\'));
            // A byte's high bit is set where it is zero (or below 0x20); the lowest one is exact.
            let found = (quote.wrapping_sub(ONES) & !quote
                | backslash.wrapping_sub(ONES) & !backslash
                | x.wrapping_sub(ONES * 0x20) & !x)
                & HIGH;
            if found != 0 {
                self.pos = pos + (found.trailing_zeros() / 8) as usize;
                return;
            }
            pos += 8;
        }
        while let Some(&b) = bytes.get(pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            pos += 1;
        }
        self.pos = pos;
    }

    /// The text from `from` to `to`, both at ASCII bytes the reader stopped at (so at character
    /// boundaries).
    #[inline]
    fn slice(&self, from: usize, to: usize) -> Result<&'a str, JsonError> {
        let text: &'a str = self.text;
        text.get(from..to).ok_or_else(|| self.syntax("invalid UTF-8"))
    }

    /// The escape after a backslash, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(&b) = self.bytes.get(self.pos) else { return Err(self.syntax("EOF while parsing a string")) };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let code = match high {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return Err(self.syntax("lone leading surrogate in hex escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.syntax("lone leading surrogate in hex escape"));
                        }
                        0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.syntax("lone trailing surrogate in hex escape")),
                    other => u32::from(other),
                };
                char::from_u32(code).ok_or_else(|| self.syntax("invalid escape"))?
            }
            _ => return Err(self.syntax("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, JsonError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.syntax("EOF while parsing a string"))?;
        let mut n = 0u16;
        for &d in digits {
            let v = (d as char).to_digit(16).ok_or_else(|| self.syntax("invalid escape"))?;
            n = n << 4 | v as u16;
        }
        self.pos += 4;
        Ok(n)
    }

    fn open(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.pos += 1;
        self.first = true;
        Ok(())
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.pos += 1;
        self.first = false;
    }

    /// The start of an object, whose members [`Reader::key`] then gives: `true`, or `false` for a
    /// `null` (which reads as an empty object), consumed. `what` names the type asked for.
    #[inline]
    pub fn object(&mut self, what: &str) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b'{') => self.open().map(|()| true),
            Some(b'n') => self.literal(b"null").map(|()| false),
            _ => Err(self.expected(what)),
        }
    }

    /// The key of the next member of the object being read, its `:` consumed (the caller then
    /// reads or skips its value), or `None` after the closing `}`.
    pub fn key(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        match self.peek() {
            Some(b'}') => {
                self.close();
                return Ok(None);
            }
            Some(b',') if !self.first => {
                self.pos += 1;
                self.peek();
            }
            _ if self.first => {}
            _ => return Err(self.syntax("expected `,` or `}`")),
        }
        self.first = false;
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.syntax("expected a member name"));
        }
        let key = self.string_body()?;
        if self.peek() != Some(b':') {
            return Err(self.syntax("expected `:`"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// The start of an array, whose items [`Reader::item`] then announces.
    pub fn array(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'[') => self.open(),
            _ => Err(self.expected("an array")),
        }
    }

    /// Whether another item of the array being read follows (the caller then reads it); `false`
    /// after the closing `]`.
    #[inline]
    pub fn item(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b']') => {
                self.close();
                Ok(false)
            }
            Some(b',') if !self.first => {
                self.pos += 1;
                if self.peek() == Some(b']') {
                    return Err(self.syntax("trailing comma"));
                }
                Ok(true)
            }
            Some(_) if self.first => {
                self.first = false;
                Ok(true)
            }
            Some(_) => Err(self.syntax("expected `,` or `]`")),
            None => Err(self.syntax("EOF while parsing a list")),
        }
    }

    /// Skips the next value, checking it all the same.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'{') => {
                self.open()?;
                while self.key()?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.open()?;
                while self.item()? {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'"') => self.string_body().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number("a number").map(drop),
            Some(_) => Err(self.syntax("expected a value")),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    /// The next value as a tree: a document, or a union member newer than the model.
    pub fn value(&mut self) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => {
                self.open()?;
                let mut map = Map::new();
                while let Some(key) = self.key()? {
                    let value = self.value()?;
                    map.insert(key.into_owned(), value);
                }
                Ok(Value::Object(map))
            }
            Some(b'[') => {
                self.open()?;
                let mut items = Vec::new();
                while self.item()? {
                    items.push(self.value()?);
                }
                Ok(Value::Array(items))
            }
            Some(b'"') => self.string_body().map(|s| Value::String(s.into_owned())),
            Some(b't' | b'f') => self.bool().map(Value::Bool),
            Some(b'n') => self.literal(b"null").map(|()| Value::Null),
            Some(b'-' | b'0'..=b'9') => {
                let text = self.number("a number")?;
                number(text).map(Value::Number).ok_or_else(|| self.syntax("number out of range"))
            }
            Some(_) => Err(self.syntax("expected a value")),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }
}

/// A number's text as a [`Number`] (`None` when it is out of the range of a double).
pub(super) fn number(text: &str) -> Option<Number> {
    // `-0` is a double, as serde_json reads it (an integer has no negative zero).
    let integer = !text.contains(['.', 'e', 'E']) && text != "-0";
    if integer {
        if let Ok(n) = text.parse::<i64>() {
            return Some(n.into());
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(n.into());
        }
    }
    text.parse::<f64>().ok().filter(|x| x.is_finite()).and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip_all(text: &str) -> Result<(), JsonError> {
        let mut r = Reader::new(text);
        r.skip()?;
        r.end()
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        let cases = [
            "{}",
            "[]",
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1.5e-3",
            "-12E+2",
            r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#,
            r#"{"a":[1,{"b":null}],"c":"d"}"#,
            " [ 1 , 2 ] ",
            "\"é\"",
            "[[[]]]",
            "1e400",
            "01",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{,}",
            "[,1]",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\x\"",
            "\"\u{1}\"",
            "tru",
            "nul",
            "-",
            "1.",
            "1e",
            "\"abc",
            "{\"a\":",
            "[",
            "1 2",
            "{1:2}",
            "\"\\u12\"",
            "+1",
            ".5",
        ];
        for text in cases {
            let ours = skip_all(text).is_ok();
            let reference = serde_json::from_str::<serde_json::Value>(text).is_ok();
            // serde_json reads 1e400 as an error ("number out of range"); skipping does not
            // compute the number, and reading it as a value does refuse it.
            if text == "1e400" {
                assert!(ours && Reader::new(text).value().is_err());
                continue;
            }
            assert_eq!(ours, reference, "{text}");
        }
    }

    #[test]
    fn values_are_the_same_trees_as_serde_jsons() {
        for text in [
            r#"{"a":[1,-2,3.25,{"b":null}],"c":"d\n","e":true,"big":18446744073709551615}"#,
            "[]",
            "\"x\"",
            "-0",
            "1E2",
            "1.0",
            "-9223372036854775808",
            "18446744073709551616",
            "[0.1,1e-7,-0.0]",
        ] {
            let ours = Reader::new(text).value().expect(text);
            assert_eq!(ours, serde_json::from_str::<Value>(text).expect(text), "{text}");
        }
    }

    #[test]
    fn errors_say_where() {
        let err = skip_all("{\n  \"a\": tru }").unwrap_err();
        assert_eq!(err.message(), "invalid JSON: expected a value at line 2 column 8");
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(skip_all(&deep).unwrap_err().message().contains("recursion limit"));
        assert!(skip_all(&("[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH))).is_ok());
        assert_eq!(Reader::new("12").expected("a string").message(), "expected a string, found a number");
        let err = Reader::from_bytes(b"[\"a\xff\"]").unwrap_err();
        assert_eq!(err.message(), "invalid JSON: invalid UTF-8 at line 1 column 4");
    }

    #[test]
    fn the_string_scan_stops_at_the_first_special_byte() {
        for len in 0..20 {
            for special in ["\"", "\\\\", "\u{1}", "\u{1f}"] {
                let text = format!("{}{special}é\"", "é".repeat(len / 2) + &"a".repeat(len % 2));
                let mut r = Reader::new(&text);
                r.scan_string();
                assert_eq!(r.pos, text.len() - special.len() - "é\"".len(), "{text:?}");
            }
            let spaces = " ".repeat(len);
            let mut r = Reader::new(&spaces);
            r.scan_string();
            assert_eq!(r.pos, len);
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let mut r = Reader::new(r#"["plain", "esc\"aped"]"#);
        r.array().unwrap();
        assert!(r.item().unwrap());
        assert!(matches!(r.string().unwrap(), Cow::Borrowed("plain")));
        assert!(r.item().unwrap());
        assert_eq!(r.string().unwrap(), "esc\"aped");
        assert!(!r.item().unwrap());
        r.end().unwrap();
    }
}
