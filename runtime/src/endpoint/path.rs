//! The JMESPath subset of `smithy.rules#operationContextParams`: fields (`a.b`), projections
//! (`a[*].b`), multi-select lists (`[a, b]`), flattening (`[]`) and `keys(a)`, evaluated on an
//! operation input in its JSON form.

use serde_json::Value;

/// The value of `path` in `input`, or `None` where the path leads nowhere or is not in the subset.
pub fn context_path(input: &Value, path: &str) -> Option<Value> {
    let path = path.trim();
    if let Some(inner) = path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        let map = context_path(input, inner)?;
        return Some(Value::Array(map.as_object()?.keys().map(|k| Value::String(k.clone())).collect()));
    }
    eval(Some(input.clone()), path)
}

fn eval(value: Option<Value>, path: &str) -> Option<Value> {
    let value = value?;
    if path.is_empty() {
        return Some(value);
    }
    // A trailing `[]` ends any projection on its left and flattens its result one level.
    if let Some(left) = path.strip_suffix("[]").filter(|l| !l.is_empty()) {
        let items = eval(Some(value), left)?;
        let mut flat = Vec::new();
        for item in items.as_array()? {
            match item {
                Value::Array(inner) => flat.extend(inner.iter().filter(|v| !v.is_null()).cloned()),
                Value::Null => {}
                other => flat.push(other.clone()),
            }
        }
        return Some(Value::Array(flat));
    }
    if let Some(rest) = path.strip_prefix("[*]") {
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        let items = value.as_array()?;
        return Some(Value::Array(
            items.iter().filter_map(|v| eval(Some(v.clone()), rest)).filter(|v| !v.is_null()).collect(),
        ));
    }
    if let Some(rest) = path.strip_prefix("[]") {
        let items = value.as_array()?;
        let mut flat = Vec::new();
        for item in items {
            match item {
                Value::Array(inner) => flat.extend(inner.iter().cloned()),
                other => flat.push(other.clone()),
            }
        }
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        return eval(Some(Value::Array(flat)), rest);
    }
    if let Some(body) = path.strip_prefix('[') {
        let end = matching_bracket(body)?;
        let selected: Vec<Value> =
            body[..end].split(',').map(|p| eval(Some(value.clone()), p.trim()).unwrap_or(Value::Null)).collect();
        return eval(Some(Value::Array(selected)), &body[end + 1..]);
    }
    let end = path.find(['.', '[']).unwrap_or(path.len());
    let next = value.as_object()?.get(&path[..end])?.clone();
    let rest = &path[end..];
    eval(Some(next), rest.strip_prefix('.').unwrap_or(rest))
}

fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::context_path;

    #[test]
    fn the_subset_the_models_use() {
        let input = json!({
            "RequestItems": {"a": 1, "b": 2},
            "TableCreationParameters": {"TableName": "t"},
            "TransactItems": [{"Get": {"TableName": "g"}}, {"Put": {"TableName": "p"}}, {"Delete": {"TableName": "d"}}],
        });
        assert_eq!(context_path(&input, "keys(RequestItems)"), Some(json!(["a", "b"])));
        assert_eq!(context_path(&input, "TableCreationParameters.TableName"), Some(json!("t")));
        assert_eq!(context_path(&input, "TransactItems[*].Get.TableName"), Some(json!(["g"])));
        assert_eq!(
            context_path(
                &input,
                "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]"
            ),
            Some(json!(["p", "d"]))
        );
        assert_eq!(context_path(&input, "Missing.Field"), None);
    }
}
