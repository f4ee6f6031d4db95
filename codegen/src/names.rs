//! Name conversion: splitting AWS identifiers into words and joining them again
//! as snake_case, PascalCase, Rust and SQL identifiers, and plural nouns.
//!
//! AWS names mix acronyms in every way (`VpcLinkId`, `DBInstanceARNs`,
//! `Ipv6CidrBlock`, `IPv6Address`), so word splitting is done here rather than
//! with a generic case converter; joining uses `heck` on the canonical snake form.

use heck::ToUpperCamelCase;

use crate::model::Names;

/// Mixed-case tokens that are one word although their case says otherwise.
const COMPOUNDS: &[&str] = &["IPv4", "IPv6", "IPsec", "OAuth", "iOS", "macOS"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Upper,
    Lower,
    Digit,
}

fn class(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_uppercase() {
        Class::Upper
    } else {
        Class::Lower
    }
}

/// Splits an identifier into its words, keeping each word's original case.
///
/// Runs of capitals are one word (`HTTPServer` is `HTTP`, `Server`), a trailing
/// `s` after a run of two or more capitals is a plural acronym (`ARNs`), and
/// digits stay with the word before them (`Ipv6`, `S3`, `V2`).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in name.split(|c: char| !c.is_alphanumeric()) {
        split_segment(segment, &mut out);
    }
    out
}

fn split_segment(segment: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = segment.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = compound_at(&chars[i..]) {
            let mut end = i + len;
            while end < chars.len() && class(chars[end]) == Class::Digit {
                end += 1;
            }
            out.push(chars[i..end].iter().collect());
            i = end;
            continue;
        }
        let start = i;
        match class(chars[i]) {
            Class::Upper => {
                let mut end = i;
                while end < chars.len() && class(chars[end]) == Class::Upper {
                    end += 1;
                }
                let run = end - i;
                let next_lower = end < chars.len() && class(chars[end]) == Class::Lower;
                if run == 1 || !next_lower {
                    i = end;
                    if next_lower {
                        i = skip(&chars, i, Class::Lower);
                    }
                } else if chars[end] == 's' && !chars.get(end + 1).is_some_and(|c| class(*c) == Class::Lower) {
                    // `ARNs`, `IDs`: a plural acronym.
                    i = end + 1;
                } else {
                    // `HTTPServer`: the last capital starts the next word.
                    i = end - 1;
                }
            }
            Class::Lower => i = skip(&chars, i, Class::Lower),
            Class::Digit => {}
        }
        // Digits (and a lower-case tail after them, as in `2xx`) stay with this word.
        if i < chars.len() && class(chars[i]) == Class::Digit {
            i = skip(&chars, i, Class::Digit);
            i = skip(&chars, i, Class::Lower);
        }
        if i == start {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
}

fn skip(chars: &[char], mut i: usize, kind: Class) -> usize {
    while i < chars.len() && class(chars[i]) == kind {
        i += 1;
    }
    i
}

/// Length of a compound token at the start of `chars`, if one ends at a word boundary there.
fn compound_at(chars: &[char]) -> Option<usize> {
    // Called at every character of every name: rule out most positions at once.
    if !matches!(chars.first(), Some('I' | 'O' | 'i' | 'm')) {
        return None;
    }
    COMPOUNDS.iter().find_map(|c| {
        let n = c.chars().count();
        let matches = chars.len() >= n && chars[..n].iter().copied().eq(c.chars());
        let boundary = chars.get(n).is_none_or(|c| class(*c) != Class::Lower);
        (matches && boundary).then_some(n)
    })
}

/// `RouteResponseId` -> `route_response_id`, `DBInstanceARNs` -> `db_instance_arns`.
pub fn snake(name: &str) -> String {
    words(name).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_")
}

/// `route_response_id` or `RouteResponseID` -> `RouteResponseId`.
pub fn pascal(name: &str) -> String {
    pascal_of_snake(&snake(name))
}

fn pascal_of_snake(snake: &str) -> String {
    let p = snake.to_upper_camel_case();
    if p.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{p}")
    } else {
        p
    }
}

