//! Readers: each lowers one input format into the model; [`read_dir`] reads a
//! whole spec directory and groups what it finds by service.

pub mod cloudformation;
pub mod json;
pub mod smithy;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Api, Model, Resource, Service};

/// Where each kind of input lives inside a spec directory.
pub const CLOUDFORMATION_DIR: &str = "cloudformation";
pub const SMITHY_DIR: &str = "smithy";

/// The input files of a spec directory, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct SpecFiles {
    pub cloudformation: Vec<PathBuf>,
    pub smithy: Vec<PathBuf>,
}

impl SpecFiles {
    /// Lists `DIR/cloudformation/*.json` and `DIR/smithy/*.json`.
    pub fn discover(dir: &Path) -> Result<SpecFiles> {
        let files = SpecFiles {
            cloudformation: json_files(&dir.join(CLOUDFORMATION_DIR))?,
            smithy: json_files(&dir.join(SMITHY_DIR))?,
        };
        if files.cloudformation.is_empty() && files.smithy.is_empty() {
            return Err(Error::MissingInput {
                dir: dir.to_path_buf(),
                message: format!("no inputs: expected {CLOUDFORMATION_DIR}/*.json and/or {SMITHY_DIR}/*.json"),
            });
        }
        Ok(files)
    }
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let io = |source| Error::Io { file: dir.to_path_buf(), source };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The path of `file` relative to `dir`, with `/` separators, as stored in the model.
pub fn relative(dir: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(dir).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn read_text(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).map_err(|source| Error::Io { file: file.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|e| json::not_utf8(file, e.utf8_error()))
}

/// Reads every input of a spec directory into a model (names and links not yet computed).
pub fn read_dir(dir: &Path) -> Result<Model> {
    read_files(dir, &SpecFiles::discover(dir)?)
}

/// Reads the given files; `dir` is what their stored paths are relative to.
pub fn read_files(dir: &Path, files: &SpecFiles) -> Result<Model> {
    let mut resources = Vec::new();
    for file in &files.cloudformation {
        resources.push(cloudformation::read(file, &relative(dir, file), &read_text(file)?)?);
    }
    let mut apis = Vec::new();
    for file in &files.smithy {
        apis.push(smithy::read(file, &relative(dir, file), &read_text(file)?)?);
    }
    assemble(resources, apis)
}

/// Groups resources and APIs into services.
pub fn assemble(resources: Vec<Resource>, apis: Vec<Api>) -> Result<Model> {
    let mut model = Model::default();
    for resource in resources {
        let Some((_, service, _)) = cloudformation::split_type_name(&resource.type_name) else {
            // The reader checked the form already.
            continue;
        };
        let id = service.to_ascii_lowercase();
        let entry = model.services.entry(id.clone()).or_insert_with(|| Service {
            id,
            title: service.to_string(),
            ..Service::default()
        });
        if let Some(previous) = entry.resources.get(&resource.type_name) {
            return Err(Error::Collision {
                name: resource.type_name.clone(),
                first: previous.source.clone(),
                second: resource.source.clone(),
            });
        }
        entry.resources.insert(resource.type_name.clone(), resource);
    }
    for api in apis {
        let title = api.cloudformation_name.clone().unwrap_or_else(|| api.sdk_id.replace(' ', ""));
        let id = title.to_ascii_lowercase();
        let entry = model.services.entry(id.clone()).or_insert_with(|| Service { id, title, ..Service::default() });
        if let Some(previous) = &entry.api {
            return Err(Error::Collision {
                name: format!("service `{}`", entry.id),
                first: previous.source.clone(),
                second: api.source.clone(),
            });
        }
        entry.api = Some(api);
    }
    Ok(model)
}
