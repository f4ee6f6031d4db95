//! Credentials of a profile of the shared files, as the AWS SDKs resolve them.
//!
//! From the selected profile, `source_profile` links are followed to a profile that gives
//! credentials by itself: static keys (`aws_access_key_id`, `aws_secret_access_key`,
//! `aws_session_token`), `credential_process`, SSO (`sso_session` or `sso_start_url`), a
//! `web_identity_token_file` with its `role_arn`, or a `role_arn` with `credential_source`
//! (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`). Each `role_arn` on the way back is then
//! assumed in turn (STS AssumeRole), each with the credentials of the one before. As in the SDKs,
//! a profile reached through `source_profile` that has static keys gives those keys even if it
//! also has a `role_arn`, and a profile may name itself as `source_profile` to assume its role with
//! its own keys. A cycle is an error naming the profiles, and so is a role with `mfa_serial`
//! ([`CredentialsError::MfaRequired`]: no code can be asked for).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::profile::{ProfileSet, Properties};
use super::{sso, sts, ContainerProvider, CredentialsError, ImdsProvider, ProcessProvider, ProvideCredentials};
use super::{AssumeRoleRequest, ProviderEnv, Sso, Sts};
use crate::{BoxFuture, Credentials};

const PROVIDER: &str = "profile";

/// Credentials of the profile `AWS_PROFILE` names (else `default`).
pub struct ProfileProvider {
    env: ProviderEnv,
    sts: Option<Arc<dyn Sts>>,
    sso: Option<Arc<dyn Sso>>,
    profile: Option<String>,
    process_timeout: Duration,
}

/// Where the innermost credentials come from.
#[derive(Debug)]
enum Base {
    Static(Credentials),
    Process(String),
    Sso { profile: String },
    WebIdentity { token_file: String, role_arn: String, session: Option<String> },
    Environment,
    Imds,
    Container,
}

/// A role to assume.
#[derive(Debug)]
struct Role {
    role_arn: String,
    session: Option<String>,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
}

impl ProfileProvider {
    /// The provider over the files and variables of `env`, with the clients to call STS and SSO.
    pub fn new(env: ProviderEnv, sts: Option<Arc<dyn Sts>>, sso: Option<Arc<dyn Sso>>) -> Self {
        ProfileProvider { env, sts, sso, profile: None, process_timeout: super::DEFAULT_PROCESS_TIMEOUT }
    }

    /// Another time limit for a `credential_process` command than
    /// [`DEFAULT_PROCESS_TIMEOUT`](super::DEFAULT_PROCESS_TIMEOUT).
    pub fn credential_process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = timeout;
        self
    }

    /// Reads this profile instead of `AWS_PROFILE`'s.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut profiles = ProfileSet::load(&self.env)?;
        if let Some(name) = &self.profile {
            profiles.selected = name.clone();
            profiles.explicit = true;
        }
        let (base, roles) = resolve(&profiles)?;
        let mut credentials = match base {
            Base::Static(c) => c,
            Base::Process(command) => {
                ProcessProvider::new(command).timeout(self.process_timeout).provide_credentials().await?
            }
            Base::Sso { profile } => {
                let properties = profiles.profile(&profile).cloned().unwrap_or_default();
                sso::credentials(&self.env, &profiles, &profile, &properties, self.sso.as_deref()).await?
            }
            Base::WebIdentity { token_file, role_arn, session } => {
                sts::web_identity(&self.env, Some(&profiles), self.sts.as_deref(), &token_file, role_arn, session)
                    .await?
            }
            Base::Environment => super::environment(&self.env)?,
            Base::Imds => ImdsProvider::new(self.env.clone()).provide_credentials().await?,
            Base::Container => ContainerProvider::new(self.env.clone()).provide_credentials().await?,
        };
        for role in roles {
            let Some(sts) = &self.sts else {
                return Err(CredentialsError::failed(
                    PROVIDER,
                    format!(
                        "profile `{}` assumes {}, which needs an STS client: give one to DefaultCredentialsChainBuilder::sts",
                        profiles.selected, role.role_arn
                    ),
                ));
            };
            let (region, endpoint_url) = sts::target(&self.env, Some(&profiles));
            let request = AssumeRoleRequest {
                region,
                endpoint_url,
                credentials,
                role_session_name: role.session.unwrap_or_else(|| sts::session_name(&self.env)),
                role_arn: role.role_arn,
                external_id: role.external_id,
                duration_seconds: role.duration_seconds,
            };
            credentials = sts.assume_role(request).await?;
        }
        Ok(credentials)
    }
}

