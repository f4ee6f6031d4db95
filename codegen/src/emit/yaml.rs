//! A small block-style YAML writer for JSON values. Output is deterministic (it
//! follows the value's key order), quotes every scalar a YAML parser could read
//! as something else, and writes multi-line strings as literal blocks so that
//! SQL in a provider spec stays readable.

use serde_json::{Map, Value};

/// A whole document: `value` at the top level.
pub fn document(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => entries(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => items(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

/// Writes `v` right after a `key:` or `-` already on the line, nested at `indent`.
pub fn value(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            entries(m, indent, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            items(a, indent, out);
        }
        Value::Object(_) => out.push_str(" {}\n"),
        Value::Array(_) => out.push_str(" []\n"),
        Value::String(s) if is_block(s) => block(s, indent, out),
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn entries(m: &Map<String, Value>, indent: usize, out: &mut String) {
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(k));
        out.push(':');
        value(v, indent + 2, out);
    }
}

fn items(a: &[Value], indent: usize, out: &mut String) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match v {
            // `- key: value`, with the other keys lined up under the first.
            Value::Object(m) if !m.is_empty() => {
                let mut nested = String::new();
                entries(m, indent + 2, &mut nested);
                out.push(' ');
                out.push_str(nested.trim_start());
            }
            _ => value(v, indent + 2, out),
        }
    }
}

/// A multi-line string that a literal block can carry exactly.
fn is_block(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with(['\n', ' '])
        && s.chars().all(|c| c == '\n' || printable(c))
        && s.lines().all(|l| !l.ends_with(' '))
}

fn block(s: &str, indent: usize, out: &mut String) {
    out.push_str(" |-\n");
    for line in s.split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A non-string scalar as JSON writes it (valid YAML), or a string as [`string`].
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => string(s),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// Words a YAML 1.1 or 1.2 parser reads as something other than a string.
const SPECIAL: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];

/// YAML's printable characters (`c-printable` in YAML 1.2): only these may stand
/// in a document as they are; any other (a control character, DEL, a C1 control)
/// must be escaped in a double-quoted scalar, or a parser rejects the file.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// A double-quoted scalar with YAML escapes for everything not printable.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A string scalar: plain where that is unambiguous, single-quoted otherwise,
/// double-quoted with escapes when it holds a line break or a character YAML
/// does not allow as it is.
pub fn string(s: &str) -> String {
    if s.chars().any(|c| c.is_control() || !printable(c)) {
        return double_quoted(s);
    }
    let safe_chars =
        s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '$' | '(' | ')'));
    let plain = !s.is_empty()
        && safe_chars
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '/' || c == '$')
        && !SPECIAL.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn after_key(v: Value) -> String {
        let mut out = String::from("value:");
        value(&v, 2, &mut out);
        out
    }

    #[test]
    fn nested_blocks() {
        assert_eq!(after_key(json!("{{ X }}")), "value: '{{ X }}'\n");
        assert_eq!(after_key(json!({"A": 1, "B": {"C": true}})), "value:\n  A: 1\n  B:\n    C: true\n");
        assert_eq!(after_key(json!([{"A": "x", "B": [1]}])), "value:\n  - A: x\n    B:\n      - 1\n");
        assert_eq!(after_key(json!({"<Key>": {}})), "value:\n  '<Key>': {}\n");
        assert_eq!(
            after_key(json!(["true", "it's", "200", "Yes"])),
            "value:\n  - 'true'\n  - 'it''s'\n  - '200'\n  - 'Yes'\n"
        );
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let doc = document(&json!({"ddl": "SELECT\n  a\n\nFROM t"}));
        assert_eq!(doc, "ddl: |-\n  SELECT\n    a\n\n  FROM t\n");
        // Trailing spaces would be lost in a block: such strings are quoted instead.
        assert_eq!(document(&json!({"s": "a \nb"})), "s: \"a \\nb\"\n");
    }

    #[test]
    fn characters_yaml_does_not_allow_are_escaped() {
        // A pattern from a real schema (Security Hub): NUL and DEL in a character class.
        assert_eq!(string("^([^\u{0}-\u{7f}]|[a-z])+$"), "\"^([^\\x00-\\x7f]|[a-z])+$\"");
        assert_eq!(string("a\u{9f}b\u{fffe}"), "\"a\\x9fb\\ufffe\"");
        assert_eq!(string("tab\there"), "\"tab\\there\"");
        // A block cannot carry DEL either.
        assert_eq!(document(&json!({"s": "a\nb\u{7f}"})), "s: \"a\\nb\\x7f\"\n");
    }

    #[test]
    fn keys_that_need_quotes() {
        let doc = document(&json!({"$ref": "#/a", "/?Action=X&V=1": {"post": null}, "200": "ok"}));
        assert_eq!(doc, "$ref: '#/a'\n'/?Action=X&V=1':\n  post: null\n'200': ok\n");
    }
}
