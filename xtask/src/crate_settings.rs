//! What generated crates point at outside themselves: the runtime's path (see `runtime_path`) and
//! the repository they name, which the owner sets once, in the workspace root's `Cargo.toml`
//! (`[workspace.package] repository`), or `generate --repository URL` gives for one run.

use std::path::Path;

use anyhow::{bail, Context, Result};
use codegen::emit::rust::CrateSettings;

/// The settings for crates generated into `out` from the repository at `root`.
pub fn for_output(root: &Path, out: &Path, repository: Option<String>) -> Result<CrateSettings> {
    let repository = match repository {
        Some(url) => url,
        None => workspace_repository(root)?,
    };
    check_url(&repository)?;
    Ok(CrateSettings { runtime_path: crate::runtime_path::for_output(root, out)?, repository })
}

/// `[workspace.package] repository` of `root/Cargo.toml`.
fn workspace_repository(root: &Path) -> Result<String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let url = manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("repository"))
        .and_then(|r| r.as_str());
    match url {
        Some(url) => Ok(url.to_owned()),
        None => bail!("{}: no `[workspace.package] repository` (the URL generated crates name)", path.display()),
    }
}

/// A URL goes into a TOML string as it is: an http(s) URL without quotes, backslashes or spaces.
fn check_url(url: &str) -> Result<()> {
    let plain = url.chars().all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
    if !(url.starts_with("https://") || url.starts_with("http://")) || !plain {
        bail!("repository `{url}` is not an http(s) URL (without quotes, backslashes or spaces)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_the_workspace_or_the_flag() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let settings = for_output(&root, &root, None).unwrap();
        assert_eq!(settings.repository, codegen::emit::rust::REPOSITORY, "the workspace's, as the generator's default");
        assert_eq!(settings.runtime_path, "../../../runtime");
        let fork = for_output(&root, &root, Some("https://example.com/me/fork".into())).unwrap();
        assert_eq!(fork.repository, "https://example.com/me/fork");
        for bad in ["example.com/x", "https://a b", "https://x\"y", ""] {
            assert!(for_output(&root, &root, Some(bad.into())).is_err(), "{bad}");
        }
    }
}
