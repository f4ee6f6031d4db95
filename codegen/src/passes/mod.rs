//! Passes that normalise the model after reading and before emitting.

pub mod enrich;
pub mod link;
pub mod naming;

use crate::error::Result;
use crate::model::Model;

/// Runs every pass in order: names first, since links compare computed names;
/// enrichment follows the links.
pub fn run(model: &mut Model) -> Result<()> {
    naming::run(model)?;
    link::run(model);
    enrich::run(model);
    Ok(())
}
