//! Every entry point (page route and server function) against every kind of
//! actor. The test fails when an entry point has no row here, so a new route
//! or server function cannot ship without saying who may use it.
//!
//! Four proxies act for patient A besides: one whose grant allows every
//! service, one whose grant has ended, one whose grant is suspended and a
//! parent whose grant closed at 16. What they may use follows from the row
//! (see [`with_proxies`]), so a new patient entry point is checked for them
//! too.

use crate::common;
use common::{spawn_app, TestApp, CLINICIAN, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::{Email, OdsCode, PracticeId, StaffRole};
use std::collections::BTreeSet;

/// Who asks, in the order of each row's expectations, then the proxies.
const ACTORS: [&str; 11] = [
    "anonymous",
    "patient A",
    "patient B",
    "receptionist",
    "clinician",
    "practice admin",
    "admin of another practice",
    "proxy of A",
    "proxy of A whose grant ended",
    "proxy of A whose grant is suspended",
    "parent of A past 16",
];

/// Who holds the grant the row ending one ends.
const SPARE_PROXY: &str = "matrix.spare@example.com";

/// The proxies' sign-ins: demo patients without one of their own, in the
/// order of [`ACTORS`] from the eighth.
const PROXIES: [(&str, &str, usize); 4] = [
    ("proxy.open@patients.example", "proxy open password", 5),
    ("proxy.ended@patients.example", "proxy ended password", 6),
    ("proxy.suspended@patients.example", "proxy suspended password", 7),
    ("proxy.parent@patients.example", "proxy parent password", 8),
];

const PATIENT_B: (&str, &str) = ("patient.b@patients.example", "patient b password");
const OTHER_ADMIN: (&str, &str) = ("admin@elsewhere.example", "another practice admin");

/// `Y` allowed, `N` refused (401, 403 or 404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Y,
    N,
}
use Expect::{N, Y};

const PUBLIC: [Expect; 7] = [Y, Y, Y, Y, Y, Y, Y];
const SIGNED_IN: [Expect; 7] = [N, Y, Y, Y, Y, Y, Y];
const STAFF: [Expect; 7] = [N, N, N, Y, Y, Y, Y];
const PRACTICE_ADMINS: [Expect; 7] = [N, N, N, N, N, Y, Y];

