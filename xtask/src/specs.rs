//! `cargo xtask specs fetch`: fills the spec cache from the pin file.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The pin file, relative to the repository root.
pub const PIN_FILE: &str = "specs/pins.toml";
/// Where fetched specs go, relative to the repository root (git-ignored).
pub const CACHE_DIR: &str = "specs/cache";
/// A download larger than this is not a spec file.
const MAX_DOWNLOAD: u64 = 256 * 1024 * 1024;

#[derive(Debug, Deserialize)]
pub struct Pins {
    pub spec: Vec<Pin>,
}

#[derive(Debug, Deserialize)]
pub struct Pin {
    /// Path inside a spec directory: `cloudformation/aws-apigatewayv2-api.json`.
    pub path: String,
    pub url: String,
    pub sha256: String,
}

pub fn load_pins(root: &Path) -> Result<Pins> {
    let file = root.join(PIN_FILE);
    let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let pins: Pins = toml::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
    for pin in &pins.spec {
        let safe = !pin.path.is_empty()
            && !pin.path.starts_with('/')
            && !pin.path.split('/').any(|p| p == ".." || p.is_empty());
        if !safe {
            bail!("{}: spec path `{}` must be relative and stay inside the spec directory", file.display(), pin.path);
        }
    }
    Ok(pins)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Fetches every pinned spec into `cache`, from `mirror` if given, else from its URL.
/// A file already in the cache with the right checksum is kept as it is.
pub fn fetch(root: &Path, cache: &Path, mirror: Option<&Path>) -> Result<()> {
    let pins = load_pins(root)?;
    let (mut kept, mut fetched) = (0, 0);
    for pin in &pins.spec {
        let dest = cache.join(&pin.path);
        if std::fs::read(&dest).is_ok_and(|b| sha256_hex(&b) == pin.sha256) {
            kept += 1;
            continue;
        }
        let (bytes, from) = match mirror {
            Some(m) => {
                let src = m.join(&pin.path);
                (
                    std::fs::read(&src).with_context(|| format!("reading {} from the mirror", src.display()))?,
                    src.display().to_string(),
                )
            }
            None => (download(&pin.url)?, pin.url.clone()),
        };
        let got = sha256_hex(&bytes);
        if got != pin.sha256 {
            bail!("{from}: sha256 is {got}, but {PIN_FILE} pins {} for {}", pin.sha256, pin.path);
        }
        let parent = dest.parent().unwrap_or(cache);
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let tmp = dest.with_extension("part");
        std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).with_context(|| format!("writing {}", dest.display()))?;
        fetched += 1;
    }
    eprintln!("specs: {fetched} fetched, {kept} already cached, in {}", cache.display());
    Ok(())
}

fn download(url: &str) -> Result<Vec<u8>> {
    let mut response = ureq::get(url).call().with_context(|| format!("downloading {url}"))?;
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_DOWNLOAD)
        .read_to_end(&mut bytes)
        .with_context(|| format!("downloading {url}"))?;
    Ok(bytes)
}

/// The spec directory `generate` reads when none is given.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository root with a pin file for one spec, and a mirror holding `mirror_bytes`.
    fn setup(name: &str, mirror_bytes: &[u8]) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("xtask-specs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (root, mirror) = (dir.join("repo"), dir.join("mirror"));
        std::fs::create_dir_all(root.join("specs")).unwrap();
        std::fs::create_dir_all(mirror.join("smithy")).unwrap();
        std::fs::write(mirror.join("smithy/x.json"), mirror_bytes).unwrap();
        let pins = format!(
            "[[spec]]\npath = \"smithy/x.json\"\nurl = \"https://example.invalid/x.json\"\nsha256 = \"{}\"\n",
            sha256_hex(b"{}")
        );
        std::fs::write(root.join(PIN_FILE), pins).unwrap();
        (root, mirror)
    }

    #[test]
    fn fetches_from_a_mirror_and_verifies() {
        let (root, mirror) = setup("ok", b"{}");
        let cache = default_dir(&root);
        fetch(&root, &cache, Some(&mirror)).unwrap();
        assert_eq!(std::fs::read(cache.join("smithy/x.json")).unwrap(), b"{}");
        // A second run keeps the verified file without reading the mirror.
        std::fs::remove_dir_all(&mirror).unwrap();
        fetch(&root, &cache, Some(&mirror)).unwrap();
    }

    #[test]
    fn rejects_a_checksum_mismatch_and_writes_nothing() {
        let (root, mirror) = setup("bad", b"{\"changed\": true}");
        let cache = default_dir(&root);
        let err = fetch(&root, &cache, Some(&mirror)).unwrap_err().to_string();
        assert!(err.contains("sha256 is") && err.contains("smithy/x.json"), "{err}");
        assert!(!cache.join("smithy/x.json").exists());
    }

    #[test]
    fn rejects_paths_that_leave_the_spec_directory() {
        let (root, _) = setup("escape", b"{}");
        std::fs::write(root.join(PIN_FILE), "[[spec]]\npath = \"../x.json\"\nurl = \"u\"\nsha256 = \"0\"\n").unwrap();
        assert!(load_pins(&root).unwrap_err().to_string().contains("must be relative"));
    }
}
