//! A sync tells the app which visits it changed: a visit new to the device (pull), another device's edit (the
//! push's reply), and nothing when nothing changed.

use mrc_core::{visit::VisitFields, Store, VisitId};
use mrc_server::{exchange::Direct, Principal, ServerStore};

fn sync(store: &Store, link: &Direct<'_>) -> Vec<VisitId> {
    let mut changed = Vec::new();
    store
        .sync_with(link, &mut |_| {}, &mut |id| changed.push(id))
        .unwrap();
    changed
}

pub fn a_sync_tells_which_visits_it_changed(store: &dyn ServerStore) {
    let dir = tempfile::tempdir().unwrap();
    let clock = crate::support::server_clock();
    let tablet = Store::open_with_clock(dir.path().join("tablet.db"), clock.clone()).unwrap();
    let phone = Store::open_with_clock(dir.path().join("phone.db"), clock.clone()).unwrap();
    let link = Direct {
        store,
        principal: Principal::rep("R1"),
        clock,
    };
    let fields = VisitFields {
        rep_id: Some("R1".into()),
        notes: "佐藤先生は新しいデータに関心。".into(),
        ..VisitFields::default()
    };
    let id = tablet.create_visit(&fields).unwrap();
    assert_eq!(sync(&tablet, &link), [], "its own push changes nothing here");
    assert_eq!(sync(&phone, &link), [id], "a visit new to the phone");
    // Both edit offline; the phone pushes first, so the tablet's push is answered with the phone's edit.
    phone.splice_notes(id, 0, 0, "【再訪】").unwrap();
    tablet
        .set_notes(id, "佐藤先生は新しいデータに関心。次回は用量。")
        .unwrap();
    assert_eq!(sync(&phone, &link), []);
    assert_eq!(
        sync(&tablet, &link),
        [id],
        "the phone's edit arrived with the reply"
    );
    assert_eq!(sync(&phone, &link), [id], "the tablet's edit arrived");
    assert_eq!(sync(&phone, &link), [], "nothing changed since");
    assert_eq!(
        tablet.get_visit(id).unwrap().fields.notes,
        phone.get_visit(id).unwrap().fields.notes
    );
}
