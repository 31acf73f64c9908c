//! Content cases: files stored once by hash, read by range, added only when the master data vouches for them.

use mrc_server::{
    admin,
    content::{add_material_content, ContentError, ContentHash, VerifiedContent},
    store::{transact, Access},
    ServerStore,
};

/// When the files of these cases are stored (2026-11-20 10:00 JST).
const STORED_AT_MS: i64 = 1_763_600_400_000;

/// A file of a few kilobytes with Japanese text, as a material's content.
pub fn leaflet() -> Vec<u8> {
    "グルコバランス錠 製品情報概要 — 用法・用量、副作用。\n"
        .repeat(120)
        .into_bytes()
}

/// Master data with material M1 version 1 whose file is `file` (`size` as given).
pub fn master_with_material(file: &[u8], size: u64) -> String {
    let sha = ContentHash::of(file);
    format!(
        r#"{{"products":[{{"id":"P1","name":"グルコバランス錠"}}],
            "materials":[{{"id":"M1","version":1,"title":"製品情報概要","product_id":"P1",
            "approval_code":"GB-2026-001","valid_from":"2026-01-01","valid_until":"2027-12-31",
            "status":"approved","sha256":"{sha}","size":{size}}}]}}"#
    )
}

pub fn content_is_stored_once_by_hash_and_read_by_range(store: &dyn ServerStore) {
    let file = leaflet();
    let content = VerifiedContent::new(file.clone());
    let hash = content.hash();
    let put = |store: &dyn ServerStore| transact(store, Access::Write, |tx| Ok(tx.put_content(&content, 1)?));
    assert!(put(store).unwrap(), "new");
    assert!(!put(store).unwrap(), "idempotent");
    transact(store, Access::Read, |tx| {
        assert_eq!(tx.content_size(&hash)?, Some(file.len() as u64));
        assert_eq!(tx.content_range(&hash, 0, file.len() as u64)?, Some(file.clone()));
        assert_eq!(tx.content_range(&hash, 10, 20)?, Some(file[10..30].to_vec()));
        let tail = file.len() as u64 - 5;
        assert_eq!(
            tx.content_range(&hash, tail, 100)?,
            Some(file[file.len() - 5..].to_vec())
        );
        assert_eq!(tx.content_range(&hash, file.len() as u64, 10)?, Some(Vec::new()));
        let unknown = ContentHash::of(b"unknown");
        assert_eq!(tx.content_size(&unknown)?, None);
        assert_eq!(tx.content_range(&unknown, 0, 10)?, None);
        Ok(())
    })
    .unwrap();
    // Bytes under another file's hash never reach the store.
    assert!(matches!(
        VerifiedContent::expect(hash, b"tampered".to_vec()),
        Err(ContentError::HashMismatch { .. })
    ));
}

pub fn content_is_added_only_as_the_master_data_says(store: &dyn ServerStore) {
    let file = leaflet();
    assert!(matches!(
        add_material_content(store, "M1", 1, file.clone(), STORED_AT_MS),
        Err(ContentError::NoMasterData)
    ));
    admin::import_master(store, &master_with_material(&file, file.len() as u64)).unwrap();
    assert!(matches!(
        add_material_content(store, "M1", 2, file.clone(), STORED_AT_MS),
        Err(ContentError::UnknownMaterial { ref id, version: 2 }) if id == "M1"
    ));
    assert!(matches!(
        add_material_content(store, "M9", 1, file.clone(), STORED_AT_MS),
        Err(ContentError::UnknownMaterial { .. })
    ));
    let mut other = file.clone();
    other[0] ^= 1;
    assert!(matches!(
        add_material_content(store, "M1", 1, other, STORED_AT_MS),
        Err(ContentError::HashMismatch { .. })
    ));
    let added = add_material_content(store, "M1", 1, file.clone(), STORED_AT_MS).unwrap();
    assert_eq!(
        (added.sha256.as_str(), added.size, added.new),
        (
            ContentHash::of(&file).to_string().as_str(),
            file.len() as u64,
            true
        )
    );
    assert!(
        !add_material_content(store, "M1", 1, file.clone(), STORED_AT_MS)
            .unwrap()
            .new
    );

    admin::import_master(store, &master_with_material(&file, 7)).unwrap();
    assert!(matches!(
        add_material_content(store, "M1", 1, file, STORED_AT_MS),
        Err(ContentError::SizeMismatch { expected: 7, .. })
    ));
}

pub fn content_nothing_current_references_is_pruned(store: &dyn ServerStore) {
    use mrc_server::content::prune_content;
    let files: Vec<Vec<u8>> = ["現行版", "撤回版", "期限切れ版", "孤立"]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
    let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
    assert!(matches!(
        prune_content(store, day("2026-11-25")),
        Err(ContentError::NoMasterData)
    ));
    let material = |id: &str, status: &str, until: &str, file: &[u8]| {
        format!(
            r#"{{"id":"{id}","version":1,"title":"資料","product_id":"P1","approval_code":"A-1",
                "valid_from":"2024-01-01","valid_until":"{until}","status":"{status}",
                "sha256":"{}","size":{}}}"#,
            ContentHash::of(file),
            file.len()
        )
    };
    let master = format!(
        r#"{{"products":[{{"id":"P1","name":"グルコバランス錠"}}],"materials":[{},{},{},{}]}}"#,
        material("M1", "approved", "2027-12-31", &files[0]),
        material("M2", "withdrawn", "2027-12-31", &files[1]),
        material("M3", "approved", "2025-12-31", &files[2]),
        // Withdrawn, but the same bytes as M1: M1 keeps the file.
        material("M4", "withdrawn", "2027-12-31", &files[0]),
    );
    admin::import_master(store, &master).unwrap();
    for file in &files {
        let content = VerifiedContent::new(file.clone());
        transact(store, Access::Write, |tx| Ok(tx.put_content(&content, 1)?)).unwrap();
    }
    let pruned = prune_content(store, day("2026-11-25")).unwrap();
    assert_eq!((pruned.files, pruned.kept), (3, 1));
    assert_eq!(
        pruned.bytes,
        files[1..].iter().map(|f| f.len() as u64).sum::<u64>()
    );
    transact(store, Access::Read, |tx| {
        assert_eq!(
            tx.content_list()?,
            vec![(ContentHash::of(&files[0]), files[0].len() as u64)]
        );
        Ok(())
    })
    .unwrap();
    assert_eq!(prune_content(store, day("2026-11-25")).unwrap().files, 0);
    // After M1 expires, its file goes too.
    assert_eq!(prune_content(store, day("2028-01-01")).unwrap().files, 1);
}
