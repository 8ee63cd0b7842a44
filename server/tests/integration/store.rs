//! The storage seam behaves the same on both engines.

use crate::common;
use chrono::{TimeZone, Utc};
use common::TestDb;
use domain::{OdsCode, PracticeName};
use storage::practices::NewPractice;
use storage::Store;

fn practice(code: &str) -> NewPractice {
    NewPractice {
        ods_code: OdsCode::parse(code).unwrap(),
        name: PracticeName::parse(&format!("Practice {code}")).unwrap(),
        address: String::new(),
        phone: String::new(),
        website: None,
        online_services_enabled: false,
        is_demo: false,
    }
}

on_both_engines! {
    async fn an_instant_reads_back_exactly_to_the_millisecond(engine: Engine) {
        let db = TestDb::new(engine).await;
        let store = Store::open(&db.url).await.unwrap();
        // Just after the spring clock change in London, to the millisecond.
        let instant = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap() + chrono::TimeDelta::milliseconds(123);
        let id = store.insert_practice(&practice("A00001"), instant).await.unwrap();
        let row = store.practice(id).await.unwrap().unwrap();
        assert_eq!(row.created_at.0, instant);
        store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn many_concurrent_writers_all_commit_and_a_duplicate_is_refused(engine: Engine) {
        let db = TestDb::new(engine).await;
        let store = Store::open(&db.url).await.unwrap();
        let now = common::start_instant();
        let writes = (0..100).map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.insert_practice(&practice(&format!("B{:05}", n)), now).await })
        });
        for write in writes {
            write.await.unwrap().expect("every distinct practice is written");
        }
        assert_eq!(store.count_practices(false).await.unwrap(), 100);
        let duplicate = store.insert_practice(&practice("B00007"), now).await.unwrap_err();
        assert!(duplicate.is_conflict_on("practice", "ods_code"), "{duplicate:?}");
        assert_eq!(store.count_practices(false).await.unwrap(), 100);
        store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn reopening_a_database_applies_no_migration_twice(engine: Engine) {
        let db = TestDb::new(engine).await;
        let store = Store::open(&db.url).await.unwrap();
        store.insert_practice(&practice("C00001"), common::start_instant()).await.unwrap();
        store.close().await;
        let again = Store::open(&db.url).await.unwrap();
        assert_eq!(again.count_practices(false).await.unwrap(), 1);
        again.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused_with_a_clear_message() {
    let error = Store::open("mysql://localhost/gp").await.err().expect("refused");
    assert!(error.to_string().contains("sqlite: or postgres://"), "{error}");
}