/// All names of one source name.
pub fn names(name: &str) -> Names {
    let snake = snake(name);
    Names { rust: rust_ident(&snake), sql: sql_ident(&snake), pascal: pascal_of_snake(&snake), snake }
}

/// Sorted, for binary search.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const RUST_NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// A snake_case name as a Rust identifier: keywords become raw identifiers.
pub fn rust_ident(snake: &str) -> String {
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else if RUST_NOT_RAW.contains(&snake) {
        format!("{snake}_")
    } else if RUST_KEYWORDS.binary_search(&snake).is_ok() {
        format!("r#{snake}")
    } else {
        snake.to_string()
    }
}

/// Words that cannot stand unquoted as a column name in PostgreSQL, SQLite or
/// StackQL. StackQL's are its parser's `reserved_keyword`s and the keyword tokens
/// its grammar accepts as neither identifier nor non-reserved keyword
/// (stackql/stackql-parser, `go/vt/sqlparser/sql.y` and `token.go`): `schema`,
/// `format` and `list` among them. Sorted, for binary search.
const SQL_RESERVED: &[&str] = &[
    "add",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "autoincrement",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "commit",
    "concurrently",
    "constraint",
    "convert",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "databases",
    "default",
    "deferrable",
    "delete",
    "desc",
    "describe",
    "distinct",
    "div",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exec",
    "exists",
    "explain",
    "false",
    "fetch",
    "for",
    "foreign",
    "format",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "group_concat",
    "having",
    "if",
    "ignore",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "list",
    "localtime",
    "localtimestamp",
    "lock",
    "mod",
    "natural",
    "next",
    "not",
    "nothing",
    "notnull",
    "null",
    "off",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "over",
    "overlaps",
    "placing",
    "primary",
    "pull",
    "recursive",
    "references",
    "regexp",
    "registry",
    "release",
    "replace",
    "returning",
    "right",
    "savepoint",
    "schema",
    "select",
    "separator",
    "session_user",
    "set",
    "show",
    "similar",
    "some",
    "stream",
    "substr",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "timestampadd",
    "timestampdiff",
    "to",
    "traditional",
    "trailing",
    "transaction",
    "tree",
    "true",
    "union",
    "unique",
    "update",
    "use",
    "user",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "variadic",
    "verbose",
    "vitess",
    "when",
    "where",
    "window",
    "with",
    "work",
    "xor",
];

/// A snake_case name as a SQL identifier: reserved words and names that do not
/// start with a letter are double-quoted.
pub fn sql_ident(snake: &str) -> String {
    let plain = snake.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && snake.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain && SQL_RESERVED.binary_search(&snake).is_err() {
        snake.to_string()
    } else {
        format!("\"{}\"", snake.replace('"', "\"\""))
    }
}

