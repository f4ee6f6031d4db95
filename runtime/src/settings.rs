//! Settings of what operation traits do to a request, named as in the AWS SDKs: request compression
//! (`smithy.api#requestCompression`) and host prefixes (`smithy.api#endpoint`). Kept apart from
//! `config.rs`, which holds one [`RequestSettings`] field for them.

use crate::{Config, ConfigBuilder, ConfigError};

/// The default of [`ConfigBuilder::request_min_compression_size_bytes`], as in the AWS SDKs.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;
/// The largest value the AWS SDKs accept for it (10 MiB).
const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

/// What the configuration says about compression and host prefixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestSettings {
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
    disable_host_prefix_injection: bool,
}

impl Default for RequestSettings {
    fn default() -> Self {
        RequestSettings {
            disable_request_compression: false,
            request_min_compression_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
            disable_host_prefix_injection: false,
        }
    }
}

impl RequestSettings {
    /// The settings from `AWS_DISABLE_REQUEST_COMPRESSION` and `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`
    /// (the variables of the AWS SDKs), defaults for those unset.
    pub(crate) fn from_vars(var: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut settings = RequestSettings::default();
        if let Some(v) = var("AWS_DISABLE_REQUEST_COMPRESSION") {
            settings.disable_request_compression = match v.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(ConfigError::invalid(
                        "disable_request_compression",
                        format!("`{v}` is not true or false"),
                    ))
                }
            };
        }
        if let Some(v) = var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
            settings.request_min_compression_size_bytes = v.parse().map_err(|_| {
                ConfigError::invalid("request_min_compression_size_bytes", format!("`{v}` is not a number of bytes"))
            })?;
        }
        Ok(settings)
    }

    /// Checks the values, as the builder does before building.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.request_min_compression_size_bytes > MAX_MIN_COMPRESSION_SIZE_BYTES {
            return Err(ConfigError::invalid(
                "request_min_compression_size_bytes",
                format!("must be at most {MAX_MIN_COMPRESSION_SIZE_BYTES}"),
            ));
        }
        Ok(())
    }
}

impl ConfigBuilder {
    /// Do not compress request bodies, even for operations whose model asks for it
    /// (`smithy.api#requestCompression`); default `false`.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.settings.disable_request_compression = disable;
        self
    }

    /// Bodies smaller than this are sent uncompressed; default 10240, at most 10485760.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.settings.request_min_compression_size_bytes = bytes;
        self
    }

    /// Send every request to the endpoint's host, without the prefix an operation's model adds
    /// (`smithy.api#endpoint` `hostPrefix`, such as `data.`); default `false`. For endpoints that do
    /// not serve the prefixed host names (local emulators, proxies).
    pub fn disable_host_prefix_injection(mut self, disable: bool) -> Self {
        self.settings.disable_host_prefix_injection = disable;
        self
    }
}

impl Config {
    /// Whether request compression is turned off.
    pub fn disable_request_compression(&self) -> bool {
        self.settings.disable_request_compression
    }

    /// The smallest body that is compressed, in bytes.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.settings.request_min_compression_size_bytes
    }

    /// Whether host prefixes are left out.
    pub fn disable_host_prefix_injection(&self) -> bool {
        self.settings.disable_host_prefix_injection
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    fn builder() -> ConfigBuilder {
        Config::builder().region("us-east-1").credentials(Credentials::new("AKID", "secret", None))
    }

    #[test]
    fn defaults_setters_and_limits() {
        let config = builder().build().unwrap();
        assert!(!config.disable_request_compression() && !config.disable_host_prefix_injection());
        assert_eq!(config.request_min_compression_size_bytes(), 10_240);
        let config = builder()
            .disable_request_compression(true)
            .request_min_compression_size_bytes(0)
            .disable_host_prefix_injection(true)
            .build()
            .unwrap();
        assert!(config.disable_request_compression() && config.disable_host_prefix_injection());
        assert_eq!(config.request_min_compression_size_bytes(), 0);
        let err = builder().request_min_compression_size_bytes(10_485_761).build().unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { setting: "request_min_compression_size_bytes", .. }), "{err:?}");
    }

    #[test]
    fn environment_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let settings = RequestSettings::from_vars(&vars(&[
            ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "128"),
        ]))
        .unwrap();
        assert!(settings.disable_request_compression);
        assert_eq!(settings.request_min_compression_size_bytes, 128);
        assert_eq!(RequestSettings::from_vars(&vars(&[])).unwrap(), RequestSettings::default());
        assert!(RequestSettings::from_vars(&vars(&[("AWS_DISABLE_REQUEST_COMPRESSION", "yes")])).is_err());
        assert!(RequestSettings::from_vars(&vars(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")])).is_err());
    }
}
