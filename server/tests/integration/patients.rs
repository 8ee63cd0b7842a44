//! The patient register for staff: search, a patient's page, online services
//! settings and per-patient grants.

use crate::common;
use common::{demo_practice, spawn_app, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::services::{Grants, RecordLevel};
use domain::PatientId;

async fn patient_a(app: &common::TestApp) -> PatientId {
    PatientId(app.store.login_by_email(PATIENT.0).await.unwrap().unwrap().patient_id.unwrap())
}

/// The second demo patient: an online account and the practice's default
/// services (the first demo patient sees her full record's whole history).
async fn patient_with_defaults(app: &common::TestApp) -> PatientId {
    let login = app.store.login_by_email("second.patient@riverside.example").await.unwrap().unwrap();
    PatientId(login.patient_id.unwrap())
}

const SUMMARY_ONLY: &[(&str, &str)] = &[
    ("appointments", "yes"),
    ("prescriptions", "yes"),
    ("messaging", "yes"),
    ("record", "summary"),
    ("record_from", "full_history"),
    ("consent", "yes"),
];

on_both_engines! {
    async fn staff_find_a_patient_by_name_date_of_birth_or_number(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = app.store.patient(demo_practice(&app).await, patient_a(&app).await).await.unwrap().unwrap();
        let number = format!("{} {} {}", &patient.identifier[..3], &patient.identifier[3..6], &patient.identifier[6..]);
        let born = patient.date_of_birth.format("%d/%m/%Y").to_string();
        for q in ["amara ahm", born.as_str(), number.as_str()] {
            let searched = app.post_form("/admin/patients", &[("q", q)], Some(&staff)).await;
            assert_eq!(searched.status().as_u16(), 200, "{q}");
            let page = searched.text().await.unwrap();
            assert!(page.contains("Amara Ahmed") && page.contains(&format!("/admin/patients/{}", patient.id)), "{q} finds her");
            assert!(page.contains(&format!("value=\"{q}\"")), "the search box keeps what was typed");
        }
        let page = app.post_form("/admin/patients", &[("q", "Nobody Here")], Some(&staff)).await.text().await.unwrap();
        assert!(page.contains("No patients match."));

        let bad = app.post_form("/api/admin/patients/search", &[("q", "1234")], Some(&staff)).await;
        assert_eq!(bad.status().as_u16(), 422, "a short number is refused with a message");
        assert!(bad.text().await.unwrap().contains("10 numbers"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_search_by_name_date_of_birth_or_number_never_puts_them_in_an_address(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let searched = app.post_form("/admin/patients", &[("q", "Amara Ahmed")], Some(&staff)).await;
        assert_eq!(searched.status().as_u16(), 200, "answered in place, not redirected to an address with the search");
        assert!(searched.headers().get("location").is_none());
        let page = searched.text().await.unwrap();
        assert!(!page.contains("?q="), "no link or form carries the search in its address");
        assert!(page.contains("method=\"post\" action=\"/admin/patients\""), "the search form posts");
        let by_address = app.client().get(app.url("/api/admin/patients/search?q=Amara+Ahmed")).header("cookie", &staff).send().await.unwrap();
        assert!(by_address.status().as_u16() >= 400, "the search cannot be asked for by address");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patients_page_shows_demographics_account_and_services(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = patient_with_defaults(&app).await;
        let name = app.store.patient(demo_practice(&app).await, id).await.unwrap().unwrap().given_name;
        let (status, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert_eq!(status, 200);
        for text in [name.as_str(), "NHS number", "Active since", "Full record, with free text and documents", "These are the practice"] {
            assert!(page.contains(text), "the page shows {text}");
        }
        let practice = demo_practice(&app).await;
        let search = storage::patients::PatientSearch::Name("Dev Ahmed".into());
        let without = app.store.search_patients(practice, &search, 1).await.unwrap().remove(0);
        let (_, page) = app.get_as(&format!("/admin/patients/{}", without.id), Some(&staff)).await;
        assert!(page.contains("No online account"), "a patient without a login has no account");
        let (status, _) = app.get_as("/admin/patients/999999", Some(&staff)).await;
        assert_eq!(status, 404);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_grant_change_needs_a_reason_when_it_differs_from_the_defaults_and_is_audited(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = patient_with_defaults(&app).await;
        let page = format!("/admin/patients/{id}");
        let id_text = id.to_string();
        let mut fields: Vec<(&str, &str)> = vec![("patient_id", &id_text)];
        fields.extend_from_slice(SUMMARY_ONLY);

        let refused = app.post_form(&page, &fields, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused.text().await.unwrap().contains("Give a reason"));
        assert!(app.store.patient_grants(practice, id).await.unwrap().is_none(), "nothing changed");

        let mut bad_date = fields.clone();
        bad_date.retain(|(k, _)| *k != "record_from");
        bad_date.extend([("record_from", "date"), ("record_from_date", "31/02/2024"), ("reason", "testing")]);
        let refused = app.post_form(&page, &bad_date, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(app.store.patient_grants(practice, id).await.unwrap().is_none(), "nothing changed");

        fields.push(("reason", "Clinician judged full access harmful"));
        let saved = app.post_form(&page, &fields, Some(&staff)).await;
        assert_eq!(saved.status().as_u16(), 303);
        let stored = app.store.patient_grants(practice, id).await.unwrap().expect("grants of her own");
        assert_eq!(stored.grants.record, RecordLevel::Summary);
        assert!(!stored.grants.record_audit);
        assert_eq!(stored.reason, "Clinician judged full access harmful");

        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("patient_grants_changed".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        let events: Vec<_> = events.into_iter().filter(|e| e.object_id.as_deref() == Some(id_text.as_str())).collect();
        assert_eq!(events.len(), 1);
        let detail = events[0].detail.clone().unwrap();
        assert!(detail.contains("before: appointments=yes") && detail.contains("record=full"), "{detail}");
        assert!(detail.contains("after: ") && detail.contains("record=summary from full_history"), "{detail}");
        assert_eq!(events[0].object_id.as_deref(), Some(id_text.as_str()));
        app.stop().await;
    }
}

on_both_engines! {
    async fn practice_admins_change_the_online_services_settings_and_the_defaults_follow(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let before = app.store.online_services_settings(practice).await.unwrap();
        assert_eq!(before.defaults, Grants::DEFAULT_2023, "the 2023 rule until the practice says otherwise");
        assert!(before.self_registration);

        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let bad = app.post_form("/admin/settings/online-services", &[("online_services", "yes"), ("website", "riverside.example"), ("record", "full"), ("record_from", "account_creation")], Some(&admin)).await;
        assert_eq!(bad.status().as_u16(), 422);
        assert_eq!(app.store.online_services_settings(practice).await.unwrap(), before, "nothing changed");

        let mut fields = vec![("online_services", "yes"), ("website", "https://riverside.example"), ("request_expiry_days", "3")];
        fields.extend_from_slice(SUMMARY_ONLY);
        let too_short = app.post_form("/admin/settings/online-services", &fields, Some(&admin)).await;
        assert_eq!(too_short.status().as_u16(), 422);
        assert!(too_short.text().await.unwrap().contains("from 7 to 365"));
        assert_eq!(app.store.online_services_settings(practice).await.unwrap(), before, "nothing changed");
        fields[2] = ("request_expiry_days", "60");
        let saved = app.post_form("/admin/settings/online-services", &fields, Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 303);
        let after = app.store.online_services_settings(practice).await.unwrap();
        assert!(!after.self_registration, "an unticked box switches it off");
        assert_eq!(after.website.as_deref(), Some("https://riverside.example"));
        assert_eq!(after.defaults.record, RecordLevel::Summary);
        assert_eq!(after.request_expiry_days, 60);

        // A patient without grants of their own now shows the new defaults.
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, page) = app.get_as(&format!("/admin/patients/{}", patient_with_defaults(&app).await), Some(&staff)).await;
        assert!(page.contains("Summary record"));

        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("online_services_settings_changed".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        assert_eq!(events.len(), 1);
        assert!(events[0].detail.as_deref().unwrap().contains("self-registration=true"));

        let (status, _) = app.get_as("/admin/settings/online-services", Some(&staff)).await;
        assert_eq!(status, 403, "receptionists do not change the settings");
        app.stop().await;
    }
}

on_both_engines! {
    async fn marking_a_patient_deceased_disables_the_login_ends_sessions_and_stops_their_email_at_once(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let id = patient_a(&app).await;
        let patient_session = app.sign_in(PATIENT.0, PATIENT.1).await;
        app.store.enqueue_mail(&storage::outbox::NewMail {
            practice, to: PATIENT.0.into(), subject: "Waiting".into(), body: "A reminder".into(),
        }, common::start_instant()).await.unwrap();
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let page = format!("/admin/patients/{id}");
        let id_text = id.to_string();

        // Without JavaScript the page's second form says which server function it runs.
        let receptionist = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let refused = app.post_form(&page, &[("_action", "/api/admin/patients/registration"), ("patient_id", &id_text), ("status", "deceased"), ("on", "01/03/2026")], Some(&receptionist)).await;
        assert_eq!(refused.status().as_u16(), 403, "only practice admins record a death");
        let future = app.post_form(&page, &[("_action", "/api/admin/patients/registration"), ("patient_id", &id_text), ("status", "deceased"), ("on", "01/03/2030")], Some(&admin)).await;
        assert_eq!(future.status().as_u16(), 422);
        assert_eq!(app.get_as("/account", Some(&patient_session)).await.0, 200, "nothing changed yet");

        let marked = app.post_form(&page, &[("_action", "/api/admin/patients/registration"), ("patient_id", &id_text), ("status", "deceased"), ("on", "01/03/2026")], Some(&admin)).await;
        assert_eq!(marked.status().as_u16(), 303);
        let row = app.store.patient(practice, id).await.unwrap().unwrap();
        assert_eq!(row.registration_status, "deceased");
        assert_eq!(row.deceased_on, chrono::NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(row.login_disabled, Some(true));
        assert_eq!(app.get_as("/account", Some(&patient_session)).await.0, 401, "their session ended");
        let again = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert_eq!(again.status().as_u16(), 422, "the login is disabled");
        let mail = app.store.outbox_of_practice(practice, 50).await.unwrap();
        let waiting = mail.iter().find(|m| m.subject == "Waiting").unwrap();
        assert!(waiting.abandoned_at.is_some() && waiting.sent_at.is_none(), "email to them stops");

        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("patient_registration_changed".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].detail.as_deref(), Some("registered -> deceased on 2026-03-01"));
        app.stop().await;
    }
}

const REGISTER_HEADER: &str =
    "identifier_type,identifier,given_name,family_name,date_of_birth,sex,address,postcode,email,mobile";

async fn post_register(app: &common::TestApp, session: &str, csv: String, mode: &'static str) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("_action", "/api/admin/patients/import")
        .part("csv", reqwest::multipart::Part::text(csv).file_name("register.csv").mime_str("text/csv").unwrap())
        .text("mode", mode);
    let response = app
        .client()
        .post(app.url("/admin/patients/import"))
        .header("origin", &app.base)
        .header("cookie", session)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

on_both_engines! {
    async fn a_register_file_with_bad_lines_changes_nothing_and_names_every_bad_line(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let before = app.store.count_patients(practice).await.unwrap();
        let existing = app.store.patient(practice, patient_a(&app).await).await.unwrap().unwrap().identifier;
        let bad = format!(
            "{REGISTER_HEADER}\n\
             nhs,943 476 5919,Nina,New,01/02/1990,female,,,,\n\
             nhs,943 476 5918,Bad,Number,01/02/1990,female,,,,\n\
             chi,3102401234,Bad,Date,01/02/1990,male,,,,\n\
             nhs,943 476 5919,Dup,Licate,01/02/1990,male,,,,\n"
        );
        for mode in ["check", "import"] {
            let (status, page) = post_register(&app, &admin, bad.clone(), mode).await;
            assert_eq!(status, 200, "{mode}");
            for line in ["Line 3:", "Line 4:", "Line 5:"] {
                assert!(page.contains(line), "{mode} reports {line}");
            }
            assert!(!page.contains("Line 2:"), "the good line is not reported");
            assert!(page.contains("Nothing was imported"));
            assert_eq!(app.store.count_patients(practice).await.unwrap(), before, "{mode} changed nothing");
        }

        // A patient already registered refuses the whole file, by line.
        let clash = format!("{REGISTER_HEADER}\nnhs,943 476 5919,Nina,New,01/02/1990,female,,,,\nnhs,{existing},Amara,Again,15/01/1940,female,,,,\n");
        let (_, page) = post_register(&app, &admin, clash, "import").await;
        assert!(page.contains("Line 3:") && page.contains("already registered"));
        assert_eq!(app.store.count_patients(practice).await.unwrap(), before);

        // A good file: the check changes nothing, the import adds every patient in one go, audited.
        let good = format!(
            "{REGISTER_HEADER}\nnhs,943 476 5919,Nina,New,01/02/1990,female,\"2 Mill Road, Riverside\",AB1 9ZZ,nina@example.org,07700 900999\n\
             chi,1501401238,Ian,Scott,1940-01-15,male,,,,\n"
        );
        let (_, page) = post_register(&app, &admin, good.clone(), "check").await;
        assert!(page.contains("2 patients to import"), "{page}");
        assert_eq!(app.store.count_patients(practice).await.unwrap(), before);
        let (_, page) = post_register(&app, &admin, good, "import").await;
        assert!(page.contains("2 patients imported"));
        assert_eq!(app.store.count_patients(practice).await.unwrap(), before + 2);
        let found = app.store.search_patients(practice, &storage::patients::PatientSearch::Identifier("1501401238".into()), 5).await.unwrap();
        assert_eq!(found[0].identifier_kind, "chi");
        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("patients_imported".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        assert_eq!(events.len(), 1);

        let receptionist = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (status, _) = post_register(&app, &receptionist, format!("{REGISTER_HEADER}\n"), "check").await;
        assert_eq!(status, 403, "only practice admins import");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_receptionist_changes_contact_details_with_checks_and_an_audit_record(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = patient_a(&app).await;
        let id_text = id.to_string();
        let page = format!("/admin/patients/{id}");
        let before = app.store.patient(practice, id).await.unwrap().unwrap();
        let contact = |mobile: &'static str, sms: bool| {
            let mut fields = vec![("_action", "/api/admin/patients/contact"), ("patient_id", id_text.as_str()), ("email", "amara@new.example"), ("mobile", mobile), ("contact_by_email", "yes")];
            if sms {
                fields.push(("contact_by_sms", "yes"));
            }
            fields
        };
        let refused = app.post_form(&page, &contact("0123", true), Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused.text().await.unwrap().contains("UK mobile number"));
        assert_eq!(app.store.patient(practice, id).await.unwrap().unwrap().email, before.email, "nothing changed");
        let refused = app.post_form(&page, &contact("", true), Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422, "texts need a mobile number");

        let saved = app.post_form(&page, &contact("+44 7700 900123", true), Some(&staff)).await;
        assert_eq!(saved.status().as_u16(), 303);
        let after = app.store.patient(practice, id).await.unwrap().unwrap();
        assert_eq!(after.email.as_deref(), Some("amara@new.example"));
        assert_eq!(after.mobile.as_deref(), Some("07700 900123"));
        assert!(after.contact_by_sms);
        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("patient_contact_changed".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        assert!(events[0].detail.as_deref().unwrap().contains("after: email=amara@new.example, mobile=07700 900123"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_corrects_a_patients_details_and_a_receptionist_cannot(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let id = patient_a(&app).await;
        let id_text = id.to_string();
        let page = format!("/admin/patients/{id}");
        let fields = |born: &'static str| vec![
            ("_action", "/api/admin/patients/details/change"), ("patient_id", id_text.as_str()), ("given_name", "Amara"),
            ("family_name", "Ahmed-Khan"), ("date_of_birth", born), ("sex", "female"), ("address", "3 Mill Road"), ("postcode", "ab1 9zz"),
        ];
        let receptionist = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        assert_eq!(app.post_form(&page, &fields("15/01/1940"), Some(&receptionist)).await.status().as_u16(), 403);
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let future = app.post_form(&page, &fields("15/01/2040"), Some(&admin)).await;
        assert_eq!(future.status().as_u16(), 422);
        assert_eq!(app.store.patient(practice, id).await.unwrap().unwrap().family_name, "Ahmed", "nothing changed");
        let saved = app.post_form(&page, &fields("15/01/1940"), Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 303);
        let after = app.store.patient(practice, id).await.unwrap().unwrap();
        assert_eq!((after.family_name.as_str(), after.postcode.as_str()), ("Ahmed-Khan", "AB1 9ZZ"));
        let events = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("patient_details_changed".into()), limit: 10, ..Default::default()
        }).await.unwrap();
        assert!(events[0].detail.as_deref().unwrap().contains("after: Amara Ahmed-Khan"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_register_file_of_nearly_two_megabytes_is_checked_and_a_larger_one_is_refused_with_a_message(engine: Engine) {
        let app = spawn_app(engine).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let line = |n: u32| {
            let number = domain::NhsNumber::from_first_nine(&format!("{:09}", 600_000_000 + n));
            number.map(|number| {
                let number = number.as_str();
                format!("nhs,{number},Given{n},Family{n},01/02/1990,female,\"{n} Long Road, Riverside\",AB1 9ZZ,person{n}@example.org,07700 900999\n")
            })
        };
        let mut csv = format!("{REGISTER_HEADER}\n");
        let mut rows = 0;
        for n in 0.. {
            if let Some(row) = line(n) {
                if csv.len() + row.len() > 1_900_000 {
                    break;
                }
                csv.push_str(&row);
                rows += 1;
            }
        }
        let (status, page) = post_register(&app, &admin, csv.clone(), "check").await;
        assert_eq!(status, 200, "a 1.9 MB file is read");
        assert!(page.contains(&format!("{rows} patients to import")), "every one of the {rows} lines was checked");

        let too_big = csv.repeat(2);
        let (status, page) = post_register(&app, &admin, too_big, "check").await;
        assert_eq!(status, 413);
        assert!(page.contains("up to 2 MB"), "{page}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_refused_form_comes_back_with_the_ticks_and_choices_made_not_those_stored(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = patient_a(&app).await.to_string();
        // As the page's grants form posts it, naming its server function.
        let mut fields: Vec<(&str, &str)> = vec![("_action", "/api/admin/patients/grants"), ("patient_id", &id)];
        fields.extend_from_slice(SUMMARY_ONLY);
        let refused = app.post_form(&format!("/admin/patients/{id}"), &fields, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        let page = refused.text().await.unwrap();
        let input = |name: &str| {
            let start = page.find(&format!("id=\"{name}\"")).expect("the field is on the page");
            let open = page[..start].rfind('<').unwrap();
            page[open..start + page[start..].find('>').unwrap()].to_owned()
        };
        assert!(!input("record_audit").contains("checked"), "unticked as posted, though stored ticked");
        assert!(input("messaging").contains("checked"), "ticked as posted");
        assert!(input("record").contains("value=\"full\"") || page.contains("value=\"summary\" checked"), "the level chosen");
        let folded: Vec<&str> = page.match_indices("<details").map(|(i, _)| &page[i..i + page[i..].find('>').unwrap()]).collect();
        assert!(folded.iter().filter(|d| d.contains(" open")).count() == 1, "the refused form, and only it, is unfolded: {folded:?}");
        app.stop().await;
    }
}
