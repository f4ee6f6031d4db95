//! Endpoint resolution by a service's own rules (`smithy.rules#endpointRuleSet` 1.x).
//!
//! A generated crate embeds its service's rule set as JSON text and the partition data (regions,
//! DNS suffixes, FIPS and dual-stack support) the generator read from botocore's
//! `partitions.json`. Both are read once, on first use, into a tree that is walked for each
//! resolution: the rules are data, not code, so a crate's build time does not grow with them.
//!
//! [`RuleSet::parse`] reads the rules, [`Partitions::parse`] the partitions, and
//! [`Resolver::resolve`] evaluates them for a set of [`Params`]. The result is an [`Endpoint`]: the
//! URL, headers to add, and properties such as `authSchemes` (the signing name and region).
//! A rule set's `error` rules give an [`EndpointError`] with the rule's message.
//!
//! # Why interpreted, not generated
//!
//! Measured on ApiGatewayV2 (debug and release builds of a binary that calls one operation, two
//! busy cores) against the runtime without endpoint rules: rebuilding the runtime, the client
//! crate and the binary takes 13.7 to 15.0 s of CPU instead of 12.5 to 13.4 s (about +1.3 s, the
//! engine compiled once in the runtime, no new dependency); the crate itself only gains two
//! string constants (2,998 bytes of rules, 3,071 of partition data). The stripped release binary
//! grows from 3,197,992 to 3,511,728 bytes, of which the engine's own functions are 73 KiB; the
//! rest is library code they instantiate.
//!
//! Against the same rules generated as Rust code (what smithy-rs does; `xtask/src/endpoint_code.rs`
//! writes such a variant: nested `if`s, `format!` templates, one function per tree, this module's
//! `functions` and [`Endpoint`]), `cargo xtask endpoint-compare` builds two binaries per service
//! that differ only in their resolver and runs every case of the model's endpoint tests through
//! both (43 of 43 for ApiGatewayV2, 392 of 392 for S3, each way). Build of the binary's crate with
//! its dependencies built, CPU seconds (wall on a machine of two cores shared with other builds);
//! speed is the best of 5 one-second rounds in release:
//!
//! | | debug, clean | debug, edit | release, clean | release, edit | stripped binary | resolutions/s | first call |
//! | --- | --- | --- | --- | --- | --- | --- | --- |
//! | ApiGatewayV2, embedded | 0.3 (1.0) | 0.3 (0.7) | 0.2 (0.3) | 0.2 (0.5) | 890,432 B | 905,946 | 118 µs |
//! | ApiGatewayV2, generated | 0.4 (0.7) | 0.3 (0.7) | 0.4 (0.7) | 0.3 (0.5) | 793,360 B | 1,900,462 | 65 µs |
//! | S3, embedded | 0.3 (0.5) | 0.3 (0.3) | 0.2 (0.2) | 0.2 (0.3) | 1,004,352 B | 146,974 | 1,396 µs |
//! | S3, generated | 1.7 (1.8) | 0.5 (0.5) | 5.9 (6.5) | 5.6 (5.9) | 1,158,976 B | 409,753 | 93 µs |
//!
//! Generated code is faster: 2.1 times on ApiGatewayV2's rules and 2.8 times on S3's, and its
//! first call skips parsing the rules (1.4 ms for S3's). On ApiGatewayV2 it is also 95 KiB
//! smaller, the interpreter being left out of a binary that has no embedded rules; on S3 it is
//! 151 KiB larger (431 KB of Rust against 138 KB of rules as a string; the resolver is at least
//! 357 KiB of the binary, its difference from the ApiGatewayV2 one, where smithy-rs's is 173 KiB:
//! it has typed structs for partitions, URLs and ARNs, this one keeps them as JSON values). Its
//! build cost grows with the rules: S3's resolver makes its crate's release build 30 times longer (0.2 to 5.9 s of
//! CPU) and its debug build 6 times, in every build of that crate, where the interpreter is
//! compiled once in the runtime for every service. The rules stay data because build time is
//! this project's first concern and the speed does not reach a user: a client resolves its
//! endpoint when it is made, and [`CachedResolver`] answers a repeated call in under a
//! microsecond, against milliseconds of network for the request itself. Keeping them data also
//! keeps the models' 13,878 endpoint tests a few seconds of interpretation (`cargo xtask
//! endpoint-tests`) rather than 423 resolvers to compile. Switching would take: moving
//! `endpoint_code.rs` into `codegen/src/emit/rust/` (errors in the library's enum), a
//! `src/endpoint.rs` per crate, [`ServiceInfo`](crate::ServiceInfo) holding a resolver function
//! instead of `endpoint_rules`, `functions` becoming a supported API, and the endpoint tests
//! compiling every service's resolver.

