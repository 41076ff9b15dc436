//! Meeting pages as saved from a browser: the minutes are the page's main content; navigation,
//! cookie banners, scripts and footers are page chrome (DOMAIN.md § 1) and are dropped.
//!
//! The page is parsed with `scraper` (html5ever, the HTML5 parsing algorithm browsers use), so
//! unclosed tags and entities are read as a browser reads them. Headings and list items become
//! [`Block`]s; [`super::render`] writes them as bullets and "§" headings.
//!
//! ```
//! use paragraf_indexer::format::html::to_text;
//!
//! let page = "<nav>Start</nav><main><ul><li>Elin Ring föredrar.</li></ul></main>";
//! assert_eq!(to_text(page), " • Elin Ring föredrar.\n");
//! ```

use scraper::{ElementRef, Html, Selector};

use super::{render, Block, InlineText};

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

/// The minutes text of an HTML page, in the splitter's shape.
pub fn to_text(page: &str) -> String {
    render(&blocks(page))
}

/// The blocks of the page's main content.
pub fn blocks(page: &str) -> Vec<Block> {
    let document = Html::parse_document(page);
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
    walker.element(root, in_content);
    walker.flush(None);
    walker.blocks
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
            to_text(page),
            "Möte 2020-12-04\n\n • Lise Hjemgaard Svensson (M), ordförande, öppnar mötet.\n\n • § 54\n\n  Val av justerare och tid för justering\n\n • Ingela Jönsson föredrar:\n\n  • Covidläget\n  • Patientsäkerhet\n"
        );
    }

    #[test]
    fn section_headings_make_lists_sub_points() {
        let page = "<body><h2>§ 84 Dnr KS 2013/123 Informationer</h2><p>Kommunchefen informerar om<br>sjukfrånvaron.</p><ul><li>Budget</li></ul><table><tr><td>Justerare</td><td>Jörgen Blom</td></tr></table></body>";
        assert_eq!(
            to_text(page),
            "§ 84 Dnr KS 2013/123 Informationer\n\nKommunchefen informerar om\nsjukfrånvaron.\n\n  – Budget\n\nJusterare Jörgen Blom\n"
        );
    }
}
