//! Smithy documentation (a small HTML dialect) to rustdoc Markdown. rustdoc warns
//! on unknown HTML tags, bare URLs and broken intra-doc links, so text is escaped
//! for all three; generated crates must document without a warning.

/// Converts Smithy HTML docs to Markdown lines.
pub fn markdown(html: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<bool> = Vec::new();
    let mut link: Option<(String, String)> = None;
    let mut in_code = false;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = after.find('>') {
                let tag = &after[..end];
                rest = &after[end + 1..];
                tag_event(tag, &mut out, &mut lists, &mut link, &mut in_code);
                continue;
            }
        }
        let next = rest.find('<').filter(|i| *i > 0).unwrap_or(rest.len());
        let text = decode_entities(&rest[..next]);
        rest = &rest[next..];
        let piece = if in_code { text.replace('`', "'") } else { escape(&text) };
        match &mut link {
            Some((_, label)) => label.push_str(&piece),
            None => out.push_str(&piece),
        }
    }
    tidy(&out)
}

fn tag_event(
    tag: &str,
    out: &mut String,
    lists: &mut Vec<bool>,
    link: &mut Option<(String, String)>,
    in_code: &mut bool,
) {
    let closing = tag.starts_with('/');
    let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let name = name.to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("a", false) => {
            *link = Some((attr(tag, "href").unwrap_or_default(), String::new()));
            return;
        }
        ("a", true) => {
            if let Some((href, label)) = link.take() {
                let label = label.trim().to_string();
                if href.starts_with("http://") || href.starts_with("https://") {
                    out.push_str(&format!("[{}]({})", if label.is_empty() { href.clone() } else { label }, href));
                } else {
                    out.push_str(&label);
                }
            }
            return;
        }
        _ => {}
    }
    // Inside a link, markup goes into its label.
    let sink: &mut String = match link {
        Some((_, label)) => label,
        None => out,
    };
    let opened_item = sink.trim_end_matches(' ').ends_with("\n- ") || sink.ends_with("- ");
    match (name.as_str(), closing) {
        ("p" | "div", false) if opened_item => {}
        ("p" | "div" | "br", _) => sink.push_str("\n\n"),
        ("code" | "tt", false) if !*in_code => {
            sink.push('`');
            *in_code = true;
        }
        ("code" | "tt", true) if *in_code => {
            sink.push('`');
            *in_code = false;
        }
        ("b" | "strong", _) => sink.push_str("**"),
        ("i" | "em", _) => sink.push('*'),
        ("ul" | "ol", false) => {
            lists.push(name == "ol");
            sink.push('\n');
        }
        ("ul" | "ol", true) => {
            lists.pop();
            sink.push_str("\n\n");
        }
        ("li", false) => {
            let depth = lists.len().saturating_sub(1);
            sink.push_str(&format!("\n{}- ", "  ".repeat(depth)));
        }
        ("note" | "important", false) => sink.push_str("\n\n**Note:** "),
        ("note" | "important", true) => sink.push_str("\n\n"),
        _ => {}
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(decode_entities(&rest[1..1 + end]))
    } else {
        Some(rest.split_whitespace().next()?.to_string())
    }
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Escapes what rustdoc would read as Markdown, HTML or a link, and wraps bare URLs.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        out.push_str(&escape_plain(&rest[..i]));
        let tail = &rest[i..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            let end = tail.find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"').unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',', ';']);
            out.push_str(&format!("<{url}>"));
            rest = &tail[url.len()..];
        } else {
            out.push_str("http");
            rest = &tail[4..];
        }
    }
    out.push_str(&escape_plain(rest));
    out
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '*' | '_' | '`' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Collapses runs of spaces and blank lines, trims lines.
fn tidy(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in s.split('\n') {
        let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let joined = words.join(" ");
        let is_item = joined.starts_with("- ");
        let line = if is_item { format!("{indent}{joined}") } else { joined };
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_and_links() {
        let html =
            "<p>Creates a <code>Route</code>.</p><p>See <a href=\"https://docs.aws.amazon.com/x\">the guide</a>.</p>";
        assert_eq!(markdown(html), "Creates a `Route`.\n\nSee [the guide](https://docs.aws.amazon.com/x).");
    }

    #[test]
    fn lists_and_escapes() {
        let html = "<p>Values:</p><ul><li><p>a_b [x] &lt;tag&gt;</p></li><li>https://example.com/a.</li></ul>";
        assert_eq!(markdown(html), "Values:\n\n- a\\_b \\[x\\] &lt;tag&gt;\n\n- <https://example.com/a>.");
    }

    #[test]
    fn relative_links_keep_their_text() {
        assert_eq!(markdown("<a href=\"#foo\">Foo</a> bar"), "Foo bar");
    }

    #[test]
    fn backticks_inside_code_do_not_break_it() {
        assert_eq!(markdown("<code>a`b</code>"), "`a'b`");
    }
}
