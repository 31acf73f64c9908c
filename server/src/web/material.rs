//! The material a view link names, as the landing page may show it now: still approved and valid today, with
//! its file stored on the server; and how the page embeds it (PDF, video, image).

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{html::escape, lang::Lang, WebState};
use crate::{
    content::ContentHash,
    store::{transact, Access},
    ServerError,
};

/// What the file is, from its first bytes (the master data does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Mp4,
    Png,
    Jpeg,
    Other,
}

impl Kind {
    /// Recognises a file by its signature.
    pub fn sniff(head: &[u8]) -> Kind {
        if head.starts_with(b"%PDF-") {
            Kind::Pdf
        } else if head.get(4..8) == Some(b"ftyp") {
            Kind::Mp4
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Kind::Png
        } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
            Kind::Jpeg
        } else {
            Kind::Other
        }
    }

    /// The `Content-Type` the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Mp4 => "video/mp4",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Other => "application/octet-stream",
        }
    }
}

/// Whether the material may be shown now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Current {
    Showable {
        title: String,
        approval_code: String,
        valid_until: NaiveDate,
        sha256: String,
        kind: Kind,
    },
    Withdrawn,
    Expired,
    /// Approved and valid, but its file has not been added to the server yet.
    NotStored,
}

struct Row {
    title: String,
    approval_code: String,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    approved: bool,
    sha256: String,
}

/// The state of `material` version `version` today (in the cards' market time zone).
pub fn current(web: &WebState, material: &str, version: u32) -> Result<Current, ServerError> {
    let row: Option<Row> = web.desk.store().read(|conn| -> Result<_, mrc_core::StoreError> {
        Ok(conn
            .query_row(
                "SELECT title, approval_code, valid_from, valid_until, status, sha256 FROM materials
             WHERE id = ?1 AND version = ?2",
                (material, version),
                |r| {
                    Ok(Row {
                        title: r.get(0)?,
                        approval_code: r.get(1)?,
                        valid_from: r.get::<_, String>(2)?.parse().ok(),
                        valid_until: r.get::<_, String>(3)?.parse().ok(),
                        approved: r.get::<_, String>(4)? == "approved",
                        sha256: r.get(5)?,
                    })
                },
            )
            .optional()?)
    })?;
    let Some(row) = row else {
        return Ok(Current::Withdrawn);
    };
    if !row.approved {
        return Ok(Current::Withdrawn);
    }
    let today = mrc_core::local_time::local_day(&web.clock.now(), web.zone);
    let (Some(from), Some(until)) = (row.valid_from, row.valid_until) else {
        return Ok(Current::Expired);
    };
    if today < from || until < today {
        return Ok(Current::Expired);
    }
    let Some(hash) = ContentHash::parse(&row.sha256) else {
        return Ok(Current::NotStored);
    };
    let head = transact(&*web.store, Access::Read, |tx| {
        if tx.content_size(&hash)?.is_none() {
            return Ok(None);
        }
        Ok(tx.content_range(&hash, 0, 16)?)
    })?;
    let Some(head) = head else {
        return Ok(Current::NotStored);
    };
    Ok(Current::Showable {
        title: row.title,
        approval_code: row.approval_code,
        valid_until: until,
        sha256: row.sha256,
        kind: Kind::sniff(&head),
    })
}

/// The HTML that shows the file at `src` in the page, with a link to open it on its own.
pub fn viewer(kind: Kind, src: &str, lang: Lang) -> String {
    let src = escape(src);
    let open = escape(lang.pick("資材を開く", "Open the material"));
    let embed = match kind {
        Kind::Pdf => format!(
            "<object class=\"viewer\" data=\"{src}\" type=\"application/pdf\"><p><a href=\"{src}\">{open}</a></p></object>"
        ),
        Kind::Mp4 => format!("<video class=\"viewer\" src=\"{src}\" controls preload=\"metadata\"></video>"),
        Kind::Png | Kind::Jpeg => format!("<img class=\"viewer\" src=\"{src}\" alt=\"\">"),
        Kind::Other => String::new(),
    };
    format!("{embed}<p class=\"open\"><a href=\"{src}\">{open}</a></p>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_signature() {
        assert_eq!(Kind::sniff(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(Kind::sniff(b"\0\0\0\x18ftypmp42"), Kind::Mp4);
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Kind::Png);
        assert_eq!(Kind::sniff(&[0xff, 0xd8, 0xff, 0xe0]), Kind::Jpeg);
        assert_eq!(Kind::sniff(b"<html>"), Kind::Other);
        assert_eq!(Kind::sniff(b""), Kind::Other);
    }

    #[test]
    fn the_viewer_escapes_its_link() {
        let html = viewer(Kind::Pdf, "/v/a\"b/content", Lang::Ja);
        assert!(html.contains("data=\"/v/a&quot;b/content\""));
        assert!(html.contains("資材を開く"));
    }
}
