//! Every email the app sends, as a value with its text. The words of an email
//! are written here and nowhere else, each kind has a snapshot test of its
//! subject and body (`src/snapshots/`), and none carries clinical details:
//! an inbox is often shared.

use crate::appointments::Channel;
use crate::proxy::Change;
use crate::time::{display_date, display_london};
use crate::StaffRole;
use chrono::{DateTime, NaiveDate, Utc};

/// An email's subject and body, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// The practice as an email signs off with it.
#[derive(Debug, Clone, Copy)]
pub struct PracticeContact<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
}

/// A link to choose a new password, sent when someone asks for one.
#[derive(Debug, Clone, Copy)]
pub struct ResetLink<'a> {
    pub name: &'a str,
    pub practice: &'a str,
    pub link: &'a str,
}

impl ResetLink<'_> {
    pub fn render(&self) -> Mail {
        let ResetLink { name, practice, link } = self;
        Mail {
            subject: format!("Reset your {practice} online services password"),
            body: format!(
                "Hello {name},\n\nSomeone asked to reset the password for your {practice} online services account. \
                 To choose a new password, open this link within 1 hour:\n\n{link}\n\nThe link works once. Using it \
                 signs you out everywhere.\n\nIf you did not ask for this, you can ignore this email: your password \
                 has not changed.\n"
            ),
        }
    }
}

/// Told after a reset link was used to choose a new password.
#[derive(Debug, Clone, Copy)]
pub struct PasswordWasReset<'a> {
    pub name: &'a str,
}

impl PasswordWasReset<'_> {
    pub fn render(&self) -> Mail {
        Mail {
            subject: "Your online services password was reset".into(),
            body: format!(
                "Hello {},\n\nThe password for your online services account was reset using a link sent to this \
                 address. You have been signed out everywhere.\n\nIf you did not do this, contact the practice \
                 straight away.\n",
                self.name
            ),
        }
    }
}

/// Told after someone signed in changed their password.
#[derive(Debug, Clone, Copy)]
pub struct PasswordChanged<'a> {
    pub name: &'a str,
    pub practice: &'a str,
}

impl PasswordChanged<'_> {
    pub fn render(&self) -> Mail {
        let PasswordChanged { name, practice } = self;
        Mail {
            subject: format!("Your {practice} online services password was changed"),
            body: format!(
                "Hello {name},\n\nThe password for your {practice} online services account was changed. You have \
                 been signed out on your other devices.\n\nIf you did not do this, contact the practice straight \
                 away.\n"
            ),
        }
    }
}

/// A new member of staff's invitation, with their set-up link.
#[derive(Debug, Clone, Copy)]
pub struct StaffInvitation<'a> {
    pub name: &'a str,
    pub practice: &'a str,
    pub role: StaffRole,
    pub link: &'a str,
}

impl StaffInvitation<'_> {
    pub fn render(&self) -> Mail {
        let StaffInvitation { name, practice, role, link } = self;
        Mail {
            subject: format!("You are invited to {practice} online services"),
            body: format!(
                "Hello {name},\n\nYou have been given a {role} account for {practice} online services. To choose your \
                 password, open this link within 7 days:\n\n{link}\n\nThe link works once. When you first sign in you \
                 will set up an authenticator app on your phone for the second step of signing in.\n",
                role = role.label().to_lowercase()
            ),
        }
    }
}

/// Told when the practice switches a patient's online account off. The
/// practice's reason stays with the practice.
#[derive(Debug, Clone, Copy)]
pub struct AccountSwitchedOff<'a> {
    pub practice: PracticeContact<'a>,
}

impl AccountSwitchedOff<'_> {
    pub fn render(&self) -> Mail {
        let PracticeContact { name, phone, address } = self.practice;
        Mail {
            subject: format!("Your {name} online services account"),
            body: format!(
                "Hello,\n\n{name} has switched off your online services account, and you have been signed out. To \
                 find out more or to get help, contact the practice on {phone}, or ask at the surgery: {address}.\n"
            ),
        }
    }
}

