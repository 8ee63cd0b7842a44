//! GP Online's web app: pages, components and server functions. Compiled twice:
//! with `ssr` into the server (rendering and server functions), with `hydrate`
//! into the browser's WebAssembly. Rules live in the `domain` crate; this
//! crate only presents them.

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use error::AppError;
use pages::*;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <PageScript/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Swaps pages in place (`pages.js`): inline, with this response's script
/// nonce, so it needs no request of its own and runs even when the
/// WebAssembly does not arrive.
#[component]
fn PageScript() -> impl IntoView {
    view! { <script nonce=leptos::nonce::use_nonce()>{include_str!("pages.js")}</script> }
}

/// The app's routes. Every route renders with [`SsrMode::Async`] so the whole
/// page arrives in the first response and works without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/assets/images/favicon.svg" type_="image/svg+xml"/>
        <Title text="GP Online"/>
        <Router>
            <Routes fallback=|| view! { <ErrorPage error=AppError::NotFound/> }>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("practices"), ParamSegment("ods")) view=PracticePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("sign-in"), StaticSegment("two-factor")) view=TwoFactorPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("sign-in"), StaticSegment("set-up-two-factor")) view=SetUpTwoFactorPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("forgot-password"), StaticSegment("sent")) view=ResetSentPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("reset-password"), ParamSegment("token")) view=ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("register"), StaticSegment("sent")) view=RequestSentPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("activate") view=ActivatePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("account"), StaticSegment("password")) view=ChangePasswordPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("appointments") view=AppointmentsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("appointments"), StaticSegment("book")) view=FindAppointmentPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("appointments"), StaticSegment("book"), ParamSegment("slot")) view=CheckAppointmentPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("appointments"), ParamSegment("appointment")) view=AppointmentPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("home") view=PatientHomePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("people") view=PeoplePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("people"), StaticSegment("give-access")) view=GiveAccessPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("messages") view=MessagesPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("messages"), StaticSegment("new")) view=NewMessagePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("messages"), StaticSegment("new"), StaticSegment("write")) view=WriteMessagePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("messages"), ParamSegment("thread")) view=ThreadPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("prescriptions") view=PrescriptionsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("prescriptions"), StaticSegment("order")) view=OrderPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("prescriptions"), StaticSegment("requests")) view=RequestsPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("admin") view=AdminHome ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("prescriptions")) view=PrescriptionQueuePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("prescriptions"), ParamSegment("request")) view=StaffRequestPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("messages")) view=InboxPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("messages"), ParamSegment("thread")) view=StaffThreadPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("settings"), StaticSegment("messages")) view=MessagingSettingsPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("record") view=RecordPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("record"), StaticSegment("who-looked")) view=WhoLookedPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("record"), StaticSegment("sharing")) view=SharingPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("settings"), StaticSegment("prescriptions")) view=PrescribingSettingsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule")) view=SchedulePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule"), StaticSegment("setup")) view=ScheduleSetupPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule"), StaticSegment("slot-types"), ParamSegment("slot_type")) view=SlotTypePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule"), StaticSegment("rotas")) view=RotasPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule"), StaticSegment("sessions"), StaticSegment("new")) view=NewSessionPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("schedule"), StaticSegment("sessions"), ParamSegment("session")) view=SessionPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("booking-rules")) view=BookingRulesPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("access-requests")) view=AccessRequestsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("access-requests"), ParamSegment("request")) view=AccessRequestPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=AuditPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("outbox")) view=OutboxPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("sessions")) view=SessionsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("lockouts")) view=LockoutsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients")) view=PatientsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), StaticSegment("import")) view=ImportPatientsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("record"), StaticSegment("import")) view=RecordImportPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient")) view=PatientPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("appointments")) view=PatientAppointmentsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("record")) view=StaffRecordPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("proxies"), StaticSegment("new")) view=AddProxyPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("proxies")) view=ProxyReviewPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("dashboard")) view=DashboardPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("problems")) view=ProblemLogPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("report-a-problem") view=ReportProblemPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("settings"), StaticSegment("proxies")) view=ProxySettingsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("book")) view=ReceptionBookPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("online-account")) view=OnlineAccountPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("online-account"), StaticSegment("letter")) view=RegistrationLetterPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("application-form")) view=ApplicationFormPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("consider-access")) view=ConsiderAccessPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("patients"), ParamSegment("patient"), StaticSegment("book"), ParamSegment("slot")) view=ReceptionConfirmPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("settings"), StaticSegment("online-services")) view=OnlineServicesSettingsPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("staff")) view=StaffPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("staff"), StaticSegment("invite")) view=InviteStaffPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("admin"), StaticSegment("staff"), ParamSegment("login")) view=StaffMemberPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("setup"), ParamSegment("token")) view=SetupPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("setup-complete") view=SetupComplete ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
