//! The one authorization policy: may this actor do this to this object?
//!
//! Every page, server function and handler asks [`authorize`] before it
//! touches anything. A patient reaches only their own data (or that of
//! someone they act for); staff reach only their own practice's data, and
//! only what their role allows.

use crate::{Actor, LoginId, PatientId, PracticeId, StaffRole};
use serde::{Deserialize, Serialize};

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Use their own account: see it, change its password, sign out everywhere.
    UseOwnAccount,
    /// Open the staff area of a practice.
    UseStaffArea,
    /// Browse a practice's audit trail.
    ViewAuditTrail,
    /// See the email waiting to be sent, or sent, by a practice.
    ViewOutbox,
    /// See who is signed in at a practice.
    ViewSessions,
    /// End someone's session.
    EndSession,
    /// Invite staff, change their role, disable or re-enable them, reset their two-factor.
    ManageStaff,
    /// See which logins were locked after failed sign-ins.
    ViewLockouts,
    /// Search the register and open a patient's page.
    ViewPatients,
    /// Change which online services a patient has.
    ChangeGrants,
    /// Change the practice's online services settings and default grants.
    ManageOnlineServices,
    /// Record that a patient left the practice, died, or registered again.
    ChangeRegistration,
    /// Add patients to the register from a file.
    ImportPatients,
    /// Change a patient's email, mobile and contact preferences.
    EditContactDetails,
    /// Change a patient's name, date of birth, sex and address.
    EditDemographics,
    /// Book and cancel appointments for a patient, by phone or at the desk.
    BookForPatients,
    /// Keep the appointment book: clinicians, session and slot types, rotas,
    /// sessions and slots.
    ManageSchedule,
    /// Decide what patients can book online, and the limits.
    ManageBookingRules,
    /// Run patients' online access: handle their requests, check who they
    /// are, issue (or reissue) registration letters, disable and re-enable
    /// accounts, and record offers made at the desk.
    IssueOnlineAccounts,
    /// Hear of slots being taken and freed at one's own practice, to keep a
    /// list of slots on screen up to date.
    WatchSlots,
    /// Read and answer patients' messages: the inbox, replying, assigning
    /// and closing conversations; hear of new messages live.
    HandleMessages,
    /// See the prescription queue and requests, and record that an issued
    /// item is ready to collect, sent to the pharmacy or dispensed.
    HandlePrescriptions,
    /// Approve, change or reject the items of a prescription request.
    DecidePrescriptions,
    /// Change the practice's messaging settings: on or off, categories, the
    /// reply promise, hours, daily caps and red-flag phrases.
    ManageMessaging,
    /// Change the practice's prescription settings: which ordering rules
    /// block and which flag, how early patients order, the note, the promise.
    ManagePrescribing,
    /// Read a patient's whole record (hidden entries included), hide or show
    /// an entry, file a result, and preview what the patient sees.
    KeepRecord,
    /// Record a patient's consent to share their record.
    RecordConsent,
    /// Import patients' records from the clinical system (FHIR bundles).
    ImportRecords,
    /// Set up proxy access for a patient after checking the proxy, and
    /// suspend, resume or end it.
    ManageProxyAccess,
    /// Change the practice's ages for parents' access and whether grants
    /// patients give wait for review.
    ManageProxySettings,
    /// See the practice dashboard: uptake and use of online services, the
    /// targets, who is left behind, and its files.
    ViewDashboard,
    /// See the practice's problem log and say what became of each problem.
    HandleProblems,
}

/// What the action is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// The actor's own login.
    OwnLogin,
    /// A practice as a whole.
    Practice(PracticeId),
    /// A login, with the practice it belongs to.
    Login { login: LoginId, practice: PracticeId },
    /// A patient's record, with the practice they are registered at.
    Patient { patient: PatientId, practice: PracticeId },
}

/// Why a request was refused. `SignInRequired` asks the person to sign in;
/// `Forbidden` tells them they cannot do this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    SignInRequired,
    Forbidden,
}

