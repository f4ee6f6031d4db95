//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`, or
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`), read as the AWS SDKs read them.
//!
//! In the config file a profile is `[default]` or `[profile NAME]`, an SSO session
//! `[sso-session NAME]`; in the credentials file a profile is `[NAME]`. A property of a profile in
//! the credentials file wins over the same one in the config file. Lines starting with `#` or `;`
//! are comments, as is text after ` #` / ` ;` in a value; indented lines under a property with an
//! empty value are its sub-properties (`s3 =` then `  addressing_style = path`), which no
//! setting read here uses, so they are skipped. A missing file is an empty one.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{CredentialsError, ProviderEnv};

/// The properties of one section.
pub(crate) type Properties = HashMap<String, String>;

/// Both files, merged.
#[derive(Debug, Default, Clone)]
pub(crate) struct ProfileSet {
    profiles: HashMap<String, Properties>,
    sso_sessions: HashMap<String, Properties>,
    /// The profile chosen: `AWS_PROFILE`, else `default`.
    pub(crate) selected: String,
    /// Whether the profile was named by `AWS_PROFILE` (then its absence is an error).
    pub(crate) explicit: bool,
}

impl ProfileSet {
    /// Reads both files of `env`; an unreadable (not missing) file is an error naming it.
    pub(crate) fn load(env: &ProviderEnv) -> Result<ProfileSet, CredentialsError> {
        let mut set = ProfileSet::default();
        let config = path(env, "AWS_CONFIG_FILE", "~/.aws/config");
        let credentials = path(env, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
        if let Some(text) = read(config.as_ref())? {
            set.add(&text, true);
        }
        if let Some(text) = read(credentials.as_ref())? {
            set.add(&text, false);
        }
        match env.var("AWS_PROFILE").or_else(|| env.var("AWS_DEFAULT_PROFILE")) {
            Some(name) => {
                set.selected = name;
                set.explicit = true;
            }
            None => set.selected = "default".into(),
        }
        Ok(set)
    }

    /// Parses `text` of the config file (`config = true`) or the credentials file into the set.
    pub(crate) fn add(&mut self, text: &str, config: bool) {
        let mut current: Option<&mut Properties> = None;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let Some(header) = trimmed.strip_prefix('[') {
                let Some(header) = header.split_once(']').map(|(h, _)| h.trim()) else {
                    current = None;
                    continue;
                };
                current = self.section(header, config);
                continue;
            }
            // Indented: a sub-property of the previous property.
            if line.starts_with([' ', '\t']) {
                continue;
            }
            let (Some(properties), Some((key, value))) = (current.as_deref_mut(), trimmed.split_once('=')) else {
                continue;
            };
            let key = key.trim();
            if key.is_empty() {
                continue;
            }
            properties.insert(key.to_owned(), strip_comment(value.trim()).to_owned());
        }
    }

    /// The section a header names, or `None` for sections not read here (`[services x]`) and
    /// names that are not valid.
    fn section(&mut self, header: &str, config: bool) -> Option<&mut Properties> {
        let valid = |name: &str| !name.is_empty() && !name.contains(char::is_whitespace);
        if !config {
            return valid(header).then(|| self.profiles.entry(header.to_owned()).or_default());
        }
        if header == "default" {
            return Some(self.profiles.entry("default".into()).or_default());
        }
        let (kind, name) = header.split_once(char::is_whitespace)?;
        let name = name.trim();
        if !valid(name) {
            return None;
        }
        match kind {
            "profile" => Some(self.profiles.entry(name.to_owned()).or_default()),
            "sso-session" => Some(self.sso_sessions.entry(name.to_owned()).or_default()),
            _ => None,
        }
    }

    /// A profile's properties.
    pub(crate) fn profile(&self, name: &str) -> Option<&Properties> {
        self.profiles.get(name)
    }

    /// An `[sso-session NAME]` section.
    pub(crate) fn sso_session(&self, name: &str) -> Option<&Properties> {
        self.sso_sessions.get(name)
    }

    /// A property of the selected profile.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.profile(&self.selected)?.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }
}

/// A value's inline comment removed: ` #` or ` ;` and what follows.
fn strip_comment(value: &str) -> &str {
    let cut = [" #", "\t#", " ;", "\t;"].iter().filter_map(|m| value.find(m)).min();
    match cut {
        Some(i) => value[..i].trim_end(),
        None => value,
    }
}

fn path(env: &ProviderEnv, var: &str, default: &str) -> Option<PathBuf> {
    env.expand_home(&env.var(var).unwrap_or_else(|| default.to_owned()))
}

fn read(path: Option<&PathBuf>) -> Result<Option<String>, CredentialsError> {
    let Some(path) = path else { return Ok(None) };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::failed("profile", format!("cannot read {}: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_files_and_merges() {
        let mut set = ProfileSet::default();
        set.add(
            "# comment\n[default]\nregion = us-west-2 # inline\n[profile dev]\nregion=eu-west-1\ns3 =\n  addressing_style = path\n\
             role_arn = arn:aws:iam::123456789012:role/r\n[sso-session corp]\nsso_region = us-east-1\n\
             [services local]\nsts =\n  endpoint_url = http://x\n[profile bad name]\nx = 1\n[dev]\nignored = yes\n",
            true,
        );
        set.add(
            "[dev]\naws_access_key_id = AKID\nregion = ap-south-1\n[default]\n; c\naws_secret_access_key=s\n",
            false,
        );
        let dev = set.profile("dev").unwrap();
        assert_eq!(dev["region"], "ap-south-1");
        assert_eq!(dev["role_arn"], "arn:aws:iam::123456789012:role/r");
        assert_eq!(dev["aws_access_key_id"], "AKID");
        assert!(!dev.contains_key("addressing_style") && !dev.contains_key("ignored"));
        assert_eq!(set.profile("default").unwrap()["region"], "us-west-2");
        assert_eq!(set.sso_session("corp").unwrap()["sso_region"], "us-east-1");
        assert!(set.profile("bad name").is_none() && set.profile("local").is_none());
    }
}
