//! The text of a digest, in Swedish for the officials who read it: a subject, a plain-text
//! part and an HTML part saying the same, each item with its title, body, date, §, decisions,
//! the opening of its text and a link to it on the server.

use paragraf_indexer::Item;

/// One item as a digest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    /// Item id.
    pub id: String,
    /// The heading, or the opening of the text when the item has none.
    pub title: String,
    /// The body that met.
    pub body: Option<String>,
    /// The meeting date to its precision.
    pub date: Option<String>,
    /// "§ 54", when known.
    pub section: Option<String>,
    /// Case number (Dnr), when known.
    pub case_number: Option<String>,
    /// The decisions recorded in the item.
    pub decisions: Vec<String>,
    /// The opening of the item's text.
    pub excerpt: String,
    /// The item on the server.
    pub link: String,
}

/// Characters of an item's text a digest quotes.
const EXCERPT: usize = 300;
/// Characters of the text that stand in for a missing heading.
const TITLE: usize = 90;

impl DigestItem {
    /// The digest's view of an item, linked under `base_url`.
    pub fn from_item(item: &Item, base_url: &str) -> DigestItem {
        let text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
        DigestItem {
            id: item.id.clone(),
            title: item
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| cut(&text, TITLE)),
            body: item.meeting.body.clone(),
            date: item.meeting.date.clone(),
            section: item.section.clone(),
            case_number: item.case_number.clone(),
            decisions: item.decisions.clone(),
            excerpt: cut(&text, EXCERPT),
            link: link(base_url, &[("item", item.id.as_str())]),
        }
    }

    /// "SVOM · 2020-12-04 · § 15 · Dnr KS 2013/123", what is known of it.
    fn place(&self) -> String {
        let dnr = self.case_number.as_ref().map(|c| format!("Dnr {c}"));
        [
            self.body.clone(),
            self.date.clone(),
            self.section.clone(),
            dnr,
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A composed digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// The digest of a saved search: `items` new ones listed, `waiting` more that come in the next
/// digest, `search_link` the whole result on the server.
pub fn compose(name: &str, items: &[DigestItem], waiting: usize, search_link: &str) -> Digest {
    let count = |n: usize| {
        if n == 1 {
            "1 ny punkt".to_string()
        } else {
            format!("{n} nya punkter")
        }
    };
    let subject = format!("Bevakning \u{201d}{name}\u{201d}: {}", count(items.len()));
    let intro = format!(
        "{} sedan förra utskicket i bevakningen \u{201d}{name}\u{201d}, nyaste sammanträdet först.",
        capitalised(&count(items.len()))
    );
    let later = (waiting > 0).then(|| {
        format!(
            "{} till kommer i nästa utskick.",
            if waiting == 1 {
                "1 punkt".to_string()
            } else {
                format!("{waiting} punkter")
            }
        )
    });
    let footer = "Du får det här brevet eftersom du är mottagare av bevakningen i Paragraf. Svara inte på brevet; hör av dig till den som administrerar Paragraf för att ändra bevakningen.";

    let mut text = format!("Hej!\n\n{intro}\n");
    for (n, item) in items.iter().enumerate() {
        text.push_str(&format!(
            "\n{}. {}\n   {}\n",
            n + 1,
            item.title,
            item.place()
        ));
        for decision in &item.decisions {
            text.push_str(&format!("   Beslut: {decision}\n"));
        }
        if !item.excerpt.is_empty() && item.excerpt != item.title {
            text.push_str(&format!("   {}\n", item.excerpt));
        }
        text.push_str(&format!("   Läs punkten: {}\n", item.link));
    }
    if let Some(later) = &later {
        text.push_str(&format!("\n{later}\n"));
    }
    text.push_str(&format!(
        "\nAlla träffar för bevakningen: {search_link}\n\n-- \n{footer}\n"
    ));

    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p>Hej!</p>\n<p>{}</p>\n<ol>\n",
        escape(&subject),
        escape(&intro)
    );
    for item in items {
        html.push_str(&format!(
            "<li><p><a href=\"{}\"><strong>{}</strong></a><br>{}</p>\n",
            escape(&item.link),
            escape(&item.title),
            escape(&item.place())
        ));
        for decision in &item.decisions {
            html.push_str(&format!("<p><em>Beslut:</em> {}</p>\n", escape(decision)));
        }
        if !item.excerpt.is_empty() && item.excerpt != item.title {
            html.push_str(&format!("<p>{}</p>\n", escape(&item.excerpt)));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    if let Some(later) = &later {
        html.push_str(&format!("<p>{}</p>\n", escape(later)));
    }
    html.push_str(&format!(
        "<p><a href=\"{}\">Alla träffar för bevakningen</a></p>\n<hr>\n<p><small>{}</small></p>\n</body></html>\n",
        escape(search_link),
        escape(footer)
    ));
    Digest {
        subject,
        text,
        html,
    }
}

/// A link to the search page under `base_url` with these URL parameters (the page reads the
/// same parameters as `/api/search`, and `item` to open one item).
pub fn link(base_url: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if query.is_empty() {
        format!("{base_url}/")
    } else {
        format!("{base_url}/?{}", query.join("&"))
    }
}

/// Percent-encodes a URL parameter (RFC 3986 unreserved characters stay as they are).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Text escaped for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// At most `max` characters, cut at a word with "…" when longer.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let at_word_end = text.chars().nth(max).is_some_and(char::is_whitespace);
    let head = match head.rfind(' ') {
        Some(at) if !at_word_end && at > max / 2 => &head[..at],
        _ => head.as_str(),
    };
    format!("{}…", head.trim_end_matches([',', '.', ';', ':']))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> DigestItem {
        DigestItem {
            id: "ks-2024-03-12.02".into(),
            title: "Cykelplan för Krokoms kommun".into(),
            body: Some("Kommunstyrelsen".into()),
            date: Some("2024-03-12".into()),
            section: Some("§ 12".into()),
            case_number: Some("KS 2024/31".into()),
            decisions: vec!["Kommunstyrelsen beslutar att anta cykelplanen.".into()],
            excerpt: "Förvaltningen har tagit fram en cykelplan <för> tätorterna.".into(),
            link: link(
                "https://paragraf.krokom.se",
                &[("item", "ks-2024-03-12.02")],
            ),
        }
    }

    #[test]
    fn a_digest_says_each_item_in_both_parts() {
        let digest = compose(
            "Cykelplan",
            &[item()],
            2,
            "https://paragraf.krokom.se/?q=cykelplan",
        );
        assert_eq!(
            digest.subject,
            "Bevakning \u{201d}Cykelplan\u{201d}: 1 ny punkt"
        );
        assert_eq!(
            digest.text,
            "Hej!\n\n1 ny punkt sedan förra utskicket i bevakningen \u{201d}Cykelplan\u{201d}, nyaste sammanträdet först.\n\n\
             1. Cykelplan för Krokoms kommun\n   Kommunstyrelsen · 2024-03-12 · § 12 · Dnr KS 2024/31\n\
             \x20  Beslut: Kommunstyrelsen beslutar att anta cykelplanen.\n\
             \x20  Förvaltningen har tagit fram en cykelplan <för> tätorterna.\n\
             \x20  Läs punkten: https://paragraf.krokom.se/?item=ks-2024-03-12.02\n\n\
             2 punkter till kommer i nästa utskick.\n\n\
             Alla träffar för bevakningen: https://paragraf.krokom.se/?q=cykelplan\n\n-- \n\
             Du får det här brevet eftersom du är mottagare av bevakningen i Paragraf. Svara inte på brevet; hör av dig till den som administrerar Paragraf för att ändra bevakningen.\n"
        );
        assert!(digest.html.contains(
            "<li><p><a href=\"https://paragraf.krokom.se/?item=ks-2024-03-12.02\"><strong>Cykelplan för Krokoms kommun</strong></a><br>Kommunstyrelsen · 2024-03-12 · § 12 · Dnr KS 2024/31</p>\n\
             <p><em>Beslut:</em> Kommunstyrelsen beslutar att anta cykelplanen.</p>\n\
             <p>Förvaltningen har tagit fram en cykelplan &lt;för&gt; tätorterna.</p>\n</li>\n"
        ), "{}", digest.html);
    }

    #[test]
    fn links_encode_their_parameters() {
        assert_eq!(
            link(
                "https://p.se/paragraf",
                &[("q", "vård & omsorg"), ("dnr", "KS 2013/87")]
            ),
            "https://p.se/paragraf/?q=v%C3%A5rd%20%26%20omsorg&dnr=KS%202013%2F87"
        );
        assert_eq!(
            cut("Ledamöterna beslutar att det blir ett möte", 20),
            "Ledamöterna beslutar…"
        );
    }
}
