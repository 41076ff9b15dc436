//! Meeting pages as saved from a browser: the minutes are the page's main content; navigation,
//! cookie banners, scripts and footers are page chrome (docs/domain.md § 1) and are dropped.
//!
//! The page is parsed with `scraper` (html5ever, the HTML5 parsing algorithm browsers use), so
//! unclosed tags and entities are read as a browser reads them. Headings and list items become
//! [`Block`]s; [`super::render`] writes them as bullets and "§" headings.
//!
//! A page nested deeper than [`Limits::depth`] or taking longer than [`Limits::time`] is
//! refused (issue #17: 50,000 nested `<div>` took the parser seconds, growing with the square
//! of the depth, and then overflowed the stack of the walk). The page is fed to the parser in
//! chunks and the tree's depth watched as it grows, so such a page is refused after its first
//! chunks, not after the whole page.
//!
//! ```
//! use paragraf_indexer::format::html::to_text;
//!
//! let page = "<nav>Start</nav><main><ul><li>Elin Ring föredrar.</li></ul></main>";
//! assert_eq!(to_text(page).map_err(|e| e.to_string()), Ok(" • Elin Ring föredrar.\n".to_string()));
//! ```

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Selector};

use super::{render, Block, InlineText, Limits};

/// Why an HTML page gives no minutes text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// Elements nested deeper than the limit: no meeting page is, a hostile one can be.
    #[error("HTML nests elements more than {limit} deep; no minutes page does")]
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// Parsing took longer than the limit.
    #[error("HTML took longer than {} s to read", .limit.as_secs())]
    TooSlow {
        /// The time limit.
        limit: std::time::Duration,
    },
}

/// How much of the page the parser takes at a time between checks of depth and time.
const CHUNK_BYTES: usize = 4 * 1024;

/// Elements whose content is never minutes text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "footer", "iframe", "form", "button",
    "select", "textarea", "head", "aside", "dialog", "object", "canvas",
];

/// Words in an element's id or class that mark page chrome.
const CHROME_MARKS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "skip",
    "sidebar",
    "share",
    "social",
    "menu",
    "navbar",
    "navigation",
    "footer",
    "site-header",
    "banner",
];

/// ARIA roles of page chrome.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
];

/// Elements that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
];

/// The minutes text of an HTML page, in the splitter's shape, within the default [`Limits`].
pub fn to_text(page: &str) -> Result<String, HtmlError> {
    to_text_within(page, &Limits::default())
}

/// [`to_text`] within `limits`.
pub fn to_text_within(page: &str, limits: &Limits) -> Result<String, HtmlError> {
    Ok(render(&blocks(page, limits)?))
}

/// The blocks of the page's main content.
pub fn blocks(page: &str, limits: &Limits) -> Result<Vec<Block>, HtmlError> {
    let document = parse(page, limits)?;
    let root = ["main", "[role=main]", "article", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| document.select(&s).next())
        .unwrap_or_else(|| document.root_element());
    // Inside <main> or <article>, a <header> holds the page's title, not the site's menu.
    let in_content = matches!(root.value().name(), "main" | "article")
        || root.value().attr("role") == Some("main");
    let mut walker = Walker {
        blocks: Vec::new(),
        inline: InlineText::default(),
        lists: Vec::new(),
    };
    // The walk recurses once per level: the depth limit bounds its stack.
    walker.element(root, in_content);
    walker.flush(None);
    Ok(walker.blocks)
}

/// Parses a page in chunks, refusing it as soon as its tree grows deeper than `limits.depth`
/// or the parse takes longer than `limits.time`.
fn parse(page: &str, limits: &Limits) -> Result<Html, HtmlError> {
    let started = Instant::now();
    let too_deep = Rc::new(Cell::new(false));
    let sink = DepthSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        limit: limits.depth,
        too_deep: too_deep.clone(),
    };
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = page;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
        if too_deep.get() {
            return Err(HtmlError::TooDeep {
                limit: limits.depth,
            });
        }
        if started.elapsed() > limits.time {
            return Err(HtmlError::TooSlow { limit: limits.time });
        }
    }
    let html = parser.finish();
    if too_deep.get() {
        return Err(HtmlError::TooDeep {
            limit: limits.depth,
        });
    }
    Ok(html)
}

/// scraper's tree sink, watching how deep nodes are appended. The depth of a parent is
/// counted up to the limit only, so watching costs at most the limit per node.
struct DepthSink {
    inner: HtmlTreeSink,
    limit: usize,
    too_deep: Rc<Cell<bool>>,
}

type Handle = <HtmlTreeSink as TreeSink>::Handle;

impl DepthSink {
    fn watch(&self, parent: &Handle) {
        if self.too_deep.get() {
            return;
        }
        let html = self.inner.0.borrow();
        let depth = html
            .tree
            .get(*parent)
            .map_or(0, |node| node.ancestors().take(self.limit).count());
        if depth >= self.limit {
            self.too_deep.set(true);
        }
    }
}

impl TreeSink for DepthSink {
    type Handle = Handle;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }
    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.watch(parent);
        self.inner.append(parent, child);
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        self.watch(prev_element);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }
    fn mark_script_already_started(&self, node: &Handle) {
        self.inner.mark_script_already_started(node);
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.watch(sibling);
        self.inner.append_before_sibling(sibling, new_node);
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.inner.remove_from_parent(target);
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.watch(new_parent);
        self.inner.reparent_children(node, new_parent);
    }
}

struct Walker {
    blocks: Vec<Block>,
    inline: InlineText,
    /// One entry per open list item: whether its first paragraph has been written.
    lists: Vec<bool>,
}

