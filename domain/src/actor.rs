//! Who is acting, and for whom.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a numeric id newtype: an id of one kind cannot be passed where
/// another kind is expected.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

pub(crate) use id_type;

id_type!(
    /// A practice in this deployment.
    PracticeId
);
id_type!(
    /// A login: an email and a password, separate from any patient record.
    LoginId
);
id_type!(
    /// A patient registered at a practice.
    PatientId
);

/// What a member of staff may do at their practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Receptionist,
    Clinician,
    PracticeAdmin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [Self::Receptionist, Self::Clinician, Self::PracticeAdmin];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receptionist => "receptionist",
            Self::Clinician => "clinician",
            Self::PracticeAdmin => "practice_admin",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Receptionist => "Receptionist",
            Self::Clinician => "Clinician",
            Self::PracticeAdmin => "Practice admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// A change a practice admin makes to a member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffChange {
    Role(StaffRole),
    Disable,
    Enable,
    /// Forget their authenticator app and recovery codes: they enrol again at
    /// their next sign-in.
    ResetTwoFactor,
}

/// Why a practice would be left without an active practice admin.
pub const NEEDS_AN_ADMIN: &str = "A practice needs at least one active practice admin";

impl StaffChange {
    /// A practice always keeps at least one active practice admin: a change
    /// that takes the last one away (disabling them, or giving them another
    /// role) is refused. `role` and `disabled` are the member's now;
    /// `other_active_admins` counts the practice's other active admins.
    pub fn keeps_an_admin(self, role: StaffRole, disabled: bool, other_active_admins: u64) -> Result<(), &'static str> {
        let is_active_admin = role == StaffRole::PracticeAdmin && !disabled;
        let stops_being_admin = match self {
            StaffChange::Disable => true,
            StaffChange::Role(new) => new != StaffRole::PracticeAdmin,
            StaffChange::Enable | StaffChange::ResetTwoFactor => false,
        };
        if is_active_admin && stops_being_admin && other_active_admins == 0 {
            return Err(NEEDS_AN_ADMIN);
        }
        Ok(())
    }
}

/// The person behind a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// Nobody is signed in.
    Anonymous,
    /// A patient acting for their own record at their practice.
    Patient { login: LoginId, patient: PatientId, practice: PracticeId },
    /// A login acting for another patient (registered at `practice`) through
    /// proxy access, with the services its grant allows today (none when the
    /// grant cannot be used now: see `domain::proxy::standing`).
    Proxy { login: LoginId, acting_for: PatientId, practice: PracticeId, services: crate::proxy::ProxyServices },
    /// A member of a practice's staff.
    Staff { login: LoginId, practice: PracticeId, role: StaffRole },
}

impl Actor {
    /// The practice whose data this actor works with: the staff member's
    /// practice, or the practice of the patient acted for.
    pub fn practice(&self) -> Option<PracticeId> {
        match self {
            Actor::Anonymous => None,
            Actor::Patient { practice, .. } | Actor::Proxy { practice, .. } | Actor::Staff { practice, .. } => {
                Some(*practice)
            }
        }
    }

    /// The patient whose record this actor is acting on, if a patient or proxy.
    pub fn subject(&self) -> Option<PatientId> {
        match self {
            Actor::Patient { patient, .. } => Some(*patient),
            Actor::Proxy { acting_for, .. } => Some(*acting_for),
            _ => None,
        }
    }

    pub fn login(&self) -> Option<LoginId> {
        match self {
            Actor::Anonymous => None,
            Actor::Patient { login, .. } | Actor::Proxy { login, .. } | Actor::Staff { login, .. } => Some(*login),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_last_active_practice_admin_cannot_be_disabled_or_given_another_role() {
        use StaffRole::*;
        for change in [StaffChange::Disable, StaffChange::Role(Receptionist), StaffChange::Role(Clinician)] {
            assert_eq!(change.keeps_an_admin(PracticeAdmin, false, 0), Err(NEEDS_AN_ADMIN), "{change:?}");
            assert_eq!(change.keeps_an_admin(PracticeAdmin, false, 1), Ok(()), "another admin stays: {change:?}");
        }
        // Staying an admin, or changes to anyone else, always leave the admins as they were.
        assert_eq!(StaffChange::Role(PracticeAdmin).keeps_an_admin(PracticeAdmin, false, 0), Ok(()));
        assert_eq!(StaffChange::ResetTwoFactor.keeps_an_admin(PracticeAdmin, false, 0), Ok(()));
        assert_eq!(StaffChange::Disable.keeps_an_admin(Receptionist, false, 0), Ok(()));
        assert_eq!(StaffChange::Disable.keeps_an_admin(PracticeAdmin, true, 0), Ok(()), "already disabled");
    }

    use super::*;

    #[test]
    fn every_staff_role_round_trips_through_its_stored_name() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(StaffRole::parse("superuser"), None);
    }

    #[test]
    fn an_anonymous_actor_has_no_login() {
        assert_eq!(Actor::Anonymous.login(), None);
        let staff = Actor::Staff { login: LoginId(7), practice: PracticeId(1), role: StaffRole::Clinician };
        assert_eq!(staff.practice(), Some(PracticeId(1)));
        assert_eq!(staff.subject(), None);
        assert_eq!(staff.login(), Some(LoginId(7)));
    }
}