mod eval;
/// The rules' standard library, public for resolvers generated as Rust code (`cargo xtask
/// endpoint-compare` measures such a variant against the interpreter); not a stable API.
#[doc(hidden)]
pub mod functions;
mod path;
mod rules;
mod settings;

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

pub use path::context_path;
/// How the rules' `getAttr` paths read: public, as [`functions`] is, for resolvers generated as
/// Rust code; not a stable API.
#[doc(hidden)]
pub use rules::{parse_path, PathPart};
pub use rules::{Param, ParamType, RuleSet};
pub(crate) use settings::{resolve_for_client, EndpointSettings, Resolved};

/// What the rules resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL, e.g. `https://apigateway.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to send with every request to this endpoint.
    pub headers: Vec<(String, Vec<String>)>,
    /// Other properties, such as `authSchemes`.
    pub properties: Map<String, Value>,
}

/// The rules gave an error (their message), or could not be read or evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with `message` (generated resolvers give their rules' messages through it).
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError { message: message.into() }
    }

    /// The message, as the rule set words it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

struct Partition {
    id: String,
    region_regex: regex_lite::Regex,
    outputs: Map<String, Value>,
    /// Per-region overrides of the outputs (only regions that have any).
    regions: HashMap<String, Map<String, Value>>,
    /// Regions named in the data, with or without overrides.
    known: Vec<String>,
}

/// Partition data: which partition a region belongs to and that partition's DNS suffixes and
/// capabilities (`aws.partition`).
pub struct Partitions {
    partitions: Vec<Partition>,
}

impl fmt::Debug for Partitions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.partitions.iter().map(|p| &p.id)).finish()
    }
}

impl Partitions {
    /// Reads the `partitions.json` format (`{"partitions": [{"id", "outputs", "regionRegex",
    /// "regions"}]}`).
    pub fn parse(json: &str) -> Result<Partitions, EndpointError> {
        let bad = |what: String| EndpointError::new(format!("invalid partition data: {what}"));
        let value: Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let list = value.get("partitions").and_then(Value::as_array).ok_or_else(|| bad("no `partitions`".into()))?;
        let mut partitions = Vec::with_capacity(list.len());
        for p in list {
            let id = p.get("id").and_then(Value::as_str).ok_or_else(|| bad("a partition without `id`".into()))?;
            let regex = p.get("regionRegex").and_then(Value::as_str).unwrap_or("^$");
            let region_regex = regex_lite::Regex::new(regex).map_err(|e| bad(format!("{id}: regionRegex: {e}")))?;
            let mut outputs = p.get("outputs").and_then(Value::as_object).cloned().unwrap_or_default();
            outputs.entry("name").or_insert_with(|| Value::String(id.to_owned()));
            let mut regions = HashMap::new();
            let mut known = Vec::new();
            for (region, data) in p.get("regions").and_then(Value::as_object).into_iter().flatten() {
                known.push(region.clone());
                let overrides: Map<String, Value> = data
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| k.as_str() != "description")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !overrides.is_empty() {
                    regions.insert(region.clone(), overrides);
                }
            }
            partitions.push(Partition { id: id.to_owned(), region_regex, outputs, regions, known });
        }
        Ok(Partitions { partitions })
    }

    /// The same data without what resolution never reads (region descriptions), as compact JSON:
    /// what a generated crate embeds.
    pub fn to_compact_json(&self) -> String {
        let list: Vec<Value> = self
            .partitions
            .iter()
            .map(|p| {
                let regions: Map<String, Value> = p
                    .known
                    .iter()
                    .map(|r| (r.clone(), Value::Object(p.regions.get(r).cloned().unwrap_or_default())))
                    .collect();
                serde_json::json!({
                    "id": p.id,
                    "regionRegex": p.region_regex.as_str(),
                    "outputs": p.outputs,
                    "regions": regions,
                })
            })
            .collect();
        serde_json::json!({ "partitions": list }).to_string()
    }

    /// `aws.partition(region)`: the partition that names the region, else the first whose
    /// pattern matches it, else `aws`.
    pub fn partition(&self, region: &str) -> Option<Value> {
        let found = self
            .partitions
            .iter()
            .find(|p| p.known.iter().any(|r| r == region))
            .or_else(|| self.partitions.iter().find(|p| p.region_regex.is_match(region)))
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))?;
        let mut outputs = found.outputs.clone();
        if let Some(overrides) = found.regions.get(region) {
            for (k, v) in overrides {
                outputs.insert(k.clone(), v.clone());
            }
        }
        Some(Value::Object(outputs))
    }
}

