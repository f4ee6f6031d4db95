//! The secrets pass, after naming: which members hold a secret, the one fact every emitter reads
//! (`Wire::sensitive`: a client's `Debug` redacts them, an operation page marks them).
//!
//! The model's `@sensitive` (on the member, its target or its structure, as read) says so for
//! most. A few credential members are left unmarked where the secret they come with is marked:
//! STS's `Credentials.SessionToken` (its `SecretAccessKey` is sensitive, the token is a plain
//! string), and the same in Lake Formation and Cognito Identity. A session token signs requests
//! as well as the secret key does, so a member named as a credential secret is one whatever the
//! model says, in every service alike: a string or blob member whose name, once converted to snake
//! case, is one of [`CREDENTIAL_SECRETS`] (an enum such as Cognito's `AccessToken` time unit is
//! not a secret and keeps its value in `Debug`).

use crate::model::{Api, Prim, Type, TypeKind};

/// Snake-case member names that hold a credential secret in every AWS model where they occur.
pub const CREDENTIAL_SECRETS: &[&str] = &[
    "secret_access_key",
    "session_token",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "secret_key",
    "password",
];

/// Marks every member named as a credential secret sensitive.
pub fn api(api: &mut Api) {
    for def in api.types.values_mut() {
        let (TypeKind::Struct { fields, .. } | TypeKind::Union { variants: fields }) = &mut def.kind else { continue };
        for f in fields.iter_mut() {
            if is_credential_secret(&f.names.snake, &f.ty) {
                f.wire.sensitive = true;
            }
        }
    }
}

/// Whether a member of this snake name and type holds a credential secret by its name alone.
pub fn is_credential_secret(snake: &str, ty: &Type) -> bool {
    let text = matches!(ty, Type::Prim(Prim::String | Prim::Blob));
    text && CREDENTIAL_SECRETS.contains(&snake)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Names, TypeDef};

    fn field(name: &str, snake: &str, ty: Type) -> Field {
        Field { name: name.into(), names: Names { snake: snake.into(), ..Names::default() }, ty, ..Field::default() }
    }

    #[test]
    fn credential_secrets_by_name_and_type() {
        let mut api = Api::default();
        api.types.insert(
            "Credentials".into(),
            TypeDef {
                name: "Credentials".into(),
                names: Names::default(),
                doc: None,
                kind: TypeKind::Struct {
                    fields: vec![
                        field("AccessKeyId", "access_key_id", Type::Prim(Prim::String)),
                        field("SessionToken", "session_token", Type::Prim(Prim::String)),
                        field("sessionToken", "session_token", Type::Prim(Prim::Blob)),
                        field("AccessToken", "access_token", Type::Named("TimeUnitsType".into())),
                        field("NextToken", "next_token", Type::Prim(Prim::String)),
                    ],
                    required_groups: Vec::new(),
                },
                error: None,
                deprecated: None,
                sensitive: false,
            },
        );
        super::api(&mut api);
        let TypeKind::Struct { fields, .. } = &api.types["Credentials"].kind else { unreachable!() };
        let marked: Vec<bool> = fields.iter().map(|f| f.wire.sensitive).collect();
        assert_eq!(marked, [false, true, true, false, false]);
    }
}