/// The base credentials and the roles to assume after them, in order.
fn resolve(profiles: &ProfileSet) -> Result<(Base, Vec<Role>), CredentialsError> {
    let mut name = profiles.selected.clone();
    let mut visited: Vec<String> = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    let base = loop {
        let Some(profile) = profiles.profile(&name) else {
            let why = format!("profile `{name}` is in neither the config nor the credentials file");
            return Err(if visited.is_empty() && !profiles.explicit {
                CredentialsError::not_loaded(PROVIDER, why)
            } else {
                CredentialsError::failed(PROVIDER, why)
            });
        };
        let get = |key: &str| profile.get(key).filter(|v| !v.is_empty()).cloned();
        let first = visited.is_empty();
        visited.push(name.clone());
        // A source profile with keys gives them, whatever else it says.
        if !first {
            if let Some(c) = static_keys(&name, profile)? {
                break Base::Static(c);
            }
        }
        let Some(role_arn) = get("role_arn") else {
            break own_credentials(&name, profile)?;
        };
        if let Some(token_file) = get("web_identity_token_file") {
            break Base::WebIdentity { token_file, role_arn, session: get("role_session_name") };
        }
        if let Some(mfa_serial) = get("mfa_serial") {
            return Err(CredentialsError::MfaRequired { profile: name, mfa_serial });
        }
        roles.push(Role {
            role_arn,
            session: get("role_session_name"),
            external_id: get("external_id"),
            duration_seconds: match get("duration_seconds") {
                Some(v) => Some(v.parse().map_err(|_| {
                    CredentialsError::failed(
                        PROVIDER,
                        format!("profile `{name}`: duration_seconds `{v}` is not a number"),
                    )
                })?),
                None => None,
            },
        });
        match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::failed(
                    PROVIDER,
                    format!("profile `{name}` has both source_profile and credential_source"),
                ))
            }
            (Some(source), None) if source == name => match static_keys(&name, profile)? {
                Some(c) => break Base::Static(c),
                None => {
                    return Err(CredentialsError::failed(
                        PROVIDER,
                        format!("profile `{name}` is its own source_profile but has no keys"),
                    ))
                }
            },
            (Some(source), None) => {
                if visited.contains(&source) {
                    visited.push(source);
                    return Err(CredentialsError::failed(
                        PROVIDER,
                        format!("source_profile cycle: {}", visited.join(" -> ")),
                    ));
                }
                name = source;
            }
            (None, Some(source)) => {
                break match source.as_str() {
                    "Environment" => Base::Environment,
                    "Ec2InstanceMetadata" => Base::Imds,
                    "EcsContainer" => Base::Container,
                    other => {
                        return Err(CredentialsError::failed(
                            PROVIDER,
                            format!("profile `{name}`: credential_source `{other}` is not Environment, Ec2InstanceMetadata or EcsContainer"),
                        ))
                    }
                }
            }
            (None, None) => {
                return Err(CredentialsError::failed(
                    PROVIDER,
                    format!("profile `{name}` has a role_arn but neither source_profile nor credential_source"),
                ))
            }
        }
    };
    roles.reverse();
    Ok((base, roles))
}

/// What a profile without `role_arn` gives.
fn own_credentials(name: &str, profile: &Properties) -> Result<Base, CredentialsError> {
    let has = |key: &str| profile.get(key).is_some_and(|v| !v.is_empty());
    if has("sso_session") || has("sso_start_url") {
        return Ok(Base::Sso { profile: name.to_owned() });
    }
    if let Some(c) = static_keys(name, profile)? {
        return Ok(Base::Static(c));
    }
    if let Some(command) = profile.get("credential_process").filter(|v| !v.is_empty()) {
        return Ok(Base::Process(command.clone()));
    }
    Err(CredentialsError::failed(
        PROVIDER,
        format!("profile `{name}` has no credentials (keys, credential_process, SSO or role)"),
    ))
}

