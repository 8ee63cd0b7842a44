//! Requests for online services waiting in the demo practice's queue, one of
//! each kind staff meet: a match on the register, no match, an email that
//! already has an account, a child under 16, a request made twice, one a
//! colleague has taken on, and one that expired.

use crate::demo::patients::demo_patients;
use crate::ServerError;
use app::api::access_requests::{read_request, RequestForm};
use chrono::{DateTime, TimeDelta, Utc};
use domain::access_request::AccessRequest;
use domain::{LoginId, PracticeId};
use storage::audit::NewAudit;
use storage::Store;

/// A demo request: the patient it copies (by index in the register, or none
/// for someone not on it), the email given, how many times it was sent and
/// how many days ago.
struct DemoRequest {
    patient: Option<usize>,
    email: &'static str,
    times: u32,
    days_ago: i64,
}

const REQUESTS: [DemoRequest; 7] = [
    // Ben Jones: on the register.
    DemoRequest { patient: Some(21), email: "ben.jones@mail.example", times: 1, days_ago: 2 },
    // Not on the register (a number from the never-issued 999 range).
    DemoRequest { patient: None, email: "priya.shah@mail.example", times: 1, days_ago: 5 },
    // Finn Brown gives the demo patient's address: a family sharing an inbox.
    DemoRequest { patient: Some(15), email: "patient@riverside.example", times: 1, days_ago: 1 },
    // Dev Smith, aged 13: staff judge Gillick competence.
    DemoRequest { patient: Some(43), email: "dev.smith@mail.example", times: 1, days_ago: 3 },
    // Grace Jones asked twice; the second merged into the first.
    DemoRequest { patient: Some(26), email: "grace.jones@mail.example", times: 2, days_ago: 8 },
    // Hassan Brown's is in progress.
    DemoRequest { patient: Some(17), email: "hassan.brown@mail.example", times: 1, days_ago: 10 },
    // Nobody handled Jack Nowak's in time.
    DemoRequest { patient: Some(39), email: "jack.nowak@mail.example", times: 1, days_ago: 120 },
];

/// Index in [`REQUESTS`] of the one a colleague has taken on.
const TAKEN: usize = 5;

pub async fn ensure(store: &Store, practice: PracticeId, by: LoginId, now: DateTime<Utc>) -> Result<(), ServerError> {
    if store.has_access_requests(practice).await? {
        return Ok(());
    }
    let register = demo_patients();
    for (i, demo) in REQUESTS.iter().enumerate() {
        let request = match demo.patient.and_then(|n| register.get(n)) {
            Some(p) => fields_of(
                &p.given_name,
                &p.family_name,
                &domain::time::typed_date(p.date_of_birth),
                p.sex,
                &p.postcode,
                p.identifier.as_str(),
                demo.email,
            ),
            None => fields_of("Priya", "Shah", "02/06/1987", "female", "AB1 9ZZ", "9999001009", demo.email),
        }?;
        let at = now - TimeDelta::days(demo.days_ago);
        let audit = NewAudit::by_the_system(practice, "demo_data", "a demo request for online services", at);
        let mut id = 0;
        for _ in 0..demo.times {
            id = store.submit_access_request(practice, &request, None, &audit, at).await?;
        }
        if i == TAKEN {
            let audit = NewAudit::by_the_system(practice, "demo_data", "a demo request taken on", now);
            store.take_access_request(practice, id, by, &audit).await?;
        }
    }
    // The old one expires as it would have.
    store.expire_access_requests(now).await?;
    Ok(())
}

fn fields_of(
    given_name: &str,
    family_name: &str,
    date_of_birth: &str,
    sex: &str,
    postcode: &str,
    identifier: &str,
    email: &str,
) -> Result<AccessRequest, ServerError> {
    let form = RequestForm {
        given_name: given_name.into(),
        family_name: family_name.into(),
        date_of_birth: date_of_birth.into(),
        sex: sex.into(),
        postcode: postcode.into(),
        identifier_kind: "nhs".into(),
        identifier: identifier.into(),
        email: email.into(),
        mobile: String::new(),
    };
    read_request(&form, None).map_err(|problem| ServerError::Refused(format!("a demo request is not valid: {problem}")))
}
