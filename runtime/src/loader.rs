//! [`ConfigLoader`]: a [`Config`] from explicit settings, the environment, the profile and IMDS.

#[cfg(feature = "credential-chain")]
use std::sync::Arc;

#[cfg(feature = "credential-chain")]
use crate::credentials::profile::ProfileSet;
use crate::credentials::ProviderEnv;
#[cfg(feature = "credential-chain")]
use crate::credentials::{DefaultCredentialsChain, Sso, Sts};
use crate::endpoint::EndpointSettings;
use crate::settings::RequestSettings;
use crate::{Config, ConfigBuilder, ConfigError, RetryConfig};

/// Loads a [`Config`] as the AWS SDKs do: explicit settings first, then the environment, then
/// the profile of the shared config file, then (for the region only, in [`ConfigLoader::load`])
/// the EC2 instance metadata. The profile, IMDS and every credential source but the environment
/// are the `credential-chain` feature (on by default); without it, the environment only.
///
/// | setting | variable | profile key |
/// | --- | --- | --- |
/// | region | `AWS_REGION`, `AWS_DEFAULT_REGION` | `region` (then IMDS) |
/// | attempts | `AWS_MAX_ATTEMPTS` | `max_attempts` |
/// | retry mode | `AWS_RETRY_MODE` | `retry_mode` |
/// | endpoint | `AWS_ENDPOINT_URL` (`AWS_ENDPOINT_URL_<SERVICE>` for one service) | `endpoint_url` |
/// | FIPS | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
/// | dual-stack | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
/// | credentials | see [`crate::credentials`] | |
///
/// Retry modes: `standard` (3 attempts unless set) and `legacy` (5 attempts unless set, as in
/// botocore) both retry as [`Client::send`](crate::Client::send) describes; `adaptive` (client-side
/// rate limiting) is not implemented and is refused rather than silently treated as `standard`.
///
/// `Config::loader().configure(|b| b.region("eu-west-1")).load().await` sets the region itself.
#[derive(Default)]
pub struct ConfigLoader {
    env: Option<ProviderEnv>,
    #[cfg(feature = "credential-chain")]
    sts: Option<Arc<dyn Sts>>,
    #[cfg(feature = "credential-chain")]
    sso: Option<Arc<dyn Sso>>,
    #[cfg(feature = "credential-chain")]
    profile: Option<String>,
    configure: Option<Box<dyn FnOnce(ConfigBuilder) -> ConfigBuilder + Send>>,
}

impl Config {
    /// A loader of the configuration from the environment and the shared files.
    pub fn loader() -> ConfigLoader {
        ConfigLoader::default()
    }
}

impl ConfigLoader {
    /// Reads these variables (and files they point to) instead of the process's.
    pub fn env(mut self, env: ProviderEnv) -> Self {
        self.env = Some(env);
        self
    }