/// A value for one parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// A `String` parameter.
    String(String),
    /// A `Boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// A string, boolean or list of strings as a parameter value (`None` for anything else, and
    /// for a list with a non-string item).
    pub fn from_json(value: &Value) -> Option<ParamValue> {
        Some(match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Array(items) => {
                ParamValue::StringArray(items.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<_>>()?)
            }
            _ => return None,
        })
    }

    fn into_json(self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s),
            ParamValue::Bool(b) => Value::Bool(b),
            ParamValue::StringArray(v) => Value::Array(v.into_iter().map(Value::String).collect()),
        }
    }
}

/// Parameter values by name; unset parameters take their default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params {
    values: Vec<(String, ParamValue)>,
}

impl Params {
    /// No values.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `name` (a later value replaces an earlier one).
    pub fn set(&mut self, name: &str, value: ParamValue) -> &mut Self {
        match self.values.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name.to_owned(), value)),
        }
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// A rule set with the partition data it resolves against.
#[derive(Debug)]
pub struct Resolver {
    rules: RuleSet,
    partitions: Partitions,
}

impl Resolver {
    /// Reads both from their JSON text.
    pub fn parse(rules: &str, partitions: &str) -> Result<Resolver, EndpointError> {
        Ok(Resolver { rules: RuleSet::parse(rules)?, partitions: Partitions::parse(partitions)? })
    }

    /// Puts together an already parsed rule set and partition data.
    pub fn new(rules: RuleSet, partitions: Partitions) -> Resolver {
        Resolver { rules, partitions }
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Resolves the endpoint for `params`. Values set for names that are not parameters of the
    /// rule set are ignored; a value of the wrong type is an error.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        let mut values = vec![None; self.rules.params.len()];
        for (name, value) in &params.values {
            if let Some(i) = self.rules.param_index(name) {
                let ty = self.rules.params[i].ty;
                let ok = matches!(
                    (ty, value),
                    (ParamType::String, ParamValue::String(_))
                        | (ParamType::Boolean, ParamValue::Bool(_))
                        | (ParamType::StringArray, ParamValue::StringArray(_))
                );
                if !ok {
                    return Err(EndpointError::new(format!("the endpoint parameter `{name}` must be a {ty:?}")));
                }
                values[i] = Some(value.clone().into_json());
            }
        }
        eval::resolve(&self.rules, &self.partitions, values)
    }
}

/// A [`Resolver`] that remembers its last results: calls with parameters seen before cost a hash
/// lookup instead of a walk of the rules. Holds at most [`CachedResolver::CAPACITY`] results
/// (all are dropped when it is full: parameter sets of one client are few).
#[derive(Debug)]
pub struct CachedResolver {
    resolver: Resolver,
    cache: std::sync::Mutex<HashMap<Params, Result<Endpoint, EndpointError>>>,
}

impl CachedResolver {
    /// How many results are kept.
    pub const CAPACITY: usize = 64;

    /// A cache in front of `resolver`.
    pub fn new(resolver: Resolver) -> Self {
        CachedResolver { resolver, cache: std::sync::Mutex::new(HashMap::new()) }
    }

