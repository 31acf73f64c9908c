//! The server's contract suite: every `ServerStore` (SQLite always; PostgreSQL when `MRC_TEST_POSTGRES_URL` is set,
//! and necessarily when `MRC_REQUIRE_POSTGRES=1`) passes the same cases, at the exchange level and over HTTP.
//! Without PostgreSQL its cases are reported as ignored (`server/build.rs`), never as passed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap in a test is a failed test

// Defined before the modules, so they see it in textual scope.
/// Declares one `#[test]` per case, each on a fresh store from `$fresh() -> Option<Fresh>` (None = skip), with the
/// attribute given after it (the PostgreSQL half is `ignore`d when PostgreSQL is not configured; SQLite passes one
/// that never applies).
macro_rules! contract_suite {
    ($fresh:path, #[$attr:meta]) => {
        contract_suite!(@store $fresh, #[$attr];
            new_visit_is_stored_and_a_replay_changes_nothing,
            the_server_returns_what_the_device_lacks,
            changes_on_unknown_heads_get_send_full_and_store_nothing,
            another_reps_visit_can_be_neither_read_nor_written,
            a_visit_cannot_be_handed_to_another_rep,
            a_manager_reads_the_team_and_writes_only_comments,
            a_manager_adds_comments_to_the_teams_visits,
            a_manager_push_with_anything_but_new_manager_comments_is_refused,
            a_rep_comments_as_the_rep_and_never_rewrites_comments,
            events_are_stored_once,
            the_feed_follows_the_cursor,
            master_data_and_rules_go_out_when_newer,
            pull_gives_changes_after_have_in_pages,
            pull_pages_stop_near_a_megabyte,
            cached_pulls_answer_as_the_stored_documents,
            documents_are_compacted,
            cached_documents_follow_the_stored_heads,
            a_visit_written_after_the_merge_is_merged_again,
            a_new_visit_created_meanwhile_elsewhere_is_merged_into,
            limits_and_malformed_visits_refuse_the_whole_request,
            tokens_are_stored_hashed,
            head_office_tokens_name_no_rep_and_read_no_visit,
            unknown_shared_state_is_reconciled_with_sync_messages,
            a_sync_tells_which_visits_it_changed,
            tokens_are_listed_revoked_and_expire_and_every_admin_action_is_logged,
            content_is_stored_once_by_hash_and_read_by_range,
            content_is_added_only_as_the_master_data_says,
            content_nothing_current_references_is_pruned,
            stored_verdicts_equal_a_full_replay,
            insights_are_kept_with_the_verdicts_and_counted,
        );
        contract_suite!(@http $fresh, #[$attr]; statuses, a_body_over_the_limit_is_refused_while_streaming, replay_and_scope_over_http,
            content_by_range_over_http, tokens_rotate_without_locking_anyone_out);

        #[test]
        #[$attr]
        fn the_authorization_matrix_holds() {
            let Some(fresh) = $fresh() else { return };
            crate::authz::the_authorization_matrix_holds(&fresh);
        }

        #[test]
        #[$attr]
        fn two_servers_share_the_verdict_queue() {
            let Some(fresh) = $fresh() else { return };
            crate::cases::two_servers_share_the_verdict_queue(fresh.store.clone(), (fresh.second)());
        }

        #[test]
        #[$attr]
        fn a_server_restored_from_a_backup_before_any_visit_loses_nothing() {
            let Some(fresh) = $fresh() else { return };
            crate::restore::a_restored_server_loses_nothing(&fresh, crate::restore::BackupPoint::BeforeAnyVisit, false);
        }

        #[test]
        #[$attr]
        fn a_server_restored_from_a_backup_after_visit_a_loses_nothing() {
            let Some(fresh) = $fresh() else { return };
            crate::restore::a_restored_server_loses_nothing(&fresh, crate::restore::BackupPoint::AfterVisitA, false);
        }

        #[test]
        #[$attr]
        fn a_restored_server_written_past_the_old_cursors_loses_nothing() {
            let Some(fresh) = $fresh() else { return };
            crate::restore::a_restored_server_loses_nothing(&fresh, crate::restore::BackupPoint::AfterVisitA, true);
        }

        #[test]
        #[$attr]
        fn a_first_sync_cut_mid_way_resumes_and_ends_identical() {
            let Some(fresh) = $fresh() else { return };
            crate::first_sync::a_first_sync_cut_mid_way_resumes_and_ends_identical(&fresh);
        }

        #[test]
        #[$attr]
        fn concurrent_servers_converge() {
            let Some(fresh) = $fresh() else { return };
            crate::cases::concurrent_servers_converge(fresh.store.clone(), (fresh.second)());
        }
    };
    (@store $fresh:path, #[$attr:meta]; $($case:ident),* $(,)?) => {
        $(
            #[test]
            #[$attr]
            fn $case() {
                let Some(fresh) = $fresh() else { return };
                crate::cases::$case(&*fresh.store);
            }
        )*
    };
    (@http $fresh:path, #[$attr:meta]; $($case:ident),* $(,)?) => {
        $(
            #[test]
            #[$attr]
            fn $case() {
                let Some(fresh) = $fresh() else { return };
                crate::http_cases::$case(&fresh);
            }
        )*
    };
}

mod authz;
mod cases;
mod devices;
mod first_sync;
mod http_cases;
mod http_client;
mod postgres;
mod restore;
mod sqlite;
mod support;
