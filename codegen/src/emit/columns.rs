//! The SQL columns of a resource: one per property, plus the region and the
//! identifier. The docs Fields table, the SQL views and the provider spec all list
//! these, so they cannot disagree.

use crate::model::{resolve_alias, Field, Prim, Resource, Type, TypeKind};
use crate::passes::naming::{IDENTIFIER_COLUMN, REGION_COLUMN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Boolean,
    Integer,
    Number,
    /// Objects, maps, lists and values of several types.
    Json,
}

impl ColumnType {
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Boolean => "boolean",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Property(&'a Field),
    Region,
    Identifier,
}

#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// As shown in docs: `route_response_id`.
    pub name: &'a str,
    /// As written in SQL: quoted where reserved.
    pub sql: &'a str,
    pub ty: ColumnType,
    pub source: Source<'a>,
}

/// Properties in schema order, then `region` and `Identifier`.
pub fn columns(resource: &Resource) -> Vec<Column<'_>> {
    let mut out: Vec<Column> = resource
        .fields
        .iter()
        .map(|f| Column {
            name: &f.names.snake,
            sql: &f.names.sql,
            ty: column_type(resource, &f.ty),
            source: Source::Property(f),
        })
        .collect();
    out.push(Column { name: REGION_COLUMN, sql: REGION_COLUMN, ty: ColumnType::Text, source: Source::Region });
    out.push(Column {
        name: IDENTIFIER_COLUMN,
        sql: IDENTIFIER_COLUMN,
        ty: ColumnType::Text,
        source: Source::Identifier,
    });
    out
}

/// The SQL type of a value of `ty`, following aliases.
pub fn column_type(resource: &Resource, ty: &Type) -> ColumnType {
    let ty = resolve_alias(&resource.types, ty);
    if let Type::Named(n) = ty {
        return match resource.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Enum { .. }) => ColumnType::Text,
            Some(TypeKind::IntEnum { .. }) => ColumnType::Integer,
            _ => ColumnType::Json,
        };
    }
    match ty {
        Type::Prim(Prim::String | Prim::Timestamp | Prim::Blob) => ColumnType::Text,
        Type::Prim(Prim::Boolean) => ColumnType::Boolean,
        Type::Prim(Prim::Byte | Prim::Short | Prim::Integer | Prim::Long | Prim::BigInteger) => ColumnType::Integer,
        Type::Prim(Prim::Float | Prim::Double | Prim::BigDecimal | Prim::Number) => ColumnType::Number,
        _ => ColumnType::Json,
    }
}