enum Call {
    Get(&'static str),
    Post(&'static str, &'static [(&'static str, &'static str)]),
    /// Ends patient A's session: only practice A's admin may.
    EndPatientASession,
    /// GETs the path followed by practice A's receptionist's login id.
    GetReceptionist(&'static str),
    /// POSTs the form with practice A's receptionist's `login_id` added.
    PostReceptionist(&'static str, &'static [(&'static str, &'static str)]),
    /// GETs the path followed by patient A's id.
    GetPatientA(&'static str),
    /// POSTs the form with patient A's `patient_id` added.
    PostPatientA(&'static str, &'static [(&'static str, &'static str)]),
    /// GETs the path, with placeholders such as `{patient}` and `{slot}`
    /// filled in at the time of the call (see [`fill`]).
    GetWith(&'static str),
    /// POSTs the form, with placeholders in its values filled in.
    PostWith(&'static str, &'static [(&'static str, &'static str)]),
}

/// Staff of practice A only: the object is practice A's.
const STAFF_OF_A: [Expect; 7] = [N, N, N, Y, Y, Y, N];

/// The default grants, as a form posts them.
const DEFAULT_GRANTS: &[(&str, &str)] = &[
    ("appointments", "yes"),
    ("prescriptions", "yes"),
    ("messaging", "yes"),
    ("record", "full"),
    ("record_from", "account_creation"),
    ("record_audit", "yes"),
    ("consent", "yes"),
];

/// Only practice A's admin: the object belongs to practice A.
const ADMIN_OF_A: [Expect; 7] = [N, N, N, N, N, Y, N];

/// Clinicians of practice A: they keep its patients' records.
const CLINICIANS_OF_A: [Expect; 7] = [N, N, N, N, Y, N, N];

/// Clinicians and practice admins of practice A: they decide on its requests.
const DECIDERS_OF_A: [Expect; 7] = [N, N, N, N, Y, Y, N];

/// Clinicians and practice admins of any practice, each at their own: the dashboard.
const DASHBOARD_READERS: [Expect; 7] = [N, N, N, N, Y, Y, Y];

/// Patients using their own services.
const PATIENTS: [Expect; 7] = [N, Y, Y, N, N, N, N];
/// Only patient A: the object is patient A's own.
const PATIENT_A: [Expect; 7] = [N, Y, N, N, N, N, N];
/// Staff who keep the appointment book (receptionists and practice admins).
const KEEPERS: [Expect; 7] = [N, N, N, Y, N, Y, Y];
/// Keepers of practice A's book: the object is practice A's.
const KEEPERS_OF_A: [Expect; 7] = [N, N, N, Y, N, Y, N];

/// A slot type as its form posts it, unchanged from the demo's GP10.
const GP10_FIELDS: &[(&str, &str)] = &[
    ("slot_type_id", "{slot_type}"),
    ("internal_name", "GP10"),
    ("patient_name", "GP appointment, 10 minutes"),
    ("description", "For one new or ongoing problem."),
    ("channel", "in_person"),
    ("category", "routine"),
    ("minutes", "10"),
];

struct Row {
    /// The entry point as the router lists it.
    entry: &'static str,
    call: Call,
    expect: [Expect; 7],
}

/// What an entry point asks of a proxy's grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Nothing: their own account, the list of people, public pages.
    Nothing,
    /// One of the subject's services (appointments, messages, repeats, record).
    Service,
    /// The patient's own choices (consent to share, who looked at the
    /// record): never a proxy's.
    SubjectOnly,
}

fn needs(entry: &str) -> Needs {
    let under = |prefix: &str| entry == prefix || entry.starts_with(&format!("{prefix}/"));
    let subject_only = [
        "/record/sharing",
        "/record/who-looked",
        "/api/record/sharing",
        "/api/record/looks",
        "/api/people/end",
        "/people/give-access",
        "/api/people/give-access",
        "/api/people/access-choices",
    ];
    // Home shows the subject's appointments, messages and repeats.
    let services = ["/home", "/appointments", "/messages", "/prescriptions", "/record"];
    if subject_only.iter().any(|p| under(p)) {
        Needs::SubjectOnly
    } else if services.iter().any(|p| under(p) || under(&format!("/api{p}"))) {
        Needs::Service
    } else {
        Needs::Nothing
    }
}

/// A row's expectations for every actor: the proxy with an open grant may do
/// what patient A may, but not patient A's own choices; a proxy whose grant
/// ended acts as themself, a patient like patient B; a suspended grant or one
/// past the age rules leaves only what needs no service.
fn with_proxies(row: &Row) -> [Expect; 11] {
    let [anonymous, a, b, receptionist, clinician, admin, other] = row.expect;
    let open = if a == Y && needs(row.entry) != Needs::SubjectOnly { Y } else { N };
    let closed = if a == Y && needs(row.entry) == Needs::Nothing { Y } else { N };
    [anonymous, a, b, receptionist, clinician, admin, other, open, b, closed, closed]
}

/// A row whose entry point is the path it calls.
fn row(call: Call, expect: [Expect; 7]) -> Row {
    let entry = match call {
        Call::Get(path) | Call::Post(path, _) | Call::GetWith(path) | Call::PostWith(path, _) => path,
        _ => unreachable!("rows for the other calls name their entry point"),
    };
    Row { entry, call, expect }
}

fn rows() -> Vec<Row> {
    use Call::*;
    vec![
        // Pages.
        row(Get("/"), PUBLIC),
        Row { entry: "/practices/{ods}", call: Get("/practices/Y12345"), expect: PUBLIC },
        Row { entry: "/setup/{token}", call: Get("/setup/0000"), expect: PUBLIC },
        row(Get("/setup-complete"), PUBLIC),
        row(Get("/sign-in"), PUBLIC),
        row(Get("/register"), PUBLIC),
        row(Get("/activate"), PUBLIC),
        row(GetWith("/admin/patients/{patient}/online-account"), KEEPERS_OF_A),
        row(GetWith("/admin/patients/{patient}/online-account/letter"), KEEPERS_OF_A),
        row(Get("/admin/consider-access"), KEEPERS),
        row(Get("/register/sent"), PUBLIC),
        row(Get("/admin/access-requests"), KEEPERS),
        row(GetWith("/admin/access-requests/{request}"), KEEPERS_OF_A),
        row(GetWith("/admin/patients/{patient}/application-form"), KEEPERS_OF_A),
        row(Get("/account"), SIGNED_IN),
        row(Get("/account/password"), SIGNED_IN),
        row(Get("/admin"), STAFF),
        row(Get("/admin/audit"), PRACTICE_ADMINS),
        row(Get("/admin/outbox"), PRACTICE_ADMINS),
        row(Get("/admin/sessions"), PRACTICE_ADMINS),
        row(Get("/admin/lockouts"), PRACTICE_ADMINS),
        row(Get("/admin/patients"), STAFF),
        Row { entry: "/admin/patients/{patient}", call: GetPatientA("/admin/patients/"), expect: STAFF_OF_A },
        row(Get("/admin/patients/import"), PRACTICE_ADMINS),
        row(Get("/admin/record/import"), PRACTICE_ADMINS),
        row(Get("/admin/settings/online-services"), PRACTICE_ADMINS),
        row(Get("/admin/staff"), PRACTICE_ADMINS),
        row(Get("/admin/staff/invite"), PRACTICE_ADMINS),
        Row { entry: "/admin/staff/{login}", call: GetReceptionist("/admin/staff/"), expect: ADMIN_OF_A },
        row(Get("/sign-in/two-factor"), PUBLIC),
        row(Get("/sign-in/set-up-two-factor"), PUBLIC),
        row(Get("/forgot-password"), PUBLIC),
        row(Get("/forgot-password/sent"), PUBLIC),
        Row { entry: "/reset-password/{token}", call: Get("/reset-password/0000"), expect: PUBLIC },
        row(Get("/appointments"), PATIENTS),
        row(Get("/appointments/book"), PATIENTS),
        row(GetWith("/appointments/book/{slot}"), PATIENTS),
        row(GetWith("/appointments/{appointment}"), PATIENT_A),
        row(Get("/admin/schedule"), STAFF),
        row(Get("/admin/schedule/setup"), KEEPERS),
        row(GetWith("/admin/schedule/slot-types/{slot_type}"), KEEPERS_OF_A),
        row(Get("/admin/schedule/rotas"), KEEPERS),
        row(Get("/admin/schedule/sessions/new"), KEEPERS),
        row(GetWith("/admin/schedule/sessions/{session}"), KEEPERS_OF_A),
        row(GetWith("/admin/patients/{patient}/appointments"), STAFF_OF_A),
        row(GetWith("/admin/patients/{patient}/record"), CLINICIANS_OF_A),
        row(GetWith("/admin/patients/{patient}/book"), STAFF_OF_A),
        row(GetWith("/admin/patients/{patient}/book/{slot}"), STAFF_OF_A),
        row(Get("/home"), PATIENTS),
        row(Get("/messages"), PATIENTS),
        row(Get("/messages/new"), PATIENTS),
        row(Get("/messages/new/write"), PATIENTS),
        row(GetWith("/messages/{thread}"), PATIENT_A),
        row(Get("/admin/messages"), STAFF),
        row(GetWith("/admin/messages/{thread}"), STAFF_OF_A),
        row(Get("/admin/settings/messages"), PRACTICE_ADMINS),
        row(Get("/admin/settings/prescriptions"), PRACTICE_ADMINS),
        row(Get("/record"), PATIENTS),
        row(Get("/record/who-looked"), PATIENTS),
        row(Get("/record/sharing"), PATIENTS),
        row(Get("/people"), PATIENTS),
        row(Get("/record/download"), PATIENTS),
        Row { entry: "/record/documents/{entry}", call: GetWith("/record/documents/{document}"), expect: PATIENT_A },
        row(Get("/prescriptions"), PATIENTS),
        row(Get("/prescriptions/order"), PATIENTS),
        row(Get("/prescriptions/requests"), PATIENTS),
        row(Get("/admin/prescriptions"), STAFF),
        Row {
            entry: "/admin/prescriptions/{request}",
            call: GetWith("/admin/prescriptions/{rx_request}"),
            expect: STAFF_OF_A,
        },
        // Server functions.
        row(Post("/api/practices/home", &[]), PUBLIC),
        Row { entry: "/api/practices/by-ods", call: Get("/api/practices/by-ods?ods_code=Y12345"), expect: PUBLIC },
        Row { entry: "/api/practices/search", call: Get("/api/practices/search?text=river"), expect: PUBLIC },
        row(Post("/api/account/setup-link", &[("token", "0000")]), PUBLIC),
        Row {
            entry: "/api/account/setup",
            call: Post(
                "/api/account/setup",
                &[("token", "0000"), ("password", "long enough pass"), ("confirm_password", "long enough pass")],
            ),
            expect: PUBLIC,
        },
        row(Post("/api/auth/sign-in", &[("email", "x@y.example"), ("password", "nope")]), PUBLIC),
        row(Post("/api/auth/sign-out", &[]), PUBLIC),
        row(Post("/api/auth/sign-out-everywhere", &[]), SIGNED_IN),
        row(Post("/api/account/details", &[]), SIGNED_IN),
        Row {
            entry: "/api/account/password",
            call: Post(
                "/api/account/password",
                &[
                    ("current_password", "not it"),
                    ("new_password", "long enough pass"),
                    ("confirm_password", "long enough pass"),
                ],
            ),
            expect: SIGNED_IN,
        },
        row(Post("/api/admin/overview", &[]), STAFF),
        row(Post("/api/admin/frame", &[]), STAFF),
        Row {
            entry: "/api/admin/audit",
            call: Get("/api/admin/audit?action=&actor=&from=&to="),
            expect: PRACTICE_ADMINS,
        },
        row(Post("/api/admin/outbox", &[]), PRACTICE_ADMINS),
        row(Post("/api/admin/sessions", &[]), PRACTICE_ADMINS),
        Row { entry: "/api/admin/sessions/end", call: EndPatientASession, expect: ADMIN_OF_A },
        row(Post("/api/admin/lockouts", &[]), PRACTICE_ADMINS),
        row(Post("/api/admin/patients/search", &[("q", "ahmed")]), STAFF),
        Row {
            entry: "/api/admin/patients/details",
            call: PostPatientA("/api/admin/patients/details", &[]),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/patients/grants",
            call: PostPatientA("/api/admin/patients/grants", DEFAULT_GRANTS),
            expect: STAFF_OF_A,
        },
        row(Post("/api/admin/patients/import", &[("csv", "identifier_type\n"), ("mode", "check")]), PRACTICE_ADMINS),
        row(Post("/api/admin/record/import", &[("bundle", "{}")]), PRACTICE_ADMINS),
        row(Post("/api/admin/record/imports", &[]), PRACTICE_ADMINS),
        Row {
            entry: "/api/admin/patients/contact",
            call: PostPatientA(
                "/api/admin/patients/contact",
                &[("email", "amara.ahmed@patients.example"), ("contact_by_email", "yes")],
            ),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/patients/details/change",
            call: PostPatientA(
                "/api/admin/patients/details/change",
                &[
                    ("given_name", "Amara"),
                    ("family_name", "Ahmed"),
                    ("date_of_birth", "15/01/1940"),
                    ("sex", "female"),
                ],
            ),
            expect: ADMIN_OF_A,
        },
        // Registered again on the day it already says: a change that changes nothing.
        Row {
            entry: "/api/admin/patients/registration",
            call: PostPatientA("/api/admin/patients/registration", &[("status", "registered"), ("on", "01/01/2020")]),
            expect: ADMIN_OF_A,
        },
        row(Post("/api/admin/settings/online-services", &[]), PRACTICE_ADMINS),
        Row {
            entry: "/api/admin/settings/online-services/save",
            call: Post(
                "/api/admin/settings/online-services/save",
                &[
                    ("online_services", "yes"),
                    ("self_registration", "yes"),
                    ("request_expiry_days", "90"),
                    ("appointments", "yes"),
                    ("prescriptions", "yes"),
                    ("messaging", "yes"),
                    ("record", "full"),
                    ("record_from", "account_creation"),
                    ("record_audit", "yes"),
                    ("consent", "yes"),
                ],
            ),
            expect: PRACTICE_ADMINS,
        },
        row(Post("/api/admin/staff", &[]), PRACTICE_ADMINS),
        Row {
            entry: "/api/admin/staff/member",
            call: PostReceptionist("/api/admin/staff/member", &[]),
            expect: ADMIN_OF_A,
        },
        Row {
            entry: "/api/admin/staff/invite",
            call: Post(
                "/api/admin/staff/invite",
                &[("name", "New Person"), ("email", "new.person@staff.example"), ("role", "receptionist")],
            ),
            expect: PRACTICE_ADMINS,
        },
        Row {
            entry: "/api/admin/staff/change",
            call: PostReceptionist("/api/admin/staff/change", &[("change", "role"), ("role", "receptionist")]),
            expect: ADMIN_OF_A,
        },
        // The second step and password reset: open to all, and answer "sign in again" or
        // "link expired" (409) without a pending sign-in or a real link.
        row(Post("/api/auth/pending", &[]), PUBLIC),
        row(Post("/api/auth/two-factor", &[("code", "123456")]), PUBLIC),
        row(Post("/api/auth/two-factor-enrolment", &[]), PUBLIC),
        row(Post("/api/auth/enrol-two-factor", &[("code", "123456")]), PUBLIC),
        row(Post("/api/account/forgot-password", &[("email", "x@y.example")]), PUBLIC),
        row(Post("/api/account/reset-link", &[("token", "0000")]), PUBLIC),
        Row {
            entry: "/api/account/reset-password",
            call: Post(
                "/api/account/reset-password",
                &[("token", "0000"), ("password", "long enough pass"), ("confirm_password", "long enough pass")],
            ),
            expect: PUBLIC,
        },
        // Appointments, for patients. Booking takes a fresh free slot each call.
        row(Get("/api/appointments/find"), PATIENTS),
        row(PostWith("/api/appointments/slot", &[("slot_id", "{slot}")]), PATIENTS),
        row(PostWith("/api/appointments/book", &[("slot_id", "{slot}")]), PATIENTS),
        row(Post("/api/appointments/mine", &[]), PATIENTS),
        row(PostWith("/api/appointments/one", &[("appointment_id", "{appointment}")]), PATIENT_A),
        row(PostWith("/api/appointments/cancel", &[("appointment_id", "{appointment}")]), PATIENT_A),
        // Messages, for patients. Checking and sending an empty message is
        // refused (422) for those allowed: nothing is sent.
        row(Post("/api/home", &[]), PATIENTS),
        row(Post("/api/messages/mine", &[]), PATIENTS),
        row(Post("/api/messages/start", &[]), PATIENTS),
        row(Post("/api/messages/check", &[]), PATIENTS),
        row(Post("/api/messages/send", &[]), PATIENTS),
        row(PostWith("/api/messages/one", &[("thread_id", "{thread}")]), PATIENT_A),
        row(PostWith("/api/messages/reply", &[("thread_id", "{thread}"), ("body", "Thank you.")]), PATIENT_A),
        // The inbox, for staff. Assigning from a view made stale by the
        // previous actor's assignment is refused (409) after the first.
        Row { entry: "/api/admin/messages", call: Get("/api/admin/messages?view=unassigned"), expect: STAFF },
        row(Post("/api/admin/messages/counts", &[]), STAFF),
        row(PostWith("/api/admin/messages/one", &[("thread_id", "{thread}")]), STAFF_OF_A),
        row(
            PostWith("/api/admin/messages/reply", &[("thread_id", "{thread}"), ("body", "We have booked you in.")]),
            STAFF_OF_A,
        ),
        row(
            PostWith(
                "/api/admin/messages/assign",
                &[("thread_id", "{thread}"), ("version", "0"), ("to", "team-reception")],
            ),
            STAFF_OF_A,
        ),
        row(PostWith("/api/admin/messages/close", &[("thread_id", "{thread}"), ("outcome", "Answered")]), STAFF_OF_A),
        row(Post("/api/admin/settings/messages", &[]), PRACTICE_ADMINS),
        row(Post("/api/admin/settings/messages/save", &[]), PRACTICE_ADMINS),
        // Repeat prescriptions. Checking and placing an empty order is refused
        // (422) for patients; a decision made once is refused (409) after.
        row(Post("/api/prescriptions/mine", &[]), PATIENTS),
        row(Post("/api/prescriptions/check", &[]), PATIENTS),
        row(Post("/api/prescriptions/order", &[]), PATIENTS),
        row(Post("/api/prescriptions/requests", &[]), PATIENTS),
        row(Post("/api/admin/prescriptions", &[]), STAFF),
        row(PostWith("/api/admin/prescriptions/one", &[("request_id", "{rx_request}")]), STAFF_OF_A),
        row(
            PostWith(
                "/api/admin/prescriptions/decide",
                &[("request_id", "{rx_request}"), ("version", "0"), ("decision", "approve_all")],
            ),
            DECIDERS_OF_A,
        ),
        row(
            PostWith(
                "/api/admin/prescriptions/step",
                &[("request_id", "{rx_request}"), ("item_id", "{rx_item}"), ("status", "ready_to_collect")],
            ),
            STAFF_OF_A,
        ),
        row(PostWith("/api/prescriptions/cancel", &[("request_id", "{rx_request}")]), PATIENT_A),
        // An empty message is refused (422) once the request is found to be the practice's.
        row(PostWith("/api/admin/prescriptions/message", &[("request_id", "{rx_request}")]), STAFF_OF_A),
        row(Post("/api/admin/settings/prescriptions", &[]), PRACTICE_ADMINS),
        // The patient's record.
        row(Post("/api/record/mine", &[]), PATIENTS),
        row(Post("/api/record/looks", &[]), PATIENTS),
        row(Post("/api/record/sharing", &[]), PATIENTS),
        row(Post("/api/people", &[]), PATIENTS),
        row(Post("/api/people/act-for", &[("patient_id", "0")]), PATIENTS),
        row(Post("/api/people/proxies", &[]), PATIENTS),
        row(Get("/people/give-access"), PATIENTS),
        row(Post("/api/people/access-choices", &[]), PATIENTS),
        // An empty form: refused (422) for a patient, nothing given.
        row(Post("/api/people/give-access", &[]), PATIENTS),
        // Ends a grant of patient A's that nobody here holds: only patient A may.
        row(PostWith("/api/people/end", &[("grant_id", "{spare_grant}")]), PATIENT_A),
        // Consent to share: an answer that is not yes, no or empty is refused (422) once the patient is found.
        row(PostWith("/api/admin/patients/sharing", &[("patient_id", "{patient}")]), STAFF_OF_A),
        row(GetWith("/admin/patients/{patient}/proxies/new"), STAFF_OF_A),
        row(Get("/admin/proxies"), STAFF),
        row(Get("/admin/settings/proxies"), PRACTICE_ADMINS),
        row(Post("/api/admin/settings/proxies", &[]), PRACTICE_ADMINS),
        // Ages out of range: refused (422) for a practice admin, nothing saved.
        row(Post("/api/admin/settings/proxies/save", &[("narrow_from", "20")]), PRACTICE_ADMINS),
        row(Post("/api/admin/proxies", &[]), STAFF),
        row(Get("/report-a-problem"), SIGNED_IN),
        // An empty report: refused (422) for anyone signed in, nothing saved.
        row(Post("/api/problems/report", &[]), SIGNED_IN),
        row(Get("/admin/problems"), STAFF),
        row(Post("/api/admin/problems", &[]), STAFF),
        row(
            PostWith("/api/admin/problems/triage", &[("problem_id", "{problem}"), ("status", "investigating")]),
            STAFF_OF_A,
        ),
        row(Get("/admin/dashboard"), DASHBOARD_READERS),
        row(Post("/api/admin/dashboard", &[]), DASHBOARD_READERS),
        // Out of range: refused (422) for a practice admin, nothing saved.
        row(Post("/api/admin/dashboard/targets", &[("offered_online", "0")]), PRACTICE_ADMINS),
        Row { entry: "/admin/dashboard/{file}", call: Get("/admin/dashboard/months.csv"), expect: DASHBOARD_READERS },
        row(PostWith("/api/admin/patients/proxies", &[("patient_id", "{patient}")]), STAFF_OF_A),
        row(PostWith("/api/admin/patients/proxies/add", &[("patient_id", "{patient}")]), STAFF_OF_A),
        row(
            PostWith(
                "/api/admin/patients/proxies/change",
                &[("patient_id", "{patient}"), ("grant_id", "{proxy_grant}"), ("change", "neither")],
            ),
            STAFF_OF_A,
        ),
        row(
            PostWith("/api/admin/patients/sharing/save", &[("patient_id", "{patient}"), ("sharing_in", "maybe")]),
            STAFF_OF_A,
        ),
        // A clinician's: choosing neither hide nor show is refused (422), and
        // filing what is not an unfiled result is refused (409), once the
        // entry is found to be the patient's.
        row(PostWith("/api/admin/patients/record", &[("patient_id", "{patient}")]), CLINICIANS_OF_A),
        row(
            PostWith("/api/admin/patients/record/hide", &[("patient_id", "{patient}"), ("entry_id", "{record_entry}")]),
            CLINICIANS_OF_A,
        ),
        row(
            PostWith("/api/admin/patients/record/file", &[("patient_id", "{patient}"), ("entry_id", "{record_entry}")]),
            CLINICIANS_OF_A,
        ),
        row(Post("/api/admin/settings/prescriptions/save", &[]), PRACTICE_ADMINS),
        row(PostWith("/api/admin/patients/prescribing", &[("patient_id", "{patient}")]), STAFF_OF_A),
        row(PostWith("/api/admin/patients/prescribing/ordering", &[("patient_id", "{patient}")]), DECIDERS_OF_A),
        // Reception, for patient A.
        row(PostWith("/api/admin/appointments/of-patient", &[("patient_id", "{patient}")]), STAFF_OF_A),
        Row {
            entry: "/api/admin/appointments/free",
            call: GetWith("/api/admin/appointments/free?patient_id={patient}"),
            expect: STAFF_OF_A,
        },
        row(
            PostWith("/api/admin/appointments/slot", &[("patient_id", "{patient}"), ("slot_id", "{slot}")]),
            STAFF_OF_A,
        ),
        Row {
            entry: "/api/admin/appointments/book",
            call: PostWith(
                "/api/admin/appointments/book",
                &[("patient_id", "{patient}"), ("slot_id", "{slot}"), ("route", "telephone")],
            ),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/appointments/cancel",
            call: PostWith(
                "/api/admin/appointments/cancel",
                &[("patient_id", "{patient}"), ("appointment_id", "{appointment}"), ("route", "telephone")],
            ),
            expect: STAFF_OF_A,
        },
        // Online accounts. Issuing is tried without an identity check: those
        // allowed are told what is missing (422), nothing is issued.
        row(PostWith("/api/admin/patients/online-account", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/patients/online-account/issue", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/patients/online-account/letter", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        // Requests for online services. Nobody decides the demo request
        // here: the forms lack their required fields (422 where allowed).
        row(Post("/api/register/info", &[]), PUBLIC),
        row(Post("/api/register/request", &[]), PUBLIC),
        row(Post("/api/admin/access-requests", &[]), KEEPERS),
        row(PostWith("/api/admin/access-requests/one", &[("request_id", "{request}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/access-requests/take", &[("request_id", "{request}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/access-requests/approve", &[("request_id", "{request}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/access-requests/decline", &[("request_id", "{request}")]), KEEPERS_OF_A),
        // Disabling without a reason is refused (422); switching on an
        // account that is on is refused (409): patient A keeps signing in.
        row(PostWith("/api/admin/patients/online-account/disable", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/patients/online-account/enable", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        // Consider online access. Recording a declined offer for patient A
        // changes nothing the later rows use.
        row(Post("/api/admin/consider-access", &[]), KEEPERS),
        row(PostWith("/api/admin/consider-access/declined", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/patients/application-form", &[("patient_id", "{patient}")]), KEEPERS_OF_A),
        row(Post("/api/account/activate", &[("ods_code", "Y12345")]), PUBLIC),
        // The appointment book.
        row(Get("/api/admin/schedule/day"), STAFF),
        row(Post("/api/admin/schedule/setup", &[]), KEEPERS),
        row(Post("/api/admin/schedule/clinicians/add", &[("name", "Dr New Person"), ("role", "gp")]), KEEPERS),
        Row {
            entry: "/api/admin/schedule/session-types/add",
            call: Post(
                "/api/admin/schedule/session-types/add",
                &[("session_internal_name", "EXTRA"), ("session_patient_name", "Extra surgery")],
            ),
            expect: KEEPERS,
        },
        Row {
            entry: "/api/admin/schedule/slot-types/add",
            call: Post(
                "/api/admin/schedule/slot-types/add",
                &[
                    ("internal_name", "FLU"),
                    ("patient_name", "Flu vaccination with the practice nurse, 5 minutes"),
                    ("channel", "in_person"),
                    ("category", "routine"),
                    ("minutes", "5"),
                ],
            ),
            expect: KEEPERS,
        },
        row(PostWith("/api/admin/schedule/slot-types/one", &[("slot_type_id", "{slot_type}")]), KEEPERS_OF_A),
        row(PostWith("/api/admin/schedule/slot-types/change", GP10_FIELDS), KEEPERS_OF_A),
        row(Post("/api/admin/schedule/rotas", &[]), KEEPERS),
        Row {
            entry: "/api/admin/schedule/rotas/add",
            call: PostWith(
                "/api/admin/schedule/rotas/add",
                &[
                    ("clinician", "{clinician}"),
                    ("session_type", "{session_type}"),
                    ("slot_type", "{slot_type}"),
                    ("weekday", "6"),
                    ("start", "09:00"),
                    ("end", "10:00"),
                    ("location", "Room 1"),
                ],
            ),
            expect: KEEPERS_OF_A,
        },
        row(PostWith("/api/admin/schedule/rotas/active", &[("rota_id", "{rota}"), ("active", "yes")]), KEEPERS_OF_A),
        row(Post("/api/admin/schedule/rotas/generate", &[("from", "02/03/2026"), ("weeks", "1")]), KEEPERS),
        Row {
            entry: "/api/admin/schedule/sessions/add",
            call: PostWith(
                "/api/admin/schedule/sessions/add",
                &[
                    ("clinician", "{clinician}"),
                    ("session_type", "{session_type}"),
                    ("slot_type", "{slot_type}"),
                    ("day", "14/03/2026"),
                    ("start", "09:00"),
                    ("end", "10:00"),
                    ("location", "Room 1"),
                ],
            ),
            expect: KEEPERS_OF_A,
        },
        row(PostWith("/api/admin/schedule/sessions/one", &[("session_id", "{session}")]), KEEPERS_OF_A),
        Row {
            entry: "/api/admin/schedule/sessions/location",
            call: PostWith(
                "/api/admin/schedule/sessions/location",
                &[("session_id", "{session}"), ("location", "Room 9")],
            ),
            expect: KEEPERS_OF_A,
        },
        Row {
            entry: "/api/admin/schedule/slots/change",
            call: PostWith(
                "/api/admin/schedule/slots/change",
                &[("session_id", "{session}"), ("slot_id", "{session_slot}"), ("slot_type", "{slot_type}")],
            ),
            expect: KEEPERS_OF_A,
        },
        Row {
            entry: "/api/admin/schedule/slots/cancel",
            call: PostWith(
                "/api/admin/schedule/slots/cancel",
                &[("session_id", "{session}"), ("slot_id", "{session_slot}")],
            ),
            expect: KEEPERS_OF_A,
        },
        row(PostWith("/api/admin/schedule/sessions/cancel", &[("session_id", "{session}")]), KEEPERS_OF_A),
        // Last: these change what patients can book.
        row(Get("/admin/booking-rules"), PRACTICE_ADMINS),
        row(Post("/api/admin/booking-rules", &[]), PRACTICE_ADMINS),
        Row {
            entry: "/api/admin/booking-rules/offer",
            call: PostWith(
                "/api/admin/booking-rules/offer",
                &[("slot_type_id", "{slot_type}"), ("bookable", "yes"), ("release", "when_created")],
            ),
            expect: ADMIN_OF_A,
        },
        Row {
            entry: "/api/admin/booking-rules/save",
            call: PostWith(
                "/api/admin/booking-rules/save",
                &[
                    ("horizon_days", "28"),
                    ("min_notice_hours", "2"),
                    ("max_future", "4"),
                    ("cancel_cutoff_hours", "1"),
                    ("clinicians[]", "{clinician}"),
                ],
            ),
            expect: PRACTICE_ADMINS,
        },
    ]
}

/// A carer's grant for patient A, for the rows that change one.
async fn add_proxy_grant(app: &TestApp, practice: domain::PracticeId, subject: domain::PatientId) -> i64 {
    use domain::proxy::{ProxyServices, Relationship};
    let services = ProxyServices { appointments: true, ..ProxyServices::NONE };
    add_grant(app, (practice, subject), ("matrix.carer@example.com", Relationship::Carer), services).await
}

/// The four proxies of patient A, each with a sign-in of their own and a
/// grant with every service, then ended, suspended or made a parent's (which
/// closed at 16: patient A is in their eighties).
async fn setup_proxies_of_patient_a(app: &TestApp) {
    use domain::proxy::{ProxyServices, Relationship};
    use domain::services::RecordLevel;
    use storage::proxies::GrantChange;
    let practice = common::demo_practice(app).await;
    let subject = domain::PatientId(patient_a_id(app).await.parse().unwrap());
    let patients = server::demo::demo_patients();
    let every = ProxyServices { appointments: true, prescriptions: true, messages: true, record: RecordLevel::Full };
    let staff = domain::LoginId(app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id);
    let audit = |action| storage::audit::NewAudit::by_the_system(practice, action, "test", common::start_instant());
    for (i, (email, password, patient)) in PROXIES.into_iter().enumerate() {
        let hash = app::server::secrets::hash_password(password.into()).await.unwrap();
        let address = Email::parse(email).unwrap();
        let identifier = patients[patient].identifier.as_str();
        app.store.ensure_patient_login(practice, identifier, &address, &hash, common::start_instant()).await.unwrap();
        let relationship = if i == 3 { Relationship::ParentOrGuardian } else { Relationship::Carer };
        let grant = add_grant(app, (practice, subject), (email, relationship), every).await;
        let change = match i {
            1 => GrantChange::End,
            2 => GrantChange::Suspend { reason: "Checking a concern" },
            _ => continue,
        };
        app.store.change_proxy_grant(practice, grant, change, staff, &audit("proxy_access_changed")).await.unwrap();
    }
    // Patient A and the proxy with every service each cancel one: enough
    // upcoming appointments for both, and for the staff rows after them.
    let receptionist = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
    let patient = patient_a_id(app).await;
    for _ in 0..2 {
        let slot = fill(app, "{slot}").await;
        let form = [("patient_id", patient.as_str()), ("slot_id", slot.as_str()), ("route", "telephone")];
        let booked = app.post_form("/api/admin/appointments/book", &form, Some(&receptionist)).await;
        assert_eq!(booked.status().as_u16(), 200);
    }
}

/// A grant set up by staff for `subject`, to the sign-in with `email`.
async fn add_grant(
    app: &TestApp,
    (practice, subject): (domain::PracticeId, domain::PatientId),
    (email, relationship): (&str, domain::proxy::Relationship),
    services: domain::proxy::ProxyServices,
) -> i64 {
    use domain::proxy::{GrantStatus, LegalBasis, Relationship};
    let staff = app.store.login_by_email(common::RECEPTIONIST.0).await.unwrap().unwrap();
    let basis = match relationship {
        Relationship::ParentOrGuardian => LegalBasis::ParentalResponsibility,
        _ => LegalBasis::PatientConsent,
    };
    let new = storage::proxies::NewGrant {
        practice,
        subject,
        proxy_email: email,
        proxy_name: "Matrix Proxy",
        relationship,
        basis,
        services,
        starts_on: common::start_instant().date_naive(),
        ends_on: None,
        status: GrantStatus::Active,
        by_staff: true,
        created_by: domain::LoginId(staff.id),
        verified_how: Some("Seen at the desk"),
        clinician_note: None,
        now: common::start_instant(),
    };
    let audit =
        storage::audit::NewAudit::by_the_system(practice, "proxy_access_granted", "test", common::start_instant());
    app.store.add_proxy_grant(&new, &audit).await.unwrap()
}

/// Fills the placeholders of a path or form value from practice A's data as
/// it stands: `{patient}` (patient A), `{appointment}` (patient A's first
/// upcoming booking), `{slot}` (a free GP10 slot a day or more ahead),
/// `{slot_type}`, `{clinician}`, `{session_type}`, `{session}` (the first
/// session a week ahead), `{session_slot}` (its first slot) and `{request}`
/// (the oldest open request for online services).
async fn fill(app: &TestApp, text: &str) -> String {
    use domain::appointments::ClinicSessionId;
    if !text.contains('{') {
        return text.to_owned();
    }
    let practice = common::demo_practice(app).await;
    let now = common::start_instant();
    let patient = patient_a_id(app).await;
    let mut text = text.replace("{patient}", &patient);
    if text.contains("{request}") {
        let open = app.store.access_requests(practice, storage::access_requests::Queue::Open).await.unwrap();
        text = text.replace("{request}", &open.first().expect("a demo request").id.to_string());
    }
    if text.contains("{thread}") {
        let theirs =
            app.store.threads_of_patient(practice, domain::PatientId(patient.parse().unwrap()), domain::LoginId(0));
        let first = theirs.await.unwrap().last().map(|t| t.id.to_string()).expect("a demo conversation");
        text = text.replace("{thread}", &first);
    }
    if text.contains("{rx_") {
        let theirs =
            app.store.requests_of_patient(practice, domain::PatientId(patient.parse().unwrap())).await.unwrap();
        let newest = &theirs.first().expect("a demo prescription request").request;
        text = text.replace("{rx_request}", &newest.id.to_string());
        let items = app.store.request_items(practice, newest.id).await.unwrap();
        text = text.replace("{rx_item}", &items[0].id.to_string());
    }
    if text.contains("{record_entry}") {
        let entries = app.store.record_entries(practice, domain::PatientId(patient.parse().unwrap())).await.unwrap();
        text = text.replace("{record_entry}", &entries.first().expect("a demo record").id.to_string());
    }
    if text.contains("{proxy_grant}") {
        let subject = domain::PatientId(patient.parse().unwrap());
        let grants = app.store.proxy_grants_for_subject(practice, subject).await.unwrap();
        let id = match grants.first() {
            Some(grant) => grant.id,
            None => add_proxy_grant(app, practice, subject).await,
        };
        text = text.replace("{proxy_grant}", &id.to_string());
    }
    if text.contains("{spare_grant}") {
        // A grant of patient A's to someone outside the matrix, made again
        // once ended.
        let subject = domain::PatientId(patient.parse().unwrap());
        let grants = app.store.proxy_grants_for_subject(practice, subject).await.unwrap();
        let open = grants.iter().find(|g| g.proxy_email == SPARE_PROXY && g.status != "ended").map(|g| g.id);
        let id = match open {
            Some(id) => id,
            None => {
                let services = domain::proxy::ProxyServices { messages: true, ..domain::proxy::ProxyServices::NONE };
                add_grant(app, (practice, subject), (SPARE_PROXY, domain::proxy::Relationship::Other), services).await
            }
        };
        text = text.replace("{spare_grant}", &id.to_string());
    }
    if text.contains("{problem}") {
        let id = match app.store.problems_of_practice(practice).await.unwrap().first() {
            Some(problem) => problem.id,
            None => {
                let by = domain::LoginId(app.store.login_by_email(PATIENT.0).await.unwrap().unwrap().id);
                let report = domain::problems::Report {
                    what: "The page did not load".into(),
                    place: domain::problems::Place::Appointments,
                    happened_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                };
                let audit = storage::audit::NewAudit::by_the_system(practice, "problem_reported", "test", now);
                let reporter = storage::problems::Reporter::Patient;
                app.store.report_problem((practice, by, reporter), &report, &audit).await.unwrap()
            }
        };
        text = text.replace("{problem}", &id.to_string());
    }
    if text.contains("{document}") {
        let entries = app.store.record_entries(practice, domain::PatientId(patient.parse().unwrap())).await.unwrap();
        let letter = entries.iter().find(|e| e.kind == "document" && !e.hidden).expect("a demo document");
        text = text.replace("{document}", &letter.id.to_string());
    }
    if text.contains("{appointment}") {
        let mine = app.store.patient_appointments(practice, domain::PatientId(patient.parse().unwrap())).await.unwrap();
        let upcoming = mine.iter().filter(|a| a.is_booked() && a.starts_at.0 > now).min_by_key(|a| a.starts_at.0);
        text = text.replace("{appointment}", &upcoming.map(|a| a.id.to_string()).unwrap_or_default());
    }
    if text.contains("{slot}") {
        let slots = app
            .store
            .slots_between(practice, now + chrono::TimeDelta::days(1), now + chrono::TimeDelta::days(20))
            .await
            .unwrap();
        let free =
            slots.iter().find(|s| s.appointment_id.is_none() && s.type_internal_name == "GP10" && s.clinician_bookable);
        text = text.replace("{slot}", &free.expect("a free GP10 slot").slot_id.to_string());
    }
    let types = app.store.slot_types(practice).await.unwrap();
    let gp10 = types.iter().find(|t| t.internal_name == "GP10").expect("GP10");
    text = text.replace("{slot_type}", &gp10.id.to_string());
    let clinicians = app.store.clinicians(practice).await.unwrap();
    text = text.replace("{clinician}", &clinicians[0].id.to_string());
    if text.contains("{rota}") {
        text = text.replace("{rota}", &app.store.rotas(practice).await.unwrap()[0].id.to_string());
    }
    let session_types = app.store.session_types(practice).await.unwrap();
    text = text.replace("{session_type}", &session_types[0].id.to_string());
    if text.contains("{session") {
        let day = domain::time::to_london(now).date() + chrono::TimeDelta::days(7);
        let session = app.store.clinic_sessions_on(practice, day).await.unwrap()[0].id;
        text = text.replace("{session}", &session.to_string());
        let slots = app.store.slots_of_session(practice, ClinicSessionId(session)).await.unwrap();
        text = text.replace("{session_slot}", &slots[0].slot_id.to_string());
    }
    text
}

/// Every page route, server function and download the app serves.
fn entry_points() -> BTreeSet<String> {
    let pages = server::http::page_routes().into_iter();
    let server_fns = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned());
    let downloads = server::http::DOWNLOAD_ROUTES.iter().map(|path| (*path).to_owned());
    pages.chain(server_fns).chain(downloads).collect()
}

#[test]
fn every_entry_point_has_a_row_in_the_matrix() {
    let listed: BTreeSet<String> = rows().iter().map(|r| r.entry.to_owned()).collect();
    let served = entry_points();
    let missing: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(missing.is_empty(), "entry points with no row in the policy matrix: {missing:?}");
    assert!(stale.is_empty(), "rows for entry points that do not exist: {stale:?}");
}

async fn setup_other_practice_and_patient_b(app: &TestApp) {
    let now = common::start_instant();
    let practice = app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
    let patients = server::demo::demo_patients();
    let hash = app::server::secrets::hash_password(PATIENT_B.1.into()).await.unwrap();
    app.store
        .ensure_patient_login(
            PracticeId(practice.id),
            patients[1].identifier.as_str(),
            &Email::parse(PATIENT_B.0).unwrap(),
            &hash,
            now,
        )
        .await
        .unwrap();
    let other = app.another_practice().await;
    let hash = app::server::secrets::hash_password(OTHER_ADMIN.1.into()).await.unwrap();
    let other_admin = app
        .store
        .ensure_staff(other, &Email::parse(OTHER_ADMIN.0).unwrap(), "Other Admin", StaffRole::PracticeAdmin, &hash, now)
        .await
        .unwrap();
    app.store.set_totp_secret(other_admin, &common::test_keys().encrypt(server::demo::DEMO_TOTP_SECRET)).await.unwrap();
}

/// Each actor's session, signed in once and again only after a call ended
/// it (signing out, changing a password, an admin ending it…).
#[derive(Default)]
struct Sessions {
    cookies: [Option<String>; 11],
}

impl Sessions {
    async fn of(&mut self, app: &TestApp, actor: usize) -> Option<String> {
        let who = match actor {
            0 => return None,
            1 => PATIENT,
            2 => PATIENT_B,
            3 => RECEPTIONIST,
            4 => CLINICIAN,
            5 => PRACTICE_ADMIN,
            6 => OTHER_ADMIN,
            proxy => (PROXIES[proxy - 7].0, PROXIES[proxy - 7].1),
        };
        let live = match &self.cookies[actor] {
            Some(cookie) => {
                let hash = app::server::secrets::token_hash(cookie.trim_start_matches("gp_session="));
                app.store.session_by_token(&hash).await.unwrap().is_some().then(|| cookie.clone())
            }
            None => None,
        };
        let cookie = match live {
            Some(cookie) => cookie,
            None => app.sign_in(who.0, who.1).await,
        };
        if actor >= 7 {
            // Acting for patient A again, even after a row chose someone else
            // or a grant that no longer lets them.
            let hash = app::server::secrets::token_hash(cookie.trim_start_matches("gp_session="));
            let subject = domain::PatientId(patient_a_id(app).await.parse().unwrap());
            let practice = common::demo_practice(app).await;
            let audit =
                storage::audit::NewAudit::by_the_system(practice, "acting_for_chosen", "test", common::start_instant());
            app.store.set_session_acting_for(&hash, Some(subject), &audit).await.unwrap();
        }
        self.cookies[actor] = Some(cookie.clone());
        Some(cookie)
    }
}

async fn call(app: &TestApp, call: &Call, session: Option<&str>) -> u16 {
    match call {
        Call::Get(path) => app.get_as(path, session).await.0,
        Call::Post(path, form) => app.post_form(path, form, session).await.status().as_u16(),
        Call::EndPatientASession => {
            app.sign_in(PATIENT.0, PATIENT.1).await;
            let practice = app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
            let sessions = app.store.sessions_of_practice(PracticeId(practice.id)).await.unwrap();
            let id = sessions.iter().find(|s| s.email == PATIENT.0).expect("patient A session").id.to_string();
            app.post_form("/api/admin/sessions/end", &[("session_id", &id)], session).await.status().as_u16()
        }
        Call::GetPatientA(prefix) => app.get_as(&format!("{prefix}{}", patient_a_id(app).await), session).await.0,
        Call::PostPatientA(path, form) => {
            let id = patient_a_id(app).await;
            let mut fields = vec![("patient_id", id.as_str())];
            fields.extend_from_slice(form);
            app.post_form(path, &fields, session).await.status().as_u16()
        }
        Call::GetWith(path) => app.get_as(&fill(app, path).await, session).await.0,
        Call::PostWith(path, form) => {
            let mut fields = Vec::new();
            for (name, value) in form.iter() {
                fields.push((*name, fill(app, value).await));
            }
            let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
            app.post_form(path, &fields, session).await.status().as_u16()
        }
        Call::GetReceptionist(prefix) => {
            app.get_as(&format!("{prefix}{}", receptionist_id(app).await), session).await.0
        }
        Call::PostReceptionist(path, form) => {
            let id = receptionist_id(app).await;
            let mut fields = vec![("login_id", id.as_str())];
            fields.extend_from_slice(form);
            app.post_form(path, &fields, session).await.status().as_u16()
        }
    }
}

async fn patient_a_id(app: &TestApp) -> String {
    let login = app.store.login_by_email(PATIENT.0).await.unwrap().expect("the demo patient");
    login.patient_id.expect("a patient's login").to_string()
}

async fn receptionist_id(app: &TestApp) -> String {
    app.store.login_by_email(RECEPTIONIST.0).await.unwrap().expect("the demo receptionist").id.to_string()
}

on_both_engines! {
    async fn every_entry_point_answers_each_actor_as_the_policy_says(engine: Engine) {
        let app = spawn_app(engine).await;
        setup_other_practice_and_patient_b(&app).await;
        setup_proxies_of_patient_a(&app).await;
        let mut wrong = Vec::new();
        let mut sessions = Sessions::default();
        for row in rows() {
            for (actor, expected) in with_proxies(&row).iter().enumerate() {
                let session = sessions.of(&app, actor).await;
                let status = call(&app, &row.call, session.as_deref()).await;
                let refused = matches!(status, 401 | 403 | 404);
                let as_expected = match expected {
                    Y => !refused && status < 500,
                    N => refused,
                };
                if !as_expected {
                    wrong.push(format!("{} as {}: got {status}, expected {expected:?}", row.entry, ACTORS[actor]));
                }
            }
        }
        assert!(wrong.is_empty(), "policy matrix mismatches:\n{}", wrong.join("\n"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_admin_of_another_practice_sees_nothing_of_this_one(engine: Engine) {
        let app = spawn_app(engine).await;
        setup_other_practice_and_patient_b(&app).await;
        app.sign_in(PATIENT.0, PATIENT.1).await;
        let other = app.sign_in(OTHER_ADMIN.0, OTHER_ADMIN.1).await;
        for page in [
            "/admin",
            "/admin/audit",
            "/admin/sessions",
            "/admin/outbox",
            "/admin/staff",
            "/admin/lockouts",
            "/admin/patients",
            "/admin/settings/online-services",
            "/admin/schedule?day=2026-03-03",
            "/admin/schedule/setup",
            "/admin/schedule/rotas",
            "/admin/booking-rules",
            "/admin/messages",
            "/admin/messages?view=closed",
            "/admin/settings/messages",
            "/admin/settings/prescriptions",
            "/admin/prescriptions",
            "/admin/proxies",
            "/admin/settings/proxies",
            "/admin/dashboard",
            "/admin/dashboard/pomi.csv",
            "/admin/problems",
        ] {
            let (status, body) = app.get_as(page, Some(&other)).await;
            assert_eq!(status, 200);
            assert!(body.contains("Elsewhere Surgery"), "{page} shows their own practice");
            for theirs in [PATIENT.0, RECEPTIONIST.0, "Riverside"] {
                assert!(!body.contains(theirs), "{page} leaks {theirs}");
            }
        }
        let searched = app.post_form("/admin/patients", &[("q", "ahmed")], Some(&other)).await.text().await.unwrap();
        assert!(searched.contains("No patients match.") && !searched.contains("Patients found"), "a search finds none of theirs");
        app.stop().await;
    }
}