/// What happened to a request for online services. Every applicant hears
/// only what happens next, never what the register holds or what they typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestNews {
    /// The request arrived (said alike whether or not it matched the register).
    Received,
    Approved,
    /// Declined; the practice's reason is not given.
    Declined,
}

/// An email to someone who asked for online services.
#[derive(Debug, Clone, Copy)]
pub struct RequestUpdate<'a> {
    pub practice: PracticeContact<'a>,
    pub news: RequestNews,
}

impl RequestUpdate<'_> {
    pub fn render(&self) -> Mail {
        let PracticeContact { name, phone, address } = self.practice;
        let body = match self.news {
            RequestNews::Received => format!(
                "Hello,\n\nThank you for asking to use online services at {name}. We have your request.\n\nWhat \
                 happens next: the practice will contact you. To keep your record safe, you will need to come to the \
                 surgery with photo ID, such as a passport or driving licence. Staff will talk to you about online \
                 access and give you a registration letter with the details you need to set up your account. We \
                 never send those details by email.\n\nIf you did not ask for this, you can ignore this email, or \
                 tell the practice on {phone}.\n"
            ),
            RequestNews::Approved => format!(
                "Hello,\n\n{name} has approved your request for online services. Your registration letter has the \
                 details you need to set up your account: if you do not have it yet, collect it from reception. We \
                 never send those details by email.\n\nIf you have a question, contact the practice on {phone}.\n"
            ),
            RequestNews::Declined => format!(
                "Hello,\n\n{name} is not able to set up online services for you from your request. To talk about \
                 it, contact the practice on {phone}, or ask at the surgery: {address}.\n"
            ),
        };
        Mail { subject: format!("Your request for online services at {name}"), body }
    }
}

/// Told when the practice replies to a patient's message: no message text
/// and nothing clinical, only that there is something to read.
#[derive(Debug, Clone, Copy)]
pub struct NewMessageNotice<'a> {
    pub practice: &'a str,
    /// Where the patient signs in to read it.
    pub link: &'a str,
}

impl NewMessageNotice<'_> {
    pub fn render(&self) -> Mail {
        let NewMessageNotice { practice, link } = self;
        Mail {
            subject: format!("You have a new message from {practice}"),
            body: format!(
                "Hello,\n\nYou have a new message from {practice}. Sign in to read it: {link}\n\nFor your \
                 privacy, messages are never sent by email.\n"
            ),
        }
    }
}

/// Told at each change to a prescription request: no medicine names, nothing
/// clinical, only that there is something to see.
#[derive(Debug, Clone, Copy)]
pub struct PrescriptionUpdate<'a> {
    pub practice: &'a str,
    /// Where the patient signs in to see their requests.
    pub link: &'a str,
}

impl PrescriptionUpdate<'_> {
    pub fn render(&self) -> Mail {
        let PrescriptionUpdate { practice, link } = self;
        Mail {
            subject: format!("Your prescription request at {practice} has been updated"),
            body: format!(
                "Hello,\n\nYour prescription request has been updated. Sign in to see it: {link}\n\nFor your \
                 privacy, we never name medicines in emails.\n\n{practice}\n"
            ),
        }
    }
}

/// What an appointment email says. It never names the type of appointment
/// or the clinician, either of which can reveal why someone is seeing the
/// practice to whoever reads the inbox.
#[derive(Debug, Clone)]
pub struct AppointmentNotice<'a> {
    pub practice_name: &'a str,
    pub practice_phone: &'a str,
    pub starts: DateTime<Utc>,
    pub channel: Channel,
    pub location: &'a str,
    /// Where the patient sees and cancels their appointments.
    pub link: &'a str,
    pub cancel_cutoff_minutes: u32,
}

