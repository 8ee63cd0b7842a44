use crate::ServerError;
use chrono::{DateTime, Utc};
use domain::{OdsCode, PracticeId, PracticeName};
use storage::practices::NewPractice;
use storage::Store;

pub const DEMO_ODS_CODE: &str = "Y12345";

/// The demo practice, created when missing. Returns it and whether it was new.
pub async fn ensure(store: &Store, now: DateTime<Utc>) -> Result<(PracticeId, bool), ServerError> {
    let ods = OdsCode::parse(DEMO_ODS_CODE).map_err(|e| ServerError::Refused(e.to_string()))?;
    if let Some(row) = store.practice_by_ods(&ods).await? {
        if !row.is_demo {
            return Err(ServerError::Refused(format!("{DEMO_ODS_CODE} is a real practice here")));
        }
        return Ok((PracticeId(row.id), false));
    }
    let practice = NewPractice {
        ods_code: ods,
        name: PracticeName::parse("Riverside Medical Practice").map_err(|e| ServerError::Refused(e.to_string()))?,
        address: "1 River Lane, Anytown, AB1 2CD".into(),
        // 01632 960xxx is reserved by Ofcom for drama: it rings nobody.
        phone: "01632 960 000".into(),
        website: Some("https://riverside.example".into()),
        online_services_enabled: true,
        is_demo: true,
    };
    Ok((store.insert_practice(&practice, now).await?, true))
}