    /// The STS client of the credential chain (roles, web identity).
    #[cfg(feature = "credential-chain")]
    pub fn sts(mut self, sts: Arc<dyn Sts>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// The SSO client of the credential chain (SSO profiles).
    #[cfg(feature = "credential-chain")]
    pub fn sso(mut self, sso: Arc<dyn Sso>) -> Self {
        self.sso = Some(sso);
        self
    }

    /// Reads this profile instead of `AWS_PROFILE`'s.
    #[cfg(feature = "credential-chain")]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Explicit settings: `f` gets the builder the environment and profile filled, and what it
    /// sets wins.
    pub fn configure(mut self, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder + Send + 'static) -> Self {
        self.configure = Some(Box::new(f));
        self
    }

    /// The configuration, without asking IMDS for a region (no I/O but reading the files).
    pub fn build(self) -> Result<Config, ConfigError> {
        self.builder()?.build()
    }

    /// The configuration; with no region set anywhere else, the EC2 instance's (IMDS, at most a
    /// few seconds off EC2).
    pub async fn load(self) -> Result<Config, ConfigError> {
        #[cfg(feature = "credential-chain")]
        let env = self.env.clone().unwrap_or_default();
        #[cfg_attr(not(feature = "credential-chain"), allow(unused_mut))]
        let mut builder = self.builder()?;
        #[cfg(feature = "credential-chain")]
        if !builder.has_region() {
            if let Some(region) = crate::credentials::imds_region(&env).await {
                builder = builder.region(region);
            }
        }
        builder.build()
    }

    fn builder(self) -> Result<ConfigBuilder, ConfigError> {
        let env = self.env.unwrap_or_default();
        #[cfg(feature = "credential-chain")]
        let profiles = {
            let mut profiles = ProfileSet::load(&env).map_err(|e| ConfigError::invalid("profile", e.to_string()))?;
            if let Some(name) = &self.profile {
                profiles.selected = name.clone();
            }
            profiles
        };
        // A setting of the selected profile (none without the feature).
        let profile = |key: &str| -> Option<String> {
            #[cfg(feature = "credential-chain")]
            return profiles.get(key).map(str::to_owned);
            #[cfg(not(feature = "credential-chain"))]
            return {
                let _ = key;
                None
            };
        };
        let var = |name: &str| env.var(name);
        let setting = |name: &str, key: &str| env.var(name).or_else(|| profile(key));

        let mut builder = Config::builder();
        if let Some(region) =
            env.var("AWS_REGION").or_else(|| env.var("AWS_DEFAULT_REGION")).or_else(|| profile("region"))
        {
            builder = builder.region(region);
        }
        if let Some(url) = setting("AWS_ENDPOINT_URL", "endpoint_url") {
            // Checked now: a bad URL is an error of the configuration, not of the first call.
            crate::client::Endpoint::parse(&url)?;
            builder = builder.endpoint_url(url);
        }
        let mode = setting("AWS_RETRY_MODE", "retry_mode");
        let default_attempts = match mode.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("standard") => None,
            Some("legacy") => Some(5),
            Some("adaptive") => {
                return Err(ConfigError::invalid(
                    "retry_mode",
                    "`adaptive` (client-side rate limiting) is not supported; use `standard` or `legacy`",
                ))
            }
            Some(other) => {
                return Err(ConfigError::invalid(
                    "retry_mode",
                    format!("`{other}` is not standard, legacy or adaptive"),
                ))
            }
        };
        let attempts = match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            Some(v) => Some(v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ConfigError::invalid("max_attempts", format!("`{v}` is not a whole number of at least 1"))
            })?),
            None => default_attempts,
        };
        if let Some(max_attempts) = attempts {
            builder = builder.retry(RetryConfig { max_attempts, ..RetryConfig::default() });
        }
        let profile_bool = |key: &'static str| -> Result<Option<bool>, ConfigError> {
            match profile(key).map(|v| v.to_ascii_lowercase()).as_deref() {
                None => Ok(None),
                Some("true") => Ok(Some(true)),
                Some("false") => Ok(Some(false)),
                Some(v) => Err(ConfigError::invalid(key, format!("`{v}` is neither `true` nor `false`"))),
            }
        };
        let endpoint = EndpointSettings::from_vars(&var)?
            .or_profile(profile_bool("use_fips_endpoint")?, profile_bool("use_dualstack_endpoint")?);
        builder = builder.endpoint_settings_from(endpoint).request_settings_from(RequestSettings::from_vars(&var)?);

        let configured = match self.configure {
            Some(f) => f(builder),
            None => builder,
        };
        if configured.has_credentials() {
            return Ok(configured);
        }
        #[cfg(feature = "credential-chain")]
        let provider = {
            let mut chain = DefaultCredentialsChain::builder().env(env.clone());
            if let Some(sts) = self.sts {
                chain = chain.sts(sts);
            }
            if let Some(sso) = self.sso {
                chain = chain.sso(sso);
            }
            if let Some(name) = self.profile {
                chain = chain.profile(name);
            }
            chain.build()
        };
        #[cfg(not(feature = "credential-chain"))]
        let provider = crate::credentials::EnvironmentProvider::new(env.clone());
        Ok(configured.credentials_provider(provider))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ProviderEnv {
        // No HOME: no shared files unless a test names them.
        let mut all =
            vec![("AWS_CONFIG_FILE", "/nonexistent/config"), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/c")];
        all.extend_from_slice(pairs);
        ProviderEnv::from_vars(all.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn environment_settings() {
        let config = Config::loader()
            .env(env(&[
                ("AWS_DEFAULT_REGION", "eu-west-1"),
                ("AWS_ENDPOINT_URL", "http://localhost:4566"),
                ("AWS_MAX_ATTEMPTS", "7"),
            ]))
            .build()
            .unwrap();
        assert_eq!(config.region(), "eu-west-1");
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert_eq!(config.retry().max_attempts, 7);
        let config = Config::loader().env(env(&[("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "x")])).build();
        assert_eq!(config.unwrap().region(), "us-west-2");
        let config = Config::loader().env(env(&[("AWS_REGION", "us-west-2"), ("AWS_RETRY_MODE", "legacy")])).build();
        assert_eq!(config.unwrap().retry().max_attempts, 5);
        assert_eq!(Config::loader().env(env(&[])).build().unwrap_err(), ConfigError::Missing("region"));
    }

    #[test]
    fn bad_values_fail_at_once() {
        let bad = |pairs: &[(&str, &str)]| {
            let mut all = vec![("AWS_REGION", "us-east-1")];
            all.extend_from_slice(pairs);
            Config::loader().env(env(&all)).build().unwrap_err()
        };
        let e = bad(&[("AWS_ENDPOINT_URL", "localhost:4566")]);
        assert!(matches!(e, ConfigError::Invalid { setting: "endpoint_url", .. }), "{e}");
        assert!(e.to_string().contains("localhost:4566") && e.to_string().contains("http://"), "{e}");
        assert!(matches!(bad(&[("AWS_MAX_ATTEMPTS", "0")]), ConfigError::Invalid { setting: "max_attempts", .. }));
        assert!(matches!(bad(&[("AWS_RETRY_MODE", "adaptive")]), ConfigError::Invalid { setting: "retry_mode", .. }));
        assert!(matches!(bad(&[("AWS_USE_FIPS_ENDPOINT", "yes")]), ConfigError::Invalid { .. }));
    }

    #[test]
    #[cfg(feature = "credential-chain")]
    fn profile_settings_and_explicit_wins() {
        let dir = std::env::temp_dir().join(format!("aws-codegen-loader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        std::fs::write(
            &config_file,
            "[default]\nregion = ap-south-1\nmax_attempts = 4\nendpoint_url = http://127.0.0.1:9\nuse_fips_endpoint = true\n\
             [profile other]\nregion = sa-east-1\nretry_mode = standard\n",
        )
        .unwrap();
        let path = config_file.to_str().unwrap();
        let config = Config::loader().env(env(&[("AWS_CONFIG_FILE", path)])).build().unwrap();
        assert_eq!(config.region(), "ap-south-1");
        assert_eq!(config.retry().max_attempts, 4);
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9"));
        let config = Config::loader().env(env(&[("AWS_CONFIG_FILE", path), ("AWS_PROFILE", "other")])).build().unwrap();
        assert_eq!((config.region(), config.retry().max_attempts), ("sa-east-1", 3));
        // The environment wins over the profile, explicit settings over both.
        let config = Config::loader()
            .env(env(&[("AWS_CONFIG_FILE", path), ("AWS_REGION", "eu-north-1"), ("AWS_MAX_ATTEMPTS", "2")]))
            .configure(|b| {
                b.region("us-west-1")
                    .credentials(crate::Credentials::new("AKID", "x", None))
                    .retry(RetryConfig { max_attempts: 9, ..RetryConfig::default() })
            })
            .build()
            .unwrap();
        assert_eq!((config.region(), config.retry().max_attempts), ("us-west-1", 9));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
