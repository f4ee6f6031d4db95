//! The link pass: joins CloudFormation resource types with the Smithy operations
//! that act on them, by the naming convention AWS APIs follow
//! (`CreateRouteResponse`, `GetRouteResponse`, `GetRouteResponses`, ...).

use crate::model::{Model, OperationLink, Service, Verb};
use crate::names;

/// Operation-name prefixes for each lifecycle verb, tried in order; `plural` says
/// whether the resource name after the prefix is plural.
const PATTERNS: &[(Verb, &str, bool)] = &[
    (Verb::Create, "Create", false),
    (Verb::Read, "Get", false),
    (Verb::Read, "Describe", false),
    (Verb::Update, "Update", false),
    (Verb::Update, "Modify", false),
    (Verb::Update, "Put", false),
    (Verb::Delete, "Delete", false),
    (Verb::List, "List", true),
    (Verb::List, "Get", true),
    (Verb::List, "Describe", true),
];

pub fn run(model: &mut Model) {
    for service in model.services.values_mut() {
        link_service(service);
    }
}

/// Links one service's resources to its API's operations.
pub fn link_service(service: &mut Service) {
    let Some(api) = &mut service.api else { return };
    for resource in service.resources.values_mut() {
        let singular = resource.names.title.clone();
        let plural = names::pascal(&resource.names.plural);
        let mut links: Vec<OperationLink> = Vec::new();
        for &(verb, prefix, is_plural) in PATTERNS {
            let noun = if is_plural { &plural } else { &singular };
            // `GetApis` must not be taken for a read of `Api` + `s`, nor a plural
            // that equals the singular (`Overrides`) for a list.
            if is_plural && plural == singular {
                continue;
            }
            let name = format!("{prefix}{noun}");
            let Some(op) = api.operations.get_mut(&name) else { continue };
            // One operation per verb: the first pattern wins, except that `Put` only
            // serves as an update when there is no `Update` (`PutRoutingRule`).
            if links.iter().any(|l| l.verb == verb) {
                continue;
            }
            links.push(OperationLink { verb, operation: name });
            if !op.resources.contains(&resource.type_name) {
                op.resources.push(resource.type_name.clone());
            }
        }
        links.sort_by(|a, b| a.verb.cmp(&b.verb).then_with(|| a.operation.cmp(&b.operation)));
        resource.operations = links;
    }
    for op in api.operations.values_mut() {
        op.resources.sort();
    }
}
