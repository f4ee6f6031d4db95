//! Text for MDX pages (Docusaurus 3). In MDX, `{` starts an expression and `<`
//! starts JSX, and inside an HTML table cell Markdown syntax is still parsed, so
//! every piece of spec text goes through here before it reaches a page.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Escapes plain text so that MDX shows it literally.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            // An underscore between two letters or digits can never start or end
            // emphasis, so `route_id` stays readable in the page source.
            '_' if i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) => {
                out.push('_')
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '`' => out.push_str("&#96;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' => out.push_str("&#92;"),
            '~' => out.push_str("&#126;"),
            '|' => out.push_str("&#124;"),
            // `AWS::Service::Type` may wrap after each `::` (and nowhere else) in a narrow
            // table column; `<wbr/>` adds no text to what is selected or copied.
            ':' if i > 0 && chars[i - 1] == ':' && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) => {
                out.push_str(":<wbr/>")
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// [`text`] of a snake_case name that may wrap after each `_` (a resource's name in a
/// narrow column of an index): `api_gateway_<wbr/>managed_<wbr/>overrides`.
pub fn breakable_name(s: &str) -> String {
    text(s).replace('_', "&#95;<wbr/>")
}

/// Escaped text that GFM's autolink extension cannot read as a URL.
fn no_autolink(escaped: &str) -> String {
    escaped.replace("://", "&#58;//").replace("www.", "www&#46;")
}

/// `<code>text</code>`, escaped.
pub fn code(s: &str) -> String {
    // A path or URL may wrap after each `/` (not inside `//`), a SNAKE_CASE name after each
    // `_`: where a break reads well in a narrow table column.
    let parts: Vec<&str> = s.split('/').collect();
    let mut out = String::from("<code>");
    for (i, part) in parts.iter().enumerate() {
        // `text` leaves only the `_` between two letters or digits as it is.
        out.push_str(&text(part).replace('_', "_<wbr/>"));
        if let Some(next) = parts.get(i + 1) {
            out.push('/');
            if !next.is_empty() && !part.is_empty() {
                out.push_str("<wbr/>");
            }
        }
    }
    out.push_str("</code>");
    // Inside `<code>` too, GFM would link a URL, and read `&#125;` as its end plus text.
    camel_breaks(&no_autolink(&out))
}

/// Escaped text with a `<wbr/>` where a camelCase word starts a new part (`integration<wbr/>Response`):
/// a long JSON name may wrap there. Character references (`&#123;`, `&lt;`) have no capitals, so
/// none is split.
pub fn camel_breaks(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut previous = ' ';
    for c in escaped.chars() {
        if c.is_ascii_uppercase() && (previous.is_ascii_lowercase() || previous.is_ascii_digit()) {
            out.push_str("<wbr/>");
        }
        out.push(c);
        previous = c;
    }
    out
}

/// The fenced code blocks of a page in one language (```sql), in page order:
/// what a reader copies, and what the SQL tests and the judge read.
pub fn fenced_blocks(page: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match (&mut current, line.trim()) {
            (None, l) if l == fence => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

/// An attribute value for a double-quoted JSX attribute.
pub fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace(['\n', '\r'], " ")
}

/// Renders a Markdown description (as CloudFormation writes them) to HTML on one
/// line, safe for an MDX table cell. Only absolute links are kept, so a page never
/// links to a path that does not exist on the site.
pub fn markdown(md: &str) -> String {
    let mut out = String::new();
    let mut link_depth: Vec<bool> = Vec::new();
    let mut in_code_block = false;
    let mut blocks = 0usize;
    for event in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Paragraph) => {
                if blocks > 0 && !out.ends_with("<li>") {
                    out.push_str("<br/><br/>");
                }
                blocks += 1;
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Heading { .. }) => {
                if blocks > 0 {
                    out.push_str("<br/><br/>");
                }
                blocks += 1;
                out.push_str("<strong>");
            }
            Event::End(TagEnd::Heading(_)) => out.push_str("</strong>"),
            Event::Start(Tag::Emphasis) => out.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => out.push_str("</em>"),
            Event::Start(Tag::Strong) => out.push_str("<strong>"),
            Event::End(TagEnd::Strong) => out.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => out.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => out.push_str("</del>"),
            Event::Start(Tag::List(Some(_))) => {
                out.push_str("<ol>");
                blocks += 1;
            }
            Event::Start(Tag::List(None)) => {
                out.push_str("<ul>");
                blocks += 1;
            }
            Event::End(TagEnd::List(ordered)) => out.push_str(if ordered { "</ol>" } else { "</ul>" }),
            Event::Start(Tag::Item) => out.push_str("<li>"),
            Event::End(TagEnd::Item) => out.push_str("</li>"),
            Event::Start(Tag::CodeBlock(_)) => {
                if blocks > 0 {
                    out.push_str("<br/>");
                }
                blocks += 1;
                in_code_block = true;
                out.push_str("<code>");
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                while out.ends_with("<br/>") {
                    out.truncate(out.len() - "<br/>".len());
                }
                out.push_str("</code>");
            }
            Event::Start(Tag::BlockQuote(_)) => out.push_str("<blockquote>"),
            Event::End(TagEnd::BlockQuote(_)) => out.push_str("</blockquote>"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let absolute = ["https://", "http://", "mailto:"].iter().any(|p| dest_url.starts_with(p));
                if absolute {
                    out.push_str(&format!("<a href=\"{}\">", attr(&dest_url)));
                }
                link_depth.push(absolute);
            }
            Event::End(TagEnd::Link) => out.push_str(if link_depth.pop() == Some(true) { "</a>" } else { "" }),
            Event::Start(Tag::Image { dest_url, .. }) => out.push_str(&text(&dest_url)),
            Event::Text(t) if in_code_block => {
                let lines: Vec<String> = t.split('\n').map(text).collect();
                out.push_str(&lines.join("<br/>"));
            }
            // remark-gfm would turn a URL in link text into a link inside the link.
            Event::Text(t) if link_depth.contains(&true) => out.push_str(&no_autolink(&text(&t))),
            Event::Text(t) => out.push_str(&text(&t)),
            Event::Code(t) => out.push_str(&code(&t)),
            // Raw HTML in a description is shown as written, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&text(&t)),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("<br/>"),
            Event::Rule => out.push_str("<br/>"),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The first sentence of a description, as plain text (for summaries and front matter).
pub fn first_sentence(md: &str) -> String {
    let mut plain = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(TagEnd::Paragraph) => break,
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    match plain.find(". ") {
        Some(i) => plain[..=i].to_string(),
        None => plain,
    }
}

/// A per-page slugger that matches the heading ids Docusaurus generates
/// (github-slugger): lower case, punctuation dropped, spaces to `-`, and a `-N`
/// suffix for repeated headings.
#[derive(Default)]
pub struct Slugger {
    seen: std::collections::BTreeMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, heading: &str) -> String {
        let base: String = heading
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut slug = base.clone();
        while self.seen.contains_key(&slug) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            slug = format!("{base}-{n}");
        }
        self.seen.insert(slug.clone(), 0);
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_mdx_syntax() {
        assert_eq!(text("a {b} <c> `d` *e* [f]"), "a &#123;b&#125; &lt;c&gt; &#96;d&#96; &#42;e&#42; &#91;f&#93;");
        assert_eq!(text("route_id _x_ y_"), "route_id &#95;x&#95; y&#95;");
    }

    #[test]
    fn renders_cloudformation_markdown() {
        let md = "The ``AWS::X::Y`` resource. See [Guide](https://docs.aws.amazon.com/x.html) and {name}.";
        assert_eq!(
            markdown(md),
            "The <code>AWS::<wbr/>X::<wbr/>Y</code> resource. See <a href=\"https://docs.aws.amazon.com/x.html\">Guide</a> and &#123;name&#125;."
        );
    }

    /// Where identifiers may wrap in a narrow table column: after `::`, `/` (not in `//`) and
    /// `_`, and before a camelCase part; never inside a character reference.
    #[test]
    fn identifiers_wrap_at_sensible_points() {
        assert_eq!(text("AWS::ApiGatewayV2::Route"), "AWS::<wbr/>ApiGatewayV2::<wbr/>Route");
        assert_eq!(code("GET /v2/apis/{ApiId}"), "<code>GET /<wbr/>v2/<wbr/>apis/<wbr/>&#123;Api<wbr/>Id&#125;</code>");
        // A URL in code is not linked by GFM: its `:` is a character reference.
        assert_eq!(code("s3://bucket/key"), "<code>s3&#58;//bucket/<wbr/>key</code>");
        assert_eq!(
            code("https://cognito-idp.{region}.amazonaws.com/{userPoolId}"),
            "<code>https&#58;//cognito-idp.&#123;region&#125;.amazonaws.com/<wbr/>&#123;user<wbr/>Pool<wbr/>Id&#125;</code>"
        );
        assert_eq!(code("ROUTING_RULE_THEN"), "<code>ROUTING_<wbr/>RULE_<wbr/>THEN</code>");
        assert_eq!(code("routeResponseKey"), "<code>route<wbr/>Response<wbr/>Key</code>");
        assert_eq!(code("a<b>"), "<code>a&lt;b&gt;</code>");
        assert_eq!(breakable_name("route_responses"), "route&#95;<wbr/>responses");
    }

    #[test]
    fn relative_links_become_text() {
        assert_eq!(markdown("see [Stage](AWS::ApiGatewayV2::Stage)"), "see Stage");
    }

    #[test]
    fn lists_and_paragraphs_stay_on_one_line() {
        let md = "Values:\n  +   ``A``: first\n  +   ``B``: second\n \n If unset, nothing.";
        let html = markdown(md);
        assert!(!html.contains('\n'), "{html}");
        assert_eq!(
            html,
            "Values:<ul><li><code>A</code>: first</li><li><code>B</code>: second</li></ul><br/><br/>If unset, nothing."
        );
    }

    #[test]
    fn urls_in_link_text_do_not_become_nested_links() {
        assert_eq!(
            markdown("[https://cognito-idp](https://cognito-idp)"),
            "<a href=\"https://cognito-idp\">https&#58;//cognito-idp</a>"
        );
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        assert_eq!(markdown("a <script>x</script>"), "a &lt;script&gt;x&lt;/script&gt;");
    }

    #[test]
    fn first_sentence_is_plain() {
        assert_eq!(first_sentence("The ``Foo`` thing. More text."), "The Foo thing.");
    }

    #[test]
    fn slugs_match_docusaurus() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Fields"), "fields");
        assert_eq!(s.slug("ParameterConstraints"), "parameterconstraints");
        assert_eq!(s.slug("Fields"), "fields-1");
        assert_eq!(s.slug("Fields"), "fields-2");
        assert_eq!(s.slug("SELECT examples"), "select-examples");
    }
}