/// A parameter or column name that keeps its case (`RouteKey`, `Schema`) as written
/// in a statement: double-quoted where any of the engines reserves the word, or
/// where it is not a plain identifier. StackQL matches the name inside the quotes.
pub fn sql_param(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && SQL_RESERVED.binary_search(&name.to_ascii_lowercase().as_str()).is_err() {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Nouns whose plural is the same word.
const UNCOUNTABLE: &[&str] = &["data", "metadata", "information", "info", "media", "equipment", "settings", "news"];

/// Plural of a snake_case noun phrase: only the last word changes
/// (`route_response` -> `route_responses`, `policy` -> `policies`).
pub fn plural(snake: &str) -> String {
    let (head, last) = match snake.rfind('_') {
        Some(i) => (&snake[..=i], &snake[i + 1..]),
        None => ("", snake),
    };
    format!("{head}{}", plural_word(last))
}

fn plural_word(w: &str) -> String {
    let consonant_y =
        w.len() > 1 && w.ends_with('y') && !matches!(w.as_bytes()[w.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u');
    if UNCOUNTABLE.contains(&w) || w.is_empty() || w.ends_with(|c: char| c.is_ascii_digit()) {
        w.to_string()
    } else if consonant_y {
        format!("{}ies", &w[..w.len() - 1])
    } else if let Some(stem) = w.strip_suffix("sis") {
        format!("{stem}ses")
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("as") || w.ends_with("is") {
        format!("{w}es")
    } else if w.ends_with('s') {
        // Already plural: `overrides`, `credentials`, `arns`.
        w.to_string()
    } else if w.ends_with('x') || w.ends_with('z') || w.ends_with("ch") || w.ends_with("sh") {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_aws_names_into_words() {
        let cases = [
            ("VpcLinkId", "vpc_link_id"),
            ("RouteResponseId", "route_response_id"),
            ("ApiGatewayV2", "api_gateway_v2"),
            ("IPv6Address", "ipv6_address"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
            ("DBInstanceARNs", "db_instance_arns"),
            ("SecurityGroupIDs", "security_group_ids"),
            ("HTTPServer", "http_server"),
            ("EC2Instance", "ec2_instance"),
            ("S3Bucket", "s3_bucket"),
            ("Route53", "route53"),
            ("ARN", "arn"),
            ("Arn", "arn"),
            ("apiKeyRequired", "api_key_required"),
            ("already_snake", "already_snake"),
            ("Http2xxStatus", "http2xx_status"),
            ("OAuthScopes", "oauth_scopes"),
            ("IPsecTunnel", "ipsec_tunnel"),
            ("x-amz-target", "x_amz_target"),
            ("KMSKeyARNsList", "kms_key_arns_list"),
            ("CACertificate", "ca_certificate"),
            ("TTL", "ttl"),
            ("3DSecure", "3_d_secure"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(snake(input), want, "snake({input:?})");
        }
    }

    #[test]
    fn pascal_case_from_any_form() {
        assert_eq!(pascal("route_response_id"), "RouteResponseId");
        assert_eq!(pascal("VPCLinkID"), "VpcLinkId");
        assert_eq!(pascal("IPv6"), "Ipv6");
        assert_eq!(pascal("ARNs"), "Arns");
        assert_eq!(pascal("3DSecure"), "N3DSecure");
    }

    #[test]
    fn rust_keywords_become_raw_or_suffixed() {
        assert_eq!(rust_ident("type"), "r#type");
        assert_eq!(rust_ident("match"), "r#match");
        assert_eq!(rust_ident("self"), "self_");
        assert_eq!(rust_ident("3d"), "_3d");
        assert_eq!(rust_ident("route_id"), "route_id");
        assert_eq!(names("Type").rust, "r#type");
    }

    #[test]
    fn keyword_lists_are_sorted_for_binary_search() {
        assert!(RUST_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(SQL_RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn sql_reserved_words_are_quoted() {
        assert_eq!(sql_ident("order"), "\"order\"");
        assert_eq!(sql_ident("default"), "\"default\"");
        assert_eq!(sql_ident("type"), "type");
        assert_eq!(sql_ident("3d"), "\"3d\"");
        assert_eq!(sql_ident("api_id"), "api_id");
        // StackQL's parser reserves these; SQLite and PostgreSQL do not.
        assert_eq!(sql_ident("schema"), "\"schema\"");
        assert_eq!(sql_ident("format"), "\"format\"");
    }

    #[test]
    fn sql_params_keep_their_case() {
        assert_eq!(sql_param("RouteKey"), "RouteKey");
        assert_eq!(sql_param("Schema"), "\"Schema\"");
        assert_eq!(sql_param("region"), "region");
        assert_eq!(sql_param("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn plurals() {
        let cases = [
            ("route_response", "route_responses"),
            ("api", "apis"),
            ("policy", "policies"),
            ("gateway", "gateways"),
            ("alias", "aliases"),
            ("address", "addresses"),
            ("status", "statuses"),
            ("api_gateway_managed_overrides", "api_gateway_managed_overrides"),
            ("analysis", "analyses"),
            ("index", "indexes"),
            ("branch", "branches"),
            ("metadata", "metadata"),
            ("vpc_link", "vpc_links"),
            ("key", "keys"),
            ("ec2", "ec2"),
        ];
        for (input, want) in cases {
            assert_eq!(plural(input), want, "plural({input:?})");
        }
    }
}