    /// The resolver behind the cache.
    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// As [`Resolver::resolve`], from the cache when these parameters were resolved before.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        // A poisoned lock only means another thread panicked while holding it; the map is intact.
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = cache.get(params) {
            return hit.clone();
        }
        let result = self.resolver.resolve(params);
        if cache.len() >= Self::CAPACITY {
            cache.clear();
        }
        cache.insert(params.clone(), result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_results_equal_fresh_ones() {
        let cached = CachedResolver::new(Resolver::parse(RULES, PARTITIONS).expect("valid"));
        for region in ["us-east-1", "cn-north-1", "us-east-1"] {
            let mut params = Params::new();
            params.set("Region", ParamValue::String(region.into()));
            assert_eq!(cached.resolve(&params), cached.resolver().resolve(&params));
        }
        assert_eq!(cached.cache.lock().map(|c| c.len()).unwrap_or(0), 2);
    }

    const PARTITIONS: &str = r#"{"partitions":[
        {"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","outputs":{"dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws","supportsFIPS":true,"supportsDualStack":true},"regions":{"us-east-1":{"description":"N. Virginia"},"aws-global":{}}},
        {"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$","outputs":{"dnsSuffix":"amazonaws.com.cn","dualStackDnsSuffix":"api.amazonwebservices.com.cn","supportsFIPS":true,"supportsDualStack":true},"regions":{}}]}"#;

    const RULES: &str = r#"{"version":"1.0",
        "parameters":{"Region":{"type":"String","builtIn":"AWS::Region"},
                      "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
                      "Endpoint":{"type":"String","builtIn":"SDK::Endpoint"}},
        "rules":[
          {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"tree","rules":[
            {"conditions":[{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"error","error":"Invalid Configuration: FIPS and custom endpoint are not supported"},
            {"conditions":[],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}}]},
          {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},
                         {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"PartitionResult"}],"type":"tree","rules":[
            {"conditions":[{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]},
                           {"fn":"booleanEquals","argv":[true,{"fn":"getAttr","argv":[{"ref":"PartitionResult"},"supportsFIPS"]}]}],
             "type":"endpoint","endpoint":{"url":"https://svc-fips.{Region}.{PartitionResult#dnsSuffix}","properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{Region}"}]},"headers":{"x-a":["{PartitionResult#name}"]}}},
            {"conditions":[],"type":"endpoint","endpoint":{"url":"https://svc.{Region}.{PartitionResult#dnsSuffix}"}}]},
          {"conditions":[],"type":"error","error":"Invalid Configuration: Missing Region"}]}"#;

    fn resolve(set: &[(&str, ParamValue)]) -> Result<Endpoint, EndpointError> {
        let resolver = Resolver::parse(RULES, PARTITIONS).expect("valid");
        let mut params = Params::new();
        for (n, v) in set {
            params.set(n, v.clone());
        }
        resolver.resolve(&params)
    }

    #[test]
    fn resolves_by_partition_and_flags() {
        let e = resolve(&[("Region", ParamValue::String("cn-north-1".into()))]).expect("resolves");
        assert_eq!(e.url, "https://svc.cn-north-1.amazonaws.com.cn");
        let e = resolve(&[("Region", ParamValue::String("us-east-1".into())), ("UseFIPS", ParamValue::Bool(true))])
            .expect("resolves");
        assert_eq!(e.url, "https://svc-fips.us-east-1.amazonaws.com");
        assert_eq!(e.headers, vec![("x-a".to_owned(), vec!["aws".to_owned()])]);
        assert_eq!(e.properties["authSchemes"][0]["signingRegion"], "us-east-1");
        // A region no partition names or matches falls back to `aws`.
        let e = resolve(&[("Region", ParamValue::String("mars-1".into()))]).expect("resolves");
        assert_eq!(e.url, "https://svc.mars-1.amazonaws.com");
    }

    #[test]
    fn error_rules_and_custom_endpoints() {
        let e = resolve(&[("Endpoint", ParamValue::String("http://localhost:5000".into()))]).expect("resolves");
        assert_eq!(e.url, "http://localhost:5000");
        let err = resolve(&[("Endpoint", ParamValue::String("http://x".into())), ("UseFIPS", ParamValue::Bool(true))])
            .expect_err("FIPS with a custom endpoint");
        assert_eq!(err.message(), "Invalid Configuration: FIPS and custom endpoint are not supported");
        assert_eq!(resolve(&[]).expect_err("no region").message(), "Invalid Configuration: Missing Region");
        let err = resolve(&[("UseFIPS", ParamValue::String("yes".into()))]).expect_err("wrong type");
        assert!(err.message().contains("UseFIPS"), "{err}");
    }

    #[test]
    fn compact_partitions_resolve_the_same() {
        let full = Partitions::parse(PARTITIONS).expect("valid");
        let compact = Partitions::parse(&full.to_compact_json()).expect("valid");
        for region in ["us-east-1", "cn-north-1", "aws-global", "xx-1"] {
            assert_eq!(full.partition(region), compact.partition(region), "{region}");
        }
        assert!(!full.to_compact_json().contains("N. Virginia"));
    }

    #[test]
    fn bad_rule_sets_are_reported() {
        for (json, what) in [
            (r#"{"version":"2.0","parameters":{},"rules":[]}"#, "version"),
            (
                r#"{"version":"1.0","parameters":{},"rules":[{"conditions":[{"fn":"nope","argv":[]}],"type":"error","error":"x"}]}"#,
                "nope",
            ),
            (
                r#"{"version":"1.0","parameters":{},"rules":[{"conditions":[],"type":"error","error":"{Missing}"}]}"#,
                "Missing",
            ),
        ] {
            let err = RuleSet::parse(json).expect_err(what);
            assert!(err.message().contains(what), "{err}");
        }
    }
}