impl Walker {
    fn element(&mut self, element: ElementRef<'_>, in_content: bool) {
        let name = element.value().name();
        if is_chrome(element, in_content) {
            return;
        }
        let in_content = in_content || matches!(name, "main" | "article");
        let heading = match name.as_bytes() {
            [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => None,
        };
        match name {
            "br" => {
                self.inline.line_break();
                return;
            }
            "li" => {
                self.flush(None);
                self.lists.push(false);
                self.children(element, in_content);
                self.flush(None);
                self.lists.pop();
                return;
            }
            "td" | "th" => {
                self.inline.space();
                self.children(element, in_content);
                self.inline.space();
                return;
            }
            "ul" | "ol" => {
                self.flush(None);
                self.children(element, in_content);
                self.flush(None);
                return;
            }
            _ => {}
        }
        if heading.is_some() || BLOCK_TAGS.contains(&name) {
            self.flush(None);
            self.children(element, in_content);
            self.flush(heading);
        } else {
            self.children(element, in_content);
        }
    }

    fn children(&mut self, element: ElementRef<'_>, in_content: bool) {
        for child in element.children() {
            if let Some(text) = child.value().as_text() {
                self.inline.push(text);
            } else if let Some(child) = ElementRef::wrap(child) {
                self.element(child, in_content);
            }
        }
    }

    /// Ends the current paragraph: a list item's first paragraph is the item, a heading is a
    /// heading, anything else a paragraph at the current list depth.
    fn flush(&mut self, heading: Option<u8>) {
        let text = self.inline.take();
        if text.is_empty() {
            return;
        }
        let depth = self.lists.len();
        let block = match self.lists.last_mut() {
            Some(started @ false) => {
                *started = true;
                Block::ListItem { depth, text }
            }
            _ => match heading {
                Some(level) => Block::Heading { level, text },
                None => Block::Paragraph { depth, text },
            },
        };
        self.blocks.push(block);
    }
}

/// Whether an element is page chrome: a skipped tag, a hidden element, a chrome role, or an
/// id or class naming a cookie banner, menu, breadcrumb or footer.
fn is_chrome(element: ElementRef<'_>, in_content: bool) -> bool {
    let value = element.value();
    let name = value.name();
    if SKIPPED_TAGS.contains(&name) || (name == "header" && !in_content) {
        return true;
    }
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if value
        .attr("style")
        .is_some_and(|s| s.replace(' ', "").contains("display:none"))
    {
        return true;
    }
    if value
        .attr("role")
        .is_some_and(|r| CHROME_ROLES.contains(&r))
    {
        return true;
    }
    let marks = format!(
        "{} {}",
        value.attr("id").unwrap_or_default(),
        value.attr("class").unwrap_or_default()
    )
    .to_lowercase();
    CHROME_MARKS.iter().any(|m| marks.contains(m))
        || marks
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .any(|w| w == "nav")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_chrome_and_keeps_bullets_and_headings() {
        let page = r##"<!DOCTYPE html><html><head><title>SVOM</title><script>var x = "• nej";</script></head>
<body><a class="skip-link" href="#main">Hoppa över navigering</a>
<header><nav><ul><li>Start</li><li>Politik</li></ul></nav></header>
<div id="cookie-banner">Vi använder kakor.</div>
<main id="main"><h1>Möte 2020-12-04</h1>
<ul><li><p>Lise Hjemgaard Svensson (M), ordförande, öppnar mötet.</p></li>
<li><h3>§ 54</h3><p>Val av justerare och tid för justering</p></li>
<li>Ingela&nbsp;Jönsson föredrar:<ul><li>Covidläget</li><li>Patientsäkerhet</li></ul></li></ul>
</main><footer>Region Jämtland Härjedalen, 063-14 75 00</footer></body></html>"##;
        assert_eq!(
            to_text(page).expect("reads"),
            "Möte 2020-12-04\n\n • Lise Hjemgaard Svensson (M), ordförande, öppnar mötet.\n\n • § 54\n\n  Val av justerare och tid för justering\n\n • Ingela Jönsson föredrar:\n\n  • Covidläget\n  • Patientsäkerhet\n"
        );
    }

    #[test]
    fn section_headings_make_lists_sub_points() {
        let page = "<body><h2>§ 84 Dnr KS 2013/123 Informationer</h2><p>Kommunchefen informerar om<br>sjukfrånvaron.</p><ul><li>Budget</li></ul><table><tr><td>Justerare</td><td>Jörgen Blom</td></tr></table></body>";
        assert_eq!(
            to_text(page).expect("reads"),
            "§ 84 Dnr KS 2013/123 Informationer\n\nKommunchefen informerar om\nsjukfrånvaron.\n\n  – Budget\n\nJusterare Jörgen Blom\n"
        );
    }

    #[test]
    fn a_page_nested_deeper_than_the_limit_is_refused_quickly() {
        let page = |depth: usize| {
            format!(
                "<html><body>{}<p>Elin Ring föredrar.</p>{}</body></html>",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        let limits = Limits::default();
        // Within the limit (body and html count too), the walk reads it on a test thread's stack.
        assert_eq!(
            to_text(&page(limits.depth - 4)).map_err(|e| e.to_string()),
            Ok("Elin Ring föredrar.\n".to_string())
        );
        let started = Instant::now();
        assert_eq!(
            to_text(&page(50_000)).map_err(|e| e.to_string()),
            Err(format!(
                "HTML nests elements more than {} deep; no minutes page does",
                limits.depth
            ))
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_page_slower_than_the_limit_is_refused() {
        let limits = Limits {
            time: std::time::Duration::ZERO,
            ..Limits::default()
        };
        assert!(matches!(
            to_text_within("<p>Elin Ring föredrar.</p>", &limits),
            Err(HtmlError::TooSlow { .. })
        ));
    }
}
