//! One module per page (or group of pages). Pages load through server
//! functions in `crate::api` and render with the components in
//! `crate::components`.

mod access_requests;
mod account;
mod admin;
mod appointments;
mod booking_rules;
mod consider_access;
mod error;
mod grants;
mod home;
mod inbox;
mod message_settings;
mod messages;
mod online_accounts;
mod password_reset;
mod patient_home;
mod patient_prescribing;
mod patients;
mod prescription_queue;
mod prescription_settings;
mod prescriptions;
mod reception;
mod register;
mod schedule;
mod settings;
mod setup;
mod sign_in;
mod staff;
mod two_factor;

pub use access_requests::{AccessRequestPage, AccessRequestsPage};
pub use account::{AccountPage, ChangePasswordPage};
pub use admin::{AdminHome, AuditPage, LockoutsPage, OutboxPage, SessionsPage};
pub use appointments::{AppointmentPage, AppointmentsPage, CheckAppointmentPage, FindAppointmentPage};
pub use booking_rules::BookingRulesPage;
pub use consider_access::{ApplicationFormPage, ConsiderAccessPage};
pub use error::ErrorPage;
pub use home::{HomePage, PracticePage};
pub use inbox::{InboxPage, StaffThreadPage};
pub use message_settings::MessagingSettingsPage;
pub use messages::{MessagesPage, NewMessagePage, ThreadPage, WriteMessagePage};
pub use online_accounts::{ActivatePage, OnlineAccountPage, RegistrationLetterPage};
pub use password_reset::{ForgotPasswordPage, ResetPasswordPage, ResetSentPage};
pub use patient_home::PatientHomePage;
pub use patients::{ImportPatientsPage, PatientPage, PatientsPage};
pub use prescription_queue::{PrescriptionQueuePage, StaffRequestPage};
pub use prescription_settings::PrescribingSettingsPage;
pub use prescriptions::{OrderPage, PrescriptionsPage, RequestsPage};
pub use reception::{PatientAppointmentsPage, ReceptionBookPage, ReceptionConfirmPage};
pub use register::{RegisterPage, RequestSentPage};
pub use schedule::{NewSessionPage, RotasPage, SchedulePage, ScheduleSetupPage, SessionPage, SlotTypePage};
pub use settings::OnlineServicesSettingsPage;
pub use setup::{SetupComplete, SetupPage};
pub use sign_in::SignInPage;
pub use staff::{InviteStaffPage, StaffMemberPage, StaffPage};
pub use two_factor::{SetUpTwoFactorPage, TwoFactorPage};
