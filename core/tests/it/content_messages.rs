//! The user-visible shape of the content step: each per-file failure's message and the report as JSON
//! (what `mrc sync --json` prints under `content`).

use mrc_core::content::{ContentFailure, ContentReport, FailureReason};

#[test]
fn content_report_and_failure_messages() {
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let reasons = [
        FailureReason::HashMismatch {
            actual: "0".repeat(64),
        },
        FailureReason::SizeMismatch {
            expected: 4,
            server: 5,
        },
        FailureReason::NotOnServer,
        FailureReason::Protocol {
            detail: "status 302".into(),
        },
    ];
    let messages: Vec<String> = reasons.iter().map(ToString::to_string).collect();
    let report = ContentReport {
        wanted: 5,
        present: 1,
        downloaded: 1,
        resumed: 1,
        bytes: 2_500_000,
        removed: 2,
        failed: reasons
            .into_iter()
            .map(|reason| ContentFailure {
                sha256: sha.into(),
                reason,
            })
            .collect(),
    };
    insta::assert_yaml_snapshot!("content_failure_messages", messages);
    insta::assert_yaml_snapshot!("content_report", report);
}
