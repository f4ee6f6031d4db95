//! The SQL pass: how StackQL reaches each resource type through Cloud Control.
//! It fills [`Resource::sql`] once; the provider documents, the docs pages and the
//! SQL examples all read that table, so a parameter is spelled the same in each.
//!
//! The spellings follow the engine's rules (stackql/any-sdk, read in
//! `xtask/judge/`): parameters match case-sensitively, `region` is the
//! provider's server variable and so required by every method, Cloud Control
//! request members keep their names (the provider's `naive` body translation),
//! and an insert names resource properties, which the provider's
//! `naive_DesiredState` translation gathers into `DesiredState`.

use crate::model::{
    Api, HttpBinding, ParentSource, Resource, Service, SqlMethod, SqlMethodKind, SqlParam, SqlParamKind, SqlParent,
    SqlTable, TypeKind, Verb,
};
use crate::names;
use crate::passes::naming::{IDENTIFIER_COLUMN, REGION_COLUMN};

/// Cloud Control request members a statement names.
pub const PATCH_DOCUMENT: &str = "PatchDocument";
pub const RESOURCE_MODEL: &str = "ResourceModel";

pub fn service(service: &mut Service) {
    let api = service.api.as_ref();
    for resource in service.resources.values_mut() {
        resource.sql = table(resource, api);
    }
}

fn param(name: &str, kind: SqlParamKind) -> SqlParam {
    SqlParam { name: name.to_string(), sql: names::sql_param(name), kind }
}

fn table(r: &Resource, api: Option<&Api>) -> SqlTable {
    let (parents, parents_from) = parents(r, api);
    let region = || param(REGION_COLUMN, SqlParamKind::Region);
    let identifier = || param(IDENTIFIER_COLUMN, SqlParamKind::Request);
    let h = &r.handlers;
    let mut methods = Vec::new();
    if h.read.is_some() {
        methods.push(SqlMethod { kind: SqlMethodKind::Get, required: vec![identifier(), region()], optional: vec![] });
    }
    if h.list.is_some() {
        let mut required = vec![region()];
        if !parents.is_empty() {
            required.push(param(RESOURCE_MODEL, SqlParamKind::Request));
        }
        methods.push(SqlMethod { kind: SqlMethodKind::List, required, optional: vec![] });
    }
    if h.create.is_some() {
        let creatable = r.fields.iter().filter(|f| !f.flags.read_only);
        let (required, optional): (Vec<_>, Vec<_>) = creatable.partition(|f| f.required);
        let mut required: Vec<SqlParam> =
            required.into_iter().map(|f| param(&f.name, SqlParamKind::Property)).collect();
        required.push(region());
        let optional = optional.into_iter().map(|f| param(&f.name, SqlParamKind::Property)).collect();
        methods.push(SqlMethod { kind: SqlMethodKind::Create, required, optional });
    }
    if h.update.is_some() {
        methods.push(SqlMethod {
            kind: SqlMethodKind::Update,
            required: vec![identifier(), param(PATCH_DOCUMENT, SqlParamKind::Request), region()],
            optional: vec![],
        });
    }
    if h.delete.is_some() {
        methods.push(SqlMethod {
            kind: SqlMethodKind::Delete,
            required: vec![identifier(), region()],
            optional: vec![],
        });
    }
    SqlTable { methods, parents, parents_from }
}

