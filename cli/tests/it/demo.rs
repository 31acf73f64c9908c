//! `mrc demo` tells its story end to end on a fresh temporary store.

use crate::support::{run, stderr, stdout};

#[test]
fn demo_runs_and_shows_the_merged_note() {
    let out = run(&["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "サンプル地域",
        "Merged",
        "タブレット",
        "スマートフォン",
        "backdate_limit",
        "duplicate_notes",
        "edit_after_submit",
        "\"outcome\":\"open\"",
        "\"outcome\":\"forged\"",
        "信頼性監査",
        "有害事象の可能性「発疹」",
        "未転送の安全性情報 Safety information not forwarded",
        "おすすめ資材 Suggested materials",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
