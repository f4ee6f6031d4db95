//! The runtime's JSON pull reader (what every JSON response goes through) on arbitrary bytes:
//! no panic and no stack overflow; it accepts exactly what serde_json accepts, reads the same
//! tree; and a typed read never accepts a body serde_json refuses.
#![no_main]

use std::collections::HashMap;

use aws_codegen_runtime::json::{self, JsonError, Reader, Value};
use aws_codegen_runtime::{Blob, DateTime};
use libfuzzer_sys::fuzz_target;

/// The whole text read as a tree.
fn tree(data: &[u8]) -> Result<Value, JsonError> {
    let mut r = Reader::from_bytes(data)?;
    let value = r.value()?;
    r.end()?;
    Ok(value)
}

/// Whether `data` passes a typed read of a few shapes the generated code reads.
fn typed(data: &[u8]) -> bool {
    json::from_slice::<HashMap<String, Vec<Option<f64>>>>(data).is_ok()
        | json::from_slice::<Vec<HashMap<String, Option<String>>>>(data).is_ok()
        | json::from_slice::<Vec<DateTime>>(data).is_ok()
        | json::from_slice::<Option<Vec<Blob>>>(data).is_ok()
        | json::from_slice::<Vec<i32>>(data).is_ok()
        | json::from_slice::<Vec<bool>>(data).is_ok()
        | json::from_slice::<Box<Value>>(data).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let reference = serde_json::from_slice::<Value>(data);
    let ours = tree(data);
    match (&ours, &reference) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(e), _) => assert!(!e.to_string().contains('\n'), "one line: {e}"),
        (Ok(_), Err(e)) => panic!("accepted what serde_json refuses: {e}"),
    }
    // A blank body reads as `{}`; anything else must be JSON serde_json accepts (a skipped
    // member's number out of a double's range is not computed, so not refused).
    let blank = data.iter().all(u8::is_ascii_whitespace);
    if typed(data) && !blank {
        if let Err(e) = &reference {
            assert!(e.to_string().contains("number out of range"), "typed read accepted what serde_json refuses: {e}");
        }
    }
    // Skipping agrees with reading.
    let skipped = Reader::from_bytes(data).and_then(|mut r| {
        r.skip()?;
        r.end()
    });
    if ours.is_ok() {
        assert!(skipped.is_ok());
    }
});
