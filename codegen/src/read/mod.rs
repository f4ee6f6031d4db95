//! Readers: each lowers one input format into the model; [`read_dir`] reads a
//! whole spec directory and groups what it finds by service.

pub mod cloudformation;
pub mod json;
pub mod mixins;
pub mod smithy;

use std::collections::BTreeMap;
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

/// Folders of the shared full corpus (`--all`): every CloudFormation schema AWS
/// publishes and every Smithy model, read as they are.
pub const CORPUS_CLOUDFORMATION_DIR: &str = "cloudformation-all";
pub const CORPUS_SMITHY_DIR: &str = SMITHY_DIR;

impl SpecFiles {
    /// Lists `DIR/cloudformation/*.json` and `DIR/smithy/*.json`.
    pub fn discover(dir: &Path) -> Result<SpecFiles> {
        SpecFiles::listed(dir, CLOUDFORMATION_DIR, SMITHY_DIR)
    }

    /// The full corpus below the shared specs folder: `DIR/cloudformation-all/*.json`
    /// and `DIR/smithy/*.json`. Whatever files are there are read; no service is named.
    pub fn corpus(dir: &Path) -> Result<SpecFiles> {
        SpecFiles::listed(dir, CORPUS_CLOUDFORMATION_DIR, CORPUS_SMITHY_DIR)
    }

    fn listed(dir: &Path, cloudformation: &str, smithy: &str) -> Result<SpecFiles> {
        let files = SpecFiles {
            cloudformation: json_files(&dir.join(cloudformation))?,
            smithy: json_files(&dir.join(smithy))?,
        };
        if files.cloudformation.is_empty() && files.smithy.is_empty() {
            return Err(Error::MissingInput {
                dir: dir.to_path_buf(),
                message: format!("no inputs: expected {cloudformation}/*.json and/or {smithy}/*.json"),
            });
        }
        Ok(files)
    }

    /// Every file, CloudFormation first.
    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.cloudformation.iter().chain(&self.smithy)
    }

    /// Both lists sorted and without repeats: the order files are read and
    /// assembled in must not depend on how the caller listed them.
    pub fn sorted(&self) -> SpecFiles {
        let sort = |list: &[PathBuf]| {
            let mut list = list.to_vec();
            list.sort();
            list.dedup();
            list
        };
        SpecFiles { cloudformation: sort(&self.cloudformation), smithy: sort(&self.smithy) }
    }
}

