//! Passes that normalise the model after reading and before emitting.

pub mod enrich;
pub mod link;
pub mod naming;
pub mod normalise;
pub mod recursion;
pub mod secrets;
pub mod sql;

use crate::error::Result;
use crate::model::Model;

/// Runs every pass in order: the API's shapes normalised first (each operation's own input and
/// output, recursive members boxed), so that names cover the copies; then names, since links
/// compare computed names (and the secrets pass reads them);
/// enrichment follows the links; the SQL method table reads names and links.
///
/// Each pass only looks inside one service, so services go through all three in
/// parallel; the first error in service order is returned, whatever the timing.
pub fn run(model: &mut Model) -> Result<()> {
    use rayon::prelude::*;
    let provider = model.provider.clone();
    let results: Vec<Result<()>> = model
        .services
        .par_iter_mut()
        .map(|(_, service)| {
            if let Some(api) = &mut service.api {
                normalise::api(api);
            }
            naming::service(service, &provider)?;
            if let Some(api) = &mut service.api {
                secrets::api(api);
            }
            recursion::service(service)?;
            link::link_service(service);
            enrich::service(service);
            sql::service(service);
            Ok(())
        })
        .collect();
    results.into_iter().collect()
}