/// What a list call needs in `ResourceModel`: the list handler's required
/// parameters, or, where the schema names none, the path labels of the service
/// API's list operation that are properties of the resource (`GetRouteResponses`
/// takes `ApiId` and `RouteId`: Cloud Control's list handler needs them too).
fn parents(r: &Resource, api: Option<&Api>) -> (Vec<SqlParent>, Option<ParentSource>) {
    let column = |name: &str| r.field(name).map(|f| f.names.sql.clone());
    if let Some(list) = &r.handlers.list {
        let from_schema: Vec<SqlParent> = list
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| SqlParent { name: p.name.clone(), column: column(&p.name).unwrap_or_else(|| p.names.sql.clone()) })
            .collect();
        if !from_schema.is_empty() {
            return (from_schema, Some(ParentSource::HandlerSchema));
        }
        if !list.params.is_empty() {
            // The schema names the list call's parameters and requires none.
            return (Vec::new(), None);
        }
    } else {
        return (Vec::new(), None);
    }
    let Some(api) = api else { return (Vec::new(), None) };
    let Some(link) = r.operations.iter().find(|l| l.verb == Verb::List) else { return (Vec::new(), None) };
    let Some(op) = api.operations.get(&link.operation) else { return (Vec::new(), None) };
    let Some(TypeKind::Struct { fields, .. }) = op.input.as_ref().and_then(|i| api.types.get(i)).map(|d| &d.kind)
    else {
        return (Vec::new(), None);
    };
    let labels: Vec<SqlParent> = fields
        .iter()
        .filter(|f| matches!(f.wire.binding, Some(HttpBinding::Label { .. })))
        .filter_map(|f| {
            let prop = r.fields.iter().find(|p| p.name.eq_ignore_ascii_case(&f.name))?;
            Some(SqlParent { name: prop.name.clone(), column: prop.names.sql.clone() })
        })
        .collect();
    if labels.is_empty() {
        (Vec::new(), None)
    } else {
        (labels, Some(ParentSource::Operation(op.name.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Field, Handler, HandlerParam, Handlers, HttpRoute, Names, Operation, OperationLink, TypeDef, Wire,
    };

    fn field(name: &str, required: bool) -> Field {
        let names = crate::names::names(name);
        Field { name: name.into(), names, required, ..Field::default() }
    }

    fn resource(list: Handler) -> Resource {
        let mut id = field("RouteResponseId", false);
        id.flags.read_only = true;
        Resource {
            type_name: "AWS::X::RouteResponse".into(),
            fields: vec![field("ApiId", true), field("RouteId", true), field("Schema", false), id],
            handlers: Handlers {
                create: Some(Handler::default()),
                read: Some(Handler::default()),
                update: Some(Handler::default()),
                delete: Some(Handler::default()),
                list: Some(list),
            },
            operations: vec![OperationLink { verb: Verb::List, operation: "GetRouteResponses".into() }],
            ..Resource::default()
        }
    }

    fn api() -> Api {
        let label = |name: &str| Field {
            name: name.into(),
            wire: Wire { binding: Some(HttpBinding::Label { greedy: false }), ..Wire::default() },
            ..Field::default()
        };
        let input = TypeDef {
            name: "GetRouteResponsesRequest".into(),
            names: Names::default(),
            doc: None,
            kind: TypeKind::Struct {
                fields: vec![label("ApiId"), label("RouteId"), field("MaxResults", false)],
                required_groups: vec![],
            },
            error: None,
            deprecated: None,
            sensitive: false,
        };
        let op = Operation {
            name: "GetRouteResponses".into(),
            http: Some(HttpRoute { method: "GET".into(), uri: "/v2/apis/{ApiId}/routes/{RouteId}".into(), code: 200 }),
            input: Some(input.name.clone()),
            ..Operation::default()
        };
        Api {
            operations: [(op.name.clone(), op)].into(),
            types: [(input.name.clone(), input)].into(),
            ..Api::default()
        }
    }

    fn names(params: &[SqlParam]) -> Vec<&str> {
        params.iter().map(|p| p.sql.as_str()).collect()
    }

    #[test]
    fn every_method_names_what_the_engine_matches() {
        let t = table(&resource(Handler::default()), None);
        let kinds: Vec<SqlMethodKind> = t.methods.iter().map(|m| m.kind).collect();
        use SqlMethodKind::*;
        assert_eq!(kinds, [Get, List, Create, Update, Delete]);
        assert_eq!(names(&t.method(Get).unwrap().required), ["Identifier", "region"]);
        // Required properties, then the region; a reserved word is quoted.
        assert_eq!(names(&t.method(Create).unwrap().required), ["ApiId", "RouteId", "region"]);
        assert_eq!(names(&t.method(Create).unwrap().optional), ["\"Schema\""]);
        assert_eq!(names(&t.method(Update).unwrap().required), ["Identifier", "PatchDocument", "region"]);
        assert_eq!(names(&t.method(Delete).unwrap().required), ["Identifier", "region"]);
    }

    #[test]
    fn parents_come_from_the_handler_schema_first() {
        let list = Handler {
            params: vec![HandlerParam {
                name: "ApiId".into(),
                names: crate::names::names("ApiId"),
                required: true,
                ..HandlerParam::default()
            }],
            ..Handler::default()
        };
        let t = table(&resource(list), Some(&api()));
        assert_eq!(t.parents, [SqlParent { name: "ApiId".into(), column: "api_id".into() }]);
        assert_eq!(t.parents_from, Some(ParentSource::HandlerSchema));
        assert_eq!(names(&t.method(SqlMethodKind::List).unwrap().required), ["region", "ResourceModel"]);
    }

    #[test]
    fn parents_come_from_the_list_operation_where_the_schema_names_none() {
        let t = table(&resource(Handler::default()), Some(&api()));
        let parents: Vec<&str> = t.parents.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(parents, ["ApiId", "RouteId"]);
        assert_eq!(t.parents_from, Some(ParentSource::Operation("GetRouteResponses".into())));
        // Without the API there is nothing to go on: a plain list.
        let t = table(&resource(Handler::default()), None);
        assert!(t.parents.is_empty());
        assert_eq!(names(&t.method(SqlMethodKind::List).unwrap().required), ["region"]);
    }
}
