//! Any bytes as a Smithy JSON AST model: the reader (and the passes after it) must
//! return a model or one single-line error, never panic or overflow the stack.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = Path::new("fuzz.json");
    let result = codegen::read::smithy::read(file, "smithy/fuzz.json", text)
        .and_then(|apis| codegen::read::assemble(Vec::new(), apis))
        .and_then(|mut model| codegen::passes::run(&mut model));
    if let Err(e) = result {
        let line = e.to_string();
        assert!(!line.is_empty() && !line.contains(['\n', '\r']), "not one line: {line:?}");
    }
});