/// Decides whether `actor` may do `action` to `object`.
pub fn authorize(actor: &Actor, action: Action, object: Object) -> Result<(), Refusal> {
    let refuse = Err(Refusal::Forbidden);
    match actor {
        Actor::Anonymous => Err(Refusal::SignInRequired),
        Actor::Patient { practice, .. } | Actor::Proxy { practice, .. } => match (action, object) {
            (Action::UseOwnAccount, Object::OwnLogin) => Ok(()),
            (Action::WatchSlots, Object::Practice(p)) if p == *practice => Ok(()),
            _ => refuse,
        },
        Actor::Staff { practice, role, login } => {
            let practice_of_object = match object {
                Object::OwnLogin => return if action == Action::UseOwnAccount { Ok(()) } else { refuse },
                Object::Practice(p) | Object::Login { practice: p, .. } | Object::Patient { practice: p, .. } => p,
            };
            if practice_of_object != *practice {
                return refuse;
            }
            let allowed = match action {
                Action::UseOwnAccount => {
                    matches!(object, Object::Login { login: l, .. } if l == *login)
                }
                Action::UseStaffArea
                | Action::ViewPatients
                | Action::ChangeGrants
                | Action::EditContactDetails
                | Action::BookForPatients
                | Action::WatchSlots
                | Action::HandleMessages
                | Action::HandlePrescriptions
                | Action::RecordConsent
                | Action::ManageProxyAccess
                | Action::HandleProblems => true,
                Action::DecidePrescriptions | Action::ViewDashboard => {
                    matches!(role, StaffRole::Clinician | StaffRole::PracticeAdmin)
                }
                // What a patient may read of their record is a clinical judgement.
                Action::KeepRecord => *role == StaffRole::Clinician,
                Action::ManageSchedule | Action::IssueOnlineAccounts => {
                    matches!(role, StaffRole::PracticeAdmin | StaffRole::Receptionist)
                }
                Action::ViewAuditTrail
                | Action::ViewOutbox
                | Action::ViewSessions
                | Action::EndSession
                | Action::ManageStaff
                | Action::ViewLockouts
                | Action::ManageOnlineServices
                | Action::ChangeRegistration
                | Action::ImportPatients
                | Action::ImportRecords
                | Action::EditDemographics
                | Action::ManageBookingRules
                | Action::ManageMessaging
                | Action::ManagePrescribing
                | Action::ManageProxySettings => *role == StaffRole::PracticeAdmin,
            };
            if allowed {
                Ok(())
            } else {
                refuse
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: PracticeId = PracticeId(1);
    const ELSEWHERE: PracticeId = PracticeId(2);

    fn staff(role: StaffRole, practice: PracticeId) -> Actor {
        Actor::Staff { login: LoginId(10), practice, role }
    }

    fn patient() -> Actor {
        Actor::Patient { login: LoginId(20), patient: PatientId(5), practice: HERE }
    }

    #[test]
    fn nobody_signed_out_may_do_anything() {
        for action in [Action::UseOwnAccount, Action::UseStaffArea, Action::ViewAuditTrail] {
            assert_eq!(authorize(&Actor::Anonymous, action, Object::Practice(HERE)), Err(Refusal::SignInRequired));
        }
    }

    #[test]
    fn a_patient_uses_their_own_account_and_nothing_of_the_practice() {
        assert_eq!(authorize(&patient(), Action::UseOwnAccount, Object::OwnLogin), Ok(()));
        for action in [Action::UseStaffArea, Action::ViewAuditTrail, Action::ViewOutbox, Action::ViewSessions] {
            assert_eq!(authorize(&patient(), action, Object::Practice(HERE)), Err(Refusal::Forbidden));
        }
    }

    #[test]
    fn every_staff_role_opens_its_own_practices_staff_area_only() {
        for role in StaffRole::ALL {
            assert_eq!(authorize(&staff(role, HERE), Action::UseStaffArea, Object::Practice(HERE)), Ok(()));
            assert_eq!(
                authorize(&staff(role, HERE), Action::UseStaffArea, Object::Practice(ELSEWHERE)),
                Err(Refusal::Forbidden)
            );
        }
    }

    #[test]
    fn only_a_clinician_of_the_practice_keeps_a_patients_record() {
        let object = |practice| Object::Patient { patient: PatientId(5), practice };
        for role in StaffRole::ALL {
            let expected = if role == StaffRole::Clinician { Ok(()) } else { Err(Refusal::Forbidden) };
            assert_eq!(authorize(&staff(role, HERE), Action::KeepRecord, object(HERE)), expected, "{role:?}");
            assert_eq!(authorize(&staff(role, HERE), Action::KeepRecord, object(ELSEWHERE)), Err(Refusal::Forbidden));
        }
        assert_eq!(authorize(&patient(), Action::KeepRecord, object(HERE)), Err(Refusal::Forbidden));
    }

    #[test]
    fn every_staff_role_handles_messages_and_only_a_practice_admin_changes_how_they_work() {
        for role in StaffRole::ALL {
            let here = staff(role, HERE);
            assert_eq!(authorize(&here, Action::HandleMessages, Object::Practice(HERE)), Ok(()));
            assert_eq!(authorize(&here, Action::HandleMessages, Object::Practice(ELSEWHERE)), Err(Refusal::Forbidden));
            let expected = if role == StaffRole::PracticeAdmin { Ok(()) } else { Err(Refusal::Forbidden) };
            assert_eq!(authorize(&here, Action::ManageMessaging, Object::Practice(HERE)), expected, "{role:?}");
        }
        assert_eq!(authorize(&patient(), Action::HandleMessages, Object::Practice(HERE)), Err(Refusal::Forbidden));
    }

    #[test]
    fn every_staff_role_handles_the_prescription_queue_and_only_clinicians_and_admins_decide() {
        for role in StaffRole::ALL {
            let here = staff(role, HERE);
            assert_eq!(authorize(&here, Action::HandlePrescriptions, Object::Practice(HERE)), Ok(()));
            let decides = matches!(role, StaffRole::Clinician | StaffRole::PracticeAdmin);
            let expected = if decides { Ok(()) } else { Err(Refusal::Forbidden) };
            assert_eq!(authorize(&here, Action::DecidePrescriptions, Object::Practice(HERE)), expected, "{role:?}");
            assert_eq!(
                authorize(&here, Action::DecidePrescriptions, Object::Practice(ELSEWHERE)),
                Err(Refusal::Forbidden)
            );
        }
    }

    #[test]
    fn only_a_practice_admin_sees_the_audit_trail_outbox_and_sessions() {
        for action in [Action::ViewAuditTrail, Action::ViewOutbox, Action::ViewSessions] {
            for role in StaffRole::ALL {
                let expected = if role == StaffRole::PracticeAdmin { Ok(()) } else { Err(Refusal::Forbidden) };
                assert_eq!(
                    authorize(&staff(role, HERE), action, Object::Practice(HERE)),
                    expected,
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn an_admin_ends_sessions_of_their_own_practices_logins_only() {
        let admin = staff(StaffRole::PracticeAdmin, HERE);
        let ours = Object::Login { login: LoginId(99), practice: HERE };
        let theirs = Object::Login { login: LoginId(99), practice: ELSEWHERE };
        assert_eq!(authorize(&admin, Action::EndSession, ours), Ok(()));
        assert_eq!(authorize(&admin, Action::EndSession, theirs), Err(Refusal::Forbidden));
        assert_eq!(authorize(&staff(StaffRole::Receptionist, HERE), Action::EndSession, ours), Err(Refusal::Forbidden));
    }

    #[test]
    fn only_a_practice_admin_manages_staff_of_their_own_practice() {
        let ours = Object::Login { login: LoginId(99), practice: HERE };
        let theirs = Object::Login { login: LoginId(99), practice: ELSEWHERE };
        assert_eq!(authorize(&staff(StaffRole::PracticeAdmin, HERE), Action::ManageStaff, ours), Ok(()));
        assert_eq!(
            authorize(&staff(StaffRole::PracticeAdmin, HERE), Action::ManageStaff, theirs),
            Err(Refusal::Forbidden)
        );
        for role in [StaffRole::Receptionist, StaffRole::Clinician] {
            assert_eq!(authorize(&staff(role, HERE), Action::ManageStaff, ours), Err(Refusal::Forbidden));
            assert_eq!(
                authorize(&staff(role, HERE), Action::ViewLockouts, Object::Practice(HERE)),
                Err(Refusal::Forbidden)
            );
        }
        assert_eq!(authorize(&patient(), Action::ManageStaff, ours), Err(Refusal::Forbidden));
    }

    #[test]
    fn every_staff_role_sees_and_grants_for_its_own_patients_and_only_admins_change_the_settings() {
        let here = Object::Patient { patient: PatientId(5), practice: HERE };
        let there = Object::Patient { patient: PatientId(5), practice: ELSEWHERE };
        for role in StaffRole::ALL {
            for action in [Action::ViewPatients, Action::ChangeGrants, Action::EditContactDetails] {
                assert_eq!(authorize(&staff(role, HERE), action, here), Ok(()));
                assert_eq!(authorize(&staff(role, HERE), action, there), Err(Refusal::Forbidden));
            }
            let expected = if role == StaffRole::PracticeAdmin { Ok(()) } else { Err(Refusal::Forbidden) };
            assert_eq!(authorize(&staff(role, HERE), Action::ManageOnlineServices, Object::Practice(HERE)), expected);
            assert_eq!(authorize(&staff(role, HERE), Action::ChangeRegistration, here), expected);
            assert_eq!(authorize(&staff(role, HERE), Action::ImportPatients, Object::Practice(HERE)), expected);
            assert_eq!(authorize(&staff(role, HERE), Action::EditDemographics, here), expected);
        }
        assert_eq!(authorize(&patient(), Action::ViewPatients, here), Err(Refusal::Forbidden));
    }

    #[test]
    fn every_role_books_for_its_own_patients_clinicians_do_not_keep_the_book_and_only_admins_set_the_rules() {
        let here = Object::Patient { patient: PatientId(5), practice: HERE };
        let there = Object::Patient { patient: PatientId(5), practice: ELSEWHERE };
        for role in StaffRole::ALL {
            assert_eq!(authorize(&staff(role, HERE), Action::BookForPatients, here), Ok(()));
            assert_eq!(authorize(&staff(role, HERE), Action::BookForPatients, there), Err(Refusal::Forbidden));
            let keeper = if role == StaffRole::Clinician { Err(Refusal::Forbidden) } else { Ok(()) };
            assert_eq!(authorize(&staff(role, HERE), Action::ManageSchedule, Object::Practice(HERE)), keeper);
            let admin = if role == StaffRole::PracticeAdmin { Ok(()) } else { Err(Refusal::Forbidden) };
            assert_eq!(authorize(&staff(role, HERE), Action::ManageBookingRules, Object::Practice(HERE)), admin);
        }
        assert_eq!(
            authorize(&staff(StaffRole::PracticeAdmin, HERE), Action::ManageSchedule, Object::Practice(ELSEWHERE)),
            Err(Refusal::Forbidden)
        );
        assert_eq!(authorize(&patient(), Action::BookForPatients, here), Err(Refusal::Forbidden));
    }

    #[test]
    fn reception_and_practice_admins_issue_registration_letters_for_their_own_practice() {
        let here = Object::Patient { patient: PatientId(5), practice: HERE };
        let there = Object::Patient { patient: PatientId(5), practice: ELSEWHERE };
        for role in StaffRole::ALL {
            let expected = if role == StaffRole::Clinician { Err(Refusal::Forbidden) } else { Ok(()) };
            assert_eq!(authorize(&staff(role, HERE), Action::IssueOnlineAccounts, here), expected);
            assert_eq!(authorize(&staff(role, HERE), Action::IssueOnlineAccounts, there), Err(Refusal::Forbidden));
        }
        assert_eq!(authorize(&patient(), Action::IssueOnlineAccounts, here), Err(Refusal::Forbidden));
    }

    #[test]
    fn patients_and_staff_watch_slots_at_their_own_practice_only() {
        assert_eq!(authorize(&patient(), Action::WatchSlots, Object::Practice(HERE)), Ok(()));
        assert_eq!(authorize(&patient(), Action::WatchSlots, Object::Practice(ELSEWHERE)), Err(Refusal::Forbidden));
        for role in StaffRole::ALL {
            assert_eq!(authorize(&staff(role, HERE), Action::WatchSlots, Object::Practice(HERE)), Ok(()));
            assert_eq!(
                authorize(&staff(role, HERE), Action::WatchSlots, Object::Practice(ELSEWHERE)),
                Err(Refusal::Forbidden)
            );
        }
        assert_eq!(
            authorize(&Actor::Anonymous, Action::WatchSlots, Object::Practice(HERE)),
            Err(Refusal::SignInRequired)
        );
    }

    #[test]
    fn staff_see_patients_of_their_own_practice_only() {
        let here = Object::Patient { patient: PatientId(5), practice: HERE };
        let there = Object::Patient { patient: PatientId(5), practice: ELSEWHERE };
        assert_eq!(authorize(&staff(StaffRole::Clinician, HERE), Action::UseStaffArea, here), Ok(()));
        assert_eq!(authorize(&staff(StaffRole::Clinician, HERE), Action::UseStaffArea, there), Err(Refusal::Forbidden));
    }
}
