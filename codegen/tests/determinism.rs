//! Output is byte-identical whatever the order the input files are given in and however
//! many threads read them: a varied sample of the corpus is generated in sorted and in
//! shuffled order, on one thread and on two, and every output compared.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use codegen::emit::Outputs;
use codegen::read::SpecFiles;

/// Every `STEP`th CloudFormation schema: about 100, across the alphabet.
const STEP: usize = 16;
/// Smithy models of different protocols and sizes.
const SMITHY: [&str; 3] = ["apigatewayv2.json", "lambda.json", "sqs.json"];

mod support;

use support::shared_specs as shared;

fn sample(dir: &Path) -> SpecFiles {
    let all = SpecFiles::corpus(dir).expect("the corpus lists");
    let cloudformation: Vec<PathBuf> = all.cloudformation.iter().step_by(STEP).cloned().collect();
    assert!(cloudformation.len() >= 100, "corpus too small: {} schemas", all.cloudformation.len());
    let smithy: Vec<PathBuf> = SMITHY.iter().map(|f| dir.join("smithy").join(f)).collect();
    SpecFiles { cloudformation, smithy }
}

/// A fixed-seed Fisher-Yates shuffle (a 64-bit LCG: no need for a random crate).
fn shuffle(list: &mut [PathBuf], seed: u64) {
    let mut state = seed;
    for i in (1..list.len()).rev() {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        list.swap(i, j);
    }
}

fn generate(dir: &Path, files: &SpecFiles, threads: usize) -> Outputs {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    pool.install(|| codegen::generate_files(dir, files)).expect("the sample generates")
}

fn digest(outputs: &Outputs) -> u64 {
    let mut h = DefaultHasher::new();
    outputs.files.hash(&mut h);
    h.finish()
}

/// The first path whose contents differ (or that only one side has).
fn first_difference(a: &Outputs, b: &Outputs) -> Option<String> {
    let paths = a.files.keys().chain(b.files.keys());
    paths.filter(|p| a.files.get(*p) != b.files.get(*p)).min().cloned()
}

#[test]
fn output_does_not_depend_on_file_order_or_thread_count() {
    let dir = shared();
    let sorted = sample(&dir);
    let mut shuffled = sorted.clone();
    shuffle(&mut shuffled.cloudformation, 0x5eed);
    shuffle(&mut shuffled.smithy, 0x5eed);
    assert_ne!(shuffled.cloudformation, sorted.cloudformation, "the shuffle changes the order");

    let reference = generate(&dir, &sorted, 2);
    assert!(reference.files.len() > sorted.cloudformation.len(), "every schema has outputs");
    let runs =
        [("shuffled, 2 threads", &shuffled, 2), ("sorted, 1 thread", &sorted, 1), ("shuffled, 1 thread", &shuffled, 1)];
    for (label, files, threads) in runs {
        let outputs = generate(&dir, files, threads);
        assert!(
            digest(&outputs) == digest(&reference) && outputs == reference,
            "{label}: output differs from sorted on 2 threads, first at {:?}",
            first_difference(&outputs, &reference)
        );
    }
}