/// What happened to the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentNews {
    Booked,
    /// Cancelled by the patient (or by reception for them).
    Cancelled,
    /// Cancelled by the practice: a session or slot it cancelled.
    CancelledByPractice,
}

impl AppointmentNotice<'_> {
    fn where_and_how(&self) -> String {
        match self.channel {
            Channel::InPerson => format!("Where: {}", self.location),
            Channel::Telephone => "How: the practice will phone you. Keep your phone with you.".into(),
            Channel::Video => "How: a video call. The practice will send you the link.".into(),
        }
    }

    pub fn render(&self, news: AppointmentNews) -> Mail {
        let practice = self.practice_name;
        let when = display_london(self.starts);
        match news {
            AppointmentNews::Booked => Mail {
                subject: format!("Your appointment at {practice} is booked"),
                body: format!(
                    "Your appointment is booked.\n\nWhen: {when}\n{}\n\nIf you cannot come, cancel it so someone else \
                     can have it. You can cancel online up to {} before it starts: {}\nOr call the practice on {}.\n",
                    self.where_and_how(),
                    crate::appointments::duration(self.cancel_cutoff_minutes),
                    self.link,
                    self.practice_phone,
                ),
            },
            AppointmentNews::Cancelled | AppointmentNews::CancelledByPractice => {
                let who = if news == AppointmentNews::CancelledByPractice {
                    "The practice has cancelled your appointment. We are sorry for the inconvenience."
                } else {
                    "Your appointment is cancelled."
                };
                Mail {
                    subject: format!("Your appointment at {practice} is cancelled"),
                    body: format!(
                        "{who}\n\nIt was: {when}\n\nTo book another, go to {} or call the practice on {}.\n",
                        self.link, self.practice_phone,
                    ),
                }
            }
        }
    }
}

/// Told 30 days before a change to proxy access: to the proxy, and for a
/// young person about to turn 16, to them as well. Names and dates only.
#[derive(Debug, Clone, Copy)]
pub struct ProxyChangeNotice<'a> {
    pub practice: &'a str,
    /// The person acted for.
    pub subject: &'a str,
    /// The proxy.
    pub proxy: &'a str,
    pub change: Change,
    /// The day it changes.
    pub on: NaiveDate,
    /// Where to sign in.
    pub link: &'a str,
}

impl ProxyChangeNotice<'_> {
    /// The email to the proxy.
    pub fn to_proxy(&self) -> Mail {
        let ProxyChangeNotice { practice, subject, on, link, .. } = *self;
        let on = display_date(on);
        let what = match self.change {
            Change::Narrows => format!(
                "From {on}, because of {subject}'s age, you will still be able to book appointments and order \
                 repeat prescriptions for them if you can now, but no longer read their record or send messages \
                 for them."
            ),
            Change::ReviewDue => format!(
                "From {on} the practice will review your access to {subject}'s online services, as it does for \
                 every parent when a child reaches this age. The practice may contact you or {subject}."
            ),
            Change::Suspends => format!(
                "{subject} turns 16 on {on}, and a parent's access stops that day. {subject} can give you \
                 access again from their own account if they want you to keep helping."
            ),
            Change::Ends => {
                format!("From {on} you will no longer have access to {subject}'s online services, as agreed.")
            }
            Change::EndsUnused => format!(
                "Your access to {subject}'s online services has not been used for nearly 5 years. It ends on \
                 {on} unless you sign in and use it before then."
            ),
        };
        Mail {
            subject: format!("Your access to {subject}'s online services at {practice} is changing"),
            body: format!("Hello,\n\n{what}\n\nSign in: {link}\n\nIf you have a question, contact {practice}.\n"),
        }
    }

    /// The email to the young person, before a parent's access stops.
    pub fn to_subject(&self) -> Mail {
        let ProxyChangeNotice { practice, proxy, on, link, .. } = *self;
        let on = display_date(on);
        Mail {
            subject: format!("When you turn 16: your {practice} online services"),
            body: format!(
                "Hello,\n\nOn {on} you turn 16. From that day {proxy} can no longer use your online services \
                 for you as your parent.\n\nIf you want them to keep helping, you can give them access \
                 yourself once you have your own account. Sign in or ask the practice: {link}\n"
            ),
        }
    }
}