/// The profile's keys, if it has an access key id.
fn static_keys(name: &str, profile: &Properties) -> Result<Option<Credentials>, CredentialsError> {
    let get = |key: &str| profile.get(key).filter(|v| !v.is_empty()).cloned();
    let Some(access_key_id) = get("aws_access_key_id") else { return Ok(None) };
    let secret = get("aws_secret_access_key").ok_or_else(|| {
        CredentialsError::failed(
            PROVIDER,
            format!("profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
        )
    })?;
    Ok(Some(Credentials::new(access_key_id, secret, get("aws_session_token"))))
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide())
    }
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("profile", &self.profile)
            .field("process_timeout", &self.process_timeout)
            .field("sts", &self.sts.is_some())
            .field("sso", &self.sso.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: &str, selected: &str) -> ProfileSet {
        let mut set = ProfileSet::default();
        set.add(config, true);
        set.selected = selected.into();
        set
    }

    #[test]
    fn chains_and_errors() {
        let profiles = set(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\nexternal_id = x\n\
             [profile b]\nrole_arn = arn:b\nsource_profile = c\n\
             [profile c]\naws_access_key_id = AK\naws_secret_access_key = S\nrole_arn = arn:ignored\n\
             [profile self]\nrole_arn = arn:self\nsource_profile = self\naws_access_key_id = AK\naws_secret_access_key = S\n\
             [profile loop1]\nrole_arn = arn:1\nsource_profile = loop2\n[profile loop2]\nrole_arn = arn:2\nsource_profile = loop1\n\
             [profile ec2]\nrole_arn = arn:e\ncredential_source = Ec2InstanceMetadata\n\
             [profile bad]\nrole_arn = arn:x\ncredential_source = Moon\n\
             [profile wi]\nrole_arn = arn:w\nweb_identity_token_file = /t\n\
             [profile proc]\ncredential_process = echo\n[profile empty]\nregion = x\n\
             [profile mfa]\nrole_arn = arn:m\nsource_profile = c\nmfa_serial = arn:aws:iam::1:mfa/me\n\
             [profile via-mfa]\nrole_arn = arn:v\nsource_profile = mfa\n",
            "a",
        );
        let (base, roles) = resolve(&profiles).unwrap();
        assert!(matches!(base, Base::Static(ref c) if c.access_key_id == "AK"), "{base:?}");
        let arns: Vec<&str> = roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(arns, ["arn:b", "arn:a"]);
        assert_eq!(roles[1].external_id.as_deref(), Some("x"));
        let with = |name: &str| {
            let mut p = profiles.clone();
            p.selected = name.into();
            resolve(&p)
        };
        let (base, roles) = with("self").unwrap();
        assert!(matches!(base, Base::Static(_)) && roles.len() == 1);
        let err = with("loop1").unwrap_err().to_string();
        assert!(err.contains("loop1 -> loop2 -> loop1"), "{err}");
        assert!(matches!(with("ec2").unwrap().0, Base::Imds));
        assert!(with("bad").unwrap_err().to_string().contains("Moon"));
        assert!(matches!(with("wi").unwrap(), (Base::WebIdentity { .. }, ref r) if r.is_empty()));
        assert!(matches!(with("proc").unwrap().0, Base::Process(_)));
        assert!(!with("empty").unwrap_err().is_not_loaded());
        assert!(with("nope").unwrap_err().is_not_loaded());
        for name in ["mfa", "via-mfa"] {
            let err = with(name).unwrap_err();
            assert!(
                matches!(&err, CredentialsError::MfaRequired { profile, mfa_serial }
                    if profile == "mfa" && mfa_serial == "arn:aws:iam::1:mfa/me"),
                "{err:?}"
            );
        }
    }
}
