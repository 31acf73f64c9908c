//! CSV exports of the head-office view: UTF-8 with a byte-order mark (so spreadsheet software reads the
//! Japanese correctly), RFC 4180 quoting, and formulas neutralised (a cell never starts with `=`, `+`, `-`, `@`).

use super::report::{MaterialRow, Report};

fn cell(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Engagement per material version.
pub fn engagement(report: &Report) -> String {
    csv(
        &[
            "material",
            "version",
            "title",
            "app_taps",
            "web_taps",
            "verified",
            "unverified",
            "web_opens",
        ],
        report.materials.iter().map(MaterialRow::cells),
    )
}

/// Taps and opens per material version and week (Monday).
pub fn engagement_weekly(report: &Report) -> String {
    csv(
        &[
            "week",
            "material",
            "version",
            "verified",
            "unverified",
            "web_opens",
        ],
        report.material_weeks.iter().map(|w| {
            vec![
                w.week.to_string(),
                w.material.clone(),
                w.version.to_string(),
                w.verified.to_string(),
                w.unverified.to_string(),
                w.opens.to_string(),
            ]
        }),
    )
}

/// Every visit with its reliability score and codes.
pub fn visits(report: &Report) -> String {
    csv(
        &[
            "visit_id",
            "rep_id",
            "rep_name",
            "date",
            "score",
            "codes",
            "status",
            "needs_review",
            "amendments",
        ],
        report.visits.iter().map(|v| {
            vec![
                v.id.clone(),
                v.rep_id.clone(),
                v.rep_name.clone(),
                v.date.map(|d| d.to_string()).unwrap_or_default(),
                v.score.to_string(),
                v.codes.join(" "),
                v.status.to_owned(),
                v.needs_review.to_string(),
                v.amendments.to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("佐藤 花子"), "佐藤 花子");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        let out = csv(&["a", "b"], vec![vec!["1".into(), "資材".into()]].into_iter());
        assert_eq!(out, "\u{feff}a,b\r\n1,資材\r\n");
    }
}
