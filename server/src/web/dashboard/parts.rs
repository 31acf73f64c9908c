//! Pieces the head-office pages share: table cells that are escaped text or links (never raw strings), tables,
//! key figures, and findings named in the page's language with their points.

use std::fmt::Write;

use mrc_core::validate::{Code, Reason};

use crate::web::{html::escape, lang::Lang};

/// One table cell's HTML, built only from escaped text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell(String);

impl Cell {
    /// Text, escaped.
    pub fn text(text: impl AsRef<str>) -> Cell {
        Cell(escape(text.as_ref()))
    }

    /// An inline SVG drawn by this crate from numbers only (never from input text).
    pub fn svg(svg: String) -> Cell {
        Cell(svg)
    }

    /// A link to `href` (a path of this site) reading `text`, both escaped.
    pub fn link(href: &str, text: impl AsRef<str>) -> Cell {
        Cell(format!(
            "<a href=\"{}\">{}</a>",
            escape(href),
            escape(text.as_ref())
        ))
    }
}

/// A sortable table (`dashboard.js`) with these headers and rows.
pub fn table(out: &mut String, id: &str, headers: &[&str], rows: &[Vec<Cell>]) {
    let _ = write!(out, "<table id=\"{id}\" class=\"sortable\"><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", cell.0);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// One key figure.
pub fn kpi(out: &mut String, id: &str, value: impl std::fmt::Display, label: &str) {
    let _ = write!(
        out,
        "<div class=\"kpi\"><span class=\"n\" id=\"{id}\">{value}</span><span class=\"l\">{}</span></div>",
        escape(label)
    );
}

/// A finding code (or `verified_tap`) named in `lang`; an unknown code as it is.
pub fn code_name(code: &str, lang: Lang) -> String {
    match Code::parse(code) {
        Some(c) => {
            let (ja, en) = c.label();
            lang.pick(ja, en).to_owned()
        }
        None if code == "verified_tap" => lang.pick("検証済みタップ", "Verified tap").to_owned(),
        None => code.to_owned(),
    }
}

/// A reason with its points: `メモの流用 −15`, `検証済みタップ +23`.
pub fn reason_text(reason: &Reason, lang: Lang) -> String {
    let sign = if reason.points < 0 { "−" } else { "+" };
    format!(
        "{} {sign}{}",
        code_name(&reason.code, lang),
        reason.points.unsigned_abs()
    )
}

/// The reasons behind a score, most damaging first, in one line.
pub fn reasons_line(reasons: &[Reason], lang: Lang) -> String {
    let mut sorted: Vec<&Reason> = reasons.iter().collect();
    sorted.sort_by_key(|r| r.points);
    let texts: Vec<String> = sorted.iter().map(|r| reason_text(r, lang)).collect();
    texts.join(lang.pick("、", ", "))
}

/// The path of a visit's detail page, of a window.
pub fn visit_href(id: &str, window_query: &str) -> String {
    format!("/admin/visit/{id}?{window_query}")
}

/// `text` percent-encoded for a query string value.
pub fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The path of a rep's visits, of a window.
pub fn rep_href(rep: &str, window_query: &str) -> String {
    format!("/admin/visits?rep={}&{window_query}", query_value(rep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_is_escaped_in_tables_and_links() {
        let mut out = String::new();
        table(
            &mut out,
            "t",
            &["資材 <b>"],
            &[vec![
                Cell::text("<script>alert('x')</script>"),
                Cell::text("佐藤 & \"鈴木\""),
                Cell::link("/admin/visit/1?a=1&b=\"", "<i>"),
            ]],
        );
        assert!(!out.contains("<script>") && !out.contains("<b>") && !out.contains("<i>"));
        assert!(out.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(out.contains("佐藤 &amp; &quot;鈴木&quot;"));
        assert!(out.contains("<a href=\"/admin/visit/1?a=1&amp;b=&quot;\">&lt;i&gt;</a>"));
    }

    #[test]
    fn findings_read_in_the_pages_language_with_their_points() {
        let reasons = [
            Reason {
                code: "verified_tap".into(),
                points: 23,
            },
            Reason {
                code: "duplicate_notes".into(),
                points: -15,
            },
        ];
        assert_eq!(
            reasons_line(&reasons, Lang::Ja),
            "メモの流用 −15、検証済みタップ +23"
        );
        assert_eq!(
            reasons_line(&reasons, Lang::En),
            "Copied notes −15, Verified tap +23"
        );
        assert_eq!(code_name("unheard_of", Lang::Ja), "unheard_of");
        assert_eq!(
            rep_href("T001-REP 1", "from=x"),
            "/admin/visits?rep=T001-REP%201&from=x"
        );
    }
}
