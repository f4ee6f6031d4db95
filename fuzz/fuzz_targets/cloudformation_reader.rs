//! Any bytes as a CloudFormation resource schema: the reader (and the passes after it)
//! must return a resource or one single-line error, never panic or overflow the stack.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = Path::new("fuzz.json");
    let result = codegen::read::cloudformation::read(file, "cloudformation/fuzz.json", text)
        .and_then(|resource| codegen::read::assemble(vec![resource], Vec::new()))
        .and_then(|mut model| codegen::passes::run(&mut model));
    if let Err(e) = result {
        let line = e.to_string();
        assert!(!line.is_empty() && !line.contains(['\n', '\r']), "not one line: {line:?}");
    }
});
