//! Name conversion on arbitrary strings: no panic, and the generated names are
//! always usable identifiers.
#![no_main]

use codegen::names::{names, plural, snake, words};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|name: &str| {
    // Words are the alphanumeric characters of the name, split, none lost or added.
    let ws = words(name);
    assert!(ws.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)), "{ws:?}");
    assert_eq!(ws.concat(), name.chars().filter(|c| c.is_alphanumeric()).collect::<String>());

    let n = names(name);
    let s = &n.snake;
    assert!(!s.starts_with('_') && !s.ends_with('_') && !s.contains("__"), "snake {s:?}");
    // (Some capitals have no lower case, `ℌ`; only ASCII ones are sure to go.)
    assert!(!s.chars().any(|c| c.is_ascii_uppercase() || c.is_whitespace() || c.is_control()), "snake {s:?}");
    if name.is_ascii() {
        assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "snake {s:?}");
        // Snake case is a fixed point; for non-ASCII, lower-casing can add marks
        // (`İ` -> `i̇`) that then split.
        assert_eq!(&snake(s), s, "snake is idempotent on snake input");
        // The plural only changes the last word, and never shortens it (`analysis` ->
        // `analyses`). It is not idempotent (`is` is the plural of `i`, and `ises` of `is`).
        let p = plural(s);
        assert!(p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "plural {p:?}");
        let head = s.rfind('_').map_or("", |i| &s[..=i]);
        assert!(p.starts_with(head) && p.len() >= s.len(), "plural {p:?} of {s:?}");
    }
    // A name without letters or digits has no identifier (the readers reject it).
    if s.is_empty() {
        return;
    }
    // The Rust name is an identifier: raw for keywords, never empty or a bare `_`.
    let ident = n.rust.strip_prefix("r#").unwrap_or(&n.rust);
    assert!(!ident.is_empty() && ident != "_", "rust {:?}", n.rust);
    assert!(!ident.starts_with(|c: char| c.is_ascii_digit()), "rust {:?}", n.rust);
    // The SQL name is plain lower-case or a non-empty quoted identifier.
    let sql = &n.sql;
    let quoted = sql.len() > 2 && sql.starts_with('"') && sql.ends_with('"');
    let plain = sql.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    assert!(quoted || (plain && !sql.is_empty()), "sql {sql:?}");
    if quoted {
        assert!(!sql[1..sql.len() - 1].replace("\"\"", "").contains('"'), "sql {sql:?}");
    }
});