/// The `*.json` files of one spec folder, sorted. A folder that is not there has none;
/// one that is there but cannot be read (no permission, a symlink loop, a file in its
/// place) is an error naming it, never an empty folder: that would delete every
/// output made from it.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |error| Error::Io { file: dir.to_path_buf(), error };
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
        Ok(_) => {}
    }
    // Through symlinks: a link to itself fails here (too many levels of links).
    let meta = std::fs::metadata(dir).map_err(io)?;
    if !meta.is_dir() {
        return Err(Error::MissingInput { dir: dir.to_path_buf(), message: "is not a folder".into() });
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let meta = std::fs::metadata(&path).map_err(|error| Error::Io { file: path.clone(), error })?;
        if meta.is_file() {
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

/// Whether a source name has a letter or digit: generated names are made of those,
/// so a name without any (`""`, `"-"`) cannot become an identifier.
pub fn has_word(name: &str) -> bool {
    name.chars().any(char::is_alphanumeric)
}

/// Input files larger than this are refused before they are read: the largest AWS
/// model is under 4 MiB, and a file is held (twice, as text and parsed) per core.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a file as UTF-8 text, refusing files over [`MAX_INPUT_BYTES`].
pub fn read_text(file: &Path) -> Result<String> {
    use std::io::Read;
    let io = |error| Error::Io { file: file.to_path_buf(), error };
    let handle = std::fs::File::open(file).map_err(io)?;
    let size = handle.metadata().map_or(0, |m| m.len()).min(MAX_INPUT_BYTES + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` rather than the size on disk, which a growing file would outrun.
    handle.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::Schema {
            file: file.to_path_buf(),
            pointer: format!("byte {MAX_INPUT_BYTES}"),
            message: format!("file is larger than the input limit of {} MiB", MAX_INPUT_BYTES >> 20),
        });
    }
    String::from_utf8(bytes).map_err(|e| json::not_utf8(file, e.utf8_error()))
}

/// Reads every input of a spec directory into a model (names and links not yet computed).
pub fn read_dir(dir: &Path) -> Result<Model> {
    read_files(dir, &SpecFiles::discover(dir)?)
}

/// Reads the given files; `dir` is what their stored paths are relative to.
///
/// Files are read, parsed and lowered in parallel (on the current rayon pool), then
/// assembled in sorted path order, so the model is the same whatever the thread
/// count or the order of the lists.
pub fn read_files(dir: &Path, files: &SpecFiles) -> Result<Model> {
    let files = files.sorted();
    let resources =
        map_files(&files.cloudformation, |file, text| cloudformation::read(file, &relative(dir, file), text));
    let apis = map_files(&files.smithy, |file, text| smithy::read(file, &relative(dir, file), text));
    let (resources, apis) = match (resources, apis) {
        // A Smithy file may hold several services: its APIs, in document order.
        (Ok(resources), Ok(apis)) => (resources, apis.into_iter().flatten().collect::<Vec<Api>>()),
        (Err(a), Err(b)) => return Err(first_error(a, b)),
        (Err(e), _) | (_, Err(e)) => return Err(e.1),
    };
    let partitions = partitions(dir)?;
    let apis: Vec<Api> = apis.into_iter().map(|api| Api { partitions: partitions.clone(), ..api }).collect();
    assemble(resources, apis)
}

/// Where the partition data of the endpoint rules is, in a spec directory.
pub const PARTITIONS_FILE: &str = "botocore/partitions.json";

/// `DIR/botocore/partitions.json` as the generated crates embed it: compact, without what
/// resolution never reads (region descriptions). `None` if the directory has no such file.
pub fn partitions(dir: &Path) -> Result<Option<String>> {
    let file = dir.join(PARTITIONS_FILE);
    if !file.is_file() {
        return Ok(None);
    }
    let text = read_text(&file)?;
    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Schema {
        file: file.clone(),
        pointer: String::new(),
        message: format!("not JSON: {e}"),
    })?;
    let partitions = value.get_mut("partitions").and_then(serde_json::Value::as_array_mut);
    for partition in partitions.into_iter().flatten() {
        let regions = partition.get_mut("regions").and_then(serde_json::Value::as_object_mut);
        for region in regions.into_iter().flat_map(|r| r.values_mut()) {
            if let Some(region) = region.as_object_mut() {
                region.remove("description");
            }
        }
    }
    Ok(Some(value.to_string()))
}

/// Of two failures, the one whose file sorts first.
fn first_error(a: (PathBuf, Error), b: (PathBuf, Error)) -> Error {
    if a.0 <= b.0 {
        a.1
    } else {
        b.1
    }
}

/// Reads each file as text and hands it to `f`, on every thread of the current rayon
/// pool. Results keep the order of `files`; if several files fail, the error returned
/// is that of the smallest path (with the path), whichever thread finished first.
pub fn map_files<T, F>(files: &[PathBuf], f: F) -> Result<Vec<T>, (PathBuf, Error)>
where
    T: Send,
    F: Fn(&Path, &str) -> Result<T> + Sync,
{
    use rayon::prelude::*;
    // One file per task: files differ in size by 1,000x, so fixed chunks would leave a
    // core idle behind one big model.
    let results: Vec<Result<T>> =
        files.par_iter().with_max_len(1).map(|file| read_text(file).and_then(|text| f(file, &text))).collect();
    let mut out = Vec::with_capacity(results.len());
    let mut failed: Option<(PathBuf, Error)> = None;
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(value) => out.push(value),
            Err(e) => {
                if failed.as_ref().is_none_or(|(first, _)| file < first) {
                    failed = Some((file.clone(), e));
                }
            }
        }
    }
    match failed {
        Some(failure) => Err(failure),
        None => Ok(out),
    }
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
    // Several Smithy models can name the same CloudFormation service (`Cognito` is
    // both user pools and identity pools; `SSO` both the portal and SSO Admin). A
    // service holds one API: the one whose operations act on most of the service's
    // resource types; each other API becomes a service of its own, so none is lost.
    let mut groups: BTreeMap<String, Vec<Api>> = BTreeMap::new();
    for api in apis {
        let title = api.cloudformation_name.clone().unwrap_or_else(|| sdk_title(&api));
        groups.entry(title.to_ascii_lowercase()).or_default().push(api);
    }
    let mut others = Vec::new();
    for (id, mut group) in groups {
        let entry = model.services.entry(id.clone()).or_insert_with(|| Service {
            id,
            title: group[0].cloudformation_name.clone().unwrap_or_else(|| sdk_title(&group[0])),
            ..Service::default()
        });
        let best = best_api(entry, &group);
        others.extend(group.drain(..).enumerate().filter_map(|(i, api)| {
            if i == best {
                entry.api = Some(api);
                None
            } else {
                Some(api)
            }
        }));
    }
    for api in others {
        let title = sdk_title(&api);
        let id = free_id(&model, &title, &api);
        model.services.insert(id.clone(), Service { id, title, api: Some(api), ..Service::default() });
    }
    Ok(model)
}

/// `Cognito Identity` -> `CognitoIdentity`.
fn sdk_title(api: &Api) -> String {
    api.sdk_id.replace(' ', "")
}

/// Of several APIs for one service, the index of the one whose operations name
/// most of its resource types (`CreateUserPool` for `AWS::Cognito::UserPool`);
/// ties go to the API whose SDK id is the service's name, then to the first path.
fn best_api(service: &Service, apis: &[Api]) -> usize {
    let score = |api: &Api| {
        let acts_on = service
            .resources
            .keys()
            .filter_map(|t| cloudformation::split_type_name(t).map(|(_, _, r)| r))
            .filter(|r| {
                ["Create", "Get", "Describe", "Update", "Delete"]
                    .iter()
                    .any(|v| api.operations.contains_key(&format!("{v}{r}")))
            })
            .count();
        (acts_on, sdk_title(api).eq_ignore_ascii_case(&service.title))
    };
    // `max_by_key` keeps the last maximum; reversed, that is the first.
    apis.iter().enumerate().rev().max_by_key(|(_, api)| score(api)).map_or(0, |(i, _)| i)
}

/// An unused service id for an API that could not join its service: its SDK id, else
/// its service shape's name, else one of those numbered.
fn free_id(model: &Model, title: &str, api: &Api) -> String {
    let shape = api.shape_id.rsplit_once('#').map_or(api.shape_id.as_str(), |(_, n)| n);
    let candidates = [title.to_ascii_lowercase(), shape.to_ascii_lowercase()];
    if let Some(free) = candidates.iter().find(|c| !c.is_empty() && !model.services.contains_key(*c)) {
        return free.clone();
    }
    (2..).map(|n| format!("{}{n}", candidates[0])).find(|c| !model.services.contains_key(c)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Operation;

    fn api(source: &str, sdk_id: &str, cloudformation: &str, operations: &[&str]) -> Api {
        Api {
            source: source.into(),
            shape_id: format!("com.example#{}", sdk_id.replace(' ', "")),
            sdk_id: sdk_id.into(),
            cloudformation_name: Some(cloudformation.into()),
            operations: operations.iter().map(|o| (o.to_string(), Operation::default())).collect(),
            ..Api::default()
        }
    }

    fn resource(type_name: &str) -> Resource {
        Resource { type_name: type_name.into(), source: format!("{type_name}.json"), ..Resource::default() }
    }

    #[test]
    fn several_apis_of_one_service_keep_the_one_acting_on_its_resources() {
        let resources = vec![resource("AWS::Cognito::UserPool"), resource("AWS::Cognito::UserPoolClient")];
        let apis = vec![
            api("smithy/cognito-identity.json", "Cognito Identity", "Cognito", &["CreateIdentityPool"]),
            api("smithy/cognito-identity-provider.json", "Cognito Identity Provider", "Cognito", &["CreateUserPool"]),
            // Same SDK id as the service's name, but nothing in common: loses to the above.
            api("smithy/sso.json", "Cognito", "Cognito", &[]),
        ];
        let model = assemble(resources, apis).expect("no collision");
        let cognito = &model.services["cognito"];
        assert_eq!(cognito.api.as_ref().map(|a| a.sdk_id.as_str()), Some("Cognito Identity Provider"));
        assert_eq!(cognito.resources.len(), 2);
        // The others are services of their own: by SDK id, else by service shape name.
        assert_eq!(
            model.services["cognitoidentity"].api.as_ref().map(|a| a.source.as_str()),
            Some("smithy/cognito-identity.json")
        );
        let by_shape = model.services.values().find(|s| s.api.as_ref().is_some_and(|a| a.source == "smithy/sso.json"));
        assert_eq!(by_shape.map(|s| s.id.as_str()), Some("cognito2"));
    }

    #[test]
    fn a_tie_goes_to_the_sdk_id_named_like_the_service_then_to_the_first_path() {
        let apis =
            vec![api("smithy/mailmanager.json", "MailManager", "SES", &[]), api("smithy/ses.json", "SES", "SES", &[])];
        let model = assemble(Vec::new(), apis.clone()).expect("no collision");
        assert_eq!(model.services["ses"].api.as_ref().map(|a| a.sdk_id.as_str()), Some("SES"));
        assert!(model.services["mailmanager"].api.is_some());

        let apis = vec![api("smithy/a.json", "A", "X", &[]), api("smithy/b.json", "B", "X", &[])];
        let model = assemble(Vec::new(), apis).expect("no collision");
        assert_eq!(model.services["x"].api.as_ref().map(|a| a.source.as_str()), Some("smithy/a.json"));
        assert!(model.services["b"].api.is_some());
    }
}
