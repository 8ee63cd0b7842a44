//! Demo families acting for each other: a parent with two children (one
//! under 11, one turning 13 within 30 days of the first run), an adult son
//! ordering his father's repeats, and a carer who reads the second demo
//! patient's record and nothing else. Each proxy signs in as a patient of
//! their own. Only on the first run.

use crate::ServerError;
use app::server::secrets::hash_password;
use chrono::{DateTime, Months, TimeDelta, Utc};
use domain::prescriptions::london_today;
use domain::proxy::{GrantStatus, LegalBasis, ProxyServices, Relationship};
use domain::services::RecordLevel;
use domain::{Email, LoginId, NhsNumber, PatientId, PatientIdentifier, PracticeId};
use storage::audit::NewAudit;
use storage::patients::NewPatient;
use storage::prescriptions::NewRepeatItem;
use storage::proxies::NewGrant;
use storage::Store;

/// The proxies' sign-ins, as README lists them: (email, password, the demo
/// patient they are, by name). Patients no other browser test changes (the
/// online accounts test gives Chloe Jones and Grace Nowak accounts of their own).
pub const DEMO_PROXIES: [(&str, &str, &str); 3] = [
    ("parent@riverside.example", "demo-parent-1", "Dev Jones"),
    ("son@riverside.example", "demo-son-1", "Ben Nowak"),
    ("carer@riverside.example", "demo-carer-1", "Ella Nowak"),
];

/// The two children: name, NHS number, and date of birth from the first run's day.
fn children(now: DateTime<Utc>) -> Vec<NewPatient> {
    let today = london_today(now);
    let born = |years: u32, days_on: i64| {
        (today + TimeDelta::days(days_on)).checked_sub_months(Months::new(12 * years)).unwrap_or(today)
    };
    // Eight and a bit; and 13 in 20 days, so their parent's review is near.
    [("Maisie", "female", "9998000009", born(8, -40)), ("Noah", "male", "9998000017", born(13, 20))]
        .into_iter()
        .filter_map(|(given, sex, number, date_of_birth)| {
            Some(NewPatient {
                identifier: PatientIdentifier::Nhs(NhsNumber::parse(number).ok()?),
                given_name: given.to_owned(),
                family_name: "Jones".to_owned(),
                date_of_birth,
                sex,
                address: "23 River Lane, Riverside".to_owned(),
                postcode: "AB1 6CD".to_owned(),
                email: None,
                mobile: None,
                registered_on: Some(date_of_birth),
            })
        })
        .collect()
}

/// The id of the demo patient with this name.
async fn patient_named(store: &Store, practice: PracticeId, name: &str) -> Result<Option<PatientId>, ServerError> {
    Ok(super::register::patient_named(store, practice, name).await?.map(|row| PatientId(row.id)))
}

pub async fn ensure(
    store: &Store,
    practice: PracticeId,
    admin: LoginId,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    if store.login_by_email(DEMO_PROXIES[0].0).await?.is_some() {
        return Ok(());
    }
    store.ensure_patients(practice, &children(now), now).await?;
    for (email, password, name) in DEMO_PROXIES {
        let Some(row) = super::register::patient_named(store, practice, name).await? else { continue };
        let email = Email::parse(email).map_err(|e| ServerError::Refused(e.to_string()))?;
        let hash = hash_password(password.to_owned()).await.map_err(|e| ServerError::Refused(e.to_string()))?;
        store.ensure_patient_login(practice, &row.identifier, &email, &hash, now).await?;
    }
    let today = london_today(now);
    let everything =
        ProxyServices { appointments: true, prescriptions: true, messages: true, record: RecordLevel::Full };
    let grants = [
        ("Maisie Jones", 0, Relationship::ParentOrGuardian, LegalBasis::ParentalResponsibility, everything),
        ("Noah Jones", 0, Relationship::ParentOrGuardian, LegalBasis::ParentalResponsibility, everything),
        (
            "Ben Brown",
            1,
            Relationship::Other,
            LegalBasis::PatientConsent,
            ProxyServices { appointments: true, prescriptions: true, ..ProxyServices::NONE },
        ),
        (
            "Chloe Ahmed",
            2,
            Relationship::Carer,
            LegalBasis::PatientConsent,
            ProxyServices { record: RecordLevel::DetailedCoded, ..ProxyServices::NONE },
        ),
    ];
    for (subject, proxy, relationship, basis, services) in grants {
        let Some(subject) = patient_named(store, practice, subject).await? else { continue };
        let (email, _, name) = DEMO_PROXIES[proxy];
        let new = NewGrant {
            practice,
            subject,
            proxy_email: email,
            proxy_name: name,
            relationship,
            basis,
            services,
            starts_on: today - TimeDelta::days(200),
            ends_on: None,
            status: GrantStatus::Active,
            by_staff: true,
            created_by: admin,
            verified_how: Some("Identity and relationship checked at the desk (demo data)"),
            clinician_note: None,
            now,
        };
        let audit = NewAudit::by_the_system(practice, "proxy_access_granted", "demo data", now);
        store.add_proxy_grant(&new, &audit).await?;
    }
    fathers_repeats(store, practice, now).await
}

/// The father's repeat medicines, for his son to order.
async fn fathers_repeats(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let Some(father) = patient_named(store, practice, "Ben Brown").await? else { return Ok(()) };
    let today = london_today(now);
    for (medicine, strength, dosage, issued_days_ago) in [
        ("Bendroflumethiazide", "2.5mg", "One tablet each morning", 24),
        ("Tamsulosin", "400 micrograms", "One capsule at night", 26),
    ] {
        let new = NewRepeatItem {
            practice,
            patient: father,
            source_id: None,
            medicine,
            form: if medicine == "Tamsulosin" { "capsules" } else { "tablets" },
            strength,
            dosage,
            quantity: 28,
            unit: if medicine == "Tamsulosin" { "capsule" } else { "tablet" },
            days_of_supply: 28,
            issues_authorised: Some(12),
            issues_issued: 4,
            last_issued_on: Some(today - TimeDelta::days(issued_days_ago)),
            review_on: Some(today + TimeDelta::days(150)),
            authorised_until: Some(today + TimeDelta::days(300)),
            orderable_online: true,
            not_orderable_reason: None,
            hidden_reason: None,
        };
        let audit = NewAudit::by_the_system(practice, "repeat_item_added", "demo data", now);
        store.add_repeat_item(&new, &audit).await?;
    }
    Ok(())
}