/// Told when someone's access to act for a patient starts (set up by staff,
/// or given by the patient once the practice has approved it, where it
/// reviews them): who, where and what, nothing clinical.
#[derive(Debug, Clone, Copy)]
pub struct ProxyInvitation<'a> {
    pub practice: &'a str,
    /// The patient they may act for.
    pub subject: &'a str,
    /// "Appointments, repeat prescriptions"
    pub services: &'a str,
    pub start: ProxyStart<'a>,
}

/// How a proxy starts: they have a sign-in with this email, or a sign-in was
/// made for them and they choose its password first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyStart<'a> {
    /// The sign-in page.
    SignIn(&'a str),
    /// A single-use link to choose a password, and how many days it works.
    ChoosePassword { link: &'a str, days: i64 },
}

impl ProxyInvitation<'_> {
    pub fn render(&self) -> Mail {
        let ProxyInvitation { practice, subject, services, start } = self;
        let how = match start {
            ProxyStart::SignIn(link) => {
                format!("To use it, sign in with this email address and choose them under \"Switch person\": {link}")
            }
            ProxyStart::ChoosePassword { link, days } => format!(
                "An account has been made for you with this email address. To use it, choose a password \
                 with this link, which works once within {days} days: {link}\n\n\
                 Then sign in with this email address and that password. If the link has expired, \
                 use \"Forgotten your password?\" on the sign-in page."
            ),
        };
        Mail {
            subject: format!("You can now act for {subject} online"),
            body: format!(
                "Hello,\n\nYou can now use {subject}'s online services at {practice}: {services}.\n\n{how}\n\n\
                 If you did not expect this email, contact {practice}.\n"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const PRACTICE: PracticeContact<'static> =
        PracticeContact { name: "Riverside Medical Practice", phone: "01632 960000", address: "1 River Road, AB1 2CD" };

    /// The snapshot's text: the subject, a blank line, the body.
    fn text(mail: Mail) -> String {
        format!("Subject: {}\n\n{}", mail.subject, mail.body)
    }

    fn notice(channel: Channel) -> AppointmentNotice<'static> {
        AppointmentNotice {
            practice_name: PRACTICE.name,
            practice_phone: PRACTICE.phone,
            // 09:10 in London in summer time.
            starts: Utc.with_ymd_and_hms(2026, 6, 2, 8, 10, 0).unwrap(),
            channel,
            location: "Room 3, Riverside Surgery",
            link: "https://gp.example/appointments",
            cancel_cutoff_minutes: 120,
        }
    }

    #[test]
    fn a_reset_link() {
        let mail =
            ResetLink { name: "Sam Patel", practice: PRACTICE.name, link: "https://gp.example/reset-password/TOKEN" };
        insta::assert_snapshot!(text(mail.render()));
    }

    #[test]
    fn a_password_reset_with_a_link() {
        insta::assert_snapshot!(text(PasswordWasReset { name: "Sam Patel" }.render()));
    }

    #[test]
    fn a_password_changed_when_signed_in() {
        insta::assert_snapshot!(text(PasswordChanged { name: "Sam Patel", practice: PRACTICE.name }.render()));
    }

    #[test]
    fn a_staff_invitation() {
        let mail = StaffInvitation {
            name: "Dr Ada Jones",
            practice: PRACTICE.name,
            role: StaffRole::Clinician,
            link: "https://gp.example/setup/TOKEN",
        };
        insta::assert_snapshot!(text(mail.render()));
    }

    #[test]
    fn an_account_switched_off() {
        insta::assert_snapshot!(text(AccountSwitchedOff { practice: PRACTICE }.render()));
    }

    #[test]
    fn a_request_received() {
        insta::assert_snapshot!(text(RequestUpdate { practice: PRACTICE, news: RequestNews::Received }.render()));
    }

    #[test]
    fn a_request_approved() {
        insta::assert_snapshot!(text(RequestUpdate { practice: PRACTICE, news: RequestNews::Approved }.render()));
    }

    #[test]
    fn a_request_declined() {
        insta::assert_snapshot!(text(RequestUpdate { practice: PRACTICE, news: RequestNews::Declined }.render()));
    }

    #[test]
    fn a_new_message_notice() {
        let mail = NewMessageNotice { practice: PRACTICE.name, link: "https://gp.example/messages" };
        insta::assert_snapshot!(text(mail.render()));
    }

    #[test]
    fn a_prescription_update() {
        let mail = PrescriptionUpdate { practice: PRACTICE.name, link: "https://gp.example/prescriptions" };
        insta::assert_snapshot!(text(mail.render()));
    }

    #[test]
    fn an_appointment_booked_in_person() {
        insta::assert_snapshot!(text(notice(Channel::InPerson).render(AppointmentNews::Booked)));
    }

    #[test]
    fn an_appointment_booked_by_telephone() {
        insta::assert_snapshot!(text(notice(Channel::Telephone).render(AppointmentNews::Booked)));
    }

    #[test]
    fn an_appointment_cancelled_by_the_patient() {
        insta::assert_snapshot!(text(notice(Channel::Video).render(AppointmentNews::Cancelled)));
    }

    #[test]
    fn an_appointment_cancelled_by_the_practice() {
        insta::assert_snapshot!(text(notice(Channel::InPerson).render(AppointmentNews::CancelledByPractice)));
    }

    fn proxy_notice(change: Change) -> ProxyChangeNotice<'static> {
        ProxyChangeNotice {
            practice: PRACTICE.name,
            subject: "Noah Jones",
            proxy: "Dev Jones",
            change,
            on: chrono::NaiveDate::from_ymd_opt(2026, 12, 27).unwrap(),
            link: "https://gp.example/people",
        }
    }

    #[test]
    fn a_parent_told_their_access_narrows() {
        insta::assert_snapshot!(text(proxy_notice(Change::Narrows).to_proxy()));
    }

    #[test]
    fn a_parent_told_their_access_is_due_for_review() {
        insta::assert_snapshot!(text(proxy_notice(Change::ReviewDue).to_proxy()));
    }

    #[test]
    fn a_parent_told_their_access_stops_at_16() {
        insta::assert_snapshot!(text(proxy_notice(Change::Suspends).to_proxy()));
    }

    #[test]
    fn a_young_person_told_a_parents_access_stops_at_16() {
        insta::assert_snapshot!(text(proxy_notice(Change::Suspends).to_subject()));
    }

    #[test]
    fn a_proxy_told_their_access_ends() {
        insta::assert_snapshot!(text(proxy_notice(Change::Ends).to_proxy()));
    }

    #[test]
    fn a_proxy_told_unused_access_will_end() {
        insta::assert_snapshot!(text(proxy_notice(Change::EndsUnused).to_proxy()));
    }

    #[test]
    fn a_proxy_invited_by_the_patient() {
        let mail = ProxyInvitation {
            practice: PRACTICE.name,
            subject: "Chloe Ahmed",
            services: "Appointments, repeat prescriptions",
            start: ProxyStart::SignIn("https://gp.example/sign-in"),
        };
        insta::assert_snapshot!(text(mail.render()));
    }

    #[test]
    fn a_proxy_with_no_account_chooses_a_password() {
        let mail = ProxyInvitation {
            practice: PRACTICE.name,
            subject: "Noah Jones",
            services: "Appointments, messages",
            start: ProxyStart::ChoosePassword { link: "https://gp.example/setup/abc123", days: 7 },
        };
        insta::assert_snapshot!(text(mail.render()));
    }
}
