//! Reads AWS Smithy JSON AST models and CloudFormation resource schemas into one
//! model ([`model::Model`]) and emits docs pages (and, later, SQL provider
//! definitions and Rust clients) from it.
//!
//! The pipeline: [`read`] lowers each input file into the model, [`passes`]
//! normalise it (names, links between resources and operations), [`emit`]
//! renders output files in memory, and [`output`] writes or checks them.

pub mod emit;
pub mod error;
pub mod model;
pub mod names;
pub mod output;
pub mod passes;
pub mod read;

use std::path::Path;

pub use error::{Error, Result};

/// Reads a spec directory and runs every pass: the model the emitters read.
pub fn load(specs: &Path) -> Result<model::Model> {
    let mut model = read::read_dir(specs)?;
    passes::run(&mut model)?;
    Ok(model)
}

/// Everything `cargo xtask generate` writes for a spec directory, in memory.
pub fn generate(specs: &Path) -> Result<emit::Outputs> {
    emit::all_owned(load(specs)?)
}

/// [`load`] of the given files of a spec directory.
pub fn load_files(specs: &Path, files: &read::SpecFiles) -> Result<model::Model> {
    let mut model = read::read_files(specs, files)?;
    passes::run(&mut model)?;
    Ok(model)
}

/// Generates from the given files of a spec directory.
pub fn generate_files(specs: &Path, files: &read::SpecFiles) -> Result<emit::Outputs> {
    emit::all_owned(load_files(specs, files)?)
}

/// Generates from a spec directory (all of it, or the given files) with the SQL
/// names under another StackQL provider name (`awscc`, say), and the generated crates naming
/// the runtime and the repository of `crates`.
pub fn generate_as(
    specs: &Path,
    files: Option<&read::SpecFiles>,
    provider: &str,
    crates: &emit::rust::CrateSettings,
) -> Result<emit::Outputs> {
    generate_reporting(specs, files, provider, crates, &|_| {})
}

/// A stage of a run, as [`generate_reporting`] enters it: what a progress line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and lowering the spec files.
    Reading,
    /// Naming and linking the services read.
    Linking { services: usize },
    /// Rendering every output of the services.
    Rendering { services: usize },
}

/// [`generate_as`], calling `report` as each stage begins (a corpus run takes minutes,
/// and the CLI shows where it is).
pub fn generate_reporting(
    specs: &Path,
    files: Option<&read::SpecFiles>,
    provider: &str,
    crates: &emit::rust::CrateSettings,
    report: &dyn Fn(Stage),
) -> Result<emit::Outputs> {
    report(Stage::Reading);
    let mut model = match files {
        Some(files) => read::read_files(specs, files)?,
        None => read::read_dir(specs)?,
    };
    model.provider = provider.to_string();
    model.crates = crates.clone();
    report(Stage::Linking { services: model.services.len() });
    passes::run(&mut model)?;
    report(Stage::Rendering { services: model.services.len() });
    emit::all_owned(model)
}
